/* Checkpoint serializer of the Tao type adam, composed on the Tao as "NNCheckpointWrite_C" and
   "NNCheckpointRead_C" (see NNCheckpointWriteOptimizer()). Under /optimizer: the Vecs m, v and,
   with AMSGrad, vmax, and the attributes step (int) and amsgrad (int 0/1). */
#include <nnpde/adam.h>
#include <nnpde/private/checkpointimpl.h>

PETSC_INTERN PetscErrorCode TaoCheckpointWrite_Adam(Tao tao, NNCheckpoint ckpt)
{
  Vec      m, v, vmax;
  PetscInt step, amsgrad;

  PetscFunctionBegin;
  PetscCall(TaoAdamGetState(tao, &m, &v, &vmax, &step));
  PetscCheck(m && v, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE,
             "The Adam Tao has no state to write to checkpoint %s yet: call TaoSetUp() or TaoSolve() first", ckpt->file);
  amsgrad = vmax ? 1 : 0;
  PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "m", m));
  PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "v", v));
  if (vmax) PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "vmax", vmax));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/optimizer", "step", PETSC_INT, &step));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/optimizer", "amsgrad", PETSC_INT, &amsgrad));
  PetscFunctionReturn(0);
}

PETSC_INTERN PetscErrorCode TaoCheckpointRead_Adam(Tao tao, NNCheckpoint ckpt)
{
  Vec      m, v, vmax;
  PetscInt step, samsgrad;

  PetscFunctionBegin;
  PetscCall(TaoAdamGetState(tao, &m, &v, &vmax, &step));
  if (!m || !v) {
    PetscCall(TaoSetUp(tao));
    PetscCall(TaoAdamGetState(tao, &m, &v, &vmax, &step));
  }
  PetscCheck(m && v, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "The Adam Tao has no state to read into: set its solution and call TaoSetUp() first");
  PetscCall(NNCheckpointReadInt(ckpt, "/optimizer", "amsgrad", &samsgrad));
  PetscCheck(!samsgrad == !vmax, ckpt->comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s holds Adam state with AMSGrad %s, but the Tao has AMSGrad %s",
             ckpt->file, samsgrad ? "on" : "off", vmax ? "on" : "off");
  PetscCall(NNCheckpointReadInt(ckpt, "/optimizer", "step", &step));
  PetscCheck(step >= 0, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s: invalid Adam step %" PetscInt_FMT, ckpt->file, step);
  PetscCall(NNCheckpointReadVec_Private(ckpt, "/optimizer", "m", "the Adam first moment", m));
  PetscCall(NNCheckpointReadVec_Private(ckpt, "/optimizer", "v", "the Adam second moment", v));
  if (vmax) PetscCall(NNCheckpointReadVec_Private(ckpt, "/optimizer", "vmax", "the AMSGrad maximum", vmax));
  PetscCall(TaoAdamSetStep(tao, step));
  PetscFunctionReturn(0);
}

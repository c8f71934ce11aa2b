/* The nn/ layer's package: the NN class and its types, the TAO type adam, and the network events.
   The layers above (pinn/, sampling/, solvers/) register their own in their XInitializePackage();
   NNPDEInitializePackage() (package.c) calls them all, bottom-up. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/train.h>
#include <nnpde/adam.h>
#include <nnpde/cnn3d.h>
#include <petsctao.h>

PetscClassId      NN_CLASSID, NNTRAINER_CLASSID;
PetscFunctionList NNList = NULL;
PetscLogEvent     NN_Forward, NN_Backward, NN_ForwardBackward, NN_SetUp, NN_CheckpointWrite, NN_CheckpointRead, TAO_AdamStep;

static PetscBool NNPackageInitialized = PETSC_FALSE;

PETSC_INTERN PetscErrorCode TaoCreate_Adam(Tao);
PETSC_INTERN PetscErrorCode NNCreate_KRnet(NN); /* nn/impls/krnet/krnet.c */

/*@C
  NNFinalizePackage - Frees what NNInitializePackage() registered; called by PetscFinalize().

  Not Collective

  Level: developer

.seealso: `NNInitializePackage()`
@*/
PetscErrorCode NNFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NNList));
  NNPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  NNInitializePackage - Registers the NN and NNTrainer classes, the NN types (mlp, cnn3d, krnet), the TAO type adam and
  the network log events. Called lazily by NNCreate() and the other nn/ constructors; safe to call
  more than once.

  Not Collective

  Level: developer

.seealso: `NNFinalizePackage()`, `NNPDEInitializePackage()`
@*/
PetscErrorCode NNInitializePackage(void)
{
  PetscFunctionBegin;
  if (NNPackageInitialized) PetscFunctionReturn(0);
  NNPackageInitialized = PETSC_TRUE;
  PetscCall(TaoInitializePackage());
  PetscCall(PetscClassIdRegister("Neural network", &NN_CLASSID));
  PetscCall(PetscClassIdRegister("NN trainer", &NNTRAINER_CLASSID));
  PetscCall(NNRegister(NNMLP, NNCreate_MLP));
  PetscCall(NNRegister(NNCNN3D, NNCreate_CNN3D));
  PetscCall(NNRegister("krnet", NNCreate_KRnet));
  PetscCall(TaoRegister(TAOADAM, TaoCreate_Adam));
  PetscCall(PetscLogEventRegister("NNSetUp", NN_CLASSID, &NN_SetUp));
  PetscCall(PetscLogEventRegister("NNForward", NN_CLASSID, &NN_Forward));
  PetscCall(PetscLogEventRegister("NNBackward", NN_CLASSID, &NN_Backward));
  PetscCall(PetscLogEventRegister("NNForwardBackward", NN_CLASSID, &NN_ForwardBackward));
  PetscCall(PetscLogEventRegister("NNCheckpointWrite", NN_CLASSID, &NN_CheckpointWrite));
  PetscCall(PetscLogEventRegister("NNCheckpointRead", NN_CLASSID, &NN_CheckpointRead));
  PetscCall(PetscLogEventRegister("TaoAdamStep", TAO_CLASSID, &TAO_AdamStep));
  PetscCall(PetscRegisterFinalize(NNFinalizePackage));
  PetscFunctionReturn(0);
}

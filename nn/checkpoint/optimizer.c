/* Serializer of optimizers: /optimizer holds the Tao type, its total iteration count and its
   type-specific state. */
#include <nnpde/private/checkpointimpl.h>

static PetscErrorCode NNCheckpointWriteOptimizer_Private(NNCheckpoint ckpt, Tao tao)
{
  TaoType           type;
  PetscInt          its;
  NNCheckpointTaoFn write;

  PetscFunctionBegin;
  PetscCall(TaoGetType(tao, &type));
  PetscCheck(type, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "Set the Tao type before writing it to checkpoint %s", ckpt->file);
  PetscCall(PetscObjectQueryFunction((PetscObject)tao, "NNCheckpointWrite_C", &write));
  if (write)
    PetscCall((*write)(tao, ckpt));
  else { /* a type without its own serializer: its current solution */
    Vec x;

    PetscCall(TaoGetSolution(tao, &x));
    PetscCheck(x, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "The Tao (type %s) has no solution vector to write to checkpoint %s", type, ckpt->file);
    PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "solution", x));
  }
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/optimizer", "type", PETSC_STRING, type));
  PetscCall(TaoGetTotalIterationNumber(tao, &its));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/optimizer", "iterations", PETSC_INT, &its));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointWriteOptimizer - Writes the state of an optimizer as /optimizer: its type name, its
  total iteration count and its type-specific state.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for writing
- tao  - the optimizer (set up)

  Notes:
  A Tao type serializes its own state through the function it composes as "NNCheckpointWrite_C"
  (and reads it back through "NNCheckpointRead_C"), both `PetscErrorCode (*)(Tao, NNCheckpoint)`,
  writing under the group /optimizer; the type adam composes them at creation and stores its moments m
  and v, the AMSGrad maximum vmax when enabled and the step counter. A type that composes none
  (e.g. `TAOLMVM`) is stored as its current solution.

  Level: intermediate

.seealso: `NNCheckpointReadOptimizer()`, `TaoAdamGetState()`, `PetscObjectComposeFunction()`
@*/
PetscErrorCode NNCheckpointWriteOptimizer(NNCheckpoint ckpt, Tao tao)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 2);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_WRITE, "NNCheckpointWriteOptimizer"));
  PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
  ckpt->incomplete++;
  PetscCall(NNCheckpointWriteOptimizer_Private(ckpt, tao));
  ckpt->incomplete--;
  PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointReadOptimizer_Private(NNCheckpoint ckpt, Tao tao)
{
  TaoType           type;
  char              stored[256];
  PetscBool         has, same;
  PetscInt          its;
  NNCheckpointTaoFn read;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasGroup(ckpt->viewer, "/optimizer", &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no optimizer state (no group /optimizer)", ckpt->file);
  PetscCall(TaoGetType(tao, &type));
  PetscCheck(type, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "Set the Tao type before reading its state from checkpoint %s", ckpt->file);
  PetscCall(NNCheckpointReadString(ckpt, "/optimizer", "type", stored, sizeof(stored)));
  PetscCall(PetscStrcmp(stored, type, &same));
  PetscCheck(same, ckpt->comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s holds the state of a Tao of type %s, but the Tao is of type %s", ckpt->file,
             stored, type);
  PetscCall(PetscObjectQueryFunction((PetscObject)tao, "NNCheckpointRead_C", &read));
  if (read)
    PetscCall((*read)(tao, ckpt));
  else {
    Vec x;

    PetscCall(TaoGetSolution(tao, &x));
    PetscCheck(x, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "Set the solution of the Tao (TaoSetSolution()) before reading it from checkpoint %s",
               ckpt->file);
    PetscCall(NNCheckpointReadVec_Private(ckpt, "/optimizer", "solution", "the optimizer's solution", x));
  }
  PetscCall(NNCheckpointReadInt(ckpt, "/optimizer", "iterations", &its));
  PetscCall(TaoSetTotalIterationNumber(tao, its));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointReadOptimizer - Restores the optimizer state written by `NNCheckpointWriteOptimizer()`.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
- tao  - an optimizer of the same type, with its solution set (an Adam Tao is set up if needed;
         its AMSGrad setting must match the stored one)

  Note:
  The type-specific state is read by the function the Tao composes as "NNCheckpointRead_C"; see
  `NNCheckpointWriteOptimizer()`.

  Level: intermediate

.seealso: `NNCheckpointWriteOptimizer()`, `TaoAdamSetStep()`
@*/
PetscErrorCode NNCheckpointReadOptimizer(NNCheckpoint ckpt, Tao tao)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 2);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointReadOptimizer"));
  PetscCall(PetscLogEventBegin(NN_CheckpointRead, 0, 0, 0, 0));
  PetscCall(NNCheckpointReadOptimizer_Private(ckpt, tao));
  PetscCall(PetscLogEventEnd(NN_CheckpointRead, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

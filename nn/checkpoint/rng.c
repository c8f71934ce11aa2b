/* Serializer of random-number sequences: /rng holds the seed and the position. */
#include <nnpde/private/checkpointimpl.h>

/*@C
  NNCheckpointWriteRandom - Writes the state (seed, position) of a random-number sequence as /rng.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for writing
- rng  - the sequence

  Level: intermediate

.seealso: `NNCheckpointReadRandom()`, `NNRandomGetState()`
@*/
PetscErrorCode NNCheckpointWriteRandom(NNCheckpoint ckpt, NNRandom rng)
{
  uint64_t seed, position;

  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_WRITE, "NNCheckpointWriteRandom"));
  PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
  ckpt->incomplete++;
  PetscCall(NNRandomGetState(rng, &seed, &position));
  PetscCall(PetscViewerHDF5WriteGroup(ckpt->viewer, "/rng"));
  PetscCall(NNCheckpointWriteUInt64(ckpt, "/rng", "seed", seed));
  PetscCall(NNCheckpointWriteUInt64(ckpt, "/rng", "position", position));
  ckpt->incomplete--;
  PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointReadRandom - Restores the state of a random-number sequence from /rng.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
- rng  - the sequence

  Level: intermediate

.seealso: `NNCheckpointWriteRandom()`, `NNRandomSetState()`
@*/
PetscErrorCode NNCheckpointReadRandom(NNCheckpoint ckpt, NNRandom rng)
{
  uint64_t  seed, position;
  PetscBool has;

  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointReadRandom"));
  PetscCall(PetscLogEventBegin(NN_CheckpointRead, 0, 0, 0, 0));
  PetscCall(PetscViewerHDF5HasGroup(ckpt->viewer, "/rng", &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no random-number state (no group /rng)", ckpt->file);
  PetscCall(NNCheckpointReadUInt64(ckpt, "/rng", "seed", &seed));
  PetscCall(NNCheckpointReadUInt64(ckpt, "/rng", "position", &position));
  PetscCall(NNRandomSetState(rng, seed, position));
  PetscCall(PetscLogEventEnd(NN_CheckpointRead, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

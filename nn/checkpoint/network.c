/* Serializer of networks: /nn/<name> holds the parameters, architecture, type and size. */
#include <nnpde/private/checkpointimpl.h>

static PetscErrorCode NNCheckpointWriteNN_Private(NNCheckpoint ckpt, const char name[], NN nn)
{
  char     group[PETSC_MAX_PATH_LEN], arch[4096];
  Vec      params;
  PetscInt np;
  NNType   type;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(group, sizeof(group), "/nn/%s", name));
  PetscCall(NNGetParameters(nn, &params));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(NNGetArchitecture(nn, arch, sizeof(arch)));
  PetscCall(NNGetType(nn, &type));
  PetscCall(NNCheckpointWriteVec_Private(ckpt, group, "parameters", params));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, group, "architecture", PETSC_STRING, arch));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, group, "type", PETSC_STRING, type));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, group, "num_parameters", PETSC_INT, &np));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointWriteNN - Writes a network (its parameters and architecture) as /nn/<name>.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for writing
. name - the network's name in the checkpoint (no '/')
- nn   - the network, set up

  Level: beginner

.seealso: `NNCheckpointReadNN()`, `NNGetArchitecture()`
@*/
PetscErrorCode NNCheckpointWriteNN(NNCheckpoint ckpt, const char name[], NN nn)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_WRITE, "NNCheckpointWriteNN"));
  PetscCall(NNCheckpointCheckName(ckpt, "network", name));
  PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
  ckpt->incomplete++;
  PetscCall(NNCheckpointWriteNN_Private(ckpt, name, nn));
  ckpt->incomplete--;
  PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointReadNN_Private(NNCheckpoint ckpt, const char name[], NN nn)
{
  char      group[PETSC_MAX_PATH_LEN], what[PETSC_MAX_PATH_LEN], stored[4096], current[4096];
  PetscBool has, same;
  PetscInt  np, snp;
  Vec       params;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(group, sizeof(group), "/nn/%s", name));
  PetscCall(PetscViewerHDF5HasGroup(ckpt->viewer, group, &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no network '%s' (no group %s)", ckpt->file, name, group);
  PetscCall(NNGetArchitecture(nn, current, sizeof(current)));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(NNCheckpointReadString(ckpt, group, "architecture", stored, sizeof(stored)));
  PetscCall(PetscStrcmp(stored, current, &same));
  PetscCheck(same, ckpt->comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s: network '%s' has architecture %s, but the NN is %s", ckpt->file, name, stored,
             current);
  PetscCall(NNCheckpointReadInt(ckpt, group, "num_parameters", &snp));
  PetscCheck(snp == np, ckpt->comm, PETSC_ERR_ARG_INCOMP,
             "Checkpoint %s: network '%s' has %" PetscInt_FMT " parameters, but the NN has %" PetscInt_FMT, ckpt->file, name, snp, np);
  PetscCall(NNGetParameters(nn, &params));
  PetscCall(PetscSNPrintf(what, sizeof(what), "parameters of network '%s'", name));
  PetscCall(NNCheckpointReadVec_Private(ckpt, group, "parameters", what, params));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointReadNN - Reads the parameters of network /nn/<name> into a network of the same
  architecture.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
. name - the network's name in the checkpoint
- nn   - a network, set up with the same architecture as the stored one; its parameters are overwritten

  Notes:
  Fails, leaving the parameters untouched, when the network is missing, the architecture string
  (`NNGetArchitecture()`) or the number of parameters differ, or the stored parameters do not match
  their checksum.

  Level: beginner

.seealso: `NNCheckpointWriteNN()`
@*/
PetscErrorCode NNCheckpointReadNN(NNCheckpoint ckpt, const char name[], NN nn)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointReadNN"));
  PetscCall(NNCheckpointCheckName(ckpt, "network", name));
  PetscCall(PetscLogEventBegin(NN_CheckpointRead, 0, 0, 0, 0));
  PetscCall(NNCheckpointReadNN_Private(ckpt, name, nn));
  PetscCall(PetscLogEventEnd(NN_CheckpointRead, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

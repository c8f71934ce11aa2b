/* Serializers of free data: Vecs under /data and training entries (typed attributes) under /train. */
#include <nnpde/private/checkpointimpl.h>

/*@C
  NNCheckpointWriteVec - Writes a Vec (points, densities, ...) as /data/<name>, with a checksum.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for writing
. name - the name in the checkpoint (no '/')
- x    - the Vec; its own name is left unchanged

  Level: intermediate

.seealso: `NNCheckpointReadVec()`
@*/
PetscErrorCode NNCheckpointWriteVec(NNCheckpoint ckpt, const char name[], Vec x)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidHeaderSpecific(x, VEC_CLASSID, 3);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_WRITE, "NNCheckpointWriteVec"));
  PetscCall(NNCheckpointCheckName(ckpt, "Vec", name));
  PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
  ckpt->incomplete++;
  PetscCall(NNCheckpointWriteVec_Private(ckpt, "/data", name, x));
  ckpt->incomplete--;
  PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointReadVec - Reads /data/<name> into a Vec of the same global size.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
. name - the name in the checkpoint
- x    - the Vec to fill (any layout); left untouched on failure

  Level: intermediate

.seealso: `NNCheckpointWriteVec()`
@*/
PetscErrorCode NNCheckpointReadVec(NNCheckpoint ckpt, const char name[], Vec x)
{
  char what[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidHeaderSpecific(x, VEC_CLASSID, 3);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointReadVec"));
  PetscCall(NNCheckpointCheckName(ckpt, "Vec", name));
  PetscCall(PetscSNPrintf(what, sizeof(what), "data Vec '%s'", name));
  PetscCall(PetscLogEventBegin(NN_CheckpointRead, 0, 0, 0, 0));
  PetscCall(NNCheckpointReadVec_Private(ckpt, "/data", name, what, x));
  PetscCall(PetscLogEventEnd(NN_CheckpointRead, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Training metadata                                                                              */

/* A /train key must exist and hold a value of class cls */
static PetscErrorCode NNCheckpointRequireKey(NNCheckpoint ckpt, const char key[], H5T_class_t cls)
{
  PetscBool   has;
  H5T_class_t c = H5T_NO_CLASS;
  size_t      size;

  PetscFunctionBegin;
  PetscCall(NNCheckpointCheckName(ckpt, "key", key));
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, "/train", key, &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no training entry '%s' (/train/%s)", ckpt->file, key, key);
  PetscCall(NNCheckpointAttributeType(ckpt, "/train", key, &c, &size, NULL));
  PetscCheck(c == cls, ckpt->comm, PETSC_ERR_ARG_WRONG, "Checkpoint %s: training entry '%s' is %s, not %s", ckpt->file, key, NNH5ClassName(c),
             NNH5ClassName(cls));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointSetAttribute_Private(NNCheckpoint ckpt, const char key[], PetscDataType dtype, const void *value)
{
  PetscFunctionBegin;
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_WRITE, "NNCheckpointSet"));
  PetscCall(NNCheckpointCheckName(ckpt, "key", key));
  ckpt->incomplete++;
  PetscCall(NNCheckpointDeleteAttribute(ckpt, "/train", key));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/train", key, dtype, value));
  ckpt->incomplete--;
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointSetInt - Stores an integer training entry /train/<key> (replacing any earlier value).

  Collective

  Input Parameters:
+ ckpt  - a checkpoint opened for writing
. key   - the entry's name (no '/')
- value - the value; every rank must pass the same

  Level: intermediate

.seealso: `NNCheckpointGetInt()`, `NNCheckpointSetReal()`, `NNCheckpointSetString()`, `NNCheckpointHas()`
@*/
PetscErrorCode NNCheckpointSetInt(NNCheckpoint ckpt, const char key[], PetscInt value)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscCall(NNCheckpointSetAttribute_Private(ckpt, key, PETSC_INT, &value));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointSetReal - Stores a real training entry /train/<key> (replacing any earlier value).

  Collective

  Input Parameters:
+ ckpt  - a checkpoint opened for writing
. key   - the entry's name (no '/')
- value - the value; every rank must pass the same

  Level: intermediate

.seealso: `NNCheckpointGetReal()`, `NNCheckpointSetInt()`
@*/
PetscErrorCode NNCheckpointSetReal(NNCheckpoint ckpt, const char key[], PetscReal value)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscCall(NNCheckpointSetAttribute_Private(ckpt, key, PETSC_REAL, &value));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointSetString - Stores a string training entry /train/<key> (replacing any earlier value).

  Collective

  Input Parameters:
+ ckpt  - a checkpoint opened for writing
. key   - the entry's name (no '/')
- value - the string; every rank must pass the same

  Level: intermediate

.seealso: `NNCheckpointGetString()`, `NNCheckpointSetInt()`
@*/
PetscErrorCode NNCheckpointSetString(NNCheckpoint ckpt, const char key[], const char value[])
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidCharPointer(value, 3);
  PetscCall(NNCheckpointSetAttribute_Private(ckpt, key, PETSC_STRING, value));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointGetInt - Reads the integer training entry /train/<key>.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
- key  - the entry's name

  Output Parameter:
. value - the value

  Note:
  A missing key, or one that holds a real or a string, is an error; test with `NNCheckpointHas()`.

  Level: intermediate

.seealso: `NNCheckpointSetInt()`, `NNCheckpointHas()`
@*/
PetscErrorCode NNCheckpointGetInt(NNCheckpoint ckpt, const char key[], PetscInt *value)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidIntPointer(value, 3);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointGetInt"));
  PetscCall(NNCheckpointRequireKey(ckpt, key, H5T_INTEGER));
  PetscCall(PetscViewerHDF5ReadAttribute(ckpt->viewer, "/train", key, PETSC_INT, NULL, value));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointGetReal - Reads the real training entry /train/<key>.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
- key  - the entry's name

  Output Parameter:
. value - the value

  Level: intermediate

.seealso: `NNCheckpointSetReal()`, `NNCheckpointHas()`
@*/
PetscErrorCode NNCheckpointGetReal(NNCheckpoint ckpt, const char key[], PetscReal *value)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidRealPointer(value, 3);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointGetReal"));
  PetscCall(NNCheckpointRequireKey(ckpt, key, H5T_FLOAT));
  PetscCall(PetscViewerHDF5ReadAttribute(ckpt->viewer, "/train", key, PETSC_REAL, NULL, value));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointGetString - Reads the string training entry /train/<key>.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for reading
. key  - the entry's name
- len  - the size of value in bytes; a longer string is an error

  Output Parameter:
. value - the string

  Level: intermediate

.seealso: `NNCheckpointSetString()`, `NNCheckpointHas()`
@*/
PetscErrorCode NNCheckpointGetString(NNCheckpoint ckpt, const char key[], char value[], size_t len)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidCharPointer(value, 3);
  PetscCall(NNCheckpointCheckMode(ckpt, FILE_MODE_READ, "NNCheckpointGetString"));
  PetscCall(NNCheckpointRequireKey(ckpt, key, H5T_STRING));
  PetscCall(NNCheckpointReadString(ckpt, "/train", key, value, len));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointHas - Whether the training entry /train/<key> exists.

  Collective

  Input Parameters:
+ ckpt - an open checkpoint
- key  - the entry's name

  Output Parameter:
. has - `PETSC_TRUE` if it exists

  Level: intermediate

.seealso: `NNCheckpointGetInt()`, `NNCheckpointGetReal()`, `NNCheckpointGetString()`
@*/
PetscErrorCode NNCheckpointHas(NNCheckpoint ckpt, const char key[], PetscBool *has)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidBoolPointer(has, 3);
  PetscCall(NNCheckpointCheckName(ckpt, "key", key));
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, "/train", key, has));
  PetscFunctionReturn(0);
}

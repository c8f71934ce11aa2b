/* The HDF5 layer of checkpoints: HDF5 error silencing and messages, typed attributes (uint64,
   int, string, with their class checked), Vec datasets with their checksum, and opening the
   PETSCVIEWERHDF5 viewer with an error that names the file. */
#include <string.h>
#include <nnpde/private/checkpointimpl.h>

/* Silence HDF5's automatic error printing (for probes whose failure we report ourselves) */
void NNH5Silence(NNH5ErrorState *s)
{
  if (H5Eget_auto2(H5E_DEFAULT, &s->func, &s->data) < 0) {
    s->func = NULL;
    s->data = NULL;
  }
  (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void NNH5Restore(const NNH5ErrorState *s)
{
  (void)H5Eset_auto2(H5E_DEFAULT, s->func, s->data);
}

/* Copies the description of the innermost error of HDF5's current error stack */
static herr_t NNH5ErrorWalk(unsigned n, const H5E_error2_t *err, void *ctx)
{
  if (n == 0 && err->desc) snprintf((char *)ctx, 256, "%s", err->desc);
  return 0;
}

void NNH5LastError(char msg[256])
{
  msg[0] = 0;
  (void)H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, NNH5ErrorWalk, msg);
  (void)H5Eclear2(H5E_DEFAULT);
  if (!msg[0]) snprintf(msg, 256, "unknown HDF5 error");
}

const char *NNH5ClassName(H5T_class_t c)
{
  return c == H5T_INTEGER ? "an integer" : (c == H5T_FLOAT ? "a real number" : (c == H5T_STRING ? "a string" : "of another type"));
}

/* Class and size of the attribute obj/name, which must exist */
PetscErrorCode NNCheckpointAttributeType(NNCheckpoint ckpt, const char obj[], const char name[], H5T_class_t *cls, size_t *size, PetscBool *issigned)
{
  hid_t fid, aid, tid = -1;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5GetFileId(ckpt->viewer, &fid));
  aid = H5Aopen_by_name(fid, obj, name, H5P_DEFAULT, H5P_DEFAULT);
  if (aid >= 0) tid = H5Aget_type(aid);
  *cls  = tid >= 0 ? H5Tget_class(tid) : H5T_NO_CLASS;
  *size = tid >= 0 ? H5Tget_size(tid) : 0;
  if (issigned) *issigned = (PetscBool)(tid >= 0 && *cls == H5T_INTEGER && H5Tget_sign(tid) != H5T_SGN_NONE);
  if (tid >= 0) (void)H5Tclose(tid);
  if (aid >= 0) (void)H5Aclose(aid);
  PetscCheck(aid >= 0 && tid >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "HDF5 cannot open attribute %s/%s of checkpoint %s", obj, name,
             NNCheckpointOpenFile(ckpt));
  PetscFunctionReturn(0);
}

/* Attribute obj/name must exist and be of the given class */
PetscErrorCode NNCheckpointRequireAttribute(NNCheckpoint ckpt, const char obj[], const char name[], H5T_class_t cls)
{
  PetscBool   has;
  H5T_class_t c = H5T_NO_CLASS;
  size_t      size;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, obj, name, &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no attribute %s/%s", ckpt->file, obj, name);
  PetscCall(NNCheckpointAttributeType(ckpt, obj, name, &c, &size, NULL));
  PetscCheck(c == cls, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s: attribute %s/%s is %s, expected %s", ckpt->file, obj, name,
             NNH5ClassName(c), NNH5ClassName(cls));
  PetscFunctionReturn(0);
}

/* Removes obj/name if present, so that a Set* may change the value's type or length */
PetscErrorCode NNCheckpointDeleteAttribute(NNCheckpoint ckpt, const char obj[], const char name[])
{
  PetscBool has;
  hid_t     fid;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, obj, name, &has));
  if (!has) PetscFunctionReturn(0);
  PetscCall(PetscViewerHDF5GetFileId(ckpt->viewer, &fid));
  PetscCheck(H5Adelete_by_name(fid, obj, name, H5P_DEFAULT) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE,
             "HDF5 cannot replace attribute %s/%s in checkpoint %s", obj, name, ckpt->tmpfile);
  PetscFunctionReturn(0);
}

/* PetscViewerHDF5WriteAttribute() has no 64-bit integers in PETSc 3.18; store uint64 natively.
   The object obj (group or dataset) must exist. Collective: every rank writes the same value. */
PetscErrorCode NNCheckpointWriteUInt64(NNCheckpoint ckpt, const char obj[], const char name[], uint64_t value)
{
  hid_t  fid, oid, sid = -1, aid = -1;
  herr_t st = -1;

  PetscFunctionBegin;
  PetscCall(NNCheckpointDeleteAttribute(ckpt, obj, name));
  PetscCall(PetscViewerHDF5GetFileId(ckpt->viewer, &fid));
  oid = H5Oopen(fid, obj, H5P_DEFAULT);
  if (oid >= 0) sid = H5Screate(H5S_SCALAR);
  if (sid >= 0) aid = H5Acreate2(oid, name, H5T_STD_U64LE, sid, H5P_DEFAULT, H5P_DEFAULT);
  if (aid >= 0) st = H5Awrite(aid, H5T_NATIVE_UINT64, &value);
  if (aid >= 0) (void)H5Aclose(aid);
  if (sid >= 0) (void)H5Sclose(sid);
  if (oid >= 0) (void)H5Oclose(oid);
  PetscCheck(st >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "HDF5 cannot write attribute %s/%s to checkpoint %s", obj, name, ckpt->tmpfile);
  PetscFunctionReturn(0);
}

PetscErrorCode NNCheckpointReadUInt64(NNCheckpoint ckpt, const char obj[], const char name[], uint64_t *value)
{
  hid_t       fid, aid;
  herr_t      st  = -1;
  H5T_class_t cls = H5T_NO_CLASS;
  size_t      size;
  PetscBool   has, issigned = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, obj, name, &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no attribute %s/%s", ckpt->file, obj, name);
  PetscCall(NNCheckpointAttributeType(ckpt, obj, name, &cls, &size, &issigned));
  PetscCheck(cls == H5T_INTEGER && size == 8 && !issigned, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED,
             "Checkpoint %s: attribute %s/%s is not a 64-bit unsigned integer", ckpt->file, obj, name);
  PetscCall(PetscViewerHDF5GetFileId(ckpt->viewer, &fid));
  aid = H5Aopen_by_name(fid, obj, name, H5P_DEFAULT, H5P_DEFAULT);
  if (aid >= 0) st = H5Aread(aid, H5T_NATIVE_UINT64, value);
  if (aid >= 0) (void)H5Aclose(aid);
  PetscCheck(st >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "HDF5 cannot read attribute %s/%s of checkpoint %s", obj, name, ckpt->file);
  PetscFunctionReturn(0);
}

PetscErrorCode NNCheckpointReadInt(NNCheckpoint ckpt, const char obj[], const char name[], PetscInt *value)
{
  PetscFunctionBegin;
  PetscCall(NNCheckpointRequireAttribute(ckpt, obj, name, H5T_INTEGER));
  PetscCall(PetscViewerHDF5ReadAttribute(ckpt->viewer, obj, name, PETSC_INT, NULL, value));
  PetscFunctionReturn(0);
}

/* Reads the string attribute obj/name into value[len] */
PetscErrorCode NNCheckpointReadString(NNCheckpoint ckpt, const char obj[], const char name[], char value[], size_t len)
{
  char  *s;
  size_t slen;

  PetscFunctionBegin;
  PetscCall(NNCheckpointRequireAttribute(ckpt, obj, name, H5T_STRING));
  PetscCall(PetscViewerHDF5ReadAttribute(ckpt->viewer, obj, name, PETSC_STRING, NULL, &s));
  PetscCall(PetscStrlen(s, &slen));
  if (slen < len) PetscCall(PetscStrncpy(value, s, len));
  PetscCall(PetscFree(s));
  PetscCheck(slen < len, ckpt->comm, PETSC_ERR_ARG_SIZ, "Checkpoint %s: string %s/%s has %zu characters, but the buffer holds only %zu", ckpt->file,
             obj, name, slen, len ? len - 1 : 0);
  PetscFunctionReturn(0);
}

/* Number of entries (product of the dimensions) of the dataset at path */
static PetscErrorCode NNCheckpointDatasetSize(NNCheckpoint ckpt, const char path[], PetscInt *n)
{
  hid_t   fid, did, sid = -1;
  hsize_t dims[H5S_MAX_RANK], total = 1;
  int     nd = -1;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5GetFileId(ckpt->viewer, &fid));
  did = H5Dopen2(fid, path, H5P_DEFAULT);
  if (did >= 0) sid = H5Dget_space(did);
  if (sid >= 0) nd = H5Sget_simple_extent_dims(sid, dims, NULL);
  if (sid >= 0) (void)H5Sclose(sid);
  if (did >= 0) (void)H5Dclose(did);
  PetscCheck(nd >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "HDF5 cannot read the shape of dataset %s in checkpoint %s", path, ckpt->file);
  for (int d = 0; d < nd; d++) total *= dims[d];
  PetscCheck(total <= (hsize_t)PETSC_MAX_INT, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s: dataset %s is too large for PetscInt",
             ckpt->file, path);
  *n = (PetscInt)total;
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Vec datasets                                                                                   */

/* Writes x as the dataset group/name with its checksum */
PetscErrorCode NNCheckpointWriteVec_Private(NNCheckpoint ckpt, const char group[], const char name[], Vec x)
{
  char    *oldname = NULL, path[PETSC_MAX_PATH_LEN];
  uint64_t sum;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s", group, name));
  PetscCall(NNCheckpointVecChecksum(x, &sum));
  PetscCall(PetscStrallocpy(((PetscObject)x)->name, &oldname));
  PetscCall(PetscObjectSetName((PetscObject)x, name));
  PetscCall(PetscViewerHDF5PushGroup(ckpt->viewer, group));
  PetscCall(VecView(x, ckpt->viewer));
  PetscCall(PetscViewerHDF5PopGroup(ckpt->viewer));
  PetscCall(PetscObjectSetName((PetscObject)x, oldname));
  PetscCall(PetscFree(oldname));
  PetscCall(NNCheckpointWriteUInt64(ckpt, path, "checksum", sum));
  PetscFunctionReturn(0);
}

/* Reads the dataset group/name into x after checking its presence, size and checksum; x is left
   untouched when anything is wrong. what describes the dataset in the message when it is missing. */
PetscErrorCode NNCheckpointReadVec_Private(NNCheckpoint ckpt, const char group[], const char name[], const char what[], Vec x)
{
  char           path[PETSC_MAX_PATH_LEN];
  PetscBool      has;
  PetscInt       n = 0, N = 0;
  uint64_t       stored, sum;
  Vec            y;
  PetscErrorCode ierr;
  int            lerr, gerr;
  NNH5ErrorState h5state;
  char           h5msg[256] = "";

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s", group, name));
  PetscCall(PetscViewerHDF5HasDataset(ckpt->viewer, path, &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no %s (dataset %s)", ckpt->file, what, path);
  PetscCall(NNCheckpointDatasetSize(ckpt, path, &n));
  PetscCall(VecGetSize(x, &N));
  PetscCheck(n == N, ckpt->comm, PETSC_ERR_ARG_SIZ, "Checkpoint %s: %s (dataset %s) has %" PetscInt_FMT " entries, but the Vec has %" PetscInt_FMT,
             ckpt->file, what, path, n, N);
  PetscCall(NNCheckpointReadUInt64(ckpt, path, "checksum", &stored));

  PetscCall(VecDuplicate(x, &y));
  PetscCall(PetscObjectSetName((PetscObject)y, name));
  PetscCall(PetscViewerHDF5PushGroup(ckpt->viewer, group));
  NNH5Silence(&h5state);
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = VecLoad(y, ckpt->viewer);
  PetscCall(PetscPopErrorHandler());
  if (ierr) NNH5LastError(h5msg);
  NNH5Restore(&h5state);
  PetscCall(PetscViewerHDF5PopGroup(ckpt->viewer));
  lerr = (int)ierr;
  PetscCallMPI(MPI_Allreduce(&lerr, &gerr, 1, MPI_INT, MPI_MAX, ckpt->comm));
  if (gerr) {
    char *msg = NULL, copy[512] = "failed on another rank";

    if (ierr) PetscCall(PetscErrorMessage(ierr, NULL, &msg));
    if (msg) PetscCall(PetscStrncpy(copy, msg, sizeof(copy)));
    PetscCall(VecDestroy(&y));
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_READ, "Cannot read %s (dataset %s) from checkpoint %s (HDF5: %s; %s)", what, path, ckpt->file,
            h5msg[0] ? h5msg : "no HDF5 error", copy);
  }
  PetscCall(NNCheckpointVecChecksum(y, &sum));
  if (sum != stored) PetscCall(VecDestroy(&y));
  PetscCheck(sum == stored, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED,
             "Checkpoint %s is corrupt: the checksum of %s (dataset %s) is %016llx, but the file records %016llx", ckpt->file, what, path,
             (unsigned long long)sum, (unsigned long long)stored);
  PetscCall(VecCopy(y, x));
  PetscCall(VecDestroy(&y));
  PetscFunctionReturn(0);
}

/* Destroys a viewer whose file could not be opened: PETSc flushes the invalid file id and fails,
   so ignore that (the viewer may leak) */
PetscErrorCode NNViewerDestroyQuietly(PetscViewer *viewer)
{
  NNH5ErrorState h5state;

  PetscFunctionBegin;
  NNH5Silence(&h5state);
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  (void)PetscViewerDestroy(viewer);
  PetscCall(PetscPopErrorHandler());
  NNH5Restore(&h5state);
  *viewer = NULL;
  PetscFunctionReturn(0);
}

/* Opens the viewer on fname; reports a failure with the file name instead of HDF5's status code */
PetscErrorCode NNCheckpointOpenViewer(NNCheckpoint ckpt, const char fname[])
{
  PetscViewer    viewer;
  PetscErrorCode ierr;
  NNH5ErrorState h5state;
  char           h5msg[256] = "";
  hid_t          fid        = -1;

  PetscFunctionBegin;
  PetscCall(PetscViewerCreate(ckpt->comm, &viewer));
  PetscCall(PetscViewerSetType(viewer, PETSCVIEWERHDF5));
  PetscCall(PetscViewerFileSetMode(viewer, ckpt->mode));
  NNH5Silence(&h5state);
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PetscViewerFileSetName(viewer, fname);
  PetscCall(PetscPopErrorHandler());
  if (!ierr) ierr = PetscViewerHDF5GetFileId(viewer, &fid);
  if (ierr || fid < 0) NNH5LastError(h5msg);
  NNH5Restore(&h5state);
  if (ierr) {
    char *msg = NULL, copy[512] = "";

    PetscCall(PetscErrorMessage(ierr, NULL, &msg));
    if (msg) PetscCall(PetscStrncpy(copy, msg, sizeof(copy)));
    PetscCall(NNViewerDestroyQuietly(&viewer));
    SETERRQ(ckpt->comm, ckpt->mode == FILE_MODE_WRITE ? PETSC_ERR_FILE_WRITE : PETSC_ERR_FILE_OPEN, "Cannot %s checkpoint file %s (HDF5: %s; %s)",
            ckpt->mode == FILE_MODE_WRITE ? "create" : "open", fname, h5msg, copy);
  }
  /* PETSc 3.18 does not check what H5Fcreate()/H5Fopen() return */
  if (fid < 0) PetscCall(NNViewerDestroyQuietly(&viewer));
  PetscCheck(fid >= 0, ckpt->comm, ckpt->mode == FILE_MODE_WRITE ? PETSC_ERR_FILE_WRITE : PETSC_ERR_FILE_OPEN,
             "HDF5 cannot %s checkpoint file %s (HDF5: %s)", ckpt->mode == FILE_MODE_WRITE ? "create" : "open", fname, h5msg);
  ckpt->viewer = viewer;
  PetscFunctionReturn(0);
}

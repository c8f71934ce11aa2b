/* Checkpoints: one HDF5 file (through PetscViewerHDF5) for networks, optimizer state, random-number
   state, training metadata and free Vecs; written atomically and verified on reading.

   Format (NNPDE_CHECKPOINT_FORMAT_VERSION 1); every path is absolute:
     /meta                 format_version (int), library_version, petsc_version, writer, date (strings)
     /nn/<name>            architecture (string), type (string), num_parameters (int)
     /nn/<name>/parameters the parameter Vec
     /optimizer            type (string: the Tao type), iterations (int: TaoGetTotalIterationNumber());
                           adam: step (int), amsgrad (int 0/1) and the Vecs m, v, vmax (vmax with AMSGrad only);
                           other types: the Vec solution (TaoGetSolution())
     /rng                  seed, position (uint64)
     /train                one attribute per key: int, float64 or string
   "int" is a PetscInt (32-bit here); strings are fixed-length HDF5 strings.
     /data/<name>          free Vecs
   Every Vec dataset carries a uint64 attribute "checksum" (see NNCheckpointVecChecksum()), and the
   file ends with a 24-byte trailer holding a hash of everything before it (see NNFileSeal()). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <petsc/private/petscimpl.h>
#include <petscviewerhdf5.h>
#include <petscdmda.h>
#include <nnpde/sys.h>
#include <nnpde/adam.h>
#include <nnpde/checkpoint.h>

struct _n_NNCheckpoint {
  MPI_Comm      comm;
  PetscFileMode mode;
  PetscViewer   viewer;
  char          file[PETSC_MAX_PATH_LEN];    /* the checkpoint */
  char          tmpfile[PETSC_MAX_PATH_LEN]; /* what is being written, renamed to file on close */
  PetscInt      incomplete;                  /* writes begun and not finished: one failed, do not commit */
};

/* Name of the file that is actually open, for messages */
#define NNCheckpointOpenFile(ckpt) ((ckpt)->mode == FILE_MODE_WRITE ? (ckpt)->tmpfile : (ckpt)->file)

/* ---------------------------------------------------------------------------------------------- */
/* HDF5 helpers                                                                                   */

/* Silence HDF5's automatic error printing (for probes whose failure we report ourselves) */
typedef struct {
  H5E_auto2_t func;
  void       *data;
} NNH5ErrorState;

static void NNH5Silence(NNH5ErrorState *s)
{
  if (H5Eget_auto2(H5E_DEFAULT, &s->func, &s->data) < 0) {
    s->func = NULL;
    s->data = NULL;
  }
  (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void NNH5Restore(const NNH5ErrorState *s)
{
  (void)H5Eset_auto2(H5E_DEFAULT, s->func, s->data);
}

/* Copies the description of the innermost error of HDF5's current error stack */
static herr_t NNH5ErrorWalk(unsigned n, const H5E_error2_t *err, void *ctx)
{
  if (n == 0 && err->desc) snprintf((char *)ctx, 256, "%s", err->desc);
  return 0;
}

static void NNH5LastError(char msg[256])
{
  msg[0] = 0;
  (void)H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, NNH5ErrorWalk, msg);
  (void)H5Eclear2(H5E_DEFAULT);
  if (!msg[0]) snprintf(msg, 256, "unknown HDF5 error");
}

static const char *NNH5ClassName(H5T_class_t c)
{
  return c == H5T_INTEGER ? "an integer" : (c == H5T_FLOAT ? "a real number" : (c == H5T_STRING ? "a string" : "of another type"));
}

static PetscErrorCode NNCheckpointCheckName(NNCheckpoint ckpt, const char what[], const char name[])
{
  size_t len;

  PetscFunctionBegin;
  PetscCall(PetscStrlen(name, &len));
  PetscCheck(len > 0 && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, ".."), ckpt->comm, PETSC_ERR_ARG_WRONG,
             "Invalid %s name \"%s\" for checkpoint %s: it must be non-empty, not . or .., and contain no '/'", what, name ? name : "(null)",
             ckpt->file);
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointCheckMode(NNCheckpoint ckpt, PetscFileMode mode, const char func[])
{
  PetscFunctionBegin;
  PetscCheck(ckpt->mode == mode, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "%s() needs a checkpoint opened for %s, but %s was opened for %s", func,
             mode == FILE_MODE_WRITE ? "writing" : "reading", ckpt->file, ckpt->mode == FILE_MODE_WRITE ? "writing" : "reading");
  PetscFunctionReturn(0);
}

/* Class and size of the attribute obj/name, which must exist */
static PetscErrorCode NNCheckpointAttributeType(NNCheckpoint ckpt, const char obj[], const char name[], H5T_class_t *cls, size_t *size,
                                                PetscBool *issigned)
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
static PetscErrorCode NNCheckpointRequireAttribute(NNCheckpoint ckpt, const char obj[], const char name[], H5T_class_t cls)
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
static PetscErrorCode NNCheckpointDeleteAttribute(NNCheckpoint ckpt, const char obj[], const char name[])
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
static PetscErrorCode NNCheckpointWriteUInt64(NNCheckpoint ckpt, const char obj[], const char name[], uint64_t value)
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

static PetscErrorCode NNCheckpointReadUInt64(NNCheckpoint ckpt, const char obj[], const char name[], uint64_t *value)
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

static PetscErrorCode NNCheckpointReadInt(NNCheckpoint ckpt, const char obj[], const char name[], PetscInt *value)
{
  PetscFunctionBegin;
  PetscCall(NNCheckpointRequireAttribute(ckpt, obj, name, H5T_INTEGER));
  PetscCall(PetscViewerHDF5ReadAttribute(ckpt->viewer, obj, name, PETSC_INT, NULL, value));
  PetscFunctionReturn(0);
}

/* Reads the string attribute obj/name into value[len] */
static PetscErrorCode NNCheckpointReadString(NNCheckpoint ckpt, const char obj[], const char name[], char value[], size_t len)
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
/* Checksums                                                                                      */

/* The splitmix64 finalizer: a bijective 64-bit mixer */
static inline uint64_t NNMix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static PetscErrorCode NNCheckpointArrayChecksum(Vec x, uint64_t *sum)
{
  const PetscScalar *a;
  PetscInt           lo, hi, N;
  uint64_t           local = 0, global;

  PetscFunctionBegin;
  PetscCall(VecGetSize(x, &N));
  PetscCall(VecGetOwnershipRange(x, &lo, &hi));
  PetscCall(VecGetArrayRead(x, &a));
  for (PetscInt i = lo; i < hi; i++) {
    uint64_t bits[sizeof(PetscScalar) / sizeof(uint64_t)], h = NNMix64((uint64_t)i + 0x9e3779b97f4a7c15ULL);

    memcpy(bits, &a[i - lo], sizeof(PetscScalar));
    for (size_t k = 0; k < sizeof(bits) / sizeof(bits[0]); k++) h = NNMix64(h + bits[k]);
    local += h;
  }
  PetscCall(VecRestoreArrayRead(x, &a));
  PetscCallMPI(MPI_Allreduce(&local, &global, 1, MPI_UINT64_T, MPI_SUM, PetscObjectComm((PetscObject)x)));
  *sum = NNMix64(global ^ NNMix64((uint64_t)N));
  PetscFunctionReturn(0);
}

/*
  NNCheckpointVecChecksum - a 64-bit checksum of the values of a Vec in the order in which
  VecView() writes them (natural ordering for a DMDA Vec), independent of the number of ranks:
  mix(sum_i mix(mix(i + c) + bits(x_i)) xor mix(N)) with the splitmix64 mixer and the sum taken
  modulo 2^64, so each rank can add its own entries in any order.
*/
static PetscErrorCode NNCheckpointVecChecksum(Vec x, uint64_t *sum)
{
  DM        dm;
  PetscBool isda = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(VecGetDM(x, &dm));
  if (dm) PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMDA, &isda));
  if (isda) {
    Vec natural;

    PetscCall(DMDACreateNaturalVector(dm, &natural));
    PetscCall(DMDAGlobalToNaturalBegin(dm, x, INSERT_VALUES, natural));
    PetscCall(DMDAGlobalToNaturalEnd(dm, x, INSERT_VALUES, natural));
    PetscCall(NNCheckpointArrayChecksum(natural, sum));
    PetscCall(VecDestroy(&natural));
  } else
    PetscCall(NNCheckpointArrayChecksum(x, sum));
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Vec datasets                                                                                   */

/* Writes x as the dataset group/name with its checksum */
static PetscErrorCode NNCheckpointWriteVec_Private(NNCheckpoint ckpt, const char group[], const char name[], Vec x)
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
static PetscErrorCode NNCheckpointReadVec_Private(NNCheckpoint ckpt, const char group[], const char name[], const char what[], Vec x)
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

/* ---------------------------------------------------------------------------------------------- */
/* File trailer: NNCheckpointClose() appends 24 bytes after the HDF5 data (which HDF5 ignores):
   "NNPDECK1", the length n of the HDF5 part and a 64-bit hash of those n bytes, both
   little-endian. Opening verifies it on rank 0 before HDF5 parses anything, so a truncated,
   interrupted or corrupted file is reported instead of crashing HDF5.                            */

#define NN_TRAILER_MAGIC "NNPDECK1"
#define NN_TRAILER_SIZE 24

static void NNPutLE64(unsigned char b[8], uint64_t v)
{
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t NNGetLE64(const unsigned char b[8])
{
  uint64_t v = 0;

  for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

/* The hash of the first n bytes of f: each little-endian 64-bit word w (the last one padded with
   zeros) updates h = xorshift(29)((h ^ w) * c), a bijection in h and in w, so any change of one
   word is always detected; then h is mixed with n. */
static int NNFileHash(FILE *f, uint64_t n, uint64_t *hash)
{
  const size_t   chunk = 1 << 20; /* a multiple of 8 */
  unsigned char *buf;
  uint64_t       h = 0xcbf29ce484222325ULL, left = n;
  int            ok;

  if (fseeko(f, 0, SEEK_SET)) return -1;
  buf = (unsigned char *)malloc(chunk);
  ok  = buf != NULL;
  while (ok && left) {
    size_t want = left < chunk ? (size_t)left : chunk;

    ok = fread(buf, 1, want, f) == want;
    if (!ok) break;
    if (want % 8) memset(buf + want, 0, 8 - want % 8);
    for (size_t i = 0; i < want; i += 8) {
      h ^= NNGetLE64(buf + i);
      h *= 0x9e3779b97f4a7c15ULL;
      h ^= h >> 29;
    }
    left -= want;
  }
  free(buf);
  if (!ok) return -1;
  *hash = NNMix64(h ^ n);
  return 0;
}

/* Rank 0, after the parallel close: appends the trailer and syncs the file. Returns 0 or errno. */
static int NNFileSeal(const char file[])
{
  FILE         *f = fopen(file, "r+b");
  unsigned char t[NN_TRAILER_SIZE];
  off_t         size;
  uint64_t      hash;
  int           err = 0;

  if (!f) return errno ? errno : EIO;
  if (fseeko(f, 0, SEEK_END) || (size = ftello(f)) < 0) err = errno ? errno : EIO;
  if (!err && NNFileHash(f, (uint64_t)size, &hash)) err = errno ? errno : EIO;
  if (!err) {
    memcpy(t, NN_TRAILER_MAGIC, 8);
    NNPutLE64(t + 8, (uint64_t)size);
    NNPutLE64(t + 16, hash);
    if (fseeko(f, size, SEEK_SET) || fwrite(t, 1, sizeof(t), f) != sizeof(t) || fflush(f)) err = errno ? errno : EIO;
  }
  if (!err && fsync(fileno(f))) err = errno;
  if (fclose(f) && !err) err = errno ? errno : EIO;
  return err;
}

typedef enum { NN_TRAILER_OK, NN_TRAILER_MISSING, NN_TRAILER_MISMATCH } NNTrailerStatus;

/* Rank 0: checks the trailer of a readable file; msg explains a mismatch */
static NNTrailerStatus NNFileVerify(const char file[], char msg[256])
{
  FILE           *f = fopen(file, "rb");
  unsigned char   t[NN_TRAILER_SIZE];
  off_t           size = -1;
  uint64_t        n, stored, hash;
  NNTrailerStatus status = NN_TRAILER_MISSING;

  if (!f) return NN_TRAILER_MISSING;
  if (!fseeko(f, 0, SEEK_END)) size = ftello(f);
  if (size >= NN_TRAILER_SIZE && !fseeko(f, size - NN_TRAILER_SIZE, SEEK_SET) && fread(t, 1, sizeof(t), f) == sizeof(t) &&
      !memcmp(t, NN_TRAILER_MAGIC, 8)) {
    n      = NNGetLE64(t + 8);
    stored = NNGetLE64(t + 16);
    if (n != (uint64_t)size - NN_TRAILER_SIZE) {
      snprintf(msg, 256, "its trailer describes %llu bytes of data, but it has %llu", (unsigned long long)n,
               (unsigned long long)(size - NN_TRAILER_SIZE));
      status = NN_TRAILER_MISMATCH;
    } else if (NNFileHash(f, n, &hash)) {
      snprintf(msg, 256, "reading it failed: %s", strerror(errno));
      status = NN_TRAILER_MISMATCH;
    } else if (hash != stored) {
      snprintf(msg, 256, "the checksum of its %llu bytes is %016llx, but its trailer records %016llx", (unsigned long long)n,
               (unsigned long long)hash, (unsigned long long)stored);
      status = NN_TRAILER_MISMATCH;
    } else
      status = NN_TRAILER_OK;
  }
  fclose(f);
  return status;
}

/* ---------------------------------------------------------------------------------------------- */
/* Open and close                                                                                 */

typedef enum {
  NN_PROBE_OK,
  NN_PROBE_MISSING,
  NN_PROBE_UNREADABLE,
  NN_PROBE_DIRECTORY,
  NN_PROBE_NOT_HDF5,
  NN_PROBE_NO_TRAILER,
  NN_PROBE_BAD_TRAILER,
  NN_PROBE_CANNOT_OPEN
} NNCheckpointProbe;

/* On rank 0: can the file be opened as HDF5? The verdict is broadcast so all ranks fail together. */
static PetscErrorCode NNCheckpointProbeFile(NNCheckpoint ckpt)
{
  PetscMPIInt rank;
  int         verdict[2]  = {NN_PROBE_OK, 0};
  char        detail[256] = "";

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(ckpt->comm, &rank));
  if (rank == 0) {
    struct stat st;

    if (stat(ckpt->file, &st)) {
      verdict[0] = errno == ENOENT ? NN_PROBE_MISSING : NN_PROBE_UNREADABLE;
      verdict[1] = errno;
    } else if (S_ISDIR(st.st_mode)) {
      verdict[0] = NN_PROBE_DIRECTORY;
    } else if (access(ckpt->file, R_OK)) {
      verdict[0] = NN_PROBE_UNREADABLE;
      verdict[1] = errno;
    } else {
      NNH5ErrorState  s;
      htri_t          ish5;
      NNTrailerStatus trailer;

      NNH5Silence(&s);
      ish5 = H5Fis_hdf5(ckpt->file); /* reads the signature only */
      if (ish5 <= 0) {
        verdict[0] = NN_PROBE_NOT_HDF5;
        (void)H5Eclear2(H5E_DEFAULT);
      } else if ((trailer = NNFileVerify(ckpt->file, detail)) != NN_TRAILER_OK) {
        verdict[0] = trailer == NN_TRAILER_MISSING ? NN_PROBE_NO_TRAILER : NN_PROBE_BAD_TRAILER;
      } else {
        hid_t fid = H5Fopen(ckpt->file, H5F_ACC_RDONLY, H5P_DEFAULT);

        if (fid < 0) {
          verdict[0] = NN_PROBE_CANNOT_OPEN;
          NNH5LastError(detail);
        } else
          (void)H5Fclose(fid);
      }
      NNH5Restore(&s);
    }
  }
  PetscCallMPI(MPI_Bcast(verdict, 2, MPI_INT, 0, ckpt->comm));
  PetscCallMPI(MPI_Bcast(detail, sizeof(detail), MPI_CHAR, 0, ckpt->comm));
  switch ((NNCheckpointProbe)verdict[0]) {
  case NN_PROBE_OK:
    break;
  case NN_PROBE_MISSING:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_OPEN, "Checkpoint file %s does not exist", ckpt->file);
  case NN_PROBE_UNREADABLE:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_OPEN, "Cannot read checkpoint file %s: %s", ckpt->file, strerror(verdict[1]));
  case NN_PROBE_DIRECTORY:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_OPEN, "Checkpoint file %s is a directory", ckpt->file);
  case NN_PROBE_NOT_HDF5:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "%s is not an HDF5 file (corrupt or truncated?)", ckpt->file);
  case NN_PROBE_CANNOT_OPEN:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "HDF5 cannot open checkpoint %s, the file is truncated or corrupt (HDF5: %s)", ckpt->file, detail);
  case NN_PROBE_NO_TRAILER:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_UNEXPECTED,
            "%s is not a complete nnpde checkpoint: it does not end with the trailer that NNCheckpointClose() writes (truncated, interrupted, or "
            "written by another program?)",
            ckpt->file);
  case NN_PROBE_BAD_TRAILER:
    SETERRQ(ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s is corrupt: %s", ckpt->file, detail);
  }
  PetscFunctionReturn(0);
}

/* The directory part of a file name ("." when there is none) */
static PetscErrorCode NNCheckpointDirectory(const char file[], char dir[], size_t len)
{
  char *slash;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(dir, file, len));
  slash = strrchr(dir, '/');
  if (!slash)
    PetscCall(PetscStrncpy(dir, ".", len));
  else if (slash == dir)
    dir[1] = 0;
  else
    *slash = 0;
  PetscFunctionReturn(0);
}

/*@C
  NNFileCheckWritable - Checks, before any work is done, that a file can be created or
  overwritten: its directory exists, is a directory and is writable, and the file is not a
  directory. The error names what the file is for (e.g. the option that gave it), the file and
  the reason, on every rank.

  Collective

  Input Parameters:
+ comm - the ranks that will write it (rank 0 checks)
. file - the file name
- what - what the file is, for the message (e.g. "-pinn_checkpoint")

  Level: intermediate
@*/
PetscErrorCode NNFileCheckWritable(MPI_Comm comm, const char file[], const char what[])
{
  PetscMPIInt rank;
  int         err[2] = {0, 0}; /* errno, and whether it is about the directory */
  char        dir[PETSC_MAX_PATH_LEN];
  struct stat st;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCheck(file && file[0], comm, PETSC_ERR_ARG_WRONG, "%s: no file name given", what);
  PetscCall(NNCheckpointDirectory(file, dir, sizeof(dir)));
  if (rank == 0) {
    err[1] = 1;
    if (stat(dir, &st))
      err[0] = errno;
    else if (!S_ISDIR(st.st_mode))
      err[0] = ENOTDIR;
    else if (access(dir, W_OK | X_OK))
      err[0] = errno;
    else if (!stat(file, &st) && S_ISDIR(st.st_mode))
      err[0] = EISDIR, err[1] = 0;
  }
  PetscCallMPI(MPI_Bcast(err, 2, MPI_INT, 0, comm));
  PetscCheck(!err[0] || !err[1], comm, PETSC_ERR_FILE_WRITE, "Cannot write %s %s: directory %s: %s", what, file, dir, strerror(err[0]));
  PetscCheck(!err[0], comm, PETSC_ERR_FILE_WRITE, "Cannot write %s %s: %s", what, file, strerror(err[0]));
  PetscFunctionReturn(0);
}

/* On rank 0: can the temporary file be created? (HDF5 alone would only say that H5Fcreate failed) */
static PetscErrorCode NNCheckpointProbeWritable(NNCheckpoint ckpt)
{
  PetscFunctionBegin;
  PetscCall(NNFileCheckWritable(ckpt->comm, ckpt->file, "checkpoint"));
  PetscFunctionReturn(0);
}

/* Destroys a viewer whose file could not be opened: PETSc flushes the invalid file id and fails,
   so ignore that (the viewer may leak) */
static PetscErrorCode NNViewerDestroyQuietly(PetscViewer *viewer)
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
static PetscErrorCode NNCheckpointOpenViewer(NNCheckpoint ckpt, const char fname[])
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

static PetscErrorCode NNCheckpointWriteMeta(NNCheckpoint ckpt)
{
  PetscInt version = NNPDE_CHECKPOINT_FORMAT_VERSION;
  char     buf[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "format_version", PETSC_INT, &version));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "library_version", PETSC_STRING, NNPDE_VERSION_STRING));
  PetscCall(PetscGetVersion(buf, sizeof(buf)));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "petsc_version", PETSC_STRING, buf));
  /* every rank must write the same value: take rank 0's */
  PetscCall(PetscGetProgramName(buf, sizeof(buf)));
  PetscCallMPI(MPI_Bcast(buf, sizeof(buf), MPI_CHAR, 0, ckpt->comm));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "writer", PETSC_STRING, buf));
  PetscCall(PetscGetDate(buf, sizeof(buf)));
  PetscCallMPI(MPI_Bcast(buf, sizeof(buf), MPI_CHAR, 0, ckpt->comm));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "date", PETSC_STRING, buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointCheckMeta(NNCheckpoint ckpt)
{
  PetscBool has;
  PetscInt  version;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, "/meta", "format_version", &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "%s is an HDF5 file but not an nnpde checkpoint (it has no /meta/format_version)",
             ckpt->file);
  PetscCall(NNCheckpointReadInt(ckpt, "/meta", "format_version", &version));
  PetscCheck(version == NNPDE_CHECKPOINT_FORMAT_VERSION, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED,
             "Checkpoint %s has format version %" PetscInt_FMT ", but this nnpde (%s) reads format version %d", ckpt->file, version,
             NNPDE_VERSION_STRING, NNPDE_CHECKPOINT_FORMAT_VERSION);
  PetscFunctionReturn(0);
}

/* Abandons a checkpoint being written: closes the viewer, ignoring errors since the file may be in
   any state, and removes the temporary file; an existing checkpoint stays as it was */
static PetscErrorCode NNCheckpointDiscard(NNCheckpoint ckpt)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCall(NNViewerDestroyQuietly(&ckpt->viewer));
  PetscCallMPI(MPI_Barrier(ckpt->comm));
  PetscCallMPI(MPI_Comm_rank(ckpt->comm, &rank));
  if (rank == 0) (void)unlink(ckpt->tmpfile);
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointDestroy_Private(NNCheckpoint *ckpt)
{
  PetscFunctionBegin;
  if (!*ckpt) PetscFunctionReturn(0);
  PetscCall(PetscViewerDestroy(&(*ckpt)->viewer));
  PetscCall(PetscFree(*ckpt));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointOpen_Private(NNCheckpoint ckpt)
{
  PetscFunctionBegin;
  if (ckpt->mode == FILE_MODE_WRITE) {
    PetscCall(NNCheckpointProbeWritable(ckpt));
    PetscCall(NNCheckpointOpenViewer(ckpt, ckpt->tmpfile));
    PetscCall(NNCheckpointWriteMeta(ckpt));
  } else {
    PetscCall(NNCheckpointProbeFile(ckpt));
    PetscCall(NNCheckpointOpenViewer(ckpt, ckpt->file));
    PetscCall(NNCheckpointCheckMeta(ckpt));
  }
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointOpen - Opens a checkpoint for writing or reading.

  Collective

  Input Parameters:
+ comm - the communicator; every rank takes part in every read and write
. file - the checkpoint file name
- mode - `FILE_MODE_WRITE` or `FILE_MODE_READ`

  Output Parameter:
. ckpt - the checkpoint

  Notes:
  For writing, the data goes to "<file>.tmp" (created or truncated), which `NNCheckpointClose()`
  syncs and renames over <file>; a run killed before that leaves an existing <file> intact and a
  stale "<file>.tmp" that the next write overwrites.

  For reading, the file must exist, end with the trailer that `NNCheckpointClose()` appends (a hash
  of the whole file, checked on rank 0 before HDF5 parses anything, so a truncated or corrupted
  file gives an error and never crashes HDF5) and carry the current
  `NNPDE_CHECKPOINT_FORMAT_VERSION`; otherwise the error names the file and the problem. Every Vec
  read later is also checked against its own checksum. Verifying the trailer reads the whole file
  once on rank 0.

  Vecs are stored in global order, so a checkpoint written on any number of ranks can be read on
  any other number.

  Level: beginner

.seealso: `NNCheckpointClose()`, `NNCheckpointWriteNN()`, `NNCheckpointReadNN()`
@*/
PetscErrorCode NNCheckpointOpen(MPI_Comm comm, const char file[], PetscFileMode mode, NNCheckpoint *ckpt)
{
  NNCheckpoint   c;
  size_t         len;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscValidCharPointer(file, 2);
  PetscValidPointer(ckpt, 4);
  *ckpt = NULL;
  PetscCall(NNInitializePackage());
  PetscCheck(mode == FILE_MODE_WRITE || mode == FILE_MODE_READ, comm, PETSC_ERR_SUP, "Checkpoints are opened with FILE_MODE_WRITE or FILE_MODE_READ");
  PetscCall(PetscStrlen(file, &len));
  PetscCheck(len > 0 && len + 5 < PETSC_MAX_PATH_LEN, comm, PETSC_ERR_ARG_WRONG, "Invalid checkpoint file name \"%s\"", file);
  PetscCall(PetscNew(&c));
  c->comm = comm;
  c->mode = mode;
  PetscCall(PetscStrncpy(c->file, file, sizeof(c->file)));
  PetscCall(PetscSNPrintf(c->tmpfile, sizeof(c->tmpfile), "%s.tmp", file));

  if (mode == FILE_MODE_WRITE)
    PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
  else
    PetscCall(PetscLogEventBegin(NN_CheckpointRead, 0, 0, 0, 0));
  ierr = NNCheckpointOpen_Private(c);
  if (mode == FILE_MODE_WRITE)
    PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
  else
    PetscCall(PetscLogEventEnd(NN_CheckpointRead, 0, 0, 0, 0));
  /* Only once the file is open is there anything to discard. Before that the errors are collective
     (the checks agree on every rank): PETSc's error handler keeps ranks other than 0 from
     returning, so a collective clean-up here would hang rank 0 until they exit, 10 s later, and
     cut its error message short. */
  if (ierr && mode == FILE_MODE_WRITE && c->viewer) PetscCall(NNCheckpointDiscard(c));
  if (ierr) PetscCall(NNCheckpointDestroy_Private(&c));
  PetscCall(ierr);
  *ckpt = c;
  PetscFunctionReturn(0);
}

/* Rank 0 appends the trailer to the temporary file, syncs it, renames it over the checkpoint and
   syncs the directory */
static PetscErrorCode NNCheckpointCommit(NNCheckpoint ckpt)
{
  PetscMPIInt rank;
  int         failure[2] = {0, 0}; /* step that failed, errno */

  PetscFunctionBegin;
  PetscCallMPI(MPI_Barrier(ckpt->comm));
  PetscCallMPI(MPI_Comm_rank(ckpt->comm, &rank));
  if (rank == 0) {
    if ((failure[1] = NNFileSeal(ckpt->tmpfile))) failure[0] = 1;
    if (!failure[0] && rename(ckpt->tmpfile, ckpt->file)) {
      failure[0] = 2;
      failure[1] = errno;
    }
    if (!failure[0]) { /* make the rename durable; best effort, some file systems cannot sync directories */
      char dir[PETSC_MAX_PATH_LEN];
      int  fd;

      PetscCall(NNCheckpointDirectory(ckpt->file, dir, sizeof(dir)));
      fd = open(dir, O_RDONLY);
      if (fd >= 0) {
        (void)fsync(fd);
        (void)close(fd);
      }
    }
  }
  PetscCallMPI(MPI_Bcast(failure, 2, MPI_INT, 0, ckpt->comm));
  PetscCheck(failure[0] != 1, ckpt->comm, PETSC_ERR_FILE_WRITE, "Cannot complete and sync %s: %s", ckpt->tmpfile, strerror(failure[1]));
  PetscCheck(failure[0] != 2, ckpt->comm, PETSC_ERR_FILE_WRITE, "Cannot rename %s to %s: %s", ckpt->tmpfile, ckpt->file, strerror(failure[1]));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointClose - Closes a checkpoint. After writing, closes the HDF5 file, appends the
  trailer (a hash of the file), syncs it to disk and atomically renames "<file>.tmp" to <file>.

  Collective

  Input Parameter:
. ckpt - the checkpoint, set to NULL on return (NULL is allowed)

  Note:
  If a write into the checkpoint failed (returned an error), closing discards "<file>.tmp" and
  returns an error: a partial checkpoint is never put in place of <file>.

  Level: beginner

.seealso: `NNCheckpointOpen()`
@*/
PetscErrorCode NNCheckpointClose(NNCheckpoint *ckpt)
{
  NNCheckpoint c;

  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  c = *ckpt;
  if (!c) PetscFunctionReturn(0);
  *ckpt = NULL;
  if (c->mode == FILE_MODE_WRITE && c->incomplete) {
    MPI_Comm comm = c->comm;
    char     file[PETSC_MAX_PATH_LEN];

    PetscCall(PetscStrncpy(file, c->file, sizeof(file)));
    PetscCall(NNCheckpointDiscard(c));
    PetscCall(NNCheckpointDestroy_Private(&c));
    SETERRQ(comm, PETSC_ERR_ARG_WRONGSTATE, "Checkpoint %s was not written because an earlier write into it failed; any previous %s is unchanged",
            file, file);
  }
  if (c->mode == FILE_MODE_WRITE) {
    PetscErrorCode ierr;

    PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
    PetscCall(PetscViewerDestroy(&c->viewer)); /* H5Fclose: everything is on disk (in the page cache) */
    ierr = NNCheckpointCommit(c);
    PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
    if (ierr) PetscCall(NNCheckpointDestroy_Private(&c));
    PetscCall(ierr);
  }
  PetscCall(NNCheckpointDestroy_Private(&c));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointGetViewer - The `PETSCVIEWERHDF5` viewer of an open checkpoint, for writing or
  reading further objects (borrowed; do not destroy it).

  Not Collective

  Input Parameter:
. ckpt - the checkpoint

  Output Parameter:
. viewer - the viewer

  Note:
  Objects written through the viewer are covered by the hash in the file's trailer but have no
  checksum of their own; keep them out of the groups that nnpde uses (/meta, /nn, /optimizer,
  /rng, /train, /data).

  Level: advanced

.seealso: `NNCheckpointOpen()`
@*/
PetscErrorCode NNCheckpointGetViewer(NNCheckpoint ckpt, PetscViewer *viewer)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidPointer(viewer, 2);
  *viewer = ckpt->viewer;
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Networks                                                                                       */

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
  PetscCall(PetscSNPrintf(what, sizeof(what), "the parameters of network '%s'", name));
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

/* ---------------------------------------------------------------------------------------------- */
/* Optimizer                                                                                      */

static PetscErrorCode NNCheckpointWriteOptimizer_Private(NNCheckpoint ckpt, Tao tao)
{
  TaoType   type;
  PetscBool isadam;
  PetscInt  its;

  PetscFunctionBegin;
  PetscCall(TaoGetType(tao, &type));
  PetscCheck(type, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "Set the Tao type before writing it to checkpoint %s", ckpt->file);
  PetscCall(PetscObjectTypeCompare((PetscObject)tao, TAOADAM, &isadam));
  if (isadam) {
    Vec      m, v, vmax;
    PetscInt step, amsgrad;

    PetscCall(TaoAdamGetState(tao, &m, &v, &vmax, &step));
    PetscCheck(m && v, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE,
               "The Adam Tao has no state to write to checkpoint %s yet: call TaoSetUp() or TaoSolve() first", ckpt->file);
    amsgrad = vmax ? 1 : 0;
    PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "m", m));
    PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "v", v));
    if (vmax) PetscCall(NNCheckpointWriteVec_Private(ckpt, "/optimizer", "vmax", vmax));
    PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/optimizer", "step", PETSC_INT, &step));
    PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/optimizer", "amsgrad", PETSC_INT, &amsgrad));
  } else {
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
  NNCheckpointWriteOptimizer - Writes the state of an optimizer as /optimizer: for `TAOADAM` the
  moments m and v, the AMSGrad maximum vmax when enabled and the step counter; for other types the
  current solution. The type name and the total iteration count are stored too.

  Collective

  Input Parameters:
+ ckpt - a checkpoint opened for writing
- tao  - the optimizer (set up)

  Level: intermediate

.seealso: `NNCheckpointReadOptimizer()`, `TaoAdamGetState()`
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
  TaoType   type;
  char      stored[256];
  PetscBool has, same, isadam;
  PetscInt  its;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasGroup(ckpt->viewer, "/optimizer", &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s has no optimizer state (no group /optimizer)", ckpt->file);
  PetscCall(TaoGetType(tao, &type));
  PetscCheck(type, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "Set the Tao type before reading its state from checkpoint %s", ckpt->file);
  PetscCall(NNCheckpointReadString(ckpt, "/optimizer", "type", stored, sizeof(stored)));
  PetscCall(PetscStrcmp(stored, type, &same));
  PetscCheck(same, ckpt->comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s holds the state of a Tao of type %s, but the Tao is of type %s", ckpt->file,
             stored, type);
  PetscCall(PetscObjectTypeCompare((PetscObject)tao, TAOADAM, &isadam));
  if (isadam) {
    Vec      m, v, vmax;
    PetscInt step, samsgrad;

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
  } else {
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

/* ---------------------------------------------------------------------------------------------- */
/* Random numbers                                                                                 */

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

/* ---------------------------------------------------------------------------------------------- */
/* Free Vecs                                                                                      */

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

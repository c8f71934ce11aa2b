/* The file layer of checkpoints: Vec checksums, the trailer (a hash of the whole file, appended
   after the HDF5 data), probes that a file can be read or written before HDF5 touches it, and the
   commit (seal, fsync, atomic rename, directory sync). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <petscdmda.h>
#include <nnpde/private/checkpointimpl.h>

/* ---------------------------------------------------------------------------------------------- */
/* Checksums                                                                                      */

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
PetscErrorCode NNCheckpointVecChecksum(Vec x, uint64_t *sum)
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
/* Probes before opening, and the commit after closing                                            */

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
PetscErrorCode NNCheckpointProbeFile(NNCheckpoint ckpt)
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

/* The directory part of a file name ("." when there is none). Plain C, so that rank 0 may call it alone. */
static void NNCheckpointDirectory(const char file[], char dir[], size_t len)
{
  const char *slash = strrchr(file, '/');

  if (!slash)
    snprintf(dir, len, ".");
  else if (slash == file)
    snprintf(dir, len, "/");
  else
    snprintf(dir, len, "%.*s", (int)(slash - file), file);
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
  NNCheckpointDirectory(file, dir, sizeof(dir));
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

/* The absolute name of file with its directory resolved (links, "..") and its last component kept; the name itself
   when the directory does not resolve. A symbolic link is followed first, also when its target does not exist yet
   (writing through it creates the target). Plain C: rank 0 calls it alone, before a broadcast, so it must not fail. */
static void NNFileResolve(const char file[], char out[], size_t len)
{
  char        name[PATH_MAX], dir[PETSC_MAX_PATH_LEN], real[PATH_MAX];
  const char *slash;

  snprintf(name, sizeof(name), "%s", file);
  for (int hop = 0; hop < 40; hop++) { /* 40: the kernel's own limit on a chain of links */
    struct stat st;
    char        target[PATH_MAX], next[PATH_MAX];
    ssize_t     n;
    int         w;

    if (lstat(name, &st) || !S_ISLNK(st.st_mode)) break;
    n = readlink(name, target, sizeof(target) - 1);
    if (n <= 0) break;
    target[n] = 0;
    if (target[0] == '/')
      w = snprintf(next, sizeof(next), "%s", target);
    else { /* relative to the link's directory */
      NNCheckpointDirectory(name, dir, sizeof(dir));
      w = snprintf(next, sizeof(next), "%s/%s", dir, target);
    }
    if (w < 0 || (size_t)w >= sizeof(next)) break; /* too long to follow: compare the link's own name */
    memcpy(name, next, (size_t)w + 1);
  }
  slash = strrchr(name, '/');
  NNCheckpointDirectory(name, dir, sizeof(dir));
  if (!realpath(dir, real))
    snprintf(out, len, "%s", name);
  else
    snprintf(out, len, "%s/%s", real, slash ? slash + 1 : name);
}

/*@C
  NNFileSame - Whether two file names name the same file: the same inode when both exist (hard and
  symbolic links, "./a" and "a"), else the same name once symbolic links and directories are resolved
  (a link to a file that does not exist yet names that file)

  Collective

  Input Parameters:
+ comm - the ranks that need the answer (rank 0 looks)
. a    - a file name
- b    - another

  Output Parameter:
. same - `PETSC_TRUE` when they are one file

  Level: intermediate

.seealso: `NNFileCheckWritable()`
@*/
PetscErrorCode NNFileSame(MPI_Comm comm, const char a[], const char b[], PetscBool *same)
{
  PetscMPIInt rank;
  int         result = 0;

  PetscFunctionBegin;
  PetscValidCharPointer(a, 2);
  PetscValidCharPointer(b, 3);
  PetscValidBoolPointer(same, 4);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    struct stat sa, sb;

    if (!stat(a, &sa) && !stat(b, &sb))
      result = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    else {
      char ra[PETSC_MAX_PATH_LEN + PATH_MAX], rb[PETSC_MAX_PATH_LEN + PATH_MAX];

      NNFileResolve(a, ra, sizeof(ra));
      NNFileResolve(b, rb, sizeof(rb));
      result = !strcmp(ra, rb);
    }
  }
  PetscCallMPI(MPI_Bcast(&result, 1, MPI_INT, 0, comm));
  *same = result ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* On rank 0: can the temporary file be created? (HDF5 alone would only say that H5Fcreate failed) */
PetscErrorCode NNCheckpointProbeWritable(NNCheckpoint ckpt)
{
  PetscFunctionBegin;
  PetscCall(NNFileCheckWritable(ckpt->comm, ckpt->file, "checkpoint"));
  PetscFunctionReturn(0);
}
/* Rank 0 appends the trailer to the temporary file, syncs it, renames it over the checkpoint and
   syncs the directory */
PetscErrorCode NNCheckpointCommit(NNCheckpoint ckpt)
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

      NNCheckpointDirectory(ckpt->file, dir, sizeof(dir));
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

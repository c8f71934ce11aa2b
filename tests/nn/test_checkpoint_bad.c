/* Bad checkpoints: every case must come back as a PETSc error of the expected class whose message
   names the file (no crash, no HDF5 abort). The first line of each message is printed on rank 0.

   Files that need HDF5 surgery are resealed afterwards with an independent implementation of the
   trailer that NNCheckpointClose() appends, so that the intended error is the one reported.

   Options: -prefix <p> prefix of the scratch files (default checkpoint_bad_) */
#define _POSIX_C_SOURCE 200809L
#include <nnpde.h>
#include <petscviewerhdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char prefix[PETSC_MAX_PATH_LEN] = "checkpoint_bad_";

static PetscErrorCode FileName(const char name[], char file[])
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(file, PETSC_MAX_PATH_LEN, "%s%s", prefix, name));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateNN(PetscInt w0, NNActivation act, NN *nn)
{
  const PetscInt widths[2] = {w0, 6};

  PetscFunctionBegin;
  PetscCall(NNCreate(PETSC_COMM_WORLD, nn));
  PetscCall(NNSetSizes(*nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(*nn, 2, widths));
  PetscCall(NNMLPSetActivation(*nn, act));
  PetscCall(NNSetSeed(*nn, 11));
  PetscCall(NNSetUp(*nn));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateTao(NN nn, TaoType type, PetscBool amsgrad, Tao *tao)
{
  Vec P;

  PetscFunctionBegin;
  PetscCall(NNGetParameters(nn, &P));
  PetscCall(TaoCreate(PETSC_COMM_WORLD, tao));
  PetscCall(TaoSetType(*tao, type));
  if (amsgrad) PetscCall(TaoAdamSetAMSGrad(*tao, PETSC_TRUE));
  PetscCall(TaoSetSolution(*tao, P));
  PetscFunctionReturn(0);
}

/* ---- file surgery on rank 0 ------------------------------------------------------------------ */

/* Copies the first keep bytes (all when keep is 0, all but -keep when negative) */
static PetscErrorCode CopyFile(const char from[], const char to[], long keep)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    FILE *in = fopen(from, "rb"), *out;
    long  size, n = 0;
    int   ch;

    PetscCheck(in, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", from);
    out = fopen(to, "wb");
    PetscCheck(out, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot create %s", to);
    PetscCheck(!fseek(in, 0, SEEK_END), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "fseek");
    size = ftell(in);
    rewind(in);
    if (keep < 0) keep = size + keep;          /* negative: drop that many bytes at the end */
    if (keep == 0 || keep > size) keep = size; /* 0: all */
    while (n < keep && (ch = fgetc(in)) != EOF) {
      fputc(ch, out);
      n++;
    }
    fclose(in);
    PetscCheck(!fclose(out), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot write %s", to);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Whether a file exists, as rank 0 sees it after everyone got here */
static PetscErrorCode FileExists(const char file[], PetscBool *exists)
{
  PetscMPIInt rank;
  int         e = 0;
  struct stat st;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) e = !stat(file, &st);
  PetscCallMPI(MPI_Bcast(&e, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  *exists = e ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode FileSize(const char file[], long *size)
{
  struct stat st;

  PetscFunctionBegin;
  PetscCheck(!stat(file, &st), PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot stat %s", file);
  *size = (long)st.st_size;
  PetscFunctionReturn(0);
}

/* Writes n pseudo-random bytes (fixed LCG) */
static PetscErrorCode WriteRandomBytes(const char file[], int n)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    FILE    *out = fopen(file, "wb");
    uint32_t s   = 12345;

    PetscCheck(out, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot create %s", file);
    for (int i = 0; i < n; i++) {
      s = 1664525u * s + 1013904223u;
      fputc((int)(s >> 24), out);
    }
    PetscCheck(!fclose(out), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot write %s", file);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* The trailer, as documented in nn/checkpoint/file.c: "NNPDECK1", n and hash(n bytes), little-endian;
   hash: h = FNV offset; per 64-bit little-endian word w (zero-padded): h = xorshift29((h ^ w) * c);
   then splitmix64(h ^ n). Reimplemented here to check the format. */
static uint64_t Mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void PutLE64(unsigned char *b, uint64_t v)
{
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

/* Rank 0: removes the trailer (if any) and appends a fresh one for the current contents */
static PetscErrorCode Reseal(const char file[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    FILE         *f = fopen(file, "rb");
    long          size, n;
    unsigned char t[24], *buf;
    uint64_t      h = 0xcbf29ce484222325ULL;

    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", file);
    PetscCheck(!fseek(f, 0, SEEK_END), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "fseek");
    size = ftell(f);
    n    = size;
    if (size >= 24 && !fseek(f, size - 24, SEEK_SET) && fread(t, 1, 24, f) == 24 && !memcmp(t, "NNPDECK1", 8)) n = size - 24;
    buf = (unsigned char *)calloc((size_t)n + 8, 1);
    PetscCheck(buf, PETSC_COMM_SELF, PETSC_ERR_MEM, "calloc");
    rewind(f);
    PetscCheck(fread(buf, 1, (size_t)n, f) == (size_t)n, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot read %s", file);
    fclose(f);
    for (long i = 0; i < n; i += 8) {
      uint64_t w = 0;

      for (int k = 7; k >= 0; k--) w = (w << 8) | buf[i + k];
      h ^= w;
      h *= 0x9e3779b97f4a7c15ULL;
      h ^= h >> 29;
    }
    memcpy(t, "NNPDECK1", 8);
    PutLE64(t + 8, (uint64_t)n);
    PutLE64(t + 16, Mix64(h ^ (uint64_t)n));
    f = fopen(file, "wb");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot create %s", file);
    PetscCheck(fwrite(buf, 1, (size_t)n, f) == (size_t)n && fwrite(t, 1, 24, f) == 24 && !fclose(f), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE,
               "Cannot write %s", file);
    free(buf);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Rank 0: removes the trailer so that HDF5 can modify the file in place */
static PetscErrorCode StripTrailer(const char file[])
{
  PetscMPIInt rank;
  long        size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    PetscCall(FileSize(file, &size));
    PetscCheck(size >= 24 && !truncate(file, size - 24), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot truncate %s", file);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Flips the lowest bit of parameter 3 of /nn/u/parameters in place (file offset from HDF5) */
static PetscErrorCode FlipParameterBit(const char file[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    hid_t    fid = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT), did;
    haddr_t  addr;
    FILE    *f;
    int      ch;
    long     at;
    unsigned mask;
    hsize_t  off[1], size;

    PetscCheck(fid >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", file);
    did = H5Dopen2(fid, "/nn/u/parameters", H5P_DEFAULT);
    PetscCheck(did >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "No /nn/u/parameters in %s", file);
    addr = H5Dget_offset(did); /* contiguous layout */
    if (addr == HADDR_UNDEF) { /* chunked: the first chunk holds the first parameters */
      hid_t sid = H5Dget_space(did);

      PetscCheck(sid >= 0 && H5Dget_chunk_info(did, sid, 0, off, &mask, &addr, &size) >= 0 && H5Sclose(sid) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB,
                 "H5Dget_chunk_info");
    }
    PetscCheck(H5Dclose(did) >= 0 && H5Fclose(fid) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "H5close");
    at = (long)addr + 3 * (long)sizeof(PetscReal);
    f  = fopen(file, "r+b");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", file);
    PetscCheck(!fseek(f, at, SEEK_SET), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "fseek");
    ch = fgetc(f);
    PetscCheck(ch != EOF, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Offset beyond the end of %s", file);
    PetscCheck(!fseek(f, at, SEEK_SET), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "fseek");
    fputc(ch ^ 1, f);
    PetscCheck(!fclose(f), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot write %s", file);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Replaces /meta/format_version (deleted and recreated as a native int) */
static PetscErrorCode SetFormatVersion(const char file[], int version)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    hid_t fid = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT), sid, aid;

    PetscCheck(fid >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", file);
    PetscCheck(H5Adelete_by_name(fid, "/meta", "format_version", H5P_DEFAULT) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "H5Adelete_by_name");
    sid = H5Screate(H5S_SCALAR);
    aid = H5Acreate_by_name(fid, "/meta", "format_version", H5T_NATIVE_INT, sid, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    PetscCheck(sid >= 0 && aid >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "H5Acreate_by_name");
    PetscCheck(H5Awrite(aid, H5T_NATIVE_INT, &version) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "H5Awrite");
    PetscCheck(H5Aclose(aid) >= 0 && H5Sclose(sid) >= 0 && H5Fclose(fid) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "H5close");
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Rank 0: writes a copy of data[n] with byte at flipped (XOR 0x5a) */
static PetscErrorCode WriteFlipped(const char file[], const unsigned char *data, long n, long at)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    FILE *f = fopen(file, "wb");

    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot create %s", file);
    PetscCheck(fwrite(data, 1, (size_t)at, f) == (size_t)at && fputc(data[at] ^ 0x5a, f) != EOF &&
                   fwrite(data + at + 1, 1, (size_t)(n - at - 1), f) == (size_t)(n - at - 1) && !fclose(f),
               PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot write %s", file);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* ---- the cases -------------------------------------------------------------------------------- */

typedef enum { OP_OPEN, OP_READ_NN, OP_READ_OPTIMIZER, OP_READ_RANDOM, OP_READ_VEC, OP_GET_INT, OP_WRITE_OPEN, OP_WRITE_NN, OP_WRITE_INTO_READ } Op;

typedef struct {
  Op          op;
  const char *file;
  const char *name;
  NN          nn;
  Tao         tao;
  NNRandom    rng;
  Vec         x;
} Case;

static PetscErrorCode RunCase(Case *c, NNCheckpoint *ck)
{
  PetscInt ival;

  PetscFunctionBegin;
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, c->file, c->op == OP_WRITE_OPEN || c->op == OP_WRITE_NN ? FILE_MODE_WRITE : FILE_MODE_READ, ck));
  switch (c->op) {
  case OP_READ_NN:
    PetscCall(NNCheckpointReadNN(*ck, c->name, c->nn));
    break;
  case OP_READ_OPTIMIZER:
    PetscCall(NNCheckpointReadOptimizer(*ck, c->tao));
    break;
  case OP_READ_RANDOM:
    PetscCall(NNCheckpointReadRandom(*ck, c->rng));
    break;
  case OP_READ_VEC:
    PetscCall(NNCheckpointReadVec(*ck, c->name, c->x));
    break;
  case OP_GET_INT:
    PetscCall(NNCheckpointGetInt(*ck, c->name, &ival));
    break;
  case OP_WRITE_NN:
  case OP_WRITE_INTO_READ:
    PetscCall(NNCheckpointWriteNN(*ck, c->name, c->nn));
    break;
  default:
    break;
  }
  PetscCall(NNCheckpointClose(ck));
  PetscFunctionReturn(0);
}

/* The first line of the message of the last error */
static PetscErrorCode LastMessage(PetscErrorCode ierr, char line[], size_t len)
{
  char *spec = NULL, *nl;

  PetscFunctionBegin;
  line[0] = 0;
  if (ierr) PetscCall(PetscErrorMessage(ierr, NULL, &spec));
  if (spec) PetscCall(PetscStrncpy(line, spec, len));
  nl = strchr(line, '\n');
  if (nl) *nl = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode Judge(const char title[], PetscErrorCode ierr, PetscErrorCode expected, const char file[], const char contains[],
                            PetscInt *nfail)
{
  char      line[1024];
  PetscBool ok;

  PetscFunctionBegin;
  PetscCall(LastMessage(ierr, line, sizeof(line)));
  ok = (PetscBool)(ierr == expected && (!expected || ((!file || strstr(line, file)) && (!contains || strstr(line, contains)))));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-40s %s (error %d, expected %d)\n", title, ok ? "ok" : "FAILED", (int)ierr, (int)expected));
  if (ierr) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "    %s\n", line));
  if (!ok) (*nfail)++;
  PetscFunctionReturn(0);
}

/* Runs a case with errors returned instead of printed; closes a checkpoint it left open */
static PetscErrorCode Check(const char title[], Case *c, PetscErrorCode expected, const char contains[], PetscInt *nfail)
{
  NNCheckpoint   ck = NULL;
  PetscErrorCode ierr, cerr = 0;

  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = RunCase(c, &ck);
  PetscCall(PetscPopErrorHandler());
  PetscCall(Judge(title, ierr, expected, c->file, contains, nfail));
  if (ck) { /* a read that failed: closing must still work */
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    cerr = NNCheckpointClose(&ck);
    PetscCall(PetscPopErrorHandler());
    if (cerr || ck) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "    FAILED: closing after the error gave error %d\n", (int)cerr));
      (*nfail)++;
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteGood(const char file[], NN nn, Tao tao, NNRandom rng, Vec x, PetscBool full)
{
  NNCheckpoint ck;

  PetscFunctionBegin;
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, "u", nn));
  if (full) {
    PetscCall(NNCheckpointWriteOptimizer(ck, tao));
    PetscCall(NNCheckpointWriteRandom(ck, rng));
    PetscCall(NNCheckpointWriteVec(ck, "points", x));
    PetscCall(NNCheckpointSetInt(ck, "iteration", 10));
    PetscCall(NNCheckpointSetReal(ck, "loss", 0.5));
  }
  PetscCall(NNCheckpointClose(&ck));
  PetscFunctionReturn(0);
}

static PetscErrorCode VecBitwiseEqual(Vec a, Vec b, PetscBool *equal)
{
  const PetscScalar *x, *y;
  PetscInt           n;
  int                leq, geq;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(a, &n));
  PetscCall(VecGetArrayRead(a, &x));
  PetscCall(VecGetArrayRead(b, &y));
  leq = !memcmp(x, y, (size_t)n * sizeof(PetscScalar));
  PetscCall(VecRestoreArrayRead(b, &y));
  PetscCall(VecRestoreArrayRead(a, &x));
  PetscCallMPI(MPI_Allreduce(&leq, &geq, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
  *equal = geq ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode Expect(const char what[], PetscBool ok, PetscInt *nfail)
{
  PetscFunctionBegin;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-40s %s\n", what, ok ? "ok" : "FAILED"));
  if (!ok) (*nfail)++;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  NN          nn, nn9, nnsin, nnread;
  Tao         adam, lmvm, adamplain;
  NNRandom    rng;
  Vec         x, x11, P, Pbefore;
  PetscInt    nfail = 0;
  char        good[PETSC_MAX_PATH_LEN], minimal[PETSC_MAX_PATH_LEN], file[PETSC_MAX_PATH_LEN], tmp[PETSC_MAX_PATH_LEN + 8];
  long        size;
  PetscMPIInt rank;
  Case        c;

  PetscCall(PetscInitialize(&argc, &argv, NULL, "Bad checkpoints"));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-prefix", prefix, sizeof(prefix), NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(CreateNN(8, NN_ACTIVATION_TANH, &nn));
  PetscCall(CreateNN(9, NN_ACTIVATION_TANH, &nn9));
  PetscCall(CreateNN(8, NN_ACTIVATION_SIN, &nnsin));
  PetscCall(CreateNN(8, NN_ACTIVATION_TANH, &nnread));
  PetscCall(CreateTao(nn, TAOADAM, PETSC_TRUE, &adam));
  PetscCall(CreateTao(nnread, TAOLMVM, PETSC_FALSE, &lmvm));
  PetscCall(CreateTao(nnread, TAOADAM, PETSC_FALSE, &adamplain));
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &rng));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, 10, &x));
  PetscCall(VecSet(x, 1.5));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, 11, &x11));
  PetscCall(FileName("good.h5", good));
  PetscCall(FileName("minimal.h5", minimal));
  PetscCall(WriteGood(good, nn, adam, rng, x, PETSC_TRUE));
  PetscCall(WriteGood(minimal, nn, adam, rng, x, PETSC_FALSE));
  PetscCall(PetscMemzero(&c, sizeof(c)));
  c.nn   = nnread;
  c.name = "u";

  /* the good file reads */
  c.op   = OP_READ_NN;
  c.file = good;
  PetscCall(Check("good checkpoint", &c, 0, NULL, &nfail));

  /* files that are not (complete) checkpoints */
  PetscCall(FileName("does_not_exist.h5", file));
  c.op   = OP_OPEN;
  c.file = file;
  PetscCall(Check("missing file", &c, PETSC_ERR_FILE_OPEN, "does not exist", &nfail));
  PetscCall(FileName("random.h5", file));
  PetscCall(WriteRandomBytes(file, 4096));
  PetscCall(Check("random bytes", &c, PETSC_ERR_FILE_UNEXPECTED, "not an HDF5 file", &nfail));
  PetscCall(FileName("empty.h5", file));
  PetscCall(WriteRandomBytes(file, 0));
  PetscCall(Check("empty file", &c, PETSC_ERR_FILE_UNEXPECTED, "not an HDF5 file", &nfail));
  PetscCall(FileName("dir.h5", file));
  if (rank == 0) (void)mkdir(file, 0755);
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(Check("a directory", &c, PETSC_ERR_FILE_OPEN, "directory", &nfail));
  PetscCall(FileSize(good, &size));
  PetscCall(FileName("half.h5", file));
  PetscCall(CopyFile(good, file, size / 2));
  c.op = OP_READ_NN;
  PetscCall(Check("truncated to half", &c, PETSC_ERR_FILE_UNEXPECTED, "not a complete nnpde checkpoint", &nfail));
  PetscCall(FileName("short.h5", file));
  PetscCall(CopyFile(good, file, -8));
  PetscCall(Check("last 8 bytes missing", &c, PETSC_ERR_FILE_UNEXPECTED, "not a complete nnpde checkpoint", &nfail));
  PetscCall(FileName("header.h5", file));
  PetscCall(CopyFile(good, file, 100));
  PetscCall(Check("only the first 100 bytes", &c, PETSC_ERR_FILE_UNEXPECTED, "not a complete nnpde checkpoint", &nfail));
  PetscCall(FileName("half_sealed.h5", file));
  PetscCall(CopyFile(good, file, size / 2));
  PetscCall(Reseal(file));
  PetscCall(Check("truncated to half, then resealed", &c, PETSC_ERR_FILE_UNEXPECTED, "truncated", &nfail));
  {
    Vec       Q;
    PetscBool eq = PETSC_FALSE;

    PetscCall(FileName("notckpt.h5", file));
    PetscCall(VecDuplicate(x, &Q));
    PetscCall(PetscObjectSetName((PetscObject)Q, "Q"));
    {
      PetscViewer v;

      PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &v));
      PetscCall(VecView(Q, v));
      PetscCall(PetscViewerDestroy(&v));
    }
    PetscCall(VecDestroy(&Q));
    c.op = OP_OPEN;
    PetscCall(Check("HDF5 file, not a checkpoint", &c, PETSC_ERR_FILE_UNEXPECTED, "not a complete nnpde checkpoint", &nfail));
    PetscCall(Reseal(file));
    PetscCall(Check("HDF5 file with a trailer, no /meta", &c, PETSC_ERR_FILE_UNEXPECTED, "not an nnpde checkpoint", &nfail));

    /* corruption: the read fails and leaves the parameters alone */
    PetscCall(FileName("flipped.h5", file));
    PetscCall(CopyFile(good, file, 0));
    PetscCall(FlipParameterBit(file));
    PetscCall(NNGetParameters(nnread, &P));
    PetscCall(VecSet(P, 0.25));
    PetscCall(VecDuplicate(P, &Pbefore));
    PetscCall(VecCopy(P, Pbefore));
    c.op = OP_READ_NN;
    PetscCall(Check("one bit of a parameter flipped", &c, PETSC_ERR_FILE_UNEXPECTED, "is corrupt: the checksum of its", &nfail));
    PetscCall(Reseal(file));
    PetscCall(Check("  the same, resealed", &c, PETSC_ERR_FILE_UNEXPECTED, "corrupt: the checksum of parameters of network", &nfail));
    PetscCall(VecBitwiseEqual(P, Pbefore, &eq));
    PetscCall(Expect("  parameters untouched by the failed read", eq, &nfail));
    PetscCall(VecDestroy(&Pbefore));
  }
  {
    /* one corrupted byte anywhere (every 97th offset): always a clean error when opening */
    unsigned char *data = NULL;
    long           n;
    PetscInt       nflips = 0, nrejected = 0;
    char           line[1024];
    PetscBool      ok;

    PetscCall(FileSize(good, &n));
    if (rank == 0) {
      FILE *f = fopen(good, "rb");

      data = (unsigned char *)malloc((size_t)n);
      PetscCheck(f && data && fread(data, 1, (size_t)n, f) == (size_t)n, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot read %s", good);
      fclose(f);
    }
    PetscCall(FileName("fuzz.h5", file));
    c.op   = OP_OPEN;
    c.file = file;
    for (long at = 0; at < n; at += 97) {
      NNCheckpoint   ck = NULL;
      PetscErrorCode ierr;

      PetscCall(WriteFlipped(file, data, n, at));
      PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
      ierr = RunCase(&c, &ck);
      PetscCall(PetscPopErrorHandler());
      PetscCall(LastMessage(ierr, line, sizeof(line)));
      nflips++;
      if (ierr == PETSC_ERR_FILE_UNEXPECTED && strstr(line, file) && !ck)
        nrejected++;
      else
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "    byte %ld flipped: error %d: %s\n", at, (int)ierr, line));
      PetscCall(NNCheckpointClose(&ck));
    }
    free(data);
    ok = (PetscBool)(nrejected == nflips);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-40s %s (%" PetscInt_FMT " of %" PetscInt_FMT " rejected)\n", "one byte flipped, every 97th offset",
                          ok ? "ok" : "FAILED", nrejected, nflips));
    if (!ok) nfail++;
  }
  PetscCall(FileName("version.h5", file));
  PetscCall(CopyFile(good, file, 0));
  PetscCall(StripTrailer(file));
  PetscCall(SetFormatVersion(file, 99));
  PetscCall(Reseal(file));
  c.op = OP_OPEN;
  PetscCall(Check("format version 99", &c, PETSC_ERR_FILE_UNEXPECTED, "format version 99", &nfail));

  /* valid checkpoints that do not fit */
  c.file = good;
  c.op   = OP_READ_NN;
  c.nn   = nn9;
  PetscCall(Check("hidden width 9 instead of 8", &c, PETSC_ERR_ARG_INCOMP, "architecture", &nfail));
  c.nn = nnsin;
  PetscCall(Check("sin instead of tanh", &c, PETSC_ERR_ARG_INCOMP, "architecture", &nfail));
  c.nn   = nnread;
  c.name = "w";
  PetscCall(Check("missing network", &c, PETSC_ERR_FILE_UNEXPECTED, "no network 'w'", &nfail));
  c.op  = OP_READ_OPTIMIZER;
  c.tao = lmvm;
  PetscCall(Check("lmvm Tao, adam state", &c, PETSC_ERR_ARG_INCOMP, "type adam", &nfail));
  c.tao = adamplain;
  PetscCall(Check("AMSGrad off, state with AMSGrad", &c, PETSC_ERR_ARG_INCOMP, "AMSGrad", &nfail));
  c.file = minimal;
  PetscCall(Check("no optimizer state", &c, PETSC_ERR_FILE_UNEXPECTED, "/optimizer", &nfail));
  c.op  = OP_READ_RANDOM;
  c.rng = rng;
  PetscCall(Check("no random state", &c, PETSC_ERR_FILE_UNEXPECTED, "/rng", &nfail));
  c.file = good;
  c.op   = OP_GET_INT;
  c.name = "epoch";
  PetscCall(Check("missing training entry", &c, PETSC_ERR_FILE_UNEXPECTED, "'epoch'", &nfail));
  c.name = "loss";
  PetscCall(Check("GetInt on a real entry", &c, PETSC_ERR_ARG_WRONG, "real", &nfail));
  c.op   = OP_READ_VEC;
  c.name = "points";
  c.x    = x11;
  PetscCall(Check("data Vec of another size", &c, PETSC_ERR_ARG_SIZ, "11", &nfail));
  c.name = "weights";
  c.x    = x;
  PetscCall(Check("missing data Vec", &c, PETSC_ERR_FILE_UNEXPECTED, "'weights'", &nfail));

  /* writing */
  c.op   = OP_WRITE_INTO_READ;
  c.nn   = nn;
  c.name = "u";
  PetscCall(Check("writing into a read checkpoint", &c, PETSC_ERR_ARG_WRONGSTATE, "opened for reading", &nfail));
  PetscCall(FileName("no_such_dir/x.h5", file));
  c.op   = OP_WRITE_OPEN;
  c.file = file;
  PetscCall(Check("directory does not exist", &c, PETSC_ERR_FILE_WRITE, NULL, &nfail));
  PetscCall(FileName("tmpdir.h5.tmp", file));
  if (rank == 0) (void)mkdir(file, 0755);
  PetscCall(FileName("tmpdir.h5", file));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(Check("temporary file name is a directory", &c, PETSC_ERR_FILE_WRITE, ".tmp", &nfail));
  PetscCall(FileName("written.h5", file));
  c.op   = OP_WRITE_NN;
  c.name = "a/b";
  PetscCall(Check("network name with '/'", &c, PETSC_ERR_ARG_WRONG, "a/b", &nfail));
  {
    NNCheckpoint   ck;
    PetscErrorCode ierr;
    Tao            notype;
    PetscBool      tmpleft;

    /* a stale temporary file does not disturb the next write */
    PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", file));
    PetscCall(WriteRandomBytes(tmp, 1000));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = WriteGood(file, nn, adam, rng, x, PETSC_TRUE);
    PetscCall(PetscPopErrorHandler());
    PetscCall(Judge("stale .tmp before a write", ierr, 0, NULL, NULL, &nfail));
    PetscCall(FileExists(tmp, &tmpleft));
    PetscCall(Expect("  no .tmp left after the write", (PetscBool)!tmpleft, &nfail));

    /* a write that fails midway is not committed: the previous checkpoint stays */
    PetscCall(TaoCreate(PETSC_COMM_WORLD, &notype));
    PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
    PetscCall(NNCheckpointWriteNN(ck, "v", nn));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNCheckpointWriteOptimizer(ck, notype);
    PetscCall(PetscPopErrorHandler());
    PetscCall(Judge("writing a Tao without a type", ierr, PETSC_ERR_ARG_WRONGSTATE, file, NULL, &nfail));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNCheckpointClose(&ck);
    PetscCall(PetscPopErrorHandler());
    PetscCall(Judge("  closing after the failed write", ierr, PETSC_ERR_ARG_WRONGSTATE, file, "not written", &nfail));
    PetscCall(TaoDestroy(&notype));
    PetscCall(FileExists(tmp, &tmpleft));
    PetscCall(Expect("  no .tmp left after the failed write", (PetscBool)!tmpleft, &nfail));
    c.op   = OP_READ_NN;
    c.nn   = nnread;
    c.name = "u";
    PetscCall(Check("  previous checkpoint still reads", &c, 0, NULL, &nfail));
    c.name = "v";
    PetscCall(Check("  and lacks the failed write's network", &c, PETSC_ERR_FILE_UNEXPECTED, "no network 'v'", &nfail));
  }

  PetscCall(NNDestroy(&nn));
  PetscCall(NNDestroy(&nn9));
  PetscCall(NNDestroy(&nnsin));
  PetscCall(NNDestroy(&nnread));
  PetscCall(TaoDestroy(&adam));
  PetscCall(TaoDestroy(&lmvm));
  PetscCall(TaoDestroy(&adamplain));
  PetscCall(NNRandomDestroy(&rng));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&x11));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n", nfail ? "FAILED" : "All bad checkpoints rejected as expected"));
  PetscCall(PetscFinalize());
  return nfail ? 1 : 0;
}

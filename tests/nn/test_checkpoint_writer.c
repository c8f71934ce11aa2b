/* Helper of checkpoint_kill.sh. Writer (default): writes checkpoint k = 0, 1, 2, ... of a network,
   a random-number state and a large data Vec, printing "READY" after the first one and
   "WRITING k" / "WROTE k" around the others, until -max_iterations or -max_seconds; every rank
   first writes its process id to <file>.pid.<rank> so that the script can kill it. Reader (-read):
   loads the checkpoint and checks that everything in it belongs to one and the same iteration k.

   Options: -file <name> -n <data entries> -max_iterations <k> -max_seconds <s>
            -read [-min_iteration <k>] */
#include <nnpde.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static PetscErrorCode CreateNN(uint64_t seed, NN *nn)
{
  const PetscInt widths[2] = {16, 16};

  PetscFunctionBegin;
  PetscCall(NNCreate(PETSC_COMM_WORLD, nn));
  PetscCall(NNSetSizes(*nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(*nn, 2, widths));
  PetscCall(NNSetSeed(*nn, seed));
  PetscCall(NNSetUp(*nn));
  PetscFunctionReturn(0);
}

/* The parameters of iteration k: the initial ones (seed 3) shifted by k */
static PetscErrorCode ParametersOfIteration(Vec P0, PetscInt k, Vec P)
{
  PetscFunctionBegin;
  PetscCall(VecCopy(P0, P));
  PetscCall(VecShift(P, (PetscReal)k));
  PetscFunctionReturn(0);
}

static inline PetscReal DataValue(PetscInt k, PetscInt i)
{
  return 1e8 * (PetscReal)k + (PetscReal)i; /* exact */
}

static PetscErrorCode FillData(PetscInt k, Vec x)
{
  PetscScalar *a;
  PetscInt     lo, hi;

  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(x, &lo, &hi));
  PetscCall(VecGetArrayWrite(x, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = DataValue(k, i);
  PetscCall(VecRestoreArrayWrite(x, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode Say(const char fmt[], PetscInt k)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    printf(fmt, (long long)k);
    fflush(stdout);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Write(const char file[], PetscInt n, PetscInt maxit, PetscReal maxsec)
{
  NN             nn;
  NNRandom       rng;
  Vec            P, P0, x;
  char           pidfile[PETSC_MAX_PATH_LEN + 32];
  PetscMPIInt    rank;
  PetscLogDouble t0, t;
  FILE          *f;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscSNPrintf(pidfile, sizeof(pidfile), "%s.pid.%d", file, (int)rank));
  f = fopen(pidfile, "w");
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot write %s", pidfile);
  fprintf(f, "%ld\n", (long)getpid());
  PetscCheck(!fclose(f), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot write %s", pidfile);

  PetscCall(CreateNN(3, &nn));
  PetscCall(NNGetParameters(nn, &P));
  PetscCall(VecDuplicate(P, &P0));
  PetscCall(VecCopy(P, P0));
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &rng));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, n, &x));
  PetscCall(PetscTime(&t0));
  for (PetscInt k = 0; k < maxit; k++) {
    NNCheckpoint ckpt;

    PetscCall(ParametersOfIteration(P0, k, P));
    PetscCall(NNRandomSetState(rng, 5, 1000 * (uint64_t)k));
    PetscCall(FillData(k, x));
    if (k) PetscCall(Say("WRITING %lld\n", k));
    PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ckpt));
    PetscCall(NNCheckpointSetInt(ckpt, "iteration", k));
    PetscCall(NNCheckpointSetInt(ckpt, "n", n));
    PetscCall(NNCheckpointWriteNN(ckpt, "u", nn));
    PetscCall(NNCheckpointWriteRandom(ckpt, rng));
    PetscCall(NNCheckpointWriteVec(ckpt, "data", x));
    PetscCall(NNCheckpointClose(&ckpt));
    PetscCall(PetscTime(&t));
    PetscCall(Say("WROTE %lld\n", k));
    if (!k) PetscCall(Say("READY\n", k));
    if (t - t0 > maxsec) break;
  }
  PetscCall(NNDestroy(&nn));
  PetscCall(NNRandomDestroy(&rng));
  PetscCall(VecDestroy(&P0));
  PetscCall(VecDestroy(&x));
  PetscFunctionReturn(0);
}

static PetscErrorCode Read(const char file[], PetscInt minit, PetscInt *nfail)
{
  NN           ref, nn;
  NNRandom     rng;
  Vec          P, Pref, P0, x;
  NNCheckpoint ckpt;
  PetscInt     k, n, lo, hi;
  uint64_t     seed, pos;

  PetscFunctionBegin;
  PetscCall(CreateNN(3, &ref));
  PetscCall(CreateNN(4, &nn));
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &rng));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ckpt));
  PetscCall(NNCheckpointGetInt(ckpt, "iteration", &k));
  PetscCall(NNCheckpointReadNN(ckpt, "u", nn));
  PetscCall(NNCheckpointReadRandom(ckpt, rng));
  PetscCall(NNCheckpointGetInt(ckpt, "n", &n));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, n, &x));
  PetscCall(NNCheckpointReadVec(ckpt, "data", x));
  PetscCall(NNCheckpointClose(&ckpt));

  PetscCall(NNGetParameters(ref, &Pref));
  PetscCall(NNGetParameters(nn, &P));
  PetscCall(VecDuplicate(Pref, &P0));
  PetscCall(VecCopy(Pref, P0));
  PetscCall(ParametersOfIteration(P0, k, Pref));
  {
    const PetscScalar *a, *b;
    PetscInt           m;
    int                lok = 1, gok;

    PetscCall(VecGetLocalSize(P, &m));
    PetscCall(VecGetArrayRead(P, &a));
    PetscCall(VecGetArrayRead(Pref, &b));
    lok = !memcmp(a, b, (size_t)m * sizeof(PetscScalar));
    PetscCall(VecRestoreArrayRead(Pref, &b));
    PetscCall(VecRestoreArrayRead(P, &a));
    PetscCall(VecGetOwnershipRange(x, &lo, &hi));
    PetscCall(VecGetArrayRead(x, &a));
    for (PetscInt i = lo; i < hi && lok; i++)
      if (a[i - lo] != DataValue(k, i)) lok = 0;
    PetscCall(VecRestoreArrayRead(x, &a));
    PetscCallMPI(MPI_Allreduce(&lok, &gok, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
    PetscCall(NNRandomGetState(rng, &seed, &pos));
    if (!gok || seed != 5 || pos != 1000 * (uint64_t)k || k < minit) (*nfail)++;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Checkpoint %s: iteration %" PetscInt_FMT ", %" PetscInt_FMT " data entries: %s\n", file, k, n,
                          *nfail ? "INCONSISTENT" : "parameters, random state and data all belong to that iteration"));
    if (k < minit) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "but iteration %" PetscInt_FMT " had been completed\n", minit));
  }
  PetscCall(NNDestroy(&ref));
  PetscCall(NNDestroy(&nn));
  PetscCall(NNRandomDestroy(&rng));
  PetscCall(VecDestroy(&P0));
  PetscCall(VecDestroy(&x));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      file[PETSC_MAX_PATH_LEN] = "checkpoint_writer.h5";
  PetscInt  n = 20000000, maxit = PETSC_MAX_INT, minit = 0, nfail = 0;
  PetscReal maxsec = 120;
  PetscBool read   = PETSC_FALSE;

  PetscCall(PetscInitialize(&argc, &argv, NULL, "Checkpoint writer/reader for the kill test"));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-file", file, sizeof(file), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-max_iterations", &maxit, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-min_iteration", &minit, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-max_seconds", &maxsec, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-read", &read, NULL));
  if (read)
    PetscCall(Read(file, minit, &nfail));
  else
    PetscCall(Write(file, n, maxit, maxsec));
  PetscCall(PetscFinalize());
  return nfail ? 1 : 0;
}

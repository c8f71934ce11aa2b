/* Checkpoint round trip: an MLP, an Adam optimizer (AMSGrad) after a few steps, a random-number
   state, training metadata of each kind and a free Vec are written, read into fresh objects and
   compared bitwise; continuing Adam from the restored state must reproduce the uninterrupted run
   bitwise.

   Options: -file <name> (default test_checkpoint.h5)
            -mode both|write|read: write only, or read a file written by another run (at another
            rank count) and compare it with the objects regenerated here. */
#include <nnpde.h>
#include <petscdmda.h>
#include <petscviewerhdf5.h>
#include <math.h>
#include <string.h>

#define SEED_RNG 0xF00DFACE12345678ULL /* above 2^63: the stored seed must be an unsigned 64-bit integer */

/* f(x) = 1/2 sum_i w_i (x_i - c_i)^2 with w_i = 1 + (i mod 7), c_i = i/100: entrywise, hence
   Adam's iterates are the same bits for every rank count */
static PetscErrorCode Objective(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  const PetscScalar *x;
  PetscScalar       *g;
  PetscInt           lo, hi;
  PetscReal          lf = 0;

  PetscFunctionBegin;
  (void)tao;
  (void)ctx;
  PetscCall(VecGetOwnershipRange(X, &lo, &hi));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(G, &g));
  for (PetscInt i = lo; i < hi; i++) {
    PetscReal w = 1.0 + (PetscReal)(i % 7), d = x[i - lo] - 0.01 * (PetscReal)i;

    g[i - lo] = w * d;
    lf += 0.5 * w * d * d;
  }
  PetscCall(VecRestoreArray(G, &g));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCallMPI(MPI_Allreduce(&lf, f, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)X)));
  PetscFunctionReturn(0);
}

typedef struct {
  NN       nn, nn2; /* "u" and "v" */
  Tao      tao;
  NNRandom rng;
  Vec      data; /* block size 2 */
  DM       da;   /* 7 x 5 grid with 2 dof */
  Vec      grid; /* on da: written in natural order */
} Objects;

static PetscErrorCode CreateNN(PetscInt nlayers, const PetscInt widths[], NNActivation act, uint64_t seed, NN *nn)
{
  PetscFunctionBegin;
  PetscCall(NNCreate(PETSC_COMM_WORLD, nn));
  PetscCall(NNSetSizes(*nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(*nn, nlayers, widths));
  PetscCall(NNMLPSetActivation(*nn, act));
  PetscCall(NNSetSeed(*nn, seed));
  PetscCall(NNSetUp(*nn));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateAdam(NN nn, Tao *tao)
{
  Vec P;

  PetscFunctionBegin;
  PetscCall(NNGetParameters(nn, &P));
  PetscCall(TaoCreate(PETSC_COMM_WORLD, tao));
  PetscCall(TaoSetType(*tao, TAOADAM));
  PetscCall(TaoAdamSetLearningRate(*tao, 1e-2));
  PetscCall(TaoAdamSetAMSGrad(*tao, PETSC_TRUE));
  PetscCall(TaoSetSolution(*tao, P));
  PetscCall(TaoSetObjectiveAndGradient(*tao, NULL, Objective, NULL));
  PetscCall(TaoSetTolerances(*tao, 0.0, 0.0, 0.0));
  PetscCall(TaoSetMaximumIterations(*tao, 5));
  PetscCall(TaoSetUp(*tao));
  PetscFunctionReturn(0);
}

static PetscReal DataValue(PetscInt i)
{
  return i % 10 == 0 ? -0.0 : PetscSinReal((PetscReal)i) / 3.0;
}

/* The data Vec (74 entries, block size 2); with concentrate, all entries on rank 0 */
static PetscErrorCode CreateData(PetscBool concentrate, PetscBool fill, Vec *data)
{
  const PetscInt N = 74;
  PetscMPIInt    rank;
  PetscInt       lo, hi;
  PetscScalar   *a;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(VecCreate(PETSC_COMM_WORLD, data));
  PetscCall(VecSetSizes(*data, concentrate ? (rank ? 0 : N) : PETSC_DECIDE, N));
  PetscCall(VecSetBlockSize(*data, 2));
  PetscCall(VecSetFromOptions(*data));
  PetscCall(PetscObjectSetName((PetscObject)*data, "my points"));
  PetscCall(VecGetOwnershipRange(*data, &lo, &hi));
  PetscCall(VecGetArray(*data, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = fill ? DataValue(i) : 42.0;
  PetscCall(VecRestoreArray(*data, &a));
  PetscFunctionReturn(0);
}

static PetscReal GridValue(PetscInt i, PetscInt j, PetscInt c)
{
  return (PetscReal)(i + 10 * j) / 3.0 + (PetscReal)c;
}

/* A DMDA Vec; with fill, entry (i,j,c) is GridValue(i,j,c), otherwise -1 */
static PetscErrorCode CreateGrid(PetscBool fill, DM *da, Vec *grid)
{
  PetscScalar ***a;
  PetscInt       xs, ys, xm, ym;

  PetscFunctionBegin;
  PetscCall(
      DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 7, 5, PETSC_DECIDE, PETSC_DECIDE, 2, 1, NULL, NULL, da));
  PetscCall(DMSetUp(*da));
  PetscCall(DMCreateGlobalVector(*da, grid));
  PetscCall(DMDAGetCorners(*da, &xs, &ys, NULL, &xm, &ym, NULL));
  PetscCall(DMDAVecGetArrayDOF(*da, *grid, &a));
  for (PetscInt j = ys; j < ys + ym; j++)
    for (PetscInt i = xs; i < xs + xm; i++)
      for (PetscInt c = 0; c < 2; c++) a[j][i][c] = fill ? GridValue(i, j, c) : -1.0;
  PetscCall(DMDAVecRestoreArrayDOF(*da, *grid, &a));
  PetscFunctionReturn(0);
}

static const PetscInt widths_u[] = {8, 6}, widths_v[] = {5, 5, 4};

/* The objects as the writer has them; regenerated identically by a reader */
static PetscErrorCode CreateReference(Objects *o)
{
  uint64_t first;

  PetscFunctionBegin;
  PetscCall(CreateNN(2, widths_u, NN_ACTIVATION_TANH, 7, &o->nn));
  PetscCall(CreateNN(3, widths_v, NN_ACTIVATION_SIN, 8, &o->nn2));
  PetscCall(CreateAdam(o->nn, &o->tao));
  PetscCall(TaoSolve(o->tao));
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &o->rng));
  PetscCall(NNRandomSetSeed(o->rng, SEED_RNG));
  PetscCall(NNRandomReserve(o->rng, 1000, &first));
  PetscCall(NNRandomReserve(o->rng, 234, &first));
  PetscCall(CreateData(PETSC_FALSE, PETSC_TRUE, &o->data));
  PetscCall(CreateGrid(PETSC_TRUE, &o->da, &o->grid));
  PetscFunctionReturn(0);
}

/* Fresh objects of the same shapes, with different contents */
static PetscErrorCode CreateFresh(Objects *o)
{
  PetscFunctionBegin;
  PetscCall(CreateNN(2, widths_u, NN_ACTIVATION_TANH, 99, &o->nn));
  PetscCall(CreateNN(3, widths_v, NN_ACTIVATION_SIN, 98, &o->nn2));
  PetscCall(CreateAdam(o->nn, &o->tao));
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &o->rng));
  PetscCall(CreateData(PETSC_TRUE, PETSC_FALSE, &o->data));
  PetscCall(CreateGrid(PETSC_FALSE, &o->da, &o->grid));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyObjects(Objects *o)
{
  PetscFunctionBegin;
  PetscCall(NNDestroy(&o->nn));
  PetscCall(NNDestroy(&o->nn2));
  PetscCall(TaoDestroy(&o->tao));
  PetscCall(NNRandomDestroy(&o->rng));
  PetscCall(VecDestroy(&o->data));
  PetscCall(VecDestroy(&o->grid));
  PetscCall(DMDestroy(&o->da));
  PetscFunctionReturn(0);
}

static const PetscReal loss_value = 1.2345678901234567e-3;

static PetscErrorCode WriteCheckpoint(const char file[], Objects *o)
{
  NNCheckpoint ckpt;

  PetscFunctionBegin;
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ckpt));
  PetscCall(NNCheckpointWriteNN(ckpt, "u", o->nn));
  PetscCall(NNCheckpointWriteNN(ckpt, "v", o->nn2));
  PetscCall(NNCheckpointWriteOptimizer(ckpt, o->tao));
  PetscCall(NNCheckpointWriteRandom(ckpt, o->rng));
  PetscCall(NNCheckpointWriteVec(ckpt, "points", o->data));
  PetscCall(NNCheckpointWriteVec(ckpt, "grid", o->grid));
  PetscCall(NNCheckpointSetInt(ckpt, "stage", 2));
  PetscCall(NNCheckpointSetInt(ckpt, "iteration", 136));
  PetscCall(NNCheckpointSetInt(ckpt, "iteration", 137)); /* replacing a value */
  PetscCall(NNCheckpointSetString(ckpt, "phase", "a longer string that will be replaced"));
  PetscCall(NNCheckpointSetString(ckpt, "phase", "adam"));
  PetscCall(NNCheckpointSetReal(ckpt, "loss", loss_value));
  PetscCall(NNCheckpointSetReal(ckpt, "negative_zero", -0.0));
  PetscCall(NNCheckpointClose(&ckpt));
  PetscCheck(!ckpt, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "NNCheckpointClose() did not clear the handle");
  PetscFunctionReturn(0);
}

/* Bitwise comparison of two Vecs of the same layout */
static PetscErrorCode VecBitwiseEqual(Vec a, Vec b, PetscBool *equal)
{
  const PetscScalar *x, *y;
  PetscInt           n, nb;
  int                leq, geq;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(a, &n));
  PetscCall(VecGetLocalSize(b, &nb));
  PetscCall(VecGetArrayRead(a, &x));
  PetscCall(VecGetArrayRead(b, &y));
  leq = n == nb && !memcmp(x, y, (size_t)n * sizeof(PetscScalar));
  PetscCall(VecRestoreArrayRead(b, &y));
  PetscCall(VecRestoreArrayRead(a, &x));
  PetscCallMPI(MPI_Allreduce(&leq, &geq, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
  *equal = geq ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode Report(const char what[], PetscBool ok, PetscInt *nfail)
{
  PetscFunctionBegin;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %-44s %s\n", what, ok ? "ok" : "MISMATCH"));
  if (!ok) (*nfail)++;
  PetscFunctionReturn(0);
}

/* The checksum attribute of a dataset, read on rank 0 with plain HDF5 (for printing) */
static PetscErrorCode PrintChecksum(const char file[], const char dset[])
{
  PetscMPIInt        rank;
  unsigned long long sum = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    hid_t fid = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT), aid;

    PetscCheck(fid >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", file);
    aid = H5Aopen_by_name(fid, dset, "checksum", H5P_DEFAULT, H5P_DEFAULT);
    PetscCheck(aid >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "No checksum on %s", dset);
    PetscCheck(H5Aread(aid, H5T_NATIVE_ULLONG, &sum) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot read checksum");
    PetscCheck(H5Aclose(aid) >= 0 && H5Fclose(fid) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "HDF5 close failed");
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  checksum of %-31s %016llx\n", dset, sum));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadAndCompare(const char file[], Objects *ref, PetscInt *nfail)
{
  Objects      o;
  NNCheckpoint ckpt;
  Vec          P, Pref, m, v, vmax, mref, vref, vmaxref;
  PetscInt     step, stepref, ival, its, itsref;
  PetscReal    rval;
  uint64_t     seed, pos, seedref, posref;
  char         str[64], tiny[3];
  PetscBool    eq, has;
  const char  *name;

  PetscFunctionBegin;
  PetscCall(CreateFresh(&o));
  PetscCall(NNGetParameters(o.nn, &P));
  PetscCall(NNGetParameters(ref->nn, &Pref));
  PetscCall(VecBitwiseEqual(P, Pref, &eq));
  PetscCheck(!eq, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "The fresh network should differ from the reference before reading");

  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ckpt));
  PetscCall(NNCheckpointReadNN(ckpt, "u", o.nn));
  PetscCall(NNCheckpointReadNN(ckpt, "v", o.nn2));
  PetscCall(NNCheckpointReadOptimizer(ckpt, o.tao));
  PetscCall(NNCheckpointReadRandom(ckpt, o.rng));
  PetscCall(NNCheckpointReadVec(ckpt, "points", o.data));
  PetscCall(NNCheckpointReadVec(ckpt, "grid", o.grid));

  PetscCall(VecBitwiseEqual(P, Pref, &eq));
  PetscCall(Report("parameters of network u", eq, nfail));
  {
    Vec Q, Qref;

    PetscCall(NNGetParameters(o.nn2, &Q));
    PetscCall(NNGetParameters(ref->nn2, &Qref));
    PetscCall(VecBitwiseEqual(Q, Qref, &eq));
    PetscCall(Report("parameters of network v", eq, nfail));
    PetscCall(PetscObjectGetName((PetscObject)Q, &name));
    PetscCall(PetscStrcmp(name, "parameters", &eq));
    PetscCall(Report("parameter Vec keeps its name", eq, nfail));
  }
  PetscCall(TaoAdamGetState(o.tao, &m, &v, &vmax, &step));
  PetscCall(TaoAdamGetState(ref->tao, &mref, &vref, &vmaxref, &stepref));
  PetscCall(VecBitwiseEqual(m, mref, &eq));
  PetscCall(Report("Adam first moment m", eq, nfail));
  PetscCall(VecBitwiseEqual(v, vref, &eq));
  PetscCall(Report("Adam second moment v", eq, nfail));
  PetscCall(Report("AMSGrad maximum present", (PetscBool)(vmax && vmaxref), nfail));
  if (vmax && vmaxref) {
    PetscCall(VecBitwiseEqual(vmax, vmaxref, &eq));
    PetscCall(Report("AMSGrad maximum vmax", eq, nfail));
  }
  PetscCall(Report("Adam step", (PetscBool)(step == stepref && step == 5), nfail));
  PetscCall(TaoGetTotalIterationNumber(o.tao, &its));
  PetscCall(TaoGetTotalIterationNumber(ref->tao, &itsref));
  PetscCall(Report("Tao total iterations", (PetscBool)(its == itsref), nfail));
  PetscCall(NNRandomGetState(o.rng, &seed, &pos));
  PetscCall(NNRandomGetState(ref->rng, &seedref, &posref));
  PetscCall(Report("random seed (above 2^63)", (PetscBool)(seed == seedref && seed == SEED_RNG), nfail));
  PetscCall(Report("random position", (PetscBool)(pos == posref && pos == 1234), nfail));
  {
    const PetscScalar *a;
    PetscInt           lo, hi;
    int                lok = 1, gok;

    PetscCall(VecGetOwnershipRange(o.data, &lo, &hi));
    PetscCall(VecGetArrayRead(o.data, &a));
    for (PetscInt i = lo; i < hi; i++) {
      PetscReal want = DataValue(i);

      if (memcmp(&a[i - lo], &want, sizeof(want))) lok = 0;
    }
    PetscCall(VecRestoreArrayRead(o.data, &a));
    PetscCallMPI(MPI_Allreduce(&lok, &gok, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
    PetscCall(Report("data Vec (other layout, block size 2)", (PetscBool)gok, nfail));
    PetscCall(PetscObjectGetName((PetscObject)o.data, &name));
    PetscCall(PetscStrcmp(name, "my points", &eq));
    PetscCall(Report("data Vec keeps its name", eq, nfail));
  }
  {
    PetscScalar ***a;
    PetscInt       xs, ys, xm, ym;
    int            lok = 1, gok;

    PetscCall(DMDAGetCorners(o.da, &xs, &ys, NULL, &xm, &ym, NULL));
    PetscCall(DMDAVecGetArrayDOF(o.da, o.grid, &a));
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++)
        for (PetscInt c = 0; c < 2; c++) {
          PetscReal want = GridValue(i, j, c);

          if (memcmp(&a[j][i][c], &want, sizeof(want))) lok = 0;
        }
    PetscCall(DMDAVecRestoreArrayDOF(o.da, o.grid, &a));
    PetscCallMPI(MPI_Allreduce(&lok, &gok, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
    PetscCall(Report("DMDA Vec (natural order)", (PetscBool)gok, nfail));
  }
  PetscCall(NNCheckpointGetInt(ckpt, "stage", &ival));
  PetscCall(Report("train/stage", (PetscBool)(ival == 2), nfail));
  PetscCall(NNCheckpointGetInt(ckpt, "iteration", &ival));
  PetscCall(Report("train/iteration (replaced)", (PetscBool)(ival == 137), nfail));
  PetscCall(NNCheckpointGetReal(ckpt, "loss", &rval));
  PetscCall(Report("train/loss (bitwise)", (PetscBool)!memcmp(&rval, &loss_value, sizeof(rval)), nfail));
  PetscCall(NNCheckpointGetReal(ckpt, "negative_zero", &rval));
  PetscCall(Report("train/negative_zero (sign kept)", (PetscBool)(rval == 0.0 && signbit(rval)), nfail));
  PetscCall(NNCheckpointGetString(ckpt, "phase", str, sizeof(str)));
  PetscCall(PetscStrcmp(str, "adam", &eq));
  PetscCall(Report("train/phase (replaced string)", eq, nfail));
  PetscCall(NNCheckpointHas(ckpt, "phase", &has));
  PetscCall(Report("NNCheckpointHas(phase)", has, nfail));
  PetscCall(NNCheckpointHas(ckpt, "nothing", &has));
  PetscCall(Report("NNCheckpointHas(nothing) is false", (PetscBool)!has, nfail));
  {
    PetscErrorCode ierr;

    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNCheckpointGetString(ckpt, "phase", tiny, sizeof(tiny));
    PetscCall(PetscPopErrorHandler());
    PetscCall(Report("a too small string buffer is an error", (PetscBool)(ierr == PETSC_ERR_ARG_SIZ), nfail));
  }
  PetscCall(NNCheckpointClose(&ckpt));

  /* continuing from the restored state reproduces the uninterrupted run */
  PetscCall(TaoSetMaximumIterations(ref->tao, 3));
  PetscCall(TaoSetMaximumIterations(o.tao, 3));
  PetscCall(TaoSolve(ref->tao));
  PetscCall(TaoSolve(o.tao));
  PetscCall(VecBitwiseEqual(P, Pref, &eq));
  PetscCall(Report("3 more Adam steps: parameters", eq, nfail));
  PetscCall(TaoAdamGetState(o.tao, &m, &v, &vmax, &step));
  PetscCall(TaoAdamGetState(ref->tao, &mref, &vref, &vmaxref, &stepref));
  PetscCall(VecBitwiseEqual(m, mref, &eq));
  PetscCall(Report("3 more Adam steps: moments and step", (PetscBool)(eq && step == stepref && step == 8), nfail));
  PetscCall(DestroyObjects(&o));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Objects   ref;
  char      file[PETSC_MAX_PATH_LEN] = "test_checkpoint.h5", mode[16] = "both";
  PetscBool write, read;
  PetscInt  nfail = 0, np;

  PetscCall(PetscInitialize(&argc, &argv, NULL, "Checkpoint round trip"));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-file", file, sizeof(file), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  PetscCall(PetscStrcmp(mode, "write", &write));
  PetscCall(PetscStrcmp(mode, "read", &read));
  if (!write && !read) {
    PetscBool both;

    PetscCall(PetscStrcmp(mode, "both", &both));
    PetscCheck(both, PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "-mode must be both, write or read, not %s", mode);
    write = read = PETSC_TRUE;
  }

  PetscCall(CreateReference(&ref));
  PetscCall(NNGetNumParameters(ref.nn, &np));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Checkpoint round trip (%s): network u with %" PetscInt_FMT " parameters\n", mode, np));
  if (write) {
    PetscCall(WriteCheckpoint(file, &ref));
    PetscCall(PrintChecksum(file, "/nn/u/parameters"));
    PetscCall(PrintChecksum(file, "/optimizer/m"));
    PetscCall(PrintChecksum(file, "/data/points"));
    PetscCall(PrintChecksum(file, "/data/grid"));
  }
  if (read) PetscCall(ReadAndCompare(file, &ref, &nfail));
  PetscCall(DestroyObjects(&ref));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n", nfail ? "FAILED" : "All checks passed"));
  PetscCall(PetscFinalize());
  return nfail ? 1 : 0;
}

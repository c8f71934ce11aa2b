/* The DCDM network (NN type cnn3d) against the machine's sgemm rate.

   Prints the single-precision GEMM rate of this BLAS on one rank, for a large square product and
   for the shape the convolutions use (16 x block x 432), then the time and rate of one network
   application (and of the reverse pass) on an n^3 DMDA, and the ratio. The target: one
   application within 2x of the measured sgemm rate.

   Options: -n <64> grid side, -layers <64|128>, -reps <3>, -backward (also time the reverse pass),
            -square <2048> size of the square sgemm, and the network's own (-nn_cnn3d_block ...).
   Run with OPENBLAS_NUM_THREADS=1 (one core per rank), e.g.
     OPENBLAS_NUM_THREADS=1 mpiexec -n 1 ./bench_cnn3d -n 64 */
#include <nnpde.h>

extern void sgemm_(const char *, const char *, const int *, const int *, const int *, const float *, const float *, const int *, const float *,
                   const int *, const float *, float *, const int *);

/* GF/s of C (m x n) = A (m x k) B (k x n), best of a few repetitions */
static PetscErrorCode SgemmRate(int m, int n, int k, PetscReal *gfs)
{
  float         *A, *B, *C;
  const float    one = 1, zero = 0;
  PetscLogDouble t0, t1, best = 1e30;
  const double   flops = 2.0 * m * n * k;
  int            reps  = (int)PetscMax(1, PetscMin(50, 2e10 / flops));

  PetscFunctionBegin;
  PetscCall(PetscMalloc3((size_t)m * k, &A, (size_t)k * n, &B, (size_t)m * n, &C));
  for (size_t i = 0; i < (size_t)m * k; i++) A[i] = (float)((i % 7) * 0.1);
  for (size_t i = 0; i < (size_t)k * n; i++) B[i] = (float)((i % 5) * 0.1);
  sgemm_("N", "N", &m, &n, &k, &one, A, &m, B, &k, &zero, C, &m); /* warm up */
  for (int r = 0; r < 3; r++) {
    PetscCall(PetscTime(&t0));
    for (int i = 0; i < reps; i++) sgemm_("N", "N", &m, &n, &k, &one, A, &m, B, &k, &zero, C, &m);
    PetscCall(PetscTime(&t1));
    best = PetscMin(best, (t1 - t0) / reps);
  }
  *gfs = flops / best * 1e-9;
  PetscCall(PetscFree3(A, B, C));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt       n = 64, K = 64, reps = 3, square = 2048, block = 128;
  PetscBool      backward = PETSC_FALSE;
  PetscMPIInt    size;
  DM             da;
  NN             nn;
  Vec            in, out, inbar;
  PetscLogDouble flops, t0, t1, tf = 1e30, tb = 1e30;
  PetscReal      sq, shaped, *g;
  PetscInt       np;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-layers", &K, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-reps", &reps, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-square", &square, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nn_cnn3d_block", &block, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-backward", &backward, NULL));

  PetscCall(SgemmRate((int)square, (int)square, (int)square, &sq));
  PetscCall(SgemmRate(16, (int)(PetscMax(1, block / n) * n), 432, &shaped));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "sgemm, one rank: %" PetscInt_FMT "^3 %.1f GF/s; convolution shape 16 x %" PetscInt_FMT " x 432 %.1f GF/s\n", square,
                        (double)sq, PetscMax(1, block / n) * n, (double)shaped));

  PetscCall(DMDACreate3d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, n, PETSC_DECIDE,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
  PetscCall(NNSetType(nn, NNCNN3D));
  PetscCall(NNCNN3DSetLayers(nn, K));
  if (backward) PetscCall(NNCNN3DSetKeepActivations(nn, PETSC_TRUE));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(NNSetUp(nn));
  PetscCall(NNCNN3DSetDM(nn, da));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(NNCNN3DGetFlops(nn, &flops));
  PetscCall(DMCreateGlobalVector(da, &in));
  PetscCall(VecDuplicate(in, &out));
  PetscCall(VecDuplicate(in, &inbar));
  PetscCall(VecSetRandom(in, NULL));
  PetscCall(PetscMalloc1(np, &g));
  PetscCall(NNCNN3DApply(nn, in, out)); /* warm up: buffers */
  for (PetscInt r = 0; r < reps; r++) {
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(PetscTime(&t0));
    PetscCall(NNCNN3DApply(nn, in, out));
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(PetscTime(&t1));
    tf = PetscMin(tf, t1 - t0);
    if (backward) {
      PetscCall(PetscArrayzero(g, np));
      PetscCall(PetscTime(&t0));
      PetscCall(NNCNN3DApplyBackward(nn, out, g, inbar));
      PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
      PetscCall(PetscTime(&t1));
      tb = PetscMin(tb, t1 - t0);
    }
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "cnn3d K=%" PetscInt_FMT " on %" PetscInt_FMT
                        "^3, %d rank(s): %.3f s per application, %.2f GFLOP, %.1f GF/s = %.1f GF/s per rank\n",
                        K, n, size, tf, flops * 1e-9, flops / tf * 1e-9, flops / tf * 1e-9 / size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ratio: square sgemm / network per rank = %.2f (target <= 2); convolution-shaped sgemm / network = %.2f\n",
                        sq / (flops / tf * 1e-9 / size), shaped / (flops / tf * 1e-9 / size)));
  if (backward)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "reverse pass: %.3f s (%.1fx the forward), %.1f GF/s per rank at 2x the forward's flops\n", tb, tb / tf,
                          2 * flops / tb * 1e-9 / size));
  PetscCall(PetscFree(g));
  PetscCall(VecDestroy(&in));
  PetscCall(VecDestroy(&out));
  PetscCall(VecDestroy(&inbar));
  PetscCall(NNDestroy(&nn));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscFinalize());
  return 0;
}

static const char help[] = "Times one forward + reverse pass of the MLP jets (2->50->50->50->1 tanh, Laplacian stream)\n"
                           "and compares the GEMM rate achieved with the machine's measured dgemm rate.\n"
                           "  -points <2000>  points per pass\n  -reps <50>  passes timed (best is reported)\n";

/* Benchmark, not a test. The GEMM flop count comes from PETSc's flop counter (NNForward and
   NNBackward log 2mnk per GEMM); the elementwise jet arithmetic is not counted, so "GEMM GF/s" is a
   lower bound on the work rate. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <nnpde.h>
#include <petscblaslapack.h>

static PetscErrorCode DgemmRate(PetscInt m, PetscInt n, PetscInt k, PetscInt reps, PetscReal *gflops)
{
  PetscReal     *A, *B, *C, one = 1, zero = 0;
  PetscBLASInt   bm, bn, bk;
  PetscLogDouble best = PETSC_MAX_REAL, t0, t1;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(m, &bm));
  PetscCall(PetscBLASIntCast(n, &bn));
  PetscCall(PetscBLASIntCast(k, &bk));
  PetscCall(PetscMalloc3(m * k, &A, k * n, &B, m * n, &C));
  for (PetscInt i = 0; i < m * k; i++) A[i] = 1.0 / (1 + i % 7);
  for (PetscInt i = 0; i < k * n; i++) B[i] = 1.0 / (1 + i % 5);
  for (PetscInt r = 0; r < reps; r++) {
    PetscCall(PetscTime(&t0));
    PetscCallBLAS("BLASgemm", BLASgemm_("T", "N", &bm, &bn, &bk, &one, A, &bk, B, &bk, &zero, C, &bm));
    PetscCall(PetscTime(&t1));
    best = PetscMin(best, t1 - t0);
  }
  *gflops = 2.0 * m * n * k / best / 1e9;
  PetscCall(PetscFree3(A, B, C));
  PetscFunctionReturn(0);
}

static PetscErrorCode TimeJets(PetscInt d, PetscInt N, PetscInt reps, PetscReal peak_square)
{
  NN             nn;
  const PetscInt widths[3] = {50, 50, 50};
  PetscInt       S, P;
  PetscReal     *x, *y, *ybar, *g, rate_layer;
  PetscLogDouble best = PETSC_MAX_REAL, t0, t1, f0, f1;

  PetscFunctionBegin;
  PetscCall(NNCreate(PETSC_COMM_SELF, &nn));
  PetscCall(NNSetSizes(nn, d, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 3, widths));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(NNSetUp(nn));
  PetscCall(NNSetJets(nn, 0, NULL, 0, NULL, PETSC_DETERMINE, NULL));
  PetscCall(NNGetNumJets(nn, &S));
  PetscCall(NNGetNumParameters(nn, &P));
  PetscCall(PetscMalloc4(N * d, &x, S * N, &y, S * N, &ybar, P, &g));
  PetscCall(NNRandomUniformArray(1, 0, 0, N * d, x));
  PetscCall(NNRandomNormalArray(1, 1, 0, S * N, ybar));
  PetscCall(PetscArrayzero(g, P));
  for (PetscInt r = 0; r < reps + 2; r++) { /* two warm-up passes */
    PetscCall(PetscGetFlops(&f0));
    PetscCall(PetscTime(&t0));
    PetscCall(NNForward(nn, N, x, y));
    PetscCall(NNBackward(nn, ybar, g, NULL));
    PetscCall(PetscTime(&t1));
    PetscCall(PetscGetFlops(&f1));
    if (r >= 2) best = PetscMin(best, t1 - t0);
  }
  /* the rate of dgemm on this benchmark's own layer shape: 50 x (streams x points) x 50 */
  PetscCall(DgemmRate(50, S * N, 50, 20, &rate_layer));
  PetscCall(PetscPrintf(
      PETSC_COMM_SELF,
      "d=%2" PetscInt_FMT ", %" PetscInt_FMT " points, %2" PetscInt_FMT
      " streams: %8.3f ms per forward+reverse, GEMM %6.2f GF/s = %3.0f%% of dgemm on the same shape (%.1f GF/s), %3.0f%% of square dgemm\n",
      d, N, S, 1e3 * best, (f1 - f0) / best / 1e9, 100 * (f1 - f0) / best / 1e9 / rate_layer, (double)rate_layer,
      100 * (f1 - f0) / best / 1e9 / peak_square));
  PetscCall(PetscFree4(x, y, ybar, g));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt    N = 2000, reps = 50;
  PetscReal   peak;
  Dl_info     info;
  const char *core = getenv("OPENBLAS_CORETYPE");

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-points", &N, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-reps", &reps, NULL));
  if (dladdr(dlsym(RTLD_DEFAULT, "dgemm_"), &info) && info.dli_fname) PetscCall(PetscPrintf(PETSC_COMM_SELF, "BLAS: dgemm_ from %s", info.dli_fname));
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s%s\n", core ? ", OPENBLAS_CORETYPE=" : "", core ? core : ""));
  PetscCall(DgemmRate(1000, 1000, 1000, 5, &peak));
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "dgemm 1000^3: %.1f GF/s\n", (double)peak));
  PetscCall(TimeJets(2, N, reps, peak));
  PetscCall(TimeJets(10, N, reps, peak));
  PetscCall(PetscFinalize());
  return 0;
}

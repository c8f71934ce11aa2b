static const char help[] = "GF/s of the MLP's small GEMMs, BLAS dgemm vs libxsmm JIT kernels, on the shapes of one tile.\n"
                           "  -columns <64,96,...,1024>  GEMM columns per tile (streams x tile points)\n"
                           "  -widths <3,50,50,1>  layer widths: every consecutive pair (in, out) is a linear layer\n"
                           "  -time <0.02>  seconds per measurement (best of 5 is reported)\n";

/* Benchmark, not a test. The three GEMMs of nn/impls/mlp/mlp.c for a linear layer in -> out on a tile of
   n GEMM columns (column-major):
     fwd   Z    (out x n)  += Wt (out x in) A   (in x n)     "N","N": m = out, n = n,   k = in
     bwdA  Abar (in x n)   += W  (in x out) Zb  (out x n)    "N","N": m = in,  n = n,   k = out
     bwdW  gW   (in x out) += A  (in x n)   Zb^T (n x out)   "N","T": m = in,  n = out, k = n
   "xsmm" dispatches a libxsmm JIT kernel for each shape once (beta = 1, B transposed for bwdW) and calls
   it; "xsmm/32" runs bwdW's reduction in chunks of 32 columns, as nn/impls/mlp/mlp.c does; "mlp" is the
   speedup of what the MLP runs with -nn_mlp_gemm xsmm over BLAS. The xsmm columns are absent from a build
   without libxsmm. */
#include <petscsys.h>
#include <petscblaslapack.h>
#if defined(NNPDE_HAVE_LIBXSMM)
#include <libxsmm.h>
#endif

typedef enum { OP_FWD, OP_BWDA, OP_BWDW } Op;
static const char *OpNames[] = {"fwd ", "bwdA", "bwdW"};

typedef struct {
  PetscInt m, n, k, lda, ldb, ldc;
  char     tb;
} Shape;

static Shape OpShape(Op op, PetscInt in, PetscInt out, PetscInt n)
{
  Shape s;

  switch (op) {
  case OP_FWD:
    s = (Shape){out, n, in, out, in, out, 'N'};
    break;
  case OP_BWDA:
    s = (Shape){in, n, out, in, out, in, 'N'};
    break;
  default:
    s = (Shape){in, out, n, in, out, in, 'T'};
    break;
  }
  return s;
}

typedef PetscErrorCode (*GemmFn)(void *, const Shape *, const PetscReal *, const PetscReal *, PetscReal *);

static PetscErrorCode GemmBLAS(void *ctx, const Shape *s, const PetscReal *A, const PetscReal *B, PetscReal *C)
{
  PetscBLASInt    m, n, k, lda, ldb, ldc;
  const PetscReal one = 1.0;

  PetscFunctionBegin;
  (void)ctx;
  PetscCall(PetscBLASIntCast(s->m, &m));
  PetscCall(PetscBLASIntCast(s->n, &n));
  PetscCall(PetscBLASIntCast(s->k, &k));
  PetscCall(PetscBLASIntCast(s->lda, &lda));
  PetscCall(PetscBLASIntCast(s->ldb, &ldb));
  PetscCall(PetscBLASIntCast(s->ldc, &ldc));
  PetscCallBLAS("BLASgemm", BLASgemm_("N", s->tb == 'T' ? "T" : "N", &m, &n, &k, &one, A, &lda, B, &ldb, &one, C, &ldc));
  PetscFunctionReturn(0);
}

#if defined(NNPDE_HAVE_LIBXSMM)
static PetscErrorCode GemmXSMM(void *ctx, const Shape *s, const PetscReal *A, const PetscReal *B, PetscReal *C)
{
  PetscFunctionBegin;
  (void)s;
  (*(libxsmm_dmmfunction *)ctx)(A, B, C);
  PetscFunctionReturn(0);
}

/* bwdW in chunks of kc columns of the reduction: kernel[0] for kc, kernel[1] for the remainder */
typedef struct {
  PetscInt            kc;
  libxsmm_dmmfunction kernel[2];
} Chunked;

static PetscErrorCode GemmXSMMChunked(void *ctx, const Shape *s, const PetscReal *A, const PetscReal *B, PetscReal *C)
{
  Chunked *ch = (Chunked *)ctx;
  PetscInt j  = 0;

  PetscFunctionBegin;
  for (; j + ch->kc <= s->k; j += ch->kc) ch->kernel[0](A + j * s->lda, B + j * s->ldb, C);
  if (j < s->k) ch->kernel[1](A + j * s->lda, B + j * s->ldb, C);
  PetscFunctionReturn(0);
}

static libxsmm_dmmfunction Dispatch(const Shape *s, PetscInt k)
{
  const libxsmm_blasint m = s->m, n = s->n, lda = s->lda, ldb = s->ldb, ldc = s->ldc;
  const double          one   = 1.0;
  const int             flags = s->tb == 'T' ? LIBXSMM_GEMM_FLAG_TRANS_B : LIBXSMM_GEMM_FLAG_NONE, prefetch = LIBXSMM_GEMM_PREFETCH_NONE;

  return libxsmm_dmmdispatch(m, n, k, &lda, &ldb, &ldc, &one, &one, &flags, &prefetch);
}
#endif

/* Best rate of fn over 5 batches of about tmin seconds each */
static PetscErrorCode Rate(GemmFn fn, void *ctx, const Shape *s, PetscReal tmin, PetscReal *gflops)
{
  PetscReal     *A, *B, *C;
  PetscInt       reps = 1;
  PetscLogDouble t0, t1, best = PETSC_MAX_REAL;

  PetscFunctionBegin;
  PetscCall(PetscMalloc3(s->lda * s->k, &A, s->ldb * (s->tb == 'T' ? s->k : s->n), &B, s->ldc * s->n, &C));
  for (PetscInt i = 0; i < s->lda * s->k; i++) A[i] = 1.0 / (1 + i % 7);
  for (PetscInt i = 0; i < s->ldb * (s->tb == 'T' ? s->k : s->n); i++) B[i] = 1.0 / (1 + i % 5);
  PetscCall(PetscArrayzero(C, s->ldc * s->n));
  for (;;) { /* calibrate */
    PetscCall(PetscTime(&t0));
    for (PetscInt r = 0; r < reps; r++) PetscCall((*fn)(ctx, s, A, B, C));
    PetscCall(PetscTime(&t1));
    if (t1 - t0 >= tmin / 4) break;
    reps *= 2;
  }
  reps = (PetscInt)PetscMax(1, reps * tmin / PetscMax(t1 - t0, 1e-9));
  for (PetscInt b = 0; b < 5; b++) {
    PetscCall(PetscTime(&t0));
    for (PetscInt r = 0; r < reps; r++) PetscCall((*fn)(ctx, s, A, B, C));
    PetscCall(PetscTime(&t1));
    best = PetscMin(best, (t1 - t0) / reps);
  }
  *gflops = 2.0 * s->m * s->n * s->k / best / 1e9;
  PetscCall(PetscFree3(A, B, C));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt  cols[32] = {64, 96, 128, 160, 192, 256, 320, 400, 512, 640, 768, 1024}, ncols = 12, widths[16] = {3, 50, 50, 1}, nw = 4;
  PetscReal tmin = 0.02;
  PetscBool flg;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  ncols = 32;
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-columns", cols, &ncols, &flg));
  if (!flg) ncols = 12;
  nw = 16;
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-widths", widths, &nw, &flg));
  if (!flg) nw = 4;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-time", &tmin, NULL));
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "GF/s (best of 5), beta = 1; columns = GEMM columns per tile (streams x points)\n"));
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "%-4s %4s %4s %6s %8s %8s %8s %7s\n", "op", "in", "out", "cols", "blas", "xsmm", "xsmm/32", "mlp"));
  for (PetscInt l = 0; l + 1 < nw; l++) {
    for (Op op = OP_FWD; op <= OP_BWDW; op++) {
      for (PetscInt c = 0; c < ncols; c++) {
        const Shape s    = OpShape(op, widths[l], widths[l + 1], cols[c]);
        PetscReal   blas = 0, xsmm = 0, chunked = 0;

        PetscCall(Rate(GemmBLAS, NULL, &s, tmin, &blas));
#if defined(NNPDE_HAVE_LIBXSMM)
        {
          libxsmm_dmmfunction kernel = Dispatch(&s, s.k);

          if (kernel) PetscCall(Rate(GemmXSMM, &kernel, &s, tmin, &xsmm));
          if (op == OP_BWDW) { /* as the MLP runs it: the reduction in chunks of 32 */
            const PetscInt kc = PetscMin(32, s.k);
            Chunked        ch = {kc, {Dispatch(&s, kc), Dispatch(&s, s.k % kc ? s.k % kc : kc)}};

            if (ch.kernel[0] && ch.kernel[1]) PetscCall(Rate(GemmXSMMChunked, &ch, &s, tmin, &chunked));
          }
        }
#endif
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "%-4s %4" PetscInt_FMT " %4" PetscInt_FMT " %6" PetscInt_FMT " %8.2f", OpNames[op], widths[l],
                              widths[l + 1], cols[c], (double)blas));
        if (xsmm > 0)
          PetscCall(PetscPrintf(PETSC_COMM_SELF, " %8.2f", (double)xsmm));
        else
          PetscCall(PetscPrintf(PETSC_COMM_SELF, " %8s", "-"));
        if (chunked > 0)
          PetscCall(PetscPrintf(PETSC_COMM_SELF, " %8.2f", (double)chunked));
        else
          PetscCall(PetscPrintf(PETSC_COMM_SELF, " %8s", "-"));
        if (xsmm > 0 || chunked > 0)
          PetscCall(PetscPrintf(PETSC_COMM_SELF, " %7.2f\n", (double)((op == OP_BWDW ? chunked : xsmm) / blas)));
        else
          PetscCall(PetscPrintf(PETSC_COMM_SELF, " %7s\n", "-"));
      }
    }
  }
  PetscCall(PetscFinalize());
  return 0;
}

/* -nn_mlp_gemm xsmm (libxsmm's JIT kernels) against -nn_mlp_gemm blas: the same network and points give the
   same forward jets, dL/dtheta and dL/dx (NNForward + NNBackward, and the fused NNForwardBackward) to
   round-off, on odd shapes: hidden widths 7, 50, 33 (layer shapes 2 or 3 or 7 Fourier-embedded inputs -> 7 ->
   50 -> 33 -> 1 or 2 outputs), 301 points per rank in tiles of 1, 13 and 37 points and the default tile,
   tanh and sin, with and without an output transform. Prints the worst relative difference (max |a - b| /
   max |b| per array) over all configurations and ranks.
   -points <301>: points per rank (valgrind runs fewer)
   -expect_unavailable: a build without libxsmm; NNMLPSetGemm(xsmm) must fail with PETSC_ERR_SUP.
   -print_default: print the GEMM kind a network with the prefix pinn_u_ gets from the options (-nn_mlp_gemm_default,
    -pinn_u_nn_mlp_gemm) and stop. */
#include <nnpde.h>

/* g = sin(b.x), phi = 1 + x_0^2 / 4, derivatives to third order */
static PetscErrorCode Transform(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  const PetscInt jt = 1 + d + d * d + (order >= 3 ? d * d * d : 0);

  (void)ctx;
  PetscCall(PetscArrayzero(g, n * m * jt));
  PetscCall(PetscArrayzero(phi, n * m * jt));
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt o = 0; o < m; o++) {
      PetscReal b[8], u = 0, *G = &g[(p * m + o) * jt], *F = &phi[(p * m + o) * jt];

      for (PetscInt k = 0; k < d; k++) b[k] = 0.7 * PetscCosReal(2.0 + k + o), u += b[k] * x[p * d + k];
      const PetscReal s = PetscSinReal(u), c = PetscCosReal(u);
      G[0] = s;
      for (PetscInt i = 0; i < d; i++) {
        G[1 + i] = c * b[i];
        for (PetscInt j = 0; j < d; j++) {
          G[1 + d + i * d + j] = -s * b[i] * b[j];
          if (order >= 3)
            for (PetscInt k = 0; k < d; k++) G[1 + d + d * d + (i * d + j) * d + k] = -c * b[i] * b[j] * b[k];
        }
      }
      F[0]         = 1 + 0.25 * x[p * d] * x[p * d];
      F[1]         = 0.5 * x[p * d];
      F[1 + d + 0] = 0.5;
    }
  return 0;
}

typedef struct {
  const PetscReal *c;
  PetscInt         n, m, S;
} AdjointCtx;

/* L = sum c y + y^2 / 2 over the tile: ybar = c + y */
static PetscErrorCode Adjoint(void *vctx, PetscInt first, PetscInt nt, const PetscReal y[], PetscReal ybar[])
{
  AdjointCtx *a = (AdjointCtx *)vctx;

  for (PetscInt s = 0; s < a->S; s++)
    for (PetscInt i = 0; i < nt * a->m; i++) ybar[s * nt * a->m + i] = a->c[(s * a->n + first) * a->m + i] + y[s * nt * a->m + i];
  return 0;
}

static PetscReal RelDiff(PetscInt N, const PetscReal a[], const PetscReal b[])
{
  PetscReal num = 0, den = 0;
  for (PetscInt i = 0; i < N; i++) num = PetscMax(num, PetscAbsReal(a[i] - b[i])), den = PetscMax(den, PetscAbsReal(b[i]));
  return den > 0 ? num / den : num;
}

/* Jets y, NNBackward's gtheta and xbar, and NNForwardBackward's gtheta and xbar with gemm */
static PetscErrorCode Run(NN nn, NNMLPGemm gemm, PetscInt n, const PetscReal x[], const PetscReal c[], PetscReal y[], PetscReal g[], PetscReal xb[],
                          PetscReal gf[], PetscReal xbf[])
{
  PetscInt   S, P, d, m, N;
  PetscReal *ybar;
  AdjointCtx a;

  PetscFunctionBegin;
  PetscCall(NNMLPSetGemm(nn, gemm));
  PetscCall(NNGetNumJets(nn, &S));
  PetscCall(NNGetNumParameters(nn, &P));
  PetscCall(NNGetSizes(nn, &d, &m));
  N = S * n * m;
  PetscCall(PetscMalloc1(N, &ybar));
  PetscCall(NNForward(nn, n, x, y));
  for (PetscInt i = 0; i < N; i++) ybar[i] = c[i] + y[i];
  PetscCall(PetscArrayzero(g, P));
  PetscCall(NNBackward(nn, ybar, g, xb));
  a = (AdjointCtx){c, n, m, S};
  PetscCall(PetscArrayzero(gf, P));
  PetscCall(NNForwardBackward(nn, n, x, Adjoint, &a, gf, xbf));
  PetscCall(PetscFree(ybar));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscMPIInt    rank;
  const PetscInt tiles[4] = {0, 1, 13, 37}, widths[3] = {7, 50, 33};
  PetscInt       n        = 301;
  const char    *what[5]  = {"jets y", "dL/dtheta", "dL/dx", "dL/dtheta (fused)", "dL/dx (fused)"};
  PetscReal      worst[5] = {0}, all = 0;
  PetscInt       nconfig     = 0;
  PetscBool      unavailable = PETSC_FALSE, printdef = PETSC_FALSE;
  NNMLPGemm      def;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-expect_unavailable", &unavailable, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-points", &n, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-print_default", &printdef, NULL));
  if (printdef) {
    NN nn;

    PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
    PetscCall(NNSetType(nn, NNMLP));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, "pinn_u_"));
    PetscCall(NNSetFromOptions(nn));
    PetscCall(NNMLPGetGemm(nn, &def));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "gemm of pinn_u_: %s\n", NNMLPGemms[def]));
    PetscCall(NNDestroy(&nn));
    PetscCall(PetscFinalize());
    return 0;
  }
  if (unavailable) {
    NN             nn;
    PetscErrorCode ierr;

    PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
    PetscCall(NNSetType(nn, NNMLP));
    PetscCall(NNMLPGetGemm(nn, &def));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNMLPSetGemm(nn, NN_MLP_GEMM_XSMM);
    PetscCall(PetscPopErrorHandler());
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "default gemm %s, NNMLPSetGemm(xsmm) %s\n", NNMLPGemms[def],
                          ierr == PETSC_ERR_SUP ? "refused (PETSC_ERR_SUP)" : "NOT refused"));
    PetscCall(NNDestroy(&nn));
    PetscCall(PetscFinalize());
    return ierr == PETSC_ERR_SUP && def == NN_MLP_GEMM_BLAS ? 0 : 1;
  }
  for (PetscInt d = 2; d <= 3; d++) {
    for (PetscInt m = 1; m <= 2; m++) {
      for (PetscInt act = 0; act < 2; act++) {
        for (PetscInt ti = 0; ti < 4; ti++) {
          const PetscInt deriv[2] = {0, 1}, pairs[4] = {0, 1, 1, 1};
          const PetscInt emb = (d + m + ti) % 2, tr = (m + act + ti / 2) % 2; /* Fourier features and transform in half the cases */
          NN             nn;
          PetscInt       S, P, N;
          PetscReal     *x, *c, *y[2], *g[2], *xb[2], *gf[2], *xbf[2];
          Vec            theta, v;
          char           tile[16];

          PetscCall(PetscSNPrintf(tile, sizeof(tile), "%d", (int)tiles[ti]));
          PetscCall(PetscOptionsSetValue(NULL, "-nn_mlp_tile_points", tile));
          PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
          PetscCall(NNSetSizes(nn, d, m));
          PetscCall(NNMLPSetHiddenLayers(nn, 3, widths));
          PetscCall(NNMLPSetActivation(nn, act ? NN_ACTIVATION_SIN : NN_ACTIVATION_TANH));
          PetscCall(NNSetSeed(nn, 11 + d));
          if (emb) PetscCall(NNSetFourierFeatures(nn, 3, 0.5)); /* layer 0 then has d + 6 inputs */
          if (tr) PetscCall(NNSetOutputTransform(nn, Transform, NULL));
          PetscCall(NNSetFromOptions(nn));
          PetscCall(NNSetUp(nn));
          if (!nconfig) PetscCall(NNMLPGetGemm(nn, &def));
          /* value, both first derivatives, d2/dxdy (d = 3 also d2/dy2), Laplacian over all inputs */
          PetscCall(NNSetJets(nn, 2, deriv, d == 2 ? 1 : 2, pairs, PETSC_DETERMINE, NULL));
          PetscCall(NNGetNumJets(nn, &S));
          PetscCall(NNGetNumParameters(nn, &P));
          PetscCall(NNGetParameters(nn, &theta));
          PetscCall(VecDuplicate(theta, &v));
          PetscCall(VecSetRandom(v, NULL));
          PetscCall(VecAXPY(theta, 0.1, v)); /* nonzero biases */
          PetscCall(VecDestroy(&v));
          N = S * n * m;
          PetscCall(PetscMalloc2(n * d, &x, N, &c));
          PetscCall(NNRandomUniformArray(3, 100 + rank, 0, n * d, x));
          for (PetscInt i = 0; i < n * d; i++) x[i] = 2 * x[i] - 1;
          PetscCall(NNRandomNormalArray(5, 200 + rank, 0, N, c));
          for (PetscInt k = 0; k < 2; k++) {
            PetscCall(PetscMalloc5(N, &y[k], P, &g[k], n * d, &xb[k], P, &gf[k], n * d, &xbf[k]));
            PetscCall(Run(nn, k ? NN_MLP_GEMM_XSMM : NN_MLP_GEMM_BLAS, n, x, c, y[k], g[k], xb[k], gf[k], xbf[k]));
          }
          worst[0] = PetscMax(worst[0], RelDiff(N, y[1], y[0]));
          worst[1] = PetscMax(worst[1], RelDiff(P, g[1], g[0]));
          worst[2] = PetscMax(worst[2], RelDiff(n * d, xb[1], xb[0]));
          worst[3] = PetscMax(worst[3], RelDiff(P, gf[1], gf[0]));
          worst[4] = PetscMax(worst[4], RelDiff(n * d, xbf[1], xbf[0]));
          nconfig++;
          for (PetscInt k = 0; k < 2; k++) PetscCall(PetscFree5(y[k], g[k], xb[k], gf[k], xbf[k]));
          PetscCall(PetscFree2(x, c));
          PetscCall(NNDestroy(&nn));
        }
      }
    }
  }
  PetscCall(PetscOptionsClearValue(NULL, "-nn_mlp_tile_points"));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, worst, 5, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " configurations, default gemm %s\n", nconfig, NNMLPGemms[def]));
  for (PetscInt i = 0; i < 5; i++) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-18s %.1e\n", what[i], (double)worst[i]));
    all = PetscMax(all, worst[i]);
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference xsmm vs blas: %.1e\n", (double)all));
  PetscCall(PetscFinalize());
  return 0;
}

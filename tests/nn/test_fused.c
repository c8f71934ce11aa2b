/* NNForwardBackward() against NNForward() + NNBackward(): the jets handed to the adjoint callback,
   dL/dtheta and dL/dx must agree to 1e-13 relative, with and without output transform, for a few
   activations and embeddings, and for tiles of 1, 2 and 7 points (7 does not divide the 301
   points) as well as the default tile. The loss is L = sum_i c_i y_i + y_i^2 / 2, ybar = c + y. */
#include <nnpde.h>

#define TOL 1e-13

/* g = sin(b.x), phi = exp(a.x), all derivatives to third order, per output o scaled by 1 + o/2 */
static PetscErrorCode Transform(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  const PetscInt jt = 1 + d + d * d + (order >= 3 ? d * d * d : 0);

  (void)ctx;
  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt o = 0; o < m; o++) {
      const PetscReal c = 1.0 + 0.5 * o;
      PetscReal       a[8], b[8], u = 0, v = 0, *G = &g[(p * m + o) * jt], *F = &phi[(p * m + o) * jt];

      for (PetscInt k = 0; k < d; k++) {
        a[k] = 0.3 * PetscSinReal(1.0 + k), b[k] = 0.7 * PetscCosReal(2.0 + k);
        u += b[k] * x[p * d + k], v += a[k] * x[p * d + k];
      }
      const PetscReal s = c * PetscSinReal(u), co = c * PetscCosReal(u), e = c * PetscExpReal(v);
      G[0] = s, F[0] = e;
      for (PetscInt i = 0; i < d; i++) {
        G[1 + i] = co * b[i], F[1 + i] = e * a[i];
        for (PetscInt j = 0; j < d; j++) {
          G[1 + d + i * d + j] = -s * b[i] * b[j], F[1 + d + i * d + j] = e * a[i] * a[j];
          if (order >= 3)
            for (PetscInt k = 0; k < d; k++) {
              G[1 + d + d * d + (i * d + j) * d + k] = -co * b[i] * b[j] * b[k];
              F[1 + d + d * d + (i * d + j) * d + k] = e * a[i] * a[j] * a[k];
            }
        }
      }
    }
  }
  return 0;
}

typedef struct {
  PetscInt         n, m, S;
  const PetscReal *c, *yref; /* all points, layout of nn.h */
  PetscReal        ydiff, ymax;
  PetscInt         next; /* first point of the tile expected next */
  PetscBool        order_ok;
} AdjointCtx;

static PetscErrorCode Adjoint(void *vctx, PetscInt first, PetscInt nt, const PetscReal y[], PetscReal ybar[])
{
  AdjointCtx *ctx = (AdjointCtx *)vctx;

  if (first != ctx->next || nt <= 0 || first + nt > ctx->n) ctx->order_ok = PETSC_FALSE;
  ctx->next = first + nt;
  for (PetscInt s = 0; s < ctx->S; s++)
    for (PetscInt p = 0; p < nt; p++)
      for (PetscInt o = 0; o < ctx->m; o++) {
        const PetscInt i = (s * nt + p) * ctx->m + o, ig = (s * ctx->n + first + p) * ctx->m + o;
        ctx->ydiff = PetscMax(ctx->ydiff, PetscAbsReal(y[i] - ctx->yref[ig]));
        ctx->ymax  = PetscMax(ctx->ymax, PetscAbsReal(ctx->yref[ig]));
        ybar[i]    = ctx->c[ig] + y[i];
      }
  return 0;
}

static PetscReal RelDiff(PetscInt N, const PetscReal a[], const PetscReal b[])
{
  PetscReal num = 0, den = 0;
  for (PetscInt i = 0; i < N; i++) num = PetscMax(num, PetscAbsReal(a[i] - b[i])), den = PetscMax(den, PetscAbsReal(b[i]));
  return den > 0 ? num / den : num;
}

int main(int argc, char **argv)
{
  PetscMPIInt    rank;
  const PetscInt tiles[4] = {0, 1, 2, 7}, n = 301, m = 2, widths[2] = {9, 8};
  const char    *what[4]  = {"jets y", "dL/dtheta", "dL/dtheta (no xbar)", "dL/dx"};
  PetscReal      worst[4] = {0};
  PetscInt       nconfig = 0, bad_order = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  for (PetscInt d = 2; d <= 3; d++) {
    for (PetscInt act = 0; act < 2; act++) { /* tanh (derivatives recomputed in reverse), sin (kept) */
      for (PetscInt emb = 0; emb < 2; emb++) {
        for (PetscInt tr = 0; tr < 2; tr++) {
          for (PetscInt ti = 0; ti < 4; ti++) {
            const PetscInt deriv[2] = {0, 1}, pairs[4] = {0, 1, 1, 1};
            NN             nn;
            PetscInt       S, P, N;
            PetscReal     *x, *y, *c, *ybar, *g0, *g1, *g2, *x0, *x1;
            Vec            theta, v;
            char           tile[16];
            AdjointCtx     actx;

            PetscCall(PetscSNPrintf(tile, sizeof(tile), "%d", (int)tiles[ti]));
            PetscCall(PetscOptionsSetValue(NULL, "-nn_mlp_tile_points", tile));
            PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
            PetscCall(NNSetSizes(nn, d, m));
            PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
            PetscCall(NNMLPSetActivation(nn, act ? NN_ACTIVATION_SIN : NN_ACTIVATION_TANH));
            PetscCall(NNSetSeed(nn, 7 + d));
            PetscCall(NNSetInitialization(nn, NN_INIT_GLOROT_NORMAL, 1.5));
            if (emb) PetscCall(NNSetFourierFeatures(nn, 3, 0.5));
            if (tr) PetscCall(NNSetOutputTransform(nn, Transform, NULL));
            PetscCall(NNSetFromOptions(nn));
            PetscCall(NNSetUp(nn));
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
            PetscCall(PetscMalloc5(n * d, &x, N, &y, N, &c, N, &ybar, n * d, &x0));
            PetscCall(PetscMalloc1(n * d, &x1));
            PetscCall(PetscCalloc3(P, &g0, P, &g1, P, &g2));
            PetscCall(NNRandomUniformArray(3, 100 + rank, 0, n * d, x));
            for (PetscInt i = 0; i < n * d; i++) x[i] = 2 * x[i] - 1;
            PetscCall(NNRandomNormalArray(5, 200 + rank, 0, N, c));

            PetscCall(NNForward(nn, n, x, y));
            for (PetscInt i = 0; i < N; i++) ybar[i] = c[i] + y[i];
            PetscCall(NNBackward(nn, ybar, g0, x0));

            actx = (AdjointCtx){.n = n, .m = m, .S = S, .c = c, .yref = y, .next = 0, .order_ok = PETSC_TRUE};
            PetscCall(NNForwardBackward(nn, n, x, Adjoint, &actx, g1, x1));
            if (actx.next != n) actx.order_ok = PETSC_FALSE;
            worst[0]  = PetscMax(worst[0], actx.ymax > 0 ? actx.ydiff / actx.ymax : actx.ydiff);
            actx.next = 0;
            PetscCall(NNForwardBackward(nn, n, x, Adjoint, &actx, g2, NULL));
            if (actx.next != n) actx.order_ok = PETSC_FALSE;
            if (!actx.order_ok) bad_order++;
            worst[1] = PetscMax(worst[1], RelDiff(P, g1, g0));
            worst[2] = PetscMax(worst[2], RelDiff(P, g2, g0));
            worst[3] = PetscMax(worst[3], RelDiff(n * d, x1, x0));
            nconfig++;
            PetscCall(PetscFree5(x, y, c, ybar, x0));
            PetscCall(PetscFree(x1));
            PetscCall(PetscFree3(g0, g1, g2));
            PetscCall(NNDestroy(&nn));
          }
        }
      }
    }
  }
  PetscCall(PetscOptionsClearValue(NULL, "-nn_mlp_tile_points"));
  {
    PetscReal all[4];
    PetscInt  fail = 0, bad;
    PetscCall(MPIU_Allreduce(worst, all, 4, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
    PetscCall(MPIU_Allreduce(&bad_order, &bad, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " configurations checked\n", nconfig));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-20s %s\n", "tile order", bad ? "FAILED" : "ok"));
    for (PetscInt i = 0; i < 4; i++) {
      const PetscBool ok = all[i] <= TOL ? PETSC_TRUE : PETSC_FALSE;
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-20s %s (tolerance 1e-13)\n", what[i], ok ? "ok" : "FAILED"));
      if (!ok) {
        fail++;
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "[%d] %s: relative difference %.3e\n", rank, what[i], (double)worst[i]));
      }
    }
    PetscCheck(!fail && !bad, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " fused/split comparisons failed", fail + (bad ? 1 : 0));
  }
  PetscCall(PetscFinalize());
  return 0;
}

/* The KRnet flow's batched evaluation (tiles of points on one tape) against one call per point:
   log p (with points outside the box mixed in), the inverse map, grad_x log p, the input-derivative
   jets of NNForward() and, to round-off (sums over the points in another order), the parameter
   gradients of sum w log p and of both penalties. Flows: d = 10 with the DAS code's defaults (relu,
   depth 6, width 24, 32 bins) and d = 3 with tanh couplings and rotations; parameters away from the
   initialization. One rank (the batch functions are per rank). */
#include <nnpde.h>

static PetscErrorCode MakeFlow(PetscInt d, PetscBool rotation, NNActivation act, NN *nn)
{
  PetscReal lo[16], hi[16], *noise;
  PetscInt  n;
  Vec       P;

  PetscFunctionBegin;
  PetscCall(NNCreate(PETSC_COMM_SELF, nn));
  PetscCall(NNSetSizes(*nn, d, 1));
  PetscCall(NNSetType(*nn, NNKRNET));
  PetscCall(NNSetSeed(*nn, 11));
  PetscCall(NNKRnetSetRotation(*nn, rotation));
  PetscCall(NNKRnetSetActivation(*nn, act));
  for (PetscInt k = 0; k < d; k++) lo[k] = -1.0 - 0.05 * k, hi[k] = 1.0 + 0.1 * k;
  PetscCall(NNKRnetSetDomain(*nn, lo, hi));
  PetscCall(NNSetUp(*nn));
  PetscCall(NNGetParameters(*nn, &P));
  PetscCall(NNGetNumParameters(*nn, &n));
  PetscCall(PetscMalloc1(n, &noise));
  PetscCall(NNRandomNormalArray(5, 0, 0, n, noise));
  for (PetscInt i = 0; i < n - 1; i++) PetscCall(VecSetValue(P, i, 0.1 * noise[i], ADD_VALUES));
  PetscCall(VecAssemblyBegin(P));
  PetscCall(VecAssemblyEnd(P));
  PetscCall(PetscFree(noise));
  PetscFunctionReturn(0);
}

static PetscReal RelDiff(PetscInt n, const PetscReal a[], const PetscReal b[])
{
  PetscReal num = 0, den = 0;
  for (PetscInt i = 0; i < n; i++) {
    if (PetscIsInfReal(a[i]) || PetscIsInfReal(b[i])) {
      if (a[i] != b[i]) return PETSC_INFINITY;
      continue;
    }
    num = PetscMax(num, PetscAbsReal(a[i] - b[i]));
    den = PetscMax(den, PetscAbsReal(b[i]));
  }
  return den > 0 ? num / den : num;
}

/* *exact: max relative difference of the per-point quantities (log p, inverse, grad_x log p, jets;
   log p and the inverse use the same operations per point in both, the reverse sweeps' matrix
   products may not); *summed: of the sums over points (values and gradients) */
static PetscErrorCode Compare(PetscInt d, PetscBool rotation, NNActivation act, PetscReal *exact, PetscReal *summed)
{
  const PetscInt   n = 150, deriv[2] = {0, 2};
  NN               nn;
  PetscInt         P, S;
  PetscReal       *x, *w, *lp, *lp1, *gx, *gx1, *xs, *xs1, *g, *g1, *y, *y1, v, v1, acc;
  const PetscReal *lo, *hi;

  PetscFunctionBegin;
  PetscCall(MakeFlow(d, rotation, act, &nn));
  PetscCall(NNGetNumParameters(nn, &P));
  PetscCall(NNKRnetGetDomain(nn, &lo, &hi));
  PetscCall(PetscMalloc6(n * d, &x, n, &w, n, &lp, n, &lp1, n * d, &gx, n * d, &gx1));
  PetscCall(PetscMalloc6(n * d, &xs, n * d, &xs1, P, &g, P, &g1, 3 * n, &y, 3, &y1));
  PetscCall(NNRandomUniformArray(21, 0, 0, n * d, x));
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt k = 0; k < d; k++) x[p * d + k] = lo[k] + (hi[k] - lo[k]) * (0.02 + 0.96 * x[p * d + k]);
  PetscCall(NNRandomUniformArray(21, 1, 0, n, w));
  *exact = *summed = 0;

  /* log p with points outside the box (-inf) at both ends of a tile and inside one */
  x[0 * d] = hi[0] + 0.5, x[37 * d + 1] = lo[1], x[(n - 1) * d] = lo[0] - 1.0;
  PetscCall(NNKRnetLogDensity(nn, n, x, lp));
  for (PetscInt p = 0; p < n; p++) PetscCall(NNKRnetLogDensity(nn, 1, &x[p * d], &lp1[p]));
  *exact = PetscMax(*exact, RelDiff(n, lp, lp1));
  PetscCheck(PetscIsInfReal(lp[0]) && PetscIsInfReal(lp[37]) && PetscIsInfReal(lp[n - 1]), PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "log p outside the box is not -inf");
  x[0 * d] = 0.1, x[37 * d + 1] = 0.2, x[(n - 1) * d] = -0.3;

  /* inverse map (sampling) */
  PetscCall(NNRandomNormalArray(22, 0, 0, n * d, xs1));
  PetscCall(NNKRnetInverse(nn, n, xs1, xs));
  for (PetscInt p = 0; p < n; p++) PetscCall(NNKRnetInverse(nn, 1, &xs1[p * d], &xs1[p * d]));
  *exact = PetscMax(*exact, RelDiff(n * d, xs, xs1));

  /* grad_x log p */
  PetscCall(NNKRnetLogDensityGradient(nn, n, x, lp, gx));
  for (PetscInt p = 0; p < n; p++) PetscCall(NNKRnetLogDensityGradient(nn, 1, &x[p * d], &lp1[p], &gx1[p * d]));
  *exact = PetscMax(*exact, PetscMax(RelDiff(n, lp, lp1), RelDiff(n * d, gx, gx1)));

  /* jets: log p, d log p/dx_0, d log p/dx_2 */
  PetscCall(NNSetJets(nn, 2, deriv, 0, NULL, 0, NULL));
  PetscCall(NNGetNumJets(nn, &S));
  PetscCheck(S == 3, PETSC_COMM_SELF, PETSC_ERR_PLIB, "expected 3 jets, got %" PetscInt_FMT, S);
  PetscCall(NNForward(nn, n, x, y));
  acc = 0;
  for (PetscInt p = 0; p < n; p++) {
    PetscCall(NNForward(nn, 1, &x[p * d], y1));
    for (PetscInt a = 0; a < 3; a++) acc = PetscMax(acc, PetscAbsReal(y[a * n + p] - y1[a]) / PetscMax(1.0, PetscAbsReal(y1[a])));
  }
  *exact = PetscMax(*exact, acc);
  PetscCall(NNSetJets(nn, 0, NULL, 0, NULL, 0, NULL));

  /* sums over the points: weighted log p and both penalties, values and parameter gradients */
  for (PetscInt t = 0; t < 3; t++) {
    PetscCall(PetscArrayzero(g, P));
    PetscCall(PetscArrayzero(g1, P));
    v1 = 0;
    if (t == 0)
      PetscCall(NNKRnetWeightedLogDensity(nn, n, x, w, &v, g));
    else
      PetscCall(NNKRnetPenalty(nn, t == 1 ? NNKRNET_PENALTY_GRAD_P : NNKRNET_PENALTY_GRAD_LOGP, n, x, w, &v, g));
    for (PetscInt p = 0; p < n; p++) {
      PetscReal vp;
      if (t == 0)
        PetscCall(NNKRnetWeightedLogDensity(nn, 1, &x[p * d], &w[p], &vp, g1));
      else
        PetscCall(NNKRnetPenalty(nn, t == 1 ? NNKRNET_PENALTY_GRAD_P : NNKRNET_PENALTY_GRAD_LOGP, 1, &x[p * d], &w[p], &vp, g1));
      v1 += vp;
    }
    *summed = PetscMax(*summed, PetscMax(RelDiff(1, &v, &v1), RelDiff(P, g, g1)));
  }
  PetscCall(PetscFree6(x, w, lp, lp1, gx, gx1));
  PetscCall(PetscFree6(xs, xs1, g, g1, y, y1));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscReal e1, s1, e2, s2;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(Compare(10, PETSC_FALSE, NN_ACTIVATION_RELU, &e1, &s1));
  PetscCall(Compare(3, PETSC_TRUE, NN_ACTIVATION_TANH, &e2, &s2));
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD,
                  "batch vs one point per call: log p, inverse, grad_x log p, jets: max relative difference %.1e (relu d=10), %.1e (tanh d=3)\n",
                  (double)e1, (double)e2));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "batch vs one point per call: sums over the points (values, parameter gradients): %.1e (relu d=10), %.1e (tanh d=3)\n",
                        (double)s1, (double)s2));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "batch vs single point: max difference %.1e\n", (double)PetscMax(PetscMax(e1, e2), PetscMax(s1, s2))));
  PetscCall(PetscFinalize());
  return 0;
}

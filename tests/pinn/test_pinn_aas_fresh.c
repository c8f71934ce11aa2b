/* The aas sampler's flow objective on fresh samples (-pinn_sampler_aas_fresh M), through
   PINNSamplerAASComputeFreshObjective(), on poisson2d after one adapt (8 fresh flow steps):
   (1) exactness: the samples of a flow step rebuilt here (the flow's draws from stream 2^48 + t, the
       first M inside the domain), with their r2 and densities, give the analytic sum
       -(1/(M-1)) sum_j (r2_j - mean r2) grad log p(x_j) + (beta/M) sum_j grad |grad_x p(x_j)|^2 / p(x_j)
       through NNKRnetWeightedLogDensity()/NNKRnetPenalty(); the estimator's gradient equals it to round-off;
   (2) unbiasedness: with many samples (M = 10^5), the estimate equals, to its statistical error, the
       gradient of the objective it estimates, -(E_p[r2 | Omega] - beta int_Omega |grad_x p|^2 / Z), computed
       by a midpoint quadrature on the unit square (that gradient itself checked against central
       differences of the quadrature), once with r2 dominant and once with the penalty alone (the
       interior term's weight 1e-9); the flow lives on [-1/4, 5/4]^2, so that its density is smooth on
       the unit square (no steep logit layer near the domain's edges for the quadrature to miss) and
       about a third of its draws are rejected;
   the figures do not depend on the number of ranks (samples and quadrature points sharded). */
#include "poisson_problem.h"
#include "flow_options.h"

#define NINT 120
#define MBIG 100000
#define NQ 300

/* the aas sampler with fresh samples and the given beta, on the small flow of the flow-sampler tests */
static PetscErrorCode SetFreshOptions(const char beta[], PetscBool set)
{
  const char *o[] = {"-pinn_sampler_aas_fresh", "50", "-pinn_sampler_aas_beta", beta, NULL};

  PetscFunctionBegin;
  PetscCall(SetOptions("aas", o, set));
  PetscFunctionReturn(0);
}

/* poisson2d with the aas sampler (fresh samples), the interior term weighted by `weight`, adapted once */
static PetscErrorCode Setup(PetscReal weight, const char beta[], PINN *pinn, PINNSampler *s, NN *flow)
{
  PetscFunctionBegin;
  PetscCall(SetFreshOptions(beta, PETSC_TRUE));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, pinn));
  PetscCall(PINNSetTermWeight(*pinn, 0, weight));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNGetSampler(*pinn, s));
  {
    const PetscReal lo[2] = {-0.25, -0.25}, hi[2] = {1.25, 1.25};
    NN              f;
    PetscCall(NNCreate(PETSC_COMM_WORLD, &f));
    PetscCall(NNSetSizes(f, 2, 1));
    PetscCall(NNSetType(f, NNKRNET));
    PetscCall(NNSetSeed(f, 78));
    PetscCall(NNKRnetSetDomain(f, lo, hi));
    PetscCall(NNKRnetSetArchitecture(f, 1, 2, 8));
    PetscCall(NNKRnetSetCDFBins(f, 8));
    PetscCall(PINNSamplerSetFlow(*s, f));
    PetscCall(NNDestroy(&f));
  }
  PetscCall(PINNSetUp(*pinn));
  PetscCall(PINNSamplerAdapt(*s, *pinn));
  PetscCall(PINNSamplerGetFlow(*s, flow));
  PetscCall(SetFreshOptions(beta, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* max_i |G_i - g_i| / max_i |g_i|, G distributed, g replicated */
static PetscErrorCode Compare(Vec G, const PetscReal g[], PetscReal *rel)
{
  const PetscScalar *a;
  PetscInt           lo, hi, np;
  PetscReal          m[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(G, &lo, &hi));
  PetscCall(VecGetSize(G, &np));
  PetscCall(VecGetArrayRead(G, &a));
  for (PetscInt i = lo; i < hi; i++) m[0] = PetscMax(m[0], PetscAbsReal(PetscRealPart(a[i - lo]) - g[i]));
  PetscCall(VecRestoreArrayRead(G, &a));
  for (PetscInt i = 0; i < np; i++) m[1] = PetscMax(m[1], PetscAbsReal(g[i]));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, m, 2, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  *rel = m[0] / m[1];
  PetscFunctionReturn(0);
}

/* (1) The M samples of flow step t rebuilt here, the analytic sum, vs the estimator; returns the relative difference */
static PetscErrorCode CheckExact(PINN pinn, PINNSampler s, NN flow, PetscReal beta, PetscInt t, PetscInt M, PetscReal *rel)
{
  const PetscInt K = 2 * M + 64; /* candidates: the first M inside are the samples */
  PetscInt       seed, np, m = 0;
  PetscReal     *xc, *lpc, *x, *lp, *r2, *c, *g, mean = 0, value, vref, pen = 0;
  PetscBool     *in;
  PINNGeometry   geom;
  NNRandom       rnd;
  Vec            G, theta;

  PetscFunctionBegin;
  PetscCall(NNGetParameters(flow, &theta));
  PetscCall(VecDuplicate(theta, &G));
  PetscCall(PINNSamplerAASComputeFreshObjective(s, pinn, t, M, &value, G));
  PetscCall(PINNSamplerGetSeed(s, &seed));
  PetscCall(NNRandomCreate(PETSC_COMM_SELF, &rnd));
  PetscCall(NNRandomSetSeed(rnd, (uint64_t)seed));
  PetscCall(PetscMalloc7(2 * K, &xc, K, &lpc, K, &in, 2 * M, &x, M, &lp, M, &r2, M, &c));
  PetscCall(NNKRnetSample(flow, rnd, (UINT64_C(1) << 48) + (uint64_t)t, 0, K, xc, lpc));
  PetscCall(PINNGetGeometry(pinn, &geom));
  PetscCall(PINNGeometryContains(geom, K, xc, in));
  for (PetscInt i = 0; i < K && m < M; i++)
    if (in[i] && !PetscIsInfOrNanReal(lpc[i])) {
      x[2 * m]     = xc[2 * i];
      x[2 * m + 1] = xc[2 * i + 1];
      lp[m++]      = lpc[i];
    }
  PetscCheck(m == M, PETSC_COMM_SELF, PETSC_ERR_PLIB, "only %" PetscInt_FMT " of %" PetscInt_FMT " candidates inside", m, K);
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, M, x, r2, NULL));
  for (PetscInt j = 0; j < M; j++) mean += r2[j] / (PetscReal)M;
  PetscCall(NNGetNumParameters(flow, &np));
  PetscCall(PetscCalloc1(np, &g));
  for (PetscInt j = 0; j < M; j++) c[j] = -(r2[j] - mean) / (PetscReal)(M - 1);
  PetscCall(NNKRnetWeightedLogDensity(flow, M, x, c, NULL, g));
  for (PetscInt j = 0; j < M; j++) c[j] = beta / ((PetscReal)M * PetscExpReal(lp[j]));
  PetscCall(NNKRnetPenalty(flow, NNKRNET_PENALTY_GRAD_P, M, x, c, &pen, g));
  vref = pen - mean;
  PetscCall(Compare(G, g, rel));
  *rel = PetscMax(*rel, PetscAbsReal(value - vref) / PetscAbsReal(vref));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "  exactness, M = %" PetscInt_FMT ", step %" PetscInt_FMT ": value %.12e vs %.12e, relative difference %.3e\n", M, t,
                        (double)value, (double)vref, (double)*rel));
  PetscCall(PetscFree(g));
  PetscCall(PetscFree7(xc, lpc, in, x, lp, r2, c));
  PetscCall(NNRandomDestroy(&rnd));
  PetscCall(VecDestroy(&G));
  PetscFunctionReturn(0);
}

/* The quadrature points of this rank (midpoints of an NQ x NQ grid of the unit square, a slice of the global order) */
static PetscErrorCode QuadPoints(PetscInt *n, PetscReal **x)
{
  PetscMPIInt rank, size;
  PetscInt    lo, hi;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  lo = (PetscInt)(((PetscInt64)NQ * NQ * rank) / size);
  hi = (PetscInt)(((PetscInt64)NQ * NQ * (rank + 1)) / size);
  *n = hi - lo;
  PetscCall(PetscMalloc1(2 * *n + 1, x));
  for (PetscInt q = lo; q < hi; q++) {
    (*x)[2 * (q - lo)]     = ((PetscReal)(q % NQ) + 0.5) / NQ;
    (*x)[2 * (q - lo) + 1] = ((PetscReal)(q / NQ) + 0.5) / NQ;
  }
  PetscFunctionReturn(0);
}

/* F = -(E_p[r2 | Omega] - beta int_Omega |grad_x p|^2 / Z0) by the midpoint rule, r2 given at the points;
   Z0 <= 0: Z0 = Z = int_Omega p, set; G (may be NULL): the exact gradient of the quadrature sum, Z0 held fixed */
static PetscErrorCode Quadrature(NN flow, PetscInt n, const PetscReal x[], const PetscReal r2[], PetscReal beta, PetscReal *Z0, PetscReal *F, Vec G)
{
  const PetscReal h2 = 1.0 / ((PetscReal)NQ * NQ);
  PetscReal      *lp, *gx, *c, s[3] = {0, 0, 0}, Eg;
  PetscInt        np;

  PetscFunctionBegin;
  PetscCall(PetscMalloc3(n + 1, &lp, 2 * n + 1, &gx, n + 1, &c));
  PetscCall(NNKRnetLogDensityGradient(flow, n, x, lp, gx));
  for (PetscInt q = 0; q < n; q++) {
    const PetscReal p = PetscExpReal(lp[q]);
    s[0] += h2 * p;
    s[1] += h2 * r2[q] * p;
    s[2] += h2 * p * p * (gx[2 * q] * gx[2 * q] + gx[2 * q + 1] * gx[2 * q + 1]);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, s, 3, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  if (*Z0 <= 0) *Z0 = s[0];
  Eg = s[1] / s[0];
  *F = -(Eg - beta * s[2] / *Z0);
  if (G) {
    PetscReal *g;
    PetscCall(NNGetNumParameters(flow, &np));
    PetscCall(PetscCalloc1(np, &g));
    for (PetscInt q = 0; q < n; q++) c[q] = -h2 * (r2[q] - Eg) * PetscExpReal(lp[q]) / s[0];
    PetscCall(NNKRnetWeightedLogDensity(flow, n, x, c, NULL, g));
    for (PetscInt q = 0; q < n; q++) c[q] = beta * h2 / *Z0;
    PetscCall(NNKRnetPenalty(flow, NNKRNET_PENALTY_GRAD_P, n, x, c, NULL, g));
    PetscCall(NNReduceGradient(flow, g, G));
    PetscCall(PetscFree(g));
  }
  PetscCall(PetscFree3(lp, gx, c));
  PetscFunctionReturn(0);
}

/* (2) The estimate with M = MBIG fresh samples vs the quadrature gradient; returns |G_est - G_q| / |G_q| */
static PetscErrorCode CheckUnbiased(PINN pinn, PINNSampler s, NN flow, PetscReal beta, const char label[], PetscReal *rel)
{
  PetscInt   n = 0;
  PetscReal *x, *r2, Z0 = 0, F, Fp, Fm, nq, nd, vq, eps = 1e-5, fd;
  Vec        theta, Ge, Gq, v;

  PetscFunctionBegin;
  PetscCall(NNGetParameters(flow, &theta));
  PetscCall(VecDuplicate(theta, &Ge));
  PetscCall(VecDuplicate(theta, &Gq));
  PetscCall(VecDuplicate(theta, &v));
  PetscCall(PINNSamplerAASComputeFreshObjective(s, pinn, 5000, MBIG, NULL, Ge));
  PetscCall(QuadPoints(&n, &x));
  PetscCall(PetscMalloc1(n + 1, &r2));
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, n, x, r2, NULL));
  PetscCall(Quadrature(flow, n, x, r2, beta, &Z0, &F, Gq));
  PetscCall(VecNorm(Gq, NORM_2, &nq));
  PetscCall(VecCopy(Ge, v));
  PetscCall(VecAXPY(v, -1.0, Gq));
  PetscCall(VecNorm(v, NORM_2, &nd));
  *rel = nd / nq;
  /* the quadrature gradient vs central differences of the quadrature along it */
  PetscCall(VecCopy(Gq, v));
  PetscCall(VecScale(v, 1.0 / nq));
  PetscCall(VecDot(Gq, v, &vq));
  PetscCall(VecAXPY(theta, eps, v));
  PetscCall(Quadrature(flow, n, x, r2, beta, &Z0, &Fp, NULL));
  PetscCall(VecAXPY(theta, -2 * eps, v));
  PetscCall(Quadrature(flow, n, x, r2, beta, &Z0, &Fm, NULL));
  PetscCall(VecAXPY(theta, eps, v));
  fd = (Fp - Fm) / (2 * eps);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "  %s: objective %.6e (Z %.6f); |grad| by quadrature %.6e (central difference along it %.6e, relative %.1e); "
                        "M = %d fresh samples: relative difference %.3e\n",
                        label, (double)F, (double)Z0, (double)nq, (double)fd, (double)PetscAbsReal(fd - vq) / (double)nq, MBIG, (double)*rel));
  PetscCheck(PetscAbsReal(fd - vq) < 1e-2 * nq, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: the quadrature gradient disagrees with its central difference",
             label);
  PetscCall(PetscFree(x));
  PetscCall(PetscFree(r2));
  PetscCall(VecDestroy(&Ge));
  PetscCall(VecDestroy(&Gq));
  PetscCall(VecDestroy(&v));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINN        pinn;
  PINNSampler s;
  NN          flow;
  PetscReal   exact = 0, worst = 0, rel;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "r2 dominant (beta 0.5):\n"));
  PetscCall(Setup(1.0, "0.5", &pinn, &s, &flow));
  PetscCall(CheckExact(pinn, s, flow, 0.5, 1000, 64, &rel));
  exact = PetscMax(exact, rel);
  PetscCall(CheckUnbiased(pinn, s, flow, 0.5, "r2 dominant", &rel));
  worst = PetscMax(worst, rel);
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "penalty alone (interior term weight 1e-9, beta 0.5):\n"));
  PetscCall(Setup(1e-9, "0.5", &pinn, &s, &flow));
  PetscCall(CheckExact(pinn, s, flow, 0.5, 1000, 64, &rel));
  exact = PetscMax(exact, rel);
  PetscCall(CheckUnbiased(pinn, s, flow, 0.5, "penalty alone", &rel));
  worst = PetscMax(worst, rel);
  PetscCall(PINNDestroy(&pinn));
  PetscCheck(exact < 1e-11, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the estimator differs from the analytic sum on its samples by %g", (double)exact);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "exactness on the rebuilt samples: worst relative difference %.3e\n", (double)exact));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fresh estimate vs quadrature gradient: worst relative difference %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

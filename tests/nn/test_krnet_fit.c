/* Maximum-likelihood fit of the KRnet flow with TAO Adam on samples of a 2-D Gaussian mixture
   restricted to the box [-1, 1]^2: the excess negative log-likelihood over that of the true density,
   (1/N) sum_i [log q(x_i) - log p(x_i)] (a sample estimate of KL(q || p)), must fall by the factor
   -min_factor. Samples are split over the ranks; the loss and gradient are summed over them. */
#include <nnpde.h>

#define NC 3
static const PetscReal mu[NC][2] = {{-0.45, -0.35}, {0.4, 0.45}, {0.35, -0.5}};
static const PetscReal sig[NC] = {0.18, 0.22, 0.12}, wmix[NC] = {0.4, 0.35, 0.25};

/* log of the mixture density restricted and renormalized to [-1, 1]^2 */
static PetscReal LogTrue(const PetscReal x[])
{
  PetscReal s = 0, mass = 0;
  for (PetscInt c = 0; c < NC; c++) {
    PetscReal m = wmix[c], r2 = 0;
    for (PetscInt k = 0; k < 2; k++) {
      m *= 0.5 * (erf((1 - mu[c][k]) / (PetscSqrtReal(2.0) * sig[c])) - erf((-1 - mu[c][k]) / (PetscSqrtReal(2.0) * sig[c])));
      r2 += PetscSqr(x[k] - mu[c][k]);
    }
    mass += m;
    s += wmix[c] * PetscExpReal(-0.5 * r2 / PetscSqr(sig[c])) / (2 * PETSC_PI * PetscSqr(sig[c]));
  }
  return PetscLogReal(s / mass);
}

typedef struct {
  NN         nn;
  PetscInt   n, N;
  PetscReal *x, *w, *g;
} Fit;

static PetscErrorCode FormFunctionGradient(Tao tao, Vec P, PetscReal *f, Vec G, void *ctx)
{
  Fit      *fit = (Fit *)ctx;
  PetscInt  np;
  PetscReal local;

  PetscFunctionBegin;
  (void)tao;
  (void)P;
  PetscCall(NNGetNumParameters(fit->nn, &np));
  PetscCall(PetscArrayzero(fit->g, np));
  PetscCall(NNKRnetWeightedLogDensity(fit->nn, fit->n, fit->x, fit->w, &local, fit->g));
  PetscCall(MPIU_Allreduce(&local, f, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)fit->nn)));
  PetscCall(NNReduceGradient(fit->nn, fit->g, G));
  PetscFunctionReturn(0);
}

static PetscErrorCode ExcessNLL(Fit *fit, PetscReal *excess)
{
  PetscReal *lp, s = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(fit->n + 1, &lp));
  PetscCall(NNKRnetLogDensity(fit->nn, fit->n, fit->x, lp));
  for (PetscInt i = 0; i < fit->n; i++) s += LogTrue(&fit->x[2 * i]) - lp[i];
  PetscCall(MPIU_Allreduce(&s, excess, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)fit->nn)));
  *excess /= fit->N;
  PetscCall(PetscFree(lp));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Fit         fit;
  PetscInt    N = 800, iters = 150, np, lo, hi, count = 0;
  PetscReal   minfactor = 8, e0, e1, *all;
  PetscMPIInt rank, size;
  Tao         tao;
  Vec         P;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &N, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-iters", &iters, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_factor", &minfactor, NULL));
  /* samples by rejection from the mixture, a pure function of the global index */
  PetscCall(PetscMalloc1(2 * N, &all));
  for (uint64_t j = 0; count < N; j++) {
    PetscReal u[4], z[2];
    PetscInt  c;
    PetscCall(NNRandomUniformArray(11, 0, j, 1, u));
    PetscCall(NNRandomNormalArray(11, 1, 2 * j, 2, z));
    c    = u[0] < wmix[0] ? 0 : (u[0] < wmix[0] + wmix[1] ? 1 : 2);
    u[1] = mu[c][0] + sig[c] * z[0];
    u[2] = mu[c][1] + sig[c] * z[1];
    if (PetscAbsReal(u[1]) < 1 && PetscAbsReal(u[2]) < 1) all[2 * count] = u[1], all[2 * count + 1] = u[2], count++;
  }
  lo    = (N * rank) / size;
  hi    = (N * (rank + 1)) / size;
  fit.n = hi - lo;
  fit.N = N;
  fit.x = &all[2 * lo];
  PetscCall(NNCreate(PETSC_COMM_WORLD, &fit.nn));
  PetscCall(NNSetSizes(fit.nn, 2, 1));
  PetscCall(NNSetType(fit.nn, NNKRNET));
  PetscCall(NNKRnetSetArchitecture(fit.nn, 1, 4, 16));
  PetscCall(NNSetSeed(fit.nn, 3));
  PetscCall(NNSetFromOptions(fit.nn));
  PetscCall(NNSetUp(fit.nn));
  PetscCall(NNGetNumParameters(fit.nn, &np));
  PetscCall(PetscMalloc2(fit.n + 1, &fit.w, np, &fit.g));
  for (PetscInt i = 0; i < fit.n; i++) fit.w[i] = -1.0 / N; /* minimize the mean negative log-likelihood */
  PetscCall(NNKRnetInitializeActNorm(fit.nn, fit.n, fit.x));
  PetscCall(ExcessNLL(&fit, &e0));

  PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
  PetscCall(TaoSetType(tao, TAOADAM));
  PetscCall(TaoAdamSetLearningRate(tao, 5e-3));
  PetscCall(NNGetParameters(fit.nn, &P));
  PetscCall(TaoSetSolution(tao, P));
  PetscCall(TaoSetObjectiveAndGradient(tao, NULL, FormFunctionGradient, &fit));
  PetscCall(TaoSetMaximumIterations(tao, iters));
  PetscCall(TaoSetTolerances(tao, 0, 0, 0));
  PetscCall(TaoSetFromOptions(tao));
  PetscCall(TaoSolve(tao));
  PetscCall(ExcessNLL(&fit, &e1));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "KRnet ML fit, %" PetscInt_FMT " samples, %" PetscInt_FMT " Adam steps: excess NLL %.4f -> %.4f\n", N,
                        iters, (double)e0, (double)e1));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "reduction factor %.2f\n", (double)(e0 / e1)));
  PetscCheck(e1 > 0 && e0 / e1 >= minfactor, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "excess NLL fell by %g only (< -min_factor %g)", (double)(e0 / e1),
             (double)minfactor);
  PetscCall(TaoDestroy(&tao));
  PetscCall(PetscFree2(fit.w, fit.g));
  PetscCall(PetscFree(all));
  PetscCall(NNDestroy(&fit.nn));
  PetscCall(PetscFinalize());
  return 0;
}

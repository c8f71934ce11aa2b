static const char help[] = "Times the KRnet flow's batch functions per point (DAS code's default architecture: step 1, depth 6,\n"
                           "width 24, 32 bins, relu; box [-1.01, 1.01]^d; parameters 0.15 N(0,1) away from the initialization).\n"
                           "  -d <2>        dimension\n  -n <2000>     points per call\n"
                           "  -n_penalty <n> points for the two penalties (the slow ones)\n  -reps <1>     calls timed (best is reported)\n"
                           "  -only <name>  time one function only: logdensity, sample, weighted, gradx, penalty_p, penalty_logp\n"
                           "Prints microseconds per point and a checksum of every result (to compare two builds).\n";

/* Benchmark, not a test: run by hand (see bench/results/krnet_bench.md). */
#include <nnpde.h>

typedef PetscErrorCode (*BenchFn)(void *);

typedef struct {
  NN         nn;
  NNRandom   rnd;
  PetscInt   n, np, d, P;
  PetscReal *x, *w, *logp, *gradx, *xs, *g, value;
} Ctx;

static PetscErrorCode FnLogDensity(void *c)
{
  Ctx *b = (Ctx *)c;
  PetscFunctionBegin;
  PetscCall(NNKRnetLogDensity(b->nn, b->n, b->x, b->logp));
  PetscFunctionReturn(0);
}
static PetscErrorCode FnSample(void *c)
{
  Ctx *b = (Ctx *)c;
  PetscFunctionBegin;
  PetscCall(NNKRnetSample(b->nn, b->rnd, 3, 0, b->n, b->xs, NULL));
  PetscFunctionReturn(0);
}
static PetscErrorCode FnWeighted(void *c)
{
  Ctx *b = (Ctx *)c;
  PetscFunctionBegin;
  PetscCall(PetscArrayzero(b->g, b->P));
  PetscCall(NNKRnetWeightedLogDensity(b->nn, b->n, b->x, b->w, &b->value, b->g));
  PetscFunctionReturn(0);
}
static PetscErrorCode FnGradx(void *c)
{
  Ctx *b = (Ctx *)c;
  PetscFunctionBegin;
  PetscCall(NNKRnetLogDensityGradient(b->nn, b->n, b->x, b->logp, b->gradx));
  PetscFunctionReturn(0);
}
static PetscErrorCode FnPenaltyP(void *c)
{
  Ctx *b = (Ctx *)c;
  PetscFunctionBegin;
  PetscCall(PetscArrayzero(b->g, b->P));
  PetscCall(NNKRnetPenalty(b->nn, NNKRNET_PENALTY_GRAD_P, b->np, b->x, b->w, &b->value, b->g));
  PetscFunctionReturn(0);
}
static PetscErrorCode FnPenaltyLogP(void *c)
{
  Ctx *b = (Ctx *)c;
  PetscFunctionBegin;
  PetscCall(PetscArrayzero(b->g, b->P));
  PetscCall(NNKRnetPenalty(b->nn, NNKRNET_PENALTY_GRAD_LOGP, b->np, b->x, b->w, &b->value, b->g));
  PetscFunctionReturn(0);
}

static PetscReal Sum(PetscInt n, const PetscReal a[])
{
  PetscReal s = 0;
  for (PetscInt i = 0; i < n; i++) s += a[i];
  return s;
}
static PetscReal SumAbs(PetscInt n, const PetscReal a[])
{
  PetscReal s = 0;
  for (PetscInt i = 0; i < n; i++) s += PetscAbsReal(a[i]);
  return s;
}

static char only[64] = "";

static PetscErrorCode Time(const char *name, BenchFn fn, Ctx *b, PetscInt npts, PetscInt reps, PetscReal *us)
{
  PetscLogDouble best = PETSC_MAX_REAL, t0, t1;
  PetscBool      skip;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(only, name, &skip));
  skip = (PetscBool)(only[0] && !skip);
  *us  = 0;
  if (skip) PetscFunctionReturn(0);
  for (PetscInt r = 0; r < reps; r++) {
    PetscCall(PetscTime(&t0));
    PetscCall(fn(b));
    PetscCall(PetscTime(&t1));
    best = PetscMin(best, t1 - t0);
  }
  *us = best / npts * 1e6;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Ctx       b;
  PetscInt  reps = 1, n = 2000, np = -1, d = 2, nwide;
  PetscReal lo[64], hi[64], *noise, us;
  Vec       P;
  PetscInt  rlo, rhi;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-d", &d, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  np = n;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n_penalty", &np, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-reps", &reps, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-only", only, sizeof(only), NULL));
  PetscCheck(d >= 1 && d <= 64 && np <= n && n >= 2, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "-d in 1..64, -n_penalty <= -n, -n >= 2");
  b.n  = n;
  b.np = np;
  b.d  = d;
  PetscCall(NNCreate(PETSC_COMM_SELF, &b.nn));
  PetscCall(NNSetSizes(b.nn, d, 1));
  PetscCall(NNSetType(b.nn, NNKRNET));
  PetscCall(NNSetSeed(b.nn, 7));
  for (PetscInt k = 0; k < d; k++) lo[k] = -1.01, hi[k] = 1.01;
  PetscCall(NNKRnetSetDomain(b.nn, lo, hi));
  PetscCall(NNSetFromOptions(b.nn));
  PetscCall(NNSetUp(b.nn));
  PetscCall(NNGetNumParameters(b.nn, &b.P));
  PetscCall(NNGetParameters(b.nn, &P));
  PetscCall(PetscMalloc1(b.P, &noise));
  PetscCall(NNRandomNormalArray(99, 0, 0, b.P, noise));
  PetscCall(VecGetOwnershipRange(P, &rlo, &rhi));
  for (PetscInt i = rlo; i < PetscMin(rhi, b.P - 1); i++) PetscCall(VecSetValue(P, i, 0.15 * noise[i], ADD_VALUES));
  PetscCall(VecAssemblyBegin(P));
  PetscCall(VecAssemblyEnd(P));
  PetscCall(PetscFree(noise));
  PetscCall(NNRandomCreate(PETSC_COMM_SELF, &b.rnd));
  PetscCall(NNRandomSetSeed(b.rnd, 5));
  nwide = n * d;
  PetscCall(PetscMalloc6(nwide, &b.x, n, &b.w, n, &b.logp, nwide, &b.gradx, nwide, &b.xs, b.P, &b.g));
  PetscCall(NNRandomUniformArray(1234, 0, 0, nwide, b.x));
  for (PetscInt i = 0; i < nwide; i++) b.x[i] = 0.95 * (2.0 * b.x[i] - 1.0);
  PetscCall(NNRandomUniformArray(1234, 1, 0, n, b.w));

  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "krnet bench: d = %" PetscInt_FMT ", %" PetscInt_FMT " parameters, n = %" PetscInt_FMT " (penalties %" PetscInt_FMT
                        "), best of %" PetscInt_FMT "\n",
                        d, b.P, n, np, reps));
  PetscCall(Time("logdensity", FnLogDensity, &b, n, reps, &us));
  if (us > 0) PetscCall(PetscPrintf(PETSC_COMM_SELF, "  LogDensity               %10.2f us/point  checksum %.15e\n", us, (double)Sum(n, b.logp)));
  PetscCall(Time("sample", FnSample, &b, n, reps, &us));
  if (us > 0) PetscCall(PetscPrintf(PETSC_COMM_SELF, "  Sample                   %10.2f us/point  checksum %.15e\n", us, (double)Sum(n * d, b.xs)));
  PetscCall(Time("weighted", FnWeighted, &b, n, reps, &us));
  if (us > 0)
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "  WeightedLogDensity+grad  %10.2f us/point  checksum %.15e |g| %.15e\n", us, (double)b.value,
                          (double)SumAbs(b.P, b.g)));
  PetscCall(Time("gradx", FnGradx, &b, n, reps, &us));
  if (us > 0)
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "  LogDensityGradient       %10.2f us/point  checksum %.15e\n", us, (double)SumAbs(n * d, b.gradx)));
  PetscCall(Time("penalty_p", FnPenaltyP, &b, np, reps, &us));
  if (us > 0)
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "  Penalty grad_p+grad      %10.2f us/point  checksum %.15e |g| %.15e\n", us, (double)b.value,
                          (double)SumAbs(b.P, b.g)));
  PetscCall(Time("penalty_logp", FnPenaltyLogP, &b, np, reps, &us));
  if (us > 0)
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "  Penalty grad_logp+grad   %10.2f us/point  checksum %.15e |g| %.15e\n", us, (double)b.value,
                          (double)SumAbs(b.P, b.g)));

  PetscCall(PetscFree6(b.x, b.w, b.logp, b.gradx, b.xs, b.g));
  PetscCall(NNRandomDestroy(&b.rnd));
  PetscCall(NNDestroy(&b.nn));
  PetscCall(PetscFinalize());
  return 0;
}

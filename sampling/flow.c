/* The normalizing flow of the das and aas samplers: a KRnet (nn/impls/krnet) on the geometry's
   bounding box with its own Adam, the current samples and their densities, rank-count independent
   draws with rejection of points outside the domain, and the flow's part of the checkpoints. */
#include <nnpde/private/samplerflowimpl.h>
#include <nnpde/checkpoint.h>

/* The flow part of a das or aas sampler's data (its first member), or an error */
static PetscErrorCode GetFlow(PINNSampler s, PINNSamplerFlow **fl)
{
  PetscBool is;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompareAny((PetscObject)s, &is, PINNSAMPLERDAS, PINNSAMPLERAAS, ""));
  PetscCheck(is && s->data, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_WRONG, "The sampler is of type %s; only the das and aas types have a flow",
             ((PetscObject)s)->type_name ? ((PetscObject)s)->type_name : "(unset)");
  *fl = (PINNSamplerFlow *)s->data;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerSetFlow - Gives a das or aas sampler the normalizing flow it trains and draws from,
  an NN of type krnet, instead of the one it creates (a KRnet on the geometry's bounding box,
  enlarged by 0.5% per side, with the options -pinn_sampler_flow_nn_krnet_...).

  Logically Collective

  Input Parameters:
+ s    - the sampler, of type das or aas
- flow - the flow (the sampler takes a reference); its box must contain the geometry

  Notes:
  The flow's dimension must be the geometry's: the sampler checks it when the PINN is set up and
  names both in the error. Call before PINNSetUp().

  Level: intermediate

.seealso: `PINNSamplerGetFlow()`, `PINNSAMPLERDAS`, `PINNSAMPLERAAS`, `NNKRnetSetDomain()`
@*/
PetscErrorCode PINNSamplerSetFlow(PINNSampler s, NN flow)
{
  PINNSamplerFlow *fl = NULL;
  PetscBool        is;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscValidHeaderSpecific(flow, NN_CLASSID, 2);
  PetscCall(GetFlow(s, &fl));
  PetscCall(PetscObjectTypeCompare((PetscObject)flow, NNKRNET, &is));
  PetscCheck(is, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_WRONG, "The sampler's flow must be an NN of type krnet, got %s",
             ((PetscObject)flow)->type_name ? ((PetscObject)flow)->type_name : "(unset)");
  PetscCheck(!fl->tao, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_WRONGSTATE, "Give the sampler its flow before PINNSetUp()");
  PetscCall(PetscObjectReference((PetscObject)flow));
  PetscCall(NNDestroy(&fl->nn));
  fl->nn   = flow;
  fl->user = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerGetFlow - The normalizing flow of a das or aas sampler (NULL before the PINN is set up,
  unless one was given with PINNSamplerSetFlow()).

  Not Collective

  Input Parameter:
. s - the sampler, of type das or aas

  Output Parameter:
. flow - the KRnet (borrowed)

  Level: intermediate

.seealso: `PINNSamplerSetFlow()`
@*/
PetscErrorCode PINNSamplerGetFlow(PINNSampler s, NN *flow)
{
  PINNSamplerFlow *fl = NULL;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCall(GetFlow(s, &fl));
  *flow = fl->nn;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerGetFlowStatistics - Counters of a das or aas sampler's flow (kept in checkpoints).

  Not Collective

  Input Parameter:
. s - the sampler, of type das or aas

  Output Parameters (each may be NULL):
+ stages   - stages (adapts) done
. drawn    - points drawn from the flow, all stages
. rejected - of those, the ones outside the domain (rejected and redrawn)
- ess      - the effective sample size of the last stage's importance weights

  Level: intermediate

.seealso: `PINNSamplerGetFlow()`, `PINNSAMPLERDAS`, `PINNSAMPLERAAS`
@*/
PetscErrorCode PINNSamplerGetFlowStatistics(PINNSampler s, PetscInt *stages, PetscInt *drawn, PetscInt *rejected, PetscReal *ess)
{
  PINNSamplerFlow *fl = NULL;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCall(GetFlow(s, &fl));
  if (stages) *stages = fl->stage;
  if (drawn) *drawn = fl->drawn;
  if (rejected) *rejected = fl->rejected;
  if (ess) *ess = fl->ess;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSamplerFlowSetFromOptions(PINNSampler s, PINNSamplerFlow *fl, PetscOptionItems *PetscOptionsObject)
{
  PetscFunctionBegin;
  PetscCall(PetscOptionsInt("-sampler_flow_steps", "Flow optimizer (Adam) steps per stage", "PINNSAMPLERDAS", fl->fsteps, &fl->fsteps, NULL));
  PetscCheck(fl->fsteps >= 0, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_sampler_flow_steps must be nonnegative, got %" PetscInt_FMT, fl->fsteps);
  PetscFunctionReturn(0);
}

/* Collective: an error, on every rank, if the flow's parameters are not finite */
PetscErrorCode PINNSamplerFlowCheckFinite(PINNSampler s, PINNSamplerFlow *fl, const char when[])
{
  Vec       p;
  PetscReal nrm;

  PetscFunctionBegin;
  PetscCall(NNGetParameters(fl->nn, &p));
  PetscCall(VecNorm(p, NORM_2, &nrm));
  PetscCheck(!PetscIsInfOrNanReal(nrm), PetscObjectComm((PetscObject)s), PETSC_ERR_FP,
             "The %s sampler's flow has non-finite parameters %s (stage %" PetscInt_FMT ", flow step %" PetscInt_FMT " of the stage, %" PetscInt_FMT
             " in all); training stopped, the last checkpoint is left as it was",
             fl->name, when, fl->stage + 1, fl->stagestep, fl->steps);
  PetscFunctionReturn(0);
}

/* TAO objective of a flow step: the type's objective summed over ranks, checked for NaN/Inf */
static PetscErrorCode FlowObjective(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  PINNSamplerFlow *fl = (PINNSamplerFlow *)ctx;
  MPI_Comm         comm;
  PetscInt         np;
  PetscReal        v = 0, gn;

  PetscFunctionBegin;
  (void)X; /* the flow's own parameter Vec, updated in place */
  PetscCall(PetscObjectGetComm((PetscObject)tao, &comm));
  {
    PetscReal nrm;
    PetscCall(VecNorm(X, NORM_2, &nrm));
    PetscCheck(!PetscIsInfOrNanReal(nrm), comm, PETSC_ERR_FP,
               "The %s sampler's flow has non-finite parameters at stage %" PetscInt_FMT ", flow step %" PetscInt_FMT " of %" PetscInt_FMT
               " (%" PetscInt_FMT " in all); training stopped, the last checkpoint is left as it was",
               fl->name, fl->stage + 1, fl->stagestep + 1, fl->fsteps, fl->steps + 1);
  }
  PetscCall(NNGetNumParameters(fl->nn, &np));
  PetscCall(PetscArrayzero(fl->g, np));
  PetscCall((*fl->objective)(fl, &v, fl->g, fl->ctx));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &v, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscCall(NNReduceGradient(fl->nn, fl->g, G));
  PetscCall(VecNorm(G, NORM_2, &gn));
  PetscCheck(!PetscIsInfOrNanReal(v) && !PetscIsInfOrNanReal(gn), comm, PETSC_ERR_FP,
             "The %s sampler's flow gives a non-finite objective %g (gradient norm %g) at stage %" PetscInt_FMT ", flow step %" PetscInt_FMT
             " of %" PetscInt_FMT " (%" PetscInt_FMT " in all); training stopped, the last checkpoint is left as it was",
             fl->name, (double)v, (double)gn, fl->stage + 1, fl->stagestep + 1, fl->fsteps, fl->steps + 1);
  if (!fl->stagestep) fl->loss[0] = v;
  fl->loss[1] = v;
  fl->stagestep++;
  fl->steps++;
  *f = v;
  PetscFunctionReturn(0);
}

/* |Omega| = volume of the bounding box x the fraction of 2^16 fixed pseudo-random points inside */
static PetscErrorCode DomainVolume(PINNSampler s, PINN pinn, const PetscReal lo[], const PetscReal hi[], PetscReal *vol)
{
  const PetscInt M = 1 << 16, d = pinn->dim;
  PetscReal     *u, box         = 1;
  PetscBool     *in;
  PetscInt       count = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(M * d, &u, M, &in));
  PetscCall(NNRandomUniformArray((uint64_t)s->seed, 15, 0, M * d, u)); /* stream 15: no draw uses it */
  for (PetscInt k = 0; k < d; k++) box *= hi[k] - lo[k];
  for (PetscInt i = 0; i < M; i++)
    for (PetscInt k = 0; k < d; k++) u[i * d + k] = lo[k] + (hi[k] - lo[k]) * u[i * d + k];
  PetscCall(PINNGeometryContains(pinn->geom, M, u, in));
  for (PetscInt i = 0; i < M; i++) count += in[i] ? 1 : 0;
  PetscCheck(count > 0, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_WRONG, "The geometry's interior has no volume");
  *vol = box * (PetscReal)count / (PetscReal)M;
  PetscCall(PetscFree2(u, in));
  PetscFunctionReturn(0);
}

/* Creates (or checks a user's) flow and its optimizer, once the geometry is known */
PetscErrorCode PINNSamplerFlowSetUp(PINNSampler s, PINNSamplerFlow *fl, PINN pinn)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)s);
  const char *pre;
  char        prefix[256];
  PetscReal   lo[64], hi[64];
  PetscInt    d = pinn->dim, nin, nout, np;
  Vec         params;
  PetscBool   is;

  PetscFunctionBegin;
  if (fl->tao) PetscFunctionReturn(0);
  PetscCheck(d <= 64, comm, PETSC_ERR_SUP, "The %s sampler's flow supports at most 64 dimensions, the geometry has %" PetscInt_FMT, fl->name, d);
  fl->dim = d;
  PetscCall(PINNGeometryGetBoundingBox(pinn->geom, lo, hi));
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)s, &pre));
  PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%ssampler_flow_", pre ? pre : ""));
  if (!fl->user) {
    PetscReal blo[64], bhi[64];

    for (PetscInt k = 0; k < d; k++) { /* enlarged, as DAS does, so the domain's boundary lies in the open box */
      blo[k] = lo[k] - 0.005 * (hi[k] - lo[k]);
      bhi[k] = hi[k] + 0.005 * (hi[k] - lo[k]);
    }
    PetscCall(NNCreate(comm, &fl->nn));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)fl->nn, prefix));
    PetscCall(NNSetSizes(fl->nn, d, 1));
    PetscCall(NNSetType(fl->nn, NNKRNET));
    PetscCall(NNSetSeed(fl->nn, (uint64_t)s->seed + 77));
    PetscCall(NNKRnetSetDomain(fl->nn, blo, bhi));
    PetscCall(NNSetFromOptions(fl->nn));
    PetscCall(PetscObjectTypeCompare((PetscObject)fl->nn, NNKRNET, &is));
    PetscCheck(is, comm, PETSC_ERR_ARG_WRONG, "The %s sampler's flow must be of type krnet (-%snn_type)", fl->name, prefix);
  }
  PetscCall(NNGetSizes(fl->nn, &nin, &nout));
  PetscCheck(nin == d, comm, PETSC_ERR_ARG_SIZ,
             "The %s sampler's flow has dimension %" PetscInt_FMT ", but the PINN's geometry has dimension %" PetscInt_FMT, fl->name, nin, d);
  PetscCall(NNSetUp(fl->nn));
  {
    const PetscReal *flo, *fhi;
    PetscCall(NNKRnetGetDomain(fl->nn, &flo, &fhi));
    for (PetscInt k = 0; k < d; k++)
      PetscCheck(flo[k] <= lo[k] && fhi[k] >= hi[k], comm, PETSC_ERR_ARG_INCOMP,
                 "The %s sampler's flow lives on [%g, %g] in coordinate %" PetscInt_FMT ", which does not contain the geometry's [%g, %g]", fl->name,
                 (double)flo[k], (double)fhi[k], k, (double)lo[k], (double)hi[k]);
  }
  PetscCall(DomainVolume(s, pinn, lo, hi, &fl->volume));
  PetscCall(NNRandomCreate(comm, &fl->rnd));
  PetscCall(NNRandomSetSeed(fl->rnd, (uint64_t)s->seed));
  PetscCall(NNGetNumParameters(fl->nn, &np));
  PetscCall(PetscMalloc1(np, &fl->g));
  PetscCall(NNGetParameters(fl->nn, &params));
  PetscCall(TaoCreate(comm, &fl->tao));
  PetscCall(TaoSetType(fl->tao, TAOADAM));
  PetscCall(TaoSetOptionsPrefix(fl->tao, prefix));
  PetscCall(TaoAdamSetLearningRate(fl->tao, 1e-4)); /* the DAS code's */
  PetscCall(TaoSetSolution(fl->tao, params));
  PetscCall(TaoSetObjectiveAndGradient(fl->tao, NULL, FlowObjective, fl));
  PetscCall(TaoSetMaximumIterations(fl->tao, fl->fsteps)); /* each stage's steps: -help shows them */
  PetscCall(TaoSetFromOptions(fl->tao));
  PetscCall(PetscObjectTypeCompare((PetscObject)fl->tao, TAOADAM, &is));
  PetscCheck(is, comm, PETSC_ERR_ARG_WRONG, "The %s sampler's flow is trained by Adam; -%stao_type must be adam", fl->name, prefix);
  {
    PetscInt maxit;

    PetscCall(TaoGetMaximumIterations(fl->tao, &maxit));
    PetscCheck(maxit == fl->fsteps, comm, PETSC_ERR_ARG_WRONG,
               "-%stao_max_it %" PetscInt_FMT " does not apply: the flow takes -%ssteps %" PetscInt_FMT " steps per stage", prefix, maxit, prefix,
               fl->fsteps);
  }
  PetscCall(TaoSetUp(fl->tao));
  PetscFunctionReturn(0);
}

/* Takes over N global samples (this rank's n, x and logq PetscMalloc'ed) as the current ones */
PetscErrorCode PINNSamplerFlowSetSamples(PINNSamplerFlow *fl, PetscInt N, PetscInt n, PetscReal *x, PetscReal *logq)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(fl->x));
  PetscCall(PetscFree(fl->logq));
  fl->N    = N;
  fl->n    = n;
  fl->x    = x;
  fl->logq = logq;
  PetscFunctionReturn(0);
}

/* At a stage's start: the first stage takes the PINN's (uniform) interior points as its samples,
   with density 1/|Omega|, and initializes the actnorm layers with them */
PetscErrorCode PINNSamplerFlowStart(PINNSampler s, PINNSamplerFlow *fl, PINN pinn)
{
  const PINNPoints *pts = &pinn->points[PINN_POINTS_INTERIOR];
  PetscBool         init;

  PetscFunctionBegin;
  PetscCall(PINNSamplerFlowSetUp(s, fl, pinn));
  fl->stagestep = 0;
  if (!fl->N) {
    PetscReal *x, *lq;

    PetscCall(PetscMalloc1(pts->n * pinn->dim + 1, &x));
    PetscCall(PetscMalloc1(pts->n + 1, &lq));
    PetscCall(PetscArraycpy(x, pts->x, pts->n * pinn->dim));
    for (PetscInt p = 0; p < pts->n; p++) lq[p] = -PetscLogReal(fl->volume);
    PetscCall(PINNSamplerFlowSetSamples(fl, pts->N, pts->n, x, lq));
  }
  PetscCall(PINNSamplerFlowCheckFinite(s, fl, "at the start of the stage"));
  PetscCall(NNKRnetGetActNormInitialized(fl->nn, &init));
  if (!init) PetscCall(NNKRnetInitializeActNorm(fl->nn, fl->n, fl->x));
  PetscFunctionReturn(0);
}

/* fsteps Adam steps on the objective fn (collective; NaN/Inf: a collective error naming the stage and step) */
PetscErrorCode PINNSamplerFlowTrain(PINNSampler s, PINNSamplerFlow *fl, PINNSamplerFlowObjectiveFn fn, void *ctx)
{
  PetscFunctionBegin;
  (void)s;
  fl->objective = fn;
  fl->ctx       = ctx;
  fl->loss[0] = fl->loss[1] = 0;
  if (!fl->fsteps) PetscFunctionReturn(0);
  PetscCall(TaoSetMaximumIterations(fl->tao, fl->fsteps));
  PetscCall(TaoSolve(fl->tao));
  fl->objective = NULL;
  fl->ctx       = NULL;
  PetscFunctionReturn(0);
}

/* This rank's slice [N rank/size, N (rank+1)/size) */
static void Slice(PetscInt N, PetscMPIInt rank, PetscMPIInt size, PetscInt *lo, PetscInt *hi)
{
  *lo = (PetscInt)(((PetscInt64)N * rank) / size);
  *hi = (PetscInt)(((PetscInt64)N * (rank + 1)) / size);
}

/* Rows (x, logq) of the kept candidates, numbered 0..N-1 globally, redistributed to the slices */
static PetscErrorCode Redistribute(MPI_Comm comm, PetscInt d, PetscInt nk, const PetscInt64 kidx[], const PetscReal rows[], PetscInt N, PetscInt *n,
                                   PetscReal **x, PetscReal **logq)
{
  PetscMPIInt rank, size;
  PetscInt    lo, hi;
  PetscInt64 *all;
  PetscReal  *y;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  Slice(N, rank, size, &lo, &hi);
  PetscCall(PetscMalloc2(N, &all, (hi - lo) * (d + 1) + 1, &y));
  for (PetscInt j = 0; j < N; j++) all[j] = j;
  PetscCall(PINNWeightedGatherRows(comm, nk, kidx, d + 1, rows, N, all, lo, hi, y));
  *n = hi - lo;
  PetscCall(PetscMalloc1((hi - lo) * d + 1, x));
  PetscCall(PetscMalloc1(hi - lo + 1, logq));
  for (PetscInt p = 0; p < hi - lo; p++) {
    for (PetscInt k = 0; k < d; k++) (*x)[p * d + k] = y[p * (d + 1) + k];
    (*logq)[p] = y[p * (d + 1) + d];
  }
  PetscCall(PetscFree2(all, y));
  PetscFunctionReturn(0);
}

/*
  Draws N points from the flow, rejecting those outside the domain: candidates in rounds at
  consecutive global indices of `stream`, each rank sampling its slice of a round; the accepted
  candidates keep their global order, the first N are kept. The points depend on the seed, the
  stream and the flow's parameters only, not on the rank count. Returns this rank's slice of the N
  points (x, n x d) and log p (both PetscMalloc'ed). The accepted points have the density p/A on the
  domain, A the flow's mass inside it; fl->logaccept is log of the accepted fraction of all the
  candidates, the estimate of log A that importance weights subtract.
*/
PetscErrorCode PINNSamplerFlowDraw(PINNSampler s, PINNSamplerFlow *fl, PINN pinn, PetscInt N, uint64_t stream, PetscInt *n, PetscReal **x,
                                   PetscReal **logq)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)s);
  const PetscInt d    = pinn->dim;
  PetscMPIInt    rank, size;
  PetscInt64     got = 0, off = 0, acc = 0, tried = 0, M = 0;
  PetscInt       nk = 0, cap = 0, rounds = 0;
  PetscInt64    *kidx = NULL;
  PetscReal     *rows = NULL;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PINNSamplerFlowCheckFinite(s, fl, "before drawing points"));
  while (got < N) {
    PetscInt   clo, chi, m, a = 0, pre = 0;
    PetscInt64 cnt[2], need = N - got;
    PetscReal *xc, *lp;
    PetscBool *in;

    /* below 1 in 1000 a draw costs more than 1000 N flow evaluations and its memory: an error, not hours */
    PetscCheck(tried < 1000 || acc >= 1e-3 * tried, comm, PETSC_ERR_NOT_CONVERGED,
               "The %s sampler's flow put only %" PetscInt64_FMT " of %" PetscInt64_FMT " draws inside the domain (stage %" PetscInt_FMT
               ", flow step %" PetscInt_FMT
               " of the stage): its mass lies outside (a domain filling little of its box, or a flow that left it; a penalty beta > 0, fewer flow "
               "steps or a lower flow learning rate keep a flow inside)",
               fl->name, acc, tried, fl->stage + 1, fl->stagestep);
    if (!rounds)
      M = N + N / 10 + 16;
    else if (acc > 0)
      M = (PetscInt64)PetscCeilReal(1.2 * (PetscReal)need * (PetscReal)tried / (PetscReal)acc) + 16;
    else
      M = 2 * M;
    PetscCheck(rounds < 64 && M < PETSC_MAX_INT, comm, PETSC_ERR_NOT_CONVERGED,
               "The %s sampler's flow put only %" PetscInt64_FMT " of %" PetscInt64_FMT " draws inside the domain (stage %" PetscInt_FMT
               "): it cannot give %" PetscInt_FMT " points",
               fl->name, acc, tried, fl->stage + 1, N);
    rounds++;
    Slice((PetscInt)M, rank, size, &clo, &chi);
    m = chi - clo;
    PetscCall(PetscMalloc3(m * d + 1, &xc, m + 1, &lp, m + 1, &in));
    PetscCall(NNKRnetSample(fl->nn, fl->rnd, stream, (uint64_t)(off + clo), m, xc, lp));
    cnt[1] = 0;
    for (PetscInt i = 0; i < m; i++) {
      PetscBool finite = PETSC_TRUE;
      for (PetscInt k = 0; k < d; k++)
        if (PetscIsInfOrNanReal(xc[i * d + k])) finite = PETSC_FALSE;
      if (!finite) {
        cnt[1]++;
        for (PetscInt k = 0; k < d; k++) xc[i * d + k] = 0; /* kept out of the geometry test */
      }
    }
    PetscCall(PINNGeometryContains(pinn->geom, m, xc, in));
    for (PetscInt i = 0; i < m; i++) { /* log p = -inf: rounding put the point on the flow box's boundary */
      in[i] = (PetscBool)(in[i] && !PetscIsInfOrNanReal(lp[i]));
      if (in[i]) a++;
    }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &cnt[1], 1, MPIU_INT64, MPI_SUM, comm));
    PetscCheck(cnt[1] == 0, comm, PETSC_ERR_FP,
               "The %s sampler's flow drew %" PetscInt64_FMT " non-finite points at stage %" PetscInt_FMT
               "; training stopped, the last checkpoint is left as it was",
               fl->name, cnt[1], fl->stage + 1);
    PetscCallMPI(MPI_Exscan(&a, &pre, 1, MPIU_INT, MPI_SUM, comm));
    if (!rank) pre = 0;
    cnt[0] = a;
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &cnt[0], 1, MPIU_INT64, MPI_SUM, comm));
    if (nk + a > cap) {
      PetscInt64 *ki;
      PetscReal  *ro;
      cap = PetscMax(2 * cap, nk + a);
      PetscCall(PetscMalloc2(cap, &ki, cap * (d + 1), &ro));
      PetscCall(PetscArraycpy(ki, kidx, nk));
      PetscCall(PetscArraycpy(ro, rows, nk * (d + 1)));
      PetscCall(PetscFree2(kidx, rows));
      kidx = ki;
      rows = ro;
    }
    for (PetscInt i = 0, j = 0; i < m; i++) {
      if (!in[i]) continue;
      if (pre + j < need) {
        kidx[nk] = got + pre + j;
        for (PetscInt k = 0; k < d; k++) rows[nk * (d + 1) + k] = xc[i * d + k];
        rows[nk * (d + 1) + d] = lp[i];
        nk++;
      }
      j++;
    }
    PetscCall(PetscFree3(xc, lp, in));
    fl->rejected += (PetscInt)(M - cnt[0]);
    fl->drawn += (PetscInt)M;
    tried += M;
    acc += cnt[0];
    got += PetscMin(cnt[0], need);
    off += M;
  }
  fl->logaccept = tried ? PetscLogReal((PetscReal)acc / (PetscReal)tried) : 0; /* acc > 0 once N > 0 points were found */
  PetscCall(Redistribute(comm, d, nk, kidx, rows, N, n, x, logq));
  PetscCall(PetscFree2(kidx, rows));
  PetscFunctionReturn(0);
}

/* N uniform points of the domain (the geometry's draw from `stream`), log density -log |Omega| */
PetscErrorCode PINNSamplerFlowDrawUniform(PINNSampler s, PINNSamplerFlow *fl, PINN pinn, PetscInt N, uint64_t stream, PetscInt *n, PetscReal **x,
                                          PetscReal **logq)
{
  PetscFunctionBegin;
  PetscCall(PINNGeometrySampleInterior(pinn->geom, PINN_SAMPLE_UNIFORM, (uint64_t)s->seed, stream, N, n, x));
  PetscCall(PetscMalloc1(*n + 1, logq));
  for (PetscInt p = 0; p < *n; p++) (*logq)[p] = -PetscLogReal(fl->volume);
  PetscFunctionReturn(0);
}

/* Two distributed sample sets one after the other: set a (Na points globally, this rank's na in
   global order, coordinates xa and log densities lqa) then set b; returns this rank's slice of the
   Na + Nb points (x, logq PetscMalloc'ed); the order does not depend on the rank count */
PetscErrorCode PINNSamplerFlowConcatenate(MPI_Comm comm, PetscInt d, PetscInt na, PetscInt Na, const PetscReal xa[], const PetscReal lqa[],
                                          PetscInt nb, const PetscReal xb[], const PetscReal lqb[], PetscInt N, PetscInt *n, PetscReal **x,
                                          PetscReal **logq)
{
  PetscMPIInt rank;
  PetscInt    alo = 0, blo = 0, nk = 0;
  PetscInt64 *kidx;
  PetscReal  *rows;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Exscan(&na, &alo, 1, MPIU_INT, MPI_SUM, comm));
  PetscCallMPI(MPI_Exscan(&nb, &blo, 1, MPIU_INT, MPI_SUM, comm));
  if (!rank) alo = blo = 0;
  PetscCall(PetscMalloc2(na + nb + 1, &kidx, (na + nb) * (d + 1) + 1, &rows));
  for (PetscInt p = 0; p < na; p++, nk++) {
    kidx[nk] = alo + p;
    PetscCall(PetscArraycpy(&rows[nk * (d + 1)], &xa[p * d], d));
    rows[nk * (d + 1) + d] = lqa[p];
  }
  for (PetscInt p = 0; p < nb; p++, nk++) {
    kidx[nk] = Na + blo + p;
    PetscCall(PetscArraycpy(&rows[nk * (d + 1)], &xb[p * d], d));
    rows[nk * (d + 1) + d] = lqb[p];
  }
  PetscCall(Redistribute(comm, d, nk, kidx, rows, N, n, x, logq));
  PetscCall(PetscFree2(kidx, rows));
  PetscFunctionReturn(0);
}

/* The grown interior set: the PINN's current points (global order) then the nnew new ones (this
   rank's slice of the added points, in order); returns this rank's slice of the Nnew points. With
   wnew (the new points' loss weights) it also returns their weights in *w, the current points'
   (1 where the PINN has none) then the new ones. */
PetscErrorCode PINNSamplerFlowGatherGrown(PINNSampler s, PINN pinn, PetscInt nnew, const PetscReal xnew[], const PetscReal wnew[], PetscInt Nnew,
                                          PetscInt *n, PetscReal **x, PetscReal **w)
{
  MPI_Comm          comm = PetscObjectComm((PetscObject)s);
  const PINNPoints *pts  = &pinn->points[PINN_POINTS_INTERIOR];
  const PetscInt    d = pinn->dim, N = pts->N, c = wnew ? d + 1 : d; /* columns: the coordinates, then the weight */
  PetscMPIInt       rank, size;
  PetscInt          olo = 0, alo = 0, lo, hi, nu = 0;
  PetscInt64       *ug, *all;
  PetscReal        *ux, *rows;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Exscan(&pts->n, &olo, 1, MPIU_INT, MPI_SUM, comm));
  PetscCallMPI(MPI_Exscan(&nnew, &alo, 1, MPIU_INT, MPI_SUM, comm));
  if (!rank) olo = alo = 0;
  Slice(Nnew, rank, size, &lo, &hi);
  PetscCall(PetscMalloc3(pts->n + nnew + 1, &ug, (pts->n + nnew) * c + 1, &ux, Nnew, &all));
  for (PetscInt p = 0; p < pts->n; p++, nu++) {
    ug[nu] = olo + p;
    PetscCall(PetscArraycpy(&ux[nu * c], &pts->x[p * d], d));
    if (wnew) ux[nu * c + d] = pts->w ? pts->w[p] : 1;
  }
  for (PetscInt p = 0; p < nnew; p++, nu++) {
    ug[nu] = N + alo + p;
    PetscCall(PetscArraycpy(&ux[nu * c], &xnew[p * d], d));
    if (wnew) ux[nu * c + d] = wnew[p];
  }
  for (PetscInt j = 0; j < Nnew; j++) all[j] = j;
  *n = hi - lo;
  PetscCall(PetscMalloc1(*n * c + 1, &rows));
  PetscCall(PINNWeightedGatherRows(comm, nu, ug, c, ux, Nnew, all, lo, hi, rows));
  if (wnew) {
    PetscCall(PetscMalloc1(*n * d + 1, x));
    PetscCall(PetscMalloc1(*n + 1, w));
    for (PetscInt p = 0; p < *n; p++) {
      PetscCall(PetscArraycpy(&(*x)[p * d], &rows[p * c], d));
      (*w)[p] = rows[p * c + d];
    }
    PetscCall(PetscFree(rows));
  } else
    *x = rows;
  PetscCall(PetscFree3(ug, ux, all));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSamplerFlowView(PINNSamplerFlow *fl, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "flow: %" PetscInt_FMT " Adam steps per stage; %" PetscInt_FMT " stages, %" PetscInt_FMT " flow steps done\n",
                                   fl->fsteps, fl->stage, fl->steps));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "flow draws: %" PetscInt_FMT ", %" PetscInt_FMT " rejected (outside the domain); %" PetscInt_FMT " stages uniform (zero residuals)\n",
      fl->drawn, fl->rejected, fl->fallback));
  if (fl->nn) {
    char arch[256];
    PetscCall(NNGetArchitecture(fl->nn, arch, sizeof(arch)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "flow network: %s\n", arch));
  }
  PetscFunctionReturn(0);
}

/* The flow's state: the KRnet (with its actnorm flag), its Adam state, the current samples and densities, the counters */
PetscErrorCode PINNSamplerFlowWriteCheckpoint(PINNSamplerFlow *fl, NNCheckpoint ck)
{
  PetscBool has = (PetscBool)(fl->nn && fl->tao);

  PetscFunctionBegin;
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_stage", fl->stage));
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_steps", fl->steps));
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_rejected", fl->rejected));
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_drawn", fl->drawn));
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_fallbacks", fl->fallback));
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_samples", has ? fl->N : 0));
  PetscCall(NNCheckpointSetInt(ck, "sampler_flow_present", has));
  if (!has) PetscFunctionReturn(0);
  {
    Vec          m, v, vmax, xv, lv;
    PetscInt     step;
    MPI_Comm     comm = PetscObjectComm((PetscObject)fl->nn);
    PetscScalar *a;

    PetscCall(NNCheckpointWriteNN(ck, "sampler_flow", fl->nn));
    PetscCall(TaoAdamGetState(fl->tao, &m, &v, &vmax, &step));
    PetscCall(NNCheckpointWriteVec(ck, "sampler_flow_adam_m", m));
    PetscCall(NNCheckpointWriteVec(ck, "sampler_flow_adam_v", v));
    if (vmax) PetscCall(NNCheckpointWriteVec(ck, "sampler_flow_adam_vmax", vmax));
    PetscCall(NNCheckpointSetInt(ck, "sampler_flow_adam_step", step));
    if (!fl->N) PetscFunctionReturn(0);
    PetscCall(VecCreateMPI(comm, fl->n * fl->dim, PETSC_DETERMINE, &xv));
    PetscCall(VecCreateMPI(comm, fl->n, PETSC_DETERMINE, &lv));
    PetscCall(VecGetArrayWrite(xv, &a));
    PetscCall(PetscArraycpy(a, fl->x, fl->n * fl->dim));
    PetscCall(VecRestoreArrayWrite(xv, &a));
    PetscCall(VecGetArrayWrite(lv, &a));
    PetscCall(PetscArraycpy(a, fl->logq, fl->n));
    PetscCall(VecRestoreArrayWrite(lv, &a));
    PetscCall(NNCheckpointWriteVec(ck, "sampler_flow_samples", xv));
    PetscCall(NNCheckpointWriteVec(ck, "sampler_flow_logq", lv));
    PetscCall(VecDestroy(&xv));
    PetscCall(VecDestroy(&lv));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSamplerFlowReadCheckpoint(PINNSamplerFlow *fl, NNCheckpoint ck)
{
  PetscInt present, N;

  PetscFunctionBegin;
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_stage", &fl->stage));
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_steps", &fl->steps));
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_rejected", &fl->rejected));
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_drawn", &fl->drawn));
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_fallbacks", &fl->fallback));
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_samples", &N));
  PetscCall(NNCheckpointGetInt(ck, "sampler_flow_present", &present));
  PetscCall(PINNSamplerFlowSetSamples(fl, 0, 0, NULL, NULL));
  if (!present) PetscFunctionReturn(0);
  PetscCheck(fl->nn && fl->tao, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Set up the PINN (PINNSetUp()) before reading its %s sampler's flow",
             fl->name);
  {
    Vec                m, v, vmax, xv, lv;
    PetscInt           step, lo, hi;
    MPI_Comm           comm = PetscObjectComm((PetscObject)fl->nn);
    PetscMPIInt        rank, size;
    const PetscScalar *a;
    PetscReal         *x, *lq;

    PetscCall(NNCheckpointReadNN(ck, "sampler_flow", fl->nn));
    PetscCall(TaoAdamGetState(fl->tao, &m, &v, &vmax, &step));
    PetscCall(NNCheckpointReadVec(ck, "sampler_flow_adam_m", m));
    PetscCall(NNCheckpointReadVec(ck, "sampler_flow_adam_v", v));
    if (vmax) PetscCall(NNCheckpointReadVec(ck, "sampler_flow_adam_vmax", vmax));
    PetscCall(NNCheckpointGetInt(ck, "sampler_flow_adam_step", &step));
    PetscCall(TaoAdamSetStep(fl->tao, step));
    if (!N) PetscFunctionReturn(0);
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    PetscCallMPI(MPI_Comm_size(comm, &size));
    Slice(N, rank, size, &lo, &hi);
    PetscCall(VecCreateMPI(comm, (hi - lo) * fl->dim, PETSC_DETERMINE, &xv));
    PetscCall(VecCreateMPI(comm, hi - lo, PETSC_DETERMINE, &lv));
    PetscCall(NNCheckpointReadVec(ck, "sampler_flow_samples", xv));
    PetscCall(NNCheckpointReadVec(ck, "sampler_flow_logq", lv));
    PetscCall(PetscMalloc1((hi - lo) * fl->dim + 1, &x));
    PetscCall(PetscMalloc1(hi - lo + 1, &lq));
    PetscCall(VecGetArrayRead(xv, &a));
    for (PetscInt i = 0; i < (hi - lo) * fl->dim; i++) x[i] = PetscRealPart(a[i]);
    PetscCall(VecRestoreArrayRead(xv, &a));
    PetscCall(VecGetArrayRead(lv, &a));
    for (PetscInt i = 0; i < hi - lo; i++) lq[i] = PetscRealPart(a[i]);
    PetscCall(VecRestoreArrayRead(lv, &a));
    PetscCall(VecDestroy(&xv));
    PetscCall(VecDestroy(&lv));
    PetscCall(PINNSamplerFlowSetSamples(fl, N, hi - lo, x, lq));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSamplerFlowDestroy(PINNSamplerFlow *fl)
{
  PetscFunctionBegin;
  PetscCall(NNDestroy(&fl->nn));
  PetscCall(TaoDestroy(&fl->tao));
  PetscCall(NNRandomDestroy(&fl->rnd));
  PetscCall(PetscFree(fl->g));
  PetscCall(PINNSamplerFlowSetSamples(fl, 0, 0, NULL, NULL));
  PetscFunctionReturn(0);
}

/* Adversarial adaptive sampling (AAS; Tang, Zhai, Wan, Yang, ICLR 2024): min over the PINN, max over
   the KRnet flow p (sampling/flow.c) of E_p[r2] - beta ||grad_x p||^2. Blocks of PINN steps (the
   trainer's, -pinn_resample_every of them) alternate with blocks of flow steps (at each adapt);
   the collocation points are drawn from the flow and replace the interior points. */
#include <nnpde/private/samplerflowimpl.h>

typedef enum { AAS_SELF_NORMALIZED, AAS_RAW } AASEstimator;
static const char *const AASEstimators[] = {"self_normalized", "raw", "AASEstimator", "AAS_", NULL};

typedef struct {
  PINNSamplerFlow flow; /* first member: see PINNSamplerSetFlow() */
  PetscReal       beta;
  AASEstimator    estimator;
  PetscReal       mix;               /* fraction of the drawn points that are uniform (the rest from the flow) */
  PetscInt        nu;                /* uniform points of the last draw */
  PetscBool       relative;          /* beta relative to the mean r2 of the stage: the penalty weight is beta E_u[r2] */
  PetscReal       beff;              /* the penalty weight of the last stage */
  PetscInt        fresh;             /* flow objective on this many fresh flow samples per flow step (0: on the stage's frozen samples) */
  PetscBool       importance;        /* the PINN's loss weights each point by 1/(|Omega| q): an estimate of the mean of r2 over the domain */
  PetscInt        fdrawn, frejected; /* the fresh samples' flow draws, all stages, and those rejected (outside the domain) */
  PINNSampler     s;                 /* the sampler and the PINN of the flow block under way (fresh samples) */
  PINN            pinn;
  /* the flow block under way: a_i (on p) and b_i (on |grad p|^2) of this rank's frozen samples */
  PetscReal *a, *b, *lp, *c;
  PetscReal  gain, penalty; /* E_p[r2] and the penalty estimates at the end of the last block */
  /* the points of the last adapt, this rank's slice, until drawn */
  PetscInt   n;
  PetscReal *x;
  PetscBool  pending;
} PINNSampler_AAS;

static PetscErrorCode PINNSamplerDraw_AAS(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)s->data;
  PINNPoints      *pts = &pinn->points[region];

  PetscFunctionBegin;
  if (region != PINN_POINTS_INTERIOR || !aas->pending) {
    if (region == PINN_POINTS_INTERIOR) PetscCall(PINNSamplerFlowSetUp(s, &aas->flow, pinn));
    PetscCall(PINNSamplerDraw_Geometry(s, pinn, region, draw));
    PetscFunctionReturn(0);
  }
  pts->n = aas->n;
  pts->x = aas->x;
  if (aas->importance) { /* the flow's current samples are these points, with their densities q */
    PetscCall(PetscMalloc1(pts->n + 1, &pts->w));
    for (PetscInt p = 0; p < pts->n; p++) pts->w[p] = PetscExpReal(-aas->flow.logq[p]) / aas->flow.volume;
  }
  aas->x       = NULL;
  aas->n       = 0;
  aas->pending = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* -(sum_i a_i p(x_i) - sum_i b_i |grad_x p(x_i)|^2) on the frozen samples: the gradient of
   sum a_i p_i is sum a_i p_i grad log p_i, a weighted log-density with weights a_i p_i */
static PetscErrorCode AASObjective(PINNSamplerFlow *fl, PetscReal *value, PetscReal g[], void *ctx)
{
  PINNSampler_AAS *aas  = (PINNSampler_AAS *)ctx;
  PetscReal        gain = 0, pen = 0, stat[2];

  PetscFunctionBegin;
  PetscCall(NNKRnetLogDensity(fl->nn, fl->n, fl->x, aas->lp));
  for (PetscInt i = 0; i < fl->n; i++) {
    const PetscReal p = PetscExpReal(aas->lp[i]);
    gain += aas->a[i] * p;
    aas->c[i] = -aas->a[i] * p;
  }
  PetscCall(NNKRnetWeightedLogDensity(fl->nn, fl->n, fl->x, aas->c, NULL, g));
  if (aas->beta > 0) PetscCall(NNKRnetPenalty(fl->nn, NNKRNET_PENALTY_GRAD_P, fl->n, fl->x, aas->b, &pen, g));
  *value  = pen - gain;
  stat[0] = gain;
  stat[1] = pen;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, stat, 2, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)fl->nn)));
  aas->gain    = stat[0];
  aas->penalty = stat[1];
  PetscFunctionReturn(0);
}

/* The stream of the fresh samples of global flow step t: 2^48 + t (the draws use 16 k + c, k < 2^40) */
#define AAS_FRESH_STREAM(t) ((UINT64_C(1) << 48) + (uint64_t)(t))

/*
  The flow objective on M fresh samples of the current flow, those of global flow step `step`:
  x_j ~ p (stream AAS_FRESH_STREAM(step), rejection as for the points, not differentiated through),
  r2_j at the current PINN; value = (beta/M) sum_j |grad_x p(x_j)|^2 / p(x_j) - mean r2 (this
  rank's share: the sum over ranks is the value), and g += this rank's part of its gradient:
    - the score-function (REINFORCE) gradient of E_p[r2], with the leave-one-out mean as the baseline,
      -(1/(M-1)) sum_j (r2_j - mean r2) grad log p(x_j)
      (= -(1/M) sum_j (r2_j - b_j) grad log p(x_j), b_j the mean of the other M - 1 values: unbiased);
    - the gradient of the importance-sampled penalty (beta/M) sum_j |grad_x p_alpha(x_j)|^2 / q_j with
      q_j = p(x_j) held fixed: an unbiased estimate of beta grad int |grad_x p|^2.
  With rejection the samples follow p restricted to the domain, and the baseline makes the first
  term the gradient of the conditional mean E_p[r2 | Omega]. aas->gain and aas->penalty are set.
*/
static PetscErrorCode FreshEstimate(PINNSampler_AAS *aas, PetscInt step, PetscInt M, PetscReal *value, PetscReal g[])
{
  PINNSamplerFlow *fl    = &aas->flow;
  MPI_Comm         comm  = PetscObjectComm((PetscObject)aas->s);
  const PetscInt   drawn = fl->drawn, rejected = fl->rejected;
  PetscInt         n;
  PetscReal       *x, *lp, *r2, *c, stat[3] = {0, 0, 0}, mean, pen = 0;

  PetscFunctionBegin;
  PetscCall(PINNSamplerFlowDraw(aas->s, fl, aas->pinn, M, AAS_FRESH_STREAM(step), &n, &x, &lp));
  aas->fdrawn += fl->drawn - drawn; /* counted apart from the points' draws */
  aas->frejected += fl->rejected - rejected;
  fl->drawn    = drawn;
  fl->rejected = rejected;
  PetscCall(PetscMalloc2(n + 1, &r2, n + 1, &c));
  PetscCall(PINNComputeResiduals(aas->pinn, PINN_POINTS_INTERIOR, n, x, r2, NULL));
  for (PetscInt i = 0; i < n; i++) {
    if (PetscIsInfOrNanReal(r2[i]))
      stat[1]++;
    else
      stat[0] += r2[i];
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, stat, 2, MPIU_REAL, MPIU_SUM, comm));
  PetscCheck(stat[1] == 0, comm, PETSC_ERR_FP,
             "The AAS sampler's fresh samples have %g non-finite residuals (stage %" PetscInt_FMT ", flow step %" PetscInt_FMT ")", (double)stat[1],
             fl->stage + 1, fl->stagestep + 1);
  mean = stat[0] / (PetscReal)M;
  for (PetscInt i = 0; i < n; i++) c[i] = -(r2[i] - mean) / (PetscReal)(M - 1);
  PetscCall(NNKRnetWeightedLogDensity(fl->nn, n, x, c, NULL, g));
  if (aas->beff > 0) {
    for (PetscInt i = 0; i < n; i++) c[i] = aas->beff * PetscExpReal(-lp[i]) / (PetscReal)M;
    PetscCall(NNKRnetPenalty(fl->nn, NNKRNET_PENALTY_GRAD_P, n, x, c, &pen, g));
  }
  stat[2] = pen;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &stat[2], 1, MPIU_REAL, MPIU_SUM, comm));
  *value = 0;
  for (PetscInt i = 0; i < n; i++) *value -= r2[i] / (PetscReal)M;
  *value += pen;
  aas->gain    = mean;
  aas->penalty = stat[2];
  PetscCall(PetscFree2(r2, c));
  PetscCall(PetscFree(x));
  PetscCall(PetscFree(lp));
  PetscFunctionReturn(0);
}

/* The flow step's objective on fresh samples (-pinn_sampler_aas_fresh M): those of the step's global index */
static PetscErrorCode AASFreshObjective(PINNSamplerFlow *fl, PetscReal *value, PetscReal g[], void *ctx)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)ctx;

  PetscFunctionBegin;
  PetscCall(FreshEstimate(aas, fl->steps, aas->fresh, value, g));
  PetscFunctionReturn(0);
}

/* N points of the next stage: N - Nu from the flow (stream 16 k + 7 at draw k), then Nu = round(mix N)
   uniform ones (stream 16 k + 10); each with the density of the mixture it was drawn from,
   q = (Nu/N) / |Omega| + (1 - Nu/N) p/A (the balance heuristic of multiple importance sampling;
   p/A the density of the flow's draws inside the domain, A estimated by the accepted fraction) */
static PetscErrorCode DrawMixture(PINNSampler s, PINNSampler_AAS *aas, PINN pinn, PetscInt N, PetscInt *n, PetscReal **x, PetscReal **lq)
{
  PINNSamplerFlow *fl = &aas->flow;
  const PetscInt   Nu = (PetscInt)PetscFloorReal(aas->mix * (PetscReal)N + 0.5), Nf = N - Nu, d = pinn->dim;
  const PetscReal  lam = (PetscReal)Nu / (PetscReal)N, lu = -PetscLogReal(fl->volume);
  PetscReal        la = 0;
  PetscInt         nf = 0, nu = 0;
  PetscReal       *xf = NULL, *lpf = NULL, *xu = NULL, *lpu = NULL;

  PetscFunctionBegin;
  aas->nu = Nu;
  if (Nf) { /* the accepted flow points have the density p/A (A: the flow's mass inside the domain) */
    PetscCall(PINNSamplerFlowDraw(s, fl, pinn, Nf, 16 * (uint64_t)pinn->draw + 7, &nf, &xf, &lpf));
    la = fl->logaccept;
    for (PetscInt i = 0; i < nf; i++) lpf[i] -= la;
  }
  if (!Nu) {
    *n  = nf;
    *x  = xf;
    *lq = lpf;
    PetscFunctionReturn(0);
  }
  PetscCall(PINNSamplerFlowDrawUniform(s, fl, pinn, Nu, 16 * (uint64_t)pinn->draw + 10, &nu, &xu, &lpu));
  PetscCall(NNKRnetLogDensity(fl->nn, nu, xu, lpu)); /* log(p/A) of the flow at the uniform points */
  for (PetscInt i = 0; i < nu; i++) lpu[i] -= la;
  /* log q = log(lam e^lu + (1 - lam) e^lp), in log space */
  for (PetscInt pass = 0; pass < 2; pass++) {
    PetscReal *lp = pass ? lpu : lpf;
    for (PetscInt i = 0; i < (pass ? nu : nf); i++) {
      const PetscReal a = PetscLogReal(lam) + lu, b = lam < 1 ? PetscLogReal(1 - lam) + lp[i] : PETSC_NINFINITY, m = PetscMax(a, b);
      lp[i] = m + PetscLogReal(PetscExpReal(a - m) + PetscExpReal(b - m));
    }
  }
  PetscCall(PINNSamplerFlowConcatenate(PetscObjectComm((PetscObject)s), d, nf, Nf, xf, lpf, nu, xu, lpu, N, n, x, lq));
  PetscCall(PetscFree(xf));
  PetscCall(PetscFree(lpf));
  PetscCall(PetscFree(xu));
  PetscCall(PetscFree(lpu));
  PetscFunctionReturn(0);
}

/* Stream of draw k: flow samples 16 k + 7, uniform ones 16 k + 10 */
static PetscErrorCode PINNSamplerAdapt_AAS(PINNSampler s, PINN pinn)
{
  PINNSampler_AAS  *aas  = (PINNSampler_AAS *)s->data;
  PINNSamplerFlow  *fl   = &aas->flow;
  MPI_Comm          comm = PetscObjectComm((PetscObject)s);
  const PINNPoints *pts  = &pinn->points[PINN_POINTS_INTERIOR];
  const PetscInt    N    = pts->N;
  PetscInt          n;
  PetscReal        *x, *lq, *r2, mx = PETSC_MIN_REAL, stat[3] = {0, 0, 0};
  PetscLogDouble    t0, t1;

  PetscFunctionBegin;
  PetscCall(PetscTime(&t0));
  PetscCall(PINNSamplerFlowStart(s, fl, pinn));
  n = fl->n;
  PetscCall(PetscMalloc5(n + 1, &r2, n + 1, &aas->a, n + 1, &aas->b, n + 1, &aas->lp, n + 1, &aas->c));
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, n, fl->x, r2, NULL));
  for (PetscInt i = 0; i < n; i++) {
    if (PetscIsInfOrNanReal(r2[i])) stat[0]++;
    mx = PetscMax(mx, -fl->logq[i]);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, stat, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscCheck(stat[0] == 0, comm, PETSC_ERR_FP, "The AAS sampler's samples have %g non-finite residuals (stage %" PetscInt_FMT ")", (double)stat[0],
             fl->stage + 1);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &mx, 1, MPIU_REAL, MPIU_MAX, comm));
  /* importance weights of the frozen samples: raw 1/(N q_i), or self-normalized (1/q_i)/sum_j (1/q_j), in log space */
  stat[0] = stat[1] = 0;
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal e = PetscExpReal(-fl->logq[i] - mx);
    stat[0] += e;
    stat[1] += e * e;
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, stat, 2, MPIU_REAL, MPIU_SUM, comm));
  fl->ess = stat[0] * stat[0] / stat[1];
  /* -pinn_sampler_aas_beta_relative: the weight beta E_u[r2], E_u[r2] (the mean of r2 over the domain)
     estimated with the self-normalized weights; the maximizer of E_p[r2] - beta |grad p|^2 depends on r2 / beta only */
  aas->beff = aas->beta;
  if (aas->relative && aas->fresh) {
    /* with fresh samples: E_u[r2] from the fixed Sobol probe set (-pinn_sampler_diagnostics_probe points); the frozen
       samples estimate it badly where r2 is concentrated (peak2d, stage 1: 57 from 4000 uniform points, 1.1e4 on the probe) */
    PetscReal m, var, ks;
    PetscCall(PINNSamplerComputeProbeStatistics(s, pinn, &m, &var, &ks, NULL));
    aas->beff = aas->beta * m;
  } else if (aas->relative) {
    PetscReal m = 0;
    for (PetscInt i = 0; i < n; i++) m += PetscExpReal(-fl->logq[i] - mx) / stat[0] * r2[i];
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &m, 1, MPIU_REAL, MPIU_SUM, comm));
    aas->beff = aas->beta * m;
  }
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal w = aas->estimator == AAS_RAW ? PetscExpReal(-fl->logq[i]) / (PetscReal)fl->N : PetscExpReal(-fl->logq[i] - mx) / stat[0];
    aas->a[i]         = w * r2[i];
    aas->b[i]         = w * aas->beff;
  }
  aas->s    = s;
  aas->pinn = pinn;
  PetscCall(PINNSamplerFlowTrain(s, fl, aas->fresh ? AASFreshObjective : AASObjective, aas));
  PetscCall(DrawMixture(s, aas, pinn, N, &n, &x, &lq));
  PetscCall(PetscFree(aas->x));
  PetscCall(PetscMalloc1(n * pinn->dim + 1, &aas->x));
  PetscCall(PetscArraycpy(aas->x, x, n * pinn->dim));
  aas->n = n;
  PetscCall(PINNSamplerFlowSetSamples(fl, N, n, x, lq));
  aas->pending = PETSC_TRUE;
  fl->stage++;
  PetscCall(PetscTime(&t1));
  if (pinn->monitor)
    PetscCall(PetscPrintf(comm,
                          "AAS stage %" PetscInt_FMT ": ESS %.1f of %" PetscInt_FMT
                          " samples; flow objective E_p[r2] - beta |grad p|^2 %.6e -> %.6e in %" PetscInt_FMT
                          " steps (E_p[r2] %.6e, penalty %.6e, beta %.4e); %" PetscInt_FMT " points drawn from the flow (%" PetscInt_FMT
                          " draws rejected so far), %" PetscInt_FMT " uniform; %.2f s\n",
                          fl->stage, (double)fl->ess, N, (double)-fl->loss[0], (double)-fl->loss[1], fl->stagestep, (double)aas->gain,
                          (double)aas->penalty, (double)aas->beff, N - aas->nu, fl->rejected, aas->nu, (double)(t1 - t0)));
  if (pinn->monitor && aas->fresh)
    PetscCall(PetscPrintf(comm,
                          "AAS stage %" PetscInt_FMT ": flow objective on %" PetscInt_FMT
                          " fresh flow samples per step (E_p[r2] and penalty of the last step; %" PetscInt_FMT " fresh draws so far, %" PetscInt_FMT
                          " rejected)\n",
                          fl->stage, aas->fresh, aas->fdrawn, aas->frejected));
  PetscCall(PetscFree5(r2, aas->a, aas->b, aas->lp, aas->c));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerSetFromOptions_AAS(PINNSampler s, PetscOptionItems *PetscOptionsObject)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)s->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "AAS sampler options");
  PetscCall(PetscOptionsReal("-sampler_aas_beta", "Weight beta >= 0 of the penalty ||grad_x p||^2", "PINNSAMPLERAAS", aas->beta, &aas->beta, NULL));
  PetscCall(PetscOptionsEnum("-sampler_aas_estimator", "Importance weights 1/q of the flow objective: self-normalized or raw", "PINNSAMPLERAAS",
                             AASEstimators, (PetscEnum)aas->estimator, (PetscEnum *)&aas->estimator, NULL));
  PetscCall(PetscOptionsBool("-sampler_aas_beta_relative", "The penalty weight is beta times the stage's mean r2 over the domain", "PINNSAMPLERAAS",
                             aas->relative, &aas->relative, NULL));
  PetscCall(PetscOptionsReal("-sampler_aas_uniform_fraction", "Fraction in [0, 1] of the points drawn uniformly each stage, the rest from the flow",
                             "PINNSAMPLERAAS", aas->mix, &aas->mix, NULL));
  PetscCall(PetscOptionsBool("-sampler_aas_importance_weights", "The PINN's loss weights each point by 1/(|Omega| q), q its density",
                             "PINNSAMPLERAAS", aas->importance, &aas->importance, NULL));
  PetscCall(PetscOptionsInt("-sampler_aas_fresh",
                            "Estimate the flow objective on this many fresh flow samples per flow step (0: on the stage's frozen samples)",
                            "PINNSAMPLERAAS", aas->fresh, &aas->fresh, NULL));
  PetscCall(PINNSamplerFlowSetFromOptions(s, &aas->flow, PetscOptionsObject));
  PetscOptionsHeadEnd();
  PetscCheck(aas->fresh == 0 || aas->fresh >= 2, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_sampler_aas_fresh must be 0 (the frozen samples) or at least 2 (the baseline needs two samples), got %" PetscInt_FMT, aas->fresh);
  PetscCheck(aas->mix >= 0 && aas->mix <= 1, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_sampler_aas_uniform_fraction must be in [0, 1], got %g", (double)aas->mix);
  PetscCheck(aas->beta >= 0 && !PetscIsInfOrNanReal(aas->beta), PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_sampler_aas_beta must be a finite beta >= 0, got %g", (double)aas->beta);
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerView_AAS(PINNSampler s, PetscViewer viewer)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)s->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "AAS: max over the flow of E_p[r^2] - beta ||grad_x p||^2, beta %g%s (last stage %g), %s estimator, uniform "
                                   "fraction %g%s; last E_p[r^2] %g, penalty %g, ESS %.1f\n",
                                   (double)aas->beta, aas->relative ? " x the stage's mean r^2" : "", (double)aas->beff,
                                   AASEstimators[aas->estimator], (double)aas->mix,
                                   aas->importance ? ", importance weights 1/(|Omega| q) in the PINN's loss" : "", (double)aas->gain,
                                   (double)aas->penalty, (double)aas->flow.ess));
  if (aas->fresh)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "AAS flow objective on %" PetscInt_FMT
                                     " fresh flow samples per flow step (score-function gradient, leave-one-out "
                                     "baseline); %" PetscInt_FMT " fresh draws, %" PetscInt_FMT " rejected\n",
                                     aas->fresh, aas->fdrawn, aas->frejected));
  PetscCall(PINNSamplerFlowView(&aas->flow, viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerWriteCheckpoint_AAS(PINNSampler s, NNCheckpoint ck)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)s->data;

  PetscFunctionBegin;
  PetscCall(NNCheckpointSetReal(ck, "sampler_aas_gain", aas->gain));
  PetscCall(NNCheckpointSetReal(ck, "sampler_aas_penalty", aas->penalty));
  PetscCall(NNCheckpointSetReal(ck, "sampler_aas_ess", aas->flow.ess));
  PetscCall(NNCheckpointSetReal(ck, "sampler_aas_beta_stage", aas->beff));
  PetscCall(NNCheckpointSetInt(ck, "sampler_aas_fresh_drawn", aas->fdrawn));
  PetscCall(NNCheckpointSetInt(ck, "sampler_aas_fresh_rejected", aas->frejected));
  PetscCall(PINNSamplerFlowWriteCheckpoint(&aas->flow, ck));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerReadCheckpoint_AAS(PINNSampler s, NNCheckpoint ck)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)s->data;

  PetscFunctionBegin;
  PetscCall(NNCheckpointGetReal(ck, "sampler_aas_gain", &aas->gain));
  PetscCall(NNCheckpointGetReal(ck, "sampler_aas_penalty", &aas->penalty));
  PetscCall(NNCheckpointGetReal(ck, "sampler_aas_ess", &aas->flow.ess));
  {
    PetscBool has;
    PetscCall(NNCheckpointHas(ck, "sampler_aas_beta_stage", &has)); /* older checkpoints: the absolute beta */
    if (has)
      PetscCall(NNCheckpointGetReal(ck, "sampler_aas_beta_stage", &aas->beff));
    else
      aas->beff = aas->beta;
    PetscCall(NNCheckpointHas(ck, "sampler_aas_fresh_drawn", &has)); /* older checkpoints: no fresh samples drawn */
    aas->fdrawn = aas->frejected = 0;
    if (has) {
      PetscCall(NNCheckpointGetInt(ck, "sampler_aas_fresh_drawn", &aas->fdrawn));
      PetscCall(NNCheckpointGetInt(ck, "sampler_aas_fresh_rejected", &aas->frejected));
    }
  }
  PetscCall(PINNSamplerFlowReadCheckpoint(&aas->flow, ck));
  PetscCall(PetscFree(aas->x));
  aas->n       = 0;
  aas->pending = PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerDestroy_AAS(PINNSampler s)
{
  PINNSampler_AAS *aas = (PINNSampler_AAS *)s->data;

  PetscFunctionBegin;
  PetscCall(PINNSamplerFlowDestroy(&aas->flow));
  PetscCall(PetscFree(aas->x));
  PetscCall(PetscFree(s->data));
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERAAS - "aas": adversarial adaptive sampling (Tang, Zhai, Wan, Yang, ICLR 2024):
  min over the PINN, max over the KRnet flow p of E_p[r2] - beta ||grad_x p||^2. The trainer's
  -pinn_resample_every Adam steps on the PINN alternate with -pinn_sampler_flow_steps Adam steps on
  the flow at each adapt; the collocation points are then N fresh draws from the flow (outside
  the domain: rejected and redrawn), which replace the interior points. The flow steps maximize the
  importance-sampled estimate over the frozen samples x_i of density q_i (1/|Omega| for the
  uniform start; p/A for the flow's draws, see below), r2 at the current PINN:
    raw:             (1/N) sum_i [r2_i p(x_i) - beta |grad_x p(x_i)|^2] / q_i
    self_normalized: sum_i w_i [r2_i p(x_i) - beta |grad_x p(x_i)|^2], w_i = (1/q_i) / sum_j (1/q_j)
  with grad_x p = p grad_x log p (NNKRnetPenalty()).

  Options Database Keys:
+ -pinn_sampler_aas_beta <5>                          - the penalty weight beta >= 0 (5: the unofficial AAS code's, on [-1,1]^2)
. -pinn_sampler_aas_estimator <self_normalized,raw>   - the estimator (default self_normalized)
. -pinn_sampler_aas_uniform_fraction <0>             - the fraction f in [0, 1] of each stage's points drawn uniformly
. -pinn_sampler_aas_beta_relative <false>            - the penalty weight is beta x the stage's mean r2 over the domain
. -pinn_sampler_aas_fresh <0>                        - M fresh flow samples per flow step for the objective (0: the frozen ones)
. -pinn_sampler_aas_importance_weights <false>       - the PINN's loss weights each point by 1/(|Omega| q)
. -pinn_sampler_flow_steps <1000>                     - Adam steps of the flow per stage
. -pinn_sampler_flow_tao_adam_lr <1e-4>               - the flow's learning rate
- -pinn_sampler_flow_nn_krnet_depth <6>, _width <24>, ... - the KRnet

  Notes:
  With a uniform fraction f, the last round(f N) points of a stage are uniform (stream 16 k + 10 at
  draw k) and the others the flow's; every point's density q is the mixture's,
  (Nu/N)/|Omega| + (1 - Nu/N) p(x)/A, so the weights 1/q stay bounded (defensive importance sampling)
  and the PINN keeps seeing the whole domain. With a relative beta the penalty weight of a stage is
  beta E_u[r2], E_u[r2] estimated with the self-normalized weights: the maximizer depends on r2/beta
  only, so the flow's concentration follows the residual's shape, not its size.

  With -pinn_sampler_aas_fresh M, each flow step draws M fresh samples x_j from the current flow
  (stream 2^48 + t at global flow step t; outside the domain: rejected and redrawn; no gradient
  through the draw), evaluates r2 there, and ascends the score-function (REINFORCE) estimate
  (1/(M-1)) sum_j (r2_j - mean r2) grad log p(x_j) (the leave-one-out mean as baseline: unbiased, and
  the gradient of E_p[r2] restricted to the domain) minus beta times the importance-sampled penalty
  gradient (1/M) sum_j grad |grad_x p(x_j)|^2 / p(x_j) (p(x_j) held fixed); the frozen samples then
  only serve the ESS, and a relative beta takes E_u[r2] from the Sobol probe set of the diagnostics
  (PINNSamplerComputeProbeStatistics()). The unofficial AAS code also trains on fresh points
  each step (uniform ones). See PINNSamplerAASComputeFreshObjective().

  The PINN's loss on the flow samples is the plain mean of r2, an estimate of E_p[r2]; with
  -pinn_sampler_aas_importance_weights each point has the weight 1/(|Omega| q), q the density it was
  drawn with (the mixture's, with a uniform fraction; the flow's draws, rejected outside the domain,
  have the density p/A there, A the flow's mass in the domain, estimated by the fraction of draws
  accepted), and the loss is an unbiased estimate of the mean
  of r2 over the domain, the uniform points' objective, with the flow's points as a variance reduction
  (importance sampling; Nabian, Gladstone, Meidani 2021 for PINNs). The weights go into checkpoints with
  the points. A uniform fraction bounds them by 1/f. No
  official AAS code exists; the estimators follow the paper's description (see the reference note
  aas.md). The ESS of the weights 1/q and the two terms are printed each stage with -pinn_monitor.
  The frozen samples with their densities, the flow and its Adam state are kept in checkpoints;
  the points do not depend on the number of ranks.

  Level: intermediate

.seealso: `PINNSAMPLERDAS`, `PINNSamplerSetFlow()`, `NNKRnetPenalty()`, `PINNSamplerAASComputeFreshObjective()`
M*/

/*@C
  PINNSamplerCreate_AAS - The constructor of the aas type (PINNSAMPLERAAS); called by
  PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERAAS`, `PINNSamplerSetType()`
@*/
PetscErrorCode PINNSamplerCreate_AAS(PINNSampler s)
{
  PINNSampler_AAS *aas;

  PetscFunctionBegin;
  PetscCall(PetscNew(&aas));
  aas->beta               = 5.0;
  aas->estimator          = AAS_SELF_NORMALIZED;
  aas->flow.name          = "AAS";
  aas->beff               = 5.0;
  aas->flow.fsteps        = 1000;
  s->data                 = aas;
  s->qtype                = PINN_SAMPLE_UNIFORM;
  s->ops->draw            = PINNSamplerDraw_AAS;
  s->ops->adapt           = PINNSamplerAdapt_AAS;
  s->ops->setfromoptions  = PINNSamplerSetFromOptions_AAS;
  s->ops->view            = PINNSamplerView_AAS;
  s->ops->writecheckpoint = PINNSamplerWriteCheckpoint_AAS;
  s->ops->readcheckpoint  = PINNSamplerReadCheckpoint_AAS;
  s->ops->destroy         = PINNSamplerDestroy_AAS;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerAASComputeFreshObjective - The fresh-sample estimate of an aas sampler's flow objective,
  as a flow step minimizes it, -(E_p[r2] - beta ||grad_x p||^2), and its gradient in the flow's
  parameters, at the current flow and PINN, from the M fresh flow samples of global flow step `step`
  (what a flow step does with -pinn_sampler_aas_fresh M).

  Collective

  Input Parameters:
+ s    - the sampler, of type aas, adapted at least once (its flow set up and its actnorm initialized)
. pinn - the sampler's PINN, set up
. step - the global flow step whose samples are drawn (random stream 2^48 + step)
- M    - the number of fresh samples, at least 2 (PETSC_DECIDE: the -pinn_sampler_aas_fresh value)

  Output Parameters:
+ value - the estimate (may be NULL)
- G     - its gradient, laid out as the flow's parameters (NNGetParameters() of PINNSamplerGetFlow()), or NULL

  Notes:
  The samples are drawn from the flow as the points are (outside the domain: rejected and redrawn;
  the same samples on any number of ranks) and are held fixed: with r2_j their squared residuals,
  p_j their densities, the value is (beta/M) sum_j |grad_x p(x_j)|^2 / p_j - (1/M) sum_j r2_j and the
  gradient the score-function estimate with the leave-one-out mean as baseline,
  -(1/(M-1)) sum_j (r2_j - mean r2) grad log p(x_j), plus (beta/M) sum_j grad |grad_x p(x_j)|^2 / p_j,
  the p_j held fixed. beta is the last stage's (beta x the stage's mean r2 with
  -pinn_sampler_aas_beta_relative). The draws are counted in the sampler's fresh-draw counters.

  Level: developer

.seealso: `PINNSAMPLERAAS`, `PINNSamplerGetFlow()`, `NNKRnetWeightedLogDensity()`, `NNKRnetPenalty()`
@*/
PetscErrorCode PINNSamplerAASComputeFreshObjective(PINNSampler s, PINN pinn, PetscInt step, PetscInt M, PetscReal *value, Vec G)
{
  PINNSampler_AAS *aas;
  MPI_Comm         comm;
  PetscBool        is;
  PetscInt         np;
  PetscReal        v = 0, *g;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 2);
  comm = PetscObjectComm((PetscObject)s);
  PetscCall(PetscObjectTypeCompare((PetscObject)s, PINNSAMPLERAAS, &is));
  PetscCheck(is && s->data, comm, PETSC_ERR_ARG_WRONG, "The sampler is of type %s, not aas",
             ((PetscObject)s)->type_name ? ((PetscObject)s)->type_name : "(unset)");
  aas = (PINNSampler_AAS *)s->data;
  if (M == PETSC_DECIDE) M = aas->fresh;
  PetscCheck(M >= 2, comm, PETSC_ERR_ARG_OUTOFRANGE, "The fresh estimate needs at least 2 samples, got %" PetscInt_FMT, M);
  PetscCheck(step >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "The flow step must be nonnegative, got %" PetscInt_FMT, step);
  PetscCheck(aas->flow.nn && aas->flow.tao && aas->flow.stage > 0, comm, PETSC_ERR_ARG_WRONGSTATE,
             "Adapt the aas sampler (PINNSamplerAdapt()) at least once before PINNSamplerAASComputeFreshObjective()");
  aas->s    = s;
  aas->pinn = pinn;
  PetscCall(NNGetNumParameters(aas->flow.nn, &np));
  PetscCall(PetscCalloc1(np, &g));
  PetscCall(FreshEstimate(aas, step, M, &v, g));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &v, 1, MPIU_REAL, MPIU_SUM, comm));
  if (value) *value = v;
  if (G) PetscCall(NNReduceGradient(aas->flow.nn, g, G));
  PetscCall(PetscFree(g));
  PetscFunctionReturn(0);
}

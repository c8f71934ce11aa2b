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
  PetscReal       mix;      /* fraction of the drawn points that are uniform (the rest from the flow) */
  PetscInt        nu;       /* uniform points of the last draw */
  PetscBool       relative; /* beta relative to the mean r2 of the stage: the penalty weight is beta E_u[r2] */
  PetscReal       beff;     /* the penalty weight of the last stage */
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
  pts->n       = aas->n;
  pts->x       = aas->x;
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

/* N points of the next stage: N - Nu from the flow (stream 16 k + 7 at draw k), then Nu = round(mix N)
   uniform ones (stream 16 k + 10); each with the density of the mixture it was drawn from,
   q = (Nu/N) / |Omega| + (1 - Nu/N) p (the balance heuristic of multiple importance sampling) */
static PetscErrorCode DrawMixture(PINNSampler s, PINNSampler_AAS *aas, PINN pinn, PetscInt N, PetscInt *n, PetscReal **x, PetscReal **lq)
{
  PINNSamplerFlow *fl = &aas->flow;
  const PetscInt   Nu = (PetscInt)PetscFloorReal(aas->mix * (PetscReal)N + 0.5), Nf = N - Nu, d = pinn->dim;
  const PetscReal  lam = (PetscReal)Nu / (PetscReal)N, lu = -PetscLogReal(fl->volume);
  PetscInt         nf = 0, nu = 0;
  PetscReal       *xf = NULL, *lpf = NULL, *xu = NULL, *lpu = NULL;

  PetscFunctionBegin;
  aas->nu = Nu;
  if (Nf) PetscCall(PINNSamplerFlowDraw(s, fl, pinn, Nf, 16 * (uint64_t)pinn->draw + 7, &nf, &xf, &lpf));
  if (!Nu) {
    *n  = nf;
    *x  = xf;
    *lq = lpf;
    PetscFunctionReturn(0);
  }
  PetscCall(PINNSamplerFlowDrawUniform(s, fl, pinn, Nu, 16 * (uint64_t)pinn->draw + 10, &nu, &xu, &lpu));
  PetscCall(NNKRnetLogDensity(fl->nn, nu, xu, lpu)); /* log p of the flow at the uniform points */
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
  if (aas->relative) {
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
  PetscCall(PINNSamplerFlowTrain(s, fl, AASObjective, aas));
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
  PetscCall(PINNSamplerFlowSetFromOptions(s, &aas->flow, PetscOptionsObject));
  PetscOptionsHeadEnd();
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
                                   "fraction %g; last E_p[r^2] %g, penalty %g, ESS %.1f\n",
                                   (double)aas->beta, aas->relative ? " x the stage's mean r^2" : "", (double)aas->beff,
                                   AASEstimators[aas->estimator], (double)aas->mix, (double)aas->gain, (double)aas->penalty, (double)aas->flow.ess));
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
  uniform start; the flow's when drawn), r2 at the current PINN:
    raw:             (1/N) sum_i [r2_i p(x_i) - beta |grad_x p(x_i)|^2] / q_i
    self_normalized: sum_i w_i [r2_i p(x_i) - beta |grad_x p(x_i)|^2], w_i = (1/q_i) / sum_j (1/q_j)
  with grad_x p = p grad_x log p (NNKRnetPenalty()).

  Options Database Keys:
+ -pinn_sampler_aas_beta <5>                          - the penalty weight beta >= 0 (5: the unofficial AAS code's, on [-1,1]^2)
. -pinn_sampler_aas_estimator <self_normalized,raw>   - the estimator (default self_normalized)
. -pinn_sampler_aas_uniform_fraction <0>             - the fraction f in [0, 1] of each stage's points drawn uniformly
. -pinn_sampler_aas_beta_relative <false>            - the penalty weight is beta x the stage's mean r2 over the domain
. -pinn_sampler_flow_steps <1000>                     - Adam steps of the flow per stage
. -pinn_sampler_flow_tao_adam_lr <1e-4>               - the flow's learning rate
- -pinn_sampler_flow_nn_krnet_depth <6>, _width <24>, ... - the KRnet

  Notes:
  With a uniform fraction f, the last round(f N) points of a stage are uniform (stream 16 k + 10 at
  draw k) and the others the flow's; every point's density q is the mixture's,
  (Nu/N)/|Omega| + (1 - Nu/N) p(x), so the weights 1/q stay bounded (defensive importance sampling)
  and the PINN keeps seeing the whole domain. With a relative beta the penalty weight of a stage is
  beta E_u[r2], E_u[r2] estimated with the self-normalized weights: the maximizer depends on r2/beta
  only, so the flow's concentration follows the residual's shape, not its size.

  The PINN's loss on the flow samples is the plain mean of r2, an estimate of E_p[r2]. No
  official AAS code exists; the estimators follow the paper's description (see the reference note
  aas.md). The ESS of the weights 1/q and the two terms are printed each stage with -pinn_monitor.
  The frozen samples with their densities, the flow and its Adam state are kept in checkpoints;
  the points do not depend on the number of ranks.

  Level: intermediate

.seealso: `PINNSAMPLERDAS`, `PINNSamplerSetFlow()`, `NNKRnetPenalty()`
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

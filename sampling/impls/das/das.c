/* Deep adaptive sampling (DAS; Tang, Wan, Yang, JCP 476 (2023) 111868): at each adapt, the squared
   residuals r2 of the current samples (or of a pool) give the importance weights r2/q, q the
   density the samples were drawn from; the KRnet flow (sampling/flow.c) is fitted to r2/||r||^2
   by weighted maximum likelihood; then new points are drawn from it and replace the interior
   points (DAS-R) or are added to them (DAS-G). */
#include <nnpde/private/samplerflowimpl.h>

typedef enum { DAS_GROW, DAS_REPLACE } DASMode;
static const char *const DASModes[] = {"grow", "replace", "DASMode", "DAS_", NULL};

typedef struct {
  PINNSamplerFlow flow; /* first member: see PINNSamplerSetFlow() */
  DASMode         mode;
  PetscInt        grow;       /* points added per stage (grow); 0: the first interior count */
  PetscInt        pool;       /* points the flow is fitted on; 0: the current samples */
  PetscBool       importance; /* the PINN's loss weights each point by 1/(|Omega| q), q the density it was drawn with */
  /* the fit under way */
  PetscInt   nf;
  PetscReal *xf, *w;
  /* the points of the last adapt, this rank's slice, until drawn */
  PetscInt   Nnew, n;
  PetscReal *x, *pw; /* pw: their loss weights (importance) */
  PetscBool  pending;
} PINNSampler_DAS;

static PetscErrorCode CheckPool(PINNSampler s, PINN pinn)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)s->data;
  const PetscInt   N   = pinn->points[PINN_POINTS_INTERIOR].N;

  PetscFunctionBegin;
  PetscCheck(!das->pool || das->pool >= N, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "The DAS sampler's pool (-pinn_sampler_pool %" PetscInt_FMT ") is smaller than the %" PetscInt_FMT
             " points it draws (-pinn_interior_points)",
             das->pool, N);
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerDraw_DAS(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)s->data;
  PINNPoints      *pts = &pinn->points[region];

  PetscFunctionBegin;
  if (region != PINN_POINTS_INTERIOR || !das->pending) {
    if (region == PINN_POINTS_INTERIOR) {
      PetscCall(CheckPool(s, pinn));
      PetscCall(PINNSamplerFlowSetUp(s, &das->flow, pinn)); /* the flow exists before a checkpoint is read */
    }
    PetscCall(PINNSamplerDraw_Geometry(s, pinn, region, draw));
    PetscFunctionReturn(0);
  }
  pts->N       = das->Nnew;
  pts->n       = das->n;
  pts->x       = das->x;
  pts->w       = das->pw; /* NULL: all 1 */
  das->x       = NULL;
  das->pw      = NULL;
  das->n       = 0;
  das->pending = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* -sum_i w_i log p(x_i) over this rank's fitting points (w normalized over all ranks) */
static PetscErrorCode DASObjective(PINNSamplerFlow *fl, PetscReal *value, PetscReal g[], void *ctx)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)ctx;

  PetscFunctionBegin;
  PetscCall(NNKRnetWeightedLogDensity(fl->nn, das->nf, das->xf, das->w, value, g));
  PetscFunctionReturn(0);
}

/* Streams of draw k: flow samples 16 k + 7, the pool 16 k + 8, the uniform fallback 16 k + 9 */
static PetscErrorCode PINNSamplerAdapt_DAS(PINNSampler s, PINN pinn)
{
  PINNSampler_DAS  *das  = (PINNSampler_DAS *)s->data;
  PINNSamplerFlow  *fl   = &das->flow;
  MPI_Comm          comm = PetscObjectComm((PetscObject)s);
  const PINNPoints *pts  = &pinn->points[PINN_POINTS_INTERIOR];
  const PetscInt    N    = pts->N;
  const uint64_t    k    = (uint64_t)pinn->draw;
  PetscInt          Nadd, n, nf, Nf;
  PetscReal        *x, *lq, *xf, *lqf, *r2, *wn = NULL, stat[3], mx = PETSC_MIN_REAL;
  PetscBool         ownf = PETSC_FALSE, zero;
  PetscLogDouble    t0, t1;

  PetscFunctionBegin;
  PetscCall(PetscTime(&t0));
  PetscCall(CheckPool(s, pinn));
  PetscCall(PINNSamplerFlowStart(s, fl, pinn));
  if (das->pool) { /* a fresh pool, from the flow (uniform before the first fit) */
    if (!fl->stage)
      PetscCall(PINNSamplerFlowDrawUniform(s, fl, pinn, das->pool, 16 * k + 8, &nf, &xf, &lqf));
    else
      PetscCall(PINNSamplerFlowDraw(s, fl, pinn, das->pool, 16 * k + 8, &nf, &xf, &lqf));
    ownf = PETSC_TRUE;
  } else {
    nf  = fl->n;
    xf  = fl->x;
    lqf = fl->logq;
  }
  Nf = das->pool ? das->pool : fl->N;
  PetscCall(PetscMalloc2(nf + 1, &r2, nf + 1, &das->w));
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, nf, xf, r2, NULL));
  /* log-space weights w = r2/q, normalized: log w = log r2 - log q - max */
  stat[0] = stat[1] = 0;
  for (PetscInt i = 0; i < nf; i++) {
    if (PetscIsInfOrNanReal(r2[i]) || r2[i] < 0)
      stat[1]++;
    else
      stat[0] += r2[i];
    das->w[i] = r2[i] > 0 ? PetscLogReal(r2[i]) - lqf[i] : PETSC_NINFINITY;
    if (r2[i] > 0) mx = PetscMax(mx, das->w[i]);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, stat, 2, MPIU_REAL, MPIU_SUM, comm));
  PetscCheck(stat[1] == 0, comm, PETSC_ERR_FP, "The DAS sampler's fitting points have %g non-finite residuals (stage %" PetscInt_FMT ")",
             (double)stat[1], fl->stage + 1);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &mx, 1, MPIU_REAL, MPIU_MAX, comm));
  zero = (PetscBool) !(stat[0] > 0);
  Nadd = das->mode == DAS_REPLACE ? N : (das->grow ? das->grow : (s->nbase ? s->nbase : N));
  if (zero) {
    fl->fallback++;
    fl->ess = 0;
    PetscCall(PetscPrintf(comm,
                          "DAS sampler, stage %" PetscInt_FMT ": the residuals of all %" PetscInt_FMT
                          " fitting points are zero; the points are drawn uniformly, the flow is not trained\n",
                          fl->stage + 1, Nf));
    PetscCall(PINNSamplerFlowDrawUniform(s, fl, pinn, Nadd, 16 * k + 9, &n, &x, &lq));
  } else {
    stat[0] = stat[1] = 0;
    for (PetscInt i = 0; i < nf; i++) {
      das->w[i] = r2[i] > 0 ? PetscExpReal(das->w[i] - mx) : 0;
      stat[0] += das->w[i];
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, stat, 1, MPIU_REAL, MPIU_SUM, comm));
    for (PetscInt i = 0; i < nf; i++) {
      das->w[i] /= stat[0];
      stat[1] += das->w[i] * das->w[i];
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &stat[1], 1, MPIU_REAL, MPIU_SUM, comm));
    fl->ess = 1.0 / stat[1];
    for (PetscInt i = 0; i < nf; i++) das->w[i] = -das->w[i]; /* minimize -sum w log p */
    das->nf = nf;
    das->xf = xf;
    PetscCall(PINNSamplerFlowTrain(s, fl, DASObjective, das));
    PetscCall(PINNSamplerFlowDraw(s, fl, pinn, Nadd, 16 * k + 7, &n, &x, &lq));
    for (PetscInt i = 0; i < n; i++) lq[i] -= fl->logaccept; /* the accepted draws' density p/A */
  }
  if (das->importance) { /* 1/(|Omega| q): the stage's draws give an unbiased estimate of the domain mean of r2 */
    PetscCall(PetscMalloc1(n + 1, &wn));
    for (PetscInt i = 0; i < n; i++) wn[i] = PetscExpReal(-lq[i]) / fl->volume;
  }
  PetscCall(PetscFree(das->x));
  PetscCall(PetscFree(das->pw));
  if (das->mode == DAS_REPLACE) {
    PetscCall(PetscMalloc1(n * pinn->dim + 1, &das->x));
    PetscCall(PetscArraycpy(das->x, x, n * pinn->dim));
    das->n    = n;
    das->Nnew = Nadd;
    das->pw   = wn;
    wn        = NULL;
  } else { /* the grown set keeps each point's weight: a mean of the stages' unbiased estimates */
    das->Nnew = N + Nadd;
    PetscCall(PINNSamplerFlowGatherGrown(s, pinn, n, x, wn, das->Nnew, &das->n, &das->x, &das->pw));
    if (!s->nbase) s->nbase = N;
  }
  PetscCall(PetscFree(wn));
  PetscCall(PINNSamplerFlowSetSamples(fl, Nadd, n, x, lq));
  das->pending = PETSC_TRUE;
  fl->stage++;
  PetscCall(PetscTime(&t1));
  if (pinn->monitor)
    PetscCall(PetscPrintf(comm,
                          "DAS stage %" PetscInt_FMT ": ESS %.1f of %" PetscInt_FMT " fitting points; flow loss %.6e -> %.6e in %" PetscInt_FMT
                          " steps; %" PetscInt_FMT " points %s (%" PetscInt_FMT " draws rejected so far); %" PetscInt_FMT
                          " interior points; %.2f s\n",
                          fl->stage, (double)fl->ess, Nf, (double)fl->loss[0], (double)fl->loss[1], fl->stagestep, Nadd,
                          zero ? "drawn uniformly" : "drawn from the flow", fl->rejected, das->Nnew, (double)(t1 - t0)));
  das->xf = NULL;
  das->nf = 0;
  PetscCall(PetscFree2(r2, das->w));
  if (ownf) {
    PetscCall(PetscFree(xf));
    PetscCall(PetscFree(lqf));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerSetFromOptions_DAS(PINNSampler s, PetscOptionItems *PetscOptionsObject)
{
  PINNSampler_DAS *das  = (PINNSampler_DAS *)s->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)s);

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "DAS sampler options");
  PetscCall(PetscOptionsEnum("-sampler_das_mode", "New points replace the interior points (DAS-R) or are added to them (DAS-G)", "PINNSAMPLERDAS",
                             DASModes, (PetscEnum)das->mode, (PetscEnum *)&das->mode, NULL));
  PetscCall(PetscOptionsInt("-sampler_das_grow", "Points added per stage in grow mode (0: the first number of interior points)", "PINNSAMPLERDAS",
                            das->grow, &das->grow, NULL));
  PetscCall(PetscOptionsInt("-sampler_pool", "Flow samples the flow is fitted on per stage (0: the current samples)", "PINNSAMPLERDAS", das->pool,
                            &das->pool, NULL));
  PetscCall(PetscOptionsBool("-sampler_das_importance_weights", "The PINN's loss weights each point by 1/(|Omega| q), q its density",
                             "PINNSAMPLERDAS", das->importance, &das->importance, NULL));
  PetscCall(PINNSamplerFlowSetFromOptions(s, &das->flow, PetscOptionsObject));
  PetscOptionsHeadEnd();
  PetscCheck(das->grow >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_sampler_das_grow must be nonnegative, got %" PetscInt_FMT, das->grow);
  PetscCheck(das->pool >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_sampler_pool must be nonnegative (0: the current samples), got %" PetscInt_FMT,
             das->pool);
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerView_DAS(PINNSampler s, PetscViewer viewer)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)s->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "DAS-%s: flow fitted to r^2/||r||^2 on %s%s; last ESS %.1f\n",
                                   das->mode == DAS_GROW ? "G (grow)" : "R (replace)", das->pool ? "a pool of flow samples" : "the current samples",
                                   das->importance ? ", importance weights 1/(|Omega| q) in the PINN's loss" : "", (double)das->flow.ess));
  PetscCall(PINNSamplerFlowView(&das->flow, viewer));
  if (s->nbase)
    PetscCall(PetscViewerASCIIPrintf(viewer, "interior points grown from %" PetscInt_FMT " to %" PetscInt_FMT "\n", s->nbase,
                                     s->npoints[PINN_POINTS_INTERIOR]));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerWriteCheckpoint_DAS(PINNSampler s, NNCheckpoint ck)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)s->data;

  PetscFunctionBegin;
  PetscCall(NNCheckpointSetReal(ck, "sampler_das_ess", das->flow.ess));
  PetscCall(PINNSamplerFlowWriteCheckpoint(&das->flow, ck));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerReadCheckpoint_DAS(PINNSampler s, NNCheckpoint ck)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)s->data;

  PetscFunctionBegin;
  PetscCall(NNCheckpointGetReal(ck, "sampler_das_ess", &das->flow.ess));
  PetscCall(PINNSamplerFlowReadCheckpoint(&das->flow, ck));
  PetscCall(PetscFree(das->x));
  PetscCall(PetscFree(das->pw));
  das->n       = 0;
  das->pending = PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerDestroy_DAS(PINNSampler s)
{
  PINNSampler_DAS *das = (PINNSampler_DAS *)s->data;

  PetscFunctionBegin;
  PetscCall(PINNSamplerFlowDestroy(&das->flow));
  PetscCall(PetscFree(das->x));
  PetscCall(PetscFree(das->pw));
  PetscCall(PetscFree(s->data));
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERDAS - "das": deep adaptive sampling (Tang, Wan, Yang, JCP 476 (2023) 111868). The
  first interior points are uniform. At each adapt (-pinn_resample_every) the squared residuals r2
  (PINNComputeResiduals() on the interior terms) of the current samples x_i, drawn with density q_i
  (1/|Omega| for the uniform start, the flow's at drawing time after), give the weights
  w_i = (r2_i/q_i) / sum_j (r2_j/q_j), computed in log space; the KRnet flow is fitted to
  r2/||r||^2 by -pinn_sampler_flow_steps Adam steps on -sum_i w_i log p(x_i) (full batch); then
  new points are drawn from the flow (points outside the domain rejected and redrawn): they
  replace the interior points (DAS-R) or are added to them (DAS-G, the DAS code's default). The
  boundary and initial points are the geometry's.

  Options Database Keys:
+ -pinn_sampler_das_mode <grow,replace>  - DAS-G or DAS-R (default grow, as the DAS code)
. -pinn_sampler_das_grow <0>             - points added per stage, grow mode (0: the first -pinn_interior_points)
. -pinn_sampler_pool <0>                 - fit on this many fresh flow samples (at least the interior points; 0: the current samples)
. -pinn_sampler_das_importance_weights   - the PINN's loss weights each point by 1/(|Omega| q) (default false)
. -pinn_sampler_flow_steps <3000>        - Adam steps of the flow per stage
. -pinn_sampler_flow_tao_adam_lr <1e-4>  - the flow's learning rate (and the other -pinn_sampler_flow_tao_adam_ options)
- -pinn_sampler_flow_nn_krnet_depth <6>, _width <24>, _step <1>, _bins <32>, _rotation - the KRnet

  Notes:
  The PINN's loss on the flow's points is the plain mean of r2 (the DAS code's), which neglects
  the domain away from the residual's peaks. With -pinn_sampler_das_importance_weights each new
  point gets the weight 1/(|Omega| q), q the density it was drawn with: p/A for the flow's draws (p
  the flow's density, A its mass inside the domain, estimated by the fraction of draws accepted), 1
  for uniform ones; in grow mode every point keeps the weight of its stage, so the loss is the mean
  of the stages' unbiased estimates of the domain mean of r2. The weights go into checkpoints with
  the points.
  The effective sample size (sum w)^2/sum w^2 of the weights is printed each stage with
  -pinn_monitor. If every residual is zero, the points are drawn uniformly and a line says so.
  The flow's samples, their densities, parameters (with the actnorm initialization flag), Adam
  state and the counters are kept in checkpoints, so a restart between adapts continues exactly.
  All draws use counter-based streams keyed by the seed, the draw number and global indices: the
  points do not depend on the number of ranks. Unlike the DAS code, the weights are not clipped
  and points outside the domain are rejected, not projected onto the boundary.

  Level: intermediate

.seealso: `PINNSAMPLERAAS`, `PINNSAMPLERRAD`, `PINNSamplerSetFlow()`, `NNKRNET`
M*/

/*@C
  PINNSamplerCreate_DAS - The constructor of the das type (PINNSAMPLERDAS); called by
  PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERDAS`, `PINNSamplerSetType()`
@*/
PetscErrorCode PINNSamplerCreate_DAS(PINNSampler s)
{
  PINNSampler_DAS *das;

  PetscFunctionBegin;
  PetscCall(PetscNew(&das));
  das->mode               = DAS_GROW;
  das->flow.name          = "DAS";
  das->flow.fsteps        = 3000;
  s->data                 = das;
  s->qtype                = PINN_SAMPLE_UNIFORM;
  s->ops->draw            = PINNSamplerDraw_DAS;
  s->ops->adapt           = PINNSamplerAdapt_DAS;
  s->ops->setfromoptions  = PINNSamplerSetFromOptions_DAS;
  s->ops->view            = PINNSamplerView_DAS;
  s->ops->writecheckpoint = PINNSamplerWriteCheckpoint_DAS;
  s->ops->readcheckpoint  = PINNSamplerReadCheckpoint_DAS;
  s->ops->destroy         = PINNSamplerDestroy_DAS;
  PetscFunctionReturn(0);
}

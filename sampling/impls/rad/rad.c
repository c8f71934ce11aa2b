/* Residual-based sampling from a candidate pool (Wu et al., CMAME 2023), r2 = |r|^2 from
   PINNComputeResiduals() at uniform candidates: RAD redraws all N interior points, without
   replacement, with probability p(x) proportional to |r(x)|^k / mean(|r|^k) + c; RAR-D adds m
   points drawn by that density at each adapt, RAR-G the m candidates of largest residual. */
#include <nnpde/private/samplerimpl.h>

typedef enum {
  RAD_REPLACE, /* rad */
  RAR_DENSITY, /* rard */
  RAR_GREEDY   /* rarg */
} RADMode;

static const char *const RADNames[] = {"RAD", "RAR-D", "RAR-G"};

typedef struct {
  RADMode    mode;
  PetscReal  k, c;
  PetscInt   m;        /* points added per adapt (RAR) */
  PetscInt   Nnew;     /* global points of the chosen set, until drawn */
  PetscInt   pool;     /* candidates per adapt; 0: 10 N */
  PetscInt   adapts;   /* adapts done (kept in checkpoints) */
  PetscInt   fallback; /* adapts that fell back to uniform (all residuals zero) */
  PetscReal  mean;     /* mean |r|^k of the last pool */
  PetscInt   n;        /* the points chosen by the last adapt, this rank's slice, until drawn */
  PetscReal *x;
  PetscBool  pending;
} PINNSampler_RAD;

static int Int64Compare(const void *a, const void *b)
{
  const PetscInt64 x = *(const PetscInt64 *)a, y = *(const PetscInt64 *)b;
  return (x > y) - (x < y);
}

/* Candidates per adapt, and how many of them are chosen */
static PetscErrorCode PoolSize(PINNSampler s, PINN pinn, PetscInt *M, PetscInt *count)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;
  const PetscInt   N   = pinn->points[PINN_POINTS_INTERIOR].N;

  PetscFunctionBegin;
  *M     = rad->pool ? rad->pool : 10 * N;
  *count = rad->mode == RAD_REPLACE ? N : rad->m;
  PetscCheck(*M >= *count, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "The %s sampler's candidate pool (-pinn_sampler_pool %" PetscInt_FMT ") is smaller than the %" PetscInt_FMT
             " points it must choose (%s)",
             RADNames[rad->mode], *M, *count, rad->mode == RAD_REPLACE ? "-pinn_interior_points" : "-pinn_sampler_rar_m");
  PetscFunctionReturn(0);
}

/* The chosen points of the last adapt, or (at set-up, or before any adapt) the geometry's */
static PetscErrorCode PINNSamplerDraw_RAD(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;
  PINNPoints      *pts = &pinn->points[region];
  PetscInt         M, count;

  PetscFunctionBegin;
  if (region != PINN_POINTS_INTERIOR || !rad->pending) {
    if (region == PINN_POINTS_INTERIOR) PetscCall(PoolSize(s, pinn, &M, &count)); /* a bad pool size fails at set-up */
    PetscCall(PINNSamplerDraw_Geometry(s, pinn, region, draw));
    PetscFunctionReturn(0);
  }
  pts->N       = rad->Nnew; /* grown by RAR: the terms' 1/N follow */
  pts->n       = rad->n;
  pts->x       = rad->x;
  rad->x       = NULL;
  rad->n       = 0;
  rad->pending = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* Candidates of draw k: uniform in the domain from stream 16 k + 4 (its keys from sub-stream
   16 (16 k + 4) + 5), so neither meets the streams of the plain draws, boundary, initial or test points */
static PetscErrorCode PINNSamplerAdapt_RAD(PINNSampler s, PINN pinn)
{
  PINNSampler_RAD  *rad  = (PINNSampler_RAD *)s->data;
  MPI_Comm          comm = PetscObjectComm((PetscObject)s);
  const PINNPoints *pts  = &pinn->points[PINN_POINTS_INTERIOR];
  const PetscInt    d = pinn->dim, N = pts->N;
  const uint64_t    stream = 16 * (uint64_t)pinn->draw + 4;
  PetscMPIInt       rank, size;
  PetscInt          M, count, m, lo, hi, Nnew;
  PetscReal        *xc, *r2, *w, sum[2] = {0, 0};
  PetscInt64       *gidx, *chosen;

  PetscFunctionBegin;
  PetscCall(PoolSize(s, pinn, &M, &count));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PINNGeometrySampleInterior(pinn->geom, PINN_SAMPLE_UNIFORM, (uint64_t)s->seed, stream, M, &m, &xc));
  PetscCall(PetscMalloc4(m, &r2, m, &w, m, &gidx, count, &chosen));
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, m, xc, r2, NULL));
  lo = (PetscInt)(((PetscInt64)M * rank) / size); /* the geometry's slice of the candidates */
  /* |r|^k / E|r|^k in log space: |r|^k itself overflows or underflows for large k (k log|r| beyond +-709) */
  {
    PetscReal lmax = PETSC_NINFINITY;
    for (PetscInt i = 0; i < m; i++) {
      gidx[i] = lo + i;
      sum[1] += PetscIsInfOrNanReal(r2[i]) ? 1 : 0;
      w[i] = rad->mode == RAR_GREEDY ? r2[i] : rad->k == 0 ? 0 : r2[i] > 0 ? 0.5 * rad->k * PetscLogReal(r2[i]) : PETSC_NINFINITY; /* 0^0 = 1 */
      if (rad->mode != RAR_GREEDY) lmax = PetscMax(lmax, w[i]);
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sum[1], 1, MPIU_REAL, MPIU_SUM, comm));
    PetscCheck(sum[1] == 0, comm, PETSC_ERR_FP, "The %s sampler's candidate pool has %g non-finite residuals (adapt %" PetscInt_FMT ")",
               RADNames[rad->mode], (double)sum[1], rad->adapts + 1);
    if (rad->mode == RAR_GREEDY)
      for (PetscInt i = 0; i < m; i++) sum[0] += w[i];
    else {
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &lmax, 1, MPIU_REAL, MPIU_MAX, comm));
      if (lmax > PETSC_NINFINITY) /* w_i = |r_i|^k / max |r|^k */
        for (PetscInt i = 0; i < m; i++) sum[0] += (w[i] = PetscExpReal(w[i] - lmax));
      else
        for (PetscInt i = 0; i < m; i++) w[i] = 0;
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sum[0], 1, MPIU_REAL, MPIU_SUM, comm));
  }
  rad->mean = sum[0] / M; /* of the scaled weights: their ratio to it is |r|^k / E|r|^k */
  if (!(rad->mean > 0)) {
    rad->fallback++;
    PetscCall(PetscPrintf(
        comm, "%s sampler, adapt %" PetscInt_FMT ": the residuals of all %" PetscInt_FMT " candidates are zero; the points are drawn uniformly\n",
        RADNames[rad->mode], rad->adapts + 1, M));
  }
  if (rad->mode == RAR_GREEDY) /* zero residuals: ties, the first candidates by index, which are uniform */
    PetscCall(PINNWeightedTop(comm, m, gidx, w, count, chosen));
  else {
    for (PetscInt i = 0; i < m; i++) {
      w[i] = rad->mean > 0 ? w[i] / rad->mean + rad->c : 1;
      if (!PetscIsNormalReal(w[i])) w[i] = 0; /* a subnormal share (large k, c = 0): never drawn ahead of the others */
    }
    PetscCall(PINNWeightedSample(comm, (uint64_t)s->seed, 16 * stream + 5, m, gidx, w, count, chosen));
  }
  Nnew = rad->mode == RAD_REPLACE ? N : N + count;
  lo   = (PetscInt)(((PetscInt64)Nnew * rank) / size);
  hi   = (PetscInt)(((PetscInt64)Nnew * (rank + 1)) / size);
  PetscCall(PetscFree(rad->x));
  PetscCall(PetscMalloc1((hi - lo) * d, &rad->x));
  if (rad->mode == RAD_REPLACE)
    PetscCall(PINNWeightedGatherRows(comm, m, gidx, d, xc, N, chosen, lo, hi, rad->x));
  else {
    /* the grown set: the current points (global index j < N, in order), then the chosen candidates */
    PetscInt    nu = 0, olo = 0;
    PetscInt64 *ug, *all;
    PetscReal  *ux;

    PetscCallMPI(MPI_Exscan(&pts->n, &olo, 1, MPIU_INT, MPI_SUM, comm));
    if (!rank) olo = 0;
    PetscCall(PetscMalloc3(pts->n + m, &ug, (pts->n + m) * d, &ux, Nnew, &all));
    for (PetscInt p = 0; p < pts->n; p++, nu++) {
      ug[nu] = olo + p;
      PetscCall(PetscArraycpy(&ux[nu * d], &pts->x[p * d], d));
    }
    for (PetscInt i = 0; i < m; i++) {
      const PetscInt64 *f = (const PetscInt64 *)bsearch(&gidx[i], chosen, (size_t)count, sizeof(PetscInt64), Int64Compare);
      if (!f) continue;
      ug[nu] = N + (PetscInt)(f - chosen);
      PetscCall(PetscArraycpy(&ux[nu * d], &xc[i * d], d));
      nu++;
    }
    for (PetscInt j = 0; j < Nnew; j++) all[j] = j;
    PetscCall(PINNWeightedGatherRows(comm, nu, ug, d, ux, Nnew, all, lo, hi, rad->x));
    PetscCall(PetscFree3(ug, ux, all));
    if (!s->nbase) s->nbase = N;
  }
  rad->Nnew    = Nnew;
  rad->n       = hi - lo;
  rad->pending = PETSC_TRUE;
  rad->adapts++;
  if (pinn->monitor) /* a line per adapt, as DAS and AAS print per stage: a growing set's size shows here */
    PetscCall(PetscPrintf(comm,
                          "%s adapt %" PetscInt_FMT ": %" PetscInt_FMT " of %" PetscInt_FMT " candidates %s; %" PetscInt_FMT " interior points\n",
                          RADNames[rad->mode], rad->adapts, count, M, rad->mode == RAD_REPLACE ? "replace the points" : "added", Nnew));
  PetscCall(PetscFree4(r2, w, gidx, chosen));
  PetscCall(PetscFree(xc));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerSetFromOptions_RAD(PINNSampler s, PetscOptionItems *PetscOptionsObject)
{
  PINNSampler_RAD *rad  = (PINNSampler_RAD *)s->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)s);

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Residual-based sampler options");
  if (rad->mode != RAR_GREEDY) {
    PetscCall(PetscOptionsReal("-sampler_rad_k", "Exponent k of p ~ |r|^k / E|r|^k + c", "PINNSAMPLERRAD", rad->k, &rad->k, NULL));
    PetscCall(PetscOptionsReal("-sampler_rad_c", "Offset c of p ~ |r|^k / E|r|^k + c", "PINNSAMPLERRAD", rad->c, &rad->c, NULL));
  }
  if (rad->mode != RAD_REPLACE) PetscCall(PetscOptionsInt("-sampler_rar_m", "Points added per adapt", "PINNSAMPLERRARD", rad->m, &rad->m, NULL));
  PetscCall(PetscOptionsInt("-sampler_pool", "Candidates per adapt (0: 10 x the interior points)", "PINNSAMPLERRAD", rad->pool, &rad->pool, NULL));
  PetscOptionsHeadEnd();
  PetscCheck(rad->m >= 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_sampler_rar_m must be at least 1, got %" PetscInt_FMT, rad->m);
  PetscCheck(rad->k >= 0 && !PetscIsInfOrNanReal(rad->k), comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_sampler_rad_k must be a finite k >= 0, got %g",
             (double)rad->k);
  PetscCheck(rad->c >= 0 && !PetscIsInfOrNanReal(rad->c), comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_sampler_rad_c must be a finite c >= 0, got %g",
             (double)rad->c);
  PetscCheck(rad->pool >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_sampler_pool must be nonnegative (0: 10 x the interior points), got %" PetscInt_FMT, rad->pool);
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerView_RAD(PINNSampler s, PetscViewer viewer)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;
  char             pool[64], what[256];

  PetscFunctionBegin;
  if (rad->pool)
    PetscCall(PetscSNPrintf(pool, sizeof(pool), "%" PetscInt_FMT, rad->pool));
  else
    PetscCall(PetscSNPrintf(pool, sizeof(pool), "10 N = %" PetscInt_FMT, 10 * s->npoints[PINN_POINTS_INTERIOR]));
  if (rad->mode == RAR_GREEDY)
    PetscCall(PetscSNPrintf(what, sizeof(what), "RAR-G: the %" PetscInt_FMT " largest residuals of the pool added", rad->m));
  else if (rad->mode == RAR_DENSITY)
    PetscCall(PetscSNPrintf(what, sizeof(what), "RAR-D: %" PetscInt_FMT " points added, p ~ |r|^%g / E|r|^%g + %g", rad->m, (double)rad->k,
                            (double)rad->k, (double)rad->c));
  else
    PetscCall(PetscSNPrintf(what, sizeof(what), "RAD: p ~ |r|^%g / E|r|^%g + %g", (double)rad->k, (double)rad->k, (double)rad->c));
  PetscCall(PetscViewerASCIIPrintf(viewer, "%s, pool %s; %" PetscInt_FMT " adapts (%" PetscInt_FMT " uniform: zero residuals)\n", what, pool,
                                   rad->adapts, rad->fallback));
  if (s->nbase)
    PetscCall(PetscViewerASCIIPrintf(viewer, "interior points grown from %" PetscInt_FMT " to %" PetscInt_FMT "\n", s->nbase,
                                     s->npoints[PINN_POINTS_INTERIOR]));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerWriteCheckpoint_RAD(PINNSampler s, NNCheckpoint ck)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;

  PetscFunctionBegin;
  /* adapt and draw come together: no chosen points are pending between steps */
  PetscCall(NNCheckpointSetInt(ck, "sampler_rad_adapts", rad->adapts));
  PetscCall(NNCheckpointSetInt(ck, "sampler_rad_fallbacks", rad->fallback));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerReadCheckpoint_RAD(PINNSampler s, NNCheckpoint ck)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;

  PetscFunctionBegin;
  PetscCall(NNCheckpointGetInt(ck, "sampler_rad_adapts", &rad->adapts));
  PetscCall(NNCheckpointGetInt(ck, "sampler_rad_fallbacks", &rad->fallback));
  PetscCall(PetscFree(rad->x));
  rad->n       = 0;
  rad->pending = PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerDestroy_RAD(PINNSampler s)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(rad->x));
  PetscCall(PetscFree(s->data));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerCreate_Residual(PINNSampler s, RADMode mode)
{
  PINNSampler_RAD *rad;

  PetscFunctionBegin;
  PetscCall(PetscNew(&rad));
  rad->mode               = mode;
  rad->k                  = mode == RAD_REPLACE ? 1 : 2; /* Wu et al.'s recommendations: RAD k = c = 1, RAR-D k = 2, c = 0 */
  rad->c                  = mode == RAD_REPLACE ? 1 : 0;
  rad->m                  = 10;
  s->data                 = rad;
  s->qtype                = PINN_SAMPLE_UNIFORM;
  s->ops->draw            = PINNSamplerDraw_RAD;
  s->ops->adapt           = PINNSamplerAdapt_RAD;
  s->ops->setfromoptions  = PINNSamplerSetFromOptions_RAD;
  s->ops->view            = PINNSamplerView_RAD;
  s->ops->writecheckpoint = PINNSamplerWriteCheckpoint_RAD;
  s->ops->readcheckpoint  = PINNSamplerReadCheckpoint_RAD;
  s->ops->destroy         = PINNSamplerDestroy_RAD;
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERRAD - "rad": residual-based adaptive distribution (Wu, Zhu, Tan, Kartha, Lu, CMAME 403
  (2023) 115671). The first interior points are uniform; at each adapt (-pinn_resample_every) all N
  are redrawn without replacement from a pool of uniform candidates with probability proportional
  to |r|^k / mean(|r|^k) + c, where |r|^2 is PINNComputeResiduals() on the interior terms. The
  boundary and initial points are the geometry's.

  Options Database Keys:
+ -pinn_sampler_rad_k <1> - the exponent k >= 0
. -pinn_sampler_rad_c <1> - the offset c >= 0 (c large: nearly uniform)
- -pinn_sampler_pool <0>  - candidates per adapt, at least N (0: 10 N)

  Notes:
  The candidates and the choice depend on the seed, the draw number and the candidates' global
  indices only (PINNGeometrySampleInterior() and Efraimidis-Spirakis keys), so the points are the
  same on any number of ranks. If every candidate's residual is zero, the choice is uniform and a
  line says so. The mean is over the pool, as in the paper's code.

  Level: intermediate

.seealso: `PINNSamplerSetType()`, `PINNComputeResiduals()`, `PINNSetResampleEvery()`
M*/

/*@C
  PINNSamplerCreate_RAD - The constructor of the rad type (PINNSAMPLERRAD): fills the ops table and
  the private data (k = 1, c = 1, pool 10 N); called by PINNSamplerSetType(), registered by
  PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERRAD`, `PINNSamplerSetType()`, `PINNSamplerRegister()`
@*/
PetscErrorCode PINNSamplerCreate_RAD(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Residual(s, RAD_REPLACE));
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERRARD - "rard": residual-based adaptive refinement with distribution (RAR-D, Wu et al.
  2023). The first interior points are uniform; each adapt (-pinn_resample_every) adds m points
  drawn without replacement from a pool of uniform candidates with probability proportional to
  |r|^k / mean(|r|^k) + c. The interior set grows by m per adapt; the loss terms' 1/N follow.

  Options Database Keys:
+ -pinn_sampler_rar_m <10> - points added per adapt
. -pinn_sampler_rad_k <2>  - the exponent k >= 0
. -pinn_sampler_rad_c <0>  - the offset c >= 0
- -pinn_sampler_pool <0>   - candidates per adapt, at least m (0: 10 N, N the current points)

  Notes:
  The same on any number of ranks (see PINNSAMPLERRAD). The grown set (the points before, in
  order, then the added ones) and its size are kept in checkpoints; a restart needs the run's
  first -pinn_interior_points. Mini-batches (-pinn_batch_size) run over the grown set.

  Level: intermediate

.seealso: `PINNSAMPLERRAD`, `PINNSAMPLERRARG`, `PINNComputeResiduals()`
M*/

/*@C
  PINNSamplerCreate_RARD - The constructor of the rard type (PINNSAMPLERRARD): k = 2, c = 0, m = 10,
  pool 10 N; called by PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERRARD`, `PINNSamplerSetType()`
@*/
PetscErrorCode PINNSamplerCreate_RARD(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Residual(s, RAR_DENSITY));
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERRARG - "rarg": greedy residual-based adaptive refinement (RAR-G, Wu et al. 2023, after
  Lu et al.'s DeepXDE RAR). Each adapt (-pinn_resample_every) adds the m candidates of a pool of
  uniform candidates with the largest residual r2 (equal residuals: the smaller candidate index).

  Options Database Keys:
+ -pinn_sampler_rar_m <10> - points added per adapt
- -pinn_sampler_pool <0>   - candidates per adapt, at least m (0: 10 N, N the current points)

  Notes:
  If every residual of the pool is zero, the first m candidates (uniform points) are added and a
  line says so. Growth, checkpoints and rank independence as PINNSAMPLERRARD.

  Level: intermediate

.seealso: `PINNSAMPLERRAD`, `PINNSAMPLERRARD`, `PINNWeightedTop()`
M*/

/*@C
  PINNSamplerCreate_RARG - The constructor of the rarg type (PINNSAMPLERRARG): m = 10, pool 10 N;
  called by PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERRARG`, `PINNSamplerSetType()`
@*/
PetscErrorCode PINNSamplerCreate_RARG(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Residual(s, RAR_GREEDY));
  PetscFunctionReturn(0);
}

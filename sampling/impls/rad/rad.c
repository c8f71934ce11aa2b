/* Residual-based adaptive distribution (RAD, Wu et al., CMAME 2023): at each adapt, all N interior
   points are redrawn, without replacement, from a pool of uniform candidates with probability
   p(x) proportional to |r(x)|^k / mean(|r|^k) + c, r2 = |r|^2 from PINNComputeResiduals(). */
#include <nnpde/private/samplerimpl.h>

typedef struct {
  PetscReal  k, c;
  PetscInt   pool;     /* candidates per adapt; 0: 10 N */
  PetscInt   adapts;   /* adapts done (kept in checkpoints) */
  PetscInt   fallback; /* adapts that fell back to uniform (all residuals zero) */
  PetscReal  mean;     /* mean |r|^k of the last pool */
  PetscInt   n;        /* the points chosen by the last adapt, this rank's slice, until drawn */
  PetscReal *x;
  PetscBool  pending;
} PINNSampler_RAD;

static PetscErrorCode PoolSize(PINNSampler s, PINN pinn, PetscInt *M)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;
  const PetscInt   N   = pinn->points[PINN_POINTS_INTERIOR].N;

  PetscFunctionBegin;
  *M = rad->pool ? rad->pool : 10 * N;
  PetscCheck(*M >= N, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "The RAD sampler's candidate pool (-pinn_sampler_pool %" PetscInt_FMT ") is smaller than the %" PetscInt_FMT
             " interior points it must choose (-pinn_interior_points)",
             *M, N);
  PetscFunctionReturn(0);
}

/* The chosen points of the last adapt, or (at set-up, or before any adapt) the geometry's */
static PetscErrorCode PINNSamplerDraw_RAD(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNSampler_RAD *rad = (PINNSampler_RAD *)s->data;
  PINNPoints      *pts = &pinn->points[region];
  PetscInt         M;

  PetscFunctionBegin;
  if (region != PINN_POINTS_INTERIOR || !rad->pending) {
    if (region == PINN_POINTS_INTERIOR) PetscCall(PoolSize(s, pinn, &M)); /* a bad pool size fails at set-up */
    PetscCall(PINNSamplerDraw_Geometry(s, pinn, region, draw));
    PetscFunctionReturn(0);
  }
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
  PINNSampler_RAD *rad  = (PINNSampler_RAD *)s->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)s);
  const PetscInt   d = pinn->dim, N = pinn->points[PINN_POINTS_INTERIOR].N;
  const uint64_t   stream = 16 * (uint64_t)pinn->draw + 4;
  PetscMPIInt      rank, size;
  PetscInt         M, m, lo, hi;
  PetscReal       *xc, *r2, *w, sum[2] = {0, 0};
  PetscInt64      *gidx, *chosen;

  PetscFunctionBegin;
  PetscCall(PoolSize(s, pinn, &M));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PINNGeometrySampleInterior(pinn->geom, PINN_SAMPLE_UNIFORM, (uint64_t)s->seed, stream, M, &m, &xc));
  PetscCall(PetscMalloc4(m, &r2, m, &w, m, &gidx, N, &chosen));
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, m, xc, r2, NULL));
  lo = (PetscInt)(((PetscInt64)M * rank) / size); /* the geometry's slice of the candidates */
  for (PetscInt i = 0; i < m; i++) {
    gidx[i] = lo + i;
    w[i]    = PetscPowReal(PetscMax(r2[i], 0), rad->k / 2); /* |r|^k; 0^0 = 1 */
    sum[0] += w[i];
    sum[1] += PetscIsInfOrNanReal(w[i]) ? 1 : 0;
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sum, 2, MPIU_REAL, MPIU_SUM, comm));
  PetscCheck(sum[1] == 0, comm, PETSC_ERR_FP, "The RAD sampler's candidate pool has %g non-finite residuals (adapt %" PetscInt_FMT ")",
             (double)sum[1], rad->adapts + 1);
  rad->mean = sum[0] / M;
  if (rad->mean > 0) {
    for (PetscInt i = 0; i < m; i++) w[i] = w[i] / rad->mean + rad->c;
  } else {
    for (PetscInt i = 0; i < m; i++) w[i] = 1;
    rad->fallback++;
    PetscCall(PetscPrintf(
        comm, "RAD sampler, adapt %" PetscInt_FMT ": the residuals of all %" PetscInt_FMT " candidates are zero; the points are drawn uniformly\n",
        rad->adapts + 1, M));
  }
  PetscCall(PINNWeightedSample(comm, (uint64_t)s->seed, 16 * stream + 5, m, gidx, w, N, chosen));
  lo = (PetscInt)(((PetscInt64)N * rank) / size);
  hi = (PetscInt)(((PetscInt64)N * (rank + 1)) / size);
  PetscCall(PetscFree(rad->x));
  PetscCall(PetscMalloc1((hi - lo) * d, &rad->x));
  PetscCall(PINNWeightedGatherRows(comm, m, gidx, d, xc, N, chosen, lo, hi, rad->x));
  rad->n       = hi - lo;
  rad->pending = PETSC_TRUE;
  rad->adapts++;
  PetscCall(PetscFree4(r2, w, gidx, chosen));
  PetscCall(PetscFree(xc));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerSetFromOptions_RAD(PINNSampler s, PetscOptionItems *PetscOptionsObject)
{
  PINNSampler_RAD *rad  = (PINNSampler_RAD *)s->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)s);

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "RAD sampler options");
  PetscCall(PetscOptionsReal("-sampler_rad_k", "Exponent k of p ~ |r|^k / E|r|^k + c", "PINNSAMPLERRAD", rad->k, &rad->k, NULL));
  PetscCall(PetscOptionsReal("-sampler_rad_c", "Offset c of p ~ |r|^k / E|r|^k + c", "PINNSAMPLERRAD", rad->c, &rad->c, NULL));
  PetscCall(PetscOptionsInt("-sampler_pool", "Candidates per adapt (0: 10 x the interior points)", "PINNSAMPLERRAD", rad->pool, &rad->pool, NULL));
  PetscOptionsHeadEnd();
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

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "RAD: p ~ |r|^%g / E|r|^%g + %g, pool %s%" PetscInt_FMT "; %" PetscInt_FMT " adapts (%" PetscInt_FMT " uniform: zero residuals)\n",
      (double)rad->k, (double)rad->k, (double)rad->c, rad->pool ? "" : "10 N = ", rad->pool ? rad->pool : 10 * s->npoints[0], rad->adapts,
      rad->fallback));
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
  PINNSampler_RAD *rad;

  PetscFunctionBegin;
  PetscCall(PetscNew(&rad));
  rad->k                  = 1;
  rad->c                  = 1;
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

/* Per-stage diagnostics of a sampler (any type): at each adapt stage, on a fixed quasi-random probe
   set, the mean and variance of the squared residual r2 and the Kolmogorov-Smirnov distance of the
   residual-induced measure r2 / sum r2 from the uniform one (largest over the 1-D marginals); the
   interior points after the stage, the sampler's time for it and, with an exact solution, the
   relative L2 error. Printed with the PINN's monitor, written as columns of its history. */
#include <nnpde/private/samplerimpl.h>

const char *const PINNSamplerDiagnosticNames[] = {"sampler_stage",  "sampler_r2_mean", "sampler_r2_var",     "sampler_ks",
                                                  "sampler_points", "sampler_time",    "sampler_relative_l2"};

typedef struct {
  PetscReal v;
  PetscInt  i;
} Key;

static int KeyCompare(const void *a, const void *b)
{
  const Key *x = (const Key *)a, *y = (const Key *)b;
  if (x->v != y->v) return (x->v > y->v) - (x->v < y->v);
  return (x->i > y->i) - (x->i < y->i);
}

/* The KS distance of the discrete measures p (weights p[i], summing to 1) and uniform (1/N) on the
   N points x (N x d), largest over the d marginals: max_j sup_t |P_j(t) - U_j(t)|, the CDFs taken
   at every distinct coordinate value (equal values step together), so exact for the two measures. */
static PetscErrorCode MarginalKS(PetscInt N, PetscInt d, const PetscReal x[], const PetscReal p[], PetscReal *ks)
{
  Key *key;

  PetscFunctionBegin;
  *ks = 0;
  if (!N) PetscFunctionReturn(0);
  PetscCall(PetscMalloc1(N, &key));
  for (PetscInt j = 0; j < d; j++) {
    PetscReal P = 0;

    for (PetscInt i = 0; i < N; i++) key[i].v = x[i * d + j], key[i].i = i;
    qsort(key, (size_t)N, sizeof(Key), KeyCompare);
    for (PetscInt i = 0; i < N; i++) {
      P += p[key[i].i];
      if (i + 1 < N && key[i + 1].v == key[i].v) continue; /* a tie: the CDFs jump together */
      *ks = PetscMax(*ks, PetscAbsReal(P - (PetscReal)(i + 1) / (PetscReal)N));
    }
  }
  PetscCall(PetscFree(key));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerComputeProbeStatistics - Statistics of the PINN's interior squared residual r2
  (PINNComputeResiduals()) on the sampler's probe set: its mean, its variance, and the
  Kolmogorov-Smirnov distance of the residual-induced measure from the uniform one.

  Collective

  Input Parameters:
+ s    - the sampler (its probe size, -pinn_sampler_diagnostics_probe)
- pinn - the PINN, set up

  Output Parameters:
+ mean   - (1/N) sum_i r2_i over the N probe points (an estimate of the interior loss without weights)
. var    - (1/N) sum_i (r2_i - mean)^2
. ks     - max over the coordinates j of sup_t |sum_{i: x_ij <= t} r2_i / sum_i r2_i - #{i: x_ij <= t} / N|
- allzero - (optional) PETSC_TRUE if every r2_i is zero (the measure is then taken as uniform: ks = 0)

  Notes:
  The probe points are the first N points of the geometry's Sobol sequence inside the domain
  (PINNGeometrySampleInterior() with PINN_SAMPLE_SOBOL; above 40 dimensions, Philox numbers of
  stream 5 with the sampler's seed), sharded across ranks for the residuals; the squared residuals
  and the points are then gathered, and the statistics are summed and sorted in the global order
  on every rank, so they depend on the residual values only, not on the number of ranks. The KS
  distance compares the two discrete measures on the probe points exactly (no binning): 0 when
  the residual is constant, up to 1 when it is concentrated. Non-finite residuals give NaN.

  Level: intermediate

.seealso: `PINNSamplerSetDiagnostics()`, `PINNComputeResiduals()`
@*/
PetscErrorCode PINNSamplerComputeProbeStatistics(PINNSampler s, PINN pinn, PetscReal *mean, PetscReal *var, PetscReal *ks, PetscBool *allzero)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)s);
  const PetscInt d = pinn->dim, N = s->diag.nprobe;
  PetscInt       n;
  PetscMPIInt    size, *counts, *displs, nl;
  PetscReal     *x, *r2, *xall, *rall, sum = 0, sq = 0;
  PINNSampleType type = d <= 40 ? PINN_SAMPLE_SOBOL : PINN_SAMPLE_UNIFORM;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 2);
  PetscCheck(pinn->setupcalled, comm, PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() before PINNSamplerComputeProbeStatistics()");
  PetscCall(PINNGeometrySampleInterior(pinn->geom, type, (uint64_t)s->seed, 5, N, &n, &x));
  PetscCall(PetscMalloc1(n, &r2));
  PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, n, x, r2, NULL));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc4(size, &counts, size, &displs, N * d, &xall, N, &rall));
  PetscCall(PetscMPIIntCast(n, &nl));
  PetscCallMPI(MPI_Allgather(&nl, 1, MPI_INT, counts, 1, MPI_INT, comm));
  displs[0] = 0;
  for (PetscMPIInt r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
  PetscCallMPI(MPI_Allgatherv(r2, nl, MPIU_REAL, rall, counts, displs, MPIU_REAL, comm));
  for (PetscMPIInt r = 0; r < size; r++) counts[r] *= (PetscMPIInt)d, displs[r] *= (PetscMPIInt)d;
  PetscCallMPI(MPI_Allgatherv(x, nl * (PetscMPIInt)d, MPIU_REAL, xall, counts, displs, MPIU_REAL, comm));
  for (PetscInt i = 0; i < N; i++) sum += rall[i]; /* the global order: the same sums on any number of ranks */
  *mean = N ? sum / N : 0;
  for (PetscInt i = 0; i < N; i++) sq += (rall[i] - *mean) * (rall[i] - *mean);
  *var = N ? sq / N : 0;
  if (allzero) *allzero = (PetscBool)(sum == 0);
  if (PetscIsInfOrNanReal(sum))
    *ks = (PetscReal)NAN;
  else if (sum == 0)
    *ks = 0; /* all-zero residuals: the measure is taken as uniform */
  else {
    for (PetscInt i = 0; i < N; i++) rall[i] /= sum;
    PetscCall(MarginalKS(N, d, xall, rall, ks));
  }
  PetscCall(PetscFree4(counts, displs, xall, rall));
  PetscCall(PetscFree(r2));
  PetscCall(PetscFree(x));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerSetDiagnostics - Turns the per-stage diagnostics on or off and sets the probe size
  (-pinn_sampler_diagnostics, -pinn_sampler_diagnostics_probe).

  Logically Collective

  Input Parameters:
+ s      - the sampler
. flg    - compute them at every adapt stage
- nprobe - probe points (PETSC_DEFAULT: unchanged; the default is 4096)

  Notes:
  At each adapt stage (every -pinn_resample_every Adam steps), for every sampler type, before the
  type adapts: PINNSamplerComputeProbeStatistics() on the probe set and, with an exact solution,
  PINNComputeError() (both with the parameters the stage adapts from, those of the step before its
  first); after the stage's interior draw: the number of interior points and the sampler's wall
  time for the adapt and the draw (largest over the ranks, the diagnostics' own time not
  included). With -pinn_monitor a line per stage is printed; with -pinn_monitor_history
  the history gets the columns sampler_stage, sampler_r2_mean, sampler_r2_var, sampler_ks,
  sampler_points, sampler_time, sampler_relative_l2, filled in the row of the stage's first step
  and empty elsewhere.

  Level: intermediate

.seealso: `PINNSamplerGetDiagnostics()`, `PINNSamplerComputeProbeStatistics()`
@*/
PetscErrorCode PINNSamplerSetDiagnostics(PINNSampler s, PetscBool flg, PetscInt nprobe)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (nprobe != PETSC_DEFAULT) {
    PetscCheck(nprobe >= 1, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
               "-pinn_sampler_diagnostics_probe must be at least 1, got %" PetscInt_FMT, nprobe);
    s->diag.nprobe = nprobe;
  }
  s->diag.on = flg;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerGetDiagnostics - The diagnostics of the last adapt stage.

  Not Collective

  Input Parameter:
. s - the sampler

  Output Parameters:
+ flg       - (optional) whether diagnostics are on
. iteration - (optional) the step at which the stage began, -1 if none yet
- v         - (optional) PINN_SAMPLER_NUM_DIAGNOSTICS values, named by PINNSamplerDiagnosticNames[]:
              stage, r2 mean, r2 variance, KS distance, interior points, time (s), relative L2 error (NaN without an exact solution)

  Level: intermediate

.seealso: `PINNSamplerSetDiagnostics()`
@*/
PetscErrorCode PINNSamplerGetDiagnostics(PINNSampler s, PetscBool *flg, PetscInt *iteration, PetscReal v[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (flg) *flg = s->diag.on;
  if (iteration) *iteration = s->diag.iteration;
  if (v)
    for (PetscInt k = 0; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) v[k] = s->diag.v[k];
  PetscFunctionReturn(0);
}

/* Before the type adapts: the probe statistics and the error, then the stage's clock starts */
PetscErrorCode PINNSamplerDiagnosticsBegin_Private(PINNSampler s, PINN pinn)
{
  PetscReal *v = s->diag.v;
  PetscBool  zero;

  PetscFunctionBegin;
  if (!s->diag.on && !s->diag.dump[0]) PetscFunctionReturn(0);
  v[0] = (PetscReal)pinn->draw;
  for (PetscInt k = 1; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) v[k] = (PetscReal)NAN;
  zero = PETSC_FALSE;
  if (s->diag.on) {
    PetscCall(PINNSamplerComputeProbeStatistics(s, pinn, &v[1], &v[2], &v[3], &zero));
    if (pinn->exact) PetscCall(PINNComputeError(pinn, &v[6]));
  }
  s->diag.allzero   = zero;
  s->diag.iteration = pinn->iteration;
  s->diag.pending   = PETSC_TRUE;
  s->diag.t0        = MPI_Wtime();
  PetscFunctionReturn(0);
}

/* After the stage's interior draw: points, time, and the monitor's line */
PetscErrorCode PINNSamplerDiagnosticsEnd_Private(PINNSampler s, PINN pinn)
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)s);
  PetscReal *v    = s->diag.v, t;

  PetscFunctionBegin;
  if (!s->diag.pending) PetscFunctionReturn(0);
  t = (PetscReal)(MPI_Wtime() - s->diag.t0);
  PetscCall(MPIU_Allreduce(&t, &v[5], 1, MPIU_REAL, MPIU_MAX, comm)); /* the same on every rank */
  v[4]            = (PetscReal)pinn->points[PINN_POINTS_INTERIOR].N;
  s->diag.pending = PETSC_FALSE;
  if (s->diag.dump[0]) PetscCall(PINNSamplerDumpStage_Private(s, pinn, (PetscInt)v[0], s->diag.iteration));
  if (!s->diag.on || !pinn->monitor) PetscFunctionReturn(0);
  PetscCall(PetscPrintf(
      comm,
      "Sampler %s stage %" PetscInt_FMT " (step %" PetscInt_FMT "): probe r2 mean %.3e var %.3e, KS %.4f, %" PetscInt_FMT " interior points, %.3g s",
      ((PetscObject)s)->type_name, (PetscInt)v[0], s->diag.iteration, (double)v[1], (double)v[2], (double)v[3], (PetscInt)v[4], (double)v[5]));
  if (pinn->exact) PetscCall(PetscPrintf(comm, ", rel-L2 %.3e", (double)v[6]));
  if (s->diag.allzero)
    PetscCall(PetscPrintf(comm, " (all %" PetscInt_FMT " probe residuals are zero: the measure is taken as uniform)", s->diag.nprobe));
  PetscCall(PetscPrintf(comm, "\n"));
  PetscFunctionReturn(0);
}

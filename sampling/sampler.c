/* The PINNSampler object: the interface over the types in sampling/impls/. */
#include <nnpde/private/samplerimpl.h>

/*@C
  PINNSamplerRegister - Adds a sampler type, for PINNSamplerSetType() and -pinn_sampler_type.

  Not Collective

  Input Parameters:
+ name   - the type's name
- create - its constructor, which fills the ops table and the private data

  Level: advanced

.seealso: `PINNSamplerSetType()`, `PINNSamplerCreate()`
@*/
PetscErrorCode PINNSamplerRegister(const char name[], PetscErrorCode (*create)(PINNSampler))
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerInitializePackage());
  PetscCall(PetscFunctionListAdd(&PINNSamplerList, name, create));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerCreate - Creates a point sampler, of no type yet (PINNSamplerSetUp() makes it
  uniform). A PINN creates its own; use this to give it another (PINNSetSampler()).

  Collective

  Input Parameter:
. comm - the communicator the points are distributed over

  Output Parameter:
. sampler - the new sampler

  Level: intermediate

.seealso: `PINNSamplerSetType()`, `PINNSamplerDraw()`, `PINNSetSampler()`
@*/
PetscErrorCode PINNSamplerCreate(MPI_Comm comm, PINNSampler *sampler)
{
  PINNSampler s;

  PetscFunctionBegin;
  PetscValidPointer(sampler, 2);
  PetscCall(PINNSamplerInitializePackage());
  PetscCall(PetscHeaderCreate(s, PINNSAMPLER_CLASSID, "PINNSampler", "Collocation-point sampler", "PINNSampler", comm, PINNSamplerDestroy,
                              PINNSamplerView));
  s->seed           = 0;
  s->qtype          = PINN_SAMPLE_UNIFORM;
  s->ndraws         = 0;
  s->diag.nprobe    = 4096;
  s->diag.iteration = -1;
  s->diag.grid      = 101;
  for (PetscInt k = 0; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) s->diag.v[k] = (PetscReal)NAN;
  *sampler = s;
  PetscFunctionReturn(0);
}

/*@C
  PINNSamplerSetType - Sets how the sampler draws points: uniform, sobol, halton, shell, or from
  the residuals: rad, rard, rarg, and das, aas (with a KRnet flow).

  Logically Collective

  Input Parameters:
+ s    - the sampler
- type - PINNSAMPLERUNIFORM, PINNSAMPLERSOBOL, PINNSAMPLERHALTON, PINNSAMPLERSHELL or a registered type

  Options Database Key:
. -pinn_sampler_type <uniform,sobol,halton,shell,rad,rard,rarg,das,aas> - under a PINN's prefix

  Notes:
  All nine types are registered by PINNSamplerInitializePackage(), unconditionally: das and aas are always built
  (their flow, the NN type krnet, is part of the library).

  Level: intermediate

.seealso: `PINNSamplerCreate()`, `PINNSamplerRegister()`
@*/
PetscErrorCode PINNSamplerSetType(PINNSampler s, PINNSamplerType type)
{
  PetscErrorCode (*create)(PINNSampler);
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)s, type, &same));
  if (same) PetscFunctionReturn(0);
  PetscCall(PetscFunctionListFind(PINNSamplerList, type, &create));
  PetscCheck(create, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_UNKNOWN_TYPE,
             "Unknown sampler type \"%s\" (known: uniform, sobol, halton, shell, rad, rard, rarg, das, aas)", type);
  if (s->ops->destroy) PetscCall((*s->ops->destroy)(s));
  PetscCall(PetscMemzero(s->ops, sizeof(struct _PINNSamplerOps)));
  s->data        = NULL;
  s->nbase       = 0; /* a grown set belongs to the type that grew it */
  s->setupcalled = PETSC_FALSE;
  PetscCall(PetscObjectChangeTypeName((PetscObject)s, type));
  PetscCall((*create)(s));
  PetscFunctionReturn(0);
}

/*@C
  PINNSamplerGetType - Gets the sampler's type name (NULL before one is set).

  Not Collective

  Input Parameter:
. s - the sampler

  Output Parameter:
. type - its type name

  Level: intermediate

.seealso: `PINNSamplerSetType()`
@*/
PetscErrorCode PINNSamplerGetType(PINNSampler s, PINNSamplerType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscValidPointer(type, 2);
  *type = ((PetscObject)s)->type_name;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerSetSeed - Sets the seed of the sampler's counter-based draws (the same seed gives the
  same points on any number of ranks).

  Logically Collective

  Input Parameters:
+ s    - the sampler
- seed - the seed, nonnegative

  Options Database Keys:
+ -pinn_seed <0> - for a PINN's sampler (PINNSetFromOptions())
- -pinn_sampler_seed <s> - the sampler's own option (-sampler_seed under its prefix), read after -pinn_seed with that
                           as its default, so it overrides it

  Level: intermediate

.seealso: `PINNSamplerGetSeed()`
@*/
PetscErrorCode PINNSamplerSetSeed(PINNSampler s, PetscInt seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCheck(seed >= 0, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE, "The seed must be nonnegative, got %" PetscInt_FMT, seed);
  s->seed = seed;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerGetSeed - Gets the seed of the sampler's draws.

  Not Collective

  Input Parameter:
. s - the sampler

  Output Parameter:
. seed - the seed

  Level: intermediate

.seealso: `PINNSamplerSetSeed()`
@*/
PetscErrorCode PINNSamplerGetSeed(PINNSampler s, PetscInt *seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  *seed = s->seed;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerGetNumDraws - Gets how many point sets the sampler has drawn (kept in checkpoints).

  Not Collective

  Input Parameter:
. s - the sampler

  Output Parameter:
. n - the number of point sets drawn (all regions, all draws)

  Level: intermediate

.seealso: `PINNSamplerDraw()`
@*/
PetscErrorCode PINNSamplerGetNumDraws(PINNSampler s, PetscInt *n)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  *n = s->ndraws;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerSetSampleType - Sets the pseudo- or quasi-random numbers of the geometry draws. For
  the uniform, sobol and halton types this is the type itself (setting it changes the type); a
  shell sampler uses it for the regions it has no callback for.

  Logically Collective

  Input Parameters:
+ s    - the sampler
- type - PINN_SAMPLE_UNIFORM, PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON

  Options Database Key:
. -pinn_sample_type <uniform,sobol,halton> - for a PINN's sampler

  Level: intermediate

.seealso: `PINNSamplerSetType()`, `PINNSamplerShellSetDraw()`
@*/
PetscErrorCode PINNSamplerSetSampleType(PINNSampler s, PINNSampleType type)
{
  PetscBool shell;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)s, PINNSAMPLERSHELL, &shell));
  if (!shell) {
    const PINNSamplerType names[] = {PINNSAMPLERUNIFORM, PINNSAMPLERSOBOL, PINNSAMPLERHALTON};
    PetscCheck(type >= PINN_SAMPLE_UNIFORM && type <= PINN_SAMPLE_HALTON, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
               "Unknown sample type %d", (int)type);
    PetscCall(PINNSamplerSetType(s, names[type]));
  }
  s->qtype = type;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerGetSampleType - Gets the pseudo- or quasi-random numbers of the geometry draws.

  Not Collective

  Input Parameter:
. s - the sampler

  Output Parameter:
. type - the sample type

  Level: intermediate

.seealso: `PINNSamplerSetSampleType()`
@*/
PetscErrorCode PINNSamplerGetSampleType(PINNSampler s, PINNSampleType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  *type = s->qtype;
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerSetFromOptions - Sets the sampler's type, seed and the type's options from the
  options database (under the sampler's prefix: "pinn_" for a PINN's sampler).

  Collective

  Input Parameter:
. s - the sampler

  Options Database Keys:
+ -sampler_type <uniform,sobol,halton,shell,rad,rard,rarg,das,aas> - the type
. -sampler_seed <s> - the seed (-pinn_sampler_seed for a PINN's sampler; its default is the seed already set, for a
                      PINN's sampler -pinn_seed's, which it overrides)
. -sampler_diagnostics <false> - per-stage diagnostics (PINNSamplerSetDiagnostics())
. -sampler_diagnostics_probe <4096> - their probe points
. -sampler_dump <prefix> - per-stage sample cloud and residual field to HDF5, <prefix>_stage0001.h5 for stage 1 (PINNSamplerSetDump())
- -sampler_dump_grid <101> - grid points per side of that residual field

  Level: intermediate

.seealso: `PINNSamplerSetType()`, `PINNSetFromOptions()`
@*/
PetscErrorCode PINNSamplerSetFromOptions(PINNSampler s)
{
  char      type[256];
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCall(PINNSamplerInitializePackage());
  PetscObjectOptionsBegin((PetscObject)s);
  PetscCall(PetscOptionsFList("-sampler_type", "How points are drawn", "PINNSamplerSetType", PINNSamplerList,
                              ((PetscObject)s)->type_name ? ((PetscObject)s)->type_name : PINNSAMPLERUNIFORM, type, sizeof(type), &set));
  if (set)
    PetscCall(PINNSamplerSetType(s, type));
  else if (!((PetscObject)s)->type_name)
    PetscCall(PINNSamplerSetType(s, PINNSAMPLERUNIFORM));
  PetscCall(PetscOptionsInt("-sampler_seed", "Seed of the draws", "PINNSamplerSetSeed", s->seed, &s->seed, NULL));
  PetscCall(PINNSamplerSetSeed(s, s->seed));
  PetscCall(PetscOptionsBool("-sampler_diagnostics", "Per-stage diagnostics: probe residual statistics, KS distance from uniform, points, time",
                             "PINNSamplerSetDiagnostics", s->diag.on, &s->diag.on, NULL));
  PetscCall(PetscOptionsInt("-sampler_diagnostics_probe", "Probe points of the diagnostics", "PINNSamplerSetDiagnostics", s->diag.nprobe,
                            &s->diag.nprobe, NULL));
  PetscCall(PetscOptionsString("-sampler_dump", "Per-stage sample cloud and residual field to <prefix>_stage0001.h5, ...", "PINNSamplerSetDump",
                               s->diag.dump, s->diag.dump, sizeof(s->diag.dump), NULL));
  PetscCall(PetscOptionsInt("-sampler_dump_grid", "Grid points per side of the dumped residual field", "PINNSamplerSetDump", s->diag.grid,
                            &s->diag.grid, NULL));
  if (s->ops->setfromoptions) PetscCall((*s->ops->setfromoptions)(s, PetscOptionsObject));
  PetscOptionsEnd();
  PetscCall(PINNSamplerSetDiagnostics(s, s->diag.on, s->diag.nprobe)); /* checks the probe size */
  PetscCall(PINNSamplerSetDump(s, s->diag.dump, s->diag.grid));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerSetUp - Prepares the sampler for drawing (uniform if no type was set).

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSamplerDraw()`
@*/
PetscErrorCode PINNSamplerSetUp(PINNSampler s)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (s->setupcalled) PetscFunctionReturn(0);
  if (!((PetscObject)s)->type_name) PetscCall(PINNSamplerSetType(s, PINNSAMPLERUNIFORM));
  if (s->ops->setup) PetscCall((*s->ops->setup)(s));
  s->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/*@C
  PINNSamplerView - Prints the sampler's type, seed, draw count, the global number of points of
  each region's last draw, and the type's settings.

  Collective

  Input Parameters:
+ s      - the sampler
- viewer - an ASCII viewer, or NULL for stdout on the sampler's communicator

  Level: intermediate

.seealso: `PINNSamplerCreate()`
@*/
PetscErrorCode PINNSamplerView(PINNSampler s, PetscViewer viewer)
{
  PetscBool iascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)s), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii) PetscFunctionReturn(0);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)s, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "seed %" PetscInt_FMT ", %" PetscInt_FMT " point sets drawn\n", s->seed, s->ndraws));
  PetscCall(PetscViewerASCIIPrintf(viewer, "points per region (last draw): %" PetscInt_FMT " %s, %" PetscInt_FMT " %s, %" PetscInt_FMT " %s\n",
                                   s->npoints[0], PINNPointSets[0], s->npoints[1], PINNPointSets[1], s->npoints[2], PINNPointSets[2]));
  if (s->diag.on) PetscCall(PetscViewerASCIIPrintf(viewer, "per-stage diagnostics on %" PetscInt_FMT " probe points\n", s->diag.nprobe));
  if (s->diag.dump[0])
    PetscCall(
        PetscViewerASCIIPrintf(viewer, "per-stage dump to %s_stage0001.h5, ... (residual grid %" PetscInt_FMT "^2)\n", s->diag.dump, s->diag.grid));
  if (s->ops->view) PetscCall((*s->ops->view)(s, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerDestroy - Destroys a sampler.

  Collective

  Input Parameter:
. s - the sampler, may point to NULL; set to NULL on return

  Level: intermediate

.seealso: `PINNSamplerCreate()`
@*/
PetscErrorCode PINNSamplerDestroy(PINNSampler *s)
{
  PetscFunctionBegin;
  if (!*s) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(*s, PINNSAMPLER_CLASSID, 1);
  if (--((PetscObject)(*s))->refct > 0) {
    *s = NULL;
    PetscFunctionReturn(0);
  }
  if ((*s)->ops->destroy) PetscCall((*(*s)->ops->destroy)(*s));
  PetscCall(PetscHeaderDestroy(s));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerDraw - Draws the points of one region of a PINN into the PINN's point set:
  this rank's slice of the region's global count, with normals and tags on the boundary and,
  if the type gives them, per-point weights (else all 1).

  Collective

  Input Parameters:
+ s      - the sampler
. pinn   - the PINN (its geometry and point counts)
. region - the point set
- draw   - the draw number (interior points are redrawn during training; 0 at set-up)

  Level: developer

.seealso: `PINNSamplerAdapt()`, `PINNGetPoints()`
@*/
PetscErrorCode PINNSamplerDraw(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNPoints *pts;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 2);
  PetscCheck(region >= PINN_POINTS_INTERIOR && region <= PINN_POINTS_INITIAL, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE,
             "Unknown point set %d", (int)region);
  PetscCall(PINNSamplerSetUp(s));
  pts = &pinn->points[region];
  PetscCall(PetscFree(pts->x));
  PetscCall(PetscFree(pts->normal));
  PetscCall(PetscFree(pts->tag));
  PetscCall(PetscFree(pts->w)); /* new points, weights 1 unless the type gives some */
  pts->n = 0;
  PetscCall((*s->ops->draw)(s, pinn, region, draw));
  s->npoints[region] = pts->N;
  s->ndraws++;
  if (region == PINN_POINTS_INTERIOR) PetscCall(PINNSamplerDiagnosticsEnd_Private(s, pinn)); /* after an adapt: the stage's points and time */
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerAdapt - Lets the sampler adapt to the PINN's current residuals before its next draw
  (the adaptive types); the uniform, sobol, halton and shell types do nothing. With
  -pinn_sampler_diagnostics (any type) the stage's probe statistics are computed first, and
  completed by the interior draw that follows (PINNSamplerSetDiagnostics()).

  Collective

  Input Parameters:
+ s    - the sampler
- pinn - the PINN whose residuals drive it

  Level: developer

.seealso: `PINNSamplerDraw()`
@*/
PetscErrorCode PINNSamplerAdapt(PINNSampler s, PINN pinn)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 2);
  PetscCall(PINNSamplerDiagnosticsBegin_Private(s, pinn)); /* -pinn_sampler_diagnostics: the residuals this stage starts from */
  if (s->ops->adapt) PetscCall((*s->ops->adapt)(s, pinn));
  PetscFunctionReturn(0);
}

/* Checkpoint keys of a region's per-point weights: an int (1: the region has weights) and a Vec */
static PetscErrorCode WeightKeys(PINNPointSet r, char flag[], char vec[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(flag, len, "sampler_%s_weighted", PINNPointSets[r]));
  PetscCall(PetscSNPrintf(vec, len, "sampler_%s_weights", PINNPointSets[r]));
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerWriteCheckpoint - Writes the sampler's state to a checkpoint: type, seed, draw
  count, sample type, the type's own state, and the per-point weights of the PINN's point sets.

  Collective

  Input Parameters:
+ s    - the sampler
. pinn - the PINN it draws for (its point sets' weights are written), or NULL for the sampler alone
- ck   - the checkpoint, open for writing

  Notes:
  The coordinates of the interior points are written by PINNWriteCheckpoint(); the boundary and
  initial points are drawn once, at set-up, and drawn again identically on restart. Weights are
  written for each region whose points carry weights on some rank (else the region is flagged as
  unweighted: all 1).

  Level: developer

.seealso: `PINNSamplerReadCheckpoint()`, `PINNWriteCheckpoint()`, `PINNGetPointWeights()`
@*/
PetscErrorCode PINNSamplerWriteCheckpoint(PINNSampler s, PINN pinn, NNCheckpoint ck)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (pinn) PetscValidHeaderSpecific(pinn, PINN_CLASSID, 2);
  PetscCall(PINNSamplerSetUp(s));
  PetscCall(NNCheckpointSetString(ck, "sampler_type", ((PetscObject)s)->type_name));
  PetscCall(NNCheckpointSetInt(ck, "sampler_seed", s->seed));
  PetscCall(NNCheckpointSetInt(ck, "sampler_draws", s->ndraws));
  PetscCall(NNCheckpointSetInt(ck, "sampler_sample_type", (PetscInt)s->qtype));
  if (s->ops->writecheckpoint) PetscCall((*s->ops->writecheckpoint)(s, ck));
  if (s->diag.on && s->diag.iteration >= 0) {
    /* the last stage's diagnostics: a restart at the stage's first step rewrites its history row, and keeps them there */
    PetscCall(NNCheckpointSetInt(ck, "sampler_diagnostics_iteration", s->diag.iteration));
    for (PetscInt k = 0; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) PetscCall(NNCheckpointSetReal(ck, PINNSamplerDiagnosticNames[k], s->diag.v[k]));
  }
  if (s->nbase) { /* a grown interior set (RAR): its size now and before it grew */
    PetscCall(NNCheckpointSetInt(ck, "sampler_interior_base", s->nbase));
    PetscCall(NNCheckpointSetInt(ck, "sampler_interior_points", s->npoints[PINN_POINTS_INTERIOR]));
  }
  if (pinn) {
    for (PetscInt r = 0; r < PINN_NUM_POINT_SETS; r++) {
      PINNPoints  *pts = &pinn->points[r];
      PetscBool    weighted;
      char         flag[64], name[64];
      Vec          w;
      PetscScalar *a;

      if (!pts->N) continue;
      PetscCall(WeightKeys((PINNPointSet)r, flag, name, sizeof(flag)));
      weighted = (PetscBool)(pts->w != NULL);
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &weighted, 1, MPIU_BOOL, MPI_LOR, PetscObjectComm((PetscObject)s)));
      PetscCall(NNCheckpointSetInt(ck, flag, weighted));
      if (!weighted) continue;
      PetscCall(VecCreateMPI(PetscObjectComm((PetscObject)s), pts->n, pts->N, &w));
      PetscCall(VecGetArrayWrite(w, &a));
      for (PetscInt p = 0; p < pts->n; p++) a[p] = pts->w ? pts->w[p] : 1.0;
      PetscCall(VecRestoreArrayWrite(w, &a));
      PetscCall(NNCheckpointWriteVec(ck, name, w));
      PetscCall(VecDestroy(&w));
    }
  }
  PetscFunctionReturn(0);
}

/*@
  PINNSamplerReadCheckpoint - Restores what PINNSamplerWriteCheckpoint() wrote: type, seed, draw
  count, the type's state and the per-point weights of the PINN's point sets.

  Collective

  Input Parameters:
+ s    - the sampler: of the checkpoint's type, or of no type yet (it then takes the checkpoint's)
. pinn - the PINN it draws for, set up (its point sets get the checkpoint's weights), or NULL
- ck   - the checkpoint, open for reading

  Notes:
  A sampler of another type than the checkpoint's is an error that names both types: a shell
  sampler keeps its callbacks, and the points of the run being restarted were drawn by this
  sampler. Checkpoints without a sampler (written before it existed) leave the sampler and the
  weights as they are; a region flagged as unweighted gets weights 1. A grown interior set (the
  rard and rarg types) gives the PINN's interior point set its size; PINNReadCheckpoint() then
  reads the points.

  Level: developer

.seealso: `PINNSamplerWriteCheckpoint()`, `PINNReadCheckpoint()`
@*/
PetscErrorCode PINNSamplerReadCheckpoint(PINNSampler s, PINN pinn, NNCheckpoint ck)
{
  MPI_Comm  comm;
  char      type[256];
  PetscBool has, same;
  PetscInt  q;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (pinn) PetscValidHeaderSpecific(pinn, PINN_CLASSID, 2);
  comm = PetscObjectComm((PetscObject)s);
  PetscCall(NNCheckpointHas(ck, "sampler_type", &has));
  if (!has) PetscFunctionReturn(0);
  PetscCall(NNCheckpointGetString(ck, "sampler_type", type, sizeof(type)));
  if (((PetscObject)s)->type_name) {
    PetscCall(PetscStrcmp(type, ((PetscObject)s)->type_name, &same));
    PetscCheck(
        same, comm, PETSC_ERR_ARG_INCOMP,
        "The checkpoint holds the state of a sampler of type %s; this sampler is of type %s (restart with the same type: -pinn_sampler_type %s)",
        type, ((PetscObject)s)->type_name, type);
  } else
    PetscCall(PINNSamplerSetType(s, type));
  PetscCall(NNCheckpointGetInt(ck, "sampler_seed", &s->seed));
  PetscCall(NNCheckpointGetInt(ck, "sampler_draws", &s->ndraws));
  PetscCall(NNCheckpointGetInt(ck, "sampler_sample_type", &q));
  PetscCheck(q >= PINN_SAMPLE_UNIFORM && q <= PINN_SAMPLE_HALTON, comm, PETSC_ERR_FILE_UNEXPECTED,
             "The checkpoint's sampler_sample_type %" PetscInt_FMT " is not a sample type", q);
  s->qtype = (PINNSampleType)q;
  PetscCall(PINNSamplerSetUp(s));
  if (s->ops->readcheckpoint) PetscCall((*s->ops->readcheckpoint)(s, ck));
  PetscCall(NNCheckpointHas(ck, "sampler_diagnostics_iteration", &has));
  if (has && s->diag.on) {
    PetscCall(NNCheckpointGetInt(ck, "sampler_diagnostics_iteration", &s->diag.iteration));
    for (PetscInt k = 0; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) PetscCall(NNCheckpointGetReal(ck, PINNSamplerDiagnosticNames[k], &s->diag.v[k]));
  }
  PetscCall(NNCheckpointHas(ck, "sampler_interior_base", &has));
  s->nbase = 0;
  if (has) { /* a grown interior set: the PINN's takes its size (the points are read by PINNReadCheckpoint()) */
    PetscInt    N;
    PetscMPIInt rank, size;

    PetscCall(NNCheckpointGetInt(ck, "sampler_interior_base", &s->nbase));
    PetscCall(NNCheckpointGetInt(ck, "sampler_interior_points", &N));
    s->npoints[PINN_POINTS_INTERIOR] = N;
    if (pinn) {
      PINNPoints *pts = &pinn->points[PINN_POINTS_INTERIOR];

      PetscCallMPI(MPI_Comm_rank(comm, &rank));
      PetscCallMPI(MPI_Comm_size(comm, &size));
      pts->N = N;
      pts->n = (PetscInt)(((PetscInt64)N * (rank + 1)) / size - ((PetscInt64)N * rank) / size);
      PetscCall(PetscFree(pts->x));
      PetscCall(PetscFree(pts->w));
      PetscCall(PetscCalloc1(pts->n * pinn->dim, &pts->x));
    }
  }
  if (pinn) {
    for (PetscInt r = 0; r < PINN_NUM_POINT_SETS; r++) {
      PINNPoints        *pts = &pinn->points[r];
      PetscInt           weighted;
      char               flag[64], name[64];
      Vec                w;
      const PetscScalar *a;

      PetscCall(WeightKeys((PINNPointSet)r, flag, name, sizeof(flag)));
      PetscCall(NNCheckpointHas(ck, flag, &has));
      if (!has) continue;
      PetscCall(NNCheckpointGetInt(ck, flag, &weighted));
      PetscCall(PetscFree(pts->w));
      if (!weighted) continue;
      PetscCall(VecCreateMPI(comm, pts->n, pts->N, &w));
      PetscCall(NNCheckpointReadVec(ck, name, w));
      PetscCall(PetscMalloc1(pts->n, &pts->w));
      PetscCall(VecGetArrayRead(w, &a));
      for (PetscInt p = 0; p < pts->n; p++) pts->w[p] = PetscRealPart(a[p]);
      PetscCall(VecRestoreArrayRead(w, &a));
      PetscCall(VecDestroy(&w));
    }
  }
  PetscFunctionReturn(0);
}

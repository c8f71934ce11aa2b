/* The PINN object: set-up, point sets, the loss and its gradient, and error reporting. Training
   (monitor, checkpoints, restart) is in pinn/train.c, output in pinn/output.c. */
#include <nnpde/private/pinnimpl.h>
#include <nnpde/private/nnimpl.h>
#include <nnpde/adam.h>
#include <nnpde/sampler.h>

PetscErrorCode PINNRegister(const char name[], PetscErrorCode (*create)(PINN))
{
  PetscFunctionBegin;
  PetscCall(PINNInitializePackage());
  PetscCall(PetscFunctionListAdd(&PINNList, name, create));
  PetscFunctionReturn(0);
}

/*@
  PINNCreate - Creates a physics-informed trainer. Give it a geometry (PINNSetGeometry()), terms
  (PINNAddPoisson(), PINNAddDirichlet(), PINNAddTerm(), ...), then PINNSetFromOptions(),
  PINNTrain().

  Collective

  Level: beginner
@*/
PetscErrorCode PINNCreate(MPI_Comm comm, PINN *pinn)
{
  PINN p;

  PetscFunctionBegin;
  PetscValidPointer(pinn, 2);
  PetscCall(PINNInitializePackage());
  PetscCall(PetscHeaderCreate(p, PINN_CLASSID, "PINN", "Physics-informed neural network", "PINN", comm, PINNDestroy, PINNView));
  p->nc                             = 1;
  p->points[PINN_POINTS_INTERIOR].N = 2000;
  p->points[PINN_POINTS_BOUNDARY].N = 400;
  p->points[PINN_POINTS_INITIAL].N  = 400;
  p->Ntest                          = 10000;
  PetscCall(PINNSamplerCreate(comm, &p->sampler));
  PetscCall(PINNSamplerSetType(p->sampler, PINNSAMPLERUNIFORM));
  /* what works on the examples (README): Adam, then L-BFGS from where Adam left off; progress
     every 1000 steps and a summary at the end */
  p->adam_steps    = 3000;
  p->lbfgs_steps   = 3000;
  p->adam_lr       = 1e-3;
  p->monitor       = PETSC_TRUE;
  p->monitor_every = 1000;
  p->last_error    = -1;
  *pinn            = p;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetType(PINN pinn, PINNType type)
{
  PetscErrorCode (*create)(PINN);
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)pinn, type, &same));
  if (same) PetscFunctionReturn(0);
  PetscCall(PetscFunctionListFind(PINNList, type, &create));
  PetscCheck(create, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_UNKNOWN_TYPE, "Unknown PINN type \"%s\" (known: eulerian)", type);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Cannot change the PINN type after PINNSetUp()");
  if (pinn->ops->destroy) PetscCall((*pinn->ops->destroy)(pinn));
  PetscCall(PetscMemzero(pinn->ops, sizeof(struct _PINNOps)));
  PetscCall(PetscObjectChangeTypeName((PetscObject)pinn, type));
  PetscCall((*create)(pinn));
  PetscFunctionReturn(0);
}

/*MC
  PINNEULERIAN - "eulerian": the standard PINN, one network u(x) (or u(x,t)) trained on residuals
  at collocation points.

  Level: beginner
M*/
PetscErrorCode PINNCreate_Eulerian(PINN pinn)
{
  PetscFunctionBegin;
  (void)pinn;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetGeometry(PINN pinn, PINNGeometry geom)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the geometry before PINNSetUp()");
  PetscCall(PetscObjectReference((PetscObject)geom));
  PetscCall(PINNGeometryDestroy(&pinn->geom));
  pinn->geom = geom;
  PetscCall(PINNGeometryGetDimension(geom, &pinn->dim));
  PetscCall(PINNGeometryIsSpaceTime(geom, &pinn->spacetime));
  pinn->nspace = pinn->spacetime ? pinn->dim - 1 : pinn->dim;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNGetGeometry(PINN pinn, PINNGeometry *geom)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  *geom = pinn->geom;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetNumComponents(PINN pinn, PetscInt nc)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(nc > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Number of components must be positive, got %" PetscInt_FMT, nc);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the number of components before PINNSetUp()");
  pinn->nc = nc;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetNetwork(PINN pinn, NN nn)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidHeaderSpecific(nn, NN_CLASSID, 2);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the network before PINNSetUp()");
  PetscCall(PetscObjectReference((PetscObject)nn));
  PetscCall(NNDestroy(&pinn->nn));
  pinn->nn = nn;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNGetNetwork(PINN pinn, NN *nn)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  *nn = pinn->nn;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetNumPoints(PINN pinn, PetscInt ninterior, PetscInt nboundary, PetscInt ninitial)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the point counts before PINNSetUp()");
  PetscCheck(ninterior >= 0 && nboundary >= 0 && ninitial >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Point counts must be nonnegative, got %" PetscInt_FMT ", %" PetscInt_FMT ", %" PetscInt_FMT, ninterior, nboundary, ninitial);
  pinn->points[PINN_POINTS_INTERIOR].N = ninterior;
  pinn->points[PINN_POINTS_BOUNDARY].N = nboundary;
  pinn->points[PINN_POINTS_INITIAL].N  = ninitial;
  PetscFunctionReturn(0);
}

/*@
  PINNSetSampler - Sets the sampler that draws the PINN's point sets (by default a uniform one,
  changed with -pinn_sample_type or -pinn_sampler_type). The PINN takes a reference.

  Logically Collective

  Level: intermediate

.seealso: `PINNGetSampler()`, `PINNSamplerCreate()`, `PINNSetSamplerFunction()`
@*/
PetscErrorCode PINNSetSampler(PINN pinn, PINNSampler sampler)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidHeaderSpecific(sampler, PINNSAMPLER_CLASSID, 2);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the sampler before PINNSetUp()");
  PetscCall(PetscObjectReference((PetscObject)sampler));
  PetscCall(PINNSamplerDestroy(&pinn->sampler));
  pinn->sampler = sampler;
  PetscFunctionReturn(0);
}

/*@
  PINNGetSampler - Gets the sampler that draws the PINN's point sets (borrowed).

  Not Collective

  Level: intermediate

.seealso: `PINNSetSampler()`
@*/
PetscErrorCode PINNGetSampler(PINN pinn, PINNSampler *sampler)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(sampler, 2);
  *sampler = pinn->sampler;
  PetscFunctionReturn(0);
}

typedef struct {
  PINNSamplerFn fn;
  void         *ctx;
} SamplerFunction;

static PetscErrorCode SamplerFunctionDraw(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x,
                                          PetscReal **w, void *ctx)
{
  SamplerFunction *f = (SamplerFunction *)ctx;

  PetscFunctionBegin;
  (void)s, (void)region, (void)w;
  PetscCall((*f->fn)(pinn, f->ctx, draw, N, n, x));
  PetscFunctionReturn(0);
}

static PetscErrorCode SamplerFunctionDestroy(void *ctx)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(ctx));
  PetscFunctionReturn(0);
}

/*@C
  PINNSetSamplerFunction - Draws the interior points with a callback: makes the PINN's sampler a
  shell sampler (PINNSAMPLERSHELL) with fn for the interior; the other point sets keep coming from
  the geometry with the current sample type and seed.

  Logically Collective

  Input Parameters:
+ pinn - the PINN
. fn   - the callback (see PINNSamplerFn)
- ctx  - its context

  Level: intermediate

.seealso: `PINNSetSampler()`, `PINNSamplerShellSetDraw()`
@*/
PetscErrorCode PINNSetSamplerFunction(PINN pinn, PINNSamplerFn fn, void *ctx)
{
  SamplerFunction *f;
  PINNSampleType   q;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSamplerGetSampleType(pinn->sampler, &q));
  PetscCall(PINNSamplerSetType(pinn->sampler, PINNSAMPLERSHELL));
  PetscCall(PINNSamplerSetSampleType(pinn->sampler, q));
  PetscCall(PetscNew(&f));
  f->fn  = fn;
  f->ctx = ctx;
  PetscCall(PINNSamplerShellSetDraw(pinn->sampler, PINN_POINTS_INTERIOR, SamplerFunctionDraw, f, SamplerFunctionDestroy));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetExactSolution(PINN pinn, PINNFieldFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  pinn->exact     = fn;
  pinn->exact_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetSteps(PINN pinn, PetscInt adam_steps, PetscInt lbfgs_steps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(adam_steps >= 0 && lbfgs_steps >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Step counts must be nonnegative, got %" PetscInt_FMT " and %" PetscInt_FMT, adam_steps, lbfgs_steps);
  PetscCheck(!pinn->tr, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the steps before training starts");
  pinn->adam_steps  = adam_steps;
  pinn->lbfgs_steps = lbfgs_steps;
  PetscFunctionReturn(0);
}

/* Adam moves every parameter by about lr per step: above 1 a network only saturates or diverges */
PetscErrorCode PINNCheckLearningRate_Private(PINN pinn, const char name[])
{
  PetscFunctionBegin;
  PetscCheck(pinn->adam_lr > 0 && pinn->adam_lr <= PINN_MAX_ADAM_LR, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "%s %g is outside (0, %g]: Adam changes every parameter by about this much per step (1e-3 is typical)", name, (double)pinn->adam_lr,
             (double)PINN_MAX_ADAM_LR);
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetLearningRate(PINN pinn, PetscReal lr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  pinn->adam_lr = lr;
  PetscCall(PINNCheckLearningRate_Private(pinn, "The learning rate"));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetSampleType(PINN pinn, PINNSampleType type, PetscInt seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(seed >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The seed must be nonnegative, got %" PetscInt_FMT, seed);
  PetscCall(PINNSamplerSetSampleType(pinn->sampler, type));
  PetscCall(PINNSamplerSetSeed(pinn->sampler, seed));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetBatchSize(PINN pinn, PetscInt b)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(b >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The batch size must be nonnegative (0: full batch), got %" PetscInt_FMT, b);
  pinn->batch_size = b;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetResampleEvery(PINN pinn, PetscInt every)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(every >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The resampling interval must be nonnegative (0: never), got %" PetscInt_FMT, every);
  pinn->resample_every = every;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetTestPoints(PINN pinn, PetscInt n)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(n > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The number of test points must be positive, got %" PetscInt_FMT,
             n);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the test points before PINNSetUp()");
  pinn->Ntest = n;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetMonitor(PINN pinn, PetscBool flg, PetscInt every, const char history[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(every > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The monitor interval must be positive, got %" PetscInt_FMT,
             every);
  pinn->monitor       = flg;
  pinn->monitor_every = every;
  PetscCall(PetscStrncpy(pinn->history, history ? history : "", sizeof(pinn->history)));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetTargetError(PINN pinn, PetscReal target)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(target >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The target error must be nonnegative (0: none), got %g",
             (double)target);
  pinn->target_error = target;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNGetPoints(PINN pinn, PINNPointSet set, PetscInt *n, const PetscReal *x[], const PetscReal *normal[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCheck(set >= PINN_POINTS_INTERIOR && set <= PINN_POINTS_INITIAL, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Unknown point set %d", (int)set);
  if (n) *n = pinn->points[set].n;
  if (x) *x = pinn->points[set].x;
  if (normal) *normal = pinn->points[set].normal;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNCheckPointSet_Private(PINN pinn, PINNPointSet set)
{
  PetscFunctionBegin;
  PetscCheck(pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCheck(set >= PINN_POINTS_INTERIOR && set <= PINN_POINTS_INITIAL, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Unknown point set %d", (int)set);
  PetscFunctionReturn(0);
}

/*@
  PINNGetPointSetSizes - The number of points of a set on this rank and in all.

  Not Collective

  Input Parameters:
+ pinn - the PINN, set up
- set  - PINN_POINTS_INTERIOR, PINN_POINTS_BOUNDARY or PINN_POINTS_INITIAL

  Output Parameters:
+ n - local points (may be NULL)
- N - global points (may be NULL)

  Level: intermediate

.seealso: `PINNGetPoints()`, `PINNGetPointWeights()`
@*/
PetscErrorCode PINNGetPointSetSizes(PINN pinn, PINNPointSet set, PetscInt *n, PetscInt *N)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  if (n) *n = pinn->points[set].n;
  if (N) *N = pinn->points[set].N;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetPointTags - The boundary-part tag of each local point of a set (borrowed; NULL except for
  the boundary set).

  Not Collective

  Level: intermediate

.seealso: `PINNGetPoints()`, `PINNGeometryGetNumParts()`
@*/
PetscErrorCode PINNGetPointTags(PINN pinn, PINNPointSet set, const PetscInt *tag[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(tag, 3);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  *tag = pinn->points[set].tag;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetPointWeights - Gives access to the per-point weights of this rank's points of a set, to
  read or change; return them with PINNRestorePointWeights().

  Not Collective

  Input Parameters:
+ pinn - the PINN, set up
- set  - PINN_POINTS_INTERIOR, PINN_POINTS_BOUNDARY or PINN_POINTS_INITIAL

  Output Parameter:
. w - n weights, one per local point (PINNGetPointSetSizes()); all 1 unless changed

  Notes:
  A term on the set contributes weight * (1/N) sum_p w_p sum_k r_pk^2 to the loss, N the number
  of points in the term's group (all ranks). Redrawing the points (-pinn_resample_every, a sampler)
  resets the weights to 1.

  Level: intermediate

.seealso: `PINNRestorePointWeights()`, `PINNGetPoints()`, `PINNComputeLoss()`
@*/
PetscErrorCode PINNGetPointWeights(PINN pinn, PINNPointSet set, PetscReal *w[])
{
  PINNPoints *pts;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(w, 3);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  pts = &pinn->points[set];
  if (!pts->w) {
    PetscCall(PetscMalloc1(pts->n, &pts->w));
    for (PetscInt p = 0; p < pts->n; p++) pts->w[p] = 1;
  }
  *w = pts->w;
  PetscFunctionReturn(0);
}

/*@C
  PINNRestorePointWeights - Returns the weights of PINNGetPointWeights(); the next loss uses them.

  Collective (the terms' point groups are rebuilt)

  Level: intermediate

.seealso: `PINNGetPointWeights()`
@*/
PetscErrorCode PINNRestorePointWeights(PINN pinn, PINNPointSet set, PetscReal *w[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(w, 3);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  PetscCheck(*w == pinn->points[set].w, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Restore the array PINNGetPointWeights() gave for this set");
  *w = NULL;
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNSetCheckpoint(PINN pinn, const char file[], PetscInt every)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(every >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The checkpoint interval must be nonnegative, got %" PetscInt_FMT, every);
  PetscCall(PetscStrncpy(pinn->checkpoint, file ? file : "", sizeof(pinn->checkpoint)));
  pinn->checkpoint_every = every;
  PetscFunctionReturn(0);
}

/* u = g + phi N with phi the geometry's distance function, for every component */
static PetscErrorCode HardDirichletTransform(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[],
                                             PetscReal phi[])
{
  PINN           pinn = (PINN)ctx;
  const PetscInt jt   = 1 + d + d * d + (order >= 3 ? d * d * d : 0);

  PetscFunctionBegin;
  if (pinn->hard_g)
    PetscCall((*pinn->hard_g)(pinn->hard_ctx, n, d, m, x, order, g, phi));
  else
    PetscCall(PetscArrayzero(g, n * m * jt));
  PetscCall(PINNGeometryDistance(pinn->geom, n, x, order, phi));
  /* the distance is one record per point; spread it over the components, last point first */
  for (PetscInt p = n - 1; p >= 0; p--)
    for (PetscInt o = m - 1; o >= 0; o--)
      if (p * m + o != p) PetscCall(PetscArraycpy(&phi[(p * m + o) * jt], &phi[p * jt], jt));
  PetscFunctionReturn(0);
}

/*@C
  PINNSetHardDirichlet - Imposes u = g on the whole boundary exactly, through the output
  transform u = g + phi N, phi the geometry's distance function (PINNGeometryDistance()).

  Input Parameters:
+ pinn - the PINN
. g    - fills g[] with the jets of the lifting g (layout of NNOutputTransformFn; its phi argument
         is scratch), or NULL for g = 0
- ctx  - context of g

  Level: intermediate
@*/
PetscErrorCode PINNSetHardDirichlet(PINN pinn, NNOutputTransformFn g, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set hard conditions before PINNSetUp()");
  pinn->hard     = PETSC_TRUE;
  pinn->hard_g   = g;
  pinn->hard_ctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  PINNSetFromOptions - Options (prefix -pinn_): -pinn_type, -pinn_interior_points,
  -pinn_boundary_points, -pinn_initial_points, -pinn_test_points, -pinn_sample_type
  <uniform,sobol,halton> (the sampler's type; for a shell sampler, its geometry draws), -pinn_seed,
  -pinn_sampler_type <uniform,sobol,halton,shell>, -pinn_batch_size, -pinn_resample_every, -pinn_adam_steps,
  -pinn_lbfgs_steps, -pinn_adam_lr, -pinn_monitor, -pinn_monitor_every, -pinn_monitor_history,
  -pinn_checkpoint, -pinn_checkpoint_every, -pinn_restart, -pinn_<term>_weight; the network's
  under -pinn_nn_ and each optimizer's under -pinn_adam_tao_ and -pinn_lbfgs_tao_.

  Level: beginner
@*/
PetscErrorCode PINNSetFromOptions(PINN pinn)
{
  char      type[256];
  PetscBool flg;
  MPI_Comm  comm;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscObjectOptionsBegin((PetscObject)pinn);
  PetscCall(PetscOptionsFList("-pinn_type", "PINN type", "PINNSetType", PINNList,
                              ((PetscObject)pinn)->type_name ? ((PetscObject)pinn)->type_name : PINNEULERIAN, type, sizeof(type), &flg));
  if (flg || !((PetscObject)pinn)->type_name) PetscCall(PINNSetType(pinn, flg ? type : PINNEULERIAN));
  for (PetscInt s = 0; s < PINN_NUM_POINT_SETS; s++) {
    static const char *const help[] = {"Interior collocation points", "Boundary points", "Initial-slice points"};
    char                     opt[64];
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-pinn_%s_points", PINNPointSets[s]));
    PetscCall(NNOptionsInt(opt, help[s], "PINNSetNumPoints", pinn->points[s].N, &pinn->points[s].N, NULL));
  }
  PetscCall(PINNSetNumPoints(pinn, pinn->points[PINN_POINTS_INTERIOR].N, pinn->points[PINN_POINTS_BOUNDARY].N, pinn->points[PINN_POINTS_INITIAL].N));
  PetscCall(NNOptionsInt("-pinn_test_points", "Points for the error", "PINNComputeError", pinn->Ntest, &pinn->Ntest, NULL));
  PetscCheck(pinn->Ntest > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_test_points must be positive, got %" PetscInt_FMT, pinn->Ntest);
  {
    PINNSampleType q;
    PetscInt       seed;
    PetscBool      set;
    PetscCall(PINNSamplerGetSampleType(pinn->sampler, &q));
    PetscCall(PetscOptionsEnum("-pinn_sample_type", "How points are drawn (the sampler's type, or a shell sampler's geometry draws)",
                               "PINNSetSampleType", PINNSampleTypes, (PetscEnum)q, (PetscEnum *)&q, &set));
    if (set) PetscCall(PINNSamplerSetSampleType(pinn->sampler, q));
    PetscCall(PINNSamplerGetSeed(pinn->sampler, &seed));
    PetscCall(NNOptionsInt("-pinn_seed", "Seed of the point draws", "PINNSetFromOptions", seed, &seed, NULL));
    PetscCheck(seed >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_seed must be nonnegative, got %" PetscInt_FMT, seed);
    PetscCall(PINNSamplerSetSeed(pinn->sampler, seed));
  }
  PetscCall(
      NNOptionsInt("-pinn_batch_size", "Interior points per Adam step (0: all)", "PINNSetFromOptions", pinn->batch_size, &pinn->batch_size, NULL));
  PetscCheck(pinn->batch_size >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_batch_size must be nonnegative, got %" PetscInt_FMT, pinn->batch_size);
  PetscCall(NNOptionsInt("-pinn_resample_every", "Draw new interior points every this many Adam steps (0: never)", "PINNSetFromOptions",
                         pinn->resample_every, &pinn->resample_every, NULL));
  PetscCheck(pinn->resample_every >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_resample_every must be nonnegative, got %" PetscInt_FMT,
             pinn->resample_every);
  PetscCall(NNOptionsInt("-pinn_adam_steps", "Adam iterations", "PINNTrain", pinn->adam_steps, &pinn->adam_steps, NULL));
  PetscCall(NNOptionsInt("-pinn_lbfgs_steps", "L-BFGS iterations after Adam", "PINNTrain", pinn->lbfgs_steps, &pinn->lbfgs_steps, NULL));
  PetscCheck(pinn->adam_steps >= 0 && pinn->lbfgs_steps >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Step counts must be nonnegative, got -pinn_adam_steps %" PetscInt_FMT " -pinn_lbfgs_steps %" PetscInt_FMT, pinn->adam_steps,
             pinn->lbfgs_steps);
  PetscCall(PetscOptionsReal("-pinn_adam_lr", "Adam learning rate", "TaoAdamSetLearningRate", pinn->adam_lr, &pinn->adam_lr, NULL));
  PetscCall(PINNCheckLearningRate_Private(pinn, "-pinn_adam_lr"));
  PetscCall(PetscOptionsBool("-pinn_monitor", "Print training progress", "PINNTrain", pinn->monitor, &pinn->monitor, NULL));
  PetscCall(NNOptionsInt("-pinn_monitor_every", "Progress interval (steps)", "PINNTrain", pinn->monitor_every, &pinn->monitor_every, NULL));
  PetscCheck(pinn->monitor_every > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_monitor_every must be positive, got %" PetscInt_FMT,
             pinn->monitor_every);
  PetscCall(PetscOptionsString("-pinn_monitor_history", "CSV file of the loss history", "PINNTrain", pinn->history, pinn->history,
                               sizeof(pinn->history), NULL));
  PetscCall(
      PetscOptionsString("-pinn_checkpoint", "Checkpoint file", "PINNTrain", pinn->checkpoint, pinn->checkpoint, sizeof(pinn->checkpoint), NULL));
  PetscCall(NNOptionsInt("-pinn_checkpoint_every", "Checkpoint interval (steps; 0: at the end only)", "PINNTrain", pinn->checkpoint_every,
                         &pinn->checkpoint_every, NULL));
  PetscCheck(pinn->checkpoint_every >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_checkpoint_every must be nonnegative, got %" PetscInt_FMT,
             pinn->checkpoint_every);
  PetscCall(PetscOptionsReal("-pinn_target_error", "Stop once the relative L2 error is at most this (0: never)", "PINNSetTargetError",
                             pinn->target_error, &pinn->target_error, NULL));
  PetscCall(PINNSetTargetError(pinn, pinn->target_error));
  PetscCall(
      PetscOptionsString("-pinn_restart", "Continue from this checkpoint", "PINNTrain", pinn->restart, pinn->restart, sizeof(pinn->restart), NULL));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    char opt[96];
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-pinn_%s_weight", pinn->terms[t].name));
    PetscCall(PetscOptionsReal(opt, "Weight of the loss term", "PINNSetTermWeight", pinn->terms[t].weight, &pinn->terms[t].weight, NULL));
    PetscCall(PINNSetTermWeight(pinn, t, pinn->terms[t].weight));
  }
  if (pinn->ops->setfromoptions) PetscCall((*pinn->ops->setfromoptions)(pinn, PetscOptionsObject));
  PetscOptionsEnd();
  /* -pinn_sampler_type and the type's options */
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)pinn->sampler, ((PetscObject)pinn)->prefix));
  PetscCall(PetscObjectAppendOptionsPrefix((PetscObject)pinn->sampler, "pinn_"));
  PetscCall(PINNSamplerSetFromOptions(pinn->sampler));
  PetscFunctionReturn(0);
}

/* Interior points for draw number pinn->draw, from the sampler */
PetscErrorCode PINNDrawInterior_Private(PINN pinn)
{
  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(PINN_Draw, pinn, 0, 0, 0));
  PetscCall(PINNSamplerDraw(pinn->sampler, pinn, PINN_POINTS_INTERIOR, pinn->draw));
  PetscCall(PetscLogEventEnd(PINN_Draw, pinn, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@
  PINNSetUp - Creates the network (unless given), draws the point sets, groups the terms.

  Collective

  Level: developer
@*/
PetscErrorCode PINNSetUp(PINN pinn)
{
  MPI_Comm comm;
  PetscInt nin, nout, P;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (pinn->setupcalled) PetscFunctionReturn(0);
  comm = PetscObjectComm((PetscObject)pinn);
  if (!((PetscObject)pinn)->type_name) PetscCall(PINNSetType(pinn, PINNEULERIAN));
  PetscCheck(pinn->geom, comm, PETSC_ERR_ARG_WRONGSTATE, "The PINN has no geometry: call PINNSetGeometry()");
  PetscCheck(pinn->nterms > 0, comm, PETSC_ERR_ARG_WRONGSTATE,
             "The PINN has no loss terms: add a PDE and conditions (PINNAddPoisson(), PINNAddDirichlet(), PINNAddTerm(), ...)");
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    const PINNPointSet s = pinn->terms[t].set;
    PetscCheck(s != PINN_POINTS_INITIAL || pinn->spacetime, comm, PETSC_ERR_ARG_WRONG,
               "Term \"%s\" is an initial condition, but the geometry is not space-time", pinn->terms[t].name);
    PetscCheck(pinn->points[s].N > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Term \"%s\" lives on the %s points, but there are none (-pinn_%s_points 0)",
               pinn->terms[t].name, PINNPointSets[s], PINNPointSets[s]);
  }
  if (pinn->batch_size)
    PetscCheck(pinn->batch_size <= pinn->points[PINN_POINTS_INTERIOR].N, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "-pinn_batch_size %" PetscInt_FMT " exceeds the %" PetscInt_FMT " interior points", pinn->batch_size,
               pinn->points[PINN_POINTS_INTERIOR].N);

  if (!pinn->nn) {
    PetscCall(NNCreate(comm, &pinn->nn));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)pinn->nn, ((PetscObject)pinn)->prefix));
    PetscCall(PetscObjectAppendOptionsPrefix((PetscObject)pinn->nn, "pinn_"));
    PetscCall(NNSetSizes(pinn->nn, pinn->dim, pinn->nc));
    PetscCall(NNSetFromOptions(pinn->nn));
  }
  PetscCall(NNGetSizes(pinn->nn, &nin, &nout));
  PetscCheck(nin == pinn->dim && nout == pinn->nc, comm, PETSC_ERR_ARG_SIZ,
             "The network has %" PetscInt_FMT " inputs and %" PetscInt_FMT " outputs; the problem needs %" PetscInt_FMT " and %" PetscInt_FMT, nin,
             nout, pinn->dim, pinn->nc);
  if (pinn->hard) PetscCall(NNSetOutputTransform(pinn->nn, HardDirichletTransform, pinn));
  PetscCall(NNSetUp(pinn->nn));
  PetscCall(NNGetNumParameters(pinn->nn, &P));
  PetscCall(PetscCalloc1(P, &pinn->glocal));
  PetscCall(PetscCalloc1(pinn->nterms, &pinn->losses));

  PetscCall(PINNTermsBuildGroups_Private(pinn));
  PetscCall(NNAddJetRequest(pinn->nn, 0, NULL, 0, NULL, 0, NULL, &pinn->jets_value));
  PetscCall(PINNDrawInterior_Private(pinn));
  {
    PINNPoints *bd = &pinn->points[PINN_POINTS_BOUNDARY], *in = &pinn->points[PINN_POINTS_INITIAL];
    if (bd->N) PetscCall(PINNSamplerDraw(pinn->sampler, pinn, PINN_POINTS_BOUNDARY, 0));
    if (in->N && pinn->spacetime) PetscCall(PINNSamplerDraw(pinn->sampler, pinn, PINN_POINTS_INITIAL, 0));
  }
  if (pinn->exact) {
    PetscInt seed;
    /* test points: uniform, from their own stream, fixed for the whole run, whatever the sampler */
    PetscCall(PINNSamplerGetSeed(pinn->sampler, &seed));
    PetscCall(PINNGeometrySampleInterior(pinn->geom, PINN_SAMPLE_UNIFORM, (uint64_t)seed, 3, pinn->Ntest, &pinn->ntest, &pinn->xtest));
    PetscCall(PetscMalloc2(pinn->ntest * pinn->nc, &pinn->utest, pinn->ntest * pinn->nc, &pinn->uexact));
    PetscCall((*pinn->exact)(pinn->exact_ctx, pinn->ntest, pinn->dim, pinn->xtest, pinn->nc, pinn->uexact));
  }
  if (pinn->ops->setup) PetscCall((*pinn->ops->setup)(pinn));
  pinn->setupcalled = PETSC_TRUE;
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscCall(PINNViewFromOptions(pinn, NULL, "-pinn_view"));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNGetTermName(PINN pinn, PetscInt term, const char *name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(term >= 0 && term < pinn->nterms, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "No term %" PetscInt_FMT, term);
  *name = pinn->terms[term].name;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNTermResidual(PINN pinn, PetscInt term, PetscInt n, const PetscReal x[], const PetscReal normal[], const PetscReal u[],
                                PetscReal r[], PetscReal dr[])
{
  PINNTerm *t;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(term >= 0 && term < pinn->nterms, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "No term %" PetscInt_FMT, term);
  t = &pinn->terms[term];
  PetscCall((*t->fn)(t->ctx, n, pinn->dim, x, normal, t->nq, u, t->nr, r, dr));
  PetscFunctionReturn(0);
}

/* Grow a buffer to hold at least n reals */
static PetscErrorCode Reserve(PetscReal **a, PetscInt *cap, PetscInt n)
{
  PetscFunctionBegin;
  if (n > *cap) {
    PetscCall(PetscFree(*a));
    PetscCall(PetscMalloc1(n, a));
    *cap = n;
  }
  PetscFunctionReturn(0);
}

/* Context of the adjoint callback of one group's NNForwardBackward() */
typedef struct {
  PINN     pinn;
  PetscInt g, S;
} PINNGroupAdjointCtx;

/* For the tile of nt points from first on: each of the group's terms gets its quantities, its
   residuals; the squared residuals go on summing into the term's loss (scaled once the group is
   done), the residuals times their derivatives into ybar. */
static PetscErrorCode PINNGroupAdjoint(void *ctx, PetscInt first, PetscInt nt, const PetscReal y[], PetscReal ybar[])
{
  PINNGroupAdjointCtx *actx = (PINNGroupAdjointCtx *)ctx;
  PINN                 pinn = actx->pinn;
  PINNGroup           *grp  = &pinn->groups[actx->g];
  const PetscInt       nc = pinn->nc, dim = pinn->dim;
  const PetscReal     *x = grp->x + first * dim, *normal = grp->set == PINN_POINTS_BOUNDARY ? grp->normal + first * dim : NULL;

  PetscFunctionBegin;
  PetscCall(PetscArrayzero(ybar, actx->S * nt * nc));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PINNTerm       *term = &pinn->terms[t];
    const PetscInt  nq = term->nq, nr = term->nr;
    const PetscReal scale = term->weight / grp->N;
    PetscReal       l     = term->loss;

    if (term->group != actx->g) continue;
    PetscCall(Reserve(&grp->u, &grp->ucap, nt * nq));
    if (nt * nr * (nq + 1) > grp->rcap) {
      PetscCall(PetscFree2(grp->r, grp->dr));
      PetscCall(PetscMalloc2(nt * nr, &grp->r, nt * nr * nq, &grp->dr));
      grp->rcap = nt * nr * (nq + 1);
    }
    for (PetscInt p = 0; p < nt; p++)
      for (PetscInt q = 0; q < nq; q++) grp->u[p * nq + q] = y[(term->stream[q] * nt + p) * nc + term->q[q].comp];
    PetscCall((*term->fn)(term->ctx, nt, dim, x, normal, nq, grp->u, nr, grp->r, grp->dr));
    if (!grp->weighted) { /* every w_p = 1: the sum as it always was, same rounding */
      for (PetscInt p = 0; p < nt; p++) {
        for (PetscInt k = 0; k < nr; k++) {
          const PetscReal rk = grp->r[p * nr + k];
          l += rk * rk;
          for (PetscInt q = 0; q < nq; q++)
            ybar[(term->stream[q] * nt + p) * nc + term->q[q].comp] += 2 * scale * rk * grp->dr[(p * nr + k) * nq + q];
        }
      }
    } else {
      const PetscReal *w = grp->w + first;
      for (PetscInt p = 0; p < nt; p++) {
        PetscReal lp = 0;
        for (PetscInt k = 0; k < nr; k++) {
          const PetscReal rk = grp->r[p * nr + k];
          lp += rk * rk;
          for (PetscInt q = 0; q < nq; q++)
            ybar[(term->stream[q] * nt + p) * nc + term->q[q].comp] += 2 * scale * w[p] * rk * grp->dr[(p * nr + k) * nq + q];
        }
        l += w[p] * lp;
      }
    }
    term->loss = l;
  }
  PetscFunctionReturn(0);
}

/*@
  PINNComputeLoss - The loss (sum of the weighted mean squared residuals of all terms) and its
  gradient with respect to the network parameters, over the current points (the current
  mini-batch during Adam).

  Collective

  Output Parameters:
+ loss     - the loss
- gradient - the gradient (layout of NNGetParameters()), may be NULL

  Notes:
  Each group of terms is one NNForwardBackward(): the residuals are taken tile by tile as the
  network produces them.

  Level: intermediate
@*/
PetscErrorCode PINNComputeLoss(PINN pinn, PetscReal *loss, Vec gradient)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)pinn);
  PetscInt  P;
  PetscReal total = 0;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PetscLogEventBegin(PINN_Loss, pinn, 0, 0, 0));
  PetscCall(NNGetNumParameters(pinn->nn, &P));
  PetscCall(PetscArrayzero(pinn->glocal, P));
  for (PetscInt t = 0; t < pinn->nterms; t++) pinn->terms[t].loss = 0;
  for (PetscInt g = 0; g < pinn->ngroups; g++) {
    PINNGroup          *grp  = &pinn->groups[g];
    PINNGroupAdjointCtx actx = {pinn, g, 0};
    PetscBool           any  = PETSC_FALSE;

    for (PetscInt t = 0; t < pinn->nterms; t++) any = (PetscBool)(any || pinn->terms[t].group == g);
    if (!any) continue;
    PetscCall(NNSetJetRequest(pinn->nn, grp->jets));
    PetscCall(NNGetNumJets(pinn->nn, &actx.S));
    PetscCall(NNForwardBackward(pinn->nn, grp->n, grp->x, PINNGroupAdjoint, &actx, pinn->glocal, NULL));
    for (PetscInt t = 0; t < pinn->nterms; t++)
      if (pinn->terms[t].group == g) pinn->terms[t].loss *= pinn->terms[t].weight / grp->N;
  }
  for (PetscInt t = 0; t < pinn->nterms; t++) pinn->losses[t] = pinn->terms[t].loss;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, pinn->losses, pinn->nterms, MPIU_REAL, MPIU_SUM, comm));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    pinn->terms[t].loss = pinn->losses[t];
    PetscCheck(!PetscIsInfOrNanReal(pinn->losses[t]), comm, PETSC_ERR_FP,
               "Loss term \"%s\" is %g at iteration %" PetscInt_FMT
               " (a NaN/Inf in the data, the network, or a diverging optimizer: lower -pinn_adam_lr?)",
               pinn->terms[t].name, (double)pinn->losses[t], pinn->iteration);
    total += pinn->losses[t];
  }
  *loss = total;
  if (gradient) PetscCall(NNReduceGradient(pinn->nn, pinn->glocal, gradient));
  PetscCall(PetscLogEventEnd(PINN_Loss, pinn, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNGetTermLosses(PINN pinn, PetscInt *n, const PetscReal *losses[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (n) *n = pinn->nterms;
  if (losses) *losses = pinn->losses;
  PetscFunctionReturn(0);
}

/*@
  PINNEvaluate - The network's value u(x) at n points of this rank (not collective).

  Output Parameter:
. u - u[p*nc + c]

  Level: beginner
@*/
PetscErrorCode PINNEvaluate(PINN pinn, PetscInt n, const PetscReal x[], PetscReal u[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(pinn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCall(NNSetJetRequest(pinn->nn, pinn->jets_value));
  PetscCall(NNForward(pinn->nn, n, x, u));
  PetscFunctionReturn(0);
}

/*@
  PINNComputeError - Relative L2 error sqrt(sum |u - u*|^2 / sum |u*|^2) over the test points
  against the exact solution (PINNSetExactSolution()).

  Collective

  Level: beginner
@*/
PetscErrorCode PINNComputeError(PINN pinn, PetscReal *err)
{
  PetscReal s[2] = {0, 0};

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCheck(pinn->exact, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE,
             "No exact or reference solution: call PINNSetExactSolution()");
  PetscCall(PINNEvaluate(pinn, pinn->ntest, pinn->xtest, pinn->utest));
  for (PetscInt i = 0; i < pinn->ntest * pinn->nc; i++) s[0] += PetscSqr(pinn->utest[i] - pinn->uexact[i]), s[1] += PetscSqr(pinn->uexact[i]);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, s, 2, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)pinn)));
  PetscCheck(s[1] > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONG,
             "The exact solution vanishes on all test points; a relative error is undefined");
  *err             = PetscSqrtReal(s[0] / s[1]);
  pinn->last_error = *err;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNView(PINN pinn, PetscViewer viewer)
{
  PetscBool iascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)pinn), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii) PetscFunctionReturn(0);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)pinn, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "inputs %" PetscInt_FMT "%s, outputs %" PetscInt_FMT "\n", pinn->dim,
                                   pinn->spacetime ? " (time last)" : "", pinn->nc));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "points: %" PetscInt_FMT " interior, %" PetscInt_FMT " boundary, %" PetscInt_FMT " initial (%s), %" PetscInt_FMT " test\n",
      pinn->points[PINN_POINTS_INTERIOR].N, pinn->points[PINN_POINTS_BOUNDARY].N, pinn->spacetime ? pinn->points[PINN_POINTS_INITIAL].N : 0,
      ((PetscObject)pinn->sampler)->type_name, pinn->exact ? pinn->Ntest : 0));
  if (pinn->batch_size) PetscCall(PetscViewerASCIIPrintf(viewer, "mini-batches of %" PetscInt_FMT " interior points\n", pinn->batch_size));
  if (pinn->resample_every)
    PetscCall(PetscViewerASCIIPrintf(viewer, "interior points redrawn every %" PetscInt_FMT " Adam steps\n", pinn->resample_every));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    const PINNTerm *term = &pinn->terms[t];
    PetscCall(PetscViewerASCIIPrintf(viewer, "term %-10s on %s points%s, weight %g, %" PetscInt_FMT " quantities, %" PetscInt_FMT " residual(s)\n",
                                     term->name, PINNPointSets[term->set], term->ntags ? " (some boundary parts)" : "", (double)term->weight,
                                     term->nq, term->nr));
  }
  if (pinn->hard) PetscCall(PetscViewerASCIIPrintf(viewer, "hard Dirichlet condition through u = g + phi N\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "training: %" PetscInt_FMT " Adam steps (lr %g), then %" PetscInt_FMT " L-BFGS steps\n", pinn->adam_steps,
                                   (double)pinn->adam_lr, pinn->lbfgs_steps));
  PetscCall(PINNSamplerView(pinn->sampler, viewer)); /* type, seed, draws, points per region */
  if (pinn->nn) PetscCall(NNView(pinn->nn, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNViewFromOptions(PINN pinn, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscCall(PetscObjectViewFromOptions((PetscObject)pinn, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNDestroy(PINN *pinn)
{
  PINN p;

  PetscFunctionBegin;
  if (!pinn || !*pinn) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(*pinn, PINN_CLASSID, 1);
  if (--((PetscObject)(*pinn))->refct > 0) {
    *pinn = NULL;
    PetscFunctionReturn(0);
  }
  p = *pinn;
  if (p->ops->destroy) PetscCall((*p->ops->destroy)(p));
  PetscCall(PINNTermsDestroy_Private(p));
  PetscCall(PINNSamplerDestroy(&p->sampler));
  for (PetscInt s = 0; s < PINN_NUM_POINT_SETS; s++) {
    PetscCall(PetscFree(p->points[s].x));
    PetscCall(PetscFree(p->points[s].normal));
    PetscCall(PetscFree(p->points[s].tag));
    PetscCall(PetscFree(p->points[s].w));
  }
  PetscCall(PetscFree(p->xtest));
  PetscCall(PetscFree2(p->utest, p->uexact));
  PetscCall(PetscFree(p->glocal));
  PetscCall(PetscFree(p->losses));
  PetscCall(NNTrainerDestroy(&p->tr));
  PetscCall(NNDestroy(&p->nn));
  PetscCall(PINNGeometryDestroy(&p->geom));
  if (p->history_fp) PetscCall(PetscFClose(PetscObjectComm((PetscObject)p), p->history_fp));
  PetscCall(PetscHeaderDestroy(pinn));
  PetscFunctionReturn(0);
}

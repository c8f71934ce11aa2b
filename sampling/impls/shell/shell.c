/* Shell samplers: user callbacks per region; regions without one come from the geometry. */
#include <nnpde/private/samplerimpl.h>

typedef struct {
  PINNSamplerShellFn fn[PINN_NUM_POINT_SETS];
  void              *ctx[PINN_NUM_POINT_SETS];
  PetscErrorCode (*ctxdestroy[PINN_NUM_POINT_SETS])(void *);
} PINNSampler_Shell;

static PetscErrorCode PINNSamplerDraw_Shell(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNSampler_Shell *sh  = (PINNSampler_Shell *)s->data;
  PINNPoints        *pts = &pinn->points[region];
  PetscInt           N;

  PetscFunctionBegin;
  if (!sh->fn[region]) {
    PetscCall(PINNSamplerDraw_Geometry(s, pinn, region, draw));
    PetscFunctionReturn(0);
  }
  PetscCall((*sh->fn[region])(s, pinn, region, draw, pts->N, &pts->n, &pts->x, &pts->w, sh->ctx[region]));
  /* the callback's slices must make up the global count: the loss is normalized by it */
  PetscCall(MPIU_Allreduce(&pts->n, &N, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)s)));
  PetscCheck(N == pts->N, PetscObjectComm((PetscObject)s), PETSC_ERR_PLIB,
             "The shell sampler's %s callback drew %" PetscInt_FMT " points over all ranks; %" PetscInt_FMT " were asked for", PINNPointSets[region],
             N, pts->N);
  PetscCheck(pts->n == 0 || pts->x, PETSC_COMM_SELF, PETSC_ERR_PLIB, "The shell sampler's %s callback returned no coordinates",
             PINNPointSets[region]);
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerView_Shell(PINNSampler s, PetscViewer viewer)
{
  PINNSampler_Shell *sh = (PINNSampler_Shell *)s->data;

  PetscFunctionBegin;
  for (PetscInt r = 0; r < PINN_NUM_POINT_SETS; r++)
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s points: %s\n", PINNPointSets[r], sh->fn[r] ? "user callback" : PINNSampleTypes[s->qtype]));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerDestroy_Shell(PINNSampler s)
{
  PINNSampler_Shell *sh = (PINNSampler_Shell *)s->data;

  PetscFunctionBegin;
  for (PetscInt r = 0; r < PINN_NUM_POINT_SETS; r++)
    if (sh->ctxdestroy[r]) PetscCall((*sh->ctxdestroy[r])(sh->ctx[r]));
  PetscCall(PetscFree(s->data));
  PetscFunctionReturn(0);
}

/*@C
  PINNSamplerShellSetDraw - Sets the callback that draws one region's points of a shell sampler.

  Logically Collective

  Input Parameters:
+ s          - a sampler of type shell
. region     - PINN_POINTS_INTERIOR or PINN_POINTS_INITIAL (boundary points need normals and tags
               and come from the geometry)
. fn         - the callback: this rank's slice of N global points, *x (n x dim) and optionally *w
               (n weights), PetscMalloc'ed and taken over by the PINN
. ctx        - its context
- ctxdestroy - frees the context when the sampler is destroyed, or NULL

  Level: intermediate

.seealso: `PINNSAMPLERSHELL`, `PINNSetSamplerFunction()`
@*/
PetscErrorCode PINNSamplerShellSetDraw(PINNSampler s, PINNPointSet region, PINNSamplerShellFn fn, void *ctx, PetscErrorCode (*ctxdestroy)(void *))
{
  PINNSampler_Shell *sh;
  PetscBool          shell;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)s, PINNSAMPLERSHELL, &shell));
  PetscCheck(shell, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_WRONG, "PINNSamplerShellSetDraw() needs a sampler of type shell, not %s",
             ((PetscObject)s)->type_name ? ((PetscObject)s)->type_name : "(none)");
  PetscCheck(region == PINN_POINTS_INTERIOR || region == PINN_POINTS_INITIAL, PetscObjectComm((PetscObject)s), PETSC_ERR_SUP,
             "Shell callbacks draw interior or initial points; boundary points need normals and tags and come from the geometry");
  sh = (PINNSampler_Shell *)s->data;
  if (sh->ctxdestroy[region]) PetscCall((*sh->ctxdestroy[region])(sh->ctx[region]));
  sh->fn[region]         = fn;
  sh->ctx[region]        = ctx;
  sh->ctxdestroy[region] = ctxdestroy;
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERSHELL - "shell": points from user callbacks (PINNSamplerShellSetDraw()), one per
  region; regions without a callback are drawn from the geometry like the uniform, sobol or halton
  type (PINNSamplerSetSampleType(), -pinn_sample_type).

  Level: intermediate

.seealso: `PINNSamplerShellSetDraw()`, `PINNSetSamplerFunction()`
M*/

/*@C
  PINNSamplerCreate_Shell - The constructor of the shell type (PINNSAMPLERSHELL):
  fills the ops table and the private data (the callbacks per region); called by
  PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERSHELL`, `PINNSamplerSetType()`, `PINNSamplerRegister()`
@*/
PetscErrorCode PINNSamplerCreate_Shell(PINNSampler s)
{
  PINNSampler_Shell *sh;

  PetscFunctionBegin;
  PetscCall(PetscNew(&sh));
  s->data         = sh;
  s->ops->draw    = PINNSamplerDraw_Shell;
  s->ops->view    = PINNSamplerView_Shell;
  s->ops->destroy = PINNSamplerDestroy_Shell;
  PetscFunctionReturn(0);
}

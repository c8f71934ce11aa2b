/* The geometry's rejection sampling (sampling/rejection.c) with the sampler's seed and random numbers:
   the uniform type, and the draw the sobol, halton and shell types share. */
#include <nnpde/private/samplerimpl.h>

/*@C
  PINNSamplerDraw_Geometry - Draws a region's points by the geometry's rejection sampling with the
  sampler's seed and sample type: the draw of the uniform, sobol and halton types, and of a shell
  sampler's regions without a callback.

  Collective

  Input Parameters:
+ s      - the sampler
. pinn   - the PINN (its geometry, and the region's global count)
. region - the point set
- draw   - the draw number: interior draw k uses stream 16 k; boundary points stream 1, initial points stream 2

  Level: developer

.seealso: `PINNGeometrySampleInterior()`, `PINNGeometrySampleBoundary()`, `PINNGeometrySampleInitial()`
@*/
PetscErrorCode PINNSamplerDraw_Geometry(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw)
{
  PINNPoints    *pts  = &pinn->points[region];
  const uint64_t seed = (uint64_t)s->seed;

  PetscFunctionBegin;
  PetscCheck(pinn->geom, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_WRONGSTATE, "The PINN has no geometry to draw points from");
  switch (region) {
  case PINN_POINTS_INTERIOR: /* draw k from stream 16 k: streams 1-3 are the boundary, initial and test points */
    PetscCall(PINNGeometrySampleInterior(pinn->geom, s->qtype, seed, 16 * (uint64_t)draw, pts->N, &pts->n, &pts->x));
    break;
  case PINN_POINTS_BOUNDARY:
    PetscCall(PINNGeometrySampleBoundary(pinn->geom, s->qtype, seed, 1, pts->N, &pts->n, &pts->x, &pts->normal, &pts->tag));
    break;
  case PINN_POINTS_INITIAL:
    PetscCall(PINNGeometrySampleInitial(pinn->geom, s->qtype, seed, 2, pts->N, &pts->n, &pts->x));
    break;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSamplerView_Geometry(PINNSampler s, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "rejection sampling of the geometry with %s numbers\n", PINNSampleTypes[s->qtype]));
  PetscFunctionReturn(0);
}

/*MC
  PINNSAMPLERUNIFORM - "uniform": points uniform in the domain (volume) and on its boundary (surface
  measure), by rejection sampling with counter-based pseudo-random numbers: the same seed gives the
  same points on any number of ranks.

  Level: beginner

.seealso: `PINNSAMPLERSOBOL`, `PINNSAMPLERHALTON`, `PINNSamplerSetSeed()`
M*/

/*@C
  PINNSamplerCreate_Uniform - The constructor of the uniform type (PINNSAMPLERUNIFORM):
  fills the ops table and sets the sample type to uniform; called by
  PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERUNIFORM`, `PINNSamplerSetType()`, `PINNSamplerRegister()`
@*/
PetscErrorCode PINNSamplerCreate_Uniform(PINNSampler s)
{
  PetscFunctionBegin;
  s->qtype     = PINN_SAMPLE_UNIFORM;
  s->ops->draw = PINNSamplerDraw_Geometry;
  s->ops->view = PINNSamplerView_Geometry;
  PetscFunctionReturn(0);
}

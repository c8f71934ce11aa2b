/* Space-time cylinders space x [t0, t1], time the last coordinate: the lateral boundary is the
   space's boundary times [t0, t1]; the initial slice is sampled separately (PINNGeometrySampleInitial()). */
#include <nnpde/private/geometryimpl.h>
#include <petscviewer.h>

typedef struct {
  PINNGeometry space; /* reference held */
  PetscReal    t0, t1;
} PINNGeometry_SpaceTime;

static int ClassifySpaceTime(PINNGeometry g, const PetscReal x[])
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;
  const PetscReal         t = x[g->dim - 1], tol = g->tol;
  const int               cs = st->space->ops->classify(st->space, x);
  int                     ct;

  if (!(t >= st->t0 - tol && t <= st->t1 + tol))
    ct = PINN_GEOMETRY_OUTSIDE;
  else if (t <= st->t0 + tol || t >= st->t1 - tol)
    ct = PINN_GEOMETRY_ON;
  else
    ct = PINN_GEOMETRY_INSIDE;
  if (cs == PINN_GEOMETRY_OUTSIDE || ct == PINN_GEOMETRY_OUTSIDE) return PINN_GEOMETRY_OUTSIDE;
  if (cs == PINN_GEOMETRY_INSIDE && ct == PINN_GEOMETRY_INSIDE) return PINN_GEOMETRY_INSIDE;
  return PINN_GEOMETRY_ON;
}

static void NormalSpaceTime(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;
  const PetscInt          ds = g->dim - 1;
  const PetscReal         t  = x[ds];

  if (st->space->ops->classify(st->space, x) == PINN_GEOMETRY_ON) {
    st->space->ops->normal(st->space, x, nrm);
    nrm[ds] = 0;
  } else {
    for (PetscInt k = 0; k < ds; k++) nrm[k] = 0;
    nrm[ds] = PetscAbsReal(t - st->t0) <= PetscAbsReal(t - st->t1) ? -1.0 : 1.0;
  }
}

/* lateral boundary: a spatial boundary candidate from u[0..ks) and t = t0 + u[ks] (t1 - t0) */
static PetscBool BoundarySpaceTime(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;
  const PetscInt          ds = g->dim - 1;
  const PetscReal         ut = u[st->space->kboundary];
  PetscBool               ok = st->space->ops->boundary(st->space, u, x, nrm, tag);

  x[ds]   = st->t0 + ut * (st->t1 - st->t0);
  nrm[ds] = 0;
  return ok;
}

static PetscErrorCode DistanceSpaceTime(PINNGeometry g, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[])
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;
  const PetscInt          D = g->dim, d = D - 1, J = 1 + D + D * D + (order == 3 ? D * D * D : 0), Js = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  PetscReal              *xs, *ps;

  PetscFunctionBegin;
  PetscCheck(st->space->ops->distance, PetscObjectComm((PetscObject)g), PETSC_ERR_SUP,
             "PINNGeometryDistance() is available for boxes, balls and space-time geometries over them, not over a %s",
             ((PetscObject)st->space)->type_name);
  PetscCall(PetscMalloc2(n * d, &xs, n * Js, &ps));
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt k = 0; k < d; k++) xs[p * d + k] = x[p * D + k];
  PetscCall(st->space->ops->distance(st->space, n, xs, order, ps));
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *s = &ps[p * Js];
    PetscReal       *o = &phi[p * J];
    o[0]               = s[0];
    for (PetscInt i = 0; i < D; i++) {
      o[1 + i] = i < d ? s[1 + i] : 0;
      for (PetscInt j = 0; j < D; j++) {
        o[1 + D + i * D + j] = i < d && j < d ? s[1 + d + i * d + j] : 0;
        if (order == 3)
          for (PetscInt k = 0; k < D; k++)
            o[1 + D + D * D + (i * D + j) * D + k] = i < d && j < d && k < d ? s[1 + d + d * d + (i * d + j) * d + k] : 0;
      }
    }
  }
  PetscCall(PetscFree2(xs, ps));
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewSpaceTime(PINNGeometry g, PetscViewer viewer)
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "space-time: time (last coordinate) in [%g, %g], space\n", (double)st->t0, (double)st->t1));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall((*st->space->ops->view)(st->space, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroySpaceTime(PINNGeometry g)
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;

  PetscFunctionBegin;
  PetscCall(PINNGeometryDestroy(&st->space));
  PetscCall(PetscFree(g->data));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySpaceTimeGetSpace_Private - Gets the space and the time interval of a space-time geometry.

  Not Collective

  Input Parameter:
. g - a space-time geometry (anything else is an error)

  Output Parameters:
+ space - the spatial geometry (borrowed), or NULL
. t0    - the initial time, or NULL
- t1    - the final time, or NULL

  Level: developer

.seealso: `PINNGeometryCreateSpaceTime()`, `PINNGeometrySampleInitial()`
@*/
PetscErrorCode PINNGeometrySpaceTimeGetSpace_Private(PINNGeometry g, PINNGeometry *space, PetscReal *t0, PetscReal *t1)
{
  PINNGeometry_SpaceTime *st = (PINNGeometry_SpaceTime *)g->data;
  PetscBool               isst;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)g, PINNGEOMETRYSPACETIME, &isst));
  PetscCheck(isst, PetscObjectComm((PetscObject)g), PETSC_ERR_ARG_WRONG, "Not a space-time geometry (PINNGeometryCreateSpaceTime()): a %s",
             ((PetscObject)g)->type_name);
  if (space) *space = st->space;
  if (t0) *t0 = st->t0;
  if (t1) *t1 = st->t1;
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryCreateSpaceTime - Creates the space-time cylinder space x [t0, t1], time being the last
  coordinate.

  Collective

  Input Parameters:
+ space - the spatial geometry (not itself a space-time geometry)
. t0    - the initial time
- t1    - the final time, t1 > t0

  Output Parameter:
. geom - the geometry; it holds a reference to space

  Notes:
  The boundary parts are those of space (the lateral boundary, normals with time component 0); the
  initial slice space x {t0} is sampled by PINNGeometrySampleInitial(). PINNGeometryDistance() gives
  the spatial function of space (no time dependence).

  Level: beginner

.seealso: PINNGeometrySampleInitial(), PINNGeometryCreateBox()
@*/
PetscErrorCode PINNGeometryCreateSpaceTime(PINNGeometry space, PetscReal t0, PetscReal t1, PINNGeometry *geom)
{
  PINNGeometry            g;
  PINNGeometry_SpaceTime *st;
  MPI_Comm                comm;
  PetscInt                ds;
  PetscBool               isst;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(space, PINNGEOMETRY_CLASSID, 1);
  PetscValidPointer(geom, 4);
  comm = PetscObjectComm((PetscObject)space);
  ds   = space->dim;
  PetscCheck(!PetscIsInfOrNanReal(t0) && !PetscIsInfOrNanReal(t1) && t0 < t1, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Space-time geometry needs finite t0 < t1, got [%g, %g]", (double)t0, (double)t1);
  PetscCall(PetscObjectTypeCompare((PetscObject)space, PINNGEOMETRYSPACETIME, &isst));
  PetscCheck(!isst, comm, PETSC_ERR_ARG_WRONG, "The space of a space-time geometry cannot itself be a space-time geometry");
  PetscCall(PINNGeometryCreate_Private(comm, PINNGEOMETRYSPACETIME, ds + 1, &g));
  PetscCall(PetscNew(&st));
  g->data = st;
  PetscCall(PetscObjectReference((PetscObject)space));
  st->space = space;
  for (PetscInt k = 0; k < ds; k++) {
    g->lo[k] = space->lo[k];
    g->hi[k] = space->hi[k];
  }
  g->lo[ds]         = t0;
  g->hi[ds]         = t1;
  st->t0            = t0;
  st->t1            = t1;
  g->tol            = PINN_GEOMETRY_RTOL * (t1 - t0);
  g->kboundary      = space->kboundary + 1;
  g->bmeasure       = space->bmeasure * (t1 - t0);
  g->interior_exact = space->interior_exact;
  g->boundary_exact = space->boundary_exact;
  PetscCall(PINNGeometrySetPartNames_Private(g, space->nparts));
  for (PetscInt i = 0; i < space->nparts; i++) PetscCall(PetscStrallocpy(space->names[i], &g->names[i]));
  g->ops->classify = ClassifySpaceTime;
  g->ops->normal   = NormalSpaceTime;
  g->ops->boundary = BoundarySpaceTime;
  g->ops->distance = space->ops->distance ? DistanceSpaceTime : NULL;
  g->ops->view     = ViewSpaceTime;
  g->ops->destroy  = DestroySpaceTime;
  *geom            = g;
  PetscFunctionReturn(0);
}

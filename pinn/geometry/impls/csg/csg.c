/* Constructive solid geometry: the difference a minus b and the union of two geometries, with the
   boundary drawn from both operands' boundaries and rejected off the result. */
#include <nnpde/private/geometryimpl.h>
#include <petscviewer.h>

typedef struct {
  PINNGeometry a, b; /* the operands (references held) */
  PetscBool    diff; /* a minus b, else a union b */
  PetscReal   *work; /* dim, scratch for the other operand's normal */
} PINNGeometry_CSG;

static int ClassifyDifference(PINNGeometry g, const PetscReal x[])
{
  PINNGeometry_CSG *csg = (PINNGeometry_CSG *)g->data;
  const int ca = csg->a->ops->classify(csg->a, x), cb = ca == PINN_GEOMETRY_OUTSIDE ? PINN_GEOMETRY_OUTSIDE : csg->b->ops->classify(csg->b, x);

  if (ca == PINN_GEOMETRY_OUTSIDE || cb == PINN_GEOMETRY_INSIDE) return PINN_GEOMETRY_OUTSIDE;
  if (ca == PINN_GEOMETRY_INSIDE && cb == PINN_GEOMETRY_OUTSIDE) return PINN_GEOMETRY_INSIDE;
  return PINN_GEOMETRY_ON;
}

static int ClassifyUnion(PINNGeometry g, const PetscReal x[])
{
  PINNGeometry_CSG *csg = (PINNGeometry_CSG *)g->data;
  const int         ca = csg->a->ops->classify(csg->a, x), cb = ca == PINN_GEOMETRY_INSIDE ? PINN_GEOMETRY_INSIDE : csg->b->ops->classify(csg->b, x);

  if (ca == PINN_GEOMETRY_INSIDE || cb == PINN_GEOMETRY_INSIDE) return PINN_GEOMETRY_INSIDE;
  if (ca == PINN_GEOMETRY_OUTSIDE && cb == PINN_GEOMETRY_OUTSIDE) return PINN_GEOMETRY_OUTSIDE;
  return PINN_GEOMETRY_ON;
}

static void NormalCSG(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PINNGeometry_CSG *csg  = (PINNGeometry_CSG *)g->data;
  const PetscBool   diff = csg->diff;
  const int         ca = csg->a->ops->classify(csg->a, x), cb = csg->b->ops->classify(csg->b, x);

  /* on the part of the boundary that comes from a, else from b (flipped for a difference) */
  if (ca == PINN_GEOMETRY_ON && (cb == PINN_GEOMETRY_OUTSIDE || cb == PINN_GEOMETRY_ON))
    csg->a->ops->normal(csg->a, x, nrm);
  else {
    csg->b->ops->normal(csg->b, x, nrm);
    if (diff)
      for (PetscInt k = 0; k < g->dim; k++) nrm[k] = -nrm[k];
  }
}

/* Candidates come from a or b in proportion to their candidate measures (u0 picks the operand and is
   rescaled for it). For a minus b: a's boundary outside b, and b's boundary inside a with flipped
   normals; for a union b: a's boundary outside b and b's boundary outside a. Where the boundaries of a
   and b coincide, the part is kept once if it bounds the result (normals agree for a union, oppose
   for a difference) and dropped otherwise. */
static PetscBool BoundaryCSG(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  PINNGeometry_CSG *csg   = (PINNGeometry_CSG *)g->data;
  const PetscBool   diff  = csg->diff;
  const PetscReal   p     = csg->a->bmeasure / g->bmeasure;
  const PetscBool   froma = (PetscBool)(u[0] < p);
  PINNGeometry      child = froma ? csg->a : csg->b, other = froma ? csg->b : csg->a;
  PetscBool         ok;
  int               c;

  u[0] = PINNGeometryClamp01_Private(froma ? u[0] / p : (u[0] - p) / (1 - p));
  if (!child->ops->boundary(child, u, x, nrm, tag)) return PETSC_FALSE;
  c = other->ops->classify(other, x);
  if (froma) {
    ok = (PetscBool)(c == PINN_GEOMETRY_OUTSIDE);
    if (c == PINN_GEOMETRY_ON) {
      PetscReal dot;
      other->ops->normal(other, x, csg->work);
      dot = PINNGeometryDot_Private(g->dim, nrm, csg->work);
      ok  = (PetscBool)(diff ? dot < -0.5 : dot > 0.5);
    }
  } else {
    ok = (PetscBool)(c == (diff ? PINN_GEOMETRY_INSIDE : PINN_GEOMETRY_OUTSIDE));
    if (diff)
      for (PetscInt k = 0; k < g->dim; k++) nrm[k] = -nrm[k];
    *tag += csg->a->nparts;
  }
  return ok;
}

static PetscErrorCode ViewCSG(PINNGeometry g, PetscViewer viewer)
{
  PINNGeometry_CSG *csg = (PINNGeometry_CSG *)g->data;

  PetscFunctionBegin;
  if (csg->diff)
    PetscCall(PetscViewerASCIIPrintf(viewer, "difference: first minus second\n"));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer, "union of\n"));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall((*csg->a->ops->view)(csg->a, viewer));
  PetscCall((*csg->b->ops->view)(csg->b, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyCSG(PINNGeometry g)
{
  PINNGeometry_CSG *csg = (PINNGeometry_CSG *)g->data;

  PetscFunctionBegin;
  PetscCall(PINNGeometryDestroy(&csg->a));
  PetscCall(PINNGeometryDestroy(&csg->b));
  PetscCall(PetscFree(csg->work));
  PetscCall(PetscFree(g->data));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNGeometryCreateCSG_Private(PINNGeometry a, PINNGeometry b, PetscBool diff, PINNGeometry *geom)
{
  const char       *type = diff ? PINNGEOMETRYDIFFERENCE : PINNGEOMETRYUNION;
  PINNGeometry      g;
  PINNGeometry_CSG *csg;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(a, PINNGEOMETRY_CLASSID, 1);
  PetscValidHeaderSpecific(b, PINNGEOMETRY_CLASSID, 2);
  PetscValidPointer(geom, 3);
  PetscCheckSameComm(a, 1, b, 2);
  PetscCheck(a->dim == b->dim, PetscObjectComm((PetscObject)a), PETSC_ERR_ARG_INCOMP,
             "Cannot form the %s of a %" PetscInt_FMT "-dimensional %s and a %" PetscInt_FMT "-dimensional %s", type, a->dim,
             ((PetscObject)a)->type_name, b->dim, ((PetscObject)b)->type_name);
  PetscCall(PINNGeometryCreate_Private(PetscObjectComm((PetscObject)a), type, a->dim, &g));
  PetscCall(PetscNew(&csg));
  g->data = csg;
  PetscCall(PetscObjectReference((PetscObject)a));
  PetscCall(PetscObjectReference((PetscObject)b));
  csg->a    = a;
  csg->b    = b;
  csg->diff = diff;
  PetscCall(PetscMalloc1(a->dim, &csg->work));
  for (PetscInt k = 0; k < a->dim; k++) {
    g->lo[k] = !diff ? PetscMin(a->lo[k], b->lo[k]) : a->lo[k];
    g->hi[k] = !diff ? PetscMax(a->hi[k], b->hi[k]) : a->hi[k];
  }
  g->tol            = PetscMax(a->tol, b->tol);
  g->kboundary      = PetscMax(a->kboundary, b->kboundary);
  g->bmeasure       = a->bmeasure + b->bmeasure;
  g->interior_exact = PETSC_FALSE;
  g->boundary_exact = PETSC_FALSE;
  PetscCall(PINNGeometrySetPartNames_Private(g, a->nparts + b->nparts));
  for (PetscInt i = 0; i < a->nparts; i++) PetscCall(PetscStrallocpy(a->names[i], &g->names[i]));
  for (PetscInt i = 0; i < b->nparts; i++) PetscCall(PetscStrallocpy(b->names[i], &g->names[a->nparts + i]));
  g->ops->classify = diff ? ClassifyDifference : ClassifyUnion;
  g->ops->normal   = NormalCSG;
  g->ops->boundary = BoundaryCSG;
  g->ops->view     = ViewCSG;
  g->ops->destroy  = DestroyCSG;
  *geom            = g;
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryCreateDifference - Creates the closed domain a minus b (the closure of a with the
  interior of b removed).

  Collective

  Input Parameters:
+ a - the geometry to cut from
- b - the geometry to remove, of the same dimension and on the same communicator

  Output Parameter:
. geom - the geometry; it holds references to a and b, which the caller may destroy

  Notes:
  Boundary parts: a's parts first (tags 0..na-1), then b's shifted by na. The boundary is the part of
  a's boundary outside b and the part of b's boundary inside a, with b's normals flipped so that they
  point out of the result. Interior points are drawn in a's bounding box and rejected outside;
  boundary points are drawn from both boundaries in proportion to their measures and rejected off the
  result, so they are uniform in boundary measure.

  Level: beginner

.seealso: PINNGeometryCreateUnion(), PINNGeometryCreateBall(), PINNGeometryGetBoundaryParts()
@*/
PetscErrorCode PINNGeometryCreateDifference(PINNGeometry a, PINNGeometry b, PINNGeometry *geom)
{
  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateCSG_Private(a, b, PETSC_TRUE, geom));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryCreateUnion - Creates the closed domain a union b.

  Collective

  Input Parameters:
+ a - a geometry
- b - another, of the same dimension and on the same communicator

  Output Parameter:
. geom - the geometry; it holds references to a and b, which the caller may destroy

  Notes:
  Boundary parts: a's parts first (tags 0..na-1), then b's shifted by na. The boundary is the part of
  each boundary outside the other geometry; faces shared with the same orientation are kept once (as
  a's), faces where a and b touch from opposite sides are interior and dropped.

  Level: beginner

.seealso: PINNGeometryCreateDifference()
@*/
PetscErrorCode PINNGeometryCreateUnion(PINNGeometry a, PINNGeometry b, PINNGeometry *geom)
{
  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateCSG_Private(a, b, PETSC_FALSE, geom));
  PetscFunctionReturn(0);
}

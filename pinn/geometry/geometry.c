/* PINNGeometry, the generic object: creation and destruction, queries (dimension, bounding box,
   boundary parts, membership, distance function) and viewing. The shape kinds are in impls/ (box,
   ball, polygon, csg, spacetime), each filling the ops table and its own data; the rank-independent
   interior/boundary/initial sampling over them is in sampling/rejection.c. */
#include <nnpde/private/geometryimpl.h>
#include <petscviewer.h>

PetscClassId PINNGEOMETRY_CLASSID;

/*@C
  PINNGeometryCreate_Private - Creates the generic part of a geometry for a kind's constructor, which
  then fills the bounding box, tolerances, candidate sizes, boundary parts, ops table and data.

  Collective

  Input Parameters:
+ comm - the communicator
. type - the kind's type name (PINNGEOMETRYBOX, ...)
- dim  - the dimension of points

  Output Parameter:
. geom - the geometry, bounding box zeroed, kinterior = dim

  Level: developer

.seealso: `PINNGeometryCreateBox()`, `PINNGeometrySetPartNames_Private()`
@*/
PetscErrorCode PINNGeometryCreate_Private(MPI_Comm comm, const char type[], PetscInt dim, PINNGeometry *geom)
{
  PINNGeometry g;

  PetscFunctionBegin;
  PetscCall(PINNInitializePackage());
  PetscCall(PetscHeaderCreate(g, PINNGEOMETRY_CLASSID, "PINNGeometry", "PINN geometry", "PINN", comm, PINNGeometryDestroy, PINNGeometryView));
  PetscCall(PetscObjectChangeTypeName((PetscObject)g, type));
  g->dim       = dim;
  g->kinterior = dim;
  PetscCall(PetscCalloc2(dim, &g->lo, dim, &g->hi));
  *geom = g;
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySetPartNames_Private - Sets the number of boundary parts and allocates their names (NULL,
  filled by the kind's constructor).

  Not Collective

  Input Parameters:
+ g      - the geometry
- nparts - the number of parts

  Level: developer

.seealso: `PINNGeometryGetBoundaryParts()`
@*/
PetscErrorCode PINNGeometrySetPartNames_Private(PINNGeometry g, PetscInt nparts)
{
  PetscFunctionBegin;
  g->nparts = nparts;
  PetscCall(PetscCalloc1(nparts, &g->names));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryDestroy - Destroys a geometry (CSG and space-time geometries release their operands).

  Collective

  Input Parameter:
. geom - the geometry, may point to NULL; set to NULL on return

  Level: beginner

.seealso: PINNGeometryCreateBox(), PINNGeometryCreateDifference()
@*/
PetscErrorCode PINNGeometryDestroy(PINNGeometry *geom)
{
  PINNGeometry g;

  PetscFunctionBegin;
  if (!geom || !*geom) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(*geom, PINNGEOMETRY_CLASSID, 1);
  g = *geom;
  if (--((PetscObject)g)->refct > 0) {
    *geom = NULL;
    PetscFunctionReturn(0);
  }
  if (g->ops->destroy) PetscCall((*g->ops->destroy)(g));
  PetscCall(PetscFree2(g->lo, g->hi));
  for (PetscInt i = 0; i < g->nparts; i++) PetscCall(PetscFree(g->names[i]));
  PetscCall(PetscFree(g->names));
  PetscCall(PetscHeaderDestroy(geom));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryView - Describes a geometry: its type, a tree of its operands for CSG and space-time
  geometries, its bounding box and its boundary parts with their tags.

  Collective

  Input Parameters:
+ geom   - the geometry
- viewer - an ASCII viewer, or NULL for stdout on the geometry's communicator

  Level: beginner

.seealso: PINNGeometryGetBoundaryParts()
@*/
PetscErrorCode PINNGeometryView(PINNGeometry geom, PetscViewer viewer)
{
  PetscBool iascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)geom), &viewer));
  PetscValidHeaderSpecific(viewer, PETSC_VIEWER_CLASSID, 2);
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii) PetscFunctionReturn(0);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)geom, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall((*geom->ops->view)(geom, viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "dimension %" PetscInt_FMT ", bounding box", geom->dim));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
  for (PetscInt k = 0; k < geom->dim; k++)
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s[%g, %g]", k ? " x " : " ", (double)geom->lo[k], (double)geom->hi[k]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
  PetscCall(PetscViewerASCIIPrintf(viewer, "boundary parts (tag: name), total measure %g:\n", (double)geom->bmeasure));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  for (PetscInt i = 0; i < geom->nparts; i++) PetscCall(PetscViewerASCIIPrintf(viewer, "%" PetscInt_FMT ": %s\n", i, geom->names[i]));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryGetDimension - Gets the number of coordinates of points (including time for space-time
  geometries).

  Not Collective

  Input Parameter:
. geom - the geometry

  Output Parameter:
. dim - the dimension

  Level: beginner
@*/
PetscErrorCode PINNGeometryGetDimension(PINNGeometry geom, PetscInt *dim)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscValidIntPointer(dim, 2);
  *dim = geom->dim;
  PetscFunctionReturn(0);
}

/*@
  PINNGeometryIsSpaceTime - Whether the geometry is space x [t0, t1] (time the last coordinate).

  Not Collective

  Input Parameter:
. geom - the geometry

  Output Parameter:
. flg - PETSC_TRUE for a geometry made by PINNGeometryCreateSpaceTime()

  Level: beginner

.seealso: `PINNGeometryCreateSpaceTime()`, `PINNGeometrySampleInitial()`
@*/
PetscErrorCode PINNGeometryIsSpaceTime(PINNGeometry geom, PetscBool *flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)geom, PINNGEOMETRYSPACETIME, flg));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryGetBoundingBox - Gets a box containing the geometry (the one interior candidates are
  drawn from).

  Not Collective

  Input Parameter:
. geom - the geometry

  Output Parameters:
+ lo - lower corner (dim values), or NULL
- hi - upper corner (dim values), or NULL

  Level: beginner
@*/
PetscErrorCode PINNGeometryGetBoundingBox(PINNGeometry geom, PetscReal lo[], PetscReal hi[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  if (lo) PetscCall(PetscArraycpy(lo, geom->lo, geom->dim));
  if (hi) PetscCall(PetscArraycpy(hi, geom->hi, geom->dim));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryGetBoundaryParts - Gets the number of boundary parts and their names; boundary points
  carry the tag (index) of the part they lie on.

  Not Collective

  Input Parameter:
. geom - the geometry

  Output Parameters:
+ nparts - the number of parts, or NULL
- names  - their names, owned by the geometry, or NULL

  Notes:
  Boxes: tag 2k is x_k = lo_k, 2k+1 is x_k = hi_k ("x0=-0.5"); balls: one part ("sphere c=(..) r=.."); polygons: edge e
  from vertex e to e+1 ("edge 3 (1,0)-(1,-1)"); CSG: the first operand's parts, then the second's; space-time: the
  spatial parts.

  Level: beginner

.seealso: PINNGeometrySampleBoundary()
@*/
PetscErrorCode PINNGeometryGetBoundaryParts(PINNGeometry geom, PetscInt *nparts, const char *const *names[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  if (nparts) *nparts = geom->nparts;
  if (names) *names = (const char *const *)geom->names;
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryContains - Tests whether points lie in the closed domain.

  Not Collective

  Input Parameters:
+ geom - the geometry
. n    - the number of points
- x    - the points, n x dim, point-major

  Output Parameter:
. inside - inside[p] is PETSC_TRUE when point p is in the domain or on its boundary

  Notes:
  Points within a relative distance of 1e-12 (of the size of each primitive) of the boundary count as on the boundary.

  Level: beginner
@*/
PetscErrorCode PINNGeometryContains(PINNGeometry geom, PetscInt n, const PetscReal x[], PetscBool inside[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points %" PetscInt_FMT " must be nonnegative", n);
  if (n) {
    PetscValidRealPointer(x, 3);
    PetscValidBoolPointer(inside, 4);
  }
  for (PetscInt p = 0; p < n; p++) inside[p] = (PetscBool)(geom->ops->classify(geom, &x[p * geom->dim]) != PINN_GEOMETRY_OUTSIDE);
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryDistance - Evaluates a smooth function phi that vanishes on the boundary and is positive
  inside, with its derivatives, for hard Dirichlet constraints u = g + phi N.

  Not Collective

  Input Parameters:
+ geom  - a box, a ball or a space-time geometry over one of them
. n     - the number of points
. x     - the points, n x dim
- order - highest derivative order wanted, 0..3

  Output Parameter:
. phi - phi[p*J + t] in the layout of NNOutputTransformFn: t = 0 value, 1+i, 1+d+i*d+j, 1+d+d*d+(i*d+j)*d+k, with
        J = 1 + d + d^2 for order <= 2 (all those entries are filled) and J = 1 + d + d^2 + d^3 for order 3

  Notes:
  Box: phi = prod_k (x_k - lo_k)(hi_k - x_k) / ((hi_k - lo_k)/2)^2, which is 1 at the center. Ball:
  phi = (r^2 - |x - c|^2)/r^2. Space-time: the spatial function, constant in time (multiply by
  t - t0 yourself for an initial condition). Other geometries give PETSC_ERR_SUP.

  Level: intermediate

.seealso: NNSetOutputTransform()
@*/
PetscErrorCode PINNGeometryDistance(PINNGeometry geom, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCheck(geom->ops->distance, PetscObjectComm((PetscObject)geom), PETSC_ERR_SUP,
             "PINNGeometryDistance() is available for boxes, balls and space-time geometries over them, not for a %s",
             ((PetscObject)geom)->type_name);
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points %" PetscInt_FMT " must be nonnegative", n);
  PetscCheck(order >= 0 && order <= 3, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Derivative order %" PetscInt_FMT " must be in 0..3", order);
  if (!n) PetscFunctionReturn(0);
  PetscValidRealPointer(x, 3);
  PetscValidRealPointer(phi, 5);
  PetscCall((*geom->ops->distance)(geom, n, x, order, phi));
  PetscFunctionReturn(0);
}

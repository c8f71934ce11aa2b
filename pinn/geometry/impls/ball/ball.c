/* The closed ball |x - c| <= r (a disk in 2-D, an interval in 1-D): membership, radial normals, boundary
   points by angle, Archimedes' map or normalized Gaussian vectors, and a quadratic distance function. */
#include <nnpde/private/geometryimpl.h>
#include <petscviewer.h>
#include <stdio.h>

typedef struct {
  PetscReal *center; /* dim */
  PetscReal  radius;
} PINNGeometry_Ball;

static int ClassifyBall(PINNGeometry g, const PetscReal x[])
{
  PINNGeometry_Ball *ball = (PINNGeometry_Ball *)g->data;
  PetscReal          s    = 0, dist;

  for (PetscInt k = 0; k < g->dim; k++) s += PetscSqr(x[k] - ball->center[k]);
  dist = PetscSqrtReal(s) - ball->radius;
  if (!(dist <= g->tol)) return PINN_GEOMETRY_OUTSIDE; /* also NaN */
  return dist < -g->tol ? PINN_GEOMETRY_INSIDE : PINN_GEOMETRY_ON;
}

static void NormalBall(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PINNGeometry_Ball *ball = (PINNGeometry_Ball *)g->data;
  PetscReal          s    = 0;

  for (PetscInt k = 0; k < g->dim; k++) s += PetscSqr(x[k] - ball->center[k]);
  s = PetscSqrtReal(s);
  for (PetscInt k = 0; k < g->dim; k++) nrm[k] = s > 0 ? (x[k] - ball->center[k]) / s : (k == 0);
}

/* 1-D: two points; 2-D: angle 2 pi u0; 3-D: Archimedes' area-preserving map z = 1 - 2 u0, angle 2 pi
   u1; d >= 4: Box-Muller normals from pairs (u_2i, u_2i+1), normalized. */
static PetscBool BoundaryBall(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  PINNGeometry_Ball *ball = (PINNGeometry_Ball *)g->data;
  const PetscInt     d    = g->dim;

  if (d == 1) {
    nrm[0] = u[0] < 0.5 ? -1.0 : 1.0;
  } else if (d == 2) {
    const PetscReal t = 2 * PETSC_PI * u[0];
    nrm[0]            = PetscCosReal(t);
    nrm[1]            = PetscSinReal(t);
  } else if (d == 3) {
    const PetscReal z = 1 - 2 * u[0], r = PetscSqrtReal(PetscMax(0, 1 - z * z)), t = 2 * PETSC_PI * u[1];
    nrm[0] = r * PetscCosReal(t);
    nrm[1] = r * PetscSinReal(t);
    nrm[2] = z;
  } else {
    PetscReal s = 0;
    for (PetscInt k = 0; k < d; k += 2) {
      const PetscReal r = PetscSqrtReal(-2 * PetscLogReal(1 - u[k])), t = 2 * PETSC_PI * u[k + 1];
      nrm[k] = r * PetscCosReal(t);
      if (k + 1 < d) nrm[k + 1] = r * PetscSinReal(t);
    }
    s = PetscSqrtReal(PINNGeometryDot_Private(d, nrm, nrm));
    for (PetscInt k = 0; k < d; k++) nrm[k] = s > 0 ? nrm[k] / s : (k == 0);
  }
  for (PetscInt k = 0; k < d; k++) x[k] = ball->center[k] + ball->radius * nrm[k];
  *tag = 0;
  return PETSC_TRUE;
}

/* phi = (r^2 - |x - c|^2)/r^2 */
static PetscErrorCode DistanceBall(PINNGeometry g, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[])
{
  PINNGeometry_Ball *ball = (PINNGeometry_Ball *)g->data;
  const PetscInt     d = g->dim, J = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  const PetscReal    s = 1.0 / PetscSqr(ball->radius);

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal *o = &phi[p * J], r2 = 0;
    for (PetscInt k = 0; k < d; k++) r2 += PetscSqr(x[p * d + k] - ball->center[k]);
    o[0] = 1 - r2 * s;
    for (PetscInt i = 0; i < d; i++) {
      o[1 + i] = -2 * (x[p * d + i] - ball->center[i]) * s;
      for (PetscInt j = 0; j < d; j++) o[1 + d + i * d + j] = i == j ? -2 * s : 0;
    }
    if (order == 3)
      for (PetscInt t = 0; t < d * d * d; t++) o[1 + d + d * d + t] = 0;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewBall(PINNGeometry g, PetscViewer viewer)
{
  PINNGeometry_Ball *ball = (PINNGeometry_Ball *)g->data;
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "ball, center ("));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
  for (PetscInt k = 0; k < g->dim; k++) PetscCall(PetscViewerASCIIPrintf(viewer, "%s%g", k ? ", " : "", (double)ball->center[k]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "), radius %g\n", (double)ball->radius));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyBall(PINNGeometry g)
{
  PINNGeometry_Ball *ball = (PINNGeometry_Ball *)g->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(ball->center));
  PetscCall(PetscFree(g->data));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryCreateBall - Creates the closed ball |x - center| <= radius (a disk in 2-D).

  Collective

  Input Parameters:
+ comm   - the communicator sampling is distributed over
. dim    - the dimension, at least 1
. center - the center (dim values)
- radius - the radius, positive

  Output Parameter:
. geom - the geometry

  Notes:
  The boundary is one part, tag 0, named "sphere c=(...) r=...". Boundary points are placed by angle in
  2-D, by Archimedes' area-preserving map in 3-D and by normalized Box-Muller Gaussian vectors in higher
  dimensions, so they are uniform in surface measure for every sample type. Interior points are
  drawn in the bounding box and rejected outside.

  Level: beginner

.seealso: PINNGeometryCreateBox(), PINNGeometryCreateDifference(), PINNGeometryDistance()
@*/
PetscErrorCode PINNGeometryCreateBall(MPI_Comm comm, PetscInt dim, const PetscReal center[], PetscReal radius, PINNGeometry *geom)
{
  PINNGeometry       g;
  PINNGeometry_Ball *ball;
  char               name[256];
  size_t             len;

  PetscFunctionBegin;
  PetscValidPointer(geom, 5);
  PetscCheck(dim >= 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "Ball dimension %" PetscInt_FMT " must be at least 1", dim);
  PetscValidRealPointer(center, 3);
  PetscCheck(radius > 0 && !PetscIsInfOrNanReal(radius), comm, PETSC_ERR_ARG_OUTOFRANGE, "Ball radius %g must be positive and finite",
             (double)radius);
  for (PetscInt k = 0; k < dim; k++)
    PetscCheck(!PetscIsInfOrNanReal(center[k]), comm, PETSC_ERR_ARG_OUTOFRANGE, "Ball center[%" PetscInt_FMT "] = %g is not finite", k,
               (double)center[k]);
  PetscCall(PINNGeometryCreate_Private(comm, PINNGEOMETRYBALL, dim, &g));
  PetscCall(PetscNew(&ball));
  g->data = ball;
  PetscCall(PetscMalloc1(dim, &ball->center));
  for (PetscInt k = 0; k < dim; k++) {
    ball->center[k] = center[k];
    g->lo[k]        = center[k] - radius;
    g->hi[k]        = center[k] + radius;
  }
  ball->radius = radius;
  g->tol       = PINN_GEOMETRY_RTOL * radius;
  /* surface measure 2 pi^(d/2) / Gamma(d/2) r^(d-1); two points in 1-D */
  g->bmeasure       = dim == 1 ? 2.0 : 2 * PetscPowReal(PETSC_PI, 0.5 * dim) / tgamma(0.5 * dim) * PetscPowReal(radius, (PetscReal)(dim - 1));
  g->kboundary      = dim <= 2 ? 1 : (dim == 3 ? 2 : 2 * ((dim + 1) / 2));
  g->interior_exact = PETSC_FALSE;
  g->boundary_exact = PETSC_TRUE;
  PetscCall(PINNGeometrySetPartNames_Private(g, 1));
  PetscCall(PetscStrncpy(name, "sphere c=(", sizeof(name)));
  for (PetscInt k = 0; k < dim; k++) {
    PetscCall(PetscStrlen(name, &len));
    snprintf(name + len, sizeof(name) - len, "%s%g", k ? "," : "", (double)center[k]);
  }
  PetscCall(PetscStrlen(name, &len));
  snprintf(name + len, sizeof(name) - len, ") r=%g", (double)radius);
  PetscCall(PetscStrallocpy(name, &g->names[0]));
  g->ops->classify = ClassifyBall;
  g->ops->normal   = NormalBall;
  g->ops->boundary = BoundaryBall;
  g->ops->distance = DistanceBall;
  g->ops->view     = ViewBall;
  g->ops->destroy  = DestroyBall;
  *geom            = g;
  PetscFunctionReturn(0);
}

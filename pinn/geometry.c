/* PINNGeometry: boxes, balls, simple polygons, CSG difference and union, space-time cylinders;
   membership, interior/boundary/initial sampling independent of the number of ranks, outward normals
   and boundary tags, and a smooth function vanishing on the boundary for hard constraints.

   Sampling draws candidates in a fixed global order: candidate j is a function of j only (Philox
   numbers at indices j K .. j K + K - 1 of a sub-stream, or point j + 1 of a K-dimensional Sobol or
   Halton sequence), and the point set is the first N accepted candidates. Where every candidate is
   accepted (box interiors, boundaries of primitives) a rank computes its slice directly; otherwise
   the ranks first count accepted candidates in blocks split among them (one MPI_Allgather per
   block), then each rank walks from the block holding its first point. */
#include <nnpde/private/geometryimpl.h>
#include <nnpde/random.h>
#include <petscviewer.h>
#include <stdio.h>

/* Part names are formatted with the C library's %g ("x0=0", not PETSc's "x0=0.") */

PetscClassId      PINNGEOMETRY_CLASSID;
const char *const PINNSampleTypes[] = {"uniform", "sobol", "halton", "PINNSampleType", "PINN_SAMPLE_", NULL};

#define GEOM_RTOL 1e-12 /* on-boundary tolerance, relative to the size of a primitive */
#define GEOM_CHUNK 1024 /* candidates evaluated per batch */
#define GEOM_ONE_MINUS 0x1.fffffffffffffp-1

static const char *const GeometryKinds[] = {"box", "ball", "polygon", "difference", "union", "spacetime"};

static inline PetscReal Clamp01(PetscReal u)
{
  return u < 0 ? 0 : (u >= 1 ? GEOM_ONE_MINUS : u);
}

static inline PetscReal Dot(PetscInt d, const PetscReal a[], const PetscReal b[])
{
  PetscReal s = 0;
  for (PetscInt k = 0; k < d; k++) s += a[k] * b[k];
  return s;
}

/* ------------------------------------------------------------------------------------------------ */
/* Creation and destruction                                                                          */

static PetscErrorCode PINNGeometryCreate_Private(MPI_Comm comm, PINNGeometryKind kind, PetscInt dim, PINNGeometry *geom)
{
  PINNGeometry g;

  PetscFunctionBegin;
  PetscCall(PINNInitializePackage());
  PetscCall(PetscHeaderCreate(g, PINNGEOMETRY_CLASSID, "PINNGeometry", "PINN geometry", "PINN", comm, PINNGeometryDestroy, PINNGeometryView));
  PetscCall(PetscObjectChangeTypeName((PetscObject)g, GeometryKinds[kind]));
  g->kind      = kind;
  g->dim       = dim;
  g->kinterior = dim;
  PetscCall(PetscCalloc2(dim, &g->lo, dim, &g->hi));
  *geom = g;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNGeometrySetPartNames_Private(PINNGeometry g, PetscInt nparts)
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
  PetscCall(PetscFree2(g->lo, g->hi));
  PetscCall(PetscFree(g->area));
  PetscCall(PetscFree(g->center));
  PetscCall(PetscFree(g->work));
  PetscCall(PetscFree2(g->v, g->cumlen));
  for (PetscInt i = 0; i < g->nparts; i++) PetscCall(PetscFree(g->names[i]));
  PetscCall(PetscFree(g->names));
  PetscCall(PINNGeometryDestroy(&g->a));
  PetscCall(PINNGeometryDestroy(&g->b));
  PetscCall(PetscHeaderDestroy(geom));
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* Box                                                                                               */

static int ClassifyBox(PINNGeometry g, const PetscReal x[])
{
  const PetscReal tol = g->tol;
  int             on  = 0;

  for (PetscInt k = 0; k < g->dim; k++) {
    if (!(x[k] >= g->lo[k] - tol && x[k] <= g->hi[k] + tol)) return PINN_GEOMETRY_OUTSIDE; /* also NaN */
    if (x[k] <= g->lo[k] + tol || x[k] >= g->hi[k] - tol) on = 1;
  }
  return on ? PINN_GEOMETRY_ON : PINN_GEOMETRY_INSIDE;
}

static void NormalBox(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PetscInt  best  = 0;
  PetscReal dbest = PETSC_MAX_REAL;

  for (PetscInt f = 0; f < 2 * g->dim; f++) {
    const PetscInt  k    = f / 2;
    const PetscReal dist = PetscAbsReal(f % 2 ? g->hi[k] - x[k] : x[k] - g->lo[k]);
    if (dist < dbest) dbest = dist, best = f;
  }
  for (PetscInt k = 0; k < g->dim; k++) nrm[k] = 0;
  nrm[best / 2] = best % 2 ? 1.0 : -1.0;
}

/* u[0] picks the face by area and, rescaled, gives the first in-face coordinate; u[1..d-2] the others */
static PetscBool BoundaryBox(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  const PetscInt d = g->dim;
  PetscReal      s = u[0] * g->bmeasure, w;
  PetscInt       f = 0, c = 0, k;

  for (f = 0; f < 2 * d - 1; f++) {
    if (s < g->area[f / 2]) break;
    s -= g->area[f / 2];
  }
  k = f / 2;
  w = Clamp01(s / g->area[k]);
  for (PetscInt j = 0; j < d; j++) {
    nrm[j] = 0;
    if (j == k) continue;
    x[j] = g->lo[j] + (c ? u[c] : w) * (g->hi[j] - g->lo[j]);
    c++;
  }
  x[k]   = f % 2 ? g->hi[k] : g->lo[k];
  nrm[k] = f % 2 ? 1.0 : -1.0;
  *tag   = f;
  return PETSC_TRUE;
}

/* phi = prod_k f_k(x_k), f_k = (x_k - lo_k)(hi_k - x_k)/h_k^2, h_k = (hi_k - lo_k)/2; a partial derivative
   is the product of the derivatives of the factors of the orders given by the multi-index */
static inline PetscReal BoxProduct(PetscInt d, const PetscReal F[], PetscInt m, const PetscInt idx[])
{
  PetscReal v = 1;
  for (PetscInt k = 0; k < d; k++) {
    PetscInt c = 0;
    for (PetscInt l = 0; l < m; l++) c += (idx[l] == k);
    v *= F[4 * k + c];
  }
  return v;
}

static PetscErrorCode DistanceBox(PINNGeometry g, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[])
{
  const PetscInt d = g->dim, J = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  PetscReal     *F;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(4 * d, &F));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal *o = &phi[p * J];
    for (PetscInt k = 0; k < d; k++) {
      const PetscReal h = 0.5 * (g->hi[k] - g->lo[k]), s = 1.0 / (h * h), a = x[p * d + k] - g->lo[k], b = g->hi[k] - x[p * d + k];
      F[4 * k + 0] = a * b * s;
      F[4 * k + 1] = (b - a) * s;
      F[4 * k + 2] = -2.0 * s;
      F[4 * k + 3] = 0;
    }
    o[0] = BoxProduct(d, F, 0, NULL);
    for (PetscInt i = 0; i < d; i++) {
      o[1 + i] = BoxProduct(d, F, 1, &i);
      for (PetscInt j = 0; j < d; j++) {
        const PetscInt ij[2] = {i, j};
        o[1 + d + i * d + j] = BoxProduct(d, F, 2, ij);
        if (order == 3)
          for (PetscInt k = 0; k < d; k++) {
            const PetscInt ijk[3]                  = {i, j, k};
            o[1 + d + d * d + (i * d + j) * d + k] = BoxProduct(d, F, 3, ijk);
          }
      }
    }
  }
  PetscCall(PetscFree(F));
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewBox(PINNGeometry g, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "box"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
  for (PetscInt k = 0; k < g->dim; k++) PetscCall(PetscViewerASCIIPrintf(viewer, "%s[%g, %g]", k ? " x " : " ", (double)g->lo[k], (double)g->hi[k]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryCreateBox - Creates the box [lo_0, hi_0] x ... x [lo_{d-1}, hi_{d-1}].

  Collective

  Input Parameters:
+ comm - the communicator sampling is distributed over
. dim  - the dimension, at least 1
. lo   - the lower corner (dim values)
- hi   - the upper corner, hi[k] > lo[k]

  Output Parameter:
. geom - the geometry

  Notes:
  The boundary has 2 dim parts: tag 2k is the face x_k = lo_k and tag 2k+1 the face x_k = hi_k, named
  by the coordinate and its value, e.g. "x0=-0.5" and "x0=0.5". Interior points need no rejection.

  Level: beginner

.seealso: PINNGeometryCreateBall(), PINNGeometrySampleInterior(), PINNGeometryDistance()
@*/
PetscErrorCode PINNGeometryCreateBox(MPI_Comm comm, PetscInt dim, const PetscReal lo[], const PetscReal hi[], PINNGeometry *geom)
{
  PINNGeometry g;
  PetscReal    ext = 0;

  PetscFunctionBegin;
  PetscValidPointer(geom, 5);
  PetscCheck(dim >= 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "Box dimension %" PetscInt_FMT " must be at least 1", dim);
  PetscValidRealPointer(lo, 3);
  PetscValidRealPointer(hi, 4);
  for (PetscInt k = 0; k < dim; k++) {
    PetscCheck(!PetscIsInfOrNanReal(lo[k]) && !PetscIsInfOrNanReal(hi[k]), comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Box bounds must be finite: lo[%" PetscInt_FMT "] = %g, hi[%" PetscInt_FMT "] = %g", k, (double)lo[k], k, (double)hi[k]);
    PetscCheck(lo[k] < hi[k], comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Box needs lo < hi in every dimension: lo[%" PetscInt_FMT "] = %g, hi[%" PetscInt_FMT "] = %g", k, (double)lo[k], k, (double)hi[k]);
  }
  PetscCall(PINNGeometryCreate_Private(comm, PINN_GEOMETRY_BOX, dim, &g));
  PetscCall(PetscMalloc1(dim, &g->area));
  for (PetscInt k = 0; k < dim; k++) {
    g->lo[k] = lo[k];
    g->hi[k] = hi[k];
    ext      = PetscMax(ext, hi[k] - lo[k]);
  }
  for (PetscInt k = 0; k < dim; k++) {
    g->area[k] = 1;
    for (PetscInt j = 0; j < dim; j++)
      if (j != k) g->area[k] *= hi[j] - lo[j];
    g->bmeasure += 2 * g->area[k];
  }
  g->tol            = GEOM_RTOL * ext;
  g->kboundary      = PetscMax(1, dim - 1);
  g->interior_exact = PETSC_TRUE;
  g->boundary_exact = PETSC_TRUE;
  PetscCall(PINNGeometrySetPartNames_Private(g, 2 * dim));
  for (PetscInt f = 0; f < 2 * dim; f++) {
    char name[64];
    snprintf(name, sizeof(name), "x%d=%g", (int)(f / 2), (double)(f % 2 ? hi[f / 2] : lo[f / 2]));
    PetscCall(PetscStrallocpy(name, &g->names[f]));
  }
  g->ops->classify = ClassifyBox;
  g->ops->normal   = NormalBox;
  g->ops->boundary = BoundaryBox;
  g->ops->distance = DistanceBox;
  g->ops->view     = ViewBox;
  *geom            = g;
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* Ball                                                                                              */

static int ClassifyBall(PINNGeometry g, const PetscReal x[])
{
  PetscReal s = 0, dist;

  for (PetscInt k = 0; k < g->dim; k++) s += PetscSqr(x[k] - g->center[k]);
  dist = PetscSqrtReal(s) - g->radius;
  if (!(dist <= g->tol)) return PINN_GEOMETRY_OUTSIDE; /* also NaN */
  return dist < -g->tol ? PINN_GEOMETRY_INSIDE : PINN_GEOMETRY_ON;
}

static void NormalBall(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PetscReal s = 0;

  for (PetscInt k = 0; k < g->dim; k++) s += PetscSqr(x[k] - g->center[k]);
  s = PetscSqrtReal(s);
  for (PetscInt k = 0; k < g->dim; k++) nrm[k] = s > 0 ? (x[k] - g->center[k]) / s : (k == 0);
}

/* 1-D: two points; 2-D: angle 2 pi u0; 3-D: Archimedes' area-preserving map z = 1 - 2 u0, angle 2 pi
   u1; d >= 4: Box-Muller normals from pairs (u_2i, u_2i+1), normalized. */
static PetscBool BoundaryBall(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  const PetscInt d = g->dim;

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
    s = PetscSqrtReal(Dot(d, nrm, nrm));
    for (PetscInt k = 0; k < d; k++) nrm[k] = s > 0 ? nrm[k] / s : (k == 0);
  }
  for (PetscInt k = 0; k < d; k++) x[k] = g->center[k] + g->radius * nrm[k];
  *tag = 0;
  return PETSC_TRUE;
}

/* phi = (r^2 - |x - c|^2)/r^2 */
static PetscErrorCode DistanceBall(PINNGeometry g, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[])
{
  const PetscInt  d = g->dim, J = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  const PetscReal s = 1.0 / PetscSqr(g->radius);

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal *o = &phi[p * J], r2 = 0;
    for (PetscInt k = 0; k < d; k++) r2 += PetscSqr(x[p * d + k] - g->center[k]);
    o[0] = 1 - r2 * s;
    for (PetscInt i = 0; i < d; i++) {
      o[1 + i] = -2 * (x[p * d + i] - g->center[i]) * s;
      for (PetscInt j = 0; j < d; j++) o[1 + d + i * d + j] = i == j ? -2 * s : 0;
    }
    if (order == 3)
      for (PetscInt t = 0; t < d * d * d; t++) o[1 + d + d * d + t] = 0;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewBall(PINNGeometry g, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "ball, center ("));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
  for (PetscInt k = 0; k < g->dim; k++) PetscCall(PetscViewerASCIIPrintf(viewer, "%s%g", k ? ", " : "", (double)g->center[k]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "), radius %g\n", (double)g->radius));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
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
  PINNGeometry g;
  char         name[256];
  size_t       len;

  PetscFunctionBegin;
  PetscValidPointer(geom, 5);
  PetscCheck(dim >= 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "Ball dimension %" PetscInt_FMT " must be at least 1", dim);
  PetscValidRealPointer(center, 3);
  PetscCheck(radius > 0 && !PetscIsInfOrNanReal(radius), comm, PETSC_ERR_ARG_OUTOFRANGE, "Ball radius %g must be positive and finite",
             (double)radius);
  for (PetscInt k = 0; k < dim; k++)
    PetscCheck(!PetscIsInfOrNanReal(center[k]), comm, PETSC_ERR_ARG_OUTOFRANGE, "Ball center[%" PetscInt_FMT "] = %g is not finite", k,
               (double)center[k]);
  PetscCall(PINNGeometryCreate_Private(comm, PINN_GEOMETRY_BALL, dim, &g));
  PetscCall(PetscMalloc1(dim, &g->center));
  for (PetscInt k = 0; k < dim; k++) {
    g->center[k] = center[k];
    g->lo[k]     = center[k] - radius;
    g->hi[k]     = center[k] + radius;
  }
  g->radius = radius;
  g->tol    = GEOM_RTOL * radius;
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
  *geom            = g;
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* Polygon                                                                                           */

static inline int Orientation(const PetscReal p[], const PetscReal q[], const PetscReal r[])
{
  const PetscReal c = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  return (c > 0) - (c < 0);
}

/* r is collinear with p, q: does it lie on the closed segment pq? */
static inline PetscBool InSegmentBox(const PetscReal p[], const PetscReal q[], const PetscReal r[])
{
  return (PetscBool)(r[0] >= PetscMin(p[0], q[0]) && r[0] <= PetscMax(p[0], q[0]) && r[1] >= PetscMin(p[1], q[1]) && r[1] <= PetscMax(p[1], q[1]));
}

static PetscBool SegmentsIntersect(const PetscReal p1[], const PetscReal p2[], const PetscReal q1[], const PetscReal q2[])
{
  const int o1 = Orientation(p1, p2, q1), o2 = Orientation(p1, p2, q2), o3 = Orientation(q1, q2, p1), o4 = Orientation(q1, q2, p2);

  if (o1 != o2 && o3 != o4) return PETSC_TRUE;
  if (o1 == 0 && InSegmentBox(p1, p2, q1)) return PETSC_TRUE;
  if (o2 == 0 && InSegmentBox(p1, p2, q2)) return PETSC_TRUE;
  if (o3 == 0 && InSegmentBox(q1, q2, p1)) return PETSC_TRUE;
  if (o4 == 0 && InSegmentBox(q1, q2, p2)) return PETSC_TRUE;
  return PETSC_FALSE;
}

static inline PetscReal SegmentDistance(const PetscReal x[], const PetscReal a[], const PetscReal b[])
{
  const PetscReal dx = b[0] - a[0], dy = b[1] - a[1];
  PetscReal       t = ((x[0] - a[0]) * dx + (x[1] - a[1]) * dy) / (dx * dx + dy * dy);

  t = t < 0 ? 0 : (t > 1 ? 1 : t);
  return PetscSqrtReal(PetscSqr(x[0] - a[0] - t * dx) + PetscSqr(x[1] - a[1] - t * dy));
}

static inline const PetscReal *Vertex(PINNGeometry g, PetscInt i)
{
  return &g->v[2 * (i % g->nv)];
}

static int ClassifyPolygon(PINNGeometry g, const PetscReal x[])
{
  PetscBool in = PETSC_FALSE;

  if (PetscIsInfOrNanReal(x[0]) || PetscIsInfOrNanReal(x[1])) return PINN_GEOMETRY_OUTSIDE;
  for (PetscInt e = 0; e < g->nv; e++)
    if (SegmentDistance(x, Vertex(g, e), Vertex(g, e + 1)) <= g->tol) return PINN_GEOMETRY_ON;
  /* crossing number of a ray in +x */
  for (PetscInt e = 0; e < g->nv; e++) {
    const PetscReal *a = Vertex(g, e), *b = Vertex(g, e + 1);
    if ((a[1] > x[1]) != (b[1] > x[1]) && x[0] < a[0] + (b[0] - a[0]) * (x[1] - a[1]) / (b[1] - a[1])) in = (PetscBool)!in;
  }
  return in ? PINN_GEOMETRY_INSIDE : PINN_GEOMETRY_OUTSIDE;
}

static void EdgeNormal(PINNGeometry g, PetscInt e, PetscReal nrm[])
{
  const PetscReal *a = Vertex(g, e), *b = Vertex(g, e + 1), len = g->cumlen[e + 1] - g->cumlen[e];

  nrm[0] = g->orient * (b[1] - a[1]) / len;
  nrm[1] = -g->orient * (b[0] - a[0]) / len;
}

static void NormalPolygon(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PetscInt  best  = 0;
  PetscReal dbest = PETSC_MAX_REAL;

  for (PetscInt e = 0; e < g->nv; e++) {
    const PetscReal dist = SegmentDistance(x, Vertex(g, e), Vertex(g, e + 1));
    if (dist < dbest) dbest = dist, best = e;
  }
  EdgeNormal(g, best, nrm);
}

/* arc length s = u0 L along the edges in the given order */
static PetscBool BoundaryPolygon(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  const PetscReal  s  = u[0] * g->bmeasure;
  PetscInt         lo = 0, hi = g->nv - 1;
  const PetscReal *a, *b;
  PetscReal        w;

  while (lo < hi) { /* last edge e with cumlen[e] <= s */
    const PetscInt mid = (lo + hi + 1) / 2;
    if (g->cumlen[mid] <= s)
      lo = mid;
    else
      hi = mid - 1;
  }
  a    = Vertex(g, lo);
  b    = Vertex(g, lo + 1);
  w    = Clamp01((s - g->cumlen[lo]) / (g->cumlen[lo + 1] - g->cumlen[lo]));
  x[0] = a[0] + w * (b[0] - a[0]);
  x[1] = a[1] + w * (b[1] - a[1]);
  EdgeNormal(g, lo, nrm);
  *tag = lo;
  return PETSC_TRUE;
}

static PetscErrorCode ViewPolygon(PINNGeometry g, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "polygon, %" PetscInt_FMT " vertices (%s):", g->nv, g->orient > 0 ? "counter-clockwise" : "clockwise"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
  for (PetscInt i = 0; i < g->nv; i++) PetscCall(PetscViewerASCIIPrintf(viewer, " (%g, %g)", (double)g->v[2 * i], (double)g->v[2 * i + 1]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometryCreatePolygon - Creates a closed simple polygon in 2-D.

  Collective

  Input Parameters:
+ comm     - the communicator sampling is distributed over
. nv       - the number of vertices, at least 3
- vertices - nv (x, y) pairs, counter-clockwise or clockwise

  Output Parameter:
. geom - the geometry

  Notes:
  The polygon must be simple: no repeated vertices, no two non-adjacent edges that touch, no adjacent
  edges that fold back on each other, nonzero area; otherwise the error names the offending vertices
  or edges. Collinear consecutive edges are allowed. The vertices are kept in the given order (the
  orientation only flips the normals): edge e runs from vertex e to vertex e+1 (mod nv) and is
  boundary part e, named "edge e (x0,y0)-(x1,y1)". Points on the boundary count as inside (closed
  domain); membership uses the crossing number.

  Level: beginner

.seealso: PINNGeometryCreateBox(), PINNGeometryCreateDifference()
@*/
PetscErrorCode PINNGeometryCreatePolygon(MPI_Comm comm, PetscInt nv, const PetscReal vertices[], PINNGeometry *geom)
{
  PINNGeometry g;
  PetscReal    area2 = 0, ext, blo[2], bhi[2];

  PetscFunctionBegin;
  PetscValidPointer(geom, 4);
  PetscCheck(nv >= 3, comm, PETSC_ERR_ARG_OUTOFRANGE, "A polygon needs at least 3 vertices, got %" PetscInt_FMT, nv);
  PetscValidRealPointer(vertices, 3);
  for (PetscInt i = 0; i < 2 * nv; i++)
    PetscCheck(!PetscIsInfOrNanReal(vertices[i]), comm, PETSC_ERR_ARG_OUTOFRANGE, "Polygon vertex %" PetscInt_FMT " has a non-finite coordinate %g",
               i / 2, (double)vertices[i]);
  for (PetscInt i = 0; i < nv; i++)
    for (PetscInt j = i + 1; j < nv; j++)
      PetscCheck(vertices[2 * i] != vertices[2 * j] || vertices[2 * i + 1] != vertices[2 * j + 1], comm, PETSC_ERR_ARG_WRONG,
                 "Polygon is not simple: vertices %" PetscInt_FMT " and %" PetscInt_FMT " coincide at (%g, %g)", i, j, (double)vertices[2 * i],
                 (double)vertices[2 * i + 1]);
  for (PetscInt i = 0; i < nv; i++) {
    const PetscReal *a = &vertices[2 * i], *b = &vertices[2 * ((i + 1) % nv)], *c = &vertices[2 * ((i + 2) % nv)];
    /* adjacent edges: only a fold back (collinear, opposite directions) makes them overlap */
    PetscCheck(Orientation(a, b, c) != 0 || (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) > 0, comm, PETSC_ERR_ARG_WRONG,
               "Polygon is not simple: edges %" PetscInt_FMT " and %" PetscInt_FMT " overlap (the boundary folds back at vertex %" PetscInt_FMT
               " (%g, %g))",
               i, (i + 1) % nv, (i + 1) % nv, (double)b[0], (double)b[1]);
    for (PetscInt j = i + 2; j < nv; j++) {
      const PetscReal *p = &vertices[2 * j], *q = &vertices[2 * ((j + 1) % nv)];
      if (i == 0 && j == nv - 1) continue; /* adjacent through vertex 0 */
      PetscCheck(!SegmentsIntersect(a, b, p, q), comm, PETSC_ERR_ARG_WRONG,
                 "Polygon is not simple: edge %" PetscInt_FMT " (%g, %g)-(%g, %g) and edge %" PetscInt_FMT " (%g, %g)-(%g, %g) intersect", i,
                 (double)a[0], (double)a[1], (double)b[0], (double)b[1], j, (double)p[0], (double)p[1], (double)q[0], (double)q[1]);
    }
    area2 += a[0] * b[1] - b[0] * a[1];
  }
  blo[0] = bhi[0] = vertices[0];
  blo[1] = bhi[1] = vertices[1];
  for (PetscInt i = 1; i < nv; i++)
    for (PetscInt k = 0; k < 2; k++) {
      blo[k] = PetscMin(blo[k], vertices[2 * i + k]);
      bhi[k] = PetscMax(bhi[k], vertices[2 * i + k]);
    }
  ext = PetscMax(bhi[0] - blo[0], bhi[1] - blo[1]);
  PetscCheck(PetscAbsReal(area2) > 1e-14 * ext * ext, comm, PETSC_ERR_ARG_WRONG, "Polygon has zero area (signed area %g)", (double)(0.5 * area2));
  PetscCall(PINNGeometryCreate_Private(comm, PINN_GEOMETRY_POLYGON, 2, &g));
  for (PetscInt k = 0; k < 2; k++) {
    g->lo[k] = blo[k];
    g->hi[k] = bhi[k];
  }
  g->nv     = nv;
  g->orient = area2 > 0 ? 1.0 : -1.0;
  PetscCall(PetscMalloc2(2 * nv, &g->v, nv + 1, &g->cumlen));
  PetscCall(PetscArraycpy(g->v, vertices, 2 * nv));
  g->cumlen[0] = 0;
  for (PetscInt e = 0; e < nv; e++) {
    const PetscReal *a = Vertex(g, e), *b = Vertex(g, e + 1);
    g->cumlen[e + 1] = g->cumlen[e] + PetscSqrtReal(PetscSqr(b[0] - a[0]) + PetscSqr(b[1] - a[1]));
  }
  g->bmeasure       = g->cumlen[nv];
  g->tol            = GEOM_RTOL * ext;
  g->kboundary      = 1;
  g->interior_exact = PETSC_FALSE;
  g->boundary_exact = PETSC_TRUE;
  PetscCall(PINNGeometrySetPartNames_Private(g, nv));
  for (PetscInt e = 0; e < nv; e++) {
    const PetscReal *a = Vertex(g, e), *b = Vertex(g, e + 1);
    char             name[128];
    snprintf(name, sizeof(name), "edge %d (%g,%g)-(%g,%g)", (int)e, (double)a[0], (double)a[1], (double)b[0], (double)b[1]);
    PetscCall(PetscStrallocpy(name, &g->names[e]));
  }
  g->ops->classify = ClassifyPolygon;
  g->ops->normal   = NormalPolygon;
  g->ops->boundary = BoundaryPolygon;
  g->ops->view     = ViewPolygon;
  *geom            = g;
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* CSG difference and union                                                                          */

static int ClassifyDifference(PINNGeometry g, const PetscReal x[])
{
  const int ca = g->a->ops->classify(g->a, x), cb = ca == PINN_GEOMETRY_OUTSIDE ? PINN_GEOMETRY_OUTSIDE : g->b->ops->classify(g->b, x);

  if (ca == PINN_GEOMETRY_OUTSIDE || cb == PINN_GEOMETRY_INSIDE) return PINN_GEOMETRY_OUTSIDE;
  if (ca == PINN_GEOMETRY_INSIDE && cb == PINN_GEOMETRY_OUTSIDE) return PINN_GEOMETRY_INSIDE;
  return PINN_GEOMETRY_ON;
}

static int ClassifyUnion(PINNGeometry g, const PetscReal x[])
{
  const int ca = g->a->ops->classify(g->a, x), cb = ca == PINN_GEOMETRY_INSIDE ? PINN_GEOMETRY_INSIDE : g->b->ops->classify(g->b, x);

  if (ca == PINN_GEOMETRY_INSIDE || cb == PINN_GEOMETRY_INSIDE) return PINN_GEOMETRY_INSIDE;
  if (ca == PINN_GEOMETRY_OUTSIDE && cb == PINN_GEOMETRY_OUTSIDE) return PINN_GEOMETRY_OUTSIDE;
  return PINN_GEOMETRY_ON;
}

static void NormalCSG(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  const PetscBool diff = (PetscBool)(g->kind == PINN_GEOMETRY_DIFFERENCE);
  const int       ca = g->a->ops->classify(g->a, x), cb = g->b->ops->classify(g->b, x);

  /* on the part of the boundary that comes from a, else from b (flipped for a difference) */
  if (ca == PINN_GEOMETRY_ON && (cb == PINN_GEOMETRY_OUTSIDE || cb == PINN_GEOMETRY_ON))
    g->a->ops->normal(g->a, x, nrm);
  else {
    g->b->ops->normal(g->b, x, nrm);
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
  const PetscBool diff  = (PetscBool)(g->kind == PINN_GEOMETRY_DIFFERENCE);
  const PetscReal p     = g->a->bmeasure / g->bmeasure;
  const PetscBool froma = (PetscBool)(u[0] < p);
  PINNGeometry    child = froma ? g->a : g->b, other = froma ? g->b : g->a;
  PetscBool       ok;
  int             c;

  u[0] = Clamp01(froma ? u[0] / p : (u[0] - p) / (1 - p));
  if (!child->ops->boundary(child, u, x, nrm, tag)) return PETSC_FALSE;
  c = other->ops->classify(other, x);
  if (froma) {
    ok = (PetscBool)(c == PINN_GEOMETRY_OUTSIDE);
    if (c == PINN_GEOMETRY_ON) {
      PetscReal dot;
      other->ops->normal(other, x, g->work);
      dot = Dot(g->dim, nrm, g->work);
      ok  = (PetscBool)(diff ? dot < -0.5 : dot > 0.5);
    }
  } else {
    ok = (PetscBool)(c == (diff ? PINN_GEOMETRY_INSIDE : PINN_GEOMETRY_OUTSIDE));
    if (diff)
      for (PetscInt k = 0; k < g->dim; k++) nrm[k] = -nrm[k];
    *tag += g->a->nparts;
  }
  return ok;
}

static PetscErrorCode PINNGeometryViewTree_Private(PINNGeometry, PetscViewer);

static PetscErrorCode ViewCSG(PINNGeometry g, PetscViewer viewer)
{
  PetscFunctionBegin;
  if (g->kind == PINN_GEOMETRY_DIFFERENCE)
    PetscCall(PetscViewerASCIIPrintf(viewer, "difference: first minus second\n"));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer, "union of\n"));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PINNGeometryViewTree_Private(g->a, viewer));
  PetscCall(PINNGeometryViewTree_Private(g->b, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNGeometryCreateCSG_Private(PINNGeometry a, PINNGeometry b, PINNGeometryKind kind, PINNGeometry *geom)
{
  PINNGeometry g;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(a, PINNGEOMETRY_CLASSID, 1);
  PetscValidHeaderSpecific(b, PINNGEOMETRY_CLASSID, 2);
  PetscValidPointer(geom, 3);
  PetscCheckSameComm(a, 1, b, 2);
  PetscCheck(a->dim == b->dim, PetscObjectComm((PetscObject)a), PETSC_ERR_ARG_INCOMP,
             "Cannot form the %s of a %" PetscInt_FMT "-dimensional %s and a %" PetscInt_FMT "-dimensional %s", GeometryKinds[kind], a->dim,
             GeometryKinds[a->kind], b->dim, GeometryKinds[b->kind]);
  PetscCall(PINNGeometryCreate_Private(PetscObjectComm((PetscObject)a), kind, a->dim, &g));
  PetscCall(PetscObjectReference((PetscObject)a));
  PetscCall(PetscObjectReference((PetscObject)b));
  g->a = a;
  g->b = b;
  PetscCall(PetscMalloc1(a->dim, &g->work));
  for (PetscInt k = 0; k < a->dim; k++) {
    g->lo[k] = kind == PINN_GEOMETRY_UNION ? PetscMin(a->lo[k], b->lo[k]) : a->lo[k];
    g->hi[k] = kind == PINN_GEOMETRY_UNION ? PetscMax(a->hi[k], b->hi[k]) : a->hi[k];
  }
  g->tol            = PetscMax(a->tol, b->tol);
  g->kboundary      = PetscMax(a->kboundary, b->kboundary);
  g->bmeasure       = a->bmeasure + b->bmeasure;
  g->interior_exact = PETSC_FALSE;
  g->boundary_exact = PETSC_FALSE;
  PetscCall(PINNGeometrySetPartNames_Private(g, a->nparts + b->nparts));
  for (PetscInt i = 0; i < a->nparts; i++) PetscCall(PetscStrallocpy(a->names[i], &g->names[i]));
  for (PetscInt i = 0; i < b->nparts; i++) PetscCall(PetscStrallocpy(b->names[i], &g->names[a->nparts + i]));
  g->ops->classify = kind == PINN_GEOMETRY_UNION ? ClassifyUnion : ClassifyDifference;
  g->ops->normal   = NormalCSG;
  g->ops->boundary = BoundaryCSG;
  g->ops->view     = ViewCSG;
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
  PetscCall(PINNGeometryCreateCSG_Private(a, b, PINN_GEOMETRY_DIFFERENCE, geom));
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
  PetscCall(PINNGeometryCreateCSG_Private(a, b, PINN_GEOMETRY_UNION, geom));
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* Space-time                                                                                        */

static int ClassifySpaceTime(PINNGeometry g, const PetscReal x[])
{
  const PetscReal t = x[g->dim - 1], tol = g->tol;
  const int       cs = g->a->ops->classify(g->a, x);
  int             ct;

  if (!(t >= g->t0 - tol && t <= g->t1 + tol))
    ct = PINN_GEOMETRY_OUTSIDE;
  else if (t <= g->t0 + tol || t >= g->t1 - tol)
    ct = PINN_GEOMETRY_ON;
  else
    ct = PINN_GEOMETRY_INSIDE;
  if (cs == PINN_GEOMETRY_OUTSIDE || ct == PINN_GEOMETRY_OUTSIDE) return PINN_GEOMETRY_OUTSIDE;
  if (cs == PINN_GEOMETRY_INSIDE && ct == PINN_GEOMETRY_INSIDE) return PINN_GEOMETRY_INSIDE;
  return PINN_GEOMETRY_ON;
}

static void NormalSpaceTime(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  const PetscInt  ds = g->dim - 1;
  const PetscReal t  = x[ds];

  if (g->a->ops->classify(g->a, x) == PINN_GEOMETRY_ON) {
    g->a->ops->normal(g->a, x, nrm);
    nrm[ds] = 0;
  } else {
    for (PetscInt k = 0; k < ds; k++) nrm[k] = 0;
    nrm[ds] = PetscAbsReal(t - g->t0) <= PetscAbsReal(t - g->t1) ? -1.0 : 1.0;
  }
}

/* lateral boundary: a spatial boundary candidate from u[0..ks) and t = t0 + u[ks] (t1 - t0) */
static PetscBool BoundarySpaceTime(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  const PetscInt  ds = g->dim - 1;
  const PetscReal ut = u[g->a->kboundary];
  PetscBool       ok = g->a->ops->boundary(g->a, u, x, nrm, tag);

  x[ds]   = g->t0 + ut * (g->t1 - g->t0);
  nrm[ds] = 0;
  return ok;
}

static PetscErrorCode DistanceSpaceTime(PINNGeometry g, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[])
{
  const PetscInt D = g->dim, d = D - 1, J = 1 + D + D * D + (order == 3 ? D * D * D : 0), Js = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  PetscReal     *xs, *ps;

  PetscFunctionBegin;
  PetscCheck(g->a->ops->distance, PetscObjectComm((PetscObject)g), PETSC_ERR_SUP,
             "PINNGeometryDistance() is available for boxes, balls and space-time geometries over them, not over a %s", GeometryKinds[g->a->kind]);
  PetscCall(PetscMalloc2(n * d, &xs, n * Js, &ps));
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt k = 0; k < d; k++) xs[p * d + k] = x[p * D + k];
  PetscCall(g->a->ops->distance(g->a, n, xs, order, ps));
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
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "space-time: time (last coordinate) in [%g, %g], space\n", (double)g->t0, (double)g->t1));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PINNGeometryViewTree_Private(g->a, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
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
  PINNGeometry g;
  MPI_Comm     comm;
  PetscInt     ds;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(space, PINNGEOMETRY_CLASSID, 1);
  PetscValidPointer(geom, 4);
  comm = PetscObjectComm((PetscObject)space);
  ds   = space->dim;
  PetscCheck(!PetscIsInfOrNanReal(t0) && !PetscIsInfOrNanReal(t1) && t0 < t1, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Space-time geometry needs finite t0 < t1, got [%g, %g]", (double)t0, (double)t1);
  PetscCheck(space->kind != PINN_GEOMETRY_SPACETIME, comm, PETSC_ERR_ARG_WRONG,
             "The space of a space-time geometry cannot itself be a space-time geometry");
  PetscCall(PINNGeometryCreate_Private(comm, PINN_GEOMETRY_SPACETIME, ds + 1, &g));
  PetscCall(PetscObjectReference((PetscObject)space));
  g->a = space;
  for (PetscInt k = 0; k < ds; k++) {
    g->lo[k] = space->lo[k];
    g->hi[k] = space->hi[k];
  }
  g->lo[ds]         = t0;
  g->hi[ds]         = t1;
  g->t0             = t0;
  g->t1             = t1;
  g->tol            = GEOM_RTOL * (t1 - t0);
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
  *geom            = g;
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* Queries and viewing                                                                               */

static PetscErrorCode PINNGeometryViewTree_Private(PINNGeometry g, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall((*g->ops->view)(g, viewer));
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
  PetscCall(PINNGeometryViewTree_Private(geom, viewer));
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

  Level: beginner
@*/
PetscErrorCode PINNGeometryIsSpaceTime(PINNGeometry geom, PetscBool *flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  *flg = (PetscBool)(geom->kind == PINN_GEOMETRY_SPACETIME);
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
             "PINNGeometryDistance() is available for boxes, balls and space-time geometries over them, not for a %s", GeometryKinds[geom->kind]);
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points %" PetscInt_FMT " must be nonnegative", n);
  PetscCheck(order >= 0 && order <= 3, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Derivative order %" PetscInt_FMT " must be in 0..3", order);
  if (!n) PetscFunctionReturn(0);
  PetscValidRealPointer(x, 3);
  PetscValidRealPointer(phi, 5);
  PetscCall((*geom->ops->distance)(geom, n, x, order, phi));
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------------------------------------ */
/* Sampling                                                                                          */

typedef struct {
  PINNGeometry   g;
  PetscBool      boundary;
  PINNSampleType type;
  uint64_t       seed, stream;
  PetscInt       K, d;
  PetscReal     *u, *x, *nrm; /* GEOM_CHUNK x K, x d, x d */
  PetscInt      *tag;
  PetscBool     *ok;
} Candidates;

/* Candidates j0 .. j0+m-1, m <= GEOM_CHUNK */
static PetscErrorCode CandidatesEvaluate(Candidates *c, uint64_t j0, PetscInt m)
{
  PINNGeometry   g = c->g;
  const PetscInt K = c->K, d = c->d;

  PetscFunctionBegin;
  if (c->type == PINN_SAMPLE_UNIFORM)
    PetscCall(NNRandomUniformArray(c->seed, c->stream, j0 * (uint64_t)K, m * K, c->u));
  else
    PetscCall(PINNQuasiRandom_Private(c->type, K, j0 + 1, m, c->u)); /* point 0 (the origin) is skipped */
  for (PetscInt i = 0; i < m; i++) {
    PetscReal *u = &c->u[i * K], *x = &c->x[i * d];
    if (c->boundary)
      c->ok[i] = g->ops->boundary(g, u, x, &c->nrm[i * d], &c->tag[i]);
    else {
      for (PetscInt k = 0; k < d; k++) x[k] = g->lo[k] + u[k] * (g->hi[k] - g->lo[k]);
      c->ok[i] = (PetscBool)(g->interior_exact || g->ops->classify(g, x) == PINN_GEOMETRY_INSIDE);
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode CandidatesCount(Candidates *c, uint64_t c0, uint64_t c1, PetscInt64 *count)
{
  PetscFunctionBegin;
  *count = 0;
  for (uint64_t j = c0; j < c1; j += GEOM_CHUNK) {
    const PetscInt m = (PetscInt)PetscMin((uint64_t)GEOM_CHUNK, c1 - j);
    PetscCall(CandidatesEvaluate(c, j, m));
    for (PetscInt i = 0; i < m; i++) *count += c->ok[i];
  }
  PetscFunctionReturn(0);
}

/* Find a candidate index start, with `before` accepted candidates ahead of it, such that accepted
   point number lo is at or after start. The ranks count blocks of candidates together: a block is
   split in size pieces, counted in parallel and the counts gathered, until N points are accepted.
   The blocks depend on the rank count, the accepted sequence does not. *c0 and *total return the
   candidates tried and accepted; fewer than N accepted means the candidate limit was reached. */
static PetscErrorCode CandidatesLocate(Candidates *c, MPI_Comm comm, PetscInt N, PetscInt64 lo, uint64_t *start, uint64_t *before, uint64_t *c0,
                                       uint64_t *total)
{
  PetscMPIInt rank, size;
  PetscInt64 *counts, mine;
  uint64_t    limit = 1000000 + 1000 * (uint64_t)N;
  PetscReal   rate  = 0.5;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  if (c->type == PINN_SAMPLE_SOBOL) limit = PetscMin(limit, (UINT64_C(1) << 32) - 1 - GEOM_CHUNK);
  PetscCall(PetscMalloc1(size, &counts));
  *start  = 0;
  *before = 0;
  *c0     = 0;
  *total  = 0;
  while (*total < (uint64_t)N && *c0 < limit) {
    uint64_t B = (uint64_t)((PetscReal)((uint64_t)N - *total) / rate * 1.1) + 16 * (uint64_t)size;

    B = PetscMin(B, limit - *c0);
    PetscCall(CandidatesCount(c, *c0 + B * rank / size, *c0 + B * (rank + 1) / size, &mine));
    PetscCallMPI(MPI_Allgather(&mine, 1, MPIU_INT64, counts, 1, MPIU_INT64, comm));
    for (PetscMPIInt q = 0; q < size; q++) {
      if (*total <= (uint64_t)lo) {
        *start  = *c0 + B * q / size;
        *before = *total;
      }
      *total += (uint64_t)counts[q];
    }
    *c0 += B;
    rate = PetscMax((PetscReal)*total / (PetscReal)*c0, 1e-3);
  }
  PetscCall(PetscFree(counts));
  PetscFunctionReturn(0);
}

/* The first N accepted candidates, this rank's slice floor(N r/size) .. floor(N (r+1)/size) */
static PetscErrorCode PINNGeometrySample_Private(PINNGeometry g, PetscBool boundary, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N,
                                                 PetscInt *n, PetscReal **x, PetscReal **normal, PetscInt **tag)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)g);
  PetscMPIInt rank, size;
  PetscInt    range[2], nloc;
  PetscInt64  lo, hi, cnt;
  uint64_t    start = 0, before = 0, tried = 0, accepted = 0, j;
  Candidates  c;
  PetscBool   exact = boundary ? g->boundary_exact : g->interior_exact;
  PetscReal  *X = NULL, *Nr = NULL;
  PetscInt   *T = NULL;

  PetscFunctionBegin;
  PetscCheck(type >= PINN_SAMPLE_UNIFORM && type <= PINN_SAMPLE_HALTON, comm, PETSC_ERR_ARG_OUTOFRANGE, "Unknown sample type %d", (int)type);
  PetscCheck(N >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points N = %" PetscInt_FMT " must be nonnegative", N);
  range[0] = N;
  range[1] = -N;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, range, 2, MPIU_INT, MPI_MAX, comm));
  PetscCheck(range[0] == -range[1], comm, PETSC_ERR_ARG_INCOMP,
             "The number of points must be the same on all ranks: got %" PetscInt_FMT " to %" PetscInt_FMT, -range[1], range[0]);
  c.K = boundary ? g->kboundary : g->kinterior;
  PetscCheck(type == PINN_SAMPLE_UNIFORM || c.K <= PINN_QUASIRANDOM_MAXDIM, comm, PETSC_ERR_SUP,
             "%s sampling of the %s of this %s needs %" PetscInt_FMT
             "-dimensional points; the sequence is tabulated up to dimension %d (use uniform)",
             PINNSampleTypes[type], boundary ? "boundary" : "interior", GeometryKinds[g->kind], c.K, PINN_QUASIRANDOM_MAXDIM);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  lo   = (PetscInt64)N * rank / size;
  hi   = (PetscInt64)N * (rank + 1) / size;
  nloc = (PetscInt)(hi - lo);

  c.g        = g;
  c.boundary = boundary;
  c.type     = type;
  c.seed     = seed;
  c.stream   = stream;
  c.d        = g->dim;
  PetscCall(PetscMalloc5(GEOM_CHUNK * c.K, &c.u, GEOM_CHUNK * c.d, &c.x, GEOM_CHUNK * c.d, &c.nrm, GEOM_CHUNK, &c.tag, GEOM_CHUNK, &c.ok));
  if (exact) {
    start  = (uint64_t)lo;
    before = (uint64_t)lo;
  } else {
    PetscCall(CandidatesLocate(&c, comm, N, lo, &start, &before, &tried, &accepted));
    if (accepted < (uint64_t)N) PetscCall(PetscFree5(c.u, c.x, c.nrm, c.tag, c.ok));
    PetscCheck(accepted >= (uint64_t)N, comm, PETSC_ERR_ARG_WRONG,
               "Sampling the %s of a %s geometry: only %llu of the first %llu candidates were accepted and %" PetscInt_FMT
               " points are needed; the domain is empty or a tiny part of its bounding box",
               boundary ? "boundary" : "interior", GeometryKinds[g->kind], (unsigned long long)accepted, (unsigned long long)tried, N);
  }
  if (x) PetscCall(PetscMalloc1(nloc * g->dim, &X));
  if (normal) PetscCall(PetscMalloc1(nloc * g->dim, &Nr));
  if (tag) PetscCall(PetscMalloc1(nloc, &T));
  for (cnt = (PetscInt64)before, j = start; nloc > 0 && cnt < hi; j += GEOM_CHUNK) {
    const PetscInt m = exact ? (PetscInt)PetscMin(hi - cnt, GEOM_CHUNK) : GEOM_CHUNK;
    PetscCall(CandidatesEvaluate(&c, j, m));
    for (PetscInt i = 0; i < m && cnt < hi; i++) {
      if (!c.ok[i]) continue;
      if (cnt >= lo) {
        const PetscInt q = (PetscInt)(cnt - lo);
        if (X) PetscCall(PetscArraycpy(&X[q * c.d], &c.x[i * c.d], c.d));
        if (Nr) PetscCall(PetscArraycpy(&Nr[q * c.d], &c.nrm[i * c.d], c.d));
        if (T) T[q] = c.tag[i];
      }
      cnt++;
    }
  }
  PetscCall(PetscFree5(c.u, c.x, c.nrm, c.tag, c.ok));
  if (n) *n = nloc;
  if (x) *x = X;
  if (normal) *normal = Nr;
  if (tag) *tag = T;
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySampleInterior - Draws N points in the interior of the geometry, distributed over its
  communicator.

  Collective

  Input Parameters:
+ geom   - the geometry
. type   - PINN_SAMPLE_UNIFORM (Philox pseudo-random), PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON
. seed   - the seed (uniform only)
. stream - the stream (uniform only); sub-streams 16 stream + 0, 1, 2 are used for interior, boundary and initial points
- N      - the global number of points, the same on every rank; 0 is allowed

  Output Parameters:
+ n - the number of points on this rank, floor(N (r+1)/size) - floor(N r/size)
- x - the points, n x dim point-major, PetscMalloc'ed (free with PetscFree()); NULL when n = 0

  Notes:
  The global point set is the same for any number of ranks. Candidates are drawn uniformly in the
  bounding box (Philox numbers at indices j dim .. j dim + dim - 1, or point j+1 of the dim-dimensional
  Sobol or Halton sequence, which are unscrambled: seed and stream are ignored) and the first N inside
  the open domain are kept, in candidate order; boxes need no rejection. For space-time geometries
  the interior is the open space-time cylinder.

  Level: beginner

.seealso: PINNGeometrySampleBoundary(), PINNGeometrySampleInitial()
@*/
PetscErrorCode PINNGeometrySampleInterior(PINNGeometry geom, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                          PetscReal **x)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCall(PINNGeometrySample_Private(geom, PETSC_FALSE, type, seed, 16 * stream + 0, N, n, x, NULL, NULL));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySampleBoundary - Draws N points on the boundary, uniform in surface measure, with outward
  unit normals and part tags.

  Collective

  Input Parameters:
+ geom   - the geometry
. type   - PINN_SAMPLE_UNIFORM, PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON
. seed   - the seed (uniform only)
. stream - the stream (uniform only)
- N      - the global number of points, the same on every rank; 0 is allowed

  Output Parameters:
+ n      - the number of points on this rank
. x      - the points, n x dim, PetscMalloc'ed, or NULL if not wanted
. normal - outward unit normals, n x dim, PetscMalloc'ed, or NULL (space-time: time component 0)
- tag    - boundary part of each point (see PINNGeometryGetBoundaryParts()), PetscMalloc'ed, or NULL

  Notes:
  A candidate is a point of a parameterization of the boundary by measure using K numbers in [0,1):
  box faces are chosen by area with the first number, rescaled, as the first in-face coordinate (so
  in 2-D the boundary is one arc-length parameter); polygon edges by cumulative length (one number);
  circles by angle; spheres in 3-D by Archimedes' map; balls in higher dimensions by normalized
  Box-Muller vectors; CSG geometries pick an operand by the first number in proportion to the
  measures and reject candidates off the result; space-time adds t. Arrays are NULL when n = 0.

  Level: beginner

.seealso: PINNGeometrySampleInterior(), PINNGeometryGetBoundaryParts()
@*/
PetscErrorCode PINNGeometrySampleBoundary(PINNGeometry geom, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                          PetscReal **x, PetscReal **normal, PetscInt **tag)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCall(PINNGeometrySample_Private(geom, PETSC_TRUE, type, seed, 16 * stream + 1, N, n, x, normal, tag));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySampleInitial - Draws N points of the initial slice space x {t0} of a space-time geometry.

  Collective

  Input Parameters:
+ geom   - a space-time geometry
. type   - PINN_SAMPLE_UNIFORM, PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON
. seed   - the seed (uniform only)
. stream - the stream (uniform only)
- N      - the global number of points; 0 is allowed

  Output Parameters:
+ n - the number of points on this rank
- x - the points, n x dim (the last coordinate is t0), PetscMalloc'ed; NULL when n = 0

  Notes:
  The spatial coordinates are interior points of the space (as PINNGeometrySampleInterior() draws them,
  from a separate uniform sub-stream).

  Level: beginner

.seealso: PINNGeometryCreateSpaceTime(), PINNGeometrySampleInterior()
@*/
PetscErrorCode PINNGeometrySampleInitial(PINNGeometry geom, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                         PetscReal **x)
{
  PetscInt   ns, D;
  PetscReal *xs = NULL, *X = NULL;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCheck(geom->kind == PINN_GEOMETRY_SPACETIME, PetscObjectComm((PetscObject)geom), PETSC_ERR_ARG_WRONG,
             "PINNGeometrySampleInitial() needs a space-time geometry (PINNGeometryCreateSpaceTime()), this one is a %s", GeometryKinds[geom->kind]);
  D = geom->dim;
  PetscCall(PINNGeometrySample_Private(geom->a, PETSC_FALSE, type, seed, 16 * stream + 2, N, &ns, &xs, NULL, NULL));
  if (x) {
    PetscCall(PetscMalloc1(ns * D, &X));
    for (PetscInt p = 0; p < ns; p++) {
      for (PetscInt k = 0; k < D - 1; k++) X[p * D + k] = xs[p * (D - 1) + k];
      X[p * D + D - 1] = geom->t0;
    }
    *x = X;
  }
  PetscCall(PetscFree(xs));
  if (n) *n = ns;
  PetscFunctionReturn(0);
}

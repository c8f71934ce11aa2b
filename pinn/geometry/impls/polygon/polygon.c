/* Simple polygons in 2-D: validation (no self-intersection), membership by crossing number, edge
   normals, boundary points by arc length. */
#include <nnpde/private/geometryimpl.h>
#include <petscviewer.h>
#include <stdio.h>

typedef struct {
  PetscInt   nv;     /* vertices */
  PetscReal *v;      /* 2 nv coordinates, in the given order */
  PetscReal *cumlen; /* nv + 1 cumulative edge lengths */
  PetscReal  orient; /* +1 counter-clockwise, -1 clockwise */
} PINNGeometry_Polygon;

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

static inline const PetscReal *Vertex(const PINNGeometry_Polygon *pg, PetscInt i)
{
  return &pg->v[2 * (i % pg->nv)];
}

static int ClassifyPolygon(PINNGeometry g, const PetscReal x[])
{
  PINNGeometry_Polygon *pg = (PINNGeometry_Polygon *)g->data;
  PetscBool             in = PETSC_FALSE;

  if (PetscIsInfOrNanReal(x[0]) || PetscIsInfOrNanReal(x[1])) return PINN_GEOMETRY_OUTSIDE;
  for (PetscInt e = 0; e < pg->nv; e++)
    if (SegmentDistance(x, Vertex(pg, e), Vertex(pg, e + 1)) <= g->tol) return PINN_GEOMETRY_ON;
  /* crossing number of a ray in +x */
  for (PetscInt e = 0; e < pg->nv; e++) {
    const PetscReal *a = Vertex(pg, e), *b = Vertex(pg, e + 1);
    if ((a[1] > x[1]) != (b[1] > x[1]) && x[0] < a[0] + (b[0] - a[0]) * (x[1] - a[1]) / (b[1] - a[1])) in = (PetscBool)!in;
  }
  return in ? PINN_GEOMETRY_INSIDE : PINN_GEOMETRY_OUTSIDE;
}

static void EdgeNormal(PINNGeometry g, PetscInt e, PetscReal nrm[])
{
  PINNGeometry_Polygon *pg = (PINNGeometry_Polygon *)g->data;
  const PetscReal      *a = Vertex(pg, e), *b = Vertex(pg, e + 1), len = pg->cumlen[e + 1] - pg->cumlen[e];

  nrm[0] = pg->orient * (b[1] - a[1]) / len;
  nrm[1] = -pg->orient * (b[0] - a[0]) / len;
}

static void NormalPolygon(PINNGeometry g, const PetscReal x[], PetscReal nrm[])
{
  PINNGeometry_Polygon *pg    = (PINNGeometry_Polygon *)g->data;
  PetscInt              best  = 0;
  PetscReal             dbest = PETSC_MAX_REAL;

  for (PetscInt e = 0; e < pg->nv; e++) {
    const PetscReal dist = SegmentDistance(x, Vertex(pg, e), Vertex(pg, e + 1));
    if (dist < dbest) dbest = dist, best = e;
  }
  EdgeNormal(g, best, nrm);
}

/* arc length s = u0 L along the edges in the given order */
static PetscBool BoundaryPolygon(PINNGeometry g, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag)
{
  PINNGeometry_Polygon *pg = (PINNGeometry_Polygon *)g->data;
  const PetscReal       s  = u[0] * g->bmeasure;
  PetscInt              lo = 0, hi = pg->nv - 1;
  const PetscReal      *a, *b;
  PetscReal             w;

  while (lo < hi) { /* last edge e with cumlen[e] <= s */
    const PetscInt mid = (lo + hi + 1) / 2;
    if (pg->cumlen[mid] <= s)
      lo = mid;
    else
      hi = mid - 1;
  }
  a    = Vertex(pg, lo);
  b    = Vertex(pg, lo + 1);
  w    = PINNGeometryClamp01_Private((s - pg->cumlen[lo]) / (pg->cumlen[lo + 1] - pg->cumlen[lo]));
  x[0] = a[0] + w * (b[0] - a[0]);
  x[1] = a[1] + w * (b[1] - a[1]);
  EdgeNormal(g, lo, nrm);
  *tag = lo;
  return PETSC_TRUE;
}

static PetscErrorCode ViewPolygon(PINNGeometry g, PetscViewer viewer)
{
  PINNGeometry_Polygon *pg = (PINNGeometry_Polygon *)g->data;
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "polygon, %" PetscInt_FMT " vertices (%s):", pg->nv, pg->orient > 0 ? "counter-clockwise" : "clockwise"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
  for (PetscInt i = 0; i < pg->nv; i++) PetscCall(PetscViewerASCIIPrintf(viewer, " (%g, %g)", (double)pg->v[2 * i], (double)pg->v[2 * i + 1]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
  PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyPolygon(PINNGeometry g)
{
  PINNGeometry_Polygon *pg = (PINNGeometry_Polygon *)g->data;

  PetscFunctionBegin;
  PetscCall(PetscFree2(pg->v, pg->cumlen));
  PetscCall(PetscFree(g->data));
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
  PINNGeometry          g;
  PINNGeometry_Polygon *pg;
  PetscReal             area2 = 0, ext, blo[2], bhi[2];

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
  PetscCall(PINNGeometryCreate_Private(comm, PINNGEOMETRYPOLYGON, 2, &g));
  PetscCall(PetscNew(&pg));
  g->data = pg;
  for (PetscInt k = 0; k < 2; k++) {
    g->lo[k] = blo[k];
    g->hi[k] = bhi[k];
  }
  pg->nv     = nv;
  pg->orient = area2 > 0 ? 1.0 : -1.0;
  PetscCall(PetscMalloc2(2 * nv, &pg->v, nv + 1, &pg->cumlen));
  PetscCall(PetscArraycpy(pg->v, vertices, 2 * nv));
  pg->cumlen[0] = 0;
  for (PetscInt e = 0; e < nv; e++) {
    const PetscReal *a = Vertex(pg, e), *b = Vertex(pg, e + 1);
    pg->cumlen[e + 1] = pg->cumlen[e] + PetscSqrtReal(PetscSqr(b[0] - a[0]) + PetscSqr(b[1] - a[1]));
  }
  g->bmeasure       = pg->cumlen[nv];
  g->tol            = PINN_GEOMETRY_RTOL * ext;
  g->kboundary      = 1;
  g->interior_exact = PETSC_FALSE;
  g->boundary_exact = PETSC_TRUE;
  PetscCall(PINNGeometrySetPartNames_Private(g, nv));
  for (PetscInt e = 0; e < nv; e++) {
    const PetscReal *a = Vertex(pg, e), *b = Vertex(pg, e + 1);
    char             name[128];
    snprintf(name, sizeof(name), "edge %d (%g,%g)-(%g,%g)", (int)e, (double)a[0], (double)a[1], (double)b[0], (double)b[1]);
    PetscCall(PetscStrallocpy(name, &g->names[e]));
  }
  g->ops->classify = ClassifyPolygon;
  g->ops->normal   = NormalPolygon;
  g->ops->boundary = BoundaryPolygon;
  g->ops->view     = ViewPolygon;
  g->ops->destroy  = DestroyPolygon;
  *geom            = g;
  PetscFunctionReturn(0);
}

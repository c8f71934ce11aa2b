/* The box [lo_0, hi_0] x ... x [lo_{d-1}, hi_{d-1}]: membership, normals, boundary parameterization by
   face area, and a product distance function. The box is its own bounding box (g->lo, g->hi). */
#include <nnpde/private/geometryimpl.h>
#include <petscviewer.h>
#include <stdio.h>

typedef struct {
  PetscReal *area; /* area[k]: the area of each of the two faces normal to x_k */
} PINNGeometry_Box;

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
  PINNGeometry_Box *box = (PINNGeometry_Box *)g->data;
  const PetscInt    d   = g->dim;
  PetscReal         s   = u[0] * g->bmeasure, w;
  PetscInt          f = 0, c = 0, k;

  for (f = 0; f < 2 * d - 1; f++) {
    if (s < box->area[f / 2]) break;
    s -= box->area[f / 2];
  }
  k = f / 2;
  w = PINNGeometryClamp01_Private(s / box->area[k]);
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

static PetscErrorCode DestroyBox(PINNGeometry g)
{
  PINNGeometry_Box *box = (PINNGeometry_Box *)g->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(box->area));
  PetscCall(PetscFree(g->data));
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
  PINNGeometry      g;
  PINNGeometry_Box *box;
  PetscReal         ext = 0;

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
  PetscCall(PINNGeometryCreate_Private(comm, PINNGEOMETRYBOX, dim, &g));
  PetscCall(PetscNew(&box));
  g->data = box;
  PetscCall(PetscMalloc1(dim, &box->area));
  for (PetscInt k = 0; k < dim; k++) {
    g->lo[k] = lo[k];
    g->hi[k] = hi[k];
    ext      = PetscMax(ext, hi[k] - lo[k]);
  }
  for (PetscInt k = 0; k < dim; k++) {
    box->area[k] = 1;
    for (PetscInt j = 0; j < dim; j++)
      if (j != k) box->area[k] *= hi[j] - lo[j];
    g->bmeasure += 2 * box->area[k];
  }
  g->tol            = PINN_GEOMETRY_RTOL * ext;
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
  g->ops->destroy  = DestroyBox;
  *geom            = g;
  PetscFunctionReturn(0);
}

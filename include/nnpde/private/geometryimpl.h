/* Private PINNGeometry structure: the generic object (pinn/geometry/geometry.c), one implementation
   per kind of shape (pinn/geometry/impls/<type>/), and the rejection sampling over them
   (sampling/rejection.c). */
#ifndef NNPDE_GEOMETRYIMPL_H
#define NNPDE_GEOMETRYIMPL_H

#include <petsc/private/petscimpl.h>
#include <nnpde/sys.h>
#include <nnpde/geometry.h>

/* Type names of the shape kinds (PetscObject type names of geometries) */
#define PINNGEOMETRYBOX "box"
#define PINNGEOMETRYBALL "ball"
#define PINNGEOMETRYPOLYGON "polygon"
#define PINNGEOMETRYDIFFERENCE "difference"
#define PINNGEOMETRYUNION "union"
#define PINNGEOMETRYSPACETIME "spacetime"

/* Where a point lies relative to a closed domain, with the tolerance of the geometry */
#define PINN_GEOMETRY_INSIDE (-1)
#define PINN_GEOMETRY_ON 0
#define PINN_GEOMETRY_OUTSIDE 1

#define PINN_GEOMETRY_RTOL 1e-12 /* on-boundary tolerance, relative to the size of a primitive */

typedef struct _PINNGeometryOps *PINNGeometryOps;
struct _PINNGeometryOps {
  /* PINN_GEOMETRY_INSIDE (farther than tol inside), _ON (within tol of the boundary) or _OUTSIDE */
  int (*classify)(PINNGeometry, const PetscReal x[]);
  /* outward unit normal at a point that classify() puts on the boundary */
  void (*normal)(PINNGeometry, const PetscReal x[], PetscReal nrm[]);
  /* Boundary candidate from kboundary numbers u in [0,1) (u may be overwritten): point, outward unit
     normal and tag; returns false when the candidate is not on the boundary (CSG) */
  PetscBool (*boundary)(PINNGeometry, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag);
  /* NULL where the kind has no distance function (PINNGeometryDistance() then says so) */
  PetscErrorCode (*distance)(PINNGeometry, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[]);
  /* the kind's line(s) of PINNGeometryView(); CSG and space-time view their operands below */
  PetscErrorCode (*view)(PINNGeometry, PetscViewer);
  /* frees data (and releases operands) */
  PetscErrorCode (*destroy)(PINNGeometry);
};

struct _p_PINNGeometry {
  PETSCHEADER(struct _PINNGeometryOps);
  PetscInt   dim;
  PetscReal *lo, *hi;        /* bounding box (dim) */
  PetscReal  tol;            /* absolute tolerance of classify() */
  PetscInt   kinterior;      /* numbers in [0,1) per interior candidate (= dim) */
  PetscInt   kboundary;      /* numbers in [0,1) per boundary candidate */
  PetscBool  interior_exact; /* every interior candidate is accepted (no rejection) */
  PetscBool  boundary_exact; /* every boundary candidate is accepted */
  PetscReal  bmeasure;       /* measure of the set boundary candidates are drawn from */
  PetscInt   nparts;         /* boundary parts (tags 0..nparts-1) */
  char     **names;
  void      *data; /* the kind's own data (PINNGeometry_Box, ...) */
};

/* pinn/geometry/geometry.c: a geometry of the given type and dimension, its box zeroed, no parts */
PETSC_INTERN PetscErrorCode PINNGeometryCreate_Private(MPI_Comm, const char type[], PetscInt dim, PINNGeometry *);
PETSC_INTERN PetscErrorCode PINNGeometrySetPartNames_Private(PINNGeometry, PetscInt nparts);
/* pinn/geometry/impls/spacetime: the space and time interval of a space-time geometry */
PETSC_INTERN PetscErrorCode PINNGeometrySpaceTimeGetSpace_Private(PINNGeometry, PINNGeometry *space, PetscReal *t0, PetscReal *t1);

#define PINN_GEOMETRY_ONE_MINUS 0x1.fffffffffffffp-1

static inline PetscReal PINNGeometryClamp01_Private(PetscReal u)
{
  return u < 0 ? 0 : (u >= 1 ? PINN_GEOMETRY_ONE_MINUS : u);
}

static inline PetscReal PINNGeometryDot_Private(PetscInt d, const PetscReal a[], const PetscReal b[])
{
  PetscReal s = 0;
  for (PetscInt k = 0; k < d; k++) s += a[k] * b[k];
  return s;
}

#endif

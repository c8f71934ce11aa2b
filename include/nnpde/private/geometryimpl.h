/* Private PINNGeometry structure, shared by pinn/geometry.c and pinn/quasirandom.c (and by samplers
   that need the low-discrepancy sequences). */
#ifndef NNPDE_GEOMETRYIMPL_H
#define NNPDE_GEOMETRYIMPL_H

#include <petsc/private/petscimpl.h>
#include <nnpde/sys.h>
#include <nnpde/geometry.h>

/* Sobol (Joe-Kuo direction numbers) and Halton (first primes) are tabulated up to this dimension */
#define PINN_QUASIRANDOM_MAXDIM 40

typedef enum {
  PINN_GEOMETRY_BOX,
  PINN_GEOMETRY_BALL,
  PINN_GEOMETRY_POLYGON,
  PINN_GEOMETRY_DIFFERENCE,
  PINN_GEOMETRY_UNION,
  PINN_GEOMETRY_SPACETIME
} PINNGeometryKind;

/* Where a point lies relative to a closed domain, with the tolerance of the geometry */
#define PINN_GEOMETRY_INSIDE (-1)
#define PINN_GEOMETRY_ON 0
#define PINN_GEOMETRY_OUTSIDE 1

typedef struct _PINNGeometryOps *PINNGeometryOps;
struct _PINNGeometryOps {
  /* PINN_GEOMETRY_INSIDE (farther than tol inside), _ON (within tol of the boundary) or _OUTSIDE */
  int (*classify)(PINNGeometry, const PetscReal x[]);
  /* outward unit normal at a point that classify() puts on the boundary */
  void (*normal)(PINNGeometry, const PetscReal x[], PetscReal nrm[]);
  /* Boundary candidate from kboundary numbers u in [0,1) (u may be overwritten): point, outward unit
     normal and tag; returns false when the candidate is not on the boundary (CSG) */
  PetscBool (*boundary)(PINNGeometry, PetscReal u[], PetscReal x[], PetscReal nrm[], PetscInt *tag);
  PetscErrorCode (*distance)(PINNGeometry, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[]);
  PetscErrorCode (*view)(PINNGeometry, PetscViewer);
};

struct _p_PINNGeometry {
  PETSCHEADER(struct _PINNGeometryOps);
  PINNGeometryKind kind;
  PetscInt         dim;
  PetscReal       *lo, *hi;        /* bounding box (dim) */
  PetscReal        tol;            /* absolute tolerance of classify() */
  PetscInt         kinterior;      /* numbers in [0,1) per interior candidate (= dim) */
  PetscInt         kboundary;      /* numbers in [0,1) per boundary candidate */
  PetscBool        interior_exact; /* every interior candidate is accepted (no rejection) */
  PetscBool        boundary_exact; /* every boundary candidate is accepted */
  PetscReal        bmeasure;       /* measure of the set boundary candidates are drawn from */
  PetscInt         nparts;         /* boundary parts (tags 0..nparts-1) */
  char           **names;

  /* box: face areas (dim); ball: center (dim) and radius; polygon: nv vertices (2 nv), cumulative
     edge lengths (nv+1), orientation +1 (counter-clockwise) or -1 (clockwise) */
  PetscReal *area;
  PetscReal *center, radius;
  PetscInt   nv;
  PetscReal *v, *cumlen, orient;
  /* CSG operands, or the space of a space-time geometry (in a) */
  PINNGeometry a, b;
  PetscReal    t0, t1;
  PetscReal   *work; /* dim, CSG scratch */
};

/* x[p*dim + k] = coordinate k of point first+p of the Sobol (Gray-code order, index 0 is the origin)
   or Halton (radical inverses of the index, index 0 is the origin) sequence */
PETSC_INTERN PetscErrorCode PINNQuasiRandom_Private(PINNSampleType, PetscInt dim, uint64_t first, PetscInt n, PetscReal x[]);

#endif

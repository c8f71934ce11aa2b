/* PINNGeometry: domains for physics-informed training, with interior and boundary sampling.

   Primitives: n-D box, n-D ball (disk in 2-D), simple polygon (2-D). Constructive solid geometry:
   difference and union of two geometries. Space-time: a spatial geometry times [t0, t1], with time
   as the last coordinate.

   Sampling is deterministic in (seed, stream) and independent of the number of MPI ranks: the
   global point set is the same for any rank count and each rank receives a contiguous slice of
   it (ranks own floor(N r / size) .. floor(N (r+1) / size)). Boundary points come with outward
   unit normals and a tag that says which part of the boundary they lie on (so conditions can be
   set per part); see PINNGeometrySampleBoundary(). */
#ifndef NNPDE_GEOMETRY_H
#define NNPDE_GEOMETRY_H

#include <petscsys.h>
#include <stdint.h>

typedef struct _p_PINNGeometry *PINNGeometry;

PETSC_EXTERN PetscClassId PINNGEOMETRY_CLASSID;

/* The pinn/ layer's package: the PINN and PINNGeometry classes, PINN types and events */
PETSC_EXTERN PetscErrorCode PINNInitializePackage(void);
PETSC_EXTERN PetscErrorCode PINNFinalizePackage(void);

/* How points are drawn: pseudo-random (Philox), or the low-discrepancy Sobol or Halton sequences */
typedef enum { PINN_SAMPLE_UNIFORM, PINN_SAMPLE_SOBOL, PINN_SAMPLE_HALTON } PINNSampleType;
PETSC_EXTERN const char *const PINNSampleTypes[];

PETSC_EXTERN PetscErrorCode PINNGeometryCreateBox(MPI_Comm, PetscInt dim, const PetscReal lo[], const PetscReal hi[], PINNGeometry *);
PETSC_EXTERN PetscErrorCode PINNGeometryCreateBall(MPI_Comm, PetscInt dim, const PetscReal center[], PetscReal radius, PINNGeometry *);
/* vertices: nv (x,y) pairs, counter-clockwise or clockwise; the polygon must be simple */
PETSC_EXTERN PetscErrorCode PINNGeometryCreatePolygon(MPI_Comm, PetscInt nv, const PetscReal vertices[], PINNGeometry *);
/* a minus b, a union b; the result holds references to a and b */
PETSC_EXTERN PetscErrorCode PINNGeometryCreateDifference(PINNGeometry a, PINNGeometry b, PINNGeometry *);
PETSC_EXTERN PetscErrorCode PINNGeometryCreateUnion(PINNGeometry a, PINNGeometry b, PINNGeometry *);
/* space x [t0, t1]; time is the last coordinate */
PETSC_EXTERN PetscErrorCode PINNGeometryCreateSpaceTime(PINNGeometry space, PetscReal t0, PetscReal t1, PINNGeometry *);
PETSC_EXTERN PetscErrorCode PINNGeometryDestroy(PINNGeometry *);
PETSC_EXTERN PetscErrorCode PINNGeometryView(PINNGeometry, PetscViewer);

PETSC_EXTERN PetscErrorCode PINNGeometryGetDimension(PINNGeometry, PetscInt *);
PETSC_EXTERN PetscErrorCode PINNGeometryIsSpaceTime(PINNGeometry, PetscBool *);
PETSC_EXTERN PetscErrorCode PINNGeometryGetBoundingBox(PINNGeometry, PetscReal lo[], PetscReal hi[]);
/* Number of boundary parts (tags run 0 .. nparts-1) and a short name for each, e.g. "x=0" */
PETSC_EXTERN PetscErrorCode PINNGeometryGetBoundaryParts(PINNGeometry, PetscInt *nparts, const char *const *names[]);
/* inside[p] = point p lies in the closed domain */
PETSC_EXTERN PetscErrorCode PINNGeometryContains(PINNGeometry, PetscInt n, const PetscReal x[], PetscBool inside[]);

/* Interior points: N global points; *n and *x (PetscMalloc'ed, n x dim point-major) are this
   rank's slice. For space-time geometries the interior is the open space-time cylinder. */
PETSC_EXTERN PetscErrorCode PINNGeometrySampleInterior(PINNGeometry, PINNSampleType, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                                       PetscReal **x);
/* Boundary points, uniform in surface measure over the whole boundary (for space-time: the
   lateral boundary, spatial boundary x [t0,t1]). normal and tag are PetscMalloc'ed too (normal:
   n x dim; for space-time the time component is 0); any of the outputs may be NULL. */
PETSC_EXTERN PetscErrorCode PINNGeometrySampleBoundary(PINNGeometry, PINNSampleType, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                                       PetscReal **x, PetscReal **normal, PetscInt **tag);
/* Space-time only: points of the initial slice, space x {t0} */
PETSC_EXTERN PetscErrorCode PINNGeometrySampleInitial(PINNGeometry, PINNSampleType, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                                      PetscReal **x);

/* A smooth function phi >= 0 that vanishes exactly on the boundary and is positive inside, with
   derivatives up to `order` (<= 3) in the layout of NNOutputTransformFn (include/nnpde/nn.h):
   phi[p*J + t], t = 0 value, 1+i, 1+d+i*d+j, 1+d+d*d+(i*d+j)*d+k, J = 1 + d + d^2 (+ d^3).
   For hard Dirichlet conditions u = g + phi N. Available for boxes, balls and space-time
   geometries over them (vanishing on the lateral boundary; for an initial condition multiply by
   (t - t0) yourself); other geometries give PETSC_ERR_SUP. */
PETSC_EXTERN PetscErrorCode PINNGeometryDistance(PINNGeometry, PetscInt n, const PetscReal x[], PetscInt order, PetscReal phi[]);

#endif

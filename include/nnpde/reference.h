/* Reference solvers used to validate PINNs: second-order finite differences on a DMDA.

   ReferencePoisson2d() solves  -lap u + k u = f  in a domain inside the box [lo,hi] (2-D),
   u = g on its boundary, with the 5-point stencil on an nx x ny grid of nodes. The domain is given
   by a closed-domain test (PINNGeometryContains() has the right meaning). A node is an unknown when
   it is not on the box boundary and the test holds at the node and at its eight grid neighbours;
   every other node is a Dirichlet node (identity row, value g). For a domain that is a union of
   grid cells (boundary on grid lines, e.g. the L-shape [-1,1]^2 minus (0,1]^2 with an even number
   of cells per side) the Dirichlet nodes are exactly the nodes on or outside the boundary and the
   geometry is exact; a curved boundary is represented to O(h) (staircase).

   The system is symmetric positive definite for k >= 0 (Dirichlet neighbours move to the
   right-hand side) and is solved with KSPCG + PCGAMG, rtol 1e-12, under the options prefix
   "ref_" (-ref_ksp_type, -ref_pc_type hypre, -ref_ksp_max_it, -ref_ksp_monitor, ...). A solve
   that does not converge is an error (PETSC_ERR_NOT_CONVERGED). */
#ifndef NNPDE_REFERENCE_H
#define NNPDE_REFERENCE_H

#include <petscdmda.h>

/* inside[p] = point (x[2p], x[2p+1]) lies in the closed domain */
typedef PetscErrorCode (*ReferenceInsideFn)(void *ctx, PetscInt n, const PetscReal x[], PetscBool inside[]);
/* v[p] = the function (f or g) at point (x[2p], x[2p+1]) */
typedef PetscErrorCode (*ReferencePointFn)(void *ctx, PetscInt n, const PetscReal x[], PetscReal v[]);

/* inside NULL: the whole box; f or g NULL: zero. Returns a new DMDA (with uniform coordinates on
   [lo,hi]) and the solution, a global Vec of it; destroy both. Collective. */
PETSC_EXTERN PetscErrorCode ReferencePoisson2d(MPI_Comm, const PetscReal lo[2], const PetscReal hi[2], PetscInt nx, PetscInt ny, PetscReal k,
                                               ReferenceInsideFn inside, void *ictx, ReferencePointFn f, void *fctx, ReferencePointFn g, void *gctx,
                                               DM *da, Vec *u);
/* Bilinear interpolation of a nodal field on a 2-D, 1-dof DMDA with uniform coordinates at n points
   of this rank (any rank's patch). Exact at grid nodes. Collective; n may differ between ranks. */
PETSC_EXTERN PetscErrorCode ReferenceInterpolate2d(DM da, Vec u, PetscInt n, const PetscReal x[], PetscReal values[]);

/* ---- 1-D periodic space-time references on [0, 2 pi) x {t_0, ..., t_{nt-1}} (reference_convection.c,
   reference_burgers.c, reference_colehopf.c), for the Lagrangian and Eulerian PINNs of issue 11.

   Output: a Vec of global size nt * nx, time-major (entry j * nx + i is u(x_i, t_j)), block size nx, each
   rank owning whole time slices (PETSc's default split of the nt slices), so that VecView to HDF5 writes
   an nt x nx dataset. The x grid is x_i = 2 pi i / nx (endpoint excluded) unless an array is passed. */

/* u0[p] = the initial condition at x[p], p < n (1-D points) */
typedef PetscErrorCode (*ReferenceInitialFn)(void *ctx, PetscInt n, const PetscReal x[], PetscReal u0[]);

PETSC_EXTERN PetscErrorCode ReferenceSpaceTimeVecCreate1d(MPI_Comm, PetscInt nx, PetscInt nt, Vec *u);
PETSC_EXTERN PetscErrorCode ReferenceConvectionDiffusion1d(MPI_Comm, PetscReal c, PetscReal nu, ReferenceInitialFn u0, void *ctx, PetscInt nmodes,
                                                           PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[], Vec *u);
PETSC_EXTERN PetscErrorCode ReferenceBurgersColeHopf1d(MPI_Comm, PetscReal nu, PetscReal C, PetscInt nx, const PetscReal x[], PetscInt nt,
                                                       const PetscReal t[], Vec *u);
PETSC_EXTERN PetscErrorCode ReferenceBurgers1d(MPI_Comm, PetscReal nu, ReferenceInitialFn u0, void *ctx, PetscInt nx, PetscInt nt,
                                               const PetscReal t[], Vec *u);
/* nu[p] = the viscosity nu(x[p]) >= 0 at the n 1-D points x */
typedef PetscErrorCode (*ReferenceViscosityFn)(void *ctx, PetscInt n, const PetscReal x[], PetscReal nu[]);
/* u_t + u u_x = nu(x) u_xx (non-conservative diffusion; ReferenceBurgers1d() is the constant case) */
PETSC_EXTERN PetscErrorCode ReferenceBurgersViscosity1d(MPI_Comm, ReferenceViscosityFn nu, void *nuctx, ReferenceInitialFn u0, void *ctx, PetscInt nx,
                                                        PetscInt nt, const PetscReal t[], Vec *u);

#endif

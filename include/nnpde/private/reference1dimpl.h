/* Internals shared by the 1-D periodic space-time references (solvers/reference_*.c) */
#ifndef NNPDE_REFERENCE1DIMPL_H
#define NNPDE_REFERENCE1DIMPL_H

#include <nnpde/reference.h>

/* nu finite and >= 0, nx and nt positive, t non-NULL with finite times >= 0 */
PETSC_INTERN PetscErrorCode Reference1dCheckInput(MPI_Comm, PetscReal nu, PetscInt nx, PetscInt nt, const PetscReal t[]);
/* v = u0(x) at n points on this rank, an error naming the point when a value is not finite */
PETSC_INTERN PetscErrorCode Reference1dEvaluateInitial(MPI_Comm, ReferenceInitialFn u0, void *ctx, PetscInt n, const PetscReal x[], PetscReal v[]);

#endif

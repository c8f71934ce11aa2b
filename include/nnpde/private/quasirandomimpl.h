/* Low-discrepancy sequences of the sampling/ layer (sampling/quasirandom.c), used by the
   rejection sampling of geometries (sampling/rejection.c) for the sobol and halton samplers. */
#ifndef NNPDE_QUASIRANDOMIMPL_H
#define NNPDE_QUASIRANDOMIMPL_H

#include <nnpde/geometry.h>

/* Sobol (Joe-Kuo direction numbers) and Halton (first primes) are tabulated up to this dimension */
#define PINN_QUASIRANDOM_MAXDIM 40

/* x[p*dim + k] = coordinate k of point first+p of the Sobol (Gray-code order, index 0 is the origin)
   or Halton (radical inverses of the index, index 0 is the origin) sequence */
PETSC_INTERN PetscErrorCode PINNQuasiRandom_Private(PINNSampleType, PetscInt dim, uint64_t first, PetscInt n, PetscReal x[]);

#endif

/* Collocation-point samplers (sampling/). The PINNSampler object comes with the sampling issue;
   for now the layer has its package entry points only. */
#ifndef NNPDE_SAMPLER_H
#define NNPDE_SAMPLER_H

#include <petscsys.h>

PETSC_EXTERN PetscErrorCode PINNSamplerInitializePackage(void);
PETSC_EXTERN PetscErrorCode PINNSamplerFinalizePackage(void);

#endif

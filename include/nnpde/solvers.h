/* The solvers/ layer's package: KSPDCDM, PCDCDM and the solvers' log events (DCDM, reference
   solutions). */
#ifndef NNPDE_SOLVERS_H
#define NNPDE_SOLVERS_H

#include <petscsys.h>

PETSC_EXTERN PetscErrorCode NNPDESolversInitializePackage(void);
PETSC_EXTERN PetscErrorCode NNPDESolversFinalizePackage(void);

/* Log events, valid after NNPDESolversInitializePackage() */
PETSC_EXTERN PetscLogEvent NN_ReferenceSolve, NN_ReferenceInterpolate;

#endif

/* Package-level entry points: initialization, version, logging events. */
#ifndef NNPDE_SYS_H
#define NNPDE_SYS_H

#include <petscsys.h>

#define NNPDE_VERSION_MAJOR 0
#define NNPDE_VERSION_MINOR 1
#define NNPDE_VERSION_PATCH 0
#define NNPDE_VERSION_STRING "0.1.0"

PETSC_EXTERN PetscErrorCode NNPDEInitializePackage(void);
PETSC_EXTERN PetscErrorCode NNPDEFinalizePackage(void);
PETSC_EXTERN PetscErrorCode PetscDLLibraryRegister_nnpde(void);

/* Log events of the nn/ layer, valid after NNInitializePackage() */
PETSC_EXTERN PetscLogEvent NN_Forward, NN_Backward, NN_ForwardBackward, NN_SetUp, NN_CheckpointWrite, NN_CheckpointRead, TAO_AdamStep;

#endif

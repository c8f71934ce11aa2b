/* KSPDCDM: the deep conjugate direction method (Kaneda et al., ICML 2023) as a PETSc KSP type, "dcdm";
   PCDCDM: its network as a PETSc PC type, "dcdm".

   Each iteration takes a search direction q = f(r/||r||), A-orthogonalizes it against the last k directions
   (classical Gram-Schmidt, one reduction for the window), does the exact line search alpha = q'r / q'Aq,
   x += alpha q, and recomputes r = b - Ax (or updates it by recurrence). f is a network (the DCDM CNN), the
   KSP's preconditioner, the identity (steepest descent with orthogonalization) or a user function.

   The network's weights: -ksp_dcdm_model / -pc_dcdm_model file.h5 (an nnpde checkpoint with a cnn3d network named
   "dcdm"), else the file named by the environment variable NNPDE_DCDM_MODEL, else the shipped K = 64 weights
   dcdm_k64.h5 (installed in <prefix>/share/nnpde/, or in the source tree's data/).

   Registered by NNPDESolversInitializePackage() (called by NNPDEInitializePackage()) and through -dll_append /path/libnnpde.so. */
#ifndef NNPDE_DCDM_H
#define NNPDE_DCDM_H

#include <petscksp.h>

#define KSPDCDM "dcdm"

/* Where the search direction comes from */
typedef enum {
  KSP_DCDM_DIRECTION_RESIDUAL, /* q = r: steepest descent with orthogonalization */
  KSP_DCDM_DIRECTION_PC,       /* q = PCApply(r): the KSP's preconditioner (any PETSc PC) */
  KSP_DCDM_DIRECTION_NETWORK,  /* q = CNN(r/||r||), weights from -ksp_dcdm_model (the default) */
  KSP_DCDM_DIRECTION_USER      /* q = user function set with KSPDCDMSetApply() */
} KSPDCDMDirection;
PETSC_EXTERN const char *const KSPDCDMDirections[];

/* q = f(r): r is the unit-norm residual (do not modify it), q is to be filled */
typedef PetscErrorCode (*KSPDCDMApplyFn)(KSP, Vec r, Vec q, void *ctx);

PETSC_EXTERN PetscErrorCode KSPCreate_DCDM(KSP);
PETSC_EXTERN PetscErrorCode KSPDCDMSetWindow(KSP, PetscInt);
PETSC_EXTERN PetscErrorCode KSPDCDMGetWindow(KSP, PetscInt *);
PETSC_EXTERN PetscErrorCode KSPDCDMSetTrueResidual(KSP, PetscBool);
PETSC_EXTERN PetscErrorCode KSPDCDMSetDirection(KSP, KSPDCDMDirection);
PETSC_EXTERN PetscErrorCode KSPDCDMGetDirection(KSP, KSPDCDMDirection *);
PETSC_EXTERN PetscErrorCode KSPDCDMSetModel(KSP, const char[]);
PETSC_EXTERN PetscErrorCode KSPDCDMSetModelLayers(KSP, PetscInt);
PETSC_EXTERN PetscErrorCode KSPDCDMSetApply(KSP, KSPDCDMApplyFn, void *);
PETSC_EXTERN PetscErrorCode KSPDCDMGetBreakdownCount(KSP, PetscInt *, PetscInt *);
PETSC_EXTERN PetscErrorCode KSPDCDMSetSafeguard(KSP, PetscBool);
PETSC_EXTERN PetscErrorCode KSPDCDMSetGuard(KSP, PetscReal, PetscInt);
PETSC_EXTERN PetscErrorCode KSPDCDMGetGuardCount(KSP, PetscInt *, PetscInt *, PetscInt *);
PETSC_EXTERN PetscErrorCode KSPDCDMSetCoarse(KSP, PetscInt, PetscReal);
PETSC_EXTERN PetscErrorCode KSPDCDMGetCoarseKSP(KSP, KSP *);

PETSC_EXTERN PetscLogEvent KSP_DCDMApply;

/* PCDCDM: z = (q'r/q'Aq) q, q = f(r/||r||) with f the DCDM network (z = 0 for r = 0; -pc_dcdm_scale 0: z = ||r|| q).
   Nonlinear: use it with a flexible Krylov method, e.g. -ksp_type fcg -ksp_fcg_mmax 2 -ksp_fcg_truncation_type standard
   (DCDM with the recurrence residual) or -ksp_type fgmres. The grid: the PC's DMDA, else the Pmat's. */
#define PCDCDM "dcdm"

PETSC_EXTERN PetscErrorCode PCCreate_DCDM(PC);
PETSC_EXTERN PetscErrorCode PCDCDMSetModel(PC, const char[]);
PETSC_EXTERN PetscErrorCode PCDCDMSetModelLayers(PC, PetscInt);
PETSC_EXTERN PetscErrorCode PCDCDMSetScale(PC, PetscBool);

#endif

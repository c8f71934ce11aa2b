/* The solvers/ layer's package: the KSP type dcdm, the PC type dcdm and the solvers' log events. It
   initializes the nn/ layer its networks come from first. (The NN type cnn3d, whose source is in
   nn/impls/cnn3d/, is registered by NNInitializePackage(): it is an NN type.) */
#include <nnpde/solvers.h>
#include <nnpde/dcdm.h>
#include <nnpde/nn.h>
#include <petscdm.h>

PetscLogEvent NN_ReferenceSolve, NN_ReferenceInterpolate;

static PetscBool NNPDESolversPackageInitialized = PETSC_FALSE;

/*@C
  NNPDESolversFinalizePackage - Frees what NNPDESolversInitializePackage() registered; called by
  PetscFinalize().

  Level: developer

.seealso: `NNPDESolversInitializePackage()`
@*/
PetscErrorCode NNPDESolversFinalizePackage(void)
{
  PetscFunctionBegin;
  NNPDESolversPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  NNPDESolversInitializePackage - Registers the KSP type dcdm (KSPDCDM), the PC type dcdm (PCDCDM)
  and the solvers' log events, after the nn/ layer (NNInitializePackage()). Called lazily by the
  solvers' constructors; safe to call more than once.

  Level: developer

.seealso: `NNPDESolversFinalizePackage()`, `NNPDEInitializePackage()`
@*/
PetscErrorCode NNPDESolversInitializePackage(void)
{
  PetscFunctionBegin;
  if (NNPDESolversPackageInitialized) PetscFunctionReturn(0);
  NNPDESolversPackageInitialized = PETSC_TRUE;
  PetscCall(NNInitializePackage());
  PetscCall(DMInitializePackage());
  PetscCall(KSPInitializePackage());
  PetscCall(KSPRegister(KSPDCDM, KSPCreate_DCDM));
  PetscCall(PCRegister(PCDCDM, PCCreate_DCDM));
  PetscCall(PetscLogEventRegister("KSPDCDMApply", KSP_CLASSID, &KSP_DCDMApply));
  PetscCall(PetscLogEventRegister("NNRefPoisson", KSP_CLASSID, &NN_ReferenceSolve));
  PetscCall(PetscLogEventRegister("NNRefInterp", DM_CLASSID, &NN_ReferenceInterpolate));
  PetscCall(PetscRegisterFinalize(NNPDESolversFinalizePackage));
  PetscFunctionReturn(0);
}

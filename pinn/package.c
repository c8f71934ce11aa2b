/* The pinn/ layer's package: the PINN and PINNGeometry classes, the PINN types and the PINN events.
   It initializes the nn/ layer it is built on first. */
#include <nnpde/private/pinnimpl.h>

PetscClassId      PINN_CLASSID;
PetscFunctionList PINNList = NULL;
PetscLogEvent     PINN_Loss, PINN_Draw;

static PetscBool PINNPackageInitialized = PETSC_FALSE;

/*@C
  PINNFinalizePackage - Frees what PINNInitializePackage() registered; called by PetscFinalize().

  Level: developer

.seealso: `PINNInitializePackage()`
@*/
PetscErrorCode PINNFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&PINNList));
  PINNPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  PINNInitializePackage - Registers the PINN and PINNGeometry classes, the PINN types (eulerian, lagrangian)
  and the PINN log events, after the nn/ layer (NNInitializePackage()). Called lazily by
  PINNCreate() and the geometry constructors; safe to call more than once.

  Level: developer

.seealso: `PINNFinalizePackage()`, `NNPDEInitializePackage()`
@*/
PetscErrorCode PINNInitializePackage(void)
{
  PetscFunctionBegin;
  if (PINNPackageInitialized) PetscFunctionReturn(0);
  PINNPackageInitialized = PETSC_TRUE;
  PetscCall(NNInitializePackage());
  PetscCall(PetscClassIdRegister("PINN geometry", &PINNGEOMETRY_CLASSID));
  PetscCall(PetscClassIdRegister("PINN", &PINN_CLASSID));
  PetscCall(PetscLogEventRegister("PINNLoss", PINN_CLASSID, &PINN_Loss));
  PetscCall(PetscLogEventRegister("PINNDrawPoints", PINN_CLASSID, &PINN_Draw));
  PetscCall(PINNRegister(PINNEULERIAN, PINNCreate_Eulerian));
  PetscCall(PINNRegister(PINNLAGRANGIAN, PINNCreate_Lagrangian));
  PetscCall(PetscRegisterFinalize(PINNFinalizePackage));
  PetscFunctionReturn(0);
}

/* The library's package: NNPDEInitializePackage() initializes every layer bottom-up (nn/, pinn/,
   sampling/, solvers/), and PetscDLLibraryRegister_nnpde() is the -dll_append entry point. Each
   layer registers its own classes, types and events and never calls the layers above it. */
#include <nnpde/sys.h>
#include <nnpde/nn.h>
#include <nnpde/pinn.h>
#include <nnpde/sampler.h>
#include <nnpde/solvers.h>

static PetscBool NNPDEPackageInitialized = PETSC_FALSE;

/*@C
  NNPDEFinalizePackage - Resets NNPDEInitializePackage(); called by PetscFinalize(). Each layer
  frees what it registered in its own finalizer.

  Level: developer

.seealso: `NNPDEInitializePackage()`
@*/
PetscErrorCode NNPDEFinalizePackage(void)
{
  PetscFunctionBegin;
  NNPDEPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  NNPDEInitializePackage - Registers all of nnpde's classes, types and log events: calls
  NNInitializePackage(), PINNInitializePackage(), PINNSamplerInitializePackage() and
  NNPDESolversInitializePackage(), in that order. Safe to call more than once.

  Level: developer

.seealso: `NNPDEFinalizePackage()`, `PetscDLLibraryRegister_nnpde()`
@*/
PetscErrorCode NNPDEInitializePackage(void)
{
  PetscFunctionBegin;
  if (NNPDEPackageInitialized) PetscFunctionReturn(0);
  NNPDEPackageInitialized = PETSC_TRUE;
  PetscCall(NNInitializePackage());
  PetscCall(PINNInitializePackage());
  PetscCall(PINNSamplerInitializePackage());
  PetscCall(NNPDESolversInitializePackage());
  PetscCall(PetscRegisterFinalize(NNPDEFinalizePackage));
  PetscFunctionReturn(0);
}

/*@C
  PetscDLLibraryRegister_nnpde - Entry point that PETSc calls when a program is run with
  -dll_append /path/to/libnnpde.so, so that our types (TAO "adam", KSP "dcdm", PC "dcdm") are usable in
  programs that were not linked against nnpde.

  Level: developer
@*/
PETSC_EXTERN PetscErrorCode PetscDLLibraryRegister_nnpde(void)
{
  PetscFunctionBegin;
  PetscCall(NNPDEInitializePackage());
  PetscFunctionReturn(0);
}

/* The sampling/ layer's package. It registers nothing of its own yet (the samplers still live in
   pinn/); it initializes the layer it is built on, pinn/, so that its place in the bottom-up order
   of NNPDEInitializePackage() is fixed before the PINNSampler class arrives. */
#include <nnpde/sampler.h>
#include <nnpde/pinn.h>

static PetscBool PINNSamplerPackageInitialized = PETSC_FALSE;

/*@C
  PINNSamplerFinalizePackage - Frees what PINNSamplerInitializePackage() registered; called by
  PetscFinalize().

  Level: developer

.seealso: `PINNSamplerInitializePackage()`
@*/
PetscErrorCode PINNSamplerFinalizePackage(void)
{
  PetscFunctionBegin;
  PINNSamplerPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  PINNSamplerInitializePackage - Registers the sampling layer's classes, types and events, after
  the pinn/ layer (PINNInitializePackage()). Safe to call more than once.

  Level: developer

.seealso: `PINNSamplerFinalizePackage()`, `NNPDEInitializePackage()`
@*/
PetscErrorCode PINNSamplerInitializePackage(void)
{
  PetscFunctionBegin;
  if (PINNSamplerPackageInitialized) PetscFunctionReturn(0);
  PINNSamplerPackageInitialized = PETSC_TRUE;
  PetscCall(PINNInitializePackage());
  PetscCall(PetscRegisterFinalize(PINNSamplerFinalizePackage));
  PetscFunctionReturn(0);
}

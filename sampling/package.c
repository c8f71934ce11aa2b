/* The sampling/ layer's package: the PINNSampler class and its types, registered after the layer
   it is built on, pinn/. */
#include <nnpde/private/samplerflowimpl.h>

PetscClassId      PINNSAMPLER_CLASSID;
PetscFunctionList PINNSamplerList               = NULL;
static PetscBool  PINNSamplerPackageInitialized = PETSC_FALSE;

/*@C
  PINNSamplerFinalizePackage - Frees what PINNSamplerInitializePackage() registered; called by
  PetscFinalize().

  Level: developer

.seealso: `PINNSamplerInitializePackage()`
@*/
PetscErrorCode PINNSamplerFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&PINNSamplerList));
  PINNSamplerPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  PINNSamplerInitializePackage - Registers the PINNSampler class and its types (uniform, sobol,
  halton, shell, rad, rard, rarg, das, aas), after the pinn/ layer (PINNInitializePackage()). Safe to call more than once.

  Level: developer

.seealso: `PINNSamplerFinalizePackage()`, `NNPDEInitializePackage()`
@*/
PetscErrorCode PINNSamplerInitializePackage(void)
{
  PetscFunctionBegin;
  if (PINNSamplerPackageInitialized) PetscFunctionReturn(0);
  PINNSamplerPackageInitialized = PETSC_TRUE;
  PetscCall(PINNInitializePackage());
  PetscCall(PetscClassIdRegister("PINN sampler", &PINNSAMPLER_CLASSID));
  PetscCall(PINNSamplerRegister(PINNSAMPLERUNIFORM, PINNSamplerCreate_Uniform));
  PetscCall(PINNSamplerRegister(PINNSAMPLERSOBOL, PINNSamplerCreate_Sobol));
  PetscCall(PINNSamplerRegister(PINNSAMPLERHALTON, PINNSamplerCreate_Halton));
  PetscCall(PINNSamplerRegister(PINNSAMPLERSHELL, PINNSamplerCreate_Shell));
  PetscCall(PINNSamplerRegister(PINNSAMPLERRAD, PINNSamplerCreate_RAD));
  PetscCall(PINNSamplerRegister(PINNSAMPLERRARD, PINNSamplerCreate_RARD));
  PetscCall(PINNSamplerRegister(PINNSAMPLERRARG, PINNSamplerCreate_RARG));
  PetscCall(PINNSamplerRegister(PINNSAMPLERDAS, PINNSamplerCreate_DAS));
  PetscCall(PINNSamplerRegister(PINNSAMPLERAAS, PINNSamplerCreate_AAS));
  PetscCall(PetscRegisterFinalize(PINNSamplerFinalizePackage));
  PetscFunctionReturn(0);
}

/* Sobol points through the geometry's rejection sampling (sequences in sampling/quasirandom.c) */
#include <nnpde/private/samplerimpl.h>

/*MC
  PINNSAMPLERSOBOL - "sobol": the uniform sampler's rejection sampling driven by a Sobol sequence
  instead of pseudo-random numbers: lower-discrepancy point sets.

  Level: beginner

.seealso: `PINNSAMPLERUNIFORM`, `PINNSAMPLERHALTON`
M*/

/*@C
  PINNSamplerCreate_Sobol - The constructor of the sobol type (PINNSAMPLERSOBOL):
  fills the ops table and sets the sample type; called by
  PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERSOBOL`, `PINNSamplerSetType()`, `PINNSamplerRegister()`
@*/
PetscErrorCode PINNSamplerCreate_Sobol(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Uniform(s));
  s->qtype = PINN_SAMPLE_SOBOL;
  PetscFunctionReturn(0);
}

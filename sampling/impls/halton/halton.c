/* Halton points through the geometry's rejection sampling (sequences in sampling/quasirandom.c) */
#include <nnpde/private/samplerimpl.h>

/*MC
  PINNSAMPLERHALTON - "halton": the uniform sampler's rejection sampling driven by a Halton
  sequence instead of pseudo-random numbers: lower-discrepancy point sets.

  Level: beginner

.seealso: `PINNSAMPLERUNIFORM`, `PINNSAMPLERSOBOL`
M*/

/*@C
  PINNSamplerCreate_Halton - The constructor of the halton type (PINNSAMPLERHALTON):
  fills the ops table and sets the sample type; called by
  PINNSamplerSetType(), registered by PINNSamplerInitializePackage().

  Collective

  Input Parameter:
. s - the sampler

  Level: developer

.seealso: `PINNSAMPLERHALTON`, `PINNSamplerSetType()`, `PINNSamplerRegister()`
@*/
PetscErrorCode PINNSamplerCreate_Halton(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Uniform(s));
  s->qtype = PINN_SAMPLE_HALTON;
  PetscFunctionReturn(0);
}

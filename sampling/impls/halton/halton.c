/* Halton points through the geometry's rejection sampling (sequences in pinn/quasirandom.c) */
#include <nnpde/private/samplerimpl.h>

/*MC
  PINNSAMPLERHALTON - "halton": the uniform sampler's rejection sampling driven by a Halton
  sequence instead of pseudo-random numbers: lower-discrepancy point sets.

  Level: beginner

.seealso: `PINNSAMPLERUNIFORM`, `PINNSAMPLERSOBOL`
M*/
PetscErrorCode PINNSamplerCreate_Halton(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Uniform(s));
  s->qtype = PINN_SAMPLE_HALTON;
  PetscFunctionReturn(0);
}

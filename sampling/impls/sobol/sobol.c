/* Sobol points through the geometry's rejection sampling (sequences in pinn/quasirandom.c) */
#include <nnpde/private/samplerimpl.h>

/*MC
  PINNSAMPLERSOBOL - "sobol": the uniform sampler's rejection sampling driven by a Sobol sequence
  instead of pseudo-random numbers: lower-discrepancy point sets.

  Level: beginner

.seealso: `PINNSAMPLERUNIFORM`, `PINNSAMPLERHALTON`
M*/
PetscErrorCode PINNSamplerCreate_Sobol(PINNSampler s)
{
  PetscFunctionBegin;
  PetscCall(PINNSamplerCreate_Uniform(s));
  s->qtype = PINN_SAMPLE_SOBOL;
  PetscFunctionReturn(0);
}

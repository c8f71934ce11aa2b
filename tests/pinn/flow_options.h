/* The small flow the flow-sampler tests use (few steps, a tiny KRnet), with a sampler type and the
   type's own options: set or clear them in the global options database. Shared by
   flow_sampler_check.h (test_pinn_das.c, test_pinn_aas.c) and test_pinn_aas_fresh.c. */
#ifndef NNPDE_TEST_FLOW_OPTIONS_H
#define NNPDE_TEST_FLOW_OPTIONS_H

#include <nnpde.h>

/* set (or clear) the NULL-terminated name/value pairs o */
static PetscErrorCode SetOptionPairs(const char *o[], PetscBool set)
{
  PetscFunctionBegin;
  for (; o && *o; o += 2) {
    if (set)
      PetscCall(PetscOptionsSetValue(NULL, o[0], o[1]));
    else
      PetscCall(PetscOptionsClearValue(NULL, o[0]));
  }
  PetscFunctionReturn(0);
}

/* the small flow every run uses, plus the sampler type and its own options */
static PetscErrorCode SetOptions(const char type[], const char *extra[], PetscBool set)
{
  const char *base[] = {"-pinn_sampler_type",
                        type,
                        "-pinn_sampler_flow_steps",
                        "8",
                        "-pinn_sampler_flow_nn_krnet_depth",
                        "2",
                        "-pinn_sampler_flow_nn_krnet_width",
                        "8",
                        "-pinn_sampler_flow_nn_krnet_bins",
                        "8",
                        "-pinn_sampler_flow_tao_adam_lr",
                        "1e-2",
                        NULL};

  PetscFunctionBegin;
  PetscCall(SetOptionPairs(base, set));
  PetscCall(SetOptionPairs(extra, set));
  PetscFunctionReturn(0);
}

#endif

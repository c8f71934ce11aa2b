/* The aas sampler, both estimators: (1) the same interior points, flow parameters and loss on all
   ranks as on each rank alone over 3 stages, and on an annulus (flow draws outside rejected); (2) a restart in the middle of a stage equals the
   uninterrupted run; (3) bad input: beta < 0, a flow of another dimension than the geometry's, a
   flow turning NaN (error naming the stage; the checkpoint before stays readable). */
#include "flow_sampler_check.h"

int main(int argc, char **argv)
{
  const char *sn[]  = {"-pinn_sampler_aas_estimator", "self_normalized", NULL};
  const char *raw[] = {"-pinn_sampler_aas_estimator", "raw", "-pinn_sampler_aas_beta", "0.5", NULL};
  PetscReal   worst = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(CheckRanksAndRestart("aas", sn, "aas (self-normalized):", &worst));
  PetscCall(CheckRanksAndRestart("aas", raw, "aas (raw, beta 0.5):", &worst));
  PetscCall(CheckDisk("aas", sn, "aas (self-normalized):", &worst));
  {
    const char *beta[] = {"-pinn_sampler_aas_beta", "-1", NULL};
    EXPECT_ERROR("aas", "beta = -1", beta, 0, "-pinn_sampler_aas_beta");
    EXPECT_ERROR("aas", "3-D flow, 2-D geometry", NULL, 3, "dimension 3");
  }
  PetscCall(CheckNaNFlow("aas"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference (ranks, restart): %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

/* The das sampler (DAS-G and DAS-R): (1) the same interior points, flow parameters and loss on all
   ranks as on each rank alone over 3 stages, and on an annulus (flow draws outside rejected); (2) a restart in the middle of a stage equals the
   uninterrupted run; (3) importance weights (-pinn_sampler_das_importance_weights): each point's weight on the
   annulus, 1/(|Omega| q) with q = p/A the density of the accepted flow draws, the uniform start's 1 kept in grow
   mode; ranks and restart with them; (4) bad input: a pool smaller than the points drawn, a flow of another
   dimension than the geometry's, a flow turning NaN or with less than 1 in 1000 draws inside the domain (errors naming the stage; the checkpoint
   before stays readable); all-zero residuals fall back to uniform points and say so. */
#include "flow_sampler_check.h"

int main(int argc, char **argv)
{
  const char *grow[] = {"-pinn_sampler_das_mode", "grow", "-pinn_sampler_das_grow", "40", NULL};
  const char *disk[] = {"-pinn_sampler_das_mode", "replace", "-pinn_sampler_flow_steps", "2", NULL};
  const char *repl[] = {"-pinn_sampler_das_mode", "replace", "-pinn_sampler_pool", "150", NULL};
  PetscReal   worst  = 0;
  char        view[2048];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(CheckRanksAndRestart("das", grow, "das (grow 40):", &worst));
  PetscCall(CheckRanksAndRestart("das", repl, "das (replace, pool 150):", &worst));
  PetscCall(CheckDisk("das", disk, "das (replace, 2 steps):", &worst));
  {
    const char *impg[] = {"-pinn_sampler_das_mode", "grow", "-pinn_sampler_das_grow", "40", "-pinn_sampler_das_importance_weights", "1", NULL};
    const char *impr[] = {"-pinn_sampler_das_mode", "replace", "-pinn_sampler_das_importance_weights", "1", NULL};
    PetscReal   dev;
    PetscCall(CheckRanksAndRestart("das", impg, "das (grow, weights):", &worst));
    PetscCall(CheckAnnulusWeights("das", impg, NINT, 0, &dev));
    PetscCall(CheckAnnulusWeights("das", impr, 0, 0, &dev));
  }
  {
    const char *pool[] = {"-pinn_sampler_pool", "100", NULL};
    EXPECT_ERROR("das", "pool 100 < 120 points", pool, 0, "-pinn_sampler_pool");
    EXPECT_ERROR("das", "3-D flow, 2-D geometry", NULL, 3, "dimension 3");
  }
  PetscCall(CheckNaNFlow("das"));
  PetscCall(CheckThinAnnulus("das", NULL));
  PetscCheck(!SetUpWith("das", NULL, 0, PETSC_TRUE, view, sizeof(view)), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "zero residuals: %s", message);
  PetscCheck(strstr(view, "1 stages uniform"), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "zero residuals: no uniform fallback in the view:\n%s", view);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "zero residuals, view:\n%s", view));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference (ranks, restart): %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

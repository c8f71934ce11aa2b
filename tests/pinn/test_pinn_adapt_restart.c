/* A run of an adaptive sampler that stops exactly on an adapt step and is restarted equals the
   uninterrupted run. The adapt for step s runs between steps s-1 and s, with the parameters of step
   s-1; a run of s steps ends before it, so its checkpoint must carry what the adapt needs. For rad,
   rard (a growing set), das (replace and grow) and aas: 60 Adam steps in one run (adapts at 20, 40)
   vs 40 steps with the final checkpoint, restarted to 60; the parameters and the loss must agree
   (relative difference). */
#include "poisson_problem.h"

#define NINT 120
#define STEPS 60
#define STOP 40

static PetscErrorCode SetOptions(const char *opts[], PetscBool set)
{
  PetscFunctionBegin;
  for (const char **o = opts; *o; o += 2) {
    if (set)
      PetscCall(PetscOptionsSetValue(NULL, o[0], o[1]));
    else
      PetscCall(PetscOptionsClearValue(NULL, o[0]));
  }
  PetscFunctionReturn(0);
}

/* one run of `steps` Adam steps (checkpoint at the end, or restart from one); returns the loss and the parameters */
static PetscErrorCode Run(const char *opts[], PetscInt steps, const char ckpt[], const char restart[], PetscReal *loss, Vec final)
{
  PINN pinn;
  NN   nn;
  Vec  th;

  PetscFunctionBegin;
  PetscCall(SetOptions(opts, PETSC_TRUE));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetLearningRate(pinn, 3e-3));
  PetscCall(PINNSetResampleEvery(pinn, 20));
  if (ckpt) PetscCall(PINNSetCheckpoint(pinn, ckpt, 0));
  PetscCall(PINNSetFromOptions(pinn));
  if (restart) PetscCall(PINNReadCheckpoint(pinn, restart));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNComputeLoss(pinn, loss, NULL));
  PetscCall(PINNGetNetwork(pinn, "u", &nn));
  PetscCall(NNGetParameters(nn, &th));
  PetscCall(VecCopy(th, final));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(opts, PETSC_FALSE));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  /* a small flow for das and aas */
#define FLOW                                                                                                                                         \
  "-pinn_sampler_flow_steps", "8", "-pinn_sampler_flow_nn_krnet_depth", "2", "-pinn_sampler_flow_nn_krnet_width", "8",                               \
      "-pinn_sampler_flow_nn_krnet_bins", "8", "-pinn_sampler_flow_tao_adam_lr", "1e-2"
  const char  *rad[]    = {"-pinn_sampler_type", "rad", NULL};
  const char  *rard[]   = {"-pinn_sampler_type", "rard", "-pinn_sampler_rar_m", "20", NULL};
  const char  *das[]    = {"-pinn_sampler_type", "das", "-pinn_sampler_das_mode", "replace", "-pinn_sampler_pool", "150", FLOW, NULL};
  const char  *dasg[]   = {"-pinn_sampler_type", "das", "-pinn_sampler_das_mode", "grow", "-pinn_sampler_das_grow", "40", FLOW, NULL};
  const char  *aas[]    = {"-pinn_sampler_type", "aas", FLOW, NULL};
  const char **cases[]  = {rad, rard, das, dasg, aas};
  const char  *labels[] = {"rad", "rard", "das (replace)", "das (grow)", "aas"};
  PetscReal    worst    = 0;
  PetscMPIInt  size;
  char         file[64];
  Vec          ref, resumed;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_adapt_restart_np%d.h5", size));
  {
    PINN pinn;
    NN   nn;
    Vec  th;
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
    PetscCall(PINNSetUp(pinn));
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNGetParameters(nn, &th));
    PetscCall(VecDuplicate(th, &ref));
    PetscCall(VecDuplicate(th, &resumed));
    PetscCall(PINNDestroy(&pinn));
  }
  for (PetscInt c = 0; c < 5; c++) {
    PetscReal lref, lres, dtheta, norm, dloss;

    PetscCall(Run(cases[c], STEPS, NULL, NULL, &lref, ref));
    PetscCall(Run(cases[c], STOP, file, NULL, &lres, resumed)); /* ends on the adapt step 40: its checkpoint */
    PetscCall(Run(cases[c], STEPS, NULL, file, &lres, resumed));
    PetscCall(VecAXPY(resumed, -1.0, ref));
    PetscCall(VecNorm(resumed, NORM_INFINITY, &dtheta));
    PetscCall(VecNorm(ref, NORM_INFINITY, &norm));
    dtheta /= norm;
    dloss = PetscAbsReal(lres - lref) / PetscAbsReal(lref);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "%-14s %d ranks: %d steps in one run vs %d (ending on an adapt step) + restart: loss %.15e vs %.15e; "
                          "parameters differ by %.3e, loss by %.3e (relative)\n",
                          labels[c], size, STEPS, STOP, (double)lref, (double)lres, (double)dtheta, (double)dloss));
    worst = PetscMax(worst, PetscMax(dtheta, dloss));
  }
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&resumed));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference (restart at an adapt step): %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

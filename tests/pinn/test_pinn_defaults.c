/* The PINN a user gets without options: set up (network, trainer and optimizers) without training,
   so that -help lists every option with the default it really has (tests/pinn/help_defaults.sh
   checks that output). Without -help it checks the same defaults through the API. */
#include "poisson_problem.h"

int main(int argc, char **argv)
{
  PINN      pinn;
  NNTrainer tr;
  Tao       tao[2];
  PetscInt  maxit[2], nlayers;
  NN        nn;
  PetscBool help;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  (void)PoissonProblemCreate; /* the header's other helper */
  PetscCall(PoissonProblemCreateWith(PETSC_COMM_WORLD, 100, 40, PETSC_FALSE, &pinn));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNGetTrainer(pinn, &tr));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (!help) {
    const PetscInt *widths;
    PetscCall(NNTrainerGetTao(tr, NN_TRAIN_STAGE_ADAM, &tao[0]));
    PetscCall(NNTrainerGetTao(tr, NN_TRAIN_STAGE_LBFGS, &tao[1]));
    PetscCall(TaoGetMaximumIterations(tao[0], &maxit[0]));
    PetscCall(TaoGetMaximumIterations(tao[1], &maxit[1]));
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNMLPGetHiddenLayers(nn, &nlayers, &widths));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "defaults: %" PetscInt_FMT " Adam steps, then %" PetscInt_FMT " L-BFGS steps; %" PetscInt_FMT " hidden layers\n", maxit[0],
                          maxit[1], nlayers));
    PetscCheck(maxit[0] > 0 && maxit[1] > 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the default training is not Adam then L-BFGS");
  }
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PetscFinalize());
  return 0;
}

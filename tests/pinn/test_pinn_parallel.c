/* Data parallelism of the PINN: the same global points on any number of ranks. The loss and its
   gradient computed on COMM_WORLD (points sharded) must equal those of a COMM_SELF PINN holding
   every point, to 1e-10 relative; after a short training (Adam, then L-BFGS) the relative L2
   errors must agree to 1e-6 relative (optimizers amplify round-off a little). */
#include "poisson_problem.h"
#include "check_helpers.h"

int main(int argc, char **argv)
{
  PINN        par, ser;
  NN          nn;
  Vec         th, gp, gs, gpall;
  PetscReal   lp, ls, dg, ng, ep, es;
  PetscMPIInt size;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 600, 120, &par));
  PetscCall(PoissonProblemCreate(PETSC_COMM_SELF, 600, 120, &ser));
  for (PINN p = par;; p = ser) {
    PetscCall(PINNSetSteps(p, 150, 30));
    PetscCall(PINNSetLearningRate(p, 3e-3));
    PetscCall(PINNSetBatchSize(p, 250));    /* mini-batches and */
    PetscCall(PINNSetResampleEvery(p, 50)); /* re-drawn points are part of the contract too */
    PetscCall(PINNSetFromOptions(p));
    PetscCall(PINNSetUp(p));
    if (p == ser) break;
  }
  PetscCall(PINNGetNetwork(par, "u", &nn));
  PetscCall(NNGetParameters(nn, &th));
  PetscCall(VecDuplicate(th, &gp));
  PetscCall(PINNGetNetwork(ser, "u", &nn));
  PetscCall(NNGetParameters(nn, &th));
  PetscCall(VecDuplicate(th, &gs));
  PetscCall(PINNComputeLoss(par, &lp, gp));
  PetscCall(PINNComputeLoss(ser, &ls, gs));
  PetscCall(GatherAll(gp, &gpall));
  PetscCall(VecAXPY(gpall, -1.0, gs));
  PetscCall(VecNorm(gpall, NORM_2, &dg));
  PetscCall(VecNorm(gs, NORM_2, &ng));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "loss and gradient on %d rank(s) vs one rank with all points: %s\n", size,
                        PetscAbsReal(lp - ls) <= 1e-10 * ls && dg <= 1e-10 * ng ? "equal to 1e-10" : "DIFFERENT"));
  PetscCheck(PetscAbsReal(lp - ls) <= 1e-10 * ls && dg <= 1e-10 * ng, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "loss %.17g vs %.17g, gradient difference %g of %g", (double)lp, (double)ls, (double)dg, (double)ng);

  PetscCall(PINNTrain(par));
  PetscCall(PINNTrain(ser));
  PetscCall(PINNComputeError(par, &ep));
  PetscCall(PINNComputeError(ser, &es));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "after 150 Adam (mini-batches, resampling) + 30 L-BFGS steps: relative L2 error %.3e, %s\n", (double)ep,
                        PetscAbsReal(ep - es) <= 1e-6 * es ? "the same as on one rank (1e-6)" : "DIFFERENT from one rank"));
  PetscCheck(PetscAbsReal(ep - es) <= 1e-6 * es, PETSC_COMM_SELF, PETSC_ERR_PLIB, "error %.17g on the communicator vs %.17g alone", (double)ep,
             (double)es);
  PetscCheck(ep < 0.5, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "training did not reduce the error (%g)", (double)ep);
  PetscCall(VecDestroy(&gp));
  PetscCall(VecDestroy(&gs));
  PetscCall(VecDestroy(&gpall));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscCall(PetscFinalize());
  return 0;
}

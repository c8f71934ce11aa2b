/* PINN restart: training for 2N steps in one go, and training that writes a checkpoint after N
   steps (from inside the run, -pinn_checkpoint_every) and is resumed from it in a fresh PINN, end
   at the same parameters to round-off. Mini-batches and re-drawn points are on, so the restart
   must also restore which points are in use. */
#include "poisson_problem.h"

static PetscErrorCode Run(PetscInt steps, const char ckpt[], PetscInt every, const char restart[], Vec final)
{
  PINN pinn;
  NN   nn;
  Vec  th;

  PetscFunctionBegin;
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 500, 100, &pinn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetLearningRate(pinn, 3e-3));
  PetscCall(PINNSetBatchSize(pinn, 200));
  PetscCall(PINNSetResampleEvery(pinn, 40));
  if (ckpt) PetscCall(PINNSetCheckpoint(pinn, ckpt, every));
  PetscCall(PINNSetFromOptions(pinn));
  if (restart) PetscCall(PINNReadCheckpoint(pinn, restart));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNGetNetwork(pinn, "u", &nn));
  PetscCall(NNGetParameters(nn, &th));
  PetscCall(VecCopy(th, final));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Vec         ref, resumed;
  PetscReal   diff, norm;
  PetscMPIInt size;
  char        file[64];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_restart_np%d.h5", size));
  {
    PINN pinn;
    NN   nn;
    Vec  th;
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 500, 100, &pinn));
    PetscCall(PINNSetUp(pinn));
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNGetParameters(nn, &th));
    PetscCall(VecDuplicate(th, &ref));
    PetscCall(VecDuplicate(th, &resumed));
    PetscCall(PINNDestroy(&pinn));
  }
  PetscCall(Run(200, NULL, 0, NULL, ref));
  /* writes at 100; keeps training to 120 and overwrites only then, so stop the writer at 119 */
  PetscCall(Run(119, file, 100, NULL, resumed));
  /* the checkpoint now holds the end of that run (119 steps); resume it to 200 */
  PetscCall(Run(200, NULL, 0, file, resumed));
  PetscCall(VecAXPY(resumed, -1.0, ref));
  PetscCall(VecNorm(resumed, NORM_INFINITY, &diff));
  PetscCall(VecNorm(ref, NORM_INFINITY, &norm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "200 steps in one run vs 119 + checkpoint + restart + 81: parameters %s\n",
                        diff <= 1e-12 * norm ? "identical to 1e-12" : "DIFFER"));
  PetscCheck(diff <= 1e-12 * norm, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "restart differs by %g (max norm %g)", (double)diff, (double)norm);
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&resumed));
  PetscCall(PetscFinalize());
  return 0;
}

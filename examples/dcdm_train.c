static const char help[] = "Trains the DCDM network on a training set from dcdm_data (the loss of Kaneda et al.: || b - (q'b/q'Aq) A q ||^2,\n"
                           "q = f(b)), with Adam, mini-batches, checkpoints and restart; data-parallel over MPI ranks.\n"
                           "Options: -dcdm_train_* (see DCDMTrainerSetFromOptions(), e.g. -dcdm_train_data, -dcdm_train_steps,\n"
                           "-dcdm_train_checkpoint, -dcdm_train_restart, -dcdm_train_max_time, -dcdm_train_tao_adam_lr) and the\n"
                           "-poisson3d_* options the data set was made with.\n"
                           "  -loss_on <validation|training>  the set whose loss is printed before and after (default validation;\n"
                           "                                  the training set costs one network pass per sample)\n"
                           "  -expect_decrease <f>   (tests) fail unless the final loss is below f times the initial one\n";

/* The checkpoint it writes holds the network as "dcdm": use it directly as -ksp_dcdm_model. */
#include <nnpde.h>

int main(int argc, char **argv)
{
  DCDMTrainer tr;
  PetscReal   l0, l1, expect = 0;
  PetscInt    step, nval;
  PetscBool   validation;
  char        on[16] = "validation";

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-expect_decrease", &expect, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-loss_on", on, sizeof(on), NULL));
  PetscCall(PetscStrcmp(on, "validation", &validation));
  PetscCall(DCDMTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(DCDMTrainerSetFromOptions(tr));
  PetscCall(DCDMTrainerSetUp(tr));
  PetscCall(DCDMTrainerGetNumSamples(tr, NULL, &nval));
  if (!nval) validation = PETSC_FALSE;
  PetscCall(DCDMTrainerEvaluate(tr, validation, &l0));
  PetscCall(DCDMTrainerGetStep(tr, &step));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s loss at step %" PetscInt_FMT ": %.6e\n", validation ? "Validation" : "Training", step, (double)l0));
  PetscCall(DCDMTrainerTrain(tr, PETSC_DETERMINE));
  PetscCall(DCDMTrainerEvaluate(tr, validation, &l1));
  PetscCall(DCDMTrainerGetStep(tr, &step));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s loss at step %" PetscInt_FMT ": %.6e (%.3f of the start)\n", validation ? "Validation" : "Training",
                        step, (double)l1, (double)(l1 / l0)));
  if (expect > 0)
    PetscCheck(l1 < expect * l0, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "The loss went from %g to %g, not below %g of the start", (double)l0,
               (double)l1, (double)expect);
  PetscCall(DCDMTrainerDestroy(&tr));
  PetscCall(PetscFinalize());
  return 0;
}

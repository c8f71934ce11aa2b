/* Restart: training that stops, writes a checkpoint, is torn down and resumed from the file ends at
   the same parameters as uninterrupted training (Adam then L-BFGS), for a stop in the middle of the
   Adam stage and one at the switch to L-BFGS. */
#include "regression.h"

#define ADAM_STEPS 200
#define LBFGS_STEPS 40

typedef struct {
  Regression r;
  NNTrainer  tr;
} Run;

static PetscErrorCode RunCreate(Run *run)
{
  Vec theta;
  Tao adam;

  PetscFunctionBegin;
  PetscCall(RegressionCreate(PETSC_COMM_WORLD, 300, 9, &run->r));
  PetscCall(NNGetParameters(run->r.nn, &theta));
  PetscCall(NNTrainerCreate(PETSC_COMM_WORLD, &run->tr));
  PetscCall(NNTrainerSetObjectiveAndGradient(run->tr, theta, RegressionObjGrad, &run->r));
  PetscCall(NNTrainerSetSteps(run->tr, ADAM_STEPS, LBFGS_STEPS));
  PetscCall(NNTrainerGetTao(run->tr, NN_TRAIN_STAGE_ADAM, &adam));
  PetscCall(TaoAdamSetLearningRate(adam, 5e-3));
  PetscCall(TaoAdamSetAMSGrad(adam, PETSC_TRUE));
  PetscCall(NNTrainerSetFromOptions(run->tr));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunDestroy(Run *run)
{
  PetscFunctionBegin;
  PetscCall(NNTrainerDestroy(&run->tr));
  PetscCall(RegressionDestroy(&run->r));
  PetscFunctionReturn(0);
}

typedef struct {
  Run        *run;
  PetscInt    at;
  const char *file;
} MonitorCheckpoint;

/* Writes the checkpoint from inside the optimizer's iteration `at`, then stops training there */
static PetscErrorCode CheckpointFromMonitor(NNTrainer tr, NNTrainStage stage, PetscInt it, PetscInt total, PetscReal loss, void *ctx, PetscBool *stop)
{
  MonitorCheckpoint *mc = (MonitorCheckpoint *)ctx;
  NNCheckpoint       ck;

  PetscFunctionBegin;
  (void)stage, (void)it, (void)loss;
  if (total != mc->at) PetscFunctionReturn(0);
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, mc->file, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, "u", mc->run->r.nn));
  PetscCall(NNTrainerWriteCheckpoint(tr, ck));
  PetscCall(NNCheckpointClose(&ck));
  *stop = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* Train `first` steps, checkpoint, destroy, recreate from the file, finish; return final params */
static PetscErrorCode TrainWithRestart(PetscInt first, PetscBool monitor, const char file[], Vec final)
{
  Run          run;
  NNCheckpoint ck;
  Vec          theta;

  PetscFunctionBegin;
  PetscCall(RunCreate(&run));
  if (monitor) { /* one long solve, checkpointed by the per-iteration monitor */
    MonitorCheckpoint mc = {&run, first, file};
    PetscCall(NNTrainerSetMonitor(run.tr, CheckpointFromMonitor, &mc));
    PetscCall(NNTrainerStep(run.tr, PETSC_DETERMINE));
  } else {
    PetscCall(NNTrainerStep(run.tr, first));
    PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
    PetscCall(NNCheckpointWriteNN(ck, "u", run.r.nn));
    PetscCall(NNTrainerWriteCheckpoint(run.tr, ck));
    PetscCall(NNCheckpointClose(&ck));
  }
  PetscCall(RunDestroy(&run));

  PetscCall(RunCreate(&run));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ck));
  PetscCall(NNCheckpointReadNN(ck, "u", run.r.nn));
  PetscCall(NNTrainerReadCheckpoint(run.tr, ck));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(NNTrainerStep(run.tr, PETSC_DETERMINE));
  PetscCall(NNGetParameters(run.r.nn, &theta));
  PetscCall(VecCopy(theta, final));
  PetscCall(RunDestroy(&run));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Run             ref;
  Vec             theta, resumed;
  PetscMPIInt     size;
  char            file[PETSC_MAX_PATH_LEN];
  const PetscInt  stops[3]   = {ADAM_STEPS / 2, ADAM_STEPS, 130};
  const PetscBool monitor[3] = {PETSC_FALSE, PETSC_FALSE, PETSC_TRUE};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "restart_np%d.h5", size));
  PetscCall(RunCreate(&ref));
  PetscCall(NNTrainerStep(ref.tr, PETSC_DETERMINE));
  PetscCall(NNGetParameters(ref.r.nn, &theta));
  PetscCall(VecDuplicate(theta, &resumed));
  for (PetscInt i = 0; i < 3; i++) {
    PetscReal diff, norm;
    PetscCall(TrainWithRestart(stops[i], monitor[i], file, resumed));
    PetscCall(VecAXPY(resumed, -1.0, theta));
    PetscCall(VecNorm(resumed, NORM_INFINITY, &diff));
    PetscCall(VecNorm(theta, NORM_INFINITY, &norm));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "stop after %3" PetscInt_FMT " of %d Adam + %d L-BFGS steps%s, restart: final parameters %s\n", stops[i],
                          ADAM_STEPS, LBFGS_STEPS, monitor[i] ? " (checkpoint written by the monitor)" : "",
                          diff <= 1e-13 * norm ? "identical to uninterrupted training (to 1e-13)" : "DIFFER"));
    PetscCheck(diff <= 1e-13 * norm, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Restarted training differs by %g (max norm %g)", (double)diff, (double)norm);
  }
  PetscCall(VecDestroy(&resumed));
  PetscCall(RunDestroy(&ref));
  PetscCall(PetscFinalize());
  return 0;
}

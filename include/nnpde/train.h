/* NNTrainer: the one training loop of the library (a PetscObject, class "NNTrainer"). It runs Adam,
   then L-BFGS, on a parameter Vec through a user objective, and owns, for every user (PINNs, the
   DCDM trainer, programs): monitors, the progress line with ETA, the CSV history, checkpoints every
   N steps (owners add their state through a callback), restart, a wall-time limit, the NaN and
   divergence stop, an "adapt" hook between steps (adaptive samplers) and a pre-step hook.

   Options (prefix "train_" unless changed): -train_adam_steps, -train_lbfgs_steps,
   -train_divergence_factor, -train_monitor, -train_monitor_every, -train_monitor_history file.csv,
   -train_checkpoint file, -train_checkpoint_every, -train_restart file, -train_max_time seconds,
   -train_trainer_view; each stage's Tao under -train_adam_ and -train_lbfgs_.

   The objective is called with the optimizer's point X, which is never the params Vec given to
   NNTrainerSetObjectiveAndGradient(): it must copy X into params (VecCopy) before evaluating.
   After every NNTrainerStep() params holds the optimizer's current iterate. */
#ifndef NNPDE_TRAIN_H
#define NNPDE_TRAIN_H

#include <petsctao.h>
#include <nnpde/checkpoint.h>

typedef struct _p_NNTrainer *NNTrainer;
PETSC_EXTERN PetscClassId    NNTRAINER_CLASSID;

typedef enum { NN_TRAIN_STAGE_ADAM, NN_TRAIN_STAGE_LBFGS, NN_TRAIN_STAGE_DONE } NNTrainStage;
PETSC_EXTERN const char *const NNTrainStages[];

/* Called once per iteration of either stage, with the parameters Vec holding the iterate; set
   *stop to end training (the trainer then reports stage done). Checkpoints written from here
   restart at this iteration. */
typedef PetscErrorCode (*NNTrainerMonitorFn)(NNTrainer, NNTrainStage, PetscInt iteration, PetscInt total, PetscReal loss, void *ctx, PetscBool *stop);
/* Owner state in a checkpoint: written into / read from an open checkpoint */
typedef PetscErrorCode (*NNTrainerCheckpointFn)(NNTrainer, NNCheckpoint, void *ctx);
/* Called before the evaluation of step `step` (adapt hook, pre-step hook) */
typedef PetscErrorCode (*NNTrainerStepFn)(NNTrainer, PetscInt step, void *ctx);
/* Values of the owner's history columns at the current iteration (NaN: an empty field) */
typedef PetscErrorCode (*NNTrainerHistoryFn)(NNTrainer, PetscReal values[], void *ctx);
/* Prints the owner's part of the progress line (between the loss and the times), with PetscPrintf() */
typedef PetscErrorCode (*NNTrainerProgressFn)(NNTrainer, void *ctx);

PETSC_EXTERN PetscErrorCode NNTrainerCreate(MPI_Comm, NNTrainer *);
PETSC_EXTERN PetscErrorCode NNTrainerDestroy(NNTrainer *);
PETSC_EXTERN PetscErrorCode NNTrainerSetOptionsPrefix(NNTrainer, const char[]);
PETSC_EXTERN PetscErrorCode NNTrainerGetOptionsPrefix(NNTrainer, const char *[]);
PETSC_EXTERN PetscErrorCode NNTrainerSetObjectiveAndGradient(NNTrainer, Vec params, PetscErrorCode (*)(Tao, Vec, PetscReal *, Vec, void *), void *);
PETSC_EXTERN PetscErrorCode NNTrainerSetSteps(NNTrainer, PetscInt adam_steps, PetscInt lbfgs_steps);
PETSC_EXTERN PetscErrorCode NNTrainerGetSteps(NNTrainer, PetscInt *adam_steps, PetscInt *lbfgs_steps);
PETSC_EXTERN PetscErrorCode NNTrainerSetFromOptions(NNTrainer);
PETSC_EXTERN PetscErrorCode NNTrainerView(NNTrainer, PetscViewer);
PETSC_EXTERN PetscErrorCode NNTrainerSetDivergenceFactor(NNTrainer, PetscReal factor);
PETSC_EXTERN PetscErrorCode NNTrainerSetDivergenceWindow(NNTrainer, PetscInt steps);
PETSC_EXTERN PetscErrorCode NNTrainerGetTao(NNTrainer, NNTrainStage, Tao *);
PETSC_EXTERN PetscErrorCode NNTrainerStep(NNTrainer, PetscInt steps);
PETSC_EXTERN PetscErrorCode NNTrainerTrain(NNTrainer);
PETSC_EXTERN PetscErrorCode NNTrainerGetProgress(NNTrainer, NNTrainStage *, PetscInt *iteration, PetscReal *loss);
PETSC_EXTERN PetscErrorCode NNTrainerGetTotalIterations(NNTrainer, PetscInt *);
PETSC_EXTERN PetscErrorCode NNTrainerGetTimedOut(NNTrainer, PetscBool *);

PETSC_EXTERN PetscErrorCode NNTrainerSetMonitor(NNTrainer, NNTrainerMonitorFn, void *);
PETSC_EXTERN PetscErrorCode NNTrainerMonitorSet(NNTrainer, NNTrainerMonitorFn, void *, PetscErrorCode (*)(void **));
PETSC_EXTERN PetscErrorCode NNTrainerMonitorCancel(NNTrainer);
PETSC_EXTERN PetscErrorCode NNTrainerSetProgress(NNTrainer, PetscBool show, PetscInt every, NNTrainerProgressFn, void *);
PETSC_EXTERN PetscErrorCode NNTrainerPrintProgress(NNTrainer, NNTrainStage, PetscInt total, PetscReal loss);
PETSC_EXTERN PetscErrorCode NNTrainerSetHistory(NNTrainer, const char file[]);
PETSC_EXTERN PetscErrorCode NNTrainerSetHistoryColumns(NNTrainer, PetscInt n, const char *const names[], NNTrainerHistoryFn, void *);
PETSC_EXTERN PetscErrorCode NNTrainerSetCheckpoint(NNTrainer, const char file[], PetscInt every);
PETSC_EXTERN PetscErrorCode NNTrainerSetCheckpointFunctions(NNTrainer, NNTrainerCheckpointFn write, NNTrainerCheckpointFn read, void *);
PETSC_EXTERN PetscErrorCode NNTrainerSetRestart(NNTrainer, const char file[]);
PETSC_EXTERN PetscErrorCode NNTrainerSetMaxTime(NNTrainer, PetscReal seconds);
PETSC_EXTERN PetscErrorCode NNTrainerSetAdapt(NNTrainer, PetscInt every, NNTrainerStepFn, void *);
PETSC_EXTERN PetscErrorCode NNTrainerSetPreStep(NNTrainer, NNTrainerStepFn, void *);
PETSC_EXTERN PetscErrorCode NNTrainerSetDataParallel(NNTrainer, MPI_Comm all, PetscBool writer);

PETSC_EXTERN PetscErrorCode NNTrainerWriteCheckpoint(NNTrainer, NNCheckpoint);
PETSC_EXTERN PetscErrorCode NNTrainerReadCheckpoint(NNTrainer, NNCheckpoint);
PETSC_EXTERN PetscErrorCode NNTrainerCheckpointSave(NNTrainer, const char file[]);
PETSC_EXTERN PetscErrorCode NNTrainerCheckpointLoad(NNTrainer, const char file[]);

#endif

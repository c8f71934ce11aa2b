/* NNTrainer: the two-stage optimization that PINN practice needs, Adam then L-BFGS, driven by
   options. The user supplies the objective and gradient on the parameter Vec; the trainer owns
   one Tao per stage (prefixes <prefix>adam_ and <prefix>lbfgs_, so e.g. -adam_tao_adam_lr), counts
   steps across stages and can be resumed from a checkpoint at any step.
   Options: -train_adam_steps N, -train_lbfgs_steps M (prefix "train_" unless changed).

   The objective is called with the optimizer's point X, which is never the params Vec given to
   NNTrainerSetObjectiveAndGradient(): it must copy X into params (VecCopy) before evaluating.
   After every NNTrainerStep() params holds the optimizer's current iterate. */
#ifndef NNPDE_TRAIN_H
#define NNPDE_TRAIN_H

#include <petsctao.h>
#include <nnpde/checkpoint.h>

typedef struct _n_NNTrainer *NNTrainer;

typedef enum { NN_TRAIN_STAGE_ADAM, NN_TRAIN_STAGE_LBFGS, NN_TRAIN_STAGE_DONE } NNTrainStage;
PETSC_EXTERN const char *const NNTrainStages[];

/* Called once per iteration of either stage, with the parameters Vec holding the iterate; set
   *stop to end training (the trainer then reports stage done). Checkpoints written from here
   restart at this iteration. */
typedef PetscErrorCode (*NNTrainerMonitorFn)(NNTrainer, NNTrainStage, PetscInt iteration, PetscInt total, PetscReal loss, void *ctx, PetscBool *stop);

PETSC_EXTERN PetscErrorCode NNTrainerCreate(MPI_Comm, NNTrainer *);
PETSC_EXTERN PetscErrorCode NNTrainerDestroy(NNTrainer *);
PETSC_EXTERN PetscErrorCode NNTrainerSetOptionsPrefix(NNTrainer, const char[]);
PETSC_EXTERN PetscErrorCode NNTrainerSetObjectiveAndGradient(NNTrainer, Vec params, PetscErrorCode (*)(Tao, Vec, PetscReal *, Vec, void *), void *);
PETSC_EXTERN PetscErrorCode NNTrainerSetSteps(NNTrainer, PetscInt adam_steps, PetscInt lbfgs_steps);
PETSC_EXTERN PetscErrorCode NNTrainerSetFromOptions(NNTrainer);
/* Stop with an error when the loss exceeds factor times its value at the start of NNTrainerStep()
   (-<prefix>divergence_factor, default 1e6; 0: never). NaN or Inf always stops. */
PETSC_EXTERN PetscErrorCode NNTrainerSetDivergenceFactor(NNTrainer, PetscReal factor);
PETSC_EXTERN PetscErrorCode NNTrainerGetTao(NNTrainer, NNTrainStage, Tao *);
/* Run up to `steps` more optimizer iterations (PETSC_DETERMINE: to the end of the last stage). */
PETSC_EXTERN PetscErrorCode NNTrainerStep(NNTrainer, PetscInt steps);
PETSC_EXTERN PetscErrorCode NNTrainerGetProgress(NNTrainer, NNTrainStage *, PetscInt *iteration, PetscReal *loss);
PETSC_EXTERN PetscErrorCode NNTrainerSetMonitor(NNTrainer, NNTrainerMonitorFn, void *);
PETSC_EXTERN PetscErrorCode NNTrainerGetTotalIterations(NNTrainer, PetscInt *);
PETSC_EXTERN PetscErrorCode NNTrainerWriteCheckpoint(NNTrainer, NNCheckpoint);
PETSC_EXTERN PetscErrorCode NNTrainerReadCheckpoint(NNTrainer, NNCheckpoint);

#endif

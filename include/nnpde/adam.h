/* The TAO type "adam" (Kingma & Ba 2015), with AMSGrad and learning-rate schedules.
   Options (prefix of the Tao): -tao_adam_lr, -tao_adam_beta1, -tao_adam_beta2, -tao_adam_epsilon,
   -tao_adam_amsgrad, -tao_adam_schedule <constant,step,exponential>, -tao_adam_decay_rate,
   -tao_adam_decay_steps. Each TaoSolve() continues from the stored moments and step counter, so
   a training loop can call it repeatedly. */
#ifndef NNPDE_ADAM_H
#define NNPDE_ADAM_H

#include <petsctao.h>

#define TAOADAM "adam"

typedef enum { TAO_ADAM_SCHEDULE_CONSTANT, TAO_ADAM_SCHEDULE_STEP, TAO_ADAM_SCHEDULE_EXPONENTIAL } TaoAdamSchedule;
PETSC_EXTERN const char *const TaoAdamSchedules[];

PETSC_EXTERN PetscErrorCode TaoAdamSetLearningRate(Tao, PetscReal);
PETSC_EXTERN PetscErrorCode TaoAdamGetLearningRate(Tao, PetscReal *);
/* The learning rate of the next step, after the schedule */
PETSC_EXTERN PetscErrorCode TaoAdamGetCurrentLearningRate(Tao, PetscReal *);
PETSC_EXTERN PetscErrorCode TaoAdamSetBetas(Tao, PetscReal beta1, PetscReal beta2);
PETSC_EXTERN PetscErrorCode TaoAdamSetEpsilon(Tao, PetscReal);
PETSC_EXTERN PetscErrorCode TaoAdamSetAMSGrad(Tao, PetscBool);
PETSC_EXTERN PetscErrorCode TaoAdamSetSchedule(Tao, TaoAdamSchedule, PetscReal rate, PetscInt steps);
/* Optimizer state for checkpoints: first and second moments, the AMSGrad running maximum (NULL
   when AMSGrad is off) and the number of steps taken. The Vecs are borrowed. */
PETSC_EXTERN PetscErrorCode TaoAdamGetState(Tao, Vec *m, Vec *v, Vec *vmax, PetscInt *step);
PETSC_EXTERN PetscErrorCode TaoAdamSetStep(Tao, PetscInt step);

#endif

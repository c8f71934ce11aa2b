/* Training data and training for the DCDM network (Kaneda et al., ICML 2023; reference notes §3).

   Data: Lanczos with full reorthogonalization on the training matrix A (restricted to the fluid
   cells) gives Ritz pairs; each right-hand side is a random combination of the Ritz vectors with
   N(0,1) coefficients, the lowest `nlow` of them scaled by `weight` (9 in the paper), normalized to
   unit 2-norm. The set is stored in HDF5:
     /rhs            the right-hand sides, float32, dataset [sample][z][y][x] (natural ordering,
                     written with the DMDA's VecView and timestepping, so any decomposition reads it)
     /ritz_values    the kept Ritz values, ascending (float64)
     /ritz_vectors   optionally, the Ritz vectors in the same layout as /rhs
   and attributes on /rhs: n, nsamples, nritz, nlow, weight (examples/dcdm_data adds fluid_cells,
   lanczos_steps and seed; the trainer checks fluid_cells against its problem when present).

   Training: minimize the scale-invariant loss of the paper over mini-batches of the stored
   right-hand sides,
     L(theta) = mean_b || b - (q'b / q'Aq) A q ||^2,   q = mask .* f_theta(sqrt(N) b),
   where sqrt(N) b has unit RMS over the N grid cells (KSPDCDM feeds the network the residual scaled
   the same way, so the input statistics do not depend on the grid size; the paper used unit 2-norm)
   and the mask zeroes the output on solid cells (decoupled rows, which KSPDCDM treats by a Jacobi
   step),
   with Adam (TAO type "adam"), data-parallel over samples: the ranks are split into groups of
   -dcdm_train_ranks_per_sample ranks (default 1); each group holds the whole grid (its own DMDA,
   matrix and network) and evaluates its share of every mini-batch; gradients are summed over the
   groups. The batch order is a counter-based function of (seed, epoch), so a run stopped and
   resumed from its checkpoint continues exactly, and the result does not depend on the number of
   groups beyond round-off; a restart checks that seed, batch size and training-set size match (the
   optimizer's options, e.g. the learning rate, are the caller's to repeat). Checkpoints are nnpde checkpoints holding the network as "dcdm", so
   any checkpoint is directly usable as -ksp_dcdm_model. The loop, progress line, history, checkpoints, restart and
   wall-time limit are an NNTrainer's (include/nnpde/train.h, prefix dcdm_train_), one per group. */
#ifndef NNPDE_DCDM_TRAIN_H
#define NNPDE_DCDM_TRAIN_H

#include <nnpde/nn.h>
#include <nnpde/poisson3d.h>
#include <petsctao.h>

/* Bytes per rank needed by DCDMLanczos() with m steps on A, and by DCDMWriteDataset() with
   chunks of `chunk` samples (the largest of the two phases). */
PETSC_EXTERN PetscErrorCode DCDMLanczosMemory(Mat A, PetscInt m, PetscInt chunk, PetscLogDouble *bytes);
/* m Lanczos steps with full reorthogonalization (classical Gram-Schmidt applied twice), started
   from mask .* (A g), g ~ N(0,1) drawn from seed, where mask (may be NULL) selects the subspace
   (the fluid cells). Returns the Ritz values >= drop (ascending, sequential Vec on every rank) and
   the corresponding Ritz vectors as the columns of a dense Mat with A's row layout. A breakdown
   (an invariant subspace found) ends the iteration early, with the Ritz pairs found so far. */
PETSC_EXTERN PetscErrorCode DCDMLanczos(Mat A, Vec mask, PetscInt m, uint64_t seed, PetscReal drop, Vec *values, Mat *vectors);
/* Writes nsamples right-hand sides built from the Ritz vectors (see above) to the HDF5 file, with
   the Ritz values, and the Ritz vectors when save_vectors. da is the DMDA of A (for the layout). */
PETSC_EXTERN PetscErrorCode DCDMWriteDataset(DM da, Vec values, Mat vectors, PetscInt nsamples, PetscInt nlow, PetscReal weight, uint64_t seed,
                                             PetscBool save_vectors, const char file[]);

/* The loss of one right-hand side b for the output q, || b - (q'b/q'Aq) A q ||^2, and dL/dq (may be NULL) */
PETSC_EXTERN PetscErrorCode DCDMLoss(Mat A, Vec b, Vec q, PetscReal *loss, Vec dldq);

/* The trainer */
typedef struct _n_DCDMTrainer *DCDMTrainer;

PETSC_EXTERN PetscErrorCode DCDMTrainerCreate(MPI_Comm, DCDMTrainer *);
PETSC_EXTERN PetscErrorCode DCDMTrainerDestroy(DCDMTrainer *);
/* Options (prefix dcdm_train_): -dcdm_train_data file (required), -dcdm_train_layers 64|128,
   -dcdm_train_batch B (10), -dcdm_train_steps S, -dcdm_train_validation_fraction (0.1),
   -dcdm_train_validate_every, -dcdm_train_ranks_per_sample, -dcdm_train_seed,
   -dcdm_train_checkpoint file, -dcdm_train_checkpoint_every k, -dcdm_train_restart file,
   -dcdm_train_init file (start from a model's weights), -dcdm_train_max_time seconds,
   -dcdm_train_monitor_every k, -dcdm_train_history file.csv (the trainer's: every step, with epoch, validation
   loss and learning rate), -dcdm_train_mask_output, -dcdm_train_trainer_view; the problem by -poisson3d_*; Adam by
   -dcdm_train_tao_adam_lr etc. */
PETSC_EXTERN PetscErrorCode DCDMTrainerSetFromOptions(DCDMTrainer);
/* Reads the data, builds the problem and network, and restores a checkpoint if asked. Collective. */
PETSC_EXTERN PetscErrorCode DCDMTrainerSetUp(DCDMTrainer);
/* Runs up to `steps` more Adam steps (PETSC_DETERMINE: until -dcdm_train_steps or the time limit) */
PETSC_EXTERN PetscErrorCode DCDMTrainerTrain(DCDMTrainer, PetscInt steps);
/* Mean loss over the training (validation = PETSC_FALSE) or validation samples, at the current weights */
PETSC_EXTERN PetscErrorCode DCDMTrainerEvaluate(DCDMTrainer, PetscBool validation, PetscReal *loss);
/* Loss and gradient (summed over the groups, in the layout of the parameters) of a mini-batch
   given by sample indices; for tests (finite differences) and custom loops. */
PETSC_EXTERN PetscErrorCode DCDMTrainerLossAndGradient(DCDMTrainer, PetscInt nb, const PetscInt samples[], PetscReal *loss, Vec gradient);
PETSC_EXTERN PetscErrorCode DCDMTrainerGetStep(DCDMTrainer, PetscInt *);
PETSC_EXTERN PetscErrorCode DCDMTrainerGetNN(DCDMTrainer, NN *);
PETSC_EXTERN PetscErrorCode DCDMTrainerGetNumSamples(DCDMTrainer, PetscInt *ntrain, PetscInt *nvalidation);
PETSC_EXTERN PetscErrorCode DCDMTrainerWriteCheckpoint(DCDMTrainer, const char file[]);

#endif

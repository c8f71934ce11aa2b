/* Private: the DCDM network (a cnn3d NN on a DMDA, weights from an nnpde checkpoint) as used by
   KSPDCDM (solvers/dcdm.c) and PCDCDM (solvers/pc_dcdm.c); implemented in solvers/dcdm_model.c. */
#ifndef NNPDE_DCDMIMPL_H
#define NNPDE_DCDMIMPL_H

#include <nnpde/nn.h>
#include <petscdm.h>
#include <petscmat.h>

/* Name of the network in the checkpoint, and of the shipped default weights (K = 64) */
#define NNPDE_DCDM_NETWORK_NAME "dcdm"
#define NNPDE_DCDM_DEFAULT_MODEL "dcdm_k64.h5"
/* Environment variable that overrides the shipped default */
#define NNPDE_DCDM_MODEL_ENV "NNPDE_DCDM_MODEL"

/* The grid the network runs on: dm if it is a DMDA, else the DMDA of mat (either may be NULL); *da = NULL if neither */
PETSC_INTERN PetscErrorCode DCDMGetGrid_Private(DM dm, Mat mat, DM *da);

/* Errors on comm unless da is a 3-D DMDA with 1 dof; `attach` says where the user attaches one (e.g. "the KSP (KSPSetDM())") */
PETSC_INTERN PetscErrorCode DCDMCheckGrid_Private(MPI_Comm comm, DM da, const char attach[]);

/* The weights file: `model` when not empty, else $NNPDE_DCDM_MODEL when set, else the shipped dcdm_k64.h5 (installed copy, then
   the source tree). `option` names the user's option (e.g. "-ksp_dcdm_model") in error messages, `other` an alternative
   ("use -ksp_dcdm_direction residual|pc"). source[] gets where the path came from, for messages. Collective. */
PETSC_INTERN PetscErrorCode DCDMFindModel_Private(MPI_Comm comm, const char model[], PetscInt layers, const char option[], const char other[],
                                                  char path[], size_t len, char source[], size_t slen);

/* Makes *net the cnn3d network with the given layer list on the DMDA da (created on da's communicator), with the weights of
   network "dcdm" in checkpoint `path`. An existing *net (same weights) is kept and moved to da if its grid differs. Errors
   about the file name `path` and where it came from (`source`, from DCDMFindModel_Private()). Collective on da.
   The network reads its own options (-nn_cnn3d_block, ...; NNSetFromOptions()) with the options prefix `prefix` (the KSP's or
   the PC's; NULL: none) when it is created; options that would change its type or layer list are errors. */
PETSC_INTERN PetscErrorCode DCDMLoadModelWithPrefix_Private(DM da, const char prefix[], const char path[], const char source[], PetscInt layers,
                                                            const char option[], NN *net);

/* Checks a layer list value (64 or 128) given to `option` */
PETSC_INTERN PetscErrorCode DCDMCheckLayers_Private(MPI_Comm comm, PetscInt layers, const char option[]);

/* The rows of A without a nonzero off-diagonal entry (solid cells, identity rows): mask = 0 there and 1 elsewhere,
   dinv = 1/a_ii there and 0 elsewhere; *ndecoupled their global number. Collective. */
PETSC_INTERN PetscErrorCode DCDMDecoupledRows_Private(Mat A, Vec *mask, Vec *dinv, PetscInt *ndecoupled);

/* q = mask .* f(sqrt(N) r / rnorm), rnorm = ||r||: the network's input at unit RMS over the N cells (as in training,
   DCDMTrainer), its output on the coupled rows only (mask may be NULL). work is a Vec like r. Collective. */
PETSC_INTERN PetscErrorCode DCDMNetworkApply_Private(NN net, Vec mask, Vec work, Vec r, PetscReal rnorm, Vec q);

/* KSPDCDM's coarse level (solvers/dcdm_coarse.c): P, the prolongation from aggregates of f^3 cells of the DMDA da
   (piecewise constant, zero on the rows where mask vanishes; mask may be NULL), smoothed by one damped Jacobi step
   P = (I - omega D^-1 A) P0 unless omega = 0; Ac = P'AP, with a unit diagonal on the rows of empty aggregates.
   A must be assembled in the DMDA's global ordering. Collective. */
PETSC_INTERN PetscErrorCode DCDMCoarseCreate_Private(DM da, Mat A, Vec mask, PetscInt f, PetscReal omega, Mat *P, Mat *Ac);

#endif

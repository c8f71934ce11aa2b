/* Checkpoints: one HDF5 file for networks, optimizer state, random-number state and training
   metadata. Layout:
     /meta        attributes format_version, library_version, writer
     /nn/<name>   parameter Vec "parameters"; attributes architecture, num_parameters, checksum
     /optimizer   attributes type, step; Vecs of the optimizer state (Adam: m, v, vmax; lmvm: iterate)
     /rng         attributes seed, position
     /train       free-form attributes (stage, iteration, loss, ...)
     /data/<name> free-form Vecs (points, densities, ...)
   A checkpoint opened for writing goes to "<file>.tmp" and is renamed over <file> by
   NNCheckpointClose(), so an interrupted write leaves the previous checkpoint intact. Reading
   validates the format version, the architecture and a checksum of every Vec, and fails with an
   error that names the file and the mismatch. */
#ifndef NNPDE_CHECKPOINT_H
#define NNPDE_CHECKPOINT_H

#include <petscviewer.h>
#include <petsctao.h>
#include <nnpde/nn.h>
#include <nnpde/random.h>

#define NNPDE_CHECKPOINT_FORMAT_VERSION 1

typedef struct _n_NNCheckpoint *NNCheckpoint;

/* mode is FILE_MODE_WRITE or FILE_MODE_READ. Collective. */
/* Before any work: can `file` be created (directory exists and is writable)? `what` names it in the error */
PETSC_EXTERN PetscErrorCode NNFileCheckWritable(MPI_Comm, const char file[], const char what[]);
/* Do two names name one file (one inode, or one name once the directories are resolved)? */
PETSC_EXTERN PetscErrorCode NNFileSame(MPI_Comm, const char a[], const char b[], PetscBool *same);
PETSC_EXTERN PetscErrorCode NNCheckpointOpen(MPI_Comm, const char file[], PetscFileMode mode, NNCheckpoint *);
/* Writing: closes, syncs and atomically renames into place. Reading: closes. */
PETSC_EXTERN PetscErrorCode NNCheckpointClose(NNCheckpoint *);
PETSC_EXTERN PetscErrorCode NNCheckpointGetViewer(NNCheckpoint, PetscViewer *);

PETSC_EXTERN PetscErrorCode NNCheckpointWriteNN(NNCheckpoint, const char name[], NN);
/* The NN must be set up with the same architecture; its parameters are overwritten. */
PETSC_EXTERN PetscErrorCode NNCheckpointReadNN(NNCheckpoint, const char name[], NN);

/* Adam: moments and step; lmvm/blmvm/others: the current solution. */
PETSC_EXTERN PetscErrorCode NNCheckpointWriteOptimizer(NNCheckpoint, Tao);
PETSC_EXTERN PetscErrorCode NNCheckpointReadOptimizer(NNCheckpoint, Tao);

PETSC_EXTERN PetscErrorCode NNCheckpointWriteRandom(NNCheckpoint, NNRandom);
PETSC_EXTERN PetscErrorCode NNCheckpointReadRandom(NNCheckpoint, NNRandom);

PETSC_EXTERN PetscErrorCode NNCheckpointWriteVec(NNCheckpoint, const char name[], Vec);
PETSC_EXTERN PetscErrorCode NNCheckpointReadVec(NNCheckpoint, const char name[], Vec);

/* Training metadata in /train */
PETSC_EXTERN PetscErrorCode NNCheckpointSetInt(NNCheckpoint, const char key[], PetscInt);
PETSC_EXTERN PetscErrorCode NNCheckpointSetReal(NNCheckpoint, const char key[], PetscReal);
PETSC_EXTERN PetscErrorCode NNCheckpointSetString(NNCheckpoint, const char key[], const char value[]);
PETSC_EXTERN PetscErrorCode NNCheckpointGetInt(NNCheckpoint, const char key[], PetscInt *);
PETSC_EXTERN PetscErrorCode NNCheckpointGetReal(NNCheckpoint, const char key[], PetscReal *);
/* value must hold len bytes */
PETSC_EXTERN PetscErrorCode NNCheckpointGetString(NNCheckpoint, const char key[], char value[], size_t len);
PETSC_EXTERN PetscErrorCode NNCheckpointHas(NNCheckpoint, const char key[], PetscBool *);

#endif

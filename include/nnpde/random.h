/* Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11).
   A draw is a pure function of (seed, stream, global index), so point sets and initial weights
   are identical for any number of MPI ranks and can be regenerated after a restart. */
#ifndef NNPDE_RANDOM_H
#define NNPDE_RANDOM_H

#include <petscsys.h>
#include <stdint.h>

/* One Philox4x32 block with 10 rounds: out = Philox(ctr, key). */
PETSC_EXTERN void NNPhilox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* out[i] = U(0,1) (open interval, 53 random bits) for global index first+i of the given stream. */
PETSC_EXTERN PetscErrorCode NNRandomUniformArray(uint64_t seed, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[]);
/* out[i] ~ N(0,1) (Box-Muller on one Philox block) for global index first+i of the given stream. */
PETSC_EXTERN PetscErrorCode NNRandomNormalArray(uint64_t seed, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[]);

/* NNRandom: a seed plus a position that sequential consumers (mini-batches, re-drawn point sets)
   advance; its whole state is (seed, position), which is what checkpoints store. */
typedef struct _n_NNRandom *NNRandom;

PETSC_EXTERN PetscErrorCode NNRandomCreate(MPI_Comm, NNRandom *);
PETSC_EXTERN PetscErrorCode NNRandomDestroy(NNRandom *);
PETSC_EXTERN PetscErrorCode NNRandomSetSeed(NNRandom, uint64_t);
PETSC_EXTERN PetscErrorCode NNRandomSetFromOptions(NNRandom, const char prefix[]);
PETSC_EXTERN PetscErrorCode NNRandomGetState(NNRandom, uint64_t *seed, uint64_t *position);
PETSC_EXTERN PetscErrorCode NNRandomSetState(NNRandom, uint64_t seed, uint64_t position);
/* Reserve n consecutive indices of the shared sequence; returns the first one. Collective in the
   sense that every rank must call it with the same n to keep the positions in step. */
PETSC_EXTERN PetscErrorCode NNRandomReserve(NNRandom, uint64_t n, uint64_t *first);
PETSC_EXTERN PetscErrorCode NNRandomUniform(NNRandom, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[]);
PETSC_EXTERN PetscErrorCode NNRandomNormal(NNRandom, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[]);

#endif

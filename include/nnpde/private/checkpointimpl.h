/* Private checkpoint structure and the helpers shared by nn/checkpoint/ (file layer, HDF5 layer,
   serializers) and by the optimizers that serialize their own state (see
   NNCheckpointWriteOptimizer(): the Tao composes "NNCheckpointWrite_C" and "NNCheckpointRead_C"). */
#ifndef NNPDE_CHECKPOINTIMPL_H
#define NNPDE_CHECKPOINTIMPL_H

#include <stdint.h>
#include <petsc/private/petscimpl.h>
#include <petscviewerhdf5.h>
#include <nnpde/sys.h>
#include <nnpde/checkpoint.h>

struct _n_NNCheckpoint {
  MPI_Comm      comm;
  PetscFileMode mode;
  PetscViewer   viewer;
  char          file[PETSC_MAX_PATH_LEN];    /* the checkpoint */
  char          tmpfile[PETSC_MAX_PATH_LEN]; /* what is being written, renamed to file on close */
  PetscInt      incomplete;                  /* writes begun and not finished: one failed, do not commit */
};

/* Name of the file that is actually open, for messages */
#define NNCheckpointOpenFile(ckpt) ((ckpt)->mode == FILE_MODE_WRITE ? (ckpt)->tmpfile : (ckpt)->file)

/* Signature of the composed functions "NNCheckpointWrite_C" and "NNCheckpointRead_C" of an
   optimizer: write or read its type-specific state under the group /optimizer */
typedef PetscErrorCode (*NNCheckpointTaoFn)(Tao, NNCheckpoint);

/* The splitmix64 finalizer: a bijective 64-bit mixer (Vec checksums and the file hash) */
static inline uint64_t NNMix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* checkpoint.c: argument checks */
PETSC_INTERN PetscErrorCode NNCheckpointCheckName(NNCheckpoint, const char what[], const char name[]);
PETSC_INTERN PetscErrorCode NNCheckpointCheckMode(NNCheckpoint, PetscFileMode, const char func[]);

/* hdf5.c: HDF5 error silencing, attributes, Vec datasets, the viewer */
typedef struct {
  H5E_auto2_t func;
  void       *data;
} NNH5ErrorState;
PETSC_INTERN void           NNH5Silence(NNH5ErrorState *);
PETSC_INTERN void           NNH5Restore(const NNH5ErrorState *);
PETSC_INTERN void           NNH5LastError(char msg[256]);
PETSC_INTERN const char    *NNH5ClassName(H5T_class_t);
PETSC_INTERN PetscErrorCode NNCheckpointAttributeType(NNCheckpoint, const char obj[], const char name[], H5T_class_t *, size_t *, PetscBool *);
PETSC_INTERN PetscErrorCode NNCheckpointRequireAttribute(NNCheckpoint, const char obj[], const char name[], H5T_class_t);
PETSC_INTERN PetscErrorCode NNCheckpointDeleteAttribute(NNCheckpoint, const char obj[], const char name[]);
PETSC_INTERN PetscErrorCode NNCheckpointWriteUInt64(NNCheckpoint, const char obj[], const char name[], uint64_t);
PETSC_INTERN PetscErrorCode NNCheckpointReadUInt64(NNCheckpoint, const char obj[], const char name[], uint64_t *);
PETSC_INTERN PetscErrorCode NNCheckpointReadInt(NNCheckpoint, const char obj[], const char name[], PetscInt *);
PETSC_INTERN PetscErrorCode NNCheckpointReadString(NNCheckpoint, const char obj[], const char name[], char value[], size_t len);
PETSC_INTERN PetscErrorCode NNCheckpointWriteVec_Private(NNCheckpoint, const char group[], const char name[], Vec);
PETSC_INTERN PetscErrorCode NNCheckpointReadVec_Private(NNCheckpoint, const char group[], const char name[], const char what[], Vec);
PETSC_INTERN PetscErrorCode NNViewerDestroyQuietly(PetscViewer *);
PETSC_INTERN PetscErrorCode NNCheckpointOpenViewer(NNCheckpoint, const char fname[]);

/* file.c: checksums, trailer, probes, commit */
PETSC_INTERN PetscErrorCode NNCheckpointVecChecksum(Vec, uint64_t *);
PETSC_INTERN PetscErrorCode NNCheckpointProbeFile(NNCheckpoint);
PETSC_INTERN PetscErrorCode NNCheckpointProbeWritable(NNCheckpoint);
PETSC_INTERN PetscErrorCode NNCheckpointCommit(NNCheckpoint);

#endif

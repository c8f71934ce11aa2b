/* Checkpoints: one HDF5 file (through PetscViewerHDF5) for networks, optimizer state, random-number
   state, training metadata and free Vecs; written atomically and verified on reading.

   Format (NNPDE_CHECKPOINT_FORMAT_VERSION 1); every path is absolute:
     /meta                 format_version (int), library_version, petsc_version, writer, date (strings)
     /nn/<name>            architecture (string), type (string), num_parameters (int)
     /nn/<name>/parameters the parameter Vec
     /optimizer            type (string: the Tao type), iterations (int: TaoGetTotalIterationNumber());
                           then what the Tao's composed "NNCheckpointWrite_C" writes (optimizer.c):
                           adam: step (int), amsgrad (int 0/1) and the Vecs m, v, vmax (vmax with AMSGrad only);
                           types without one: the Vec solution (TaoGetSolution())
     /rng                  seed, position (uint64)
     /train                one attribute per key: int, float64 or string
   "int" is a PetscInt (32-bit here); strings are fixed-length HDF5 strings.
     /data/<name>          free Vecs
   Every Vec dataset carries a uint64 attribute "checksum" (see NNCheckpointVecChecksum()), and the
   file ends with a 24-byte trailer holding a hash of everything before it (see NNFileSeal()); both
   are in file.c. This file: argument checks, opening, closing and the /meta group. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <unistd.h>

#include <nnpde/private/checkpointimpl.h>

PetscErrorCode NNCheckpointCheckName(NNCheckpoint ckpt, const char what[], const char name[])
{
  size_t len;

  PetscFunctionBegin;
  PetscCall(PetscStrlen(name, &len));
  PetscCheck(len > 0 && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, ".."), ckpt->comm, PETSC_ERR_ARG_WRONG,
             "Invalid %s name \"%s\" for checkpoint %s: it must be non-empty, not . or .., and contain no '/'", what, name ? name : "(null)",
             ckpt->file);
  PetscFunctionReturn(0);
}

PetscErrorCode NNCheckpointCheckMode(NNCheckpoint ckpt, PetscFileMode mode, const char func[])
{
  PetscFunctionBegin;
  PetscCheck(ckpt->mode == mode, ckpt->comm, PETSC_ERR_ARG_WRONGSTATE, "%s() needs a checkpoint opened for %s, but %s was opened for %s", func,
             mode == FILE_MODE_WRITE ? "writing" : "reading", ckpt->file, ckpt->mode == FILE_MODE_WRITE ? "writing" : "reading");
  PetscFunctionReturn(0);
}
static PetscErrorCode NNCheckpointWriteMeta(NNCheckpoint ckpt)
{
  PetscInt version = NNPDE_CHECKPOINT_FORMAT_VERSION;
  char     buf[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "format_version", PETSC_INT, &version));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "library_version", PETSC_STRING, NNPDE_VERSION_STRING));
  PetscCall(PetscGetVersion(buf, sizeof(buf)));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "petsc_version", PETSC_STRING, buf));
  /* every rank must write the same value: take rank 0's */
  PetscCall(PetscGetProgramName(buf, sizeof(buf)));
  PetscCallMPI(MPI_Bcast(buf, sizeof(buf), MPI_CHAR, 0, ckpt->comm));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "writer", PETSC_STRING, buf));
  PetscCall(PetscGetDate(buf, sizeof(buf)));
  PetscCallMPI(MPI_Bcast(buf, sizeof(buf), MPI_CHAR, 0, ckpt->comm));
  PetscCall(PetscViewerHDF5WriteAttribute(ckpt->viewer, "/meta", "date", PETSC_STRING, buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointCheckMeta(NNCheckpoint ckpt)
{
  PetscBool has;
  PetscInt  version;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5HasAttribute(ckpt->viewer, "/meta", "format_version", &has));
  PetscCheck(has, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED, "%s is an HDF5 file but not an nnpde checkpoint (it has no /meta/format_version)",
             ckpt->file);
  PetscCall(NNCheckpointReadInt(ckpt, "/meta", "format_version", &version));
  PetscCheck(version == NNPDE_CHECKPOINT_FORMAT_VERSION, ckpt->comm, PETSC_ERR_FILE_UNEXPECTED,
             "Checkpoint %s has format version %" PetscInt_FMT ", but this nnpde (%s) reads format version %d", ckpt->file, version,
             NNPDE_VERSION_STRING, NNPDE_CHECKPOINT_FORMAT_VERSION);
  PetscFunctionReturn(0);
}

/* Abandons a checkpoint being written: closes the viewer, ignoring errors since the file may be in
   any state, and removes the temporary file; an existing checkpoint stays as it was */
static PetscErrorCode NNCheckpointDiscard(NNCheckpoint ckpt)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCall(NNViewerDestroyQuietly(&ckpt->viewer));
  PetscCallMPI(MPI_Barrier(ckpt->comm));
  PetscCallMPI(MPI_Comm_rank(ckpt->comm, &rank));
  if (rank == 0) (void)unlink(ckpt->tmpfile);
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointDestroy_Private(NNCheckpoint *ckpt)
{
  PetscFunctionBegin;
  if (!*ckpt) PetscFunctionReturn(0);
  PetscCall(PetscViewerDestroy(&(*ckpt)->viewer));
  PetscCall(PetscFree(*ckpt));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCheckpointOpen_Private(NNCheckpoint ckpt)
{
  PetscFunctionBegin;
  if (ckpt->mode == FILE_MODE_WRITE) {
    PetscCall(NNCheckpointProbeWritable(ckpt));
    PetscCall(NNCheckpointOpenViewer(ckpt, ckpt->tmpfile));
    PetscCall(NNCheckpointWriteMeta(ckpt));
  } else {
    PetscCall(NNCheckpointProbeFile(ckpt));
    PetscCall(NNCheckpointOpenViewer(ckpt, ckpt->file));
    PetscCall(NNCheckpointCheckMeta(ckpt));
  }
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointOpen - Opens a checkpoint for writing or reading.

  Collective

  Input Parameters:
+ comm - the communicator; every rank takes part in every read and write
. file - the checkpoint file name
- mode - `FILE_MODE_WRITE` or `FILE_MODE_READ`

  Output Parameter:
. ckpt - the checkpoint

  Notes:
  For writing, the data goes to "<file>.tmp" (created or truncated), which `NNCheckpointClose()`
  syncs and renames over <file>; a run killed before that leaves an existing <file> intact and a
  stale "<file>.tmp" that the next write overwrites.

  For reading, the file must exist, end with the trailer that `NNCheckpointClose()` appends (a hash
  of the whole file, checked on rank 0 before HDF5 parses anything, so a truncated or corrupted
  file gives an error and never crashes HDF5) and carry the current
  `NNPDE_CHECKPOINT_FORMAT_VERSION`; otherwise the error names the file and the problem. Every Vec
  read later is also checked against its own checksum. Verifying the trailer reads the whole file
  once on rank 0.

  Vecs are stored in global order, so a checkpoint written on any number of ranks can be read on
  any other number.

  Level: beginner

.seealso: `NNCheckpointClose()`, `NNCheckpointWriteNN()`, `NNCheckpointReadNN()`
@*/
PetscErrorCode NNCheckpointOpen(MPI_Comm comm, const char file[], PetscFileMode mode, NNCheckpoint *ckpt)
{
  NNCheckpoint   c;
  size_t         len;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscValidCharPointer(file, 2);
  PetscValidPointer(ckpt, 4);
  *ckpt = NULL;
  PetscCall(NNInitializePackage());
  PetscCheck(mode == FILE_MODE_WRITE || mode == FILE_MODE_READ, comm, PETSC_ERR_SUP, "Checkpoints are opened with FILE_MODE_WRITE or FILE_MODE_READ");
  PetscCall(PetscStrlen(file, &len));
  PetscCheck(len > 0 && len + 5 < PETSC_MAX_PATH_LEN, comm, PETSC_ERR_ARG_WRONG, "Invalid checkpoint file name \"%s\"", file);
  PetscCall(PetscNew(&c));
  c->comm = comm;
  c->mode = mode;
  PetscCall(PetscStrncpy(c->file, file, sizeof(c->file)));
  PetscCall(PetscSNPrintf(c->tmpfile, sizeof(c->tmpfile), "%s.tmp", file));

  if (mode == FILE_MODE_WRITE)
    PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
  else
    PetscCall(PetscLogEventBegin(NN_CheckpointRead, 0, 0, 0, 0));
  ierr = NNCheckpointOpen_Private(c);
  if (mode == FILE_MODE_WRITE)
    PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
  else
    PetscCall(PetscLogEventEnd(NN_CheckpointRead, 0, 0, 0, 0));
  /* Only once the file is open is there anything to discard. Before that the errors are collective
     (the checks agree on every rank): PETSc's error handler keeps ranks other than 0 from
     returning, so a collective clean-up here would hang rank 0 until they exit, 10 s later, and
     cut its error message short. */
  if (ierr && mode == FILE_MODE_WRITE && c->viewer) PetscCall(NNCheckpointDiscard(c));
  if (ierr) PetscCall(NNCheckpointDestroy_Private(&c));
  PetscCall(ierr);
  *ckpt = c;
  PetscFunctionReturn(0);
}
/*@C
  NNCheckpointClose - Closes a checkpoint. After writing, closes the HDF5 file, appends the
  trailer (a hash of the file), syncs it to disk and atomically renames "<file>.tmp" to <file>.

  Collective

  Input Parameter:
. ckpt - the checkpoint, set to NULL on return (NULL is allowed)

  Note:
  If a write into the checkpoint failed (returned an error), closing discards "<file>.tmp" and
  returns an error: a partial checkpoint is never put in place of <file>.

  Level: beginner

.seealso: `NNCheckpointOpen()`
@*/
PetscErrorCode NNCheckpointClose(NNCheckpoint *ckpt)
{
  NNCheckpoint c;

  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  c = *ckpt;
  if (!c) PetscFunctionReturn(0);
  *ckpt = NULL;
  if (c->mode == FILE_MODE_WRITE && c->incomplete) {
    MPI_Comm comm = c->comm;
    char     file[PETSC_MAX_PATH_LEN];

    PetscCall(PetscStrncpy(file, c->file, sizeof(file)));
    PetscCall(NNCheckpointDiscard(c));
    PetscCall(NNCheckpointDestroy_Private(&c));
    SETERRQ(comm, PETSC_ERR_ARG_WRONGSTATE, "Checkpoint %s was not written because an earlier write into it failed; any previous %s is unchanged",
            file, file);
  }
  if (c->mode == FILE_MODE_WRITE) {
    PetscErrorCode ierr;

    PetscCall(PetscLogEventBegin(NN_CheckpointWrite, 0, 0, 0, 0));
    PetscCall(PetscViewerDestroy(&c->viewer)); /* H5Fclose: everything is on disk (in the page cache) */
    ierr = NNCheckpointCommit(c);
    PetscCall(PetscLogEventEnd(NN_CheckpointWrite, 0, 0, 0, 0));
    if (ierr) PetscCall(NNCheckpointDestroy_Private(&c));
    PetscCall(ierr);
  }
  PetscCall(NNCheckpointDestroy_Private(&c));
  PetscFunctionReturn(0);
}

/*@C
  NNCheckpointGetViewer - The `PETSCVIEWERHDF5` viewer of an open checkpoint, for writing or
  reading further objects (borrowed; do not destroy it).

  Not Collective

  Input Parameter:
. ckpt - the checkpoint

  Output Parameter:
. viewer - the viewer

  Note:
  Objects written through the viewer are covered by the hash in the file's trailer but have no
  checksum of their own; keep them out of the groups that nnpde uses (/meta, /nn, /optimizer,
  /rng, /train, /data).

  Level: advanced

.seealso: `NNCheckpointOpen()`
@*/
PetscErrorCode NNCheckpointGetViewer(NNCheckpoint ckpt, PetscViewer *viewer)
{
  PetscFunctionBegin;
  PetscValidPointer(ckpt, 1);
  PetscValidPointer(viewer, 2);
  *viewer = ckpt->viewer;
  PetscFunctionReturn(0);
}

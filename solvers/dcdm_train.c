/* DCDM network training (include/nnpde/dcdm_train.h): the scale-invariant loss of the paper,
   Adam over mini-batches of stored right-hand sides, data-parallel over groups of ranks. The loop,
   progress line, history, checkpoints, restart and wall-time limit are the NNTrainer's; this file
   adds the loss, the batch of each step (pre-step hook), validation (monitor) and its checkpoint
   state (the data set's identity: layers, batch, seed, training samples). */
#include <nnpde/dcdm_train.h>
#include <nnpde/solvers.h>
#include <nnpde/adam.h>
#include <nnpde/checkpoint.h>
#include <nnpde/cnn3d.h>
#include <nnpde/random.h>
#include <nnpde/sys.h>
#include <nnpde/train.h>
#include <petscviewerhdf5.h>

#define DCDM_STREAM_BATCH 201

struct _n_DCDMTrainer {
  MPI_Comm    comm;  /* all ranks of the trainer */
  MPI_Comm    gcomm; /* this group: one copy of the grid, network and matrix */
  MPI_Comm    xcomm; /* the ranks with the same position in their groups: sums over groups */
  PetscMPIInt ngroups, group, rank;
  PetscInt    ranks_per_sample;

  char      data[PETSC_MAX_PATH_LEN], checkpoint[PETSC_MAX_PATH_LEN], restart[PETSC_MAX_PATH_LEN], init[PETSC_MAX_PATH_LEN];
  char      history[PETSC_MAX_PATH_LEN];
  PetscInt  layers, batch, steps, checkpoint_every, monitor_every, validate_every;
  PetscReal validation_fraction, max_time;
  PetscBool mask_output;
  PetscInt  seed;

  Poisson3d  prob;
  DM         da;
  Mat        A;
  NN         nn;
  NNTrainer  trainer; /* on the group's communicator; every group takes the same steps */
  Vec        b, q, Aq, res, Ares, outbar;
  Vec        bin;         /* the network's input: b scaled to unit RMS, as KSPDCDM scales the residual */
  PetscReal  input_scale; /* sqrt(grid cells), for the unit-norm samples */
  Vec        mask;        /* the network's output is used on the coupled (fluid) rows only, as in KSPDCDM; NULL: everywhere */
  PetscInt   nsamples, ntrain, nval, nloc;
  float     *rhs;           /* nsamples x nloc: this rank's part of every sample */
  PetscReal  data_checksum; /* of the whole training set, sample-weighted: what a restart must find again */
  PetscReal *gtheta;
  PetscInt   np;

  PetscInt       step;  /* the step whose batch the objective evaluates (pre-step hook) */
  PetscInt       step0; /* steps done at the start of this DCDMTrainerTrain() */
  PetscInt       perm_epoch;
  PetscInt      *perm;
  PetscReal     *keys;
  PetscReal      window_loss; /* sum of the batch losses since the last progress line */
  PetscInt       window_steps;
  PetscReal      line_mean; /* their mean, shown on the progress line */
  PetscReal      last_val;
  PetscBool      val_now;    /* last_val was computed at this step (history) */
  PetscInt       degenerate; /* samples with q'Aq <= 0 (zero network output) */
  PetscLogDouble t0;
  PetscBool      setup;
};

/*@
  DCDMTrainerCreate - Creates a trainer for the DCDM network; configure it with options, then
  DCDMTrainerSetUp() and DCDMTrainerTrain().

  Collective

  Input Parameter:
. comm - all ranks that take part (split into groups of -dcdm_train_ranks_per_sample)

  Output Parameter:
. tr - the trainer

  Level: intermediate

.seealso: DCDMTrainerSetFromOptions(), DCDMTrainerSetUp(), DCDMTrainerTrain(), DCDMWriteDataset()
@*/
PetscErrorCode DCDMTrainerCreate(MPI_Comm comm, DCDMTrainer *tr)
{
  DCDMTrainer t;

  PetscFunctionBegin;
  PetscCall(NNPDESolversInitializePackage());
  PetscCall(PetscNew(&t));
  t->comm                = comm;
  t->gcomm               = MPI_COMM_NULL;
  t->xcomm               = MPI_COMM_NULL;
  t->ranks_per_sample    = 1;
  t->layers              = 64;
  t->batch               = 10;
  t->steps               = 1000;
  t->checkpoint_every    = 100;
  t->monitor_every       = 10;
  t->validate_every      = 0; /* every epoch */
  t->validation_fraction = 0.1;
  t->max_time            = 0;
  t->seed                = 1;
  t->mask_output         = PETSC_TRUE;
  t->perm_epoch          = -1;
  t->last_val            = -1;
  PetscCall(PetscStrncpy(t->checkpoint, "dcdm_train.h5", sizeof(t->checkpoint)));
  *tr = t;
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerDestroy - Destroys a trainer.

  Collective

  Input Parameter:
. tr - the trainer

  Level: intermediate

.seealso: DCDMTrainerCreate()
@*/
PetscErrorCode DCDMTrainerDestroy(DCDMTrainer *tr)
{
  DCDMTrainer t;

  PetscFunctionBegin;
  if (!tr || !*tr) PetscFunctionReturn(0);
  t = *tr;
  PetscCall(NNTrainerDestroy(&t->trainer));
  PetscCall(VecDestroy(&t->b));
  PetscCall(VecDestroy(&t->q));
  PetscCall(VecDestroy(&t->Aq));
  PetscCall(VecDestroy(&t->res));
  PetscCall(VecDestroy(&t->Ares));
  PetscCall(VecDestroy(&t->outbar));
  PetscCall(VecDestroy(&t->bin));
  PetscCall(NNDestroy(&t->nn));
  PetscCall(Poisson3dDestroy(&t->prob));
  PetscCall(PetscFree(t->rhs));
  PetscCall(PetscFree(t->gtheta));
  PetscCall(PetscFree2(t->perm, t->keys));
  if (t->gcomm != MPI_COMM_NULL) PetscCallMPI(MPI_Comm_free(&t->gcomm));
  if (t->xcomm != MPI_COMM_NULL) PetscCallMPI(MPI_Comm_free(&t->xcomm));
  PetscCall(PetscFree(*tr));
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerSetFromOptions - Reads the trainer's options.

  Collective

  Input Parameter:
. tr - the trainer

  Options Database Keys:
+ -dcdm_train_data <file.h5>             - the training set (DCDMWriteDataset()); required
. -dcdm_train_layers <64,128>            - layer list of the network
. -dcdm_train_batch <10>                 - samples per Adam step (over all ranks)
. -dcdm_train_steps <1000>               - Adam steps in total (a restart continues to this count)
. -dcdm_train_validation_fraction <0.1>  - share of the samples held out (the last ones)
. -dcdm_train_validate_every <k>         - validation loss every k steps (default: once per epoch)
. -dcdm_train_ranks_per_sample <1>       - ranks that share one sample (domain decomposition inside a group)
. -dcdm_train_seed <1>                   - initial weights and batch order
. -dcdm_train_checkpoint <file.h5>       - checkpoint (also a model for -ksp_dcdm_model); default dcdm_train.h5
. -dcdm_train_checkpoint_every <100>     - steps between checkpoints
. -dcdm_train_restart <file.h5>          - continue from a checkpoint
. -dcdm_train_init <file.h5>             - start from the weights of a model (fine-tuning)
. -dcdm_train_max_time <s>               - stop with a checkpoint after this many seconds of this run
. -dcdm_train_monitor_every <10>         - steps between progress lines (0: none)
. -dcdm_train_mask_output <true>         - zero the network's output on the solid cells (decoupled rows), as KSPDCDM does

- -dcdm_train_history <file.csv>         - CSV history of every step: iteration, stage, batch loss, epoch, validation loss (when computed), learning
rate

  Level: intermediate

.seealso: DCDMTrainerCreate(), DCDMTrainerSetUp()
@*/
PetscErrorCode DCDMTrainerSetFromOptions(DCDMTrainer tr)
{
  PetscFunctionBegin;
  PetscOptionsBegin(tr->comm, NULL, "DCDM network training", "DCDMTrainer");
  PetscCall(PetscOptionsString("-dcdm_train_data", "Training set (HDF5, DCDMWriteDataset())", "DCDMTrainerSetUp", tr->data, tr->data,
                               sizeof(tr->data), NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_layers", "Layer list of the network: 64 or 128", "NNCNN3DSetLayers", tr->layers, &tr->layers, NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_batch", "Samples per Adam step", "DCDMTrainerTrain", tr->batch, &tr->batch, NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_steps", "Adam steps in total", "DCDMTrainerTrain", tr->steps, &tr->steps, NULL));
  PetscCall(PetscOptionsReal("-dcdm_train_validation_fraction", "Share of samples held out", "DCDMTrainerSetUp", tr->validation_fraction,
                             &tr->validation_fraction, NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_validate_every", "Steps between validation losses (0: each epoch)", "DCDMTrainerTrain", tr->validate_every,
                            &tr->validate_every, NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_ranks_per_sample", "Ranks sharing one sample", "DCDMTrainerSetUp", tr->ranks_per_sample,
                            &tr->ranks_per_sample, NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_seed", "Seed of the initial weights and the batch order", "DCDMTrainerSetUp", tr->seed, &tr->seed, NULL));
  PetscCall(PetscOptionsString("-dcdm_train_checkpoint", "Checkpoint file", "DCDMTrainerWriteCheckpoint", tr->checkpoint, tr->checkpoint,
                               sizeof(tr->checkpoint), NULL));
  PetscCall(PetscOptionsInt("-dcdm_train_checkpoint_every", "Steps between checkpoints", "DCDMTrainerTrain", tr->checkpoint_every,
                            &tr->checkpoint_every, NULL));
  PetscCall(PetscOptionsString("-dcdm_train_restart", "Continue from this checkpoint", "DCDMTrainerSetUp", tr->restart, tr->restart,
                               sizeof(tr->restart), NULL));
  PetscCall(
      PetscOptionsString("-dcdm_train_init", "Start from the weights of this model", "DCDMTrainerSetUp", tr->init, tr->init, sizeof(tr->init), NULL));
  PetscCall(PetscOptionsReal("-dcdm_train_max_time", "Stop with a checkpoint after this many seconds", "DCDMTrainerTrain", tr->max_time,
                             &tr->max_time, NULL));
  PetscCall(
      PetscOptionsInt("-dcdm_train_monitor_every", "Steps between progress lines", "DCDMTrainerTrain", tr->monitor_every, &tr->monitor_every, NULL));
  PetscCall(PetscOptionsBool("-dcdm_train_mask_output", "Use the network's output on the fluid cells only (as KSPDCDM does)", "DCDMTrainerSetUp",
                             tr->mask_output, &tr->mask_output, NULL));
  PetscCall(
      PetscOptionsString("-dcdm_train_history", "CSV file of the losses", "DCDMTrainerTrain", tr->history, tr->history, sizeof(tr->history), NULL));
  PetscOptionsEnd();
  PetscCheck(tr->layers == 64 || tr->layers == 128, tr->comm, PETSC_ERR_ARG_OUTOFRANGE, "-dcdm_train_layers must be 64 or 128, got %" PetscInt_FMT,
             tr->layers);
  PetscCheck(tr->batch > 0, tr->comm, PETSC_ERR_ARG_OUTOFRANGE, "-dcdm_train_batch must be positive, got %" PetscInt_FMT, tr->batch);
  PetscCheck(tr->steps >= 0, tr->comm, PETSC_ERR_ARG_OUTOFRANGE, "-dcdm_train_steps must be >= 0, got %" PetscInt_FMT, tr->steps);
  PetscCheck(tr->validation_fraction >= 0 && tr->validation_fraction < 1, tr->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-dcdm_train_validation_fraction must be in [0, 1), got %g", (double)tr->validation_fraction);
  PetscCheck(tr->checkpoint_every >= 0 && tr->monitor_every >= 0 && tr->validate_every >= 0, tr->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-dcdm_train_checkpoint_every, -dcdm_train_monitor_every and -dcdm_train_validate_every must be >= 0");
  PetscFunctionReturn(0);
}

/* Reads every sample of the data set into float32 memory (this rank's part), checking the grid */
static PetscErrorCode DCDMTrainerLoadData(DCDMTrainer tr)
{
  PetscViewer viewer;
  PetscInt    n, nfile, nsamples, nfluid, nfluid_file = -1;
  PetscBool   has;
  Vec         v;

  PetscFunctionBegin;
  PetscCheck(tr->data[0], tr->comm, PETSC_ERR_ARG_WRONGSTATE,
             "DCDMTrainer needs a training set: give -dcdm_train_data file.h5 (written by DCDMWriteDataset(), e.g. examples/dcdm_data)");
  PetscCall(PetscTestFile(tr->data, 'r', &has));
  PetscCheck(has, tr->comm, PETSC_ERR_FILE_OPEN, "Cannot read the DCDM training set %s", tr->data);
  PetscCall(PetscViewerHDF5Open(tr->gcomm, tr->data, FILE_MODE_READ, &viewer));
  PetscCall(PetscViewerHDF5HasAttribute(viewer, "/rhs", "nsamples", &has));
  PetscCheck(has, tr->comm, PETSC_ERR_FILE_UNEXPECTED, "%s is not a DCDM training set: no /rhs dataset with a nsamples attribute", tr->data);
  PetscCall(PetscViewerHDF5ReadAttribute(viewer, "/rhs", "nsamples", PETSC_INT, NULL, &nsamples));
  PetscCall(PetscViewerHDF5ReadAttribute(viewer, "/rhs", "n", PETSC_INT, NULL, &nfile));
  PetscCall(PetscViewerHDF5HasAttribute(viewer, "/rhs", "fluid_cells", &has));
  if (has) PetscCall(PetscViewerHDF5ReadAttribute(viewer, "/rhs", "fluid_cells", PETSC_INT, NULL, &nfluid_file));
  PetscCall(DMDAGetInfo(tr->da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(n == nfile, tr->comm, PETSC_ERR_ARG_INCOMP,
             "The training set %s is for a %" PetscInt_FMT "^3 grid, the problem (-poisson3d_n) is %" PetscInt_FMT "^3", tr->data, nfile, n);
  PetscCall(Poisson3dGetFluidCount(tr->prob, &nfluid));
  PetscCheck(nfluid_file < 0 || nfluid_file == nfluid, tr->comm, PETSC_ERR_ARG_INCOMP,
             "The training set %s was made for a geometry with %" PetscInt_FMT " fluid cells, the problem (-poisson3d_*) has %" PetscInt_FMT,
             tr->data, nfluid_file, nfluid);
  PetscCheck(nsamples >= 2, tr->comm, PETSC_ERR_FILE_UNEXPECTED, "The training set %s has %" PetscInt_FMT " samples, at least 2 are needed", tr->data,
             nsamples);
  tr->nsamples = nsamples;
  tr->nval     = (PetscInt)(tr->validation_fraction * nsamples);
  tr->ntrain   = nsamples - tr->nval;
  PetscCheck(tr->ntrain >= tr->batch, tr->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "The training set %s has %" PetscInt_FMT " training samples, fewer than the batch size %" PetscInt_FMT, tr->data, tr->ntrain, tr->batch);
  PetscCall(VecGetLocalSize(tr->b, &tr->nloc));
  PetscCall(PetscMalloc1((size_t)nsamples * tr->nloc + 1, &tr->rhs));
  PetscCall(VecDuplicate(tr->b, &v));
  PetscCall(PetscObjectSetName((PetscObject)v, "rhs"));
  PetscCall(PetscViewerHDF5PushTimestepping(viewer));
  tr->data_checksum = 0;
  for (PetscInt s = 0; s < nsamples; s++) {
    const PetscScalar *a;
    float             *dst = tr->rhs + (size_t)s * tr->nloc;

    PetscCall(PetscViewerHDF5SetTimestep(viewer, s));
    PetscCall(VecLoad(v, viewer));
    PetscCall(VecGetArrayRead(v, &a));
    /* weighted by sample, not by grid index: a DMDA's ordering depends on the ranks of the group */
    for (PetscInt i = 0; i < tr->nloc; i++) {
      dst[i] = (float)a[i];
      tr->data_checksum += (PetscReal)(1 + s % 7) * ((PetscReal)dst[i] + (PetscReal)dst[i] * (PetscReal)dst[i]);
    }
    PetscCall(VecRestoreArrayRead(v, &a));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &tr->data_checksum, 1, MPIU_REAL, MPIU_SUM, tr->gcomm));
  PetscCall(PetscViewerHDF5PopTimestepping(viewer));
  PetscCall(VecDestroy(&v));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode DCDMTrainerGetSample(DCDMTrainer tr, PetscInt s, Vec b)
{
  PetscScalar *a;
  const float *src = tr->rhs + (size_t)s * tr->nloc;

  PetscFunctionBegin;
  PetscCall(VecGetArrayWrite(b, &a));
  for (PetscInt i = 0; i < tr->nloc; i++) a[i] = src[i];
  PetscCall(VecRestoreArrayWrite(b, &a));
  PetscFunctionReturn(0);
}

/* The loss of one right-hand side and, when dldq, w dL/dq:
     s = q'b / q'Aq, r = b - s Aq, L = r'r,
     dL/dq = -2 [ (r'Aq / q'Aq) (b - 2 s Aq) + s A r ]   (A symmetric).
   q'Aq <= 0 (a zero output) gives L = b'b and no gradient (*degenerate set). */
static PetscErrorCode DCDMLossWork(Mat A, Vec b, Vec q, Vec Aq, Vec res, Vec Ares, PetscReal w, PetscReal *loss, Vec dldq, PetscBool *degenerate)
{
  PetscScalar d[2], e[2];
  Vec         be[2];
  PetscReal   s, c;

  PetscFunctionBegin;
  PetscCall(MatMult(A, q, Aq));
  be[0] = b;
  be[1] = Aq;
  PetscCall(VecMDot(q, 2, be, d)); /* q'b, q'Aq */
  PetscCheck(!PetscIsInfOrNanScalar(d[0]) && !PetscIsInfOrNanScalar(d[1]), PetscObjectComm((PetscObject)q), PETSC_ERR_FP,
             "DCDM loss: the network output is not finite (NaN/Inf)");
  *degenerate = (PetscBool) !(PetscRealPart(d[1]) > 0);
  if (*degenerate) {
    PetscCall(VecDot(b, b, &d[0]));
    *loss = PetscRealPart(d[0]);
    if (dldq) PetscCall(VecZeroEntries(dldq));
    PetscFunctionReturn(0);
  }
  s = PetscRealPart(d[0]) / PetscRealPart(d[1]);
  PetscCall(VecWAXPY(res, -s, Aq, b));
  be[0] = res;
  PetscCall(VecMDot(res, 2, be, e)); /* r'r, r'Aq */
  *loss = PetscRealPart(e[0]);
  if (dldq) {
    c = PetscRealPart(e[1]) / PetscRealPart(d[1]);
    PetscCall(MatMult(A, res, Ares));
    PetscCall(VecCopy(b, dldq));
    PetscCall(VecAXPBYPCZ(dldq, 4 * s * c * w, -2 * s * w, -2 * c * w, Aq, Ares));
  }
  PetscFunctionReturn(0);
}

/*@
  DCDMLoss - The DCDM training loss of one right-hand side, || b - (q'b / q'Aq) A q ||^2, and its
  gradient with respect to q.

  Collective

  Input Parameters:
+ A - symmetric matrix
. b - right-hand side
- q - the network's output for b

  Output Parameters:
+ loss - the loss (b'b when q'Aq <= 0, e.g. q = 0)
- dldq - (optional) dL/dq

  Level: advanced

.seealso: DCDMTrainerLossAndGradient()
@*/
PetscErrorCode DCDMLoss(Mat A, Vec b, Vec q, PetscReal *loss, Vec dldq)
{
  Vec      *w;
  PetscBool degenerate;

  PetscFunctionBegin;
  PetscCall(VecDuplicateVecs(b, 3, &w));
  PetscCall(DCDMLossWork(A, b, q, w[0], w[1], w[2], 1.0, loss, dldq, &degenerate));
  PetscCall(VecDestroyVecs(3, &w));
  PetscFunctionReturn(0);
}

static PetscErrorCode DCDMTrainerSampleLoss(DCDMTrainer tr, Vec b, PetscReal w, PetscBool grad, PetscReal *loss)
{
  PetscBool degenerate;

  PetscFunctionBegin;
  PetscCall(VecAXPBY(tr->bin, tr->input_scale, 0.0, b));
  PetscCall(NNCNN3DApply(tr->nn, tr->bin, tr->q));
  if (tr->mask) PetscCall(VecPointwiseMult(tr->q, tr->q, tr->mask));
  PetscCall(DCDMLossWork(tr->A, b, tr->q, tr->Aq, tr->res, tr->Ares, w, loss, grad ? tr->outbar : NULL, &degenerate));
  if (grad && tr->mask) PetscCall(VecPointwiseMult(tr->outbar, tr->outbar, tr->mask));
  if (degenerate) tr->degenerate++;
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerLossAndGradient - Mean loss of a mini-batch and its gradient with respect to the network's parameters.

  Collective

  Input Parameters:
+ tr      - the trainer (set up)
. nb      - samples in the batch
- samples - their indices (0 <= index < number of samples; the same on every rank)

  Output Parameters:
+ loss     - mean of || b - (q'b/q'Aq) A q ||^2 over the batch
- gradient - (optional) its gradient, a Vec of the layout of the network's parameters (NNGetParameters())

  Notes:
  Group g of the ranks evaluates the samples at positions p with p mod (number of groups) = g.

  Level: advanced

.seealso: DCDMTrainerTrain(), DCDMTrainerEvaluate()
@*/
PetscErrorCode DCDMTrainerLossAndGradient(DCDMTrainer tr, PetscInt nb, const PetscInt samples[], PetscReal *loss, Vec gradient)
{
  PetscReal l = 0;

  PetscFunctionBegin;
  PetscCheck(tr->setup, tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call DCDMTrainerSetUp() first");
  PetscCheck(nb > 0, tr->comm, PETSC_ERR_ARG_OUTOFRANGE, "An empty batch");
  if (gradient) PetscCall(PetscArrayzero(tr->gtheta, tr->np));
  for (PetscInt p = tr->group; p < nb; p += tr->ngroups) {
    PetscReal ls = 0;

    PetscCheck(samples[p] >= 0 && samples[p] < tr->nsamples, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Sample %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", samples[p], tr->nsamples);
    PetscCall(DCDMTrainerGetSample(tr, samples[p], tr->b));
    PetscCall(DCDMTrainerSampleLoss(tr, tr->b, 1.0 / nb, gradient ? PETSC_TRUE : PETSC_FALSE, &ls));
    l += ls / nb;
    if (gradient) PetscCall(NNCNN3DApplyBackward(tr->nn, tr->outbar, tr->gtheta, NULL));
  }
  PetscCall(MPIU_Allreduce(&l, loss, 1, MPIU_REAL, MPIU_SUM, tr->xcomm));
  if (gradient) {
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, tr->gtheta, tr->np, MPIU_REAL, MPIU_SUM, tr->xcomm));
    PetscCall(NNReduceGradient(tr->nn, tr->gtheta, gradient));
  }
  PetscFunctionReturn(0);
}

/* The batch of Adam step `step`: positions [k B, (k+1) B) of the epoch's permutation of the
   training samples, the permutation a function of (seed, epoch) */
static PetscErrorCode DCDMTrainerBatch(DCDMTrainer tr, PetscInt step, const PetscInt **idx)
{
  const PetscInt per_epoch = tr->ntrain / tr->batch, epoch = step / per_epoch, k = step % per_epoch;

  PetscFunctionBegin;
  if (tr->perm_epoch != epoch) {
    PetscCall(NNRandomUniformArray((uint64_t)tr->seed, DCDM_STREAM_BATCH, (uint64_t)epoch * (uint64_t)tr->ntrain, tr->ntrain, tr->keys));
    for (PetscInt i = 0; i < tr->ntrain; i++) tr->perm[i] = i;
    PetscCall(PetscSortRealWithPermutation(tr->ntrain, tr->keys, tr->perm));
    tr->perm_epoch = epoch;
  }
  *idx = tr->perm + k * tr->batch;
  PetscFunctionReturn(0);
}

static PetscErrorCode DCDMTrainerObjective(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  DCDMTrainer     tr = (DCDMTrainer)ctx;
  Vec             theta;
  const PetscInt *idx = NULL;

  PetscFunctionBegin;
  (void)tao;
  PetscCall(NNGetParameters(tr->nn, &theta));
  PetscCall(VecCopy(X, theta));
  PetscCall(DCDMTrainerBatch(tr, tr->step, &idx));
  PetscCall(DCDMTrainerLossAndGradient(tr, tr->batch, idx, f, G));
  PetscFunctionReturn(0);
}

/* The trainer's pre-step hook: the batch of the next evaluation is that of this step */
static PetscErrorCode DCDMTrainerPreStep(NNTrainer trainer, PetscInt step, void *ctx)
{
  PetscFunctionBegin;
  (void)trainer;
  ((DCDMTrainer)ctx)->step = step;
  PetscFunctionReturn(0);
}

static PetscBool Every(PetscInt step, PetscInt k)
{
  return (PetscBool)(k > 0 && step % k == 0);
}

static PetscInt ValidateEvery(DCDMTrainer tr)
{
  return tr->validate_every ? tr->validate_every : tr->ntrain / tr->batch;
}

/* The trainer's monitor, at the iterate after `total` steps: the validation loss when due, and the
   mean of the batch losses for the progress line */
static PetscErrorCode DCDMTrainerMonitor(NNTrainer trainer, NNTrainStage stage, PetscInt it, PetscInt total, PetscReal loss, void *ctx,
                                         PetscBool *stop)
{
  DCDMTrainer tr = (DCDMTrainer)ctx;

  PetscFunctionBegin;
  (void)trainer, (void)stage, (void)it, (void)stop;
  tr->val_now = PETSC_FALSE;
  if (total > tr->step0 && tr->nval && Every(total, ValidateEvery(tr))) {
    PetscCall(DCDMTrainerEvaluate(tr, PETSC_TRUE, &tr->last_val));
    tr->val_now = PETSC_TRUE;
  }
  tr->line_mean = tr->window_steps ? tr->window_loss / tr->window_steps : -1;
  if (Every(total, tr->monitor_every)) {
    tr->window_loss  = 0;
    tr->window_steps = 0;
  }
  /* this step's batch loss belongs to the next line */
  tr->window_loss += loss;
  tr->window_steps++;
  PetscFunctionReturn(0);
}

/* The DCDM fields of the progress line */
static PetscErrorCode DCDMTrainerProgress(NNTrainer trainer, void *ctx)
{
  DCDMTrainer    tr        = (DCDMTrainer)ctx;
  const PetscInt per_epoch = tr->ntrain / tr->batch;
  PetscInt       total;
  PetscReal      lr;
  PetscLogDouble now;
  Tao            adam;

  PetscFunctionBegin;
  PetscCall(NNTrainerGetTotalIterations(trainer, &total));
  PetscCall(NNTrainerGetTao(trainer, NN_TRAIN_STAGE_ADAM, &adam));
  PetscCall(TaoAdamGetCurrentLearningRate(adam, &lr));
  PetscCall(PetscTime(&now));
  { /* -1: not computed yet (no step in this window, no validation yet): shown as n/a, not as a loss */
    char mean[32] = "n/a        ", val[32] = "n/a        ";

    if (tr->line_mean >= 0) PetscCall(PetscSNPrintf(mean, sizeof(mean), "%.5e", (double)tr->line_mean));
    if (tr->last_val >= 0) PetscCall(PetscSNPrintf(val, sizeof(val), "%.5e", (double)tr->last_val));
    PetscCall(PetscPrintf(tr->comm, "  epoch %7.2f  mean %s  val %s  lr %.1e  %6.2f samples/s", (double)total / per_epoch, mean, val, (double)lr,
                          now > tr->t0 ? (double)((total - tr->step0) * tr->batch) / (now - tr->t0) : 0.0));
  }
  PetscFunctionReturn(0);
}

/* The DCDM columns of the history */
static PetscErrorCode DCDMTrainerHistory(NNTrainer trainer, PetscReal v[], void *ctx)
{
  DCDMTrainer tr = (DCDMTrainer)ctx;
  PetscInt    total;
  Tao         adam;

  PetscFunctionBegin;
  PetscCall(NNTrainerGetTotalIterations(trainer, &total));
  PetscCall(NNTrainerGetTao(trainer, NN_TRAIN_STAGE_ADAM, &adam));
  v[0] = (PetscReal)total / (tr->ntrain / tr->batch);
  v[1] = tr->val_now ? tr->last_val : (PetscReal)NAN;
  PetscCall(TaoAdamGetCurrentLearningRate(adam, &v[2]));
  PetscFunctionReturn(0);
}

/* The DCDM state of a checkpoint (the trainer's comes first): the network as "dcdm", so that the
   file is a model for -ksp_dcdm_model, and what the batch sequence depends on */
static PetscErrorCode DCDMTrainerCheckpointWrite(NNTrainer trainer, NNCheckpoint ck, void *ctx)
{
  DCDMTrainer tr = (DCDMTrainer)ctx;
  PetscInt    total;

  PetscFunctionBegin;
  PetscCall(NNTrainerGetTotalIterations(trainer, &total));
  PetscCall(NNCheckpointWriteNN(ck, "dcdm", tr->nn));
  PetscCall(NNCheckpointSetInt(ck, "step", total)); /* the first format's step count, for its readers */
  PetscCall(NNCheckpointSetInt(ck, "layers", tr->layers));
  PetscCall(NNCheckpointSetInt(ck, "batch", tr->batch));
  PetscCall(NNCheckpointSetInt(ck, "seed", tr->seed));
  PetscCall(NNCheckpointSetInt(ck, "training_samples", tr->ntrain));
  PetscCall(NNCheckpointSetReal(ck, "validation_loss", tr->last_val));
  PetscCall(NNCheckpointSetString(ck, "data", tr->data));
  PetscCall(NNCheckpointSetReal(ck, "data_checksum", tr->data_checksum));
  PetscFunctionReturn(0);
}

static PetscErrorCode DCDMTrainerCheckpointRead(NNTrainer trainer, NNCheckpoint ck, void *ctx)
{
  DCDMTrainer tr = (DCDMTrainer)ctx;
  PetscInt    layers, batch, seed = tr->seed, ntrain = tr->ntrain;
  PetscBool   has;

  PetscFunctionBegin;
  (void)trainer;
  PetscCall(NNCheckpointGetInt(ck, "layers", &layers));
  PetscCheck(layers == tr->layers, tr->comm, PETSC_ERR_ARG_INCOMP,
             "The checkpoint %s holds a K=%" PetscInt_FMT " network, -dcdm_train_layers is %" PetscInt_FMT, tr->restart, layers, tr->layers);
  /* the batch sequence is a function of (seed, batch, training samples): a restart continues it only if they match */
  PetscCall(NNCheckpointGetInt(ck, "batch", &batch));
  PetscCall(NNCheckpointHas(ck, "seed", &has));
  if (has) PetscCall(NNCheckpointGetInt(ck, "seed", &seed));
  PetscCall(NNCheckpointHas(ck, "training_samples", &has));
  if (has) PetscCall(NNCheckpointGetInt(ck, "training_samples", &ntrain));
  PetscCheck(batch == tr->batch && seed == tr->seed && ntrain == tr->ntrain, tr->comm, PETSC_ERR_ARG_INCOMP,
             "The checkpoint %s was written with batch %" PetscInt_FMT ", seed %" PetscInt_FMT " and %" PetscInt_FMT
             " training samples; this run has %" PetscInt_FMT ", %" PetscInt_FMT " and %" PetscInt_FMT
             ": give the same -dcdm_train_batch, -dcdm_train_seed, -dcdm_train_validation_fraction and data to continue it",
             tr->restart, batch, seed, ntrain, tr->batch, tr->seed, tr->ntrain);
  PetscCall(NNCheckpointHas(ck, "data_checksum", &has)); /* older checkpoints: not checked */
  if (has) {
    PetscReal sum;
    char      data[PETSC_MAX_PATH_LEN] = "";

    PetscCall(NNCheckpointGetReal(ck, "data_checksum", &sum));
    PetscCall(NNCheckpointHas(ck, "data", &has));
    if (has) PetscCall(NNCheckpointGetString(ck, "data", data, sizeof(data)));
    /* float data summed in another order on another rank count: round-off only */
    PetscCheck(PetscAbsReal(sum - tr->data_checksum) <= 1e-9 * (PetscAbsReal(sum) + PetscAbsReal(tr->data_checksum)) + 1e-12, tr->comm,
               PETSC_ERR_ARG_INCOMP,
               "The checkpoint %s was trained on another training set (%s, checksum %.15g) than -dcdm_train_data %s (checksum %.15g): give the same "
               "data to continue it, or start from its weights with -dcdm_train_init",
               tr->restart, data[0] ? data : "its data", (double)sum, tr->data, (double)tr->data_checksum);
  }
  PetscCall(NNCheckpointReadNN(ck, "dcdm", tr->nn));
  PetscCall(NNCheckpointGetReal(ck, "validation_loss", &tr->last_val));
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerSetUp - Splits the ranks into groups, builds each group's problem (-poisson3d_*) and
  network, reads the training set and restores a checkpoint or initial weights when asked.

  Collective

  Input Parameter:
. tr - the trainer

  Level: intermediate

.seealso: DCDMTrainerSetFromOptions(), DCDMTrainerTrain()
@*/
PetscErrorCode DCDMTrainerSetUp(DCDMTrainer tr)
{
  PetscMPIInt size, grank;
  Vec         theta;

  PetscFunctionBegin;
  if (tr->setup) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_size(tr->comm, &size));
  PetscCallMPI(MPI_Comm_rank(tr->comm, &tr->rank));
  PetscCheck(tr->ranks_per_sample >= 1 && size % tr->ranks_per_sample == 0, tr->comm, PETSC_ERR_ARG_INCOMP,
             "-dcdm_train_ranks_per_sample %" PetscInt_FMT " must divide the number of ranks %d", tr->ranks_per_sample, (int)size);
  tr->ngroups = (PetscMPIInt)(size / tr->ranks_per_sample);
  tr->group   = (PetscMPIInt)(tr->rank / tr->ranks_per_sample);
  PetscCallMPI(MPI_Comm_split(tr->comm, tr->group, tr->rank, &tr->gcomm));
  PetscCallMPI(MPI_Comm_rank(tr->gcomm, &grank));
  PetscCallMPI(MPI_Comm_split(tr->comm, grank, tr->rank, &tr->xcomm));

  /* the group's problem and network */
  PetscCall(Poisson3dCreate(tr->gcomm, 32, &tr->prob));
  PetscCall(Poisson3dSetFromOptions(tr->prob));
  PetscCall(Poisson3dSetUp(tr->prob));
  PetscCall(Poisson3dGetDM(tr->prob, &tr->da));
  PetscCall(Poisson3dGetMatrix(tr->prob, &tr->A));
  if (tr->mask_output) PetscCall(Poisson3dGetFluidMask(tr->prob, &tr->mask));
  PetscCall(DMCreateGlobalVector(tr->da, &tr->b));
  PetscCall(VecDuplicate(tr->b, &tr->q));
  PetscCall(VecDuplicate(tr->b, &tr->Aq));
  PetscCall(VecDuplicate(tr->b, &tr->res));
  PetscCall(VecDuplicate(tr->b, &tr->Ares));
  PetscCall(VecDuplicate(tr->b, &tr->outbar));
  PetscCall(VecDuplicate(tr->b, &tr->bin));
  {
    PetscInt N;

    PetscCall(VecGetSize(tr->b, &N));
    tr->input_scale = PetscSqrtReal((PetscReal)N);
  }
  PetscCall(NNCreate(tr->gcomm, &tr->nn));
  PetscCall(NNSetType(tr->nn, NNCNN3D));
  PetscCall(NNCNN3DSetLayers(tr->nn, tr->layers));
  PetscCall(NNSetSeed(tr->nn, (uint64_t)tr->seed));
  PetscCall(NNSetUp(tr->nn));
  PetscCall(NNCNN3DSetDM(tr->nn, tr->da));
  PetscCall(NNCNN3DSetKeepActivations(tr->nn, PETSC_TRUE));
  PetscCall(NNGetNumParameters(tr->nn, &tr->np));
  PetscCall(PetscMalloc1(tr->np, &tr->gtheta));
  PetscCall(DCDMTrainerLoadData(tr));
  PetscCall(PetscMalloc2(tr->ntrain, &tr->perm, tr->ntrain, &tr->keys));

  /* Adam through the trainer, on the group's copy of the parameters; every group takes the same steps */
  PetscCall(NNGetParameters(tr->nn, &theta));
  PetscCall(NNTrainerCreate(tr->gcomm, &tr->trainer));
  PetscCall(NNTrainerSetOptionsPrefix(tr->trainer, "dcdm_train_"));
  PetscCall(NNTrainerSetObjectiveAndGradient(tr->trainer, theta, DCDMTrainerObjective, tr));
  /* until DCDMTrainerTrain() sets the target: a checkpoint of any step resumes Adam */
  PetscCall(NNTrainerSetSteps(tr->trainer, PETSC_MAX_INT / 2, 0));
  PetscCall(NNTrainerSetDataParallel(tr->trainer, tr->comm, (PetscBool)(tr->group == 0)));
  PetscCall(NNTrainerSetDivergenceFactor(tr->trainer, 0)); /* the loss is at most b'b = 1 */
  PetscCall(NNTrainerSetMaxTime(tr->trainer, tr->max_time));
  PetscCall(NNTrainerSetCheckpoint(tr->trainer, tr->checkpoint, tr->checkpoint_every));
  PetscCall(NNTrainerSetCheckpointFunctions(tr->trainer, DCDMTrainerCheckpointWrite, DCDMTrainerCheckpointRead, tr));
  PetscCall(NNTrainerSetHistory(tr->trainer, tr->history));
  {
    const char *names[3] = {"epoch", "validation_loss", "learning_rate"};

    PetscCall(NNTrainerSetHistoryColumns(tr->trainer, 3, names, DCDMTrainerHistory, tr));
  }
  PetscCall(NNTrainerSetProgress(tr->trainer, (PetscBool)(tr->monitor_every > 0), tr->monitor_every > 0 ? tr->monitor_every : PETSC_DEFAULT,
                                 DCDMTrainerProgress, tr));
  PetscCall(NNTrainerMonitorSet(tr->trainer, DCDMTrainerMonitor, tr, NULL));
  PetscCall(NNTrainerSetPreStep(tr->trainer, DCDMTrainerPreStep, tr));
  {
    Tao adam;

    /* the options of the first format: -dcdm_train_tao_adam_lr etc. */
    PetscCall(NNTrainerGetTao(tr->trainer, NN_TRAIN_STAGE_ADAM, &adam));
    PetscCall(TaoSetOptionsPrefix(adam, "dcdm_train_"));
    PetscCall(TaoAdamSetLearningRate(adam, 1e-4)); /* the paper's */
    PetscCall(TaoSetFromOptions(adam));
    PetscCall(TaoSetUp(adam)); /* the Adam state exists from the start, for checkpoints before the first step */
  }

  if (tr->init[0]) {
    NNCheckpoint ck;

    PetscCall(NNCheckpointOpen(tr->gcomm, tr->init, FILE_MODE_READ, &ck));
    PetscCall(NNCheckpointReadNN(ck, "dcdm", tr->nn));
    PetscCall(NNCheckpointClose(&ck));
  }
  if (tr->restart[0]) {
    PetscInt step;

    PetscCall(NNTrainerCheckpointLoad(tr->trainer, tr->restart));
    PetscCall(NNTrainerGetTotalIterations(tr->trainer, &step));
    PetscCall(PetscPrintf(tr->comm, "Restarted from %s at step %" PetscInt_FMT "\n", tr->restart, step));
  }
  tr->setup = PETSC_TRUE;
  PetscCall(PetscPrintf(tr->comm,
                        "DCDM training: %" PetscInt_FMT " training + %" PetscInt_FMT " validation samples from %s, batch %" PetscInt_FMT
                        ", %d group(s) of %" PetscInt_FMT " rank(s), K=%" PetscInt_FMT " network (%" PetscInt_FMT " parameters)\n",
                        tr->ntrain, tr->nval, tr->data, tr->batch, (int)tr->ngroups, tr->ranks_per_sample, tr->layers, tr->np));
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerEvaluate - Mean loss over the training or the validation samples at the current weights.

  Collective

  Input Parameters:
+ tr         - the trainer (set up)
- validation - PETSC_TRUE: the held-out samples; PETSC_FALSE: the training samples

  Output Parameter:
. loss - the mean loss (-1 when the set is empty)

  Level: intermediate

.seealso: DCDMTrainerLossAndGradient()
@*/
PetscErrorCode DCDMTrainerEvaluate(DCDMTrainer tr, PetscBool validation, PetscReal *loss)
{
  const PetscInt first = validation ? tr->ntrain : 0, n = validation ? tr->nval : tr->ntrain;
  PetscInt      *idx;

  PetscFunctionBegin;
  PetscCheck(tr->setup, tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call DCDMTrainerSetUp() first");
  if (!n) {
    *loss = -1;
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc1(n, &idx));
  for (PetscInt i = 0; i < n; i++) idx[i] = first + i;
  PetscCall(DCDMTrainerLossAndGradient(tr, n, idx, loss, NULL));
  PetscCall(PetscFree(idx));
  PetscFunctionReturn(0);
}

/*@C
  DCDMTrainerWriteCheckpoint - Writes the network (as "dcdm", so the file is a model for
  -ksp_dcdm_model), the Adam state and the progress. Written by the first group.

  Collective

  Input Parameters:
+ tr   - the trainer
- file - the file (atomically replaced)

  Level: intermediate

.seealso: DCDMTrainerSetUp(), KSPDCDMSetModel()
@*/
PetscErrorCode DCDMTrainerWriteCheckpoint(DCDMTrainer tr, const char file[])
{
  PetscFunctionBegin;
  PetscCheck(tr->setup, tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call DCDMTrainerSetUp() first");
  PetscCall(NNTrainerCheckpointSave(tr->trainer, file));
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerTrain - Runs Adam steps over mini-batches, with progress lines, validation losses,
  periodic checkpoints and the time limit.

  Collective

  Input Parameters:
+ tr    - the trainer (set up)
- steps - steps to run (PETSC_DETERMINE: up to -dcdm_train_steps in total)

  Notes:
  Stops early, after writing a checkpoint, when -dcdm_train_max_time is reached; the run continues
  exactly from that checkpoint with -dcdm_train_restart. A NaN in the network or the loss stops with
  an error; the last checkpoint is intact.

  Level: intermediate

.seealso: DCDMTrainerSetUp(), DCDMTrainerWriteCheckpoint()
@*/
PetscErrorCode DCDMTrainerTrain(DCDMTrainer tr, PetscInt steps)
{
  PetscInt  total, target;
  PetscBool timedout;

  PetscFunctionBegin;
  PetscCheck(tr->setup, tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call DCDMTrainerSetUp() first");
  PetscCall(NNTrainerGetTotalIterations(tr->trainer, &total));
  target = steps == PETSC_DETERMINE ? tr->steps : total + steps;
  PetscCheck(!(steps == PETSC_DETERMINE && tr->restart[0] && target <= total), tr->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Nothing to do: checkpoint %s holds %" PetscInt_FMT " steps, and -dcdm_train_steps is %" PetscInt_FMT
             " (the total, not the further steps): ask for more to continue training",
             tr->restart, total, tr->steps);
  if (target <= total) PetscFunctionReturn(0);
  PetscCall(NNTrainerSetSteps(tr->trainer, target, 0));
  PetscCall(PetscTime(&tr->t0));
  tr->step0        = total;
  tr->window_loss  = 0;
  tr->window_steps = 0;
  PetscCall(NNTrainerTrain(tr->trainer));
  PetscCall(NNTrainerGetTotalIterations(tr->trainer, &total));
  PetscCall(NNTrainerGetTimedOut(tr->trainer, &timedout));
  PetscCheck(total == target || timedout, tr->comm, PETSC_ERR_NOT_CONVERGED,
             "DCDM training: the gradient of the batch of step %" PetscInt_FMT " is exactly zero (the network's output vanishes on every sample); "
             "restart from an earlier checkpoint (%s) with a lower learning rate",
             total, tr->checkpoint);
  /* the trainer monitors the iterate before each step: the last one's validation and line here */
  if (tr->nval) PetscCall(DCDMTrainerEvaluate(tr, PETSC_TRUE, &tr->last_val));
  if (tr->monitor_every) {
    PetscReal loss;

    tr->line_mean = tr->window_steps ? tr->window_loss / tr->window_steps : -1;
    PetscCall(NNTrainerGetProgress(tr->trainer, NULL, NULL, &loss));
    PetscCall(NNTrainerPrintProgress(tr->trainer, timedout ? NN_TRAIN_STAGE_ADAM : NN_TRAIN_STAGE_DONE, total, loss));
  }
  if (tr->degenerate) PetscCall(PetscInfo(NULL, "%" PetscInt_FMT " samples had a zero network output\n", tr->degenerate));
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerGetStep - Adam steps done.

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameter:
. step - the count

  Level: intermediate

.seealso: `DCDMTrainerTrain()`
@*/
PetscErrorCode DCDMTrainerGetStep(DCDMTrainer tr, PetscInt *step)
{
  PetscFunctionBegin;
  *step = 0;
  if (tr->trainer) PetscCall(NNTrainerGetTotalIterations(tr->trainer, step));
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerGetNN - The network being trained (the first group's copy on its ranks).

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameter:
. nn - the network

  Level: intermediate

.seealso: `DCDMTrainerSetUp()`
@*/
PetscErrorCode DCDMTrainerGetNN(DCDMTrainer tr, NN *nn)
{
  PetscFunctionBegin;
  *nn = tr->nn;
  PetscFunctionReturn(0);
}

/*@
  DCDMTrainerGetNumSamples - Sizes of the training and validation sets.

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameters:
+ ntrain      - training samples
- nvalidation - validation samples

  Level: intermediate

.seealso: `DCDMTrainerSetUp()`
@*/
PetscErrorCode DCDMTrainerGetNumSamples(DCDMTrainer tr, PetscInt *ntrain, PetscInt *nval)
{
  PetscFunctionBegin;
  if (ntrain) *ntrain = tr->ntrain;
  if (nval) *nval = tr->nval;
  PetscFunctionReturn(0);
}

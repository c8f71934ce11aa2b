/* NNTrainer: the library's one training loop. Adam for a number of steps, then L-BFGS (TAO lmvm),
   resumable at any step, with the services every trainer needs: monitors, the progress line with
   ETA, the CSV history, checkpoints (owners add their state), restart, a wall-time limit, the
   NaN/divergence stop, and hooks between steps (adapt, pre-step). */
#define _POSIX_C_SOURCE 200809L /* fileno, ftruncate */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nnpde/train.h>
#include <nnpde/adam.h>
#include <petsc/private/petscimpl.h>
#include <nnpde/sys.h>
#include <nnpde/private/nnimpl.h>

const char *const NNTrainStages[] = {"adam", "lbfgs", "done", "NNTrainStage", "NN_TRAIN_STAGE_", NULL};

#define NNTRAINER_MAX_MONITORS 8

struct _NNTrainerOps {
  PetscErrorCode (*view)(NNTrainer, PetscViewer);
};

struct _p_NNTrainer {
  PETSCHEADER(struct _NNTrainerOps);
  Vec params; /* the network's parameters: what the objective evaluates */
  Vec x;      /* the optimizers' iterate, copied into params by the objective */
  PetscErrorCode (*objgrad)(Tao, Vec, PetscReal *, Vec, void *);
  void        *ctx;
  PetscInt     nsteps[2]; /* Adam, L-BFGS */
  Tao          tao[2];
  NNTrainStage stage;
  PetscInt     it;       /* iterations done in the current stage */
  PetscInt     total;    /* iterations done in all stages */
  PetscInt     inflight; /* iterations of the TaoSolve() under way, seen by the monitor */
  PetscReal    loss;
  PetscReal    divergence; /* stop when the loss exceeds this times loss0 (0: never) */
  PetscReal    loss0;      /* the reference: the largest loss since the last reset of the steps before ref_end (-1: none yet) */
  PetscInt     ref_end;    /* the first step checked against loss0 */
  PetscInt     ref_window; /* steps that set the reference after the start and after each adapt step */
  PetscBool    stopped;    /* a monitor asked to stop */
  PetscBool    restored;   /* read from a checkpoint, not stepped since */

  PetscInt           nmon;
  NNTrainerMonitorFn mon[NNTRAINER_MAX_MONITORS];
  void              *monctx[NNTRAINER_MAX_MONITORS];
  PetscErrorCode (*mondestroy[NNTRAINER_MAX_MONITORS])(void **);

  PetscBool           show; /* the progress line */
  PetscInt            every;
  NNTrainerProgressFn progress;
  void               *progress_ctx;

  char               history[PETSC_MAX_PATH_LEN];
  FILE              *hfp;
  PetscInt           hn;
  char             **hnames;
  PetscReal         *hvals;
  NNTrainerHistoryFn hfn;
  void              *hctx;

  char                  checkpoint[PETSC_MAX_PATH_LEN], restart[PETSC_MAX_PATH_LEN];
  PetscInt              checkpoint_every;
  NNTrainerCheckpointFn ckwrite, ckread;
  void                 *ckctx;

  PetscReal      max_time; /* seconds of this run (0: no limit) */
  PetscBool      timedout;
  PetscBool      started; /* t_start and it_start are set */
  PetscLogDouble t_start;
  PetscReal      elapsed0; /* seconds of the runs before a restart */
  PetscInt       it_start;

  PetscInt        adapt_every;
  NNTrainerStepFn adapt, prestep;
  void           *adapt_ctx, *prestep_ctx;
  PetscInt        adapt_owed; /* the adapt step this run stopped just before (-1: none): a continuation calls the hook */
  Vec             adapt_x;    /* with these parameters, those of step adapt_owed - 1, as a run that went on would */

  MPI_Comm  all;    /* data-parallel groups: every rank of the training (MPI_COMM_NULL: this comm) */
  PetscBool writer; /* this group writes checkpoints and history */
};

static const char *Prefix(NNTrainer tr)
{
  return ((PetscObject)tr)->prefix ? ((PetscObject)tr)->prefix : "";
}

/* The communicator on which decisions are shared: all ranks of the training */
static MPI_Comm AllComm(NNTrainer tr)
{
  return tr->all != MPI_COMM_NULL ? tr->all : PetscObjectComm((PetscObject)tr);
}

static PetscErrorCode NNTrainerElapsed(NNTrainer tr, PetscReal *elapsed)
{
  PetscLogDouble now;
  double         t;

  PetscFunctionBegin;
  PetscCall(PetscTime(&now));
  t = tr->started ? now - tr->t_start : 0;
  /* one clock decides for all ranks */
  PetscCallMPI(MPI_Bcast(&t, 1, MPI_DOUBLE, 0, AllComm(tr)));
  *elapsed = (PetscReal)t;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerPrintProgress - Prints the progress line: iteration, stage, loss, the owner's fields
  (NNTrainerSetProgress()), the time since training started and the estimated time to the end.

  Collective

  Input Parameters:
+ tr    - the trainer
. stage - the stage to show
. total - iterations done in all stages
- loss  - the loss to show

  Level: intermediate

.seealso: `NNTrainerSetProgress()`
@*/
PetscErrorCode NNTrainerPrintProgress(NNTrainer tr, NNTrainStage stage, PetscInt total, PetscReal loss)
{
  MPI_Comm       comm = AllComm(tr);
  PetscLogDouble now, elapsed, eta;
  PetscInt       done, left;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCall(PetscTime(&now));
  elapsed = tr->started ? now - tr->t_start : 0;
  done    = total - tr->it_start;
  left    = tr->nsteps[0] + tr->nsteps[1] - total;
  eta     = done > 0 ? elapsed / done * PetscMax(left, 0) : 0;
  PetscCall(PetscPrintf(comm, "%6" PetscInt_FMT " %-5s loss %.3e", total, NNTrainStages[stage], (double)loss));
  if (tr->progress) PetscCall((*tr->progress)(tr, tr->progress_ctx));
  PetscCall(PetscPrintf(comm, "  %.1f s, ETA %.1f s\n", elapsed, eta));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNTrainerHistoryRow(NNTrainer tr, NNTrainStage stage, PetscInt total, PetscReal loss)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)tr);

  PetscFunctionBegin;
  if (tr->hn) PetscCall((*tr->hfn)(tr, tr->hvals, tr->hctx));
  if (!tr->hfp) PetscFunctionReturn(0);
  /* full precision: the values read back are the doubles the run had */
  PetscCall(PetscFPrintf(comm, tr->hfp, "%" PetscInt_FMT ",%s,%.17g", total, NNTrainStages[stage], (double)loss));
  for (PetscInt c = 0; c < tr->hn; c++) {
    if (PetscIsNanReal(tr->hvals[c]))
      PetscCall(PetscFPrintf(comm, tr->hfp, ","));
    else
      PetscCall(PetscFPrintf(comm, tr->hfp, ",%.17g", (double)tr->hvals[c]));
  }
  PetscCall(PetscFPrintf(comm, tr->hfp, "\n"));
  PetscFunctionReturn(0);
}

/* Whether the history's writes so far reached the file (flush: write the buffered rows out first; a full disk shows
   only then), shared with every rank of every group */
static PetscErrorCode NNTrainerHistoryCheck(NNTrainer tr, PetscBool flush)
{
  int err = 0, any;

  PetscFunctionBegin;
  if (!tr->history[0]) PetscFunctionReturn(0);
  if (tr->hfp) {
    if (flush && fflush(tr->hfp)) err = errno ? errno : EIO;
    if (!err && ferror(tr->hfp)) err = EIO;
  }
  PetscCallMPI(MPI_Allreduce(&err, &any, 1, MPI_INT, MPI_MAX, AllComm(tr)));
  PetscCheck(!any, AllComm(tr), PETSC_ERR_FILE_WRITE, "Cannot write the history file %s (-%smonitor_history): %s", tr->history, Prefix(tr),
             strerror(any));
  PetscFunctionReturn(0);
}

/* Closes the history after its last row, checking that everything reached the file */
static PetscErrorCode NNTrainerHistoryClose(NNTrainer tr)
{
  PetscFunctionBegin;
  PetscCall(NNTrainerHistoryCheck(tr, PETSC_TRUE));
  if (tr->hfp) {
    PetscCall(PetscFClose(PetscObjectComm((PetscObject)tr), tr->hfp));
    tr->hfp = NULL;
  }
  PetscFunctionReturn(0);
}

/* The divergence check's reference restarts at step `from`: the largest loss of the next ref_window steps */
static void NNTrainerResetReference(NNTrainer tr, PetscInt from)
{
  tr->loss0   = -1;
  tr->ref_end = from + tr->ref_window;
}

/* Called by TAO once per iteration of either stage: the services, then the hooks of the next step */
static PetscErrorCode NNTrainerTaoMonitor(Tao tao, void *ctx)
{
  NNTrainer tr   = (NNTrainer)ctx;
  MPI_Comm  comm = PetscObjectComm((PetscObject)tr);
  PetscInt  its, total, planned = tr->nsteps[0] + tr->nsteps[1];
  PetscReal f;
  PetscBool stop = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, NULL, NULL, NULL, NULL));
  /* f is the global loss, the same on every rank: every rank raises the same error */
  PetscCheck(!PetscIsInfOrNanReal(f), comm, PETSC_ERR_FP, "Loss is %g at %s iteration %" PetscInt_FMT " (step %" PetscInt_FMT " in all)", (double)f,
             NNTrainStages[tr->stage], tr->it + its, tr->total + its);
  /* the reference is a step's loss, or with mini-batches the largest of an epoch's, after the start and after each
     adapt step (new points change the loss's scale); a restart reads it from the checkpoint */
  if (tr->loss0 < 0 || tr->total + its < tr->ref_end) tr->loss0 = PetscMax(tr->loss0, f);
  PetscCheck(!(tr->divergence > 0 && f > tr->divergence * tr->loss0), comm, PETSC_ERR_NOT_CONVERGED,
             "Training diverged: the loss is %g at %s iteration %" PetscInt_FMT " (step %" PetscInt_FMT
             " in all), more than %g times the %g of reference (the largest loss of the %" PetscInt_FMT
             " step(s) after the start or the last adapt step); lower the learning rate, or raise -%sdivergence_factor",
             (double)f, NNTrainStages[tr->stage], tr->it + its, tr->total + its, (double)tr->divergence, (double)tr->loss0, tr->ref_window,
             Prefix(tr));
  tr->inflight = its;
  tr->loss     = f;
  total        = tr->total + its;
  /* the objective may have left a line-search trial point in params: show the iterate */
  PetscCall(VecCopy(tr->x, tr->params));
  for (PetscInt m = 0; m < tr->nmon; m++) {
    PetscBool s = PETSC_FALSE;

    PetscCall((*tr->mon[m])(tr, tr->stage, tr->it + its, total, f, tr->monctx[m], &s));
    if (s) stop = PETSC_TRUE;
  }
  PetscCall(NNTrainerHistoryRow(tr, tr->stage, total, f));
  PetscCall(NNTrainerHistoryCheck(tr, PETSC_TRUE)); /* each row reaches the file: a run that fails next keeps it */
  if (tr->show && tr->every > 0 && total % tr->every == 0) PetscCall(NNTrainerPrintProgress(tr, tr->stage, total, f));
  if (stop) {
    tr->stopped = PETSC_TRUE;
    PetscCall(TaoSetConvergedReason(tao, TAO_CONVERGED_USER));
  }
  if (tr->checkpoint[0] && tr->checkpoint_every > 0 && total > tr->it_start && total % tr->checkpoint_every == 0)
    PetscCall(NNTrainerCheckpointSave(tr, tr->checkpoint));
  if (tr->max_time > 0 && total > tr->it_start && !stop) {
    PetscReal t;

    PetscCall(NNTrainerElapsed(tr, &t));
    if (t >= tr->max_time) {
      tr->timedout = PETSC_TRUE; /* the checkpoint is written when the step returns (NNTrainerTrain()) */
      PetscCall(TaoSetConvergedReason(tao, TAO_CONVERGED_USER));
    }
  }
  /* the next evaluation is of step total + 1 (none after the wall-time stop: the checkpoint holds step total) */
  if (tr->timedout) PetscFunctionReturn(0);
  if (tr->adapt && tr->adapt_every > 0 && (total + 1) % tr->adapt_every == 0) {
    if (total + 1 < planned) {
      PetscCall((*tr->adapt)(tr, total + 1, tr->adapt_ctx));
      NNTrainerResetReference(tr, total + 1);
    } else if (total + 1 == planned) {
      /* the run ends before that step: keep these parameters for the hook of a continuation (and the checkpoint) */
      if (!tr->adapt_x) PetscCall(VecDuplicate(tr->params, &tr->adapt_x));
      PetscCall(VecCopy(tr->params, tr->adapt_x));
      tr->adapt_owed = total + 1;
    }
  }
  if (tr->prestep) PetscCall((*tr->prestep)(tr, total + 1, tr->prestep_ctx));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerMonitorSet - Adds a function called once per iteration of either stage (after the
  objective at the iterate, before the step), with the parameters Vec holding the iterate.

  Logically Collective

  Input Parameters:
+ tr      - the trainer
. fn      - the monitor; it may set *stop to end training
. ctx     - its context
- destroy - (optional) frees ctx when the trainer is destroyed or the monitors cancelled

  Level: intermediate

.seealso: `NNTrainerMonitorCancel()`, `NNTrainerSetMonitor()`
@*/
PetscErrorCode NNTrainerMonitorSet(NNTrainer tr, NNTrainerMonitorFn fn, void *ctx, PetscErrorCode (*destroy)(void **))
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(tr->nmon < NNTRAINER_MAX_MONITORS, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE, "At most %d trainer monitors",
             NNTRAINER_MAX_MONITORS);
  tr->mon[tr->nmon]        = fn;
  tr->monctx[tr->nmon]     = ctx;
  tr->mondestroy[tr->nmon] = destroy;
  tr->nmon++;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerMonitorCancel - Removes every monitor (calling their destroy functions).

  Logically Collective

  Input Parameter:
. tr - the trainer

  Level: intermediate

.seealso: `NNTrainerMonitorSet()`
@*/
PetscErrorCode NNTrainerMonitorCancel(NNTrainer tr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  for (PetscInt m = 0; m < tr->nmon; m++)
    if (tr->mondestroy[m]) PetscCall((*tr->mondestroy[m])(&tr->monctx[m]));
  tr->nmon = 0;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetMonitor - Replaces the monitors by one function (no destroy); NULL removes them.

  Logically Collective

  Input Parameters:
+ tr  - the trainer
. fn  - the monitor
- ctx - its context

  Level: beginner

.seealso: `NNTrainerMonitorSet()`
@*/
PetscErrorCode NNTrainerSetMonitor(NNTrainer tr, NNTrainerMonitorFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscCall(NNTrainerMonitorCancel(tr));
  if (fn) PetscCall(NNTrainerMonitorSet(tr, fn, ctx, NULL));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetProgress - The progress line (-<prefix>monitor, -<prefix>monitor_every): iteration,
  stage, loss, the owner's fields, elapsed time and ETA.

  Logically Collective

  Input Parameters:
+ tr    - the trainer
. show  - print it
. every - every this many iterations (PETSC_DEFAULT: unchanged)
. fn    - (optional) prints the owner's fields after the loss
- ctx   - its context

  Level: intermediate

.seealso: `NNTrainerPrintProgress()`
@*/
PetscErrorCode NNTrainerSetProgress(NNTrainer tr, PetscBool show, PetscInt every, NNTrainerProgressFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (every != PETSC_DEFAULT) {
    PetscCheck(every > 0, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE, "-%smonitor_every must be positive, got %" PetscInt_FMT,
               Prefix(tr), every);
    tr->every = every;
  }
  tr->show         = show;
  tr->progress     = fn;
  tr->progress_ctx = ctx;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetHistory - Writes every iteration to a CSV file (-<prefix>monitor_history): iteration,
  stage, loss and the owner's columns, at full precision (%.17g). A restarted run keeps the rows
  before its checkpoint and continues from there, so the file holds each iteration once.

  Logically Collective

  Input Parameters:
+ tr   - the trainer
- file - the file (NULL or "": none)

  Level: intermediate

.seealso: `NNTrainerSetHistoryColumns()`
@*/
PetscErrorCode NNTrainerSetHistory(NNTrainer tr, const char file[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (file != tr->history) PetscCall(PetscStrncpy(tr->history, file ? file : "", sizeof(tr->history))); /* SetFromOptions passes its own buffer */
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetHistoryColumns - The owner's columns of the history, after iteration, stage, loss.

  Logically Collective

  Input Parameters:
+ tr    - the trainer
. n     - number of columns
. names - their headers
. fn    - fills the n values of the current iteration (NaN: an empty field); also called without a history file, each iteration
- ctx   - its context

  Level: intermediate

.seealso: `NNTrainerSetHistory()`
@*/
PetscErrorCode NNTrainerSetHistoryColumns(NNTrainer tr, PetscInt n, const char *const names[], NNTrainerHistoryFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  for (PetscInt c = 0; c < tr->hn; c++) PetscCall(PetscFree(tr->hnames[c]));
  PetscCall(PetscFree2(tr->hnames, tr->hvals));
  tr->hn = fn ? n : 0;
  PetscCall(PetscMalloc2(tr->hn, &tr->hnames, tr->hn, &tr->hvals));
  for (PetscInt c = 0; c < tr->hn; c++) PetscCall(PetscStrallocpy(names[c], &tr->hnames[c]));
  tr->hfn  = fn;
  tr->hctx = ctx;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetCheckpoint - Writes a checkpoint every `every` iterations (0: only at the end of
  NNTrainerTrain() and at the wall-time limit) to `file` (-<prefix>checkpoint,
  -<prefix>checkpoint_every).

  Logically Collective

  Input Parameters:
+ tr    - the trainer
. file  - the file (NULL or "": no checkpoints)
- every - iterations between checkpoints (PETSC_DEFAULT: unchanged)

  Level: intermediate

.seealso: `NNTrainerSetCheckpointFunctions()`, `NNTrainerCheckpointSave()`
@*/
PetscErrorCode NNTrainerSetCheckpoint(NNTrainer tr, const char file[], PetscInt every)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (file != tr->checkpoint)
    PetscCall(PetscStrncpy(tr->checkpoint, file ? file : "", sizeof(tr->checkpoint))); /* SetFromOptions passes its own buffer */
  if (every != PETSC_DEFAULT) {
    PetscCheck(every >= 0, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE, "-%scheckpoint_every must be nonnegative, got %" PetscInt_FMT,
               Prefix(tr), every);
    tr->checkpoint_every = every;
  }
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetCheckpointFunctions - The owner's part of a checkpoint: `write` adds the owner's
  state (networks, points, data identity...) to an open checkpoint after the trainer's,
  `read` restores it. Without them a checkpoint holds the trainer's state and the parameters.

  Logically Collective

  Input Parameters:
+ tr    - the trainer
. write - writes the owner's state
. read  - reads it back
- ctx   - their context

  Level: intermediate

.seealso: `NNTrainerCheckpointSave()`, `NNTrainerCheckpointLoad()`
@*/
PetscErrorCode NNTrainerSetCheckpointFunctions(NNTrainer tr, NNTrainerCheckpointFn write, NNTrainerCheckpointFn read, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  tr->ckwrite = write;
  tr->ckread  = read;
  tr->ckctx   = ctx;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetRestart - NNTrainerTrain() continues from this checkpoint (-<prefix>restart).

  Logically Collective

  Input Parameters:
+ tr   - the trainer
- file - the checkpoint (NULL or "": start afresh)

  Level: intermediate

.seealso: `NNTrainerCheckpointLoad()`
@*/
PetscErrorCode NNTrainerSetRestart(NNTrainer tr, const char file[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (file != tr->restart) PetscCall(PetscStrncpy(tr->restart, file ? file : "", sizeof(tr->restart))); /* SetFromOptions passes its own buffer */
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetMaxTime - Stops NNTrainerTrain() after this many seconds of the run
  (-<prefix>max_time; 0: no limit): it writes a checkpoint and prints how to continue. The clock
  is rank 0's, checked after every iteration.

  Logically Collective

  Input Parameters:
+ tr      - the trainer
- seconds - the limit

  Level: intermediate

.seealso: `NNTrainerGetTimedOut()`
@*/
PetscErrorCode NNTrainerSetMaxTime(NNTrainer tr, PetscReal seconds)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(seconds >= 0, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE, "-%smax_time must be nonnegative, got %g", Prefix(tr),
             (double)seconds);
  tr->max_time = seconds;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerGetTimedOut - Whether the last NNTrainerStep() stopped at the wall-time limit.

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameter:
. out - PETSC_TRUE when stopped by -<prefix>max_time

  Level: intermediate

.seealso: `NNTrainerSetMaxTime()`
@*/
PetscErrorCode NNTrainerGetTimedOut(NNTrainer tr, PetscBool *out)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  *out = tr->timedout;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetAdapt - A hook called between steps, before the evaluation of every step s with
  s % every == 0 (0 < s < the planned total): for adaptive samplers that redraw points.

  Notes:
  The hook sees the parameters of step s - 1 (it runs in the monitor of that step). When a run
  ends exactly at such a step s, the hook is owed: the trainer keeps the parameters of step s - 1
  (also in its checkpoint), and a continuation (more steps, or a restart) calls the hook with them
  before its first evaluation, so that stopping there and continuing equals the uninterrupted run.

  Logically Collective

  Input Parameters:
+ tr    - the trainer
. every - steps between calls (0: never)
. fn    - the hook, called with the step about to be evaluated
- ctx   - its context

  Level: intermediate

.seealso: `NNTrainerSetPreStep()`
@*/
PetscErrorCode NNTrainerSetAdapt(NNTrainer tr, PetscInt every, NNTrainerStepFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(every >= 0, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE, "The adapt interval must be nonnegative, got %" PetscInt_FMT,
             every);
  tr->adapt_every = every;
  tr->adapt       = fn;
  tr->adapt_ctx   = ctx;
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetPreStep - A hook called before the evaluation of every step (after the adapt hook),
  and once when NNTrainerStep() starts: e.g. to select the step's mini-batch.

  Logically Collective

  Input Parameters:
+ tr  - the trainer
. fn  - the hook, called with the step about to be evaluated
- ctx - its context

  Level: intermediate

.seealso: `NNTrainerSetAdapt()`
@*/
PetscErrorCode NNTrainerSetPreStep(NNTrainer tr, NNTrainerStepFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  tr->prestep     = fn;
  tr->prestep_ctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetDataParallel - For data-parallel groups: each group of ranks has its own trainer (on
  the group's communicator) taking the same steps. Decisions (wall time) are shared over `all`,
  only the `writer` group writes checkpoints and the history, and a failed write is reported on
  every rank.

  Logically Collective

  Input Parameters:
+ tr     - the trainer
. all    - every rank of the training
- writer - whether this group writes

  Level: advanced

.seealso: `NNTrainerCheckpointSave()`
@*/
PetscErrorCode NNTrainerSetDataParallel(NNTrainer tr, MPI_Comm all, PetscBool writer)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  tr->all    = all;
  tr->writer = writer;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerCreate - Creates a trainer: Adam for 2000 steps, then L-BFGS for 500 (change with
  NNTrainerSetSteps() or -train_adam_steps, -train_lbfgs_steps); options prefix "train_".

  Collective

  Input Parameter:
. comm - the communicator of the parameters

  Output Parameter:
. tr - the trainer

  Level: beginner

.seealso: `NNTrainerSetObjectiveAndGradient()`, `NNTrainerSetFromOptions()`, `NNTrainerTrain()`, `NNTrainerDestroy()`
@*/
PetscErrorCode NNTrainerCreate(MPI_Comm comm, NNTrainer *tr)
{
  NNTrainer t;

  PetscFunctionBegin;
  PetscValidPointer(tr, 2);
  PetscCall(NNInitializePackage());
  PetscCall(PetscHeaderCreate(t, NNTRAINER_CLASSID, "NNTrainer", "Adam then L-BFGS training", "NNTrainer", comm, NNTrainerDestroy, NNTrainerView));
  /* Adam then L-BFGS, as in PINN practice: Adam finds the basin, L-BFGS converges in it */
  t->nsteps[0]  = 2000;
  t->nsteps[1]  = 500;
  t->loss       = PETSC_MAX_REAL;
  t->divergence = 1e6;
  t->every      = 1000;
  t->all        = MPI_COMM_NULL;
  t->writer     = PETSC_TRUE;
  t->adapt_owed = -1;
  t->ref_window = 1;
  NNTrainerResetReference(t, 0);
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)t, "train_"));
  *tr = t;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerDestroy - Drops a reference to the trainer, destroying it with the last one.

  Collective

  Input Parameter:
. tr - the trainer (NULL on return)

  Level: beginner

.seealso: `NNTrainerCreate()`
@*/
PetscErrorCode NNTrainerDestroy(NNTrainer *tr)
{
  PetscFunctionBegin;
  if (!tr || !*tr) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(*tr, NNTRAINER_CLASSID, 1);
  if (--((PetscObject)(*tr))->refct > 0) {
    *tr = NULL;
    PetscFunctionReturn(0);
  }
  PetscCall(NNTrainerMonitorCancel(*tr));
  PetscCall(NNTrainerSetHistoryColumns(*tr, 0, NULL, NULL, NULL));
  PetscCall(PetscFree2((*tr)->hnames, (*tr)->hvals));
  if ((*tr)->hfp) PetscCall(PetscFClose(PetscObjectComm((PetscObject)*tr), (*tr)->hfp));
  PetscCall(TaoDestroy(&(*tr)->tao[0]));
  PetscCall(TaoDestroy(&(*tr)->tao[1]));
  PetscCall(VecDestroy(&(*tr)->x));
  PetscCall(VecDestroy(&(*tr)->adapt_x));
  PetscCall(VecDestroy(&(*tr)->params));
  PetscCall(PetscHeaderDestroy(tr));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetOptionsPrefix - Sets the prefix of the trainer's options (default "train_"); the
  stages' Taos get <prefix>adam_ and <prefix>lbfgs_. Call before NNTrainerSetObjectiveAndGradient().

  Logically Collective

  Input Parameters:
+ tr     - the trainer
- prefix - the prefix

  Level: intermediate

.seealso: `NNTrainerGetOptionsPrefix()`
@*/
PetscErrorCode NNTrainerSetOptionsPrefix(NNTrainer tr, const char prefix[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(!tr->tao[0], PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_WRONGSTATE, "Set the prefix before NNTrainerSetObjectiveAndGradient()");
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)tr, prefix));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerGetOptionsPrefix - The prefix of the trainer's options.

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameter:
. prefix - the prefix (not to be freed)

  Level: intermediate

.seealso: `NNTrainerSetOptionsPrefix()`
@*/
PetscErrorCode NNTrainerGetOptionsPrefix(NNTrainer tr, const char *prefix[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)tr, prefix));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetObjectiveAndGradient - The function to minimize and the parameters it depends on;
  creates the stages' Taos.

  Collective

  Input Parameters:
+ tr  - the trainer
. x   - the parameters (the objective must copy the point it is given into x before evaluating)
. fn  - objective and gradient, a TAO callback
- ctx - its context

  Level: beginner

.seealso: `NNTrainerGetTao()`
@*/
PetscErrorCode NNTrainerSetObjectiveAndGradient(NNTrainer tr, Vec x, PetscErrorCode (*fn)(Tao, Vec, PetscReal *, Vec, void *), void *ctx)
{
  const TaoType types[2] = {TAOADAM, TAOLMVM};
  const char   *names[2] = {"adam_", "lbfgs_"};
  MPI_Comm      comm     = PetscObjectComm((PetscObject)tr);

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(!tr->tao[0], comm, PETSC_ERR_ARG_WRONGSTATE, "The objective is already set");
  /* Line searches evaluate trial points while keeping the iterate, so the iterate must not be the
     Vec that the objective overwrites with the point it is asked to evaluate. */
  PetscCall(PetscObjectReference((PetscObject)x));
  tr->params = x;
  PetscCall(VecDuplicate(x, &tr->x));
  tr->objgrad = fn;
  tr->ctx     = ctx;
  for (PetscInt s = 0; s < 2; s++) {
    PetscCall(TaoCreate(comm, &tr->tao[s]));
    PetscCall(TaoSetType(tr->tao[s], types[s]));
    PetscCall(TaoSetOptionsPrefix(tr->tao[s], Prefix(tr)));
    PetscCall(TaoAppendOptionsPrefix(tr->tao[s], names[s]));
    PetscCall(TaoSetSolution(tr->tao[s], tr->x));
    PetscCall(TaoSetObjectiveAndGradient(tr->tao[s], NULL, fn, ctx));
    PetscCall(TaoSetMonitor(tr->tao[s], NNTrainerTaoMonitor, tr, NULL));
    /* the trainer decides how many steps; keep TAO's default tolerances from ending a stage early */
    PetscCall(TaoSetTolerances(tr->tao[s], 0.0, 0.0, 0.0));
    PetscCall(TaoSetMaximumFunctionEvaluations(tr->tao[s], PETSC_MAX_INT)); /* TAO's default, 4000, would end long runs */
  }
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetSteps - Iterations of the two stages (-<prefix>adam_steps, -<prefix>lbfgs_steps),
  counted from the start of training, so a restart continues to the same totals.

  Logically Collective

  Input Parameters:
+ tr          - the trainer
. adam_steps  - Adam iterations
- lbfgs_steps - L-BFGS iterations

  Level: beginner

.seealso: `NNTrainerGetSteps()`
@*/
PetscErrorCode NNTrainerSetSteps(NNTrainer tr, PetscInt adam_steps, PetscInt lbfgs_steps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(adam_steps >= 0 && lbfgs_steps >= 0, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE,
             "Step counts must be nonnegative, got Adam %" PetscInt_FMT ", L-BFGS %" PetscInt_FMT, adam_steps, lbfgs_steps);
  /* more steps after training ended: continue where it stopped (Adam exactly, when it ran last) */
  if (tr->stage == NN_TRAIN_STAGE_DONE && adam_steps + lbfgs_steps > tr->nsteps[0] + tr->nsteps[1] && tr->total < adam_steps + lbfgs_steps) {
    tr->stage = tr->total < adam_steps ? NN_TRAIN_STAGE_ADAM : NN_TRAIN_STAGE_LBFGS;
    tr->it    = tr->total < adam_steps ? tr->total : tr->total - adam_steps;
  }
  tr->nsteps[0] = adam_steps;
  tr->nsteps[1] = lbfgs_steps;
  /* the stages' Taos show their step counts as -tao_max_it in -help (NNTrainerStep() sets them anyway) */
  for (PetscInt s = 0; s < 2; s++)
    if (tr->tao[s]) PetscCall(TaoSetMaximumIterations(tr->tao[s], tr->nsteps[s]));
  PetscFunctionReturn(0);
}

/*@
  NNTrainerGetSteps - Iterations of the two stages.

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameters:
+ adam_steps  - Adam iterations
- lbfgs_steps - L-BFGS iterations

  Level: beginner

.seealso: `NNTrainerSetSteps()`
@*/
PetscErrorCode NNTrainerGetSteps(NNTrainer tr, PetscInt *adam_steps, PetscInt *lbfgs_steps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (adam_steps) *adam_steps = tr->nsteps[0];
  if (lbfgs_steps) *lbfgs_steps = tr->nsteps[1];
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetDivergenceFactor - Stops training with an error when the loss grows past factor
  times the reference: the loss of the first step, and again of the first step after each adapt
  step (NNTrainerSetAdapt(): new points change the loss's scale); with a window
  (NNTrainerSetDivergenceWindow()) the largest loss of that many steps. Option
  -<prefix>divergence_factor, default 1e6; 0 never stops. The reference is kept in checkpoints, so
  a restarted run stops where the uninterrupted one would. A loss that is NaN or Inf always stops
  training.

  Logically Collective

  Input Parameters:
+ tr     - the trainer
- factor - the factor (above 1, or 0)

  Level: intermediate

.seealso: `NNTrainerStep()`, `NNTrainerSetDivergenceWindow()`
@*/
PetscErrorCode NNTrainerSetDivergenceFactor(NNTrainer tr, PetscReal factor)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(factor == 0 || factor > 1, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE,
             "The divergence factor must be above 1 (or 0: never stop), got %g", (double)factor);
  tr->divergence = factor;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetDivergenceWindow - The divergence check's reference is the largest loss of this many
  steps after the start and after each adapt step (default 1). With mini-batches the loss of one
  step is that of one batch, and batches differ by orders of magnitude when an adaptive sampler has
  put points where the residual is large: one epoch (the batches per pass over the points) makes
  the reference cover every batch. The steps of the window themselves are not checked.

  Logically Collective

  Input Parameters:
+ tr    - the trainer
- steps - the window (>= 1)

  Level: intermediate

.seealso: `NNTrainerSetDivergenceFactor()`
@*/
PetscErrorCode NNTrainerSetDivergenceWindow(NNTrainer tr, PetscInt steps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(steps >= 1, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE,
             "The divergence window must be at least 1 step, got %" PetscInt_FMT, steps);
  tr->ref_end += steps - tr->ref_window;
  tr->ref_window = steps;
  PetscFunctionReturn(0);
}

/* The options of the trainer that owners (PINN) do not set themselves, and the stages' Taos;
   -tao_max_it of a stage is its step count, set by -<prefix><stage>_steps */
PetscErrorCode NNTrainerSetTaoFromOptions_Private(NNTrainer tr)
{
  const char *names[2] = {"adam", "lbfgs"};
  MPI_Comm    comm     = PetscObjectComm((PetscObject)tr);

  PetscFunctionBegin;
  PetscCheck(tr->tao[0], comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  PetscObjectOptionsBegin((PetscObject)tr);
  PetscCall(PetscOptionsReal("-divergence_factor", "Stop when the loss exceeds this times its starting value (0: never)",
                             "NNTrainerSetDivergenceFactor", tr->divergence, &tr->divergence, NULL));
  PetscCall(PetscOptionsReal("-max_time", "Stop with a checkpoint after this many seconds (0: no limit)", "NNTrainerSetMaxTime", tr->max_time,
                             &tr->max_time, NULL));
  PetscOptionsEnd();
  PetscCall(NNTrainerSetDivergenceFactor(tr, tr->divergence));
  PetscCall(NNTrainerSetMaxTime(tr, tr->max_time));
  for (PetscInt s = 0; s < 2; s++) {
    PetscInt maxit;

    PetscCall(TaoSetMaximumIterations(tr->tao[s], tr->nsteps[s]));
    PetscCall(TaoSetFromOptions(tr->tao[s]));
    PetscCall(TaoGetMaximumIterations(tr->tao[s], &maxit));
    PetscCheck(maxit == tr->nsteps[s], comm, PETSC_ERR_ARG_WRONG,
               "-%s%s_tao_max_it %" PetscInt_FMT " has no effect: the %s stage runs -%s%s_steps iterations (%" PetscInt_FMT "); set that instead",
               Prefix(tr), names[s], maxit, NNTrainStages[s], Prefix(tr), names[s], tr->nsteps[s]);
  }
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetFromOptions - Reads the trainer's options.

  Collective

  Input Parameter:
. tr - the trainer (with its objective set)

  Options Database Keys:
+ -<prefix>adam_steps <2000>         - Adam iterations
. -<prefix>lbfgs_steps <500>         - L-BFGS iterations
. -<prefix>divergence_factor <1e6>   - stop when the loss exceeds this times its start (0: never)
. -<prefix>monitor                   - print the progress line
. -<prefix>monitor_every <1000>      - iterations between progress lines
. -<prefix>monitor_history <file>    - CSV history of every iteration
. -<prefix>checkpoint <file>         - checkpoint file
. -<prefix>checkpoint_every <0>      - iterations between checkpoints (0: at the end only)
. -<prefix>restart <file>            - continue from a checkpoint (NNTrainerTrain())
. -<prefix>max_time <0>              - wall-time limit in seconds of this run (0: none)
. -<prefix>trainer_view              - view the trainer when training starts
- -<prefix>adam_tao_..., -<prefix>lbfgs_tao_... - each stage's Tao options (e.g. -train_adam_tao_adam_lr 1e-3)

  Level: beginner

.seealso: `NNTrainerCreate()`, `NNTrainerView()`
@*/
PetscErrorCode NNTrainerSetFromOptions(NNTrainer tr)
{
  PetscInt  na = tr->nsteps[0], nl = tr->nsteps[1], every = tr->every, ckevery = tr->checkpoint_every;
  PetscBool show = tr->show;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(tr->tao[0], PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  PetscObjectOptionsBegin((PetscObject)tr);
  PetscCall(NNOptionsInt("-adam_steps", "Adam iterations", "NNTrainerSetSteps", na, &na, NULL));
  PetscCall(NNOptionsInt("-lbfgs_steps", "L-BFGS iterations", "NNTrainerSetSteps", nl, &nl, NULL));
  PetscCall(PetscOptionsBool("-monitor", "Print the progress line", "NNTrainerSetProgress", show, &show, NULL));
  PetscCall(NNOptionsInt("-monitor_every", "Iterations between progress lines", "NNTrainerSetProgress", every, &every, NULL));
  PetscCall(PetscOptionsString("-monitor_history", "CSV history of every iteration", "NNTrainerSetHistory", tr->history, tr->history,
                               sizeof(tr->history), NULL));
  PetscCall(
      PetscOptionsString("-checkpoint", "Checkpoint file", "NNTrainerSetCheckpoint", tr->checkpoint, tr->checkpoint, sizeof(tr->checkpoint), NULL));
  PetscCall(NNOptionsInt("-checkpoint_every", "Iterations between checkpoints (0: at the end)", "NNTrainerSetCheckpoint", ckevery, &ckevery, NULL));
  PetscCall(
      PetscOptionsString("-restart", "Continue from this checkpoint", "NNTrainerSetRestart", tr->restart, tr->restart, sizeof(tr->restart), NULL));
  PetscOptionsEnd();
  PetscCall(NNTrainerSetSteps(tr, na, nl));
  PetscCall(NNTrainerSetProgress(tr, show, every, tr->progress, tr->progress_ctx));
  PetscCall(NNTrainerSetCheckpoint(tr, tr->checkpoint, ckevery));
  PetscCall(NNTrainerSetTaoFromOptions_Private(tr));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerView - Shows the stages, the progress and the services that are on.

  Collective

  Input Parameters:
+ tr     - the trainer
- viewer - an ASCII viewer (NULL: stdout)

  Options Database Key:
. -<prefix>trainer_view - view when NNTrainerTrain() starts

  Level: beginner

.seealso: `NNTrainerSetFromOptions()`
@*/
PetscErrorCode NNTrainerView(NNTrainer tr, PetscViewer viewer)
{
  PetscBool ascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)tr), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &ascii));
  if (!ascii) PetscFunctionReturn(0);
  {
    PetscMPIInt size;

    PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)tr), &size));
    PetscCall(PetscViewerASCIIPrintf(viewer, "NNTrainer Object: (%s) %d MPI process%s\n", Prefix(tr), (int)size, size > 1 ? "es" : ""));
  }
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(
      PetscViewerASCIIPrintf(viewer, "Stages: Adam %" PetscInt_FMT " iterations, then L-BFGS %" PetscInt_FMT "\n", tr->nsteps[0], tr->nsteps[1]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "Progress: stage %s, iteration %" PetscInt_FMT " of the stage, %" PetscInt_FMT " in all\n",
                                   NNTrainStages[tr->stage], tr->it, tr->total));
  if (tr->divergence > 0)
    PetscCall(PetscViewerASCIIPrintf(viewer, "Stops when the loss exceeds %g times its start, or is NaN/Inf\n", (double)tr->divergence));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer, "Stops when the loss is NaN/Inf\n"));
  if (tr->show) PetscCall(PetscViewerASCIIPrintf(viewer, "Progress line every %" PetscInt_FMT " iterations\n", tr->every));
  if (tr->history[0]) PetscCall(PetscViewerASCIIPrintf(viewer, "History: %s (%" PetscInt_FMT " extra columns)\n", tr->history, tr->hn));
  if (tr->checkpoint[0])
    PetscCall(
        PetscViewerASCIIPrintf(viewer, "Checkpoint: %s, every %" PetscInt_FMT " iterations (0: at the end)\n", tr->checkpoint, tr->checkpoint_every));
  if (tr->restart[0]) PetscCall(PetscViewerASCIIPrintf(viewer, "Restart from: %s\n", tr->restart));
  if (tr->max_time > 0) PetscCall(PetscViewerASCIIPrintf(viewer, "Wall-time limit: %g s\n", (double)tr->max_time));
  if (tr->adapt && tr->adapt_every > 0) PetscCall(PetscViewerASCIIPrintf(viewer, "Adapt hook every %" PetscInt_FMT " steps\n", tr->adapt_every));
  if (tr->nmon) PetscCall(PetscViewerASCIIPrintf(viewer, "Monitors: %" PetscInt_FMT "\n", tr->nmon));
  for (PetscInt s = 0; s < 2; s++) {
    if (!tr->tao[s] || !tr->nsteps[s]) continue;
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s stage:\n", s ? "L-BFGS" : "Adam"));
    PetscCall(PetscViewerASCIIPushTab(viewer));
    PetscCall(TaoView(tr->tao[s], viewer));
    PetscCall(PetscViewerASCIIPopTab(viewer));
  }
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

/*@
  NNTrainerGetTao - The Tao of a stage, e.g. to set its options in code.

  Not Collective

  Input Parameters:
+ tr    - the trainer
- stage - NN_TRAIN_STAGE_ADAM or NN_TRAIN_STAGE_LBFGS

  Output Parameter:
. tao - the Tao

  Level: intermediate

.seealso: `NNTrainerSetObjectiveAndGradient()`
@*/
PetscErrorCode NNTrainerGetTao(NNTrainer tr, NNTrainStage stage, Tao *tao)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCheck(stage == NN_TRAIN_STAGE_ADAM || stage == NN_TRAIN_STAGE_LBFGS, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_OUTOFRANGE,
             "No Tao for stage %s", NNTrainStages[stage]);
  *tao = tr->tao[stage];
  PetscFunctionReturn(0);
}

/* Move past finished (or empty) stages */
static void NNTrainerAdvanceStage(NNTrainer tr)
{
  while (tr->stage != NN_TRAIN_STAGE_DONE && tr->it >= tr->nsteps[tr->stage]) {
    tr->stage = (NNTrainStage)(tr->stage + 1);
    tr->it    = 0;
  }
}

/*@
  NNTrainerStep - Runs up to `steps` more iterations (PETSC_DETERMINE: all that remain), moving
  from Adam to L-BFGS when the Adam steps are used up. Adam continues exactly across calls; L-BFGS
  restarts its curvature history at each call, so call it once per stage when exactness matters.

  Collective

  Input Parameters:
+ tr    - the trainer
- steps - iterations to run

  Level: intermediate

.seealso: `NNTrainerTrain()`, `NNTrainerGetProgress()`
@*/
PetscErrorCode NNTrainerStep(NNTrainer tr, PetscInt steps)
{
  MPI_Comm comm;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)tr);
  PetscCheck(tr->tao[0], comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  if (steps == PETSC_DETERMINE || steps == PETSC_DECIDE) steps = PETSC_MAX_INT;
  /* a restart that asks for no more steps than the checkpoint holds would only rewrite it */
  PetscCheck(!tr->restored || tr->total < tr->nsteps[0] + tr->nsteps[1], comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Nothing to do: the checkpoint holds %" PetscInt_FMT " iterations, and this run asks for %" PetscInt_FMT
             " in all (-%sadam_steps %" PetscInt_FMT " + -%slbfgs_steps %" PetscInt_FMT "); ask for more steps to continue training",
             tr->total, tr->nsteps[0] + tr->nsteps[1], Prefix(tr), tr->nsteps[0], Prefix(tr), tr->nsteps[1]);
  tr->restored = PETSC_FALSE;
  tr->timedout = PETSC_FALSE;
  if (!tr->started) {
    PetscCall(PetscTime(&tr->t_start));
    tr->it_start = tr->total;
    tr->started  = PETSC_TRUE;
  }
  NNTrainerAdvanceStage(tr);
  PetscCall(VecCopy(tr->params, tr->x));
  if (tr->adapt_owed == tr->total && tr->stage != NN_TRAIN_STAGE_DONE) {
    /* the adapt hook the previous run stopped before, with the parameters it kept (x holds the iterate) */
    if (tr->adapt && tr->adapt_every > 0 && tr->total % tr->adapt_every == 0) {
      PetscCall(VecCopy(tr->adapt_x, tr->params));
      PetscCall((*tr->adapt)(tr, tr->total, tr->adapt_ctx));
      PetscCall(VecCopy(tr->x, tr->params));
      NNTrainerResetReference(tr, tr->total);
    }
    tr->adapt_owed = -1;
  }
  if (tr->prestep && tr->stage != NN_TRAIN_STAGE_DONE) PetscCall((*tr->prestep)(tr, tr->total, tr->prestep_ctx));
  while (steps > 0 && tr->stage != NN_TRAIN_STAGE_DONE) {
    Tao                tao = tr->tao[tr->stage];
    PetscInt           k   = PetscMin(steps, tr->nsteps[tr->stage] - tr->it), its;
    PetscReal          gnorm;
    TaoConvergedReason reason;

    PetscCall(TaoSetMaximumIterations(tao, k));
    PetscCall(TaoSolve(tao));
    tr->inflight = 0;
    PetscCall(VecCopy(tr->x, tr->params));
    PetscCall(TaoGetSolutionStatus(tao, &its, &tr->loss, &gnorm, NULL, NULL, &reason));
    PetscCheck(reason >= 0 || reason == TAO_DIVERGED_MAXITS || reason == TAO_DIVERGED_MAXFCN || reason == TAO_DIVERGED_LS_FAILURE, comm,
               PETSC_ERR_NOT_CONVERGED, "%s stage failed at iteration %" PetscInt_FMT " with reason %s", NNTrainStages[tr->stage], tr->it + its,
               TaoConvergedReasons[reason]);
    PetscCheck(!PetscIsInfOrNanReal(tr->loss), comm, PETSC_ERR_FP, "Loss is %g after %s iteration %" PetscInt_FMT, (double)tr->loss,
               NNTrainStages[tr->stage], tr->it + its);
    tr->it += its;
    tr->total += its;
    steps -= its;
    if (tr->timedout) break; /* the stage is not over: a restart continues it */
    /* a stage that stopped on its own (converged, or a line search that cannot progress) is over; say why, since the
       run ends short of the steps asked for */
    if (its < k || reason == TAO_DIVERGED_LS_FAILURE || reason == TAO_DIVERGED_MAXFCN) {
      if (tr->show && !tr->stopped)
        PetscCall(PetscPrintf(comm, "%s stage ended after %" PetscInt_FMT " of %" PetscInt_FMT " iterations: %s%s%s%s\n", NNTrainStages[tr->stage],
                              tr->it, tr->nsteps[tr->stage], TaoConvergedReasons[reason],
                              reason == TAO_DIVERGED_LS_FAILURE ? " (the line search found no decrease; -" : "",
                              reason == TAO_DIVERGED_LS_FAILURE ? Prefix(tr) : "",
                              reason == TAO_DIVERGED_LS_FAILURE ? "lbfgs_tao_ls_type armijo may go further)" : ""));
      tr->it = tr->nsteps[tr->stage];
    }
    if (tr->stopped) tr->stage = NN_TRAIN_STAGE_DONE;
    if (its == 0) break;
    NNTrainerAdvanceStage(tr);
  }
  if (!tr->timedout) NNTrainerAdvanceStage(tr);
  PetscFunctionReturn(0);
}

/* Rows of an existing history before iteration `first` (on rank 0; others get an empty string): a
   resumed run continues the file from its checkpoint, dropping rows written after the checkpoint */
static PetscErrorCode NNTrainerHistoryRowsBefore(NNTrainer tr, PetscInt first, char **kept)
{
  PetscMPIInt rank;
  FILE       *fp = NULL;
  long        len;
  char       *all, *out, *line, *next;

  PetscFunctionBegin;
  *kept = NULL;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)tr), &rank));
  if (!rank && first > 0) fp = fopen(tr->history, "r");
  if (!fp) {
    PetscCall(PetscStrallocpy("", kept));
    PetscFunctionReturn(0);
  }
  PetscCheck(!fseek(fp, 0, SEEK_END) && (len = ftell(fp)) >= 0 && !fseek(fp, 0, SEEK_SET), PETSC_COMM_SELF, PETSC_ERR_FILE_READ,
             "Cannot read the history file %s", tr->history);
  PetscCall(PetscCalloc2(len + 1, &all, len + 1, &out));
  PetscCheck(fread(all, 1, (size_t)len, fp) == (size_t)len, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot read the history file %s", tr->history);
  (void)fclose(fp);
  for (line = all; line && *line; line = next) {
    char *end;
    long  it;

    next = strchr(line, '\n');
    if (next) *next++ = 0;
    it = strtol(line, &end, 10);
    if (end != line && *end == ',' && it >= 0 && it < first) {
      PetscCall(PetscStrlcat(out, line, len + 1));
      PetscCall(PetscStrlcat(out, "\n", len + 1));
    }
  }
  PetscCall(PetscStrallocpy(out, kept));
  PetscCall(PetscFree2(all, out));
  PetscFunctionReturn(0);
}

/* Opens the history CSV with its header (also on a restart); when training resumes at iteration
   `first` the rows of the file before it are kept, and the monitor writes the row of `first`. An existing file is
   rewritten in place, not emptied first: the header and the kept rows are the bytes it begins with, so a run that
   stops before its first row (an error, a kill) leaves them whole, and the rows after them are cut once they are
   written (the file stays what it was: a link is written through, a device stays a device). */
static PetscErrorCode NNTrainerHistoryOpen(NNTrainer tr, PetscInt first)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)tr);
  PetscMPIInt rank;
  char       *kept;
  int         err[2] = {0, 0}; /* step that failed (1 open, 2 write), errno */

  PetscFunctionBegin;
  PetscCall(NNTrainerHistoryRowsBefore(tr, first, &kept));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    FILE       *fp = fopen(tr->history, "r+");
    struct stat st;

    if (!fp && errno == ENOENT) fp = fopen(tr->history, "w");
    if (!fp)
      err[0] = 1, err[1] = errno;
    else {
      int  bad = fprintf(fp, "iteration,stage,loss") < 0;
      long end;

      for (PetscInt c = 0; c < tr->hn; c++) bad |= fprintf(fp, ",%s", tr->hnames[c]) < 0;
      bad |= fprintf(fp, "\n") < 0 || fputs(kept, fp) < 0 || fflush(fp) != 0;
      if (!bad && !fstat(fileno(fp), &st) && S_ISREG(st.st_mode)) bad = (end = ftell(fp)) < 0 || ftruncate(fileno(fp), (off_t)end) != 0;
      if (bad) {
        err[0] = 2, err[1] = errno ? errno : EIO;
        (void)fclose(fp);
      } else
        tr->hfp = fp;
    }
  }
  PetscCall(PetscFree(kept));
  PetscCallMPI(MPI_Bcast(err, 2, MPI_INT, 0, comm));
  PetscCheck(err[0] != 1, comm, PETSC_ERR_FILE_OPEN, "Cannot open the history file %s (-%smonitor_history): %s", tr->history, Prefix(tr),
             strerror(err[1]));
  PetscCheck(err[0] != 2, comm, PETSC_ERR_FILE_WRITE, "Cannot write the history file %s (-%smonitor_history): %s", tr->history, Prefix(tr),
             strerror(err[1]));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerTrain - Trains to the end: restarts from -<prefix>restart when set, opens the history,
  runs NNTrainerStep(PETSC_DETERMINE), and writes the checkpoint (when a file is set) at the end
  or at the wall-time limit, printing how to continue.

  Collective

  Input Parameter:
. tr - the trainer

  Level: beginner

.seealso: `NNTrainerStep()`, `NNTrainerSetMaxTime()`, `NNTrainerSetRestart()`
@*/
PetscErrorCode NNTrainerTrain(NNTrainer tr)
{
  MPI_Comm comm;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)tr);
  PetscCheck(tr->tao[0], comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  /* files written during or after training: find out now, not after the run (every group: rank 0 of all looks) */
  {
    MPI_Comm fcomm = AllComm(tr);
    char     what[256];

    PetscCall(PetscSNPrintf(what, sizeof(what), "-%scheckpoint", Prefix(tr)));
    if (tr->checkpoint[0]) PetscCall(NNFileCheckWritable(fcomm, tr->checkpoint, what));
    PetscCall(PetscSNPrintf(what, sizeof(what), "-%smonitor_history", Prefix(tr)));
    if (tr->history[0]) PetscCall(NNFileCheckWritable(fcomm, tr->history, what));
    if (tr->history[0]) { /* the history would overwrite the checkpoint, or the file to restart from */
      PetscBool same = PETSC_FALSE;

      if (tr->checkpoint[0]) PetscCall(NNFileSame(fcomm, tr->history, tr->checkpoint, &same));
      PetscCheck(!same, fcomm, PETSC_ERR_ARG_WRONG, "%s %s is also the checkpoint (-%scheckpoint %s): give them different files", what, tr->history,
                 Prefix(tr), tr->checkpoint);
      if (tr->restart[0]) PetscCall(NNFileSame(fcomm, tr->history, tr->restart, &same));
      PetscCheck(!same, fcomm, PETSC_ERR_ARG_WRONG, "%s %s is also the file to restart from (-%srestart %s): give them different files", what,
                 tr->history, Prefix(tr), tr->restart);
    }
    if (tr->checkpoint[0]) { /* its temporary file, written and renamed away at every checkpoint */
      char      tmp[PETSC_MAX_PATH_LEN + 8];
      PetscBool same = PETSC_FALSE;

      PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", tr->checkpoint));
      if (tr->history[0]) PetscCall(NNFileSame(fcomm, tr->history, tmp, &same));
      PetscCheck(!same, fcomm, PETSC_ERR_ARG_WRONG,
                 "-%smonitor_history %s is the checkpoint's temporary file %s, renamed away at every checkpoint: give another file", Prefix(tr),
                 tr->history, tmp);
      PetscCall(PetscSNPrintf(what, sizeof(what), "the temporary file of -%scheckpoint", Prefix(tr)));
      PetscCall(NNFileCheckWritable(fcomm, tmp, what)); /* a directory of that name would fail only at the first checkpoint */
    }
  }
  if (tr->restart[0]) {
    PetscCall(NNTrainerCheckpointLoad(tr, tr->restart));
    PetscCheck(tr->total < tr->nsteps[0] + tr->nsteps[1], comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Nothing to do: checkpoint %s holds %" PetscInt_FMT " iterations, and this run asks for %" PetscInt_FMT
               " in all (-%sadam_steps %" PetscInt_FMT " + -%slbfgs_steps %" PetscInt_FMT "); ask for more steps to continue training",
               tr->restart, tr->total, tr->nsteps[0] + tr->nsteps[1], Prefix(tr), tr->nsteps[0], Prefix(tr), tr->nsteps[1]);
    /* an Adam stage past this run's Adam steps would go on to all of this run's L-BFGS steps, beyond the total asked for */
    PetscCheck(tr->stage != NN_TRAIN_STAGE_ADAM || tr->it <= tr->nsteps[0], comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Checkpoint %s holds %" PetscInt_FMT " Adam steps, more than this run's -%sadam_steps %" PetscInt_FMT
               ": ask for at least that many (as many: L-BFGS starts now)",
               tr->restart, tr->it, Prefix(tr), tr->nsteps[0]);
    PetscCall(PetscPrintf(AllComm(tr), "Restarted from %s at iteration %" PetscInt_FMT "\n", tr->restart, tr->total));
  }
  PetscCall(PetscObjectViewFromOptions((PetscObject)tr, NULL, "-trainer_view"));
  if (tr->history[0] && tr->writer) PetscCall(NNTrainerHistoryOpen(tr, tr->total));
  tr->started = PETSC_FALSE;
  PetscCall(NNTrainerStep(tr, PETSC_DETERMINE));
  if (tr->checkpoint[0]) PetscCall(NNTrainerCheckpointSave(tr, tr->checkpoint));
  if (tr->timedout) {
    if (tr->checkpoint[0])
      PetscCall(PetscPrintf(AllComm(tr), "Stopped by -%smax_time at iteration %" PetscInt_FMT "; continue with -%srestart %s%s\n", Prefix(tr),
                            tr->total, Prefix(tr), tr->checkpoint,
                            tr->stage == NN_TRAIN_STAGE_LBFGS ? " (L-BFGS continues from this iterate with a new curvature history)" : ""));
    else
      PetscCall(PetscPrintf(AllComm(tr), "Stopped by -%smax_time at iteration %" PetscInt_FMT "; set -%scheckpoint to be able to continue\n",
                            Prefix(tr), tr->total, Prefix(tr)));
  }
  if (tr->history[0]) PetscCall(NNTrainerHistoryClose(tr)); /* on every rank: the check is shared */
  PetscFunctionReturn(0);
}

/*@
  NNTrainerGetProgress - The current stage, the iterations done in it and the loss.

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameters:
+ stage     - the stage (NN_TRAIN_STAGE_DONE after the last)
. iteration - iterations done in the stage
- loss      - the loss at the last iterate

  Level: beginner

.seealso: `NNTrainerGetTotalIterations()`
@*/
PetscErrorCode NNTrainerGetProgress(NNTrainer tr, NNTrainStage *stage, PetscInt *iteration, PetscReal *loss)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (stage) *stage = tr->stage;
  if (iteration) *iteration = tr->it;
  if (loss) *loss = tr->loss;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerGetTotalIterations - Iterations done in all stages (inside a monitor or a checkpoint
  callback: including those of the solve under way).

  Not Collective

  Input Parameter:
. tr - the trainer

  Output Parameter:
. total - the count

  Level: beginner

.seealso: `NNTrainerGetProgress()`
@*/
PetscErrorCode NNTrainerGetTotalIterations(NNTrainer tr, PetscInt *total)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  *total = tr->total + tr->inflight;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerWriteCheckpoint - Stores the stage, iteration, loss, elapsed time and the state of the
  current stage's optimizer in an open checkpoint, and, when the run stopped just before an adapt
  step (NNTrainerSetAdapt()), the parameters that step's hook must see. The parameters themselves
  are written with NNCheckpointWriteNN() (or by NNTrainerCheckpointSave()).

  Collective

  Input Parameters:
+ tr - the trainer
- ck - the open checkpoint

  Level: intermediate

.seealso: `NNTrainerReadCheckpoint()`, `NNTrainerCheckpointSave()`
@*/
PetscErrorCode NNTrainerWriteCheckpoint(NNTrainer tr, NNCheckpoint ck)
{
  /* the optimizer whose state is kept: the current stage's, or after training the last that ran */
  NNTrainStage opt = tr->stage != NN_TRAIN_STAGE_DONE ? tr->stage : tr->nsteps[1] > 0 ? NN_TRAIN_STAGE_LBFGS : NN_TRAIN_STAGE_ADAM;
  PetscReal    t;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCall(NNCheckpointSetString(ck, "stage", NNTrainStages[tr->stage]));
  /* from a monitor, the iterations of the solve under way count too */
  PetscCall(NNCheckpointSetInt(ck, "iteration", tr->it + tr->inflight));
  PetscCall(NNCheckpointSetInt(ck, "total_iterations", tr->total + tr->inflight));
  PetscCall(NNCheckpointSetReal(ck, "loss", tr->loss));
  PetscCall(NNCheckpointSetInt(ck, "adam_steps", tr->nsteps[0]));
  PetscCall(NNCheckpointSetInt(ck, "lbfgs_steps", tr->nsteps[1]));
  PetscCall(NNCheckpointSetString(ck, "optimizer_stage", NNTrainStages[opt]));
  {
    PetscLogDouble now;

    PetscCall(PetscTime(&now));
    t = tr->elapsed0 + (tr->started ? (PetscReal)(now - tr->t_start) : 0);
  }
  PetscCall(NNCheckpointSetReal(ck, "elapsed", t));
  {
    PetscInt np;
    PetscCall(VecGetSize(tr->params, &np));
    PetscCall(NNCheckpointSetInt(ck, "num_parameters", np));
  }
  PetscCall(NNCheckpointSetReal(ck, "divergence_reference", tr->loss0));
  PetscCall(NNCheckpointSetInt(ck, "divergence_reference_end", tr->ref_end));
  PetscCall(NNCheckpointWriteOptimizer(ck, tr->tao[opt]));
  if (tr->adapt_owed >= 0 && tr->adapt_owed == tr->total + tr->inflight) {
    /* the run stopped just before an adapt step: the parameters its hook must see on restart */
    PetscCall(NNCheckpointSetInt(ck, "adapt_step", tr->adapt_owed));
    PetscCall(NNCheckpointWriteVec(ck, "trainer_adapt_parameters", tr->adapt_x));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNTrainerParseStage(NNTrainer tr, NNCheckpoint ck, const char key[], NNTrainStage *stage)
{
  char     name[64];
  PetscInt s = -1;

  PetscFunctionBegin;
  PetscCall(NNCheckpointGetString(ck, key, name, sizeof(name)));
  for (PetscInt i = 0; i < 3; i++) {
    PetscBool eq;
    PetscCall(PetscStrcmp(name, NNTrainStages[i], &eq));
    if (eq) s = i;
  }
  PetscCheck(s >= 0, PetscObjectComm((PetscObject)tr), PETSC_ERR_FILE_UNEXPECTED, "Checkpoint has unknown training stage \"%s\" in /train/%s", name,
             key);
  *stage = (NNTrainStage)s;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerReadCheckpoint - Restores what NNTrainerWriteCheckpoint() stored. A checkpoint of a
  finished run continues with the step counts now set: Adam resumes exactly if it was the last
  stage to run and more Adam steps are asked for; otherwise L-BFGS continues from the iterate.
  Checkpoints of the DCDM trainer's first format (an Adam "step", no stage) resume Adam.

  Collective

  Input Parameters:
+ tr - the trainer
- ck - the open checkpoint

  Level: intermediate

.seealso: `NNTrainerWriteCheckpoint()`, `NNTrainerCheckpointLoad()`
@*/
PetscErrorCode NNTrainerReadCheckpoint(NNTrainer tr, NNCheckpoint ck)
{
  NNTrainStage opt;
  PetscInt     adam_done;
  PetscBool    has;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCall(NNCheckpointHas(ck, "stage", &has));
  if (!has) {
    /* the DCDM trainer's first format: Adam only, its step count in /train/step */
    PetscCall(NNCheckpointGetInt(ck, "step", &tr->total));
    tr->stage = NN_TRAIN_STAGE_ADAM;
    tr->it    = tr->total;
    tr->loss  = PETSC_MAX_REAL;
    opt       = NN_TRAIN_STAGE_ADAM;
  } else {
    PetscCall(NNTrainerParseStage(tr, ck, "stage", &tr->stage));
    PetscCall(NNTrainerParseStage(tr, ck, "optimizer_stage", &opt));
    PetscCall(NNCheckpointGetInt(ck, "iteration", &tr->it));
    PetscCall(NNCheckpointGetInt(ck, "total_iterations", &tr->total));
    PetscCall(NNCheckpointGetReal(ck, "loss", &tr->loss));
  }
  /* before the optimizer's state, whose length would be the first mismatch seen */
  PetscCall(NNCheckpointHas(ck, "num_parameters", &has));
  if (has) {
    PetscInt    np, mine;
    PetscViewer viewer;
    const char *file = "the checkpoint";
    PetscCall(NNCheckpointGetViewer(ck, &viewer));
    PetscCall(PetscViewerFileGetName(viewer, &file));
    PetscCall(NNCheckpointGetInt(ck, "num_parameters", &np));
    PetscCall(VecGetSize(tr->params, &mine));
    PetscCheck(np == mine, PetscObjectComm((PetscObject)tr), PETSC_ERR_ARG_INCOMP,
               "Checkpoint %s was written for %" PetscInt_FMT " parameters, this run trains %" PetscInt_FMT
               ": its networks differ (hidden layers, widths, weight sharing, or the type of the problem); restart with those of the run "
               "that wrote it",
               file, np, mine);
  }
  tr->elapsed0 = 0;
  PetscCall(NNCheckpointHas(ck, "elapsed", &has));
  if (has) PetscCall(NNCheckpointGetReal(ck, "elapsed", &tr->elapsed0));
  /* the divergence check's reference (older checkpoints: it restarts here) */
  PetscCall(NNCheckpointHas(ck, "divergence_reference", &has));
  if (has) {
    PetscCall(NNCheckpointGetReal(ck, "divergence_reference", &tr->loss0));
    PetscCall(NNCheckpointGetInt(ck, "divergence_reference_end", &tr->ref_end));
  } else
    NNTrainerResetReference(tr, tr->total);
  tr->inflight = 0;
  tr->stopped  = PETSC_FALSE;
  tr->restored = PETSC_TRUE;
  tr->started  = PETSC_FALSE;
  if (tr->stage == NN_TRAIN_STAGE_DONE) {
    if (opt == NN_TRAIN_STAGE_ADAM && tr->total < tr->nsteps[0]) {
      tr->stage = NN_TRAIN_STAGE_ADAM;
      tr->it    = tr->total;
    } else {
      PetscCall(NNCheckpointGetInt(ck, "adam_steps", &adam_done));
      tr->stage = NN_TRAIN_STAGE_LBFGS;
      tr->it    = PetscMax(tr->total - PetscMin(adam_done, tr->total), 0);
    }
  }
  if (tr->stage == opt) PetscCall(NNCheckpointReadOptimizer(ck, tr->tao[opt]));
  /* an adapt step the run stopped just before (older checkpoints: none; the owner catches up) */
  tr->adapt_owed = -1;
  PetscCall(NNCheckpointHas(ck, "adapt_step", &has));
  if (has) {
    PetscCall(NNCheckpointGetInt(ck, "adapt_step", &tr->adapt_owed));
    if (!tr->adapt_x) PetscCall(VecDuplicate(tr->params, &tr->adapt_x));
    PetscCall(NNCheckpointReadVec(ck, "trainer_adapt_parameters", tr->adapt_x));
  }
  PetscFunctionReturn(0);
}

/* Writes the whole checkpoint: the trainer's state, then the owner's (or the parameters) */
static PetscErrorCode NNTrainerCheckpointWrite_Private(NNTrainer tr, const char file[])
{
  NNCheckpoint ck;

  PetscFunctionBegin;
  PetscCall(NNCheckpointOpen(PetscObjectComm((PetscObject)tr), file, FILE_MODE_WRITE, &ck));
  PetscCall(NNTrainerWriteCheckpoint(tr, ck));
  if (tr->ckwrite)
    PetscCall((*tr->ckwrite)(tr, ck, tr->ckctx));
  else
    PetscCall(NNCheckpointWriteVec(ck, "parameters", tr->params));
  PetscCall(NNCheckpointClose(&ck));
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerCheckpointSave - Writes a checkpoint file now (atomically): the trainer's state and the
  owner's (NNTrainerSetCheckpointFunctions()), or the parameters when there is no owner. With
  data-parallel groups the writer group writes and a failure is reported on every rank.

  Collective

  Input Parameters:
+ tr   - the trainer
- file - the file

  Level: intermediate

.seealso: `NNTrainerCheckpointLoad()`, `NNTrainerSetCheckpoint()`
@*/
PetscErrorCode NNTrainerCheckpointSave(NNTrainer tr, const char file[])
{
  PetscErrorCode ierr = 0;
  int            err  = 0, any;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  if (tr->all == MPI_COMM_NULL) {
    PetscCall(NNTrainerCheckpointWrite_Private(tr, file));
    PetscFunctionReturn(0);
  }
  if (tr->writer) { /* errors are shared below, so that no group waits for a writer that failed */
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNTrainerCheckpointWrite_Private(tr, file);
    PetscCall(PetscPopErrorHandler());
    err = (int)ierr;
  }
  PetscCallMPI(MPI_Allreduce(&err, &any, 1, MPI_INT, MPI_MAX, tr->all));
  PetscCheck(!any, tr->all, PETSC_ERR_FILE_WRITE, "Cannot write the checkpoint %s (error %d); the previous one, if any, is intact", file, any);
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerCheckpointLoad - Restores a checkpoint file: the trainer's state and the owner's
  (NNTrainerSetCheckpointFunctions()), or the parameters when there is no owner.

  Collective

  Input Parameters:
+ tr   - the trainer
- file - the file

  Level: intermediate

.seealso: `NNTrainerCheckpointSave()`, `NNTrainerSetRestart()`
@*/
PetscErrorCode NNTrainerCheckpointLoad(NNTrainer tr, const char file[])
{
  NNCheckpoint ck;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(tr, NNTRAINER_CLASSID, 1);
  PetscCall(NNCheckpointOpen(PetscObjectComm((PetscObject)tr), file, FILE_MODE_READ, &ck));
  if (tr->ckread) {
    /* other networks: the owner's reader can name the difference (architecture, weight sharing) better than the
       parameter count NNTrainerReadCheckpoint() checks first; whatever it leaves unsaid, that check says */
    PetscBool has;
    PetscCall(NNCheckpointHas(ck, "num_parameters", &has));
    if (has) {
      PetscInt np, mine;
      PetscCall(NNCheckpointGetInt(ck, "num_parameters", &np));
      PetscCall(VecGetSize(tr->params, &mine));
      if (np != mine) PetscCall((*tr->ckread)(tr, ck, tr->ckctx));
    }
  }
  PetscCall(NNTrainerReadCheckpoint(tr, ck));
  if (tr->ckread)
    PetscCall((*tr->ckread)(tr, ck, tr->ckctx));
  else
    PetscCall(NNCheckpointReadVec(ck, "parameters", tr->params));
  PetscCall(NNCheckpointClose(&ck));
  PetscFunctionReturn(0);
}

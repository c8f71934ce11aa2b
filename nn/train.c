/* NNTrainer: Adam for a number of steps, then L-BFGS (TAO lmvm), resumable at any step. */
#include <nnpde/train.h>
#include <nnpde/adam.h>
#include <petsc/private/petscimpl.h>
#include <nnpde/sys.h>
#include <nnpde/private/nnimpl.h>

const char *const NNTrainStages[] = {"adam", "lbfgs", "done", "NNTrainStage", "NN_TRAIN_STAGE_", NULL};

struct _n_NNTrainer {
  MPI_Comm comm;
  char    *prefix;
  Vec      params; /* the network's parameters: what the objective evaluates */
  Vec      x;      /* the optimizers' iterate, copied into params by the objective */
  PetscErrorCode (*objgrad)(Tao, Vec, PetscReal *, Vec, void *);
  void              *ctx;
  PetscInt           nsteps[2]; /* Adam, L-BFGS */
  Tao                tao[2];
  NNTrainStage       stage;
  PetscInt           it;       /* iterations done in the current stage */
  PetscInt           total;    /* iterations done in all stages */
  PetscInt           inflight; /* iterations of the TaoSolve() under way, seen by the monitor */
  PetscReal          loss;
  PetscReal          divergence; /* stop when the loss exceeds this times loss0 (0: never) */
  PetscReal          loss0;      /* loss at the first iteration of this NNTrainerStep() */
  NNTrainerMonitorFn monitor;
  void              *monitor_ctx;
  PetscBool          stopped;  /* the monitor asked to stop */
  PetscBool          restored; /* read from a checkpoint, not stepped since */
};

/* Called by TAO once per iteration of either stage: hands the iterate and the counts to the user. */
static PetscErrorCode NNTrainerTaoMonitor(Tao tao, void *ctx)
{
  NNTrainer tr = (NNTrainer)ctx;
  PetscInt  its;
  PetscReal f;
  PetscBool stop = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, NULL, NULL, NULL, NULL));
  /* f is the global loss, the same on every rank: every rank raises the same error */
  PetscCheck(!PetscIsInfOrNanReal(f), tr->comm, PETSC_ERR_FP, "Loss is %g at %s iteration %" PetscInt_FMT " (step %" PetscInt_FMT " in all)",
             (double)f, NNTrainStages[tr->stage], tr->it + its, tr->total + its);
  if (tr->loss0 < 0) tr->loss0 = f;
  PetscCheck(!(tr->divergence > 0 && f > tr->divergence * tr->loss0), tr->comm, PETSC_ERR_NOT_CONVERGED,
             "Training diverged: the loss is %g at %s iteration %" PetscInt_FMT " (step %" PetscInt_FMT
             " in all), more than %g times the %g it started from (lower the learning rate, or raise -%sdivergence_factor)",
             (double)f, NNTrainStages[tr->stage], tr->it + its, tr->total + its, (double)tr->divergence, (double)tr->loss0, tr->prefix);
  if (!tr->monitor) PetscFunctionReturn(0);
  tr->inflight = its;
  tr->loss     = f;
  /* the objective may have left a line-search trial point in params: show the iterate */
  PetscCall(VecCopy(tr->x, tr->params));
  PetscCall((*tr->monitor)(tr, tr->stage, tr->it + its, tr->total + its, f, tr->monitor_ctx, &stop));
  if (stop) {
    tr->stopped = PETSC_TRUE;
    PetscCall(TaoSetConvergedReason(tao, TAO_CONVERGED_USER));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerSetMonitor(NNTrainer tr, NNTrainerMonitorFn fn, void *ctx)
{
  PetscFunctionBegin;
  tr->monitor     = fn;
  tr->monitor_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerCreate(MPI_Comm comm, NNTrainer *tr)
{
  PetscFunctionBegin;
  PetscValidPointer(tr, 2);
  PetscCall(NNInitializePackage());
  PetscCall(PetscNew(tr));
  (*tr)->comm = comm;
  /* Adam then L-BFGS, as in PINN practice: Adam finds the basin, L-BFGS converges in it */
  (*tr)->nsteps[0]  = 2000;
  (*tr)->nsteps[1]  = 500;
  (*tr)->loss       = PETSC_MAX_REAL;
  (*tr)->divergence = 1e6;
  PetscCall(PetscStrallocpy("train_", &(*tr)->prefix));
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerDestroy(NNTrainer *tr)
{
  PetscFunctionBegin;
  if (!tr || !*tr) PetscFunctionReturn(0);
  PetscCall(TaoDestroy(&(*tr)->tao[0]));
  PetscCall(TaoDestroy(&(*tr)->tao[1]));
  PetscCall(VecDestroy(&(*tr)->x));
  PetscCall(VecDestroy(&(*tr)->params));
  PetscCall(PetscFree((*tr)->prefix));
  PetscCall(PetscFree(*tr));
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerSetOptionsPrefix(NNTrainer tr, const char prefix[])
{
  PetscFunctionBegin;
  PetscCheck(!tr->tao[0], tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Set the prefix before NNTrainerSetObjectiveAndGradient()");
  PetscCall(PetscFree(tr->prefix));
  PetscCall(PetscStrallocpy(prefix ? prefix : "", &tr->prefix));
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerSetObjectiveAndGradient(NNTrainer tr, Vec x, PetscErrorCode (*fn)(Tao, Vec, PetscReal *, Vec, void *), void *ctx)
{
  const TaoType types[2] = {TAOADAM, TAOLMVM};
  const char   *names[2] = {"adam_", "lbfgs_"};

  PetscFunctionBegin;
  PetscCheck(!tr->tao[0], tr->comm, PETSC_ERR_ARG_WRONGSTATE, "The objective is already set");
  /* Line searches evaluate trial points while keeping the iterate, so the iterate must not be the
     Vec that the objective overwrites with the point it is asked to evaluate. */
  PetscCall(PetscObjectReference((PetscObject)x));
  tr->params = x;
  PetscCall(VecDuplicate(x, &tr->x));
  tr->objgrad = fn;
  tr->ctx     = ctx;
  for (PetscInt s = 0; s < 2; s++) {
    PetscCall(TaoCreate(tr->comm, &tr->tao[s]));
    PetscCall(TaoSetType(tr->tao[s], types[s]));
    PetscCall(TaoSetOptionsPrefix(tr->tao[s], tr->prefix));
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

PetscErrorCode NNTrainerSetSteps(NNTrainer tr, PetscInt adam_steps, PetscInt lbfgs_steps)
{
  PetscFunctionBegin;
  PetscCheck(adam_steps >= 0 && lbfgs_steps >= 0, tr->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Step counts must be nonnegative, got Adam %" PetscInt_FMT ", L-BFGS %" PetscInt_FMT, adam_steps, lbfgs_steps);
  tr->nsteps[0] = adam_steps;
  tr->nsteps[1] = lbfgs_steps;
  /* the stages' Taos show their step counts as -tao_max_it in -help (NNTrainerStep() sets them anyway) */
  for (PetscInt s = 0; s < 2; s++)
    if (tr->tao[s]) PetscCall(TaoSetMaximumIterations(tr->tao[s], tr->nsteps[s]));
  PetscFunctionReturn(0);
}

/*@
  NNTrainerSetDivergenceFactor - Stops training with an error when the loss grows past factor
  times the loss at the start of NNTrainerStep() (option -<prefix>divergence_factor, default 1e6;
  0 never stops). A loss that is NaN or Inf always stops training.
@*/
PetscErrorCode NNTrainerSetDivergenceFactor(NNTrainer tr, PetscReal factor)
{
  PetscFunctionBegin;
  PetscCheck(factor == 0 || factor > 1, tr->comm, PETSC_ERR_ARG_OUTOFRANGE, "The divergence factor must be above 1 (or 0: never stop), got %g",
             (double)factor);
  tr->divergence = factor;
  PetscFunctionReturn(0);
}

/* The stages' Tao options; -tao_max_it of a stage is its step count, set by -<prefix><stage>_steps */
PetscErrorCode NNTrainerSetTaoFromOptions_Private(NNTrainer tr)
{
  const char *names[2] = {"adam", "lbfgs"};

  PetscFunctionBegin;
  PetscCheck(tr->tao[0], tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  PetscOptionsBegin(tr->comm, tr->prefix, "Two-stage training (Adam, then L-BFGS)", "NNTrainer");
  PetscCall(PetscOptionsReal("-divergence_factor", "Stop when the loss exceeds this times its starting value (0: never)",
                             "NNTrainerSetDivergenceFactor", tr->divergence, &tr->divergence, NULL));
  PetscOptionsEnd();
  PetscCall(NNTrainerSetDivergenceFactor(tr, tr->divergence));
  for (PetscInt s = 0; s < 2; s++) {
    PetscInt maxit;

    PetscCall(TaoSetMaximumIterations(tr->tao[s], tr->nsteps[s]));
    PetscCall(TaoSetFromOptions(tr->tao[s]));
    PetscCall(TaoGetMaximumIterations(tr->tao[s], &maxit));
    PetscCheck(maxit == tr->nsteps[s], tr->comm, PETSC_ERR_ARG_WRONG,
               "-%s%s_tao_max_it %" PetscInt_FMT " has no effect: the %s stage runs -%s%s_steps iterations (%" PetscInt_FMT "); set that instead",
               tr->prefix, names[s], maxit, NNTrainStages[s], tr->prefix, names[s], tr->nsteps[s]);
  }
  PetscFunctionReturn(0);
}

/*@C
  NNTrainerSetFromOptions - Options -<prefix>adam_steps, -<prefix>lbfgs_steps, and each stage's Tao
  options under -<prefix>adam_ and -<prefix>lbfgs_ (e.g. -train_adam_tao_adam_lr 1e-3,
  -train_lbfgs_tao_monitor).
@*/
PetscErrorCode NNTrainerSetFromOptions(NNTrainer tr)
{
  PetscInt na = tr->nsteps[0], nl = tr->nsteps[1];

  PetscFunctionBegin;
  PetscCheck(tr->tao[0], tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  PetscOptionsBegin(tr->comm, tr->prefix, "Training steps", "NNTrainer");
  PetscCall(NNOptionsInt("-adam_steps", "Adam iterations", "NNTrainerSetSteps", na, &na, NULL));
  PetscCall(NNOptionsInt("-lbfgs_steps", "L-BFGS iterations", "NNTrainerSetSteps", nl, &nl, NULL));
  PetscOptionsEnd();
  PetscCall(NNTrainerSetSteps(tr, na, nl));
  PetscCall(NNTrainerSetTaoFromOptions_Private(tr));
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerGetTao(NNTrainer tr, NNTrainStage stage, Tao *tao)
{
  PetscFunctionBegin;
  PetscCheck(stage == NN_TRAIN_STAGE_ADAM || stage == NN_TRAIN_STAGE_LBFGS, tr->comm, PETSC_ERR_ARG_OUTOFRANGE, "No Tao for stage %s",
             NNTrainStages[stage]);
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
@*/
PetscErrorCode NNTrainerStep(NNTrainer tr, PetscInt steps)
{
  PetscFunctionBegin;
  PetscCheck(tr->tao[0], tr->comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNTrainerSetObjectiveAndGradient() first");
  if (steps == PETSC_DETERMINE || steps == PETSC_DECIDE) steps = PETSC_MAX_INT;
  /* a restart that asks for no more steps than the checkpoint holds would only rewrite it */
  PetscCheck(!tr->restored || tr->total < tr->nsteps[0] + tr->nsteps[1], tr->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Nothing to do: the checkpoint holds %" PetscInt_FMT " iterations, and this run asks for %" PetscInt_FMT
             " in all (-%sadam_steps %" PetscInt_FMT " + -%slbfgs_steps %" PetscInt_FMT "); ask for more steps to continue training",
             tr->total, tr->nsteps[0] + tr->nsteps[1], tr->prefix, tr->nsteps[0], tr->prefix, tr->nsteps[1]);
  tr->restored = PETSC_FALSE;
  NNTrainerAdvanceStage(tr);
  PetscCall(VecCopy(tr->params, tr->x));
  tr->loss0 = -1;
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
    PetscCheck(reason >= 0 || reason == TAO_DIVERGED_MAXITS || reason == TAO_DIVERGED_MAXFCN || reason == TAO_DIVERGED_LS_FAILURE, tr->comm,
               PETSC_ERR_NOT_CONVERGED, "%s stage failed at iteration %" PetscInt_FMT " with reason %s", NNTrainStages[tr->stage], tr->it + its,
               TaoConvergedReasons[reason]);
    PetscCheck(!PetscIsInfOrNanReal(tr->loss), tr->comm, PETSC_ERR_FP, "Loss is %g after %s iteration %" PetscInt_FMT, (double)tr->loss,
               NNTrainStages[tr->stage], tr->it + its);
    tr->it += its;
    tr->total += its;
    steps -= its;
    /* a stage that stopped on its own (converged, or a line search that cannot progress) is over */
    if (its < k || reason == TAO_DIVERGED_LS_FAILURE || reason == TAO_DIVERGED_MAXFCN) tr->it = tr->nsteps[tr->stage];
    if (tr->stopped) tr->stage = NN_TRAIN_STAGE_DONE;
    if (its == 0) break;
    NNTrainerAdvanceStage(tr);
  }
  NNTrainerAdvanceStage(tr);
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerGetProgress(NNTrainer tr, NNTrainStage *stage, PetscInt *iteration, PetscReal *loss)
{
  PetscFunctionBegin;
  if (stage) *stage = tr->stage;
  if (iteration) *iteration = tr->it;
  if (loss) *loss = tr->loss;
  PetscFunctionReturn(0);
}

PetscErrorCode NNTrainerGetTotalIterations(NNTrainer tr, PetscInt *total)
{
  PetscFunctionBegin;
  *total = tr->total;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerWriteCheckpoint - Stores the stage, iteration, loss and the state of the current stage's
  optimizer. The parameters themselves are written with NNCheckpointWriteNN().
@*/
PetscErrorCode NNTrainerWriteCheckpoint(NNTrainer tr, NNCheckpoint ck)
{
  /* the optimizer whose state is kept: the current stage's, or after training the last that ran */
  NNTrainStage opt = tr->stage != NN_TRAIN_STAGE_DONE ? tr->stage : tr->nsteps[1] > 0 ? NN_TRAIN_STAGE_LBFGS : NN_TRAIN_STAGE_ADAM;

  PetscFunctionBegin;
  PetscCall(NNCheckpointSetString(ck, "stage", NNTrainStages[tr->stage]));
  /* from a monitor, the iterations of the solve under way count too */
  PetscCall(NNCheckpointSetInt(ck, "iteration", tr->it + tr->inflight));
  PetscCall(NNCheckpointSetInt(ck, "total_iterations", tr->total + tr->inflight));
  PetscCall(NNCheckpointSetReal(ck, "loss", tr->loss));
  PetscCall(NNCheckpointSetInt(ck, "adam_steps", tr->nsteps[0]));
  PetscCall(NNCheckpointSetInt(ck, "lbfgs_steps", tr->nsteps[1]));
  PetscCall(NNCheckpointSetString(ck, "optimizer_stage", NNTrainStages[opt]));
  PetscCall(NNCheckpointWriteOptimizer(ck, tr->tao[opt]));
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
  PetscCheck(s >= 0, tr->comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint has unknown training stage \"%s\" in /train/%s", name, key);
  *stage = (NNTrainStage)s;
  PetscFunctionReturn(0);
}

/*@
  NNTrainerReadCheckpoint - Restores what NNTrainerWriteCheckpoint() stored. A checkpoint of a
  finished run continues with the step counts now set: Adam resumes exactly if it was the last
  stage to run and more Adam steps are asked for; otherwise L-BFGS continues from the iterate.
@*/
PetscErrorCode NNTrainerReadCheckpoint(NNTrainer tr, NNCheckpoint ck)
{
  NNTrainStage opt;
  PetscInt     adam_done;

  PetscFunctionBegin;
  PetscCall(NNTrainerParseStage(tr, ck, "stage", &tr->stage));
  PetscCall(NNTrainerParseStage(tr, ck, "optimizer_stage", &opt));
  PetscCall(NNCheckpointGetInt(ck, "iteration", &tr->it));
  PetscCall(NNCheckpointGetInt(ck, "total_iterations", &tr->total));
  PetscCall(NNCheckpointGetReal(ck, "loss", &tr->loss));
  tr->inflight = 0;
  tr->stopped  = PETSC_FALSE;
  tr->restored = PETSC_TRUE;
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
  PetscFunctionReturn(0);
}

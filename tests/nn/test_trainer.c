/* NNTrainer's services on a small regression (tests/nn/regression.h):
   -test maxtime: a run cut by -train_max_time after every step (a limit of 1 ns) writes a checkpoint
     each time; the chain of continuations, each restarted from the last checkpoint, takes exactly one
     step per run and ends at the parameters of the uninterrupted run (to 1e-13), and its CSV history
     (header on every restart, each iteration once) holds the uninterrupted run's values to 1e-12.
   -test adapt: the adapt hook (every 7 steps) runs before the evaluations of steps 7, 14, 21, 28 and
     never after the last step; the pre-step hook announces each evaluated step, in order.
   -test adapt_stop: an adapt hook (every 4 steps) whose result changes the objective (a loss scale
     from the parameters it sees, kept in the owner's checkpoint): stopping exactly on the adapt step 8
     and continuing equals the uninterrupted run bit for bit, whether the continuation restarts from
     the checkpoint, continues in the same process, or is the L-BFGS stage (Adam 8 + L-BFGS 4); and so
     does a chain of one-step runs cut by the wall-time limit (the figure: the worst relative difference).
   -test divergence: the divergence check's reference (factor 1e6) against losses that jump by 1e8: the jump
     after an adapt step is not a divergence (the reference restarts); a loss growing 10x per step from step 3 is,
     in one run and in a chain of one-step runs restarted from checkpoints, at the same step (the reference is kept
     in them; were it taken again on restart, no run of the chain would see more than 10x); batches whose losses
     differ by 1e8 stop a run with a window of 1 step, not one with the window of an epoch (3 steps).
   -test mismatch: a restart with other networks (hidden layers 8,8 instead of 16,16) fails with the parameter counts,
     before the optimizer's state (whose length was the first mismatch seen).
   -test view: NNTrainerView() through -train_trainer_view (the CTest checks the text). */
#include "regression.h"

#define NSTEPS 12

static PetscErrorCode Create(Regression *r, NNTrainer *tr)
{
  Vec theta;
  Tao adam;

  PetscFunctionBegin;
  PetscCall(RegressionCreate(PETSC_COMM_WORLD, 200, 5, r));
  PetscCall(NNGetParameters(r->nn, &theta));
  PetscCall(NNTrainerCreate(PETSC_COMM_WORLD, tr));
  PetscCall(NNTrainerSetObjectiveAndGradient(*tr, theta, RegressionObjGrad, r));
  PetscCall(NNTrainerSetSteps(*tr, NSTEPS, 0));
  PetscCall(NNTrainerGetTao(*tr, NN_TRAIN_STAGE_ADAM, &adam));
  PetscCall(TaoAdamSetLearningRate(adam, 1e-2));
  PetscFunctionReturn(0);
}

/* The loss column of a history (rank 0; -1 where a row is missing), and a check that every
   iteration 0..NSTEPS-1 appears once, in order, after the header */
static PetscErrorCode ReadHistory(const char file[], PetscReal loss[], PetscBool *ok)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  *ok = PETSC_TRUE;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (!rank) {
    FILE    *fp = fopen(file, "r");
    char     line[512];
    PetscInt n = 0;

    if (!fp || !fgets(line, sizeof(line), fp) || strncmp(line, "iteration,stage,loss\n", 21)) *ok = PETSC_FALSE;
    while (*ok && fp && fgets(line, sizeof(line), fp)) {
      char *end;
      long  it = strtol(line, &end, 10);

      if (it != n || n >= NSTEPS || strncmp(end, ",adam,", 6))
        *ok = PETSC_FALSE;
      else
        loss[n++] = strtod(end + 6, NULL);
    }
    if (n != NSTEPS) *ok = PETSC_FALSE;
    if (fp) fclose(fp);
  }
  PetscCallMPI(MPI_Bcast(ok, 1, MPIU_BOOL, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestMaxTime(PetscInt *nfail)
{
  Regression r;
  NNTrainer  tr;
  Vec        ref, theta;
  PetscReal  d, nref, lref[NSTEPS], lcut[NSTEPS], ldiff = 0;
  PetscInt   runs = 0, total = 0;
  PetscBool  okref, okcut, timedout = PETSC_TRUE;

  PetscFunctionBegin;
  /* uninterrupted */
  PetscCall(Create(&r, &tr));
  PetscCall(NNTrainerSetHistory(tr, "trainer_hist_full.csv"));
  PetscCall(NNTrainerTrain(tr));
  PetscCall(NNGetParameters(r.nn, &theta));
  PetscCall(VecDuplicate(theta, &ref));
  PetscCall(VecCopy(theta, ref));
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&r));
  /* one step per run */
  while (timedout && runs <= NSTEPS) {
    PetscInt before = total;

    PetscCall(Create(&r, &tr));
    PetscCall(NNTrainerSetHistory(tr, "trainer_hist_cut.csv"));
    PetscCall(NNTrainerSetCheckpoint(tr, "trainer_maxtime.h5", 0));
    PetscCall(NNTrainerSetMaxTime(tr, 1e-9));
    if (runs) PetscCall(NNTrainerSetRestart(tr, "trainer_maxtime.h5"));
    PetscCall(NNTrainerTrain(tr));
    PetscCall(NNTrainerGetTimedOut(tr, &timedout));
    PetscCall(NNTrainerGetTotalIterations(tr, &total));
    if (total != before + 1) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "run %" PetscInt_FMT " went from step %" PetscInt_FMT " to %" PetscInt_FMT "\n", runs, before, total));
      (*nfail)++;
    }
    runs++;
    if (timedout) {
      PetscCall(NNTrainerDestroy(&tr));
      PetscCall(RegressionDestroy(&r));
    }
  }
  PetscCall(NNGetParameters(r.nn, &theta));
  PetscCall(VecNorm(ref, NORM_2, &nref));
  PetscCall(VecAXPY(ref, -1.0, theta));
  PetscCall(VecNorm(ref, NORM_INFINITY, &d));
  PetscCall(ReadHistory("trainer_hist_full.csv", lref, &okref));
  PetscCall(ReadHistory("trainer_hist_cut.csv", lcut, &okcut));
  for (PetscInt i = 0; i < NSTEPS && okref && okcut; i++) ldiff = PetscMax(ldiff, PetscAbsReal(lcut[i] - lref[i]) / PetscAbsReal(lref[i]));
  PetscCallMPI(MPI_Bcast(&ldiff, 1, MPIU_REAL, 0, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "max_time: %" PetscInt_FMT " runs of one step; parameters vs uninterrupted %.2e (norm %.2e); history %s, loss rows %.2e\n",
                        runs, (double)d, (double)nref, okref && okcut ? "complete" : "WRONG", (double)ldiff));
  if (runs != NSTEPS || !(d <= 1e-13 * nref) || !okref || !okcut || !(ldiff <= 1e-12)) (*nfail)++;
  PetscCall(VecDestroy(&ref));
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&r));
  PetscFunctionReturn(0);
}

typedef struct {
  Regression r;
  PetscInt   nadapt, adapt[NSTEPS], announced;
  PetscInt   evals, seen[NSTEPS]; /* adapt calls seen by each evaluation */
  PetscBool  order;
} Hooks;

static PetscErrorCode Adapt(NNTrainer tr, PetscInt step, void *ctx)
{
  Hooks *h = (Hooks *)ctx;

  PetscFunctionBegin;
  (void)tr;
  if (h->nadapt < NSTEPS) h->adapt[h->nadapt] = step;
  h->nadapt++;
  PetscFunctionReturn(0);
}

static PetscErrorCode PreStep(NNTrainer tr, PetscInt step, void *ctx)
{
  Hooks *h = (Hooks *)ctx;

  PetscFunctionBegin;
  (void)tr;
  if (step != h->evals) h->order = PETSC_FALSE; /* the next evaluation is of this step */
  h->announced = step;
  PetscFunctionReturn(0);
}

static PetscErrorCode ObjGrad(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  Hooks *h = (Hooks *)ctx;

  PetscFunctionBegin;
  if (h->evals < NSTEPS) h->seen[h->evals] = h->nadapt;
  if (h->announced != h->evals) h->order = PETSC_FALSE;
  h->evals++;
  PetscCall(RegressionObjGrad(tao, X, f, G, &h->r));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestAdapt(PetscInt *nfail)
{
  Hooks     h = {.order = PETSC_TRUE, .announced = -1};
  NNTrainer tr;
  Vec       theta;
  Tao       adam;
  PetscBool ok;

  PetscFunctionBegin;
  PetscCall(RegressionCreate(PETSC_COMM_WORLD, 200, 5, &h.r));
  PetscCall(NNGetParameters(h.r.nn, &theta));
  PetscCall(NNTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(NNTrainerSetObjectiveAndGradient(tr, theta, ObjGrad, &h));
  PetscCall(NNTrainerSetSteps(tr, NSTEPS, 0));
  PetscCall(NNTrainerGetTao(tr, NN_TRAIN_STAGE_ADAM, &adam));
  PetscCall(TaoAdamSetLearningRate(adam, 1e-2));
  PetscCall(NNTrainerSetAdapt(tr, 4, Adapt, &h));
  PetscCall(NNTrainerSetPreStep(tr, PreStep, &h));
  PetscCall(NNTrainerStep(tr, 5)); /* two calls: the hooks follow the step count, not the calls */
  PetscCall(NNTrainerStep(tr, PETSC_DETERMINE));
  /* NSTEPS = 12, every 4: before the evaluations of 4 and 8 (12 is past the last step) */
  ok = (PetscBool)(h.nadapt == 2 && h.adapt[0] == 4 && h.adapt[1] == 8 && h.evals == NSTEPS && h.order);
  for (PetscInt s = 0; s < NSTEPS && ok; s++)
    if (h.seen[s] != s / 4) ok = PETSC_FALSE;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "adapt: %" PetscInt_FMT " calls, at steps %" PetscInt_FMT " %" PetscInt_FMT "; %" PetscInt_FMT " evaluations; hooks %s\n",
                        h.nadapt, h.adapt[0], h.adapt[1], h.evals, ok ? "in order" : "WRONG"));
  if (!ok) (*nfail)++;
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&h.r));
  PetscFunctionReturn(0);
}

/* The owner of -test adapt_stop: a regression whose loss is scaled by what the adapt hook saw */
typedef struct {
  Regression r;
  PetscReal  scale;
} Scaled;

static PetscErrorCode ScaledAdapt(NNTrainer tr, PetscInt step, void *ctx)
{
  Scaled     *o = (Scaled *)ctx;
  Vec         theta;
  PetscScalar sum;

  PetscFunctionBegin;
  (void)tr, (void)step;
  PetscCall(NNGetParameters(o->r.nn, &theta));
  PetscCall(VecSum(theta, &sum));
  o->scale = 1 + 0.5 * PetscSinReal(1e3 * PetscRealPart(sum)); /* sensitive to the parameters it sees */
  PetscFunctionReturn(0);
}

static PetscErrorCode ScaledObjGrad(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  Scaled *o = (Scaled *)ctx;

  PetscFunctionBegin;
  PetscCall(RegressionObjGrad(tao, X, f, G, &o->r));
  *f *= o->scale;
  PetscCall(VecScale(G, o->scale));
  PetscFunctionReturn(0);
}

static PetscErrorCode ScaledWrite(NNTrainer tr, NNCheckpoint ck, void *ctx)
{
  Scaled *o = (Scaled *)ctx;
  Vec     theta;

  PetscFunctionBegin;
  (void)tr;
  PetscCall(NNGetParameters(o->r.nn, &theta));
  PetscCall(NNCheckpointWriteVec(ck, "parameters", theta));
  PetscCall(NNCheckpointSetReal(ck, "test_scale", o->scale));
  PetscFunctionReturn(0);
}

static PetscErrorCode ScaledRead(NNTrainer tr, NNCheckpoint ck, void *ctx)
{
  Scaled *o = (Scaled *)ctx;
  Vec     theta;

  PetscFunctionBegin;
  (void)tr;
  PetscCall(NNGetParameters(o->r.nn, &theta));
  PetscCall(NNCheckpointReadVec(ck, "parameters", theta));
  PetscCall(NNCheckpointGetReal(ck, "test_scale", &o->scale));
  PetscFunctionReturn(0);
}

/* One run of adam + lbfgs steps (then, with more_adam > 0, more Adam steps in the same process);
   checkpoint at the end and restart when given, a wall-time limit when max_time > 0. Returns the
   final parameters (into out) and whether it timed out. */
static PetscErrorCode ScaledRun(PetscInt adam, PetscInt lbfgs, PetscInt more_adam, const char ckpt[], const char restart[], PetscReal max_time,
                                Vec out, PetscBool *timedout)
{
  Scaled    o = {.scale = 1};
  NNTrainer tr;
  Vec       theta;
  Tao       tao;

  PetscFunctionBegin;
  PetscCall(RegressionCreate(PETSC_COMM_WORLD, 200, 5, &o.r));
  PetscCall(NNGetParameters(o.r.nn, &theta));
  PetscCall(NNTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(NNTrainerSetObjectiveAndGradient(tr, theta, ScaledObjGrad, &o));
  PetscCall(NNTrainerSetSteps(tr, adam, lbfgs));
  PetscCall(NNTrainerGetTao(tr, NN_TRAIN_STAGE_ADAM, &tao));
  PetscCall(TaoAdamSetLearningRate(tao, 1e-2));
  PetscCall(NNTrainerSetAdapt(tr, 4, ScaledAdapt, &o));
  PetscCall(NNTrainerSetCheckpointFunctions(tr, ScaledWrite, ScaledRead, &o));
  if (ckpt) PetscCall(NNTrainerSetCheckpoint(tr, ckpt, 0));
  if (restart) PetscCall(NNTrainerSetRestart(tr, restart));
  if (max_time > 0) PetscCall(NNTrainerSetMaxTime(tr, max_time));
  PetscCall(NNTrainerTrain(tr));
  if (more_adam > 0) {
    PetscCall(NNTrainerSetSteps(tr, more_adam, 0));
    PetscCall(NNTrainerStep(tr, PETSC_DETERMINE));
  }
  if (timedout) PetscCall(NNTrainerGetTimedOut(tr, timedout));
  PetscCall(VecCopy(theta, out));
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&o.r));
  PetscFunctionReturn(0);
}

static PetscErrorCode RelativeDifference(Vec a, Vec ref, Vec work, PetscReal *d)
{
  PetscReal n;

  PetscFunctionBegin;
  PetscCall(VecWAXPY(work, -1.0, ref, a));
  PetscCall(VecNorm(work, NORM_INFINITY, d));
  PetscCall(VecNorm(ref, NORM_INFINITY, &n));
  *d /= n;
  PetscFunctionReturn(0);
}

static PetscErrorCode TestAdaptStop(PetscInt *nfail)
{
  Regression r;
  Vec        ref, refsw, got, work, theta;
  PetscReal  d[4], worst = 0;
  PetscBool  timedout = PETSC_TRUE;
  PetscInt   runs     = 0;

  PetscFunctionBegin;
  PetscCall(RegressionCreate(PETSC_COMM_WORLD, 200, 5, &r));
  PetscCall(NNGetParameters(r.nn, &theta));
  PetscCall(VecDuplicate(theta, &ref));
  PetscCall(VecDuplicate(theta, &refsw));
  PetscCall(VecDuplicate(theta, &got));
  PetscCall(VecDuplicate(theta, &work));
  PetscCall(RegressionDestroy(&r));
  PetscCall(ScaledRun(NSTEPS, 0, 0, NULL, NULL, 0, ref, NULL)); /* adapts before steps 4 and 8 */
  PetscCall(ScaledRun(8, 4, 0, NULL, NULL, 0, refsw, NULL));
  /* stop on the adapt step 8 (its checkpoint), restart to 12 */
  PetscCall(ScaledRun(8, 0, 0, "trainer_adapt_stop.h5", NULL, 0, got, NULL));
  PetscCall(ScaledRun(NSTEPS, 0, 0, NULL, "trainer_adapt_stop.h5", 0, got, NULL));
  PetscCall(RelativeDifference(got, ref, work, &d[0]));
  /* the same in one process: 8 steps, then 4 more */
  PetscCall(ScaledRun(8, 0, NSTEPS, NULL, NULL, 0, got, NULL));
  PetscCall(RelativeDifference(got, ref, work, &d[1]));
  /* Adam 8, restarted with L-BFGS 4: the hook of step 8 runs before L-BFGS's first evaluation */
  PetscCall(ScaledRun(8, 4, 0, NULL, "trainer_adapt_stop.h5", 0, got, NULL));
  PetscCall(RelativeDifference(got, refsw, work, &d[2]));
  /* a chain of one-step runs cut by the wall-time limit, each restarted from the last checkpoint */
  while (timedout && runs <= NSTEPS) {
    PetscCall(ScaledRun(NSTEPS, 0, 0, "trainer_adapt_chain.h5", runs ? "trainer_adapt_chain.h5" : NULL, 1e-9, got, &timedout));
    runs++;
  }
  PetscCall(RelativeDifference(got, ref, work, &d[3]));
  for (PetscInt k = 0; k < 4; k++) worst = PetscMax(worst, d[k]);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "adapt_stop: stopped on the adapt step 8, vs uninterrupted: restart %.3e, same process %.3e, Adam 8 + restart with "
                        "L-BFGS 4 %.3e, %" PetscInt_FMT " one-step runs (wall-time limit) %.3e\n",
                        (double)d[0], (double)d[1], (double)d[2], runs, (double)d[3]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference (stop on an adapt step): %.3e\n", (double)worst));
  if (!(worst <= 1e-13) || runs != NSTEPS) (*nfail)++;
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&refsw));
  PetscCall(VecDestroy(&got));
  PetscCall(VecDestroy(&work));
  PetscFunctionReturn(0);
}

/* The owner of -test divergence: a regression whose loss is multiplied by 1e8 after each adapt step (ADAPT), by 10
   per step from step 3 on (JUMP: a steady divergence, which no single step shows), or on every step 1 mod 3 (BATCH,
   as mini-batches after an adaptive sampler) */
typedef enum { JUMPY_ADAPT, JUMPY_JUMP, JUMPY_BATCH } JumpyMode;
typedef struct {
  Regression r; /* r and scale first, as in Scaled, whose objective and checkpoint functions it uses */
  PetscReal  scale;
  JumpyMode  mode;
} Jumpy;

static PetscErrorCode JumpyAdapt(NNTrainer tr, PetscInt step, void *ctx)
{
  Jumpy *o = (Jumpy *)ctx;

  PetscFunctionBegin;
  (void)tr, (void)step;
  if (o->mode == JUMPY_ADAPT) o->scale *= 1e8;
  PetscFunctionReturn(0);
}

static PetscErrorCode JumpyPreStep(NNTrainer tr, PetscInt step, void *ctx)
{
  Jumpy *o = (Jumpy *)ctx;

  PetscFunctionBegin;
  (void)tr;
  if (o->mode == JUMPY_JUMP) o->scale = PetscPowReal(10.0, (PetscReal)PetscMax(step - 2, 0));
  if (o->mode == JUMPY_BATCH) o->scale = step % 3 == 1 ? 1e8 : 1;
  PetscFunctionReturn(0);
}

/* One run of `steps` Adam steps (lr 1e-4: the loss changes little but for the jumps), with the adapt hook every 4
   steps (ADAPT only), the given divergence window, optionally restarted and cut by a wall-time limit. *err: the error code of
   training (PETSC_ERR_NOT_CONVERGED: stopped as diverged), *total the steps done. */
static PetscErrorCode JumpyRun(JumpyMode mode, PetscInt window, const char ckpt[], const char restart[], PetscReal max_time, PetscErrorCode *err,
                               PetscInt *total, PetscBool *timedout)
{
  Jumpy     o = {.mode = mode, .scale = 1};
  NNTrainer tr;
  Vec       theta;
  Tao       tao;

  PetscFunctionBegin;
  PetscCall(RegressionCreate(PETSC_COMM_WORLD, 200, 5, &o.r));
  PetscCall(NNGetParameters(o.r.nn, &theta));
  PetscCall(NNTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(NNTrainerSetObjectiveAndGradient(tr, theta, ScaledObjGrad, &o)); /* Jumpy begins as Scaled does */
  PetscCall(NNTrainerSetSteps(tr, NSTEPS, 0));
  PetscCall(NNTrainerGetTao(tr, NN_TRAIN_STAGE_ADAM, &tao));
  PetscCall(TaoAdamSetLearningRate(tao, 1e-4));
  if (mode == JUMPY_ADAPT) PetscCall(NNTrainerSetAdapt(tr, 4, JumpyAdapt, &o));
  PetscCall(NNTrainerSetPreStep(tr, JumpyPreStep, &o));
  PetscCall(NNTrainerSetDivergenceWindow(tr, window));
  PetscCall(NNTrainerSetCheckpointFunctions(tr, ScaledWrite, ScaledRead, &o));
  if (ckpt) PetscCall(NNTrainerSetCheckpoint(tr, ckpt, 0));
  if (restart) PetscCall(NNTrainerSetRestart(tr, restart));
  if (max_time > 0) PetscCall(NNTrainerSetMaxTime(tr, max_time));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  *err = NNTrainerTrain(tr);
  PetscCall(PetscPopErrorHandler());
  PetscCall(NNTrainerGetTotalIterations(tr, total));
  if (timedout) PetscCall(NNTrainerGetTimedOut(tr, timedout));
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&o.r));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestDivergence(PetscInt *nfail)
{
  PetscErrorCode err[5];
  PetscInt       total[5], runs = 0;
  PetscBool      timedout = PETSC_TRUE;
  const char    *says[2]  = {"went on", "stopped (diverged)"};

  PetscFunctionBegin;
  PetscCall(JumpyRun(JUMPY_ADAPT, 1, NULL, NULL, 0, &err[0], &total[0], NULL));
  PetscCall(JumpyRun(JUMPY_JUMP, 1, NULL, NULL, 0, &err[1], &total[1], NULL));
  err[2] = 0;
  while (!err[2] && timedout && runs <= NSTEPS) { /* one step per run, each restarted from the last checkpoint */
    PetscCall(
        JumpyRun(JUMPY_JUMP, 1, "trainer_divergence_chain.h5", runs ? "trainer_divergence_chain.h5" : NULL, 1e-9, &err[2], &total[2], &timedout));
    runs++;
  }
  PetscCall(JumpyRun(JUMPY_BATCH, 1, NULL, NULL, 0, &err[3], &total[3], NULL));
  PetscCall(JumpyRun(JUMPY_BATCH, 3, NULL, NULL, 0, &err[4], &total[4], NULL));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "divergence: x1e8 after each adapt step: %s at step %" PetscInt_FMT "; x10 per step from step 3: %s at step %" PetscInt_FMT
                        ", in a chain of one-step runs %s at step %" PetscInt_FMT "; batches x1e8 apart, window 1: %s at step %" PetscInt_FMT
                        ", window 3: %s at step %" PetscInt_FMT "\n",
                        says[err[0] != 0], total[0], says[err[1] != 0], total[1], says[err[2] != 0], total[2], says[err[3] != 0], total[3],
                        says[err[4] != 0], total[4]));
  if (err[0] || total[0] != NSTEPS) (*nfail)++;
  if (err[1] != PETSC_ERR_NOT_CONVERGED || err[2] != PETSC_ERR_NOT_CONVERGED || total[2] != total[1]) (*nfail)++;
  if (err[3] != PETSC_ERR_NOT_CONVERGED || err[4] || total[4] != NSTEPS) (*nfail)++;
  PetscFunctionReturn(0);
}

static char message[1024];

static PetscErrorCode Record(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess,
                             void *ctx)
{
  (void)comm, (void)line, (void)fun, (void)file, (void)p, (void)ctx;
  if (!message[0] && mess) PetscStrncpy(message, mess, sizeof(message));
  return n;
}

static PetscErrorCode TestMismatch(PetscInt *nfail)
{
  Regression     r;
  NNTrainer      tr;
  PetscErrorCode ierr;
  PetscInt       ok;

  PetscFunctionBegin;
  PetscCall(Create(&r, &tr));
  PetscCall(NNTrainerSetSteps(tr, 3, 0));
  PetscCall(NNTrainerSetCheckpoint(tr, "trainer_mismatch.h5", 0));
  PetscCall(NNTrainerTrain(tr));
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&r));
  PetscCall(PetscOptionsSetValue(NULL, "-nn_mlp_hidden_layers", "8,8"));
  PetscCall(Create(&r, &tr));
  PetscCall(PetscOptionsClearValue(NULL, "-nn_mlp_hidden_layers"));
  PetscCall(NNTrainerSetRestart(tr, "trainer_mismatch.h5"));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = NNTrainerTrain(tr);
  PetscCall(PetscPopErrorHandler());
  ok = ierr == PETSC_ERR_ARG_INCOMP && strstr(message, "trainer_mismatch.h5 was written for 337 parameters, this run trains 105") != NULL;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "mismatch: error %d, %s\n  %s\n", (int)ierr, ok ? "names the counts" : "WRONG", message));
  if (!ok) (*nfail)++;
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestView(PetscInt *nfail)
{
  Regression r;
  NNTrainer  tr, ref;

  PetscFunctionBegin;
  (void)nfail;
  PetscCall(Create(&r, &tr));
  PetscCall(NNTrainerSetFromOptions(tr));
  /* a second reference: the trainer outlives the first destroy */
  PetscCall(PetscObjectReference((PetscObject)tr));
  ref = tr;
  PetscCall(NNTrainerDestroy(&ref));
  PetscCall(NNTrainerTrain(tr));
  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(RegressionDestroy(&r));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      test[32] = "";
  PetscInt  nfail    = 0;
  PetscBool flg;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-test", test, sizeof(test), NULL));
  PetscCall(PetscStrcmp(test, "maxtime", &flg));
  if (flg) PetscCall(TestMaxTime(&nfail));
  PetscCall(PetscStrcmp(test, "adapt", &flg));
  if (flg) PetscCall(TestAdapt(&nfail));
  PetscCall(PetscStrcmp(test, "adapt_stop", &flg));
  if (flg) PetscCall(TestAdaptStop(&nfail));
  PetscCall(PetscStrcmp(test, "divergence", &flg));
  if (flg) PetscCall(TestDivergence(&nfail));
  PetscCall(PetscStrcmp(test, "mismatch", &flg));
  if (flg) PetscCall(TestMismatch(&nfail));
  PetscCall(PetscStrcmp(test, "view", &flg));
  if (flg) PetscCall(TestView(&nfail));
  PetscCheck(!nfail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " check(s) failed", nfail);
  PetscCall(PetscFinalize());
  return 0;
}

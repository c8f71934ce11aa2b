/* PINN training: Adam then L-BFGS through NNTrainer, with progress reports, a loss history,
   mini-batches, re-drawn points, checkpoints and exact restart. */
#include <nnpde/private/pinnimpl.h>
#include <nnpde/sampler.h>
#include <nnpde/private/nnimpl.h>
#include <nnpde/adam.h>
#include <nnpde/checkpoint.h>

/* TAO objective: evaluate at the optimizer's point */
static PetscErrorCode PINNObjectiveAndGradient(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  PINN pinn = (PINN)ctx;
  Vec  theta;

  PetscFunctionBegin;
  (void)tao;
  PetscCall(NNGetParameters(pinn->nn, &theta));
  PetscCall(VecCopy(X, theta));
  PetscCall(PINNComputeLoss(pinn, f, G));
  PetscFunctionReturn(0);
}

/* Points for the evaluation after iteration `total`: the mini-batch, and the draw of interior
   points, are functions of the iteration count alone, so a restart finds the same ones. */
static PetscErrorCode PINNSetIterationPoints(PINN pinn, PetscInt total)
{
  /* by count, so the switch happens before L-BFGS's first evaluation */
  const PetscBool adam   = (PetscBool)(total < pinn->adam_steps);
  PetscBool       reload = (PetscBool)(adam != pinn->in_adam);

  PetscFunctionBegin;
  pinn->iteration = total;
  pinn->in_adam   = adam;
  if (adam && pinn->batch_size && pinn->batch != total) {
    pinn->batch = total;
    reload      = PETSC_TRUE;
  }
  if (adam && pinn->resample_every && total / pinn->resample_every != pinn->draw) {
    pinn->draw = total / pinn->resample_every;
    PetscCall(PINNSamplerAdapt(pinn->sampler, pinn)); /* adaptive samplers: from the residuals before the redraw (no-op so far) */
    PetscCall(PINNDrawInterior_Private(pinn));
    reload = PETSC_TRUE;
  }
  if (reload) PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNPrintProgress(PINN pinn, NNTrainStage stage, PetscInt total, PetscReal loss)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)pinn);
  PetscLogDouble now, elapsed, eta;
  PetscInt       done, left;

  PetscFunctionBegin;
  PetscCall(PetscTime(&now));
  elapsed = now - pinn->t_start;
  done    = total - pinn->it_start;
  left    = pinn->adam_steps + pinn->lbfgs_steps - total;
  eta     = done > 0 ? elapsed / done * PetscMax(left, 0) : 0;
  PetscCall(PetscPrintf(comm, "%6" PetscInt_FMT " %-5s loss %.3e [", total, NNTrainStages[stage], (double)loss));
  for (PetscInt t = 0; t < pinn->nterms; t++) PetscCall(PetscPrintf(comm, "%s%s %.2e", t ? ", " : "", pinn->terms[t].name, (double)pinn->losses[t]));
  PetscCall(PetscPrintf(comm, "]"));
  if (pinn->exact) PetscCall(PetscPrintf(comm, " rel-L2 %.3e", (double)pinn->last_error));
  PetscCall(PetscPrintf(comm, "  %.1f s, ETA %.1f s\n", elapsed, eta));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNTrainMonitor(NNTrainer tr, NNTrainStage stage, PetscInt it, PetscInt total, PetscReal loss, void *ctx, PetscBool *stop)
{
  PINN      pinn   = (PINN)ctx;
  MPI_Comm  comm   = PetscObjectComm((PetscObject)pinn);
  PetscBool report = (PetscBool)(total % pinn->monitor_every == 0);

  PetscFunctionBegin;
  (void)tr, (void)it;
  /* the error costs a network evaluation on the test points: only when someone looks at it */
  /* collective: decided by what every rank knows (the history file is open on rank 0 only) */
  if (pinn->exact && report && (pinn->monitor || pinn->target_error > 0 || pinn->history[0])) PetscCall(PINNComputeError(pinn, &pinn->last_error));
  if (pinn->history_fp) {
    /* full precision: the values read back are the doubles the run had */
    PetscCall(PetscFPrintf(comm, pinn->history_fp, "%" PetscInt_FMT ",%s,%.17g", total, NNTrainStages[stage], (double)loss));
    for (PetscInt t = 0; t < pinn->nterms; t++) PetscCall(PetscFPrintf(comm, pinn->history_fp, ",%.17g", (double)pinn->losses[t]));
    /* the error is recorded every -pinn_monitor_every steps; other rows leave it empty */
    if (pinn->exact && report)
      PetscCall(PetscFPrintf(comm, pinn->history_fp, ",%.17g", (double)pinn->last_error));
    else if (pinn->exact)
      PetscCall(PetscFPrintf(comm, pinn->history_fp, ","));
    PetscCall(PetscFPrintf(comm, pinn->history_fp, "\n"));
  }
  if (pinn->monitor && report) PetscCall(PINNPrintProgress(pinn, stage, total, loss));
  if (pinn->exact && report && pinn->target_error > 0 && pinn->last_error <= pinn->target_error) *stop = PETSC_TRUE;
  if (pinn->checkpoint[0] && pinn->checkpoint_every && total > pinn->it_start && total % pinn->checkpoint_every == 0)
    PetscCall(PINNWriteCheckpoint(pinn, pinn->checkpoint));
  /* the next evaluation is iteration total + 1 */
  PetscCall(PINNSetIterationPoints(pinn, total + 1));
  PetscFunctionReturn(0);
}

/* Rows of an existing history before iteration `first` (on rank 0; others get an empty string): a
   resumed run continues the file from its checkpoint, dropping rows written after the checkpoint */
static PetscErrorCode PINNHistoryRowsBefore(PINN pinn, PetscInt first, char **kept)
{
  PetscMPIInt rank;
  FILE       *fp = NULL;
  long        len;
  char       *all, *out, *line, *next;

  PetscFunctionBegin;
  *kept = NULL;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)pinn), &rank));
  if (!rank && first > 0) fp = fopen(pinn->history, "r");
  if (!fp) {
    PetscCall(PetscStrallocpy("", kept));
    PetscFunctionReturn(0);
  }
  PetscCheck(!fseek(fp, 0, SEEK_END) && (len = ftell(fp)) >= 0 && !fseek(fp, 0, SEEK_SET), PETSC_COMM_SELF, PETSC_ERR_FILE_READ,
             "Cannot read the history file %s", pinn->history);
  PetscCall(PetscCalloc2(len + 1, &all, len + 1, &out));
  PetscCheck(fread(all, 1, (size_t)len, fp) == (size_t)len, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot read the history file %s", pinn->history);
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

/* Opens the history CSV with its header; when training resumes at iteration `first` the rows of
   the file before it are kept, so the file holds every iteration once */
static PetscErrorCode PINNHistoryOpen(PINN pinn, PetscInt first)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)pinn);
  char    *kept;

  PetscFunctionBegin;
  PetscCall(PINNHistoryRowsBefore(pinn, first, &kept));
  PetscCall(PetscFOpen(comm, pinn->history, "w", &pinn->history_fp));
  PetscCall(PetscFPrintf(comm, pinn->history_fp, "iteration,stage,loss"));
  for (PetscInt t = 0; t < pinn->nterms; t++) PetscCall(PetscFPrintf(comm, pinn->history_fp, ",%s", pinn->terms[t].name));
  if (pinn->exact) PetscCall(PetscFPrintf(comm, pinn->history_fp, ",relative_l2"));
  PetscCall(PetscFPrintf(comm, pinn->history_fp, "\n"));
  if (pinn->history_fp && kept[0])
    PetscCheck(fputs(kept, pinn->history_fp) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot write %s", pinn->history);
  PetscCall(PetscFree(kept));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNCreateTrainer(PINN pinn)
{
  Vec  theta;
  Tao  adam;
  char prefix[256];

  PetscFunctionBegin;
  if (pinn->tr) PetscFunctionReturn(0);
  PetscCall(NNGetParameters(pinn->nn, &theta));
  PetscCall(NNTrainerCreate(PetscObjectComm((PetscObject)pinn), &pinn->tr));
  PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%spinn_", ((PetscObject)pinn)->prefix ? ((PetscObject)pinn)->prefix : ""));
  PetscCall(NNTrainerSetOptionsPrefix(pinn->tr, prefix));
  PetscCall(NNTrainerSetObjectiveAndGradient(pinn->tr, theta, PINNObjectiveAndGradient, pinn));
  PetscCall(NNTrainerSetSteps(pinn->tr, pinn->adam_steps, pinn->lbfgs_steps));
  PetscCall(NNTrainerGetTao(pinn->tr, NN_TRAIN_STAGE_ADAM, &adam));
  PetscCall(TaoAdamSetLearningRate(adam, pinn->adam_lr));
  /* the steps are the PINN's options (-pinn_adam_steps, -pinn_lbfgs_steps): list them once */
  PetscCall(NNTrainerSetTaoFromOptions_Private(pinn->tr));
  PetscCall(TaoAdamGetLearningRate(adam, &pinn->adam_lr));
  PetscCall(PINNCheckLearningRate_Private(pinn, "-pinn_adam_tao_adam_lr"));
  PetscCall(NNTrainerSetMonitor(pinn->tr, PINNTrainMonitor, pinn));
  PetscFunctionReturn(0);
}

/*@
  PINNGetIterations - Optimizer iterations done so far (Adam and L-BFGS together).

  Level: beginner
@*/
PetscErrorCode PINNGetIterations(PINN pinn, PetscInt *its)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  *its = 0;
  if (pinn->tr) PetscCall(NNTrainerGetTotalIterations(pinn->tr, its));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNGetTrainer(PINN pinn, NNTrainer *tr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNCreateTrainer(pinn));
  *tr = pinn->tr;
  PetscFunctionReturn(0);
}

/*@
  PINNWriteCheckpoint - Writes the network ("u"), the trainer and optimizer state, the point-draw
  state and the current interior points to a checkpoint file (atomically).

  Collective

  Level: intermediate
@*/
PetscErrorCode PINNWriteCheckpoint(PINN pinn, const char file[])
{
  NNCheckpoint ck;
  Vec          pts;
  PetscScalar *a;
  PetscInt     seed;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNCreateTrainer(pinn));
  PetscCall(NNCheckpointOpen(PetscObjectComm((PetscObject)pinn), file, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, "u", pinn->nn));
  PetscCall(NNTrainerWriteCheckpoint(pinn->tr, ck));
  PetscCall(NNCheckpointSetInt(ck, "pinn_draw", pinn->draw));
  PetscCall(PINNSamplerGetSeed(pinn->sampler, &seed));
  PetscCall(NNCheckpointSetInt(ck, "pinn_seed", seed)); /* also in the sampler's state; kept for older readers */
  PetscCall(PINNSamplerWriteCheckpoint(pinn->sampler, pinn, ck));
  PetscCall(NNCheckpointSetInt(ck, "pinn_interior_points", pinn->points[PINN_POINTS_INTERIOR].N));
  /* the interior points themselves: an adaptive sampler's cannot be regenerated from a seed */
  PetscCall(VecCreateMPI(PetscObjectComm((PetscObject)pinn), pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim, PETSC_DETERMINE, &pts));
  PetscCall(VecGetArrayWrite(pts, &a));
  PetscCall(PetscArraycpy(a, pinn->points[PINN_POINTS_INTERIOR].x, pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim));
  PetscCall(VecRestoreArrayWrite(pts, &a));
  PetscCall(NNCheckpointWriteVec(ck, "interior_points", pts));
  PetscCall(VecDestroy(&pts));
  PetscCall(NNCheckpointClose(&ck));
  PetscFunctionReturn(0);
}

/*@
  PINNReadCheckpoint - Restores what PINNWriteCheckpoint() wrote; training then continues where
  the checkpoint was taken.

  Collective

  Level: intermediate
@*/
PetscErrorCode PINNReadCheckpoint(PINN pinn, const char file[])
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)pinn);
  NNCheckpoint       ck;
  PetscInt           N, seed, myseed, total, it;
  NNTrainStage       stage;
  Vec                pts;
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNCreateTrainer(pinn));
  PetscCall(NNCheckpointOpen(comm, file, FILE_MODE_READ, &ck));
  PetscCall(NNCheckpointGetInt(ck, "pinn_interior_points", &N));
  PetscCall(NNCheckpointGetInt(ck, "pinn_seed", &seed));
  PetscCheck(N == pinn->points[PINN_POINTS_INTERIOR].N, comm, PETSC_ERR_ARG_INCOMP,
             "Checkpoint %s was written with %" PetscInt_FMT " interior points, this run has %" PetscInt_FMT " (-pinn_interior_points)", file, N,
             pinn->points[PINN_POINTS_INTERIOR].N);
  PetscCall(PINNSamplerGetSeed(pinn->sampler, &myseed));
  PetscCheck(seed == myseed, comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s was written with -pinn_seed %" PetscInt_FMT ", this run has %" PetscInt_FMT,
             file, seed, myseed);
  {
    /* this run's points were drawn at set-up by its own sampler: the checkpoint's must be the same kind */
    PINNSamplerType mytype;
    char            type[256];
    PetscBool       has, same;
    PetscCall(NNCheckpointHas(ck, "sampler_type", &has));
    if (has) {
      PetscCall(PINNSamplerGetType(pinn->sampler, &mytype));
      PetscCall(NNCheckpointGetString(ck, "sampler_type", type, sizeof(type)));
      PetscCall(PetscStrcmp(type, mytype, &same));
      PetscCheck(same, comm, PETSC_ERR_ARG_INCOMP,
                 "Checkpoint %s was written with sampler type %s, this run has %s (-pinn_sample_type, -pinn_sampler_type)", file, type, mytype);
    }
  }
  PetscCall(PINNSamplerReadCheckpoint(pinn->sampler, pinn, ck));
  PetscCall(NNCheckpointReadNN(ck, "u", pinn->nn));
  PetscCall(NNTrainerReadCheckpoint(pinn->tr, ck));
  PetscCall(NNCheckpointGetInt(ck, "pinn_draw", &pinn->draw));
  PetscCall(VecCreateMPI(comm, pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim, PETSC_DETERMINE, &pts));
  PetscCall(NNCheckpointReadVec(ck, "interior_points", pts));
  PetscCall(VecGetArrayRead(pts, &a));
  PetscCall(PetscArraycpy(pinn->points[PINN_POINTS_INTERIOR].x, a, pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim));
  PetscCall(VecRestoreArrayRead(pts, &a));
  PetscCall(VecDestroy(&pts));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(NNTrainerGetProgress(pinn->tr, &stage, &it, NULL));
  PetscCall(NNTrainerGetTotalIterations(pinn->tr, &total));
  pinn->batch = -1;
  PetscCall(PINNSetIterationPoints(pinn, total));
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscFunctionReturn(0);
}

/*@
  PINNTrain - Trains the network: Adam (-pinn_adam_steps), then L-BFGS (-pinn_lbfgs_steps).
  With -pinn_monitor it prints the loss terms, the relative L2 error (when an exact solution is
  set), elapsed time and ETA every -pinn_monitor_every steps; -pinn_monitor_history writes every
  step to a CSV file; -pinn_checkpoint with -pinn_checkpoint_every writes checkpoints during and
  after training, and -pinn_restart continues from one exactly (Adam: to round-off; L-BFGS
  restarts its curvature history).

  Collective

  Level: beginner
@*/
PetscErrorCode PINNTrain(PINN pinn)
{
  MPI_Comm     comm;
  NNTrainStage stage;
  PetscInt     it, total;
  PetscReal    loss;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNCreateTrainer(pinn));
  /* files written during or after training: find out now, not after the run */
  if (pinn->checkpoint[0]) PetscCall(NNFileCheckWritable(comm, pinn->checkpoint, "-pinn_checkpoint"));
  if (pinn->history[0]) PetscCall(NNFileCheckWritable(comm, pinn->history, "-pinn_monitor_history"));
  if (pinn->restart[0]) {
    PetscCall(PINNReadCheckpoint(pinn, pinn->restart));
    PetscCall(NNTrainerGetTotalIterations(pinn->tr, &total));
    PetscCheck(total < pinn->adam_steps + pinn->lbfgs_steps, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Nothing to do: checkpoint %s holds %" PetscInt_FMT " iterations, and this run asks for %" PetscInt_FMT
               " in all (-pinn_adam_steps %" PetscInt_FMT " + -pinn_lbfgs_steps %" PetscInt_FMT "); ask for more steps to continue training",
               pinn->restart, total, pinn->adam_steps + pinn->lbfgs_steps, pinn->adam_steps, pinn->lbfgs_steps);
    PetscCall(PetscPrintf(comm, "Restarted from %s at iteration %" PetscInt_FMT "\n", pinn->restart, total));
  }
  PetscCall(NNTrainerGetProgress(pinn->tr, &stage, &it, NULL));
  PetscCall(NNTrainerGetTotalIterations(pinn->tr, &total));
  PetscCall(PINNSetIterationPoints(pinn, total));
  if (pinn->history[0]) PetscCall(PINNHistoryOpen(pinn, total));
  PetscCall(PetscTime(&pinn->t_start));
  pinn->it_start = total;
  PetscCall(NNTrainerStep(pinn->tr, PETSC_DETERMINE));
  PetscCall(NNTrainerGetProgress(pinn->tr, &stage, &it, &loss));
  PetscCall(NNTrainerGetTotalIterations(pinn->tr, &total));
  /* final state: loss at the final parameters, on all points */
  pinn->in_adam = PETSC_FALSE;
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscCall(PINNComputeLoss(pinn, &loss, NULL));
  if (pinn->exact) PetscCall(PINNComputeError(pinn, &pinn->last_error));
  if (pinn->monitor) PetscCall(PINNPrintProgress(pinn, NN_TRAIN_STAGE_DONE, total, loss));
  if (pinn->checkpoint[0]) PetscCall(PINNWriteCheckpoint(pinn, pinn->checkpoint));
  if (pinn->history_fp) {
    PetscCall(PetscFClose(comm, pinn->history_fp));
    pinn->history_fp = NULL;
  }
  PetscFunctionReturn(0);
}

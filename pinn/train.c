/* PINN training on NNTrainer (nn/train.c), which runs Adam then L-BFGS with the progress line,
   history, checkpoints, restart and wall-time limit. This file supplies the PINN's parts: the
   objective, the points of each step (pre-step hook: mini-batch; adapt hook: redrawn interior
   points), the progress fields and history columns (loss terms, error) and its checkpoint state. */
#include <nnpde/private/pinnimpl.h>
#include <nnpde/private/samplerimpl.h>
#include <nnpde/sampler.h>
#include <nnpde/private/nnimpl.h>
#include <nnpde/adam.h>
#include <nnpde/checkpoint.h>

/* TAO objective: evaluate at the optimizer's point, read in place */
static PetscErrorCode PINNObjectiveAndGradient(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  PetscFunctionBegin;
  (void)tao;
  PetscCall(PINNComputeObjectiveGradient((PINN)ctx, X, f, G));
  PetscFunctionReturn(0);
}

/* Points for the evaluation of iteration `total`: the mini-batch, and the draw of interior points,
   are functions of the iteration count alone, so a restart finds the same ones. The trainer's
   adapt hook redraws at multiples of -pinn_resample_every, also the one a run that stopped just
   before an adapt step owes (NNTrainerSetAdapt()); with `catchup` this redraws for a checkpoint of
   an older version that holds neither that redraw nor the parameters it needs (with those of step
   `total`, as those versions did). */
static PetscErrorCode PINNSetIterationPoints(PINN pinn, PetscInt total, PetscBool catchup)
{
  /* by count, so the switch happens before L-BFGS's first evaluation */
  const PetscBool adam   = (PetscBool)(total < pinn->adam_steps);
  PetscBool       reload = (PetscBool)(adam != pinn->in_adam || pinn->reload);

  PetscFunctionBegin;
  pinn->iteration = total;
  pinn->in_adam   = adam;
  pinn->reload    = PETSC_FALSE;
  if (adam && pinn->batch_size && pinn->batch != total) {
    pinn->batch = total;
    reload      = PETSC_TRUE;
  }
  if (catchup && adam && pinn->resample_every && total / pinn->resample_every != pinn->draw) {
    pinn->draw = total / pinn->resample_every;
    PetscCall(PINNSamplerAdapt(pinn->sampler, pinn)); /* adaptive samplers: from the residuals before the redraw (no-op so far) */
    PetscCall(PINNDrawInterior_Private(pinn));
    reload = PETSC_TRUE;
  }
  if (reload) PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscFunctionReturn(0);
}

/* The trainer's pre-step hook */
static PetscErrorCode PINNPreStep(NNTrainer tr, PetscInt step, void *ctx)
{
  PetscFunctionBegin;
  (void)tr;
  PetscCall(PINNSetIterationPoints((PINN)ctx, step, PETSC_TRUE));
  PetscFunctionReturn(0);
}

/* The divergence check's reference covers an epoch: with mini-batches one step's loss is one batch's, and after an
   adaptive sampler put points at the peak the batches' losses differ by orders of magnitude */
static PetscErrorCode PINNSetDivergenceWindow(PINN pinn)
{
  const PetscInt N = pinn->points[PINN_POINTS_INTERIOR].N, B = pinn->batch_size;

  PetscFunctionBegin;
  PetscCall(NNTrainerSetDivergenceWindow(pinn->tr, B > 0 && B < N ? (N + B - 1) / B : 1));
  PetscFunctionReturn(0);
}

/* The trainer's adapt hook, every -pinn_resample_every steps: redraw the interior points (Adam only);
   the pre-step hook that follows loads them into the groups */
static PetscErrorCode PINNAdapt(NNTrainer tr, PetscInt step, void *ctx)
{
  PINN pinn = (PINN)ctx;

  PetscFunctionBegin;
  (void)tr;
  if (step >= pinn->adam_steps || step / pinn->resample_every == pinn->draw) PetscFunctionReturn(0);
  pinn->iteration = step;
  pinn->draw      = step / pinn->resample_every;
  PetscCall(PINNSamplerAdapt(pinn->sampler, pinn)); /* adaptive samplers: from the residuals before the redraw (no-op so far) */
  PetscCall(PINNDrawInterior_Private(pinn));
  pinn->reload = PETSC_TRUE;
  PetscCall(PINNSetDivergenceWindow(pinn)); /* RAR types grow the set */
  PetscFunctionReturn(0);
}

/* The PINN's fields of the progress line: the loss terms and the error */
static PetscErrorCode PINNProgressFields(NNTrainer tr, void *ctx)
{
  PINN     pinn = (PINN)ctx;
  MPI_Comm comm = PetscObjectComm((PetscObject)pinn);

  PetscFunctionBegin;
  (void)tr;
  PetscCall(PetscPrintf(comm, " ["));
  for (PetscInt t = 0; t < pinn->nterms; t++) PetscCall(PetscPrintf(comm, "%s%s %.2e", t ? ", " : "", pinn->terms[t].name, (double)pinn->losses[t]));
  PetscCall(PetscPrintf(comm, "]"));
  if (pinn->exact) PetscCall(PetscPrintf(comm, " rel-L2 %.3e", (double)pinn->last_error));
  PetscFunctionReturn(0);
}

/* The PINN's history columns: each loss term, the error every -pinn_monitor_every steps, and with
   -pinn_sampler_diagnostics the sampler's per-stage values (sampling/diagnostics.c) */
static PetscErrorCode PINNHistoryValues(NNTrainer tr, PetscReal v[], void *ctx)
{
  PINN      pinn = (PINN)ctx;
  PetscBool diag;
  PetscInt  it, n = pinn->nterms + (pinn->exact ? 1 : 0);

  PetscFunctionBegin;
  (void)tr;
  for (PetscInt t = 0; t < pinn->nterms; t++) v[t] = pinn->losses[t];
  if (pinn->exact) v[pinn->nterms] = pinn->iteration % pinn->monitor_every == 0 ? pinn->last_error : (PetscReal)NAN;
  /* -pinn_sampler_diagnostics: the stage's values in the row of its first step */
  PetscCall(PINNSamplerGetDiagnostics(pinn->sampler, &diag, &it, NULL));
  if (diag && it == pinn->iteration)
    PetscCall(PINNSamplerGetDiagnostics(pinn->sampler, NULL, NULL, v + n));
  else if (diag)
    for (PetscInt k = 0; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) v[n + k] = (PetscReal)NAN;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNTrainMonitor(NNTrainer tr, NNTrainStage stage, PetscInt it, PetscInt total, PetscReal loss, void *ctx, PetscBool *stop)
{
  PINN      pinn   = (PINN)ctx;
  PetscBool report = (PetscBool)(total % pinn->monitor_every == 0);

  PetscFunctionBegin;
  (void)tr, (void)it, (void)stage, (void)loss;
  pinn->iteration = total;
  /* the error costs a network evaluation on the test points: only when someone looks at it;
     collective: decided by what every rank knows (the history file is open on rank 0 only) */
  if (pinn->exact && report && (pinn->monitor || pinn->target_error > 0 || pinn->history[0])) PetscCall(PINNComputeError(pinn, &pinn->last_error));
  if (pinn->exact && report && pinn->target_error > 0 && pinn->last_error <= pinn->target_error) *stop = PETSC_TRUE;
  PetscFunctionReturn(0);
}

#define PINN_TERM_LIST_LEN 1024

/* The loss terms' names, comma-separated */
static PetscErrorCode PINNTermList(PINN pinn, char list[])
{
  PetscFunctionBegin;
  list[0] = 0;
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    if (t) PetscCall(PetscStrlcat(list, ",", PINN_TERM_LIST_LEN));
    PetscCall(PetscStrlcat(list, pinn->terms[t].name, PINN_TERM_LIST_LEN));
  }
  PetscFunctionReturn(0);
}

/* The terms whose residuals identify the problem: interior and initial ones (boundary terms may need normals) */
static PetscBool PINNFingerprintTerm(PINN pinn, PetscInt t)
{
  const PINNPointSet set = pinn->terms[t].set;

  return (PetscBool)(set != PINN_POINTS_BOUNDARY && !pinn->terms[t].ntags && pinn->points[set].N > 0);
}

/* What identifies the problem beyond the names of its terms: each interior and initial term's mean squared residual
   (unweighted) at the current parameters on the current points, which a checkpoint stores and a restart, with the same
   parameters and points, must find again. Another PDE, source, coefficient (-c), initial condition or domain with the
   same term names gives other values. values[] has room for every term; count: how many were filled (the order is the
   terms'). Collective. */
static PetscErrorCode PINNResidualFingerprint(PINN pinn, PetscInt *count, PetscReal values[])
{
  PetscReal *w, *r2 = NULL;
  PetscInt   cap = 0, m = 0;

  PetscFunctionBegin;
  *count = 0;
  if (!pinn->ops->residuals) PetscFunctionReturn(0); /* a type without the residual query: nothing recorded, nothing checked */
  PetscCall(PetscMalloc1(pinn->nterms, &w));
  for (PetscInt t = 0; t < pinn->nterms; t++) w[t] = pinn->terms[t].weight;
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    const PINNPointSet set = pinn->terms[t].set;
    const PINNPoints  *P   = &pinn->points[set];
    PetscReal          sum = 0;

    if (!PINNFingerprintTerm(pinn, t)) continue;
    if (P->n > cap) {
      PetscCall(PetscFree(r2));
      PetscCall(PetscMalloc1(P->n, &r2));
      cap = P->n;
    }
    for (PetscInt k = 0; k < pinn->nterms; k++) pinn->terms[k].weight = k == t ? 1.0 : 0.0; /* this term alone, unweighted */
    PetscCall(PINNComputeResiduals(pinn, set, P->n, P->x, r2, NULL));
    for (PetscInt p = 0; p < P->n; p++) sum += r2[p];
    values[m++] = sum;
  }
  for (PetscInt t = 0; t < pinn->nterms; t++) pinn->terms[t].weight = w[t];
  PetscCall(PetscFree(w));
  PetscCall(PetscFree(r2));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, values, m, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)pinn)));
  for (PetscInt t = 0, k = 0; t < pinn->nterms && k < m; t++)
    if (PINNFingerprintTerm(pinn, t)) values[k++] /= pinn->points[pinn->terms[t].set].N;
  *count = m;
  PetscFunctionReturn(0);
}

/* The PINN's part of a checkpoint: the networks (each under its name, the default "u"), the point-draw state and the interior points */
static PetscErrorCode PINNCheckpointWrite(NNTrainer tr, NNCheckpoint ck, void *ctx)
{
  PINN         pinn = (PINN)ctx;
  Vec          pts;
  PetscScalar *a;
  PetscInt     seed;

  PetscFunctionBegin;
  (void)tr;
  PetscCall(PINNCheckpointWriteNetworks_Private(pinn, ck));
  PetscCall(NNCheckpointSetInt(ck, "pinn_draw", pinn->draw));
  PetscCall(PINNSamplerGetSeed(pinn->sampler, &seed));
  PetscCall(NNCheckpointSetInt(ck, "pinn_seed", seed)); /* also in the sampler's state; kept for older readers */
  PetscCall(PINNSamplerWriteCheckpoint(pinn->sampler, pinn, ck));
  PetscCall(NNCheckpointSetInt(ck, "pinn_interior_points", pinn->points[PINN_POINTS_INTERIOR].N));
  /* what a restart must agree on besides: the loss terms (the problem, its boundary condition), the other point sets,
     the adapt interval */
  {
    char terms[PINN_TERM_LIST_LEN];
    PetscCall(PINNTermList(pinn, terms));
    PetscCall(NNCheckpointSetString(ck, "pinn_terms", terms));
  }
  PetscCall(NNCheckpointSetInt(ck, "pinn_boundary_points", pinn->points[PINN_POINTS_BOUNDARY].N));
  PetscCall(NNCheckpointSetInt(ck, "pinn_initial_points", pinn->points[PINN_POINTS_INITIAL].N));
  PetscCall(NNCheckpointSetInt(ck, "pinn_resample_every", pinn->resample_every));
  /* the interior points themselves: an adaptive sampler's cannot be regenerated from a seed */
  PetscCall(VecCreateMPI(PetscObjectComm((PetscObject)pinn), pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim, PETSC_DETERMINE, &pts));
  PetscCall(VecGetArrayWrite(pts, &a));
  PetscCall(PetscArraycpy(a, pinn->points[PINN_POINTS_INTERIOR].x, pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim));
  PetscCall(VecRestoreArrayWrite(pts, &a));
  PetscCall(NNCheckpointWriteVec(ck, "interior_points", pts));
  PetscCall(VecDestroy(&pts));
  { /* the problem's fingerprint, "name value,name value" at full precision */
    PetscReal *v;
    PetscInt   m;
    char      *list;
    size_t     len = 64 * (size_t)(pinn->nterms + 1);

    PetscCall(PetscMalloc2(pinn->nterms, &v, len, &list));
    PetscCall(PINNResidualFingerprint(pinn, &m, v));
    list[0] = 0;
    for (PetscInt t = 0, k = 0; t < pinn->nterms && k < m; t++) {
      char item[96];
      if (!PINNFingerprintTerm(pinn, t)) continue;
      PetscCall(PetscSNPrintf(item, sizeof(item), "%s%.20s %.17g", k ? "," : "", pinn->terms[t].name, (double)v[k]));
      PetscCall(PetscStrlcat(list, item, len));
      k++;
    }
    PetscCall(NNCheckpointSetString(ck, "pinn_residual_means", list));
    PetscCall(PetscFree2(v, list));
  }
  PetscFunctionReturn(0);
}

/* A restart's parameters and points must give the residual means the checkpoint recorded (to round-off: another rank
   count or BLAS kernel sums in another order), else the checkpoint belongs to another problem */
static PetscErrorCode PINNCheckResidualFingerprint(PINN pinn, NNCheckpoint ck, const char file[])
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)pinn);
  PetscBool  has;
  PetscReal *v;
  PetscInt   m;
  char      *list, *item, *next;
  size_t     len = 64 * (size_t)(pinn->nterms + 1);

  PetscFunctionBegin;
  PetscCall(NNCheckpointHas(ck, "pinn_residual_means", &has)); /* older checkpoints: not checked */
  if (!has) PetscFunctionReturn(0);
  PetscCall(PetscMalloc2(pinn->nterms, &v, len, &list));
  PetscCall(NNCheckpointGetString(ck, "pinn_residual_means", list, len));
  PetscCall(PINNResidualFingerprint(pinn, &m, v));
  item = list[0] ? list : NULL;
  for (PetscInt k = 0; k < m; k++, item = next) {
    char     *space, *end = NULL;
    PetscReal then, now   = v[k];

    next = item ? strchr(item, ',') : NULL;
    if (next) *next++ = 0;
    space = item ? strrchr(item, ' ') : NULL;
    then  = space ? (PetscReal)strtod(space + 1, &end) : 0;
    PetscCheck(space && end && !*end, comm, PETSC_ERR_FILE_UNEXPECTED, "Checkpoint %s: unreadable residual means", file);
    *space = 0;
    PetscCheck(PetscAbsReal(now - then) <= 1e-6 * PetscMax(PetscAbsReal(now), PetscAbsReal(then)) ||
                   PetscMax(PetscAbsReal(now), PetscAbsReal(then)) < 1e-280,
               comm, PETSC_ERR_ARG_INCOMP,
               "Checkpoint %s belongs to another problem: at its parameters and points the mean squared residual of term %s is %.10g here, %.10g "
               "when it was written (another PDE, source, coefficient, initial condition or domain with the same terms)",
               file, item, (double)now, (double)then);
  }
  PetscCheck(!item, comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s records residual means of more terms than this problem has (%s): another problem",
             file, item);
  PetscCall(PetscFree2(v, list));
  PetscFunctionReturn(0);
}

/* Reads back what PINNCheckpointWrite() wrote (after the trainer's state), and loads the points of
   the iteration to continue from */
static PetscErrorCode PINNCheckpointRead(NNTrainer tr, NNCheckpoint ck, void *ctx)
{
  PINN               pinn = (PINN)ctx;
  MPI_Comm           comm = PetscObjectComm((PetscObject)pinn);
  PetscInt           N, seed, myseed, total;
  Vec                pts;
  const PetscScalar *a;
  const char        *file = "the checkpoint";
  PetscViewer        viewer;

  PetscFunctionBegin;
  PetscCall(NNCheckpointGetViewer(ck, &viewer));
  PetscCall(PetscViewerFileGetName(viewer, &file));
  PetscCall(NNCheckpointGetInt(ck, "pinn_interior_points", &N));
  {
    PetscBool grown; /* a growing sampler's (RAR) set started from this run's count */
    PetscCall(NNCheckpointHas(ck, "sampler_interior_base", &grown));
    if (grown) PetscCall(NNCheckpointGetInt(ck, "sampler_interior_base", &N));
  }
  PetscCall(NNCheckpointGetInt(ck, "pinn_seed", &seed));
  PetscCheck(N == pinn->points[PINN_POINTS_INTERIOR].N, comm, PETSC_ERR_ARG_INCOMP,
             "Checkpoint %s was written with %" PetscInt_FMT " interior points, this run has %" PetscInt_FMT
             " (-pinn_interior_points, or a PINN type's grid such as -pinn_lagrangian_grid)",
             file, N, pinn->points[PINN_POINTS_INTERIOR].N);
  {
    PetscBool has;
    PetscCall(NNCheckpointHas(ck, "pinn_terms", &has)); /* older checkpoints: not checked */
    if (has) {
      char           terms[PINN_TERM_LIST_LEN], mine[PINN_TERM_LIST_LEN];
      PetscBool      same;
      PetscInt       n;
      const char    *opt[3] = {"pinn_boundary_points", "pinn_initial_points", "pinn_resample_every"};
      const PetscInt now[3] = {pinn->points[PINN_POINTS_BOUNDARY].N, pinn->points[PINN_POINTS_INITIAL].N, pinn->resample_every};

      PetscCall(NNCheckpointGetString(ck, "pinn_terms", terms, sizeof(terms)));
      PetscCall(PINNTermList(pinn, mine));
      PetscCall(PetscStrcmp(terms, mine, &same));
      PetscCheck(same, comm, PETSC_ERR_ARG_INCOMP,
                 "Checkpoint %s was written with the loss terms %s, this run has %s: another problem or boundary condition (e.g. -bc)", file, terms,
                 mine);
      for (PetscInt k = 0; k < 3; k++) {
        PetscCall(NNCheckpointGetInt(ck, opt[k], &n));
        PetscCheck(n == now[k], comm, PETSC_ERR_ARG_INCOMP, "Checkpoint %s was written with -%s %" PetscInt_FMT ", this run has %" PetscInt_FMT "%s",
                   file, opt[k], n, now[k], k == 1 ? " (or a PINN type's grid such as -pinn_lagrangian_grid)" : "");
      }
    }
  }
  PetscCall(PINNSamplerGetSeed(pinn->sampler, &myseed));
  PetscCheck(seed == myseed, comm, PETSC_ERR_ARG_INCOMP,
             "Checkpoint %s was written with point seed (-pinn_seed, -pinn_sampler_seed) %" PetscInt_FMT ", this run has %" PetscInt_FMT, file, seed,
             myseed);
  /* the sampler checks that the checkpoint holds its own type (this run drew its points with it) */
  PetscCall(PINNSamplerReadCheckpoint(pinn->sampler, pinn, ck));
  PetscCall(PINNCheckpointReadNetworks_Private(pinn, ck));
  PetscCall(NNCheckpointGetInt(ck, "pinn_draw", &pinn->draw));
  PetscCall(VecCreateMPI(comm, pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim, PETSC_DETERMINE, &pts));
  PetscCall(NNCheckpointReadVec(ck, "interior_points", pts));
  PetscCall(VecGetArrayRead(pts, &a));
  PetscCall(PetscArraycpy(pinn->points[PINN_POINTS_INTERIOR].x, a, pinn->points[PINN_POINTS_INTERIOR].n * pinn->dim));
  PetscCall(VecRestoreArrayRead(pts, &a));
  PetscCall(VecDestroy(&pts));
  PetscCall(NNTrainerGetTotalIterations(tr, &total));
  pinn->batch = -1;
  /* the points as written: a redraw owed at this step is done by the trainer when training continues */
  PetscCall(PINNSetIterationPoints(pinn, total, PETSC_FALSE));
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscCall(PINNCheckResidualFingerprint(pinn, ck, file));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNCreateTrainer(PINN pinn)
{
  Vec  theta;
  Tao  adam;
  char prefix[256];

  PetscFunctionBegin;
  if (pinn->tr) PetscFunctionReturn(0);
  PetscCall(PINNGetParameters(pinn, &theta));
  PetscCall(NNTrainerCreate(PetscObjectComm((PetscObject)pinn), &pinn->tr));
  PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%spinn_", ((PetscObject)pinn)->prefix ? ((PetscObject)pinn)->prefix : ""));
  PetscCall(NNTrainerSetOptionsPrefix(pinn->tr, prefix));
  PetscCall(NNTrainerSetObjectiveAndGradient(pinn->tr, theta, PINNObjectiveAndGradient, pinn));
  PetscCall(NNTrainerSetSteps(pinn->tr, pinn->adam_steps, pinn->lbfgs_steps));
  PetscCall(NNTrainerGetTao(pinn->tr, NN_TRAIN_STAGE_ADAM, &adam));
  PetscCall(TaoAdamSetLearningRate(adam, pinn->adam_lr));
  /* the steps, monitor, history, checkpoint and restart are the PINN's options (-pinn_adam_steps,
     -pinn_monitor...): list them once; the trainer adds -pinn_max_time, -pinn_divergence_factor */
  PetscCall(NNTrainerSetTaoFromOptions_Private(pinn->tr));
  PetscCall(TaoAdamGetLearningRate(adam, &pinn->adam_lr));
  PetscCall(PINNCheckLearningRate_Private(pinn, "-pinn_adam_tao_adam_lr"));
  PetscCall(NNTrainerMonitorSet(pinn->tr, PINNTrainMonitor, pinn, NULL));
  PetscCall(NNTrainerSetCheckpointFunctions(pinn->tr, PINNCheckpointWrite, PINNCheckpointRead, pinn));
  PetscCall(NNTrainerSetPreStep(pinn->tr, PINNPreStep, pinn));
  PetscFunctionReturn(0);
}

/* The PINN's settings, which may change until training starts, handed to the trainer */
static PetscErrorCode PINNConfigureTrainer(PINN pinn)
{
  const char *names[64 + PINN_SAMPLER_NUM_DIAGNOSTICS];
  PetscInt    n = 0;
  PetscBool   diag;

  PetscFunctionBegin;
  PetscCheck(pinn->nterms < 63, PetscObjectComm((PetscObject)pinn), PETSC_ERR_SUP, "At most 62 loss terms in the history");
  for (PetscInt t = 0; t < pinn->nterms; t++) names[n++] = pinn->terms[t].name;
  if (pinn->exact) names[n++] = "relative_l2";
  PetscCall(PINNSamplerGetDiagnostics(pinn->sampler, &diag, NULL, NULL));
  if (diag)
    for (PetscInt k = 0; k < PINN_SAMPLER_NUM_DIAGNOSTICS; k++) names[n++] = PINNSamplerDiagnosticNames[k];
  PetscCall(NNTrainerSetHistoryColumns(pinn->tr, n, names, PINNHistoryValues, pinn));
  PetscCall(NNTrainerSetHistory(pinn->tr, pinn->history));
  PetscCall(NNTrainerSetProgress(pinn->tr, pinn->monitor, pinn->monitor_every, PINNProgressFields, pinn));
  PetscCall(NNTrainerSetCheckpoint(pinn->tr, pinn->checkpoint, pinn->checkpoint_every));
  PetscCall(NNTrainerSetRestart(pinn->tr, pinn->restart));
  /* an adaptive sampler that never adapts is a plain uniform run under another name */
  PetscCheck(!(pinn->sampler->ops->adapt && pinn->resample_every == 0 && pinn->adam_steps > 0), PetscObjectComm((PetscObject)pinn),
             PETSC_ERR_ARG_WRONG, "Sampler type %s adapts every -pinn_resample_every steps, which is 0 (never): set it, e.g. 500",
             ((PetscObject)pinn->sampler)->type_name);
  PetscCall(NNTrainerSetAdapt(pinn->tr, pinn->resample_every, PINNAdapt, pinn));
  PetscCall(PINNSetDivergenceWindow(pinn));
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

/*@
  PINNGetTrainer - The NNTrainer that trains the PINN (created on first use, prefix -pinn_): for
  monitors, hooks and its Taos. The PINN keeps its reference.

  Collective

  Input Parameter:
. pinn - the PINN

  Output Parameter:
. tr - the trainer

  Level: intermediate

.seealso: `PINNTrain()`, `NNTrainerMonitorSet()`
@*/
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
  PINNWriteCheckpoint - Writes the networks (each under its name, the default "u"), the trainer and optimizer state, the point-draw
  state and the current interior points to a checkpoint file (atomically).

  Collective

  Level: intermediate
@*/
PetscErrorCode PINNWriteCheckpoint(PINN pinn, const char file[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNCreateTrainer(pinn));
  PetscCall(NNTrainerCheckpointSave(pinn->tr, file));
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
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNCreateTrainer(pinn));
  PetscCall(NNTrainerCheckpointLoad(pinn->tr, file));
  PetscFunctionReturn(0);
}

/*@
  PINNTrain - Trains the network: Adam (-pinn_adam_steps), then L-BFGS (-pinn_lbfgs_steps).
  With -pinn_monitor it prints the loss terms, the relative L2 error (when an exact solution is
  set), elapsed time and ETA every -pinn_monitor_every steps; -pinn_monitor_history writes every
  step to a CSV file; -pinn_checkpoint with -pinn_checkpoint_every writes checkpoints during and
  after training, and -pinn_restart continues from one exactly (Adam: to round-off; L-BFGS
  restarts its curvature history); -pinn_max_time stops with a checkpoint after that many seconds.
  The loop and these services are the NNTrainer's (PINNGetTrainer()).

  Collective

  Level: beginner
@*/
PetscErrorCode PINNTrain(PINN pinn)
{
  NNTrainStage stage;
  PetscInt     total;
  PetscReal    loss;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNCreateTrainer(pinn));
  PetscCall(PINNConfigureTrainer(pinn));
  PetscCall(NNTrainerTrain(pinn->tr));
  PetscCall(NNTrainerGetProgress(pinn->tr, &stage, NULL, &loss));
  PetscCall(NNTrainerGetTotalIterations(pinn->tr, &total));
  /* final state: loss at the final parameters, on all points */
  pinn->in_adam = PETSC_FALSE;
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscCall(PINNComputeLoss(pinn, &loss, NULL));
  if (pinn->exact) PetscCall(PINNComputeError(pinn, &pinn->last_error));
  if (pinn->monitor) PetscCall(NNTrainerPrintProgress(pinn->tr, stage, total, loss));
  PetscFunctionReturn(0);
}

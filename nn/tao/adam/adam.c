/* The TAO type "adam": Adam (Kingma & Ba 2015) with bias correction, AMSGrad, and learning-rate schedules. */
#include <petsc/private/taoimpl.h>
#include <nnpde/adam.h>
#include <nnpde/sys.h>
#include <nnpde/private/nnimpl.h>
#include <nnpde/checkpoint.h>

const char *const TaoAdamSchedules[] = {"constant", "step", "exponential", "TaoAdamSchedule", "TAO_ADAM_SCHEDULE_", NULL};

/* checkpoint.c: the state in a checkpoint, composed as "NNCheckpointWrite_C"/"NNCheckpointRead_C" */
PETSC_INTERN PetscErrorCode TaoCheckpointWrite_Adam(Tao, NNCheckpoint);
PETSC_INTERN PetscErrorCode TaoCheckpointRead_Adam(Tao, NNCheckpoint);

typedef struct {
  PetscReal       lr; /* base learning rate */
  PetscReal       beta1, beta2;
  PetscReal       eps;
  PetscBool       amsgrad;
  TaoAdamSchedule schedule;
  PetscReal       decay_rate;
  PetscInt        decay_steps;
  PetscInt        step;       /* updates taken so far, over all TaoSolve() calls */
  Vec             m, v, vmax; /* first and second moments, AMSGrad running maximum of v */
} Tao_Adam;

/* Options prefix of the Tao, for error messages that name the option */
static const char *TaoAdamPrefix(Tao tao)
{
  return ((PetscObject)tao)->prefix ? ((PetscObject)tao)->prefix : "";
}

/* Learning rate of the update that follows `step` completed updates */
static PetscReal TaoAdamScheduledRate(const Tao_Adam *adam, PetscInt step)
{
  switch (adam->schedule) {
  case TAO_ADAM_SCHEDULE_STEP:
    return adam->lr * PetscPowReal(adam->decay_rate, (PetscReal)(step / adam->decay_steps));
  case TAO_ADAM_SCHEDULE_EXPONENTIAL:
    return adam->lr * PetscPowReal(adam->decay_rate, (PetscReal)step / (PetscReal)adam->decay_steps);
  default:
    return adam->lr;
  }
}

static PetscErrorCode TaoAdamEnsureState_Private(Tao tao)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  if (!adam->m) {
    PetscCall(VecDuplicate(tao->solution, &adam->m));
    PetscCall(VecZeroEntries(adam->m));
  }
  if (!adam->v) {
    PetscCall(VecDuplicate(tao->solution, &adam->v));
    PetscCall(VecZeroEntries(adam->v));
  }
  if (adam->amsgrad && !adam->vmax) {
    PetscCall(VecDuplicate(tao->solution, &adam->vmax));
    PetscCall(VecZeroEntries(adam->vmax));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoSetUp_Adam(Tao tao)
{
  PetscFunctionBegin;
  if (!tao->gradient) PetscCall(VecDuplicate(tao->solution, &tao->gradient));
  if (!tao->stepdirection) {
    PetscCall(VecDuplicate(tao->solution, &tao->stepdirection));
    PetscCall(VecZeroEntries(tao->stepdirection));
  }
  PetscCall(TaoAdamEnsureState_Private(tao));
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoSolve_Adam(Tao tao)
{
  Tao_Adam       *adam = (Tao_Adam *)tao->data;
  const PetscReal b1 = adam->beta1, b2 = adam->beta2, eps = adam->eps;
  const PetscBool ams = adam->amsgrad;
  PetscInt        n;
  PetscReal       f, gnorm;
  PetscBool       finite;

  PetscFunctionBegin;
  if (tao->XL || tao->XU) PetscCall(PetscInfo(tao, "Adam ignores the variable bounds\n"));
  PetscCall(TaoAdamEnsureState_Private(tao));
  PetscCall(VecGetLocalSize(tao->solution, &n));
  tao->reason = TAO_CONTINUE_ITERATING;
  while (1) {
    const PetscInt     t  = adam->step + 1; /* 1-based index of the update about to be taken */
    const PetscReal    lr = TaoAdamScheduledRate(adam, adam->step);
    PetscReal          bc1, bc2sqrt, step_size;
    PetscScalar       *x, *m, *v, *vmax = NULL, *s;
    const PetscScalar *g;

    if (tao->niter >= tao->max_it) {
      tao->reason = TAO_DIVERGED_MAXITS;
      break;
    }
    PetscCall(PetscLogEventBegin(TAO_AdamStep, tao, 0, 0, 0));
    PetscCall(TaoComputeObjectiveAndGradient(tao, tao->solution, &f, tao->gradient));
    PetscCall(VecNorm(tao->gradient, NORM_2, &gnorm));
    finite = (PetscBool)(!PetscIsInfOrNanReal(f) && !PetscIsInfOrNanReal(gnorm));
    if (!finite) PetscCall(PetscLogEventEnd(TAO_AdamStep, tao, 0, 0, 0));
    PetscCheck(finite, PetscObjectComm((PetscObject)tao), PETSC_ERR_FP,
               "Adam step %" PetscInt_FMT " (iteration %" PetscInt_FMT
               " of this TaoSolve): objective %g, gradient norm %g is not finite; the parameters are left as after step %" PetscInt_FMT,
               t, tao->niter, (double)f, (double)gnorm, adam->step);

    /* Report the point x_k the step starts from, as a PyTorch training loop reports its loss */
    PetscCall(TaoLogConvergenceHistory(tao, f, gnorm, 0.0, tao->ksp_tot_its));
    PetscCall(TaoMonitor(tao, tao->niter, f, gnorm, 0.0, lr));
    PetscTryTypeMethod(tao, convergencetest, tao->cnvP);
    if (tao->reason != TAO_CONTINUE_ITERATING) {
      PetscCall(PetscLogEventEnd(TAO_AdamStep, tao, 0, 0, 0));
      break;
    }

    /* The update, in the operation order of torch.optim.Adam (single-tensor path) */
    bc1       = 1.0 - PetscPowReal(b1, (PetscReal)t);
    bc2sqrt   = PetscSqrtReal(1.0 - PetscPowReal(b2, (PetscReal)t));
    step_size = lr / bc1;
    PetscCall(VecGetArray(tao->solution, &x));
    PetscCall(VecGetArrayRead(tao->gradient, &g));
    PetscCall(VecGetArray(adam->m, &m));
    PetscCall(VecGetArray(adam->v, &v));
    PetscCall(VecGetArray(tao->stepdirection, &s));
    if (ams) PetscCall(VecGetArray(adam->vmax, &vmax));
    for (PetscInt i = 0; i < n; i++) {
      const PetscReal gi = PetscRealPart(g[i]);
      PetscReal       vi, denom;

      m[i] = b1 * PetscRealPart(m[i]) + (1.0 - b1) * gi;
      v[i] = b2 * PetscRealPart(v[i]) + (1.0 - b2) * gi * gi;
      vi   = PetscRealPart(v[i]);
      if (ams) {
        vmax[i] = PetscMax(PetscRealPart(vmax[i]), vi);
        vi      = PetscRealPart(vmax[i]);
      }
      denom = PetscSqrtReal(vi) / bc2sqrt + eps;
      s[i]  = -step_size * (PetscRealPart(m[i]) / denom);
      x[i] += s[i];
    }
    if (ams) PetscCall(VecRestoreArray(adam->vmax, &vmax));
    PetscCall(VecRestoreArray(tao->stepdirection, &s));
    PetscCall(VecRestoreArray(adam->v, &v));
    PetscCall(VecRestoreArray(adam->m, &m));
    PetscCall(VecRestoreArrayRead(tao->gradient, &g));
    PetscCall(VecRestoreArray(tao->solution, &x));
    adam->step++;
    tao->niter++;
    PetscCall(PetscLogFlops((ams ? 14.0 : 13.0) * n));
    PetscCall(PetscLogEventEnd(TAO_AdamStep, tao, 0, 0, 0));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoSetFromOptions_Adam(Tao tao, PetscOptionItems *PetscOptionsObject)
{
  Tao_Adam       *adam = (Tao_Adam *)tao->data;
  PetscReal       lr = adam->lr, b1 = adam->beta1, b2 = adam->beta2, eps = adam->eps, rate = adam->decay_rate;
  PetscInt        steps    = adam->decay_steps;
  PetscBool       amsgrad  = adam->amsgrad;
  TaoAdamSchedule schedule = adam->schedule;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Adam method for unconstrained optimization");
  PetscCall(PetscOptionsReal("-tao_adam_lr", "Learning rate", "TaoAdamSetLearningRate", lr, &lr, NULL));
  PetscCall(PetscOptionsReal("-tao_adam_beta1", "Decay rate of the first moment", "TaoAdamSetBetas", b1, &b1, NULL));
  PetscCall(PetscOptionsReal("-tao_adam_beta2", "Decay rate of the second moment", "TaoAdamSetBetas", b2, &b2, NULL));
  PetscCall(PetscOptionsReal("-tao_adam_epsilon", "Added to the denominator", "TaoAdamSetEpsilon", eps, &eps, NULL));
  PetscCall(
      PetscOptionsBool("-tao_adam_amsgrad", "Use the running maximum of the second moment (AMSGrad)", "TaoAdamSetAMSGrad", amsgrad, &amsgrad, NULL));
  PetscCall(PetscOptionsEnum("-tao_adam_schedule", "Learning-rate schedule", "TaoAdamSetSchedule", TaoAdamSchedules, (PetscEnum)schedule,
                             (PetscEnum *)&schedule, NULL));
  PetscCall(PetscOptionsReal("-tao_adam_decay_rate", "Learning-rate decay factor of the schedule", "TaoAdamSetSchedule", rate, &rate, NULL));
  PetscCall(NNOptionsInt("-tao_adam_decay_steps", "Steps over which the schedule decays by decay_rate", "TaoAdamSetSchedule", steps, &steps, NULL));
  PetscCall(TaoAdamSetLearningRate(tao, lr));
  PetscCall(TaoAdamSetBetas(tao, b1, b2));
  PetscCall(TaoAdamSetEpsilon(tao, eps));
  PetscCall(TaoAdamSetAMSGrad(tao, amsgrad));
  PetscCall(TaoAdamSetSchedule(tao, schedule, rate, steps));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoView_Adam(Tao tao, PetscViewer viewer)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;
  PetscBool isascii;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPrintf(viewer, "Adam: lr %g, beta1 %g, beta2 %g, epsilon %g, AMSGrad %s\n", (double)adam->lr, (double)adam->beta1,
                                   (double)adam->beta2, (double)adam->eps, adam->amsgrad ? "yes" : "no"));
  switch (adam->schedule) {
  case TAO_ADAM_SCHEDULE_STEP:
    PetscCall(PetscViewerASCIIPrintf(viewer, "Learning-rate schedule: step (lr * %g^floor(step/%" PetscInt_FMT "))\n", (double)adam->decay_rate,
                                     adam->decay_steps));
    break;
  case TAO_ADAM_SCHEDULE_EXPONENTIAL:
    PetscCall(PetscViewerASCIIPrintf(viewer, "Learning-rate schedule: exponential (lr * %g^(step/%" PetscInt_FMT "))\n", (double)adam->decay_rate,
                                     adam->decay_steps));
    break;
  default:
    PetscCall(PetscViewerASCIIPrintf(viewer, "Learning-rate schedule: constant\n"));
  }
  PetscCall(PetscViewerASCIIPrintf(viewer, "Steps taken: %" PetscInt_FMT ", learning rate of the next step %g\n", adam->step,
                                   (double)TaoAdamScheduledRate(adam, adam->step)));
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoDestroy_Adam(Tao tao)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  PetscCall(VecDestroy(&adam->m));
  PetscCall(VecDestroy(&adam->v));
  PetscCall(VecDestroy(&adam->vmax));
  PetscCall(PetscFree(tao->data));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetLearningRate_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamGetLearningRate_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamGetCurrentLearningRate_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetBetas_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetEpsilon_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetAMSGrad_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetSchedule_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamGetState_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetStep_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointWrite_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointRead_C", NULL));
  PetscFunctionReturn(0);
}

/* ---- type-specific implementations reached through the composed functions */

static PetscErrorCode TaoAdamSetLearningRate_Adam(Tao tao, PetscReal lr)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  PetscCheck(lr > 0.0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE, "Adam learning rate -%stao_adam_lr %g must be positive",
             TaoAdamPrefix(tao), (double)lr);
  adam->lr = lr;
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamGetLearningRate_Adam(Tao tao, PetscReal *lr)
{
  PetscFunctionBegin;
  *lr = ((Tao_Adam *)tao->data)->lr;
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamGetCurrentLearningRate_Adam(Tao tao, PetscReal *lr)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  *lr = TaoAdamScheduledRate(adam, adam->step);
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamSetBetas_Adam(Tao tao, PetscReal b1, PetscReal b2)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  PetscCheck(b1 >= 0.0 && b1 < 1.0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE, "Adam -%stao_adam_beta1 %g must be in [0, 1)",
             TaoAdamPrefix(tao), (double)b1);
  PetscCheck(b2 >= 0.0 && b2 < 1.0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE, "Adam -%stao_adam_beta2 %g must be in [0, 1)",
             TaoAdamPrefix(tao), (double)b2);
  adam->beta1 = b1;
  adam->beta2 = b2;
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamSetEpsilon_Adam(Tao tao, PetscReal eps)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  PetscCheck(eps > 0.0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE, "Adam -%stao_adam_epsilon %g must be positive",
             TaoAdamPrefix(tao), (double)eps);
  adam->eps = eps;
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamSetAMSGrad_Adam(Tao tao, PetscBool flg)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  adam->amsgrad = flg;
  if (!flg)
    PetscCall(VecDestroy(&adam->vmax));
  else if (tao->setupcalled)
    PetscCall(TaoAdamEnsureState_Private(tao));
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamSetSchedule_Adam(Tao tao, TaoAdamSchedule schedule, PetscReal rate, PetscInt steps)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  PetscCheck((int)schedule >= (int)TAO_ADAM_SCHEDULE_CONSTANT && (int)schedule <= (int)TAO_ADAM_SCHEDULE_EXPONENTIAL,
             PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE, "Unknown Adam learning-rate schedule %d for -%stao_adam_schedule",
             (int)schedule, TaoAdamPrefix(tao));
  if (rate == (PetscReal)PETSC_DEFAULT) rate = adam->decay_rate;
  if (steps == PETSC_DEFAULT) steps = adam->decay_steps;
  PetscCheck(rate > 0.0 && rate <= 1.0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE,
             "Adam -%stao_adam_decay_rate %g must be in (0, 1]", TaoAdamPrefix(tao), (double)rate);
  PetscCheck(steps >= 1, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE,
             "Adam -%stao_adam_decay_steps %" PetscInt_FMT " must be at least 1", TaoAdamPrefix(tao), steps);
  adam->schedule    = schedule;
  adam->decay_rate  = rate;
  adam->decay_steps = steps;
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamGetState_Adam(Tao tao, Vec *m, Vec *v, Vec *vmax, PetscInt *step)
{
  Tao_Adam *adam = (Tao_Adam *)tao->data;

  PetscFunctionBegin;
  PetscCall(TaoSetUp(tao));
  PetscCall(TaoAdamEnsureState_Private(tao));
  if (m) *m = adam->m;
  if (v) *v = adam->v;
  if (vmax) *vmax = adam->amsgrad ? adam->vmax : NULL;
  if (step) *step = adam->step;
  PetscFunctionReturn(0);
}

static PetscErrorCode TaoAdamSetStep_Adam(Tao tao, PetscInt step)
{
  PetscFunctionBegin;
  PetscCheck(step >= 0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE, "Adam step counter %" PetscInt_FMT " must be nonnegative", step);
  ((Tao_Adam *)tao->data)->step = step;
  PetscFunctionReturn(0);
}

/* ---- public interface */

/*@
  TaoAdamSetLearningRate - Sets the base learning rate (step size) of the Adam method.

  Logically Collective

  Input Parameters:
+ tao - the `Tao` context
- lr  - the learning rate, > 0 (default 1e-3)

  Options Database Key:
. -tao_adam_lr <lr> - the learning rate

  Notes:
  With a schedule the rate of step k is derived from this base rate, see `TaoAdamSetSchedule()`. Has no effect on other `Tao` types.

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamGetLearningRate()`, `TaoAdamSetSchedule()`
@*/
PetscErrorCode TaoAdamSetLearningRate(Tao tao, PetscReal lr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidLogicalCollectiveReal(tao, lr, 2);
  PetscTryMethod(tao, "TaoAdamSetLearningRate_C", (Tao, PetscReal), (tao, lr));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamGetLearningRate - Gets the base learning rate of the Adam method.

  Not Collective

  Input Parameter:
. tao - the `Tao` context, of type `TAOADAM`

  Output Parameter:
. lr - the base learning rate

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamSetLearningRate()`, `TaoAdamGetCurrentLearningRate()`
@*/
PetscErrorCode TaoAdamGetLearningRate(Tao tao, PetscReal *lr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidRealPointer(lr, 2);
  PetscUseMethod(tao, "TaoAdamGetLearningRate_C", (Tao, PetscReal *), (tao, lr));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamGetCurrentLearningRate - Gets the learning rate that the next Adam step will use, after the schedule is applied.

  Not Collective

  Input Parameter:
. tao - the `Tao` context, of type `TAOADAM`

  Output Parameter:
. lr - the scheduled learning rate of the next step

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamSetLearningRate()`, `TaoAdamSetSchedule()`
@*/
PetscErrorCode TaoAdamGetCurrentLearningRate(Tao tao, PetscReal *lr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidRealPointer(lr, 2);
  PetscUseMethod(tao, "TaoAdamGetCurrentLearningRate_C", (Tao, PetscReal *), (tao, lr));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamSetBetas - Sets the decay rates of the first and second moment estimates of Adam.

  Logically Collective

  Input Parameters:
+ tao   - the `Tao` context
. beta1 - decay rate of the first moment, in [0, 1) (default 0.9)
- beta2 - decay rate of the second moment, in [0, 1) (default 0.999)

  Options Database Keys:
+ -tao_adam_beta1 <beta1> - first-moment decay rate
- -tao_adam_beta2 <beta2> - second-moment decay rate

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamSetEpsilon()`
@*/
PetscErrorCode TaoAdamSetBetas(Tao tao, PetscReal beta1, PetscReal beta2)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidLogicalCollectiveReal(tao, beta1, 2);
  PetscValidLogicalCollectiveReal(tao, beta2, 3);
  PetscTryMethod(tao, "TaoAdamSetBetas_C", (Tao, PetscReal, PetscReal), (tao, beta1, beta2));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamSetEpsilon - Sets the constant added to the denominator of the Adam update.

  Logically Collective

  Input Parameters:
+ tao - the `Tao` context
- eps - the constant, > 0 (default 1e-8)

  Options Database Key:
. -tao_adam_epsilon <eps> - the constant

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamSetBetas()`
@*/
PetscErrorCode TaoAdamSetEpsilon(Tao tao, PetscReal eps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidLogicalCollectiveReal(tao, eps, 2);
  PetscTryMethod(tao, "TaoAdamSetEpsilon_C", (Tao, PetscReal), (tao, eps));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamSetAMSGrad - Selects the AMSGrad variant, which divides by the square root of the running maximum of the
  second moment instead of the second moment itself.

  Logically Collective

  Input Parameters:
+ tao - the `Tao` context
- flg - `PETSC_TRUE` to use AMSGrad (default `PETSC_FALSE`)

  Options Database Key:
. -tao_adam_amsgrad <bool> - use AMSGrad

  Notes:
  As in PyTorch, the maximum is taken over the uncorrected second moments and the bias correction of the second moment
  is applied to the maximum. The maximum starts at zero when AMSGrad is switched on; switching it off discards it.

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamGetState()`
@*/
PetscErrorCode TaoAdamSetAMSGrad(Tao tao, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidLogicalCollectiveBool(tao, flg, 2);
  PetscTryMethod(tao, "TaoAdamSetAMSGrad_C", (Tao, PetscBool), (tao, flg));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamSetSchedule - Sets the learning-rate schedule of Adam.

  Logically Collective

  Input Parameters:
+ tao      - the `Tao` context
. schedule - `TAO_ADAM_SCHEDULE_CONSTANT`, `TAO_ADAM_SCHEDULE_STEP` or `TAO_ADAM_SCHEDULE_EXPONENTIAL`
. rate     - decay factor in (0, 1], or `PETSC_DEFAULT` to keep the current one (default 0.9)
- steps    - decay period, >= 1, or `PETSC_DEFAULT` to keep the current one (default 1000)

  Options Database Keys:
+ -tao_adam_schedule <constant,step,exponential> - the schedule
. -tao_adam_decay_rate <rate>                    - the decay factor
- -tao_adam_decay_steps <steps>                  - the decay period

  Notes:
  With k the number of updates already taken (over all `TaoSolve()` calls), the update k+1 uses the learning rate
  lr (constant), lr * rate^floor(k/steps) (step, like torch.optim.lr_scheduler.StepLR stepped once per update) or
  lr * rate^(k/steps) (exponential).

  Level: intermediate

.seealso: `TAOADAM`, `TaoAdamSetLearningRate()`, `TaoAdamGetCurrentLearningRate()`
@*/
PetscErrorCode TaoAdamSetSchedule(Tao tao, TaoAdamSchedule schedule, PetscReal rate, PetscInt steps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidLogicalCollectiveEnum(tao, schedule, 2);
  PetscValidLogicalCollectiveReal(tao, rate, 3);
  PetscValidLogicalCollectiveInt(tao, steps, 4);
  PetscTryMethod(tao, "TaoAdamSetSchedule_C", (Tao, TaoAdamSchedule, PetscReal, PetscInt), (tao, schedule, rate, steps));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamGetState - Gets the optimizer state of Adam, for checkpointing.

  Collective

  Input Parameter:
. tao - the `Tao` context, of type `TAOADAM`, with its solution set

  Output Parameters:
+ m    - the first-moment estimate (optional)
. v    - the second-moment estimate (optional)
. vmax - the AMSGrad running maximum of v, NULL when AMSGrad is off (optional)
- step - the number of updates taken so far (optional)

  Notes:
  The vectors are borrowed: do not destroy them. Writing into them (`VecCopy()`, `VecLoad()`) and calling
  `TaoAdamSetStep()` restores the state exactly, so that the next `TaoSolve()` continues the interrupted run.
  Calls `TaoSetUp()` if needed.

  Level: advanced

.seealso: `TAOADAM`, `TaoAdamSetStep()`
@*/
PetscErrorCode TaoAdamGetState(Tao tao, Vec *m, Vec *v, Vec *vmax, PetscInt *step)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscUseMethod(tao, "TaoAdamGetState_C", (Tao, Vec *, Vec *, Vec *, PetscInt *), (tao, m, v, vmax, step));
  PetscFunctionReturn(0);
}

/*@
  TaoAdamSetStep - Sets the number of updates Adam has taken, which drives the bias correction and the schedule.

  Logically Collective

  Input Parameters:
+ tao  - the `Tao` context, of type `TAOADAM`
- step - the number of updates, >= 0

  Level: advanced

.seealso: `TAOADAM`, `TaoAdamGetState()`
@*/
PetscErrorCode TaoAdamSetStep(Tao tao, PetscInt step)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(tao, TAO_CLASSID, 1);
  PetscValidLogicalCollectiveInt(tao, step, 2);
  PetscUseMethod(tao, "TaoAdamSetStep_C", (Tao, PetscInt), (tao, step));
  PetscFunctionReturn(0);
}

/*MC
  TAOADAM - "adam": the Adam method of Kingma and Ba (2015) for unconstrained minimization, with bias correction,
  the AMSGrad variant and learning-rate schedules. The defaults (lr 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8) and
  the arithmetic follow torch.optim.Adam, so that a run can be compared with PyTorch step by step.

  Options Database Keys:
+ -tao_adam_lr <1e-3>                                     - learning rate
. -tao_adam_beta1 <0.9>                                   - first-moment decay rate
. -tao_adam_beta2 <0.999>                                 - second-moment decay rate
. -tao_adam_epsilon <1e-8>                                - added to the denominator
. -tao_adam_amsgrad <false>                               - use the running maximum of the second moment
. -tao_adam_schedule <constant,step,exponential>          - learning-rate schedule
. -tao_adam_decay_rate <0.9>                              - decay factor of the schedule
- -tao_adam_decay_steps <1000>                            - decay period of the schedule

  Notes:
  A step (an iteration) evaluates the objective and gradient at the current point x_k
  (`TaoComputeObjectiveAndGradient()`), reports them (`TaoMonitor()` with iteration number k, the convergence
  history, and the convergence test), then updates x_k to x_{k+1}. `TaoSolve()` takes max_it steps
  (`TaoSetMaximumIterations()`), one evaluation per step, and ends with reason `TAO_DIVERGED_MAXITS`, unless the
  convergence test stops it first; that test sees the gradient at x_k, before x_k is updated. Afterwards the solution
  is x_{max_it}, `TaoGetIterationNumber()` returns max_it, and the objective and gradient norm reported by
  `TaoGetSolutionStatus()` are those of the last step's starting point x_{max_it-1} (as the loss a PyTorch loop
  prints); x_{max_it} itself is not evaluated.

  The moments and the global step counter persist across `TaoSolve()` calls, so repeated solves of N steps give the
  same iterates as one solve of the total length. The default gradient tolerances are zero, so that only an exactly
  zero gradient (or a user's tolerance) ends a solve early. A NaN or Inf objective or gradient is an error
  (`PETSC_ERR_FP`) that names the step; the parameters are left at that step's starting point.

  Level: beginner

.seealso: `TaoCreate()`, `TaoSetType()`, `TaoAdamSetLearningRate()`, `TaoAdamSetBetas()`, `TaoAdamSetEpsilon()`,
          `TaoAdamSetAMSGrad()`, `TaoAdamSetSchedule()`, `TaoAdamGetState()`, `TaoAdamSetStep()`
M*/
PETSC_INTERN PetscErrorCode TaoCreate_Adam(Tao tao)
{
  Tao_Adam *adam;

  PetscFunctionBegin;
  PetscCall(PetscNew(&adam));
  adam->lr          = 1e-3;
  adam->beta1       = 0.9;
  adam->beta2       = 0.999;
  adam->eps         = 1e-8;
  adam->amsgrad     = PETSC_FALSE;
  adam->schedule    = TAO_ADAM_SCHEDULE_CONSTANT;
  adam->decay_rate  = 0.9;
  adam->decay_steps = 1000;
  adam->step        = 0;
  tao->data         = (void *)adam;

  tao->ops->setup          = TaoSetUp_Adam;
  tao->ops->solve          = TaoSolve_Adam;
  tao->ops->view           = TaoView_Adam;
  tao->ops->setfromoptions = TaoSetFromOptions_Adam;
  tao->ops->destroy        = TaoDestroy_Adam;

  /* Stop only on an exactly zero gradient unless the user asks otherwise */
  if (!tao->gatol_changed) tao->gatol = 0.0;
  if (!tao->grtol_changed) tao->grtol = 0.0;
  if (!tao->gttol_changed) tao->gttol = 0.0;

  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetLearningRate_C", TaoAdamSetLearningRate_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamGetLearningRate_C", TaoAdamGetLearningRate_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamGetCurrentLearningRate_C", TaoAdamGetCurrentLearningRate_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetBetas_C", TaoAdamSetBetas_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetEpsilon_C", TaoAdamSetEpsilon_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetAMSGrad_C", TaoAdamSetAMSGrad_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetSchedule_C", TaoAdamSetSchedule_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamGetState_C", TaoAdamGetState_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "TaoAdamSetStep_C", TaoAdamSetStep_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointWrite_C", TaoCheckpointWrite_Adam));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointRead_C", TaoCheckpointRead_Adam));
  PetscFunctionReturn(0);
}

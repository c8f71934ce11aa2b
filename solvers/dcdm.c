/* KSPDCDM: the deep conjugate direction method as a PETSc KSP type (algorithm: reference/dcdm.md, section 1). */
#include <nnpde/dcdm.h>
#include <nnpde/cnn3d.h>
#include <nnpde/private/dcdmimpl.h>
#include <petsc/private/kspimpl.h>
#include <petscdmda.h>

PetscLogEvent KSP_DCDMApply;

const char *const KSPDCDMDirections[] = {"residual", "pc", "network", "user", "KSPDCDMDirection", "KSP_DCDM_DIRECTION_", NULL};

typedef struct {
  PetscInt         window;        /* k, the number of previous directions q is A-orthogonalized against */
  PetscBool        true_residual; /* r = b - Ax every iteration (else r -= alpha Aq) */
  KSPDCDMDirection direction;
  KSPDCDMApplyFn   apply;
  void            *applyctx;
  char             model[PETSC_MAX_PATH_LEN]; /* as given; empty: the default (NNDCDMFindModel_Private()) */
  char             path[PETSC_MAX_PATH_LEN];  /* the file the network was loaded from */
  PetscInt         layers;                    /* the cnn3d layer list of the model: 64 or 128 */
  NN               net;                       /* the network, loaded on first use */
  Vec              mask, dinv;                /* network direction: decoupled rows of A (0 in mask, 1/a_ii in dinv); NULL if none */
  PetscInt         ndecoupled;
  PetscInt64       maskid; /* the operator mask/dinv were computed from (object id, 0: none), and its state */
  PetscObjectState maskstate;
  PetscInt         nbreak, nbreak_total; /* breakdowns (fallbacks to the residual direction): last solve, all solves */
  /* window+1 slots of (p, Ap, p'Ap): the stored directions and the one being built */
  PetscInt     nslots;
  Vec         *P, *AP;
  PetscScalar *pAp, *dots;
  PetscInt    *stored, nstored; /* slots of the stored directions, oldest first */
  Vec         *Pw, *APw;        /* the stored directions gathered for VecMDot/VecMAXPY */
} KSP_DCDM;

static PetscErrorCode KSPDCDMDestroyWindow(KSP_DCDM *dcdm)
{
  PetscFunctionBegin;
  if (dcdm->nslots) {
    PetscCall(VecDestroyVecs(dcdm->nslots, &dcdm->P));
    PetscCall(VecDestroyVecs(dcdm->nslots, &dcdm->AP));
  }
  PetscCall(PetscFree5(dcdm->pAp, dcdm->dots, dcdm->stored, dcdm->Pw, dcdm->APw));
  dcdm->nslots  = 0;
  dcdm->nstored = 0;
  PetscFunctionReturn(0);
}

/* (Re)allocates the window+1 slots when the window changed */
static PetscErrorCode KSPDCDMSetUpWindow(KSP ksp)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  if (dcdm->nslots == dcdm->window + 1) PetscFunctionReturn(0);
  PetscCall(KSPDCDMDestroyWindow(dcdm));
  dcdm->nslots = dcdm->window + 1;
  PetscCall(KSPCreateVecs(ksp, dcdm->nslots, &dcdm->P, 0, NULL));
  PetscCall(KSPCreateVecs(ksp, dcdm->nslots, &dcdm->AP, 0, NULL));
  PetscCall(PetscMalloc5(dcdm->nslots, &dcdm->pAp, dcdm->nslots + 2, &dcdm->dots, dcdm->nslots, &dcdm->stored, dcdm->nslots, &dcdm->Pw, dcdm->nslots,
                         &dcdm->APw));
  PetscFunctionReturn(0);
}

/* The decoupled rows of the operator (recomputed when it changes): the network direction is masked
   there and the solve starts with the exact values on them */
static PetscErrorCode KSPDCDMSetUpDecoupled(KSP ksp, Mat A)
{
  KSP_DCDM        *dcdm = (KSP_DCDM *)ksp->data;
  PetscObjectState state;
  PetscInt64       id;

  PetscFunctionBegin;
  PetscCall(PetscObjectStateGet((PetscObject)A, &state));
  PetscCall(PetscObjectGetId((PetscObject)A, &id));
  if (dcdm->maskid == id && dcdm->maskstate == state) PetscFunctionReturn(0);
  PetscCall(VecDestroy(&dcdm->mask));
  PetscCall(VecDestroy(&dcdm->dinv));
  PetscCall(NNDCDMDecoupledRows_Private(A, &dcdm->mask, &dcdm->dinv, &dcdm->ndecoupled));
  if (!dcdm->ndecoupled) {
    PetscCall(VecDestroy(&dcdm->mask));
    PetscCall(VecDestroy(&dcdm->dinv));
  }
  dcdm->maskid    = id;
  dcdm->maskstate = state;
  PetscFunctionReturn(0);
}

/* Checks that the chosen direction can be computed; loads the network (on first use, or moves it to a new grid) */
static PetscErrorCode KSPDCDMCheckDirection(KSP ksp)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;
  MPI_Comm  comm = PetscObjectComm((PetscObject)ksp);

  PetscFunctionBegin;
  if (dcdm->direction == KSP_DCDM_DIRECTION_USER) {
    PetscCheck(dcdm->apply, comm, PETSC_ERR_ARG_WRONGSTATE,
               "KSPDCDM direction 'user' needs a function: call KSPDCDMSetApply(), or choose -ksp_dcdm_direction residual|pc|network");
  } else if (dcdm->direction == KSP_DCDM_DIRECTION_NETWORK) {
    Mat  A;
    DM   da;
    char source[PETSC_MAX_PATH_LEN] = "";

    PetscCall(PCGetOperators(ksp->pc, &A, NULL));
    PetscCall(NNDCDMGetGrid_Private(ksp->dm, A, &da));
    PetscCall(NNDCDMCheckGrid_Private(comm, da, "the KSP (KSPSetDM())"));
    if (!dcdm->net)
      PetscCall(NNDCDMFindModel_Private(comm, dcdm->model, dcdm->layers, "-ksp_dcdm_model", "use -ksp_dcdm_direction residual|pc", dcdm->path,
                                        sizeof(dcdm->path), source, sizeof(source)));
    PetscCall(NNDCDMLoadModel_Private(da, dcdm->path, source, dcdm->layers, "-ksp_dcdm_model", &dcdm->net));
    PetscCall(KSPDCDMSetUpDecoupled(ksp, A));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPSetUp_DCDM(KSP ksp)
{
  PetscFunctionBegin;
  PetscCall(KSPSetWorkVecs(ksp, 4)); /* r, r/||r||, projected b, the network's input */
  PetscCall(KSPDCDMSetUpWindow(ksp));
  PetscCall(KSPDCDMCheckDirection(ksp));
  PetscFunctionReturn(0);
}

/* q = f(rn), rn the unit-norm residual (the network sees it at unit RMS, see NNDCDMNetworkApply_Private()) */
static PetscErrorCode KSPDCDMComputeDirection(KSP ksp, KSPDCDMDirection direction, Vec rn, Vec q)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(KSP_DCDMApply, ksp, rn, q, 0));
  switch (direction) {
  case KSP_DCDM_DIRECTION_RESIDUAL:
    PetscCall(VecCopy(rn, q));
    break;
  case KSP_DCDM_DIRECTION_PC:
    PetscCall(KSP_PCApply(ksp, rn, q));
    break;
  case KSP_DCDM_DIRECTION_USER:
    PetscCall((*dcdm->apply)(ksp, rn, q, dcdm->applyctx));
    break;
  case KSP_DCDM_DIRECTION_NETWORK:
    PetscCall(NNDCDMNetworkApply_Private(dcdm->net, dcdm->mask, ksp->work[3], rn, 1.0, q));
    break;
  }
  PetscCall(PetscLogEventEnd(KSP_DCDMApply, ksp, rn, q, 0));
  PetscFunctionReturn(0);
}

/* A-orthogonalizes q (slot cur) against the stored directions (classical Gram-Schmidt, one reduction), computes
   Aq and, in one more reduction, a = q'Aq and qr = q'r. *ok is false on breakdown: a or qr not finite, a <= 0, or
   q (numerically) in the span of the window: a <= eps (a + sum_j (q'Ap_j)^2/a_j), the A-norm^2 of q before the
   orthogonalization. */
static PetscErrorCode KSPDCDMOrthogonalize(KSP ksp, Mat A, PetscInt cur, Vec r, PetscScalar *a, PetscScalar *qr, PetscBool *ok)
{
  KSP_DCDM   *dcdm = (KSP_DCDM *)ksp->data;
  Vec         q = dcdm->P[cur], aq = dcdm->AP[cur], v[2];
  PetscInt    m       = dcdm->nstored;
  PetscReal   removed = 0;
  PetscScalar d[2];

  PetscFunctionBegin;
  *ok = PETSC_TRUE;
  if (m) {
    for (PetscInt j = 0; j < m; j++) dcdm->Pw[j] = dcdm->P[dcdm->stored[j]], dcdm->APw[j] = dcdm->AP[dcdm->stored[j]];
    PetscCall(VecMDot(q, m, dcdm->APw, dcdm->dots));
    for (PetscInt j = 0; j < m; j++) {
      if (PetscIsInfOrNanScalar(dcdm->dots[j])) *ok = PETSC_FALSE;
      removed += PetscRealPart(dcdm->dots[j] * PetscConj(dcdm->dots[j]) / dcdm->pAp[dcdm->stored[j]]);
      dcdm->dots[j] = -dcdm->dots[j] / dcdm->pAp[dcdm->stored[j]];
    }
    if (!*ok) PetscFunctionReturn(0);
    PetscCall(VecMAXPY(q, m, dcdm->dots, dcdm->Pw));
  }
  PetscCall(KSP_MatMult(ksp, A, q, aq));
  v[0] = aq, v[1] = r;
  PetscCall(VecMDot(q, 2, v, d));
  *a  = d[0];
  *qr = d[1];
  if (PetscIsInfOrNanScalar(d[0]) || PetscIsInfOrNanScalar(d[1]) || PetscRealPart(d[0]) <= 0)
    *ok = PETSC_FALSE;
  else if (PetscRealPart(d[0]) <= PETSC_MACHINE_EPSILON * (PetscRealPart(d[0]) + removed))
    *ok = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* Stores slot cur as the newest direction, dropping the oldest if the window is full; returns the next free slot */
static PetscInt KSPDCDMPush(KSP_DCDM *dcdm, PetscInt cur)
{
  PetscInt next;

  if (!dcdm->window) return cur;
  if (dcdm->nstored == dcdm->window) {
    next = dcdm->stored[0];
    for (PetscInt j = 1; j < dcdm->nstored; j++) dcdm->stored[j - 1] = dcdm->stored[j];
    dcdm->stored[dcdm->nstored - 1] = cur;
    return next;
  }
  dcdm->stored[dcdm->nstored++] = cur;
  for (next = 0; next < dcdm->nslots; next++) {
    PetscBool used = PETSC_FALSE;

    for (PetscInt j = 0; j < dcdm->nstored; j++) used = (PetscBool)(used || dcdm->stored[j] == next);
    if (!used) break;
  }
  return next;
}

static PetscErrorCode KSPSolve_DCDM(KSP ksp)
{
  KSP_DCDM    *dcdm = (KSP_DCDM *)ksp->data;
  Mat          A;
  MatNullSpace nsp;
  Vec          x = ksp->vec_sol, b = ksp->vec_rhs, r = ksp->work[0], rn = ksp->work[1];
  PetscReal    rnorm;
  PetscInt     cur = 0;

  PetscFunctionBegin;
  PetscCheck(!ksp->transpose_solve, PetscObjectComm((PetscObject)ksp), PETSC_ERR_SUP, "KSPDCDM does not solve transposed systems");
  PetscCall(KSPDCDMSetUpWindow(ksp));
  PetscCall(KSPDCDMCheckDirection(ksp));
  PetscCall(PCGetOperators(ksp->pc, &A, NULL));
  PetscCall(MatGetNullSpace(A, &nsp));
  if (nsp) { /* a singular operator: solve with the compatible part of b, keep the iterates out of the null space */
    PetscCall(VecCopy(b, ksp->work[2]));
    PetscCall(MatNullSpaceRemove(nsp, ksp->work[2]));
    b = ksp->work[2];
  }
  dcdm->nstored = 0;
  dcdm->nbreak  = 0;
  ksp->its      = 0;
  if (dcdm->direction == KSP_DCDM_DIRECTION_NETWORK && dcdm->dinv) {
    /* decoupled rows: exact values x_i = b_i / a_ii; the masked directions never change them */
    if (ksp->guess_zero)
      PetscCall(VecPointwiseMult(x, dcdm->dinv, b));
    else {
      PetscCall(VecPointwiseMult(x, x, dcdm->mask));
      PetscCall(VecPointwiseMult(rn, dcdm->dinv, b));
      PetscCall(VecAXPY(x, 1.0, rn));
      if (nsp) PetscCall(MatNullSpaceRemove(nsp, x));
    }
    PetscCall(KSP_MatMult(ksp, A, x, r));
    PetscCall(VecAYPX(r, -1.0, b));
  } else if (ksp->guess_zero) {
    PetscCall(VecSet(x, 0.0));
    PetscCall(VecCopy(b, r));
  } else {
    if (nsp) PetscCall(MatNullSpaceRemove(nsp, x));
    PetscCall(KSP_MatMult(ksp, A, x, r));
    PetscCall(VecAYPX(r, -1.0, b));
  }
  PetscCall(VecNorm(r, NORM_2, &rnorm));
  KSPCheckNorm(ksp, rnorm);
  ksp->rnorm = rnorm;
  PetscCall(KSPLogResidualHistory(ksp, rnorm));
  PetscCall(KSPMonitor(ksp, 0, rnorm));
  PetscCall((*ksp->converged)(ksp, 0, rnorm, &ksp->reason, ksp->cnvP));
  if (ksp->reason) PetscFunctionReturn(0);

  for (PetscInt it = 0; it < ksp->max_it; it++) {
    PetscScalar a, qr, alpha;
    PetscBool   ok;

    PetscCall(VecAXPBY(rn, 1.0 / rnorm, 0.0, r));
    PetscCall(KSPDCDMComputeDirection(ksp, dcdm->direction, rn, dcdm->P[cur]));
    if (nsp) PetscCall(MatNullSpaceRemove(nsp, dcdm->P[cur]));
    PetscCall(KSPDCDMOrthogonalize(ksp, A, cur, r, &a, &qr, &ok));
    if (!ok) {
      /* breakdown: first the residual direction against the window, then the residual direction alone (which only
         fails for an indefinite A or r = 0) */
      dcdm->nbreak++;
      dcdm->nbreak_total++;
      PetscCall(PetscInfo(ksp, "DCDM breakdown at iteration %" PetscInt_FMT " (direction %s, q'Aq = %g): falling back to the residual direction\n",
                          it, KSPDCDMDirections[dcdm->direction], (double)PetscRealPart(a)));
      if (dcdm->direction != KSP_DCDM_DIRECTION_RESIDUAL) {
        PetscCall(VecCopy(rn, dcdm->P[cur]));
        if (nsp) PetscCall(MatNullSpaceRemove(nsp, dcdm->P[cur]));
        PetscCall(KSPDCDMOrthogonalize(ksp, A, cur, r, &a, &qr, &ok));
      }
      if (!ok && dcdm->nstored) {
        PetscCall(PetscInfo(ksp, "DCDM: the residual direction breaks down against the window (q'Aq = %g): restarting the window\n",
                            (double)PetscRealPart(a)));
        dcdm->nstored = 0;
        PetscCall(VecCopy(rn, dcdm->P[cur]));
        if (nsp) PetscCall(MatNullSpaceRemove(nsp, dcdm->P[cur]));
        PetscCall(KSPDCDMOrthogonalize(ksp, A, cur, r, &a, &qr, &ok));
      }
      if (!ok) {
        ksp->reason = (!PetscIsInfOrNanScalar(a) && PetscRealPart(a) < 0) ? KSP_DIVERGED_INDEFINITE_MAT : KSP_DIVERGED_BREAKDOWN;
        PetscCall(PetscInfo(ksp, "DCDM: the residual direction breaks down too (r'Ar = %g): %s\n", (double)PetscRealPart(a),
                            KSPConvergedReasons[ksp->reason]));
        break;
      }
    }
    alpha = qr / a;
    PetscCall(VecAXPY(x, alpha, dcdm->P[cur]));
    if (dcdm->true_residual) {
      PetscCall(KSP_MatMult(ksp, A, x, r));
      PetscCall(VecAYPX(r, -1.0, b));
    } else
      PetscCall(VecAXPY(r, -alpha, dcdm->AP[cur]));
    dcdm->pAp[cur] = a;
    cur            = KSPDCDMPush(dcdm, cur);

    PetscCall(VecNorm(r, NORM_2, &rnorm));
    KSPCheckNorm(ksp, rnorm);
    ksp->its   = it + 1;
    ksp->rnorm = rnorm;
    PetscCall(KSPLogResidualHistory(ksp, rnorm));
    PetscCall(KSPMonitor(ksp, ksp->its, rnorm));
    PetscCall((*ksp->converged)(ksp, ksp->its, rnorm, &ksp->reason, ksp->cnvP));
    if (ksp->reason) break;
    if (rnorm == 0) { /* exact solution but a convergence test that asks for more */
      ksp->reason = KSP_CONVERGED_ATOL;
      break;
    }
  }
  if (!ksp->reason) ksp->reason = KSP_DIVERGED_ITS;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPView_DCDM(KSP ksp, PetscViewer viewer)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;
  PetscBool iascii;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii) PetscFunctionReturn(0);
  if (dcdm->direction == KSP_DCDM_DIRECTION_NETWORK && dcdm->net) {
    PetscCall(PetscViewerASCIIPrintf(viewer, "  direction: network (cnn3d, K = %" PetscInt_FMT " layer list, weights from %s)\n", dcdm->layers,
                                     dcdm->path));
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  network input: residual at unit RMS; %" PetscInt_FMT
                                     " decoupled rows (solids, identity rows) solved exactly, masked from the network\n",
                                     dcdm->ndecoupled));
  } else if (dcdm->direction == KSP_DCDM_DIRECTION_NETWORK && dcdm->model[0])
    PetscCall(PetscViewerASCIIPrintf(viewer, "  direction: network (cnn3d, K = %" PetscInt_FMT " layer list, weights from %s, loaded at set-up)\n",
                                     dcdm->layers, dcdm->model));
  else if (dcdm->direction == KSP_DCDM_DIRECTION_NETWORK)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  direction: network (cnn3d, K = %" PetscInt_FMT " layer list, weights from $" NNPDE_DCDM_MODEL_ENV
                                     " or the shipped " NNPDE_DCDM_DEFAULT_MODEL ", found at set-up)\n",
                                     dcdm->layers));
  else if (dcdm->direction == KSP_DCDM_DIRECTION_PC)
    PetscCall(PetscViewerASCIIPrintf(viewer, "  direction: pc (the KSP's preconditioner)\n"));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer, "  direction: %s\n", KSPDCDMDirections[dcdm->direction]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  A-orthogonalization window: %" PetscInt_FMT " previous directions\n", dcdm->window));
  PetscCall(
      PetscViewerASCIIPrintf(viewer, "  residual: %s\n", dcdm->true_residual ? "recomputed b - Ax every iteration" : "recurrence r -= alpha Aq"));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "  breakdowns (fallbacks to the residual direction): %" PetscInt_FMT " in the last solve, %" PetscInt_FMT " in all\n", dcdm->nbreak,
      dcdm->nbreak_total));
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPSetFromOptions_DCDM(KSP ksp, PetscOptionItems *PetscOptionsObject)
{
  KSP_DCDM *dcdm   = (KSP_DCDM *)ksp->data;
  PetscInt  window = dcdm->window;
  PetscBool flg;
  PetscEnum direction = (PetscEnum)dcdm->direction;
  char      model[PETSC_MAX_PATH_LEN];
  PetscInt  layers = dcdm->layers;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "KSP DCDM options");
  PetscCall(
      PetscOptionsInt("-ksp_dcdm_window", "Number of previous directions to A-orthogonalize against", "KSPDCDMSetWindow", window, &window, &flg));
  if (flg) PetscCall(KSPDCDMSetWindow(ksp, window));
  PetscCall(PetscOptionsBool("-ksp_dcdm_true_residual", "Recompute r = b - Ax every iteration", "KSPDCDMSetTrueResidual", dcdm->true_residual,
                             &dcdm->true_residual, NULL));
  PetscCall(PetscOptionsEnum("-ksp_dcdm_direction", "Where search directions come from", "KSPDCDMSetDirection", KSPDCDMDirections, direction,
                             &direction, &flg));
  if (flg) PetscCall(KSPDCDMSetDirection(ksp, (KSPDCDMDirection)direction));
  PetscCall(
      PetscOptionsString("-ksp_dcdm_model", "Network weights (nnpde HDF5 checkpoint)", "KSPDCDMSetModel", dcdm->model, model, sizeof(model), &flg));
  if (flg) PetscCall(KSPDCDMSetModel(ksp, model));
  PetscCall(PetscOptionsInt("-ksp_dcdm_model_layers", "Layer list of the model's cnn3d network: 64 or 128", "KSPDCDMSetModelLayers", layers, &layers,
                            &flg));
  if (flg) PetscCall(KSPDCDMSetModelLayers(ksp, layers));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPReset_DCDM(KSP ksp)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  PetscCall(KSPDCDMDestroyWindow(dcdm));
  PetscCall(NNDestroy(&dcdm->net)); /* the grid may change: reload on the next set-up */
  PetscCall(VecDestroy(&dcdm->mask));
  PetscCall(VecDestroy(&dcdm->dinv));
  dcdm->maskid = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDestroy_DCDM(KSP ksp)
{
  PetscFunctionBegin;
  PetscCall(KSPReset_DCDM(ksp));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetWindow_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetWindow_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetTrueResidual_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetDirection_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetDirection_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetModel_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetModelLayers_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetApply_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetBreakdownCount_C", NULL));
  PetscCall(KSPDestroyDefault(ksp));
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetWindow_DCDM(KSP ksp, PetscInt window)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  PetscCheck(window >= 0, PetscObjectComm((PetscObject)ksp), PETSC_ERR_ARG_OUTOFRANGE, "-ksp_dcdm_window must be >= 0, got %" PetscInt_FMT, window);
  dcdm->window = window;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMGetWindow_DCDM(KSP ksp, PetscInt *window)
{
  PetscFunctionBegin;
  *window = ((KSP_DCDM *)ksp->data)->window;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetTrueResidual_DCDM(KSP ksp, PetscBool flg)
{
  PetscFunctionBegin;
  ((KSP_DCDM *)ksp->data)->true_residual = flg;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetDirection_DCDM(KSP ksp, KSPDCDMDirection direction)
{
  PetscFunctionBegin;
  PetscCheck(direction >= KSP_DCDM_DIRECTION_RESIDUAL && direction <= KSP_DCDM_DIRECTION_USER, PetscObjectComm((PetscObject)ksp),
             PETSC_ERR_ARG_OUTOFRANGE, "Unknown KSPDCDM direction %d", (int)direction);
  ((KSP_DCDM *)ksp->data)->direction = direction;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMGetDirection_DCDM(KSP ksp, KSPDCDMDirection *direction)
{
  PetscFunctionBegin;
  *direction = ((KSP_DCDM *)ksp->data)->direction;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetModel_DCDM(KSP ksp, const char model[])
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;
  PetscBool same;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(dcdm->model, model ? model : "", &same));
  if (same) PetscFunctionReturn(0); /* e.g. KSPSetFromOptions() again: keep the loaded network */
  PetscCall(PetscStrncpy(dcdm->model, model ? model : "", sizeof(dcdm->model)));
  PetscCall(NNDestroy(&dcdm->net));
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetModelLayers_DCDM(KSP ksp, PetscInt layers)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  PetscCall(NNDCDMCheckLayers_Private(PetscObjectComm((PetscObject)ksp), layers, "-ksp_dcdm_model_layers"));
  if (layers != dcdm->layers) PetscCall(NNDestroy(&dcdm->net));
  dcdm->layers = layers;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetApply_DCDM(KSP ksp, KSPDCDMApplyFn apply, void *ctx)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  dcdm->apply     = apply;
  dcdm->applyctx  = ctx;
  dcdm->direction = KSP_DCDM_DIRECTION_USER;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMGetBreakdownCount_DCDM(KSP ksp, PetscInt *last, PetscInt *total)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  if (last) *last = dcdm->nbreak;
  if (total) *total = dcdm->nbreak_total;
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMSetWindow - Sets k, the number of previous search directions each new direction is A-orthogonalized
  against (classical Gram-Schmidt; the k dot products are one reduction). DCDM uses k = 2.

  Logically Collective

  Input Parameters:
+ ksp    - the KSPDCDM
- window - k >= 0 (0: no orthogonalization)

  Options Database Key:
. -ksp_dcdm_window <2> - the window

  Level: intermediate

.seealso: KSPDCDM, KSPDCDMSetDirection(), KSPDCDMSetTrueResidual()
@*/
PetscErrorCode KSPDCDMSetWindow(KSP ksp, PetscInt window)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveInt(ksp, window, 2);
  PetscTryMethod(ksp, "KSPDCDMSetWindow_C", (KSP, PetscInt), (ksp, window));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMGetWindow - Gets the A-orthogonalization window of a KSPDCDM.

  Not Collective

  Level: intermediate

.seealso: KSPDCDMSetWindow()
@*/
PetscErrorCode KSPDCDMGetWindow(KSP ksp, PetscInt *window)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscUseMethod(ksp, "KSPDCDMGetWindow_C", (KSP, PetscInt *), (ksp, window));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMSetTrueResidual - Whether the residual is recomputed as r = b - Ax every iteration (the default, as in the
  DCDM code; one more MatMult) or updated by the recurrence r -= alpha Aq.

  Logically Collective

  Options Database Key:
. -ksp_dcdm_true_residual <true> - recompute

  Level: intermediate

.seealso: KSPDCDM, KSPDCDMSetWindow()
@*/
PetscErrorCode KSPDCDMSetTrueResidual(KSP ksp, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveBool(ksp, flg, 2);
  PetscTryMethod(ksp, "KSPDCDMSetTrueResidual_C", (KSP, PetscBool), (ksp, flg));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMSetDirection - Chooses where search directions come from.

  Logically Collective

  Input Parameters:
+ ksp       - the KSPDCDM
- direction - KSP_DCDM_DIRECTION_RESIDUAL (q = r: steepest descent with orthogonalization),
              KSP_DCDM_DIRECTION_PC (q = the KSP's PC applied to r, e.g. -pc_type gamg, or -pc_type lu as an exact
              inverse), KSP_DCDM_DIRECTION_NETWORK (the DCDM CNN, the default; needs a 3-D DMDA) or
              KSP_DCDM_DIRECTION_USER (the function given to KSPDCDMSetApply())

  Options Database Key:
. -ksp_dcdm_direction <network> - residual, pc, network or user

  Level: intermediate

.seealso: KSPDCDM, KSPDCDMSetApply(), KSPDCDMSetModel()
@*/
PetscErrorCode KSPDCDMSetDirection(KSP ksp, KSPDCDMDirection direction)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveEnum(ksp, direction, 2);
  PetscTryMethod(ksp, "KSPDCDMSetDirection_C", (KSP, KSPDCDMDirection), (ksp, direction));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMGetDirection - Gets where a KSPDCDM's search directions come from.

  Not Collective

  Level: intermediate

.seealso: KSPDCDMSetDirection()
@*/
PetscErrorCode KSPDCDMGetDirection(KSP ksp, KSPDCDMDirection *direction)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscUseMethod(ksp, "KSPDCDMGetDirection_C", (KSP, KSPDCDMDirection *), (ksp, direction));
  PetscFunctionReturn(0);
}

/*@C
  KSPDCDMSetModel - Sets the file with the network's weights for the network direction: an nnpde HDF5 checkpoint
  (NNCheckpointWriteNN()) holding a cnn3d network named "dcdm" with the layer list of KSPDCDMSetModelLayers().

  Logically Collective

  Input Parameters:
+ ksp   - the KSPDCDM
- model - the file, or NULL or "" for the default

  Options Database Key:
. -ksp_dcdm_model <file.h5> - the weights

  Notes:
  The default, resolved when the network is loaded: the file named by the environment variable NNPDE_DCDM_MODEL
  when it is set, else the shipped K = 64 weights dcdm_k64.h5, installed in <prefix>/share/nnpde/ or, in a build
  tree, in the source tree's data/. The error when none exists lists the places searched.

  Level: intermediate

.seealso: KSPDCDMSetDirection(), KSPDCDMSetModelLayers(), PCDCDMSetModel()
@*/
PetscErrorCode KSPDCDMSetModel(KSP ksp, const char model[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscTryMethod(ksp, "KSPDCDMSetModel_C", (KSP, const char[]), (ksp, model));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMSetModelLayers - Sets the layer list of the model's cnn3d network: K = 64 (the default, as the shipped
  weights) or K = 128 (NNCNN3DSetLayers()).

  Logically Collective

  Options Database Key:
. -ksp_dcdm_model_layers <64> - 64 or 128

  Level: intermediate

.seealso: KSPDCDMSetModel(), NNCNN3DSetLayers()
@*/
PetscErrorCode KSPDCDMSetModelLayers(KSP ksp, PetscInt layers)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveInt(ksp, layers, 2);
  PetscTryMethod(ksp, "KSPDCDMSetModelLayers_C", (KSP, PetscInt), (ksp, layers));
  PetscFunctionReturn(0);
}

/*@C
  KSPDCDMSetApply - Makes a user function the source of search directions (and selects KSP_DCDM_DIRECTION_USER).

  Logically Collective

  Input Parameters:
+ ksp   - the KSPDCDM
. apply - q = f(r) with calling sequence apply(KSP ksp, Vec r, Vec q, void *ctx); r is the current residual scaled
          to unit 2-norm (read only); f may be nonlinear, since every direction is A-orthogonalized and line-searched
- ctx   - context for apply

  Level: intermediate

.seealso: KSPDCDMSetDirection()
@*/
PetscErrorCode KSPDCDMSetApply(KSP ksp, KSPDCDMApplyFn apply, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscTryMethod(ksp, "KSPDCDMSetApply_C", (KSP, KSPDCDMApplyFn, void *), (ksp, apply, ctx));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMGetBreakdownCount - Numbers of breakdowns (q'Aq <= 0, q in the span of the window, or non-finite values),
  each answered by the residual direction: in the last solve and since creation.

  Not Collective

  Output Parameters:
+ last  - in the last solve (or NULL)
- total - in all solves (or NULL)

  Level: intermediate

.seealso: KSPDCDM
@*/
PetscErrorCode KSPDCDMGetBreakdownCount(KSP ksp, PetscInt *last, PetscInt *total)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscUseMethod(ksp, "KSPDCDMGetBreakdownCount_C", (KSP, PetscInt *, PetscInt *), (ksp, last, total));
  PetscFunctionReturn(0);
}

/*MC
  KSPDCDM - "dcdm": the deep conjugate direction method (Kaneda et al., ICML 2023), a truncated conjugate-direction
  method whose directions come from a (possibly nonlinear) map f of the residual.

  Each iteration: q = f(r/||r||); q -= sum_j (q'Ap_j / p_j'Ap_j) p_j over the last k directions; alpha = q'r / q'Aq;
  x += alpha q; r = b - Ax (or r -= alpha Aq). The operator must be symmetric positive (semi)definite.

  Options Database Keys:
+ -ksp_dcdm_window <2>             - k, the A-orthogonalization window
. -ksp_dcdm_true_residual <true>   - recompute the residual every iteration
. -ksp_dcdm_direction <network>    - residual, pc (the KSP's PC), network (the CNN) or user (KSPDCDMSetApply())
. -ksp_dcdm_model <file.h5>        - the network's weights (default: $NNPDE_DCDM_MODEL, else the shipped dcdm_k64.h5)
- -ksp_dcdm_model_layers <64>      - the network's layer list, 64 or 128

  Notes:
  Convergence is tested on the unpreconditioned residual norm by the KSP's convergence test (by default relative to
  ||b||). The PC is only used by the pc direction (set -pc_type none otherwise to skip its setup). Because f may be
  nonlinear or nonsymmetric, the method is flexible: the PC may change between iterations.

  A singular operator with a MatNullSpace is handled by removing the null space from b, the initial guess and every
  direction (its vectors must vanish on identity rows).

  Network direction: the network sees the residual at unit RMS over the grid (as in training), and its output is used
  on the rows with off-diagonal entries only; the other rows (solid cells, identity rows) get their exact values
  b_i/a_ii before the first iteration, so the initial residual, the reference of the relative tolerance, is b minus
  those rows (equal to ||b|| when b vanishes there, as for pressure-Poisson problems).

  Breakdown (q'Aq <= 0, q numerically in the span of the window, or a non-finite value) is answered by the residual
  direction (A-orthogonalized against the window, and if that fails too, alone with the window restarted); it is reported with PetscInfo() (-info),
counted (KSPView(), KSPDCDMGetBreakdownCount()), and when the residual direction fails as well the solve stops with KSP_DIVERGED_INDEFINITE_MAT (r'Ar
< 0) or KSP_DIVERGED_BREAKDOWN.

  Equivalent up to the recomputed residual: -ksp_type fcg -ksp_fcg_mmax 2 -ksp_fcg_truncation_type standard, with
  -pc_type dcdm (PCDCDM) for the network direction.

  Level: intermediate

.seealso: KSPCreate(), KSPSetType(), KSPDCDMSetWindow(), KSPDCDMSetDirection(), KSPDCDMSetApply(), KSPDCDMSetModel(), PCDCDM, KSPFCG, KSPCG
M*/
PETSC_EXTERN PetscErrorCode KSPCreate_DCDM(KSP ksp)
{
  KSP_DCDM *dcdm;

  PetscFunctionBegin;
  PetscCall(PetscNew(&dcdm));
  dcdm->window        = 2;
  dcdm->true_residual = PETSC_TRUE;
  dcdm->direction     = KSP_DCDM_DIRECTION_NETWORK;
  dcdm->layers        = 64;
  ksp->data           = (void *)dcdm;

  PetscCall(KSPSetSupportedNorm(ksp, KSP_NORM_UNPRECONDITIONED, PC_LEFT, 3));
  PetscCall(KSPSetSupportedNorm(ksp, KSP_NORM_UNPRECONDITIONED, PC_RIGHT, 2));
  PetscCall(KSPSetSupportedNorm(ksp, KSP_NORM_NONE, PC_LEFT, 1));
  PetscCall(KSPSetSupportedNorm(ksp, KSP_NORM_NONE, PC_RIGHT, 1));

  ksp->ops->setup          = KSPSetUp_DCDM;
  ksp->ops->solve          = KSPSolve_DCDM;
  ksp->ops->destroy        = KSPDestroy_DCDM;
  ksp->ops->reset          = KSPReset_DCDM;
  ksp->ops->view           = KSPView_DCDM;
  ksp->ops->setfromoptions = KSPSetFromOptions_DCDM;
  ksp->ops->buildsolution  = KSPBuildSolutionDefault;
  ksp->ops->buildresidual  = KSPBuildResidualDefault;

  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetWindow_C", KSPDCDMSetWindow_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetWindow_C", KSPDCDMGetWindow_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetTrueResidual_C", KSPDCDMSetTrueResidual_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetDirection_C", KSPDCDMSetDirection_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetDirection_C", KSPDCDMGetDirection_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetModel_C", KSPDCDMSetModel_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetModelLayers_C", KSPDCDMSetModelLayers_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetApply_C", KSPDCDMSetApply_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetBreakdownCount_C", KSPDCDMGetBreakdownCount_DCDM));
  PetscFunctionReturn(0);
}

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
  char             model[PETSC_MAX_PATH_LEN]; /* as given; empty: the default (DCDMFindModel_Private()) */
  char             path[PETSC_MAX_PATH_LEN];  /* the file the network was loaded from */
  PetscInt         layers;                    /* the cnn3d layer list of the model: 64 or 128 */
  NN               net;                       /* the network, loaded on first use */
  Vec              mask, dinv;                /* network direction: decoupled rows of A (0 in mask, 1/a_ii in dinv); NULL if none */
  PetscInt         ndecoupled;
  PetscInt64       maskid; /* the operator mask/dinv were computed from (object id, 0: none), and its state */
  PetscObjectState maskstate;
  PetscInt         nbreak, nbreak_total; /* breakdowns (fallbacks to the residual direction): last solve, all solves */
  /* safeguard: M r joins each iteration's direction space (network and user directions) */
  PetscBool safeguard;
  PC        sgpc;    /* M when the KSP's PC is none: a PC of its own (prefix -ksp_dcdm_safeguard_) */
  PetscBool sgownpc; /* the last solve used sgpc (else the KSP's PC) */
  /* progress guard: a network (user) direction is useless when it removes less than guard_rtol times the error energy
     M r removes (r'D^-1r without the safeguard); after guard_max useless ones in a row the network is switched off
     (safeguard) or the solve stops */
  PetscReal        guard_rtol;
  PetscInt         guard_max;
  PetscInt         nuseless, nuseless_total, netoff_at; /* netoff_at: iteration the guard switched the network off (-1) */
  PetscBool        monitor;
  Vec              diaginv; /* 1/a_ii of the operator (the guard's reference) */
  PetscInt64       diagid;
  PetscObjectState diagstate;
  /* coarse level: the Galerkin coarse correction P (P'AP)^-1 P'r joins the direction space */
  PetscInt         coarse; /* aggregate size per direction, 0: none */
  PetscReal        coarse_omega;
  Mat              Pc, Ac;
  KSP              kspc;
  Vec              rc, ec;
  PetscInt64       coarseid;
  PetscObjectState coarsestate;
  PetscInt         ncoarse[3], Pcf; /* coarse grid size, aggregate size it was built with */
  /* energies of the last iteration's parts (for the monitor): direction, M r, coarse, reference r'D^-1r */
  PetscReal energy[4];
  PetscBool indefinite; /* the last step met v'Av < 0 */
  /* window*nvec+nvec slots of (p, Ap, p'Ap): the stored directions and the ones being built; nvec directions per
     iteration (1 for plain DCDM), cap = window*nvec stored */
  PetscInt     nslots, nvec, cap;
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

/* The aggregate size of the coarse level: as set, or automatic (-1): 4 for the network direction (which has a DMDA),
   none for the others */
static PetscInt KSPDCDMCoarseSize(KSP_DCDM *dcdm)
{
  if (dcdm->coarse >= 0) return dcdm->coarse;
  return dcdm->direction == KSP_DCDM_DIRECTION_NETWORK ? 4 : 0;
}

/* The number of directions each iteration: the chosen one, M r (safeguard), the coarse correction */
static PetscInt KSPDCDMNumVecs(KSP_DCDM *dcdm)
{
  PetscBool learned = (PetscBool)(dcdm->direction == KSP_DCDM_DIRECTION_NETWORK || dcdm->direction == KSP_DCDM_DIRECTION_USER);

  return 1 + (dcdm->safeguard && learned ? 1 : 0) + (KSPDCDMCoarseSize(dcdm) > 0 ? 1 : 0);
}

/* (Re)allocates the slots when the window or the number of directions per iteration changed */
static PetscErrorCode KSPDCDMSetUpWindow(KSP ksp)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;
  PetscInt  nvec = KSPDCDMNumVecs(dcdm);

  PetscInt window = PetscMin(dcdm->window, ksp->max_it); /* a solve never stores more iterations than it runs */

  PetscFunctionBegin;
  PetscCheck(window <= (PETSC_MAX_INT / 4) / nvec - 1, PetscObjectComm((PetscObject)ksp), PETSC_ERR_ARG_OUTOFRANGE,
             "-ksp_dcdm_window %" PetscInt_FMT " (with -ksp_max_it %" PetscInt_FMT ") is too large: its %" PetscInt_FMT
             " vectors per iteration overflow PetscInt",
             dcdm->window, ksp->max_it, nvec);
  if (dcdm->nslots && dcdm->nvec == nvec && dcdm->cap == window * nvec) PetscFunctionReturn(0);
  PetscCall(KSPDCDMDestroyWindow(dcdm));
  dcdm->nvec   = nvec;
  dcdm->cap    = window * nvec;
  dcdm->nslots = (window + 1) * nvec;
  PetscCall(KSPCreateVecs(ksp, dcdm->nslots, &dcdm->P, 0, NULL));
  PetscCall(KSPCreateVecs(ksp, dcdm->nslots, &dcdm->AP, 0, NULL));
  PetscCall(PetscMalloc5(dcdm->nslots, &dcdm->pAp, 3 * dcdm->nslots + 8, &dcdm->dots, dcdm->nslots, &dcdm->stored, dcdm->nslots, &dcdm->Pw,
                         dcdm->nslots, &dcdm->APw));
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
  PetscCall(DCDMDecoupledRows_Private(A, &dcdm->mask, &dcdm->dinv, &dcdm->ndecoupled));
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
    Mat  A, P;
    DM   da;
    char source[PETSC_MAX_PATH_LEN] = "";

    PetscCall(PCGetOperators(ksp->pc, &A, &P));
    PetscCall(DCDMGetGrid_Private(ksp->dm, A, &da));
    if (!da && P != A) PetscCall(DCDMGetGrid_Private(ksp->dm, P, &da)); /* a shell operator, the assembled matrix on the grid */
    PetscCall(DCDMCheckGrid_Private(comm, da, "the KSP (KSPSetDM())"));
    if (!dcdm->net)
      PetscCall(DCDMFindModel_Private(comm, dcdm->model, dcdm->layers, "-ksp_dcdm_model", "use -ksp_dcdm_direction residual|pc", dcdm->path,
                                      sizeof(dcdm->path), source, sizeof(source)));
    PetscCall(DCDMLoadModelWithPrefix_Private(da, ((PetscObject)ksp)->prefix, dcdm->path, source, dcdm->layers, "-ksp_dcdm_model", &dcdm->net));
    PetscCall(KSPDCDMSetUpDecoupled(ksp, A));
  }
  PetscFunctionReturn(0);
}

/* q = f(rn), rn the unit-norm residual (the network sees it at unit RMS, see DCDMNetworkApply_Private()) */
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
    PetscCall(DCDMNetworkApply_Private(dcdm->net, dcdm->mask, ksp->work[3], rn, 1.0, q));
    break;
  }
  PetscCall(PetscLogEventEnd(KSP_DCDMApply, ksp, rn, q, 0));
  PetscFunctionReturn(0);
}

/* A-orthogonalizes q (slot cur) against the stored directions (classical Gram-Schmidt, one reduction), computes
   Aq and, in one more reduction, a = q'Aq and qr = q'r. *ok is false on breakdown: a or qr not finite, a <= 0, or
   q (numerically) in the span of the window: a <= eps (a + sum_j (q'Ap_j)^2/a_j), the A-norm^2 of q before the
   orthogonalization. */
static PetscErrorCode KSPDCDMOrthogonalize(KSP ksp, Mat A, PetscInt cur, Vec r, PetscScalar *a, PetscScalar *qr, PetscReal *ref, PetscBool *ok)
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
  if (ref) { /* the guard's reference r'D^-1r, in the same reduction */
    PetscScalar e;

    PetscCall(VecPointwiseMult(ksp->work[4], dcdm->diaginv, r));
    PetscCall(VecMDotBegin(q, 2, v, d));
    PetscCall(VecDotBegin(ksp->work[4], r, &e));
    PetscCall(PetscCommSplitReductionBegin(PetscObjectComm((PetscObject)ksp)));
    PetscCall(VecMDotEnd(q, 2, v, d));
    PetscCall(VecDotEnd(ksp->work[4], r, &e));
    *ref = PetscRealPart(e);
  } else
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

  if (!dcdm->cap) return cur;
  if (dcdm->nstored == dcdm->cap) {
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

/* Whether the guard watches the chosen direction (a network or user function, which may be useless) */
static PetscBool KSPDCDMLearned(KSP_DCDM *dcdm)
{
  return (PetscBool)(dcdm->direction == KSP_DCDM_DIRECTION_NETWORK || dcdm->direction == KSP_DCDM_DIRECTION_USER);
}

/* 1/a_ii of the operator for the guard's reference r'D^-1r (recomputed when the operator changes); NULL for an
   operator without MatGetDiagonal() (then the guard is off) */
static PetscErrorCode KSPDCDMSetUpDiagonal(KSP ksp, Mat A)
{
  KSP_DCDM        *dcdm = (KSP_DCDM *)ksp->data;
  PetscObjectState state;
  PetscInt64       id;
  PetscBool        has;

  PetscFunctionBegin;
  PetscCall(PetscObjectStateGet((PetscObject)A, &state));
  PetscCall(PetscObjectGetId((PetscObject)A, &id));
  if (dcdm->diagid == id && dcdm->diagstate == state) PetscFunctionReturn(0);
  PetscCall(VecDestroy(&dcdm->diaginv));
  PetscCall(MatHasOperation(A, MATOP_GET_DIAGONAL, &has));
  if (has) {
    PetscScalar *d;
    PetscInt     n;

    PetscCall(MatCreateVecs(A, &dcdm->diaginv, NULL));
    PetscCall(MatGetDiagonal(A, dcdm->diaginv));
    PetscCall(VecGetLocalSize(dcdm->diaginv, &n));
    PetscCall(VecGetArray(dcdm->diaginv, &d));
    for (PetscInt i = 0; i < n; i++) d[i] = PetscRealPart(d[i]) > 0 ? 1.0 / d[i] : 0.0;
    PetscCall(VecRestoreArray(dcdm->diaginv, &d));
  } else
    PetscCall(PetscInfo(ksp, "DCDM: the operator has no MatGetDiagonal(): the progress guard is off\n"));
  dcdm->diagid    = id;
  dcdm->diagstate = state;
  PetscFunctionReturn(0);
}

/* M of the safeguard: the KSP's PC unless it is none, else a PC of our own on the Pmat (default block Jacobi with
   ILU(0) blocks, i.e. ICC(0) per rank for a symmetric matrix; options prefix -ksp_dcdm_safeguard_) */
static PetscErrorCode KSPDCDMSetUpSafeguard(KSP ksp)
{
  KSP_DCDM   *dcdm = (KSP_DCDM *)ksp->data;
  PetscBool   none;
  Mat         A, P;
  const char *prefix;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)ksp->pc, PCNONE, &none));
  dcdm->sgownpc = none;
  if (!none) PetscFunctionReturn(0);
  PetscCall(PCGetOperators(ksp->pc, &A, &P));
  if (!dcdm->sgpc) {
    PetscCall(PCCreate(PetscObjectComm((PetscObject)ksp), &dcdm->sgpc));
    PetscCall(PetscObjectIncrementTabLevel((PetscObject)dcdm->sgpc, (PetscObject)ksp, 1));
    PetscCall(KSPGetOptionsPrefix(ksp, &prefix));
    PetscCall(PCSetOptionsPrefix(dcdm->sgpc, prefix));
    PetscCall(PCAppendOptionsPrefix(dcdm->sgpc, "ksp_dcdm_safeguard_"));
    PetscCall(PCSetType(dcdm->sgpc, PCBJACOBI));
    PetscCall(PCSetOperators(dcdm->sgpc, A, P));
    PetscCall(PCSetFromOptions(dcdm->sgpc));
  } else
    PetscCall(PCSetOperators(dcdm->sgpc, A, P));
  PetscCall(PCSetUp(dcdm->sgpc));
  PetscFunctionReturn(0);
}

/* The coarse level on the operator's DMDA (rebuilt when the Pmat changes): P, P'AP and its KSP (options prefix
   -ksp_dcdm_coarse_; default CG + GAMG to a relative 1e-2: the coarse correction need not be exact, it is one
   direction of a Galerkin step) */
static PetscErrorCode KSPDCDMSetUpCoarse(KSP ksp)
{
  KSP_DCDM        *dcdm = (KSP_DCDM *)ksp->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)ksp);
  Mat              A, P;
  DM               da;
  PetscObjectState state;
  PetscInt64       id;
  Vec              mask = NULL, dinv = NULL;
  PetscInt         nd, M, N, Pz, f = KSPDCDMCoarseSize(dcdm);
  const char      *prefix;
  MatNullSpace     nsp;

  PetscFunctionBegin;
  PetscCall(PCGetOperators(ksp->pc, &A, &P));
  PetscCall(PetscObjectStateGet((PetscObject)P, &state));
  PetscCall(PetscObjectGetId((PetscObject)P, &id));
  if (dcdm->Ac && dcdm->coarseid == id && dcdm->coarsestate == state && dcdm->Pcf == f) PetscFunctionReturn(0);
  PetscCall(DCDMGetGrid_Private(ksp->dm, P, &da));
  PetscCheck(da, comm, PETSC_ERR_ARG_WRONGSTATE,
             "KSPDCDM's coarse level (-ksp_dcdm_coarse %" PetscInt_FMT ") aggregates cells of a DMDA: give the KSP one (KSPSetDM()) or build the "
             "matrix with DMCreateMatrix(); or -ksp_dcdm_coarse 0",
             f);
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, &Pz, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(MatDestroy(&dcdm->Pc));
  PetscCall(MatDestroy(&dcdm->Ac));
  PetscCall(VecDestroy(&dcdm->rc));
  PetscCall(VecDestroy(&dcdm->ec));
  PetscCall(DCDMDecoupledRows_Private(P, &mask, &dinv, &nd));
  PetscCall(DCDMCoarseCreate_Private(da, P, nd ? mask : NULL, f, dcdm->coarse_omega, &dcdm->Pc, &dcdm->Ac));
  PetscCall(VecDestroy(&mask));
  PetscCall(VecDestroy(&dinv));
  dcdm->ncoarse[0] = (M + f - 1) / f;
  dcdm->ncoarse[1] = (N + f - 1) / f;
  dcdm->ncoarse[2] = (Pz + f - 1) / f;
  PetscCall(MatGetNullSpace(A, &nsp));
  if (nsp) { /* a singular operator (constants): so is P'AP */
    MatNullSpace cnsp;

    PetscCall(MatNullSpaceCreate(comm, PETSC_TRUE, 0, NULL, &cnsp));
    PetscCall(MatSetNullSpace(dcdm->Ac, cnsp));
    PetscCall(MatNullSpaceDestroy(&cnsp));
  }
  PetscCall(MatCreateVecs(dcdm->Ac, &dcdm->ec, &dcdm->rc));
  if (!dcdm->kspc) {
    PC pc;

    PetscCall(KSPCreate(comm, &dcdm->kspc));
    PetscCall(PetscObjectIncrementTabLevel((PetscObject)dcdm->kspc, (PetscObject)ksp, 1));
    PetscCall(KSPGetOptionsPrefix(ksp, &prefix));
    PetscCall(KSPSetOptionsPrefix(dcdm->kspc, prefix));
    PetscCall(KSPAppendOptionsPrefix(dcdm->kspc, "ksp_dcdm_coarse_"));
    PetscCall(KSPSetType(dcdm->kspc, KSPCG));
    PetscCall(KSPGetPC(dcdm->kspc, &pc));
    PetscCall(PCSetType(pc, PCGAMG));
    PetscCall(KSPSetTolerances(dcdm->kspc, 1e-2, PETSC_DEFAULT, PETSC_DEFAULT, 100));
    PetscCall(KSPSetOperators(dcdm->kspc, dcdm->Ac, dcdm->Ac));
    PetscCall(KSPSetFromOptions(dcdm->kspc));
  } else
    PetscCall(KSPSetOperators(dcdm->kspc, dcdm->Ac, dcdm->Ac));
  PetscCall(KSPSetUp(dcdm->kspc));
  dcdm->coarseid    = id;
  dcdm->coarsestate = state;
  dcdm->Pcf         = f;
  PetscFunctionReturn(0);
}

/* One iteration of the safeguarded method: the directions of this iteration (M r, the coarse correction, the chosen
   direction: nv of them, in slots[]) are A-orthogonalized against the window (one reduction), multiplied by A, and
   their Gram matrix G = V'AV, V'r and the guard's reference r'D^-1r form one more reduction. A Cholesky factorization
   of G in that order drops a direction whose A-norm after the others is below 1e-10 of its own (near-singular G) or
   that is not finite or not positive; the kept ones are made A-orthonormal (W = V L^-T) and stored in the window,
   and x += W W'r, the A-norm-optimal step over their span. *useless: the direction removed less than guard_rtol
   r'D^-1r of error energy (g^2/G on its own); *nkept = 0 if nothing could be kept. */
static PetscErrorCode KSPDCDMSpaceStep(KSP ksp, Mat A, Vec b, Vec x, Vec r, PetscInt nv, const PetscInt slots[], const PetscInt kind[],
                                       PetscBool *useless, PetscInt *nkept)
{
  KSP_DCDM   *dcdm = (KSP_DCDM *)ksp->data;
  MPI_Comm    comm = PetscObjectComm((PetscObject)ksp);
  PetscInt    m = dcdm->nstored, keep[3], nk = 0;
  PetscScalar G[3][4], *W = dcdm->dots, Lm[3][3], alpha[3] = {0, 0, 0}, e = 0;
  PetscReal   removed[3] = {0, 0, 0}, ref = 0;
  PetscBool   bad[3] = {PETSC_FALSE, PETSC_FALSE, PETSC_FALSE}, guard = KSPDCDMLearned(dcdm), hasm = PETSC_FALSE, jacobi;
  Vec         list[4], Wv[3], AWv[3];

  PetscFunctionBegin;
  *useless         = PETSC_FALSE;
  dcdm->indefinite = PETSC_FALSE;
  for (PetscInt i = 0; i < nv; i++) hasm = (PetscBool)(hasm || kind[i] == 1);
  jacobi = (PetscBool)(guard && !hasm && dcdm->diaginv); /* the guard's reference: M r's energy, else r'D^-1r */
  if (m) { /* against the window: classical Gram-Schmidt in the A inner product, one reduction for all */
    for (PetscInt j = 0; j < m; j++) dcdm->Pw[j] = dcdm->P[dcdm->stored[j]], dcdm->APw[j] = dcdm->AP[dcdm->stored[j]];
    for (PetscInt i = 0; i < nv; i++) PetscCall(VecMDotBegin(dcdm->P[slots[i]], m, dcdm->APw, W + i * m));
    PetscCall(PetscCommSplitReductionBegin(comm));
    for (PetscInt i = 0; i < nv; i++) PetscCall(VecMDotEnd(dcdm->P[slots[i]], m, dcdm->APw, W + i * m));
    for (PetscInt i = 0; i < nv; i++) {
      PetscScalar *c = W + i * m;

      for (PetscInt j = 0; j < m; j++) {
        if (PetscIsInfOrNanScalar(c[j])) bad[i] = PETSC_TRUE;
        removed[i] += PetscRealPart(c[j] * PetscConj(c[j]) / dcdm->pAp[dcdm->stored[j]]);
        c[j] = -c[j] / dcdm->pAp[dcdm->stored[j]];
      }
      if (!bad[i]) PetscCall(VecMAXPY(dcdm->P[slots[i]], m, c, dcdm->Pw));
    }
  }
  for (PetscInt i = 0; i < nv; i++)
    if (!bad[i]) PetscCall(KSP_MatMult(ksp, A, dcdm->P[slots[i]], dcdm->AP[slots[i]]));
  /* G[i][j] = v_i'Av_j (j >= i), G[i][nv] = v_i'r; one reduction with r'D^-1r */
  for (PetscInt i = 0; i < nv; i++) {
    PetscInt nl = 0;

    if (bad[i]) continue;
    for (PetscInt j = i; j < nv; j++)
      if (!bad[j]) list[nl++] = dcdm->AP[slots[j]];
    list[nl++] = r;
    PetscCall(VecMDotBegin(dcdm->P[slots[i]], nl, list, &G[i][0]));
  }
  if (jacobi) {
    PetscCall(VecPointwiseMult(ksp->work[4], dcdm->diaginv, r));
    PetscCall(VecDotBegin(ksp->work[4], r, &e));
  }
  PetscCall(PetscCommSplitReductionBegin(comm));
  for (PetscInt i = 0; i < nv; i++) {
    PetscInt    nl = 0;
    PetscScalar g[4];

    if (bad[i]) continue;
    for (PetscInt j = i; j < nv; j++)
      if (!bad[j]) list[nl++] = dcdm->AP[slots[j]];
    list[nl++] = r;
    PetscCall(VecMDotEnd(dcdm->P[slots[i]], nl, list, g));
    /* unpack into G[i][j], j >= i, and G[i][nv] */
    for (PetscInt j = i, l = 0; j < nv; j++) G[i][j] = bad[j] ? 0.0 : g[l++];
    G[i][nv] = g[nl - 1];
  }
  if (jacobi) {
    PetscCall(VecDotEnd(ksp->work[4], r, &e));
    ref = PetscRealPart(e);
  }
  /* Cholesky of G with dropping, in slot order; Lm[k][l] for kept l */
  for (PetscInt k = 0; k < nv; k++) {
    PetscScalar d;
    PetscBool   finite = (PetscBool)!bad[k];

    for (PetscInt j = k; j <= nv && finite; j++)
      if (j == nv || !bad[j]) finite = (PetscBool)!PetscIsInfOrNanScalar(G[k][j]);
    for (PetscInt l = 0; l < k && finite; l++)
      if (!bad[l]) finite = (PetscBool)!PetscIsInfOrNanScalar(G[l][k]);
    if (!finite || PetscRealPart(G[k][k]) <= 0) {
      PetscCall(PetscInfo(ksp, "DCDM: direction %" PetscInt_FMT " dropped: not finite or v'Av = %g <= 0\n", kind[k], (double)PetscRealPart(G[k][k])));
      if (kind[k] == 0) dcdm->nbreak++, dcdm->nbreak_total++;
      if (finite && PetscRealPart(G[k][k]) < 0) dcdm->indefinite = PETSC_TRUE;
      bad[k] = PETSC_TRUE;
      continue;
    }
    /* the energy this direction removes on its own (after the window) */
    dcdm->energy[kind[k]] = PetscRealPart(G[k][nv] * PetscConj(G[k][nv]) / G[k][k]);
    d                     = G[k][k];
    for (PetscInt a = 0; a < nk; a++) {
      PetscInt    l = keep[a];
      PetscScalar s = G[l][k];

      for (PetscInt c = 0; c < a; c++) s -= Lm[l][keep[c]] * Lm[k][keep[c]];
      Lm[k][l] = s / Lm[l][l];
      d -= Lm[k][l] * Lm[k][l];
    }
    if (!(PetscRealPart(d) > 1e-10 * (PetscRealPart(G[k][k]) + removed[k]))) {
      PetscCall(PetscInfo(ksp, "DCDM: direction %" PetscInt_FMT " dropped: A-norm^2 %g after the window and the other directions, %g before\n",
                          kind[k], (double)PetscRealPart(d), (double)(PetscRealPart(G[k][k]) + removed[k])));
      bad[k] = PETSC_TRUE;
      continue;
    }
    Lm[k][k]   = PetscSqrtScalar(d);
    keep[nk++] = k;
  }
  if (hasm) ref = dcdm->energy[1];
  dcdm->energy[3] = ref;
  if (guard && (hasm || jacobi)) {
    PetscInt k;

    for (k = 0; k < nv; k++)
      if (kind[k] == 0) break;
    if (k < nv) {
      if (bad[k]) dcdm->energy[0] = 0;
      *useless = (PetscBool)(dcdm->energy[0] < dcdm->guard_rtol * ref);
    }
  }
  *nkept = nk;
  if (!nk) PetscFunctionReturn(0);
  /* W = V L^-T (A-orthonormal), alpha = L^-1 V'r = W'r */
  for (PetscInt a = 0; a < nk; a++) {
    PetscInt    k = keep[a];
    PetscScalar c[3];

    alpha[a] = G[k][nv];
    for (PetscInt l = 0; l < a; l++) {
      c[l] = -Lm[k][keep[l]];
      alpha[a] -= Lm[k][keep[l]] * alpha[l];
    }
    alpha[a] /= Lm[k][k];
    if (a) {
      PetscCall(VecMAXPY(dcdm->P[slots[k]], a, c, Wv));
      PetscCall(VecMAXPY(dcdm->AP[slots[k]], a, c, AWv));
    }
    PetscCall(VecScale(dcdm->P[slots[k]], 1.0 / Lm[k][k]));
    PetscCall(VecScale(dcdm->AP[slots[k]], 1.0 / Lm[k][k]));
    Wv[a]               = dcdm->P[slots[k]];
    AWv[a]              = dcdm->AP[slots[k]];
    dcdm->pAp[slots[k]] = 1.0;
  }
  PetscCall(VecMAXPY(x, nk, alpha, Wv));
  if (dcdm->true_residual) {
    PetscCall(KSP_MatMult(ksp, A, x, r));
    PetscCall(VecAYPX(r, -1.0, b));
  } else {
    for (PetscInt a = 0; a < nk; a++) alpha[a] = -alpha[a];
    PetscCall(VecMAXPY(r, nk, alpha, AWv));
  }
  for (PetscInt a = 0; a < nk; a++) (void)KSPDCDMPush(dcdm, slots[keep[a]]);
  PetscFunctionReturn(0);
}

/* The slots not in the window (at least nvec of them) */
static void KSPDCDMFreeSlots(KSP_DCDM *dcdm, PetscInt slots[])
{
  PetscInt c = 0;

  for (PetscInt s = 0; s < dcdm->nslots && c < dcdm->nvec; s++) {
    PetscBool used = PETSC_FALSE;

    for (PetscInt j = 0; j < dcdm->nstored; j++) used = (PetscBool)(used || dcdm->stored[j] == s);
    if (!used) slots[c++] = s;
  }
}

/* -ksp_dcdm_monitor: per iteration, the energy each part of the step removes on its own, against the guard's
   reference r'D^-1r, the useless directions so far and how many directions the step kept */
static PetscErrorCode KSPDCDMMonitorStep(KSP ksp, PetscInt it, PetscReal rnorm, PetscInt nkept)
{
  KSP_DCDM   *dcdm = (KSP_DCDM *)ksp->data;
  PetscViewer v;
  PetscReal   ref = dcdm->energy[3] > 0 ? dcdm->energy[3] : 1;

  PetscFunctionBegin;
  if (!dcdm->monitor) PetscFunctionReturn(0);
  v = PETSC_VIEWER_STDOUT_(PetscObjectComm((PetscObject)ksp));
  PetscCall(PetscViewerASCIIAddTab(v, ((PetscObject)ksp)->tablevel));
  PetscCall(PetscViewerASCIIPrintf(v, "%3" PetscInt_FMT " DCDM ||r|| %.6e; energy removed / %s: %s %.3e", it, (double)rnorm,
                                   dcdm->nvec > 1 && dcdm->safeguard && KSPDCDMLearned(dcdm) ? "M r's" : "r'D^-1r",
                                   KSPDCDMDirections[dcdm->direction], (double)(dcdm->energy[0] / ref)));
  if (dcdm->nvec > 1 && dcdm->safeguard && KSPDCDMLearned(dcdm)) PetscCall(PetscViewerASCIIPrintf(v, ", M r %.3e", (double)(dcdm->energy[1] / ref)));
  if (KSPDCDMCoarseSize(dcdm)) PetscCall(PetscViewerASCIIPrintf(v, ", coarse %.3e", (double)(dcdm->energy[2] / ref)));
  PetscCall(PetscViewerASCIIPrintf(v, "; useless %s directions %" PetscInt_FMT "%s; kept %" PetscInt_FMT "\n", KSPDCDMDirections[dcdm->direction],
                                   dcdm->nuseless, dcdm->netoff_at >= 0 ? " (switched off)" : "", nkept));
  PetscCall(PetscViewerASCIISubtractTab(v, ((PetscObject)ksp)->tablevel));
  PetscFunctionReturn(0);
}

/* The iterations when each step searches a space (safeguard M r and/or the coarse correction with the direction) */
static PetscErrorCode KSPDCDMSolveSpace(KSP ksp, Mat A, MatNullSpace nsp, Vec b, PetscReal rnorm)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;
  Vec       x = ksp->vec_sol, r = ksp->work[0], rn = ksp->work[1];
  PetscInt  run     = 0;
  PetscBool learned = KSPDCDMLearned(dcdm);

  PetscFunctionBegin;
  for (PetscInt it = 0; it < ksp->max_it; it++) {
    PetscInt  slots[3], kind[3], nv = 0, nk;
    PetscBool useless;

    KSPDCDMFreeSlots(dcdm, slots);
    dcdm->energy[0] = dcdm->energy[1] = dcdm->energy[2] = 0;
    if (learned && dcdm->safeguard) { /* M r: the KSP's PC, or the safeguard's own */
      if (dcdm->sgownpc)
        PetscCall(PCApply(dcdm->sgpc, r, dcdm->P[slots[nv]]));
      else
        PetscCall(KSP_PCApply(ksp, r, dcdm->P[slots[nv]]));
      kind[nv++] = 1;
    }
    if (KSPDCDMCoarseSize(dcdm)) { /* P (P'AP)^-1 P'r */
      PetscCall(MatMultTranspose(dcdm->Pc, r, dcdm->rc));
      PetscCall(KSPSolve(dcdm->kspc, dcdm->rc, dcdm->ec));
      PetscCall(KSPCheckSolve(ksp, ksp->pc, dcdm->ec));
      PetscCall(MatMult(dcdm->Pc, dcdm->ec, dcdm->P[slots[nv]]));
      kind[nv++] = 2;
    }
    if (dcdm->netoff_at < 0 || !learned) {
      PetscCall(VecAXPBY(rn, 1.0 / rnorm, 0.0, r));
      PetscCall(KSPDCDMComputeDirection(ksp, dcdm->direction, rn, dcdm->P[slots[nv]]));
      kind[nv++] = 0;
    }
    if (nsp)
      for (PetscInt i = 0; i < nv; i++) PetscCall(MatNullSpaceRemove(nsp, dcdm->P[slots[i]]));
    PetscCall(KSPDCDMSpaceStep(ksp, A, b, x, r, nv, slots, kind, &useless, &nk));
    if (!nk) {
      if (dcdm->nstored) { /* nothing left after the window: restart it and redo the iteration */
        PetscCall(PetscInfo(ksp, "DCDM: no direction survives the window at iteration %" PetscInt_FMT ": restarting the window\n", it));
        dcdm->nstored = 0;
        dcdm->nbreak++;
        dcdm->nbreak_total++;
        it--;
        continue;
      }
      ksp->reason = dcdm->indefinite ? KSP_DIVERGED_INDEFINITE_MAT : KSP_DIVERGED_BREAKDOWN;
      PetscCall(PetscInfo(ksp, "DCDM: no usable direction at iteration %" PetscInt_FMT " (indefinite operator or preconditioner?): %s\n", it,
                          KSPConvergedReasons[ksp->reason]));
      break;
    }
    if (learned && dcdm->netoff_at < 0) {
      if (useless) {
        dcdm->nuseless++;
        dcdm->nuseless_total++;
        run++;
      } else
        run = 0;
    }
    PetscCall(VecNorm(r, NORM_2, &rnorm));
    KSPCheckNorm(ksp, rnorm);
    ksp->its   = it + 1;
    ksp->rnorm = rnorm;
    PetscCall(KSPLogResidualHistory(ksp, rnorm));
    PetscCall(KSPDCDMMonitorStep(ksp, ksp->its, rnorm, nk));
    PetscCall(KSPMonitor(ksp, ksp->its, rnorm));
    PetscCall((*ksp->converged)(ksp, ksp->its, rnorm, &ksp->reason, ksp->cnvP));
    if (ksp->reason) break;
    if (rnorm == 0) {
      ksp->reason = KSP_CONVERGED_ATOL;
      break;
    }
    if (learned && dcdm->netoff_at < 0 && dcdm->guard_max > 0 && run >= dcdm->guard_max) {
      /* the direction does not help: the rest of this solve goes without it, from a fresh window (with a linear SPD M
         and no coarse level the steps are then PCG's, restarted at this iterate) */
      dcdm->netoff_at = ksp->its;
      dcdm->nstored   = 0;
      PetscCall(PetscInfo(ksp,
                          "DCDM: %" PetscInt_FMT
                          " useless %s directions in a row (each removed less than %g times the error energy M r removed): switched off "
                          "for the rest of this solve\n",
                          run, KSPDCDMDirections[dcdm->direction], (double)dcdm->guard_rtol));
    }
  }
  if (!ksp->reason) ksp->reason = KSP_DIVERGED_ITS;
  PetscFunctionReturn(0);
}

/* Everything a solve needs, also called by KSPSolve (options may have changed since KSPSetUp) */
static PetscErrorCode KSPDCDMSetUpAll(KSP ksp)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;
  Mat       A;

  PetscFunctionBegin;
  PetscCall(KSPDCDMSetUpWindow(ksp));
  PetscCall(KSPDCDMCheckDirection(ksp));
  PetscCall(PCGetOperators(ksp->pc, &A, NULL));
  if (KSPDCDMLearned(dcdm)) PetscCall(KSPDCDMSetUpDiagonal(ksp, A));
  if (KSPDCDMLearned(dcdm) && dcdm->safeguard) PetscCall(KSPDCDMSetUpSafeguard(ksp));
  if (KSPDCDMCoarseSize(dcdm)) PetscCall(KSPDCDMSetUpCoarse(ksp));
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPSetUp_DCDM(KSP ksp)
{
  PetscFunctionBegin;
  PetscCall(KSPSetWorkVecs(ksp, 5)); /* r, r/||r||, projected b, the network's input, D^-1 r */
  PetscCall(KSPDCDMSetUpAll(ksp));
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPSolve_DCDM(KSP ksp)
{
  KSP_DCDM    *dcdm = (KSP_DCDM *)ksp->data;
  Mat          A;
  MatNullSpace nsp;
  Vec          x = ksp->vec_sol, b = ksp->vec_rhs, r = ksp->work[0], rn = ksp->work[1];
  PetscReal    rnorm;
  PetscInt     cur = 0, run = 0;

  PetscFunctionBegin;
  PetscCheck(!ksp->transpose_solve, PetscObjectComm((PetscObject)ksp), PETSC_ERR_SUP, "KSPDCDM does not solve transposed systems");
  PetscCall(KSPDCDMSetUpAll(ksp));
  PetscCall(PCGetOperators(ksp->pc, &A, NULL));
  PetscCall(MatGetNullSpace(A, &nsp));
  if (nsp) { /* a singular operator: solve with the compatible part of b, keep the iterates out of the null space */
    PetscCall(VecCopy(b, ksp->work[2]));
    PetscCall(MatNullSpaceRemove(nsp, ksp->work[2]));
    b = ksp->work[2];
  }
  dcdm->nstored   = 0;
  dcdm->nbreak    = 0;
  dcdm->nuseless  = 0;
  dcdm->netoff_at = -1;
  ksp->its        = 0;
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
  if (dcdm->nvec > 1) {
    PetscCall(KSPDCDMSolveSpace(ksp, A, nsp, b, rnorm));
    PetscFunctionReturn(0);
  }

  for (PetscInt it = 0; it < ksp->max_it; it++) {
    PetscScalar a, qr, alpha;
    PetscBool   ok;
    PetscReal   ref = 0, *pref = KSPDCDMLearned(dcdm) && dcdm->diaginv ? &ref : NULL;

    PetscCall(VecAXPBY(rn, 1.0 / rnorm, 0.0, r));
    PetscCall(KSPDCDMComputeDirection(ksp, dcdm->direction, rn, dcdm->P[cur]));
    if (nsp) PetscCall(MatNullSpaceRemove(nsp, dcdm->P[cur]));
    PetscCall(KSPDCDMOrthogonalize(ksp, A, cur, r, &a, &qr, pref, &ok));
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
        PetscCall(KSPDCDMOrthogonalize(ksp, A, cur, r, &a, &qr, NULL, &ok));
      }
      if (!ok && dcdm->nstored) {
        PetscCall(PetscInfo(ksp, "DCDM: the residual direction breaks down against the window (q'Aq = %g): restarting the window\n",
                            (double)PetscRealPart(a)));
        dcdm->nstored = 0;
        PetscCall(VecCopy(rn, dcdm->P[cur]));
        if (nsp) PetscCall(MatNullSpaceRemove(nsp, dcdm->P[cur]));
        PetscCall(KSPDCDMOrthogonalize(ksp, A, cur, r, &a, &qr, NULL, &ok));
      }
      if (!ok) {
        ksp->reason = (!PetscIsInfOrNanScalar(a) && PetscRealPart(a) < 0) ? KSP_DIVERGED_INDEFINITE_MAT : KSP_DIVERGED_BREAKDOWN;
        PetscCall(PetscInfo(ksp, "DCDM: the residual direction breaks down too (r'Ar = %g): %s\n", (double)PetscRealPart(a),
                            KSPConvergedReasons[ksp->reason]));
        break;
      }
    }
    alpha = qr / a;
    if (pref) { /* the progress guard: the energy this direction removes, against r'D^-1r */
      dcdm->energy[0] = ok ? PetscRealPart(qr * PetscConj(qr) / a) : 0;
      dcdm->energy[3] = ref;
      if (dcdm->energy[0] < dcdm->guard_rtol * ref) {
        dcdm->nuseless++;
        dcdm->nuseless_total++;
        run++;
      } else
        run = 0;
    }
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
    PetscCall(KSPDCDMMonitorStep(ksp, ksp->its, rnorm, 1));
    PetscCall(KSPMonitor(ksp, ksp->its, rnorm));
    PetscCall((*ksp->converged)(ksp, ksp->its, rnorm, &ksp->reason, ksp->cnvP));
    if (ksp->reason) break;
    if (rnorm == 0) { /* exact solution but a convergence test that asks for more */
      ksp->reason = KSP_CONVERGED_ATOL;
      break;
    }
    if (dcdm->guard_max > 0 && run >= dcdm->guard_max) {
      dcdm->netoff_at = ksp->its;
      ksp->reason     = KSP_DIVERGED_BREAKDOWN;
      PetscCall(PetscInfo(ksp,
                          "DCDM: %" PetscInt_FMT " useless directions in a row (each removed less than %g r'D^-1r of error energy): stopping; "
                          "-ksp_dcdm_safeguard adds M r to every step\n",
                          run, (double)dcdm->guard_rtol));
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
  if (KSPDCDMNumVecs(dcdm) > 1)
    PetscCall(PetscViewerASCIIPrintf(
        viewer, "  A-orthogonalization window: the directions of %" PetscInt_FMT " previous iterations (%" PetscInt_FMT " vectors)\n", dcdm->window,
        dcdm->window * KSPDCDMNumVecs(dcdm)));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer, "  A-orthogonalization window: %" PetscInt_FMT " previous directions\n", dcdm->window));
  if (KSPDCDMLearned(dcdm)) {
    if (dcdm->safeguard) {
      PetscCall(PetscViewerASCIIPrintf(
          viewer, "  safeguard: each step minimizes the A-norm of the error over span{%s direction, M r%s} + the window; M: %s\n",
          KSPDCDMDirections[dcdm->direction], KSPDCDMCoarseSize(dcdm) ? ", coarse correction" : "",
          dcdm->sgpc && dcdm->sgownpc ? "its own PC (-ksp_dcdm_safeguard_pc_type)" : "the KSP's PC"));
      if (dcdm->sgpc && dcdm->sgownpc) {
        PetscCall(PetscViewerASCIIPushTab(viewer));
        PetscCall(PCView(dcdm->sgpc, viewer));
        PetscCall(PetscViewerASCIIPopTab(viewer));
      }
    } else
      PetscCall(
          PetscViewerASCIIPrintf(viewer, "  safeguard: off (plain DCDM steps%s)\n", KSPDCDMCoarseSize(dcdm) ? " plus the coarse correction" : ""));
    PetscCall(PetscViewerASCIIPrintf(
        viewer, "  progress guard: a %s direction removing less than %g times the error energy of %s is useless; %" PetscInt_FMT " in a row %s\n",
        KSPDCDMDirections[dcdm->direction], (double)dcdm->guard_rtol, dcdm->safeguard ? "M r" : "r'D^-1r", dcdm->guard_max,
        dcdm->safeguard ? "switch it off for the rest of the solve" : "stop the solve (KSP_DIVERGED_BREAKDOWN)"));
    PetscCall(
        PetscViewerASCIIPrintf(viewer, "  useless %s directions: %" PetscInt_FMT " in the last solve, %" PetscInt_FMT " in all%s\n",
                               KSPDCDMDirections[dcdm->direction], dcdm->nuseless, dcdm->nuseless_total,
                               dcdm->netoff_at >= 0 ? (dcdm->safeguard ? "; switched off in the last solve" : "; the last solve stopped") : ""));
  }
  if (KSPDCDMCoarseSize(dcdm)) {
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  coarse level: aggregates of %" PetscInt_FMT "^3 cells (%" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT
                                     " coarse grid), %s prolongation, Galerkin P'AP; coarse solver:\n",
                                     KSPDCDMCoarseSize(dcdm), dcdm->ncoarse[0], dcdm->ncoarse[1], dcdm->ncoarse[2],
                                     dcdm->coarse_omega != 0 ? "Jacobi-smoothed" : "piecewise-constant"));
    if (dcdm->kspc) {
      PetscCall(PetscViewerASCIIPushTab(viewer));
      PetscCall(KSPView(dcdm->kspc, viewer));
      PetscCall(PetscViewerASCIIPopTab(viewer));
    }
  }
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
  PetscInt  layers = dcdm->layers, gmax = dcdm->guard_max, coarse = dcdm->coarse;
  PetscReal grtol = dcdm->guard_rtol, omega = dcdm->coarse_omega;
  PetscBool sg, flg2;

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
  PetscCall(
      PetscOptionsBool("-ksp_dcdm_safeguard", "Add M r to the direction space of every step", "KSPDCDMSetSafeguard", dcdm->safeguard, &sg, &flg));
  if (flg) PetscCall(KSPDCDMSetSafeguard(ksp, sg));
  PetscCall(PetscOptionsReal("-ksp_dcdm_guard_rtol",
                             "A direction removing less than this times the energy of M r (r'D^-1r without safeguard) is useless", "KSPDCDMSetGuard",
                             grtol, &grtol, &flg));
  PetscCall(PetscOptionsInt("-ksp_dcdm_guard_max", "Useless directions in a row before the network is switched off (0: never)", "KSPDCDMSetGuard",
                            gmax, &gmax, &flg2));
  if (flg || flg2) PetscCall(KSPDCDMSetGuard(ksp, grtol, gmax));
  PetscCall(PetscOptionsInt("-ksp_dcdm_coarse", "Aggregate size of the coarse level (0: none, -1: 4 for the network direction, else none)",
                            "KSPDCDMSetCoarse", coarse, &coarse, &flg));
  PetscCall(PetscOptionsReal("-ksp_dcdm_coarse_omega", "Jacobi damping of the prolongation (0: piecewise constant)", "KSPDCDMSetCoarse", omega,
                             &omega, &flg2));
  if (flg || flg2) PetscCall(KSPDCDMSetCoarse(ksp, coarse, omega));
  PetscCall(PetscOptionsBool("-ksp_dcdm_monitor", "Print the energy each part of a step removes", "KSPDCDMSetMonitor", dcdm->monitor, &dcdm->monitor,
                             NULL));
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
  PetscCall(VecDestroy(&dcdm->diaginv));
  dcdm->diagid = 0;
  PetscCall(PCDestroy(&dcdm->sgpc));
  PetscCall(MatDestroy(&dcdm->Pc));
  PetscCall(MatDestroy(&dcdm->Ac));
  PetscCall(VecDestroy(&dcdm->rc));
  PetscCall(VecDestroy(&dcdm->ec));
  PetscCall(KSPDestroy(&dcdm->kspc));
  dcdm->coarseid = 0;
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
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetSafeguard_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetGuard_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetGuardCount_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetCoarse_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetCoarseKSP_C", NULL));
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
  PetscCall(DCDMCheckLayers_Private(PetscObjectComm((PetscObject)ksp), layers, "-ksp_dcdm_model_layers"));
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

static PetscErrorCode KSPDCDMSetSafeguard_DCDM(KSP ksp, PetscBool flg)
{
  PetscFunctionBegin;
  ((KSP_DCDM *)ksp->data)->safeguard = flg;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetGuard_DCDM(KSP ksp, PetscReal rtol, PetscInt max)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  if (rtol != (PetscReal)PETSC_DEFAULT) {
    PetscCheck(rtol >= 0, PetscObjectComm((PetscObject)ksp), PETSC_ERR_ARG_OUTOFRANGE, "-ksp_dcdm_guard_rtol must be >= 0, got %g", (double)rtol);
    dcdm->guard_rtol = rtol;
  }
  if (max != PETSC_DEFAULT) {
    PetscCheck(max >= 0, PetscObjectComm((PetscObject)ksp), PETSC_ERR_ARG_OUTOFRANGE, "-ksp_dcdm_guard_max must be >= 0, got %" PetscInt_FMT, max);
    dcdm->guard_max = max;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMGetGuardCount_DCDM(KSP ksp, PetscInt *last, PetscInt *total, PetscInt *offat)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  if (last) *last = dcdm->nuseless;
  if (total) *total = dcdm->nuseless_total;
  if (offat) *offat = dcdm->netoff_at;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMSetCoarse_DCDM(KSP ksp, PetscInt f, PetscReal omega)
{
  KSP_DCDM *dcdm = (KSP_DCDM *)ksp->data;

  PetscFunctionBegin;
  PetscCheck(f >= -1 && f != 1, PetscObjectComm((PetscObject)ksp), PETSC_ERR_ARG_OUTOFRANGE,
             "-ksp_dcdm_coarse must be -1 (automatic), 0 (none) or an aggregate size >= 2, got %" PetscInt_FMT, f);
  if (omega == (PetscReal)PETSC_DEFAULT) omega = dcdm->coarse_omega;
  PetscCheck(omega >= 0 && omega < 2, PetscObjectComm((PetscObject)ksp), PETSC_ERR_ARG_OUTOFRANGE, "-ksp_dcdm_coarse_omega must be in [0, 2), got %g",
             (double)omega);
  if (f != dcdm->coarse || omega != dcdm->coarse_omega) {
    PetscCall(MatDestroy(&dcdm->Ac)); /* rebuilt at the next set-up */
    dcdm->coarseid = 0;
  }
  dcdm->coarse       = f;
  dcdm->coarse_omega = omega;
  PetscFunctionReturn(0);
}

static PetscErrorCode KSPDCDMGetCoarseKSP_DCDM(KSP ksp, KSP *kspc)
{
  PetscFunctionBegin;
  *kspc = ((KSP_DCDM *)ksp->data)->kspc;
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

/*@
  KSPDCDMSetSafeguard - Whether each step of a network (or user) direction q also searches M r: the step minimizes the
  A-norm of the error over span{q, M r} plus the window (a Galerkin solve in that space, dropping a direction that is
  numerically dependent on the others). M is the KSP's PC unless it is none, else a PC of the solver's own (options
  prefix -ksp_dcdm_safeguard_, default block Jacobi with ILU(0) blocks: ICC(0) per rank for a symmetric matrix).
  With the window >= 1 a useless q gives PCG with M; a good q costs one PC application, one MatMult and a few dots
  more per step (the reductions are merged). Off: the paper's DCDM.

  Logically Collective

  Options Database Key:
. -ksp_dcdm_safeguard <true> - add M r

  Level: intermediate

.seealso: KSPDCDM, KSPDCDMSetGuard(), KSPDCDMSetCoarse()
@*/
PetscErrorCode KSPDCDMSetSafeguard(KSP ksp, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveBool(ksp, flg, 2);
  PetscTryMethod(ksp, "KSPDCDMSetSafeguard_C", (KSP, PetscBool), (ksp, flg));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMSetGuard - Sets the progress guard of the network (or user) direction: a direction is useless when the error
  energy it removes on its own (g^2/q'Aq with g = q'r, after the window) is below rtol times what the safeguard
  direction M r removes on its own, or without the safeguard below rtol r'D^-1r (D the diagonal of A; a Jacobi step
  removes at least half of r'D^-1r when the eigenvalues of D^-1 A lie in (0, 2]). Useless directions
  are counted (KSPView(), -ksp_dcdm_monitor, KSPDCDMGetGuardCount()); after max of them in a row the direction is
  switched off for the rest of the solve (safeguard on) or the solve stops with KSP_DIVERGED_BREAKDOWN (safeguard off).

  Logically Collective

  Input Parameters:
+ ksp  - the KSPDCDM
. rtol - the fraction (default 0.25), or PETSC_DEFAULT to keep it
- max  - useless directions in a row before acting (default 5; 0: never), or PETSC_DEFAULT to keep it

  Options Database Keys:
+ -ksp_dcdm_guard_rtol <0.25> - rtol
- -ksp_dcdm_guard_max <5>     - max

  Level: intermediate

.seealso: KSPDCDM, KSPDCDMSetSafeguard(), KSPDCDMGetGuardCount()
@*/
PetscErrorCode KSPDCDMSetGuard(KSP ksp, PetscReal rtol, PetscInt max)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveReal(ksp, rtol, 2);
  PetscValidLogicalCollectiveInt(ksp, max, 3);
  PetscTryMethod(ksp, "KSPDCDMSetGuard_C", (KSP, PetscReal, PetscInt), (ksp, rtol, max));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMGetGuardCount - Numbers of useless network (or user) directions (KSPDCDMSetGuard()).

  Not Collective

  Output Parameters:
+ last  - in the last solve (or NULL)
. total - in all solves (or NULL)
- offat - the iteration of the last solve at which the guard switched the direction off or stopped, -1 if it did
          not (or NULL)

  Level: intermediate

.seealso: KSPDCDMSetGuard()
@*/
PetscErrorCode KSPDCDMGetGuardCount(KSP ksp, PetscInt *last, PetscInt *total, PetscInt *offat)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscUseMethod(ksp, "KSPDCDMGetGuardCount_C", (KSP, PetscInt *, PetscInt *, PetscInt *), (ksp, last, total, offat));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMSetCoarse - Adds a coarse level to the direction space of every step: the Galerkin coarse-grid correction
  P (P'AP)^-1 P'r, with P from aggregates of f x f x f cells of the operator's DMDA (zero on decoupled rows: solid
  cells, identity rows), smoothed by one damped Jacobi step P = (I - omega D^-1 A) P0 unless omega = 0. The coarse
  system is solved by a KSP with options prefix -ksp_dcdm_coarse_ (default CG + GAMG to a relative 1e-2;
  KSPDCDMGetCoarseKSP()).

  Logically Collective

  Input Parameters:
+ ksp   - the KSPDCDM
. f     - the aggregate size per direction (0: no coarse level; -1, the default: 4 for the network direction, none for
          the others)
- omega - the damping (default 2/3), or PETSC_DEFAULT to keep it

  Options Database Keys:
+ -ksp_dcdm_coarse <-1>          - the aggregate size
- -ksp_dcdm_coarse_omega <0.667> - the damping

  Level: intermediate

.seealso: KSPDCDM, KSPDCDMSetSafeguard(), KSPDCDMGetCoarseKSP()
@*/
PetscErrorCode KSPDCDMSetCoarse(KSP ksp, PetscInt f, PetscReal omega)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscValidLogicalCollectiveInt(ksp, f, 2);
  PetscValidLogicalCollectiveReal(ksp, omega, 3);
  PetscTryMethod(ksp, "KSPDCDMSetCoarse_C", (KSP, PetscInt, PetscReal), (ksp, f, omega));
  PetscFunctionReturn(0);
}

/*@
  KSPDCDMGetCoarseKSP - Gets the KSP of the coarse level (NULL before the set-up or without a coarse level).

  Not Collective

  Level: advanced

.seealso: KSPDCDMSetCoarse()
@*/
PetscErrorCode KSPDCDMGetCoarseKSP(KSP ksp, KSP *kspc)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ksp, KSP_CLASSID, 1);
  PetscUseMethod(ksp, "KSPDCDMGetCoarseKSP_C", (KSP, KSP *), (ksp, kspc));
  PetscFunctionReturn(0);
}

/*MC
  KSPDCDM - "dcdm": the deep conjugate direction method (Kaneda et al., ICML 2023), a truncated conjugate-direction
  method whose directions come from a (possibly nonlinear) map f of the residual, here made safe and grid-independent
  by searching a small space each step.

  The paper's step (-ksp_dcdm_safeguard 0 -ksp_dcdm_coarse 0): q = f(r/||r||); q -= sum_j (q'Ap_j / p_j'Ap_j) p_j over
  the last k directions; alpha = q'r / q'Aq; x += alpha q; r = b - Ax (or r -= alpha Aq).

  The default step for the network (and user) direction minimizes the A-norm of the error over
  span{q, M r, P (P'AP)^-1 P'r} plus the directions of the last k steps: each new vector is A-orthogonalized against
  the window (one reduction for all), multiplied by A, and a Cholesky factorization of their 3x3 Gram matrix (one more
  reduction, with V'r) drops any vector that is numerically dependent on the others, not finite or not positive; the
  kept ones are made A-orthonormal and stored. M is the KSP's PC unless it is none, else block Jacobi/ILU(0) (ICC(0)
  per rank for a symmetric matrix; chosen over SSOR: 157 against 175 CG iterations at 64^3 on the obstacle problem,
  the same cost); the coarse level aggregates 4^3 cells of the DMDA (KSPDCDMSetCoarse()). A useless network
  direction is found by the progress guard (KSPDCDMSetGuard()), counted, and switched off.

  Options Database Keys:
+ -ksp_dcdm_window <2>             - k, the A-orthogonalization window (in steps)
. -ksp_dcdm_true_residual <true>   - recompute the residual every iteration
. -ksp_dcdm_direction <network>    - residual, pc (the KSP's PC), network (the CNN) or user (KSPDCDMSetApply())
. -ksp_dcdm_model <file.h5>        - the network's weights (default: $NNPDE_DCDM_MODEL, else the shipped dcdm_k64.h5)
. -ksp_dcdm_model_layers <64>      - the network's layer list, 64 or 128
. -ksp_dcdm_safeguard <true>       - add M r to the network (user) direction's step; -ksp_dcdm_safeguard_pc_type etc.
                                     configure M when the KSP's PC is none
. -ksp_dcdm_guard_rtol <0.25>      - a network direction removing less than this times the error energy of M r is useless
. -ksp_dcdm_guard_max <5>          - useless ones in a row before it is switched off (safeguard) or the solve stops
. -ksp_dcdm_coarse <-1>            - aggregate size of the coarse level (0: none; -1: 4 for the network direction)
. -ksp_dcdm_coarse_omega <0.667>   - Jacobi damping of the coarse prolongation (0: piecewise constant)
. -ksp_dcdm_coarse_ksp_type ...    - the coarse solver (default cg, -ksp_dcdm_coarse_pc_type gamg, rtol 1e-2)
- -ksp_dcdm_monitor                - per step: the energy each direction removes, the useless count

  Notes:
  Convergence is tested on the unpreconditioned residual norm by the KSP's convergence test (by default relative to
  ||b||). Because f may be nonlinear or nonsymmetric, the method is flexible: the PC may change between iterations.
  With a linear SPD direction (pc, residual) and window >= 1 it is PCG/CG in exact arithmetic.

  A singular operator with a MatNullSpace is handled by removing the null space from b, the initial guess and every
  direction (its vectors must vanish on identity rows).

  Network direction: the network sees the residual at unit RMS over the grid (as in training), and its output is used
  on the rows with off-diagonal entries only; the other rows (solid cells, identity rows) get their exact values
  b_i/a_ii before the first iteration, so the initial residual, the reference of the relative tolerance, is b minus
  those rows (equal to ||b|| when b vanishes there, as for pressure-Poisson problems).

  Breakdown of the network (user) direction (q'Aq <= 0, q numerically in the span of the window, or a non-finite value)
  drops it for that step (with the safeguard) or replaces it by the residual direction (without: A-orthogonalized against
  the window, and if that fails too, alone with the window restarted); it is reported with PetscInfo() (-info), counted
  (KSPView(), KSPDCDMGetBreakdownCount()), and when nothing usable is left the solve stops with
  KSP_DIVERGED_INDEFINITE_MAT or KSP_DIVERGED_BREAKDOWN. Without the safeguard the progress guard also stops the solve
  (KSP_DIVERGED_BREAKDOWN) after -ksp_dcdm_guard_max useless directions in a row; KSPView() says so.

  Equivalent up to the recomputed residual, for the paper's step: -ksp_type fcg -ksp_fcg_mmax 2
  -ksp_fcg_truncation_type standard, with -pc_type dcdm (PCDCDM) for the network direction.

  Level: intermediate

.seealso: KSPCreate(), KSPSetType(), KSPDCDMSetWindow(), KSPDCDMSetDirection(), KSPDCDMSetApply(), KSPDCDMSetModel(), KSPDCDMSetSafeguard(),
          KSPDCDMSetGuard(), KSPDCDMSetCoarse(), PCDCDM, KSPFCG, KSPCG
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
  dcdm->safeguard     = PETSC_TRUE;
  dcdm->guard_rtol    = 0.25;
  dcdm->guard_max     = 5;
  dcdm->netoff_at     = -1;
  dcdm->coarse        = -1; /* automatic: see KSPDCDMCoarseSize() */
  dcdm->coarse_omega  = 2.0 / 3.0;
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
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetSafeguard_C", KSPDCDMSetSafeguard_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetGuard_C", KSPDCDMSetGuard_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetGuardCount_C", KSPDCDMGetGuardCount_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMSetCoarse_C", KSPDCDMSetCoarse_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)ksp, "KSPDCDMGetCoarseKSP_C", KSPDCDMGetCoarseKSP_DCDM));
  PetscFunctionReturn(0);
}

/* PINN type lagrangian, the diffusion f2(x, t, u) by a pointwise function (PINNLagrangianSetDiffusionFunction()):
   - f2 = nu as a function gives the loss and gradient of -pinn_lagrangian_nu nu (1e-14 relative), in both u_xx
     modes, while the function's PINN has -pinn_lagrangian_nu 0 (the nu = 0 shortcut, ru = u_t, must not be taken)
     or 0.37 (ignored);
   - f2 = NU (1 + B sin x)(1 + u^2)(1 + T t), depending on x, t and u, with the speed f1 = u + 0.6 sin x also by a
     function: the gradient of term ru alone against central differences of the loss in entries of both networks
     (1e-6 relative to the largest entry), in both u_xx modes, so df2/dx and df2/du reach networks "x" and "u"; loss
     and gradient on COMM_WORLD against a COMM_SELF PINN holding every point (1e-12 relative), so 1, 2 and 3 ranks
     give the same;
   - the residual of term ru (PINNTermResidual(), exact u_xx) on the known map x = X + A t sin X,
     u = sin X + t cos 2X against u_t - f2(x, t, u) u_xx with u_xx by central differences of the Eulerian u(x, t)
     (1e-5 relative), and its derivatives dr/dq, u and N_x included, against differences of the residual (1e-7);
   - a negative f2 and a NaN f2 during the loss: one collective error (PETSC_ERR_FP), the same message on every rank
     and as on one rank with all points, naming the diffusion function, the iteration, the label and the bad f2; a
     direct PINNTermResidual() with a negative f2 errors on the spot.
   The figure is the worst ratio of deviation to tolerance (Inf if an error check fails). */
#include <nnpde.h>
#include "record_error.h"
#include <string.h>
#include "check_helpers.h"
#include "lagrangian_problem.h"

static const PetscReal NU = 0.1, B = 0.5, T = 0.3, A = 0.4;

typedef enum {
  DIFF_CONSTANT, /* f2 = NU */
  DIFF_VARIABLE, /* f2 = NU (1 + B sin x)(1 + u^2)(1 + T t) */
  DIFF_NEGATIVE, /* NU, but -0.01 where x > 5 */
  DIFF_NAN       /* NU, but NaN where x > 5 */
} DiffusionKind;

static PetscErrorCode Diffusion(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal fx[], PetscReal fu[])
{
  const DiffusionKind kind = *(DiffusionKind *)ctx;

  for (PetscInt p = 0; p < n; p++) {
    const PetscReal x = xt[2 * p], t = xt[2 * p + 1], w = u[p];
    f[p] = NU, fx[p] = 0, fu[p] = 0;
    if (kind == DIFF_VARIABLE) {
      const PetscReal a = 1 + B * PetscSinReal(x), b = 1 + w * w, c = 1 + T * t;
      f[p]  = NU * a * b * c;
      fx[p] = NU * B * PetscCosReal(x) * b * c;
      fu[p] = NU * a * 2 * w * c;
    } else if (kind == DIFF_NEGATIVE && x > 5)
      f[p] = -0.01;
    else if (kind == DIFF_NAN && x > 5)
      f[p] = (PetscReal)NAN;
  }
  return 0;
}

static DiffusionKind kinds[4] = {DIFF_CONSTANT, DIFF_VARIABLE, DIFF_NEGATIVE, DIFF_NAN};

/* f1 = u + 0.6 sin x, so that both callbacks run in one pass */
static PetscErrorCode Speed(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal fx[], PetscReal fu[])
{
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) f[p] = u[p] + 0.6 * PetscSinReal(xt[2 * p]), fx[p] = 0.6 * PetscCosReal(xt[2 * p]), fu[p] = 1;
  return 0;
}

/* The test problem (f1 = u, or the speed function above) with -pinn_lagrangian_nu nu and, unless kind < 0, the
   diffusion function of that kind */
static PetscErrorCode Create(MPI_Comm comm, PINNLagrangianUxx mode, const char nu[], PetscInt kind, PetscBool speed, PINN *pinn)
{
  PetscFunctionBegin;
  PetscCall(LagrangianProblemCreate(comm, pinn));
  if (kind >= 0) PetscCall(PINNLagrangianSetDiffusionFunction(*pinn, Diffusion, &kinds[kind]));
  if (speed) PetscCall(PINNLagrangianSetSpeedFunction(*pinn, Speed, NULL));
  PetscCall(PINNLagrangianSetUxx(*pinn, mode));
  PetscCall(PINNSetNumPoints(*pinn, 200, 0, 40));
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_lagrangian_nu", nu));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_lagrangian_nu"));
  PetscCall(PINNSetUp(*pinn));
  PetscFunctionReturn(0);
}

/* Parameters with J = 1 + N_x,X > 0 and O(1) outputs */
static PetscErrorCode Theta(PINN pinn, Vec *X)
{
  Vec          theta;
  PetscInt     lo, hi;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(PINNGetParameters(pinn, &theta));
  PetscCall(VecDuplicate(theta, X));
  PetscCall(VecCopy(theta, *X));
  PetscCall(VecGetOwnershipRange(*X, &lo, &hi));
  PetscCall(VecGetArray(*X, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = 0.3 * a[i - lo] + 0.02 * PetscSinReal(1.7 * i);
  PetscCall(VecRestoreArray(*X, &a));
  PetscFunctionReturn(0);
}

/* f2 = NU as a function (-pinn_lagrangian_nu nuf, ignored) vs -pinn_lagrangian_nu NU */
static PetscErrorCode CheckConstant(MPI_Comm comm, PINNLagrangianUxx mode, const char nuf[], PetscReal *worst)
{
  PINN      a, b;
  Vec       X, ga, gb;
  PetscReal fa, fb, gmax, dev;
  char      what[128];

  PetscFunctionBegin;
  PetscCall(Create(comm, mode, "0.1", -1, PETSC_FALSE, &a));
  PetscCall(Create(comm, mode, nuf, DIFF_CONSTANT, PETSC_FALSE, &b));
  PetscCall(Theta(a, &X));
  PetscCall(VecDuplicate(X, &ga));
  PetscCall(VecDuplicate(X, &gb));
  PetscCall(PINNComputeObjectiveGradient(a, X, &fa, ga));
  PetscCall(PINNComputeObjectiveGradient(b, X, &fb, gb));
  PetscCall(VecNorm(ga, NORM_INFINITY, &gmax));
  PetscCall(VecAXPY(gb, -1.0, ga));
  PetscCall(VecNorm(gb, NORM_INFINITY, &dev));
  PetscCall(PetscSNPrintf(what, sizeof(what), "u_xx %s: f2 = 0.1 function (nu %s) vs nu 0.1, loss (relative)", PINNLagrangianUxxs[mode], nuf));
  PetscCall(Report(comm, what, PetscAbsReal(fa - fb) / fa, 1e-14, worst));
  PetscCall(PetscSNPrintf(what, sizeof(what), "u_xx %s: f2 = 0.1 function (nu %s) vs nu 0.1, gradient (relative)", PINNLagrangianUxxs[mode], nuf));
  PetscCall(Report(comm, what, dev / gmax, 1e-14, worst));
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&ga));
  PetscCall(VecDestroy(&gb));
  PetscCall(PINNDestroy(&a));
  PetscCall(PINNDestroy(&b));
  PetscFunctionReturn(0);
}

/* The x-, t- and u-dependent f2: term ru's gradient vs central differences, then the whole loss and gradient vs
   one rank holding every point */
static PetscErrorCode CheckVariable(MPI_Comm comm, PINNLagrangianUxx mode, PetscReal *worst)
{
  PINN      par, ser;
  Vec       X, g, gru, Xs, gs, gall;
  PetscReal f, fs, fru, gmax, grumax, dev, err = 0;
  PetscInt  P, nterms, iu, ix;
  char      what[128];

  PetscFunctionBegin;
  PetscCall(Create(comm, mode, "0", DIFF_VARIABLE, PETSC_TRUE, &par));
  PetscCall(Create(PETSC_COMM_SELF, mode, "0", DIFF_VARIABLE, PETSC_TRUE, &ser));
  PetscCall(PINNGetNetworkIndex(par, "u", &iu));
  PetscCall(PINNGetNetworkIndex(par, "x", &ix));
  PetscCheck(iu == 0 && ix == 1, comm, PETSC_ERR_PLIB, "network indices u %" PetscInt_FMT ", x %" PetscInt_FMT, iu, ix);
  PetscCall(Theta(par, &X));
  PetscCall(VecDuplicate(X, &g));
  PetscCall(VecDuplicate(X, &gru));
  PetscCall(VecGetSize(X, &P));
  PetscCall(PINNComputeObjectiveGradient(par, X, &f, g));
  PetscCall(VecNorm(g, NORM_INFINITY, &gmax));
  {
    const PetscReal *losses;
    PetscCall(PINNGetTermLosses(par, NULL, &losses));
    PetscCall(PetscPrintf(comm, "u_xx %s, variable f2 and f1: loss %.6e (rx %.6e, ru %.6e, x0 %.6e, u0 %.6e)\n", PINNLagrangianUxxs[mode], (double)f,
                          (double)losses[0], (double)losses[1], (double)losses[2], (double)losses[3]));
  }
  /* term ru alone */
  PetscCall(PINNGetNumTerms(par, &nterms));
  for (PetscInt t = 0; t < nterms; t++) {
    const char *name;
    PetscBool   isru;
    PetscCall(PINNGetTermName(par, t, &name));
    PetscCall(PetscStrcmp(name, "ru", &isru));
    PetscCall(PINNSetTermWeight(par, t, isru ? 1.0 : 0.0));
  }
  PetscCall(PINNComputeObjectiveGradient(par, X, &fru, gru));
  PetscCall(VecNorm(gru, NORM_INFINITY, &grumax));
  {
    const PetscInt  idx[8] = {0, 9, 100, 160, 161, 200, P - 40, P - 1}; /* u: the first 161 entries; x: the rest */
    const PetscReal h      = 1e-5;
    PetscCall(CentralDifferenceDeviation(par, X, gru, grumax, 8, idx, h, &err));
  }
  PetscCall(PetscSNPrintf(what, sizeof(what), "u_xx %s, variable f2: term ru, gradient vs central differences", PINNLagrangianUxxs[mode]));
  PetscCall(Report(comm, what, err, 1e-6, worst));
  /* the whole loss vs one rank with every point */
  PetscCall(GatherAll(X, &Xs));
  PetscCall(VecDuplicate(Xs, &gs));
  PetscCall(PINNComputeObjectiveGradient(ser, Xs, &fs, gs));
  PetscCall(GatherAll(g, &gall));
  PetscCall(VecAXPY(gall, -1.0, gs));
  PetscCall(VecNorm(gall, NORM_INFINITY, &dev));
  PetscCall(PetscSNPrintf(what, sizeof(what), "u_xx %s, variable f2: loss vs one rank with all points", PINNLagrangianUxxs[mode]));
  PetscCall(Report(comm, what, PetscAbsReal(f - fs) / fs, 1e-12, worst));
  PetscCall(PetscSNPrintf(what, sizeof(what), "u_xx %s, variable f2: gradient vs one rank with all points", PINNLagrangianUxxs[mode]));
  PetscCall(Report(comm, what, dev / gmax, 1e-12, worst));
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&gru));
  PetscCall(VecDestroy(&Xs));
  PetscCall(VecDestroy(&gs));
  PetscCall(VecDestroy(&gall));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

/* The known map x = X + A t sin X, u = sin X + t cos 2X: the Eulerian u(x, t) by Newton on X */
static PetscReal EulerianU(PetscReal x, PetscReal t)
{
  PetscReal X = x;
  for (PetscInt it = 0; it < 60; it++) X -= (X + A * t * PetscSinReal(X) - x) / (1 + A * t * PetscCosReal(X));
  return PetscSinReal(X) + t * PetscCosReal(2 * X);
}

static PetscErrorCode TermIndex(PINN pinn, const char want[], PetscInt *term)
{
  PetscInt nterms;

  PetscFunctionBegin;
  *term = -1;
  PetscCall(PINNGetNumTerms(pinn, &nterms));
  for (PetscInt t = 0; t < nterms; t++) {
    const char *name;
    PetscBool   same;
    PetscCall(PINNGetTermName(pinn, t, &name));
    PetscCall(PetscStrcmp(name, want, &same));
    if (same) *term = t;
  }
  PetscCheck(*term >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_PLIB, "no term %s", want);
  PetscFunctionReturn(0);
}

/* Term ru's residual on the known map (exact u_xx, variable f2), its derivatives, and a negative f2 on the spot */
static PetscErrorCode CheckKnownMap(MPI_Comm comm, PetscReal *worst)
{
  PINN            pinn, neg;
  PetscInt        ru;
  const PetscInt  n = 7, nq = 7;
  PetscReal       x[14], q[49], r[7], dr[49], err = 0, derr = 0, scale = 0;
  const PetscReal h = 1e-3;

  PetscFunctionBegin;
  PetscCall(Create(comm, PINN_LAGRANGIAN_UXX_EXACT, "0", DIFF_VARIABLE, PETSC_FALSE, &pinn));
  PetscCall(TermIndex(pinn, "ru", &ru));
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal X = 0.3 + 0.9 * p, t = 0.1 + 0.13 * p, s = PetscSinReal(X), c = PetscCosReal(X);
    x[2 * p]      = X;
    x[2 * p + 1]  = t;
    q[nq * p]     = PetscCosReal(2 * X);              /* u_t at fixed X */
    q[nq * p + 1] = c - 2 * t * PetscSinReal(2 * X);  /* u_X */
    q[nq * p + 2] = -s - 4 * t * PetscCosReal(2 * X); /* u_XX */
    q[nq * p + 3] = A * t * c;                        /* N_x,X of N_x = A t sin X */
    q[nq * p + 4] = -A * t * s;                       /* N_x,XX */
    q[nq * p + 5] = s + t * PetscCosReal(2 * X);      /* u */
    q[nq * p + 6] = A * t * s;                        /* N_x */
  }
  PetscCall(PINNTermResidual(pinn, ru, n, x, NULL, q, r, dr));
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal X = x[2 * p], t = x[2 * p + 1], xe = X + A * t * PetscSinReal(X), w = q[nq * p + 5];
    const PetscReal uxx = (EulerianU(xe + h, t) - 2 * EulerianU(xe, t) + EulerianU(xe - h, t)) / (h * h);
    const PetscReal f2  = NU * (1 + B * PetscSinReal(xe)) * (1 + w * w) * (1 + T * t);
    err                 = PetscMax(err, PetscAbsReal(q[nq * p] - f2 * uxx - r[p]));
    scale               = PetscMax(scale, PetscAbsReal(f2 * uxx));
  }
  PetscCall(Report(comm, "known map: ru = u_t - f2(x, t, u) u_xx vs differences (relative)", err / scale, 1e-5, worst));
  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt k = 0; k < nq; k++) {
      PetscReal       qp[7], rp, rm, dd[7];
      const PetscReal e = 1e-6;
      PetscCall(PetscArraycpy(qp, q + nq * p, nq));
      qp[k] += e;
      PetscCall(PINNTermResidual(pinn, ru, 1, x + 2 * p, NULL, qp, &rp, dd));
      qp[k] -= 2 * e;
      PetscCall(PINNTermResidual(pinn, ru, 1, x + 2 * p, NULL, qp, &rm, dd));
      derr = PetscMax(derr, PetscAbsReal((rp - rm) / (2 * e) - dr[nq * p + k]) / PetscMax(1, PetscAbsReal(dr[nq * p + k])));
    }
  }
  PetscCall(Report(comm, "known map: dr/dq (u and N_x included) vs differences of the residual", derr, 1e-7, worst));
  /* a negative f2 (x > 5) in a direct residual: an error on the spot */
  PetscCall(Create(comm, PINN_LAGRANGIAN_UXX_EXACT, "0", DIFF_NEGATIVE, PETSC_FALSE, &neg));
  {
    PetscErrorCode ierr;
    PetscReal      xb[2] = {5.5, 0.2}, qb[7] = {0, 1, 0, 0, 0, 0.5, 0}, rb, db[7];
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = PINNTermResidual(neg, ru, 1, xb, NULL, qb, &rb, db);
    PetscCall(PetscPopErrorHandler());
    PetscCall(PetscPrintf(comm, "negative f2 in a direct residual: error %d (PETSC_ERR_FP %d): %s\n", (int)ierr, (int)PETSC_ERR_FP,
                          ierr == PETSC_ERR_FP ? "yes" : "NO"));
    if (ierr != PETSC_ERR_FP) *worst = PETSC_INFINITY;
  }
  PetscCall(PINNDestroy(&neg));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode LossError(PINN pinn, Vec X, PetscErrorCode *ierr)
{
  PetscReal f;

  PetscFunctionBegin;
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  *ierr = PINNComputeObjectiveGradient(pinn, X, &f, NULL);
  PetscCall(PetscPopErrorHandler());
  PetscFunctionReturn(0);
}

/* A negative or NaN f2 during the loss: one collective error, the same message on every rank and as on one rank
   with all points, naming the function, the iteration, the label and the bad value */
static PetscErrorCode CheckBad(MPI_Comm comm, PINNLagrangianUxx mode, DiffusionKind kind, const char value[], PetscReal *worst)
{
  PINN           par, ser;
  Vec            X, Xs;
  PetscErrorCode ierr, serr;
  PetscInt       ok;
  char           mine[sizeof(message)], root[sizeof(message)];

  PetscFunctionBegin;
  PetscCall(Create(comm, mode, "0.1", kind, PETSC_FALSE, &par));
  PetscCall(Create(PETSC_COMM_SELF, mode, "0.1", kind, PETSC_FALSE, &ser));
  PetscCall(Theta(par, &X));
  PetscCall(GatherAll(X, &Xs));
  PetscCall(LossError(par, X, &ierr));
  PetscCall(PetscStrncpy(mine, message, sizeof(mine)));
  PetscCall(LossError(ser, Xs, &serr));
  PetscCall(PetscStrncpy(root, mine, sizeof(root)));
  PetscCallMPI(MPI_Bcast(root, sizeof(root), MPI_CHAR, 0, comm));
  ok = ierr == PETSC_ERR_FP && serr == PETSC_ERR_FP && !strcmp(root, mine) && !strcmp(mine, message) && strstr(mine, "iteration 0") &&
       strstr(mine, "the diffusion function (PINNLagrangianSetDiffusionFunction()) gave a negative or NaN/Inf f2") && strstr(mine, "label X = ") &&
       strstr(mine, ", t = ") && strstr(mine, value);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscPrintf(comm,
                        "u_xx %s, f2 with %s: error %d, the same message everywhere, naming function, iteration, label, t and \"%s\": %s\n  %s\n",
                        PINNLagrangianUxxs[mode], kind == DIFF_NAN ? "NaN" : "negative values", (int)ierr, value, ok ? "yes" : "NO", mine));
  if (!ok) *worst = PETSC_INFINITY;
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&Xs));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  PetscReal worst = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  for (PetscInt m = 0; m < 2; m++) {
    PetscCall(CheckConstant(comm, (PINNLagrangianUxx)m, "0", &worst));
    PetscCall(CheckConstant(comm, (PINNLagrangianUxx)m, "0.37", &worst));
  }
  for (PetscInt m = 0; m < 2; m++) PetscCall(CheckVariable(comm, (PINNLagrangianUxx)m, &worst));
  PetscCall(CheckKnownMap(comm, &worst));
  PetscCall(CheckBad(comm, PINN_LAGRANGIAN_UXX_EXACT, DIFF_NEGATIVE, "f2 = -0.01", &worst));
  PetscCall(CheckBad(comm, PINN_LAGRANGIAN_UXX_LABEL, DIFF_NAN, "f2 = nan", &worst));
  PetscCall(PetscPrintf(comm, "worst ratio of deviation to tolerance %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return worst < 1 ? 0 : 1;
}

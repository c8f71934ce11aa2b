/* PINN type lagrangian (issue 11), in the u_xx modes (exact, label, scaled), with f1 = u (Burgers: rx couples both
   networks) and nu = 0.1. Checked, each against its tolerance (the figure is the worst ratio of
   deviation to tolerance):
   - the gradient at an explicit theta against central differences of the loss, in entries of both
     networks (1e-6 relative to the largest gradient entry);
   - the same for the released code's loss of 2-norms (-pinn_lagrangian_loss norm), term by term and all
     terms at once, with f1 = u (two passes) and f1 = c, label u_xx (one pass, the terms' gradients apart);
   - loss and gradient on COMM_WORLD against a COMM_SELF PINN holding every point (1e-12 relative);
   - the exact-mode residual of term "ru" (PINNTermResidual()) on the known map x = X + a t sin X,
     u = sin X + t cos 2X against u_t - nu u_xx with u_xx by central differences of the Eulerian
     u(x, t) (1e-6 relative), and its derivatives dr/dq against differences of the residual;
   - a checkpoint restores both networks: the loss after a perturbation and the read is the one before
     (1e-14 relative);
   - J = x_X <= 0 is an error naming the label; a 2-D geometry and a missing u0 are errors naming the type. */
#include <nnpde.h>
#include "check_helpers.h"

static const PetscReal A = 0.4, NU = 0.1;

static PetscErrorCode InitialSin(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) v[p] = PetscSinReal(x[p * dim]) + 0.5;
  return 0;
}

static PetscErrorCode Create(MPI_Comm comm, PINNLagrangianUxx mode, PINNLagrangianF1 f1, PetscInt dim, PetscBool withu0, PINN *pinn)
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {2 * PETSC_PI, 2 * PETSC_PI};
  const PetscInt  widths[2] = {10, 10}, periodic = 0;
  const char     *names[2] = {"u", "x"};
  PINNGeometry    space, st;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(comm, dim - 1, lo, hi, &space));
  PetscCall(PINNGeometryCreateSpaceTime(space, 0, 1, &st));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, st));
  PetscCall(PINNGeometryDestroy(&space));
  PetscCall(PINNGeometryDestroy(&st));
  PetscCall(PINNSetType(*pinn, PINNLAGRANGIAN));
  if (dim == 2) {
    for (PetscInt k = 0; k < 2; k++) { /* small networks, made here */
      NN nn;
      PetscCall(NNCreate(comm, &nn));
      PetscCall(NNSetSizes(nn, 2, 1));
      PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
      PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
      PetscCall(NNSetSeed(nn, 5 + k));
      PetscCall(PINNSetNetwork(*pinn, names[k], nn));
      PetscCall(NNDestroy(&nn));
    }
  }
  if (withu0) PetscCall(PINNLagrangianSetInitialCondition(*pinn, InitialSin, NULL));
  PetscCall(PINNLagrangianSetSpeed(*pinn, f1, 2.5, NU));
  PetscCall(PINNLagrangianSetUxx(*pinn, mode));
  PetscCall(PINNSetNumPoints(*pinn, 200, 0, 40));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscFunctionReturn(0);
}

/* The known map: x = X + A t sin X, u = sin X + t cos 2X; the Eulerian u(x, t) by Newton on X */
static PetscReal EulerianU(PetscReal x, PetscReal t)
{
  PetscReal X = x;
  for (PetscInt it = 0; it < 60; it++) X -= (X + A * t * PetscSinReal(X) - x) / (1 + A * t * PetscCosReal(X));
  return PetscSinReal(X) + t * PetscCosReal(2 * X);
}

/* Loss/gradient checks of one mode; the worst ratio goes into *worst */
static PetscErrorCode CheckMode(MPI_Comm comm, PINNLagrangianUxx mode, PINNLagrangianLoss loss, PINNLagrangianF1 f1, PetscReal *worst)
{
  PINN        par, ser;
  Vec         theta, X, g, gs, gall, Xs;
  PetscReal   f, fs, dev, gmax;
  PetscInt    P, iu, ix;
  PetscMPIInt size;
  char        what[128], file[64], tag[32];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(tag, sizeof(tag), "%s/%s/f1=%s", PINNLagrangianUxxs[mode], PINNLagrangianLosses[loss], PINNLagrangianF1s[f1]));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(Create(comm, mode, f1, 2, PETSC_TRUE, &par));
  PetscCall(Create(PETSC_COMM_SELF, mode, f1, 2, PETSC_TRUE, &ser));
  PetscCall(PINNLagrangianSetLoss(par, loss));
  PetscCall(PINNLagrangianSetLoss(ser, loss));
  PetscCall(PINNGetParameters(par, &theta));
  PetscCall(VecGetSize(theta, &P));
  PetscCall(PINNGetNetworkIndex(par, "u", &iu));
  PetscCall(PINNGetNetworkIndex(par, "x", &ix));
  PetscCheck(iu == 0 && ix == 1, comm, PETSC_ERR_PLIB, "network indices u %" PetscInt_FMT ", x %" PetscInt_FMT, iu, ix);
  PetscCall(VecDuplicate(theta, &X));
  PetscCall(VecDuplicate(theta, &g));
  PetscCall(VecCopy(theta, X));
  {
    PetscInt     lo, hi;
    PetscScalar *a;
    PetscCall(VecGetOwnershipRange(X, &lo, &hi));
    PetscCall(VecGetArray(X, &a));
    for (PetscInt i = lo; i < hi; i++) a[i - lo] = 0.3 * a[i - lo] + 0.02 * PetscSinReal(1.7 * i); /* keeps J = 1 + N_x,X > 0 */
    PetscCall(VecRestoreArray(X, &a));
  }
  PetscCall(PINNComputeObjectiveGradient(par, X, &f, g));
  PetscCall(VecNorm(g, NORM_INFINITY, &gmax));
  {
    const PetscReal *losses;
    PetscCall(PINNGetTermLosses(par, NULL, &losses));
    PetscCall(PetscPrintf(comm, "%s: %" PetscInt_FMT " parameters, loss %.6e (rx %.6e, ru %.6e, x0 %.6e, u0 %.6e)\n", tag, P, (double)f,
                          (double)losses[0], (double)losses[1], (double)losses[2], (double)losses[3]));
  }
  /* gradient vs central differences, one term at a time (the others weighted 0), so each term's gradient is seen */
  for (PetscInt term = 0; term < 4; term++) {
    const PetscInt  idx[6] = {0, 9, P / 2, 200, P - 40, P - 1}; /* u: the first 161 entries; x: the rest */
    const PetscReal h      = 1e-5;
    const char     *tname;
    Vec             gt;
    PetscReal       err = 0, ft, gtmax;
    for (PetscInt t = 0; t < 4; t++) PetscCall(PINNSetTermWeight(par, t, t == term ? 1.0 : 0.0));
    PetscCall(PINNGetTermName(par, term, &tname));
    PetscCall(VecDuplicate(X, &gt));
    PetscCall(PINNComputeObjectiveGradient(par, X, &ft, gt));
    PetscCall(VecNorm(gt, NORM_INFINITY, &gtmax));
    PetscCall(CentralDifferenceDeviation(par, X, gt, gtmax, 6, idx, h, &err));
    PetscCall(VecDestroy(&gt));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: term %s, gradient vs central differences (relative)", tag, tname));
    PetscCall(Report(comm, what, err, 1e-6, worst));
  }
  PetscCall(PINNLagrangianSetWeights(par, 10, 1, 1000));
  if (loss == PINN_LAGRANGIAN_LOSS_NORM) { /* all terms at once: the 2-norms' gradient weights gamma_t / (2 ||r_t||) together */
    const PetscInt idx[6] = {1, 17, P / 3, 150, P - 25, P - 2};
    Vec            ga;
    PetscReal      err = 0, fa, gamax;
    PetscCall(VecDuplicate(X, &ga));
    PetscCall(PINNComputeObjectiveGradient(par, X, &fa, ga));
    PetscCall(VecNorm(ga, NORM_INFINITY, &gamax));
    PetscCall(CentralDifferenceDeviation(par, X, ga, gamax, 6, idx, 1e-5, &err));
    PetscCall(VecDestroy(&ga));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: all terms, gradient vs central differences (relative)", tag));
    PetscCall(Report(comm, what, err, 1e-6, worst));
  }
  PetscCall(GatherAll(X, &Xs));
  PetscCall(VecDuplicate(Xs, &gs));
  PetscCall(PINNComputeObjectiveGradient(ser, Xs, &fs, gs));
  PetscCall(GatherAll(g, &gall));
  PetscCall(VecAXPY(gall, -1.0, gs));
  PetscCall(VecNorm(gall, NORM_INFINITY, &dev));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: loss vs one rank with all points (relative)", tag));
  PetscCall(Report(comm, what, PetscAbsReal(f - fs) / fs, 1e-12, worst));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: gradient vs one rank with all points (relative)", tag));
  PetscCall(Report(comm, what, dev / gmax, 1e-12, worst));

  /* label, constant nu: ru = u_t - nu u_XX as one jet stream (the default, which the checks above ran) against u_t
     and u_XX apart */
  if (mode == PINN_LAGRANGIAN_UXX_LABEL) {
    PINN        sep;
    Vec         gp;
    PetscReal   fp, gdev;
    PetscViewer sv;
    char        view[8192] = "", vfile[64], *found = NULL;
    PetscMPIInt rank;
    int         inuse = 0;
    PetscCall(PetscSNPrintf(vfile, sizeof(vfile), "test_pinn_lagrangian_view_np%d.txt", size));
    PetscCall(PetscViewerASCIIOpen(comm, vfile, &sv));
    PetscCall(PINNView(par, sv));
    PetscCall(PetscViewerDestroy(&sv));
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (!rank) { /* the file is rank 0's */
      FILE  *fp = fopen(vfile, "r");
      size_t nread;
      PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot read %s", vfile);
      nread       = fread(view, 1, sizeof(view) - 1, fp);
      view[nread] = 0;
      fclose(fp);
      PetscCall(PetscStrstr(view, "ru = u_t - nu u_XX as one jet stream of u", &found));
      inuse = found != NULL;
    }
    PetscCallMPI(MPI_Bcast(&inuse, 1, MPI_INT, 0, comm));
    PetscCheck(inuse, comm, PETSC_ERR_PLIB, "%s: the operator stream is not in use (PINNView: %s)", tag, vfile);
    PetscCall(Create(comm, mode, f1, 2, PETSC_TRUE, &sep));
    PetscCall(PINNLagrangianSetLoss(sep, loss));
    PetscCall(PINNLagrangianSetOperatorStream(sep, PETSC_FALSE));
    PetscCall(VecDuplicate(X, &gp));
    PetscCall(PINNComputeObjectiveGradient(sep, X, &fp, gp));
    PetscCall(VecAXPY(gp, -1.0, g));
    PetscCall(VecNorm(gp, NORM_INFINITY, &gdev));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: loss, one operator stream vs u_t and u_XX apart (relative)", tag));
    PetscCall(Report(comm, what, PetscAbsReal(fp - f) / f, 1e-12, worst));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: gradient, one operator stream vs u_t and u_XX apart (relative)", tag));
    PetscCall(Report(comm, what, gdev / gmax, 1e-12, worst));
    PetscCall(VecDestroy(&gp));
    PetscCall(PINNDestroy(&sep));
  }

  /* checkpoint: both networks by name, read into the same PINN after a perturbation */
  {
    PetscReal f1, f2;
    PetscCall(VecCopy(X, theta));
    PetscCall(PINNComputeLoss(par, &f1, NULL));
    PetscCall(PetscSNPrintf(file, sizeof(file), "test_pinn_lagrangian_%s_%s_np%d.h5", PINNLagrangianUxxs[mode], PINNLagrangianLosses[loss], size));
    PetscCall(PINNWriteCheckpoint(par, file));
    PetscCall(VecScale(theta, 0.5));
    PetscCall(PINNComputeLoss(par, &f2, NULL));
    PetscCheck(f2 != f1, comm, PETSC_ERR_PLIB, "the perturbation did not change the loss");
    PetscCall(PINNReadCheckpoint(par, file));
    PetscCall(PINNComputeLoss(par, &f2, NULL));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: loss after checkpoint read vs before (relative)", tag));
    PetscCall(Report(comm, what, PetscAbsReal(f2 - f1) / f1, 1e-14, worst));
  }
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&gs));
  PetscCall(VecDestroy(&gall));
  PetscCall(VecDestroy(&Xs));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

/* The exact-mode u_xx on the known map (scaled: the residual is J^3 (u_t - nu u_xx)), and the J <= 0 error */
static PetscErrorCode CheckUxx(MPI_Comm comm, PINNLagrangianUxx mode, PetscReal *worst)
{
  PINN            pinn;
  PetscInt        ru = -1, nterms;
  const PetscInt  n  = 7;
  PetscReal       x[14], q[35], r[7], dr[35], err = 0, derr = 0, scale = 0;
  const PetscReal h = 1e-3;

  PetscFunctionBegin;
  PetscCall(Create(comm, mode, PINN_LAGRANGIAN_F1_U, 2, PETSC_TRUE, &pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNGetNumTerms(pinn, &nterms));
  for (PetscInt t = 0; t < nterms; t++) {
    const char *name;
    PetscBool   same;
    PetscCall(PINNGetTermName(pinn, t, &name));
    PetscCall(PetscStrcmp(name, "ru", &same));
    if (same) ru = t;
  }
  PetscCheck(ru >= 0, comm, PETSC_ERR_PLIB, "no term ru");
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal X = 0.3 + 0.9 * p, t = 0.1 + 0.13 * p, s = PetscSinReal(X), c = PetscCosReal(X);
    x[2 * p]     = X;
    x[2 * p + 1] = t;
    /* u_t (at fixed X), u_X, u_XX, N_x,X, N_x,XX of N_x = A t sin X */
    q[5 * p]     = PetscCosReal(2 * X);
    q[5 * p + 1] = c - 2 * t * PetscSinReal(2 * X);
    q[5 * p + 2] = -s - 4 * t * PetscCosReal(2 * X);
    q[5 * p + 3] = A * t * c;
    q[5 * p + 4] = -A * t * s;
  }
  PetscCall(PINNTermResidual(pinn, ru, n, x, NULL, q, r, dr));
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal X = x[2 * p], t = x[2 * p + 1], xe = X + A * t * PetscSinReal(X);
    const PetscReal uxx = (EulerianU(xe + h, t) - 2 * EulerianU(xe, t) + EulerianU(xe - h, t)) / (h * h);
    const PetscReal J = 1 + q[5 * p + 3], rp = mode == PINN_LAGRANGIAN_UXX_SCALED ? r[p] / (J * J * J) : r[p];
    err   = PetscMax(err, PetscAbsReal((q[5 * p] - rp) / NU - uxx)); /* r = u_t - nu u_xx */
    scale = PetscMax(scale, PetscAbsReal(uxx));
  }
  PetscCall(Report(comm,
                   mode == PINN_LAGRANGIAN_UXX_SCALED ? "scaled u_xx (r / J^3) vs differences of the Eulerian u (relative)"
                                                      : "exact u_xx vs differences of the Eulerian u (relative)",
                   err / scale, 1e-5, worst));
  derr = 0;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal r0, d0[5];
    PetscCall(PINNTermResidual(pinn, ru, 1, x + 2 * p, NULL, q + 5 * p, &r0, d0));
    for (PetscInt k = 0; k < 5; k++) {
      PetscReal       qp[5], rp, rm, dd[5];
      const PetscReal e = 1e-6;
      PetscCall(PetscArraycpy(qp, q + 5 * p, 5));
      qp[k] += e;
      PetscCall(PINNTermResidual(pinn, ru, 1, x + 2 * p, NULL, qp, &rp, dd));
      qp[k] -= 2 * e;
      PetscCall(PINNTermResidual(pinn, ru, 1, x + 2 * p, NULL, qp, &rm, dd));
      derr = PetscMax(derr, PetscAbsReal((rp - rm) / (2 * e) - d0[k]) / PetscMax(1, PetscAbsReal(d0[k])));
    }
  }
  PetscCall(Report(comm,
                   mode == PINN_LAGRANGIAN_UXX_SCALED ? "scaled u_xx: dr/dq vs differences of the residual"
                                                      : "exact u_xx: dr/dq vs differences of the residual",
                   derr, 1e-7, worst));
  /* J = 1 + N_x,X <= 0: an error naming the label (exact); scaled: defined, J^3 u_t - nu (u_XX J - u_X J_X) */
  if (mode == PINN_LAGRANGIAN_UXX_SCALED) {
    PetscReal qb[5] = {0.7, 1, 0.3, -1.5, 0.2}, rb, db[5];
    PetscCall(PINNTermResidual(pinn, ru, 1, x, NULL, qb, &rb, db));
    PetscCall(
        Report(comm, "scaled u_xx at J = -0.5: r vs the formula", PetscAbsReal(rb - (-0.125 * 0.7 - NU * (0.3 * -0.5 - 1 * 0.2))), 1e-15, worst));
  } else {
    PetscErrorCode ierr;
    PetscReal      qb[5] = {0, 1, 0, -1.5, 0}, rb, db[5];
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = PINNTermResidual(pinn, ru, 1, x, NULL, qb, &rb, db);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(ierr == PETSC_ERR_FP, comm, PETSC_ERR_PLIB, "J <= 0 gave error %d, not PETSC_ERR_FP", (int)ierr);
    PetscCall(PetscPrintf(comm, "J = x_X <= 0: error %d (PETSC_ERR_FP) as expected\n", (int)ierr));
  }
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* Bad set-ups: each an error of the expected code at PINNSetUp() */
static PetscErrorCode CheckBadSetUp(MPI_Comm comm, PetscInt dim, PetscBool withu0, PetscErrorCode expect, const char what[])
{
  PINN           pinn;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(Create(comm, PINN_LAGRANGIAN_UXX_EXACT, PINN_LAGRANGIAN_F1_U, dim, withu0, &pinn));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PINNSetUp(pinn);
  PetscCall(PetscPopErrorHandler());
  PetscCheck(ierr == expect, comm, PETSC_ERR_PLIB, "%s gave error %d, expected %d", what, (int)ierr, (int)expect);
  PetscCall(PetscPrintf(comm, "%s: error %d as expected\n", what, (int)ierr));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  PetscReal worst = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCall(CheckMode(comm, PINN_LAGRANGIAN_UXX_EXACT, PINN_LAGRANGIAN_LOSS_MSE, PINN_LAGRANGIAN_F1_U, &worst));
  PetscCall(CheckMode(comm, PINN_LAGRANGIAN_UXX_LABEL, PINN_LAGRANGIAN_LOSS_MSE, PINN_LAGRANGIAN_F1_U, &worst));
  PetscCall(CheckMode(comm, PINN_LAGRANGIAN_UXX_EXACT, PINN_LAGRANGIAN_LOSS_NORM, PINN_LAGRANGIAN_F1_U, &worst));
  /* f1 = c with the label u_xx: each network serves one term per group, the 2-norms' gradient in one pass */
  PetscCall(CheckMode(comm, PINN_LAGRANGIAN_UXX_LABEL, PINN_LAGRANGIAN_LOSS_NORM, PINN_LAGRANGIAN_F1_C, &worst));
  PetscCall(CheckMode(comm, PINN_LAGRANGIAN_UXX_SCALED, PINN_LAGRANGIAN_LOSS_MSE, PINN_LAGRANGIAN_F1_U, &worst));
  PetscCall(CheckUxx(comm, PINN_LAGRANGIAN_UXX_EXACT, &worst));
  PetscCall(CheckUxx(comm, PINN_LAGRANGIAN_UXX_SCALED, &worst));
  PetscCall(CheckBadSetUp(comm, 3, PETSC_TRUE, PETSC_ERR_ARG_WRONG, "2-D space-time geometry"));
  PetscCall(CheckBadSetUp(comm, 2, PETSC_FALSE, PETSC_ERR_ARG_WRONGSTATE, "missing initial condition"));
  PetscCall(PetscPrintf(comm, "worst ratio of deviation to tolerance %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return worst < 1 ? 0 : 1;
}

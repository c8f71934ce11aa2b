/* PINN type lagrangian with the released code's weight sharing (-pinn_lagrangian_share_weights): networks
   "u" 4 x 8 and "x" 2 x 8 tanh (given by PINNSetNetwork()), f1 = u (rx couples both networks), nu = 0.1,
   the exact u_xx (which also takes N_x,X and N_x,XX through the shared layers). Checked:
   - the parameter count: u's linear layers 0, 1, 2 and output (32 + 72 + 72 + 9 = 185 with the embedding
     (cos X, sin X, t)), not the separate networks' 257 + 113; PINNView() reports it;
   - a hand-built computation: the separate networks (no sharing) with their parameters set to the shared
     copies (u: layers 0, 1, 2, 2, output; x: u's 0, 1, output) give the same loss, the same solution at
     Eulerian points (PINNEvaluate()), and a gradient whose sums over the copies are the shared gradient;
   - the gradient against central differences of the loss in entries of each shared layer (an error
     beyond 1e-6 relative to the largest entry fails the run);
   - loss and gradient on COMM_WORLD against a COMM_SELF PINN holding every point;
   - restart: 12 Adam steps (AMSGrad) in one run vs stopped at 7 with a checkpoint and resumed;
   - the default networks (5 x 50, 2 x 50) shared: 5351 parameters, and with a large initial u the set-up's
     scaling of x's output layer (which is u's) keeps the first loss defined (J = x_X > 0);
   - bad input: widths that differ, or "x" with 3 hidden layers, are errors at PINNSetUp() naming the options.
   The figure is the worst relative difference of the comparisons that must agree to round-off. */
#include <nnpde.h>
#include "record_error.h"
#include <string.h>
#include "check_helpers.h"

/* A line per comparison that must agree to round-off, and the worst so far (NaN or Inf: infinite) */
static PetscErrorCode Compare(MPI_Comm comm, const char what[], PetscReal dev, PetscReal *worst)
{
  PetscFunctionBegin;
  PetscCall(PetscPrintf(comm, "%-72s %.2e\n", what, (double)dev));
  *worst = PetscMax(*worst, PetscIsInfOrNanReal(dev) ? PETSC_INFINITY : dev);
  PetscFunctionReturn(0);
}

static PetscErrorCode InitialSin(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) v[p] = PetscSinReal(x[p * dim]) + 0.5;
  return 0;
}

/* Widths W; "u" with du hidden layers (the last one wlast wide), "x" with dx */
#define W 8
static PetscErrorCode Create(MPI_Comm comm, PetscBool share, PetscInt du, PetscInt dx, PetscInt wlast, PINN *pinn)
/* du = 0: the type's default networks */
{
  const PetscReal lo[1] = {0}, hi[1] = {2 * PETSC_PI};
  const PetscInt  periodic = 0, depth[2] = {du, dx};
  const char     *names[2] = {"u", "x"};
  PINNGeometry    space, st;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(comm, 1, lo, hi, &space));
  PetscCall(PINNGeometryCreateSpaceTime(space, 0, 1, &st));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, st));
  PetscCall(PINNGeometryDestroy(&space));
  PetscCall(PINNGeometryDestroy(&st));
  PetscCall(PINNSetType(*pinn, PINNLAGRANGIAN));
  for (PetscInt k = 0; k < 2 && du; k++) {
    PetscInt w[8];
    NN       nn;
    for (PetscInt l = 0; l < depth[k]; l++) w[l] = W;
    if (k == 0) w[du - 1] = wlast;
    PetscCall(NNCreate(comm, &nn));
    PetscCall(NNSetSizes(nn, 2, 1));
    PetscCall(NNMLPSetHiddenLayers(nn, depth[k], w));
    PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
    PetscCall(NNSetSeed(nn, 5 + k));
    PetscCall(PINNSetNetwork(*pinn, names[k], nn));
    PetscCall(NNDestroy(&nn));
  }
  PetscCall(PINNLagrangianSetInitialCondition(*pinn, InitialSin, NULL));
  PetscCall(PINNLagrangianSetSpeed(*pinn, PINN_LAGRANGIAN_F1_U, 0, 0.1));
  PetscCall(PINNLagrangianSetUxx(*pinn, PINN_LAGRANGIAN_UXX_EXACT));
  PetscCall(PINNSetNumPoints(*pinn, 200, 0, 40));
  PetscCall(PINNSetMonitor(*pinn, PETSC_FALSE, 1000, NULL));
  PetscCall(PINNLagrangianSetShareWeights(*pinn, share));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscFunctionReturn(0);
}

/* The layers of the shared parameter vector: u's linear layers 0, 1, 2 and output, in that order */
static const PetscInt L0 = W * 3 + W, L1 = W * W + W, L2 = W * W + W, LO = W + 1;

/* theta of the separate networks from the shared one (both replicated): u = 0, 1, 2, 2, out; x = 0, 1, out */
static void Expand(const PetscReal *s, PetscReal *full)
{
  const PetscReal *s0 = s, *s1 = s0 + L0, *s2 = s1 + L1, *so = s2 + L2;
  PetscReal       *f = full;
  PetscArraycpy(f, s0, L0), f += L0;
  PetscArraycpy(f, s1, L1), f += L1;
  PetscArraycpy(f, s2, L2), f += L2;
  PetscArraycpy(f, s2, L2), f += L2;
  PetscArraycpy(f, so, LO), f += LO;
  PetscArraycpy(f, s0, L0), f += L0;
  PetscArraycpy(f, s1, L1), f += L1;
  PetscArraycpy(f, so, LO);
}

/* The gradient in the shared entries: the separate networks' gradient summed over the copies */
static void Contract(const PetscReal *g, PetscReal *s)
{
  const PetscReal *u0 = g, *u1 = u0 + L0, *u2 = u1 + L1, *u3 = u2 + L2, *uo = u3 + L2, *x0 = uo + LO, *x1 = x0 + L0, *xo = x1 + L1;
  PetscReal       *s0 = s, *s1 = s0 + L0, *s2 = s1 + L1, *so = s2 + L2;
  for (PetscInt i = 0; i < L0; i++) s0[i] = u0[i] + x0[i];
  for (PetscInt i = 0; i < L1; i++) s1[i] = u1[i] + x1[i];
  for (PetscInt i = 0; i < L2; i++) s2[i] = u2[i] + u3[i];
  for (PetscInt i = 0; i < LO; i++) so[i] = uo[i] + xo[i];
}

static PetscErrorCode SetFromArray(Vec v, const PetscReal *a)
{
  PetscInt     lo, hi;
  PetscScalar *p;

  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(v, &lo, &hi));
  PetscCall(VecGetArrayWrite(v, &p));
  for (PetscInt i = lo; i < hi; i++) p[i - lo] = a[i];
  PetscCall(VecRestoreArrayWrite(v, &p));
  PetscFunctionReturn(0);
}

/* Loss, gradient and solution of the shared PINN against the hand-built separate one; FD; ranks */
static PetscErrorCode CheckShared(MPI_Comm comm, PetscReal *worst)
{
  PINN               sh, sep, ser;
  Vec                theta, X, g, gall, Xall, Xs, gs, Y, Xsep, gsep, gsepall;
  PetscReal          f, fsep, fs, gmax, dev, *full, *red;
  const PetscScalar *a;
  PetscInt           P, Psep, lo, hi;
  PetscMPIInt        rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(Create(comm, PETSC_TRUE, 4, 2, W, &sh));
  PetscCall(Create(comm, PETSC_FALSE, 4, 2, W, &sep));
  PetscCall(Create(PETSC_COMM_SELF, PETSC_TRUE, 4, 2, W, &ser));
  PetscCall(PINNGetParameters(sh, &theta));
  PetscCall(VecGetSize(theta, &P));
  PetscCall(PINNGetParameters(sep, &Xsep));
  PetscCall(VecGetSize(Xsep, &Psep));
  PetscCall(PetscPrintf(comm, "parameters: %" PetscInt_FMT " shared (u's layers 0, 1, 2, output: %" PetscInt_FMT "), %" PetscInt_FMT " separate\n", P,
                        L0 + L1 + L2 + LO, Psep));
  PetscCheck(P == L0 + L1 + L2 + LO && Psep == L0 + L1 + 2 * L2 + LO + L0 + L1 + LO, comm, PETSC_ERR_PLIB, "wrong parameter counts");
  { /* PINNView() reports the shared count */
    PetscViewer v;
    char        line[256], want[64];
    PetscInt    found = 0;
    PetscCall(PetscViewerASCIIOpen(comm, "pinn_lagrangian_share_view.txt", &v));
    PetscCall(PINNView(sh, v));
    PetscCall(PetscViewerDestroy(&v));
    PetscCall(PetscSNPrintf(want, sizeof(want), "parameters: %" PetscInt_FMT " (the networks' %" PetscInt_FMT, P, Psep));
    if (!rank) {
      FILE *fp = fopen("pinn_lagrangian_share_view.txt", "r");
      PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot read pinn_lagrangian_share_view.txt");
      while (fgets(line, sizeof(line), fp))
        if (strstr(line, want)) found = 1;
      fclose(fp);
    }
    PetscCallMPI(MPI_Bcast(&found, 1, MPIU_INT, 0, comm));
    PetscCall(PetscPrintf(comm, "PINNView() reports \"%s ...\": %s\n", want, found ? "yes" : "NO"));
    PetscCheck(found, comm, PETSC_ERR_PLIB, "PINNView() does not report the shared parameter count");
  }
  /* an explicit theta keeping J > 0 */
  PetscCall(VecDuplicate(theta, &X));
  PetscCall(VecDuplicate(theta, &g));
  PetscCall(VecCopy(theta, X));
  {
    PetscScalar *p;
    PetscCall(VecGetOwnershipRange(X, &lo, &hi));
    PetscCall(VecGetArray(X, &p));
    for (PetscInt i = lo; i < hi; i++) p[i - lo] = 0.3 * p[i - lo] + 0.02 * PetscSinReal(1.7 * i);
    PetscCall(VecRestoreArray(X, &p));
  }
  PetscCall(PINNComputeObjectiveGradient(sh, X, &f, g));
  PetscCall(VecNorm(g, NORM_INFINITY, &gmax));
  PetscCall(PetscPrintf(comm, "shared: loss %.10e, largest gradient entry %.6e\n", (double)f, (double)gmax));

  /* the hand-built separate networks */
  PetscCall(GatherAll(X, &Xall));
  PetscCall(PetscMalloc2(Psep, &full, P, &red));
  PetscCall(VecGetArrayRead(Xall, &a));
  Expand(a, full);
  PetscCall(VecRestoreArrayRead(Xall, &a));
  PetscCall(VecDuplicate(Xsep, &gsep));
  PetscCall(SetFromArray(Xsep, full));
  PetscCall(PINNComputeObjectiveGradient(sep, Xsep, &fsep, gsep));
  PetscCall(GatherAll(gsep, &gsepall));
  PetscCall(VecGetArrayRead(gsepall, &a));
  Contract(a, red);
  PetscCall(VecRestoreArrayRead(gsepall, &a));
  PetscCall(GatherAll(g, &gall));
  PetscCall(VecGetArrayRead(gall, &a));
  dev = 0;
  for (PetscInt i = 0; i < P; i++) dev = PetscMax(dev, PetscAbsReal(a[i] - red[i]));
  PetscCall(VecRestoreArrayRead(gall, &a));
  PetscCall(Compare(comm, "loss vs the separate networks holding the shared copies (relative)", PetscAbsReal(f - fsep) / f, worst));
  PetscCall(Compare(comm, "gradient vs the separate networks' summed over the copies (relative)", dev / gmax, worst));
  {
    const PetscInt n = 9;
    PetscReal      xe[18], us[9], up[9], e = 0, s = 0;
    Vec            th;
    for (PetscInt p = 0; p < n; p++) xe[2 * p] = 0.1 + 0.7 * p, xe[2 * p + 1] = 0.05 + 0.11 * p;
    PetscCall(PINNGetParameters(sh, &th));
    PetscCall(VecCopy(X, th));
    PetscCall(PINNEvaluate(sh, n, xe, us));
    PetscCall(PINNGetParameters(sep, &th));
    PetscCall(VecCopy(Xsep, th));
    PetscCall(PINNEvaluate(sep, n, xe, up));
    for (PetscInt p = 0; p < n; p++) e = PetscMax(e, PetscAbsReal(us[p] - up[p])), s = PetscMax(s, PetscAbsReal(up[p]));
    PetscCall(Compare(comm, "solution u(x, t) (PINNEvaluate()) vs the separate networks (relative)", e / s, worst));
  }

  /* central differences in entries of each shared layer: layer 0, 1, 2 and the output */
  {
    const PetscInt  idx[8] = {0, L0 - 1, L0 + 3, L0 + L1 - 2, L0 + L1 + 5, L0 + L1 + L2 - 1, P - LO, P - 1};
    const PetscReal h      = 1e-5;
    PetscReal       err    = 0;
    PetscCall(VecDuplicate(X, &Y));
    PetscCall(VecGetArrayRead(gall, &a));
    for (PetscInt k = 0; k < 8; k++) {
      PetscReal fp, fm;
      PetscCall(VecCopy(X, Y));
      if (!rank) PetscCall(VecSetValue(Y, idx[k], h, ADD_VALUES));
      PetscCall(VecAssemblyBegin(Y));
      PetscCall(VecAssemblyEnd(Y));
      PetscCall(PINNComputeObjectiveGradient(sh, Y, &fp, NULL));
      PetscCall(VecCopy(X, Y));
      if (!rank) PetscCall(VecSetValue(Y, idx[k], -h, ADD_VALUES));
      PetscCall(VecAssemblyBegin(Y));
      PetscCall(VecAssemblyEnd(Y));
      PetscCall(PINNComputeObjectiveGradient(sh, Y, &fm, NULL));
      err = PetscMax(err, PetscAbsReal((fp - fm) / (2 * h) - a[idx[k]]) / gmax);
    }
    PetscCall(VecRestoreArrayRead(gall, &a));
    PetscCall(VecDestroy(&Y));
    PetscCall(PetscPrintf(comm, "%-66s %.2e (tolerance 1e-06)\n", "gradient vs central differences, 8 entries of the 4 layers", (double)err));
    PetscCheck(err <= 1e-6, comm, PETSC_ERR_PLIB, "gradient vs central differences: %g > 1e-6", (double)err);
  }

  /* one rank holding every point */
  PetscCall(VecDuplicate(Xall, &gs));
  PetscCall(VecDuplicate(Xall, &Xs));
  PetscCall(VecCopy(Xall, Xs));
  PetscCall(PINNComputeObjectiveGradient(ser, Xs, &fs, gs));
  PetscCall(VecAXPY(gs, -1.0, gall));
  PetscCall(VecNorm(gs, NORM_INFINITY, &dev));
  PetscCall(Compare(comm, "loss vs one rank with all points (relative)", PetscAbsReal(f - fs) / f, worst));
  PetscCall(Compare(comm, "gradient vs one rank with all points (relative)", dev / gmax, worst));

  PetscCall(PetscFree2(full, red));
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&gall));
  PetscCall(VecDestroy(&Xall));
  PetscCall(VecDestroy(&Xs));
  PetscCall(VecDestroy(&gs));
  PetscCall(VecDestroy(&gsep));
  PetscCall(VecDestroy(&gsepall));
  PetscCall(PINNDestroy(&sh));
  PetscCall(PINNDestroy(&sep));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(PetscInt adam, const char ckpt[], PetscInt every, const char restart[], Vec final, PetscReal *loss)
{
  PINN pinn;
  Vec  th;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_adam_tao_adam_amsgrad", "1"));
  PetscCall(Create(PETSC_COMM_WORLD, PETSC_TRUE, 4, 2, W, &pinn));
  PetscCall(PINNSetBatchSize(pinn, 64));
  PetscCall(PINNSetSteps(pinn, adam, 0));
  PetscCall(PINNSetLearningRate(pinn, 1e-2));
  if (ckpt) PetscCall(PINNSetCheckpoint(pinn, ckpt, every));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_adam_tao_adam_amsgrad"));
  if (restart) PetscCall(PINNReadCheckpoint(pinn, restart));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNGetParameters(pinn, &th));
  PetscCall(VecCopy(th, final));
  PetscCall(PINNComputeLoss(pinn, loss, NULL));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckRestart(MPI_Comm comm, PetscReal *worst)
{
  Vec         ref, resumed, init;
  PetscReal   diff, norm, f, fr, moved;
  PetscMPIInt size;
  char        file[64];
  PINN        pinn;
  Vec         th;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_lagrangian_share_np%d.h5", size));
  PetscCall(Create(comm, PETSC_TRUE, 4, 2, W, &pinn));
  PetscCall(PINNGetParameters(pinn, &th));
  PetscCall(VecDuplicate(th, &ref));
  PetscCall(VecDuplicate(th, &resumed));
  PetscCall(VecDuplicate(th, &init));
  PetscCall(VecCopy(th, init));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(Run(12, NULL, 0, NULL, ref, &f));
  PetscCall(Run(7, file, 0, NULL, resumed, &fr)); /* the checkpoint at the end: step 7 */
  PetscCall(Run(12, NULL, 0, file, resumed, &fr));
  PetscCall(VecAXPY(init, -1.0, ref));
  PetscCall(VecNorm(init, NORM_INFINITY, &moved));
  PetscCall(VecAXPY(resumed, -1.0, ref));
  PetscCall(VecNorm(resumed, NORM_INFINITY, &diff));
  PetscCall(VecNorm(ref, NORM_INFINITY, &norm));
  PetscCheck(moved > 1e-3 * norm, comm, PETSC_ERR_PLIB, "the training did not move the parameters");
  PetscCall(PetscPrintf(comm, "12 Adam steps: loss %.10e\n", (double)f));
  PetscCall(Compare(comm, "restart (7 + 5 Adam steps) vs one run: parameters (relative)", diff / norm, worst));
  PetscCall(Compare(comm, "restart (7 + 5 Adam steps) vs one run: loss (relative)", PetscAbsReal(f - fr) / f, worst));
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&resumed));
  PetscCall(VecDestroy(&init));
  PetscFunctionReturn(0);
}

/* The default networks, shared, with a large initial u (-pinn_u_nn_init_scale 6): x's output layer is u's, so
   the set-up's scaling that keeps J = x_X >= 1/2 (exact u_xx, nu > 0) must scale it there; else the first loss
   meets J <= 0 (an error) */
static PetscErrorCode CheckInitialJ(MPI_Comm comm)
{
  PINN      pinn;
  PetscReal f;
  PetscInt  P;
  Vec       th;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_u_nn_init_scale", "6"));
  PetscCall(Create(comm, PETSC_TRUE, 0, 0, 0, &pinn));
  PetscCall(PINNGetParameters(pinn, &th)); /* sets up: the networks are made there */
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_u_nn_init_scale"));
  PetscCall(VecGetSize(th, &P));
  PetscCall(PINNComputeLoss(pinn, &f, NULL));
  PetscCall(PetscPrintf(comm, "default networks shared, u's initial scale 6: %" PetscInt_FMT " parameters (5351), first loss %.4e\n", P, (double)f));
  PetscCheck(P == 5351 && !PetscIsInfOrNanReal(f), comm, PETSC_ERR_PLIB, "default shared networks: %" PetscInt_FMT " parameters, loss %g", P,
             (double)f);
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* A bad set-up: PETSC_ERR_ARG_INCOMP at PINNSetUp() naming the options */
static PetscErrorCode CheckBad(MPI_Comm comm, const char what[], PetscInt du, PetscInt dx, PetscInt wlast, PetscInt *fails)
{
  PINN           pinn;
  PetscErrorCode ierr;
  PetscInt       ok;

  PetscFunctionBegin;
  PetscCall(Create(comm, PETSC_TRUE, du, dx, wlast, &pinn));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNSetUp(pinn);
  PetscCall(PetscPopErrorHandler());
  ok = ierr == PETSC_ERR_ARG_INCOMP && strstr(message, "-pinn_lagrangian_share_weights") && strstr(message, "-pinn_x_nn_mlp_hidden_layers") &&
       strstr(message, "-pinn_u_nn_mlp_hidden_layers");
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscPrintf(comm, "%s: error %d, names the options: %s\n  %s\n", what, (int)ierr, ok ? "yes" : "NO", message));
  if (!ok) (*fails)++;
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* A checkpoint written without sharing, read into a PINN with sharing: an error that says so (taking only
   the entries the copies point to would drop network x's own weights silently). The reading run asks for no
   more Adam steps than were done, so the trainer does not read Adam's state first (whose size mismatch, 370
   entries for 185, is an error of its own). */
static PetscErrorCode CheckUnsharedCheckpoint(MPI_Comm comm, PetscInt *fails)
{
  PINN           pinn;
  PetscErrorCode ierr;
  PetscInt       ok;
  PetscMPIInt    size;
  char           file[64];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_lagrangian_unshared_np%d.h5", size));
  PetscCall(Create(comm, PETSC_FALSE, 4, 2, W, &pinn));
  PetscCall(PINNSetSteps(pinn, 2, 0));
  PetscCall(PINNSetCheckpoint(pinn, file, 0));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(Create(comm, PETSC_TRUE, 4, 2, W, &pinn));
  PetscCall(PINNSetSteps(pinn, 2, 0));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNReadCheckpoint(pinn, file);
  if (!ierr) ierr = PINNTrain(pinn);
  PetscCall(PetscPopErrorHandler());
  ok = ierr && strstr(message, "without") && strstr(message, "sharing");
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(
      PetscPrintf(comm, "checkpoint written without sharing, read with it: error %d, says so: %s\n  %s\n", (int)ierr, ok ? "yes" : "NO", message));
  if (!ok) (*fails)++;
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscReal worst = 0;
  PetscInt  fails = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(CheckShared(PETSC_COMM_WORLD, &worst));
  PetscCall(CheckRestart(PETSC_COMM_WORLD, &worst));
  PetscCall(CheckInitialJ(PETSC_COMM_WORLD));
  PetscCall(CheckBad(PETSC_COMM_WORLD, "u's last hidden layer 6 wide", 4, 2, 6, &fails));
  PetscCall(CheckBad(PETSC_COMM_WORLD, "x with 3 hidden layers", 4, 3, W, &fails));
  PetscCall(CheckUnsharedCheckpoint(PETSC_COMM_WORLD, &fails));
  PetscCheck(!fails, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " bad input(s) without the expected error", fails);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference: %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

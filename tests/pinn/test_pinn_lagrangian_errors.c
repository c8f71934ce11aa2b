/* PINN type lagrangian, bad input and failures, each a clear error on the PINN's communicator:
   - J = x_X <= 0 with the exact u_xx (characteristics crossing): every rank gets the same error
     (PETSC_ERR_FP) and the same message, naming the iteration, the label X and t and the crossing,
     and that message is the one of a one-rank PINN holding all the points (the smallest offending
     label over all ranks is reported, whatever the rank count);
   - the default network "x", even initialized steeply, starts with J >= 1/2 (its output weights
     scaled), so the exact u_xx is defined at the start; the same network given by the user crosses;
   - a speed function (PINNLagrangianSetSpeedFunction()) giving NaN: the same kind of collective
     error, naming the iteration and the point;
   - a missing initial condition, a geometry that is not a space-time interval, a 2-D space and a
     network not periodic in X: errors naming what is wrong.
   With -case cross the crossing happens during PINNTrain() and is not caught: the program must stop
   on every rank with the whole message (tests/pinn/tests.cmake checks the exit code and the text). */
#include <nnpde.h>
#include "record_error.h"
#include <string.h>

static PetscErrorCode InitialSin(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) v[p] = PetscSinReal(x[p * dim]) + 0.5;
  return 0;
}

/* dim 2: [0, 2 pi) x [0, 1]; spacetime false: a plain 2-D box. ownnets: small networks made here
   (periodic unless noperiodic), else the type's defaults. */
static PetscErrorCode Create(MPI_Comm comm, PetscInt dim, PetscBool spacetime, PetscBool ownnets, PetscBool noperiodic, PetscBool withu0, PINN *pinn)
{
  const PetscReal lo[3] = {0, 0, 0}, hi[3] = {2 * PETSC_PI, 2 * PETSC_PI, 1};
  const PetscInt  widths[2] = {10, 10}, periodic = 0;
  const char     *names[2] = {"u", "x"};
  PINNGeometry    space, st;

  PetscFunctionBegin;
  PetscCall(PINNCreate(comm, pinn));
  if (spacetime) {
    PetscCall(PINNGeometryCreateBox(comm, dim - 1, lo, hi, &space));
    PetscCall(PINNGeometryCreateSpaceTime(space, 0, 1, &st));
    PetscCall(PINNSetGeometry(*pinn, st));
    PetscCall(PINNGeometryDestroy(&space));
    PetscCall(PINNGeometryDestroy(&st));
  } else {
    PetscCall(PINNGeometryCreateBox(comm, dim, lo, hi, &space));
    PetscCall(PINNSetGeometry(*pinn, space));
    PetscCall(PINNGeometryDestroy(&space));
  }
  PetscCall(PINNSetType(*pinn, PINNLAGRANGIAN));
  if (ownnets) {
    for (PetscInt k = 0; k < 2; k++) {
      NN nn;
      PetscCall(NNCreate(comm, &nn));
      PetscCall(NNSetSizes(nn, 2, 1));
      PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
      if (!noperiodic) PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
      PetscCall(NNSetSeed(nn, 5 + k));
      PetscCall(PINNSetNetwork(*pinn, names[k], nn));
      PetscCall(NNDestroy(&nn));
    }
  }
  if (withu0) PetscCall(PINNLagrangianSetInitialCondition(*pinn, InitialSin, NULL));
  PetscCall(PINNLagrangianSetSpeed(*pinn, PINN_LAGRANGIAN_F1_U, 0, 0.1));
  PetscCall(PINNLagrangianSetUxx(*pinn, PINN_LAGRANGIAN_UXX_EXACT));
  PetscCall(PINNSetNumPoints(*pinn, 300, 0, 40));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscFunctionReturn(0);
}

/* Network "x" steep: its parameters scaled, so that 1 + N_x,X < 0 somewhere */
static PetscErrorCode MakeSteep(PINN pinn)
{
  PetscInt     ix, lo, hi, P, Pu;
  Vec          theta;
  PetscScalar *a;
  NN           nnu;

  PetscFunctionBegin;
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNGetNetworkIndex(pinn, "x", &ix));
  PetscCheck(ix == 1, PETSC_COMM_SELF, PETSC_ERR_PLIB, "network x is %" PetscInt_FMT, ix);
  PetscCall(PINNGetNetwork(pinn, "u", &nnu));
  PetscCall(NNGetNumParameters(nnu, &Pu));
  PetscCall(PINNGetParameters(pinn, &theta));
  PetscCall(VecGetSize(theta, &P));
  PetscCall(VecGetOwnershipRange(theta, &lo, &hi));
  PetscCall(VecGetArray(theta, &a));
  for (PetscInt i = PetscMax(lo, Pu); i < hi; i++) a[i - lo] *= 4;
  PetscCall(VecRestoreArray(theta, &a));
  PetscFunctionReturn(0);
}

/* The error of the loss at the PINN's parameters: its code, and its message on this rank */
static PetscErrorCode LossError(PINN pinn, PetscErrorCode *ierr)
{
  PetscReal f;

  PetscFunctionBegin;
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  *ierr = PINNComputeLoss(pinn, &f, NULL);
  PetscCall(PetscPopErrorHandler());
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckCrossing(MPI_Comm comm, PetscInt *fails)
{
  PINN           par, ser;
  PetscErrorCode ierr, serr;
  PetscMPIInt    rank;
  PetscInt       codes[2], same;
  char           mine[sizeof(message)], root[sizeof(message)];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(Create(comm, 2, PETSC_TRUE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, &par));
  PetscCall(Create(PETSC_COMM_SELF, 2, PETSC_TRUE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, &ser));
  PetscCall(MakeSteep(par));
  PetscCall(MakeSteep(ser));
  PetscCall(LossError(par, &ierr));
  PetscCall(PetscStrncpy(mine, message, sizeof(mine)));
  PetscCall(LossError(ser, &serr));
  codes[0] = ierr, codes[1] = -ierr;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, codes, 2, MPIU_INT, MPI_MAX, comm));
  PetscCall(PetscPrintf(comm, "crossing: error %d on every rank: %s\n", (int)ierr, codes[0] == -codes[1] && ierr == PETSC_ERR_FP ? "yes" : "NO"));
  if (!(codes[0] == -codes[1] && ierr == PETSC_ERR_FP)) (*fails)++;
  PetscCall(PetscPrintf(comm, "crossing: message: %s\n", mine));
  PetscCall(PetscStrncpy(root, mine, sizeof(root)));
  PetscCallMPI(MPI_Bcast(root, sizeof(root), MPI_CHAR, 0, comm));
  same = !strcmp(root, mine) && !strcmp(mine, message); /* rank 0's, this rank's, and the one-rank PINN's */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &same, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscPrintf(comm, "crossing: the same message on every rank and on one rank with all points: %s\n", same ? "yes" : "NO"));
  if (!same) (*fails)++;
  {
    const char *want[] = {"iteration 0", "label X = ", ", t = ", "characteristics cross", "-pinn_lagrangian_uxx scaled", "or label"};
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
      const char *found = strstr(mine, want[k]);
      PetscCall(PetscPrintf(comm, "crossing: the message names \"%s\": %s\n", want[k], found ? "yes" : "NO"));
      if (!found) (*fails)++;
    }
  }
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

/* f1 = u, but NaN where x > 5 */
static PetscErrorCode SpeedNaN(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal fx[], PetscReal fu[])
{
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) f[p] = xt[2 * p] > 5 ? (PetscReal)NAN : u[p], fx[p] = 0, fu[p] = 1;
  return 0;
}

/* A speed function giving NaN: one collective error naming the iteration and the point, the same on
   every rank and as on one rank with all points */
static PetscErrorCode CheckSpeedNaN(MPI_Comm comm, PetscInt *fails)
{
  PINN           par, ser;
  PetscErrorCode ierr, serr;
  PetscInt       ok;
  char           mine[sizeof(message)], root[sizeof(message)];

  PetscFunctionBegin;
  PetscCall(Create(comm, 2, PETSC_TRUE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, &par));
  PetscCall(Create(PETSC_COMM_SELF, 2, PETSC_TRUE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, &ser));
  PetscCall(PINNLagrangianSetSpeedFunction(par, SpeedNaN, NULL));
  PetscCall(PINNLagrangianSetSpeedFunction(ser, SpeedNaN, NULL));
  PetscCall(LossError(par, &ierr));
  PetscCall(PetscStrncpy(mine, message, sizeof(mine)));
  PetscCall(LossError(ser, &serr));
  PetscCall(PetscStrncpy(root, mine, sizeof(root)));
  PetscCallMPI(MPI_Bcast(root, sizeof(root), MPI_CHAR, 0, comm));
  ok = ierr == PETSC_ERR_FP && serr == PETSC_ERR_FP && !strcmp(root, mine) && !strcmp(mine, message) && strstr(mine, "iteration 0") &&
       strstr(mine, "gave NaN/Inf") && strstr(mine, "label X = ") && strstr(mine, ", t = ");
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscPrintf(comm, "speed function NaN: error %d, the same message everywhere, naming iteration, label and t: %s\n  %s\n", (int)ierr,
                        ok ? "yes" : "NO", mine));
  if (!ok) (*fails)++;
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

/* The default networks, network "x" initialized steeply (-pinn_x_nn_init_scale 4): the type scales
   its output weights so that J >= 1/2 and the loss is defined; the same network given by the user
   (the default's architecture, seed and initialization) is left alone and crosses */
static PetscErrorCode CheckDefaultStart(MPI_Comm comm, PetscInt *fails)
{
  PINN           pinn;
  PetscErrorCode ierr;
  PetscInt       ok;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_x_nn_init_scale", "4"));
  PetscCall(Create(comm, 2, PETSC_TRUE, PETSC_FALSE, PETSC_FALSE, PETSC_TRUE, &pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(LossError(pinn, &ierr));
  PetscCall(PetscPrintf(comm, "default networks, x initialized steeply: loss without error (output weights scaled): %s\n", ierr ? "NO" : "yes"));
  if (ierr) (*fails)++;
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_x_nn_init_scale"));
  {
    const PetscInt widths[5] = {50, 50, 50, 50, 50}, periodic = 0;
    const char    *names[2] = {"u", "x"};
    PetscCall(Create(comm, 2, PETSC_TRUE, PETSC_FALSE, PETSC_FALSE, PETSC_TRUE, &pinn));
    for (PetscInt k = 0; k < 2; k++) {
      NN nn;
      PetscCall(NNCreate(comm, &nn));
      PetscCall(NNSetSizes(nn, 2, 1));
      PetscCall(NNMLPSetHiddenLayers(nn, k ? 2 : 5, widths));
      PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
      PetscCall(NNSetSeed(nn, k));
      if (k) PetscCall(NNSetInitialization(nn, NN_INIT_GLOROT_NORMAL, 4));
      PetscCall(PINNSetNetwork(pinn, names[k], nn));
      PetscCall(NNDestroy(&nn));
    }
    PetscCall(PINNSetUp(pinn));
    PetscCall(LossError(pinn, &ierr));
    ok = ierr == PETSC_ERR_FP;
    PetscCall(PetscPrintf(comm, "the same networks given by the user: crossing error at the start: %s\n", ok ? "yes" : "NO"));
    if (!ok) (*fails)++;
    PetscCall(PINNDestroy(&pinn));
  }
  PetscFunctionReturn(0);
}

/* A bad set-up: an error of the expected code at PINNSetUp(), with words of its message */
static PetscErrorCode CheckBadSetUp(MPI_Comm comm, const char what[], PetscInt dim, PetscBool spacetime, PetscBool noperiodic, PetscBool withu0,
                                    PetscErrorCode expect, const char words[], PetscInt *fails)
{
  PINN           pinn;
  PetscErrorCode ierr;
  PetscInt       ok;

  PetscFunctionBegin;
  PetscCall(Create(comm, dim, spacetime, PETSC_TRUE, noperiodic, withu0, &pinn));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNSetUp(pinn);
  PetscCall(PetscPopErrorHandler());
  ok = ierr == expect && strstr(message, words);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscPrintf(comm, "%s: error %d (expected %d), message names \"%s\": %s\n  %s\n", what, (int)ierr, (int)expect, words, ok ? "yes" : "NO",
                        message));
  if (!ok) (*fails)++;
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  PetscInt  fails = 0;
  PetscBool cross = PETSC_FALSE;
  char      which[32];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-case", which, sizeof(which), &cross));
  if (cross) { /* uncaught, during training */
    PINN pinn;
    PetscCall(PetscStrcmp(which, "cross", &cross));
    PetscCheck(cross, comm, PETSC_ERR_ARG_WRONG, "-case cross is the only case, got %s", which);
    PetscCall(Create(comm, 2, PETSC_TRUE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, &pinn));
    PetscCall(PINNSetSteps(pinn, 5, 0));
    PetscCall(MakeSteep(pinn));
    PetscCall(PINNTrain(pinn));
    PetscCall(PINNDestroy(&pinn));
    PetscCall(PetscFinalize());
    return 0;
  }
  PetscCall(CheckCrossing(comm, &fails));
  PetscCall(CheckDefaultStart(comm, &fails));
  PetscCall(CheckSpeedNaN(comm, &fails));
  PetscCall(CheckBadSetUp(comm, "missing initial condition", 2, PETSC_TRUE, PETSC_FALSE, PETSC_FALSE, PETSC_ERR_ARG_WRONGSTATE,
                          "PINNLagrangianSetInitialCondition", &fails));
  PetscCall(
      CheckBadSetUp(comm, "plain 2-D box, not space-time", 2, PETSC_FALSE, PETSC_FALSE, PETSC_TRUE, PETSC_ERR_ARG_WRONG, "not space-time", &fails));
  PetscCall(CheckBadSetUp(comm, "2-D space x time", 3, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, PETSC_ERR_ARG_WRONG, "periodic 1-D space-time", &fails));
  PetscCall(CheckBadSetUp(comm, "network not periodic in X", 2, PETSC_TRUE, PETSC_TRUE, PETSC_TRUE, PETSC_ERR_ARG_WRONG, "must be periodic", &fails));
  PetscCall(PetscPrintf(comm, "failed checks: %" PetscInt_FMT "\n", fails));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}

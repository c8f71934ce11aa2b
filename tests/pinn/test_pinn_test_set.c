/* PINNSetTestSet(): the relative L2 error on the caller's points with weights equals the formula
   sqrt(sum w |u - u*|^2 / sum w |u*|^2) computed here from the network's values on every point; a point
   of weight k equals k copies of it; the result does not depend on how the points are split across
   ranks; bad sets are refused with a clear message. */
#include "poisson_problem.h"
#include "record_error.h"

#define NTEST 301 /* odd, and not a multiple of the rank counts */

/* Point g of the set (a Weyl sequence on the unit square) and its weight 1 + (g mod 3) */
static void Point(PetscInt g, PetscReal x[2], PetscReal *w)
{
  x[0] = PetscFmodReal(0.5 + g * 0.7548776662466927, 1.0);
  x[1] = PetscFmodReal(0.5 + g * 0.5698402909980532, 1.0);
  *w   = 1 + g % 3;
}

/* This rank's share of the NTEST points, deliberately uneven: rank r of s gets the points g with g mod (s + 1) in
   {r} (rank 0 also those with s); with copies, each point appears w times with weight 1 */
static PetscErrorCode SetSet(PINN pinn, PetscBool weighted, PetscBool copies)
{
  PetscMPIInt rank, size;
  PetscInt    n = 0;
  PetscReal   x[2 * 3 * NTEST], w[3 * NTEST];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (PetscInt g = 0; g < NTEST; g++) {
    PetscInt  owner = g % (size + 1);
    PetscReal xg[2], wg;
    if (owner == size) owner = 0;
    if (owner != rank) continue;
    Point(g, xg, &wg);
    for (PetscInt c = 0; c < (copies ? (PetscInt)wg : 1); c++, n++) {
      x[2 * n] = xg[0], x[2 * n + 1] = xg[1];
      w[n] = weighted ? wg : 1;
    }
  }
  PetscCall(PINNSetTestSet(pinn, n, x, weighted ? w : NULL));
  PetscFunctionReturn(0);
}

/* The formula, from the network's values at all points (every rank evaluates all of them) */
static PetscErrorCode Direct(PINN pinn, PetscBool weighted, PetscReal *err)
{
  PetscReal x[2 * NTEST], w[NTEST], u[NTEST], ue[NTEST], s[2] = {0, 0};

  PetscFunctionBegin;
  for (PetscInt g = 0; g < NTEST; g++) Point(g, &x[2 * g], &w[g]);
  PetscCall(PINNEvaluate(pinn, NTEST, x, u));
  PetscCall(PoissonExact(NULL, NTEST, 2, x, 1, ue));
  for (PetscInt g = 0; g < NTEST; g++) {
    const PetscReal wg = weighted ? w[g] : 1;
    s[0] += wg * PetscSqr(u[g] - ue[g]), s[1] += wg * PetscSqr(ue[g]);
  }
  *err = PetscSqrtReal(s[0] / s[1]);
  PetscFunctionReturn(0);
}

static PetscErrorCode ErrorWith(PetscBool weighted, PetscBool copies, PetscReal *err, PetscReal *direct)
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 40, 20, &pinn));
  PetscCall(SetSet(pinn, weighted, copies));
  PetscCall(PINNComputeError(pinn, err));
  PetscCall(Direct(pinn, weighted || copies, direct));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* Each bad case on a fresh PINN, destroyed whatever happens; the message must contain `expect` */
typedef enum { BAD_WEIGHT, NAN_WEIGHT, NAN_POINT, EMPTY, OPTION, AFTER_SETUP, NO_GEOMETRY, SOME_WEIGHTS } Bad;

static PetscErrorCode BadCase(PINN pinn, Bad bad)
{
  PetscMPIInt rank;
  PetscReal   x[4] = {0.25, 0.5, 0.75, 0.5}, w[2] = {1, 2};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  switch (bad) {
  case BAD_WEIGHT:
    if (rank == 0) w[1] = 0; /* on one rank only: the error must still be collective */
    PetscCall(PINNSetTestSet(pinn, 2, x, w));
    break;
  case NAN_WEIGHT:
    if (rank == 0) w[0] = (PetscReal)NAN;
    PetscCall(PINNSetTestSet(pinn, 2, x, w));
    break;
  case NAN_POINT:
    if (rank == 0) x[3] = (PetscReal)INFINITY;
    PetscCall(PINNSetTestSet(pinn, 2, x, NULL));
    break;
  case EMPTY:
    PetscCall(PINNSetTestSet(pinn, 0, NULL, NULL));
    break;
  case OPTION:
    PetscCall(PINNSetTestSet(pinn, 2, x, w));
    PetscCall(PetscOptionsSetValue(NULL, "-pinn_test_points", "50"));
    PetscCall(PINNSetFromOptions(pinn));
    break;
  case AFTER_SETUP:
    PetscCall(PINNSetUp(pinn));
    PetscCall(PINNSetTestSet(pinn, 2, x, w));
    break;
  case NO_GEOMETRY:
    PetscCall(PINNSetTestSet(pinn, 2, x, w));
    break;
  case SOME_WEIGHTS: /* weights on rank 1 only, points on every rank (run with 2 or more ranks) */
    PetscCall(PINNSetTestSet(pinn, 2, x, rank == 1 ? w : NULL));
    break;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ExpectError(Bad bad, const char label[], const char expect[])
{
  PINN           pinn;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  if (bad == NO_GEOMETRY)
    PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  else
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 40, 20, &pinn));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = BadCase(pinn, bad);
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_test_points"));
  PetscCall(PINNDestroy(&pinn));
  PetscCheck(ierr, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: no error", label);
  PetscCheck(strstr(message, expect), PETSC_COMM_SELF, PETSC_ERR_PLIB, "%s: the message \"%s\" does not say \"%s\"", label, message, expect);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-34s -> error: %s\n", label, message));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscReal e_plain, d_plain, e_weighted, d_weighted, e_copies, d_copies, worst;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(ErrorWith(PETSC_FALSE, PETSC_FALSE, &e_plain, &d_plain));
  PetscCall(ErrorWith(PETSC_TRUE, PETSC_FALSE, &e_weighted, &d_weighted));
  PetscCall(ErrorWith(PETSC_FALSE, PETSC_TRUE, &e_copies, &d_copies));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "unweighted: %.15e (formula %.15e)\n", (double)e_plain, (double)d_plain));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "weighted:   %.15e (formula %.15e)\n", (double)e_weighted, (double)d_weighted));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "copies:     %.15e\n", (double)e_copies));
  /* the weights matter (else the weighted checks would prove nothing) */
  PetscCheck(PetscAbsReal(e_weighted - e_plain) > 1e-3 * e_plain, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "The weights change nothing: %g vs %g",
             (double)e_weighted, (double)e_plain);
  worst = PetscMax(PetscAbsReal(e_plain - d_plain) / d_plain, PetscAbsReal(e_weighted - d_weighted) / d_weighted);
  worst = PetscMax(worst, PetscAbsReal(e_copies - e_weighted) / e_weighted);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "largest relative difference %.3e\n", (double)worst));

  PetscCall(ExpectError(BAD_WEIGHT, "a zero weight (one rank)", "not finite and positive"));
  PetscCall(ExpectError(NAN_WEIGHT, "a NaN weight (one rank)", "not finite and positive"));
  PetscCall(ExpectError(NAN_POINT, "an infinite coordinate (one rank)", "not finite"));
  PetscCall(ExpectError(EMPTY, "no points on any rank", "no points"));
  PetscCall(ExpectError(OPTION, "-pinn_test_points with a test set", "-pinn_test_points does not apply"));
  PetscCall(ExpectError(AFTER_SETUP, "after PINNSetUp()", "before PINNSetUp()"));
  PetscCall(ExpectError(NO_GEOMETRY, "before the geometry", "PINNSetGeometry()"));
  {
    PetscMPIInt size;
    PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
    if (size > 1) PetscCall(ExpectError(SOME_WEIGHTS, "weights on one rank only", "on every rank that has test points"));
  }
  PetscCall(PetscFinalize());
  return 0;
}

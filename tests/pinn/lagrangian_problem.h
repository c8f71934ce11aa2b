/* A small PINN of type lagrangian for the tests: [0, 2 pi) x [0, 1], u0 = sin X + 0.5, f1 = u,
   nu = 0.1, two 2 x 10 tanh networks (seeds 5 and 6), made on comm; options may change it. */
#ifndef NNPDE_TESTS_PINN_LAGRANGIAN_PROBLEM_H
#define NNPDE_TESTS_PINN_LAGRANGIAN_PROBLEM_H
#include <nnpde.h>

static PetscErrorCode LagrangianInitialSin(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) v[p] = PetscSinReal(x[p * dim]) + 0.5;
  return 0;
}

static PetscErrorCode LagrangianProblemCreate(MPI_Comm comm, PINN *pinn)
{
  const PetscReal lo[1] = {0}, hi[1] = {2 * PETSC_PI};
  const PetscInt  widths[2] = {10, 10}, periodic = 0;
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
  for (PetscInt k = 0; k < 2; k++) {
    NN nn;
    PetscCall(NNCreate(comm, &nn));
    PetscCall(NNSetSizes(nn, 2, 1));
    PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
    PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
    PetscCall(NNSetSeed(nn, 5 + k));
    PetscCall(PINNSetNetwork(*pinn, names[k], nn));
    PetscCall(NNDestroy(&nn));
  }
  PetscCall(PINNLagrangianSetInitialCondition(*pinn, LagrangianInitialSin, NULL));
  PetscCall(PINNLagrangianSetSpeed(*pinn, PINN_LAGRANGIAN_F1_U, 0, 0.1));
  PetscCall(PINNSetMonitor(*pinn, PETSC_FALSE, 1000, NULL));
  PetscFunctionReturn(0);
}
#endif

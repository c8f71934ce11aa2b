/* Shared by the PINN tests: the poisson2d problem (-lap u = 2 pi^2 sin(pi x) sin(pi y) on the unit
   square, u = 0 on the boundary) on a given communicator. */
#ifndef NNPDE_TEST_POISSON_PROBLEM_H
#define NNPDE_TEST_POISSON_PROBLEM_H

#include <nnpde.h>

static PetscErrorCode PoissonSource(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) f[p] = 2 * PETSC_PI * PETSC_PI * PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}

static PetscErrorCode PoissonExact(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) u[p] = PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}

/* With a small network (2 x 20 tanh) so the tests are quick, or (small = PETSC_FALSE) the one the
   PINN creates from the -pinn_nn_ options */
static PetscErrorCode PoissonProblemCreateWith(MPI_Comm comm, PetscInt nint, PetscInt nbnd, PetscBool small, PINN *pinn)
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  const PetscInt  widths[2] = {20, 20};
  PINNGeometry    square;
  NN              nn;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(comm, 2, lo, hi, &square));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, square));
  PetscCall(PINNGeometryDestroy(&square));
  PetscCall(PINNAddPoisson(*pinn, 0.0, PoissonSource, NULL, 1.0));
  PetscCall(PINNAddDirichlet(*pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetExactSolution(*pinn, PoissonExact, NULL));
  PetscCall(PINNSetNumPoints(*pinn, nint, nbnd, 0));
  PetscCall(PINNSetTestPoints(*pinn, 1000));
  if (!small) PetscFunctionReturn(0);
  PetscCall(NNCreate(comm, &nn));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
  PetscCall(NNSetSeed(nn, 5));
  PetscCall(PINNSetNetwork(*pinn, "u", nn));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

static PetscErrorCode PoissonProblemCreate(MPI_Comm comm, PetscInt nint, PetscInt nbnd, PINN *pinn)
{
  PetscFunctionBegin;
  PetscCall(PoissonProblemCreateWith(comm, nint, nbnd, PETSC_TRUE, pinn));
  PetscFunctionReturn(0);
}

#endif

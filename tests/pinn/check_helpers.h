/* Shared by the PINN tests that compare distributed results with a serial reference and report
   several checks against their tolerances. */
#ifndef NNPDE_TESTS_PINN_CHECK_HELPERS_H
#define NNPDE_TESTS_PINN_CHECK_HELPERS_H
#include <nnpde.h>

/* A copy of the whole Vec v on every rank */
static PetscErrorCode GatherAll(Vec v, Vec *all)
{
  VecScatter sc;

  PetscFunctionBegin;
  PetscCall(VecScatterCreateToAll(v, &sc, all));
  PetscCall(VecScatterBegin(sc, v, *all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, v, *all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterDestroy(&sc));
  PetscFunctionReturn(0);
}

/* A line per check, and the worst of deviation/tolerance so far (NaN or Inf: infinite) */
static inline PetscErrorCode Report(MPI_Comm comm, const char what[], PetscReal dev, PetscReal tol, PetscReal *worst)
{
  PetscFunctionBegin;
  PetscCall(PetscPrintf(comm, "%-66s %.2e (tolerance %.0e)\n", what, (double)dev, (double)tol));
  *worst = PetscMax(*worst, PetscIsInfOrNanReal(dev) ? PETSC_INFINITY : dev / tol);
  PetscFunctionReturn(0);
}

/* The largest deviation of central differences (step h) of the PINN's objective at X from the gradient g there, over
   the n entries idx of the parameter Vec, relative to gscale; collective, the same on every rank */
static inline PetscErrorCode CentralDifferenceDeviation(PINN pinn, Vec X, Vec g, PetscReal gscale, PetscInt n, const PetscInt idx[], PetscReal h,
                                                        PetscReal *dev)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)X);
  PetscMPIInt rank;
  Vec         Y;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecDuplicate(X, &Y));
  *dev = 0;
  for (PetscInt k = 0; k < n; k++) {
    PetscReal fp, fm, gi = 0;
    PetscInt  lo, hi;
    PetscCall(VecCopy(X, Y));
    if (!rank) PetscCall(VecSetValue(Y, idx[k], h, ADD_VALUES));
    PetscCall(VecAssemblyBegin(Y));
    PetscCall(VecAssemblyEnd(Y));
    PetscCall(PINNComputeObjectiveGradient(pinn, Y, &fp, NULL));
    PetscCall(VecCopy(X, Y));
    if (!rank) PetscCall(VecSetValue(Y, idx[k], -h, ADD_VALUES));
    PetscCall(VecAssemblyBegin(Y));
    PetscCall(VecAssemblyEnd(Y));
    PetscCall(PINNComputeObjectiveGradient(pinn, Y, &fm, NULL));
    PetscCall(VecGetOwnershipRange(g, &lo, &hi));
    if (idx[k] >= lo && idx[k] < hi) {
      const PetscScalar *a;
      PetscCall(VecGetArrayRead(g, &a));
      gi = a[idx[k] - lo];
      PetscCall(VecRestoreArrayRead(g, &a));
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &gi, 1, MPIU_REAL, MPIU_SUM, comm));
    *dev = PetscMax(*dev, PetscAbsReal((fp - fm) / (2 * h) - gi) / gscale);
  }
  PetscCall(VecDestroy(&Y));
  PetscFunctionReturn(0);
}
#endif

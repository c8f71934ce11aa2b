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
#endif

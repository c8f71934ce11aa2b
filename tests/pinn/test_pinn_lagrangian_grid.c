/* PINN type lagrangian on the label x time grid (-pinn_lagrangian_grid nl,nt):
   - the interior points are the nl x nt grid X_i = 2 pi i / nl, t_j = j / (nt - 1) (t-major, every
     point once over all ranks) and the initial points the nl labels at t = 0, exactly;
   - loss and gradient on COMM_WORLD against a COMM_SELF PINN (1e-12 relative);
   - with mini-batches (the grid in a fixed random order): each batch mixes times (not one slice),
     and 6 Adam steps on COMM_WORLD end at the parameters of the same steps on COMM_SELF (1e-6: Adam's
     first steps, m / sqrt(v), amplify the round-off of the gradient's near-zero entries; 2e-8 measured
     at 3 ranks, against O(1e-2) had a batch held other points);
   - a residual-based sampler type together with the grid is an error naming both options.
   The figure is the worst ratio of deviation to tolerance. */
#include "lagrangian_problem.h"
#include "record_error.h"
#include "check_helpers.h"
#include <string.h>

#define NL 16
#define NT 10

static PetscErrorCode Create(MPI_Comm comm, PetscInt batch, PINN *pinn)
{
  PetscFunctionBegin;
  PetscCall(LagrangianProblemCreate(comm, pinn));
  PetscCall(PINNLagrangianSetGrid(*pinn, NL, NT));
  PetscCall(PINNSetNumPoints(*pinn, 7, 0, 3)); /* not used with the grid */
  PetscCall(PINNSetBatchSize(*pinn, batch));
  PetscCall(PINNSetSteps(*pinn, 6, 0));
  PetscCall(PINNSetLearningRate(*pinn, 1e-2));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNSetUp(*pinn));
  PetscFunctionReturn(0);
}

/* All ranks' points of a set, in rank order, on every rank */
static PetscErrorCode GatherPoints(PINN pinn, PINNPointSet set, PetscInt *N, PetscReal **all)
{
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  PetscInt         n;
  const PetscReal *x;
  PetscMPIInt      size, cnt, *counts, *displs;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PINNGetPoints(pinn, set, &n, &x, NULL));
  PetscCall(MPIU_Allreduce(&n, N, 1, MPIU_INT, MPI_SUM, comm));
  PetscCall(PetscMalloc1(2 * *N, all));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  cnt = (PetscMPIInt)(2 * n);
  PetscCallMPI(MPI_Allgather(&cnt, 1, MPI_INT, counts, 1, MPI_INT, comm));
  displs[0] = 0;
  for (PetscMPIInt r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
  PetscCallMPI(MPI_Allgatherv(x, cnt, MPIU_REAL, *all, counts, displs, MPIU_REAL, comm));
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckPoints(MPI_Comm comm, PetscReal *worst)
{
  PINN       pinn;
  PetscInt   N, seen[NL * NT];
  PetscReal *all, dev = 0;

  PetscFunctionBegin;
  PetscCall(Create(comm, 0, &pinn));
  PetscCall(GatherPoints(pinn, PINN_POINTS_INTERIOR, &N, &all));
  PetscCheck(N == NL * NT, comm, PETSC_ERR_PLIB, "%" PetscInt_FMT " interior points, not %d", N, NL * NT);
  for (PetscInt k = 0; k < N; k++) {
    const PetscInt i = k % NL, j = k / NL;
    dev = PetscMax(dev, PetscAbsReal(all[2 * k] - 2 * PETSC_PI * i / NL) + PetscAbsReal(all[2 * k + 1] - (PetscReal)j / (NT - 1)));
  }
  PetscCall(PetscFree(all));
  PetscCall(GatherPoints(pinn, PINN_POINTS_INITIAL, &N, &all));
  PetscCheck(N == NL, comm, PETSC_ERR_PLIB, "%" PetscInt_FMT " initial points, not %d", N, NL);
  for (PetscInt k = 0; k < N; k++) dev = PetscMax(dev, PetscAbsReal(all[2 * k] - 2 * PETSC_PI * k / NL) + PetscAbsReal(all[2 * k + 1]));
  PetscCall(PetscFree(all));
  PetscCall(Report(comm, "grid points (interior t-major, initial) vs the formula (absolute)", dev, 1e-15, worst));
  PetscCall(PINNDestroy(&pinn));
  /* with mini-batches: the same grid points, each once, in another order */
  PetscCall(Create(comm, 40, &pinn));
  PetscCall(GatherPoints(pinn, PINN_POINTS_INTERIOR, &N, &all));
  PetscCall(PetscArrayzero(seen, NL * NT));
  {
    PetscInt  moved = 0, missing = 0, times0 = 0;
    PetscReal t0 = all[1];
    for (PetscInt k = 0; k < N; k++) {
      const PetscInt i = (PetscInt)PetscFloorReal(all[2 * k] * NL / (2 * PETSC_PI) + 0.5),
                     j = (PetscInt)PetscFloorReal(all[2 * k + 1] * (NT - 1) + 0.5);
      if (i >= 0 && i < NL && j >= 0 && j < NT) seen[j * NL + i]++;
      if (j * NL + i != k) moved++;
      if (k < 40 && all[2 * k + 1] == t0) times0++;
    }
    for (PetscInt g = 0; g < NL * NT; g++) missing += seen[g] != 1;
    PetscCall(PetscPrintf(comm,
                          "mini-batch order: %" PetscInt_FMT " of %" PetscInt_FMT " points moved, %" PetscInt_FMT
                          " grid points not seen exactly once, the first batch has %" PetscInt_FMT " of 40 points at its first time\n",
                          moved, N, missing, times0));
    PetscCall(Report(comm, "mini-batch order: grid points not seen exactly once", (PetscReal)missing, 0.5, worst));
    PetscCall(Report(comm, "mini-batch order: a batch of 40 within one time slice (fraction)", times0 == 40 ? 1.0 : 0.0, 0.5, worst));
  }
  PetscCall(PetscFree(all));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckRanks(MPI_Comm comm, PetscReal *worst)
{
  PINN      par, ser;
  Vec       theta, thetas, g, gs, gall, all;
  PetscReal f, fs, dev, gmax, norm;

  PetscFunctionBegin;
  PetscCall(Create(comm, 0, &par));
  PetscCall(Create(PETSC_COMM_SELF, 0, &ser));
  PetscCall(PINNGetParameters(par, &theta));
  PetscCall(VecDuplicate(theta, &g));
  PetscCall(PINNGetParameters(ser, &thetas));
  PetscCall(VecDuplicate(thetas, &gs));
  PetscCall(PINNComputeLoss(par, &f, g));
  PetscCall(PINNComputeLoss(ser, &fs, gs));
  PetscCall(GatherAll(g, &gall));
  PetscCall(VecNorm(gs, NORM_INFINITY, &gmax));
  PetscCall(VecAXPY(gall, -1.0, gs));
  PetscCall(VecNorm(gall, NORM_INFINITY, &dev));
  PetscCall(Report(comm, "grid: loss vs one rank (relative)", PetscAbsReal(f - fs) / fs, 1e-12, worst));
  PetscCall(Report(comm, "grid: gradient vs one rank (relative)", dev / gmax, 1e-12, worst));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&gs));
  PetscCall(VecDestroy(&gall));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  /* mini-batches of 48 (not a divisor of 160): training on all ranks = training on one */
  PetscCall(Create(comm, 48, &par));
  PetscCall(Create(PETSC_COMM_SELF, 48, &ser));
  PetscCall(PINNTrain(par));
  PetscCall(PINNTrain(ser));
  PetscCall(PINNGetParameters(par, &theta));
  PetscCall(PINNGetParameters(ser, &thetas));
  PetscCall(GatherAll(theta, &all));
  PetscCall(VecNorm(thetas, NORM_INFINITY, &norm));
  PetscCall(VecAXPY(all, -1.0, thetas));
  PetscCall(VecNorm(all, NORM_INFINITY, &dev));
  PetscCall(Report(comm, "grid, batches of 48: 6 Adam steps vs one rank, parameters (relative)", dev / norm, 1e-6, worst));
  PetscCall(VecDestroy(&all));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckSamplerConflict(MPI_Comm comm, PetscReal *worst)
{
  PINN           pinn;
  PetscErrorCode ierr;
  PetscInt       ok;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_type", "rad"));
  PetscCall(LagrangianProblemCreate(comm, &pinn));
  PetscCall(PINNLagrangianSetGrid(pinn, NL, NT));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_type"));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNSetUp(pinn);
  PetscCall(PetscPopErrorHandler());
  ok = ierr == PETSC_ERR_ARG_INCOMP && strstr(message, "-pinn_lagrangian_grid") && strstr(message, "rad");
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscPrintf(comm, "grid with -pinn_sampler_type rad: error %d: %s\n", (int)ierr, message));
  PetscCall(Report(comm, "grid with a residual-based sampler: no error naming both", ok ? 0.0 : 1.0, 0.5, worst));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  PetscReal worst = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCall(CheckPoints(comm, &worst));
  PetscCall(CheckRanks(comm, &worst));
  PetscCall(CheckSamplerConflict(comm, &worst));
  PetscCall(PetscPrintf(comm, "worst ratio of deviation to tolerance %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return worst < 1 ? 0 : 1;
}

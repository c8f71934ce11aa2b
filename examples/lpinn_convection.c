static const char help[] = "Lagrangian PINN for u_t + c u_x = 0, u0 = sin x, on [0, 2 pi) x [0, 1] (issue 11).\n"
                           "Trains PINN type lagrangian and prints its relative L2 error on the nx x nt Eulerian grid against\n"
                           "the exact solution (ReferenceConvectionDiffusion1d()); with -eulerian also the Eulerian PINN with\n"
                           "the same steps and points, side by side.\n"
                           "  -c <30>         convection speed\n"
                           "  -nx <256>, -nt <100> the evaluation grid (x_i = 2 pi i / nx, t_j = j / (nt - 1))\n"
                           "  -eulerian       also train the Eulerian PINN (periodic embedding, soft initial condition)\n"
                           "  -expect_error e fail (exit 1) when the Lagrangian error exceeds e\n";

#include <nnpde.h>

static PetscErrorCode InitialSin(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) v[p] = PetscSinReal(x[p * dim]);
  return 0;
}

static PetscErrorCode ReferenceSin(void *ctx, PetscInt n, const PetscReal x[], PetscReal u0[])
{
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) u0[p] = PetscSinReal(x[p]);
  return 0;
}

static PetscErrorCode ExactSolution(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  const PetscReal c = *(const PetscReal *)ctx;
  (void)nc;
  for (PetscInt p = 0; p < n; p++) v[p] = PetscSinReal(x[p * dim] - c * x[p * dim + 1]);
  return 0;
}

/* Relative L2 (Frobenius) error of u (this rank's time slices, layout of the reference Vec) */
static PetscErrorCode RelativeError(Vec ref, const PetscReal u[], PetscReal *err)
{
  const PetscScalar *r;
  PetscInt           n;
  PetscReal          s[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(ref, &n));
  PetscCall(VecGetArrayRead(ref, &r));
  for (PetscInt i = 0; i < n; i++) s[0] += PetscSqr(u[i] - PetscRealPart(r[i])), s[1] += PetscSqr(PetscRealPart(r[i]));
  PetscCall(VecRestoreArrayRead(ref, &r));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, s, 2, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)ref)));
  *err = PetscSqrtReal(s[0] / s[1]);
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateProblem(MPI_Comm comm, PINNType type, PetscReal *c, PINN *pinn)
{
  const PetscReal lo = 0, hi = 2 * PETSC_PI;
  PINNGeometry    line, st;
  PetscBool       lagrangian;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(type, PINNLAGRANGIAN, &lagrangian));
  PetscCall(PINNGeometryCreateBox(comm, 1, &lo, &hi, &line));
  PetscCall(PINNGeometryCreateSpaceTime(line, 0, 1, &st));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, st));
  PetscCall(PINNSetType(*pinn, type));
  PetscCall(PINNSetNumPoints(*pinn, 2560, 0, 256));
  PetscCall(PINNSetSteps(*pinn, 2000, 0));
  PetscCall(PINNSetExactSolution(*pinn, ExactSolution, c));
  if (lagrangian) {
    PetscCall(PINNLagrangianSetInitialCondition(*pinn, InitialSin, NULL));
    PetscCall(PINNLagrangianSetSpeed(*pinn, PINN_LAGRANGIAN_F1_C, *c, 0));
  } else {
    const PetscInt widths[4] = {50, 50, 50, 50}, periodic = 0;
    NN             nn;
    PetscCall(NNCreate(comm, &nn));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, "eulerian_"));
    PetscCall(NNSetSizes(nn, 2, 1));
    PetscCall(NNMLPSetHiddenLayers(nn, 4, widths));
    PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
    PetscCall(NNSetFromOptions(nn));
    PetscCall(PINNSetNetwork(*pinn, "u", nn));
    PetscCall(NNDestroy(&nn));
    PetscCall(PINNAddConvectionDiffusion(*pinn, c, 0, NULL, NULL, 1));
    PetscCall(PINNAddInitial(*pinn, "ic", 0, InitialSin, NULL, 1000));
  }
  PetscCall(PINNGeometryDestroy(&line));
  PetscCall(PINNGeometryDestroy(&st));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm       comm;
  PetscReal      c = 30, expect = 0, errl, erre = -1, *t, *x, *u;
  PetscInt       nx = 256, nt = 100, lo, hi, j0, j1;
  PetscBool      eulerian = PETSC_FALSE;
  PINN           pinn;
  Vec            ref;
  PetscLogDouble t0, t1;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-c", &c, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nx", &nx, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nt", &nt, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-eulerian", &eulerian, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-expect_error", &expect, NULL));
  PetscCheck(nx > 1 && nt > 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "-nx and -nt must be at least 2, got %" PetscInt_FMT " and %" PetscInt_FMT, nx, nt);

  PetscCall(PetscMalloc2(nt, &t, nx, &x));
  for (PetscInt j = 0; j < nt; j++) t[j] = (PetscReal)j / (nt - 1);
  for (PetscInt i = 0; i < nx; i++) x[i] = 2 * PETSC_PI * i / nx;
  PetscCall(ReferenceConvectionDiffusion1d(comm, c, 0, ReferenceSin, NULL, 64, nx, x, nt, t, &ref));
  PetscCall(VecGetOwnershipRange(ref, &lo, &hi));
  j0 = lo / nx, j1 = hi / nx;
  PetscCall(PetscMalloc1(hi - lo, &u));

  PetscCall(CreateProblem(comm, PINNLAGRANGIAN, &c, &pinn));
  PetscCall(PetscTime(&t0));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscTime(&t1));
  PetscCall(PINNLagrangianEvaluateGrid(pinn, nx, nx, x, j1 - j0, t + j0, u));
  PetscCall(RelativeError(ref, u, &errl));
  PetscCall(PetscPrintf(comm, "lagrangian: c = %g, relative L2 error on the %" PetscInt_FMT " x %" PetscInt_FMT " grid %.4e (training %.1f s)\n",
                        (double)c, nx, nt, (double)errl, t1 - t0));
  PetscCall(PINNDestroy(&pinn));

  if (eulerian) {
    PetscReal *xt;
    PetscCall(CreateProblem(comm, PINNEULERIAN, &c, &pinn));
    PetscCall(PetscTime(&t0));
    PetscCall(PINNTrain(pinn));
    PetscCall(PetscTime(&t1));
    PetscCall(PetscMalloc1(2 * (hi - lo), &xt));
    for (PetscInt j = j0; j < j1; j++)
      for (PetscInt i = 0; i < nx; i++) xt[2 * ((j - j0) * nx + i)] = x[i], xt[2 * ((j - j0) * nx + i) + 1] = t[j];
    PetscCall(PINNEvaluate(pinn, hi - lo, xt, u));
    PetscCall(RelativeError(ref, u, &erre));
    PetscCall(PetscPrintf(comm, "eulerian:   c = %g, relative L2 error on the %" PetscInt_FMT " x %" PetscInt_FMT " grid %.4e (training %.1f s)\n",
                          (double)c, nx, nt, (double)erre, t1 - t0));
    PetscCall(PetscFree(xt));
    PetscCall(PINNDestroy(&pinn));
  }
  PetscCall(VecDestroy(&ref));
  PetscCall(PetscFree(u));
  PetscCall(PetscFree2(t, x));
  if (expect > 0 && !(errl <= expect)) {
    PetscCall(PetscPrintf(comm, "FAILED: the Lagrangian error %.4e exceeds -expect_error %g\n", (double)errl, (double)expect));
    PetscCall(PetscFinalize());
    return 1;
  }
  PetscCall(PetscFinalize());
  return 0;
}

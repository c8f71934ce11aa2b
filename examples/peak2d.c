static const char help[] = "PINN for the DAS peak problem: -lap u = f on [-1,1]^2, u* = exp(-1000 [(x-1/2)^2 + (y-1/2)^2]), u = u* on the boundary.\n"
                           "A test of adaptive sampling (-pinn_sampler_type): the peak is narrow (width about 0.03).\n"
                           "  -problem <peak|two-peak> peak: the one peak at a = (1/2,1/2); two-peak: u* = exp(-1000|x-a|^2) + exp(-1000|x-b|^2),\n"
                           "                    a = (1/2,1/2), b = (-1/2,-1/2)\n"
                           "  -bc <soft|hard>   boundary condition as a loss term, or through u = phi N (u* < 1e-100 on the boundary)\n"
                           "  -expect_error <e> fail unless the final relative L2 error is at most e (for tests)\n"
                           "  -output <file>    solution on a grid (HDF5 + XDMF; default peak2d.h5)\n"
                           "  -grid <n>         grid points per side of the output (default 201)\n"
                           "  -test_grid <n>    the error on the midpoints of an n x n grid of cells (default 256, as the DAS code's\n"
                           "                    256 x 256 validation grid; uniform random test points miss a peak this narrow; a grid too\n"
                           "                    coarse to resolve the peak, below 55, is refused)\n"
                           "and the -pinn_ options (see PINNSetFromOptions), e.g. -pinn_monitor, -pinn_adam_steps,\n"
                           "-pinn_lbfgs_steps, -pinn_interior_points, -pinn_sample_type, -pinn_nn_mlp_hidden_layers, and for adaptive sampling\n"
                           "-pinn_sampler_type <uniform|rad|rard|rarg|...>, -pinn_resample_every <k>, -pinn_sampler_diagnostics,\n"
                           "-pinn_sampler_dump <prefix> (pictures: tools/plot_samples.py); bench/run_samplers.sh compares the samplers.\n";

#include <nnpde.h>

#define PEAK_ALPHA 1000.0

/* The peaks' centres: a = (1/2,1/2), and for -problem two-peak also b = (-1/2,-1/2) */
static const PetscReal Centre[2][2] = {{0.5, 0.5}, {-0.5, -0.5}};

/* u* = sum over the peaks c of exp(-alpha r_c^2), r_c^2 = |x - c|^2; -lap exp(-alpha r^2) = (4 alpha - 4 alpha^2 r^2) exp(-alpha r^2).
   ctx: the number of peaks */
static PetscErrorCode Source(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  const PetscInt npeaks = *(const PetscInt *)ctx;

  (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    f[p] = 0;
    for (PetscInt c = 0; c < npeaks; c++) {
      const PetscReal r2 = PetscSqr(x[p * dim] - Centre[c][0]) + PetscSqr(x[p * dim + 1] - Centre[c][1]);
      f[p] += 4.0 * PEAK_ALPHA * (1.0 - PEAK_ALPHA * r2) * PetscExpReal(-PEAK_ALPHA * r2);
    }
  }
  return 0;
}

static PetscErrorCode Exact(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  const PetscInt npeaks = *(const PetscInt *)ctx;

  (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    u[p] = 0;
    for (PetscInt c = 0; c < npeaks; c++)
      u[p] += PetscExpReal(-PEAK_ALPHA * (PetscSqr(x[p * dim] - Centre[c][0]) + PetscSqr(x[p * dim + 1] - Centre[c][1])));
  }
  return 0;
}

/* This rank's slice of the midpoints of an n x n grid of cells on [lo, hi]^2: the error's test set (equal weights,
   the midpoint rule; the same points for every seed and rank count). The error divides by the norm of u* on these
   points, so a grid too coarse for the peaks is refused: one where the midpoint rule could get the integral of u*^2
   wrong by more than 10%, wherever a peak sits between the midpoints (the worst cases: on a midpoint, and halfway
   between two; in 2-D the square of the 1-D rule's ratio). That is below 55 cells per side. */
static PetscErrorCode SetTestGrid(PINN pinn, PetscInt n, const PetscReal lo[], const PetscReal hi[])
{
  PetscInt        N = n * n, local = PETSC_DECIDE, start;
  PetscReal      *x, worst         = 0;
  const PetscReal a = 2 * PEAK_ALPHA, h = (hi[0] - lo[0]) / n; /* u*^2 = exp(-a r^2); square cells */

  PetscFunctionBeginUser;
  for (PetscInt off = 0; off < 2; off++) { /* 1-D rule of exp(-a x^2) with the centre on a midpoint, or halfway */
    PetscReal sum = 0;

    for (PetscInt k = -n; k <= n; k++) sum += h * PetscExpReal(-a * PetscSqr((k + 0.5 * off) * h));
    worst = PetscMax(worst, PetscAbsReal(PetscSqr(sum / PetscSqrtReal(PETSC_PI / a)) - 1));
  }
  PetscCheck(worst <= 0.1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-test_grid %" PetscInt_FMT
             " is too coarse for the peak (width about 0.03): its midpoint rule can get the integral of u*^2 wrong by %.0f%%, "
             "depending on where the peak sits, so the relative error would be meaningless; use at least 55 cells per side (default 256)",
             n, (double)(100 * worst));
  PetscCall(PetscSplitOwnership(PETSC_COMM_WORLD, &local, &N));
  PetscCallMPI(MPI_Scan(&local, &start, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  start -= local;
  PetscCall(PetscMalloc1(2 * local, &x));
  for (PetscInt p = 0; p < local; p++) {
    const PetscInt g = start + p, i = g % n, j = g / n;
    x[2 * p]     = lo[0] + (i + 0.5) * (hi[0] - lo[0]) / n;
    x[2 * p + 1] = lo[1] + (j + 0.5) * (hi[1] - lo[1]) / n;
  }
  PetscCall(PINNSetTestSet(pinn, local, x, NULL));
  PetscCall(PetscFree(x));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINN            pinn;
  PINNGeometry    square;
  const PetscReal lo[2] = {-1, -1}, hi[2] = {1, 1};
  const char     *bcs[]      = {"soft", "hard", "BC", "", NULL};
  const char     *problems[] = {"peak", "two-peak", "Problem", "", NULL};
  PetscEnum       bc = 0, problem = 0;
  PetscInt        npeaks;
  PetscInt        grid = 201, test_grid = 256;
  PetscReal       err, expect           = 0;
  char            output[PETSC_MAX_PATH_LEN] = "peak2d.h5";
  PetscLogDouble  t0, t1;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "peak2d options", NULL);
  PetscCall(PetscOptionsEList("-problem", "One peak, or two", NULL, problems, 2, problems[0], (PetscInt *)&problem, NULL));
  PetscCall(PetscOptionsEList("-bc", "Boundary condition", NULL, bcs, 2, bcs[0], (PetscInt *)&bc, NULL));
  PetscCall(PetscOptionsReal("-expect_error", "Fail above this relative L2 error", NULL, expect, &expect, NULL));
  PetscCall(PetscOptionsString("-output", "Solution file", NULL, output, output, sizeof(output), NULL));
  PetscCall(PetscOptionsInt("-grid", "Output grid points per side", NULL, grid, &grid, NULL));
  PetscCall(PetscOptionsInt("-test_grid", "Cells per side of the error's midpoint grid", NULL, test_grid, &test_grid, NULL));
  PetscOptionsEnd();
  PetscCheck(expect >= 0 && !PetscIsInfOrNanReal(expect), PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-expect_error %g must be finite and >= 0 (0: no check)", (double)expect);
  PetscCheck(test_grid >= 1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-test_grid must be positive, got %" PetscInt_FMT, test_grid);
  npeaks = problem == 1 ? 2 : 1;

  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &square));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, square));
  PetscCall(PINNAddPoisson(pinn, 0.0, Source, &npeaks, 1.0));
  if (bc == 1)
    PetscCall(PINNSetHardDirichlet(pinn, NULL, NULL)); /* u* vanishes on the boundary to double precision */
  else
    PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, Exact, &npeaks, 1.0));
  PetscCall(PINNSetExactSolution(pinn, Exact, &npeaks));
  PetscCall(SetTestGrid(pinn, test_grid, lo, hi));
  /* defaults: a few minutes on 2 ranks (override with -pinn_...) */
  PetscCall(PINNSetNumPoints(pinn, 4000, bc == 1 ? 0 : 400, 0));
  PetscCall(PINNSetSteps(pinn, 3000, 2000));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNCheckOutputFile(pinn, output, "-output")); /* now, not after training */
  PetscCall(PetscTime(&t0));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscTime(&t1));
  PetscCall(PINNComputeError(pinn, &err));
  PetscCall(PINNWriteSolution(pinn, output, grid, grid));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "peak2d (%s%s boundary condition): relative L2 error %.3e after %.1f s\n", problem == 1 ? "two-peak, " : "",
                        bcs[bc], (double)err, t1 - t0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solution: %s (and .xmf for ParaView)\n", output));
  PetscCheck(expect <= 0 || err <= expect, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Relative L2 error %g is above the expected %g", (double)err,
             (double)expect);
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PINNGeometryDestroy(&square));
  PetscCall(PetscFinalize());
  return 0;
}

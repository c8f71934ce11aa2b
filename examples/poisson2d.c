static const char help[] = "PINN for -lap u = 2 pi^2 sin(pi x) sin(pi y) on [0,1]^2, u = 0 on the boundary.\n"
                           "  -bc <soft|hard>   boundary condition as a loss term, or exact through u = x(1-x)y(1-y) N\n"
                           "  -output <file>    solution on a grid (HDF5 + XDMF; default poisson2d.h5)\n"
                           "  -grid <n>         grid points per side of the output (default 101)\n"
                           "  -expect_error <e> fail unless the final relative L2 error is at most e (for tests)\n"
                           "and the -pinn_ options (see PINNSetFromOptions), e.g. -pinn_monitor, -pinn_adam_steps,\n"
                           "-pinn_lbfgs_steps, -pinn_checkpoint, -pinn_restart, -pinn_nn_mlp_hidden_layers.\n";

#include <nnpde.h>

static PetscErrorCode Source(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) f[p] = 2 * PETSC_PI * PETSC_PI * PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}

static PetscErrorCode Exact(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) u[p] = PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}

int main(int argc, char **argv)
{
  PINN            pinn;
  PINNGeometry    square;
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  const char     *bcs[]                      = {"soft", "hard", "PoissonBC", "", NULL};
  PetscEnum       bc                         = 0;
  PetscInt        grid                       = 101;
  char            output[PETSC_MAX_PATH_LEN] = "poisson2d.h5", ckpt[PETSC_MAX_PATH_LEN] = "";
  PetscReal       err, expect                                                           = 0;
  PetscLogDouble  t0, t1;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "poisson2d options", NULL);
  PetscCall(PetscOptionsEList("-bc", "Boundary condition", NULL, bcs, 2, bcs[0], (PetscInt *)&bc, NULL));
  PetscCall(PetscOptionsString("-output", "Solution file", NULL, output, output, sizeof(output), NULL));
  PetscCall(PetscOptionsInt("-grid", "Output grid points per side", NULL, grid, &grid, NULL));
  PetscCall(PetscOptionsReal("-expect_error", "Fail above this relative L2 error", NULL, expect, &expect, NULL));
  PetscOptionsEnd();
  PetscCheck(expect >= 0 && !PetscIsInfOrNanReal(expect), PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-expect_error %g must be finite and >= 0 (0: no check)", (double)expect);

  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &square));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, square));
  PetscCall(PINNAddPoisson(pinn, 0.0, Source, NULL, 1.0));
  if (bc == 1)
    PetscCall(PINNSetHardDirichlet(pinn, NULL, NULL)); /* u = 0 exactly */
  else
    PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetExactSolution(pinn, Exact, NULL));
  /* defaults that reach 1e-3 (override with -pinn_...) */
  PetscCall(PINNSetNumPoints(pinn, 2000, bc == 1 ? 0 : 400, 0));
  PetscCall(PINNSetSteps(pinn, 3000, 3000));
  PetscCall(PINNSetMonitor(pinn, PETSC_TRUE, 500, "poisson2d_history.csv"));
  PetscCall(PINNSetCheckpoint(pinn, "poisson2d_checkpoint.h5", 1000));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNCheckOutputFile(pinn, output, "-output")); /* now, not after training */
  PetscCall(PetscTime(&t0));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscTime(&t1));
  PetscCall(PINNComputeError(pinn, &err));
  PetscCall(PINNWriteSolution(pinn, output, grid, grid));
  PetscCall(PetscStrncpy(ckpt, "poisson2d_checkpoint.h5", sizeof(ckpt)));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-pinn_checkpoint", ckpt, sizeof(ckpt), NULL));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "poisson2d (%s boundary condition): relative L2 error %.3e after %.1f s\n", bcs[bc], (double)err, t1 - t0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solution: %s (and .xmf for ParaView)%s%s\n", output, ckpt[0] ? ", checkpoint: " : "", ckpt));
  {
    char history[PETSC_MAX_PATH_LEN] = "poisson2d_history.csv";
    PetscCall(PetscOptionsGetString(NULL, NULL, "-pinn_monitor_history", history, sizeof(history), NULL));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "draw it: tools/plot_pinn.py %s --history %s\n", output, history));
  }
  PetscCheck(expect <= 0 || err <= expect, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Relative L2 error %g is above the expected %g", (double)err,
             (double)expect);
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PINNGeometryDestroy(&square));
  PetscCall(PetscFinalize());
  return 0;
}

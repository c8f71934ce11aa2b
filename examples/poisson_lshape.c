static const char help[] = "PINN for -lap u = 1 on DeepXDE's L-shape [[0,0],[1,0],[1,-1],[-1,-1],[-1,1],[0,1]], u = 0 on the boundary.\n"
                           "The reference is a finite-difference solve (ReferencePoisson2d) on [-1,1]^2.\n"
                           "  -ref_grid <n>     reference grid nodes per side of [-1,1]^2, odd (default 513: h = 1/256, error about 2e-4)\n"
                           "  -expect_error <e> fail unless the final relative L2 error is at most e (for tests)\n"
                           "  -output <file>    solution on a grid (HDF5 + XDMF; default poisson_lshape.h5)\n"
                           "  -grid <n>         grid points per side of the output (default 101)\n"
                           "and the -pinn_ options (see PINNSetFromOptions), e.g. -pinn_monitor, -pinn_adam_steps,\n"
                           "-pinn_lbfgs_steps, -pinn_bc_weight, -pinn_nn_mlp_hidden_layers, -ref_ksp_monitor.\n";

#include <nnpde.h>

/* the reference solution and the geometry it was computed for */
typedef struct {
  PINNGeometry geom;
  DM           da;
  Vec          u;
} Reference;

static PetscErrorCode Inside(void *ctx, PetscInt n, const PetscReal x[], PetscBool inside[])
{
  Reference *ref = (Reference *)ctx;

  PetscFunctionBegin;
  PetscCall(PINNGeometryContains(ref->geom, n, x, inside));
  PetscFunctionReturn(0);
}

static PetscErrorCode One(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  (void)ctx, (void)dim, (void)x, (void)nc;
  for (PetscInt p = 0; p < n; p++) f[p] = 1;
  return 0;
}

static PetscErrorCode OnePoint(void *ctx, PetscInt n, const PetscReal x[], PetscReal f[])
{
  return One(ctx, n, 2, x, 1, f);
}

/* The reference at the points. ReferenceInterpolate2d() is collective: this relies on the PINN
   calling the exact solution on every rank at once (PINNSetUp() for the test points,
   PINNWriteSolution() for the grid), each rank with its own points (possibly none). */
static PetscErrorCode ReferenceValue(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  Reference *ref = (Reference *)ctx;

  PetscFunctionBegin;
  (void)nc;
  PetscCheck(dim == 2, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "The L-shape reference is 2-D, got points of dimension %" PetscInt_FMT, dim);
  PetscCall(ReferenceInterpolate2d(ref->da, ref->u, n, x, u));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINN            pinn;
  NN              nn;
  Reference       ref;
  const PetscReal vertices[12] = {0, 0, 1, 0, 1, -1, -1, -1, -1, 1, 0, 1}, lo[2] = {-1, -1}, hi[2] = {1, 1};
  const PetscInt  widths[4] = {50, 50, 50, 50};
  PetscInt        grid = 101, refgrid = 513;
  PetscReal       err, expect         = 0;
  char            output[PETSC_MAX_PATH_LEN] = "poisson_lshape.h5";
  PetscLogDouble  t0, t1, t2;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "poisson_lshape options", NULL);
  PetscCall(PetscOptionsInt("-ref_grid", "Reference grid nodes per side of [-1,1]^2", NULL, refgrid, &refgrid, NULL));
  PetscCall(PetscOptionsReal("-expect_error", "Fail above this relative L2 error", NULL, expect, &expect, NULL));
  PetscCall(PetscOptionsString("-output", "Solution file", NULL, output, output, sizeof(output), NULL));
  PetscCall(PetscOptionsInt("-grid", "Output grid points per side", NULL, grid, &grid, NULL));
  PetscOptionsEnd();
  PetscCheck(expect >= 0 && !PetscIsInfOrNanReal(expect), PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-expect_error %g must be finite and >= 0 (0: no check)", (double)expect);
  /* an even number of cells puts the re-entrant corner on a node: the grid resolves the L exactly */
  PetscCheck(refgrid >= 5 && refgrid % 2 == 1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-ref_grid must be odd and at least 5 (an even number of cells per side), got %" PetscInt_FMT, refgrid);
  PetscCall(NNFileCheckWritable(PETSC_COMM_WORLD, output, "-output")); /* before the reference solve (the rest once the PINN knows its files) */

  PetscCall(PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 6, vertices, &ref.geom));
  PetscCall(PetscTime(&t0));
  PetscCall(ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, refgrid, refgrid, 0.0, Inside, &ref, OnePoint, NULL, NULL, NULL, &ref.da, &ref.u));
  PetscCall(PetscTime(&t1));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "reference: finite differences on a %" PetscInt_FMT " x %" PetscInt_FMT " grid (h = 2/%" PetscInt_FMT ") in %.1f s\n",
                        refgrid, refgrid, refgrid - 1, t1 - t0));

  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, ref.geom));
  PetscCall(PINNAddPoisson(pinn, 0.0, One, NULL, 1.0));
  /* the distance function that a hard condition needs is not available for polygons */
  PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1000.0));
  PetscCall(PINNSetExactSolution(pinn, ReferenceValue, &ref));
  /* defaults that reach 1e-2: DeepXDE's network, more points, a strong boundary weight, long L-BFGS
     (override with -pinn_...) */
  PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, "pinn_"));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 4, widths));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(PINNSetNetwork(pinn, "u", nn));
  PetscCall(PINNSetNumPoints(pinn, 2000, 400, 0));
  PetscCall(PINNSetSampleType(pinn, PINN_SAMPLE_SOBOL, 0));
  PetscCall(PINNSetSteps(pinn, 2000, 6000));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNCheckOutputFile(pinn, output, "-output")); /* now, not after training */
  PetscCall(PetscTime(&t1));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscTime(&t2));
  PetscCall(PINNComputeError(pinn, &err));
  PetscCall(PINNWriteSolution(pinn, output, grid, grid));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "poisson_lshape: relative L2 error %.3e against the %" PetscInt_FMT "^2 reference after %.1f s\n",
                        (double)err, refgrid, t2 - t1));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solution: %s (and .xmf for ParaView)\n", output));
  PetscCheck(expect <= 0 || err <= expect, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Relative L2 error %g is above the expected %g", (double)err,
             (double)expect);
  PetscCall(NNDestroy(&nn));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(VecDestroy(&ref.u));
  PetscCall(DMDestroy(&ref.da));
  PetscCall(PINNGeometryDestroy(&ref.geom));
  PetscCall(PetscFinalize());
  return 0;
}

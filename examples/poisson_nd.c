static const char help[] =
    "PINN for the Poisson equation -lap u = f in d dimensions, u = u* on the boundary, with the Laplacian stream.\n"
    "  -problem <pinnacle|das>  pinnacle: PINNacle's PoissonND raised to d dimensions, u* = sum_i sin(pi x_i/2) on [0,1]^d;\n"
    "                           das: the DAS paper's u* = exp(-10 |x|^2) on [-1,1]^d (for the adaptive samplers; uniform: the baseline)\n"
    "  -dim <d>          dimension (default 10)\n"
    "  -bc <soft|hard>   boundary condition as a loss term, or exact through u = u* + phi N (phi: the box's distance)\n"
    "  -expect_error <e> fail unless the final relative L2 error is at most e (for tests)\n"
    "  -output <file>    solution on the (x0,x1) plane through the centre (HDF5 + XDMF; default poisson_nd.h5)\n"
    "  -grid <n>         grid points per side of the output (default 101)\n"
    "  -test_points <n>  das: the error's test points, half uniform and half from N(0, I/40) (where u*^2 lives), weighted\n"
    "                    by 1/q of that mixture (default 20000; uniform points alone put about 1 in 10^4 near the peak);\n"
    "                    the error near the peak, in L2 of N(0, I/40), is printed too\n"
    "and the -pinn_ options (see PINNSetFromOptions), e.g. -pinn_monitor, -pinn_adam_steps,\n"
    "-pinn_lbfgs_steps, -pinn_interior_points, -pinn_bc_weight, -pinn_nn_mlp_hidden_layers.\n"
    "Adaptive sampling (the das problem's purpose): -pinn_sampler_type <uniform|rad|rard|rarg|...> with\n"
    "-pinn_resample_every <k> (adapt every k Adam steps), -pinn_sampler_diagnostics (per-stage probe statistics\n"
    "in the monitor and the -pinn_monitor_history CSV), -pinn_sampler_dump <prefix>; bench/run_samplers.sh compares them.\n";

#include <nnpde.h>

typedef enum { PROBLEM_PINNACLE, PROBLEM_DAS } Problem;
static const char *const Problems[] = {"pinnacle", "das", "Problem", "PROBLEM_", NULL};

/* u* = sum_i sin(a x_i), a = pi/2; -lap u* = a^2 u* */
static PetscErrorCode SinesSource(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  const PetscReal a = 0.5 * PETSC_PI;

  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal s = 0;
    for (PetscInt i = 0; i < dim; i++) s += PetscSinReal(a * x[p * dim + i]);
    f[p] = a * a * s;
  }
  return 0;
}

static PetscErrorCode SinesExact(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  const PetscReal a = 0.5 * PETSC_PI;

  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal s = 0;
    for (PetscInt i = 0; i < dim; i++) s += PetscSinReal(a * x[p * dim + i]);
    u[p] = s;
  }
  return 0;
}

/* u* = exp(-10 |x|^2); -lap u* = (20 d - 400 |x|^2) u* */
static PetscErrorCode GaussSource(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal r2 = 0;
    for (PetscInt i = 0; i < dim; i++) r2 += x[p * dim + i] * x[p * dim + i];
    f[p] = (20.0 * dim - 400.0 * r2) * PetscExpReal(-10.0 * r2);
  }
  return 0;
}

static PetscErrorCode GaussExact(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    PetscReal r2 = 0;
    for (PetscInt i = 0; i < dim; i++) r2 += x[p * dim + i] * x[p * dim + i];
    u[p] = PetscExpReal(-10.0 * r2);
  }
  return 0;
}

/* Jets of the lifting g = u* for the hard condition (layout of NNOutputTransformFn, one component):
   t = 0 value, 1 + i, 1 + d + i d + j, 1 + d + d^2 + (i d + j) d + k */
static PetscErrorCode SinesLifting(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  const PetscReal a = 0.5 * PETSC_PI;
  const PetscInt  J = 1 + d + d * d + (order == 3 ? d * d * d : 0);

  PetscFunctionBegin;
  (void)ctx, (void)phi;
  PetscCheck(m == 1, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "The lifting has one component, the network %" PetscInt_FMT, m);
  PetscCall(PetscArrayzero(g, n * J));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal *o = &g[p * J];
    for (PetscInt i = 0; i < d; i++) {
      const PetscReal s = PetscSinReal(a * x[p * d + i]), c = PetscCosReal(a * x[p * d + i]);
      o[0] += s;
      o[1 + i]             = a * c;
      o[1 + d + i * d + i] = -a * a * s;
      if (order == 3) o[1 + d + d * d + (i * d + i) * d + i] = -a * a * a * c;
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode GaussLifting(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  const PetscInt J = 1 + d + d * d + (order == 3 ? d * d * d : 0);

  PetscFunctionBegin;
  (void)ctx, (void)phi;
  PetscCheck(m == 1, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "The lifting has one component, the network %" PetscInt_FMT, m);
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *y = &x[p * d];
    PetscReal       *o = &g[p * J], r2 = 0, e;
    for (PetscInt i = 0; i < d; i++) r2 += y[i] * y[i];
    e    = PetscExpReal(-10.0 * r2);
    o[0] = e;
    for (PetscInt i = 0; i < d; i++) {
      o[1 + i] = -20.0 * y[i] * e;
      for (PetscInt j = 0; j < d; j++) {
        const PetscReal hij  = 400.0 * y[i] * y[j] - (i == j ? 20.0 : 0.0);
        o[1 + d + i * d + j] = hij * e;
        if (order == 3)
          for (PetscInt k = 0; k < d; k++)
            o[1 + d + d * d + (i * d + j) * d + k] = (400.0 * ((i == k ? y[j] : 0.0) + (j == k ? y[i] : 0.0)) - 20.0 * y[k] * hij) * e;
      }
    }
  }
  PetscFunctionReturn(0);
}

/* The das problem's test set: N points, the first half uniform on [-1,1]^d, the second from N(0, s^2 I) truncated
   to the box, s^2 = 1/40 (u*^2 = exp(-20|x|^2) is that Gaussian's shape), each weighted by 1/q, q the mixture's
   density: the error's sums are then importance-sampled estimates of the integrals, good where u* lives and
   elsewhere. A fixed seed: the same points for every run; each rank keeps a slice of them. Prints the estimate
   of ||u*||^2 against its exact value (erf(sqrt 20) sqrt(pi/20))^d. Returns this rank's points of the second half
   (ng, xg: PetscMalloc'ed) for the error near the peak. */
static PetscErrorCode SetGaussTestSet(PINN pinn, PetscInt dim, PetscInt N, PetscInt *ng, PetscReal **xg)
{
  const PetscReal s = 1 / PetscSqrtReal(40.0), Zs = PetscPowRealInt(erf(1 / (s * PetscSqrtReal(2.0))), dim);
  const PetscReal vol = PetscPowRealInt(2.0, dim), exact = PetscPowRealInt(erf(PetscSqrtReal(20.0)) * PetscSqrtReal(PETSC_PI / 20.0), dim);
  PetscInt        local = PETSC_DECIDE, start, Nu = N / 2;
  PetscReal      *x, *w, *u, sums[2] = {0, 0};

  PetscFunctionBeginUser;
  PetscCall(PetscSplitOwnership(PETSC_COMM_WORLD, &local, &N));
  PetscCallMPI(MPI_Scan(&local, &start, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  start -= local;
  PetscCall(PetscMalloc3(local * dim, &x, local, &w, local, &u));
  for (PetscInt p = 0; p < local; p++) {
    const PetscInt g = start + p;
    PetscReal     *y = &x[p * dim], r2 = 0, q;
    if (g < Nu) {
      PetscCall(NNRandomUniformArray(2718, 0, (uint64_t)g * dim, dim, y));
      for (PetscInt i = 0; i < dim; i++) y[i] = 2 * y[i] - 1;
    } else {
      for (PetscInt k = 0;; k++) { /* truncation: redraw outside the box (about 3e-9 of the draws in 10-D) */
        PetscBool inside = PETSC_TRUE;
        PetscCall(NNRandomNormalArray(2718, 1 + (uint64_t)k, (uint64_t)g * dim, dim, y));
        for (PetscInt i = 0; i < dim; i++) inside = (PetscBool)(inside && PetscAbsReal(y[i] *= s) < 1);
        if (inside) break;
      }
    }
    for (PetscInt i = 0; i < dim; i++) r2 += y[i] * y[i];
    q = ((PetscReal)Nu / N) / vol +
        (1 - (PetscReal)Nu / N) * PetscExpReal(-0.5 * r2 / (s * s)) / (PetscPowReal(2 * PETSC_PI * s * s, 0.5 * dim) * Zs);
    w[p] = 1 / q;
  }
  PetscCall(GaussExact(NULL, local, dim, x, 1, u));
  for (PetscInt p = 0; p < local; p++) sums[0] += w[p] * u[p] * u[p];
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sums, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "test set: %" PetscInt_FMT " points, half uniform, half near the peak; ||u*||^2 from them / exact: %.4f\n",
                        N, (double)(sums[0] / N / exact)));
  PetscCall(PINNSetTestSet(pinn, local, x, w));
  *ng = PetscMin(local, start + local - Nu); /* the global indices >= Nu are the second half */
  *ng = PetscMax(*ng, 0);
  PetscCall(PetscMalloc1(*ng * dim + 1, xg));
  PetscCall(PetscArraycpy(*xg, &x[(local - *ng) * dim], *ng * dim));
  PetscCall(PetscFree3(x, w, u));
  PetscFunctionReturn(0);
}

/* The relative L2 error in L2(rho), rho = N(0, I/40) truncated to the cube (the shape of u*^2): the plain mean
   over the test set's second half. Over the cube, the error of a network that is 0 everywhere is 1, and a network
   that resolves the peak but leaves 1e-4 anywhere else does no better; near the peak, only the peak counts. */
static PetscErrorCode PeakError(PINN pinn, PetscInt dim, PetscInt ng, const PetscReal xg[], PetscReal *err)
{
  PetscReal *u, *ue, sums[2] = {0, 0};

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(ng + 1, &u, ng + 1, &ue));
  PetscCall(PINNEvaluate(pinn, ng, xg, u));
  PetscCall(GaussExact(NULL, ng, dim, xg, 1, ue));
  for (PetscInt p = 0; p < ng; p++) {
    sums[0] += (u[p] - ue[p]) * (u[p] - ue[p]);
    sums[1] += ue[p] * ue[p];
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sums, 2, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  *err = PetscSqrtReal(sums[0] / sums[1]);
  PetscCall(PetscFree2(u, ue));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINN           pinn;
  PINNGeometry   box;
  PetscReal      lo[16], hi[16], err, peak = 0, expect = 0, *xg = NULL;
  const char    *bcs[]   = {"soft", "hard", "BC", "", NULL};
  PetscEnum      bc      = 0;
  Problem        problem = PROBLEM_PINNACLE;
  PetscInt       dim = 10, grid = 101, ntest = 20000, ng = 0;
  char           output[PETSC_MAX_PATH_LEN] = "poisson_nd.h5";
  PetscLogDouble t0, t1;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "poisson_nd options", NULL);
  PetscCall(PetscOptionsEnum("-problem", "Test problem", NULL, Problems, (PetscEnum)problem, (PetscEnum *)&problem, NULL));
  PetscCall(PetscOptionsInt("-dim", "Dimension", NULL, dim, &dim, NULL));
  PetscCall(PetscOptionsEList("-bc", "Boundary condition", NULL, bcs, 2, bcs[0], (PetscInt *)&bc, NULL));
  PetscCall(PetscOptionsReal("-expect_error", "Fail above this relative L2 error", NULL, expect, &expect, NULL));
  PetscCall(PetscOptionsString("-output", "Solution file", NULL, output, output, sizeof(output), NULL));
  PetscCall(PetscOptionsInt("-grid", "Output grid points per side", NULL, grid, &grid, NULL));
  PetscCall(PetscOptionsInt("-test_points", "das: points of the error's importance-sampled test set", NULL, ntest, &ntest, NULL));
  PetscOptionsEnd();
  PetscCheck(ntest >= 2, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-test_points must be at least 2, got %" PetscInt_FMT, ntest);
  PetscCall(NNFileCheckWritable(PETSC_COMM_WORLD, output, "-output")); /* now, not after training */
  PetscCheck(dim >= 2 && dim <= 16, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-dim must be in [2, 16], got %" PetscInt_FMT, dim);

  for (PetscInt i = 0; i < dim; i++) lo[i] = problem == PROBLEM_DAS ? -1 : 0, hi[i] = 1;
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, dim, lo, hi, &box));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, box));
  PetscCall(PINNAddPoisson(pinn, 0.0, problem == PROBLEM_DAS ? GaussSource : SinesSource, NULL, 1.0));
  if (bc == 1)
    PetscCall(PINNSetHardDirichlet(pinn, problem == PROBLEM_DAS ? GaussLifting : SinesLifting, NULL));
  else
    PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, problem == PROBLEM_DAS ? GaussExact : SinesExact, NULL, 1.0));
  PetscCall(PINNSetExactSolution(pinn, problem == PROBLEM_DAS ? GaussExact : SinesExact, NULL));
  if (problem == PROBLEM_DAS)
    PetscCall(SetGaussTestSet(pinn, dim, ntest, &ng, &xg));
  else
    PetscCall(PINNSetTestPoints(pinn, 10000));
  /* defaults (override with -pinn_...) */
  PetscCall(PINNSetNumPoints(pinn, 4000, bc == 1 ? 0 : 2000, 0));
  PetscCall(PINNSetSteps(pinn, 500, 1000));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PetscTime(&t0));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscTime(&t1));
  PetscCall(PINNComputeError(pinn, &err));
  if (problem == PROBLEM_DAS) PetscCall(PeakError(pinn, dim, ng, xg, &peak));
  PetscCall(PINNWriteSolution(pinn, output, grid, grid));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "poisson_nd (%s, d = %" PetscInt_FMT ", %s boundary condition): relative L2 error %.3e after %.1f s\n",
                        Problems[problem], dim, bcs[bc], (double)err, t1 - t0));
  if (problem == PROBLEM_DAS)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "near the peak (in L2 of N(0, I/40), %" PetscInt_FMT " test points): relative L2 error %.3e\n",
                          ntest - ntest / 2, (double)peak));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solution on the (x0,x1) plane through the centre: %s (and .xmf for ParaView)\n", output));
  PetscCheck(expect <= 0 || err <= expect, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Relative L2 error %g is above the expected %g", (double)err,
             (double)expect);
  PetscCall(PetscFree(xg));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PINNGeometryDestroy(&box));
  PetscCall(PetscFinalize());
  return 0;
}

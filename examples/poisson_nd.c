static const char help[] =
    "PINN for the Poisson equation -lap u = f in d dimensions, u = u* on the boundary, with the Laplacian stream.\n"
    "  -problem <pinnacle|das>  pinnacle: PINNacle's PoissonND raised to d dimensions, u* = sum_i sin(pi x_i/2) on [0,1]^d;\n"
    "                           das: the DAS paper's u* = exp(-10 |x|^2) on [-1,1]^d (for the adaptive samplers; uniform: the baseline)\n"
    "  -dim <d>          dimension (default 10)\n"
    "  -bc <soft|hard>   boundary condition as a loss term, or exact through u = u* (1 - P) + phi N (phi: the box's\n"
    "                    distance; P = prod_i of the quadratic bubble of x_i, 0 on the boundary and 1 at the centre)\n"
    "  -check_lifting    check the lifting's jets against central differences first\n"
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

/* The hard condition's lifting must equal u* on the boundary only: with g = u* itself the network would
   just learn 0. So g = u* (1 - P), with the bubble P = prod_i b(x_i), b(x) = (x - lo)(hi - x) / ((hi - lo)/2)^2,
   0 on the boundary and 1 at the centre; near the centre the network has to carry u* itself.
   Jets use the layout of NNOutputTransformFn (one component):
   t = 0 value, 1 + i, 1 + d + i d + j, 1 + d + d^2 + (i d + j) d + k */
typedef struct {
  Problem   problem;
  PetscReal lo, hi;
} Lifting;

/* Jets of u* at one point, to order 2 or 3 */
static void ExactJets(Problem problem, PetscInt d, const PetscReal *y, PetscInt order, PetscReal *o)
{
  const PetscInt J = 1 + d + d * d + (order == 3 ? d * d * d : 0);

  for (PetscInt t = 0; t < J; t++) o[t] = 0;
  if (problem == PROBLEM_PINNACLE) {
    const PetscReal a = 0.5 * PETSC_PI;
    for (PetscInt i = 0; i < d; i++) {
      const PetscReal s = PetscSinReal(a * y[i]), c = PetscCosReal(a * y[i]);
      o[0] += s;
      o[1 + i]             = a * c;
      o[1 + d + i * d + i] = -a * a * s;
      if (order == 3) o[1 + d + d * d + (i * d + i) * d + i] = -a * a * a * c;
    }
  } else {
    PetscReal r2 = 0, e;
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
}

/* Jets of 1 - P at one point. A derivative of P in x_i, x_j, x_k is the product over the inputs of the
   derivative of b whose order is how often that input appears: b' = (lo + hi - 2x)/h^2, b'' = -2/h^2,
   b''' = 0, with h = (hi - lo)/2. */
static void OneMinusBubbleJets(const Lifting *L, PetscInt d, const PetscReal *y, PetscInt order, PetscReal *o)
{
  const PetscReal h2 = 0.25 * (L->hi - L->lo) * (L->hi - L->lo);
  const PetscInt  J  = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  PetscReal       b[16][3];
  PetscInt        c[16];

  for (PetscInt i = 0; i < d; i++) {
    b[i][0] = (y[i] - L->lo) * (L->hi - y[i]) / h2;
    b[i][1] = (L->lo + L->hi - 2 * y[i]) / h2;
    b[i][2] = -2 / h2;
  }
  for (PetscInt t = 0; t < J; t++) {
    PetscInt  q = t, idx[3], n = 0;
    PetscReal P = 1;
    if (t >= 1 + d + d * d) {
      q -= 1 + d + d * d;
      idx[n++] = q / (d * d), idx[n++] = (q / d) % d, idx[n++] = q % d;
    } else if (t >= 1 + d) {
      q -= 1 + d;
      idx[n++] = q / d, idx[n++] = q % d;
    } else if (t >= 1)
      idx[n++] = t - 1;
    for (PetscInt i = 0; i < d; i++) c[i] = 0;
    for (PetscInt a = 0; a < n; a++) c[idx[a]]++;
    for (PetscInt i = 0; i < d; i++) P *= c[i] < 3 ? b[i][c[i]] : 0;
    o[t] = (t == 0 ? 1 : 0) - P;
  }
}

/* g = f q by Leibniz's rule, from the jets f of u* and q of 1 - P */
static void ProductJets(PetscInt d, PetscInt order, const PetscReal *f, const PetscReal *q, PetscReal *g)
{
  const PetscReal *f1 = f + 1, *q1 = q + 1, *f2 = f + 1 + d, *q2 = q + 1 + d, *f3 = f + 1 + d + d * d, *q3 = q + 1 + d + d * d;

  g[0] = f[0] * q[0];
  for (PetscInt i = 0; i < d; i++) {
    g[1 + i] = f1[i] * q[0] + f[0] * q1[i];
    for (PetscInt j = 0; j < d; j++) {
      g[1 + d + i * d + j] = f2[i * d + j] * q[0] + f1[i] * q1[j] + f1[j] * q1[i] + f[0] * q2[i * d + j];
      if (order == 3)
        for (PetscInt k = 0; k < d; k++)
          g[1 + d + d * d + (i * d + j) * d + k] = f3[(i * d + j) * d + k] * q[0] + f2[i * d + j] * q1[k] + f2[i * d + k] * q1[j] +
                                                   f2[j * d + k] * q1[i] + f1[i] * q2[j * d + k] + f1[j] * q2[i * d + k] + f1[k] * q2[i * d + j] +
                                                   f[0] * q3[(i * d + j) * d + k];
    }
  }
}

static PetscErrorCode ExactLifting(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  const Lifting *L = (const Lifting *)ctx;
  const PetscInt J = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  PetscReal     *f;

  PetscFunctionBegin;
  PetscCheck(m == 1, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "The lifting has one component, the network %" PetscInt_FMT, m);
  PetscCall(PetscMalloc1(J, &f));
  for (PetscInt p = 0; p < n; p++) { /* phi is scratch here: the caller fills it afterwards */
    ExactJets(L->problem, d, &x[p * d], order, f);
    OneMinusBubbleJets(L, d, &x[p * d], order, &phi[p * J]);
    ProductJets(d, order, f, &phi[p * J], &g[p * J]);
  }
  PetscCall(PetscFree(f));
  PetscFunctionReturn(0);
}

/* -check_lifting: the lifting's jets against central differences of the order below at a few random points, and
   the lifting against u* on the boundary; an error beyond what round-off and the differences' h^2 allow */
static PetscErrorCode CheckLifting(Lifting *L, PetscInt d)
{
  const PetscInt  J = 1 + d + d * d + d * d * d, J2 = 1 + d + d * d, npts = 5;
  const PetscReal h = 1e-5;
  PetscReal      *gc, *gp, *gm, *scratch, y[16], yp[16], dev = 0, bdev = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc4(J, &gc, J, &gp, J, &gm, J, &scratch));
  for (PetscInt p = 0; p < npts; p++) {
    PetscCall(NNRandomUniformArray(31, 0, (uint64_t)p * d, d, y));
    /* near the centre, where u* of the das problem is not negligible */
    for (PetscInt i = 0; i < d; i++) y[i] = L->lo + (L->hi - L->lo) * (0.4 + 0.2 * y[i]);
    PetscCall(ExactLifting(L, 1, d, 1, y, 3, gc, scratch));
    for (PetscInt k = 0; k < d; k++) { /* d/dx_k of the value, the gradient and the Hessian */
      PetscCall(PetscArraycpy(yp, y, d));
      yp[k] = y[k] + h;
      PetscCall(ExactLifting(L, 1, d, 1, yp, 2, gp, scratch));
      yp[k] = y[k] - h;
      PetscCall(ExactLifting(L, 1, d, 1, yp, 2, gm, scratch));
      for (PetscInt t = 0; t < J2; t++) { /* the analytic entry one order up: index k appended */
        const PetscInt  ta = t == 0 ? 1 + k : (t < 1 + d ? 1 + d + (t - 1) * d + k : 1 + d + d * d + (t - 1 - d) * d + k);
        const PetscReal fd = (gp[t] - gm[t]) / (2 * h);
        dev                = PetscMax(dev, PetscAbsReal(fd - gc[ta]) / (1 + PetscAbsReal(gc[ta])));
      }
    }
    PetscCall(PetscArraycpy(yp, y, d)); /* a boundary point: one coordinate at lo or hi */
    yp[p % d] = p % 2 ? L->hi : L->lo;
    PetscCall(ExactLifting(L, 1, d, 1, yp, 2, gp, scratch));
    ExactJets(L->problem, d, yp, 2, gm);
    bdev = PetscMax(bdev, PetscAbsReal(gp[0] - gm[0]));
  }
  PetscCall(PetscFree4(gc, gp, gm, scratch));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lifting jets vs central differences: max relative deviation %.1e; on the boundary max |g - u*| %.1e\n",
                        (double)dev, (double)bdev));
  PetscCheck(dev < 1e-6 && bdev < 1e-13, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "The lifting's jets are wrong: deviation %g, boundary %g", (double)dev,
             (double)bdev);
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
  const char    *bcs[] = {"soft", "hard", "BC", "", NULL};
  PetscEnum      bc    = 0;
  PetscBool      check = PETSC_FALSE;
  Lifting        lifting;
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
  PetscCall(PetscOptionsBool("-check_lifting", "Check the hard condition's lifting against finite differences", NULL, check, &check, NULL));
  PetscOptionsEnd();
  PetscCheck(expect >= 0 && !PetscIsInfOrNanReal(expect), PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-expect_error %g must be finite and >= 0 (0: no check)", (double)expect);
  PetscCheck(ntest >= 2, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-test_points must be at least 2, got %" PetscInt_FMT, ntest);
  PetscCheck(dim >= 2 && dim <= 16, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-dim must be in [2, 16], got %" PetscInt_FMT, dim);

  for (PetscInt i = 0; i < dim; i++) lo[i] = problem == PROBLEM_DAS ? -1 : 0, hi[i] = 1;
  lifting.problem = problem, lifting.lo = lo[0], lifting.hi = hi[0];
  if (check) PetscCall(CheckLifting(&lifting, dim));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, dim, lo, hi, &box));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, box));
  PetscCall(PINNAddPoisson(pinn, 0.0, problem == PROBLEM_DAS ? GaussSource : SinesSource, NULL, 1.0));
  if (bc == 1)
    PetscCall(PINNSetHardDirichlet(pinn, ExactLifting, &lifting));
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
  PetscCall(PINNCheckOutputFile(pinn, output, "-output")); /* now, not after training */
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

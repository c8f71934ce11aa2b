/* Viscous Burgers u_t + (u^2/2)_x = nu(x) u_xx on [0, 2 pi), periodic, with a constant or a pointwise viscosity
   nu(x) >= 0: method of lines on a periodic DMDA (central differences of order 2p, the convection in flux form)
   time-stepped by SUNDIALS CVODE (BDF) on NVECTOR_PETSC. The Newton systems
   (I - gamma J) are solved by SUNDIALS' flexible GMRES, right-preconditioned by a PETSc KSP on the assembled
   I - gamma J (default: LU, redundant in parallel), so that GMRES converges in one iteration. */
#include <nnpde/reference.h>
#include <nnpde/private/reference1dimpl.h>
#include <petsc/private/petscimpl.h>
#include <petscdmda.h>
#include <petscksp.h>
#include <petsctime.h>
#include <cvode/cvode.h>
#include <nvector/nvector_petsc.h>
#include <sunlinsol/sunlinsol_spfgmr.h>
#include <stdlib.h>

#define MAXHALF 8 /* orders 2 .. 16 */

typedef struct {
  DM             da;
  PetscInt       n, p;            /* grid points, stencil half-width */
  PetscReal      h;               /* spacing */
  PetscReal     *nu;              /* viscosity nu(x_i) at the owned points x_i, i = xs .. xs + xm - 1 */
  PetscReal      d1[MAXHALF + 1]; /* first derivative:  sum_k d1[k] (g_{i+k} - g_{i-k}) / h */
  PetscReal      d2[MAXHALF + 1]; /* second derivative: (d2[0] u_i + sum_k d2[k] (u_{i+k} + u_{i-k})) / h^2 */
  Vec            ulocal;          /* ghosted state */
  Mat            J, P;            /* Jacobian of the right-hand side, P = I - gamma J */
  KSP            ksp;             /* solves with P (the preconditioner of SPFGMR) */
  PetscErrorCode ierr;            /* the PETSc error raised inside a CVODE callback */
  long           njac, nksp;      /* Jacobian assemblies, KSP solves */
  char           cvmsg[512];      /* CVODE's last error message */
} Burgers;

/* Central-difference weights of order 2p. With r_k = p!^2 / ((p-k)! (p+k)!):
   d1[k] = (-1)^(k+1) r_k / k, d2[k] = (-1)^(k+1) 2 r_k / k^2, d2[0] = -2 sum_k d2[k]. */
static void CentralWeights(PetscInt p, PetscReal d1[], PetscReal d2[])
{
  d2[0] = 0, d1[0] = 0;
  for (PetscInt k = 1; k <= p; k++) {
    PetscReal r = 1, sgn = (k % 2) ? 1 : -1;

    for (PetscInt j = 1; j <= k; j++) r *= (PetscReal)(p - k + j) / (PetscReal)(p + j);
    d1[k] = sgn * r / (PetscReal)k;
    d2[k] = sgn * 2 * r / (PetscReal)(k * k);
    d2[0] -= 2 * d2[k];
  }
}

static PetscErrorCode BurgersRhs(Burgers *b, Vec U, Vec F)
{
  const PetscScalar *u;
  PetscScalar       *f;
  PetscInt           xs, xm;

  PetscFunctionBegin;
  PetscCall(DMGlobalToLocal(b->da, U, INSERT_VALUES, b->ulocal));
  PetscCall(DMDAVecGetArrayRead(b->da, b->ulocal, &u));
  PetscCall(DMDAVecGetArray(b->da, F, &f));
  PetscCall(DMDAGetCorners(b->da, &xs, NULL, NULL, &xm, NULL, NULL));
  for (PetscInt i = xs; i < xs + xm; i++) {
    PetscReal flux = 0, diff = b->d2[0] * u[i], nu = b->nu[i - xs];

    for (PetscInt k = 1; k <= b->p; k++) {
      flux += b->d1[k] * (u[i + k] * u[i + k] - u[i - k] * u[i - k]);
      diff += b->d2[k] * (u[i + k] + u[i - k]);
    }
    f[i] = -flux / (2 * b->h) + nu * diff / (b->h * b->h);
  }
  PetscCall(DMDAVecRestoreArrayRead(b->da, b->ulocal, &u));
  PetscCall(DMDAVecRestoreArray(b->da, F, &f));
  PetscCall(PetscLogFlops(8.0 * b->p * xm));
  PetscFunctionReturn(0);
}

/* J = d(rhs)/du at U, assembled in b->J (global index = grid index on a 1-D DMDA); row i's diffusion entries carry
   nu(x_i) */
static PetscErrorCode BurgersJacobian(Burgers *b, Vec U)
{
  const PetscScalar *u;
  PetscInt           xs, xm, cols[2 * MAXHALF + 1];
  PetscScalar        vals[2 * MAXHALF + 1];

  PetscFunctionBegin;
  PetscCall(DMGlobalToLocal(b->da, U, INSERT_VALUES, b->ulocal));
  PetscCall(DMDAVecGetArrayRead(b->da, b->ulocal, &u));
  PetscCall(DMDAGetCorners(b->da, &xs, NULL, NULL, &xm, NULL, NULL));
  for (PetscInt i = xs; i < xs + xm; i++) {
    PetscInt  c  = 0;
    PetscReal nu = b->nu[i - xs];

    cols[c] = i, vals[c++] = nu * b->d2[0] / (b->h * b->h);
    for (PetscInt k = 1; k <= b->p; k++) {
      cols[c] = (i + k) % b->n, vals[c++] = -b->d1[k] * u[i + k] / b->h + nu * b->d2[k] / (b->h * b->h);
      cols[c] = (i - k + b->n) % b->n, vals[c++] = b->d1[k] * u[i - k] / b->h + nu * b->d2[k] / (b->h * b->h);
    }
    PetscCall(MatSetValues(b->J, 1, &i, c, cols, vals, INSERT_VALUES));
  }
  PetscCall(DMDAVecRestoreArrayRead(b->da, b->ulocal, &u));
  PetscCall(MatAssemblyBegin(b->J, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(b->J, MAT_FINAL_ASSEMBLY));
  b->njac++;
  PetscFunctionReturn(0);
}

/* CVODE callbacks: a PETSc error is kept in b->ierr and reported as unrecoverable (-1) */
static int CVRhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ctx)
{
  Burgers *b = (Burgers *)ctx;

  (void)t;
  b->ierr = BurgersRhs(b, N_VGetVector_Petsc(y), N_VGetVector_Petsc(ydot));
  return b->ierr ? -1 : 0;
}

static PetscErrorCode PrecSetup(Burgers *b, Vec U, PetscBool jok, PetscReal gamma, PetscBool *jcur)
{
  PetscFunctionBegin;
  *jcur = PETSC_FALSE;
  if (!jok || !b->njac) {
    PetscCall(BurgersJacobian(b, U));
    *jcur = PETSC_TRUE;
  }
  PetscCall(MatCopy(b->J, b->P, SAME_NONZERO_PATTERN));
  PetscCall(MatScale(b->P, -gamma));
  PetscCall(MatShift(b->P, 1.0));
  PetscCall(KSPSetOperators(b->ksp, b->P, b->P));
  PetscCall(KSPSetUp(b->ksp));
  PetscFunctionReturn(0);
}

static int CVPrecSetup(sunrealtype t, N_Vector y, N_Vector fy, sunbooleantype jok, sunbooleantype *jcurPtr, sunrealtype gamma, void *ctx)
{
  Burgers  *b    = (Burgers *)ctx;
  PetscBool jcur = PETSC_FALSE;

  (void)t, (void)fy;
  b->ierr  = PrecSetup(b, N_VGetVector_Petsc(y), jok ? PETSC_TRUE : PETSC_FALSE, gamma, &jcur);
  *jcurPtr = jcur ? SUNTRUE : SUNFALSE;
  return b->ierr ? -1 : 0;
}

static PetscErrorCode PrecSolve(Burgers *b, Vec r, Vec z, PetscBool *ok)
{
  KSPConvergedReason reason;

  PetscFunctionBegin;
  PetscCall(KSPSolve(b->ksp, r, z));
  PetscCall(KSPGetConvergedReason(b->ksp, &reason));
  *ok = (PetscBool)(reason >= 0);
  b->nksp++;
  PetscFunctionReturn(0);
}

/* a failed KSP solve is recoverable (CVODE cuts the step); a PETSc error is not */
static int CVPrecSolve(sunrealtype t, N_Vector y, N_Vector fy, N_Vector r, N_Vector z, sunrealtype gamma, sunrealtype delta, int lr, void *ctx)
{
  Burgers  *b  = (Burgers *)ctx;
  PetscBool ok = PETSC_FALSE;

  (void)t, (void)y, (void)fy, (void)gamma, (void)delta, (void)lr;
  b->ierr = PrecSolve(b, N_VGetVector_Petsc(r), N_VGetVector_Petsc(z), &ok);
  return b->ierr ? -1 : (ok ? 0 : 1);
}

static void CVErrHandler(int code, const char *module, const char *function, char *msg, void *ctx)
{
  Burgers *b = (Burgers *)ctx;

  (void)code;
  (void)PetscSNPrintf(b->cvmsg, sizeof(b->cvmsg), "%s: %s: %s", module, function, msg);
}

/* a SUNDIALS set-up call that returned a negative flag: an error naming the call and the flag */
#define NNSunCall(comm, call)                                                                                                                        \
  do {                                                                                                                                               \
    int _flag = (call);                                                                                                                              \
    PetscCheck(_flag >= 0, comm, PETSC_ERR_LIB, "SUNDIALS call %s failed with flag %d", #call, _flag);                                               \
  } while (0)

/* nu(x) at the n points x of this rank into v, checked finite and >= 0 on every rank (collective) */
static PetscErrorCode EvaluateViscosity(MPI_Comm comm, ReferenceViscosityFn nu, void *ctx, PetscInt n, const PetscReal x[], PetscReal v[])
{
  PetscInt bad = -1, anybad;

  PetscFunctionBegin;
  PetscCall((*nu)(ctx, n, x, v));
  for (PetscInt p = 0; p < n && bad < 0; p++)
    if (PetscIsInfOrNanReal(v[p]) || v[p] < 0) bad = p;
  PetscCall(MPIU_Allreduce(&bad, &anybad, 1, MPIU_INT, MPI_MAX, comm));
  PetscCheck(bad < 0, comm, PETSC_ERR_USER_INPUT, "Viscosity nu(%g) = %g must be finite and >= 0", (double)x[bad], (double)v[bad]);
  PetscCheck(anybad < 0, comm, PETSC_ERR_USER_INPUT, "Viscosity nu(x) is negative or not finite at a point of another rank");
  PetscFunctionReturn(0);
}

static PetscErrorCode ConstantViscosity(void *ctx, PetscInt n, const PetscReal x[], PetscReal nu[])
{
  const PetscReal c = *(const PetscReal *)ctx;

  (void)x;
  for (PetscInt p = 0; p < n; p++) nu[p] = c;
  return 0;
}

/*@C
  ReferenceBurgers1d - Solves the periodic viscous Burgers equation u_t + u u_x = nu u_xx on [0, 2 pi) by the
  method of lines with SUNDIALS CVODE, and returns u on a space-time grid

  Collective

  Input Parameters:
+ comm - communicator (of the DMDA, CVODE's NVECTOR_PETSC and the output Vec)
. nu   - viscosity, >= 0 (nu = 0 is allowed but only meaningful before a shock forms)
. u0   - initial condition, called on each rank with the grid points it owns
. ctx  - its context
. nx   - number of output x points x_i = 2 pi i / nx, > 0
. nt   - number of output times, > 0
- t    - the nt output times, non-decreasing, >= 0 (the same array on every rank)

  Output Parameter:
. u - new Vec (see `ReferenceSpaceTimeVecCreate1d()`), u(x_i, t_j) at entry j * nx + i

  Options Database Keys:
+ -ref_burgers_refine <8>          - the solver grid has nx * refine points; output is every refine-th point
. -ref_burgers_order <8>           - order of the central differences (even, 2 to 16)
. -ref_burgers_rtol <1e-10>        - CVODE relative tolerance
. -ref_burgers_atol <1e-12>        - CVODE absolute tolerance
. -ref_burgers_max_steps <1000000> - CVODE's limit on the steps to one output time
. -ref_burgers_view                - print the grid, tolerances, CVODE's counters and the wall time
- -ref_burgers_ksp_type, -ref_burgers_pc_type, ... - the solver of I - gamma J (default preonly + LU; redundant
                                     LU on more than one rank)

  Notes:
  The flux (u^2/2)_x and nu u_xx are central differences of order 2p (stencil width p) on a periodic 1-D DMDA; the
  flux form is conservative (the mean of u is kept to round-off). CVODE integrates with BDF (orders 1-5), Newton
  iterations with SPFGMR right-preconditioned by the KSP on the assembled I - gamma J, and steps to each output time
  exactly (CVodeSetStopTime). Defaults: with nx = 256, refine 8 (2048 points) and order 8, u0 = sin x, nu = 0.01 on
  t in [0, 1] agrees with the Cole-Hopf solution to about 1e-8 relative L2 (see tests/solvers/test_reference_periodic.c).
  A CVODE failure is an error with CVODE's flag name, the time reached and CVODE's message.

  This is `ReferenceBurgersViscosity1d()` with the constant function nu (the same code path, the same result).

  Level: intermediate

.seealso: `ReferenceBurgersViscosity1d()`, `ReferenceBurgersColeHopf1d()`, `ReferenceConvectionDiffusion1d()`, `ReferenceSpaceTimeVecCreate1d()`
@*/
PetscErrorCode ReferenceBurgers1d(MPI_Comm comm, PetscReal nu, ReferenceInitialFn u0, void *ctx, PetscInt nx, PetscInt nt, const PetscReal t[],
                                  Vec *u)
{
  PetscFunctionBegin;
  PetscValidPointer(u, 8);
  PetscCall(Reference1dCheckInput(comm, nu, nx, nt, t));
  PetscCall(ReferenceBurgersViscosity1d(comm, ConstantViscosity, &nu, u0, ctx, nx, nt, t, u));
  PetscFunctionReturn(0);
}

/*@C
  ReferenceBurgersViscosity1d - Solves the periodic viscous Burgers equation with a spatially varying viscosity,
  u_t + u u_x = nu(x) u_xx on [0, 2 pi), by the method of lines with SUNDIALS CVODE, and returns u on a space-time grid

  Collective

  Input Parameters:
+ comm  - communicator (of the DMDA, CVODE's NVECTOR_PETSC and the output Vec)
. nu    - the viscosity nu(x), finite and >= 0, called once on each rank with the solver grid points it owns
. nuctx - its context
. u0    - initial condition, called on each rank with the solver grid points it owns
. ctx   - its context
. nx    - number of output x points x_i = 2 pi i / nx, > 0
. nt    - number of output times, > 0
- t     - the nt output times, non-decreasing, >= 0 (the same array on every rank)

  Output Parameter:
. u - new Vec (see `ReferenceSpaceTimeVecCreate1d()`), u(x_i, t_j) at entry j * nx + i

  Options Database Keys:
  The options of `ReferenceBurgers1d()` (-ref_burgers_refine, -ref_burgers_order, -ref_burgers_rtol, -ref_burgers_atol,
  -ref_burgers_max_steps, -ref_burgers_view, -ref_burgers_ksp_type, -ref_burgers_pc_type, ...).

  Notes:
  The diffusion is in the non-conservative form nu(x) u_xx (the Lagrangian PINN's f2 u_xx, see
  `PINNLagrangianSetDiffusionFunction()`), not (nu(x) u_x)_x: at each solver grid point x_i the central difference of
  u_xx is multiplied by nu(x_i), in the right-hand side and in the rows of the Jacobian. The convection stays in flux
  form, (u^2/2)_x, which is u u_x for smooth u. nu is sampled once, on the solver grid (nx times -ref_burgers_refine
  points); a negative or non-finite value is an error (PETSC_ERR_USER_INPUT) on every rank, naming the point and the
  value where this rank met one. For a constant nu this is `ReferenceBurgers1d()`, which calls this function.

  Level: intermediate

.seealso: `ReferenceBurgers1d()`, `ReferenceSpaceTimeVecCreate1d()`, `PINNLagrangianSetDiffusionFunction()`
@*/
PetscErrorCode ReferenceBurgersViscosity1d(MPI_Comm comm, ReferenceViscosityFn nu, void *nuctx, ReferenceInitialFn u0, void *ctx, PetscInt nx,
                                           PetscInt nt, const PetscReal t[], Vec *u)
{
  Burgers         b;
  PetscInt        refine = 8, order = 8, maxsteps = 1000000, xs, xm, lo, hi;
  PetscReal       rtol = 1e-10, atol = 1e-12, tcur = 0, *xg, *vg;
  PetscBool       view = PETSC_FALSE;
  PetscMPIInt     size;
  PetscLogDouble  t0, t1;
  SUNContext      sunctx;
  N_Vector        y;
  SUNLinearSolver ls;
  void           *mem;
  Vec             U, Uall, out;
  VecScatter      toall;
  PC              pc;
  PetscScalar    *a, *ua;

  PetscFunctionBegin;
  PetscValidPointer(u, 9);
  PetscCall(Reference1dCheckInput(comm, 0, nx, nt, t)); /* nu is checked pointwise below */
  for (PetscInt j = 1; j < nt; j++)
    PetscCheck(t[j] >= t[j - 1], comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Output times must be non-decreasing: t[%" PetscInt_FMT "] = %g < t[%" PetscInt_FMT "] = %g", j, (double)t[j], j - 1,
               (double)t[j - 1]);
  PetscCheck(u0, comm, PETSC_ERR_ARG_NULL, "No initial condition u0 given");
  PetscCheck(nu, comm, PETSC_ERR_ARG_NULL, "No viscosity function nu given");
  PetscOptionsBegin(comm, NULL, "Burgers reference solver (CVODE)", "ReferenceBurgers1d");
  PetscCall(PetscOptionsInt("-ref_burgers_refine", "Solver grid points per output point", "ReferenceBurgers1d", refine, &refine, NULL));
  PetscCall(PetscOptionsInt("-ref_burgers_order", "Order of the central differences (even)", "ReferenceBurgers1d", order, &order, NULL));
  PetscCall(PetscOptionsReal("-ref_burgers_rtol", "CVODE relative tolerance", "ReferenceBurgers1d", rtol, &rtol, NULL));
  PetscCall(PetscOptionsReal("-ref_burgers_atol", "CVODE absolute tolerance", "ReferenceBurgers1d", atol, &atol, NULL));
  PetscCall(PetscOptionsInt("-ref_burgers_max_steps", "CVODE's maximum number of steps to an output time", "ReferenceBurgers1d", maxsteps, &maxsteps,
                            NULL));
  PetscCall(PetscOptionsBool("-ref_burgers_view", "Print grid, tolerances, counters, wall time", "ReferenceBurgers1d", view, &view, NULL));
  PetscOptionsEnd();
  PetscCheck(refine > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-ref_burgers_refine %" PetscInt_FMT " must be positive", refine);
  PetscCheck(order >= 2 && order <= 2 * MAXHALF && order % 2 == 0, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-ref_burgers_order %" PetscInt_FMT " must be even, 2 to %d", order, 2 * MAXHALF);
  PetscCheck(rtol > 0 && atol > 0 && !PetscIsInfOrNanReal(rtol) && !PetscIsInfOrNanReal(atol), comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-ref_burgers_rtol %g and -ref_burgers_atol %g must be positive and finite", (double)rtol, (double)atol);
  PetscCheck(refine <= PETSC_MAX_INT / nx, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "The solver grid nx %" PetscInt_FMT " x -ref_burgers_refine %" PetscInt_FMT " has more points than PetscInt holds", nx, refine);
  PetscCheck(maxsteps > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-ref_burgers_max_steps %" PetscInt_FMT " must be positive", maxsteps);

  PetscCall(PetscMemzero(&b, sizeof(b)));
  b.n = nx * refine;
  b.p = order / 2;
  b.h = 2 * PETSC_PI / (PetscReal)b.n;
  CentralWeights(b.p, b.d1, b.d2);
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCheck(b.n >= 2 * b.p + 1, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Solver grid of %" PetscInt_FMT " points (nx %" PetscInt_FMT " x -ref_burgers_refine %" PetscInt_FMT
             ") too small for -ref_burgers_order %" PetscInt_FMT " (at least %" PetscInt_FMT " points)",
             b.n, nx, refine, order, 2 * b.p + 1);
  PetscCheck(b.n >= size * b.p, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Grid of %" PetscInt_FMT " points (nx %" PetscInt_FMT " x -ref_burgers_refine %" PetscInt_FMT
             ") too small for %d ranks at order %" PetscInt_FMT,
             b.n, nx, refine, size, order);
  PetscCall(DMDACreate1d(comm, DM_BOUNDARY_PERIODIC, b.n, 1, b.p, NULL, &b.da));
  PetscCall(DMSetUp(b.da));
  PetscCall(DMCreateLocalVector(b.da, &b.ulocal));
  PetscCall(DMCreateGlobalVector(b.da, &U));
  PetscCall(DMCreateMatrix(b.da, &b.J));
  PetscCall(MatSetOption(b.J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  PetscCall(MatDuplicate(b.J, MAT_DO_NOT_COPY_VALUES, &b.P));
  PetscCall(KSPCreate(comm, &b.ksp));
  PetscCall(KSPSetOptionsPrefix(b.ksp, "ref_burgers_"));
  PetscCall(KSPSetType(b.ksp, KSPPREONLY));
  PetscCall(KSPGetPC(b.ksp, &pc));
  PetscCall(PCSetType(pc, size > 1 ? PCREDUNDANT : PCLU));
  PetscCall(KSPSetFromOptions(b.ksp));

  /* viscosity and initial condition on the solver grid */
  PetscCall(DMDAGetCorners(b.da, &xs, NULL, NULL, &xm, NULL, NULL));
  PetscCall(PetscMalloc3(xm, &xg, xm, &vg, xm, &b.nu));
  for (PetscInt i = 0; i < xm; i++) xg[i] = b.h * (PetscReal)(xs + i);
  PetscCall(EvaluateViscosity(comm, nu, nuctx, xm, xg, b.nu));
  PetscCall(Reference1dEvaluateInitial(comm, u0, ctx, xm, xg, vg));
  PetscCall(VecGetArray(U, &ua));
  for (PetscInt i = 0; i < xm; i++) ua[i] = vg[i];
  PetscCall(VecRestoreArray(U, &ua));

  /* CVODE: BDF, SPFGMR preconditioned by the KSP */
  PetscCall(PetscTime(&t0));
  NNSunCall(comm, SUNContext_Create((void *)&comm, &sunctx));
  y = N_VMake_Petsc(U, sunctx);
  PetscCheck(y, comm, PETSC_ERR_LIB, "N_VMake_Petsc() failed");
  mem = CVodeCreate(CV_BDF, sunctx);
  PetscCheck(mem, comm, PETSC_ERR_LIB, "CVodeCreate() failed");
  NNSunCall(comm, CVodeSetErrHandlerFn(mem, CVErrHandler, &b));
  NNSunCall(comm, CVodeInit(mem, CVRhs, 0.0, y));
  NNSunCall(comm, CVodeSetUserData(mem, &b));
  NNSunCall(comm, CVodeSStolerances(mem, rtol, atol));
  NNSunCall(comm, CVodeSetMaxNumSteps(mem, (long)maxsteps));
  ls = SUNLinSol_SPFGMR(y, SUN_PREC_RIGHT, 5, sunctx);
  PetscCheck(ls, comm, PETSC_ERR_LIB, "SUNLinSol_SPFGMR() failed");
  NNSunCall(comm, CVodeSetLinearSolver(mem, ls, NULL));
  NNSunCall(comm, CVodeSetPreconditioner(mem, CVPrecSetup, CVPrecSolve));

  /* step to each output time; every rank gets the whole field and keeps the slices it owns */
  *u = NULL; /* set on success only */
  PetscCall(ReferenceSpaceTimeVecCreate1d(comm, nx, nt, &out));
  PetscCall(VecGetOwnershipRange(out, &lo, &hi));
  PetscCall(VecScatterCreateToAll(U, &toall, &Uall));
  for (PetscInt j = 0; j < nt; j++) {
    if (t[j] > tcur) {
      sunrealtype tret;
      int         flag;

      NNSunCall(comm, CVodeSetStopTime(mem, t[j]));
      flag = CVode(mem, t[j], y, &tret, CV_NORMAL);
      PetscCall(b.ierr); /* a PETSc error inside a callback: its own trace, then ours */
      if (flag < 0) {
        char       *name     = CVodeGetReturnFlagName(flag), fname[64];
        sunrealtype treached = tret;

        (void)CVodeGetCurrentTime(mem, &treached);
        (void)PetscStrncpy(fname, name ? name : "unknown", sizeof(fname));
        free(name);
        SETERRQ(comm, PETSC_ERR_NOT_CONVERGED, "CVODE failed with %s (flag %d) at t = %.9g on the way to output time t[%" PetscInt_FMT "] = %g: %s",
                fname, flag, (double)treached, j, (double)t[j], b.cvmsg);
      }
      tcur = t[j];
    }
    PetscCall(VecScatterBegin(toall, U, Uall, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(toall, U, Uall, INSERT_VALUES, SCATTER_FORWARD));
    if (j * nx >= lo && j * nx < hi) {
      const PetscScalar *all;

      PetscCall(VecGetArrayRead(Uall, &all));
      PetscCall(VecGetArray(out, &a));
      for (PetscInt i = 0; i < nx; i++) a[j * nx + i - lo] = all[i * refine];
      PetscCall(VecRestoreArray(out, &a));
      PetscCall(VecRestoreArrayRead(Uall, &all));
    }
  }
  PetscCall(PetscTime(&t1));
  if (view) {
    long      nst = 0, nfe = 0, nni = 0, nli = 0, netf = 0;
    PetscReal numin = PETSC_MAX_REAL, numax = 0;

    for (PetscInt i = 0; i < xm; i++) numin = PetscMin(numin, b.nu[i]), numax = PetscMax(numax, b.nu[i]);
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &numin, 1, MPIU_REAL, MPIU_MIN, comm));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &numax, 1, MPIU_REAL, MPIU_MAX, comm));

    (void)CVodeGetNumSteps(mem, &nst);
    (void)CVodeGetNumRhsEvals(mem, &nfe);
    (void)CVodeGetNumNonlinSolvIters(mem, &nni);
    (void)CVodeGetNumLinIters(mem, &nli);
    (void)CVodeGetNumErrTestFails(mem, &netf);
    PetscCall(PetscPrintf(comm,
                          "Burgers reference (CVODE BDF): %" PetscInt_FMT " points (%" PetscInt_FMT " x refine %" PetscInt_FMT
                          "), order %" PetscInt_FMT ", nu in [%g, %g], rtol %g, atol %g, %d ranks\n"
                          "  steps %ld, rhs evaluations %ld, Newton iterations %ld, GMRES iterations %ld, error-test failures %ld, Jacobians %ld, "
                          "KSP solves %ld\n  wall time %.3f s\n",
                          b.n, nx, refine, order, (double)numin, (double)numax, (double)rtol, (double)atol, size, nst, nfe, nni, nli, netf, b.njac,
                          b.nksp, t1 - t0));
  }
  PetscCall(VecScatterDestroy(&toall));
  PetscCall(VecDestroy(&Uall));
  CVodeFree(&mem);
  (void)SUNLinSolFree(ls);
  N_VDestroy(y);
  (void)SUNContext_Free(&sunctx);
  PetscCall(KSPDestroy(&b.ksp));
  PetscCall(MatDestroy(&b.J));
  PetscCall(MatDestroy(&b.P));
  PetscCall(VecDestroy(&U));
  PetscCall(VecDestroy(&b.ulocal));
  PetscCall(DMDestroy(&b.da));
  PetscCall(PetscFree3(xg, vg, b.nu));
  *u = out;
  PetscFunctionReturn(0);
}

/* The 1-D periodic space-time references (issue 11), on the LPINN grid: 256 x points 2 pi i / 256, 100 times
   linspace(0, 1, 100), unless -nx / -nt say otherwise.
   -test convection : ReferenceConvectionDiffusion1d against exp(-nu t) sin(x - c t) for c = 30, 50 and nu = 0, 0.01,
                      and against a trigonometric polynomial (modes 0, 1, 3, 7: the m^2 damping) at arbitrary x points;
                      prints the largest error (figure), fails above -expect (1e-12)
   -test colehopf   : the Cole-Hopf quadrature: u(x, 0) = sin x, the mean of u is C at every t, halving the quadrature
                      step changes nothing above 1e-13; prints the largest of these deviations
   -test burgers    : ReferenceBurgers1d (CVODE) against the Cole-Hopf solution, u0 = C + sin x (-C, -nu); prints the
                      relative L2 (Frobenius) error, fails above -expect (1e-6). -save f writes the result (PETSc binary),
                      -compare f prints the relative L2 difference from a saved result (the rank-count check; fails above
                      -expect_compare, 1e-7)
   -test viscosity_constant : ReferenceBurgersViscosity1d with a constant function nu against ReferenceBurgers1d (u0 =
                      C + sin x); prints their relative L2 difference (one code path: 0), fails above -expect (1e-14)
   -test viscosity  : ReferenceBurgersViscosity1d with nu(x) = nu (1 + a sin x) (-nu, -nu_amplitude a, 0.5), u0 = C +
                      sin x: the solution on nx * r solver points (r from -ref_burgers_refine, default 8) against the one
                      on nx * 2r points; prints their relative L2 difference (self-convergence; figure), fails above
                      -expect (1e-8); checks that the solution differs from the constant-nu one (by more than 1e-3
                      relative L2, so nu(x) enters); -save / -compare / -expect_compare as for burgers (the r solution)
   -test bad        : bad input is an error with a message naming the value */
#include <nnpde.h>
#include "expect_error.h"
#include <petsctime.h>

static PetscErrorCode SinU0(void *ctx, PetscInt n, const PetscReal x[], PetscReal u[])
{
  const PetscReal C = ctx ? *(const PetscReal *)ctx : 0;

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) u[p] = C + PetscSinReal(x[p]);
  PetscFunctionReturn(0);
}

/* nu(x) = ctx[0] (1 + ctx[1] sin x) */
static PetscErrorCode SinViscosity(void *ctx, PetscInt n, const PetscReal x[], PetscReal nu[])
{
  const PetscReal *c = (const PetscReal *)ctx;

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) nu[p] = c[0] * (1 + c[1] * PetscSinReal(x[p]));
  PetscFunctionReturn(0);
}

/* NaN for x > 3 (on some ranks only, at 2 and 3 ranks) */
static PetscErrorCode NanViscosity(void *ctx, PetscInt n, const PetscReal x[], PetscReal nu[])
{
  PetscFunctionBegin;
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) nu[p] = x[p] > 3 ? (PetscReal)NAN : 0.01;
  PetscFunctionReturn(0);
}

/* 0.3 + sin x - 0.5 cos 3x + 0.25 sin 7x */
static PetscReal Poly(PetscReal x, PetscReal nu, PetscReal t)
{
  return 0.3 + PetscExpReal(-nu * t) * PetscSinReal(x) - 0.5 * PetscExpReal(-9 * nu * t) * PetscCosReal(3 * x) +
         0.25 * PetscExpReal(-49 * nu * t) * PetscSinReal(7 * x);
}

static PetscErrorCode PolyU0(void *ctx, PetscInt n, const PetscReal x[], PetscReal u[])
{
  PetscFunctionBegin;
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) u[p] = Poly(x[p], 0, 0);
  PetscFunctionReturn(0);
}

static PetscErrorCode NanU0(void *ctx, PetscInt n, const PetscReal x[], PetscReal u[])
{
  PetscFunctionBegin;
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) u[p] = x[p] > 3 ? PETSC_MAX_REAL * 10 : PetscSinReal(x[p]);
  PetscFunctionReturn(0);
}

/* max over owned entries (all ranks) of |u - exact(x_i, t_j)|, with x NULL meaning 2 pi i / nx */
typedef PetscReal (*ExactFn)(PetscReal x, PetscReal c, PetscReal nu, PetscReal t);

static PetscReal SinExact(PetscReal x, PetscReal c, PetscReal nu, PetscReal t)
{
  return PetscExpReal(-nu * t) * PetscSinReal(x - c * t);
}

static PetscReal PolyExact(PetscReal x, PetscReal c, PetscReal nu, PetscReal t)
{
  return Poly(x - c * t, nu, t);
}

static PetscErrorCode MaxError(Vec u, PetscInt nx, const PetscReal x[], const PetscReal t[], ExactFn exact, PetscReal c, PetscReal nu, PetscReal *err)
{
  const PetscScalar *a;
  PetscInt           lo, hi;

  PetscFunctionBegin;
  *err = 0;
  PetscCall(VecGetOwnershipRange(u, &lo, &hi));
  PetscCall(VecGetArrayRead(u, &a));
  for (PetscInt g = lo; g < hi; g++) {
    PetscInt  i = g % nx, j = g / nx;
    PetscReal xi = x ? x[i] : 2 * PETSC_PI * (PetscReal)i / (PetscReal)nx;

    *err = PetscMax(*err, PetscAbsReal(a[g - lo] - exact(xi, c, nu, t[j])));
  }
  PetscCall(VecRestoreArrayRead(u, &a));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, err, 1, MPIU_REAL, MPIU_MAX, PetscObjectComm((PetscObject)u)));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestConvection(PetscInt nx, PetscInt nt, const PetscReal t[], PetscReal *worst)
{
  const PetscReal cs[] = {30, 50}, nus[] = {0, 0.01};
  PetscReal      *xl;
  Vec             u;
  PetscReal       err;

  PetscFunctionBegin;
  *worst = 0;
  for (PetscInt a = 0; a < 2; a++) {
    for (PetscInt b = 0; b < 2; b++) {
      PetscCall(ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, cs[a], nus[b], SinU0, NULL, nx, nx, NULL, nt, t, &u));
      PetscCall(MaxError(u, nx, NULL, t, SinExact, cs[a], nus[b], &err));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "convection c %g nu %g, u0 = sin x: max error %.2e\n", (double)cs[a], (double)nus[b], (double)err));
      *worst = PetscMax(*worst, err);
      PetscCall(VecDestroy(&u));
    }
  }
  /* the LPINN's labels linspace(0, 2 pi, nx) (both ends) shifted by 0.1: arbitrary points; 16 modes resolve degree 7 */
  PetscCall(PetscMalloc1(nx, &xl));
  for (PetscInt i = 0; i < nx; i++) xl[i] = 0.1 + 2 * PETSC_PI * (PetscReal)i / (PetscReal)(nx - 1);
  PetscCall(ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 50, 0.01, PolyU0, NULL, 16, nx, xl, nt, t, &u));
  PetscCall(MaxError(u, nx, xl, t, PolyExact, 50, 0.01, &err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "convection c 50 nu 0.01, u0 = 0.3 + sin x - cos 3x / 2 + sin 7x / 4, 16 modes, shifted labels: max error %.2e\n",
                        (double)err));
  *worst = PetscMax(*worst, err);
  PetscCall(VecDestroy(&u));
  PetscCall(PetscFree(xl));
  PetscFunctionReturn(0);
}

/* t = 0 row equals sin x (+ C), the mean of each time slice is C, a halved quadrature step agrees */
static PetscErrorCode TestColeHopf(PetscInt nx, PetscInt nt, const PetscReal t[], PetscReal nu, PetscReal C, PetscReal *worst)
{
  Vec                u, v;
  const PetscScalar *a;
  PetscInt           lo, hi;
  PetscReal         *mean, dt0 = 0, dmean = 0, dstep;
  PetscLogDouble     t0, t1;

  PetscFunctionBegin;
  PetscCall(PetscTime(&t0));
  PetscCall(ReferenceBurgersColeHopf1d(PETSC_COMM_WORLD, nu, C, nx, NULL, nt, t, &u));
  PetscCall(PetscTime(&t1));
  PetscCall(PetscCalloc1(nt, &mean));
  PetscCall(VecGetOwnershipRange(u, &lo, &hi));
  PetscCall(VecGetArrayRead(u, &a));
  for (PetscInt g = lo; g < hi; g++) {
    PetscInt  i = g % nx, j = g / nx;
    PetscReal xi = 2 * PETSC_PI * (PetscReal)i / (PetscReal)nx;

    mean[j] += a[g - lo] / (PetscReal)nx;
    if (t[j] == 0) dt0 = PetscMax(dt0, PetscAbsReal(a[g - lo] - C - PetscSinReal(xi)));
  }
  PetscCall(VecRestoreArrayRead(u, &a));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, mean, nt, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &dt0, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  for (PetscInt j = 0; j < nt; j++) dmean = PetscMax(dmean, PetscAbsReal(mean[j] - C));
  PetscCall(PetscOptionsSetValue(NULL, "-ref_colehopf_step", "0.025"));
  PetscCall(ReferenceBurgersColeHopf1d(PETSC_COMM_WORLD, nu, C, nx, NULL, nt, t, &v));
  PetscCall(PetscOptionsClearValue(NULL, "-ref_colehopf_step"));
  PetscCall(VecAXPY(v, -1, u));
  PetscCall(VecNorm(v, NORM_INFINITY, &dstep));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "Cole-Hopf nu %g C %g on %" PetscInt_FMT " x %" PetscInt_FMT
                        ": |u(x,0) - u0| %.1e, |mean - C| %.1e, step 0.025 vs default %.1e (%.2f s)\n",
                        (double)nu, (double)C, nx, nt, (double)dt0, (double)dmean, (double)dstep, t1 - t0));
  *worst = PetscMax(dt0, PetscMax(dmean, dstep));
  PetscCall(PetscFree(mean));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&v));
  PetscFunctionReturn(0);
}

/* -save f: write u (PETSc binary); -compare f: the relative L2 difference from a saved result, an error above
   -expect_compare (1e-7) */
static PetscErrorCode SaveCompare(Vec u)
{
  char      save[PETSC_MAX_PATH_LEN] = "", compare[PETSC_MAX_PATH_LEN] = "";
  PetscBool hassave, hascompare;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-save", save, sizeof(save), &hassave));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-compare", compare, sizeof(compare), &hascompare));
  if (hassave) {
    PetscViewer viewer;

    PetscCall(PetscViewerBinaryOpen(PETSC_COMM_WORLD, save, FILE_MODE_WRITE, &viewer));
    PetscCall(VecView(u, viewer));
    PetscCall(PetscViewerDestroy(&viewer));
  }
  if (hascompare) {
    PetscViewer viewer;
    Vec         w;
    PetscReal   nw, diff, dmax, expect = 1e-7;

    PetscCall(PetscOptionsGetReal(NULL, NULL, "-expect_compare", &expect, NULL));
    PetscCall(VecDuplicate(u, &w));
    PetscCall(PetscViewerBinaryOpen(PETSC_COMM_WORLD, compare, FILE_MODE_READ, &viewer));
    PetscCall(VecLoad(w, viewer));
    PetscCall(PetscViewerDestroy(&viewer));
    PetscCall(VecNorm(w, NORM_2, &nw));
    PetscCall(VecAXPY(w, -1, u));
    PetscCall(VecNorm(w, NORM_2, &diff));
    PetscCall(VecNorm(w, NORM_INFINITY, &dmax));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "difference from %s: relative L2 %.3e, max %.3e\n", compare, (double)(diff / nw), (double)dmax));
    PetscCheck(diff <= expect * nw, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Result differs from %s by %g relative L2, above -expect_compare %g", compare,
               (double)(diff / nw), (double)expect);
    PetscCall(VecDestroy(&w));
  }
  PetscFunctionReturn(0);
}

/* ||a - b|| / ||b|| */
static PetscErrorCode RelativeDifference(Vec a, Vec b, PetscReal *rel)
{
  Vec       w;
  PetscReal nb, nd;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(a, &w));
  PetscCall(VecWAXPY(w, -1, b, a));
  PetscCall(VecNorm(w, NORM_2, &nd));
  PetscCall(VecNorm(b, NORM_2, &nb));
  *rel = nd / nb;
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestBurgers(PetscInt nx, PetscInt nt, const PetscReal t[], PetscReal nu, PetscReal C, PetscReal *relerr)
{
  Vec            u, ref;
  PetscLogDouble t0, t1;

  PetscFunctionBegin;
  PetscCall(PetscTime(&t0));
  PetscCall(ReferenceBurgers1d(PETSC_COMM_WORLD, nu, SinU0, &C, nx, nt, t, &u));
  PetscCall(PetscTime(&t1));
  PetscCall(ReferenceBurgersColeHopf1d(PETSC_COMM_WORLD, nu, C, nx, NULL, nt, t, &ref));
  PetscCall(RelativeDifference(u, ref, relerr));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "Burgers nu %g C %g, %" PetscInt_FMT " x %" PetscInt_FMT
                        " grid, t in [%g, %g]: CVODE %.2f s, relative L2 vs Cole-Hopf %.3e\n",
                        (double)nu, (double)C, nx, nt, (double)t[0], (double)t[nt - 1], t1 - t0, (double)*relerr));
  PetscCall(SaveCompare(u));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&ref));
  PetscFunctionReturn(0);
}

/* ReferenceBurgersViscosity1d with the constant function nu against ReferenceBurgers1d */
static PetscErrorCode TestViscosityConstant(PetscInt nx, PetscInt nt, const PetscReal t[], PetscReal nu, PetscReal C, PetscReal *rel)
{
  PetscReal nuc[2] = {nu, 0};
  Vec       u, v;

  PetscFunctionBegin;
  PetscCall(ReferenceBurgers1d(PETSC_COMM_WORLD, nu, SinU0, &C, nx, nt, t, &u));
  PetscCall(ReferenceBurgersViscosity1d(PETSC_COMM_WORLD, SinViscosity, nuc, SinU0, &C, nx, nt, t, &v));
  PetscCall(RelativeDifference(v, u, rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Burgers C %g: nu(x) = %g as a function vs the constant %g: relative L2 difference %.3e\n", (double)C,
                        (double)nu, (double)nu, (double)*rel));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&v));
  PetscFunctionReturn(0);
}

/* nu(x) = nu (1 + a sin x): refine r against 2r (self-convergence), and against the constant nu */
static PetscErrorCode TestViscosity(PetscInt nx, PetscInt nt, const PetscReal t[], PetscReal nu, PetscReal C, PetscReal *rel)
{
  PetscReal      nuc[2] = {nu, 0.5}, dconst;
  PetscInt       r      = 8;
  char           s[32];
  Vec            u, v, w;
  PetscLogDouble t0, t1, t2;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-nu_amplitude", &nuc[1], NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-ref_burgers_refine", &r, NULL));
  PetscCall(PetscTime(&t0));
  PetscCall(ReferenceBurgersViscosity1d(PETSC_COMM_WORLD, SinViscosity, nuc, SinU0, &C, nx, nt, t, &u));
  PetscCall(PetscTime(&t1));
  PetscCall(PetscSNPrintf(s, sizeof(s), "%" PetscInt_FMT, 2 * r));
  PetscCall(PetscOptionsSetValue(NULL, "-ref_burgers_refine", s));
  PetscCall(ReferenceBurgersViscosity1d(PETSC_COMM_WORLD, SinViscosity, nuc, SinU0, &C, nx, nt, t, &v));
  PetscCall(PetscTime(&t2));
  PetscCall(PetscSNPrintf(s, sizeof(s), "%" PetscInt_FMT, r));
  PetscCall(PetscOptionsSetValue(NULL, "-ref_burgers_refine", s));
  PetscCall(ReferenceBurgers1d(PETSC_COMM_WORLD, nu, SinU0, &C, nx, nt, t, &w));
  PetscCall(RelativeDifference(u, v, rel));
  PetscCall(RelativeDifference(w, u, &dconst));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "Burgers nu(x) = %g (1 + %g sin x), C %g, %" PetscInt_FMT " x %" PetscInt_FMT " grid: %" PetscInt_FMT " vs %" PetscInt_FMT
                        " solver points (%.2f s, %.2f s): relative L2 difference %.3e; "
                        "the constant nu %g differs by %.3e\n",
                        (double)nu, (double)nuc[1], (double)C, nx, nt, nx * r, 2 * nx * r, t1 - t0, t2 - t1, (double)*rel, (double)nu,
                        (double)dconst));
  PetscCheck(dconst > 1e-3, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "The variable viscosity changed the solution by only %g relative L2", (double)dconst);
  PetscCall(SaveCompare(u));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestBad(PetscInt *nfail)
{
  const PetscReal t[3] = {0, 0.5, 1}, tdec[3] = {0, 1, 0.5}, tneg[2] = {-1, 0};
  PetscErrorCode  ierr;
  Vec             u = NULL;

  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 30, -0.1, SinU0, NULL, 16, 16, NULL, 3, t, &u);
  PetscCall(Expect("convection: nu = -0.1", ierr, PETSC_ERR_ARG_OUTOFRANGE, "nu = -0.1", nfail));
  ierr = ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 30, 0, SinU0, NULL, 16, 0, NULL, 3, t, &u);
  PetscCall(Expect("convection: nx = 0", ierr, PETSC_ERR_ARG_OUTOFRANGE, "x points 0", nfail));
  ierr = ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 30, 0, SinU0, NULL, 16, 16, NULL, -2, t, &u);
  PetscCall(Expect("convection: nt = -2", ierr, PETSC_ERR_ARG_OUTOFRANGE, "times -2", nfail));
  ierr = ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 30, 0, SinU0, NULL, 0, 16, NULL, 3, t, &u);
  PetscCall(Expect("convection: nmodes = 0", ierr, PETSC_ERR_ARG_OUTOFRANGE, "nmodes = 0", nfail));
  ierr = ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 30, 0.01, SinU0, NULL, 16, 16, NULL, 2, tneg, &u);
  PetscCall(Expect("convection: t = -1", ierr, PETSC_ERR_ARG_OUTOFRANGE, "t[0] = -1", nfail));
  ierr = ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, 30, 0.01, NanU0, NULL, 16, 16, NULL, 3, t, &u);
  PetscCall(Expect("convection: u0 not finite", ierr, PETSC_ERR_USER_INPUT, "not finite", nfail));
  ierr = ReferenceBurgersColeHopf1d(PETSC_COMM_WORLD, 0, 0, 16, NULL, 3, t, &u);
  PetscCall(Expect("Cole-Hopf: nu = 0", ierr, PETSC_ERR_ARG_OUTOFRANGE, "nu > 0", nfail));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, -1, SinU0, NULL, 16, 3, t, &u);
  PetscCall(Expect("Burgers: nu = -1", ierr, PETSC_ERR_ARG_OUTOFRANGE, "nu = -1", nfail));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, 0.01, SinU0, NULL, -4, 3, t, &u);
  PetscCall(Expect("Burgers: nx = -4", ierr, PETSC_ERR_ARG_OUTOFRANGE, "x points -4", nfail));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, 0.01, SinU0, NULL, 16, 3, tdec, &u);
  PetscCall(Expect("Burgers: decreasing times", ierr, PETSC_ERR_ARG_OUTOFRANGE, "non-decreasing", nfail));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, 0.01, NULL, NULL, 16, 3, t, &u);
  PetscCall(Expect("Burgers: no u0", ierr, PETSC_ERR_ARG_NULL, "No initial condition", nfail));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, 0.01, NanU0, NULL, 16, 3, t, &u);
  PetscCall(Expect("Burgers: u0 not finite", ierr, PETSC_ERR_USER_INPUT, "not finite", nfail));
  PetscCall(PetscOptionsSetValue(NULL, "-ref_burgers_order", "5"));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, 0.01, SinU0, NULL, 16, 3, t, &u);
  PetscCall(Expect("Burgers: -ref_burgers_order 5", ierr, PETSC_ERR_ARG_OUTOFRANGE, "-ref_burgers_order 5", nfail));
  PetscCall(PetscOptionsClearValue(NULL, "-ref_burgers_order"));
  /* a CVODE failure: too few steps allowed to reach the first output time */
  PetscCall(PetscOptionsSetValue(NULL, "-ref_burgers_max_steps", "3"));
  ierr = ReferenceBurgers1d(PETSC_COMM_WORLD, 0.01, SinU0, NULL, 16, 3, t, &u);
  PetscCall(Expect("Burgers: -ref_burgers_max_steps 3", ierr, PETSC_ERR_NOT_CONVERGED, "CV_TOO_MUCH_WORK", nfail));
  PetscCall(PetscOptionsClearValue(NULL, "-ref_burgers_max_steps"));
  {
    PetscReal nuneg[2] = {-0.01, 0.5};

    ierr = ReferenceBurgersViscosity1d(PETSC_COMM_WORLD, SinViscosity, nuneg, SinU0, NULL, 16, 3, t, &u);
    PetscCall(Expect("Burgers: nu(x) < 0", ierr, PETSC_ERR_USER_INPUT, "must be finite and >= 0", nfail));
    ierr = ReferenceBurgersViscosity1d(PETSC_COMM_WORLD, NanViscosity, NULL, SinU0, NULL, 16, 3, t, &u);
    PetscCall(Expect("Burgers: nu(x) not finite", ierr, PETSC_ERR_USER_INPUT, "Viscosity nu(", nfail));
    ierr = ReferenceBurgersViscosity1d(PETSC_COMM_WORLD, NULL, NULL, SinU0, NULL, 16, 3, t, &u);
    PetscCall(Expect("Burgers: no nu(x)", ierr, PETSC_ERR_ARG_NULL, "No viscosity function", nfail));
  }
  PetscCall(PetscPopErrorHandler());
  PetscCheck(!u, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "A failed call returned a Vec");
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      test[32] = "convection";
  PetscInt  nx = 256, nt = 100, nfail = 0;
  PetscReal nu = 0.01, C = 0, tmax = 1, expect = -1, figure = 0, *t;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-test", test, sizeof(test), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nx", &nx, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nt", &nt, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-nu", &nu, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-C", &C, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-tmax", &tmax, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-expect", &expect, NULL));
  PetscCall(PetscMalloc1(nt, &t));
  for (PetscInt j = 0; j < nt; j++) t[j] = nt > 1 ? tmax * (PetscReal)j / (PetscReal)(nt - 1) : 0; /* linspace(0, tmax, nt) */
  if (!strcmp(test, "convection")) {
    PetscCall(TestConvection(nx, nt, t, &figure));
    if (expect < 0) expect = 1e-12;
  } else if (!strcmp(test, "colehopf")) {
    PetscCall(TestColeHopf(nx, nt, t, nu, C, &figure));
    if (expect < 0) expect = 1e-10; /* the mean on 256 points: aliasing of the steep front, 2.4e-11 at C = 50 */
  } else if (!strcmp(test, "burgers")) {
    PetscCall(TestBurgers(nx, nt, t, nu, C, &figure));
    if (expect < 0) expect = 1e-6;
  } else if (!strcmp(test, "viscosity_constant")) {
    PetscCall(TestViscosityConstant(nx, nt, t, nu, C, &figure));
    if (expect < 0) expect = 1e-14;
  } else if (!strcmp(test, "viscosity")) {
    PetscCall(TestViscosity(nx, nt, t, nu, C, &figure));
    if (expect < 0) expect = 1e-8;
  } else if (!strcmp(test, "bad")) {
    PetscCall(TestBad(&nfail));
    expect = 0;
    figure = (PetscReal)nfail;
  } else
    SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_ARG_UNKNOWN_TYPE, "Unknown -test %s: convection, colehopf, burgers, viscosity_constant, viscosity or bad",
            test);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "test %s: figure %.3e (limit %.1e)\n", test, (double)figure, (double)expect));
  PetscCheck(figure <= expect, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "test %s: %g above the limit %g", test, (double)figure, (double)expect);
  PetscCall(PetscFree(t));
  PetscCall(PetscFinalize());
  return 0;
}

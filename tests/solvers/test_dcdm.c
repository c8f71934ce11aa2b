static const char help[] =
    "KSPDCDM on the 3-D pressure Poisson problem (-poisson3d_* options choose it).\n"
    "  -test <solve|sd|exact|nan|indefinite|network|fcg|guard>\n"
    "     solve:      KSPSetFromOptions solve; with -compare_cg also CG and CG+ICC (prefix cg_)\n"
    "     sd:         direction residual vs a hand-written steepest descent with orthogonalization (same iterates)\n"
    "     exact:      the direction is an exact solve (inner CG+GAMG to 1e-12): one iteration\n"
    "     nan:        a direction function returning NaN: every iteration falls back to the residual\n"
    "     indefinite: A - 3I: a diverged reason, finite numbers\n"
    "     network:    the network direction and PCDCDM: clear errors for bad grids and model files (-models prefix of\n"
    "                 the files write_random_dcdm_model wrote); untrained weights lower the energy; PCDCDM is homogeneous\n"
    "     fcg:        KSPs with prefixes dcdm_ and fcg_ (e.g. -dcdm_ksp_type dcdm -fcg_ksp_type fcg -fcg_pc_type dcdm):\n"
    "                 iteration counts at most -max_its_diff <1> apart, the first 10 residual norms within -max_hist_diff <1e-6>\n"
    "     guard:      a useless direction (random, new each step) caught by the progress guard: with the safeguard it is\n"
    "                 switched off and the solve converges within -expect_max_extra <0> iterations of CG with the same PC\n"
    "                 (prefix cg_); without it the solve stops with KSP_DIVERGED_BREAKDOWN\n"
    "  -expect_its <n>, -expect_max_its <n>, -expect_reason <r>, -nonzero_guess, -expect_max_cg_ratio <1> (with -compare_cg),\n"
    "  -expect_max_useless <n> (network directions the guard found useless)\n";

#define _POSIX_C_SOURCE 200112L /* setenv, unsetenv */
#include <nnpde.h>
#include <stdlib.h>
#include "expect_error.h"

typedef struct {
  Poisson3d p;
  Mat       A;
  Vec       b, x;
} Problem;

/* b: a smooth function of the global cell index (rank independent), made admissible */
static PetscErrorCode ProblemCreate(Problem *pb)
{
  DM             da;
  PetscScalar ***b;
  PetscInt       xs, ys, zs, xm, ym, zm, n;

  PetscFunctionBeginUser;
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 16, &pb->p));
  PetscCall(Poisson3dSetFromOptions(pb->p));
  PetscCall(Poisson3dGetMatrix(pb->p, &pb->A));
  PetscCall(Poisson3dGetDM(pb->p, &da));
  PetscCall(DMDAGetInfo(da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(MatCreateVecs(pb->A, &pb->x, &pb->b));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  PetscCall(DMDAVecGetArray(da, pb->b, &b));
  for (PetscInt k = zs; k < zs + zm; k++)
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++) {
        PetscReal x = (i + 0.5) / n, y = (j + 0.5) / n, z = (k + 0.5) / n;

        b[k][j][i] = PetscSinReal(3 * x + 1) * PetscCosReal(5 * y) + z * z + 0.3 * PetscSinReal(17 * x * y * z);
      }
  PetscCall(DMDAVecRestoreArray(da, pb->b, &b));
  PetscCall(Poisson3dProjectRHS(pb->p, pb->b));
  PetscFunctionReturn(0);
}

static PetscErrorCode ProblemDestroy(Problem *pb)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&pb->b));
  PetscCall(VecDestroy(&pb->x));
  PetscCall(Poisson3dDestroy(&pb->p));
  PetscFunctionReturn(0);
}

static PetscErrorCode InitialGuess(Problem *pb, PetscBool nonzero)
{
  PetscFunctionBeginUser;
  if (nonzero) {
    PetscCall(VecCopy(pb->b, pb->x));
    PetscCall(VecScale(pb->x, 0.1));
  } else
    PetscCall(VecZeroEntries(pb->x));
  PetscFunctionReturn(0);
}

static PetscErrorCode RelativeResidual(Problem *pb, PetscReal *rel)
{
  Vec       r;
  PetscReal rn, bn;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(pb->b, &r));
  PetscCall(MatMult(pb->A, pb->x, r));
  PetscCall(VecAYPX(r, -1.0, pb->b));
  PetscCall(VecNorm(r, NORM_2, &rn));
  PetscCall(VecNorm(pb->b, NORM_2, &bn));
  PetscCheck(!PetscIsInfOrNanReal(rn), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Non-finite residual");
  *rel = rn / bn;
  PetscCall(VecDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Report(const char *what, KSP ksp, Problem *pb, PetscInt *its)
{
  KSPConvergedReason reason;
  PetscReal          rel = 0;

  PetscFunctionBeginUser;
  PetscCall(KSPGetIterationNumber(ksp, its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(RelativeResidual(pb, &rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: %" PetscInt_FMT " iterations, %s, |b - Ax|/|b| %s 1e-6\n", what, *its, KSPConvergedReasons[reason],
                        rel <= 1e-6 ? "<=" : ">"));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckExpectations(KSP ksp, PetscInt its)
{
  PetscInt           expect = -1, maxits = -1;
  char               reason[64] = "";
  KSPConvergedReason r;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-expect_its", &expect, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-expect_max_its", &maxits, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-expect_reason", reason, sizeof(reason), NULL));
  PetscCall(KSPGetConvergedReason(ksp, &r));
  PetscCheck(expect < 0 || its == expect, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " iterations, expected %" PetscInt_FMT, its, expect);
  PetscCheck(maxits < 0 || its <= maxits, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " iterations, expected at most %" PetscInt_FMT, its,
             maxits);
  if (reason[0]) {
    PetscBool same;

    PetscCall(PetscStrcmp(reason, KSPConvergedReasons[r], &same));
    PetscCheck(same, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Reason %s, expected %s", KSPConvergedReasons[r], reason);
  } else
    PetscCheck(r > 0, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Did not converge: %s", KSPConvergedReasons[r]);
  PetscFunctionReturn(0);
}

/* ---- solve: options-driven, with optional comparison against CG and CG+ICC ------------------------------------ */
static PetscErrorCode TestSolve(void)
{
  Problem   pb;
  KSP       ksp;
  PetscInt  its, cgits;
  PetscBool compare = PETSC_FALSE, nonzero = PETSC_FALSE;
  PetscReal ratio = 1;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-compare_cg", &compare, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-expect_max_cg_ratio", &ratio, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-nonzero_guess", &nonzero, NULL));
  PetscCall(ProblemCreate(&pb));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(InitialGuess(&pb, nonzero));
  PetscCall(KSPSetInitialGuessNonzero(ksp, nonzero));
  PetscCall(KSPSolve(ksp, pb.b, pb.x));
  PetscCall(Report("dcdm", ksp, &pb, &its));
  PetscCall(CheckExpectations(ksp, its));
  {
    PetscInt useless, maxuseless = -1;

    PetscCall(KSPDCDMGetGuardCount(ksp, &useless, NULL, NULL));
    PetscCall(PetscOptionsGetInt(NULL, NULL, "-expect_max_useless", &maxuseless, NULL));
    if (maxuseless >= 0) {
      PetscCall(
          PetscPrintf(PETSC_COMM_WORLD, "useless network directions: %" PetscInt_FMT " (at most %" PetscInt_FMT " expected)\n", useless, maxuseless));
      PetscCheck(useless <= maxuseless, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
                 "%" PetscInt_FMT " useless network directions, expected at most %" PetscInt_FMT, useless, maxuseless);
    }
  }
  if (compare) {
    KSP cg;

    PetscCall(KSPCreate(PETSC_COMM_WORLD, &cg));
    PetscCall(KSPSetOptionsPrefix(cg, "cg_"));
    PetscCall(KSPSetOperators(cg, pb.A, pb.A));
    PetscCall(KSPSetType(cg, KSPCG));
    PetscCall(KSPSetTolerances(cg, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 10000));
    PetscCall(KSPSetNormType(cg, KSP_NORM_UNPRECONDITIONED));
    PetscCall(KSPSetFromOptions(cg));
    PetscCall(InitialGuess(&pb, nonzero));
    PetscCall(KSPSetInitialGuessNonzero(cg, nonzero));
    PetscCall(KSPSolve(cg, pb.b, pb.x));
    PetscCall(Report("cg  ", cg, &pb, &cgits));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "dcdm/cg iteration ratio %.2f\n", (double)its / (double)cgits));
    PetscCheck(its < cgits, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "DCDM needs %" PetscInt_FMT " iterations, not fewer than CG's %" PetscInt_FMT, its,
               cgits);
    PetscCheck(its <= ratio * cgits, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "DCDM needs %" PetscInt_FMT " iterations, more than %g of CG's %" PetscInt_FMT,
               its, (double)ratio, cgits);
    PetscCall(KSPDestroy(&cg));
  }
  PetscCall(KSPDestroy(&ksp));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

/* ---- sd: the residual direction reproduces a hand-written loop ------------------------------------------------- */
#define SD_ITS 12

typedef struct {
  Vec       xs[SD_ITS + 1];
  PetscReal maxdiff;
} SDCtx;

/* The reference: q = r/|r|, classical Gram-Schmidt in the A inner product against the last 2, exact line search,
   true residual; iterates x_1..x_SD_ITS */
static PetscErrorCode HandWrittenSD(Problem *pb, PetscBool nonzero, Vec xs[])
{
  Vec         x, r, q, Aq, p[2], Ap[2];
  PetscScalar a[2] = {1, 1}, c0, c1, qAq, qr;
  PetscReal   rn;
  PetscInt    nstored = 0;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(pb->b, &x));
  PetscCall(VecDuplicate(pb->b, &r));
  PetscCall(VecDuplicate(pb->b, &q));
  PetscCall(VecDuplicate(pb->b, &Aq));
  for (PetscInt j = 0; j < 2; j++) {
    PetscCall(VecDuplicate(pb->b, &p[j]));
    PetscCall(VecDuplicate(pb->b, &Ap[j]));
  }
  PetscCall(InitialGuess(pb, nonzero));
  PetscCall(VecCopy(pb->x, x));
  PetscCall(MatMult(pb->A, x, r));
  PetscCall(VecAYPX(r, -1.0, pb->b));
  for (PetscInt it = 0; it < SD_ITS; it++) {
    PetscCall(VecNorm(r, NORM_2, &rn));
    PetscCall(VecCopy(r, q));
    PetscCall(VecScale(q, 1.0 / rn));
    /* q -= p1 (q.Ap1)/a1 + p0 (q.Ap0)/a0, both coefficients from the same q */
    c1 = c0 = 0;
    if (nstored > 0) PetscCall(VecDot(q, Ap[1], &c1));
    if (nstored > 1) PetscCall(VecDot(q, Ap[0], &c0));
    if (nstored > 0) PetscCall(VecAXPY(q, -c1 / a[1], p[1]));
    if (nstored > 1) PetscCall(VecAXPY(q, -c0 / a[0], p[0]));
    PetscCall(MatMult(pb->A, q, Aq));
    PetscCall(VecDot(q, Aq, &qAq));
    PetscCall(VecDot(q, r, &qr));
    /* shift the window */
    PetscCall(VecCopy(p[1], p[0]));
    PetscCall(VecCopy(Ap[1], Ap[0]));
    a[0] = a[1];
    PetscCall(VecCopy(q, p[1]));
    PetscCall(VecCopy(Aq, Ap[1]));
    a[1]    = qAq;
    nstored = PetscMin(nstored + 1, 2);
    PetscCall(VecAXPY(x, qr / qAq, q));
    PetscCall(MatMult(pb->A, x, r));
    PetscCall(VecAYPX(r, -1.0, pb->b));
    PetscCall(VecDuplicate(x, &xs[it + 1]));
    PetscCall(VecCopy(x, xs[it + 1]));
  }
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&r));
  PetscCall(VecDestroy(&q));
  PetscCall(VecDestroy(&Aq));
  for (PetscInt j = 0; j < 2; j++) {
    PetscCall(VecDestroy(&p[j]));
    PetscCall(VecDestroy(&Ap[j]));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SDMonitor(KSP ksp, PetscInt it, PetscReal rnorm, void *ctx)
{
  SDCtx    *sd = (SDCtx *)ctx;
  Vec       x, d;
  PetscReal dn, xn;

  PetscFunctionBeginUser;
  (void)rnorm;
  if (it == 0 || it > SD_ITS) PetscFunctionReturn(0);
  PetscCall(KSPBuildSolution(ksp, NULL, &x));
  PetscCall(VecDuplicate(x, &d));
  PetscCall(VecWAXPY(d, -1.0, sd->xs[it], x));
  PetscCall(VecNorm(d, NORM_2, &dn));
  PetscCall(VecNorm(sd->xs[it], NORM_2, &xn));
  sd->maxdiff = PetscMax(sd->maxdiff, dn / xn);
  PetscCall(VecDestroy(&d));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestSD(void)
{
  Problem   pb;
  KSP       ksp;
  SDCtx     sd = {{NULL}, 0};
  PetscInt  its;
  PetscBool nonzero = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-nonzero_guess", &nonzero, NULL));
  PetscCall(ProblemCreate(&pb));
  PetscCall(HandWrittenSD(&pb, nonzero, sd.xs));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPDCDMSetDirection(ksp, KSP_DCDM_DIRECTION_RESIDUAL));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 5000));
  PetscCall(KSPMonitorSet(ksp, SDMonitor, &sd, NULL));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(InitialGuess(&pb, nonzero));
  PetscCall(KSPSetInitialGuessNonzero(ksp, nonzero));
  PetscCall(KSPSolve(ksp, pb.b, pb.x));
  PetscCall(Report("dcdm direction residual", ksp, &pb, &its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "first %d iterates vs hand-written steepest descent with orthogonalization: max relative difference %s 1e-10\n", SD_ITS,
                        sd.maxdiff <= 1e-10 ? "<=" : ">"));
  PetscCheck(its > SD_ITS && sd.maxdiff <= 1e-10, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Iterates differ by %g (its %" PetscInt_FMT ")",
             (double)sd.maxdiff, its);
  PetscCall(CheckExpectations(ksp, its));
  for (PetscInt i = 1; i <= SD_ITS; i++) PetscCall(VecDestroy(&sd.xs[i]));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

/* ---- exact: the direction is a (near) exact solve -------------------------------------------------------------- */
static PetscErrorCode ExactApply(KSP ksp, Vec r, Vec q, void *ctx)
{
  KSP                inner = (KSP)ctx;
  KSPConvergedReason reason;

  PetscFunctionBeginUser;
  (void)ksp;
  PetscCall(KSPSolve(inner, r, q));
  PetscCall(KSPGetConvergedReason(inner, &reason));
  PetscCheck(reason > 0, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Inner solve failed: %s", KSPConvergedReasons[reason]);
  PetscFunctionReturn(0);
}

static PetscErrorCode TestExact(void)
{
  Problem   pb;
  KSP       ksp, inner;
  PC        pc;
  PetscInt  its;
  PetscBool nonzero = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-nonzero_guess", &nonzero, NULL));
  PetscCall(ProblemCreate(&pb));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &inner));
  PetscCall(KSPSetOperators(inner, pb.A, pb.A));
  PetscCall(KSPSetType(inner, KSPCG));
  PetscCall(KSPGetPC(inner, &pc));
  PetscCall(PCSetType(pc, PCGAMG));
  PetscCall(KSPSetTolerances(inner, 1e-12, 1e-50, PETSC_DEFAULT, 1000));
  PetscCall(KSPSetOptionsPrefix(inner, "inner_"));
  PetscCall(KSPSetFromOptions(inner));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPDCDMSetApply(ksp, ExactApply, inner));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCNONE));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 100));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(InitialGuess(&pb, nonzero));
  PetscCall(KSPSetInitialGuessNonzero(ksp, nonzero));
  PetscCall(KSPSolve(ksp, pb.b, pb.x));
  PetscCall(Report("dcdm with an exact solve as direction", ksp, &pb, &its));
  PetscCheck(its == 1, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Exact direction took %" PetscInt_FMT " iterations, not 1", its);
  PetscCall(CheckExpectations(ksp, its));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(KSPDestroy(&inner));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

/* ---- nan: a broken network; every step falls back to the residual direction ------------------------------------ */
static PetscErrorCode NaNApply(KSP ksp, Vec r, Vec q, void *ctx)
{
  PetscFunctionBeginUser;
  (void)ksp, (void)r, (void)ctx;
  PetscCall(VecSet(q, PETSC_SQRT_MACHINE_EPSILON));
  PetscCall(VecScale(q, PETSC_INFINITY)); /* inf, and inf - inf = NaN in the dot products */
  PetscFunctionReturn(0);
}

static PetscErrorCode TestNaN(void)
{
  Problem  pb;
  KSP      ksp;
  PC       pc;
  PetscInt its, last, total;

  PetscFunctionBeginUser;
  PetscCall(ProblemCreate(&pb));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPDCDMSetApply(ksp, NaNApply, NULL));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCNONE));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 5000));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPSolve(ksp, pb.b, pb.x));
  PetscCall(Report("dcdm with a NaN-producing direction", ksp, &pb, &its));
  PetscCall(KSPDCDMGetBreakdownCount(ksp, &last, &total));
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "breakdowns: %s\n", last == its ? "one per iteration, each answered by the residual direction" : "WRONG COUNT"));
  PetscCheck(last == its && total == its, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " breakdowns in %" PetscInt_FMT " iterations", last,
             its);
  PetscCall(CheckExpectations(ksp, its));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

/* ---- indefinite: A - 3I ----------------------------------------------------------------------------------------- */
static PetscErrorCode TestIndefinite(void)
{
  Problem            pb;
  KSP                ksp;
  PC                 pc;
  Mat                S;
  PetscInt           its;
  PetscReal          xn;
  KSPConvergedReason reason;

  PetscFunctionBeginUser;
  PetscCall(ProblemCreate(&pb));
  PetscCall(MatDuplicate(pb.A, MAT_COPY_VALUES, &S));
  PetscCall(MatShift(S, -3.0));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, S, S));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPDCDMSetDirection(ksp, KSP_DCDM_DIRECTION_RESIDUAL));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCNONE));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPSolve(ksp, pb.b, pb.x));
  PetscCall(KSPGetIterationNumber(ksp, &its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(VecNorm(pb.x, NORM_2, &xn));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "dcdm on A - 3I: %s, solution %s\n", KSPConvergedReasons[reason],
                        PetscIsInfOrNanReal(xn) ? "NOT FINITE" : "finite"));
  PetscCheck(reason < 0 && !PetscIsInfOrNanReal(xn), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Indefinite matrix: reason %s, |x| %g",
             KSPConvergedReasons[reason], (double)xn);
  PetscCall(KSPDestroy(&ksp));
  PetscCall(MatDestroy(&S));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

/* ---- network: bad input gives clear errors (KSPDCDM's network direction and PCDCDM); untrained weights reduce the energy */

/* A Dirichlet box on an n^3 grid (x-ownership lx[], or NULL for PETSc's choice), b = 1 */
static PetscErrorCode ProblemCreateBox(PetscInt n, const PetscInt lx[], Problem *pb)
{
  PetscMPIInt size;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, n, &pb->p));
  if (lx) {
    DM da;

    PetscCall(DMDACreate3d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, n, size, 1, 1, 1, 1, lx,
                           NULL, NULL, &da));
    PetscCall(DMSetUp(da));
    PetscCall(Poisson3dSetDM(pb->p, da));
    PetscCall(DMDestroy(&da));
  }
  PetscCall(Poisson3dSetAllBC(pb->p, POISSON3D_OPEN));
  PetscCall(Poisson3dGetMatrix(pb->p, &pb->A));
  PetscCall(MatCreateVecs(pb->A, &pb->x, &pb->b));
  PetscCall(VecSet(pb->b, 1.0));
  PetscFunctionReturn(0);
}

/* A few iterations of KSPDCDM's network direction (usepc false) or of KSPFCG with PCDCDM (usepc true) on A, with the
   model file (NULL: the default) and layer list (0: the default); *ierr is the solve's error code, returned, not raised */
static PetscErrorCode TrySolve(Mat A, Problem *pb, PetscBool usepc, const char model[], PetscInt layers, PetscErrorCode *ierr)
{
  KSP ksp;
  PC  pc;

  PetscFunctionBeginUser;
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 2));
  PetscCall(KSPSetConvergenceTest(ksp, KSPConvergedSkip, NULL, NULL));
  if (usepc) {
    PetscCall(KSPSetType(ksp, KSPFCG));
    PetscCall(PCSetType(pc, PCDCDM));
    if (model) PetscCall(PCDCDMSetModel(pc, model));
  } else {
    PetscCall(KSPSetType(ksp, KSPDCDM));
    PetscCall(PCSetType(pc, PCNONE));
    if (model) PetscCall(KSPDCDMSetModel(ksp, model));
  }
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  *ierr = 0;
  if (layers) *ierr = usepc ? PCDCDMSetModelLayers(pc, layers) : KSPDCDMSetModelLayers(ksp, layers);
  if (!*ierr) *ierr = KSPSolve(ksp, pb->b, pb->x);
  PetscCall(PetscPopErrorHandler());
  PetscCall(KSPDestroy(&ksp));
  PetscFunctionReturn(0);
}

#define TRY(title, A, pb, usepc, model, layers, expected, contains)                                                                                  \
  do {                                                                                                                                               \
    PetscErrorCode ierr_;                                                                                                                            \
    PetscCall(TrySolve(A, pb, usepc, model, layers, &ierr_));                                                                                        \
    PetscCall(Expect(title, ierr_, expected, contains, &nfail));                                                                                     \
  } while (0)

static PetscErrorCode TestNetwork(void)
{
  Problem     pb, odd;
  Mat         B;
  PetscMPIInt size;
  PetscInt    nfail = 0;
  PetscBool   have_default, flg;
  char        models[PETSC_MAX_PATH_LEN] = "dcdm_random", k64[PETSC_MAX_PATH_LEN], k128[PETSC_MAX_PATH_LEN], file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-models", models, sizeof(models), NULL));
  PetscCall(PetscSNPrintf(k64, sizeof(k64), "%s_k64.h5", models));
  PetscCall(PetscSNPrintf(k128, sizeof(k128), "%s_k128.h5", models));
  PetscCall(ProblemCreate(&pb));
  /* a copy of the operator without a DM */
  PetscCall(MatConvert(pb.A, MATAIJ, MAT_INITIAL_MATRIX, &B));
  PetscCall(MatSetDM(B, NULL));

  /* the grid */
  TRY("KSP: Mat without a DMDA", B, &pb, PETSC_FALSE, k64, 0, PETSC_ERR_ARG_WRONGSTATE,
      "DCDM's network needs the structured grid: attach a DMDA to the KSP (KSPSetDM()) or the Mat");
  TRY("PC: Mat without a DMDA", B, &pb, PETSC_TRUE, k64, 0, PETSC_ERR_ARG_WRONGSTATE,
      "DCDM's network needs the structured grid: attach a DMDA to the PC");
  PetscCall(ProblemCreateBox(2 * size + 1, NULL, &odd));
  TRY("KSP: odd grid", odd.A, &odd, PETSC_FALSE, k64, 0, PETSC_ERR_ARG_SIZ, "cnn3d pools 2x2x2: the grid sizes must be even");
  TRY("PC: odd grid", odd.A, &odd, PETSC_TRUE, k64, 0, PETSC_ERR_ARG_SIZ, "cnn3d pools 2x2x2: the grid sizes must be even");
  PetscCall(ProblemDestroy(&odd));
  if (size > 1) { /* an even grid (8 cells per rank in x), but the first two ranks own 7 and 9 */
    PetscInt *lx;

    PetscCall(PetscMalloc1(size, &lx));
    for (PetscMPIInt i = 0; i < size; i++) lx[i] = 8;
    lx[0] = 7, lx[1] = 9;
    PetscCall(ProblemCreateBox(8 * size, lx, &odd));
    TRY("KSP: odd ownership sizes", odd.A, &odd, PETSC_FALSE, k64, 0, PETSC_ERR_ARG_SIZ, "every rank's ownership size must be even");
    TRY("PC: odd ownership sizes", odd.A, &odd, PETSC_TRUE, k64, 0, PETSC_ERR_ARG_SIZ, "every rank's ownership size must be even");
    PetscCall(ProblemDestroy(&odd));
    PetscCall(PetscFree(lx));
  }

  /* the weights file */
  TRY("KSP: missing file", pb.A, &pb, PETSC_FALSE, "no_such_dcdm_model.h5", 0, PETSC_ERR_FILE_OPEN,
      "Cannot load DCDM's network from no_such_dcdm_model.h5 (given by -ksp_dcdm_model): Checkpoint file no_such_dcdm_model.h5 does not exist");
  TRY("PC: missing file", pb.A, &pb, PETSC_TRUE, "no_such_dcdm_model.h5", 0, PETSC_ERR_FILE_OPEN,
      "Cannot load DCDM's network from no_such_dcdm_model.h5 (given by -pc_dcdm_model): Checkpoint file no_such_dcdm_model.h5 does not exist");
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s_truncated.h5", models));
  TRY("KSP: truncated file", pb.A, &pb, PETSC_FALSE, file, 0, PETSC_ERR_FILE_UNEXPECTED, "is not a complete nnpde checkpoint");
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s_garbage.h5", models));
  TRY("KSP: garbage bytes", pb.A, &pb, PETSC_FALSE, file, 0, PETSC_ERR_FILE_UNEXPECTED, "is not an HDF5 file");
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s_flipped.h5", models));
  TRY("PC: garbage bytes in the middle", pb.A, &pb, PETSC_TRUE, file, 0, PETSC_ERR_FILE_UNEXPECTED, "_flipped.h5 is corrupt");
  TRY("KSP: K=128 file read as K=64", pb.A, &pb, PETSC_FALSE, k128, 0, PETSC_ERR_ARG_INCOMP,
      "has architecture cnn3d layers=128 channels=16, but the NN is cnn3d layers=64 channels=16. It must hold a cnn3d network named \"dcdm\" with "
      "the K = 64 layer list (-ksp_dcdm_model_layers)");
  TRY("PC: K=64 file read as K=128", pb.A, &pb, PETSC_TRUE, k64, 128, PETSC_ERR_ARG_INCOMP,
      "has architecture cnn3d layers=64 channels=16, but the NN is cnn3d layers=128 channels=16");
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s_mlp.h5", models));
  TRY("KSP: an MLP checkpoint", pb.A, &pb, PETSC_FALSE, file, 0, PETSC_ERR_ARG_INCOMP, "network 'dcdm' has architecture mlp");
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s_other.h5", models));
  TRY("PC: no network named dcdm", pb.A, &pb, PETSC_TRUE, file, 0, PETSC_ERR_FILE_UNEXPECTED, "has no network 'dcdm'");
  TRY("KSP: -ksp_dcdm_model_layers 32", pb.A, &pb, PETSC_FALSE, k64, 32, PETSC_ERR_ARG_OUTOFRANGE, "-ksp_dcdm_model_layers must be 64 or 128");
  TRY("PC: -pc_dcdm_model_layers 32", pb.A, &pb, PETSC_TRUE, k64, 32, PETSC_ERR_ARG_OUTOFRANGE, "-pc_dcdm_model_layers must be 64 or 128");
  TRY("KSP: K=128 file as K=128", pb.A, &pb, PETSC_FALSE, k128, 128, 0, NULL);
  TRY("PC: K=64 file", pb.A, &pb, PETSC_TRUE, k64, 0, 0, NULL);

  /* the default: $NNPDE_DCDM_MODEL, else the shipped file (installed, else in the source tree) */
  PetscCheck(!unsetenv("NNPDE_DCDM_MODEL"), PETSC_COMM_SELF, PETSC_ERR_SYS, "unsetenv");
  PetscCall(PetscTestFile(NNPDE_DCDM_MODEL_INSTALLED, 'r', &have_default));
  PetscCall(PetscTestFile(NNPDE_DCDM_MODEL_SOURCE, 'r', &flg));
  have_default = (PetscBool)(have_default || flg);
  if (have_default) {
    TRY("KSP: no model: the shipped default", pb.A, &pb, PETSC_FALSE, NULL, 0, 0, NULL);
    TRY("PC: no model: the shipped default", pb.A, &pb, PETSC_TRUE, NULL, 0, 0, NULL);
  } else {
    TRY("KSP: no model, none shipped", pb.A, &pb, PETSC_FALSE, NULL, 0, PETSC_ERR_FILE_OPEN,
        "No weights for DCDM's network: -ksp_dcdm_model was not given, $NNPDE_DCDM_MODEL is not set, and the shipped dcdm_k64.h5 is neither "
        "installed (" NNPDE_DCDM_MODEL_INSTALLED ") nor in the source tree (" NNPDE_DCDM_MODEL_SOURCE "). Give -ksp_dcdm_model file.h5");
    TRY("PC: no model, none shipped", pb.A, &pb, PETSC_TRUE, NULL, 0, PETSC_ERR_FILE_OPEN,
        "-pc_dcdm_model was not given, $NNPDE_DCDM_MODEL is not set, and the shipped dcdm_k64.h5 is neither installed");
  }
  TRY("KSP: no model, K=128", pb.A, &pb, PETSC_FALSE, NULL, 128, PETSC_ERR_ARG_WRONGSTATE,
      "The shipped DCDM weights (dcdm_k64.h5) are the K = 64 network; for K = 128 give -ksp_dcdm_model file.h5");
  PetscCheck(!setenv("NNPDE_DCDM_MODEL", k64, 1), PETSC_COMM_SELF, PETSC_ERR_SYS, "setenv");
  TRY("KSP: no model, $NNPDE_DCDM_MODEL", pb.A, &pb, PETSC_FALSE, NULL, 0, 0, NULL);
  TRY("PC: no model, $NNPDE_DCDM_MODEL", pb.A, &pb, PETSC_TRUE, NULL, 0, 0, NULL);
  PetscCheck(!setenv("NNPDE_DCDM_MODEL", "no_such_dcdm_model.h5", 1), PETSC_COMM_SELF, PETSC_ERR_SYS, "setenv");
  TRY("KSP: $NNPDE_DCDM_MODEL missing", pb.A, &pb, PETSC_FALSE, NULL, 0, PETSC_ERR_FILE_OPEN,
      "Cannot load DCDM's network from no_such_dcdm_model.h5 (given by $NNPDE_DCDM_MODEL): Checkpoint file no_such_dcdm_model.h5 does not exist");
  PetscCheck(!unsetenv("NNPDE_DCDM_MODEL"), PETSC_COMM_SELF, PETSC_ERR_SYS, "unsetenv");

  {
    /* untrained weights: each step is an exact line search in the A-norm, so the energy phi(x) = x'Ax/2 - b'x falls
       from phi(0) = 0 whatever the directions; the residual 2-norm need not */
    PetscReal          xAx, bx, phi;
    PetscInt           its;
    Vec                Ax;
    KSP                ksp;
    PC                 pc;
    KSPConvergedReason reason;

    PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
    PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
    PetscCall(KSPSetType(ksp, KSPDCDM));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCSetType(pc, PCNONE));
    PetscCall(KSPDCDMSetModel(ksp, k64));
    PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 30));
    PetscCall(KSPSetFromOptions(ksp));
    PetscCall(VecZeroEntries(pb.x));
    PetscCall(KSPSolve(ksp, pb.b, pb.x));
    PetscCall(KSPGetIterationNumber(ksp, &its));
    PetscCall(KSPGetConvergedReason(ksp, &reason));
    PetscCall(VecDuplicate(pb.x, &Ax));
    PetscCall(MatMult(pb.A, pb.x, Ax));
    PetscCall(VecDot(pb.x, Ax, &xAx));
    PetscCall(VecDot(pb.b, pb.x, &bx));
    phi = 0.5 * xAx - bx;
    PetscCall(VecDestroy(&Ax));
    PetscCheck(its > 0 && phi < 0 && !PetscIsInfOrNanReal(phi) && reason != KSP_DIVERGED_NANORINF, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
               "untrained network: %" PetscInt_FMT " iterations, energy %g, reason %s", its, (double)phi, KSPConvergedReasons[reason]);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "network direction with untrained weights: %" PetscInt_FMT " iterations, the energy decreased\n", its));
    PetscCall(KSPDestroy(&ksp));
  }
  {
    /* PCDCDM is positively homogeneous: P(c r) = c P(r) for c > 0 (to float32 round-off), P(0) = 0 */
    PC        pc;
    Vec       r, z1, z2;
    PetscReal d, n1, z0;

    PetscCall(PCCreate(PETSC_COMM_WORLD, &pc));
    PetscCall(PCSetOperators(pc, pb.A, pb.A));
    PetscCall(PCSetType(pc, PCDCDM));
    PetscCall(PCDCDMSetModel(pc, k64));
    PetscCall(PCSetUp(pc));
    PetscCall(VecDuplicate(pb.b, &r));
    PetscCall(VecDuplicate(pb.b, &z1));
    PetscCall(VecDuplicate(pb.b, &z2));
    PetscCall(PCApply(pc, pb.b, z1));
    PetscCall(VecCopy(pb.b, r));
    PetscCall(VecScale(r, 1e3));
    PetscCall(PCApply(pc, r, z2));
    PetscCall(VecAXPY(z2, -1e3, z1));
    PetscCall(VecNorm(z2, NORM_2, &d));
    PetscCall(VecNorm(z1, NORM_2, &n1));
    d /= 1e3;
    PetscCall(VecZeroEntries(r));
    PetscCall(PCApply(pc, r, z2));
    PetscCall(VecNorm(z2, NORM_INFINITY, &z0));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "PCDCDM: |P(1000 r)/1000 - P(r)| / |P(r)| %s 1e-6, P(0) %s 0\n", d <= 1e-6 * n1 ? "<=" : ">",
                          z0 == 0 ? "=" : "!="));
    PetscCheck(n1 > 0 && d <= 1e-6 * n1 && z0 == 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "PCDCDM is not positively homogeneous: %g relative, |P(0)| %g",
               (double)(d / n1), (double)z0);
    PetscCall(VecDestroy(&r));
    PetscCall(VecDestroy(&z1));
    PetscCall(VecDestroy(&z2));
    PetscCall(PCDestroy(&pc));
  }
  PetscCall(MatDestroy(&B));
  PetscCall(ProblemDestroy(&pb));
  PetscCheck(!nfail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " check(s) failed", nfail);
  PetscFunctionReturn(0);
}

/* ---- fcg: two solves of the same problem from zero, each a KSP configured by options under its prefix (dcdm_, fcg_):
   KSPDCDM with the recurrence residual and KSPFCG (mmax 2, standard truncation) with PCDCDM are the same method in exact
   arithmetic; iteration counts must differ by at most -max_its_diff (1) ---------------------------------------------- */
static PetscErrorCode TestFCG(void)
{
  Problem          pb;
  const char      *prefix[2] = {"dcdm_", "fcg_"};
  PetscInt         its[2], nh[2], maxdiff = 1, nfirst = 10;
  const PetscReal *h[2];
  PetscReal        hdiff = 0, maxhdiff = 1e-6;
  KSP              ksp[2];
  KSPType          type[2];

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-max_its_diff", &maxdiff, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-max_hist_diff", &maxhdiff, NULL));
  PetscCall(ProblemCreate(&pb));
  for (PetscInt k = 0; k < 2; k++) {
    KSPConvergedReason reason;
    PC                 pc;

    PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp[k]));
    PetscCall(KSPSetOptionsPrefix(ksp[k], prefix[k]));
    PetscCall(KSPSetOperators(ksp[k], pb.A, pb.A));
    PetscCall(KSPSetType(ksp[k], k ? KSPFCG : KSPDCDM)); /* the equivalent pair by default; the tests say it in options too */
    PetscCall(KSPGetPC(ksp[k], &pc));
    PetscCall(PCSetType(pc, k ? PCDCDM : PCNONE));
    if (k) {
      PetscCall(KSPFCGSetMmax(ksp[k], 2));
      PetscCall(KSPFCGSetTruncationType(ksp[k], KSP_FCD_TRUNC_TYPE_STANDARD));
      PetscCall(KSPSetNormType(ksp[k], KSP_NORM_UNPRECONDITIONED));
    } else
      PetscCall(KSPDCDMSetTrueResidual(ksp[k], PETSC_FALSE));
    PetscCall(KSPSetTolerances(ksp[k], 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
    PetscCall(KSPSetResidualHistory(ksp[k], NULL, PETSC_DECIDE, PETSC_TRUE));
    PetscCall(KSPSetFromOptions(ksp[k]));
    PetscCall(VecZeroEntries(pb.x));
    PetscCall(KSPSolve(ksp[k], pb.b, pb.x));
    PetscCall(KSPGetType(ksp[k], &type[k]));
    PetscCall(KSPGetIterationNumber(ksp[k], &its[k]));
    PetscCall(KSPGetConvergedReason(ksp[k], &reason));
    PetscCall(KSPGetResidualHistory(ksp[k], &h[k], &nh[k]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: %s, %" PetscInt_FMT " iterations, %s\n", prefix[k], type[k], its[k], KSPConvergedReasons[reason]));
    PetscCheck(reason > 0, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "%s did not converge: %s", prefix[k], KSPConvergedReasons[reason]);
  }
  for (PetscInt i = 0; i < PetscMin(nfirst + 1, PetscMin(nh[0], nh[1])); i++) hdiff = PetscMax(hdiff, PetscAbsReal(h[0][i] - h[1][i]) / h[0][i]);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "residual norms of the first %" PetscInt_FMT " iterations: max relative difference %s %g\n", nfirst,
                        hdiff <= maxhdiff ? "<=" : ">", (double)maxhdiff));
  PetscCheck(PetscAbsInt(its[0] - its[1]) <= maxdiff && hdiff <= maxhdiff, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "%s %" PetscInt_FMT " vs %s %" PetscInt_FMT " iterations (at most %" PetscInt_FMT " apart), residual histories %g apart", type[0],
             its[0], type[1], its[1], maxdiff, (double)hdiff);
  PetscCall(CheckExpectations(ksp[0], its[0]));
  for (PetscInt k = 0; k < 2; k++) PetscCall(KSPDestroy(&ksp[k]));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

/* ---- guard: a useless direction is caught ---------------------------------------------------------------------- */
/* q: random in [-1, 1], new each call: a valid direction (q'Aq > 0) that removes almost no error energy */
static PetscErrorCode RandomDirection(KSP ksp, Vec r, Vec q, void *ctx)
{
  PetscFunctionBeginUser;
  (void)ksp;
  (void)r;
  PetscCall(VecSetRandom(q, (PetscRandom)ctx));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestGuard(void)
{
  Problem            pb;
  KSP                ksp, cg;
  PetscRandom        rnd;
  PetscInt           its, cgits, useless, offat, extra = 0, gmax = 5;
  PetscBool          safeguard = PETSC_TRUE;
  KSPConvergedReason reason;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-expect_max_extra", &extra, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-ksp_dcdm_safeguard", &safeguard, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-ksp_dcdm_guard_max", &gmax, NULL));
  PetscCall(ProblemCreate(&pb));
  PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, &rnd));
  PetscCall(PetscRandomSetInterval(rnd, -1.0, 1.0));
  PetscCall(PetscRandomSetSeed(rnd, 7));
  PetscCall(PetscRandomSeed(rnd));
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPDCDMSetApply(ksp, RandomDirection, rnd));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(VecZeroEntries(pb.x));
  PetscCall(KSPSolve(ksp, pb.b, pb.x));
  PetscCall(Report("dcdm, random direction", ksp, &pb, &its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(KSPDCDMGetGuardCount(ksp, &useless, NULL, &offat));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "useless directions %s %" PetscInt_FMT ", guard acted at iteration %s 0\n", useless >= gmax ? ">=" : "<",
                        gmax, offat > 0 ? ">" : "<="));
  PetscCheck(useless >= gmax && offat > 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "the guard missed the random direction: %" PetscInt_FMT " useless of %" PetscInt_FMT " iterations, acted at %" PetscInt_FMT, useless,
             its, offat);
  if (!safeguard) {
    PetscCheck(reason == KSP_DIVERGED_BREAKDOWN, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "without the safeguard: %s, expected DIVERGED_BREAKDOWN",
               KSPConvergedReasons[reason]);
    PetscCheck(its == offat && offat == gmax, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
               "stopped at %" PetscInt_FMT " (guard %" PetscInt_FMT "), expected %" PetscInt_FMT, its, offat, gmax);
  } else {
    PC pc;

    PetscCheck(reason > 0, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "with the safeguard: %s", KSPConvergedReasons[reason]);
    PetscCall(KSPCreate(PETSC_COMM_WORLD, &cg));
    PetscCall(KSPSetOptionsPrefix(cg, "cg_"));
    PetscCall(KSPSetOperators(cg, pb.A, pb.A));
    PetscCall(KSPSetType(cg, KSPCG));
    PetscCall(KSPGetPC(cg, &pc));
    PetscCall(PCSetType(pc, PCBJACOBI)); /* KSPDCDM's own M by default */
    PetscCall(KSPSetTolerances(cg, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 10000));
    PetscCall(KSPSetNormType(cg, KSP_NORM_UNPRECONDITIONED));
    PetscCall(KSPSetFromOptions(cg));
    PetscCall(VecZeroEntries(pb.x));
    PetscCall(KSPSolve(cg, pb.b, pb.x));
    PetscCall(Report("cg with the same M", cg, &pb, &cgits));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "dcdm - cg iterations %s %" PetscInt_FMT "\n", its - cgits <= extra ? "<=" : ">", extra));
    PetscCheck(its - cgits <= extra, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " iterations, CG with the same M %" PetscInt_FMT, its, cgits);
    PetscCall(KSPDestroy(&cg));
  }
  PetscCall(KSPDestroy(&ksp));
  PetscCall(PetscRandomDestroy(&rnd));
  PetscCall(ProblemDestroy(&pb));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      test[32] = "solve";
  PetscBool flg;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(NNPDEInitializePackage());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-test", test, sizeof(test), NULL));
  PetscCall(PetscStrcmp(test, "solve", &flg));
  if (flg) PetscCall(TestSolve());
  PetscCall(PetscStrcmp(test, "sd", &flg));
  if (flg) PetscCall(TestSD());
  PetscCall(PetscStrcmp(test, "exact", &flg));
  if (flg) PetscCall(TestExact());
  PetscCall(PetscStrcmp(test, "nan", &flg));
  if (flg) PetscCall(TestNaN());
  PetscCall(PetscStrcmp(test, "indefinite", &flg));
  if (flg) PetscCall(TestIndefinite());
  PetscCall(PetscStrcmp(test, "network", &flg));
  if (flg) PetscCall(TestNetwork());
  PetscCall(PetscStrcmp(test, "fcg", &flg));
  if (flg) PetscCall(TestFCG());
  PetscCall(PetscStrcmp(test, "guard", &flg));
  if (flg) PetscCall(TestGuard());
  PetscCall(PetscFinalize());
  return 0;
}

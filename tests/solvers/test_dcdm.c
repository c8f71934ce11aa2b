static const char help[] = "KSPDCDM on the 3-D pressure Poisson problem (-poisson3d_* options choose it).\n"
                           "  -test <solve|sd|exact|nan|indefinite|network|view>\n"
                           "     solve:      KSPSetFromOptions solve; with -compare_cg also CG and CG+ICC (prefix cg_)\n"
                           "     sd:         direction residual vs a hand-written steepest descent with orthogonalization (same iterates)\n"
                           "     exact:      the direction is an exact solve (inner CG+GAMG to 1e-12): one iteration\n"
                           "     nan:        a direction function returning NaN: every iteration falls back to the residual\n"
                           "     indefinite: A - 3I: a diverged reason, finite numbers\n"
                           "     network:    the network direction: clear errors without a DMDA or weights; untrained CNN directions converge\n"
                           "  -expect_its <n>, -expect_max_its <n>, -expect_reason <r>, -nonzero_guess\n";

#include <nnpde.h>

typedef struct {
  NNPoisson3d p;
  Mat         A;
  Vec         b, x;
} Problem;

/* b: a smooth function of the global cell index (rank independent), made admissible */
static PetscErrorCode ProblemCreate(Problem *pb)
{
  DM             da;
  PetscScalar ***b;
  PetscInt       xs, ys, zs, xm, ym, zm, n;

  PetscFunctionBeginUser;
  PetscCall(NNPoisson3dCreate(PETSC_COMM_WORLD, 16, &pb->p));
  PetscCall(NNPoisson3dSetFromOptions(pb->p));
  PetscCall(NNPoisson3dGetMatrix(pb->p, &pb->A));
  PetscCall(NNPoisson3dGetDM(pb->p, &da));
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
  PetscCall(NNPoisson3dProjectRHS(pb->p, pb->b));
  PetscFunctionReturn(0);
}

static PetscErrorCode ProblemDestroy(Problem *pb)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&pb->b));
  PetscCall(VecDestroy(&pb->x));
  PetscCall(NNPoisson3dDestroy(&pb->p));
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

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-compare_cg", &compare, NULL));
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

/* ---- network: clear errors without a grid or weights; with (untrained) weights the CNN directions reduce the residual */
static PetscErrorCode TestNetwork(void)
{
  Problem        pb;
  KSP            ksp;
  PC             pc;
  Mat            B;
  PetscErrorCode ierr;
  PetscMPIInt    size;
  char           model[64];

  PetscFunctionBeginUser;
  PetscCall(ProblemCreate(&pb));
  /* a copy of the operator without a DM */
  PetscCall(MatConvert(pb.A, MATAIJ, MAT_INITIAL_MATRIX, &B));
  PetscCall(MatSetDM(B, NULL));
  for (PetscInt withgrid = 0; withgrid < 2; withgrid++) {
    PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
    PetscCall(KSPSetOperators(ksp, withgrid ? pb.A : B, withgrid ? pb.A : B));
    PetscCall(KSPSetType(ksp, KSPDCDM));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCSetType(pc, PCNONE));
    PetscCall(KSPSetFromOptions(ksp));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = KSPSolve(ksp, pb.b, pb.x);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(ierr == (withgrid ? PETSC_ERR_FILE_OPEN : PETSC_ERR_ARG_WRONGSTATE), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Network direction %s a grid: error %d",
               withgrid ? "with" : "without", (int)ierr);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "network direction %s a DMDA: %s\n", withgrid ? "with" : "without",
                          withgrid ? "error: no weights (no -ksp_dcdm_model, none shipped)" : "error: needs the structured grid"));
    PetscCall(KSPDestroy(&ksp));
  }
  /* an untrained K=64 network written as a checkpoint, then used as the direction */
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(model, sizeof(model), "dcdm_untrained_np%d.h5", size));
  {
    NN           net;
    NNCheckpoint ck;
    PetscCall(NNCreate(PETSC_COMM_WORLD, &net));
    PetscCall(NNSetType(net, NNCNN3D));
    PetscCall(NNSetSeed(net, 3));
    PetscCall(NNSetUp(net));
    PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, model, FILE_MODE_WRITE, &ck));
    PetscCall(NNCheckpointWriteNN(ck, "dcdm", net));
    PetscCall(NNCheckpointClose(&ck));
    PetscCall(NNDestroy(&net));
  }
  {
    /* each step is an exact line search in the A-norm, so the energy phi(x) = x'Ax/2 - b'x falls
       from phi(0) = 0 whatever the directions; the residual 2-norm need not */
    PetscReal          xAx, bx, phi;
    PetscInt           its;
    Vec                Ax;
    KSPConvergedReason reason;
    PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
    PetscCall(KSPSetOperators(ksp, pb.A, pb.A));
    PetscCall(KSPSetType(ksp, KSPDCDM));
    PetscCall(KSPDCDMSetModel(ksp, model));
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
  PetscCall(MatDestroy(&B));
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
  PetscCall(PetscFinalize());
  return 0;
}

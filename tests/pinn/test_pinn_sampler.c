/* PINNSampler. (1) A shell sampler draws the interior points from a user list, with user weights,
   split over the ranks; the PINN's loss on them equals the formula weight/N sum_p w_p r_p^2
   evaluated here on the whole list through PINNEvaluate() (1e-12 relative, on any number of
   ranks), the points in the PINN are exactly the user's slice, and the boundary points (no
   callback) are exactly those of a uniform sampler with the same seed; the old-style hook
   (PINNSetSamplerFunction()) gives the same interior points with weights 1. (2) A sampler's state
   (type, seed, draw count) written to a checkpoint is restored into a fresh sampler of another
   type and seed, and through PINNWriteCheckpoint()/PINNReadCheckpoint() with the points. */
#include <nnpde.h>
#include <string.h>

#define NPTS 301
#define TOL 1e-12

/* point i of the user list: a deterministic low-discrepancy set in (0,1)^2, and its weight */
static void UserPoint(PetscInt i, PetscReal x[2], PetscReal *w)
{
  x[0] = PetscFmodReal(0.5 + 0.6180339887498949 * i, 1.0);
  x[1] = PetscFmodReal(0.5 + 0.4142135623730951 * i, 1.0);
  *w   = 1 + 0.5 * PetscSinReal(3 * x[0] + 2 * x[1]);
}
static PetscReal Target(const PetscReal x[])
{
  return PetscSinReal(2 * x[0]) * x[1];
}

typedef struct {
  PetscInt calls, lastdraw;
} UserCtx;

/* this rank's contiguous slice of the list */
static PetscErrorCode UserDraw(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x, PetscReal **w,
                               void *ctx)
{
  UserCtx    *u  = (UserCtx *)ctx;
  PetscInt    lo = 0;
  PetscMPIInt size, rank;

  PetscFunctionBeginUser;
  (void)s, (void)pinn;
  PetscCheck(region == PINN_POINTS_INTERIOR && N == NPTS, PETSC_COMM_SELF, PETSC_ERR_PLIB, "asked for %" PetscInt_FMT " %s points", N,
             PINNPointSets[region]);
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  *n = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(PETSC_COMM_WORLD, n, &N));
  PetscCallMPI(MPI_Exscan(n, &lo, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (!rank) lo = 0;
  PetscCall(PetscMalloc1(2 * *n, x));
  PetscCall(PetscMalloc1(*n, w));
  for (PetscInt p = 0; p < *n; p++) UserPoint(lo + p, &(*x)[2 * p], &(*w)[p]);
  u->calls++;
  u->lastdraw = draw;
  PetscFunctionReturn(0);
}

/* the same list through the old-style hook (PINNSetSamplerFunction()): no weights */
static PetscErrorCode HookDraw(PINN pinn, void *ctx, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x)
{
  PetscReal *w;

  PetscFunctionBeginUser;
  PetscCall(UserDraw(NULL, pinn, PINN_POINTS_INTERIOR, draw, N, n, x, &w, ctx));
  PetscCall(PetscFree(w));
  PetscFunctionReturn(0);
}

/* interior: r = u - Target; boundary: r = u */
static PetscErrorCode Fit(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                          PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)normal, (void)nq, (void)nr;
  for (PetscInt p = 0; p < n; p++) r[p] = u[p] - Target(&x[p * dim]), dr[p] = 1;
  return 0;
}
static PetscErrorCode Zero(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                           PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)dim, (void)x, (void)normal, (void)nq, (void)nr;
  for (PetscInt p = 0; p < n; p++) r[p] = u[p], dr[p] = 1;
  return 0;
}

/* shell: 0 uniform sampler, 1 shell sampler with UserDraw, 2 PINNSetSamplerFunction(HookDraw) */
static PetscErrorCode MakePINN(PINNGeometry box, PetscInt shell, UserCtx *uctx, PINN *pinn)
{
  const PINNQuantity q[1] = {{0, 0, NN_JET_VALUE, 0, 0}};

  PetscFunctionBeginUser;
  PetscCall(PINNCreate(PETSC_COMM_WORLD, pinn));
  PetscCall(PINNSetGeometry(*pinn, box));
  PetscCall(PINNSetNumPoints(*pinn, NPTS, 90, 0));
  PetscCall(PINNAddTerm(*pinn, "fit", PINN_POINTS_INTERIOR, 0, NULL, 1, q, 1, Fit, NULL, 2.5, NULL));
  PetscCall(PINNAddTerm(*pinn, "bc", PINN_POINTS_BOUNDARY, 0, NULL, 1, q, 1, Zero, NULL, 1.0, NULL));
  PetscCall(PINNSetSampleType(*pinn, PINN_SAMPLE_UNIFORM, 13));
  if (shell == 2) PetscCall(PINNSetSamplerFunction(*pinn, HookDraw, uctx));
  if (shell == 1) {
    PINNSampler s;
    PetscCall(PINNGetSampler(*pinn, &s));
    PetscCall(PINNSamplerSetType(s, PINNSAMPLERSHELL));
    PetscCall(PINNSamplerShellSetDraw(s, PINN_POINTS_INTERIOR, UserDraw, uctx, NULL));
  }
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNSetUp(*pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode ShellLoss(PINNGeometry box, PetscReal *rel, PetscBool *same)
{
  PINN             pinn, ref;
  UserCtx          uctx = {0, -1};
  PetscReal        loss, X[2 * NPTS], W[NPTS], U[NPTS], formula = 0, w;
  const PetscReal *losses, *x, *xr, *nrm, *nrmr;
  PetscReal       *pw;
  PetscInt         nt, n, nr, lo = 0;
  PetscBool        ok = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(MakePINN(box, 1, &uctx, &pinn));
  PetscCheck(uctx.calls == 1 && uctx.lastdraw == 0, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "the callback ran %" PetscInt_FMT " times, last draw %" PetscInt_FMT, uctx.calls, uctx.lastdraw);
  PetscCall(PINNComputeLoss(pinn, &loss, NULL));
  PetscCall(PINNGetTermLosses(pinn, &nt, &losses));
  /* the formula on the whole list, on every rank */
  for (PetscInt i = 0; i < NPTS; i++) UserPoint(i, &X[2 * i], &W[i]);
  PetscCall(PINNEvaluate(pinn, NPTS, X, U));
  for (PetscInt i = 0; i < NPTS; i++) formula += W[i] * PetscSqr(U[i] - Target(&X[2 * i]));
  formula *= 2.5 / NPTS;
  *rel = PetscAbsReal(losses[0] - formula) / formula;
  /* the PINN's interior points and weights are this rank's slice of the list, bit for bit */
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCallMPI(MPI_Exscan(&n, &lo, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (!PetscGlobalRank) lo = 0;
  PetscCall(PINNGetPointWeights(pinn, PINN_POINTS_INTERIOR, &pw));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal y[2];
    UserPoint(lo + p, y, &w);
    if (y[0] != x[2 * p] || y[1] != x[2 * p + 1] || w != pw[p]) ok = PETSC_FALSE;
  }
  PetscCall(PINNRestorePointWeights(pinn, PINN_POINTS_INTERIOR, &pw));
  /* boundary points: the geometry's, as a uniform sampler with the same seed draws them */
  PetscCall(MakePINN(box, 0, NULL, &ref));
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_BOUNDARY, &n, &x, &nrm));
  PetscCall(PINNGetPoints(ref, PINN_POINTS_BOUNDARY, &nr, &xr, &nrmr));
  if (n != nr) ok = PETSC_FALSE;
  for (PetscInt p = 0; p < 2 * PetscMin(n, nr); p++)
    if (x[p] != xr[p] || nrm[p] != nrmr[p]) ok = PETSC_FALSE;
  PetscCall(PINNDestroy(&ref));
  /* the old-style hook: the same interior points, weights 1 */
  PetscCall(MakePINN(box, 2, &uctx, &ref));
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCall(PINNGetPoints(ref, PINN_POINTS_INTERIOR, &nr, &xr, NULL));
  if (n != nr || uctx.calls != 2) ok = PETSC_FALSE;
  for (PetscInt p = 0; p < 2 * PetscMin(n, nr); p++)
    if (x[p] != xr[p]) ok = PETSC_FALSE;
  PetscCall(PINNGetPointWeights(ref, PINN_POINTS_INTERIOR, &pw));
  for (PetscInt p = 0; p < nr; p++)
    if (pw[p] != 1) ok = PETSC_FALSE;
  PetscCall(PINNRestorePointWeights(ref, PINN_POINTS_INTERIOR, &pw));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  *same = ok;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "shell sampler: loss %.10e (fit %.10e, formula %.10e), user points and weights %s\n", (double)loss,
                        (double)losses[0], (double)formula, ok ? "exact" : "DIFFERENT"));
  PetscCall(PINNDestroy(&ref));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* draw k of a shell sampler with weights: points 37 k .. of the user list (so that a restart, which
   draws number 0 at set-up, must take the weights from the checkpoint), this rank's slice */
static PetscErrorCode ShiftDraw(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x, PetscReal **w,
                                void *ctx)
{
  PetscInt lo = 0;

  PetscFunctionBeginUser;
  (void)s, (void)pinn, (void)region, (void)ctx;
  *n = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(PETSC_COMM_WORLD, n, &N));
  PetscCallMPI(MPI_Exscan(n, &lo, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (!PetscGlobalRank) lo = 0;
  PetscCall(PetscMalloc1(2 * *n, x));
  PetscCall(PetscMalloc1(*n, w));
  for (PetscInt p = 0; p < *n; p++) UserPoint(37 * draw + lo + p, &(*x)[2 * p], &(*w)[p]);
  PetscFunctionReturn(0);
}

/* a PINN on the box whose sampler is of the given type and seed 7 (shell: ShiftDraw for the interior) */
static PetscErrorCode MakeSamplerPINN(PINNGeometry box, PINNSamplerType type, PINN *pinn)
{
  const PINNQuantity q1[1] = {{0, 0, NN_JET_VALUE, 0, 0}};
  PINNSampler        s;
  PetscBool          shell;

  PetscFunctionBeginUser;
  PetscCall(PINNCreate(PETSC_COMM_WORLD, pinn));
  PetscCall(PINNSetGeometry(*pinn, box));
  PetscCall(PINNSetNumPoints(*pinn, 64, 32, 0));
  PetscCall(PINNAddTerm(*pinn, "fit", PINN_POINTS_INTERIOR, 0, NULL, 1, q1, 1, Fit, NULL, 1.0, NULL));
  PetscCall(PINNAddTerm(*pinn, "bc", PINN_POINTS_BOUNDARY, 0, NULL, 1, q1, 1, Zero, NULL, 1.0, NULL));
  PetscCall(PINNGetSampler(*pinn, &s));
  PetscCall(PINNSamplerSetType(s, type));
  PetscCall(PINNSamplerSetSeed(s, 7));
  PetscCall(PetscStrcmp(type, PINNSAMPLERSHELL, &shell));
  if (shell) PetscCall(PINNSamplerShellSetDraw(s, PINN_POINTS_INTERIOR, ShiftDraw, NULL, NULL));
  PetscFunctionReturn(0);
}

/* a's and b's points (coordinates, normals) and weights of a region are the same bit for bit */
static PetscErrorCode SamePoints(PINN a, PINN b, PINNPointSet set, PetscBool *same)
{
  const PetscReal *x, *y, *na, *nb;
  PetscReal       *wa, *wb;
  PetscInt         n, m, dim = 2;

  PetscFunctionBeginUser;
  PetscCall(PINNGetPoints(a, set, &n, &x, &na));
  PetscCall(PINNGetPoints(b, set, &m, &y, &nb));
  *same = (PetscBool)(n == m);
  for (PetscInt p = 0; *same && p < n * dim; p++)
    if (x[p] != y[p] || (na && nb && na[p] != nb[p])) *same = PETSC_FALSE;
  PetscCall(PINNGetPointWeights(a, set, &wa));
  PetscCall(PINNGetPointWeights(b, set, &wb));
  for (PetscInt p = 0; *same && p < n; p++)
    if (wa[p] != wb[p]) *same = PETSC_FALSE;
  PetscCall(PINNRestorePointWeights(a, set, &wa));
  PetscCall(PINNRestorePointWeights(b, set, &wb));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, same, 1, MPIU_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* one call run with errors returned: it must fail with PETSC_ERR_ARG_INCOMP and a message that names
   both sampler types */
static PetscErrorCode ExpectTypeError(const char title[], PetscErrorCode ierr, const char t1[], const char t2[], PetscBool *ok)
{
  char     *spec = NULL, line[1024] = "";
  PetscBool mine;

  PetscFunctionBeginUser;
  if (ierr) PetscCall(PetscErrorMessage(ierr, NULL, &spec));
  if (spec) PetscCall(PetscStrncpy(line, spec, sizeof(line)));
  if (strchr(line, '\n')) *strchr(line, '\n') = 0;
  mine = (PetscBool)(ierr == PETSC_ERR_ARG_INCOMP && strstr(line, t1) && strstr(line, t2));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &mine, 1, MPIU_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "%s: %s\n    %s\n", title, mine ? "error as expected" : "WRONG (no error, or not naming both types)", line));
  *ok = (PetscBool)(*ok && mine);
  PetscFunctionReturn(0);
}

/* (2) a sampler's state: (a) written by a halton sampler (seed 7, 2 draws), read into a fresh sampler
   of no type; into a uniform sampler it is an error naming both types. (b) through the PINN's
   checkpoint, for every type (shell with draw-dependent weights, the others with weights set by
   hand on both regions): one more draw, write, restart a fresh PINN: draw count, points and weights
   identical bit for bit; a restart with another type is an error naming both. */
static PetscErrorCode SamplerCheckpoint(PINNGeometry box, PetscBool *ok)
{
  const PINNSamplerType types[] = {PINNSAMPLERUNIFORM, PINNSAMPLERSOBOL, PINNSAMPLERHALTON, PINNSAMPLERSHELL};
  PINN                  pinn;
  PINNSampler           s, t;
  NNCheckpoint          ck;
  PINNSamplerType       type;
  PetscInt              seed, draws, draws0;
  PINNSampleType        q;
  PetscBool             same;
  PetscErrorCode        ierr;
  char                  file[64];
  PetscMPIInt           size;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_sampler_np%d.h5", size));
  PetscCall(MakeSamplerPINN(box, PINNSAMPLERHALTON, &pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSetUp(pinn)); /* draws interior and boundary points */
  PetscCall(PINNSamplerGetNumDraws(s, &draws0));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
  PetscCall(PINNSamplerWriteCheckpoint(s, NULL, ck));
  PetscCall(NNCheckpointClose(&ck));

  PetscCall(PINNSamplerCreate(PETSC_COMM_WORLD, &t));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ck));
  PetscCall(PINNSamplerReadCheckpoint(t, NULL, ck));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(PINNSamplerGetType(t, &type));
  PetscCall(PINNSamplerGetSeed(t, &seed));
  PetscCall(PINNSamplerGetNumDraws(t, &draws));
  PetscCall(PINNSamplerGetSampleType(t, &q));
  PetscCall(PetscStrcmp(type, PINNSAMPLERHALTON, &same));
  *ok = (PetscBool)(same && seed == 7 && draws == draws0 && draws0 == 2 && q == PINN_SAMPLE_HALTON);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "sampler checkpoint: type %s, seed %" PetscInt_FMT ", %" PetscInt_FMT " draws (wrote halton, 7, %" PetscInt_FMT ")\n", type,
                        seed, draws, draws0));
  PetscCall(PINNSamplerView(t, NULL));
  PetscCall(PINNSamplerDestroy(&t));
  PetscCall(PINNSamplerCreate(PETSC_COMM_WORLD, &t));
  PetscCall(PINNSamplerSetType(t, PINNSAMPLERUNIFORM));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ck));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PINNSamplerReadCheckpoint(t, NULL, ck);
  PetscCall(PetscPopErrorHandler());
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(ExpectTypeError("halton state into a uniform sampler", ierr, PINNSAMPLERHALTON, PINNSAMPLERUNIFORM, ok));
  PetscCall(PINNSamplerDestroy(&t));
  PetscCall(PINNDestroy(&pinn));

  for (PetscInt i = 0; i < 4; i++) {
    PINN        re;
    PINNSampler rs;
    PetscBool   shell, sint, sbd;

    PetscCall(PetscStrcmp(types[i], PINNSAMPLERSHELL, &shell));
    PetscCall(MakeSamplerPINN(box, types[i], &pinn));
    PetscCall(PINNGetSampler(pinn, &s));
    PetscCall(PINNSetUp(pinn));
    PetscCall(PINNSamplerDraw(s, pinn, PINN_POINTS_INTERIOR, 5));
    for (PetscInt r = 0; r < 2; r++) { /* weights by hand, except the shell's interior (its callback's) */
      const PetscReal *x;
      PetscReal       *w;
      PetscInt         n;
      if (shell && r == PINN_POINTS_INTERIOR) continue;
      PetscCall(PINNGetPoints(pinn, (PINNPointSet)r, &n, &x, NULL));
      PetscCall(PINNGetPointWeights(pinn, (PINNPointSet)r, &w));
      for (PetscInt p = 0; p < n; p++) w[p] = 0.5 + PetscSinReal(1 + 3 * x[2 * p] + 5 * x[2 * p + 1]) / 3;
      PetscCall(PINNRestorePointWeights(pinn, (PINNPointSet)r, &w));
    }
    PetscCall(PINNSamplerGetNumDraws(s, &draws0));
    PetscCall(PINNWriteCheckpoint(pinn, file));
    PetscCall(MakeSamplerPINN(box, types[i], &re));
    PetscCall(PINNReadCheckpoint(re, file));
    PetscCall(PINNGetSampler(re, &rs));
    PetscCall(PINNSamplerGetNumDraws(rs, &draws));
    PetscCall(SamePoints(pinn, re, PINN_POINTS_INTERIOR, &sint));
    PetscCall(SamePoints(pinn, re, PINN_POINTS_BOUNDARY, &sbd));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "PINN checkpoint, %-7s sampler: %" PetscInt_FMT " draws restored (wrote %" PetscInt_FMT
                          "), interior points and weights %s, boundary points and weights %s\n",
                          types[i], draws, draws0, sint ? "identical" : "DIFFERENT", sbd ? "identical" : "DIFFERENT"));
    *ok = (PetscBool)(*ok && sint && sbd && draws == draws0 && draws0 == 3);
    if (i == 0) PetscCall(PINNView(re, NULL));
    PetscCall(PINNDestroy(&re));
    /* a restart with another type */
    PetscCall(MakeSamplerPINN(box, types[(i + 1) % 4], &re));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = PINNReadCheckpoint(re, file);
    PetscCall(PetscPopErrorHandler());
    PetscCall(ExpectTypeError("restart with another sampler type", ierr, types[i], types[(i + 1) % 4], ok));
    PetscCall(PINNDestroy(&re));
    PetscCall(PINNDestroy(&pinn));
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINNGeometry    box;
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  PetscReal       rel;
  PetscBool       same, ckok;
  PetscMPIInt     size;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_nn_mlp_hidden_layers", "10,10"));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &box));
  PetscCall(ShellLoss(box, &rel, &same));
  PetscCall(SamplerCheckpoint(box, &ckok));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%d rank(s): shell loss vs formula, relative difference %.3e\n", size, (double)rel));
  PetscCheck(rel <= TOL, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the shell sampler's loss differs from the formula by %g", (double)rel);
  PetscCheck(same, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the PINN's points differ from the user's, or the boundary from the uniform sampler's");
  PetscCheck(ckok, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the sampler's state did not survive the checkpoint");
  PetscCall(PINNGeometryDestroy(&box));
  PetscCall(PetscFinalize());
  return 0;
}

/* Shared by test_pinn_das.c and test_pinn_aas.c: a short poisson2d run with a flow sampler (small
   KRnet, few flow steps, adapts every 20 Adam steps) on all ranks and on each rank alone, a
   restart in the middle of a stage, and the error checks. */
#ifndef NNPDE_TEST_FLOW_SAMPLER_CHECK_H
#define NNPDE_TEST_FLOW_SAMPLER_CHECK_H

#include "poisson_problem.h"
#include "record_error.h"
#include "flow_options.h"
#include <string.h>

#define NINT 120
#define STEPS 80

/* sum over the global interior points j of (x_j + sqrt(2) y_j) (j + 1), and sum_i theta_i (i + 1) of the flow */
static PetscErrorCode Checksums(PINN pinn, PetscReal *sum, PetscReal *fsum)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)pinn);
  const PetscReal   *x;
  const PetscScalar *a;
  PetscInt           n, lo = 0, flo, fhi;
  PetscMPIInt        rank;
  PINNSampler        s;
  NN                 flow;
  Vec                th;

  PetscFunctionBegin;
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCallMPI(MPI_Exscan(&n, &lo, 1, MPIU_INT, MPI_SUM, comm));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) lo = 0;
  *sum = 0;
  for (PetscInt p = 0; p < n; p++) *sum += (x[2 * p] + PETSC_SQRT2 * x[2 * p + 1]) * (PetscReal)(lo + p + 1);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sum, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerGetFlow(s, &flow));
  PetscCall(NNGetParameters(flow, &th));
  PetscCall(VecGetOwnershipRange(th, &flo, &fhi));
  PetscCall(VecGetArrayRead(th, &a));
  *fsum = 0;
  for (PetscInt i = flo; i < fhi; i++) *fsum += PetscRealPart(a[i - flo]) * (PetscReal)(i + 1);
  PetscCall(VecRestoreArrayRead(th, &a));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, fsum, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscFunctionReturn(0);
}

/* one run; sums: points, flow parameters, loss; final: the PINN's parameters */
static PetscErrorCode Run(MPI_Comm comm, const char type[], const char *extra[], PetscInt steps, const char ckpt[], PetscInt every,
                          const char restart[], PetscReal sums[3], Vec final)
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(SetOptions(type, extra, PETSC_TRUE));
  PetscCall(PoissonProblemCreate(comm, NINT, 40, &pinn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetLearningRate(pinn, 3e-3));
  PetscCall(PINNSetResampleEvery(pinn, 20));
  if (ckpt) PetscCall(PINNSetCheckpoint(pinn, ckpt, every));
  PetscCall(PINNSetFromOptions(pinn));
  if (restart) PetscCall(PINNReadCheckpoint(pinn, restart));
  PetscCall(PINNTrain(pinn));
  if (sums) {
    PetscCall(Checksums(pinn, &sums[0], &sums[1]));
    PetscCall(PINNComputeLoss(pinn, &sums[2], NULL));
  }
  if (final) {
    NN  nn;
    Vec th;
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNGetParameters(nn, &th));
    PetscCall(VecCopy(th, final));
  }
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(type, extra, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* (1) all ranks vs each rank alone over 3 stages, (2) 80 steps in one run vs 35 steps with a
   checkpoint at 30 (in the middle of the second stage), resumed to 80; returns the worst relative difference */
static PetscErrorCode CheckRanksAndRestart(const char type[], const char *extra[], const char label[], PetscReal *worst)
{
  PetscReal   a[3], b[3], diff, norm;
  PetscMPIInt size;
  char        file[64];
  Vec         ref, resumed;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(Run(PETSC_COMM_WORLD, type, extra, STEPS, NULL, 0, NULL, a, NULL));
  PetscCall(Run(PETSC_COMM_SELF, type, extra, STEPS, NULL, 0, NULL, b, NULL));
  for (PetscInt k = 0; k < 3; k++) *worst = PetscMax(*worst, PetscAbsReal(a[k] - b[k]) / PetscAbsReal(b[k]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%-22s %d ranks: points %.15e, flow %.15e, loss %.15e\n%-22s 1 rank:  points %.15e, flow %.15e, loss %.15e\n", label, size,
                        (double)a[0], (double)a[1], (double)a[2], label, (double)b[0], (double)b[1], (double)b[2]));
  {
    PINN pinn;
    NN   nn;
    Vec  th;
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
    PetscCall(PINNSetUp(pinn));
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNGetParameters(nn, &th));
    PetscCall(VecDuplicate(th, &ref));
    PetscCall(VecDuplicate(th, &resumed));
    PetscCall(PINNDestroy(&pinn));
  }
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_%s_np%d.h5", type, size));
  PetscCall(Run(PETSC_COMM_WORLD, type, extra, STEPS, NULL, 0, NULL, NULL, ref));
  PetscCall(Run(PETSC_COMM_WORLD, type, extra, 35, file, 30, NULL, NULL, resumed));
  PetscCall(Run(PETSC_COMM_WORLD, type, extra, STEPS, NULL, 0, file, a, resumed));
  PetscCall(VecAXPY(resumed, -1.0, ref));
  PetscCall(VecNorm(resumed, NORM_INFINITY, &diff));
  PetscCall(VecNorm(ref, NORM_INFINITY, &norm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-22s %d steps in one run vs 35 + checkpoint at 30 + restart: parameters differ by %.3e (relative)\n",
                        label, STEPS, (double)(diff / norm)));
  *worst = PetscMax(*worst, diff / norm);
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&resumed));
  PetscFunctionReturn(0);
}

/* A Poisson PINN on the annulus r0 < |x - c| < 0.5 in the unit square (the flow's box; 40% of it for
   r0 = 0.35), Adam at 3e-3 for `steps` steps with an adapt every 20 */
static PetscErrorCode AnnulusPINN(MPI_Comm comm, PetscInt steps, PetscReal r0, PINN *ppinn)
{
  const PetscReal c[2]      = {0.5, 0.5};
  const PetscInt  widths[2] = {20, 20};
  PINNGeometry    outer, inner, disk;
  PINN            pinn;
  NN              nn;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBall(comm, 2, c, 0.5, &outer));
  PetscCall(PINNGeometryCreateBall(comm, 2, c, r0, &inner));
  PetscCall(PINNGeometryCreateDifference(outer, inner, &disk));
  PetscCall(PINNGeometryDestroy(&outer));
  PetscCall(PINNGeometryDestroy(&inner));
  PetscCall(PINNCreate(comm, &pinn));
  PetscCall(PINNSetGeometry(pinn, disk));
  PetscCall(PINNGeometryDestroy(&disk));
  PetscCall(PINNAddPoisson(pinn, 0.0, PoissonSource, NULL, 1.0));
  PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetNumPoints(pinn, NINT, 40, 0));
  PetscCall(NNCreate(comm, &nn));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
  PetscCall(NNSetSeed(nn, 5));
  PetscCall(PINNSetNetwork(pinn, "u", nn));
  PetscCall(NNDestroy(&nn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetLearningRate(pinn, 3e-3));
  PetscCall(PINNSetResampleEvery(pinn, 20));
  PetscCall(PINNSetFromOptions(pinn));
  *ppinn = pinn;
  PetscFunctionReturn(0);
}

/* The same run on the annulus: many of the flow's draws fall outside and are redrawn, in more than
   one round; the points, the flow and the rejection count must not depend on the ranks */
static PetscErrorCode RunDisk(MPI_Comm comm, const char type[], const char *extra[], PetscReal sums[3], PetscInt *rejected)
{
  PINNSampler s;
  PINN        pinn;

  PetscFunctionBegin;
  PetscCall(SetOptions(type, extra, PETSC_TRUE));
  PetscCall(AnnulusPINN(comm, 60, 0.35, &pinn));
  PetscCall(PINNTrain(pinn));
  PetscCall(Checksums(pinn, &sums[0], &sums[1]));
  PetscCall(PINNComputeLoss(pinn, &sums[2], NULL));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerGetFlowStatistics(s, NULL, NULL, rejected, NULL));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(type, extra, PETSC_FALSE));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckDisk(const char type[], const char *extra[], const char label[], PetscReal *worst)
{
  PetscReal   a[3], b[3];
  PetscInt    ra, rb;
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(RunDisk(PETSC_COMM_WORLD, type, extra, a, &ra));
  PetscCall(RunDisk(PETSC_COMM_SELF, type, extra, b, &rb));
  for (PetscInt k = 0; k < 3; k++) *worst = PetscMax(*worst, PetscAbsReal(a[k] - b[k]) / PetscAbsReal(b[k]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%-22s annulus, %d ranks: points %.15e, flow %.15e, loss %.15e, %" PetscInt_FMT " draws rejected\n"
                        "%-22s annulus, 1 rank:  points %.15e, flow %.15e, loss %.15e, %" PetscInt_FMT " draws rejected\n",
                        label, size, (double)a[0], (double)a[1], (double)a[2], ra, label, (double)b[0], (double)b[1], (double)b[2], rb));
  PetscCheck(ra == rb && ra > 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "annulus: %" PetscInt_FMT " rejections on all ranks, %" PetscInt_FMT " on one (expected equal, > 0)", ra, rb);
  PetscFunctionReturn(0);
}

/* Importance weights on the annulus, one adapt (at step 20 of 30; the flow unchanged since): the
   global points [0, N0) keep weight w0 (1: the uniform start, DAS-G), the others have
   w = 1/(|Omega| q), q = f/|Omega| + (1 - f) p/A (f the uniform fraction, p the flow's density, A
   the fraction of the stage's flow draws inside the annulus, about 0.4: without it the weights are
   2.5x off). The sampler's |Omega| is a Monte Carlo estimate (2^16 points), so w is compared with
   the exact |Omega| = pi (0.5^2 - 0.35^2) to 2%. Returns the largest relative deviation. */
static PetscErrorCode CheckAnnulusWeights(const char type[], const char *extra[], PetscInt N0, PetscReal f, PetscReal *dev)
{
  const PetscReal  vol = PETSC_PI * (0.25 - 0.1225);
  PINN             pinn;
  PINNSampler      s;
  NN               flow;
  const PetscReal *x;
  PetscReal       *w, *lp, A;
  PetscInt         n, start = 0, stages, drawn, rejected;

  PetscFunctionBegin;
  PetscCall(SetOptions(type, extra, PETSC_TRUE));
  PetscCall(AnnulusPINN(PETSC_COMM_WORLD, 30, 0.35, &pinn));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerGetFlow(s, &flow));
  PetscCall(PINNSamplerGetFlowStatistics(s, &stages, &drawn, &rejected, NULL));
  PetscCheck(stages == 1 && rejected > 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " stages, %" PetscInt_FMT " draws rejected", stages,
             rejected);
  A = 1 - (PetscReal)rejected / (PetscReal)drawn;
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCallMPI(MPI_Exscan(&n, &start, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (PetscGlobalRank == 0) start = 0;
  PetscCall(PINNGetPointWeights(pinn, PINN_POINTS_INTERIOR, &w));
  PetscCall(PetscMalloc1(n + 1, &lp));
  PetscCall(NNKRnetLogDensity(flow, n, x, lp));
  *dev = 0;
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal expect = start + p < N0 ? 1 : 1 / (f + (1 - f) * vol * PetscExpReal(lp[p]) / A);
    *dev                   = PetscMax(*dev, PetscAbsReal(w[p] / expect - 1));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, dev, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s importance weights on the annulus: flow draws accepted %.3f, largest relative deviation %.2e\n", type,
                        (double)A, (double)*dev));
  PetscCheck(*dev < 0.02, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s importance weights off by %g", type, (double)*dev);
  PetscCall(PINNRestorePointWeights(pinn, PINN_POINTS_INTERIOR, &w));
  PetscCall(PetscFree(lp));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(type, extra, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* The annulus 0.4999 < |x - c| < 0.5 fills 3e-4 of the flow's box: the first stage's flow draws fall
   outside 3 times in 10^4, and the draw stops with a collective error instead of drawing millions of
   candidates (as a 10-D flow whose mass had left the cube did) */
static PetscErrorCode CheckThinAnnulus(const char type[], const char *extra[])
{
  PINN           pinn;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(SetOptions(type, extra, PETSC_TRUE));
  PetscCall(AnnulusPINN(PETSC_COMM_WORLD, 30, 0.4999, &pinn));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNTrain(pinn);
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-24s -> error: %s\n", "thin annulus", message));
  PetscCheck(ierr && strstr(message, "draws inside the domain"), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "thin annulus: no error about the draws");
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(type, extra, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* Sets up a PINN with the type and options, optionally with a user flow of dimension fdim and
   zero residuals, adapts once; returns the error code (message[] holds the error) and the view */
static PetscErrorCode Zero(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                           PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)dim, (void)x, (void)normal, (void)nq, (void)u, (void)nr;
  for (PetscInt p = 0; p < n; p++) r[p] = 0, dr[p] = 0;
  return 0;
}

static PetscErrorCode SetUpWith(const char type[], const char *opts[], PetscInt fdim, PetscBool zero, char view[], size_t len)
{
  PINN           pinn;
  PINNSampler    s;
  NN             flow = NULL;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(SetOptions(type, opts, PETSC_TRUE));
  if (zero) {
    const PetscReal    lo[2] = {0, 0}, hi[2] = {1, 1};
    const PINNQuantity q[1] = {{0, 0, NN_JET_VALUE, 0, 0}};
    PINNGeometry       sq;
    PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
    PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
    PetscCall(PINNSetGeometry(pinn, sq));
    PetscCall(PINNGeometryDestroy(&sq));
    PetscCall(PINNAddTerm(pinn, "zero", PINN_POINTS_INTERIOR, 0, NULL, 1, q, 1, Zero, NULL, 1.0, NULL));
    PetscCall(PINNSetNumPoints(pinn, NINT, 0, 0));
  } else
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNSetFromOptions(pinn);
  if (!ierr) ierr = PINNGetSampler(pinn, &s);
  if (!ierr && fdim) {
    ierr = NNCreate(PETSC_COMM_WORLD, &flow);
    if (!ierr) ierr = NNSetSizes(flow, fdim, 1);
    if (!ierr) ierr = NNSetType(flow, NNKRNET);
    if (!ierr) ierr = PINNSamplerSetFlow(s, flow);
  }
  if (!ierr) ierr = PINNSetUp(pinn);
  if (!ierr) ierr = PINNSamplerAdapt(s, pinn);
  PetscCall(PetscPopErrorHandler());
  if (!ierr && view) {
    PetscMPIInt size, rank;
    char        name[64];
    FILE       *f;
    size_t      got = 0;
    PetscViewer v;

    PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
    PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
    PetscCall(PetscSNPrintf(name, sizeof(name), "pinn_%s_view_np%d.txt", type, size));
    PetscCall(PetscViewerASCIIOpen(PETSC_COMM_WORLD, name, &v));
    PetscCall(PINNSamplerView(s, v));
    PetscCall(PetscViewerDestroy(&v));
    if (!rank) {
      f = fopen(name, "r");
      PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot read %s", name);
      got = fread(view, 1, len - 1, f);
      fclose(f);
    }
    view[got] = 0;
    PetscCallMPI(MPI_Bcast(view, (PetscMPIInt)len, MPI_CHAR, 0, PETSC_COMM_WORLD));
  }
  PetscCall(NNDestroy(&flow));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(type, opts, PETSC_FALSE));
  PetscFunctionReturn(ierr);
}

#define EXPECT_ERROR(type, label, opts, fdim, word)                                                                                                  \
  do {                                                                                                                                               \
    message[0] = 0;                                                                                                                                  \
    PetscCheck(SetUpWith(type, opts, fdim, PETSC_FALSE, NULL, 0), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: no error", label);                          \
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-24s -> error: %s\n", label, message));                                                                \
    PetscCheck(strstr(message, word), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: the message does not say \"%s\"", label, word);                         \
  } while (0)

/* The trainer monitor that poisons the flow at iteration 30 (after the checkpoint at 20) */
static PetscErrorCode Poison(NNTrainer tr, NNTrainStage stage, PetscInt it, PetscInt total, PetscReal loss, void *ctx, PetscBool *stop)
{
  PINNSampler s = (PINNSampler)ctx;
  NN          flow;
  Vec         th;
  PetscInt    lo, hi;

  PetscFunctionBegin;
  (void)tr, (void)stage, (void)it, (void)loss, (void)stop;
  if (total != 30) PetscFunctionReturn(0);
  PetscCall(PINNSamplerGetFlow(s, &flow));
  PetscCall(NNGetParameters(flow, &th));
  PetscCall(VecGetOwnershipRange(th, &lo, &hi));
  if (lo == 0 && hi > 0) PetscCall(VecSetValue(th, 0, (PetscScalar)NAN, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(th));
  PetscCall(VecAssemblyEnd(th));
  PetscFunctionReturn(0);
}

/* A flow whose parameters turn NaN: a collective error naming the stage; the checkpoint written before stays readable */
static PetscErrorCode CheckNaNFlow(const char type[])
{
  PINN           pinn;
  PINNSampler    s;
  NNTrainer      tr;
  PetscErrorCode ierr;
  PetscMPIInt    size;
  PetscInt       its;
  char           file[64];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_%s_nan_np%d.h5", type, size));
  PetscCall(SetOptions(type, NULL, PETSC_TRUE));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
  PetscCall(PINNSetSteps(pinn, STEPS, 0));
  PetscCall(PINNSetResampleEvery(pinn, 20));
  PetscCall(PINNSetCheckpoint(pinn, file, 20));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNGetTrainer(pinn, &tr));
  PetscCall(NNTrainerMonitorSet(tr, Poison, s, NULL));
  message[0] = 0;
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNTrain(pinn);
  PetscCall(PetscPopErrorHandler());
  PetscCheck(ierr, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "NaN flow: no error");
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-24s -> error: %s\n", "NaN flow", message));
  PetscCheck(strstr(message, "stage 2") && strstr(message, "non-finite"), PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "NaN flow: the message does not name the stage");
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
  PetscCall(PINNSetSteps(pinn, STEPS, 0));
  PetscCall(PINNSetResampleEvery(pinn, 20));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNReadCheckpoint(pinn, file));
  PetscCall(PINNGetIterations(pinn, &its));
  PetscCheck(its == 20, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "NaN flow: the checkpoint holds iteration %" PetscInt_FMT ", not 20", its);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "NaN flow: the checkpoint of iteration %" PetscInt_FMT " reads back\n", its));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions(type, NULL, PETSC_FALSE));
  PetscFunctionReturn(0);
}

#endif

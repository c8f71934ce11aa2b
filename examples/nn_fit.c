static const char help[] = "Network-core demo: fit u(x,y) = sin(pi x) sin(pi y) on [0,1]^2 together with its Laplacian,\n"
                           "using the derivative jets, Adam then L-BFGS, data-parallel over MPI ranks, with checkpoints.\n"
                           "Options:\n"
                           "  -points <2000>          training points (shared by all ranks)\n"
                           "  -laplacian_weight <1>   weight of the Laplacian misfit in the loss\n"
                           "  -checkpoint <file>      where to write the final checkpoint (default nn_fit.h5)\n"
                           "  -restart <file>         continue from a checkpoint\n"
                           "  -monitor_every <n>      print progress every n steps (default 200)\n"
                           "plus -nn_... (network), -train_adam_steps, -train_lbfgs_steps, -train_adam_tao_adam_lr, ...\n";

/* The loss couples the value and the forward-Laplacian stream of the network:
     L = mean (u - u*)^2 + w mean (lap u - lap u*)^2 / (2 pi^2)^2
   Each rank owns a slice of the global point set, drawn from the counter-based generator, so the
   run gives the same numbers on any number of ranks. */
#include <nnpde.h>

typedef struct {
  NN         nn;
  PetscInt   n, N, sL;
  PetscReal *x, *y, *ybar, *g, w;
} Fit;

static PetscReal Exact(const PetscReal *x)
{
  return PetscSinReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]);
}

static PetscErrorCode FitObjGrad(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  Fit            *fit = (Fit *)ctx;
  Vec             theta;
  PetscInt        P;
  PetscReal       l     = 0;
  const PetscReal scale = 1.0 / PetscSqr(2 * PETSC_PI * PETSC_PI);

  PetscFunctionBegin;
  (void)tao;
  PetscCall(NNGetParameters(fit->nn, &theta));
  PetscCall(VecCopy(X, theta));
  PetscCall(NNGetNumParameters(fit->nn, &P));
  PetscCall(NNForward(fit->nn, fit->n, fit->x, fit->y));
  for (PetscInt p = 0; p < fit->n; p++) {
    const PetscReal u = Exact(&fit->x[2 * p]), eu = fit->y[p] - u, el = fit->y[fit->sL * fit->n + p] + 2 * PETSC_PI * PETSC_PI * u;
    l += (eu * eu + fit->w * scale * el * el) / fit->N;
    fit->ybar[p]                    = 2 * eu / fit->N;
    fit->ybar[fit->sL * fit->n + p] = 2 * fit->w * scale * el / fit->N;
  }
  PetscCall(PetscArrayzero(fit->g, P));
  PetscCall(NNBackward(fit->nn, fit->ybar, fit->g, NULL));
  PetscCall(MPIU_Allreduce(&l, f, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)fit->nn)));
  PetscCall(NNReduceGradient(fit->nn, fit->g, G));
  PetscFunctionReturn(0);
}

/* Relative L2 errors of u and lap u on a 101 x 101 grid, rows split across ranks */
static PetscErrorCode GridErrors(Fit *fit, PetscReal *eu, PetscReal *el)
{
  const PetscInt m = 101;
  PetscMPIInt    rank, size;
  PetscInt       lo, hi, n, S;
  PetscReal     *x, *y, loc[4] = {0, 0, 0, 0}, sum[4];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  lo = (m * rank) / size, hi = (m * (rank + 1)) / size, n = (hi - lo) * m;
  PetscCall(NNGetNumJets(fit->nn, &S));
  PetscCall(PetscMalloc2(2 * n, &x, S * n, &y));
  for (PetscInt i = lo; i < hi; i++)
    for (PetscInt j = 0; j < m; j++) x[2 * ((i - lo) * m + j)] = i / (m - 1.0), x[2 * ((i - lo) * m + j) + 1] = j / (m - 1.0);
  PetscCall(NNForward(fit->nn, n, x, y));
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal u = Exact(&x[2 * p]), lu = -2 * PETSC_PI * PETSC_PI * u;
    loc[0] += PetscSqr(y[p] - u), loc[1] += u * u;
    loc[2] += PetscSqr(y[fit->sL * n + p] - lu), loc[3] += lu * lu;
  }
  PetscCall(MPIU_Allreduce(loc, sum, 4, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  *eu = PetscSqrtReal(sum[0] / sum[1]);
  *el = PetscSqrtReal(sum[2] / sum[3]);
  PetscCall(PetscFree2(x, y));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Fit            fit = {.N = 2000, .w = 1.0};
  NNTrainer      tr;
  NNCheckpoint   ck;
  Vec            theta;
  PetscMPIInt    rank, size;
  PetscInt       lo, hi, every = 200, P, it, total;
  char           ckfile[PETSC_MAX_PATH_LEN] = "nn_fit.h5", restart[PETSC_MAX_PATH_LEN] = "", arch[512];
  PetscBool      has_restart;
  NNTrainStage   stage;
  PetscReal      loss, eu = 0, el = 0;
  PetscLogDouble t0, t1;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "nn_fit options", NULL);
  PetscCall(PetscOptionsInt("-points", "Training points", NULL, fit.N, &fit.N, NULL));
  PetscCall(PetscOptionsReal("-laplacian_weight", "Weight of the Laplacian misfit", NULL, fit.w, &fit.w, NULL));
  PetscCall(PetscOptionsString("-checkpoint", "Checkpoint to write", NULL, ckfile, ckfile, sizeof(ckfile), NULL));
  PetscCall(PetscOptionsString("-restart", "Checkpoint to continue from", NULL, restart, restart, sizeof(restart), &has_restart));
  PetscCall(PetscOptionsInt("-monitor_every", "Progress interval", NULL, every, &every, NULL));
  PetscOptionsEnd();
  PetscCheck(fit.N > 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-points must be positive, got %" PetscInt_FMT, fit.N);
  PetscCheck(every > 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-monitor_every must be positive, got %" PetscInt_FMT, every);

  PetscCall(NNCreate(PETSC_COMM_WORLD, &fit.nn));
  PetscCall(NNSetSizes(fit.nn, 2, 1));
  PetscCall(NNSetSeed(fit.nn, 1));
  PetscCall(NNSetFromOptions(fit.nn));
  PetscCall(NNSetUp(fit.nn));
  PetscCall(NNSetJets(fit.nn, 0, NULL, 0, NULL, PETSC_DETERMINE, NULL));
  PetscCall(NNGetJetIndex(fit.nn, NN_JET_LAPLACIAN, 0, 0, &fit.sL));
  PetscCall(NNGetNumParameters(fit.nn, &P));
  PetscCall(NNGetArchitecture(fit.nn, arch, sizeof(arch)));

  lo = (fit.N * rank) / size, hi = (fit.N * (rank + 1)) / size, fit.n = hi - lo;
  PetscCall(PetscMalloc4(2 * fit.n, &fit.x, 4 * fit.n, &fit.y, 4 * fit.n, &fit.ybar, P, &fit.g));
  PetscCall(PetscArrayzero(fit.ybar, 4 * fit.n));
  PetscCall(NNRandomUniformArray(42, 0, 2 * lo, 2 * fit.n, fit.x));

  PetscCall(NNGetParameters(fit.nn, &theta));
  PetscCall(NNTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(NNTrainerSetObjectiveAndGradient(tr, theta, FitObjGrad, &fit));
  PetscCall(NNTrainerSetSteps(tr, 2000, 500));
  PetscCall(NNTrainerSetFromOptions(tr));
  if (has_restart) {
    PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, restart, FILE_MODE_READ, &ck));
    PetscCall(NNCheckpointReadNN(ck, "u", fit.nn));
    PetscCall(NNTrainerReadCheckpoint(tr, ck));
    PetscCall(NNCheckpointClose(&ck));
    PetscCall(NNTrainerGetProgress(tr, &stage, &it, NULL));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Restarted from %s at %s iteration %" PetscInt_FMT "\n", restart, NNTrainStages[stage], it));
  }
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "Network: %s (%" PetscInt_FMT " parameters), %" PetscInt_FMT " points on %d rank(s)\n", arch, P, fit.N, size));
  PetscCall(PetscTime(&t0));
  for (;;) {
    NNTrainStage ran;
    PetscCall(NNTrainerGetProgress(tr, &ran, &it, NULL));
    if (ran == NN_TRAIN_STAGE_DONE) break;
    PetscCall(NNTrainerStep(tr, every));
    PetscCall(NNTrainerGetProgress(tr, &stage, &it, &loss));
    PetscCall(NNTrainerGetTotalIterations(tr, &total));
    PetscCall(PetscTime(&t1));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  step %5" PetscInt_FMT " (%s)  loss %.3e  %.1f s\n", total, NNTrainStages[ran], (double)loss, t1 - t0));
  }
  PetscCall(GridErrors(&fit, &eu, &el));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Relative L2 error on a 101x101 grid: u %.2e, Laplacian %.2e\n", (double)eu, (double)el));

  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, ckfile, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, "u", fit.nn));
  PetscCall(NNTrainerWriteCheckpoint(tr, ck));
  PetscCall(NNCheckpointSetReal(ck, "relative_l2_error", eu));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Checkpoint written to %s\n", ckfile));

  PetscCall(NNTrainerDestroy(&tr));
  PetscCall(PetscFree4(fit.x, fit.y, fit.ybar, fit.g));
  PetscCall(NNDestroy(&fit.nn));
  PetscCall(PetscFinalize());
  return 0;
}

/* DCDM training data and trainer (solvers/dcdm_data.c, solvers/dcdm_train.c):
   -test lanczos   Ritz pairs of the 16^3 obstacle matrix: ||A y - theta y|| small for the lowest
                   ones, Y orthonormal, the lowest Ritz value equal to that of a run with twice the
                   steps;
                   data sets written at two rank counts (-data, -compare): see CompareData()
   -test fd        dL/dq of DCDMLoss against float64 central differences; the mini-batch loss
                   gradient (through the float32 network) against central differences along the
                   gradient (a random direction crosses ReLU kinks and float32 noise dominates)
   -test restart   12 steps in one go = 7 steps, checkpoint, new trainer restarted, 5 steps
                   (parameters equal to 1e-13)
   -test history   the CSV history across a restart: 8 steps in one go, and 5 steps + checkpoint (two
                   rows written after it, as by a run that went on and crashed) + restart to 8 into the
                   same file: both files have the header, each step once, in order, and equal losses
                   (to 1e-12)
   -test groups    loss and gradient with -dcdm_train_ranks_per_sample 1 and 2 agree (float32 network) */
#include <nnpde.h>
#include <petscviewerhdf5.h>

static PetscErrorCode CheckLanczos(PetscInt *nfail)
{
  Poisson3d p;
  Mat       A, Y, Y2;
  Vec       mask, val, val2, y, Ay;
  PetscInt  k, k2;
  PetscReal worst = 0, orth = 0, dlow;

  PetscFunctionBegin;
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 16, &p));
  PetscCall(Poisson3dSetFromOptions(p));
  PetscCall(Poisson3dSetUp(p));
  PetscCall(Poisson3dGetMatrix(p, &A));
  PetscCall(Poisson3dGetFluidMask(p, &mask));
  PetscCall(DCDMLanczos(A, mask, 300, 7, 1e-8, &val, &Y));
  PetscCall(DCDMLanczos(A, mask, 600, 7, 1e-8, &val2, &Y2));
  PetscCall(VecGetSize(val, &k));
  PetscCall(VecGetSize(val2, &k2));
  PetscCall(MatCreateVecs(A, &y, &Ay));
  {
    const PetscScalar *v, *v2;

    PetscCall(VecGetArrayRead(val, &v));
    PetscCall(VecGetArrayRead(val2, &v2));
    /* the lowest and highest Ritz pairs converge first: residuals of the 5 lowest */
    for (PetscInt j = 0; j < 5; j++) {
      PetscReal r;

      PetscCall(MatGetColumnVector(Y, y, j));
      PetscCall(MatMult(A, y, Ay));
      PetscCall(VecAXPY(Ay, -v[j], y));
      PetscCall(VecNorm(Ay, NORM_2, &r));
      worst = PetscMax(worst, r / PetscRealPart(v[j]));
    }
    dlow = PetscAbsReal(PetscRealPart(v[0] - v2[0])) / PetscRealPart(v2[0]);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Lanczos 300 steps: %" PetscInt_FMT " Ritz values in [%.6e, %.6e]; 600 steps: lowest %.6e\n", k,
                          (double)PetscRealPart(v[0]), (double)PetscRealPart(v[k - 1]), (double)PetscRealPart(v2[0])));
    PetscCall(VecRestoreArrayRead(val, &v));
    PetscCall(VecRestoreArrayRead(val2, &v2));
  }
  /* orthonormality of all the Ritz vectors: max |Y'Y - I| */
  {
    Mat YtY;

    PetscCall(MatTransposeMatMult(Y, Y, MAT_INITIAL_MATRIX, PETSC_DEFAULT, &YtY));
    PetscCall(MatShift(YtY, -1.0));
    PetscCall(MatNorm(YtY, NORM_MAX, &orth));
    PetscCall(MatDestroy(&YtY));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "lowest 5 Ritz pairs: max ||Ay - theta y||/theta = %.2e; lowest value vs 600 steps: %.2e; max|Y'Y - I| = %.2e\n",
                        (double)worst, (double)dlow, (double)orth));
  if (!(worst < 1e-6 && dlow < 1e-10 && orth < 1e-10)) (*nfail)++;
  PetscCall(VecDestroy(&y));
  PetscCall(VecDestroy(&Ay));
  PetscCall(VecDestroy(&val));
  PetscCall(VecDestroy(&val2));
  PetscCall(MatDestroy(&Y));
  PetscCall(MatDestroy(&Y2));
  PetscCall(Poisson3dDestroy(&p));
  PetscFunctionReturn(0);
}

/* Two data sets of the same recipe written at different rank counts: Lanczos in floating point
   (and the start vector, drawn in each decomposition's ordering) differ, so the samples are not
   the same; the converged low end of the spectrum is. Checks: the lowest 10 Ritz values agree,
   every sample has unit norm and vanishes in the solid cells, and the mean Rayleigh quotient b'Ab
   matches the weighting (E b'Ab = sum w_i^2 theta_i / sum w_i^2, w = 9 for the nlow lowest). */
static PetscErrorCode CompareData(const char fa[], const char fb[], PetscInt *nfail)
{
  const char *files[2] = {fa, fb};
  PetscReal   low[2][10], rq[2], expect[2];

  PetscFunctionBegin;
  for (PetscInt f = 0; f < 2; f++) {
    PetscViewer        v;
    Vec                b, Ab, vals, mask;
    PetscInt           ns, n, k, nlow;
    PetscReal          weight, num = 0, den = 0, worst = 0, solid = 0;
    Poisson3d          p;
    DM                 da;
    Mat                A;
    const PetscScalar *th;

    PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, files[f], FILE_MODE_READ, &v));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/rhs", "nsamples", PETSC_INT, NULL, &ns));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/rhs", "n", PETSC_INT, NULL, &n));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/rhs", "nlow", PETSC_INT, NULL, &nlow));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/rhs", "weight", PETSC_REAL, NULL, &weight));
    PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, n, &p));
    PetscCall(Poisson3dSetFromOptions(p));
    PetscCall(Poisson3dSetUp(p));
    PetscCall(Poisson3dGetDM(p, &da));
    PetscCall(Poisson3dGetMatrix(p, &A));
    PetscCall(Poisson3dGetFluidMask(p, &mask));
    PetscCall(DMCreateGlobalVector(da, &b));
    PetscCall(VecDuplicate(b, &Ab));
    PetscCall(VecCreate(PETSC_COMM_WORLD, &vals));
    PetscCall(PetscObjectSetName((PetscObject)vals, "ritz_values"));
    PetscCall(VecLoad(vals, v));
    PetscCall(VecGetSize(vals, &k));
    {
      Vec        all;
      VecScatter sc;

      PetscCall(VecScatterCreateToAll(vals, &sc, &all));
      PetscCall(VecScatterBegin(sc, vals, all, INSERT_VALUES, SCATTER_FORWARD));
      PetscCall(VecScatterEnd(sc, vals, all, INSERT_VALUES, SCATTER_FORWARD));
      PetscCall(VecGetArrayRead(all, &th));
      for (PetscInt i = 0; i < 10; i++) low[f][i] = PetscRealPart(th[i]);
      for (PetscInt i = 0; i < k; i++) {
        const PetscReal w2 = i < nlow ? weight * weight : 1;
        num += w2 * PetscRealPart(th[i]);
        den += w2;
      }
      PetscCall(VecRestoreArrayRead(all, &th));
      PetscCall(VecScatterDestroy(&sc));
      PetscCall(VecDestroy(&all));
    }
    expect[f] = num / den;
    rq[f]     = 0;
    PetscCall(PetscObjectSetName((PetscObject)b, "rhs"));
    PetscCall(PetscViewerHDF5PushTimestepping(v));
    for (PetscInt s = 0; s < ns; s++) {
      PetscReal   nrm, sn;
      PetscScalar q;

      PetscCall(PetscViewerHDF5SetTimestep(v, s));
      PetscCall(VecLoad(b, v));
      PetscCall(VecNorm(b, NORM_2, &nrm));
      worst = PetscMax(worst, PetscAbsReal(nrm - 1));
      PetscCall(MatMult(A, b, Ab));
      PetscCall(VecDot(b, Ab, &q));
      rq[f] += PetscRealPart(q) / ns;
      PetscCall(VecPointwiseMult(Ab, b, mask)); /* the fluid part; the rest must be 0 */
      PetscCall(VecAXPY(Ab, -1.0, b));
      PetscCall(VecNorm(Ab, NORM_INFINITY, &sn));
      solid = PetscMax(solid, sn);
    }
    PetscCall(PetscViewerHDF5PopTimestepping(v));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "%s: %" PetscInt_FMT " samples, max | ||b|| - 1 | %.1e, max |b| in solids %.1e, mean b'Ab %.4e (expected %.4e)\n", files[f],
                          ns, (double)worst, (double)solid, (double)rq[f], (double)expect[f]));
    if (!(worst < 1e-6 && solid == 0 && PetscAbsReal(rq[f] - expect[f]) < 0.3 * expect[f])) (*nfail)++;
    PetscCall(VecDestroy(&b));
    PetscCall(VecDestroy(&Ab));
    PetscCall(VecDestroy(&vals));
    PetscCall(Poisson3dDestroy(&p));
    PetscCall(PetscViewerDestroy(&v));
  }
  {
    PetscReal d = 0;

    for (PetscInt i = 0; i < 10; i++) d = PetscMax(d, PetscAbsReal(low[0][i] - low[1][i]) / low[0][i]);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lowest 10 Ritz values of the two sets: max relative difference %.2e\n", (double)d));
    /* round-off only: 1e-10 with OpenBLAS's default (Zen/Haswell) kernels, 5.0e-8 with Sandybridge's (no FMA) */
    if (!(d < 1e-6)) (*nfail)++;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Loss(DCDMTrainer tr, Vec theta0, Vec dir, PetscReal eps, PetscInt nb, const PetscInt idx[], PetscReal *l)
{
  NN  nn;
  Vec theta;

  PetscFunctionBegin;
  PetscCall(DCDMTrainerGetNN(tr, &nn));
  PetscCall(NNGetParameters(nn, &theta));
  PetscCall(VecWAXPY(theta, eps, dir, theta0));
  PetscCall(DCDMTrainerLossAndGradient(tr, nb, idx, l, NULL));
  PetscFunctionReturn(0);
}

/* dL/dq of DCDMLoss against central differences in float64, random b, q, directions */
static PetscErrorCode CheckLossFD(PetscInt *nfail)
{
  Poisson3d   p;
  Mat         A;
  Vec         b, q, g, dir, qp;
  PetscRandom r;
  PetscReal   worst = 0;

  PetscFunctionBegin;
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 8, &p));
  PetscCall(Poisson3dSetFromOptions(p));
  PetscCall(Poisson3dSetUp(p));
  PetscCall(Poisson3dGetMatrix(p, &A));
  PetscCall(MatCreateVecs(A, &b, &q));
  PetscCall(VecDuplicate(q, &g));
  PetscCall(VecDuplicate(q, &dir));
  PetscCall(VecDuplicate(q, &qp));
  PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, &r));
  PetscCall(PetscRandomSetInterval(r, -1, 1));
  PetscCall(PetscRandomSetSeed(r, 5));
  PetscCall(PetscRandomSeed(r));
  for (PetscInt t = 0; t < 5; t++) {
    PetscReal   l, lp, lm, fd, err, eps = 1e-6;
    PetscScalar gv;

    PetscCall(VecSetRandom(b, r));
    PetscCall(VecNormalize(b, NULL));
    PetscCall(VecSetRandom(q, r));
    PetscCall(VecSetRandom(dir, r));
    PetscCall(DCDMLoss(A, b, q, &l, g));
    PetscCall(VecDot(g, dir, &gv));
    PetscCall(VecWAXPY(qp, eps, dir, q));
    PetscCall(DCDMLoss(A, b, qp, &lp, NULL));
    PetscCall(VecWAXPY(qp, -eps, dir, q));
    PetscCall(DCDMLoss(A, b, qp, &lm, NULL));
    fd    = (lp - lm) / (2 * eps);
    err   = PetscAbsReal(fd - PetscRealPart(gv)) / PetscMax(PetscAbsReal(fd), 1e-3);
    worst = PetscMax(worst, err);
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "DCDMLoss: dL/dq against central differences (float64, 5 random q and directions): max relative error %.2e\n",
                        (double)worst));
  if (!(worst < 1e-5)) (*nfail)++;
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&q));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&dir));
  PetscCall(VecDestroy(&qp));
  PetscCall(Poisson3dDestroy(&p));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckFD(PetscInt *nfail)
{
  DCDMTrainer    tr;
  NN             nn;
  Vec            theta, theta0, g, dir;
  const PetscInt idx[3] = {0, 3, 5};
  PetscReal      l, gnorm;

  PetscFunctionBegin;
  PetscCall(DCDMTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(DCDMTrainerSetFromOptions(tr));
  PetscCall(DCDMTrainerSetUp(tr));
  PetscCall(DCDMTrainerGetNN(tr, &nn));
  PetscCall(NNGetParameters(nn, &theta));
  PetscCall(VecDuplicate(theta, &theta0));
  PetscCall(VecDuplicate(theta, &g));
  PetscCall(VecDuplicate(theta, &dir));
  PetscCall(VecCopy(theta, theta0));
  PetscCall(DCDMTrainerLossAndGradient(tr, 3, idx, &l, g));
  PetscCall(VecNorm(g, NORM_2, &gnorm));
  for (PetscInt t = 0; t < 1; t++) {
    PetscReal lp, lm, fd, gv, eps, err;

    if (t == 0)
      PetscCall(VecCopy(g, dir)); /* along the gradient: g.v = ||g|| */
    else {
      PetscRandom r;

      PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, &r));
      PetscCall(PetscRandomSetInterval(r, -1, 1));
      PetscCall(VecSetRandom(dir, r));
      PetscCall(PetscRandomDestroy(&r));
      PetscCall(VecPointwiseMult(dir, dir, g)); /* weighted toward the parameters that matter */
    }
    PetscCall(VecNormalize(dir, NULL));
    PetscCall(VecDot(g, dir, &gv));
    /* the network is float32: a step that changes the loss by ~1e-3 keeps round-off below 1e-4 of the difference */
    eps = 1e-3 * l / PetscMax(PetscAbsReal(gv), 1e-12);
    PetscCall(Loss(tr, theta0, dir, eps, 3, idx, &lp));
    PetscCall(Loss(tr, theta0, dir, -eps, 3, idx, &lm));
    fd  = (lp - lm) / (2 * eps);
    err = PetscAbsReal(fd - gv) / PetscAbsReal(gv);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "loss %.6e, ||g|| %.3e; direction %s: g.v %.8e, central differences %.8e, relative error %.2e\n",
                          (double)l, (double)gnorm, t ? "random" : "gradient", (double)gv, (double)fd, (double)err));
    if (!(err < 2e-3)) (*nfail)++;
  }
  PetscCall(VecDestroy(&theta0));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&dir));
  PetscCall(DCDMTrainerDestroy(&tr));
  PetscFunctionReturn(0);
}

static PetscErrorCode TrainTo(const char restart[], const char ckfile[], PetscInt steps, Vec *theta_out)
{
  DCDMTrainer tr;
  NN          nn;
  Vec         theta;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-dcdm_train_restart", restart ? restart : ""));
  PetscCall(PetscOptionsSetValue(NULL, "-dcdm_train_checkpoint", ckfile));
  PetscCall(DCDMTrainerCreate(PETSC_COMM_WORLD, &tr));
  PetscCall(DCDMTrainerSetFromOptions(tr));
  PetscCall(DCDMTrainerSetUp(tr));
  PetscCall(DCDMTrainerTrain(tr, steps));
  PetscCall(DCDMTrainerGetNN(tr, &nn));
  PetscCall(NNGetParameters(nn, &theta));
  PetscCall(VecDuplicate(theta, theta_out));
  PetscCall(VecCopy(theta, *theta_out));
  PetscCall(DCDMTrainerDestroy(&tr));
  PetscFunctionReturn(0);
}

/* The loss column of a DCDM history (rank 0) and whether it holds steps 0..n-1 once each, in order */
static PetscErrorCode ReadHistory(const char file[], PetscInt n, char header[], size_t len, PetscReal loss[], PetscBool *ok)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  *ok = PETSC_TRUE;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (!rank) {
    FILE    *fp = fopen(file, "r");
    char     line[512];
    PetscInt k = 0;

    if (!fp || !fgets(header, (int)len, fp) || strncmp(header, "iteration,stage,loss,epoch,validation_loss,learning_rate\n", 57)) *ok = PETSC_FALSE;
    while (*ok && fp && fgets(line, sizeof(line), fp)) {
      char *end;
      long  it = strtol(line, &end, 10);

      if (it != k || k >= n || strncmp(end, ",adam,", 6))
        *ok = PETSC_FALSE;
      else
        loss[k++] = strtod(end + 6, NULL);
    }
    if (k != n) *ok = PETSC_FALSE;
    if (fp) fclose(fp);
  }
  PetscCallMPI(MPI_Bcast(ok, 1, MPIU_BOOL, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckHistory(PetscInt *nfail)
{
  Vec         a, b, c;
  PetscReal   la[8], lc[8], d = 0;
  char        ha[256] = "", hc[256] = "";
  PetscBool   oka, okc;
  PetscMPIInt rank, size;
  char        f[5][64]; /* per rank count: the np1 and np2 tests may run at once */
  const char *names[5] = {"full.csv", "full.h5", "cut.csv", "half.h5", "rest.h5"};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (int i = 0; i < 5; i++) PetscCall(PetscSNPrintf(f[i], sizeof(f[i]), "dcdm_history_np%d_%s", (int)size, names[i]));
  PetscCall(PetscOptionsSetValue(NULL, "-dcdm_train_history", f[0]));
  PetscCall(TrainTo(NULL, f[1], 8, &a));
  PetscCall(PetscOptionsSetValue(NULL, "-dcdm_train_history", f[2]));
  PetscCall(TrainTo(NULL, f[3], 5, &b));
  if (!rank) {
    FILE *fp = fopen(f[2], "a");

    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot append to %s", f[2]);
    fprintf(fp, "5,adam,1,0,,0\n6,adam,1,0,,0\n");
    fclose(fp);
  }
  PetscCall(TrainTo(f[3], f[4], 3, &c));
  PetscCall(PetscOptionsClearValue(NULL, "-dcdm_train_history"));
  PetscCall(ReadHistory(f[0], 8, ha, sizeof(ha), la, &oka));
  PetscCall(ReadHistory(f[2], 8, hc, sizeof(hc), lc, &okc));
  for (PetscInt i = 0; i < 8 && oka && okc; i++) d = PetscMax(d, PetscAbsReal(lc[i] - la[i]) / PetscAbsReal(la[i]));
  PetscCallMPI(MPI_Bcast(&d, 1, MPIU_REAL, 0, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "history: uninterrupted %s, restarted %s; largest relative difference of the losses %.2e\n",
                        oka ? "complete" : "WRONG", okc ? "complete" : "WRONG", (double)d));
  if (!oka || !okc || !(d <= 1e-12)) (*nfail)++;
  PetscCall(VecDestroy(&a));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&c));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckRestart(PetscInt *nfail)
{
  Vec       a, b, c;
  PetscReal d, na;

  PetscFunctionBegin;
  PetscCall(TrainTo(NULL, "dcdm_train_test_full.h5", 12, &a));
  PetscCall(TrainTo(NULL, "dcdm_train_test_half.h5", 7, &b));
  PetscCall(TrainTo("dcdm_train_test_half.h5", "dcdm_train_test_rest.h5", 5, &c));
  PetscCall(VecNorm(a, NORM_2, &na));
  PetscCall(VecAXPY(c, -1.0, a));
  PetscCall(VecNorm(c, NORM_INFINITY, &d));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "12 steps vs 7 + checkpoint + restart + 5: max parameter difference %.2e\n", (double)d));
  if (!(d <= 1e-13 * na)) (*nfail)++;
  PetscCall(VecDestroy(&a));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&c));
  PetscFunctionReturn(0);
}

/* loss and gradient of one batch with groups of 1 rank, then of 2 ranks */
static PetscErrorCode CheckGroups(PetscInt *nfail)
{
  const PetscInt idx[4] = {1, 2, 4, 8};
  PetscReal      l[2], gn, d;
  Vec            g[2];
  PetscScalar   *a;
  PetscInt       P;

  PetscFunctionBegin;
  for (PetscInt t = 0; t < 2; t++) {
    DCDMTrainer tr;
    NN          nn;
    Vec         theta, gt, all;
    VecScatter  sc;

    PetscCall(PetscOptionsSetValue(NULL, "-dcdm_train_ranks_per_sample", t ? "2" : "1"));
    PetscCall(DCDMTrainerCreate(PETSC_COMM_WORLD, &tr));
    PetscCall(DCDMTrainerSetFromOptions(tr));
    PetscCall(DCDMTrainerSetUp(tr));
    PetscCall(DCDMTrainerGetNN(tr, &nn));
    PetscCall(NNGetParameters(nn, &theta));
    PetscCall(VecDuplicate(theta, &gt));
    PetscCall(DCDMTrainerLossAndGradient(tr, 4, idx, &l[t], gt));
    /* the gradient on every rank, whatever the group layout */
    PetscCall(VecScatterCreateToAll(gt, &sc, &all));
    PetscCall(VecScatterBegin(sc, gt, all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(sc, gt, all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecGetSize(all, &P));
    PetscCall(VecCreateSeq(PETSC_COMM_SELF, P, &g[t]));
    PetscCall(VecCopy(all, g[t]));
    PetscCall(VecScatterDestroy(&sc));
    PetscCall(VecDestroy(&all));
    PetscCall(VecDestroy(&gt));
    PetscCall(DCDMTrainerDestroy(&tr));
  }
  PetscCall(VecNorm(g[0], NORM_2, &gn));
  PetscCall(VecAXPY(g[1], -1.0, g[0]));
  PetscCall(VecNorm(g[1], NORM_2, &d));
  PetscCall(VecGetArray(g[0], &a));
  PetscCall(VecRestoreArray(g[0], &a));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "groups of 1 vs 2 ranks: loss %.8e vs %.8e, relative gradient difference %.2e\n", (double)l[0],
                        (double)l[1], (double)(d / gn)));
  if (!(PetscAbsReal(l[0] - l[1]) < 1e-5 * l[0] && d < 1e-4 * gn)) (*nfail)++;
  PetscCall(VecDestroy(&g[0]));
  PetscCall(VecDestroy(&g[1]));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      test[32] = "fd", data[PETSC_MAX_PATH_LEN] = "", cmp[PETSC_MAX_PATH_LEN] = "";
  PetscInt  nfail = 0;
  PetscBool flg;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-test", test, sizeof(test), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-data", data, sizeof(data), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-compare", cmp, sizeof(cmp), &flg));
  PetscCall(PetscStrcmp(test, "lanczos", &flg));
  if (flg) {
    PetscCall(CheckLanczos(&nfail));
    if (data[0] && cmp[0]) PetscCall(CompareData(data, cmp, &nfail));
  }
  PetscCall(PetscStrcmp(test, "fd", &flg));
  if (flg) {
    PetscCall(CheckLossFD(&nfail));
    PetscCall(CheckFD(&nfail));
  }
  PetscCall(PetscStrcmp(test, "restart", &flg));
  if (flg) PetscCall(CheckRestart(&nfail));
  PetscCall(PetscStrcmp(test, "history", &flg));
  if (flg) PetscCall(CheckHistory(&nfail));
  PetscCall(PetscStrcmp(test, "groups", &flg));
  if (flg) PetscCall(CheckGroups(&nfail));
  PetscCheck(!nfail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " check(s) failed", nfail);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "All checks passed\n"));
  PetscCall(PetscFinalize());
  return 0;
}

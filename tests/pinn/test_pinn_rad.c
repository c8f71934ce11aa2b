/* The residual-based samplers rad, rard and rarg. For each: (1) a short poisson2d run with adapts
   every 20 Adam steps on all ranks gives the same interior points (a checksum over global indices,
   grown sets included) and the same loss as the same run on each rank alone (PETSC_COMM_SELF), and
   points other than the uniform sampler's; (2) 60 steps in one run equal 35 steps with a checkpoint
   at 30, resumed to 60. (3) Bad input: a pool smaller than the points to choose (rad, rard, rarg), k < 0, c < 0,
   m < 1 give errors naming the options; a problem whose residuals are all zero falls back to
   uniform points and says so. */
#include "poisson_problem.h"
#include "record_error.h"
#include <string.h>

#define NINT 200
#define STEPS 60

/* sum over the global interior points j of (x_j + sqrt(2) y_j) (j + 1) */
static PetscErrorCode PointsChecksum(PINN pinn, PetscReal *sum)
{
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  const PetscReal *x;
  PetscInt         n, lo = 0;

  PetscFunctionBegin;
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCallMPI(MPI_Exscan(&n, &lo, 1, MPIU_INT, MPI_SUM, comm));
  {
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (!rank) lo = 0;
  }
  *sum = 0;
  for (PetscInt p = 0; p < n; p++) *sum += (x[2 * p] + PETSC_SQRT2 * x[2 * p + 1]) * (PetscReal)(lo + p + 1);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sum, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &n, 1, MPIU_INT, MPI_SUM, comm));
  if (comm == PETSC_COMM_SELF) PetscFunctionReturn(0);
  PetscCall(PetscPrintf(comm, "%" PetscInt_FMT " interior points at the end\n", n));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(MPI_Comm comm, const char type[], PetscInt steps, const char ckpt[], PetscInt every, const char restart[], PetscReal *sum,
                          PetscReal *loss, Vec final)
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_type", type));
  PetscCall(PoissonProblemCreate(comm, NINT, 60, &pinn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetLearningRate(pinn, 3e-3));
  PetscCall(PINNSetResampleEvery(pinn, 20));
  if (ckpt) PetscCall(PINNSetCheckpoint(pinn, ckpt, every));
  PetscCall(PINNSetFromOptions(pinn));
  if (restart) PetscCall(PINNReadCheckpoint(pinn, restart));
  PetscCall(PINNTrain(pinn));
  if (sum) PetscCall(PointsChecksum(pinn, sum));
  if (loss) PetscCall(PINNComputeLoss(pinn, loss, NULL));
  if (final) {
    NN  nn;
    Vec th;
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNGetParameters(nn, &th));
    PetscCall(VecCopy(th, final));
  }
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_type"));
  PetscFunctionReturn(0);
}

static PetscErrorCode Zero(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                           PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)dim, (void)x, (void)normal, (void)nq, (void)u, (void)nr;
  for (PetscInt p = 0; p < n; p++) r[p] = 0, dr[p] = 0;
  return 0;
}

/* Sets up (and adapts once) a rad-sampled PINN with the options given; returns the error code */
static PetscErrorCode SetUpWith(const char *opts[], PetscBool zero, char view[], size_t len)
{
  PINN           pinn;
  PINNSampler    s;
  PetscViewer    v;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_type", "rad"));
  for (const char **o = opts; o && *o; o += 2) PetscCall(PetscOptionsSetValue(NULL, o[0], o[1]));
  if (zero) {
    const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
    PINNGeometry    sq;
    PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
    PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
    PetscCall(PINNSetGeometry(pinn, sq));
    PetscCall(PINNGeometryDestroy(&sq));
    const PINNQuantity q[1] = {{0, 0, NN_JET_VALUE, 0, 0}};
    PetscCall(PINNAddTerm(pinn, "zero", PINN_POINTS_INTERIOR, 0, NULL, 1, q, 1, Zero, NULL, 1.0, NULL));
    PetscCall(PINNSetNumPoints(pinn, NINT, 0, 0));
  } else
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 60, &pinn));
  PetscCall(PetscPushErrorHandler(Record, NULL));
  ierr = PINNSetFromOptions(pinn);
  if (!ierr) ierr = PINNSetUp(pinn);
  if (!ierr) ierr = PINNGetSampler(pinn, &s);
  if (!ierr) ierr = PINNSamplerAdapt(s, pinn);
  PetscCall(PetscPopErrorHandler());
  if (!ierr && view) {
    PetscMPIInt size, rank;
    char        name[64];
    FILE       *f;
    size_t      got = 0;

    /* the view through a file: string viewers are not ASCII viewers */
    PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
    PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
    PetscCall(PetscSNPrintf(name, sizeof(name), "pinn_rad_view_np%d.txt", size));
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
  PetscCall(PINNDestroy(&pinn));
  for (const char **o = opts; o && *o; o += 2) PetscCall(PetscOptionsClearValue(NULL, o[0]));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_type"));
  PetscFunctionReturn(ierr);
}

#define EXPECT_ERROR(label, opts, word)                                                                                                              \
  do {                                                                                                                                               \
    message[0] = 0;                                                                                                                                  \
    PetscCheck(SetUpWith(opts, PETSC_FALSE, NULL, 0), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: no error", label);                                      \
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-24s -> error: %s\n", label, message));                                                                \
    PetscCheck(strstr(message, word), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: the message does not say \"%s\"", label, word);                         \
  } while (0)

int main(int argc, char **argv)
{
  const char *types[] = {"rad", "rard", "rarg"};
  PetscReal   sum[3], loss[3], worst = 0, diff, norm;
  PetscMPIInt size;
  char        file[64], view[1024];
  Vec         ref, resumed;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(Run(PETSC_COMM_WORLD, "uniform", STEPS, NULL, 0, NULL, &sum[2], &loss[2], NULL));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "uniform:       points checksum %.15e, loss %.15e\n", (double)sum[2], (double)loss[2]));
  PetscCall(PetscSNPrintf(file, sizeof(file), "pinn_rad_np%d.h5", size));
  {
    PINN pinn;
    NN   nn;
    Vec  th;
    PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 60, &pinn));
    PetscCall(PINNSetUp(pinn));
    PetscCall(PINNGetNetwork(pinn, "u", &nn));
    PetscCall(NNGetParameters(nn, &th));
    PetscCall(VecDuplicate(th, &ref));
    PetscCall(VecDuplicate(th, &resumed));
    PetscCall(PINNDestroy(&pinn));
  }
  for (PetscInt t = 0; t < 3; t++) {
    const char *type = types[t];

    /* (1) all ranks vs one, and vs uniform */
    PetscCall(Run(PETSC_COMM_WORLD, type, STEPS, NULL, 0, NULL, &sum[0], &loss[0], NULL));
    PetscCall(Run(PETSC_COMM_SELF, type, STEPS, NULL, 0, NULL, &sum[1], &loss[1], NULL));
    worst = PetscMax(worst, PetscAbsReal(sum[0] - sum[1]) / PetscAbsReal(sum[1]));
    worst = PetscMax(worst, PetscAbsReal(loss[0] - loss[1]) / PetscAbsReal(loss[1]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-4s, %d ranks: points checksum %.15e, loss %.15e\n%-4s, 1 rank:  points checksum %.15e, loss %.15e\n",
                          type, size, (double)sum[0], (double)loss[0], type, (double)sum[1], (double)loss[1]));
    PetscCheck(PetscAbsReal(sum[0] - sum[2]) > 1e-6 * PetscAbsReal(sum[2]), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s drew the uniform sampler's points",
               type);
    /* (2) restart */
    PetscCall(Run(PETSC_COMM_WORLD, type, STEPS, NULL, 0, NULL, NULL, NULL, ref));
    PetscCall(Run(PETSC_COMM_WORLD, type, 35, file, 30, NULL, NULL, NULL, resumed)); /* writes at 30 */
    PetscCall(Run(PETSC_COMM_WORLD, type, STEPS, NULL, 0, file, NULL, NULL, resumed));
    PetscCall(VecAXPY(resumed, -1.0, ref));
    PetscCall(VecNorm(resumed, NORM_INFINITY, &diff));
    PetscCall(VecNorm(ref, NORM_INFINITY, &norm));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-4s: 60 steps in one run vs 35 + checkpoint at 30 + restart: parameters differ by %.3e (relative)\n",
                          type, (double)(diff / norm)));
    worst = PetscMax(worst, diff / norm);
  }
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&resumed));
  /* (3) bad input */
  {
    const char *pool[] = {"-pinn_sampler_pool", "150", NULL}, *k[] = {"-pinn_sampler_rad_k", "-1", NULL},
               *c[]     = {"-pinn_sampler_rad_c", "-0.5", NULL};
    const char *rpool[] = {"-pinn_sampler_type", "rarg", "-pinn_sampler_rar_m", "30", "-pinn_sampler_pool", "20", NULL};
    const char *rm[]    = {"-pinn_sampler_type", "rard", "-pinn_sampler_rar_m", "0", NULL};
    const char *dpool[] = {"-pinn_sampler_type", "rard", "-pinn_sampler_rar_m", "30", "-pinn_sampler_pool", "20", NULL};
    EXPECT_ERROR("pool 150 < 200 points", pool, "-pinn_sampler_pool");
    EXPECT_ERROR("rarg: pool 20 < m = 30", rpool, "-pinn_sampler_rar_m");
    EXPECT_ERROR("rard: pool 20 < m = 30", dpool, "-pinn_sampler_rar_m");
    EXPECT_ERROR("rard: m = 0", rm, "-pinn_sampler_rar_m");
    EXPECT_ERROR("k = -1", k, "-pinn_sampler_rad_k");
    EXPECT_ERROR("c = -0.5", c, "-pinn_sampler_rad_c");
    PetscCheck(!SetUpWith(NULL, PETSC_TRUE, view, sizeof(view)), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "zero residuals: %s", message);
    PetscCheck(strstr(view, "1 adapts (1 uniform"), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "zero residuals: no uniform fallback in the view:\n%s", view);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "zero residuals, view: %s", view));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference (ranks, restart): %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

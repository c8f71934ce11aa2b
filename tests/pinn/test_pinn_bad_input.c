/* Bad input gives clear PETSc errors, never a crash: unknown types and option values, a polygon
   that is not simple, a term without points, invalid weights and names, a problem without
   geometry or terms, and a NaN appearing during training (the error names the term and the
   iteration, and the last checkpoint written before it stays readable). */
#include "poisson_problem.h"
#include "record_error.h"

#define EXPECT_ERROR(label, call)                                                                                                                    \
  do {                                                                                                                                               \
    PetscErrorCode ierr_;                                                                                                                            \
    message[0] = 0;                                                                                                                                  \
    PetscCall(PetscPushErrorHandler(Record, NULL));                                                                                                  \
    ierr_ = (call);                                                                                                                                  \
    PetscCall(PetscPopErrorHandler());                                                                                                               \
    PetscCheck(ierr_, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: no error", label);                                                                      \
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-28s -> error: %s\n", label, message));                                                                \
  } while (0)

static PetscInt calls = 0;

/* A source that turns into NaN after a number of evaluations */
static PetscErrorCode PoisonedSource(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  (void)ctx;
  PetscCall(PoissonSource(NULL, n, dim, x, nc, f));
  if (++calls > 25 && n > 0) f[0] = (PetscReal)NAN;
  return 0;
}

static PetscErrorCode TrainWithOption(const char option[], const char value[])
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, option, value));
  PetscCall(PoissonProblemCreateWith(PETSC_COMM_WORLD, 50, 20, PETSC_FALSE, &pinn));
  PetscCall(PINNSetSteps(pinn, 2, 0));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode ZeroInteriorPoints(void)
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 0, 20, &pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode NoGeometry(void)
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode BowTie(void)
{
  const PetscReal v[8] = {0, 0, 1, 1, 1, 0, 0, 1}; /* edges (0,0)-(1,1) and (1,0)-(0,1) cross */
  PINNGeometry    g;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 4, v, &g));
  PetscCall(PINNGeometryDestroy(&g));
  PetscFunctionReturn(0);
}

static PetscErrorCode BadTerm(PetscInt which)
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 50, 20, &pinn));
  if (which == 0) PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0)); /* the name exists */
  if (which == 1) PetscCall(PINNAddDirichlet(pinn, "wall", 0, NULL, 0, NULL, NULL, -1.0));
  if (which == 2) PetscCall(PINNAddDirichlet(pinn, "bad name", 0, NULL, 0, NULL, NULL, 1.0));
  if (which == 3) PetscCall(PINNAddInitial(pinn, "ic", 0, NULL, NULL, 1.0));
  if (which == 4) PetscCall(PINNAddDirichlet(pinn, "wall", 0, NULL, 3, NULL, NULL, 1.0));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode NaNDuringTraining(const char ckpt[])
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  PINNGeometry    sq;
  PINN            pinn;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, sq));
  PetscCall(PINNGeometryDestroy(&sq));
  PetscCall(PINNAddPoisson(pinn, 0.0, PoisonedSource, NULL, 1.0));
  PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetNumPoints(pinn, 50, 20, 0));
  PetscCall(PINNSetSteps(pinn, 100, 0));
  PetscCall(PINNSetCheckpoint(pinn, ckpt, 10));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscMPIInt size;
  char        ckpt[64];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  EXPECT_ERROR("-pinn_type lagrangean", TrainWithOption("-pinn_type", "lagrangean"));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_type"));
  EXPECT_ERROR("-pinn_sample_type random", TrainWithOption("-pinn_sample_type", "random"));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_sample_type"));
  EXPECT_ERROR("-pinn_adam_lr -1", TrainWithOption("-pinn_adam_lr", "-1"));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_adam_lr"));
  EXPECT_ERROR("-pinn_nn_mlp_activation foo", TrainWithOption("-pinn_nn_mlp_activation", "foo"));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_nn_mlp_activation"));
  EXPECT_ERROR("-pinn_batch_size 1000", TrainWithOption("-pinn_batch_size", "1000"));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_batch_size"));
  EXPECT_ERROR("-pinn_restart missing.h5", TrainWithOption("-pinn_restart", "missing.h5"));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_restart"));
  EXPECT_ERROR("bow-tie polygon", BowTie());
  EXPECT_ERROR("zero interior points", ZeroInteriorPoints());
  EXPECT_ERROR("no geometry", NoGeometry());
  EXPECT_ERROR("duplicate term name", BadTerm(0));
  EXPECT_ERROR("negative weight", BadTerm(1));
  EXPECT_ERROR("term name with a space", BadTerm(2));
  EXPECT_ERROR("initial condition, no time", BadTerm(3));
  EXPECT_ERROR("component out of range", BadTerm(4));
  PetscCall(PetscSNPrintf(ckpt, sizeof(ckpt), "pinn_nan_np%d.h5", size));
  EXPECT_ERROR("NaN during training", NaNDuringTraining(ckpt));
  PetscCheck(strstr(message, "\"pde\""), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the NaN error does not name the term");
  {
    /* the checkpoint written before the NaN is intact */
    PINN pinn;
    PetscCall(PoissonProblemCreateWith(PETSC_COMM_WORLD, 50, 20, PETSC_FALSE, &pinn));
    PetscCall(PINNReadCheckpoint(pinn, ckpt));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "the last checkpoint before the NaN reads back fine\n"));
    PetscCall(PINNDestroy(&pinn));
  }
  PetscCall(PetscFinalize());
  return 0;
}

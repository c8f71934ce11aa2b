/* Errors during training that are not caught: the program must stop on every rank at once with
   the whole message (tests/pinn/error_exit.sh runs it on 2 ranks and checks the time and the
   output). -case nan: a NaN in the data of one rank's points (-nan_rank, default the last);
   -case checkpoint: the checkpoint directory disappears during training, so the next periodic
   checkpoint fails (an error every rank raises, in the middle of a Tao iteration). */
#include "poisson_problem.h"
#include <sys/stat.h>
#include <unistd.h>

static PetscInt    calls = 0;
static PetscMPIInt nan_rank;
static PetscBool   nan_case = PETSC_TRUE;
static char        dir[64], ckpt[128];

static PetscErrorCode Source(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  PetscMPIInt rank;

  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PoissonSource(ctx, n, dim, x, nc, f));
  if (++calls == 25 && !nan_case && rank == 0) { /* after the checkpoint of step 10 */
    (void)unlink(ckpt);
    PetscCheck(!rmdir(dir), PETSC_COMM_SELF, PETSC_ERR_LIB, "cannot remove %s", dir);
  }
  if (nan_case && rank == nan_rank && calls > 25 && n > 0) f[0] = (PetscReal)NAN;
  return 0;
}

int main(int argc, char **argv)
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  const char     *cases[] = {"nan", "checkpoint", "", NULL};
  PetscEnum       which   = 0;
  PINNGeometry    sq;
  PINN            pinn;
  PetscMPIInt     size, rank;
  PetscInt        r;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  (void)PoissonProblemCreate;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  r = size - 1;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nan_rank", &r, NULL));
  PetscCall(PetscOptionsGetEList(NULL, NULL, "-case", cases, 2, (PetscInt *)&which, NULL));
  nan_rank = (PetscMPIInt)r;
  nan_case = (PetscBool)(which == 0);
  PetscCall(PetscSNPrintf(dir, sizeof(dir), "error_exit_np%d.d", size));
  PetscCall(PetscSNPrintf(ckpt, sizeof(ckpt), "%s/ck.h5", dir));
  if (!rank) (void)mkdir(dir, 0755);
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, sq));
  PetscCall(PINNGeometryDestroy(&sq));
  PetscCall(PINNAddPoisson(pinn, 0.0, Source, NULL, 1.0));
  PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetNumPoints(pinn, 100, 40, 0));
  PetscCall(PINNSetSteps(pinn, 100, 0));
  if (!nan_case) PetscCall(PINNSetCheckpoint(pinn, ckpt, 10));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "no error: the %s went unnoticed\n", cases[which]));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PetscFinalize());
  return 0;
}

static const char help[] = "PINN training-step benchmark on poisson2d (-lap u = 2 pi^2 sin(pi x) sin(pi y) on [0,1]^2, u = 0),\n"
                           "network 2->50->50->50->1 tanh, soft boundary condition, full-batch Adam (lr 1e-3).\n"
                           "  -steps <300>        timed Adam steps (after -warmup <20>)\n"
                           "  -interior <2000> -boundary <400>   points\n"
                           "  -points_out <file>  write the points (HDF5: /interior, /boundary) for bench/pinn_torch.py\n"
                           "  -target <0>         then train until the relative L2 error (every 100 steps) is at most this\n"
                           "  -max_steps <20000>  limit of that run\n"
                           "Prints one JSON line.\n";

/* Benchmark, not a test: see bench/run_pinn_bench.sh for the side-by-side run with PyTorch. */
#include <nnpde.h>
#include <petscviewerhdf5.h>

static PetscErrorCode Source(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) f[p] = 2 * PETSC_PI * PETSC_PI * PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}

static PetscErrorCode Exact(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal u[])
{
  (void)ctx, (void)nc;
  for (PetscInt p = 0; p < n; p++) u[p] = PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}

static PetscErrorCode Create(PetscInt nint, PetscInt nbnd, PetscInt steps, PetscReal target, PINN *pinn)
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  PINNGeometry    sq;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, pinn));
  PetscCall(PINNSetGeometry(*pinn, sq));
  PetscCall(PINNGeometryDestroy(&sq));
  PetscCall(PINNAddPoisson(*pinn, 0.0, Source, NULL, 1.0));
  PetscCall(PINNAddDirichlet(*pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetExactSolution(*pinn, Exact, NULL));
  PetscCall(PINNSetNumPoints(*pinn, nint, nbnd, 0));
  PetscCall(PINNSetTestPoints(*pinn, 10201));
  PetscCall(PINNSetSteps(*pinn, steps, 0));
  PetscCall(PINNSetLearningRate(*pinn, 1e-3));
  PetscCall(PINNSetMonitor(*pinn, PETSC_FALSE, 100, NULL));
  PetscCall(PINNSetTargetError(*pinn, target));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNSetUp(*pinn));
  PetscFunctionReturn(0);
}

/* The points as (N, 2) datasets, in global order */
static PetscErrorCode WritePoints(PINN pinn, const char file[])
{
  PetscViewer viewer;
  const char *names[2] = {"interior", "boundary"};

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &viewer));
  for (PetscInt s = 0; s < 2; s++) {
    const PetscReal *x;
    PetscInt         n;
    Vec              v;
    PetscScalar     *a;
    PetscCall(PINNGetPoints(pinn, (PINNPointSet)s, &n, &x, NULL));
    PetscCall(VecCreateMPI(PETSC_COMM_WORLD, 2 * n, PETSC_DETERMINE, &v));
    PetscCall(VecSetBlockSize(v, 2));
    PetscCall(PetscObjectSetName((PetscObject)v, names[s]));
    PetscCall(VecGetArrayWrite(v, &a));
    PetscCall(PetscArraycpy(a, x, 2 * n));
    PetscCall(VecRestoreArrayWrite(v, &a));
    PetscCall(VecView(v, viewer));
    PetscCall(VecDestroy(&v));
  }
  PetscCall(PetscViewerDestroy(&viewer));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINN           pinn;
  PetscInt       steps = 300, warmup = 20, nint = 2000, nbnd = 400, max_steps = 20000, its = 0;
  PetscReal      target = 0, err = -1;
  char           out[PETSC_MAX_PATH_LEN] = "";
  PetscMPIInt    size;
  PetscLogDouble t0, t1, tt = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-steps", &steps, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-warmup", &warmup, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-interior", &nint, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-boundary", &nbnd, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-max_steps", &max_steps, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-target", &target, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-points_out", out, sizeof(out), NULL));

  /* step time: warm-up steps, then the timed ones (the same Adam run, continued) */
  PetscCall(Create(nint, nbnd, warmup, 0, &pinn));
  if (out[0]) PetscCall(WritePoints(pinn, out));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(Create(nint, nbnd, steps, 0, &pinn));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscTime(&t0));
  PetscCall(PINNTrain(pinn));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscTime(&t1));
  PetscCall(PINNDestroy(&pinn));

  /* time to accuracy: Adam until the error (checked every 100 steps, timed too) reaches the target */
  if (target > 0) {
    PetscLogDouble s0, s1;
    PetscCall(Create(nint, nbnd, max_steps, target, &pinn));
    PetscCall(PetscTime(&s0));
    PetscCall(PINNTrain(pinn));
    PetscCall(PetscTime(&s1));
    PetscCall(PINNGetIterations(pinn, &its));
    PetscCall(PINNComputeError(pinn, &err));
    tt = s1 - s0;
    PetscCall(PINNDestroy(&pinn));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "{\"impl\": \"nnpde\", \"dtype\": \"float64\", \"ranks\": %d, \"interior\": %" PetscInt_FMT ", \"boundary\": %" PetscInt_FMT
                        ", \"steps\": %" PetscInt_FMT ", \"ms_per_step\": %.4f",
                        size, nint, nbnd, steps, 1e3 * (t1 - t0) / steps));
  if (target > 0)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          ", \"target\": %g, \"steps_to_target\": %" PetscInt_FMT ", \"seconds_to_target\": %.3f, \"final_rel_l2\": %.4e",
                          (double)target, its, tt, (double)err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "}\n"));
  PetscCall(PetscFinalize());
  return 0;
}

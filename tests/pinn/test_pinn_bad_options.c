/* The rough edges a new user hits, each with its bad input and the message it must give:
   integer options given "abc" or "1e3", a bad list entry, a learning rate outside (0, 1],
   -tao_max_it of a stage, checkpoint/history/solution files that cannot be written (found before
   any training), a loss that grows without bound, a restart that asks for fewer steps than
   the checkpoint holds, and restarts of another set-up (boundary points, adapt interval, point
   seed, network). Exits non-zero if any case gives no error or a message without the expected
   words. */
#include "poisson_problem.h"

static char     message[1024];
static PetscInt evaluations = 0; /* source evaluations: is training running? */

static PetscErrorCode Record(MPI_Comm comm, int line, const char *func, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess,
                             void *ctx)
{
  (void)comm, (void)line, (void)func, (void)file, (void)ctx;
  if (p == PETSC_ERROR_INITIAL) snprintf(message, sizeof(message), "%s", mess ? mess : "");
  return n;
}

/* Runs call, which must fail with a message holding each of the words in want[] */
#define EXPECT_ERROR(label, call, ...)                                                                                                               \
  do {                                                                                                                                               \
    const char    *want_[] = {__VA_ARGS__, NULL};                                                                                                    \
    PetscErrorCode ierr_;                                                                                                                            \
    message[0] = 0;                                                                                                                                  \
    PetscCall(PetscPushErrorHandler(Record, NULL));                                                                                                  \
    ierr_ = (call);                                                                                                                                  \
    PetscCall(PetscPopErrorHandler());                                                                                                               \
    PetscCheck(ierr_, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: no error", label);                                                                      \
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-34s -> error: %s%s", label, message, strchr(message, '\n') ? "" : "\n"));                             \
    for (const char **w_ = want_; *w_; w_++)                                                                                                         \
      PetscCheck(strstr(message, *w_), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: the message does not say \"%s\"", label, *w_);                         \
  } while (0)

static PetscErrorCode CountingSource(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  evaluations++;
  return PoissonSource(ctx, n, dim, x, nc, f);
}

/* A small problem trained for `steps` Adam steps with the options given as "name value" pairs */
static PetscErrorCode Train(PetscInt steps, const char *opts[])
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  const PetscInt  widths[2] = {20, 20};
  PINNGeometry    sq;
  PINN            pinn;
  NN              nn;

  PetscFunctionBegin;
  for (const char **o = opts; o && *o; o += 2) PetscCall(PetscOptionsSetValue(NULL, o[0], o[1]));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, sq));
  PetscCall(PINNGeometryDestroy(&sq));
  PetscCall(PINNAddPoisson(pinn, 0.0, CountingSource, NULL, 1.0));
  PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetExactSolution(pinn, PoissonExact, NULL));
  PetscCall(PINNSetNumPoints(pinn, 50, 20, 0));
  PetscCall(PINNSetTestPoints(pinn, 100));
  PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, "pinn_"));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(PINNSetNetwork(pinn, "u", nn));
  PetscCall(NNDestroy(&nn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetMonitor(pinn, PETSC_FALSE, 1, NULL));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNWriteSolution(pinn, "bad_options_solution.h5", 5, 5));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode ClearOptions(const char *opts[])
{
  PetscFunctionBegin;
  for (const char **o = opts; o && *o; o += 2) PetscCall(PetscOptionsClearValue(NULL, o[0]));
  PetscFunctionReturn(0);
}

/* Writes the solution into file after 2 steps */
static PetscErrorCode WriteSolution(const char file[])
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1};
  PINNGeometry    sq;
  PINN            pinn;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &sq));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, sq));
  PetscCall(PINNGeometryDestroy(&sq));
  PetscCall(PINNAddPoisson(pinn, 0.0, PoissonSource, NULL, 1.0));
  PetscCall(PINNAddDirichlet(pinn, "bc", 0, NULL, 0, NULL, NULL, 1.0));
  PetscCall(PINNSetNumPoints(pinn, 20, 10, 0));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNWriteSolution(pinn, file, 5, 5));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

#define CASE(label, steps, trained, ...)                                                                                                             \
  do {                                                                                                                                               \
    evaluations = 0;                                                                                                                                 \
    EXPECT_ERROR(label, Train(steps, opts), __VA_ARGS__);                                                                                            \
    PetscCall(ClearOptions(opts));                                                                                                                   \
    PetscCheck(trained || evaluations == 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: training ran before the error", label);                           \
  } while (0)

int main(int argc, char **argv)
{
  PetscMPIInt size;
  char        ckpt[64];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  (void)PoissonProblemCreate; /* the header's other helper */
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(ckpt, sizeof(ckpt), "bad_options_np%d.h5", size));
  {
    const char *opts[] = {"-pinn_adam_steps", "abc", NULL};
    CASE("-pinn_adam_steps abc", 2, PETSC_FALSE, "-pinn_adam_steps", "\"abc\"");
  }
  {
    const char *opts[] = {"-pinn_adam_steps", "1e3", NULL};
    CASE("-pinn_adam_steps 1e3", 2, PETSC_FALSE, "-pinn_adam_steps", "\"1e3\"");
  }
  {
    const char *opts[] = {"-pinn_nn_mlp_hidden_layers", "20,2x", NULL};
    CASE("-pinn_nn_mlp_hidden_layers 20,2x", 2, PETSC_FALSE, "-pinn_nn_mlp_hidden_layers", "\"2x\"");
  }
  {
    const char *opts[] = {"-pinn_adam_lr", "1e30", NULL};
    CASE("-pinn_adam_lr 1e30", 2, PETSC_FALSE, "-pinn_adam_lr", "1e+30");
  }
  {
    const char *opts[] = {"-pinn_adam_lr", "0", NULL};
    CASE("-pinn_adam_lr 0", 2, PETSC_FALSE, "-pinn_adam_lr");
  }
  {
    const char *opts[] = {"-pinn_lbfgs_tao_max_it", "10", NULL};
    CASE("-pinn_lbfgs_tao_max_it 10", 2, PETSC_FALSE, "-pinn_lbfgs_tao_max_it", "-pinn_lbfgs_steps");
  }
  {
    const char *opts[] = {"-pinn_checkpoint", "no_such_directory/ck.h5", NULL};
    CASE("checkpoint in a missing directory", 2, PETSC_FALSE, "-pinn_checkpoint", "no_such_directory/ck.h5", "No such file or directory");
  }
  {
    const char *opts[] = {"-pinn_checkpoint", "/etc/passwd/ck.h5", NULL};
    CASE("checkpoint under a regular file", 2, PETSC_FALSE, "-pinn_checkpoint", "/etc/passwd/ck.h5", "Not a directory");
  }
  {
    const char *opts[] = {"-pinn_monitor_history", "no_such_directory/h.csv", NULL};
    CASE("history in a missing directory", 2, PETSC_FALSE, "-pinn_monitor_history", "no_such_directory/h.csv");
  }
  EXPECT_ERROR("solution under a regular file", WriteSolution("/etc/passwd/u.h5"), "/etc/passwd/u.h5", "Not a directory");
  {
    /* Adam at lr 1 on a 50,50,50 network: the loss reaches about 4e5 times its start by step 3 */
    const char *opts[] = {"-pinn_adam_lr", "1", "-pinn_nn_mlp_hidden_layers", "50,50,50", "-pinn_divergence_factor", "1000", NULL};
    CASE("loss growing past the bound", 200, PETSC_TRUE, "diverged", "adam iteration", "-pinn_divergence_factor");
  }
  {
    /* 6 steps with a checkpoint, then a restart that asks for 4 */
    const char *opts[] = {"-pinn_checkpoint", ckpt, NULL}, *again[] = {"-pinn_restart", ckpt, NULL};
    PetscCall(PetscOptionsSetValue(NULL, opts[0], opts[1]));
    PetscCall(Train(6, NULL));
    PetscCall(ClearOptions(opts));
    {
      const char **opts = again;
      CASE("restart asking for fewer steps", 4, PETSC_TRUE, "Nothing to do", ckpt, "holds 6 iterations", "-pinn_adam_steps 4");
    }
    /* a restart of another set-up: each difference named (the trainer's parameter count would come first without the
       owner's reader naming the architecture) */
    {
      const char *opts[] = {"-pinn_restart", ckpt, "-pinn_boundary_points", "30", NULL};
      CASE("restart with other boundary points", 8, PETSC_TRUE, ckpt, "written with -pinn_boundary_points 20, this run has 30");
    }
    {
      const char *opts[] = {"-pinn_restart", ckpt, "-pinn_resample_every", "7", NULL};
      CASE("restart with another adapt interval", 8, PETSC_TRUE, ckpt, "written with -pinn_resample_every 0, this run has 7");
    }
    {
      const char *opts[] = {"-pinn_restart", ckpt, "-pinn_sampler_seed", "9", NULL};
      CASE("restart with another point seed", 8, PETSC_TRUE, ckpt, "point seed (-pinn_seed, -pinn_sampler_seed)", "this run has 9");
    }
    {
      const char *opts[] = {"-pinn_restart", ckpt, "-pinn_nn_mlp_hidden_layers", "10,10", NULL};
      CASE("restart with other hidden layers", 8, PETSC_TRUE, ckpt, "hidden=20,20", "hidden=10,10");
    }
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "all bad inputs gave the expected errors\n"));
  PetscCall(PetscFinalize());
  return 0;
}

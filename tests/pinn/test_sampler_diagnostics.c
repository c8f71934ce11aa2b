/* Per-stage sampler diagnostics (sampling/diagnostics.c). (1) Known answers on the unit square with
   a residual that is a known function of x (a user term that ignores the network): r = x gives
   mean r2 = 1/3, var r2 = 1/5 - 1/9 = 4/45 and KS = max_t (t - t^3) = 2 / (3 sqrt 3) (the x-marginal
   of r2 / sum r2 has CDF t^3; the y-marginal is uniform); r = 1 gives KS = 0 and var 0; r = 0 is
   flagged all-zero with KS 0. (2) The same statistics on each rank alone (PETSC_COMM_SELF) as on
   all ranks: bit for bit for these residuals, to 1e-12 for a network's (poisson2d). (3) A short
   rad run with -pinn_sampler_diagnostics writes the columns in the history, filled at the stages'
   first steps, also in a chain of one-step runs restarted from checkpoints. (4) A probe size < 1 and a dump grid < 2 are errors naming the option. */
#include "poisson_problem.h"
#include "record_error.h"
#include <string.h>

static PetscErrorCode Known(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                            PetscInt nr, PetscReal r[], PetscReal dr[])
{
  const PetscInt which = *(const PetscInt *)ctx;
  (void)normal, (void)nq, (void)u, (void)nr;
  for (PetscInt p = 0; p < n; p++) r[p] = which == 0 ? x[p * dim] : (which == 1 ? 1.0 : 0.0), dr[p] = 0;
  return 0;
}

static PetscErrorCode KnownCreate(MPI_Comm comm, PetscInt *which, PINN *pinn)
{
  const PetscReal    lo[2] = {0, 0}, hi[2] = {1, 1};
  const PINNQuantity q[1] = {{0, 0, NN_JET_VALUE, 0, 0}};
  PINNGeometry       sq;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(comm, 2, lo, hi, &sq));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, sq));
  PetscCall(PINNGeometryDestroy(&sq));
  PetscCall(PINNAddTerm(*pinn, "known", PINN_POINTS_INTERIOR, 0, NULL, 1, q, 1, Known, which, 1.0, NULL));
  PetscCall(PINNSetNumPoints(*pinn, 64, 0, 0));
  PetscFunctionReturn(0);
}

/* mean, var, ks, allzero of the residual `which` (0: x, 1: 1, 2: 0) on the unit square */
static PetscErrorCode KnownStatistics(MPI_Comm comm, PetscInt which, PetscInt nprobe, PetscReal st[4])
{
  PINN        pinn;
  PINNSampler s;
  PetscBool   zero;

  PetscFunctionBegin;
  PetscCall(KnownCreate(comm, &which, &pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerSetDiagnostics(s, PETSC_TRUE, nprobe));
  PetscCall(PINNSamplerComputeProbeStatistics(s, pinn, &st[0], &st[1], &st[2], &zero));
  st[3] = zero ? 1 : 0;
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

static PetscErrorCode NetworkStatistics(MPI_Comm comm, PetscReal st[3])
{
  PINN        pinn;
  PINNSampler s;

  PetscFunctionBegin;
  PetscCall(PoissonProblemCreate(comm, 100, 40, &pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerSetDiagnostics(s, PETSC_TRUE, 1000));
  PetscCall(PINNSamplerComputeProbeStatistics(s, pinn, &st[0], &st[1], &st[2], NULL));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* The options of the runs with diagnostics (rad, probe of 500 points): set, or cleared */
static PetscErrorCode DiagnosticsOptions(PetscBool set)
{
  const char *opts[3][2] = {{"-pinn_sampler_type", "rad"}, {"-pinn_sampler_diagnostics", "1"}, {"-pinn_sampler_diagnostics_probe", "500"}};

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 3; k++) {
    if (set)
      PetscCall(PetscOptionsSetValue(NULL, opts[k][0], opts[k][1]));
    else
      PetscCall(PetscOptionsClearValue(NULL, opts[k][0]));
  }
  PetscFunctionReturn(0);
}

/* History rows (of file name) whose sampler_ks column holds a value, on every rank */
static PetscErrorCode CountFilled(MPI_Comm comm, const char name[], PetscInt *nfilled)
{
  PetscMPIInt rank;
  PetscInt    filled = 0, col = -1;
  char        line[4096];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    FILE *f = fopen(name, "r");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot read %s", name);
    while (fgets(line, sizeof(line), f)) {
      char    *tok = line, *end;
      PetscInt c   = 0;

      if (col < 0) { /* the header */
        for (; tok; c++, tok = end ? end + 1 : NULL) {
          end = strchr(tok, ',');
          if (!strncmp(tok, "sampler_ks", 10)) col = c;
        }
        PetscCheck(col >= 0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "No sampler_ks column in %s: %s", name, line);
        continue;
      }
      for (; c < col && tok; c++) tok = strchr(tok, ',') ? strchr(tok, ',') + 1 : NULL;
      if (tok && *tok && *tok != ',' && *tok != '\n') filled++;
    }
    fclose(f);
  }
  PetscCallMPI(MPI_Bcast(&filled, 1, MPIU_INT, 0, comm));
  *nfilled = filled;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const PetscReal exact[3] = {1.0 / 3.0, 4.0 / 45.0, 2.0 / (3.0 * PetscSqrtReal(3.0))};
  PetscReal       st[3][4], self[4], dev = 0, rankdiff = 0, net[3], netself[3];
  MPI_Comm        comm;
  PetscMPIInt     size, rank;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));

  /* (1) known answers, (2) identical on each rank alone */
  for (PetscInt w = 0; w < 3; w++) {
    PetscCall(KnownStatistics(comm, w, 4096, st[w]));
    PetscCall(KnownStatistics(PETSC_COMM_SELF, w, 4096, self));
    for (PetscInt k = 0; k < 4; k++) rankdiff = PetscMax(rankdiff, PetscAbsReal(st[w][k] - self[k]));
  }
  PetscCall(PetscPrintf(comm, "r = x: r2 mean %.10f (1/3), var %.10f (4/45), KS %.10f (2/(3 sqrt 3) = %.10f)\n", (double)st[0][0], (double)st[0][1],
                        (double)st[0][2], (double)exact[2]));
  PetscCall(PetscPrintf(comm, "r = 1: r2 mean %g, var %g, KS %g; r = 0: KS %g, all zero %s\n", (double)st[1][0], (double)st[1][1], (double)st[1][2],
                        (double)st[2][2], st[2][3] == 1 ? "yes" : "no"));
  for (PetscInt k = 0; k < 3; k++) dev = PetscMax(dev, PetscAbsReal(st[0][k] - exact[k]));
  dev = PetscMax(dev, PetscAbsReal(st[1][0] - 1));
  dev = PetscMax(dev, PetscAbsReal(st[1][1]));
  dev = PetscMax(dev, PetscAbsReal(st[1][2]));
  dev = PetscMax(dev, PetscAbsReal(st[2][2]));
  PetscCheck(st[2][3] == 1 && st[0][3] == 0 && st[1][3] == 0, comm, PETSC_ERR_PLIB, "The all-zero flag is wrong");
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &rankdiff, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(PetscPrintf(comm, "known residuals, %d ranks vs each rank alone: largest difference %g\n", size, (double)rankdiff));
  PetscCheck(rankdiff == 0, comm, PETSC_ERR_PLIB, "The statistics depend on the number of ranks: %g", (double)rankdiff);

  PetscCall(NetworkStatistics(comm, net));
  PetscCall(NetworkStatistics(PETSC_COMM_SELF, netself));
  rankdiff = 0;
  for (PetscInt k = 0; k < 3; k++) rankdiff = PetscMax(rankdiff, PetscAbsReal(net[k] - netself[k]) / PetscMax(PetscAbsReal(net[k]), 1e-300));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &rankdiff, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(PetscPrintf(comm, "poisson2d network: r2 mean %.6e var %.6e KS %.6f; relative difference vs each rank alone %g\n", (double)net[0],
                        (double)net[1], (double)net[2], (double)rankdiff));
  PetscCheck(rankdiff <= 1e-12, comm, PETSC_ERR_PLIB, "The network statistics depend on the number of ranks: %g", (double)rankdiff);

  /* (3) the history columns of a short rad run; the diagnostics leave the run unchanged (the same
     loss bit for bit as without them) */
  {
    PINN        pinn;
    char        name[64];
    PetscInt    filled = 0;
    PetscReal   v[PINN_SAMPLER_NUM_DIAGNOSTICS], loss[2];
    PetscInt    it;
    PINNSampler s;

    PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_type", "rad"));
    PetscCall(PoissonProblemCreate(comm, 100, 40, &pinn));
    PetscCall(PINNSetSteps(pinn, 60, 0));
    PetscCall(PINNSetResampleEvery(pinn, 20));
    PetscCall(PINNSetMonitor(pinn, PETSC_FALSE, 20, NULL));
    PetscCall(PINNSetFromOptions(pinn));
    PetscCall(PINNTrain(pinn));
    PetscCall(PINNComputeLoss(pinn, &loss[0], NULL));
    PetscCall(PINNDestroy(&pinn));

    PetscCall(PetscSNPrintf(name, sizeof(name), "sampler_diag_history_np%d.csv", size));
    PetscCall(DiagnosticsOptions(PETSC_TRUE));
    PetscCall(PoissonProblemCreate(comm, 100, 40, &pinn));
    PetscCall(PINNSetSteps(pinn, 60, 0));
    PetscCall(PINNSetResampleEvery(pinn, 20));
    PetscCall(PINNSetMonitor(pinn, PETSC_TRUE, 20, name));
    PetscCall(PINNSetFromOptions(pinn));
    PetscCall(PINNTrain(pinn));
    PetscCall(PINNGetSampler(pinn, &s));
    PetscCall(PINNSamplerGetDiagnostics(s, NULL, &it, v));
    PetscCall(PetscPrintf(comm, "last stage %g at step %" PetscInt_FMT ": KS %.4f, %g points\n", (double)v[0], it, (double)v[3], (double)v[4]));
    PetscCall(PINNComputeLoss(pinn, &loss[1], NULL));
    PetscCall(PetscPrintf(comm, "final loss without / with the diagnostics: %.17g / %.17g\n", (double)loss[0], (double)loss[1]));
    PetscCheck(loss[0] == loss[1], comm, PETSC_ERR_PLIB, "The diagnostics changed the run: loss %.17g without, %.17g with", (double)loss[0],
               (double)loss[1]);
    PetscCall(PINNDestroy(&pinn));
    PetscCall(DiagnosticsOptions(PETSC_FALSE));
    PetscCall(CountFilled(comm, name, &filled));
    PetscCall(PetscPrintf(comm, "history rows with sampler_ks filled: %" PetscInt_FMT " (stages at steps 20, 40)\n", filled));
    PetscCheck(filled == 2, comm, PETSC_ERR_PLIB, "Expected 2 history rows with the diagnostics, got %" PetscInt_FMT, filled);

    /* (3c) the same run as a chain of one-step runs (a wall-time limit of 1 ns), each restarted from the last
       checkpoint: a run stops right after the step that began a stage, and its continuation rewrites that step's
       history row, keeping the stage's diagnostics there (they come from the checkpoint) */
    {
      char      ckpt[64];
      PetscBool timedout = PETSC_TRUE;
      PetscCall(PetscSNPrintf(name, sizeof(name), "sampler_diag_history_chain_np%d.csv", size));
      PetscCall(PetscSNPrintf(ckpt, sizeof(ckpt), "sampler_diag_chain_np%d.h5", size));
      PetscCall(DiagnosticsOptions(PETSC_TRUE));
      PetscCall(PetscOptionsSetValue(NULL, "-pinn_max_time", "1e-9"));
      for (PetscInt run = 0; timedout && run <= 60; run++) {
        NNTrainer tr;
        PetscCall(PoissonProblemCreate(comm, 100, 40, &pinn));
        PetscCall(PINNSetSteps(pinn, 60, 0));
        PetscCall(PINNSetResampleEvery(pinn, 20));
        PetscCall(PINNSetMonitor(pinn, PETSC_FALSE, 20, name));
        PetscCall(PINNSetCheckpoint(pinn, ckpt, 0));
        PetscCall(PINNSetFromOptions(pinn));
        if (run) PetscCall(PINNReadCheckpoint(pinn, ckpt));
        PetscCall(PINNTrain(pinn));
        PetscCall(PINNGetTrainer(pinn, &tr));
        PetscCall(NNTrainerGetTimedOut(tr, &timedout));
        PetscCall(PINNDestroy(&pinn));
      }
      PetscCall(PetscOptionsClearValue(NULL, "-pinn_max_time"));
      PetscCall(DiagnosticsOptions(PETSC_FALSE));
      PetscCall(CountFilled(comm, name, &filled));
      PetscCall(PetscPrintf(comm, "a chain of one-step runs: history rows with sampler_ks filled: %" PetscInt_FMT "\n", filled));
      PetscCheck(filled == 2, comm, PETSC_ERR_PLIB, "Expected 2 history rows with the diagnostics after the chain of restarts, got %" PetscInt_FMT,
                 filled);
    }
  }

  /* (3b) all-zero residuals at an adapt stage: rad falls back to uniform points and says so, the
     diagnostics flag the measure as uniform (mean 0, KS 0) */
  {
    PINN        pinn;
    PINNSampler s;
    PetscInt    zero = 2;
    PetscReal   v[PINN_SAMPLER_NUM_DIAGNOSTICS];

    PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_type", "rad"));
    PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_diagnostics", "1"));
    PetscCall(KnownCreate(comm, &zero, &pinn));
    PetscCall(PINNSetMonitor(pinn, PETSC_TRUE, 20, NULL));
    PetscCall(PINNSetFromOptions(pinn));
    PetscCall(PINNSetUp(pinn)); /* (training stops at once on a zero loss: the adapt stage by hand) */
    PetscCall(PINNGetSampler(pinn, &s));
    PetscCall(PINNSamplerAdapt(s, pinn));
    PetscCall(PINNSamplerDraw(s, pinn, PINN_POINTS_INTERIOR, 1));
    PetscCall(PINNSamplerGetDiagnostics(s, NULL, NULL, v));
    PetscCheck(v[0] == 0 && v[1] == 0 && v[3] == 0 && v[4] == 64, comm, PETSC_ERR_PLIB, "zero residuals: stage %g, mean %g, KS %g, %g points",
               (double)v[0], (double)v[1], (double)v[3], (double)v[4]);
    PetscCall(PINNDestroy(&pinn));
    PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_type"));
    PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_diagnostics"));
  }

  /* (4) bad probe size, bad dump grid */
  {
    PINN           pinn;
    PetscErrorCode ierr;

    PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_diagnostics_probe", "0"));
    PetscCall(PoissonProblemCreate(comm, 100, 40, &pinn));
    PetscCall(PetscPushErrorHandler(Record, NULL));
    ierr = PINNSetFromOptions(pinn);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(ierr && strstr(message, "-pinn_sampler_diagnostics_probe"), comm, PETSC_ERR_PLIB, "No error naming the option for a probe size 0");
    PetscCall(PetscPrintf(comm, "probe size 0 -> error: %s\n", message));
    PetscCall(PINNDestroy(&pinn));
    PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_diagnostics_probe"));
    PetscCall(PetscOptionsSetValue(NULL, "-pinn_sampler_dump_grid", "1"));
    PetscCall(PoissonProblemCreate(comm, 100, 40, &pinn));
    message[0] = 0;
    PetscCall(PetscPushErrorHandler(Record, NULL));
    ierr = PINNSetFromOptions(pinn);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(ierr && strstr(message, "-pinn_sampler_dump_grid"), comm, PETSC_ERR_PLIB, "No error naming the option for a dump grid of 1");
    PetscCall(PetscPrintf(comm, "dump grid 1 -> error: %s\n", message));
    PetscCall(PINNDestroy(&pinn));
    PetscCall(PetscOptionsClearValue(NULL, "-pinn_sampler_dump_grid"));
  }
  PetscCall(PetscPrintf(comm, "worst deviation from the known values: %.3e\n", (double)dev));
  PetscCall(PetscFinalize());
  return 0;
}

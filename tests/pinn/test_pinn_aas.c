/* The aas sampler, both estimators: (1) the same interior points, flow parameters and loss on all
   ranks as on each rank alone over 3 stages, and on an annulus (flow draws outside rejected); (2) a restart in the middle of a stage equals the
   uninterrupted run; also with a uniform fraction 0.3 (-pinn_sampler_aas_uniform_fraction), whose
   points are checked: the flow's then the uniform draw, and with a relative beta
   (-pinn_sampler_aas_beta_relative; r2 scaled by 4 leaves the flow unchanged), and with the flow objective on 50
   fresh samples per flow step (-pinn_sampler_aas_fresh; also on the annulus, and with a relative beta, whose
   mean r2 then comes from the probe set), and with importance weights in the PINN's loss
   (-pinn_sampler_aas_importance_weights; each weight checked: 1/(|Omega| q), also on an annulus where the flow's
   draws are rejected 60% of the time); (3) bad input: fresh 1, beta < 0, a flow of another dimension than the
   geometry's, a flow turning NaN or with less than 1 in 1000 draws inside the domain (errors naming the stage; the checkpoint before stays readable).
 */
#include "flow_sampler_check.h"

/* All N interior points, in global order, on every rank (PetscMalloc'ed) */
static PetscErrorCode AllPoints(PINN pinn, PetscInt *N, PetscReal **all)
{
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  const PetscReal *x;
  PetscInt         n;
  PetscMPIInt      size, cnt, *counts, *displs;

  PetscFunctionBegin;
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCall(PetscMPIIntCast(2 * n, &cnt));
  PetscCallMPI(MPI_Allgather(&cnt, 1, MPI_INT, counts, 1, MPI_INT, comm));
  displs[0] = 0;
  for (PetscMPIInt r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
  *N = (displs[size - 1] + counts[size - 1]) / 2;
  PetscCall(PetscMalloc1(2 * *N + 1, all));
  PetscCallMPI(MPI_Allgatherv(x, cnt, MPIU_REAL, *all, counts, displs, MPIU_REAL, comm));
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(0);
}

/* A PINN trained 40 Adam steps with the aas options opts (set here, cleared by the caller), an adapt at step 20:
   its interior points are that adapt's, drawn from the flow as it is now */
static PetscErrorCode TrainForty(const char *opts[], PINN *pinn)
{
  PetscFunctionBegin;
  PetscCall(SetOptions("aas", opts, PETSC_TRUE));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, pinn));
  PetscCall(PINNSetSteps(*pinn, 40, 0));
  PetscCall(PINNSetLearningRate(*pinn, 3e-3));
  PetscCall(PINNSetResampleEvery(*pinn, 20));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNTrain(*pinn));
  PetscFunctionReturn(0);
}

/* The interior points after 40 Adam steps (the adapt at step 20 drew them), with the given uniform fraction */
static PetscErrorCode PointsWithFraction(const char fraction[], PetscInt *N, PetscReal **all, PetscInt *seed)
{
  const char *opts[] = {"-pinn_sampler_aas_uniform_fraction", fraction, NULL};
  PINN        pinn;
  PINNSampler s;

  PetscFunctionBegin;
  PetscCall(TrainForty(opts, &pinn));
  PetscCall(AllPoints(pinn, N, all));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerGetSeed(s, seed));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions("aas", opts, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* -pinn_sampler_aas_uniform_fraction 0.25 does what it says: of the N = 120 points of a stage, the
   first 90 are the flow's (those of the same run with fraction 0), the last 30 the geometry's
   uniform draw of 30 points (stream 16 k + 10 at draw k = 1); returns the number of points that differ */
static PetscErrorCode CheckUniformFraction(PetscInt *bad)
{
  PetscReal *a, *b, *u;
  PetscInt   Na, Nb, seed, nu, Nu = NINT / 4, flowsame = 0, unisame = 0;
  PINN       pinn;

  PetscFunctionBegin;
  PetscCall(PointsWithFraction("0", &Na, &a, &seed));
  PetscCall(PointsWithFraction("0.25", &Nb, &b, &seed));
  PetscCheck(Na == NINT && Nb == NINT, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " and %" PetscInt_FMT " points, expected %d", Na, Nb, NINT);
  PetscCall(PoissonProblemCreate(PETSC_COMM_SELF, NINT, 40, &pinn));
  PetscCall(PINNSetUp(pinn));
  {
    PINNGeometry geom;
    PetscCall(PINNGetGeometry(pinn, &geom));
    PetscCall(PINNGeometrySampleInterior(geom, PINN_SAMPLE_UNIFORM, (uint64_t)seed, 16 * 1 + 10, Nu, &nu, &u));
  }
  for (PetscInt j = 0; j < NINT - Nu; j++)
    if (a[2 * j] == b[2 * j] && a[2 * j + 1] == b[2 * j + 1]) flowsame++;
  for (PetscInt j = 0; j < Nu; j++)
    if (u[2 * j] == b[2 * (NINT - Nu + j)] && u[2 * j + 1] == b[2 * (NINT - Nu + j) + 1]) unisame++;
  *bad = (NINT - Nu - flowsame) + (Nu - unisame);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "uniform fraction 0.25: %" PetscInt_FMT " of the first %" PetscInt_FMT " points are the flow's (fraction 0), %" PetscInt_FMT
                        " of the last %" PetscInt_FMT " the uniform draw\n",
                        flowsame, NINT - Nu, unisame, Nu));
  PetscCall(PetscFree(u));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PetscFree(a));
  PetscCall(PetscFree(b));
  PetscFunctionReturn(0);
}

/* -pinn_sampler_aas_importance_weights with a uniform fraction 1/2: after the adapt at step 20 (the flow unchanged
   since), every interior point's weight is 1/(|Omega| q), q = (1/2)/|Omega| + (1/2) p(x)/A the mixture's density
   (|Omega| = 1, the unit square; A the fraction of the stage's flow draws inside it, from the sampler's counts);
   returns the largest |w q |Omega| - 1| and the weights' range */
static PetscErrorCode CheckImportanceWeights(PetscReal *dev)
{
  const char      *opts[] = {"-pinn_sampler_aas_importance_weights", "1", "-pinn_sampler_aas_uniform_fraction", "0.5", NULL};
  PINN             pinn;
  PINNSampler      s;
  NN               flow;
  const PetscReal *x;
  PetscReal       *w, *lp, range[2] = {PETSC_MAX_REAL, PETSC_MAX_REAL}, A;
  PetscInt         n, stages, drawn, rejected;

  PetscFunctionBegin;
  PetscCall(TrainForty(opts, &pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerGetFlow(s, &flow));
  PetscCall(PINNSamplerGetFlowStatistics(s, &stages, &drawn, &rejected, NULL));
  PetscCheck(stages == 1 && drawn > 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " stages, %" PetscInt_FMT " draws", stages, drawn);
  A = 1 - (PetscReal)rejected / (PetscReal)drawn;
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_INTERIOR, &n, &x, NULL));
  PetscCall(PINNGetPointWeights(pinn, PINN_POINTS_INTERIOR, &w));
  PetscCall(PetscMalloc1(n + 1, &lp));
  PetscCall(NNKRnetLogDensity(flow, n, x, lp));
  *dev = 0;
  for (PetscInt p = 0; p < n; p++) {
    *dev     = PetscMax(*dev, PetscAbsReal(w[p] * (0.5 + 0.5 * PetscExpReal(lp[p]) / A) - 1));
    range[0] = PetscMin(range[0], w[p]);
    range[1] = PetscMin(range[1], -w[p]);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, dev, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, range, 2, MPIU_REAL, MPIU_MIN, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "importance weights: in [%.3f, %.3f], largest |w q |Omega| - 1| %.2e (flow draws accepted: %.4f)\n",
                        (double)range[0], (double)-range[1], (double)*dev, (double)A));
  /* the flow has moved away from uniform (else every weight is 1 and the check proves little), and w <= 1/f = 2 */
  PetscCheck(-range[1] - range[0] > 0.05 && -range[1] <= 2, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Weights in [%g, %g]", (double)range[0],
             (double)-range[1]);
  PetscCall(PINNRestorePointWeights(pinn, PINN_POINTS_INTERIOR, &w));
  PetscCall(PetscFree(lp));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions("aas", opts, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* The flow after one adapt of a set-up PINN (no training) whose interior term has the given weight
   (r2 scales with it), with beta 0.5, relative or not; theta: the flow's parameters (created) */
static PetscErrorCode FlowAfterAdapt(PetscReal weight, PetscBool relative, Vec *theta)
{
  const char *opts[] = {"-pinn_sampler_aas_beta",
                        "0.5",
                        "-pinn_sampler_aas_beta_relative",
                        relative ? "1" : "0",
                        "-pinn_sampler_flow_tao_adam_epsilon",
                        "1e-300",
                        NULL};
  PINN        pinn;
  PINNSampler s;
  NN          flow;
  Vec         th;

  PetscFunctionBegin;
  PetscCall(SetOptions("aas", opts, PETSC_TRUE));
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, NINT, 40, &pinn));
  PetscCall(PINNSetTermWeight(pinn, 0, weight));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNGetSampler(pinn, &s));
  PetscCall(PINNSamplerAdapt(s, pinn));
  PetscCall(PINNSamplerGetFlow(s, &flow));
  PetscCall(NNGetParameters(flow, &th));
  PetscCall(VecDuplicate(th, theta));
  PetscCall(VecCopy(th, *theta));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(SetOptions("aas", opts, PETSC_FALSE));
  PetscFunctionReturn(0);
}

/* -pinn_sampler_aas_beta_relative does what it says: scaling r2 by 4 (the interior term's weight; exact
   in floating point, and Adam's epsilon made negligible) leaves the flow of a stage unchanged with a
   relative beta, and changes it with an absolute one; returns the relative change of the first */
static PetscErrorCode CheckBetaRelative(PetscReal *change)
{
  Vec       a, b, c;
  PetscReal nrm, drel, dabs;

  PetscFunctionBegin;
  PetscCall(FlowAfterAdapt(1.0, PETSC_TRUE, &a));
  PetscCall(FlowAfterAdapt(4.0, PETSC_TRUE, &b));
  PetscCall(FlowAfterAdapt(4.0, PETSC_FALSE, &c));
  PetscCall(VecNorm(a, NORM_INFINITY, &nrm));
  PetscCall(VecAXPY(b, -1.0, a));
  PetscCall(VecNorm(b, NORM_INFINITY, &drel));
  {
    Vec d;
    PetscCall(FlowAfterAdapt(1.0, PETSC_FALSE, &d));
    PetscCall(VecAXPY(c, -1.0, d));
    PetscCall(VecNorm(c, NORM_INFINITY, &dabs));
    PetscCall(VecDestroy(&d));
  }
  *change = drel / nrm;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "r2 x 4: the flow changes by %.3e (relative beta), %.3e (absolute beta)\n", (double)(drel / nrm),
                        (double)(dabs / nrm)));
  PetscCheck(dabs / nrm > 1e-3, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "r2 x 4 with an absolute beta should change the flow; changed by %g",
             (double)(dabs / nrm));
  PetscCall(VecDestroy(&a));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&c));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const char *sn[]    = {"-pinn_sampler_aas_estimator", "self_normalized", NULL};
  const char *raw[]   = {"-pinn_sampler_aas_estimator", "raw", "-pinn_sampler_aas_beta", "0.5", NULL};
  const char *rel[]   = {"-pinn_sampler_aas_beta_relative", "1", "-pinn_sampler_aas_beta", "0.2", "-pinn_sampler_aas_uniform_fraction", "0.5", NULL};
  const char *mix[]   = {"-pinn_sampler_aas_uniform_fraction", "0.3", NULL};
  const char *fresh[] = {"-pinn_sampler_aas_fresh", "50", "-pinn_sampler_aas_beta", "0.5", NULL};
  const char *frel[]  = {"-pinn_sampler_aas_fresh", "40", "-pinn_sampler_aas_beta_relative", "1", "-pinn_sampler_aas_beta", "0.01", NULL};
  const char *imp[]   = {"-pinn_sampler_aas_importance_weights", "1", "-pinn_sampler_aas_uniform_fraction", "0.3", NULL};
  PetscReal   worst   = 0;
  PetscInt    bad     = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(CheckRanksAndRestart("aas", sn, "aas (self-normalized):", &worst));
  PetscCall(CheckRanksAndRestart("aas", raw, "aas (raw, beta 0.5):", &worst));
  PetscCall(CheckRanksAndRestart("aas", mix, "aas (uniform 0.3):", &worst));
  PetscCall(CheckDisk("aas", sn, "aas (self-normalized):", &worst));
  PetscCall(CheckRanksAndRestart("aas", rel, "aas (relative beta):", &worst));
  PetscCall(CheckDisk("aas", mix, "aas (uniform 0.3):", &worst));
  PetscCall(CheckRanksAndRestart("aas", fresh, "aas (fresh 50):", &worst));
  PetscCall(CheckDisk("aas", fresh, "aas (fresh 50):", &worst));
  PetscCall(CheckRanksAndRestart("aas", frel, "aas (fresh, rel. beta):", &worst));
  PetscCall(CheckRanksAndRestart("aas", imp, "aas (importance weights):", &worst));
  PetscCall(CheckUniformFraction(&bad));
  {
    PetscReal dev = 0;
    PetscCall(CheckImportanceWeights(&dev));
    worst = PetscMax(worst, dev);
    PetscCall(CheckAnnulusWeights("aas", imp, 0, 0.3, &dev)); /* flow draws rejected: q = f/|Omega| + (1 - f) p/A */
  }
  {
    PetscReal change = 0;
    PetscCall(CheckBetaRelative(&change));
    worst = PetscMax(worst, change);
  }
  {
    const char *beta[] = {"-pinn_sampler_aas_beta", "-1", NULL};
    const char *frac[] = {"-pinn_sampler_aas_uniform_fraction", "1.5", NULL};
    EXPECT_ERROR("aas", "beta = -1", beta, 0, "-pinn_sampler_aas_beta");
    EXPECT_ERROR("aas", "uniform fraction 1.5", frac, 0, "-pinn_sampler_aas_uniform_fraction");
    {
      const char *one[] = {"-pinn_sampler_aas_fresh", "1", NULL};
      EXPECT_ERROR("aas", "fresh 1", one, 0, "-pinn_sampler_aas_fresh");
    }
    EXPECT_ERROR("aas", "3-D flow, 2-D geometry", NULL, 3, "dimension 3");
  }
  PetscCall(CheckNaNFlow("aas"));
  PetscCall(CheckThinAnnulus("aas", NULL));
  PetscCheck(bad == 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "uniform fraction 0.25: %" PetscInt_FMT " points out of place", bad);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative difference (ranks, restart): %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return 0;
}

/* Data parallelism: a Poisson-type loss L = (1/N) sum_p (lap u(x_p) + f(x_p))^2 over a global point
   set sharded across the ranks, with its gradient summed by NNReduceGradient, must equal the same
   loss and gradient computed by one rank over all points (a COMM_SELF network with the same seed)
   to 1e-12 relative. Checked in 2-D and 10-D (Laplacian stream), plus identical initial weights. */
#include <nnpde.h>

static PetscErrorCode PoissonLoss(NN nn, PetscInt n, PetscInt d, const PetscReal x[], PetscInt Ntotal, PetscReal *L, PetscReal g[])
{
  PetscInt   S, sL;
  PetscReal *y, *ybar, l = 0;

  PetscFunctionBegin;
  PetscCall(NNGetNumJets(nn, &S));
  PetscCall(NNGetJetIndex(nn, NN_JET_LAPLACIAN, 0, 0, &sL));
  PetscCall(PetscMalloc2(S * n, &y, S * n, &ybar));
  PetscCall(NNForward(nn, n, x, y));
  PetscCall(PetscArrayzero(ybar, S * n));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal f = 0, r;
    for (PetscInt k = 0; k < d; k++) f += PetscSinReal(PETSC_PI * x[p * d + k]);
    r = y[sL * n + p] + f;
    l += r * r / Ntotal;
    ybar[sL * n + p] = 2 * r / Ntotal;
  }
  PetscCall(NNBackward(nn, ybar, g, NULL));
  *L = l;
  PetscCall(PetscFree2(y, ybar));
  PetscFunctionReturn(0);
}

static PetscErrorCode Check(PetscInt d, PetscInt Ntotal)
{
  PetscMPIInt        rank, size;
  const PetscInt     widths[3] = {20, 20, 20};
  NN                 par, ser;
  PetscInt           P, lo, hi;
  PetscReal         *x, *gl, *gs, Lloc, Lpar, Lser, gdiff = 0, gnorm = 0;
  Vec                G, Gall, theta_all;
  VecScatter         sc;
  const PetscScalar *ga, *tp, *ts;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(NNCreate(PETSC_COMM_WORLD, &par));
  PetscCall(NNCreate(PETSC_COMM_SELF, &ser));
  for (NN nn = par;; nn = ser) {
    PetscCall(NNSetSizes(nn, d, 1));
    PetscCall(NNMLPSetHiddenLayers(nn, 3, widths));
    PetscCall(NNSetSeed(nn, 2024));
    PetscCall(NNSetUp(nn));
    PetscCall(NNSetJets(nn, 0, NULL, 0, NULL, PETSC_DETERMINE, NULL));
    if (nn == ser) break;
  }
  PetscCall(NNGetNumParameters(par, &P));

  /* the same initial weights whatever the communicator */
  {
    Vec th;
    PetscCall(NNGetParameters(par, &th));
    PetscCall(VecScatterCreateToAll(th, &sc, &theta_all));
    PetscCall(VecScatterBegin(sc, th, theta_all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(sc, th, theta_all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterDestroy(&sc));
    PetscCall(NNGetParameters(ser, &th));
    PetscCall(VecGetArrayRead(th, &ts));
    PetscCall(VecGetArrayRead(theta_all, &tp));
    for (PetscInt i = 0; i < P; i++)
      PetscCheck(tp[i] == ts[i], PETSC_COMM_SELF, PETSC_ERR_PLIB, "Initial parameter %" PetscInt_FMT " differs between communicators", i);
    PetscCall(VecRestoreArrayRead(theta_all, &tp));
    PetscCall(VecRestoreArrayRead(th, &ts));
    PetscCall(VecDestroy(&theta_all));
  }

  /* global points in [0,1]^d from the counter-based generator; this rank's slice */
  lo = (Ntotal * rank) / size, hi = (Ntotal * (rank + 1)) / size;
  PetscCall(PetscMalloc1(Ntotal * d, &x));
  PetscCall(NNRandomUniformArray(77, 1, 0, Ntotal * d, x));
  PetscCall(PetscCalloc2(P, &gl, P, &gs));
  PetscCall(PoissonLoss(par, hi - lo, d, x + lo * d, Ntotal, &Lloc, gl));
  PetscCall(MPIU_Allreduce(&Lloc, &Lpar, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, P, &G));
  PetscCall(NNReduceGradient(par, gl, G));
  PetscCall(PoissonLoss(ser, Ntotal, d, x, Ntotal, &Lser, gs));

  PetscCall(VecScatterCreateToAll(G, &sc, &Gall));
  PetscCall(VecScatterBegin(sc, G, Gall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, G, Gall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(Gall, &ga));
  for (PetscInt i = 0; i < P; i++) gdiff += PetscSqr(ga[i] - gs[i]), gnorm += PetscSqr(gs[i]);
  PetscCall(VecRestoreArrayRead(Gall, &ga));
  gdiff = PetscSqrtReal(gdiff / gnorm);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "d=%2" PetscInt_FMT ": %" PetscInt_FMT " points, %" PetscInt_FMT
                        " parameters: loss and gradient match the single-rank values (%s)\n",
                        d, Ntotal, P, PetscAbsReal(Lpar - Lser) <= 1e-12 * PetscAbsReal(Lser) && gdiff <= 1e-12 ? "within 1e-12" : "MISMATCH"));
  PetscCheck(PetscAbsReal(Lpar - Lser) <= 1e-12 * PetscAbsReal(Lser), PETSC_COMM_SELF, PETSC_ERR_PLIB, "Loss %.17g sharded vs %.17g serial",
             (double)Lpar, (double)Lser);
  PetscCheck(gdiff <= 1e-12, PETSC_COMM_SELF, PETSC_ERR_PLIB, "Gradient differs by %g relative", (double)gdiff);

  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&Gall));
  PetscCall(VecDestroy(&G));
  PetscCall(PetscFree2(gl, gs));
  PetscCall(PetscFree(x));
  PetscCall(NNDestroy(&par));
  PetscCall(NNDestroy(&ser));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(Check(2, 2000));
  PetscCall(Check(10, 500));
  PetscCall(PetscFinalize());
  return 0;
}

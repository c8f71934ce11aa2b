/* A PINN with two networks coupled by its terms: u and v on the unit square with
     "flux": v - u_x = 0            (interior; quantities of both networks)
     "pde":  v_x + u - sin(pi y) = 0 (interior; both networks)
     "bc":   u = 0                  (boundary; network u alone, the fused evaluation)
   Checked, each against its tolerance (the figure is the worst ratio of deviation to tolerance):
   - the gradient from PINNComputeObjectiveGradient() at an explicit theta (not the PINN's own
     Vec) against central differences of the loss, in entries of both networks (1e-6 relative);
   - loss and gradient on COMM_WORLD against a COMM_SELF PINN holding every point (1e-12 relative);
   - PINNComputeResiduals() on each region: (1/N) sum_p w_p r2[p] over the region's own points,
     with non-uniform weights, equals the sum of the region's term losses (1e-12 relative);
   - its grad_r2 against central differences with a different step (1e-5 relative);
   - a checkpoint written and read back restores both networks and the loss exactly;
   - a short training lowers the loss, and network v's own Vec then holds its slice of the parameters. */
#include <nnpde.h>
#include "check_helpers.h"

static PetscErrorCode FluxResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                   const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)dim, (void)x, (void)normal, (void)nr;
  for (PetscInt p = 0; p < n; p++) { /* u[0] = v, u[1] = u_x */
    r[p]           = u[p * nq] - u[p * nq + 1];
    dr[p * nq]     = 1;
    dr[p * nq + 1] = -1;
  }
  return 0;
}

static PetscErrorCode PDEResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                  const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)normal, (void)nr;
  for (PetscInt p = 0; p < n; p++) { /* u[0] = v_x, u[1] = u */
    r[p]           = u[p * nq] + u[p * nq + 1] - PetscSinReal(PETSC_PI * x[p * dim + 1]);
    dr[p * nq]     = 1;
    dr[p * nq + 1] = 1;
  }
  return 0;
}

static PetscErrorCode Create(MPI_Comm comm, PINN *pinn)
{
  const PetscReal    lo[2] = {0, 0}, hi[2] = {1, 1};
  const PetscInt     widths[2] = {12, 12};
  const char        *names[2]  = {"u", "v"};
  const PINNQuantity flux[2]   = {{1, 0, NN_JET_VALUE, 0, 0}, {0, 0, NN_JET_DERIVATIVE, 0, 0}};
  const PINNQuantity pde[2]    = {{1, 0, NN_JET_DERIVATIVE, 0, 0}, {0, 0, NN_JET_VALUE, 0, 0}};
  PINNGeometry       square;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(comm, 2, lo, hi, &square));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, square));
  PetscCall(PINNGeometryDestroy(&square));
  for (PetscInt k = 0; k < 2; k++) {
    NN nn;
    PetscCall(NNCreate(comm, &nn));
    PetscCall(NNSetSizes(nn, 2, 1));
    PetscCall(NNMLPSetHiddenLayers(nn, 2, widths));
    PetscCall(NNSetSeed(nn, 11 + k));
    PetscCall(PINNSetNetwork(*pinn, names[k], nn));
    PetscCall(NNDestroy(&nn));
  }
  PetscCall(PINNAddTerm(*pinn, "flux", PINN_POINTS_INTERIOR, 0, NULL, 2, flux, 1, FluxResidual, NULL, 1.0, NULL));
  PetscCall(PINNAddTerm(*pinn, "pde", PINN_POINTS_INTERIOR, 0, NULL, 2, pde, 1, PDEResidual, NULL, 0.5, NULL));
  PetscCall(PINNAddDirichlet(*pinn, "bc", 0, NULL, 0, NULL, NULL, 2.0));
  PetscCall(PINNSetNumPoints(*pinn, 300, 80, 0));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNSetUp(*pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm    comm;
  PINN        par, ser;
  Vec         theta, X, g, gs, gall, Xs;
  PetscReal   f, fs, worst = 0, dev, gmax;
  PetscInt    P, n, N, nnets;
  NN          nnv;
  const char *name;
  PetscMPIInt rank, size;
  char        file[64];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(Create(comm, &par));
  PetscCall(Create(PETSC_COMM_SELF, &ser));
  PetscCall(PINNGetNumNetworks(par, 1, &nnets, &name));
  PetscCheck(nnets == 2, comm, PETSC_ERR_PLIB, "expected 2 networks, got %" PetscInt_FMT, nnets);
  PetscCall(PINNGetNetworkIndex(par, "v", &n));
  PetscCheck(n == 1, comm, PETSC_ERR_PLIB, "network v has index %" PetscInt_FMT, n);
  PetscCall(PINNGetParameters(par, &theta));
  PetscCall(VecGetSize(theta, &P));

  /* an explicit theta, moved off the initial parameters */
  PetscCall(VecDuplicate(theta, &X));
  PetscCall(VecDuplicate(theta, &g));
  PetscCall(VecCopy(theta, X));
  {
    PetscInt     lo, hi;
    PetscScalar *a;
    PetscCall(VecGetOwnershipRange(X, &lo, &hi));
    PetscCall(VecGetArray(X, &a));
    for (PetscInt i = lo; i < hi; i++) a[i - lo] += 0.05 * PetscSinReal(1.7 * i);
    PetscCall(VecRestoreArray(X, &a));
  }
  PetscCall(PINNComputeObjectiveGradient(par, X, &f, g));
  PetscCall(VecNorm(g, NORM_INFINITY, &gmax));
  PetscCall(PetscPrintf(comm, "two networks (%s is index 1), %" PetscInt_FMT " parameters, loss %.6e\n", name, P, (double)f));

  /* gradient against central differences, entries of both networks (u: first half, v: second) */
  {
    const PetscInt  idx[6] = {0, 7, P / 2 - 1, P / 2 + 3, P - 13, P - 1};
    const PetscReal h      = 1e-5;
    Vec             Y;
    PetscReal       err = 0;
    PetscCall(VecDuplicate(X, &Y));
    for (PetscInt k = 0; k < 6; k++) {
      PetscReal fp, fm, gi = 0, v = h;
      PetscCall(VecCopy(X, Y));
      if (!rank) PetscCall(VecSetValue(Y, idx[k], h, ADD_VALUES)); /* once, not once per rank */
      PetscCall(VecAssemblyBegin(Y));
      PetscCall(VecAssemblyEnd(Y));
      PetscCall(PINNComputeObjectiveGradient(par, Y, &fp, NULL));
      PetscCall(VecCopy(X, Y));
      if (!rank) PetscCall(VecSetValue(Y, idx[k], -h, ADD_VALUES));
      PetscCall(VecAssemblyBegin(Y));
      PetscCall(VecAssemblyEnd(Y));
      PetscCall(PINNComputeObjectiveGradient(par, Y, &fm, NULL));
      {
        PetscInt lo, hi;
        PetscCall(VecGetOwnershipRange(g, &lo, &hi));
        if (idx[k] >= lo && idx[k] < hi) {
          const PetscScalar *a;
          PetscCall(VecGetArrayRead(g, &a));
          gi = a[idx[k] - lo];
          PetscCall(VecRestoreArrayRead(g, &a));
        }
        PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &gi, 1, MPIU_REAL, MPIU_SUM, comm));
      }
      err = PetscMax(err, PetscAbsReal((fp - fm) / (2 * v) - gi) / gmax);
    }
    PetscCall(VecDestroy(&Y));
    PetscCall(Report(comm, "gradient vs central differences (both networks)", err, 1e-6, &worst));
  }
  /* the same on one rank holding every point */
  PetscCall(GatherAll(X, &Xs));
  PetscCall(VecDuplicate(Xs, &gs));
  {
    Vec      ts;
    PetscInt ns;
    PetscCall(PINNGetParameters(ser, &ts));
    PetscCall(VecGetSize(ts, &ns));
    PetscCheck(ns == P, comm, PETSC_ERR_PLIB, "sizes differ");
  }
  PetscCall(PINNComputeObjectiveGradient(ser, Xs, &fs, gs));
  PetscCall(GatherAll(g, &gall));
  PetscCall(VecAXPY(gall, -1.0, gs));
  PetscCall(VecNorm(gall, NORM_INFINITY, &dev));
  PetscCall(Report(comm, "loss vs one rank with all points (relative)", PetscAbsReal(f - fs) / fs, 1e-12, &worst));
  PetscCall(Report(comm, "gradient vs one rank with all points (relative, max norm)", dev / gmax, 1e-12, &worst));

  /* residual queries: at the PINN's own parameters, with non-uniform weights */
  for (PINNPointSet s = PINN_POINTS_INTERIOR; s <= PINN_POINTS_BOUNDARY; s++) {
    const PetscReal *x, *losses;
    PetscReal       *w, *r2, *gr, sum = 0, want = 0, lossf;
    const PetscInt   dim = 2;
    PetscInt         nt;
    char             what[128];

    PetscCall(PINNGetPointWeights(par, s, &w));
    PetscCall(PINNGetPointSetSizes(par, s, &n, &N));
    for (PetscInt p = 0; p < n; p++) w[p] = 1 + 0.5 * PetscSinReal(3.0 * p + s);
    PetscCall(PINNRestorePointWeights(par, s, &w));
    PetscCall(PINNComputeLoss(par, &lossf, NULL));
    PetscCall(PINNGetTermLosses(par, &nt, &losses));
    want = s == PINN_POINTS_INTERIOR ? losses[0] + losses[1] : losses[2];
    PetscCall(PINNGetPoints(par, s, &n, &x, NULL));
    PetscCall(PINNGetPointWeights(par, s, &w));
    PetscCall(PetscMalloc2(n, &r2, n * dim, &gr));
    PetscCall(PINNComputeResiduals(par, s, n, x, r2, gr));
    for (PetscInt p = 0; p < n; p++) sum += w[p] * r2[p];
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sum, 1, MPIU_REAL, MPIU_SUM, comm));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: (1/N) sum w_p r2[p] vs the term losses (relative)", PINNPointSets[s]));
    PetscCall(Report(comm, what, PetscAbsReal(sum / N - want) / want, 1e-12, &worst));
    /* grad_r2 against central differences with another step, at the first 20 points */
    {
      const PetscInt  m = PetscMin(n, 20);
      const PetscReal h = 1e-4;
      PetscReal       xs[2 * 20 * 2], rs[2 * 20], err = 0, scale = 0;
      for (PetscInt i = 0; i < dim; i++) {
        for (PetscInt p = 0; p < m; p++) {
          for (PetscInt k = 0; k < dim; k++) xs[p * dim + k] = xs[(m + p) * dim + k] = x[p * dim + k];
          xs[p * dim + i] += h;
          xs[(m + p) * dim + i] -= h;
        }
        PetscCall(PINNComputeResiduals(par, s, 2 * m, xs, rs, NULL));
        for (PetscInt p = 0; p < m; p++) {
          err   = PetscMax(err, PetscAbsReal((rs[p] - rs[m + p]) / (2 * h) - gr[p * dim + i]));
          scale = PetscMax(scale, PetscAbsReal(gr[p * dim + i]));
        }
      }
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &err, 1, MPIU_REAL, MPIU_MAX, comm));
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &scale, 1, MPIU_REAL, MPIU_MAX, comm));
      PetscCall(PetscSNPrintf(what, sizeof(what), "%s: grad_r2 vs central differences (relative)", PINNPointSets[s]));
      PetscCall(Report(comm, what, err / scale, 1e-5, &worst));
    }
    PetscCall(PINNRestorePointWeights(par, s, &w));
    PetscCall(PetscFree2(r2, gr));
  }

  /* checkpoint: both networks by name; a fresh PINN reads them back */
  {
    PINN      again;
    PetscReal f1, f2;
    Vec       v1, v2;
    PetscCall(VecCopy(X, theta)); /* the PINN's parameters are now X */
    PetscCall(PINNComputeLoss(par, &f1, NULL));
    PetscCall(PetscSNPrintf(file, sizeof(file), "test_pinn_networks_np%d.h5", size)); /* the rank counts run side by side */
    PetscCall(PINNWriteCheckpoint(par, file));
    PetscCall(Create(comm, &again));
    for (PINNPointSet s = PINN_POINTS_INTERIOR; s <= PINN_POINTS_BOUNDARY; s++) { /* the same weights */
      PetscReal *w, *w2;
      PetscCall(PINNGetPointWeights(par, s, &w));
      PetscCall(PINNGetPointWeights(again, s, &w2));
      PetscCall(PINNGetPointSetSizes(par, s, &n, NULL));
      PetscCall(PetscArraycpy(w2, w, n));
      PetscCall(PINNRestorePointWeights(par, s, &w));
      PetscCall(PINNRestorePointWeights(again, s, &w2));
    }
    PetscCall(PINNReadCheckpoint(again, file));
    PetscCall(PINNComputeLoss(again, &f2, NULL));
    PetscCall(PINNGetNetwork(par, "v", &nnv));
    PetscCall(NNGetParameters(nnv, &v1));
    PetscCall(PINNGetNetwork(again, "v", &nnv));
    PetscCall(NNGetParameters(nnv, &v2));
    PetscCall(VecAXPY(v2, -1.0, v1));
    PetscCall(VecNorm(v2, NORM_INFINITY, &dev));
    PetscCall(Report(comm, "checkpoint: network v read back (max difference)", dev, 1e-300, &worst));
    PetscCall(Report(comm, "checkpoint: loss after reading it back (relative)", PetscAbsReal(f2 - f1) / f1, 1e-15, &worst));
    PetscCall(PINNDestroy(&again));
  }
  /* a short training through the trainer: the loss goes down, and each network's own Vec holds its
     slice of the PINN's parameters afterwards */
  {
    PINN               t;
    PetscReal          f0, f1;
    Vec                all, vall, vv;
    const PetscScalar *a, *b;
    PetscInt           Pv;
    PetscCall(Create(comm, &t));
    PetscCall(PINNSetSteps(t, 20, 5));
    PetscCall(PINNSetMonitor(t, PETSC_FALSE, 1, NULL));
    PetscCall(PINNComputeLoss(t, &f0, NULL));
    PetscCall(PINNTrain(t));
    PetscCall(PINNComputeLoss(t, &f1, NULL));
    PetscCall(PetscPrintf(comm, "20 Adam + 5 L-BFGS steps: loss %.4e -> %.4e\n", (double)f0, (double)f1));
    PetscCall(Report(comm, "training: final loss / initial loss", f1 / f0, 0.9, &worst));
    PetscCall(PINNGetParameters(t, &theta));
    PetscCall(GatherAll(theta, &all));
    PetscCall(PINNGetNetwork(t, "v", &nnv));
    PetscCall(NNGetParameters(nnv, &vv));
    PetscCall(GatherAll(vv, &vall));
    PetscCall(VecGetSize(vv, &Pv));
    PetscCall(VecGetArrayRead(all, &a));
    PetscCall(VecGetArrayRead(vall, &b));
    dev = 0;
    for (PetscInt i = 0; i < Pv; i++) dev = PetscMax(dev, PetscAbsReal(a[P - Pv + i] - b[i]));
    PetscCall(VecRestoreArrayRead(all, &a));
    PetscCall(VecRestoreArrayRead(vall, &b));
    PetscCall(Report(comm, "after training: network v's Vec vs its slice (max difference)", dev, 1e-300, &worst));
    PetscCall(VecDestroy(&all));
    PetscCall(VecDestroy(&vall));
    PetscCall(PINNDestroy(&t));
  }
  PetscCall(PetscPrintf(comm, "two-network checks: worst ratio of deviation to tolerance %.3e\n", (double)worst));
  PetscCheck(worst <= 1, comm, PETSC_ERR_PLIB, "a check exceeded its tolerance (ratio %g)", (double)worst);
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&gs));
  PetscCall(VecDestroy(&Xs));
  PetscCall(VecDestroy(&gall));
  PetscCall(PINNDestroy(&par));
  PetscCall(PINNDestroy(&ser));
  PetscCall(PetscFinalize());
  return 0;
}

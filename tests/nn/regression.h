/* Shared by the optimizer and restart tests: least-squares fit of u(x) = sin(2 x0) cos(x1) on a
   point set sharded across ranks, as a TAO objective-and-gradient on the network parameters. */
#ifndef NNPDE_TEST_REGRESSION_H
#define NNPDE_TEST_REGRESSION_H

#include <nnpde.h>

typedef struct {
  NN         nn;
  PetscInt   n, N; /* local and global number of points */
  PetscReal *x, *target, *y, *ybar, *g;
} Regression;

static PetscErrorCode RegressionCreate(MPI_Comm comm, PetscInt N, uint64_t seed, Regression *r)
{
  PetscMPIInt    rank, size;
  const PetscInt widths[2] = {16, 16};
  PetscInt       lo, hi, P;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(NNCreate(comm, &r->nn));
  PetscCall(NNSetSizes(r->nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(r->nn, 2, widths));
  PetscCall(NNSetSeed(r->nn, seed));
  PetscCall(NNSetFromOptions(r->nn));
  PetscCall(NNSetUp(r->nn));
  PetscCall(NNGetNumParameters(r->nn, &P));
  lo = (N * rank) / size, hi = (N * (rank + 1)) / size;
  r->N = N, r->n = hi - lo;
  PetscCall(PetscMalloc5(2 * r->n, &r->x, r->n, &r->target, r->n, &r->y, r->n, &r->ybar, P, &r->g));
  PetscCall(NNRandomUniformArray(seed, 1, 2 * lo, 2 * r->n, r->x));
  for (PetscInt p = 0; p < r->n; p++) {
    r->x[2 * p] = 2 * r->x[2 * p] - 1, r->x[2 * p + 1] = 2 * r->x[2 * p + 1] - 1;
    r->target[p] = PetscSinReal(2 * r->x[2 * p]) * PetscCosReal(r->x[2 * p + 1]);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode RegressionDestroy(Regression *r)
{
  PetscFunctionBegin;
  PetscCall(PetscFree5(r->x, r->target, r->y, r->ybar, r->g));
  PetscCall(NNDestroy(&r->nn));
  PetscFunctionReturn(0);
}

/* Mean squared error and its gradient; X may be a line-search trial point, not the NN's own Vec. */
static PetscErrorCode RegressionObjGrad(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  Regression *r = (Regression *)ctx;
  Vec         theta;
  PetscInt    P;
  PetscReal   l = 0;

  PetscFunctionBegin;
  (void)tao;
  PetscCall(NNGetParameters(r->nn, &theta));
  if (X != theta) PetscCall(VecCopy(X, theta));
  PetscCall(NNGetNumParameters(r->nn, &P));
  PetscCall(NNForward(r->nn, r->n, r->x, r->y));
  for (PetscInt p = 0; p < r->n; p++) {
    const PetscReal e = r->y[p] - r->target[p];
    l += e * e / r->N;
    r->ybar[p] = 2 * e / r->N;
  }
  PetscCall(PetscArrayzero(r->g, P));
  PetscCall(NNBackward(r->nn, r->ybar, r->g, NULL));
  PetscCall(MPIU_Allreduce(&l, f, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)r->nn)));
  PetscCall(NNReduceGradient(r->nn, r->g, G));
  PetscFunctionReturn(0);
}

#endif

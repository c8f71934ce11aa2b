/* The KRnet flow (NN type krnet): round trip x -> z -> x, log-det against a central-difference
   Jacobian, every gradient against central differences (d log p/dx, the weighted d log p/d alpha,
   both AAS penalties' d/d alpha, NNBackward through value and derivative jets, NNForwardBackward),
   the density's integral over a 2-D box by tensor Gauss-Legendre quadrature, and log p, samples
   and the data-dependent actnorm initialization identical for any rank count.
   Points are split over the ranks; every error is the maximum over all of them. */
#include <nnpde.h>
#include <petscblaslapack.h>

typedef struct {
  PetscInt     d, step, depth, width, bins;
  PetscBool    rotation;
  NNActivation act;
} Config;

static PetscErrorCode MakeFlow(MPI_Comm comm, const Config *c, NN *nn)
{
  PetscReal lo[8], hi[8], *noise;
  PetscInt  n, rlo, rhi;
  Vec       P;

  PetscFunctionBegin;
  PetscCall(NNCreate(comm, nn));
  PetscCall(NNSetSizes(*nn, c->d, 1));
  PetscCall(NNSetType(*nn, NNKRNET));
  PetscCall(NNSetSeed(*nn, 7));
  PetscCall(NNKRnetSetArchitecture(*nn, c->step, c->depth, c->width));
  PetscCall(NNKRnetSetCDFBins(*nn, c->bins));
  PetscCall(NNKRnetSetRotation(*nn, c->rotation));
  PetscCall(NNKRnetSetActivation(*nn, c->act));
  for (PetscInt k = 0; k < c->d; k++) lo[k] = -1.0 - 0.1 * k, hi[k] = 1.0 + 0.2 * k;
  PetscCall(NNKRnetSetDomain(*nn, lo, hi));
  PetscCall(NNSetFromOptions(*nn));
  PetscCall(NNSetUp(*nn));
  /* every layer away from its identity initialization (the last entry is the actnorm flag) */
  PetscCall(NNGetParameters(*nn, &P));
  PetscCall(NNGetNumParameters(*nn, &n));
  PetscCall(PetscMalloc1(n, &noise));
  PetscCall(NNRandomNormalArray(99, 0, 0, n, noise));
  PetscCall(VecGetOwnershipRange(P, &rlo, &rhi));
  for (PetscInt i = rlo; i < PetscMin(rhi, n - 1); i++) PetscCall(VecSetValue(P, i, 0.15 * noise[i], ADD_VALUES));
  PetscCall(VecAssemblyBegin(P));
  PetscCall(VecAssemblyEnd(P));
  PetscCall(PetscFree(noise));
  PetscFunctionReturn(0);
}

/* n points inside the box (margin: 5% of each side), global indices first.. */
static PetscErrorCode Points(NN nn, uint64_t stream, uint64_t first, PetscInt n, PetscReal x[])
{
  const PetscReal *lo, *hi;
  PetscInt         d;

  PetscFunctionBegin;
  PetscCall(NNGetSizes(nn, &d, NULL));
  PetscCall(NNKRnetGetDomain(nn, &lo, &hi));
  PetscCall(NNRandomUniformArray(1234, stream, first * d, n * d, x));
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt k = 0; k < d; k++) x[p * d + k] = lo[k] + (hi[k] - lo[k]) * (0.05 + 0.9 * x[p * d + k]);
  PetscFunctionReturn(0);
}

static PetscErrorCode SetParam(Vec P, PetscInt i, PetscReal v)
{
  PetscFunctionBegin;
  PetscCall(VecSetValue(P, i, v, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(P));
  PetscCall(VecAssemblyEnd(P));
  PetscFunctionReturn(0);
}

static PetscErrorCode GetParam(Vec P, PetscInt i, PetscReal *v)
{
  PetscInt  lo, hi;
  PetscReal mine = 0;

  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(P, &lo, &hi));
  if (i >= lo && i < hi) {
    const PetscScalar *a;
    PetscCall(VecGetArrayRead(P, &a));
    mine = a[i - lo];
    PetscCall(VecRestoreArrayRead(P, &a));
  }
  PetscCall(MPIU_Allreduce(&mine, v, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)P)));
  PetscFunctionReturn(0);
}

static PetscReal LogAbsDet(PetscInt d, PetscReal *J)
{
  PetscReal s = 0;
  for (PetscInt c = 0; c < d; c++) { /* Gaussian elimination with partial pivoting */
    PetscInt piv = c;
    for (PetscInt r = c + 1; r < d; r++)
      if (PetscAbsReal(J[r * d + c]) > PetscAbsReal(J[piv * d + c])) piv = r;
    for (PetscInt k = 0; k < d; k++) {
      const PetscReal t = J[c * d + k];
      J[c * d + k]      = J[piv * d + k];
      J[piv * d + k]    = t;
    }
    s += PetscLogReal(PetscAbsReal(J[c * d + c]));
    for (PetscInt r = c + 1; r < d; r++) {
      const PetscReal f = J[r * d + c] / J[c * d + c];
      for (PetscInt k = c; k < d; k++) J[r * d + k] -= f * J[c * d + k];
    }
  }
  return s;
}

/* this rank's slice [lo, hi) of N points */
static void Slice(PetscInt N, PetscInt *lo, PetscInt *hi)
{
  PetscMPIInt rank, size;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  *lo = (N * rank) / size;
  *hi = (N * (rank + 1)) / size;
}

static PetscErrorCode MaxAll(PetscReal *e)
{
  PetscReal m;
  PetscFunctionBegin;
  PetscCall(MPIU_Allreduce(e, &m, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  *e = m;
  PetscFunctionReturn(0);
}

/* round trip and log-det against a numerical Jacobian */
static PetscErrorCode TestMaps(const Config *c, PetscReal *err_rt, PetscReal *err_ld)
{
  NN              nn;
  const PetscInt  N = 60, d = c->d;
  PetscInt        lo, hi, n;
  PetscReal      *x, *z, *xr, *zr, *ld, *xp, *zp, *zm, J[64];
  const PetscReal h = 1e-6;

  PetscFunctionBegin;
  PetscCall(MakeFlow(PETSC_COMM_WORLD, c, &nn));
  Slice(N, &lo, &hi);
  n = hi - lo;
  PetscCall(PetscMalloc4(n * d + 1, &x, n * d + 1, &z, n * d + 1, &xr, n * d + 1, &zr));
  PetscCall(PetscMalloc4(n + 1, &ld, d, &xp, d, &zp, d, &zm));
  PetscCall(Points(nn, 1, lo, n, x));
  PetscCall(NNKRnetInitializeActNorm(nn, n, x));
  PetscCall(NNKRnetTransform(nn, n, x, z, ld));
  PetscCall(NNKRnetInverse(nn, n, z, xr));
  PetscCall(NNKRnetTransform(nn, n, xr, zr, NULL));
  *err_rt = 0;
  for (PetscInt i = 0; i < n * d; i++)
    *err_rt = PetscMax(*err_rt, PetscMax(PetscAbsReal(xr[i] - x[i]), PetscAbsReal(zr[i] - z[i]) / (1 + PetscAbsReal(z[i]))));
  *err_ld = 0;
  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt k = 0; k < d; k++) {
      for (PetscInt j = 0; j < d; j++) xp[j] = x[p * d + j];
      xp[k] = x[p * d + k] + h;
      PetscCall(NNKRnetTransform(nn, 1, xp, zp, NULL));
      xp[k] = x[p * d + k] - h;
      PetscCall(NNKRnetTransform(nn, 1, xp, zm, NULL));
      for (PetscInt j = 0; j < d; j++) J[j * d + k] = (zp[j] - zm[j]) / (2 * h);
    }
    *err_ld = PetscMax(*err_ld, PetscAbsReal(LogAbsDet(d, J) - ld[p]) / (1 + PetscAbsReal(ld[p])));
  }
  PetscCall(MaxAll(err_rt));
  PetscCall(MaxAll(err_ld));
  PetscCall(PetscFree4(x, z, xr, zr));
  PetscCall(PetscFree4(ld, xp, zp, zm));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

typedef struct {
  PetscInt   nb;
  PetscReal *ybar;
  PetscInt   S, n;
} FBCtx;

static PetscErrorCode Adjoint(void *ctx, PetscInt first, PetscInt nt, const PetscReal y[], PetscReal ybar[])
{
  FBCtx *c = (FBCtx *)ctx;
  PetscFunctionBegin;
  (void)y;
  for (PetscInt s = 0; s < c->S; s++)
    for (PetscInt p = 0; p < nt; p++) ybar[s * nt + p] = c->ybar[s * c->n + first + p];
  PetscFunctionReturn(0);
}

/* L = sum ybar . jets (value and d/dx_0, d/dx_last) */
static PetscErrorCode JetObjective(NN nn, PetscInt n, const PetscReal x[], const PetscReal ybar[], PetscInt S, PetscReal *L)
{
  PetscReal *y, s = 0;
  PetscFunctionBegin;
  PetscCall(PetscMalloc1(S * n + 1, &y));
  PetscCall(NNForward(nn, n, x, y));
  for (PetscInt i = 0; i < S * n; i++) s += ybar[i] * y[i];
  *L = s;
  PetscCall(PetscFree(y));
  PetscFunctionReturn(0);
}

/* gradients against central differences; errors relative to the largest gradient entry */
static PetscErrorCode TestGradients(const Config *c, PetscReal err[6])
{
  NN              nn;
  const PetscInt  N = 9, d = c->d;
  PetscInt        lo, hi, n, np, S, deriv[2] = {0, c->d - 1};
  PetscReal      *x, *w, *gx, *lp, *g[5], *fd[5], *ybar, *xbar, *xbar2, *xs, gmax[5], val, vp, vm;
  Vec             P;
  const PetscReal h = 1e-6;
  FBCtx           fb;

  PetscFunctionBegin;
  PetscCall(MakeFlow(PETSC_COMM_WORLD, c, &nn));
  PetscCall(NNSetJets(nn, 2, deriv, 0, NULL, 0, NULL));
  PetscCall(NNGetNumJets(nn, &S));
  PetscCall(NNGetParameters(nn, &P));
  PetscCall(NNGetNumParameters(nn, &np));
  Slice(N, &lo, &hi);
  n = hi - lo;
  PetscCall(PetscMalloc4(n * d + 1, &x, n + 1, &w, n * d + 1, &gx, n + 1, &lp));
  PetscCall(PetscMalloc4(S * n + 1, &ybar, n * d + 1, &xbar, n * d + 1, &xbar2, d, &xs));
  for (PetscInt t = 0; t < 5; t++) PetscCall(PetscCalloc2(np, &g[t], np, &fd[t]));
  PetscCall(Points(nn, 2, lo, n, x));
  PetscCall(NNKRnetInitializeActNorm(nn, n, x));
  PetscCall(NNRandomUniformArray(5, 3, lo, n, w));
  PetscCall(NNRandomNormalArray(5, 4, lo * S, S * n, ybar)); /* not the global layout, but fixed per rank */

  /* d log p / dx */
  PetscCall(NNKRnetLogDensityGradient(nn, n, x, lp, gx));
  err[0] = 0;
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt k = 0; k < d; k++) {
      PetscReal xp[8];
      for (PetscInt j = 0; j < d; j++) xp[j] = x[p * d + j];
      xp[k] += h;
      PetscCall(NNKRnetLogDensity(nn, 1, xp, &vp));
      xp[k] -= 2 * h;
      PetscCall(NNKRnetLogDensity(nn, 1, xp, &vm));
      err[0] = PetscMax(err[0], PetscAbsReal(gx[p * d + k] - (vp - vm) / (2 * h)) / (1 + PetscAbsReal(gx[p * d + k])));
    }

  /* parameter gradients: weighted log p, the two penalties, the jets through NNBackward and NNForwardBackward */
  PetscCall(NNKRnetWeightedLogDensity(nn, n, x, w, &val, g[0]));
  PetscCall(NNKRnetPenalty(nn, NNKRNET_PENALTY_GRAD_P, n, x, w, &val, g[1]));
  PetscCall(NNKRnetPenalty(nn, NNKRNET_PENALTY_GRAD_LOGP, n, x, w, &val, g[2]));
  {
    PetscReal *y;
    PetscCall(PetscMalloc1(S * n + 1, &y));
    PetscCall(NNForward(nn, n, x, y));
    PetscCall(NNBackward(nn, ybar, g[3], xbar));
    PetscCall(PetscFree(y));
  }
  fb.ybar = ybar, fb.S = S, fb.n = n;
  PetscCall(NNForwardBackward(nn, n, x, Adjoint, &fb, g[4], xbar2));
  for (PetscInt i = 0; i < np; i++) {
    PetscReal v0, f[5][2];
    PetscCall(GetParam(P, i, &v0));
    for (PetscInt sgn = 0; sgn < 2; sgn++) {
      PetscCall(SetParam(P, i, v0 + (sgn ? -h : h)));
      PetscCall(NNKRnetWeightedLogDensity(nn, n, x, w, &f[0][sgn], NULL));
      PetscCall(NNKRnetPenalty(nn, NNKRNET_PENALTY_GRAD_P, n, x, w, &f[1][sgn], NULL));
      PetscCall(NNKRnetPenalty(nn, NNKRNET_PENALTY_GRAD_LOGP, n, x, w, &f[2][sgn], NULL));
      PetscCall(JetObjective(nn, n, x, ybar, S, &f[3][sgn]));
    }
    PetscCall(SetParam(P, i, v0));
    for (PetscInt t = 0; t < 4; t++) fd[t][i] = (f[t][0] - f[t][1]) / (2 * h);
    fd[4][i] = fd[3][i];
  }
  for (PetscInt t = 0; t < 5; t++) {
    PetscReal e = 0;
    gmax[t]     = 0;
    for (PetscInt i = 0; i < np; i++) gmax[t] = PetscMax(gmax[t], PetscAbsReal(fd[t][i]));
    PetscCall(MaxAll(&gmax[t]));
    for (PetscInt i = 0; i < np; i++) e = PetscMax(e, PetscAbsReal(g[t][i] - fd[t][i]));
    PetscCheck(g[t][np - 1] == 0.0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "The actnorm flag got a gradient %g", (double)g[t][np - 1]);
    err[1 + PetscMin(t, 3)] = PetscMax(t == 4 ? err[4] : 0.0, e / gmax[t]);
  }
  /* xbar of the jets against differences in x, and the fused path against the plain one */
  err[5] = 0;
  for (PetscInt p = 0; p < n; p++)
    for (PetscInt k = 0; k < d; k++) {
      PetscReal *xp, Lp, Lm;
      PetscCall(PetscMalloc1(n * d, &xp));
      PetscCall(PetscArraycpy(xp, x, n * d));
      xp[p * d + k] += h;
      PetscCall(JetObjective(nn, n, xp, ybar, S, &Lp));
      xp[p * d + k] -= 2 * h;
      PetscCall(JetObjective(nn, n, xp, ybar, S, &Lm));
      PetscCall(PetscFree(xp));
      err[5] = PetscMax(err[5], PetscAbsReal(xbar[p * d + k] - (Lp - Lm) / (2 * h)) / (1 + PetscAbsReal(xbar[p * d + k])));
      err[5] = PetscMax(err[5], PetscAbsReal(xbar2[p * d + k] - xbar[p * d + k]) / (1 + PetscAbsReal(xbar[p * d + k])));
    }
  for (PetscInt t = 0; t < 6; t++) PetscCall(MaxAll(&err[t]));
  for (PetscInt t = 0; t < 5; t++) PetscCall(PetscFree2(g[t], fd[t]));
  PetscCall(PetscFree4(x, w, gx, lp));
  PetscCall(PetscFree4(ybar, xbar, xbar2, xs));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

/* integral of p over the 2-D box: composite Gauss-Legendre, npanel panels of 8 nodes per axis */
static PetscErrorCode TestQuadrature(const Config *c, PetscInt npanel, PetscReal *err)
{
  static const PetscReal gx[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
  static const PetscReal gw[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};
  NN                     nn;
  const PetscReal       *lo, *hi;
  PetscReal              node[2048], wt[2048], *x, *lp, sum = 0, total;
  PetscInt               m = 8 * npanel, lo1, hi1, n;

  PetscFunctionBegin;
  PetscCheck(c->d == 2 && m <= 1024, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "quadrature test is 2-D, at most 128 panels");
  PetscCall(MakeFlow(PETSC_COMM_WORLD, c, &nn));
  PetscCall(NNKRnetGetDomain(nn, &lo, &hi));
  Slice(m * m, &lo1, &hi1);
  n = hi1 - lo1;
  PetscCall(PetscMalloc2(2 * n + 1, &x, n + 1, &lp));
  for (PetscInt k = 0; k < 2; k++) {
    PetscReal hk = (hi[k] - lo[k]) / npanel;
    for (PetscInt q = 0; q < npanel; q++)
      for (PetscInt j = 0; j < 8; j++) {
        const PetscReal t = j < 4 ? -gx[3 - j] : gx[j - 4], ww = j < 4 ? gw[3 - j] : gw[j - 4];
        node[k * 1024 + q * 8 + j] = lo[k] + hk * (q + 0.5 * (t + 1));
        wt[k * 1024 + q * 8 + j]   = 0.5 * hk * ww;
      }
  }
  for (PetscInt i = lo1; i < hi1; i++) {
    x[2 * (i - lo1)]     = node[i / m];
    x[2 * (i - lo1) + 1] = node[1024 + i % m];
  }
  PetscCall(NNKRnetLogDensity(nn, n, x, lp));
  for (PetscInt i = lo1; i < hi1; i++) sum += wt[i / m] * wt[1024 + i % m] * PetscExpReal(lp[i - lo1]);
  PetscCall(MPIU_Allreduce(&sum, &total, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  *err = PetscAbsReal(total - 1.0);
  PetscCall(PetscFree2(x, lp));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

/* log p, samples and actnorm initialization: this rank's slice equals the serial computation bit for bit */
static PetscErrorCode TestRanks(const Config *c, PetscReal *checksum)
{
  NN             nn, serial;
  const PetscInt N = 101, d = c->d;
  PetscInt       lo, hi, n, np;
  PetscReal     *xall, *lpall, *sall, *slpall, *x, *lp, *s, *slp;
  NNRandom       rnd;
  Vec            P, Ps, Pseq;
  VecScatter     sc;

  PetscFunctionBegin;
  PetscCall(MakeFlow(PETSC_COMM_WORLD, c, &nn));
  PetscCall(MakeFlow(PETSC_COMM_SELF, c, &serial));
  Slice(N, &lo, &hi);
  n = hi - lo;
  PetscCall(PetscMalloc4(N * d, &xall, N, &lpall, N * d, &sall, N, &slpall));
  PetscCall(PetscMalloc4(n * d + 1, &x, n + 1, &lp, n * d + 1, &s, n + 1, &slp));
  PetscCall(Points(nn, 6, 0, N, xall));
  PetscCall(Points(nn, 6, lo, n, x));
  PetscCall(NNKRnetInitializeActNorm(serial, N, xall));
  PetscCall(NNKRnetInitializeActNorm(nn, n, x));
  /* the distributed parameters after initialization against the serial ones */
  PetscCall(NNGetParameters(nn, &P));
  PetscCall(NNGetParameters(serial, &Ps));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(VecScatterCreateToAll(P, &sc, &Pseq));
  PetscCall(VecScatterBegin(sc, P, Pseq, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, P, Pseq, INSERT_VALUES, SCATTER_FORWARD));
  {
    const PetscScalar *a, *b;
    PetscCall(VecGetArrayRead(Pseq, &a));
    PetscCall(VecGetArrayRead(Ps, &b));
    for (PetscInt i = 0; i < np; i++)
      PetscCheck(a[i] == b[i], PETSC_COMM_SELF, PETSC_ERR_PLIB, "Parameter %" PetscInt_FMT " after actnorm initialization depends on the rank count",
                 i);
    PetscCheck(a[np - 1] == 1.0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "Actnorm flag not set");
    PetscCall(VecRestoreArrayRead(Pseq, &a));
    PetscCall(VecRestoreArrayRead(Ps, &b));
  }
  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&Pseq));
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &rnd));
  PetscCall(NNRandomSetSeed(rnd, 2024));
  PetscCall(NNKRnetLogDensity(serial, N, xall, lpall));
  PetscCall(NNKRnetSample(serial, rnd, 3, 0, N, sall, slpall));
  PetscCall(NNForward(nn, n, x, lp));
  PetscCall(NNKRnetSample(nn, rnd, 3, lo, n, s, slp));
  for (PetscInt p = 0; p < n; p++) {
    PetscCheck(lp[p] == lpall[lo + p] && slp[p] == slpall[lo + p], PETSC_COMM_SELF, PETSC_ERR_PLIB,
               "log p at point %" PetscInt_FMT " depends on the rank count", lo + p);
    for (PetscInt k = 0; k < d; k++)
      PetscCheck(s[p * d + k] == sall[(lo + p) * d + k], PETSC_COMM_SELF, PETSC_ERR_PLIB, "Sample %" PetscInt_FMT " depends on the rank count",
                 lo + p);
    PetscCheck(PetscIsNormalReal(slp[p]), PETSC_COMM_SELF, PETSC_ERR_PLIB, "Sample %" PetscInt_FMT " has log p %g", lo + p, (double)slp[p]);
  }
  *checksum = 0;
  for (PetscInt p = 0; p < N; p++) *checksum += lpall[p] + slpall[p] + sall[p * d];
  PetscCall(NNRandomDestroy(&rnd));
  PetscCall(PetscFree4(xall, lpall, sall, slpall));
  PetscCall(PetscFree4(x, lp, s, slp));
  PetscCall(NNDestroy(&nn));
  PetscCall(NNDestroy(&serial));
  PetscFunctionReturn(0);
}

/* the parameter counts of the DAS code's defaults (aas.md: 4,251 at d = 2, 46,527 at d = 10), plus the flag */
static PetscErrorCode TestCounts(void)
{
  const PetscInt dims[2] = {2, 10}, expect[2] = {4251, 46527};

  PetscFunctionBegin;
  for (PetscInt i = 0; i < 2; i++) {
    NN       nn;
    PetscInt np;
    PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
    PetscCall(NNSetSizes(nn, dims[i], 1));
    PetscCall(NNSetType(nn, NNKRNET));
    PetscCall(NNSetUp(nn));
    PetscCall(NNGetNumParameters(nn, &np));
    PetscCheck(np == expect[i] + 1, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
               "d = %" PetscInt_FMT ": %" PetscInt_FMT " parameters, expected %" PetscInt_FMT " + 1", dims[i], np, expect[i]);
    PetscCall(NNDestroy(&nn));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "default architecture: 4251 (d = 2) and 46527 (d = 10) parameters + the actnorm flag\n"));
  PetscFunctionReturn(0);
}

/* a checkpoint of the NN restores the parameters with the actnorm flag: same log p, bit for bit */
static PetscErrorCode TestCheckpoint(const Config *c)
{
  NN           nn, back;
  NNCheckpoint ck;
  PetscInt     n = 7;
  PetscReal    x[7 * 8], lp[7], lp2[7];
  PetscBool    init;
  PetscMPIInt  size;
  char         file[64];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "krnet_checkpoint_np%d.h5", (int)size));
  PetscCall(MakeFlow(PETSC_COMM_WORLD, c, &nn));
  PetscCall(Points(nn, 8, 0, n, x));
  PetscCall(NNKRnetInitializeActNorm(nn, n, x));
  PetscCall(NNKRnetLogDensity(nn, n, x, lp));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, "flow", nn));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(MakeFlow(PETSC_COMM_WORLD, c, &back)); /* same architecture, other parameters, flag unset */
  PetscCall(NNKRnetGetActNormInitialized(back, &init));
  PetscCheck(!init, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "fresh flow claims an initialized actnorm");
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ck));
  PetscCall(NNCheckpointReadNN(ck, "flow", back));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(NNKRnetGetActNormInitialized(back, &init));
  PetscCheck(init, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the checkpoint lost the actnorm flag");
  PetscCall(NNKRnetLogDensity(back, n, x, lp2));
  for (PetscInt p = 0; p < n; p++)
    PetscCheck(lp[p] == lp2[p], PETSC_COMM_WORLD, PETSC_ERR_PLIB, "log p after the checkpoint differs at point %" PetscInt_FMT, p);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "checkpoint round trip: actnorm flag and log p restored exactly\n"));
  PetscCall(NNDestroy(&nn));
  PetscCall(NNDestroy(&back));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  /* d = 2 and 3 with one coordinate per stage, d = 5 with two, with and without rotation */
  const Config cfg[3] = {
      {2, 1, 2, 6, 8, PETSC_FALSE, NN_ACTIVATION_TANH},
      {3, 1, 2, 6, 8, PETSC_TRUE, NN_ACTIVATION_TANH},
      {5, 2, 2, 5, 6, PETSC_TRUE, NN_ACTIVATION_TANH},
  };
  const Config qcfg[2] = {
      {2, 1, 3, 8, 16, PETSC_FALSE, NN_ACTIVATION_TANH},
      {2, 1, 2, 8, 8, PETSC_TRUE, NN_ACTIVATION_RELU},
  };
  PetscReal rt = 0, ld = 0, ge[6] = {0}, q = 0, cs = 0;
  PetscInt  npanel = 32;
  PetscReal qtol   = 2e-4;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-panels", &npanel, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-quad_tol", &qtol, NULL));
  PetscCall(TestCounts());
  PetscCall(TestCheckpoint(&cfg[1]));
  for (PetscInt i = 0; i < 3; i++) {
    PetscReal a, b, e[6];
    PetscCall(TestMaps(&cfg[i], &a, &b));
    rt = PetscMax(rt, a), ld = PetscMax(ld, b);
    PetscCall(TestGradients(&cfg[i], e));
    for (PetscInt t = 0; t < 6; t++) ge[t] = PetscMax(ge[t], e[t]);
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "round trip x -> z -> x: max error %.1e\n", (double)rt));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "log-det vs central-difference Jacobian: max relative error %.1e\n", (double)ld));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "d log p/dx vs differences: %.1e\n", (double)ge[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "d/dalpha vs differences: weighted log p %.1e, |grad p|^2 %.1e, |grad log p|^2 %.1e, jets (NNBackward, fused) %.1e\n",
                        (double)ge[1], (double)ge[2], (double)ge[3], (double)ge[4]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "d/dx of the jets vs differences: %.1e\n", (double)ge[5]));
  PetscCheck(rt < 1e-12, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "round trip error %g >= 1e-12", (double)rt);
  PetscCheck(ld < 1e-7, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "log-det error %g >= 1e-7", (double)ld);
  for (PetscInt t = 0; t < 6; t++)
    PetscCheck(ge[t] < 1e-6, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "gradient check %" PetscInt_FMT ": error %g >= 1e-6", t, (double)ge[t]);
  for (PetscInt i = 0; i < 2; i++) {
    PetscReal e;
    PetscCall(TestQuadrature(&qcfg[i], npanel, &e));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %s couplings%s: |integral - 1| = %.1e\n", NNActivations[qcfg[i].act],
                          qcfg[i].rotation ? ", rotation" : "", (double)e));
    q = PetscMax(q, e);
  }
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "|integral of p over the box - 1| (%" PetscInt_FMT "^2 Gauss-Legendre nodes): %.1e\n", 8 * npanel, (double)q));
  PetscCheck(q < qtol, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "density integrates to 1 + %g (-quad_tol %g)", (double)q, (double)qtol);
  PetscCall(TestRanks(&cfg[1], &cs));
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "log p, samples and actnorm initialization identical to the serial computation; checksum %.12e\n", (double)cs));
  PetscCall(PetscFinalize());
  return 0;
}

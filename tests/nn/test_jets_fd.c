/* Finite-difference checks of every jet of the MLP (value, first and second derivatives, mixed
   derivatives, Laplacian, and the Laplacian stream as a weighted operator with a drift), of dL/dtheta
   and of dL/dx, for every activation and embedding, with and without an output transform, in 1, 2
   and 10 dimensions. Each derivative stream is compared with
   a fourth-order central difference of the analytic stream one order below; the value stream with
   a naive evaluation written out here. The parameter Vec is distributed, so at 2 ranks the
   gradient goes through NNReduceGradient. Tolerance: 1e-6 relative (max norm over each stream). */
#include <nnpde.h>

#define TOL 1e-6

typedef struct {
  PetscReal a[16], b[16];
} TransformCtx;

/* g = c_o sin(b.x), phi = exp(c_o a.x) with all derivatives to third order */
static PetscErrorCode Transform(void *vctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  TransformCtx  *ctx = (TransformCtx *)vctx;
  const PetscInt jt  = 1 + d + d * d + (order >= 3 ? d * d * d : 0);

  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt o = 0; o < m; o++) {
      const PetscReal c = 1.0 + 0.5 * o;
      PetscReal       u = 0, v = 0, *G = &g[(p * m + o) * jt], *F = &phi[(p * m + o) * jt];
      for (PetscInt k = 0; k < d; k++) u += ctx->b[k] * x[p * d + k], v += c * ctx->a[k] * x[p * d + k];
      const PetscReal s = c * PetscSinReal(u), co = c * PetscCosReal(u), e = PetscExpReal(v);
      G[0] = s, F[0] = e;
      for (PetscInt i = 0; i < d; i++) {
        G[1 + i] = co * ctx->b[i], F[1 + i] = e * c * ctx->a[i];
        for (PetscInt j = 0; j < d; j++) {
          G[1 + d + i * d + j] = -s * ctx->b[i] * ctx->b[j];
          F[1 + d + i * d + j] = e * c * c * ctx->a[i] * ctx->a[j];
          if (order >= 3)
            for (PetscInt k = 0; k < d; k++) {
              G[1 + d + d * d + (i * d + j) * d + k] = -co * ctx->b[i] * ctx->b[j] * ctx->b[k];
              F[1 + d + d * d + (i * d + j) * d + k] = e * c * c * c * ctx->a[i] * ctx->a[j] * ctx->a[k];
            }
        }
      }
    }
  }
  return 0;
}

/* keep the largest error of each kind and the configuration where it happened */
static void Record(PetscReal worst[], char wcfg[][128], PetscInt i, PetscReal e, const char cfg[])
{
  if (e > worst[i] || PetscIsNanReal(e)) {
    worst[i] = PetscIsNanReal(e) ? PETSC_MAX_REAL : e;
    snprintf(wcfg[i], 128, "%s", cfg);
  }
}

typedef struct {
  NN        nn;
  PetscInt  d, m, n, S;
  PetscReal h;
} Setup;

/* Fourth-order central difference of the jets along input k, all points moved together */
static PetscErrorCode FDJets(Setup *s, const PetscReal x[], PetscInt k, PetscReal fd[])
{
  const PetscInt  N    = s->m * s->S * s->n;
  const PetscReal w[4] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12}, off[4] = {-2, -1, 1, 2};
  PetscReal      *xp, *y;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(s->n * s->d, &xp, N, &y));
  PetscCall(PetscArrayzero(fd, N));
  for (PetscInt q = 0; q < 4; q++) {
    PetscCall(PetscArraycpy(xp, x, s->n * s->d));
    for (PetscInt p = 0; p < s->n; p++) xp[p * s->d + k] += off[q] * s->h;
    PetscCall(NNForward(s->nn, s->n, xp, y));
    for (PetscInt i = 0; i < N; i++) fd[i] += w[q] * y[i] / s->h;
  }
  PetscCall(PetscFree2(xp, y));
  PetscFunctionReturn(0);
}

/* max_i |a_i - b_i| / max_i |b_i| over one stream (absolute when the stream vanishes) */
static PetscReal StreamError(const Setup *s, const PetscReal a[], PetscInt sa, const PetscReal b[], PetscInt sb)
{
  const PetscInt blk = s->m * s->n;
  PetscReal      num = 0, den = 0;
  for (PetscInt i = 0; i < blk; i++) {
    num = PetscMax(num, PetscAbsReal(a[sa * blk + i] - b[sb * blk + i]));
    den = PetscMax(den, PetscAbsReal(b[sb * blk + i]));
  }
  return den > 1e-10 ? num / den : num;
}

/* Loss L = sum_i c_i y_i + y_i^2 / 2 over the local points; ybar = c + y */
static PetscErrorCode Loss(Setup *s, const PetscReal x[], const PetscReal c[], PetscReal *L, PetscReal ybar[])
{
  const PetscInt N = s->m * s->S * s->n;
  PetscReal     *y, l = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(N, &y));
  PetscCall(NNForward(s->nn, s->n, x, y));
  for (PetscInt i = 0; i < N; i++) {
    l += c[i] * y[i] + 0.5 * y[i] * y[i];
    if (ybar) ybar[i] = c[i] + y[i];
  }
  *L = l;
  PetscCall(PetscFree(y));
  PetscFunctionReturn(0);
}

static PetscErrorCode GlobalLoss(Setup *s, const PetscReal x[], const PetscReal c[], PetscReal *L)
{
  PetscReal l;

  PetscFunctionBegin;
  PetscCall(Loss(s, x, c, &l, NULL));
  PetscCall(MPIU_Allreduce(&l, L, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)s->nn)));
  PetscFunctionReturn(0);
}

/* Naive value of the network at x (identity or periodic embedding, no transform) */
static PetscErrorCode NaiveValue(NN nn, PetscInt nh, const PetscInt widths[], NNActivation act, PetscBool periodic, PetscInt d, PetscInt m,
                                 const PetscReal th[], const PetscReal x[], PetscReal out[])
{
  PetscReal a[64], z[64];
  PetscInt  nin = 0, off = 0;

  PetscFunctionBegin;
  (void)nn;
  for (PetscInt k = 0; k < d; k++) {
    if (periodic && k == 0)
      a[nin++] = PetscCosReal(x[k]), a[nin++] = PetscSinReal(x[k]);
    else
      a[nin++] = x[k];
  }
  for (PetscInt l = 0; l <= nh; l++) {
    const PetscInt nout = l < nh ? widths[l] : m;
    for (PetscInt r = 0; r < nout; r++) {
      z[r] = th[off + nout * nin + r];
      for (PetscInt c = 0; c < nin; c++) z[r] += th[off + r * nin + c] * a[c];
    }
    off += nout * nin + nout;
    for (PetscInt r = 0; r < nout; r++) {
      PetscReal s0, s1, s2, s3;
      if (l == nh) {
        a[r] = z[r];
        continue;
      }
      switch (act) {
      case NN_ACTIVATION_TANH:
        s0 = tanh(z[r]);
        break;
      case NN_ACTIVATION_SIN:
        s0 = sin(z[r]);
        break;
      case NN_ACTIVATION_SOFTPLUS:
        s0 = log(1 + exp(z[r]));
        break;
      case NN_ACTIVATION_GELU:
        s0 = 0.5 * z[r] * (1 + erf(z[r] / sqrt(2.0)));
        break;
      default:
        s0 = z[r] > 0 ? z[r] : 0;
      }
      (void)s1, (void)s2, (void)s3;
      a[r] = s0;
    }
    nin = nout;
  }
  for (PetscInt o = 0; o < m; o++) out[o] = a[o];
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscMPIInt    rank;
  PetscReal      worst[6] = {0}; /* value, d1, d2, lap, theta, x */
  const char    *what[6]  = {"value", "first derivatives", "second derivatives", "Laplacian", "dL/dtheta", "dL/dx"};
  char           wcfg[6][128];
  PetscInt       nconfig = 0;
  const PetscInt dims[3] = {1, 2, 10};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  for (PetscInt di = 0; di < 3; di++) {
    for (PetscInt act = 0; act <= NN_ACTIVATION_RELU; act++) {
      for (PetscInt emb = 0; emb < 3; emb++) {
        for (PetscInt tr = 0; tr < 4; tr++) { /* tr % 2: output transform; tr / 2: the operator (weights, drift) */
          const PetscInt  d = dims[di], m = 2, n = 3, widths[2] = {7, 6};
          Setup           s = {.d = d, .m = m, .n = n, .h = act == NN_ACTIVATION_RELU ? 1e-5 : emb == 2 ? 4e-4 : 2e-3};
          TransformCtx    tc;
          const PetscBool op = (PetscBool)(tr / 2);
          PetscInt        deriv[3], nderiv, pairs[6], npairs, lap[10], nlap, N, P;
          PetscReal       lapw[10], drift[10], *x, *y, *fd, *c, *ybar, *gl, *xbar, L;
          Vec             theta, G, v;
          char            cfg[128];

          PetscCall(PetscSNPrintf(cfg, sizeof(cfg), "d=%d %s %s%s%s", (int)d, NNActivations[act],
                                  emb == 0   ? "identity"
                                  : emb == 1 ? "periodic"
                                             : "fourier",
                                  tr % 2 ? " transform" : "", op ? " operator" : ""));
          /* jets: d=1 everything; d=2 all second derivatives; d=10 a few, Laplacian over inputs 1..9 */
          if (d == 1) {
            nderiv = 1, deriv[0] = 0, npairs = 1, pairs[0] = pairs[1] = 0, nlap = PETSC_DETERMINE;
          } else if (d == 2) {
            nderiv = 2, deriv[0] = 1, deriv[1] = 0, npairs = 3, nlap = PETSC_DETERMINE;
            pairs[0] = 0, pairs[1] = 0, pairs[2] = 0, pairs[3] = 1, pairs[4] = 1, pairs[5] = 1;
          } else {
            nderiv = 2, deriv[0] = 0, deriv[1] = 3, npairs = 3, nlap = 9;
            pairs[0] = 0, pairs[1] = 0, pairs[2] = 0, pairs[3] = 3, pairs[4] = 3, pairs[5] = 7;
            for (PetscInt k = 0; k < 9; k++) lap[k] = k + 1;
          }
          for (PetscInt k = 0; k < 16; k++) tc.a[k] = 0.3 * PetscSinReal(1.0 + k), tc.b[k] = 0.7 * PetscCosReal(2.0 + k);
          /* the operator: weights of both signs, a drift on every input (on input 0 too, which the
             second-order part leaves out at d = 10) */
          for (PetscInt k = 0; k < 10; k++) lapw[k] = 1.3 * PetscCosReal(0.7 + 2.0 * k), drift[k] = 0.9 * PetscSinReal(0.4 + 1.5 * k);
          if (op && d == 2 && emb == 0) nlap = 0; /* a drift alone: the stream is drift . grad u */

          PetscCall(NNCreate(PETSC_COMM_WORLD, &s.nn));
          PetscCall(NNSetSizes(s.nn, d, m));
          PetscCall(NNMLPSetHiddenLayers(s.nn, 2, widths));
          PetscCall(NNMLPSetActivation(s.nn, (NNActivation)act));
          PetscCall(NNSetSeed(s.nn, 11 + act));
          PetscCall(NNSetInitialization(s.nn, NN_INIT_GLOROT_NORMAL, 1.5));
          if (emb == 1) {
            const PetscInt per[1] = {0};
            PetscCall(NNSetPeriodicInputs(s.nn, 1, per, 2 * PETSC_PI));
          } else if (emb == 2)
            PetscCall(NNSetFourierFeatures(s.nn, 4, 0.5));
          if (tr % 2) PetscCall(NNSetOutputTransform(s.nn, Transform, &tc));
          PetscCall(NNSetFromOptions(s.nn));
          PetscCall(NNSetUp(s.nn));
          PetscCall(NNSetJetsOperator(s.nn, nderiv, deriv, npairs, pairs, nlap, d == 10 ? lap : NULL, op && nlap ? lapw : NULL, op ? drift : NULL));
          PetscCall(NNGetNumJets(s.nn, &s.S));
          PetscCall(NNGetNumParameters(s.nn, &P));
          /* biases start at zero; make them nonzero so their gradient paths are exercised */
          PetscCall(NNGetParameters(s.nn, &theta));
          PetscCall(VecDuplicate(theta, &v));
          PetscCall(VecSetRandom(v, NULL));
          PetscCall(VecAXPY(theta, 0.1, v));

          N = m * s.S * n;
          PetscCall(PetscMalloc6(n * d, &x, N, &y, N, &fd, N, &c, N, &ybar, n * d, &xbar));
          PetscCall(PetscCalloc1(P, &gl));
          PetscCall(NNRandomUniformArray(3, 100 + rank, 0, n * d, x));
          for (PetscInt i = 0; i < n * d; i++) x[i] = 2 * x[i] - 1;
          PetscCall(NNRandomNormalArray(5, 200 + rank, 0, N, c));
          PetscCall(NNForward(s.nn, n, x, y));

          /* value against a naive evaluation */
          if (emb < 2 && !(tr % 2)) {
            const PetscScalar *th;
            Vec                all;
            VecScatter         sc;
            PetscReal          e = 0, den = 0;
            PetscCall(VecScatterCreateToAll(theta, &sc, &all));
            PetscCall(VecScatterBegin(sc, theta, all, INSERT_VALUES, SCATTER_FORWARD));
            PetscCall(VecScatterEnd(sc, theta, all, INSERT_VALUES, SCATTER_FORWARD));
            PetscCall(VecGetArrayRead(all, &th));
            for (PetscInt p = 0; p < n; p++) {
              PetscReal ref[2];
              PetscCall(NaiveValue(s.nn, 2, widths, (NNActivation)act, emb == 1, d, m, th, &x[p * d], ref));
              for (PetscInt o = 0; o < m; o++) e = PetscMax(e, PetscAbsReal(ref[o] - y[p * m + o])), den = PetscMax(den, PetscAbsReal(ref[o]));
            }
            PetscCall(VecRestoreArrayRead(all, &th));
            PetscCall(VecDestroy(&all));
            PetscCall(VecScatterDestroy(&sc));
            e /= den;
            Record(worst, wcfg, 0, e, cfg);
          }
          /* first derivative streams: FD of the value; second: FD of a first derivative; Laplacian: sum,
             weighted, plus the drift times FD of the value */
          {
            PetscReal *lapfd;
            PetscInt   sL = -1;
            PetscCall(PetscCalloc1(m * n, &lapfd));
            if (nlap || op) PetscCall(NNGetJetIndex(s.nn, NN_JET_LAPLACIAN, 0, 0, &sL));
            for (PetscInt k = 0; k < d; k++) {
              PetscInt       sk;
              PetscErrorCode notreq;
              PetscCall(FDJets(&s, x, k, fd));
              PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
              notreq = NNGetJetIndex(s.nn, NN_JET_DERIVATIVE, k, 0, &sk);
              PetscCall(PetscPopErrorHandler());
              if (notreq) sk = -1;
              if (sk >= 0) {
                PetscReal e = StreamError(&s, fd, 0, y, sk);
                Record(worst, wcfg, 1, e, cfg);
                /* second derivatives (i,k) with d/dx_i analytic */
                for (PetscInt i = 0; i < d; i++) {
                  PetscInt       si, sik;
                  PetscErrorCode e1, e2;
                  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
                  e1 = NNGetJetIndex(s.nn, NN_JET_DERIVATIVE, i, 0, &si);
                  e2 = NNGetJetIndex(s.nn, NN_JET_SECOND_DERIVATIVE, i, k, &sik);
                  PetscCall(PetscPopErrorHandler());
                  if (e1 || e2) continue;
                  e = StreamError(&s, fd, si, y, sik);
                  Record(worst, wcfg, 2, e, cfg);
                }
                /* Laplacian: accumulate d/dx_k of the analytic d/dx_k stream */
                if (nlap && (d != 10 || k >= 1))
                  for (PetscInt i = 0; i < m * n; i++) lapfd[i] += (op ? lapw[d == 10 ? k - 1 : k] : 1.0) * fd[sk * m * n + i];
              }
              if (op)
                for (PetscInt i = 0; i < m * n; i++) lapfd[i] += drift[k] * fd[i];
            }
            if (nlap || op) {
              const Setup one = {.m = m, .n = n};
              PetscReal   e   = StreamError(&one, lapfd, 0, y + sL * m * n, 0);
              Record(worst, wcfg, 3, e, cfg);
            }
            PetscCall(PetscFree(lapfd));
          }
          /* dL/dtheta along three random directions (collective), dL/dx per point and coordinate */
          PetscCall(Loss(&s, x, c, &L, ybar));
          PetscCall(NNBackward(s.nn, ybar, gl, xbar));
          PetscCall(VecDuplicate(theta, &G));
          PetscCall(NNReduceGradient(s.nn, gl, G));
          for (PetscInt r = 0; r < 3; r++) {
            const PetscReal w[4] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12}, off[4] = {-2, -1, 1, 2}, h = 1e-4;
            PetscReal       gv, fdv = 0, Lq;
            PetscCall(VecSetRandom(v, NULL));
            PetscCall(VecDot(G, v, &gv));
            for (PetscInt q = 0; q < 4; q++) {
              PetscCall(VecAXPY(theta, off[q] * h, v));
              PetscCall(GlobalLoss(&s, x, c, &Lq));
              PetscCall(VecAXPY(theta, -off[q] * h, v));
              fdv += w[q] * Lq / h;
            }
            PetscReal e = PetscAbsReal(fdv - gv) / PetscMax(PetscAbsReal(gv), 1e-8);
            Record(worst, wcfg, 4, e, cfg);
          }
          {
            PetscReal e = 0, den = 0;
            for (PetscInt i = 0; i < n * d; i++) {
              const PetscReal w[4] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12}, off[4] = {-2, -1, 1, 2};
              const PetscReal x0  = x[i];
              PetscReal       fdx = 0, Lq;
              for (PetscInt q = 0; q < 4; q++) {
                x[i] = x0 + off[q] * s.h;
                PetscCall(Loss(&s, x, c, &Lq, NULL));
                fdx += w[q] * Lq / s.h;
              }
              x[i] = x0;
              e    = PetscMax(e, PetscAbsReal(fdx - xbar[i]));
              den  = PetscMax(den, PetscAbsReal(xbar[i]));
            }
            e /= PetscMax(den, 1e-8);
            Record(worst, wcfg, 5, e, cfg);
          }
          nconfig++;
          PetscCall(VecDestroy(&G));
          PetscCall(VecDestroy(&v));
          PetscCall(PetscFree6(x, y, fd, c, ybar, xbar));
          PetscCall(PetscFree(gl));
          PetscCall(NNDestroy(&s.nn));
        }
      }
    }
  }
  {
    PetscReal all[6];
    PetscInt  fail = 0;
    PetscCall(MPIU_Allreduce(worst, all, 6, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " configurations checked\n", nconfig));
    for (PetscInt i = 0; i < 6; i++) {
      const PetscBool ok = all[i] <= TOL ? PETSC_TRUE : PETSC_FALSE;
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-20s %s (max relative error %.0e, tolerance 1e-6)\n", what[i], ok ? "ok" : "FAILED", (double)all[i]));
      if (!ok) {
        fail++;
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "[%d] %s: error %.3e in %s\n", rank, what[i], (double)worst[i], wcfg[i]));
      }
    }
    PetscCheck(!fail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " derivative checks failed", fail);
  }
  PetscCall(PetscFinalize());
  return 0;
}

/* NN type "krnet": the KRnet normalizing flow on a box (see include/nnpde/krnet.h for the layers).

   Tiles of points are evaluated on a batched reverse-mode tape (tape.h) whose nodes hold one
   quantity for every point of the tile, carrying "duals": a value and nt forward tangents, all of
   them tape nodes. A coupling MLP layer is one block operation over the tile (all outputs and
   tangents), everything else is elementwise over the tile. log p, its parameter and input
   gradients, and parameter gradients of functions of grad_x log p (the AAS penalty) all come from
   forward builds and reverse sweeps of the tile: exact, no finite differences. Values are computed
   with the same floating-point operations per point whatever the tile, so they do not depend on
   how the points are split (across ranks or tiles).

   Parameter layout (one Vec, in layer order): rotation M (L x L, row-major: strict lower part is
   L, the rest U), actnorm (b[L], logs[L]), coupling (W1 w x s, b1 w, W2 w x w, b2 w, W3 2(L-s) x w,
   b3 2(L-s), log_gamma L-s), CDF ((nbins-1) interior log-pdf node values per coordinate), and last
   the actnorm "initialized" flag (0 or 1, zero gradient), so a checkpoint of the Vec restores it. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/krnet.h>
#include "tape.h"
#include <math.h>

const char *const NNKRnetPenaltyTypes[] = {"grad_p", "grad_logp", "NNKRnetPenaltyType", "NNKRNET_PENALTY_", NULL};

#define KR_MAXD 4096
#define KR_TILE 32                     /* most points per tile (a tile's tape stays in cache) */
#define KR_NINF (-(PetscReal)INFINITY) /* log p outside the box (PETSC_NINFINITY is finite) */
#define KR_CDF_BOUND 50.0              /* the CDF layer maps [-B, B] onto itself, identity outside */
#define KR_CDF_GROWTH 1.2              /* element widths grow geometrically away from 0 */
#define KR_SCALE 0.6                   /* coupling scale in [1 - 0.6, 1 + 0.6]: always invertible */
#define KR_LOGCLIP 5.0                 /* actnorm log-scale and coupling log_gamma clipped to [-5, 5] */

typedef enum { KR_ROTATION, KR_ACTNORM, KR_COUPLING, KR_REVERSE, KR_CDF } KRLayerKind;

typedef struct {
  KRLayerKind kind;
  PetscInt    L;   /* coordinates it acts on (the first L) */
  PetscInt    s;   /* coupling: conditioning coordinates [0, s) */
  PetscInt    off; /* first parameter */
} KRLayer;

typedef struct {
  PetscInt         step, depth, width, nbins;
  PetscBool        rotation;
  NNActivation     act;
  PetscReal       *lo, *hi; /* d each; NULL until set or NNSetUp() */
  PetscInt         nlayers;
  KRLayer         *layers;
  PetscInt         flag;     /* parameter index of the actnorm-initialized flag */
  PetscReal       *mesh, *h; /* CDF mesh nodes (nbins+1) and widths (nbins) */
  KRTape           tape;
  PetscInt         vnodes;          /* estimate of the tape nodes per point and tangent component (tile size) */
  PetscInt        *X, *H1, *H2, *O; /* dual work arrays: d, w, w and 2d duals of (1+KR_MAXT) nodes */
  PetscInt        *cdfn;            /* 2 (nbins + 1) node ids of the CDF layer */
  PetscReal       *cdfv;            /* 2 (nbins + 1): the CDF layer's node values and cumulative sums (inverse) */
  PetscReal       *xt, *gt, *seed;  /* tile buffers: points (KR_TILE x d), x-gradients (KR_TILE x d), seeds (KR_TILE (1+KR_MAXT)) */
  PetscReal       *mask, *scr;      /* KR_TILE and 3 KR_TILE */
  PetscInt        *isel, *idx;      /* KR_TILE each: CDF elements, original indices of a compacted tile */
  PetscReal       *xsave;           /* points of the last NNForward(), for NNBackward() */
  PetscInt         nsave;
  PetscObjectState checked; /* parameter state last checked for NaN/Inf */
  PetscBool        haschecked;
} NN_KRnet;

/* ------------------------------------------------------------------ duals */
/* A dual is 1 + nt node indices: value, then the tangents. Outputs may alias inputs. */
static void DScaleNode(KRTape *t, PetscInt nt, const PetscInt X[], PetscInt s, PetscInt Z[])
{
  for (PetscInt j = 0; j <= nt; j++) Z[j] = KRMul(t, X[j], s);
}
static void DScaleConst(KRTape *t, PetscInt nt, const PetscInt X[], PetscReal c, PetscInt Z[])
{
  for (PetscInt j = 0; j <= nt; j++) Z[j] = KRScale(t, X[j], c);
}
static void DAdd(KRTape *t, PetscInt nt, const PetscInt X[], const PetscInt Y[], PetscInt Z[])
{
  for (PetscInt j = 0; j <= nt; j++) Z[j] = KRAdd(t, X[j], Y[j]);
}
static void DSub(KRTape *t, PetscInt nt, const PetscInt X[], const PetscInt Y[], PetscInt Z[])
{
  for (PetscInt j = 0; j <= nt; j++) Z[j] = KRSub(t, X[j], Y[j]);
}
static void DMul(KRTape *t, PetscInt nt, const PetscInt X[], const PetscInt Y[], PetscInt Z[])
{
  PetscInt T[KR_MAXT + 1];
  T[0] = KRMul(t, X[0], Y[0]);
  for (PetscInt j = 1; j <= nt; j++) T[j] = KRAdd(t, KRMul(t, X[j], Y[0]), KRMul(t, X[0], Y[j]));
  for (PetscInt j = 0; j <= nt; j++) Z[j] = T[j];
}
/* Z = f(X) given the value node fx = f(X[0]) and the derivative node dfx = f'(X[0]) */
static void DChain(KRTape *t, PetscInt nt, const PetscInt X[], PetscInt fx, PetscInt dfx, PetscInt Z[])
{
  for (PetscInt j = 1; j <= nt; j++) Z[j] = KRMul(t, dfx, X[j]);
  Z[0] = fx;
}
static PetscBool DHasTangent(PetscInt nt, const PetscInt X[])
{
  for (PetscInt j = 1; j <= nt; j++)
    if (X[j] >= 0) return PETSC_TRUE;
  return PETSC_FALSE;
}
static void DTanh(KRTape *t, PetscInt nt, const PetscInt X[], PetscInt Z[])
{
  const PetscInt v  = KRTanh(t, X[0]);
  PetscInt       dv = -1;
  if (DHasTangent(nt, X)) dv = KRAddConst(t, KRScale(t, KRMul(t, v, v), -1.0), 1.0);
  DChain(t, nt, X, v, dv, Z);
}
static void DLog(KRTape *t, PetscInt nt, const PetscInt X[], PetscInt Z[])
{
  const PetscInt v  = KRLog(t, X[0]);
  PetscInt       dv = -1;
  if (DHasTangent(nt, X)) dv = KRRecip(t, X[0]);
  DChain(t, nt, X, v, dv, Z);
}
static void DAddNode(KRTape *t, PetscInt nt, const PetscInt X[], PetscInt s, PetscInt Z[])
{
  for (PetscInt j = 1; j <= nt; j++) Z[j] = X[j];
  Z[0] = KRAdd(t, X[0], s);
}
static void DAddConst(KRTape *t, PetscInt nt, const PetscInt X[], PetscReal c, PetscInt Z[])
{
  for (PetscInt j = 1; j <= nt; j++) Z[j] = X[j];
  Z[0] = KRAddConst(t, X[0], c);
}
static void DZero(PetscInt nt, PetscInt Z[])
{
  for (PetscInt j = 0; j <= nt; j++) Z[j] = -1;
}

/* out = act(W in + b) (act only when apply_act), W fout x fin row-major at parameter woff: one block
   operation of the tape for all outputs and tangents over the tile */
static void KRDense(KRTape *t, PetscInt nt, PetscInt woff, PetscInt boff, PetscInt fin, PetscInt fout, const PetscInt in[], PetscInt out[],
                    NNActivation act, PetscBool apply_act)
{
  const PetscInt S = 1 + nt;
  KRDenseNodes(t, S, woff, boff, fin, fout, in, out, (PetscBool)(apply_act && act == NN_ACTIVATION_RELU));
  if (apply_act && act != NN_ACTIVATION_RELU)
    for (PetscInt i = 0; i < fout; i++) DTanh(t, nt, &out[i * S], &out[i * S]);
}

/* The coupling's MLP on the first s coordinates of X: O gets 2(L-s) duals */
static void KRCouplingNet(NN_KRnet *kr, KRTape *t, PetscInt nt, const KRLayer *ly, const PetscInt X[], PetscInt O[])
{
  const PetscInt w = kr->width, s = ly->s, m = 2 * (ly->L - s);
  const PetscInt W1 = ly->off, b1 = W1 + w * s, W2 = b1 + w, b2 = W2 + w * w, W3 = b2 + w, b3 = W3 + m * w;
  KRDense(t, nt, W1, b1, s, w, X, kr->H1, kr->act, PETSC_TRUE);
  KRDense(t, nt, W2, b2, w, w, kr->H1, kr->H2, kr->act, PETSC_TRUE);
  KRDense(t, nt, W3, b3, w, m, kr->H2, O, kr->act, PETSC_FALSE);
}

static PetscInt KRLayerNumParameters(NN_KRnet *kr, const KRLayer *ly)
{
  const PetscInt w = kr->width, s = ly->s, L = ly->L, m = 2 * (L - s);
  switch (ly->kind) {
  case KR_ROTATION:
    return L * L;
  case KR_ACTNORM:
    return 2 * L;
  case KR_COUPLING:
    return w * s + w + w * w + w + m * w + m + (L - s);
  case KR_REVERSE:
    return 0;
  case KR_CDF:
    return (kr->nbins - 1) * L;
  }
  return 0;
}

/* ------------------------------------------------------------------ CDF layer */
/* unnormalized pdf node values of coordinate k: v[0] = v[nbins] = 1, v[j] = exp(theta) inside */
static void KRCDFValues(NN_KRnet *kr, const PetscReal theta[], const KRLayer *ly, PetscInt k, PetscReal v[], PetscReal C[], PetscReal *M)
{
  const PetscInt nb = kr->nbins;
  v[0] = v[nb] = 1.0;
  for (PetscInt j = 1; j < nb; j++) v[j] = PetscExpReal(theta[ly->off + k * (nb - 1) + j - 1]);
  C[0] = 0;
  for (PetscInt e = 0; e < nb; e++) C[e + 1] = C[e] + 0.5 * kr->h[e] * (v[e] + v[e + 1]);
  *M = C[nb];
}

static PetscInt KRCDFElement(NN_KRnet *kr, PetscReal x)
{
  PetscInt e = 0;
  while (e < kr->nbins - 1 && x >= kr->mesh[e + 1]) e++;
  return e;
}

/* y = -B + 2B F(x), F the CDF of the normalized piecewise-linear pdf; logdet += log(2B pdf(x)); the
   identity outside [-B, B]. Each point has its own element e: the node values of e and e + 1 and the
   CDF at e are gathered per point. Points outside [-B, B] compute at x = 0 and keep their input. */
static void KRCDFForward(NN_KRnet *kr, KRTape *t, PetscInt nt, const PetscReal theta[], const KRLayer *ly, PetscInt k, PetscInt X[], PetscInt LD[])
{
  const PetscInt  nb = kr->nbins, S = 1 + nt, m = t->m;
  const PetscReal B      = KR_CDF_BOUND;
  PetscReal      *inside = kr->scr, *cm = kr->scr + KR_TILE, *ch = kr->scr + 2 * KR_TILE;
  PetscInt       *vn = kr->cdfn, *Cn = kr->cdfn + nb + 1, M = -1, nin = 0, X0, V0, V1, C, a;
  PetscInt        xi[KR_MAXT + 1], F[KR_MAXT + 1], P[KR_MAXT + 1], Xn[KR_MAXT + 1], LDn[KR_MAXT + 1];

  {
    const PetscReal *xv = KRV(t, X[0]);
    for (PetscInt p = 0; p < m; p++) {
      inside[p] = (xv[p] > -B && xv[p] < B) ? 1.0 : 0.0;
      nin += xv[p] > -B && xv[p] < B;
    }
  }
  if (!nin) return; /* identity */
  X0 = nin < m ? KRSelect(t, inside, X[0], -1) : X[0];
  {
    const PetscReal *xv = KRV(t, X0);
    for (PetscInt p = 0; p < m; p++) {
      const PetscInt e = KRCDFElement(kr, xv[p]);
      kr->isel[p]      = e;
      cm[p]            = -kr->mesh[e];
      ch[p]            = 0.5 / kr->h[e];
    }
  }
  {
    PetscInt prev = KRConst(t, 1.0), cur;
    vn[0]         = prev;
    for (PetscInt j = 0; j < nb; j++) {
      const PetscInt q = ly->off + k * (nb - 1) + j; /* node j + 1 */
      cur              = (j == nb - 1) ? KRConst(t, 1.0) : KRExp(t, KRLeaf(t, theta[q], q));
      Cn[j]            = M;
      vn[j + 1]        = cur;
      M                = KRAdd(t, M, KRScale(t, KRAdd(t, prev, cur), 0.5 * kr->h[j]));
      prev             = cur;
    }
  }
  V0 = KRGather(t, nb, vn, kr->isel);
  V1 = KRGather(t, nb, vn + 1, kr->isel);
  C  = KRGather(t, nb, Cn, kr->isel);
  a  = KRScaleVec(t, KRSub(t, V1, V0), ch);
  DZero(nt, P);
  for (PetscInt j = 1; j <= nt; j++) xi[j] = X[j];
  xi[0] = KRAddConstVec(t, X0, cm);
  DScaleNode(t, nt, xi, a, F);
  DAddNode(t, nt, F, V0, F);
  DMul(t, nt, xi, F, F);
  DAddNode(t, nt, F, C, F); /* unnormalized CDF */
  DScaleNode(t, nt, xi, a, P);
  DScaleConst(t, nt, P, 2.0, P);
  DAddNode(t, nt, P, V0, P); /* unnormalized pdf */
  {
    const PetscInt rM = KRRecip(t, M);
    DScaleNode(t, nt, F, rM, F);
    DScaleConst(t, nt, F, 2.0 * B, F);
    DAddConst(t, nt, F, -B, Xn);
    DLog(t, nt, P, P);
    DAdd(t, nt, LD, P, LDn);
    LDn[0] = KRSub(t, LDn[0], KRLog(t, M));
    LDn[0] = KRAddConst(t, LDn[0], PetscLogReal(2.0 * B));
  }
  for (PetscInt c = 0; c < S; c++) {
    X[c]  = nin < m ? KRSelect(t, inside, Xn[c], X[c]) : Xn[c];
    LD[c] = nin < m ? KRSelect(t, inside, LDn[c], LD[c]) : LDn[c];
  }
}

/* v, C, M: KRCDFValues() of the coordinate */
static PetscReal KRCDFInverse(NN_KRnet *kr, PetscReal y, const PetscReal v[], const PetscReal C[], PetscReal M)
{
  const PetscReal B = KR_CDF_BOUND;
  PetscReal       F, a, b, c;
  PetscInt        e = 0;

  if (!(y > -B && y < B)) return y;
  F = (y + B) / (2.0 * B) * M;
  while (e < kr->nbins - 1 && F >= C[e + 1]) e++;
  a = 0.5 * (v[e + 1] - v[e]) / kr->h[e];
  b = v[e];
  c = F - C[e];
  /* a xi^2 + b xi = c, the root in [0, h]: the cancellation-free form */
  return kr->mesh[e] + 2.0 * c / (b + PetscSqrtReal(PetscMax(b * b + 4.0 * a * c, 0.0)));
}

/* ------------------------------------------------------------------ the flow on a tile of points */
/* the leaf of parameter q clipped to [-KR_LOGCLIP, KR_LOGCLIP]: the leaf inside, a constant outside (zero derivative) */
static PetscInt KRClipLeaf(KRTape *t, const PetscReal theta[], PetscInt q)
{
  if (theta[q] < -KR_LOGCLIP) return KRConst(t, -KR_LOGCLIP);
  if (theta[q] > KR_LOGCLIP) return KRConst(t, KR_LOGCLIP);
  return KRLeaf(t, theta[q], q);
}

static PetscErrorCode KRGetTheta(NN nn, const PetscReal **theta)
{
  NN_KRnet        *kr = (NN_KRnet *)nn->data;
  PetscObjectState state;

  PetscFunctionBegin;
  PetscCall(NNGetLocalParameters_Private(nn, theta));
  PetscCall(PetscObjectStateGet((PetscObject)nn->params, &state));
  if (!kr->haschecked || state != kr->checked) {
    for (PetscInt i = 0; i < nn->nparam; i++) {
      if (!PetscIsInfOrNanReal((*theta)[i])) continue;
      PetscCheck(i != kr->flag, PETSC_COMM_SELF, PETSC_ERR_FP, "KRnet parameter %" PetscInt_FMT " (the actnorm-initialized flag) is %g", i,
                 (double)(*theta)[i]);
      for (PetscInt l = kr->nlayers - 1; l >= 0; l--)
        if (kr->layers[l].off <= i && kr->layers[l].kind != KR_REVERSE) {
          const char *names[] = {"rotation", "actnorm", "coupling", "reverse", "cdf"};
          SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FP, "KRnet parameter %" PetscInt_FMT " (in layer %" PetscInt_FMT ", %s) is %g", i, l,
                  names[kr->layers[l].kind], (double)(*theta)[i]);
        }
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FP, "KRnet parameter %" PetscInt_FMT " is %g", i, (double)(*theta)[i]);
    }
    kr->checked    = state;
    kr->haschecked = PETSC_TRUE;
  }
  PetscFunctionReturn(0);
}

/* Builds the tape of log p at the m points x (m x d, all inside the open box) with nt tangents: along
   the inputs dir[0..nt) or, with seed (m x d per-point directions) and nt = 1, along seed. On return
   lp holds the dual of log p; z (if not NULL, m x d) the latent points. With stop >= 0 it stops
   before layer stop and z holds the current coordinates. */
static PetscErrorCode KRTileForward(NN nn, const PetscReal theta[], PetscInt m, const PetscReal x[], PetscInt nt, const PetscInt dir[],
                                    const PetscReal seed[], PetscInt stop, PetscReal z[], PetscInt lp[])
{
  NN_KRnet      *kr = (NN_KRnet *)nn->data;
  KRTape        *t  = &kr->tape;
  const PetscInt d = nn->nin, S = 1 + nt;
  PetscInt      *X   = kr->X, LD[KR_MAXT + 1], one, T1[KR_MAXT + 1], T2[KR_MAXT + 1];
  PetscReal      ld0 = 0;

  PetscFunctionBegin;
  KRTapeClear(t, m, theta);
  one = KRConst(t, 1.0);
  DZero(nt, LD);
  /* box map and logit */
  for (PetscInt k = 0; k < d; k++) {
    PetscInt *Xk = &X[k * S];
    Xk[0]        = KRLeafVec(t, &x[k], d, -(k + 2));
    if (seed)
      Xk[1] = KRConstVec(t, &seed[k], d);
    else
      for (PetscInt j = 0; j < nt; j++) Xk[1 + j] = dir[j] == k ? one : -1;
    DScaleConst(t, nt, Xk, 1.0 / (kr->hi[k] - kr->lo[k]), Xk);
    DAddConst(t, nt, Xk, -kr->lo[k] / (kr->hi[k] - kr->lo[k]), Xk);
    ld0 -= PetscLogReal(kr->hi[k] - kr->lo[k]);
    DLog(t, nt, Xk, T1); /* log u */
    DScaleConst(t, nt, Xk, -1.0, T2);
    DAddConst(t, nt, T2, 1.0, T2);
    DLog(t, nt, T2, T2); /* log(1 - u) */
    DSub(t, nt, T1, T2, Xk);
    DSub(t, nt, LD, T1, LD);
    DSub(t, nt, LD, T2, LD);
  }
  for (PetscInt l = 0; l < kr->nlayers; l++) {
    const KRLayer *ly = &kr->layers[l];
    const PetscInt L  = ly->L;
    if (l == stop) break;
    switch (ly->kind) {
    case KR_ROTATION: {    /* X <- Lmat (U X); logdet += sum log |U_ii| */
      PetscInt *W = kr->O; /* L duals */
      for (PetscInt i = 0; i < L; i++) {
        PetscInt *Wi = &W[i * S];
        DZero(nt, Wi);
        for (PetscInt j = i; j < L; j++) {
          const PetscInt q = ly->off + i * L + j, u = KRLeaf(t, theta[q], q);
          DScaleNode(t, nt, &X[j * S], u, T1);
          DAdd(t, nt, Wi, T1, Wi);
          if (j == i) LD[0] = KRAdd(t, LD[0], KRLog(t, u));
        }
      }
      for (PetscInt i = 0; i < L; i++) {
        PetscInt *Xi = &X[i * S];
        for (PetscInt c = 0; c < S; c++) Xi[c] = W[i * S + c];
        for (PetscInt j = 0; j < i; j++) {
          const PetscInt q = ly->off + i * L + j;
          DScaleNode(t, nt, &W[j * S], KRLeaf(t, theta[q], q), T1);
          DAdd(t, nt, Xi, T1, Xi);
        }
      }
    } break;
    case KR_ACTNORM: /* X <- (X + b) exp(clip(logs)); logdet += sum clip(logs) */
      for (PetscInt k = 0; k < L; k++) {
        const PetscInt qb = ly->off + k, qs = ly->off + L + k;
        const PetscInt ls = KRClipLeaf(t, theta, qs);
        DAddNode(t, nt, &X[k * S], KRLeaf(t, theta[qb], qb), &X[k * S]);
        DScaleNode(t, nt, &X[k * S], KRExp(t, ls), &X[k * S]);
        LD[0] = KRAdd(t, LD[0], ls);
      }
      break;
    case KR_COUPLING: { /* x2 <- x2 (1 + 0.6 tanh h_odd) + exp(clip(log_gamma)) tanh h_even */
      const PetscInt s = ly->s, qg = ly->off + KRLayerNumParameters(kr, ly) - (L - s);
      KRCouplingNet(kr, t, nt, ly, X, kr->O);
      for (PetscInt k = 0; k < L - s; k++) {
        PetscInt      *Xk = &X[(s + k) * S];
        const PetscInt g  = KRExp(t, KRClipLeaf(t, theta, qg + k));
        DTanh(t, nt, &kr->O[(2 * k + 1) * S], T1);
        DScaleConst(t, nt, T1, KR_SCALE, T1);
        DAddConst(t, nt, T1, 1.0, T1); /* 1 + scale */
        DMul(t, nt, Xk, T1, Xk);
        DLog(t, nt, T1, T1);
        DAdd(t, nt, LD, T1, LD);
        DTanh(t, nt, &kr->O[2 * k * S], T2);
        DScaleNode(t, nt, T2, g, T2);
        DAdd(t, nt, Xk, T2, Xk);
      }
    } break;
    case KR_REVERSE:
      for (PetscInt k = 0; k < L / 2; k++)
        for (PetscInt c = 0; c < S; c++) {
          const PetscInt tmp     = X[k * S + c];
          X[k * S + c]           = X[(L - 1 - k) * S + c];
          X[(L - 1 - k) * S + c] = tmp;
        }
      break;
    case KR_CDF:
      for (PetscInt k = 0; k < L; k++) KRCDFForward(kr, t, nt, theta, ly, k, &X[k * S], LD);
      break;
    }
  }
  PetscCheck(!t->err, PETSC_COMM_SELF, PETSC_ERR_MEM, "KRnet tape: allocation failed (%" PetscInt_FMT " nodes of %" PetscInt_FMT " points)", t->n,
             t->T);
  if (stop >= 0) {
    for (PetscInt k = 0; k < d; k++)
      for (PetscInt p = 0; p < m; p++) z[p * d + k] = KRVal(t, X[k * S], p);
    PetscFunctionReturn(0);
  }
  /* log N(z; 0, I) + logdet */
  for (PetscInt k = 0; k < d; k++) {
    DMul(t, nt, &X[k * S], &X[k * S], T1);
    DScaleConst(t, nt, T1, -0.5, T1);
    DAdd(t, nt, LD, T1, LD);
    if (z)
      for (PetscInt p = 0; p < m; p++) z[p * d + k] = KRVal(t, X[k * S], p);
  }
  DAddConst(t, nt, LD, ld0 - 0.5 * d * PetscLogReal(2.0 * PETSC_PI), LD);
  for (PetscInt c = 0; c < S; c++) lp[c] = LD[c];
  PetscCheck(!t->err, PETSC_COMM_SELF, PETSC_ERR_MEM, "KRnet tape: allocation failed (%" PetscInt_FMT " nodes of %" PetscInt_FMT " points)", t->n,
             t->T);
  PetscFunctionReturn(0);
}

/* z -> x at m points (m x d), values only (the MLPs run on the tape without tangents) */
static PetscErrorCode KRTileInverse(NN nn, const PetscReal theta[], PetscInt m, const PetscReal z[], PetscReal x[])
{
  NN_KRnet      *kr = (NN_KRnet *)nn->data;
  KRTape        *t  = &kr->tape;
  const PetscInt d = nn->nin, nb = kr->nbins;
  PetscReal     *y = x, *v = kr->cdfv, *C = kr->cdfv + nb + 1;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < m * d; i++) y[i] = z[i];
  for (PetscInt l = kr->nlayers - 1; l >= 0; l--) {
    const KRLayer *ly = &kr->layers[l];
    const PetscInt L  = ly->L;
    switch (ly->kind) {
    case KR_ROTATION: { /* solve Lmat w = y, then U x = w */
      const PetscReal *M = &theta[ly->off];
      for (PetscInt p = 0; p < m; p++) {
        PetscReal *yp = &y[p * d];
        for (PetscInt i = 0; i < L; i++)
          for (PetscInt j = 0; j < i; j++) yp[i] -= M[i * L + j] * yp[j];
        for (PetscInt i = L - 1; i >= 0; i--) {
          for (PetscInt j = i + 1; j < L; j++) yp[i] -= M[i * L + j] * yp[j];
          yp[i] /= M[i * L + i];
        }
      }
    } break;
    case KR_ACTNORM:
      for (PetscInt k = 0; k < L; k++) {
        const PetscReal ls = PetscClipInterval(theta[ly->off + L + k], -KR_LOGCLIP, KR_LOGCLIP), es = PetscExpReal(-ls), b = theta[ly->off + k];
        for (PetscInt p = 0; p < m; p++) y[p * d + k] = y[p * d + k] * es - b;
      }
      break;
    case KR_COUPLING: {
      const PetscInt s = ly->s, qg = ly->off + KRLayerNumParameters(kr, ly) - (L - s);
      KRTapeClear(t, m, theta);
      for (PetscInt k = 0; k < s; k++) kr->X[k] = KRConstVec(t, &y[k], d);
      KRCouplingNet(kr, t, 0, ly, kr->X, kr->O);
      PetscCheck(!t->err, PETSC_COMM_SELF, PETSC_ERR_MEM, "KRnet tape: allocation failed");
      for (PetscInt k = 0; k < L - s; k++) {
        const PetscReal g = PetscExpReal(PetscClipInterval(theta[qg + k], -KR_LOGCLIP, KR_LOGCLIP));
        for (PetscInt p = 0; p < m; p++) {
          const PetscReal shift = g * PetscTanhReal(KRVal(t, kr->O[2 * k], p));
          const PetscReal scale = KR_SCALE * PetscTanhReal(KRVal(t, kr->O[2 * k + 1], p));
          y[p * d + s + k]      = (y[p * d + s + k] - shift) / (1.0 + scale);
        }
      }
    } break;
    case KR_REVERSE:
      for (PetscInt p = 0; p < m; p++)
        for (PetscInt k = 0; k < L / 2; k++) {
          const PetscReal tmp  = y[p * d + k];
          y[p * d + k]         = y[p * d + L - 1 - k];
          y[p * d + L - 1 - k] = tmp;
        }
      break;
    case KR_CDF:
      for (PetscInt k = 0; k < L; k++) {
        PetscReal M;
        KRCDFValues(kr, theta, ly, k, v, C, &M);
        for (PetscInt p = 0; p < m; p++) y[p * d + k] = KRCDFInverse(kr, y[p * d + k], v, C, M);
      }
      break;
    }
  }
  for (PetscInt p = 0; p < m; p++)
    for (PetscInt k = 0; k < d; k++) {
      const PetscReal u = 0.5 * (PetscTanhReal(0.5 * y[p * d + k]) + 1.0); /* sigmoid */
      x[p * d + k]      = kr->lo[k] + (kr->hi[k] - kr->lo[k]) * u;
    }
  PetscFunctionReturn(0);
}

/* Checks m points for NaN/Inf coordinates (an error) and marks those inside the open box. Returns the
   number inside; with compact, copies them to kr->xt and their indices to kr->idx. */
static PetscErrorCode KRTileInside(NN nn, PetscInt m, const PetscReal x[], PetscBool compact, PetscInt *nin, PetscInt *firstout)
{
  NN_KRnet      *kr = (NN_KRnet *)nn->data;
  const PetscInt d  = nn->nin;

  PetscFunctionBegin;
  *nin      = 0;
  *firstout = -1;
  for (PetscInt p = 0; p < m; p++) {
    PetscBool in = PETSC_TRUE;
    for (PetscInt k = 0; k < d; k++) {
      const PetscReal w = kr->hi[k] - kr->lo[k], u = x[p * d + k] * (1.0 / w) + (-kr->lo[k] / w); /* as the tape computes it */
      PetscCheck(!PetscIsInfOrNanReal(x[p * d + k]), PETSC_COMM_SELF, PETSC_ERR_FP, "KRnet input %" PetscInt_FMT " of a point is %g", k,
                 (double)x[p * d + k]);
      if (!(u > 0 && u < 1)) in = PETSC_FALSE;
    }
    if (!in) {
      if (*firstout < 0) *firstout = p;
      continue;
    }
    if (compact) {
      kr->idx[*nin] = p;
      for (PetscInt k = 0; k < d; k++) kr->xt[*nin * d + k] = x[p * d + k];
    }
    (*nin)++;
  }
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------ NN ops */
/* The options prefix of the flow, for messages that name its options (a sampler's flow: -pinn_sampler_flow_) */
static const char *KRPrefix(NN nn)
{
  return ((PetscObject)nn)->prefix ? ((PetscObject)nn)->prefix : "";
}

static PetscErrorCode NNSetFromOptions_KRnet(NN nn, PetscOptionItems *PetscOptionsObject)
{
  NN_KRnet *kr = (NN_KRnet *)nn->data;
  PetscReal lo[KR_MAXD], hi[KR_MAXD];
  PetscInt  nlo = KR_MAXD, nhi = KR_MAXD;
  PetscBool flo, fhi;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "KRnet normalizing flow options");
  PetscCall(NNOptionsInt("-nn_krnet_step", "Coordinates set aside at the end of each KR stage", "NNKRnetSetArchitecture", kr->step, &kr->step, NULL));
  PetscCall(NNOptionsInt("-nn_krnet_depth", "Actnorm + coupling blocks per KR stage", "NNKRnetSetArchitecture", kr->depth, &kr->depth, NULL));
  PetscCall(NNOptionsInt("-nn_krnet_width", "Width of the couplings' hidden layers", "NNKRnetSetArchitecture", kr->width, &kr->width, NULL));
  PetscCall(NNKRnetSetArchitecture(nn, kr->step, kr->depth, kr->width));
  PetscCall(NNOptionsInt("-nn_krnet_bins", "Elements of the quadratic-CDF layer (even)", "NNKRnetSetCDFBins", kr->nbins, &kr->nbins, NULL));
  PetscCall(NNKRnetSetCDFBins(nn, kr->nbins));
  PetscCall(
      PetscOptionsBool("-nn_krnet_rotation", "LU-parametrized rotation at each KR stage", "NNKRnetSetRotation", kr->rotation, &kr->rotation, NULL));
  PetscCall(PetscOptionsEnum("-nn_krnet_activation", "Activation of the coupling MLPs: relu or tanh (the others are refused)", "NNKRnetSetActivation",
                             NNActivations, (PetscEnum)kr->act, (PetscEnum *)&kr->act, NULL));
  PetscCall(NNKRnetSetActivation(nn, kr->act));
  for (PetscInt k = 0; k < KR_MAXD; k++) { /* the current box, which -help shows (its first coordinate) */
    const PetscBool has = kr->lo && k < nn->nin ? PETSC_TRUE : PETSC_FALSE;

    lo[k] = has ? kr->lo[k] : -1.0;
    hi[k] = has ? kr->hi[k] : 1.0;
  }
  PetscCall(PetscOptionsRealArray("-nn_krnet_lower", "Lower corner of the box (one value or one per input)", "NNKRnetSetDomain", lo, &nlo, &flo));
  PetscCall(PetscOptionsRealArray("-nn_krnet_upper", "Upper corner of the box (one value or one per input)", "NNKRnetSetDomain", hi, &nhi, &fhi));
  if (flo || fhi) {
    const PetscInt d = nn->nin;
    PetscCheck(d > 0 && d <= KR_MAXD, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before -nn_krnet_lower/upper");
    if (!flo) nlo = 0;
    if (!fhi) nhi = 0;
    PetscCheck(nlo <= 1 || nlo == d, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_SIZ,
               "-%snn_krnet_lower needs 1 or %" PetscInt_FMT " values, got %" PetscInt_FMT, KRPrefix(nn), d, nlo);
    PetscCheck(nhi <= 1 || nhi == d, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_SIZ,
               "-%snn_krnet_upper needs 1 or %" PetscInt_FMT " values, got %" PetscInt_FMT, KRPrefix(nn), d, nhi);
    for (PetscInt k = d - 1; k >= 0; k--) {
      lo[k] = nlo == d ? lo[k] : (nlo == 1 ? lo[0] : (kr->lo ? kr->lo[k] : -1.0));
      hi[k] = nhi == d ? hi[k] : (nhi == 1 ? hi[0] : (kr->hi ? kr->hi[k] : 1.0));
    }
    PetscCall(NNKRnetSetDomain(nn, lo, hi));
  }
  PetscOptionsHeadEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode NNSetUp_KRnet(NN nn)
{
  NN_KRnet      *kr   = (NN_KRnet *)nn->data;
  MPI_Comm       comm = PetscObjectComm((PetscObject)nn);
  const PetscInt d = nn->nin, nstage = (d + kr->step - 1) / kr->step;
  PetscInt       nl = 0, off = 0, mac = 0, w = kr->width;

  PetscFunctionBegin;
  PetscCheck(nn->nout == 1, comm, PETSC_ERR_ARG_SIZ, "NN type krnet has one output (log p), got %" PetscInt_FMT " outputs in NNSetSizes()", nn->nout);
  PetscCheck(d <= KR_MAXD, comm, PETSC_ERR_ARG_OUTOFRANGE, "NN type krnet supports up to %d inputs, got %" PetscInt_FMT, KR_MAXD, d);
  PetscCheck(!nn->embed.nperiodic && !nn->embed.nfourier && !nn->transform, comm, PETSC_ERR_ARG_WRONGSTATE,
             "NN type krnet takes no input embedding (-nn_periodic_inputs, -nn_fourier_features) or output transform");
  PetscCheck(d == 1 || kr->step < d, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-%snn_krnet_step %" PetscInt_FMT " sets all %" PetscInt_FMT " inputs aside at once: the flow would have no coupling layers (and "
             "-%snn_krnet_depth, -%snn_krnet_width no effect); give a step below the dimension",
             KRPrefix(nn), kr->step, d, KRPrefix(nn), KRPrefix(nn));
  if (!kr->lo) {
    PetscReal *lo, *hi;
    PetscCall(PetscMalloc2(d, &lo, d, &hi));
    for (PetscInt k = 0; k < d; k++) lo[k] = -1.0, hi[k] = 1.0;
    PetscCall(NNKRnetSetDomain(nn, lo, hi));
    PetscCall(PetscFree2(lo, hi));
  }
  PetscCall(PetscMalloc1((nstage - 1) * (1 + 3 * kr->depth) + 2, &kr->layers));
  for (PetscInt i = 0; i < nstage - 1; i++) {
    const PetscInt L = d - i * kr->step;
    if (kr->rotation) kr->layers[nl++] = (KRLayer){KR_ROTATION, L, 0, 0};
    for (PetscInt b = 0; b < kr->depth; b++) {
      const PetscInt s = b % 2 == 0 ? L - kr->step : kr->step;
      kr->layers[nl++] = (KRLayer){KR_ACTNORM, L, 0, 0};
      kr->layers[nl++] = (KRLayer){KR_COUPLING, L, s, 0};
      kr->layers[nl++] = (KRLayer){KR_REVERSE, L, 0, 0};
      mac += 4 * w + 14 * (L - s) + 4 * L + 10;
    }
    if (kr->rotation) mac += 4 * L * L;
  }
  {
    const PetscInt L = d - (nstage - 1) * kr->step;
    kr->layers[nl++] = (KRLayer){KR_ACTNORM, L, 0, 0};
    kr->layers[nl++] = (KRLayer){KR_CDF, L, 0, 0};
    mac += (4 * kr->nbins + 30) * L + 20 * d;
  }
  kr->nlayers = nl;
  for (PetscInt l = 0; l < nl; l++) {
    kr->layers[l].off = off;
    off += KRLayerNumParameters(kr, &kr->layers[l]);
  }
  kr->flag   = off;
  nn->nparam = off + 1;
  /* tape nodes per point and tangent component, roughly: the dense outputs and their activations
     (4 w per coupling), the elementwise work (the L terms), the CDF sums (nbins) */
  kr->vnodes = mac;
  /* CDF mesh: nbins elements symmetric about 0, widths growing by KR_CDF_GROWTH outwards */
  {
    const PetscInt  half = kr->nbins / 2;
    const PetscReal h0   = KR_CDF_BOUND * (KR_CDF_GROWTH - 1.0) / (PetscPowReal(KR_CDF_GROWTH, half) - 1.0);
    PetscCall(PetscMalloc2(kr->nbins + 1, &kr->mesh, kr->nbins, &kr->h));
    kr->mesh[half] = 0;
    for (PetscInt i = 0; i < half; i++) {
      const PetscReal hi     = h0 * PetscPowReal(KR_CDF_GROWTH, i);
      kr->mesh[half + i + 1] = kr->mesh[half + i] + hi;
      kr->mesh[half - i - 1] = kr->mesh[half - i] - hi;
    }
    kr->mesh[0]         = -KR_CDF_BOUND;
    kr->mesh[kr->nbins] = KR_CDF_BOUND;
    for (PetscInt e = 0; e < kr->nbins; e++) kr->h[e] = kr->mesh[e + 1] - kr->mesh[e];
  }
  {
    const PetscInt S = 1 + KR_MAXT, m = PetscMax(2 * d, d);
    PetscCall(PetscMalloc4(d * S, &kr->X, w * S, &kr->H1, w * S, &kr->H2, m * S, &kr->O));
    PetscCall(PetscMalloc1(2 * (kr->nbins + 1), &kr->cdfn));
    PetscCall(PetscMalloc1(2 * (kr->nbins + 1), &kr->cdfv));
    PetscCall(PetscMalloc7(KR_TILE * d, &kr->xt, KR_TILE * d, &kr->gt, KR_TILE * S, &kr->seed, KR_TILE, &kr->mask, 3 * KR_TILE, &kr->scr, KR_TILE,
                           &kr->isel, KR_TILE, &kr->idx));
  }
  PetscFunctionReturn(0);
}

/* tile size for evaluations with nt tangents: at most KR_TILE points, and about 2^21 node vectors
   entries (64 MiB of tape) at most; the results do not depend on it */
static PetscErrorCode KRReserve(NN nn, PetscInt nt, PetscInt *T)
{
  NN_KRnet *kr = (NN_KRnet *)nn->data;

  PetscFunctionBegin;
  PetscCheck(nt <= KR_MAXT, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "KRnet input derivatives support up to %d directions, %" PetscInt_FMT " were asked for", KR_MAXT, nt);
  *T = PetscMax(1, PetscMin(KR_TILE, (1 << 21) / (kr->vnodes * (1 + nt))));
  PetscCall(KRTapeSetTile(&kr->tape, *T, nn->nin));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNInitialize_KRnet(NN nn, PetscReal theta[])
{
  NN_KRnet *kr = (NN_KRnet *)nn->data;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < nn->nparam; i++) theta[i] = 0;
  for (PetscInt l = 0; l < kr->nlayers; l++) {
    const KRLayer *ly = &kr->layers[l];
    const PetscInt w = kr->width, s = ly->s, L = ly->L, m = 2 * (L - s);
    if (ly->kind == KR_ROTATION)
      for (PetscInt i = 0; i < L; i++) theta[ly->off + i * L + i] = 1.0;
    if (ly->kind == KR_COUPLING) { /* weights from the network's initialization, zero biases and log_gamma */
      const PetscInt W1 = ly->off, W2 = W1 + w * s + w, W3 = W2 + w * w + w;
      PetscCall(NNInitializeWeights_Private(nn, 3 * l + 0, s, w, w * s, &theta[W1]));
      PetscCall(NNInitializeWeights_Private(nn, 3 * l + 1, w, w, w * w, &theta[W2]));
      PetscCall(NNInitializeWeights_Private(nn, 3 * l + 2, w, m, m * w, &theta[W3]));
    }
  }
  theta[kr->flag] = 0; /* actnorm not initialized from data */
  PetscFunctionReturn(0);
}

static PetscErrorCode NNArchitecture_KRnet(NN nn, char buf[], size_t len)
{
  NN_KRnet *kr = (NN_KRnet *)nn->data;
  size_t    used;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(buf, len,
                          "krnet d=%" PetscInt_FMT " step=%" PetscInt_FMT " depth=%" PetscInt_FMT " width=%" PetscInt_FMT " bins=%" PetscInt_FMT
                          " rotation=%d act=%s box=",
                          nn->nin, kr->step, kr->depth, kr->width, kr->nbins, (int)kr->rotation, NNActivations[kr->act]));
  for (PetscInt k = 0; k < nn->nin; k++) {
    PetscCall(PetscStrlen(buf, &used));
    PetscCall(PetscSNPrintf(buf + used, len - used, "%s[%.17g,%.17g]", k ? "x" : "", (double)kr->lo[k], (double)kr->hi[k]));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNView_KRnet(NN nn, PetscViewer viewer)
{
  NN_KRnet *kr = (NN_KRnet *)nn->data;
  PetscBool iascii;
  char      arch[1024];

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii || !nn->setupcalled) PetscFunctionReturn(0);
  PetscCall(NNArchitecture_KRnet(nn, arch, sizeof(arch)));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  %s\n  %" PetscInt_FMT " parameters in %" PetscInt_FMT " layers\n", arch, nn->nparam, kr->nlayers));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNDestroy_KRnet(NN nn)
{
  NN_KRnet *kr = (NN_KRnet *)nn->data;

  PetscFunctionBegin;
  PetscCall(PetscFree2(kr->lo, kr->hi));
  PetscCall(PetscFree(kr->layers));
  PetscCall(PetscFree2(kr->mesh, kr->h));
  PetscCall(PetscFree4(kr->X, kr->H1, kr->H2, kr->O));
  PetscCall(PetscFree(kr->cdfn));
  PetscCall(PetscFree(kr->cdfv));
  PetscCall(PetscFree7(kr->xt, kr->gt, kr->seed, kr->mask, kr->scr, kr->isel, kr->idx));
  PetscCall(PetscFree(kr->xsave));
  PetscCall(KRTapeDestroy(&kr->tape));
  PetscCall(PetscFree(nn->data));
  PetscFunctionReturn(0);
}

static PetscErrorCode KRCheckJets(NN nn)
{
  PetscFunctionBegin;
  PetscCheck(nn->jets.nH == 0 && !nn->jets.hasL, PETSC_COMM_SELF, PETSC_ERR_SUP,
             "NN type krnet computes log p and its first input derivatives only: no second-derivative or Laplacian jets");
  PetscFunctionReturn(0);
}

/* y: log p, then d log p/dx_D[a] (layout of nn.h with m = 1, n points, this tile's m points from p0);
   -inf and 0 outside the box. Leaves the tape of the tile's inside points (kr->idx, *nin of them). */
static PetscErrorCode KRForwardTile(NN nn, const PetscReal theta[], PetscInt n, PetscInt p0, PetscInt m, const PetscReal x[], PetscReal y[],
                                    PetscInt lp[], PetscInt *nin, PetscInt *firstout)
{
  NN_KRnet     *kr = (NN_KRnet *)nn->data;
  const NNJets *J  = &nn->jets;

  PetscFunctionBegin;
  PetscCall(KRTileInside(nn, m, &x[p0 * nn->nin], PETSC_TRUE, nin, firstout));
  for (PetscInt p = 0; p < m; p++) {
    y[p0 + p] = KR_NINF;
    for (PetscInt a = 0; a < J->nD; a++) y[(1 + a) * n + p0 + p] = 0.0;
  }
  if (!*nin) PetscFunctionReturn(0);
  PetscCall(KRTileForward(nn, theta, *nin, kr->xt, J->nD, J->D, NULL, -1, NULL, lp));
  for (PetscInt i = 0; i < *nin; i++) {
    const PetscInt p = p0 + kr->idx[i];
    for (PetscInt a = 0; a <= J->nD; a++) y[a * n + p] = KRVal(&kr->tape, lp[a], i);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNForward_KRnet(NN nn, PetscInt n, const PetscReal x[], PetscReal y[])
{
  NN_KRnet        *kr = (NN_KRnet *)nn->data;
  const PetscReal *theta;
  PetscInt         lp[KR_MAXT + 1], T = 0, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckJets(nn));
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, nn->jets.nD, &T));
  if (n > kr->nsave) {
    PetscCall(PetscFree(kr->xsave));
    PetscCall(PetscMalloc1(n * nn->nin, &kr->xsave));
  }
  PetscCall(PetscArraycpy(kr->xsave, x, n * nn->nin));
  kr->nsave = n;
  for (PetscInt p0 = 0; p0 < n; p0 += T) PetscCall(KRForwardTile(nn, theta, n, p0, PetscMin(T, n - p0), x, y, lp, &nin, &firstout));
  PetscFunctionReturn(0);
}

/* sweep the tape of the tile of m points from p0 (all inside) seeded with ybar (layout of n points) */
static PetscErrorCode KRBackwardTile(NN nn, PetscInt n, PetscInt p0, PetscInt m, const PetscInt lp[], const PetscReal ybar[], PetscReal g[],
                                     PetscReal xbar[])
{
  NN_KRnet     *kr = (NN_KRnet *)nn->data;
  const NNJets *J  = &nn->jets;

  PetscFunctionBegin;
  for (PetscInt a = 0; a <= J->nD; a++)
    for (PetscInt p = 0; p < m; p++) kr->seed[a * m + p] = ybar[a * n + p0 + p];
  if (xbar)
    for (PetscInt k = 0; k < m * nn->nin; k++) xbar[p0 * nn->nin + k] = 0;
  PetscCall(KRTapeSweep(&kr->tape, 1 + J->nD, lp, kr->seed, g, xbar ? &xbar[p0 * nn->nin] : NULL));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNBackward_KRnet(NN nn, const PetscReal ybar[], PetscReal g[], PetscReal xbar[])
{
  NN_KRnet        *kr = (NN_KRnet *)nn->data;
  const PetscInt   n  = kr->nsave;
  const PetscReal *theta;
  PetscInt         lp[KR_MAXT + 1], T = 0, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckJets(nn));
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, nn->jets.nD, &T));
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt m = PetscMin(T, n - p0);
    PetscCall(KRTileInside(nn, m, &kr->xsave[p0 * nn->nin], PETSC_FALSE, &nin, &firstout));
    PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Point %" PetscInt_FMT " lies outside the KRnet box: log p = -inf has no gradient", p0 + firstout);
    PetscCall(KRTileForward(nn, theta, m, &kr->xsave[p0 * nn->nin], nn->jets.nD, nn->jets.D, NULL, -1, NULL, lp));
    PetscCall(KRBackwardTile(nn, n, p0, m, lp, ybar, g, xbar));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNForwardBackward_KRnet(NN nn, PetscInt n, const PetscReal x[], NNAdjointFn adjoint, void *ctx, PetscReal g[], PetscReal xbar[])
{
  const PetscInt   S = 1 + nn->jets.nD;
  const PetscReal *theta;
  PetscReal       *y, *ybar;
  PetscInt         lp[KR_MAXT + 1], T = 0, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckJets(nn));
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, nn->jets.nD, &T));
  PetscCall(PetscMalloc2(S * T, &y, S * T, &ybar));
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt m = PetscMin(T, n - p0);
    PetscCall(KRForwardTile(nn, theta, m, 0, m, &x[p0 * nn->nin], y, lp, &nin, &firstout));
    PetscCall((*adjoint)(ctx, p0, m, y, ybar));
    PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Point %" PetscInt_FMT " lies outside the KRnet box: log p = -inf has no gradient", p0 + firstout);
    PetscCall(KRBackwardTile(nn, m, 0, m, lp, ybar, g, xbar ? &xbar[p0 * nn->nin] : NULL));
  }
  PetscCall(PetscFree2(y, ybar));
  PetscFunctionReturn(0);
}

PetscErrorCode NNCreate_KRnet(NN nn)
{
  NN_KRnet *kr;

  PetscFunctionBegin;
  PetscCall(PetscNew(&kr));
  kr->step                 = 1;
  kr->depth                = 6;
  kr->width                = 24;
  kr->nbins                = 32;
  kr->act                  = NN_ACTIVATION_RELU;
  nn->data                 = kr;
  nn->ops->setfromoptions  = NNSetFromOptions_KRnet;
  nn->ops->setup           = NNSetUp_KRnet;
  nn->ops->view            = NNView_KRnet;
  nn->ops->destroy         = NNDestroy_KRnet;
  nn->ops->initialize      = NNInitialize_KRnet;
  nn->ops->architecture    = NNArchitecture_KRnet;
  nn->ops->forward         = NNForward_KRnet;
  nn->ops->backward        = NNBackward_KRnet;
  nn->ops->forwardbackward = NNForwardBackward_KRnet;
  PetscFunctionReturn(0);
}

/* ------------------------------------------------------------------ public functions */
static PetscErrorCode KRCheckType(NN nn, PetscBool needsetup)
{
  PetscBool is;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)nn, NNKRNET, &is));
  PetscCheck(is, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONG, "NN is of type %s, not krnet",
             ((PetscObject)nn)->type_name ? ((PetscObject)nn)->type_name : "(unset)");
  if (needsetup)
    PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  else
    PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Set the KRnet architecture before NNSetUp()");
  PetscFunctionReturn(0);
}

/*@
  NNKRnetSetDomain - Sets the box [lo, hi]^d on which the KRnet density lives (default [-1, 1]^d).

  Logically Collective

  Input Parameters:
+ nn - the network, of type krnet, with its sizes set
. lo - lower corner (d values)
- hi - upper corner (d values), hi[k] > lo[k]

  Options Database Keys:
+ -nn_krnet_lower <lo> - one value for all inputs or one per input
- -nn_krnet_upper <hi> - one value for all inputs or one per input

  Level: intermediate

.seealso: `NNKRnetGetDomain()`, `NNKRnetLogDensity()`
@*/
PetscErrorCode NNKRnetSetDomain(NN nn, const PetscReal lo[], const PetscReal hi[])
{
  NN_KRnet *kr;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_FALSE));
  kr = (NN_KRnet *)nn->data;
  PetscCheck(nn->nin > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before NNKRnetSetDomain()");
  for (PetscInt k = 0; k < nn->nin; k++)
    PetscCheck(hi[k] > lo[k] && PetscIsNormalReal(hi[k] - lo[k]), PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
               "KRnet box (-%snn_krnet_lower, _upper) needs lo < hi in every input: input %" PetscInt_FMT " has lo %g, hi %g", KRPrefix(nn), k,
               (double)lo[k], (double)hi[k]);
  if (!kr->lo) PetscCall(PetscMalloc2(nn->nin, &kr->lo, nn->nin, &kr->hi));
  for (PetscInt k = 0; k < nn->nin; k++) kr->lo[k] = lo[k], kr->hi[k] = hi[k];
  PetscFunctionReturn(0);
}

/*@C
  NNKRnetGetDomain - Gets the box of a KRnet (arrays owned by the network).

  Not Collective

  Level: intermediate

.seealso: `NNKRnetSetDomain()`
@*/
PetscErrorCode NNKRnetGetDomain(NN nn, const PetscReal *lo[], const PetscReal *hi[])
{
  NN_KRnet *kr;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  kr = (NN_KRnet *)nn->data;
  if (lo) *lo = kr->lo;
  if (hi) *hi = kr->hi;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetSetArchitecture - Sets the KR stages: step coordinates are set aside at the end of each
  stage (ceil(d/step) stages), depth actnorm + coupling blocks per stage, and the width of the
  couplings' two hidden layers. Defaults (those of the DAS code): step 1, depth 6, width 24.

  Logically Collective

  Options Database Keys:
+ -nn_krnet_step <1> - coordinates per stage
. -nn_krnet_depth <6> - blocks per stage
- -nn_krnet_width <24> - hidden width

  Level: intermediate

.seealso: `NNKRnetSetCDFBins()`, `NNKRnetSetRotation()`
@*/
PetscErrorCode NNKRnetSetArchitecture(NN nn, PetscInt step, PetscInt depth, PetscInt width)
{
  NN_KRnet *kr;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_FALSE));
  kr = (NN_KRnet *)nn->data;
  PetscCheck(step >= 1 && depth >= 1 && width >= 1, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "KRnet needs -%snn_krnet_step, _depth, _width >= 1, got %" PetscInt_FMT ", %" PetscInt_FMT ", %" PetscInt_FMT, KRPrefix(nn), step, depth,
             width);
  kr->step  = step;
  kr->depth = depth;
  kr->width = width;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetSetCDFBins - Sets the number of elements of the quadratic-CDF layer (even, >= 2; default 32).

  Logically Collective

  Options Database Key:
. -nn_krnet_bins <32> - elements

  Level: intermediate

.seealso: `NNKRnetSetArchitecture()`
@*/
PetscErrorCode NNKRnetSetCDFBins(NN nn, PetscInt nbins)
{
  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_FALSE));
  PetscCheck(nbins >= 2 && nbins % 2 == 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "-%snn_krnet_bins must be even and >= 2, got %" PetscInt_FMT, KRPrefix(nn), nbins);
  ((NN_KRnet *)nn->data)->nbins = nbins;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetSetRotation - Adds an LU-parametrized linear map (initialized to the identity) at the
  start of each KR stage but the last (default off).

  Logically Collective

  Options Database Key:
. -nn_krnet_rotation <false> - use the rotation

  Level: intermediate

.seealso: `NNKRnetSetArchitecture()`
@*/
PetscErrorCode NNKRnetSetRotation(NN nn, PetscBool flg)
{
  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_FALSE));
  ((NN_KRnet *)nn->data)->rotation = flg;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetSetActivation - Sets the activation of the coupling MLPs: relu (default, as KRnet) or
  tanh (smooth, so that input derivatives of log p are smooth too).

  Logically Collective

  Options Database Key:
. -nn_krnet_activation <relu> - relu or tanh

  Level: intermediate

.seealso: `NNKRnetSetArchitecture()`
@*/
PetscErrorCode NNKRnetSetActivation(NN nn, NNActivation act)
{
  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_FALSE));
  PetscCheck(act == NN_ACTIVATION_RELU || act == NN_ACTIVATION_TANH, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "-%snn_krnet_activation must be relu or tanh, got %s", KRPrefix(nn), NNActivations[act]);
  ((NN_KRnet *)nn->data)->act = act;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetInitializeActNorm - Data-dependent initialization of every actnorm layer, as KRnet does on
  its first batch: layer by layer, the layer's inputs over all ranks' points give b = -mean and
  log s = log(1/(std + 1e-6))/3. Sets the "initialized" flag (a parameter entry, so checkpoints keep
  it); does nothing when the flag is already set. The result does not depend on the rank count
  (the statistics are summed in global point order).

  Collective

  Input Parameters:
+ nn - the network
. n  - this rank's points
- x  - the points, n x d, inside the box

  Level: intermediate

.seealso: `NNKRnetGetActNormInitialized()`, `NNInitializeParameters()`
@*/
PetscErrorCode NNKRnetInitializeActNorm(NN nn, PetscInt n, const PetscReal x[])
{
  NN_KRnet        *kr;
  MPI_Comm         comm;
  const PetscReal *theta;
  PetscMPIInt      size, nl;
  PetscMPIInt     *counts, *displs;
  PetscReal       *mine, *all, *stat;
  PetscInt         N, d, lo, hi;
  PetscBool        init;
  PetscInt         T;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  kr   = (NN_KRnet *)nn->data;
  comm = PetscObjectComm((PetscObject)nn);
  d    = nn->nin;
  PetscCall(NNKRnetGetActNormInitialized(nn, &init));
  if (init) PetscFunctionReturn(0);
  PetscCall(MPIU_Allreduce(&n, &N, 1, MPIU_INT, MPI_SUM, comm));
  PetscCheck(N >= 2, comm, PETSC_ERR_ARG_SIZ, "KRnet actnorm initialization needs at least 2 points, got %" PetscInt_FMT, N);
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc5(size, &counts, size, &displs, n * d + 1, &mine, N * d, &all, 2 * d, &stat));
  PetscCall(PetscMPIIntCast(n * d, &nl));
  PetscCallMPI(MPI_Allgather(&nl, 1, MPI_INT, counts, 1, MPI_INT, comm));
  displs[0] = 0;
  for (PetscMPIInt q = 1; q < size; q++) displs[q] = displs[q - 1] + counts[q - 1];
  PetscCall(KRReserve(nn, 0, &T));
  PetscCall(VecGetOwnershipRange(nn->params, &lo, &hi));
  for (PetscInt l = 0; l < kr->nlayers; l++) {
    const KRLayer *ly = &kr->layers[l];
    PetscScalar   *p;
    if (ly->kind != KR_ACTNORM) continue;
    PetscCall(KRGetTheta(nn, &theta));
    for (PetscInt p0 = 0; p0 < n; p0 += T) {
      const PetscInt m = PetscMin(T, n - p0);
      PetscInt       nin, firstout;
      PetscCall(KRTileInside(nn, m, &x[p0 * d], PETSC_FALSE, &nin, &firstout));
      PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
                 "Actnorm initialization: point %" PetscInt_FMT " lies outside the KRnet box", p0 + firstout);
      PetscCall(KRTileForward(nn, theta, m, &x[p0 * d], 0, NULL, NULL, l, &mine[p0 * d], NULL));
    }
    PetscCallMPI(MPI_Allgatherv(mine, nl, MPIU_REAL, all, counts, displs, MPIU_REAL, comm));
    for (PetscInt k = 0; k < ly->L; k++) {
      PetscReal mean = 0, var = 0;
      for (PetscInt i = 0; i < N; i++) mean += all[i * d + k];
      mean /= N;
      for (PetscInt i = 0; i < N; i++) var += PetscSqr(all[i * d + k] - mean);
      stat[k]         = -mean;
      stat[ly->L + k] = PetscLogReal(1.0 / (PetscSqrtReal(var / N) + 1e-6)) / 3.0;
    }
    PetscCall(VecGetArray(nn->params, &p));
    for (PetscInt i = 0; i < 2 * ly->L; i++)
      if (ly->off + i >= lo && ly->off + i < hi) p[ly->off + i - lo] = stat[i];
    PetscCall(VecRestoreArray(nn->params, &p));
  }
  {
    PetscScalar *p;
    PetscCall(VecGetArray(nn->params, &p));
    if (kr->flag >= lo && kr->flag < hi) p[kr->flag - lo] = 1.0;
    PetscCall(VecRestoreArray(nn->params, &p));
  }
  PetscCall(PetscFree5(counts, displs, mine, all, stat));
  PetscFunctionReturn(0);
}

/*@
  NNKRnetGetActNormInitialized - Whether the actnorm layers were initialized from data.

  Not Collective

  Level: intermediate

.seealso: `NNKRnetInitializeActNorm()`
@*/
PetscErrorCode NNKRnetGetActNormInitialized(NN nn, PetscBool *init)
{
  const PetscReal *theta;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  PetscCall(KRGetTheta(nn, &theta));
  *init = theta[((NN_KRnet *)nn->data)->flag] > 0.5 ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetTransform - The flow's forward map x -> z and log |det dz/dx| at n points.

  Not Collective

  Input Parameters:
+ nn - the network
. n  - number of points
- x  - points, n x d, inside the open box (an error otherwise)

  Output Parameters:
+ z      - latent points, n x d
- logdet - log |det dz/dx| per point (may be NULL)

  Level: intermediate

.seealso: `NNKRnetInverse()`, `NNKRnetLogDensity()`
@*/
PetscErrorCode NNKRnetTransform(NN nn, PetscInt n, const PetscReal x[], PetscReal z[], PetscReal logdet[])
{
  const PetscReal *theta;
  const PetscInt   d = nn->nin;
  PetscInt         lp[1], T, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, 0, &T));
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt m = PetscMin(T, n - p0);
    PetscCall(KRTileInside(nn, m, &x[p0 * d], PETSC_FALSE, &nin, &firstout));
    PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Point %" PetscInt_FMT " lies outside the KRnet box", p0 + firstout);
    PetscCall(KRTileForward(nn, theta, m, &x[p0 * d], 0, NULL, NULL, -1, &z[p0 * d], lp));
    for (PetscInt i = 0; i < m; i++) {
      const PetscInt p  = p0 + i;
      PetscReal      zz = 0;
      for (PetscInt k = 0; k < d; k++) zz += z[p * d + k] * z[p * d + k];
      if (logdet) logdet[p] = KRVal(&((NN_KRnet *)nn->data)->tape, lp[0], i) + 0.5 * zz + 0.5 * d * PetscLogReal(2.0 * PETSC_PI);
    }
  }
  PetscFunctionReturn(0);
}

/*@
  NNKRnetInverse - The flow's inverse map z -> x at n points; x lies in the closed box (in the open
  box unless a coordinate of the logit saturates in double precision, |y| > ~37).

  Not Collective

  Level: intermediate

.seealso: `NNKRnetTransform()`, `NNKRnetSample()`
@*/
PetscErrorCode NNKRnetInverse(NN nn, PetscInt n, const PetscReal z[], PetscReal x[])
{
  const PetscReal *theta;
  PetscInt         T;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, 0, &T));
  for (PetscInt p0 = 0; p0 < n; p0 += T) PetscCall(KRTileInverse(nn, theta, PetscMin(T, n - p0), &z[p0 * nn->nin], &x[p0 * nn->nin]));
  PetscFunctionReturn(0);
}

/*@
  NNKRnetLogDensity - log p(x) at n points; -inf for points outside the open box.

  Not Collective

  Input Parameters:
+ nn - the network
. n  - number of points
- x  - points, n x d

  Output Parameter:
. logp - n values

  Level: intermediate

.seealso: `NNKRnetLogDensityGradient()`, `NNKRnetWeightedLogDensity()`
@*/
PetscErrorCode NNKRnetLogDensity(NN nn, PetscInt n, const PetscReal x[], PetscReal logp[])
{
  NN_KRnet        *kr;
  const PetscReal *theta;
  PetscInt         lp[1], T, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  kr = (NN_KRnet *)nn->data;
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, 0, &T));
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt m = PetscMin(T, n - p0);
    PetscCall(KRTileInside(nn, m, &x[p0 * nn->nin], PETSC_TRUE, &nin, &firstout));
    for (PetscInt p = 0; p < m; p++) logp[p0 + p] = KR_NINF;
    if (!nin) continue;
    PetscCall(KRTileForward(nn, theta, nin, kr->xt, 0, NULL, NULL, -1, NULL, lp));
    for (PetscInt i = 0; i < nin; i++) logp[p0 + kr->idx[i]] = KRVal(&kr->tape, lp[0], i);
  }
  PetscFunctionReturn(0);
}

/*@
  NNKRnetLogDensityGradient - log p(x) and grad_x log p(x) at n points (reverse mode, exact).

  Not Collective

  Output Parameters:
+ logp  - n values (may be NULL)
- gradx - n x d

  Level: intermediate

.seealso: `NNKRnetLogDensity()`, `NNKRnetPenalty()`
@*/
PetscErrorCode NNKRnetLogDensityGradient(NN nn, PetscInt n, const PetscReal x[], PetscReal logp[], PetscReal gradx[])
{
  NN_KRnet        *kr;
  const PetscReal *theta;
  const PetscInt   d = nn->nin;
  PetscInt         lp[1], T, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  kr = (NN_KRnet *)nn->data;
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, 0, &T));
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt m = PetscMin(T, n - p0);
    PetscCall(KRTileInside(nn, m, &x[p0 * d], PETSC_FALSE, &nin, &firstout));
    PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Point %" PetscInt_FMT " lies outside the KRnet box: log p = -inf has no gradient", p0 + firstout);
    PetscCall(KRTileForward(nn, theta, m, &x[p0 * d], 0, NULL, NULL, -1, NULL, lp));
    for (PetscInt i = 0; i < m; i++) {
      if (logp) logp[p0 + i] = KRVal(&kr->tape, lp[0], i);
      kr->seed[i] = 1.0;
    }
    for (PetscInt k = 0; k < m * d; k++) gradx[p0 * d + k] = 0;
    PetscCall(KRTapeSweep(&kr->tape, 1, lp, kr->seed, NULL, &gradx[p0 * d]));
  }
  PetscFunctionReturn(0);
}

/*@
  NNKRnetSample - Draws n points from the flow: z ~ N(0, I) from the counter-based generator at
  global indices first .. first + n - 1 (each point uses d consecutive normals of the stream), then
  x = inverse map of z. A point depends only on (seed, stream, its global index), never on the rank
  count: ranks pass their own slice of one global range.

  Not Collective

  Input Parameters:
+ nn     - the network
. rnd    - the generator (its seed)
. stream - the random stream
. first  - global index of this rank's first point
- n      - points on this rank

  Output Parameters:
+ x    - n x d points in the box
- logp - log p(x) (may be NULL; -inf for a point that rounding put on the box boundary)

  Level: intermediate

.seealso: `NNKRnetInverse()`, `NNRandomReserve()`
@*/
PetscErrorCode NNKRnetSample(NN nn, NNRandom rnd, uint64_t stream, uint64_t first, PetscInt n, PetscReal x[], PetscReal logp[])
{
  PetscReal *z;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  PetscCall(PetscMalloc1(n * nn->nin + 1, &z));
  PetscCall(NNRandomNormal(rnd, stream, first * (uint64_t)nn->nin, n * nn->nin, z));
  PetscCall(NNKRnetInverse(nn, n, z, x));
  if (logp) PetscCall(NNKRnetLogDensity(nn, n, x, logp));
  PetscCall(PetscFree(z));
  PetscFunctionReturn(0);
}

/*@
  NNKRnetWeightedLogDensity - value = sum_i w_i log p(x_i) and g += sum_i w_i d log p(x_i)/d alpha
  over this rank's points (maximum likelihood, DAS's weighted cross-entropy). Sum over ranks with
  MPIU_Allreduce() and NNReduceGradient().

  Not Collective

  Input Parameters:
+ nn - the network
. n  - number of points
. x  - points, n x d, inside the box (an error otherwise)
- w  - weights (NULL: all 1)

  Output Parameters:
+ value - the local weighted sum (may be NULL)
- g     - replicated gradient array (NNGetNumParameters() entries), added to (may be NULL)

  Level: intermediate

.seealso: `NNKRnetPenalty()`, `NNReduceGradient()`
@*/
PetscErrorCode NNKRnetWeightedLogDensity(NN nn, PetscInt n, const PetscReal x[], const PetscReal w[], PetscReal *value, PetscReal g[])
{
  NN_KRnet        *kr;
  const PetscReal *theta;
  const PetscInt   d   = nn->nin;
  PetscReal        sum = 0;
  PetscInt         lp[1], T, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  kr = (NN_KRnet *)nn->data;
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, 0, &T));
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt m = PetscMin(T, n - p0);
    PetscCall(KRTileInside(nn, m, &x[p0 * d], PETSC_FALSE, &nin, &firstout));
    PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Point %" PetscInt_FMT " lies outside the KRnet box: log p = -inf",
               p0 + firstout);
    PetscCall(KRTileForward(nn, theta, m, &x[p0 * d], 0, NULL, NULL, -1, NULL, lp));
    for (PetscInt i = 0; i < m; i++) {
      kr->seed[i] = w ? w[p0 + i] : 1.0;
      sum += kr->seed[i] * KRVal(&kr->tape, lp[0], i);
    }
    if (g) PetscCall(KRTapeSweep(&kr->tape, 1, lp, kr->seed, g, NULL));
  }
  if (value) *value = sum;
  PetscFunctionReturn(0);
}

/*@
  NNKRnetPenalty - The AAS Sobolev penalty and its exact parameter gradient over this rank's
  points: value = sum_i w_i |grad_x p(x_i)|^2 (NNKRNET_PENALTY_GRAD_P, the AAS penalty with
  grad_x p = p grad_x log p) or sum_i w_i |grad_x log p(x_i)|^2 (NNKRNET_PENALTY_GRAD_LOGP, the DAS
  code's H1 term), and g += its gradient in the parameters. v = grad_x log p comes from a reverse
  sweep; then d/dalpha |grad_x log p|^2 = 2 d/dalpha (v . grad_x log p) with v held fixed is one
  forward tangent along v on the tape and a reverse sweep: exact mixed second derivatives, about
  three log p evaluations per point for any d.

  Not Collective

  Input Parameters:
+ nn   - the network
. type - NNKRNET_PENALTY_GRAD_P or NNKRNET_PENALTY_GRAD_LOGP
. n    - number of points
. x    - points, n x d, inside the box
- w    - weights (NULL: all 1)

  Output Parameters:
+ value - the local weighted sum (may be NULL)
- g     - replicated gradient array, added to (may be NULL)

  Level: intermediate

.seealso: `NNKRnetWeightedLogDensity()`, `NNKRnetLogDensityGradient()`
@*/
PetscErrorCode NNKRnetPenalty(NN nn, NNKRnetPenaltyType type, PetscInt n, const PetscReal x[], const PetscReal w[], PetscReal *value, PetscReal g[])
{
  NN_KRnet        *kr;
  const PetscReal *theta;
  const PetscInt   d   = nn->nin;
  PetscReal        sum = 0, *f, *lpv;
  PetscInt         lp[2], T, nin, firstout;

  PetscFunctionBegin;
  PetscCall(KRCheckType(nn, PETSC_TRUE));
  kr = (NN_KRnet *)nn->data;
  PetscCall(KRGetTheta(nn, &theta));
  PetscCall(KRReserve(nn, 1, &T));
  f   = kr->seed + 2 * KR_TILE; /* past the two seeds; kr->scr is the CDF layer's */
  lpv = kr->seed + 3 * KR_TILE;
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt   m  = PetscMin(T, n - p0);
    const PetscReal *xp = &x[p0 * d];
    PetscCall(KRTileInside(nn, m, xp, PETSC_FALSE, &nin, &firstout));
    PetscCheck(firstout < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Point %" PetscInt_FMT " lies outside the KRnet box: log p = -inf",
               p0 + firstout);
    /* v = grad_x log p by a reverse sweep */
    PetscCall(KRTileForward(nn, theta, m, xp, 0, NULL, NULL, -1, NULL, lp));
    for (PetscInt i = 0; i < m; i++) {
      lpv[i]      = KRVal(&kr->tape, lp[0], i);
      kr->seed[i] = 1.0;
    }
    PetscCall(PetscArrayzero(kr->gt, m * d));
    PetscCall(KRTapeSweep(&kr->tape, 1, lp, kr->seed, NULL, kr->gt));
    for (PetscInt i = 0; i < m; i++) {
      PetscReal q = 0;
      for (PetscInt k = 0; k < d; k++) q += kr->gt[i * d + k] * kr->gt[i * d + k];
      f[i] = type == NNKRNET_PENALTY_GRAD_P ? q * PetscExpReal(2.0 * lpv[i]) : q;
      sum += (w ? w[p0 + i] : 1.0) * f[i];
    }
    if (!g) continue;
    /* d/dalpha |v|^2 = 2 d/dalpha (v . grad_x log p) with v held fixed: one forward tangent along v, then
       a reverse sweep; grad_p adds 2 f d log p/dalpha (|grad p|^2 = p^2 |grad log p|^2) */
    PetscCall(KRTileForward(nn, theta, m, xp, 1, NULL, kr->gt, -1, NULL, lp));
    for (PetscInt i = 0; i < m; i++) {
      const PetscReal wi = w ? w[p0 + i] : 1.0;
      if (type == NNKRNET_PENALTY_GRAD_P) {
        kr->seed[i]     = 2.0 * wi * f[i];
        kr->seed[m + i] = 2.0 * wi * PetscExpReal(2.0 * lpv[i]);
      } else {
        kr->seed[i]     = 0.0;
        kr->seed[m + i] = 2.0 * wi;
      }
    }
    PetscCall(KRTapeSweep(&kr->tape, 2, lp, kr->seed, g, NULL));
  }
  if (value) *value = sum;
  PetscFunctionReturn(0);
}

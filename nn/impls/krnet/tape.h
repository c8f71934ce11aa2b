/* A batched reverse-mode tape for the KRnet flow (nn/impls/krnet/ only).

   Every node holds one scalar quantity of the evaluation for a tile of m points (a vector of
   length m, stride T): its values and the local partial derivatives with respect to up to two
   parents; leaves say where the adjoint goes (a parameter, summed over the tile, or an input, per
   point). Forward derivatives in x (the "tangents") are nodes too, so one reverse sweep
   differentiates any function of log p and of its tangents with respect to the parameters: exact
   mixed second derivatives. Two block operations act on many nodes at once: a dense layer (all
   outputs and tangent components of W x + b, one op, a matrix product over the tile in reverse)
   and a per-point gather (node value at point p taken from candidate cand[sel[p]]).
   Node index -1 stands for an exact zero, so zero tangents and constant factors cost nothing.

   Every elementwise node computes its value with the same floating-point operations, in the same
   order, as a scalar evaluation of one point would: results do not depend on the tile. */
#ifndef NNPDE_KRNET_TAPE_H
#define NNPDE_KRNET_TAPE_H

#include <petscsys.h>

#define KR_MAXT 64 /* most tangents (input directions) per point */

/* How the reverse sweep gets an elementwise node's partials: recomputed from the values with the
   expressions a forward pass would have stored (so the forward writes values only), or, KR_OP_GEN,
   stored in da/db */
typedef enum { KR_OP_GEN, KR_OP_ADD, KR_OP_SUB, KR_OP_SCALE, KR_OP_MUL, KR_OP_ADDC, KR_OP_EXP, KR_OP_TANH, KR_OP_LOG, KR_OP_RECIP } KROp;

typedef struct {
  PetscInt  woff, boff, fin, fout, S; /* W fout x fin at parameter woff, b at boff; S = 1 + tangents */
  PetscInt  in;                       /* fin*S input node ids in ids[in ..] (j*S + c) */
  PetscInt  out0;                     /* first output node: out0 + i*S + c */
  PetscBool relu;                     /* outputs are relu(W in + b), every component masked by the value's sign */
} KRDenseOp;

typedef struct {
  PetscInt ncand, cand, sel; /* candidates ids[cand .. cand+ncand), per-point choice isel[sel .. sel+m) */
} KRGatherOp;

typedef struct {
  PetscInt   T, m;      /* stride (tile capacity), points of the current tile */
  PetscInt   d;         /* inputs (xbar stride) */
  PetscInt   n, nalloc; /* nodes */
  PetscInt   nadj;      /* nodes the adjoint array holds */
  PetscBool  err;       /* an allocation failed: results invalid, the caller errors */
  PetscReal *v, *da, *db, *adj;
  PetscReal *tmp;  /* T */
  PetscReal *work; /* the dense blocks' reverse products */
  PetscInt   nwork;
  PetscInt  *a, *b, *src, *kind; /* src: -1 none, >= 0 parameter, <= -2 input -(src+2); kind: 0 elementwise, k > 0 dense op k-1 (last node of
                                    its block), k < 0 gather op -k-1 */
  char            *hit;          /* the node's adjoint is nonzero somewhere (sweep) */
  char            *op;           /* KROp of an elementwise node */
  char            *uni;          /* the node has the same value at every point of the tile (constants, parameters, functions of them) */
  PetscReal       *c;            /* KR_OP_SCALE's factor */
  KRDenseOp       *dense;
  PetscInt         ndense, ndalloc;
  KRGatherOp      *gather;
  PetscInt         ngather, ngalloc;
  PetscInt        *ids, nids, nidalloc;
  PetscInt        *isel, nisel, niselalloc;
  const PetscReal *theta; /* parameters of the current evaluation */
} KRTape;

PETSC_INTERN PetscErrorCode KRTapeSetTile(KRTape *, PetscInt T, PetscInt d);
PETSC_INTERN PetscErrorCode KRTapeDestroy(KRTape *);
PETSC_INTERN void           KRTapeClear(KRTape *, PetscInt m, const PetscReal theta[]);
PETSC_INTERN PetscInt       KRNewNodes(KRTape *, PetscInt count, PetscInt a, PetscInt b, PetscInt src);
PETSC_INTERN PetscInt       KRNewIds(KRTape *, PetscInt count);
PETSC_INTERN PetscInt       KRNewSel(KRTape *, PetscInt count);
PETSC_INTERN PetscInt       KRNewDense(KRTape *);
PETSC_INTERN PetscInt       KRNewGather(KRTape *);
/* adj = 0, then adj[node[i]][p] = seed[i*m + p]; g[param] += and xbar[p*d + input] += the adjoints of the leaves */
PETSC_INTERN PetscErrorCode KRTapeSweep(KRTape *, PetscInt nseed, const PetscInt node[], const PetscReal seed[], PetscReal g[], PetscReal xbar[]);
/* out = W in + b (b on the value component only), W fout x fin row-major at woff; out[i*S + c] are
   new nodes (-1 for a component whose inputs are all zero); with relu, every component is zero where
   the value component W in + b is not positive (the relu and its tangents) */
PETSC_INTERN void KRDenseNodes(KRTape *, PetscInt S, PetscInt woff, PetscInt boff, PetscInt fin, PetscInt fout, const PetscInt in[], PetscInt out[],
                               PetscBool relu);
/* node value at p = value of cand[sel[p]] at p (cand may hold -1: zero) */
PETSC_INTERN PetscInt KRGather(KRTape *, PetscInt ncand, const PetscInt cand[], const PetscInt sel[]);

#define KRV(t, x) (&(t)->v[(size_t)(x) * (t)->T])
#define KRDA(t, x) (&(t)->da[(size_t)(x) * (t)->T])
#define KRDB(t, x) (&(t)->db[(size_t)(x) * (t)->T])

/* value of node x at point p (0 for x = -1) */
static inline PetscReal KRVal(const KRTape *t, PetscInt x, PetscInt p)
{
  return x < 0 ? 0.0 : t->v[(size_t)x * t->T + p];
}
static inline PetscInt KRConst(KRTape *t, PetscReal c)
{
  PetscInt   i;
  PetscReal *v;
  if (c == 0.0) return -1;
  i         = KRNewNodes(t, 1, -1, -1, -1);
  t->uni[i] = 1;
  v         = KRV(t, i);
  for (PetscInt p = 0; p < t->m; p++) v[p] = c;
  return i;
}
/* per-point constants c[p*stride] */
static inline PetscInt KRConstVec(KRTape *t, const PetscReal c[], PetscInt stride)
{
  const PetscInt i = KRNewNodes(t, 1, -1, -1, -1);
  PetscReal     *v = KRV(t, i);
  for (PetscInt p = 0; p < t->m; p++) v[p] = c[p * stride];
  return i;
}
static inline PetscInt KRLeaf(KRTape *t, PetscReal c, PetscInt src)
{
  const PetscInt i = KRNewNodes(t, 1, -1, -1, src);
  PetscReal     *v = KRV(t, i);
  t->uni[i]        = 1;
  for (PetscInt p = 0; p < t->m; p++) v[p] = c;
  return i;
}
static inline PetscInt KRLeafVec(KRTape *t, const PetscReal c[], PetscInt stride, PetscInt src)
{
  const PetscInt i = KRNewNodes(t, 1, -1, -1, src);
  PetscReal     *v = KRV(t, i);
  for (PetscInt p = 0; p < t->m; p++) v[p] = c[p * stride];
  return i;
}
/* a new node of kind op with parents x, y; returns its value array, *vx, *vy those of x, y */
static inline PetscInt KRUnit(KRTape *t, KROp op, PetscInt x, PetscInt y, PetscReal **v, const PetscReal **vx, const PetscReal **vy)
{
  const PetscInt i = KRNewNodes(t, 1, x, y, -1);
  t->op[i]         = (char)op;
  *v               = KRV(t, i);
  if (vx) *vx = x < 0 ? NULL : KRV(t, x);
  if (vy) *vy = y < 0 ? NULL : KRV(t, y);
  return i;
}
static inline PetscInt KRAdd(KRTape *t, PetscInt x, PetscInt y)
{
  PetscReal       *v;
  const PetscReal *vx, *vy;
  PetscInt         i;
  if (x < 0) return y;
  if (y < 0) return x;
  i = KRUnit(t, KR_OP_ADD, x, y, &v, &vx, &vy);
  for (PetscInt p = 0; p < t->m; p++) v[p] = vx[p] + vy[p];
  return i;
}
static inline PetscInt KRScale(KRTape *t, PetscInt x, PetscReal c)
{
  PetscReal       *v;
  const PetscReal *vx;
  PetscInt         i;
  if (x < 0 || c == 0.0) return -1;
  i       = KRUnit(t, KR_OP_SCALE, x, -1, &v, &vx, NULL);
  t->c[i] = c;
  for (PetscInt p = 0; p < t->m; p++) v[p] = c * vx[p];
  return i;
}
/* c[p] * x, per-point constants */
static inline PetscInt KRScaleVec(KRTape *t, PetscInt x, const PetscReal c[])
{
  PetscReal       *v, *da;
  const PetscReal *vx;
  PetscInt         i;
  if (x < 0) return -1;
  i  = KRUnit(t, KR_OP_GEN, x, -1, &v, &vx, NULL);
  da = KRDA(t, i);
  for (PetscInt p = 0; p < t->m; p++) v[p] = c[p] * vx[p], da[p] = c[p];
  return i;
}
static inline PetscInt KRSub(KRTape *t, PetscInt x, PetscInt y)
{
  PetscReal       *v;
  const PetscReal *vx, *vy;
  PetscInt         i;
  if (y < 0) return x;
  if (x < 0) return KRScale(t, y, -1.0);
  i = KRUnit(t, KR_OP_SUB, x, y, &v, &vx, &vy);
  for (PetscInt p = 0; p < t->m; p++) v[p] = vx[p] - vy[p];
  return i;
}
static inline PetscInt KRMul(KRTape *t, PetscInt x, PetscInt y)
{
  PetscReal       *v;
  const PetscReal *vx, *vy;
  PetscInt         i;
  if (x < 0 || y < 0) return -1;
  i = KRUnit(t, KR_OP_MUL, x, y, &v, &vx, &vy);
  for (PetscInt p = 0; p < t->m; p++) v[p] = vx[p] * vy[p];
  return i;
}
static inline PetscInt KRAddConst(KRTape *t, PetscInt x, PetscReal c)
{
  PetscReal       *v;
  const PetscReal *vx;
  PetscInt         i;
  if (x < 0) return KRConst(t, c);
  if (c == 0.0) return x;
  i = KRUnit(t, KR_OP_ADDC, x, -1, &v, &vx, NULL);
  for (PetscInt p = 0; p < t->m; p++) v[p] = vx[p] + c;
  return i;
}
/* x + c[p] (x may be -1) */
static inline PetscInt KRAddConstVec(KRTape *t, PetscInt x, const PetscReal c[])
{
  PetscReal       *v;
  const PetscReal *vx;
  PetscInt         i;
  if (x < 0) return KRConstVec(t, c, 1);
  i = KRUnit(t, KR_OP_ADDC, x, -1, &v, &vx, NULL);
  for (PetscInt p = 0; p < t->m; p++) v[p] = vx[p] + c[p];
  return i;
}
static inline PetscInt KRExp(KRTape *t, PetscInt x)
{
  PetscReal       *v;
  const PetscReal *vx;
  PetscInt         i;
  if (x < 0) return KRConst(t, 1.0);
  i = KRUnit(t, KR_OP_EXP, x, -1, &v, &vx, NULL);
  if (t->uni[x]) { /* one exp for the tile */
    const PetscReal e = PetscExpReal(vx[0]);
    t->uni[i]         = 1;
    for (PetscInt p = 0; p < t->m; p++) v[p] = e;
  } else
    for (PetscInt p = 0; p < t->m; p++) v[p] = PetscExpReal(vx[p]);
  return i;
}
static inline PetscInt KRLog(KRTape *t, PetscInt x) /* log |x|; x = -1 (zero) gives -inf, no parent */
{
  PetscReal       *v;
  const PetscReal *vx;
  const PetscInt   i = KRUnit(t, x < 0 ? KR_OP_GEN : KR_OP_LOG, x, -1, &v, &vx, NULL);
  for (PetscInt p = 0; p < t->m; p++) v[p] = PetscLogReal(vx ? PetscAbsReal(vx[p]) : 0.0);
  return i;
}
static inline PetscInt KRTanh(KRTape *t, PetscInt x)
{
  PetscReal       *v;
  const PetscReal *vx;
  PetscInt         i;
  if (x < 0) return -1;
  i = KRUnit(t, KR_OP_TANH, x, -1, &v, &vx, NULL);
  for (PetscInt p = 0; p < t->m; p++) v[p] = PetscTanhReal(vx[p]);
  return i;
}
static inline PetscInt KRRecip(KRTape *t, PetscInt x)
{
  PetscReal       *v;
  const PetscReal *vx;
  const PetscInt   i = KRUnit(t, x < 0 ? KR_OP_GEN : KR_OP_RECIP, x, -1, &v, &vx, NULL);
  for (PetscInt p = 0; p < t->m; p++) v[p] = 1.0 / (vx ? vx[p] : 0.0);
  return i;
}
/* mask[p] ? x : y */
static inline PetscInt KRSelect(KRTape *t, const PetscReal mask[], PetscInt x, PetscInt y)
{
  PetscInt i;
  if (x < 0 && y < 0) return -1;
  i = KRNewNodes(t, 1, x, y, -1);
  {
    PetscReal       *v = KRV(t, i), *da = KRDA(t, i), *db = KRDB(t, i);
    const PetscReal *vx = x < 0 ? NULL : KRV(t, x), *vy = y < 0 ? NULL : KRV(t, y);
    for (PetscInt p = 0; p < t->m; p++) {
      v[p]  = mask[p] != 0.0 ? (vx ? vx[p] : 0.0) : (vy ? vy[p] : 0.0);
      da[p] = mask[p];
      db[p] = 1.0 - mask[p];
    }
  }
  return i;
}

#endif

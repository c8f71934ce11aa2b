/* A per-point reverse-mode tape for the KRnet flow (nn/impls/krnet/ only).

   Every scalar of one point's evaluation is a node: its value, up to two parents with the local
   partial derivatives, and, for leaves, where the adjoint goes (a parameter or an input). Forward
   derivatives in x (the "tangents") are themselves nodes, so one reverse sweep differentiates any
   function of log p and of grad_x log p with respect to the parameters: the exact mixed second
   derivatives that the AAS penalty needs, with no hand-written second-order code.
   Node index -1 stands for an exact zero, so zero tangents and constant factors cost nothing. */
#ifndef NNPDE_KRNET_TAPE_H
#define NNPDE_KRNET_TAPE_H

#include <petscsys.h>

#define KR_MAXT 64 /* most tangents (input directions) per point */

typedef struct {
  PetscInt   n, nalloc;
  PetscBool  overflow; /* a point needed more nodes or edges than allocated: results invalid, caller errors */
  PetscReal *v, *da, *db, *adj;
  PetscInt  *a, *b, *src; /* src: -1 none, >= 0 parameter index, <= -2 input -(src+2) */
  /* linear-combination nodes (a dense layer's sums): extra edges e0[i] .. e0[i] + ne[i] - 1, each a
     parent (a node >= 0, or parameter -(id+2) directly, without a leaf node) and its partial */
  PetscInt  *e0, *ne;
  PetscInt   nedge, nealloc;
  PetscInt  *eid;
  PetscReal *ew;
} KRTape;

PETSC_INTERN PetscErrorCode KRTapeReserve(KRTape *, PetscInt nodes, PetscInt edges);
PETSC_INTERN PetscErrorCode KRTapeDestroy(KRTape *);
/* adj = 0, then adj[node[i]] = seed[i]; g[param] += and xbar[input] += the adjoints of the leaves */
PETSC_INTERN void KRTapeSweep(KRTape *, PetscInt nseed, const PetscInt node[], const PetscReal seed[], PetscReal g[], PetscReal xbar[]);

static inline PetscInt KRNode(KRTape *t, PetscReal v, PetscInt a, PetscReal da, PetscInt b, PetscReal db, PetscInt src)
{
  PetscInt i = t->n;
  if (i >= t->nalloc) {
    t->overflow = PETSC_TRUE; /* write into the scratch slot at nalloc */
    i           = t->nalloc;
  } else
    t->n++;
  t->v[i]   = v;
  t->a[i]   = a;
  t->da[i]  = da;
  t->b[i]   = b;
  t->db[i]  = db;
  t->src[i] = src;
  t->ne[i]  = 0;
  return i;
}

/* A linear-combination node with value v0; its terms follow with KRLinTerm() (no other node may be
   created until the last term). */
static inline PetscInt KRLinBegin(KRTape *t, PetscReal v0)
{
  const PetscInt i = KRNode(t, v0, -1, 0, -1, 0, -1);
  t->e0[i]         = t->nedge;
  return i;
}
/* node i += w * val, where val is the value of parent id (a node, or a parameter coded -(p+2)) */
static inline void KRLinTerm(KRTape *t, PetscInt i, PetscInt id, PetscReal w, PetscReal val)
{
  PetscInt e = t->nedge;
  if (e >= t->nealloc) {
    t->overflow = PETSC_TRUE;
    e           = t->nealloc;
  } else {
    t->nedge++;
    t->ne[i]++;
  }
  t->eid[e] = id;
  t->ew[e]  = w;
  t->v[i] += w * val;
}

static inline PetscReal KRVal(const KRTape *t, PetscInt x)
{
  return x < 0 ? 0.0 : t->v[x];
}
static inline PetscInt KRConst(KRTape *t, PetscReal c)
{
  return c == 0.0 ? -1 : KRNode(t, c, -1, 0, -1, 0, -1);
}
static inline PetscInt KRLeaf(KRTape *t, PetscReal v, PetscInt src)
{
  return KRNode(t, v, -1, 0, -1, 0, src);
}
static inline PetscInt KRAdd(KRTape *t, PetscInt x, PetscInt y)
{
  if (x < 0) return y;
  if (y < 0) return x;
  return KRNode(t, t->v[x] + t->v[y], x, 1.0, y, 1.0, -1);
}
static inline PetscInt KRScale(KRTape *t, PetscInt x, PetscReal c)
{
  if (x < 0 || c == 0.0) return -1;
  return KRNode(t, c * t->v[x], x, c, -1, 0, -1);
}
static inline PetscInt KRSub(KRTape *t, PetscInt x, PetscInt y)
{
  if (y < 0) return x;
  if (x < 0) return KRScale(t, y, -1.0);
  return KRNode(t, t->v[x] - t->v[y], x, 1.0, y, -1.0, -1);
}
static inline PetscInt KRMul(KRTape *t, PetscInt x, PetscInt y)
{
  if (x < 0 || y < 0) return -1;
  return KRNode(t, t->v[x] * t->v[y], x, t->v[y], y, t->v[x], -1);
}
static inline PetscInt KRAddConst(KRTape *t, PetscInt x, PetscReal c)
{
  if (x < 0) return KRConst(t, c);
  if (c == 0.0) return x;
  return KRNode(t, t->v[x] + c, x, 1.0, -1, 0, -1);
}
static inline PetscInt KRExp(KRTape *t, PetscInt x)
{
  const PetscReal e = PetscExpReal(KRVal(t, x));
  return x < 0 ? KRConst(t, 1.0) : KRNode(t, e, x, e, -1, 0, -1);
}
static inline PetscInt KRLog(KRTape *t, PetscInt x) /* log |x| */
{
  return KRNode(t, PetscLogReal(PetscAbsReal(KRVal(t, x))), x, 1.0 / KRVal(t, x), -1, 0, -1);
}
static inline PetscInt KRTanh(KRTape *t, PetscInt x)
{
  const PetscReal th = PetscTanhReal(KRVal(t, x));
  return x < 0 ? -1 : KRNode(t, th, x, 1.0 - th * th, -1, 0, -1);
}
static inline PetscInt KRRecip(KRTape *t, PetscInt x)
{
  const PetscReal r = 1.0 / KRVal(t, x);
  return KRNode(t, r, x, -r * r, -1, 0, -1);
}
/* clip to [lo, hi]: the node itself inside, a constant outside (zero derivative there) */
static inline PetscInt KRClip(KRTape *t, PetscInt x, PetscReal lo, PetscReal hi)
{
  const PetscReal v = KRVal(t, x);
  if (v < lo) return KRConst(t, lo);
  if (v > hi) return KRConst(t, hi);
  return x;
}

#endif

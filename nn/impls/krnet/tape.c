/* The batched reverse-mode tape of the KRnet flow: storage, block operations and the reverse sweep (see tape.h). */
#include "tape.h"
#include <petscblaslapack.h>

PetscErrorCode KRTapeSetTile(KRTape *t, PetscInt T, PetscInt d)
{
  PetscFunctionBegin;
  if (T != t->T) {
    PetscCall(PetscFree(t->v));
    PetscCall(PetscFree(t->da));
    PetscCall(PetscFree(t->db));
    PetscCall(PetscFree(t->adj));
    PetscCall(PetscFree(t->isel));
    PetscCall(PetscFree(t->tmp));
    PetscCall(PetscMalloc1(T, &t->tmp));
    t->nalloc = t->niselalloc = t->nadj = 0;
    t->T                                = T;
  }
  t->d = d;
  PetscFunctionReturn(0);
}

PetscErrorCode KRTapeDestroy(KRTape *t)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(t->v));
  PetscCall(PetscFree(t->da));
  PetscCall(PetscFree(t->db));
  PetscCall(PetscFree(t->adj));
  PetscCall(PetscFree7(t->a, t->b, t->src, t->kind, t->hit, t->op, t->c));
  PetscCall(PetscFree(t->uni));
  PetscCall(PetscFree(t->dense));
  PetscCall(PetscFree(t->gather));
  PetscCall(PetscFree(t->ids));
  PetscCall(PetscFree(t->isel));
  PetscCall(PetscFree(t->tmp));
  PetscCall(PetscFree(t->work));
  PetscCall(PetscMemzero(t, sizeof(*t)));
  PetscFunctionReturn(0);
}

void KRTapeClear(KRTape *t, PetscInt m, const PetscReal theta[])
{
  t->m       = m;
  t->n       = 0;
  t->ndense  = 0;
  t->ngather = 0;
  t->nids    = 0;
  t->nisel   = 0;
  t->err     = PETSC_FALSE;
  t->theta   = theta;
}

static PetscErrorCode KRTapeGrow(KRTape *t, PetscInt need)
{
  PetscInt   na = PetscMax(2 * t->nalloc, PetscMax(need, 4096));
  PetscInt  *a, *b, *src, *kind;
  char      *hit, *op, *uni;
  PetscReal *c;

  PetscFunctionBegin;
  PetscCall(PetscRealloc(sizeof(PetscReal) * na * t->T, &t->v));
  PetscCall(PetscRealloc(sizeof(PetscReal) * na * t->T, &t->da));
  PetscCall(PetscRealloc(sizeof(PetscReal) * na * t->T, &t->db));
  PetscCall(PetscMalloc7(na, &a, na, &b, na, &src, na, &kind, na, &hit, na, &op, na, &c));
  PetscCall(PetscMalloc1(na, &uni));
  if (t->nalloc) {
    PetscCall(PetscArraycpy(a, t->a, t->n));
    PetscCall(PetscArraycpy(b, t->b, t->n));
    PetscCall(PetscArraycpy(src, t->src, t->n));
    PetscCall(PetscArraycpy(kind, t->kind, t->n));
    PetscCall(PetscArraycpy(op, t->op, t->n));
    PetscCall(PetscArraycpy(c, t->c, t->n));
    PetscCall(PetscArraycpy(uni, t->uni, t->n));
  }
  PetscCall(PetscFree7(t->a, t->b, t->src, t->kind, t->hit, t->op, t->c));
  PetscCall(PetscFree(t->uni));
  t->a      = a;
  t->b      = b;
  t->src    = src;
  t->kind   = kind;
  t->hit    = hit;
  t->op     = op;
  t->c      = c;
  t->uni    = uni;
  t->nalloc = na;
  PetscFunctionReturn(0);
}

/* count consecutive new nodes; on an allocation failure t->err is set and node 0 is reused */
PetscInt KRNewNodes(KRTape *t, PetscInt count, PetscInt a, PetscInt b, PetscInt src)
{
  const PetscInt i = t->n;
  if (t->n + count > t->nalloc && (t->err || KRTapeGrow(t, t->n + count))) {
    t->err = PETSC_TRUE;
    return 0;
  }
  for (PetscInt k = i; k < i + count; k++) {
    t->a[k]    = a;
    t->b[k]    = b;
    t->src[k]  = src;
    t->kind[k] = 0;
    t->op[k]   = KR_OP_GEN;
    t->uni[k]  = 0;
  }
  t->n += count;
  return i;
}

PetscInt KRNewIds(KRTape *t, PetscInt count)
{
  const PetscInt i = t->nids;
  if (t->nids + count > t->nidalloc) {
    const PetscInt na = PetscMax(2 * t->nidalloc, t->nids + count + 1024);
    if (t->err || PetscRealloc(sizeof(PetscInt) * na, &t->ids)) {
      t->err = PETSC_TRUE;
      return 0;
    }
    t->nidalloc = na;
  }
  t->nids += count;
  return i;
}

PetscInt KRNewSel(KRTape *t, PetscInt count)
{
  const PetscInt i = t->nisel;
  if (t->nisel + count > t->niselalloc) {
    const PetscInt na = PetscMax(2 * t->niselalloc, t->nisel + count + 1024);
    if (t->err || PetscRealloc(sizeof(PetscInt) * na, &t->isel)) {
      t->err = PETSC_TRUE;
      return 0;
    }
    t->niselalloc = na;
  }
  t->nisel += count;
  return i;
}

PetscInt KRNewDense(KRTape *t)
{
  if (t->ndense >= t->ndalloc) {
    const PetscInt na = PetscMax(2 * t->ndalloc, 64);
    if (t->err || PetscRealloc(sizeof(KRDenseOp) * na, &t->dense)) {
      t->err = PETSC_TRUE;
      return 0;
    }
    t->ndalloc = na;
  }
  return t->ndense++;
}

PetscInt KRNewGather(KRTape *t)
{
  if (t->ngather >= t->ngalloc) {
    const PetscInt na = PetscMax(2 * t->ngalloc, 64);
    if (t->err || PetscRealloc(sizeof(KRGatherOp) * na, &t->gather)) {
      t->err = PETSC_TRUE;
      return 0;
    }
    t->ngalloc = na;
  }
  return t->ngather++;
}

void KRDenseNodes(KRTape *t, PetscInt S, PetscInt woff, PetscInt boff, PetscInt fin, PetscInt fout, const PetscInt in[], PetscInt out[],
                  PetscBool relu)
{
  const PetscInt   m = t->m, k = KRNewDense(t), iid = KRNewIds(t, fin * S), o0 = KRNewNodes(t, fout * S, -1, -1, -1);
  const PetscReal *theta = t->theta;
  KRDenseOp       *op;

  if (t->err) {
    for (PetscInt i = 0; i < fout * S; i++) out[i] = -1;
    return;
  }
  op  = &t->dense[k];
  *op = (KRDenseOp){woff, boff, fin, fout, S, iid, o0, relu};
  for (PetscInt j = 0; j < fin * S; j++) t->ids[iid + j] = in[j];
  t->kind[o0 + fout * S - 1] = k + 1;
  for (PetscInt c = 0; c < S; c++) {
    PetscBool any = (PetscBool)(c == 0);
    for (PetscInt j = 0; j < fin; j++) any = (PetscBool)(any || in[j * S + c] >= 0);
    for (PetscInt i = 0; i < fout; i++) out[i * S + c] = any ? o0 + i * S + c : -1;
    for (PetscInt i0 = 0; i0 < fout; i0 += 4) { /* four output rows per pass over the inputs */
      const PetscInt nr = PetscMin(4, fout - i0);
      PetscReal     *o[4];
      for (PetscInt r = 0; r < nr; r++) {
        const PetscReal b = c == 0 ? theta[boff + i0 + r] : 0.0;
        o[r]              = KRV(t, o0 + (i0 + r) * S + c);
        for (PetscInt p = 0; p < m; p++) o[r][p] = b;
      }
      for (PetscInt j = 0; j < fin; j++) { /* in input order, as the scalar sum */
        const PetscInt   x  = in[j * S + c];
        const PetscReal *W  = &theta[woff + i0 * fin + j];
        const PetscReal *vx = x < 0 ? NULL : KRV(t, x);
        if (!vx) continue;
        if (nr == 4) {
          const PetscReal w0 = W[0], w1 = W[fin], w2 = W[2 * fin], w3 = W[3 * fin];
          PetscReal *restrict q0 = o[0], *restrict q1 = o[1], *restrict q2 = o[2], *restrict q3 = o[3];
          for (PetscInt p = 0; p < m; p++) {
            q0[p] += w0 * vx[p];
            q1[p] += w1 * vx[p];
            q2[p] += w2 * vx[p];
            q3[p] += w3 * vx[p];
          }
        } else
          for (PetscInt r = 0; r < nr; r++) {
            const PetscReal w = W[r * fin];
            for (PetscInt p = 0; p < m; p++) o[r][p] += w * vx[p];
          }
      }
      if (relu)
        for (PetscInt r = 0; r < nr; r++) {
          PetscReal *restrict mask = KRDA(t, o0 + (i0 + r) * S); /* 1 where the value is positive, in the value node's da */
          PetscReal *restrict q    = o[r];
          if (c == 0) {
            for (PetscInt p = 0; p < m; p++) mask[p] = q[p] > 0 ? 1.0 : 0.0;
            for (PetscInt p = 0; p < m; p++) q[p] = q[p] > 0 ? q[p] : 0.0;
          } else
            for (PetscInt p = 0; p < m; p++) q[p] *= mask[p];
        }
    }
  }
}

PetscInt KRGather(KRTape *t, PetscInt ncand, const PetscInt cand[], const PetscInt sel[])
{
  const PetscInt k = KRNewGather(t), c0 = KRNewIds(t, ncand), s0 = KRNewSel(t, t->m), i = KRNewNodes(t, 1, -1, -1, -1);
  PetscReal     *v;

  if (t->err) return -1;
  t->gather[k] = (KRGatherOp){ncand, c0, s0};
  t->kind[i]   = -(k + 1);
  for (PetscInt j = 0; j < ncand; j++) t->ids[c0 + j] = cand[j];
  v = KRV(t, i);
  for (PetscInt p = 0; p < t->m; p++) {
    t->isel[s0 + p] = sel[p];
    v[p]            = KRVal(t, cand[sel[p]], p);
  }
  return i;
}

static inline void KRHitAdd(KRTape *t, PetscInt x, PetscReal *restrict adj, const PetscReal *restrict part, const PetscReal *restrict s)
{
  PetscReal *ax = &adj[(size_t)x * t->T];
  if (!t->hit[x]) {
    for (PetscInt p = 0; p < t->m; p++) ax[p] = 0.0;
    t->hit[x] = 1;
  }
  if (part)
    for (PetscInt p = 0; p < t->m; p++) ax[p] += part[p] * s[p];
  else
    for (PetscInt p = 0; p < t->m; p++) ax[p] += s[p];
}

/* Reverse of a dense block, component c at a time: S (fout x m) the outputs' adjoints (masked by
   the relu), X (fin x m) the inputs; g_W += S X^T, g_b += S 1 (value component), adj_in += W^T S. */
static PetscErrorCode KRDenseReverse(KRTape *t, const KRDenseOp *op, PetscReal *adj, PetscReal g[])
{
  const PetscInt   m = t->m, T = t->T, S = op->S, fin = op->fin, fout = op->fout;
  const PetscReal *W = &t->theta[op->woff];
  PetscReal       *Sb, *Xb, *Ab, one = 1.0, zero = 0.0;
  PetscBLASInt     bm, bfin, bfout;

  PetscFunctionBegin;
  if ((fin + fout) * m + fin * m > t->nwork) {
    PetscCall(PetscFree(t->work));
    t->nwork = PetscMax(2 * t->nwork, (2 * fin + fout) * m);
    PetscCall(PetscMalloc1(t->nwork, &t->work));
  }
  Sb = t->work;
  Xb = Sb + fout * m;
  Ab = Xb + fin * m;
  PetscCall(PetscBLASIntCast(m, &bm));
  PetscCall(PetscBLASIntCast(fin, &bfin));
  PetscCall(PetscBLASIntCast(fout, &bfout));
  for (PetscInt c = 0; c < S; c++) {
    PetscBool any = PETSC_FALSE;
    for (PetscInt r = 0; r < fout; r++) {
      const PetscInt o  = op->out0 + r * S + c;
      PetscReal     *sr = &Sb[r * m];
      if (!t->hit[o]) {
        for (PetscInt p = 0; p < m; p++) sr[p] = 0.0;
        continue;
      }
      any = PETSC_TRUE;
      {
        const PetscReal *restrict s = &adj[(size_t)o * T];
        if (op->relu) {
          const PetscReal *restrict mask = KRDA(t, op->out0 + r * S); /* stored by the forward */
          PetscReal *restrict q          = sr;
          for (PetscInt p = 0; p < m; p++) q[p] = s[p] * mask[p];
        } else
          for (PetscInt p = 0; p < m; p++) sr[p] = s[p];
      }
    }
    if (!any) continue;
    for (PetscInt j = 0; j < fin; j++) {
      const PetscInt x  = t->ids[op->in + j * S + c];
      PetscReal     *xj = &Xb[j * m];
      if (x < 0)
        for (PetscInt p = 0; p < m; p++) xj[p] = 0.0;
      else {
        const PetscReal *vx = KRV(t, x);
        for (PetscInt p = 0; p < m; p++) xj[p] = vx[p];
      }
    }
    if (g) {
      if (c == 0)
        for (PetscInt r = 0; r < fout; r++) {
          PetscReal sum = 0;
          for (PetscInt p = 0; p < m; p++) sum += Sb[r * m + p];
          g[op->boff + r] += sum;
        }
      PetscCallBLAS("BLASgemm", BLASgemm_("T", "N", &bfin, &bfout, &bm, &one, Xb, &bm, Sb, &bm, &one, &g[op->woff], &bfin));
    }
    PetscCallBLAS("BLASgemm", BLASgemm_("N", "T", &bm, &bfin, &bfout, &one, Sb, &bm, (PetscReal *)W, &bfin, &zero, Ab, &bm));
    for (PetscInt j = 0; j < fin; j++) {
      const PetscInt x = t->ids[op->in + j * S + c];
      if (x < 0) continue;
      {
        PetscReal       *ax = &adj[(size_t)x * T];
        const PetscReal *aj = &Ab[j * m];
        if (!t->hit[x]) {
          for (PetscInt p = 0; p < m; p++) ax[p] = aj[p];
          t->hit[x] = 1;
        } else
          for (PetscInt p = 0; p < m; p++) ax[p] += aj[p];
      }
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode KRTapeSweep(KRTape *t, PetscInt nseed, const PetscInt node[], const PetscReal seed[], PetscReal g[], PetscReal xbar[])
{
  const PetscInt m = t->m, T = t->T;
  PetscReal     *adj;

  PetscFunctionBegin;
  PetscCheck(!t->err, PETSC_COMM_SELF, PETSC_ERR_MEM, "KRnet tape: allocation failed");
  if (t->nadj < t->nalloc) {
    PetscCall(PetscFree(t->adj));
    PetscCall(PetscMalloc1((size_t)t->nalloc * T, &t->adj));
    t->nadj = t->nalloc;
  }
  adj = t->adj;
  PetscCall(PetscArrayzero(t->hit, t->n));
  for (PetscInt i = 0; i < nseed; i++)
    if (node[i] >= 0) KRHitAdd(t, node[i], adj, NULL, &seed[i * m]);
  for (PetscInt i = t->n - 1; i >= 0; i--) {
    const PetscReal *s;
    if (t->kind[i] > 0) { /* a dense block: all its nodes at once, as two matrix products per component */
      const KRDenseOp *op = &t->dense[t->kind[i] - 1];
      PetscCall(KRDenseReverse(t, op, adj, g));
      i = op->out0; /* the loop's i-- moves below the block */
      continue;
    }
    if (!t->hit[i]) continue;
    s = &adj[(size_t)i * T];
    if (t->kind[i] < 0) {
      const KRGatherOp *op = &t->gather[-t->kind[i] - 1];
      for (PetscInt p = 0; p < m; p++) {
        const PetscInt x = t->ids[op->cand + t->isel[op->sel + p]];
        if (x < 0) continue;
        if (!t->hit[x]) {
          for (PetscInt q = 0; q < m; q++) adj[(size_t)x * T + q] = 0.0;
          t->hit[x] = 1;
        }
        adj[(size_t)x * T + p] += s[p];
      }
      continue;
    }
    {
      const PetscInt   a = t->a[i], b = t->b[i];
      const PetscReal *v = KRV(t, i), *va = a >= 0 ? KRV(t, a) : NULL, *vb = b >= 0 ? KRV(t, b) : NULL;
      PetscReal       *w = t->tmp;
      switch ((KROp)t->op[i]) {
      case KR_OP_GEN:
        if (a >= 0) KRHitAdd(t, a, adj, KRDA(t, i), s);
        if (b >= 0) KRHitAdd(t, b, adj, KRDB(t, i), s);
        break;
      case KR_OP_ADD:
        KRHitAdd(t, a, adj, NULL, s);
        KRHitAdd(t, b, adj, NULL, s);
        break;
      case KR_OP_SUB:
        KRHitAdd(t, a, adj, NULL, s);
        for (PetscInt p = 0; p < m; p++) w[p] = -1.0 * s[p];
        KRHitAdd(t, b, adj, NULL, w);
        break;
      case KR_OP_SCALE: {
        const PetscReal c = t->c[i];
        for (PetscInt p = 0; p < m; p++) w[p] = c * s[p];
        KRHitAdd(t, a, adj, NULL, w);
      } break;
      case KR_OP_MUL:
        KRHitAdd(t, a, adj, vb, s);
        KRHitAdd(t, b, adj, va, s);
        break;
      case KR_OP_ADDC:
        KRHitAdd(t, a, adj, NULL, s);
        break;
      case KR_OP_EXP:
        KRHitAdd(t, a, adj, v, s);
        break;
      case KR_OP_TANH:
        for (PetscInt p = 0; p < m; p++) w[p] = (1.0 - v[p] * v[p]) * s[p];
        KRHitAdd(t, a, adj, NULL, w);
        break;
      case KR_OP_LOG:
        for (PetscInt p = 0; p < m; p++) w[p] = (1.0 / va[p]) * s[p];
        KRHitAdd(t, a, adj, NULL, w);
        break;
      case KR_OP_RECIP:
        for (PetscInt p = 0; p < m; p++) w[p] = (-v[p] * v[p]) * s[p];
        KRHitAdd(t, a, adj, NULL, w);
        break;
      }
    }
    if (t->src[i] >= 0) {
      if (g) {
        PetscReal sum = 0;
        for (PetscInt p = 0; p < m; p++) sum += s[p];
        g[t->src[i]] += sum;
      }
    } else if (t->src[i] <= -2) {
      if (xbar)
        for (PetscInt p = 0; p < m; p++) xbar[p * t->d - (t->src[i] + 2)] += s[p];
    }
  }
  PetscFunctionReturn(0);
}

/* The per-point reverse-mode tape of the KRnet flow: storage and the reverse sweep (see tape.h). */
#include "tape.h"

/* Room for n nodes plus the scratch slot that KRNode() writes into on overflow. */
PetscErrorCode KRTapeReserve(KRTape *t, PetscInt n, PetscInt nedge)
{
  PetscFunctionBegin;
  if (n <= t->nalloc && nedge <= t->nealloc) PetscFunctionReturn(0);
  PetscCall(KRTapeDestroy(t));
  PetscCall(PetscMalloc7(n + 1, &t->v, n + 1, &t->da, n + 1, &t->db, n + 1, &t->adj, n + 1, &t->a, n + 1, &t->b, n + 1, &t->src));
  PetscCall(PetscMalloc4(n + 1, &t->e0, n + 1, &t->ne, nedge + 1, &t->eid, nedge + 1, &t->ew));
  t->nalloc  = n;
  t->nealloc = nedge;
  PetscFunctionReturn(0);
}

PetscErrorCode KRTapeDestroy(KRTape *t)
{
  PetscFunctionBegin;
  PetscCall(PetscFree7(t->v, t->da, t->db, t->adj, t->a, t->b, t->src));
  PetscCall(PetscFree4(t->e0, t->ne, t->eid, t->ew));
  t->nalloc = t->n = t->nealloc = t->nedge = 0;
  PetscFunctionReturn(0);
}

void KRTapeSweep(KRTape *t, PetscInt nseed, const PetscInt node[], const PetscReal seed[], PetscReal g[], PetscReal xbar[])
{
  PetscReal *adj = t->adj;

  for (PetscInt i = 0; i < t->n; i++) adj[i] = 0.0;
  for (PetscInt i = 0; i < nseed; i++)
    if (node[i] >= 0) adj[node[i]] += seed[i];
  for (PetscInt i = t->n - 1; i >= 0; i--) {
    const PetscReal s = adj[i];
    if (s == 0.0) continue;
    if (t->a[i] >= 0) adj[t->a[i]] += t->da[i] * s;
    if (t->b[i] >= 0) adj[t->b[i]] += t->db[i] * s;
    for (PetscInt e = t->e0[i]; e < t->e0[i] + t->ne[i]; e++) {
      const PetscInt id = t->eid[e];
      if (id >= 0)
        adj[id] += t->ew[e] * s;
      else if (g)
        g[-(id + 2)] += t->ew[e] * s;
    }
    if (t->src[i] >= 0) {
      if (g) g[t->src[i]] += s;
    } else if (t->src[i] <= -2) {
      if (xbar) xbar[-(t->src[i] + 2)] += s;
    }
  }
}

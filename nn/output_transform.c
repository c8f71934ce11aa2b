/* Hard constraints by an output transform u = g(x) + phi(x) N(x), applied to every jet stream with
   the product rule, and its adjoint (with respect to N and, through g and phi, to x). */
#include <nnpde/private/nnimpl.h>

/* Offsets into one (point, output) record of g or phi */
#define T1(i) (1 + (i))
#define T2(i, j) (1 + d + (i)*d + (j))
#define T3(i, j, k) (1 + d + d * d + ((i)*d + (j)) * d + (k))

/* u = g + phi N on every jet stream (product rule through the derivatives of g and phi) */
void NNOutputTransformForward_Private(const NNJets *J, PetscInt d, PetscInt m, PetscInt n, PetscInt jt, const PetscReal g[], const PetscReal phi[],
                                      const PetscReal N[], PetscReal u[])
{
  const PetscInt blk = m * n;

  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt o = 0; o < m; o++) {
      const PetscReal *G = &g[(p * m + o) * jt], *F = &phi[(p * m + o) * jt];
      const PetscInt   q  = p * m + o;
      const PetscReal  N0 = N[q];
      u[q]                = G[0] + F[0] * N0;
      for (PetscInt a = 0; a < J->nD; a++) {
        const PetscInt i     = J->D[a];
        u[(1 + a) * blk + q] = G[T1(i)] + F[T1(i)] * N0 + F[0] * N[(1 + a) * blk + q];
      }
      for (PetscInt h = 0; h < J->nH; h++) {
        const PetscInt a = J->H[2 * h], b = J->H[2 * h + 1], i = J->D[a], j = J->D[b], s = 1 + J->nD + h;
        u[s * blk + q] = G[T2(i, j)] + F[T2(i, j)] * N0 + F[T1(i)] * N[(1 + b) * blk + q] + F[T1(j)] * N[(1 + a) * blk + q] + F[0] * N[s * blk + q];
      }
      if (J->hasL) { /* L u = L g + (L phi) N + phi L N + 2 sum_l w_l phi_i N_i */
        const PetscInt s = J->S - 1;
        PetscReal      v = F[0] * N[s * blk + q];
        for (PetscInt l = 0; l < J->nL; l++) {
          const PetscInt a = J->L[l], i = J->D[a];
          v += J->wD[a] * (G[T2(i, i)] + F[T2(i, i)] * N0 + 2.0 * F[T1(i)] * N[(1 + a) * blk + q]);
        }
        for (PetscInt k = 0; J->drift && k < d; k++) v += J->drift[k] * (G[T1(k)] + F[T1(k)] * N0);
        u[s * blk + q] = v;
      }
    }
  }
}

/* Adjoint of NNOutputTransformForward_Private() with respect to N (and to x through g and phi) */
void NNOutputTransformBackward_Private(const NNJets *J, PetscInt d, PetscInt m, PetscInt n, PetscInt jt, const PetscReal g[], const PetscReal phi[],
                                       const PetscReal N[], const PetscReal ubar[], PetscReal Nbar[], PetscReal xbar[])
{
  const PetscInt blk = m * n;

  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt o = 0; o < m; o++) {
      const PetscReal *G = &g[(p * m + o) * jt], *F = &phi[(p * m + o) * jt];
      const PetscInt   q  = p * m + o;
      const PetscReal  N0 = N[q], w0 = ubar[q];
      PetscReal        n0 = F[0] * w0;

      if (xbar)
        for (PetscInt k = 0; k < d; k++) xbar[p * d + k] += w0 * (G[T1(k)] + F[T1(k)] * N0);
      for (PetscInt a = 0; a < J->nD; a++) {
        const PetscInt  i = J->D[a];
        const PetscReal w = ubar[(1 + a) * blk + q], Na = N[(1 + a) * blk + q];
        n0 += F[T1(i)] * w;
        Nbar[(1 + a) * blk + q] = F[0] * w;
        if (xbar)
          for (PetscInt k = 0; k < d; k++) xbar[p * d + k] += w * (G[T2(i, k)] + F[T2(i, k)] * N0 + F[T1(k)] * Na);
      }
      for (PetscInt h = 0; h < J->nH; h++) {
        const PetscInt  a = J->H[2 * h], b = J->H[2 * h + 1], i = J->D[a], j = J->D[b], s = 1 + J->nD + h;
        const PetscReal w = ubar[s * blk + q], Na = N[(1 + a) * blk + q], Nb = N[(1 + b) * blk + q];
        n0 += F[T2(i, j)] * w;
        Nbar[(1 + a) * blk + q] += F[T1(j)] * w;
        Nbar[(1 + b) * blk + q] += F[T1(i)] * w;
        Nbar[s * blk + q] = F[0] * w;
        if (xbar)
          for (PetscInt k = 0; k < d; k++)
            xbar[p * d + k] += w * (G[T3(i, j, k)] + F[T3(i, j, k)] * N0 + F[T2(i, k)] * Nb + F[T2(j, k)] * Na + F[T1(k)] * N[s * blk + q]);
      }
      if (J->hasL) {
        const PetscInt  s = J->S - 1;
        const PetscReal w = ubar[s * blk + q];
        Nbar[s * blk + q] = F[0] * w;
        if (xbar)
          for (PetscInt k = 0; k < d; k++) xbar[p * d + k] += w * F[T1(k)] * N[s * blk + q];
        for (PetscInt l = 0; l < J->nL; l++) {
          const PetscInt  a = J->L[l], i = J->D[a];
          const PetscReal Na = N[(1 + a) * blk + q], wl = J->wD[a] * w;
          n0 += F[T2(i, i)] * wl;
          Nbar[(1 + a) * blk + q] += 2.0 * F[T1(i)] * wl;
          if (xbar)
            for (PetscInt k = 0; k < d; k++) xbar[p * d + k] += wl * (G[T3(i, i, k)] + F[T3(i, i, k)] * N0 + 2.0 * F[T2(i, k)] * Na);
        }
        for (PetscInt j = 0; J->drift && j < d; j++) {
          const PetscReal wj = J->drift[j] * w;
          n0 += F[T1(j)] * wj;
          if (xbar)
            for (PetscInt k = 0; k < d; k++) xbar[p * d + k] += wj * (G[T2(j, k)] + F[T2(j, k)] * N0);
        }
      }
      Nbar[q] = n0;
    }
  }
}

/* Input embeddings with exact jets. Every embedding component is e_c = f_c(b_c . x) with f_c the
   identity, cos or sin, which covers plain inputs, periodic inputs (cos, sin of 2 pi x_k / P) and
   Fourier features (cos, sin of 2 pi B x); the jets then follow from f_c', f_c'', f_c'''. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/random.h>

#define NN_FOURIER_STREAM 0x4655524945ULL /* random stream of the Fourier frequencies */

/* Frees the embedding's component tables (the list of periodic inputs is a setting: it stays) */
PetscErrorCode NNEmbeddingDestroy_Private(NNEmbedding *e)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(e->f));
  PetscCall(PetscFree(e->B));
  e->ne = 0;
  PetscFunctionReturn(0);
}

/* Builds the embedding's components for d inputs: identity for plain inputs, (cos, sin) for periodic
   ones, (cos, sin)(b . x) for Fourier features with b drawn from the seed */
PetscErrorCode NNEmbeddingSetUp_Private(NNEmbedding *e, PetscInt d, uint64_t seed)
{
  PetscBool *periodic;
  PetscInt   c = 0;
  PetscReal  w = 2.0 * PETSC_PI / e->period;

  PetscFunctionBegin;
  PetscCall(NNEmbeddingDestroy_Private(e));
  PetscCall(PetscCalloc1(d, &periodic));
  for (PetscInt i = 0; i < e->nperiodic; i++) {
    PetscCheck(!periodic[e->periodic[i]], PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Input %" PetscInt_FMT " listed twice as periodic", e->periodic[i]);
    periodic[e->periodic[i]] = PETSC_TRUE;
  }
  e->ne = d + e->nperiodic + 2 * e->nfourier;
  PetscCall(PetscMalloc1(e->ne, &e->f));
  PetscCall(PetscCalloc1(e->ne * d, &e->B));
  for (PetscInt k = 0; k < d; k++) {
    if (periodic[k]) {
      e->f[c] = NN_EMBED_COS, e->B[c * d + k] = w, c++;
      e->f[c] = NN_EMBED_SIN, e->B[c * d + k] = w, c++;
    } else {
      e->f[c] = NN_EMBED_IDENTITY, e->B[c * d + k] = 1.0, c++;
    }
  }
  if (e->nfourier) {
    PetscReal *b;
    PetscCall(PetscMalloc1(e->nfourier * d, &b));
    PetscCall(NNRandomNormalArray(seed, NN_FOURIER_STREAM, 0, e->nfourier * d, b));
    for (PetscInt q = 0; q < e->nfourier; q++) {
      for (PetscInt k = 0; k < d; k++) {
        const PetscReal v                   = 2.0 * PETSC_PI * e->fourier_sigma * b[q * d + k];
        e->B[(c + q) * d + k]               = v;
        e->B[(c + e->nfourier + q) * d + k] = v;
      }
      e->f[c + q]               = NN_EMBED_COS;
      e->f[c + e->nfourier + q] = NN_EMBED_SIN;
    }
    PetscCall(PetscFree(b));
  }
  PetscCall(PetscFree(periodic));
  PetscFunctionReturn(0);
}

/* f and its first three derivatives at u */
static inline void embed_eval(NNEmbedFunction f, PetscReal u, PetscReal df[4])
{
  switch (f) {
  case NN_EMBED_COS: {
    const PetscReal s = PetscSinReal(u), c = PetscCosReal(u);
    df[0] = c, df[1] = -s, df[2] = -c, df[3] = s;
  } break;
  case NN_EMBED_SIN: {
    const PetscReal s = PetscSinReal(u), c = PetscCosReal(u);
    df[0] = s, df[1] = c, df[2] = -s, df[3] = -c;
  } break;
  default: /* identity */
    df[0] = u, df[1] = 1.0, df[2] = 0.0, df[3] = 0.0;
  }
}

/* The embedded inputs and their jets at n points: A holds one ne x n block per stream */
void NNEmbeddingForward_Private(const NNEmbedding *e, const NNJets *J, PetscInt d, PetscInt n, const PetscReal x[], PetscReal A[])
{
  const PetscInt ne = e->ne, blk = ne * n;

  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt c = 0; c < ne; c++) {
      const PetscReal *b = &e->B[c * d];
      PetscReal        u = 0, df[4], lap = 0;
      for (PetscInt k = 0; k < d; k++) u += b[k] * x[p * d + k];
      embed_eval(e->f[c], u, df);
      A[p * ne + c] = df[0];
      for (PetscInt a = 0; a < J->nD; a++) A[(1 + a) * blk + p * ne + c] = df[1] * b[J->D[a]];
      for (PetscInt h = 0; h < J->nH; h++) A[(1 + J->nD + h) * blk + p * ne + c] = df[2] * b[J->D[J->H[2 * h]]] * b[J->D[J->H[2 * h + 1]]];
      if (J->hasL) { /* L e_c = f''(u) sum_l w_l b_l^2 + f'(u) (drift . b) */
        PetscReal adv = 0;
        for (PetscInt a = 0; a < J->nL; a++) lap += J->wD[J->L[a]] * b[J->D[J->L[a]]] * b[J->D[J->L[a]]];
        for (PetscInt k = 0; J->drift && k < d; k++) adv += J->drift[k] * b[k];
        A[(J->S - 1) * blk + p * ne + c] = df[2] * lap + df[1] * adv;
      }
    }
  }
}

/* Adjoint of NNEmbeddingForward_Private(): xbar += dL/dx given Abar = dL/dA */
void NNEmbeddingBackward_Private(const NNEmbedding *e, const NNJets *J, PetscInt d, PetscInt n, const PetscReal x[], const PetscReal Abar[],
                                 PetscReal xbar[])
{
  const PetscInt ne = e->ne, blk = ne * n;

  for (PetscInt p = 0; p < n; p++) {
    for (PetscInt c = 0; c < ne; c++) {
      const PetscReal *b = &e->B[c * d];
      PetscReal        u = 0, df[4], t;
      for (PetscInt k = 0; k < d; k++) u += b[k] * x[p * d + k];
      embed_eval(e->f[c], u, df);
      /* t = d(all jets of e_c)/du weighted by their adjoints; then dL/dx_k += t b_k */
      t = Abar[p * ne + c] * df[1];
      for (PetscInt a = 0; a < J->nD; a++) t += Abar[(1 + a) * blk + p * ne + c] * df[2] * b[J->D[a]];
      for (PetscInt h = 0; h < J->nH; h++) t += Abar[(1 + J->nD + h) * blk + p * ne + c] * df[3] * b[J->D[J->H[2 * h]]] * b[J->D[J->H[2 * h + 1]]];
      if (J->hasL) {
        PetscReal lap = 0, adv = 0;
        for (PetscInt a = 0; a < J->nL; a++) lap += J->wD[J->L[a]] * b[J->D[J->L[a]]] * b[J->D[J->L[a]]];
        for (PetscInt k = 0; J->drift && k < d; k++) adv += J->drift[k] * b[k];
        t += Abar[(J->S - 1) * blk + p * ne + c] * (df[3] * lap + df[2] * adv);
      }
      for (PetscInt k = 0; k < d; k++) xbar[p * d + k] += t * b[k];
    }
  }
}

/* Derivative jets: which streams exist, and how a smooth activation maps the streams of z = W a + b
   to those of sigma(z), forward and in reverse.

   With z_a the first-derivative streams, z_h = z_ab the second-derivative ones and z_L the
   Laplacian stream (the "forward Laplacian": only sum_k (z_k)^2 is needed, not the Hessian):
     a_0 = s(z_0)
     a_a = s'(z_0) z_a
     a_h = s''(z_0) z_a z_b + s'(z_0) z_h
     a_L = s''(z_0) sum_{k in L} z_k^2 + s'(z_0) z_L
   Blocks are rows x n, one per stream, stored one after another. */
#include <nnpde/private/nnimpl.h>

PetscErrorCode NNJetsDestroy_Private(NNJets *J)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(J->D));
  PetscCall(PetscFree(J->H));
  PetscCall(PetscFree(J->L));
  PetscCall(PetscMemzero(J, sizeof(*J)));
  PetscFunctionReturn(0);
}

/* Stream index (within D) of input i, appending i to D if absent */
static PetscInt jets_slot(NNJets *J, PetscInt i)
{
  for (PetscInt a = 0; a < J->nD; a++)
    if (J->D[a] == i) return a;
  J->D[J->nD] = i;
  return J->nD++;
}

PetscErrorCode NNJetsSetUp_Private(NNJets *J, PetscInt d, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap, const PetscInt lap[])
{
  PetscFunctionBegin;
  if (nlap == PETSC_DETERMINE || nlap == PETSC_DECIDE) {
    PetscCheck(!lap, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Give either a list of Laplacian inputs or PETSC_DETERMINE with NULL");
    nlap = d;
  }
  PetscCheck(nderiv >= 0 && npairs >= 0 && nlap >= 0 && nlap <= d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Invalid jet counts: %" PetscInt_FMT " derivatives, %" PetscInt_FMT " pairs, %" PetscInt_FMT " Laplacian inputs", nderiv, npairs, nlap);
  for (PetscInt a = 0; a < nderiv; a++) {
    PetscCheck(deriv[a] >= 0 && deriv[a] < d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Derivative input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", deriv[a], d);
    for (PetscInt b = 0; b < a; b++) PetscCheck(deriv[b] != deriv[a], PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Derivative with respect to input %" PetscInt_FMT " requested twice", deriv[a]);
  }
  for (PetscInt h = 0; h < 2 * npairs; h++) PetscCheck(pairs[h] >= 0 && pairs[h] < d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Second-derivative input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", pairs[h], d);
  for (PetscInt a = 0; lap && a < nlap; a++) {
    PetscCheck(lap[a] >= 0 && lap[a] < d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Laplacian input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", lap[a], d);
    for (PetscInt b = 0; b < a; b++) PetscCheck(lap[b] != lap[a], PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Laplacian input %" PetscInt_FMT " listed twice", lap[a]);
  }

  PetscCall(NNJetsDestroy_Private(J));
  PetscCall(PetscMalloc1(d, &J->D));
  PetscCall(PetscMalloc1(2 * npairs + 1, &J->H));
  PetscCall(PetscMalloc1(nlap + 1, &J->L));
  for (PetscInt a = 0; a < nderiv; a++) jets_slot(J, deriv[a]);
  J->nreq = nderiv;
  for (PetscInt h = 0; h < npairs; h++) {
    J->H[2 * h]     = jets_slot(J, pairs[2 * h]);
    J->H[2 * h + 1] = jets_slot(J, pairs[2 * h + 1]);
  }
  J->nH = npairs;
  for (PetscInt a = 0; a < nlap; a++) J->L[a] = jets_slot(J, lap ? lap[a] : a);
  J->nL = nlap;
  J->S  = 1 + J->nD + J->nH + (J->nL ? 1 : 0);
  PetscFunctionReturn(0);
}

/* Z -> A for one hidden layer: rows x n per block; s0..s3 hold sigma^(k)(z_0). */
void NNJetsActivationForward_Private(const NNJets *J, PetscInt m, const PetscReal Z[], const PetscReal s0[], const PetscReal s1[], const PetscReal s2[], PetscReal A[])
{
  const PetscInt   nD = J->nD;
  const PetscReal *Zd = Z + m, *Zh = Z + (1 + nD) * m, *ZL = Z + (J->S - 1) * m;
  PetscReal       *Ad = A + m, *Ah = A + (1 + nD) * m, *AL = A + (J->S - 1) * m;

  for (PetscInt i = 0; i < m; i++) A[i] = s0[i];
  for (PetscInt a = 0; a < nD; a++)
    for (PetscInt i = 0; i < m; i++) Ad[a * m + i] = s1[i] * Zd[a * m + i];
  for (PetscInt h = 0; h < J->nH; h++) {
    const PetscReal *za = Zd + J->H[2 * h] * m, *zb = Zd + J->H[2 * h + 1] * m;
    for (PetscInt i = 0; i < m; i++) Ah[h * m + i] = s2[i] * za[i] * zb[i] + s1[i] * Zh[h * m + i];
  }
  if (J->nL) {
    for (PetscInt i = 0; i < m; i++) AL[i] = s1[i] * ZL[i];
    for (PetscInt a = 0; a < J->nL; a++) {
      const PetscReal *za = Zd + J->L[a] * m;
      for (PetscInt i = 0; i < m; i++) AL[i] += s2[i] * za[i] * za[i];
    }
  }
}

/* Adjoint of the map above: Abar -> Zbar (Zbar overwritten). */
void NNJetsActivationBackward_Private(const NNJets *J, PetscInt m, const PetscReal Z[], const PetscReal s1[], const PetscReal s2[], const PetscReal s3[], const PetscReal Abar[], PetscReal Zbar[])
{
  const PetscInt   nD = J->nD;
  const PetscReal *Zd = Z + m, *Zh = Z + (1 + nD) * m, *ZL = Z + (J->S - 1) * m;
  const PetscReal *Ad = Abar + m, *Ah = Abar + (1 + nD) * m, *AL = Abar + (J->S - 1) * m;
  PetscReal       *Bd = Zbar + m, *Bh = Zbar + (1 + nD) * m, *BL = Zbar + (J->S - 1) * m;

  for (PetscInt i = 0; i < m; i++) Zbar[i] = s1[i] * Abar[i];
  for (PetscInt a = 0; a < nD; a++) {
    for (PetscInt i = 0; i < m; i++) {
      Bd[a * m + i] = s1[i] * Ad[a * m + i];
      Zbar[i] += s2[i] * Zd[a * m + i] * Ad[a * m + i];
    }
  }
  for (PetscInt h = 0; h < J->nH; h++) {
    const PetscInt   a = J->H[2 * h], b = J->H[2 * h + 1];
    const PetscReal *za = Zd + a * m, *zb = Zd + b * m;
    for (PetscInt i = 0; i < m; i++) {
      const PetscReal w = Ah[h * m + i];
      Bh[h * m + i] = s1[i] * w;
      Zbar[i] += (s3[i] * za[i] * zb[i] + s2[i] * Zh[h * m + i]) * w;
      Bd[a * m + i] += s2[i] * zb[i] * w;
      Bd[b * m + i] += s2[i] * za[i] * w;
    }
  }
  if (J->nL) {
    for (PetscInt i = 0; i < m; i++) {
      BL[i] = s1[i] * AL[i];
      Zbar[i] += s2[i] * ZL[i] * AL[i];
    }
    for (PetscInt a = 0; a < J->nL; a++) {
      const PetscInt   k  = J->L[a];
      const PetscReal *zk = Zd + k * m;
      for (PetscInt i = 0; i < m; i++) {
        Zbar[i] += s3[i] * zk[i] * zk[i] * AL[i];
        Bd[k * m + i] += 2.0 * s2[i] * zk[i] * AL[i];
      }
    }
  }
}

/* Derivative jets: which streams exist, and how a smooth activation maps the streams of z = W a + b
   to those of sigma(z), forward and in reverse.

   With z_a the first-derivative streams, z_h = z_ab the second-derivative ones and z_L the
   Laplacian stream (the "forward Laplacian": only sum_k (z_k)^2 is needed, not the Hessian):
     a_0 = s(z_0)
     a_a = s'(z_0) z_a
     a_h = s''(z_0) z_a z_b + s'(z_0) z_h
     a_L = s''(z_0) sum_{k in L} w_k z_k^2 + s'(z_0) z_L
   The Laplacian stream is more generally any operator L = sum_{k in L} w_k d2/dx_k^2 + sum_k b_k d/dx_k
   with constant coefficients (w_k = 1, b = 0: the Laplacian): the drift b is linear, so it enters only
   through the inputs' jets and costs no stream of its own. A PDE residual such as u_t - nu u_xx is then
   one stream instead of three.
   Blocks are rows x n, one per stream, stored one after another. */
#include <nnpde/private/nnimpl.h>

/* Frees the stream tables of a jet set and zeroes it */
PetscErrorCode NNJetsDestroy_Private(NNJets *J)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(J->D));
  PetscCall(PetscFree(J->H));
  PetscCall(PetscFree(J->L));
  PetscCall(PetscFree(J->wD));
  PetscCall(PetscFree(J->drift));
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

/* Builds the stream tables of a jet set (arguments as NNSetJetsOperator()) for d inputs: D (requested first
   derivatives, then those the pairs and the Laplacian need), H, L; checks every index. lapw (nlap weights)
   and drift (d) may be NULL: weights 1, no drift. */
PetscErrorCode NNJetsSetUp_Private(NNJets *J, PetscInt d, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[],
                                   PetscInt nlap, const PetscInt lap[], const PetscReal lapw[], const PetscReal drift[])
{
  PetscFunctionBegin;
  if (nlap == PETSC_DETERMINE || nlap == PETSC_DECIDE) {
    PetscCheck(!lap, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Give either a list of Laplacian inputs or PETSC_DETERMINE with NULL");
    nlap = d;
  }
  PetscCheck(nderiv >= 0 && npairs >= 0 && nlap >= 0 && nlap <= d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "Invalid jet counts: %" PetscInt_FMT " derivatives, %" PetscInt_FMT " pairs, %" PetscInt_FMT " Laplacian inputs", nderiv, npairs, nlap);
  for (PetscInt a = 0; a < nderiv; a++) {
    PetscCheck(deriv[a] >= 0 && deriv[a] < d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Derivative input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", deriv[a], d);
    for (PetscInt b = 0; b < a; b++)
      PetscCheck(deriv[b] != deriv[a], PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Derivative with respect to input %" PetscInt_FMT " requested twice",
                 deriv[a]);
  }
  for (PetscInt h = 0; h < 2 * npairs; h++)
    PetscCheck(pairs[h] >= 0 && pairs[h] < d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Second-derivative input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", pairs[h], d);
  PetscCheck(nlap > 0 || !lapw, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Weights of the Laplacian's inputs given without inputs");
  for (PetscInt a = 0; lapw && a < nlap; a++)
    PetscCheck(!PetscIsInfOrNanReal(lapw[a]), PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Weight %" PetscInt_FMT " of the Laplacian is %g", a,
               (double)lapw[a]);
  for (PetscInt k = 0; drift && k < d; k++)
    PetscCheck(!PetscIsInfOrNanReal(drift[k]), PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Drift coefficient %" PetscInt_FMT " is %g", k,
               (double)drift[k]);
  for (PetscInt a = 0; lap && a < nlap; a++) {
    PetscCheck(lap[a] >= 0 && lap[a] < d, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Laplacian input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", lap[a], d);
    for (PetscInt b = 0; b < a; b++)
      PetscCheck(lap[b] != lap[a], PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Laplacian input %" PetscInt_FMT " listed twice", lap[a]);
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
  PetscCall(PetscCalloc1(d, &J->wD));
  for (PetscInt a = 0; a < nlap; a++) J->wD[J->L[a]] = lapw ? lapw[a] : 1.0;
  if (drift) {
    PetscCall(PetscMalloc1(d, &J->drift));
    PetscCall(PetscArraycpy(J->drift, drift, d));
  }
  J->hasL = (PetscBool)(nlap > 0 || drift);
  J->S    = 1 + J->nD + J->nH + (J->hasL ? 1 : 0);
  PetscFunctionReturn(0);
}

/* The elementwise kernels below run tile by tile, all streams of a tile together, so each tile's
   data stays in L1 while every stream is updated. */
#define NN_JETS_TILE 256

/* Z -> A for one hidden layer: m = rows x points per stream block. When sig is not NULL it receives
   sigma', sigma'', sigma''' of z_0 (three blocks) for the reverse pass; for tanh the caller passes
   NULL, as those are polynomials in a_0 = tanh(z_0) that the reverse pass recomputes. */
NN_VECTOR_KERNEL void NNJetsActivationForward_Private(const NNJets *J, NNActivation act, PetscInt m, const PetscReal *restrict Z,
                                                      PetscReal *restrict sig, PetscReal *restrict A)
{
  const PetscInt nD = J->nD, oh = (1 + nD) * m, oL = (J->S - 1) * m;
  PetscReal      buf[3][NN_JETS_TILE];

  for (PetscInt i0 = 0; i0 < m; i0 += NN_JETS_TILE) {
    const PetscInt   t  = PetscMin(NN_JETS_TILE, m - i0);
    const PetscReal *z  = Z + i0;
    PetscReal       *s1 = sig ? sig + i0 : buf[0], *s2 = sig ? sig + m + i0 : buf[1], *a = A + i0;

    NNActivationEvaluate_Private(act, t, z, a, s1, s2, sig ? sig + 2 * m + i0 : buf[2]);
    for (PetscInt d = 0; d < nD; d++) {
      const PetscReal *restrict zd = z + (1 + d) * m;
      PetscReal *restrict ad       = a + (1 + d) * m;
      for (PetscInt i = 0; i < t; i++) ad[i] = s1[i] * zd[i];
    }
    for (PetscInt h = 0; h < J->nH; h++) {
      const PetscReal *restrict za = z + (1 + J->H[2 * h]) * m, *restrict zb = z + (1 + J->H[2 * h + 1]) * m, *restrict zh = z + oh + h * m;
      PetscReal *restrict ah = a + oh + h * m;
      for (PetscInt i = 0; i < t; i++) ah[i] = s2[i] * za[i] * zb[i] + s1[i] * zh[i];
    }
    if (J->hasL) {
      PetscReal q[NN_JETS_TILE];
      for (PetscInt i = 0; i < t; i++) q[i] = 0;
      for (PetscInt l = 0; l < J->nL; l++) {
        const PetscReal *restrict zk = z + (1 + J->L[l]) * m;
        const PetscReal w            = J->wD[J->L[l]];
        for (PetscInt i = 0; i < t; i++) q[i] += w * zk[i] * zk[i];
      }
      for (PetscInt i = 0; i < t; i++) a[oL + i] = s2[i] * q[i] + s1[i] * z[oL + i];
    }
  }
}

/* Adjoint of the map above: Abar -> Zbar (Zbar overwritten). sig as the forward kernel wrote it, or
   NULL for tanh: then the derivatives come from the layer's value block A0 = tanh(z_0). The value
   adjoint accumulates in place, and each first-derivative stream takes its Laplacian part in the
   same pass, so every stream is read once. */
NN_VECTOR_KERNEL void NNJetsActivationBackward_Private(const NNJets *J, PetscInt m, const PetscReal *restrict Z, const PetscReal *restrict sig,
                                                       const PetscReal *restrict A0, const PetscReal *restrict Abar, PetscReal *restrict Zbar)
{
  const PetscInt nD = J->nD, oh = (1 + nD) * m, oL = (J->S - 1) * m;
  PetscReal      buf[3][NN_JETS_TILE];
  for (PetscInt i0 = 0; i0 < m; i0 += NN_JETS_TILE) {
    const PetscInt   t = PetscMin(NN_JETS_TILE, m - i0);
    const PetscReal *z = Z + i0, *ab = Abar + i0, *s1 = buf[0], *s2 = buf[1], *s3 = buf[2];
    PetscReal       *zb = Zbar + i0;

    if (sig) {
      s1 = sig + i0;
      s2 = sig + m + i0;
      s3 = sig + 2 * m + i0;
    } else {
      const PetscReal *restrict a0 = A0 + i0;
      for (PetscInt i = 0; i < t; i++) {
        const PetscReal th = a0[i], u = 1.0 - th * th;
        buf[0][i] = u;
        buf[1][i] = -2.0 * th * u;
        buf[2][i] = u * (6.0 * th * th - 2.0);
      }
    }
    for (PetscInt i = 0; i < t; i++) zb[i] = s1[i] * ab[i];
    if (J->hasL) {
      const PetscReal *restrict w = ab + oL, *restrict zL = z + oL;
      for (PetscInt i = 0; i < t; i++) {
        zb[oL + i] = s1[i] * w[i];
        zb[i] += s2[i] * zL[i] * w[i];
      }
    }
    for (PetscInt d = 0; d < nD; d++) {
      const PetscReal *restrict zd = z + (1 + d) * m, *restrict ad = ab + (1 + d) * m;
      PetscReal *restrict bd = zb + (1 + d) * m;
      if (J->wD[d] != 0) { /* the Laplacian inputs are distinct: stream d is in L at most once (weight 0: not in it) */
        const PetscReal *restrict w = ab + oL;
        const PetscReal c           = J->wD[d];
        for (PetscInt i = 0; i < t; i++) {
          bd[i] = s1[i] * ad[i] + 2.0 * c * s2[i] * w[i] * zd[i];
          zb[i] += (s2[i] * ad[i] + c * s3[i] * zd[i] * w[i]) * zd[i];
        }
      } else
        for (PetscInt i = 0; i < t; i++) {
          bd[i] = s1[i] * ad[i];
          zb[i] += s2[i] * zd[i] * ad[i];
        }
    }
    for (PetscInt h = 0; h < J->nH; h++) {
      const PetscInt a = J->H[2 * h], b = J->H[2 * h + 1];
      const PetscReal *restrict za = z + (1 + a) * m, *restrict zbb = z + (1 + b) * m, *restrict zh = z + oh + h * m, *restrict w = ab + oh + h * m;
      PetscReal *restrict bh = zb + oh + h * m;
      for (PetscInt i = 0; i < t; i++) {
        bh[i] = s1[i] * w[i];
        zb[i] += (s3[i] * za[i] * zbb[i] + s2[i] * zh[i]) * w[i];
      }
      /* separate passes: a and b may be the same stream */
      PetscReal *ba = zb + (1 + a) * m, *bb = zb + (1 + b) * m;
      for (PetscInt i = 0; i < t; i++) ba[i] += s2[i] * zbb[i] * w[i];
      for (PetscInt i = 0; i < t; i++) bb[i] += s2[i] * za[i] * w[i];
    }
  }
}

/* Activation functions with their first three derivatives (the reverse pass through second-order
   jets needs sigma'''). */
#include <nnpde/private/nnimpl.h>

/* glibc's libmvec (>= 2.35, linked through libm) has vector expm1 within a few ulp of the scalar
   one; declaring it lets the vectorizer call it (math.h does so only under -ffast-math). It is
   declared const: the argument here is <= 0, where expm1 cannot overflow and never sets errno. */
#if defined(__GLIBC__) && defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#if __GLIBC_PREREQ(2, 35)
extern double expm1(double) __attribute__((simd("notinbranch"), const));
#endif
#endif

NN_VECTOR_KERNEL void NNActivationEvaluate_Private(NNActivation act, PetscInt n, const PetscReal z[], PetscReal s0[], PetscReal s1[], PetscReal s2[],
                                                   PetscReal s3[])
{
  switch (act) {
  case NN_ACTIVATION_TANH:
    /* tanh z = -e / (2 + e) with e = expm1(-2|z|), signed: exact to ~2 ulp, no cancellation near 0,
       and 1.3-1.5x faster than libmvec's vector tanh (measured, AVX2) */
    for (PetscInt i = 0; i < n; i++) {
      const PetscReal e = expm1(-2.0 * PetscAbsReal(z[i])), t = copysign(-e / (2.0 + e), z[i]), u = 1.0 - t * t;
      s0[i] = t;
      s1[i] = u;
      s2[i] = -2.0 * t * u;
      s3[i] = u * (6.0 * t * t - 2.0);
    }
    break;
  case NN_ACTIVATION_SIN:
    for (PetscInt i = 0; i < n; i++) {
      const PetscReal s = PetscSinReal(z[i]), c = PetscCosReal(z[i]);
      s0[i] = s;
      s1[i] = c;
      s2[i] = -s;
      s3[i] = -c;
    }
    break;
  case NN_ACTIVATION_SOFTPLUS:
    for (PetscInt i = 0; i < n; i++) {
      /* log(1+e^z) = max(z,0) + log1p(e^-|z|) without overflow */
      const PetscReal e = PetscExpReal(-PetscAbsReal(z[i]));
      const PetscReal g = z[i] >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e); /* logistic sigmoid */
      s0[i]             = PetscMax(z[i], 0.0) + log1p(e);
      s1[i]             = g;
      s2[i]             = g * (1.0 - g);
      s3[i]             = g * (1.0 - g) * (1.0 - 2.0 * g);
    }
    break;
  case NN_ACTIVATION_GELU:
    /* exact GELU z Phi(z): derivatives through the normal density phi, phi' = -z phi */
    for (PetscInt i = 0; i < n; i++) {
      const PetscReal x = z[i], phi = PetscExpReal(-0.5 * x * x) / PetscSqrtReal(2.0 * PETSC_PI), Phi = 0.5 * erfc(-x / PETSC_SQRT2);
      s0[i] = x * Phi;
      s1[i] = Phi + x * phi;
      s2[i] = phi * (2.0 - x * x);
      s3[i] = phi * (x * x * x - 4.0 * x);
    }
    break;
  case NN_ACTIVATION_RELU:
    for (PetscInt i = 0; i < n; i++) {
      s0[i] = z[i] > 0 ? z[i] : 0.0;
      s1[i] = z[i] > 0 ? 1.0 : 0.0;
      s2[i] = 0.0;
      s3[i] = 0.0;
    }
    break;
  }
}

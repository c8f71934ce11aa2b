/* Low-discrepancy sequences for point sampling: Sobol with the Joe-Kuo direction numbers and Halton
   with the first primes. A point is computed directly from its index (no recurrence over earlier
   points), so every rank can generate its own slice of a global sequence. */
#include <nnpde/private/quasirandomimpl.h>

/* Primitive polynomials and initial direction numbers of Joe and Kuo, "Constructing Sobol sequences
   with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008), file
   new-joe-kuo-6.21201, dimensions 2..40: degree s, coefficients a (interior bits of the polynomial,
   highest first) and m_1..m_s. Dimension 1 is the van der Corput sequence (all m_k = 1). */
typedef struct {
  unsigned char  s;
  unsigned char  a;
  unsigned short m[8];
} SobolPolynomial;

static const SobolPolynomial JoeKuo[PINN_QUASIRANDOM_MAXDIM - 1] = {
    {1, 0, {1}},                             /* dimension 2 */
    {2, 1, {1, 3}},                          /* dimension 3 */
    {3, 1, {1, 3, 1}},                       /* dimension 4 */
    {3, 2, {1, 1, 1}},                       /* dimension 5 */
    {4, 1, {1, 1, 3, 3}},                    /* dimension 6 */
    {4, 4, {1, 3, 5, 13}},                   /* dimension 7 */
    {5, 2, {1, 1, 5, 5, 17}},                /* dimension 8 */
    {5, 4, {1, 1, 5, 5, 5}},                 /* dimension 9 */
    {5, 7, {1, 1, 7, 11, 19}},               /* dimension 10 */
    {5, 11, {1, 1, 5, 1, 1}},                /* dimension 11 */
    {5, 13, {1, 1, 1, 3, 11}},               /* dimension 12 */
    {5, 14, {1, 3, 5, 5, 31}},               /* dimension 13 */
    {6, 1, {1, 3, 3, 9, 7, 49}},             /* dimension 14 */
    {6, 13, {1, 1, 1, 15, 21, 21}},          /* dimension 15 */
    {6, 16, {1, 3, 1, 13, 27, 49}},          /* dimension 16 */
    {6, 19, {1, 1, 1, 15, 7, 5}},            /* dimension 17 */
    {6, 22, {1, 3, 1, 15, 13, 25}},          /* dimension 18 */
    {6, 25, {1, 1, 5, 5, 19, 61}},           /* dimension 19 */
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},      /* dimension 20 */
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},       /* dimension 21 */
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},        /* dimension 22 */
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},         /* dimension 23 */
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},      /* dimension 24 */
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},       /* dimension 25 */
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},      /* dimension 26 */
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},        /* dimension 27 */
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},        /* dimension 28 */
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},       /* dimension 29 */
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},       /* dimension 30 */
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},       /* dimension 31 */
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},       /* dimension 32 */
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},        /* dimension 33 */
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},       /* dimension 34 */
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},       /* dimension 35 */
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},       /* dimension 36 */
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},        /* dimension 37 */
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}}, /* dimension 38 */
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},  /* dimension 39 */
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}}, /* dimension 40 */
};

static const unsigned short HaltonPrimes[PINN_QUASIRANDOM_MAXDIM] = {2,   3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,
                                                                     47,  53,  59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103, 107,
                                                                     109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173};

#define SOBOL_BITS 32

/* V[j][b] = m_{b+1} 2^(31-b): direction number b of dimension j as a 32-bit binary fraction */
static uint32_t  SobolV[PINN_QUASIRANDOM_MAXDIM][SOBOL_BITS];
static PetscBool SobolReady = PETSC_FALSE;

static void SobolSetUp(void)
{
  for (int b = 0; b < SOBOL_BITS; b++) SobolV[0][b] = UINT32_C(1) << (31 - b);
  for (int j = 1; j < PINN_QUASIRANDOM_MAXDIM; j++) {
    const SobolPolynomial *P = &JoeKuo[j - 1];
    const int              s = P->s;
    uint32_t              *V = SobolV[j];

    for (int b = 0; b < s && b < SOBOL_BITS; b++) V[b] = (uint32_t)P->m[b] << (31 - b);
    /* m_k = 2 a_1 m_{k-1} ^ 4 a_2 m_{k-2} ^ ... ^ 2^(s-1) a_{s-1} m_{k-s+1} ^ 2^s m_{k-s} ^ m_{k-s},
       which for the shifted numbers reads V_k = a_1 V_{k-1} ^ ... ^ a_{s-1} V_{k-s+1} ^ V_{k-s} ^ (V_{k-s} >> s) */
    for (int b = s; b < SOBOL_BITS; b++) {
      uint32_t w = V[b - s] ^ (V[b - s] >> s);
      for (int i = 1; i < s; i++)
        if ((P->a >> (s - 1 - i)) & 1) w ^= V[b - i];
      V[b] = w;
    }
  }
  SobolReady = PETSC_TRUE;
}

static inline PetscReal RadicalInverse(uint64_t i, unsigned base)
{
  PetscReal r = 0, f = 1.0 / base, scale = f;

  while (i) {
    r += (PetscReal)(i % base) * scale;
    i /= base;
    scale *= f;
  }
  return r;
}

/*@C
  PINNQuasiRandom_Private - Points of the Sobol or Halton sequence, each computed from its index.

  Not Collective

  Input Parameters:
+ type  - PINN_SAMPLE_SOBOL (Gray-code order) or PINN_SAMPLE_HALTON
. dim   - the dimension, 1 .. PINN_QUASIRANDOM_MAXDIM
. first - the index of the first point (index 0 is the origin); Sobol indices stay below 2^32
- n     - the number of points

  Output Parameter:
. x - x[p*dim + k], coordinate k of point first + p, in [0, 1)

  Level: developer

.seealso: `PINNGeometrySampleInterior()`, `PINNSAMPLERSOBOL`, `PINNSAMPLERHALTON`
@*/
PetscErrorCode PINNQuasiRandom_Private(PINNSampleType type, PetscInt dim, uint64_t first, PetscInt n, PetscReal x[])
{
  PetscFunctionBegin;
  PetscCheck(dim >= 1 && dim <= PINN_QUASIRANDOM_MAXDIM, PETSC_COMM_SELF, PETSC_ERR_SUP,
             "%s points are tabulated up to dimension %d; %" PetscInt_FMT " were asked for (use the uniform sample type)", PINNSampleTypes[type],
             PINN_QUASIRANDOM_MAXDIM, dim);
  switch (type) {
  case PINN_SAMPLE_SOBOL:
    PetscCheck(first + (uint64_t)n <= (UINT64_C(1) << SOBOL_BITS), PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "Sobol points %llu..%llu asked for; the %d-bit direction numbers give 2^%d points", (unsigned long long)first,
               (unsigned long long)(first + n), SOBOL_BITS, SOBOL_BITS);
    if (!SobolReady) SobolSetUp();
    for (PetscInt p = 0; p < n; p++) {
      const uint64_t i    = first + (uint64_t)p;
      const uint32_t gray = (uint32_t)(i ^ (i >> 1)); /* Gray-code order, as in Joe and Kuo's generator */
      for (PetscInt k = 0; k < dim; k++) {
        uint32_t X = 0;
        for (int b = 0; b < SOBOL_BITS; b++)
          if ((gray >> b) & 1) X ^= SobolV[k][b];
        x[p * dim + k] = (PetscReal)X * 0x1.0p-32;
      }
    }
    break;
  case PINN_SAMPLE_HALTON:
    for (PetscInt p = 0; p < n; p++)
      for (PetscInt k = 0; k < dim; k++) x[p * dim + k] = RadicalInverse(first + (uint64_t)p, HaltonPrimes[k]);
    break;
  default:
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Not a quasi-random sample type: %d", (int)type);
  }
  PetscFunctionReturn(0);
}

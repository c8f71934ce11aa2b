/* tanh, the default activation, against libm over its whole range: a network x -> tanh(x) (one hidden unit,
   weights 1, biases 0, linear output) evaluated with its first and second derivative streams at points from
   subnormal to beyond saturation, both signs, zero, +-Inf and NaN (a signed zero does not pass the bias:
   1 (-0) + 0 = +0). The value must be within 8 ulp of libm's tanh (the vector kernel computes it from libmvec's
   expm1: 3 ulp on AVX2; the bound leaves room for the AVX-512 clone's expm1). sigma' = 1 - tanh^2 and
   sigma'' = -2 tanh (1 - tanh^2) within 8 and 16 eps: they are <= 1 and lose their relative accuracy where tanh
   saturates, as any formula from tanh does. NaN must stay NaN: the trainer's NaN check depends on it. Each rank
   takes its share of the points. */
#include <nnpde/nn.h>

#define NPOS 4096 /* positive magnitudes; the sweep is +-each, and zeros, Inf, NaN */

static PetscReal Ulps(PetscReal v, PetscReal ref)
{
  const PetscReal a = PetscAbsReal(ref), ulp = a > 0 ? nextafter(a, INFINITY) - a : 4.9406564584124654e-324;
  return PetscAbsReal(v - ref) / ulp;
}

int main(int argc, char **argv)
{
  NN             nn;
  Vec            theta;
  PetscMPIInt    rank, size;
  PetscReal      mag[NPOS], *x, *y, worst[3] = {0, 0, 0}, all[3], wx[3] = {0, 0, 0};
  PetscInt       n = 0, ntot = 2 * NPOS + 6, s1, s2, lo, hi, nbad = 0, badall;
  const PetscInt widths[1] = {1}, deriv[1] = {0}, pairs[2] = {0, 0};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
  PetscCall(NNSetSizes(nn, 1, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 1, widths));
  PetscCall(NNMLPSetActivation(nn, NN_ACTIVATION_TANH));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(NNSetUp(nn));
  PetscCall(NNSetJetsOperator(nn, 1, deriv, 1, pairs, 0, NULL, NULL, NULL));
  PetscCall(NNGetJetIndex(nn, NN_JET_DERIVATIVE, 0, 0, &s1));
  PetscCall(NNGetJetIndex(nn, NN_JET_SECOND_DERIVATIVE, 0, 0, &s2));
  /* parameters, layer by layer (weights, then biases): 1, 0, 1, 0 */
  PetscCall(NNGetParameters(nn, &theta));
  PetscCall(VecGetOwnershipRange(theta, &lo, &hi));
  {
    PetscScalar *t;
    PetscCall(VecGetArray(theta, &t));
    for (PetscInt i = lo; i < hi; i++) t[i - lo] = i % 2 ? 0.0 : 1.0;
    PetscCall(VecRestoreArray(theta, &t));
  }

  /* magnitudes: geometric from the smallest subnormal to 1e3 (dense where tanh bends), then uniform on (0, 25) */
  for (PetscInt i = 0; i < NPOS / 2; i++) mag[i] = 4.9406564584124654e-324 * PetscPowReal(2.0, (1083.0 * i) / (NPOS / 2 - 1));
  for (PetscInt i = NPOS / 2; i < NPOS; i++) mag[i] = 25.0 * (i - NPOS / 2 + 0.5) / (NPOS / 2);
  PetscCall(PetscMalloc2(ntot, &x, ntot * 3, &y));
  for (PetscInt g = rank; g < ntot; g += size) { /* this rank's share, round robin */
    PetscReal v;
    if (g < 2 * NPOS)
      v = g % 2 ? -mag[g / 2] : mag[g / 2];
    else {
      const PetscReal special[6] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN};
      v                          = special[g - 2 * NPOS];
    }
    x[n++] = v;
  }
  PetscCall(NNForward(nn, n, x, y));
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal   t = y[i], d1 = y[s1 * n + i], d2 = y[s2 * n + i], ref = tanh(x[i]);
    const long double u    = (1.0L - (long double)ref) * (1.0L + (long double)ref);
    const PetscReal   e[3] = {Ulps(t, ref), PetscAbsReal(d1 - (PetscReal)u) / PETSC_MACHINE_EPSILON,
                              PetscAbsReal(d2 - (PetscReal)(-2.0L * ref * u)) / PETSC_MACHINE_EPSILON};

    if (PetscIsNanReal(x[i])) {
      if (!PetscIsNanReal(t) || !PetscIsNanReal(d1) || !PetscIsNanReal(d2)) {
        nbad++;
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "[%d] tanh(NaN) gave %g, %g, %g: NaN lost\n", rank, (double)t, (double)d1, (double)d2));
      }
      continue;
    }
    for (PetscInt k = 0; k < 3; k++)
      if (!(e[k] <= worst[k])) worst[k] = PetscIsNanReal(e[k]) ? PETSC_INFINITY : e[k], wx[k] = x[i];
  }
  PetscCall(MPIU_Allreduce(worst, all, 3, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(MPIU_Allreduce(&nbad, &badall, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " points: tanh within %.2f ulp of libm, sigma' within %.2f eps, sigma'' within %.2f eps\n",
                        ntot, (double)all[0], (double)all[1], (double)all[2]));
  for (PetscInt k = 0; k < 3; k++)
    if (worst[k] == all[k] && all[k] > 0)
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "[%d]   worst %s at x = %.17g\n", rank,
                            k == 0   ? "value"
                            : k == 1 ? "sigma'"
                                     : "sigma''",
                            (double)wx[k]));
  PetscCheck(badall == 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "NaN lost at %" PetscInt_FMT " points", badall);
  PetscCheck(all[0] <= 8 && all[1] <= 8 && all[2] <= 16, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "tanh or its derivatives off libm's beyond the tolerance (8 ulp; 8 eps and 16 eps)");
  PetscCall(PetscFree2(x, y));
  PetscCall(NNDestroy(&nn));
  PetscCall(PetscFinalize());
  return 0;
}

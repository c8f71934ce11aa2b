/* Cole-Hopf solution of the viscous Burgers equation u_t + u u_x = nu u_xx with u0 = C + sin x (periodic), by
   quadrature of the heat-kernel integral: the reference for the method-of-lines solver (reference_burgers.c). */
#include <nnpde/reference.h>
#include <nnpde/private/reference1dimpl.h>
#include <petsc/private/petscimpl.h>

/* w(xi, t) for w0 = sin: with phi0 = exp((cos y - 1) / (2 nu)) and the heat kernel,
     w = int sin(y) phi0(y) K(xi - y) dy / int phi0(y) K(xi - y) dy,  y = xi - sqrt(4 nu t) eta,
   K dy ~ exp(-eta^2) d eta. Both integrals by the trapezoidal rule in eta on [-L, L]: the integrand is entire and
   decays like exp(-eta^2), so the rule converges like exp(-pi^2 / (h^2 (1 + t))) (the cosine adds at most t eta^2 to
   the exponent in a strip); exponents are shifted by their maximum so that nothing underflows for small nu. */
static PetscReal ColeHopfSine(PetscReal nu, PetscReal xi, PetscReal t, PetscReal h, PetscReal L, PetscReal *work)
{
  const PetscReal s    = PetscSqrtReal(4 * nu * t);
  const PetscInt  n    = (PetscInt)PetscCeilReal(L / h);
  PetscReal       emax = PETSC_MIN_REAL, num = 0, den = 0;

  if (t == 0) return PetscSinReal(xi);
  for (PetscInt k = -n; k <= n; k++) {
    PetscReal eta = (PetscReal)k * h;

    work[k + n] = -eta * eta + (PetscCosReal(xi - s * eta) - 1) / (2 * nu);
    emax        = PetscMax(emax, work[k + n]);
  }
  for (PetscInt k = -n; k <= n; k++) {
    PetscReal e = PetscExpReal(work[k + n] - emax);

    num += e * PetscSinReal(xi - s * (PetscReal)k * h);
    den += e;
  }
  return num / den;
}

/*@C
  ReferenceBurgersColeHopf1d - Exact (Cole-Hopf) solution of the periodic viscous Burgers equation
  u_t + u u_x = nu u_xx on [0, 2 pi) with u0 = C + sin x, on a space-time grid

  Collective

  Input Parameters:
+ comm - communicator of the output Vec
. nu   - viscosity, > 0
. C    - mean velocity: u(x, t) = C + w(x - C t, t), w the solution for C = 0 (Galilean invariance)
. nx   - number of x points, > 0
. x    - the nx points, or NULL for x_i = 2 pi i / nx
. nt   - number of output times, > 0
- t    - the nt output times, >= 0 (the same array on every rank)

  Output Parameter:
. u - new Vec (see `ReferenceSpaceTimeVecCreate1d()`), u(x_i, t_j) at entry j * nx + i

  Options Database Key:
. -ref_colehopf_step <h> - quadrature step in the scaled variable eta (default min(0.1, pi / sqrt(80 (1 + t))))

  Notes:
  w = -2 nu phi_x / phi with phi the heat-equation solution from phi0 = exp((cos x - 1) / (2 nu)); written as the ratio
  of two heat-kernel integrals in eta = (x - y) / sqrt(4 nu t), both by the trapezoidal rule on |eta| <= sqrt(40 + 1/nu),
  which converges geometrically (Gauss-Hermite-like weight exp(-eta^2)); halving the default step changes the result
  by round-off only. The Fourier (Bessel) series of phi is not used: for small nu it cancels catastrophically near the
  shock, where phi is exp(-1/nu) times its maximum.

  Level: intermediate

.seealso: `ReferenceBurgers1d()`, `ReferenceConvectionDiffusion1d()`
@*/
PetscErrorCode ReferenceBurgersColeHopf1d(MPI_Comm comm, PetscReal nu, PetscReal C, PetscInt nx, const PetscReal x[], PetscInt nt,
                                          const PetscReal t[], Vec *u)
{
  const PetscReal twopi = 2 * PETSC_PI;
  PetscReal       hopt  = 0, L, *work;
  PetscScalar    *a;
  PetscInt        lo, hi, nmax;
  PetscBool       set;

  PetscFunctionBegin;
  PetscValidPointer(u, 8);
  PetscCall(Reference1dCheckInput(comm, nu, nx, nt, t));
  PetscCheck(nu > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "The Cole-Hopf solution needs a viscosity nu > 0, not %g", (double)nu);
  PetscCheck(!PetscIsInfOrNanReal(C), comm, PETSC_ERR_ARG_OUTOFRANGE, "Mean velocity C = %g must be finite", (double)C);
  if (x)
    for (PetscInt i = 0; i < nx; i++) PetscCheck(!PetscIsInfOrNanReal(x[i]), comm, PETSC_ERR_ARG_OUTOFRANGE, "x[%" PetscInt_FMT "] is not finite", i);
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ref_colehopf_step", &hopt, &set));
  PetscCheck(!set || hopt > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-ref_colehopf_step %g must be positive", (double)hopt);
  L = PetscSqrtReal(40 + 1 / nu);

  PetscCall(ReferenceSpaceTimeVecCreate1d(comm, nx, nt, u));
  PetscCall(VecGetOwnershipRange(*u, &lo, &hi));
  PetscCall(VecGetArray(*u, &a));
  nmax = 0, work = NULL;
  for (PetscInt g = lo; g < hi; g++) {
    PetscInt  i = g % nx, j = g / nx;
    PetscReal xi   = (x ? x[i] : twopi * (PetscReal)i / (PetscReal)nx) - C * t[j];
    PetscReal h    = set ? hopt : PetscMin(0.1, PETSC_PI / PetscSqrtReal(80 * (1 + t[j])));
    PetscInt  need = 2 * (PetscInt)PetscCeilReal(L / h) + 1;

    if (need > nmax) {
      PetscCall(PetscFree(work));
      nmax = need;
      PetscCall(PetscMalloc1(nmax, &work));
    }
    xi        = PetscFmodReal(xi, twopi); /* w is 2 pi periodic: keeps the cosine's argument small */
    a[g - lo] = C + ColeHopfSine(nu, xi, t[j], h, L, work);
  }
  PetscCall(PetscFree(work));
  PetscCall(VecRestoreArray(*u, &a));
  PetscFunctionReturn(0);
}

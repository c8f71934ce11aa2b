/* Cole-Hopf solution of the viscous Burgers equation u_t + u u_x = nu u_xx with u0 = C + sin x (periodic), by
   quadrature of the heat-kernel integral: the reference for the method-of-lines solver (reference_burgers.c). */
#include <nnpde/reference.h>
#include <nnpde/private/reference1dimpl.h>
#include <petsc/private/petscimpl.h>

/* w(xi, t) for w0 = sin: with phi0 = exp((cos y - 1) / (2 nu)) and the heat kernel,
     w = int sin(y) phi0(y) K(xi - y) dy / int phi0(y) K(xi - y) dy,  y = xi - sqrt(4 nu t) eta,
   K dy ~ exp(-eta^2) d eta. Both integrals by the trapezoidal rule in eta on [-L, L] with n = ceil(L / h) steps each
   side; exponents are shifted by their maximum so that nothing underflows for small nu. See ColeHopfStep() for h. */
static PetscReal ColeHopfSine(PetscReal nu, PetscReal xi, PetscReal t, PetscReal h, PetscInt n, PetscReal *work)
{
  const PetscReal s    = PetscSqrtReal(4 * nu * t);
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

/* The default step of the trapezoidal rule in eta at time t. The integrands are exp(-eta^2) times 2 pi / s periodic
   functions of eta (s = sqrt(4 nu t)) whose harmonics k in y fall off like I_k(1/(2 nu)) / I_0(1/(2 nu)): below e^-40
   from k = K = sqrt(40 / nu) + 10 on (about exp(-k^2 nu) for small nu, (4 nu)^-k / k! for large nu; checked against
   the Bessel functions for nu from 1e-4 to 1e4), plus one for the sine. By Poisson summation the rule's error for a
   harmonic of frequency w in eta is exp(-(2 pi / h - w)^2 / 4), below e^-40 when 2 pi / h >= w + sqrt(160): hence
   h <= 2 pi / (s (K + 1) + 13). The other bound, min(0.1, pi / sqrt(80 (1 + t))), is the rule for small nu (the cosine
   adds about t eta^2 to the exponent). For small nu t the harmonic bound is above 0.1 and the other decides; for
   larger nu t (from about nu 0.03 at t = 10) the harmonic bound does (nu 25, t 10: without it the step aliased the
   sine's period 2 pi / s). */
static PetscReal ColeHopfStep(PetscReal nu, PetscReal t)
{
  const PetscReal s = PetscSqrtReal(4 * nu * t), K = PetscSqrtReal(40 / nu) + 10;

  return PetscMin(PetscMin(0.1, PETSC_PI / PetscSqrtReal(80 * (1 + t))), 2 * PETSC_PI / (s * (K + 1) + 13));
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
. -ref_colehopf_step <h> - quadrature step in the scaled variable eta (default 0: from nu and t, see Notes)

  Notes:
  w = -2 nu phi_x / phi with phi the heat-equation solution from phi0 = exp((cos x - 1) / (2 nu)); written as the ratio
  of two heat-kernel integrals in eta = (x - y) / sqrt(4 nu t), both by the trapezoidal rule on |eta| <= sqrt(40 + 1/nu),
  which converges geometrically (Gauss-Hermite-like weight exp(-eta^2)). The default step is
  min(0.1, pi / sqrt(80 (1 + t)), 2 pi / (sqrt(4 nu t) (sqrt(40 / nu) + 11) + 13)): it resolves the periodic
  integrands' harmonics to e^-40, so halving it changes the result by round-off only, for small and large nu t alike.
  The Fourier (Bessel) series of phi is not used: for small nu it cancels catastrophically near the shock, where phi is
  exp(-1/nu) times its maximum. The cost per value is 2 sqrt(40 + 1/nu) / h exponentials: a rule of more than 1e7
  points (nu below about 4e-12 at t <= 10, or a tiny -ref_colehopf_step) is refused. At t = 0 no quadrature
  runs (u = C + sin x).

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
  PetscOptionsBegin(comm, NULL, "Cole-Hopf reference solution", "ReferenceBurgersColeHopf1d");
  PetscCall(PetscOptionsReal("-ref_colehopf_step", "Quadrature step in eta (0: from nu and t)", "ReferenceBurgersColeHopf1d", hopt, &hopt, NULL));
  PetscOptionsEnd();
  PetscCheck(hopt >= 0 && !PetscIsInfOrNanReal(hopt), comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-ref_colehopf_step %g must be finite and >= 0 (0: from nu and t)", (double)hopt);
  set = hopt > 0 ? PETSC_TRUE : PETSC_FALSE;
  L   = PetscSqrtReal(40 + 1 / nu);
  for (PetscInt j = 0; j < nt; j++) { /* the finest rule, before any work: its size must fit (t = 0 needs none) */
    PetscReal h = set ? hopt : ColeHopfStep(nu, t[j]);

    PetscCheck(t[j] == 0 || 2 * L / h + 1 <= 1e7, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "The Cole-Hopf quadrature at t = %g needs %g points per value (nu %g, step %g), more than 1e7: use a larger nu or a larger "
               "-ref_colehopf_step",
               (double)t[j], (double)(2 * L / h + 1), (double)nu, (double)h);
  }

  PetscCall(ReferenceSpaceTimeVecCreate1d(comm, nx, nt, u));
  PetscCall(VecGetOwnershipRange(*u, &lo, &hi));
  PetscCall(VecGetArray(*u, &a));
  nmax = 0, work = NULL;
  for (PetscInt g = lo; g < hi; g++) {
    PetscInt  i = g % nx, j = g / nx;
    PetscReal xi = (x ? x[i] : twopi * (PetscReal)i / (PetscReal)nx) - C * t[j];
    PetscReal h  = set ? hopt : ColeHopfStep(nu, t[j]);
    PetscInt  n = t[j] > 0 ? (PetscInt)PetscCeilReal(L / h) : 0, need = 2 * n + 1; /* t = 0: u0, no rule */

    if (need > nmax) {
      PetscCall(PetscFree(work));
      nmax = need;
      PetscCall(PetscMalloc1(nmax, &work));
    }
    xi        = PetscFmodReal(xi, twopi); /* w is 2 pi periodic: keeps the cosine's argument small */
    a[g - lo] = C + ColeHopfSine(nu, xi, t[j], h, n, work);
  }
  PetscCall(PetscFree(work));
  PetscCall(VecRestoreArray(*u, &a));
  PetscFunctionReturn(0);
}

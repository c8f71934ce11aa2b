/* Exact Fourier solution of 1-D periodic linear convection-diffusion u_t + c u_x = nu u_xx on [0, 2 pi),
   and the space-time output Vec shared by the 1-D periodic references. */
#include <nnpde/reference.h>
#include <nnpde/private/reference1dimpl.h>
#include <petsc/private/petscimpl.h>

/*@C
  ReferenceSpaceTimeVecCreate1d - Creates the Vec that holds a 1-D space-time field on an nx x nt grid

  Collective

  Input Parameters:
+ comm - communicator
. nx   - number of x points, > 0
- nt   - number of times, > 0

  Output Parameter:
. u - Vec of global size nt * nx, entry j * nx + i at (x_i, t_j), block size nx; each rank owns whole time
      slices (PETSc's default split of nt), so VecView() to HDF5 writes an nt x nx dataset. Named "u".

  Level: intermediate

.seealso: `ReferenceConvectionDiffusion1d()`, `ReferenceBurgers1d()`, `ReferenceBurgersColeHopf1d()`
@*/
PetscErrorCode ReferenceSpaceTimeVecCreate1d(MPI_Comm comm, PetscInt nx, PetscInt nt, Vec *u)
{
  PetscInt ntlocal = PETSC_DECIDE;

  PetscFunctionBegin;
  PetscValidPointer(u, 4);
  PetscCheck(nx > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Number of x points %" PetscInt_FMT " must be positive", nx);
  PetscCheck(nt > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Number of times %" PetscInt_FMT " must be positive", nt);
  PetscCall(PetscSplitOwnership(comm, &ntlocal, &nt));
  PetscCall(VecCreate(comm, u));
  PetscCall(VecSetSizes(*u, ntlocal * nx, nt * nx));
  PetscCall(VecSetBlockSize(*u, nx));
  PetscCall(VecSetType(*u, VECSTANDARD));
  PetscCall(PetscObjectSetName((PetscObject)*u, "u"));
  PetscFunctionReturn(0);
}

/* Checks shared by the 1-D references: sizes, nu, and finite, non-negative times */
PetscErrorCode Reference1dCheckInput(MPI_Comm comm, PetscReal nu, PetscInt nx, PetscInt nt, const PetscReal t[])
{
  PetscFunctionBegin;
  PetscCheck(!PetscIsInfOrNanReal(nu) && nu >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Viscosity nu = %g must be finite and >= 0", (double)nu);
  PetscCheck(nx > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Number of x points %" PetscInt_FMT " must be positive", nx);
  PetscCheck(nt > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Number of times %" PetscInt_FMT " must be positive", nt);
  PetscCheck(t, comm, PETSC_ERR_ARG_NULL, "The array of %" PetscInt_FMT " output times is NULL", nt);
  for (PetscInt j = 0; j < nt; j++)
    PetscCheck(!PetscIsInfOrNanReal(t[j]) && t[j] >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Output time t[%" PetscInt_FMT "] = %g must be finite and >= 0", j, (double)t[j]);
  PetscFunctionReturn(0);
}

/* u0 at the n points x of this rank, checked finite on every rank (collective) */
PetscErrorCode Reference1dEvaluateInitial(MPI_Comm comm, ReferenceInitialFn u0, void *ctx, PetscInt n, const PetscReal x[], PetscReal v[])
{
  PetscInt bad = -1, anybad;

  PetscFunctionBegin;
  PetscCheck(u0, comm, PETSC_ERR_ARG_NULL, "No initial condition u0 given");
  PetscCall((*u0)(ctx, n, x, v));
  for (PetscInt p = 0; p < n && bad < 0; p++)
    if (PetscIsInfOrNanReal(v[p])) bad = p;
  /* collective, so that every rank stops when one sees a bad value */
  PetscCall(MPIU_Allreduce(&bad, &anybad, 1, MPIU_INT, MPI_MAX, comm));
  PetscCheck(bad < 0, comm, PETSC_ERR_USER_INPUT, "Initial condition u0(%g) = %g is not finite", (double)x[bad], (double)v[bad]);
  PetscCheck(anybad < 0, comm, PETSC_ERR_USER_INPUT, "Initial condition u0 is not finite at a point of another rank");
  PetscFunctionReturn(0);
}

/*@C
  ReferenceConvectionDiffusion1d - Exact solution of the periodic convection-diffusion equation
  u_t + c u_x = nu u_xx on [0, 2 pi) on a space-time grid, for an initial condition given pointwise

  Collective

  Input Parameters:
+ comm   - communicator of the output Vec
. c      - convection speed (any finite value)
. nu     - viscosity, >= 0
. u0     - initial condition, called on every rank with the same nmodes points 2 pi k / nmodes
. ctx    - its context
. nmodes - number of samples of u0 (and of Fourier modes kept), > 0
. nx     - number of x points, > 0
. x      - the nx points (any real values; 2 pi periodic), or NULL for x_i = 2 pi i / nx
. nt     - number of output times, > 0
- t      - the nt output times, >= 0 (the same array on every rank)

  Output Parameter:
. u - new Vec (see `ReferenceSpaceTimeVecCreate1d()`) with u(x_i, t_j) at entry j * nx + i

  Notes:
  u0 is projected on the Fourier modes |m| <= nmodes / 2 by the trapezoidal rule (a direct DFT), each mode is damped
  by exp(-nu m^2 t) and shifted by c t, and the series is summed directly at the points a rank owns (cost nx nt nmodes
  / 2 per run, about 3e6 terms on the 256 x 100 grid with 256 modes). A trigonometric polynomial of degree < nmodes / 2
  is reproduced to round-off; a smooth u0 converges spectrally in nmodes.

  Level: intermediate

.seealso: `ReferenceBurgers1d()`, `ReferenceSpaceTimeVecCreate1d()`
@*/
PetscErrorCode ReferenceConvectionDiffusion1d(MPI_Comm comm, PetscReal c, PetscReal nu, ReferenceInitialFn u0, void *ctx, PetscInt nmodes,
                                              PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[], Vec *u)
{
  const PetscReal twopi = 2 * PETSC_PI;
  PetscReal      *xs, *s, *A, *B, *w;
  PetscScalar    *a;
  PetscInt        nm, lo, hi;

  PetscFunctionBegin;
  PetscValidPointer(u, 11);
  PetscCall(Reference1dCheckInput(comm, nu, nx, nt, t));
  PetscCheck(!PetscIsInfOrNanReal(c), comm, PETSC_ERR_ARG_OUTOFRANGE, "Convection speed c = %g must be finite", (double)c);
  PetscCheck(nmodes > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Number of Fourier samples nmodes = %" PetscInt_FMT " must be positive", nmodes);
  if (x)
    for (PetscInt i = 0; i < nx; i++) PetscCheck(!PetscIsInfOrNanReal(x[i]), comm, PETSC_ERR_ARG_OUTOFRANGE, "x[%" PetscInt_FMT "] is not finite", i);

  /* trapezoidal-rule Fourier coefficients of u0: u0 ~ sum_m w_m (A_m cos m x + B_m sin m x) */
  nm = nmodes / 2 + 1;
  PetscCall(PetscMalloc5(nmodes, &xs, nmodes, &s, nm, &A, nm, &B, nm, &w));
  for (PetscInt k = 0; k < nmodes; k++) xs[k] = twopi * (PetscReal)k / (PetscReal)nmodes;
  PetscCall(Reference1dEvaluateInitial(comm, u0, ctx, nmodes, xs, s));
  for (PetscInt m = 0; m < nm; m++) {
    PetscReal sa = 0, sb = 0;

    for (PetscInt k = 0; k < nmodes; k++) {
      /* m k mod nmodes keeps the angle in [0, 2 pi): exact sample points of the rotated mode */
      PetscReal th = twopi * (PetscReal)(((PetscInt64)m * k) % nmodes) / (PetscReal)nmodes;

      sa += s[k] * PetscCosReal(th);
      sb += s[k] * PetscSinReal(th);
    }
    A[m] = sa / (PetscReal)nmodes, B[m] = sb / (PetscReal)nmodes;
    w[m] = (m == 0 || 2 * m == nmodes) ? 1 : 2; /* the mean and the Nyquist mode (cos only) appear once */
    if (2 * m == nmodes) B[m] = 0;
  }

  PetscCall(ReferenceSpaceTimeVecCreate1d(comm, nx, nt, u));
  PetscCall(VecGetOwnershipRange(*u, &lo, &hi));
  PetscCall(VecGetArray(*u, &a));
  for (PetscInt g = lo; g < hi; g++) {
    PetscInt  i = g % nx, j = g / nx;
    PetscReal xi = x ? x[i] : twopi * (PetscReal)i / (PetscReal)nx, v = 0;
    /* the characteristic foot, reduced to [0, 2 pi) before it is multiplied by m */
    PetscReal xc = PetscFmodReal(xi - c * t[j], twopi);

    if (xc < 0) xc += twopi;
    for (PetscInt m = 0; m < nm; m++) {
      PetscReal damp = w[m] * PetscExpReal(-nu * (PetscReal)(m * m) * t[j]);

      if (damp == 0) break; /* all higher modes are damped to zero as well */
      v += damp * (A[m] * PetscCosReal((PetscReal)m * xc) + B[m] * PetscSinReal((PetscReal)m * xc));
    }
    a[g - lo] = v;
  }
  PetscCall(VecRestoreArray(*u, &a));
  PetscCall(PetscLogFlops(10.0 * (hi - lo) * nm));
  PetscCall(PetscFree5(xs, s, A, B, w));
  PetscFunctionReturn(0);
}

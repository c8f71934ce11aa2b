/* Built-in PDEs as residual terms on the interior points, so examples stay short. Each residual
   comes with its exact partial derivatives with respect to the quantities it uses. */
#include <nnpde/private/pinnimpl.h>

typedef struct {
  PetscReal k, kappa, nu, D, gamma;
  PetscReal c[16];
  PetscInt  nspace;
  PINNField source;
} PDECtx;

static PetscErrorCode PDECtxDestroy(void **ctx)
{
  PDECtx *c = (PDECtx *)*ctx;

  PetscFunctionBegin;
  PetscCall(PetscFree(c->source.v));
  PetscCall(PetscFree(*ctx));
  PetscFunctionReturn(0);
}

/* -lap u + k u - f; quantities (lap u, u) */
static PetscErrorCode PoissonResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                      const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PDECtx *c = (PDECtx *)ctx;

  PetscFunctionBegin;
  (void)normal, (void)nr;
  PetscCall(PINNFieldEvaluate_Private(&c->source, n, dim, x));
  for (PetscInt p = 0; p < n; p++) {
    r[p]           = -u[p * nq] + c->k * u[p * nq + 1] - c->source.v[p];
    dr[p * nq]     = -1.0;
    dr[p * nq + 1] = c->k;
  }
  PetscFunctionReturn(0);
}

/* u_t + c . grad u - nu lap u - f; quantities (u_t, lap u, u_x0, ..., u_x(ns-1)); heat is c = 0 */
static PetscErrorCode ConvectionDiffusionResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                                  const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PDECtx        *c  = (PDECtx *)ctx;
  const PetscInt nc = nq - 2; /* convection terms present */

  PetscFunctionBegin;
  (void)normal, (void)nr;
  PetscCall(PINNFieldEvaluate_Private(&c->source, n, dim, x));
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *up = &u[p * nq];
    PetscReal        v  = up[0] - c->nu * up[1] - c->source.v[p];
    for (PetscInt i = 0; i < nc; i++) v += c->c[i] * up[2 + i];
    r[p]           = v;
    dr[p * nq]     = 1.0;
    dr[p * nq + 1] = -c->nu;
    for (PetscInt i = 0; i < nc; i++) dr[p * nq + 2 + i] = c->c[i];
  }
  PetscFunctionReturn(0);
}

/* u_t + u u_x - nu u_xx; quantities (u, u_t, u_x, u_xx) */
static PetscErrorCode BurgersResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                      const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PDECtx *c = (PDECtx *)ctx;

  PetscFunctionBegin;
  (void)dim, (void)x, (void)normal, (void)nr;
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *up = &u[p * nq];
    PetscReal       *d  = &dr[p * nq];
    r[p]                = up[1] + up[0] * up[2] - c->nu * up[3];
    d[0] = up[2], d[1] = 1.0, d[2] = up[0], d[3] = -c->nu;
  }
  PetscFunctionReturn(0);
}

/* u_t - D u_xx - gamma (u - u^3); quantities (u, u_t, u_xx) */
static PetscErrorCode AllenCahnResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                        const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PDECtx *c = (PDECtx *)ctx;

  PetscFunctionBegin;
  (void)dim, (void)x, (void)normal, (void)nr;
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *up = &u[p * nq], v = up[0];
    PetscReal       *d = &dr[p * nq];
    r[p]               = up[1] - c->D * up[2] - c->gamma * (v - v * v * v);
    d[0] = -c->gamma * (1.0 - 3.0 * v * v), d[1] = 1.0, d[2] = -c->D;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode AddPDE(PINN pinn, const char name[], PetscInt nq, const PINNQuantity q[], PINNResidualFn fn, PDECtx *c, PetscReal weight)
{
  PetscInt term;

  PetscFunctionBegin;
  PetscCall(PINNAddTerm(pinn, name, PINN_POINTS_INTERIOR, 0, NULL, nq, q, 1, fn, c, weight, &term));
  pinn->terms[term].ctxdestroy = PDECtxDestroy;
  PetscFunctionReturn(0);
}

static PetscErrorCode RequireGeometry(PINN pinn, const char pde[], PetscBool spacetime, PetscInt nspace)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)pinn);

  PetscFunctionBegin;
  PetscCheck(pinn->geom, comm, PETSC_ERR_ARG_WRONGSTATE, "Set the geometry (PINNSetGeometry) before adding the %s equation", pde);
  PetscCheck(!spacetime || pinn->spacetime, comm, PETSC_ERR_ARG_WRONG, "The %s equation needs a space-time geometry (PINNGeometryCreateSpaceTime)",
             pde);
  PetscCheck(nspace <= 0 || pinn->nspace == nspace, comm, PETSC_ERR_ARG_WRONG,
             "The %s equation is %" PetscInt_FMT "-D in space, but the geometry has %" PetscInt_FMT " space dimensions", pde, nspace, pinn->nspace);
  PetscFunctionReturn(0);
}

/*@C
  PINNAddPoisson - Adds the term -lap u + k u = f (Poisson for k = 0, Helmholtz for k < 0) on
  the interior points, named "pde". f NULL means f = 0.

  Level: beginner
@*/
PetscErrorCode PINNAddPoisson(PINN pinn, PetscReal k, PINNFieldFn f, void *ctx, PetscReal weight)
{
  PDECtx            *c;
  const PINNQuantity q[2] = {{0, 0, NN_JET_LAPLACIAN, 0, 0}, {0, 0, NN_JET_VALUE, 0, 0}};

  PetscFunctionBegin;
  PetscCall(RequireGeometry(pinn, "Poisson", PETSC_FALSE, 0));
  PetscCall(PetscNew(&c));
  c->k = k, c->source.f = f, c->source.ctx = ctx;
  PetscCall(AddPDE(pinn, "pde", 2, q, PoissonResidual, c, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddConvectionDiffusion - Adds u_t + c . grad u - nu lap u = f on a space-time geometry
  (c has one entry per space dimension), named "pde".

  Level: beginner
@*/
PetscErrorCode PINNAddConvectionDiffusion(PINN pinn, const PetscReal c[], PetscReal nu, PINNFieldFn f, void *ctx, PetscReal weight)
{
  PDECtx      *pc;
  PINNQuantity q[18];
  PetscInt     nq = 2;

  PetscFunctionBegin;
  PetscCall(RequireGeometry(pinn, "convection-diffusion", PETSC_TRUE, 0));
  PetscCheck(pinn->nspace <= 16, PetscObjectComm((PetscObject)pinn), PETSC_ERR_SUP, "Convection-diffusion supports up to 16 space dimensions");
  PetscCheck(nu >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Diffusivity must be nonnegative, got %g", (double)nu);
  PetscCall(PetscNew(&pc));
  pc->nu = nu, pc->source.f = f, pc->source.ctx = ctx;
  q[0] = (PINNQuantity){0, 0, NN_JET_DERIVATIVE, pinn->dim - 1, 0};
  q[1] = (PINNQuantity){0, 0, NN_JET_LAPLACIAN, 0, 0};
  for (PetscInt i = 0; c && i < pinn->nspace; i++) {
    pc->c[i] = c[i];
    q[nq++]  = (PINNQuantity){0, 0, NN_JET_DERIVATIVE, i, 0};
  }
  PetscCall(AddPDE(pinn, "pde", nq, q, ConvectionDiffusionResidual, pc, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddHeat - Adds u_t - kappa lap u = f on a space-time geometry, named "pde".

  Level: beginner
@*/
PetscErrorCode PINNAddHeat(PINN pinn, PetscReal kappa, PINNFieldFn f, void *ctx, PetscReal weight)
{
  PetscFunctionBegin;
  PetscCheck(kappa >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Heat conductivity must be nonnegative, got %g",
             (double)kappa);
  PetscCall(PINNAddConvectionDiffusion(pinn, NULL, kappa, f, ctx, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddBurgers - Adds the viscous Burgers equation u_t + u u_x = nu u_xx (1-D in space), named "pde".

  Level: beginner
@*/
PetscErrorCode PINNAddBurgers(PINN pinn, PetscReal nu, PetscReal weight)
{
  PDECtx            *c;
  const PINNQuantity q[4] = {
      {0, 0, NN_JET_VALUE, 0, 0}, {0, 0, NN_JET_DERIVATIVE, 1, 0}, {0, 0, NN_JET_DERIVATIVE, 0, 0}, {0, 0, NN_JET_SECOND_DERIVATIVE, 0, 0}};

  PetscFunctionBegin;
  PetscCall(RequireGeometry(pinn, "Burgers", PETSC_TRUE, 1));
  PetscCheck(nu >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Viscosity must be nonnegative, got %g", (double)nu);
  PetscCall(PetscNew(&c));
  c->nu = nu;
  PetscCall(AddPDE(pinn, "pde", 4, q, BurgersResidual, c, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddAllenCahn - Adds u_t = D u_xx + gamma (u - u^3) (1-D in space), named "pde".

  Level: beginner
@*/
PetscErrorCode PINNAddAllenCahn(PINN pinn, PetscReal D, PetscReal gamma, PetscReal weight)
{
  PDECtx            *c;
  const PINNQuantity q[3] = {{0, 0, NN_JET_VALUE, 0, 0}, {0, 0, NN_JET_DERIVATIVE, 1, 0}, {0, 0, NN_JET_SECOND_DERIVATIVE, 0, 0}};

  PetscFunctionBegin;
  PetscCall(RequireGeometry(pinn, "Allen-Cahn", PETSC_TRUE, 1));
  PetscCheck(D >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Diffusion must be nonnegative, got %g", (double)D);
  PetscCall(PetscNew(&c));
  c->D = D, c->gamma = gamma;
  PetscCall(AddPDE(pinn, "pde", 3, q, AllenCahnResidual, c, weight));
  PetscFunctionReturn(0);
}

/* Every built-in PDE and condition evaluated on a manufactured (exact) solution: the network is
   replaced by the known function and its exact derivatives, so the residual must vanish to
   round-off; the partial derivatives dr/du the library backpropagates are checked against finite
   differences of the residual. */
#include <nnpde.h>

#define NPTS 64

typedef struct {
  PetscReal k, kappa, c, nu, a, D, gamma;
} Params;

/* Quantities of a term as the library orders them, for the exact solution at point x */
typedef PetscErrorCode (*ExactJets)(const Params *, const PetscReal x[], PetscReal u[]);

static PetscErrorCode SinSinSource(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal f[])
{
  const Params *P = (const Params *)ctx;
  (void)nc;
  for (PetscInt p = 0; p < n; p++)
    f[p] = (2 * PETSC_PI * PETSC_PI + P->k) * PetscSinReal(PETSC_PI * x[p * dim]) * PetscSinReal(PETSC_PI * x[p * dim + 1]);
  return 0;
}
/* Poisson/Helmholtz: (lap u, u) of sin(pi x) sin(pi y) */
static PetscErrorCode PoissonJets(const Params *P, const PetscReal x[], PetscReal u[])
{
  const PetscReal s = PetscSinReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]);
  (void)P;
  u[0] = -2 * PETSC_PI * PETSC_PI * s, u[1] = s;
  return 0;
}
/* heat: (u_t, u_xx) of exp(-kappa pi^2 t) sin(pi x) */
static PetscErrorCode HeatJets(const Params *P, const PetscReal x[], PetscReal u[])
{
  const PetscReal v = PetscExpReal(-P->kappa * PETSC_PI * PETSC_PI * x[1]) * PetscSinReal(PETSC_PI * x[0]);
  u[0] = -P->kappa * PETSC_PI * PETSC_PI * v, u[1] = -PETSC_PI * PETSC_PI * v;
  return 0;
}
/* convection-diffusion: (u_t, u_xx, u_x) of exp(-nu pi^2 t) sin(pi (x - c t)) */
static PetscErrorCode ConvJets(const Params *P, const PetscReal x[], PetscReal u[])
{
  const PetscReal e = PetscExpReal(-P->nu * PETSC_PI * PETSC_PI * x[1]), s = PetscSinReal(PETSC_PI * (x[0] - P->c * x[1])),
                  c = PetscCosReal(PETSC_PI * (x[0] - P->c * x[1]));
  u[0] = -P->nu * PETSC_PI * PETSC_PI * e * s - P->c * PETSC_PI * e * c, u[1] = -PETSC_PI * PETSC_PI * e * s, u[2] = PETSC_PI * e * c;
  return 0;
}
/* Burgers: (u, u_t, u_x, u_xx) of the viscous shock c - a tanh(a (x - c t) / (2 nu)) */
static PetscErrorCode BurgersJets(const Params *P, const PetscReal x[], PetscReal u[])
{
  const PetscReal T = PetscTanhReal(P->a * (x[0] - P->c * x[1]) / (2 * P->nu)), S = 1 - T * T;
  u[0] = P->c - P->a * T;
  u[2] = -P->a * P->a * S / (2 * P->nu);
  u[1] = -P->c * u[2];
  u[3] = P->a * P->a * P->a * T * S / (2 * P->nu * P->nu);
  return 0;
}
/* Allen-Cahn: (u, u_t, u_xx) of the stationary front tanh(x sqrt(gamma / 2D)) */
static PetscErrorCode AllenCahnJets(const Params *P, const PetscReal x[], PetscReal u[])
{
  const PetscReal k = PetscSqrtReal(P->gamma / (2 * P->D)), T = PetscTanhReal(k * x[0]);
  u[0] = T, u[1] = 0, u[2] = -2 * k * k * T * (1 - T * T);
  return 0;
}

/* Boundary data of the condition checks: g = u, h = du/dn, Robin 2u + 3 du/dn for u = x^2 + x y */
static PetscErrorCode ConditionData(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  const PetscInt kind = *(PetscInt *)ctx;
  (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal X = x[p * dim], Y = x[p * dim + 1], u = X * X + X * Y;
    /* outward normal of the box [0,1]^2 face the point is on: the test puts points on x = 1 */
    const PetscReal dn = 2 * X + Y;
    v[p]               = kind == 0 ? u : kind == 1 ? dn : 2 * u + 3 * dn;
  }
  return 0;
}
/* Neumann (kind 1) and Robin (kind 2) data from the normal the library passes: n . grad u */
static PetscErrorCode NormalConditionData(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nc,
                                          PetscReal v[])
{
  const PetscInt kind = *(PetscInt *)ctx;
  (void)nc;
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal X = x[p * dim], Y = x[p * dim + 1], u = X * X + X * Y;
    const PetscReal dn = normal[p * dim] * (2 * X + Y) + normal[p * dim + 1] * X;
    v[p]               = kind == 1 ? dn : 2 * u + 3 * dn;
  }
  return 0;
}
static PetscErrorCode ConditionJets(const Params *P, const PetscReal x[], PetscReal u[])
{
  (void)P;
  u[0] = x[0] * x[0] + x[0] * x[1], u[1] = 2 * x[0] + x[1], u[2] = x[0];
  return 0;
}

/* Check term `term` of pinn on NPTS points (normals +x when given) */
static PetscErrorCode CheckTerm(PINN pinn, PetscInt term, const char label[], const Params *P, ExactJets jets, PetscInt nq, PetscBool normals,
                                PetscReal *rmax, PetscReal *dmax)
{
  PetscReal x[NPTS * 2], nrm[NPTS * 2], u[NPTS * 8], r[NPTS], dr[NPTS * 8], up[NPTS * 8], rp[NPTS], tmp[NPTS * 8], scale = 0;

  PetscFunctionBegin;
  PetscCall(NNRandomUniformArray(9, 1, 0, 2 * NPTS, x));
  for (PetscInt p = 0; p < NPTS; p++) {
    if (normals) x[2 * p] = 1.0; /* on the face x = 1 */
    nrm[2 * p] = 1, nrm[2 * p + 1] = 0;
    PetscCall(jets(P, &x[2 * p], &u[p * nq]));
    for (PetscInt q = 0; q < nq; q++) scale = PetscMax(scale, PetscAbsReal(u[p * nq + q]));
  }
  PetscCall(PINNTermResidual(pinn, term, NPTS, x, normals ? nrm : NULL, u, r, dr));
  *rmax = 0;
  for (PetscInt p = 0; p < NPTS; p++) *rmax = PetscMax(*rmax, PetscAbsReal(r[p]) / scale);
  /* dr/du_q by a fourth-order central difference: exact for the residuals, at most cubic in u */
  *dmax = 0;
  for (PetscInt q = 0; q < nq; q++) {
    const PetscReal h = 1e-3, w[4] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12}, off[4] = {-2, -1, 1, 2};
    PetscReal       fd[NPTS];
    PetscCall(PetscArrayzero(fd, NPTS));
    for (PetscInt s = 0; s < 4; s++) {
      PetscCall(PetscArraycpy(up, u, NPTS * nq));
      for (PetscInt p = 0; p < NPTS; p++) up[p * nq + q] += off[s] * h;
      PetscCall(PINNTermResidual(pinn, term, NPTS, x, normals ? nrm : NULL, up, rp, tmp));
      for (PetscInt p = 0; p < NPTS; p++) fd[p] += w[s] * rp[p] / h;
    }
    for (PetscInt p = 0; p < NPTS; p++) *dmax = PetscMax(*dmax, PetscAbsReal(fd[p] - dr[p * nq + q]) / PetscMax(1.0, PetscAbsReal(fd[p])));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-26s residual of the exact solution %s, dr/du %s\n", label, *rmax < 1e-12 ? "< 1e-12" : "TOO LARGE",
                        *dmax < 1e-8 ? "matches finite differences" : "WRONG"));
  PetscCheck(*rmax < 1e-12 && *dmax < 1e-8, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: residual %g, derivative error %g", label, (double)*rmax,
             (double)*dmax);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Params          P     = {.k = -4.0, .kappa = 0.1, .c = 0.7, .nu = 0.05, .a = 0.8, .D = 0.01, .gamma = 5.0};
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1}, l1[1] = {-1}, h1[1] = {1}, cvel[1] = {0.7};
  PetscInt        kinds[3] = {0, 1, 2};
  PetscReal       rmax, dmax;
  PINNGeometry    box, line, strip;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &box));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 1, l1, h1, &line));
  PetscCall(PINNGeometryCreateSpaceTime(line, 0.0, 1.0, &strip));
  {
    PINN   pinn;
    Params P0 = P;
    P0.k      = 0;
    for (PetscInt helm = 0; helm < 2; helm++) {
      PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
      PetscCall(PINNSetGeometry(pinn, box));
      PetscCall(PINNAddPoisson(pinn, helm ? P.k : 0.0, SinSinSource, helm ? &P : &P0, 1.0));
      PetscCall(PINNAddDirichlet(pinn, "dirichlet", 0, NULL, 0, ConditionData, &kinds[0], 1.0));
      PetscCall(PINNAddNeumann(pinn, "neumann", 0, NULL, 0, NormalConditionData, &kinds[1], 1.0));
      PetscCall(PINNAddRobin(pinn, "robin", 0, NULL, 0, 2.0, 3.0, NormalConditionData, &kinds[2], 1.0));
      PetscCall(PINNSetNumPoints(pinn, 16, 16, 0));
      PetscCall(PINNSetUp(pinn));
      PetscCall(CheckTerm(pinn, 0, helm ? "Helmholtz (k = -4)" : "Poisson", helm ? &P : &P0, PoissonJets, 2, PETSC_FALSE, &rmax, &dmax));
      if (!helm) {
        PetscCall(CheckTerm(pinn, 1, "Dirichlet condition", &P, ConditionJets, 1, PETSC_TRUE, &rmax, &dmax));
        PetscCall(CheckTerm(pinn, 2, "Neumann condition", &P, ConditionJets, 3, PETSC_TRUE, &rmax, &dmax));
        PetscCall(CheckTerm(pinn, 3, "Robin condition", &P, ConditionJets, 3, PETSC_TRUE, &rmax, &dmax));
      }
      PetscCall(PINNDestroy(&pinn));
    }
  }
  {
    struct {
      const char *label;
      ExactJets   jets;
      PetscInt    nq;
    } cases[4] = {
        {"heat", HeatJets, 2},
        {"convection-diffusion", ConvJets, 3},
        {"viscous Burgers", BurgersJets, 4},
        {"Allen-Cahn", AllenCahnJets, 3},
    };
    for (PetscInt c = 0; c < 4; c++) {
      PINN pinn;
      PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
      PetscCall(PINNSetGeometry(pinn, strip));
      if (c == 0) PetscCall(PINNAddHeat(pinn, P.kappa, NULL, NULL, 1.0));
      if (c == 1) PetscCall(PINNAddConvectionDiffusion(pinn, cvel, P.nu, NULL, NULL, 1.0));
      if (c == 2) PetscCall(PINNAddBurgers(pinn, P.nu, 1.0));
      if (c == 3) PetscCall(PINNAddAllenCahn(pinn, P.D, P.gamma, 1.0));
      PetscCall(PINNSetNumPoints(pinn, 16, 0, 0));
      PetscCall(PINNSetUp(pinn));
      PetscCall(CheckTerm(pinn, 0, cases[c].label, &P, cases[c].jets, cases[c].nq, PETSC_FALSE, &rmax, &dmax));
      PetscCall(PINNDestroy(&pinn));
    }
  }
  PetscCall(PINNGeometryDestroy(&strip));
  PetscCall(PINNGeometryDestroy(&line));
  PetscCall(PINNGeometryDestroy(&box));
  PetscCall(PetscFinalize());
  return 0;
}

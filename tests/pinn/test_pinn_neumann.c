/* Neumann and Robin data receive the outward unit normal: on a disk, on DeepXDE's L-shaped polygon
   and on a square with a round hole (CSG; on the hole the normal points into the hole), the data
   callback gets unit normals that point out of the domain (x - h n inside, x + h n outside), and
   with the data h = grad u* . n (Neumann) and 2 u* + 3 grad u* . n (Robin) of a manufactured u*
   the terms' residuals at the exact solution vanish. */
#include <nnpde.h>

typedef struct {
  PINNGeometry geom;
  PetscBool    robin;
  PetscInt     points, bad; /* normals seen, and those not unit or not outward */
} DataCtx;

static void Exact(const PetscReal x[], PetscReal *u, PetscReal g[2])
{
  const PetscReal X = x[0], Y = x[1];
  *u   = PetscSinReal(2 * X) * PetscCosReal(Y) + X * Y;
  g[0] = 2 * PetscCosReal(2 * X) * PetscCosReal(Y) + Y;
  g[1] = -PetscSinReal(2 * X) * PetscSinReal(Y) + X;
}

static PetscErrorCode Data(void *vctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nc, PetscReal v[])
{
  DataCtx        *ctx = (DataCtx *)vctx;
  const PetscReal h   = 1e-6;
  PetscReal      *y;
  PetscBool      *in;

  PetscFunctionBegin;
  (void)nc;
  PetscCall(PetscMalloc2(2 * n * dim, &y, 2 * n, &in));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal u, g[2], len = 0;
    Exact(&x[p * dim], &u, g);
    v[p] = (ctx->robin ? 2 * u : 0) + (ctx->robin ? 3 : 1) * (normal[p * dim] * g[0] + normal[p * dim + 1] * g[1]);
    for (PetscInt k = 0; k < dim; k++) {
      y[p * dim + k]       = x[p * dim + k] - h * normal[p * dim + k]; /* just inside */
      y[(n + p) * dim + k] = x[p * dim + k] + h * normal[p * dim + k]; /* just outside */
      len += PetscSqr(normal[p * dim + k]);
    }
    if (PetscAbsReal(PetscSqrtReal(len) - 1) > 1e-12) ctx->bad++;
  }
  PetscCall(PINNGeometryContains(ctx->geom, 2 * n, y, in));
  for (PetscInt p = 0; p < n; p++)
    if (!in[p] || in[n + p]) ctx->bad++;
  ctx->points += n;
  PetscCall(PetscFree2(y, in));
  PetscFunctionReturn(0);
}

static PetscErrorCode Check(const char label[], PINNGeometry geom)
{
  PINN             pinn;
  DataCtx          neu = {geom, PETSC_FALSE, 0, 0}, rob = {geom, PETSC_TRUE, 0, 0};
  PetscInt         n, counts[3];
  const PetscReal *x, *normal;
  PetscReal       *u, *r, *dr, rmax[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, geom));
  PetscCall(PINNAddPoisson(pinn, 0.0, NULL, NULL, 1.0));
  PetscCall(PINNAddNeumann(pinn, "neumann", 0, NULL, 0, Data, &neu, 1.0));
  PetscCall(PINNAddRobin(pinn, "robin", 0, NULL, 0, 2.0, 3.0, Data, &rob, 1.0));
  PetscCall(PINNSetNumPoints(pinn, 16, 200, 0));
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNGetPoints(pinn, PINN_POINTS_BOUNDARY, &n, &x, &normal));
  PetscCall(PetscMalloc3(3 * n, &u, n, &r, 3 * n, &dr));
  for (PetscInt p = 0; p < n; p++) Exact(&x[2 * p], &u[3 * p], &u[3 * p + 1]); /* quantities: u, du/dx, du/dy */
  for (PetscInt t = 1; t <= 2; t++) {
    PetscCall(PINNTermResidual(pinn, t, n, x, normal, u, r, dr));
    for (PetscInt p = 0; p < n; p++) rmax[t - 1] = PetscMax(rmax[t - 1], PetscAbsReal(r[p]));
  }
  counts[0] = neu.points + rob.points, counts[1] = neu.bad + rob.bad, counts[2] = n;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, counts, 3, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, rmax, 2, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%-22s %3" PetscInt_FMT " boundary points: normals given to the data %s; residual of u*: Neumann %s, Robin %s\n", label,
                        counts[2], counts[1] ? "NOT UNIT OR NOT OUTWARD" : "unit and outward", rmax[0] < 1e-12 ? "< 1e-12" : "TOO LARGE",
                        rmax[1] < 1e-12 ? "< 1e-12" : "TOO LARGE"));
  PetscCheck(counts[0] == 2 * counts[2] && counts[2] == 200, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "%s: the data saw %" PetscInt_FMT " of %" PetscInt_FMT " points", label, counts[0], 2 * counts[2]);
  PetscCheck(!counts[1], PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: %" PetscInt_FMT " normals not unit or not outward", label, counts[1]);
  PetscCheck(rmax[0] < 1e-12 && rmax[1] < 1e-12, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: residuals %g, %g", label, (double)rmax[0], (double)rmax[1]);
  PetscCall(PetscFree3(u, r, dr));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const PetscReal c[2] = {0.3, -0.2}, lshape[12] = {-1, -1, 1, -1, 1, 0, 0, 0, 0, 1, -1, 1}, lo[2] = {-1, -1}, hi[2] = {1, 1}, zero[2] = {0, 0};
  PINNGeometry    disk, poly, square, hole, holed;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PINNGeometryCreateBall(PETSC_COMM_WORLD, 2, c, 0.7, &disk));
  PetscCall(PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 6, lshape, &poly));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &square));
  PetscCall(PINNGeometryCreateBall(PETSC_COMM_WORLD, 2, zero, 0.4, &hole));
  PetscCall(PINNGeometryCreateDifference(square, hole, &holed));
  PetscCall(Check("disk", disk));
  PetscCall(Check("L-shaped polygon", poly));
  PetscCall(Check("square minus a disk", holed));
  PetscCall(PINNGeometryDestroy(&holed));
  PetscCall(PINNGeometryDestroy(&hole));
  PetscCall(PINNGeometryDestroy(&square));
  PetscCall(PINNGeometryDestroy(&poly));
  PetscCall(PINNGeometryDestroy(&disk));
  PetscCall(PetscFinalize());
  return 0;
}

/* The finite-difference reference Poisson solver (solvers/reference_poisson.c):
   (a) second order for manufactured solutions: sin(pi x) sin(pi y) on the unit square and on the
       L-shape (where it vanishes on the whole boundary, so the domain test is exercised), and
       u = exp(x) cos(y) + x y with k = 2 and nonzero g on a non-square box with hx != hy;
   (b) the L-shape -lap u = 1, u = 0 (DeepXDE's polygon): relative L2 differences between
       successive grids at a fixed point set, the observed order and an error estimate. With
       -lshape_grids 129,257,513,1025,2049 the differences are 8.66e-4, 3.26e-4, 1.23e-4, 4.80e-5
       (order 1.4, the corner singularity r^(2/3)), so 513 nodes per side is within about 2e-4 of
       the exact solution, 1025 within 8e-5 (the recommended reference for a 1e-2 PINN target);
   (c) interpolation: exact at grid nodes, points in other ranks' patches, and the same values as a
       serial solve (rank-count independence);
   (d) bad input: too small a grid, an empty box, k < 0, a non-finite f or g, a solve that does not
       converge (-ref_ksp_max_it 1), a point outside the box.
   Options: -lshape_grids <129,257,513> nodes per side of [-1,1]^2 for (b)
            -lshape_time              also print the wall time of each L-shape solve */
#include <nnpde.h>
#include "expect_error.h"
#include <math.h>
#include <string.h>

#define NMAXGRIDS 8

/* ---- problems ------------------------------------------------------------------------------ */

static PetscReal SinSin(PetscReal x, PetscReal y)
{
  return PetscSinReal(PETSC_PI * x) * PetscSinReal(PETSC_PI * y);
}

static PetscErrorCode SinSinF(void *ctx, PetscInt n, const PetscReal x[], PetscReal v[])
{
  PetscFunctionBegin;
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) v[p] = 2 * PETSC_PI * PETSC_PI * SinSin(x[2 * p], x[2 * p + 1]);
  PetscFunctionReturn(0);
}

static PetscReal ExpCos(PetscReal x, PetscReal y)
{
  return PetscExpReal(x) * PetscCosReal(y) + x * y;
}

/* g = u; also f = k u, since lap u = 0 */
static PetscErrorCode ExpCosU(void *ctx, PetscInt n, const PetscReal x[], PetscReal v[])
{
  const PetscReal scale = ctx ? *(const PetscReal *)ctx : 1;

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) v[p] = scale * ExpCos(x[2 * p], x[2 * p + 1]);
  PetscFunctionReturn(0);
}

static PetscBool InLShape(PetscReal x, PetscReal y)
{
  return (PetscBool)(x >= -1 && x <= 1 && y >= -1 && y <= 1 && !(x > 0 && y > 0));
}

/* the closed L-shape, DeepXDE's polygon [[0,0],[1,0],[1,-1],[-1,-1],[-1,1],[0,1]] */
static PetscErrorCode LShapeInside(void *ctx, PetscInt n, const PetscReal x[], PetscBool inside[])
{
  PetscFunctionBegin;
  (void)ctx;
  for (PetscInt p = 0; p < n; p++) inside[p] = InLShape(x[2 * p], x[2 * p + 1]);
  PetscFunctionReturn(0);
}

static PetscErrorCode One(void *ctx, PetscInt n, const PetscReal x[], PetscReal v[])
{
  PetscFunctionBegin;
  (void)ctx, (void)x;
  for (PetscInt p = 0; p < n; p++) v[p] = 1;
  PetscFunctionReturn(0);
}

/* zero except NaN at the point *ctx */
static PetscErrorCode NaNAtPoint(void *ctx, PetscInt n, const PetscReal x[], PetscReal v[])
{
  const PetscReal *at = (const PetscReal *)ctx;

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) v[p] = (x[2 * p] == at[0] && x[2 * p + 1] == at[1]) ? (PetscReal)NAN : 0;
  PetscFunctionReturn(0);
}

/* ---- helpers ------------------------------------------------------------------------------- */

static PetscErrorCode CheckTrue(PetscBool ok, const char what[], PetscInt *nfail)
{
  PetscFunctionBegin;
  if (!ok) {
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAILED: %s\n", what));
    (*nfail)++;
  }
  PetscFunctionReturn(0);
}

/* Max over the domain's nodes of |u - exact| */
static PetscErrorCode NodalError(DM da, Vec u, PetscReal (*exact)(PetscReal, PetscReal), PetscBool lshape, PetscReal *err)
{
  DM                  cda;
  Vec                 c;
  const DMDACoor2d  **xy;
  const PetscScalar **a;
  PetscInt            xs, ys, xm, ym;

  PetscFunctionBegin;
  *err = 0;
  PetscCall(DMGetCoordinateDM(da, &cda));
  PetscCall(DMGetCoordinates(da, &c));
  PetscCall(DMDAVecGetArrayRead(cda, c, &xy));
  PetscCall(DMDAVecGetArrayRead(da, u, &a));
  PetscCall(DMDAGetCorners(da, &xs, &ys, NULL, &xm, &ym, NULL));
  for (PetscInt j = ys; j < ys + ym; j++)
    for (PetscInt i = xs; i < xs + xm; i++)
      if (!lshape || InLShape(xy[j][i].x, xy[j][i].y)) *err = PetscMax(*err, PetscAbsReal(PetscRealPart(a[j][i]) - exact(xy[j][i].x, xy[j][i].y)));
  PetscCall(DMDAVecRestoreArrayRead(da, u, &a));
  PetscCall(DMDAVecRestoreArrayRead(cda, c, &xy));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, err, 1, MPIU_REAL, MPIU_MAX, PetscObjectComm((PetscObject)da)));
  PetscFunctionReturn(0);
}

typedef struct {
  const char      *title;
  PetscReal        lo[2], hi[2], k;
  PetscBool        lshape;
  ReferencePointFn f, g;
  void            *fctx, *gctx;
  PetscReal (*exact)(PetscReal, PetscReal);
} Manufactured;

/* (a) max nodal error on successively halved grids; every observed order must be in [1.9, 2.1] */
static PetscErrorCode OrderStudy(const Manufactured *m, PetscInt ngrid, const PetscInt nx[], const PetscInt ny[], PetscInt *nfail)
{
  PetscReal err[NMAXGRIDS];

  PetscFunctionBegin;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n", m->title));
  for (PetscInt c = 0; c < ngrid; c++) {
    DM   da;
    Vec  u;
    char what[256];

    PetscCall(ReferencePoisson2d(PETSC_COMM_WORLD, m->lo, m->hi, nx[c], ny[c], m->k, m->lshape ? LShapeInside : NULL, NULL, m->f, m->fctx, m->g,
                                 m->gctx, &da, &u));
    PetscCall(NodalError(da, u, m->exact, m->lshape, &err[c]));
    if (!c)
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %4" PetscInt_FMT " x %4" PetscInt_FMT "  max error %.3e\n", nx[c], ny[c], (double)err[c]));
    else {
      PetscReal order = PetscLog2Real(err[c - 1] / err[c]);

      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %4" PetscInt_FMT " x %4" PetscInt_FMT "  max error %.3e  order %.2f\n", nx[c], ny[c], (double)err[c],
                            (double)order));
      PetscCall(PetscSNPrintf(what, sizeof(what), "%s: order %g between grids %" PetscInt_FMT " and %" PetscInt_FMT " outside [1.9, 2.1]", m->title,
                              (double)order, c - 1, c));
      PetscCall(CheckTrue((PetscBool)(order >= 1.9 && order <= 2.1), what, nfail));
    }
    PetscCall(VecDestroy(&u));
    PetscCall(DMDestroy(&da));
  }
  PetscFunctionReturn(0);
}

/* (b) -lap u = 1 on the L-shape, u = 0: successive grids compared at the centres of a 40 x 40
   lattice of cells of [-1,1]^2 that lie in the L (1200 points, dealt round-robin to the ranks) */
static PetscErrorCode LShapeStudy(PetscInt ngrid, const PetscInt grids[], PetscBool timing, PetscInt *nfail)
{
  const PetscReal lo[2] = {-1, -1}, hi[2] = {1, 1};
  PetscMPIInt     rank, size;
  PetscInt        n = 0, N = 0;
  PetscReal      *x, *prev, *cur, rel[NMAXGRIDS], order = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (PetscInt c = 0; c < ngrid; c++)
    PetscCheck(grids[c] >= 3 && (grids[c] - 1) % 2 == 0 && (!c || grids[c] - 1 == 2 * (grids[c - 1] - 1)), PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG,
               "-lshape_grids: %" PetscInt_FMT " nodes per side is not an even number of cells, half the spacing of the previous grid", grids[c]);
  PetscCall(PetscMalloc3(2 * 1600, &x, 1600, &prev, 1600, &cur));
  for (PetscInt j = 0; j < 40; j++) {
    for (PetscInt i = 0; i < 40; i++) {
      PetscReal px = -1 + (i + 0.5) / 20, py = -1 + (j + 0.5) / 20;

      if (!InLShape(px, py)) continue;
      if (N++ % size == rank) x[2 * n] = px, x[2 * n + 1] = py, n++;
    }
  }
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "(b) L-shape -lap u = 1, u = 0: relative L2 difference to the previous grid at %" PetscInt_FMT " points\n", N));
  for (PetscInt c = 0; c < ngrid; c++) {
    DM             da;
    Vec            u;
    PetscLogDouble t0, t1;
    PetscReal      s[2] = {0, 0};

    PetscCall(PetscTime(&t0));
    PetscCall(ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, grids[c], grids[c], 0, LShapeInside, NULL, One, NULL, NULL, NULL, &da, &u));
    PetscCall(ReferenceInterpolate2d(da, u, n, x, cur));
    PetscCall(PetscTime(&t1));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %5" PetscInt_FMT " nodes per side, h = 1/%" PetscInt_FMT, grids[c], (grids[c] - 1) / 2));
    if (timing) PetscCall(PetscPrintf(PETSC_COMM_WORLD, " (%.2f s)", (double)(t1 - t0)));
    if (c) {
      for (PetscInt p = 0; p < n; p++) s[0] += PetscSqr(cur[p] - prev[p]), s[1] += PetscSqr(cur[p]);
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, s, 2, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
      rel[c] = PetscSqrtReal(s[0] / s[1]);
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  difference %.3e", (double)rel[c]));
      if (c > 1) {
        order = PetscLog2Real(rel[c - 1] / rel[c]);
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  order %.2f  error estimate %.1e", (double)order, (double)(rel[c] / (PetscPowReal(2, order) - 1))));
        PetscCall(CheckTrue((PetscBool)(order >= 1.0 && order <= 2.2), "L-shape: observed order outside [1.0, 2.2]", nfail));
      }
      PetscCall(CheckTrue((PetscBool)(rel[c] < (c > 1 ? rel[c - 1] : 1e-2)), "L-shape: the difference between grids does not decrease", nfail));
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "\n"));
    for (PetscInt p = 0; p < n; p++) prev[p] = cur[p];
    PetscCall(VecDestroy(&u));
    PetscCall(DMDestroy(&da));
  }
  PetscCall(PetscFree3(x, prev, cur));
  PetscFunctionReturn(0);
}

/* (c) interpolation on a 33 x 33 grid of the unit square */
static PetscErrorCode InterpolationChecks(PetscInt *nfail)
{
  const PetscReal     lo[2] = {0, 0}, hi[2] = {1, 1};
  const PetscInt      m = 33, N = m * m, R = 500;
  PetscMPIInt         rank, size;
  DM                  da, das;
  Vec                 u, us;
  PetscInt            n, xs, ys, xm, ym, owned = 0, foreign = 0, exact = 0, differ = 0, rn;
  PetscReal          *x, *v, *lo_v, *hi_v, *y, *vw, *vs, dmax = 0, umax = 0, emax = 0;
  const PetscScalar **a;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, m, m, 0, NULL, NULL, SinSinF, NULL, NULL, NULL, &da, &u));

  /* rank r asks for nodes N-1-r, ..., 0: a different count on each rank, most in others' patches */
  n = N - rank;
  PetscCall(PetscMalloc4(2 * n, &x, n, &v, N, &lo_v, N, &hi_v));
  for (PetscInt p = 0; p < n; p++) {
    PetscInt q = N - 1 - rank - p, i = q % m, j = q / m;

    x[2 * p] = (PetscReal)i / (m - 1), x[2 * p + 1] = (PetscReal)j / (m - 1);
  }
  PetscCall(ReferenceInterpolate2d(da, u, n, x, v));
  PetscCall(DMDAGetCorners(da, &xs, &ys, NULL, &xm, &ym, NULL));
  PetscCall(DMDAVecGetArrayRead(da, u, &a));
  for (PetscInt q = 0; q < N; q++) lo_v[q] = PETSC_MAX_REAL, hi_v[q] = PETSC_MIN_REAL;
  for (PetscInt p = 0; p < n; p++) {
    PetscInt q = N - 1 - rank - p, i = q % m, j = q / m;

    if (i >= xs && i < xs + xm && j >= ys && j < ys + ym) {
      owned++;
      if (v[p] == PetscRealPart(a[j][i])) exact++;
    } else
      foreign++;
    if (q <= N - size) lo_v[q] = hi_v[q] = v[p];
  }
  PetscCall(DMDAVecRestoreArrayRead(da, u, &a));
  /* the nodes every rank asked for got bit-identical values on every rank */
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, lo_v, (PetscMPIInt)N, MPIU_REAL, MPIU_MIN, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, hi_v, (PetscMPIInt)N, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  for (PetscInt q = 0; q <= N - size; q++) differ += lo_v[q] != hi_v[q];
  PetscCall(CheckTrue((PetscBool)(exact == owned), "interpolation at owned grid nodes is not exact", nfail));
  PetscCall(CheckTrue((PetscBool)(differ == 0), "interpolation at grid nodes differs between ranks", nfail));
  PetscCall(CheckTrue((PetscBool)(size == 1 || foreign > 0), "no point in another rank's patch", nfail));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &owned, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &exact, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "(c) interpolation at grid nodes: %" PetscInt_FMT " of %" PetscInt_FMT " owned nodes exact, %" PetscInt_FMT
                        " nodes identical on all ranks\n",
                        exact, owned, N - size + 1 - differ));
  PetscCall(PetscFree4(x, v, lo_v, hi_v));

  /* off-node points: the parallel solve against a serial one on each rank, and against the exact u */
  PetscCall(ReferencePoisson2d(PETSC_COMM_SELF, lo, hi, m, m, 0, NULL, NULL, SinSinF, NULL, NULL, NULL, &das, &us));
  rn = R / size + (rank < R % size);
  PetscCall(PetscMalloc3(2 * rn, &y, rn, &vw, rn, &vs));
  for (PetscInt p = 0; p < rn; p++) {
    PetscInt q = rank + p * size; /* a global point index: Weyl sequence, rank-count independent */

    y[2 * p] = PetscFmodReal(0.5 + q * 0.6180339887498949, 1.0), y[2 * p + 1] = PetscFmodReal(0.5 + q * 0.7548776662466927, 1.0);
  }
  PetscCall(ReferenceInterpolate2d(da, u, rn, y, vw));
  PetscCall(ReferenceInterpolate2d(das, us, rn, y, vs));
  for (PetscInt p = 0; p < rn; p++) {
    dmax = PetscMax(dmax, PetscAbsReal(vw[p] - vs[p]));
    umax = PetscMax(umax, PetscAbsReal(vs[p]));
    emax = PetscMax(emax, PetscAbsReal(vw[p] - SinSin(y[2 * p], y[2 * p + 1])));
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &dmax, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &umax, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &emax, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(CheckTrue((PetscBool)(dmax <= 1e-9 * umax), "parallel and serial solves differ at off-node points", nfail));
  PetscCall(CheckTrue((PetscBool)(emax <= 3e-3), "interpolated solution too far from the exact one", nfail));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(c) %" PetscInt_FMT " off-node points: parallel vs serial solve %s 1e-9, error vs exact u %.1e\n", R,
                        dmax <= 1e-9 * umax ? "<=" : ">", (double)emax));
  PetscCall(PetscFree3(y, vw, vs));
  PetscCall(VecDestroy(&us));
  PetscCall(DMDestroy(&das));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

static PetscErrorCode BadInputChecks(PetscInt *nfail)
{
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1}, flat[2] = {1, 0}, edge[2] = {0.5, 0}, centre[2] = {0.5, 0.5};
  PetscMPIInt     rank;
  PetscErrorCode  ierr;
  DM              da = NULL;
  Vec             u  = NULL;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 2, 33, 0, NULL, NULL, NULL, NULL, NULL, NULL, &da, &u);
  PetscCall(Expect("nx = 2", ierr, PETSC_ERR_ARG_OUTOFRANGE, "nx 2", nfail));
  ierr = ReferencePoisson2d(PETSC_COMM_WORLD, lo, flat, 33, 33, 0, NULL, NULL, NULL, NULL, NULL, NULL, &da, &u);
  PetscCall(Expect("lo[1] = hi[1]", ierr, PETSC_ERR_ARG_WRONG, "direction 1", nfail));
  ierr = ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 33, 33, -1, NULL, NULL, NULL, NULL, NULL, NULL, &da, &u);
  PetscCall(Expect("k = -1", ierr, PETSC_ERR_ARG_OUTOFRANGE, "k = -1", nfail));
  ierr = ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 33, 33, 0, NULL, NULL, NULL, NULL, NaNAtPoint, (void *)edge, &da, &u);
  PetscCall(Expect("g = NaN at a boundary node", ierr, PETSC_ERR_USER_INPUT, rank ? "not finite" : "g(0.5, 0.) = nan", nfail));
  ierr = ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 33, 33, 0, NULL, NULL, NaNAtPoint, (void *)centre, NULL, NULL, &da, &u);
  PetscCall(Expect("f = NaN at an interior node", ierr, PETSC_ERR_USER_INPUT, "not finite", nfail));
  PetscCall(PetscPopErrorHandler());
  /* g is only evaluated at Dirichlet nodes, f only at unknowns */
  PetscCall(ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 33, 33, 0, NULL, NULL, NaNAtPoint, (void *)edge, NaNAtPoint, (void *)centre, &da, &u));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(d) %-28s ok\n", "NaN f, g where not used"));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-ref_ksp_max_it", "1"));
  ierr = ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 33, 33, 0, NULL, NULL, SinSinF, NULL, NULL, NULL, &da, &u);
  PetscCall(PetscOptionsClearValue(NULL, "-ref_ksp_max_it"));
  PetscCall(Expect("-ref_ksp_max_it 1", ierr, PETSC_ERR_NOT_CONVERGED, "DIVERGED_ITS", nfail));
  PetscCall(PetscPopErrorHandler());

  PetscCall(ReferencePoisson2d(PETSC_COMM_WORLD, lo, hi, 33, 33, 0, NULL, NULL, SinSinF, NULL, NULL, NULL, &da, &u));
  {
    const PetscReal pts[4] = {0.25, 0.5, 1.5, 0.25};
    PetscReal       val[2];

    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = ReferenceInterpolate2d(da, u, rank ? 1 : 2, pts, val); /* rank 0 has the bad point */
    PetscCall(PetscPopErrorHandler());
    PetscCall(Expect("point outside the box", ierr, PETSC_ERR_ARG_OUTOFRANGE, rank ? "another rank" : "(1.5, 0.25)", nfail));
  }
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt       grids[NMAXGRIDS] = {129, 257, 513}, ngrids = NMAXGRIDS, nfail = 0;
  PetscBool      timing = PETSC_FALSE, set;
  PetscReal      k      = 2;
  const PetscInt sq[3] = {33, 65, 129}, bx[3] = {17, 33, 65}, by[3] = {33, 65, 129};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-lshape_grids", grids, &ngrids, &set));
  if (!set) ngrids = 3;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-lshape_time", &timing, NULL));
  {
    const Manufactured unit = {"(a) sin(pi x) sin(pi y) on [0,1]^2, k = 0, g = 0", {0, 0}, {1, 1}, 0, PETSC_FALSE, SinSinF, NULL, NULL, NULL, SinSin};
    const Manufactured lshape = {
        "(a) sin(pi x) sin(pi y) on the L-shape, k = 0, g = 0", {-1, -1}, {1, 1}, 0, PETSC_TRUE, SinSinF, NULL, NULL, NULL, SinSin};
    const Manufactured expcos = {
        "(a) exp(x) cos(y) + x y on [-0.5,1] x [0,2], k = 2, g = u", {-0.5, 0}, {1, 2}, k, PETSC_FALSE, ExpCosU, ExpCosU, &k, NULL, ExpCos};

    PetscCall(OrderStudy(&unit, 3, sq, sq, &nfail));
    PetscCall(OrderStudy(&lshape, 3, sq, sq, &nfail));
    PetscCall(OrderStudy(&expcos, 3, bx, by, &nfail));
  }
  PetscCall(LShapeStudy(ngrids, grids, timing, &nfail));
  PetscCall(InterpolationChecks(&nfail));
  PetscCall(BadInputChecks(&nfail));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &nfail, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCheck(!nfail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " checks failed", nfail);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "All reference Poisson checks passed\n"));
  PetscCall(PetscFinalize());
  return 0;
}

/* Finite-difference reference solver for -lap u + k u = f on a 2-D DMDA, and bilinear interpolation
   of grid fields at arbitrary points: the ground truth against which PINNs are validated. */
#include <nnpde/reference.h>
#include <nnpde/solvers.h>
#include <petsc/private/petscimpl.h>
#include <petscksp.h>

/* Coordinate of node i of n on [lo,hi], exact at both ends and at the midpoint of symmetric boxes */
static inline PetscReal NodeCoordinate(PetscReal lo, PetscReal hi, PetscInt i, PetscInt n)
{
  return ((PetscReal)(n - 1 - i) * lo + (PetscReal)i * hi) / (PetscReal)(n - 1);
}

/* A rectangle of grid nodes: [i0, i0+mi) x [j0, j0+mj), stored with i fastest */
typedef struct {
  PetscInt i0, j0, mi, mj;
} Patch;

/* The owned nodes grown by w on every side, clipped to the grid */
static void PatchGrow(PetscInt xs, PetscInt ys, PetscInt xm, PetscInt ym, PetscInt nx, PetscInt ny, PetscInt w, Patch *p)
{
  PetscInt i1 = PetscMin(xs + xm + w, nx), j1 = PetscMin(ys + ym + w, ny);

  p->i0 = PetscMax(xs - w, 0), p->j0 = PetscMax(ys - w, 0);
  p->mi = i1 - p->i0, p->mj = j1 - p->j0;
}

static inline PetscInt PatchIndex(const Patch *p, PetscInt i, PetscInt j)
{
  return (i - p->i0) + (j - p->j0) * p->mi;
}

/* Point-major coordinates of the nodes of a patch (PetscMalloc'ed) */
static PetscErrorCode PatchCoordinates(const Patch *p, const PetscReal lo[], const PetscReal hi[], PetscInt nx, PetscInt ny, PetscReal **x)
{
  PetscFunctionBegin;
  PetscCall(PetscMalloc1(2 * p->mi * p->mj, x));
  for (PetscInt j = p->j0; j < p->j0 + p->mj; j++) {
    for (PetscInt i = p->i0; i < p->i0 + p->mi; i++) {
      PetscInt q = PatchIndex(p, i, j);

      (*x)[2 * q]     = NodeCoordinate(lo[0], hi[0], i, nx);
      (*x)[2 * q + 1] = NodeCoordinate(lo[1], hi[1], j, ny);
    }
  }
  PetscFunctionReturn(0);
}

/* v = fn(x) at the n points, or 0 when fn is NULL; *bad is the first point with a non-finite value, or -1 */
static PetscErrorCode EvaluatePointFn(ReferencePointFn fn, void *ctx, PetscInt n, const PetscReal x[], PetscReal v[], PetscInt *bad)
{
  PetscFunctionBegin;
  *bad = -1;
  if (!fn) {
    for (PetscInt p = 0; p < n; p++) v[p] = 0;
    PetscFunctionReturn(0);
  }
  PetscCall((*fn)(ctx, n, x, v));
  for (PetscInt p = 0; p < n && *bad < 0; p++)
    if (PetscIsInfOrNanReal(v[p])) *bad = p;
  PetscFunctionReturn(0);
}

/*@C
  ReferencePoisson2d - Solves -lap u + k u = f in a 2-D domain, u = g on its boundary, with the
  5-point finite-difference stencil on a DMDA; a reference solution for validating PINNs.

  Collective

  Input Parameters:
+ comm   - communicator of the DMDA
. lo, hi - corners of the box [lo[0],hi[0]] x [lo[1],hi[1]] that holds the domain
. nx, ny - numbers of grid nodes per direction (at least 3), spacing h = (hi - lo) / (n - 1)
. k      - reaction coefficient, k >= 0
. inside - closed-domain test (NULL: the whole box), e.g. a wrapper of PINNGeometryContains()
. ictx   - context of inside
. f, fctx - right-hand side and its context (f NULL: f = 0)
- g, gctx - Dirichlet data and its context (g NULL: g = 0)

  Output Parameters:
+ da - a new DMDA, nx x ny nodes, 1 dof, star stencil of width 1, uniform coordinates on [lo,hi]
- u  - the solution, a global Vec of da named "u"

  Options Database Keys (prefix "ref_"):
+ -ref_ksp_type <cg>      - Krylov method
. -ref_pc_type <gamg>     - preconditioner (hypre works as well)
. -ref_ksp_rtol <1e-12>   - relative tolerance
. -ref_ksp_max_it <10000> - iteration limit
- -ref_ksp_monitor        - residual history

  Notes:
  A node is an unknown when it is not on the box boundary and inside() holds at the node and at its
  eight grid neighbours; all other nodes are Dirichlet nodes, with an identity row (scaled to the
  stencil's diagonal) and value g. For a domain that is a union of grid cells, e.g. DeepXDE's
  L-shape polygon [[0,0],[1,0],[1,-1],[-1,-1],[-1,1],[0,1]] on [-1,1]^2 with an even number of
  cells per side, the Dirichlet nodes are exactly the nodes on or outside its boundary (when no part
  of the domain is thinner than two cells), and the scheme is second-order accurate for smooth
  solutions. A curved boundary is represented by a staircase of grid nodes, which limits the
  accuracy to O(h).

  f is evaluated at the unknowns only, g at the Dirichlet nodes only (also those outside the domain,
  where u = g as well; for a curved boundary, g is needed at nodes up to h sqrt(2) inside it). Each
  is called once per rank, with all its points; a non-finite value is an error naming the point.

  Dirichlet neighbours of an unknown are moved to the right-hand side, so the matrix is symmetric,
  and positive definite for k >= 0. The solve uses KSPCG with PCGAMG and rtol 1e-12 unless options
  say otherwise; a solve that does not converge is an error (PETSC_ERR_NOT_CONVERGED). The
  iteration count is reported with PetscInfo (-info :ksp).

  Level: intermediate

.seealso: ReferenceInterpolate2d(), PINNGeometryContains()
@*/
PetscErrorCode ReferencePoisson2d(MPI_Comm comm, const PetscReal lo[2], const PetscReal hi[2], PetscInt nx, PetscInt ny, PetscReal k,
                                  ReferenceInsideFn inside, void *ictx, ReferencePointFn f, void *fctx, ReferencePointFn g, void *gctx, DM *da,
                                  Vec *u)
{
  DM                 dm;
  Mat                A;
  Vec                b, x;
  KSP                ksp;
  PC                 pc;
  Patch              p1, p2;
  PetscInt           xs, ys, xm, ym, n1, n2, nown, nd = 0, nu = 0, nunk = 0, its, badg, badf;
  PetscMPIInt        anybad;
  PetscReal         *x2, *xd, *xu, *gd, *fu, *gv, *fv, **barr, hx, hy, wx, wy, diag, rnorm;
  PetscBool         *in2, *unk;
  KSPConvergedReason reason;

  PetscFunctionBegin;
  PetscValidRealPointer(lo, 2);
  PetscValidRealPointer(hi, 3);
  PetscValidPointer(da, 13);
  PetscValidPointer(u, 14);
  PetscCheck(nx >= 3 && ny >= 3, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "ReferencePoisson2d: the grid needs at least 3 nodes per direction, got nx %" PetscInt_FMT " ny %" PetscInt_FMT, nx, ny);
  for (PetscInt d = 0; d < 2; d++)
    PetscCheck(lo[d] < hi[d], comm, PETSC_ERR_ARG_WRONG, "ReferencePoisson2d: empty box in direction %" PetscInt_FMT ": lo %g >= hi %g", d,
               (double)lo[d], (double)hi[d]);
  PetscCheck(k >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "ReferencePoisson2d: the reaction coefficient k = %g must be >= 0 (CG needs a positive definite operator)", (double)k);
  PetscCall(NNPDESolversInitializePackage());
  PetscCall(PetscLogEventBegin(NN_ReferenceSolve, 0, 0, 0, 0));

  PetscCall(DMDACreate2d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, nx, ny, PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &dm));
  PetscCall(DMSetUp(dm));
  PetscCall(DMDASetUniformCoordinates(dm, lo[0], hi[0], lo[1], hi[1], 0, 0));
  PetscCall(DMDAGetCorners(dm, &xs, &ys, NULL, &xm, &ym, NULL));

  /* the domain test on the owned nodes grown by 2, classification and g on those grown by 1 */
  PatchGrow(xs, ys, xm, ym, nx, ny, 2, &p2);
  PatchGrow(xs, ys, xm, ym, nx, ny, 1, &p1);
  n2 = p2.mi * p2.mj, n1 = p1.mi * p1.mj, nown = xm * ym;
  PetscCall(PetscMalloc4(n2, &in2, n1, &unk, n1, &gv, nown, &fv));
  PetscCall(PatchCoordinates(&p2, lo, hi, nx, ny, &x2));
  if (inside)
    PetscCall((*inside)(ictx, n2, x2, in2));
  else
    for (PetscInt q = 0; q < n2; q++) in2[q] = PETSC_TRUE;
  PetscCall(PetscFree(x2));
  for (PetscInt j = p1.j0; j < p1.j0 + p1.mj; j++) {
    for (PetscInt i = p1.i0; i < p1.i0 + p1.mi; i++) {
      PetscBool in = (PetscBool)(i > 0 && j > 0 && i < nx - 1 && j < ny - 1);

      for (PetscInt dj = -1; in && dj <= 1; dj++)
        for (PetscInt di = -1; in && di <= 1; di++) in = in2[PatchIndex(&p2, i + di, j + dj)];
      unk[PatchIndex(&p1, i, j)] = in;
    }
  }
  /* g at the Dirichlet nodes of the grown patch, f at the owned unknowns, each in one call */
  for (PetscInt q = 0; q < n1; q++) nd += !unk[q];
  for (PetscInt j = ys; j < ys + ym; j++)
    for (PetscInt i = xs; i < xs + xm; i++) nu += unk[PatchIndex(&p1, i, j)];
  PetscCall(PetscMalloc4(2 * nd, &xd, nd, &gd, 2 * nu, &xu, nu, &fu));
  nd = nu = 0;
  for (PetscInt j = p1.j0; j < p1.j0 + p1.mj; j++) {
    for (PetscInt i = p1.i0; i < p1.i0 + p1.mi; i++) {
      const PetscInt  q    = PatchIndex(&p1, i, j);
      const PetscBool mine = (PetscBool)(i >= xs && i < xs + xm && j >= ys && j < ys + ym);

      if (!unk[q])
        xd[2 * nd] = NodeCoordinate(lo[0], hi[0], i, nx), xd[2 * nd + 1] = NodeCoordinate(lo[1], hi[1], j, ny), nd++;
      else if (mine)
        xu[2 * nu] = NodeCoordinate(lo[0], hi[0], i, nx), xu[2 * nu + 1] = NodeCoordinate(lo[1], hi[1], j, ny), nu++;
    }
  }
  PetscCall(EvaluatePointFn(g, gctx, nd, xd, gd, &badg));
  PetscCall(EvaluatePointFn(f, fctx, nu, xu, fu, &badf));
  /* a non-finite f or g is an error on every rank, so that none is left waiting in a collective call */
  anybad = badg >= 0 || badf >= 0;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &anybad, 1, MPI_INT, MPI_LOR, comm));
  if (anybad) {
    char msg[256] = "a non-finite value of f or g on another rank";

    if (badg >= 0)
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "g(%g, %g) = %g", (double)xd[2 * badg], (double)xd[2 * badg + 1], (double)gd[badg]));
    else if (badf >= 0)
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "f(%g, %g) = %g", (double)xu[2 * badf], (double)xu[2 * badf + 1], (double)fu[badf]));
    PetscCall(PetscFree4(xd, gd, xu, fu));
    PetscCall(PetscFree4(in2, unk, gv, fv));
    PetscCall(DMDestroy(&dm));
    PetscCall(PetscLogEventEnd(NN_ReferenceSolve, 0, 0, 0, 0));
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "ReferencePoisson2d: %s is not finite", msg);
  }
  nd = nu = 0;
  for (PetscInt j = p1.j0; j < p1.j0 + p1.mj; j++) {
    for (PetscInt i = p1.i0; i < p1.i0 + p1.mi; i++) {
      const PetscInt  q    = PatchIndex(&p1, i, j);
      const PetscBool mine = (PetscBool)(i >= xs && i < xs + xm && j >= ys && j < ys + ym);

      gv[q] = unk[q] ? 0 : gd[nd++];
      if (mine) fv[(i - xs) + (j - ys) * xm] = unk[q] ? fu[nu++] : 0;
    }
  }
  PetscCall(PetscFree4(xd, gd, xu, fu));

  /* assembly: Dirichlet rows diag * u = diag * g, unknown rows the 5-point stencil */
  hx = (hi[0] - lo[0]) / (nx - 1), hy = (hi[1] - lo[1]) / (ny - 1);
  wx = 1 / (hx * hx), wy = 1 / (hy * hy), diag = 2 * wx + 2 * wy;
  PetscCall(DMCreateMatrix(dm, &A));
  PetscCall(MatSetOption(A, MAT_SYMMETRIC, PETSC_TRUE));
  PetscCall(MatSetOption(A, MAT_SPD, PETSC_TRUE));
  PetscCall(DMCreateGlobalVector(dm, &b));
  PetscCall(DMDAVecGetArray(dm, b, &barr));
  for (PetscInt j = ys; j < ys + ym; j++) {
    for (PetscInt i = xs; i < xs + xm; i++) {
      const PetscInt  q = PatchIndex(&p1, i, j), ni[4] = {i - 1, i + 1, i, i}, nj[4] = {j, j, j - 1, j + 1};
      const PetscReal w[4] = {wx, wx, wy, wy};
      MatStencil      cols[5];
      PetscScalar     vals[5];
      PetscInt        nc = 1;
      PetscReal       rhs;

      cols[0].i = i, cols[0].j = j, cols[0].k = 0, cols[0].c = 0;
      if (!unk[q]) {
        vals[0]    = diag;
        barr[j][i] = diag * gv[q];
      } else {
        vals[0] = diag + k;
        rhs     = fv[(i - xs) + (j - ys) * xm];
        for (PetscInt e = 0; e < 4; e++) {
          const PetscInt qn = PatchIndex(&p1, ni[e], nj[e]);

          if (unk[qn]) {
            cols[nc].i = ni[e], cols[nc].j = nj[e], cols[nc].k = 0, cols[nc].c = 0;
            vals[nc++] = -w[e];
          } else
            rhs += w[e] * gv[qn];
        }
        barr[j][i] = rhs;
        nunk++;
      }
      PetscCall(MatSetValuesStencil(A, 1, cols, nc, cols, vals, INSERT_VALUES));
    }
  }
  PetscCall(DMDAVecRestoreArray(dm, b, &barr));
  PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  PetscCall(PetscFree4(in2, unk, gv, fv));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &nunk, 1, MPIU_INT, MPI_SUM, comm));

  PetscCall(KSPCreate(comm, &ksp));
  PetscCall(KSPSetOptionsPrefix(ksp, "ref_"));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCGAMG));
  PetscCall(KSPSetTolerances(ksp, 1e-12, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(DMCreateGlobalVector(dm, &x));
  PetscCall(PetscObjectSetName((PetscObject)x, "u"));
  PetscCall(KSPSolve(ksp, b, x));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(KSPGetIterationNumber(ksp, &its));
  PetscCall(KSPGetResidualNorm(ksp, &rnorm));
  PetscCall(PetscInfo(ksp,
                      "Reference Poisson %" PetscInt_FMT " x %" PetscInt_FMT " grid, %" PetscInt_FMT " unknowns: %s after %" PetscInt_FMT
                      " iterations, residual norm %g\n",
                      nx, ny, nunk, KSPConvergedReasons[reason], its, (double)rnorm));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(MatDestroy(&A));
  PetscCall(VecDestroy(&b));
  PetscCall(PetscLogEventEnd(NN_ReferenceSolve, 0, 0, 0, 0));
  if (reason < 0) {
    PetscCall(VecDestroy(&x));
    PetscCall(DMDestroy(&dm));
    SETERRQ(comm, PETSC_ERR_NOT_CONVERGED,
            "ReferencePoisson2d: the %" PetscInt_FMT " x %" PetscInt_FMT " solve did not converge: %s after %" PetscInt_FMT
            " iterations, residual norm %g (options prefix ref_: raise -ref_ksp_max_it or try -ref_pc_type hypre)",
            nx, ny, KSPConvergedReasons[reason], its, (double)rnorm);
  }
  *da = dm;
  *u  = x;
  PetscFunctionReturn(0);
}

/*@C
  ReferenceInterpolate2d - Bilinear interpolation of a grid field at arbitrary points.

  Collective

  Input Parameters:
+ da - a 2-D DMDA with 1 dof and uniform coordinates (as made by ReferencePoisson2d())
. u  - a global Vec of da
. n  - number of points of this rank (may differ between ranks, may be 0)
- x  - the points, x[2p], x[2p+1]; each must lie in the box of the grid

  Output Parameter:
. values - u at the points; exact (bit for bit) at grid nodes

  Notes:
  The whole field is gathered to every rank, so points may lie in any rank's patch and the result
  does not depend on the number of ranks. That costs nx ny reals per rank (32 MB for 2049^2).
  A point outside the box (beyond a relative tolerance of 1e-10) is an error naming it.

  Level: intermediate

.seealso: ReferencePoisson2d()
@*/
PetscErrorCode ReferenceInterpolate2d(DM da, Vec u, PetscInt n, const PetscReal x[], PetscReal values[])
{
  MPI_Comm           comm;
  PetscBool          isda;
  PetscInt           dim, M, N, dof, size, bad = -1;
  PetscMPIInt        anybad;
  PetscReal          lo[2], hi[2], h[2], tol[2];
  Vec                coords, nat, all;
  VecScatter         scatter;
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(da, DM_CLASSID, 1);
  PetscValidHeaderSpecific(u, VEC_CLASSID, 2);
  if (n) PetscValidRealPointer(x, 4);
  if (n) PetscValidRealPointer(values, 5);
  PetscCall(PetscObjectGetComm((PetscObject)da, &comm));
  PetscCall(PetscObjectTypeCompare((PetscObject)da, DMDA, &isda));
  PetscCheck(isda, comm, PETSC_ERR_ARG_WRONG, "ReferenceInterpolate2d: the DM must be a DMDA");
  PetscCall(DMDAGetInfo(da, &dim, &M, &N, NULL, NULL, NULL, NULL, &dof, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(dim == 2 && dof == 1, comm, PETSC_ERR_ARG_WRONG,
             "ReferenceInterpolate2d: needs a 2-D DMDA with 1 dof, got dimension %" PetscInt_FMT " with %" PetscInt_FMT " dof", dim, dof);
  PetscCheck(M >= 2 && N >= 2, comm, PETSC_ERR_ARG_WRONG,
             "ReferenceInterpolate2d: needs at least 2 nodes per direction, got %" PetscInt_FMT " x %" PetscInt_FMT, M, N);
  PetscCall(VecGetSize(u, &size));
  PetscCheck(size == M * N, comm, PETSC_ERR_ARG_SIZ,
             "ReferenceInterpolate2d: the Vec has %" PetscInt_FMT " entries, the %" PetscInt_FMT " x %" PetscInt_FMT " DMDA needs %" PetscInt_FMT,
             size, M, N, M * N);
  PetscCall(DMGetCoordinates(da, &coords));
  PetscCheck(coords, comm, PETSC_ERR_ARG_WRONGSTATE, "ReferenceInterpolate2d: the DMDA has no coordinates; call DMDASetUniformCoordinates() first");
  PetscCall(DMGetBoundingBox(da, lo, hi));
  h[0] = (hi[0] - lo[0]) / (M - 1), h[1] = (hi[1] - lo[1]) / (N - 1);
  tol[0] = 1e-10 * (hi[0] - lo[0]), tol[1] = 1e-10 * (hi[1] - lo[1]);
  PetscCheck(h[0] > 0 && h[1] > 0, comm, PETSC_ERR_ARG_WRONG, "ReferenceInterpolate2d: the DMDA's coordinates span an empty box");

  /* every rank learns whether any point is bad before the collective part, so none is left waiting */
  for (PetscInt p = 0; p < n && bad < 0; p++)
    if (!(x[2 * p] >= lo[0] - tol[0] && x[2 * p] <= hi[0] + tol[0] && x[2 * p + 1] >= lo[1] - tol[1] && x[2 * p + 1] <= hi[1] + tol[1])) bad = p;
  anybad = bad >= 0;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &anybad, 1, MPI_INT, MPI_LOR, comm));
  PetscCheck(bad < 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "ReferenceInterpolate2d: point %" PetscInt_FMT " (%g, %g) is outside the grid's box [%g, %g] x [%g, %g]", bad, (double)x[2 * bad],
             (double)x[2 * bad + 1], (double)lo[0], (double)hi[0], (double)lo[1], (double)hi[1]);
  PetscCheck(!anybad, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "ReferenceInterpolate2d: a point on another rank is outside the grid's box");

  PetscCall(NNPDESolversInitializePackage());
  PetscCall(PetscLogEventBegin(NN_ReferenceInterpolate, 0, 0, 0, 0));
  PetscCall(DMDACreateNaturalVector(da, &nat));
  PetscCall(DMDAGlobalToNaturalBegin(da, u, INSERT_VALUES, nat));
  PetscCall(DMDAGlobalToNaturalEnd(da, u, INSERT_VALUES, nat));
  PetscCall(VecScatterCreateToAll(nat, &scatter, &all));
  PetscCall(VecScatterBegin(scatter, nat, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(scatter, nat, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(all, &a));
  for (PetscInt p = 0; p < n; p++) {
    PetscInt  c[2];
    PetscReal t[2];

    for (PetscInt d = 0; d < 2; d++) {
      const PetscInt m = d ? N : M;
      PetscReal      s = (x[2 * p + d] - lo[d]) / h[d], r = PetscFloorReal(s + 0.5);

      if (PetscAbsReal(s - r) < 1e-10 * (m - 1)) s = r; /* a grid line: exact nodal values */
      c[d] = PetscMin(PetscMax((PetscInt)PetscFloorReal(s), 0), m - 2);
      t[d] = PetscMin(PetscMax(s - c[d], 0), 1);
    }
    {
      const PetscScalar *r0 = a + c[1] * M + c[0], *r1 = r0 + M;

      values[p] = (1 - t[1]) * ((1 - t[0]) * PetscRealPart(r0[0]) + t[0] * PetscRealPart(r0[1])) +
                  t[1] * ((1 - t[0]) * PetscRealPart(r1[0]) + t[0] * PetscRealPart(r1[1]));
    }
  }
  PetscCall(VecRestoreArrayRead(all, &a));
  PetscCall(VecScatterDestroy(&scatter));
  PetscCall(VecDestroy(&all));
  PetscCall(VecDestroy(&nat));
  PetscCall(PetscLogFlops(11.0 * n));
  PetscCall(PetscLogEventEnd(NN_ReferenceInterpolate, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

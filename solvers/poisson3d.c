/* The 7-point pressure Poisson operator on an n^3 cell-centred DMDA with solid obstacles (see
   include/nnpde/poisson3d.h for the discretization), and load/save of Mat and Vec. */
#include <nnpde/poisson3d.h>
#include <petsc/private/petscimpl.h>
#include <petscviewerhdf5.h>
#include <string.h>

#define POISSON3D_MAX_OBSTACLES 64

typedef struct {
  PetscBool sphere; /* sphere (c, r) or box [lo, hi] */
  PetscReal a[3], b[3], r;
} Obstacle;

struct _n_Poisson3d {
  MPI_Comm     comm;
  PetscInt     n;
  Poisson3dBC  bc[6];
  PetscInt     nobst;
  Obstacle     obst[POISSON3D_MAX_OBSTACLES];
  DM           da;
  Mat          A;
  Vec          fluid;  /* 1 on fluid cells, 0 on solid cells */
  PetscInt     nfluid; /* global number of fluid cells */
  PetscBool    singular;
  MatNullSpace nullsp;
  PetscBool    setup;
};

const char *const        Poisson3dBCs[] = {"wall", "open", "Poisson3dBC", "POISSON3D_", NULL};
static const char *const FaceNames[6]   = {"xlo", "xhi", "ylo", "yhi", "zlo", "zhi"};

static PetscErrorCode Poisson3dCheckNotSetUp(Poisson3d p, const char what[])
{
  PetscFunctionBegin;
  PetscCheck(!p->setup, p->comm, PETSC_ERR_ARG_WRONGSTATE, "%s must be called before Poisson3dSetUp()", what);
  PetscFunctionReturn(0);
}

/*@C
  Poisson3dCreate - Creates a generator of the 7-point pressure Poisson operator on an n^3 cell-centred grid of
  the unit cube, with walls on all faces and no obstacles.

  Collective

  Input Parameters:
+ comm - communicator of the DMDA and the Mat
- n    - cells per direction (at least 2); h = 1/n

  Output Parameter:
. p - the generator; add obstacles, set face conditions, then Poisson3dSetUp() and Poisson3dGetMatrix()

  Options Database Keys (Poisson3dSetFromOptions()):
+ -poisson3d_n <n>                      - cells per direction
. -poisson3d_bc <wall,open>             - condition on all six faces (wall: Neumann, open: Dirichlet)
. -poisson3d_bc_{xlo,xhi,ylo,yhi,zlo,zhi} <wall,open> - condition on one face
. -poisson3d_spheres cx,cy,cz,r,...     - solid spheres (4 numbers each)
- -poisson3d_boxes x0,y0,z0,x1,y1,z1,... - solid boxes (6 numbers each)

  Level: beginner

.seealso: Poisson3dAddSphere(), Poisson3dAddBox(), Poisson3dSetBC(), Poisson3dGetMatrix(), Poisson3dDestroy()
@*/
PetscErrorCode Poisson3dCreate(MPI_Comm comm, PetscInt n, Poisson3d *p)
{
  PetscFunctionBegin;
  PetscCheck(p, comm, PETSC_ERR_ARG_NULL, "Poisson3dCreate needs a place for the result");
  PetscCheck(n >= 2, comm, PETSC_ERR_ARG_OUTOFRANGE, "Poisson3d needs at least 2 cells per direction, got n = %" PetscInt_FMT, n);
  PetscCall(PetscNew(p));
  (*p)->comm = comm;
  (*p)->n    = n;
  for (PetscInt f = 0; f < 6; f++) (*p)->bc[f] = POISSON3D_WALL;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dSetDM - Uses the given 3-D, 1-dof DMDA (for instance one with a decomposition chosen for a network)
  instead of creating one; its grid size replaces n. The DMDA's stencil width must be at least 1.

  Collective

  Level: intermediate
@*/
PetscErrorCode Poisson3dSetDM(Poisson3d p, DM da)
{
  PetscInt dim, M, N, P, dof, sw;

  PetscFunctionBegin;
  PetscCall(Poisson3dCheckNotSetUp(p, "Poisson3dSetDM()"));
  PetscCall(DMDAGetInfo(da, &dim, &M, &N, &P, NULL, NULL, NULL, &dof, &sw, NULL, NULL, NULL, NULL));
  PetscCheck(dim == 3 && dof == 1 && sw >= 1, p->comm, PETSC_ERR_ARG_WRONG,
             "Poisson3d needs a 3-D DMDA with 1 dof and stencil width >= 1, got dim %" PetscInt_FMT ", dof %" PetscInt_FMT ", width %" PetscInt_FMT,
             dim, dof, sw);
  PetscCheck(M == N && N == P, p->comm, PETSC_ERR_ARG_WRONG,
             "Poisson3d needs a cubic grid, got %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT, M, N, P);
  PetscCall(PetscObjectReference((PetscObject)da));
  PetscCall(DMDestroy(&p->da));
  p->da = da;
  p->n  = M;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dSetBC - Sets the condition on one face of the unit cube: POISSON3D_WALL (Neumann, the default) or
  POISSON3D_OPEN (Dirichlet, p = 0 outside; the face contributes 1 to the diagonal of the cells next to it).

  Logically Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dSetBC(Poisson3d p, Poisson3dFace face, Poisson3dBC bc)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dCheckNotSetUp(p, "Poisson3dSetBC()"));
  PetscCheck(face >= 0 && face < 6, p->comm, PETSC_ERR_ARG_OUTOFRANGE, "Face %d is not one of the six faces 0..5", (int)face);
  p->bc[face] = bc;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dSetAllBC - Sets the condition on all six faces: POISSON3D_OPEN for a plain Dirichlet box,
  POISSON3D_WALL for a Neumann box (singular, null space attached).

  Logically Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dSetAllBC(Poisson3d p, Poisson3dBC bc)
{
  PetscFunctionBegin;
  for (PetscInt f = 0; f < 6; f++) PetscCall(Poisson3dSetBC(p, (Poisson3dFace)f, bc));
  PetscFunctionReturn(0);
}

/*@
  Poisson3dGetBC - Gets the condition on one face of the unit cube (after Poisson3dSetFromOptions(), the one the
  options chose).

  Not Collective

  Level: intermediate

.seealso: Poisson3dSetBC()
@*/
PetscErrorCode Poisson3dGetBC(Poisson3d p, Poisson3dFace face, Poisson3dBC *bc)
{
  PetscFunctionBegin;
  PetscCheck(face >= 0 && face < 6, p->comm, PETSC_ERR_ARG_OUTOFRANGE, "Face %d is not one of the six faces 0..5", (int)face);
  *bc = p->bc[face];
  PetscFunctionReturn(0);
}

static PetscErrorCode Poisson3dAddObstacle(Poisson3d p, const Obstacle *o)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dCheckNotSetUp(p, "Adding an obstacle"));
  PetscCheck(p->nobst < POISSON3D_MAX_OBSTACLES, p->comm, PETSC_ERR_SUP, "At most %d obstacles", POISSON3D_MAX_OBSTACLES);
  p->obst[p->nobst++] = *o;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dAddSphere - Makes the cells whose centres lie in the closed ball |x - center| <= radius solid.

  Logically Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dAddSphere(Poisson3d p, const PetscReal center[3], PetscReal radius)
{
  Obstacle o = {PETSC_TRUE, {center[0], center[1], center[2]}, {0, 0, 0}, radius};

  PetscFunctionBegin;
  PetscCheck(radius > 0, p->comm, PETSC_ERR_ARG_OUTOFRANGE, "Sphere radius must be positive, got %g", (double)radius);
  PetscCall(Poisson3dAddObstacle(p, &o));
  PetscFunctionReturn(0);
}

/*@
  Poisson3dAddBox - Makes the cells whose centres lie in the closed box [lo, hi] solid.

  Logically Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dAddBox(Poisson3d p, const PetscReal lo[3], const PetscReal hi[3])
{
  Obstacle o = {PETSC_FALSE, {lo[0], lo[1], lo[2]}, {hi[0], hi[1], hi[2]}, 0};

  PetscFunctionBegin;
  for (PetscInt d = 0; d < 3; d++)
    PetscCheck(lo[d] <= hi[d], p->comm, PETSC_ERR_ARG_OUTOFRANGE, "Box has lo[%" PetscInt_FMT "] = %g > hi = %g", d, (double)lo[d], (double)hi[d]);
  PetscCall(Poisson3dAddObstacle(p, &o));
  PetscFunctionReturn(0);
}

/*@
  Poisson3dSetFromOptions - Reads -poisson3d_n, -poisson3d_bc, -poisson3d_bc_<face>, -poisson3d_spheres and
  -poisson3d_boxes (see Poisson3dCreate()); obstacles from options are added to those already given.

  Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dSetFromOptions(Poisson3d p)
{
  PetscReal v[6 * POISSON3D_MAX_OBSTACLES];
  PetscInt  nv;
  PetscBool flg;
  PetscEnum bc;

  PetscFunctionBegin;
  PetscCall(Poisson3dCheckNotSetUp(p, "Poisson3dSetFromOptions()"));
  PetscOptionsBegin(p->comm, NULL, "3-D pressure Poisson problem", "Poisson3d");
  if (!p->da) PetscCall(PetscOptionsInt("-poisson3d_n", "Cells per direction", "Poisson3dCreate", p->n, &p->n, NULL));
  PetscCheck(p->n >= 2, p->comm, PETSC_ERR_ARG_OUTOFRANGE, "-poisson3d_n must be at least 2, got %" PetscInt_FMT, p->n);
  bc = (PetscEnum)p->bc[0];
  PetscCall(PetscOptionsEnum("-poisson3d_bc", "Condition on all faces", "Poisson3dSetAllBC", Poisson3dBCs, bc, &bc, &flg));
  if (flg)
    for (PetscInt f = 0; f < 6; f++) p->bc[f] = (Poisson3dBC)bc;
  for (PetscInt f = 0; f < 6; f++) {
    char opt[64];

    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-poisson3d_bc_%s", FaceNames[f]));
    bc = (PetscEnum)p->bc[f];
    PetscCall(PetscOptionsEnum(opt, "Condition on one face", "Poisson3dSetBC", Poisson3dBCs, bc, &bc, &flg));
    if (flg) p->bc[f] = (Poisson3dBC)bc;
  }
  nv = 4 * POISSON3D_MAX_OBSTACLES;
  PetscCall(PetscOptionsRealArray("-poisson3d_spheres", "Solid spheres cx,cy,cz,r,...", "Poisson3dAddSphere", v, &nv, &flg));
  if (flg) {
    PetscCheck(nv % 4 == 0, p->comm, PETSC_ERR_ARG_WRONG, "-poisson3d_spheres needs 4 numbers (cx,cy,cz,r) per sphere, got %" PetscInt_FMT, nv);
    for (PetscInt s = 0; s < nv / 4; s++) PetscCall(Poisson3dAddSphere(p, &v[4 * s], v[4 * s + 3]));
  }
  nv = 6 * POISSON3D_MAX_OBSTACLES;
  PetscCall(PetscOptionsRealArray("-poisson3d_boxes", "Solid boxes x0,y0,z0,x1,y1,z1,...", "Poisson3dAddBox", v, &nv, &flg));
  if (flg) {
    PetscCheck(nv % 6 == 0, p->comm, PETSC_ERR_ARG_WRONG, "-poisson3d_boxes needs 6 numbers (x0,y0,z0,x1,y1,z1) per box, got %" PetscInt_FMT, nv);
    for (PetscInt s = 0; s < nv / 6; s++) PetscCall(Poisson3dAddBox(p, &v[6 * s], &v[6 * s + 3]));
  }
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static PetscBool CellIsSolid(Poisson3d p, PetscInt i, PetscInt j, PetscInt k)
{
  const PetscReal h = 1.0 / (PetscReal)p->n, x[3] = {(i + 0.5) * h, (j + 0.5) * h, (k + 0.5) * h};

  for (PetscInt s = 0; s < p->nobst; s++) {
    const Obstacle *o = &p->obst[s];

    if (o->sphere) {
      PetscReal d2 = 0;

      for (PetscInt d = 0; d < 3; d++) d2 += (x[d] - o->a[d]) * (x[d] - o->a[d]);
      if (d2 <= o->r * o->r) return PETSC_TRUE;
    } else if (x[0] >= o->a[0] && x[0] <= o->b[0] && x[1] >= o->a[1] && x[1] <= o->b[1] && x[2] >= o->a[2] && x[2] <= o->b[2])
      return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

/* Ownership sizes that split n cells into np parts, even sizes when n is even (so 2x2x2 pooling never crosses ranks) */
static PetscErrorCode AlignedOwnership(PetscInt n, PetscInt np, PetscInt l[])
{
  PetscInt unit = (n % 2 == 0 && n / 2 >= np) ? 2 : 1, blocks = n / unit;

  PetscFunctionBegin;
  for (PetscInt r = 0; r < np; r++) l[r] = unit * (blocks / np + (r < blocks % np ? 1 : 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode Poisson3dCreateDM(Poisson3d p)
{
  DM        tmp;
  PetscInt  m[3], *l[3];
  const int n = (int)p->n;

  PetscFunctionBegin;
  /* let PETSc choose the process grid, then align the ownership ranges */
  PetscCall(DMDACreate3d(p->comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, n, PETSC_DECIDE, PETSC_DECIDE,
                         PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &tmp));
  PetscCall(DMSetUp(tmp));
  PetscCall(DMDAGetInfo(tmp, NULL, NULL, NULL, NULL, &m[0], &m[1], &m[2], NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDestroy(&tmp));
  for (PetscInt d = 0; d < 3; d++) {
    PetscCall(PetscMalloc1(m[d], &l[d]));
    PetscCall(AlignedOwnership(p->n, m[d], l[d]));
  }
  PetscCall(DMDACreate3d(p->comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, n, m[0], m[1], m[2], 1, 1, l[0],
                         l[1], l[2], &p->da));
  PetscCall(DMSetUp(p->da));
  for (PetscInt d = 0; d < 3; d++) PetscCall(PetscFree(l[d]));
  PetscFunctionReturn(0);
}

/*@
  Poisson3dSetUp - Builds the DMDA (unless one was given), the fluid mask and the matrix; attaches the null space
  (the normalized fluid indicator) when no fluid cell touches an open face.

  Collective

  Notes:
  The default DMDA has a star stencil of width 1 and, for even n, even ownership sizes on every rank. The null space
  assumes the fluid region is connected (several disconnected pockets without an open face would each add a null
  vector).

  Level: beginner
@*/
PetscErrorCode Poisson3dSetUp(Poisson3d p)
{
  DM                   da;
  Vec                  lfluid;
  PetscScalar       ***f;
  const PetscScalar ***lf;
  PetscInt             xs, ys, zs, xm, ym, zm, n = p->n, nfluid = 0, nopen = 0, cnt[2];

  PetscFunctionBegin;
  if (p->setup) PetscFunctionReturn(0);
  if (!p->da) PetscCall(Poisson3dCreateDM(p));
  da = p->da;
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));

  /* fluid mask */
  PetscCall(DMCreateGlobalVector(da, &p->fluid));
  PetscCall(PetscObjectSetName((PetscObject)p->fluid, "fluid"));
  PetscCall(DMDAVecGetArray(da, p->fluid, &f));
  for (PetscInt k = zs; k < zs + zm; k++)
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++) f[k][j][i] = CellIsSolid(p, i, j, k) ? 0.0 : 1.0;
  PetscCall(DMDAVecRestoreArray(da, p->fluid, &f));
  PetscCall(DMGetLocalVector(da, &lfluid));
  PetscCall(DMGlobalToLocal(da, p->fluid, INSERT_VALUES, lfluid));

  /* matrix: the DMDA's full 7-point structure (explicit zeros where a cell borders a solid cell: with
     DMSetMatrixPreallocateOnly() PETSc 3.18's ICC on the assembled matrix hangs), solid rows are identity rows */
  PetscCall(DMCreateMatrix(da, &p->A));
  PetscCall(DMDAVecGetArrayRead(da, lfluid, &lf));
  for (PetscInt k = zs; k < zs + zm; k++) {
    for (PetscInt j = ys; j < ys + ym; j++) {
      for (PetscInt i = xs; i < xs + xm; i++) {
        MatStencil  row = {k, j, i, 0}, col[7];
        PetscScalar v[7];
        PetscInt    nc = 1, c[3] = {i, j, k};
        PetscBool   touchesopen = PETSC_FALSE;
        PetscScalar diag        = 0;

        if (lf[k][j][i] == 0.0) {
          v[0] = 1.0, col[0] = row;
          PetscCall(MatSetValuesStencil(p->A, 1, &row, 1, col, v, INSERT_VALUES));
          continue;
        }
        nfluid++;
        for (PetscInt d = 0; d < 3; d++) {
          for (PetscInt s = -1; s <= 1; s += 2) {
            PetscInt nb[3] = {c[0], c[1], c[2]};

            nb[d] += s;
            if (nb[d] < 0 || nb[d] >= n) {
              if (p->bc[2 * d + (s > 0)] == POISSON3D_OPEN) diag += 1, touchesopen = PETSC_TRUE;
            } else if (lf[nb[2]][nb[1]][nb[0]] != 0.0) {
              diag += 1;
              col[nc].i = nb[0], col[nc].j = nb[1], col[nc].k = nb[2], col[nc].c = 0;
              v[nc++] = -1.0;
            }
          }
        }
        if (touchesopen) nopen++;
        col[0] = row, v[0] = diag;
        PetscCall(MatSetValuesStencil(p->A, 1, &row, nc, col, v, INSERT_VALUES));
      }
    }
  }
  PetscCall(DMDAVecRestoreArrayRead(da, lfluid, &lf));
  PetscCall(DMRestoreLocalVector(da, &lfluid));
  PetscCall(MatAssemblyBegin(p->A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(p->A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatSetOption(p->A, MAT_SYMMETRIC, PETSC_TRUE));
  PetscCall(MatSetOption(p->A, MAT_SYMMETRY_ETERNAL, PETSC_TRUE));

  cnt[0] = nfluid, cnt[1] = nopen;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, cnt, 2, MPIU_INT, MPI_SUM, p->comm));
  p->nfluid = cnt[0];
  PetscCheck(p->nfluid > 0, p->comm, PETSC_ERR_ARG_WRONG, "Poisson3d: the obstacles cover every cell of the %" PetscInt_FMT "^3 grid", n);
  p->singular = (PetscBool)(cnt[1] == 0);
  if (p->singular) {
    Vec z;

    PetscCall(VecDuplicate(p->fluid, &z));
    PetscCall(VecCopy(p->fluid, z));
    PetscCall(VecScale(z, 1.0 / PetscSqrtReal((PetscReal)p->nfluid)));
    PetscCall(MatNullSpaceCreate(p->comm, PETSC_FALSE, 1, &z, &p->nullsp));
    PetscCall(VecDestroy(&z));
    PetscCall(MatSetNullSpace(p->A, p->nullsp));
    PetscCall(MatSetTransposeNullSpace(p->A, p->nullsp));
  } else
    PetscCall(MatSetOption(p->A, MAT_SPD, PETSC_TRUE));
  p->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dGetDM - The DMDA of the grid (borrowed; do not destroy). Sets up the generator if needed.

  Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dGetDM(Poisson3d p, DM *da)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dSetUp(p));
  *da = p->da;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dGetMatrix - The operator (borrowed; reference it to keep it). It was created by DMCreateMatrix(), so
  MatGetDM() returns the DMDA; when singular it carries the null space.

  Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dGetMatrix(Poisson3d p, Mat *A)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dSetUp(p));
  *A = p->A;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dGetFluidMask - The global Vec that is 1 on fluid cells and 0 on solid cells (borrowed).

  Collective

  Level: intermediate
@*/
PetscErrorCode Poisson3dGetFluidMask(Poisson3d p, Vec *mask)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dSetUp(p));
  *mask = p->fluid;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dGetFluidCount - The global number of fluid cells.

  Collective

  Level: intermediate
@*/
PetscErrorCode Poisson3dGetFluidCount(Poisson3d p, PetscInt *nfluid)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dSetUp(p));
  *nfluid = p->nfluid;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dIsSingular - Whether the operator is singular (no fluid cell touches an open face); then the null space
  is attached to the matrix.

  Collective

  Level: intermediate
@*/
PetscErrorCode Poisson3dIsSingular(Poisson3d p, PetscBool *singular)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dSetUp(p));
  *singular = p->singular;
  PetscFunctionReturn(0);
}

/*@
  Poisson3dProjectRHS - Makes a right-hand side admissible: zero on solid cells and, for a singular operator,
  orthogonal to the null space.

  Collective

  Level: intermediate
@*/
PetscErrorCode Poisson3dProjectRHS(Poisson3d p, Vec b)
{
  PetscFunctionBegin;
  PetscCall(Poisson3dSetUp(p));
  PetscCall(VecPointwiseMult(b, b, p->fluid));
  if (p->nullsp) PetscCall(MatNullSpaceRemove(p->nullsp, b));
  PetscFunctionReturn(0);
}

/*@C
  Poisson3dView - Prints the grid, face conditions, obstacles and fluid-cell count.

  Collective

  Level: intermediate
@*/
PetscErrorCode Poisson3dView(Poisson3d p, PetscViewer viewer)
{
  PetscFunctionBegin;
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(p->comm, &viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "Poisson3d: %" PetscInt_FMT "^3 cells, faces", p->n));
  for (PetscInt f = 0; f < 6; f++) PetscCall(PetscViewerASCIIPrintf(viewer, " %s %s", FaceNames[f], Poisson3dBCs[p->bc[f]]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
  for (PetscInt s = 0; s < p->nobst; s++) {
    const Obstacle *o = &p->obst[s];

    if (o->sphere)
      PetscCall(PetscViewerASCIIPrintf(viewer, "  solid sphere centre (%g, %g, %g) radius %g\n", (double)o->a[0], (double)o->a[1], (double)o->a[2],
                                       (double)o->r));
    else
      PetscCall(PetscViewerASCIIPrintf(viewer, "  solid box [%g, %g] x [%g, %g] x [%g, %g]\n", (double)o->a[0], (double)o->b[0], (double)o->a[1],
                                       (double)o->b[1], (double)o->a[2], (double)o->b[2]));
  }
  if (p->setup)
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %" PetscInt_FMT " fluid cells, %s\n", p->nfluid,
                                     p->singular ? "singular (constant null space on the fluid cells attached)" : "nonsingular"));
  PetscFunctionReturn(0);
}

/*@
  Poisson3dDestroy - Destroys the generator (the matrix and DMDA live on while referenced elsewhere).

  Collective

  Level: beginner
@*/
PetscErrorCode Poisson3dDestroy(Poisson3d *p)
{
  PetscFunctionBegin;
  if (!*p) PetscFunctionReturn(0);
  PetscCall(MatDestroy(&(*p)->A));
  PetscCall(VecDestroy(&(*p)->fluid));
  PetscCall(MatNullSpaceDestroy(&(*p)->nullsp));
  PetscCall(DMDestroy(&(*p)->da));
  PetscCall(PetscFree(*p));
  PetscFunctionReturn(0);
}

/* ---- load/save ------------------------------------------------------------------------------- */

static PetscBool IsHDF5Name(const char file[])
{
  size_t len = strlen(file);

  return (PetscBool)(len > 3 && !strcmp(file + len - 3, ".h5"));
}

/* HDF5 matrices are stored as a CSR group /mat: Vecs rownnz (per row), colidx (global column), values, with the
   attributes rows and cols on values (indices as reals: exact below 2^53) */
static PetscErrorCode MatSaveHDF5(Mat A, const char file[])
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)A);
  PetscViewer  v;
  Vec          rownnz, colidx, values;
  PetscInt     rs, re, nnz = 0, M, N, off = 0;
  PetscScalar *pr, *pc, *pv;

  PetscFunctionBegin;
  PetscCall(MatGetSize(A, &M, &N));
  PetscCall(MatGetOwnershipRange(A, &rs, &re));
  for (PetscInt r = rs; r < re; r++) {
    PetscInt nc;

    PetscCall(MatGetRow(A, r, &nc, NULL, NULL));
    nnz += nc;
    PetscCall(MatRestoreRow(A, r, &nc, NULL, NULL));
  }
  PetscCall(VecCreateMPI(comm, re - rs, M, &rownnz));
  PetscCall(VecCreateMPI(comm, nnz, PETSC_DETERMINE, &colidx));
  PetscCall(VecDuplicate(colidx, &values));
  PetscCall(PetscObjectSetName((PetscObject)rownnz, "rownnz"));
  PetscCall(PetscObjectSetName((PetscObject)colidx, "colidx"));
  PetscCall(PetscObjectSetName((PetscObject)values, "values"));
  PetscCall(VecGetArray(rownnz, &pr));
  PetscCall(VecGetArray(colidx, &pc));
  PetscCall(VecGetArray(values, &pv));
  for (PetscInt r = rs; r < re; r++) {
    PetscInt           nc;
    const PetscInt    *cols;
    const PetscScalar *vals;

    PetscCall(MatGetRow(A, r, &nc, &cols, &vals));
    pr[r - rs] = (PetscScalar)nc;
    for (PetscInt c = 0; c < nc; c++) pc[off + c] = (PetscScalar)cols[c], pv[off + c] = vals[c];
    off += nc;
    PetscCall(MatRestoreRow(A, r, &nc, &cols, &vals));
  }
  PetscCall(VecRestoreArray(rownnz, &pr));
  PetscCall(VecRestoreArray(colidx, &pc));
  PetscCall(VecRestoreArray(values, &pv));
  PetscCall(PetscViewerHDF5Open(comm, file, FILE_MODE_WRITE, &v));
  PetscCall(PetscViewerHDF5PushGroup(v, "/mat"));
  PetscCall(VecView(rownnz, v));
  PetscCall(VecView(colidx, v));
  PetscCall(VecView(values, v));
  PetscCall(PetscViewerHDF5WriteAttribute(v, "values", "rows", PETSC_INT, &M));
  PetscCall(PetscViewerHDF5WriteAttribute(v, "values", "cols", PETSC_INT, &N));
  PetscCall(PetscViewerHDF5PopGroup(v));
  PetscCall(PetscViewerDestroy(&v));
  PetscCall(VecDestroy(&rownnz));
  PetscCall(VecDestroy(&colidx));
  PetscCall(VecDestroy(&values));
  PetscFunctionReturn(0);
}

static PetscErrorCode MatLoadHDF5(MPI_Comm comm, const char file[], Mat *A)
{
  PetscViewer        v;
  Vec                rownnz, colidx, values;
  PetscInt           M, N, m, nnz = 0, *ia, *ja;
  const PetscScalar *pr, *pc, *pv;
  PetscBool          has;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5Open(comm, file, FILE_MODE_READ, &v));
  PetscCall(PetscViewerHDF5PushGroup(v, "/mat"));
  PetscCall(PetscViewerHDF5HasAttribute(v, "values", "rows", &has));
  PetscCheck(has, comm, PETSC_ERR_FILE_UNEXPECTED, "%s holds no matrix written by NNMatSave() (no /mat/values with attribute rows)", file);
  PetscCall(PetscViewerHDF5ReadAttribute(v, "values", "rows", PETSC_INT, NULL, &M));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "values", "cols", PETSC_INT, NULL, &N));
  PetscCall(VecCreateMPI(comm, PETSC_DECIDE, M, &rownnz));
  PetscCall(PetscObjectSetName((PetscObject)rownnz, "rownnz"));
  PetscCall(VecLoad(rownnz, v));
  PetscCall(VecGetLocalSize(rownnz, &m));
  PetscCall(PetscMalloc1(m + 1, &ia));
  PetscCall(VecGetArrayRead(rownnz, &pr));
  ia[0] = 0;
  for (PetscInt r = 0; r < m; r++) ia[r + 1] = ia[r] + (PetscInt)PetscRealPart(pr[r]);
  PetscCall(VecRestoreArrayRead(rownnz, &pr));
  nnz = ia[m];
  PetscCall(VecCreateMPI(comm, nnz, PETSC_DETERMINE, &colidx));
  PetscCall(VecDuplicate(colidx, &values));
  PetscCall(PetscObjectSetName((PetscObject)colidx, "colidx"));
  PetscCall(PetscObjectSetName((PetscObject)values, "values"));
  PetscCall(VecLoad(colidx, v));
  PetscCall(VecLoad(values, v));
  PetscCall(PetscViewerHDF5PopGroup(v));
  PetscCall(PetscViewerDestroy(&v));
  PetscCall(PetscMalloc1(nnz, &ja));
  PetscCall(VecGetArrayRead(colidx, &pc));
  for (PetscInt c = 0; c < nnz; c++) ja[c] = (PetscInt)PetscRealPart(pc[c]);
  PetscCall(VecRestoreArrayRead(colidx, &pc));
  PetscCall(VecGetArrayRead(values, &pv));
  PetscCall(MatCreateMPIAIJWithArrays(comm, m, M == N ? m : PETSC_DECIDE, M, N, ia, ja, pv, A));
  PetscCall(VecRestoreArrayRead(values, &pv));
  PetscCall(PetscFree(ia));
  PetscCall(PetscFree(ja));
  PetscCall(VecDestroy(&rownnz));
  PetscCall(VecDestroy(&colidx));
  PetscCall(VecDestroy(&values));
  PetscFunctionReturn(0);
}

/*@C
  NNMatSave - Saves a matrix: HDF5 when the file name ends in ".h5" (a CSR group /mat, read back by NNMatLoad()),
  PETSc binary otherwise (MatView(); MatLoad() reads it as well).

  Collective

  Level: intermediate

.seealso: NNMatLoad(), NNVecSave()
@*/
PetscErrorCode NNMatSave(Mat A, const char file[])
{
  PetscViewer v;

  PetscFunctionBegin;
  if (IsHDF5Name(file))
    PetscCall(MatSaveHDF5(A, file));
  else {
    PetscCall(PetscViewerBinaryOpen(PetscObjectComm((PetscObject)A), file, FILE_MODE_WRITE, &v));
    PetscCall(MatView(A, v));
    PetscCall(PetscViewerDestroy(&v));
  }
  PetscFunctionReturn(0);
}

/*@C
  NNMatLoad - Loads a matrix saved by NNMatSave() (HDF5 when the name ends in ".h5", else PETSc binary) as an AIJ
  matrix with PETSc's default row distribution.

  Collective

  Notes:
  The loaded matrix carries no DM and no null space: attach them (MatSetDM(), MatSetNullSpace()) if a solver needs them.

  Level: intermediate

.seealso: NNMatSave(), NNVecLoad()
@*/
PetscErrorCode NNMatLoad(MPI_Comm comm, const char file[], Mat *A)
{
  PetscViewer v;

  PetscFunctionBegin;
  if (IsHDF5Name(file))
    PetscCall(MatLoadHDF5(comm, file, A));
  else {
    PetscCall(PetscViewerBinaryOpen(comm, file, FILE_MODE_READ, &v));
    PetscCall(MatCreate(comm, A));
    PetscCall(MatSetType(*A, MATAIJ));
    PetscCall(MatLoad(*A, v));
    PetscCall(PetscViewerDestroy(&v));
  }
  PetscFunctionReturn(0);
}

/*@C
  NNVecSave - Saves a vector: HDF5 when the file name ends in ".h5" (dataset named after the Vec), PETSc binary otherwise.

  Collective

  Level: intermediate

.seealso: NNVecLoad(), NNMatSave()
@*/
PetscErrorCode NNVecSave(Vec x, const char file[])
{
  PetscViewer v;

  PetscFunctionBegin;
  if (IsHDF5Name(file))
    PetscCall(PetscViewerHDF5Open(PetscObjectComm((PetscObject)x), file, FILE_MODE_WRITE, &v));
  else
    PetscCall(PetscViewerBinaryOpen(PetscObjectComm((PetscObject)x), file, FILE_MODE_WRITE, &v));
  PetscCall(VecView(x, v));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}

/*@C
  NNVecLoad - Loads a vector saved by NNVecSave() into x (which fixes the layout; for HDF5 the dataset is the one
  named like x, see PetscObjectSetName()).

  Collective

  Level: intermediate

.seealso: NNVecSave(), NNMatLoad()
@*/
PetscErrorCode NNVecLoad(Vec x, const char file[])
{
  PetscViewer v;

  PetscFunctionBegin;
  if (IsHDF5Name(file))
    PetscCall(PetscViewerHDF5Open(PetscObjectComm((PetscObject)x), file, FILE_MODE_READ, &v));
  else
    PetscCall(PetscViewerBinaryOpen(PetscObjectComm((PetscObject)x), file, FILE_MODE_READ, &v));
  PetscCall(VecLoad(x, v));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}

/* The DCDM obstacle problem, shared by examples/dcdm_poisson3d.c and bench/bench_dcdm.c so that the example and
   the benchmark solve the same system.

   Geometry: the unit cube on an n^3 cell-centred grid (Poisson3d), walls (zero flux) on five faces and an open
   top face z+ (p = 0 outside), so the matrix is symmetric positive definite; two solid obstacles, a sphere of
   radius 0.2 at the centre and a pillar [0.1,0.3] x [0.1,0.3] x [0,0.4] standing on the floor. Every -poisson3d_*
   option applies; -poisson3d_spheres or -poisson3d_boxes replace both default obstacles (give them without a
   value for none), -poisson3d_bc_zhi wall closes the top (singular; the right-hand side is projected).

   Right-hand side: the pressure-projection step of an incompressible flow solver. With a smooth velocity field
     u*(x,y,z) = ( sin 2pix cos piy sin piz,  cos pix sin 2piy sin piz,  1 + cos 2pix cos 2piy sin piz ),
   sampled at the cell faces and set to zero on wall and solid faces (no flow through them), the pressure p
   (times dt) that makes u = u* - grad p discretely divergence free solves A p = b with
     b_i = -h sum_{faces f of cell i} u*_f . n_f       (fluid cells; b = 0 in solids),
   A the h^2-scaled MAC Laplacian of Poisson3d. */
#ifndef NNPDE_EXAMPLES_DCDM_PROBLEM_H
#define NNPDE_EXAMPLES_DCDM_PROBLEM_H

#include <nnpde.h>

/* component d of u* at x */
static PetscReal DCDMProblemVelocity(PetscInt d, const PetscReal x[3])
{
  const PetscReal pi = PETSC_PI;

  switch (d) {
  case 0:
    return PetscSinReal(2 * pi * x[0]) * PetscCosReal(pi * x[1]) * PetscSinReal(pi * x[2]);
  case 1:
    return PetscCosReal(pi * x[0]) * PetscSinReal(2 * pi * x[1]) * PetscSinReal(pi * x[2]);
  default:
    return 1 + PetscCosReal(2 * pi * x[0]) * PetscCosReal(2 * pi * x[1]) * PetscSinReal(pi * x[2]);
  }
}

/* b = -h sum of the outward face fluxes of u* over the open and fluid-fluid faces of each fluid cell */
static PetscErrorCode DCDMProblemRHS(Poisson3d p, Vec b)
{
  DM                   da;
  Vec                  fluid, lfluid;
  const PetscScalar ***lf;
  PetscScalar       ***bb;
  PetscInt             n, xs, ys, zs, xm, ym, zm;
  PetscBool            open[6];
  PetscReal            h;

  PetscFunctionBegin;
  PetscCall(Poisson3dGetDM(p, &da));
  PetscCall(Poisson3dGetFluidMask(p, &fluid));
  PetscCall(DMDAGetInfo(da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  h = 1.0 / (PetscReal)n;
  for (PetscInt f = 0; f < 6; f++) {
    Poisson3dBC bc;

    PetscCall(Poisson3dGetBC(p, (Poisson3dFace)f, &bc));
    open[f] = (PetscBool)(bc == POISSON3D_OPEN);
  }
  PetscCall(DMGetLocalVector(da, &lfluid));
  PetscCall(DMGlobalToLocal(da, fluid, INSERT_VALUES, lfluid));
  PetscCall(DMDAVecGetArrayRead(da, lfluid, &lf));
  PetscCall(DMDAVecGetArray(da, b, &bb));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  for (PetscInt k = zs; k < zs + zm; k++)
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++) {
        const PetscInt c[3] = {i, j, k};
        PetscReal      flux = 0;

        bb[k][j][i] = 0;
        if (lf[k][j][i] == 0.0) continue;
        for (PetscInt d = 0; d < 3; d++)
          for (PetscInt s = -1; s <= 1; s += 2) {
            PetscInt  nb[3] = {i, j, k};
            PetscReal x[3];

            nb[d] += s;
            if (nb[d] < 0 || nb[d] >= n) {
              if (!open[2 * d + (s > 0)]) continue;
            } else if (lf[nb[2]][nb[1]][nb[0]] == 0.0)
              continue;
            for (PetscInt e = 0; e < 3; e++) x[e] = (c[e] + 0.5) * h;
            x[d] += 0.5 * s * h; /* the face centre */
            flux += s * DCDMProblemVelocity(d, x);
          }
        bb[k][j][i] = -h * flux;
      }
  PetscCall(DMDAVecRestoreArray(da, b, &bb));
  PetscCall(DMDAVecRestoreArrayRead(da, lfluid, &lf));
  PetscCall(DMRestoreLocalVector(da, &lfluid));
  PetscCall(Poisson3dProjectRHS(p, b)); /* zero in solids; compatible when singular */
  PetscFunctionReturn(0);
}

/* b_i uniform in [-1, 1] from a hash of the global cell index (the same at any number of ranks) */
static PetscErrorCode DCDMProblemRandomRHS(Poisson3d p, Vec b)
{
  DM             da;
  PetscScalar ***bb;
  PetscInt       n, xs, ys, zs, xm, ym, zm;

  PetscFunctionBegin;
  PetscCall(Poisson3dGetDM(p, &da));
  PetscCall(DMDAGetInfo(da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  PetscCall(DMDAVecGetArray(da, b, &bb));
  for (PetscInt k = zs; k < zs + zm; k++)
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++) {
        unsigned long long h = (unsigned long long)(i + n * (j + (unsigned long long)n * k)) + 0x9E3779B97F4A7C15ULL;

        h           = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL; /* splitmix64 */
        h           = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
        h           = h ^ (h >> 31);
        bb[k][j][i] = 2.0 * (PetscReal)(h >> 11) / 9007199254740992.0 - 1.0;
      }
  PetscCall(DMDAVecRestoreArray(da, b, &bb));
  PetscCall(Poisson3dProjectRHS(p, b));
  PetscFunctionReturn(0);
}

/* The problem on an n^3 grid (-poisson3d_n overrides n) and its right-hand side, a new global Vec named "rhs".
   -dcdm_problem box instead: no obstacles, all six faces open (a Dirichlet box), b random in [-1, 1]. */
static PetscErrorCode DCDMProblemCreate(MPI_Comm comm, PetscInt n, Poisson3d *p, Vec *b)
{
  const PetscReal centre[3] = {0.5, 0.5, 0.5}, lo[3] = {0.1, 0.1, 0.0}, hi[3] = {0.3, 0.3, 0.4};
  PetscBool       spheres, boxes, box                                         = PETSC_FALSE;
  char            kind[32] = "obstacles";
  DM              da;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dcdm_problem", kind, sizeof(kind), NULL));
  PetscCall(PetscStrcmp(kind, "box", &box));
  if (!box) {
    PetscBool ok;

    PetscCall(PetscStrcmp(kind, "obstacles", &ok));
    PetscCheck(ok, comm, PETSC_ERR_ARG_WRONG, "-dcdm_problem must be obstacles or box, got %s", kind);
  }
  PetscCall(Poisson3dCreate(comm, n, p));
  PetscCall(Poisson3dSetBC(*p, POISSON3D_ZHI, POISSON3D_OPEN));
  if (box)
    for (PetscInt f = 0; f < 6; f++) PetscCall(Poisson3dSetBC(*p, (Poisson3dFace)f, POISSON3D_OPEN));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-poisson3d_spheres", &spheres));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-poisson3d_boxes", &boxes));
  if (!spheres && !boxes && !box) {
    PetscCall(Poisson3dAddSphere(*p, centre, 0.2));
    PetscCall(Poisson3dAddBox(*p, lo, hi));
  }
  PetscCall(Poisson3dSetFromOptions(*p));
  PetscCall(Poisson3dSetUp(*p));
  PetscCall(Poisson3dGetDM(*p, &da));
  PetscCall(DMCreateGlobalVector(da, b));
  PetscCall(PetscObjectSetName((PetscObject)*b, "rhs"));
  if (box)
    PetscCall(DCDMProblemRandomRHS(*p, *b));
  else
    PetscCall(DCDMProblemRHS(*p, *b));
  PetscFunctionReturn(0);
}

/* KSPSetUp + KSPSetUpOnBlocks (block preconditioners factor there, else inside KSPSolve), then KSPSolve, each timed
   between barriers: t[0] = start, t[1] = end of set-up, t[2] = end of solve */
static PetscErrorCode DCDMProblemTimedSolve(KSP ksp, Vec b, Vec x, PetscLogDouble t[3])
{
  MPI_Comm comm = PetscObjectComm((PetscObject)ksp);

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Barrier(comm));
  PetscCall(PetscTime(&t[0]));
  PetscCall(KSPSetUp(ksp));
  PetscCall(KSPSetUpOnBlocks(ksp));
  PetscCallMPI(MPI_Barrier(comm));
  PetscCall(PetscTime(&t[1]));
  PetscCall(KSPSolve(ksp, b, x));
  PetscCallMPI(MPI_Barrier(comm));
  PetscCall(PetscTime(&t[2]));
  PetscFunctionReturn(0);
}

#endif

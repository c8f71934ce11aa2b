static const char help[] = "A plain PETSc program that knows nothing of nnpde (no nnpde header, not linked against libnnpde): the\n"
                           "7-point Laplacian on an n^3 grid (DMDA, Dirichlet box), b = 1, solved by whatever KSP and PC the options\n"
                           "choose. Load nnpde at run time to use DCDM:\n"
                           "  mpiexec -n 2 ./embed -dll_append /abs/path/libnnpde.so -ksp_type dcdm -pc_type none\n"
                           "  mpiexec -n 2 ./embed -dll_append /abs/path/libnnpde.so -ksp_type fcg -ksp_fcg_mmax 2\n"
                           "                       -ksp_fcg_truncation_type standard -pc_type dcdm\n"
                           "(weights: -ksp_dcdm_model / -pc_dcdm_model file.h5, else $NNPDE_DCDM_MODEL, else the shipped ones).\n"
                           "The matrix comes from DMCreateMatrix(), so it carries the grid the network needs.\n"
                           "  -n <32>  cells per direction (even, and even on every rank: the network pools 2x2x2)\n";

#include <petscdmda.h>
#include <petscksp.h>

int main(int argc, char **argv)
{
  DM                 da;
  Mat                A;
  Vec                x, b, r;
  KSP                ksp;
  PC                 pc;
  KSPType            ktype;
  PCType             ptype;
  KSPConvergedReason reason;
  PetscInt           n = 32, xs, ys, zs, xm, ym, zm, its;
  PetscReal          rn, bn;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCheck(n > 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-n must be positive, got %" PetscInt_FMT, n);

  /* the grid and the operator: 6 on the diagonal, -1 for each neighbour inside the box (u = 0 outside) */
  PetscCall(DMDACreate3d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, n, PETSC_DECIDE,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &da));
  PetscCall(DMSetFromOptions(da));
  PetscCall(DMSetUp(da));
  PetscCall(DMCreateMatrix(da, &A)); /* the Mat knows its DMDA (MatGetDM()) */
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  for (PetscInt k = zs; k < zs + zm; k++)
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++) {
        MatStencil  row = {k, j, i, 0}, col[7];
        PetscScalar v[7];
        PetscInt    nc = 0;

        col[nc] = row, v[nc++] = 6.0;
        if (i > 0) col[nc] = row, col[nc].i = i - 1, v[nc++] = -1.0;
        if (i < n - 1) col[nc] = row, col[nc].i = i + 1, v[nc++] = -1.0;
        if (j > 0) col[nc] = row, col[nc].j = j - 1, v[nc++] = -1.0;
        if (j < n - 1) col[nc] = row, col[nc].j = j + 1, v[nc++] = -1.0;
        if (k > 0) col[nc] = row, col[nc].k = k - 1, v[nc++] = -1.0;
        if (k < n - 1) col[nc] = row, col[nc].k = k + 1, v[nc++] = -1.0;
        PetscCall(MatSetValuesStencil(A, 1, &row, nc, col, v, INSERT_VALUES));
      }
  PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  PetscCall(DMCreateGlobalVector(da, &x));
  PetscCall(VecDuplicate(x, &b));
  PetscCall(VecDuplicate(x, &r));
  PetscCall(VecSet(b, 1.0));

  /* the solver: all from the options database */
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPSolve(ksp, b, x));

  PetscCall(KSPGetType(ksp, &ktype));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetType(pc, &ptype));
  PetscCall(KSPGetIterationNumber(ksp, &its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(MatMult(A, x, r));
  PetscCall(VecAYPX(r, -1.0, b));
  PetscCall(VecNorm(r, NORM_2, &rn));
  PetscCall(VecNorm(b, NORM_2, &bn));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "embed: KSP %s, PC %s, %" PetscInt_FMT "^3 grid: %" PetscInt_FMT " iterations, %s, |b - Ax|/|b| = %.1e\n",
                        ktype, ptype, n, its, KSPConvergedReasons[reason], (double)(rn / bn)));

  PetscCall(KSPDestroy(&ksp));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&r));
  PetscCall(MatDestroy(&A));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscFinalize());
  return 0;
}

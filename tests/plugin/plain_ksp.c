static const char help[] = "A plain PETSc program, not linked against nnpde: the 7-point Laplacian on an n^3 DMDA (Dirichlet\n"
                           "box) solved with a KSP chosen at run time. Run with -dll_append /abs/path/libnnpde.so -ksp_type dcdm\n"
                           "to use nnpde's KSPDCDM as a plugin.\n"
                           "  -n <16>  cells per direction\n";

#include <petscdmda.h>
#include <petscksp.h>

int main(int argc, char **argv)
{
  DM                 da;
  Mat                A;
  Vec                x, b, r;
  KSP                ksp;
  KSPType            type;
  KSPConvergedReason reason;
  PetscInt           n = 16, xs, ys, zs, xm, ym, zm, its;
  PetscReal          rn, bn;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(DMDACreate3d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, n, PETSC_DECIDE,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(DMCreateMatrix(da, &A));
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

  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPSolve(ksp, b, x));
  PetscCall(KSPGetType(ksp, &type));
  PetscCall(KSPGetIterationNumber(ksp, &its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(MatMult(A, x, r));
  PetscCall(VecAYPX(r, -1.0, b));
  PetscCall(VecNorm(r, NORM_2, &rn));
  PetscCall(VecNorm(b, NORM_2, &bn));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "plain_ksp: KSP type %s, %" PetscInt_FMT " iterations, %s, |b - Ax|/|b| %s 1e-6\n", type, its,
                        KSPConvergedReasons[reason], rn <= 1e-6 * bn ? "<=" : ">"));
  PetscCheck(reason > 0 && rn <= 1e-6 * bn, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "KSP %s did not converge: %s", type,
             KSPConvergedReasons[reason]);
  PetscCall(KSPDestroy(&ksp));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&r));
  PetscCall(MatDestroy(&A));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscFinalize());
  return 0;
}

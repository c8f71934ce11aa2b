static const char help[] = "A plain PETSc program, not linked against nnpde, that minimizes a quadratic with a Tao of any type chosen at run\n"
                           "time. Run with -dll_append /abs/path/libnnpde.so -tao_type adam to use nnpde's Adam as a plugin.\n"
                           "  -n <10>      number of unknowns\n"
                           "  -tol <1e-4>  required |x - a|_inf\n";

#include <petsctao.h>

/* f(x) = sum_i d_i (x_i - a_i)^2 / 2 with d_i = 1 + i/n, a_i = 1 + i/n */
static PetscErrorCode FormFunctionGradient(Tao tao, Vec x, PetscReal *f, Vec g, void *ptr)
{
  Vec *ad = (Vec *)ptr; /* a, d, work */

  PetscFunctionBeginUser;
  (void)tao;
  PetscCall(VecWAXPY(ad[2], -1.0, ad[0], x));
  PetscCall(VecPointwiseMult(g, ad[1], ad[2]));
  PetscCall(VecDot(g, ad[2], f));
  *f *= 0.5;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Tao       tao;
  TaoType   type;
  Vec       x, ad[3];
  PetscInt  n   = 10, rstart, rend, its;
  PetscReal tol = 1e-4, err;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-tol", &tol, NULL));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, n, &x));
  for (PetscInt k = 0; k < 3; k++) PetscCall(VecDuplicate(x, &ad[k]));
  PetscCall(VecGetOwnershipRange(x, &rstart, &rend));
  for (PetscInt i = rstart; i < rend; i++) {
    PetscCall(VecSetValue(ad[0], i, 1.0 + (PetscReal)i / n, INSERT_VALUES));
    PetscCall(VecSetValue(ad[1], i, 1.0 + (PetscReal)i / n, INSERT_VALUES));
  }
  for (PetscInt k = 0; k < 2; k++) {
    PetscCall(VecAssemblyBegin(ad[k]));
    PetscCall(VecAssemblyEnd(ad[k]));
  }
  PetscCall(VecZeroEntries(x));

  PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
  PetscCall(TaoSetSolution(tao, x));
  PetscCall(TaoSetObjectiveAndGradient(tao, NULL, FormFunctionGradient, ad));
  PetscCall(TaoSetFromOptions(tao));
  PetscCall(TaoSolve(tao));
  PetscCall(TaoGetType(tao, &type));
  PetscCall(TaoGetIterationNumber(tao, &its));

  PetscCall(VecAXPY(x, -1.0, ad[0]));
  PetscCall(VecNorm(x, NORM_INFINITY, &err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "plain_tao: Tao type %s, %" PetscInt_FMT " iterations, |x - a|_inf = %.4e %s %g: %s\n", type, its,
                        (double)err, err < tol ? "<" : ">=", (double)tol, err < tol ? "converged" : "NOT converged"));
  PetscCheck(err < tol, PETSC_COMM_WORLD, PETSC_ERR_NOT_CONVERGED, "Tao %s did not converge: |x - a|_inf = %g", type, (double)err);

  PetscCall(TaoDestroy(&tao));
  for (PetscInt k = 0; k < 3; k++) PetscCall(VecDestroy(&ad[k]));
  PetscCall(VecDestroy(&x));
  PetscCall(PetscFinalize());
  return 0;
}

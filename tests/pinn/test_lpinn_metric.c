static const char help[] = "The LPINN grid error metrics (issue 11) on matrices with known norms: PINNLagrangianSpectralNorm() of a\n"
                           "rank-one and of a diagonal matrix with junk in the cut columns, and PINNLagrangianGridError().\n"
                           "  -bad_sizes  compare grids of different widths instead (must fail with PETSC_ERR_ARG_INCOMP)\n";

#include <nnpde.h>

/* a[j*nx + k] = f(j, k) on this rank's rows */
static PetscErrorCode Fill(Vec v, PetscReal (*f)(PetscInt, PetscInt))
{
  PetscInt     nx, lo, hi;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(VecGetBlockSize(v, &nx));
  PetscCall(VecGetOwnershipRange(v, &lo, &hi));
  PetscCall(VecGetArrayWrite(v, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = f(i / nx, i % nx);
  PetscCall(VecRestoreArrayWrite(v, &a));
  PetscFunctionReturn(0);
}

#define NX 12
#define NT 7
#define CUT 2
static PetscReal Junk(PetscInt j, PetscInt k)
{
  return 1e3 * (1 + j + k);
}
/* rank one: a_j b_k with a_j = j + 1, b_k = cos(k) + 2 */
static PetscReal RankOne(PetscInt j, PetscInt k)
{
  return (k < CUT || k >= NX - CUT) ? Junk(j, k) : (j + 1) * (PetscCosReal(k) + 2);
}
/* entries s_j = 3 - 0.25 j at (j, CUT + j): singular values |s_j|, norm 3 */
static PetscReal Diagonal(PetscInt j, PetscInt k)
{
  return (k < CUT || k >= NX - CUT) ? Junk(j, k) : (k == CUT + j ? 3 - 0.25 * j : 0);
}
/* the reference for the grid error: 1 + rank one (shift 1), and u = reference + the diagonal */
static PetscReal Ref(PetscInt j, PetscInt k)
{
  return 1 + (j + 1) * (PetscCosReal(k) + 2);
}
static PetscReal U(PetscInt j, PetscInt k)
{
  return Ref(j, k) + (k >= CUT && k < NX - CUT && k == CUT + j ? 3 - 0.25 * j : 0);
}

int main(int argc, char **argv)
{
  Vec       a, u;
  PetscReal nrm, expect, worst = 0, na = 0, nb = 0, nbfull = 0, rel, legacy, ediag = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  {
    PetscBool bad = PETSC_FALSE;
    PetscCall(PetscOptionsGetBool(NULL, NULL, "-bad_sizes", &bad, NULL));
    if (bad) {
      PetscCall(ReferenceSpaceTimeVecCreate1d(PETSC_COMM_WORLD, NX, NT, &a));
      PetscCall(ReferenceSpaceTimeVecCreate1d(PETSC_COMM_WORLD, NX + 1, NT, &u));
      PetscCall(PINNLagrangianGridError(u, a, 0, &rel, &legacy));
    }
  }
  for (PetscInt j = 0; j < NT; j++) na += PetscSqr(j + 1.0);
  for (PetscInt k = 0; k < NX; k++) {
    nbfull += PetscSqr(PetscCosReal(k) + 2);
    if (k >= CUT && k < NX - CUT) nb += PetscSqr(PetscCosReal(k) + 2);
  }
  for (PetscInt j = 0; j < NT && CUT + j < NX - CUT; j++) ediag += PetscSqr(3 - 0.25 * j);
  PetscCall(ReferenceSpaceTimeVecCreate1d(PETSC_COMM_WORLD, NX, NT, &a));
  PetscCall(VecDuplicate(a, &u));

  PetscCall(Fill(a, RankOne));
  PetscCall(PINNLagrangianSpectralNorm(a, CUT, &nrm));
  expect = PetscSqrtReal(na * nb);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "rank one: %.15e, expected %.15e\n", (double)nrm, (double)expect));
  worst = PetscMax(worst, PetscAbsReal(nrm - expect) / expect);

  PetscCall(Fill(a, Diagonal));
  PetscCall(PINNLagrangianSpectralNorm(a, CUT, &nrm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "diagonal: %.15e, expected 3\n", (double)nrm));
  worst = PetscMax(worst, PetscAbsReal(nrm - 3) / 3);

  PetscCall(Fill(a, Ref));
  PetscCall(Fill(u, U));
  PetscCall(PINNLagrangianGridError(u, a, 1, &rel, &legacy));
  expect = 3 / PetscSqrtReal(na * nb);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "grid error: legacy %.15e, expected %.15e\n", (double)legacy, (double)expect));
  worst  = PetscMax(worst, PetscAbsReal(legacy - expect) / expect);
  expect = PetscSqrtReal(ediag / (na * nbfull));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "grid error: relative L2 %.15e, expected %.15e\n", (double)rel, (double)expect));
  worst = PetscMax(worst, PetscAbsReal(rel - expect) / expect);

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst relative deviation %.3e\n", (double)worst));
  PetscCall(VecDestroy(&a));
  PetscCall(VecDestroy(&u));
  PetscCall(PetscFinalize());
  return 0;
}

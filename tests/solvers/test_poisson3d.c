/* The 3-D pressure Poisson generator (solvers/poisson3d.c):
   (a) on 4^3 grids (Dirichlet box, Neumann box, obstacle with one open face, obstacle with walls): symmetry, dense
       eigenvalues (positive definite, or exactly one zero eigenvalue when singular), row sums (zero on fluid rows of
       Neumann problems; equal to the number of open faces of a cell otherwise), identity rows on solid cells, the
       null space attached exactly when singular and equal to the normalized fluid indicator;
   (b) the Mat carries its DMDA, the default DMDA has even ownership sizes, the fluid count of a sphere on 16^3;
   (c) load/save of Mat and Vec in PETSc binary and HDF5 (round trip, also read back at another rank count).
   Prints rank-independent summaries. */
#include <nnpde.h>
#include <petscblaslapack.h>

static PetscErrorCode DenseEigenvalues(Mat A, PetscInt *nneg, PetscInt *nzero, PetscReal *lmin, PetscReal *lmax)
{
  Mat         *red, D;
  PetscInt     N;
  PetscScalar *a, *work;
  PetscReal   *w;
  PetscBLASInt n, lwork, info;
  IS           all;

  PetscFunctionBeginUser;
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(ISCreateStride(PETSC_COMM_SELF, N, 0, 1, &all));
  PetscCall(MatCreateSubMatrices(A, 1, &all, &all, MAT_INITIAL_MATRIX, &red));
  PetscCall(MatConvert(red[0], MATSEQDENSE, MAT_INITIAL_MATRIX, &D));
  PetscCall(MatDestroySubMatrices(1, &red));
  PetscCall(ISDestroy(&all));
  PetscCall(PetscBLASIntCast(N, &n));
  lwork = 4 * n;
  PetscCall(PetscMalloc2(N, &w, lwork, &work));
  PetscCall(MatDenseGetArray(D, &a));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &n, a, &n, w, work, &lwork, &info));
  PetscCheck(info == 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK syev failed with info %d", (int)info);
  PetscCall(MatDenseRestoreArray(D, &a));
  *nneg = *nzero = 0;
  for (PetscInt i = 0; i < N; i++) {
    if (w[i] < -1e-10)
      (*nneg)++;
    else if (w[i] < 1e-10)
      (*nzero)++;
  }
  *lmin = w[0], *lmax = w[N - 1];
  PetscCall(PetscFree2(w, work));
  PetscCall(MatDestroy(&D));
  PetscFunctionReturn(0);
}

/* Checks of one problem; expect_singular is what the face conditions imply */
static PetscErrorCode CheckProblem(const char *name, Poisson3d p, PetscBool expect_singular, PetscBool allopen)
{
  Mat                  A;
  Vec                  ones, rows, fluid;
  MatNullSpace         nsp;
  PetscBool            sym, singular, isnull;
  PetscInt             nneg, nzero, nfluid, n, xs, ys, zs, xm, ym, zm, bad = 0;
  PetscReal            lmin = 0, lmax = 0;
  DM                   da;
  const PetscScalar ***rs, ***fl;

  PetscFunctionBeginUser;
  PetscCall(Poisson3dGetMatrix(p, &A));
  PetscCall(Poisson3dGetDM(p, &da));
  PetscCall(Poisson3dGetFluidMask(p, &fluid));
  PetscCall(Poisson3dGetFluidCount(p, &nfluid));
  PetscCall(Poisson3dIsSingular(p, &singular));
  PetscCheck(singular == expect_singular, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: singular %d, expected %d", name, (int)singular,
             (int)expect_singular);
  PetscCall(MatIsSymmetric(A, 0.0, &sym));
  PetscCheck(sym, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: not symmetric", name);
  PetscCall(DenseEigenvalues(A, &nneg, &nzero, &lmin, &lmax));
  PetscCheck(nneg == 0 && nzero == (singular ? 1 : 0), PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "%s: %" PetscInt_FMT " negative and %" PetscInt_FMT " zero eigenvalues", name, nneg, nzero);

  /* row sums: fluid rows sum to the number of open faces they touch (0 for Neumann), solid rows are identity rows */
  PetscCall(DMDAGetInfo(da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(MatCreateVecs(A, &ones, &rows));
  PetscCall(VecSet(ones, 1.0));
  PetscCall(MatMult(A, ones, rows));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  PetscCall(DMDAVecGetArrayRead(da, rows, &rs));
  PetscCall(DMDAVecGetArrayRead(da, fluid, &fl));
  for (PetscInt k = zs; k < zs + zm; k++)
    for (PetscInt j = ys; j < ys + ym; j++)
      for (PetscInt i = xs; i < xs + xm; i++) {
        PetscInt  c[3] = {i, j, k}, open = 0;
        PetscReal v = PetscRealPart(rs[k][j][i]);

        for (PetscInt d = 0; d < 3; d++) open += (c[d] == 0) + (c[d] == n - 1);
        if (fl[k][j][i] == 0.0) {
          if (v != 1.0) bad++; /* identity row */
        } else if (singular) {
          if (v != 0.0) bad++; /* Neumann: zero row sums */
        } else if (allopen) {
          if (v != (PetscReal)open) bad++; /* one per open face */
        } else if (v < 0 || v > 3 || v != PetscFloorReal(v))
          bad++;
      }
  PetscCall(DMDAVecRestoreArrayRead(da, rows, &rs));
  PetscCall(DMDAVecRestoreArrayRead(da, fluid, &fl));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &bad, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCheck(!bad, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: %" PetscInt_FMT " rows with a wrong sum", name, bad);

  /* null space */
  PetscCall(MatGetNullSpace(A, &nsp));
  PetscCheck((nsp != NULL) == singular, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: null space attached %d, singular %d", name, (int)(nsp != NULL),
             (int)singular);
  if (nsp) {
    const Vec *z;
    PetscInt   nz;
    PetscReal  err;

    PetscCall(MatNullSpaceTest(nsp, A, &isnull));
    PetscCheck(isnull, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: MatNullSpaceTest fails", name);
    PetscCall(MatNullSpaceGetVecs(nsp, NULL, &nz, &z));
    PetscCheck(nz == 1, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: %" PetscInt_FMT " null vectors", name, nz);
    PetscCall(VecWAXPY(rows, -1.0 / PetscSqrtReal((PetscReal)nfluid), fluid, z[0]));
    PetscCall(VecNorm(rows, NORM_INFINITY, &err));
    PetscCheck(err < 1e-14, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: null vector differs from the fluid indicator by %g", name, (double)err);
  }
  PetscCall(VecDestroy(&ones));
  PetscCall(VecDestroy(&rows));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-22s %4" PetscInt_FMT " fluid cells, symmetric, eigenvalues in [%.4f, %.4f], %s, row sums ok\n", name,
                        nfluid, (double)(PetscAbsReal(lmin) < 1e-10 ? 0 : lmin), (double)lmax,
                        singular ? "1 zero eigenvalue, null space ok" : "positive definite"));
  PetscFunctionReturn(0);
}

static PetscErrorCode SmallProblems(void)
{
  Poisson3d       p;
  const PetscReal c[3] = {0.5, 0.5, 0.5}, lo[3] = {0.0, 0.0, 0.5}, hi[3] = {0.3, 0.3, 1.0};

  PetscFunctionBeginUser;
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 4, &p));
  PetscCall(Poisson3dSetAllBC(p, POISSON3D_OPEN));
  PetscCall(CheckProblem("Dirichlet box", p, PETSC_FALSE, PETSC_TRUE));
  PetscCall(Poisson3dDestroy(&p));

  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 4, &p));
  PetscCall(CheckProblem("Neumann box", p, PETSC_TRUE, PETSC_FALSE));
  PetscCall(Poisson3dDestroy(&p));

  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 4, &p));
  PetscCall(Poisson3dAddSphere(p, c, 0.3));
  PetscCall(Poisson3dAddBox(p, lo, hi));
  PetscCall(Poisson3dSetBC(p, POISSON3D_ZHI, POISSON3D_OPEN));
  PetscCall(CheckProblem("obstacles, open top", p, PETSC_FALSE, PETSC_FALSE));
  PetscCall(Poisson3dDestroy(&p));

  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 4, &p));
  PetscCall(Poisson3dAddSphere(p, c, 0.3));
  PetscCall(Poisson3dAddBox(p, lo, hi));
  PetscCall(CheckProblem("obstacles, walls", p, PETSC_TRUE, PETSC_FALSE));
  PetscCall(Poisson3dDestroy(&p));
  PetscFunctionReturn(0);
}

static PetscErrorCode GridAndMask(void)
{
  Poisson3d       p;
  const PetscReal c[3] = {0.5, 0.5, 0.5};
  Mat             A;
  DM              da, mda;
  PetscInt        nfluid, expect = 0, m[3];
  const PetscInt *l[3];
  PetscBool       isda;

  PetscFunctionBeginUser;
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 16, &p));
  PetscCall(Poisson3dAddSphere(p, c, 0.25));
  PetscCall(Poisson3dGetMatrix(p, &A));
  PetscCall(Poisson3dGetDM(p, &da));
  PetscCall(MatGetDM(A, &mda));
  PetscCall(PetscObjectTypeCompare((PetscObject)mda, DMDA, &isda));
  PetscCheck(mda == da && isda, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "The matrix does not carry the generator's DMDA");
  PetscCall(DMDAGetInfo(da, NULL, NULL, NULL, NULL, &m[0], &m[1], &m[2], NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDAGetOwnershipRanges(da, &l[0], &l[1], &l[2]));
  for (PetscInt d = 0; d < 3; d++)
    for (PetscInt r = 0; r < m[d]; r++) PetscCheck(l[d][r] % 2 == 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Odd ownership size %" PetscInt_FMT, l[d][r]);
  for (PetscInt k = 0; k < 16; k++)
    for (PetscInt j = 0; j < 16; j++)
      for (PetscInt i = 0; i < 16; i++) {
        PetscReal x = (i + 0.5) / 16 - 0.5, y = (j + 0.5) / 16 - 0.5, z = (k + 0.5) / 16 - 0.5;

        if (x * x + y * y + z * z > 0.0625) expect++;
      }
  PetscCall(Poisson3dGetFluidCount(p, &nfluid));
  PetscCheck(nfluid == expect, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Sphere: %" PetscInt_FMT " fluid cells, expected %" PetscInt_FMT, nfluid, expect);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "16^3 sphere r=0.25: %" PetscInt_FMT " fluid cells (as counted by hand), Mat carries the DMDA, even ownership sizes\n",
                        nfluid));
  PetscCall(Poisson3dDestroy(&p));
  PetscFunctionReturn(0);
}

static PetscErrorCode RoundTrip(const char *prefix, PetscBool write)
{
  Poisson3d       p;
  const PetscReal c[3] = {0.3, 0.6, 0.5};
  Mat             A, B;
  Vec             x, y;
  PetscBool       eq;
  PetscReal       err;
  char            file[PETSC_MAX_PATH_LEN];
  const char     *ext[2] = {"bin", "h5"};

  PetscFunctionBeginUser;
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 8, &p));
  PetscCall(Poisson3dAddSphere(p, c, 0.2));
  PetscCall(Poisson3dSetBC(p, POISSON3D_XHI, POISSON3D_OPEN));
  PetscCall(Poisson3dGetMatrix(p, &A));
  PetscCall(MatCreateVecs(A, &x, &y));
  PetscCall(PetscObjectSetName((PetscObject)x, "b"));
  PetscCall(PetscObjectSetName((PetscObject)y, "b"));
  PetscCall(VecSetRandom(x, NULL)); /* only compared with itself when written and read in one run */
  for (PetscInt e = 0; e < 2; e++) {
    PetscCall(PetscSNPrintf(file, sizeof(file), "%s_mat.%s", prefix, ext[e]));
    if (write) PetscCall(NNMatSave(A, file));
    PetscCall(NNMatLoad(PETSC_COMM_WORLD, file, &B));
    PetscCall(MatEqual(A, B, &eq));
    PetscCheck(eq, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Matrix read back from %s differs", file);
    PetscCall(MatDestroy(&B));
    if (write) {
      PetscCall(PetscSNPrintf(file, sizeof(file), "%s_vec.%s", prefix, ext[e]));
      PetscCall(NNVecSave(x, file));
      PetscCall(NNVecLoad(y, file));
      PetscCall(VecAXPY(y, -1.0, x));
      PetscCall(VecNorm(y, NORM_INFINITY, &err));
      PetscCheck(err == 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Vector read back from %s differs by %g", file, (double)err);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s round trip (%s): identical\n", ext[e], write ? "written here" : "written at another rank count"));
  }
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&y));
  PetscCall(Poisson3dDestroy(&p));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      prefix[PETSC_MAX_PATH_LEN] = "poisson3d_io";
  PetscBool readonly                   = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-io_prefix", prefix, sizeof(prefix), NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-io_read_only", &readonly, NULL));
  if (!readonly) {
    PetscCall(SmallProblems());
    PetscCall(GridAndMask());
  }
  PetscCall(RoundTrip(prefix, (PetscBool)!readonly));
  PetscCall(PetscFinalize());
  return 0;
}

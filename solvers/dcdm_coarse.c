/* The coarse level of KSPDCDM's direction space: aggregates of f x f x f cells of the DMDA (the last ones in each
   direction smaller when f does not divide the grid), a piecewise-constant prolongation P0 that is zero on the
   decoupled rows (solid cells, identity rows), optionally smoothed by one damped Jacobi step,
   P = (I - omega D^-1 A) P0, and the Galerkin coarse operator P'AP. */
#include <nnpde/private/dcdmimpl.h>
#include <petscdmda.h>

/* P0: row = fine cell in the DMDA's global (per-rank box) ordering, column = its aggregate in the natural ordering
   of the coarse grid; mask (may be NULL) zeroes the decoupled rows */
static PetscErrorCode DCDMCoarseAggregates(DM da, Mat A, Vec mask, PetscInt f, Mat *P0)
{
  PetscInt           M, N, Pz, xs, ys, zs, xm, ym, zm, mc[3], rstart, nloc;
  const PetscScalar *m = NULL;

  PetscFunctionBegin;
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, &Pz, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  mc[0] = (M + f - 1) / f;
  mc[1] = (N + f - 1) / f;
  mc[2] = (Pz + f - 1) / f;
  PetscCall(MatGetOwnershipRange(A, &rstart, NULL));
  PetscCall(MatGetLocalSize(A, &nloc, NULL));
  PetscCheck(nloc == xm * ym * zm, PetscObjectComm((PetscObject)A), PETSC_ERR_ARG_INCOMP,
             "KSPDCDM coarse level: the operator's %" PetscInt_FMT " local rows are not the DMDA's %" PetscInt_FMT " local cells", nloc,
             xm * ym * zm);
  PetscCall(MatCreateAIJ(PetscObjectComm((PetscObject)A), nloc, PETSC_DECIDE, PETSC_DETERMINE, mc[0] * mc[1] * mc[2], 1, NULL, 1, NULL, P0));
  PetscCall(MatSetOption(*P0, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE)); /* columns owned anywhere */
  if (mask) PetscCall(VecGetArrayRead(mask, &m));
  for (PetscInt k = 0, row = rstart; k < zm; k++)
    for (PetscInt j = 0; j < ym; j++)
      for (PetscInt i = 0; i < xm; i++, row++) {
        PetscInt    col = (xs + i) / f + mc[0] * ((ys + j) / f + mc[1] * ((zs + k) / f));
        PetscScalar one = 1.0;

        if (m && m[row - rstart] == 0.0) continue;
        PetscCall(MatSetValues(*P0, 1, &row, 1, &col, &one, INSERT_VALUES));
      }
  if (mask) PetscCall(VecRestoreArrayRead(mask, &m));
  PetscCall(MatAssemblyBegin(*P0, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*P0, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

/*@C
  DCDMCoarseCreate_Private - Builds KSPDCDM's coarse level: the prolongation from aggregates of f x f x f
  cells and the Galerkin coarse operator.

  Collective

  Input Parameters:
+ da    - the 3-D DMDA; A must be assembled in its global ordering
. A     - the operator
. mask  - 0 on the decoupled rows (P vanishes there), 1 elsewhere, or NULL
. f     - the aggregate width in cells (the last aggregates in a direction are smaller when f does not divide it)
- omega - the damping of the one Jacobi smoothing step P = (I - omega D^-1 A) P0; 0 for none

  Output Parameters:
+ P  - the prolongation, fine rows by coarse columns (the coarse grid in natural ordering)
- Ac - P'AP, with a unit diagonal on the rows of empty aggregates

  Level: developer

.seealso: `KSPDCDM`, `DCDMDecoupledRows_Private()`
@*/
PetscErrorCode DCDMCoarseCreate_Private(DM da, Mat A, Vec mask, PetscInt f, PetscReal omega, Mat *P, Mat *Ac)
{
  Mat      P0;
  Vec      d, z;
  PetscInt nc, rstart, rend;

  PetscFunctionBegin;
  PetscCall(DCDMCoarseAggregates(da, A, mask, f, &P0));
  if (omega != 0.0) {
    /* P = P0 - omega D^-1 A P0: smoother coarse functions, the same aggregates; decoupled rows stay zero (their rows
       of A are diagonal and P0 vanishes there) */
    PetscCall(MatCreateVecs(A, NULL, &d));
    PetscCall(MatGetDiagonal(A, d));
    PetscCall(VecReciprocal(d));
    PetscCall(MatMatMult(A, P0, MAT_INITIAL_MATRIX, PETSC_DEFAULT, P));
    PetscCall(MatDiagonalScale(*P, d, NULL));
    PetscCall(MatScale(*P, -omega));
    PetscCall(MatAXPY(*P, 1.0, P0, SUBSET_NONZERO_PATTERN));
    PetscCall(VecDestroy(&d));
    PetscCall(MatDestroy(&P0));
  } else
    *P = P0;
  PetscCall(MatPtAP(A, *P, MAT_INITIAL_MATRIX, PETSC_DEFAULT, Ac));
  /* aggregates of decoupled cells only have empty columns in P: a unit diagonal keeps P'AP invertible (their
     coarse values stay zero since P'r vanishes there) */
  PetscCall(MatCreateVecs(*Ac, &d, &z));
  PetscCall(MatGetDiagonal(*Ac, d));
  PetscCall(MatGetOwnershipRange(*Ac, &rstart, &rend));
  nc = 0;
  {
    const PetscScalar *dd;
    PetscScalar       *zz;

    PetscCall(VecGetArrayRead(d, &dd));
    PetscCall(VecGetArrayWrite(z, &zz));
    for (PetscInt i = 0; i < rend - rstart; i++) {
      zz[i] = dd[i] == 0.0 ? 1.0 : 0.0;
      if (dd[i] == 0.0) nc++;
    }
    PetscCall(VecRestoreArrayRead(d, &dd));
    PetscCall(VecRestoreArrayWrite(z, &zz));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &nc, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)A)));
  if (nc) {
    PetscCall(MatSetOption(*Ac, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
    PetscCall(MatDiagonalSet(*Ac, z, ADD_VALUES));
  }
  PetscCall(VecDestroy(&d));
  PetscCall(VecDestroy(&z));
  PetscFunctionReturn(0);
}

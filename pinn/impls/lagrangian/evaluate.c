/* PINNLAGRANGIAN on the Eulerian grid: u(x_k, t_j) into a space-time Vec, and the two error figures of
   issue 11 (relative L2 in the Frobenius norm, and the released LPINN code's spectral-norm metric). */
#include <nnpde/private/pinnimpl.h>
#include <petscblaslapack.h>

/*@C
  PINNLagrangianEvaluateVec - The solution of a PINNLAGRANGIAN on an Eulerian space-time grid, into a Vec
  laid out as the 1-D reference solutions (`ReferenceSpaceTimeVecCreate1d()`): entry j*nx + k is u(x_k, t_j),
  each rank owning whole time slices. Per time slice, as `PINNLagrangianEvaluateGrid()`: the characteristics
  of nl labels are wrapped into the period and u is interpolated linearly onto the x_k.

  Collective

  Input Parameters:
+ pinn - the PINN, set up, of type PINNLAGRANGIAN
. nl   - number of labels (e.g. nx)
. x    - the nx grid points (nx is the block size of u)
- t    - all nt times (the same array on every rank; nt = global size of u / nx)

  Output Parameter:
. u - the Vec, block size nx, whole time slices per rank

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianEvaluateGrid()`, `PINNLagrangianGridError()`
@*/
PetscErrorCode PINNLagrangianEvaluateVec(PINN pinn, PetscInt nl, const PetscReal x[], const PetscReal t[], Vec u)
{
  PetscInt     nx, lo, hi;
  PetscScalar *a;
  PetscReal   *w;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidHeaderSpecific(u, VEC_CLASSID, 5);
  PetscCall(VecGetBlockSize(u, &nx));
  PetscCall(VecGetOwnershipRange(u, &lo, &hi));
  PetscCheck(nx > 1 && lo % nx == 0 && hi % nx == 0, PetscObjectComm((PetscObject)u), PETSC_ERR_ARG_WRONG,
             "The Vec must hold whole time slices of nx > 1 points (block size %" PetscInt_FMT "): create it with ReferenceSpaceTimeVecCreate1d()",
             nx);
  PetscCall(PetscMalloc1(hi - lo, &w));
  PetscCall(PINNLagrangianEvaluateGrid(pinn, nl, nx, x, (hi - lo) / nx, t + lo / nx, w));
  PetscCall(VecGetArrayWrite(u, &a));
  for (PetscInt i = 0; i < hi - lo; i++) a[i] = w[i];
  PetscCall(VecRestoreArrayWrite(u, &a));
  PetscCall(PetscFree(w));
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSpectralNorm - The spectral norm (largest singular value) of the nt x nx matrix held by a
  space-time Vec (block size nx, entry j*nx + k in row j), with the first and last `cut` columns left out

  Collective

  Input Parameters:
+ a   - the Vec (`ReferenceSpaceTimeVecCreate1d()` layout: whole rows per rank)
- cut - columns dropped at each end (0 <= 2 cut < nx)

  Output Parameter:
. norm - the norm, the same on every rank

  Notes:
  The m x m Gram matrix A^T A (m = nx - 2 cut) is summed over the ranks and its largest eigenvalue found by
  LAPACK syev; the norm is its square root (negative round-off taken as 0), so it does not depend on the number of
  ranks beyond the order of that sum.

  Level: intermediate

.seealso: `PINNLagrangianGridError()`
@*/
PetscErrorCode PINNLagrangianSpectralNorm(Vec a, PetscInt cut, PetscReal *norm)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)a);
  PetscInt           nx, lo, hi, m, nrows;
  PetscReal         *G, *w, *work, lwork_query;
  const PetscScalar *v;
  PetscBLASInt       bm, lwork = -1, info;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(a, VEC_CLASSID, 1);
  PetscValidRealPointer(norm, 3);
  PetscCall(VecGetBlockSize(a, &nx));
  PetscCall(VecGetOwnershipRange(a, &lo, &hi));
  PetscCheck(lo % nx == 0 && hi % nx == 0, comm, PETSC_ERR_ARG_WRONG, "The Vec must hold whole rows of %" PetscInt_FMT " entries per rank", nx);
  PetscCheck(cut >= 0 && 2 * cut < nx, comm, PETSC_ERR_ARG_OUTOFRANGE, "Cannot cut %" PetscInt_FMT " columns at each end of %" PetscInt_FMT, cut, nx);
  m     = nx - 2 * cut;
  nrows = (hi - lo) / nx;
  PetscCall(PetscBLASIntCast(m, &bm));
  PetscCall(PetscCalloc2(m * m, &G, m, &w));
  PetscCall(VecGetArrayRead(a, &v));
  for (PetscInt j = 0; j < nrows; j++) {
    const PetscScalar *row = v + j * nx + cut;
    for (PetscInt q = 0; q < m; q++)
      for (PetscInt p = 0; p <= q; p++) G[q * m + p] += PetscRealPart(row[p]) * PetscRealPart(row[q]);
  }
  PetscCall(VecRestoreArrayRead(a, &v));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, G, m * m, MPIU_REAL, MPIU_SUM, comm));
  /* column-major upper triangle: G[q*m + p] is entry (p, q), p <= q */
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &bm, G, &bm, w, &lwork_query, &lwork, &info));
  PetscCall(PetscBLASIntCast((PetscInt)lwork_query, &lwork));
  PetscCall(PetscMalloc1(lwork, &work));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &bm, G, &bm, w, work, &lwork, &info));
  PetscCheck(!info, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK syev failed with info %d on the %" PetscInt_FMT " x %" PetscInt_FMT " Gram matrix",
             (int)info, m, m);
  *norm = PetscSqrtReal(PetscMax(w[m - 1], 0));
  PetscCall(PetscFree(work));
  PetscCall(PetscFree2(G, w));
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianGridError - The error of u on a space-time grid against a reference: relative L2 in the
  Frobenius norm over the whole grid, and the released LPINN code's metric

  Collective

  Input Parameters:
+ u     - the solution (e.g. from `PINNLagrangianEvaluateVec()`)
. ref   - the reference, same layout (`ReferenceSpaceTimeVecCreate1d()`)
- shift - subtracted from the reference in the denominators (0; the mean speed C of the Burgers case u0 = C + sin x)

  Output Parameters:
+ rel    - ||u - ref||_F / ||ref - shift||_F (or NULL)
- legacy - ||E||_2 / ||R||_2 (or NULL): spectral norms of E = u - ref and R = ref - shift as nt x nx matrices
           with 2 points cut at each end in x, as the released code prints them (np.linalg.norm(., 2) of 2-D arrays,
           cut = 2)

  Level: intermediate

.seealso: `PINNLagrangianEvaluateVec()`, `PINNLagrangianSpectralNorm()`
@*/
PetscErrorCode PINNLagrangianGridError(Vec u, Vec ref, PetscReal shift, PetscReal *rel, PetscReal *legacy)
{
  Vec       e, r;
  PetscReal ne, nr;
  PetscInt  bu, br;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(u, VEC_CLASSID, 1);
  PetscValidHeaderSpecific(ref, VEC_CLASSID, 2);
  PetscCall(VecGetBlockSize(u, &bu));
  PetscCall(VecGetBlockSize(ref, &br));
  PetscCheck(bu == br, PetscObjectComm((PetscObject)u), PETSC_ERR_ARG_INCOMP,
             "The solution has %" PetscInt_FMT " x points per slice, the reference %" PetscInt_FMT, bu, br);
  PetscCall(VecDuplicate(ref, &e));
  PetscCall(VecDuplicate(ref, &r));
  PetscCall(VecWAXPY(e, -1, ref, u));
  PetscCall(VecCopy(ref, r));
  PetscCall(VecShift(r, -shift));
  if (rel) {
    PetscCall(VecNorm(e, NORM_2, &ne));
    PetscCall(VecNorm(r, NORM_2, &nr));
    *rel = ne / nr;
  }
  if (legacy) {
    PetscCall(PINNLagrangianSpectralNorm(e, 2, &ne));
    PetscCall(PINNLagrangianSpectralNorm(r, 2, &nr));
    *legacy = ne / nr;
  }
  PetscCall(VecDestroy(&e));
  PetscCall(VecDestroy(&r));
  PetscFunctionReturn(0);
}

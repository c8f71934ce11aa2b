/* DCDM training data (include/nnpde/dcdm_train.h): Lanczos with full reorthogonalization, Ritz
   pairs, and right-hand sides weighted toward the low end of the spectrum, written to HDF5. */
#include <nnpde/dcdm_train.h>
#include <nnpde/random.h>
#include <petsc/private/petscimpl.h>
#include <petscblaslapack.h>
#include <petscdmda.h>
#include <petscviewerhdf5.h>

/* Random streams of the data set (the network and the trainer use others) */
#define DCDM_STREAM_START 101
#define DCDM_STREAM_COEFF 102

/*@
  DCDMLanczosMemory - Memory per rank (the largest rank) that DCDMLanczos() with m steps and
  DCDMWriteDataset() with chunks of `chunk` samples need for their dense arrays.

  Collective

  Input Parameters:
+ A     - the matrix
. m     - Lanczos steps
- chunk - samples built at once when writing the data set

  Output Parameter:
. bytes - the estimate (Lanczos basis and Ritz vectors side by side, the tridiagonal eigenvectors,
          one chunk of right-hand sides)

  Level: intermediate

.seealso: DCDMLanczos(), DCDMWriteDataset()
@*/
PetscErrorCode DCDMLanczosMemory(Mat A, PetscInt m, PetscInt chunk, PetscLogDouble *bytes)
{
  PetscInt       nloc;
  PetscLogDouble b, lanczos, dataset;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(A, MAT_CLASSID, 1);
  PetscCall(MatGetLocalSize(A, &nloc, NULL));
  b = (PetscLogDouble)nloc;
  /* basis Q (n x m) and Ritz vectors Y (n x m) at once, eigenvectors of T (m x m), a few work vectors */
  lanczos = 8.0 * (2.0 * b * m + (PetscLogDouble)m * m + 6.0 * b + 4.0 * m);
  /* Ritz vectors, coefficients (m x chunk), right-hand sides (n x chunk) */
  dataset = 8.0 * (b * m + (PetscLogDouble)m * chunk + b * chunk + 2.0 * b);
  b       = PetscMax(lanczos, dataset);
  PetscCall(MPIU_Allreduce(&b, bytes, 1, MPIU_PETSCLOGDOUBLE, MPI_MAX, PetscObjectComm((PetscObject)A)));
  PetscFunctionReturn(0);
}

/* w -= Q(:,0:k) h twice (classical Gram-Schmidt, reorthogonalized); h += the coefficients */
static PetscErrorCode Reorthogonalize(MPI_Comm comm, PetscInt nloc, PetscInt k, const PetscScalar *Q, PetscScalar *w, PetscScalar *h,
                                      PetscScalar *hsum)
{
  PetscBLASInt    bn, bk, one = 1;
  const PetscReal pone = 1, zero = 0, mone = -1;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(nloc, &bn));
  PetscCall(PetscBLASIntCast(k, &bk));
  for (PetscInt i = 0; i < k; i++) hsum[i] = 0;
  for (PetscInt pass = 0; pass < 2; pass++) {
    if (bn)
      PetscCallBLAS("BLASgemv", BLASgemv_("T", &bn, &bk, &pone, Q, &bn, w, &one, &zero, h, &one));
    else
      for (PetscInt i = 0; i < k; i++) h[i] = 0;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, h, k, MPIU_SCALAR, MPIU_SUM, comm));
    if (bn) PetscCallBLAS("BLASgemv", BLASgemv_("N", &bn, &bk, &mone, Q, &bn, h, &one, &pone, w, &one));
    for (PetscInt i = 0; i < k; i++) hsum[i] += h[i];
  }
  PetscFunctionReturn(0);
}

/*@
  DCDMLanczos - Ritz pairs of a symmetric matrix from m Lanczos steps with full reorthogonalization,
  the first step of the DCDM training-data recipe.

  Collective

  Input Parameters:
+ A    - symmetric matrix
. mask - (optional) 0/1 Vec selecting the subspace the start vector lies in (the fluid cells)
. m    - Lanczos steps (the size of the Krylov basis)
. seed - seed of the start vector g ~ N(0,1), which is used as mask .* (A g) (in the range of A)
- drop - Ritz values below it are dropped (the null space of a singular operator: use e.g. 1e-8)

  Output Parameters:
+ values  - the kept Ritz values, ascending, as a sequential Vec on every rank
- vectors - the Ritz vectors (columns of a dense Mat with the row layout of A)

  Notes:
  The basis is kept in memory (m vectors, plus m Ritz vectors at the end); see DCDMLanczosMemory().
  Each step orthogonalizes against the whole basis twice (classical Gram-Schmidt), with one reduction
  per pass. A breakdown (an invariant subspace) ends the iteration early.

  Level: intermediate

.seealso: DCDMWriteDataset(), DCDMLanczosMemory()
@*/
PetscErrorCode DCDMLanczos(Mat A, Vec mask, PetscInt m, uint64_t seed, PetscReal drop, Vec *values, Mat *vectors)
{
  MPI_Comm     comm;
  PetscInt     nloc, N, rstart, k = 0, first, kept;
  Vec          w, qj, g;
  PetscScalar *Q, *Y, *alpha, *beta, *h, *hsum, *Z, *work, *d, *e, *wa;
  PetscReal    nrm, scale = 0;
  PetscBLASInt bk, info, bn;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(A, MAT_CLASSID, 1);
  PetscCall(PetscObjectGetComm((PetscObject)A, &comm));
  PetscCheck(m >= 2, comm, PETSC_ERR_ARG_OUTOFRANGE, "DCDMLanczos needs at least 2 steps, got %" PetscInt_FMT, m);
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCheck(m <= N, comm, PETSC_ERR_ARG_OUTOFRANGE, "DCDMLanczos: %" PetscInt_FMT " steps exceed the matrix size %" PetscInt_FMT, m, N);
  PetscCall(MatGetLocalSize(A, &nloc, NULL));
  PetscCall(MatCreateVecs(A, &g, &w));
  PetscCall(VecDuplicate(w, &qj));
  PetscCall(VecGetOwnershipRange(g, &rstart, NULL));
  PetscCall(PetscMalloc1((size_t)nloc * m + 1, &Q));
  PetscCall(PetscMalloc6(m, &alpha, m, &beta, m, &h, m, &hsum, m, &d, m, &e));

  /* start: mask .* (A g), g drawn by the global (PETSc) index: the same vector for the same decomposition (for a
     DMDA the PETSc ordering depends on the process grid, so the data set does too) */
  PetscCall(VecGetArrayWrite(g, &wa));
  PetscCall(NNRandomNormalArray(seed, DCDM_STREAM_START, (uint64_t)rstart, nloc, wa));
  PetscCall(VecRestoreArrayWrite(g, &wa));
  PetscCall(MatMult(A, g, w));
  if (mask) PetscCall(VecPointwiseMult(w, w, mask));
  PetscCall(VecNorm(w, NORM_2, &nrm));
  PetscCheck(nrm > 0, comm, PETSC_ERR_ARG_WRONG, "DCDMLanczos: the start vector is zero (empty mask or zero matrix)");
  PetscCall(VecScale(w, 1.0 / nrm));
  for (PetscInt j = 0; j < m; j++) {
    /* q_j = w; w = A q_j - beta_{j-1} q_{j-1}, then orthogonalized against q_0..q_j */
    PetscCall(VecGetArrayRead(w, (const PetscScalar **)&wa));
    PetscCall(PetscArraycpy(Q + (size_t)j * nloc, wa, nloc));
    PetscCall(VecRestoreArrayRead(w, (const PetscScalar **)&wa));
    PetscCall(VecPlaceArray(qj, Q + (size_t)j * nloc));
    PetscCall(MatMult(A, qj, w));
    PetscCall(VecResetArray(qj));
    if (mask) PetscCall(VecPointwiseMult(w, w, mask)); /* keeps round-off out of the other cells */
    PetscCall(VecGetArray(w, &wa));
    PetscCall(Reorthogonalize(comm, nloc, j + 1, Q, wa, h, hsum));
    PetscCall(VecRestoreArray(w, &wa));
    alpha[j] = hsum[j];
    k        = j + 1;
    PetscCall(VecNorm(w, NORM_2, &nrm));
    scale = PetscMax(scale, PetscAbsReal(alpha[j]) + (j ? beta[j - 1] : 0) + nrm);
    if (j == m - 1) break;
    if (nrm <= 1e-10 * scale) break; /* invariant subspace found: the Ritz pairs are exact */
    beta[j] = nrm;
    PetscCall(VecScale(w, 1.0 / nrm));
  }
  PetscCall(PetscInfo(A, "Lanczos: %" PetscInt_FMT " steps of %" PetscInt_FMT "\n", k, m));

  /* Ritz pairs: T = Z diag(d) Z' (LAPACK steqr, ascending) and Y = Q Z */
  for (PetscInt i = 0; i < k; i++) d[i] = alpha[i];
  for (PetscInt i = 0; i + 1 < k; i++) e[i] = beta[i];
  PetscCall(PetscBLASIntCast(k, &bk));
  PetscCall(PetscMalloc2((size_t)k * k, &Z, PetscMax(1, 2 * k - 2), &work));
  PetscCallBLAS("LAPACKsteqr", LAPACKsteqr_("I", &bk, d, e, Z, &bk, work, &info));
  PetscCheck(!info, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK steqr failed on the Lanczos matrix: info %d", (int)info);
  for (first = 0; first < k && d[first] < drop; first++) {}
  kept = k - first;
  PetscCheck(kept > 0, comm, PETSC_ERR_ARG_WRONG, "DCDMLanczos: all %" PetscInt_FMT " Ritz values are below the drop tolerance %g", k, (double)drop);
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, kept, values));
  PetscCall(VecGetArrayWrite(*values, &wa));
  PetscCall(PetscArraycpy(wa, d + first, kept));
  PetscCall(VecRestoreArrayWrite(*values, &wa));
  PetscCall(MatCreateDense(comm, nloc, PETSC_DECIDE, N, kept, NULL, vectors));
  PetscCall(MatDenseGetArrayWrite(*vectors, &Y));
  PetscCall(PetscBLASIntCast(nloc, &bn));
  if (bn) {
    const PetscReal pone = 1, zero = 0;
    PetscBLASInt    bkept;

    PetscCall(PetscBLASIntCast(kept, &bkept));
    PetscCallBLAS("BLASgemm", BLASgemm_("N", "N", &bn, &bkept, &bk, &pone, Q, &bn, Z + (size_t)first * k, &bk, &zero, Y, &bn));
  }
  PetscCall(MatDenseRestoreArrayWrite(*vectors, &Y));
  PetscCall(MatAssemblyBegin(*vectors, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*vectors, MAT_FINAL_ASSEMBLY));
  PetscCall(PetscFree2(Z, work));
  PetscCall(PetscFree6(alpha, beta, h, hsum, d, e));
  PetscCall(PetscFree(Q));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&w));
  PetscCall(VecDestroy(&qj));
  PetscFunctionReturn(0);
}

/* Writes the columns of a dense block (nloc x ncol, leading dimension nloc) as time steps of the
   DMDA dataset named by x */
static PetscErrorCode WriteColumns(PetscViewer viewer, Vec x, PetscInt nloc, PetscInt ncol, const PetscScalar *cols, PetscBool normalize)
{
  PetscFunctionBegin;
  for (PetscInt c = 0; c < ncol; c++) {
    PetscScalar *xa;

    PetscCall(VecGetArrayWrite(x, &xa));
    PetscCall(PetscArraycpy(xa, cols + (size_t)c * nloc, nloc));
    PetscCall(VecRestoreArrayWrite(x, &xa));
    if (normalize) {
      PetscReal norm;

      PetscCall(VecNormalize(x, &norm));
      PetscCheck(norm > 0 && !PetscIsInfOrNanReal(norm), PetscObjectComm((PetscObject)x), PETSC_ERR_FP,
                 "DCDM data set: right-hand side %" PetscInt_FMT
                 " of this block has norm %g before normalization (Ritz vectors or weights not finite, or zero)",
                 c, (double)norm);
    }
    PetscCall(VecView(x, viewer));
    PetscCall(PetscViewerHDF5IncrementTimestep(viewer));
  }
  PetscFunctionReturn(0);
}

/*@C
  DCDMWriteDataset - Writes DCDM training right-hand sides built from Ritz pairs to an HDF5 file.

  Collective

  Input Parameters:
+ da           - the DMDA of the matrix (the layout of the Ritz vectors)
. values       - Ritz values (from DCDMLanczos())
. vectors      - Ritz vectors (from DCDMLanczos())
. nsamples     - right-hand sides to write
. nlow         - how many of the lowest Ritz vectors get the larger weight (the paper: m/2 + 500 of m = 10000)
. weight       - their weight (the paper: 9)
. seed         - seed of the coefficients
. save_vectors - also store the Ritz vectors
- file         - the HDF5 file (written as file.tmp and renamed when complete)

  Notes:
  b_j = normalize(sum_i c_ij y_i) with c_ij ~ N(0,1), times `weight` for i < nlow; the coefficients
  are drawn by (sample, index). The Ritz vectors themselves depend on rounding and on the Lanczos start
  vector (drawn in the decomposition's ordering), so sets written at different rank counts differ
  sample by sample but not in distribution (tests/solvers/test_dcdm_train.c). Samples are
  built 64 at a time with one GEMM. See include/nnpde/dcdm_train.h for the file layout.

  Level: intermediate

.seealso: DCDMLanczos(), DCDMTrainerCreate()
@*/
PetscErrorCode DCDMWriteDataset(DM da, Vec values, Mat vectors, PetscInt nsamples, PetscInt nlow, PetscReal weight, uint64_t seed,
                                PetscBool save_vectors, const char file[])
{
  const PetscInt  chunk = 64;
  MPI_Comm        comm;
  PetscMPIInt     rank;
  PetscViewer     viewer;
  Vec             x, vals;
  PetscInt        k, nloc, M, lo, hi;
  PetscScalar    *Y, *C, *B;
  char            tmp[PETSC_MAX_PATH_LEN];
  PetscBLASInt    bn, bk, bc;
  const PetscReal pone = 1, zero = 0;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)da, &comm));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetSize(values, &k));
  PetscCheck(nsamples > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "DCDMWriteDataset needs at least one sample");
  PetscCheck(nlow >= 0 && nlow <= k, comm, PETSC_ERR_ARG_OUTOFRANGE, "DCDMWriteDataset: nlow = %" PetscInt_FMT " must be in [0, %" PetscInt_FMT "]",
             nlow, k);
  PetscCheck(weight > 0 && !PetscIsInfOrNanReal(weight), comm, PETSC_ERR_ARG_OUTOFRANGE,
             "DCDMWriteDataset: the weight of the low Ritz vectors (-weight) must be finite and positive, got %g", (double)weight);
  PetscCall(DMCreateGlobalVector(da, &x));
  PetscCall(VecGetLocalSize(x, &nloc));
  PetscCall(DMDAGetInfo(da, NULL, &M, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", file));
  PetscCall(PetscViewerHDF5Open(comm, tmp, FILE_MODE_WRITE, &viewer));
  PetscCall(PetscViewerHDF5SetSPOutput(viewer, PETSC_TRUE)); /* float32 on disk, as the paper's data */
  PetscCall(PetscViewerHDF5PushTimestepping(viewer));

  PetscCall(MatDenseGetArrayRead(vectors, (const PetscScalar **)&Y));
  PetscCall(PetscMalloc2((size_t)k * chunk, &C, (size_t)nloc * chunk + 1, &B));
  PetscCall(PetscBLASIntCast(nloc, &bn));
  PetscCall(PetscBLASIntCast(k, &bk));
  PetscCall(PetscObjectSetName((PetscObject)x, "rhs"));
  for (lo = 0; lo < nsamples; lo = hi) {
    hi = PetscMin(nsamples, lo + chunk);
    for (PetscInt j = lo; j < hi; j++) {
      PetscScalar *c = C + (size_t)(j - lo) * k;

      PetscCall(NNRandomNormalArray(seed, DCDM_STREAM_COEFF, (uint64_t)j * (uint64_t)k, k, c));
      for (PetscInt i = 0; i < nlow; i++) c[i] *= weight;
    }
    PetscCall(PetscBLASIntCast(hi - lo, &bc));
    if (bn) PetscCallBLAS("BLASgemm", BLASgemm_("N", "N", &bn, &bc, &bk, &pone, Y, &bn, C, &bk, &zero, B, &bn));
    PetscCall(WriteColumns(viewer, x, nloc, hi - lo, B, PETSC_TRUE));
  }
  if (save_vectors) {
    PetscCall(PetscObjectSetName((PetscObject)x, "ritz_vectors"));
    PetscCall(PetscViewerHDF5SetTimestep(viewer, 0));
    PetscCall(WriteColumns(viewer, x, nloc, k, Y, PETSC_FALSE));
  }
  PetscCall(MatDenseRestoreArrayRead(vectors, (const PetscScalar **)&Y));
  PetscCall(PetscFree2(C, B));
  PetscCall(PetscViewerHDF5PopTimestepping(viewer));

  /* Ritz values from rank 0, in float64 */
  PetscCall(PetscViewerHDF5SetSPOutput(viewer, PETSC_FALSE));
  PetscCall(VecCreateMPI(comm, rank ? 0 : k, k, &vals));
  if (!rank) {
    const PetscScalar *v;
    PetscScalar       *w;

    PetscCall(VecGetArrayRead(values, &v));
    PetscCall(VecGetArrayWrite(vals, &w));
    PetscCall(PetscArraycpy(w, v, k));
    PetscCall(VecRestoreArrayWrite(vals, &w));
    PetscCall(VecRestoreArrayRead(values, &v));
  }
  PetscCall(PetscObjectSetName((PetscObject)vals, "ritz_values"));
  PetscCall(VecView(vals, viewer));
  PetscCall(VecDestroy(&vals));
  {
    PetscInt n = M, ns = nsamples;

    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "n", PETSC_INT, &n));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "nsamples", PETSC_INT, &ns));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "nritz", PETSC_INT, &k));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "nlow", PETSC_INT, &nlow));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "weight", PETSC_REAL, &weight));
  }
  PetscCall(PetscViewerDestroy(&viewer));
  {
    int err = 0;

    PetscCallMPI(MPI_Barrier(comm));
    if (!rank) err = rename(tmp, file) ? 1 : 0;
    PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
    PetscCheck(!err, comm, PETSC_ERR_FILE_WRITE, "Cannot rename %s to %s", tmp, file);
  }
  PetscCall(VecDestroy(&x));
  PetscFunctionReturn(0);
}

/* Distributed weighted sampling without replacement, independent of the number of ranks.

   Efraimidis and Spirakis (2006): with u_i uniform in (0,1), the N items of largest key u_i^(1/w_i)
   are a sample without replacement in which each next item is drawn with probability proportional
   to its weight among those left. Keys are kept in log space, log(u_i)/w_i, and u_i is the
   counter-based number at the candidate's global index, so a candidate's key does not depend on
   which rank holds it. The global top N is each rank's local top N, gathered and selected again;
   equal keys are ordered by global index. */
#include <nnpde/sampler.h>
#include <nnpde/random.h>

typedef struct {
  PetscReal  key;
  PetscInt64 g;
} Keyed;

/* larger key first, then smaller global index */
static int KeyedCompare(const void *a, const void *b)
{
  const Keyed *x = (const Keyed *)a, *y = (const Keyed *)b;
  if (x->key > y->key) return -1;
  if (x->key < y->key) return 1;
  return (x->g > y->g) - (x->g < y->g);
}

static int Int64Compare(const void *a, const void *b)
{
  const PetscInt64 x = *(const PetscInt64 *)a, y = *(const PetscInt64 *)b;
  return (x > y) - (x < y);
}

/* The N largest of the keys over all ranks, by global index, on every rank */
static PetscErrorCode GlobalTop(MPI_Comm comm, PetscInt n, Keyed *k, PetscInt N, PetscInt64 chosen[])
{
  PetscMPIInt size, mine, *counts, *displs;
  PetscInt64  total = 0;
  Keyed      *all;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  qsort(k, (size_t)n, sizeof(Keyed), KeyedCompare);
  PetscCall(PetscMPIIntCast(PetscMin(n, N) * (PetscInt)sizeof(Keyed), &mine));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCallMPI(MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, comm));
  for (PetscMPIInt q = 0; q < size; q++) {
    PetscCall(PetscMPIIntCast(total, &displs[q]));
    total += counts[q];
  }
  total /= (PetscInt64)sizeof(Keyed);
  PetscCheck(total >= N, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Weighted sampling: %" PetscInt64_FMT " candidates over all ranks, %" PetscInt_FMT " asked for", total, N);
  PetscCall(PetscMalloc1(total, &all));
  /* every rank has the same architecture: the pairs travel as bytes */
  PetscCallMPI(MPI_Allgatherv(k, mine, MPI_BYTE, all, counts, displs, MPI_BYTE, comm));
  qsort(all, (size_t)total, sizeof(Keyed), KeyedCompare);
  for (PetscInt j = 0; j < N; j++) chosen[j] = all[j].g;
  qsort(chosen, (size_t)N, sizeof(PetscInt64), Int64Compare);
  PetscCall(PetscFree(all));
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(0);
}

/*@C
  PINNWeightedSample - Chooses N of the candidates spread over the ranks, without
  replacement, by their weights: the first with probability w_i / sum w, each next among those left
  likewise. The chosen set is the same for any number of ranks and any distribution of the
  candidates.

  Collective

  Input Parameters:
+ comm   - the ranks holding the candidates
. seed   - seed of the counter-based numbers
. stream - their stream (the random number of candidate g is number g of the stream)
. n      - this rank's candidates
. gidx   - their global indices, distinct over all ranks, nonnegative
. w      - their weights, finite and nonnegative (a zero weight is chosen only when fewer than N
           candidates have a positive one, then by global index)
- N      - how many to choose, at most the total number of candidates

  Output Parameter:
. chosen - the N global indices chosen, in increasing order, on every rank

  Notes:
  Efraimidis-Spirakis keys log(u_g)/w_g with u_g number g of (seed, stream) of NNRandomUniformArray();
  the global top N is each rank's local top N, gathered and selected again (equal keys: smaller
  global index first). Each rank sends at most N (key, index) pairs.

  Level: developer

.seealso: `PINNWeightedTop()`, `PINNWeightedGatherRows()`, `PINNSAMPLERRAD`
@*/
PetscErrorCode PINNWeightedSample(MPI_Comm comm, uint64_t seed, uint64_t stream, PetscInt n, const PetscInt64 gidx[], const PetscReal w[], PetscInt N,
                                  PetscInt64 chosen[])
{
  Keyed *k;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n, &k));
  for (PetscInt i = 0; i < n; i++) {
    PetscReal u;

    PetscCheck(PetscIsNormalReal(w[i]) || w[i] == 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Weight of candidate %" PetscInt64_FMT " is %g",
               gidx[i], (double)w[i]);
    PetscCheck(w[i] >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Weight of candidate %" PetscInt64_FMT " is negative, %g", gidx[i],
               (double)w[i]);
    PetscCall(NNRandomUniformArray(seed, stream, (uint64_t)gidx[i], 1, &u));
    u        = PetscMax(u, 1e-300); /* log(0) */
    k[i].key = w[i] > 0 ? PetscLogReal(u) / w[i] : -PETSC_MAX_REAL;
    k[i].g   = gidx[i];
  }
  PetscCall(GlobalTop(comm, n, k, N, chosen));
  PetscCall(PetscFree(k));
  PetscFunctionReturn(0);
}

/*@C
  PINNWeightedTop - The m candidates of largest weight over all ranks (equal weights: the smaller
  global index first), the same for any number of ranks.

  Collective

  Input Parameters:
+ comm - the ranks holding the candidates
. n    - this rank's candidates
. gidx - their global indices, distinct over all ranks
. w    - their weights, finite
- m    - how many to choose, at most the total number of candidates

  Output Parameter:
. chosen - the m global indices, in increasing order, on every rank

  Level: developer

.seealso: `PINNWeightedSample()`, `PINNWeightedGatherRows()`
@*/
PetscErrorCode PINNWeightedTop(MPI_Comm comm, PetscInt n, const PetscInt64 gidx[], const PetscReal w[], PetscInt m, PetscInt64 chosen[])
{
  Keyed *k;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n, &k));
  for (PetscInt i = 0; i < n; i++) {
    PetscCheck(!PetscIsInfOrNanReal(w[i]), PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Weight of candidate %" PetscInt64_FMT " is %g", gidx[i],
               (double)w[i]);
    k[i].key = w[i];
    k[i].g   = gidx[i];
  }
  PetscCall(GlobalTop(comm, n, k, m, chosen));
  PetscCall(PetscFree(k));
  PetscFunctionReturn(0);
}

/*@C
  PINNWeightedGatherRows - The rows (coordinates) of chosen candidates number lo..hi-1: each rank
  contributes those of its own candidates; every rank receives all chosen rows and keeps its range.

  Collective

  Input Parameters:
+ comm   - the ranks holding the candidates
. n      - this rank's candidates
. gidx   - their global indices
. d      - the row length
. x      - their rows, n x d
. N      - the number chosen
. chosen - the chosen global indices, increasing, the same on every rank (PINNWeightedSample())
. lo     - the first chosen candidate wanted on this rank
- hi     - one past the last

  Output Parameter:
. y - rows of chosen[lo..hi-1], (hi - lo) x d

  Level: developer

.seealso: `PINNWeightedSample()`, `PINNWeightedTop()`
@*/
PetscErrorCode PINNWeightedGatherRows(MPI_Comm comm, PetscInt n, const PetscInt64 gidx[], PetscInt d, const PetscReal x[], PetscInt N,
                                      const PetscInt64 chosen[], PetscInt lo, PetscInt hi, PetscReal y[])
{
  PetscMPIInt size, mine = 0, *counts, *displs;
  PetscReal  *send, *all;
  PetscInt    total = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc1(n * (d + 1), &send));
  for (PetscInt i = 0; i < n; i++) {
    const PetscInt64 *f = (const PetscInt64 *)bsearch(&gidx[i], chosen, (size_t)N, sizeof(PetscInt64), Int64Compare);
    if (!f) continue;
    send[mine * (d + 1)] = (PetscReal)(f - chosen); /* position among the chosen, exact in a double */
    for (PetscInt k = 0; k < d; k++) send[mine * (d + 1) + 1 + k] = x[i * d + k];
    mine++;
  }
  PetscCall(PetscMPIIntCast(mine * (d + 1), &mine));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCallMPI(MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, comm));
  for (PetscMPIInt q = 0; q < size; q++) {
    PetscCall(PetscMPIIntCast(total, &displs[q]));
    total += counts[q];
  }
  PetscCheck(total == N * (d + 1), comm, PETSC_ERR_PLIB, "Gathering chosen rows: %" PetscInt_FMT " of %" PetscInt_FMT " found", total / (d + 1), N);
  PetscCall(PetscMalloc1(total, &all));
  PetscCallMPI(MPI_Allgatherv(send, mine, MPIU_REAL, all, counts, displs, MPIU_REAL, comm));
  for (PetscInt r = 0; r < N; r++) {
    const PetscInt j = (PetscInt)all[r * (d + 1)];
    if (j < lo || j >= hi) continue;
    for (PetscInt k = 0; k < d; k++) y[(j - lo) * d + k] = all[r * (d + 1) + 1 + k];
  }
  PetscCall(PetscFree(all));
  PetscCall(PetscFree2(counts, displs));
  PetscCall(PetscFree(send));
  PetscFunctionReturn(0);
}

/* Distributed weighted sampling (sampling/weighted.c). (1) A pool of M candidates with weights
   given by their global index, dealt round-robin over the ranks: PINNWeightedSample() and
   PINNWeightedTop() choose exactly the indices a serial run over the whole pool chooses (counted
   mismatches, and a checksum printed). (2) Inclusion frequencies of 2 of 5 items over T draws
   (streams 0..T-1) against the exact probabilities of successive sampling proportional to the
   weights: the worst deviation in standard errors. */
#include <nnpde.h>

#define M 3001
#define N 250
#define T 20000

static PetscReal Weight(PetscInt64 g)
{
  const PetscReal s = PetscSinReal(0.37 * (PetscReal)g);
  return g % 17 == 3 ? 0.0 : 0.05 + s * s * s * s; /* some zeros, a wide range */
}

static PetscInt64 Checksum(const PetscInt64 c[], PetscInt n)
{
  PetscInt64 s = 0;
  for (PetscInt j = 0; j < n; j++) s = (s * 31 + c[j]) % 1000000007;
  return s;
}

int main(int argc, char **argv)
{
  PetscMPIInt size, rank;
  PetscInt    n = 0, mism = 0;
  PetscInt64 *gl, *ga, *cd, *cs, *td, *ts;
  PetscReal  *wl, *wa, *xl, *xa, *yl;
  PetscReal   worst = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscMalloc6(M, &gl, M, &ga, N, &cd, N, &cs, N, &td, N, &ts));
  PetscCall(PetscMalloc5(M, &wl, M, &wa, 2 * M, &xl, 2 * M, &xa, 2 * N, &yl));
  for (PetscInt64 g = 0; g < M; g++) {
    ga[g]         = g;
    wa[g]         = Weight(g);
    xa[2 * g]     = (PetscReal)g;
    xa[2 * g + 1] = -0.5 * (PetscReal)g;
    if (g % size == rank) { /* round-robin: not the slices the samplers use */
      gl[n]         = g;
      wl[n]         = wa[g];
      xl[2 * n]     = xa[2 * g];
      xl[2 * n + 1] = xa[2 * g + 1];
      n++;
    }
  }
  /* (1) distributed vs serial */
  for (PetscInt trial = 0; trial < 3; trial++) {
    PetscCall(PINNWeightedSample(PETSC_COMM_WORLD, 7, 100 + trial, n, gl, wl, N, cd));
    PetscCall(PINNWeightedSample(PETSC_COMM_SELF, 7, 100 + trial, M, ga, wa, N, cs));
    for (PetscInt j = 0; j < N; j++) mism += cd[j] != cs[j];
    for (PetscInt j = 1; j < N; j++) mism += cd[j] <= cd[j - 1]; /* increasing, distinct */
    for (PetscInt j = 0; j < N; j++) mism += wa[cd[j]] == 0;     /* 2800+ positive weights: no zero chosen */
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "weighted sample %" PetscInt_FMT ": checksum %" PetscInt64_FMT "\n", trial, Checksum(cd, N)));
  }
  PetscCall(PINNWeightedTop(PETSC_COMM_WORLD, n, gl, wl, N, td));
  PetscCall(PINNWeightedTop(PETSC_COMM_SELF, M, ga, wa, N, ts));
  for (PetscInt j = 0; j < N; j++) mism += td[j] != ts[j];
  {
    PetscReal lowest = PETSC_MAX_REAL, highest_left = 0;
    PetscInt  k = 0;
    for (PetscInt64 g = 0; g < M; g++) {
      if (k < N && ts[k] == g) {
        lowest = PetscMin(lowest, wa[g]);
        k++;
      } else
        highest_left = PetscMax(highest_left, wa[g]);
    }
    mism += lowest < highest_left; /* the top N by weight */
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "top %d: checksum %" PetscInt64_FMT "\n", N, Checksum(td, N)));
  /* rows of the chosen, this rank's share of them */
  {
    const PetscInt lo = (PetscInt)(((PetscInt64)N * rank) / size), hi = (PetscInt)(((PetscInt64)N * (rank + 1)) / size);
    PetscCall(PINNWeightedGatherRows(PETSC_COMM_WORLD, n, gl, 2, xl, N, cd, lo, hi, yl));
    for (PetscInt j = lo; j < hi; j++) mism += yl[2 * (j - lo)] != (PetscReal)cd[j] || yl[2 * (j - lo) + 1] != -0.5 * (PetscReal)cd[j];
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &mism, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "choices differing from the serial run: %" PetscInt_FMT "\n", mism));

  /* (2) inclusion frequencies, 2 of 5 items */
  {
    const PetscReal w5[5] = {1, 2, 3, 4, 10};
    PetscReal       W = 20, p[5] = {0}, f[5] = {0};
    PetscInt64      g5[5], c2[2];
    PetscReal       w5l[5];
    PetscInt        n5 = 0;

    for (PetscInt i = 0; i < 5; i++)
      for (PetscInt j = 0; j < 5; j++)
        if (i != j) {
          const PetscReal pij = w5[i] / W * w5[j] / (W - w5[i]);
          p[i] += pij;
          p[j] += pij;
        }
    for (PetscInt i = 0; i < 5; i++)
      if (i % size == rank) g5[n5] = i, w5l[n5++] = w5[i];
    for (PetscInt t = 0; t < T; t++) {
      PetscCall(PINNWeightedSample(PETSC_COMM_WORLD, 3, (uint64_t)t, n5, g5, w5l, 2, c2));
      f[c2[0]] += 1.0 / T;
      f[c2[1]] += 1.0 / T;
    }
    for (PetscInt i = 0; i < 5; i++) {
      const PetscReal z = PetscAbsReal(f[i] - p[i]) / PetscSqrtReal(p[i] * (1 - p[i]) / T);
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "item %" PetscInt_FMT " weight %g: inclusion %.4f, exact %.4f (%.2f standard errors)\n", i,
                            (double)w5[i], (double)f[i], (double)p[i], (double)z));
      worst = PetscMax(worst, z);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "worst deviation of the inclusion frequencies: %.3f standard errors\n", (double)worst));
  }
  PetscCall(PetscFree6(gl, ga, cd, cs, td, ts));
  PetscCall(PetscFree5(wl, wa, xl, xa, yl));
  PetscCall(PetscFinalize());
  return mism ? 1 : 0;
}

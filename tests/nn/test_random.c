/* Philox4x32-10 against the published known-answer vectors (Random123 kat_vectors), and the
   rank-count independence of NNRandom draws: each rank draws its own slice of a global sequence
   and the gathered result equals the serial draw bit for bit. */
#include <nnpde.h>

int main(int argc, char **argv)
{
  /* counter, key, expected output (Salmon et al., Random123 kat_vectors, philox4x32 10 rounds) */
  const uint32_t kat[3][10] = {
      {0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
  };
  const PetscInt N = 100000;
  PetscMPIInt    rank, size;
  PetscReal     *serial, *mine, *gathered, mean = 0, var = 0, nmean = 0, nvar = 0;
  PetscInt       lo, hi;
  PetscMPIInt   *counts, *displs;
  NNRandom       r;
  uint64_t       first, seed, pos;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (PetscInt t = 0; t < 3; t++) {
    uint32_t out[4];
    NNPhilox4x32_10(&kat[t][0], &kat[t][4], out);
    for (PetscInt i = 0; i < 4; i++)
      PetscCheck(out[i] == kat[t][6 + i], PETSC_COMM_WORLD, PETSC_ERR_PLIB,
                 "Philox KAT %" PetscInt_FMT " word %" PetscInt_FMT ": got %08x expected %08x", t, i, out[i], kat[t][6 + i]);
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Philox4x32-10 known-answer vectors: 3 of 3 match\n"));

  /* slices of one global sequence, any rank count */
  PetscCall(NNRandomCreate(PETSC_COMM_WORLD, &r));
  PetscCall(NNRandomSetSeed(r, 20231128));
  PetscCall(NNRandomSetFromOptions(r, NULL));
  PetscCall(NNRandomReserve(r, N, &first));
  lo = (N * rank) / size, hi = (N * (rank + 1)) / size;
  PetscCall(PetscMalloc5(N, &serial, hi - lo, &mine, N, &gathered, size, &counts, size, &displs));
  PetscCall(NNRandomUniform(r, 7, first, N, serial));
  PetscCall(NNRandomUniform(r, 7, first + lo, hi - lo, mine));
  for (PetscMPIInt q = 0; q < size; q++) displs[q] = (PetscMPIInt)((N * q) / size), counts[q] = (PetscMPIInt)((N * (q + 1)) / size - (N * q) / size);
  PetscCallMPI(MPI_Allgatherv(mine, (PetscMPIInt)(hi - lo), MPIU_REAL, gathered, counts, displs, MPIU_REAL, PETSC_COMM_WORLD));
  for (PetscInt i = 0; i < N; i++)
    PetscCheck(gathered[i] == serial[i], PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Draw %" PetscInt_FMT " depends on the rank count", i);
  for (PetscInt i = 0; i < N; i++) {
    PetscCheck(serial[i] > 0 && serial[i] < 1, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Uniform draw %g outside (0,1)", (double)serial[i]);
    mean += serial[i] / N;
  }
  for (PetscInt i = 0; i < N; i++) var += PetscSqr(serial[i] - mean) / (N - 1);
  /* 5 standard errors: the mean of N uniforms has sd 1/sqrt(12N) */
  PetscCheck(PetscAbsReal(mean - 0.5) < 5 / PetscSqrtReal(12.0 * N) && PetscAbsReal(var - 1.0 / 12) < 2e-3, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "Uniform moments off: mean %g var %g", (double)mean, (double)var);
  PetscCall(NNRandomNormal(r, 8, first, N, serial));
  for (PetscInt i = 0; i < N; i++) nmean += serial[i] / N;
  for (PetscInt i = 0; i < N; i++) nvar += PetscSqr(serial[i] - nmean) / (N - 1);
  PetscCheck(PetscAbsReal(nmean) < 5 / PetscSqrtReal((PetscReal)N) && PetscAbsReal(nvar - 1) < 0.02, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "Normal moments off: mean %g var %g", (double)nmean, (double)nvar);
  /* a different stream or seed gives different numbers; the state round-trips */
  {
    PetscReal a, b;
    PetscCall(NNRandomUniform(r, 9, first, 1, &a));
    PetscCall(NNRandomUniform(r, 7, first, 1, &b));
    PetscCheck(a != b, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Streams 7 and 9 coincide");
    PetscCall(NNRandomGetState(r, &seed, &pos));
    PetscCheck(seed == 20231128 && pos == (uint64_t)N, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "State (%llu, %llu) is wrong", (unsigned long long)seed,
               (unsigned long long)pos);
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%" PetscInt_FMT " draws identical to the serial sequence on %d rank(s); uniform and normal moments within bounds\n", N,
                        size));
  PetscCall(PetscFree5(serial, mine, gathered, counts, displs));
  PetscCall(NNRandomDestroy(&r));
  PetscCall(PetscFinalize());
  return 0;
}

/* Philox4x32-10 counter-based generator and the NNRandom state object. */
#include <nnpde/random.h>
#include <petsc/private/petscimpl.h>
#include <nnpde/sys.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline void mulhilo32(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
  uint64_t p = (uint64_t)a * (uint64_t)b;
  *hi        = (uint32_t)(p >> 32);
  *lo        = (uint32_t)p;
}

void NNPhilox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3], k0 = key[0], k1 = key[1];

  for (int r = 0; r < 10; r++) {
    uint32_t hi0, lo0, hi1, lo1;
    if (r > 0) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    mulhilo32(PHILOX_M0, c0, &hi0, &lo0);
    mulhilo32(PHILOX_M1, c2, &hi1, &lo1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* Counter = (index, stream) as four 32-bit words, key = seed. */
static inline void philox_block(uint64_t seed, uint64_t stream, uint64_t index, uint32_t out[4])
{
  const uint32_t ctr[4] = {(uint32_t)index, (uint32_t)(index >> 32), (uint32_t)stream, (uint32_t)(stream >> 32)};
  const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  NNPhilox4x32_10(ctr, key, out);
}

/* 53 random bits mapped to the open interval (0,1) */
static inline double u01(uint32_t hi, uint32_t lo)
{
  uint64_t bits = ((uint64_t)hi << 21) ^ (uint64_t)(lo >> 11);
  bits &= (UINT64_C(1) << 53) - 1;
  return ((double)bits + 0.5) * 0x1.0p-53;
}

/*@
  NNRandomUniformArray - Uniform numbers in the open interval (0,1), 53 random bits each, for the
  global indices first, ..., first+n-1 of a stream: a pure function of (seed, stream, index).

  Not Collective

  Input Parameters:
+ seed   - the seed
. stream - the stream (independent sequences for different uses)
. first  - the first global index
- n      - how many numbers

  Output Parameter:
. out - the n numbers

  Level: developer

.seealso: `NNRandomNormalArray()`, `NNRandomUniform()`
@*/
PetscErrorCode NNRandomUniformArray(uint64_t seed, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    uint32_t w[4];
    philox_block(seed, stream, first + (uint64_t)i, w);
    out[i] = u01(w[0], w[1]);
  }
  PetscFunctionReturn(0);
}

/*@
  NNRandomNormalArray - Standard normal numbers (Box-Muller on one Philox block per number) for the
  global indices first, ..., first+n-1 of a stream.

  Not Collective

  Input Parameters:
+ seed   - the seed
. stream - the stream
. first  - the first global index
- n      - how many numbers

  Output Parameter:
. out - the n numbers

  Level: developer

.seealso: `NNRandomUniformArray()`, `NNRandomNormal()`
@*/
PetscErrorCode NNRandomNormalArray(uint64_t seed, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    uint32_t w[4];
    philox_block(seed, stream, first + (uint64_t)i, w);
    const double a = u01(w[0], w[1]), b = u01(w[2], w[3]);
    out[i] = PetscSqrtReal(-2.0 * PetscLogReal(a)) * PetscCosReal(2.0 * PETSC_PI * b);
  }
  PetscFunctionReturn(0);
}

struct _n_NNRandom {
  MPI_Comm comm;
  uint64_t seed, position;
};

/*@
  NNRandomCreate - Creates a random-number sequence: a seed (0) and a position (0) that sequential
  consumers advance with `NNRandomReserve()`.

  Not Collective

  Input Parameter:
. comm - the ranks that use the sequence in step (for messages)

  Output Parameter:
. r - the sequence

  Level: intermediate

.seealso: `NNRandomDestroy()`, `NNRandomSetSeed()`, `NNRandomSetFromOptions()`
@*/
PetscErrorCode NNRandomCreate(MPI_Comm comm, NNRandom *r)
{
  PetscFunctionBegin;
  PetscValidPointer(r, 2);
  PetscCall(PetscNew(r));
  (*r)->comm = comm;
  (*r)->seed = 0;
  PetscFunctionReturn(0);
}

/*@
  NNRandomDestroy - Destroys a random-number sequence.

  Not Collective

  Input Parameter:
. r - the sequence; set to NULL (NULL is allowed)

  Level: intermediate

.seealso: `NNRandomCreate()`
@*/
PetscErrorCode NNRandomDestroy(NNRandom *r)
{
  PetscFunctionBegin;
  if (!r || !*r) PetscFunctionReturn(0);
  PetscCall(PetscFree(*r));
  PetscFunctionReturn(0);
}

/*@
  NNRandomSetSeed - Sets the seed and rewinds the position to 0.

  Not Collective

  Input Parameters:
+ r    - the sequence
- seed - the seed

  Options Database Key:
. -<prefix>random_seed <0> - the seed, with `NNRandomSetFromOptions()`

  Level: intermediate

.seealso: `NNRandomSetFromOptions()`, `NNRandomSetState()`
@*/
PetscErrorCode NNRandomSetSeed(NNRandom r, uint64_t seed)
{
  PetscFunctionBegin;
  r->seed     = seed;
  r->position = 0;
  PetscFunctionReturn(0);
}

/*@C
  NNRandomSetFromOptions - Reads the seed from the options database.

  Collective

  Input Parameters:
+ r      - the sequence
- prefix - the options prefix (NULL for none)

  Options Database Key:
. -<prefix>random_seed <0> - the seed, nonnegative

  Level: intermediate

.seealso: `NNRandomSetSeed()`
@*/
PetscErrorCode NNRandomSetFromOptions(NNRandom r, const char prefix[])
{
  PetscInt  seed = (PetscInt)r->seed;
  PetscBool set;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetInt(NULL, prefix, "-random_seed", &seed, &set));
  if (set) {
    PetscCheck(seed >= 0, r->comm, PETSC_ERR_ARG_OUTOFRANGE, "-%srandom_seed must be nonnegative, got %" PetscInt_FMT, prefix ? prefix : "", seed);
    PetscCall(NNRandomSetSeed(r, (uint64_t)seed));
  }
  PetscFunctionReturn(0);
}

/*@
  NNRandomGetState - Gets the whole state of the sequence (what checkpoints store).

  Not Collective

  Input Parameter:
. r - the sequence

  Output Parameters:
+ seed     - the seed (pass NULL if not wanted)
- position - the next unreserved index (pass NULL if not wanted)

  Level: intermediate

.seealso: `NNRandomSetState()`, `NNCheckpointWriteRandom()`
@*/
PetscErrorCode NNRandomGetState(NNRandom r, uint64_t *seed, uint64_t *position)
{
  PetscFunctionBegin;
  if (seed) *seed = r->seed;
  if (position) *position = r->position;
  PetscFunctionReturn(0);
}

/*@
  NNRandomSetState - Restores the whole state of the sequence.

  Not Collective

  Input Parameters:
+ r        - the sequence
. seed     - the seed
- position - the next unreserved index

  Level: intermediate

.seealso: `NNRandomGetState()`, `NNCheckpointReadRandom()`
@*/
PetscErrorCode NNRandomSetState(NNRandom r, uint64_t seed, uint64_t position)
{
  PetscFunctionBegin;
  r->seed     = seed;
  r->position = position;
  PetscFunctionReturn(0);
}

/*@
  NNRandomReserve - Reserves n consecutive indices of the sequence and advances its position.

  Not Collective, but every rank must call it with the same n to keep the positions in step

  Input Parameters:
+ r - the sequence
- n - how many indices

  Output Parameter:
. first - the first reserved index

  Level: intermediate

.seealso: `NNRandomUniform()`, `NNRandomNormal()`, `NNRandomGetState()`
@*/
PetscErrorCode NNRandomReserve(NNRandom r, uint64_t n, uint64_t *first)
{
  PetscFunctionBegin;
  *first = r->position;
  r->position += n;
  PetscFunctionReturn(0);
}

/*@
  NNRandomUniform - Uniform numbers in (0,1) for the global indices first, ..., first+n-1 of a
  stream of the sequence's seed.

  Not Collective

  Input Parameters:
+ r      - the sequence
. stream - the stream
. first  - the first global index (e.g. from `NNRandomReserve()` plus this rank's offset)
- n      - how many numbers

  Output Parameter:
. out - the n numbers

  Level: intermediate

.seealso: `NNRandomNormal()`, `NNRandomReserve()`, `NNRandomUniformArray()`
@*/
PetscErrorCode NNRandomUniform(NNRandom r, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[])
{
  PetscFunctionBegin;
  PetscCall(NNRandomUniformArray(r->seed, stream, first, n, out));
  PetscFunctionReturn(0);
}

/*@
  NNRandomNormal - Standard normal numbers for the global indices first, ..., first+n-1 of a stream
  of the sequence's seed.

  Not Collective

  Input Parameters:
+ r      - the sequence
. stream - the stream
. first  - the first global index
- n      - how many numbers

  Output Parameter:
. out - the n numbers

  Level: intermediate

.seealso: `NNRandomUniform()`, `NNRandomReserve()`, `NNRandomNormalArray()`
@*/
PetscErrorCode NNRandomNormal(NNRandom r, uint64_t stream, uint64_t first, PetscInt n, PetscReal out[])
{
  PetscFunctionBegin;
  PetscCall(NNRandomNormalArray(r->seed, stream, first, n, out));
  PetscFunctionReturn(0);
}

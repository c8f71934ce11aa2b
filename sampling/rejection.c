/* The geometry's rejection sampling: interior, boundary and initial points of a PINNGeometry,
   independent of the number of ranks (the public PINNGeometrySample*() of nnpde/geometry.h).

   Sampling draws candidates in a fixed global order: candidate j is a function of j only (Philox
   numbers at indices j K .. j K + K - 1 of a sub-stream, or point j + 1 of a K-dimensional Sobol or
   Halton sequence), and the point set is the first N accepted candidates. Where every candidate is
   accepted (box interiors, boundaries of primitives) a rank computes its slice directly; otherwise
   the ranks first count accepted candidates in blocks split among them (one MPI_Allgather per
   block), then each rank walks from the block holding its first point. */
#include <nnpde/private/geometryimpl.h>
#include <nnpde/private/quasirandomimpl.h>
#include <nnpde/random.h>

const char *const PINNSampleTypes[] = {"uniform", "sobol", "halton", "PINNSampleType", "PINN_SAMPLE_", NULL};

#define GEOM_CHUNK 1024 /* candidates evaluated per batch */

typedef struct {
  PINNGeometry   g;
  PetscBool      boundary;
  PINNSampleType type;
  uint64_t       seed, stream;
  PetscInt       K, d;
  PetscReal     *u, *x, *nrm; /* GEOM_CHUNK x K, x d, x d */
  PetscInt      *tag;
  PetscBool     *ok;
} Candidates;

/* Candidates j0 .. j0+m-1, m <= GEOM_CHUNK */
static PetscErrorCode CandidatesEvaluate(Candidates *c, uint64_t j0, PetscInt m)
{
  PINNGeometry   g = c->g;
  const PetscInt K = c->K, d = c->d;

  PetscFunctionBegin;
  if (c->type == PINN_SAMPLE_UNIFORM)
    PetscCall(NNRandomUniformArray(c->seed, c->stream, j0 * (uint64_t)K, m * K, c->u));
  else
    PetscCall(PINNQuasiRandom_Private(c->type, K, j0 + 1, m, c->u)); /* point 0 (the origin) is skipped */
  for (PetscInt i = 0; i < m; i++) {
    PetscReal *u = &c->u[i * K], *x = &c->x[i * d];
    if (c->boundary)
      c->ok[i] = g->ops->boundary(g, u, x, &c->nrm[i * d], &c->tag[i]);
    else {
      for (PetscInt k = 0; k < d; k++) x[k] = g->lo[k] + u[k] * (g->hi[k] - g->lo[k]);
      c->ok[i] = (PetscBool)(g->interior_exact || g->ops->classify(g, x) == PINN_GEOMETRY_INSIDE);
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode CandidatesCount(Candidates *c, uint64_t c0, uint64_t c1, PetscInt64 *count)
{
  PetscFunctionBegin;
  *count = 0;
  for (uint64_t j = c0; j < c1; j += GEOM_CHUNK) {
    const PetscInt m = (PetscInt)PetscMin((uint64_t)GEOM_CHUNK, c1 - j);
    PetscCall(CandidatesEvaluate(c, j, m));
    for (PetscInt i = 0; i < m; i++) *count += c->ok[i];
  }
  PetscFunctionReturn(0);
}

/* Find a candidate index start, with `before` accepted candidates ahead of it, such that accepted
   point number lo is at or after start. The ranks count blocks of candidates together: a block is
   split in size pieces, counted in parallel and the counts gathered, until N points are accepted.
   The blocks depend on the rank count, the accepted sequence does not. *c0 and *total return the
   candidates tried and accepted; fewer than N accepted means the candidate limit was reached. */
static PetscErrorCode CandidatesLocate(Candidates *c, MPI_Comm comm, PetscInt N, PetscInt64 lo, uint64_t *start, uint64_t *before, uint64_t *c0,
                                       uint64_t *total)
{
  PetscMPIInt rank, size;
  PetscInt64 *counts, mine;
  uint64_t    limit = 1000000 + 1000 * (uint64_t)N;
  PetscReal   rate  = 0.5;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  if (c->type == PINN_SAMPLE_SOBOL) limit = PetscMin(limit, (UINT64_C(1) << 32) - 1 - GEOM_CHUNK);
  PetscCall(PetscMalloc1(size, &counts));
  *start  = 0;
  *before = 0;
  *c0     = 0;
  *total  = 0;
  while (*total < (uint64_t)N && *c0 < limit) {
    uint64_t B = (uint64_t)((PetscReal)((uint64_t)N - *total) / rate * 1.1) + 16 * (uint64_t)size;

    B = PetscMin(B, limit - *c0);
    PetscCall(CandidatesCount(c, *c0 + B * rank / size, *c0 + B * (rank + 1) / size, &mine));
    PetscCallMPI(MPI_Allgather(&mine, 1, MPIU_INT64, counts, 1, MPIU_INT64, comm));
    for (PetscMPIInt q = 0; q < size; q++) {
      if (*total <= (uint64_t)lo) {
        *start  = *c0 + B * q / size;
        *before = *total;
      }
      *total += (uint64_t)counts[q];
    }
    *c0 += B;
    rate = PetscMax((PetscReal)*total / (PetscReal)*c0, 1e-3);
  }
  PetscCall(PetscFree(counts));
  PetscFunctionReturn(0);
}

/* The first N accepted candidates, this rank's slice floor(N r/size) .. floor(N (r+1)/size) */
static PetscErrorCode PINNGeometrySample_Private(PINNGeometry g, PetscBool boundary, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N,
                                                 PetscInt *n, PetscReal **x, PetscReal **normal, PetscInt **tag)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)g);
  PetscMPIInt rank, size;
  PetscInt    range[2], nloc;
  PetscInt64  lo, hi, cnt;
  uint64_t    start = 0, before = 0, tried = 0, accepted = 0, j;
  Candidates  c;
  PetscBool   exact = boundary ? g->boundary_exact : g->interior_exact;
  PetscReal  *X = NULL, *Nr = NULL;
  PetscInt   *T = NULL;

  PetscFunctionBegin;
  PetscCheck(type >= PINN_SAMPLE_UNIFORM && type <= PINN_SAMPLE_HALTON, comm, PETSC_ERR_ARG_OUTOFRANGE, "Unknown sample type %d", (int)type);
  PetscCheck(N >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points N = %" PetscInt_FMT " must be nonnegative", N);
  range[0] = N;
  range[1] = -N;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, range, 2, MPIU_INT, MPI_MAX, comm));
  PetscCheck(range[0] == -range[1], comm, PETSC_ERR_ARG_INCOMP,
             "The number of points must be the same on all ranks: got %" PetscInt_FMT " to %" PetscInt_FMT, -range[1], range[0]);
  c.K = boundary ? g->kboundary : g->kinterior;
  PetscCheck(type == PINN_SAMPLE_UNIFORM || c.K <= PINN_QUASIRANDOM_MAXDIM, comm, PETSC_ERR_SUP,
             "%s sampling of the %s of this %s needs %" PetscInt_FMT
             "-dimensional points; the sequence is tabulated up to dimension %d (use uniform)",
             PINNSampleTypes[type], boundary ? "boundary" : "interior", ((PetscObject)g)->type_name, c.K, PINN_QUASIRANDOM_MAXDIM);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  lo   = (PetscInt64)N * rank / size;
  hi   = (PetscInt64)N * (rank + 1) / size;
  nloc = (PetscInt)(hi - lo);

  c.g        = g;
  c.boundary = boundary;
  c.type     = type;
  c.seed     = seed;
  c.stream   = stream;
  c.d        = g->dim;
  PetscCall(PetscMalloc5(GEOM_CHUNK * c.K, &c.u, GEOM_CHUNK * c.d, &c.x, GEOM_CHUNK * c.d, &c.nrm, GEOM_CHUNK, &c.tag, GEOM_CHUNK, &c.ok));
  if (exact) {
    start  = (uint64_t)lo;
    before = (uint64_t)lo;
  } else {
    PetscCall(CandidatesLocate(&c, comm, N, lo, &start, &before, &tried, &accepted));
    if (accepted < (uint64_t)N) PetscCall(PetscFree5(c.u, c.x, c.nrm, c.tag, c.ok));
    PetscCheck(accepted >= (uint64_t)N, comm, PETSC_ERR_ARG_WRONG,
               "Sampling the %s of a %s geometry: only %llu of the first %llu candidates were accepted and %" PetscInt_FMT
               " points are needed; the domain is empty or a tiny part of its bounding box",
               boundary ? "boundary" : "interior", ((PetscObject)g)->type_name, (unsigned long long)accepted, (unsigned long long)tried, N);
  }
  if (x) PetscCall(PetscMalloc1(nloc * g->dim, &X));
  if (normal) PetscCall(PetscMalloc1(nloc * g->dim, &Nr));
  if (tag) PetscCall(PetscMalloc1(nloc, &T));
  for (cnt = (PetscInt64)before, j = start; nloc > 0 && cnt < hi; j += GEOM_CHUNK) {
    const PetscInt m = exact ? (PetscInt)PetscMin(hi - cnt, GEOM_CHUNK) : GEOM_CHUNK;
    PetscCall(CandidatesEvaluate(&c, j, m));
    for (PetscInt i = 0; i < m && cnt < hi; i++) {
      if (!c.ok[i]) continue;
      if (cnt >= lo) {
        const PetscInt q = (PetscInt)(cnt - lo);
        if (X) PetscCall(PetscArraycpy(&X[q * c.d], &c.x[i * c.d], c.d));
        if (Nr) PetscCall(PetscArraycpy(&Nr[q * c.d], &c.nrm[i * c.d], c.d));
        if (T) T[q] = c.tag[i];
      }
      cnt++;
    }
  }
  PetscCall(PetscFree5(c.u, c.x, c.nrm, c.tag, c.ok));
  if (n) *n = nloc;
  if (x) *x = X;
  if (normal) *normal = Nr;
  if (tag) *tag = T;
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySampleInterior - Draws N points in the interior of the geometry, distributed over its
  communicator.

  Collective

  Input Parameters:
+ geom   - the geometry
. type   - PINN_SAMPLE_UNIFORM (Philox pseudo-random), PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON
. seed   - the seed (uniform only)
. stream - the stream (uniform only); sub-streams 16 stream + 0, 1, 2 are used for interior, boundary and initial points
- N      - the global number of points, the same on every rank; 0 is allowed

  Output Parameters:
+ n - the number of points on this rank, floor(N (r+1)/size) - floor(N r/size)
- x - the points, n x dim point-major, PetscMalloc'ed (free with PetscFree()); NULL when n = 0

  Notes:
  The global point set is the same for any number of ranks. Candidates are drawn uniformly in the
  bounding box (Philox numbers at indices j dim .. j dim + dim - 1, or point j+1 of the dim-dimensional
  Sobol or Halton sequence, which are unscrambled: seed and stream are ignored) and the first N inside
  the open domain are kept, in candidate order; boxes need no rejection. For space-time geometries
  the interior is the open space-time cylinder.

  Level: beginner

.seealso: PINNGeometrySampleBoundary(), PINNGeometrySampleInitial()
@*/
PetscErrorCode PINNGeometrySampleInterior(PINNGeometry geom, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                          PetscReal **x)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCall(PINNGeometrySample_Private(geom, PETSC_FALSE, type, seed, 16 * stream + 0, N, n, x, NULL, NULL));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySampleBoundary - Draws N points on the boundary, uniform in surface measure, with outward
  unit normals and part tags.

  Collective

  Input Parameters:
+ geom   - the geometry
. type   - PINN_SAMPLE_UNIFORM, PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON
. seed   - the seed (uniform only)
. stream - the stream (uniform only)
- N      - the global number of points, the same on every rank; 0 is allowed

  Output Parameters:
+ n      - the number of points on this rank
. x      - the points, n x dim, PetscMalloc'ed, or NULL if not wanted
. normal - outward unit normals, n x dim, PetscMalloc'ed, or NULL (space-time: time component 0)
- tag    - boundary part of each point (see PINNGeometryGetBoundaryParts()), PetscMalloc'ed, or NULL

  Notes:
  A candidate is a point of a parameterization of the boundary by measure using K numbers in [0,1):
  box faces are chosen by area with the first number, rescaled, as the first in-face coordinate (so
  in 2-D the boundary is one arc-length parameter); polygon edges by cumulative length (one number);
  circles by angle; spheres in 3-D by Archimedes' map; balls in higher dimensions by normalized
  Box-Muller vectors; CSG geometries pick an operand by the first number in proportion to the
  measures and reject candidates off the result; space-time adds t. Arrays are NULL when n = 0.

  Level: beginner

.seealso: PINNGeometrySampleInterior(), PINNGeometryGetBoundaryParts()
@*/
PetscErrorCode PINNGeometrySampleBoundary(PINNGeometry geom, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                          PetscReal **x, PetscReal **normal, PetscInt **tag)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCall(PINNGeometrySample_Private(geom, PETSC_TRUE, type, seed, 16 * stream + 1, N, n, x, normal, tag));
  PetscFunctionReturn(0);
}

/*@C
  PINNGeometrySampleInitial - Draws N points of the initial slice space x {t0} of a space-time geometry.

  Collective

  Input Parameters:
+ geom   - a space-time geometry
. type   - PINN_SAMPLE_UNIFORM, PINN_SAMPLE_SOBOL or PINN_SAMPLE_HALTON
. seed   - the seed (uniform only)
. stream - the stream (uniform only)
- N      - the global number of points; 0 is allowed

  Output Parameters:
+ n - the number of points on this rank
- x - the points, n x dim (the last coordinate is t0), PetscMalloc'ed; NULL when n = 0

  Notes:
  The spatial coordinates are interior points of the space (as PINNGeometrySampleInterior() draws them,
  from a separate uniform sub-stream).

  Level: beginner

.seealso: PINNGeometryCreateSpaceTime(), PINNGeometrySampleInterior()
@*/
PetscErrorCode PINNGeometrySampleInitial(PINNGeometry geom, PINNSampleType type, uint64_t seed, uint64_t stream, PetscInt N, PetscInt *n,
                                         PetscReal **x)
{
  PINNGeometry space;
  PetscReal    t0;
  PetscInt     ns, D;
  PetscReal   *xs = NULL, *X = NULL;
  PetscBool    isst;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(geom, PINNGEOMETRY_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)geom, PINNGEOMETRYSPACETIME, &isst));
  PetscCheck(isst, PetscObjectComm((PetscObject)geom), PETSC_ERR_ARG_WRONG,
             "PINNGeometrySampleInitial() needs a space-time geometry (PINNGeometryCreateSpaceTime()), this one is a %s",
             ((PetscObject)geom)->type_name);
  PetscCall(PINNGeometrySpaceTimeGetSpace_Private(geom, &space, &t0, NULL));
  D = geom->dim;
  PetscCall(PINNGeometrySample_Private(space, PETSC_FALSE, type, seed, 16 * stream + 2, N, &ns, &xs, NULL, NULL));
  if (x) {
    PetscCall(PetscMalloc1(ns * D, &X));
    for (PetscInt p = 0; p < ns; p++) {
      for (PetscInt k = 0; k < D - 1; k++) X[p * D + k] = xs[p * (D - 1) + k];
      X[p * D + D - 1] = t0;
    }
    *x = X;
  }
  PetscCall(PetscFree(xs));
  if (n) *n = ns;
  PetscFunctionReturn(0);
}

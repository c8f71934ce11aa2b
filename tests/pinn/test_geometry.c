/* PINNGeometry: membership of known points; sampled interior points inside and boundary points on
   the boundary with unit outward normals and consistent tags; the global point set independent of
   the number of ranks (bit for bit); sampling statistics; Sobol and Halton known values; Distance
   derivatives against finite differences; clear errors for bad input. Rank 0 prints summaries with
   fixed digits, so the output is the same at any rank count; the exit code is nonzero on failure. */
#include <nnpde.h>

static PetscInt nfail = 0;

/* collective: fails if ok is false on any rank */
static PetscErrorCode Expect(PetscBool ok, const char msg[])
{
  int mine = ok ? 1 : 0, all;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
  if (!all) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  FAILED: %s\n", msg));
    nfail++;
  }
  PetscFunctionReturn(0);
}

/* ---- the test geometries, with an independent description of each boundary part ---- */
typedef enum { PART_PLANE, PART_SPHERE, PART_SEGMENT } PartKind;
typedef struct {
  PartKind  kind;
  PetscInt  k;          /* plane x_k = val */
  PetscReal val, sign;  /* plane: normal sign e_k; sphere: normal sign (x - c)/r */
  PetscReal c[8], r;    /* sphere */
  PetscReal a[2], b[2]; /* segment and its outward normal */
  PetscReal n[2];
  PetscReal measure; /* length/area of the part that bounds the result */
} Part;

#define MAXPARTS 16
typedef struct {
  const char  *name;
  PINNGeometry g;
  PetscInt     dim, ds; /* all coordinates, spatial ones */
  PetscReal    t0, t1;  /* space-time only */
  PetscInt     nparts;
  Part         part[MAXPARTS];
} TestGeometry;

#define NGEOM 9

static void AddBoxParts(TestGeometry *t, PetscInt dim, const PetscReal lo[], const PetscReal hi[], const PetscReal measure[])
{
  for (PetscInt f = 0; f < 2 * dim; f++) {
    Part *p    = &t->part[t->nparts++];
    p->kind    = PART_PLANE;
    p->k       = f / 2;
    p->val     = f % 2 ? hi[f / 2] : lo[f / 2];
    p->sign    = f % 2 ? 1.0 : -1.0;
    p->measure = measure[f];
  }
}

static void AddSpherePart(TestGeometry *t, PetscInt dim, const PetscReal c[], PetscReal r, PetscReal sign, PetscReal measure)
{
  Part *p = &t->part[t->nparts++];
  p->kind = PART_SPHERE;
  for (PetscInt k = 0; k < dim; k++) p->c[k] = c[k];
  p->r       = r;
  p->sign    = sign;
  p->measure = measure;
}

static const PetscReal Lshape[12] = {0, 0, 1, 0, 1, -1, -1, -1, -1, 1, 0, 1};

static void AddLParts(TestGeometry *t)
{
  const PetscReal nrm[12] = {0, 1, 1, 0, 0, -1, -1, 0, 0, 1, 1, 0};
  for (PetscInt e = 0; e < 6; e++) {
    Part *p = &t->part[t->nparts++];
    p->kind = PART_SEGMENT;
    for (PetscInt k = 0; k < 2; k++) {
      p->a[k] = Lshape[2 * e + k];
      p->b[k] = Lshape[(2 * e + 2 + k) % 12];
      p->n[k] = nrm[2 * e + k];
    }
    p->measure = PetscSqrtReal(PetscSqr(p->b[0] - p->a[0]) + PetscSqr(p->b[1] - p->a[1]));
  }
}

static PetscErrorCode BuildGeometries(MPI_Comm comm, TestGeometry T[NGEOM])
{
  PINNGeometry a, b, c, d, e;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(T, NGEOM * sizeof(TestGeometry)));
  { /* PINNacle Poisson2d-C: [-0.5,0.5]^2 minus disks r = 0.1 at (+-0.3, +-0.3) */
    const PetscReal lo[2] = {-0.5, -0.5}, hi[2] = {0.5, 0.5}, cs[8] = {0.3, 0.3, -0.3, 0.3, -0.3, -0.3, 0.3, -0.3}, m[4] = {1, 1, 1, 1};
    PetscCall(PINNGeometryCreateBox(comm, 2, lo, hi, &a));
    PetscCall(PINNGeometryCreateBall(comm, 2, &cs[0], 0.1, &b));
    PetscCall(PINNGeometryCreateBall(comm, 2, &cs[2], 0.1, &c));
    PetscCall(PINNGeometryCreateUnion(b, c, &d));
    PetscCall(PINNGeometryDestroy(&b));
    PetscCall(PINNGeometryDestroy(&c));
    PetscCall(PINNGeometryCreateBall(comm, 2, &cs[4], 0.1, &b));
    PetscCall(PINNGeometryCreateUnion(d, b, &e));
    PetscCall(PINNGeometryDestroy(&b));
    PetscCall(PINNGeometryDestroy(&d));
    PetscCall(PINNGeometryCreateBall(comm, 2, &cs[6], 0.1, &b));
    PetscCall(PINNGeometryCreateUnion(e, b, &d));
    PetscCall(PINNGeometryDestroy(&b));
    PetscCall(PINNGeometryDestroy(&e));
    PetscCall(PINNGeometryCreateDifference(a, d, &T[0].g));
    PetscCall(PINNGeometryDestroy(&a));
    PetscCall(PINNGeometryDestroy(&d));
    T[0].name = "square minus 4 disks";
    T[0].dim = T[0].ds = 2;
    AddBoxParts(&T[0], 2, lo, hi, m);
    for (PetscInt i = 0; i < 4; i++) AddSpherePart(&T[0], 2, &cs[2 * i], 0.1, -1.0, 2 * PETSC_PI * 0.1);
  }
  /* DeepXDE's L-shape (clockwise) */
  PetscCall(PINNGeometryCreatePolygon(comm, 6, Lshape, &T[1].g));
  T[1].name = "L-shape polygon";
  T[1].dim = T[1].ds = 2;
  AddLParts(&T[1]);
  { /* [-1,1]^2 union disk((1,0), 0.5): the face x=1 loses |y| < 0.5, the disk keeps its right half */
    const PetscReal lo[2] = {-1, -1}, hi[2] = {1, 1}, cc[2] = {1, 0}, m[4] = {2, 1, 2, 2};
    PetscCall(PINNGeometryCreateBox(comm, 2, lo, hi, &a));
    PetscCall(PINNGeometryCreateBall(comm, 2, cc, 0.5, &b));
    PetscCall(PINNGeometryCreateUnion(a, b, &T[2].g));
    PetscCall(PINNGeometryDestroy(&a));
    PetscCall(PINNGeometryDestroy(&b));
    T[2].name = "square union disk";
    T[2].dim = T[2].ds = 2;
    AddBoxParts(&T[2], 2, lo, hi, m);
    AddSpherePart(&T[2], 2, cc, 0.5, 1.0, PETSC_PI * 0.5);
  }
  { /* [0,1]^2 union [0.5,1.5]x[0,1]: coincident faces y=0 and y=1 for x in [0.5,1] are kept once */
    const PetscReal lo1[2] = {0, 0}, hi1[2] = {1, 1}, lo2[2] = {0.5, 0}, hi2[2] = {1.5, 1}, m1[4] = {1, 0, 1, 1}, m2[4] = {0, 1, 0.5, 0.5};
    PetscCall(PINNGeometryCreateBox(comm, 2, lo1, hi1, &a));
    PetscCall(PINNGeometryCreateBox(comm, 2, lo2, hi2, &b));
    PetscCall(PINNGeometryCreateUnion(a, b, &T[3].g));
    PetscCall(PINNGeometryDestroy(&a));
    PetscCall(PINNGeometryDestroy(&b));
    T[3].name = "overlapping squares union";
    T[3].dim = T[3].ds = 2;
    AddBoxParts(&T[3], 2, lo1, hi1, m1);
    AddBoxParts(&T[3], 2, lo2, hi2, m2);
  }
  { /* ball in 3-D */
    const PetscReal cc[3] = {0.1, -0.2, 0.3};
    PetscCall(PINNGeometryCreateBall(comm, 3, cc, 0.7, &T[4].g));
    T[4].name = "ball 3-D";
    T[4].dim = T[4].ds = 3;
    AddSpherePart(&T[4], 3, cc, 0.7, 1.0, 4 * PETSC_PI * 0.49);
  }
  { /* unit ball in 5-D (Box-Muller boundary) */
    const PetscReal cc[5] = {0, 0, 0, 0, 0};
    PetscCall(PINNGeometryCreateBall(comm, 5, cc, 1.0, &T[5].g));
    T[5].name = "ball 5-D";
    T[5].dim = T[5].ds = 5;
    AddSpherePart(&T[5], 5, cc, 1.0, 1.0, 1.0);
  }
  /* L-shape x [0, 2] */
  PetscCall(PINNGeometryCreatePolygon(comm, 6, Lshape, &a));
  PetscCall(PINNGeometryCreateSpaceTime(a, 0.0, 2.0, &T[6].g));
  PetscCall(PINNGeometryDestroy(&a));
  T[6].name = "L-shape x [0,2]";
  T[6].dim  = 3;
  T[6].ds   = 2;
  T[6].t0   = 0;
  T[6].t1   = 2;
  AddLParts(&T[6]);
  { /* box in 3-D */
    const PetscReal lo[3] = {-0.5, 0, 1}, hi[3] = {0.5, 2, 1.5}, m[6] = {1, 1, 0.5, 0.5, 2, 2};
    PetscCall(PINNGeometryCreateBox(comm, 3, lo, hi, &T[7].g));
    T[7].name = "box 3-D";
    T[7].dim = T[7].ds = 3;
    AddBoxParts(&T[7], 3, lo, hi, m);
  }
  { /* [0,1]^2 minus disk((1,1), 0.5), which sticks out: a quarter disk is removed */
    const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1}, cc[2] = {1, 1}, m[4] = {1, 0.5, 1, 0.5};
    PetscCall(PINNGeometryCreateBox(comm, 2, lo, hi, &a));
    PetscCall(PINNGeometryCreateBall(comm, 2, cc, 0.5, &b));
    PetscCall(PINNGeometryCreateDifference(a, b, &T[8].g));
    PetscCall(PINNGeometryDestroy(&a));
    PetscCall(PINNGeometryDestroy(&b));
    T[8].name = "square minus corner disk";
    T[8].dim = T[8].ds = 2;
    AddBoxParts(&T[8], 2, lo, hi, m);
    AddSpherePart(&T[8], 2, cc, 0.5, -1.0, 0.25 * PETSC_PI);
  }
  for (PetscInt i = 0; i < NGEOM; i++) {
    PetscInt nparts, dim;
    PetscCall(PINNGeometryGetBoundaryParts(T[i].g, &nparts, NULL));
    PetscCall(PINNGeometryGetDimension(T[i].g, &dim));
    PetscCheck(nparts == T[i].nparts && dim == T[i].dim, comm, PETSC_ERR_PLIB,
               "%s: %" PetscInt_FMT " parts in %" PetscInt_FMT "-D, expected %" PetscInt_FMT " in %" PetscInt_FMT "-D", T[i].name, nparts, dim,
               T[i].nparts, T[i].dim);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyGeometries(TestGeometry T[NGEOM])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < NGEOM; i++) PetscCall(PINNGeometryDestroy(&T[i].g));
  PetscFunctionReturn(0);
}

/* distance of x to part p and the analytic outward normal there */
static PetscReal PartResidual(const Part *p, PetscInt ds, const PetscReal x[], PetscReal n[])
{
  switch (p->kind) {
  case PART_PLANE:
    for (PetscInt k = 0; k < ds; k++) n[k] = k == p->k ? p->sign : 0;
    return PetscAbsReal(x[p->k] - p->val);
  case PART_SPHERE: {
    PetscReal s = 0;
    for (PetscInt k = 0; k < ds; k++) s += PetscSqr(x[k] - p->c[k]);
    s = PetscSqrtReal(s);
    for (PetscInt k = 0; k < ds; k++) n[k] = p->sign * (x[k] - p->c[k]) / s;
    return PetscAbsReal(s - p->r);
  }
  default: {
    const PetscReal dx = p->b[0] - p->a[0], dy = p->b[1] - p->a[1];
    PetscReal       t = ((x[0] - p->a[0]) * dx + (x[1] - p->a[1]) * dy) / (dx * dx + dy * dy);
    if (t < 0 || t > 1) return PETSC_MAX_REAL;
    n[0] = p->n[0];
    n[1] = p->n[1];
    return PetscSqrtReal(PetscSqr(x[0] - p->a[0] - t * dx) + PetscSqr(x[1] - p->a[1] - t * dy));
  }
  }
}

/* ---- (1) membership of known points ---- */
static PetscErrorCode TestContains(TestGeometry T[])
{
  struct {
    PetscInt  g;
    PetscReal x[3];
    PetscBool in;
  } pts[] = {
      {0, {0, 0}, PETSC_TRUE},
      {0, {0.3, 0.3}, PETSC_FALSE},
      {0, {0.3, 0.4}, PETSC_TRUE},
      {0, {0.3, 0.35}, PETSC_FALSE},
      {0, {-0.3, -0.25}, PETSC_FALSE},
      {0, {0.5, 0}, PETSC_TRUE},
      {0, {0.6, 0}, PETSC_FALSE},
      {0, {0.45, 0.45}, PETSC_TRUE},
      {0, {-0.5, -0.5}, PETSC_TRUE},
      {1, {0.5, -0.5}, PETSC_TRUE},
      {1, {0.5, 0.5}, PETSC_FALSE},
      {1, {-0.5, 0.5}, PETSC_TRUE},
      {1, {0, 0}, PETSC_TRUE},
      {1, {0.5, 0}, PETSC_TRUE},
      {1, {0.25, 1e-3}, PETSC_FALSE},
      {1, {-1, -1}, PETSC_TRUE},
      {1, {-1.0001, 0}, PETSC_FALSE},
      {1, {1e-3, 0.5}, PETSC_FALSE},
      {2, {1.3, 0}, PETSC_TRUE},
      {2, {1.3, 0.45}, PETSC_FALSE},
      {2, {0, 0.99}, PETSC_TRUE},
      {2, {1.5, 0}, PETSC_TRUE},
      {2, {1.01, 0.6}, PETSC_FALSE},
      {3, {1.2, 0.5}, PETSC_TRUE},
      {3, {1.6, 0.5}, PETSC_FALSE},
      {3, {0.75, 0}, PETSC_TRUE},
      {4, {0.1, -0.2, 0.3}, PETSC_TRUE},
      {4, {0.8, -0.2, 0.3}, PETSC_TRUE},
      {4, {0.81, -0.2, 0.3}, PETSC_FALSE},
      {6, {0.5, -0.5, 1}, PETSC_TRUE},
      {6, {0.5, -0.5, 2.5}, PETSC_FALSE},
      {6, {0.5, 0.5, 1}, PETSC_FALSE},
      {6, {-0.5, 0.5, 0}, PETSC_TRUE},
      {8, {0.9, 0.9}, PETSC_FALSE},
      {8, {0.4, 0.9}, PETSC_TRUE},
      {8, {0.5, 1}, PETSC_TRUE},
  };
  const PetscInt np  = (PetscInt)(sizeof(pts) / sizeof(pts[0]));
  PetscInt       bad = 0;
  char           msg[256];

  PetscFunctionBegin;
  for (PetscInt i = 0; i < np; i++) {
    PetscBool in;
    PetscCall(PINNGeometryContains(T[pts[i].g].g, 1, pts[i].x, &in));
    if (in != pts[i].in) {
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: point (%g, %g, %g) should be %s", T[pts[i].g].name, (double)pts[i].x[0], (double)pts[i].x[1],
                              (double)pts[i].x[2], pts[i].in ? "inside" : "outside"));
      PetscCall(Expect(PETSC_FALSE, msg));
      bad++;
    }
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(1) Contains: %" PetscInt_FMT " of %" PetscInt_FMT " known points classified correctly\n", np - bad, np));
  PetscFunctionReturn(0);
}

/* ---- (2) interior points inside, boundary points on the boundary with unit outward normals ---- */
static PetscErrorCode TestSamples(TestGeometry T[])
{
  const PetscInt N = 1000;
  char           msg[256];

  PetscFunctionBegin;
  for (PetscInt t = 0; t < 3; t++) {
    PetscReal worst_res = 0, worst_n = 0;
    for (PetscInt i = 0; i < NGEOM; i++) {
      TestGeometry  *G = &T[i];
      const PetscInt D = G->dim;
      PetscInt       n, *tag;
      PetscReal     *x, *nrm, *y;
      PetscBool     *in, ok = PETSC_TRUE, okn = PETSC_TRUE, oktag = PETSC_TRUE, okside = PETSC_TRUE;

      PetscCall(PINNGeometrySampleInterior(G->g, (PINNSampleType)t, 11, 3, N, &n, &x));
      PetscCall(PetscMalloc2(n, &in, 2 * n * D, &y));
      PetscCall(PINNGeometryContains(G->g, n, x, in));
      for (PetscInt p = 0; p < n; p++) {
        if (!in[p]) ok = PETSC_FALSE;
        if (G->dim > G->ds && !(x[p * D + D - 1] > G->t0 && x[p * D + D - 1] < G->t1)) ok = PETSC_FALSE;
      }
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s, %s: interior points outside the domain", G->name, PINNSampleTypes[t]));
      PetscCall(Expect(ok, msg));
      PetscCall(PetscFree2(in, y));
      PetscCall(PetscFree(x));

      PetscCall(PINNGeometrySampleBoundary(G->g, (PINNSampleType)t, 11, 3, N, &n, &x, &nrm, &tag));
      PetscCall(PetscMalloc2(3 * n, &in, 3 * n * D, &y));
      for (PetscInt p = 0; p < n; p++) {
        PetscReal ne[8] = {0}, res, nn = 0, dn = 0;
        if (tag[p] < 0 || tag[p] >= G->nparts) {
          oktag = PETSC_FALSE;
          continue;
        }
        res = PartResidual(&G->part[tag[p]], G->ds, &x[p * D], ne);
        for (PetscInt k = 0; k < D; k++) nn += PetscSqr(nrm[p * D + k]);
        for (PetscInt k = 0; k < G->ds; k++) dn = PetscMax(dn, PetscAbsReal(nrm[p * D + k] - ne[k]));
        if (D > G->ds) {
          dn = PetscMax(dn, PetscAbsReal(nrm[p * D + D - 1]));
          if (!(x[p * D + D - 1] >= G->t0 && x[p * D + D - 1] <= G->t1)) oktag = PETSC_FALSE;
        }
        worst_res = PetscMax(worst_res, res);
        worst_n   = PetscMax(worst_n, PetscMax(dn, PetscAbsReal(nn - 1)));
        if (!(res < 1e-12)) ok = PETSC_FALSE;
        if (!(dn < 1e-12 && PetscAbsReal(nn - 1) < 1e-13)) okn = PETSC_FALSE;
        for (PetscInt k = 0; k < D; k++) { /* x, x + h n (outside), x - h n (inside) */
          y[(3 * p) * D + k]     = x[p * D + k];
          y[(3 * p + 1) * D + k] = x[p * D + k] + 1e-7 * nrm[p * D + k];
          y[(3 * p + 2) * D + k] = x[p * D + k] - 1e-7 * nrm[p * D + k];
        }
      }
      PetscCall(PINNGeometryContains(G->g, 3 * n, y, in));
      for (PetscInt p = 0; p < n; p++)
        if (!in[3 * p] || in[3 * p + 1] || !in[3 * p + 2]) okside = PETSC_FALSE;
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s, %s: boundary points off their tagged part (worst distance %g)", G->name, PINNSampleTypes[t],
                              (double)worst_res));
      PetscCall(Expect(ok, msg));
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s, %s: normals not unit or not the analytic outward normal", G->name, PINNSampleTypes[t]));
      PetscCall(Expect(okn, msg));
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s, %s: tags out of range or time outside [t0, t1]", G->name, PINNSampleTypes[t]));
      PetscCall(Expect(oktag, msg));
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s, %s: x + h n should be outside and x - h n inside the domain", G->name, PINNSampleTypes[t]));
      PetscCall(Expect(okside, msg));
      PetscCall(PetscFree2(in, y));
      PetscCall(PetscFree(x));
      PetscCall(PetscFree(nrm));
      PetscCall(PetscFree(tag));
    }
    PetscCall(MPI_Allreduce(MPI_IN_PLACE, &worst_res, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
    PetscCall(MPI_Allreduce(MPI_IN_PLACE, &worst_n, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "(2) %-7s: interior points inside, boundary points within %s of their part, normals within %s of the analytic ones\n",
                          PINNSampleTypes[t], worst_res < 1e-12 ? "1e-12" : "MORE THAN 1e-12", worst_n < 1e-12 ? "1e-12" : "MORE THAN 1e-12"));
  }
  { /* the initial slice of a space-time geometry */
    PetscInt   n;
    PetscReal *x;
    PetscBool  ok = PETSC_TRUE, in;
    PetscCall(PINNGeometrySampleInitial(T[6].g, PINN_SAMPLE_SOBOL, 1, 0, 500, &n, &x));
    for (PetscInt p = 0; p < n; p++) {
      PetscCall(PINNGeometryContains(T[1].g, 1, &x[3 * p], &in));
      if (!in || x[3 * p + 2] != 0.0) ok = PETSC_FALSE;
    }
    PetscCall(Expect(ok, "initial slice points not in L x {0}"));
    PetscCall(PetscFree(x));
    PetscCall(PINNGeometrySampleInterior(T[0].g, PINN_SAMPLE_UNIFORM, 1, 0, 0, &n, &x));
    PetscCall(Expect((PetscBool)(n == 0 && !x), "N = 0 should give n = 0 and x = NULL"));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(2) initial slice of L x [0,2] in L x {0}; N = 0 gives no points\n"));
  }
  PetscFunctionReturn(0);
}

/* ---- (3) the gathered slices equal the serial draw, bit for bit ---- */
static PetscErrorCode Gather(PetscInt N, PetscInt n, PetscInt w, const void *mine, MPI_Datatype type, size_t sz, void **all)
{
  PetscMPIInt size, *counts, *displs, nn = (PetscMPIInt)(n * w);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCall(PetscMalloc(sz * (size_t)(N * w + 1), all));
  for (PetscMPIInt q = 0; q < size; q++) {
    displs[q] = (PetscMPIInt)((PetscInt64)N * q / size * w);
    counts[q] = (PetscMPIInt)(((PetscInt64)N * (q + 1) / size - (PetscInt64)N * q / size) * w);
  }
  PetscCallMPI(MPI_Allgatherv(mine, nn, type, *all, counts, displs, type, PETSC_COMM_WORLD));
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestRankIndependence(TestGeometry W[], TestGeometry S[])
{
  const PetscInt N = 1001;
  PetscMPIInt    size, rank;
  PetscInt       ncmp = 0;
  char           msg[256];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  for (PetscInt t = 0; t < 3; t++) {
    for (PetscInt i = 0; i < NGEOM; i++) {
      const PetscInt D = W[i].dim;
      PetscInt       n, ns, *tag, *stag;
      PetscReal     *x, *sx, *nrm, *snrm;
      void          *ax, *an, *at;
      PetscBool      same;

      PetscCall(PINNGeometrySampleInterior(W[i].g, (PINNSampleType)t, 5, 7, N, &n, &x));
      PetscCall(PINNGeometrySampleInterior(S[i].g, (PINNSampleType)t, 5, 7, N, &ns, &sx));
      PetscCall(Gather(N, n, D, x, MPIU_REAL, sizeof(PetscReal), &ax));
      same = (PetscBool)(ns == N && n == (PetscInt)((PetscInt64)N * (rank + 1) / size - (PetscInt64)N * rank / size) &&
                         !memcmp(ax, sx, sizeof(PetscReal) * N * D));
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s, %s: interior points depend on the number of ranks", W[i].name, PINNSampleTypes[t]));
      PetscCall(Expect(same, msg));
      PetscCall(PetscFree(ax));
      PetscCall(PetscFree(x));
      PetscCall(PetscFree(sx));

      PetscCall(PINNGeometrySampleBoundary(W[i].g, (PINNSampleType)t, 5, 7, N, &n, &x, &nrm, &tag));
      PetscCall(PINNGeometrySampleBoundary(S[i].g, (PINNSampleType)t, 5, 7, N, &ns, &sx, &snrm, &stag));
      PetscCall(Gather(N, n, D, x, MPIU_REAL, sizeof(PetscReal), &ax));
      PetscCall(Gather(N, n, D, nrm, MPIU_REAL, sizeof(PetscReal), &an));
      PetscCall(Gather(N, n, 1, tag, MPIU_INT, sizeof(PetscInt), &at));
      same = (PetscBool)(ns == N && !memcmp(ax, sx, sizeof(PetscReal) * N * D) && !memcmp(an, snrm, sizeof(PetscReal) * N * D) &&
                         !memcmp(at, stag, sizeof(PetscInt) * N));
      PetscCall(
          PetscSNPrintf(msg, sizeof(msg), "%s, %s: boundary points, normals or tags depend on the number of ranks", W[i].name, PINNSampleTypes[t]));
      PetscCall(Expect(same, msg));
      PetscCall(PetscFree(ax));
      PetscCall(PetscFree(an));
      PetscCall(PetscFree(at));
      PetscCall(PetscFree(x));
      PetscCall(PetscFree(nrm));
      PetscCall(PetscFree(tag));
      PetscCall(PetscFree(sx));
      PetscCall(PetscFree(snrm));
      PetscCall(PetscFree(stag));
      ncmp += 2;
    }
  }
  { /* initial slices */
    PetscInt   n, ns;
    PetscReal *x, *sx;
    void      *ax;
    PetscCall(PINNGeometrySampleInitial(W[6].g, PINN_SAMPLE_UNIFORM, 5, 7, N, &n, &x));
    PetscCall(PINNGeometrySampleInitial(S[6].g, PINN_SAMPLE_UNIFORM, 5, 7, N, &ns, &sx));
    PetscCall(Gather(N, n, 3, x, MPIU_REAL, sizeof(PetscReal), &ax));
    PetscCall(Expect((PetscBool)(ns == N && !memcmp(ax, sx, sizeof(PetscReal) * N * 3)), "initial slice depends on the number of ranks"));
    PetscCall(PetscFree(ax));
    PetscCall(PetscFree(x));
    PetscCall(PetscFree(sx));
    ncmp++;
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "(3) %" PetscInt_FMT " point sets (9 geometries x 3 types x interior/boundary, + initial) of %" PetscInt_FMT
                        " points: gathered slices identical to the serial draw\n",
                        ncmp, N));
  PetscFunctionReturn(0);
}

/* ---- (4) statistics ---- */
/* |observed - expected| within 5 standard errors (uniform) or within tol (quasi-random) */
static PetscErrorCode ExpectFraction(PINNSampleType t, const char what[], PetscReal count, PetscInt N, PetscReal p, PetscReal qtol)
{
  const PetscReal frac = count / N, se = PetscSqrtReal(p * (1 - p) / N), tol = t == PINN_SAMPLE_UNIFORM ? 5 * se + 1e-12 : qtol;
  char            msg[256];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s (%s): fraction %.4f, expected %.4f +- %.4f", what, PINNSampleTypes[t], (double)frac, (double)p,
                          (double)tol));
  PetscCall(Expect((PetscBool)(PetscAbsReal(frac - p) <= tol), msg));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestStatistics(TestGeometry T[])
{
  PetscFunctionBegin;
  for (PetscInt t = 0; t < 3; t++) {
    const PINNSampleType type = (PINNSampleType)t;
    const PetscInt       N    = t == 0 ? 20000 : 4096;
    PetscInt             n, *tag;
    PetscReal           *x, *nrm, c[4];
    PINNGeometry         box;
    const PetscReal      lo[2] = {-1, -1}, hi[2] = {1, 1};

    /* L-shape: area fraction of its bounding box, by Contains on points of the box */
    PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &box));
    PetscCall(PINNGeometrySampleInterior(box, type, 2, 0, N, &n, &x));
    c[0] = 0;
    for (PetscInt p = 0; p < n; p++) {
      PetscBool in;
      PetscCall(PINNGeometryContains(T[1].g, 1, &x[2 * p], &in));
      c[0] += in;
    }
    PetscCall(MPI_Allreduce(MPI_IN_PLACE, c, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(ExpectFraction(type, "L-shape area / bounding box", c[0], N, 0.75, 0.01));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(4) %-7s: L-shape area fraction of its bounding box %.4f (exact 0.75)\n", PINNSampleTypes[t],
                          (double)(c[0] / N)));
    PetscCall(PetscFree(x));
    PetscCall(PINNGeometryDestroy(&box));

    /* interior uniformity: L-shape upper-left quadrant holds 1/3, each quadrant of the square minus disks 1/4,
       the inner half-radius ball 1/8 of the 3-D ball */
    PetscCall(PINNGeometrySampleInterior(T[1].g, type, 2, 1, N, &n, &x));
    c[0] = 0;
    for (PetscInt p = 0; p < n; p++) c[0] += (x[2 * p] < 0 && x[2 * p + 1] > 0);
    PetscCall(MPI_Allreduce(MPI_IN_PLACE, c, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(ExpectFraction(type, "L-shape interior, quadrant x<0<y", c[0], N, 1.0 / 3, 0.01));
    PetscCall(PetscFree(x));
    PetscCall(PINNGeometrySampleInterior(T[0].g, type, 2, 1, N, &n, &x));
    c[0] = c[1] = c[2] = c[3] = 0;
    for (PetscInt p = 0; p < n; p++) c[(x[2 * p] > 0) + 2 * (x[2 * p + 1] > 0)] += 1;
    PetscCall(MPI_Allreduce(MPI_IN_PLACE, c, 4, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    for (PetscInt q = 0; q < 4; q++) PetscCall(ExpectFraction(type, "square minus disks, quadrant", c[q], N, 0.25, 0.01));
    PetscCall(PetscFree(x));
    PetscCall(PINNGeometrySampleInterior(T[4].g, type, 2, 1, N, &n, &x));
    c[0] = 0;
    for (PetscInt p = 0; p < n; p++)
      c[0] += (PetscSqr(x[3 * p] - 0.1) + PetscSqr(x[3 * p + 1] + 0.2) + PetscSqr(x[3 * p + 2] - 0.3) < PetscSqr(0.35));
    PetscCall(MPI_Allreduce(MPI_IN_PLACE, c, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(ExpectFraction(type, "3-D ball, inner half radius", c[0], N, 0.125, 0.01));
    PetscCall(PetscFree(x));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(4) %-7s: interior quadrant/shell fractions within bounds\n", PINNSampleTypes[t]));

    /* boundary points per part in proportion to the part's measure */
    for (PetscInt i = 0; i < NGEOM; i++) {
      PetscReal cnt[MAXPARTS] = {0}, total = 0;
      char      what[128];
      if (i == 5) continue;
      for (PetscInt j = 0; j < T[i].nparts; j++) total += T[i].part[j].measure;
      PetscCall(PINNGeometrySampleBoundary(T[i].g, type, 2, 2, N, &n, NULL, NULL, &tag));
      for (PetscInt p = 0; p < n; p++) cnt[tag[p]] += 1;
      PetscCall(MPI_Allreduce(MPI_IN_PLACE, cnt, (PetscMPIInt)T[i].nparts, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
      for (PetscInt j = 0; j < T[i].nparts; j++) {
        PetscCall(PetscSNPrintf(what, sizeof(what), "%s, boundary part %" PetscInt_FMT, T[i].name, j));
        PetscCall(ExpectFraction(type, what, cnt[j], N, T[i].part[j].measure / total, 0.01));
      }
      PetscCall(PetscFree(tag));
    }
    PetscCall(
        PetscPrintf(PETSC_COMM_WORLD, "(4) %-7s: boundary points per part proportional to the part measures (8 geometries)\n", PINNSampleTypes[t]));

    /* uniform on spheres: mean normal ~ 0, mean n_z^2 ~ 1/3 (3-D), n_0^2 ~ 1/5 (5-D) */
    for (PetscInt i = 4; i <= 5; i++) {
      const PetscInt  D  = T[i].dim;
      const PetscReal m2 = 1.0 / D, var2 = 3.0 / (D * (D + 2)) - m2 * m2;
      PetscReal       s[2] = {0, 0}, tol1, tol2;
      char            msg[256];
      PetscCall(PINNGeometrySampleBoundary(T[i].g, type, 2, 3, N, &n, NULL, &nrm, NULL));
      for (PetscInt p = 0; p < n; p++) {
        s[0] += nrm[p * D + D - 1];
        s[1] += PetscSqr(nrm[p * D + D - 1]);
      }
      PetscCall(MPI_Allreduce(MPI_IN_PLACE, s, 2, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
      tol1 = t == 0 ? 5 * PetscSqrtReal(m2 / N) : 0.01;
      tol2 = t == 0 ? 5 * PetscSqrtReal(var2 / N) : 0.01;
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s (%s): mean normal component %.4f, mean square %.4f (expected 0 and %.4f)", T[i].name,
                              PINNSampleTypes[t], (double)(s[0] / N), (double)(s[1] / N), (double)m2));
      PetscCall(Expect((PetscBool)(PetscAbsReal(s[0] / N) < tol1 && PetscAbsReal(s[1] / N - m2) < tol2), msg));
      PetscCall(PetscFree(nrm));
    }
  }
  PetscFunctionReturn(0);
}

/* ---- (5) Sobol and Halton known values ---- */
static PetscErrorCode TestKnownValues(void)
{
  /* The first points after the origin of the Sobol sequence with Joe-Kuo direction numbers (Gray-code
     order, as Joe and Kuo's generator and scipy.stats.qmc.Sobol(d, scramble=False) list them) */
  const PetscReal sobol2[16]       = {0.5, 0.5, 0.75, 0.25, 0.25, 0.75, 0.375, 0.375, 0.875, 0.875, 0.625, 0.125, 0.125, 0.625, 0.1875, 0.3125};
  const PetscReal sobol10_100[10]  = {0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125, 0.7421875, 0.0234375, 0.4765625, 0.6328125, 0.6953125};
  const PetscReal sobol10_1000[10] = {0.2197265625, 0.0966796875, 0.5185546875, 0.6767578125, 0.2802734375,
                                      0.9072265625, 0.0458984375, 0.8994140625, 0.5009765625, 0.0693359375};
  /* Halton: radical inverses of 1..5 in bases 2, 3, 5, by hand */
  const PetscReal halton3[15] = {1. / 2, 1. / 3, 1. / 5, 1. / 4, 2. / 3, 2. / 5, 3. / 4, 1. / 9,
                                 3. / 5, 1. / 8, 4. / 9, 4. / 5, 5. / 8, 7. / 9, 1. / 25};
  const PetscReal lo[10] = {0}, hi[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  PINNGeometry    g;
  PetscInt        n;
  PetscReal      *x, err = 0;
  PetscBool       ok;

  PetscFunctionBegin;
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_SELF, 2, lo, hi, &g));
  PetscCall(PINNGeometrySampleInterior(g, PINN_SAMPLE_SOBOL, 0, 0, 8, &n, &x));
  ok = (PetscBool)(n == 8 && !memcmp(x, sobol2, sizeof(sobol2)));
  PetscCall(Expect(ok, "Sobol 2-D: first 8 points differ from the published ones"));
  PetscCall(PetscFree(x));
  PetscCall(PINNGeometryDestroy(&g));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_SELF, 10, lo, hi, &g));
  PetscCall(PINNGeometrySampleInterior(g, PINN_SAMPLE_SOBOL, 0, 0, 1000, &n, &x));
  ok = (PetscBool)(!memcmp(&x[99 * 10], sobol10_100, sizeof(sobol10_100)) && !memcmp(&x[999 * 10], sobol10_1000, sizeof(sobol10_1000)));
  PetscCall(Expect(ok, "Sobol 10-D: points 100 and 1000 differ from the reference values"));
  PetscCall(PetscFree(x));
  PetscCall(PINNGeometrySampleInterior(g, PINN_SAMPLE_HALTON, 0, 0, 30, &n, &x));
  /* point 30 = 11110_2 = 1010_3 = 11_29: 15/32, 10/81, ..., 30/841 */
  err = PetscMax(PetscMax(PetscAbsReal(x[29 * 10 + 0] - 15.0 / 32), PetscAbsReal(x[29 * 10 + 1] - 10.0 / 81)),
                 PetscAbsReal(x[29 * 10 + 9] - 30.0 / 841));
  PetscCall(PetscFree(x));
  PetscCall(PINNGeometryDestroy(&g));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_SELF, 3, lo, hi, &g));
  PetscCall(PINNGeometrySampleInterior(g, PINN_SAMPLE_HALTON, 0, 0, 5, &n, &x));
  for (PetscInt i = 0; i < 15; i++) err = PetscMax(err, PetscAbsReal(x[i] - halton3[i]));
  PetscCall(Expect((PetscBool)(err < 1e-15), "Halton: values differ from the radical inverses"));
  PetscCall(PetscFree(x));
  PetscCall(PINNGeometryDestroy(&g));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "(5) Sobol 2-D first 8 points and 10-D points 100, 1000 exact; Halton 3-D first 5 and 10-D point 30 within 1e-15\n"));
  PetscFunctionReturn(0);
}

/* ---- (6) Distance: derivatives up to third order against central differences ---- */
static PetscErrorCode TestDistance(TestGeometry S[])
{
  PINNGeometry g[4], sp;
  const char  *names[4] = {"box 3-D", "ball 3-D", "box 2-D x [0,1]", "disk x [0,1]"};
  PetscReal    worst    = 0;
  char         msg[256];

  PetscFunctionBegin;
  g[0] = S[7].g;
  g[1] = S[4].g;
  {
    const PetscReal lo[2] = {0, -1}, hi[2] = {1, 2}, c[2] = {0.2, -0.1};
    PetscCall(PINNGeometryCreateBox(PETSC_COMM_SELF, 2, lo, hi, &sp));
    PetscCall(PINNGeometryCreateSpaceTime(sp, 0, 1, &g[2]));
    PetscCall(PINNGeometryDestroy(&sp));
    PetscCall(PINNGeometryCreateBall(PETSC_COMM_SELF, 2, c, 0.8, &sp));
    PetscCall(PINNGeometryCreateSpaceTime(sp, 0, 1, &g[3]));
    PetscCall(PINNGeometryDestroy(&sp));
  }
  for (PetscInt i = 0; i < 4; i++) {
    const PetscReal h = 1e-5;
    PetscInt        d, n, J, J2, nb;
    PetscReal      *x, *phi, *pp, *pm, *phi2, *xb, xs[3], err = 0, bmax = 0;

    PetscCall(PINNGeometryGetDimension(g[i], &d));
    J  = 1 + d + d * d + d * d * d;
    J2 = 1 + d + d * d;
    PetscCall(PINNGeometrySampleInterior(g[i], PINN_SAMPLE_UNIFORM, 9, 9, 5, &n, &x));
    PetscCall(PetscMalloc4(n * J, &phi, J, &pp, J, &pm, n * J2, &phi2));
    PetscCall(PINNGeometryDistance(g[i], n, x, 3, phi));
    PetscCall(PINNGeometryDistance(g[i], n, x, 2, phi2));
    for (PetscInt p = 0; p < n; p++) {
      const PetscReal *F = &phi[p * J];
      if (!(F[0] > 0)) err = 1;
      for (PetscInt t = 0; t < J2; t++) err = PetscMax(err, PetscAbsReal(phi2[p * J2 + t] - F[t]));
      for (PetscInt m = 0; m < d; m++) {
        for (PetscInt k = 0; k < d; k++) xs[k] = x[p * d + k] + (k == m ? h : 0);
        PetscCall(PINNGeometryDistance(g[i], 1, xs, 3, pp));
        for (PetscInt k = 0; k < d; k++) xs[k] = x[p * d + k] - (k == m ? h : 0);
        PetscCall(PINNGeometryDistance(g[i], 1, xs, 3, pm));
        /* value -> first, first -> second, second -> third */
        err = PetscMax(err, PetscAbsReal((pp[0] - pm[0]) / (2 * h) - F[1 + m]) / PetscMax(1, PetscAbsReal(F[1 + m])));
        for (PetscInt a = 0; a < d; a++) {
          const PetscReal an = F[1 + d + a * d + m], fd = (pp[1 + a] - pm[1 + a]) / (2 * h);
          err = PetscMax(err, PetscAbsReal(fd - an) / PetscMax(1, PetscAbsReal(an)));
          for (PetscInt b = 0; b < d; b++) {
            const PetscReal an3 = F[1 + d + d * d + (a * d + b) * d + m], fd3 = (pp[1 + d + a * d + b] - pm[1 + d + a * d + b]) / (2 * h);
            err = PetscMax(err, PetscAbsReal(fd3 - an3) / PetscMax(1, PetscAbsReal(an3)));
          }
        }
      }
    }
    /* phi vanishes on the boundary */
    PetscCall(PINNGeometrySampleBoundary(g[i], PINN_SAMPLE_UNIFORM, 9, 9, 50, &nb, &xb, NULL, NULL));
    PetscCall(PetscFree4(phi, pp, pm, phi2));
    PetscCall(PetscMalloc1(nb * J, &phi));
    PetscCall(PINNGeometryDistance(g[i], nb, xb, 3, phi));
    for (PetscInt p = 0; p < nb; p++) bmax = PetscMax(bmax, PetscAbsReal(phi[p * J]));
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "Distance on %s: relative FD error %.2e (limit 1e-6), max |phi| on the boundary %.2e", names[i],
                            (double)err, (double)bmax));
    PetscCall(Expect((PetscBool)(err < 1e-6 && bmax < 1e-12), msg));
    worst = PetscMax(worst, err);
    PetscCall(PetscFree(phi));
    PetscCall(PetscFree(x));
    PetscCall(PetscFree(xb));
  }
  PetscCall(PINNGeometryDestroy(&g[2]));
  PetscCall(PINNGeometryDestroy(&g[3]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "(6) Distance on box, ball and space-time over them: derivatives to third order match central differences (relative error %s "
                        "1e-6), phi = 0 on the boundary\n",
                        worst < 1e-6 ? "<" : ">="));
  PetscFunctionReturn(0);
}

/* ---- (7) bad input gives clear errors ---- */
typedef enum {
  BAD_BOWTIE,
  BAD_REPEATED,
  BAD_TWO_VERTICES,
  BAD_FOLD,
  BAD_RADIUS_ZERO,
  BAD_RADIUS_NEG,
  BAD_LO_HI,
  BAD_DIM,
  BAD_T0_T1,
  BAD_CSG_DIM,
  BAD_INITIAL,
  BAD_N,
  BAD_DISTANCE_POLYGON,
  BAD_DISTANCE_ORDER,
  BAD_SOBOL_DIM,
  BAD_EMPTY,
  BAD_NCASES
} BadCase;
static const char *const BadNames[] = {
    "bow-tie polygon", "repeated vertex", "two vertices",       "polygon folding back",   "zero radius", "negative radius",       "box lo >= hi",
    "dimension 0",     "t0 >= t1",        "CSG of 2-D and 3-D", "initial slice of a box", "N < 0",       "Distance of a polygon", "Distance order 4",
    "Sobol in 41-D",   "empty difference"};

/* the failing call's error is returned after cleaning up, so nothing leaks */
static PetscErrorCode RunBad(BadCase c, TestGeometry T[])
{
  PINNGeometry   g = NULL, a = NULL, b = NULL;
  PetscInt       n;
  PetscReal     *x    = NULL, phi[64];
  PetscErrorCode ierr = 0;

  PetscFunctionBegin;
  switch (c) {
  case BAD_BOWTIE: {
    const PetscReal v[8] = {0, 0, 1, 1, 1, 0, 0, 1};
    ierr                 = PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 4, v, &g);
  } break;
  case BAD_REPEATED: {
    const PetscReal v[10] = {0, 0, 1, 0, 1, 1, 1, 0, 0, 1};
    ierr                  = PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 5, v, &g);
  } break;
  case BAD_TWO_VERTICES: {
    const PetscReal v[4] = {0, 0, 1, 0};
    ierr                 = PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 2, v, &g);
  } break;
  case BAD_FOLD: {
    const PetscReal v[6] = {0, 0, 2, 0, 1, 0};
    ierr                 = PINNGeometryCreatePolygon(PETSC_COMM_WORLD, 3, v, &g);
  } break;
  case BAD_RADIUS_ZERO: {
    const PetscReal cc[2] = {0, 0};
    ierr                  = PINNGeometryCreateBall(PETSC_COMM_WORLD, 2, cc, 0.0, &g);
  } break;
  case BAD_RADIUS_NEG: {
    const PetscReal cc[2] = {0, 0};
    ierr                  = PINNGeometryCreateBall(PETSC_COMM_WORLD, 2, cc, -1.0, &g);
  } break;
  case BAD_LO_HI: {
    const PetscReal lo[2] = {0, 1}, hi[2] = {1, 1};
    ierr = PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &g);
  } break;
  case BAD_DIM: {
    const PetscReal lo[1] = {0}, hi[1] = {1};
    ierr = PINNGeometryCreateBox(PETSC_COMM_WORLD, 0, lo, hi, &g);
  } break;
  case BAD_T0_T1:
    ierr = PINNGeometryCreateSpaceTime(T[1].g, 1.0, 0.5, &g);
    break;
  case BAD_CSG_DIM:
    ierr = PINNGeometryCreateDifference(T[1].g, T[4].g, &g);
    break;
  case BAD_INITIAL:
    ierr = PINNGeometrySampleInitial(T[7].g, PINN_SAMPLE_UNIFORM, 0, 0, 10, &n, &x);
    break;
  case BAD_N:
    ierr = PINNGeometrySampleInterior(T[1].g, PINN_SAMPLE_UNIFORM, 0, 0, -5, &n, &x);
    break;
  case BAD_DISTANCE_POLYGON: {
    const PetscReal y[2] = {0.5, -0.5};
    ierr                 = PINNGeometryDistance(T[1].g, 1, y, 2, phi);
  } break;
  case BAD_DISTANCE_ORDER: {
    const PetscReal y[3] = {0, 1, 1.2};
    ierr                 = PINNGeometryDistance(T[7].g, 1, y, 4, phi);
  } break;
  case BAD_SOBOL_DIM: {
    PetscReal lo[41], hi[41];
    for (PetscInt k = 0; k < 41; k++) lo[k] = 0, hi[k] = 1;
    PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 41, lo, hi, &a));
    ierr = PINNGeometrySampleInterior(a, PINN_SAMPLE_SOBOL, 0, 0, 10, &n, &x);
  } break;
  case BAD_EMPTY: {
    const PetscReal cc[2] = {0, 0};
    PetscCall(PINNGeometryCreateBall(PETSC_COMM_WORLD, 2, cc, 1.0, &a));
    PetscCall(PINNGeometryCreateBall(PETSC_COMM_WORLD, 2, cc, 2.0, &b));
    PetscCall(PINNGeometryCreateDifference(a, b, &g));
    ierr = PINNGeometrySampleInterior(g, PINN_SAMPLE_UNIFORM, 0, 0, 10, &n, &x);
  } break;
  default:
    break;
  }
  PetscCall(PetscFree(x));
  PetscCall(PINNGeometryDestroy(&g));
  PetscCall(PINNGeometryDestroy(&a));
  PetscCall(PINNGeometryDestroy(&b));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

static PetscErrorCode TestBadInput(TestGeometry T[])
{
  PetscFunctionBegin;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(7) bad input:\n"));
  for (PetscInt c = 0; c < BAD_NCASES; c++) {
    PetscErrorCode ierr;
    char          *spec = NULL, line[512] = "", *nl, msg[128];

    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = RunBad((BadCase)c, T);
    PetscCall(PetscPopErrorHandler());
    if (ierr) PetscCall(PetscErrorMessage(ierr, NULL, &spec));
    if (spec) PetscCall(PetscStrncpy(line, spec, sizeof(line)));
    nl = strchr(line, '\n');
    if (nl) *nl = 0;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "    %-22s -> error %d: %s\n", BadNames[c], (int)ierr, line));
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s was not reported as an error", BadNames[c]));
    PetscCall(Expect((PetscBool)(ierr != 0), msg));
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  TestGeometry W[NGEOM], S[NGEOM];
  PetscMPIInt  size;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(BuildGeometries(PETSC_COMM_WORLD, W));
  PetscCall(BuildGeometries(PETSC_COMM_SELF, S));
  PetscCall(PINNGeometryView(W[0].g, PETSC_VIEWER_STDOUT_WORLD));
  PetscCall(PINNGeometryView(W[6].g, PETSC_VIEWER_STDOUT_WORLD));
  PetscCall(TestContains(W));
  PetscCall(TestSamples(W));
  PetscCall(TestRankIndependence(W, S));
  PetscCall(TestStatistics(W));
  PetscCall(TestKnownValues());
  PetscCall(TestDistance(S));
  PetscCall(TestBadInput(W));
  PetscCall(DestroyGeometries(W));
  PetscCall(DestroyGeometries(S));
  if (nfail)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " geometry check(s) FAILED\n", nfail));
  else
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "All geometry checks passed\n"));
  PetscCall(PetscFinalize());
  return nfail ? 1 : 0;
}

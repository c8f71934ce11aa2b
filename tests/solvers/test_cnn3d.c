/* NN type "cnn3d" (nn/impls/cnn3d/cnn3d.c), the DCDM network on a 3-D DMDA:
   (a) forward: the whole network (every convolution, ReLU, skip-add, the 2x2x2 average pool and the
       nearest upsample, the dense layer) against a naive float64 implementation written here from
       the Keras layer list, on the gathered grid. Tolerance 1e-5 relative to max|out|: the network
       computes in float32 (unit round-off 6e-8); each output sums 27*16 products per layer over
       about 20 layers, which gives about 1e-6 here;
   (b) reverse pass (-fd): for every layer a random unit direction v in its parameters, and one in
       the input, the float32 gradient g.v against central differences of the float64 reference
       L = sum outbar * f. The network is piecewise linear in one layer's parameters and in the
       input, so central differences are exact up to float64 round-off unless the step crosses a
       ReLU kink somewhere downstream: h = 1e-6 (-fd_h; 1e-4 already gave 4e-2 on the first
       layers, whose perturbations reach every later unit); the tolerance 1e-3
       relative covers float32 round-off in the gradient (about 1e-5 observed) while any missing or
       wrong term shows as O(1);
   (c) rank independence (more than one rank): a 1-rank network with the same seed on rank 0,
       applied to the gathered input, must give the distributed output and input adjoint to 1e-5
       relative to their max (float32 round-off: the GEMMs see other block shapes, so sums may
       round differently; up to 7e-7 observed at 4 ranks) and the summed gradient to 1e-5;
   (d) bad input (-bad): no DM, a 2-D DMDA, 2 dof, an odd grid, odd ownership sizes (2+ ranks), an
       unknown layer list, a backward pass without kept activations, a Vec of the wrong size.
   (e) block sizes (-blocks b1,b2,...): the output, input adjoint and summed gradient do not depend on the GEMM block
       size (NNCNN3DSetBlockSize()): each block size on an -sizes M,N,P grid split by -lx/-ly/-lz (uneven, even
       ownership sizes) against a 1-rank network that runs each convolution as one block, to 1e-5 relative to the max
       (float32 round-off as in (c)). Blocks are whole rows of each level, so the local x-sizes matter: with the
       old fine-level buffer size the coarse level overflowed it at x-sizes 12, 20, 40, 48, ... (issue 10).
   Options: -n <16> grid side, -layers <64|128>, -fd, -fd_view (per layer), -bad, -reference <true> (skip (a) for big n),
   -blocks <1,30,333,512,5000> -sizes <48,10,10> -lx/-ly/-lz (e) */
#include <nnpde.h>
#include "expect_error.h"
#include <string.h>

/* ---- the float64 reference, on the whole n^3 grid, a[(c*n + z)*n + y)*n + x] -------------------- */

typedef struct {
  PetscInt         n;
  const PetscReal *theta;
  PetscInt         off; /* next layer's parameters */
} Ref;

/* out = [relu](b + W * in), 3x3x3, zero padding; grid side m */
static void RefConv(Ref *r, PetscInt m, PetscInt cin, const PetscReal *in, PetscBool relu, PetscReal *out)
{
  const PetscInt   cout = 16;
  const PetscReal *W = r->theta + r->off, *b = W + cout * cin * 27;

  r->off += cout * cin * 27 + cout;
  for (PetscInt co = 0; co < cout; co++)
    for (PetscInt z = 0; z < m; z++)
      for (PetscInt y = 0; y < m; y++)
        for (PetscInt x = 0; x < m; x++) {
          PetscReal s = b[co];
          for (PetscInt ci = 0; ci < cin; ci++)
            for (PetscInt kz = 0; kz < 3; kz++)
              for (PetscInt ky = 0; ky < 3; ky++)
                for (PetscInt kx = 0; kx < 3; kx++) {
                  const PetscInt xx = x + kx - 1, yy = y + ky - 1, zz = z + kz - 1;
                  if (xx < 0 || yy < 0 || zz < 0 || xx >= m || yy >= m || zz >= m) continue;
                  s += W[((co * cin + ci) * 3 + kz) * 9 + ky * 3 + kx] * in[((ci * m + zz) * m + yy) * m + xx];
                }
          out[((co * m + z) * m + y) * m + x] = relu ? PetscMax(s, 0) : s;
        }
}

static void RefAdd(PetscInt len, const PetscReal *a, PetscReal *acc)
{
  for (PetscInt i = 0; i < len; i++) acc[i] += a[i];
}

/* the DCDM network as the Keras listing: a0 = conv(in); la = c(a0); (lb = c(la); la = c(lb) + la) x P;
   lb = c(la); apa = pool(lb); (apb = c(apa); apa = c(apb) + apa) x H; upa = up(apa) + lb;
   (upb = c(upa); upa = c(upb) + upa) x Q; out = dense(upa) */
static PetscErrorCode RefForward(PetscInt K, PetscInt n, const PetscReal *theta, const PetscReal *in, PetscReal *out)
{
  const PetscInt P = K == 64 ? 1 : 2, H = K == 64 ? 3 : 5, Q = K == 64 ? 2 : 3, m = n / 2, F = 16 * n * n * n, G = 16 * m * m * m;
  Ref            r = {n, theta, 0};
  PetscReal     *a0, *la, *lb, *apa, *apb, *upa, *upb;

  PetscFunctionBegin;
  PetscCall(PetscMalloc7(F, &a0, F, &la, F, &lb, G, &apa, G, &apb, F, &upa, F, &upb));
  RefConv(&r, n, 1, in, PETSC_FALSE, a0);
  RefConv(&r, n, 16, a0, PETSC_TRUE, la);
  for (PetscInt i = 0; i < P; i++) {
    RefConv(&r, n, 16, la, PETSC_TRUE, lb);
    RefConv(&r, n, 16, lb, PETSC_TRUE, a0);
    RefAdd(F, a0, la);
  }
  RefConv(&r, n, 16, la, PETSC_TRUE, lb);
  for (PetscInt c = 0; c < 16; c++)
    for (PetscInt z = 0; z < m; z++)
      for (PetscInt y = 0; y < m; y++)
        for (PetscInt x = 0; x < m; x++) {
          PetscReal s = 0;
          for (PetscInt d = 0; d < 8; d++) s += lb[((c * n + 2 * z + (d >> 2)) * n + 2 * y + ((d >> 1) & 1)) * n + 2 * x + (d & 1)];
          apa[((c * m + z) * m + y) * m + x] = s / 8;
        }
  for (PetscInt i = 0; i < H; i++) {
    RefConv(&r, m, 16, apa, PETSC_TRUE, apb);
    RefConv(&r, m, 16, apb, PETSC_TRUE, upb); /* upb as coarse scratch */
    RefAdd(G, upb, apa);
  }
  for (PetscInt c = 0; c < 16; c++)
    for (PetscInt z = 0; z < n; z++)
      for (PetscInt y = 0; y < n; y++)
        for (PetscInt x = 0; x < n; x++) {
          const PetscInt i = ((c * n + z) * n + y) * n + x;
          upa[i]           = apa[((c * m + z / 2) * m + y / 2) * m + x / 2] + lb[i];
        }
  for (PetscInt i = 0; i < Q; i++) {
    RefConv(&r, n, 16, upa, PETSC_TRUE, upb);
    RefConv(&r, n, 16, upb, PETSC_TRUE, a0);
    RefAdd(F, a0, upa);
  }
  {
    const PetscReal *w = theta + r.off, b = w[16];
    for (PetscInt p = 0; p < n * n * n; p++) {
      PetscReal s = b;
      for (PetscInt c = 0; c < 16; c++) s += w[c] * upa[c * n * n * n + p];
      out[p] = s;
    }
    r.off += 17;
  }
  PetscCall(PetscFree7(a0, la, lb, apa, apb, upa, upb));
  PetscFunctionReturn(0);
}

static PetscErrorCode RefLoss(PetscInt K, PetscInt n, const PetscReal *theta, const PetscReal *in, const PetscReal *outbar, PetscReal *L)
{
  PetscReal *out;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n * n * n, &out));
  PetscCall(RefForward(K, n, theta, in, out));
  *L = 0;
  for (PetscInt p = 0; p < n * n * n; p++) *L += outbar[p] * out[p];
  PetscCall(PetscFree(out));
  PetscFunctionReturn(0);
}

/* ---- helpers ---------------------------------------------------------------------------------- */

/* v(i, j, k) = N(0,1) drawn by the natural index, so any rank count gives the same field */
static PetscErrorCode FillRandom(DM da, uint64_t stream, Vec v)
{
  PetscInt     xs, ys, zs, xm, ym, zm, M, N;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  PetscCall(VecGetArrayWrite(v, &a));
  for (PetscInt k = 0, p = 0; k < zm; k++)
    for (PetscInt j = 0; j < ym; j++, p += xm) PetscCall(NNRandomNormalArray(7, stream, (uint64_t)(xs + M * (ys + j + N * (zs + k))), xm, a + p));
  PetscCall(VecRestoreArrayWrite(v, &a));
  PetscFunctionReturn(0);
}

/* All of v in natural order on rank 0 (*a allocated there, NULL elsewhere) */
static PetscErrorCode GatherNatural(DM da, Vec v, PetscReal **a)
{
  Vec                nat, all;
  VecScatter         sc;
  PetscMPIInt        rank;
  const PetscScalar *x;
  PetscInt           n;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)da), &rank));
  PetscCall(DMDACreateNaturalVector(da, &nat));
  PetscCall(DMDAGlobalToNaturalBegin(da, v, INSERT_VALUES, nat));
  PetscCall(DMDAGlobalToNaturalEnd(da, v, INSERT_VALUES, nat));
  PetscCall(VecScatterCreateToZero(nat, &sc, &all));
  PetscCall(VecScatterBegin(sc, nat, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, nat, all, INSERT_VALUES, SCATTER_FORWARD));
  *a = NULL;
  if (!rank) {
    PetscCall(VecGetSize(all, &n));
    PetscCall(PetscMalloc1(n, a));
    PetscCall(VecGetArrayRead(all, &x));
    PetscCall(PetscArraycpy(*a, x, n));
    PetscCall(VecRestoreArrayRead(all, &x));
  }
  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&all));
  PetscCall(VecDestroy(&nat));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateNet(MPI_Comm comm, PetscInt K, DM da, NN *nn)
{
  PetscFunctionBegin;
  PetscCall(NNCreate(comm, nn));
  PetscCall(NNSetType(*nn, NNCNN3D));
  PetscCall(NNSetSeed(*nn, 3));
  PetscCall(NNCNN3DSetLayers(*nn, K));
  PetscCall(NNSetFromOptions(*nn));
  PetscCall(NNSetUp(*nn));
  PetscCall(NNCNN3DSetKeepActivations(*nn, PETSC_TRUE));
  if (da) PetscCall(NNCNN3DSetDM(*nn, da));
  PetscFunctionReturn(0);
}

static PetscReal MaxAbs(PetscInt n, const PetscReal *a)
{
  PetscReal m = 0;
  for (PetscInt i = 0; i < n; i++) m = PetscMax(m, PetscAbsReal(a[i]));
  return m;
}

static PetscReal MaxAbsDiff(PetscInt n, const PetscReal *a, const PetscReal *b)
{
  PetscReal m = 0;
  for (PetscInt i = 0; i < n; i++) m = PetscMax(m, PetscAbsReal(a[i] - b[i]));
  return m;
}

static PetscErrorCode Report(const char title[], PetscReal err, PetscReal tol, PetscInt *nfail)
{
  PetscFunctionBegin;
  if (!(err <= tol)) (*nfail)++;
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "%-52s %s (%.1e <= %.0e)\n", title, err <= tol ? "ok" : "FAILED", (double)err, (double)tol));
  PetscFunctionReturn(0);
}

/* ---- (a), (b), (c) ----------------------------------------------------------------------------- */

static PetscErrorCode NetworkChecks(PetscInt n, PetscInt K, PetscBool reference, PetscBool fd, PetscInt *nfail)
{
  MPI_Comm           comm = PETSC_COMM_WORLD;
  PetscMPIInt        rank, size;
  DM                 da;
  NN                 nn;
  Vec                in, out, outbar, inbar, theta, thall;
  VecScatter         sc;
  PetscInt           np, N3       = n * n * n;
  PetscReal         *gtheta, *xin = NULL, *xout = NULL, *xob = NULL, *xib = NULL;
  char               title[128];
  const PetscScalar *th;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(DMDACreate3d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_BOX, n, n, n, PETSC_DECIDE, PETSC_DECIDE,
                         PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(CreateNet(comm, K, da, &nn));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(PetscPrintf(comm, "cnn3d K=%" PetscInt_FMT " on %" PetscInt_FMT "^3: %" PetscInt_FMT " parameters\n", K, n, np));
  PetscCall(DMCreateGlobalVector(da, &in));
  PetscCall(VecDuplicate(in, &out));
  PetscCall(VecDuplicate(in, &outbar));
  PetscCall(VecDuplicate(in, &inbar));
  PetscCall(FillRandom(da, 1, in));
  PetscCall(FillRandom(da, 2, outbar));
  PetscCall(NNCNN3DApply(nn, in, out));
  PetscCall(PetscCalloc1(np, &gtheta));
  PetscCall(NNCNN3DApplyBackward(nn, outbar, gtheta, inbar));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, gtheta, np, MPIU_REAL, MPIU_SUM, comm));
  PetscCall(GatherNatural(da, in, &xin));
  PetscCall(GatherNatural(da, out, &xout));
  PetscCall(GatherNatural(da, outbar, &xob));
  PetscCall(GatherNatural(da, inbar, &xib));
  PetscCall(NNGetParameters(nn, &theta));
  PetscCall(VecScatterCreateToZero(theta, &sc, &thall));
  PetscCall(VecScatterBegin(sc, theta, thall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, theta, thall, INSERT_VALUES, SCATTER_FORWARD));
  if (!rank) {
    PetscCall(VecGetArrayRead(thall, &th));
    if (reference) { /* (a) */
      PetscReal *ref;

      PetscCall(PetscMalloc1(N3, &ref));
      PetscCall(RefForward(K, n, th, xin, ref));
      PetscCall(PetscSNPrintf(title, sizeof(title), "(a) forward vs float64 reference, %d rank(s)", size));
      PetscCall(Report(title, MaxAbsDiff(N3, xout, ref) / MaxAbs(N3, ref), 1e-5, nfail));
      PetscCall(PetscFree(ref));
    }
    if (fd) { /* (b) */
      PetscReal h = 1e-6;
      PetscCall(PetscOptionsGetReal(NULL, NULL, "-fd_h", &h, NULL));
      PetscReal *tp, *v, worst = 0, L1, L2, gv, fdv;
      PetscInt   off = 0, nl = 0;
      PetscBool  verbose = PETSC_FALSE;

      PetscCall(PetscOptionsGetBool(NULL, NULL, "-fd_view", &verbose, NULL));

      PetscCall(PetscMalloc2(np, &tp, PetscMax(np, N3), &v));
      while (off < np) { /* layer by layer: sizes from the documented layout */
        const PetscInt cin = off == 0 ? 1 : 16, len = off + 17 == np ? 17 : 16 * cin * 27 + 16;
        PetscReal      nv = 0;

        PetscCall(NNRandomNormalArray(11, 100 + nl, 0, len, v));
        for (PetscInt i = 0; i < len; i++) nv += v[i] * v[i];
        nv = PetscSqrtReal(nv);
        gv = 0;
        for (PetscInt i = 0; i < len; i++) gv += gtheta[off + i] * v[i] / nv;
        PetscCall(PetscArraycpy(tp, th, np));
        for (PetscInt i = 0; i < len; i++) tp[off + i] = th[off + i] + h * v[i] / nv;
        PetscCall(RefLoss(K, n, tp, xin, xob, &L1));
        for (PetscInt i = 0; i < len; i++) tp[off + i] = th[off + i] - h * v[i] / nv;
        PetscCall(RefLoss(K, n, tp, xin, xob, &L2));
        fdv   = (L1 - L2) / (2 * h);
        worst = PetscMax(worst, PetscAbsReal(gv - fdv) / PetscAbsReal(fdv));
        if (verbose)
          PetscCall(PetscPrintf(PETSC_COMM_SELF, "    layer %2" PetscInt_FMT ": g.v %.10e, differences %.10e\n", nl, (double)gv, (double)fdv));
        off += len;
        nl++;
      }
      PetscCall(PetscSNPrintf(title, sizeof(title), "(b) dL/dtheta vs differences, %" PetscInt_FMT " layers", nl));
      PetscCall(Report(title, worst, 1e-3, nfail));
      { /* the input */
        PetscReal *xp;

        PetscCall(PetscMalloc1(N3, &xp));
        PetscCall(NNRandomNormalArray(11, 99, 0, N3, v));
        gv = 0;
        for (PetscInt i = 0; i < N3; i++) gv += xib[i] * v[i];
        for (PetscInt i = 0; i < N3; i++) xp[i] = xin[i] + h * v[i];
        PetscCall(RefLoss(K, n, th, xp, xob, &L1));
        for (PetscInt i = 0; i < N3; i++) xp[i] = xin[i] - h * v[i];
        PetscCall(RefLoss(K, n, th, xp, xob, &L2));
        fdv = (L1 - L2) / (2 * h);
        PetscCall(Report("(b) dL/din vs differences", PetscAbsReal(gv - fdv) / PetscAbsReal(fdv), 1e-3, nfail));
        PetscCall(PetscFree(xp));
      }
      PetscCall(PetscFree2(tp, v));
    }
    PetscCall(VecRestoreArrayRead(thall, &th));
    if (size > 1) { /* (c) the same network on one rank */
      DM           das;
      NN           ns;
      Vec          sin, sout, sob, sib;
      PetscScalar *a;
      PetscReal   *gs;

      PetscCall(DMDACreate3d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_BOX, n, n, n, 1, 1, 1, 1, 1, NULL,
                             NULL, NULL, &das));
      PetscCall(DMSetUp(das));
      PetscCall(CreateNet(PETSC_COMM_SELF, K, das, &ns));
      PetscCall(DMCreateGlobalVector(das, &sin));
      PetscCall(VecDuplicate(sin, &sout));
      PetscCall(VecDuplicate(sin, &sob));
      PetscCall(VecDuplicate(sin, &sib));
      PetscCall(VecGetArrayWrite(sin, &a));
      PetscCall(PetscArraycpy(a, xin, N3));
      PetscCall(VecRestoreArrayWrite(sin, &a));
      PetscCall(VecGetArrayWrite(sob, &a));
      PetscCall(PetscArraycpy(a, xob, N3));
      PetscCall(VecRestoreArrayWrite(sob, &a));
      PetscCall(NNCNN3DApply(ns, sin, sout));
      PetscCall(PetscCalloc1(np, &gs));
      PetscCall(NNCNN3DApplyBackward(ns, sob, gs, sib));
      PetscCall(VecGetArray(sout, &a));
      PetscCall(PetscSNPrintf(title, sizeof(title), "(c) output, %d ranks vs 1", size));
      PetscCall(Report(title, MaxAbsDiff(N3, xout, a) / MaxAbs(N3, a), 1e-5, nfail));
      PetscCall(VecRestoreArray(sout, &a));
      PetscCall(VecGetArray(sib, &a));
      PetscCall(PetscSNPrintf(title, sizeof(title), "(c) dL/din, %d ranks vs 1", size));
      PetscCall(Report(title, MaxAbsDiff(N3, xib, a) / MaxAbs(N3, a), 1e-5, nfail));
      PetscCall(VecRestoreArray(sib, &a));
      PetscCall(PetscSNPrintf(title, sizeof(title), "(c) dL/dtheta, %d ranks vs 1", size));
      PetscCall(Report(title, MaxAbsDiff(np, gtheta, gs) / MaxAbs(np, gs), 1e-5, nfail));
      PetscCall(PetscFree(gs));
      PetscCall(VecDestroy(&sin));
      PetscCall(VecDestroy(&sout));
      PetscCall(VecDestroy(&sob));
      PetscCall(VecDestroy(&sib));
      PetscCall(NNDestroy(&ns));
      PetscCall(DMDestroy(&das));
    }
  }
  PetscCallMPI(MPI_Bcast(nfail, 1, MPIU_INT, 0, comm));
  PetscCall(PetscFree(xin));
  PetscCall(PetscFree(xout));
  PetscCall(PetscFree(xob));
  PetscCall(PetscFree(xib));
  PetscCall(PetscFree(gtheta));
  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&thall));
  PetscCall(VecDestroy(&in));
  PetscCall(VecDestroy(&out));
  PetscCall(VecDestroy(&outbar));
  PetscCall(VecDestroy(&inbar));
  PetscCall(NNDestroy(&nn));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

/* ---- (e) -------------------------------------------------------------------------------------------- */

/* The network's output, input adjoint and gradient for each GEMM block size of -blocks (NNCNN3DSetBlockSize()), on an
   M x N x P grid (-sizes) split as -lx/-ly/-lz say (uneven ownership allowed; PETSc's split otherwise), against a 1-rank
   network on rank 0 that runs every convolution as one block. Blocks are whole rows of each level, so the local x-sizes
   and the coarse level's half rows decide the block shapes. */
static PetscErrorCode BlockChecks(PetscInt K, PetscInt *nfail)
{
  MPI_Comm           comm = PETSC_COMM_WORLD;
  PetscMPIInt        rank, size;
  PetscInt           sz[3] = {48, 10, 10}, nsz = 3, *l[3] = {NULL, NULL, NULL}, nl[3], blocks[16] = {1, 30, 333, 512, 5000}, nb = 5, np, N3, xm, *xms;
  const char        *lopt[3] = {"-lx", "-ly", "-lz"};
  DM                 da, das = NULL;
  NN                 nn, ns  = NULL;
  Vec                in, out, outbar, inbar, sin = NULL, sout = NULL, sob = NULL, sib = NULL;
  PetscReal         *xin, *xob, *xout, *xib, *g, *gs = NULL;
  const PetscScalar *ro = NULL, *ri          = NULL;
  char               title[128], xsizes[256] = "", part[32];
  PetscBool          flg;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-sizes", sz, &nsz, &flg));
  PetscCheck(!flg || nsz == 3, comm, PETSC_ERR_ARG_WRONG, "-sizes wants M,N,P");
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-blocks", blocks, &nb, &flg));
  if (!flg || !nb) nb = 5; /* -blocks without values: the defaults */
  for (PetscInt d = 0; d < 3; d++) {
    nl[d] = size;
    PetscCall(PetscMalloc1(size, &l[d]));
    PetscCall(PetscOptionsGetIntArray(NULL, NULL, lopt[d], l[d], &nl[d], &flg));
    if (!flg) {
      nl[d] = PETSC_DECIDE;
      PetscCall(PetscFree(l[d]));
    }
  }
  PetscCall(DMDACreate3d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_BOX, sz[0], sz[1], sz[2], nl[0], nl[1], nl[2], 1, 1,
                         l[0], l[1], l[2], &da));
  PetscCall(DMSetUp(da));
  for (PetscInt d = 0; d < 3; d++) PetscCall(PetscFree(l[d]));
  N3 = sz[0] * sz[1] * sz[2];
  PetscCall(DMDAGetCorners(da, NULL, NULL, NULL, &xm, NULL, NULL));
  PetscCall(PetscMalloc1(size, &xms));
  PetscCallMPI(MPI_Gather(&xm, 1, MPIU_INT, xms, 1, MPIU_INT, 0, comm));
  for (PetscMPIInt r = 0; r < size && !rank; r++) {
    PetscCall(PetscSNPrintf(part, sizeof(part), "%s%" PetscInt_FMT, r ? " " : "", xms[r]));
    PetscCall(PetscStrlcat(xsizes, part, sizeof(xsizes)));
  }
  PetscCall(PetscFree(xms));
  PetscCall(PetscPrintf(comm, "(e) grid %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT ", %d rank(s), local x-sizes %s\n", sz[0], sz[1],
                        sz[2], size, xsizes));
  PetscCall(CreateNet(comm, K, da, &nn));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(DMCreateGlobalVector(da, &in));
  PetscCall(VecDuplicate(in, &out));
  PetscCall(VecDuplicate(in, &outbar));
  PetscCall(VecDuplicate(in, &inbar));
  PetscCall(FillRandom(da, 1, in));
  PetscCall(FillRandom(da, 2, outbar));
  PetscCall(GatherNatural(da, in, &xin));
  PetscCall(GatherNatural(da, outbar, &xob));
  PetscCall(PetscMalloc1(np, &g));
  if (!rank) { /* the reference: one rank, one block per convolution */
    PetscScalar *a;

    PetscCall(DMDACreate3d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_BOX, sz[0], sz[1], sz[2], 1, 1, 1, 1,
                           1, NULL, NULL, NULL, &das));
    PetscCall(DMSetUp(das));
    PetscCall(CreateNet(PETSC_COMM_SELF, K, das, &ns));
    PetscCall(NNCNN3DSetBlockSize(ns, N3));
    PetscCall(DMCreateGlobalVector(das, &sin));
    PetscCall(VecDuplicate(sin, &sout));
    PetscCall(VecDuplicate(sin, &sob));
    PetscCall(VecDuplicate(sin, &sib));
    PetscCall(VecGetArrayWrite(sin, &a));
    PetscCall(PetscArraycpy(a, xin, N3));
    PetscCall(VecRestoreArrayWrite(sin, &a));
    PetscCall(VecGetArrayWrite(sob, &a));
    PetscCall(PetscArraycpy(a, xob, N3));
    PetscCall(VecRestoreArrayWrite(sob, &a));
    PetscCall(NNCNN3DApply(ns, sin, sout));
    PetscCall(PetscCalloc1(np, &gs));
    PetscCall(NNCNN3DApplyBackward(ns, sob, gs, sib));
    PetscCall(VecGetArrayRead(sout, &ro));
    PetscCall(VecGetArrayRead(sib, &ri));
  }
  for (PetscInt i = 0; i < nb; i++) {
    PetscCall(NNCNN3DSetBlockSize(nn, blocks[i]));
    PetscCall(NNCNN3DApply(nn, in, out));
    PetscCall(PetscArrayzero(g, np));
    PetscCall(NNCNN3DApplyBackward(nn, outbar, g, inbar));
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, g, np, MPIU_REAL, MPIU_SUM, comm));
    PetscCall(GatherNatural(da, out, &xout));
    PetscCall(GatherNatural(da, inbar, &xib));
    if (!rank) {
      PetscCall(PetscSNPrintf(title, sizeof(title), "(e) block %" PetscInt_FMT ": output", blocks[i]));
      PetscCall(Report(title, MaxAbsDiff(N3, xout, ro) / MaxAbs(N3, ro), 1e-5, nfail));
      PetscCall(PetscSNPrintf(title, sizeof(title), "(e) block %" PetscInt_FMT ": dL/din", blocks[i]));
      PetscCall(Report(title, MaxAbsDiff(N3, xib, ri) / MaxAbs(N3, ri), 1e-5, nfail));
      PetscCall(PetscSNPrintf(title, sizeof(title), "(e) block %" PetscInt_FMT ": dL/dtheta", blocks[i]));
      PetscCall(Report(title, MaxAbsDiff(np, g, gs) / MaxAbs(np, gs), 1e-5, nfail));
    }
    PetscCall(PetscFree(xout));
    PetscCall(PetscFree(xib));
  }
  PetscCallMPI(MPI_Bcast(nfail, 1, MPIU_INT, 0, comm));
  if (!rank) {
    PetscCall(VecRestoreArrayRead(sout, &ro));
    PetscCall(VecRestoreArrayRead(sib, &ri));
    PetscCall(VecDestroy(&sin));
    PetscCall(VecDestroy(&sout));
    PetscCall(VecDestroy(&sob));
    PetscCall(VecDestroy(&sib));
    PetscCall(NNDestroy(&ns));
    PetscCall(DMDestroy(&das));
  }
  PetscCall(PetscFree(gs));
  PetscCall(PetscFree(g));
  PetscCall(PetscFree(xin));
  PetscCall(PetscFree(xob));
  PetscCall(VecDestroy(&in));
  PetscCall(VecDestroy(&out));
  PetscCall(VecDestroy(&outbar));
  PetscCall(VecDestroy(&inbar));
  PetscCall(NNDestroy(&nn));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

/* ---- (d) ------------------------------------------------------------------------------------------ */

static PetscErrorCode BadInputChecks(PetscInt *nfail)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  PetscMPIInt    size;
  PetscErrorCode ierr;
  DM             da, da2;
  NN             nn;
  Vec            v, w;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(DMDACreate3d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 8, 8, 8, PETSC_DECIDE, PETSC_DECIDE,
                         PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(DMCreateGlobalVector(da, &v));
  PetscCall(VecDuplicate(v, &w));
  PetscCall(CreateNet(comm, 64, NULL, &nn));

  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NNCNN3DApply(nn, v, w);
  PetscCall(Expect("no DM", ierr, PETSC_ERR_ARG_WRONGSTATE, "NNCNN3DSetDM", nfail));
  ierr = NNForward(nn, 0, NULL, NULL);
  PetscCall(Expect("NNForward() on a cnn3d", ierr, PETSC_ERR_SUP, "NNCNN3DApply", nfail));
  {
    NN n2;
    PetscCall(NNCreate(comm, &n2));
    PetscCall(NNSetType(n2, NNCNN3D));
    ierr = NNCNN3DSetLayers(n2, 32);
    PetscCall(Expect("-nn_cnn3d_layers 32", ierr, PETSC_ERR_ARG_OUTOFRANGE, "64 or 128", nfail));
    ierr = NNCNN3DSetBlockSize(n2, 0);
    PetscCall(Expect("-nn_cnn3d_block 0", ierr, PETSC_ERR_ARG_OUTOFRANGE, "must be positive, got 0", nfail));
    PetscCall(NNDestroy(&n2));
  }
  PetscCall(PetscPopErrorHandler());

  PetscCall(DMDACreate2d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 8, 8, PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da2));
  PetscCall(DMSetUp(da2));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NNCNN3DSetDM(nn, da2);
  PetscCall(PetscPopErrorHandler());
  PetscCall(Expect("a 2-D DMDA", ierr, PETSC_ERR_ARG_WRONG, "3-D DMDA", nfail));
  PetscCall(DMDestroy(&da2));

  PetscCall(DMDACreate3d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 8, 8, 8, PETSC_DECIDE, PETSC_DECIDE,
                         PETSC_DECIDE, 2, 1, NULL, NULL, NULL, &da2));
  PetscCall(DMSetUp(da2));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NNCNN3DSetDM(nn, da2);
  PetscCall(PetscPopErrorHandler());
  PetscCall(Expect("2 dof", ierr, PETSC_ERR_ARG_WRONG, "1 dof, got 2", nfail));
  PetscCall(DMDestroy(&da2));

  PetscCall(DMDACreate3d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 9, 8, 8, PETSC_DECIDE, PETSC_DECIDE,
                         PETSC_DECIDE, 1, 1, NULL, NULL, NULL, &da2));
  PetscCall(DMSetUp(da2));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NNCNN3DSetDM(nn, da2);
  PetscCall(PetscPopErrorHandler());
  PetscCall(Expect("grid 9 x 8 x 8", ierr, PETSC_ERR_ARG_SIZ, "got 9 x 8 x 8", nfail));
  PetscCall(DMDestroy(&da2));

  if (size > 1) { /* 16 cells in x over all ranks, the first two owning odd counts */
    PetscInt *lx;
    PetscCall(PetscMalloc1(size, &lx));
    for (PetscInt i = 0; i < size; i++) lx[i] = 16 / size;
    lx[0] -= 1;
    lx[1] += 1;
    PetscCall(DMDACreate3d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 16, 8, 8, size, 1, 1, 1, 1, lx, NULL, NULL,
                           &da2));
    PetscCall(DMSetUp(da2));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNCNN3DSetDM(nn, da2);
    PetscCall(PetscPopErrorHandler());
    PetscCall(Expect("odd ownership sizes in x", ierr, PETSC_ERR_ARG_SIZ, "ownership size must be even", nfail));
    PetscCall(DMDestroy(&da2));
    PetscCall(PetscFree(lx));
  }

  PetscCall(NNCNN3DSetDM(nn, da));
  PetscCall(NNCNN3DSetKeepActivations(nn, PETSC_FALSE));
  PetscCall(NNCNN3DApply(nn, v, w));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NNCNN3DApplyBackward(nn, w, NULL, v);
  PetscCall(PetscPopErrorHandler());
  PetscCall(Expect("backward without kept activations", ierr, PETSC_ERR_ARG_WRONGSTATE, "kept its activations", nfail));
  {
    Vec small;
    PetscCall(VecCreateMPI(comm, 5, PETSC_DETERMINE, &small));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = NNCNN3DApply(nn, small, w);
    PetscCall(PetscPopErrorHandler());
    PetscCall(Expect("input Vec of the wrong size", ierr, PETSC_ERR_ARG_SIZ, "local size 5", nfail));
    PetscCall(VecDestroy(&small));
  }
  PetscCall(NNDestroy(&nn));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&w));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt  n = 16, K = 64, nfail = 0;
  PetscBool fd = PETSC_FALSE, bad = PETSC_FALSE, reference = PETSC_TRUE, blocks = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-layers", &K, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-fd", &fd, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-bad", &bad, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-reference", &reference, NULL));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-blocks", &blocks));
  if (bad)
    PetscCall(BadInputChecks(&nfail));
  else if (blocks)
    PetscCall(BlockChecks(K, &nfail));
  else
    PetscCall(NetworkChecks(n, K, reference, fd, &nfail));
  PetscCheck(!nfail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " check(s) failed", nfail);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "all checks passed\n"));
  PetscCall(PetscFinalize());
  return 0;
}

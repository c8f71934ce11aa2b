/* NN type "mlp": dense layers, smooth activations, derivative jets forward and in reverse.

   Layout: the points are processed in tiles of a few hundred GEMM columns, each tile carried
   through all layers so that its data stays in cache. A tile's layer data is a column-major matrix
   with (width) rows and (streams x tile points) columns, stream-blocked within the tile, so a layer
   is one small GEMM per tile (libxsmm's JIT kernels with -nn_mlp_gemm xsmm, or BLAS); tile data
   follow one another in the workspace. The bias enters the value stream only. Parameters per linear layer: W (out x in,
   row-major) then b. */
#include <nnpde/private/nnimpl.h>
#include <petscblaslapack.h>
#include <nnpde/random.h>
#if defined(NNPDE_HAVE_LIBXSMM)
#include <libxsmm.h>
#endif

#define NN_INIT_STREAM 0x494E4954ULL /* random stream of the initial weights, + layer index */

const char *const NNMLPGemms[] = {"blas", "xsmm", "NNMLPGemm", "NN_MLP_GEMM_", NULL};

/* The GEMMs' kernels with -nn_mlp_gemm xsmm: each GEMM site (layer, product) keeps the libxsmm JIT
   kernels of the last few shapes it ran (the full tile, the last partial tile, other jet requests),
   so a shape is dispatched once and then found here. fn NULL: libxsmm refused the shape, BLAS runs it. */
#define NN_MLP_KERNELS 8
/* The weight gradient's reduction runs over the tile's columns: one libxsmm kernel over all of them slows
   down as they grow (50 x 50: 42 GF/s at 64 columns, 26 at 400, 22 at 1024), while chunks of 32 keep
   40-42 GF/s (bench/bench_gemm.c) */
#define NN_MLP_XSMM_KCHUNK 32

typedef struct {
  PetscInt  m, n, k;
  PetscReal beta;
#if defined(NNPDE_HAVE_LIBXSMM)
  libxsmm_dmmfunction fn;
#endif
} NNMLPKernel;

typedef struct {
  NNMLPKernel kernel[NN_MLP_KERNELS];
  PetscInt    nkernels, next; /* next: the entry replaced when full */
} NNMLPKernelCache;

/* GEMM sites of a linear layer, index 3 l + site into NN_MLP.kc */
enum { NN_MLP_GEMM_FORWARD, NN_MLP_GEMM_BACKWARD_INPUT, NN_MLP_GEMM_BACKWARD_WEIGHT };

typedef struct {
  PetscInt     nhidden;
  PetscInt    *widths;
  NNActivation act;
  /* derived at setup */
  PetscInt          nlayers; /* linear layers = nhidden + 1 */
  PetscInt         *size;    /* nlayers + 1 widths: embedding, hidden..., outputs */
  PetscInt         *offW, *offb;
  PetscInt          maxw;
  PetscInt          tile; /* points per tile, 0 = choose from the number of streams */
  NNMLPGemm         gemm; /* who runs the GEMMs */
  NNMLPKernelCache *kc;   /* 3 nlayers: the libxsmm kernels of each GEMM site (whose B is always, or never, transposed) */
  /* workspace for the last NNForward() */
  PetscInt    capN, capSN, capST, n; /* workspace capacity: points, streams x points, streams x tile points */
  PetscBool   have_forward;
  PetscReal **A;           /* nlayers: input of linear layer l, all streams */
  PetscReal **Z;           /* nhidden: pre-activation, all streams */
  PetscReal **sig;         /* nhidden: sigma', sigma'', sigma''' of the value stream, 3 blocks */
  PetscReal  *Y;           /* raw network outputs, all streams */
  PetscReal  *x;           /* copy of the inputs */
  PetscReal  *Wt;          /* W of every layer, column-major (out x in), for the forward GEMMs */
  PetscReal  *barA, *barZ; /* one tile */
  PetscReal  *Ybar;        /* one tile of the output adjoint, tile layout */
  PetscReal  *N, *Nbar;    /* with a transform: raw outputs and their adjoint, layout of y */
  PetscReal  *g, *phi;     /* output-transform data, order 2 */
  PetscInt    gcap3;
  PetscReal  *g3, *phi3; /* order 3, for d/dx */
} NN_MLP;

static PetscErrorCode NNMLPFreeWork(NN_MLP *mlp)
{
  PetscFunctionBegin;
  for (PetscInt l = 0; mlp->A && l < mlp->nlayers; l++) PetscCall(PetscFree(mlp->A[l]));
  for (PetscInt l = 0; mlp->Z && l < mlp->nhidden; l++) {
    PetscCall(PetscFree(mlp->Z[l]));
    PetscCall(PetscFree(mlp->sig[l]));
  }
  PetscCall(PetscFree(mlp->A));
  PetscCall(PetscFree(mlp->Z));
  PetscCall(PetscFree(mlp->sig));
  PetscCall(PetscFree(mlp->Y));
  PetscCall(PetscFree(mlp->x));
  PetscCall(PetscFree(mlp->Wt));
  PetscCall(PetscFree(mlp->Ybar));
  PetscCall(PetscFree(mlp->barA));
  PetscCall(PetscFree(mlp->barZ));
  PetscCall(PetscFree(mlp->N));
  PetscCall(PetscFree(mlp->Nbar));
  PetscCall(PetscFree(mlp->g));
  PetscCall(PetscFree(mlp->phi));
  PetscCall(PetscFree(mlp->g3));
  PetscCall(PetscFree(mlp->phi3));
  mlp->capN         = 0;
  mlp->capSN        = 0;
  mlp->capST        = 0;
  mlp->gcap3        = 0;
  mlp->have_forward = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* Points per tile. OpenBLAS runs a GEMM with m n k <= 1e6 by its small-matrix kernels, without
   packing (~40% faster on these shapes; BLIS gains less from tiling), so a tile gets 1e6 / (the
   largest W) GEMM columns (streams x points), within [64, 1024]. Measured on 2->50->50->50->1:
   400 columns best, 530 already 35% slower. */
static PetscInt NNMLPTile(NN nn)
{
  NN_MLP  *mlp   = (NN_MLP *)nn->data;
  PetscInt maxWs = 1, cols;

  if (mlp->tile > 0) return mlp->tile;
  for (PetscInt l = 0; l < mlp->nlayers; l++) maxWs = PetscMax(maxWs, mlp->size[l] * mlp->size[l + 1]);
  cols = PetscMin(PetscMax(1000000 / maxWs, 64), 1024);
  return PetscMax(1, cols / nn->jets.S);
}

static PetscErrorCode NNMLPEnsureWork(NN nn, PetscInt n)
{
  NN_MLP        *mlp = (NN_MLP *)nn->data;
  const PetscInt S = nn->jets.S, d = nn->nin, m = nn->nout, jt = 1 + d + d * d, T = NNMLPTile(nn);

  PetscInt N, SN, ST;

  PetscFunctionBegin;
  /* capacities only grow, so switching between jet requests (as a PINN does for its interior and
     boundary points) does not reallocate */
  if (n <= mlp->capN && S * n <= mlp->capSN && S * T <= mlp->capST && (!nn->transform || mlp->g)) PetscFunctionReturn(0);
  N  = PetscMax(n, mlp->capN);
  SN = PetscMax(S * n, mlp->capSN);
  ST = PetscMax(S * T, mlp->capST);
  PetscCall(NNMLPFreeWork(mlp));
  PetscCall(PetscCalloc1(mlp->nlayers, &mlp->A));
  PetscCall(PetscCalloc1(mlp->nhidden, &mlp->Z));
  PetscCall(PetscCalloc1(mlp->nhidden, &mlp->sig));
  for (PetscInt l = 0; l < mlp->nlayers; l++) PetscCall(PetscMalloc1(mlp->size[l] * SN, &mlp->A[l]));
  for (PetscInt l = 0; l < mlp->nhidden; l++) {
    PetscCall(PetscMalloc1(mlp->size[l + 1] * SN, &mlp->Z[l]));
    if (mlp->act != NN_ACTIVATION_TANH) PetscCall(PetscMalloc1(3 * mlp->size[l + 1] * N, &mlp->sig[l]));
  }
  PetscCall(PetscMalloc1(m * SN, &mlp->Y));
  PetscCall(PetscMalloc1(d * N, &mlp->x));
  PetscCall(PetscMalloc1(nn->nparam, &mlp->Wt));
  PetscCall(PetscMalloc1(m * ST, &mlp->Ybar));
  PetscCall(PetscMalloc1(mlp->maxw * ST, &mlp->barA));
  PetscCall(PetscMalloc1(mlp->maxw * ST, &mlp->barZ));
  if (nn->transform) {
    PetscCall(PetscMalloc1(m * SN, &mlp->N));
    PetscCall(PetscMalloc1(m * SN, &mlp->Nbar));
    PetscCall(PetscMalloc1(m * jt * N, &mlp->g));
    PetscCall(PetscMalloc1(m * jt * N, &mlp->phi));
  }
  mlp->capN  = N;
  mlp->capSN = SN;
  mlp->capST = ST;
  PetscFunctionReturn(0);
}

static PetscErrorCode NNSetUp_MLP(NN nn)
{
  NN_MLP  *mlp = (NN_MLP *)nn->data;
  PetscInt off = 0;

  PetscFunctionBegin;
  mlp->nlayers = mlp->nhidden + 1;
  PetscCall(PetscMalloc3(mlp->nlayers + 1, &mlp->size, mlp->nlayers, &mlp->offW, mlp->nlayers, &mlp->offb));
  mlp->size[0] = nn->embed.ne;
  for (PetscInt l = 0; l < mlp->nhidden; l++) mlp->size[l + 1] = mlp->widths[l];
  mlp->size[mlp->nlayers] = nn->nout;
  mlp->maxw               = 0;
  for (PetscInt l = 0; l <= mlp->nlayers; l++) mlp->maxw = PetscMax(mlp->maxw, mlp->size[l]);
  for (PetscInt l = 0; l < mlp->nlayers; l++) {
    mlp->offW[l] = off;
    off += mlp->size[l + 1] * mlp->size[l];
    mlp->offb[l] = off;
    off += mlp->size[l + 1];
  }
  nn->nparam = off;
  PetscCall(PetscCalloc1(3 * mlp->nlayers, &mlp->kc));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNInitialize_MLP(NN nn, PetscReal theta[])
{
  NN_MLP *mlp = (NN_MLP *)nn->data;

  PetscFunctionBegin;
  for (PetscInt l = 0; l < mlp->nlayers; l++) {
    const PetscInt fin = mlp->size[l], fout = mlp->size[l + 1], nw = fin * fout;

    PetscCall(NNInitializeWeights_Private(nn, NN_INIT_STREAM + (uint64_t)l, fin, fout, nw, theta + mlp->offW[l]));
    for (PetscInt i = 0; i < fout; i++) theta[mlp->offb[l] + i] = 0.0;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNArchitecture_MLP(NN nn, char buf[], size_t len)
{
  NN_MLP *mlp = (NN_MLP *)nn->data;
  char    part[256];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(buf, len, "mlp inputs=%" PetscInt_FMT " outputs=%" PetscInt_FMT " hidden=", nn->nin, nn->nout));
  for (PetscInt l = 0; l < mlp->nhidden; l++) {
    PetscCall(PetscSNPrintf(part, sizeof(part), "%s%" PetscInt_FMT, l ? "," : "", mlp->widths[l]));
    PetscCall(PetscStrlcat(buf, part, len));
  }
  PetscCall(PetscSNPrintf(part, sizeof(part), " activation=%s", NNActivations[mlp->act]));
  PetscCall(PetscStrlcat(buf, part, len));
  if (nn->embed.nperiodic) {
    PetscCall(PetscStrlcat(buf, " periodic=", len));
    for (PetscInt i = 0; i < nn->embed.nperiodic; i++) {
      PetscCall(PetscSNPrintf(part, sizeof(part), "%s%" PetscInt_FMT, i ? "," : "", nn->embed.periodic[i]));
      PetscCall(PetscStrlcat(buf, part, len));
    }
    PetscCall(PetscSNPrintf(part, sizeof(part), " period=%.17g", (double)nn->embed.period));
    PetscCall(PetscStrlcat(buf, part, len));
  }
  if (nn->embed.nfourier) {
    PetscCall(PetscSNPrintf(part, sizeof(part), " fourier=%" PetscInt_FMT " sigma=%.17g seed=%" PetscInt64_FMT, nn->embed.nfourier,
                            (double)nn->embed.fourier_sigma, (PetscInt64)nn->seed));
    PetscCall(PetscStrlcat(buf, part, len));
  }
  PetscFunctionReturn(0);
}

/* The transform's g and phi (order 2 or 3) at the n points x */
static PetscErrorCode NNCallTransform(NN nn, PetscInt n, const PetscReal x[], PetscInt order, PetscReal g[], PetscReal phi[])
{
  PetscFunctionBegin;
  PetscCall((*nn->transform)(nn->transform_ctx, n, nn->nin, nn->nout, x, order, g, phi));
  PetscFunctionReturn(0);
}

/* Room for the order-3 transform data of n points */
static PetscErrorCode NNMLPEnsureTransform3(NN nn, PetscInt n)
{
  NN_MLP        *mlp = (NN_MLP *)nn->data;
  const PetscInt d = nn->nin, m = nn->nout, jt = 1 + d + d * d + d * d * d;

  PetscFunctionBegin;
  if (mlp->gcap3 >= n) PetscFunctionReturn(0);
  PetscCall(PetscFree(mlp->g3));
  PetscCall(PetscFree(mlp->phi3));
  PetscCall(PetscMalloc1(m * jt * n, &mlp->g3));
  PetscCall(PetscMalloc1(m * jt * n, &mlp->phi3));
  mlp->gcap3 = n;
  PetscFunctionReturn(0);
}

/* BLAS: C (m x n) = A op(B) + beta C, column-major, tight leading dimensions (A m x k, B k x n or, transposed, n x k) */
static PetscErrorCode NNMLPGemmBLAS(PetscBool tb, PetscInt m, PetscInt n, PetscInt k, const PetscReal *A, const PetscReal *B, PetscReal beta,
                                    PetscReal *C)
{
  PetscBLASInt    bm, bn, bk, bldb;
  const PetscReal one = 1.0;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(m, &bm));
  PetscCall(PetscBLASIntCast(n, &bn));
  PetscCall(PetscBLASIntCast(k, &bk));
  PetscCall(PetscBLASIntCast(tb ? n : k, &bldb));
  PetscCallBLAS("BLASgemm", BLASgemm_("N", tb ? "T" : "N", &bm, &bn, &bk, &one, A, &bm, B, &bldb, &beta, C, &bm));
  PetscFunctionReturn(0);
}

#if defined(NNPDE_HAVE_LIBXSMM)
/* The libxsmm kernel of this shape from the site's cache, dispatched (JIT-compiled the first time) on a miss;
   NULL if libxsmm refuses the shape */
static libxsmm_dmmfunction NNMLPKernelGet(NNMLPKernelCache *c, PetscBool tb, PetscInt m, PetscInt n, PetscInt k, PetscReal beta)
{
  NNMLPKernel          *e;
  const libxsmm_blasint lm = m, ln = n, lk = k, lda = m, ldb = tb ? n : k, ldc = m;
  const double          alpha = 1.0, lbeta = beta;
  const int             flags = tb ? LIBXSMM_GEMM_FLAG_TRANS_B : LIBXSMM_GEMM_FLAG_NONE, prefetch = LIBXSMM_GEMM_PREFETCH_NONE;

  for (PetscInt i = 0; i < c->nkernels; i++) {
    e = &c->kernel[i];
    if (e->m == m && e->n == n && e->k == k && e->beta == beta) return e->fn;
  }
  if (c->nkernels < NN_MLP_KERNELS)
    e = &c->kernel[c->nkernels++];
  else {
    e       = &c->kernel[c->next];
    c->next = (c->next + 1) % NN_MLP_KERNELS;
  }
  *e = (NNMLPKernel){m, n, k, beta, libxsmm_dmmdispatch(lm, ln, lk, &lda, &ldb, &ldc, &alpha, &lbeta, &flags, &prefetch)};
  return e->fn;
}
#endif

/* C (m x n) = A op(B) + beta C at GEMM site `site` (3 layer + NN_MLP_GEMM_...), column-major with tight
   leading dimensions: A m x k, B k x n or, with tb, n x k (C = A B^T). With -nn_mlp_gemm xsmm a cached
   libxsmm kernel runs it (a transposed B in chunks of NN_MLP_XSMM_KCHUNK of the reduction); BLAS
   otherwise, and for shapes libxsmm refuses. */
static inline PetscErrorCode NNMLPProduct(NN_MLP *mlp, PetscInt site, PetscBool tb, PetscInt m, PetscInt n, PetscInt k, const PetscReal *A,
                                          const PetscReal *B, PetscReal beta, PetscReal *C)
{
  PetscFunctionBegin;
  if (!m || !n) PetscFunctionReturn(0);
#if defined(NNPDE_HAVE_LIBXSMM)
  if (mlp->gemm == NN_MLP_GEMM_XSMM && k > 0) {
    NNMLPKernelCache *c = &mlp->kc[site];

    if (!tb) {
      libxsmm_dmmfunction fn = NNMLPKernelGet(c, tb, m, n, k, beta);

      if (fn) {
        fn(A, B, C);
        PetscCall(PetscLogFlops(2.0 * m * n * k));
        PetscFunctionReturn(0);
      }
    } else {
      const PetscInt      kc = PetscMin(k, NN_MLP_XSMM_KCHUNK), kr = k % kc, nfull = k / kc;
      libxsmm_dmmfunction f0 = NNMLPKernelGet(c, tb, m, n, kc, beta), f1 = nfull > 1 ? NNMLPKernelGet(c, tb, m, n, kc, 1.0) : f0,
                          fr = kr ? NNMLPKernelGet(c, tb, m, n, kr, 1.0) : f0;

      if (f0 && f1 && fr) {
        /* chunk j: columns j kc.. of A (m x k, lda m) and of the stored B (n x k, ldb n) */
        f0(A, B, C);
        for (PetscInt j = 1; j < nfull; j++) f1(A + j * kc * m, B + j * kc * n, C);
        if (kr) fr(A + nfull * kc * m, B + nfull * kc * n, C);
        PetscCall(PetscLogFlops(2.0 * m * n * k));
        PetscFunctionReturn(0);
      }
    }
  }
#else
  (void)mlp;
  (void)site;
#endif
  PetscCall(NNMLPGemmBLAS(tb, m, n, k, A, B, beta, C));
  PetscCall(PetscLogFlops(2.0 * m * n * k));
  PetscFunctionReturn(0);
}

/* Tile layout <-> the layout of y in nn.h: each stream's m x T block is contiguous in both */
static void NNMLPTileScatter(PetscInt S, PetscInt m, PetscInt n, PetscInt p0, PetscInt T, const PetscReal *tile, PetscReal *y)
{
  for (PetscInt s = 0; s < S; s++) PetscArraycpy(y + (s * n + p0) * m, tile + s * T * m, T * m);
}

static void NNMLPTileGather(PetscInt S, PetscInt m, PetscInt n, PetscInt p0, PetscInt T, const PetscReal *y, PetscReal *tile)
{
  for (PetscInt s = 0; s < S; s++) PetscArraycpy(tile + s * T * m, y + (s * n + p0) * m, T * m);
}

/* W of every layer, column-major, for the forward GEMMs: non-transposed GEMMs take BLAS's faster
   small-matrix path */
static void NNMLPTransposeWeights(NN nn, const PetscReal *theta)
{
  NN_MLP *mlp = (NN_MLP *)nn->data;

  for (PetscInt l = 0; l < mlp->nlayers; l++) {
    const PetscInt   rows = mlp->size[l + 1], k = mlp->size[l];
    const PetscReal *W  = theta + mlp->offW[l];
    PetscReal       *Wt = mlp->Wt + mlp->offW[l];

    for (PetscInt r = 0; r < rows; r++)
      for (PetscInt c = 0; c < k; c++) Wt[c * rows + r] = W[r * k + c];
  }
}

/* One tile of nt points (inputs x, the tile's rows) through all layers, raw outputs in Y. The
   tile's data sit at point offset w0 of the workspace: the split path keeps every tile (w0 = the
   tile's first point), the fused one reuses the start of the workspace (w0 = 0). */
static PetscErrorCode NNMLPTileForward(NN nn, const PetscReal *theta, PetscInt w0, PetscInt nt, const PetscReal x[])
{
  NN_MLP        *mlp = (NN_MLP *)nn->data;
  const PetscInt S   = nn->jets.S;

  PetscFunctionBegin;
  NNEmbeddingForward_Private(&nn->embed, &nn->jets, nn->nin, nt, x, mlp->A[0] + mlp->size[0] * S * w0);
  for (PetscInt l = 0; l < mlp->nlayers; l++) {
    const PetscInt   rows = mlp->size[l + 1], k = mlp->size[l];
    const PetscReal *b = theta + mlp->offb[l], *in = mlp->A[l] + k * S * w0;
    PetscReal       *out = l < mlp->nhidden ? mlp->Z[l] + rows * S * w0 : mlp->Y + rows * S * w0;

    /* the bias (value stream) and zeros (the derivative streams) first, then the GEMM adds to them:
       beta = 1 spares BLAS its separate pass over C (OpenBLAS's beta kernel took ~10% of a step).
       libxsmm's kernels apply beta = 0 in place, so they write the derivative streams directly. */
    for (PetscInt p = 0; p < nt; p++)
      for (PetscInt r = 0; r < rows; r++) out[p * rows + r] = b[r];
    if (mlp->gemm == NN_MLP_GEMM_XSMM) {
      PetscCall(NNMLPProduct(mlp, 3 * l + NN_MLP_GEMM_FORWARD, PETSC_FALSE, rows, nt, k, mlp->Wt + mlp->offW[l], in, 1.0, out));
      PetscCall(NNMLPProduct(mlp, 3 * l + NN_MLP_GEMM_FORWARD, PETSC_FALSE, rows, (S - 1) * nt, k, mlp->Wt + mlp->offW[l], in + k * nt, 0.0,
                             out + rows * nt));
    } else {
      PetscCall(PetscArrayzero(out + rows * nt, rows * (S - 1) * nt));
      PetscCall(NNMLPProduct(mlp, 3 * l + NN_MLP_GEMM_FORWARD, PETSC_FALSE, rows, S * nt, k, mlp->Wt + mlp->offW[l], in, 1.0, out));
    }
    if (l < mlp->nhidden)
      NNJetsActivationForward_Private(&nn->jets, mlp->act, rows * nt, out, mlp->sig[l] ? mlp->sig[l] + 3 * rows * w0 : NULL,
                                      mlp->A[l + 1] + rows * S * w0);
  }
  PetscFunctionReturn(0);
}

/* Reverse through all layers of the tile that NNMLPTileForward() left at offset w0: ybar is the
   adjoint of the raw outputs in tile layout, gtheta (may be NULL) accumulates, xbar (the tile's
   rows, may be NULL) is added to. */
static PetscErrorCode NNMLPTileBackward(NN nn, const PetscReal *theta, PetscInt w0, PetscInt nt, const PetscReal x[], const PetscReal ybar[],
                                        PetscReal gtheta[], PetscReal xbar[])
{
  NN_MLP          *mlp = (NN_MLP *)nn->data;
  const PetscInt   S   = nn->jets.S;
  const PetscReal *cur = ybar;

  PetscFunctionBegin;
  for (PetscInt l = mlp->nlayers - 1; l >= 0; l--) {
    const PetscInt   rows = mlp->size[l + 1], k = mlp->size[l];
    const PetscReal *W = theta + mlp->offW[l], *A = mlp->A[l] + k * S * w0;

    if (gtheta) {
      PetscReal *gb = gtheta + mlp->offb[l];
      PetscCall(NNMLPProduct(mlp, 3 * l + NN_MLP_GEMM_BACKWARD_WEIGHT, PETSC_TRUE, k, rows, S * nt, A, cur, 1.0, gtheta + mlp->offW[l]));
      for (PetscInt p = 0; p < nt; p++)
        for (PetscInt r = 0; r < rows; r++) gb[r] += cur[p * rows + r];
    }
    if (l == 0 && !xbar) break;
    if (mlp->gemm == NN_MLP_GEMM_XSMM)
      PetscCall(NNMLPProduct(mlp, 3 * l + NN_MLP_GEMM_BACKWARD_INPUT, PETSC_FALSE, k, S * nt, rows, W, cur, 0.0, mlp->barA));
    else { /* zeros and beta = 1, as in the forward pass */
      PetscCall(PetscArrayzero(mlp->barA, k * S * nt));
      PetscCall(NNMLPProduct(mlp, 3 * l + NN_MLP_GEMM_BACKWARD_INPUT, PETSC_FALSE, k, S * nt, rows, W, cur, 1.0, mlp->barA));
    }
    if (l > 0) {
      NNJetsActivationBackward_Private(&nn->jets, k * nt, mlp->Z[l - 1] + k * S * w0, mlp->sig[l - 1] ? mlp->sig[l - 1] + 3 * k * w0 : NULL, A,
                                       mlp->barA, mlp->barZ);
      cur = mlp->barZ;
    } else
      NNEmbeddingBackward_Private(&nn->embed, &nn->jets, nn->nin, nt, x, mlp->barA, xbar);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNForward_MLP(NN nn, PetscInt n, const PetscReal x[], PetscReal y[])
{
  NN_MLP          *mlp = (NN_MLP *)nn->data;
  const PetscInt   S = nn->jets.S, d = nn->nin, m = nn->nout, T = NNMLPTile(nn);
  const PetscReal *theta;

  PetscFunctionBegin;
  PetscCall(NNGetLocalParameters_Private(nn, &theta));
  PetscCall(NNMLPEnsureWork(nn, n));
  mlp->n            = n;
  mlp->have_forward = PETSC_TRUE;
  if (!n) PetscFunctionReturn(0);
  PetscCall(PetscArraycpy(mlp->x, x, n * d));
  NNMLPTransposeWeights(nn, theta);
  for (PetscInt p0 = 0; p0 < n; p0 += T) PetscCall(NNMLPTileForward(nn, theta, p0, PetscMin(T, n - p0), x + p0 * d));
  if (nn->transform) {
    const PetscInt jt = 1 + d + d * d;

    for (PetscInt p0 = 0; p0 < n; p0 += T) NNMLPTileScatter(S, m, n, p0, PetscMin(T, n - p0), mlp->Y + m * S * p0, mlp->N);
    PetscCall(NNCallTransform(nn, n, mlp->x, 2, mlp->g, mlp->phi));
    NNOutputTransformForward_Private(&nn->jets, d, m, n, jt, mlp->g, mlp->phi, mlp->N, y);
  } else
    for (PetscInt p0 = 0; p0 < n; p0 += T) NNMLPTileScatter(S, m, n, p0, PetscMin(T, n - p0), mlp->Y + m * S * p0, y);
  PetscFunctionReturn(0);
}

static PetscErrorCode NNBackward_MLP(NN nn, const PetscReal ybar[], PetscReal gtheta[], PetscReal xbar[])
{
  NN_MLP          *mlp = (NN_MLP *)nn->data;
  const PetscInt   S = nn->jets.S, d = nn->nin, m = nn->nout, n = mlp->n, T = NNMLPTile(nn);
  const PetscReal *theta, *ubar = ybar;

  PetscFunctionBegin;
  PetscCheck(mlp->have_forward, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "NNBackward() needs a preceding NNForward()");
  PetscCall(NNGetLocalParameters_Private(nn, &theta));
  if (xbar) PetscCall(PetscArrayzero(xbar, n * d));
  if (!n || (!gtheta && !xbar)) PetscFunctionReturn(0);
  if (nn->transform) {
    const PetscReal *g = mlp->g, *phi = mlp->phi;
    PetscInt         jt = 1 + d + d * d;

    if (xbar) {
      jt = 1 + d + d * d + d * d * d;
      PetscCall(NNMLPEnsureTransform3(nn, n));
      PetscCall(NNCallTransform(nn, n, mlp->x, 3, mlp->g3, mlp->phi3));
      g   = mlp->g3;
      phi = mlp->phi3;
    }
    NNOutputTransformBackward_Private(&nn->jets, d, m, n, jt, g, phi, mlp->N, ybar, mlp->Nbar, xbar);
    ubar = mlp->Nbar;
  }
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt nt = PetscMin(T, n - p0);

    NNMLPTileGather(S, m, n, p0, nt, ubar, mlp->Ybar);
    PetscCall(NNMLPTileBackward(nn, theta, p0, nt, mlp->x + p0 * d, mlp->Ybar, gtheta, xbar ? xbar + p0 * d : NULL));
  }
  PetscFunctionReturn(0);
}

/* Fused: each tile forward, the caller's adjoint, reverse, in a workspace of one tile. A tile's raw
   outputs Y are already in the layout of nn.h for its nt points. */
static PetscErrorCode NNForwardBackward_MLP(NN nn, PetscInt n, const PetscReal x[], NNAdjointFn adjoint, void *ctx, PetscReal gtheta[],
                                            PetscReal xbar[])
{
  NN_MLP          *mlp = (NN_MLP *)nn->data;
  const PetscInt   d = nn->nin, m = nn->nout, T = NNMLPTile(nn), jt2 = 1 + d + d * d, jt3 = jt2 + d * d * d;
  const PetscReal *theta;

  PetscFunctionBegin;
  PetscCall(NNGetLocalParameters_Private(nn, &theta));
  PetscCall(NNMLPEnsureWork(nn, PetscMin(n, T)));
  mlp->have_forward = PETSC_FALSE; /* the workspace no longer holds a whole NNForward() */
  if (!n) PetscFunctionReturn(0);
  if (nn->transform && xbar) PetscCall(NNMLPEnsureTransform3(nn, PetscMin(n, T)));
  NNMLPTransposeWeights(nn, theta);
  for (PetscInt p0 = 0; p0 < n; p0 += T) {
    const PetscInt   nt = PetscMin(T, n - p0);
    const PetscReal *xt = x + p0 * d;
    PetscReal       *y = mlp->Y, *ybar = mlp->Ybar, *xb = xbar ? xbar + p0 * d : NULL;

    PetscCall(NNMLPTileForward(nn, theta, 0, nt, xt));
    if (nn->transform) {
      PetscCall(NNCallTransform(nn, nt, xt, 2, mlp->g, mlp->phi));
      NNOutputTransformForward_Private(&nn->jets, d, m, nt, jt2, mlp->g, mlp->phi, mlp->Y, mlp->N);
      y    = mlp->N;
      ybar = mlp->Nbar;
    }
    PetscCall((*adjoint)(ctx, p0, nt, y, ybar));
    if (xb) PetscCall(PetscArrayzero(xb, nt * d));
    if (!gtheta && !xb) continue;
    if (nn->transform) {
      if (xb) PetscCall(NNCallTransform(nn, nt, xt, 3, mlp->g3, mlp->phi3));
      NNOutputTransformBackward_Private(&nn->jets, d, m, nt, xb ? jt3 : jt2, xb ? mlp->g3 : mlp->g, xb ? mlp->phi3 : mlp->phi, mlp->Y, mlp->Nbar,
                                        mlp->Ybar, xb);
    }
    PetscCall(NNMLPTileBackward(nn, theta, 0, nt, xt, mlp->Ybar, gtheta, xb));
  }
  PetscFunctionReturn(0);
}

/*@
  NNMLPSetHiddenLayers - Sets the widths of the hidden layers of an `NNMLP` network.

  Logically Collective; before `NNSetUp()`

  Input Parameters:
+ nn      - the network, of type `NNMLP`
. nlayers - the number of hidden layers
- widths  - their widths, positive

  Options Database Key:
. -nn_mlp_hidden_layers <w1,w2,...> - the widths

  Level: beginner

.seealso: `NNMLPGetHiddenLayers()`, `NNMLPSetActivation()`
@*/
PetscErrorCode NNMLPSetHiddenLayers(NN nn, PetscInt nlayers, const PetscInt widths[])
{
  NN_MLP *mlp;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Set the hidden layers before NNSetUp()");
  if (!((PetscObject)nn)->type_name) PetscCall(NNSetType(nn, NNMLP));
  mlp = (NN_MLP *)nn->data;
  PetscCheck(nlayers >= 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "Number of hidden layers must be nonnegative, got %" PetscInt_FMT, nlayers);
  for (PetscInt l = 0; l < nlayers; l++)
    PetscCheck(widths[l] > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
               "Hidden layer %" PetscInt_FMT " has width %" PetscInt_FMT "; widths must be positive", l, widths[l]);
  PetscCall(PetscFree(mlp->widths));
  PetscCall(PetscMalloc1(nlayers, &mlp->widths));
  PetscCall(PetscArraycpy(mlp->widths, widths, nlayers));
  mlp->nhidden = nlayers;
  PetscFunctionReturn(0);
}

/*@C
  NNMLPGetHiddenLayers - Gets the widths of the hidden layers of an `NNMLP` network.

  Not Collective

  Input Parameter:
. nn - the network, of type `NNMLP`

  Output Parameters:
+ nlayers - the number of hidden layers (pass NULL if not wanted)
- widths  - their widths (borrowed; pass NULL if not wanted)

  Level: beginner

.seealso: `NNMLPSetHiddenLayers()`
@*/
PetscErrorCode NNMLPGetHiddenLayers(NN nn, PetscInt *nlayers, const PetscInt *widths[])
{
  NN_MLP *mlp = (NN_MLP *)nn->data;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  if (nlayers) *nlayers = mlp->nhidden;
  if (widths) *widths = mlp->widths;
  PetscFunctionReturn(0);
}

/*@
  NNMLPGetLayerParameters - Where the parameters of one linear layer of an `NNMLP` network sit in its
  parameter Vec: W (nout x nin, row-major) then b (nout), entries offset .. offset + nout (nin + 1) - 1.

  Not Collective

  Input Parameters:
+ nn    - the network, of type `NNMLP`, set up
- layer - the linear layer: 0 maps the (embedded) inputs to the first hidden layer, l the hidden layer l to
          l + 1, and the number of hidden layers is the output layer

  Output Parameters:
+ offset - its first entry (pass NULL if not wanted)
. nin    - its input width (the embedding's width for layer 0; pass NULL if not wanted)
- nout   - its output width (pass NULL if not wanted)

  Level: advanced

.seealso: `NNMLPGetHiddenLayers()`, `NNGetParameters()`
@*/
PetscErrorCode NNMLPGetLayerParameters(NN nn, PetscInt layer, PetscInt *offset, PetscInt *nin, PetscInt *nout)
{
  NN_MLP   *mlp;
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)nn, NNMLP, &same));
  PetscCheck(same, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "The network is of type %s, not mlp",
             ((PetscObject)nn)->type_name ? ((PetscObject)nn)->type_name : "(none)");
  PetscCheck(nn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  mlp = (NN_MLP *)nn->data;
  PetscCheck(layer >= 0 && layer < mlp->nlayers, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "Layer %" PetscInt_FMT " out of range [0, %" PetscInt_FMT "] (the last is the output layer)", layer, mlp->nlayers - 1);
  if (offset) *offset = mlp->offW[layer];
  if (nin) *nin = mlp->size[layer];
  if (nout) *nout = mlp->size[layer + 1];
  PetscFunctionReturn(0);
}

/*@
  NNMLPSetActivation - Sets the activation of the hidden layers of an `NNMLP` network.

  Logically Collective

  Input Parameters:
+ nn  - the network, of type `NNMLP`
- act - the activation (`NN_ACTIVATION_TANH` by default)

  Options Database Key:
. -nn_mlp_activation <tanh> - tanh, sin, softplus, gelu or relu

  Level: beginner

.seealso: `NNMLPGetActivation()`, `NNActivation`
@*/
PetscErrorCode NNMLPSetActivation(NN nn, NNActivation act)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Set the activation before NNSetUp()");
  if (!((PetscObject)nn)->type_name) PetscCall(NNSetType(nn, NNMLP));
  ((NN_MLP *)nn->data)->act = act;
  PetscFunctionReturn(0);
}

/*@
  NNMLPGetActivation - Gets the activation of the hidden layers of an `NNMLP` network.

  Not Collective

  Input Parameter:
. nn - the network, of type `NNMLP`

  Output Parameter:
. act - the activation

  Level: beginner

.seealso: `NNMLPSetActivation()`
@*/
PetscErrorCode NNMLPGetActivation(NN nn, NNActivation *act)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *act = ((NN_MLP *)nn->data)->act;
  PetscFunctionReturn(0);
}

/*@
  NNMLPSetGemm - Sets who runs the matrix products of an `NNMLP` network: BLAS, or libxsmm's JIT kernels.

  Logically Collective

  Input Parameters:
+ nn   - the network, of type `NNMLP`
- gemm - `NN_MLP_GEMM_BLAS` or `NN_MLP_GEMM_XSMM`

  Options Database Keys:
+ -nn_mlp_gemm <blas,xsmm> - the default is xsmm when nnpde was built with libxsmm, blas otherwise
- -nn_mlp_gemm_default <blas,xsmm> - unprefixed: the default of every MLP the program creates (e.g. in PETSC_OPTIONS)

  Notes:
  The layers' products are small (the layer widths by a tile of a few hundred columns), where libxsmm's
  kernels, compiled for each shape, run faster than a BLAS dgemm that packs its operands (measured on AVX2:
  1.1-1.25x on 50 x 50 layers, 1.1-2.8x on the thin first and last layers; bench/results/mlp_gemm.md). Both give the same
  results to round-off. `NN_MLP_GEMM_XSMM` is available only when nnpde was built with libxsmm
  (Debian: libxsmm-dev, found by CMake); shapes libxsmm refuses run on BLAS. The networks of a PINN carry
  prefixes (-pinn_u_nn_mlp_gemm, ...); -nn_mlp_gemm_default, read without a prefix when a network is created,
  switches them all at once, e.g. PETSC_OPTIONS="-nn_mlp_gemm_default blas" to run a program on BLAS.

  Level: advanced

.seealso: `NNMLPGetGemm()`, `NNMLPGemm`
@*/
PetscErrorCode NNMLPSetGemm(NN nn, NNMLPGemm gemm)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscValidLogicalCollectiveEnum(nn, gemm, 2);
  PetscCheck(gemm == NN_MLP_GEMM_BLAS || gemm == NN_MLP_GEMM_XSMM, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE, "Unknown GEMM kind %d",
             (int)gemm);
#if !defined(NNPDE_HAVE_LIBXSMM)
  PetscCheck(gemm != NN_MLP_GEMM_XSMM, PetscObjectComm((PetscObject)nn), PETSC_ERR_SUP,
             "-nn_mlp_gemm xsmm: nnpde was built without libxsmm (install libxsmm-dev and reconfigure)");
#endif
  if (!((PetscObject)nn)->type_name) PetscCall(NNSetType(nn, NNMLP));
  ((NN_MLP *)nn->data)->gemm = gemm;
  PetscFunctionReturn(0);
}

/*@
  NNMLPGetGemm - Gets who runs the matrix products of an `NNMLP` network.

  Not Collective

  Input Parameter:
. nn - the network, of type `NNMLP`

  Output Parameter:
. gemm - `NN_MLP_GEMM_BLAS` or `NN_MLP_GEMM_XSMM`

  Level: advanced

.seealso: `NNMLPSetGemm()`
@*/
PetscErrorCode NNMLPGetGemm(NN nn, NNMLPGemm *gemm)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscValidPointer(gemm, 2);
  *gemm = ((NN_MLP *)nn->data)->gemm;
  PetscFunctionReturn(0);
}

static PetscErrorCode NNSetFromOptions_MLP(NN nn, PetscOptionItems *PetscOptionsObject)
{
  NN_MLP   *mlp = (NN_MLP *)nn->data;
  PetscInt  widths[64], nw = 64;
  PetscBool flg;
  NNMLPGemm gemm;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "MLP options");
  PetscCall(NNOptionsIntList("-nn_mlp_hidden_layers", "Widths of the hidden layers", "NNMLPSetHiddenLayers", mlp->nhidden, mlp->widths, 64, widths,
                             &nw, &flg));
  if (flg) PetscCall(NNMLPSetHiddenLayers(nn, nw, widths));
  PetscCall(PetscOptionsEnum("-nn_mlp_activation", "Activation of the hidden layers", "NNMLPSetActivation", NNActivations, (PetscEnum)mlp->act,
                             (PetscEnum *)&mlp->act, NULL));
  PetscCall(PetscOptionsEnum("-nn_mlp_gemm", "Who runs the matrix products (xsmm: libxsmm's JIT kernels, when built with libxsmm)", "NNMLPSetGemm",
                             NNMLPGemms, (PetscEnum)mlp->gemm, (PetscEnum *)&gemm, &flg));
  if (flg) PetscCall(NNMLPSetGemm(nn, gemm));
  PetscCall(
      NNOptionsInt("-nn_mlp_tile_points", "Points per cache tile of the jet passes (0: about 400 GEMM columns)", "", mlp->tile, &mlp->tile, NULL));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode NNDestroy_MLP(NN nn)
{
  NN_MLP *mlp = (NN_MLP *)nn->data;

  PetscFunctionBegin;
  PetscCall(NNMLPFreeWork(mlp));
  PetscCall(PetscFree(mlp->widths));
  PetscCall(PetscFree3(mlp->size, mlp->offW, mlp->offb));
  PetscCall(PetscFree(mlp->kc));
  PetscCall(PetscFree(nn->data));
  PetscFunctionReturn(0);
}

/*MC
  NNMLP - "mlp": a dense multilayer perceptron with derivative jets.

  Options: -nn_mlp_hidden_layers <50,50,50>, -nn_mlp_activation <tanh,sin,softplus,gelu,relu>,
           -nn_mlp_tile_points <0> (points per cache tile; 0 chooses about 400 GEMM columns),
           -nn_mlp_gemm <blas,xsmm> (the matrix products; xsmm, the default when built with libxsmm),
           -nn_mlp_gemm_default <blas,xsmm> (unprefixed: the default for every MLP of the program)

  Level: beginner
M*/
PetscErrorCode NNCreate_MLP(NN nn)
{
  NN_MLP *mlp;

  PetscFunctionBegin;
  PetscCall(PetscNew(&mlp));
  nn->data = mlp;
  mlp->act = NN_ACTIVATION_TANH;
#if defined(NNPDE_HAVE_LIBXSMM)
  mlp->gemm = NN_MLP_GEMM_XSMM;
#else
  mlp->gemm = NN_MLP_GEMM_BLAS;
#endif
  { /* one switch for every MLP of the program, whatever its prefix (the prefixed -nn_mlp_gemm still wins) */
    PetscBool flg;
    NNMLPGemm gemm;

    PetscCall(PetscOptionsGetEnum(NULL, NULL, "-nn_mlp_gemm_default", NNMLPGemms, (PetscEnum *)&gemm, &flg));
#if !defined(NNPDE_HAVE_LIBXSMM)
    PetscCheck(!flg || gemm != NN_MLP_GEMM_XSMM, PetscObjectComm((PetscObject)nn), PETSC_ERR_SUP,
               "-nn_mlp_gemm_default xsmm: nnpde was built without libxsmm (install libxsmm-dev and reconfigure)");
#endif
    if (flg) mlp->gemm = gemm;
  }
  {
    const PetscInt w[3] = {50, 50, 50};
    mlp->nhidden        = 3;
    PetscCall(PetscMalloc1(3, &mlp->widths));
    PetscCall(PetscArraycpy(mlp->widths, w, 3));
  }
  nn->ops->setup           = NNSetUp_MLP;
  nn->ops->initialize      = NNInitialize_MLP;
  nn->ops->architecture    = NNArchitecture_MLP;
  nn->ops->forward         = NNForward_MLP;
  nn->ops->backward        = NNBackward_MLP;
  nn->ops->forwardbackward = NNForwardBackward_MLP;
  nn->ops->setfromoptions  = NNSetFromOptions_MLP;
  nn->ops->destroy         = NNDestroy_MLP;
  PetscFunctionReturn(0);
}

/* NN type "cnn3d": the DCDM network on a 3-D DMDA (layer lists and parameter layout in cnn3d.h).

   Storage. Every activation is a float32 array over the rank's owned box with one ghost layer on
   each side, channels fastest: a[((z*Y + y)*X + x)*nc + c] with X = xm + 2 etc. (fine level) or
   xm/2 + 2 (coarse level). Ghosts at the physical boundary are zero and never written (zero
   padding); the others are filled by one halo exchange before each convolution, in three phases
   (x, y, z faces, each later phase carrying the earlier ghosts, so edges and corners arrive too).
   The coarse level has the fine decomposition halved, so the pool and the upsample never cross
   ranks; neighbours are the DMDA's.

   Convolutions are GEMMs over blocks of whole rows: im2col of a block (27 nc rows, one column per
   cell) and C (cout x cells) = A (cout x 27 nc) col, with A[co + cout (k nc + ci)] = W[co][ci][k]
   and k = (kz*3 + ky)*3 + kx. The reverse pass exchanges the halo of the output adjoint zbar and
   runs it through the same kernel with the flipped, transposed weights (inbar), and accumulates
   dL/dW = zbar col^T per block in float32, summed over blocks in float64.

   Without NNCNN3DSetKeepActivations() the activations share buffers by liveness (a handful of
   fields); with it each tensor keeps its own buffer for the reverse pass. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/cnn3d.h>
#include <nnpde/random.h>
#include <string.h>

#define NN_CNN3D_INIT_STREAM 0x434E4E33ULL /* random stream of the initial weights, + layer index */
#define CNN_NC 16                          /* channels */

/* single precision GEMM from the linked BLAS (PETSc's wrappers are for PetscScalar = double) */
extern void sgemm_(const char *, const char *, const int *, const int *, const int *, const float *, const float *, const int *, const float *,
                   const int *, const float *, float *, const int *);

typedef enum { CNN_OP_CONV, CNN_OP_ADD, CNN_OP_POOL, CNN_OP_UP, CNN_OP_DENSE } CNNOpKind;

typedef struct {
  CNNOpKind kind;
  PetscInt  in, in2, out; /* tensors; in2: second addend (ADD, UP: the fine skip); DENSE has no out */
  PetscInt  layer;        /* CONV, DENSE */
  PetscBool relu;
} CNNOp;

typedef struct {
  PetscInt level; /* 0 fine, 1 coarse */
  PetscInt nc;    /* channels */
  PetscInt slot;  /* activation buffer */
} CNNTensor;

typedef struct {
  PetscInt cin, cout, ks; /* ks: 27 (3x3x3) or 1 (dense) */
  PetscInt offW, offb;
} CNNLayer;

typedef struct {
  PetscInt xm, ym, zm; /* owned cells */
  PetscInt X, Y, Z;    /* with one ghost layer on each side */
} CNNBox;

typedef struct {
  PetscInt  K;     /* 64 or 128 */
  PetscBool keep;  /* keep the activations for the reverse pass */
  PetscInt  block; /* cells per GEMM block (whole rows) */
  /* the program */
  PetscInt   nops, ntensors, nlayers;
  CNNOp     *ops;
  CNNTensor *t;
  CNNLayer  *layers;
  PetscInt   nslots;
  PetscInt  *slotlevel, *slotnc;
  /* the grid */
  DM          da;
  MPI_Comm    comm;   /* duplicate of the DMDA's communicator, for the halo exchange */
  PetscMPIInt nbr[6]; /* -x, +x, -y, +y, -z, +z neighbours, -1 at the physical boundary */
  CNNBox      box[2];
  /* buffers (allocated for the current DM and keep setting) */
  PetscBool  bufs;
  float    **act;     /* nslots activations */
  float    **bar;     /* ntensors adjoints, allocated by the first reverse pass */
  float     *zb[2];   /* per level: adjoint of a convolution's output, with halo */
  float     *col, *C; /* im2col block, GEMM result block */
  float     *Gf;      /* one block's weight gradient */
  PetscReal *gacc;    /* one layer's weight and bias gradient, A layout */
  float     *sbuf[2], *rbuf[2];
  PetscInt   facemax;    /* floats per face buffer */
  float     *Wf, *Wflip; /* float weights in A layout (biases at offb), flipped and transposed */
  PetscBool  have_forward;
} NN_CNN3D;

/* ---- the program ---------------------------------------------------------------------------- */

static PetscInt CNNNewTensor(NN_CNN3D *c, PetscInt level, PetscInt nc)
{
  c->t[c->ntensors].level = level;
  c->t[c->ntensors].nc    = nc;
  c->t[c->ntensors].slot  = -1;
  return c->ntensors++;
}

static PetscInt CNNAddConv(NN_CNN3D *c, PetscInt in, PetscBool relu)
{
  const PetscInt out = CNNNewTensor(c, c->t[in].level, CNN_NC);
  CNNOp         *op  = &c->ops[c->nops++];

  op->kind                   = CNN_OP_CONV;
  op->in                     = in;
  op->in2                    = -1;
  op->out                    = out;
  op->layer                  = c->nlayers;
  op->relu                   = relu;
  c->layers[c->nlayers].cin  = c->t[in].nc;
  c->layers[c->nlayers].cout = CNN_NC;
  c->layers[c->nlayers].ks   = 27;
  c->nlayers++;
  return out;
}

static PetscInt CNNAddOp(NN_CNN3D *c, CNNOpKind kind, PetscInt in, PetscInt in2, PetscInt level)
{
  const PetscInt out = CNNNewTensor(c, level, CNN_NC);
  CNNOp         *op  = &c->ops[c->nops++];

  op->kind  = kind;
  op->in    = in;
  op->in2   = in2;
  op->out   = out;
  op->layer = -1;
  op->relu  = PETSC_FALSE;
  return out;
}

/* (c, c+) x n from a: b = c(a); a = c(b) + a */
static PetscInt CNNAddPairs(NN_CNN3D *c, PetscInt a, PetscInt n)
{
  for (PetscInt i = 0; i < n; i++) {
    const PetscInt b = CNNAddConv(c, a, PETSC_TRUE), s = CNNAddConv(c, b, PETSC_TRUE);
    a = CNNAddOp(c, CNN_OP_ADD, s, a, c->t[a].level);
  }
  return a;
}

/* Build ops, tensors and layers for depth K; slots by liveness unless keep */
static PetscErrorCode CNNBuildProgram(NN nn)
{
  NN_CNN3D      *c = (NN_CNN3D *)nn->data;
  const PetscInt P = c->K == 64 ? 1 : 2, H = c->K == 64 ? 3 : 5, Q = c->K == 64 ? 2 : 3;
  const PetscInt nconv = 3 + 2 * (P + H + Q), nadd = P + H + Q, maxops = nconv + nadd + 3, maxt = maxops + 1;
  PetscInt       a, lb, off = 0;

  PetscFunctionBegin;
  PetscCall(PetscFree(c->ops));
  PetscCall(PetscFree(c->t));
  PetscCall(PetscFree(c->layers));
  PetscCall(PetscMalloc1(maxops, &c->ops));
  PetscCall(PetscMalloc1(maxt, &c->t));
  PetscCall(PetscMalloc1(nconv + 1, &c->layers));
  c->nops = c->ntensors = c->nlayers = 0;

  a  = CNNNewTensor(c, 0, 1); /* tensor 0: the input */
  a  = CNNAddConv(c, a, PETSC_FALSE);
  a  = CNNAddConv(c, a, PETSC_TRUE);
  a  = CNNAddPairs(c, a, P);
  lb = CNNAddConv(c, a, PETSC_TRUE);
  a  = CNNAddOp(c, CNN_OP_POOL, lb, -1, 1);
  a  = CNNAddPairs(c, a, H);
  a  = CNNAddOp(c, CNN_OP_UP, a, lb, 0);
  a  = CNNAddPairs(c, a, Q);
  {
    CNNOp *op                  = &c->ops[c->nops++];
    op->kind                   = CNN_OP_DENSE;
    op->in                     = a;
    op->in2                    = -1;
    op->out                    = -1;
    op->layer                  = c->nlayers;
    op->relu                   = PETSC_FALSE;
    c->layers[c->nlayers].cin  = CNN_NC;
    c->layers[c->nlayers].cout = 1;
    c->layers[c->nlayers].ks   = 1;
    c->nlayers++;
  }
  PetscCheck(c->nops <= maxops && c->ntensors <= maxt && c->nlayers <= nconv + 1, PETSC_COMM_SELF, PETSC_ERR_PLIB, "cnn3d program overflow");
  for (PetscInt l = 0; l < c->nlayers; l++) {
    CNNLayer *L = &c->layers[l];
    L->offW     = off;
    off += L->cout * L->cin * L->ks;
    L->offb = off;
    off += L->cout;
  }
  nn->nparam = off;
  PetscFunctionReturn(0);
}

/* Activation buffers: every tensor its own with keep, else a slot is reused once its tensor is read
   for the last time (an op's output never shares its inputs' slots). */
static PetscErrorCode CNNAssignSlots(NN_CNN3D *c)
{
  PetscInt  *last;
  PetscBool *busy;

  PetscFunctionBegin;
  PetscCall(PetscFree2(c->slotlevel, c->slotnc));
  PetscCall(PetscMalloc2(c->ntensors, &c->slotlevel, c->ntensors, &c->slotnc));
  PetscCall(PetscMalloc2(c->ntensors, &last, c->ntensors, &busy));
  for (PetscInt t = 0; t < c->ntensors; t++) last[t] = -1;
  for (PetscInt i = 0; i < c->nops; i++) {
    last[c->ops[i].in] = i;
    if (c->ops[i].in2 >= 0) last[c->ops[i].in2] = i;
  }
  c->nslots       = 1;
  c->t[0].slot    = 0;
  c->slotlevel[0] = 0;
  c->slotnc[0]    = 1;
  busy[0]         = PETSC_TRUE;
  for (PetscInt i = 0; i < c->nops; i++) {
    const CNNOp *op = &c->ops[i];

    if (op->out >= 0) {
      const CNNTensor *T = &c->t[op->out];
      PetscInt         s = -1;

      for (PetscInt k = 0; k < c->nslots && s < 0; k++)
        if (!busy[k] && c->slotlevel[k] == T->level && c->slotnc[k] == T->nc) s = k;
      if (s < 0) {
        s               = c->nslots++;
        c->slotlevel[s] = T->level;
        c->slotnc[s]    = T->nc;
      }
      busy[s]            = PETSC_TRUE;
      c->t[op->out].slot = s;
    }
    if (!c->keep) {
      if (last[op->in] == i) busy[c->t[op->in].slot] = PETSC_FALSE;
      if (op->in2 >= 0 && last[op->in2] == i) busy[c->t[op->in2].slot] = PETSC_FALSE;
    }
  }
  PetscCall(PetscFree2(last, busy));
  PetscFunctionReturn(0);
}

/* ---- buffers --------------------------------------------------------------------------------- */

static size_t CNNBoxSize(const CNNBox *b, PetscInt nc)
{
  return (size_t)b->X * b->Y * b->Z * nc;
}

static PetscErrorCode CNNFreeBuffers(NN_CNN3D *c)
{
  PetscFunctionBegin;
  for (PetscInt s = 0; c->act && s < c->nslots; s++) PetscCall(PetscFree(c->act[s]));
  for (PetscInt t = 0; c->bar && t < c->ntensors; t++) PetscCall(PetscFree(c->bar[t]));
  PetscCall(PetscFree(c->act));
  PetscCall(PetscFree(c->bar));
  PetscCall(PetscFree(c->zb[0]));
  PetscCall(PetscFree(c->zb[1]));
  PetscCall(PetscFree3(c->col, c->C, c->Gf));
  PetscCall(PetscFree(c->gacc));
  PetscCall(PetscFree4(c->sbuf[0], c->sbuf[1], c->rbuf[0], c->rbuf[1]));
  c->bufs         = PETSC_FALSE;
  c->have_forward = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* Rows per GEMM block on a level: the block size rounded down to whole rows of that level, at least one */
static PetscInt CNNRowsPerBlock(const NN_CNN3D *c, const CNNBox *b)
{
  return PetscMax(1, c->block / b->xm);
}

/* Cells of the largest block any level takes: the im2col and GEMM buffers are shared by the levels,
   and the coarse level's rows are half as long, so its blocks can hold more cells than the fine one's
   (block 512, xm 48: 10 x 48 = 480 fine, 21 x 24 = 504 coarse) */
static PetscInt CNNBlockCells(const NN_CNN3D *c)
{
  PetscInt nb = 1;

  for (PetscInt lev = 0; lev < 2; lev++) {
    const CNNBox *b = &c->box[lev];
    nb              = PetscMax(nb, PetscMin(CNNRowsPerBlock(c, b), b->ym * b->zm) * b->xm);
  }
  return nb;
}

static PetscErrorCode CNNEnsureBuffers(NN nn)
{
  NN_CNN3D      *c  = (NN_CNN3D *)nn->data;
  const CNNBox  *b  = &c->box[0];
  const PetscInt nb = CNNBlockCells(c);

  PetscFunctionBegin;
  if (c->bufs) PetscFunctionReturn(0);
  PetscCall(CNNAssignSlots(c));
  PetscCall(PetscCalloc1(c->nslots, &c->act));
  for (PetscInt s = 0; s < c->nslots; s++) PetscCall(PetscCalloc1(CNNBoxSize(&c->box[c->slotlevel[s]], c->slotnc[s]), &c->act[s]));
  PetscCall(PetscMalloc3((size_t)27 * CNN_NC * nb, &c->col, (size_t)CNN_NC * nb, &c->C, 27 * CNN_NC * CNN_NC, &c->Gf));
  PetscCall(PetscMalloc1(27 * CNN_NC * CNN_NC + CNN_NC, &c->gacc));
  c->facemax = CNN_NC * PetscMax(PetscMax(b->Y * b->Z, b->X * b->Z), b->X * b->Y);
  PetscCall(PetscMalloc4(c->facemax, &c->sbuf[0], c->facemax, &c->sbuf[1], c->facemax, &c->rbuf[0], c->facemax, &c->rbuf[1]));
  c->bufs = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* ---- kernels --------------------------------------------------------------------------------- */

static PetscErrorCode CNNsgemm(const char *ta, const char *tb, PetscInt m, PetscInt n, PetscInt k, const float *A, PetscInt lda, const float *B,
                               PetscInt ldb, float beta, float *C, PetscInt ldc)
{
  PetscBLASInt bm, bn, bk, blda, bldb, bldc;
  const float  one = 1.0f;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(m, &bm));
  PetscCall(PetscBLASIntCast(n, &bn));
  PetscCall(PetscBLASIntCast(k, &bk));
  PetscCall(PetscBLASIntCast(lda, &blda));
  PetscCall(PetscBLASIntCast(ldb, &bldb));
  PetscCall(PetscBLASIntCast(ldc, &bldc));
  PetscStackCallExternalVoid("sgemm", sgemm_(ta, tb, &bm, &bn, &bk, &one, A, &blda, B, &bldb, &beta, C, &bldc));
  PetscFunctionReturn(0);
}

/* Pointer to interior cell (x, y, z) of a padded array */
static inline float *CNNAt(const CNNBox *b, PetscInt nc, float *a, PetscInt x, PetscInt y, PetscInt z)
{
  return a + (((size_t)(z + 1) * b->Y + (y + 1)) * b->X + (x + 1)) * nc;
}

/* im2col of interior rows [r0, r1) (row r = y + ym z): column j = cell, rows k nc + ci */
static void CNNIm2col(const CNNBox *b, PetscInt nc, const float *in, PetscInt r0, PetscInt r1, float *col)
{
  const PetscInt K = 27 * nc, xm = b->xm;

  for (PetscInt r = r0; r < r1; r++) {
    const PetscInt y = r % b->ym, z = r / b->ym;
    float         *dst0 = col + (size_t)(r - r0) * xm * K;

    for (PetscInt k = 0; k < 27; k++) {
      const PetscInt dx = k % 3, dy = (k / 3) % 3, dz = k / 9; /* tap offset + 1, i.e. the padded index shift */
      const float   *src = in + (((size_t)(z + dz) * b->Y + (y + dy)) * b->X + dx) * nc;
      float         *dst = dst0 + k * nc;

      if (nc == CNN_NC)
        for (PetscInt x = 0; x < xm; x++)
          for (PetscInt ci = 0; ci < CNN_NC; ci++) dst[x * K + ci] = src[x * CNN_NC + ci];
      else
        for (PetscInt x = 0; x < xm; x++)
          for (PetscInt ci = 0; ci < nc; ci++) dst[x * K + ci] = src[x * nc + ci];
    }
  }
}

/* 3x3x3 convolution over the interior: out = [relu](bias + A in), or out += A in (accumulate,
   bias NULL). A is cout x 27 cin, column-major. The halo of in must be current. */
static PetscErrorCode CNNConv(NN_CNN3D *c, const CNNBox *b, PetscInt cin, const float *in, PetscInt cout, const float *A, const float *bias,
                              PetscBool relu, PetscBool accumulate, float *out)
{
  const PetscInt K = 27 * cin, rows = b->ym * b->zm, rpb = CNNRowsPerBlock(c, b), xm = b->xm;

  PetscFunctionBegin;
  for (PetscInt r0 = 0; r0 < rows; r0 += rpb) {
    const PetscInt r1 = PetscMin(rows, r0 + rpb), nb = (r1 - r0) * xm;

    CNNIm2col(b, cin, in, r0, r1, c->col);
    PetscCall(CNNsgemm("N", "N", cout, nb, K, A, cout, c->col, K, 0.0f, c->C, cout));
    for (PetscInt r = r0; r < r1; r++) {
      float       *o  = CNNAt(b, cout, out, 0, r % b->ym, r / b->ym);
      const float *Cr = c->C + (size_t)(r - r0) * xm * cout;

      if (accumulate)
        for (PetscInt j = 0; j < xm * cout; j++) o[j] += Cr[j];
      else if (relu)
        for (PetscInt x = 0; x < xm; x++)
          for (PetscInt co = 0; co < cout; co++) o[x * cout + co] = PetscMax(Cr[x * cout + co] + bias[co], 0.0f);
      else
        for (PetscInt x = 0; x < xm; x++)
          for (PetscInt co = 0; co < cout; co++) o[x * cout + co] = Cr[x * cout + co] + bias[co];
    }
  }
  PetscCall(PetscLogFlops(2.0 * cout * K * rows * xm));
  PetscFunctionReturn(0);
}

/* gA (cout x 27 cin, column-major, float64) += zb col(in)^T, gb += row sums of zb, over the interior */
static PetscErrorCode CNNConvWeightGrad(NN_CNN3D *c, const CNNBox *b, PetscInt cin, const float *in, PetscInt cout, float *zb, PetscReal *gA,
                                        PetscReal *gb)
{
  const PetscInt K = 27 * cin, rows = b->ym * b->zm, rpb = CNNRowsPerBlock(c, b), xm = b->xm;

  PetscFunctionBegin;
  for (PetscInt r0 = 0; r0 < rows; r0 += rpb) {
    const PetscInt r1 = PetscMin(rows, r0 + rpb), nb = (r1 - r0) * xm;

    CNNIm2col(b, cin, in, r0, r1, c->col);
    for (PetscInt r = r0; r < r1; r++)
      PetscCall(PetscArraycpy(c->C + (size_t)(r - r0) * xm * cout, CNNAt(b, cout, zb, 0, r % b->ym, r / b->ym), xm * cout));
    PetscCall(CNNsgemm("N", "T", cout, K, nb, c->C, cout, c->col, K, 0.0f, c->Gf, cout));
    for (PetscInt i = 0; i < cout * K; i++) gA[i] += c->Gf[i];
    for (PetscInt j = 0; j < nb; j++)
      for (PetscInt co = 0; co < cout; co++) gb[co] += c->C[j * cout + co];
  }
  PetscCall(PetscLogFlops(2.0 * cout * K * rows * xm));
  PetscFunctionReturn(0);
}

/* One face of a padded array to (pack) or from (unpack) buf: index idx along axis; the axes not yet
   exchanged (after axis) over the interior, the ones already exchanged (before axis) with ghosts */
static PetscInt CNNFace(const CNNBox *b, PetscInt nc, PetscInt axis, PetscInt idx, float *a, float *buf, PetscBool pack)
{
  const PetscInt full[3] = {b->X, b->Y, b->Z};
  PetscInt       lo[3], hi[3], n = 0;

  for (PetscInt d = 0; d < 3; d++) {
    lo[d] = d < axis ? 0 : 1;
    hi[d] = d < axis ? full[d] : full[d] - 1;
  }
  lo[axis] = idx;
  hi[axis] = idx + 1;
  for (PetscInt z = lo[2]; z < hi[2]; z++)
    for (PetscInt y = lo[1]; y < hi[1]; y++) {
      float         *row = a + (((size_t)z * b->Y + y) * b->X + lo[0]) * nc;
      const PetscInt len = (hi[0] - lo[0]) * nc;

      if (pack)
        memcpy(buf + n, row, (size_t)len * sizeof(float));
      else
        memcpy(row, buf + n, (size_t)len * sizeof(float));
      n += len;
    }
  return n;
}

/* Fill the ghosts of a (level, nc channels) from the neighbours: x, then y, then z faces */
static PetscErrorCode CNNExchange(NN_CNN3D *c, PetscInt level, PetscInt nc, float *a)
{
  const CNNBox  *b      = &c->box[level];
  const PetscInt own[3] = {b->xm, b->ym, b->zm};

  PetscFunctionBegin;
  for (PetscInt axis = 0; axis < 3; axis++) {
    MPI_Request req[4];
    int         nreq = 0, n = 0;

    for (PetscInt side = 0; side < 2; side++) {
      const PetscMPIInt nbr = c->nbr[2 * axis + side];

      if (nbr < 0) continue;
      n = (int)CNNFace(b, nc, axis, side ? own[axis] : 1, a, c->sbuf[side], PETSC_TRUE);
      PetscCallMPI(MPI_Irecv(c->rbuf[side], n, MPI_FLOAT, nbr, (int)(2 * axis + 1 - side), c->comm, &req[nreq++]));
      PetscCallMPI(MPI_Isend(c->sbuf[side], n, MPI_FLOAT, nbr, (int)(2 * axis + side), c->comm, &req[nreq++]));
    }
    if (!nreq) continue;
    PetscCallMPI(MPI_Waitall(nreq, req, MPI_STATUSES_IGNORE));
    for (PetscInt side = 0; side < 2; side++)
      if (c->nbr[2 * axis + side] >= 0) (void)CNNFace(b, nc, axis, side ? own[axis] + 1 : 0, a, c->rbuf[side], PETSC_FALSE);
  }
  PetscFunctionReturn(0);
}

/* Float weights: A layout for the forward kernel, biases at offb; the flipped transpose
   Aflip[ci + cin (k cout + co)] = W[co][ci][26 - k] for the adjoint */
static void CNNConvertWeights(NN_CNN3D *c, const PetscReal *theta)
{
  for (PetscInt l = 0; l < c->nlayers; l++) {
    const CNNLayer *L = &c->layers[l];

    for (PetscInt co = 0; co < L->cout; co++)
      for (PetscInt ci = 0; ci < L->cin; ci++)
        for (PetscInt k = 0; k < L->ks; k++) {
          const float w = (float)theta[L->offW + (co * L->cin + ci) * L->ks + k];

          c->Wf[L->offW + co + L->cout * (k * L->cin + ci)]                  = w;
          c->Wflip[L->offW + ci + L->cin * ((L->ks - 1 - k) * L->cout + co)] = w;
        }
    for (PetscInt co = 0; co < L->cout; co++) c->Wf[L->offb + co] = (float)theta[L->offb + co];
  }
}

/* ---- forward and reverse ----------------------------------------------------------------------- */

static PetscErrorCode CNNCheckVec(NN_CNN3D *c, Vec v, const char name[])
{
  PetscInt n;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(v, VEC_CLASSID, 1);
  PetscCall(VecGetLocalSize(v, &n));
  PetscCheck(n == c->box[0].xm * c->box[0].ym * c->box[0].zm, PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ,
             "cnn3d: %s has local size %" PetscInt_FMT ", the DMDA owns %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT " cells here", name,
             n, c->box[0].xm, c->box[0].ym, c->box[0].zm);
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCNN3DApply_CNN3D(NN nn, Vec in, Vec out)
{
  NN_CNN3D          *c = (NN_CNN3D *)nn->data;
  const CNNBox      *b = &c->box[0];
  const PetscReal   *theta;
  const PetscScalar *x;
  PetscScalar       *y;

  PetscFunctionBegin;
  PetscCheck(c->da, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "cnn3d needs the grid: call NNCNN3DSetDM() before NNCNN3DApply()");
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() before NNCNN3DApply()");
  PetscCall(CNNCheckVec(c, in, "input"));
  PetscCall(CNNCheckVec(c, out, "output"));
  PetscCall(PetscLogEventBegin(NN_Forward, nn, 0, 0, 0));
  PetscCall(CNNEnsureBuffers(nn));
  PetscCall(NNGetLocalParameters_Private(nn, &theta));
  CNNConvertWeights(c, theta);
  PetscCall(VecGetArrayRead(in, &x));
  for (PetscInt z = 0, p = 0; z < b->zm; z++)
    for (PetscInt yy = 0; yy < b->ym; yy++) {
      float *a = CNNAt(b, 1, c->act[c->t[0].slot], 0, yy, z);
      for (PetscInt xx = 0; xx < b->xm; xx++, p++) a[xx] = (float)x[p];
    }
  PetscCall(VecRestoreArrayRead(in, &x));
  for (PetscInt i = 0; i < c->nops; i++) {
    const CNNOp     *op = &c->ops[i];
    const CNNTensor *ti = &c->t[op->in];
    const CNNBox    *bi = &c->box[ti->level];
    float           *A  = c->act[ti->slot];

    switch (op->kind) {
    case CNN_OP_CONV: {
      const CNNLayer *L = &c->layers[op->layer];

      PetscCall(CNNExchange(c, ti->level, ti->nc, A));
      PetscCall(CNNConv(c, bi, L->cin, A, L->cout, c->Wf + L->offW, c->Wf + L->offb, op->relu, PETSC_FALSE, c->act[c->t[op->out].slot]));
    } break;
    case CNN_OP_ADD: {
      const float *B = c->act[c->t[op->in2].slot];
      float       *O = c->act[c->t[op->out].slot];

      for (PetscInt z = 0; z < bi->zm; z++)
        for (PetscInt yy = 0; yy < bi->ym; yy++) {
          const size_t off = CNNAt(bi, CNN_NC, A, 0, yy, z) - A;
          for (PetscInt j = 0; j < bi->xm * CNN_NC; j++) O[off + j] = A[off + j] + B[off + j];
        }
    } break;
    case CNN_OP_POOL: {
      const CNNBox *bc = &c->box[1];
      float        *O  = c->act[c->t[op->out].slot];

      for (PetscInt z = 0; z < bc->zm; z++)
        for (PetscInt yy = 0; yy < bc->ym; yy++)
          for (PetscInt xx = 0; xx < bc->xm; xx++) {
            float *o = CNNAt(bc, CNN_NC, O, xx, yy, z);
            for (PetscInt ch = 0; ch < CNN_NC; ch++) o[ch] = 0;
            for (PetscInt d = 0; d < 8; d++) {
              const float *f = CNNAt(bi, CNN_NC, A, 2 * xx + (d & 1), 2 * yy + ((d >> 1) & 1), 2 * z + (d >> 2));
              for (PetscInt ch = 0; ch < CNN_NC; ch++) o[ch] += f[ch];
            }
            for (PetscInt ch = 0; ch < CNN_NC; ch++) o[ch] *= 0.125f;
          }
    } break;
    case CNN_OP_UP: {
      float *S = c->act[c->t[op->in2].slot], *O = c->act[c->t[op->out].slot];

      for (PetscInt z = 0; z < b->zm; z++)
        for (PetscInt yy = 0; yy < b->ym; yy++)
          for (PetscInt xx = 0; xx < b->xm; xx++) {
            const float *u = CNNAt(bi, CNN_NC, A, xx / 2, yy / 2, z / 2), *s = CNNAt(b, CNN_NC, S, xx, yy, z);
            float       *o = CNNAt(b, CNN_NC, O, xx, yy, z);
            for (PetscInt ch = 0; ch < CNN_NC; ch++) o[ch] = u[ch] + s[ch];
          }
    } break;
    case CNN_OP_DENSE: {
      const CNNLayer *L = &c->layers[op->layer];
      const float    *w = c->Wf + L->offW, bias = c->Wf[L->offb];

      PetscCall(VecGetArrayWrite(out, &y));
      for (PetscInt z = 0, p = 0; z < b->zm; z++)
        for (PetscInt yy = 0; yy < b->ym; yy++) {
          const float *a = CNNAt(b, CNN_NC, A, 0, yy, z);
          for (PetscInt xx = 0; xx < b->xm; xx++, p++) {
            float s = bias;
            for (PetscInt ch = 0; ch < CNN_NC; ch++) s += w[ch] * a[xx * CNN_NC + ch];
            y[p] = s;
          }
        }
      PetscCall(VecRestoreArrayWrite(out, &y));
      PetscCall(PetscLogFlops(2.0 * CNN_NC * b->xm * b->ym * b->zm));
    } break;
    }
  }
  c->have_forward = c->keep;
  PetscCall(PetscLogEventEnd(NN_Forward, nn, 0, 0, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCNN3DApplyBackward_CNN3D(NN nn, Vec outbar, PetscReal gtheta[], Vec inbar)
{
  NN_CNN3D          *c = (NN_CNN3D *)nn->data;
  const CNNBox      *b = &c->box[0];
  const PetscScalar *yb;

  PetscFunctionBegin;
  PetscCheck(c->da, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "cnn3d needs the grid: call NNCNN3DSetDM() first");
  PetscCheck(c->have_forward, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE,
             "NNCNN3DApplyBackward() needs a preceding NNCNN3DApply() that kept its activations (NNCNN3DSetKeepActivations() or "
             "-nn_cnn3d_keep_activations)");
  PetscCall(CNNCheckVec(c, outbar, "output adjoint"));
  if (inbar) PetscCall(CNNCheckVec(c, inbar, "input adjoint"));
  PetscCall(PetscLogEventBegin(NN_Backward, nn, 0, 0, 0));
  if (!c->bar) {
    PetscCall(PetscCalloc1(c->ntensors, &c->bar));
    for (PetscInt t = 0; t < c->ntensors; t++) PetscCall(PetscCalloc1(CNNBoxSize(&c->box[c->t[t].level], c->t[t].nc), &c->bar[t]));
    for (PetscInt l = 0; l < 2; l++) PetscCall(PetscCalloc1(CNNBoxSize(&c->box[l], CNN_NC), &c->zb[l]));
  } else
    for (PetscInt t = 0; t < c->ntensors; t++) PetscCall(PetscArrayzero(c->bar[t], CNNBoxSize(&c->box[c->t[t].level], c->t[t].nc)));
  PetscCall(VecGetArrayRead(outbar, &yb));
  for (PetscInt i = c->nops - 1; i >= 0; i--) {
    const CNNOp     *op = &c->ops[i];
    const CNNTensor *ti = &c->t[op->in];
    const CNNBox    *bi = &c->box[ti->level];
    float           *A = c->act[ti->slot], *Ab = c->bar[op->in];
    const float     *Ob = op->out >= 0 ? c->bar[op->out] : NULL;

    switch (op->kind) {
    case CNN_OP_DENSE: {
      const CNNLayer *L          = &c->layers[op->layer];
      const float    *w          = c->Wf + L->offW;
      PetscReal       gw[CNN_NC] = {0}, gb = 0;

      for (PetscInt z = 0, p = 0; z < b->zm; z++)
        for (PetscInt yy = 0; yy < b->ym; yy++) {
          const float *a  = CNNAt(b, CNN_NC, A, 0, yy, z);
          float       *ab = CNNAt(b, CNN_NC, Ab, 0, yy, z);
          for (PetscInt xx = 0; xx < b->xm; xx++, p++) {
            const float o = (float)yb[p];
            gb += o;
            for (PetscInt ch = 0; ch < CNN_NC; ch++) {
              gw[ch] += (PetscReal)o * a[xx * CNN_NC + ch];
              ab[xx * CNN_NC + ch] += w[ch] * o;
            }
          }
        }
      if (gtheta) {
        for (PetscInt ch = 0; ch < CNN_NC; ch++) gtheta[L->offW + ch] += gw[ch];
        gtheta[L->offb] += gb;
      }
    } break;
    case CNN_OP_ADD: {
      float *Bb = c->bar[op->in2];

      for (PetscInt z = 0; z < bi->zm; z++)
        for (PetscInt yy = 0; yy < bi->ym; yy++) {
          const size_t off = CNNAt(bi, CNN_NC, A, 0, yy, z) - A;
          for (PetscInt j = 0; j < bi->xm * CNN_NC; j++) {
            Ab[off + j] += Ob[off + j];
            Bb[off + j] += Ob[off + j];
          }
        }
    } break;
    case CNN_OP_UP: {
      float *Sb = c->bar[op->in2];

      for (PetscInt z = 0; z < b->zm; z++)
        for (PetscInt yy = 0; yy < b->ym; yy++)
          for (PetscInt xx = 0; xx < b->xm; xx++) {
            const float *o = CNNAt(b, CNN_NC, (float *)Ob, xx, yy, z);
            float       *u = CNNAt(bi, CNN_NC, Ab, xx / 2, yy / 2, z / 2), *s = CNNAt(b, CNN_NC, Sb, xx, yy, z);
            for (PetscInt ch = 0; ch < CNN_NC; ch++) {
              u[ch] += o[ch];
              s[ch] += o[ch];
            }
          }
    } break;
    case CNN_OP_POOL: {
      const CNNBox *bc = &c->box[1];

      for (PetscInt z = 0; z < bc->zm; z++)
        for (PetscInt yy = 0; yy < bc->ym; yy++)
          for (PetscInt xx = 0; xx < bc->xm; xx++) {
            const float *o = CNNAt(bc, CNN_NC, (float *)Ob, xx, yy, z);
            for (PetscInt d = 0; d < 8; d++) {
              float *f = CNNAt(bi, CNN_NC, Ab, 2 * xx + (d & 1), 2 * yy + ((d >> 1) & 1), 2 * z + (d >> 2));
              for (PetscInt ch = 0; ch < CNN_NC; ch++) f[ch] += 0.125f * o[ch];
            }
          }
    } break;
    case CNN_OP_CONV: {
      const CNNLayer  *L  = &c->layers[op->layer];
      const CNNTensor *to = &c->t[op->out];
      const float     *Y  = c->act[to->slot];
      float           *Z  = c->zb[to->level];
      const PetscInt   nw = L->cout * L->cin * L->ks;

      for (PetscInt z = 0; z < bi->zm; z++)
        for (PetscInt yy = 0; yy < bi->ym; yy++) {
          const size_t off = CNNAt(bi, CNN_NC, Z, 0, yy, z) - Z;
          for (PetscInt j = 0; j < bi->xm * CNN_NC; j++) Z[off + j] = (!op->relu || Y[off + j] > 0) ? Ob[off + j] : 0.0f;
        }
      if (gtheta) {
        PetscCall(PetscArrayzero(c->gacc, nw + L->cout));
        PetscCall(CNNConvWeightGrad(c, bi, L->cin, A, L->cout, Z, c->gacc, c->gacc + nw));
        for (PetscInt co = 0; co < L->cout; co++) {
          for (PetscInt ci = 0; ci < L->cin; ci++)
            for (PetscInt k = 0; k < 27; k++) gtheta[L->offW + (co * L->cin + ci) * 27 + k] += c->gacc[co + L->cout * (k * L->cin + ci)];
          gtheta[L->offb + co] += c->gacc[nw + co];
        }
      }
      if (op->in == 0 && !inbar) break;
      PetscCall(CNNExchange(c, to->level, CNN_NC, Z));
      PetscCall(CNNConv(c, bi, L->cout, Z, L->cin, c->Wflip + L->offW, NULL, PETSC_FALSE, PETSC_TRUE, Ab));
    } break;
    }
  }
  PetscCall(VecRestoreArrayRead(outbar, &yb));
  if (inbar) {
    PetscScalar *xb;

    PetscCall(VecGetArrayWrite(inbar, &xb));
    for (PetscInt z = 0, p = 0; z < b->zm; z++)
      for (PetscInt yy = 0; yy < b->ym; yy++) {
        const float *a = CNNAt(b, 1, c->bar[0], 0, yy, z);
        for (PetscInt xx = 0; xx < b->xm; xx++, p++) xb[p] = a[xx];
      }
    PetscCall(VecRestoreArrayWrite(inbar, &xb));
  }
  PetscCall(PetscLogEventEnd(NN_Backward, nn, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* ---- grid -------------------------------------------------------------------------------------- */

static PetscErrorCode CNNFormatSizes(PetscInt n, const PetscInt l[], char buf[], size_t len)
{
  char part[32];

  PetscFunctionBegin;
  buf[0] = 0;
  for (PetscInt i = 0; i < n && i < 16; i++) {
    PetscCall(PetscSNPrintf(part, sizeof(part), "%s%" PetscInt_FMT, i ? " " : "", l[i]));
    PetscCall(PetscStrlcat(buf, part, len));
  }
  if (n > 16) PetscCall(PetscStrlcat(buf, " ...", len));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNCNN3DSetDM_CNN3D(NN nn, DM da)
{
  NN_CNN3D          *c = (NN_CNN3D *)nn->data;
  PetscInt           dim, M, N, P, m, n, p, dof, s, xs, ys, zs, xm, ym, zm;
  DMBoundaryType     bx, by, bz;
  const PetscInt    *l[3];
  const PetscMPIInt *nb;
  PetscMPIInt        result;
  MPI_Comm           comm;
  PetscBool          isda;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)da, &comm));
  PetscCall(PetscObjectTypeCompare((PetscObject)da, DMDA, &isda));
  PetscCheck(isda, comm, PETSC_ERR_ARG_WRONG, "cnn3d needs a DMDA, got DM type %s", ((PetscObject)da)->type_name);
  PetscCallMPI(MPI_Comm_compare(comm, PetscObjectComm((PetscObject)nn), &result));
  PetscCheck(result == MPI_IDENT || result == MPI_CONGRUENT, comm, PETSC_ERR_ARG_NOTSAMECOMM,
             "cnn3d: the DMDA and the NN must live on the same communicator");
  PetscCall(DMDAGetInfo(da, &dim, &M, &N, &P, &m, &n, &p, &dof, &s, &bx, &by, &bz, NULL));
  PetscCheck(dim == 3, comm, PETSC_ERR_ARG_WRONG, "cnn3d needs a 3-D DMDA, got dimension %" PetscInt_FMT, dim);
  PetscCheck(dof == 1, comm, PETSC_ERR_ARG_WRONG, "cnn3d needs a DMDA with 1 dof, got %" PetscInt_FMT, dof);
  PetscCheck(bx != DM_BOUNDARY_PERIODIC && by != DM_BOUNDARY_PERIODIC && bz != DM_BOUNDARY_PERIODIC && bx != DM_BOUNDARY_MIRROR &&
                 by != DM_BOUNDARY_MIRROR && bz != DM_BOUNDARY_MIRROR,
             comm, PETSC_ERR_SUP, "cnn3d zero-pads at the boundary: periodic and mirror DMDA boundaries are not supported");
  PetscCheck(M % 2 == 0 && N % 2 == 0 && P % 2 == 0, comm, PETSC_ERR_ARG_SIZ,
             "cnn3d pools 2x2x2: the grid sizes must be even, got %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT, M, N, P);
  PetscCall(DMDAGetOwnershipRanges(da, &l[0], &l[1], &l[2]));
  {
    const PetscInt np[3]   = {m, n, p};
    const char     axis[3] = {'x', 'y', 'z'};

    for (PetscInt d = 0; d < 3; d++)
      for (PetscInt i = 0; i < np[d]; i++)
        if (l[d][i] % 2) {
          char sizes[256];
          PetscCall(CNNFormatSizes(np[d], l[d], sizes, sizeof(sizes)));
          SETERRQ(comm, PETSC_ERR_ARG_SIZ,
                  "cnn3d pools 2x2x2 within each rank: every rank's ownership size must be even, but in %c the %" PetscInt_FMT
                  " ranks own %s (grid %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT "); pass even lx/ly/lz to DMDACreate3d()",
                  axis[d], np[d], sizes, M, N, P);
        }
  }
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  PetscCall(DMDAGetNeighbors(da, &nb));
  PetscCall(PetscObjectReference((PetscObject)da));
  PetscCall(DMDestroy(&c->da));
  c->da = da;
  PetscCall(CNNFreeBuffers(c));
  if (c->comm != MPI_COMM_NULL) PetscCallMPI(MPI_Comm_free(&c->comm));
  PetscCallMPI(MPI_Comm_dup(comm, &c->comm));
  /* neighbour (dx, dy, dz) is nb[(dz+1)*9 + (dy+1)*3 + dx+1]; negative outside the grid */
  c->nbr[0] = xs > 0 ? nb[12] : -1;
  c->nbr[1] = xs + xm < M ? nb[14] : -1;
  c->nbr[2] = ys > 0 ? nb[10] : -1;
  c->nbr[3] = ys + ym < N ? nb[16] : -1;
  c->nbr[4] = zs > 0 ? nb[4] : -1;
  c->nbr[5] = zs + zm < P ? nb[22] : -1;
  for (PetscInt lev = 0; lev < 2; lev++) {
    CNNBox *b = &c->box[lev];
    b->xm     = xm >> lev;
    b->ym     = ym >> lev;
    b->zm     = zm >> lev;
    b->X      = b->xm + 2;
    b->Y      = b->ym + 2;
    b->Z      = b->zm + 2;
  }
  PetscFunctionReturn(0);
}

/* ---- NN ops ------------------------------------------------------------------------------------ */

static PetscErrorCode NNSetUp_CNN3D(NN nn)
{
  NN_CNN3D *c = (NN_CNN3D *)nn->data;

  PetscFunctionBegin;
  PetscCall(CNNBuildProgram(nn));
  PetscCall(PetscMalloc2(nn->nparam, &c->Wf, nn->nparam, &c->Wflip));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNInitialize_CNN3D(NN nn, PetscReal theta[])
{
  NN_CNN3D *c = (NN_CNN3D *)nn->data;

  PetscFunctionBegin;
  for (PetscInt l = 0; l < c->nlayers; l++) {
    const CNNLayer *L   = &c->layers[l];
    const PetscInt  fin = L->cin * L->ks, fout = L->cout * L->ks, nw = L->cout * L->cin * L->ks;

    PetscCall(NNInitializeWeights_Private(nn, NN_CNN3D_INIT_STREAM + (uint64_t)l, fin, fout, nw, theta + L->offW));
    for (PetscInt i = 0; i < L->cout; i++) theta[L->offb + i] = 0.0;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNArchitecture_CNN3D(NN nn, char buf[], size_t len)
{
  NN_CNN3D *c = (NN_CNN3D *)nn->data;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(buf, len, "cnn3d layers=%" PetscInt_FMT " channels=%d", c->K, CNN_NC));
  PetscFunctionReturn(0);
}

static PetscErrorCode NNForward_CNN3D(NN nn, PetscInt n, const PetscReal x[], PetscReal y[])
{
  PetscFunctionBegin;
  (void)n;
  (void)x;
  (void)y;
  SETERRQ(PetscObjectComm((PetscObject)nn), PETSC_ERR_SUP, "NN type cnn3d works on grid fields: use NNCNN3DApply(), not NNForward()");
}

static PetscErrorCode NNBackward_CNN3D(NN nn, const PetscReal ybar[], PetscReal gtheta[], PetscReal xbar[])
{
  PetscFunctionBegin;
  (void)ybar;
  (void)gtheta;
  (void)xbar;
  SETERRQ(PetscObjectComm((PetscObject)nn), PETSC_ERR_SUP, "NN type cnn3d works on grid fields: use NNCNN3DApplyBackward(), not NNBackward()");
}

static PetscErrorCode NNView_CNN3D(NN nn, PetscViewer viewer)
{
  NN_CNN3D *c = (NN_CNN3D *)nn->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "DCDM CNN: %" PetscInt_FMT "-trained layer list, %" PetscInt_FMT " layers with parameters, keep activations %s\n",
                                   c->K, c->nlayers, PetscBools[c->keep]));
  if (c->da) {
    PetscInt M, N, P;
    PetscCall(DMDAGetInfo(c->da, NULL, &M, &N, &P, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    PetscCall(PetscViewerASCIIPrintf(viewer, "grid %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT "\n", M, N, P));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode NNSetFromOptions_CNN3D(NN nn, PetscOptionItems *PetscOptionsObject)
{
  NN_CNN3D *c     = (NN_CNN3D *)nn->data;
  PetscInt  K     = c->K;
  PetscInt  block = c->block;
  PetscBool keep  = c->keep, flg;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "cnn3d options");
  PetscCall(
      PetscOptionsInt("-nn_cnn3d_layers", "Layer list: 64 or 128 (the DCDM models trained at 64^3 and 128^3)", "NNCNN3DSetLayers", K, &K, &flg));
  if (flg) PetscCall(NNCNN3DSetLayers(nn, K));
  PetscCall(
      PetscOptionsBool("-nn_cnn3d_keep_activations", "Keep activations for NNCNN3DApplyBackward()", "NNCNN3DSetKeepActivations", keep, &keep, &flg));
  if (flg) PetscCall(NNCNN3DSetKeepActivations(nn, keep));
  PetscCall(
      PetscOptionsInt("-nn_cnn3d_block", "Cells per convolution GEMM block (rounded to whole rows)", "NNCNN3DSetBlockSize", block, &block, &flg));
  if (flg) PetscCall(NNCNN3DSetBlockSize(nn, block));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode NNDestroy_CNN3D(NN nn)
{
  NN_CNN3D *c = (NN_CNN3D *)nn->data;

  PetscFunctionBegin;
  PetscCall(CNNFreeBuffers(c));
  PetscCall(PetscFree2(c->slotlevel, c->slotnc));
  PetscCall(PetscFree(c->ops));
  PetscCall(PetscFree(c->t));
  PetscCall(PetscFree(c->layers));
  PetscCall(PetscFree2(c->Wf, c->Wflip));
  PetscCall(DMDestroy(&c->da));
  if (c->comm != MPI_COMM_NULL) PetscCallMPI(MPI_Comm_free(&c->comm));
  PetscCall(PetscFree(nn->data));
  PetscFunctionReturn(0);
}

/* ---- public API -------------------------------------------------------------------------------- */

static PetscErrorCode NNCNN3DGet_Private(NN nn, NN_CNN3D **c)
{
  PetscBool is;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)nn, NNCNN3D, &is));
  PetscCheck(is, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONG, "NN is of type %s, not cnn3d: call NNSetType(nn, NNCNN3D) first",
             ((PetscObject)nn)->type_name ? ((PetscObject)nn)->type_name : "(not set)");
  *c = (NN_CNN3D *)nn->data;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DSetLayers - Chooses the DCDM layer list: K = 64 (the model trained at 64^3: 97,457
  parameters) or K = 128 (trained at 128^3: 152,881 parameters); see cnn3d.h.

  Logically Collective; before NNSetUp()

  Input Parameters:
+ nn - the network, of type `NNCNN3D`
- K  - 64 or 128

  Options Database Key:
. -nn_cnn3d_layers <64> - the layer list

  Level: intermediate

.seealso: `NNCNN3DSetDM()`, `NNCNN3DApply()`
@*/
PetscErrorCode NNCNN3DSetLayers(NN nn, PetscInt K)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  PetscCheck(K == 64 || K == 128, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "cnn3d layer list must be 64 or 128 (-nn_cnn3d_layers), got %" PetscInt_FMT, K);
  PetscCheck(!nn->setupcalled || K == c->K, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Set the cnn3d layer list before NNSetUp()");
  c->K = K;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DGetLayers - Gets the DCDM layer list of an `NNCNN3D` network (64 or 128).

  Not Collective

  Input Parameter:
. nn - the network, of type `NNCNN3D`

  Output Parameter:
. K - the layer list

  Level: intermediate

.seealso: `NNCNN3DSetLayers()`
@*/
PetscErrorCode NNCNN3DGetLayers(NN nn, PetscInt *K)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  *K = c->K;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DSetDM - Gives the network its grid: a 3-D DMDA with 1 dof, non-periodic boundaries (zero
  padding), even sizes and even ownership sizes on every rank (the 2x2x2 pool stays on each rank).
  Its stencil is not used: the network keeps its own one-cell halos.

  Collective

  Input Parameters:
+ nn - the network, of type `NNCNN3D`
- da - the DMDA (referenced)

  Level: intermediate

.seealso: `NNCNN3DApply()`, `DMDACreate3d()`, `DMDAGetOwnershipRanges()`
@*/
PetscErrorCode NNCNN3DSetDM(NN nn, DM da)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  PetscValidHeaderSpecific(da, DM_CLASSID, 2);
  PetscCall(NNCNN3DSetDM_CNN3D(nn, da));
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DGetDM - Gets the 3-D DMDA on which an `NNCNN3D` network acts (borrowed).

  Not Collective

  Input Parameter:
. nn - the network, of type `NNCNN3D`

  Output Parameter:
. da - the DMDA (NULL before `NNCNN3DSetDM()`)

  Level: intermediate

.seealso: `NNCNN3DSetDM()`
@*/
PetscErrorCode NNCNN3DGetDM(NN nn, DM *da)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  *da = c->da;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DSetKeepActivations - Whether NNCNN3DApply() keeps every activation for a following
  NNCNN3DApplyBackward() (training), or reuses buffers (inference, a few fields of memory).

  Logically Collective

  Input Parameters:
+ nn   - the network, of type `NNCNN3D`
- keep - whether to keep the activations

  Options Database Key:
. -nn_cnn3d_keep_activations - keep them

  Level: intermediate
@*/
PetscErrorCode NNCNN3DSetKeepActivations(NN nn, PetscBool keep)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  if (keep != c->keep) PetscCall(CNNFreeBuffers(c));
  c->keep = keep;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DSetBlockSize - Cells per convolution GEMM block: each convolution runs as GEMMs over blocks of
  whole grid rows, as many rows of the level (fine or coarse) as fit in this many cells, at least one.
  Only speed and memory (one im2col buffer of 432 floats per cell) depend on it; the result does not,
  up to float32 round-off.

  Logically Collective

  Input Parameters:
+ nn    - the network, of type `NNCNN3D`
- cells - cells per block, positive

  Options Database Key:
. -nn_cnn3d_block <512> - cells per block

  Level: advanced

.seealso: `NNCNN3DApply()`, `NNCNN3DGetBlockSize()`
@*/
PetscErrorCode NNCNN3DSetBlockSize(NN nn, PetscInt cells)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  PetscCheck(cells > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "-nn_cnn3d_block (cells per GEMM block) must be positive, got %" PetscInt_FMT, cells);
  if (cells != c->block) PetscCall(CNNFreeBuffers(c));
  c->block = cells;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DGetBlockSize - Gets the number of cells per convolution GEMM block of an `NNCNN3D` network.

  Not Collective

  Input Parameter:
. nn - the network, of type `NNCNN3D`

  Output Parameter:
. cells - cells per block

  Level: advanced

.seealso: `NNCNN3DSetBlockSize()`
@*/
PetscErrorCode NNCNN3DGetBlockSize(NN nn, PetscInt *cells)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  *cells = c->block;
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DApply - out = f(in) on the grid of NNCNN3DSetDM(): float64 global Vecs of the DMDA,
  float32 inside the network; one halo exchange per convolution.

  Collective

  Input Parameters:
+ nn - the network, set up, with its DMDA
- in - a global Vec of the DMDA

  Output Parameter:
. out - a global Vec of the DMDA

  Level: intermediate

.seealso: `NNCNN3DApplyBackward()`, `NNCNN3DSetDM()`
@*/
PetscErrorCode NNCNN3DApply(NN nn, Vec in, Vec out)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  PetscCall(NNCNN3DApply_CNN3D(nn, in, out));
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DApplyBackward - Reverse pass of the last NNCNN3DApply(), which must have kept its
  activations: gtheta += this rank's part of dL/dtheta (replicated array of NNGetNumParameters();
  sum over ranks with NNReduceGradient(); may be NULL), inbar = dL/din (may be NULL), given
  outbar = dL/dout. float32 inside, gradients summed in float64 over blocks of cells.

  Collective

  Input Parameters:
+ nn     - the network
- outbar - dL/dout, a global Vec of the DMDA

  Output Parameters:
+ gtheta - this rank's part of dL/dtheta, added to (may be NULL)
- inbar  - dL/din, a global Vec of the DMDA (may be NULL)

  Level: intermediate

.seealso: `NNCNN3DApply()`, `NNCNN3DSetKeepActivations()`, `NNReduceGradient()`
@*/
PetscErrorCode NNCNN3DApplyBackward(NN nn, Vec outbar, PetscReal gtheta[], Vec inbar)
{
  NN_CNN3D *c = NULL;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  PetscCall(NNCNN3DApplyBackward_CNN3D(nn, outbar, gtheta, inbar));
  PetscFunctionReturn(0);
}

/*@
  NNCNN3DGetFlops - Floating-point operations of one forward application on the whole grid.

  Not Collective

  Input Parameter:
. nn - the network, set up, with its DMDA

  Output Parameter:
. flops - the operations of one `NNCNN3DApply()` over all ranks

  Level: intermediate
@*/
PetscErrorCode NNCNN3DGetFlops(NN nn, PetscLogDouble *flops)
{
  NN_CNN3D      *c = NULL;
  PetscLogDouble f = 0;
  PetscInt       M, N, P;

  PetscFunctionBegin;
  PetscCall(NNCNN3DGet_Private(nn, &c));
  PetscCheck(c->da && nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() and NNCNN3DSetDM() first");
  PetscCall(DMDAGetInfo(c->da, NULL, &M, &N, &P, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  for (PetscInt i = 0; i < c->nops; i++) {
    const CNNOp   *op    = &c->ops[i];
    const PetscInt level = c->t[op->in].level;
    const double   cells = (double)M * N * P / (level ? 8.0 : 1.0);

    if (op->kind == CNN_OP_CONV || op->kind == CNN_OP_DENSE) {
      const CNNLayer *L = &c->layers[op->layer];
      f += 2.0 * L->cout * L->cin * L->ks * cells;
    }
  }
  *flops = f;
  PetscFunctionReturn(0);
}

/*MC
  NNCNN3D - "cnn3d": the DCDM convolutional network on a 3-D DMDA (see cnn3d.h).

  Options: -nn_cnn3d_layers <64,128>, -nn_cnn3d_keep_activations, -nn_cnn3d_block <cells per GEMM block>

  Level: beginner
M*/
PetscErrorCode NNCreate_CNN3D(NN nn)
{
  NN_CNN3D *c;

  PetscFunctionBegin;
  PetscCall(PetscNew(&c));
  nn->data                = c;
  c->K                    = 64;
  c->block                = 512;
  c->comm                 = MPI_COMM_NULL;
  nn->nin                 = 1;
  nn->nout                = 1;
  nn->ops->setup          = NNSetUp_CNN3D;
  nn->ops->initialize     = NNInitialize_CNN3D;
  nn->ops->architecture   = NNArchitecture_CNN3D;
  nn->ops->forward        = NNForward_CNN3D;
  nn->ops->backward       = NNBackward_CNN3D;
  nn->ops->setfromoptions = NNSetFromOptions_CNN3D;
  nn->ops->view           = NNView_CNN3D;
  nn->ops->destroy        = NNDestroy_CNN3D;
  PetscFunctionReturn(0);
}

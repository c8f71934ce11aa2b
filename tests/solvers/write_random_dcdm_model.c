static const char help[] = "Test utility: writes an untrained (randomly initialized) DCDM network as an nnpde checkpoint, the model file\n"
                           "KSPDCDM and PCDCDM read (-ksp_dcdm_model, -pc_dcdm_model), until trained weights ship; and broken ones.\n"
                           "  -o <file.h5>                          the checkpoint to write (required)\n"
                           "  -layers <64>                          cnn3d layer list, 64 or 128\n"
                           "  -type <cnn3d>                         cnn3d, or mlp (a 1 -> 1 MLP: the wrong kind of network)\n"
                           "  -name <dcdm>                          the network's name in the checkpoint\n"
                           "  -seed <1>                             the network's seed (the weights are the same on any number of ranks)\n"
                           "  -init <random|smoother>               random: the network's own initialization (untrained: its directions\n"
                           "                                        barely depend on the input, DCDM stagnates); smoother: hand-set cnn3d\n"
                           "                                        weights that make it a fixed linear approximate inverse (see below),\n"
                           "                                        so that DCDM converges and iteration counts mean something\n"
                           "  -corrupt <none|truncate|garbage|flip> then damage the file: cut it to half its size, replace all of it\n"
                           "                                        by random bytes, or overwrite 256 bytes in its middle\n";

#include <nnpde.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "smoother" weights: a fixed linear approximate inverse built from S, the 3x3x3 stencil 1/2 at the centre and 1/12 on
   the 6 faces (nonnegative, zero-padded; S = I - A/12 inside the box for the 7-point Laplacian A). The first (linear)
   convolution gives channel 0 = r and channel 1 = -r; each 16 -> 16 convolution maps channel 0 to channel 0 and 1 to 1
   with a stencil T (other channels stay 0); the dense layer returns channel 0 - channel 1. After the first ReLU the
   channels hold the positive and negative parts of r, and since every T, skip-add, average pool and nearest upsample
   keeps them nonnegative, every later ReLU is the identity: the network is a linear map. A pair (c, c+) with stencils
   T1, T2 is x -> (I + T2 T1) x: a pair (I, S) gives I + S, a pair (gS, gS) gives I + g^2 S^2, so the full-resolution
   pairs make a polynomial in S with positive coefficients (a partial Neumann series of (I - S)^-1 = 12 A^-1) and the
   half-resolution pairs, scaled by g (-smoother_coarse, default 1), a coarse-grid term that amplifies the smooth
   components. Unpaired convolutions are the identity. The same on any number of ranks (the halo exchanges carry the
   stencils across rank boundaries). */
static PetscErrorCode SetSmootherWeights(NN net, PetscInt K, PetscReal g)
{
  const PetscInt nc = 16, ks = 27;
  /* the stencil of each 16 -> 16 convolution in order of application, 0: identity, 1: S, 2: g S. K = 64: c | (c, c+) |
     c | pool | (c, c+) x3 | up | (c, c+) x2; K = 128: c | (c, c+) x2 | c | pool | (c, c+) x5 | up | (c, c+) x3 */
  const char  *T = K == 128 ? "0-0111-0-2222222222-111111" : "0-01-0-222222-1111";
  PetscInt     np, off  = 0, lo, hi;
  PetscReal   *t, s[27] = {0};
  Vec          theta;
  PetscScalar *a;

  PetscFunctionBeginUser;
  s[13] = 0.5;
  s[4] = s[10] = s[12] = s[14] = s[16] = s[22] = 1.0 / 12; /* (kz, ky, kx) = (0,1,1), (1,0,1), (1,1,0), (1,1,2), (1,2,1), (2,1,1) */
  PetscCall(NNGetNumParameters(net, &np));
  PetscCall(PetscCalloc1(np, &t));
  t[off + 0 * ks + 13] = 1.0, t[off + 1 * ks + 13] = -1.0; /* W[c][0][centre], then 16 biases */
  off += nc * ks + nc;
  for (; *T; T++) {
    if (*T == '-') continue;
    for (PetscInt c = 0; c < 2; c++)
      for (PetscInt k = 0; k < ks; k++) t[off + (c * nc + c) * ks + k] = *T == '0' ? (k == 13) : (*T == '2' ? g : 1.0) * s[k]; /* W[c][c][k] */
    off += nc * nc * ks + nc;
  }
  t[off + 0] = 1.0, t[off + 1] = -1.0; /* dense W[0][0], W[0][1]; bias 0 */
  off += nc + 1;
  PetscCheck(off == np, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "cnn3d K=%" PetscInt_FMT " has %" PetscInt_FMT " parameters, the smoother filled %" PetscInt_FMT, K, np, off);
  PetscCall(NNGetParameters(net, &theta));
  PetscCall(VecGetOwnershipRange(theta, &lo, &hi));
  PetscCall(VecGetArray(theta, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = t[i];
  PetscCall(VecRestoreArray(theta, &a));
  PetscCall(PetscFree(t));
  PetscFunctionReturn(0);
}

/* Rank 0 rewrites file: the first half only, all bytes random, or 256 random bytes in the middle */
static PetscErrorCode Corrupt(const char file[], const char how[])
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (!rank) {
    FILE          *f = fopen(file, "rb");
    long           n;
    unsigned char *buf;
    PetscBool      truncate, garbage, flip;
    uint64_t       s = 0x9e3779b97f4a7c15ull;

    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot open %s", file);
    PetscCheck(!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 1024, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot size %s", file);
    rewind(f);
    PetscCall(PetscMalloc1(n, &buf));
    PetscCheck(fread(buf, 1, (size_t)n, f) == (size_t)n, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "Cannot read %s", file);
    fclose(f);
    PetscCall(PetscStrcmp(how, "truncate", &truncate));
    PetscCall(PetscStrcmp(how, "garbage", &garbage));
    PetscCall(PetscStrcmp(how, "flip", &flip));
    PetscCheck(truncate || garbage || flip, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "-corrupt must be none, truncate, garbage or flip, got %s", how);
    for (long i = garbage ? 0 : n / 2; (garbage && i < n) || (flip && i < n / 2 + 256); i++) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 */
      buf[i] = (unsigned char)(s >> 24);
    }
    if (truncate) n /= 2;
    f = fopen(file, "wb");
    PetscCheck(f && fwrite(buf, 1, (size_t)n, f) == (size_t)n && !fclose(f), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "Cannot rewrite %s", file);
    PetscCall(PetscFree(buf));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char         file[PETSC_MAX_PATH_LEN] = "", type[16] = "cnn3d", name[64] = "dcdm", corrupt[16] = "none", init[16] = "random";
  PetscInt     layers = 64, seed = 1, np;
  PetscBool    flg, iscnn;
  NN           net;
  NNCheckpoint ck;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-o", file, sizeof(file), &flg));
  PetscCheck(flg && file[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "Give the file to write with -o file.h5");
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-layers", &layers, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-seed", &seed, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-type", type, sizeof(type), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-name", name, sizeof(name), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-corrupt", corrupt, sizeof(corrupt), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-init", init, sizeof(init), NULL));
  PetscCall(PetscStrcmp(type, NNCNN3D, &iscnn));

  PetscCall(NNCreate(PETSC_COMM_WORLD, &net));
  PetscCall(NNSetType(net, type));
  if (iscnn)
    PetscCall(NNCNN3DSetLayers(net, layers));
  else
    PetscCall(NNSetSizes(net, 1, 1));
  PetscCall(NNSetSeed(net, (uint64_t)seed));
  PetscCall(NNSetUp(net));
  PetscCall(NNGetNumParameters(net, &np));
  PetscCall(PetscStrcmp(init, "smoother", &flg));
  PetscCheck(flg || !strcmp(init, "random"), PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "-init must be random or smoother, got %s", init);
  PetscCheck(!flg || iscnn, PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "-init smoother needs -type cnn3d");
  if (flg) {
    PetscReal g = 1;

    PetscCall(PetscOptionsGetReal(NULL, NULL, "-smoother_coarse", &g, NULL));
    PetscCall(SetSmootherWeights(net, layers, g));
  }
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, name, net));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(PetscStrcmp(corrupt, "none", &flg));
  if (!flg) PetscCall(Corrupt(file, corrupt));
  if (iscnn) PetscCall(PetscSNPrintf(type, sizeof(type), "cnn3d K=%" PetscInt_FMT, layers));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "wrote %s: %s network '%s', %" PetscInt_FMT " parameters, %s weights%s%s\n", file, type, name, np, init,
                        flg ? "" : ", then corrupted: ", flg ? "" : corrupt));
  PetscCall(NNDestroy(&net));
  PetscCall(PetscFinalize());
  return 0;
}

/* NN type "cnn3d": the DCDM network (Kaneda et al., ICML 2023) on a 3-D DMDA.

   One input and one output field on the grid of a 3-D DMDA (1 dof, non-periodic), float64 outside
   the network, float32 inside. Every convolution is 3x3x3 with 16 channels and zero padding at the
   physical boundary; ReLU on every convolution but the first; one 2x2x2 average pool to half
   resolution and a nearest upsample back; a final 1x1x1 convolution 16 -> 1 with bias. With
   c = conv + ReLU and "+" = identity skip-add of the tensor that entered the preceding c:

     K = 64  (-nn_cnn3d_layers 64):  conv(1->16); c; (c, c+) x1; c; pool; (c, c+) x3; up + [tensor
                                     before the pool]; (c, c+) x2; dense(16->1)     97,457 parameters
     K = 128 (-nn_cnn3d_layers 128): conv(1->16); c; (c, c+) x2; c; pool; (c, c+) x5; up + [...];
                                     (c, c+) x3; dense(16->1)                      152,881 parameters

   Parameter layout (the NN's Vec, float64): layer by layer in the order above (the first conv, the
   16->16 convs in order of application, the dense layer), each as weights W[cout][cin][kz][ky][kx]
   then bias b[cout]. A convolution computes out[c](x,y,z) = b[c] + sum W[c][ci][kz][ky][kx]
   in[ci](x+kx-1, y+ky-1, z+kz-1) (cross-correlation, as Keras' Conv3D with axes (z,y,x)); the dense
   layer is W[1][16][1][1][1], b[1].

   Parallel: the DMDA's decomposition; each rank's ownership sizes must be even (the pool never
   crosses ranks); one halo exchange per convolution. Not collective over samples: gradients from
   NNCNN3DApplyBackward() are this rank's part; sum them with NNReduceGradient(). */
#ifndef NNPDE_CNN3D_H
#define NNPDE_CNN3D_H

#include <nnpde/nn.h>
#include <petscdmda.h>

#define NNCNN3D "cnn3d"

/* Depth: the 64-trained (K = 64, default) or the 128-trained (K = 128) layer list. */
PETSC_EXTERN PetscErrorCode NNCNN3DSetLayers(NN, PetscInt K);
PETSC_EXTERN PetscErrorCode NNCNN3DGetLayers(NN, PetscInt *K);
/* The grid: a 3-D DMDA with 1 dof, non-periodic, even global and per-rank sizes (referenced). */
PETSC_EXTERN PetscErrorCode NNCNN3DSetDM(NN, DM);
PETSC_EXTERN PetscErrorCode NNCNN3DGetDM(NN, DM *);
/* Keep every activation of the next forward passes so NNCNN3DApplyBackward() can run (memory:
   about one 16-channel float32 field per layer); off by default, when buffers are reused. */
PETSC_EXTERN PetscErrorCode NNCNN3DSetKeepActivations(NN, PetscBool);
/* Cells per convolution GEMM block (whole rows of the level, default 512): speed and memory only, not the result */
PETSC_EXTERN PetscErrorCode NNCNN3DSetBlockSize(NN, PetscInt cells);
PETSC_EXTERN PetscErrorCode NNCNN3DGetBlockSize(NN, PetscInt *cells);
/* out = f(in), both global Vecs of the DMDA. Collective on the DMDA. */
PETSC_EXTERN PetscErrorCode NNCNN3DApply(NN, Vec in, Vec out);
/* Reverse pass of the last NNCNN3DApply() (which must have kept its activations): given
   outbar = dL/dout, adds this rank's part of dL/dtheta to gtheta (replicated, length
   NNGetNumParameters(); may be NULL) and sets inbar = dL/din (may be NULL). Collective. */
PETSC_EXTERN PetscErrorCode NNCNN3DApplyBackward(NN, Vec outbar, PetscReal gtheta[], Vec inbar);
/* Floating-point operations of one application on the whole grid (forward; backward is about 2x) */
PETSC_EXTERN PetscErrorCode NNCNN3DGetFlops(NN, PetscLogDouble *);

#endif

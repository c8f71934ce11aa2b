/* NN: a neural network whose parameters live in one PETSc Vec.

   Type "mlp": a dense multilayer perceptron with forward derivative jets (value, chosen first
   derivatives, chosen second derivatives, a forward-Laplacian stream) and exact reverse mode
   through them, so PDE residuals and their parameter gradients cost a few GEMMs per layer.

   Jet layout. After NNSetJets() the network produces S streams per point (NNGetNumJets()):
     stream 0                 value
     streams 1..nD            first derivatives d/dx_i: the requested ones in the order given,
                              then any further ones that the second-order streams need
     next nH streams          second derivatives d2/dx_i dx_j in the order requested
     last stream (optional)   Laplacian over the chosen inputs
   NNGetJetIndex() maps a derivative to its stream. Arrays of outputs and of their adjoints are
   laid out y[(s*n + p)*m + o] for stream s, point p of n, output component o of m.
   Inputs are point-major: x[p*d + k]. */
#ifndef NNPDE_NN_H
#define NNPDE_NN_H

#include <petscvec.h>
#include <petscviewer.h>
#include <stdint.h>

typedef struct _p_NN *NN;
typedef const char   *NNType;
#define NNMLP "mlp"

PETSC_EXTERN PetscClassId      NN_CLASSID;
PETSC_EXTERN PetscFunctionList NNList;

PETSC_EXTERN PetscErrorCode NNInitializePackage(void);
PETSC_EXTERN PetscErrorCode NNFinalizePackage(void);

typedef enum { NN_ACTIVATION_TANH, NN_ACTIVATION_SIN, NN_ACTIVATION_SOFTPLUS, NN_ACTIVATION_GELU, NN_ACTIVATION_RELU } NNActivation;
PETSC_EXTERN const char *const NNActivations[];

typedef enum { NN_INIT_GLOROT_UNIFORM, NN_INIT_GLOROT_NORMAL, NN_INIT_HE_UNIFORM, NN_INIT_HE_NORMAL, NN_INIT_UNIFORM } NNInitialization;
PETSC_EXTERN const char *const NNInitializations[];

typedef enum { NN_JET_VALUE, NN_JET_DERIVATIVE, NN_JET_SECOND_DERIVATIVE, NN_JET_LAPLACIAN } NNJetKind;

/* Output transform u = g(x) + phi(x) * N(x), componentwise. The callback fills, for each of the n
   points and each output component o, the value and all partial derivatives of g and phi up to
   `order` (2 for forward jets, 3 when NNBackward() is asked for d/dx):
     g[(p*m + o)*J + t] with t = 0 (value), 1 + i (d/dx_i), 1 + d + i*d + j (d2/dx_i dx_j),
     1 + d + d*d + (i*d + j)*d + k (d3/dx_i dx_j dx_k), J = 1 + d + d^2 (+ d^3 when order = 3).
   Symmetric entries must all be filled. */
typedef PetscErrorCode (*NNOutputTransformFn)(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[],
                                              PetscReal phi[]);

PETSC_EXTERN PetscErrorCode NNCreate(MPI_Comm, NN *);
PETSC_EXTERN PetscErrorCode NNSetType(NN, NNType);
PETSC_EXTERN PetscErrorCode NNGetType(NN, NNType *);
PETSC_EXTERN PetscErrorCode NNRegister(const char[], PetscErrorCode (*)(NN));
PETSC_EXTERN PetscErrorCode NNSetFromOptions(NN);
PETSC_EXTERN PetscErrorCode NNSetUp(NN);
PETSC_EXTERN PetscErrorCode NNView(NN, PetscViewer);
PETSC_EXTERN PetscErrorCode NNViewFromOptions(NN, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode NNDestroy(NN *);

PETSC_EXTERN PetscErrorCode NNSetSizes(NN, PetscInt nin, PetscInt nout);
PETSC_EXTERN PetscErrorCode NNGetSizes(NN, PetscInt *nin, PetscInt *nout);
PETSC_EXTERN PetscErrorCode NNSetSeed(NN, uint64_t);
PETSC_EXTERN PetscErrorCode NNGetSeed(NN, uint64_t *);
PETSC_EXTERN PetscErrorCode NNSetInitialization(NN, NNInitialization, PetscReal scale);
PETSC_EXTERN PetscErrorCode NNInitializeParameters(NN);
/* A canonical one-line description of the architecture; checkpoints compare it on load. */
PETSC_EXTERN PetscErrorCode NNGetArchitecture(NN, char[], size_t);

/* Parameters: a distributed Vec (borrowed reference) that optimizers work on directly. */
PETSC_EXTERN PetscErrorCode NNGetParameters(NN, Vec *);
PETSC_EXTERN PetscErrorCode NNGetNumParameters(NN, PetscInt *);
/* Sum each rank's replicated gradient (length NNGetNumParameters()) over the communicator into the
   distributed Vec G (layout of NNGetParameters()). */
PETSC_EXTERN PetscErrorCode NNReduceGradient(NN, const PetscReal glocal[], Vec G);

/* MLP architecture */
PETSC_EXTERN PetscErrorCode NNMLPSetHiddenLayers(NN, PetscInt nlayers, const PetscInt widths[]);
PETSC_EXTERN PetscErrorCode NNMLPGetHiddenLayers(NN, PetscInt *nlayers, const PetscInt *widths[]);
PETSC_EXTERN PetscErrorCode NNMLPSetActivation(NN, NNActivation);
PETSC_EXTERN PetscErrorCode NNMLPGetActivation(NN, NNActivation *);
/* Who runs an NNMLP's matrix products: BLAS dgemm, or libxsmm's JIT kernels (builds with libxsmm only) */
typedef enum { NN_MLP_GEMM_BLAS, NN_MLP_GEMM_XSMM } NNMLPGemm;
PETSC_EXTERN const char *const NNMLPGemms[];
PETSC_EXTERN PetscErrorCode    NNMLPSetGemm(NN, NNMLPGemm);
PETSC_EXTERN PetscErrorCode    NNMLPGetGemm(NN, NNMLPGemm *);
PETSC_EXTERN PetscErrorCode    NNMLPGetLayerParameters(NN, PetscInt layer, PetscInt *offset, PetscInt *nin, PetscInt *nout);

/* Input embeddings: inputs listed as periodic enter as (cos 2 pi x/P, sin 2 pi x/P), the others as
   x itself; nfeatures > 0 appends Fourier features cos(2 pi B x), sin(2 pi B x) with B ~ N(0, sigma^2)
   drawn from the network's seed. */
PETSC_EXTERN PetscErrorCode NNSetPeriodicInputs(NN, PetscInt n, const PetscInt inputs[], PetscReal period);
PETSC_EXTERN PetscErrorCode NNSetFourierFeatures(NN, PetscInt nfeatures, PetscReal sigma);
PETSC_EXTERN PetscErrorCode NNSetOutputTransform(NN, NNOutputTransformFn, void *ctx);

/* Jets: which derivatives NNForward() computes. pairs holds npairs (i,j) index pairs; the Laplacian
   is taken over the nlap inputs in lap (all inputs when lap is NULL and nlap is PETSC_DETERMINE),
   and is off when nlap is 0. */
PETSC_EXTERN PetscErrorCode NNSetJets(NN, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                                      const PetscInt lap[]);
/* A set of jets built once and kept by the network; NNSetJetRequest(nn, id) selects it later */
PETSC_EXTERN PetscErrorCode NNAddJetRequest(NN, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                                            const PetscInt lap[], PetscInt *id);
PETSC_EXTERN PetscErrorCode NNSetJetRequest(NN, PetscInt id);
/* The Laplacian stream as an operator with constant coefficients, sum_l lapw[l] d2/dx_{lap[l]}^2 +
   sum_k drift[k] d/dx_k, still one stream (e.g. u_t - nu u_xx); lapw, drift NULL: 1, none */
PETSC_EXTERN PetscErrorCode NNSetJetsOperator(NN, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                                              const PetscInt lap[], const PetscReal lapw[], const PetscReal drift[]);
PETSC_EXTERN PetscErrorCode NNAddJetRequestOperator(NN, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[],
                                                    PetscInt nlap, const PetscInt lap[], const PetscReal lapw[], const PetscReal drift[],
                                                    PetscInt *id);
PETSC_EXTERN PetscErrorCode NNGetNumJets(NN, PetscInt *);
PETSC_EXTERN PetscErrorCode NNGetJetIndex(NN, NNJetKind, PetscInt i, PetscInt j, PetscInt *stream);

/* Evaluate the jets at n points; keeps what NNBackward() needs. */
PETSC_EXTERN PetscErrorCode NNForward(NN, PetscInt n, const PetscReal x[], PetscReal y[]);
/* Given ybar = dL/dy (layout of y) for the last NNForward(), add dL/dtheta to gtheta (replicated,
   may be NULL) and set xbar = dL/dx through the network and the output transform (may be NULL). */
PETSC_EXTERN PetscErrorCode NNBackward(NN, const PetscReal ybar[], PetscReal gtheta[], PetscReal xbar[]);

/* Adjoint callback of NNForwardBackward(): given the jets y of the nt points first..first+nt-1
   (layout of y above with n = nt: y[(s*nt + p)*m + o] for the tile's point p), set all of
   ybar = dL/dy (same layout; overwrite, it is not zeroed). */
typedef PetscErrorCode (*NNAdjointFn)(void *ctx, PetscInt first, PetscInt nt, const PetscReal y[], PetscReal ybar[]);
/* NNForward() and NNBackward() fused, a tile of points at a time: each tile is evaluated, handed to
   adjoint, and taken back through the network while its data are still in cache, so the workspace
   holds one tile only. Adds dL/dtheta to gtheta (may be NULL), sets xbar = dL/dx (n x d, may be
   NULL). Same results as NNForward() + NNBackward() to round-off; a later NNBackward() is invalid. */
PETSC_EXTERN PetscErrorCode NNForwardBackward(NN, PetscInt n, const PetscReal x[], NNAdjointFn adjoint, void *ctx, PetscReal gtheta[],
                                              PetscReal xbar[]);

#endif

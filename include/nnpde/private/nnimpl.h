/* Private NN structure, shared by the sources in nn/ only. */
#ifndef NNPDE_NNIMPL_H
#define NNPDE_NNIMPL_H

#include <petsc/private/petscimpl.h>
#include <nnpde/sys.h>
#include <nnpde/nn.h>
#include <nnpde/train.h>

typedef struct _NNOps *NNOps;
struct _NNOps {
  PetscErrorCode (*setfromoptions)(NN, PetscOptionItems *);
  PetscErrorCode (*setup)(NN);
  PetscErrorCode (*view)(NN, PetscViewer);
  PetscErrorCode (*destroy)(NN);
  PetscErrorCode (*initialize)(NN, PetscReal[]); /* fill the replicated parameter array */
  PetscErrorCode (*architecture)(NN, char[], size_t);
  PetscErrorCode (*forward)(NN, PetscInt, const PetscReal[], PetscReal[]);
  PetscErrorCode (*backward)(NN, const PetscReal[], PetscReal[], PetscReal[]);
  PetscErrorCode (*forwardbackward)(NN, PetscInt, const PetscReal[], NNAdjointFn, void *, PetscReal[], PetscReal[]);
};

/* Which jets to compute: derivative set D, pairs, Laplacian set (see nn.h for the stream order). */
typedef struct {
  PetscInt  nreq; /* requested first derivatives: D[0..nreq) */
  PetscInt  nD;   /* all first-derivative streams */
  PetscInt *D;    /* input index of each first-derivative stream */
  PetscInt  nH;   /* second-derivative streams */
  PetscInt *H;    /* 2*nH: stream index in D (not input index!) of each pair member */
  PetscBool hasL; /* whether the Laplacian (operator) stream exists: it is the last one */
  PetscInt  nL;   /* inputs in its second-order part */
  PetscInt *L;    /* stream index in D of each of them */
  /* The stream is the operator sum_l wD[L[l]] d2/dx_{D[L[l]]}^2 + sum_k drift[k] d/dx_k; the plain Laplacian
     has the weights 1 and no drift (NULL). The drift needs no first-derivative streams: it is linear. */
  PetscReal *wD;    /* nD: weight of first-derivative stream a in the second-order part (0: not in it) */
  PetscReal *drift; /* d, or NULL */
  PetscInt   S;     /* total number of streams */
} NNJets;

/* Input embedding: component c is e_c = f_c(b_c . x) with f_c in {identity, cos, sin}. */
typedef enum { NN_EMBED_IDENTITY, NN_EMBED_COS, NN_EMBED_SIN } NNEmbedFunction;

typedef struct {
  PetscInt         nperiodic;
  PetscInt        *periodic; /* input indices */
  PetscReal        period;
  PetscInt         nfourier;
  PetscReal        fourier_sigma;
  PetscInt         ne; /* embedding width */
  NNEmbedFunction *f;  /* ne */
  PetscReal       *B;  /* ne x d, row-major */
} NNEmbedding;

struct _p_NN {
  PETSCHEADER(struct _NNOps);
  PetscInt         nin, nout;
  uint64_t         seed;
  NNInitialization init;
  PetscReal        init_scale;
  PetscBool        setupcalled;

  PetscInt         nparam;
  Vec              params; /* distributed, what optimizers see */
  Vec              local;  /* replicated copy used for evaluation */
  VecScatter       toall;
  PetscObjectState local_state; /* state of params when local was last refreshed */
  const PetscReal *lent;        /* replicated parameters lent by the caller (NNSetLocalParameters_Private()), used instead of local */

  NNJets      jets; /* in use: NNSetJets()'s, or a shallow copy of a request's */
  PetscBool   jets_set;
  PetscBool   jets_borrowed; /* jets is a request's (NNSetJetRequest()): do not free its arrays */
  PetscInt    nrequests;
  NNJets     *requests; /* NNAddJetRequest(), built once, selected without allocation */
  NNEmbedding embed;

  NNOutputTransformFn transform;
  void               *transform_ctx;

  void *data; /* type-specific */
};

/* Integer options whose bad values name the option, and integer lists that show their default in
   -help (nn/options.c); use inside an options block, like PetscOptionsInt(). */
PETSC_INTERN PetscErrorCode NNOptionsInt_Private(PetscOptionItems *, const char[], const char[], const char[], PetscInt, PetscInt *, PetscBool *);
PETSC_INTERN PetscErrorCode NNOptionsIntList_Private(PetscOptionItems *, const char[], const char[], const char[], PetscInt n,
                                                     const PetscInt current[], PetscInt nmax, PetscInt value[], PetscInt *nvalue, PetscBool *set);
#define NNOptionsInt(opt, text, man, current, value, set) NNOptionsInt_Private(PetscOptionsObject, opt, text, man, current, value, set)
#define NNOptionsIntList(opt, text, man, n, current, nmax, value, nvalue, set)                                                                       \
  NNOptionsIntList_Private(PetscOptionsObject, opt, text, man, n, current, nmax, value, nvalue, set)

/* NNTrainerSetFromOptions() without the step options, for objects that have their own (PINN) */
PETSC_INTERN PetscErrorCode NNTrainerSetTaoFromOptions_Private(NNTrainer);

PETSC_INTERN PetscErrorCode NNGetLocalParameters_Private(NN, const PetscReal **);
/* Evaluate with these replicated parameters (nparam reals, borrowed) instead of the params Vec, until
   called with NULL: lets an owner of several networks evaluate at its own iterate without copies. */
PETSC_INTERN PetscErrorCode NNSetLocalParameters_Private(NN, const PetscReal[]);
PETSC_INTERN PetscErrorCode NNInitializeWeights_Private(NN, uint64_t stream, PetscInt fin, PetscInt fout, PetscInt nw, PetscReal W[]);
PETSC_INTERN PetscErrorCode NNJetsSetUp_Private(NNJets *, PetscInt d, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs,
                                                const PetscInt pairs[], PetscInt nlap, const PetscInt lap[], const PetscReal lapw[],
                                                const PetscReal drift[]);
PETSC_INTERN PetscErrorCode NNJetsDestroy_Private(NNJets *);
PETSC_INTERN PetscErrorCode NNEmbeddingSetUp_Private(NNEmbedding *, PetscInt d, uint64_t seed);
PETSC_INTERN PetscErrorCode NNEmbeddingDestroy_Private(NNEmbedding *);
/* Embedding jets at n points: A has ne rows and S*n columns (column-major, stream-blocked). */
PETSC_INTERN void NNEmbeddingForward_Private(const NNEmbedding *, const NNJets *, PetscInt d, PetscInt n, const PetscReal x[], PetscReal A[]);
/* xbar[p*d+k] += contribution of the adjoint Abar of the embedding jets */
PETSC_INTERN void NNEmbeddingBackward_Private(const NNEmbedding *, const NNJets *, PetscInt d, PetscInt n, const PetscReal x[],
                                              const PetscReal Abar[], PetscReal xbar[]);

/* The elementwise jet kernels are compiled for the baseline ISA; with GCC on x86-64 Linux they also
   get AVX2 and AVX-512 clones, picked at load time, so a generic build still runs wide vectors. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NN_VECTOR_KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NN_VECTOR_KERNEL
#endif

/* Activation function and its first three derivatives at z */
PETSC_INTERN void NNActivationEvaluate_Private(NNActivation, PetscInt n, const PetscReal z[], PetscReal s0[], PetscReal s1[], PetscReal s2[],
                                               PetscReal s3[]);

/* One hidden layer's activation on all jet streams; m = rows x points, the size of one block.
   sig holds sigma', sigma'', sigma''' of the value stream (three blocks), written by the forward
   kernel for the reverse one; NULL for tanh, whose reverse pass recomputes them from the layer's
   output value block A0. */
PETSC_INTERN void NNJetsActivationForward_Private(const NNJets *, NNActivation, PetscInt m, const PetscReal Z[], PetscReal sig[], PetscReal A[]);
PETSC_INTERN void NNJetsActivationBackward_Private(const NNJets *, PetscInt m, const PetscReal Z[], const PetscReal sig[], const PetscReal A0[],
                                                   const PetscReal Abar[], PetscReal Zbar[]);

/* Output transform u = g + phi N by the product rule. g and phi come from the user callback with
   jt entries per (point, output) (1 + d + d^2, or + d^3 for order 3; see NNOutputTransformFn).
   Forward: N jets -> u jets. Adjoint: ubar -> Nbar, and xbar += the explicit x-dependence through
   g and phi (needs order 3; skipped when xbar is NULL). Layouts as y in nn.h. */
PETSC_INTERN void NNOutputTransformForward_Private(const NNJets *, PetscInt d, PetscInt m, PetscInt n, PetscInt jt, const PetscReal g[],
                                                   const PetscReal phi[], const PetscReal N[], PetscReal u[]);
PETSC_INTERN void NNOutputTransformBackward_Private(const NNJets *, PetscInt d, PetscInt m, PetscInt n, PetscInt jt, const PetscReal g[],
                                                    const PetscReal phi[], const PetscReal N[], const PetscReal ubar[], PetscReal Nbar[],
                                                    PetscReal xbar[]);

PETSC_INTERN PetscErrorCode NNCreate_MLP(NN);
PETSC_INTERN PetscErrorCode NNCreate_CNN3D(NN); /* nn/impls/cnn3d/cnn3d.c */

#endif

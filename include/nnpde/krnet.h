/* NN type "krnet": a KRnet normalizing flow (Tang, Wan, Liao) on a box [lo, hi]^d, a density model
   whose parameters live in the NN's one parameter Vec (Tao optimizes it, checkpoints store it).

   Data -> prior direction (x in the box, z ~ N(0, I_d)):
     box map u = (x - lo)/(hi - lo), logit y = log u - log(1 - u);
     KR stages i = 0 .. ceil(d/step) - 2 on the first L = d - i*step coordinates: optional LU
     rotation, then depth blocks of (actnorm, bounded affine coupling with a 2-hidden-layer MLP,
     reversal of the L coordinates); the stage end sets aside the last step coordinates (squeeze);
     last stage: actnorm and the quadratic-CDF layer on the remaining coordinates;
     log p(x) = log N(z; 0, I) + log |det dz/dx|.
   Sampling runs the inverse map on Gaussian draws of the counter-based generator (nn/random.c).

   As an NN (NNForward/NNBackward), the network has one output, log p(x); the jets may ask for
   first derivatives (d log p/dx_i) but not second derivatives or a Laplacian. NNBackward() gives
   the exact parameter gradient of any weighted sum of those jets.

   Points outside the open box (lo, hi)^d have log p = -inf (NNKRnetLogDensity(), NNForward());
   the functions that differentiate refuse them with an error, as every function refuses NaN or Inf
   coordinates and NaN or Inf parameters. Input-derivative jets carry one forward tangent per
   derivative asked for: at most 64. */
#ifndef NNPDE_KRNET_H
#define NNPDE_KRNET_H

#include <nnpde/nn.h>
#include <nnpde/random.h>

#define NNKRNET "krnet"

typedef enum { NNKRNET_PENALTY_GRAD_P, NNKRNET_PENALTY_GRAD_LOGP } NNKRnetPenaltyType;
PETSC_EXTERN const char *const NNKRnetPenaltyTypes[];

/* architecture (before NNSetUp()) */
PETSC_EXTERN PetscErrorCode NNKRnetSetDomain(NN, const PetscReal lo[], const PetscReal hi[]);
PETSC_EXTERN PetscErrorCode NNKRnetGetDomain(NN, const PetscReal *lo[], const PetscReal *hi[]);
PETSC_EXTERN PetscErrorCode NNKRnetSetArchitecture(NN, PetscInt step, PetscInt depth, PetscInt width);
PETSC_EXTERN PetscErrorCode NNKRnetSetCDFBins(NN, PetscInt nbins);
PETSC_EXTERN PetscErrorCode NNKRnetSetRotation(NN, PetscBool);
PETSC_EXTERN PetscErrorCode NNKRnetSetActivation(NN, NNActivation);

/* data-dependent actnorm initialization (collective) */
PETSC_EXTERN PetscErrorCode NNKRnetInitializeActNorm(NN, PetscInt n, const PetscReal x[]);
PETSC_EXTERN PetscErrorCode NNKRnetGetActNormInitialized(NN, PetscBool *);

/* evaluation at this rank's n points (x point-major, n x d); not collective */
PETSC_EXTERN PetscErrorCode NNKRnetTransform(NN, PetscInt n, const PetscReal x[], PetscReal z[], PetscReal logdet[]);
PETSC_EXTERN PetscErrorCode NNKRnetInverse(NN, PetscInt n, const PetscReal z[], PetscReal x[]);
PETSC_EXTERN PetscErrorCode NNKRnetLogDensity(NN, PetscInt n, const PetscReal x[], PetscReal logp[]);
PETSC_EXTERN PetscErrorCode NNKRnetLogDensityGradient(NN, PetscInt n, const PetscReal x[], PetscReal logp[], PetscReal gradx[]);
PETSC_EXTERN PetscErrorCode NNKRnetSample(NN, NNRandom, uint64_t stream, uint64_t first, PetscInt n, PetscReal x[], PetscReal logp[]);
PETSC_EXTERN PetscErrorCode NNKRnetWeightedLogDensity(NN, PetscInt n, const PetscReal x[], const PetscReal w[], PetscReal *value, PetscReal g[]);
PETSC_EXTERN PetscErrorCode NNKRnetPenalty(NN, NNKRnetPenaltyType, PetscInt n, const PetscReal x[], const PetscReal w[], PetscReal *value,
                                           PetscReal g[]);

#endif

/* Private: the normalizing flow of the das and aas samplers (sampling/flow.c), shared by
   sampling/impls/das/ and sampling/impls/aas/ only. */
#ifndef NNPDE_SAMPLERFLOWIMPL_H
#define NNPDE_SAMPLERFLOWIMPL_H

#include <nnpde/private/samplerimpl.h>
#include <nnpde/krnet.h>
#include <nnpde/adam.h>

typedef struct _PINNSamplerFlow PINNSamplerFlow;

/* The objective of one flow step at the flow's current parameters: value and this rank's
   gradient array (NNGetNumParameters() entries, zeroed, added to); the caller sums over ranks */
typedef PetscErrorCode (*PINNSamplerFlowObjectiveFn)(PINNSamplerFlow *, PetscReal *value, PetscReal g[], void *ctx);

struct _PINNSamplerFlow {
  const char *name;      /* "DAS" or "AAS", for messages */
  NN          nn;        /* the KRnet */
  Tao         tao;       /* its Adam */
  NNRandom    rnd;       /* the generator of the flow draws (seed: the sampler's) */
  PetscBool   user;      /* given by PINNSamplerSetFlow() */
  PetscInt    dim;       /* the geometry's dimension */
  PetscReal   volume;    /* |Omega| (the uniform density of the first points is 1/|Omega|) */
  PetscInt    fsteps;    /* flow steps per stage */
  PetscInt    stage;     /* stages (adapts) done */
  PetscInt    steps;     /* flow steps done, all stages */
  PetscInt    stagestep; /* flow steps of the stage under way */
  PetscInt    N, n;      /* the current samples: global count, this rank's */
  PetscReal  *x, *logq;  /* their coordinates and log density under the flow that drew them */
  PetscInt    rejected;  /* flow draws outside the domain, all stages */
  PetscInt    drawn;     /* flow draws, all stages */
  PetscReal   logaccept; /* log of the fraction of the last PINNSamplerFlowDraw()'s candidates inside the domain: the
                            points it returns have the density p/accept, p the flow's (for importance weights) */
  PetscInt  fallback;    /* stages that fell back to uniform points (all residuals zero) */
  PetscReal ess;         /* effective sample size of the last stage's weights */
  PetscReal loss[2];     /* the flow objective at the start and end of the last stage */
  /* the objective of the stage under way */
  PINNSamplerFlowObjectiveFn objective;
  void                      *ctx;
  PetscReal                 *g; /* gradient work array */
};

PETSC_INTERN PetscErrorCode PINNSamplerFlowSetFromOptions(PINNSampler, PINNSamplerFlow *, PetscOptionItems *);
PETSC_INTERN PetscErrorCode PINNSamplerFlowSetUp(PINNSampler, PINNSamplerFlow *, PINN);
PETSC_INTERN PetscErrorCode PINNSamplerFlowStart(PINNSampler, PINNSamplerFlow *, PINN);
PETSC_INTERN PetscErrorCode PINNSamplerFlowCheckFinite(PINNSampler, PINNSamplerFlow *, const char when[]);
PETSC_INTERN PetscErrorCode PINNSamplerFlowTrain(PINNSampler, PINNSamplerFlow *, PINNSamplerFlowObjectiveFn, void *);
PETSC_INTERN PetscErrorCode PINNSamplerFlowDraw(PINNSampler, PINNSamplerFlow *, PINN, PetscInt N, uint64_t stream, PetscInt *n, PetscReal **x,
                                                PetscReal **logq);
PETSC_INTERN PetscErrorCode PINNSamplerFlowDrawUniform(PINNSampler, PINNSamplerFlow *, PINN, PetscInt N, uint64_t stream, PetscInt *n, PetscReal **x,
                                                       PetscReal **logq);
PETSC_INTERN PetscErrorCode PINNSamplerFlowConcatenate(MPI_Comm, PetscInt d, PetscInt na, PetscInt Na, const PetscReal xa[], const PetscReal lqa[],
                                                       PetscInt nb, const PetscReal xb[], const PetscReal lqb[], PetscInt N, PetscInt *n,
                                                       PetscReal **x, PetscReal **logq);
PETSC_INTERN PetscErrorCode PINNSamplerFlowSetSamples(PINNSamplerFlow *, PetscInt N, PetscInt n, PetscReal *x, PetscReal *logq);
PETSC_INTERN PetscErrorCode PINNSamplerFlowGatherGrown(PINNSampler, PINN, PetscInt nnew, const PetscReal xnew[], const PetscReal wnew[],
                                                       PetscInt Nnew, PetscInt *n, PetscReal **x, PetscReal **w);
PETSC_INTERN PetscErrorCode PINNSamplerFlowView(PINNSamplerFlow *, PetscViewer);
PETSC_INTERN PetscErrorCode PINNSamplerFlowWriteCheckpoint(PINNSamplerFlow *, NNCheckpoint);
PETSC_INTERN PetscErrorCode PINNSamplerFlowReadCheckpoint(PINNSamplerFlow *, NNCheckpoint);
PETSC_INTERN PetscErrorCode PINNSamplerFlowDestroy(PINNSamplerFlow *);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_DAS(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_AAS(PINNSampler);

#endif

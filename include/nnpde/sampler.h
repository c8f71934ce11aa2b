/* Collocation-point samplers (sampling/): the PINNSampler object draws a PINN's point sets. Types:
   uniform, sobol, halton (the geometry's rejection sampling with pseudo- or quasi-random numbers)
   and shell (user callbacks). The adaptive samplers come as further types. */
#ifndef NNPDE_SAMPLER_H
#define NNPDE_SAMPLER_H

#include <nnpde/pinn.h>
#include <nnpde/checkpoint.h>

typedef const char *PINNSamplerType; /* PINNSampler: in nnpde/pinn.h */
#define PINNSAMPLERUNIFORM "uniform"
#define PINNSAMPLERSOBOL "sobol"
#define PINNSAMPLERHALTON "halton"
#define PINNSAMPLERSHELL "shell"
#define PINNSAMPLERRAD "rad"
#define PINNSAMPLERRARD "rard"
#define PINNSAMPLERRARG "rarg"
#define PINNSAMPLERDAS "das"
#define PINNSAMPLERAAS "aas"

PETSC_EXTERN PetscClassId      PINNSAMPLER_CLASSID;
PETSC_EXTERN PetscFunctionList PINNSamplerList;

PETSC_EXTERN PetscErrorCode PINNSamplerInitializePackage(void);
PETSC_EXTERN PetscErrorCode PINNSamplerFinalizePackage(void);
PETSC_EXTERN PetscErrorCode PINNSamplerRegister(const char[], PetscErrorCode (*)(PINNSampler));

PETSC_EXTERN PetscErrorCode PINNSamplerCreate(MPI_Comm, PINNSampler *);
PETSC_EXTERN PetscErrorCode PINNSamplerSetType(PINNSampler, PINNSamplerType);
PETSC_EXTERN PetscErrorCode PINNSamplerGetType(PINNSampler, PINNSamplerType *);
PETSC_EXTERN PetscErrorCode PINNSamplerSetFromOptions(PINNSampler);
PETSC_EXTERN PetscErrorCode PINNSamplerSetUp(PINNSampler);
PETSC_EXTERN PetscErrorCode PINNSamplerView(PINNSampler, PetscViewer);
PETSC_EXTERN PetscErrorCode PINNSamplerDestroy(PINNSampler *);

/* Seed of the counter-based draws (-sampler_seed under the sampler's prefix; for a PINN's, -pinn_seed, which -pinn_sampler_seed overrides) */
PETSC_EXTERN PetscErrorCode PINNSamplerSetSeed(PINNSampler, PetscInt);
PETSC_EXTERN PetscErrorCode PINNSamplerGetSeed(PINNSampler, PetscInt *);
/* Number of point sets drawn so far (a counter kept in checkpoints) */
PETSC_EXTERN PetscErrorCode PINNSamplerGetNumDraws(PINNSampler, PetscInt *);
/* The random-number rule of the geometry draws: the type's own, or, for shell samplers, that of
   the regions without a callback */
PETSC_EXTERN PetscErrorCode PINNSamplerSetSampleType(PINNSampler, PINNSampleType);
PETSC_EXTERN PetscErrorCode PINNSamplerGetSampleType(PINNSampler, PINNSampleType *);

/* Draws the points of one region of the PINN (draw number `draw`) into the PINN's point set:
   coordinates, and normals and tags on the boundary, and optional per-point weights */
PETSC_EXTERN PetscErrorCode PINNSamplerDraw(PINNSampler, PINN, PINNPointSet, PetscInt draw);
/* Adapts the sampler to the PINN's current residuals (nothing for the non-adaptive types) */
PETSC_EXTERN PetscErrorCode PINNSamplerAdapt(PINNSampler, PINN);
/* The sampler's state (type, seed, counters, the type's own state) and the per-point weights of
   the PINN's point sets (PINN may be NULL: the sampler alone) in a checkpoint */
PETSC_EXTERN PetscErrorCode PINNSamplerWriteCheckpoint(PINNSampler, PINN, NNCheckpoint);
PETSC_EXTERN PetscErrorCode PINNSamplerReadCheckpoint(PINNSampler, PINN, NNCheckpoint);

/* Per-stage diagnostics (sampling/diagnostics.c): probe-set residual statistics, points, time, error */
#define PINN_SAMPLER_NUM_DIAGNOSTICS 7
PETSC_EXTERN const char *const PINNSamplerDiagnosticNames[];
PETSC_EXTERN PetscErrorCode    PINNSamplerSetDiagnostics(PINNSampler, PetscBool, PetscInt);
PETSC_EXTERN PetscErrorCode    PINNSamplerGetDiagnostics(PINNSampler, PetscBool *, PetscInt *, PetscReal[]);
PETSC_EXTERN PetscErrorCode    PINNSamplerSetDump(PINNSampler, const char[], PetscInt);
PETSC_EXTERN PetscErrorCode    PINNSamplerComputeProbeStatistics(PINNSampler, PINN, PetscReal *, PetscReal *, PetscReal *, PetscBool *);

/* Shell samplers: fn draws this rank's slice of N global points of `region`; *x (n x dim) and, if
   the callback gives weights, *w (n, else left NULL: all 1) are PetscMalloc'ed and taken over.
   Boundary regions need normals and tags and are drawn from the geometry. */
typedef PetscErrorCode (*PINNSamplerShellFn)(PINNSampler, PINN, PINNPointSet region, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x,
                                             PetscReal **w, void *ctx);
PETSC_EXTERN PetscErrorCode PINNSamplerShellSetDraw(PINNSampler, PINNPointSet, PINNSamplerShellFn, void *ctx, PetscErrorCode (*ctxdestroy)(void *));

/* Distributed weighted sampling of a candidate pool sharded across ranks (sampling/weighted.c): the
   chosen global indices depend on the candidates' indices and weights only, not on the ranks */
PETSC_EXTERN PetscErrorCode PINNWeightedSample(MPI_Comm, uint64_t seed, uint64_t stream, PetscInt n, const PetscInt64 gidx[], const PetscReal w[],
                                               PetscInt N, PetscInt64 chosen[]);
PETSC_EXTERN PetscErrorCode PINNWeightedTop(MPI_Comm, PetscInt n, const PetscInt64 gidx[], const PetscReal w[], PetscInt m, PetscInt64 chosen[]);
PETSC_EXTERN PetscErrorCode PINNWeightedGatherRows(MPI_Comm, PetscInt n, const PetscInt64 gidx[], PetscInt d, const PetscReal x[], PetscInt N,
                                                   const PetscInt64 chosen[], PetscInt lo, PetscInt hi, PetscReal y[]);

/* The normalizing flow (an NN of type krnet) of the das and aas samplers (sampling/flow.c) */
PETSC_EXTERN PetscErrorCode PINNSamplerSetFlow(PINNSampler, NN);
PETSC_EXTERN PetscErrorCode PINNSamplerGetFlow(PINNSampler, NN *);
PETSC_EXTERN PetscErrorCode PINNSamplerGetFlowStatistics(PINNSampler, PetscInt *stages, PetscInt *drawn, PetscInt *rejected, PetscReal *ess);
PETSC_EXTERN PetscErrorCode PINNSamplerAASComputeFreshObjective(PINNSampler, PINN, PetscInt step, PetscInt M, PetscReal *value, Vec G);

#endif

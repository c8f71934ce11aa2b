/* Private PINNSampler structure, shared by the sources in sampling/ only. */
#ifndef NNPDE_SAMPLERIMPL_H
#define NNPDE_SAMPLERIMPL_H

#include <nnpde/private/pinnimpl.h>
#include <nnpde/sampler.h>

struct _PINNSamplerOps {
  PetscErrorCode (*setfromoptions)(PINNSampler, PetscOptionItems *);
  PetscErrorCode (*setup)(PINNSampler);
  PetscErrorCode (*view)(PINNSampler, PetscViewer);
  PetscErrorCode (*destroy)(PINNSampler);
  /* fill pinn->points[region] (its arrays are freed before the call) */
  PetscErrorCode (*draw)(PINNSampler, PINN, PINNPointSet, PetscInt draw);
  PetscErrorCode (*adapt)(PINNSampler, PINN);
  PetscErrorCode (*writecheckpoint)(PINNSampler, NNCheckpoint);
  PetscErrorCode (*readcheckpoint)(PINNSampler, NNCheckpoint);
};

/* Per-stage diagnostics (sampling/diagnostics.c) */
typedef struct {
  PetscBool      on;
  PetscInt       nprobe;                          /* probe points */
  PetscInt       iteration;                       /* step at which the last stage began; -1: none */
  PetscReal      v[PINN_SAMPLER_NUM_DIAGNOSTICS]; /* see PINNSamplerDiagnosticNames[] */
  PetscBool      allzero;                         /* all probe residuals zero at the last stage */
  PetscBool      pending;                         /* adapted, the interior draw not yet done */
  PetscLogDouble t0;
  char           dump[PETSC_MAX_PATH_LEN]; /* -pinn_sampler_dump prefix; "": none (sampling/dump.c) */
  PetscInt       grid;                     /* its residual grid per side */
} PINNSamplerDiag;

struct _p_PINNSampler {
  PETSCHEADER(struct _PINNSamplerOps);
  PetscInt        seed;
  PINNSampleType  qtype;                        /* pseudo- or quasi-random numbers of the geometry draws */
  PetscInt        ndraws;                       /* point sets drawn so far */
  PetscInt        npoints[PINN_NUM_POINT_SETS]; /* global points of each region's last draw (for viewing) */
  PetscInt        nbase;                        /* a growing type's (RAR) interior count before it first grew the set; 0: never grew */
  PetscBool       setupcalled;
  PINNSamplerDiag diag;
  void           *data;
};

/* The geometry's rejection sampling with the sampler's qtype and seed: interior draw k from
   stream 16 k, boundary from stream 1, initial slice from stream 2 */
PETSC_INTERN PetscErrorCode PINNSamplerDraw_Geometry(PINNSampler, PINN, PINNPointSet, PetscInt draw);
PETSC_INTERN PetscErrorCode PINNSamplerDiagnosticsBegin_Private(PINNSampler, PINN);
PETSC_INTERN PetscErrorCode PINNSamplerDiagnosticsEnd_Private(PINNSampler, PINN);
PETSC_INTERN PetscErrorCode PINNSamplerDumpStage_Private(PINNSampler, PINN, PetscInt stage, PetscInt step);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_Uniform(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_Sobol(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_Halton(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_Shell(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_RAD(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_RARD(PINNSampler);
PETSC_INTERN PetscErrorCode PINNSamplerCreate_RARG(PINNSampler);

#endif

/* Private PINN structures, shared by the sources in pinn/ only. */
#ifndef NNPDE_PINNIMPL_H
#define NNPDE_PINNIMPL_H

#include <petsc/private/petscimpl.h>
#include <nnpde/pinn.h>
#include <nnpde/sys.h>
#include <stdio.h>

typedef struct {
  char          *name;
  PINNPointSet   set;
  PetscInt       ntags, *tags;
  PetscInt       nq;
  PINNQuantity  *q;
  PetscInt      *stream; /* jet stream of each quantity in its group's network evaluation */
  PetscInt       nr;
  PINNResidualFn fn;
  void          *ctx;
  PetscErrorCode (*ctxdestroy)(void **); /* for contexts the built-ins allocate */
  PetscReal weight;
  PetscInt  group;
  PetscReal loss; /* weighted, global, at the last evaluation */
} PINNTerm;

/* Terms on the same points share one network evaluation: a group is a point set (a set and a tag
   filter) with the union of the jets its terms need. */
typedef struct {
  PINNPointSet set;
  PetscInt     ntags, *tags;
  PetscInt     nderiv, *deriv, npairs, *pairs; /* jets for NNSetJets() */
  PetscBool    lap;
  PetscInt     jets;   /* the network's jet request for them (NNAddJetRequest()), made at set-up */
  PetscInt     n, cap; /* local points in use */
  PetscInt     N;      /* global points in use: the normalization of the terms' means */
  PetscReal   *x, *normal;
  PetscBool    weighted; /* the set has per-point weights, copied to w; else every weight is 1 */
  PetscReal   *w;
  PetscInt     wcap;
  PetscReal   *u, *r, *dr; /* a tile's quantities, residuals and their derivatives */
  PetscInt     ucap, rcap;
} PINNGroup;

/* A region's collocation points (one per PINNPointSet): this rank's slice of a global set. Each term
   on the region contributes weight * (1/N) sum_p w_p sum_k r_pk^2 to the loss. */
typedef struct {
  PetscInt   N;      /* global points */
  PetscInt   n;      /* local points */
  PetscReal *x;      /* n x dim */
  PetscReal *normal; /* n x dim outward unit normals (boundary), else NULL */
  PetscInt  *tag;    /* n boundary-part tags (boundary), else NULL */
  PetscReal *w;      /* n per-point weights, NULL: all 1 (reset when the points are redrawn) */
} PINNPoints;
#define PINN_NUM_POINT_SETS 3

struct _PINNOps {
  PetscErrorCode (*setfromoptions)(PINN, PetscOptionItems *);
  PetscErrorCode (*setup)(PINN);
  PetscErrorCode (*destroy)(PINN);
};

struct _p_PINN {
  PETSCHEADER(struct _PINNOps);
  PINNGeometry geom;
  PetscInt     dim, nc, nspace; /* inputs, outputs, spatial inputs (Laplacian set) */
  PetscBool    spacetime;
  NN           nn;
  PetscBool    setupcalled;
  PetscInt     jets_value; /* the network's jet request for values only (PINNEvaluate()) */

  PINNPoints  points[PINN_NUM_POINT_SETS]; /* indexed by PINNPointSet */
  PINNSampler sampler;                     /* draws the point sets (sampling/) */
  PetscInt    draw;                        /* interior points drawn this many times */
  PetscInt    resample_every;
  PetscInt    batch_size, batch; /* mini-batch size (0: full) and index of the current batch */
  PetscBool   in_adam;

  PetscInt   nterms, ngroups;
  PINNTerm  *terms;
  PINNGroup *groups;
  PetscReal *losses; /* per term, global, weighted */

  NNOutputTransformFn hard_g;
  void               *hard_ctx;
  PetscBool           hard;

  PINNFieldFn exact;
  void       *exact_ctx;
  PetscInt    Ntest, ntest;
  PetscReal  *xtest, *utest, *uexact;

  /* training: the settings below are handed to the NNTrainer, which runs the loop, the history,
     the checkpoints and the restart (pinn/train.c) */
  NNTrainer tr;
  PetscReal *glocal;
  PetscInt   adam_steps, lbfgs_steps;
  PetscReal  adam_lr;
  PetscInt   iteration; /* optimizer iteration being evaluated, for messages */
  PetscBool  reload;    /* the adapt hook redrew the points: the pre-step hook loads them */
  PetscBool  monitor;
  PetscInt   monitor_every;
  char       history[PETSC_MAX_PATH_LEN];
  FILE      *history_fp; /* unused: the trainer writes the history */
  char       checkpoint[PETSC_MAX_PATH_LEN], restart[PETSC_MAX_PATH_LEN];
  PetscInt   checkpoint_every;
  PetscReal  last_error;
  PetscReal  target_error;

  void *data;
};

/* A pointwise field (PINNFieldFn) with a buffer for its values at a batch of points; no function
   means the field is zero. Used by the built-in PDEs (sources) and conditions (data). */
typedef struct {
  PINNFieldFn f;
  void       *ctx;
  PetscInt    cap;
  PetscReal  *v;
} PINNField;
PETSC_INTERN PetscErrorCode PINNFieldEvaluate_Private(PINNField *, PetscInt n, PetscInt dim, const PetscReal x[]);

/* largest Adam learning rate accepted */
#define PINN_MAX_ADAM_LR 1.0
PETSC_INTERN PetscErrorCode PINNCheckLearningRate_Private(PINN, const char name[]);
PETSC_INTERN PetscErrorCode PINNCreate_Eulerian(PINN);
PETSC_INTERN PetscErrorCode PINNTermsBuildGroups_Private(PINN);
PETSC_INTERN PetscErrorCode PINNTermsDestroy_Private(PINN);
PETSC_INTERN PetscErrorCode PINNGroupsLoadPoints_Private(PINN);
PETSC_INTERN PetscErrorCode PINNDrawInterior_Private(PINN);
PETSC_EXTERN PetscLogEvent  PINN_Loss, PINN_Draw;

#endif

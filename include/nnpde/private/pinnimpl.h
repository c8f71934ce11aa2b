/* Private PINN structures, shared by the sources in pinn/ only. */
#ifndef NNPDE_PINNIMPL_H
#define NNPDE_PINNIMPL_H

#include <petsc/private/petscimpl.h>
#include <nnpde/pinn.h>
#include <nnpde/sys.h>
#include <nnpde/checkpoint.h>
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

/* A group's jets on one network: the union of what its terms ask of that network */
typedef struct {
  PetscBool  used;
  PetscInt   nderiv, *deriv, npairs, *pairs; /* jets for NNAddJetRequest() */
  PetscBool  lap;
  PetscInt   jets, S;  /* the network's jet request for them, made at set-up, and its streams */
  PetscReal *y, *ybar; /* the group's jets and their adjoints, when several networks are evaluated together */
  PetscInt   ycap;
} PINNGroupNetwork;

/* Terms on the same points share one evaluation of each network they use: a group is a point set (a
   set and a tag filter) with the union of the jets its terms need. */
typedef struct {
  PINNPointSet      set;
  PetscInt          ntags, *tags;
  PINNGroupNetwork *net;    /* one per network of the PINN */
  PetscInt          nused;  /* networks used; with one (single) its evaluation is fused with the adjoint */
  PetscInt          single; /* the network, when nused == 1 */
  PetscInt          n, cap; /* local points in use */
  PetscInt          N;      /* global points in use: the normalization of the terms' means */
  PetscReal        *x, *normal;
  PetscBool         weighted; /* the set has per-point weights, copied to w; else every weight is 1 */
  PetscReal        *w;
  PetscInt          wcap;
  PetscReal        *u, *r, *dr; /* a tile's quantities, residuals and their derivatives */
  PetscInt          ucap, rcap;
} PINNGroup;

#define PINN_MAX_NETWORKS 16

/* Tied parameters: entries doff..doff+n-1 of network dst are entries soff..soff+n-1 of network src */
typedef struct {
  PetscInt dst, doff, src, soff, n;
} PINNTie;

/* A named network; its parameters are entries off..off+P-1 of the networks' concatenated parameters
   (the PINN's parameter Vec, unless some are tied: PINNTieParameters_Private()) */
typedef struct {
  char    *name;
  NN       nn;
  PetscInt nout, P, off;
  PetscInt jets_value; /* its jet request for values only (PINNEvaluate()) */
  /* PINNSetNetworkOperator_Private(): what NN_JET_LAPLACIAN quantities of this network mean (op_n < 0:
     the Laplacian over the spatial inputs) */
  PetscInt   op_n;
  PetscInt  *op_in;
  PetscReal *op_w, *op_drift;
} PINNNetwork;

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

/* The type's operations. The generic object (pinn/pinn.c) keeps the problem (geometry, terms,
   points, networks, the parameter Vec); a type says what the networks mean and what the loss is. */
struct _PINNOps {
  PetscErrorCode (*setfromoptions)(PINN, PetscOptionItems *);
  PetscErrorCode (*setupnetworks)(PINN);                                                     /* create or check the networks before they are set up */
  PetscErrorCode (*setup)(PINN);                                                             /* after the networks, terms and points are set up */
  PetscErrorCode (*objectivegradient)(PINN, Vec theta, PetscReal *, Vec g);                  /* g may be NULL */
  PetscErrorCode (*residuals)(PINN, PINNPointSet, PetscInt, const PetscReal[], PetscReal[]); /* r2 at points, current parameters */
  PetscErrorCode (*evaluate)(PINN, PetscInt, const PetscReal[], PetscReal[]);                /* the solution at points, current parameters */
  PetscErrorCode (*computeerror)(PINN, PetscReal *);
  PetscErrorCode (*view)(PINN, PetscViewer);
  PetscErrorCode (*checkpointwrite)(PINN, NNCheckpoint);
  PetscErrorCode (*checkpointread)(PINN, NNCheckpoint);
  PetscErrorCode (*destroy)(PINN);
};

struct _p_PINN {
  PETSCHEADER(struct _PINNOps);
  PINNGeometry     geom;
  PetscInt         dim, nc, nspace; /* inputs, outputs, spatial inputs (Laplacian set) */
  PetscBool        spacetime;
  PetscInt         nnets;
  PINNNetwork     *nets; /* in the order of PINNSetNetwork(); PINNQuantity.net indexes them */
  PetscInt         P;    /* parameters of all networks (what the optimizer sees): Pnet less the tied entries */
  PetscInt         Pnet; /* the networks' entries, concatenated in network order (PINNNetwork.off) */
  PetscInt         ntie; /* PINNTieParameters_Private() */
  PINNTie         *ties;
  PetscInt        *tied;      /* with ties: Pnet, the entry of theta each network entry takes (NULL: the identity) */
  PetscInt        *root;      /* with ties: Pnet, the network entry each one is a copy of (itself when not tied) */
  PetscReal       *theta_net; /* with ties: Pnet, the networks' entries gathered from theta_all through tied */
  Vec              theta;     /* all parameters, the untied entries in network order (one network, no ties: its own Vec) */
  Vec              theta_all; /* replicated copy of the Vec the networks were last evaluated at */
  VecScatter       toall;
  PetscObjectId    theta_all_id; /* that Vec and its state, so an unchanged one is not gathered again */
  PetscObjectState theta_all_state;
  PetscBool        setupcalled;

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
  PetscReal  *wtest;    /* the test points' weights (NULL: all 1) */
  PetscBool   testuser; /* the test set came from PINNSetTestSet() */

  /* training: the settings below are handed to the NNTrainer, which runs the loop, the history,
     the checkpoints and the restart (pinn/train.c) */
  NNTrainer  tr;
  PetscReal *glocal; /* Pnet: this rank's gradient in the networks' entries */
  PetscReal *gterm;  /* NULL, or nterms x Pnet set by a type for the next loss with gradient: each term's gradient apart, in place of glocal
                        (PINNTermsSeparable_Private()) */
  PetscInt  adam_steps, lbfgs_steps;
  PetscReal adam_lr;
  PetscInt  iteration; /* optimizer iteration being evaluated, for messages */
  PetscBool reload;    /* the adapt hook redrew the points: the pre-step hook loads them */
  PetscBool monitor;
  PetscInt  monitor_every;
  char      history[PETSC_MAX_PATH_LEN];
  char      checkpoint[PETSC_MAX_PATH_LEN], restart[PETSC_MAX_PATH_LEN];
  PetscInt  checkpoint_every;
  PetscReal last_error;
  PetscReal target_error;

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
PETSC_INTERN PetscErrorCode PINNComputeTestSetError_Private(PINN, PetscReal *);
/* The XDMF companion's name of an HDF5 output file; the check that both can be written */
PETSC_INTERN PetscErrorCode PINNXDMFName_Private(const char h5[], char xmf[], size_t);
PETSC_INTERN PetscErrorCode PINNCheckOutputWritable_Private(MPI_Comm, const char file[], const char what[]);
PETSC_INTERN PetscErrorCode PINNCreate_Eulerian(PINN);
PETSC_INTERN PetscErrorCode PINNCreate_Lagrangian(PINN);
/* The terms' loss and residual queries of PINNEULERIAN, for other types built on the terms */
PETSC_INTERN PetscErrorCode PINNSetTermsLoss_Private(PINN);
PETSC_INTERN PetscErrorCode PINNTermsBuildGroups_Private(PINN);
/* Whether every network of every group serves one term only (then pinn->gterm may be set) */
PETSC_INTERN PetscErrorCode PINNTermsSeparable_Private(PINN, PetscBool *);
PETSC_INTERN PetscErrorCode PINNTermsDestroy_Private(PINN);
PETSC_INTERN PetscErrorCode PINNGroupsLoadPoints_Private(PINN);
PETSC_INTERN PetscErrorCode PINNDrawInterior_Private(PINN);
/* Lend the networks the replicated parameters of theta (gathered unless unchanged); give them back */
PETSC_INTERN PetscErrorCode PINNLendParameters_Private(PINN, Vec theta);
PETSC_INTERN PetscErrorCode PINNReturnParameters_Private(PINN);
/* Sum the ranks' replicated gradients glocal (length Pnet; tied entries added to what they are tied to) into g
   (layout of the parameter Vec) */
PETSC_INTERN PetscErrorCode PINNReduceGradient_Private(PINN, Vec g);
/* Tie entries doff..doff+n-1 of network dst to entries soff..soff+n-1 of network src (network
   indices), before PINNSetUp() sets the parameter Vec up (a type calls it in its setupnetworks):
   the optimizer then sees one entry for each tied group; the networks evaluate with the copies and
   the gradient entries of a group are summed. src entries may themselves be tied (chains resolve). */
PETSC_INTERN PetscErrorCode PINNTieParameters_Private(PINN, PetscInt dst, PetscInt doff, PetscInt src, PetscInt soff, PetscInt n);
PETSC_INTERN PetscErrorCode PINNSetNetworkOperator_Private(PINN, PetscInt net, PetscInt nlap, const PetscInt lap[], const PetscReal w[],
                                                           const PetscReal drift[]);
/* With several networks: the PINN's parameter Vec into each network's own Vec (PETSC_TRUE), or back */
PETSC_INTERN PetscErrorCode PINNSyncNetworks_Private(PINN, PetscBool tonets);
/* Every network under its own name in a checkpoint, and the type's state */
PETSC_INTERN PetscErrorCode PINNCheckpointWriteNetworks_Private(PINN, NNCheckpoint);
PETSC_INTERN PetscErrorCode PINNCheckpointReadNetworks_Private(PINN, NNCheckpoint);
PETSC_EXTERN PetscLogEvent  PINN_Loss, PINN_Draw;

#endif

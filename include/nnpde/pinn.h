/* PINN: physics-informed training of networks on a problem given by pointwise functions.

   A problem is a set of loss terms. Each term lives on a point set (the interior, parts of the
   boundary, the initial slice, or user points), asks for a list of quantities at its points
   (jets of the network outputs: values, derivatives, second derivatives, Laplacians), and
   returns residuals together with their partial derivatives with respect to those quantities;
   the library backpropagates through the network. The term's loss is
       weight * (1/N) sum_points sum_k r_k^2     (N = global number of the term's points).
   Built-in PDEs and conditions are such terms (PINNAddPoisson(), PINNAddDirichlet(), ...).

   Time-dependent problems use a space-time geometry; time is the last input. Laplacians of
   built-in PDEs are taken over the spatial inputs only.

   A PINN holds one or more named networks (PINNSetNetwork()); a term's quantities may come from
   any of them. Types (pinn/impls/) say what the networks mean and what the loss is:
   "eulerian" (the standard PINN: network 0 is the solution) and "lagrangian" (the LPINN for 1-D
   periodic convection-diffusion: networks "x" and "u" of the label X and t). */
#ifndef NNPDE_PINN_H
#define NNPDE_PINN_H

#include <petsctao.h>
#include <nnpde/nn.h>
#include <nnpde/geometry.h>
#include <nnpde/train.h>

typedef struct _p_PINN *PINN;
typedef const char     *PINNType;
#define PINNEULERIAN "eulerian"
#define PINNLAGRANGIAN "lagrangian"

PETSC_EXTERN PetscClassId      PINN_CLASSID;
PETSC_EXTERN PetscFunctionList PINNList;
/* PINNInitializePackage() (the pinn/ layer's package) is declared in geometry.h */

/* One quantity a term needs at each point: a jet of output component `comp` of network `net`
   (kind NN_JET_VALUE; NN_JET_DERIVATIVE with input i; NN_JET_SECOND_DERIVATIVE with inputs i, j;
   NN_JET_LAPLACIAN over the inputs in the term's Laplacian set, the spatial inputs by default). */
typedef struct {
  PetscInt  net, comp;
  NNJetKind kind;
  PetscInt  i, j;
} PINNQuantity;

/* Residuals of a term at n points. u[p*nq + q] is quantity q at point p; normal (boundary
   points only, else NULL) is n x dim, the outward unit normals (for space-time geometries the time
   component is 0). Fill r[p*nr + k] and dr[(p*nr + k)*nq + q] = d r_k / d u_q. */
typedef PetscErrorCode (*PINNResidualFn)(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                         const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[]);
/* A field given pointwise: v[p*nc + c] at x[p*dim + k] (data of conditions, exact solutions, sources) */
typedef PetscErrorCode (*PINNFieldFn)(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[]);
/* Data on the boundary that depends on the normal (Neumann, Robin: e.g. h = grad u* . n): like
   PINNFieldFn, with normal[p*dim + k] the outward unit normal at point p (time component 0 for
   space-time geometries). Normals come from the geometry: boxes, balls, polygons, and CSG shapes
   (where the boundary of a hole has its normal flipped to point out of the domain). */
typedef PetscErrorCode (*PINNBoundaryFieldFn)(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nc,
                                              PetscReal v[]);

typedef enum { PINN_POINTS_INTERIOR, PINN_POINTS_BOUNDARY, PINN_POINTS_INITIAL } PINNPointSet;
PETSC_EXTERN const char *const PINNPointSets[];

/* The object that draws the point sets (nnpde/sampler.h) */
typedef struct _p_PINNSampler *PINNSampler;

/* A callback for new interior points when points are (re)drawn (PINNSetSamplerFunction(), which
   makes the PINN's sampler a shell sampler with it). *x is PetscMalloc'ed, n x dim, this rank's
   slice of N global points. */
typedef PetscErrorCode (*PINNSamplerFn)(PINN, void *ctx, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x);

PETSC_EXTERN PetscErrorCode PINNCreate(MPI_Comm, PINN *);
PETSC_EXTERN PetscErrorCode PINNSetType(PINN, PINNType);
PETSC_EXTERN PetscErrorCode PINNRegister(const char[], PetscErrorCode (*)(PINN));
PETSC_EXTERN PetscErrorCode PINNSetFromOptions(PINN);
PETSC_EXTERN PetscErrorCode PINNSetUp(PINN);
PETSC_EXTERN PetscErrorCode PINNView(PINN, PetscViewer);
PETSC_EXTERN PetscErrorCode PINNViewFromOptions(PINN, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode PINNDestroy(PINN *);

PETSC_EXTERN PetscErrorCode PINNSetGeometry(PINN, PINNGeometry);
PETSC_EXTERN PetscErrorCode PINNGetGeometry(PINN, PINNGeometry *);
/* Number of output components of the solution (default 1) */
PETSC_EXTERN PetscErrorCode PINNSetNumComponents(PINN, PetscInt);
/* Named networks; PINNQuantity.net is the index in the order of PINNSetNetwork(). Without any,
   PINNSetUp() creates "u" from the -pinn_nn_... options. All networks' parameters form one Vec
   (PINNGetParameters(), concatenated in network order) and one checkpoint (each under its name). */
PETSC_EXTERN PetscErrorCode PINNSetNetwork(PINN, const char name[], NN);
PETSC_EXTERN PetscErrorCode PINNGetNetwork(PINN, const char name[], NN *);
PETSC_EXTERN PetscErrorCode PINNGetNetworkIndex(PINN, const char name[], PetscInt *);
PETSC_EXTERN PetscErrorCode PINNGetNumNetworks(PINN, PetscInt k, PetscInt *n, const char *name[]);
PETSC_EXTERN PetscErrorCode PINNGetParameters(PINN, Vec *);
/* Global point counts (-pinn_interior_points, -pinn_boundary_points, -pinn_initial_points) */
PETSC_EXTERN PetscErrorCode PINNSetNumPoints(PINN, PetscInt ninterior, PetscInt nboundary, PetscInt ninitial);
/* The sampler that draws the point sets (default: a uniform one; -pinn_sample_type, -pinn_sampler_type) */
PETSC_EXTERN PetscErrorCode PINNSetSampler(PINN, PINNSampler);
PETSC_EXTERN PetscErrorCode PINNGetSampler(PINN, PINNSampler *);
PETSC_EXTERN PetscErrorCode PINNSetSamplerFunction(PINN, PINNSamplerFn, void *);
/* This rank's points of a set (borrowed, n x dim; boundary normals may be NULL) */
PETSC_EXTERN PetscErrorCode PINNGetPoints(PINN, PINNPointSet, PetscInt *n, const PetscReal *x[], const PetscReal *normal[]);
PETSC_EXTERN PetscErrorCode PINNGetPointSetSizes(PINN, PINNPointSet, PetscInt *n, PetscInt *N);
PETSC_EXTERN PetscErrorCode PINNGetPointTags(PINN, PINNPointSet, const PetscInt *tag[]);
/* Per-point weights w_p (default 1): a term's loss is weight * (1/N) sum_p w_p sum_k r_pk^2 */
PETSC_EXTERN PetscErrorCode PINNGetPointWeights(PINN, PINNPointSet, PetscReal *w[]);
PETSC_EXTERN PetscErrorCode PINNRestorePointWeights(PINN, PINNPointSet, PetscReal *w[]);

/* Terms. tags selects boundary parts (ntags = 0: the whole boundary). *term may be NULL. */
PETSC_EXTERN PetscErrorCode PINNAddTerm(PINN, const char name[], PINNPointSet, PetscInt ntags, const PetscInt tags[], PetscInt nq,
                                        const PINNQuantity q[], PetscInt nr, PINNResidualFn, void *ctx, PetscReal weight, PetscInt *term);
PETSC_EXTERN PetscErrorCode PINNSetTermWeight(PINN, PetscInt term, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNGetNumTerms(PINN, PetscInt *);
PETSC_EXTERN PetscErrorCode PINNGetTermName(PINN, PetscInt term, const char *name[]);
/* Residuals of one term for given quantity values u[p*nq + q] (no network involved), e.g. to check
   a problem against a manufactured solution; needs PINNSetUp(). */
PETSC_EXTERN PetscErrorCode PINNTermResidual(PINN, PetscInt term, PetscInt n, const PetscReal x[], const PetscReal normal[], const PetscReal u[],
                                             PetscReal r[], PetscReal dr[]);

/* Conditions on output component comp (soft: a weighted loss term; weight from -pinn_<name>_weight) */
PETSC_EXTERN PetscErrorCode PINNAddDirichlet(PINN, const char name[], PetscInt ntags, const PetscInt tags[], PetscInt comp, PINNFieldFn g, void *ctx,
                                             PetscReal weight);
/* du_comp/dn = h and a u_comp + b du_comp/dn = h, n the outward unit normal, which h receives */
PETSC_EXTERN PetscErrorCode PINNAddNeumann(PINN, const char name[], PetscInt ntags, const PetscInt tags[], PetscInt comp, PINNBoundaryFieldFn h,
                                           void *ctx, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNAddRobin(PINN, const char name[], PetscInt ntags, const PetscInt tags[], PetscInt comp, PetscReal a, PetscReal b,
                                         PINNBoundaryFieldFn h, void *ctx, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNAddInitial(PINN, const char name[], PetscInt comp, PINNFieldFn u0, void *ctx, PetscReal weight);
/* Hard Dirichlet condition u = g on the whole boundary via the output transform u = g + phi N,
   phi from PINNGeometryDistance(); g is given with its jets (layout of NNOutputTransformFn), or
   NULL for g = 0. */
PETSC_EXTERN PetscErrorCode PINNSetHardDirichlet(PINN, NNOutputTransformFn g, void *ctx);

/* Built-in PDEs (interior terms on component 0; f may be NULL for f = 0):
     poisson        -lap u + k u = f                      (Helmholtz with k < 0)
     heat            u_t - kappa lap u = f
     convection      u_t + c . grad u - nu lap u = f     (c has dim-1 entries)
     burgers         u_t + u u_x - nu u_xx = 0           (1-D)
     allen-cahn      u_t - D u_xx - gamma (u - u^3) = 0   (1-D) */
PETSC_EXTERN PetscErrorCode PINNAddPoisson(PINN, PetscReal k, PINNFieldFn f, void *ctx, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNAddHeat(PINN, PetscReal kappa, PINNFieldFn f, void *ctx, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNAddConvectionDiffusion(PINN, const PetscReal c[], PetscReal nu, PINNFieldFn f, void *ctx, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNAddBurgers(PINN, PetscReal nu, PetscReal weight);
PETSC_EXTERN PetscErrorCode PINNAddAllenCahn(PINN, PetscReal D, PetscReal gamma, PetscReal weight);

/* Exact or reference solution, for the relative L2 error on the test points
   (-pinn_test_points N interior points, drawn once) */
PETSC_EXTERN PetscErrorCode PINNSetExactSolution(PINN, PINNFieldFn, void *);

/* Training: Adam then L-BFGS (-pinn_adam_steps, -pinn_lbfgs_steps, -pinn_adam_lr, and the TAO
   options of each stage under -pinn_adam_ / -pinn_lbfgs_), mini-batches (-pinn_batch_size),
   re-drawn points (-pinn_resample_every), monitor (-pinn_monitor, -pinn_monitor_every,
   -pinn_monitor_history file.csv), checkpoints (-pinn_checkpoint file, -pinn_checkpoint_every,
   -pinn_restart file). */
PETSC_EXTERN PetscErrorCode PINNTrain(PINN);
/* Setters of the training options (each has its -pinn_ option) */
PETSC_EXTERN PetscErrorCode PINNSetSteps(PINN, PetscInt adam_steps, PetscInt lbfgs_steps);
PETSC_EXTERN PetscErrorCode PINNSetLearningRate(PINN, PetscReal adam_lr);
PETSC_EXTERN PetscErrorCode PINNSetSampleType(PINN, PINNSampleType, PetscInt seed);
PETSC_EXTERN PetscErrorCode PINNSetBatchSize(PINN, PetscInt);
PETSC_EXTERN PetscErrorCode PINNSetResampleEvery(PINN, PetscInt);
PETSC_EXTERN PetscErrorCode PINNSetTestPoints(PINN, PetscInt);
/* The error's test points given by the caller (this rank's n x dim) with quadrature or importance weights (NULL: 1) */
PETSC_EXTERN PetscErrorCode PINNSetTestSet(PINN, PetscInt n, const PetscReal x[], const PetscReal w[]);
PETSC_EXTERN PetscErrorCode PINNSetMonitor(PINN, PetscBool, PetscInt every, const char history[]);
PETSC_EXTERN PetscErrorCode PINNSetCheckpoint(PINN, const char file[], PetscInt every);
/* Stop training once the relative L2 error (checked every -pinn_monitor_every steps) is at most
   this (-pinn_target_error; needs an exact solution) */
PETSC_EXTERN PetscErrorCode PINNSetTargetError(PINN, PetscReal);
PETSC_EXTERN PetscErrorCode PINNGetIterations(PINN, PetscInt *);
/* Loss and gradient at parameters theta (layout of PINNGetParameters(); collective), the trainer's
   objective; PINNComputeLoss() at the current parameters */
PETSC_EXTERN PetscErrorCode PINNComputeObjectiveGradient(PINN, Vec theta, PetscReal *f, Vec g);
PETSC_EXTERN PetscErrorCode PINNComputeLoss(PINN, PetscReal *loss, Vec gradient);
/* Squared residuals r2[p] = sum_t weight_t sum_k r_pk^2 of a region's terms at n arbitrary local
   points, and d r2/dx (n x dim, may be NULL), at the current parameters (not collective) */
PETSC_EXTERN PetscErrorCode PINNComputeResiduals(PINN, PINNPointSet, PetscInt n, const PetscReal x[], PetscReal r2[], PetscReal grad_r2[]);
PETSC_EXTERN PetscErrorCode PINNGetTermLosses(PINN, PetscInt *n, const PetscReal *losses[]);
PETSC_EXTERN PetscErrorCode PINNComputeError(PINN, PetscReal *relative_l2);
PETSC_EXTERN PetscErrorCode PINNGetTrainer(PINN, NNTrainer *);

/* The solution u(x) at n local points (not collective): u[p*nc + c] */
PETSC_EXTERN PetscErrorCode PINNEvaluate(PINN, PetscInt n, const PetscReal x[], PetscReal u[]);
/* Solution, exact solution and error on an nx x ny grid over the bounding box of the first two
   coordinates (others at the box centre), to HDF5 with an XDMF companion for ParaView. */
PETSC_EXTERN PetscErrorCode PINNWriteSolution(PINN, const char file[], PetscInt nx, PetscInt ny);
/* Before training: the output file and its companion can be written and are none of the PINN's training files */
PETSC_EXTERN PetscErrorCode PINNCheckOutputFile(PINN, const char file[], const char what[]);
PETSC_EXTERN PetscErrorCode PINNWriteCheckpoint(PINN, const char file[]);
PETSC_EXTERN PetscErrorCode PINNReadCheckpoint(PINN, const char file[]);

/* PINNLAGRANGIAN (pinn/impls/lagrangian/): u_t + f1 u_x = f2 u_xx, f1 = c, u or c u (1 - u), f2 = nu (or pointwise functions) */
typedef enum { PINN_LAGRANGIAN_F1_C, PINN_LAGRANGIAN_F1_U, PINN_LAGRANGIAN_F1_LOGISTIC } PINNLagrangianF1;
PETSC_EXTERN const char *const PINNLagrangianF1s[];
/* u_xx: exact (chain rule through J = x_X), label (u_XX, as the released LPINN code) or scaled (exact, ru times J^3: no division) */
typedef enum { PINN_LAGRANGIAN_UXX_EXACT, PINN_LAGRANGIAN_UXX_LABEL, PINN_LAGRANGIAN_UXX_SCALED } PINNLagrangianUxx;
PETSC_EXTERN const char *const PINNLagrangianUxxs[];
/* the loss: weighted mean squares of the terms, or their weighted 2-norms (the released LPINN code) */
typedef enum { PINN_LAGRANGIAN_LOSS_MSE, PINN_LAGRANGIAN_LOSS_NORM } PINNLagrangianLoss;
PETSC_EXTERN const char *const PINNLagrangianLosses[];
PETSC_EXTERN PetscErrorCode    PINNLagrangianSetLoss(PINN, PINNLagrangianLoss);
PETSC_EXTERN PetscErrorCode    PINNLagrangianSetInitialCondition(PINN, PINNFieldFn u0, void *ctx);
PETSC_EXTERN PetscErrorCode    PINNLagrangianSetSpeed(PINN, PINNLagrangianF1, PetscReal c, PetscReal nu);
PETSC_EXTERN PetscErrorCode    PINNLagrangianSetUxx(PINN, PINNLagrangianUxx);
PETSC_EXTERN PetscErrorCode    PINNLagrangianSetShareWeights(PINN, PetscBool);
PETSC_EXTERN PetscErrorCode    PINNLagrangianSetOperatorStream(PINN, PetscBool);
/* f1(x, t, u) pointwise, in place of the built-in speeds: at n points xt[2p] = x (the Eulerian
   position, in the period), xt[2p + 1] = t and the states u[p], the speed f[p] and its derivatives
   dfdx[p], dfdu[p] */
typedef PetscErrorCode (*PINNLagrangianSpeedFn)(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal dfdx[],
                                                PetscReal dfdu[]);
PETSC_EXTERN PetscErrorCode PINNLagrangianSetSpeedFunction(PINN, PINNLagrangianSpeedFn, void *ctx);
/* f2(x, t, u) >= 0 pointwise, in place of the constant nu: the same arguments, f[p] = f2, dfdx[p] = df2/dx, dfdu[p] = df2/du */
typedef PetscErrorCode (*PINNLagrangianDiffusionFn)(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal dfdx[],
                                                    PetscReal dfdu[]);
PETSC_EXTERN PetscErrorCode PINNLagrangianSetDiffusionFunction(PINN, PINNLagrangianDiffusionFn, void *ctx);
/* collocation on the grid of nl labels x nt times (0: sampled points) */
PETSC_EXTERN PetscErrorCode PINNLagrangianSetGrid(PINN, PetscInt nl, PetscInt nt);
PETSC_EXTERN PetscErrorCode PINNLagrangianSetWeights(PINN, PetscReal gamma_x, PetscReal gamma_u, PetscReal gamma_ic);
/* u[j*nx + k] = u(x_k, t_j) by interpolation from nl labels' characteristics, per time slice */
PETSC_EXTERN PetscErrorCode PINNLagrangianEvaluateGrid(PINN, PetscInt nl, PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[],
                                                       PetscReal u[]);
/* the same into a space-time Vec (ReferenceSpaceTimeVecCreate1d() layout); errors on the grid; output (evaluate.c, output.c) */
PETSC_EXTERN PetscErrorCode PINNLagrangianEvaluateVec(PINN, PetscInt nl, const PetscReal x[], const PetscReal t[], Vec u);
PETSC_EXTERN PetscErrorCode PINNLagrangianSpectralNorm(Vec, PetscInt cut, PetscReal *);
PETSC_EXTERN PetscErrorCode PINNLagrangianGridError(Vec u, Vec ref, PetscReal shift, PetscReal *rel, PetscReal *legacy);
PETSC_EXTERN PetscErrorCode PINNLagrangianWriteGrid(PINN, const char file[], PetscInt nl, PetscInt nx, const PetscReal x[], PetscInt nt,
                                                    const PetscReal t[], Vec ref);

#endif

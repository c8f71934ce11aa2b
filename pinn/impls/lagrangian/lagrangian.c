/* PINNLAGRANGIAN: the Lagrangian PINN (Mojgani, Balajewicz, Hassanzadeh, CMAME 2023) for 1-D periodic
   u_t + f1(x,t,u) u_x = f2(x,t,u) u_xx. The inputs are (X, t), X the label (position at t = 0); network "x"
   gives the characteristic as its displacement, x(X,t) = X + N_x(X,t), network "u" the solution along
   it, both with the periodic embedding (cos, sin) of X. (A network periodic in X cannot be x itself:
   x(X + P, t) = x(X, t) + P; the displacement is periodic.) The loss is built from terms of both
   networks (pinn/terms.c):
     rx: x_t - f1(x,t,u)        ru: u_t - f2(x,t,u) u_xx        x0: x(X,0) - X = N_x(X,0)        u0: u(X,0) - u0(X)
   u_xx is the chain rule through J = x_X = 1 + N_x,X (exact) or u_XX (label, as the released code);
   f2 is the constant nu or a pointwise function; with f2 = nu = 0 ru is u_t. */
#include <nnpde/private/pinnimpl.h>
#include <nnpde/private/nnimpl.h>
#include <nnpde/sampler.h>
#include <nnpde/random.h>

#define LAGRANGIAN_GRID_STREAM 0x4C475244ULL /* "LGRD": random stream of the grid's shuffle (mini-batches) */

const char *const PINNLagrangianF1s[]    = {"c", "u", "logistic", "PINNLagrangianF1", "PINN_LAGRANGIAN_F1_", NULL};
const char *const PINNLagrangianLosses[] = {"mse", "norm", "PINNLagrangianLoss", "PINN_LAGRANGIAN_LOSS_", NULL};
const char *const PINNLagrangianUxxs[]   = {"exact", "label", "scaled", "PINNLagrangianUxx", "PINN_LAGRANGIAN_UXX_", NULL};

typedef struct {
  PINNLagrangianF1      f1;
  PINNLagrangianUxx     uxx;
  PetscReal             c, nu;
  PetscReal             gamma_x, gamma_u, gamma_ic;
  PINNField             u0;
  PINNLagrangianSpeedFn speed; /* f1 by callback (PINNLagrangianSetSpeedFunction()), else the built-in f1 */
  void                 *speedctx;
  PetscReal            *gterm; /* nterms x Pnet: the terms' gradients apart (the 2-norm loss in one pass) */
  PetscReal            *sbuf;  /* the callbacks' points (x, t), states u and values f, df/dx, df/du (speed and diffusion) */
  PetscInt              scap;
  PetscInt              grid[2]; /* labels x times of the tensor grid of points (0: sampled points) */
  PetscReal             t0, t1;
  PetscInt             *perm;       /* with mini-batches: the grid points in a fixed random order */
  PetscReal             lo, period; /* the spatial interval [lo, lo + period) */
  PetscInt              iu, ix;     /* network indices */
  PetscInt              jets_xX;
  PINNLagrangianLoss    loss;

  PINNLagrangianDiffusionFn diffusion; /* f2 by callback (PINNLagrangianSetDiffusionFunction()), else the constant nu */
  void                     *diffusionctx;
  PetscErrorCode (*termsloss)(PINN, Vec, PetscReal *, Vec);                                       /* the terms' weighted mean squares (eulerian.c) */
  PetscErrorCode (*termsresiduals)(PINN, PINNPointSet, PetscInt, const PetscReal[], PetscReal[]); /* and their residual queries */
  PetscBool created_x; /* network "x" was made here: its output layer starts at zero (x = X, J = 1) */
  PetscBool share;     /* the released code's weight sharing (PINNLagrangianSetShareWeights()) */
  PetscBool opstream;  /* label u_xx, constant nu: u_t - nu u_XX as one jet stream of u (-pinn_lagrangian_operator_stream) */
  /* J = x_X <= 0 (exact u_xx): inside the loss and residual queries (defer) the residual records the
     point, the smallest label (X, t) of this rank, and the check after the pass is collective; a
     direct PINNTermResidual() errors on the spot */
  PetscBool defer;
  PetscInt  nbad, nnan, ndif;
  PetscBool crossed; /* the last loss met J <= 0 inside L-BFGS's line search: the loss is +Inf there */
  PetscReal bad[3];  /* X, t, J */
  PetscReal nan[5];  /* X, t, x, u, f: the smallest label where the speed callback gave NaN/Inf */
  PetscReal dif[5];  /* X, t, x, u, f: the smallest label where the diffusion callback gave f2 < 0 or NaN/Inf */
  PINN      pinn;    /* for the iteration in messages (not referenced) */
} PINN_Lagrangian;

/* Whether ru = u_t - nu u_XX is one operator jet stream of u: the label u_xx and a constant nu > 0 */
static inline PetscBool OperatorStream(const PINN_Lagrangian *lg)
{
  return (PetscBool)(lg->uxx == PINN_LAGRANGIAN_UXX_LABEL && lg->nu > 0 && !lg->diffusion && lg->opstream);
}

/* Wrap into [lo, lo + period) */
static inline PetscReal Wrap(PetscReal x, PetscReal lo, PetscReal P)
{
  PetscReal y = x - lo - P * PetscFloorReal((x - lo) / P);
  if (y >= P) y -= P;
  return lo + y;
}

/* A bad value of a callback at label (X, t), NaN/Inf from the speed function (diffusion false) or a
   negative or NaN/Inf f2 from the diffusion function: recorded (the smallest label) when deferred,
   else an error on the spot */
static PetscErrorCode RecordNaN(PINN_Lagrangian *lg, PetscBool diffusion, PetscReal X, PetscReal t, PetscReal x, PetscReal u, PetscReal f)
{
  PetscInt  *count = diffusion ? &lg->ndif : &lg->nnan;
  PetscReal *rec   = diffusion ? lg->dif : lg->nan;

  PetscFunctionBegin;
  if (!lg->defer) {
    PetscCheck(
        diffusion, PETSC_COMM_SELF, PETSC_ERR_FP,
        "PINN type lagrangian: the speed function (PINNLagrangianSetSpeedFunction()) gave f1 = %g or a derivative NaN/Inf at x = %g, t = %g, u = "
        "%g (label X = %g), iteration %" PetscInt_FMT,
        (double)f, (double)x, (double)t, (double)u, (double)X, lg->pinn ? lg->pinn->iteration : 0);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FP,
            "PINN type lagrangian: the diffusion function (PINNLagrangianSetDiffusionFunction()) gave f2 = %g (it must be finite and "
            "nonnegative) or a derivative NaN/Inf at x = %g, t = %g, u = %g (label X = %g), iteration %" PetscInt_FMT,
            (double)f, (double)x, (double)t, (double)u, (double)X, lg->pinn ? lg->pinn->iteration : 0);
  }
  if (!*count || X < rec[0] || (X == rec[0] && t < rec[1])) rec[0] = X, rec[1] = t, rec[2] = x, rec[3] = u, rec[4] = f;
  (*count)++;
  PetscFunctionReturn(0);
}

/* The callback's workspace for n points: xt (2n), u, f, df/dx, df/du (n each) */
static PetscErrorCode CallbackBuffer(PINN_Lagrangian *lg, PetscInt n, PetscReal **xt, PetscReal **w, PetscReal **f, PetscReal **fx, PetscReal **fu)
{
  PetscFunctionBegin;
  if (6 * n > lg->scap) {
    PetscCall(PetscFree(lg->sbuf));
    PetscCall(PetscMalloc1(6 * n, &lg->sbuf));
    lg->scap = 6 * n;
  }
  *xt = lg->sbuf, *w = *xt + 2 * n, *f = *w + n, *fx = *f + n, *fu = *fx + n;
  PetscFunctionReturn(0);
}

/* rx = x_t - f1(x,t,u); quantities x_t, u (x_t only for f1 = c), and with a speed callback N_x (x = X + N_x) */
static PetscErrorCode ResidualX(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                                PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)ctx;

  PetscFunctionBegin;
  (void)normal, (void)nr;
  if (lg->speed) {
    PetscReal *xt, *w, *f, *fx, *fu;
    PetscCall(CallbackBuffer(lg, n, &xt, &w, &f, &fx, &fu));
    for (PetscInt p = 0; p < n; p++) {
      xt[2 * p]     = Wrap(x[p * dim] + u[p * nq + 2], lg->lo, lg->period);
      xt[2 * p + 1] = x[p * dim + 1];
      w[p]          = u[p * nq + 1];
    }
    PetscCall((*lg->speed)(lg->speedctx, n, xt, w, f, fx, fu));
    for (PetscInt p = 0; p < n; p++) {
      if (PetscIsInfOrNanReal(f[p]) || PetscIsInfOrNanReal(fx[p]) || PetscIsInfOrNanReal(fu[p])) {
        PetscCall(RecordNaN(lg, PETSC_FALSE, x[p * dim], x[p * dim + 1], xt[2 * p], w[p], f[p]));
        r[p] = 0; /* finite; the pass ends in an error */
        for (PetscInt k = 0; k < 3; k++) dr[p * nq + k] = 0;
        continue;
      }
      r[p]           = u[p * nq] - f[p];
      dr[p * nq]     = 1;
      dr[p * nq + 1] = -fu[p];
      dr[p * nq + 2] = -fx[p];
    }
    PetscFunctionReturn(0);
  }
  for (PetscInt p = 0; p < n; p++) { /* f1 = c: the quantity x_t only (nq = 1) */
    const PetscReal xt = u[p * nq], w = nq > 1 ? u[p * nq + 1] : 0;
    PetscReal       f = 0, df = 0;
    switch (lg->f1) {
    case PINN_LAGRANGIAN_F1_C:
      f = lg->c;
      break;
    case PINN_LAGRANGIAN_F1_U:
      f = w, df = 1;
      break;
    case PINN_LAGRANGIAN_F1_LOGISTIC:
      f = lg->c * w * (1 - w), df = lg->c * (1 - 2 * w);
      break;
    }
    r[p]       = xt - f;
    dr[p * nq] = 1;
    if (nq > 1) dr[p * nq + 1] = -df;
  }
  PetscFunctionReturn(0);
}

/* ru = u_t - f2 u_xx, f2 = nu or f2(x,t,u) by the diffusion callback. Quantities u_t (f2 = nu = 0) or
   u_t - nu u_XX itself (the operator stream: label, constant nu),
   u_t, u_XX (label) or u_t, u_X, u_XX, N_x,X, N_x,XX (exact: u_xx = (u_XX J - u_X J_X) / J^3 with
   J = x_X = 1 + N_x,X, which must stay positive); with the callback then also u and N_x (x = X + N_x),
   through which f2 depends on the parameters: d ru / du = -df2/du u_xx, d ru / dN_x = -df2/dx u_xx */
static PetscErrorCode ResidualU(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                                PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)ctx;
  const PetscInt   nd = lg->uxx == PINN_LAGRANGIAN_UXX_LABEL ? 2 : 5; /* the u_xx quantities; u and N_x follow with a callback */
  PetscReal       *xt = NULL, *w = NULL, *f = NULL, *fx = NULL, *fu = NULL;

  PetscFunctionBegin;
  (void)normal, (void)nr;
  if (lg->diffusion) {
    PetscCall(CallbackBuffer(lg, n, &xt, &w, &f, &fx, &fu));
    for (PetscInt p = 0; p < n; p++) {
      xt[2 * p]     = Wrap(x[p * dim] + u[p * nq + nd + 1], lg->lo, lg->period);
      xt[2 * p + 1] = x[p * dim + 1];
      w[p]          = u[p * nq + nd];
    }
    PetscCall((*lg->diffusion)(lg->diffusionctx, n, xt, w, f, fx, fu));
  }
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *q  = u + p * nq;
    PetscReal       *d  = dr + p * nq;
    PetscReal        f2 = lg->nu, f2x = 0, f2u = 0;
    if (nq == 1) {
      r[p] = q[0];
      d[0] = 1;
      continue;
    }
    if (f) {
      f2 = f[p], f2x = fx[p], f2u = fu[p];
      if (!(f2 >= 0) || PetscIsInfOrNanReal(f2) || PetscIsInfOrNanReal(f2x) || PetscIsInfOrNanReal(f2u)) {
        PetscCall(RecordNaN(lg, PETSC_TRUE, x[p * dim], x[p * dim + 1], xt[2 * p], w[p], f2));
        r[p] = 0; /* finite; the pass ends in an error */
        for (PetscInt k = 0; k < nq; k++) d[k] = 0;
        continue;
      }
    }
    if (nd == 2) {
      r[p] = q[0] - f2 * q[1];
      d[0] = 1;
      d[1] = -f2;
      if (f) d[2] = -f2u * q[1], d[3] = -f2x * q[1];
    } else {
      const PetscReal ut = q[0], uX = q[1], uXX = q[2], J = 1 + q[3], JX = q[4];
      if (!(J > 0) && lg->uxx == PINN_LAGRANGIAN_UXX_EXACT) { /* scaled: defined for any J, as label */
        const PetscReal X = x[p * dim], t = x[p * dim + 1];
        PetscCheck(lg->defer, PETSC_COMM_SELF, PETSC_ERR_FP,
                   "PINN type lagrangian: J = x_X = %g <= 0 at label X = %g, t = %g, iteration %" PetscInt_FMT
                   ": the characteristics cross (the map X -> x is not one-to-one)",
                   (double)J, (double)X, (double)t, lg->pinn ? lg->pinn->iteration : 0);
        if (!lg->nbad || X < lg->bad[0] || (X == lg->bad[0] && t < lg->bad[1])) lg->bad[0] = X, lg->bad[1] = t, lg->bad[2] = J;
        lg->nbad++;
        r[p] = 0; /* finite; the pass ends in an error */
        for (PetscInt k = 0; k < nq; k++) d[k] = 0;
        continue;
      }
      if (lg->uxx == PINN_LAGRANGIAN_UXX_SCALED) { /* J^3 ru: no division */
        const PetscReal J2 = J * J, J3 = J2 * J, D = uXX * J - uX * JX;
        r[p] = J3 * ut - f2 * D;
        d[0] = J3;
        d[1] = f2 * JX;
        d[2] = -f2 * J;
        d[3] = 3 * J2 * ut - f2 * uXX;
        d[4] = f2 * uX;
        if (f) d[5] = -f2u * D, d[6] = -f2x * D;
      } else {
        const PetscReal J2 = J * J, J3 = J2 * J, J4 = J3 * J;
        r[p] = ut - f2 * (uXX * J - uX * JX) / J3;
        d[0] = 1;
        d[1] = f2 * JX / J3;
        d[2] = -f2 / J2;
        d[3] = -f2 * (-2 * uXX / J3 + 3 * uX * JX / J4);
        d[4] = f2 * uX / J3;
        if (f) {
          const PetscReal uxx = (uXX * J - uX * JX) / J3;
          d[5]                = -f2u * uxx;
          d[6]                = -f2x * uxx;
        }
      }
    }
  }
  PetscFunctionReturn(0);
}

/* x0 = x(X,0) - X = N_x(X,0); quantity N_x */
static PetscErrorCode ResidualX0(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                                 PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PetscFunctionBegin;
  (void)ctx, (void)dim, (void)x, (void)normal, (void)nr;
  for (PetscInt p = 0; p < n; p++) {
    r[p]       = u[p * nq];
    dr[p * nq] = 1;
  }
  PetscFunctionReturn(0);
}

/* u0 = u(X,0) - u0(X); quantity u */
static PetscErrorCode ResidualU0(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                                 PetscInt nr, PetscReal r[], PetscReal dr[])
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)ctx;

  PetscFunctionBegin;
  (void)normal, (void)nr;
  PetscCall(PINNFieldEvaluate_Private(&lg->u0, n, dim, x));
  for (PetscInt p = 0; p < n; p++) {
    r[p]       = u[p * nq] - lg->u0.v[p];
    dr[p * nq] = 1;
  }
  PetscFunctionReturn(0);
}

/* After a pass over the points with the checks deferred: all ranks agree whether the speed callback
   gave a NaN/Inf, the diffusion callback a negative or NaN/Inf f2, or J = x_X <= 0 was met (in this
   order of precedence), and error together, naming the smallest such label (X, t) over all ranks
   (the same for any number of ranks) */
static PetscErrorCode CheckDeferred(PINN pinn)
{
  PINN_Lagrangian *lg       = (PINN_Lagrangian *)pinn->data;
  MPI_Comm         comm     = PetscObjectComm((PetscObject)pinn);
  const PetscReal *recs[3]  = {lg->nan, lg->dif, lg->bad};
  const PetscInt   nrest[3] = {3, 3, 1}; /* the record after (X, t) */
  PetscReal        key[3], rest[3];
  PetscInt         count[3] = {lg->nnan, lg->ndif, lg->nbad}, kind, mine;
  PetscMPIInt      rank, size, owner;
  const PetscReal *rec;

  PetscFunctionBegin;
  lg->defer = PETSC_FALSE;
  lg->nbad = lg->nnan = lg->ndif = 0;
  for (PetscInt k = 0; k < 3; k++) key[k] = count[k] ? recs[k][0] : PETSC_MAX_REAL;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, key, 3, MPIU_REAL, MPIU_MIN, comm));
  for (kind = 0; kind < 3 && key[kind] == PETSC_MAX_REAL; kind++) {}
  if (kind == 3) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  rec    = recs[kind];
  mine   = count[kind] && rec[0] == key[kind];
  key[0] = key[kind];
  key[1] = mine ? rec[1] : PETSC_MAX_REAL; /* the smallest t at the smallest X */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &key[1], 1, MPIU_REAL, MPIU_MIN, comm));
  owner = mine && rec[1] == key[1] ? rank : size; /* the first rank holding that label sends the rest of its record */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &owner, 1, MPI_INT, MPI_MIN, comm));
  if (rank == owner) PetscCall(PetscArraycpy(rest, rec + 2, nrest[kind]));
  PetscCallMPI(MPI_Bcast(rest, (PetscMPIInt)nrest[kind], MPIU_REAL, owner, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, count, 3, MPIU_INT, MPI_SUM, comm));
  PetscCheck(kind != 0, comm, PETSC_ERR_FP,
             "PINN type lagrangian, iteration %" PetscInt_FMT ": the speed function (PINNLagrangianSetSpeedFunction()) gave NaN/Inf (in f1 or "
             "its derivatives) at %" PetscInt_FMT " point(s), the first at label X = %g, t = %g: x = %g, u = %g, f1 = %g",
             pinn->iteration, count[0], (double)key[0], (double)key[1], (double)rest[0], (double)rest[1], (double)rest[2]);
  PetscCheck(kind != 1, comm, PETSC_ERR_FP,
             "PINN type lagrangian, iteration %" PetscInt_FMT ": the diffusion function (PINNLagrangianSetDiffusionFunction()) gave a negative "
             "or NaN/Inf f2 (or NaN/Inf derivatives) at %" PetscInt_FMT " point(s), the first at label X = %g, t = %g: x = %g, u = %g, f2 = %g "
             "(f2 must be finite and nonnegative)",
             pinn->iteration, count[1], (double)key[0], (double)key[1], (double)rest[0], (double)rest[1], (double)rest[2]);
  if (pinn->tr) { /* a trial point of L-BFGS's line search: +Inf, so that the line search steps back */
    NNTrainStage stage;
    PetscCall(NNTrainerGetProgress(pinn->tr, &stage, NULL, NULL));
    if (stage == NN_TRAIN_STAGE_LBFGS) {
      PetscCall(PetscInfo(pinn, "L-BFGS iteration %" PetscInt_FMT ": J = x_X <= 0 at %" PetscInt_FMT " point(s) of a line-search trial: loss +Inf\n",
                          pinn->iteration, count[2]));
      lg->crossed = PETSC_TRUE;
      PetscFunctionReturn(0);
    }
  }
  SETERRQ(comm, PETSC_ERR_FP,
          "PINN type lagrangian, iteration %" PetscInt_FMT ": J = x_X <= 0 at %" PetscInt_FMT
          " point(s), the first at label X = %g, t = %g (J = %g): the characteristics cross (the map X -> x is not one-to-one), "
          "and the exact u_xx = (u_XX J - u_X J_X) / J^3 is undefined; use -pinn_lagrangian_uxx scaled (the same u_xx times J^3, no "
          "division) or label, more weight on the initial condition (-pinn_lagrangian_gamma_ic) or a smaller -pinn_adam_lr",
          pinn->iteration, count[2], (double)key[0], (double)key[1], (double)rest[0]);
}

/* The terms' loss with the J check deferred to one collective check */
static PetscErrorCode TermsLoss(PINN pinn, Vec theta, PetscReal *loss, Vec g)
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)pinn->data;

  PetscFunctionBegin;
  lg->defer = PETSC_TRUE;
  lg->nbad = lg->nnan = lg->ndif = 0;
  lg->crossed                    = PETSC_FALSE;
  PetscCall((*lg->termsloss)(pinn, theta, loss, g));
  PetscCall(CheckDeferred(pinn));
  if (lg->crossed) {
    *loss = PETSC_INFINITY;
    if (g) PetscCall(VecZeroEntries(g));
  }
  PetscFunctionReturn(0);
}

/* The terms' residual queries (samplers: PINNComputeResiduals(), which is not collective): a point
   with J <= 0, a NaN/Inf speed or a bad f2 gets the residual 0 there, no error; the next loss
   evaluation reports it */
static PetscErrorCode PINNResiduals_Lagrangian(PINN pinn, PINNPointSet region, PetscInt n, const PetscReal x[], PetscReal r2[])
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)pinn->data;

  PetscFunctionBegin;
  lg->defer = PETSC_TRUE;
  lg->nbad = lg->nnan = lg->ndif = 0;
  PetscCall((*lg->termsresiduals)(pinn, region, n, x, r2));
  lg->defer = PETSC_FALSE;
  lg->nbad = lg->nnan = lg->ndif = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSetFromOptions_Lagrangian(PINN pinn, PetscOptionItems *PetscOptionsObject)
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)pinn->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Lagrangian PINN options");
  PetscCall(PetscOptionsEnum("-pinn_lagrangian_f1", "Characteristic speed f1: c, u or logistic c u (1 - u)", "PINNLagrangianSetSpeed",
                             PINNLagrangianF1s, (PetscEnum)lg->f1, (PetscEnum *)&lg->f1, NULL));
  PetscCall(PetscOptionsReal("-pinn_lagrangian_c", "The constant c of f1", "PINNLagrangianSetSpeed", lg->c, &lg->c, NULL));
  PetscCall(PetscOptionsReal("-pinn_lagrangian_nu", "Diffusion f2 = nu (ignored with PINNLagrangianSetDiffusionFunction())", "PINNLagrangianSetSpeed",
                             lg->nu, &lg->nu, NULL));
  PetscCall(PetscOptionsEnum("-pinn_lagrangian_uxx", "u_xx: exact (chain rule through J = x_X), label (u_XX) or scaled (exact, ru times J^3)",
                             "PINNLagrangianSetUxx", PINNLagrangianUxxs, (PetscEnum)lg->uxx, (PetscEnum *)&lg->uxx, NULL));
  PetscCall(PetscOptionsReal("-pinn_lagrangian_gamma_x", "Weight of the characteristic residual", "PINNLagrangianSetWeights", lg->gamma_x,
                             &lg->gamma_x, NULL));
  PetscCall(
      PetscOptionsReal("-pinn_lagrangian_gamma_u", "Weight of the state residual", "PINNLagrangianSetWeights", lg->gamma_u, &lg->gamma_u, NULL));
  PetscCall(PetscOptionsReal("-pinn_lagrangian_gamma_ic", "Weight of the initial conditions", "PINNLagrangianSetWeights", lg->gamma_ic, &lg->gamma_ic,
                             NULL));
  {
    PetscInt  g[3] = {lg->grid[0], lg->grid[1], 0}, ng = 3; /* room for a third value, to refuse it */
    PetscBool set;
    PetscCall(PetscOptionsIntArray("-pinn_lagrangian_grid",
                                   "Collocation points: the tensor grid of nl labels x nt times (0,0: sampled points, -pinn_interior_points)",
                                   "PINNLagrangianSetGrid", g, &ng, &set));
    if (set) {
      PetscCheck(ng == 2 || (ng == 1 && g[0] == 0), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONG,
                 "-pinn_lagrangian_grid takes nl,nt (labels, times), e.g. 256,100, or 0 for sampled points; got %" PetscInt_FMT " value(s)", ng);
      if (ng == 1) g[1] = 0;
      PetscCall(PINNLagrangianSetGrid(pinn, g[0], g[1]));
    }
  }
  PetscCall(PetscOptionsBool("-pinn_lagrangian_operator_stream", "With label u_xx and a constant nu: u_t - nu u_XX as one jet stream",
                             "PINNLagrangianSetOperatorStream", lg->opstream, &lg->opstream, NULL));
  PetscCall(PetscOptionsEnum("-pinn_lagrangian_loss", "Loss: mse (weighted mean squares) or norm (weighted 2-norms, the released code's)",
                             "PINNLagrangianSetLoss", PINNLagrangianLosses, (PetscEnum)lg->loss, (PetscEnum *)&lg->loss, NULL));
  PetscCall(PetscOptionsBool("-pinn_lagrangian_share_weights",
                             "The released code's weight sharing: x reuses u's input, first hidden and output layers, u repeats its second "
                             "hidden layer",
                             "PINNLagrangianSetShareWeights", lg->share, &lg->share, NULL));
  PetscOptionsHeadEnd();
  PetscCall(PINNLagrangianSetWeights(pinn, lg->gamma_x, lg->gamma_u, lg->gamma_ic));
  PetscCheck(lg->nu >= 0 && !PetscIsInfOrNanReal(lg->nu), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_lagrangian_nu must be finite and nonnegative, got %g", (double)lg->nu);
  PetscCheck(!PetscIsInfOrNanReal(lg->c), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "-pinn_lagrangian_c must be finite, got %g",
             (double)lg->c);
  PetscFunctionReturn(0);
}

/* A default network: nin = 2, one output, the given hidden layers of tanh, periodic in X, options under -pinn_<name>_nn_ */
static PetscErrorCode CreateNetwork(PINN pinn, const char name[], PetscInt nhidden, uint64_t seed)
{
  PINN_Lagrangian *lg        = (PINN_Lagrangian *)pinn->data;
  const PetscInt   widths[8] = {50, 50, 50, 50, 50, 50, 50, 50}, periodic = 0;
  char             prefix[64];
  NN               nn;

  PetscFunctionBegin;
  PetscCall(NNCreate(PetscObjectComm((PetscObject)pinn), &nn));
  PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "pinn_%s_", name));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, ((PetscObject)pinn)->prefix));
  PetscCall(PetscObjectAppendOptionsPrefix((PetscObject)nn, prefix));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, nhidden, widths));
  PetscCall(NNMLPSetActivation(nn, NN_ACTIVATION_TANH));
  PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, lg->period));
  PetscCall(NNSetSeed(nn, seed));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(PINNSetNetwork(pinn, name, nn));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

/* The tensor grid: global point k (this rank: the slice [N r / size, N (r + 1) / size), the layout the
   mini-batches assume) is grid point g = perm[k] (g = k without mini-batches), label i = g mod nl
   and time j = g / nl: X_i = a + i P / nl, t_j = t0 + j (t1 - t0) / (nt - 1) (t-major, as the
   released code; its endpoint X = b repeats X = a after the embedding, so it is left out). The
   initial points are the nl labels at t0. The same for any draw and any number of ranks. */
static PetscErrorCode GridDraw(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x, PetscReal **w,
                               void *ctx)
{
  PINN_Lagrangian *lg   = (PINN_Lagrangian *)ctx;
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  const PetscInt   nl = lg->grid[0], nt = lg->grid[1];
  PetscMPIInt      rank, size;
  PetscInt         lo, hi;

  PetscFunctionBegin;
  (void)s, (void)draw, (void)w;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCheck(N == (region == PINN_POINTS_INITIAL ? nl : nl * nt), comm, PETSC_ERR_PLIB,
             "grid of %" PetscInt_FMT " x %" PetscInt_FMT " points, asked for %" PetscInt_FMT, nl, region == PINN_POINTS_INITIAL ? 1 : nt, N);
  lo = (PetscInt)(((PetscInt64)N * rank) / size);
  hi = (PetscInt)(((PetscInt64)N * (rank + 1)) / size);
  *n = hi - lo;
  PetscCall(PetscMalloc1(2 * (hi - lo), x));
  for (PetscInt k = lo; k < hi; k++) {
    const PetscInt g = region == PINN_POINTS_INTERIOR && lg->perm ? lg->perm[k] : k, i = g % nl, j = g / nl;
    (*x)[2 * (k - lo)]     = lg->lo + i * lg->period / nl;
    (*x)[2 * (k - lo) + 1] = region == PINN_POINTS_INITIAL ? lg->t0 : (j == nt - 1 ? lg->t1 : lg->t0 + j * (lg->t1 - lg->t0) / (nt - 1));
  }
  PetscFunctionReturn(0);
}

/* Collocation on the grid: the PINN's sampler becomes a shell sampler drawing the grid (interior and
   initial points), with the point counts of the grid; with mini-batches the grid points are put in
   a fixed random order (Fisher-Yates from the counter-based generator, the same on every rank), so
   that each batch, a window of consecutive points, is a random subset of the grid */
static PetscErrorCode SetUpGrid(PINN pinn)
{
  PINN_Lagrangian *lg   = (PINN_Lagrangian *)pinn->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  const PetscInt   N    = lg->grid[0] * lg->grid[1];
  PINNSamplerType  type;
  PINNSampleType   q;
  PetscBool        plain;

  PetscFunctionBegin;
  PetscCall(PINNSamplerGetType(pinn->sampler, &type));
  PetscCall(PetscStrInList(type, PINNSAMPLERUNIFORM "," PINNSAMPLERSOBOL "," PINNSAMPLERHALTON, ',', &plain));
  PetscCheck(plain, comm, PETSC_ERR_ARG_INCOMP,
             "PINN type lagrangian with -pinn_lagrangian_grid %" PetscInt_FMT ",%" PetscInt_FMT
             " takes its points from the grid, so the sampler type %s "
             "(-pinn_sampler_type) cannot be used; give -pinn_lagrangian_grid 0 for sampled points",
             lg->grid[0], lg->grid[1], type);
  PetscCall(PINNSamplerGetSampleType(pinn->sampler, &q));
  PetscCall(PINNSamplerSetType(pinn->sampler, PINNSAMPLERSHELL));
  PetscCall(PINNSamplerSetSampleType(pinn->sampler, q));
  PetscCall(PINNSamplerShellSetDraw(pinn->sampler, PINN_POINTS_INTERIOR, GridDraw, lg, NULL));
  PetscCall(PINNSamplerShellSetDraw(pinn->sampler, PINN_POINTS_INITIAL, GridDraw, lg, NULL));
  pinn->points[PINN_POINTS_INTERIOR].N = N;
  pinn->points[PINN_POINTS_INITIAL].N  = lg->grid[0];
  PetscCall(PetscFree(lg->perm));
  if (pinn->batch_size > 0 && pinn->batch_size < N) {
    PetscReal *u;
    PetscCall(PetscMalloc1(N, &lg->perm));
    PetscCall(PetscMalloc1(N, &u));
    PetscCall(NNRandomUniformArray(0, LAGRANGIAN_GRID_STREAM, 0, N, u));
    for (PetscInt k = 0; k < N; k++) lg->perm[k] = k;
    for (PetscInt k = N - 1; k > 0; k--) {
      const PetscInt j = PetscMin(k, (PetscInt)(u[k] * (k + 1))), tmp = lg->perm[k];
      lg->perm[k] = lg->perm[j];
      lg->perm[j] = tmp;
    }
    PetscCall(PetscFree(u));
  }
  PetscFunctionReturn(0);
}

/* The released code's weight sharing (-pinn_lagrangian_share_weights): its layers input, hidden1,
   hidden2 and output make u = output(hidden2^(D-2)(hidden1(input))) and x = output(hidden1(input)),
   D = DEEPu = 5. Here "u" is an MLP with D hidden layers whose linear layers 3..D-1 are tied to its
   layer 2, and "x" an MLP with 2 hidden layers whose layers 0, 1 and 2 (output) are tied to u's 0, 1
   and D (output), the architecture of bench/lpinn_torch.py --share-weights. */
static PetscErrorCode ShareWeights(PINN pinn)
{
  PINN_Lagrangian *lg   = (PINN_Lagrangian *)pinn->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  NN               nu = pinn->nets[lg->iu].nn, nx = pinn->nets[lg->ix].nn;
  PetscBool        mlp[2];
  PetscInt         du = 0, dx = 0;
  const PetscInt  *wu = NULL, *wx = NULL;
  PetscBool        same = PETSC_TRUE;
  NNActivation     au, ax;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)nu, NNMLP, &mlp[0]));
  PetscCall(PetscObjectTypeCompare((PetscObject)nx, NNMLP, &mlp[1]));
  PetscCheck(mlp[0] && mlp[1], comm, PETSC_ERR_ARG_INCOMP,
             "-pinn_lagrangian_share_weights needs networks \"u\" and \"x\" of type mlp; they are %s and %s", ((PetscObject)nu)->type_name,
             ((PetscObject)nx)->type_name);
  PetscCall(NNMLPGetHiddenLayers(nu, &du, &wu));
  PetscCall(NNMLPGetHiddenLayers(nx, &dx, &wx));
  for (PetscInt l = 0; l < du; l++) same = (PetscBool)(same && wu[l] == wu[0]);
  for (PetscInt l = 0; l < dx; l++) same = (PetscBool)(same && wx[l] == wu[0]);
  PetscCheck(du >= 2 && dx == 2 && same, comm, PETSC_ERR_ARG_INCOMP,
             "-pinn_lagrangian_share_weights (the released code's shared layers) needs network \"x\" with 2 hidden layers and \"u\" with at "
             "least 2, all of one width (-pinn_x_nn_mlp_hidden_layers 50,50 -pinn_u_nn_mlp_hidden_layers 50,50,50,50,50); \"u\" has %" PetscInt_FMT
             " of widths %" PetscInt_FMT "..%" PetscInt_FMT ", \"x\" %" PetscInt_FMT " of widths %" PetscInt_FMT "..%" PetscInt_FMT " (%s)",
             du, du ? wu[0] : 0, du ? wu[du - 1] : 0, dx, dx ? wx[0] : 0, dx ? wx[dx - 1] : 0, same ? "depths differ" : "widths differ");
  PetscCall(NNMLPGetActivation(nu, &au));
  PetscCall(NNMLPGetActivation(nx, &ax));
  PetscCheck(au == ax, comm, PETSC_ERR_ARG_INCOMP,
             "-pinn_lagrangian_share_weights needs one activation in networks \"u\" (%s) and \"x\" (%s) (-pinn_u_nn_mlp_activation, "
             "-pinn_x_nn_mlp_activation)",
             NNActivations[au], NNActivations[ax]);
  PetscCall(NNSetUp(nu)); /* the layers' offsets */
  PetscCall(NNSetUp(nx));
  same = (PetscBool)(nu->embed.ne == nx->embed.ne);
  for (PetscInt c = 0; same && c < nu->embed.ne; c++)
    same =
        (PetscBool)(nu->embed.f[c] == nx->embed.f[c] && nu->embed.B[2 * c] == nx->embed.B[2 * c] && nu->embed.B[2 * c + 1] == nx->embed.B[2 * c + 1]);
  PetscCheck(same, comm, PETSC_ERR_ARG_INCOMP,
             "-pinn_lagrangian_share_weights needs one input embedding in networks \"u\" and \"x\" (their shared input layer sees it); they "
             "differ (-pinn_u_nn_fourier_features, -pinn_x_nn_fourier_features and the seeds)");
  {
    const PetscInt lx[3] = {0, 1, 2}, lu[3] = {0, 1, du};
    for (PetscInt k = 0; k < 3; k++) { /* x's layers 0, 1, 2 are u's 0, 1 and output */
      PetscInt ox, ou, ni, no;
      PetscCall(NNMLPGetLayerParameters(nx, lx[k], &ox, NULL, NULL));
      PetscCall(NNMLPGetLayerParameters(nu, lu[k], &ou, &ni, &no));
      PetscCall(PINNTieParameters_Private(pinn, lg->ix, ox, lg->iu, ou, no * (ni + 1)));
    }
    for (PetscInt l = 3; l < du; l++) { /* u's hidden layers 3..D-1 are its layer 2 */
      PetscInt ol, o2, ni, no;
      PetscCall(NNMLPGetLayerParameters(nu, l, &ol, NULL, NULL));
      PetscCall(NNMLPGetLayerParameters(nu, 2, &o2, &ni, &no));
      PetscCall(PINNTieParameters_Private(pinn, lg->iu, ol, lg->iu, o2, no * (ni + 1)));
    }
  }
  PetscFunctionReturn(0);
}

/* The geometry must be an interval x [t0, t1], periodic in X with the interval's length; the
   networks "u" and "x" (created unless given) must embed X with that period; then the terms. */
static PetscErrorCode PINNSetUpNetworks_Lagrangian(PINN pinn)
{
  PINN_Lagrangian *lg   = (PINN_Lagrangian *)pinn->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)pinn);
  PetscReal        lo[2], hi[2];

  PetscFunctionBegin;
  PetscCheck(pinn->spacetime && pinn->dim == 2, comm, PETSC_ERR_ARG_WRONG,
             "PINN type lagrangian needs a periodic 1-D space-time geometry, an interval [a, b) x [t0, t1] periodic in x with period b - a "
             "(PINNGeometryCreateSpaceTime() of a 1-D box); this one has %" PetscInt_FMT " inputs%s",
             pinn->dim, pinn->spacetime ? "" : " and is not space-time");
  PetscCall(PINNGeometryGetBoundingBox(pinn->geom, lo, hi));
  lg->lo     = lo[0];
  lg->period = hi[0] - lo[0];
  lg->t0     = lo[1];
  lg->t1     = hi[1];
  if (lg->grid[0]) PetscCall(SetUpGrid(pinn));
  PetscCheck(lg->u0.f, comm, PETSC_ERR_ARG_WRONGSTATE, "PINN type lagrangian has no initial condition u0: call PINNLagrangianSetInitialCondition()");
  PetscCheck(pinn->nterms == 0, comm, PETSC_ERR_ARG_WRONG,
             "PINN type lagrangian makes its own terms (rx, ru, x0, u0); the PINN has %" PetscInt_FMT " term(s) already (\"%s\")", pinn->nterms,
             pinn->terms[0].name);
  PetscCall(PINNGetNetworkIndex(pinn, "u", &lg->iu));
  if (lg->iu < 0) PetscCall(CreateNetwork(pinn, "u", 5, 0));
  PetscCall(PINNGetNetworkIndex(pinn, "x", &lg->ix));
  if (lg->ix < 0) {
    PetscCall(CreateNetwork(pinn, "x", 2, 1));
    lg->created_x = PETSC_TRUE;
  }
  PetscCall(PINNGetNetworkIndex(pinn, "u", &lg->iu));
  PetscCall(PINNGetNetworkIndex(pinn, "x", &lg->ix));
  PetscCheck(pinn->nnets == 2, comm, PETSC_ERR_ARG_WRONG, "PINN type lagrangian has two networks, \"u\" and \"x\"; %" PetscInt_FMT " were given",
             pinn->nnets);
  for (PetscInt k = 0; k < 2; k++) {
    NN        nn = pinn->nets[k].nn;
    PetscInt  nin, nout;
    PetscBool periodic = PETSC_FALSE;
    PetscCall(NNGetSizes(nn, &nin, &nout));
    PetscCheck(nin == 2 && nout == 1, comm, PETSC_ERR_ARG_SIZ,
               "PINN type lagrangian: network \"%s\" needs 2 inputs (X, t) and 1 output, it has %" PetscInt_FMT " and %" PetscInt_FMT,
               pinn->nets[k].name, nin, nout);
    for (PetscInt i = 0; i < nn->embed.nperiodic; i++) periodic = (PetscBool)(periodic || nn->embed.periodic[i] == 0);
    PetscCheck(
        periodic && PetscAbsReal(nn->embed.period - lg->period) <= 1e-12 * lg->period, comm, PETSC_ERR_ARG_WRONG,
        "PINN type lagrangian: network \"%s\" must be periodic in the label X with the geometry's period %g (NNSetPeriodicInputs(nn, 1, {0}, %g))",
        pinn->nets[k].name, (double)lg->period, (double)lg->period);
  }
  if (lg->share) PetscCall(ShareWeights(pinn));
  {
    const PetscInt     iu = lg->iu, ix = lg->ix;
    const PINNQuantity qx[3] = {{ix, 0, NN_JET_DERIVATIVE, 1, 0}, {iu, 0, NN_JET_VALUE, 0, 0}, {ix, 0, NN_JET_VALUE, 0, 0}};
    /* ru: u_xx's quantities, then u and N_x for a diffusion function f2(x, t, u) */
    const PINNQuantity qlabel[4] = {
        {iu, 0, NN_JET_DERIVATIVE, 1, 0}, {iu, 0, NN_JET_SECOND_DERIVATIVE, 0, 0}, {iu, 0, NN_JET_VALUE, 0, 0}, {ix, 0, NN_JET_VALUE, 0, 0}};
    const PINNQuantity qexact[7] = {
        {iu, 0, NN_JET_DERIVATIVE, 1, 0}, {iu, 0, NN_JET_DERIVATIVE, 0, 0},        {iu, 0, NN_JET_SECOND_DERIVATIVE, 0, 0},
        {ix, 0, NN_JET_DERIVATIVE, 0, 0}, {ix, 0, NN_JET_SECOND_DERIVATIVE, 0, 0}, {iu, 0, NN_JET_VALUE, 0, 0},
        {ix, 0, NN_JET_VALUE, 0, 0}};
    const PINNQuantity q0x[1] = {{ix, 0, NN_JET_VALUE, 0, 0}}, q0u[1] = {{iu, 0, NN_JET_VALUE, 0, 0}};
    const PetscBool    label = (PetscBool)(lg->uxx == PINN_LAGRANGIAN_UXX_LABEL);
    /* with label u_xx and a constant nu, ru = u_t - nu u_XX is one operator stream of u (NNSetJetsOperator()): 3 streams
       (value, u_X, ru) where u_t and u_XX apart take 4, a quarter less work on that network */
    const PetscBool    opstream = OperatorStream(lg);
    const PINNQuantity qop[1]   = {{iu, 0, NN_JET_LAPLACIAN, 0, 0}};
    const PetscInt     nqu      = lg->diffusion ? (label ? 4 : 7) : (lg->nu == 0 || opstream ? 1 : (label ? 2 : 5)); /* f2 = nu = 0: no u_xx */

    /* rx with f1 = c does not use u: each network then serves one term per group (PINNTermsSeparable_Private()) */
    const PetscInt nqx = lg->speed ? 3 : (lg->f1 == PINN_LAGRANGIAN_F1_C ? 1 : 2);

    PetscCall(PINNAddTerm(pinn, "rx", PINN_POINTS_INTERIOR, 0, NULL, nqx, qx, 1, ResidualX, lg, lg->gamma_x, NULL));
    if (opstream) {
      const PetscInt  lap[1] = {0};
      const PetscReal w[1] = {-lg->nu}, drift[2] = {0, 1}; /* inputs (X, t) */
      PetscCall(PINNSetNetworkOperator_Private(pinn, iu, 1, lap, w, drift));
    }
    PetscCall(
        PINNAddTerm(pinn, "ru", PINN_POINTS_INTERIOR, 0, NULL, nqu, opstream ? qop : (label ? qlabel : qexact), 1, ResidualU, lg, lg->gamma_u, NULL));
    PetscCall(PINNAddTerm(pinn, "x0", PINN_POINTS_INITIAL, 0, NULL, 1, q0x, 1, ResidualX0, lg, lg->gamma_ic, NULL));
    PetscCall(PINNAddTerm(pinn, "u0", PINN_POINTS_INITIAL, 0, NULL, 1, q0u, 1, ResidualU0, lg, lg->gamma_ic, NULL));
  }
  lg->pinn = pinn;
  PetscFunctionReturn(0);
}

/* The solution at Eulerian points (x, t): the label X with x(X,t) = x (mod period) by Newton's
   method on the displacement, from X = x, then u(X,t) */
static PetscErrorCode PINNEvaluate_Lagrangian(PINN pinn, PetscInt n, const PetscReal x[], PetscReal u[])
{
  PINN_Lagrangian *lg  = (PINN_Lagrangian *)pinn->data;
  const PetscReal  P   = lg->period;
  NN               nnx = pinn->nets[lg->ix].nn, nnu = pinn->nets[lg->iu].nn;
  PetscReal       *X, *y;
  PetscInt         sX;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(2 * n, &X, 2 * n, &y));
  PetscCall(PetscArraycpy(X, x, 2 * n));
  PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
  PetscCall(NNSetJetRequest(nnx, lg->jets_xX));
  PetscCall(NNGetJetIndex(nnx, NN_JET_DERIVATIVE, 0, 0, &sX));
  for (PetscInt it = 0; it < 50; it++) {
    PetscReal change = 0;
    PetscCall(NNForward(nnx, n, X, y));
    for (PetscInt p = 0; p < n; p++) {
      PetscReal res = X[2 * p] + y[p] - x[2 * p], J = 1 + y[sX * n + p], step;
      res -= P * PetscFloorReal(res / P + 0.5); /* nearest image */
      step = J > 0 ? res / J : 0;
      step = PetscMax(-P / 4, PetscMin(P / 4, step));
      X[2 * p] -= step;
      change = PetscMax(change, PetscAbsReal(step));
    }
    if (change < 1e-13 * PetscMax(1, P)) break;
  }
  for (PetscInt p = 0; p < n; p++) X[2 * p] = Wrap(X[2 * p], lg->lo, P);
  PetscCall(NNSetJetRequest(nnu, pinn->nets[lg->iu].jets_value));
  PetscCall(NNForward(nnu, n, X, u));
  PetscCall(PINNReturnParameters_Private(pinn));
  PetscCall(PetscFree2(X, y));
  PetscFunctionReturn(0);
}

/* The loss: the terms' weighted mean squares (mse), or sum_t gamma_t ||r_t||_2 (norm, the released
   code's), ||r_t||^2 = S_t the sum of squares over all points and ranks (all-reduced before the
   root, so the loss is the same for any rank count). Its gradient sum_t gamma_t / (2 sqrt(S_t)) dS_t
   is the terms' gradient with the weights gamma_t N_t / (2 sqrt(S_t)), known after a first pass;
   where each network serves one term per group (f1 = c, and f2 = 0 or the label u_xx), one pass
   keeps the terms' gradients dS_t apart and combines them after. */
static PetscErrorCode PINNObjectiveGradient_Lagrangian(PINN pinn, Vec theta, PetscReal *loss, Vec g)
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)pinn->data;
  PetscReal        gamma[4], S[4], f, total = 0; /* the type's four terms */
  PetscBool        apart = PETSC_FALSE;

  PetscFunctionBegin;
  if (lg->loss == PINN_LAGRANGIAN_LOSS_MSE) {
    PetscCall(TermsLoss(pinn, theta, loss, g));
    PetscFunctionReturn(0);
  }
  PetscCheck(pinn->nterms <= (PetscInt)PETSC_STATIC_ARRAY_LENGTH(S), PETSC_COMM_SELF, PETSC_ERR_PLIB, "Too many terms");
  if (g) PetscCall(PINNTermsSeparable_Private(pinn, &apart));
  if (apart && !lg->gterm) PetscCall(PetscMalloc1(pinn->nterms * pinn->Pnet, &lg->gterm));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    gamma[t]              = pinn->terms[t].weight;
    pinn->terms[t].weight = pinn->groups[pinn->terms[t].group].N; /* the term's loss is then S_t */
  }
  pinn->gterm = apart ? lg->gterm : NULL; /* one pass: each term's dS_t apart (a request for this call only) */
  PetscCall(TermsLoss(pinn, theta, &f, apart ? g : NULL));
  if (lg->crossed) { /* L-BFGS trial with crossing characteristics (CheckDeferred()) */
    for (PetscInt t = 0; t < pinn->nterms; t++) pinn->terms[t].weight = gamma[t];
    if (g) PetscCall(VecZeroEntries(g));
    *loss = PETSC_INFINITY;
    PetscFunctionReturn(0);
  }
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    S[t]                  = pinn->losses[t];
    pinn->terms[t].weight = S[t] > 0 ? gamma[t] * pinn->groups[pinn->terms[t].group].N / (2 * PetscSqrtReal(S[t])) : 0;
  }
  if (apart) { /* the gradient sum_t gamma_t / (2 sqrt(S_t)) dS_t */
    PetscCall(PetscArrayzero(pinn->glocal, pinn->Pnet));
    for (PetscInt t = 0; t < pinn->nterms; t++) {
      const PetscReal  wt = pinn->terms[t].weight / pinn->groups[pinn->terms[t].group].N;
      const PetscReal *gt = lg->gterm + t * pinn->Pnet;
      if (wt != 0)
        for (PetscInt i = 0; i < pinn->Pnet; i++) pinn->glocal[i] += wt * gt[i];
    }
    PetscCall(PINNReduceGradient_Private(pinn, g));
  } else if (g)
    PetscCall(TermsLoss(pinn, theta, &f, g)); /* a second pass with the weights */
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    pinn->terms[t].weight = gamma[t];
    pinn->losses[t] = pinn->terms[t].loss = gamma[t] * PetscSqrtReal(S[t]);
    total += pinn->losses[t];
  }
  *loss = total;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNSetUp_Lagrangian(PINN pinn)
{
  PINN_Lagrangian *lg    = (PINN_Lagrangian *)pinn->data;
  const PetscInt   d0    = 0;
  PetscBool        mlp   = PETSC_FALSE;
  PetscInt         nl    = 0;
  const PetscInt  *w     = NULL;
  NN               owner = pinn->nets[lg->ix].nn; /* holds the output layer of x */

  PetscFunctionBegin;
  PetscCall(NNAddJetRequest(pinn->nets[lg->ix].nn, 1, &d0, 0, NULL, 0, NULL, &lg->jets_xX));
  if (lg->created_x && lg->uxx != PINN_LAGRANGIAN_UXX_LABEL && (lg->nu > 0 || lg->diffusion))
    PetscCall(PetscObjectTypeCompare((PetscObject)pinn->nets[lg->ix].nn, NNMLP, &mlp));
  if (mlp) PetscCall(NNMLPGetHiddenLayers(pinn->nets[lg->ix].nn, &nl, &w));
  if (mlp && lg->share) owner = pinn->nets[lg->iu].nn; /* x's output layer is u's: scaled there */
  if (mlp && nl > 0) {
    /* The default network "x" must start with J = x_X = 1 + N_x,X > 0 where the exact u_xx is
       taken: a random output layer gives a displacement of order one whose X-derivative can reach
       -1 (J <= 0 at the first evaluation: an error). N_x,X is linear in the output layer's weights
       W (the bias does not enter it), so if J < 1/2 somewhere on the interior or initial points, W
       is scaled by 1/(2 max(-N_x,X)) < 1, which makes J >= 1/2 there and keeps the random
       initialization otherwise (with f2 = nu = 0 or the label u_xx, J is not used and nothing changes). */
    NN             nn      = pinn->nets[lg->ix].nn;
    const PetscInt sets[2] = {PINN_POINTS_INTERIOR, PINN_POINTS_INITIAL};
    PetscReal      m       = 0, *y;
    PetscInt       sX;
    Vec            v;
    PetscInt       P, lo, hi;
    PetscScalar   *a;

    PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
    PetscCall(NNSetJetRequest(nn, lg->jets_xX));
    PetscCall(NNGetJetIndex(nn, NN_JET_DERIVATIVE, 0, 0, &sX));
    for (PetscInt k = 0; k < 2; k++) {
      const PINNPoints *pts = &pinn->points[sets[k]];
      PetscCall(PetscMalloc1(2 * pts->n, &y));
      if (pts->n) PetscCall(NNForward(nn, pts->n, pts->x, y));
      for (PetscInt p = 0; p < pts->n; p++) m = PetscMax(m, -y[sX * pts->n + p]);
      PetscCall(PetscFree(y));
    }
    PetscCall(PINNReturnParameters_Private(pinn));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &m, 1, MPIU_REAL, MPIU_MAX, PetscObjectComm((PetscObject)pinn)));
    if (m > 0.5) {
      PetscCall(PetscInfo(pinn, "network x: min J = %g at the initial points, output weights scaled by %g\n", (double)(1 - m), (double)(0.5 / m)));
      PetscCall(NNGetParameters(owner, &v)); /* the output layer is the last: W (1 x w) then b */
      PetscCall(VecGetSize(v, &P));
      PetscCall(VecGetOwnershipRange(v, &lo, &hi));
      PetscCall(VecGetArray(v, &a));
      for (PetscInt i = PetscMax(lo, P - (w[nl - 1] + 1)); i < PetscMin(hi, P - 1); i++) a[i - lo] *= 0.5 / m;
      PetscCall(VecRestoreArray(v, &a));
      PetscCall(PINNSyncNetworks_Private(pinn, PETSC_FALSE));
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNView_Lagrangian(PINN pinn, PetscViewer viewer)
{
  PINN_Lagrangian *lg     = (PINN_Lagrangian *)pinn->data;
  char             f2[64] = "f2(x, t, u) by a function";

  PetscFunctionBegin;
  if (!lg->diffusion) PetscCall(PetscSNPrintf(f2, sizeof(f2), "nu = %g", (double)lg->nu));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "Lagrangian PINN: x_t = f1 = %s (c = %g), u_t = f2 u_xx (f2 = %s, u_xx %s), period %g\n",
      lg->speed ? "f1(x, t, u) by a function" : (lg->f1 == PINN_LAGRANGIAN_F1_C ? "c" : (lg->f1 == PINN_LAGRANGIAN_F1_U ? "u" : "c u (1 - u)")),
      (double)lg->c, f2,
      lg->uxx == PINN_LAGRANGIAN_UXX_EXACT ? "exact, through J = x_X"
                                           : (lg->uxx == PINN_LAGRANGIAN_UXX_SCALED ? "exact, residual times J^3" : "u_XX (label)"),
      (double)lg->period));
  if (lg->uxx == PINN_LAGRANGIAN_UXX_LABEL && lg->nu > 0 && !lg->diffusion)
    PetscCall(PetscViewerASCIIPrintf(viewer, "ru = u_t - nu u_XX as %s\n", OperatorStream(lg) ? "one jet stream of u" : "u_t and u_XX apart"));
  if (lg->grid[0])
    PetscCall(PetscViewerASCIIPrintf(viewer, "collocation: the grid of %" PetscInt_FMT " labels x %" PetscInt_FMT " times%s\n", lg->grid[0],
                                     lg->grid[1], lg->perm ? " (in a fixed random order, for the mini-batches)" : ""));
  PetscCall(PetscViewerASCIIPrintf(viewer, "weights: gamma_x %g, gamma_u %g, gamma_ic %g (%s)\n", (double)lg->gamma_x, (double)lg->gamma_u,
                                   (double)lg->gamma_ic, lg->loss == PINN_LAGRANGIAN_LOSS_MSE ? "mean squares" : "2-norms"));
  if (lg->share)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "shared weights (the released code's): x takes u's input, first hidden and output layers, u's hidden "
                                     "layers 3.. repeat its layer 2%s\n",
                                     pinn->setupcalled ? "" : " (from PINNSetUp())"));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNDestroy_Lagrangian(PINN pinn)
{
  PINN_Lagrangian *lg = (PINN_Lagrangian *)pinn->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(lg->u0.v));
  PetscCall(PetscFree(lg->sbuf));
  PetscCall(PetscFree(lg->gterm));
  PetscCall(PetscFree(lg->perm));
  PetscCall(PetscFree(pinn->data));
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNLagrangianGet(PINN pinn, PINN_Lagrangian **lg)
{
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)pinn, PINNLAGRANGIAN, &same));
  PetscCheck(same, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONG,
             "The PINN is of type %s, not lagrangian (PINNSetType(pinn, PINNLAGRANGIAN))",
             ((PetscObject)pinn)->type_name ? ((PetscObject)pinn)->type_name : "(none)");
  *lg = (PINN_Lagrangian *)pinn->data;
  PetscFunctionReturn(0);
}

/*@C
  PINNLagrangianSetInitialCondition - The initial condition u(X, 0) = u0(X) of a PINNLAGRANGIAN
  (required: set-up fails without it).

  Logically Collective

  Input Parameters:
+ pinn - the PINN, of type PINNLAGRANGIAN
. u0   - the initial condition, pointwise; it receives the points (X, 0)
- ctx  - its context

  Level: beginner

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetSpeed()`
@*/
PetscErrorCode PINNLagrangianSetInitialCondition(PINN pinn, PINNFieldFn u0, void *ctx)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the initial condition before PINNSetUp()");
  lg->u0.f   = u0;
  lg->u0.ctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetSpeed - The equation u_t + f1 u_x = nu u_xx of a PINNLAGRANGIAN: the
  characteristic speed f1 (-pinn_lagrangian_f1 c|u|logistic, -pinn_lagrangian_c) and the
  constant diffusion f2 = nu (-pinn_lagrangian_nu).

  Logically Collective

  Input Parameters:
+ pinn - the PINN, of type PINNLAGRANGIAN
. f1   - PINN_LAGRANGIAN_F1_C (f1 = c, convection), PINN_LAGRANGIAN_F1_U (f1 = u, Burgers) or
         PINN_LAGRANGIAN_F1_LOGISTIC (f1 = c u (1 - u))
. c    - the constant c
- nu   - the diffusion, nonnegative

  Notes:
  Any other f1(x, t, u): PINNLagrangianSetSpeedFunction(), which takes the place of f1 (nu stays).
  Any other f2(x, t, u): PINNLagrangianSetDiffusionFunction(), which takes the place of nu (then
  ignored).

  Level: beginner

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetUxx()`, `PINNLagrangianSetSpeedFunction()`, `PINNLagrangianSetDiffusionFunction()`
@*/
PetscErrorCode PINNLagrangianSetSpeed(PINN pinn, PINNLagrangianF1 f1, PetscReal c, PetscReal nu)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(nu >= 0 && !PetscIsInfOrNanReal(nu), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The diffusion nu must be finite and nonnegative, got %g", (double)nu);
  PetscCheck(!PetscIsInfOrNanReal(c), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The speed c must be finite, got %g", (double)c);
  lg->f1 = f1;
  lg->c  = c;
  lg->nu = nu;
  PetscFunctionReturn(0);
}

/*@C
  PINNLagrangianSetSpeedFunction - The characteristic speed f1(x, t, u) of a PINNLAGRANGIAN as a
  pointwise function, in place of the built-in c, u and c u (1 - u) of PINNLagrangianSetSpeed()
  (whose nu stays the diffusion, unless PINNLagrangianSetDiffusionFunction() gives f2); before
  PINNSetUp().

  Logically Collective

  Input Parameters:
+ pinn  - the PINN, of type PINNLAGRANGIAN
. speed - the function, or NULL for the built-in f1 again; at n points it receives xt[2p] = x, the
          Eulerian position x(X, t) wrapped into the period [a, b), xt[2p + 1] = t, and the states
          u[p] = u(X, t), and gives f[p] = f1, dfdx[p] = df1/dx and dfdu[p] = df1/du (the loss's
          gradient needs both derivatives: x and u are network outputs)
- ctx   - its context

  Notes:
  A NaN or Inf in f, dfdx or dfdu during the loss is one collective error (PETSC_ERR_FP) naming the
  iteration, the number of such points and the smallest label (X, t) among them with its x, u and
  f1; in the samplers' residual queries such a point gets the residual 0.

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetSpeed()`, `PINNLagrangianSetDiffusionFunction()`, `PINNAddTerm()`
@*/
PetscErrorCode PINNLagrangianSetSpeedFunction(PINN pinn, PINNLagrangianSpeedFn speed, void *ctx)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the speed function before PINNSetUp()");
  lg->speed    = speed;
  lg->speedctx = ctx;
  PetscFunctionReturn(0);
}

/*@C
  PINNLagrangianSetDiffusionFunction - The diffusion f2(x, t, u) >= 0 of a PINNLAGRANGIAN,
  u_t + f1 u_x = f2(x, t, u) u_xx, as a pointwise function in place of the constant nu of
  PINNLagrangianSetSpeed() and -pinn_lagrangian_nu (which are then ignored); before PINNSetUp().

  Logically Collective

  Input Parameters:
+ pinn      - the PINN, of type PINNLAGRANGIAN
. diffusion - the function, or NULL for the constant nu again; at n points it receives xt[2p] = x,
              the Eulerian position x(X, t) wrapped into the period [a, b), xt[2p + 1] = t, and the
              states u[p] = u(X, t), and gives f[p] = f2 (finite, nonnegative), dfdx[p] = df2/dx and
              dfdu[p] = df2/du (the loss's gradient needs both derivatives: x and u are network
              outputs)
- ctx       - its context

  Notes:
  The state residual is then ru = u_t - f2(x, t, u) u_xx, with u_xx of any mode of
  PINNLagrangianSetUxx() (scaled: J^3 u_t - f2 (u_XX J - u_X J_X)); term "ru" also takes u and N_x (x = X + N_x) as quantities, and u_xx is
  always computed, even with nu = 0 (with the exact u_xx the default network "x" then starts with
  J = x_X >= 1/2, as with nu > 0). A negative f2 or a NaN or Inf in f, dfdx or dfdu during the loss
  is one collective error (PETSC_ERR_FP) naming the iteration, the number of such points and the
  smallest label (X, t) among them with its x, u and f2; in the samplers' residual queries such a
  point gets the residual 0. The function has the signature of PINNLagrangianSetSpeedFunction()'s.

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetSpeed()`, `PINNLagrangianSetSpeedFunction()`, `PINNLagrangianSetUxx()`, `PINNAddTerm()`
@*/
PetscErrorCode PINNLagrangianSetDiffusionFunction(PINN pinn, PINNLagrangianDiffusionFn diffusion, void *ctx)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the diffusion function before PINNSetUp()");
  lg->diffusion    = diffusion;
  lg->diffusionctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetGrid - Collocation points of a PINNLAGRANGIAN on the tensor grid of labels and
  times, as the released LPINN code (-pinn_lagrangian_grid nl,nt, e.g. 256,100), in place of the
  sampled interior and initial points; before PINNSetUp().

  Logically Collective

  Input Parameters:
+ pinn - the PINN, of type PINNLAGRANGIAN
. nl   - number of labels X_i = a + i (b - a) / nl, i = 0..nl-1 (at least 2), or 0 for sampled points
- nt   - number of times t_j = t0 + j (t1 - t0) / (nt - 1), j = 0..nt-1 (at least 2)

  Notes:
  The interior points are the nl x nt grid (t-major), the initial points the nl labels at t0;
  -pinn_interior_points and -pinn_initial_points are then not used, and neither is a sampler type
  other than uniform, sobol or halton (an error). The released code's labels include the endpoint
  b, which the periodic embedding makes the same point as a; here it is left out. The points are
  sharded over the ranks in contiguous slices, so the loss is the same for any number of ranks.
  With mini-batches (-pinn_batch_size B) the grid points are put in one fixed random order (the
  counter-based generator, the same on every rank) and batch k is the window of points
  kB .. kB + B - 1 (mod nl nt) of that order: a random subset of the grid, the same for any
  number of ranks and after a restart.

  Sampled points stay the default: the full grid costs nl nt points per step (25600 for 256 x 100).

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNSetNumPoints()`, `PINNSetBatchSize()`
@*/
PetscErrorCode PINNLagrangianSetGrid(PINN pinn, PetscInt nl, PetscInt nt)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the grid before PINNSetUp()");
  PetscCheck(nl == 0 || (nl >= 2 && nt >= 2), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_lagrangian_grid needs at least 2 labels and 2 times (or 0 for sampled points), got %" PetscInt_FMT ",%" PetscInt_FMT, nl, nt);
  PetscCheck((PetscInt64)nl * nt <= PETSC_MAX_INT, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "-pinn_lagrangian_grid %" PetscInt_FMT ",%" PetscInt_FMT " has too many points for PetscInt", nl, nt);
  lg->grid[0] = nl;
  lg->grid[1] = nl ? nt : 0;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetLoss - The loss of a PINNLAGRANGIAN (-pinn_lagrangian_loss): mse, the weighted
  mean squares of the terms (default), or norm, sum_t gamma_t ||r_t||_2 over all points as the
  released LPINN code (non-squared, non-averaged; the sums of squares are all-reduced before the
  square root, so the loss is the same on any number of ranks). With norm a loss and gradient
  evaluation takes one pass over the points when each network serves one term (f1 = c, and f2 = 0
  or the label u_xx: the terms' gradients are kept apart and weighted once the norms are known),
  else two (the norms first).

  Logically Collective

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetWeights()`
@*/
PetscErrorCode PINNLagrangianSetLoss(PINN pinn, PINNLagrangianLoss loss)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  lg->loss = loss;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetShareWeights - Share weights between the networks of a PINNLAGRANGIAN as the
  released LPINN code does (-pinn_lagrangian_share_weights), instead of the paper's separate
  networks (the default); before PINNSetUp().

  Logically Collective

  Input Parameters:
+ pinn  - the PINN, of type PINNLAGRANGIAN
- share - PETSC_TRUE to share

  Notes:
  The released code has four linear layers, input, hidden1, hidden2 and output, and takes
  u = output(hidden2^(D-2)(hidden1(input))) (D = DEEPu = 5) and x = output(hidden1(input)), tanh
  between them (as bench/lpinn_torch.py --share-weights). Here network "u" keeps D hidden layers,
  its linear layers 3..D-1 tied to its layer 2, and network "x" its 2, its input, hidden and output
  layers tied to those of "u": the optimizer sees each shared weight once (PINNGetParameters(),
  5351 parameters for the default 50-wide networks instead of 13,252) and its gradient is the sum
  over the places it is used. Both networks must be of type mlp with one activation and one input
  embedding, "x" with 2 hidden layers and "u" with at least 2, all of one width; networks given by
  PINNSetNetwork() are shared too when they fit, else PINNSetUp() errors naming the options. (With
  D = 2, u = x up to the networks' roles and hidden2 does not exist; the released code allocates it
  unused.) With the exact u_xx and nu > 0, the scaling of x's initial output layer that keeps
  J = x_X >= 1/2 (see PINNLAGRANGIAN) scales u's output layer with it.

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNSetNetwork()`, `PINNGetParameters()`, `NNMLPGetLayerParameters()`
@*/
PetscErrorCode PINNLagrangianSetShareWeights(PINN pinn, PetscBool share)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE,
             "Set the weight sharing (-pinn_lagrangian_share_weights) before PINNSetUp()");
  lg->share = share;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetOperatorStream - Whether a PINNLAGRANGIAN with the label u_xx and a constant nu takes the
  state residual ru = u_t - nu u_XX as one jet stream of network "u" (-pinn_lagrangian_operator_stream,
  default on), or u_t and u_XX as two streams.

  Logically Collective

  Input Parameters:
+ pinn - the PINN, of type PINNLAGRANGIAN
- flg  - PETSC_TRUE for one stream

  Notes:
  The residual is a linear operator with constant coefficients of u, so its jet propagates through
  the network as one stream (NNSetJetsOperator()): network "u" then carries 3 streams (value, u_X
  for the second-order part, ru) instead of 4 (value, u_t, u_X, u_XX), about a quarter less work
  on it; the loss and its gradient are the same to round-off. With the exact or scaled u_xx, or a
  diffusion function, the residual is not such an operator and the setting has no effect.

  Level: advanced

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetUxx()`, `NNSetJetsOperator()`
@*/
PetscErrorCode PINNLagrangianSetOperatorStream(PINN pinn, PetscBool flg)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE,
             "Set the operator stream (-pinn_lagrangian_operator_stream) before PINNSetUp()");
  lg->opstream = flg;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetUxx - How a PINNLAGRANGIAN takes u_xx (-pinn_lagrangian_uxx): exact, by the
  chain rule through J = x_X, u_xx = (u_XX J - u_X J_X) / J^3 (J <= 0, crossing characteristics,
  is an error naming the label and the iteration), or label, u_XX (as the released LPINN code,
  exact only for x = X + c t), or scaled: the exact u_xx with the state residual multiplied by J^3,
  ru = J^3 u_t - f2 (u_XX J - u_X J_X), the same equation where J > 0 without the division (near a
  shock J is small and the exact residual's 1/J^3 makes the loss stiff). Like label, scaled is
  defined for any J: characteristics that cross for a while during training (J <= 0, which Adam's
  early steps at lr 1e-2 can produce) are not an error there; before PINNSetUp().

  Logically Collective

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianSetSpeed()`
@*/
PetscErrorCode PINNLagrangianSetUxx(PINN pinn, PINNLagrangianUxx mode)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the u_xx mode before PINNSetUp()");
  lg->uxx = mode;
  PetscFunctionReturn(0);
}

/*@
  PINNLagrangianSetWeights - Weights of the loss terms of a PINNLAGRANGIAN: gamma_x of the
  characteristic residual "rx", gamma_u of the state residual "ru" and gamma_ic of the initial
  conditions "x0" and "u0" (-pinn_lagrangian_gamma_x 10, -pinn_lagrangian_gamma_u 1,
  -pinn_lagrangian_gamma_ic 1000). Each term's loss is its weight times its mean square residual.

  Logically Collective

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNSetTermWeight()`
@*/
PetscErrorCode PINNLagrangianSetWeights(PINN pinn, PetscReal gamma_x, PetscReal gamma_u, PetscReal gamma_ic)
{
  PINN_Lagrangian *lg   = NULL;
  const PetscReal  g[3] = {gamma_x, gamma_u, gamma_ic};

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  for (PetscInt i = 0; i < 3; i++)
    PetscCheck(g[i] >= 0 && !PetscIsInfOrNanReal(g[i]), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
               "The weights of PINN type lagrangian (gamma_x, gamma_u, gamma_ic) must be finite and nonnegative, got %g %g %g", (double)gamma_x,
               (double)gamma_u, (double)gamma_ic);
  lg->gamma_x  = gamma_x;
  lg->gamma_u  = gamma_u;
  lg->gamma_ic = gamma_ic;
  if (pinn->setupcalled) {
    for (PetscInt t = 0; t < pinn->nterms; t++) {
      PetscBool isx, isu;
      PetscCall(PetscStrcmp(pinn->terms[t].name, "rx", &isx));
      PetscCall(PetscStrcmp(pinn->terms[t].name, "ru", &isu));
      PetscCall(PINNSetTermWeight(pinn, t, isx ? gamma_x : (isu ? gamma_u : gamma_ic)));
    }
  }
  PetscFunctionReturn(0);
}

typedef struct {
  PetscReal x, u;
} XU;

static int CompareXU(const void *a, const void *b)
{
  const PetscReal d = ((const XU *)a)->x - ((const XU *)b)->x;
  return d < 0 ? -1 : (d > 0 ? 1 : 0);
}

/*@
  PINNLagrangianEvaluateGrid - The solution of a PINNLAGRANGIAN on an Eulerian grid, as the
  released LPINN code evaluates it: for each time t_j, the characteristics x(X_i, t_j) of nl
  labels X_i = a + i (b - a) / nl are wrapped into the period [a, b) and u(X_i, t_j) is
  interpolated linearly (periodically) from them onto the points x_k.

  Not Collective, except right after the parameters changed (every rank must then call it, with
  nt = 0 where it has no time slices), as PINNEvaluate()

  Input Parameters:
+ pinn - the PINN, set up, of type PINNLAGRANGIAN
. nl   - number of labels (e.g. the grid's nx)
. nx   - number of grid points
. x    - the grid points, in [a, b)
. nt   - number of times (this rank's)
- t    - the times

  Output Parameter:
. u - u[j*nx + k] = u(x_k, t_j), time-major (the layout of ReferenceConvectionDiffusion1d())

  Level: intermediate

.seealso: `PINNLAGRANGIAN`, `PINNEvaluate()`
@*/
PetscErrorCode PINNLagrangianEvaluateGrid(PINN pinn, PetscInt nl, PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[], PetscReal u[])
{
  PINN_Lagrangian *lg = NULL;
  PetscReal       *X, *yx, *yu;
  XU              *s;

  PetscFunctionBegin;
  PetscCall(PINNLagrangianGet(pinn, &lg));
  PetscCheck(pinn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCheck(nl >= 2, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Need at least 2 labels, got %" PetscInt_FMT, nl);
  PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
  PetscCall(PetscMalloc4(2 * nl, &X, nl, &yx, nl, &yu, nl + 2, &s));
  for (PetscInt j = 0; j < nt; j++) {
    for (PetscInt i = 0; i < nl; i++) {
      X[2 * i]     = lg->lo + i * lg->period / nl;
      X[2 * i + 1] = t[j];
    }
    PetscCall(NNSetJetRequest(pinn->nets[lg->ix].nn, pinn->nets[lg->ix].jets_value));
    PetscCall(NNForward(pinn->nets[lg->ix].nn, nl, X, yx));
    PetscCall(NNSetJetRequest(pinn->nets[lg->iu].nn, pinn->nets[lg->iu].jets_value));
    PetscCall(NNForward(pinn->nets[lg->iu].nn, nl, X, yu));
    for (PetscInt i = 0; i < nl; i++) {
      s[i + 1].x = Wrap(X[2 * i] + yx[i], lg->lo, lg->period);
      s[i + 1].u = yu[i];
    }
    qsort(s + 1, nl, sizeof(XU), CompareXU);
    s[0].x      = s[nl].x - lg->period; /* periodic neighbours at both ends */
    s[0].u      = s[nl].u;
    s[nl + 1].x = s[1].x + lg->period;
    s[nl + 1].u = s[1].u;
    for (PetscInt k = 0; k < nx; k++) {
      const PetscReal xk = Wrap(x[k], lg->lo, lg->period);
      PetscInt        lo = 0, hi = nl + 1;
      while (hi - lo > 1) { /* s[lo].x <= xk < s[hi].x */
        const PetscInt mid = (lo + hi) / 2;
        if (s[mid].x <= xk)
          lo = mid;
        else
          hi = mid;
      }
      {
        const PetscReal h = s[hi].x - s[lo].x, w = h > 0 ? (xk - s[lo].x) / h : 0;
        u[j * nx + k] = (1 - w) * s[lo].u + w * s[hi].u;
      }
    }
  }
  PetscCall(PINNReturnParameters_Private(pinn));
  PetscCall(PetscFree4(X, yx, yu, s));
  PetscFunctionReturn(0);
}

/*MC
  PINNLAGRANGIAN - "lagrangian": the Lagrangian PINN (Mojgani, Balajewicz, Hassanzadeh, CMAME 404
  (2023) 115810) for 1-D periodic u_t + f1(x,t,u) u_x = f2(x,t,u) u_xx. The inputs are the label X
  (position at t = 0) and t; network "x" gives the characteristic x(X,t) and network "u" the
  solution on it (defaults: "u" 5 x 50 tanh, "x" 2 x 50 tanh, separate, both periodic in X;
  options under -pinn_u_nn_ and -pinn_x_nn_; or give them with PINNSetNetwork()). The loss has
  the terms rx = x_t - f1 (weight gamma_x), ru = u_t - f2 u_xx (gamma_u) on the interior points
  and x0 = x(X,0) - X, u0 = u(X,0) - u0(X) (gamma_ic) on the initial points, each the weighted mean
  square, so gradients, mini-batches and checkpoints are the term machinery's.

  Options Database Keys:
+ -pinn_lagrangian_f1 <c,u,logistic> - f1 = c, u or c u (1 - u) (or any f1(x, t, u): PINNLagrangianSetSpeedFunction())
. -pinn_lagrangian_c <c>             - the constant c
. -pinn_lagrangian_nu <nu>           - the diffusion f2 = nu (ignored with PINNLagrangianSetDiffusionFunction(), any f2(x, t, u) >= 0)
. -pinn_lagrangian_uxx <exact,label,scaled> - u_xx through J = x_X, or u_XX, or through J with ru times J^3
. -pinn_lagrangian_operator_stream <bool> - label u_xx, constant nu: u_t - nu u_XX as one jet stream (default), else apart
. -pinn_lagrangian_gamma_x, _gamma_u, _gamma_ic - the weights (10, 1, 1000)
. -pinn_lagrangian_loss <mse,norm>   - weighted mean squares, or weighted 2-norms (the released code's)
. -pinn_lagrangian_grid <nl,nt>      - collocation on the grid of nl labels x nt times (released code: 256,100), else sampled points
- -pinn_lagrangian_share_weights     - the released code's shared layers between "x" and "u" (PINNLagrangianSetShareWeights()), else separate networks

  Notes:
  The geometry must be a space-time interval [a, b) x [t0, t1]; it is periodic in x with period
  b - a. f1 is one of the built-in speeds or a pointwise function (PINNLagrangianSetSpeedFunction());
  f2 is the constant nu or, in the style of PINNAddTerm()'s pointwise residuals, a function
  f2(x, t, u) >= 0 with df2/dx and df2/du (PINNLagrangianSetDiffusionFunction(); nu is then
  ignored). With the exact u_xx and nu > 0 or a diffusion function, the default network "x" starts with J = x_X >= 1/2 on the
  collocation points: where its random initialization gives less, its output weights are scaled
  down (N_x,X is linear in them), so the first evaluation is defined.
  A NaN/Inf from the speed function, or a negative or NaN/Inf f2 from the diffusion function, met
  by the loss is one collective error (PETSC_ERR_FP) naming the iteration and the smallest label.
  With the exact u_xx, J <= 0 met by the loss (characteristics crossing) is one collective error
  (PETSC_ERR_FP) on the PINN's communicator naming the iteration, the number of such points and the
  smallest label (X, t) among them over all ranks, except at the trial points of L-BFGS's line
  search, where the loss is +Inf: TAO's default More-Thuente line search then gives up and L-BFGS
  ends at its last iterate, while -pinn_lbfgs_tao_ls_type armijo steps back and goes on (measured on
  the restart test's grid case: loss 22.45 after 40 Adam + 5 L-BFGS steps with More-Thuente, 7.36
  with armijo), so use armijo with the exact u_xx. The residual queries of the samplers take the
  residual 0 there. PINNEvaluate() and PINNComputeError() take Eulerian points (x, t): the label is found by
  Newton's method on x(X,t) = x. PINNLagrangianEvaluateGrid() evaluates on a grid as the released
  code does.

  Level: beginner

.seealso: `PINNSetType()`, `PINNLagrangianSetInitialCondition()`, `PINNLagrangianSetSpeed()`, `PINNLagrangianSetSpeedFunction()`,
`PINNLagrangianSetDiffusionFunction()`, `PINNLagrangianSetUxx()`, `PINNLagrangianSetWeights()`, `PINNLagrangianSetGrid()`,
`PINNLagrangianEvaluateGrid()`, `PINNLagrangianSetShareWeights()`, `PINNLagrangianSetOperatorStream()`
M*/
PetscErrorCode PINNCreate_Lagrangian(PINN pinn)
{
  PINN_Lagrangian *lg = NULL;

  PetscFunctionBegin;
  PetscCall(PetscNew(&lg));
  lg->f1       = PINN_LAGRANGIAN_F1_C;
  lg->c        = 1;
  lg->uxx      = PINN_LAGRANGIAN_UXX_EXACT;
  lg->gamma_x  = 10;
  lg->gamma_u  = 1;
  lg->gamma_ic = 1000;
  lg->opstream = PETSC_TRUE;
  lg->iu = lg->ix           = -1;
  pinn->data                = lg;
  pinn->ops->setfromoptions = PINNSetFromOptions_Lagrangian;
  pinn->ops->setupnetworks  = PINNSetUpNetworks_Lagrangian;
  pinn->ops->setup          = PINNSetUp_Lagrangian;
  pinn->ops->evaluate       = PINNEvaluate_Lagrangian;
  pinn->ops->computeerror   = PINNComputeTestSetError_Private;
  pinn->ops->view           = PINNView_Lagrangian;
  pinn->ops->destroy        = PINNDestroy_Lagrangian;
  PetscCall(PINNSetTermsLoss_Private(pinn));
  lg->termsloss                = pinn->ops->objectivegradient;
  lg->termsresiduals           = pinn->ops->residuals;
  pinn->ops->objectivegradient = PINNObjectiveGradient_Lagrangian;
  pinn->ops->residuals         = PINNResiduals_Lagrangian;
  PetscFunctionReturn(0);
}

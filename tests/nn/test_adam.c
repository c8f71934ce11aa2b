static const char help[] = "Tests the TAO type adam: convergence on a distributed quadratic, step-by-step agreement with a reference\n"
                           "Adam loop (plain, AMSGrad, step and exponential schedules), continuation across TaoSolve() calls and\n"
                           "through TaoAdamGetState()/TaoAdamSetStep(), and errors on NaN and on bad options.\n";

#include <nnpde/sys.h>
#include <nnpde/adam.h>

/* ---- (a) distributed quadratic f(x) = sum_i c_i (x_i - a_i)^2 */
typedef struct {
  Vec a, c, r;
} QuadCtx;

static PetscErrorCode QuadObjGrad(Tao tao, Vec x, PetscReal *f, Vec g, void *ptr)
{
  QuadCtx *q = (QuadCtx *)ptr;

  PetscFunctionBeginUser;
  (void)tao;
  PetscCall(VecWAXPY(q->r, -1.0, q->a, x));   /* r = x - a */
  PetscCall(VecPointwiseMult(g, q->c, q->r)); /* g = c r */
  PetscCall(VecDot(g, q->r, f));              /* f = r' c r */
  PetscCall(VecScale(g, 2.0));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestQuadratic(void)
{
  const PetscInt     N = 100, max_it = 3000;
  QuadCtx            q;
  Vec                x;
  Tao                tao;
  PetscInt           rstart, rend, its;
  PetscReal          err, f, gnorm, lr;
  TaoConvergedReason reason;

  PetscFunctionBeginUser;
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, N, &x));
  PetscCall(VecDuplicate(x, &q.a));
  PetscCall(VecDuplicate(x, &q.c));
  PetscCall(VecDuplicate(x, &q.r));
  PetscCall(VecGetOwnershipRange(x, &rstart, &rend));
  for (PetscInt i = rstart; i < rend; i++) {
    PetscCall(VecSetValue(q.a, i, PetscSinReal(0.1 * i + 1.0), INSERT_VALUES));
    PetscCall(VecSetValue(q.c, i, 1.0 + (i % 5), INSERT_VALUES));
  }
  PetscCall(VecAssemblyBegin(q.a));
  PetscCall(VecAssemblyEnd(q.a));
  PetscCall(VecAssemblyBegin(q.c));
  PetscCall(VecAssemblyEnd(q.c));
  PetscCall(VecZeroEntries(x));

  /* Configure through the options database with a prefix, as a user would */
  PetscCall(PetscOptionsSetValue(NULL, "-quad_tao_adam_lr", "0.05"));
  PetscCall(PetscOptionsSetValue(NULL, "-quad_tao_adam_schedule", "exponential"));
  PetscCall(PetscOptionsSetValue(NULL, "-quad_tao_adam_decay_rate", "0.1"));
  PetscCall(PetscOptionsSetValue(NULL, "-quad_tao_adam_decay_steps", "500"));
  PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
  PetscCall(TaoSetOptionsPrefix(tao, "quad_"));
  PetscCall(TaoSetType(tao, TAOADAM));
  PetscCall(TaoSetSolution(tao, x));
  PetscCall(TaoSetObjectiveAndGradient(tao, NULL, QuadObjGrad, &q));
  PetscCall(TaoSetMaximumIterations(tao, max_it));
  PetscCall(TaoSetFromOptions(tao));
  PetscCall(TaoSolve(tao));
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, &gnorm, NULL, NULL, &reason));
  PetscCall(TaoAdamGetCurrentLearningRate(tao, &lr));
  PetscCall(VecAXPY(x, -1.0, q.a));
  PetscCall(VecNorm(x, NORM_INFINITY, &err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(a) quadratic, N %" PetscInt_FMT ": %" PetscInt_FMT " steps, reason %s, |x - a|_inf %s 1e-8\n", N, its,
                        TaoConvergedReasons[reason], err < 1e-8 ? "<" : ">="));
  PetscCall(TaoView(tao, PETSC_VIEWER_STDOUT_WORLD));
  PetscCheck(its == max_it && reason == TAO_DIVERGED_MAXITS, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "Adam took %" PetscInt_FMT " steps (%s), expected %" PetscInt_FMT, its, TaoConvergedReasons[reason], max_it);
  PetscCheck(err < 1e-8, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Adam did not minimize the quadratic: |x - a|_inf = %g", (double)err);
  PetscCheck(PetscAbsReal(lr - 0.05 * PetscPowReal(0.1, max_it / 500.0)) <= 1e-12 * lr, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "Scheduled learning rate %g is wrong", (double)lr);
  PetscCall(TaoDestroy(&tao));
  PetscCall(PetscOptionsClearValue(NULL, "-quad_tao_adam_lr"));
  PetscCall(PetscOptionsClearValue(NULL, "-quad_tao_adam_schedule"));
  PetscCall(PetscOptionsClearValue(NULL, "-quad_tao_adam_decay_rate"));
  PetscCall(PetscOptionsClearValue(NULL, "-quad_tao_adam_decay_steps"));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&q.a));
  PetscCall(VecDestroy(&q.c));
  PetscCall(VecDestroy(&q.r));
  PetscFunctionReturn(0);
}

/* ---- (b)-(d) a 3-variable Rosenbrock-type function, evaluated redundantly on every rank */
static void Rosen3(const PetscReal x[3], PetscReal *f, PetscReal g[3])
{
  const PetscReal r0 = x[1] - x[0] * x[0], r1 = x[2] - x[1] * x[1];

  *f   = (1.0 - x[0]) * (1.0 - x[0]) + 5.0 * r0 * r0 + (1.0 - x[1]) * (1.0 - x[1]) + 5.0 * r1 * r1;
  g[0] = -2.0 * (1.0 - x[0]) - 20.0 * x[0] * r0;
  g[1] = 10.0 * r0 - 2.0 * (1.0 - x[1]) - 20.0 * x[1] * r1;
  g[2] = 10.0 * r1;
}

static const PetscReal X0[3] = {-0.8, 1.3, 0.4};

typedef struct {
  VecScatter toall;
  Vec        xall;
  PetscInt   calls;    /* objective evaluations so far */
  PetscInt   nan_at;   /* evaluation (0-based) that returns NaN, -1 for none */
  PetscBool  nan_grad; /* put the NaN into the gradient instead of the objective */
} RosenCtx;

static PetscErrorCode RosenObjGrad(Tao tao, Vec x, PetscReal *f, Vec G, void *ptr)
{
  RosenCtx          *ctx = (RosenCtx *)ptr;
  const PetscScalar *xa;
  PetscReal          xr[3], g[3];
  PetscInt           rstart, rend;

  PetscFunctionBeginUser;
  (void)tao;
  PetscCall(VecScatterBegin(ctx->toall, x, ctx->xall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(ctx->toall, x, ctx->xall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(ctx->xall, &xa));
  for (PetscInt i = 0; i < 3; i++) xr[i] = PetscRealPart(xa[i]);
  PetscCall(VecRestoreArrayRead(ctx->xall, &xa));
  Rosen3(xr, f, g);
  if (ctx->calls == ctx->nan_at) {
    if (ctx->nan_grad)
      g[1] = (PetscReal)NAN;
    else
      *f = (PetscReal)NAN;
  }
  ctx->calls++;
  PetscCall(VecGetOwnershipRange(G, &rstart, &rend));
  for (PetscInt i = rstart; i < rend; i++) PetscCall(VecSetValue(G, i, g[i], INSERT_VALUES));
  PetscCall(VecAssemblyBegin(G));
  PetscCall(VecAssemblyEnd(G));
  PetscFunctionReturn(0);
}

typedef struct {
  PetscReal       lr, b1, b2, eps;
  PetscBool       amsgrad;
  TaoAdamSchedule schedule;
  PetscReal       rate;
  PetscInt        steps;
} AdamParams;

/* Reference Adam in the arithmetic of torch.optim.Adam (single-tensor path): nsteps steps from x, objective history in fhist */
static void ReferenceAdam(const AdamParams *p, PetscInt nsteps, PetscReal x[3], PetscReal fhist[])
{
  PetscReal m[3] = {0, 0, 0}, v[3] = {0, 0, 0}, vmax[3] = {0, 0, 0};

  for (PetscInt k = 0; k < nsteps; k++) {
    PetscReal f, g[3], lr = p->lr, bc1, bc2, step_size;

    if (p->schedule == TAO_ADAM_SCHEDULE_STEP) lr = p->lr * PetscPowReal(p->rate, (PetscReal)(k / p->steps));
    if (p->schedule == TAO_ADAM_SCHEDULE_EXPONENTIAL) lr = p->lr * PetscPowReal(p->rate, (PetscReal)k / (PetscReal)p->steps);
    Rosen3(x, &f, g);
    fhist[k]  = f;
    bc1       = 1.0 - PetscPowReal(p->b1, (PetscReal)(k + 1));
    bc2       = 1.0 - PetscPowReal(p->b2, (PetscReal)(k + 1));
    step_size = lr / bc1;
    for (PetscInt i = 0; i < 3; i++) {
      PetscReal denom;

      m[i] = p->b1 * m[i] + (1.0 - p->b1) * g[i];
      v[i] = p->b2 * v[i] + (1.0 - p->b2) * g[i] * g[i];
      if (p->amsgrad) {
        vmax[i] = PetscMax(vmax[i], v[i]);
        denom   = PetscSqrtReal(vmax[i]) / PetscSqrtReal(bc2) + p->eps;
      } else
        denom = PetscSqrtReal(v[i]) / PetscSqrtReal(bc2) + p->eps;
      x[i] += -step_size * (m[i] / denom);
    }
  }
}

static PetscErrorCode RosenCreate(RosenCtx *ctx, Vec *x)
{
  PetscFunctionBeginUser;
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, 3, x));
  PetscCall(VecScatterCreateToAll(*x, &ctx->toall, &ctx->xall));
  ctx->calls    = 0;
  ctx->nan_at   = -1;
  ctx->nan_grad = PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode RosenDestroy(RosenCtx *ctx, Vec *x)
{
  PetscFunctionBeginUser;
  PetscCall(VecScatterDestroy(&ctx->toall));
  PetscCall(VecDestroy(&ctx->xall));
  PetscCall(VecDestroy(x));
  PetscFunctionReturn(0);
}

static PetscErrorCode SetX(Vec x, const PetscReal xr[3])
{
  PetscInt rstart, rend;

  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(x, &rstart, &rend));
  for (PetscInt i = rstart; i < rend; i++) PetscCall(VecSetValue(x, i, xr[i], INSERT_VALUES));
  PetscCall(VecAssemblyBegin(x));
  PetscCall(VecAssemblyEnd(x));
  PetscFunctionReturn(0);
}

/* Max relative difference between the distributed x and the replicated xr */
static PetscErrorCode DiffX(RosenCtx *ctx, Vec x, const PetscReal xr[3], PetscReal *diff)
{
  const PetscScalar *xa;

  PetscFunctionBeginUser;
  PetscCall(VecScatterBegin(ctx->toall, x, ctx->xall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(ctx->toall, x, ctx->xall, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(ctx->xall, &xa));
  *diff = 0.0;
  for (PetscInt i = 0; i < 3; i++) *diff = PetscMax(*diff, PetscAbsReal(PetscRealPart(xa[i]) - xr[i]) / PetscMax(1.0, PetscAbsReal(xr[i])));
  PetscCall(VecRestoreArrayRead(ctx->xall, &xa));
  PetscFunctionReturn(0);
}

static PetscErrorCode AdamCreate(RosenCtx *ctx, Vec x, const AdamParams *p, PetscInt max_it, Tao *tao)
{
  PetscFunctionBeginUser;
  PetscCall(TaoCreate(PETSC_COMM_WORLD, tao));
  PetscCall(TaoSetType(*tao, TAOADAM));
  PetscCall(TaoSetSolution(*tao, x));
  PetscCall(TaoSetObjectiveAndGradient(*tao, NULL, RosenObjGrad, ctx));
  PetscCall(TaoSetMaximumIterations(*tao, max_it));
  PetscCall(TaoAdamSetLearningRate(*tao, p->lr));
  PetscCall(TaoAdamSetBetas(*tao, p->b1, p->b2));
  PetscCall(TaoAdamSetEpsilon(*tao, p->eps));
  PetscCall(TaoAdamSetAMSGrad(*tao, p->amsgrad));
  PetscCall(TaoAdamSetSchedule(*tao, p->schedule, p->rate, p->steps));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestReference(void)
{
  const PetscInt   nsteps   = 60;
  const AdamParams cases[4] = {
      {0.05, 0.9, 0.999, 1e-8, PETSC_FALSE, TAO_ADAM_SCHEDULE_CONSTANT, 1.0, 1},
      {0.05, 0.9, 0.99, 1e-8, PETSC_TRUE, TAO_ADAM_SCHEDULE_CONSTANT, 1.0, 1},
      {0.05, 0.9, 0.99, 1e-8, PETSC_TRUE, TAO_ADAM_SCHEDULE_STEP, 0.5, 10},
      {0.08, 0.8, 0.995, 1e-6, PETSC_FALSE, TAO_ADAM_SCHEDULE_EXPONENTIAL, 0.3, 20},
  };
  const char *names[4] = {"adam", "amsgrad", "amsgrad+step", "exponential"};
  PetscReal   xfinal[4][3];
  RosenCtx    ctx;
  Vec         x;

  PetscFunctionBeginUser;
  PetscCall(RosenCreate(&ctx, &x));
  for (PetscInt c = 0; c < 4; c++) {
    PetscReal xr[3] = {X0[0], X0[1], X0[2]}, fref[60], *fhist, dx = 0.0, df = 0.0, f;
    PetscInt  nhist, its;
    Tao       tao;

    ReferenceAdam(&cases[c], nsteps, xr, fref);
    PetscCall(SetX(x, X0));
    PetscCall(AdamCreate(&ctx, x, &cases[c], nsteps, &tao));
    PetscCall(TaoSetConvergenceHistory(tao, NULL, NULL, NULL, NULL, nsteps + 1, PETSC_TRUE));
    PetscCall(TaoSolve(tao));
    PetscCall(TaoGetConvergenceHistory(tao, &fhist, NULL, NULL, NULL, &nhist));
    PetscCall(TaoGetSolutionStatus(tao, &its, &f, NULL, NULL, NULL, NULL));
    PetscCall(DiffX(&ctx, x, xr, &dx));
    PetscCheck(nhist == nsteps && its == nsteps, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
               "%s: %" PetscInt_FMT " history entries, %" PetscInt_FMT " iterations, expected %" PetscInt_FMT, names[c], nhist, its, nsteps);
    for (PetscInt k = 0; k < nsteps; k++) df = PetscMax(df, PetscAbsReal(fhist[k] - fref[k]) / PetscMax(1.0, PetscAbsReal(fref[k])));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "(b) %-12s %" PetscInt_FMT " steps: f %.6f -> %.6f, x differs from reference by %s 1e-14, f history by %s 1e-14\n",
                          names[c], nsteps, (double)fref[0], (double)fref[nsteps - 1], dx <= 1e-14 ? "<=" : ">", df <= 1e-14 ? "<=" : ">"));
    PetscCheck(dx <= 1e-14 && df <= 1e-14, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: Adam differs from the reference: x by %g, f by %g", names[c],
               (double)dx, (double)df);
    PetscCheck(f == fhist[nsteps - 1], PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: reported objective %g is not that of the last step %g", names[c],
               (double)f, (double)fhist[nsteps - 1]);
    PetscCheck(fref[nsteps - 1] < 0.5 * fref[0], PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s: objective did not decrease", names[c]);
    for (PetscInt i = 0; i < 3; i++) xfinal[c][i] = xr[i];
    PetscCall(TaoDestroy(&tao));
  }
  /* The cases must really exercise AMSGrad and the schedule */
  for (PetscInt c = 1; c < 3; c++) {
    PetscReal d = 0.0;
    for (PetscInt i = 0; i < 3; i++) d = PetscMax(d, PetscAbsReal(xfinal[c][i] - xfinal[c - 1][i]));
    PetscCheck(d > 1e-6, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Case %s does not differ from %s", names[c], names[c - 1]);
  }
  PetscCall(RosenDestroy(&ctx, &x));
  PetscFunctionReturn(0);
}

static PetscErrorCode CompareState(Tao a, Tao b, PetscReal *diff)
{
  Vec      ma, va, wa, mb, vb, wb;
  PetscInt sa, sb;

  PetscFunctionBeginUser;
  PetscCall(TaoAdamGetState(a, &ma, &va, &wa, &sa));
  PetscCall(TaoAdamGetState(b, &mb, &vb, &wb, &sb));
  PetscCheck(sa == sb, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Step counters differ: %" PetscInt_FMT " and %" PetscInt_FMT, sa, sb);
  PetscCheck((wa == NULL) == (wb == NULL), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "AMSGrad state present in only one");
  *diff = 0.0;
  {
    Vec       pa[3] = {ma, va, wa}, pb[3] = {mb, vb, wb}, d;
    PetscReal nd;

    PetscCall(VecDuplicate(ma, &d));
    for (PetscInt i = 0; i < 3; i++) {
      if (!pa[i]) continue;
      PetscCall(VecWAXPY(d, -1.0, pa[i], pb[i]));
      PetscCall(VecNorm(d, NORM_INFINITY, &nd));
      *diff = PetscMax(*diff, nd);
    }
    PetscCall(VecDestroy(&d));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode TestContinuation(void)
{
  const PetscInt   N = 25;
  const AdamParams p = {0.05, 0.9, 0.99, 1e-8, PETSC_TRUE, TAO_ADAM_SCHEDULE_EXPONENTIAL, 0.5, 10};
  RosenCtx         ctx;
  Vec              x1, x2, x3, xr, m, v, vmax, m3, v3, vmax3;
  Tao              split, once, restored;
  PetscReal        d12, d13, ds12, ds13;
  PetscInt         step, total, its;

  PetscFunctionBeginUser;
  PetscCall(RosenCreate(&ctx, &x1));
  PetscCall(VecDuplicate(x1, &x2));
  PetscCall(VecDuplicate(x1, &x3));
  PetscCall(VecDuplicate(x1, &xr));
  PetscCall(SetX(x1, X0));
  PetscCall(SetX(x2, X0));

  /* two solves of N steps */
  PetscCall(AdamCreate(&ctx, x1, &p, N, &split));
  PetscCall(TaoSolve(split));
  PetscCall(TaoGetIterationNumber(split, &its));
  PetscCheck(its == N, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "First solve took %" PetscInt_FMT " steps", its);
  /* checkpoint after the first solve: parameters and optimizer state */
  PetscCall(VecCopy(x1, xr));
  PetscCall(TaoAdamGetState(split, &m, &v, &vmax, &step));
  PetscCheck(step == N && vmax, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "State after %" PetscInt_FMT " steps: step %" PetscInt_FMT ", vmax %s", N, step,
             vmax ? "set" : "NULL");
  PetscCall(VecCopy(xr, x3));
  PetscCall(AdamCreate(&ctx, x3, &p, N, &restored));
  PetscCall(TaoAdamGetState(restored, &m3, &v3, &vmax3, NULL));
  PetscCall(VecCopy(m, m3));
  PetscCall(VecCopy(v, v3));
  PetscCall(VecCopy(vmax, vmax3));
  PetscCall(TaoAdamSetStep(restored, step));
  PetscCall(TaoSolve(split));
  PetscCall(TaoGetTotalIterationNumber(split, &total));
  PetscCheck(total == 2 * N, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Two solves took %" PetscInt_FMT " steps in total", total);

  /* one solve of 2N steps */
  PetscCall(AdamCreate(&ctx, x2, &p, 2 * N, &once));
  PetscCall(TaoSolve(once));

  /* the restored one finishes the run */
  PetscCall(TaoSolve(restored));

  PetscCall(VecAXPY(x3, -1.0, x2));
  PetscCall(VecNorm(x3, NORM_INFINITY, &d13));
  PetscCall(VecAXPY(x1, -1.0, x2));
  PetscCall(VecNorm(x1, NORM_INFINITY, &d12));
  PetscCall(CompareState(split, once, &ds12));
  PetscCall(CompareState(restored, once, &ds13));
  PetscCall(PetscPrintf(
      PETSC_COMM_WORLD, "(c) 2 x %" PetscInt_FMT " steps vs %" PetscInt_FMT ": x %s, state %s; restored from checkpoint: x %s, state %s\n", N, 2 * N,
      d12 <= 1e-15 ? "equal" : "DIFFER", ds12 <= 1e-15 ? "equal" : "DIFFER", d13 <= 1e-15 ? "equal" : "DIFFER", ds13 <= 1e-15 ? "equal" : "DIFFER"));
  PetscCheck(d12 <= 1e-15 && ds12 <= 1e-15, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Two solves differ from one: x by %g, state by %g", (double)d12,
             (double)ds12);
  PetscCheck(d13 <= 1e-15 && ds13 <= 1e-15, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Restored run differs: x by %g, state by %g", (double)d13,
             (double)ds13);
  PetscCall(TaoDestroy(&split));
  PetscCall(TaoDestroy(&once));
  PetscCall(TaoDestroy(&restored));
  PetscCall(VecDestroy(&x2));
  PetscCall(VecDestroy(&x3));
  PetscCall(VecDestroy(&xr));
  PetscCall(RosenDestroy(&ctx, &x1));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestNaN(void)
{
  const AdamParams p      = {0.05, 0.9, 0.999, 1e-8, PETSC_FALSE, TAO_ADAM_SCHEDULE_CONSTANT, 1.0, 1};
  const PetscInt   nan_at = 7;

  PetscFunctionBeginUser;
  for (PetscInt where = 0; where < 2; where++) {
    RosenCtx       ctx;
    Vec            x;
    Tao            tao;
    PetscErrorCode ierr;
    PetscInt       step;
    PetscReal      nrm;

    PetscCall(RosenCreate(&ctx, &x));
    PetscCall(SetX(x, X0));
    ctx.nan_at   = nan_at;
    ctx.nan_grad = (PetscBool)(where == 1);
    PetscCall(AdamCreate(&ctx, x, &p, 20, &tao));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = TaoSolve(tao);
    PetscCall(PetscPopErrorHandler());
    PetscCall(TaoAdamGetState(tao, NULL, NULL, NULL, &step));
    PetscCall(VecNorm(x, NORM_2, &nrm));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "(d) NaN in the %s at evaluation %" PetscInt_FMT ": error code %d, stopped after %" PetscInt_FMT " steps, x finite %s\n",
                          where ? "gradient" : "objective", nan_at, (int)ierr, step, PetscIsInfOrNanReal(nrm) ? "no" : "yes"));
    PetscCheck(ierr == PETSC_ERR_FP, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "NaN gave error code %d, expected PETSC_ERR_FP (%d)", (int)ierr, PETSC_ERR_FP);
    PetscCheck(step == nan_at && ctx.calls == nan_at + 1, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
               "Adam went on after the NaN: step %" PetscInt_FMT ", %" PetscInt_FMT " evaluations", step, ctx.calls);
    PetscCheck(!PetscIsInfOrNanReal(nrm), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "NaN reached the parameters");
    PetscCall(TaoDestroy(&tao));
    PetscCall(RosenDestroy(&ctx, &x));
  }
  PetscFunctionReturn(0);
}

/* Bad option values are errors; setters are no-ops and getters errors on other Tao types */
static PetscErrorCode TestOptions(void)
{
  const char *bad[][2] = {
      {"-bad_tao_adam_lr", "-1"},     {"-bad_tao_adam_beta1", "1.5"},       {"-bad_tao_adam_beta2", "1"},
      {"-bad_tao_adam_epsilon", "0"}, {"-bad_tao_adam_decay_rate", "1.01"}, {"-bad_tao_adam_decay_steps", "0"},
  };
  Tao            tao;
  PetscErrorCode ierr;
  PetscReal      lr;

  PetscFunctionBeginUser;
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
    PetscCall(TaoSetOptionsPrefix(tao, "bad_"));
    PetscCall(TaoSetType(tao, TAOADAM));
    PetscCall(PetscOptionsSetValue(NULL, bad[i][0], bad[i][1]));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = TaoSetFromOptions(tao);
    PetscCall(PetscPopErrorHandler());
    PetscCall(PetscOptionsClearValue(NULL, bad[i][0]));
    PetscCheck(ierr == PETSC_ERR_ARG_OUTOFRANGE, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s %s gave error code %d", bad[i][0], bad[i][1], (int)ierr);
    PetscCall(TaoDestroy(&tao));
  }
  PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
  PetscCall(TaoSetType(tao, TAOLMVM));
  PetscCall(TaoAdamSetLearningRate(tao, 0.1));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = TaoAdamGetLearningRate(tao, &lr);
  PetscCall(PetscPopErrorHandler());
  PetscCheck(ierr, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "TaoAdamGetLearningRate() on an lmvm Tao did not fail");
  PetscCall(TaoSetType(tao, TAOADAM));
  PetscCall(TaoAdamGetLearningRate(tao, &lr));
  PetscCheck(lr == 1e-3, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "Default learning rate %g", (double)lr);
  PetscCall(TaoDestroy(&tao));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(e) %d bad option values rejected; Adam setters ignored, getters refused on lmvm\n",
                        (int)(sizeof(bad) / sizeof(bad[0]))));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(NNPDEInitializePackage());
  PetscCall(TestQuadratic());
  PetscCall(TestReference());
  PetscCall(TestContinuation());
  PetscCall(TestNaN());
  PetscCall(TestOptions());
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "test_adam: all checks passed\n"));
  PetscCall(PetscFinalize());
  return 0;
}

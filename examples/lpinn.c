static const char help[] = "Lagrangian PINN (issue 11) on 1-D periodic problems on [0, 2 pi) x [0, 1], against a reference on the nx x nt\n"
                           "Eulerian grid, optionally side by side with the Eulerian PINN of the same budget:\n"
                           "  convection            u_t + c u_x = 0,        u0 = sin x      (exact Fourier reference)\n"
                           "  convection_diffusion  u_t + c u_x = nu u_xx,  u0 = sin x      (exact Fourier reference)\n"
                           "  burgers               u_t + u u_x = nu(x) u_xx, u0 = C + sin x, nu(x) = nu (1 + a cos x)\n"
                           "                        (CVODE reference, -ref_burgers_*)\n"
                           "Prints, per PINN, the relative L2 (Frobenius) error and the released LPINN code's metric (spectral norms,\n"
                           "2 points cut at each end); for burgers both against u_ref - C (so the trivial predictor u = C scores 1).\n"
                           "  -problem <convection|convection_diffusion|burgers> (default: the executable's name)\n"
                           "  -c <30; 50 for convection_diffusion> convection speed\n"
                           "  -nu <0; 0.01 for convection_diffusion and burgers> viscosity\n"
                           "  -nu_amplitude <0> burgers: a in nu(x) = nu (1 + a cos x), |a| < 1 (the LPINN's diffusion function,\n"
                           "                   PINNLagrangianSetDiffusionFunction(); the Eulerian PINN's residual u_t + u u_x - nu(x) u_xx)\n"
                           "  -C <50>          burgers: mean speed in u0 = C + sin x (PETSc options ignore case: -C is -c, read as C by burgers)\n"
                           "  -u_offset <true for burgers, else false> the LPINN's network u gives u - C (u = C + N_u); false: the released\n"
                           "                   code's plain network (which at C = 50 mostly learns the constant)\n"
                           "  -nx <256>, -nt <100> the evaluation grid (x_i = 2 pi i / nx, t_j = j / (nt - 1)); nx labels\n"
                           "  -eulerian        also train the Eulerian PINN (periodic embedding, soft initial condition) with the same -pinn_*\n"
                           "                   options (the same budget); its files are those of -pinn_checkpoint, -pinn_restart and\n"
                           "                   -pinn_monitor_history with _eulerian before the extension (ck.h5: ck_eulerian.h5)\n"
                           "  -output <file.h5> write u, the reference, the error and the characteristics (PINNLagrangianWriteGrid(),\n"
                           "                   plus file.xmf; draw them with tools/plot_lpinn.py)\n"
                           "  -expect_error e  fail (exit 1) when the Lagrangian relative L2 error exceeds e (0: no check)\n"
                           "The PINNs take the -pinn_* options (and -eulerian_* for the Eulerian network), e.g. -pinn_lagrangian_uxx label,\n"
                           "or -pinn_lagrangian_share_weights for the released code's layers shared between the networks x and u. The\n"
                           "problem is -problem, -c, -nu (the reference solves it): -pinn_lagrangian_f1, _c, _nu and -pinn_type are errors.\n";

#include <nnpde.h>
#include <string.h>

#ifndef LPINN_PROBLEM
#define LPINN_PROBLEM "convection"
#endif

typedef enum { CONVECTION, CONVECTION_DIFFUSION, BURGERS } Problem;
static const char *const Problems[] = {"convection", "convection_diffusion", "burgers", "Problem", "", NULL};

typedef struct {
  Problem   problem;
  PetscReal c, nu, C; /* C: the mean of u0 (burgers), else 0 */
  PetscReal a;        /* burgers: nu(x) = nu (1 + a cos x) */
  PetscBool offset;   /* network u of the LPINN gives u - C */
} Ctx;

/* u = C + N_u (-u_offset): g = C, phi = 1, all their derivatives 0 */
static PetscErrorCode OffsetTransform(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[],
                                      PetscReal phi[])
{
  const Ctx     *p = (const Ctx *)ctx;
  const PetscInt J = 1 + d + d * d + (order == 3 ? d * d * d : 0);
  (void)x;
  for (PetscInt i = 0; i < n * m; i++)
    for (PetscInt k = 0; k < J; k++) g[i * J + k] = k ? 0 : p->C, phi[i * J + k] = k ? 0 : 1;
  return 0;
}

/* The LPINN's default network u (5 x 50 tanh, periodic in X, options -pinn_u_*) with the offset C */
static PetscErrorCode SetOffsetNetwork(PINN pinn, Ctx *p)
{
  const PetscInt widths[5] = {50, 50, 50, 50, 50}, periodic = 0;
  NN             nn;

  PetscFunctionBegin;
  PetscCall(NNCreate(PetscObjectComm((PetscObject)pinn), &nn));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, "pinn_u_"));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNMLPSetHiddenLayers(nn, 5, widths));
  PetscCall(NNMLPSetActivation(nn, NN_ACTIVATION_TANH));
  PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
  PetscCall(NNSetOutputTransform(nn, OffsetTransform, p));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(PINNSetNetwork(pinn, "u", nn));
  PetscCall(NNDestroy(&nn));
  PetscFunctionReturn(0);
}

static PetscErrorCode InitialCondition(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  const Ctx *p = (const Ctx *)ctx;
  (void)nc;
  for (PetscInt i = 0; i < n; i++) v[i] = p->C + PetscSinReal(x[i * dim]);
  return 0;
}

static PetscErrorCode ReferenceInitial(void *ctx, PetscInt n, const PetscReal x[], PetscReal u0[])
{
  const Ctx *p = (const Ctx *)ctx;
  for (PetscInt i = 0; i < n; i++) u0[i] = p->C + PetscSinReal(x[i]);
  return 0;
}

/* convection(-diffusion): u = exp(-nu t) sin(x - c t) */
static PetscErrorCode ExactSolution(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], PetscInt nc, PetscReal v[])
{
  const Ctx *p = (const Ctx *)ctx;
  (void)nc;
  for (PetscInt i = 0; i < n; i++) v[i] = PetscExpReal(-p->nu * x[i * dim + 1]) * PetscSinReal(x[i * dim] - p->c * x[i * dim + 1]);
  return 0;
}

/* burgers: nu(x) = nu (1 + a cos x), for the LPINN, the Eulerian PINN and the reference */
static PetscReal Viscosity(const Ctx *p, PetscReal x)
{
  return p->nu * (1 + p->a * PetscCosReal(x));
}

/* burgers, the LPINN's f2(x, t, u) = nu(x) at the Eulerian position x = xt[2p] */
static PetscErrorCode Diffusion(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal dfdx[], PetscReal dfdu[])
{
  const Ctx *p = (const Ctx *)ctx;
  (void)u;
  for (PetscInt i = 0; i < n; i++) {
    f[i]    = Viscosity(p, xt[2 * i]);
    dfdx[i] = -p->nu * p->a * PetscSinReal(xt[2 * i]);
    dfdu[i] = 0;
  }
  return 0;
}

/* the same nu(x) for the reference */
static PetscErrorCode ReferenceViscosity(void *ctx, PetscInt n, const PetscReal x[], PetscReal nu[])
{
  const Ctx *p = (const Ctx *)ctx;
  for (PetscInt i = 0; i < n; i++) nu[i] = Viscosity(p, x[i]);
  return 0;
}

/* the Eulerian PINN's Burgers residual with nu(x): u_t + u u_x - nu(x) u_xx; quantities (u, u_t, u_x, u_xx) */
static PetscErrorCode BurgersResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                      const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  const Ctx *p = (const Ctx *)ctx;
  (void)normal, (void)nr;
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal *q = &u[i * nq], nu = Viscosity(p, x[i * dim]);
    PetscReal       *d = &dr[i * nq];
    r[i]               = q[1] + q[0] * q[2] - nu * q[3];
    d[0] = q[2], d[1] = 1, d[2] = q[0], d[3] = -nu;
  }
  return 0;
}

static PetscErrorCode CreatePINN(MPI_Comm comm, PINNType type, Ctx *p, PINN *pinn)
{
  const PetscReal lo = 0, hi = 2 * PETSC_PI;
  PINNGeometry    line, st;
  PetscBool       lagrangian;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(type, PINNLAGRANGIAN, &lagrangian));
  PetscCall(PINNGeometryCreateBox(comm, 1, &lo, &hi, &line));
  PetscCall(PINNGeometryCreateSpaceTime(line, 0, 1, &st));
  PetscCall(PINNCreate(comm, pinn));
  PetscCall(PINNSetGeometry(*pinn, st));
  PetscCall(PINNSetType(*pinn, type));
  PetscCall(PINNSetNumPoints(*pinn, 2560, 0, 256));
  PetscCall(PINNSetSteps(*pinn, 2000, 0));
  if (p->problem != BURGERS) PetscCall(PINNSetExactSolution(*pinn, ExactSolution, p));
  if (lagrangian) {
    PetscCall(PINNLagrangianSetInitialCondition(*pinn, InitialCondition, p));
    if (p->offset) PetscCall(SetOffsetNetwork(*pinn, p));
    if (p->problem == BURGERS) {
      PetscCall(PINNLagrangianSetSpeed(*pinn, PINN_LAGRANGIAN_F1_U, 0, p->nu));
      if (p->a != 0) PetscCall(PINNLagrangianSetDiffusionFunction(*pinn, Diffusion, p));
    } else
      PetscCall(PINNLagrangianSetSpeed(*pinn, PINN_LAGRANGIAN_F1_C, p->c, p->nu));
  } else {
    const PetscInt widths[4] = {50, 50, 50, 50}, periodic = 0;
    NN             nn;
    PetscCall(NNCreate(comm, &nn));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, "eulerian_"));
    PetscCall(NNSetSizes(nn, 2, 1));
    PetscCall(NNMLPSetHiddenLayers(nn, 4, widths));
    PetscCall(NNSetPeriodicInputs(nn, 1, &periodic, 2 * PETSC_PI));
    PetscCall(NNSetFromOptions(nn));
    PetscCall(PINNSetNetwork(*pinn, "u", nn));
    PetscCall(NNDestroy(&nn));
    if (p->problem == BURGERS && p->a != 0) { /* PINNAddBurgers() with nu(x) */
      const PINNQuantity q[4] = {
          {0, 0, NN_JET_VALUE, 0, 0}, {0, 0, NN_JET_DERIVATIVE, 1, 0}, {0, 0, NN_JET_DERIVATIVE, 0, 0}, {0, 0, NN_JET_SECOND_DERIVATIVE, 0, 0}};
      PetscCall(PINNAddTerm(*pinn, "pde", PINN_POINTS_INTERIOR, 0, NULL, 4, q, 1, BurgersResidual, p, 1, NULL));
    } else if (p->problem == BURGERS)
      PetscCall(PINNAddBurgers(*pinn, p->nu, 1));
    else
      PetscCall(PINNAddConvectionDiffusion(*pinn, &p->c, p->nu, NULL, NULL, 1));
    PetscCall(PINNAddInitial(*pinn, "ic", 0, InitialCondition, p, 1000));
  }
  PetscCall(PINNGeometryDestroy(&line));
  PetscCall(PINNGeometryDestroy(&st));
  PetscCall(PINNSetFromOptions(*pinn));
  {
    PetscBool same;
    PetscCall(PetscObjectTypeCompare((PetscObject)*pinn, type, &same));
    PetscCheck(same, comm, PETSC_ERR_ARG_WRONG,
               "-pinn_type does not apply: this example trains the lagrangian type (and with -eulerian the eulerian "
               "one after it)");
  }
  PetscFunctionReturn(0);
}

/* The options that would train another problem than the one the reference solves */
static PetscErrorCode CheckProblemOptions(MPI_Comm comm)
{
  const char *own[3] = {"-pinn_lagrangian_f1", "-pinn_lagrangian_c", "-pinn_lagrangian_nu"};

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 3; k++) {
    PetscBool set;
    PetscCall(PetscOptionsHasName(NULL, NULL, own[k], &set));
    PetscCheck(!set, comm, PETSC_ERR_ARG_WRONG,
               "%s does not apply: the example sets the problem from -problem, -c and -nu, which its reference solves too", own[k]);
  }
  PetscFunctionReturn(0);
}

/* The Eulerian PINN's name of a training file: _eulerian before the extension (ck.h5: ck_eulerian.h5) */
static PetscErrorCode EulerianFile(const char file[], char eul[], size_t size)
{
  char  base[PETSC_MAX_PATH_LEN];
  char *dot, *slash;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(base, file, sizeof(base)));
  dot   = strrchr(base, '.');
  slash = strrchr(base, '/');
  if (dot && (!slash || dot > slash)) {
    *dot = 0;
    PetscCall(PetscSNPrintf(eul, size, "%s_eulerian.%s", base, dot + 1));
  } else
    PetscCall(PetscSNPrintf(eul, size, "%s_eulerian", base));
  PetscFunctionReturn(0);
}

static const char *const TrainingFileOptions[3] = {"-pinn_checkpoint", "-pinn_restart", "-pinn_monitor_history"};

/* -eulerian: the Eulerian PINN reads the same -pinn_* options (the same budget), but its checkpoint, restart and history
   files are file_eulerian.ext, so that it neither overwrites the Lagrangian PINN's files nor restarts from them */
static PetscErrorCode UseEulerianFiles(void)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < 3; k++) {
    char      file[PETSC_MAX_PATH_LEN], eul[PETSC_MAX_PATH_LEN + 16];
    PetscBool set;

    PetscCall(PetscOptionsGetString(NULL, NULL, TrainingFileOptions[k], file, sizeof(file), &set));
    if (!set || !file[0]) continue;
    PetscCall(EulerianFile(file, eul, sizeof(eul)));
    PetscCall(PetscOptionsSetValue(NULL, TrainingFileOptions[k], eul));
  }
  PetscFunctionReturn(0);
}

/* -eulerian: none of the Eulerian PINN's training files (file_eulerian.ext) may be one of the Lagrangian PINN's, which one
   of the two runs would overwrite (e.g. -pinn_checkpoint ck.h5 -pinn_monitor_history ck_eulerian.h5) */
static PetscErrorCode CheckEulerianFiles(MPI_Comm comm)
{
  char      file[3][PETSC_MAX_PATH_LEN];
  PetscBool set[3];

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 3; k++) {
    PetscCall(PetscOptionsGetString(NULL, NULL, TrainingFileOptions[k], file[k], sizeof(file[k]), &set[k]));
    set[k] = (PetscBool)(set[k] && file[k][0]);
  }
  for (PetscInt j = 0; j < 3; j++) {
    char eul[PETSC_MAX_PATH_LEN + 16];

    if (!set[j]) continue;
    PetscCall(EulerianFile(file[j], eul, sizeof(eul)));
    for (PetscInt k = 0; k < 3; k++) {
      PetscBool same;

      if (!set[k]) continue;
      PetscCall(NNFileSame(comm, file[k], eul, &same));
      PetscCheck(!same, comm, PETSC_ERR_ARG_WRONG, "%s %s is also the Eulerian PINN's %s (%s of -eulerian): give another file",
                 TrainingFileOptions[k], file[k], eul, TrainingFileOptions[j]);
    }
  }
  PetscFunctionReturn(0);
}

/* -output, before anything is computed: it and its XDMF companion (file.xmf, the .h5 replaced) writable, and neither one
   of the training files, the Lagrangian PINN's or (with -eulerian) the Eulerian PINN's, which would overwrite them or be
   overwritten (the Lagrangian files once more: PINNCheckOutputFile() in Run(), when the PINN knows its files) */
static PetscErrorCode CheckOutput(MPI_Comm comm, const char output[], PetscBool eulerian)
{
  char        xmf[PETSC_MAX_PATH_LEN + 8];
  const char *names[2] = {output, xmf};
  size_t      len;

  PetscFunctionBegin;
  PetscCall(NNFileCheckWritable(comm, output, "-output"));
  PetscCall(PetscStrncpy(xmf, output, sizeof(xmf)));
  PetscCall(PetscStrlen(xmf, &len));
  if (len > 3 && !strcmp(xmf + len - 3, ".h5")) xmf[len - 3] = 0;
  PetscCall(PetscStrlcat(xmf, ".xmf", sizeof(xmf)));
  PetscCall(NNFileCheckWritable(comm, xmf, "the XDMF companion of -output"));
  for (PetscInt k = 0; k < 3; k++) {
    char      file[PETSC_MAX_PATH_LEN], eul[PETSC_MAX_PATH_LEN + 16];
    PetscBool set, same;

    PetscCall(PetscOptionsGetString(NULL, NULL, TrainingFileOptions[k], file, sizeof(file), &set));
    if (!set || !file[0]) continue;
    if (eulerian) PetscCall(EulerianFile(file, eul, sizeof(eul)));
    for (PetscInt f = 0; f < 2; f++) {
      PetscCall(NNFileSame(comm, names[f], file, &same));
      PetscCheck(!same, comm, PETSC_ERR_ARG_WRONG, "-output %s%s%s is also %s %s: writing the solution would overwrite it; give another file", output,
                 f ? ": its XDMF companion " : "", f ? xmf : "", TrainingFileOptions[k], file);
      if (!eulerian) continue;
      PetscCall(NNFileSame(comm, names[f], eul, &same));
      PetscCheck(!same, comm, PETSC_ERR_ARG_WRONG, "-output %s%s%s is also the Eulerian PINN's %s (%s of -eulerian): give another file", output,
                 f ? ": its XDMF companion " : "", f ? xmf : "", eul, TrainingFileOptions[k]);
    }
  }
  PetscFunctionReturn(0);
}

/* The Eulerian PINN on the grid, into u (the reference's layout) */
static PetscErrorCode EvaluateEulerian(PINN pinn, const PetscReal x[], const PetscReal t[], Vec u)
{
  PetscInt     nx, lo, hi;
  PetscReal   *xt, *w;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(VecGetBlockSize(u, &nx));
  PetscCall(VecGetOwnershipRange(u, &lo, &hi));
  PetscCall(PetscMalloc2(2 * (hi - lo), &xt, hi - lo, &w));
  for (PetscInt p = lo; p < hi; p++) xt[2 * (p - lo)] = x[p % nx], xt[2 * (p - lo) + 1] = t[p / nx];
  PetscCall(PINNEvaluate(pinn, hi - lo, xt, w));
  PetscCall(VecGetArrayWrite(u, &a));
  for (PetscInt p = 0; p < hi - lo; p++) a[p] = w[p];
  PetscCall(VecRestoreArrayWrite(u, &a));
  PetscCall(PetscFree2(xt, w));
  PetscFunctionReturn(0);
}

/* Trains one PINN, evaluates it on the grid and prints its errors */
static PetscErrorCode Run(MPI_Comm comm, PINNType type, Ctx *p, PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[], Vec ref,
                          const char output[], PetscReal *rel)
{
  PINN           pinn;
  Vec            u;
  PetscReal      legacy;
  PetscLogDouble t0, t1;
  PetscBool      lagrangian;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(type, PINNLAGRANGIAN, &lagrangian));
  PetscCall(CreatePINN(comm, type, p, &pinn));
  if (output[0]) PetscCall(PINNCheckOutputFile(pinn, output, "-output")); /* before training */
  PetscCall(PetscTime(&t0));
  PetscCall(PINNTrain(pinn));
  PetscCall(PetscTime(&t1));
  PetscCall(VecDuplicate(ref, &u));
  if (lagrangian)
    PetscCall(PINNLagrangianEvaluateVec(pinn, nx, x, t, u));
  else
    PetscCall(EvaluateEulerian(pinn, x, t, u));
  PetscCall(PINNLagrangianGridError(u, ref, p->C, rel, &legacy));
  PetscCall(PetscPrintf(comm,
                        "%-10s  %s, relative L2 error on the %" PetscInt_FMT " x %" PetscInt_FMT " grid %.4e, legacy metric %.4e (training %.1f s)\n",
                        lagrangian ? "lagrangian:" : "eulerian:", Problems[p->problem], nx, nt, (double)*rel, (double)legacy, t1 - t0));
  if (lagrangian && output[0]) {
    PetscCall(PINNLagrangianWriteGrid(pinn, output, nx, nx, x, nt, t, ref));
    PetscCall(PetscPrintf(comm, "wrote %s\n", output));
  }
  PetscCall(VecDestroy(&u));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  Ctx       p;
  PetscReal expect = 0, errl, erre, *t, *x;
  PetscInt  nx = 256, nt = 100;
  PetscBool eulerian                   = PETSC_FALSE;
  char      output[PETSC_MAX_PATH_LEN] = "";
  Vec       ref;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  {
    PetscInt k;
    PetscCall(PetscEListFind(3, Problems, LPINN_PROBLEM, &k, NULL));
    p.problem = (Problem)k;
  }
  PetscCall(PetscOptionsGetEnum(NULL, NULL, "-problem", Problems, (PetscEnum *)&p.problem, NULL));
  p.c  = p.problem == CONVECTION_DIFFUSION ? 50 : 30;
  p.nu = p.problem == CONVECTION ? 0 : 0.01;
  p.C  = 50;
  /* PETSc's option names ignore case: -C and -c are one key, read as C by burgers and as c by the others */
  if (p.problem == BURGERS)
    PetscCall(PetscOptionsGetReal(NULL, NULL, "-C", &p.C, NULL));
  else {
    PetscCall(PetscOptionsGetReal(NULL, NULL, "-c", &p.c, NULL));
    p.C = 0;
  }
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-nu", &p.nu, NULL));
  p.a = 0;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-nu_amplitude", &p.a, NULL));
  p.offset = p.problem == BURGERS ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-u_offset", &p.offset, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nx", &nx, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-nt", &nt, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-eulerian", &eulerian, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-output", output, sizeof(output), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-expect_error", &expect, NULL));
  PetscCheck(expect >= 0 && !PetscIsInfOrNanReal(expect), comm, PETSC_ERR_ARG_OUTOFRANGE, "-expect_error %g must be finite and >= 0 (0: no check)",
             (double)expect);
  PetscCheck(nx > 4 && nt > 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "-nx must be at least 5 and -nt at least 2, got %" PetscInt_FMT " and %" PetscInt_FMT,
             nx, nt);
  PetscCheck(p.nu >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-nu %g must be >= 0", (double)p.nu);
  PetscCheck(p.a == 0 || p.problem == BURGERS, comm, PETSC_ERR_ARG_WRONG, "-nu_amplitude %g is for -problem burgers only, not %s", (double)p.a,
             Problems[p.problem]);
  PetscCheck(PetscAbsReal(p.a) < 1, comm, PETSC_ERR_ARG_OUTOFRANGE, "-nu_amplitude %g must be in (-1, 1), so that nu(x) = nu (1 + a cos x) > 0",
             (double)p.a);
  PetscCall(CheckProblemOptions(comm));
  if (eulerian) PetscCall(CheckEulerianFiles(comm));
  if (output[0]) PetscCall(CheckOutput(comm, output, eulerian)); /* now, not after the reference and training */

  PetscCall(PetscMalloc2(nt, &t, nx, &x));
  for (PetscInt j = 0; j < nt; j++) t[j] = (PetscReal)j / (nt - 1);
  for (PetscInt i = 0; i < nx; i++) x[i] = 2 * PETSC_PI * i / nx;
  if (p.problem == BURGERS)
    PetscCall(ReferenceBurgersViscosity1d(comm, ReferenceViscosity, &p, ReferenceInitial, &p, nx, nt, t, &ref));
  else
    PetscCall(ReferenceConvectionDiffusion1d(comm, p.c, p.nu, ReferenceInitial, &p, 64, nx, x, nt, t, &ref));
  if (p.problem == BURGERS && p.a != 0)
    PetscCall(PetscPrintf(comm, "burgers: C = %g, nu(x) = %g (1 + %g cos x) (reference: CVODE, method of lines)\n", (double)p.C, (double)p.nu,
                          (double)p.a));
  else if (p.problem == BURGERS)
    PetscCall(PetscPrintf(comm, "burgers: C = %g, nu = %g (reference: CVODE, method of lines)\n", (double)p.C, (double)p.nu));
  else
    PetscCall(PetscPrintf(comm, "%s: c = %g, nu = %g (reference: exact Fourier)\n", Problems[p.problem], (double)p.c, (double)p.nu));

  PetscCall(Run(comm, PINNLAGRANGIAN, &p, nx, x, nt, t, ref, output, &errl));
  if (eulerian) {
    PetscCall(UseEulerianFiles());
    PetscCall(Run(comm, PINNEULERIAN, &p, nx, x, nt, t, ref, "", &erre));
  }
  PetscCall(VecDestroy(&ref));
  PetscCall(PetscFree2(t, x));
  if (expect > 0 && !(errl <= expect)) {
    PetscCall(PetscPrintf(comm, "FAILED: the Lagrangian error %.4e exceeds -expect_error %g\n", (double)errl, (double)expect));
    PetscCall(PetscFinalize());
    return 1;
  }
  PetscCall(PetscFinalize());
  return 0;
}

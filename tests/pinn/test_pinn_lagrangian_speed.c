/* PINN type lagrangian, the speed f1 by a pointwise function (PINNLagrangianSetSpeedFunction()):
   - a function equal to the built-in c, u or c u (1 - u) gives the built-in's loss and gradient
     (1e-14 relative), in both u_xx modes;
   - a speed depending on x, f1 = u + B sin x: the gradient against central differences of the loss
     (1e-6 relative to the largest entry), so df1/dx reaches network "x".
   The figure is the worst ratio of deviation to tolerance. */
#include <nnpde.h>
#include "check_helpers.h"
#include "lagrangian_problem.h"

static const PetscReal C = 1.7, B = 0.6;

/* The built-in speeds as functions; ctx points to the PINNLagrangianF1, NULL: u + B sin x */
static PetscErrorCode Speed(void *ctx, PetscInt n, const PetscReal xt[], const PetscReal u[], PetscReal f[], PetscReal fx[], PetscReal fu[])
{
  for (PetscInt p = 0; p < n; p++) {
    if (!ctx) {
      f[p] = u[p] + B * PetscSinReal(xt[2 * p]), fx[p] = B * PetscCosReal(xt[2 * p]), fu[p] = 1;
      continue;
    }
    fx[p] = 0;
    switch (*(PINNLagrangianF1 *)ctx) {
    case PINN_LAGRANGIAN_F1_C:
      f[p] = C, fu[p] = 0;
      break;
    case PINN_LAGRANGIAN_F1_U:
      f[p] = u[p], fu[p] = 1;
      break;
    case PINN_LAGRANGIAN_F1_LOGISTIC:
      f[p] = C * u[p] * (1 - u[p]), fu[p] = C * (1 - 2 * u[p]);
      break;
    }
  }
  return 0;
}

static PetscErrorCode Create(MPI_Comm comm, PINNLagrangianUxx mode, PINNLagrangianF1 f1, PetscBool byfunction, void *ctx, PINN *pinn)
{
  PetscFunctionBegin;
  PetscCall(LagrangianProblemCreate(comm, pinn));
  PetscCall(PINNLagrangianSetSpeed(*pinn, f1, C, 0.1));
  if (byfunction) PetscCall(PINNLagrangianSetSpeedFunction(*pinn, Speed, ctx));
  PetscCall(PINNLagrangianSetUxx(*pinn, mode));
  PetscCall(PINNSetNumPoints(*pinn, 200, 0, 40));
  PetscCall(PINNSetFromOptions(*pinn));
  PetscCall(PINNSetUp(*pinn));
  PetscFunctionReturn(0);
}

/* Parameters with J = 1 + N_x,X > 0 and O(1) outputs */
static PetscErrorCode Theta(PINN pinn, Vec *X)
{
  Vec          theta;
  PetscInt     lo, hi;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(PINNGetParameters(pinn, &theta));
  PetscCall(VecDuplicate(theta, X));
  PetscCall(VecCopy(theta, *X));
  PetscCall(VecGetOwnershipRange(*X, &lo, &hi));
  PetscCall(VecGetArray(*X, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = 0.3 * a[i - lo] + 0.02 * PetscSinReal(1.7 * i);
  PetscCall(VecRestoreArray(*X, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckSame(MPI_Comm comm, PINNLagrangianUxx mode, PINNLagrangianF1 f1, PetscReal *worst)
{
  PINN      a, b;
  Vec       X, ga, gb;
  PetscReal fa, fb, gmax, dev;
  char      what[128];

  PetscFunctionBegin;
  PetscCall(Create(comm, mode, f1, PETSC_FALSE, NULL, &a));
  PetscCall(Create(comm, mode, f1, PETSC_TRUE, &f1, &b));
  PetscCall(Theta(a, &X));
  PetscCall(VecDuplicate(X, &ga));
  PetscCall(VecDuplicate(X, &gb));
  PetscCall(PINNComputeObjectiveGradient(a, X, &fa, ga));
  PetscCall(PINNComputeObjectiveGradient(b, X, &fb, gb));
  PetscCall(VecNorm(ga, NORM_INFINITY, &gmax));
  PetscCall(VecAXPY(gb, -1.0, ga));
  PetscCall(VecNorm(gb, NORM_INFINITY, &dev));
  PetscCall(
      PetscSNPrintf(what, sizeof(what), "f1 = %s, u_xx %s: function vs built-in, loss (relative)", PINNLagrangianF1s[f1], PINNLagrangianUxxs[mode]));
  PetscCall(Report(comm, what, PetscAbsReal(fa - fb) / fa, 1e-14, worst));
  PetscCall(PetscSNPrintf(what, sizeof(what), "f1 = %s, u_xx %s: function vs built-in, gradient (relative)", PINNLagrangianF1s[f1],
                          PINNLagrangianUxxs[mode]));
  PetscCall(Report(comm, what, dev / gmax, 1e-14, worst));
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&ga));
  PetscCall(VecDestroy(&gb));
  PetscCall(PINNDestroy(&a));
  PetscCall(PINNDestroy(&b));
  PetscFunctionReturn(0);
}

/* f1 = u + B sin x: the gradient of term rx alone vs central differences, in entries of both networks */
static PetscErrorCode CheckGradient(MPI_Comm comm, PetscReal *worst)
{
  PINN      pinn;
  Vec       X, g;
  PetscReal f, gmax, err = 0;
  PetscInt  P, nterms;

  PetscFunctionBegin;
  PetscCall(Create(comm, PINN_LAGRANGIAN_UXX_EXACT, PINN_LAGRANGIAN_F1_U, PETSC_TRUE, NULL, &pinn));
  PetscCall(PINNGetNumTerms(pinn, &nterms));
  for (PetscInt t = 0; t < nterms; t++) {
    const char *name;
    PetscBool   isrx;
    PetscCall(PINNGetTermName(pinn, t, &name));
    PetscCall(PetscStrcmp(name, "rx", &isrx));
    PetscCall(PINNSetTermWeight(pinn, t, isrx ? 1.0 : 0.0));
  }
  PetscCall(Theta(pinn, &X));
  PetscCall(VecDuplicate(X, &g));
  PetscCall(VecGetSize(X, &P));
  PetscCall(PINNComputeObjectiveGradient(pinn, X, &f, g));
  PetscCall(VecNorm(g, NORM_INFINITY, &gmax));
  {
    const PetscInt  idx[6] = {0, 9, P / 2, 200, P - 40, P - 1}; /* u: the first 161 entries; x: the rest */
    const PetscReal h      = 1e-5;
    PetscCall(CentralDifferenceDeviation(pinn, X, g, gmax, 6, idx, h, &err));
  }
  PetscCall(Report(comm, "f1 = u + B sin x by function: term rx, gradient vs central differences", err, 1e-6, worst));
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&g));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  PetscReal worst = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  (void)GatherAll;
  for (PetscInt m = 0; m < 2; m++)
    for (PetscInt f1 = 0; f1 < 3; f1++) PetscCall(CheckSame(comm, (PINNLagrangianUxx)m, (PINNLagrangianF1)f1, &worst));
  PetscCall(CheckGradient(comm, &worst));
  PetscCall(PetscPrintf(comm, "worst ratio of deviation to tolerance %.3e\n", (double)worst));
  PetscCall(PetscFinalize());
  return worst < 1 ? 0 : 1;
}

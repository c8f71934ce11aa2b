/* Per-point weights: a term's loss is weight * (1/N) sum_p w_p sum_k r_pk^2, N the points of the
   term's group on all ranks. Three terms of our own (an interior PDE with one residual, a
   boundary condition with two residuals that uses the normals, a condition on one boundary part)
   are evaluated by PINNComputeLoss() and, independently, here from the network's jets and the same
   residual functions; with w = 1 and with w_p = 1 + sin(3x + 2y)/2 (a function of the point, so
   the same on any number of ranks) the two must agree to 1e-12 relative, term by term. Then:
   doubling every weight doubles the loss and the gradient (1e-12), and the gradient of the
   weighted loss matches central differences along a random direction (1e-6). */
#include <nnpde.h>

#define TOL 1e-12

static PetscReal Source(const PetscReal x[])
{
  return 2 * PETSC_PI * PETSC_PI * PetscSinReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]);
}
static PetscReal Weight(const PetscReal x[])
{
  return 1 + 0.5 * PetscSinReal(3 * x[0] + 2 * x[1]);
}

/* pde: quantities (lap u, u); r = -lap u + u^2/4 - f */
static PetscErrorCode PDE(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                          PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)normal, (void)nq, (void)nr;
  for (PetscInt p = 0; p < n; p++) {
    r[p]          = -u[2 * p] + 0.25 * u[2 * p + 1] * u[2 * p + 1] - Source(&x[p * dim]);
    dr[2 * p]     = -1;
    dr[2 * p + 1] = 0.5 * u[2 * p + 1];
  }
  return 0;
}
/* bc: quantities (u, u_x, u_y); r0 = u - x y, r1 = grad u . normal - 1 */
static PetscErrorCode BC(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                         PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)nq, (void)nr;
  for (PetscInt p = 0; p < n; p++) {
    const PetscReal *nu = &normal[p * dim], *q = &u[3 * p];
    PetscReal       *d0 = &dr[(2 * p) * 3], *d1 = &dr[(2 * p + 1) * 3];
    r[2 * p]     = q[0] - x[p * dim] * x[p * dim + 1];
    r[2 * p + 1] = q[1] * nu[0] + q[2] * nu[1] - 1;
    d0[0] = 1, d0[1] = 0, d0[2] = 0;
    d1[0] = 0, d1[1] = nu[0], d1[2] = nu[1];
  }
  return 0;
}
/* part: quantity (u); r = u - 1/2 */
static PetscErrorCode Part(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq, const PetscReal u[],
                           PetscInt nr, PetscReal r[], PetscReal dr[])
{
  (void)ctx, (void)dim, (void)x, (void)normal, (void)nq, (void)nr;
  for (PetscInt p = 0; p < n; p++) r[p] = u[p] - 0.5, dr[p] = 1;
  return 0;
}

typedef struct {
  PINNPointSet      set;
  PetscInt          ntags, tag;
  PetscInt          nq, nr;
  PINNQuantity      q[3];
  PINNResidualFn    fn;
  PetscReal         weight;
  const char *const name;
} Term;

static const Term terms[3] = {
    {PINN_POINTS_INTERIOR, 0, 0, 2, 1, {{0, 0, NN_JET_LAPLACIAN, 0, 0}, {0, 0, NN_JET_VALUE, 0, 0}}, PDE, 1.0, "pde"},
    {PINN_POINTS_BOUNDARY, 0, 0, 3, 2, {{0, 0, NN_JET_VALUE, 0, 0}, {0, 0, NN_JET_DERIVATIVE, 0, 0}, {0, 0, NN_JET_DERIVATIVE, 1, 0}}, BC, 3.0, "bc"},
    {PINN_POINTS_BOUNDARY, 1, 2, 1, 1, {{0, 0, NN_JET_VALUE, 0, 0}}, Part, 0.7, "part"},
};

/* The formula, from the network's jets at this rank's points: loss[t] = weight/N sum_p w_p sum_k r_pk^2
   (w NULL: 1) */
static PetscErrorCode ReferenceLosses(PINN pinn, PetscBool weighted, PetscReal loss[3])
{
  NN              nn;
  const PetscInt  deriv[2] = {0, 1};
  PetscInt        S;
  PetscReal       count[3];
  const PetscInt *tag;

  PetscFunctionBeginUser;
  PetscCall(PINNGetNetwork(pinn, "u", &nn));
  PetscCall(NNSetJets(nn, 2, deriv, 0, NULL, 2, NULL));
  PetscCall(NNGetNumJets(nn, &S));
  PetscCall(PINNGetPointTags(pinn, PINN_POINTS_BOUNDARY, &tag));
  for (PetscInt t = 0; t < 3; t++) {
    const Term      *T = &terms[t];
    PetscInt         n, m = 0, stream[3];
    const PetscReal *x, *normal;
    PetscReal       *w, *y, *xs, *ns, *u, *r, *dr;

    PetscCall(PINNGetPoints(pinn, T->set, &n, &x, &normal));
    PetscCall(PINNGetPointWeights(pinn, T->set, &w));
    PetscCall(PetscMalloc6(n * 2, &xs, n * 2, &ns, S * n, &y, n * 3, &u, n * 2, &r, n * 6, &dr));
    for (PetscInt p = 0; p < n; p++) { /* the term's points: its boundary part only, if tagged */
      if (T->ntags && tag[p] != T->tag) continue;
      for (PetscInt k = 0; k < 2; k++) xs[2 * m + k] = x[2 * p + k], ns[2 * m + k] = normal ? normal[2 * p + k] : 0;
      m++;
    }
    PetscCall(NNForward(nn, m, xs, y));
    for (PetscInt i = 0; i < T->nq; i++) PetscCall(NNGetJetIndex(nn, T->q[i].kind, T->q[i].i, T->q[i].j, &stream[i]));
    for (PetscInt p = 0; p < m; p++)
      for (PetscInt i = 0; i < T->nq; i++) u[p * T->nq + i] = y[stream[i] * m + p];
    PetscCall((*T->fn)(NULL, m, 2, xs, ns, T->nq, u, T->nr, r, dr));
    loss[t] = 0;
    for (PetscInt p = 0, j = 0; p < n; p++) {
      PetscReal lp = 0;
      if (T->ntags && tag[p] != T->tag) continue;
      for (PetscInt k = 0; k < T->nr; k++) lp += r[j * T->nr + k] * r[j * T->nr + k];
      loss[t] += (weighted ? w[p] : 1) * lp;
      j++;
    }
    count[t] = m;
    PetscCall(PINNRestorePointWeights(pinn, T->set, &w));
    PetscCall(PetscFree6(xs, ns, y, u, r, dr));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, loss, 3, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, count, 3, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  for (PetscInt t = 0; t < 3; t++) loss[t] *= terms[t].weight / count[t];
  PetscFunctionReturn(0);
}

/* max over terms of |library - formula| / formula */
static PetscErrorCode CompareTerms(PINN pinn, PetscBool weighted, PetscReal *total, PetscReal *err)
{
  PetscReal        ref[3];
  const PetscReal *lib;
  PetscInt         nt;

  PetscFunctionBeginUser;
  PetscCall(PINNComputeLoss(pinn, total, NULL));
  PetscCall(PINNGetTermLosses(pinn, &nt, &lib));
  PetscCall(ReferenceLosses(pinn, weighted, ref));
  *err = 0;
  for (PetscInt t = 0; t < 3; t++) *err = PetscMax(*err, PetscAbsReal(lib[t] - ref[t]) / ref[t]);
  PetscFunctionReturn(0);
}

/* w_p = s * Weight(x_p) (weighted) or s on every point of every set */
static PetscErrorCode SetWeights(PINN pinn, PetscBool weighted, PetscReal s)
{
  PetscFunctionBeginUser;
  for (PINNPointSet set = PINN_POINTS_INTERIOR; set <= PINN_POINTS_BOUNDARY; set++) {
    PetscInt         n;
    const PetscReal *x;
    PetscReal       *w;
    PetscCall(PINNGetPoints(pinn, set, &n, &x, NULL));
    PetscCall(PINNGetPointWeights(pinn, set, &w));
    for (PetscInt p = 0; p < n; p++) w[p] = s * (weighted ? Weight(&x[2 * p]) : 1);
    PetscCall(PINNRestorePointWeights(pinn, set, &w));
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PINN            pinn;
  PINNGeometry    box;
  NN              nn;
  Vec             th, g, g2, d;
  PetscRandom     rnd;
  PetscReal       l1, e1, lw, ew, l2, lp, lm, dg, ng, gd, fd;
  const PetscReal lo[2] = {0, 0}, hi[2] = {1, 1}, eps = 1e-6;
  PetscMPIInt     size;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PINNGeometryCreateBox(PETSC_COMM_WORLD, 2, lo, hi, &box));
  PetscCall(PINNCreate(PETSC_COMM_WORLD, &pinn));
  PetscCall(PINNSetGeometry(pinn, box));
  PetscCall(PINNSetNumPoints(pinn, 300, 120, 0));
  for (PetscInt t = 0; t < 3; t++)
    PetscCall(PINNAddTerm(pinn, terms[t].name, terms[t].set, terms[t].ntags, &terms[t].tag, terms[t].nq, terms[t].q, terms[t].nr, terms[t].fn, NULL,
                          terms[t].weight, NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-pinn_nn_mlp_hidden_layers", "12,12"));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PINNSetUp(pinn));

  PetscCall(CompareTerms(pinn, PETSC_FALSE, &l1, &e1));
  PetscCall(SetWeights(pinn, PETSC_TRUE, 1));
  PetscCall(CompareTerms(pinn, PETSC_TRUE, &lw, &ew));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%d rank(s): loss %.6e with w = 1, %.6e with w = 1 + sin(3x + 2y)/2; each term vs the formula: %s\n", size,
                        (double)l1, (double)lw, e1 <= TOL && ew <= TOL ? "equal to 1e-12" : "DIFFERENT"));
  PetscCheck(e1 <= TOL && ew <= TOL, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "term losses differ from the formula by %g (w = 1) and %g (weighted)",
             (double)e1, (double)ew);
  PetscCheck(PetscAbsReal(lw - l1) > 1e-3 * l1, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "the weights did not change the loss (%g vs %g)", (double)lw,
             (double)l1);

  /* linear in w: doubling every weight doubles the loss and the gradient */
  PetscCall(PINNGetNetwork(pinn, "u", &nn));
  PetscCall(NNGetParameters(nn, &th));
  PetscCall(VecDuplicate(th, &g));
  PetscCall(VecDuplicate(th, &g2));
  PetscCall(VecDuplicate(th, &d));
  PetscCall(PINNComputeLoss(pinn, &lw, g));
  PetscCall(SetWeights(pinn, PETSC_TRUE, 2));
  PetscCall(PINNComputeLoss(pinn, &l2, g2));
  PetscCall(VecAXPY(g2, -2.0, g));
  PetscCall(VecNorm(g2, NORM_2, &dg));
  PetscCall(VecNorm(g, NORM_2, &ng));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "doubled weights: loss and gradient doubled: %s\n",
                        PetscAbsReal(l2 - 2 * lw) <= TOL * lw && dg <= TOL * ng ? "yes (1e-12)" : "NO"));
  PetscCheck(PetscAbsReal(l2 - 2 * lw) <= TOL * lw && dg <= TOL * ng, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "loss %.17g vs 2 x %.17g, gradient %g of %g",
             (double)l2, (double)lw, (double)dg, (double)ng);

  /* the weighted gradient against central differences */
  PetscCall(SetWeights(pinn, PETSC_TRUE, 1));
  PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, &rnd));
  PetscCall(PetscRandomSetInterval(rnd, -1, 1));
  PetscCall(VecSetRandom(d, rnd));
  PetscCall(VecDot(g, d, &gd));
  PetscCall(VecAXPY(th, eps, d));
  PetscCall(PINNComputeLoss(pinn, &lp, NULL));
  PetscCall(VecAXPY(th, -2 * eps, d));
  PetscCall(PINNComputeLoss(pinn, &lm, NULL));
  PetscCall(VecAXPY(th, eps, d));
  fd = (lp - lm) / (2 * eps);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "weighted gradient vs central differences: %s\n",
                        PetscAbsReal(fd - gd) <= 1e-6 * PetscAbsReal(gd) ? "equal to 1e-6" : "DIFFERENT"));
  PetscCheck(PetscAbsReal(fd - gd) <= 1e-6 * PetscAbsReal(gd), PETSC_COMM_WORLD, PETSC_ERR_PLIB, "directional derivative %.12g vs FD %.12g",
             (double)gd, (double)fd);

  PetscCall(PetscRandomDestroy(&rnd));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&g2));
  PetscCall(VecDestroy(&d));
  PetscCall(PINNDestroy(&pinn));
  PetscCall(PINNGeometryDestroy(&box));
  PetscCall(PetscFinalize());
  return 0;
}

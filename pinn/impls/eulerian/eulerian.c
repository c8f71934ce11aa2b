/* PINNEULERIAN: the standard PINN. The networks are functions of the inputs (x or (x, t)); the
   loss is the sum of the terms' weighted mean squared residuals at the collocation points, and
   network 0's outputs are the solution. */
#include <nnpde/private/pinnimpl.h>

/* Grow a buffer to hold at least n reals */
static PetscErrorCode Reserve(PetscReal **a, PetscInt *cap, PetscInt n)
{
  PetscFunctionBegin;
  if (n > *cap) {
    PetscCall(PetscFree(*a));
    PetscCall(PetscMalloc1(n, a));
    *cap = n;
  }
  PetscFunctionReturn(0);
}

/* The quantities of term t at nt points from the networks' jets y[k] (layout of nn.h with n = nt) */
static PetscErrorCode TermQuantities(PINN pinn, PINNGroup *grp, const PINNTerm *term, PetscInt nt, const PetscReal *const y[])
{
  const PetscInt nq = term->nq;

  PetscFunctionBegin;
  PetscCall(Reserve(&grp->u, &grp->ucap, nt * nq));
  if (nt * term->nr * (nq + 1) > grp->rcap) { /* r and dr each of rcap: enough for any term of the group that fits rcap, whatever its nq */
    PetscCall(PetscFree2(grp->r, grp->dr));
    PetscCall(PetscMalloc2(nt * term->nr * (nq + 1), &grp->r, nt * term->nr * (nq + 1), &grp->dr));
    grp->rcap = nt * term->nr * (nq + 1);
  }
  for (PetscInt q = 0; q < nq; q++) {
    const PINNQuantity Q  = term->q[q];
    const PetscInt     m  = pinn->nets[Q.net].nout;
    const PetscReal   *yq = y[Q.net] + term->stream[q] * nt * m + Q.comp;
    for (PetscInt p = 0; p < nt; p++) grp->u[p * nq + q] = yq[p * m];
  }
  PetscFunctionReturn(0);
}

/* For the nt points of the group from first on, with the networks' jets y[k]: each of the group's
   terms gets its quantities and residuals; the squared residuals go on summing into the term's
   loss (scaled once the group is done), the residuals times their derivatives into ybar[k]. */
static PetscErrorCode GroupAdjoint(PINN pinn, PetscInt g, PetscInt first, PetscInt nt, const PetscReal *const y[], PetscReal *const ybar[])
{
  PINNGroup       *grp = &pinn->groups[g];
  const PetscInt   dim = pinn->dim;
  const PetscReal *x = grp->x + first * dim, *normal = grp->set == PINN_POINTS_BOUNDARY ? grp->normal + first * dim : NULL;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pinn->nnets; k++)
    if (grp->net[k].used) PetscCall(PetscArrayzero(ybar[k], grp->net[k].S * nt * pinn->nets[k].nout));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PINNTerm       *term = &pinn->terms[t];
    const PetscInt  nq = term->nq, nr = term->nr;
    const PetscReal scale = term->weight / grp->N;
    PetscReal       l     = term->loss;

    if (term->group != g) continue;
    PetscCall(TermQuantities(pinn, grp, term, nt, y));
    PetscCall((*term->fn)(term->ctx, nt, dim, x, normal, nq, grp->u, nr, grp->r, grp->dr));
    for (PetscInt p = 0; p < nt; p++) {
      const PetscReal wp = grp->weighted ? grp->w[first + p] : 1;
      PetscReal       lp = 0;
      for (PetscInt k = 0; k < nr; k++) {
        const PetscReal rk = grp->r[p * nr + k];
        if (grp->weighted)
          lp += rk * rk;
        else
          l += rk * rk; /* every w_p = 1: the sum as it always was, same rounding */
        for (PetscInt q = 0; q < nq; q++) {
          const PINNQuantity Q = term->q[q];
          const PetscInt     m = pinn->nets[Q.net].nout;
          ybar[Q.net][(term->stream[q] * nt + p) * m + Q.comp] += (grp->weighted ? 2 * scale * wp : 2 * scale) * rk * grp->dr[(p * nr + k) * nq + q];
        }
      }
      if (grp->weighted) l += wp * lp;
    }
    term->loss = l;
  }
  PetscFunctionReturn(0);
}

typedef struct {
  PINN     pinn;
  PetscInt g;
} GroupAdjointCtx;

/* NNAdjointFn of a group on a single network: its tile's jets go straight to the terms */
static PetscErrorCode GroupAdjointFused(void *ctx, PetscInt first, PetscInt nt, const PetscReal y[], PetscReal ybar[])
{
  GroupAdjointCtx *a    = (GroupAdjointCtx *)ctx;
  PINN             pinn = a->pinn;
  const PetscReal *ys[PINN_MAX_NETWORKS];
  PetscReal       *ybs[PINN_MAX_NETWORKS];

  PetscFunctionBegin;
  ys[pinn->groups[a->g].single]  = y;
  ybs[pinn->groups[a->g].single] = ybar;
  PetscCall(GroupAdjoint(pinn, a->g, first, nt, ys, ybs));
  PetscFunctionReturn(0);
}

/* The one term of group g whose quantities use network k; -1 if several do, -2 if none */
static PetscInt SoleTerm(PINN pinn, PetscInt g, PetscInt k)
{
  PetscInt sole = -2;

  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PetscBool uses = PETSC_FALSE;
    if (pinn->terms[t].group != g) continue;
    for (PetscInt q = 0; q < pinn->terms[t].nq; q++) uses = (PetscBool)(uses || pinn->terms[t].q[q].net == k);
    if (uses) sole = sole == -2 ? t : -1;
  }
  return sole;
}

/* Where the reverse pass of network k on group g accumulates: this rank's gradient, or with
   gterm the gradient of the group's one term on k */
static PetscReal *GradientDestination(PINN pinn, PetscReal *gterm, PetscInt g, PetscInt k)
{
  return (gterm ? gterm + SoleTerm(pinn, g, k) * pinn->Pnet : pinn->glocal) + pinn->nets[k].off;
}

/* Whether every network of every group serves one term only. Then one reverse pass gives each
   term's gradient apart (pinn->gterm), which a loss that is not a sum of the terms' losses (the
   Lagrangian type's 2-norms) combines once the terms' global sums are known. */
PetscErrorCode PINNTermsSeparable_Private(PINN pinn, PetscBool *flg)
{
  PetscFunctionBegin;
  *flg = PETSC_TRUE;
  for (PetscInt g = 0; g < pinn->ngroups; g++)
    for (PetscInt k = 0; k < pinn->nnets; k++)
      if (pinn->groups[g].net[k].used && SoleTerm(pinn, g, k) < 0) *flg = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* Points per chunk when a group's networks are evaluated apart from its adjoint: the networks'
   activations for a chunk (a few MB at most) stay in cache between the forward pass, the terms
   and the reverse pass, where the whole group's (25600 points of a 5 x 50 network: 150 MB) do not */
#define PINN_GROUP_CHUNK 256

/* Chunk by chunk: each used network's jets forward, the terms (losses and, with backward, the
   adjoints), then each network in reverse (the gradient accumulates into pinn->glocal) */
static PetscErrorCode GroupChunks(PINN pinn, PetscInt g, PetscBool backward, PetscReal *gterm)
{
  PINNGroup       *grp = &pinn->groups[g];
  const PetscInt   dim = pinn->dim;
  const PetscReal *ys[PINN_MAX_NETWORKS];
  PetscReal       *ybs[PINN_MAX_NETWORKS];

  PetscFunctionBegin;
  for (PetscInt first = 0; first < grp->n; first += PINN_GROUP_CHUNK) {
    const PetscInt nt = PetscMin(PINN_GROUP_CHUNK, grp->n - first);
    for (PetscInt k = 0; k < pinn->nnets; k++) {
      PINNGroupNetwork *gn = &grp->net[k];
      const PetscInt    sz = gn->S * nt * pinn->nets[k].nout;
      if (!gn->used) continue;
      if (sz > gn->ycap) {
        PetscCall(PetscFree2(gn->y, gn->ybar));
        PetscCall(PetscMalloc2(sz, &gn->y, sz, &gn->ybar));
        gn->ycap = sz;
      }
      PetscCall(NNSetJetRequest(pinn->nets[k].nn, gn->jets));
      PetscCall(NNForward(pinn->nets[k].nn, nt, grp->x + first * dim, gn->y));
      ys[k]  = gn->y;
      ybs[k] = gn->ybar;
    }
    PetscCall(GroupAdjoint(pinn, g, first, nt, ys, ybs));
    if (!backward) continue;
    for (PetscInt k = 0; k < pinn->nnets; k++) {
      if (!grp->net[k].used) continue;
      /* each network keeps its own last forward pass: this chunk's */
      PetscCall(NNBackward(pinn->nets[k].nn, grp->net[k].ybar, GradientDestination(pinn, gterm, g, k), NULL));
    }
  }
  PetscFunctionReturn(0);
}

/* The loss and its gradient at theta: each group of terms on one network is one
   NNForwardBackward() (the residuals taken tile by tile as the network produces them); a group
   coupling several networks goes chunk by chunk (GroupChunks()). Without a gradient, forward
   passes only. With pinn->gterm (PINNTermsSeparable_Private()) the terms' gradients stay apart
   there, unreduced, and gradient is not touched; the request holds for this call only (it is
   cleared on entry, so an error cannot leave it for the next). */
static PetscErrorCode PINNObjectiveGradient_Eulerian(PINN pinn, Vec theta, PetscReal *loss, Vec gradient)
{
  MPI_Comm   comm  = PetscObjectComm((PetscObject)pinn);
  PetscReal  total = 0;
  PetscReal *gterm = gradient ? pinn->gterm : NULL;

  PetscFunctionBegin;
  pinn->gterm = NULL;
  PetscCall(PINNLendParameters_Private(pinn, theta));
  if (gterm)
    PetscCall(PetscArrayzero(gterm, pinn->nterms * pinn->Pnet));
  else
    PetscCall(PetscArrayzero(pinn->glocal, pinn->Pnet));
  for (PetscInt t = 0; t < pinn->nterms; t++) pinn->terms[t].loss = 0;
  for (PetscInt g = 0; g < pinn->ngroups; g++) {
    PINNGroup *grp = &pinn->groups[g];
    PetscBool  any = PETSC_FALSE;

    for (PetscInt t = 0; t < pinn->nterms; t++) any = (PetscBool)(any || pinn->terms[t].group == g);
    if (!any) continue;
    if (grp->nused == 1 && gradient) {
      const PINNNetwork *net  = &pinn->nets[grp->single];
      GroupAdjointCtx    actx = {pinn, g};
      PetscCall(NNSetJetRequest(net->nn, grp->net[grp->single].jets));
      PetscCall(NNForwardBackward(net->nn, grp->n, grp->x, GroupAdjointFused, &actx, GradientDestination(pinn, gterm, g, grp->single), NULL));
    } else
      PetscCall(GroupChunks(pinn, g, (PetscBool)(gradient != NULL), gterm));
    for (PetscInt t = 0; t < pinn->nterms; t++)
      if (pinn->terms[t].group == g) pinn->terms[t].loss *= pinn->terms[t].weight / grp->N;
  }
  PetscCall(PINNReturnParameters_Private(pinn));
  for (PetscInt t = 0; t < pinn->nterms; t++) pinn->losses[t] = pinn->terms[t].loss;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, pinn->losses, pinn->nterms, MPIU_REAL, MPIU_SUM, comm));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    pinn->terms[t].loss = pinn->losses[t];
    PetscCheck(!PetscIsInfOrNanReal(pinn->losses[t]), comm, PETSC_ERR_FP,
               "Loss term \"%s\" is %g at iteration %" PetscInt_FMT
               " (a NaN/Inf in the data, the network, or a diverging optimizer: lower -pinn_adam_lr?)",
               pinn->terms[t].name, (double)pinn->losses[t], pinn->iteration);
    total += pinn->losses[t];
  }
  *loss = total;
  if (gradient && !gterm) PetscCall(PINNReduceGradient_Private(pinn, gradient));
  PetscFunctionReturn(0);
}

/* r2[p] = sum over the region's terms of weight * sum_k r_pk^2 at n points, current parameters.
   The region's terms must share one group: terms restricted to boundary parts need tags the
   points do not have, and the boundary terms get no normals (NULL). */
static PetscErrorCode PINNResiduals_Eulerian(PINN pinn, PINNPointSet region, PetscInt n, const PetscReal x[], PetscReal r2[])
{
  PetscInt         g = -1;
  PINNGroup       *grp;
  const PetscReal *ys[PINN_MAX_NETWORKS];

  PetscFunctionBegin;
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    const PINNTerm *term = &pinn->terms[t];
    if (term->set != region) continue;
    PetscCheck(!term->ntags, PETSC_COMM_SELF, PETSC_ERR_SUP,
               "PINNComputeResiduals(): term \"%s\" lives on some boundary parts only, and arbitrary points have no part tags", term->name);
    g = term->group;
  }
  PetscCall(PetscArrayzero(r2, n));
  if (g < 0 || !n) PetscFunctionReturn(0);
  grp = &pinn->groups[g];
  PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
  for (PetscInt k = 0; k < pinn->nnets; k++) {
    PINNGroupNetwork *gn = &grp->net[k];
    const PetscInt    sz = gn->S * n * pinn->nets[k].nout;
    if (!gn->used) continue;
    if (sz > gn->ycap) {
      PetscCall(PetscFree2(gn->y, gn->ybar));
      PetscCall(PetscMalloc2(sz, &gn->y, sz, &gn->ybar));
      gn->ycap = sz;
    }
    PetscCall(NNSetJetRequest(pinn->nets[k].nn, gn->jets));
    PetscCall(NNForward(pinn->nets[k].nn, n, x, gn->y));
    ys[k] = gn->y;
  }
  PetscCall(PINNReturnParameters_Private(pinn));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PINNTerm *term = &pinn->terms[t];
    if (term->group != g) continue;
    PetscCall(TermQuantities(pinn, grp, term, n, ys));
    PetscCall((*term->fn)(term->ctx, n, pinn->dim, x, NULL, term->nq, grp->u, term->nr, grp->r, grp->dr));
    for (PetscInt p = 0; p < n; p++) {
      PetscReal s = 0;
      for (PetscInt k = 0; k < term->nr; k++) s += PetscSqr(grp->r[p * term->nr + k]);
      r2[p] += term->weight * s;
    }
  }
  PetscFunctionReturn(0);
}

/* The solution: network 0's outputs */
static PetscErrorCode PINNEvaluate_Eulerian(PINN pinn, PetscInt n, const PetscReal x[], PetscReal u[])
{
  PetscFunctionBegin;
  PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
  PetscCall(NNSetJetRequest(pinn->nets[0].nn, pinn->nets[0].jets_value));
  PetscCall(NNForward(pinn->nets[0].nn, n, x, u));
  PetscCall(PINNReturnParameters_Private(pinn));
  PetscFunctionReturn(0);
}

/* The default network "u" from the -pinn_nn_ options, unless networks were given; network 0 has
   the problem's inputs and outputs, the others its inputs */
static PetscErrorCode PINNSetUpNetworks_Eulerian(PINN pinn)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)pinn);

  PetscFunctionBegin;
  if (!pinn->nnets) {
    NN nn;
    PetscCall(NNCreate(comm, &nn));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, ((PetscObject)pinn)->prefix));
    PetscCall(PetscObjectAppendOptionsPrefix((PetscObject)nn, "pinn_"));
    PetscCall(NNSetSizes(nn, pinn->dim, pinn->nc));
    PetscCall(NNSetFromOptions(nn));
    PetscCall(PINNSetNetwork(pinn, "u", nn));
    PetscCall(NNDestroy(&nn));
  }
  for (PetscInt k = 0; k < pinn->nnets; k++) {
    PetscInt nin, nout;
    PetscCall(NNGetSizes(pinn->nets[k].nn, &nin, &nout));
    PetscCheck(nin == pinn->dim && (k || nout == pinn->nc), comm, PETSC_ERR_ARG_SIZ,
               "Network \"%s\" has %" PetscInt_FMT " inputs and %" PetscInt_FMT " outputs; the problem needs %" PetscInt_FMT " inputs%s",
               pinn->nets[k].name, nin, nout, pinn->dim, k ? "" : " and as many outputs as components (PINNSetNumComponents())");
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNView_Eulerian(PINN pinn, PetscViewer viewer)
{
  PetscFunctionBegin;
  if (pinn->nnets > 1) PetscCall(PetscViewerASCIIPrintf(viewer, "solution: the outputs of network \"%s\"\n", pinn->nets[0].name));
  PetscFunctionReturn(0);
}

/*MC
  PINNEULERIAN - "eulerian": the standard PINN, networks u(x) (or u(x,t)) trained on residuals at
  collocation points. Network 0 (by default "u", from the -pinn_nn_ options) is the solution;
  further networks (PINNSetNetwork()) may enter the terms, e.g. an auxiliary field v = u_x.

  Level: beginner

.seealso: `PINNSetType()`, `PINNSetNetwork()`, `PINNAddTerm()`
M*/
PetscErrorCode PINNCreate_Eulerian(PINN pinn)
{
  PetscFunctionBegin;
  pinn->ops->setupnetworks     = PINNSetUpNetworks_Eulerian;
  pinn->ops->objectivegradient = PINNObjectiveGradient_Eulerian;
  pinn->ops->residuals         = PINNResiduals_Eulerian;
  pinn->ops->evaluate          = PINNEvaluate_Eulerian;
  pinn->ops->computeerror      = PINNComputeTestSetError_Private;
  pinn->ops->view              = PINNView_Eulerian;
  PetscFunctionReturn(0);
}

/* The terms' loss (the weighted mean squares) and residual queries, for types built on the terms */
PetscErrorCode PINNSetTermsLoss_Private(PINN pinn)
{
  PetscFunctionBegin;
  pinn->ops->objectivegradient = PINNObjectiveGradient_Eulerian;
  pinn->ops->residuals         = PINNResiduals_Eulerian;
  PetscFunctionReturn(0);
}

/* Loss terms: user terms, the built-in conditions, and their grouping into shared network
   evaluations. */
#include <nnpde/private/pinnimpl.h>

const char *const PINNPointSets[] = {"interior", "boundary", "initial", "PINNPointSet", "PINN_POINTS_", NULL};

/*@C
  PINNAddTerm - Adds a loss term given by a pointwise residual function (see PINNResidualFn).

  Input Parameters:
+ pinn   - the PINN
. name   - a short name, used by the monitor and by the option -pinn_<name>_weight
. set    - the points: interior, boundary or initial
. ntags  - number of boundary parts to restrict to (0: all), tags - their tags
. nq, q  - the quantities the residual needs at each point
. nr     - residual components per point
. fn, ctx - the residual and its context
- weight - the weight of the term's mean squared residual

  Output Parameter:
. term - index of the term (may be NULL)

  Level: beginner
@*/
PetscErrorCode PINNAddTerm(PINN pinn, const char name[], PINNPointSet set, PetscInt ntags, const PetscInt tags[], PetscInt nq, const PINNQuantity q[],
                           PetscInt nr, PINNResidualFn fn, void *ctx, PetscReal weight, PetscInt *term)
{
  PINNTerm *t;
  MPI_Comm  comm = PetscObjectComm((PetscObject)pinn);
  size_t    len;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, comm, PETSC_ERR_ARG_WRONGSTATE, "Add terms before PINNSetUp()");
  PetscCall(PetscStrlen(name, &len));
  PetscCheck(len > 0 && len < 64, comm, PETSC_ERR_ARG_WRONG, "A term needs a name of 1 to 63 characters");
  for (const char *c = name; *c; c++)
    PetscCheck((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_', comm, PETSC_ERR_ARG_WRONG,
               "Term name \"%s\" may hold only letters, digits and '_' (it names the option -pinn_%s_weight)", name, name);
  for (PetscInt i = 0; i < pinn->nterms; i++) {
    PetscBool same;
    PetscCall(PetscStrcmp(pinn->terms[i].name, name, &same));
    PetscCheck(!same, comm, PETSC_ERR_ARG_WRONG, "A term named \"%s\" exists already", name);
  }
  PetscCheck(set >= PINN_POINTS_INTERIOR && set <= PINN_POINTS_INITIAL, comm, PETSC_ERR_ARG_OUTOFRANGE, "Unknown point set %d for term \"%s\"",
             (int)set, name);
  PetscCheck(ntags == 0 || set == PINN_POINTS_BOUNDARY, comm, PETSC_ERR_ARG_WRONG,
             "Term \"%s\": boundary tags are only meaningful on the boundary set", name);
  PetscCheck(nq > 0 && nr > 0 && fn, comm, PETSC_ERR_ARG_WRONG, "Term \"%s\" needs at least one quantity, one residual and a function", name);
  PetscCheck(weight >= 0 && !PetscIsInfOrNanReal(weight), comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Term \"%s\" has weight %g; weights must be finite and nonnegative", name, (double)weight);
  for (PetscInt i = 0; i < nq; i++) {
    /* the networks may be given later: their number is checked at set-up */
    PetscCheck(q[i].net >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Term \"%s\": quantity %" PetscInt_FMT " refers to network %" PetscInt_FMT, name, i,
               q[i].net);
    PetscCheck(q[i].kind >= NN_JET_VALUE && q[i].kind <= NN_JET_LAPLACIAN, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Term \"%s\": quantity %" PetscInt_FMT " has unknown kind %d", name, i, (int)q[i].kind);
  }
  PetscCall(PetscRealloc(sizeof(PINNTerm) * (pinn->nterms + 1), &pinn->terms));
  t = &pinn->terms[pinn->nterms];
  PetscCall(PetscMemzero(t, sizeof(*t)));
  PetscCall(PetscStrallocpy(name, &t->name));
  t->set   = set;
  t->ntags = ntags;
  PetscCall(PetscMalloc1(ntags, &t->tags));
  PetscCall(PetscArraycpy(t->tags, tags, ntags));
  PetscCall(PetscSortInt(ntags, t->tags));
  t->nq = nq;
  PetscCall(PetscMalloc2(nq, &t->q, nq, &t->stream));
  PetscCall(PetscArraycpy(t->q, q, nq));
  t->nr     = nr;
  t->fn     = fn;
  t->ctx    = ctx;
  t->weight = weight;
  if (term) *term = pinn->nterms;
  pinn->nterms++;
  PetscFunctionReturn(0);
}

/*@
  PINNSetTermWeight - Sets a term's weight (also -pinn_<name>_weight).

  Logically Collective

  Level: intermediate

.seealso: `PINNAddTerm()`
@*/
PetscErrorCode PINNSetTermWeight(PINN pinn, PetscInt term, PetscReal weight)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(term >= 0 && term < pinn->nterms, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "No term %" PetscInt_FMT " (there are %" PetscInt_FMT ")", term, pinn->nterms);
  PetscCheck(weight >= 0 && !PetscIsInfOrNanReal(weight), PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Weight %g of term \"%s\" must be finite and nonnegative", (double)weight, pinn->terms[term].name);
  pinn->terms[term].weight = weight;
  PetscFunctionReturn(0);
}

/*@
  PINNGetNumTerms - The number of loss terms.

  Not Collective

  Level: intermediate

.seealso: `PINNAddTerm()`, `PINNGetTermName()`
@*/
PetscErrorCode PINNGetNumTerms(PINN pinn, PetscInt *n)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  *n = pinn->nterms;
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Built-in conditions                                                                            */

typedef struct {
  PINNField           data;
  PINNBoundaryFieldFn bdata; /* Neumann and Robin data, given the normals; in data.ctx, values in data.v */
  PetscReal           a, b;  /* Robin coefficients */
  PetscInt            nspace;
} ConditionCtx;

static PetscErrorCode ConditionCtxDestroy(void **ctx)
{
  ConditionCtx *c = (ConditionCtx *)*ctx;

  PetscFunctionBegin;
  PetscCall(PetscFree(c->data.v));
  PetscCall(PetscFree(*ctx));
  PetscFunctionReturn(0);
}

/* v = the field at the points (0 when no function was given) */
PetscErrorCode PINNFieldEvaluate_Private(PINNField *fld, PetscInt n, PetscInt dim, const PetscReal x[])
{
  PetscFunctionBegin;
  if (n > fld->cap) {
    PetscCall(PetscFree(fld->v));
    PetscCall(PetscMalloc1(n, &fld->v));
    fld->cap = n;
  }
  if (fld->f)
    PetscCall((*fld->f)(fld->ctx, n, dim, x, 1, fld->v));
  else
    PetscCall(PetscArrayzero(fld->v, n));
  PetscFunctionReturn(0);
}

/* r = u - g */
static PetscErrorCode DirichletResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                        const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  ConditionCtx *c = (ConditionCtx *)ctx;

  PetscFunctionBegin;
  (void)normal, (void)nq, (void)nr;
  PetscCall(PINNFieldEvaluate_Private(&c->data, n, dim, x));
  for (PetscInt p = 0; p < n; p++) r[p] = u[p] - c->data.v[p], dr[p] = 1.0;
  PetscFunctionReturn(0);
}

/* r = a u + b du/dn - h: quantities are u then the spatial derivatives */
static PetscErrorCode RobinResidual(void *ctx, PetscInt n, PetscInt dim, const PetscReal x[], const PetscReal normal[], PetscInt nq,
                                    const PetscReal u[], PetscInt nr, PetscReal r[], PetscReal dr[])
{
  ConditionCtx *c = (ConditionCtx *)ctx;

  PetscFunctionBegin;
  (void)nr;
  PetscCheck(normal, PETSC_COMM_SELF, PETSC_ERR_PLIB, "Neumann and Robin conditions need boundary normals");
  if (n > c->data.cap) {
    PetscCall(PetscFree(c->data.v));
    PetscCall(PetscMalloc1(n, &c->data.v));
    c->data.cap = n;
  }
  if (c->bdata)
    PetscCall((*c->bdata)(c->data.ctx, n, dim, x, normal, 1, c->data.v));
  else
    PetscCall(PetscArrayzero(c->data.v, n));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal dn = 0;
    for (PetscInt i = 0; i < c->nspace; i++) dn += normal[p * dim + i] * u[p * nq + 1 + i];
    r[p]           = c->a * u[p * nq] + c->b * dn - c->data.v[p];
    dr[p * nq + 0] = c->a;
    for (PetscInt i = 0; i < c->nspace; i++) dr[p * nq + 1 + i] = c->b * normal[p * dim + i];
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode AddCondition(PINN pinn, const char name[], PINNPointSet set, PetscInt ntags, const PetscInt tags[], PetscInt comp,
                                   PetscBool derivatives, PetscReal a, PetscReal b, PINNFieldFn f, PINNBoundaryFieldFn bf, void *fctx,
                                   PetscReal weight)
{
  ConditionCtx *c;
  PINNQuantity  q[16];
  PetscInt      nq = 1, term;

  PetscFunctionBegin;
  PetscCheck(comp >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Condition \"%s\": component %" PetscInt_FMT " is negative",
             name, comp);
  PetscCall(PetscNew(&c));
  c->data.f   = f;
  c->bdata    = bf;
  c->data.ctx = fctx;
  c->a        = a;
  c->b        = b;
  q[0]        = (PINNQuantity){0, comp, NN_JET_VALUE, 0, 0};
  if (derivatives) {
    PetscCheck(pinn->geom, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE,
               "Set the geometry before adding Neumann or Robin condition \"%s\"", name);
    PetscCheck(pinn->nspace < 16, PetscObjectComm((PetscObject)pinn), PETSC_ERR_SUP,
               "Neumann and Robin conditions support up to 15 spatial dimensions");
    c->nspace = pinn->nspace;
    for (PetscInt i = 0; i < pinn->nspace; i++) q[nq++] = (PINNQuantity){0, comp, NN_JET_DERIVATIVE, i, 0};
  }
  PetscCall(PINNAddTerm(pinn, name, set, ntags, tags, nq, q, 1, derivatives ? RobinResidual : DirichletResidual, c, weight, &term));
  pinn->terms[term].ctxdestroy = ConditionCtxDestroy;
  PetscFunctionReturn(0);
}

/*@C
  PINNAddDirichlet - Soft Dirichlet condition u_comp = g on the boundary parts in tags (all when
  ntags = 0); g NULL means g = 0.

  Level: beginner
@*/
PetscErrorCode PINNAddDirichlet(PINN pinn, const char name[], PetscInt ntags, const PetscInt tags[], PetscInt comp, PINNFieldFn g, void *ctx,
                                PetscReal weight)
{
  PetscFunctionBegin;
  PetscCall(AddCondition(pinn, name, PINN_POINTS_BOUNDARY, ntags, tags, comp, PETSC_FALSE, 1, 0, g, NULL, ctx, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddNeumann - Soft Neumann condition du_comp/dn = h (n the outward unit normal, spatial
  gradient) on the boundary parts in tags (all when ntags = 0).

  Input Parameters:
+ h, ctx - the data, h(x, n), given the points and their outward unit normals (PINNBoundaryFieldFn), or NULL for h = 0
- weight - the weight of the term

  Level: beginner
@*/
PetscErrorCode PINNAddNeumann(PINN pinn, const char name[], PetscInt ntags, const PetscInt tags[], PetscInt comp, PINNBoundaryFieldFn h, void *ctx,
                              PetscReal weight)
{
  PetscFunctionBegin;
  PetscCall(AddCondition(pinn, name, PINN_POINTS_BOUNDARY, ntags, tags, comp, PETSC_TRUE, 0, 1, NULL, h, ctx, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddRobin - Soft Robin condition a u_comp + b du_comp/dn = h, n the outward unit normal; h
  receives the points and their normals (PINNBoundaryFieldFn), or is NULL for h = 0.

  Level: beginner
@*/
PetscErrorCode PINNAddRobin(PINN pinn, const char name[], PetscInt ntags, const PetscInt tags[], PetscInt comp, PetscReal a, PetscReal b,
                            PINNBoundaryFieldFn h, void *ctx, PetscReal weight)
{
  PetscFunctionBegin;
  PetscCheck(a != 0 || b != 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONG, "Robin condition \"%s\" needs a or b nonzero", name);
  PetscCall(AddCondition(pinn, name, PINN_POINTS_BOUNDARY, ntags, tags, comp, PETSC_TRUE, a, b, NULL, h, ctx, weight));
  PetscFunctionReturn(0);
}

/*@C
  PINNAddInitial - Soft initial condition u_comp(x, t0) = u0(x) on a space-time geometry.

  Level: beginner
@*/
PetscErrorCode PINNAddInitial(PINN pinn, const char name[], PetscInt comp, PINNFieldFn u0, void *ctx, PetscReal weight)
{
  PetscFunctionBegin;
  PetscCall(AddCondition(pinn, name, PINN_POINTS_INITIAL, 0, NULL, comp, PETSC_FALSE, 1, 0, u0, NULL, ctx, weight));
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Groups                                                                                         */

static PetscBool SameGroup(const PINNGroup *g, const PINNTerm *t)
{
  if (g->set != t->set || g->ntags != t->ntags) return PETSC_FALSE;
  for (PetscInt i = 0; i < t->ntags; i++)
    if (g->tags[i] != t->tags[i]) return PETSC_FALSE;
  return PETSC_TRUE;
}

/* Makes the NN_JET_LAPLACIAN quantities of network net the operator sum_l w_l d2/dx_{lap[l]}^2 +
   sum_k drift[k] d/dx_k (NNSetJetsOperator()), one jet stream however many terms: a type whose residual
   is such an operator of one network (u_t - nu u_xx) takes it as one quantity. Before PINNSetUp(). */
PetscErrorCode PINNSetNetworkOperator_Private(PINN pinn, PetscInt net, PetscInt nlap, const PetscInt lap[], const PetscReal w[],
                                              const PetscReal drift[])
{
  PINNNetwork *nw;

  PetscFunctionBegin;
  PetscCheck(net >= 0 && net < pinn->nnets, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "No network %" PetscInt_FMT, net);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set a network's operator before PINNSetUp()");
  nw = &pinn->nets[net];
  PetscCall(PetscFree3(nw->op_in, nw->op_w, nw->op_drift));
  PetscCall(PetscMalloc3(nlap + 1, &nw->op_in, nlap + 1, &nw->op_w, pinn->dim, &nw->op_drift));
  PetscCall(PetscArraycpy(nw->op_in, lap, nlap));
  for (PetscInt l = 0; l < nlap; l++) nw->op_w[l] = w ? w[l] : 1.0;
  for (PetscInt k = 0; k < pinn->dim; k++) nw->op_drift[k] = drift ? drift[k] : 0.0;
  nw->op_n = nlap;
  PetscFunctionReturn(0);
}

/* Build the groups and the jets each needs of each network; map every quantity to its stream. */
PetscErrorCode PINNTermsBuildGroups_Private(PINN pinn)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)pinn);

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(pinn->nterms, &pinn->groups));
  pinn->ngroups = 0;
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PINNTerm *term = &pinn->terms[t];
    PetscInt  g;
    for (g = 0; g < pinn->ngroups; g++)
      if (SameGroup(&pinn->groups[g], term)) break;
    if (g == pinn->ngroups) {
      PINNGroup *grp = &pinn->groups[pinn->ngroups++];
      grp->set       = term->set;
      grp->ntags     = term->ntags;
      PetscCall(PetscMalloc1(term->ntags, &grp->tags));
      PetscCall(PetscArraycpy(grp->tags, term->tags, term->ntags));
      PetscCall(PetscCalloc1(pinn->nnets, &grp->net));
      for (PetscInt k = 0; k < pinn->nnets; k++)
        PetscCall(PetscMalloc2(pinn->dim, &grp->net[k].deriv, pinn->dim * (pinn->dim + 1), &grp->net[k].pairs));
    }
    term->group = g;
    for (PetscInt i = 0; i < term->nq; i++) { /* add the quantity's jet to the group's jets of its network */
      const PINNQuantity q = term->q[i];
      PINNGroupNetwork  *gn;
      PetscCheck(q.net >= 0 && q.net < pinn->nnets, comm, PETSC_ERR_ARG_OUTOFRANGE,
                 "Term \"%s\": quantity %" PetscInt_FMT " refers to network %" PetscInt_FMT ", the PINN has %" PetscInt_FMT " (PINNSetNetwork())",
                 term->name, i, q.net, pinn->nnets);
      gn = &pinn->groups[g].net[q.net];
      PetscCheck(q.comp >= 0 && q.comp < pinn->nets[q.net].nout, comm, PETSC_ERR_ARG_OUTOFRANGE,
                 "Term \"%s\": quantity %" PetscInt_FMT " asks for component %" PetscInt_FMT " of network \"%s\", which has %" PetscInt_FMT,
                 term->name, i, q.comp, pinn->nets[q.net].name, pinn->nets[q.net].nout);
      gn->used = PETSC_TRUE;
      if (q.kind == NN_JET_DERIVATIVE || q.kind == NN_JET_SECOND_DERIVATIVE) {
        PetscCheck(q.i >= 0 && q.i < pinn->dim, comm, PETSC_ERR_ARG_OUTOFRANGE,
                   "Term \"%s\": derivative with respect to input %" PetscInt_FMT " of %" PetscInt_FMT, term->name, q.i, pinn->dim);
      }
      if (q.kind == NN_JET_DERIVATIVE) {
        PetscBool have = PETSC_FALSE;
        for (PetscInt a = 0; a < gn->nderiv; a++) have = (PetscBool)(have || gn->deriv[a] == q.i);
        if (!have) gn->deriv[gn->nderiv++] = q.i;
      } else if (q.kind == NN_JET_SECOND_DERIVATIVE) {
        const PetscInt a = PetscMin(q.i, q.j), b = PetscMax(q.i, q.j);
        PetscBool      have = PETSC_FALSE;
        PetscCheck(q.j >= 0 && q.j < pinn->dim, comm, PETSC_ERR_ARG_OUTOFRANGE,
                   "Term \"%s\": derivative with respect to input %" PetscInt_FMT " of %" PetscInt_FMT, term->name, q.j, pinn->dim);
        for (PetscInt h = 0; h < gn->npairs; h++) have = (PetscBool)(have || (gn->pairs[2 * h] == a && gn->pairs[2 * h + 1] == b));
        if (!have) gn->pairs[2 * gn->npairs] = a, gn->pairs[2 * gn->npairs + 1] = b, gn->npairs++;
      } else if (q.kind == NN_JET_LAPLACIAN)
        gn->lap = PETSC_TRUE;
    }
  }
  /* each group's jets on each network it uses, built once; the streams of every quantity in them */
  for (PetscInt g = 0; g < pinn->ngroups; g++) {
    PINNGroup *grp = &pinn->groups[g];
    grp->nused     = 0;
    for (PetscInt k = 0; k < pinn->nnets; k++) {
      PINNGroupNetwork *gn = &grp->net[k];
      if (!gn->used) continue;
      const PINNNetwork *nw = &pinn->nets[k];
      if (gn->lap && nw->op_n >= 0)
        PetscCall(NNAddJetRequestOperator(nw->nn, gn->nderiv, gn->deriv, gn->npairs, gn->pairs, nw->op_n, nw->op_in, nw->op_n ? nw->op_w : NULL,
                                          nw->op_drift, &gn->jets));
      else
        PetscCall(NNAddJetRequest(nw->nn, gn->nderiv, gn->deriv, gn->npairs, gn->pairs, gn->lap ? pinn->nspace : 0, NULL, &gn->jets));
      PetscCall(NNSetJetRequest(pinn->nets[k].nn, gn->jets));
      PetscCall(NNGetNumJets(pinn->nets[k].nn, &gn->S));
      grp->single = k;
      grp->nused++;
    }
  }
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PINNTerm  *term = &pinn->terms[t];
    PINNGroup *grp  = &pinn->groups[term->group];
    for (PetscInt i = 0; i < term->nq; i++) {
      NN nn = pinn->nets[term->q[i].net].nn;
      PetscCall(NNSetJetRequest(nn, grp->net[term->q[i].net].jets));
      PetscCall(NNGetJetIndex(nn, term->q[i].kind, term->q[i].i, term->q[i].j, &term->stream[i]));
    }
  }
  PetscFunctionReturn(0);
}

/* Copy each group's points from the point sets: a boundary group keeps its tags; the interior
   group takes the current mini-batch (a window of global indices, so the batch does not depend
   on the number of ranks). */
PetscErrorCode PINNGroupsLoadPoints_Private(PINN pinn)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)pinn);
  PetscMPIInt    rank, size;
  const PetscInt d = pinn->dim;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  for (PetscInt g = 0; g < pinn->ngroups; g++) {
    PINNGroup         *grp  = &pinn->groups[g];
    const PINNPointSet s    = grp->set;
    const PINNPoints  *pts  = &pinn->points[s];
    const PetscInt     nraw = pts->n;
    PetscInt           n    = 0;

    if (grp->cap < nraw) {
      PetscCall(PetscFree2(grp->x, grp->normal));
      PetscCall(PetscMalloc2(nraw * d, &grp->x, nraw * d, &grp->normal));
      grp->cap = nraw;
    }
    grp->weighted = (PetscBool)(pts->w != NULL);
    if (grp->weighted && grp->wcap < nraw) {
      PetscCall(PetscFree(grp->w));
      PetscCall(PetscMalloc1(nraw, &grp->w));
      grp->wcap = nraw;
    }
    if (s == PINN_POINTS_INTERIOR && pinn->batch_size > 0 && pinn->batch_size < pts->N && pinn->in_adam) {
      const PetscInt N = pts->N, B = pinn->batch_size, lo = (PetscInt)(((PetscInt64)N * rank) / size),
                     hi = (PetscInt)(((PetscInt64)N * (rank + 1)) / size);
      for (PetscInt j = 0; j < B; j++) {
        const PetscInt gi = (PetscInt)(((PetscInt64)pinn->batch * B + j) % N);
        if (gi < lo || gi >= hi) continue;
        PetscCall(PetscArraycpy(&grp->x[d * n], &pts->x[d * (gi - lo)], d));
        if (grp->weighted) grp->w[n] = pts->w[gi - lo];
        n++;
      }
    } else {
      for (PetscInt p = 0; p < nraw; p++) {
        PetscBool keep = PETSC_TRUE;
        if (pts->tag && grp->ntags) {
          PetscInt loc;
          PetscCall(PetscFindInt(pts->tag[p], grp->ntags, grp->tags, &loc));
          keep = (PetscBool)(loc >= 0);
        }
        if (!keep) continue;
        PetscCall(PetscArraycpy(&grp->x[d * n], &pts->x[d * p], d));
        if (pts->normal) PetscCall(PetscArraycpy(&grp->normal[d * n], &pts->normal[d * p], d));
        if (grp->weighted) grp->w[n] = pts->w[p];
        n++;
      }
    }
    grp->n = n;
    PetscCall(MPIU_Allreduce(&n, &grp->N, 1, MPIU_INT, MPI_SUM, comm));
    for (PetscInt t = 0; t < pinn->nterms; t++)
      PetscCheck(pinn->terms[t].group != g || grp->N > 0, comm, PETSC_ERR_ARG_WRONG,
                 "Term \"%s\" has no points (%s set%s); give it points or remove it", pinn->terms[t].name, PINNPointSets[s],
                 grp->ntags ? " restricted to its boundary tags" : "");
  }
  PetscFunctionReturn(0);
}

PetscErrorCode PINNTermsDestroy_Private(PINN pinn)
{
  PetscFunctionBegin;
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    PINNTerm *term = &pinn->terms[t];
    PetscCall(PetscFree(term->name));
    PetscCall(PetscFree(term->tags));
    PetscCall(PetscFree2(term->q, term->stream));
    if (term->ctxdestroy) PetscCall((*term->ctxdestroy)(&term->ctx));
  }
  for (PetscInt g = 0; g < pinn->ngroups; g++) {
    PINNGroup *grp = &pinn->groups[g];
    PetscCall(PetscFree(grp->tags));
    for (PetscInt k = 0; k < pinn->nnets && grp->net; k++) {
      PetscCall(PetscFree2(grp->net[k].deriv, grp->net[k].pairs));
      PetscCall(PetscFree2(grp->net[k].y, grp->net[k].ybar));
    }
    PetscCall(PetscFree(grp->net));
    PetscCall(PetscFree2(grp->x, grp->normal));
    PetscCall(PetscFree(grp->w));
    PetscCall(PetscFree(grp->u));
    PetscCall(PetscFree2(grp->r, grp->dr));
  }
  PetscCall(PetscFree(pinn->terms));
  PetscCall(PetscFree(pinn->groups));
  pinn->nterms = pinn->ngroups = 0;
  PetscFunctionReturn(0);
}

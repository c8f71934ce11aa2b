/* The PINN object: set-up, point sets, the loss and its gradient, and error reporting. Training
   (monitor, checkpoints, restart) is in pinn/train.c, output in pinn/output.c. */
#include <nnpde/private/pinnimpl.h>
#include <nnpde/private/nnimpl.h>
#include <nnpde/adam.h>
#include <nnpde/sampler.h>

/*@C
  PINNRegister - Adds a PINN type (an implementation under pinn/impls/ filling the ops table).

  Not Collective

  Input Parameters:
+ name   - the type's name (-pinn_type name)
- create - its creation routine, which sets pinn->ops

  Level: advanced

.seealso: `PINNSetType()`, `PINNEULERIAN`
@*/
PetscErrorCode PINNRegister(const char name[], PetscErrorCode (*create)(PINN))
{
  PetscFunctionBegin;
  PetscCall(PINNInitializePackage());
  PetscCall(PetscFunctionListAdd(&PINNList, name, create));
  PetscFunctionReturn(0);
}

/*@
  PINNCreate - Creates a physics-informed trainer. Give it a geometry (PINNSetGeometry()), terms
  (PINNAddPoisson(), PINNAddDirichlet(), PINNAddTerm(), ...), then PINNSetFromOptions(),
  PINNTrain().

  Collective

  Level: beginner
@*/
PetscErrorCode PINNCreate(MPI_Comm comm, PINN *pinn)
{
  PINN p;

  PetscFunctionBegin;
  PetscValidPointer(pinn, 2);
  PetscCall(PINNInitializePackage());
  PetscCall(PetscHeaderCreate(p, PINN_CLASSID, "PINN", "Physics-informed neural network", "PINN", comm, PINNDestroy, PINNView));
  p->nc                             = 1;
  p->points[PINN_POINTS_INTERIOR].N = 2000;
  p->points[PINN_POINTS_BOUNDARY].N = 400;
  p->points[PINN_POINTS_INITIAL].N  = 400;
  p->Ntest                          = 10000;
  PetscCall(PINNSamplerCreate(comm, &p->sampler));
  PetscCall(PINNSamplerSetType(p->sampler, PINNSAMPLERUNIFORM));
  /* what works on the examples (README): Adam, then L-BFGS from where Adam left off; progress
     every 1000 steps and a summary at the end */
  p->adam_steps    = 3000;
  p->lbfgs_steps   = 3000;
  p->adam_lr       = 1e-3;
  p->monitor       = PETSC_TRUE;
  p->monitor_every = 1000;
  p->last_error    = -1;
  *pinn            = p;
  PetscFunctionReturn(0);
}

/*@C
  PINNSetType - Sets the kind of PINN (-pinn_type); before PINNSetUp().

  Collective

  Input Parameters:
+ pinn - the PINN
- type - PINNEULERIAN or a registered type

  Level: intermediate

.seealso: `PINNRegister()`, `PINNSetFromOptions()`
@*/
PetscErrorCode PINNSetType(PINN pinn, PINNType type)
{
  PetscErrorCode (*create)(PINN);
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)pinn, type, &same));
  if (same) PetscFunctionReturn(0);
  PetscCall(PetscFunctionListFind(PINNList, type, &create));
  PetscCheck(create, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_UNKNOWN_TYPE, "Unknown PINN type \"%s\" (known: eulerian, lagrangian)", type);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Cannot change the PINN type after PINNSetUp()");
  if (pinn->ops->destroy) PetscCall((*pinn->ops->destroy)(pinn));
  PetscCall(PetscMemzero(pinn->ops, sizeof(struct _PINNOps)));
  PetscCall(PetscObjectChangeTypeName((PetscObject)pinn, type));
  PetscCall((*create)(pinn));
  PetscFunctionReturn(0);
}

/*@
  PINNSetGeometry - Sets the domain; its dimension is the number of network inputs (time last
  for space-time geometries). The PINN takes a reference.

  Logically Collective

  Level: beginner

.seealso: `PINNGetGeometry()`, `PINNGeometryCreateBox()`
@*/
PetscErrorCode PINNSetGeometry(PINN pinn, PINNGeometry geom)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the geometry before PINNSetUp()");
  PetscCall(PetscObjectReference((PetscObject)geom));
  PetscCall(PINNGeometryDestroy(&pinn->geom));
  pinn->geom = geom;
  PetscCall(PINNGeometryGetDimension(geom, &pinn->dim));
  PetscCall(PINNGeometryIsSpaceTime(geom, &pinn->spacetime));
  pinn->nspace = pinn->spacetime ? pinn->dim - 1 : pinn->dim;
  PetscFunctionReturn(0);
}

/*@
  PINNGetGeometry - Gets the domain (borrowed).

  Not Collective

  Level: beginner

.seealso: `PINNSetGeometry()`
@*/
PetscErrorCode PINNGetGeometry(PINN pinn, PINNGeometry *geom)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  *geom = pinn->geom;
  PetscFunctionReturn(0);
}

/*@
  PINNSetNumComponents - Number of output components of the solution (default 1): the outputs
  of the default network "u".

  Logically Collective

  Level: beginner

.seealso: `PINNSetNetwork()`
@*/
PetscErrorCode PINNSetNumComponents(PINN pinn, PetscInt nc)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(nc > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "Number of components must be positive, got %" PetscInt_FMT, nc);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the number of components before PINNSetUp()");
  pinn->nc = nc;
  PetscFunctionReturn(0);
}

/*@C
  PINNSetNetwork - Gives the PINN a named network; terms refer to a network by its index in the
  order of the calls (PINNQuantity.net). Setting a name again replaces that network.

  Logically Collective

  Input Parameters:
+ pinn - the PINN
. name - the network's name (letters, digits, '_'), under which checkpoints store it
- nn   - the network, with the problem's inputs (the PINN takes a reference)

  Notes:
  Without any, PINNSetUp() creates one network "u" from the -pinn_nn_ options. What the networks
  mean is the type's: for PINNEULERIAN network 0 is the solution. The parameters of all networks
  form one Vec for the optimizer (PINNGetParameters()), concatenated in network order.

  Level: intermediate

.seealso: `PINNGetNetwork()`, `PINNGetNumNetworks()`, `PINNGetNetworkIndex()`, `PINNGetParameters()`
@*/
PetscErrorCode PINNSetNetwork(PINN pinn, const char name[], NN nn)
{
  MPI_Comm comm;
  PetscInt k;
  size_t   len;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidCharPointer(name, 2);
  PetscValidHeaderSpecific(nn, NN_CLASSID, 3);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscCheck(!pinn->setupcalled, comm, PETSC_ERR_ARG_WRONGSTATE, "Set the networks before PINNSetUp()");
  PetscCall(PetscStrlen(name, &len));
  PetscCheck(len > 0 && len < 64, comm, PETSC_ERR_ARG_WRONG, "A network needs a name of 1 to 63 characters");
  for (const char *c = name; *c; c++)
    PetscCheck((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_', comm, PETSC_ERR_ARG_WRONG,
               "Network name \"%s\" may hold only letters, digits and '_' (it names the network in checkpoints)", name);
  PetscCall(PINNGetNetworkIndex(pinn, name, &k));
  for (PetscInt i = 0; i < pinn->nnets; i++)
    PetscCheck(i == k || pinn->nets[i].nn != nn, comm, PETSC_ERR_ARG_WRONG, "Network \"%s\" is already the PINN's network \"%s\"", name,
               pinn->nets[i].name);
  PetscCall(PetscObjectReference((PetscObject)nn));
  if (k < 0) {
    PetscCheck(pinn->nnets < PINN_MAX_NETWORKS, comm, PETSC_ERR_SUP, "A PINN holds at most %d networks", PINN_MAX_NETWORKS);
    PetscCall(PetscRealloc(sizeof(PINNNetwork) * (pinn->nnets + 1), &pinn->nets));
    k = pinn->nnets++;
    PetscCall(PetscMemzero(&pinn->nets[k], sizeof(PINNNetwork)));
    PetscCall(PetscStrallocpy(name, &pinn->nets[k].name));
    pinn->nets[k].op_n = -1;
  } else
    PetscCall(NNDestroy(&pinn->nets[k].nn));
  pinn->nets[k].nn = nn;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetNetwork - Gets a network by name (borrowed).

  Collective once set up with several networks (the network's own parameter Vec is then brought
  up to date from the PINN's, PINNGetParameters()); else Not Collective

  Input Parameters:
+ pinn - the PINN
- name - the network's name ("u" for the default one)

  Output Parameter:
. nn - the network

  Level: intermediate

.seealso: `PINNSetNetwork()`, `PINNGetNetworkIndex()`
@*/
PetscErrorCode PINNGetNetwork(PINN pinn, const char name[], NN *nn)
{
  PetscInt k;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidCharPointer(name, 2);
  PetscValidPointer(nn, 3);
  PetscCall(PINNGetNetworkIndex(pinn, name, &k));
  PetscCheck(k >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONG, "The PINN has no network \"%s\"%s", name,
             pinn->setupcalled ? "" : " (the default \"u\" is created by PINNSetUp())");
  if (pinn->setupcalled && (pinn->nnets > 1 || pinn->tied)) PetscCall(PINNSyncNetworks_Private(pinn, PETSC_TRUE));
  *nn = pinn->nets[k].nn;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetNetworkIndex - The index of a named network (the PINNQuantity.net of its quantities), or
  -1 when the PINN has no network of that name.

  Not Collective

  Level: intermediate

.seealso: `PINNSetNetwork()`, `PINNGetNumNetworks()`
@*/
PetscErrorCode PINNGetNetworkIndex(PINN pinn, const char name[], PetscInt *index)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidCharPointer(name, 2);
  PetscValidIntPointer(index, 3);
  *index = -1;
  for (PetscInt k = 0; k < pinn->nnets; k++) {
    PetscBool same;
    PetscCall(PetscStrcmp(pinn->nets[k].name, name, &same));
    if (same) *index = k;
  }
  PetscFunctionReturn(0);
}

/*@C
  PINNGetNumNetworks - The number of networks, and optionally the name of network k.

  Not Collective

  Input Parameters:
+ pinn - the PINN
- k    - a network index, for its name (ignored when name is NULL)

  Output Parameters:
+ n    - the number of networks (may be NULL)
- name - the name of network k (may be NULL)

  Level: intermediate

.seealso: `PINNSetNetwork()`, `PINNGetNetworkIndex()`
@*/
PetscErrorCode PINNGetNumNetworks(PINN pinn, PetscInt k, PetscInt *n, const char *name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (n) *n = pinn->nnets;
  if (name) {
    PetscCheck(k >= 0 && k < pinn->nnets, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "No network %" PetscInt_FMT " (there are %" PetscInt_FMT ")", k,
               pinn->nnets);
    *name = pinn->nets[k].name;
  }
  PetscFunctionReturn(0);
}

/*@
  PINNGetParameters - The parameters of all networks as one Vec (borrowed), concatenated in network
  order: what the optimizer works on. With one network it is that network's own parameter Vec.

  Collective (sets the PINN up)

  Level: intermediate

.seealso: `PINNComputeObjectiveGradient()`, `PINNSetNetwork()`
@*/
PetscErrorCode PINNGetParameters(PINN pinn, Vec *theta)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(theta, 2);
  PetscCall(PINNSetUp(pinn));
  *theta = pinn->theta;
  PetscFunctionReturn(0);
}

PetscErrorCode PINNTieParameters_Private(PINN pinn, PetscInt dst, PetscInt doff, PetscInt src, PetscInt soff, PetscInt n)
{
  PetscFunctionBegin;
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Tie parameters before PINNSetUp()");
  PetscCheck(dst >= 0 && dst < pinn->nnets && src >= 0 && src < pinn->nnets && doff >= 0 && soff >= 0 && n >= 0, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "Bad tie: network %" PetscInt_FMT " entries %" PetscInt_FMT "+%" PetscInt_FMT " to network %" PetscInt_FMT " entries %" PetscInt_FMT
             " (%" PetscInt_FMT " networks)",
             dst, doff, n, src, soff, pinn->nnets);
  PetscCall(PetscRealloc(sizeof(PINNTie) * (pinn->ntie + 1), &pinn->ties));
  pinn->ties[pinn->ntie].dst  = dst;
  pinn->ties[pinn->ntie].doff = doff;
  pinn->ties[pinn->ntie].src  = src;
  pinn->ties[pinn->ntie].soff = soff;
  pinn->ties[pinn->ntie].n    = n;
  pinn->ntie++;
  PetscFunctionReturn(0);
}

/* The map of the ties, once the networks' sizes are known: root[i], the network entry that entry i
   copies (following chains), and tied[i], its entry of the parameter Vec: the untied entries in
   network order */
static PetscErrorCode PINNResolveTies(PINN pinn)
{
  const PetscInt Pnet = pinn->Pnet;
  PetscInt      *root, *tied, P = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc3(Pnet, &pinn->tied, Pnet, &pinn->root, Pnet, &pinn->theta_net));
  root = pinn->root, tied = pinn->tied;
  for (PetscInt i = 0; i < Pnet; i++) root[i] = i;
  for (PetscInt t = 0; t < pinn->ntie; t++) {
    const PINNTie     *tie = &pinn->ties[t];
    const PINNNetwork *d = &pinn->nets[tie->dst], *s = &pinn->nets[tie->src];
    PetscCheck(tie->doff + tie->n <= d->P && tie->soff + tie->n <= s->P, PETSC_COMM_SELF, PETSC_ERR_PLIB,
               "Tie of %" PetscInt_FMT " entries out of range: network \"%s\" at %" PetscInt_FMT " (%" PetscInt_FMT
               " parameters), \"%s\" at %" PetscInt_FMT " (%" PetscInt_FMT ")",
               tie->n, d->name, tie->doff, d->P, s->name, tie->soff, s->P);
    for (PetscInt j = 0; j < tie->n; j++) {
      const PetscInt i = d->off + tie->doff + j;
      PetscCheck(root[i] == i && i != s->off + tie->soff + j, PETSC_COMM_SELF, PETSC_ERR_PLIB,
                 "Entry %" PetscInt_FMT " of network \"%s\" tied twice or to itself", tie->doff + j, d->name);
      root[i] = s->off + tie->soff + j;
    }
  }
  for (PetscInt i = 0; i < Pnet; i++) { /* follow the chains; a cycle would not end */
    PetscInt r = root[i], steps = 0;
    while (root[r] != r) {
      r = root[r];
      PetscCheck(++steps <= Pnet, PETSC_COMM_SELF, PETSC_ERR_PLIB, "The tied parameters form a cycle");
    }
    root[i] = r;
  }
  for (PetscInt i = 0; i < Pnet; i++)
    if (root[i] == i) tied[i] = P++;
  for (PetscInt i = 0; i < Pnet; i++) tied[i] = tied[root[i]];
  pinn->P = P;
  PetscFunctionReturn(0);
}

/* Gather theta to every rank (unless it is the Vec gathered last, unchanged) and lend each network
   its slice: the networks then evaluate at theta, with no copy into their own Vecs. */
PetscErrorCode PINNLendParameters_Private(PINN pinn, Vec theta)
{
  PetscObjectId      id;
  PetscObjectState   state;
  const PetscScalar *a, *all;
  PetscBool          gathered = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetId((PetscObject)theta, &id));
  PetscCall(PetscObjectStateGet((PetscObject)theta, &state));
  if (id != pinn->theta_all_id || state != pinn->theta_all_state) {
    PetscInt n, nmine, N;
    PetscCall(VecGetSize(theta, &N));
    PetscCall(VecGetLocalSize(theta, &n));
    PetscCall(VecGetLocalSize(pinn->theta, &nmine));
    PetscCheck(N == pinn->P && n == nmine, PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ,
               "Parameter Vec of size %" PetscInt_FMT " (%" PetscInt_FMT " here) does not have the layout of PINNGetParameters() (%" PetscInt_FMT
               ", %" PetscInt_FMT " here)",
               N, n, pinn->P, nmine);
    PetscCall(VecScatterBegin(pinn->toall, theta, pinn->theta_all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(pinn->toall, theta, pinn->theta_all, INSERT_VALUES, SCATTER_FORWARD));
    pinn->theta_all_id    = id;
    pinn->theta_all_state = state;
    gathered              = PETSC_TRUE;
  }
  PetscCall(VecGetArrayRead(pinn->theta_all, &all));
  a = all;
  if (pinn->tied) { /* the networks' entries, tied ones copied */
    if (gathered)
      for (PetscInt i = 0; i < pinn->Pnet; i++) pinn->theta_net[i] = all[pinn->tied[i]];
    a = pinn->theta_net;
  }
  for (PetscInt k = 0; k < pinn->nnets; k++) PetscCall(NNSetLocalParameters_Private(pinn->nets[k].nn, a + pinn->nets[k].off));
  PetscCall(VecRestoreArrayRead(pinn->theta_all, &all)); /* a sequential host Vec: the array stays valid */
  PetscFunctionReturn(0);
}

PetscErrorCode PINNReturnParameters_Private(PINN pinn)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < pinn->nnets; k++) PetscCall(NNSetLocalParameters_Private(pinn->nets[k].nn, NULL));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNReduceGradient_Private(PINN pinn, Vec G)
{
  PetscReal   *sum;
  PetscScalar *g;
  PetscInt     lo, hi, n;

  PetscFunctionBegin;
  PetscCall(VecGetSize(G, &n));
  PetscCheck(n == pinn->P, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_SIZ,
             "Gradient Vec has size %" PetscInt_FMT ", the networks %" PetscInt_FMT " parameters", n, pinn->P);
  PetscCall(PetscMalloc1(pinn->P, &sum));
  if (pinn->tied) { /* each tied entry's gradient goes to the entry it takes */
    PetscCall(PetscArrayzero(sum, pinn->P));
    for (PetscInt i = 0; i < pinn->Pnet; i++) sum[pinn->tied[i]] += pinn->glocal[i];
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sum, pinn->P, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)pinn)));
  } else
    PetscCall(MPIU_Allreduce(pinn->glocal, sum, pinn->P, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)pinn)));
  PetscCall(VecGetOwnershipRange(G, &lo, &hi));
  PetscCall(VecGetArrayWrite(G, &g));
  for (PetscInt i = lo; i < hi; i++) g[i - lo] = sum[i];
  PetscCall(VecRestoreArrayWrite(G, &g));
  PetscCall(PetscFree(sum));
  PetscFunctionReturn(0);
}

/* With several networks: copy the PINN's parameter Vec into the networks' own (tonets), or back */
PetscErrorCode PINNSyncNetworks_Private(PINN pinn, PetscBool tonets)
{
  PetscFunctionBegin;
  if (pinn->nnets < 2 && !pinn->tied) PetscFunctionReturn(0); /* the network's Vec is the PINN's */
  if (tonets) {
    const PetscScalar *a, *all;
    PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
    PetscCall(PINNReturnParameters_Private(pinn));
    PetscCall(VecGetArrayRead(pinn->theta_all, &all));
    a = pinn->tied ? pinn->theta_net : all; /* theta_net: filled by the lending above */
    for (PetscInt k = 0; k < pinn->nnets; k++) {
      Vec          v;
      PetscScalar *p;
      PetscInt     lo, hi;
      PetscCall(NNGetParameters(pinn->nets[k].nn, &v));
      PetscCall(VecGetOwnershipRange(v, &lo, &hi));
      PetscCall(VecGetArrayWrite(v, &p));
      for (PetscInt i = lo; i < hi; i++) p[i - lo] = a[pinn->nets[k].off + i];
      PetscCall(VecRestoreArrayWrite(v, &p));
    }
    PetscCall(VecRestoreArrayRead(pinn->theta_all, &all));
  } else {
    PetscScalar *p;
    PetscInt     lo, hi;
    PetscCall(VecGetOwnershipRange(pinn->theta, &lo, &hi));
    PetscCall(VecGetArrayWrite(pinn->theta, &p));
    for (PetscInt k = 0; k < pinn->nnets; k++) {
      const PetscReal *t;
      const PetscInt   off = pinn->nets[k].off, P = pinn->nets[k].P;
      PetscCall(NNGetLocalParameters_Private(pinn->nets[k].nn, &t));
      if (pinn->tied) { /* a tied entry takes the value of the entry it copies, in its network */
        for (PetscInt i = off; i < off + P; i++)
          if (pinn->root[i] == i && pinn->tied[i] >= lo && pinn->tied[i] < hi) p[pinn->tied[i] - lo] = t[i - off];
      } else
        for (PetscInt i = PetscMax(lo, off); i < PetscMin(hi, off + P); i++) p[i - lo] = t[i - off];
    }
    PetscCall(VecRestoreArrayWrite(pinn->theta, &p));
  }
  PetscFunctionReturn(0);
}

/* Networks read from a checkpoint into a PINN with tied parameters must hold equal values in the
   tied entries (a checkpoint written with the ties does): otherwise it was written without them, and
   taking only the entries the copies point to would drop the rest silently. Every rank holds the
   networks' whole parameters, so the check is collective. */
static PetscErrorCode PINNCheckTiedNetworks(PINN pinn)
{
  PetscReal *all;
  PetscInt   bad = -1;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(pinn->Pnet, &all));
  for (PetscInt k = 0; k < pinn->nnets; k++) {
    const PetscReal *t;
    PetscCall(NNGetLocalParameters_Private(pinn->nets[k].nn, &t));
    PetscCall(PetscArraycpy(all + pinn->nets[k].off, t, pinn->nets[k].P));
  }
  for (PetscInt i = 0; i < pinn->Pnet && bad < 0; i++)
    if (pinn->root[i] != i && all[i] != all[pinn->root[i]]) bad = i;
  PetscCall(PetscFree(all));
  if (bad >= 0) {
    PetscInt k = 0;
    while (k + 1 < pinn->nnets && bad >= pinn->nets[k + 1].off) k++;
    SETERRQ(PetscObjectComm((PetscObject)pinn), PETSC_ERR_FILE_UNEXPECTED,
            "Checkpoint: network \"%s\" entry %" PetscInt_FMT " differs from the entry it is tied to: the checkpoint was written without the "
            "PINN's weight sharing (e.g. -pinn_lagrangian_share_weights); restart with the same sharing as the run that wrote it",
            pinn->nets[k].name, bad - pinn->nets[k].off);
  }
  PetscFunctionReturn(0);
}

/* Each network under its name (the default "u" where checkpoints always had it), then the type's state */
PetscErrorCode PINNCheckpointWriteNetworks_Private(PINN pinn, NNCheckpoint ck)
{
  PetscFunctionBegin;
  PetscCall(PINNSyncNetworks_Private(pinn, PETSC_TRUE));
  for (PetscInt k = 0; k < pinn->nnets; k++) PetscCall(NNCheckpointWriteNN(ck, pinn->nets[k].name, pinn->nets[k].nn));
  if (pinn->ops->checkpointwrite) PetscCall((*pinn->ops->checkpointwrite)(pinn, ck));
  PetscFunctionReturn(0);
}

PetscErrorCode PINNCheckpointReadNetworks_Private(PINN pinn, NNCheckpoint ck)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < pinn->nnets; k++) PetscCall(NNCheckpointReadNN(ck, pinn->nets[k].name, pinn->nets[k].nn));
  if (pinn->tied) PetscCall(PINNCheckTiedNetworks(pinn));
  PetscCall(PINNSyncNetworks_Private(pinn, PETSC_FALSE));
  if (pinn->ops->checkpointread) PetscCall((*pinn->ops->checkpointread)(pinn, ck));
  PetscFunctionReturn(0);
}

/*@
  PINNSetNumPoints - Global numbers of interior, boundary and initial points
  (-pinn_interior_points, -pinn_boundary_points, -pinn_initial_points).

  Logically Collective

  Level: beginner

.seealso: `PINNGetPointSetSizes()`, `PINNSetSampler()`
@*/
PetscErrorCode PINNSetNumPoints(PINN pinn, PetscInt ninterior, PetscInt nboundary, PetscInt ninitial)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the point counts before PINNSetUp()");
  PetscCheck(ninterior >= 0 && nboundary >= 0 && ninitial >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Point counts must be nonnegative, got %" PetscInt_FMT ", %" PetscInt_FMT ", %" PetscInt_FMT, ninterior, nboundary, ninitial);
  pinn->points[PINN_POINTS_INTERIOR].N = ninterior;
  pinn->points[PINN_POINTS_BOUNDARY].N = nboundary;
  pinn->points[PINN_POINTS_INITIAL].N  = ninitial;
  PetscFunctionReturn(0);
}

/*@
  PINNSetSampler - Sets the sampler that draws the PINN's point sets (by default a uniform one,
  changed with -pinn_sample_type or -pinn_sampler_type). The PINN takes a reference.

  Logically Collective

  Level: intermediate

.seealso: `PINNGetSampler()`, `PINNSamplerCreate()`, `PINNSetSamplerFunction()`
@*/
PetscErrorCode PINNSetSampler(PINN pinn, PINNSampler sampler)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidHeaderSpecific(sampler, PINNSAMPLER_CLASSID, 2);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the sampler before PINNSetUp()");
  PetscCall(PetscObjectReference((PetscObject)sampler));
  PetscCall(PINNSamplerDestroy(&pinn->sampler));
  pinn->sampler = sampler;
  PetscFunctionReturn(0);
}

/*@
  PINNGetSampler - Gets the sampler that draws the PINN's point sets (borrowed).

  Not Collective

  Level: intermediate

.seealso: `PINNSetSampler()`
@*/
PetscErrorCode PINNGetSampler(PINN pinn, PINNSampler *sampler)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(sampler, 2);
  *sampler = pinn->sampler;
  PetscFunctionReturn(0);
}

typedef struct {
  PINNSamplerFn fn;
  void         *ctx;
} SamplerFunction;

static PetscErrorCode SamplerFunctionDraw(PINNSampler s, PINN pinn, PINNPointSet region, PetscInt draw, PetscInt N, PetscInt *n, PetscReal **x,
                                          PetscReal **w, void *ctx)
{
  SamplerFunction *f = (SamplerFunction *)ctx;

  PetscFunctionBegin;
  (void)s, (void)region, (void)w;
  PetscCall((*f->fn)(pinn, f->ctx, draw, N, n, x));
  PetscFunctionReturn(0);
}

static PetscErrorCode SamplerFunctionDestroy(void *ctx)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(ctx));
  PetscFunctionReturn(0);
}

/*@C
  PINNSetSamplerFunction - Draws the interior points with a callback: makes the PINN's sampler a
  shell sampler (PINNSAMPLERSHELL) with fn for the interior; the other point sets keep coming from
  the geometry with the current sample type and seed.

  Logically Collective

  Input Parameters:
+ pinn - the PINN
. fn   - the callback (see PINNSamplerFn)
- ctx  - its context

  Level: intermediate

.seealso: `PINNSetSampler()`, `PINNSamplerShellSetDraw()`
@*/
PetscErrorCode PINNSetSamplerFunction(PINN pinn, PINNSamplerFn fn, void *ctx)
{
  SamplerFunction *f;
  PINNSampleType   q;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSamplerGetSampleType(pinn->sampler, &q));
  PetscCall(PINNSamplerSetType(pinn->sampler, PINNSAMPLERSHELL));
  PetscCall(PINNSamplerSetSampleType(pinn->sampler, q));
  PetscCall(PetscNew(&f));
  f->fn  = fn;
  f->ctx = ctx;
  PetscCall(PINNSamplerShellSetDraw(pinn->sampler, PINN_POINTS_INTERIOR, SamplerFunctionDraw, f, SamplerFunctionDestroy));
  PetscFunctionReturn(0);
}

/*@C
  PINNSetExactSolution - An exact or reference solution, for the relative L2 error on the test
  points (PINNComputeError(), the monitor, -pinn_target_error).

  Logically Collective

  Input Parameters:
+ pinn - the PINN
. fn   - the solution, pointwise
- ctx  - its context

  Level: beginner

.seealso: `PINNComputeError()`, `PINNSetTestPoints()`
@*/
PetscErrorCode PINNSetExactSolution(PINN pinn, PINNFieldFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  pinn->exact     = fn;
  pinn->exact_ctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  PINNSetSteps - Adam then L-BFGS iterations (-pinn_adam_steps, -pinn_lbfgs_steps).

  Logically Collective

  Level: beginner

.seealso: `PINNTrain()`, `PINNSetLearningRate()`
@*/
PetscErrorCode PINNSetSteps(PINN pinn, PetscInt adam_steps, PetscInt lbfgs_steps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(adam_steps >= 0 && lbfgs_steps >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Step counts must be nonnegative, got %" PetscInt_FMT " and %" PetscInt_FMT, adam_steps, lbfgs_steps);
  PetscCheck(!pinn->tr, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the steps before training starts");
  pinn->adam_steps  = adam_steps;
  pinn->lbfgs_steps = lbfgs_steps;
  PetscFunctionReturn(0);
}

/* Adam moves every parameter by about lr per step: above 1 a network only saturates or diverges */
PetscErrorCode PINNCheckLearningRate_Private(PINN pinn, const char name[])
{
  PetscFunctionBegin;
  PetscCheck(pinn->adam_lr > 0 && pinn->adam_lr <= PINN_MAX_ADAM_LR, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "%s %g is outside (0, %g]: Adam changes every parameter by about this much per step (1e-3 is typical)", name, (double)pinn->adam_lr,
             (double)PINN_MAX_ADAM_LR);
  PetscFunctionReturn(0);
}

/*@
  PINNSetLearningRate - Adam's learning rate (-pinn_adam_lr), in (0, 1].

  Logically Collective

  Level: beginner

.seealso: `PINNSetSteps()`
@*/
PetscErrorCode PINNSetLearningRate(PINN pinn, PetscReal lr)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  pinn->adam_lr = lr;
  PetscCall(PINNCheckLearningRate_Private(pinn, "The learning rate"));
  PetscFunctionReturn(0);
}

/*@
  PINNSetSampleType - How the sampler draws points (uniform, sobol, halton; -pinn_sample_type) and
  its seed (-pinn_seed).

  Logically Collective

  Level: intermediate

.seealso: `PINNSetSampler()`
@*/
PetscErrorCode PINNSetSampleType(PINN pinn, PINNSampleType type, PetscInt seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(seed >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The seed must be nonnegative, got %" PetscInt_FMT, seed);
  PetscCall(PINNSamplerSetSampleType(pinn->sampler, type));
  PetscCall(PINNSamplerSetSeed(pinn->sampler, seed));
  PetscFunctionReturn(0);
}

/*@
  PINNSetBatchSize - Interior points per Adam step (-pinn_batch_size; 0: all).

  Logically Collective

  Level: intermediate

.seealso: `PINNSetResampleEvery()`
@*/
PetscErrorCode PINNSetBatchSize(PINN pinn, PetscInt b)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(b >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The batch size must be nonnegative (0: full batch), got %" PetscInt_FMT, b);
  pinn->batch_size = b;
  PetscFunctionReturn(0);
}

/*@
  PINNSetResampleEvery - Redraw the interior points every this many Adam steps
  (-pinn_resample_every; 0: never).

  Logically Collective

  Level: intermediate

.seealso: `PINNSetBatchSize()`, `PINNSetSampler()`
@*/
PetscErrorCode PINNSetResampleEvery(PINN pinn, PetscInt every)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(every >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The resampling interval must be nonnegative (0: never), got %" PetscInt_FMT, every);
  pinn->resample_every = every;
  PetscFunctionReturn(0);
}

/*@
  PINNSetTestPoints - Number of interior test points for the error (-pinn_test_points).

  Logically Collective

  Level: intermediate

.seealso: `PINNComputeError()`
@*/
PetscErrorCode PINNSetTestPoints(PINN pinn, PetscInt n)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(n > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The number of test points must be positive, got %" PetscInt_FMT,
             n);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set the test points before PINNSetUp()");
  pinn->Ntest = n;
  if (pinn->testuser) { /* back to uniform points */
    PetscCall(PetscFree(pinn->xtest));
    PetscCall(PetscFree(pinn->wtest));
    pinn->testuser = PETSC_FALSE;
  }
  PetscFunctionReturn(0);
}

/*@
  PINNSetTestSet - The points of the relative L2 error, given by the caller instead of uniform draws:
  a quadrature rule, or an importance-sampled set for a solution that is small on most of the
  domain. The error is then sqrt(sum_p w_p |u - u*|^2 / sum_p w_p |u*|^2).

  Collective

  Input Parameters:
+ pinn - the PINN
. n    - this rank's number of points (any split across ranks; the total must be positive)
. x    - the points, n x dim (copied)
- w    - their positive weights (copied), or NULL for 1: quadrature weights, or 1/q for points drawn from a density q

  Notes:
  Call before `PINNSetUp()`. The error no longer depends on the seed: the same test set for every run.
  `PINNSetTestPoints()` afterwards returns to uniform points; `-pinn_test_points` with a test set is an error.

  Level: intermediate

.seealso: `PINNComputeError()`, `PINNSetTestPoints()`, `PINNSetExactSolution()`
@*/
PetscErrorCode PINNSetTestSet(PINN pinn, PetscInt n, const PetscReal x[], const PetscReal w[])
{
  MPI_Comm  comm;
  PetscInt  bad[2] = {0, 0}, N;                                                 /* bad[0]: a point not finite; bad[1]: a weight not finite or <= 0 */
  PetscBool any_w = w ? PETSC_TRUE : PETSC_FALSE, all_w = (PetscBool)(w || !n); /* a rank without points may omit them */

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscCheck(!pinn->setupcalled, comm, PETSC_ERR_ARG_WRONGSTATE, "Set the test points before PINNSetUp()");
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "The number of test points must be nonnegative, got %" PetscInt_FMT, n);
  PetscCheck(pinn->dim > 0, comm, PETSC_ERR_ARG_WRONGSTATE, "Set the geometry (PINNSetGeometry()) before the test set");
  if (n) PetscValidRealPointer(x, 3);
  for (PetscInt i = 0; i < n * pinn->dim; i++)
    if (PetscIsInfOrNanReal(x[i])) bad[0]++;
  for (PetscInt i = 0; w && i < n; i++)
    if (PetscIsInfOrNanReal(w[i]) || !(w[i] > 0)) bad[1]++;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, bad, 2, MPIU_INT, MPI_SUM, comm));
  PetscCall(MPIU_Allreduce(&n, &N, 1, MPIU_INT, MPI_SUM, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &any_w, 1, MPIU_BOOL, MPI_LOR, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &all_w, 1, MPIU_BOOL, MPI_LAND, comm));
  PetscCheck(all_w || !any_w, comm, PETSC_ERR_ARG_WRONG, "Give the test weights on every rank that has test points, or on none");
  PetscCheck(N > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "The test set has no points");
  PetscCheck(!bad[0], comm, PETSC_ERR_ARG_OUTOFRANGE, "%" PetscInt_FMT " test point coordinate(s) are not finite", bad[0]);
  PetscCheck(!bad[1], comm, PETSC_ERR_ARG_OUTOFRANGE, "%" PetscInt_FMT " test weight(s) are not finite and positive", bad[1]);
  PetscCall(PetscFree(pinn->xtest));
  PetscCall(PetscFree(pinn->wtest));
  PetscCall(PetscMalloc1(n * pinn->dim, &pinn->xtest));
  PetscCall(PetscArraycpy(pinn->xtest, x, n * pinn->dim));
  if (any_w && n) {
    PetscCall(PetscMalloc1(n, &pinn->wtest));
    PetscCall(PetscArraycpy(pinn->wtest, w, n));
  }
  pinn->ntest    = n;
  pinn->Ntest    = N;
  pinn->testuser = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* Relative L2 error on the test points, weighted (PINNSetTestSet()) or not, for the types' computeerror */
PetscErrorCode PINNComputeTestSetError_Private(PINN pinn, PetscReal *err)
{
  PetscReal s[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(PINNEvaluate(pinn, pinn->ntest, pinn->xtest, pinn->utest));
  for (PetscInt p = 0; p < pinn->ntest; p++) {
    const PetscReal w = pinn->wtest ? pinn->wtest[p] : 1;
    for (PetscInt c = 0; c < pinn->nc; c++) {
      const PetscInt i = p * pinn->nc + c;
      s[0] += w * PetscSqr(pinn->utest[i] - pinn->uexact[i]);
      s[1] += w * PetscSqr(pinn->uexact[i]);
    }
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, s, 2, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)pinn)));
  PetscCheck(s[1] > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONG,
             "The exact solution vanishes on all test points; a relative error is undefined");
  *err = PetscSqrtReal(s[0] / s[1]);
  PetscFunctionReturn(0);
}

/*@C
  PINNSetMonitor - Progress printing (-pinn_monitor), its interval (-pinn_monitor_every) and a CSV
  loss history (-pinn_monitor_history; NULL or "" for none).

  Logically Collective

  Level: beginner

.seealso: `PINNTrain()`
@*/
PetscErrorCode PINNSetMonitor(PINN pinn, PetscBool flg, PetscInt every, const char history[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(every > 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The monitor interval must be positive, got %" PetscInt_FMT,
             every);
  pinn->monitor       = flg;
  pinn->monitor_every = every;
  PetscCall(PetscStrncpy(pinn->history, history ? history : "", sizeof(pinn->history)));
  PetscFunctionReturn(0);
}

/*@
  PINNSetTargetError - Stop training once the relative L2 error is at most this
  (-pinn_target_error; 0: never; needs an exact solution).

  Logically Collective

  Level: intermediate

.seealso: `PINNSetExactSolution()`
@*/
PetscErrorCode PINNSetTargetError(PINN pinn, PetscReal target)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(target >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "The target error must be nonnegative (0: none), got %g",
             (double)target);
  pinn->target_error = target;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetPoints - This rank's points of a set (borrowed, n x dim) and, for the boundary, their
  outward unit normals (may be NULL).

  Not Collective

  Level: intermediate

.seealso: `PINNGetPointSetSizes()`, `PINNGetPointTags()`, `PINNGetPointWeights()`
@*/
PetscErrorCode PINNGetPoints(PINN pinn, PINNPointSet set, PetscInt *n, const PetscReal *x[], const PetscReal *normal[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCheck(set >= PINN_POINTS_INTERIOR && set <= PINN_POINTS_INITIAL, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Unknown point set %d", (int)set);
  if (n) *n = pinn->points[set].n;
  if (x) *x = pinn->points[set].x;
  if (normal) *normal = pinn->points[set].normal;
  PetscFunctionReturn(0);
}

static PetscErrorCode PINNCheckPointSet_Private(PINN pinn, PINNPointSet set)
{
  PetscFunctionBegin;
  PetscCheck(pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCheck(set >= PINN_POINTS_INTERIOR && set <= PINN_POINTS_INITIAL, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "Unknown point set %d", (int)set);
  PetscFunctionReturn(0);
}

/*@
  PINNGetPointSetSizes - The number of points of a set on this rank and in all.

  Not Collective

  Input Parameters:
+ pinn - the PINN, set up
- set  - PINN_POINTS_INTERIOR, PINN_POINTS_BOUNDARY or PINN_POINTS_INITIAL

  Output Parameters:
+ n - local points (may be NULL)
- N - global points (may be NULL)

  Level: intermediate

.seealso: `PINNGetPoints()`, `PINNGetPointWeights()`
@*/
PetscErrorCode PINNGetPointSetSizes(PINN pinn, PINNPointSet set, PetscInt *n, PetscInt *N)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  if (n) *n = pinn->points[set].n;
  if (N) *N = pinn->points[set].N;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetPointTags - The boundary-part tag of each local point of a set (borrowed; NULL except for
  the boundary set).

  Not Collective

  Level: intermediate

.seealso: `PINNGetPoints()`, `PINNGeometryGetNumParts()`
@*/
PetscErrorCode PINNGetPointTags(PINN pinn, PINNPointSet set, const PetscInt *tag[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(tag, 3);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  *tag = pinn->points[set].tag;
  PetscFunctionReturn(0);
}

/*@C
  PINNGetPointWeights - Gives access to the per-point weights of this rank's points of a set, to
  read or change; return them with PINNRestorePointWeights().

  Not Collective

  Input Parameters:
+ pinn - the PINN, set up
- set  - PINN_POINTS_INTERIOR, PINN_POINTS_BOUNDARY or PINN_POINTS_INITIAL

  Output Parameter:
. w - n weights, one per local point (PINNGetPointSetSizes()); all 1 unless changed

  Notes:
  A term on the set contributes weight * (1/N) sum_p w_p sum_k r_pk^2 to the loss, N the number
  of points in the term's group (all ranks). Redrawing the points (-pinn_resample_every, a sampler)
  resets the weights to 1.

  Level: intermediate

.seealso: `PINNRestorePointWeights()`, `PINNGetPoints()`, `PINNComputeLoss()`
@*/
PetscErrorCode PINNGetPointWeights(PINN pinn, PINNPointSet set, PetscReal *w[])
{
  PINNPoints *pts;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(w, 3);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  pts = &pinn->points[set];
  if (!pts->w) {
    PetscCall(PetscMalloc1(pts->n, &pts->w));
    for (PetscInt p = 0; p < pts->n; p++) pts->w[p] = 1;
  }
  *w = pts->w;
  PetscFunctionReturn(0);
}

/*@C
  PINNRestorePointWeights - Returns the weights of PINNGetPointWeights(); the next loss uses them.

  Collective (the terms' point groups are rebuilt)

  Level: intermediate

.seealso: `PINNGetPointWeights()`
@*/
PetscErrorCode PINNRestorePointWeights(PINN pinn, PINNPointSet set, PetscReal *w[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidPointer(w, 3);
  PetscCall(PINNCheckPointSet_Private(pinn, set));
  PetscCheck(*w == pinn->points[set].w, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Restore the array PINNGetPointWeights() gave for this set");
  *w = NULL;
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscFunctionReturn(0);
}

/*@C
  PINNSetCheckpoint - Checkpoint file written during training every `every` steps
  (-pinn_checkpoint, -pinn_checkpoint_every; 0: at the end only).

  Logically Collective

  Level: intermediate

.seealso: `PINNWriteCheckpoint()`, `PINNReadCheckpoint()`
@*/
PetscErrorCode PINNSetCheckpoint(PINN pinn, const char file[], PetscInt every)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(every >= 0, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE,
             "The checkpoint interval must be nonnegative, got %" PetscInt_FMT, every);
  PetscCall(PetscStrncpy(pinn->checkpoint, file ? file : "", sizeof(pinn->checkpoint)));
  pinn->checkpoint_every = every;
  PetscFunctionReturn(0);
}

/* u = g + phi N with phi the geometry's distance function, for every component */
static PetscErrorCode HardDirichletTransform(void *ctx, PetscInt n, PetscInt d, PetscInt m, const PetscReal x[], PetscInt order, PetscReal g[],
                                             PetscReal phi[])
{
  PINN           pinn = (PINN)ctx;
  const PetscInt jt   = 1 + d + d * d + (order >= 3 ? d * d * d : 0);

  PetscFunctionBegin;
  if (pinn->hard_g)
    PetscCall((*pinn->hard_g)(pinn->hard_ctx, n, d, m, x, order, g, phi));
  else
    PetscCall(PetscArrayzero(g, n * m * jt));
  PetscCall(PINNGeometryDistance(pinn->geom, n, x, order, phi));
  /* the distance is one record per point; spread it over the components, last point first */
  for (PetscInt p = n - 1; p >= 0; p--)
    for (PetscInt o = m - 1; o >= 0; o--)
      if (p * m + o != p) PetscCall(PetscArraycpy(&phi[(p * m + o) * jt], &phi[p * jt], jt));
  PetscFunctionReturn(0);
}

/*@C
  PINNSetHardDirichlet - Imposes u = g on the whole boundary exactly, through the output
  transform u = g + phi N, phi the geometry's distance function (PINNGeometryDistance()).

  Input Parameters:
+ pinn - the PINN
. g    - fills g[] with the jets of the lifting g (layout of NNOutputTransformFn; its phi argument
         is scratch), or NULL for g = 0
- ctx  - context of g

  Level: intermediate
@*/
PetscErrorCode PINNSetHardDirichlet(PINN pinn, NNOutputTransformFn g, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(!pinn->setupcalled, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE, "Set hard conditions before PINNSetUp()");
  pinn->hard     = PETSC_TRUE;
  pinn->hard_g   = g;
  pinn->hard_ctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  PINNSetFromOptions - Options (prefix -pinn_): -pinn_type, -pinn_interior_points,
  -pinn_boundary_points, -pinn_initial_points, -pinn_test_points, -pinn_sample_type
  <uniform,sobol,halton> (the sampler's type; for a shell sampler, its geometry draws), -pinn_seed,
  -pinn_sampler_type <uniform,sobol,halton,shell,rad,rard,rarg,das,aas>, -pinn_sampler_diagnostics,
  -pinn_sampler_diagnostics_probe, -pinn_sampler_dump, -pinn_sampler_dump_grid (PINNSamplerSetDiagnostics(),
  PINNSamplerSetDump()), -pinn_batch_size, -pinn_resample_every, -pinn_adam_steps,
  -pinn_lbfgs_steps, -pinn_adam_lr, -pinn_monitor, -pinn_monitor_every, -pinn_monitor_history,
  -pinn_checkpoint, -pinn_checkpoint_every, -pinn_restart, -pinn_<term>_weight; the network's
  under -pinn_nn_ and each optimizer's under -pinn_adam_tao_ and -pinn_lbfgs_tao_.

  Options Database Keys (further ones, also shown by -help; -pinn_view is read by PINNSetUp(), the trainer's options
  when the trainer is created, by PINNTrain() or PINNGetTrainer()):
+ -pinn_target_error <0> - stop once the relative L2 error is at most this (0: never; PINNSetTargetError(), needs an
                           exact solution)
. -pinn_sampler_seed <s> - the sampler's own seed option, read after -pinn_seed (its default), so it overrides it
                           (PINNSamplerSetSeed())
. -pinn_view - view the PINN at the end of PINNSetUp() (PINNView())
. -pinn_trainer_view - view the trainer when training starts
. -pinn_divergence_factor <1e6> - stop when the loss exceeds this times its reference (0: never;
                                  NNTrainerSetDivergenceFactor())
. -pinn_max_time <0> - stop with a checkpoint after this many seconds (0: no limit; NNTrainerSetMaxTime())
- -pinn_lagrangian_* - the options of the type lagrangian (see PINNLAGRANGIAN)

  Level: beginner
@*/
PetscErrorCode PINNSetFromOptions(PINN pinn)
{
  char           type[256];
  PetscBool      flg, qset = PETSC_FALSE;
  PINNSampleType qreq = PINN_SAMPLE_UNIFORM; /* -pinn_sample_type, when given */
  MPI_Comm       comm;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscObjectOptionsBegin((PetscObject)pinn);
  PetscCall(PetscOptionsFList("-pinn_type", "PINN type", "PINNSetType", PINNList,
                              ((PetscObject)pinn)->type_name ? ((PetscObject)pinn)->type_name : PINNEULERIAN, type, sizeof(type), &flg));
  if (flg || !((PetscObject)pinn)->type_name) PetscCall(PINNSetType(pinn, flg ? type : PINNEULERIAN));
  for (PetscInt s = 0; s < PINN_NUM_POINT_SETS; s++) {
    static const char *const help[] = {"Interior collocation points", "Boundary points", "Initial-slice points"};
    char                     opt[64];
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-pinn_%s_points", PINNPointSets[s]));
    PetscCall(NNOptionsInt(opt, help[s], "PINNSetNumPoints", pinn->points[s].N, &pinn->points[s].N, NULL));
  }
  PetscCall(PINNSetNumPoints(pinn, pinn->points[PINN_POINTS_INTERIOR].N, pinn->points[PINN_POINTS_BOUNDARY].N, pinn->points[PINN_POINTS_INITIAL].N));
  {
    PetscInt  Ntest = pinn->Ntest;
    PetscBool set;
    PetscCall(NNOptionsInt("-pinn_test_points", "Points for the error", "PINNComputeError", Ntest, &Ntest, &set));
    PetscCheck(!set || !pinn->testuser, comm, PETSC_ERR_ARG_INCOMP,
               "-pinn_test_points does not apply: the program gave its own test set (PINNSetTestSet())");
    PetscCheck(Ntest > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_test_points must be positive, got %" PetscInt_FMT, Ntest);
    pinn->Ntest = Ntest;
  }
  {
    PINNSampleType q;
    PetscInt       seed;
    PetscBool      set;
    PetscCall(PINNSamplerGetSampleType(pinn->sampler, &q));
    PetscCall(PetscOptionsEnum("-pinn_sample_type", "How points are drawn (the sampler's type, or a shell sampler's geometry draws)",
                               "PINNSetSampleType", PINNSampleTypes, (PetscEnum)q, (PetscEnum *)&q, &set));
    if (set) PetscCall(PINNSamplerSetSampleType(pinn->sampler, q));
    qset = set;
    qreq = q;
    PetscCall(PINNSamplerGetSeed(pinn->sampler, &seed));
    PetscCall(NNOptionsInt("-pinn_seed", "Seed of the point draws", "PINNSetFromOptions", seed, &seed, NULL));
    PetscCheck(seed >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_seed must be nonnegative, got %" PetscInt_FMT, seed);
    PetscCall(PINNSamplerSetSeed(pinn->sampler, seed));
  }
  PetscCall(
      NNOptionsInt("-pinn_batch_size", "Interior points per Adam step (0: all)", "PINNSetFromOptions", pinn->batch_size, &pinn->batch_size, NULL));
  PetscCheck(pinn->batch_size >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_batch_size must be nonnegative, got %" PetscInt_FMT, pinn->batch_size);
  PetscCall(NNOptionsInt("-pinn_resample_every", "Draw new interior points every this many Adam steps (0: never)", "PINNSetFromOptions",
                         pinn->resample_every, &pinn->resample_every, NULL));
  PetscCheck(pinn->resample_every >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_resample_every must be nonnegative, got %" PetscInt_FMT,
             pinn->resample_every);
  PetscCall(NNOptionsInt("-pinn_adam_steps", "Adam iterations", "PINNTrain", pinn->adam_steps, &pinn->adam_steps, NULL));
  PetscCall(NNOptionsInt("-pinn_lbfgs_steps", "L-BFGS iterations after Adam", "PINNTrain", pinn->lbfgs_steps, &pinn->lbfgs_steps, NULL));
  PetscCheck(pinn->adam_steps >= 0 && pinn->lbfgs_steps >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Step counts must be nonnegative, got -pinn_adam_steps %" PetscInt_FMT " -pinn_lbfgs_steps %" PetscInt_FMT, pinn->adam_steps,
             pinn->lbfgs_steps);
  PetscCall(PetscOptionsReal("-pinn_adam_lr", "Adam learning rate", "TaoAdamSetLearningRate", pinn->adam_lr, &pinn->adam_lr, NULL));
  PetscCall(PINNCheckLearningRate_Private(pinn, "-pinn_adam_lr"));
  PetscCall(PetscOptionsBool("-pinn_monitor", "Print training progress", "PINNTrain", pinn->monitor, &pinn->monitor, NULL));
  PetscCall(NNOptionsInt("-pinn_monitor_every", "Progress interval (steps)", "PINNTrain", pinn->monitor_every, &pinn->monitor_every, NULL));
  PetscCheck(pinn->monitor_every > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_monitor_every must be positive, got %" PetscInt_FMT,
             pinn->monitor_every);
  PetscCall(PetscOptionsString("-pinn_monitor_history", "CSV file of the loss history", "PINNTrain", pinn->history, pinn->history,
                               sizeof(pinn->history), NULL));
  PetscCall(
      PetscOptionsString("-pinn_checkpoint", "Checkpoint file", "PINNTrain", pinn->checkpoint, pinn->checkpoint, sizeof(pinn->checkpoint), NULL));
  PetscCall(NNOptionsInt("-pinn_checkpoint_every", "Checkpoint interval (steps; 0: at the end only)", "PINNTrain", pinn->checkpoint_every,
                         &pinn->checkpoint_every, NULL));
  PetscCheck(pinn->checkpoint_every >= 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "-pinn_checkpoint_every must be nonnegative, got %" PetscInt_FMT,
             pinn->checkpoint_every);
  PetscCall(PetscOptionsReal("-pinn_target_error", "Stop once the relative L2 error is at most this (0: never)", "PINNSetTargetError",
                             pinn->target_error, &pinn->target_error, NULL));
  PetscCall(PINNSetTargetError(pinn, pinn->target_error));
  PetscCall(
      PetscOptionsString("-pinn_restart", "Continue from this checkpoint", "PINNTrain", pinn->restart, pinn->restart, sizeof(pinn->restart), NULL));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    char opt[96];
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-pinn_%s_weight", pinn->terms[t].name));
    PetscCall(PetscOptionsReal(opt, "Weight of the loss term", "PINNSetTermWeight", pinn->terms[t].weight, &pinn->terms[t].weight, NULL));
    PetscCall(PINNSetTermWeight(pinn, t, pinn->terms[t].weight));
  }
  if (pinn->ops->setfromoptions) PetscCall((*pinn->ops->setfromoptions)(pinn, PetscOptionsObject));
  PetscOptionsEnd();
  /* -pinn_sampler_type and the type's options */
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)pinn->sampler, ((PetscObject)pinn)->prefix));
  PetscCall(PetscObjectAppendOptionsPrefix((PetscObject)pinn->sampler, "pinn_"));
  PetscCall(PINNSamplerSetFromOptions(pinn->sampler));
  if (qset) { /* -pinn_sample_type sobol (or halton) chose the sampler type too: another -pinn_sampler_type replaced it */
    PetscBool shell, same;
    PetscCall(PetscObjectTypeCompare((PetscObject)pinn->sampler, PINNSAMPLERSHELL, &shell));
    PetscCall(PetscObjectTypeCompare((PetscObject)pinn->sampler, PINNSampleTypes[qreq], &same));
    PetscCheck(shell || same || qreq == PINN_SAMPLE_UNIFORM, comm, PETSC_ERR_ARG_INCOMP,
               "-pinn_sample_type %s and -pinn_sampler_type %s both choose how points are drawn: give one (sampler type %s draws its own points)",
               PINNSampleTypes[qreq], ((PetscObject)pinn->sampler)->type_name, ((PetscObject)pinn->sampler)->type_name);
  }
  PetscFunctionReturn(0);
}

/* Interior points for draw number pinn->draw, from the sampler */
PetscErrorCode PINNDrawInterior_Private(PINN pinn)
{
  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(PINN_Draw, pinn, 0, 0, 0));
  PetscCall(PINNSamplerDraw(pinn->sampler, pinn, PINN_POINTS_INTERIOR, pinn->draw));
  PetscCall(PetscLogEventEnd(PINN_Draw, pinn, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@
  PINNSetUp - Creates the network (unless given), draws the point sets, groups the terms.

  Collective

  Level: developer
@*/
PetscErrorCode PINNSetUp(PINN pinn)
{
  MPI_Comm comm;
  PetscInt nin;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (pinn->setupcalled) PetscFunctionReturn(0);
  comm = PetscObjectComm((PetscObject)pinn);
  if (!((PetscObject)pinn)->type_name) PetscCall(PINNSetType(pinn, PINNEULERIAN));
  PetscCheck(pinn->geom, comm, PETSC_ERR_ARG_WRONGSTATE, "The PINN has no geometry: call PINNSetGeometry()");
  /* the type's networks first: a type may make its own terms (lagrangian) */
  PetscCall((*pinn->ops->setupnetworks)(pinn));
  PetscCheck(pinn->nterms > 0, comm, PETSC_ERR_ARG_WRONGSTATE,
             "The PINN has no loss terms: add a PDE and conditions (PINNAddPoisson(), PINNAddDirichlet(), PINNAddTerm(), ...)");
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    const PINNPointSet s = pinn->terms[t].set;
    PetscCheck(s != PINN_POINTS_INITIAL || pinn->spacetime, comm, PETSC_ERR_ARG_WRONG,
               "Term \"%s\" is an initial condition, but the geometry is not space-time", pinn->terms[t].name);
    PetscCheck(pinn->points[s].N > 0, comm, PETSC_ERR_ARG_OUTOFRANGE, "Term \"%s\" lives on the %s points, but there are none (-pinn_%s_points 0)",
               pinn->terms[t].name, PINNPointSets[s], PINNPointSets[s]);
  }
  if (pinn->batch_size)
    PetscCheck(pinn->batch_size <= pinn->points[PINN_POINTS_INTERIOR].N, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "-pinn_batch_size %" PetscInt_FMT " exceeds the %" PetscInt_FMT " interior points", pinn->batch_size,
               pinn->points[PINN_POINTS_INTERIOR].N);

  PetscCheck(pinn->nnets > 0, comm, PETSC_ERR_ARG_WRONGSTATE, "PINN type %s set up no network", ((PetscObject)pinn)->type_name);
  pinn->Pnet = 0;
  for (PetscInt k = 0; k < pinn->nnets; k++) {
    PINNNetwork *net = &pinn->nets[k];
    if (k == 0 && pinn->hard) PetscCall(NNSetOutputTransform(net->nn, HardDirichletTransform, pinn));
    PetscCall(NNSetUp(net->nn));
    PetscCall(NNGetSizes(net->nn, &nin, &net->nout));
    PetscCall(NNGetNumParameters(net->nn, &net->P));
    net->off = pinn->Pnet;
    pinn->Pnet += net->P;
  }
  pinn->P = pinn->Pnet;
  if (pinn->ntie) PetscCall(PINNResolveTies(pinn));
  if (pinn->nnets == 1 && !pinn->tied) { /* the optimizer works on the network's own Vec, as it always did */
    PetscCall(NNGetParameters(pinn->nets[0].nn, &pinn->theta));
    PetscCall(PetscObjectReference((PetscObject)pinn->theta));
  } else {
    PetscCall(VecCreateMPI(comm, PETSC_DECIDE, pinn->P, &pinn->theta));
    PetscCall(PetscObjectSetName((PetscObject)pinn->theta, "parameters"));
  }
  PetscCall(VecScatterCreateToAll(pinn->theta, &pinn->toall, &pinn->theta_all));
  PetscCall(PINNSyncNetworks_Private(pinn, PETSC_FALSE)); /* the networks' initial parameters */
  PetscCall(PetscCalloc1(pinn->Pnet, &pinn->glocal));
  PetscCall(PetscCalloc1(pinn->nterms, &pinn->losses));

  PetscCall(PINNTermsBuildGroups_Private(pinn));
  for (PetscInt k = 0; k < pinn->nnets; k++) PetscCall(NNAddJetRequest(pinn->nets[k].nn, 0, NULL, 0, NULL, 0, NULL, &pinn->nets[k].jets_value));
  PetscCall(PINNDrawInterior_Private(pinn));
  {
    PINNPoints *bd = &pinn->points[PINN_POINTS_BOUNDARY], *in = &pinn->points[PINN_POINTS_INITIAL];
    if (bd->N) PetscCall(PINNSamplerDraw(pinn->sampler, pinn, PINN_POINTS_BOUNDARY, 0));
    if (in->N && pinn->spacetime) PetscCall(PINNSamplerDraw(pinn->sampler, pinn, PINN_POINTS_INITIAL, 0));
  }
  if (pinn->exact) {
    PetscInt seed;
    /* test points: the caller's, or uniform from their own stream, fixed for the whole run, whatever the sampler */
    PetscCall(PINNSamplerGetSeed(pinn->sampler, &seed));
    if (!pinn->testuser)
      PetscCall(PINNGeometrySampleInterior(pinn->geom, PINN_SAMPLE_UNIFORM, (uint64_t)seed, 3, pinn->Ntest, &pinn->ntest, &pinn->xtest));
    PetscCall(PetscMalloc2(pinn->ntest * pinn->nc, &pinn->utest, pinn->ntest * pinn->nc, &pinn->uexact));
    PetscCall((*pinn->exact)(pinn->exact_ctx, pinn->ntest, pinn->dim, pinn->xtest, pinn->nc, pinn->uexact));
  }
  if (pinn->ops->setup) PetscCall((*pinn->ops->setup)(pinn));
  pinn->setupcalled = PETSC_TRUE;
  PetscCall(PINNGroupsLoadPoints_Private(pinn));
  PetscCall(PINNViewFromOptions(pinn, NULL, "-pinn_view"));
  PetscFunctionReturn(0);
}

/*@C
  PINNGetTermName - The name of a term (borrowed).

  Not Collective

  Level: intermediate

.seealso: `PINNAddTerm()`, `PINNGetNumTerms()`
@*/
PetscErrorCode PINNGetTermName(PINN pinn, PetscInt term, const char *name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(term >= 0 && term < pinn->nterms, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "No term %" PetscInt_FMT, term);
  *name = pinn->terms[term].name;
  PetscFunctionReturn(0);
}

/*@
  PINNTermResidual - Residuals r and their derivatives dr/du of one term for given quantity
  values u[p*nq + q] (no network involved), e.g. to check a problem against a manufactured
  solution; needs PINNSetUp().

  Not Collective

  Level: advanced

.seealso: `PINNAddTerm()`, `PINNComputeResiduals()`
@*/
PetscErrorCode PINNTermResidual(PINN pinn, PetscInt term, PetscInt n, const PetscReal x[], const PetscReal normal[], const PetscReal u[],
                                PetscReal r[], PetscReal dr[])
{
  PINNTerm *t;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(term >= 0 && term < pinn->nterms, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_OUTOFRANGE, "No term %" PetscInt_FMT, term);
  t = &pinn->terms[term];
  PetscCall((*t->fn)(t->ctx, n, pinn->dim, x, normal, t->nq, u, t->nr, r, dr));
  PetscFunctionReturn(0);
}

/*@
  PINNComputeObjectiveGradient - The loss (sum of the weighted mean squared residuals of all terms)
  and its gradient at the parameters theta, over the current points (the current mini-batch
  during Adam): the trainer's objective.

  Collective

  Input Parameters:
+ pinn  - the PINN
- theta - parameters of all networks, with the layout of PINNGetParameters() (e.g. an optimizer's
          iterate); read, never copied into the networks

  Output Parameters:
+ f - the loss
- g - the gradient (layout of theta), may be NULL

  Notes:
  theta is gathered to every rank once (not again while it is unchanged) and each network
  evaluates at its slice. The per-term losses are available from PINNGetTermLosses() afterwards.

  Level: intermediate

.seealso: `PINNComputeLoss()`, `PINNGetParameters()`, `PINNGetTermLosses()`
@*/
PetscErrorCode PINNComputeObjectiveGradient(PINN pinn, Vec theta, PetscReal *f, Vec g)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidHeaderSpecific(theta, VEC_CLASSID, 2);
  PetscValidRealPointer(f, 3);
  if (g) PetscValidHeaderSpecific(g, VEC_CLASSID, 4);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PetscLogEventBegin(PINN_Loss, pinn, 0, 0, 0));
  PetscCall((*pinn->ops->objectivegradient)(pinn, theta, f, g));
  PetscCall(PetscLogEventEnd(PINN_Loss, pinn, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@
  PINNComputeLoss - The loss and its gradient at the current parameters (PINNGetParameters()),
  over the current points.

  Collective

  Output Parameters:
+ loss     - the loss
- gradient - the gradient (layout of PINNGetParameters()), may be NULL

  Level: intermediate

.seealso: `PINNComputeObjectiveGradient()`, `PINNGetTermLosses()`
@*/
PetscErrorCode PINNComputeLoss(PINN pinn, PetscReal *loss, Vec gradient)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNComputeObjectiveGradient(pinn, pinn->theta, loss, gradient));
  PetscFunctionReturn(0);
}

/*@
  PINNComputeResiduals - Squared residuals of a region's terms at arbitrary points of this rank,
  at the current parameters, and their derivatives with respect to the points: what adaptive
  samplers (residual-based redraws, refinement, density estimates) query.

  Not Collective, except right after the parameters changed (an optimizer step): they are then
  gathered to every rank first, so every rank must call it (with n = 0 where it has no points)

  Input Parameters:
+ pinn   - the PINN, set up
. region - the point set whose terms are evaluated (PINN_POINTS_INTERIOR, PINN_POINTS_BOUNDARY, PINN_POINTS_INITIAL)
. n      - number of points
- x      - the points, n x dim

  Output Parameters:
+ r2      - r2[p] = sum over the region's terms t of weight_t sum_k r_pk^2, so that the loss of the
            region's terms is (1/N) sum_p w_p r2[p] over the region's own N points
- grad_r2 - d r2[p] / d x[p*dim + i], n x dim (may be NULL)

  Notes:
  Supported: the interior and initial regions, and boundary terms on the whole boundary whose
  residuals need no normals (Dirichlet conditions, user terms that ignore them): arbitrary points
  carry no boundary-part tags and no normals, so a term restricted to boundary parts is an error,
  and a Neumann or Robin condition fails for want of normals. A region without terms gives r2 = 0.

  grad_r2 is a central difference in each coordinate, with step h = eps^(1/3) max(1, |x_pi|)
  (the step actually represented is used): relative accuracy about 1e-10 for smooth residuals,
  at the cost of 2 dim further evaluations of the n points, done as one batch. (Exact
  derivatives would need third-order jets and the residual functions' explicit dependence on x,
  which PINNResidualFn does not provide.)

  Level: intermediate

.seealso: `PINNComputeLoss()`, `PINNGetPointWeights()`, `PINNSampler`
@*/
PetscErrorCode PINNComputeResiduals(PINN pinn, PINNPointSet region, PetscInt n, const PetscReal x[], PetscReal r2[], PetscReal grad_r2[])
{
  const PetscInt d = pinn->dim;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(pinn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() before PINNComputeResiduals()");
  PetscCheck(region >= PINN_POINTS_INTERIOR && region <= PINN_POINTS_INITIAL, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Unknown point set %d",
             (int)region);
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points must be nonnegative, got %" PetscInt_FMT, n);
  /* parameters changed since they were last gathered are gathered now, with every rank: also by those without points */
  PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
  PetscCall(PINNReturnParameters_Private(pinn));
  if (!n) PetscFunctionReturn(0);
  PetscValidRealPointer(x, 4);
  PetscValidRealPointer(r2, 5);
  PetscCheck(pinn->ops->residuals, PETSC_COMM_SELF, PETSC_ERR_SUP, "PINN type %s has no residual query", ((PetscObject)pinn)->type_name);
  PetscCall((*pinn->ops->residuals)(pinn, region, n, x, r2));
  if (grad_r2) {
    const PetscReal h0 = PetscPowReal(PETSC_MACHINE_EPSILON, 1.0 / 3.0);
    const PetscInt  m  = 2 * d * n; /* x + h e_i and x - h e_i for each point and coordinate, as one batch */
    PetscReal      *xs, *rs, *step;

    PetscCall(PetscMalloc3(m * d, &xs, m, &rs, d * n, &step));
    for (PetscInt p = 0; p < n; p++)
      for (PetscInt i = 0; i < d; i++) {
        const PetscReal xi = x[p * d + i], h = h0 * PetscMax(1, PetscAbsReal(xi));
        PetscReal      *xp = xs + ((2 * i) * n + p) * d, *xm = xs + ((2 * i + 1) * n + p) * d;
        PetscCall(PetscArraycpy(xp, x + p * d, d));
        PetscCall(PetscArraycpy(xm, x + p * d, d));
        xp[i]           = xi + h;
        xm[i]           = xi - h;
        step[p * d + i] = xp[i] - xm[i];
      }
    PetscCall((*pinn->ops->residuals)(pinn, region, m, xs, rs));
    for (PetscInt p = 0; p < n; p++)
      for (PetscInt i = 0; i < d; i++) grad_r2[p * d + i] = (rs[(2 * i) * n + p] - rs[(2 * i + 1) * n + p]) / step[p * d + i];
    PetscCall(PetscFree3(xs, rs, step));
  }
  PetscFunctionReturn(0);
}

/*@C
  PINNGetTermLosses - The weighted loss of each term at the last evaluation (borrowed, global).

  Not Collective

  Level: intermediate

.seealso: `PINNComputeLoss()`, `PINNComputeObjectiveGradient()`
@*/
PetscErrorCode PINNGetTermLosses(PINN pinn, PetscInt *n, const PetscReal *losses[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (n) *n = pinn->nterms;
  if (losses) *losses = pinn->losses;
  PetscFunctionReturn(0);
}

/*@
  PINNEvaluate - The solution u(x) at n points of this rank, at the current parameters (for
  PINNEULERIAN the outputs of network 0).

  Not Collective, except right after the parameters changed: they are then gathered to every rank
  first, so every rank must call it (as PINNWriteSolution() and PINNComputeError() do)

  Output Parameter:
. u - u[p*nc + c]

  Level: beginner

.seealso: `PINNComputeError()`, `PINNWriteSolution()`
@*/
PetscErrorCode PINNEvaluate(PINN pinn, PetscInt n, const PetscReal x[], PetscReal u[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscCheck(pinn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call PINNSetUp() first");
  PetscCall((*pinn->ops->evaluate)(pinn, n, x, u));
  PetscFunctionReturn(0);
}

/*@
  PINNComputeError - Relative L2 error sqrt(sum |u - u*|^2 / sum |u*|^2) over the test points
  against the exact solution (PINNSetExactSolution()); with the weights of PINNSetTestSet(), each
  point's terms times its weight.

  Collective

  Level: beginner

.seealso: `PINNSetExactSolution()`, `PINNSetTestPoints()`, `PINNSetTestSet()`
@*/
PetscErrorCode PINNComputeError(PINN pinn, PetscReal *err)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  PetscValidRealPointer(err, 2);
  PetscCall(PINNSetUp(pinn));
  PetscCheck(pinn->exact, PetscObjectComm((PetscObject)pinn), PETSC_ERR_ARG_WRONGSTATE,
             "No exact or reference solution: call PINNSetExactSolution()");
  PetscCall((*pinn->ops->computeerror)(pinn, err));
  pinn->last_error = *err;
  PetscFunctionReturn(0);
}

/*@C
  PINNView - Prints the problem: inputs, points, terms, training and the networks (-pinn_view).

  Collective

  Level: beginner

.seealso: `PINNViewFromOptions()`
@*/
PetscErrorCode PINNView(PINN pinn, PetscViewer viewer)
{
  PetscBool iascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)pinn), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii) PetscFunctionReturn(0);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)pinn, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "inputs %" PetscInt_FMT "%s, outputs %" PetscInt_FMT "\n", pinn->dim,
                                   pinn->spacetime ? " (time last)" : "", pinn->nc));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "points: %" PetscInt_FMT " interior, %" PetscInt_FMT " boundary, %" PetscInt_FMT " initial (%s), %" PetscInt_FMT " test\n",
      pinn->points[PINN_POINTS_INTERIOR].N, pinn->points[PINN_POINTS_BOUNDARY].N, pinn->spacetime ? pinn->points[PINN_POINTS_INITIAL].N : 0,
      ((PetscObject)pinn->sampler)->type_name, pinn->exact ? pinn->Ntest : 0));
  if (pinn->batch_size) PetscCall(PetscViewerASCIIPrintf(viewer, "mini-batches of %" PetscInt_FMT " interior points\n", pinn->batch_size));
  if (pinn->resample_every)
    PetscCall(PetscViewerASCIIPrintf(viewer, "interior points redrawn every %" PetscInt_FMT " Adam steps\n", pinn->resample_every));
  for (PetscInt t = 0; t < pinn->nterms; t++) {
    const PINNTerm *term = &pinn->terms[t];
    PetscCall(PetscViewerASCIIPrintf(viewer, "term %-10s on %s points%s, weight %g, %" PetscInt_FMT " quantities, %" PetscInt_FMT " residual(s)\n",
                                     term->name, PINNPointSets[term->set], term->ntags ? " (some boundary parts)" : "", (double)term->weight,
                                     term->nq, term->nr));
  }
  if (pinn->hard) PetscCall(PetscViewerASCIIPrintf(viewer, "hard Dirichlet condition through u = g + phi N\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "training: %" PetscInt_FMT " Adam steps (lr %g), then %" PetscInt_FMT " L-BFGS steps\n", pinn->adam_steps,
                                   (double)pinn->adam_lr, pinn->lbfgs_steps));
  PetscCall(PINNSamplerView(pinn->sampler, viewer)); /* type, seed, draws, points per region */
  if (pinn->ops->view) PetscCall((*pinn->ops->view)(pinn, viewer));
  if (pinn->tied)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "parameters: %" PetscInt_FMT " (the networks' %" PetscInt_FMT " less %" PetscInt_FMT " tied to others)\n",
                                     pinn->P, pinn->Pnet, pinn->Pnet - pinn->P));
  for (PetscInt k = 0; k < pinn->nnets; k++) {
    if (pinn->nnets > 1) PetscCall(PetscViewerASCIIPrintf(viewer, "network \"%s\" (index %" PetscInt_FMT ")\n", pinn->nets[k].name, k));
    PetscCall(NNView(pinn->nets[k].nn, viewer));
  }
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

/*@C
  PINNViewFromOptions - Views the PINN if the named option is given.

  Collective

  Level: intermediate

.seealso: `PINNView()`
@*/
PetscErrorCode PINNViewFromOptions(PINN pinn, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscCall(PetscObjectViewFromOptions((PetscObject)pinn, obj, name));
  PetscFunctionReturn(0);
}

/*@
  PINNDestroy - Destroys the PINN and what it holds (networks, terms, points, sampler).

  Collective

  Level: beginner

.seealso: `PINNCreate()`
@*/
PetscErrorCode PINNDestroy(PINN *pinn)
{
  PINN p;

  PetscFunctionBegin;
  if (!pinn || !*pinn) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(*pinn, PINN_CLASSID, 1);
  if (--((PetscObject)(*pinn))->refct > 0) {
    *pinn = NULL;
    PetscFunctionReturn(0);
  }
  p = *pinn;
  if (p->ops->destroy) PetscCall((*p->ops->destroy)(p));
  PetscCall(PINNTermsDestroy_Private(p));
  PetscCall(PINNSamplerDestroy(&p->sampler));
  for (PetscInt s = 0; s < PINN_NUM_POINT_SETS; s++) {
    PetscCall(PetscFree(p->points[s].x));
    PetscCall(PetscFree(p->points[s].normal));
    PetscCall(PetscFree(p->points[s].tag));
    PetscCall(PetscFree(p->points[s].w));
  }
  PetscCall(PetscFree(p->xtest));
  PetscCall(PetscFree(p->wtest));
  PetscCall(PetscFree2(p->utest, p->uexact));
  PetscCall(PetscFree(p->glocal));
  PetscCall(PetscFree(p->losses));
  PetscCall(PetscFree(p->ties));
  PetscCall(PetscFree3(p->tied, p->root, p->theta_net));
  PetscCall(NNTrainerDestroy(&p->tr));
  for (PetscInt k = 0; k < p->nnets; k++) {
    PetscCall(PetscFree(p->nets[k].name));
    PetscCall(NNDestroy(&p->nets[k].nn));
    PetscCall(PetscFree3(p->nets[k].op_in, p->nets[k].op_w, p->nets[k].op_drift));
  }
  PetscCall(PetscFree(p->nets));
  PetscCall(VecDestroy(&p->theta));
  PetscCall(VecDestroy(&p->theta_all));
  PetscCall(VecScatterDestroy(&p->toall));
  PetscCall(PINNGeometryDestroy(&p->geom));
  PetscCall(PetscHeaderDestroy(pinn));
  PetscFunctionReturn(0);
}

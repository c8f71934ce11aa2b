/* The NN object: creation, types, options, parameters, and dispatch to the type's kernels. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/random.h>

const char *const NNActivations[]     = {"tanh", "sin", "softplus", "gelu", "relu", "NNActivation", "NN_ACTIVATION_", NULL};
const char *const NNInitializations[] = {"glorot_uniform", "glorot_normal",    "he_uniform", "he_normal",
                                         "uniform",        "NNInitialization", "NN_INIT_",   NULL};

/*@C
  NNRegister - Adds a network type.
@*/
PetscErrorCode NNRegister(const char name[], PetscErrorCode (*create)(NN))
{
  PetscFunctionBegin;
  PetscCall(NNInitializePackage());
  PetscCall(PetscFunctionListAdd(&NNList, name, create));
  PetscFunctionReturn(0);
}

/*@
  NNCreate - Creates a network. Set sizes with NNSetSizes(), the type with NNSetType() or
  -nn_type, then call NNSetUp().

  Collective
@*/
PetscErrorCode NNCreate(MPI_Comm comm, NN *nn)
{
  NN n;

  PetscFunctionBegin;
  PetscValidPointer(nn, 2);
  PetscCall(NNInitializePackage());
  PetscCall(PetscHeaderCreate(n, NN_CLASSID, "NN", "Neural network", "NN", comm, NNDestroy, NNView));
  n->nin                 = -1;
  n->nout                = -1;
  n->seed                = 0;
  n->init                = NN_INIT_GLOROT_NORMAL;
  n->init_scale          = 1.0;
  n->embed.period        = 2.0 * PETSC_PI;
  n->embed.fourier_sigma = 1.0;
  *nn                    = n;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetType(NN nn, NNType type)
{
  PetscErrorCode (*create)(NN);
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)nn, type, &same));
  if (same) PetscFunctionReturn(0);
  PetscCall(PetscFunctionListFind(NNList, type, &create));
  PetscCheck(create, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_UNKNOWN_TYPE, "Unknown NN type \"%s\" (known: mlp, cnn3d)", type);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Cannot change the NN type after NNSetUp()");
  if (nn->ops->destroy) PetscCall((*nn->ops->destroy)(nn));
  PetscCall(PetscMemzero(nn->ops, sizeof(struct _NNOps)));
  PetscCall(PetscObjectChangeTypeName((PetscObject)nn, type));
  PetscCall((*create)(nn));
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetType(NN nn, NNType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *type = ((PetscObject)nn)->type_name;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetSizes(NN nn, PetscInt nin, PetscInt nout)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nin > 0 && nout > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "NN sizes must be positive, got %" PetscInt_FMT " inputs and %" PetscInt_FMT " outputs", nin, nout);
  PetscCheck(!nn->setupcalled || (nin == nn->nin && nout == nn->nout), PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE,
             "Cannot change NN sizes after NNSetUp()");
  nn->nin  = nin;
  nn->nout = nout;
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetSizes(NN nn, PetscInt *nin, PetscInt *nout)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  if (nin) *nin = nn->nin;
  if (nout) *nout = nn->nout;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetSeed(NN nn, uint64_t seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE,
             "Set the seed before NNSetUp(); use NNInitializeParameters() to redraw");
  nn->seed = seed;
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetSeed(NN nn, uint64_t *seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *seed = nn->seed;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetInitialization(NN nn, NNInitialization init, PetscReal scale)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(scale > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE, "Initialization scale must be positive, got %g", (double)scale);
  nn->init       = init;
  nn->init_scale = scale;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetPeriodicInputs(NN nn, PetscInt n, const PetscInt inputs[], PetscReal period)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Set the embedding before NNSetUp()");
  PetscCheck(period > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE, "Period must be positive, got %g", (double)period);
  {
    PetscInt *copy; /* copy first: inputs may be the current list */
    PetscCall(PetscMalloc1(n, &copy));
    for (PetscInt i = 0; i < n; i++) copy[i] = inputs[i];
    PetscCall(PetscFree(nn->embed.periodic));
    nn->embed.periodic = copy;
  }
  nn->embed.nperiodic = n;
  nn->embed.period    = period;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetFourierFeatures(NN nn, PetscInt nfeatures, PetscReal sigma)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Set the embedding before NNSetUp()");
  PetscCheck(nfeatures >= 0 && sigma > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "Fourier features need nfeatures >= 0 and sigma > 0, got %" PetscInt_FMT " and %g", nfeatures, (double)sigma);
  nn->embed.nfourier      = nfeatures;
  nn->embed.fourier_sigma = sigma;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetOutputTransform(NN nn, NNOutputTransformFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  nn->transform     = fn;
  nn->transform_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetJets(NN nn, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap, const PetscInt lap[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->nin > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before NNSetJets()");
  if (nn->jets_borrowed) PetscCall(PetscMemzero(&nn->jets, sizeof(nn->jets))); /* the request keeps its arrays */
  nn->jets_borrowed = PETSC_FALSE;
  PetscCall(NNJetsSetUp_Private(&nn->jets, nn->nin, nderiv, deriv, npairs, pairs, nlap, lap));
  nn->jets_set = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/*@C
  NNAddJetRequest - Builds a set of jets once (arguments as NNSetJets()) and keeps it in the
  network, to be selected later with NNSetJetRequest() without building it again; for callers
  that switch between a few fixed sets of jets at every evaluation (a PINN's point groups).

  Not Collective

  Output Parameter:
. id - the request's number, for NNSetJetRequest()

  Level: developer

.seealso: `NNSetJetRequest()`, `NNSetJets()`
@*/
PetscErrorCode NNAddJetRequest(NN nn, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                               const PetscInt lap[], PetscInt *id)
{
  NNJets *req;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscValidIntPointer(id, 8);
  PetscCheck(nn->nin > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before NNAddJetRequest()");
  PetscCall(PetscCalloc1(nn->nrequests + 1, &req));
  if (nn->nrequests) PetscCall(PetscArraycpy(req, nn->requests, nn->nrequests));
  PetscCall(PetscFree(nn->requests));
  nn->requests = req; /* a borrowed nn->jets holds the arrays, not the moved structs: still valid */
  PetscCall(NNJetsSetUp_Private(&nn->requests[nn->nrequests], nn->nin, nderiv, deriv, npairs, pairs, nlap, lap));
  *id = nn->nrequests++;
  PetscFunctionReturn(0);
}

/*@C
  NNSetJetRequest - Makes the jets of a request of NNAddJetRequest() those the next evaluations
  compute, as NNSetJets() with the same arguments would, without building them again.

  Not Collective

  Level: developer

.seealso: `NNAddJetRequest()`, `NNSetJets()`
@*/
PetscErrorCode NNSetJetRequest(NN nn, PetscInt id)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(id >= 0 && id < nn->nrequests, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE,
             "No jet request %" PetscInt_FMT " (the network has %" PetscInt_FMT ")", id, nn->nrequests);
  if (!nn->jets_borrowed) PetscCall(NNJetsDestroy_Private(&nn->jets));
  nn->jets          = nn->requests[id];
  nn->jets_borrowed = PETSC_TRUE;
  nn->jets_set      = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetNumJets(NN nn, PetscInt *S)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *S = nn->jets_set ? nn->jets.S : 1;
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetJetIndex(NN nn, NNJetKind kind, PetscInt i, PetscInt j, PetscInt *s)
{
  const NNJets *J = &nn->jets;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *s = -1;
  switch (kind) {
  case NN_JET_VALUE:
    *s = 0;
    break;
  case NN_JET_DERIVATIVE:
    for (PetscInt a = 0; a < J->nD; a++)
      if (J->D[a] == i) *s = 1 + a;
    break;
  case NN_JET_SECOND_DERIVATIVE:
    for (PetscInt h = 0; h < J->nH; h++) {
      const PetscInt a = J->D[J->H[2 * h]], b = J->D[J->H[2 * h + 1]];
      if ((a == i && b == j) || (a == j && b == i)) *s = 1 + J->nD + h;
    }
    break;
  case NN_JET_LAPLACIAN:
    if (J->nL) *s = J->S - 1;
    break;
  }
  PetscCheck(*s >= 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE,
             "Jet (kind %d, %" PetscInt_FMT ", %" PetscInt_FMT ") was not requested in NNSetJets()", (int)kind, i, j);
  PetscFunctionReturn(0);
}

/*@
  NNSetFromOptions - Options: -nn_type, -nn_seed, -nn_init, -nn_init_scale, -nn_periodic_inputs,
  -nn_period, -nn_fourier_features, -nn_fourier_sigma, and the type's own (-nn_mlp_...).
@*/
PetscErrorCode NNSetFromOptions(NN nn)
{
  char      type[256];
  PetscBool flg;
  PetscInt  seed = (PetscInt)nn->seed, periodic[64], np = 64;
  PetscReal period = nn->embed.period;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)nn);
  PetscCall(PetscOptionsFList("-nn_type", "Network type", "NNSetType", NNList, ((PetscObject)nn)->type_name ? ((PetscObject)nn)->type_name : NNMLP,
                              type, sizeof(type), &flg));
  if (flg || !((PetscObject)nn)->type_name) PetscCall(NNSetType(nn, flg ? type : NNMLP));
  PetscCall(NNOptionsInt("-nn_seed", "Seed of the parameter initialization", "NNSetSeed", seed, &seed, &flg));
  if (flg) {
    PetscCheck(seed >= 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE, "-nn_seed must be nonnegative, got %" PetscInt_FMT, seed);
    PetscCall(NNSetSeed(nn, (uint64_t)seed));
  }
  PetscCall(PetscOptionsEnum("-nn_init", "Parameter initialization", "NNSetInitialization", NNInitializations, (PetscEnum)nn->init,
                             (PetscEnum *)&nn->init, NULL));
  PetscCall(PetscOptionsReal("-nn_init_scale", "Scale of the initialization", "NNSetInitialization", nn->init_scale, &nn->init_scale, NULL));
  PetscCheck(nn->init_scale > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE, "-nn_init_scale must be positive, got %g",
             (double)nn->init_scale);
  PetscCall(PetscOptionsReal("-nn_period", "Period of the periodic inputs", "NNSetPeriodicInputs", period, &period, NULL));
  PetscCall(NNOptionsIntList("-nn_periodic_inputs", "Inputs embedded as (cos, sin)", "NNSetPeriodicInputs", nn->embed.nperiodic, nn->embed.periodic,
                             64, periodic, &np, &flg));
  if (flg)
    PetscCall(NNSetPeriodicInputs(nn, np, periodic, period));
  else if (period != nn->embed.period)
    PetscCall(NNSetPeriodicInputs(nn, nn->embed.nperiodic, nn->embed.periodic, period));
  PetscCall(
      NNOptionsInt("-nn_fourier_features", "Number of Fourier features", "NNSetFourierFeatures", nn->embed.nfourier, &nn->embed.nfourier, NULL));
  PetscCall(PetscOptionsReal("-nn_fourier_sigma", "Standard deviation of the Fourier frequencies", "NNSetFourierFeatures", nn->embed.fourier_sigma,
                             &nn->embed.fourier_sigma, NULL));
  PetscCall(NNSetFourierFeatures(nn, nn->embed.nfourier, nn->embed.fourier_sigma));
  if (nn->ops->setfromoptions) PetscCall((*nn->ops->setfromoptions)(nn, PetscOptionsObject));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/*@
  NNSetUp - Builds the parameter Vec and draws the initial parameters.

  Collective
@*/
PetscErrorCode NNSetUp(NN nn)
{
  MPI_Comm comm;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  if (nn->setupcalled) PetscFunctionReturn(0);
  comm = PetscObjectComm((PetscObject)nn);
  PetscCheck(nn->nin > 0 && nn->nout > 0, comm, PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before NNSetUp()");
  if (!((PetscObject)nn)->type_name) PetscCall(NNSetType(nn, NNMLP));
  for (PetscInt i = 0; i < nn->embed.nperiodic; i++)
    PetscCheck(nn->embed.periodic[i] >= 0 && nn->embed.periodic[i] < nn->nin, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Periodic input %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", nn->embed.periodic[i], nn->nin);
  PetscCall(PetscLogEventBegin(NN_SetUp, nn, 0, 0, 0));
  PetscCall(NNEmbeddingSetUp_Private(&nn->embed, nn->nin, nn->seed));
  if (!nn->jets_set) PetscCall(NNSetJets(nn, 0, NULL, 0, NULL, 0, NULL));
  PetscCall((*nn->ops->setup)(nn));
  PetscCheck(nn->nparam > 0, comm, PETSC_ERR_PLIB, "NN type set no parameters");
  PetscCall(VecCreateMPI(comm, PETSC_DECIDE, nn->nparam, &nn->params));
  PetscCall(PetscObjectSetName((PetscObject)nn->params, "parameters"));
  PetscCall(VecScatterCreateToAll(nn->params, &nn->toall, &nn->local));
  nn->setupcalled = PETSC_TRUE;
  PetscCall(NNInitializeParameters(nn));
  PetscCall(PetscLogEventEnd(NN_SetUp, nn, 0, 0, 0));
  PetscCall(NNViewFromOptions(nn, NULL, "-nn_view"));
  PetscFunctionReturn(0);
}

/* Draw nw weights of a layer with fan-in fin and fan-out fout from the network's initialization
   (-nn_init, -nn_init_scale) on the given random stream: the same numbers for any rank count. */
PetscErrorCode NNInitializeWeights_Private(NN nn, uint64_t stream, PetscInt fin, PetscInt fout, PetscInt nw, PetscReal W[])
{
  PetscReal       s      = nn->init_scale;
  const PetscBool normal = nn->init == NN_INIT_GLOROT_NORMAL || nn->init == NN_INIT_HE_NORMAL;

  PetscFunctionBegin;
  switch (nn->init) {
  case NN_INIT_GLOROT_UNIFORM:
    s *= PetscSqrtReal(6.0 / (fin + fout));
    break;
  case NN_INIT_GLOROT_NORMAL:
    s *= PetscSqrtReal(2.0 / (fin + fout));
    break;
  case NN_INIT_HE_UNIFORM:
    s *= PetscSqrtReal(6.0 / fin);
    break;
  case NN_INIT_HE_NORMAL:
    s *= PetscSqrtReal(2.0 / fin);
    break;
  case NN_INIT_UNIFORM:
    break;
  }
  if (normal) {
    PetscCall(NNRandomNormalArray(nn->seed, stream, 0, nw, W));
    for (PetscInt i = 0; i < nw; i++) W[i] *= s;
  } else {
    PetscCall(NNRandomUniformArray(nn->seed, stream, 0, nw, W));
    for (PetscInt i = 0; i < nw; i++) W[i] = s * (2.0 * W[i] - 1.0);
  }
  PetscFunctionReturn(0);
}

/*@
  NNInitializeParameters - Redraws the parameters from the seed and initialization; the draw
  depends only on the seed, never on the number of ranks.
@*/
PetscErrorCode NNInitializeParameters(NN nn)
{
  PetscReal   *all;
  PetscScalar *p;
  PetscInt     lo, hi;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  PetscCall(PetscMalloc1(nn->nparam, &all));
  PetscCall((*nn->ops->initialize)(nn, all));
  PetscCall(VecGetOwnershipRange(nn->params, &lo, &hi));
  PetscCall(VecGetArrayWrite(nn->params, &p));
  for (PetscInt i = lo; i < hi; i++) p[i - lo] = all[i];
  PetscCall(VecRestoreArrayWrite(nn->params, &p));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetArchitecture(NN nn, char buf[], size_t len)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  PetscCall((*nn->ops->architecture)(nn, buf, len));
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetParameters(NN nn, Vec *params)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  *params = nn->params;
  PetscFunctionReturn(0);
}

PetscErrorCode NNGetNumParameters(NN nn, PetscInt *n)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  *n = nn->nparam;
  PetscFunctionReturn(0);
}

/* The replicated parameters, refreshed from the distributed Vec only when it changed. */
PetscErrorCode NNGetLocalParameters_Private(NN nn, const PetscReal **theta)
{
  PetscObjectState state;

  PetscFunctionBegin;
  if (nn->lent) {
    *theta = nn->lent;
    PetscFunctionReturn(0);
  }
  PetscCall(PetscObjectStateGet((PetscObject)nn->params, &state));
  if (state != nn->local_state) {
    PetscCall(VecScatterBegin(nn->toall, nn->params, nn->local, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(nn->toall, nn->params, nn->local, INSERT_VALUES, SCATTER_FORWARD));
    nn->local_state = state;
  }
  {
    const PetscScalar *a, *keep;
    PetscCall(VecGetArrayRead(nn->local, &a));
    keep = a;
    PetscCall(VecRestoreArrayRead(nn->local, &a)); /* a sequential host Vec: the array stays valid */
    *theta = keep;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NNSetLocalParameters_Private(NN nn, const PetscReal theta[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  nn->lent = theta;
  PetscFunctionReturn(0);
}

PetscErrorCode NNReduceGradient(NN nn, const PetscReal glocal[], Vec G)
{
  PetscReal   *sum;
  PetscScalar *g;
  PetscInt     lo, hi, n;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscValidHeaderSpecific(G, VEC_CLASSID, 3);
  PetscCall(VecGetSize(G, &n));
  PetscCheck(n == nn->nparam, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_SIZ,
             "Gradient Vec has size %" PetscInt_FMT ", the network %" PetscInt_FMT " parameters", n, nn->nparam);
  PetscCall(PetscMalloc1(nn->nparam, &sum));
  PetscCall(MPIU_Allreduce(glocal, sum, nn->nparam, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)nn)));
  PetscCall(VecGetOwnershipRange(G, &lo, &hi));
  PetscCall(VecGetArrayWrite(G, &g));
  for (PetscInt i = lo; i < hi; i++) g[i - lo] = sum[i];
  PetscCall(VecRestoreArrayWrite(G, &g));
  PetscCall(PetscFree(sum));
  PetscFunctionReturn(0);
}

/*@
  NNForward - Evaluates the requested jets at n points (see nn.h for layouts). Not collective:
  each rank evaluates its own points with its replicated copy of the parameters.
@*/
PetscErrorCode NNForward(NN nn, PetscInt n, const PetscReal x[], PetscReal y[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() before NNForward()");
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points must be nonnegative, got %" PetscInt_FMT, n);
  PetscCall(PetscLogEventBegin(NN_Forward, nn, 0, 0, 0));
  PetscCall((*nn->ops->forward)(nn, n, x, y));
  PetscCall(PetscLogEventEnd(NN_Forward, nn, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@
  NNBackward - Reverse mode through the jets of the last NNForward(): gtheta += dL/dtheta,
  xbar = dL/dx. Not collective; sum gradients with NNReduceGradient().
@*/
PetscErrorCode NNBackward(NN nn, const PetscReal ybar[], PetscReal gtheta[], PetscReal xbar[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() and NNForward() before NNBackward()");
  PetscCall(PetscLogEventBegin(NN_Backward, nn, 0, 0, 0));
  PetscCall((*nn->ops->backward)(nn, ybar, gtheta, xbar));
  PetscCall(PetscLogEventEnd(NN_Backward, nn, 0, 0, 0));
  PetscFunctionReturn(0);
}

/*@C
  NNForwardBackward - Evaluates the jets at n points and takes them back in reverse, one tile of
  points at a time: for each tile the network's jets y go to adjoint(ctx, first, nt, y, ybar), which
  sets ybar = dL/dy for those points; then gtheta += dL/dtheta, xbar = dL/dx. Equals NNForward(),
  one adjoint call on all points, NNBackward(), to round-off, without keeping every layer's data
  for all points. Not collective; sum gradients with NNReduceGradient().

  Input Parameters:
+ nn      - the network, after NNSetUp() and NNSetJets()
. n       - number of points
. x       - the points, x[p*d + k]
. adjoint - called once per tile, in order of the points; y and ybar use the layout of nn.h for the
            tile's nt points, starting at point first
- ctx     - context of adjoint

  Output Parameters:
+ gtheta - replicated gradient, added to (may be NULL)
- xbar   - dL/dx, n x d, overwritten (may be NULL)

  Notes:
  Afterwards NNBackward() is invalid until the next NNForward(). Types without a fused
  implementation run NNForward() and NNBackward() with one adjoint call on all points.

  Level: intermediate

.seealso: `NNForward()`, `NNBackward()`, `NNSetJets()`
@*/
PetscErrorCode NNForwardBackward(NN nn, PetscInt n, const PetscReal x[], NNAdjointFn adjoint, void *ctx, PetscReal gtheta[], PetscReal xbar[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() before NNForwardBackward()");
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Number of points must be nonnegative, got %" PetscInt_FMT, n);
  PetscCheck(adjoint, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "NNForwardBackward() needs an adjoint callback");
  PetscCall(PetscLogEventBegin(NN_ForwardBackward, nn, 0, 0, 0));
  if (nn->ops->forwardbackward)
    PetscCall((*nn->ops->forwardbackward)(nn, n, x, adjoint, ctx, gtheta, xbar));
  else {
    PetscReal *y, *ybar;
    PetscInt   S;

    PetscCall(NNGetNumJets(nn, &S));
    PetscCall(PetscMalloc2(S * n * nn->nout, &y, S * n * nn->nout, &ybar));
    PetscCall((*nn->ops->forward)(nn, n, x, y));
    PetscCall((*adjoint)(ctx, 0, n, y, ybar));
    PetscCall((*nn->ops->backward)(nn, ybar, gtheta, xbar));
    PetscCall(PetscFree2(y, ybar));
  }
  PetscCall(PetscLogEventEnd(NN_ForwardBackward, nn, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode NNView(NN nn, PetscViewer viewer)
{
  PetscBool iascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)nn), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (iascii) {
    PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)nn, viewer));
    PetscCall(PetscViewerASCIIPushTab(viewer));
    PetscCall(PetscViewerASCIIPrintf(viewer, "inputs %" PetscInt_FMT ", outputs %" PetscInt_FMT ", seed %" PetscInt64_FMT "\n", nn->nin, nn->nout,
                                     (PetscInt64)nn->seed));
    if (nn->setupcalled) {
      char arch[1024];
      PetscCall(NNGetArchitecture(nn, arch, sizeof(arch)));
      PetscCall(PetscViewerASCIIPrintf(viewer, "%s\n", arch));
      PetscCall(PetscViewerASCIIPrintf(viewer, "parameters %" PetscInt_FMT ", jet streams %" PetscInt_FMT "\n", nn->nparam, nn->jets.S));
    }
    if (nn->ops->view) PetscCall((*nn->ops->view)(nn, viewer));
    PetscCall(PetscViewerASCIIPopTab(viewer));
  } else if (nn->setupcalled) {
    PetscCall(VecView(nn->params, viewer));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NNViewFromOptions(NN nn, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)nn, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode NNDestroy(NN *nn)
{
  PetscFunctionBegin;
  if (!nn || !*nn) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(*nn, NN_CLASSID, 1);
  if (--((PetscObject)(*nn))->refct > 0) {
    *nn = NULL;
    PetscFunctionReturn(0);
  }
  if ((*nn)->ops->destroy) PetscCall((*(*nn)->ops->destroy)(*nn));
  PetscCall(VecDestroy(&(*nn)->params));
  PetscCall(VecDestroy(&(*nn)->local));
  PetscCall(VecScatterDestroy(&(*nn)->toall));
  if (!(*nn)->jets_borrowed) PetscCall(NNJetsDestroy_Private(&(*nn)->jets));
  for (PetscInt r = 0; r < (*nn)->nrequests; r++) PetscCall(NNJetsDestroy_Private(&(*nn)->requests[r]));
  PetscCall(PetscFree((*nn)->requests));
  PetscCall(NNEmbeddingDestroy_Private(&(*nn)->embed));
  PetscCall(PetscFree((*nn)->embed.periodic));
  PetscCall(PetscHeaderDestroy(nn));
  PetscFunctionReturn(0);
}

/* The NN object: creation, types, options, parameters, and dispatch to the type's kernels. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/random.h>

const char *const NNActivations[]     = {"tanh", "sin", "softplus", "gelu", "relu", "NNActivation", "NN_ACTIVATION_", NULL};
const char *const NNInitializations[] = {"glorot_uniform", "glorot_normal",    "he_uniform", "he_normal",
                                         "uniform",        "NNInitialization", "NN_INIT_",   NULL};

/*@C
  NNRegister - Adds a network type, to be chosen with `NNSetType()` or -nn_type.

  Not Collective

  Input Parameters:
+ name   - the type's name (lower case, e.g. "mlp")
- create - the constructor, which fills the network's ops table and private data

  Level: advanced

.seealso: `NNSetType()`, `NNCreate()`, `NNInitializePackage()`
@*/
PetscErrorCode NNRegister(const char name[], PetscErrorCode (*create)(NN))
{
  PetscFunctionBegin;
  PetscCall(NNInitializePackage());
  PetscCall(PetscFunctionListAdd(&NNList, name, create));
  PetscFunctionReturn(0);
}

/*@
  NNCreate - Creates a network. Set its sizes with `NNSetSizes()`, its type with `NNSetType()` or
  -nn_type (default `NNMLP`), then call `NNSetUp()`.

  Collective

  Input Parameter:
. comm - the ranks that share the network (each holds all parameters; the parameter Vec is distributed)

  Output Parameter:
. nn - the network

  Level: beginner

.seealso: `NNSetSizes()`, `NNSetType()`, `NNSetFromOptions()`, `NNSetUp()`, `NNDestroy()`
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

/*@C
  NNSetType - Sets the network's type (`NNMLP`, `NNCNN3D` or one added with `NNRegister()`).

  Collective; before `NNSetUp()`

  Input Parameters:
+ nn   - the network
- type - the type's name

  Options Database Key:
. -nn_type <mlp> - the type

  Level: beginner

.seealso: `NNGetType()`, `NNRegister()`, `NNCreate()`
@*/
PetscErrorCode NNSetType(NN nn, NNType type)
{
  PetscErrorCode (*create)(NN);
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)nn, type, &same));
  if (same) PetscFunctionReturn(0);
  PetscCall(PetscFunctionListFind(NNList, type, &create));
  PetscCheck(create, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_UNKNOWN_TYPE, "Unknown NN type \"%s\" (known: mlp, cnn3d, krnet)", type);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Cannot change the NN type after NNSetUp()");
  if (nn->ops->destroy) PetscCall((*nn->ops->destroy)(nn));
  PetscCall(PetscMemzero(nn->ops, sizeof(struct _NNOps)));
  PetscCall(PetscObjectChangeTypeName((PetscObject)nn, type));
  PetscCall((*create)(nn));
  PetscFunctionReturn(0);
}

/*@C
  NNGetType - Gets the network's type.

  Not Collective

  Input Parameter:
. nn - the network

  Output Parameter:
. type - the type's name (NULL before `NNSetType()`, `NNSetFromOptions()` or `NNSetUp()`)

  Level: beginner

.seealso: `NNSetType()`
@*/
PetscErrorCode NNGetType(NN nn, NNType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *type = ((PetscObject)nn)->type_name;
  PetscFunctionReturn(0);
}

/*@
  NNSetSizes - Sets the numbers of inputs (coordinates per point) and outputs (components per point).

  Logically Collective; before `NNSetUp()`

  Input Parameters:
+ nn   - the network
. nin  - inputs per point, positive
- nout - outputs per point, positive

  Level: beginner

.seealso: `NNGetSizes()`, `NNCreate()`
@*/
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

/*@
  NNGetSizes - Gets the numbers of inputs and outputs per point.

  Not Collective

  Input Parameter:
. nn - the network

  Output Parameters:
+ nin  - inputs per point (-1 before `NNSetSizes()`; pass NULL if not wanted)
- nout - outputs per point (pass NULL if not wanted)

  Level: beginner

.seealso: `NNSetSizes()`
@*/
PetscErrorCode NNGetSizes(NN nn, PetscInt *nin, PetscInt *nout)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  if (nin) *nin = nn->nin;
  if (nout) *nout = nn->nout;
  PetscFunctionReturn(0);
}

/*@
  NNSetSeed - Sets the seed from which `NNSetUp()` draws the initial parameters (and the Fourier
  frequencies); the draw is the same on any number of ranks.

  Logically Collective; before `NNSetUp()`

  Input Parameters:
+ nn   - the network
- seed - the seed

  Options Database Key:
. -nn_seed <0> - the seed

  Level: intermediate

.seealso: `NNGetSeed()`, `NNInitializeParameters()`, `NNSetInitialization()`
@*/
PetscErrorCode NNSetSeed(NN nn, uint64_t seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(!nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE,
             "Set the seed before NNSetUp(); use NNInitializeParameters() to redraw");
  nn->seed = seed;
  PetscFunctionReturn(0);
}

/*@
  NNGetSeed - Gets the seed of the parameter initialization.

  Not Collective

  Input Parameter:
. nn - the network

  Output Parameter:
. seed - the seed

  Level: intermediate

.seealso: `NNSetSeed()`
@*/
PetscErrorCode NNGetSeed(NN nn, uint64_t *seed)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *seed = nn->seed;
  PetscFunctionReturn(0);
}

/*@
  NNSetInitialization - Sets how the weights are drawn (Glorot or He, uniform or normal, or plain
  uniform) and a factor on their spread.

  Logically Collective

  Input Parameters:
+ nn    - the network
. init  - the initialization (`NN_INIT_GLOROT_NORMAL` by default)
- scale - the factor on the spread, positive (1 by default)

  Options Database Keys:
+ -nn_init <glorot_normal> - the initialization
- -nn_init_scale <1>       - the factor

  Level: intermediate

.seealso: `NNSetSeed()`, `NNInitializeParameters()`, `NNInitialization`
@*/
PetscErrorCode NNSetInitialization(NN nn, NNInitialization init, PetscReal scale)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(scale > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_OUTOFRANGE, "Initialization scale must be positive, got %g", (double)scale);
  nn->init       = init;
  nn->init_scale = scale;
  PetscFunctionReturn(0);
}

/*@
  NNSetPeriodicInputs - Embeds some inputs as (cos(2 pi x / period), sin(2 pi x / period)), so the
  network is exactly periodic in them.

  Logically Collective; before `NNSetUp()`

  Input Parameters:
+ nn     - the network
. n      - number of periodic inputs
. inputs - their indices, in [0, nin)
- period - the period, positive (2 pi by default)

  Options Database Keys:
+ -nn_periodic_inputs <i,j,...> - the periodic inputs
- -nn_period <6.28319>          - the period

  Level: intermediate

.seealso: `NNSetFourierFeatures()`, `NNSetSizes()`
@*/
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

/*@
  NNSetFourierFeatures - Adds random Fourier features (cos(2 pi b . x), sin(2 pi b . x)) with
  frequencies b drawn from N(0, sigma^2) from the network's seed.

  Logically Collective; before `NNSetUp()`

  Input Parameters:
+ nn        - the network
. nfeatures - number of frequencies (0: none, the default)
- sigma     - their standard deviation, positive

  Options Database Keys:
+ -nn_fourier_features <0> - the number of frequencies
- -nn_fourier_sigma <1>    - their standard deviation

  Level: intermediate

.seealso: `NNSetPeriodicInputs()`, `NNSetSeed()`
@*/
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

/*@C
  NNSetOutputTransform - Sets a transform applied to the network's output and its jets (e.g. to
  impose boundary conditions exactly).

  Logically Collective

  Input Parameters:
+ nn  - the network
. fn  - the transform (NULL for none)
- ctx - its context

  Level: intermediate

.seealso: `NNOutputTransformFn`, `NNForward()`
@*/
PetscErrorCode NNSetOutputTransform(NN nn, NNOutputTransformFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  nn->transform     = fn;
  nn->transform_ctx = ctx;
  PetscFunctionReturn(0);
}

/*@
  NNSetJets - Chooses the derivative jets that the next evaluations compute, besides the value:
  first derivatives, second derivatives and a Laplacian stream (see nn.h for the stream order).

  Not Collective

  Input Parameters:
+ nn     - the network, with its sizes set
. nderiv - number of first derivatives
. deriv  - the inputs i of the first derivatives d/dx_i
. npairs - number of second derivatives
. pairs  - 2*npairs inputs (i, j) of the second derivatives d2/dx_i dx_j
. nlap   - number of inputs in the Laplacian (0: no Laplacian stream)
- lap    - those inputs

  Level: intermediate

.seealso: `NNGetNumJets()`, `NNGetJetIndex()`, `NNAddJetRequest()`, `NNForward()`
@*/
PetscErrorCode NNSetJets(NN nn, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap, const PetscInt lap[])
{
  PetscFunctionBegin;
  PetscCall(NNSetJetsOperator(nn, nderiv, deriv, npairs, pairs, nlap, lap, NULL, NULL));
  PetscFunctionReturn(0);
}

/*@
  NNSetJetsOperator - As `NNSetJets()`, with the Laplacian stream generalized to a linear operator with
  constant coefficients, L = sum_l lapw[l] d2/dx_{lap[l]}^2 + sum_k drift[k] d/dx_k (e.g. u_t - nu u_xx).
  The operator costs one stream however many terms it has: the drift needs no first-derivative
  streams, and the second-order part only those of its inputs. `NNGetJetIndex()` with
  `NN_JET_LAPLACIAN` returns its stream.

  Not Collective

  Input Parameters:
+ nn     - the network, with its sizes set
. nderiv - number of first derivatives
. deriv  - the inputs i of the first derivatives d/dx_i
. npairs - number of second derivatives
. pairs  - 2*npairs inputs (i, j) of the second derivatives d2/dx_i dx_j
. nlap   - number of inputs in the operator's second-order part (PETSC_DETERMINE with lap NULL: all)
. lap    - those inputs
. lapw   - their weights (NULL: all 1)
- drift  - the drift coefficients, one per input (NULL: none); with nlap 0 and a drift the stream is
           the directional derivative drift . grad u

  Level: intermediate

.seealso: `NNSetJets()`, `NNAddJetRequestOperator()`, `NNGetJetIndex()`
@*/
PetscErrorCode NNSetJetsOperator(NN nn, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                                 const PetscInt lap[], const PetscReal lapw[], const PetscReal drift[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->nin > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before NNSetJets()");
  if (nn->jets_borrowed) PetscCall(PetscMemzero(&nn->jets, sizeof(nn->jets))); /* the request keeps its arrays */
  nn->jets_borrowed = PETSC_FALSE;
  PetscCall(NNJetsSetUp_Private(&nn->jets, nn->nin, nderiv, deriv, npairs, pairs, nlap, lap, lapw, drift));
  nn->jets_set = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/*@C
  NNAddJetRequest - Builds a set of jets once (arguments as NNSetJets()) and keeps it in the
  network, to be selected later with NNSetJetRequest() without building it again; for callers
  that switch between a few fixed sets of jets at every evaluation (a PINN's point groups).

  Not Collective

  Input Parameters:
+ nn     - the network, with its sizes set
. nderiv - number of first derivatives
. deriv  - their inputs
. npairs - number of second derivatives
. pairs  - 2*npairs inputs
. nlap   - number of inputs in the Laplacian (0: none)
- lap    - those inputs

  Output Parameter:
. id - the request's number, for NNSetJetRequest()

  Level: developer

.seealso: `NNSetJetRequest()`, `NNSetJets()`
@*/
PetscErrorCode NNAddJetRequest(NN nn, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                               const PetscInt lap[], PetscInt *id)
{
  PetscFunctionBegin;
  PetscCall(NNAddJetRequestOperator(nn, nderiv, deriv, npairs, pairs, nlap, lap, NULL, NULL, id));
  PetscFunctionReturn(0);
}

/*@C
  NNAddJetRequestOperator - As `NNAddJetRequest()`, with the operator stream of `NNSetJetsOperator()`.

  Not Collective

  Input Parameters:
+ nn     - the network, with its sizes set
. nderiv - number of first derivatives
. deriv  - their inputs
. npairs - number of second derivatives
. pairs  - 2*npairs inputs
. nlap   - number of inputs in the operator's second-order part
. lap    - those inputs
. lapw   - their weights (NULL: all 1)
- drift  - drift coefficients, one per input (NULL: none)

  Output Parameter:
. id - the request's number, for NNSetJetRequest()

  Level: developer

.seealso: `NNSetJetsOperator()`, `NNSetJetRequest()`
@*/
PetscErrorCode NNAddJetRequestOperator(NN nn, PetscInt nderiv, const PetscInt deriv[], PetscInt npairs, const PetscInt pairs[], PetscInt nlap,
                                       const PetscInt lap[], const PetscReal lapw[], const PetscReal drift[], PetscInt *id)
{
  NNJets *req;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscValidIntPointer(id, 10);
  PetscCheck(nn->nin > 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetSizes() before NNAddJetRequest()");
  PetscCall(PetscCalloc1(nn->nrequests + 1, &req));
  if (nn->nrequests) PetscCall(PetscArraycpy(req, nn->requests, nn->nrequests));
  PetscCall(PetscFree(nn->requests));
  nn->requests = req; /* a borrowed nn->jets holds the arrays, not the moved structs: still valid */
  PetscCall(NNJetsSetUp_Private(&nn->requests[nn->nrequests], nn->nin, nderiv, deriv, npairs, pairs, nlap, lap, lapw, drift));
  *id = nn->nrequests++;
  PetscFunctionReturn(0);
}

/*@C
  NNSetJetRequest - Makes the jets of a request of NNAddJetRequest() those the next evaluations
  compute, as NNSetJets() with the same arguments would, without building them again.

  Not Collective

  Input Parameters:
+ nn - the network
- id - a number returned by `NNAddJetRequest()`

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

/*@
  NNGetNumJets - Gets the number of streams (value and derivatives) an evaluation produces per point.

  Not Collective

  Input Parameter:
. nn - the network

  Output Parameter:
. S - the number of streams (1 before `NNSetJets()`)

  Level: intermediate

.seealso: `NNSetJets()`, `NNGetJetIndex()`
@*/
PetscErrorCode NNGetNumJets(NN nn, PetscInt *S)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  *S = nn->jets_set ? nn->jets.S : 1;
  PetscFunctionReturn(0);
}

/*@
  NNGetJetIndex - Gets the stream that holds a derivative in the jets set by `NNSetJets()`.

  Not Collective

  Input Parameters:
+ nn   - the network
. kind - `NN_JET_VALUE`, `NN_JET_DERIVATIVE`, `NN_JET_SECOND_DERIVATIVE` or `NN_JET_LAPLACIAN`
. i    - the input of a derivative (ignored for the value and the Laplacian)
- j    - the second input of a second derivative (ignored otherwise)

  Output Parameter:
. s - the stream's index; an error if the derivative was not requested

  Level: intermediate

.seealso: `NNSetJets()`, `NNGetNumJets()`
@*/
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
    if (J->hasL) *s = J->S - 1;
    break;
  }
  PetscCheck(*s >= 0, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE,
             "Jet (kind %d, %" PetscInt_FMT ", %" PetscInt_FMT ") was not requested in NNSetJets()", (int)kind, i, j);
  PetscFunctionReturn(0);
}

/*@
  NNSetFromOptions - Sets the network's type, seed, initialization, embedding and the type's own
  settings from the options database.

  Collective

  Input Parameter:
. nn - the network

  Options Database Keys:
+ -nn_type <mlp>                - `NNSetType()`
. -nn_seed <0>                  - `NNSetSeed()`
. -nn_init <glorot_normal>      - `NNSetInitialization()`
. -nn_init_scale <1>            - `NNSetInitialization()`
. -nn_periodic_inputs <i,j,...> - `NNSetPeriodicInputs()`
. -nn_period <6.28319>          - `NNSetPeriodicInputs()`
. -nn_fourier_features <0>      - `NNSetFourierFeatures()`
. -nn_fourier_sigma <1>         - `NNSetFourierFeatures()`
- -nn_mlp_..., -nn_cnn3d_...    - the type's own options

  Level: beginner

.seealso: `NNCreate()`, `NNSetUp()`
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
  NNSetUp - Builds the parameter Vec and draws the initial parameters (type `NNMLP` unless set).

  Collective

  Input Parameter:
. nn - the network, with its sizes set

  Level: beginner

.seealso: `NNCreate()`, `NNSetFromOptions()`, `NNGetParameters()`, `NNInitializeParameters()`
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
  NNInitializeParameters - Redraws the parameters from the seed and the initialization; the draw
  is the same on any number of ranks.

  Collective

  Input Parameter:
. nn - the network, set up

  Level: intermediate

.seealso: `NNSetSeed()`, `NNSetInitialization()`, `NNSetUp()`
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

/*@C
  NNGetArchitecture - Gets a one-line description of the architecture (type, sizes, layers,
  embedding), which checkpoints store and compare on reading.

  Not Collective

  Input Parameters:
+ nn  - the network, set up
- len - the size of buf

  Output Parameter:
. buf - the description

  Level: intermediate

.seealso: `NNView()`, `NNCheckpointReadNN()`
@*/
PetscErrorCode NNGetArchitecture(NN nn, char buf[], size_t len)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  PetscCall((*nn->ops->architecture)(nn, buf, len));
  PetscFunctionReturn(0);
}

/*@
  NNGetParameters - Gets the parameter Vec (borrowed: do not destroy it); changing its values
  changes the network.

  Not Collective

  Input Parameter:
. nn - the network, set up

  Output Parameter:
. params - the parameters, distributed over the network's ranks

  Level: beginner

.seealso: `NNGetNumParameters()`, `NNSetUp()`, `NNReduceGradient()`
@*/
PetscErrorCode NNGetParameters(NN nn, Vec *params)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCheck(nn->setupcalled, PetscObjectComm((PetscObject)nn), PETSC_ERR_ARG_WRONGSTATE, "Call NNSetUp() first");
  *params = nn->params;
  PetscFunctionReturn(0);
}

/*@
  NNGetNumParameters - Gets the number of parameters.

  Not Collective

  Input Parameter:
. nn - the network, set up

  Output Parameter:
. n - the global size of the parameter Vec

  Level: beginner

.seealso: `NNGetParameters()`
@*/
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

/* Lends the network a replicated parameter array owned by the caller (a PINN evaluating at the
   optimizer's point); NULL returns to the network's own parameters */
PetscErrorCode NNSetLocalParameters_Private(NN nn, const PetscReal theta[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  nn->lent = theta;
  PetscFunctionReturn(0);
}

/*@
  NNReduceGradient - Sums every rank's gradient array (from `NNBackward()` on its own points) into a
  Vec laid out as the parameters.

  Collective

  Input Parameters:
+ nn     - the network
- glocal - this rank's gradient, all num_parameters entries

  Output Parameter:
. G - the summed gradient, of the global size of the parameters

  Level: intermediate

.seealso: `NNBackward()`, `NNForwardBackward()`, `NNGetParameters()`
@*/
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
  NNForward - Evaluates the requested jets at n points (see nn.h for the layouts).

  Not Collective: each rank evaluates its own points with its replicated copy of the parameters

  Input Parameters:
+ nn - the network, set up
. n  - the number of points (0 allowed)
- x  - the points, x[p*d + k]

  Output Parameter:
. y - the jets, y[(s*n + p)*m + o] for stream s (see `NNGetNumJets()`), point p, output o

  Level: beginner

.seealso: `NNSetJets()`, `NNBackward()`, `NNForwardBackward()`, `NNGetJetIndex()`
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
  NNBackward - Reverse mode through the jets of the last `NNForward()`: gtheta += dL/dtheta,
  xbar = dL/dx.

  Not Collective; sum the ranks' gradients with `NNReduceGradient()`

  Input Parameters:
+ nn   - the network
- ybar - dL/dy, laid out as the y of `NNForward()`

  Output Parameters:
+ gtheta - the gradient with respect to the parameters, all of them, added to
- xbar   - dL/dx, laid out as the points (NULL if not wanted)

  Level: intermediate

.seealso: `NNForward()`, `NNReduceGradient()`, `NNForwardBackward()`
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

/*@C
  NNView - Prints the network (type, sizes, seed, architecture, number of parameters); a binary or
  HDF5 viewer gets the parameter Vec.

  Collective

  Input Parameters:
+ nn     - the network
- viewer - the viewer (NULL: stdout of the network's communicator)

  Level: beginner

.seealso: `NNViewFromOptions()`, `NNGetArchitecture()`
@*/
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

/*@C
  NNViewFromOptions - Views the network if the named option is given.

  Collective

  Input Parameters:
+ nn   - the network
. obj  - an object whose prefix to use (NULL: the network's)
- name - the option, e.g. "-nn_view"

  Options Database Key:
. -nn_view - view the network

  Level: intermediate

.seealso: `NNView()`
@*/
PetscErrorCode NNViewFromOptions(NN nn, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(nn, NN_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)nn, obj, name));
  PetscFunctionReturn(0);
}

/*@
  NNDestroy - Destroys a network (drops one reference).

  Collective

  Input Parameter:
. nn - the network; set to NULL (NULL is allowed)

  Level: beginner

.seealso: `NNCreate()`
@*/
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

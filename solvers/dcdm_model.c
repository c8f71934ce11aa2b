/* The DCDM network shared by KSPDCDM and PCDCDM: where its grid and its weights come from, and loading it
   (include/nnpde/private/dcdmimpl.h). */
#include <nnpde/private/dcdmimpl.h>
#include <nnpde/cnn3d.h>
#include <nnpde/checkpoint.h>
#include <petscdmda.h>

/* Where the shipped weights are looked for (set by CMakeLists.txt) */
#ifndef NNPDE_DCDM_MODEL_INSTALLED
#define NNPDE_DCDM_MODEL_INSTALLED "/usr/local/share/nnpde/" NNPDE_DCDM_DEFAULT_MODEL
#endif
#ifndef NNPDE_DCDM_MODEL_SOURCE
#define NNPDE_DCDM_MODEL_SOURCE "data/" NNPDE_DCDM_DEFAULT_MODEL
#endif

/*@C
  DCDMGetGrid_Private - Finds the structured grid DCDM's network runs on: the DMDA attached to the
  solver, else the one attached to the operator.

  Not Collective

  Input Parameters:
+ dm  - the DM of the KSP or PC, or NULL
- mat - the operator, or NULL

  Output Parameter:
. da - the DMDA, or NULL if neither has one

  Level: developer

.seealso: `DCDMCheckGrid_Private()`, `KSPDCDM`, `PCDCDM`
@*/
PetscErrorCode DCDMGetGrid_Private(DM dm, Mat mat, DM *da)
{
  PetscBool isda = PETSC_FALSE;

  PetscFunctionBegin;
  *da = NULL;
  if (dm) PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMDA, &isda));
  if (!isda && mat) {
    PetscCall(MatGetDM(mat, &dm));
    if (dm) PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMDA, &isda));
  }
  if (isda) *da = dm;
  PetscFunctionReturn(0);
}

/*@C
  DCDMCheckGrid_Private - Checks that DCDM has a grid for its network: a 3-D DMDA with one dof.

  Collective

  Input Parameters:
+ comm   - the communicator of the error
. da     - the grid from DCDMGetGrid_Private(), or NULL (an error that says how to attach one)
- attach - what the user attaches the DMDA to, for the message ("the KSP (KSPSetDM())", ...)

  Level: developer

.seealso: `DCDMGetGrid_Private()`
@*/
PetscErrorCode DCDMCheckGrid_Private(MPI_Comm comm, DM da, const char attach[])
{
  PetscInt dim, dof;

  PetscFunctionBegin;
  PetscCheck(da, comm, PETSC_ERR_ARG_WRONGSTATE,
             "DCDM's network needs the structured grid: attach a DMDA to %s or the Mat (MatSetDM(), or create the Mat with DMCreateMatrix())",
             attach);
  PetscCall(DMDAGetInfo(da, &dim, NULL, NULL, NULL, NULL, NULL, NULL, &dof, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(dim == 3 && dof == 1, comm, PETSC_ERR_ARG_WRONG,
             "DCDM's network needs a 3-D DMDA with 1 dof, the attached one has dimension %" PetscInt_FMT " and %" PetscInt_FMT " dof", dim, dof);
  PetscFunctionReturn(0);
}

/*@C
  DCDMCheckLayers_Private - Checks a cnn3d layer-list size given by an option: 64 or 128.

  Collective

  Input Parameters:
+ comm   - the communicator of the error
. layers - the value given
- option - the option's name, for the message

  Level: developer

.seealso: `DCDMFindModel_Private()`
@*/
PetscErrorCode DCDMCheckLayers_Private(MPI_Comm comm, PetscInt layers, const char option[])
{
  PetscFunctionBegin;
  PetscCheck(layers == 64 || layers == 128, comm, PETSC_ERR_ARG_OUTOFRANGE, "%s must be 64 or 128 (the cnn3d layer lists), got %" PetscInt_FMT,
             option, layers);
  PetscFunctionReturn(0);
}

/*@C
  DCDMFindModel_Private - Finds the file of DCDM's network weights: the one given by the option, else
  $NNPDE_DCDM_MODEL, else the shipped K = 64 weights (installed, then in the source tree).

  Collective

  Input Parameters:
+ comm   - the communicator (rank 0 looks for the files and tells the others)
. model  - the file given by the option, or NULL or "" if none
. layers - the layer-list size K of the network wanted (the shipped weights are K = 64)
. option - the option that gives the file, for messages
. other  - an alternative to suggest when nothing is found (e.g. "train one with DCDMTrainer")
- len    - the size of path

  Output Parameters:
+ path   - the file
- source - where it came from, in words ("given by -ksp_dcdm_model", ...), of size slen

  Level: developer

.seealso: `DCDMLoadModelWithPrefix_Private()`
@*/
PetscErrorCode DCDMFindModel_Private(MPI_Comm comm, const char model[], PetscInt layers, const char option[], const char other[], char path[],
                                     size_t len, char source[], size_t slen)
{
  const char *const where[2]  = {NNPDE_DCDM_MODEL_INSTALLED, NNPDE_DCDM_MODEL_SOURCE};
  const char *const whence[2] = {"the shipped default, installed", "the shipped default, in the source tree"};
  char              env[PETSC_MAX_PATH_LEN];
  PetscBool         flg;
  PetscMPIInt       rank;
  int               found = -1;

  PetscFunctionBegin;
  if (model && model[0]) {
    PetscCall(PetscStrncpy(path, model, len));
    PetscCall(PetscSNPrintf(source, slen, "given by %s", option));
    PetscFunctionReturn(0);
  }
  /* the environment as rank 0 sees it, on every rank */
  PetscCall(PetscOptionsGetenv(comm, NNPDE_DCDM_MODEL_ENV, env, sizeof(env), &flg));
  if (flg && env[0]) {
    PetscCall(PetscStrncpy(path, env, len));
    PetscCall(PetscStrncpy(source, "given by $" NNPDE_DCDM_MODEL_ENV, slen));
    PetscFunctionReturn(0);
  }
  PetscCheck(layers == 64, comm, PETSC_ERR_ARG_WRONGSTATE,
             "The shipped DCDM weights (%s) are the K = 64 network; for K = %" PetscInt_FMT " give %s file.h5 (a checkpoint with a K = %" PetscInt_FMT
             " cnn3d network named \"" NNPDE_DCDM_NETWORK_NAME "\")",
             NNPDE_DCDM_DEFAULT_MODEL, layers, option, layers);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    for (int i = 0; i < 2 && found < 0; i++) {
      PetscCall(PetscTestFile(where[i], 'r', &flg));
      if (flg) found = i;
    }
  }
  PetscCallMPI(MPI_Bcast(&found, 1, MPI_INT, 0, comm));
  PetscCheck(found >= 0, comm, PETSC_ERR_FILE_OPEN,
             "No weights for DCDM's network: %s was not given, $" NNPDE_DCDM_MODEL_ENV " is not set, and the shipped " NNPDE_DCDM_DEFAULT_MODEL
             " is neither installed (%s) nor in the source tree (%s). Give %s file.h5 (an nnpde checkpoint with a cnn3d network named "
             "\"" NNPDE_DCDM_NETWORK_NAME "\"), set " NNPDE_DCDM_MODEL_ENV "=file.h5, or %s",
             option, where[0], where[1], option, other);
  PetscCall(PetscStrncpy(path, where[found], len));
  PetscCall(PetscStrncpy(source, whence[found], slen));
  PetscFunctionReturn(0);
}

/* The network's own options (-nn_cnn3d_block, ...) under the owner's prefix. Its layer list and type are the model's:
   an option that changes them is an error that names the option to use instead. */
static PetscErrorCode DCDMSetFromOptions(NN nn, PetscInt layers, const char option[])
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)nn);
  PetscBool   iscnn;
  PetscInt    K;
  const char *prefix;

  PetscFunctionBegin;
  PetscCall(NNSetFromOptions(nn));
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)nn, &prefix));
  PetscCall(PetscObjectTypeCompare((PetscObject)nn, NNCNN3D, &iscnn));
  if (!iscnn) {
    NNType type;

    PetscCall(NNGetType(nn, &type));
    SETERRQ(comm, PETSC_ERR_ARG_INCOMP, "DCDM's network is of type cnn3d, -%snn_type %s cannot change it", prefix ? prefix : "", type);
  }
  PetscCall(NNCNN3DGetLayers(nn, &K));
  PetscCheck(K == layers, comm, PETSC_ERR_ARG_INCOMP,
             "DCDM's network has the K = %" PetscInt_FMT " layer list of %s_layers; -%snn_cnn3d_layers %" PetscInt_FMT
             " cannot change it (use %s_layers)",
             layers, option, prefix ? prefix : "", K, option);
  PetscFunctionReturn(0);
}

/*@C
  DCDMLoadModelWithPrefix_Private - Loads DCDM's network from a checkpoint file onto a grid, with the
  network's own options under the owner's prefix; a network already loaded keeps its weights and only
  follows the grid.

  Collective

  Input Parameters:
+ da     - the 3-D DMDA the network runs on
. prefix - the options prefix of the owner (KSP or PC), or NULL
. path   - the checkpoint file (DCDMFindModel_Private())
. source - where path came from, for messages
. layers - the layer-list size K the file must hold
. option - the option that gives the file, for messages
- net    - the network, or NULL on the first load

  Output Parameter:
. net - the loaded network

  Notes:
  Errors name the file, where it came from and what to do (wrong K, no network named
  "dcdm" in the file, an option that would change the network's type or layers).

  Level: developer

.seealso: `DCDMFindModel_Private()`, `DCDMNetworkApply_Private()`
@*/
PetscErrorCode DCDMLoadModelWithPrefix_Private(DM da, const char prefix[], const char path[], const char source[], PetscInt layers,
                                               const char option[], NN *net)
{
  MPI_Comm       comm;
  NN             nn;
  NNCheckpoint   ck = NULL;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)da, &comm));
  if (*net) { /* the same weights: only the grid may have changed */
    DM old;

    PetscCall(NNCNN3DGetDM(*net, &old));
    if (old != da) PetscCall(NNCNN3DSetDM(*net, da));
    PetscFunctionReturn(0);
  }
  PetscCall(DCDMCheckLayers_Private(comm, layers, option));
  PetscCall(NNCreate(comm, &nn));
  PetscCall(NNSetType(nn, NNCNN3D));
  PetscCall(NNCNN3DSetLayers(nn, layers));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)nn, prefix));
  ierr = DCDMSetFromOptions(nn, layers, option);
  if (!ierr) ierr = NNSetUp(nn);
  if (!ierr) ierr = NNCNN3DSetDM(nn, da); /* the grid's own errors (odd sizes, ...) as they are */
  if (ierr) PetscCall(NNDestroy(&nn));
  PetscCall(ierr);

  /* the file: any failure is reported with the file, where its name came from and the option to change it */
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NNCheckpointOpen(comm, path, FILE_MODE_READ, &ck);
  if (!ierr) ierr = NNCheckpointReadNN(ck, NNPDE_DCDM_NETWORK_NAME, nn);
  if (ck) (void)NNCheckpointClose(&ck);
  PetscCall(PetscPopErrorHandler());
  if (ierr) {
    char *spec = NULL, why[1024] = "", hint[256] = "";

    PetscCall(NNDestroy(&nn));
    PetscCall(PetscErrorMessage(ierr, NULL, &spec));
    if (spec) PetscCall(PetscStrncpy(why, spec, sizeof(why))); /* a copy: the message buffer is reused by the error below */
    if (ierr == PETSC_ERR_ARG_INCOMP)
      PetscCall(PetscSNPrintf(hint, sizeof(hint),
                              ". It must hold a cnn3d network named \"" NNPDE_DCDM_NETWORK_NAME "\" with the K = %" PetscInt_FMT
                              " layer list (%s_layers)",
                              layers, option));
    SETERRQ(comm, ierr, "Cannot load DCDM's network from %s (%s): %s%s", path, source, why, hint);
  }
  *net = nn;
  PetscFunctionReturn(0);
}

/*@C
  DCDMDecoupledRows_Private - Finds the rows of A without a nonzero off-diagonal entry.

  Collective

  Input Parameter:
. A - the operator

  Output Parameters:
+ mask       - 0 on the decoupled rows, 1 elsewhere (NULL for a matrix-free operator)
. dinv       - 1/a_ii on the decoupled rows, 0 elsewhere (NULL for a matrix-free operator)
- ndecoupled - their global number

  Notes:
  Decoupled rows are solid cells and identity rows of Dirichlet or masked unknowns. The network's
  output is not used there (DCDMTrainer masks it to the fluid cells of Poisson3d, which are these
  coupled rows unless a fluid cell is isolated); they are solved by a Jacobi step, exact there.
  Matrix-free operators (no MatGetRow()) have none.

  Level: developer

.seealso: `DCDMNetworkApply_Private()`
@*/
PetscErrorCode DCDMDecoupledRows_Private(Mat A, Vec *mask, Vec *dinv, PetscInt *ndecoupled)
{
  PetscInt     rstart, rend, nloc = 0;
  PetscScalar *m, *d;

  PetscFunctionBegin;
  *mask       = NULL;
  *dinv       = NULL;
  *ndecoupled = 0;
  {
    PetscBool has;

    PetscCall(MatHasOperation(A, MATOP_GET_ROW, &has));
    if (!has) { /* a matrix-free operator: no rows to inspect, the network everywhere */
      PetscCall(PetscInfo(A, "DCDM: the operator has no MatGetRow(); no decoupled rows are looked for\n"));
      PetscFunctionReturn(0);
    }
  }
  PetscCall(MatCreateVecs(A, mask, dinv));
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  PetscCall(VecGetArrayWrite(*mask, &m));
  PetscCall(VecGetArrayWrite(*dinv, &d));
  for (PetscInt i = rstart; i < rend; i++) {
    PetscInt           nc;
    const PetscInt    *cols;
    const PetscScalar *vals;
    PetscScalar        diag    = 0;
    PetscBool          coupled = PETSC_FALSE;

    PetscCall(MatGetRow(A, i, &nc, &cols, &vals));
    for (PetscInt k = 0; k < nc; k++) {
      if (cols[k] == i)
        diag = vals[k];
      else if (vals[k] != 0.0)
        coupled = PETSC_TRUE;
    }
    PetscCall(MatRestoreRow(A, i, &nc, &cols, &vals));
    m[i - rstart] = coupled ? 1.0 : 0.0;
    d[i - rstart] = (coupled || diag == 0.0) ? 0.0 : 1.0 / diag;
    if (!coupled) nloc++;
  }
  PetscCall(VecRestoreArrayWrite(*mask, &m));
  PetscCall(VecRestoreArrayWrite(*dinv, &d));
  PetscCall(MPIU_Allreduce(&nloc, ndecoupled, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)A)));
  PetscFunctionReturn(0);
}

/*@C
  DCDMNetworkApply_Private - Applies DCDM's network to a residual, scaled to unit RMS as in training.

  Collective

  Input Parameters:
+ net   - the cnn3d network
. mask  - 1 on the rows where the output is used, 0 elsewhere, or NULL (everywhere)
. work  - a work Vec like r
. r     - the residual
- rnorm - its 2-norm

  Output Parameter:
. q - mask .* f(sqrt(N) r / rnorm), N the global size of r

  Notes:
  The network sees the residual at unit RMS over the N grid cells, as in training, so the input
  statistics do not depend on the grid size.

  Level: developer

.seealso: `DCDMDecoupledRows_Private()`, `KSPDCDM`
@*/
PetscErrorCode DCDMNetworkApply_Private(NN net, Vec mask, Vec work, Vec r, PetscReal rnorm, Vec q)
{
  PetscInt N;

  PetscFunctionBegin;
  PetscCall(VecGetSize(r, &N));
  PetscCall(VecAXPBY(work, PetscSqrtReal((PetscReal)N) / rnorm, 0.0, r));
  PetscCall(NNCNN3DApply(net, work, q));
  if (mask) PetscCall(VecPointwiseMult(q, q, mask));
  PetscFunctionReturn(0);
}

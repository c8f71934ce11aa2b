/* PCDCDM: the DCDM network as a PETSc preconditioner, z = ||r|| f(sqrt(N) r/||r||) on the coupled rows, Jacobi on the
   decoupled ones (reference/dcdm.md, sections 1 and 7). */
#include <nnpde/dcdm.h>
#include <nnpde/cnn3d.h>
#include <nnpde/private/dcdmimpl.h>
#include <petsc/private/pcimpl.h>

typedef struct {
  char      model[PETSC_MAX_PATH_LEN]; /* as given; empty: the default (DCDMFindModel_Private()) */
  char      path[PETSC_MAX_PATH_LEN];  /* the file the network was loaded from */
  PetscInt  layers;                    /* the cnn3d layer list of the model: 64 or 128 */
  NN        net;                       /* loaded at set-up */
  Vec       rn;                        /* the network's input */
  Vec       mask, dinv;                /* decoupled rows of the Pmat (0 in mask, 1/a_ii in dinv); NULL if none */
  PetscInt  ndecoupled;
  PetscBool scale;     /* scale the network's output by z'r/z'Az (the A-norm-optimal step along it) */
  Vec       diag;      /* the Pmat's diagonal: the Jacobi fallback when z'Az <= 0 */
  PetscInt  nfallback; /* applications that fell back to Jacobi */
} PC_DCDM;

/* z += d .* r (work: a Vec like r) */
static PetscErrorCode VecPointwiseMultAdd_Private(Vec z, Vec d, Vec r, Vec work)
{
  PetscFunctionBegin;
  PetscCall(VecPointwiseMult(work, d, r));
  PetscCall(VecAXPY(z, 1.0, work));
  PetscFunctionReturn(0);
}

static PetscErrorCode PCSetUp_DCDM(PC pc)
{
  PC_DCDM *dcdm = (PC_DCDM *)pc->data;
  MPI_Comm comm = PetscObjectComm((PetscObject)pc);
  DM       da;
  char     source[PETSC_MAX_PATH_LEN] = "";

  PetscFunctionBegin;
  PetscCall(DCDMGetGrid_Private(pc->dm, pc->pmat, &da));
  PetscCall(DCDMCheckGrid_Private(comm, da, "the PC (PCSetDM(), or KSPSetDM() on its KSP)"));
  if (!dcdm->net)
    PetscCall(DCDMFindModel_Private(comm, dcdm->model, dcdm->layers, "-pc_dcdm_model", "choose another -pc_type", dcdm->path, sizeof(dcdm->path),
                                    source, sizeof(source)));
  PetscCall(DCDMLoadModelWithPrefix_Private(da, ((PetscObject)pc)->prefix, dcdm->path, source, dcdm->layers, "-pc_dcdm_model", &dcdm->net));
  PetscCall(VecDestroy(&dcdm->rn));
  PetscCall(DMCreateGlobalVector(da, &dcdm->rn));
  { /* the grid must be the operator's layout (a DMDA of another size failed at the first application, in VecAXPBY) */
    PetscInt    n, N, m, M;
    PetscMPIInt bad, anybad;

    PetscCall(VecGetSize(dcdm->rn, &N));
    PetscCall(VecGetLocalSize(dcdm->rn, &n));
    PetscCall(MatGetSize(pc->pmat, &M, NULL));
    PetscCall(MatGetLocalSize(pc->pmat, &m, NULL));
    bad = (PetscMPIInt)(n != m);
    PetscCallMPI(MPI_Allreduce(&bad, &anybad, 1, MPI_INT, MPI_MAX, comm));
    PetscCheck(N == M && !anybad, comm, PETSC_ERR_ARG_INCOMP,
               "PC dcdm: the grid has %" PetscInt_FMT " unknowns (%" PetscInt_FMT " on this rank) and the operator %" PetscInt_FMT
               " rows (%" PetscInt_FMT " here): attach the DMDA the matrix was built on (DMCreateMatrix(), PCSetDM())",
               N, n, M, m);
  }
  PetscCall(VecDestroy(&dcdm->mask));
  PetscCall(VecDestroy(&dcdm->dinv));
  PetscCall(DCDMDecoupledRows_Private(pc->pmat, &dcdm->mask, &dcdm->dinv, &dcdm->ndecoupled));
  PetscCall(VecDestroy(&dcdm->diag));
  if (dcdm->scale) {
    PetscCall(MatCreateVecs(pc->pmat, &dcdm->diag, NULL));
    PetscCall(MatGetDiagonal(pc->pmat, dcdm->diag));
  }
  if (!dcdm->ndecoupled) {
    PetscCall(VecDestroy(&dcdm->mask));
    PetscCall(VecDestroy(&dcdm->dinv));
  }
  PetscFunctionReturn(0);
}

/* z = ||r|| mask .* f(sqrt(N) r/||r||) + dinv .* r: the network on the coupled rows (input at unit RMS, as in
   training), a Jacobi step on the decoupled ones; positively homogeneous, z = 0 for r = 0 */
static PetscErrorCode PCApply_DCDM(PC pc, Vec r, Vec z)
{
  PC_DCDM  *dcdm = (PC_DCDM *)pc->data;
  PetscReal rnorm;

  PetscFunctionBegin;
  PetscCall(VecNorm(r, NORM_2, &rnorm));
  if (rnorm == 0.0) {
    PetscCall(VecSet(z, 0.0));
    PetscFunctionReturn(0);
  }
  if (PetscIsInfOrNanReal(rnorm)) { /* pass it on: the Krylov method reports the non-finite residual */
    PetscCall(VecCopy(r, z));
    PetscFunctionReturn(0);
  }
  PetscCall(DCDMNetworkApply_Private(dcdm->net, dcdm->mask, dcdm->rn, r, rnorm, z));
  if (dcdm->scale) { /* z *= z'r / z'Az: the network's output at the scale of A^-1 (one MatMult, one reduction) */
    PetscScalar d[2];
    Vec         v[2];

    PetscCall(MatMult(pc->mat, z, dcdm->rn));
    v[0] = dcdm->rn, v[1] = r;
    PetscCall(VecMDot(z, 2, v, d));
    if (PetscIsInfOrNanScalar(d[0]) || PetscIsInfOrNanScalar(d[1]) || PetscRealPart(d[0]) <= 0) {
      /* no usable output (zero, not finite): a Jacobi step */
      PetscCall(PetscInfo(pc, "PCDCDM: z'Az = %g, falling back to a Jacobi step\n", (double)PetscRealPart(d[0])));
      dcdm->nfallback++;
      PetscCall(VecPointwiseDivide(z, r, dcdm->diag));
      PetscFunctionReturn(0);
    }
    PetscCall(VecScale(z, d[1] / d[0]));
  } else
    PetscCall(VecScale(z, rnorm));
  if (dcdm->dinv) PetscCall(VecPointwiseMultAdd_Private(z, dcdm->dinv, r, dcdm->rn));
  PetscFunctionReturn(0);
}

static PetscErrorCode PCView_DCDM(PC pc, PetscViewer viewer)
{
  PC_DCDM  *dcdm = (PC_DCDM *)pc->data;
  PetscBool iascii;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
  if (!iascii) PetscFunctionReturn(0);
  if (dcdm->scale)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  z = (q'r/q'Aq) q, q = f(sqrt(N) r/||r||), on coupled rows, Jacobi on the %" PetscInt_FMT
                                     " decoupled rows; f the DCDM network (nonlinear: use a flexible Krylov method, e.g. fcg); %" PetscInt_FMT
                                     " Jacobi fallbacks (q'Aq <= 0)\n",
                                     dcdm->ndecoupled, dcdm->nfallback));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  z = ||r|| f(sqrt(N) r/||r||) on coupled rows, Jacobi on the %" PetscInt_FMT
                                     " decoupled rows; f the DCDM network (nonlinear: use a flexible Krylov method, e.g. fcg)\n",
                                     dcdm->ndecoupled));
  if (dcdm->net) {
    DM       da;
    PetscInt M, N, P, np;

    PetscCall(NNCNN3DGetDM(dcdm->net, &da));
    PetscCall(DMDAGetInfo(da, NULL, &M, &N, &P, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    PetscCall(NNGetNumParameters(dcdm->net, &np));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  model: %s (cnn3d, K = %" PetscInt_FMT " layer list, %" PetscInt_FMT " parameters)\n", dcdm->path,
                                     dcdm->layers, np));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  grid: %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT " DMDA\n", M, N, P));
  } else if (dcdm->model[0])
    PetscCall(PetscViewerASCIIPrintf(viewer, "  model: %s (cnn3d, K = %" PetscInt_FMT " layer list; loaded at set-up)\n", dcdm->model, dcdm->layers));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  model: $" NNPDE_DCDM_MODEL_ENV " or the shipped " NNPDE_DCDM_DEFAULT_MODEL " (cnn3d, K = %" PetscInt_FMT
                                     " layer list; found at set-up)\n",
                                     dcdm->layers));
  PetscFunctionReturn(0);
}

static PetscErrorCode PCSetFromOptions_DCDM(PC pc, PetscOptionItems *PetscOptionsObject)
{
  PC_DCDM  *dcdm   = (PC_DCDM *)pc->data;
  PetscInt  layers = dcdm->layers;
  char      model[PETSC_MAX_PATH_LEN];
  PetscBool flg, scale;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "PC DCDM options");
  PetscCall(
      PetscOptionsString("-pc_dcdm_model", "Network weights (nnpde HDF5 checkpoint)", "PCDCDMSetModel", dcdm->model, model, sizeof(model), &flg));
  if (flg) PetscCall(PCDCDMSetModel(pc, model));
  PetscCall(
      PetscOptionsInt("-pc_dcdm_model_layers", "Layer list of the model's cnn3d network: 64 or 128", "PCDCDMSetModelLayers", layers, &layers, &flg));
  if (flg) PetscCall(PCDCDMSetModelLayers(pc, layers));
  PetscCall(PetscOptionsBool("-pc_dcdm_scale", "Scale the output by q'r/q'Aq", "PCDCDMSetScale", dcdm->scale, &scale, &flg));
  if (flg) PetscCall(PCDCDMSetScale(pc, scale));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode PCReset_DCDM(PC pc)
{
  PC_DCDM *dcdm = (PC_DCDM *)pc->data;

  PetscFunctionBegin;
  PetscCall(NNDestroy(&dcdm->net));
  PetscCall(VecDestroy(&dcdm->rn));
  PetscCall(VecDestroy(&dcdm->mask));
  PetscCall(VecDestroy(&dcdm->dinv));
  PetscCall(VecDestroy(&dcdm->diag));
  PetscFunctionReturn(0);
}

static PetscErrorCode PCDestroy_DCDM(PC pc)
{
  PetscFunctionBegin;
  PetscCall(PCReset_DCDM(pc));
  PetscCall(PetscObjectComposeFunction((PetscObject)pc, "PCDCDMSetModel_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)pc, "PCDCDMSetModelLayers_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)pc, "PCDCDMSetScale_C", NULL));
  PetscCall(PetscFree(pc->data));
  PetscFunctionReturn(0);
}

static PetscErrorCode PCDCDMSetModel_DCDM(PC pc, const char model[])
{
  PC_DCDM  *dcdm = (PC_DCDM *)pc->data;
  PetscBool same;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(dcdm->model, model ? model : "", &same));
  if (same) PetscFunctionReturn(0); /* e.g. PCSetFromOptions() again: keep the loaded network */
  PetscCall(PetscStrncpy(dcdm->model, model ? model : "", sizeof(dcdm->model)));
  PetscCall(NNDestroy(&dcdm->net));
  pc->setupcalled = 0; /* load it at the next set-up */
  PetscFunctionReturn(0);
}

static PetscErrorCode PCDCDMSetModelLayers_DCDM(PC pc, PetscInt layers)
{
  PC_DCDM *dcdm = (PC_DCDM *)pc->data;

  PetscFunctionBegin;
  PetscCall(DCDMCheckLayers_Private(PetscObjectComm((PetscObject)pc), layers, "-pc_dcdm_model_layers"));
  if (layers != dcdm->layers) {
    PetscCall(NNDestroy(&dcdm->net));
    pc->setupcalled = 0;
  }
  dcdm->layers = layers;
  PetscFunctionReturn(0);
}

/*@C
  PCDCDMSetModel - Sets the file with the weights of PCDCDM's network: an nnpde HDF5 checkpoint (NNCheckpointWriteNN())
  holding a cnn3d network named "dcdm" with the layer list of PCDCDMSetModelLayers().

  Logically Collective

  Input Parameters:
+ pc    - the PCDCDM
- model - the file, or NULL or "" for the default

  Options Database Key:
. -pc_dcdm_model <file.h5> - the weights

  Notes:
  The default, resolved at set-up: the file named by the environment variable NNPDE_DCDM_MODEL when it is set, else
  the shipped K = 64 weights dcdm_k64.h5 (installed in <prefix>/share/nnpde/, or in the source tree's data/).

  Level: intermediate

.seealso: PCDCDM, PCDCDMSetModelLayers(), KSPDCDMSetModel()
@*/
PetscErrorCode PCDCDMSetModel(PC pc, const char model[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
  PetscTryMethod(pc, "PCDCDMSetModel_C", (PC, const char[]), (pc, model));
  PetscFunctionReturn(0);
}

/*@
  PCDCDMSetModelLayers - Sets the layer list of PCDCDM's cnn3d network: K = 64 (the default, as the shipped weights)
  or K = 128.

  Logically Collective

  Options Database Key:
. -pc_dcdm_model_layers <64> - 64 or 128

  Level: intermediate

.seealso: PCDCDM, PCDCDMSetModel(), NNCNN3DSetLayers()
@*/
PetscErrorCode PCDCDMSetModelLayers(PC pc, PetscInt layers)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
  PetscValidLogicalCollectiveInt(pc, layers, 2);
  PetscTryMethod(pc, "PCDCDMSetModelLayers_C", (PC, PetscInt), (pc, layers));
  PetscFunctionReturn(0);
}

static PetscErrorCode PCDCDMSetScale_DCDM(PC pc, PetscBool flg)
{
  PC_DCDM *dcdm = (PC_DCDM *)pc->data;

  PetscFunctionBegin;
  if (flg != dcdm->scale) pc->setupcalled = 0;
  dcdm->scale = flg;
  PetscFunctionReturn(0);
}

/*@
  PCDCDMSetScale - Whether PCDCDM scales the network's output q by q'r/q'Aq, the A-norm-optimal step along it (the
  default; one MatMult with the PC's operator and one reduction per application), so that the PC has the scale of A^-1
  and composes with other PCs (PCCOMPOSITE, e.g. sor,dcdm,sor multiplicative). Without it, z = ||r|| q: only a
  method with its own line search along each direction (FCG, GMRES) can use it. When q'Aq <= 0 or is not finite the
  application falls back to a Jacobi step (counted in PCView()).

  Logically Collective

  Options Database Key:
. -pc_dcdm_scale <true> - scale

  Level: intermediate

.seealso: PCDCDM, PCDCDMSetModel()
@*/
PetscErrorCode PCDCDMSetScale(PC pc, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
  PetscValidLogicalCollectiveBool(pc, flg, 2);
  PetscTryMethod(pc, "PCDCDMSetScale_C", (PC, PetscBool), (pc, flg));
  PetscFunctionReturn(0);
}

/*MC
  PCDCDM - "dcdm": the network of the deep conjugate direction method (Kaneda et al., ICML 2023) as a preconditioner,
  z = (q'r/q'Aq) q with q = f(sqrt(N) r/||r||), f the 3-D CNN (NN type cnn3d) on the problem's DMDA of N cells, on the
  rows of the Pmat with off-diagonal entries; a Jacobi step z_i = r_i/a_ii on the others (solid cells, identity rows);
  z = 0 for r = 0. The scale q'r/q'Aq (PCDCDMSetScale(), one MatMult and one reduction) is the A-norm-optimal step
  along q: the network learns A^-1 only up to a factor (its loss is scale-invariant), and without the scale the output
  is off by orders of magnitude, which breaks PCCOMPOSITE combinations.

  Options Database Keys:
+ -pc_dcdm_model <file.h5>    - the network's weights (default: $NNPDE_DCDM_MODEL, else the shipped dcdm_k64.h5)
. -pc_dcdm_model_layers <64>  - the network's layer list, 64 or 128
- -pc_dcdm_scale <true>       - scale the output by q'r/q'Aq (-pc_dcdm_scale 0: z = ||r|| q)

  Notes:
  The network sees the residual at unit RMS, as in training; the scale makes the PC positively homogeneous,
  P(cr) = cP(r) for c > 0. It is nonlinear and not symmetric, so it needs a flexible method, alone or composed, e.g.
  -ksp_type fcg -pc_type composite -pc_composite_type multiplicative -pc_composite_pcs sor,dcdm,sor;
  -ksp_type fcg -ksp_fcg_mmax 2 -ksp_fcg_truncation_type standard is KSPDCDM with -ksp_dcdm_true_residual 0 (the same
  iterates in exact arithmetic when the right-hand side vanishes on the decoupled rows and there is no null space:
  KSPDCDM solves decoupled rows before iterating and projects out a null space); -ksp_type fgmres also works.

  The grid is the PC's DM (KSPSetDM()) when it is a DMDA, else the DMDA of the preconditioning matrix (MatGetDM(), set by
  DMCreateMatrix()): 3-D, 1 dof, even sizes and even per-rank ownership sizes (the network pools 2x2x2 within a rank).
  The network computes in float32.

  Works in programs not linked against nnpde: -dll_append /path/libnnpde.so -pc_type dcdm.

  Level: intermediate

.seealso: PCCreate(), PCSetType(), PCDCDMSetModel(), KSPDCDM, KSPFCG, NNCNN3DApply()
M*/
PETSC_EXTERN PetscErrorCode PCCreate_DCDM(PC pc)
{
  PC_DCDM *dcdm;

  PetscFunctionBegin;
  PetscCall(PetscNew(&dcdm));
  dcdm->layers = 64;
  dcdm->scale  = PETSC_TRUE;
  pc->data     = (void *)dcdm;

  pc->ops->setup          = PCSetUp_DCDM;
  pc->ops->apply          = PCApply_DCDM;
  pc->ops->view           = PCView_DCDM;
  pc->ops->setfromoptions = PCSetFromOptions_DCDM;
  pc->ops->reset          = PCReset_DCDM;
  pc->ops->destroy        = PCDestroy_DCDM;

  PetscCall(PetscObjectComposeFunction((PetscObject)pc, "PCDCDMSetModel_C", PCDCDMSetModel_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)pc, "PCDCDMSetModelLayers_C", PCDCDMSetModelLayers_DCDM));
  PetscCall(PetscObjectComposeFunction((PetscObject)pc, "PCDCDMSetScale_C", PCDCDMSetScale_DCDM));
  PetscFunctionReturn(0);
}

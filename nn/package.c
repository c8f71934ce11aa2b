/* Package registration: class ids, log events, types; the -dll_append entry point. */
#include <nnpde/private/nnimpl.h>
#include <nnpde/adam.h>
#include <nnpde/private/pinnimpl.h>
#include <petsctao.h>
#include <nnpde/dcdm.h>

PetscClassId      NN_CLASSID;
PetscFunctionList NNList = NULL;
PetscLogEvent     NN_Forward, NN_Backward, NN_ForwardBackward, NN_SetUp, NN_CheckpointWrite, NN_CheckpointRead, TAO_AdamStep;

static PetscBool NNPDEPackageInitialized = PETSC_FALSE;

PETSC_INTERN PetscErrorCode TaoCreate_Adam(Tao);

/*@C
  NNPDEFinalizePackage - Frees what NNPDEInitializePackage() registered; called by PetscFinalize().

  Level: developer
@*/
PetscErrorCode NNPDEFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NNList));
  PetscCall(PetscFunctionListDestroy(&PINNList));
  NNPDEPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/*@C
  NNPDEInitializePackage - Registers nnpde's classes, types and log events. Called lazily by
  every XCreate(); safe to call more than once.

  Level: developer
@*/
PetscErrorCode NNPDEInitializePackage(void)
{
  PetscFunctionBegin;
  if (NNPDEPackageInitialized) PetscFunctionReturn(0);
  NNPDEPackageInitialized = PETSC_TRUE;
  PetscCall(TaoInitializePackage());
  PetscCall(KSPInitializePackage());
  PetscCall(PetscClassIdRegister("Neural network", &NN_CLASSID));
  PetscCall(PetscClassIdRegister("PINN geometry", &PINNGEOMETRY_CLASSID));
  PetscCall(NNRegister(NNMLP, NNCreate_MLP));
  PetscCall(NNRegister("cnn3d", NNCreate_CNN3D));
  PetscCall(PINNRegisterEvents_Private());
  PetscCall(PINNRegister(PINNEULERIAN, PINNCreate_Eulerian));
  PetscCall(TaoRegister(TAOADAM, TaoCreate_Adam));
  PetscCall(KSPRegister(KSPDCDM, KSPCreate_DCDM));
  PetscCall(PCRegister(PCDCDM, PCCreate_DCDM));
  PetscCall(PetscLogEventRegister("NNSetUp", NN_CLASSID, &NN_SetUp));
  PetscCall(PetscLogEventRegister("NNForward", NN_CLASSID, &NN_Forward));
  PetscCall(PetscLogEventRegister("NNBackward", NN_CLASSID, &NN_Backward));
  PetscCall(PetscLogEventRegister("NNForwardBackward", NN_CLASSID, &NN_ForwardBackward));
  PetscCall(PetscLogEventRegister("NNCheckpointWrite", NN_CLASSID, &NN_CheckpointWrite));
  PetscCall(PetscLogEventRegister("NNCheckpointRead", NN_CLASSID, &NN_CheckpointRead));
  PetscCall(PetscLogEventRegister("TaoAdamStep", TAO_CLASSID, &TAO_AdamStep));
  PetscCall(PetscLogEventRegister("KSPDCDMApply", KSP_CLASSID, &KSP_DCDMApply));
  PetscCall(PetscRegisterFinalize(NNPDEFinalizePackage));
  PetscFunctionReturn(0);
}

/*@C
  PetscDLLibraryRegister_nnpde - Entry point that PETSc calls when a program is run with
  -dll_append /path/to/libnnpde.so, so that our types (TAO "adam", KSP "dcdm", PC "dcdm") are usable in
  programs that were not linked against nnpde.

  Level: developer
@*/
PETSC_EXTERN PetscErrorCode PetscDLLibraryRegister_nnpde(void)
{
  PetscFunctionBegin;
  PetscCall(NNPDEInitializePackage());
  PetscFunctionReturn(0);
}

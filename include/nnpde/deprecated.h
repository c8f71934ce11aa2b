/* Names of the first releases, kept so that existing code still compiles: the reference solvers, the
   pressure-Poisson matrices and the DCDM training tools lost their NN prefix (they are not networks).
   These aliases will be removed in a later release; new code uses the names on the right. */
#ifndef NNPDE_DEPRECATED_H
#define NNPDE_DEPRECATED_H

#define NNDCDMLanczos DCDMLanczos
#define NNDCDMLanczosMemory DCDMLanczosMemory
#define NNDCDMLoss DCDMLoss
#define NNDCDMTrainer DCDMTrainer
#define NNDCDMTrainerCreate DCDMTrainerCreate
#define NNDCDMTrainerDestroy DCDMTrainerDestroy
#define NNDCDMTrainerEvaluate DCDMTrainerEvaluate
#define NNDCDMTrainerGetNN DCDMTrainerGetNN
#define NNDCDMTrainerGetNumSamples DCDMTrainerGetNumSamples
#define NNDCDMTrainerGetStep DCDMTrainerGetStep
#define NNDCDMTrainerLossAndGradient DCDMTrainerLossAndGradient
#define NNDCDMTrainerSetFromOptions DCDMTrainerSetFromOptions
#define NNDCDMTrainerSetUp DCDMTrainerSetUp
#define NNDCDMTrainerTrain DCDMTrainerTrain
#define NNDCDMTrainerWriteCheckpoint DCDMTrainerWriteCheckpoint
#define NNDCDMWriteDataset DCDMWriteDataset
#define NNPoisson3d Poisson3d
#define NNPoisson3dAddBox Poisson3dAddBox
#define NNPoisson3dAddSphere Poisson3dAddSphere
#define NNPoisson3dBC Poisson3dBC
#define NNPoisson3dBCs Poisson3dBCs
#define NNPoisson3dCreate Poisson3dCreate
#define NNPoisson3dDestroy Poisson3dDestroy
#define NNPoisson3dFace Poisson3dFace
#define NNPoisson3dGetBC Poisson3dGetBC
#define NNPoisson3dGetDM Poisson3dGetDM
#define NNPoisson3dGetFluidCount Poisson3dGetFluidCount
#define NNPoisson3dGetFluidMask Poisson3dGetFluidMask
#define NNPoisson3dGetMatrix Poisson3dGetMatrix
#define NNPoisson3dIsSingular Poisson3dIsSingular
#define NNPoisson3dProjectRHS Poisson3dProjectRHS
#define NNPoisson3dSetAllBC Poisson3dSetAllBC
#define NNPoisson3dSetBC Poisson3dSetBC
#define NNPoisson3dSetDM Poisson3dSetDM
#define NNPoisson3dSetFromOptions Poisson3dSetFromOptions
#define NNPoisson3dSetUp Poisson3dSetUp
#define NNPoisson3dView Poisson3dView
#define NNReferenceBurgers1d ReferenceBurgers1d
#define NNReferenceBurgersColeHopf1d ReferenceBurgersColeHopf1d
#define NNReferenceConvectionDiffusion1d ReferenceConvectionDiffusion1d
#define NNReferenceInitialFn ReferenceInitialFn
#define NNReferenceInsideFn ReferenceInsideFn
#define NNReferenceInterpolate2d ReferenceInterpolate2d
#define NNReferencePointFn ReferencePointFn
#define NNReferencePoisson2d ReferencePoisson2d
#define NNReferenceSpaceTimeVecCreate1d ReferenceSpaceTimeVecCreate1d
#define NN_POISSON3D_OPEN POISSON3D_OPEN
#define NN_POISSON3D_WALL POISSON3D_WALL
#define NN_POISSON3D_XHI POISSON3D_XHI
#define NN_POISSON3D_XLO POISSON3D_XLO
#define NN_POISSON3D_YHI POISSON3D_YHI
#define NN_POISSON3D_YLO POISSON3D_YLO
#define NN_POISSON3D_ZHI POISSON3D_ZHI
#define NN_POISSON3D_ZLO POISSON3D_ZLO

#endif

/* Code written against the first releases' names (NNPoisson3d..., NNReference..., NNDCDM...) still compiles and
   runs through include/nnpde/deprecated.h: builds a 6^3 obstacle problem and a 9 x 9 reference Poisson solution with
   the old names and checks them against the new names' results. */
#include <nnpde.h>

int main(int argc, char **argv)
{
  NNPoisson3d p;
  Poisson3d   q;
  Mat         A, B;
  PetscInt    nfluid, mfluid;
  PetscBool   same;
  PetscMPIInt size;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(NNPoisson3dCreate(PETSC_COMM_WORLD, 6, &p));
  PetscCall(NNPoisson3dSetBC(p, NN_POISSON3D_ZHI, NN_POISSON3D_OPEN));
  PetscCall(NNPoisson3dAddSphere(p, (PetscReal[]){0.5, 0.5, 0.5}, 0.3));
  PetscCall(NNPoisson3dSetUp(p));
  PetscCall(NNPoisson3dGetMatrix(p, &A));
  PetscCall(NNPoisson3dGetFluidCount(p, &nfluid));
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 6, &q));
  PetscCall(Poisson3dSetBC(q, POISSON3D_ZHI, POISSON3D_OPEN));
  PetscCall(Poisson3dAddSphere(q, (PetscReal[]){0.5, 0.5, 0.5}, 0.3));
  PetscCall(Poisson3dSetUp(q));
  PetscCall(Poisson3dGetMatrix(q, &B));
  PetscCall(Poisson3dGetFluidCount(q, &mfluid));
  PetscCall(MatEqual(A, B, &same));
  PetscCheck(same && nfluid == mfluid && nfluid > 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB,
             "Old and new names built different problems (%" PetscInt_FMT " vs %" PetscInt_FMT " fluid cells)", nfluid, mfluid);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "deprecated names: the same %" PetscInt_FMT "-fluid-cell problem on %d rank(s)\n", nfluid, size));
  PetscCall(NNPoisson3dDestroy(&p));
  PetscCall(Poisson3dDestroy(&q));
  PetscCall(PetscFinalize());
  return 0;
}

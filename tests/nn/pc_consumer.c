/* A program outside the build, compiled only with the flags of build/nnpde.pc
   (tests/nn/pkgconfig_consumer.sh): creates a network and prints its size. */
#include <nnpde.h>

int main(int argc, char **argv)
{
  NN       nn;
  PetscInt np;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
  PetscCall(NNSetSizes(nn, 2, 1));
  PetscCall(NNSetFromOptions(nn));
  PetscCall(NNSetUp(nn));
  PetscCall(NNGetNumParameters(nn, &np));
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "consumer: nnpde %s, 2->50->50->50->1 network with %" PetscInt_FMT " parameters\n", NNPDE_VERSION_STRING, np));
  PetscCall(NNDestroy(&nn));
  PetscCall(PetscFinalize());
  return 0;
}

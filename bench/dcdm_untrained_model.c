/* Writes the DCDM network (NN type cnn3d) with untrained, randomly initialized weights as an nnpde
   checkpoint, the format -ksp_dcdm_model reads. A stand-in for trained weights in the example's tests and
   in trial runs of bench/run_dcdm_bench.sh: the solver then runs the real network at its real cost, but
   its directions are poor, so iteration counts mean nothing.

   Options: -o <file.h5> (required), -layers <64|128> (default 64), -seed <s> (default 1).
     mpiexec -n 1 build/bench/dcdm_untrained_model -o dcdm_untrained.h5 */
#include <nnpde.h>

int main(int argc, char **argv)
{
  char         file[PETSC_MAX_PATH_LEN] = "";
  PetscInt     layers = 64, seed = 1;
  NN           net;
  NNCheckpoint ck;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-o", file, sizeof(file), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-layers", &layers, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-seed", &seed, NULL));
  PetscCheck(file[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "Give the output file: -o file.h5");
  PetscCall(NNCreate(PETSC_COMM_WORLD, &net));
  PetscCall(NNSetType(net, NNCNN3D));
  PetscCall(NNCNN3DSetLayers(net, layers));
  PetscCall(NNSetSeed(net, (uint64_t)seed));
  PetscCall(NNSetUp(net));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ck));
  PetscCall(NNCheckpointWriteNN(ck, "dcdm", net));
  PetscCall(NNCheckpointClose(&ck));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "untrained cnn3d K=%" PetscInt_FMT " network \"dcdm\" (seed %" PetscInt_FMT ") written to %s\n", layers,
                        seed, file));
  PetscCall(NNDestroy(&net));
  PetscCall(PetscFinalize());
  return 0;
}

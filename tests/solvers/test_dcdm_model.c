static const char help[] = "The DCDM model loader (solvers/dcdm_model.c) gives the network its own options (NNSetFromOptions()):\n"
                           "  (a) PCDCDM with -nn_cnn3d_block <b> (several b) gives the default block's output to float32 round-off\n"
                           "      (1e-5 relative to the max; the block shapes change the GEMMs' summation order only);\n"
                           "  (d) -nn_cnn3d_block 0 makes PCSetUp() (PCDCDM) and KSPSetUp() (KSPDCDM) fail naming the option: it reaches the\n"
                           "      network; -nn_cnn3d_layers 128 and -nn_type mlp, which would change the model, fail naming the option to use.\n"
                           "Weights: the shipped default lookup, or -model file.h5. The grid: -poisson3d_* (default 16^3, walls).\n";

#include <nnpde.h>
#include "expect_error.h"

/* PCDCDM on A with the option name=value set while it loads the network (value NULL: none); *ierr returned, not raised */
static PetscErrorCode TryPC(Mat A, const char model[], const char name[], const char value[], Vec r, Vec z, PetscErrorCode *ierr)
{
  PC pc;

  PetscFunctionBeginUser;
  PetscCall(PCCreate(PETSC_COMM_WORLD, &pc));
  PetscCall(PCSetOperators(pc, A, A));
  PetscCall(PCSetType(pc, PCDCDM));
  if (model[0]) PetscCall(PCDCDMSetModel(pc, model));
  if (name) PetscCall(PetscOptionsSetValue(NULL, name, value));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  *ierr = PCSetUp(pc);
  if (!*ierr && z) *ierr = PCApply(pc, r, z);
  PetscCall(PetscPopErrorHandler());
  if (name) PetscCall(PetscOptionsClearValue(NULL, name));
  PetscCall(PCDestroy(&pc));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Poisson3d      p;
  Mat            A;
  Vec            r, z0, z;
  PetscRandom    rnd;
  PetscInt       nfail = 0, blocks[8] = {1, 24, 100, 1000000}, nb = 4;
  char           model[PETSC_MAX_PATH_LEN] = "", value[32];
  PetscErrorCode ierr;
  PetscReal      zmax, worst = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(NNPDEInitializePackage());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-model", model, sizeof(model), NULL));
  {
    PetscBool flg;
    PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-blocks", blocks, &nb, &flg));
    if (!flg || !nb) nb = 4;
  }
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 16, &p));
  PetscCall(Poisson3dSetFromOptions(p));
  PetscCall(Poisson3dGetMatrix(p, &A));
  PetscCall(MatCreateVecs(A, &r, &z0));
  PetscCall(VecDuplicate(z0, &z));
  PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, &rnd));
  PetscCall(PetscRandomSetSeed(rnd, 7));
  PetscCall(PetscRandomSeed(rnd));
  PetscCall(VecSetRandom(r, rnd));
  PetscCall(PetscRandomDestroy(&rnd));

  /* (a) */
  PetscCall(TryPC(A, model, NULL, NULL, r, z0, &ierr));
  PetscCall(Expect("PCDCDM, default block", ierr, 0, NULL, &nfail));
  PetscCall(VecNorm(z0, NORM_INFINITY, &zmax));
  for (PetscInt i = 0; i < nb; i++) {
    PetscReal d = PETSC_MAX_REAL;

    PetscCall(PetscSNPrintf(value, sizeof(value), "%" PetscInt_FMT, blocks[i]));
    PetscCall(TryPC(A, model, "-nn_cnn3d_block", value, r, z, &ierr));
    if (!ierr) {
      PetscCall(VecAXPY(z, -1.0, z0));
      PetscCall(VecNorm(z, NORM_INFINITY, &d));
      d /= zmax;
    }
    worst = PetscMax(worst, d);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(a) -nn_cnn3d_block %-8s: max|P(r) - P_default(r)| / max|P_default(r)| = %.1e\n", value, (double)d));
  }
  if (!(zmax > 0 && worst <= 1e-5)) nfail++;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(a) PCDCDM output independent of -nn_cnn3d_block %s (%.1e <= 1e-05, max|P(r)| %.3e)\n",
                        zmax > 0 && worst <= 1e-5 ? "ok" : "FAILED", (double)worst, (double)zmax));

  /* (d) */
  PetscCall(TryPC(A, model, "-nn_cnn3d_block", "0", r, NULL, &ierr));
  PetscCall(Expect("PCDCDM, -nn_cnn3d_block 0", ierr, PETSC_ERR_ARG_OUTOFRANGE, "-nn_cnn3d_block (cells per GEMM block) must be positive", &nfail));
  PetscCall(TryPC(A, model, "-nn_cnn3d_layers", "128", r, NULL, &ierr));
  PetscCall(Expect("PCDCDM, -nn_cnn3d_layers 128", ierr, PETSC_ERR_ARG_INCOMP, "(use -pc_dcdm_model_layers)", &nfail));
  PetscCall(TryPC(A, model, "-nn_type", "mlp", r, NULL, &ierr));
  PetscCall(Expect("PCDCDM, -nn_type mlp", ierr, PETSC_ERR_ARG_INCOMP, "-nn_type mlp cannot change it", &nfail));
  {
    KSP ksp;

    PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
    PetscCall(KSPSetOperators(ksp, A, A));
    PetscCall(KSPSetType(ksp, KSPDCDM));
    if (model[0]) PetscCall(KSPDCDMSetModel(ksp, model));
    PetscCall(PetscOptionsSetValue(NULL, "-nn_cnn3d_block", "0"));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = KSPSetUp(ksp);
    PetscCall(PetscPopErrorHandler());
    PetscCall(PetscOptionsClearValue(NULL, "-nn_cnn3d_block"));
    PetscCall(
        Expect("KSPDCDM, -nn_cnn3d_block 0", ierr, PETSC_ERR_ARG_OUTOFRANGE, "-nn_cnn3d_block (cells per GEMM block) must be positive", &nfail));
    PetscCall(KSPDestroy(&ksp));
  }

  PetscCall(VecDestroy(&r));
  PetscCall(VecDestroy(&z0));
  PetscCall(VecDestroy(&z));
  PetscCall(Poisson3dDestroy(&p));
  PetscCheck(!nfail, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%" PetscInt_FMT " check(s) failed", nfail);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "all checks passed\n"));
  PetscCall(PetscFinalize());
  return 0;
}

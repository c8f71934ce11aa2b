/* One solver on the DCDM obstacle problem (examples/dcdm_problem.h, the problem of examples/dcdm_poisson3d), timed
   and measured the same way for every solver; bench/run_dcdm_bench.sh runs it once per solver and grid size, each
   in its own process so that peak memory belongs to one solver, and prints the table.

   Fixed for every solver: ||b - Ax|| <= 1e-6 ||b|| in the unpreconditioned 2-norm (-ksp_norm_type unpreconditioned,
   checked), zero initial guess, the same right-hand side. Measured:
     set-up   KSPSetUp() and KSPSetUpOnBlocks() (PCSetUp(): the ICC factorization of each block, the AMG hierarchy;
              for DCDM loading the network)
     solve    KSPSolve()
     memory   peak resident set size (getrusage) summed over ranks, and the increase over the resident size just
              before KSPSetUp() (an upper bound on what the solver itself needs)
     residual ||b - Ax||/||b|| recomputed after the solve
   Options: -n <64> grid side, -model <file.h5> DCDM's weights (KSPDCDMSetModel), -label <name> for the table, and
   the solver's own options (-ksp_type, -pc_type, -ksp_max_it, ...); defaults -ksp_type dcdm -pc_type none.
   The last line printed is one JSON object (the table row). Run with OPENBLAS_NUM_THREADS=1, e.g.
     OPENBLAS_NUM_THREADS=1 mpiexec -n 2 build/bench/bench_dcdm -n 64 -ksp_type cg -pc_type gamg -label "CG + GAMG" */
#include <nnpde.h>
#include <sys/resource.h>
#include "dcdm_problem.h"

/* JSON string body: drop the characters that would need escaping */
static void Sanitize(char s[])
{
  for (char *c = s; *c; c++)
    if (*c == '"' || *c == '\\' || (unsigned char)*c < 32) *c = '\'';
}

int main(int argc, char **argv)
{
  MPI_Comm           comm;
  PetscMPIInt        size;
  PetscInt           n = 64, its = 0, nfluid, nbreak = -1, nuseless = -1, maxit;
  char               model[PETSC_MAX_PATH_LEN] = "", label[128] = "", pctype_opt[64] = "";
  Poisson3d          problem;
  Mat                A;
  Vec                b, x, r;
  KSP                ksp;
  PC                 pc;
  KSPType            ktype;
  PCType             ptype;
  KSPNormType        normtype;
  KSPConvergedReason reason;
  PetscReal          rtol, bnorm, rnorm;
  PetscLogDouble     t[3] = {0, 0, 0}, rss0, mem[3], gmem[3], gmax;
  PetscBool          isdcdm, flg;
  struct rusage      ru;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(NNPDEInitializePackage());
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-model", model, sizeof(model), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-label", label, sizeof(label), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-pc_type", pctype_opt, sizeof(pctype_opt), &flg));
  Sanitize(label);
#if !defined(PETSC_HAVE_HYPRE)
  PetscCall(PetscStrcmp(pctype_opt, "hypre", &flg));
  if (flg) { /* a row that says so, not a failure */
    PetscCall(PetscPrintf(comm, "this PETSc was built without hypre\n"));
    PetscCall(PetscPrintf(comm, "{\"solver\": \"%s\", \"n\": %" PetscInt_FMT ", \"ranks\": %d, \"reason\": \"unavailable (PETSc without hypre)\"}\n",
                          label[0] ? label : "hypre", n, size));
    PetscCall(PetscFinalize());
    return 0;
  }
#endif

  PetscCall(DCDMProblemCreate(comm, n, &problem, &b));
  PetscCall(Poisson3dGetMatrix(problem, &A));
  PetscCall(Poisson3dGetFluidCount(problem, &nfluid));
  PetscCall(VecDuplicate(b, &x));
  PetscCall(VecDuplicate(b, &r));

  PetscCall(KSPCreate(comm, &ksp));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCNONE));
  PetscCall(KSPSetTolerances(ksp, 1e-6, 0.0, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED));
  PetscCall(KSPSetInitialGuessNonzero(ksp, PETSC_FALSE));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(PetscObjectTypeCompare((PetscObject)ksp, KSPDCDM, &isdcdm));
  if (isdcdm && model[0]) PetscCall(KSPDCDMSetModel(ksp, model));
  PetscCall(KSPGetTolerances(ksp, &rtol, NULL, NULL, &maxit));

  /* resident size before the solver's set-up */
  PetscCall(PetscMemoryGetCurrentUsage(&rss0));
  PetscCall(DCDMProblemTimedSolve(ksp, b, x, t));

  PetscCall(KSPGetNormType(ksp, &normtype));
  PetscCheck(normtype == KSP_NORM_UNPRECONDITIONED, comm, PETSC_ERR_ARG_WRONG,
             "bench_dcdm compares every solver on the unpreconditioned residual norm, this run used %s (drop -ksp_norm_type)",
             KSPNormTypes[normtype]);
  PetscCall(KSPGetIterationNumber(ksp, &its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(KSPGetType(ksp, &ktype));
  PetscCall(PCGetType(pc, &ptype));
  if (isdcdm) PetscCall(KSPDCDMGetBreakdownCount(ksp, &nbreak, NULL));
  if (isdcdm) PetscCall(KSPDCDMGetGuardCount(ksp, &nuseless, NULL, NULL));
  PetscCall(MatMult(A, x, r));
  PetscCall(VecAYPX(r, -1.0, b));
  PetscCall(VecNorm(r, NORM_2, &rnorm));
  PetscCall(VecNorm(b, NORM_2, &bnorm));

  /* memory: peak RSS (KiB on Linux) and the increase over the RSS before set-up, summed over ranks */
  PetscCheck(!getrusage(RUSAGE_SELF, &ru), PETSC_COMM_SELF, PETSC_ERR_SYS, "getrusage() failed");
  mem[0] = (PetscLogDouble)ru.ru_maxrss * 1024.0;
  mem[1] = mem[0] - rss0;
  mem[2] = rss0;
  PetscCallMPI(MPI_Allreduce(mem, gmem, 3, MPI_DOUBLE, MPI_SUM, comm));
  PetscCallMPI(MPI_Allreduce(&mem[0], &gmax, 1, MPI_DOUBLE, MPI_MAX, comm));

  if (!label[0]) PetscCall(PetscSNPrintf(label, sizeof(label), "%s + %s", ktype, ptype));
  PetscCall(PetscPrintf(comm, "%s, %" PetscInt_FMT "^3 (%" PetscInt_FMT " fluid cells), %d rank(s): %" PetscInt_FMT " iterations, %s\n", label, n,
                        nfluid, size, its, KSPConvergedReasons[reason]));
  PetscCall(PetscPrintf(comm,
                        "  set-up %.3f s, solve %.3f s, total %.3f s; true ||b - Ax||/||b|| %.2e (rtol %g, %s norm, max_it %" PetscInt_FMT ")\n",
                        t[1] - t[0], t[2] - t[1], t[2] - t[0], (double)(rnorm / bnorm), (double)rtol, KSPNormTypes[normtype], maxit));
  PetscCall(PetscPrintf(comm, "  peak RSS %.1f MiB (sum over ranks; %.1f MiB the largest rank), %.1f MiB above the RSS before set-up (%.1f MiB)\n",
                        gmem[0] / 1048576, gmax / 1048576, gmem[1] / 1048576, gmem[2] / 1048576));
  PetscCall(PetscPrintf(
      comm,
      "{\"solver\": \"%s\", \"ksp\": \"%s\", \"pc\": \"%s\", \"n\": %" PetscInt_FMT ", \"ranks\": %d, \"iterations\": %" PetscInt_FMT
      ", \"setup_s\": %.4f, \"solve_s\": %.4f, \"total_s\": %.4f, \"peak_rss_mib\": %.1f, \"solver_mib\": %.1f, \"reason\": \"%s\", "
      "\"true_rel_res\": %.3e, \"rtol\": %g, \"max_it\": %" PetscInt_FMT ", \"breakdowns\": %" PetscInt_FMT ", \"useless\": %" PetscInt_FMT "}\n",
      label, ktype, ptype, n, size, its, t[1] - t[0], t[2] - t[1], t[2] - t[0], gmem[0] / 1048576, gmem[1] / 1048576, KSPConvergedReasons[reason],
      (double)(rnorm / bnorm), (double)rtol, maxit, nbreak, nuseless));

  PetscCall(KSPDestroy(&ksp));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&r));
  PetscCall(VecDestroy(&b));
  PetscCall(Poisson3dDestroy(&problem));
  PetscCall(PetscFinalize());
  return 0;
}

static const char help[] = "The pressure Poisson equation of an incompressible flow around obstacles, solved with DCDM (-ksp_type dcdm) or\n"
                           "any PETSc KSP. Unit cube, n^3 cells, walls on five faces and an open top (z+), a sphere of radius 0.2 at the\n"
                           "centre and a pillar on the floor; the right-hand side is the divergence of a smooth velocity field (see\n"
                           "examples/dcdm_problem.h). Stops at ||b - Ax|| <= rtol ||b|| (unpreconditioned norm), zero initial guess.\n"
                           "  -n <64>              cells per direction (-n 128 for the larger case)\n"
                           "  -output <prefix>     writes prefix.h5 (pressure, rhs, fluid on the grid; residual_history) and prefix.xmf\n"
                           "                       (default dcdm_poisson3d)\n"
                           "  -expect_true_residual <r> fail unless ||b - Ax||/||b|| <= r at the end (for tests)\n"
                           "Defaults: -ksp_type dcdm -ksp_rtol 1e-6 -ksp_norm_type unpreconditioned -pc_type none; DCDM's network uses the\n"
                           "shipped weights (data/dcdm_k64.h5) unless -ksp_dcdm_model file.h5 is given. Compare with -ksp_type cg, or -ksp_type cg "
                           "-pc_type bjacobi -sub_pc_type icc.\n"
                           "The problem: -poisson3d_spheres cx,cy,cz,r,... -poisson3d_boxes x0,y0,z0,x1,y1,z1,... (either replaces both\n"
                           "default obstacles), -poisson3d_bc_<xlo|xhi|ylo|yhi|zlo|zhi> wall|open; -dcdm_problem box: no obstacles, all faces\n"
                           "open (a Dirichlet box), a random right-hand side in [-1, 1].\n";

#include <nnpde.h>
#include <petscviewerhdf5.h>
#include "dcdm_problem.h"

/* A short name of the solver: "dcdm (network)", "cg + none", "cg + bjacobi/icc", "cg + hypre/boomeramg", ... */
static PetscErrorCode SolverName(KSP ksp, char name[], size_t len)
{
  KSPType   ktype;
  PC        pc;
  PCType    ptype;
  PetscBool isdcdm, isbjacobi, ishypre;
  char      pcname[64];

  PetscFunctionBegin;
  PetscCall(KSPGetType(ksp, &ktype));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetType(pc, &ptype));
  PetscCall(PetscStrncpy(pcname, ptype, sizeof(pcname)));
  PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCBJACOBI, &isbjacobi));
  PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCHYPRE, &ishypre));
  if (isbjacobi) {
    KSP     *sub;
    PetscInt nlocal;
    PCType   subtype = "?";

    PetscCall(PCBJacobiGetSubKSP(pc, &nlocal, NULL, &sub));
    if (nlocal) {
      PC subpc;

      PetscCall(KSPGetPC(sub[0], &subpc));
      PetscCall(PCGetType(subpc, &subtype));
    }
    PetscCall(PetscSNPrintf(pcname, sizeof(pcname), "bjacobi/%s", subtype));
  }
#if defined(PETSC_HAVE_HYPRE)
  if (ishypre) {
    const char *htype;

    PetscCall(PCHYPREGetType(pc, &htype));
    PetscCall(PetscSNPrintf(pcname, sizeof(pcname), "hypre/%s", htype));
  }
#endif
  PetscCall(PetscObjectTypeCompare((PetscObject)ksp, KSPDCDM, &isdcdm));
  if (isdcdm) {
    KSPDCDMDirection dir;

    PetscCall(KSPDCDMGetDirection(ksp, &dir));
    if (dir == KSP_DCDM_DIRECTION_PC)
      PetscCall(PetscSNPrintf(name, len, "dcdm (pc: %s)", pcname));
    else
      PetscCall(PetscSNPrintf(name, len, "dcdm (%s)", KSPDCDMDirections[dir]));
  } else
    PetscCall(PetscSNPrintf(name, len, "%s + %s", ktype, pcname));
  PetscFunctionReturn(0);
}

/* prefix.xmf: the grid fields of prefix.h5 as cell data of the unit cube, for ParaView */
static PetscErrorCode WriteXDMF(MPI_Comm comm, const char prefix[], PetscInt n)
{
  const char *fields[] = {"pressure", "rhs", "fluid"}, *slash;
  char        xmf[PETSC_MAX_PATH_LEN], h5[PETSC_MAX_PATH_LEN];
  FILE       *fp;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(xmf, sizeof(xmf), "%s.xmf", prefix));
  slash = strrchr(prefix, '/'); /* the XDMF file refers to the HDF5 file next to it by its base name */
  PetscCall(PetscSNPrintf(h5, sizeof(h5), "%s.h5", slash ? slash + 1 : prefix));
  PetscCall(PetscFOpen(comm, xmf, "w", &fp));
  PetscCall(
      PetscFPrintf(comm, fp, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n <Domain>\n  <Grid Name=\"dcdm_poisson3d\" GridType=\"Uniform\">\n"));
  PetscCall(PetscFPrintf(comm, fp,
                         "   <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"%" PetscInt_FMT " %" PetscInt_FMT " %" PetscInt_FMT "\"/>\n", n + 1,
                         n + 1, n + 1));
  PetscCall(PetscFPrintf(comm, fp, "   <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n    <DataItem Format=\"XML\" Dimensions=\"3\">0 0 0</DataItem>\n"));
  PetscCall(PetscFPrintf(comm, fp, "    <DataItem Format=\"XML\" Dimensions=\"3\">%.17g %.17g %.17g</DataItem>\n   </Geometry>\n", 1.0 / n, 1.0 / n,
                         1.0 / n));
  for (PetscInt f = 0; f < 3; f++)
    PetscCall(PetscFPrintf(comm, fp,
                           "   <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n    <DataItem Format=\"HDF\" NumberType=\"Float\" "
                           "Precision=\"8\" Dimensions=\"%" PetscInt_FMT " %" PetscInt_FMT " %" PetscInt_FMT
                           "\">%s:/%s</DataItem>\n   </Attribute>\n",
                           fields[f], n, n, n, h5, fields[f]));
  PetscCall(PetscFPrintf(comm, fp, "  </Grid>\n </Domain>\n</Xdmf>\n"));
  PetscCall(PetscFClose(comm, fp));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm           comm;
  PetscMPIInt        rank, size;
  PetscInt           n                          = 64, its, nhist, maxit, nfluid;
  char               prefix[PETSC_MAX_PATH_LEN] = "dcdm_poisson3d", file[PETSC_MAX_PATH_LEN], solver[128];
  PetscReal          expect                     = 0, rtol, bnorm, rnorm, *hist;
  Poisson3d          problem;
  DM                 da;
  Mat                A;
  Vec                b, x, r, fluid;
  KSP                ksp;
  PC                 pc;
  KSPConvergedReason reason;
  KSPNormType        normtype;
  KSPType            ktype;
  PCType             ptype;
  PetscLogDouble     t[3] = {0, 0, 0};
  PetscViewer        viewer;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(NNPDEInitializePackage());
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscOptionsBegin(comm, NULL, "dcdm_poisson3d options", NULL);
  PetscCall(PetscOptionsInt("-n", "Cells per direction", NULL, n, &n, NULL));
  PetscCall(PetscOptionsString("-output", "Prefix of the output files", NULL, prefix, prefix, sizeof(prefix), NULL));
  PetscCall(PetscOptionsReal("-expect_true_residual", "Fail above this final ||b - Ax||/||b||", NULL, expect, &expect, NULL));
  PetscOptionsEnd();

  /* the problem: matrix on the DMDA (so DCDM's network finds the grid), right-hand side */
  PetscCall(DCDMProblemCreate(comm, n, &problem, &b));
  PetscCall(Poisson3dGetDM(problem, &da));
  PetscCall(Poisson3dGetMatrix(problem, &A));
  PetscCall(Poisson3dGetFluidCount(problem, &nfluid));
  PetscCall(DMDAGetInfo(da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(Poisson3dView(problem, NULL));
  PetscCall(VecDuplicate(b, &x));
  PetscCall(VecDuplicate(b, &r));
  PetscCall(PetscObjectSetName((PetscObject)x, "pressure"));

  /* the solver: DCDM by default, anything from the options database */
  PetscCall(KSPCreate(comm, &ksp));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetType(ksp, KSPDCDM));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCNONE));
  PetscCall(KSPSetTolerances(ksp, 1e-6, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED));
  PetscCall(KSPSetInitialGuessNonzero(ksp, PETSC_FALSE));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPGetTolerances(ksp, &rtol, NULL, NULL, &maxit));
  { /* PC dcdm is a nonlinear operator (a network): a Krylov method that assumes a fixed linear preconditioner reports
       convergence of its own recurrences while the true residual is not small */
    PetscBool dcdm_pc, flexible;
    KSPType   kt;

    PetscCall(KSPGetType(ksp, &kt));
    PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCDCDM, &dcdm_pc));
    PetscCall(PetscObjectTypeCompareAny((PetscObject)ksp, &flexible, KSPDCDM, KSPFCG, KSPFGMRES, KSPGCR, KSPPIPEFCG, KSPPIPEGCR, ""));
    PetscCheck(!dcdm_pc || flexible, comm, PETSC_ERR_ARG_INCOMP,
               "-pc_type dcdm is nonlinear: it needs a flexible Krylov method (-ksp_type fcg or fgmres, or dcdm), not %s", kt);
  }
  {
    char h5[PETSC_MAX_PATH_LEN + 8];

    PetscCall(PetscSNPrintf(h5, sizeof(h5), "%s.h5", prefix));
    PetscCall(NNFileCheckWritable(comm, h5, "-output")); /* before the solve, not after it */
  }
  PetscCall(PetscMalloc1(maxit + 1, &hist));
  PetscCall(KSPSetResidualHistory(ksp, hist, maxit + 1, PETSC_TRUE));

  /* set-up (the PC's; DCDM loads its network here) and solve, timed separately */
  PetscCall(DCDMProblemTimedSolve(ksp, b, x, t));
  PetscCall(KSPGetIterationNumber(ksp, &its));
  PetscCall(KSPGetConvergedReason(ksp, &reason));
  PetscCall(KSPGetResidualHistory(ksp, NULL, &nhist));
  PetscCall(SolverName(ksp, solver, sizeof(solver)));
  PetscCall(KSPGetType(ksp, &ktype));
  PetscCall(PCGetType(pc, &ptype));

  /* the true residual */
  PetscCall(MatMult(A, x, r));
  PetscCall(VecAYPX(r, -1.0, b));
  PetscCall(VecNorm(r, NORM_2, &rnorm));
  PetscCall(VecNorm(b, NORM_2, &bnorm));
  PetscCall(KSPGetNormType(ksp, &normtype));
  PetscCall(PetscPrintf(comm, "solver: %s, rtol %g on ||r||/||b|| (%s norm), zero initial guess, %d rank(s)\n", solver, (double)rtol,
                        KSPNormTypes[normtype], size));
  PetscCall(PetscPrintf(comm, "%" PetscInt_FMT "^3 cells (%" PetscInt_FMT " fluid): %" PetscInt_FMT " iterations, %s\n", n, nfluid, its,
                        KSPConvergedReasons[reason]));
  PetscCall(PetscPrintf(comm, "time: set-up %.3f s, solve %.3f s, total %.3f s\n", t[1] - t[0], t[2] - t[1], t[2] - t[0]));
  PetscCall(PetscPrintf(comm, "true relative residual ||b - Ax||/||b|| = %.3e\n", (double)(bnorm > 0 ? rnorm / bnorm : rnorm)));

  /* output: the grid fields, then the residual history (a Vec on rank 0) with the run's description */
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s.h5", prefix));
  PetscCall(PetscViewerHDF5Open(comm, file, FILE_MODE_WRITE, &viewer));
  PetscCall(VecView(x, viewer));
  PetscCall(VecView(b, viewer));
  PetscCall(Poisson3dGetFluidMask(problem, &fluid));
  PetscCall(VecView(fluid, viewer));
  {
    Vec          h;
    PetscScalar *a;
    PetscReal    times[2] = {t[1] - t[0], t[2] - t[1]}, trr = bnorm > 0 ? rnorm / bnorm : rnorm;
    PetscInt     ranks = size;
    const char  *ds    = "/residual_history";

    PetscCall(VecCreateMPI(comm, rank ? 0 : nhist, nhist, &h));
    PetscCall(PetscObjectSetName((PetscObject)h, "residual_history"));
    PetscCall(VecGetArray(h, &a));
    if (!rank)
      for (PetscInt i = 0; i < nhist; i++) a[i] = hist[i];
    PetscCall(VecRestoreArray(h, &a));
    PetscCall(VecView(h, viewer));
    PetscCall(VecDestroy(&h));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "solver", PETSC_STRING, solver));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "ksp_type", PETSC_STRING, ktype));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "pc_type", PETSC_STRING, ptype));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "converged_reason", PETSC_STRING, KSPConvergedReasons[reason]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "iterations", PETSC_INT, &its));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "n", PETSC_INT, &n));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "ranks", PETSC_INT, &ranks));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "rtol", PETSC_REAL, &rtol));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "bnorm", PETSC_REAL, &bnorm));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "true_relative_residual", PETSC_REAL, &trr));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "setup_time", PETSC_REAL, &times[0]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, ds, "solve_time", PETSC_REAL, &times[1]));
  }
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(WriteXDMF(comm, prefix, n));
  PetscCall(PetscPrintf(comm, "output: %s (pressure, rhs, fluid, residual_history) and %s.xmf for ParaView\n", file, prefix));
  PetscCall(PetscPrintf(comm, "plot the convergence: tools/plot_dcdm.py %s [more runs' .h5 files]\n", file));
  PetscCheck(expect <= 0 || rnorm <= expect * bnorm, comm, PETSC_ERR_NOT_CONVERGED, "True relative residual %g is above the expected %g",
             (double)(rnorm / bnorm), (double)expect);

  PetscCall(PetscFree(hist));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&r));
  PetscCall(VecDestroy(&b));
  PetscCall(Poisson3dDestroy(&problem));
  PetscCall(PetscFinalize());
  return 0;
}

static const char help[] = "DCDM training data: Lanczos with full reorthogonalization on the 3-D pressure Poisson matrix,\n"
                           "then right-hand sides weighted toward the low end of the spectrum, written to HDF5.\n"
                           "Options:\n"
                           "  -output <dcdm_data.h5>   the training set\n"
                           "  -lanczos_steps <1000>    Lanczos steps m (the paper: 10000 at 64^3)\n"
                           "  -samples <2000>          right-hand sides (the paper: 20000)\n"
                           "  -low <m/2 + m/20>        how many of the lowest Ritz vectors are up-weighted (the paper: m/2 + 500)\n"
                           "  -weight <9>              their weight\n"
                           "  -seed <1>                seed of the start vector and the coefficients\n"
                           "  -save_ritz_vectors       also store the Ritz vectors\n"
                           "  -max_memory_fraction <0.8>  refuse to start above this share of a node's physical memory\n"
                           "  -dry_run                 print the memory needed and stop\n"
                           "plus -poisson3d_* for the matrix (grid, obstacles, faces).\n";

/* The recipe of Kaneda et al. (ICML 2023), reference notes §3: Ritz pairs from Lanczos on the
   training matrix (the fluid cells only), Ritz values below 1e-8 (a null space) dropped, each
   right-hand side sum_i c_i y_i with c_i ~ N(0,1), times 9 for the lowest m/2 + theta Ritz vectors,
   normalized. The memory needed (the basis is kept) is printed before anything runs. */
#include <nnpde.h>
#include <petscviewerhdf5.h>
#include <unistd.h>

/* Refuses to start when the ranks on one node would need more than `fraction` of its physical memory */
static PetscErrorCode CheckMemory(PetscLogDouble per_rank, PetscReal fraction)
{
  MPI_Comm       node;
  PetscMPIInt    nlocal;
  PetscLogDouble phys = (PetscLogDouble)sysconf(_SC_PHYS_PAGES) * (PetscLogDouble)sysconf(_SC_PAGESIZE), need;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_split_type(PETSC_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node));
  PetscCallMPI(MPI_Comm_size(node, &nlocal));
  PetscCallMPI(MPI_Comm_free(&node));
  need = per_rank * nlocal;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %.1f MiB on a node of %d rank(s), %.1f MiB of physical memory\n", need / 1048576.0, (int)nlocal,
                        phys / 1048576.0));
  PetscCheck(phys <= 0 || need <= fraction * phys, PETSC_COMM_WORLD, PETSC_ERR_MEM,
             "The Lanczos basis needs %.1f MiB on this node, more than %g of its %.1f MiB: use fewer -lanczos_steps, more nodes, or raise "
             "-max_memory_fraction",
             need / 1048576.0, (double)fraction, phys / 1048576.0);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Poisson3d      prob;
  Mat            A, Y;
  Vec            mask, values;
  DM             da;
  PetscInt       m = 1000, ns = 2000, nlow = -1, seed = 1, n, nfluid, k;
  PetscReal      weight = 9, fraction = 0.8;
  PetscBool      save = PETSC_FALSE, dry = PETSC_FALSE;
  char           out[PETSC_MAX_PATH_LEN] = "dcdm_data.h5";
  PetscLogDouble bytes, t0, t1, t2;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "DCDM training data", NULL);
  PetscCall(PetscOptionsString("-output", "Training set file", NULL, out, out, sizeof(out), NULL));
  PetscCall(PetscOptionsInt("-lanczos_steps", "Lanczos steps", NULL, m, &m, NULL));
  PetscCall(PetscOptionsInt("-samples", "Right-hand sides", NULL, ns, &ns, NULL));
  PetscCall(PetscOptionsInt("-low", "Up-weighted lowest Ritz vectors", NULL, nlow, &nlow, NULL));
  PetscCall(PetscOptionsReal("-weight", "Their weight", NULL, weight, &weight, NULL));
  PetscCall(PetscOptionsInt("-seed", "Seed", NULL, seed, &seed, NULL));
  PetscCall(PetscOptionsBool("-save_ritz_vectors", "Store the Ritz vectors", NULL, save, &save, NULL));
  PetscCall(PetscOptionsReal("-max_memory_fraction", "Largest share of a node's memory to use", NULL, fraction, &fraction, NULL));
  PetscCall(PetscOptionsBool("-dry_run", "Print the memory needed and stop", NULL, dry, &dry, NULL));
  PetscOptionsEnd();

  if (!dry) PetscCall(NNFileCheckWritable(PETSC_COMM_WORLD, out, "-output")); /* before the Lanczos run, not after it */
  PetscCheck(nlow >= -1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-low %" PetscInt_FMT " must be >= 0 (or -1: the paper's m/2 + m/20)", nlow);
  PetscCheck(fraction > 0 && fraction <= 1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-max_memory_fraction %g must be in (0, 1]",
             (double)fraction);
  PetscCheck(weight > 0 && !PetscIsInfOrNanReal(weight), PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-weight %g must be finite and positive",
             (double)weight);
  PetscCall(Poisson3dCreate(PETSC_COMM_WORLD, 32, &prob));
  PetscCall(Poisson3dSetFromOptions(prob));
  PetscCall(Poisson3dSetUp(prob));
  PetscCall(Poisson3dGetDM(prob, &da));
  PetscCall(Poisson3dGetMatrix(prob, &A));
  PetscCall(Poisson3dGetFluidMask(prob, &mask));
  PetscCall(Poisson3dGetFluidCount(prob, &nfluid));
  PetscCall(DMDAGetInfo(da, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(n % 2 == 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-poisson3d_n %" PetscInt_FMT " is odd: DCDM's network needs even grid sizes, so no network could train on this set", n);
  PetscCheck(m <= nfluid, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-lanczos_steps %" PetscInt_FMT " exceeds the %" PetscInt_FMT " fluid cells", m,
             nfluid);
  PetscCall(DCDMLanczosMemory(A, m, 64, &bytes));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%" PetscInt_FMT "^3 grid, %" PetscInt_FMT " fluid cells; %" PetscInt_FMT
                        " Lanczos steps need %.1f MiB per rank (largest rank)\n",
                        n, nfluid, m, bytes / 1048576.0));
  PetscCall(CheckMemory(bytes, fraction));
  if (dry) {
    PetscCall(Poisson3dDestroy(&prob));
    PetscCall(PetscFinalize());
    return 0;
  }
  PetscCall(PetscTime(&t0));
  PetscCall(DCDMLanczos(A, mask, m, (uint64_t)seed, 1e-8, &values, &Y));
  PetscCall(PetscTime(&t1));
  PetscCall(VecGetSize(values, &k));
  if (nlow < 0) nlow = PetscMin(k, m / 2 + m / 20); /* the paper's m/2 + 500 at m = 10000 */
  {
    const PetscScalar *v;

    PetscCall(VecGetArrayRead(values, &v));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "Lanczos: %.1f s, %" PetscInt_FMT " Ritz values kept in [%.4e, %.4e]; the lowest %" PetscInt_FMT " get weight %g\n",
                          t1 - t0, k, (double)PetscRealPart(v[0]), (double)PetscRealPart(v[k - 1]), nlow, (double)weight));
    PetscCall(VecRestoreArrayRead(values, &v));
  }
  PetscCall(DCDMWriteDataset(da, values, Y, ns, nlow, weight, (uint64_t)seed, save, out));
  {
    PetscViewer viewer;

    PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, out, FILE_MODE_APPEND, &viewer));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "fluid_cells", PETSC_INT, &nfluid));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "lanczos_steps", PETSC_INT, &m));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/rhs", "seed", PETSC_INT, &seed));
    PetscCall(PetscViewerDestroy(&viewer));
  }
  PetscCall(PetscTime(&t2));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Wrote %" PetscInt_FMT " right-hand sides to %s in %.1f s\n", ns, out, t2 - t1));
  PetscCall(VecDestroy(&values));
  PetscCall(MatDestroy(&Y));
  PetscCall(Poisson3dDestroy(&prob));
  PetscCall(PetscFinalize());
  return 0;
}

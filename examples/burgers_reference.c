static const char help[] = "Reference solutions u(x, t) of the LPINN problems (issue 11) on an Eulerian grid, written to HDF5:\n"
                           "  -problem burgers     u_t + u u_x = nu u_xx, u0 = C + sin x: method of lines + CVODE (ReferenceBurgers1d,\n"
                           "                       options -ref_burgers_*), compared with the Cole-Hopf solution when nu > 0\n"
                           "                       (ReferenceBurgersColeHopf1d, -ref_colehopf_step)\n"
                           "  -problem convection  u_t + c u_x = nu u_xx, u0 = sin x: exact Fourier solution, compared with exp(-nu t) sin(x - c t)\n"
                           "  -nx <256>, -nt <100>, -tmax <1>  the grid x_i = 2 pi i / nx (endpoint excluded), t_j = tmax j / (nt - 1)\n"
                           "  -nu <0.01>           viscosity (>= 0; burgers with 0: -tmax < 1, before the shock)\n"
                           "  -C <0>               burgers: the mean in u0 = C + sin x\n"
                           "  -c <50>              convection: the speed (PETSc options ignore case: -c and -C are one option, read as\n"
                           "                       C by burgers and as c by convection)\n"
                           "  -output <file>       HDF5 file (default burgers_reference.h5): /u (nt x nx, u(x_i, t_j) at [j][i]), /x (nx),\n"
                           "                       /t (nt); attributes of /u: problem, nu, C (burgers, else 0), c (convection, else 0)\n"
                           "The file is read back and compared with the solution in memory.\n"
                           "Example: mpiexec -n 2 ./burgers_reference -nu 0.01 -C 50 -output burgers_C50.h5 -ref_burgers_view\n";

#include <nnpde.h>
#include <petscviewerhdf5.h>

static PetscErrorCode SinU0(void *ctx, PetscInt n, const PetscReal x[], PetscReal u[])
{
  const PetscReal C = *(const PetscReal *)ctx;

  PetscFunctionBegin;
  for (PetscInt p = 0; p < n; p++) u[p] = C + PetscSinReal(x[p]);
  PetscFunctionReturn(0);
}

/* a named Vec of n entries holding the replicated array v, PETSc's default layout */
static PetscErrorCode ArrayVec(MPI_Comm comm, const char name[], PetscInt n, const PetscReal v[], Vec *w)
{
  PetscScalar *a;
  PetscInt     lo, hi;

  PetscFunctionBegin;
  PetscCall(VecCreateMPI(comm, PETSC_DECIDE, n, w));
  PetscCall(PetscObjectSetName((PetscObject)*w, name));
  PetscCall(VecGetOwnershipRange(*w, &lo, &hi));
  PetscCall(VecGetArray(*w, &a));
  for (PetscInt i = lo; i < hi; i++) a[i - lo] = v[i];
  PetscCall(VecRestoreArray(*w, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteOutput(const char file[], const char problem[], Vec u, PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[],
                                  PetscReal nu, PetscReal C, PetscReal c)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)u);
  PetscViewer viewer;
  Vec         xv, tv;

  PetscFunctionBegin;
  PetscCall(ArrayVec(comm, "x", nx, x, &xv));
  PetscCall(ArrayVec(comm, "t", nt, t, &tv));
  PetscCall(PetscViewerHDF5Open(comm, file, FILE_MODE_WRITE, &viewer));
  PetscCall(PetscViewerHDF5SetBaseDimension2(viewer, PETSC_TRUE)); /* /u stays nt x nx for nx = 1 */
  PetscCall(VecView(u, viewer));
  PetscCall(PetscViewerHDF5SetBaseDimension2(viewer, PETSC_FALSE)); /* /x and /t 1-D */
  PetscCall(VecView(xv, viewer));
  PetscCall(VecView(tv, viewer));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "u", "problem", PETSC_STRING, problem));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "u", "nu", PETSC_REAL, &nu));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "u", "C", PETSC_REAL, &C));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "u", "c", PETSC_REAL, &c));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(VecDestroy(&xv));
  PetscCall(VecDestroy(&tv));
  PetscFunctionReturn(0);
}

/* the largest |difference| between u and the /u the file holds */
static PetscErrorCode ReadBack(const char file[], Vec u, PetscReal *diff)
{
  PetscViewer viewer;
  Vec         w;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(u, &w));
  PetscCall(PetscObjectSetName((PetscObject)w, "u"));
  PetscCall(PetscViewerHDF5Open(PetscObjectComm((PetscObject)u), file, FILE_MODE_READ, &viewer));
  PetscCall(PetscViewerHDF5SetBaseDimension2(viewer, PETSC_TRUE));
  PetscCall(VecLoad(w, viewer));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(VecAXPY(w, -1, u));
  PetscCall(VecNorm(w, NORM_INFINITY, diff));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char           problem[32] = "burgers", output[PETSC_MAX_PATH_LEN] = "burgers_reference.h5";
  PetscInt       nx = 256, nt = 100;
  PetscReal      nu = 0.01, C = 0, c = 50, tmax = 1, *x, *t, nref, ndiff, readdiff;
  PetscLogDouble t0, t1;
  PetscBool      burgers, compare = PETSC_TRUE;
  Vec            u, ref           = NULL;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Reference u(x, t) for the LPINN problems", "burgers_reference");
  PetscCall(PetscOptionsString("-problem", "burgers or convection", NULL, problem, problem, sizeof(problem), NULL));
  PetscCall(PetscStrcmp(problem, "burgers", &burgers));
  PetscCall(PetscOptionsInt("-nx", "Number of x points 2 pi i / nx", NULL, nx, &nx, NULL));
  PetscCall(PetscOptionsInt("-nt", "Number of times linspace(0, tmax, nt)", NULL, nt, &nt, NULL));
  PetscCall(PetscOptionsReal("-tmax", "Final time", NULL, tmax, &tmax, NULL));
  PetscCall(PetscOptionsReal("-nu", "Viscosity", NULL, nu, &nu, NULL));
  /* PETSc's option names ignore case: -C and -c are one key, read as C by burgers and as c by convection */
  if (burgers)
    PetscCall(PetscOptionsReal("-C", "Burgers: u0 = C + sin x (-C is -c: options ignore case)", NULL, C, &C, NULL));
  else
    PetscCall(PetscOptionsReal("-c", "Convection speed (-c is -C: options ignore case)", NULL, c, &c, NULL));
  PetscCall(PetscOptionsString("-output", "HDF5 file written", NULL, output, output, sizeof(output), NULL));
  PetscOptionsEnd();
  if (burgers) c = 0;
  if (!burgers) {
    PetscBool conv;

    PetscCall(PetscStrcmp(problem, "convection", &conv));
    PetscCheck(conv, PETSC_COMM_WORLD, PETSC_ERR_ARG_UNKNOWN_TYPE, "Unknown -problem %s: burgers or convection", problem);
  }
  PetscCheck(nx > 0 && nt > 1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-nx %" PetscInt_FMT " must be positive and -nt %" PetscInt_FMT " at least 2", nx, nt);
  PetscCheck(tmax > 0 && !PetscIsInfOrNanReal(tmax), PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE, "-tmax %g must be positive and finite",
             (double)tmax);
  PetscCheck(!burgers || nu > 0 || tmax < 1, PETSC_COMM_WORLD, PETSC_ERR_ARG_OUTOFRANGE,
             "-nu 0 -tmax %g: the inviscid solution from u0 = C + sin x breaks (a shock) at t = 1, so its reference needs -tmax < 1", (double)tmax);
  PetscCall(NNFileCheckWritable(PETSC_COMM_WORLD, output, "-output")); /* now, not after the solve */
  PetscCall(PetscMalloc2(nx, &x, nt, &t));
  for (PetscInt i = 0; i < nx; i++) x[i] = 2 * PETSC_PI * (PetscReal)i / (PetscReal)nx;
  for (PetscInt j = 0; j < nt; j++) t[j] = tmax * (PetscReal)j / (PetscReal)(nt - 1);

  if (burgers) {
    compare = nu > 0 ? PETSC_TRUE : PETSC_FALSE; /* Cole-Hopf needs nu > 0; the inviscid solution is still written */
    if (compare) PetscCall(ReferenceBurgersColeHopf1d(PETSC_COMM_WORLD, nu, C, nx, NULL, nt, t, &ref)); /* first: it checks its rule's size */
    PetscCall(PetscTime(&t0));
    PetscCall(ReferenceBurgers1d(PETSC_COMM_WORLD, nu, SinU0, &C, nx, nt, t, &u));
    PetscCall(PetscTime(&t1));
  } else {
    PetscReal zero = 0;

    PetscCall(PetscTime(&t0)); /* u0's DFT on at least 64 samples: sin x needs 3, and nx may be smaller */
    PetscCall(ReferenceConvectionDiffusion1d(PETSC_COMM_WORLD, c, nu, SinU0, &zero, PetscMax(nx, 64), nx, NULL, nt, t, &u));
    PetscCall(PetscTime(&t1));
    PetscCall(ReferenceSpaceTimeVecCreate1d(PETSC_COMM_WORLD, nx, nt, &ref));
    { /* exp(-nu t) sin(x - c t) */
      PetscScalar *a;
      PetscInt     lo, hi;

      PetscCall(VecGetOwnershipRange(ref, &lo, &hi));
      PetscCall(VecGetArray(ref, &a));
      for (PetscInt g = lo; g < hi; g++) a[g - lo] = PetscExpReal(-nu * t[g / nx]) * PetscSinReal(x[g % nx] - c * t[g / nx]);
      PetscCall(VecRestoreArray(ref, &a));
    }
  }
  PetscCall(WriteOutput(output, problem, u, nx, x, nt, t, nu, C, c));
  PetscCall(ReadBack(output, u, &readdiff));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: nu %g, %s %g, %" PetscInt_FMT " x %" PetscInt_FMT " grid on [0, 2 pi) x [0, %g], solved in %.2f s\n",
                        problem, (double)nu, burgers ? "C" : "c", (double)(burgers ? C : c), nx, nt, (double)tmax, t1 - t0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "wrote %s (/u %" PetscInt_FMT " x %" PetscInt_FMT ", /x, /t); read back: max difference %.1e\n", output, nt,
                        nx, (double)readdiff));
  if (compare) {
    PetscCall(VecNorm(ref, NORM_2, &nref));
    PetscCall(VecAXPY(ref, -1, u));
    PetscCall(VecNorm(ref, NORM_2, &ndiff));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "relative L2 error vs the %s solution: %.3e\n", burgers ? "Cole-Hopf" : "exact", (double)(ndiff / nref)));
  } else
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nu = 0: no Cole-Hopf solution to compare with (it needs nu > 0)\n"));
  PetscCheck(readdiff == 0, PETSC_COMM_WORLD, PETSC_ERR_FILE_READ, "%s read back differs from the solution by %g", output, (double)readdiff);
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&ref));
  PetscCall(PetscFree2(x, t));
  PetscCall(PetscFinalize());
  return 0;
}

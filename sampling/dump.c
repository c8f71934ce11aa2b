/* Pictures of the adapt stages (-pinn_sampler_dump <prefix>): per stage, the interior points and
   the squared residual on a grid to <prefix>_stage0001.h5, ... (the stage in 4 digits), for
   tools/plot_samples.py. */
#include <nnpde/private/samplerimpl.h>
#include <petscviewerhdf5.h>

/*@C
  PINNSamplerSetDump - Writes, after each adapt stage, the sample cloud and the residual field to
  HDF5 (-pinn_sampler_dump <prefix>, -pinn_sampler_dump_grid <n>).

  Logically Collective

  Input Parameters:
+ s      - the sampler
. prefix - file prefix: stage k goes to <prefix>_stage<kkkk>.h5 (NULL or "": no files)
- grid   - grid points per side of the residual field (PETSC_DEFAULT: unchanged; the default is 101)

  Notes:
  Each file holds the datasets points (N x dim, the interior points after the stage's draw, in
  global order) and, for dim >= 2, r2 (ny x nx, row-major in x: the squared interior residual
  PINNComputeResiduals() at the parameters the stage adapted to, on a grid over the bounding box
  of the first two coordinates, further coordinates at the centre of their range, NaN outside the
  domain), with root attributes stage, step, nx, ny, x_lo, y_lo, x_hi, y_hi. The files are the
  same for any number of ranks (up to the residuals' round-off).

  Level: intermediate

.seealso: `PINNSamplerSetDiagnostics()`, `PINNComputeResiduals()`
@*/
PetscErrorCode PINNSamplerSetDump(PINNSampler s, const char prefix[], PetscInt grid)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, PINNSAMPLER_CLASSID, 1);
  if (grid != PETSC_DEFAULT) {
    PetscCheck(grid >= 2, PetscObjectComm((PetscObject)s), PETSC_ERR_ARG_OUTOFRANGE, "-pinn_sampler_dump_grid must be at least 2, got %" PetscInt_FMT,
               grid);
    s->diag.grid = grid;
  }
  if (prefix != s->diag.dump) PetscCall(PetscStrncpy(s->diag.dump, prefix ? prefix : "", sizeof(s->diag.dump)));
  PetscFunctionReturn(0);
}

/* The stage's file; collective */
PetscErrorCode PINNSamplerDumpStage_Private(PINNSampler s, PINN pinn, PetscInt stage, PetscInt step)
{
  MPI_Comm          comm = PetscObjectComm((PetscObject)s);
  const PINNPoints *pts  = &pinn->points[PINN_POINTS_INTERIOR];
  const PetscInt    d = pinn->dim, nx = s->diag.grid, ny = s->diag.grid;
  char              file[PETSC_MAX_PATH_LEN];
  PetscViewer       viewer;
  Vec               X, R = NULL;
  PetscScalar      *a;
  PetscReal         lo[16], hi[16];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s_stage%04" PetscInt_FMT ".h5", s->diag.dump, stage));
  PetscCall(NNFileCheckWritable(comm, file, "-pinn_sampler_dump"));
  PetscCall(PINNGeometryGetBoundingBox(pinn->geom, lo, hi));
  /* the points, n x d on this rank: the global order is the ranks' slices in order */
  PetscCall(VecCreateMPI(comm, pts->n * d, PETSC_DETERMINE, &X));
  PetscCall(VecSetBlockSize(X, d));
  PetscCall(PetscObjectSetName((PetscObject)X, "points"));
  PetscCall(VecGetArrayWrite(X, &a));
  for (PetscInt i = 0; i < pts->n * d; i++) a[i] = pts->x[i];
  PetscCall(VecRestoreArrayWrite(X, &a));
  if (d >= 2) {
    PetscInt   rlo, rhi, n;
    PetscReal *x, *r2;
    PetscBool *inside;

    PetscCheck(d <= 16, comm, PETSC_ERR_SUP, "-pinn_sampler_dump: the residual grid supports up to 16 inputs, the problem has %" PetscInt_FMT, d);
    PetscCall(VecCreateMPI(comm, PETSC_DECIDE, nx * ny, &R));
    PetscCall(PetscObjectSetName((PetscObject)R, "r2"));
    PetscCall(VecGetOwnershipRange(R, &rlo, &rhi));
    n = rhi - rlo;
    PetscCall(PetscMalloc3(n * d, &x, n, &r2, n, &inside));
    for (PetscInt g = rlo; g < rhi; g++) {
      PetscReal *p = &x[(g - rlo) * d];
      for (PetscInt k = 2; k < d; k++) p[k] = 0.5 * (lo[k] + hi[k]);
      p[0] = lo[0] + (hi[0] - lo[0]) * (PetscReal)(g % nx) / (PetscReal)(nx - 1);
      p[1] = lo[1] + (hi[1] - lo[1]) * (PetscReal)(g / nx) / (PetscReal)(ny - 1);
    }
    PetscCall(PINNGeometryContains(pinn->geom, n, x, inside));
    PetscCall(PINNComputeResiduals(pinn, PINN_POINTS_INTERIOR, n, x, r2, NULL));
    PetscCall(VecGetArrayWrite(R, &a));
    for (PetscInt i = 0; i < n; i++) a[i] = inside[i] ? r2[i] : (PetscReal)NAN;
    PetscCall(VecRestoreArrayWrite(R, &a));
    PetscCall(PetscFree3(x, r2, inside));
  }
  {
    PetscErrorCode ierr;

    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = PetscViewerHDF5Open(comm, file, FILE_MODE_WRITE, &viewer);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(!ierr, comm, PETSC_ERR_FILE_WRITE, "HDF5 cannot create the sampler dump %s (-pinn_sampler_dump)", file);
  }
  PetscCall(VecView(X, viewer));
  if (R) PetscCall(VecView(R, viewer));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "stage", PETSC_INT, &stage));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "step", PETSC_INT, &step));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "nx", PETSC_INT, &nx));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "ny", PETSC_INT, &ny));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "x_lo", PETSC_REAL, &lo[0]));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "y_lo", PETSC_REAL, &lo[d >= 2 ? 1 : 0]));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "x_hi", PETSC_REAL, &hi[0]));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "y_hi", PETSC_REAL, &hi[d >= 2 ? 1 : 0]));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "sampler", PETSC_STRING, ((PetscObject)s)->type_name));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&R));
  PetscFunctionReturn(0);
}

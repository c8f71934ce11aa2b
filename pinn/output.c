/* The trained solution on a grid, to HDF5 with an XDMF companion (opens in ParaView). */
#include <nnpde/private/pinnimpl.h>
#include <petscdmda.h>
#include <petscviewerhdf5.h>
#include <nnpde/checkpoint.h>

/* The XDMF companion of an HDF5 file: file.h5 -> file.xmf, any other name -> name.xmf */
PetscErrorCode PINNXDMFName_Private(const char h5[], char xmf[], size_t size)
{
  size_t len;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(xmf, h5, size));
  PetscCall(PetscStrlen(xmf, &len));
  if (len > 3 && !strcmp(xmf + len - 3, ".h5")) xmf[len - 3] = 0;
  PetscCall(PetscStrlcat(xmf, ".xmf", size));
  PetscFunctionReturn(0);
}

/* Before anything is written: the file and its XDMF companion can be written */
PetscErrorCode PINNCheckOutputWritable_Private(MPI_Comm comm, const char file[], const char what[])
{
  char xmf[PETSC_MAX_PATH_LEN], xwhat[256];

  PetscFunctionBegin;
  PetscCall(NNFileCheckWritable(comm, file, what));
  PetscCall(PINNXDMFName_Private(file, xmf, sizeof(xmf)));
  PetscCall(PetscSNPrintf(xwhat, sizeof(xwhat), "the XDMF companion of %s", what));
  PetscCall(NNFileCheckWritable(comm, xmf, xwhat));
  PetscFunctionReturn(0);
}

/*@C
  PINNCheckOutputFile - Checks, before training, that a solution file (`PINNWriteSolution()`,
  `PINNLagrangianWriteGrid()`) and its XDMF companion can be written, and that neither is one of the
  PINN's training files (checkpoint, restart, history), which writing it would destroy

  Collective

  Input Parameters:
+ pinn - the PINN, after `PINNSetFromOptions()` (so that its files are known)
. file - the HDF5 file (its companion: file.xmf, the .h5 replaced)
- what - what the file is, for the message (e.g. "-output")

  Level: beginner

.seealso: `PINNWriteSolution()`, `PINNLagrangianWriteGrid()`, `NNFileCheckWritable()`, `NNFileSame()`
@*/
PetscErrorCode PINNCheckOutputFile(PINN pinn, const char file[], const char what[])
{
  MPI_Comm    comm;
  char        xmf[PETSC_MAX_PATH_LEN];
  const char *names[2]  = {file, xmf};
  const char *owners[3] = {"checkpoint", "restart", "monitor_history"};
  const char *prefix;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscCall(PINNCheckOutputWritable_Private(comm, file, what));
  PetscCall(PINNXDMFName_Private(file, xmf, sizeof(xmf)));
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)pinn, &prefix));
  for (PetscInt k = 0; k < 3; k++) {
    const char *train = k == 0 ? pinn->checkpoint : k == 1 ? pinn->restart : pinn->history;

    if (!train[0]) continue;
    for (PetscInt f = 0; f < 2; f++) {
      PetscBool same;

      PetscCall(NNFileSame(comm, names[f], train, &same));
      PetscCheck(!same, comm, PETSC_ERR_ARG_WRONG, "%s %s%s%s is also -%spinn_%s %s: writing the solution would overwrite it; give another file",
                 what, file, f ? ": its XDMF companion " : "", f ? xmf : "", prefix ? prefix : "", owners[k], train);
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteXDMF(PINN pinn, const char h5[], PetscInt nx, PetscInt ny, const PetscReal lo[], const PetscReal hi[], PetscInt nfields,
                                char names[][32])
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)pinn);
  char        xmf[PETSC_MAX_PATH_LEN], base[PETSC_MAX_PATH_LEN];
  const char *slash;
  FILE       *fp;

  PetscFunctionBegin;
  PetscCall(PINNXDMFName_Private(h5, xmf, sizeof(xmf)));
  /* the XDMF file sits next to the HDF5 file and refers to it by its base name */
  slash = strrchr(h5, '/');
  PetscCall(PetscStrncpy(base, slash ? slash + 1 : h5, sizeof(base)));
  PetscCall(PetscFOpen(comm, xmf, "w", &fp));
  PetscCall(PetscFPrintf(comm, fp, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n <Domain>\n  <Grid Name=\"pinn\" GridType=\"Uniform\">\n"));
  PetscCall(PetscFPrintf(comm, fp, "   <Topology TopologyType=\"2DCoRectMesh\" Dimensions=\"%" PetscInt_FMT " %" PetscInt_FMT "\"/>\n", ny, nx));
  PetscCall(PetscFPrintf(comm, fp,
                         "   <Geometry GeometryType=\"ORIGIN_DXDY\">\n    <DataItem Format=\"XML\" Dimensions=\"2\">%.17g %.17g</DataItem>\n",
                         (double)lo[1], (double)lo[0]));
  PetscCall(PetscFPrintf(comm, fp, "    <DataItem Format=\"XML\" Dimensions=\"2\">%.17g %.17g</DataItem>\n   </Geometry>\n",
                         (double)((hi[1] - lo[1]) / (ny - 1)), (double)((hi[0] - lo[0]) / (nx - 1))));
  for (PetscInt f = 0; f < nfields; f++) {
    PetscCall(PetscFPrintf(comm, fp, "   <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Node\">\n", names[f]));
    PetscCall(PetscFPrintf(comm, fp,
                           "    <DataItem Format=\"HDF\" NumberType=\"Float\" Precision=\"8\" Dimensions=\"%" PetscInt_FMT " %" PetscInt_FMT
                           "\">%s:/%s</DataItem>\n   </Attribute>\n",
                           ny, nx, base, names[f]));
  }
  PetscCall(PetscFPrintf(comm, fp, "  </Grid>\n </Domain>\n</Xdmf>\n"));
  PetscCall(PetscFClose(comm, fp));
  PetscFunctionReturn(0);
}

/*@C
  PINNWriteSolution - Evaluates the network on an nx x ny grid over the bounding box of the first
  two inputs (further inputs at the centre of their range; for space-time problems in 1-D space
  the grid is x by t) and writes the solution, the exact solution and the pointwise error
  (|u - u*|, when PINNSetExactSolution() was called) to HDF5, plus file.xmf for ParaView. Grid
  points outside the domain hold NaN. Datasets: u (u_0, u_1, ... for systems), u_exact, error;
  root attributes lo, hi, nx, ny.

  Collective

  Level: beginner
@*/
PetscErrorCode PINNWriteSolution(PINN pinn, const char file[], PetscInt nx, PetscInt ny)
{
  MPI_Comm        comm;
  DM              da;
  PetscInt        xs, ys, xm, ym, n, nc, dim, nf = 0;
  PetscReal      *x, *u, *ue = NULL, lo[16], hi[16];
  PetscBool      *inside;
  Vec             field[3 * 8];
  char            names[3 * 8][32];
  PetscViewer     viewer = NULL;
  const PetscReal nan    = (PetscReal)NAN;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscCall(PINNSetUp(pinn));
  /* HDF5 would only say that H5Fcreate() failed, without the file's name; and no HDF5 file without its companion */
  PetscCall(PINNCheckOutputWritable_Private(comm, file, "solution file"));
  dim = pinn->dim, nc = pinn->nc;
  PetscCheck(dim >= 2 && dim <= 16, comm, PETSC_ERR_SUP, "Grid output needs 2 to 16 inputs, the problem has %" PetscInt_FMT, dim);
  PetscCheck(nc <= 8, comm, PETSC_ERR_SUP, "Grid output supports up to 8 components");
  PetscCheck(nx >= 2 && ny >= 2, comm, PETSC_ERR_ARG_OUTOFRANGE, "The grid needs at least 2 x 2 points, got %" PetscInt_FMT " x %" PetscInt_FMT, nx,
             ny);
  PetscCall(PINNGeometryGetBoundingBox(pinn->geom, lo, hi));
  PetscCall(DMDACreate2d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, nx, ny, PETSC_DECIDE, PETSC_DECIDE, 1, 0, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(DMDAGetCorners(da, &xs, &ys, NULL, &xm, &ym, NULL));
  n = xm * ym;
  PetscCall(PetscMalloc3(n * dim, &x, n * nc, &u, n, &inside));
  for (PetscInt j = 0; j < ym; j++)
    for (PetscInt i = 0; i < xm; i++) {
      PetscReal *p = &x[(j * xm + i) * dim];
      for (PetscInt k = 2; k < dim; k++) p[k] = 0.5 * (lo[k] + hi[k]);
      p[0] = lo[0] + (hi[0] - lo[0]) * (xs + i) / (nx - 1);
      p[1] = lo[1] + (hi[1] - lo[1]) * (ys + j) / (ny - 1);
    }
  PetscCall(PINNGeometryContains(pinn->geom, n, x, inside));
  PetscCall(PINNEvaluate(pinn, n, x, u));
  if (pinn->exact) {
    PetscCall(PetscMalloc1(n * nc, &ue));
    PetscCall((*pinn->exact)(pinn->exact_ctx, n, dim, x, nc, ue));
  }
  for (PetscInt c = 0; c < nc; c++) {
    for (PetscInt kind = 0; kind < (pinn->exact ? 3 : 1); kind++) {
      PetscScalar *a;
      const char  *stem[3] = {"u", "u_exact", "error"};
      if (nc == 1)
        PetscCall(PetscSNPrintf(names[nf], 32, "%s", stem[kind]));
      else
        PetscCall(PetscSNPrintf(names[nf], 32, "%s_%" PetscInt_FMT, stem[kind], c));
      PetscCall(DMCreateGlobalVector(da, &field[nf]));
      PetscCall(PetscObjectSetName((PetscObject)field[nf], names[nf]));
      PetscCall(VecGetArrayWrite(field[nf], &a));
      for (PetscInt p = 0; p < n; p++) {
        const PetscReal v = kind == 0 ? u[p * nc + c] : kind == 1 ? ue[p * nc + c] : PetscAbsReal(u[p * nc + c] - ue[p * nc + c]);
        a[p]              = inside[p] ? v : nan;
      }
      PetscCall(VecRestoreArrayWrite(field[nf], &a));
      nf++;
    }
  }
  {
    PetscErrorCode ierr;

    /* HDF5's own error would say only "Error in HDF5 call H5Fcreate() Status -1" */
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = PetscViewerHDF5Open(comm, file, FILE_MODE_WRITE, &viewer);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(!ierr, comm, PETSC_ERR_FILE_WRITE, "HDF5 cannot create the solution file %s (see HDF5's messages above)", file);
  }
  for (PetscInt f = 0; f < nf; f++) PetscCall(VecView(field[f], viewer));
  {
    const PetscReal box[4] = {lo[0], lo[1], hi[0], hi[1]};
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "x_lo", PETSC_REAL, &box[0]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "y_lo", PETSC_REAL, &box[1]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "x_hi", PETSC_REAL, &box[2]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "y_hi", PETSC_REAL, &box[3]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "nx", PETSC_INT, &nx));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "ny", PETSC_INT, &ny));
  }
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(WriteXDMF(pinn, file, nx, ny, lo, hi, nf, names));
  for (PetscInt f = 0; f < nf; f++) PetscCall(VecDestroy(&field[f]));
  PetscCall(PetscFree3(x, u, inside));
  PetscCall(PetscFree(ue));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

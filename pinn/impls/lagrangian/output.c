/* PINNLAGRANGIAN output: u(x,t) on the Eulerian grid (with a reference and the error) and the
   characteristics x(X,t), to HDF5 with an XDMF companion (as PINNWriteSolution() in pinn/output.c). */
#include <nnpde/private/pinnimpl.h>
#include <petscviewerhdf5.h>
#include <nnpde/checkpoint.h>

/* A Vec of n values held on rank 0 (the grids' coordinates), named */
static PetscErrorCode CoordinateVec(MPI_Comm comm, const char name[], PetscInt n, const PetscReal v[], Vec *c)
{
  PetscMPIInt  rank;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecCreateMPI(comm, rank ? 0 : n, n, c));
  PetscCall(PetscObjectSetName((PetscObject)*c, name));
  PetscCall(VecGetArrayWrite(*c, &a));
  if (!rank)
    for (PetscInt i = 0; i < n; i++) a[i] = v[i];
  PetscCall(VecRestoreArrayWrite(*c, &a));
  PetscFunctionReturn(0);
}

/* x(X_i, t_j) = X_i + N_x(X_i, t_j) (the displacement form of lagrangian.c), unwrapped, for this rank's slices */
static PetscErrorCode Characteristics(PINN pinn, PetscInt nl, const PetscReal X[], PetscInt nt, const PetscReal t[], Vec xc)
{
  PetscInt     ix, lo;
  PetscReal   *in, *y;
  PetscScalar *a;
  NN           nn;

  PetscFunctionBegin;
  PetscCall(PINNGetNetworkIndex(pinn, "x", &ix));
  nn = pinn->nets[ix].nn;
  PetscCall(VecGetOwnershipRange(xc, &lo, NULL));
  PetscCall(PetscMalloc2(2 * nl, &in, nl, &y));
  PetscCall(PINNLendParameters_Private(pinn, pinn->theta));
  PetscCall(VecGetArrayWrite(xc, &a));
  for (PetscInt j = 0; j < nt; j++) {
    for (PetscInt i = 0; i < nl; i++) in[2 * i] = X[i], in[2 * i + 1] = t[lo / nl + j];
    PetscCall(NNSetJetRequest(nn, pinn->nets[ix].jets_value));
    PetscCall(NNForward(nn, nl, in, y));
    for (PetscInt i = 0; i < nl; i++) a[j * nl + i] = X[i] + y[i];
  }
  PetscCall(VecRestoreArrayWrite(xc, &a));
  PetscCall(PINNReturnParameters_Private(pinn));
  PetscCall(PetscFree2(in, y));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteXDMF(MPI_Comm comm, const char h5[], PetscInt nx, PetscInt nl, PetscInt nt, PetscBool withref)
{
  char        xmf[PETSC_MAX_PATH_LEN], base[PETSC_MAX_PATH_LEN];
  const char *slash, *fields[3] = {"u", "u_reference", "error"};
  FILE       *fp;

  PetscFunctionBegin;
  PetscCall(PINNXDMFName_Private(h5, xmf, sizeof(xmf)));
  slash = strrchr(h5, '/');
  PetscCall(PetscStrncpy(base, slash ? slash + 1 : h5, sizeof(base)));
  PetscCall(PetscFOpen(comm, xmf, "w", &fp));
  PetscCall(PetscFPrintf(comm, fp, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n <Domain>\n"));
  for (PetscInt g = 0; g < 2; g++) {
    const PetscInt n = g ? nl : nx;
    PetscCall(PetscFPrintf(comm, fp, "  <Grid Name=\"%s\" GridType=\"Uniform\">\n", g ? "characteristics" : "eulerian"));
    PetscCall(PetscFPrintf(comm, fp, "   <Topology TopologyType=\"2DRectMesh\" Dimensions=\"%" PetscInt_FMT " %" PetscInt_FMT "\"/>\n", nt, n));
    PetscCall(PetscFPrintf(comm, fp, "   <Geometry GeometryType=\"VXVY\">\n"));
    PetscCall(PetscFPrintf(comm, fp,
                           "    <DataItem Format=\"HDF\" NumberType=\"Float\" Precision=\"8\" Dimensions=\"%" PetscInt_FMT "\">%s:/%s</DataItem>\n",
                           n, base, g ? "X" : "x"));
    PetscCall(PetscFPrintf(
        comm, fp, "    <DataItem Format=\"HDF\" NumberType=\"Float\" Precision=\"8\" Dimensions=\"%" PetscInt_FMT "\">%s:/t</DataItem>\n", nt, base));
    PetscCall(PetscFPrintf(comm, fp, "   </Geometry>\n"));
    for (PetscInt f = 0; f < (g ? 1 : withref ? 3 : 1); f++)
      PetscCall(PetscFPrintf(comm, fp,
                             "   <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Node\">\n    <DataItem Format=\"HDF\" NumberType=\"Float\" "
                             "Precision=\"8\" Dimensions=\"%" PetscInt_FMT " %" PetscInt_FMT "\">%s:/%s</DataItem>\n   </Attribute>\n",
                             g ? "characteristics" : fields[f], nt, n, base, g ? "characteristics" : fields[f]));
    PetscCall(PetscFPrintf(comm, fp, "  </Grid>\n"));
  }
  PetscCall(PetscFPrintf(comm, fp, " </Domain>\n</Xdmf>\n"));
  PetscCall(PetscFClose(comm, fp));
  PetscFunctionReturn(0);
}

/*@C
  PINNLagrangianWriteGrid - Writes a PINNLAGRANGIAN's solution on an Eulerian space-time grid, optionally a
  reference and the error, and its characteristics, to HDF5, plus file.xmf (two grids) for ParaView

  Collective

  Input Parameters:
+ pinn - the PINN, set up, of type PINNLAGRANGIAN
. file - the HDF5 file
. nl   - number of labels X_i = a + i (b - a) / nl, for the interpolation and the characteristics
. nx   - number of grid points x
. x    - the grid points, in [a, b)
. nt   - number of times (all of them)
. t    - the times (the same array on every rank)
- ref  - the reference on the grid (`ReferenceSpaceTimeVecCreate1d()` layout), or NULL

  Notes:
  Datasets: u, u_reference and error (u - u_reference) as nt x nx arrays, u(x_k, t_j) in row j;
  characteristics, nt x nl, the unwrapped x(X_i, t_j); and the coordinates x (nx), X (nl) and t (nt).
  tools/plot_lpinn.py draws them.

  Level: beginner

.seealso: `PINNLAGRANGIAN`, `PINNLagrangianEvaluateVec()`, `PINNWriteSolution()`
@*/
PetscErrorCode PINNLagrangianWriteGrid(PINN pinn, const char file[], PetscInt nl, PetscInt nx, const PetscReal x[], PetscInt nt, const PetscReal t[],
                                       Vec ref)
{
  MPI_Comm       comm;
  PetscInt       ntl = PETSC_DECIDE, bs;
  PetscReal      lo[2], hi[2], *X;
  Vec            u, e = NULL, xc, cx, cX, ct;
  PetscViewer    viewer;
  PetscErrorCode ierr;
  PetscBool      lagrangian;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(pinn, PINN_CLASSID, 1);
  comm = PetscObjectComm((PetscObject)pinn);
  PetscCall(PetscObjectTypeCompare((PetscObject)pinn, PINNLAGRANGIAN, &lagrangian));
  PetscCheck(lagrangian, comm, PETSC_ERR_ARG_WRONG, "PINNLagrangianWriteGrid() needs a PINN of type %s", PINNLAGRANGIAN);
  PetscCheck(nl >= 2 && nx >= 2 && nt >= 1, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Need at least 2 labels, 2 x points and 1 time, got %" PetscInt_FMT ", %" PetscInt_FMT ", %" PetscInt_FMT, nl, nx, nt);
  if (ref) {
    PetscInt N;
    PetscCall(VecGetBlockSize(ref, &bs));
    PetscCall(VecGetSize(ref, &N));
    PetscCheck(bs == nx && N == nx * nt, comm, PETSC_ERR_ARG_INCOMP,
               "The reference is %" PetscInt_FMT " x %" PetscInt_FMT " (time slices x points), the grid %" PetscInt_FMT " x %" PetscInt_FMT, N / bs,
               bs, nt, nx);
  }
  PetscCall(PINNSetUp(pinn));
  PetscCall(PINNCheckOutputWritable_Private(comm, file, "LPINN grid file"));
  PetscCall(PINNGeometryGetBoundingBox(pinn->geom, lo, hi));
  /* the split of ReferenceSpaceTimeVecCreate1d() */
  PetscCall(PetscSplitOwnership(comm, &ntl, &nt));
  if (ref)
    PetscCall(VecDuplicate(ref, &u));
  else {
    PetscCall(VecCreate(comm, &u));
    PetscCall(VecSetSizes(u, ntl * nx, nt * nx));
    PetscCall(VecSetBlockSize(u, nx));
    PetscCall(VecSetType(u, VECSTANDARD));
  }
  PetscCall(PetscObjectSetName((PetscObject)u, "u"));
  PetscCall(PINNLagrangianEvaluateVec(pinn, nl, x, t, u));
  if (ref) {
    PetscCall(VecDuplicate(u, &e));
    PetscCall(VecWAXPY(e, -1, ref, u));
    PetscCall(PetscObjectSetName((PetscObject)e, "error"));
  }
  PetscCall(VecGetLocalSize(u, &ntl));
  ntl /= nx;
  PetscCall(VecCreate(comm, &xc));
  PetscCall(VecSetSizes(xc, ntl * nl, nt * nl));
  PetscCall(VecSetBlockSize(xc, nl));
  PetscCall(VecSetType(xc, VECSTANDARD));
  PetscCall(PetscObjectSetName((PetscObject)xc, "characteristics"));
  PetscCall(PetscMalloc1(nl, &X));
  for (PetscInt i = 0; i < nl; i++) X[i] = lo[0] + i * (hi[0] - lo[0]) / nl;
  PetscCall(Characteristics(pinn, nl, X, ntl, t, xc));
  PetscCall(CoordinateVec(comm, "x", nx, x, &cx));
  PetscCall(CoordinateVec(comm, "X", nl, X, &cX));
  PetscCall(CoordinateVec(comm, "t", nt, t, &ct));

  /* HDF5's own error would say only "Error in HDF5 call H5Fcreate() Status -1" */
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PetscViewerHDF5Open(comm, file, FILE_MODE_WRITE, &viewer);
  PetscCall(PetscPopErrorHandler());
  PetscCheck(!ierr, comm, PETSC_ERR_FILE_WRITE, "HDF5 cannot create the LPINN grid file %s (see HDF5's messages above)", file);
  PetscCall(VecView(u, viewer));
  if (ref) {
    const char *name0;
    char        name[256];
    PetscCall(PetscObjectGetName((PetscObject)ref, &name0));
    PetscCall(PetscStrncpy(name, name0, sizeof(name)));
    PetscCall(PetscObjectSetName((PetscObject)ref, "u_reference"));
    PetscCall(VecView(ref, viewer));
    PetscCall(PetscObjectSetName((PetscObject)ref, name));
    PetscCall(VecView(e, viewer));
  }
  PetscCall(VecView(xc, viewer));
  PetscCall(VecView(cx, viewer));
  PetscCall(VecView(cX, viewer));
  PetscCall(VecView(ct, viewer));
  {
    const PetscReal period = hi[0] - lo[0];
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "x_lo", PETSC_REAL, &lo[0]));
    PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/", "period", PETSC_REAL, &period));
  }
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(WriteXDMF(comm, file, nx, nl, nt, ref ? PETSC_TRUE : PETSC_FALSE));
  PetscCall(PetscFree(X));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&e));
  PetscCall(VecDestroy(&xc));
  PetscCall(VecDestroy(&cx));
  PetscCall(VecDestroy(&cX));
  PetscCall(VecDestroy(&ct));
  PetscFunctionReturn(0);
}

/* Bad input to the KRnet flow, one case per run (-case): each must stop with a clear error, except
   "outside", where log p = -inf is the documented answer and only the gradient refuses the point.
     outputs  NNSetSizes(nn, 2, 3): a flow has one output
     box      NNKRnetSetDomain() with lo >= hi
     bins     an odd number of CDF elements
     jets     second-derivative jets asked of a flow
     outside  points outside the box: log p = -inf, then d log p/d alpha refuses them
     nan      a NaN parameter */
#include <nnpde.h>
#include <math.h>

int main(int argc, char **argv)
{
  char      which[64] = "outside";
  NN        nn;
  PetscInt  nout  = 1;
  PetscReal lo[2] = {-1, -1}, hi[2] = {1, 1};
  PetscBool is;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-case", which, sizeof(which), NULL));
  PetscCall(PetscStrcmp(which, "outputs", &is));
  if (is) nout = 3;
  PetscCall(NNCreate(PETSC_COMM_WORLD, &nn));
  PetscCall(NNSetSizes(nn, 2, nout));
  PetscCall(NNSetType(nn, NNKRNET));
  PetscCall(NNKRnetSetArchitecture(nn, 1, 2, 4));
  PetscCall(PetscStrcmp(which, "box", &is));
  if (is) hi[1] = -1;
  PetscCall(NNKRnetSetDomain(nn, lo, hi));
  PetscCall(PetscStrcmp(which, "bins", &is));
  if (is) PetscCall(NNKRnetSetCDFBins(nn, 7));
  PetscCall(NNSetUp(nn));
  PetscCall(PetscStrcmp(which, "jets", &is));
  if (is) {
    const PetscInt pair[2] = {0, 1};
    PetscReal      x[2]    = {0.1, 0.2}, y[8];
    PetscCall(NNSetJets(nn, 0, NULL, 1, pair, 0, NULL));
    PetscCall(NNForward(nn, 1, x, y));
  }
  PetscCall(PetscStrcmp(which, "outside", &is));
  if (is) {
    PetscReal x[6] = {0.1, 0.2, 1.5, 0.0, -1.0, 0.3}, lp[3], g[4096];
    PetscCall(NNKRnetLogDensity(nn, 3, x, lp));
    PetscCheck(PetscIsNormalReal(lp[0]) && PetscIsInfReal(lp[1]) && lp[1] < 0 && PetscIsInfReal(lp[2]) && lp[2] < 0, PETSC_COMM_SELF, PETSC_ERR_PLIB,
               "log p outside the box should be -inf: got %g %g %g", (double)lp[0], (double)lp[1], (double)lp[2]);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "log p outside the box: %g and %g\n", (double)lp[1], (double)lp[2]));
    fflush(stdout); /* before the expected error aborts the ranks */
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(NNKRnetWeightedLogDensity(nn, 3, x, NULL, NULL, g));
  }
  PetscCall(PetscStrcmp(which, "nan", &is));
  if (is) {
    Vec       P;
    PetscReal x[2] = {0.1, 0.2}, lp;
    PetscCall(NNGetParameters(nn, &P));
    PetscCall(VecSetValue(P, 1, (PetscReal)NAN, INSERT_VALUES));
    PetscCall(VecAssemblyBegin(P));
    PetscCall(VecAssemblyEnd(P));
    PetscCall(NNKRnetLogDensity(nn, 1, x, &lp));
  }
  PetscCall(NNDestroy(&nn));
  PetscCall(PetscFinalize());
  return 0;
}

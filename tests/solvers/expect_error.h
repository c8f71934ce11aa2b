/* Shared by the solver tests: checks one bad call that ran with errors returned
   (PetscReturnErrorHandler) — its error class and part of this rank's message — and prints it. */
#ifndef NNPDE_TEST_EXPECT_ERROR_H
#define NNPDE_TEST_EXPECT_ERROR_H

#include <petscsys.h>
#include <string.h>

static PetscErrorCode Expect(const char title[], PetscErrorCode ierr, PetscErrorCode expected, const char contains[], PetscInt *nfail)
{
  char     *spec = NULL, line[1024] = "";
  PetscBool ok;

  PetscFunctionBegin;
  if (ierr) PetscCall(PetscErrorMessage(ierr, NULL, &spec));
  if (spec) PetscCall(PetscStrncpy(line, spec, sizeof(line)));
  if (strchr(line, '\n')) *strchr(line, '\n') = 0;
  ok = (PetscBool)(ierr == expected && (!contains || strstr(line, contains)));
  if (!ok) {
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAILED: %s: error %d (expected %d): %s\n", title, (int)ierr, (int)expected, line));
    (*nfail)++;
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPIU_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "(d) %-38s %s\n    %s\n", title, ok ? "ok" : "FAILED", line));
  PetscFunctionReturn(0);
}

#endif

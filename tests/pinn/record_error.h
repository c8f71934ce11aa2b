/* Shared by the PINN tests that check error messages: an error handler that keeps the message of the
   error where it was raised (PetscPushErrorHandler(Record, NULL)) in `message`. */
#ifndef NNPDE_TESTS_PINN_RECORD_ERROR_H
#define NNPDE_TESTS_PINN_RECORD_ERROR_H
#include <petscsys.h>
#include <stdio.h>

static char message[2048]; /* long enough for the lagrangian errors, which name label, x, u and f2 */

static PetscErrorCode Record(MPI_Comm comm, int line, const char *func, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess,
                             void *ctx)
{
  (void)comm, (void)line, (void)func, (void)file, (void)ctx;
  if (p == PETSC_ERROR_INITIAL) snprintf(message, sizeof(message), "%s", mess ? mess : "");
  return n;
}

#endif

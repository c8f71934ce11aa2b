/* The loss-history CSV (-pinn_monitor_history) across a restart: 60 Adam steps in one run, and
   30 steps + checkpoint, then -pinn_restart to 60 into the same file (with two rows written after
   the checkpoint, as by a run that went on and crashed) and into a new file. Every file has its
   header and each iteration exactly once, in order; the resumed rows are the uninterrupted run's
   to round-off; and values are written at full precision: loss = pde + bc holds exactly for the
   doubles read back (with 11 digits it fails by about 1e-11). */
#include "poisson_problem.h"

#define NSTEPS 60
#define NHALF 30
#define MAXROW (NSTEPS + 8)

typedef struct {
  char      header[256];
  PetscInt  n;            /* rows */
  PetscInt  it[MAXROW];   /* iteration of each row */
  PetscReal v[MAXROW][3]; /* loss, pde, bc */
  char      line[MAXROW][256];
} History;

static PetscErrorCode Train(PetscInt steps, const char history[], const char ckpt[], const char restart[])
{
  PINN pinn;

  PetscFunctionBegin;
  PetscCall(PoissonProblemCreate(PETSC_COMM_WORLD, 100, 40, &pinn));
  PetscCall(PINNSetSteps(pinn, steps, 0));
  PetscCall(PINNSetMonitor(pinn, PETSC_FALSE, 10, history));
  if (ckpt) PetscCall(PINNSetCheckpoint(pinn, ckpt, 0));
  if (restart) PetscCall(PetscOptionsSetValue(NULL, "-pinn_restart", restart));
  PetscCall(PINNSetFromOptions(pinn));
  PetscCall(PetscOptionsClearValue(NULL, "-pinn_restart"));
  PetscCall(PINNTrain(pinn));
  PetscCall(PINNDestroy(&pinn));
  PetscFunctionReturn(0);
}

/* Reads a history on this rank; returns a description of the first problem in why[] (empty: none) */
static void Read(const char file[], History *h, char why[], size_t len)
{
  FILE *fp = fopen(file, "r");
  char  buf[256];

  h->n   = 0;
  why[0] = 0;
  if (!fp) {
    snprintf(why, len, "%s cannot be opened", file);
    return;
  }
  if (!fgets(h->header, sizeof(h->header), fp)) snprintf(why, len, "%s is empty", file);
  while (!why[0] && fgets(buf, sizeof(buf), fp)) {
    char *end;
    if (h->n == MAXROW) {
      snprintf(why, len, "%s has too many rows", file);
      break;
    }
    snprintf(h->line[h->n], sizeof(h->line[0]), "%s", buf);
    h->it[h->n] = (PetscInt)strtol(buf, &end, 10);
    end         = strchr(end + 1, ','); /* skip the stage */
    for (int k = 0; k < 3 && end; k++) {
      h->v[h->n][k] = strtod(end + 1, &end);
      if (*end != ',') end = NULL;
    }
    if (!end) snprintf(why, len, "%s: cannot parse row %s", file, buf);
    h->n++;
  }
  fclose(fp);
}

/* Rows of iterations first..NSTEPS-1 (the monitor sees each iteration before its step), each once, in order; values equal to ref's to rtol (0: the
 * same text) */
static void Check(const char file[], const History *h, const History *ref, PetscInt first, PetscInt exact_below, char why[], size_t len)
{
  if (why[0]) return;
  if (strcmp(h->header, ref->header) || strncmp(h->header, "iteration,stage,loss,pde,bc", 27)) {
    snprintf(why, len, "%s: header \"%s\"", file, h->header);
    return;
  }
  if (h->n != NSTEPS - first) {
    snprintf(why, len, "%s has %d rows, expected %d", file, (int)h->n, (int)(NSTEPS - first));
    return;
  }
  for (PetscInt r = 0; r < h->n; r++) {
    const PetscInt i = first + r;
    if (h->it[r] != i) {
      snprintf(why, len, "%s: row %d is iteration %d, expected %d", file, (int)r, (int)h->it[r], (int)i);
      return;
    }
    if (i < exact_below && strcmp(h->line[r], ref->line[i])) {
      snprintf(why, len, "%s: row of iteration %d differs from the run without restart", file, (int)i);
      return;
    }
    for (int k = 0; k < 3; k++)
      if (PetscAbsReal(h->v[r][k] - ref->v[i][k]) > 1e-10 * PetscAbsReal(ref->v[i][k])) {
        snprintf(why, len, "%s: iteration %d value %d is %.17g, the run without restart has %.17g", file, (int)i, k, (double)h->v[r][k],
                 (double)ref->v[i][k]);
        return;
      }
    /* the loss is the sum of the terms, computed in double: exact only for values read back in full */
    if (h->v[r][0] != h->v[r][1] + h->v[r][2]) {
      snprintf(why, len, "%s: iteration %d: loss %.17g != pde + bc = %.17g (values not written at full precision)", file, (int)i, (double)h->v[r][0],
               (double)(h->v[r][1] + h->v[r][2]));
      return;
    }
  }
}

int main(int argc, char **argv)
{
  PetscMPIInt size, rank;
  char        full[64], part[64], fresh[64], ckpt[64], why[512] = "";
  History    *ref, *h;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  (void)PoissonProblemCreateWith;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscSNPrintf(full, sizeof(full), "history_full_np%d.csv", size));
  PetscCall(PetscSNPrintf(part, sizeof(part), "history_part_np%d.csv", size));
  PetscCall(PetscSNPrintf(fresh, sizeof(fresh), "history_fresh_np%d.csv", size));
  PetscCall(PetscSNPrintf(ckpt, sizeof(ckpt), "history_np%d.h5", size));
  PetscCall(Train(NSTEPS, full, NULL, NULL));
  PetscCall(Train(NHALF, part, ckpt, NULL));
  if (!rank) { /* rows after the checkpoint, as from a run that went on and was lost */
    FILE *fp = fopen(part, "a");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot append to %s", part);
    fprintf(fp, "%d,adam,1,0.5,0.5,\n%d,adam,1,0.5,0.5,\n", NHALF + 1, NHALF + 2);
    fclose(fp);
  }
  PetscCall(Train(NSTEPS, part, NULL, ckpt));
  PetscCall(Train(NSTEPS, fresh, NULL, ckpt));
  PetscCall(PetscNew(&ref));
  PetscCall(PetscNew(&h));
  if (!rank) {
    Read(full, ref, why, sizeof(why));
    Check(full, ref, ref, 0, NSTEPS, why, sizeof(why));
    if (!why[0]) Read(part, h, why, sizeof(why));
    Check(part, h, ref, 0, NHALF, why, sizeof(why));
    if (!why[0]) Read(fresh, h, why, sizeof(why));
    Check(fresh, h, ref, NHALF, 0, why, sizeof(why));
    if (!why[0]) printf("first row of the resumed file: %s", h->line[0]);
  }
  PetscCallMPI(MPI_Bcast(why, sizeof(why), MPI_CHAR, 0, PETSC_COMM_WORLD));
  PetscCheck(!why[0], PETSC_COMM_WORLD, PETSC_ERR_PLIB, "%s", why);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "history after restart: header, rows 0..%d once each (rows after the checkpoint replaced), values equal to the "
                        "uninterrupted run to 1e-10, loss = pde + bc exactly\n",
                        NSTEPS - 1));
  PetscCall(PetscFree(ref));
  PetscCall(PetscFree(h));
  PetscCall(PetscFinalize());
  return 0;
}

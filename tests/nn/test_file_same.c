/* NNFileSame(): two names of one file are the same file (./a and a, a path through .. and an absolute path, a
   symbolic and a hard link), other names are not; files that do not exist yet compare by their resolved names, and a
   dangling symbolic link (relative, in a subdirectory) by its target's.
   Every rank gets rank 0's answer. Prints each case and "failed checks: N". Options: -prefix <p> (file names, so
   that runs at several rank counts do not share files) */
#define _POSIX_C_SOURCE 200809L
#include <nnpde.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static PetscErrorCode Check(const char a[], const char b[], PetscBool expect, PetscInt *fails)
{
  PetscBool   same, all;
  PetscMPIInt s = 0, smin, smax;

  PetscFunctionBegin;
  PetscCall(NNFileSame(PETSC_COMM_WORLD, a, b, &same));
  s = same ? 1 : 0;
  PetscCallMPI(MPI_Allreduce(&s, &smin, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(&s, &smax, 1, MPI_INT, MPI_MAX, PETSC_COMM_WORLD));
  all = smin == smax ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s vs %s: %s (expected %s)%s\n", a, b, same ? "same" : "different", expect ? "same" : "different",
                        all ? "" : ", ranks disagree"));
  if (same != expect || !all) (*fails)++;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char prefix[64] = "file_same_", a[PETSC_MAX_PATH_LEN], b[PETSC_MAX_PATH_LEN], sub[PETSC_MAX_PATH_LEN], link_s[PETSC_MAX_PATH_LEN],
       link_h[PETSC_MAX_PATH_LEN], link_d[2 * PETSC_MAX_PATH_LEN], target[PETSC_MAX_PATH_LEN], rel[PETSC_MAX_PATH_LEN + 4], cwd[PETSC_MAX_PATH_LEN],
       abs_a[2 * PETSC_MAX_PATH_LEN], dotdot[2 * PETSC_MAX_PATH_LEN];
  PetscInt    fails = 0;
  PetscMPIInt rank;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-prefix", prefix, sizeof(prefix), NULL));
  PetscCall(PetscSNPrintf(a, sizeof(a), "%sa.h5", prefix));
  PetscCall(PetscSNPrintf(b, sizeof(b), "%sb.h5", prefix));
  PetscCall(PetscSNPrintf(sub, sizeof(sub), "%sdir", prefix));
  PetscCall(PetscSNPrintf(link_s, sizeof(link_s), "%ssymlink.h5", prefix));
  PetscCall(PetscSNPrintf(link_h, sizeof(link_h), "%shardlink.h5", prefix));
  PetscCall(PetscSNPrintf(dotdot, sizeof(dotdot), "%s/../%s", sub, a));
  PetscCall(PetscSNPrintf(link_d, sizeof(link_d), "%s/dangling.h5", sub));
  PetscCall(PetscSNPrintf(target, sizeof(target), "%starget.h5", prefix));
  PetscCall(PetscSNPrintf(rel, sizeof(rel), "../%s", target));
  PetscCheck(getcwd(cwd, sizeof(cwd)), PETSC_COMM_SELF, PETSC_ERR_SYS, "getcwd failed");
  PetscCall(PetscSNPrintf(abs_a, sizeof(abs_a), "%s/%s", cwd, a));
  if (rank == 0) { /* a clean start: no file a or b yet, the directory exists */
    unlink(a), unlink(b), unlink(link_s), unlink(link_h), unlink(link_d), unlink(target);
    mkdir(sub, 0755);
    PetscCheck(!symlink(rel, link_d), PETSC_COMM_SELF, PETSC_ERR_SYS, "symlink failed"); /* sub/dangling.h5 -> ../target.h5 */
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  {
    char dot_a[PETSC_MAX_PATH_LEN + 2];

    PetscCall(PetscSNPrintf(dot_a, sizeof(dot_a), "./%s", a));
    /* before the files exist: by their resolved names */
    PetscCall(Check(a, a, PETSC_TRUE, &fails));
    PetscCall(Check(dot_a, a, PETSC_TRUE, &fails));
    PetscCall(Check(dotdot, a, PETSC_TRUE, &fails));
    PetscCall(Check(abs_a, a, PETSC_TRUE, &fails));
    PetscCall(Check(a, b, PETSC_FALSE, &fails));
    PetscCall(Check("/no_such_dir_nnpde/x.h5", "/no_such_dir_nnpde/x.h5", PETSC_TRUE, &fails));
    PetscCall(Check("/no_such_dir_nnpde/x.h5", "/no_such_dir_nnpde/y.h5", PETSC_FALSE, &fails));
    PetscCall(Check(link_d, target, PETSC_TRUE, &fails)); /* writing through the link creates the target */
    PetscCall(Check(link_d, a, PETSC_FALSE, &fails));
    /* one exists, the other not */
    if (rank == 0) {
      FILE *fp = fopen(a, "w");
      PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot create %s", a);
      fclose(fp);
    }
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(Check(dot_a, a, PETSC_TRUE, &fails));
    PetscCall(Check(a, b, PETSC_FALSE, &fails));
    /* both exist: by inode */
    if (rank == 0) {
      FILE *fp = fopen(b, "w");
      PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "Cannot create %s", b);
      fclose(fp);
      PetscCheck(!symlink(a, link_s), PETSC_COMM_SELF, PETSC_ERR_SYS, "symlink failed");
      PetscCheck(!link(a, link_h), PETSC_COMM_SELF, PETSC_ERR_SYS, "link failed");
    }
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(Check(a, b, PETSC_FALSE, &fails));
    PetscCall(Check(link_s, a, PETSC_TRUE, &fails));
    PetscCall(Check(link_h, a, PETSC_TRUE, &fails));
    PetscCall(Check(dotdot, abs_a, PETSC_TRUE, &fails));
    PetscCall(Check(link_s, b, PETSC_FALSE, &fails));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  if (rank == 0) unlink(a), unlink(b), unlink(link_s), unlink(link_h), unlink(link_d), rmdir(sub);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "failed checks: %" PetscInt_FMT "\n", fails));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}

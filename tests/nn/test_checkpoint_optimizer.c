/* The optimizer seam of checkpoints: a Tao type serializes its state through the functions it
   composes as "NNCheckpointWrite_C" / "NNCheckpointRead_C", with no edit of the checkpoint code.
   Checks, each printed as a figure and turned into the exit code:
   - a TAOLMVM Tao with composed serializers: they are called, what they write comes back, and the
     default state (the solution) is not written;
   - a TAOLMVM Tao without them: its solution round-trips bitwise;
   - a Tao changed from adam to lmvm loses adam's composed serializers.
   Options: -file <name> (default test_checkpoint_optimizer.h5) */
#include <nnpde.h>
#include <petscviewerhdf5.h>

typedef struct {
  PetscInt written, read, value;
} Counter;

static PetscErrorCode ObjectiveZero(Tao tao, Vec X, PetscReal *f, Vec G, void *ctx)
{
  PetscFunctionBegin;
  (void)tao;
  (void)X;
  (void)ctx;
  *f = 0;
  PetscCall(VecSet(G, 0.0));
  PetscFunctionReturn(0);
}

/* A user optimizer's serializers: one integer attribute under /optimizer */
static PetscErrorCode WriteState(Tao tao, NNCheckpoint ckpt)
{
  Counter    *c;
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(TaoGetApplicationContext(tao, &c));
  PetscCall(NNCheckpointGetViewer(ckpt, &viewer));
  PetscCall(PetscViewerHDF5WriteGroup(viewer, "/optimizer"));
  PetscCall(PetscViewerHDF5WriteAttribute(viewer, "/optimizer", "user_state", PETSC_INT, &c->value));
  c->written++;
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadState(Tao tao, NNCheckpoint ckpt)
{
  Counter    *c;
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(TaoGetApplicationContext(tao, &c));
  PetscCall(NNCheckpointGetViewer(ckpt, &viewer));
  PetscCall(PetscViewerHDF5ReadAttribute(viewer, "/optimizer", "user_state", PETSC_INT, NULL, &c->value));
  c->read++;
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateTao(TaoType type, Vec x0, Tao *tao)
{
  Vec x;

  PetscFunctionBegin;
  PetscCall(TaoCreate(PETSC_COMM_WORLD, tao));
  PetscCall(TaoSetType(*tao, type));
  PetscCall(VecDuplicate(x0, &x));
  PetscCall(VecCopy(x0, x));
  PetscCall(TaoSetSolution(*tao, x));
  PetscCall(VecDestroy(&x));
  PetscCall(TaoSetObjectiveAndGradient(*tao, NULL, ObjectiveZero, NULL));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      file[PETSC_MAX_PATH_LEN] = "test_checkpoint_optimizer.h5";
  Vec       x0, x;
  Tao       tao;
  Counter   w = {0, 0, 12345}, r = {0, 0, -1};
  PetscBool hassolution = PETSC_TRUE, equal = PETSC_FALSE;
  PetscInt  fails = 0, its = -1;
  void (*f)(void) = NULL;
  NNCheckpoint ckpt;
  PetscViewer  viewer;

  PetscFunctionBeginUser;
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(NNPDEInitializePackage());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-file", file, sizeof(file), NULL));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, 11, &x0));
  PetscCall(VecSetRandom(x0, NULL));

  /* 1. composed serializers on a type that has none of its own */
  PetscCall(CreateTao(TAOLMVM, x0, &tao));
  PetscCall(TaoSetApplicationContext(tao, &w));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointWrite_C", WriteState));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointRead_C", ReadState));
  PetscCall(TaoSetTotalIterationNumber(tao, 7));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ckpt));
  PetscCall(NNCheckpointWriteOptimizer(ckpt, tao));
  PetscCall(NNCheckpointClose(&ckpt));
  PetscCall(TaoDestroy(&tao));
  PetscCall(CreateTao(TAOLMVM, x0, &tao));
  PetscCall(TaoSetApplicationContext(tao, &r));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointWrite_C", WriteState));
  PetscCall(PetscObjectComposeFunction((PetscObject)tao, "NNCheckpointRead_C", ReadState));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ckpt));
  PetscCall(NNCheckpointReadOptimizer(ckpt, tao));
  PetscCall(NNCheckpointGetViewer(ckpt, &viewer));
  PetscCall(PetscViewerHDF5HasDataset(viewer, "/optimizer/solution", &hassolution));
  PetscCall(NNCheckpointClose(&ckpt));
  PetscCall(TaoGetTotalIterationNumber(tao, &its));
  PetscCall(TaoDestroy(&tao));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "composed: written %" PetscInt_FMT ", read %" PetscInt_FMT ", state %" PetscInt_FMT ", iterations %" PetscInt_FMT
                        ", solution stored %d\n",
                        w.written, r.read, r.value, its, (int)hassolution));
  if (w.written != 1 || r.read != 1 || r.value != w.value || its != 7 || hassolution) fails++;

  /* 2. no composed serializers: the solution is the state */
  PetscCall(CreateTao(TAOLMVM, x0, &tao));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &ckpt));
  PetscCall(NNCheckpointWriteOptimizer(ckpt, tao));
  PetscCall(NNCheckpointClose(&ckpt));
  PetscCall(TaoDestroy(&tao));
  PetscCall(VecDuplicate(x0, &x));
  PetscCall(VecSet(x, 0.0));
  PetscCall(CreateTao(TAOLMVM, x, &tao));
  PetscCall(VecDestroy(&x));
  PetscCall(NNCheckpointOpen(PETSC_COMM_WORLD, file, FILE_MODE_READ, &ckpt));
  PetscCall(NNCheckpointReadOptimizer(ckpt, tao));
  PetscCall(NNCheckpointClose(&ckpt));
  PetscCall(TaoGetSolution(tao, &x));
  PetscCall(VecEqual(x, x0, &equal));
  PetscCall(TaoDestroy(&tao));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "default: solution restored bitwise %d\n", (int)equal));
  if (!equal) fails++;

  /* 3. changing the type drops the old type's serializers */
  PetscCall(CreateTao(TAOADAM, x0, &tao));
  PetscCall(PetscObjectQueryFunction((PetscObject)tao, "NNCheckpointWrite_C", &f));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "adam composes a serializer %d", (int)!!f));
  if (!f) fails++;
  PetscCall(TaoSetType(tao, TAOLMVM));
  PetscCall(PetscObjectQueryFunction((PetscObject)tao, "NNCheckpointWrite_C", &f));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, ", after TaoSetType(lmvm) %d\n", (int)!!f));
  if (f) fails++;
  PetscCall(TaoDestroy(&tao));

  PetscCall(VecDestroy(&x0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n", fails ? "FAILED" : "OK"));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}

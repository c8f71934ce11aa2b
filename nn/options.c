/* Integer options checked by us: PETSc's parser rejects "abc" or "1e3" without naming the option,
   and its integer-array option shows garbage instead of the default in -help. */
#include <nnpde/private/nnimpl.h>

/* The option's full name, with the prefix of the options block: -pinn_nn_mlp_hidden_layers */
static PetscErrorCode FullName(PetscOptionItems *items, const char opt[], char name[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(name, len, "-%s%s", items->prefix ? items->prefix : "", opt + 1));
  PetscFunctionReturn(0);
}

/* Parses s (all of it) as a decimal integer: an optional sign and digits, nothing else */
static PetscErrorCode ParseInt(MPI_Comm comm, const char name[], const char s[], PetscInt *v)
{
  const char *c = s;
  long long   r = 0;

  PetscFunctionBegin;
  while (*c == ' ') c++;
  if (*c == '+' || *c == '-') c++;
  PetscCheck(*c >= '0' && *c <= '9', comm, PETSC_ERR_ARG_WRONG, "Option %s expects an integer, got \"%s\"", name, s);
  for (; *c >= '0' && *c <= '9'; c++) {
    r = 10 * r + (*c - '0');
    PetscCheck(r <= PETSC_MAX_INT, comm, PETSC_ERR_ARG_OUTOFRANGE, "Option %s: \"%s\" is out of the integer range", name, s);
  }
  while (*c == ' ') c++;
  PetscCheck(!*c, comm, PETSC_ERR_ARG_WRONG, "Option %s expects an integer, got \"%s\"", name, s);
  *v = (PetscInt)(s[strspn(s, " ")] == '-' ? -r : r);
  PetscFunctionReturn(0);
}

/*
  NNOptionsInt_Private - PetscOptionsInt() whose bad values ("abc", "1e3", "") give an error that
  names the option. Used through the NNOptionsInt() macro inside an options block.
*/
PetscErrorCode NNOptionsInt_Private(PetscOptionItems *items, const char opt[], const char text[], const char man[], PetscInt current, PetscInt *value,
                                    PetscBool *set)
{
  char      name[256], buf[256];
  PetscBool found;
  PetscInt  v;

  PetscFunctionBegin;
  /* the options database is the same on every rank: all ranks raise the same error */
  PetscCall(FullName(items, opt, name, sizeof(name)));
  PetscCall(PetscOptionsGetString(items->options, items->prefix, opt, buf, sizeof(buf), &found));
  if (found) PetscCall(ParseInt(items->comm, name, buf, &v));
  PetscCall(PetscOptionsInt_Private(items, opt, text, man, current, value, set, PETSC_MIN_INT, PETSC_MAX_INT));
  PetscFunctionReturn(0);
}

/*
  NNOptionsIntList_Private - A comma-separated list of integers, shown in -help with its current
  value (n entries of current[]); each entry is checked like NNOptionsInt(). On return value[] holds
  the *nvalue entries given (at most nmax), and *set says whether the option was given.
*/
PetscErrorCode NNOptionsIntList_Private(PetscOptionItems *items, const char opt[], const char text[], const char man[], PetscInt n,
                                        const PetscInt current[], PetscInt nmax, PetscInt value[], PetscInt *nvalue, PetscBool *set)
{
  char      name[256], shown[1024] = "", given[1024] = "", part[32];
  PetscBool found;
  PetscInt  k = 0;

  PetscFunctionBegin;
  PetscCall(FullName(items, opt, name, sizeof(name)));
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(PetscSNPrintf(part, sizeof(part), "%s%" PetscInt_FMT, i ? "," : "", current[i]));
    PetscCall(PetscStrlcat(shown, part, sizeof(shown)));
  }
  if (!n) PetscCall(PetscStrncpy(shown, "none", sizeof(shown)));
  PetscCall(PetscOptionsString_Private(items, opt, text, man, shown, given, sizeof(given), &found));
  *nvalue = 0;
  if (set) *set = found;
  if (!found) PetscFunctionReturn(0);
  if (!strcmp(given, "none")) PetscFunctionReturn(0);
  for (char *tok = given, *next; tok; tok = next) {
    next = strchr(tok, ',');
    if (next) *next++ = 0;
    PetscCheck(k < nmax, items->comm, PETSC_ERR_ARG_OUTOFRANGE, "Option %s takes at most %" PetscInt_FMT " values", name, nmax);
    PetscCall(ParseInt(items->comm, name, tok, &value[k++]));
  }
  *nvalue = k;
  PetscFunctionReturn(0);
}

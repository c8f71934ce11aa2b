#!/usr/bin/env bash
# The DCDM comparison table, all in one run (a benchmark, not a test): the obstacle problem of
# examples/dcdm_poisson3d at each grid size, solved by
#   CG (no preconditioner), CG + block-Jacobi/ICC(0), CG + GAMG, CG + hypre BoomerAMG, and three DCDM variants: the
#   paper's method (network directions only: -ksp_dcdm_safeguard 0 -ksp_dcdm_coarse 0), + the safeguard M r
#   (-ksp_dcdm_coarse 0), + the coarse level (the default),
# each in its own process (bench/bench_dcdm) so that peak memory belongs to one solver. Same stopping test for all:
# ||b - Ax|| <= 1e-6 ||b|| in the unpreconditioned norm, zero initial guess. Columns: iterations, set-up time
# (KSPSetUp + KSPSetUpOnBlocks: PCSetUp and the block factorizations; DCDM: loading the network), solve time,
# total, peak RSS summed over ranks, its increase over the RSS before set-up, converged reason, true relative
# residual.
#
# Usage: bench/run_dcdm_bench.sh [-b build-dir] [-n "64 96 128"] [-np 2] [-model file.h5] [-o table.md]
#   -b      build directory (default build; env BUILD_DIR)
#   -n      grid sizes (default "64 96 128"; env N_LIST)
#   -np     MPI ranks (default 2; env NP)
#   -model  DCDM's weights, an nnpde checkpoint with a cnn3d network "dcdm" (default data/dcdm_k64.h5; env MODEL);
#           without it the DCDM rows say "skipped"
#   -o      the markdown table (default bench/results/dcdm_bench.md; env OUT); logs of every run go to <table>_logs/
# Env: MAX_IT (default 10000) and DCDM_MAX_IT (default 500) iteration caps, EXTRA (options added to every run),
#      SOLVERS (a regular expression: only the rows whose label matches, e.g. 'DCDM' or 'GAMG|AMG'),
#      MPIEXEC (default mpiexec), MPIEXEC_FLAGS (e.g. --oversubscribe).
# A short trial with untrained weights (the numbers mean nothing, the run checks the pipeline; cap DCDM, which
# does not converge with them):
#   build/bench/dcdm_untrained_model -o /tmp/untrained.h5
#   DCDM_MAX_IT=20 bench/run_dcdm_bench.sh -n 32 -model /tmp/untrained.h5 -o /tmp/dcdm_bench.md
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
sizes=${N_LIST:-"64 96 128"}
np=${NP:-2}
model=${MODEL:-$top/data/dcdm_k64.h5}
out=${OUT:-$top/bench/results/dcdm_bench.md}
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}
while [ $# -gt 0 ]; do
  case "$1" in
  -b) build=$2 && shift 2 ;;
  -n) sizes=$2 && shift 2 ;;
  -np) np=$2 && shift 2 ;;
  -model) model=$2 && shift 2 ;;
  -o) out=$2 && shift 2 ;;
  -h | --help) usage 0 ;;
  *) echo "unknown argument: $1" >&2 && usage 2 >&2 ;;
  esac
done
build=$(cd "$build" && pwd)
bench=$build/bench/bench_dcdm
[ -x "$bench" ] || { echo "no $bench: build first (cmake --build $build --target bench_dcdm)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
mpiexec=${MPIEXEC:-mpiexec}
max_it=${MAX_IT:-10000}
dcdm_max_it=${DCDM_MAX_IT:-500}
read -r -a extra <<<"${EXTRA:-}"
read -r -a mpiflags <<<"${MPIEXEC_FLAGS:-}"
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
logs=${out%.md}_logs
mkdir -p "$logs"
rows=$logs/rows.jsonl
cmds=$logs/commands.sh
: >"$rows"
echo "# bench/run_dcdm_bench.sh, $(date -u '+%Y-%m-%d %H:%M UTC'): the commands, in order" >"$cmds"
if [ -f "$model" ]; then model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model"); fi

# label | options (the stopping test is also bench_dcdm's default; it is repeated so the commands say it)
solvers=(
  "CG|-ksp_type cg -pc_type none"
  "CG + block-Jacobi/ICC(0)|-ksp_type cg -pc_type bjacobi -sub_pc_type icc"
  "CG + GAMG|-ksp_type cg -pc_type gamg"
  "CG + BoomerAMG|-ksp_type cg -pc_type hypre -pc_hypre_type boomeramg"
  "DCDM (paper)|-ksp_type dcdm -pc_type none -ksp_dcdm_safeguard 0 -ksp_dcdm_coarse 0 -model $model"
  "DCDM + safeguard|-ksp_type dcdm -pc_type none -ksp_dcdm_coarse 0 -model $model"
  "DCDM + safeguard + coarse|-ksp_type dcdm -pc_type none -model $model"
)
only=${SOLVERS:-.}
common=(-ksp_rtol 1e-6 -ksp_atol 0 -ksp_norm_type unpreconditioned)

for n in $sizes; do
  for entry in "${solvers[@]}"; do
    label=${entry%%|*}
    [[ $label =~ $only ]] || continue
    read -r -a opts <<<"${entry#*|}"
    its=$max_it
    [[ $label == DCDM* ]] && its=$dcdm_max_it
    tag=$(echo "${label}_n$n" | tr -c 'A-Za-z0-9_\n' '_')
    if [[ $label == DCDM* ]] && [ ! -f "$model" ]; then
      echo "== $label, n = $n: skipped, no model file $model (give -model FILE)"
      printf '{"solver": "%s", "n": %s, "ranks": %s, "reason": "skipped: no model file"}\n' "$label" "$n" "$np" >>"$rows"
      continue
    fi
    cmd=("$mpiexec" -n "$np" "${mpiflags[@]}" "$bench" -n "$n" "${opts[@]}" "${common[@]}" -ksp_max_it "$its" -label "$label" "${extra[@]}")
    line="OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(printf '%q ' "${cmd[@]}")"
    line=${line% }
    echo "== $label, n = $n"
    echo "\$ $line"
    echo "$line >$tag.log 2>&1" >>"$cmds"
    if "${cmd[@]}" >"$logs/$tag.log" 2>&1 && grep '^{' "$logs/$tag.log" | tail -1 >"$logs/row.tmp" && [ -s "$logs/row.tmp" ]; then
      cat "$logs/row.tmp" >>"$rows"
      grep -v '^{' "$logs/$tag.log" | tail -3
    elif grep -q 'Unable to find requested PC type hypre' "$logs/$tag.log"; then
      echo "   hypre is not available in this PETSc"
      printf '{"solver": "%s", "n": %s, "ranks": %s, "reason": "unavailable (PETSc without hypre)"}\n' "$label" "$n" "$np" >>"$rows"
    else
      echo "   FAILED, see $logs/$tag.log:" && grep -m3 'ERROR\|rror' "$logs/$tag.log" || true
      printf '{"solver": "%s", "n": %s, "ranks": %s, "reason": "FAILED (log %s.log)"}\n' "$label" "$n" "$np" "$tag" >>"$rows"
    fi
    rm -f "$logs/row.tmp"
  done
done

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
petsc=$(pkg-config --modversion PETSc 2>/dev/null || echo "?")
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "?")
/usr/bin/python3 - "$rows" "$out" "$cmds" "$np" "${cpu:-?} ($(getconf _NPROCESSORS_ONLN) cores)" "$petsc" "$commit" "$model" <<'PY'
import json, sys, datetime
rows_file, out, cmds, np_, cpu, petsc, commit, model = sys.argv[1:9]
rows = [json.loads(l) for l in open(rows_file) if l.strip()]
def num(r, k, fmt):
    return format(r[k], fmt) if k in r else "-"
lines = [
    "# DCDM benchmark: pressure Poisson with obstacles (examples/dcdm_poisson3d's problem)",
    "",
    f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {np_} MPI ranks, {cpu}, PETSc {petsc}, nnpde {commit}, "
    f"DCDM model {model}.",
    "Stopping test for every solver: ||b - Ax|| <= 1e-6 ||b|| (unpreconditioned norm), zero initial guess. "
    "Set-up = KSPSetUp + KSPSetUpOnBlocks, incl. PCSetUp (DCDM: loading the network); peak RSS summed over ranks; "
    "\"above set-up\" = peak RSS minus the RSS just before KSPSetUp (an upper bound on the solver's own memory).",
    "",
    "| solver | n | iterations | set-up (s) | solve (s) | total (s) | peak RSS (MiB) | above set-up (MiB) | reason | true rel. residual |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
]
for r in rows:
    lines.append(f"| {r['solver']} | {r['n']}³ | {r.get('iterations', '-')} | {num(r, 'setup_s', '.3f')} | {num(r, 'solve_s', '.3f')} | "
                 f"{num(r, 'total_s', '.3f')} | {num(r, 'peak_rss_mib', '.0f')} | {num(r, 'solver_mib', '.0f')} | {r['reason']} | "
                 f"{num(r, 'true_rel_res', '.1e')} |")
brk = [r for r in rows if r.get("breakdowns", -1) > 0]
if brk:
    lines += [""] + [f"{r['solver']} at {r['n']}³: {r['breakdowns']} breakdowns (network directions dropped or replaced)." for r in brk]
lines += ["", "Commands (in the order run):", "", "```sh"] + [l.rstrip() for l in open(cmds) if not l.startswith("#")] + ["```", ""]
text = "\n".join(lines)
open(out, "w").write(text)
print()
print(text)
print(f"table written to {out}")
PY

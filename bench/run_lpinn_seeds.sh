#!/usr/bin/env bash
# LPINN vs the Eulerian PINN over several seeds (issue 11; not a test). For each seed k (-pinn_seed, and the networks'
# -pinn_u_nn_seed, -pinn_x_nn_seed, -eulerian_nn_seed all k) and each case, one run of the example on NP ranks with
# Adam ADAM steps (lr 1e-2) then L-BFGS LBFGS steps; the Eulerian PINN gets the same steps and points (-eulerian).
# Prints one markdown table: median, min and max of the relative L2 error on the 256 x 100 grid (and of the legacy
# metric) and the median training time, per case and PINN. Raw lines in OUT/results.tsv.
# Usage: bench/run_lpinn_seeds.sh [build-dir] ; SEEDS=5 NP=2 ADAM=1000 LBFGS=1500 OUT=dir CASES="c30 c50 cd50 burgers50_exact burgers50_label burgers50_scaled"
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
seeds=${SEEDS:-5} np=${NP:-2} adam=${ADAM:-1000} lbfgs=${LBFGS:-1500} out=${OUT:-$(mktemp -d)}
cases=${CASES:-"c30 c50 cd50 burgers50_exact burgers50_label burgers50_scaled"}
mkdir -p "$out"
tsv=$out/results.tsv
: > "$tsv"
case_args() {
  case $1 in
  c30) echo "lpinn_convection -c 30 -eulerian" ;;
  c50) echo "lpinn_convection -c 50 -eulerian" ;;
  cd50) echo "lpinn_convection_diffusion -c 50 -nu 0.01 -pinn_lagrangian_uxx label -eulerian" ;;
  burgers50_exact) echo "lpinn_burgers -C 50 -nu 0.01 -pinn_lagrangian_uxx exact" ;;
  burgers50_label) echo "lpinn_burgers -C 50 -nu 0.01 -pinn_lagrangian_uxx label -eulerian" ;;
  burgers50_scaled) echo "lpinn_burgers -C 50 -nu 0.01 -pinn_lagrangian_uxx scaled" ;;
  *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}
for s in $(seq 1 "$seeds"); do
  for c in $cases; do
    read -r prog args <<< "$(case_args "$c")"
    log=$out/$c-s$s.log
    # shellcheck disable=SC2086
    mpiexec --oversubscribe -n "$np" "$build/examples/$prog" $args -pinn_seed "$s" -pinn_u_nn_seed "$s" -pinn_x_nn_seed "$s" \
      -eulerian_nn_seed "$s" -pinn_adam_steps "$adam" -pinn_adam_lr 1e-2 -pinn_lbfgs_steps "$lbfgs" > "$log" 2>&1
    rc=$?
    for kind in lagrangian eulerian; do
      line=$(grep -E "^$kind: " "$log" | tail -1)
      [ -n "$line" ] || { [ $kind = lagrangian ] && printf '%s\t%s\t%s\tFAILED(rc=%s)\t\t\n' "$c" "$kind" "$s" "$rc" >> "$tsv"; continue; }
      rel=$(sed -E 's/.*grid ([-+.e0-9]+), legacy.*/\1/' <<< "$line")
      leg=$(sed -E 's/.*legacy metric ([-+.e0-9]+).*/\1/' <<< "$line")
      sec=$(sed -E 's/.*training ([.0-9]+) s.*/\1/' <<< "$line")
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$kind" "$s" "$rel" "$leg" "$sec" >> "$tsv"
    done
    echo "seed $s $c: $(grep -E '^(lagrangian|eulerian): ' "$log" | tr '\n' ' ')"
  done
done
echo
echo "$seeds seeds, $np ranks, Adam $adam (lr 1e-2) + L-BFGS $lbfgs steps; logs in $out"
echo
echo "| case | PINN | runs | median rel-L2 | min | max | median legacy | median time (s) |"
echo "|---|---|---|---|---|---|---|---|"
python3 - "$tsv" <<'PY'
import sys, statistics as st
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
keys = []
for r in rows:
    if (r[0], r[1]) not in keys: keys.append((r[0], r[1]))
for k in keys:
    ok = [r for r in rows if (r[0], r[1]) == k and not r[3].startswith('FAILED')]
    bad = sum(1 for r in rows if (r[0], r[1]) == k and r[3].startswith('FAILED'))
    if not ok:
        print(f"| {k[0]} | {k[1]} | 0 ({bad} failed) | | | | | |"); continue
    rel = [float(r[3]) for r in ok]; leg = [float(r[4]) for r in ok]; sec = [float(r[5]) for r in ok]
    runs = f"{len(ok)}" + (f" ({bad} failed)" if bad else "")
    print(f"| {k[0]} | {k[1]} | {runs} | {st.median(rel):.3e} | {min(rel):.3e} | {max(rel):.3e} | {st.median(leg):.3e} | {st.median(sec):.0f} |")
PY

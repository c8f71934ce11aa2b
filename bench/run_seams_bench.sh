#!/bin/sh
# Side-by-side timing of two builds (e.g. before and after a refactor) on the three hot paths: the MLP jets
# (bench_jets), a PINN training step (pinn_step) and the DCDM network (bench_cnn3d). The builds run alternately,
# ROUNDS times each, one rank and one BLAS thread; the best time of each build is compared, as new/old.
#   bench/run_seams_bench.sh OLD_BUILD_DIR NEW_BUILD_DIR [ROUNDS=5] > bench/results/seams_bench.md
set -eu
old=$1 new=$2 rounds=${3:-5}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# each benchmark: a name, the program, its arguments, and a sed script that prints its time in ms
run() { # build name prog args...
  b=$1 name=$2 prog=$3
  shift 3
  "$b/bench/$prog" "$@" > "$tmp/out" 2>&1 || { cat "$tmp/out" >&2; exit 1; }
  case $name in
  jets_d2) sed -n 's/^d= 2,.*: *\([0-9.]*\) ms per forward+reverse.*/\1/p' "$tmp/out" ;;
  jets_d10) sed -n 's/^d=10,.*: *\([0-9.]*\) ms per forward+reverse.*/\1/p' "$tmp/out" ;;
  pinn_step) sed -n 's/.*"ms_per_step": \([0-9.]*\).*/\1/p' "$tmp/out" ;;
  cnn3d) sed -n 's/.*: \([0-9.]*\) s per application.*/\1/p' "$tmp/out" | awk '{print $1 * 1000}' ;;
  esac
}
bench() { # name prog args...
  name=$1
  for r in $(seq "$rounds"); do
    for b in old new; do
      eval dir=\$$b
      t=$(run "$dir" "$@")
      echo "$b $t" >> "$tmp/$name"
    done
  done
  o=$(awk '$1 == "old" {print $2}' "$tmp/$name" | sort -g | head -1)
  n=$(awk '$1 == "new" {print $2}' "$tmp/$name" | sort -g | head -1)
  printf '| %s | %s | %s | %.3f |\n' "$name" "$o" "$n" "$(echo "$n / $o" | bc -l)"
}
echo "Best of $rounds alternating runs, one rank, one BLAS thread, $(date -u +%F) on $(uname -n)"
echo "old: $old; new: $new"
echo
echo "| benchmark | old ms | new ms | new/old |"
echo "|---|---|---|---|"
bench jets_d2 bench_jets -reps 20
bench jets_d10 bench_jets -reps 20
bench pinn_step pinn_step -steps 50
bench cnn3d bench_cnn3d -n 32 -reps 3

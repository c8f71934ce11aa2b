#!/usr/bin/env bash
# Iteration counts over grid sizes (a benchmark, not a test): the default KSPDCDM (shipped weights, safeguard M r,
# coarse level) and CG + block-Jacobi/ICC(0) on the obstacle problem of examples/dcdm_poisson3d and on a Dirichlet box
# with a random right-hand side (-dcdm_problem box), ||b - Ax|| <= 1e-6 ||b||, zero initial guess, one bench/bench_dcdm
# process per run; one JSON row per run appended to the output file.
#
# Usage: bench/run_dcdm_sweep.sh [-b build-dir] [-n "16 24 ... 96"] [-np 2] [-p "obstacles box"] [-o rows.jsonl]
# Env: EXTRA (options added to every DCDM run, e.g. "-ksp_dcdm_coarse 0"), MPIEXEC (default mpiexec).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
sizes="16 24 32 40 48 56 64 72 80 88 96"
np=2
problems="obstacles box"
out=$top/bench/results/dcdm_sweep.jsonl
while [ $# -gt 0 ]; do
  case "$1" in
  -b) build=$2 && shift 2 ;;
  -n) sizes=$2 && shift 2 ;;
  -np) np=$2 && shift 2 ;;
  -p) problems=$2 && shift 2 ;;
  -o) out=$2 && shift 2 ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' && exit 2 ;;
  esac
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
read -r -a extra <<<"${EXTRA:-}"
mkdir -p "$(dirname "$out")"
for p in $problems; do
  for n in $sizes; do
    for s in "CG + ICC(0)|-ksp_type cg -pc_type bjacobi -sub_pc_type icc" "DCDM|-ksp_type dcdm -pc_type none ${extra[*]:-}"; do
      read -r -a opts <<<"${s#*|}"
      log=$(mktemp)
      if "${MPIEXEC:-mpiexec}" -n "$np" "$build/bench/bench_dcdm" -n "$n" -dcdm_problem "$p" "${opts[@]}" -ksp_rtol 1e-6 -ksp_atol 0 \
        -ksp_norm_type unpreconditioned -ksp_max_it 2000 -model "$top/data/dcdm_k64.h5" -label "${s%%|*} $p" >"$log" 2>&1; then
        grep '^{' "$log" | tail -1 | tee -a "$out"
      else
        echo "{\"solver\": \"${s%%|*} $p\", \"n\": $n, \"reason\": \"FAILED\"}" | tee -a "$out"
      fi
      rm -f "$log"
    done
  done
done

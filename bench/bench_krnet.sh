#!/usr/bin/env bash
# Before/after table of bench_krnet: per-point times of two builds, run alternately (best of -reps calls each), and
# their ratio, in markdown. Usage: bench/bench_krnet.sh BEFORE_BIN AFTER_BIN [n] [reps]
#   e.g. build the commit before the speed-up in /tmp/before (git archive <commit> | tar -x -C /tmp/before/src;
#   cmake -S /tmp/before/src -B /tmp/before/build -DCMAKE_BUILD_TYPE=RelWithDebInfo; cmake --build ... --target bench_krnet)
#   and pass /tmp/before/build/bench/bench_krnet build/bench/bench_krnet.
set -euo pipefail
before=$1 after=$2 n=${3:-2000} reps=${4:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
tmp=$(mktemp -d)
for d in 2 10; do
  "$before" -d $d -n $n -reps $reps > "$tmp/b$d"
  "$after" -d $d -n $n -reps $reps > "$tmp/a$d"
done
echo "| function | d | before (us/point) | after (us/point) | speed-up | max relative difference of the checksums |"
echo "|---|---|---|---|---|---|"
for d in 2 10; do
  paste -d'\t' <(grep us/point "$tmp/b$d") <(grep us/point "$tmp/a$d") | awk -F'\t' -v d=$d '{
    split($1, b, "  +"); split($2, a, "  +");
    name = b[2]; tb = b[3]; ta = a[3]; sub(/ us\/point/, "", tb); sub(/ us\/point/, "", ta);
    cb = $1; sub(/.*checksum /, "", cb); gsub(/\|g\|/, "", cb); ca = $2; sub(/.*checksum /, "", ca); gsub(/\|g\|/, "", ca);
    nb = split(cb, vb, " +"); split(ca, va, " +"); rel = 0;
    for (i = 1; i <= nb; i++) { den = vb[i] < 0 ? -vb[i] : vb[i]; df = vb[i] - va[i]; if (df < 0) df = -df; if (den > 0 && df / den > rel) rel = df / den }
    printf "| %s | %d | %.1f | %.1f | %.1fx | %.1e |\n", name, d, tb, ta, tb / ta, rel }'
done
rm -rf "$tmp"

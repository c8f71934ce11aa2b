#!/bin/bash
# bench/run_samplers.sh on a tiny budget: 1 seed, 20 Adam steps, 200 points, adapts every 10, the three problems,
# the types uniform rad rarg das aas: each registered one gives a row of every table, each other one a
# "skipped" line. Usage: run_samplers.sh <source dir> <build dir>
src=${1:?usage: run_samplers.sh <source dir> <build dir>}
build=${2:?usage: run_samplers.sh <source dir> <build dir>}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bash "$src/bench/run_samplers.sh" -b "$build" -s 1 -n 2 -a 20 -l 0 -N 200 -r 10 -o "$dir" -t "uniform rad rarg das aas" \
  -- -pinn_boundary_points 100 -test_grid 64 -test_points 500 > "$dir/out.txt" 2>&1 || {
  cat "$dir/out.txt"
  echo "FAILED: the driver exited with an error"
  exit 1
}
cat "$dir/out.txt"
tables=$(grep -c '^| sampler | runs | median rel-L2' "$dir/out.txt")
[ "$tables" = 3 ] || { echo "FAILED: $tables tables, expected 3"; exit 1; }
for t in uniform rad rarg das aas; do
  rows=$(grep -c "^| $t | 1 | " "$dir/out.txt")
  skipped=$(grep -c "^skipped: sampler type $t is not registered" "$dir/out.txt")
  if [ "$rows" = 3 ] && [ "$skipped" = 0 ]; then
    echo "$t: 3 rows"
  elif [ "$rows" = 0 ] && [ "$skipped" = 1 ]; then
    echo "$t: skipped (not registered)"
  else
    echo "FAILED: $t has $rows rows and $skipped skip lines"
    exit 1
  fi
done
for t in uniform rad rarg; do # always registered
  grep -q "^| $t | 1 | " "$dir/out.txt" || { echo "FAILED: no row for $t"; exit 1; }
done
echo "run_samplers: 3 tables"

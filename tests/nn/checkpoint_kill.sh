#!/bin/bash
# Kill test: a writer killed with SIGKILL in the middle of writing a checkpoint must leave the
# previous checkpoint complete and readable (at 1 and at <nprocs> ranks), and the stale .tmp file
# must not disturb the next write.
# Usage: checkpoint_kill.sh <test_checkpoint_writer> <nprocs> [data entries, default 2e7]
set -u
exe=$1
np=$2
n=${3:-20000000}
mpiexec=${MPIEXEC:-mpiexec}
file=checkpoint_kill_np${np}.h5
log=checkpoint_kill_np${np}.log
launcher=

fail() {
  echo "FAILED: $*"
  echo "---- writer output"
  cat "$log"
  exit 1
}

# never leave a writer running, whatever happens
cleanup() {
  for p in "$file".pid.*; do
    [ -e "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
  done
  [ -n "$launcher" ] && kill -9 "$launcher" 2>/dev/null
  rm -f "$file".pid.*
}
trap cleanup EXIT

rm -f "$file" "$file.tmp" "$file".pid.* "$log"
"$mpiexec" -n "$np" "$exe" -file "$file" -n "$n" -max_seconds 120 >"$log" 2>&1 &
launcher=$!

# wait for the first complete checkpoint
for _ in $(seq 1 1200); do
  grep -q READY "$log" && break
  kill -0 "$launcher" 2>/dev/null || fail "the writer exited before READY"
  sleep 0.1
done
grep -q READY "$log" || fail "no READY after 120 s"

# wait until it is busy with a later checkpoint, then kill every rank mid-write
for _ in $(seq 1 1200); do
  grep -q "WRITING 2" "$log" && break
  kill -0 "$launcher" 2>/dev/null || fail "the writer exited early"
  sleep 0.05
done
grep -q "WRITING 2" "$log" || fail "the writer did not start its third checkpoint"
sleep 0.3
for r in $(seq 0 $((np - 1))); do
  [ -e "$file.pid.$r" ] || fail "no process id file for rank $r"
done
kill -9 $(cat "$file".pid.*)
wait "$launcher" 2>/dev/null
launcher=
last=$(grep -o "WROTE [0-9]*" "$log" | tail -1 | cut -d' ' -f2)
if [ -e "$file.tmp" ]; then
  echo "killed in the middle of checkpoint $((last + 1)): $file.tmp was left behind"
else
  echo "killed between two checkpoints (no $file.tmp)"
fi
echo "last checkpoint reported complete: $last"

# the last complete checkpoint reads, at 1 rank and at np ranks
"$mpiexec" -n 1 "$exe" -file "$file" -read -min_iteration "$last" || fail "reading at 1 rank"
"$mpiexec" -n "$np" "$exe" -file "$file" -read -min_iteration "$last" || fail "reading at $np ranks"

# a stale .tmp does not disturb the next writes
echo stale >>"$file.tmp"
"$mpiexec" -n "$np" "$exe" -file "$file" -n 1000 -max_iterations 2 >"$log" 2>&1 || fail "writing after the kill"
[ -e "$file.tmp" ] && fail "$file.tmp still exists after a complete write"
"$mpiexec" -n 1 "$exe" -file "$file" -read -min_iteration 1 || fail "reading the new checkpoint"
rm -f "$file" "$file.tmp" "$log"
echo "Kill test passed"

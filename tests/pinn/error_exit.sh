#!/bin/bash
# An error during training on 2 ranks stops the run at once (PETSc keeps ranks other than 0 asleep
# for 10 s after a collective error, so anything near 10 s means rank 0 got stuck on its way out)
# and prints the whole message, down to main().
# usage: error_exit.sh <test_pinn_nan_exit> <case> <words the message must hold>
prog=$1 case=$2 want=$3
limit_ms=8000 # below the 10 s sleep, well above the 1-2 s a prompt exit takes
t0=$(date +%s%N)
out=$(${MPIEXEC:-mpiexec} -n 2 "$prog" -case "$case" 2>&1)
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "$out" | grep -v "Configure options" | grep -E "PETSC ERROR: (#|[A-Z].*$want)" | head -20
echo "case $case: exit code $rc after $ms ms"
fail=0
[ $rc -ne 0 ] || { echo "FAIL: exit code 0"; fail=1; }
[ $ms -lt $limit_ms ] || { echo "FAIL: took $ms ms (limit $limit_ms ms)"; fail=1; }
grep -qF -- "$want" <<<"$out" || { echo "FAIL: no '$want' in the message"; fail=1; }
grep -qE "PETSC ERROR: #[0-9]+ main\(\)" <<<"$out" || { echo "FAIL: the trace does not reach main()"; fail=1; }
grep -qF "End of Error Message" <<<"$out" || { echo "FAIL: the message is cut"; fail=1; }
[ $fail -eq 0 ] && echo "error_exit $case: prompt and complete"
exit $fail

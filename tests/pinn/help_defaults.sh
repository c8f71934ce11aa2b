#!/bin/bash
# -help shows the defaults a user really gets: the network's widths (not garbage), no option listed
# twice, the L-BFGS stage's -tao_max_it equal to its step count, Adam then L-BFGS, monitor on.
# usage: help_defaults.sh <test_pinn_defaults>
prog=$1
out=$(${MPIEXEC:-mpiexec} -n 1 "$prog" -help 2>&1)
rc=$?
fail=0
expect() { # expect <label> <count> <fixed string>
  local n
  n=$(grep -cF -- "$3" <<<"$out")
  if [ "$n" -ne "$2" ]; then echo "FAIL: $1: '$3' appears $n times, expected $2"; fail=1; else echo "ok: $1: $(grep -F -m1 -- "$3" <<<"$out" | sed 's/^ *//')"; fi
}
[ $rc -eq 0 ] || { echo "$out" | tail -20; echo "FAIL: exit code $rc"; exit 1; }
expect "hidden layers default" 1 "-pinn_nn_mlp_hidden_layers <now 50,50,50 :"
expect "periodic inputs default" 1 "-pinn_nn_periodic_inputs <now none :"
expect "Adam steps once" 1 "-pinn_adam_steps <"
expect "L-BFGS steps once" 1 "-pinn_lbfgs_steps <"
expect "Adam steps default" 1 "-pinn_adam_steps <now 3000 :"
expect "L-BFGS steps default" 1 "-pinn_lbfgs_steps <now 3000 :"
expect "L-BFGS max_it = steps" 1 "-pinn_lbfgs_tao_max_it <now 3000 :"
expect "Adam max_it = steps" 1 "-pinn_adam_tao_max_it <now 3000 :"
expect "monitor on" 1 "-pinn_monitor: <TRUE :"
# no network option shows a garbage (uninitialized) default
bad=$(grep -E -- "^ *-pinn_nn_[a-z_]+ <(now )?-?[0-9]{7,}" <<<"$out")
[ -z "$bad" ] || { echo "FAIL: garbage default: $bad"; fail=1; }
[ $fail -eq 0 ] && echo "help_defaults: all defaults as expected"
exit $fail

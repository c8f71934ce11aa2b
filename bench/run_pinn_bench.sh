#!/usr/bin/env bash
# PINN benchmark, side by side with PyTorch in one run (not a test):
#   1. ms per full-batch Adam step on poisson2d, 2->50->50->50->1 tanh, 2000 interior + 400 boundary
#      points (the same points: nnpde writes them, PyTorch reads them), one core each, float64
#      (and PyTorch float32 for reference), and the ratio;
#   2. time and steps to reach relative L2 <= 1e-2 (Adam, lr 1e-3) for both;
#   3. nnpde at 20,000 interior + 2,000 boundary points on 1 and 2 MPI ranks: the speed-up.
# Usage: bench/run_pinn_bench.sh [build-dir]   (needs Debian's python3-torch and python3-h5py)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
/usr/bin/python3 -c "import torch, h5py" 2>/dev/null || { echo "needs python3-torch and python3-h5py (apt-get install python3-torch python3-h5py)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step=$build/bench/pinn_step
steps=${STEPS:-300}
max=${MAX_STEPS:-30000}

echo "== nnpde, 1 rank (step time, then time to rel-L2 <= 1e-2)"
mpiexec -n 1 "$step" -steps "$steps" -points_out "$work/points.h5" -target 1e-2 -max_steps "$max" | tee "$work/nnpde.txt" | tail -1
echo "== PyTorch float64, same points"
/usr/bin/python3 "$top/bench/pinn_torch.py" --points "$work/points.h5" --dtype float64 --steps 100 --max-steps "$max" --target 1e-2 | tee "$work/torch64.txt" | tail -1
echo "== PyTorch float32, same points (step time only)"
/usr/bin/python3 "$top/bench/pinn_torch.py" --points "$work/points.h5" --dtype float32 --steps 100 --max-steps 0 | tee "$work/torch32.txt" | tail -1
echo "== nnpde, 20000 + 2000 points on 1 and 2 ranks"
mpiexec -n 1 "$step" -interior 20000 -boundary 2000 -steps 60 -warmup 5 | tail -1 > "$work/s1.txt"
mpiexec --oversubscribe -n 2 "$step" -interior 20000 -boundary 2000 -steps 60 -warmup 5 | tail -1 > "$work/s2.txt"
cat "$work/s1.txt" "$work/s2.txt"

/usr/bin/python3 - "$work" <<'PY'
import json, sys, os
w = sys.argv[1]
last = lambda f: json.loads(open(os.path.join(w, f)).read().strip().splitlines()[-1])
nn, t64, t32, s1, s2 = (last(f) for f in ("nnpde.txt", "torch64.txt", "torch32.txt", "s1.txt", "s2.txt"))
print()
print("PINN step, poisson2d, 2000 + 400 points, 2-50-50-50-1 tanh, one core")
print(f"  nnpde   float64  {nn['ms_per_step']:8.2f} ms/step")
print(f"  PyTorch float64  {t64['ms_per_step']:8.2f} ms/step   ratio {t64['ms_per_step'] / nn['ms_per_step']:.2f}x (target >= 5x)")
print(f"  PyTorch float32  {t32['ms_per_step']:8.2f} ms/step   ratio {t32['ms_per_step'] / nn['ms_per_step']:.2f}x (nnpde in float64)")
def tta(d, steps, secs):
    return f"{d[steps]} steps, {d[secs]:.1f} s" if d.get(steps) else "not reached"
print("Time to relative L2 <= 1e-2 (Adam lr 1e-3; nnpde's time includes its error checks)")
print(f"  nnpde   {tta(nn, 'steps_to_target', 'seconds_to_target')}")
print(f"  PyTorch {tta(t64, 'target_steps', 'target_seconds')}")
if nn.get("seconds_to_target") and t64.get("target_seconds"):
    print(f"  ratio   {t64['target_seconds'] / nn['seconds_to_target']:.2f}x")
print("nnpde at 20000 + 2000 points")
print(f"  1 rank  {s1['ms_per_step']:8.2f} ms/step")
print(f"  2 ranks {s2['ms_per_step']:8.2f} ms/step   speed-up {s1['ms_per_step'] / s2['ms_per_step']:.2f}x (target >= 1.7x)")
PY

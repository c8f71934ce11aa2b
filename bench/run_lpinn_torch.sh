#!/usr/bin/env bash
# LPINN side by side with PyTorch in one run (issue 11; not a test), one core each, float64, the released code's
# configuration: c = 30 convection (C=50 NU=0.01: convection-diffusion, u_xx as u_XX, the released code's "label"), the 256 x 100 label x time grid (25600 points, full batch), networks u 5 x 50 and
# x 2 x 50 tanh, loss 10 ||r_x|| + ||r_u|| + 1000 (||x0|| + ||u0||) (non-squared 2-norms), Adam with AMSGrad, lr 1e-2.
#   1. time per epoch (one loss + gradient + Adam step on the whole grid): nnpde from two runs of E1 and E2 Adam steps
#      ((T(E2) - T(E1)) / (E2 - E1), wall from the example's "training" time, CPU from /usr/bin/time, so set-up,
#      reference and evaluation cancel); PyTorch bench/lpinn_torch.py --epochs (median after warm-up);
#   2. time to relative L2 <= 1e-2 (MAXE Adam epochs, then LBFGS L-BFGS iterations), both programs at once, one core
#      each: nnpde's first monitor row (every 100 steps, PINNComputeError(), not counted in "training") vs PyTorch's
#      evaluation every 100 epochs or iterations (not counted either).
# PyTorch runs with glibc malloc's mmap and trim thresholds fixed (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_):
# with the defaults its 10 MB activations are sometimes mmapped and unmapped every epoch, and the page faults made some
# runs 1.5x slower (sys time 5.7 s vs 0.5 s for 40 epochs); fixed, its epoch is its best and steady.
# Usage: bench/run_lpinn_torch.sh [build-dir]; C=30 NU=0 E1=20 E2=70 (E2 - E1 > 5) MAXE=2000 (0: skip part 2) LBFGS=0. Needs Debian's
# python3-torch.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "needs python3-torch (apt-get install python3-torch)" >&2; exit 1; }
e1=${E1:-20} e2=${E2:-70} maxe=${MAXE:-2000} lbfgs=${LBFGS:-0} c=${C:-30} nu=${NU:-0}
# PyTorch times E2 - E1 epochs after 5 of warm-up: say so now, not after the nnpde runs
[ $((e2 - e1)) -gt 5 ] || { echo "E2 - E1 = $((e2 - e1)) must exceed PyTorch's 5 warm-up epochs (E1=$e1 E2=$e2)" >&2; exit 2; }
torch=(env MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296 /usr/bin/python3 "$top/bench/lpinn_torch.py")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
opts=(-problem convection_diffusion -c "$c" -nu "$nu" -pinn_lagrangian_uxx label -pinn_lagrangian_grid 256,100 -pinn_lagrangian_loss norm -pinn_adam_tao_adam_amsgrad -pinn_adam_lr 1e-2)
nnpde() { # steps out
  /usr/bin/time -f "cpu %U %S" -o "$work/$2.time" mpiexec -n 1 "$build/examples/lpinn_convection" "${opts[@]}" -pinn_adam_steps "$1" \
    -pinn_lbfgs_steps "${4:-0}" -pinn_monitor_every "${3:-100000}" > "$work/$2.txt" 2>&1 || { echo "nnpde run failed:" >&2; cat "$work/$2.txt" >&2; exit 1; }
}
echo "== nnpde, $e1 and $e2 Adam steps"
nnpde "$e1" a
nnpde "$e2" b
echo "== PyTorch float64, $((e2 - e1)) epochs"
"${torch[@]}" --c "$c" --nu "$nu" --epochs $((e2 - e1)) --warmup 5 > "$work/torch.txt" || exit 1
if [ "$maxe" -gt 0 ]; then
  echo "== time to relative L2 <= 1e-2, at most $maxe Adam epochs and $lbfgs L-BFGS iterations each, both at once"
  nnpde "$maxe" tta 100 "$lbfgs" &
  "${torch[@]}" --c "$c" --nu "$nu" --epochs 0 --max-epochs "$maxe" --lbfgs-steps "$lbfgs" --eval-every 100 > "$work/torch_tta.txt" || exit 1
  wait $! || exit 1
fi
/usr/bin/python3 - "$work" "$e1" "$e2" "$maxe" "$c" "$nu" "$lbfgs" <<'PY'
import json, os, re, sys
w, e1, e2, maxe, c, nu, lbfgs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], int(sys.argv[7])
rd = lambda f: open(os.path.join(w, f)).read()
train = lambda f: float(re.search(r"\(training ([.0-9]+) s\)", rd(f)).group(1))
cpu = lambda f: sum(map(float, rd(f + ".time").split()[1:3]))
wall_ms = 1e3 * (train("b.txt") - train("a.txt")) / (e2 - e1)
cpu_ms = 1e3 * (cpu("b") - cpu("a")) / (e2 - e1)
t = json.loads(rd("torch.txt").strip().splitlines()[-1])
print()
print(f"LPINN epoch, c = {c}, nu = {nu}, 256 x 100 grid, u 5 x 50 + x 2 x 50 tanh, norm loss, AMSGrad, float64, one core")
print(f"  nnpde    {wall_ms:8.1f} ms/epoch (CPU {cpu_ms:.1f})")
print(f"  PyTorch  {t['ms_per_epoch']:8.1f} ms/epoch (CPU {t['cpu_ms_per_epoch']:.1f})   ratio {t['ms_per_epoch'] / wall_ms:.2f}x wall, "
      f"{t['cpu_ms_per_epoch'] / cpu_ms:.2f}x CPU (target >= 3x)")
if maxe > 0:
    n = rd("tta.txt")
    rows = [(int(m.group(1)), float(m.group(2)), float(m.group(3))) for m in
            re.finditer(r"^\s*(\d+) \w+\s+loss .*rel-L2 ([-+.e0-9]+)\s+([.0-9]+) s", n, re.M)]
    hit = next((r for r in rows if r[1] <= 1e-2), None)
    tt = json.loads(rd("torch_tta.txt").strip().splitlines()[-1])
    print(f"Time to relative L2 <= 1e-2, c = {c}, nu = {nu} (at most {maxe} Adam epochs, then {lbfgs} L-BFGS iterations; "
          "evaluations not counted; iterations: Adam epochs + L-BFGS iterations)")
    print("  nnpde    " + (f"{hit[0]} iterations, {hit[2]:.1f} s" if hit else f"not reached (last {rows[-1][1]:.3e} at {rows[-1][0]})"))
    print("  PyTorch  " + (f"{tt['target_epochs']} iterations, {tt['target_seconds']:.1f} s (CPU {tt['target_cpu_seconds']:.1f})"
                          if tt.get("target_epochs") else
                          f"not reached (last {tt['tta_rel_l2']:.3e} after {tt['tta_epochs']} iterations, {tt['tta_train_seconds']:.1f} s)"))
    if hit and tt.get("target_seconds"):
        print(f"  ratio    {tt['target_seconds'] / hit[2]:.2f}x")
PY

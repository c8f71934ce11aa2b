#!/bin/bash
# tools/plot_samples.py on a tiny peak2d run (rad, 2 ranks, 60 Adam steps, adapts every 20) with
# -pinn_sampler_dump and -pinn_sampler_diagnostics: the clouds and the error-vs-stage figures are
# written (non-empty PNGs). Skipped (exit 77) when no python3 with matplotlib, h5py and numpy.
# Usage: plot_samples.sh <peak2d> <plot_samples.py>
peak2d=${1:?usage: plot_samples.sh <peak2d> <plot_samples.py>}
script=${2:?usage: plot_samples.sh <peak2d> <plot_samples.py>}
py=
for p in python3 /usr/bin/python3; do
  if command -v "$p" > /dev/null && "$p" -c 'import matplotlib, h5py, numpy' 2> /dev/null; then
    py=$p
    break
  fi
done
if [ -z "$py" ]; then
  echo "skipped: no python3 with matplotlib, h5py and numpy"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() { # <sampler> <history>
  ${MPIEXEC:-mpiexec} -n 2 "$peak2d" -pinn_sampler_type "$1" -pinn_interior_points 300 -pinn_adam_steps 60 -pinn_lbfgs_steps 0 \
    -pinn_resample_every 20 -pinn_monitor_every 20 -pinn_sampler_diagnostics -pinn_sampler_diagnostics_probe 512 \
    -pinn_sampler_dump "$dir/$1" -pinn_sampler_dump_grid 41 -pinn_monitor_history "$2" -output "$dir/$1_solution.h5" -grid 11 || exit 1
}
run rad "$dir/rad.csv"
run uniform "$dir/uniform.csv"
"$py" "$script" clouds "$dir/rad" -o "$dir/clouds.png" || exit 1
"$py" "$script" errors "$dir/uniform.csv" "$dir/rad.csv" --labels uniform,rad -o "$dir/errors.png" || exit 1
for f in clouds.png errors.png; do
  [ -s "$dir/$f" ] || { echo "FAILED: $f not written"; exit 1; }
done
echo "plot_samples: clouds.png and errors.png written"

#!/usr/bin/env bash
# One-stop set-up for a fresh Debian 12 machine (run as root, or with sudo available):
#   tools/quickstart.sh example   install packages, build, run the main example on 2 MPI ranks
#   tools/quickstart.sh test      install packages, build, run the whole test suite (CTest)
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
mode=${1:-example}
case "$mode" in example | test) ;; *)
  echo "usage: $0 example|test" >&2
  exit 2
  ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
jobs=${JOBS:-$(nproc)}

packages=(build-essential cmake pkg-config petsc-dev libhdf5-openmpi-dev libsundials-dev libopenblas-dev openmpi-bin libopenmpi-dev python3-matplotlib python3-h5py)
# optional: libxsmm's JIT kernels for the MLP's small GEMMs (x86-64 only; without it the MLP runs on BLAS)
[ "$(uname -m)" = x86_64 ] && packages+=(libxsmm-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== building in $build"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs"

# Open MPI refuses root without these; one BLAS thread per rank avoids oversubscription.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
if [ "$mode" = example ]; then
  cd "$build/examples"
  echo "== mpiexec -n 2 ./poisson2d   (in $build/examples)"
  mpiexec --oversubscribe -n 2 ./poisson2d
  /usr/bin/python3 "$top/tools/plot_pinn.py" poisson2d.h5 --history poisson2d_history.csv --out poisson2d.png
  echo "== files: $build/examples/poisson2d.png (picture), poisson2d.h5/.xmf (solution), poisson2d_checkpoint.h5 (checkpoint)"
else
  cd "$build"
  ctest --output-on-failure -j "$jobs"
fi

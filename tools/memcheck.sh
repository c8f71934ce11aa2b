#!/usr/bin/env bash
# Memory-safety checks (CI, after tools/quickstart.sh test):
#   1. a second tree built with -DNNPDE_SANITIZE=ON (AddressSanitizer + UBSan, every report fatal) runs the tests
#      labelled memcheck (see tests/CMakeLists.txt: kernels, solvers, checkpoints, trainer, samplers): ctest -L memcheck;
#   2. valgrind on one small cnn3d test of the normal tree (forward and reverse pass, a GEMM block size with which the
#      coarse level takes more cells per block than the fine one), and on the MLP's libxsmm kernels against BLAS
#      (test_mlp_gemm; JIT code needs no suppression), 1 rank, no MPI launcher; any report fails.
# Environment: BUILD_DIR (the normal tree, default build), ASAN_BUILD_DIR (default build-asan), JOBS (default: cores).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
asan=${ASAN_BUILD_DIR:-$top/build-asan}
jobs=${JOBS:-$(nproc)}

if ! command -v valgrind >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q --no-install-recommends valgrind || { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends valgrind; }
fi

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

echo "== AddressSanitizer + UBSan build in $asan"
cmake -S "$top" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNPDE_SANITIZE=ON >/dev/null
cmake --build "$asan" -j "$jobs"
echo "== ctest -L memcheck (in $asan)"
(cd "$asan" && ctest -L memcheck --output-on-failure -j "$jobs")

echo "== valgrind: test_cnn3d -blocks on a 24 x 6 x 6 grid, block 40 (in $build)"
test -x "$build/tests/test_cnn3d" || cmake --build "$build" -j "$jobs" --target test_cnn3d
cd "$build"
valgrind -q --error-exitcode=1 "$build/tests/test_cnn3d" -blocks 40,512 -sizes 24,6,6 -malloc_coalesce 0
echo "== valgrind: test_mlp_gemm -points 40 (libxsmm's JIT kernels against BLAS, in $build)"
test -x "$build/tests/test_mlp_gemm" || cmake --build "$build" -j "$jobs" --target test_mlp_gemm
valgrind -q --error-exitcode=1 "$build/tests/test_mlp_gemm" -points 40 -malloc_coalesce 0

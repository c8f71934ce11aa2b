#!/usr/bin/env bash
# Measures how the figures the example and optimizer tests check vary with the OpenBLAS kernel and the rank count, so
# that thresholds can sit outside that spread (cmake/nnpde_testing.cmake; the spread is recorded next to each test).
#   [KERNELS="default Haswell ..."] [NPS="1 2 3"] tools/test_spread.sh [build-dir] [case-regex]
# Runs every case under OPENBLAS_CORETYPE unset (the default), Haswell, SkylakeX and Sandybridge at 1, 2 and 3 ranks,
# writing each run's output to <build>/spread/<case>/<kernel>_np<n>.log (a run already logged is not repeated); then
# tools/test_spread.py prints the figures.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
only=${2:-.}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 OMPI_MCA_rmaps_base_oversubscribe=1
out=$build/spread
ex=$build/examples
te=$build/tests
data16="-poisson3d_n 16 -poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_bc_zhi open -dcdm_train_data $te/dcdm_data16_np1.h5"
# case name | program | arguments (as in the tests; run in $out/<case>)
cases=(
  "poisson2d|$ex/poisson2d|-pinn_adam_steps 500 -pinn_lbfgs_steps 400 -pinn_checkpoint ck.h5 -output sol.h5 -pinn_monitor_history h.csv"
  "poisson2d_restart|$ex/poisson2d|-pinn_adam_steps 500 -pinn_lbfgs_steps 600 -pinn_restart ../poisson2d/ck_@KERNEL@_np2.h5 -pinn_checkpoint ck2.h5 -output sol2.h5"
  "optimizers|$te/test_optimizers|"
  "plugin_adam|$te/plain_tao|-dll_append $build/libnnpde.so -tao_type adam -tao_max_it 200 -tao_adam_lr 0.05 -tol 1"
  "dcdm_cg|$ex/dcdm_poisson3d|-n 32 -ksp_type cg -pc_type none -output cg"
  "dcdm_icc|$ex/dcdm_poisson3d|-n 32 -ksp_type cg -pc_type bjacobi -sub_pc_type icc -output icc"
  "dcdm_pc|$ex/dcdm_poisson3d|-n 32 -ksp_dcdm_direction pc -pc_type bjacobi -sub_pc_type icc -output pc"
  "dcdm_shipped|$ex/dcdm_poisson3d|-n 32 -output shipped"
  "dcdm_neumann|$ex/dcdm_poisson3d|-n 32 -poisson3d_bc_zhi wall -ksp_dcdm_direction pc -pc_type gamg -output neumann"
  "poisson2d_hard|$ex/poisson2d|-bc hard -pinn_adam_steps 500 -pinn_lbfgs_steps 300 -pinn_checkpoint ck.h5 -output sol.h5"
  "poisson_lshape|$ex/poisson_lshape|-ref_grid 129 -pinn_interior_points 1000 -pinn_boundary_points 200 -pinn_bc_weight 100 -pinn_adam_steps 300 -pinn_lbfgs_steps 500 -grid 21 -output sol.h5 -pinn_monitor -pinn_monitor_every 300"
  "poisson_nd|$ex/poisson_nd|-pinn_interior_points 1000 -pinn_boundary_points 500 -pinn_test_points 2000 -pinn_adam_steps 200 -pinn_lbfgs_steps 200 -grid 11 -output sol.h5 -pinn_monitor -pinn_monitor_every 200"
  "poisson_nd_hard|$ex/poisson_nd|-dim 5 -bc hard -pinn_interior_points 500 -pinn_test_points 2000 -pinn_adam_steps 100 -pinn_lbfgs_steps 100 -grid 11 -output sol.h5 -pinn_monitor -pinn_monitor_every 100"
  "poisson_nd_das|$ex/poisson_nd|-problem das -pinn_interior_points 500 -pinn_boundary_points 200 -test_points 2000 -pinn_adam_steps 50 -pinn_lbfgs_steps 20 -grid 11 -output sol.h5 -pinn_monitor -pinn_monitor_every 50"
  "peak2d|$ex/peak2d|-bc hard -pinn_interior_points 1000 -pinn_adam_steps 200 -pinn_lbfgs_steps 50 -grid 21 -output sol.h5 -pinn_monitor -pinn_monitor_every 200"
  "nn_fit|$ex/nn_fit|-train_adam_steps 300 -train_lbfgs_steps 50 -monitor_every 100 -checkpoint ck.h5"
  "dcdm_train|$ex/dcdm_train|$data16 -dcdm_train_steps 20 -dcdm_train_batch 4 -dcdm_train_validation_fraction 0.2 -dcdm_train_tao_adam_lr 1e-3 -dcdm_train_checkpoint ck.h5 -dcdm_train_monitor_every 5"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name prog args <<<"$c"
  [[ $name =~ $only ]] || continue
  mkdir -p "$out/$name"
  for kernel in ${KERNELS:-default Haswell SkylakeX Sandybridge}; do
    # a kernel this CPU cannot run (no AVX-512 for SkylakeX) dies of SIGILL: skip it
    case $kernel in SkylakeX) flag=avx512f ;; Haswell) flag=avx2 ;; Sandybridge) flag=avx ;; *) flag= ;; esac
    [ -z "$flag" ] || grep -qw "$flag" /proc/cpuinfo || continue
    for np in ${NPS:-1 2 3}; do
      a=${args//@KERNEL@/$kernel}
      log=$out/$name/${kernel}_np$np.log
      grep -q "^exit code" "$log" 2>/dev/null && continue
      (
        cd "$out/$name" || exit 1
        [ "$kernel" = default ] && unset OPENBLAS_CORETYPE || export OPENBLAS_CORETYPE=$kernel
        # shellcheck disable=SC2086
        mpiexec -n "$np" "$prog" $a >"$log" 2>&1
        echo "exit code $?" >>"$log"
        # keep each run's checkpoint for the restart case
        [ -f ck.h5 ] && mv ck.h5 "ck_${kernel}_np$np.h5"
      )
    done
  done
done

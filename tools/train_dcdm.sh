#!/usr/bin/env bash
# Reproduces data/dcdm_k64.h5, DCDM's shipped network: two training stages on the obstacle problem of
# examples/dcdm_poisson3d (a sphere and a pillar as solids, open top), as run on a 2-core machine.
#   stage 1: 6000 right-hand sides at 32^3 (1000 Lanczos steps), STEPS32 Adam steps, batch 10, lr 1e-3 decaying
#            exponentially (x0.1 over 6000 steps)
#   stage 2: 1500 right-hand sides at 64^3 (600 Lanczos steps), fine-tuning from stage 1 for STEPS64 steps,
#            batch 4, lr 1e-4
# Each stage checkpoints and resumes (rerun with RESUME=1). Usage: tools/train_dcdm.sh [build-dir] [work-dir]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
work=${2:-$PWD/dcdm_training}
steps32=${STEPS32:-2800}
steps64=${STEPS64:-520}
np=${NP:-2}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
geometry="-poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_boxes 0.1,0.1,0.0,0.3,0.3,0.4 -poisson3d_bc_zhi open"
mkdir -p "$work" && cd "$work"
set -x
[ -f dcdm_data_n32.h5 ] || mpiexec -n 2 "$build/examples/dcdm_data" -poisson3d_n 32 $geometry -lanczos_steps 1000 -samples 6000 -output dcdm_data_n32.h5
resume32=() && [ -n "${RESUME:-}" ] && [ -f dcdm_k64_n32.h5 ] && resume32=(-dcdm_train_restart dcdm_k64_n32.h5)
mpiexec -n "$np" "$build/examples/dcdm_train" -poisson3d_n 32 $geometry -dcdm_train_data dcdm_data_n32.h5 \
  -dcdm_train_layers 64 -dcdm_train_batch 10 -dcdm_train_steps "$steps32" -dcdm_train_validation_fraction 0.05 -dcdm_train_validate_every 500 \
  -dcdm_train_tao_adam_lr 1e-3 -dcdm_train_tao_adam_schedule exponential -dcdm_train_tao_adam_decay_rate 0.1 -dcdm_train_tao_adam_decay_steps 6000 \
  -dcdm_train_checkpoint dcdm_k64_n32.h5 -dcdm_train_checkpoint_every 100 -dcdm_train_monitor_every 20 -dcdm_train_history dcdm_k64_n32_history.csv \
  "${resume32[@]}"
[ -f dcdm_data_n64.h5 ] || mpiexec -n 1 "$build/examples/dcdm_data" -poisson3d_n 64 $geometry -lanczos_steps 600 -samples 1500 -output dcdm_data_n64.h5
resume64=() && [ -n "${RESUME:-}" ] && [ -f dcdm_k64.h5 ] && resume64=(-dcdm_train_restart dcdm_k64.h5)
mpiexec -n "$np" "$build/examples/dcdm_train" -poisson3d_n 64 $geometry -dcdm_train_data dcdm_data_n64.h5 -dcdm_train_init dcdm_k64_n32.h5 \
  -dcdm_train_layers 64 -dcdm_train_batch 4 -dcdm_train_steps "$steps64" -dcdm_train_validation_fraction 0.02 -dcdm_train_validate_every 100 \
  -dcdm_train_tao_adam_lr 1e-4 -dcdm_train_checkpoint dcdm_k64.h5 -dcdm_train_checkpoint_every 20 -dcdm_train_monitor_every 10 \
  -dcdm_train_history dcdm_k64_history.csv "${resume64[@]}"

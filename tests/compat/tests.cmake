# Checkpoints written by an older nnpde (data/compat/v1, see its README) must still load and continue exactly: each
# test restarts from one at 1 rank and must reach the figures the uninterrupted run of the old build printed (4-6 digits;
# Adam over a few steps agrees to ~10 digits on every OpenBLAS kernel and rank count, so any digit off is a real bug).
set(COMPAT ${PROJECT_SOURCE_DIR}/data/compat/v1)
# PINN (poisson2d): old uninterrupted 40 Adam steps: loss 3.494e+01, rel-L2 5.920e+00 at step 40
nnpde_mpi_test(compat_v1_pinn poisson2d 1 -pinn_adam_steps 40 -pinn_lbfgs_steps 0 -pinn_restart ${COMPAT}/pinn_v1.h5 -pinn_monitor
  -pinn_monitor_every 10 -output compat_pinn_sol.h5 -pinn_checkpoint compat_pinn.h5
  PASS "Restarted from [^\n]*pinn_v1.h5 at iteration 20.*\n +30 adam +loss 5\\.757e\\+01 [^\n]*rel-L2 4\\.673e\\+00.*\n +40 [a-z]+ +loss 3\\.494e\\+01 [^\n]*rel-L2 5\\.920e\\+00")
# NNTrainer (nn_fit): old uninterrupted 60 Adam steps: loss 3.286e-01 at 50, 3.156e-01 at 60, u error 5.78e-01
nnpde_mpi_test(compat_v1_nntrain nn_fit 1 -train_adam_steps 60 -train_lbfgs_steps 0 -monitor_every 10 -restart ${COMPAT}/nntrain_v1.h5
  -checkpoint compat_nntrain.h5
  PASS "step +50 \\(adam\\) +loss 3\\.286e-01.*step +60 \\(adam\\) +loss 3\\.156e-01.*grid: u 5\\.78e-01")
# DCDM trainer: old uninterrupted 30 steps: validation loss 5.349051e-01 at step 30
nnpde_mpi_test(compat_v1_dcdmtrain dcdm_train 1 -poisson3d_n 16 -poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_bc_zhi open
  -dcdm_train_data dcdm_data16_np1.h5 -dcdm_train_batch 4 -dcdm_train_validation_fraction 0.2 -dcdm_train_tao_adam_lr 1e-3
  -dcdm_train_steps 30 -dcdm_train_restart ${COMPAT}/dcdmtrain_v1.h5 -dcdm_train_checkpoint compat_dcdmtrain.h5
  PASS "Restarted from [^\n]*dcdmtrain_v1.h5 at step 10.*Validation loss at step 30: 5\\.34905[0-9]e-01")
set_tests_properties(compat_v1_dcdmtrain_np1 PROPERTIES FIXTURES_REQUIRED dcdm_data16 WORKING_DIRECTORY ${PROJECT_BINARY_DIR}/tests)

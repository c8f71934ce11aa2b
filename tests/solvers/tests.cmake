# tests/solvers: reference solvers (paths relative to tests/)
nnpde_test_program(test_reference_poisson solvers/test_reference_poisson.c)
nnpde_mpi_test(reference_poisson test_reference_poisson 1)
nnpde_mpi_test(reference_poisson test_reference_poisson 2)
# the DCDM network (NN type cnn3d): reference, finite differences, rank independence, bad input
nnpde_test_program(test_cnn3d solvers/test_cnn3d.c)
nnpde_mpi_test(cnn3d_forward16 test_cnn3d 1 -n 16)
nnpde_mpi_test(cnn3d_forward16 test_cnn3d 2 -n 16)
nnpde_mpi_test(cnn3d_forward16 test_cnn3d 4 -n 16)
nnpde_mpi_test(cnn3d_fd8 test_cnn3d 1 -n 8 -fd)
nnpde_mpi_test(cnn3d_fd8 test_cnn3d 2 -n 8 -fd)
nnpde_mpi_test(cnn3d_k128_fd8 test_cnn3d 1 -n 8 -layers 128 -fd)
nnpde_mpi_test(cnn3d_ranks32 test_cnn3d 4 -n 32 -reference false)
# the output, input adjoint and gradient do not depend on the GEMM block size (-blocks 1,30,333,512,5000 against one
# block on one rank), at local x-sizes 48, 40, 20 + 12, 12 + 40 + 48 (uneven splits) and an uneven z split: the coarse
# level's blocks overflowed a buffer sized for the fine level at such sizes (issue 10)
nnpde_mpi_test(cnn3d_blocks48 test_cnn3d 1 -blocks -sizes 48,10,10)
nnpde_mpi_test(cnn3d_blocks40 test_cnn3d 1 -blocks -sizes 40,10,12)
nnpde_mpi_test(cnn3d_blocks test_cnn3d 2 -blocks -sizes 32,12,10 -lx 20,12)
nnpde_mpi_test(cnn3d_blocks_z test_cnn3d 2 -blocks -sizes 40,10,26 -lz 16,10)
nnpde_mpi_test(cnn3d_blocks test_cnn3d 3 -blocks -sizes 100,10,10 -lx 12,40,48)
nnpde_mpi_test(cnn3d_bad test_cnn3d 1 -bad)
nnpde_mpi_test(cnn3d_bad test_cnn3d 2 -bad)
# the 3-D pressure Poisson generator; I/O files written at one rank count and read at the other
nnpde_test_program(test_poisson3d solvers/test_poisson3d.c)
target_link_libraries(test_poisson3d PRIVATE BLAS::BLAS) # dense eigenvalues (LAPACK syev)
nnpde_mpi_test(poisson3d test_poisson3d 1 -io_prefix poisson3d_io_np1)
nnpde_mpi_test(poisson3d test_poisson3d 2 -io_prefix poisson3d_io_np2)
nnpde_mpi_test(poisson3d_cross_read test_poisson3d 2 -io_prefix poisson3d_io_np1 -io_read_only)
set_tests_properties(poisson3d_np1 PROPERTIES FIXTURES_SETUP poisson3d_io1)
set_tests_properties(poisson3d_cross_read_np2 PROPERTIES FIXTURES_REQUIRED poisson3d_io1)
nnpde_test_program(test_dcdm solvers/test_dcdm.c)
# where KSPDCDM/PCDCDM look for the shipped weights (the network test checks the message that lists them)
target_compile_definitions(test_dcdm PRIVATE "NNPDE_DCDM_MODEL_INSTALLED=\"${CMAKE_INSTALL_FULL_DATADIR}/nnpde/dcdm_k64.h5\""
  "NNPDE_DCDM_MODEL_SOURCE=\"${PROJECT_SOURCE_DIR}/data/dcdm_k64.h5\"")
# KSPDCDM. OBST: a 16^3 sphere obstacle with an open top; OBST32: 32^3, sphere + box
set(OBST -poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_bc_zhi open)
set(OBST32 -poisson3d_n 32 -poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_boxes 0.1,0.1,0.0,0.3,0.3,0.4 -poisson3d_bc_zhi open)
foreach(np 1 2)
  # identity direction = steepest descent with orthogonalization, iterate by iterate (zero and nonzero guesses)
  nnpde_mpi_test(dcdm_sd test_dcdm ${np} -test sd ${OBST})
  nnpde_mpi_test(dcdm_sd_guess test_dcdm ${np} -test sd -nonzero_guess ${OBST})
  # an exact solve as the direction: one iteration (user function; and the PC direction with a direct solver)
  nnpde_mpi_test(dcdm_exact test_dcdm ${np} -test exact ${OBST})
  nnpde_mpi_test(dcdm_exact_guess test_dcdm ${np} -test exact -nonzero_guess ${OBST})
  nnpde_mpi_test(dcdm_pc_lu test_dcdm ${np} -ksp_dcdm_direction pc -pc_type lu -pc_factor_mat_solver_type mumps -expect_its 1 ${OBST})
  # a broken direction function (NaN): every iteration falls back to the residual direction, same count as sd
  nnpde_mpi_test(dcdm_nan test_dcdm ${np} -test nan -ksp_dcdm_safeguard 0 -expect_its 108 ${OBST})
  # an indefinite matrix: a diverged reason, no NaN
  nnpde_mpi_test(dcdm_indefinite test_dcdm ${np} -test indefinite ${OBST})
  # Neumann walls + obstacle (singular, null space attached), GAMG directions, zero and nonzero guesses
  nnpde_mpi_test(dcdm_neumann test_dcdm ${np} -ksp_dcdm_direction pc -pc_type gamg -expect_max_its 20 -poisson3d_spheres 0.5,0.5,0.5,0.2)
  nnpde_mpi_test(dcdm_neumann_guess test_dcdm ${np} -ksp_dcdm_direction pc -pc_type gamg -expect_max_its 20 -nonzero_guess -poisson3d_spheres 0.5,0.5,0.5,0.2)
  # recurrence residual
  nnpde_mpi_test(dcdm_recurrence test_dcdm ${np} -ksp_dcdm_direction pc -pc_type jacobi -ksp_dcdm_true_residual 0 ${OBST})
endforeach()
# ICC directions beat unpreconditioned CG (16^3: 39 vs 108 iterations at 1 rank)
nnpde_mpi_test(dcdm_pc_icc test_dcdm 1 -ksp_dcdm_direction pc -pc_type icc -compare_cg -cg_pc_type none ${OBST})
nnpde_mpi_test(dcdm_pc_icc test_dcdm 2 -ksp_dcdm_direction pc -pc_type bjacobi -sub_pc_type icc -compare_cg -cg_pc_type none ${OBST})
# identical iteration counts at 1, 2, 4 ranks on the 32^3 obstacle problem (Jacobi directions: rank independent)
foreach(np 1 2 4)
  nnpde_mpi_test(dcdm_ranks test_dcdm ${np} -ksp_dcdm_direction pc -pc_type jacobi -expect_its 243 ${OBST32})
endforeach()
# KSPView shows the DCDM settings
nnpde_mpi_test(dcdm_view test_dcdm 1 -ksp_dcdm_direction pc -pc_type jacobi -ksp_dcdm_window 3 -ksp_view ${OBST} PASS
  "type: dcdm.*direction: pc \\(the KSP's preconditioner\\).*A-orthogonalization window: 3 previous directions.*recomputed b - Ax.*breakdowns")
# DCDM training data and trainer: Lanczos/Ritz pairs, the data set identical at 1 and 2 ranks, the
# loss gradient against central differences, exact restart, rank groups
set(TRAIN16 -poisson3d_n 16 -poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_bc_zhi open)
nnpde_mpi_test(dcdm_data16 dcdm_data 1 ${TRAIN16} -lanczos_steps 200 -samples 40 -output dcdm_data16_np1.h5)
nnpde_mpi_test(dcdm_data16 dcdm_data 2 ${TRAIN16} -lanczos_steps 200 -samples 40 -output dcdm_data16_np2.h5)
set_tests_properties(dcdm_data16_np1 dcdm_data16_np2 PROPERTIES FIXTURES_SETUP dcdm_data16)
nnpde_test_program(test_dcdm_train solvers/test_dcdm_train.c)
foreach(np 1 2)
  nnpde_mpi_test(dcdm_lanczos test_dcdm_train ${np} -test lanczos ${TRAIN16} -data dcdm_data16_np1.h5 -compare dcdm_data16_np2.h5)
  nnpde_mpi_test(dcdm_train_fd test_dcdm_train ${np} -test fd ${TRAIN16} -dcdm_train_data dcdm_data16_np1.h5)
  nnpde_mpi_test(dcdm_train_restart test_dcdm_train ${np} -test restart ${TRAIN16} -dcdm_train_data dcdm_data16_np${np}.h5 -dcdm_train_batch 4 -dcdm_train_tao_adam_lr 1e-3 -dcdm_train_monitor_every 0 -dcdm_train_checkpoint_every 3)
  nnpde_mpi_test(dcdm_train_history test_dcdm_train ${np} -test history ${TRAIN16} -dcdm_train_data dcdm_data16_np${np}.h5 -dcdm_train_batch 4 -dcdm_train_tao_adam_lr 1e-3 -dcdm_train_monitor_every 0 -dcdm_train_checkpoint_every 3)
  set_tests_properties(dcdm_lanczos_np${np} dcdm_train_fd_np${np} dcdm_train_restart_np${np} dcdm_train_history_np${np} PROPERTIES FIXTURES_REQUIRED dcdm_data16)
endforeach()
nnpde_mpi_test(dcdm_train_groups test_dcdm_train 2 -test groups ${TRAIN16} -dcdm_train_data dcdm_data16_np1.h5)
set_tests_properties(dcdm_train_groups_np2 PROPERTIES FIXTURES_REQUIRED dcdm_data16)
# DCDM with the network: until trained weights ship, untrained (random) K=64 weights written by a test utility (fixture
# dcdm_models; also a K=128 file, an MLP, a file without a network "dcdm", and truncated/garbage/flipped copies)
nnpde_test_program(write_random_dcdm_model solvers/write_random_dcdm_model.c)
set(DCDM_MODELS ${CMAKE_BINARY_DIR}/tests/dcdm_random)
set(DCDM_MODEL ${DCDM_MODELS}_k64.h5)
nnpde_mpi_test(dcdm_model_k64 write_random_dcdm_model 1 -o ${DCDM_MODEL})
nnpde_mpi_test(dcdm_model_k128 write_random_dcdm_model 1 -layers 128 -o ${DCDM_MODELS}_k128.h5)
nnpde_mpi_test(dcdm_model_mlp write_random_dcdm_model 1 -type mlp -o ${DCDM_MODELS}_mlp.h5)
nnpde_mpi_test(dcdm_model_other write_random_dcdm_model 1 -name other -o ${DCDM_MODELS}_other.h5)
nnpde_mpi_test(dcdm_model_truncated write_random_dcdm_model 1 -corrupt truncate -o ${DCDM_MODELS}_truncated.h5)
nnpde_mpi_test(dcdm_model_garbage write_random_dcdm_model 1 -corrupt garbage -o ${DCDM_MODELS}_garbage.h5)
nnpde_mpi_test(dcdm_model_flipped write_random_dcdm_model 1 -corrupt flip -o ${DCDM_MODELS}_flipped.h5)
# a fixed linear network (hand-set weights, see write_random_dcdm_model.c) with which DCDM converges (untrained weights
# stagnate), so that iteration counts mean something
set(DCDM_SMOOTHER ${DCDM_MODELS}_smoother_k64.h5)
nnpde_mpi_test(dcdm_model_smoother write_random_dcdm_model 1 -init smoother -o ${DCDM_SMOOTHER})
set_tests_properties(dcdm_model_smoother_np1 dcdm_model_k64_np1 dcdm_model_k128_np1 dcdm_model_mlp_np1 dcdm_model_other_np1 dcdm_model_truncated_np1
  dcdm_model_garbage_np1 dcdm_model_flipped_np1 PROPERTIES FIXTURES_SETUP dcdm_models)
foreach(np 1 2)
  # bad grids and model files give clear errors (KSP and PC); untrained directions lower the energy; PCDCDM is homogeneous
  nnpde_mpi_test(dcdm_network test_dcdm ${np} -test network -models ${DCDM_MODELS} ${OBST})
  set_tests_properties(dcdm_network_np${np} PROPERTIES FIXTURES_REQUIRED dcdm_models)
endforeach()
# the shipped weights (data/dcdm_k64.h5, found by the default lookup) on the 32^3 obstacle problem, rtol 1e-6, plain
# DCDM (no safeguard, no coarse level): identical iteration counts at 1, 2 and 4 ranks (the network's float32 results
# differ by round-off between decompositions), and at most a fifth of unpreconditioned CG's iterations (33 here; the
# example's right-hand side: 29 against 224)
set(PLAIN -ksp_dcdm_safeguard 0 -ksp_dcdm_coarse 0)
foreach(np 1 2 4)
  nnpde_mpi_test(dcdm_shipped_ranks test_dcdm ${np} -pc_type none ${PLAIN} -expect_its 33 ${OBST32})
endforeach()
nnpde_mpi_test(dcdm_shipped_vs_cg test_dcdm 2 -pc_type none -compare_cg -cg_pc_type none -expect_max_cg_ratio 0.2 ${OBST32})
# the same with the fixed linear stand-in network (tests/solvers/write_random_dcdm_model.c -init smoother), rtol 1e-4
foreach(np 1 2 4)
  nnpde_mpi_test(dcdm_network_ranks test_dcdm ${np} -ksp_dcdm_model ${DCDM_SMOOTHER} -pc_type none ${PLAIN} -ksp_rtol 1e-4 -ksp_max_it 300 -expect_its 64 ${OBST32})
  set_tests_properties(dcdm_network_ranks_np${np} PROPERTIES FIXTURES_REQUIRED dcdm_models)
endforeach()
# the progress guard: a useless direction (random, new every step) is caught. With the safeguard (default) the guard
# switches it off after 5 useless steps in a row and the solve goes on with M r alone: at most 5 iterations more than
# CG with the same M (block Jacobi/ILU(0)); without the safeguard the solve stops with DIVERGED_BREAKDOWN after 5
foreach(np 1 2 3)
  nnpde_mpi_test(dcdm_guard test_dcdm ${np} -test guard -expect_max_extra 5 ${OBST})
endforeach()
foreach(np 1 2)
  nnpde_mpi_test(dcdm_guard_plain test_dcdm ${np} -test guard -ksp_dcdm_safeguard 0 ${OBST})
endforeach()
# the default KSPDCDM (shipped weights, safeguard M r, coarse level) at grid sizes that are not training sizes (24, 40,
# 48: local x-sizes that the cnn3d buffer overflow corrupted), with the obstacles and in a Dirichlet box without any:
# fewer iterations than CG + ICC(0) and at most a ratio of them (measured 0.16-0.25 obstacles, 0.39-0.64 box), no useless
# network step (measured 0), at most 30 (obstacles) / 35 (box) iterations (measured 19, 21 / 21, 23; 24^3 obstacles at
# 2 ranks 17, 48^3 box 24)
set(BOX -poisson3d_spheres -poisson3d_bc_xlo open -poisson3d_bc_xhi open -poisson3d_bc_ylo open -poisson3d_bc_yhi open -poisson3d_bc_zlo open -poisson3d_bc_zhi open)
set(OBSTN -poisson3d_spheres 0.5,0.5,0.5,0.2 -poisson3d_boxes 0.1,0.1,0.0,0.3,0.3,0.4 -poisson3d_bc_zhi open)
set(SIZES_CG -pc_type none -compare_cg -cg_pc_type bjacobi -cg_sub_pc_type icc -expect_max_useless 2)
nnpde_mpi_test(dcdm_obst40 test_dcdm 2 -poisson3d_n 40 ${OBSTN} ${SIZES_CG} -expect_max_cg_ratio 0.4 -expect_max_its 30)
nnpde_mpi_test(dcdm_obst48 test_dcdm 3 -poisson3d_n 48 ${OBSTN} ${SIZES_CG} -expect_max_cg_ratio 0.4 -expect_max_its 30)
nnpde_mpi_test(dcdm_box24 test_dcdm 3 -poisson3d_n 24 ${BOX} ${SIZES_CG} -expect_max_cg_ratio 0.8 -expect_max_its 35)
nnpde_mpi_test(dcdm_box40 test_dcdm 2 -poisson3d_n 40 ${BOX} ${SIZES_CG} -expect_max_cg_ratio 0.8 -expect_max_its 35)
# PCDCDM in FCG (mmax 2, standard truncation; KSPFCG takes -ksp_norm_type unpreconditioned, so both test ||b - Ax|| by
# recurrence) = KSPDCDM with the recurrence residual: the same iteration count (47, 16^3) and residual history (1e-6)
foreach(np 1 2)
  nnpde_mpi_test(dcdm_fcg test_dcdm ${np} -test fcg -dcdm_ksp_type dcdm -dcdm_ksp_dcdm_true_residual 0 -dcdm_ksp_dcdm_safeguard 0 -dcdm_ksp_dcdm_coarse 0 -dcdm_ksp_dcdm_model ${DCDM_SMOOTHER}
    -dcdm_pc_type none -fcg_ksp_type fcg -fcg_ksp_fcg_mmax 2 -fcg_ksp_fcg_truncation_type standard -fcg_ksp_norm_type unpreconditioned
    -fcg_pc_type dcdm -fcg_pc_dcdm_model ${DCDM_SMOOTHER} -max_its_diff 0 -expect_its 47 ${OBST})
  set_tests_properties(dcdm_fcg_np${np} PROPERTIES FIXTURES_REQUIRED dcdm_models)
endforeach()
# the model loader gives the network its options (-nn_cnn3d_block: same PCDCDM output; errors for 0, for a layer list or
# type that would change the model), shipped weights
nnpde_test_program(test_dcdm_model solvers/test_dcdm_model.c)
foreach(np 1 2)
  nnpde_mpi_test(dcdm_model_options test_dcdm_model ${np} ${OBST})
endforeach()
# PCView and KSPView show the model, the safeguard, the guard and the coarse level (the default KSPDCDM: 18 iterations
# against FCG's 47, so the counts are not compared here)
nnpde_mpi_test(dcdm_pc_view test_dcdm 1 -test fcg -max_its_diff 1000 -max_hist_diff 1e6 -dcdm_ksp_dcdm_model ${DCDM_SMOOTHER} -fcg_pc_dcdm_model ${DCDM_SMOOTHER}
  -dcdm_ksp_view -fcg_ksp_view ${OBST} PASS
  "type: dcdm.*direction: network \\(cnn3d, K = 64 layer list, weights from [^\n]*dcdm_random_smoother_k64.h5\\).*decoupled rows.*safeguard: each step minimizes the A-norm of the error over span\\{network direction, M r, coarse correction\\}.*useless network directions: [0-9]+ in the last solve.*coarse level: aggregates of 4\\^3 cells \\(4 x 4 x 4 coarse grid\\).*type: fcg.*type: dcdm.*z = \\(q'r/q'Aq\\) q, q = f\\(sqrt\\(N\\) r/\\|\\|r\\|\\|\\), on coupled rows, Jacobi on the [0-9]+ decoupled rows.*model: [^\n]*dcdm_random_smoother_k64.h5 \\(cnn3d, K = 64 layer list, 97457 parameters\\).*grid: 16 x 16 x 16 DMDA")
set_tests_properties(dcdm_pc_view_np1 PROPERTIES FIXTURES_REQUIRED dcdm_models)
# the 1-D periodic references of issue 11 (tests/solvers/test_reference_periodic.c): exact convection-diffusion, the
# Cole-Hopf quadrature, the CVODE Burgers solver against Cole-Hopf (C = 0 and the moving shock C = 50) and the same
# result at 1, 2 and 3 ranks (the 1-rank run saves it), bad input
nnpde_test_program(test_reference_periodic solvers/test_reference_periodic.c)
set(FIG "figure ([-+.e0-9]+)")
foreach(np 1 2 3)
  nnpde_mpi_test(reference_convection test_reference_periodic ${np} -test convection FIGURE ${FIG} BELOW 1e-12)
  nnpde_mpi_test(reference_colehopf test_reference_periodic ${np} -test colehopf -C 50 FIGURE ${FIG} BELOW 1e-10)
  nnpde_mpi_test(reference_bad test_reference_periodic ${np} -test bad FIGURE ${FIG} BELOW 0.5)
endforeach()
# CVODE Burgers vs Cole-Hopf on the 256 x 100 grid, nu = 0.01, t in [0, 1] (defaults: 2048 points, order 8, rtol 1e-10).
# Measured: C = 0 6.3e-10 (1 rank), 7.0e-10 (2), 6.9e-10 (3); moving shock C = 50 with -ref_burgers_refine 4 (1024
# points) 7.7e-9 (1 rank), 1.4e-8 (3). Runs at other rank counts take other CVODE steps (reductions round differently):
# they must agree with the 1-rank run to 1e-7 relative L2 (measured in solvers/README.md). The shock case needs about
# 17000 steps (the front crosses the period 8 times): 1 and 2 ranks only (3 ranks took 114 s on 2 cores), to keep
# the suite short.
nnpde_mpi_test(reference_burgers test_reference_periodic 1 -test burgers -C 0 -save reference_burgers_np1.bin FIGURE "Cole-Hopf ([-+.e0-9]+)" BELOW 1e-6)
nnpde_mpi_test(reference_burgers_shock test_reference_periodic 1 -test burgers -C 50 -ref_burgers_refine 4 -save reference_burgers_shock_np1.bin
  FIGURE "Cole-Hopf ([-+.e0-9]+)" BELOW 1e-6)
set_tests_properties(reference_burgers_np1 PROPERTIES FIXTURES_SETUP reference_burgers)
set_tests_properties(reference_burgers_shock_np1 PROPERTIES FIXTURES_SETUP reference_burgers_shock)
foreach(np 2 3)
  nnpde_mpi_test(reference_burgers test_reference_periodic ${np} -test burgers -C 0 -compare reference_burgers_np1.bin -expect_compare 1e-7
    PASS "difference from reference_burgers_np1.bin: relative L2" FIGURE "Cole-Hopf ([-+.e0-9]+)" BELOW 1e-6)
  set_tests_properties(reference_burgers_np${np} PROPERTIES FIXTURES_REQUIRED reference_burgers)
endforeach()
nnpde_mpi_test(reference_burgers_shock test_reference_periodic 2 -test burgers -C 50 -ref_burgers_refine 4 -compare reference_burgers_shock_np1.bin
  -expect_compare 1e-7 PASS "difference from reference_burgers_shock_np1.bin: relative L2" FIGURE "Cole-Hopf ([-+.e0-9]+)" BELOW 1e-6)
set_tests_properties(reference_burgers_shock_np2 PROPERTIES FIXTURES_REQUIRED reference_burgers_shock)
# ReferenceBurgersViscosity1d, u_t + u u_x = nu(x) u_xx. A constant function gives ReferenceBurgers1d's result (one code
# path: difference 0; 512 solver points). nu(x) = 0.01 (1 + 0.5 sin x), u0 = sin x on the 256 x 100 grid: 1024 against
# 2048 solver points (-ref_burgers_refine 4 vs 8; self-convergence) agree to 3.2e-10 relative L2 at 1 rank (also with
# OPENBLAS_CORETYPE=Haswell; 3.7e-10 Sandybridge), 3.8e-10 at 2 and 7.6e-10 at 3 ranks (CVODE's rtol 1e-10 dominates):
# bound 5e-9 (6.6x); the solution differs from the constant nu = 0.01 one by 2.8e-3 (checked > 1e-3, so nu(x) enters);
# 2 and 3 ranks give the 1-rank result to 3.0e-10 and 1.7e-10 (Sandybridge 3.3e-10): bound 2e-9 (6x). 0.2-1.3 s each.
nnpde_mpi_test(reference_viscosity_constant test_reference_periodic 1 -test viscosity_constant -ref_burgers_refine 2 FIGURE ${FIG} BELOW 1e-14)
nnpde_mpi_test(reference_viscosity test_reference_periodic 1 -test viscosity -C 0 -ref_burgers_refine 4 -save reference_viscosity_np1.bin
  FIGURE ${FIG} BELOW 5e-9)
set_tests_properties(reference_viscosity_np1 PROPERTIES FIXTURES_SETUP reference_viscosity)
foreach(np 2 3)
  nnpde_mpi_test(reference_viscosity test_reference_periodic ${np} -test viscosity -C 0 -ref_burgers_refine 4 -compare reference_viscosity_np1.bin
    -expect_compare 2e-9 PASS "difference from reference_viscosity_np1.bin: relative L2" FIGURE ${FIG} BELOW 5e-9)
  set_tests_properties(reference_viscosity_np${np} PROPERTIES FIXTURES_REQUIRED reference_viscosity)
endforeach()
# code using the first releases' names still builds and gives the same problem (include/nnpde/deprecated.h)
nnpde_test_program(test_deprecated_names solvers/test_deprecated_names.c)
nnpde_mpi_test(deprecated_names test_deprecated_names 2 PASS "deprecated names: the same [1-9][0-9]*-fluid-cell problem on 2 rank")

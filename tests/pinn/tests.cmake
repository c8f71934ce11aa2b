# tests/pinn: physics-informed training (paths relative to tests/)
nnpde_test_program(test_geometry pinn/test_geometry.c)
nnpde_mpi_test(geometry test_geometry 1)
nnpde_mpi_test(geometry test_geometry 2)
nnpde_mpi_test(geometry test_geometry 4)
nnpde_test_program(test_pinn_residuals pinn/test_pinn_residuals.c)
nnpde_mpi_test(pinn_residuals test_pinn_residuals 1)
nnpde_mpi_test(pinn_residuals test_pinn_residuals 2)
nnpde_test_program(test_pinn_parallel pinn/test_pinn_parallel.c)
nnpde_mpi_test(pinn_parallel test_pinn_parallel 1)
nnpde_mpi_test(pinn_parallel test_pinn_parallel 2)
nnpde_mpi_test(pinn_parallel test_pinn_parallel 4)
nnpde_test_program(test_pinn_restart pinn/test_pinn_restart.c)
nnpde_mpi_test(pinn_restart test_pinn_restart 1)
nnpde_mpi_test(pinn_restart test_pinn_restart 2)
nnpde_test_program(test_pinn_bad_input pinn/test_pinn_bad_input.c)
nnpde_mpi_test(pinn_bad_input test_pinn_bad_input 1)
nnpde_mpi_test(pinn_bad_input test_pinn_bad_input 2)
# -help shows the real defaults (no garbage, nothing twice); the defaults are Adam then L-BFGS
nnpde_test_program(test_pinn_defaults pinn/test_pinn_defaults.c)
nnpde_mpi_test(pinn_defaults test_pinn_defaults 1)
nnpde_mpi_test(pinn_defaults test_pinn_defaults 2)
nnpde_script_test(pinn_help_defaults ${CMAKE_CURRENT_SOURCE_DIR}/pinn/help_defaults.sh $<TARGET_FILE:test_pinn_defaults>)
# bad options, unwritable files, divergence, restart with fewer steps: each with its message
nnpde_test_program(test_pinn_bad_options pinn/test_pinn_bad_options.c)
nnpde_mpi_test(pinn_bad_options test_pinn_bad_options 1)
nnpde_mpi_test(pinn_bad_options test_pinn_bad_options 2)
# the history CSV across a restart: header, every row once, full precision
nnpde_test_program(test_pinn_history pinn/test_pinn_history.c)
nnpde_mpi_test(pinn_history test_pinn_history 1)
nnpde_mpi_test(pinn_history test_pinn_history 2)
# errors during training on 2 ranks: every rank stops at once, the message is whole
nnpde_test_program(test_pinn_nan_exit pinn/test_pinn_nan_exit.c)
nnpde_script_test(pinn_error_exit_nan ${CMAKE_CURRENT_SOURCE_DIR}/pinn/error_exit.sh $<TARGET_FILE:test_pinn_nan_exit> nan "Loss term \"pde\" is nan")
nnpde_script_test(pinn_error_exit_checkpoint ${CMAKE_CURRENT_SOURCE_DIR}/pinn/error_exit.sh $<TARGET_FILE:test_pinn_nan_exit> checkpoint
  "Cannot write checkpoint")
set_tests_properties(pinn_error_exit_nan pinn_error_exit_checkpoint PROPERTIES PROCESSORS 2 TIMEOUT 60)
# Neumann and Robin data get outward unit normals (disk, polygon, CSG)
nnpde_test_program(test_pinn_neumann pinn/test_pinn_neumann.c)
nnpde_mpi_test(pinn_neumann test_pinn_neumann 1)
nnpde_mpi_test(pinn_neumann test_pinn_neumann 2)
nnpde_test_program(test_pinn_weights pinn/test_pinn_weights.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_weights test_pinn_weights ${np})
endforeach()
# PINNSampler: a shell sampler's user points and weights give the formula's loss; its state, points and weights
# survive a checkpoint/restart bit for bit (every type); another type on restart is an error naming both
nnpde_test_program(test_pinn_sampler pinn/test_pinn_sampler.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_sampler test_pinn_sampler ${np} FIGURE "relative difference ([-+.e0-9]+)" BELOW 1e-12)
endforeach()
# two networks coupled by the terms: gradient vs differences, rank identity, residual queries, checkpoint
nnpde_test_program(test_pinn_networks pinn/test_pinn_networks.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_networks test_pinn_networks ${np} FIGURE "worst ratio of deviation to tolerance ([-+.e0-9]+)" BELOW 1)
endforeach()
# distributed weighted sampling without replacement: the same choice as a serial run at 1/2/3 ranks
# (exit code), inclusion frequencies within 4.5 standard errors of the exact ones (figure)
nnpde_test_program(test_sampler_weighted pinn/test_sampler_weighted.c)
foreach(np 1 2 3)
  nnpde_mpi_test(sampler_weighted test_sampler_weighted ${np} FIGURE "worst deviation of the inclusion frequencies: ([-+.e0-9]+)" BELOW 4.5)
endforeach()
# the RAD sampler: the same points and loss on 1/2/3 ranks as on one, restart equals the uninterrupted
# run, bad pool/k/c, zero residuals (uniform fallback)
nnpde_test_program(test_pinn_rad pinn/test_pinn_rad.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_rad test_pinn_rad ${np} FIGURE "worst relative difference \\(ranks, restart\\): ([-+.e0-9]+)" BELOW 1e-10)
endforeach()
# the flow samplers das and aas: the same points, flow and loss on 1/2/3 ranks as on one over 3
# stages, restart in the middle of a stage, bad pool/beta/flow dimension, NaN flow, zero residuals; aas also with a
# uniform fraction (its points: the flow's then the uniform draw) and a relative beta (r2 x 4 leaves the flow unchanged)
nnpde_test_program(test_pinn_das pinn/test_pinn_das.c)
nnpde_test_program(test_pinn_aas pinn/test_pinn_aas.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_das test_pinn_das ${np} FIGURE "worst relative difference \\(ranks, restart\\): ([-+.e0-9]+)" BELOW 1e-9)
  nnpde_mpi_test(pinn_aas test_pinn_aas ${np} FIGURE "worst relative difference \\(ranks, restart\\): ([-+.e0-9]+)" BELOW 1e-9)
endforeach()
# aas with the flow objective on fresh samples (-pinn_sampler_aas_fresh): the estimator's gradient equals the analytic
# sum on its samples rebuilt by the test (round-off; checked inside), and with 10^5 samples it equals the quadrature
# gradient of the objective it estimates to its statistical error (r2 dominant; penalty alone)
nnpde_test_program(test_pinn_aas_fresh pinn/test_pinn_aas_fresh.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_aas_fresh test_pinn_aas_fresh ${np} FIGURE "fresh estimate vs quadrature gradient: worst relative difference ([-+.e0-9]+)" BELOW 1e-2)
endforeach()
# a run of an adaptive sampler (rad, rard, das replace and grow, aas) that stops exactly on an adapt step, restarted,
# equals the uninterrupted run bit for bit (the adapt owed at the stop sees the parameters of the step before, as in one run)
nnpde_test_program(test_pinn_adapt_restart pinn/test_pinn_adapt_restart.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_adapt_restart test_pinn_adapt_restart ${np} FIGURE "worst relative difference \\(restart at an adapt step\\): ([-+.e0-9]+)" BELOW 1e-12)
endforeach()
# per-stage sampler diagnostics: known KS/mean/variance for known residual fields, identical on each rank alone,
# the history columns of a short rad run, zero residuals (rad's uniform fallback and the diagnostics' flag, both
# stated in the monitor), a bad probe size
nnpde_test_program(test_sampler_diagnostics pinn/test_sampler_diagnostics.c)
foreach(np 1 2 3)
  nnpde_mpi_test(sampler_diagnostics test_sampler_diagnostics ${np}
    PASS "the points are drawn uniformly.*probe residuals are zero: the measure is taken as uniform" FIGURE "worst deviation from the known values: ([-+.e0-9]+)" BELOW 3e-3)
endforeach()
# tools/plot_samples.py on a tiny peak2d run with -pinn_sampler_dump (skipped without matplotlib/h5py)
nnpde_script_test(plot_samples ${CMAKE_CURRENT_SOURCE_DIR}/pinn/plot_samples.sh $<TARGET_FILE:peak2d> ${PROJECT_SOURCE_DIR}/tools/plot_samples.py)
set_tests_properties(plot_samples PROPERTIES SKIP_RETURN_CODE 77)
# bench/run_samplers.sh on a tiny budget: one table per problem, a row per registered type, a skip line per other one
nnpde_script_test(run_samplers ${CMAKE_CURRENT_SOURCE_DIR}/pinn/run_samplers.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(run_samplers PROPERTIES PROCESSORS 2)
# PINN type lagrangian: gradients in both u_xx modes, rank identity, exact u_xx on a known map, checkpoint, bad set-ups
nnpde_test_program(test_pinn_lagrangian pinn/test_pinn_lagrangian.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian test_pinn_lagrangian ${np} FIGURE "worst ratio of deviation to tolerance ([-+.e0-9]+)" BELOW 1)
endforeach()
# PINN type lagrangian, errors: J = x_X <= 0 (crossing characteristics) is one collective error naming the iteration and
# the label (the same on every rank and as on one rank), the default network x starts at x = X, bad set-ups; and the
# crossing during training, uncaught, stops every rank with the whole message
nnpde_test_program(test_pinn_lagrangian_errors pinn/test_pinn_lagrangian_errors.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian_errors test_pinn_lagrangian_errors ${np} FIGURE "failed checks: ([0-9]+)" BELOW 0)
endforeach()
foreach(np 2 3)
  nnpde_mpi_test(pinn_lagrangian_cross test_pinn_lagrangian_errors ${np} -case cross EXIT_CODE 72 # PETSC_ERR_FP
    PASS "iteration [0-9]+: J = x_X <= 0 at [0-9]+ point\\(s\\), the first at label X = [-+.e0-9]+, t = [-+.e0-9]+ .*the characteristics cross")
endforeach()
# PINN type lagrangian, f1 by a pointwise function: the built-in speeds as functions give the built-in loss and gradient
# (1e-14), an x-dependent speed has the gradient of the differences
nnpde_test_program(test_pinn_lagrangian_speed pinn/test_pinn_lagrangian_speed.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian_speed test_pinn_lagrangian_speed ${np} FIGURE "worst ratio of deviation to tolerance ([-+.e0-9]+)" BELOW 1)
endforeach()
# PINN type lagrangian, f2 by a pointwise function: f2 = nu as a function gives the -pinn_lagrangian_nu loss and gradient
# (1e-14; nu = 0 and 0.37 ignored), an x-, t- and u-dependent f2 has the gradient of the differences (1e-6) and the loss of
# one rank (1e-12) in both u_xx modes, ru on a known map, a negative or NaN f2 is one collective error (message checked)
nnpde_test_program(test_pinn_lagrangian_diffusion pinn/test_pinn_lagrangian_diffusion.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian_diffusion test_pinn_lagrangian_diffusion ${np} FIGURE "worst ratio of deviation to tolerance ([-+.e0-9]+)" BELOW 1)
endforeach()
# PINN type lagrangian on the label x time grid: the points, rank identity of loss/gradient, mini-batches (random order,
# training on 1/2/3 ranks = one rank), the grid with a residual-based sampler is an error
nnpde_test_program(test_pinn_lagrangian_grid pinn/test_pinn_lagrangian_grid.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian_grid test_pinn_lagrangian_grid ${np} FIGURE "worst ratio of deviation to tolerance ([-+.e0-9]+)" BELOW 1)
endforeach()
# bad -pinn_lagrangian_* values, each refused with its name: a third grid value, an infinite nu or weight, a NaN speed
nnpde_mpi_test(pinn_lagrangian_bad_grid test_pinn_lagrangian_grid 1 -pinn_lagrangian_grid 33,17,5 EXIT_CODE 62
  PASS "-pinn_lagrangian_grid takes nl,nt \\(labels, times\\), e.g. 256,100, or 0 for sampled points. got 3 value")
nnpde_mpi_test(pinn_lagrangian_bad_nu test_pinn_lagrangian_grid 1 -pinn_lagrangian_nu inf EXIT_CODE 63
  PASS "-pinn_lagrangian_nu must be finite and nonnegative, got inf")
nnpde_mpi_test(pinn_lagrangian_bad_c test_pinn_lagrangian_grid 1 -pinn_lagrangian_c nan EXIT_CODE 63 PASS "-pinn_lagrangian_c must be finite, got nan")
nnpde_mpi_test(pinn_lagrangian_bad_gamma test_pinn_lagrangian_grid 1 -pinn_lagrangian_gamma_u inf EXIT_CODE 63
  PASS "\\(gamma_x, gamma_u, gamma_ic\\) must be finite and nonnegative, got 10\\.? inf")
# PINN type lagrangian: restart through training (AMSGrad, batches on the grid; norm loss with resampled points) = one run
nnpde_test_program(test_pinn_lagrangian_restart pinn/test_pinn_lagrangian_restart.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian_restart test_pinn_lagrangian_restart ${np} FIGURE "worst relative difference \\(restart vs one run\\): ([-+.e0-9]+)" BELOW 1e-12)
endforeach()
# PINN type lagrangian with the released code's weight sharing (-pinn_lagrangian_share_weights): the shared count (and
# PINNView()), loss/gradient/solution = the separate networks holding the shared copies (gradient summed over them),
# gradient vs central differences (an error beyond 1e-6 fails the run), rank identity, restart through Adam = one run,
# incompatible widths/depths are errors naming the options
nnpde_test_program(test_pinn_lagrangian_share pinn/test_pinn_lagrangian_share.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_lagrangian_share test_pinn_lagrangian_share ${np} FIGURE "worst relative difference: ([-+.e0-9]+)" BELOW 1e-12)
endforeach()
# the LPINN grid error metrics (issue 11): spectral norm with 2 columns cut, relative L2, on matrices with known norms
nnpde_test_program(test_lpinn_metric pinn/test_lpinn_metric.c)
nnpde_mpi_test(lpinn_metric test_lpinn_metric 1 FIGURE "worst relative deviation ([-+.e0-9]+)" BELOW 1e-12)
nnpde_mpi_test(lpinn_metric test_lpinn_metric 3 FIGURE "worst relative deviation ([-+.e0-9]+)" BELOW 1e-12)
nnpde_mpi_test(lpinn_metric_bad test_lpinn_metric 2 -bad_sizes EXIT_CODE 75
  PASS "The solution has 13 x points per slice, the reference 12")
# PINNSetTestSet(): the weighted error equals its formula, a weight k equals k copies, any split across ranks; bad sets refused
nnpde_test_program(test_pinn_test_set pinn/test_pinn_test_set.c)
foreach(np 1 2 3)
  nnpde_mpi_test(pinn_test_set test_pinn_test_set ${np} FIGURE "largest relative difference ([-+.e0-9]+)" BELOW 1e-12)
endforeach()

# tests/nn: the KRnet flow (NN type krnet, nn/impls/krnet/)
nnpde_test_program(test_krnet nn/test_krnet.c)
foreach(np 1 2 3)
  nnpde_mpi_test(krnet test_krnet ${np} FIGURE "round trip x -> z -> x: max error ([0-9.e+-]+)" BELOW 1e-12)
endforeach()
nnpde_test_program(test_krnet_fit nn/test_krnet_fit.c)
foreach(np 1 2)
  nnpde_mpi_test(krnet_fit test_krnet_fit ${np} FIGURE "excess NLL [0-9.-]+ -> ([0-9.e+-]+)" BELOW 0.2)
endforeach()
# bad input: the exit code is the PETSc error number
nnpde_test_program(test_krnet_bad nn/test_krnet_bad.c)
nnpde_mpi_test(krnet_bad_outputs test_krnet_bad 1 -case outputs EXIT_CODE 60 PASS "NN type krnet has one output")
nnpde_mpi_test(krnet_bad_box test_krnet_bad 1 -case box EXIT_CODE 63 PASS "KRnet box \\(-nn_krnet_lower, _upper\\) needs lo < hi in every input: input 1")
nnpde_mpi_test(krnet_bad_bins test_krnet_bad 1 -case bins EXIT_CODE 63 PASS "-nn_krnet_bins must be even")
# a sampler's flow: the messages name the prefixed options; a step that leaves no coupling layer is refused
nnpde_mpi_test(krnet_bad_prefixed_bins peak2d 1 -pinn_sampler_type das -pinn_sampler_flow_nn_krnet_bins 3 -pinn_adam_steps 20 -pinn_lbfgs_steps 0
  -pinn_resample_every 10 -pinn_interior_points 100 -pinn_boundary_points 40 -test_grid 64 -grid 5 -output krnet_bad_prefixed.h5 EXIT_CODE 63
  PASS "-pinn_sampler_flow_nn_krnet_bins must be even and >= 2, got 3")
nnpde_mpi_test(krnet_bad_step peak2d 1 -pinn_sampler_type das -pinn_sampler_flow_nn_krnet_step 2 -pinn_adam_steps 20 -pinn_lbfgs_steps 0
  -pinn_resample_every 10 -pinn_interior_points 100 -pinn_boundary_points 40 -test_grid 64 -grid 5 -output krnet_bad_prefixed.h5 EXIT_CODE 63
  PASS "-pinn_sampler_flow_nn_krnet_step 2 sets all 2 inputs aside at once: the flow would have no coupling layers")
nnpde_mpi_test(krnet_bad_jets test_krnet_bad 1 -case jets EXIT_CODE 56 PASS "no second-derivative or Laplacian jets")
nnpde_mpi_test(krnet_bad_outside test_krnet_bad 2 -case outside EXIT_CODE 63 PASS "Point 1 lies outside the KRnet box") # 63 only after the -inf check passed (77 otherwise)
nnpde_mpi_test(krnet_bad_nan test_krnet_bad 2 -case nan EXIT_CODE 72 PASS "KRnet parameter 1 \\(in layer 0, actnorm\\) is -?nan")
# the same checks with the architecture and box from the options database (rotation everywhere, 12 bins, another box);
# these flows put a sharp peak of density next to the box edge, which 256^2 Gauss-Legendre nodes integrate to 7e-4
# only (1.8e-4 with 768^2 nodes)
nnpde_mpi_test(krnet_options test_krnet 2 -nn_krnet_rotation -nn_krnet_bins 12 -nn_krnet_lower -2 -nn_krnet_upper 3 -quad_tol 1.5e-3
  FIGURE "round trip x -> z -> x: max error ([0-9.e+-]+)" BELOW 1e-12)
# batched evaluation (tiles of points on one tape) against one point per call: log p, inverse, grad_x log p and jets
# point by point, the sums over points (values, parameter gradients of sum w log p and both penalties) to round-off
nnpde_test_program(test_krnet_batch nn/test_krnet_batch.c)
nnpde_mpi_test(krnet_batch test_krnet_batch 1 FIGURE "batch vs single point: max difference ([0-9.e+-]+)" BELOW 1e-12)

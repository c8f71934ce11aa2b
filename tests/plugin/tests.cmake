# Plugin test: plain_tao is an ordinary PETSc program that neither includes nnpde headers nor links libnnpde; PETSc
# loads the library at run time (-dll_append calls PetscDLLibraryRegister_nnpde), which registers the Tao type adam.
add_executable(plain_tao plugin/plain_tao.c)
target_link_libraries(plain_tao PRIVATE PkgConfig::PETSC MPI::MPI_C m)
add_dependencies(plain_tao nnpde) # the plugin must be built before the test runs

# |x - a|_inf after 300 steps: 3.8369e-07 under every OpenBLAS kernel (default, Haswell, SkylakeX, Sandybridge) at 1, 2 and
# 3 ranks, 260x below the 1e-4 the program requires (after 200 steps it was 8.27e-5: too close)
foreach(np 1 2)
  nnpde_mpi_test(plugin_adam plain_tao ${np} -dll_append $<TARGET_FILE:nnpde> -tao_type adam -tao_max_it 300 -tao_adam_lr 0.05
    PASS "plain_tao: Tao type adam, 300 iterations, \\|x - a\\|_inf = [-+.e0-9]+ < 0.0001: converged" LABELS kernel)
endforeach()

# Without the plugin PETSc must not know the type
nnpde_mpi_test(plugin_missing plain_tao 1 -tao_type adam EXIT_CODE 86 PASS "Unable to find requested Tao type adam") # 86: PETSC_ERR_UNKNOWN_TYPE

# plain_ksp: an ordinary PETSc program (own DMDA Laplacian, KSPSetFromOptions) solved with nnpde's KSP dcdm as a plugin
add_executable(plain_ksp plugin/plain_ksp.c)
target_link_libraries(plain_ksp PRIVATE PkgConfig::PETSC MPI::MPI_C m)
add_dependencies(plain_ksp nnpde)
foreach(np 1 2)
  nnpde_mpi_test(plugin_dcdm plain_ksp ${np} -dll_append $<TARGET_FILE:nnpde> -ksp_type dcdm -ksp_dcdm_direction pc -pc_type jacobi
    PASS "plain_ksp: KSP type dcdm, [0-9]+ iterations, CONVERGED_RTOL, \\|b - Ax\\|/\\|b\\| <= 1e-6")
endforeach()
nnpde_mpi_test(plugin_dcdm_missing plain_ksp 1 -ksp_type dcdm EXIT_CODE 86 PASS "Unable to find requested KSP type dcdm")
# the network direction in a program that attaches its DMDA only to the Mat (DMCreateMatrix): the grid is found, then the
# weights are looked for (here where $NNPDE_DCDM_MODEL says, a file that does not exist)
nnpde_mpi_test(plugin_dcdm_network plain_ksp 1 -dll_append $<TARGET_FILE:nnpde> -ksp_type dcdm EXIT_CODE 65 # PETSC_ERR_FILE_OPEN
  PASS "Cannot load DCDM's network from no_such_dcdm_model.h5 \\(given by \\$NNPDE_DCDM_MODEL\\): Checkpoint file no_such_dcdm_model.h5 does not exist")
set_tests_properties(plugin_dcdm_network_np1 PROPERTIES ENVIRONMENT "${NNPDE_TEST_ENV};NNPDE_DCDM_MODEL=no_such_dcdm_model.h5")

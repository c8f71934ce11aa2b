# Plugin test: plain_tao is an ordinary PETSc program that neither includes nnpde headers nor links libnnpde; PETSc
# loads the library at run time (-dll_append calls PetscDLLibraryRegister_nnpde), which registers the Tao type adam.
add_executable(plain_tao plugin/plain_tao.c)
target_link_libraries(plain_tao PRIVATE PkgConfig::PETSC MPI::MPI_C m)
add_dependencies(plain_tao nnpde) # the plugin must be built before the test runs

foreach(np 1 2)
  nnpde_mpi_test(plugin_adam plain_tao ${np} -dll_append $<TARGET_FILE:nnpde> -tao_type adam -tao_max_it 200 -tao_adam_lr 0.05)
  set_tests_properties(plugin_adam_np${np} PROPERTIES
    PASS_REGULAR_EXPRESSION "plain_tao: Tao type adam, 200 iterations, \\|x - a\\|_inf < 0.0001: converged")
endforeach()

# Without the plugin PETSc must not know the type
nnpde_mpi_test(plugin_missing plain_tao 1 -tao_type adam)
set_tests_properties(plugin_missing_np1 PROPERTIES PASS_REGULAR_EXPRESSION "Unable to find requested Tao type adam")

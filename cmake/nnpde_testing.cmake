# Test helpers shared by tests/ and examples/. Every test is a small PETSc program run through the MPI launcher at the rank counts it needs.
set(NNPDE_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1;OMPI_MCA_rmaps_base_oversubscribe=1")

# nnpde_test_program(<target> <source>): a test executable linked against nnpde
function(nnpde_test_program target source)
  add_executable(${target} ${source})
  target_link_libraries(${target} PRIVATE nnpde m)
endfunction()

# nnpde_mpi_test(<name> <target> <nprocs> [args...]): registers <name>_np<nprocs>
function(nnpde_mpi_test name target nprocs)
  add_test(NAME ${name}_np${nprocs}
    COMMAND ${NNPDE_MPIEXEC} ${MPIEXEC_NUMPROC_FLAG} ${nprocs} ${NNPDE_MPIEXEC_FLAGS} $<TARGET_FILE:${target}> ${ARGN})
  set_tests_properties(${name}_np${nprocs} PROPERTIES ENVIRONMENT "${NNPDE_TEST_ENV}" TIMEOUT 300 PROCESSORS ${nprocs})
endfunction()

# nnpde_script_test(<name> <script> [args...]): a shell-driven test (kills, plugins, ...)
function(nnpde_script_test name script)
  add_test(NAME ${name} COMMAND bash ${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${NNPDE_TEST_ENV};MPIEXEC=${NNPDE_MPIEXEC}" TIMEOUT 300)
endfunction()


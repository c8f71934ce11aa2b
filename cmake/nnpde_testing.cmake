# Test helpers shared by tests/ and examples/. Every test is a small PETSc program run through the MPI launcher at the rank counts it needs.
set(NNPDE_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1;OMPI_MCA_rmaps_base_oversubscribe=1")
if(NNPDE_SANITIZE)
  # Open MPI leaks at exit: no leak check. Every PetscMallocN() array its own allocation (PETSc coalesces them by
  # default), so that an overflow from one into the next is seen.
  list(APPEND NNPDE_TEST_ENV "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=86" "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
    "PETSC_OPTIONS=-malloc_coalesce 0")
endif()

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


# Test helpers shared by tests/ and examples/. Every test is a small PETSc program run through the MPI launcher at the
# rank counts it needs, by cmake/nnpde_run_test.cmake, which checks the exit code AND the output: never register a test
# with PASS_REGULAR_EXPRESSION (ctest then ignores the exit code); nnpde_check_tests() refuses such tests.
set(NNPDE_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1;OMPI_MCA_rmaps_base_oversubscribe=1")
set(NNPDE_RUN_TEST ${CMAKE_CURRENT_LIST_DIR}/nnpde_run_test.cmake)
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

# nnpde_checked_test(<name> COMMAND <cmd> [args...] [EXIT_CODE <n>] [PASS <regex>] [FAIL <regex>]
#                    [FIGURE <regex with one group> BELOW <x>] [LABELS <label>...] [PROCESSORS <n>])
# registers a test that passes only if <cmd> exits with EXIT_CODE (default 0), its output (stdout + stderr) matches PASS
# and does not match FAIL (default "PETSC ERROR" when the expected exit code is 0), and the number captured by FIGURE is
# at most BELOW. A test that expects a non-zero exit code must give PASS: the message that says why.
function(nnpde_checked_test name)
  cmake_parse_arguments(PARSE_ARGV 1 T "" "EXIT_CODE;PASS;FAIL;FIGURE;BELOW;PROCESSORS" "COMMAND;LABELS")
  if(T_UNPARSED_ARGUMENTS OR NOT T_COMMAND)
    message(FATAL_ERROR "nnpde_checked_test(${name}): unexpected arguments '${T_UNPARSED_ARGUMENTS}' or no COMMAND")
  endif()
  set(defs)
  if(NOT DEFINED T_EXIT_CODE)
    set(T_EXIT_CODE 0)
  endif()
  list(APPEND defs -DEXIT_CODE=${T_EXIT_CODE})
  if(NOT T_EXIT_CODE EQUAL 0 AND NOT DEFINED T_PASS)
    message(FATAL_ERROR "nnpde_checked_test(${name}): a test expecting exit code ${T_EXIT_CODE} must give PASS (the expected message)")
  endif()
  if(NOT DEFINED T_FAIL AND T_EXIT_CODE EQUAL 0)
    set(T_FAIL "PETSC ERROR")
  endif()
  if(DEFINED T_PASS)
    list(APPEND defs "-DPASS=${T_PASS}")
  endif()
  if(DEFINED T_FAIL)
    list(APPEND defs "-DFAIL=${T_FAIL}")
  endif()
  if(DEFINED T_FIGURE OR DEFINED T_BELOW)
    if(NOT DEFINED T_FIGURE OR NOT DEFINED T_BELOW)
      message(FATAL_ERROR "nnpde_checked_test(${name}): FIGURE and BELOW go together")
    endif()
    list(APPEND defs "-DFIGURE=${T_FIGURE}" "-DBELOW=${T_BELOW}")
  endif()
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${NNPDE_RUN_TEST} -- ${T_COMMAND})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${NNPDE_TEST_ENV}" TIMEOUT 300)
  if(T_PROCESSORS)
    set_tests_properties(${name} PROPERTIES PROCESSORS ${T_PROCESSORS})
  endif()
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()

# nnpde_mpi_test(<name> <target> <nprocs> [args...] [checks as in nnpde_checked_test]): registers <name>_np<nprocs>, the
# program <target> on <nprocs> ranks with [args...]. Without checks it must exit 0 and print no "PETSC ERROR"; the
# program's own checks (-expect_... options, comparisons with references) decide through its exit code.
function(nnpde_mpi_test name target nprocs)
  cmake_parse_arguments(PARSE_ARGV 3 T "" "EXIT_CODE;PASS;FAIL;FIGURE;BELOW" "LABELS")
  set(checks)
  foreach(k EXIT_CODE PASS FAIL FIGURE BELOW)
    if(DEFINED T_${k})
      list(APPEND checks ${k} "${T_${k}}")
    endif()
  endforeach()
  if(T_LABELS)
    list(APPEND checks LABELS ${T_LABELS})
  endif()
  nnpde_checked_test(${name}_np${nprocs} PROCESSORS ${nprocs} ${checks}
    COMMAND ${NNPDE_MPIEXEC} ${MPIEXEC_NUMPROC_FLAG} ${nprocs} ${NNPDE_MPIEXEC_FLAGS} $<TARGET_FILE:${target}> ${T_UNPARSED_ARGUMENTS})
endfunction()

# nnpde_script_test(<name> <script> [args...]): a shell-driven test (kills, plugins, ...); the script checks and exits
function(nnpde_script_test name script)
  add_test(NAME ${name} COMMAND bash ${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${NNPDE_TEST_ENV};MPIEXEC=${NNPDE_MPIEXEC}" TIMEOUT 300)
endfunction()

# nnpde_check_tests(): at the end of a directory's tests, refuse any test that passes on its output alone
function(nnpde_check_tests)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(t IN LISTS tests)
    get_test_property(${t} PASS_REGULAR_EXPRESSION pass)
    get_test_property(${t} SKIP_REGULAR_EXPRESSION skip)
    if(pass OR skip)
      message(FATAL_ERROR "Test ${t} has PASS_REGULAR_EXPRESSION or SKIP_REGULAR_EXPRESSION, with which ctest ignores its exit "
        "code: give the pattern to nnpde_mpi_test()/nnpde_checked_test() as PASS <regex> instead (cmake/nnpde_testing.cmake)")
    endif()
  endforeach()
endfunction()

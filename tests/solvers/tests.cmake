# tests/solvers: reference solvers (paths relative to tests/)
nnpde_test_program(test_reference_poisson solvers/test_reference_poisson.c)
nnpde_mpi_test(reference_poisson test_reference_poisson 1)
nnpde_mpi_test(reference_poisson test_reference_poisson 2)

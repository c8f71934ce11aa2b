/* nnpde: neural-network methods for PDEs on PETSc. Umbrella header. */
#ifndef NNPDE_H
#define NNPDE_H

#include <nnpde/sys.h>
#include <nnpde/random.h>
#include <nnpde/nn.h>
#include <nnpde/krnet.h>
#include <nnpde/cnn3d.h>
#include <nnpde/adam.h>
#include <nnpde/train.h>
#include <nnpde/checkpoint.h>
#include <nnpde/geometry.h>
#include <nnpde/pinn.h>
#include <nnpde/sampler.h>
#include <nnpde/solvers.h>
#include <nnpde/reference.h>
#include <nnpde/poisson3d.h>
#include <nnpde/dcdm.h>
#include <nnpde/dcdm_train.h>
#include <nnpde/deprecated.h>

#endif

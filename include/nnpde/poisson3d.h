/* The 7-point pressure Poisson operator on an n^3 cell-centred DMDA, with solid obstacles (the
   fluid-simulation setting of DCDM), and thin wrappers to load/save matrices and vectors.

   Cells (i,j,k), 0 <= i,j,k < n, have centres ((i+1/2)h, (j+1/2)h, (k+1/2)h), h = 1/n, in the unit
   cube. A cell is solid when its centre lies in one of the obstacles (closed spheres and boxes),
   fluid otherwise. Each of the six faces of the cube is a wall (Neumann, the default) or open
   (Dirichlet, p = 0 outside). The matrix is the MAC pressure Laplacian scaled by h^2, as in the
   DCDM/NPSDO codes (integer entries):
     fluid row:  diagonal = number of faces to fluid cells or open faces, -1 for each fluid neighbour
                 (solid neighbours and walls contribute nothing: zero-flux);
     solid row:  the identity row (1 on the diagonal, no coupling; the right-hand side is 0 there).
   The full n^3 grid is kept (so a network sees the DMDA grid); solid cells are decoupled. The
   matrix is symmetric, positive definite when some fluid cell touches an open face, and otherwise
   positive semi-definite with the null space spanned by the indicator of the fluid cells (for a
   connected fluid region), which is attached with MatSetNullSpace() and MatSetTransposeNullSpace().
   "Plain" problems: no obstacles with all faces open (Dirichlet box) or all walls (Neumann box).

   The Mat comes from DMCreateMatrix() on the DMDA, so MatGetDM() and KSPs find the grid. */
#ifndef NNPDE_POISSON3D_H
#define NNPDE_POISSON3D_H

#include <petscdmda.h>

typedef struct _n_Poisson3d *Poisson3d;

/* Boundary condition of a face of the unit cube */
typedef enum {
  POISSON3D_WALL, /* Neumann, zero flux (default) */
  POISSON3D_OPEN  /* Dirichlet, p = 0 just outside the face */
} Poisson3dBC;
PETSC_EXTERN const char *const Poisson3dBCs[];

/* Faces, in the order x-, x+, y-, y+, z-, z+ */
typedef enum { POISSON3D_XLO, POISSON3D_XHI, POISSON3D_YLO, POISSON3D_YHI, POISSON3D_ZLO, POISSON3D_ZHI } Poisson3dFace;

PETSC_EXTERN PetscErrorCode Poisson3dCreate(MPI_Comm, PetscInt n, Poisson3d *);
PETSC_EXTERN PetscErrorCode Poisson3dSetDM(Poisson3d, DM);
PETSC_EXTERN PetscErrorCode Poisson3dSetBC(Poisson3d, Poisson3dFace, Poisson3dBC);
PETSC_EXTERN PetscErrorCode Poisson3dSetAllBC(Poisson3d, Poisson3dBC);
PETSC_EXTERN PetscErrorCode Poisson3dGetBC(Poisson3d, Poisson3dFace, Poisson3dBC *);
PETSC_EXTERN PetscErrorCode Poisson3dAddSphere(Poisson3d, const PetscReal center[3], PetscReal radius);
PETSC_EXTERN PetscErrorCode Poisson3dAddBox(Poisson3d, const PetscReal lo[3], const PetscReal hi[3]);
PETSC_EXTERN PetscErrorCode Poisson3dSetFromOptions(Poisson3d);
PETSC_EXTERN PetscErrorCode Poisson3dSetUp(Poisson3d);
PETSC_EXTERN PetscErrorCode Poisson3dGetDM(Poisson3d, DM *);
PETSC_EXTERN PetscErrorCode Poisson3dGetMatrix(Poisson3d, Mat *);
PETSC_EXTERN PetscErrorCode Poisson3dGetFluidMask(Poisson3d, Vec *);
PETSC_EXTERN PetscErrorCode Poisson3dGetFluidCount(Poisson3d, PetscInt *);
PETSC_EXTERN PetscErrorCode Poisson3dIsSingular(Poisson3d, PetscBool *);
PETSC_EXTERN PetscErrorCode Poisson3dProjectRHS(Poisson3d, Vec);
PETSC_EXTERN PetscErrorCode Poisson3dView(Poisson3d, PetscViewer);
PETSC_EXTERN PetscErrorCode Poisson3dDestroy(Poisson3d *);

/* Load/save by file name: ".h5" selects HDF5, anything else PETSc binary. Collective. */
PETSC_EXTERN PetscErrorCode NNMatSave(Mat, const char file[]);
PETSC_EXTERN PetscErrorCode NNMatLoad(MPI_Comm, const char file[], Mat *);
PETSC_EXTERN PetscErrorCode NNVecSave(Vec, const char file[]);
PETSC_EXTERN PetscErrorCode NNVecLoad(Vec, const char file[]);

#endif

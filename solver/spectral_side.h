/* The exact parameter side for a covariance spectrum (equations in docs/spectra.md): one linear
 * recursion per eigenvalue class j, each the isotropic one (parameter_side.h) with gamma replaced
 * by g_j = gamma lambda_j in its memory, teacher and noise terms, all driven by the same sample-side
 * kernels Cl, Rl, Gam. Each class keeps its own two-time C_j, R_j and M_j; after every step the
 * Sigma-weighted rows C_Sigma = E_j[lambda_j C_j], R_Sigma, M_Sigma go into the group's kernels
 * for the sample side, and each class's M_j(k), C_j(k, k) into its class_M, class_Q. The cost is
 * the isotropic parameter side's times the number of classes, each class being packed BLAS work. */
#ifndef DMFT_SPECTRAL_SIDE_H
#define DMFT_SPECTRAL_SIDE_H

#include "dmft/problem.h"
#include "kernels.h"
#include "parameter_side.h"

typedef struct dmft__spectral_side dmft__spectral_side_t;

/* Bytes of the classes' kernels for a problem with a spectrum (0 without). */
double dmft__spectral_side_bytes(const dmft_problem_t *problem);
/* Allocates every class's kernels, sets their row 0 (theta_0 and theta* as in
 * dmft__parameter_side_init, the same for every class) and row 0 of the group's Sigma-weighted
 * kernels and class overlaps (allocated with dmft__kernels_alloc_classes). */
int dmft__spectral_side_create(const dmft_problem_t *problem, dmft__kernels_t *kernels, dmft__spectral_side_t **side);
/* Row k+1 of every class, then of the group's kernels, from the group's sample-side rows up to k;
 * `plain` carries the isotropic coefficients (its gamma is scaled per class here). */
void dmft__spectral_side_advance(dmft__spectral_side_t *side, const dmft__parameter_side_t *plain, dmft__kernels_t *kernels,
                                 long k, double *scratch);
void dmft__spectral_side_regions(dmft__spectral_side_t *side, void (*visit)(void *user, void *data, size_t bytes), void *user);
void dmft__spectral_side_free(dmft__spectral_side_t **side);

/* Class c's overlaps at step k, M_c (k x k*) and Q_c = C_c(k, k) (k x k), into the group's
 * class_M, class_Q; shared with the sampled parameter side. */
void dmft__spectral_store_class_row(dmft__kernels_t *kernels, long k, int c, const double *M_c, const double *Q_c);

#endif

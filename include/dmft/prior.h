/* Priors of the parameter coordinates: the teacher theta*_j and the random part g_j of the
 * initialization theta_0 = m0 theta* + sqrt(v) g, drawn i.i.d. per coordinate and component.
 *
 * Every prior is scaled to the second moment it is asked for, so the sample side (whose fields
 * are Gaussian by the central limit theorem, with covariances given by second moments only)
 * does not see the prior's shape; the parameter side does, as soon as the regularizer is not
 * quadratic. With a quadratic regularizer the parameter side is linear and its kernels depend
 * on second moments only: every prior gives the same answer there (tests/test_parameter_paths.c
 * checks it). */
#ifndef DMFT_PRIOR_H
#define DMFT_PRIOR_H

#include "dmft/rng.h"

typedef enum { DMFT_PRIOR_GAUSS = 0, DMFT_PRIOR_RADEMACHER, DMFT_PRIOR_BERNOULLI_GAUSS, DMFT_PRIOR_COUNT } dmft_prior_t;

const char *dmft_prior_name(dmft_prior_t prior);
/* 0 and *prior set, or -1 if `name` is not a prior. */
int dmft_prior_find(const char *name, dmft_prior_t *prior);
/* One draw with second moment `variance`: gauss N(0, v); rademacher +-sqrt(v); bernoulli-gauss
 * N(0, v / rho) with probability rho, else 0. */
double dmft_prior_draw(dmft_prior_t prior, double variance, double sparsity, dmft_rng_t *rng);

#endif

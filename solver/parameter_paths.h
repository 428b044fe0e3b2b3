/* The sampled parameter side (equations.md §2, last paragraph): for a regularizer beyond ridge,
 * or non-Gaussian priors under one, the representative coordinate is simulated.
 *
 * Each of a group's parameter paths draws theta* and theta_0 from their priors, then follows
 *   theta_{k+1} = theta_k - etabar dt (ridge theta_k + rho'(theta_k))
 *                 - gamma sum_{m<=k} Rl(k,m) theta_m - gamma Gam(k) theta* + du_k,
 * with du a centered Gaussian sequence of covariance gamma Cl(k,m), drawn one step at a time
 * from an incremental Cholesky factor of that covariance (shared by the group's paths, since Cl
 * is). Its response is taken pathwise: T(k,j) = d theta_k / d (kick at j+1) follows
 *   T(k+1,j) = (1 - etabar dt (ridge + rho''(theta_k))) T(k,j) - gamma sum_{j<m<=k} Rl(k,m) T(m,j),
 *   T(j+1,j) = I,
 * and C, M, R are the averages of theta theta^T, theta theta*^T and T over the paths. For ridge
 * and Gaussian priors this is a Monte Carlo version of the exact linear side, which the tests
 * compare it with. Cost per path: O(K^2 k^2) memory for the tangents and O(K^3 k^3) work in all,
 * the same as the dense engine's.
 *
 * With a covariance spectrum the group's paths are split into runs, one per eigenvalue class
 * (at least one path each, the rest in proportion to the weights); a path of class j has
 * gamma lambda_j for gamma and sqrt(lambda_j) du for du, and the kernels are the Sigma-weighted
 * averages, a path of class j counting nu_j lambda_j / n_j (n_j paths in the class), which is
 * unbiased whatever the rounding of the n_j. Isotropic data is one class of weight 1, to the bit. */
#ifndef DMFT_PARAMETER_PATHS_H
#define DMFT_PARAMETER_PATHS_H

#include "replica.h"

typedef struct dmft__parameter_paths dmft__parameter_paths_t;

/* The parameter paths of one group out of `groups`. */
long dmft__parameter_paths_of_group(const dmft_problem_t *problem, int group, int groups);
/* Draws the group's theta*, theta_0 and writes row 0 of C and M. */
int dmft__parameter_paths_create(dmft__replica_t *replica, dmft__parameter_paths_t **paths);
/* Rows k+1 of C, M and R from the kernels up to row k (Cl, Rl and Gam of row k included). */
void dmft__parameter_paths_advance(dmft__parameter_paths_t *paths, dmft__replica_t *replica, long k);
void dmft__parameter_paths_destroy(dmft__parameter_paths_t **paths);
/* What advancing changes, for checkpoints (see dmft__region_fn in replica.h). */
void dmft__parameter_paths_regions(dmft__parameter_paths_t *paths, void (*visit)(void *user, void *data, size_t bytes),
                                   void *user);
/* After its regions were read from a checkpoint: its streams have no prefix (1), else 0. */
int dmft__parameter_paths_adopt_loaded_state(dmft__parameter_paths_t *paths);
double dmft__parameter_paths_bytes(const dmft_problem_t *problem, long paths);

#endif

/* The one-pass limit: online SGD as ordinary differential equations for the overlaps.
 *
 * As gamma = n/d -> infinity with time measured in samples seen per dimension,
 * tau = kappabar gamma t, each sample is used kappabar t = tau / gamma -> 0 times: SGD becomes
 * one-pass SGD with per-sample step h = etabar / kappabar, and the overlaps follow
 * (Saad–Solla type, with (xi, w*) Gaussian of covariance [[Q, M], [M^T, teacher_var I]]):
 *   dM/dtau = -h E[grad_xi l(xi, y) w*^T] - c M,
 *   dQ/dtau = -h E[xi grad^T + grad xi^T] + h^2 E[grad grad^T] - 2 c Q,
 * where c = etabar ridge / (kappabar gamma) is the ridge per unit tau at the problem's gamma
 * (it vanishes in the limit). Expectations by the test-loss quadrature; CVODE (BDF, dense)
 * integrates, relative tolerance 1e-9. */
#ifndef DMFT_ONLINE_H
#define DMFT_ONLINE_H

#include <stddef.h>

#include "dmft/problem.h"
#include "dmft/solver.h"

/* On the problem's output grid in t (tau = kappa gamma t); one group, zero standard errors,
 * train loss = test loss; `progress` (or NULL) hears the fraction of rows done. DMFT_EDIVERGED
 * keeps the rows reached (a norm Q 1e8 times its scale is a divergence, found as a root); DMFT_EINVAL with a message for a
 * regularizer beyond ridge (the equations for M and Q do not close then). Priors enter through
 * their second moments only. */
int dmft_online_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result,
                      char *message, size_t size);

#endif

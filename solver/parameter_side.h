/* The exact linear parameter side for a ridge regularizer and Gaussian theta_0, theta*.
 *
 * Instead of the closed form C = A S00 A^T + ... + gamma sum R Cl R^T of equations.md §2, which
 * costs O(K^2) per entry, the kernels are advanced with the recursion that the linear dynamics
 * theta_{k+1} = a theta_k - gamma sum_m Rl(k,m) theta_m - gamma Gam(k) theta* + du_k implies
 * for its second moments (a = 1 - etabar dt ridge). It is the same discrete system, exactly,
 * at O(K) per entry:
 *   M(k+1)   = a M(k) - gamma sum_{m<=k} Rl(k,m) M(m) - gamma Gam(k) Sigma*
 *   R(k+1,j) = a R(k,j) - gamma sum_{j<m<=k} Rl(k,m) R(m,j),     R(k+1,k) = I
 *   C(k+1,l) = a C(k,l) - gamma sum_{m<=k} Rl(k,m) C(m,l) - gamma Gam(k) M(l)^T
 *              + gamma sum_{m'<l} Cl(k,m') R(l,m')^T                 for l <= k+1,
 * the last term being E[du_k theta_l^T].
 *
 * With momentum (v_{k+1} = beta v_k + (1 - beta) F_k, theta_{k+1} = theta_k - v_{k+1}, v_0 = 0,
 * F_k what plain SGD subtracts) the dynamics are second order,
 *   theta_{k+1} = c theta_k - beta theta_{k-1} - g sum_m Rl(k,m) theta_m - g Gam(k) theta*
 *                 + (1 - beta) du_k,      c = 1 + beta - (1 - beta)(1 - a),  g = (1 - beta) gamma,
 * with theta_{-1} = theta_0, and the same recursions hold with c for a, g for gamma, a term
 * -beta X(k-1, .) for each kernel X, the noise term times (1 - beta), and R(k+1, k) = (1 - beta) I.
 * Without momentum every coefficient is the plain one, to the bit. */
#ifndef DMFT_PARAMETER_SIDE_H
#define DMFT_PARAMETER_SIDE_H

#include "kernels.h"

typedef struct {
  double gamma;
  double decay;       /* a = 1 - etabar dt ridge */
  double teacher_var; /* Sigma* = teacher_var I */
  double beta;        /* momentum (0: none), see below */
} dmft__parameter_side_t;

/* C(0,0) and M(0) from theta_0 = m0 theta* + sqrt(v0) g (m0 only for k = k*, unit by unit). */
void dmft__parameter_side_init(dmft__kernels_t *kernels, double theta0_var, double init_overlap, double teacher_var);

/* Doubles of scratch dmft__parameter_side_advance needs for width k and K steps. */
static inline size_t dmft__parameter_side_scratch_doubles(int k, long steps) {
  return (size_t)(2 * k * k) + 2 * (size_t)(steps + 2);
}

/* Rows k+1 of C, R and M from the kernels up to row k, with scratch of the size above. */
void dmft__parameter_side_advance(const dmft__parameter_side_t *side, dmft__kernels_t *kernels, long k, double *scratch);

/* The teacher response Gam(k) = (E[dG_k w*^T] - sum_{m<=k} Rl(k,m) M(m)) / teacher_var, by
 * Gaussian integration by parts over w* alone (equations.md §2). */
void dmft__teacher_response(dmft__kernels_t *kernels, long k, double teacher_var);

#endif

/* The test loss E[l(a, sigma*(w*, eps))] over a fresh sample, (a, w*) Gaussian with covariance
 * [[Q, M], [M^T, teacher_var I]] and eps the label noise: a deterministic tensor Gauss–Hermite
 * quadrature while the dimension k + k* (+1 with label noise) is at most 6 and the integrand is
 * smooth, randomized quasi-Monte Carlo (2^16 Sobol points, shifted per stream) otherwise. A jump
 * in the integrand (the sign teacher's labels, a test metric such as the classification error)
 * ruins Gauss–Hermite: measured, it missed a classification error by up to 0.05 and the
 * logistic test loss on a sign teacher by 4e-3, where the Sobol points are within 1e-4 and
 * their error, different in every replica group, enters the standard error instead of biasing
 * the answer. The sign teacher's label flips are averaged exactly. Quadrature nodes per
 * dimension fall with the dimension so that a rule has at most about 15000 points. The solver
 * uses it per replica group; the simulator for its Gaussian-formula test loss. */
#ifndef DMFT_TEST_LOSS_H
#define DMFT_TEST_LOSS_H

#include <stdint.h>

#include "dmft/model.h"

#define DMFT_TEST_LOSS_MAX_QUADRATURE_DIMENSION 6
#define DMFT_TEST_LOSS_QUASI_RANDOM_POINTS 65536

typedef struct dmft_test_loss dmft_test_loss_t;

/* `seed` and `stream` key the quasi-random points' shifts (distinct per replica group, so that their
 * error enters the standard error). */
int dmft_test_loss_create(const dmft_model_t *model, double teacher_var, uint64_t seed, uint64_t stream,
                           dmft_test_loss_t **rule);
double dmft_test_loss_evaluate(dmft_test_loss_t *rule, const double *Q, const double *M);
/* The expectation of the loss's test metric by the same rule (a loss with a test_metric only). */
double dmft_test_metric_evaluate(dmft_test_loss_t *rule, const double *Q, const double *M);

/* The same rule for any expectation over (a, w*, eps): `integrand` is called at every point with
 * the student field a (k), the teacher field w* (k*), the label noise eps and the point's weight,
 * and accumulates into `user` (the online-SGD equations use it for their drift terms). */
typedef void (*dmft_gaussian_integrand_fn)(const double *xi, const double *wstar, double eps, double weight, void *user);
void dmft_test_loss_expect(dmft_test_loss_t *rule, const double *Q, const double *M, dmft_gaussian_integrand_fn integrand,
                           void *user);
void dmft_test_loss_free(dmft_test_loss_t **rule);

#endif

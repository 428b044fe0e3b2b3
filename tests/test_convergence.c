/* Richardson extrapolation and the observed order, on a polynomial and on the exact engine,
 * whose dt -> 0 limit is the Marchenko–Pastur closed form of continuous ridge gradient flow:
 * theta(t) = e^{-eta (S + ridge) t} theta_0 + (1 - e^{...}) (S + ridge)^{-1} (S theta* + s X^T eps). */
#include "dmft/convergence.h"
#include "test_support.h"

static void test_polynomial(void) {
  const double dts[3] = {0.1, 0.05, 0.025};
  double values[3], se[3] = {0, 0, 0};
  for (int l = 0; l < 3; l++) values[l] = 1 + 2 * dts[l] + 3 * dts[l] * dts[l];
  dmft_extrapolation_t e;
  dmft_richardson(values, se, 3, 2.0, &e);
  DMFT_ASSERT_CLOSE("extrapolated", e.value, 1 - 3 * 0.05 * 0.025, 1e-12); /* the dt^2 term left: -3 dt_c dt_f */
  CU_ASSERT(fabs(e.value - 1.0) <= e.error);
  DMFT_ASSERT_CLOSE("observed order", e.observed_order, log(0.1225 / 0.055625) / log(2.0), 1e-12);
  dmft_richardson(values + 1, se, 2, 2.0, &e);
  CU_ASSERT(isnan(e.observed_order));
  const double noisy_se[2] = {0.003, 0.004};
  dmft_richardson(values, noisy_se, 2, 2.0, &e);
  DMFT_ASSERT_CLOSE("monte carlo part", e.monte_carlo_error, sqrt(4 * 0.004 * 0.004 + 0.003 * 0.003), 1e-15);
}

static void continuous_ridge_flow(double gamma, double eta, double ridge, double v0, double noise, double t, double *M,
                                  double *Q) {
  const double lower = pow(sqrt(gamma) - 1, 2), upper = pow(sqrt(gamma) + 1, 2), pi = 3.14159265358979323846;
  const int nodes = 20000;
  *M = *Q = 0;
  for (int i = 0; i < nodes; i++) {
    const double theta = (i + 0.5) * pi / nodes, s = 0.5 * (lower + upper) + 0.5 * (upper - lower) * cos(theta);
    const double weight = sqrt(fmax((upper - s) * (s - lower), 0)) / (2 * pi * s) * 0.5 * (upper - lower) * sin(theta) * pi / nodes;
    const double f = exp(-eta * (s + ridge) * t), h = (1 - f) / (s + ridge);
    *M += weight * h * s;
    *Q += weight * (h * h * s * s + v0 * f * f + noise * noise * h * h * s);
  }
}

/* Solves the ladder dt = 0.1 ... 0.0125 and extrapolates observable `index` at every row. */
static void ladder(dmft_problem_t *p, dmft_result_t *results[4]) {
  for (int l = 0; l < 4; l++) {
    p->dt = 0.1 / pow(2.0, l);
    p->output_every = 5 * (1L << l);
    CU_ASSERT_EQUAL_FATAL(dmft_solve(p, NULL, NULL, &results[l]), DMFT_OK);
  }
}

/* The exact engine's ladder: first order (observed 1 +- 0.3) and an extrapolation whose error
 * bar contains the continuous-time closed form, an answer no level was computed at. */
static void test_richardson_reaches_continuous_gradient_flow(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.eta = 1.0, p.tmax = 2.0, p.model.label_noise = 0.3;
  dmft_result_t *results[4];
  ladder(&p, results);
  for (long i = 1; i < results[0]->rows_done; i++) {
    double M_values[4], Q_values[4], zero[4] = {0, 0, 0, 0};
    for (int l = 0; l < 4; l++) M_values[l] = results[l]->M[i], Q_values[l] = results[l]->Q[i];
    dmft_extrapolation_t M, Q;
    dmft_richardson(M_values, zero, 4, 2.0, &M);
    dmft_richardson(Q_values, zero, 4, 2.0, &Q);
    double exact_M, exact_Q;
    continuous_ridge_flow(p.gamma, p.eta, p.ridge, p.theta0_var, 0.3, results[0]->t[i], &exact_M, &exact_Q);
    CU_ASSERT(fabs(M.value - exact_M) <= M.error && M.error < 1e-3);
    CU_ASSERT(fabs(Q.value - exact_Q) <= Q.error && Q.error < 1e-3);
    DMFT_ASSERT_CLOSE("order of M", M.observed_order, 1.0, 0.3);
    DMFT_ASSERT_CLOSE("order of Q", Q.observed_order, 1.0, 0.3);
    /* The extrapolation is the second-order method: its own successive differences shrink by 4
     * a level, checked late, away from t ~ 0.85 where the dt^2 coefficient changes sign (there
     * the ratio, and so the apparent order, is meaningless). */
    if (results[0]->t[i] >= 1.5) {
      DMFT_ASSERT_CLOSE("order of the extrapolated M", M.extrapolated_order, 2.0, 0.3);
      DMFT_ASSERT_CLOSE("order of the extrapolated Q", Q.extrapolated_order, 2.0, 0.3);
    }
    /* The finest level alone is further from the answer than the extrapolation says. */
    CU_ASSERT(fabs(M_values[3] - exact_M) > M.error);
  }
  for (int l = 0; l < 4; l++) dmft_result_free(&results[l]);
}

/* A second model: a k = 2 linear committee learning a k* = 2 tanh committee by gradient flow. */
static void test_first_order_on_a_committee(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.model.k = 2, p.model.kstar = 2, p.model.teacher = dmft_teacher_find("tanh");
  p.eta = 1.0, p.tmax = 2.0;
  dmft_result_t *results[4];
  ladder(&p, results);
  for (long i = 2; i < results[0]->rows_done; i++) {
    double values[4], zero[4] = {0, 0, 0, 0};
    for (int l = 0; l < 4; l++) values[l] = results[l]->M[i * 4];
    dmft_extrapolation_t e;
    dmft_richardson(values, zero, 4, 2.0, &e);
    DMFT_ASSERT_CLOSE("order of M_0_0", e.observed_order, 1.0, 0.3);
    for (int l = 0; l < 4; l++) values[l] = results[l]->train_loss[i];
    dmft_richardson(values, zero, 4, 2.0, &e);
    DMFT_ASSERT_CLOSE("order of the train loss", e.observed_order, 1.0, 0.3);
  }
  for (int l = 0; l < 4; l++) dmft_result_free(&results[l]);
}

/* Common random numbers: the same paths meet the same arrivals and normals at every dt, so the
 * Monte Carlo error of the extrapolation, measured from the replica groups, is well below what
 * independent levels would give (measured 2-2.5 times below on this model); with a seed per level
 * it is not. */
static void extrapolation_errors(int independent, double *measured, double *if_independent) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.eta = 0.5, p.tmax = 2.0, p.paths = 32000, p.keep_group_values = 1;
  dmft_result_t *results[4];
  for (int l = 0; l < 4; l++) {
    p.dt = 0.1 / pow(2.0, l);
    p.output_every = 20 * (1L << l);
    p.seed = independent ? 1 + 7919u * (uint64_t)l : 1;
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &results[l]), DMFT_OK);
  }
  const int groups = results[0]->groups;
  const long last = results[0]->rows - 1;
  double values[4 * 16];
  for (int l = 0; l < 4; l++)
    for (int g = 0; g < groups; g++) values[l * groups + g] = results[l]->group_M[(size_t)g * results[l]->rows + last];
  dmft_extrapolation_t e;
  dmft_richardson_groups(values, groups, 4, 2.0, &e);
  *measured = e.monte_carlo_error;
  *if_independent = e.independent_monte_carlo_error;
  for (int l = 0; l < 4; l++) dmft_result_free(&results[l]);
}

static void test_common_random_numbers_shrink_the_error(void) {
  double common, modeled, independent, independent_modeled;
  extrapolation_errors(0, &common, &modeled);
  extrapolation_errors(1, &independent, &independent_modeled);
  CU_ASSERT(common < 0.6 * modeled);
  CU_ASSERT(common < 0.6 * independent);
  /* Without common numbers the group-measured error is what independence predicts (within the
   * ~25% spread of two 16-group estimates). */
  CU_ASSERT(independent > 0.6 * independent_modeled && independent < 1.6 * independent_modeled);
}

int main(void) {
  CU_TestInfo tests[] = {{"polynomial", test_polynomial},
                         {"richardson reaches continuous gradient flow", test_richardson_reaches_continuous_gradient_flow},
                         {"first order on a committee", test_first_order_on_a_committee},
                         {"common random numbers shrink the error", test_common_random_numbers_shrink_the_error},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("convergence", tests);
}

/* The test loss quadrature against closed forms. Smooth integrands (squared loss of linear
 * models) are polynomials the rules integrate exactly, so rounding (1e-12) is the tolerance.
 * The sign teacher makes the integrand jump; Gauss–Hermite then converges slowly, and the
 * tolerance 2e-3 is the rule's error measured against the closed form at these node counts. */
#include "dmft/test_loss.h"
#include "test_support.h"

static dmft_model_t linear_model(int k, int kstar, double noise) {
  dmft_model_t model = {.activation = dmft_activation_find("linear"), .loss = dmft_loss_find("squared"),
                        .teacher = dmft_teacher_find("linear"), .regularizer = dmft_regularizer_find("none"), .k = k,
                        .kstar = kstar, .label_noise = noise};
  dmft_model_reset_params(&model);
  return model;
}

static void test_single_index_squared_loss(void) {
  dmft_model_t model = linear_model(1, 1, 0.4);
  dmft_test_loss_t *rule = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_test_loss_create(&model, 1.3, 1, 0, &rule), DMFT_OK);
  const double Q = 0.8, M = 0.6;
  DMFT_ASSERT_CLOSE("(Q - 2M + tv + s^2)/2", dmft_test_loss_evaluate(rule, &Q, &M), 0.5 * (Q - 2 * M + 1.3 + 0.16), 1e-12);
  const double Q0 = 0.0, M0 = 0.0; /* a degenerate student field (theta = 0) */
  DMFT_ASSERT_CLOSE("zero student", dmft_test_loss_evaluate(rule, &Q0, &M0), 0.5 * (1.3 + 0.16), 1e-12);
  dmft_test_loss_free(&rule);
  CU_ASSERT_PTR_NULL(rule);
}

static void test_committee_squared_loss(void) {
  dmft_model_t model = linear_model(2, 2, 0.3);
  dmft_test_loss_t *rule = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_test_loss_create(&model, 1.0, 1, 0, &rule), DMFT_OK);
  const double Q[4] = {0.9, 0.2, 0.2, 0.7}, M[4] = {0.5, 0.1, -0.2, 0.4};
  /* f = (a1 + a2)/2, y = (w1 + w2)/2 + s eps */
  const double expected = 0.5 * ((0.9 + 0.4 + 0.7) / 4 - 2 * (0.5 + 0.1 - 0.2 + 0.4) / 4 + 2.0 / 4 + 0.09);
  DMFT_ASSERT_CLOSE("committee", dmft_test_loss_evaluate(rule, Q, M), expected, 1e-12);
  dmft_test_loss_free(&rule);
}

static void test_sign_teacher_with_flips(void) {
  dmft_model_t model = linear_model(1, 1, 0.0);
  model.teacher = dmft_teacher_find("sign");
  model.flip_prob = 0.1;
  dmft_test_loss_t *rule = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_test_loss_create(&model, 2.0, 1, 0, &rule), DMFT_OK);
  const double Q = 1.1, M = 0.9;
  /* E[a sign(w*)] = M E|w*| / tv = M sqrt(2 / (pi tv)); flips scale it by 1 - 2p. */
  const double expected = 0.5 * (Q - 2 * 0.8 * M * sqrt(2 / (3.14159265358979 * 2.0)) + 1.0);
  /* Randomized quasi-Monte Carlo on 2^16 points: measured within 1e-4 of such closed forms
   * (Gauss-Hermite missed this one by 2e-3); allowed 5e-4. */
  DMFT_ASSERT_CLOSE("sign teacher", dmft_test_loss_evaluate(rule, &Q, &M), expected, 5e-4);
  dmft_test_loss_free(&rule);
}

/* The logistic loss's test metric, the classification error, has a closed form for k = k* = 1:
 * P(sign a != sign(w* + s eps)) = arccos(rho) / pi with rho the correlation of a and w* + s eps,
 * and with flips p it is p + (1 - 2p) arccos(rho) / pi. The integrand is an indicator: Gauss-
 * Hermite was off by up to 0.05 here; the quasi-random rule is within 3e-4 (allowed 1e-3). */
static void test_classification_error(void) {
  dmft_model_t model = linear_model(1, 1, 0.3);
  model.loss = dmft_loss_find("logistic");
  model.teacher = dmft_teacher_find("sign");
  model.flip_prob = 0.1;
  dmft_model_reset_params(&model);
  dmft_test_loss_t *rule = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_test_loss_create(&model, 1.0, 1, 0, &rule), DMFT_OK);
  for (double M = 0.2; M < 1.5; M += 0.3) {
    const double Q = 2.0, rho = M / sqrt(Q * (1.0 + 0.09));
    const double expected = 0.1 + 0.8 * acos(rho) / 3.14159265358979;
    char label[64];
    snprintf(label, sizeof label, "classification error at M = %g", M);
    DMFT_ASSERT_CLOSE(label, dmft_test_metric_evaluate(rule, &Q, &M), expected, 1e-3);
  }
  dmft_test_loss_free(&rule);
}

/* Beyond six dimensions the rule is quasi-Monte Carlo on 2^16 points: allowed 5 times the
 * error plain Monte Carlo would have (the loss has a coefficient of variation about 1.4). */
static void test_monte_carlo_beyond_six_dimensions(void) {
  dmft_model_t model = linear_model(4, 3, 0.0);
  dmft_test_loss_t *rule = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_test_loss_create(&model, 1.0, 3, 1, &rule), DMFT_OK);
  double Q[16] = {0}, M[12] = {0};
  for (int a = 0; a < 4; a++) Q[a * 4 + a] = 1.0;
  for (int a = 0; a < 3; a++) M[a * 3 + a] = 0.5;
  const double expected = 0.5 * (4.0 / 16 - 2 * 1.5 / 12 + 3.0 / 9);
  const double value = dmft_test_loss_evaluate(rule, Q, M);
  DMFT_ASSERT_WITHIN_Z("quasi monte carlo", value, 1.4 * expected / sqrt(65536.0), expected, 0.0, 5.0);
  dmft_test_loss_free(&rule);
}

int main(void) {
  CU_TestInfo tests[] = {{"single index squared loss", test_single_index_squared_loss},
                         {"committee squared loss", test_committee_squared_loss},
                         {"sign teacher with flips", test_sign_teacher_with_flips},
                         {"classification error (logistic test metric)", test_classification_error},
                         {"quasi monte carlo beyond six dimensions", test_monte_carlo_beyond_six_dimensions},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("test_loss", tests);
}

/* Built-in losses on the student's prediction f and the label y, with derivatives in f. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "builtin.h"

static double squared_value(double f, double y, const double *params) {
  (void)params;
  return 0.5 * (f - y) * (f - y);
}
static double squared_slope(double f, double y, const double *params) {
  (void)params;
  return f - y;
}
static double squared_curvature(double f, double y, const double *params) {
  (void)f, (void)y, (void)params;
  return 1.0;
}

/* a if pick, else b, by the bits and without a branch. The test-loss quadrature calls the Huber
 * value at points on both sides of |r| = c in no order a branch predictor can follow (perf: 16%
 * of a 2000-path solve, after the jump); a plain ternary compiles to that jump, the masks do not. */
static double select_without_branch(int pick, double a, double b) {
  uint64_t a_bits, b_bits;
  memcpy(&a_bits, &a, sizeof a_bits);
  memcpy(&b_bits, &b, sizeof b_bits);
  const uint64_t mask = (uint64_t)0 - (uint64_t)(pick != 0);
  const uint64_t bits = (a_bits & mask) | (b_bits & ~mask);
  double result;
  memcpy(&result, &bits, sizeof result);
  return result;
}

/* Huber: quadratic for |r| <= c, linear beyond; its slope is continuous, its curvature not,
 * which pathwise tangents tolerate (the set where it jumps has measure zero). params[0] = c. */
static double huber_value(double f, double y, const double *params) {
  const double r = f - y, c = params[0], size = fabs(r);
  return select_without_branch(size <= c, 0.5 * r * r, c * (size - 0.5 * c));
}
static double huber_slope(double f, double y, const double *params) {
  const double r = f - y, c = params[0];
  return fabs(r) <= c ? r : (r > 0 ? c : -c);
}
static double huber_curvature(double f, double y, const double *params) { return fabs(f - y) <= params[0] ? 1.0 : 0.0; }

static const dmft_model_param_t huber_params[] = {
    {"huber-delta", "Huber threshold c (also --huber-delta)", 1.0, 1e-12, 1e12},
};

/* log(1 + exp(-y f)) written so that neither branch overflows. */
static double logistic_value(double f, double y, const double *params) {
  (void)params;
  const double m = -y * f;
  return m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
}
static double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)); }
static double logistic_slope(double f, double y, const double *params) {
  (void)params;
  return -y * sigmoid(-y * f);
}
static double logistic_curvature(double f, double y, const double *params) {
  (void)params;
  const double s = sigmoid(y * f);
  return y * y * s * (1.0 - s);
}

/* The fraction of test samples on the wrong side: 1{y f <= 0}. */
static double classification_error(double f, double y, const double *params) {
  (void)params;
  return y * f <= 0.0 ? 1.0 : 0.0;
}

const dmft_loss_t dmft__builtin_losses[] = {
    {"squared", "(f - y)^2 / 2", squared_value, squared_slope, squared_curvature, 1, 1, 0, NULL, 0, NULL, NULL},
    {"huber", "r^2/2 for |r| <= c, c(|r| - c/2) beyond, r = f - y (--huber-delta c)", huber_value, huber_slope,
     huber_curvature, 1, 0, 0, huber_params, 1, NULL, NULL},
    {"logistic", "log(1 + exp(-y f)) for labels +-1; test metric: classification error", logistic_value, logistic_slope,
     logistic_curvature, 1, 0, 1, NULL, 0, classification_error, "classification error"},
};
const int dmft__builtin_loss_count = sizeof dmft__builtin_losses / sizeof dmft__builtin_losses[0];

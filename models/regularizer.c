/* Built-in separable regularizers, added to the --ridge term. */
#include <math.h>

#include "builtin.h"

static double zero_value(double theta, const double *params) { (void)theta, (void)params; return 0.0; }

/* A smoothed absolute value: lambda (sqrt(theta^2 + e^2) - e). With --ridge it is the elastic
 * net; e > 0 keeps the curvature finite, which the pathwise responses need. */
static double l1_value(double theta, const double *params) {
  const double lambda = params[0], e = params[1];
  return lambda * (sqrt(theta * theta + e * e) - e);
}
static double l1_slope(double theta, const double *params) {
  const double lambda = params[0], e = params[1];
  return lambda * theta / sqrt(theta * theta + e * e);
}
static double l1_curvature(double theta, const double *params) {
  const double lambda = params[0], e = params[1];
  const double root = sqrt(theta * theta + e * e);
  return lambda * e * e / (root * root * root);
}

static const dmft_model_param_t l1_params[] = {
    {"l1", "weight lambda of the smoothed |theta|", 0.1, 0.0, 1e6},
    {"l1-smoothing", "smoothing e of sqrt(theta^2 + e^2) - e", 0.05, 1e-6, 1e6},
};

const dmft_regularizer_t dmft__builtin_regularizers[] = {
    {"none", "nothing beyond --ridge", zero_value, zero_value, zero_value, 1, NULL, 0},
    {"l1", "lambda (sqrt(theta^2 + e^2) - e) per coordinate; with --ridge the elastic net (--model-param l1=, l1-smoothing=)",
     l1_value, l1_slope, l1_curvature, 0, l1_params, 2},
};
const int dmft__builtin_regularizer_count = sizeof dmft__builtin_regularizers / sizeof dmft__builtin_regularizers[0];

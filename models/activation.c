/* Built-in student activations, applied to each pre-activation. The erf unit is erf(x/sqrt 2),
 * the usual choice in committee-machine studies (it maps N(0,1) onto a spread comparable to
 * tanh). */
#include <math.h>

#include "builtin.h"

#define SQRT_2 1.41421356237309504880
#define SQRT_2_OVER_PI 0.79788456080286535588

static double linear_value(double x, const double *params) { (void)params; return x; }
static double linear_slope(double x, const double *params) { (void)x, (void)params; return 1.0; }
static double zero_curvature(double x, const double *params) { (void)x, (void)params; return 0.0; }

static double tanh_value(double x, const double *params) { (void)params; return tanh(x); }
static double tanh_slope(double x, const double *params) {
  (void)params;
  const double t = tanh(x);
  return 1.0 - t * t;
}
static double tanh_curvature(double x, const double *params) {
  (void)params;
  const double t = tanh(x);
  return -2.0 * t * (1.0 - t * t);
}

static double erf_value(double x, const double *params) { (void)params; return erf(x / SQRT_2); }
static double erf_slope(double x, const double *params) { (void)params; return SQRT_2_OVER_PI * exp(-0.5 * x * x); }
static double erf_curvature(double x, const double *params) { return -x * erf_slope(x, params); }

static double relu_value(double x, const double *params) { (void)params; return x > 0.0 ? x : 0.0; }
static double relu_slope(double x, const double *params) { (void)params; return x > 0.0 ? 1.0 : 0.0; }

const dmft_activation_t dmft__builtin_activations[] = {
    {"linear", "f(x) = x", linear_value, linear_slope, zero_curvature, 1, 1, NULL, 0},
    {"tanh", "f(x) = tanh(x)", tanh_value, tanh_slope, tanh_curvature, 1, 0, NULL, 0},
    {"erf", "f(x) = erf(x/sqrt(2))", erf_value, erf_slope, erf_curvature, 1, 0, NULL, 0},
    {"relu", "f(x) = max(x, 0) (slope jumps at 0)", relu_value, relu_slope, zero_curvature, 0, 0, NULL, 0},
};
const int dmft__builtin_activation_count = sizeof dmft__builtin_activations / sizeof dmft__builtin_activations[0];

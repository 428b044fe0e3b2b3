/* A user-supplied regularizer: the log (Cauchy) penalty lambda log(1 + theta^2 / s^2), a smooth
 * non-convex surrogate of the L0 norm used for sparse recovery. It is added to --ridge; with
 * it the parameter side is sampled (equations.md §2, last paragraph).
 * Build: see docs/plugins.md (CMake builds this file as examples/plugins/penalties.so). */
#include <math.h>

#include <dmft/plugin.h>

static double log_value(double theta, const double *params) {
  const double lambda = params[0], s = params[1];
  return lambda * log1p(theta * theta / (s * s));
}
static double log_slope(double theta, const double *params) {
  const double lambda = params[0], s = params[1];
  return 2.0 * lambda * theta / (s * s + theta * theta);
}
static double log_curvature(double theta, const double *params) {
  const double lambda = params[0], s = params[1], denominator = s * s + theta * theta;
  return 2.0 * lambda * (s * s - theta * theta) / (denominator * denominator);
}

static const dmft_model_param_t log_params[] = {
    {"log-weight", "weight lambda of the log penalty", 0.05, 0.0, 1e6},
    {"log-scale", "scale s of the log penalty", 0.5, 1e-6, 1e6},
};

static const dmft_regularizer_t regularizers[] = {
    {.name = "log-penalty",
     .summary = "lambda log(1 + theta^2 / s^2) per coordinate (--model-param log-weight=, log-scale=)",
     .value = log_value,
     .slope = log_slope,
     .curvature = log_curvature,
     .params = log_params,
     .param_count = 2},
};

static const dmft_plugin_t plugin = {
    .abi_version = DMFT_PLUGIN_ABI_VERSION,
    .name = "penalties",
    .summary = "a non-convex sparsity penalty",
    .regularizers = regularizers,
    .regularizer_count = 1,
};

const dmft_plugin_t *dmft_plugin_entry(void) { return &plugin; }

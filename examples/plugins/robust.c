/* Robust losses for regression with outliers: Cauchy (Lorentzian) and Geman-McClure.
 *
 * Both are non-convex in the residual r = f - y and bounded in influence: the slope grows like
 * r near 0 and decays to 0 for |r| >> c. Their curvature is negative beyond |r| = c (Cauchy)
 * or c/sqrt(3) (Geman-McClure), which is what makes them interesting for the dynamics.
 * Build: see docs/plugins.md (CMake builds this file as examples/plugins/robust.so). */
#include <math.h>

#include <dmft/plugin.h>

/* Cauchy: (c^2/2) log(1 + r^2/c^2). */
static double cauchy_value(double f, double y, const double *params) {
  const double c = params[0], r = f - y;
  return 0.5 * c * c * log1p(r * r / (c * c));
}
static double cauchy_slope(double f, double y, const double *params) {
  const double c = params[0], r = f - y;
  return r / (1.0 + r * r / (c * c));
}
static double cauchy_curvature(double f, double y, const double *params) {
  const double c = params[0], r = f - y, u = r * r / (c * c);
  return (1.0 - u) / ((1.0 + u) * (1.0 + u));
}

/* Geman-McClure: (r^2/2) / (1 + r^2/c^2). */
static double geman_mcclure_value(double f, double y, const double *params) {
  const double c = params[0], r = f - y;
  return 0.5 * r * r / (1.0 + r * r / (c * c));
}
static double geman_mcclure_slope(double f, double y, const double *params) {
  const double c = params[0], r = f - y, u = r * r / (c * c);
  return r / ((1.0 + u) * (1.0 + u));
}
static double geman_mcclure_curvature(double f, double y, const double *params) {
  const double c = params[0], r = f - y, u = r * r / (c * c);
  return (1.0 - 3.0 * u) / ((1.0 + u) * (1.0 + u) * (1.0 + u));
}

static const dmft_model_param_t cauchy_params[] = {
    {"cauchy-scale", "scale c of the Cauchy loss", 1.0, 1e-6, 1e6},
};
static const dmft_model_param_t geman_mcclure_params[] = {
    {"gm-scale", "scale c of the Geman-McClure loss", 1.0, 1e-6, 1e6},
};

static const dmft_loss_t losses[] = {
    {.name = "cauchy",
     .summary = "(c^2/2) log(1 + (f - y)^2 / c^2) (--model-param cauchy-scale=c)",
     .value = cauchy_value,
     .slope = cauchy_slope,
     .curvature = cauchy_curvature,
     .slope_is_continuous = 1,
     .params = cauchy_params,
     .param_count = 1},
    {.name = "geman-mcclure",
     .summary = "((f - y)^2 / 2) / (1 + (f - y)^2 / c^2) (--model-param gm-scale=c)",
     .value = geman_mcclure_value,
     .slope = geman_mcclure_slope,
     .curvature = geman_mcclure_curvature,
     .slope_is_continuous = 1,
     .params = geman_mcclure_params,
     .param_count = 1},
};

static const dmft_plugin_t plugin = {
    .abi_version = DMFT_PLUGIN_ABI_VERSION,
    .name = "robust",
    .summary = "robust regression losses: Cauchy and Geman-McClure",
    .losses = losses,
    .loss_count = 2,
};

const dmft_plugin_t *dmft_plugin_entry(void) { return &plugin; }

#include "dmft/convergence.h"

#include <math.h>

static double extrapolate(double coarse, double fine, double ratio) { return (ratio * fine - coarse) / (ratio - 1.0); }

void dmft_richardson(const double *values, const double *se, int levels, double ratio, dmft_extrapolation_t *out) {
  const int fine = levels - 1, coarse = levels - 2;
  out->value = extrapolate(values[coarse], values[fine], ratio);
  out->monte_carlo_error = sqrt(ratio * ratio * se[fine] * se[fine] + se[coarse] * se[coarse]) / (ratio - 1.0);
  if (levels >= 3) {
    const double previous = extrapolate(values[coarse - 1], values[coarse], ratio);
    out->discretization_error = fabs(out->value - previous);
    const double d_coarse = fabs(values[coarse - 1] - values[coarse]), d_fine = fabs(values[coarse] - values[fine]);
    out->observed_order = d_coarse > 0 && d_fine > 0 ? log(d_coarse / d_fine) / log(ratio) : NAN;
  } else {
    out->discretization_error = fabs(out->value - values[fine]);
    out->observed_order = NAN;
  }
  out->independent_monte_carlo_error = out->monte_carlo_error;
  out->extrapolated_order = NAN;
  if (levels >= 4) {
    const double r1 = extrapolate(values[levels - 4], values[levels - 3], ratio);
    const double r2 = extrapolate(values[levels - 3], values[levels - 2], ratio);
    const double d_coarse = fabs(r1 - r2), d_fine = fabs(r2 - out->value);
    out->extrapolated_order = d_coarse > 0 && d_fine > 0 ? log(d_coarse / d_fine) / log(ratio) : NAN;
  }
  out->error = sqrt(out->discretization_error * out->discretization_error + out->monte_carlo_error * out->monte_carlo_error);
}

void dmft_richardson_groups(const double *group_values, int groups, int levels, double ratio, dmft_extrapolation_t *out) {
  double means[16], errors[16];
  for (int l = 0; l < levels && l < 16; l++) {
    double sum = 0.0, squares = 0.0;
    for (int g = 0; g < groups; g++) sum += group_values[l * groups + g];
    means[l] = sum / groups;
    for (int g = 0; g < groups; g++) squares += (group_values[l * groups + g] - means[l]) * (group_values[l * groups + g] - means[l]);
    errors[l] = sqrt(squares / (groups - 1) / groups);
  }
  dmft_richardson(means, errors, levels, ratio, out);
  double sum = 0.0, squares = 0.0;
  for (int g = 0; g < groups; g++)
    sum += extrapolate(group_values[(levels - 2) * groups + g], group_values[(levels - 1) * groups + g], ratio);
  const double mean = sum / groups;
  for (int g = 0; g < groups; g++) {
    const double deviation =
        extrapolate(group_values[(levels - 2) * groups + g], group_values[(levels - 1) * groups + g], ratio) - mean;
    squares += deviation * deviation;
  }
  out->monte_carlo_error = sqrt(squares / (groups - 1) / groups);
  out->error = sqrt(out->discretization_error * out->discretization_error + out->monte_carlo_error * out->monte_carlo_error);
}

/* Gradient flow (full-batch gradient descent with step etabar dt): every sample pushes with
 * the same deterministic weight kappabar dt. */
#include "dmft/noise.h"

static double flow_increment(dmft_rng_t *rng, double rate, double dt) {
  (void)rng;
  return rate * dt;
}

static double flow_increment_variance(double rate, double dt) {
  (void)rate;
  (void)dt;
  return 0.0;
}

const dmft_noise_type_t dmft_noise_flow = {
    .name = "flow",
    .summary = "gradient flow / full-batch GD: deterministic increments kappa dt",
    .is_point_process = 0,
    .is_deterministic = 1,
    .increment = flow_increment,
    .increment_variance = flow_increment_variance,
    .next_arrival = NULL,
    .check = NULL,
};

/* SME, the Gaussian diffusion approximation of SGD: the same mean and variance per step as
 * the Poisson driver, kappabar dt + sqrt(kappabar dt) N(0,1), but no jumps. */
#include <math.h>

#include "dmft/noise.h"

static double gauss_increment(dmft_rng_t *rng, double rate, double dt) {
  const double mean = rate * dt;
  return mean + sqrt(mean) * dmft_rng_normal(rng);
}

static double gauss_increment_variance(double rate, double dt) { return rate * dt; }

const dmft_noise_type_t dmft_noise_gauss = {
    .name = "gauss",
    .summary = "SME: Gaussian increments kappa dt + sqrt(kappa dt) N(0,1)",
    .is_point_process = 0,
    .is_deterministic = 0,
    .increment = gauss_increment,
    .increment_variance = gauss_increment_variance,
    .next_arrival = NULL,
    .check = NULL,
};

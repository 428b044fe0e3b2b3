/* SGD in the paper's limit: each sample is drawn at the times of a Poisson process of rate
 * kappabar, so a step of length dt holds Poisson(kappabar dt) jumps. */
#include <math.h>

#include "dmft/noise.h"

static double poisson_increment(dmft_rng_t *rng, double rate, double dt) {
  return (double)dmft_rng_poisson(rng, rate * dt);
}

static long poisson_next_jump(dmft_rng_t *rng, double rate, double dt, long after, unsigned *count) {
  const double mean = rate * dt;
  /* Steps without a jump are geometric with success probability 1 - exp(-mean); the count
   * of a step known to hold a jump is Poisson conditioned on being at least one. */
  const long gap = dmft_rng_geometric_failures(rng, -expm1(-mean));
  unsigned n;
  do n = dmft_rng_poisson(rng, mean);
  while (n == 0);
  *count = n;
  return after + 1 + gap;
}

static const char *poisson_check(double rate, double dt) {
  return rate * dt <= 30.0 ? NULL : "kappa*dt <= 30 for the poisson noise";
}

const dmft_noise_type_t dmft_noise_poisson = {
    .name = "poisson",
    .summary = "SGD: Poisson(kappa dt) sample draws per step (the paper's limit)",
    .is_point_process = 1,
    .is_deterministic = 0,
    .increment = poisson_increment,
    .next_jump = poisson_next_jump,
    .check = poisson_check,
};

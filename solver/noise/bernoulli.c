/* SGD with an extensive batch: each sample joins each step's batch with probability
 * kappabar dt. At step dt this is exactly the large-n limit of that discrete algorithm. */
#include <math.h>

#include "dmft/noise.h"

static double bernoulli_increment(dmft_rng_t *rng, double rate, double dt) {
  return dmft_rng_uniform(rng) < rate * dt ? 1.0 : 0.0;
}

/* A batch is drawn at the start of each step: arrivals sit on the grid, one per step at most. */
static double bernoulli_next_arrival(dmft_rng_t *rng, double rate, double dt, double after, long *step) {
  const long current = after < 0 ? -1 : dmft_noise_step_of_time(after + 0.5 * dt, dt);
  const long failures = dmft_rng_geometric_failures(rng, rate * dt);
  /* Both terms are at most DMFT_NOISE_NEVER = 2^62, so the sum cannot overflow a long. */
  *step = current + 1 + failures;
  if (*step > DMFT_NOISE_NEVER) *step = DMFT_NOISE_NEVER;
  return (double)*step * dt;
}

static const char *bernoulli_check(double rate, double dt) {
  return rate * dt <= 1.0 ? NULL : "kappa*dt <= 1 for the bernoulli noise (a probability)";
}

static double bernoulli_increment_variance(double rate, double dt) { return rate * dt * (1.0 - rate * dt); }

const dmft_noise_type_t dmft_noise_bernoulli = {
    .name = "bernoulli",
    .summary = "SGD, extensive batch: each sample in each batch with probability kappa dt",
    .is_point_process = 1,
    .is_deterministic = 0,
    .increment = bernoulli_increment,
    .increment_variance = bernoulli_increment_variance,
    .next_arrival = bernoulli_next_arrival,
    .check = bernoulli_check,
};

/* SGD with an extensive batch: each sample joins each step's batch with probability
 * kappabar dt. At step dt this is exactly the large-n limit of that discrete algorithm. */
#include "dmft/noise.h"

static double bernoulli_increment(dmft_rng_t *rng, double rate, double dt) {
  return dmft_rng_uniform(rng) < rate * dt ? 1.0 : 0.0;
}

static long bernoulli_next_jump(dmft_rng_t *rng, double rate, double dt, long after, unsigned *count) {
  *count = 1;
  return after + 1 + dmft_rng_geometric_failures(rng, rate * dt);
}

static const char *bernoulli_check(double rate, double dt) {
  return rate * dt <= 1.0 ? NULL : "kappa*dt <= 1 for the bernoulli noise (a probability)";
}

const dmft_noise_type_t dmft_noise_bernoulli = {
    .name = "bernoulli",
    .summary = "SGD, extensive batch: each sample in each batch with probability kappa dt",
    .is_point_process = 1,
    .is_deterministic = 0,
    .increment = bernoulli_increment,
    .next_jump = bernoulli_next_jump,
    .check = bernoulli_check,
};

/* SGD in the paper's limit: each sample is drawn at the times of a Poisson process of rate
 * kappabar, so a step of length dt holds Poisson(kappabar dt) jumps. */
#include "dmft/noise.h"

static double poisson_increment(dmft_rng_t *rng, double rate, double dt) {
  return (double)dmft_rng_poisson(rng, rate * dt);
}

static double poisson_next_arrival(dmft_rng_t *rng, double rate, double dt, double after, long *step) {
  const double time = (after > 0 ? after : 0.0) + dmft_rng_exponential(rng) / rate;
  *step = dmft_noise_step_of_time(time, dt);
  return time;
}

static const char *poisson_check(double rate, double dt) {
  return rate * dt <= 30.0 ? NULL : "kappa*dt <= 30 for the poisson noise";
}

/* A Poisson count's variance is its mean. */
static double poisson_increment_variance(double rate, double dt) { return rate * dt; }

const dmft_noise_type_t dmft_noise_poisson = {
    .name = "poisson",
    .summary = "SGD: Poisson(kappa dt) sample draws per step (the paper's limit)",
    .is_point_process = 1,
    .is_deterministic = 0,
    .increment = poisson_increment,
    .increment_variance = poisson_increment_variance,
    .next_arrival = poisson_next_arrival,
    .check = poisson_check,
};

/* Sampling without replacement, epoch by epoch: the sample's draws as a point process in epoch
 * time (the integral of kappabar, one unit an epoch).
 *
 *   reshuffle     once in every epoch, at a uniform position drawn afresh each epoch (finite n:
 *                 a new permutation every epoch, cut into consecutive batches);
 *   shuffle-once  once in every epoch, at the same position every epoch (finite n: one
 *                 permutation for the whole run).
 *
 * Unlike poisson and bernoulli the draws of one sample are not independent from step to step
 * (exactly one an epoch): the sparse engine's estimators that assume independent increments
 * are not used with them (dmft_problem_train_loss_stride), and the dense engine, which draws
 * increments step by step, does not run them. The DMFT keeps its form: the driver is
 * independent of the sample's data and, as n grows, of the other samples' drivers. */
#include <math.h>

#include "dmft/noise.h"

static double reshuffle_next_arrival(dmft_rng_t *rng, double rate, double dt, double after, long *step) {
  (void)rate;
  (void)dt;
  *step = 0; /* in epoch time: solver/arrivals.c finds the step */
  const double epoch = after < 0 ? 0.0 : floor(after) + 1.0;
  return epoch + dmft_rng_uniform(rng);
}

static double shuffle_once_next_arrival(dmft_rng_t *rng, double rate, double dt, double after, long *step) {
  (void)rate;
  (void)dt;
  *step = 0;
  return after < 0 ? dmft_rng_uniform(rng) : after + 1.0;
}

static const char *epoch_check(double rate, double dt) {
  return rate * dt <= 1.0 ? NULL : "kappa*dt <= 1 for a sampling scheme by epochs (a step within one epoch)";
}

const dmft_noise_type_t dmft_noise_reshuffle = {
    .name = "reshuffle",
    .summary = "SGD with random reshuffling: every sample once an epoch, at a fresh random position each epoch",
    .is_point_process = 1,
    .arrives_in_epochs = 1,
    .next_arrival = reshuffle_next_arrival,
    .check = epoch_check,
};

const dmft_noise_type_t dmft_noise_shuffle_once = {
    .name = "shuffle-once",
    .summary = "SGD shuffled once: every sample once an epoch, at the same random position every epoch",
    .is_point_process = 1,
    .arrives_in_epochs = 1,
    .next_arrival = shuffle_once_next_arrival,
    .check = epoch_check,
};

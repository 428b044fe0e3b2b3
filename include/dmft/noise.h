/* Noise modules: the driving process z of one sample.
 *
 * A sampling scheme is nothing but the point process (or diffusion) that says how strongly a
 * sample pushes the dynamics in each step (equations.md §2). A module is a const table of
 * functions found by name in one registry; it knows nothing about models. Point processes
 * (poisson, bernoulli) also say where their next jump is, which is what lets the solver's
 * sparse engine skip the steps in which a path does nothing. The built-in modules keep no
 * state beyond the caller's random stream. */
#ifndef DMFT_NOISE_H
#define DMFT_NOISE_H

#include <stddef.h>

#include "dmft/rng.h"

typedef struct dmft_noise_type {
  const char *name;
  const char *summary;
  int is_point_process; /* increments are non-negative integers: jump counts */
  int is_deterministic; /* increments carry no randomness (gradient flow) */
  /* A sampling scheme by epochs (reshuffle, shuffle-once): next_arrival works in epoch time (the
   * integral of kappabar), its `rate`, `dt` and `*step` unused, and the sparse engine maps the
   * times to steps; its draws are not independent from step to step, and it has no increment()
   * (the dense engine does not run it). */
  int arrives_in_epochs;
  /* The increment dz of one step of length dt for a process of rate `rate` (kappabar). */
  double (*increment)(dmft_rng_t *rng, double rate, double dt);
  /* Var(dz) of that increment, which is all the linear model's learning curves need of the noise
   * (dmft/volterra.h); NULL for a scheme whose increments are not independent. */
  double (*increment_variance)(double rate, double dt);
  /* Point processes only: the time of the first arrival after time `after` (a negative `after`
   * at the start) and, in *step, the step of length dt that holds it. Several arrivals can share
   * a step; counting them step by step has the law of increment(). The poisson driver draws
   * arrival times in continuous time, independent of dt: the same stream gives the same arrivals
   * at every step size, which is what makes a ladder of dt share its random numbers. A module
   * must keep no state beyond `after` and the stream: the next arrival is a function of them. */
  double (*next_arrival)(dmft_rng_t *rng, double rate, double dt, double after, long *step);
  /* NULL if (rate, dt) is acceptable, else a phrase saying what is accepted. */
  const char *(*check)(double rate, double dt);
} dmft_noise_type_t;

extern const dmft_noise_type_t dmft_noise_poisson;
extern const dmft_noise_type_t dmft_noise_bernoulli;
extern const dmft_noise_type_t dmft_noise_gauss;
extern const dmft_noise_type_t dmft_noise_flow;
extern const dmft_noise_type_t dmft_noise_reshuffle;
extern const dmft_noise_type_t dmft_noise_shuffle_once;

size_t dmft_noise_count(void);
const dmft_noise_type_t *dmft_noise_at(size_t index);
const dmft_noise_type_t *dmft_noise_find(const char *name); /* NULL if unknown */

/* The step of length dt that holds `time` >= 0, saturated at DMFT_NOISE_NEVER: an arrival far
 * beyond any grid (a tiny rate, a tiny dt) must read as "after the last step", never as an
 * integer overflow that wraps to a step before it. */
#define DMFT_NOISE_NEVER (1L << 62)
long dmft_noise_step_of_time(double time, double dt);

#endif

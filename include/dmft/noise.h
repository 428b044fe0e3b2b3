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
  /* The increment dz of one step of length dt for a process of rate `rate` (kappabar). */
  double (*increment)(dmft_rng_t *rng, double rate, double dt);
  /* Point processes only: the first step after `after` (-1 at the start) with at least one
   * jump; its jump count goes to *count. Same law as calling increment() step by step. */
  long (*next_jump)(dmft_rng_t *rng, double rate, double dt, long after, unsigned *count);
  /* NULL if (rate, dt) is acceptable, else a phrase saying what is accepted. */
  const char *(*check)(double rate, double dt);
} dmft_noise_type_t;

extern const dmft_noise_type_t dmft_noise_poisson;
extern const dmft_noise_type_t dmft_noise_bernoulli;
extern const dmft_noise_type_t dmft_noise_gauss;
extern const dmft_noise_type_t dmft_noise_flow;

size_t dmft_noise_count(void);
const dmft_noise_type_t *dmft_noise_at(size_t index);
const dmft_noise_type_t *dmft_noise_find(const char *name); /* NULL if unknown */

#endif

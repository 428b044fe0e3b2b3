/* The arrival times of a replica group's paths under a point-process noise, binned into steps.
 *
 * Each path's arrivals come from a stream of their own (not the one that draws its fields),
 * through the noise module's next_arrival, in continuous time for poisson: the same stream
 * gives the same arrivals at every dt of a ladder, and a quasi-random prefix on the field
 * stream (solver/quasi_random.h) is not spent on arrival times; the arrival stream has
 * quasi-random coordinates of its own.
 *
 * Stratifying the arrival counts across paths (a Latin hypercube in cells of width dt) was
 * tried and measured: it left the standard errors of M, Q and the losses unchanged (the spread
 * of the number of jumping paths is not where the Monte Carlo error comes from), so it is not
 * offered. */
#ifndef DMFT_ARRIVALS_H
#define DMFT_ARRIVALS_H

#include "coefficients.h"
#include "dmft/problem.h"

typedef struct {
  long *steps;      /* the distinct steps a path jumps in, path after path, increasing per path */
  unsigned *counts; /* arrivals in that step (a step can hold several poisson arrivals) */
  long *first;      /* [paths + 1]: path p owns entries first[p] .. first[p + 1] - 1 */
} dmft__arrivals_t;

/* Arrivals at the coefficient table's kappabar_k (thinned from its largest when it changes with
 * the step) of paths first_path .. first_path + paths - 1 of group `group` in steps
 * 0..last_step, indexed from 0. With `quasi_random` (those paths' points of solver/quasi_random.h,
 * or NULL) the first draws of a path come from the arrival coordinates of its point. DMFT_OK or
 * DMFT_ENOMEM (the arrays are then freed). */
int dmft__arrivals_draw(const dmft_problem_t *problem, const dmft__coefficients_t *coefficients, int group,
                        long first_path, long paths, long last_step, const double *quasi_random, dmft__arrivals_t *arrivals);
void dmft__arrivals_free(dmft__arrivals_t *arrivals);

#endif

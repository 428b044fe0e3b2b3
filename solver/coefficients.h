/* The per-step coefficients of the discrete system, built once per solve at plan time: every
 * engine, the arrivals and the parameter side read them from here and nowhere else, so that a
 * schedule (a learning rate or a batch rate that changes with time) is a change of this table.
 * Entry k is the schedules' value at t_k = k dt (dmft/schedule.h). */
#ifndef DMFT_COEFFICIENTS_H
#define DMFT_COEFFICIENTS_H

#include "dmft/problem.h"

typedef struct {
  long steps;        /* K: entries 0..K */
  double *kick;      /* etabar_k / kappabar_k: the size of one sample's kick at step k */
  double *rate;      /* kappabar_k: the rate of a sample's draws */
  double *step_size; /* etabar_k dt: the gradient step of the parameter side */
  double *decay;     /* 1 - etabar_k dt ridge: the ridge's shrinkage over step k */
  int constant_rate; /* kappabar does not change: arrivals need no thinning */
  /* Momentum: beta = exp(-dt / momentum_time) (0 without), and carry = 1 - beta, the part of a
   * step's update that reaches theta at the next step: R(k+1, k) = carry I; with a covariance
   * spectrum, the part that reaches the field, carry = E[lambda] (1 - beta). */
  double beta, carry;
} dmft__coefficients_t;

int dmft__coefficients_create(const dmft_problem_t *problem, dmft__coefficients_t *coefficients); /* DMFT_OK or ENOMEM */
void dmft__coefficients_free(dmft__coefficients_t *coefficients);

#endif

/* The finite-n simulator: the real algorithms at finite n and d = n / gamma, on the same
 * problem description as the solver, to validate its n, d -> infinity answers.
 *
 *   sgd        mini-batch SGD: a batch of round(kappa n^alpha) samples drawn without replacement
 *              each step, kick eta/kappa per sample, time kappa_n / (kappa n) per step;
 *   extensive  each sample in each step's batch with probability kappa dt (the bernoulli DMFT
 *              at the same dt describes it exactly as n grows);
 *   sme        every sample with weight kappa dt + sqrt(kappa dt) N(0,1) each step;
 *   gd         full-batch gradient descent with step eta dt.
 * Observables per seed: M = theta^T theta* / d, Q = theta^T theta / d and the train loss; the
 * mean over seeds and its standard error (sd / sqrt(seeds)). */
#ifndef DMFT_SIMULATE_H
#define DMFT_SIMULATE_H

#include <stddef.h>

#include "dmft/problem.h"

typedef enum { DMFT_SIMULATE_SGD, DMFT_SIMULATE_EXTENSIVE, DMFT_SIMULATE_SME, DMFT_SIMULATE_GD } dmft_algorithm_t;

typedef struct {
  dmft_algorithm_t algorithm;
  long n;       /* samples; d = round(n / gamma) */
  int seeds;    /* independent data sets and runs */
  double alpha; /* sgd: batch size round(kappa n^alpha) */
} dmft_simulation_options_t;

typedef struct {
  int k, kstar;
  long rows;
  double *t;                          /* [rows] time actually reached (sgd: nearest step) */
  double *M, *M_se;                   /* [rows][k][kstar] */
  double *Q, *Q_se;                   /* [rows][k][k] */
  double *train_loss, *train_loss_se; /* [rows] */
} dmft_simulation_t;

/* Bytes the simulator holds (the data matrix dominates). */
double dmft_simulation_bytes(const dmft_problem_t *problem, const dmft_simulation_options_t *options);
/* Runs the simulation on the solver's output grid. DMFT_EINVAL with a message for options out
 * of range or a memory need beyond the machine. */
int dmft_simulate(const dmft_problem_t *problem, const dmft_simulation_options_t *options, dmft_simulation_t **result,
                  char *message, size_t message_size);
void dmft_simulation_free(dmft_simulation_t **result);

#endif

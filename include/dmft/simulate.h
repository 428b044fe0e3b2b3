/* The finite-n simulator: the real algorithms at finite n and d = n / gamma, on the same
 * problem description as the solver, to validate its n, d -> infinity answers.
 *
 *   sgd        mini-batch SGD: a batch of round(kappa n^alpha) samples drawn without replacement
 *              each step (or by epochs: dmft_sampling_t), kick eta/kappa per sample, time
 *              kappa_n / (kappa n) per step;
 *   extensive  each sample in each step's batch with probability kappa dt (the bernoulli DMFT
 *              at the same dt describes it exactly as n grows);
 *   sme        every sample with weight kappa dt + sqrt(kappa dt) N(0,1) each step;
 *   gd         full-batch gradient descent with step eta dt.
 *
 * Observables per seed, on the solver's output grid: M = theta^T theta* / d, Q = theta^T theta / d,
 * the whole C(t_i, t_j) = theta_i^T theta_j / d, the train loss, the test loss on a fresh test set
 * of n samples and by the Gaussian formula from (Q, M), and R(t, s) at DMFT_RESPONSE_COLUMNS
 * times s by a small-kick experiment: a copy of the run gets theta += eps v (v Rademacher, eps
 * 1e-3) right after step s and shares every random draw after it, and
 * R(t, s) = (theta'_t - theta_t)^T v / (eps d). The result has the solver's layout, with the seeds
 * in place of the replica groups (mean and sd / sqrt(seeds)); unmeasured R columns are NaN. */
#ifndef DMFT_SIMULATE_H
#define DMFT_SIMULATE_H

#include <stddef.h>

#include "dmft/problem.h"
#include "dmft/solver.h"

typedef enum { DMFT_SIMULATE_SGD, DMFT_SIMULATE_EXTENSIVE, DMFT_SIMULATE_SME, DMFT_SIMULATE_GD } dmft_algorithm_t;

#define DMFT_RESPONSE_COLUMNS 2
#define DMFT_RESPONSE_KICK 1e-3

/* How mini-batch SGD draws its batches: independently each step (iid), or by epochs from a
 * permutation drawn afresh each epoch (reshuffle) or once for the run (shuffle-once), cut into
 * consecutive batches. */
typedef enum { DMFT_SAMPLING_IID, DMFT_SAMPLING_RESHUFFLE, DMFT_SAMPLING_SHUFFLE_ONCE } dmft_sampling_t;

typedef struct {
  dmft_algorithm_t algorithm;
  dmft_sampling_t sampling; /* sgd only */
  long n;         /* samples; d = round(n / gamma) */
  int seeds;      /* independent data sets and runs */
  double alpha;   /* sgd: batch size round(kappa n^alpha) */
  double max_mem; /* bytes the simulation may hold; 0: 85% of the machine's memory */
  int skip_responses; /* no kicked copies: R stays NaN, and the run costs a third */
} dmft_simulation_options_t;

typedef struct {
  dmft_result_t *result;        /* solver layout; groups = seeds */
  double *test_loss_gaussian;   /* [rows] from (Q, M) by the Gaussian formula */
  double *test_loss_gaussian_se;
  long response_rows[DMFT_RESPONSE_COLUMNS]; /* output rows s whose R(., s) was measured */
  dmft_algorithm_t algorithm;
  dmft_sampling_t sampling;
  long n, d, batch;
  double step_time;             /* time per step of the simulated algorithm */
  /* A covariance spectrum: the columns of X in each class, round(weight d) by largest remainders
   * (dmft_spectrum_columns); result's M and Q use exactly these fractions. */
  long spectrum_columns[DMFT_SPECTRUM_MAX_CLASSES];
} dmft_simulation_t;

const char *dmft_algorithm_name(dmft_algorithm_t algorithm);
/* The algorithm a noise module's DMFT describes: poisson -> sgd, bernoulli -> extensive,
 * gauss -> sme, flow -> gd. */
dmft_algorithm_t dmft_algorithm_for_noise(const dmft_noise_type_t *noise);
const char *dmft_sampling_name(dmft_sampling_t sampling);
/* The sampling a noise module describes: reshuffle, shuffle-once, else iid. */
dmft_sampling_t dmft_sampling_for_noise(const dmft_noise_type_t *noise);
/* 0 and *algorithm set, or -1 for an unknown name. */
int dmft_algorithm_find(const char *name, dmft_algorithm_t *algorithm);

/* Bytes the simulator holds (the training and test data matrices dominate). */
double dmft_simulation_bytes(const dmft_problem_t *problem, const dmft_simulation_options_t *options);
/* DMFT_OK, or DMFT_EINVAL with a one-line message naming the option: sizes, seeds, alpha, the
 * memory limit, and a batch probability kappa dt <= 1 for the extensive variant. */
int dmft_simulation_check(const dmft_problem_t *problem, const dmft_simulation_options_t *options, char *message,
                          size_t size);
/* Runs the simulation on the solver's output grid. DMFT_EINVAL with a one-line message naming
 * the option for options out of range or a memory need beyond the limit. `progress` as in
 * dmft_solve. */
int dmft_simulate(const dmft_problem_t *problem, const dmft_simulation_options_t *options, dmft_progress_fn progress,
                  void *user, dmft_simulation_t **simulation, char *message, size_t message_size);
void dmft_simulation_free(dmft_simulation_t **simulation);

#endif

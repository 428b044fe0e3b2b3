/* The problem: model, noise module and numbers, validated once before anything runs.
 *
 * Everything the solver needs is here and nothing else: the CLI fills it from options and
 * config files, calls dmft_problem_check(), and hands it to dmft_solve(). */
#ifndef DMFT_PROBLEM_H
#define DMFT_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include "dmft/model.h"
#include "dmft/noise.h"
#include "dmft/prior.h"
#include "dmft/schedule.h"
#include "dmft/spectrum.h"

typedef struct dmft_problem {
  dmft_model_t model;
  const dmft_noise_type_t *noise;
  double gamma;        /* n/d */
  double eta;          /* etabar */
  double kappa;        /* kappabar */
  double ridge;        /* r(theta) = ridge |theta|^2 / 2 */
  double theta0_var;   /* theta_0 = init_overlap theta* + sqrt(theta0_var) g */
  double init_overlap;
  double teacher_var;  /* second moment of theta*: E[theta* theta*^T] = teacher_var I */
  dmft_prior_t teacher_prior, init_prior; /* shapes of theta* and of the random part of theta_0 */
  double sparsity;     /* bernoulli-gauss priors: probability of a non-zero coordinate */
  int sampled_parameter_side; /* sample the parameter side even where it is linear (checks) */
  long parameter_paths;       /* paths of a sampled parameter side, split over the groups; 0: as many as --paths */
  /* Point-process noise: at a reported step the train loss averages over the paths that jump
   * there and about this many others, a fixed subset by index (0: every path). */
  long train_loss_paths;
  /* Dense engine (gauss, flow): the responses Rl average the pathwise tangents of about this
   * many paths, the first of each group (0: every path); the fields use every path. */
  long response_paths;
  /* How etabar and kappabar change with time (dmft/schedule.h; zeroed: constant): the step-k
   * coefficients are their values at t_k. */
  dmft_schedule_t eta_schedule, kappa_schedule;
  /* Heavy-ball momentum in moving-average form, v <- beta v + (1 - beta) u, theta <- theta - v,
   * with beta = exp(-(step time) / momentum_time) (0: none; equations.md §5). */
  double momentum_time;
  /* The inputs' covariance spectrum (dmft/spectrum.h; no classes: isotropic). */
  dmft_spectrum_t spectrum;
  double tmax;
  double dt;
  long paths;
  uint64_t seed;
  int threads;
  long output_every;   /* 0: chosen so that there are at most 1001 output rows */
  int quasi_random;     /* the first draws of every path from a randomized Sobol sequence (solver/quasi_random.h) */
  int force_dense_engine; /* run point processes through the dense engine (tests only) */
  int keep_group_values;  /* also return each replica group's M, Q and losses (dmft converge) */
  /* Under MPI (dmft/ranks.h): 0 spreads every group's paths over the ranks, 1 solves on this
   * rank alone (a sweep's job). Changes no number. */
  int this_rank_alone;
  /* --engine volterra: the linear model's one-time equations, no paths (dmft/volterra.h);
   * volterra_direct solves their O(K^2) convolution form instead, as a check. */
  int engine_volterra, volterra_direct;
  /* One-time observables only: no two-time kernels computed where that saves work (the Volterra
   * engine) nor written (--no-kernels). */
  int no_kernels;
} dmft_problem_t;

/* The replica groups: paths are split into this many independent solves whose spread gives
 * the standard errors (docs/standard-errors.md). */
#define DMFT_MAX_GROUPS 16

void dmft_problem_set_defaults(dmft_problem_t *problem);
/* Whether the parameter side is solved by sampling (a regularizer beyond ridge, or asked for):
 * solver/parameter_paths.h. */
int dmft_problem_parameter_side_is_sampled(const dmft_problem_t *problem);
/* The number of time steps K: the grid is t_k = k dt, k = 0..K, with K dt >= tmax. */
long dmft_problem_steps(const dmft_problem_t *problem);
long dmft_problem_output_every(const dmft_problem_t *problem);
int dmft_problem_groups(const dmft_problem_t *problem);
/* The part of `total` (paths) that group `group` of `groups` takes: the first total % groups
 * groups take one more. */
long dmft_problem_group_share(long total, int groups, int group);
/* Every how many paths of a group one is drawn for the train loss (1: all of them). */
long dmft_problem_train_loss_stride(const dmft_problem_t *problem);
/* The paths of group `group` whose tangents give the dense engine's responses. */
long dmft_problem_response_paths_of_group(const dmft_problem_t *problem, int group);
/* etabar(t), kappabar(t) and the epochs: the integral of kappabar from 0 to t. */
double dmft_problem_eta_at(const dmft_problem_t *problem, double t);
double dmft_problem_kappa_at(const dmft_problem_t *problem, double t);
double dmft_problem_epochs_at(const dmft_problem_t *problem, double t);
/* The variance of the teacher's field x^T theta*: E[lambda] teacher_var (equations: the Sigma-weighted
 * teacher variance), teacher_var itself for isotropic data. */
double dmft_problem_field_teacher_var(const dmft_problem_t *problem);
/* The largest kappabar on the step grid (the noise modules' limits on kappa dt). */
double dmft_problem_largest_kappa(const dmft_problem_t *problem);
/* Bytes the solver will hold at once (kernels of the groups running together, their paths,
 * the outputs). */
double dmft_problem_memory_bytes(const dmft_problem_t *problem);
/* A hash of everything that changes a problem's numbers and of the dmft version (not
 * --threads, which changes none): equal signatures mean equal outputs. A sweep uses it to
 * recognize finished configurations, a checkpoint to refuse another problem's state. */
uint64_t dmft_problem_signature(const dmft_problem_t *problem);
/* DMFT_OK, or DMFT_EINVAL with a one-line message naming the option and what is accepted:
 * every value, and whether the solver's memory fits this machine. */
int dmft_problem_check(const dmft_problem_t *problem, char *message, size_t message_size);
/* The same without what only the solver needs (the noise module's step limit, a gradient the
 * engine can take, the memory), for what does not run the solver: a finite-n simulation (which
 * has dmft_simulation_check), the online limit. */
int dmft_problem_check_inputs(const dmft_problem_t *problem, char *message, size_t message_size);

#endif

/* The finite-n simulator (see dmft/simulate.h). Matrix work goes through OpenBLAS; every seed
 * has its own random streams, so seeds are independent and reproducible. The main run and its
 * kicked copies (for R) take the same random draws: the weights of a step (or its batch) are
 * drawn once and applied to every copy. */
#include "dmft/simulate.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/prior.h"
#include "dmft/ranks.h"
#include "dmft/rng.h"
#include "dmft/status.h"
#include "dmft/test_loss.h"

enum { STREAM_DATA = 10, STREAM_TEACHER, STREAM_INIT, STREAM_LABELS, STREAM_STEPS, STREAM_TEST, STREAM_KICKS };
enum { COPIES = 1 + DMFT_RESPONSE_COLUMNS };

typedef struct {
  const dmft_problem_t *problem;
  dmft_algorithm_t algorithm;
  long n, d, batch;
  int k, kstar;
  double step_time;
  /* This step's coefficients (set_step_coefficients): the kick etabar/kappabar, the ridge's step
   * etabar * step_time, and a sample's mean weight kappabar * step_time. */
  double kick, regularizer_step, mean_weight;
  double *X, *X_test;            /* [n][d] */
  double *teacher;               /* [d][kstar] */
  double *theta[COPIES];         /* [d][k]: the run, then its kicked copies */
  double *directions[COPIES];    /* [d][k]: the kicks' Rademacher directions */
  double *velocity[COPIES];      /* [d][k]: momentum's moving average of the updates */
  double *before;                /* [d][k]: theta before a step's plain update */
  double beta;                   /* momentum: exp(-step_time / momentum_time), 0 without */
  int started[COPIES];
  double *labels, *labels_test;  /* [n] */
  double *fields, *kicks;        /* [n][k] */
  double *weights;               /* [n] */
  long *order;                   /* [n] */
  long *batch_members;           /* [n]: the samples of this step's batch */
  dmft_sampling_t sampling;      /* sgd: how batches are drawn */
  long position;                 /* reshuffle, shuffle-once: the next sample in order */
  double *history;               /* [rows][d][k]: theta at each output row, for C */
  /* A covariance spectrum (else classes 0, NULL): coordinates first_column[c] .. first_column[c+1]-1
   * have eigenvalue lambda_c; eigenvalue[j] is coordinate j's. */
  int classes;
  long first_column[DMFT_SPECTRUM_MAX_CLASSES + 1];
  double *eigenvalue, *root_eigenvalue; /* [d] each */
} simulation_t;

const char *dmft_algorithm_name(dmft_algorithm_t algorithm) {
  static const char *const names[] = {"sgd", "extensive", "sme", "gd"};
  return names[algorithm];
}

int dmft_algorithm_find(const char *name, dmft_algorithm_t *algorithm) {
  for (int a = DMFT_SIMULATE_SGD; a <= DMFT_SIMULATE_GD; a++)
    if (strcmp(name, dmft_algorithm_name((dmft_algorithm_t)a)) == 0) {
      *algorithm = (dmft_algorithm_t)a;
      return 0;
    }
  return -1;
}

const char *dmft_sampling_name(dmft_sampling_t sampling) {
  static const char *const names[] = {"iid", "reshuffle", "shuffle-once"};
  return names[sampling];
}

dmft_sampling_t dmft_sampling_for_noise(const dmft_noise_type_t *noise) {
  if (strcmp(noise->name, "reshuffle") == 0) return DMFT_SAMPLING_RESHUFFLE;
  if (strcmp(noise->name, "shuffle-once") == 0) return DMFT_SAMPLING_SHUFFLE_ONCE;
  return DMFT_SAMPLING_IID;
}

dmft_algorithm_t dmft_algorithm_for_noise(const dmft_noise_type_t *noise) {
  if (strcmp(noise->name, "bernoulli") == 0) return DMFT_SIMULATE_EXTENSIVE;
  if (strcmp(noise->name, "gauss") == 0) return DMFT_SIMULATE_SME;
  if (strcmp(noise->name, "flow") == 0) return DMFT_SIMULATE_GD;
  return DMFT_SIMULATE_SGD;
}

/* d = n / gamma, computed in doubles and clamped before rounding: a hostile --gamma must give a
 * size the checks can refuse, not an integer overflow. */
#define MAX_DIMENSION 1e9
/* Beyond this a simulation takes days; it is refused rather than started. */
#define MAX_SIMULATION_STEPS 1e9
static long dimension_of(const dmft_problem_t *problem, long n) {
  const double d = (double)n / problem->gamma;
  return d < 1.0 ? 1 : d > MAX_DIMENSION ? (long)MAX_DIMENSION : lround(d);
}

static int has_schedule(const dmft_problem_t *problem) {
  return !dmft_schedule_is_constant(&problem->eta_schedule) || !dmft_schedule_is_constant(&problem->kappa_schedule);
}

/* round(kappa n^alpha) samples a step for SGD, clamped to 1..n; the whole set otherwise. */
static long batch_for(double kappa, const dmft_simulation_options_t *options) {
  if (options->algorithm != DMFT_SIMULATE_SGD) return options->n;
  const double batch = kappa * pow((double)options->n, options->alpha);
  return batch < 1.0 ? 1 : batch > (double)options->n ? options->n : lround(batch);
}

static long batch_of(const dmft_problem_t *problem, const dmft_simulation_options_t *options) {
  return batch_for(problem->kappa, options);
}

/* Mini-batch SGD steps every batch / (kappa n), so that a sample is drawn at rate kappa; with a
 * schedule the batch changes and the step stays n^(alpha - 1), as the scaling defines it. */
static double step_time_of(const dmft_problem_t *problem, const dmft_simulation_options_t *options) {
  if (options->algorithm != DMFT_SIMULATE_SGD) return problem->dt;
  if (has_schedule(problem)) return pow((double)options->n, options->alpha - 1.0);
  return (double)batch_of(problem, options) / (problem->kappa * (double)options->n);
}

/* The coefficients of step m, at time m step_time: the schedules' values there (the constants
 * themselves without a schedule, so that such a run is the one it always was). */
static void set_step_coefficients(simulation_t *s, const dmft_simulation_options_t *options, long m) {
  const dmft_problem_t *p = s->problem;
  if (!has_schedule(p)) {
    s->kick = p->eta / p->kappa;
    s->regularizer_step = p->eta * s->step_time;
    s->mean_weight = p->kappa * s->step_time;
    return;
  }
  const double t = (double)m * s->step_time, eta = dmft_problem_eta_at(p, t), kappa = dmft_problem_kappa_at(p, t);
  s->kick = eta / kappa;
  s->regularizer_step = eta * s->step_time;
  s->mean_weight = kappa * s->step_time;
  s->batch = batch_for(kappa, options);
}

static long output_rows(const dmft_problem_t *problem) {
  const long steps = dmft_problem_steps(problem), every = dmft_problem_output_every(problem);
  return steps / every + 1 + (steps % every != 0);
}

double dmft_simulation_bytes(const dmft_problem_t *problem, const dmft_simulation_options_t *options) {
  const double n = (double)options->n, d = (double)dimension_of(problem, options->n);
  const int k = problem->model.k, kstar = problem->model.kstar;
  const double rows = (double)output_rows(problem);
  /* theta, directions and velocity of every copy and the step's theta before; labels, fields,
   * kicks, weights, order, batch members; the history and the two-time sums. */
  return 8.0 * (2.0 * n * d + d * (kstar + (3.0 * COPIES + 1.0) * k) + n * (5.0 + 2.0 * k) + rows * d * k +
                rows * rows * k * k * 4.0);
}

void dmft_simulation_free(dmft_simulation_t **simulation) {
  dmft_simulation_t *s = *simulation;
  if (!s) return;
  dmft_result_free(&s->result);
  free(s->test_loss_gaussian);
  free(s->test_loss_gaussian_se);
  free(s);
  *simulation = NULL;
}

static void free_state(simulation_t *s) {
  free(s->X);
  free(s->X_test);
  free(s->teacher);
  for (int c = 0; c < COPIES; c++) {
    free(s->theta[c]);
    free(s->directions[c]);
    free(s->velocity[c]);
  }
  free(s->before);
  free(s->labels);
  free(s->labels_test);
  free(s->fields);
  free(s->kicks);
  free(s->weights);
  free(s->order);
  free(s->batch_members);
  free(s->history);
  free(s->eigenvalue);
  free(s->root_eigenvalue);
}

/* Labels from the teacher's pre-activations x_i^T theta* (fields has room for n x k*). */
static void draw_labels(const simulation_t *s, const double *X, double *labels, dmft_rng_t *rng) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->n, s->kstar, (int)s->d, 1.0, X, (int)s->d, s->teacher,
              s->kstar, 0.0, s->fields, s->kstar);
  for (long i = 0; i < s->n; i++) {
    const double eps = dmft_rng_normal(rng), flip_uniform = dmft_rng_uniform(rng);
    labels[i] = dmft_model_label(&s->problem->model, s->fields + i * s->kstar, eps, flip_uniform);
  }
}

/* Draws the data, teacher, initialization, labels and test set of one seed. */
static void draw_instance(simulation_t *s, const dmft_problem_t *p, int seed_index) {
  dmft_rng_t rng;
  const uint64_t key = 1000 + (uint64_t)seed_index;
  const double scale = 1.0 / sqrt((double)s->d);
  dmft_rng_seed(&rng, p->seed, key, 0, STREAM_DATA);
  for (long i = 0; i < s->n * s->d; i++) s->X[i] = scale * dmft_rng_normal(&rng);
  dmft_rng_seed(&rng, p->seed, key, 0, STREAM_TEST);
  for (long i = 0; i < s->n * s->d; i++) s->X_test[i] = scale * dmft_rng_normal(&rng);
  if (s->eigenvalue) /* X = Z diag(sqrt(lambda)) / sqrt(d) */
    for (long i = 0; i < s->n; i++)
      for (long j = 0; j < s->d; j++) {
        s->X[i * s->d + j] *= s->root_eigenvalue[j];
        s->X_test[i * s->d + j] *= s->root_eigenvalue[j];
      }
  dmft_rng_seed(&rng, p->seed, key, 0, STREAM_TEACHER);
  const double init_sd = sqrt(p->theta0_var);
  for (long i = 0; i < s->d * s->kstar; i++) s->teacher[i] = dmft_prior_draw(p->teacher_prior, p->teacher_var, p->sparsity, &rng);
  dmft_rng_seed(&rng, p->seed, key, 0, STREAM_INIT);
  for (long j = 0; j < s->d; j++)
    for (int a = 0; a < s->k; a++)
      s->theta[0][j * s->k + a] = init_sd * dmft_prior_draw(p->init_prior, 1.0, p->sparsity, &rng) +
                                  (p->init_overlap != 0 ? p->init_overlap * s->teacher[j * s->kstar + a] : 0.0);
  dmft_rng_seed(&rng, p->seed, key, 0, STREAM_LABELS);
  draw_labels(s, s->X, s->labels, &rng);
  draw_labels(s, s->X_test, s->labels_test, &rng);
  dmft_rng_seed(&rng, p->seed, key, 0, STREAM_KICKS);
  for (int c = 1; c < COPIES; c++) {
    s->started[c] = 0;
    for (long i = 0; i < s->d * s->k; i++) s->directions[c][i] = dmft_rng_uniform(&rng) < 0.5 ? -1.0 : 1.0;
  }
  s->started[0] = 1;
}

static int copies_wanted(const dmft_simulation_options_t *options) { return options->skip_responses ? 1 : COPIES; }

static double mean_loss(const simulation_t *s, const double *X, const double *labels, const double *theta) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->n, s->k, (int)s->d, 1.0, X, (int)s->d, theta, s->k, 0.0,
              s->fields, s->k);
  double loss = 0.0;
  for (long i = 0; i < s->n; i++) loss += dmft_model_loss(&s->problem->model, s->fields + i * s->k, labels[i]);
  return loss / (double)s->n;
}

/* The regularizer's part of a step, coordinate by coordinate: theta <- theta - etabar dt r'(theta)
 * with r = ridge theta^2 / 2 + rho(theta). */
static void regularize(const simulation_t *s, double *theta) {
  const dmft_problem_t *p = s->problem;
  const double step = s->regularizer_step, decay = 1.0 - step * p->ridge;
  if (p->model.regularizer->is_zero) {
    cblas_dscal((int)(s->d * s->k), decay, theta, 1);
    return;
  }
  for (long i = 0; i < s->d * s->k; i++) theta[i] = decay * theta[i] - step * dmft_model_regularizer_slope(&p->model, theta[i]);
}

/* One step of a dense algorithm (every sample weighted) on one copy, with the step's weights. */
static void dense_update(simulation_t *s, double *theta) {
  const dmft_problem_t *p = s->problem;
  const int k = s->k;
  const double h = s->kick;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->n, k, (int)s->d, 1.0, s->X, (int)s->d, theta, k, 0.0,
              s->fields, k);
  for (long i = 0; i < s->n; i++) {
    double *kick = s->kicks + i * k;
    if (s->weights[i] == 0.0) {
      memset(kick, 0, sizeof(double) * (size_t)k);
      continue;
    }
    dmft_model_gradient(&p->model, s->fields + i * k, s->labels[i], kick);
    for (int a = 0; a < k; a++) kick[a] *= h * s->weights[i];
  }
  regularize(s, theta); /* the fields above were taken before it, as the gradient's are */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)s->d, k, (int)s->n, -1.0, s->X, (int)s->d, s->kicks, k, 1.0,
              theta, k);
}

/* One mini-batch step on one copy: batch_members form the batch. */
static void batch_update(simulation_t *s, double *theta) {
  const dmft_problem_t *p = s->problem;
  const int k = s->k;
  const double h = s->kick;
  double field[16], gradient[16];
  for (long b = 0; b < s->batch; b++) {
    const double *x = s->X + s->batch_members[b] * s->d;
    for (int a = 0; a < k; a++) field[a] = cblas_ddot((int)s->d, x, 1, theta + a, k);
    dmft_model_gradient(&p->model, field, s->labels[s->batch_members[b]], gradient);
    for (int a = 0; a < k; a++) s->kicks[b * k + a] = h * gradient[a];
  }
  regularize(s, theta);
  for (long b = 0; b < s->batch; b++) {
    const double *x = s->X + s->batch_members[b] * s->d;
    for (int a = 0; a < k; a++) cblas_daxpy((int)s->d, -s->kicks[b * k + a], x, 1, theta + a, k);
  }
}

/* Momentum in moving-average form: with u = before - theta the plain step's update,
 * v <- beta v + (1 - beta) u and theta <- before - v. */
static void apply_momentum(simulation_t *s, int c) {
  double *theta = s->theta[c], *v = s->velocity[c];
  for (long i = 0; i < s->d * s->k; i++) {
    v[i] = s->beta * v[i] + (1.0 - s->beta) * (s->before[i] - theta[i]);
    theta[i] = s->before[i] - v[i];
  }
}

/* A uniform permutation of order (Fisher–Yates). */
static void shuffle(long *order, long n, dmft_rng_t *rng) {
  for (long i = n - 1; i > 0; i--) {
    const long j = (long)(dmft_rng_uniform(rng) * (double)(i + 1));
    const long swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
}

/* Draws the step's randomness once, then moves every started copy with it. */
static void step_all(simulation_t *s, dmft_rng_t *rng) {
  if (s->algorithm == DMFT_SIMULATE_SGD && s->sampling == DMFT_SAMPLING_IID) {
    /* Partial Fisher–Yates: a uniform batch without replacement. */
    for (long b = 0; b < s->batch; b++) {
      const long j = b + (long)(dmft_rng_uniform(rng) * (double)(s->n - b));
      const long swap = s->order[b];
      s->order[b] = s->order[j];
      s->order[j] = swap;
      s->batch_members[b] = s->order[b];
    }
  } else if (s->algorithm == DMFT_SIMULATE_SGD) {
    /* The next `batch` samples of the permutation; at its end, reshuffling draws a new one
     * (shuffle-once goes round the same one), so a batch may straddle two epochs. */
    for (long b = 0; b < s->batch; b++) {
      if (s->position == s->n) {
        if (s->sampling == DMFT_SAMPLING_RESHUFFLE) shuffle(s->order, s->n, rng);
        s->position = 0;
      }
      s->batch_members[b] = s->order[s->position++];
    }
  } else {
    const double mean = s->mean_weight;
    for (long i = 0; i < s->n; i++) {
      if (s->algorithm == DMFT_SIMULATE_EXTENSIVE) s->weights[i] = dmft_rng_uniform(rng) < mean ? 1.0 : 0.0;
      else if (s->algorithm == DMFT_SIMULATE_SME) s->weights[i] = mean + sqrt(mean) * dmft_rng_normal(rng);
      else s->weights[i] = mean;
    }
  }
  for (int c = 0; c < COPIES; c++) {
    if (!s->started[c]) continue;
    const size_t dk = (size_t)(s->d * s->k);
    if (s->beta != 0) memcpy(s->before, s->theta[c], sizeof(double) * dk);
    if (s->algorithm == DMFT_SIMULATE_SGD) batch_update(s, s->theta[c]);
    else dense_update(s, s->theta[c]);
    if (s->beta != 0) apply_momentum(s, c);
  }
}

/* Kicked copy c starts as theta + eps v, right after the step that ends the response time. */
static void start_copy(simulation_t *s, int c) {
  for (long i = 0; i < s->d * s->k; i++) s->theta[c][i] = s->theta[0][i] + DMFT_RESPONSE_KICK * s->directions[c][i];
  memcpy(s->velocity[c], s->velocity[0], sizeof(double) * (size_t)(s->d * s->k)); /* the run's momentum too */
  s->started[c] = 1;
}

typedef struct {
  double *M, *Q, *train, *test, *metric, *gaussian, *C, *R; /* one seed's values, result layout */
  double *M_sigma, *Q_sigma, *class_M, *class_Q;            /* with a covariance spectrum, else NULL */
} seed_values_t;

/* A spectrum's overlaps of row `row`: M_sigma = theta^T Sigma theta* / d, Q_sigma, and each class's
 * M_j, Q_j over its own coordinates. */
static void record_spectral_row(const simulation_t *s, long row, seed_values_t *values) {
  const int k = s->k, kstar = s->kstar;
  const double *theta = s->theta[0];
  double *M_sigma = values->M_sigma + row * k * kstar, *Q_sigma = values->Q_sigma + row * k * k;
  memset(M_sigma, 0, sizeof(double) * (size_t)(k * kstar));
  memset(Q_sigma, 0, sizeof(double) * (size_t)(k * k));
  for (int c = 0; c < s->classes; c++) {
    double *M_c = values->class_M + (row * s->classes + c) * k * kstar, *Q_c = values->class_Q + (row * s->classes + c) * k * k;
    const long first = s->first_column[c], columns = s->first_column[c + 1] - first;
    const double *theta_c = theta + first * k, *teacher_c = s->teacher + first * kstar;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, kstar, (int)columns, 1.0 / (double)columns, theta_c, k, teacher_c,
                kstar, 0.0, M_c, kstar);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, (int)columns, 1.0 / (double)columns, theta_c, k, theta_c, k, 0.0,
                Q_c, k);
    const double weight = s->eigenvalue[first] * (double)columns / (double)s->d; /* nu_j lambda_j */
    for (int e = 0; e < k * kstar; e++) M_sigma[e] += weight * M_c[e];
    for (int e = 0; e < k * k; e++) Q_sigma[e] += weight * Q_c[e];
  }
}

static void record_row(simulation_t *s, dmft_test_loss_t *rule, long row, seed_values_t *values, const long *response_rows,
                       long rows) {
  const int k = s->k, kstar = s->kstar;
  const double *theta = s->theta[0];
  double *M = values->M + row * k * kstar, *Q = values->Q + row * k * k;
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, kstar, (int)s->d, 1.0 / (double)s->d, theta, k, s->teacher, kstar,
              0.0, M, kstar);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, (int)s->d, 1.0 / (double)s->d, theta, k, theta, k, 0.0, Q, k);
  values->train[row] = mean_loss(s, s->X, s->labels, theta);
  values->test[row] = mean_loss(s, s->X_test, s->labels_test, theta);
  if (values->metric) { /* on the test fields mean_loss just computed */
    double metric = 0.0;
    for (long i = 0; i < s->n; i++) metric += dmft_model_test_metric(&s->problem->model, s->fields + i * k, s->labels_test[i]);
    values->metric[row] = metric / (double)s->n;
  }
  if (s->classes) record_spectral_row(s, row, values);
  values->gaussian[row] = s->classes ? dmft_test_loss_evaluate(rule, values->Q_sigma + row * k * k, values->M_sigma + row * k * kstar)
                                     : dmft_test_loss_evaluate(rule, Q, M);
  memcpy(s->history + row * s->d * k, theta, sizeof(double) * (size_t)(s->d * k));
  for (int c = 1; c < COPIES; c++) {
    if (!s->started[c]) continue;
    /* R(t_row, s_c)_{ab} = sum_j (theta'_ja - theta_ja) v_jb / (eps d) */
    double *R = values->R + (row * rows + response_rows[c - 1]) * k * k;
    for (int a = 0; a < k; a++)
      for (int b = 0; b < k; b++) {
        double sum = 0.0;
        for (long j = 0; j < s->d; j++)
          sum += (s->theta[c][j * k + a] - theta[j * k + a]) * s->directions[c][j * k + b] * (s->eigenvalue ? s->eigenvalue[j] : 1.0);
        R[a * k + b] = sum / (DMFT_RESPONSE_KICK * (double)s->d);
      }
  }
}

/* C(t_i, t_j) = theta_i^T theta_j / d for all rows, from the history, in one product; with a
 * covariance spectrum the Sigma-weighted theta_i^T Sigma theta_j / d. */
static void two_time_correlation(const simulation_t *s, long rows, double *C) {
  const int k = s->k;
  const long width = rows * k;
  /* history is [rows][d][k]; C[i][j][a][b] = sum_l h[i][l][a] h[j][l][b] / d */
  double *gram = malloc(sizeof(double) * (size_t)(width * width));
  double *columns = malloc(sizeof(double) * (size_t)(s->d * width)); /* [d][rows k] */
  if (!gram || !columns) {
    free(gram);
    free(columns);
    return;
  }
  for (long i = 0; i < rows; i++)
    for (long l = 0; l < s->d; l++)
      for (int a = 0; a < k; a++)
        columns[l * width + i * k + a] = s->history[(i * s->d + l) * k + a] * (s->eigenvalue ? s->root_eigenvalue[l] : 1.0);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)width, (int)width, (int)s->d, 1.0 / (double)s->d, columns,
              (int)width, columns, (int)width, 0.0, gram, (int)width);
  for (long i = 0; i < rows; i++)
    for (long j = 0; j < rows; j++)
      for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) C[((i * rows + j) * k + a) * k + b] = gram[(i * k + a) * width + j * k + b];
  free(gram);
  free(columns);
}

/* Running sums of values and squares, turned into means and standard errors at the end. */
static void accumulate(double *sum, double *squares, const double *x, long n) {
  for (long i = 0; i < n; i++) {
    sum[i] += x[i];
    squares[i] += x[i] * x[i];
  }
}

/* Sizes of one seed's values, in doubles. */
typedef struct {
  size_t M, Q, rows, kernel, classes;
} seed_sizes_t;

static int seed_values_alloc(seed_values_t *v, seed_sizes_t n, int metric) {
  *v = (seed_values_t){.M = malloc(sizeof(double) * n.M), .Q = malloc(sizeof(double) * n.Q),
                       .train = malloc(sizeof(double) * n.rows), .test = malloc(sizeof(double) * n.rows),
                       .gaussian = malloc(sizeof(double) * n.rows), .C = malloc(sizeof(double) * n.kernel),
                       .R = malloc(sizeof(double) * n.kernel), .metric = metric ? malloc(sizeof(double) * n.rows) : NULL};
  if (n.classes > 0) {
    v->M_sigma = malloc(sizeof(double) * n.M);
    v->Q_sigma = malloc(sizeof(double) * n.Q);
    v->class_M = malloc(sizeof(double) * n.M * n.classes);
    v->class_Q = malloc(sizeof(double) * n.Q * n.classes);
    if (!v->M_sigma || !v->Q_sigma || !v->class_M || !v->class_Q) return DMFT_ENOMEM;
  }
  return v->M && v->Q && v->train && v->test && v->gaussian && v->C && v->R && (!metric || v->metric) ? DMFT_OK : DMFT_ENOMEM;
}

static void seed_values_free(seed_values_t *v) {
  free(v->M);
  free(v->Q);
  free(v->train);
  free(v->test);
  free(v->metric);
  free(v->gaussian);
  free(v->C);
  free(v->R);
  free(v->M_sigma);
  free(v->Q_sigma);
  free(v->class_M);
  free(v->class_Q);
}

/* Under MPI: one seed's values from the rank that ran it to every rank. */
static void broadcast_seed_values(seed_values_t *v, seed_sizes_t n, int root) {
  dmft_ranks_broadcast(v->M, sizeof(double) * n.M, root);
  dmft_ranks_broadcast(v->Q, sizeof(double) * n.Q, root);
  dmft_ranks_broadcast(v->train, sizeof(double) * n.rows, root);
  dmft_ranks_broadcast(v->test, sizeof(double) * n.rows, root);
  if (v->metric) dmft_ranks_broadcast(v->metric, sizeof(double) * n.rows, root);
  dmft_ranks_broadcast(v->gaussian, sizeof(double) * n.rows, root);
  dmft_ranks_broadcast(v->C, sizeof(double) * n.kernel, root);
  dmft_ranks_broadcast(v->R, sizeof(double) * n.kernel, root);
  if (n.classes > 0) {
    dmft_ranks_broadcast(v->M_sigma, sizeof(double) * n.M, root);
    dmft_ranks_broadcast(v->Q_sigma, sizeof(double) * n.Q, root);
    dmft_ranks_broadcast(v->class_M, sizeof(double) * n.M * n.classes, root);
    dmft_ranks_broadcast(v->class_Q, sizeof(double) * n.Q * n.classes, root);
  }
}

static void finish(double *mean, double *se, long n, int seeds) {
  for (long i = 0; i < n; i++) {
    const double average = mean[i] / seeds;
    const double variance = seeds > 1 ? (se[i] - seeds * average * average) / (seeds - 1) : NAN;
    mean[i] = average;
    se[i] = seeds > 1 ? sqrt(fmax(variance, 0.0) / seeds) : NAN;
  }
}

int dmft_simulation_check(const dmft_problem_t *problem, const dmft_simulation_options_t *options, char *message,
                          size_t size) {
  if (options->n < 10 || options->n > 100000000) {
    snprintf(message, size, "--n must be an integer from 10 to 1e8 (got %ld)", options->n);
    return DMFT_EINVAL;
  }
  if (options->seeds < 1 || options->seeds > 100000) {
    snprintf(message, size, "--seeds must be an integer from 1 to 100000 (got %d)", options->seeds);
    return DMFT_EINVAL;
  }
  if (!(options->alpha >= 0.0 && options->alpha < 1.0)) {
    snprintf(message, size, "--alpha must be a number in [0, 1) (got %g)", options->alpha);
    return DMFT_EINVAL;
  }
  if (!(options->max_mem >= 0.0)) {
    snprintf(message, size, "--max-mem must be a number of GiB > 0 (got %g)", options->max_mem / 1073741824.0);
    return DMFT_EINVAL;
  }
  const double d = (double)options->n / problem->gamma;
  if (!(d >= 1.0 && d <= MAX_DIMENSION)) {
    snprintf(message, size, "--gamma: the simulation's dimension d = n / gamma must be from 1 to %.0e (got %.3g for n %ld)",
             MAX_DIMENSION, d, options->n);
    return DMFT_EINVAL;
  }
  if (problem->spectrum.classes > 0) {
    long columns[DMFT_SPECTRUM_MAX_CLASSES];
    dmft_spectrum_columns(&problem->spectrum, dimension_of(problem, options->n), columns);
    for (int c = 0; c < problem->spectrum.classes; c++)
      if (columns[c] == 0) {
        snprintf(message, size, "--spectrum: class %d (weight %g) gets no coordinate of the simulation's d = %ld; raise --n", c + 1,
                 problem->spectrum.weight[c], dimension_of(problem, options->n));
        return DMFT_EINVAL;
      }
  }
  const double steps = problem->tmax / step_time_of(problem, options);
  if (!(steps <= MAX_SIMULATION_STEPS)) {
    snprintf(message, size, "--kappa: the simulation would take %.3g steps up to --tmax, more than %.0e; lower --kappa, "
             "--tmax or --n, or raise --alpha", steps, MAX_SIMULATION_STEPS);
    return DMFT_EINVAL;
  }
  const double needed = dmft_simulation_bytes(problem, options);
  const double machine = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGE_SIZE);
  const double limit = options->max_mem > 0 ? options->max_mem : 0.85 * machine;
  if (needed > limit) {
    snprintf(message, size,
             "--n: the simulation needs about %.2f GiB (training and test data, n x d doubles each), more than the "
             "%.2f GiB allowed (--max-mem, or 85%% of this machine); lower --n",
             needed / 1073741824.0, limit / 1073741824.0);
    return DMFT_EINVAL;
  }
  if (options->sampling != DMFT_SAMPLING_IID && options->algorithm != DMFT_SIMULATE_SGD) {
    snprintf(message, size, "--simulate %s draws no batches by epochs: a sampling scheme (%s) needs --simulate sgd",
             dmft_algorithm_name(options->algorithm), dmft_sampling_name(options->sampling));
    return DMFT_EINVAL;
  }
  const double kappa = dmft_problem_largest_kappa(problem);
  if (options->algorithm == DMFT_SIMULATE_EXTENSIVE && kappa * problem->dt > 1.0) {
    snprintf(message, size, "--simulate extensive needs kappa*dt <= 1 (got %g%s)", kappa * problem->dt,
             kappa != problem->kappa ? " at the largest kappa of the schedule" : "");
    return DMFT_EINVAL;
  }
  return DMFT_OK;
}

static int allocate_state(simulation_t *s, long rows) {
  const size_t nd = (size_t)s->n * (size_t)s->d, dk = (size_t)(s->d * s->k);
  s->X = malloc(sizeof(double) * nd);
  s->X_test = malloc(sizeof(double) * nd);
  s->teacher = malloc(sizeof(double) * (size_t)(s->d * s->kstar));
  int ok = s->X && s->X_test && s->teacher;
  for (int c = 0; c < COPIES; c++) {
    s->theta[c] = malloc(sizeof(double) * dk);
    s->directions[c] = malloc(sizeof(double) * dk);
    s->velocity[c] = calloc(dk, sizeof(double));
    ok = ok && s->velocity[c];
    ok = ok && s->theta[c] && s->directions[c];
  }
  s->labels = malloc(sizeof(double) * (size_t)s->n);
  s->labels_test = malloc(sizeof(double) * (size_t)s->n);
  s->fields = malloc(sizeof(double) * (size_t)(s->n * (s->k > s->kstar ? s->k : s->kstar)));
  s->kicks = malloc(sizeof(double) * (size_t)(s->n * s->k));
  s->weights = malloc(sizeof(double) * (size_t)s->n);
  s->order = malloc(sizeof(long) * (size_t)s->n);
  s->batch_members = malloc(sizeof(long) * (size_t)s->n);
  s->before = malloc(sizeof(double) * dk);
  ok = ok && s->before;
  s->history = malloc(sizeof(double) * (size_t)rows * dk);
  if (s->classes > 0) {
    s->eigenvalue = malloc(sizeof(double) * (size_t)s->d);
    s->root_eigenvalue = malloc(sizeof(double) * (size_t)s->d);
    ok = ok && s->eigenvalue && s->root_eigenvalue;
    for (int c = 0; ok && c < s->classes; c++)
      for (long j = s->first_column[c]; j < s->first_column[c + 1]; j++) {
        s->eigenvalue[j] = s->problem->spectrum.eigenvalue[c];
        s->root_eigenvalue[j] = sqrt(s->eigenvalue[j]);
      }
  }
  ok = ok && s->labels && s->labels_test && s->fields && s->kicks && s->weights && s->order && s->batch_members && s->history;
  return ok ? DMFT_OK : DMFT_ENOMEM;
}

/* One seed: its instance, the run, its values. */
static void run_seed(simulation_t *s, const dmft_problem_t *problem, const dmft_simulation_options_t *options,
                     dmft_test_loss_t *rule, int seed, dmft_result_t *r, dmft_simulation_t *out, seed_values_t *values,
                     dmft_progress_fn progress, void *user) {
  const long rows = r->rows;
  const size_t kernel = (size_t)(rows * rows) * (size_t)(s->k * s->k);
  const long total_steps = lround(r->t[rows - 1] / s->step_time);
  draw_instance(s, problem, seed);
  for (long i = 0; i < s->n; i++) s->order[i] = i;
  s->position = s->n; /* reshuffle: the first step draws the first epoch's permutation */
  for (int c = 0; c < COPIES; c++) memset(s->velocity[c], 0, sizeof(double) * (size_t)(s->d * s->k)); /* v_0 = 0 */
  for (size_t i = 0; i < kernel; i++) values->R[i] = NAN;
  dmft_rng_t rng;
  dmft_rng_seed(&rng, problem->seed, 1000 + (uint64_t)seed, 0, STREAM_STEPS);
  if (s->sampling == DMFT_SAMPLING_SHUFFLE_ONCE) {
    shuffle(s->order, s->n, &rng); /* the one permutation of the whole run */
    s->position = 0;
  }
  long done_steps = 0;
  for (long row = 0; row < rows; row++) {
    /* Mini-batch steps are finer than dt: a row is recorded at the step nearest its time. */
    const long target = lround(r->t[row] / s->step_time);
    for (; done_steps < target; done_steps++) {
      set_step_coefficients(s, options, done_steps);
      step_all(s, &rng);
      for (int c = 1; c < copies_wanted(options); c++)
        if (!s->started[c] && done_steps == lround(r->t[out->response_rows[c - 1]] / s->step_time)) start_copy(s, c);
    }
    r->t[row] = (double)done_steps * s->step_time;
    record_row(s, rule, row, values, out->response_rows, rows);
    if (progress) progress(((double)seed + (double)done_steps / (double)(total_steps > 0 ? total_steps : 1)) / options->seeds, user);
  }
  two_time_correlation(s, rows, values->C);
}

int dmft_simulate(const dmft_problem_t *problem, const dmft_simulation_options_t *options, dmft_progress_fn progress,
                  void *user, dmft_simulation_t **result, char *message, size_t message_size) {
  *result = NULL;
  int status = dmft_simulation_check(problem, options, message, message_size);
  if (status != DMFT_OK) return status;
  dmft_simulation_t *out = calloc(1, sizeof *out);
  if (!out) return DMFT_ENOMEM;
  out->result = dmft_result_alloc(problem);
  dmft_result_t *r = out->result;
  const int k = problem->model.k, kstar = problem->model.kstar;
  simulation_t s = {.problem = problem, .algorithm = options->algorithm, .sampling = options->sampling, .n = options->n,
                    .d = dimension_of(problem, options->n), .k = k, .kstar = kstar};
  s.batch = batch_of(problem, options);
  s.step_time = step_time_of(problem, options);
  s.beta = problem->momentum_time > 0 ? exp(-s.step_time / problem->momentum_time) : 0.0;
  /* The test fields' teacher variance: the realized mean eigenvalue times teacher_var. */
  double field_teacher_var = problem->teacher_var;
  if (problem->spectrum.classes > 0) {
    s.classes = problem->spectrum.classes;
    dmft_spectrum_columns(&problem->spectrum, s.d, out->spectrum_columns);
    double mean = 0.0;
    for (int c = 0; c < s.classes; c++) {
      s.first_column[c + 1] = s.first_column[c] + out->spectrum_columns[c];
      mean += problem->spectrum.eigenvalue[c] * (double)out->spectrum_columns[c] / (double)s.d;
    }
    field_teacher_var *= mean;
  }
  out->algorithm = options->algorithm;
  out->sampling = options->sampling;
  out->n = s.n, out->d = s.d, out->batch = s.batch, out->step_time = s.step_time;
  const long rows = r ? r->rows : 0;
  const size_t kk = (size_t)(k * k), kks = (size_t)(k * kstar), rows_squared = (size_t)(rows * rows);
  const seed_sizes_t sizes = {.M = (size_t)rows * kks, .Q = (size_t)rows * kk, .rows = (size_t)rows, .kernel = rows_squared * kk,
                              .classes = (size_t)s.classes};
  /* Under mpirun the seeds are spread over the ranks, rank j running seeds j, j + P, ...; each
   * round's values go to every rank and are summed in seed order, so any P gives the same bits. */
  const int ranks = problem->this_rank_alone ? 1 : dmft_ranks_size(), me = ranks > 1 ? dmft_ranks_rank() : 0;
  const int metric = r && r->test_metric;
  seed_values_t values, received = {0};
  int allocated = seed_values_alloc(&values, sizes, metric);
  if (ranks > 1 && allocated == DMFT_OK) allocated = seed_values_alloc(&received, sizes, metric);
  out->test_loss_gaussian = calloc((size_t)rows, sizeof(double));
  out->test_loss_gaussian_se = calloc((size_t)rows, sizeof(double));
  dmft_test_loss_t *rule = NULL;
  if (!r || allocated != DMFT_OK || !out->test_loss_gaussian || !out->test_loss_gaussian_se || allocate_state(&s, rows) != DMFT_OK ||
      dmft_test_loss_create(&problem->model, field_teacher_var, problem->seed, 999, &rule) != DMFT_OK)
    status = DMFT_ENOMEM;
  /* The response columns: rows at a quarter and at half of the horizon. */
  for (int c = 0; c < DMFT_RESPONSE_COLUMNS; c++) out->response_rows[c] = rows > 0 ? (rows - 1) * (c + 1) / 4 : 0;
  if (r) {
    r->groups = options->seeds;
    r->rows_done = rows;
  }

  for (int round = 0; status == DMFT_OK && round < options->seeds; round += ranks) {
    const int seed = round + me;
    if (seed < options->seeds) run_seed(&s, problem, options, rule, seed, r, out, &values, progress, user);
    for (int j = 0; j < ranks && round + j < options->seeds; j++) {
      seed_values_t *v = j == me ? &values : &received;
      if (ranks > 1) broadcast_seed_values(v, sizes, j);
      accumulate(r->M, r->M_se, v->M, rows * (long)kks);
      accumulate(r->Q, r->Q_se, v->Q, rows * (long)kk);
      accumulate(r->train_loss, r->train_loss_se, v->train, rows);
      accumulate(r->test_loss, r->test_loss_se, v->test, rows);
      if (v->metric) accumulate(r->test_metric, r->test_metric_se, v->metric, rows);
      accumulate(out->test_loss_gaussian, out->test_loss_gaussian_se, v->gaussian, rows);
      accumulate(r->C, r->C_se, v->C, (long)(rows_squared * kk));
      accumulate(r->R, r->R_se, v->R, (long)(rows_squared * kk));
      if (s.classes > 0) {
        accumulate(r->M_sigma, r->M_sigma_se, v->M_sigma, rows * (long)kks);
        accumulate(r->Q_sigma, r->Q_sigma_se, v->Q_sigma, rows * (long)kk);
        accumulate(r->class_M, r->class_M_se, v->class_M, rows * (long)kks * s.classes);
        accumulate(r->class_Q, r->class_Q_se, v->class_Q, rows * (long)kk * s.classes);
      }
    }
  }
  /* The times of the rows, rounded to whole mini-batch steps, as rank 0's seeds had them. */
  if (r && ranks > 1) dmft_ranks_broadcast(r->t, sizeof(double) * (size_t)rows, 0);
  if (status == DMFT_OK) {
    finish(r->M, r->M_se, rows * (long)kks, options->seeds);
    finish(r->Q, r->Q_se, rows * (long)kk, options->seeds);
    finish(r->train_loss, r->train_loss_se, rows, options->seeds);
    finish(r->test_loss, r->test_loss_se, rows, options->seeds);
    if (values.metric) finish(r->test_metric, r->test_metric_se, rows, options->seeds);
    finish(out->test_loss_gaussian, out->test_loss_gaussian_se, rows, options->seeds);
    finish(r->C, r->C_se, (long)(rows_squared * kk), options->seeds);
    finish(r->R, r->R_se, (long)(rows_squared * kk), options->seeds);
    if (s.classes > 0) {
      finish(r->M_sigma, r->M_sigma_se, rows * (long)kks, options->seeds);
      finish(r->Q_sigma, r->Q_sigma_se, rows * (long)kk, options->seeds);
      finish(r->class_M, r->class_M_se, rows * (long)kks * s.classes, options->seeds);
      finish(r->class_Q, r->class_Q_se, rows * (long)kk * s.classes, options->seeds);
    }
    *result = out;
  } else {
    snprintf(message, message_size, "%s", dmft_strerror(status));
    dmft_simulation_free(&out);
  }
  dmft_test_loss_free(&rule);
  free_state(&s);
  seed_values_free(&values);
  seed_values_free(&received);
  return status;
}

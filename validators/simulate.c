/* The finite-n simulator (see dmft/simulate.h). Matrix work goes through OpenBLAS; every seed
 * has its own random streams, so seeds are independent and reproducible. */
#include "dmft/simulate.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/rng.h"
#include "dmft/status.h"

enum { STREAM_DATA = 10, STREAM_TEACHER = 11, STREAM_INIT = 12, STREAM_LABELS = 13, STREAM_BATCHES = 14 };

typedef struct {
  const dmft_problem_t *problem;
  long n, d;
  int k, kstar;
  double *X;        /* [n][d] */
  double *teacher;  /* [d][kstar] */
  double *theta;    /* [d][k] */
  double *labels;   /* [n] */
  double *fields;   /* [n][k] */
  double *kicks;    /* [n][k] */
  long *order;      /* [n], sgd batches */
} simulation_t;

static long dimension_of(const dmft_problem_t *problem, long n) {
  const long d = lround((double)n / problem->gamma);
  return d > 0 ? d : 1;
}

double dmft_simulation_bytes(const dmft_problem_t *problem, const dmft_simulation_options_t *options) {
  const double n = (double)options->n, d = (double)dimension_of(problem, options->n);
  const int k = problem->model.k, kstar = problem->model.kstar;
  return 8.0 * (n * d + d * (k + kstar) + n * (3.0 + 2.0 * k));
}

void dmft_simulation_free(dmft_simulation_t **result) {
  dmft_simulation_t *r = *result;
  if (!r) return;
  free(r->t);
  free(r->M);
  free(r->M_se);
  free(r->Q);
  free(r->Q_se);
  free(r->train_loss);
  free(r->train_loss_se);
  free(r);
  *result = NULL;
}

static void free_simulation(simulation_t *s) {
  free(s->X);
  free(s->teacher);
  free(s->theta);
  free(s->labels);
  free(s->fields);
  free(s->kicks);
  free(s->order);
}

/* Draws the data, teacher, initialization and labels of one seed. */
static void draw_instance(simulation_t *s, int seed_index) {
  const dmft_problem_t *p = s->problem;
  dmft_rng_t rng;
  dmft_rng_seed(&rng, p->seed, 1000 + (uint64_t)seed_index, 0, STREAM_DATA);
  const double scale = 1.0 / sqrt((double)s->d);
  for (long i = 0; i < s->n * s->d; i++) s->X[i] = scale * dmft_rng_normal(&rng);
  dmft_rng_seed(&rng, p->seed, 1000 + (uint64_t)seed_index, 0, STREAM_TEACHER);
  const double teacher_sd = sqrt(p->teacher_var);
  for (long i = 0; i < s->d * s->kstar; i++) s->teacher[i] = teacher_sd * dmft_rng_normal(&rng);
  dmft_rng_seed(&rng, p->seed, 1000 + (uint64_t)seed_index, 0, STREAM_INIT);
  const double init_sd = sqrt(p->theta0_var);
  for (long j = 0; j < s->d; j++)
    for (int a = 0; a < s->k; a++)
      s->theta[j * s->k + a] = init_sd * dmft_rng_normal(&rng) + (p->init_overlap != 0 ? p->init_overlap * s->teacher[j * s->kstar + a] : 0.0);
  /* Labels from the teacher's pre-activations x_i^T theta*. */
  double *teacher_fields = malloc(sizeof(double) * (size_t)s->n * (size_t)s->kstar);
  if (!teacher_fields) return;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->n, s->kstar, (int)s->d, 1.0, s->X, (int)s->d, s->teacher,
              s->kstar, 0.0, teacher_fields, s->kstar);
  dmft_rng_seed(&rng, p->seed, 1000 + (uint64_t)seed_index, 0, STREAM_LABELS);
  for (long i = 0; i < s->n; i++) {
    const double eps = dmft_rng_normal(&rng), flip_uniform = dmft_rng_uniform(&rng);
    s->labels[i] = dmft_model_label(&p->model, teacher_fields + i * s->kstar, eps, flip_uniform);
  }
  free(teacher_fields);
}

static void record(const simulation_t *s, long row, double *M, double *Q, double *train) {
  const int k = s->k, kstar = s->kstar;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->n, k, (int)s->d, 1.0, s->X, (int)s->d, s->theta, k, 0.0,
              s->fields, k);
  double *M_row = M + row * k * kstar, *Q_row = Q + row * k * k;
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, kstar, (int)s->d, 1.0 / (double)s->d, s->theta, k, s->teacher,
              kstar, 0.0, M_row, kstar);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, (int)s->d, 1.0 / (double)s->d, s->theta, k, s->theta, k, 0.0,
              Q_row, k);
  double loss = 0.0;
  for (long i = 0; i < s->n; i++) loss += dmft_model_loss(&s->problem->model, s->fields + i * k, s->labels[i]);
  train[row] = loss / (double)s->n;
}

/* One step of length step_time with per-sample weights dz (dense algorithms). */
static void dense_step(simulation_t *s, dmft_rng_t *rng, dmft_algorithm_t algorithm, double step_time) {
  const dmft_problem_t *p = s->problem;
  const int k = s->k;
  const double h = p->eta / p->kappa, mean = p->kappa * step_time;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->n, k, (int)s->d, 1.0, s->X, (int)s->d, s->theta, k, 0.0,
              s->fields, k);
  for (long i = 0; i < s->n; i++) {
    double dz = mean;
    if (algorithm == DMFT_SIMULATE_EXTENSIVE) dz = dmft_rng_uniform(rng) < mean ? 1.0 : 0.0;
    else if (algorithm == DMFT_SIMULATE_SME) dz = mean + sqrt(mean) * dmft_rng_normal(rng);
    double *kick = s->kicks + i * k;
    if (dz == 0.0) {
      memset(kick, 0, sizeof(double) * (size_t)k);
      continue;
    }
    dmft_model_gradient(&p->model, s->fields + i * k, s->labels[i], kick);
    for (int a = 0; a < k; a++) kick[a] *= h * dz;
  }
  const double decay = 1.0 - p->eta * step_time * p->ridge;
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)s->d, k, (int)s->n, -1.0, s->X, (int)s->d, s->kicks, k, decay,
              s->theta, k);
}

/* One mini-batch step: only the batch's rows are touched. */
static void batch_step(simulation_t *s, dmft_rng_t *rng, long batch, double step_time) {
  const dmft_problem_t *p = s->problem;
  const int k = s->k;
  const double h = p->eta / p->kappa;
  double field[16], kick[16];
  /* Partial Fisher–Yates: the first `batch` entries of order become a uniform sample without
   * replacement. */
  for (long b = 0; b < batch; b++) {
    const long j = b + (long)(dmft_rng_uniform(rng) * (double)(s->n - b));
    const long swap = s->order[b];
    s->order[b] = s->order[j];
    s->order[j] = swap;
  }
  /* Gradients at the parameters before the step, for the whole batch, then the update. */
  for (long b = 0; b < batch; b++) {
    const long i = s->order[b];
    const double *x = s->X + i * s->d;
    for (int a = 0; a < k; a++) field[a] = cblas_ddot((int)s->d, x, 1, s->theta + a, k);
    dmft_model_gradient(&p->model, field, s->labels[i], kick);
    for (int a = 0; a < k; a++) s->kicks[b * k + a] = h * kick[a];
  }
  cblas_dscal((int)(s->d * k), 1.0 - p->eta * step_time * p->ridge, s->theta, 1);
  for (long b = 0; b < batch; b++) {
    const double *x = s->X + s->order[b] * s->d;
    for (int a = 0; a < k; a++) cblas_daxpy((int)s->d, -s->kicks[b * k + a], x, 1, s->theta + a, k);
  }
}

static int allocate_result(dmft_simulation_t **result, int k, int kstar, long rows) {
  dmft_simulation_t *r = calloc(1, sizeof *r);
  *result = r;
  if (!r) return DMFT_ENOMEM;
  r->k = k;
  r->kstar = kstar;
  r->rows = rows;
  r->t = calloc((size_t)rows, sizeof(double));
  r->M = calloc((size_t)(rows * k * kstar), sizeof(double));
  r->M_se = calloc((size_t)(rows * k * kstar), sizeof(double));
  r->Q = calloc((size_t)(rows * k * k), sizeof(double));
  r->Q_se = calloc((size_t)(rows * k * k), sizeof(double));
  r->train_loss = calloc((size_t)rows, sizeof(double));
  r->train_loss_se = calloc((size_t)rows, sizeof(double));
  return r->t && r->M && r->M_se && r->Q && r->Q_se && r->train_loss && r->train_loss_se ? DMFT_OK : DMFT_ENOMEM;
}

/* Adds x to the running sum and sum of squares of one observable. */
static void accumulate(double *sum, double *squares, const double *x, long n) {
  for (long i = 0; i < n; i++) {
    sum[i] += x[i];
    squares[i] += x[i] * x[i];
  }
}

static void finish_mean(double *mean, double *se, long n, int seeds) {
  for (long i = 0; i < n; i++) {
    const double average = mean[i] / seeds;
    const double variance = seeds > 1 ? (se[i] - seeds * average * average) / (seeds - 1) : NAN;
    mean[i] = average;
    se[i] = seeds > 1 ? sqrt(fmax(variance, 0.0) / seeds) : NAN;
  }
}

int dmft_simulate(const dmft_problem_t *problem, const dmft_simulation_options_t *options, dmft_simulation_t **result,
                  char *message, size_t message_size) {
  *result = NULL;
  if (options->n < 2 || options->seeds < 1 || !(options->alpha >= 0.0 && options->alpha < 1.0) || problem->model.k > 16) {
    snprintf(message, message_size, "--n must be >= 2, --seeds >= 1 and --alpha in [0, 1) (got n %ld, seeds %d, alpha %g)",
             options->n, options->seeds, options->alpha);
    return DMFT_EINVAL;
  }
  const double needed = dmft_simulation_bytes(problem, options);
  const double available = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGE_SIZE);
  if (needed > 0.85 * available) {
    snprintf(message, message_size, "--n: the simulation needs about %.1f GiB for the data matrix, more than the %.1f GiB "
             "this machine can give; lower --n", needed / 1073741824.0, 0.85 * available / 1073741824.0);
    return DMFT_EINVAL;
  }
  const long steps = dmft_problem_steps(problem), every = dmft_problem_output_every(problem);
  const long rows = steps / every + 1 + (steps % every != 0);
  const int k = problem->model.k, kstar = problem->model.kstar;
  simulation_t s = {.problem = problem, .n = options->n, .d = dimension_of(problem, options->n), .k = k, .kstar = kstar};
  s.X = malloc(sizeof(double) * (size_t)s.n * (size_t)s.d);
  s.teacher = malloc(sizeof(double) * (size_t)(s.d * kstar));
  s.theta = malloc(sizeof(double) * (size_t)(s.d * k));
  s.labels = malloc(sizeof(double) * (size_t)s.n);
  s.fields = malloc(sizeof(double) * (size_t)(s.n * k));
  s.kicks = malloc(sizeof(double) * (size_t)(s.n * k));
  s.order = malloc(sizeof(long) * (size_t)s.n);
  double *M = malloc(sizeof(double) * (size_t)(rows * k * kstar)), *Q = malloc(sizeof(double) * (size_t)(rows * k * k));
  double *train = malloc(sizeof(double) * (size_t)rows);
  int status = allocate_result(result, k, kstar, rows);
  if (!s.X || !s.teacher || !s.theta || !s.labels || !s.fields || !s.kicks || !s.order || !M || !Q || !train)
    status = DMFT_ENOMEM;

  /* Mini-batch SGD steps are finer than dt: kappa_n / (kappa n) each; a row is recorded at the
   * step nearest to its time. */
  const long batch = lround(problem->kappa * pow((double)s.n, options->alpha)) > 0 ? lround(problem->kappa * pow((double)s.n, options->alpha)) : 1;
  const double sgd_step_time = (double)batch / (problem->kappa * (double)s.n);
  dmft_simulation_t *r = *result;
  for (int seed = 0; status == DMFT_OK && seed < options->seeds; seed++) {
    draw_instance(&s, seed);
    for (long i = 0; i < s.n; i++) s.order[i] = i;
    dmft_rng_t rng;
    dmft_rng_seed(&rng, problem->seed, 1000 + (uint64_t)seed, 0, STREAM_BATCHES);
    long done_steps = 0;
    for (long row = 0; row < rows; row++) {
      const long grid_step = row * every < steps ? row * every : steps;
      const double target = (double)grid_step * problem->dt;
      if (options->algorithm == DMFT_SIMULATE_SGD) {
        const long target_steps = lround(target / sgd_step_time);
        for (; done_steps < target_steps; done_steps++) batch_step(&s, &rng, batch, sgd_step_time);
        r->t[row] = (double)done_steps * sgd_step_time;
      } else {
        for (; done_steps < grid_step; done_steps++) dense_step(&s, &rng, options->algorithm, problem->dt);
        r->t[row] = target;
      }
      record(&s, row, M, Q, train);
    }
    accumulate(r->M, r->M_se, M, rows * k * kstar);
    accumulate(r->Q, r->Q_se, Q, rows * k * k);
    accumulate(r->train_loss, r->train_loss_se, train, rows);
  }
  if (status == DMFT_OK) {
    finish_mean(r->M, r->M_se, rows * k * kstar, options->seeds);
    finish_mean(r->Q, r->Q_se, rows * k * k, options->seeds);
    finish_mean(r->train_loss, r->train_loss_se, rows, options->seeds);
  } else {
    dmft_simulation_free(result);
    snprintf(message, message_size, "%s", dmft_strerror(status));
  }
  free_simulation(&s);
  free(M);
  free(Q);
  free(train);
  return status;
}

/* The solver's front: splits the paths into replica groups, runs them on threads, reads each
 * group's kernels on the output grid, and reduces the groups to means and standard errors in
 * group order, so that the thread count cannot change a bit of the result. */
#include "dmft/solver.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dmft/dmft.h"
#include "kernels.h"
#include "checkpoint.h"
#include "replica.h"
#include "dmft/test_loss.h"

const char *dmft_version(void) { return DMFT_VERSION_STRING; }

/* One group's values on the output grid, laid out as in dmft_result_t. */
typedef struct {
  double *M, *Q, *train_loss, *test_loss, *test_metric, *C, *R;
  long rows_done;
  long long path_updates, path_checks;
  int status;
} group_output_t;

void dmft_result_free(dmft_result_t **result) {
  dmft_result_t *r = *result;
  if (!r) return;
  free(r->step);
  free(r->t);
  free(r->M);
  free(r->M_se);
  free(r->Q);
  free(r->Q_se);
  free(r->train_loss);
  free(r->train_loss_se);
  free(r->test_loss);
  free(r->test_loss_se);
  free(r->test_metric);
  free(r->test_metric_se);
  free(r->C);
  free(r->C_se);
  free(r->R);
  free(r->R_se);
  free(r->group_M);
  free(r->group_Q);
  free(r->group_train_loss);
  free(r->group_test_loss);
  free(r);
  *result = NULL;
}

dmft_result_t *dmft_result_alloc(const dmft_problem_t *problem) {
  dmft_result_t *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  const int k = problem->model.k, kstar = problem->model.kstar;
  r->k = k;
  r->kstar = kstar;
  r->groups = dmft_problem_groups(problem);
  r->steps = dmft_problem_steps(problem);
  r->diverged_at = -1.0;
  const long every = dmft_problem_output_every(problem);
  r->rows = r->steps / every + 1 + (r->steps % every != 0);
  const size_t rows = (size_t)r->rows, kk = (size_t)(k * k), kks = (size_t)(k * kstar);
  r->step = malloc(sizeof(long) * rows);
  r->t = malloc(sizeof(double) * rows);
  r->M = calloc(rows * kks, sizeof(double));
  r->M_se = calloc(rows * kks, sizeof(double));
  r->Q = calloc(rows * kk, sizeof(double));
  r->Q_se = calloc(rows * kk, sizeof(double));
  r->train_loss = calloc(rows, sizeof(double));
  r->train_loss_se = calloc(rows, sizeof(double));
  r->test_loss = calloc(rows, sizeof(double));
  r->test_loss_se = calloc(rows, sizeof(double));
  r->C = calloc(rows * rows * kk, sizeof(double));
  r->C_se = calloc(rows * rows * kk, sizeof(double));
  r->R = calloc(rows * rows * kk, sizeof(double));
  r->R_se = calloc(rows * rows * kk, sizeof(double));
  if (problem->model.loss->test_metric) {
    r->test_metric_name = problem->model.loss->test_metric_name ? problem->model.loss->test_metric_name : "test metric";
    r->test_metric = calloc(rows, sizeof(double));
    r->test_metric_se = calloc(rows, sizeof(double));
    if (!r->test_metric || !r->test_metric_se) {
      dmft_result_free(&r);
      return NULL;
    }
  }
  if (!r->step || !r->t || !r->M || !r->M_se || !r->Q || !r->Q_se || !r->train_loss || !r->train_loss_se ||
      !r->test_loss || !r->test_loss_se || !r->C || !r->C_se || !r->R || !r->R_se) {
    dmft_result_free(&r);
    return NULL;
  }
  for (long i = 0; i < r->rows; i++) {
    r->step[i] = i * every < r->steps ? i * every : r->steps;
    r->t[i] = (double)r->step[i] * problem->dt;
  }
  return r;
}

static void group_output_free(group_output_t *out) {
  free(out->M);
  free(out->Q);
  free(out->train_loss);
  free(out->test_loss);
  free(out->test_metric);
  free(out->C);
  free(out->R);
}

static int group_output_alloc(group_output_t *out, const dmft_result_t *r) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k);
  out->M = calloc(rows * (size_t)(r->k * r->kstar), sizeof(double));
  out->Q = calloc(rows * kk, sizeof(double));
  out->train_loss = calloc(rows, sizeof(double));
  out->test_loss = calloc(rows, sizeof(double));
  out->C = calloc(rows * rows * kk, sizeof(double));
  out->R = calloc(rows * rows * kk, sizeof(double));
  out->test_metric = r->test_metric ? calloc(rows, sizeof(double)) : NULL;
  if (r->test_metric && !out->test_metric) return DMFT_ENOMEM;
  return out->M && out->Q && out->train_loss && out->test_loss && out->C && out->R ? DMFT_OK : DMFT_ENOMEM;
}

/* Copies the group's kernels at the output steps before its first diverged step. */
static int read_group(const dmft_problem_t *problem, const dmft_result_t *r, dmft__kernels_t *kernels, int group,
                      long diverged_step, group_output_t *out) {
  const int k = r->k, kstar = r->kstar;
  const size_t kk = (size_t)(k * k), kks = (size_t)(k * kstar), rows = (size_t)r->rows;
  long done = 0;
  while (done < r->rows && (diverged_step < 0 || r->step[done] < diverged_step)) done++;
  out->rows_done = done;
  dmft_test_loss_t *rule = NULL;
  int status = dmft_test_loss_create(&problem->model, problem->teacher_var, problem->seed, (uint64_t)group, &rule);
  for (long i = 0; status == DMFT_OK && i < done; i++) {
    const long s = r->step[i];
    memcpy(out->M + (size_t)i * kks, kernels->M + (size_t)s * kks, sizeof(double) * kks);
    memcpy(out->Q + (size_t)i * kk, dmft__block(kernels->C, s, s, k), sizeof(double) * kk);
    out->train_loss[i] = kernels->train_loss[s];
    out->test_loss[i] = dmft_test_loss_evaluate(rule, out->Q + (size_t)i * kk, out->M + (size_t)i * kks);
    if (out->test_metric)
      out->test_metric[i] = dmft_test_metric_evaluate(rule, out->Q + (size_t)i * kk, out->M + (size_t)i * kks);
    for (long j = 0; j < done; j++) {
      const long u = r->step[j];
      double *C = out->C + ((size_t)i * rows + (size_t)j) * kk;
      if (u <= s) memcpy(C, dmft__block(kernels->C, s, u, k), sizeof(double) * kk);
      else {
        const double *stored = dmft__block(kernels->C, u, s, k);
        for (int a = 0; a < k; a++)
          for (int b = 0; b < k; b++) C[a * k + b] = stored[b * k + a];
      }
      if (u < s) memcpy(out->R + ((size_t)i * rows + (size_t)j) * kk, dmft__block(kernels->R, s, u, k), sizeof(double) * kk);
    }
  }
  dmft_test_loss_free(&rule);
  return status;
}

/* Mean and standard error (sd / sqrt(groups)) of n values over the groups, in group order;
 * an exact engine has no sampling error at all. */
static void reduce(const double *const *values, int n_groups, int exact, size_t n, double *mean, double *se) {
  for (size_t i = 0; i < n; i++) {
    double sum = 0.0;
    for (int g = 0; g < n_groups; g++) sum += values[g][i];
    const double average = sum / n_groups;
    double squares = 0.0;
    for (int g = 0; g < n_groups; g++) squares += (values[g][i] - average) * (values[g][i] - average);
    mean[i] = average;
    se[i] = exact ? 0.0 : n_groups > 1 ? sqrt(squares / (n_groups - 1) / n_groups) : NAN;
  }
}

#define REDUCE_FIELD(field, count)                                               \
  do {                                                                           \
    const double *per_group[DMFT_MAX_GROUPS] = {0};                                  \
    for (int g = 0; g < n_groups; g++) per_group[g] = outputs[g].field;          \
    reduce(per_group, n_groups, engine->is_exact, (count), r->field, r->field##_se);               \
  } while (0)

/* Copies every group's M, Q and losses into the result (for extrapolations group by group). */
static int keep_groups(dmft_result_t *r, const group_output_t *outputs, int n_groups) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  r->group_M = malloc(sizeof(double) * (size_t)n_groups * rows * kks);
  r->group_Q = malloc(sizeof(double) * (size_t)n_groups * rows * kk);
  r->group_train_loss = malloc(sizeof(double) * (size_t)n_groups * rows);
  r->group_test_loss = malloc(sizeof(double) * (size_t)n_groups * rows);
  if (!r->group_M || !r->group_Q || !r->group_train_loss || !r->group_test_loss) return DMFT_ENOMEM;
  for (int g = 0; g < n_groups; g++) {
    memcpy(r->group_M + (size_t)g * rows * kks, outputs[g].M, sizeof(double) * rows * kks);
    memcpy(r->group_Q + (size_t)g * rows * kk, outputs[g].Q, sizeof(double) * rows * kk);
    memcpy(r->group_train_loss + (size_t)g * rows, outputs[g].train_loss, sizeof(double) * rows);
    memcpy(r->group_test_loss + (size_t)g * rows, outputs[g].test_loss, sizeof(double) * rows);
  }
  return DMFT_OK;
}

/* A finished group's outputs, for checkpoints. */
static void group_output_regions(group_output_t *out, const dmft_result_t *r, long *diverged_step, dmft__region_fn visit,
                                 void *user) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  visit(user, &out->rows_done, sizeof out->rows_done);
  visit(user, &out->path_updates, sizeof out->path_updates);
  visit(user, &out->path_checks, sizeof out->path_checks);
  visit(user, &out->status, sizeof out->status);
  visit(user, diverged_step, sizeof *diverged_step);
  visit(user, out->M, sizeof(double) * rows * kks);
  visit(user, out->Q, sizeof(double) * rows * kk);
  visit(user, out->train_loss, sizeof(double) * rows);
  visit(user, out->test_loss, sizeof(double) * rows);
  if (out->test_metric) visit(user, out->test_metric, sizeof(double) * rows);
  visit(user, out->C, sizeof(double) * rows * rows * kk);
  visit(user, out->R, sizeof(double) * rows * rows * kk);
}

/* Where each group is: not started, marching (its staged march kept between rounds), or
 * finished (its outputs read). */
typedef struct {
  int state;
  dmft__march_t *march;
  long diverged_step;
} group_run_t;

typedef struct {
  const dmft_problem_t *problem;
  dmft_result_t *r;
  const dmft__engine_t *engine;
  const char *report;
  group_output_t *outputs;
  group_run_t *runs;
  const dmft__coefficients_t *coefficients;
  int n_groups, threads;
} solve_t;

static dmft__replica_t replica_of(const solve_t *s, int g) {
  const dmft_problem_t *problem = s->problem;
  return (dmft__replica_t){
      .problem = problem,
      .group = g,
      .paths = dmft_problem_group_share(problem->paths, s->n_groups, g),
      .steps = s->r->steps,
      .coefficients = s->coefficients,
      .report = s->report,
      .train_loss_stride = dmft_problem_train_loss_stride(problem),
  };
}

/* One round: every group not finished marches until it ends or *stop is raised; a group that
 * ends is read and freed. */
static void run_round(solve_t *s, dmft__progress_t *progress, volatile int *stop) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(s->threads)
  for (int g = 0; g < s->n_groups; g++) {
    group_run_t *run = &s->runs[g];
    group_output_t *out = &s->outputs[g];
    if (run->state == DMFT__GROUP_FINISHED || (stop && *stop && run->state == DMFT__GROUP_NOT_STARTED)) continue;
    if (run->state == DMFT__GROUP_NOT_STARTED) {
      const dmft__replica_t replica = replica_of(s, g);
      out->status = dmft__march_create(&replica, s->engine, &run->march);
      run->state = DMFT__GROUP_MARCHING;
    }
    if (out->status == DMFT_OK) out->status = dmft__march_advance(run->march, progress, stop);
    if (out->status == DMFT_EINTERRUPTED) {
      out->status = DMFT_OK;
      continue;
    }
    dmft__replica_t *replica = dmft__march_replica(run->march);
    run->diverged_step = dmft__march_diverged_step(run->march);
    out->path_updates = replica->path_updates;
    out->path_checks = replica->path_checks;
    if (replica->kernels.C) {
      const int read_status = read_group(s->problem, s->r, &replica->kernels, g, run->diverged_step, out);
      if (out->status == DMFT_OK) out->status = read_status;
    }
    dmft__march_free(&run->march);
    run->state = DMFT__GROUP_FINISHED;
  }
}

static int save_checkpoint(solve_t *s, const char *path) {
  dmft__checkpoint_file_t *file = NULL;
  int status = dmft__checkpoint_begin(path, dmft_problem_signature(s->problem), s->n_groups, &file);
  for (int g = 0; status == DMFT_OK && g < s->n_groups; g++) {
    group_run_t *run = &s->runs[g];
    dmft__checkpoint_write_kind(file, run->state);
    if (run->state == DMFT__GROUP_MARCHING) dmft__march_regions(run->march, dmft__checkpoint_write_region, file);
    if (run->state == DMFT__GROUP_FINISHED)
      group_output_regions(&s->outputs[g], s->r, &run->diverged_step, dmft__checkpoint_write_region, file);
  }
  const int end = dmft__checkpoint_end(&file);
  return status != DMFT_OK ? status : end;
}

static int load_checkpoint(solve_t *s, const dmft_checkpoint_options_t *options) {
  dmft__checkpoint_file_t *file = NULL;
  int status = dmft__checkpoint_open(options->resume, dmft_problem_signature(s->problem), s->n_groups, &file,
                                     options->message, options->message_size);
  for (int g = 0; status == DMFT_OK && g < s->n_groups; g++) {
    group_run_t *run = &s->runs[g];
    const int kind = dmft__checkpoint_read_kind(file);
    if (kind == DMFT__GROUP_MARCHING) {
      const dmft__replica_t replica = replica_of(s, g);
      status = dmft__march_create(&replica, s->engine, &run->march);
      if (status == DMFT_OK) dmft__march_regions(run->march, dmft__checkpoint_read_region, file);
    }
    if (kind == DMFT__GROUP_FINISHED)
      group_output_regions(&s->outputs[g], s->r, &run->diverged_step, dmft__checkpoint_read_region, file);
    if (kind >= 0) run->state = kind;
  }
  const int closed = dmft__checkpoint_close(&file, options->message, options->message_size);
  return status != DMFT_OK ? status : closed;
}

static double seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

int dmft_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result) {
  return dmft_solve_checkpointed(problem, progress, user, NULL, result);
}

int dmft_solve_checkpointed(const dmft_problem_t *problem, dmft_progress_fn progress, void *user,
                            const dmft_checkpoint_options_t *options, dmft_result_t **result) {
  *result = NULL;
  dmft_result_t *r = dmft_result_alloc(problem);
  if (!r) return DMFT_ENOMEM;
  solve_t s = {.problem = problem, .r = r, .engine = dmft__engine_for(problem, problem->force_dense_engine),
               .n_groups = r->groups, .threads = problem->threads > 0 ? problem->threads : omp_get_max_threads()};
  const int n_groups = s.n_groups;
  const dmft__engine_t *engine = s.engine;
  char *report = calloc((size_t)r->steps + 1, 1);
  group_output_t *outputs = calloc((size_t)n_groups, sizeof(group_output_t));
  s.runs = calloc((size_t)n_groups, sizeof(group_run_t));
  dmft__coefficients_t coefficients = {0};
  s.coefficients = &coefficients;
  int status = report && outputs && s.runs ? dmft__coefficients_create(problem, &coefficients) : DMFT_ENOMEM;
  for (int g = 0; status == DMFT_OK && g < n_groups; g++) {
    status = group_output_alloc(&outputs[g], r);
    s.runs[g].diverged_step = -1;
  }
  s.report = report;
  s.outputs = outputs;
  if (status == DMFT_OK)
    for (long i = 0; i < r->rows; i++) report[r->step[i]] = 1;
  if (status == DMFT_OK && options && options->resume) status = load_checkpoint(&s, options);
  /* The groups are the parallelism; BLAS calls inside them run on their own thread (OpenBLAS's
   * own threads on top of ours made a poisson solve three times slower, measured). */
  const int blas_threads = openblas_get_num_threads();
  openblas_set_num_threads(1);
  long done = 0;
  for (int g = 0; g < n_groups; g++)
    done += s.runs[g].state == DMFT__GROUP_FINISHED   ? r->steps + 1
            : s.runs[g].state == DMFT__GROUP_MARCHING ? dmft__march_next_step(s.runs[g].march)
                                                      : 0;
  int stop_now = 0;
  dmft__progress_t shared_progress = {.done = done, .total = (long)n_groups * (r->steps + 1), .callback = progress,
                                      .user = user, .stop = &stop_now,
                                      .user_stop = options ? options->stop : NULL};
  /* Rounds until every group has finished: a round ends early when a checkpoint is due (every
   * every_seconds) or the caller asks to stop; the state is saved, and the next round continues
   * the same marches, so the numbers are those of an uninterrupted run. */
  const int checkpointing = options && options->path;
  for (;;) {
    if (status != DMFT_OK) break;
    stop_now = 0;
    shared_progress.deadline = checkpointing ? seconds_now() + options->every_seconds : 0.0;
    run_round(&s, &shared_progress, checkpointing ? &stop_now : NULL);
    int finished = 1;
    for (int g = 0; g < n_groups; g++) finished = finished && s.runs[g].state == DMFT__GROUP_FINISHED;
    if (finished || !checkpointing) break;
    const int saved = save_checkpoint(&s, options->path);
    if (saved != DMFT_OK) {
      status = saved;
      if (options->message) snprintf(options->message, options->message_size, "could not write the checkpoint %s", options->path);
    } else if (options->stop && *options->stop) {
      status = DMFT_EINTERRUPTED;
    }
  }
  openblas_set_num_threads(blas_threads);
  long first_diverged_step = -1;
  r->rows_done = r->rows;
  for (int g = 0; status == DMFT_OK && g < n_groups; g++) {
    if (outputs[g].status != DMFT_OK && outputs[g].status != DMFT_EDIVERGED && status == DMFT_OK) status = outputs[g].status;
    if (outputs[g].rows_done < r->rows_done) r->rows_done = outputs[g].rows_done;
    r->path_updates += outputs[g].path_updates;
    r->path_checks += outputs[g].path_checks;
    const long diverged_step = s.runs[g].diverged_step;
    if (diverged_step >= 0 && (first_diverged_step < 0 || diverged_step < first_diverged_step)) first_diverged_step = diverged_step;
  }
  if (status == DMFT_OK && first_diverged_step >= 0) {
    r->diverged_at = (double)first_diverged_step * problem->dt;
    status = DMFT_EDIVERGED;
  }
  if (status == DMFT_OK || status == DMFT_EDIVERGED) {
    const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
    REDUCE_FIELD(M, rows * kks);
    REDUCE_FIELD(Q, rows * kk);
    REDUCE_FIELD(train_loss, rows);
    REDUCE_FIELD(test_loss, rows);
    if (r->test_metric) REDUCE_FIELD(test_metric, rows);
    REDUCE_FIELD(C, rows * rows * kk);
    REDUCE_FIELD(R, rows * rows * kk);
    if (problem->keep_group_values && keep_groups(r, outputs, n_groups) != DMFT_OK) status = DMFT_ENOMEM;
    if (status == DMFT_OK || status == DMFT_EDIVERGED)
      if (dmft_result_cut_at_non_finite(r, 1)) status = DMFT_EDIVERGED;
  }
  for (int g = 0; s.runs && g < n_groups; g++) dmft__march_free(&s.runs[g].march);
  for (int g = 0; outputs && g < n_groups; g++) group_output_free(&outputs[g]);
  free(s.runs);
  free(outputs);
  free(report);
  dmft__coefficients_free(&coefficients);
  if (status != DMFT_OK && status != DMFT_EDIVERGED) {
    dmft_result_free(&r);
    return status;
  }
  *result = r;
  return status;
}

static int all_finite(const double *values, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (!isfinite(values[i])) return 0;
  return 1;
}

long dmft_result_first_non_finite_row(const dmft_result_t *r, int with_kernels) {
  const size_t kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  for (long i = 0; i < r->rows_done; i++) {
    const size_t row = (size_t)i;
    /* One group has no spread to measure: its standard errors are NaN by construction, not by
     * overflow, and are left out. */
    const int errors = r->groups >= 2;
    int finite = all_finite(r->M + row * kks, kks) && all_finite(r->Q + row * kk, kk) && isfinite(r->train_loss[i]) &&
                 isfinite(r->test_loss[i]);
    if (errors)
      finite = finite && all_finite(r->M_se + row * kks, kks) && all_finite(r->Q_se + row * kk, kk) &&
               isfinite(r->train_loss_se[i]) && isfinite(r->test_loss_se[i]);
    if (r->test_metric) finite = finite && isfinite(r->test_metric[i]) && (!errors || isfinite(r->test_metric_se[i]));
    /* C(t_i, t_j) for j <= i: the part of the kernel row i adds. */
    const size_t planned = (size_t)r->rows;
    for (size_t j = 0; with_kernels && finite && j <= row; j++)
      finite = all_finite(r->C + (row * planned + j) * kk, kk) && (!errors || all_finite(r->C_se + (row * planned + j) * kk, kk));
    if (!finite) return i;
  }
  return r->rows_done;
}

int dmft_result_cut_at_non_finite(dmft_result_t *r, int with_kernels) {
  const long row = dmft_result_first_non_finite_row(r, with_kernels);
  if (row >= r->rows_done) return 0;
  r->rows_done = row;
  if (r->diverged_at < 0 || r->t[row] < r->diverged_at) {
    r->diverged_at = r->t[row];
    r->divergence = "a value or its standard error is too large for a double (are the scales, such as --label-noise, "
                    "--theta0-var or --teacher-var, meant to be that large?)";
  }
  return 1;
}

const char *dmft_result_divergence_reason(const dmft_result_t *r) {
  return r->divergence ? r->divergence : "the dynamics diverged: values stopped being finite or exploded";
}

#define _POSIX_C_SOURCE 200809L
#include "replica.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <time.h>

#include "dmft/status.h"
#include "parameter_paths.h"
#include "parameter_side.h"
#include "spectral_side.h"

/* A second moment this many times larger than the starting scale means the dynamics left any
 * regime a learning curve lives in: a step size beyond stability grows it geometrically, so
 * the exact threshold only moves the reported time by a few steps. */
#define DMFT_EXPLOSION_FACTOR 1e8

const dmft__engine_t *dmft__engine_for(const dmft_problem_t *problem, int force_dense) {
  if (force_dense) return &dmft__engine_dense;
  if (dmft__engine_gaussian.applies(problem)) return &dmft__engine_gaussian;
  return problem->noise->is_point_process ? &dmft__engine_sparse : &dmft__engine_dense;
}

size_t dmft__step_sums_doubles(int k, int kstar, long step) {
  return 2 * (size_t)(step + 1) * (size_t)(k * k) + (size_t)(k * kstar) + 2;
}

dmft__step_sums_t dmft__replica_step_sums(const dmft__replica_t *replica, long p, long k) {
  const int w = replica->kernels.k;
  const size_t row = (size_t)(k + 1) * (size_t)(w * w);
  double *leaf = dmft__path_sums_leaf(&replica->sums, p);
  return (dmft__step_sums_t){
      .Cl = leaf, .Rl = leaf + row, .wstar_moment = leaf + 2 * row, .loss = leaf + 2 * row + (size_t)(w * replica->kernels.kstar)};
}

void dmft__replica_reduce_step(dmft__replica_t *replica, const dmft__engine_t *engine, long k, int *decision) {
  dmft__kernels_t *kernels = &replica->kernels;
  const int w = kernels->k, ws = kernels->kstar;
  const size_t row = (size_t)(k + 1) * (size_t)(w * w), n = dmft__step_sums_doubles(w, ws, k);
  const double *sum = dmft__path_sums_reduce(&replica->sums, n, decision);
  const double per_path = 1.0 / (double)replica->group_paths;
  const long response_paths = engine->response_paths ? engine->response_paths(replica) : replica->group_paths;
  const double per_response_path = 1.0 / (double)response_paths;
  double *Cl = dmft__block(kernels->Cl, k, 0, w), *Rl = dmft__block(kernels->Rl, k, 0, w);
  for (size_t i = 0; i < row; i++) {
    Cl[i] = sum[i] * per_path;
    Rl[i] = sum[row + i] * per_response_path;
  }
  double *moment = kernels->wstar_moment + (size_t)k * (size_t)(w * ws);
  for (int i = 0; i < w * ws; i++) moment[i] = sum[2 * row + (size_t)i] * per_path;
  if (engine->loss_with_step && replica->report[k]) {
    const double *loss = sum + 2 * row + (size_t)(w * ws);
    kernels->train_loss[k] = loss[1] > 0 ? loss[0] / loss[1] : NAN;
  }
}

static int row_is_finite(const double *values, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(values[i])) return 0;
  return 1;
}

/* Whether sample-side row k and parameter-side row k+1 (if any) are finite and not exploding. */
static int step_is_healthy(const dmft__replica_t *replica, long k, double scale) {
  const dmft__kernels_t *kernels = &replica->kernels;
  const int w = kernels->k;
  const size_t row = (size_t)(k + 1) * (size_t)(w * w);
  if (!row_is_finite(dmft__block(kernels->Cl, k, 0, w), row) || !row_is_finite(dmft__block(kernels->Rl, k, 0, w), row))
    return 0;
  if (!isfinite(kernels->train_loss[k])) return 0;
  if (k == replica->steps) return 1;
  const double *C_next = dmft__block(kernels->C, k + 1, 0, w);
  if (!row_is_finite(C_next, row + (size_t)(w * w))) return 0;
  const double *diagonal = dmft__block(kernels->C, k + 1, k + 1, w);
  for (int a = 0; a < w; a++)
    if (fabs(diagonal[a * w + a]) > DMFT_EXPLOSION_FACTOR * scale) return 0;
  return row_is_finite(kernels->M + (size_t)(k + 1) * (size_t)(w * kernels->kstar), (size_t)(w * kernels->kstar));
}

static void report_progress(dmft__progress_t *progress) {
  long done;
#pragma omp atomic capture
  done = ++progress->done;
  if (progress->callback && omp_get_thread_num() == 0) progress->callback((double)done / (double)progress->total, progress->user);
  if (!progress->stop) return;
  if (progress->user_stop && *progress->user_stop) *progress->stop = 1;
  if (progress->deadline > 0 && dmft__seconds_now() >= progress->deadline) *progress->stop = 1;
}

double dmft__seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

struct dmft__march {
  dmft__replica_t replica;
  const dmft__engine_t *engine;
  void *engine_state;
  double *scratch;
  dmft__parameter_side_t side;
  dmft__parameter_paths_t *parameter_paths;
  dmft__spectral_side_t *spectral_side; /* the exact parameter side of a covariance spectrum */
  double scale;
  /* What the march has done: advance continues from here (saved by regions). */
  long next_step, last_step, diverged_step;
  int status;
  /* A group shared with other ranks pauses where its first rank decided to, carried with the
   * sums of the step before (dmft__replica_reduce_step). */
  int pause_decided;
};

int dmft__march_create(const dmft__replica_t *replica, const dmft__engine_t *engine, dmft__march_t **out) {
  dmft__march_t *m = calloc(1, sizeof *m);
  *out = m;
  if (!m) return DMFT_ENOMEM;
  m->replica = *replica;
  m->engine = engine;
  m->last_step = m->diverged_step = -1;
  const dmft_problem_t *problem = replica->problem;
  const int k = problem->model.k;
  int status = dmft__kernels_alloc(&m->replica.kernels, k, problem->model.kstar, replica->steps);
  if (status != DMFT_OK) return status;
  m->scratch = malloc(sizeof(double) * dmft__parameter_side_scratch_doubles(k, replica->steps));
  status = m->scratch ? DMFT_OK : DMFT_ENOMEM;
  if (status == DMFT_OK && engine->sums_over_paths) {
    /* A leaf holds a step's sums, or (sparse engine, at the end) every step's train-loss sums. */
    const size_t step_doubles = dmft__step_sums_doubles(k, problem->model.kstar, replica->steps);
    const size_t loss_doubles = 2 * ((size_t)replica->steps + 1);
    status = dmft__path_sums_create(&m->replica.sums, replica->group_paths, replica->first_path / DMFT_PATHS_PER_LEAF,
                                    dmft__path_leaves_of(replica->first_path + replica->paths) -
                                        replica->first_path / DMFT_PATHS_PER_LEAF,
                                    step_doubles > loss_doubles ? step_doubles : loss_doubles, replica->link);
  }
  if (status == DMFT_OK) status = engine->create(&m->replica, &m->engine_state);
  m->side = (dmft__parameter_side_t){
      .gamma = problem->gamma,
      .teacher_var = problem->teacher_var,
      .beta = replica->coefficients->beta,
  };
  if (status == DMFT_OK && problem->spectrum.classes > 0)
    status = dmft__kernels_alloc_classes(&m->replica.kernels, problem->spectrum.classes);
  if (status == DMFT_OK && dmft_problem_parameter_side_is_sampled(problem))
    status = dmft__parameter_paths_create(&m->replica, &m->parameter_paths);
  else if (status == DMFT_OK && problem->spectrum.classes > 0)
    status = dmft__spectral_side_create(problem, &m->replica.kernels, &m->spectral_side);
  else if (status == DMFT_OK)
    dmft__parameter_side_init(&m->replica.kernels, problem->theta0_var, problem->init_overlap, problem->teacher_var);
  /* The Sigma-weighted kernels are up to the largest eigenvalue times the plain ones. */
  m->scale = fmax(1.0, fmax(problem->teacher_var, problem->theta0_var + problem->init_overlap * problem->init_overlap *
                                                                           problem->teacher_var)) *
             fmax(1.0, dmft_spectrum_largest(&problem->spectrum));
  m->status = status;
  return status;
}

/* After the last step run: an engine's deferred train loss, and the first non-finite one. */
static void finish(dmft__march_t *m) {
  if (!m->engine->finish || m->last_step < 0) return;
  dmft__replica_t *replica = &m->replica;
  m->engine->finish(replica, m->engine_state, m->last_step);
  for (long step = 0; step <= m->last_step; step++)
    if (replica->report[step] && !isfinite(replica->kernels.train_loss[step])) {
      if (m->diverged_step < 0 || step < m->diverged_step) m->diverged_step = step;
      if (m->status == DMFT_OK) m->status = DMFT_EDIVERGED;
      break;
    }
}

int dmft__march_advance(dmft__march_t *m, long until, dmft__progress_t *progress, volatile int *stop) {
  dmft__replica_t *replica = &m->replica;
  const dmft_problem_t *problem = replica->problem;
  const int k = problem->model.k;
  const long last = until < replica->steps ? until : replica->steps;
  while (m->status == DMFT_OK && m->next_step <= last) {
    /* A shared group pauses only where its first rank said so, on every rank at once. */
    if (replica->link ? m->pause_decided : stop && *stop) {
      m->pause_decided = 0;
      return DMFT_EINTERRUPTED;
    }
    const long step = m->next_step;
    const int w = problem->model.k;
    if (m->engine->sums_over_paths) dmft__path_sums_clear(&replica->sums, dmft__step_sums_doubles(w, problem->model.kstar, step));
    m->status = m->engine->step(replica, m->engine_state, step);
    if (m->status != DMFT_OK) break;
    if (m->engine->sums_over_paths) {
      int decision = stop && *stop;
      dmft__replica_reduce_step(replica, m->engine, step, replica->link ? &decision : NULL);
      m->pause_decided = replica->link && decision;
    }
    m->last_step = step;
    m->next_step = step + 1;
    dmft__teacher_response(&replica->kernels, step, dmft_problem_field_teacher_var(problem));
    if (step < replica->steps) {
      if (m->parameter_paths) dmft__parameter_paths_advance(m->parameter_paths, replica, step);
      else {
        m->side.decay = replica->coefficients->decay[step];
        if (m->spectral_side) dmft__spectral_side_advance(m->spectral_side, &m->side, &replica->kernels, step, m->scratch);
        else dmft__parameter_side_advance(&m->side, &replica->kernels, step, m->scratch);
      }
    }
    if (!step_is_healthy(replica, step, m->scale)) {
      /* Row `step` of the parameter side was fine (it was checked a step earlier) but what
       * followed from it was not: the first bad output is at step + 1, or at step itself when
       * the sample side already failed. */
      const dmft__kernels_t *kernels = &replica->kernels;
      const size_t row = (size_t)(step + 1) * (size_t)(k * k);
      const int sample_side_failed = !row_is_finite(dmft__block(kernels->Cl, step, 0, k), row) ||
                                     !row_is_finite(dmft__block(kernels->Rl, step, 0, k), row) ||
                                     !isfinite(kernels->train_loss[step]);
      m->diverged_step = sample_side_failed ? step : step + 1;
      m->status = DMFT_EDIVERGED;
    }
    report_progress(progress);
  }
  /* At the end (or a failure) only: a pause at `until` keeps the deferred draws pending. */
  if (m->status != DMFT_OK || m->next_step > replica->steps) finish(m);
  return m->status;
}

/* The march's own counters first, then the kernels, the engine and the sampled parameter side. */
void dmft__march_regions(dmft__march_t *m, dmft__region_fn visit, void *user) {
  visit(user, &m->next_step, sizeof m->next_step);
  visit(user, &m->last_step, sizeof m->last_step);
  visit(user, &m->diverged_step, sizeof m->diverged_step);
  visit(user, &m->replica.path_updates, sizeof m->replica.path_updates);
  visit(user, &m->replica.path_checks, sizeof m->replica.path_checks);
  dmft__kernels_regions(&m->replica.kernels, visit, user);
  m->engine->regions(&m->replica, m->engine_state, visit, user);
  if (m->parameter_paths) dmft__parameter_paths_regions(m->parameter_paths, visit, user);
  if (m->spectral_side) dmft__spectral_side_regions(m->spectral_side, visit, user);
}

int dmft__march_adopt_loaded_state(dmft__march_t *m) {
  const long steps = m->replica.steps;
  const int counters = m->next_step >= 0 && m->next_step <= steps + 1 && m->last_step >= -1 && m->last_step <= steps &&
                       m->last_step == m->next_step - 1 && m->diverged_step >= -1 && m->diverged_step <= steps;
  const int engine = !m->engine->adopt_loaded_state || m->engine->adopt_loaded_state(&m->replica, m->engine_state);
  const int parameter_paths = !m->parameter_paths || dmft__parameter_paths_adopt_loaded_state(m->parameter_paths);
  return counters && engine && parameter_paths;
}

long dmft__march_next_step(const dmft__march_t *m) { return m->next_step; }
long dmft__march_diverged_step(const dmft__march_t *m) { return m->diverged_step; }
dmft__replica_t *dmft__march_replica(dmft__march_t *m) { return &m->replica; }

void dmft__march_free(dmft__march_t **march) {
  dmft__march_t *m = *march;
  if (!m) return;
  if (m->engine_state) m->engine->destroy(&m->engine_state);
  dmft__parameter_paths_destroy(&m->parameter_paths);
  dmft__spectral_side_free(&m->spectral_side);
  free(m->scratch);
  dmft__path_sums_free(&m->replica.sums);
  dmft__kernels_free(&m->replica.kernels);
  free(m);
  *march = NULL;
}

int dmft__replica_run(dmft__replica_t *replica, const dmft__engine_t *engine, long *diverged_step,
                      dmft__progress_t *progress) {
  dmft__march_t *march = NULL;
  int status = dmft__march_create(replica, engine, &march);
  if (status == DMFT_OK) status = dmft__march_advance(march, replica->steps, progress, NULL);
  *diverged_step = march ? march->diverged_step : -1;
  if (march) {
    /* The kernels go to the caller, who reads and frees them. */
    replica->kernels = march->replica.kernels;
    replica->path_updates = march->replica.path_updates;
    replica->path_checks = march->replica.path_checks;
    march->replica.kernels = (dmft__kernels_t){0};
  }
  dmft__march_free(&march);
  return status;
}

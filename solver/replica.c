#include "replica.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "dmft/status.h"
#include "parameter_paths.h"
#include "parameter_side.h"

/* A second moment this many times larger than the starting scale means the dynamics left any
 * regime a learning curve lives in: a step size beyond stability grows it geometrically, so
 * the exact threshold only moves the reported time by a few steps. */
#define DMFT_EXPLOSION_FACTOR 1e8

const dmft__engine_t *dmft__engine_for(const dmft_problem_t *problem, int force_dense) {
  if (force_dense) return &dmft__engine_dense;
  if (dmft__engine_gaussian.applies(problem)) return &dmft__engine_gaussian;
  return problem->noise->is_point_process ? &dmft__engine_sparse : &dmft__engine_dense;
}

void dmft__replica_normalize_row(dmft__replica_t *replica, long k) {
  dmft__kernels_t *kernels = &replica->kernels;
  const double inverse = 1.0 / (double)replica->paths;
  const size_t row = (size_t)(k + 1) * (size_t)(kernels->k * kernels->k);
  double *Cl = dmft__block(kernels->Cl, k, 0, kernels->k), *Rl = dmft__block(kernels->Rl, k, 0, kernels->k);
  for (size_t i = 0; i < row; i++) {
    Cl[i] *= inverse;
    Rl[i] *= inverse;
  }
  double *moment = kernels->wstar_moment + (size_t)k * (size_t)(kernels->k * kernels->kstar);
  for (int i = 0; i < kernels->k * kernels->kstar; i++) moment[i] *= inverse;
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
}

int dmft__replica_run(dmft__replica_t *replica, const dmft__engine_t *engine, long *diverged_step,
                      dmft__progress_t *progress) {
  const dmft_problem_t *problem = replica->problem;
  const int k = problem->model.k;
  *diverged_step = -1;
  int status = dmft__kernels_alloc(&replica->kernels, k, problem->model.kstar, replica->steps);
  if (status != DMFT_OK) return status;
  void *engine_state = NULL;
  double *scratch = malloc(sizeof(double) * dmft__parameter_side_scratch_doubles(k, replica->steps));
  status = scratch ? engine->create(replica, &engine_state) : DMFT_ENOMEM;

  const dmft__parameter_side_t side = {
      .gamma = problem->gamma,
      .decay = 1.0 - problem->eta * problem->dt * problem->ridge,
      .teacher_var = problem->teacher_var,
  };
  dmft__parameter_paths_t *parameter_paths = NULL;
  if (status == DMFT_OK && dmft_problem_parameter_side_is_sampled(problem))
    status = dmft__parameter_paths_create(replica, &parameter_paths);
  else
    dmft__parameter_side_init(&replica->kernels, problem->theta0_var, problem->init_overlap, problem->teacher_var);
  const double scale = fmax(1.0, fmax(problem->teacher_var, problem->theta0_var + problem->init_overlap *
                                                                               problem->init_overlap * problem->teacher_var));
  long last_step = -1;
  for (long step = 0; status == DMFT_OK && step <= replica->steps; step++) {
    status = engine->step(replica, engine_state, step);
    if (status != DMFT_OK) break;
    last_step = step;
    dmft__teacher_response(&replica->kernels, step, problem->teacher_var);
    if (step < replica->steps) {
      if (parameter_paths) dmft__parameter_paths_advance(parameter_paths, replica, step);
      else dmft__parameter_side_advance(&side, &replica->kernels, step, scratch);
    }
    if (!step_is_healthy(replica, step, scale)) {
      /* Row `step` of the parameter side was fine (it was checked a step earlier) but what
       * followed from it was not: the first bad output is at step + 1, or at step itself when
       * the sample side already failed. */
      const dmft__kernels_t *kernels = &replica->kernels;
      const size_t row = (size_t)(step + 1) * (size_t)(k * k);
      const int sample_side_failed = !row_is_finite(dmft__block(kernels->Cl, step, 0, k), row) ||
                                     !row_is_finite(dmft__block(kernels->Rl, step, 0, k), row) ||
                                     !isfinite(kernels->train_loss[step]);
      *diverged_step = sample_side_failed ? step : step + 1;
      status = DMFT_EDIVERGED;
    }
    report_progress(progress);
  }
  if (engine->finish && last_step >= 0) {
    engine->finish(replica, engine_state, last_step);
    /* A deferred train loss is checked here: the first non-finite one ends the valid rows. */
    for (long step = 0; step <= last_step; step++)
      if (replica->report[step] && !isfinite(replica->kernels.train_loss[step])) {
        if (*diverged_step < 0 || step < *diverged_step) *diverged_step = step;
        if (status == DMFT_OK) status = DMFT_EDIVERGED;
        break;
      }
  }
  engine->destroy(&engine_state);
  dmft__parameter_paths_destroy(&parameter_paths);
  free(scratch);
  return status;
}

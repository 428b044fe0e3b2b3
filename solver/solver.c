/* The result of a solve: its grid and arrays, the one-call dmft_solve over the staged solver
 * (stepper.c), and the rule that a row whose numbers are not finite ends the result. */
#include "dmft/solver.h"

#include <math.h>
#include <stdlib.h>

#include "dmft/dmft.h"

const char *dmft_version(void) { return DMFT_VERSION_STRING; }

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
  free(r->Cl);
  free(r->Cl_se);
  free(r->Rl);
  free(r->Rl_se);
  free(r->Gamma);
  free(r->Gamma_se);
  free(r->M_sigma);
  free(r->M_sigma_se);
  free(r->Q_sigma);
  free(r->Q_sigma_se);
  free(r->class_M);
  free(r->class_M_se);
  free(r->class_Q);
  free(r->class_Q_se);
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
  if (problem->spectrum.classes > 0) {
    const size_t classes = (size_t)problem->spectrum.classes;
    r->classes = problem->spectrum.classes;
    r->M_sigma = calloc(rows * kks, sizeof(double));
    r->M_sigma_se = calloc(rows * kks, sizeof(double));
    r->Q_sigma = calloc(rows * kk, sizeof(double));
    r->Q_sigma_se = calloc(rows * kk, sizeof(double));
    r->class_M = calloc(rows * classes * kks, sizeof(double));
    r->class_M_se = calloc(rows * classes * kks, sizeof(double));
    r->class_Q = calloc(rows * classes * kk, sizeof(double));
    r->class_Q_se = calloc(rows * classes * kk, sizeof(double));
    if (!r->M_sigma || !r->M_sigma_se || !r->Q_sigma || !r->Q_sigma_se || !r->class_M || !r->class_M_se || !r->class_Q ||
        !r->class_Q_se) {
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

int dmft_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result) {
  return dmft_solve_checkpointed(problem, progress, user, NULL, result);
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

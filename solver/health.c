#include "dmft/health.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dmft/status.h"

/* Below this many paths a replica group, the spread of the 16 group means is itself noisy. */
#define FEW_PATHS_PER_GROUP 100
/* eta dt beyond this: the first-order time-step error is no longer small (dmft converge says by
 * how much). */
#define COARSE_ETA_DT 0.1
/* Q beyond this factor over its scale: the run left the regime it started in. */
#define NORM_GROWTH 1e3

static void warn(dmft_health_t *health, const char *format, ...) {
  if (health->warning_count == DMFT_HEALTH_MAX_WARNINGS) return;
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(health->warnings[health->warning_count++], sizeof health->warnings[0], format, arguments);
  va_end(arguments);
}

static double relative(double se, double value) { return se / fmax(fabs(value), 1e-300); }

/* Smallest over largest eigenvalue of C on a spread of the computed rows. */
static int smallest_eigenvalue(const dmft_result_t *r, double *ratio) {
  const long rows = r->rows_done, used = rows < DMFT_HEALTH_MAX_ROWS ? rows : DMFT_HEALTH_MAX_ROWS;
  const int k = r->k;
  const long n = used * k;
  *ratio = NAN;
  if (n < 1) return DMFT_OK;
  double *matrix = malloc(sizeof(double) * (size_t)(n * n)), *eigenvalues = malloc(sizeof(double) * (size_t)n);
  if (!matrix || !eigenvalues) {
    free(matrix);
    free(eigenvalues);
    return DMFT_ENOMEM;
  }
  const size_t planned = (size_t)r->rows, kk = (size_t)(k * k);
  for (long i = 0; i < used; i++)
    for (long j = 0; j < used; j++) {
      const long ri = used > 1 ? i * (rows - 1) / (used - 1) : 0, rj = used > 1 ? j * (rows - 1) / (used - 1) : 0;
      /* The result stores C(t_i, t_j) for j <= i; the other half by symmetry. */
      const long high = ri >= rj ? ri : rj, low = ri >= rj ? rj : ri;
      const double *block = r->C + ((size_t)high * planned + (size_t)low) * kk;
      for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++)
          matrix[(i * k + a) * n + j * k + b] = ri >= rj ? block[a * k + b] : block[b * k + a];
    }
  /* On one OpenBLAS thread: its threads change the last bits, and a number written to a file must
   * not depend on the cores a process was given (mpirun binds each rank to one). */
  const int blas_threads = openblas_get_num_threads();
  openblas_set_num_threads(1);
  const int info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)n, matrix, (lapack_int)n, eigenvalues);
  openblas_set_num_threads(blas_threads);
  if (info == 0 && eigenvalues[n - 1] > 0) *ratio = eigenvalues[0] / eigenvalues[n - 1];
  free(matrix);
  free(eigenvalues);
  return DMFT_OK;
}

int dmft_result_health(const dmft_problem_t *p, const dmft_result_t *r, dmft_health_t *health) {
  *health = (dmft_health_t){.smallest_eigenvalue_C = NAN,
                            .relative_se_M = NAN,
                            .relative_se_Q = NAN,
                            .relative_se_train_loss = NAN,
                            .relative_se_test_loss = NAN};
  const long last = r->rows_done - 1;
  if (last < 0) return DMFT_OK;
  const int km = r->k * r->kstar, kq = r->k * r->k;
  health->relative_se_M = relative(r->M_se[last * km], r->M[last * km]);
  health->relative_se_Q = relative(r->Q_se[last * kq], r->Q[last * kq]);
  health->relative_se_train_loss = relative(r->train_loss_se[last], r->train_loss[last]);
  health->relative_se_test_loss = relative(r->test_loss_se[last], r->test_loss[last]);
  const int sampled = r->groups > 1;
  if (sampled && p->paths / r->groups < FEW_PATHS_PER_GROUP)
    warn(health, "%ld paths a replica group (fewer than %d): the standard errors themselves are rough; raise --paths",
         p->paths / r->groups, FEW_PATHS_PER_GROUP);
  if (p->eta * p->dt > COARSE_ETA_DT)
    warn(health, "eta dt = %.3g > %g: the time-step error may show; check with dmft converge or lower --dt", p->eta * p->dt,
         COARSE_ETA_DT);
  if (p->noise->is_point_process && p->kappa * p->dt > 1.0)
    warn(health, "kappa dt = %.3g: a sample is drawn %.3g times a step on average, kicks of eta/kappa = %.3g each; lower --dt",
         p->kappa * p->dt, p->kappa * p->dt, p->eta / p->kappa);
  double start = p->teacher_var;
  for (int a = 0; a < r->k; a++) start = fmax(start, r->Q[a * r->k + a]);
  for (int a = 0; a < r->k; a++)
    if (r->Q[last * kq + a * r->k + a] > NORM_GROWTH * start) {
      warn(health, "the norm Q grew %.3g times over its scale by t = %g: the run may be leaving its regime",
           r->Q[last * kq + a * r->k + a] / start, r->t[last]);
      break;
    }
  const double errors[4] = {r->M_se[last * km], r->Q_se[last * kq], r->train_loss_se[last], r->test_loss_se[last]};
  for (int i = 0; i < 4; i++)
    if (!isfinite(errors[i])) {
      warn(health, "a standard error at t = %g is not a finite number", r->t[last]);
      break;
    }
  const int status = r->C ? smallest_eigenvalue(r, &health->smallest_eigenvalue_C) : DMFT_OK; /* none: --no-kernels */
  if (isfinite(health->smallest_eigenvalue_C) && health->smallest_eigenvalue_C < -1e-8)
    warn(health, "C has a negative eigenvalue (%.3g of the largest): the kernel is not a covariance; raise --paths or "
         "lower --dt", health->smallest_eigenvalue_C);
  return status;
}

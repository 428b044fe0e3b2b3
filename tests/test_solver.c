/* The solver's front: reproducibility, degenerate inputs that are normal use, divergence, the
 * output grid, and standard errors that mean what they say. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static dmft_result_t *solve_or_fail(const dmft_problem_t *p, int expected_status) {
  char message[256];
  CU_ASSERT_EQUAL(dmft_problem_check(p, message, sizeof message), DMFT_OK);
  dmft_result_t *r = NULL;
  CU_ASSERT_EQUAL(dmft_solve(p, NULL, NULL, &r), expected_status);
  return r;
}

static int same_bits(const double *a, const double *b, size_t n) { return memcmp(a, b, n * sizeof(double)) == 0; }

static void test_same_seed_same_output_any_thread_count(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 2.0;
  p.paths = 8000;
  const char *noises[] = {"poisson", "gauss"};
  for (int n = 0; n < 2; n++) {
    p.noise = dmft_noise_find(noises[n]);
    p.threads = 1;
    dmft_result_t *one = solve_or_fail(&p, DMFT_OK);
    p.threads = 2;
    dmft_result_t *two = solve_or_fail(&p, DMFT_OK);
    p.threads = 5;
    dmft_result_t *five = solve_or_fail(&p, DMFT_OK);
    const size_t rows = (size_t)one->rows;
    CU_ASSERT(same_bits(one->M, two->M, rows) && same_bits(one->M, five->M, rows));
    CU_ASSERT(same_bits(one->Q_se, two->Q_se, rows) && same_bits(one->train_loss, five->train_loss, rows));
    CU_ASSERT(same_bits(one->C, two->C, rows * rows) && same_bits(one->R, five->R, rows * rows));
    p.seed = 2;
    p.threads = 2;
    dmft_result_t *other = solve_or_fail(&p, DMFT_OK);
    CU_ASSERT(!same_bits(one->M, other->M, rows));
    p.seed = 1;
    dmft_result_free(&one);
    dmft_result_free(&two);
    dmft_result_free(&five);
    dmft_result_free(&other);
  }
}

/* theta_0 = 0 makes the field exactly zero at t = 0 (a singular path covariance), with no
 * ridge and no label noise: the solve runs, M(0) = Q(0) = 0 exactly, and the start matches
 * the exact Gaussian engine on least squares. */
static void test_degenerate_start_no_ridge_no_noise(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.theta0_var = 0.0;
  p.ridge = 0.0;
  p.model.label_noise = 0.0;
  p.tmax = 1.0;
  p.noise = dmft_noise_find("flow");
  dmft_result_t *exact = solve_or_fail(&p, DMFT_OK);
  p.force_dense_engine = 1;
  dmft_result_t *dense = solve_or_fail(&p, DMFT_OK);
  p.force_dense_engine = 0;
  p.noise = dmft_noise_find("poisson");
  dmft_result_t *sparse = solve_or_fail(&p, DMFT_OK);
  CU_ASSERT_EQUAL(exact->M[0], 0.0);
  CU_ASSERT_EQUAL(exact->Q[0], 0.0);
  CU_ASSERT_EQUAL(sparse->Q[0], 0.0);
  for (long i = 1; i < exact->rows_done; i++) {
    DMFT_ASSERT_WITHIN_Z("dense M", dense->M[i], dense->M_se[i], exact->M[i], 0.0, 4.0);
    DMFT_ASSERT_WITHIN_Z("dense Q", dense->Q[i], dense->Q_se[i], exact->Q[i], 0.0, 4.0);
    CU_ASSERT(isfinite(sparse->M[i]) && isfinite(sparse->Q[i]) && isfinite(sparse->train_loss[i]));
  }
  dmft_result_free(&exact);
  dmft_result_free(&dense);
  dmft_result_free(&sparse);
}

/* Gradient descent on least squares is unstable once eta dt (1 + sqrt(gamma))^2 > 2: with
 * eta dt = 0.5 and gamma = 4 the largest mode grows by |1 - 0.5 * 9| = 3.5 a step. */
static void test_divergence_is_reported_with_its_time(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.gamma = 4.0;
  p.eta = 5.0;
  p.dt = 0.1;
  p.tmax = 30.0;
  dmft_result_t *r = solve_or_fail(&p, DMFT_EDIVERGED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT(r->diverged_at > 0 && r->diverged_at < 30.0);
  CU_ASSERT(r->rows_done > 1 && r->rows_done < r->rows);
  CU_ASSERT(r->t[r->rows_done - 1] < r->diverged_at);
  for (long i = 0; i < r->rows_done; i++) CU_ASSERT(isfinite(r->Q[i]));
  dmft_result_free(&r);
  /* The same for a sampled engine: SGD on least squares where one sample's kick overshoots
   * (each jump multiplies its residual by 1 - eta/kappa = -4). */
  dmft_test_linear_problem(&p);
  p.eta = 5.0;
  p.tmax = 6.0;
  p.paths = 2000;
  r = solve_or_fail(&p, DMFT_EDIVERGED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT(r->diverged_at >= 0 && r->diverged_at <= 6.0);
  dmft_result_free(&r);
}

static void test_output_grid(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 1.0;
  p.dt = 0.03; /* 34 steps: the grid ends at 1.02 */
  p.output_every = 5;
  p.paths = 200;
  dmft_result_t *r = solve_or_fail(&p, DMFT_OK);
  CU_ASSERT_EQUAL(r->steps, 34);
  CU_ASSERT_EQUAL(r->rows, 8); /* 0, 5, ..., 30, and the last step 34 */
  CU_ASSERT_EQUAL(r->step[6], 30);
  CU_ASSERT_EQUAL(r->step[7], 34);
  DMFT_ASSERT_CLOSE("last time", r->t[7], 1.02, 1e-12);
  /* C(t_i, t_i) is Q and R(t_i, t_j) vanishes for j >= i. */
  for (long i = 0; i < r->rows; i++) {
    CU_ASSERT_EQUAL(r->C[i * r->rows + i], r->Q[i]);
    CU_ASSERT_EQUAL(r->R[i * r->rows + i], 0.0);
  }
  dmft_result_free(&r);
  p.output_every = 0;
  p.tmax = 100.0;
  p.dt = 0.01;
  CU_ASSERT_EQUAL(dmft_problem_output_every(&p), 10);
}

/* The groups' spread is an honest standard error: with four times the paths it halves (within
 * the spread of two 16-group estimates, about 18% each: the ratio of two lies in [1.4, 2.8]
 * with probability above 99%), and the two answers agree within it. Groups of 1000 paths and
 * more: far fewer make each group's feedback noisier than 1/sqrt(paths) (docs/standard-errors.md). */
static void test_standard_errors_scale_as_one_over_root_paths(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 2.0;
  p.output_every = 40;
  p.paths = 16000;
  dmft_result_t *few = solve_or_fail(&p, DMFT_OK);
  p.paths = 64000;
  dmft_result_t *many = solve_or_fail(&p, DMFT_OK);
  const long last = few->rows - 1;
  const double ratio = few->M_se[last] / many->M_se[last];
  CU_ASSERT(ratio > 1.4 && ratio < 2.8);
  DMFT_ASSERT_WITHIN_Z("M across path counts", few->M[last], few->M_se[last], many->M[last], many->M_se[last], 4.0);
  dmft_result_free(&few);
  dmft_result_free(&many);
}

/* The sample side's kernels in the result, on least squares where they have closed forms and the
 * parameter side's recursions (equations.md §2) tie them to C, R and M:
 * - Rl(t, t) = etabar dt E[Hess l] = etabar dt, and Gamma(0) = -etabar dt (a linear teacher);
 * - Cl(0, 0) = (etabar dt)^2 E[(w_0 - y)^2] = (etabar dt)^2 (Q(0) - 2 M(0) + teacher_var + s^2) for
 *   flow, whose dz_k is kappa dt;
 * - R(k+1, j) = (1 - etabar dt ridge) R(k, j) - gamma sum_{j<m<=k} Rl(k, m) R(m, j), and the
 *   teacher part B of M: B(k+1) = (1 - etabar dt ridge) B(k) - gamma sum_{m<=k} Rl(k, m) B(m) -
 *   gamma Gamma(k), M(k) = A(k) M(0) + B(k) teacher_var with A the same recursion from A(0) = 1.
 * The exact Gaussian engine has no Monte Carlo error, so these hold to rounding (1e-12 relative);
 * the sparse engine's Rl(t, t) is sampled: within 4 standard errors. Cl is symmetric, Rl causal. */
static void test_sample_side_kernels(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.init_overlap = 0.3;
  p.output_every = 1;
  dmft_result_t *r = solve_or_fail(&p, DMFT_OK);
  const long rows = r->rows;
  const double step = p.eta * p.dt, decay = 1.0 - p.eta * p.dt * p.ridge;
  CU_ASSERT_FATAL(r->Cl != NULL && r->Rl != NULL && r->Gamma != NULL && rows == r->steps + 1);
#define AT(kernel, i, j) (kernel)[(size_t)(i) * (size_t)rows + (size_t)(j)]
  for (long i = 0; i < rows; i++) DMFT_ASSERT_CLOSE("Rl(t, t)", AT(r->Rl, i, i), step, 1e-12);
  DMFT_ASSERT_CLOSE("Gamma(0)", r->Gamma[0], -step, 1e-12);
  const double s2 = p.model.label_noise * p.model.label_noise;
  DMFT_ASSERT_CLOSE("Cl(0, 0)", AT(r->Cl, 0, 0), step * step * (r->Q[0] - 2 * r->M[0] + p.teacher_var + s2), 1e-12);
  double largest_asymmetry = 0.0, largest_acausal = 0.0, largest_R_gap = 0.0;
  for (long i = 0; i < rows; i++)
    for (long j = 0; j < rows; j++) {
      largest_asymmetry = fmax(largest_asymmetry, fabs(AT(r->Cl, i, j) - AT(r->Cl, j, i)));
      if (j > i) largest_acausal = fmax(largest_acausal, fabs(AT(r->Rl, i, j)));
    }
  for (long k = 0; k + 1 < rows; k++)
    for (long j = 0; j < k; j++) {
      double next = decay * AT(r->R, k, j);
      for (long m = j + 1; m <= k; m++) next -= p.gamma * AT(r->Rl, k, m) * AT(r->R, m, j);
      largest_R_gap = fmax(largest_R_gap, fabs(next - AT(r->R, k + 1, j)));
    }
  CU_ASSERT_EQUAL(largest_asymmetry, 0.0);
  CU_ASSERT_EQUAL(largest_acausal, 0.0);
  CU_ASSERT(largest_R_gap < 1e-12);
  double *A = calloc((size_t)rows, sizeof(double)), *B = calloc((size_t)rows, sizeof(double));
  A[0] = 1.0;
  double largest_M_gap = 0.0;
  for (long k = 0; k + 1 < rows; k++) {
    A[k + 1] = decay * A[k];
    B[k + 1] = decay * B[k] - p.gamma * r->Gamma[k];
    for (long m = 0; m <= k; m++) {
      A[k + 1] -= p.gamma * AT(r->Rl, k, m) * A[m];
      B[k + 1] -= p.gamma * AT(r->Rl, k, m) * B[m];
    }
    largest_M_gap = fmax(largest_M_gap, fabs(A[k + 1] * r->M[0] + B[k + 1] * p.teacher_var - r->M[k + 1]));
  }
  CU_ASSERT(largest_M_gap < 1e-12);
  if (largest_R_gap >= 1e-12 || largest_M_gap >= 1e-12)
    fprintf(stderr, "recursions: R off by %.3g, M off by %.3g\n", largest_R_gap, largest_M_gap);
  free(A);
  free(B);
  dmft_result_free(&r);
  /* SGD: the same diagonal, sampled. */
  p.noise = dmft_noise_find("poisson");
  p.output_every = 0;
  r = solve_or_fail(&p, DMFT_OK);
  for (long i = 1; i < r->rows; i += 8)
    DMFT_ASSERT_WITHIN_Z("poisson Rl(t, t)", AT(r->Rl, i, i), AT(r->Rl_se, i, i), step, 0.0, 4.0);
#undef AT
  dmft_result_free(&r);
}

int main(void) {
  CU_TestInfo tests[] = {{"same seed, same output, any thread count", test_same_seed_same_output_any_thread_count},
                         {"degenerate start, no ridge, no noise", test_degenerate_start_no_ridge_no_noise},
                         {"divergence is reported with its time", test_divergence_is_reported_with_its_time},
                         {"output grid", test_output_grid},
                         {"standard errors scale as one over root paths", test_standard_errors_scale_as_one_over_root_paths},
                         {"sample-side kernels", test_sample_side_kernels},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("solver", tests);
}

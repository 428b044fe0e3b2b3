/* The health of a result: C's spectrum is that of a covariance, the relative errors are what the
 * result says, and each warning fires when its condition holds and not otherwise. */
#include <string.h>

#include "dmft/health.h"
#include "test_support.h"

static dmft_result_t *solve(const dmft_problem_t *p) {
  dmft_result_t *r = NULL;
  const int status = dmft_solve(p, NULL, NULL, &r);
  CU_ASSERT(status == DMFT_OK || status == DMFT_EDIVERGED);
  return r;
}

static int has_warning(const dmft_health_t *health, const char *words) {
  for (int i = 0; i < health->warning_count; i++)
    if (strstr(health->warnings[i], words)) return 1;
  return 0;
}

/* A well-sampled default run: no warning; C's smallest eigenvalue is >= 0 up to rounding (the
 * eigensolver's error is about n eps of the largest, n <= 200 here: 1e-12 is ample). */
static void test_a_sound_run_has_no_warning(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.paths = 3200;
  p.tmax = 2.0;
  dmft_result_t *r = solve(&p);
  dmft_health_t health;
  CU_ASSERT_EQUAL(dmft_result_health(&p, r, &health), DMFT_OK);
  CU_ASSERT_EQUAL(health.warning_count, 0);
  CU_ASSERT(health.smallest_eigenvalue_C > -1e-12 && health.smallest_eigenvalue_C < 1.0);
  const long last = r->rows_done - 1;
  DMFT_ASSERT_CLOSE("relative s.e. of M", health.relative_se_M, r->M_se[last] / r->M[last], 1e-15);
  DMFT_ASSERT_CLOSE("relative s.e. of the test loss", health.relative_se_test_loss, r->test_loss_se[last] / r->test_loss[last],
                    1e-15);
  dmft_result_free(&r);
}

static void test_each_warning_fires_on_its_cause(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.paths = 320; /* 20 a group */
  p.tmax = 2.0;
  p.dt = 0.1;   /* eta dt = 0.15 */
  p.kappa = 12; /* 1.2 draws a step */
  dmft_result_t *r = solve(&p);
  dmft_health_t health;
  dmft_result_health(&p, r, &health);
  CU_ASSERT(has_warning(&health, "paths a replica group"));
  CU_ASSERT(has_warning(&health, "eta dt"));
  CU_ASSERT(has_warning(&health, "kappa dt"));
  CU_ASSERT(!has_warning(&health, "norm Q"));
  dmft_result_free(&r);
  /* Gradient flow on least squares past its stability bound: Q grows by orders of magnitude
   * before it explodes. */
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.eta = 5.0;
  p.dt = 0.1;
  p.tmax = 3.0;
  r = solve(&p);
  dmft_result_health(&p, r, &health);
  CU_ASSERT(has_warning(&health, "norm Q"));
  dmft_result_free(&r);
}

int main(void) {
  CU_TestInfo tests[] = {{"a sound run has no warning", test_a_sound_run_has_no_warning},
                         {"each warning fires on its cause", test_each_warning_fires_on_its_cause},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("health", tests);
}

/* The finite-n simulator itself, against closed forms: gradient descent on ridge regression
 * against its exact n, d -> infinity limit (which the exact Gaussian engine gives, and which
 * test_engine_gaussian checks against Marchenko–Pastur). At n = 2000 the seed-to-seed scatter
 * dominates finite-size corrections; 4 standard errors allowed at each of 10 rows. */
#include <string.h>

#include "test_support.h"

static void test_gradient_descent_matches_its_limit(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.tmax = 5.0;
  p.output_every = 10;
  dmft_test_compare_with_simulation("gd", &p, DMFT_SIMULATE_GD, 2000, 10, 4.0);
}

/* Mini-batch SGD bookkeeping: batches of round(kappa n^alpha), each step advancing time by
 * batch / (kappa n); rows land at the step nearest to the grid time. */
static void test_minibatch_time_grid(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.tmax = 1.0;
  p.output_every = 5;
  const dmft_simulation_options_t options = {.algorithm = DMFT_SIMULATE_SGD, .n = 1000, .seeds = 2, .alpha = 0.5};
  dmft_simulation_t *s = NULL;
  char message[256];
  CU_ASSERT_EQUAL_FATAL(dmft_simulate(&p, &options, &s, message, sizeof message), DMFT_OK);
  const double step_time = 32.0 / 1000.0; /* round(sqrt(1000)) = 32 */
  for (long i = 0; i < s->rows; i++) {
    const double grid = i * 0.25;
    CU_ASSERT(fabs(s->t[i] - grid) <= 0.5 * step_time + 1e-12);
  }
  CU_ASSERT(s->M[s->rows - 1] > s->M[0]);
  dmft_simulation_free(&s);
}

static void test_refuses_what_the_machine_cannot_hold(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  const dmft_simulation_options_t options = {.algorithm = DMFT_SIMULATE_GD, .n = 4000000, .seeds = 1, .alpha = 0.5};
  dmft_simulation_t *s = NULL;
  char message[256] = "";
  CU_ASSERT_EQUAL(dmft_simulate(&p, &options, &s, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT_PTR_NULL(s);
  CU_ASSERT_PTR_NOT_NULL(strstr(message, "--n"));
}

int main(void) {
  CU_TestInfo tests[] = {{"gradient descent matches its limit", test_gradient_descent_matches_its_limit},
                         {"minibatch time grid", test_minibatch_time_grid},
                         {"refuses what the machine cannot hold", test_refuses_what_the_machine_cannot_hold},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("simulate", tests);
}

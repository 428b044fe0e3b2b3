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

/* The two-time kernels and both test losses of a GD simulation against the exact limit: C(t, s)
 * over the whole grid, R(t, s) from the kick experiment at its two columns, the test loss on a
 * fresh test set and by the Gaussian formula. 4 standard errors, n = 2000, 10 seeds. */
static void test_kernels_and_test_losses(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.tmax = 4.0;
  p.output_every = 8;
  dmft_result_t *exact = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &exact), DMFT_OK);
  const dmft_simulation_options_t options = {.algorithm = DMFT_SIMULATE_GD, .n = 2000, .seeds = 10, .alpha = 0.5};
  dmft_simulation_t *simulation = NULL;
  char message[256];
  CU_ASSERT_EQUAL_FATAL(dmft_simulate(&p, &options, NULL, NULL, &simulation, message, sizeof message), DMFT_OK);
  const dmft_result_t *r = simulation->result;
  const long rows = r->rows;
  long measured = 0;
  for (long i = 0; i < rows; i++) {
    DMFT_ASSERT_CLOSE("C(t,t) = Q", r->C[i * rows + i], r->Q[i], 1e-12);
    DMFT_ASSERT_WITHIN_Z("fresh test loss", r->test_loss[i], r->test_loss_se[i], exact->test_loss[i], 0.0, 4.0);
    DMFT_ASSERT_WITHIN_Z("gaussian test loss", simulation->test_loss_gaussian[i], simulation->test_loss_gaussian_se[i],
                         exact->test_loss[i], 0.0, 4.0);
    for (long j = 0; j < rows; j++) {
      DMFT_ASSERT_WITHIN_Z("C(t,s)", r->C[i * rows + j], r->C_se[i * rows + j], exact->C[i * rows + j], 0.0, 4.0);
      if (!isnan(r->R[i * rows + j])) {
        DMFT_ASSERT_WITHIN_Z("R(t,s)", r->R[i * rows + j], r->R_se[i * rows + j], exact->R[i * rows + j], 0.0, 4.0);
        measured++;
      }
    }
  }
  /* 11 rows (t = 0, 0.4, ..., 4): columns at rows 2 and 5 (t = 0.8, 2), measured at the 8 and 5
   * later rows. */
  CU_ASSERT_EQUAL(simulation->response_rows[0], 2);
  CU_ASSERT_EQUAL(simulation->response_rows[1], 5);
  CU_ASSERT_EQUAL(measured, 13);
  dmft_result_free(&exact);
  dmft_simulation_free(&simulation);
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
  CU_ASSERT_EQUAL_FATAL(dmft_simulate(&p, &options, NULL, NULL, &s, message, sizeof message), DMFT_OK);
  const double step_time = 32.0 / 1000.0; /* round(sqrt(1000)) = 32 */
  CU_ASSERT_EQUAL(s->batch, 32);
  DMFT_ASSERT_CLOSE("step time", s->step_time, step_time, 1e-15);
  const dmft_result_t *r = s->result;
  for (long i = 0; i < r->rows; i++) {
    const double grid = i * 0.25;
    CU_ASSERT(fabs(r->t[i] - grid) <= 0.5 * step_time + 1e-12);
  }
  CU_ASSERT(r->M[r->rows - 1] > r->M[0]);
  dmft_simulation_free(&s);
}

static void test_refuses_what_the_machine_cannot_hold(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  const dmft_simulation_options_t options = {.algorithm = DMFT_SIMULATE_GD, .n = 4000000, .seeds = 1, .alpha = 0.5};
  dmft_simulation_t *s = NULL;
  char message[256] = "";
  CU_ASSERT_EQUAL(dmft_simulate(&p, &options, NULL, NULL, &s, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT_PTR_NULL(s);
  CU_ASSERT_PTR_NOT_NULL(strstr(message, "--n"));
}

int main(void) {
  CU_TestInfo tests[] = {{"gradient descent matches its limit", test_gradient_descent_matches_its_limit},
                         {"kernels and test losses", test_kernels_and_test_losses},
                         {"minibatch time grid", test_minibatch_time_grid},
                         {"refuses what the machine cannot hold", test_refuses_what_the_machine_cannot_hold},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("simulate", tests);
}

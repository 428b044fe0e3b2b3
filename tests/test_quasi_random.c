/* Randomized quasi-Monte Carlo (--quasi-random): the shifted Sobol points keep the one point
 * per dyadic interval property that makes them better than random ones; solutions with them
 * agree with an exact answer and with plain sampling (unbiased); and their standard errors are
 * smaller at the same number of paths (the same cost: docs/standard-errors.md has the timings).
 * Comparisons are at 4 combined standard errors at every output row (false alarm about 6e-5
 * per comparison). The required gains are far inside the measured ones (standard errors 8 and
 * 3 times smaller): a standard error from 16 groups is itself uncertain by about 18%. */
#include "quasi_random.h"
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

static void test_points_fill_every_dyadic_interval_once(void) {
  const long n = 1024;
  double *points = dmft__quasi_random_points(7, 3, 0, n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(points);
  int *hits = malloc(sizeof(int) * (size_t)n);
  for (int j = 0; j < DMFT_QUASI_RANDOM_DIMS; j++) {
    memset(hits, 0, sizeof(int) * (size_t)n);
    int inside = 1;
    for (long p = 0; p < n; p++) {
      const double x = points[p * DMFT_QUASI_RANDOM_DIMS + j];
      if (!(x > 0.0 && x < 1.0)) inside = 0;
      else hits[(long)(x * (double)n)]++;
    }
    CU_ASSERT(inside);
    int once = 1;
    for (long b = 0; b < n; b++) once &= hits[b] == 1;
    if (!once) printf("\n  dimension %d: some interval of width 1/%ld holds no point or two\n", j, n);
    CU_ASSERT(once);
  }
  free(hits);
  free(points);
}

static void test_groups_get_independent_shifts(void) {
  double *a = dmft__quasi_random_points(7, 0, 0, 16), *b = dmft__quasi_random_points(7, 1, 0, 16);
  double *again = dmft__quasi_random_points(7, 0, 0, 16);
  CU_ASSERT_PTR_NOT_NULL_FATAL(a);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  CU_ASSERT_PTR_NOT_NULL_FATAL(again);
  int equal = 0;
  for (int i = 0; i < 16 * DMFT_QUASI_RANDOM_DIMS; i++) equal += a[i] == b[i];
  CU_ASSERT_EQUAL(equal, 0);
  CU_ASSERT_EQUAL(memcmp(a, again, sizeof(double) * 16 * DMFT_QUASI_RANDOM_DIMS), 0);
  free(a);
  free(b);
  free(again);
}

static void report_gain(const char *what, const dmft_result_t *plain, const dmft_result_t *quasi, double required) {
  const long last = plain->rows_done - 1;
  const double ratio = quasi->M_se[last] / plain->M_se[last];
  printf("\n  %s: standard error of M(%g) %.3g plain, %.3g quasi-random (ratio %.2f, required < %.2f)", what,
         plain->t[last], plain->M_se[last], quasi->M_se[last], ratio, required);
  CU_ASSERT(ratio < required);
}

/* Gradient flow for ridge regression, sampled by the dense engine, against the exact engine. */
static void test_sampled_flow_matches_exact_answer_with_smaller_error(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.tmax = 3.0;
  p.output_every = 5;
  dmft_result_t *exact = NULL, *plain = NULL, *quasi = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &exact), DMFT_OK);
  p.force_dense_engine = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &plain), DMFT_OK);
  p.quasi_random = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &quasi), DMFT_OK);
  dmft_test_assert_results_agree("quasi-random flow vs exact", quasi, exact, 1, 4.0);
  report_gain("ridge flow", plain, quasi, 0.5);
  dmft_result_free(&exact);
  dmft_result_free(&plain);
  dmft_result_free(&quasi);
}

/* SGD (poisson) on Huber loss with tanh student and teacher: quasi-random against plain. */
static void test_poisson_agrees_with_plain_sampling_with_smaller_error(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 6.0;
  p.output_every = 10;
  p.paths = 32000;
  p.threads = 2;
  dmft_result_t *plain = NULL, *quasi = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &plain), DMFT_OK);
  p.quasi_random = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &quasi), DMFT_OK);
  dmft_test_assert_results_agree("quasi-random vs plain poisson", quasi, plain, 1, 4.0);
  report_gain("Huber/tanh poisson", plain, quasi, 0.7);
  dmft_result_free(&plain);
  dmft_result_free(&quasi);
}

static void test_same_bits_for_any_thread_count(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 2.0;
  p.paths = 3000;
  p.quasi_random = 1;
  dmft_result_t *one = NULL, *two = NULL;
  p.threads = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &one), DMFT_OK);
  p.threads = 2;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &two), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(one->rows_done, two->rows_done);
  CU_ASSERT_EQUAL(memcmp(one->M, two->M, sizeof(double) * (size_t)one->rows_done), 0);
  CU_ASSERT_EQUAL(memcmp(one->train_loss, two->train_loss, sizeof(double) * (size_t)one->rows_done), 0);
  dmft_result_free(&one);
  dmft_result_free(&two);
}

int main(void) {
  CU_TestInfo tests[] = {
      {"every coordinate puts one point in each dyadic interval", test_points_fill_every_dyadic_interval_once},
      {"replica groups get independent shifts, the same ones for a seed", test_groups_get_independent_shifts},
      {"sampled ridge flow: exact answer, smaller error", test_sampled_flow_matches_exact_answer_with_smaller_error},
      {"poisson Huber/tanh: agrees with plain sampling, smaller error", test_poisson_agrees_with_plain_sampling_with_smaller_error},
      {"same seed, same bits with 1 and 2 threads", test_same_bits_for_any_thread_count},
      CU_TEST_INFO_NULL,
  };
  return dmft_test_run("quasi_random", tests);
}

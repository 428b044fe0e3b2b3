#include "test_support.h"

#include "dmft/compare.h"

#include <stdio.h>
#include <stdlib.h>

/* DMFT_TEST_SHARD=i/n runs the tests whose index is i modulo n (ctest registers a long program
 * as n entries, so that no entry comes near the two-minute limit); unset runs them all. */
static int read_shard(int *shard, int *shards) {
  *shard = 0;
  *shards = 1;
  const char *text = getenv("DMFT_TEST_SHARD");
  if (!text || !*text) return 1;
  return sscanf(text, "%d/%d", shard, shards) == 2 && *shards >= 1 && *shard >= 0 && *shard < *shards;
}

int dmft_test_run(const char *suite_name, CU_TestInfo *tests) {
  int shard, shards;
  if (!read_shard(&shard, &shards)) {
    fprintf(stderr, "DMFT_TEST_SHARD must be i/n with 0 <= i < n (got %s)\n", getenv("DMFT_TEST_SHARD"));
    return 1;
  }
  if (CU_initialize_registry() != CUE_SUCCESS) return 1;
  CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
  int index = 0;
  for (CU_TestInfo *test = tests; suite && test->pName; test++, index++)
    if (index % shards == shard) CU_add_test(suite, test->pName, test->pTestFunc);
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  const unsigned failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
  CU_cleanup_registry();
  return failures > 0;
}

int dmft_test_within_z(const char *what, double a, double se_a, double b, double se_b, double z) {
  const double combined = sqrt(se_a * se_a + se_b * se_b);
  const int ok = isfinite(a) && isfinite(b) && fabs(a - b) <= z * combined;
  if (!ok)
    fprintf(stderr, "\n    %s: %.6g +- %.2g vs %.6g +- %.2g differ by %.2f combined standard errors (allowed %.1f)\n", what,
            a, se_a, b, se_b, combined > 0 ? fabs(a - b) / combined : INFINITY, z);
  return ok;
}

int dmft_test_close(const char *what, double a, double b, double tolerance) {
  const int ok = isfinite(a) && isfinite(b) && fabs(a - b) <= tolerance;
  if (!ok) fprintf(stderr, "\n    %s: %.10g vs %.10g differ by %.3g (allowed %.3g)\n", what, a, b, fabs(a - b), tolerance);
  return ok;
}

void dmft_test_assert_results_agree(const char *what, const dmft_result_t *a, const dmft_result_t *b, long first_row, double z) {
  CU_ASSERT_EQUAL_FATAL(a->rows_done, b->rows_done);
  const int km = a->k * a->kstar, kk = a->k * a->k;
  char label[160];
  for (long i = first_row; i < a->rows_done; i++) {
    for (int e = 0; e < km; e++) {
      snprintf(label, sizeof label, "%s: M[%d] at t=%g", what, e, a->t[i]);
      DMFT_ASSERT_WITHIN_Z(label, a->M[i * km + e], a->M_se[i * km + e], b->M[i * km + e], b->M_se[i * km + e], z);
    }
    for (int e = 0; e < kk; e++) {
      snprintf(label, sizeof label, "%s: Q[%d] at t=%g", what, e, a->t[i]);
      DMFT_ASSERT_WITHIN_Z(label, a->Q[i * kk + e], a->Q_se[i * kk + e], b->Q[i * kk + e], b->Q_se[i * kk + e], z);
    }
    snprintf(label, sizeof label, "%s: train loss at t=%g", what, a->t[i]);
    DMFT_ASSERT_WITHIN_Z(label, a->train_loss[i], a->train_loss_se[i], b->train_loss[i], b->train_loss_se[i], z);
  }
}

void dmft_test_linear_problem(dmft_problem_t *problem) {
  dmft_problem_set_defaults(problem);
  problem->model.loss = dmft_loss_find("squared");
  problem->model.activation = dmft_activation_find("linear");
  problem->model.teacher = dmft_teacher_find("linear");
  problem->model.label_noise = 0.5;
  problem->ridge = 0.1;
  problem->eta = 0.5;
  problem->kappa = 1.0;
  problem->gamma = 2.0;
  problem->tmax = 2.0;
  problem->dt = 0.05;
  problem->paths = 20000;
  problem->threads = 2;
}

#include "dmft/simulate.h"

void dmft_test_compare_with_simulation(const char *what, const dmft_problem_t *problem, dmft_algorithm_t algorithm, long n,
                                       int seeds, double z) {
  char message[256];
  CU_ASSERT_EQUAL_FATAL(dmft_problem_check(problem, message, sizeof message), DMFT_OK);
  dmft_result_t *solved = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(problem, NULL, NULL, &solved), DMFT_OK);
  const dmft_simulation_options_t options = {
      .algorithm = algorithm, .n = n, .seeds = seeds, .alpha = 0.5, .skip_responses = 1};
  dmft_simulation_t *simulation = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_simulate(problem, &options, NULL, NULL, &simulation, message, sizeof message), DMFT_OK);
  const dmft_result_t *simulated = simulation->result;
  CU_ASSERT_EQUAL_FATAL(simulated->rows, solved->rows_done);
  const int km = solved->k * solved->kstar, kq = solved->k * solved->k;
  double largest = 0.0;
#define TRACK(a, sa, b, sb) largest = fmax(largest, fabs((a) - (b)) / sqrt((sa) * (sa) + (sb) * (sb)))
  for (long i = 1; i < solved->rows_done; i++) {
    for (int e = 0; e < km; e++) TRACK(solved->M[i * km + e], solved->M_se[i * km + e], simulated->M[i * km + e], simulated->M_se[i * km + e]);
    for (int e = 0; e < kq; e++) TRACK(solved->Q[i * kq + e], solved->Q_se[i * kq + e], simulated->Q[i * kq + e], simulated->Q_se[i * kq + e]);
    TRACK(solved->train_loss[i], solved->train_loss_se[i], simulated->train_loss[i], simulated->train_loss_se[i]);
    char label[160];
    for (int e = 0; e < km; e++) {
      snprintf(label, sizeof label, "%s: M[%d] at t=%g", what, e, solved->t[i]);
      DMFT_ASSERT_WITHIN_Z(label, solved->M[i * km + e], solved->M_se[i * km + e], simulated->M[i * km + e],
                           simulated->M_se[i * km + e], z);
    }
    for (int e = 0; e < kq; e++) {
      snprintf(label, sizeof label, "%s: Q[%d] at t=%g", what, e, solved->t[i]);
      DMFT_ASSERT_WITHIN_Z(label, solved->Q[i * kq + e], solved->Q_se[i * kq + e], simulated->Q[i * kq + e],
                           simulated->Q_se[i * kq + e], z);
    }
    snprintf(label, sizeof label, "%s: train loss at t=%g", what, solved->t[i]);
    DMFT_ASSERT_WITHIN_Z(label, solved->train_loss[i], solved->train_loss_se[i], simulated->train_loss[i],
                         simulated->train_loss_se[i], z);
  }
#undef TRACK
  printf("\n    %s: largest deviation %.2f combined standard errors over %ld rows ", what, largest, solved->rows_done - 1);
  dmft_result_free(&solved);
  dmft_simulation_free(&simulation);
}

double dmft_test_largest_deviation(const dmft_result_t *solved, const dmft_result_t *simulated) {
  const int km = solved->k * solved->kstar, kq = solved->k * solved->k;
  const int observables[3] = {0, km, km + kq}; /* M_00, Q_00, the train loss */
  double largest = 0.0;
  for (long row = 1; row < simulated->rows_done; row++)
    for (int o = 0; o < 3; o++) largest = fmax(largest, fabs(dmft_compare_deviation(solved, simulated, row, observables[o])));
  return largest;
}

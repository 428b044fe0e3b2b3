/* The sampled parameter side: against the exact linear side where both apply (ridge, any
 * prior: the linear side depends on second moments only), and against finite-n simulations
 * where only it applies (a smoothed L1 regularizer with non-Gaussian priors). Comparisons
 * allow 4 combined standard errors at every output row (false alarm about 6e-5 per comparison,
 * below 1% per test); the sampled and exact runs use different seeds, so their errors are
 * independent as the combined standard error assumes. */
#include "test_support.h"

#include <string.h>

static const double z_allowed = 4.0;

/* Every entry of M, Q and the train loss at every row (row 0 too: the sampled side draws it),
 * and R(last row, every earlier row). */
static void compare_rows(const char *what, const dmft_result_t *a, const dmft_result_t *b) {
  dmft_test_assert_results_agree(what, a, b, 0, z_allowed);
  const long rows = a->rows_done;
  const int kk = a->k * a->k;
  for (long j = 0; j + 1 < rows; j++)
    for (int e = 0; e < kk; e++) {
      const size_t at = ((size_t)(rows - 1) * (size_t)rows + (size_t)j) * (size_t)kk + (size_t)e;
      char label[160];
      snprintf(label, sizeof label, "%s: R[%d](%g, %g)", what, e, a->t[rows - 1], a->t[j]);
      DMFT_ASSERT_WITHIN_Z(label, a->R[at], a->R_se[at], b->R[at], b->R_se[at], z_allowed);
    }
}

static dmft_problem_t short_problem(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p); /* Huber loss, tanh student and teacher, poisson */
  p.tmax = 3.0;
  p.dt = 0.1;
  p.output_every = 3;
  p.paths = 16000;
  p.threads = 2;
  return p;
}

static void solve_both_sides(const char *what, dmft_problem_t p) {
  dmft_result_t *exact = NULL, *sampled = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &exact), DMFT_OK);
  p.sampled_parameter_side = 1;
  p.seed += 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &sampled), DMFT_OK);
  compare_rows(what, sampled, exact);
  dmft_result_free(&exact);
  dmft_result_free(&sampled);
}

static void test_ridge_gaussian_priors_match_exact_side(void) {
  solve_both_sides("ridge, gauss priors", short_problem());
}

static void test_ridge_other_priors_match_exact_side(void) {
  dmft_problem_t p = short_problem();
  p.teacher_prior = DMFT_PRIOR_RADEMACHER;
  p.init_prior = DMFT_PRIOR_BERNOULLI_GAUSS;
  p.sparsity = 0.2;
  solve_both_sides("ridge, rademacher teacher, bernoulli-gauss init", p);
}

/* A committee (k = 2 on k* = 2): the block recursions of the tangents. */
static void test_committee_matches_exact_side(void) {
  dmft_problem_t p = short_problem();
  p.model.k = 2;
  p.model.kstar = 2;
  p.tmax = 2.0;
  solve_both_sides("ridge, committee k = 2", p);
}

static dmft_problem_t l1_problem(void) {
  dmft_problem_t p = short_problem();
  p.noise = dmft_noise_find("bernoulli");
  p.model.regularizer = dmft_regularizer_find("l1");
  dmft_model_reset_params(&p.model);
  CU_ASSERT_EQUAL(dmft_model_set_param(&p.model, "l1", 0.3, NULL, 0), DMFT_OK);
  p.teacher_prior = DMFT_PRIOR_RADEMACHER;
  p.init_prior = DMFT_PRIOR_BERNOULLI_GAUSS;
  p.sparsity = 0.2;
  return p;
}

/* Smoothed L1 (elastic net with the ridge) on a Rademacher teacher: extensive-batch SGD at
 * n = 2000 (6 seeds) against the bernoulli DMFT, which describes it exactly. */
static void test_l1_matches_simulation(void) {
  const dmft_problem_t p = l1_problem();
  dmft_test_compare_with_simulation("l1, rademacher", &p, DMFT_SIMULATE_EXTENSIVE, 2000, 6, z_allowed);
}

/* The answer must depend on what the sampled side adds: with L1 the prior's shape matters (the
 * exact side would not see it), and L1 moves M far from the ridge-only answer. */
static void test_l1_sees_the_prior_and_the_regularizer(void) {
  dmft_problem_t p = l1_problem();
  dmft_result_t *rademacher = NULL, *gauss = NULL, *ridge_only = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &rademacher), DMFT_OK);
  p.teacher_prior = DMFT_PRIOR_BERNOULLI_GAUSS;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &gauss), DMFT_OK);
  p.model.regularizer = dmft_regularizer_find("none");
  dmft_model_reset_params(&p.model);
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &ridge_only), DMFT_OK);
  const long last = rademacher->rows_done - 1;
  const double prior_gap = fabs(rademacher->M[last] - gauss->M[last]) / hypot(rademacher->M_se[last], gauss->M_se[last]);
  const double l1_gap = fabs(rademacher->M[last] - ridge_only->M[last]) / hypot(rademacher->M_se[last], ridge_only->M_se[last]);
  printf("\n  M(3): rademacher %.4f, sparse %.4f (%.1f s.e. apart); without L1 %.4f (%.1f s.e.)", rademacher->M[last],
         gauss->M[last], prior_gap, ridge_only->M[last], l1_gap);
  CU_ASSERT(prior_gap > 5.0);
  CU_ASSERT(l1_gap > 5.0);
  dmft_result_free(&rademacher);
  dmft_result_free(&gauss);
  dmft_result_free(&ridge_only);
}

/* Same seed, same bits, whatever the thread count: each group's parameter paths have their own
 * streams. */
static void test_same_bits_for_any_thread_count(void) {
  dmft_problem_t p = l1_problem();
  p.paths = 1600;
  dmft_result_t *one = NULL, *two = NULL;
  p.threads = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &one), DMFT_OK);
  p.threads = 2;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &two), DMFT_OK);
  CU_ASSERT_EQUAL(memcmp(one->M, two->M, sizeof(double) * (size_t)one->rows_done), 0);
  CU_ASSERT_EQUAL(memcmp(one->R, two->R, sizeof(double) * (size_t)(one->rows * one->rows)), 0);
  dmft_result_free(&one);
  dmft_result_free(&two);
}

int main(void) {
  CU_TestInfo tests[] = {
      {"ridge, gauss priors: sampled side = exact side", test_ridge_gaussian_priors_match_exact_side},
      {"ridge, other priors: sampled side = exact side", test_ridge_other_priors_match_exact_side},
      {"committee k = 2: sampled side = exact side", test_committee_matches_exact_side},
      {"l1 regularizer, rademacher teacher: matches simulation", test_l1_matches_simulation},
      {"l1: the prior and the regularizer matter", test_l1_sees_the_prior_and_the_regularizer},
      {"same seed, same bits with 1 and 2 threads", test_same_bits_for_any_thread_count},
      CU_TEST_INFO_NULL,
  };
  return dmft_test_run("parameter_paths", tests);
}

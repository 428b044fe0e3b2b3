/* The dense engine: checked against the exact Gaussian engine where both apply (gradient flow
 * on least squares, tangents shared by all paths), and against the sparse engine on a point
 * process run densely (bernoulli, per-path tangents). Sampled results are compared within 4
 * combined standard errors at every output row: with about 40 comparisons per test, a correct
 * engine fails by chance with probability about 40 * 6e-5 = 0.3%. */
#include "test_support.h"

static const double z_allowed = 4.0;

static void test_sampled_flow_matches_exact_engine(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.tmax = 3.0;
  p.output_every = 5;
  dmft_result_t *exact = NULL, *sampled = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &exact), DMFT_OK);
  p.force_dense_engine = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &sampled), DMFT_OK);
  CU_ASSERT_EQUAL(sampled->groups, 16);
  dmft_test_assert_results_agree("dense flow vs exact", sampled, exact, 1, z_allowed);
  dmft_result_free(&exact);
  dmft_result_free(&sampled);
}

static void test_bernoulli_dense_matches_sparse(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p); /* Huber loss, tanh student and teacher */
  p.noise = dmft_noise_find("bernoulli");
  p.tmax = 3.0;
  p.output_every = 5;
  p.paths = 32000;
  dmft_result_t *sparse = NULL, *dense = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &sparse), DMFT_OK);
  p.force_dense_engine = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &dense), DMFT_OK);
  dmft_test_assert_results_agree("bernoulli dense vs sparse", dense, sparse, 1, z_allowed);
  /* The two engines draw different fields, so they must not agree to the last digit either. */
  CU_ASSERT(dense->M[dense->rows_done - 1] != sparse->M[sparse->rows_done - 1]);
  dmft_result_free(&sparse);
  dmft_result_free(&dense);
}

/* Poisson jumps applied sequentially in the dense engine too (a committee, k = 2). */
static void test_poisson_committee_dense_matches_sparse(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.model.k = 2;
  p.model.kstar = 2;
  p.model.loss = dmft_loss_find("squared");
  p.eta = 1.5;
  p.tmax = 2.0;
  p.output_every = 10;
  p.paths = 32000;
  dmft_result_t *sparse = NULL, *dense = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &sparse), DMFT_OK);
  p.force_dense_engine = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &dense), DMFT_OK);
  dmft_test_assert_results_agree("poisson committee dense vs sparse", dense, sparse, 1, z_allowed);
  dmft_result_free(&sparse);
  dmft_result_free(&dense);
}

/* SME against its finite-n simulation (Euler–Maruyama with Gaussian per-sample weights), on
 * the default Huber/tanh model (equations.md §4 case 2), n = 3000, 12 seeds; 4 combined standard
 * errors at each row (about 40 comparisons: a correct solver fails by chance below 1%). */
static void test_sme_matches_simulation(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.noise = dmft_noise_find("gauss");
  p.tmax = 3.0;
  p.output_every = 10;
  p.paths = 40000;
  dmft_test_compare_with_simulation("sme", &p, DMFT_SIMULATE_SME, 3000, 12, z_allowed);
}

/* Gradient descent on a non-linear model beyond the listed cases: Huber loss on an erf student,
 * ReLU teacher, gamma 3, eta 0.8, no label noise. */
static void test_gradient_descent_nonlinear_matches_simulation(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.noise = dmft_noise_find("flow");
  p.model.activation = dmft_activation_find("erf");
  p.model.teacher = dmft_teacher_find("relu");
  p.model.label_noise = 0.0;
  p.gamma = 3.0;
  p.eta = 0.8;
  p.tmax = 3.0;
  p.output_every = 10;
  p.paths = 40000;
  dmft_test_compare_with_simulation("gd erf/relu", &p, DMFT_SIMULATE_GD, 3000, 12, z_allowed);
}

int main(void) {
  CU_TestInfo tests[] = {{"sampled flow matches exact engine", test_sampled_flow_matches_exact_engine},
                         {"bernoulli dense matches sparse", test_bernoulli_dense_matches_sparse},
                         {"poisson committee dense matches sparse", test_poisson_committee_dense_matches_sparse},
                         {"sme matches simulation", test_sme_matches_simulation},
                         {"gradient descent, non-linear, matches simulation", test_gradient_descent_nonlinear_matches_simulation},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("engine_dense", tests);
}

/* One replica group's march: which engine a problem gets, the reduction of a step, and where a
 * divergence is attributed. */
#include <stdlib.h>

#include "replica.h"
#include "test_support.h"

static void test_engine_choice(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  CU_ASSERT_PTR_EQUAL(dmft__engine_for(&p, 0), &dmft__engine_sparse);
  CU_ASSERT_PTR_EQUAL(dmft__engine_for(&p, 1), &dmft__engine_dense);
  p.noise = dmft_noise_find("gauss");
  CU_ASSERT_PTR_EQUAL(dmft__engine_for(&p, 0), &dmft__engine_dense);
  p.noise = dmft_noise_find("flow");
  CU_ASSERT_PTR_EQUAL(dmft__engine_for(&p, 0), &dmft__engine_dense); /* Huber: Hessian not constant */
  p.model.loss = dmft_loss_find("squared");
  p.model.activation = dmft_activation_find("linear");
  CU_ASSERT_PTR_EQUAL(dmft__engine_for(&p, 0), &dmft__engine_gaussian);
  CU_ASSERT(dmft__engine_gaussian.is_exact && !dmft__engine_dense.is_exact && !dmft__engine_sparse.is_exact);
  p.noise = dmft_noise_find("gauss"); /* random increments: not linear-Gaussian */
  CU_ASSERT_PTR_EQUAL(dmft__engine_for(&p, 0), &dmft__engine_dense);
}

/* The march sums a step's leaves into row k of the kernels and divides by the paths: 2500 paths
 * (three leaves) each adding 2 to Cl, -1 to Rl, 0.5 to the moment and its loss. */
static void test_step_reduction(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  const long paths = 2500, k = 2;
  p.paths = DMFT_MAX_GROUPS * paths; /* group 0 has 2500 paths, all of them with tangents */
  p.response_paths = 0;
  char report[4] = {0, 0, 1, 0};
  dmft__replica_t replica = {.problem = &p, .group_paths = paths, .paths = paths, .steps = 3, .report = report};
  CU_ASSERT_EQUAL_FATAL(dmft__kernels_alloc(&replica.kernels, 1, 1, 3), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(dmft__path_leaves_of(paths), 3);
  CU_ASSERT_EQUAL_FATAL(dmft__path_sums_create(&replica.sums, paths, 0, 3, dmft__step_sums_doubles(1, 1, 3), NULL), DMFT_OK);
  dmft__path_sums_clear(&replica.sums, dmft__step_sums_doubles(1, 1, k));
  for (long path = 0; path < paths; path++) {
    const dmft__step_sums_t sums = dmft__replica_step_sums(&replica, path, k);
    for (long m = 0; m <= k; m++) {
      sums.Cl[m] += 2.0;
      sums.Rl[m] -= 1.0;
    }
    sums.wstar_moment[0] += 0.5;
    sums.loss[0] += 3.0;
    sums.loss[1] += 1.0;
  }
  dmft__block(replica.kernels.Cl, 3, 0, 1)[0] = 8.0;
  dmft__replica_reduce_step(&replica, &dmft__engine_dense, k, NULL);
  for (long m = 0; m <= k; m++) {
    CU_ASSERT_EQUAL(dmft__block(replica.kernels.Cl, k, m, 1)[0], 2.0);
    CU_ASSERT_EQUAL(dmft__block(replica.kernels.Rl, k, m, 1)[0], -1.0);
  }
  CU_ASSERT_EQUAL(dmft__block(replica.kernels.Cl, 3, 0, 1)[0], 8.0); /* other rows untouched */
  CU_ASSERT_EQUAL(replica.kernels.wstar_moment[k], 0.5);
  CU_ASSERT_EQUAL(replica.kernels.train_loss[k], 3.0); /* the dense engine reports it with the step */
  dmft__path_sums_free(&replica.sums);
  dmft__kernels_free(&replica.kernels);
}

/* Gradient descent on least squares with eta dt (1 + sqrt(gamma))^2 = 4.5 grows its top mode
 * by 3.5 a step from a second moment of order one: past 1e8 after about 15 steps. The run
 * stops there and says so; every row before it is finite. */
static void test_divergence_step(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.gamma = 4.0, p.eta = 5.0, p.dt = 0.1, p.tmax = 10.0;
  dmft__coefficients_t coefficients;
  CU_ASSERT_EQUAL_FATAL(dmft__coefficients_create(&p, &coefficients), DMFT_OK);
  dmft__replica_t replica = {.problem = &p, .group_paths = 1, .paths = 1, .steps = dmft_problem_steps(&p), .coefficients = &coefficients};
  char *report = calloc((size_t)replica.steps + 1, 1);
  replica.report = report;
  dmft__progress_t progress = {.total = replica.steps + 1};
  long diverged_step = -1;
  CU_ASSERT_EQUAL(dmft__replica_run(&replica, &dmft__engine_gaussian, &diverged_step, &progress), DMFT_EDIVERGED);
  CU_ASSERT(diverged_step > 8 && diverged_step < 25);
  CU_ASSERT_EQUAL(progress.done, diverged_step);
  for (long k = 0; k < diverged_step; k++) CU_ASSERT(isfinite(dmft__block(replica.kernels.C, k, k, 1)[0]));
  dmft__kernels_free(&replica.kernels);
  dmft__coefficients_free(&coefficients);
  free(report);
}

int main(void) {
  CU_TestInfo tests[] = {{"engine choice", test_engine_choice},
                         {"step reduction", test_step_reduction},
                         {"divergence step", test_divergence_step},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("replica", tests);
}

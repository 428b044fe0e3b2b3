/* The comparison behind dmft validate: deviations in standard errors (normal-equivalent when
 * the errors come from few replicas), interpolation to simulated times, the Bonferroni bound and
 * the finite-size slope, against values computed by hand. */
#include <gsl/gsl_cdf.h>

#include "dmft/compare.h"
#include "test_support.h"

static dmft_result_t *flat_result(const dmft_problem_t *p, double M, double M_se, int groups) {
  dmft_result_t *r = dmft_result_alloc(p);
  r->rows_done = r->rows;
  r->groups = groups;
  for (long i = 0; i < r->rows; i++) {
    r->M[i] = M, r->M_se[i] = M_se;
    r->Q[i] = 0.5, r->Q_se[i] = M_se;
    r->train_loss[i] = r->test_loss[i] = 0.1;
    r->train_loss_se[i] = r->test_loss_se[i] = M_se;
  }
  return r;
}

static void test_deviation_in_standard_errors(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 1.0, p.output_every = 5; /* 5 rows */
  dmft_result_t *solved = flat_result(&p, 0.50, 0.003, 1000000), *simulated = flat_result(&p, 0.51, 0.004, 1000000);
  dmft_comparison_t c;
  dmft_compare(solved, simulated, &c);
  CU_ASSERT_EQUAL(c.comparisons, 5 * 4);
  /* Many replicas: t is normal, |0.01| / 0.005 = 2. */
  DMFT_ASSERT_CLOSE("z", c.largest_z, 2.0, 1e-4);
  CU_ASSERT_STRING_EQUAL(c.largest_observable, "M");
  DMFT_ASSERT_CLOSE("rms deviation", c.rms_deviation, 0.01 / 2.0, 1e-12); /* one observable of four deviates */
  DMFT_ASSERT_CLOSE("rms error", c.rms_error, 0.004, 1e-12);
  /* Four seeds: t = 2 with Welch–Satterthwaite degrees of freedom
   * (va + vb)^2 / (va^2/1e6 + vb^2/3) = 7.3 is less surprising than a normal 2: the normal
   * deviate of the same tail is 1.73. */
  simulated->groups = 4;
  dmft_compare(solved, simulated, &c);
  const double va = 9e-6, vb = 16e-6, dof = (va + vb) * (va + vb) / (va * va / 999999.0 + vb * vb / 3.0);
  DMFT_ASSERT_CLOSE("normal equivalent", c.largest_z, gsl_cdf_ugaussian_Qinv(gsl_cdf_tdist_Q(2.0, dof)), 1e-4);
  CU_ASSERT(c.largest_z < 1.8);
  /* No error at all on either side and a difference: infinitely far. */
  for (long i = 0; i < solved->rows; i++) solved->M_se[i] = simulated->M_se[i] = 0.0;
  dmft_compare(solved, simulated, &c);
  CU_ASSERT(isinf(c.largest_z));
  dmft_result_free(&solved);
  dmft_result_free(&simulated);
}

/* A simulated time between two solver rows reads the solver by linear interpolation. */
static void test_interpolation_in_time(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.tmax = 1.0, p.output_every = 5;
  dmft_result_t *solved = flat_result(&p, 0.0, 0.01, 1000000), *simulated = flat_result(&p, 0.0, 0.01, 1000000);
  for (long i = 0; i < solved->rows; i++) solved->M[i] = solved->t[i]; /* M = t on the grid */
  for (long i = 0; i < simulated->rows; i++) {
    simulated->t[i] = solved->t[i] + (i + 1 < solved->rows ? 0.05 : 0.0);
    simulated->M[i] = simulated->t[i];
  }
  dmft_comparison_t c;
  dmft_compare(solved, simulated, &c);
  DMFT_ASSERT_CLOSE("interpolated exactly", c.largest_z, 0.0, 1e-9);
  dmft_result_free(&solved);
  dmft_result_free(&simulated);
}

static void test_bonferroni_and_slope(void) {
  DMFT_ASSERT_CLOSE("one comparison at 1%", dmft_bonferroni_z(1, 0.01), 2.5758293, 1e-6);
  DMFT_ASSERT_CLOSE("100 comparisons at 1%", dmft_bonferroni_z(100, 0.01), gsl_cdf_ugaussian_Qinv(0.00005), 1e-12);
  const long sizes[3] = {1000, 2000, 8000};
  const double values[3] = {0.1, 0.1 / sqrt(2.0), 0.1 / sqrt(8.0)};
  DMFT_ASSERT_CLOSE("slope", dmft_finite_size_slope(sizes, values, 3), -0.5, 1e-12);
  CU_ASSERT(isnan(dmft_finite_size_slope(sizes, values, 1)));
}

int main(void) {
  CU_TestInfo tests[] = {{"deviation in standard errors", test_deviation_in_standard_errors},
                         {"interpolation in time", test_interpolation_in_time},
                         {"bonferroni and slope", test_bonferroni_and_slope},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("compare", tests);
}

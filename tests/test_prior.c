/* Priors: each draws the second moment it is asked for, with its own shape. 2e5 draws: the
 * sample second moment has relative standard error sqrt(Var(x^2))/E[x^2]/sqrt(n), at most
 * sqrt(2/rho)/447 (Bernoulli-Gauss, rho = 0.2: 0.7%); allowed 5 of those. */
#include "test_support.h"

#include <string.h>

static void test_names(void) {
  for (int i = 0; i < DMFT_PRIOR_COUNT; i++) {
    dmft_prior_t found;
    CU_ASSERT_EQUAL(dmft_prior_find(dmft_prior_name((dmft_prior_t)i), &found), 0);
    CU_ASSERT_EQUAL(found, (dmft_prior_t)i);
  }
  dmft_prior_t unused;
  CU_ASSERT_EQUAL(dmft_prior_find("laplace", &unused), -1);
}

static void test_moments_and_shapes(void) {
  const long n = 200000;
  const double variance = 1.7, sparsity = 0.2;
  for (int i = 0; i < DMFT_PRIOR_COUNT; i++) {
    dmft_rng_t rng;
    dmft_rng_seed(&rng, 11, (uint64_t)i, 0, 0);
    double sum = 0.0, squares = 0.0, fourth = 0.0;
    long zeros = 0, off_support = 0;
    for (long j = 0; j < n; j++) {
      const double x = dmft_prior_draw((dmft_prior_t)i, variance, sparsity, &rng);
      sum += x;
      squares += x * x;
      fourth += x * x * x * x;
      zeros += x == 0.0;
      off_support += i == DMFT_PRIOR_RADEMACHER && fabs(fabs(x) - sqrt(variance)) > 1e-15;
    }
    const double second = squares / n, spread = sqrt(fmax(fourth / n - second * second, 0.0) / (double)n);
    char label[96];
    snprintf(label, sizeof label, "%s: second moment", dmft_prior_name((dmft_prior_t)i));
    if (i == DMFT_PRIOR_RADEMACHER) { /* x^2 = variance: only the rounding of 2e5 sums, below n eps v = 8e-11 */
      DMFT_ASSERT_CLOSE(label, second, variance, 1e-9);
    } else {
      DMFT_ASSERT_WITHIN_Z(label, second, spread, variance, 0.0, 5.0);
    }
    snprintf(label, sizeof label, "%s: mean", dmft_prior_name((dmft_prior_t)i));
    DMFT_ASSERT_WITHIN_Z(label, sum / n, sqrt(second / n), 0.0, 0.0, 5.0);
    if (i == DMFT_PRIOR_RADEMACHER) CU_ASSERT_EQUAL(off_support, 0);
    if (i == DMFT_PRIOR_BERNOULLI_GAUSS) {
      DMFT_ASSERT_WITHIN_Z("bernoulli-gauss: fraction of zeros", (double)zeros / n, sqrt(0.16 / n), 0.8, 0.0, 5.0);
    } else {
      CU_ASSERT_EQUAL(zeros, 0);
    }
  }
}

int main(void) {
  CU_TestInfo tests[] = {{"names", test_names}, {"moments and shapes", test_moments_and_shapes}, CU_TEST_INFO_NULL};
  return dmft_test_run("prior", tests);
}

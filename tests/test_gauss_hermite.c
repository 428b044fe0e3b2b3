#include "gauss_hermite.h"
#include "test_support.h"

/* An n-point rule is exact for polynomials of degree 2n - 1: E Z^(2m) = (2m - 1)!!. */
static void test_moments_are_exact(void) {
  const int sizes[] = {1, 5, 12, 40, 200};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    const int n = sizes[s];
    double nodes[200], weights[200];
    CU_ASSERT_EQUAL_FATAL(dmft__gauss_hermite(n, nodes, weights), DMFT_OK);
    double double_factorial = 1.0;
    for (int m = 0; 2 * m <= 2 * n - 1 && m <= 6; m++) {
      if (m > 0) double_factorial *= 2 * m - 1;
      double moment = 0.0, odd = 0.0;
      for (int i = 0; i < n; i++) {
        moment += weights[i] * pow(nodes[i], 2 * m);
        odd += weights[i] * pow(nodes[i], 2 * m + 1);
      }
      DMFT_ASSERT_CLOSE("even moment", moment, double_factorial, 1e-11 * double_factorial);
      DMFT_ASSERT_CLOSE("odd moment", odd, 0.0, 1e-10 * double_factorial);
    }
  }
}

int main(void) {
  CU_TestInfo tests[] = {{"moments are exact", test_moments_are_exact}, CU_TEST_INFO_NULL};
  return dmft_test_run("gauss_hermite", tests);
}

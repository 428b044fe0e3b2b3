#include <string.h>

#include "sample_kick.h"
#include "test_support.h"

/* Squared loss of a linear student: each jump multiplies the residual r = xi - y by 1 - h, so
 * n jumps give dG = r (1 - (1 - h)^n) and D = 1 - (1 - h)^n. Copies of one gradient would give
 * n h r instead: the test tells the two apart. */
static void test_sequential_jumps_on_least_squares(void) {
  dmft_model_t model = {.activation = dmft_activation_find("linear"), .loss = dmft_loss_find("squared"),
                        .teacher = dmft_teacher_find("linear"), .k = 1, .kstar = 1};
  const double h = 0.7, xi = 1.2, y = -0.3;
  double work[8], dG, D;
  for (int n = 0; n <= 3; n++) {
    dmft__sample_kick(&model, h, 1.0, &xi, y, (double)n, 1, &dG, &D, work);
    const double shrink = 1.0 - pow(1.0 - h, n);
    DMFT_ASSERT_CLOSE("kick", dG, (xi - y) * shrink, 1e-14);
    DMFT_ASSERT_CLOSE("kick derivative", D, shrink, 1e-14);
  }
  /* A continuous increment scales one gradient. */
  dmft__sample_kick(&model, h, 1.0, &xi, y, 2.5, 0, &dG, &D, work);
  DMFT_ASSERT_CLOSE("continuous increment", dG, 2.5 * h * (xi - y), 1e-14);
}

/* D = d dG / d xi for three sequential jumps of a tanh committee, against central differences
 * (step 1e-6: error O(1e-12) + rounding O(1e-10); tolerance 1e-7). */
/* With momentum (carry = 1 - beta = 0.3, the part of a kick the field feels at the next draw)
 * as without (carry 1). */
static void test_kick_derivative_matches_finite_differences(void) {
  dmft_model_t model = {.activation = dmft_activation_find("tanh"), .loss = dmft_loss_find("huber"),
                        .teacher = dmft_teacher_find("tanh"), .regularizer = dmft_regularizer_find("none"), .k = 2,
                        .kstar = 2};
  dmft_model_reset_params(&model);
  const double h = 0.9, y = 0.4, step = 1e-6, carries[2] = {1.0, 0.3};
  for (int c = 0; c < 2; c++) {
    double xi[2] = {0.3, -0.8}, work[32], dG[2], D[4], plus[2], minus[2], D_unused[4];
    dmft__sample_kick(&model, h, carries[c], xi, y, 3.0, 1, dG, D, work);
    for (int b = 0; b < 2; b++) {
      double shifted[2];
      memcpy(shifted, xi, sizeof xi);
      shifted[b] += step;
      dmft__sample_kick(&model, h, carries[c], shifted, y, 3.0, 1, plus, D_unused, work);
      shifted[b] -= 2 * step;
      dmft__sample_kick(&model, h, carries[c], shifted, y, 3.0, 1, minus, D_unused, work);
      for (int a = 0; a < 2; a++) DMFT_ASSERT_CLOSE("D", D[a * 2 + b], (plus[a] - minus[a]) / (2 * step), 1e-7);
    }
  }
  /* Two jumps on least squares with carry c: the second sees xi - c h (xi - y). */
  dmft_model_t squares = {.activation = dmft_activation_find("linear"), .loss = dmft_loss_find("squared"),
                          .teacher = dmft_teacher_find("linear"), .regularizer = dmft_regularizer_find("none"), .k = 1,
                          .kstar = 1};
  dmft_model_reset_params(&squares);
  double xi = 0.7, work[32], dG, D;
  dmft__sample_kick(&squares, h, 0.3, &xi, y, 2.0, 1, &dG, &D, work);
  const double second = xi - 0.3 * h * (xi - y);
  DMFT_ASSERT_CLOSE("dG with carry", dG, h * (xi - y) + h * (second - y), 1e-15);
  DMFT_ASSERT_CLOSE("D with carry", D, h + h * (1 - 0.3 * h), 1e-15);
}

int main(void) {
  CU_TestInfo tests[] = {{"sequential jumps on least squares", test_sequential_jumps_on_least_squares},
                         {"kick derivative matches finite differences", test_kick_derivative_matches_finite_differences},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("sample_kick", tests);
}

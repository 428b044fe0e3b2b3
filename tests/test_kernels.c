#include <string.h>

#include "kernels.h"
#include "test_support.h"

static void test_block_gemm_every_transposition(void) {
  /* op(A) 2x3, op(B) 3x2: compare with the product written out. */
  const double A[6] = {1, 2, 3, 4, 5, 6};            /* 2x3 */
  const double At[6] = {1, 4, 2, 5, 3, 6};           /* its transpose, 3x2 */
  const double B[6] = {7, 8, 9, 10, 11, 12};         /* 3x2 */
  const double Bt[6] = {7, 9, 11, 8, 10, 12};        /* its transpose, 2x3 */
  const double expected[4] = {58, 64, 139, 154};
  const double *as[2] = {A, At}, *bs[2] = {B, Bt};
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++) {
      double out[4] = {1, 1, 1, 1};
      dmft__block_gemm(2, 3, 2, 2.0, as[ta], ta, bs[tb], tb, out);
      for (int i = 0; i < 4; i++) DMFT_ASSERT_CLOSE("gemm", out[i], 1.0 + 2.0 * expected[i], 1e-12);
    }
}

static void test_packed_layout_and_covariance_order(void) {
  dmft__kernels_t kernels;
  CU_ASSERT_EQUAL_FATAL(dmft__kernels_alloc(&kernels, 2, 1, 3), DMFT_OK);
  CU_ASSERT_EQUAL(dmft__packed_block(2, 1), 4);
  for (long i = 0; i <= 3; i++)
    for (long j = 0; j <= i; j++)
      for (int e = 0; e < 4; e++) dmft__block(kernels.C, i, j, 2)[e] = 100 * i + 10 * j + e;
  for (long i = 0; i <= 3; i++) kernels.M[i * 2] = -(double)i, kernels.M[i * 2 + 1] = -10.0 - (double)i;
  double covariance[16];
  const long previous[2] = {0, 2};
  /* component 1 of w_3 against w*, w_0, w_2, then components 0..1 of w_3 */
  const long n = dmft__field_covariance(&kernels, 3, 1, previous, 2, covariance);
  CU_ASSERT_EQUAL(n, 1 + 2 * 2 + 2);
  const double expected[7] = {-13, 302, 303, 322, 323, 332, 333};
  for (int i = 0; i < 7; i++) CU_ASSERT_EQUAL(covariance[i], expected[i]);
  dmft__kernels_free(&kernels);
  CU_ASSERT_PTR_NULL(kernels.C);
}

int main(void) {
  CU_TestInfo tests[] = {{"block gemm every transposition", test_block_gemm_every_transposition},
                         {"packed layout and covariance order", test_packed_layout_and_covariance_order},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("kernels", tests);
}

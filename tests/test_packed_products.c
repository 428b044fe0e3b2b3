#include <stdlib.h>
#include <string.h>

#include "packed_products.h"
#include "psd_cholesky.h"
#include "test_support.h"

enum { LARGEST = 130 };

/* Random triangles and vectors of order one, R's diagonal zero as in the recursion. */
static void fill(long n, double *R, double *C, double *rl, double *cl, uint64_t seed) {
  dmft_rng_t rng;
  dmft_rng_seed(&rng, seed, (uint64_t)n, 0, 0);
  for (long m = 0; m < n; m++) {
    for (long j = 0; j <= m; j++) {
      R[dmft__packed_row(m) + (size_t)j] = j == m ? 0.0 : dmft_rng_normal(&rng);
      C[dmft__packed_row(m) + (size_t)j] = dmft_rng_normal(&rng);
    }
    rl[m] = dmft_rng_normal(&rng);
    cl[m] = dmft_rng_normal(&rng);
  }
}

static double entry(const double *T, long i, long j) { return T[dmft__packed_row(i) + (size_t)j]; }

/* Against the plain double loops of the definitions. The sums have at most 130 terms of order
 * one, so rounding leaves about n * 1e-16 * (sum of |terms|); 1e-13 times that sum is a bound
 * with room, and a wrong index or a missed row moves a result by a whole term. */
static void test_products_match_their_definitions(void) {
  const long sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 33, LARGEST};
  double *R = malloc(sizeof(double) * dmft__packed_row(LARGEST + 1)), *C = malloc(sizeof(double) * dmft__packed_row(LARGEST + 1));
  double rl[LARGEST], cl[LARGEST], r_t_rl[LARGEST], r_cl[LARGEST], c_rl[LARGEST];
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    const long n = sizes[s];
    fill(n, R, C, rl, cl, 7);
    dmft__packed_products(n, R, C, rl, cl, r_t_rl, r_cl, c_rl);
    for (long i = 0; i < n; i++) {
      double want[3] = {0, 0, 0}, scale[3] = {0, 0, 0};
      for (long m = i; m < n; m++) {
        want[0] += entry(R, m, i) * rl[m];
        scale[0] += fabs(entry(R, m, i) * rl[m]);
      }
      for (long j = 0; j <= i; j++) {
        want[1] += entry(R, i, j) * cl[j];
        scale[1] += fabs(entry(R, i, j) * cl[j]);
      }
      for (long m = 0; m < n; m++) {
        const double c = m <= i ? entry(C, i, m) : entry(C, m, i);
        want[2] += c * rl[m];
        scale[2] += fabs(c * rl[m]);
      }
      DMFT_ASSERT_CLOSE("R^T rl", r_t_rl[i], want[0], 1e-13 * scale[0]);
      DMFT_ASSERT_CLOSE("R cl", r_cl[i], want[1], 1e-13 * scale[1]);
      DMFT_ASSERT_CLOSE("C rl", c_rl[i], want[2], 1e-13 * scale[2]);
    }
  }
  free(R);
  free(C);
}

/* The loop the machine dispatches to (AVX2 where the CPU has it) and the portable one give the
 * same bits: what makes a solve's output independent of the CPU it ran on. */
static void test_dispatch_and_portable_loop_agree_bitwise(void) {
  const long n = LARGEST;
  double *R = malloc(sizeof(double) * dmft__packed_row(n + 1)), *C = malloc(sizeof(double) * dmft__packed_row(n + 1));
  double rl[LARGEST], cl[LARGEST], a[3][LARGEST], b[3][LARGEST];
  fill(n, R, C, rl, cl, 11);
  for (long size = 1; size <= n; size += 13) {
    dmft__packed_products(size, R, C, rl, cl, a[0], a[1], a[2]);
    dmft__packed_products_portable(size, R, C, rl, cl, b[0], b[1], b[2]);
    for (int o = 0; o < 3; o++) CU_ASSERT(memcmp(a[o], b[o], sizeof(double) * (size_t)size) == 0);
  }
  free(R);
  free(C);
}

int main(void) {
  CU_TestInfo tests[] = {{"products match their definitions", test_products_match_their_definitions},
                         {"dispatch and portable loop agree bitwise", test_dispatch_and_portable_loop_agree_bitwise},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("packed_products", tests);
}

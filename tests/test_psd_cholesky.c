#include <string.h>

#include "psd_cholesky.h"
#include "test_support.h"

/* Builds Sigma = B B^T from an n x r matrix B (rank r), factors it row by row, and checks that
 * L L^T reproduces Sigma to rounding (1e-12 for entries of order one). */
static void factor_and_check(int n, int rank, int *degenerate_count) {
  double B[8][8], sigma[8][8], L[64], covariance[9];
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 21, (uint64_t)n, (uint64_t)rank, 0);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < rank; j++) B[i][j] = dmft_rng_normal(&rng);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      sigma[i][j] = 0.0;
      for (int r = 0; r < rank; r++) sigma[i][j] += B[i][r] * B[j][r];
    }
  *degenerate_count = 0;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j <= i; j++) covariance[j] = sigma[i][j];
    *degenerate_count += dmft__psd_cholesky_append(L, i, covariance);
  }
  for (int i = 0; i < n; i++)
    for (int j = 0; j <= i; j++) {
      double product = 0.0;
      for (int r = 0; r <= j; r++) product += L[dmft__packed_row(i) + r] * L[dmft__packed_row(j) + r];
      DMFT_ASSERT_CLOSE("L L^T = Sigma", product, sigma[i][j], 1e-12);
    }
}

static void test_full_rank(void) {
  int degenerate;
  factor_and_check(6, 6, &degenerate);
  CU_ASSERT_EQUAL(degenerate, 0);
}

static void test_rank_deficient_without_jitter(void) {
  int degenerate;
  factor_and_check(7, 3, &degenerate);
  CU_ASSERT_EQUAL(degenerate, 4);
}

static void test_zero_variance_variable(void) {
  double L[6];
  const double first[1] = {0.0};
  CU_ASSERT_EQUAL(dmft__psd_cholesky_append(L, 0, first), 1);
  const double second[2] = {0.0, 2.0};
  CU_ASSERT_EQUAL(dmft__psd_cholesky_append(L, 1, second), 0);
  DMFT_ASSERT_CLOSE("diagonal", L[2], sqrt(2.0), 1e-15);
  CU_ASSERT_EQUAL(L[1], 0.0);
}

/* back_solve gives Sigma^{-1} W for W = L g: check Sigma v = W. */
static void test_back_solve_inverts_the_covariance(void) {
  const int n = 5;
  double sigma[5][5], L[15], covariance[6], g[5], W[5], v[5];
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 22, 0, 0, 0);
  double B[5][5];
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) B[i][j] = dmft_rng_normal(&rng);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      sigma[i][j] = 0.0;
      for (int r = 0; r < n; r++) sigma[i][j] += B[i][r] * B[j][r];
    }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j <= i; j++) covariance[j] = sigma[i][j];
    dmft__psd_cholesky_append(L, i, covariance);
    g[i] = dmft_rng_normal(&rng);
  }
  for (int i = 0; i < n; i++) W[i] = dmft__psd_cholesky_row_dot(L, i, g);
  dmft__psd_cholesky_back_solve(L, n, g, v);
  for (int i = 0; i < n; i++) {
    double product = 0.0;
    for (int j = 0; j < n; j++) product += sigma[i][j] * v[j];
    DMFT_ASSERT_CLOSE("Sigma v = W", product, W[i], 1e-10);
  }
}

/* The batched conditional values against appending each new variable alone and reading its
 * value: the same numbers up to the order of the sums (1e-12), on a rank-deficient factor so
 * that degenerate earlier variables and a degenerate new one are both met. */
static void test_conditional_values_match_appends(void) {
  enum { N = 6, COUNT = 5 };
  double B[N + COUNT][4], L[64], covariance[N + 1], covariances[(N + 1) * COUNT], g[N + 1], z[COUNT], values[COUNT];
  double work[N * COUNT];
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 23, 0, 0, 0);
  for (int i = 0; i < N + COUNT; i++)
    for (int j = 0; j < 4; j++) B[i][j] = dmft_rng_normal(&rng);
  for (int j = 0; j < 4; j++) B[N + COUNT - 1][j] = B[0][j] + B[1][j]; /* a new variable fixed by the past */
  for (int i = 0; i < N; i++) {
    for (int j = 0; j <= i; j++) covariance[j] = B[i][0] * B[j][0] + B[i][1] * B[j][1] + B[i][2] * B[j][2] + B[i][3] * B[j][3];
    dmft__psd_cholesky_append(L, i, covariance);
    g[i] = dmft_rng_normal(&rng);
  }
  for (int r = 0; r < COUNT; r++) {
    z[r] = dmft_rng_normal(&rng);
    const int v = N + r;
    for (int j = 0; j < N; j++)
      covariances[r * (N + 1) + j] = B[v][0] * B[j][0] + B[v][1] * B[j][1] + B[v][2] * B[j][2] + B[v][3] * B[j][3];
    covariances[r * (N + 1) + N] = B[v][0] * B[v][0] + B[v][1] * B[v][1] + B[v][2] * B[v][2] + B[v][3] * B[v][3];
  }
  dmft__psd_cholesky_conditional_values(L, N, COUNT, covariances, g, z, values, work);
  for (int r = 0; r < COUNT; r++) {
    for (int j = 0; j <= N; j++) covariance[j] = covariances[r * (N + 1) + j];
    double single[64];
    memcpy(single, L, sizeof(double) * dmft__packed_row(N));
    dmft__psd_cholesky_append(single, N, covariance);
    g[N] = z[r];
    DMFT_ASSERT_CLOSE("conditional value", values[r], dmft__psd_cholesky_row_dot(single, N, g), 1e-12);
  }
}

int main(void) {
  CU_TestInfo tests[] = {{"full rank", test_full_rank},
                         {"rank deficient without jitter", test_rank_deficient_without_jitter},
                         {"zero variance variable", test_zero_variance_variable},
                         {"back solve inverts the covariance", test_back_solve_inverts_the_covariance},
                         {"conditional values match appends", test_conditional_values_match_appends},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("psd_cholesky", tests);
}

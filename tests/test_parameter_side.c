/* The parameter side's second-moment recursion against the closed form of equations.md §2:
 *   theta_k = A_k theta_0 + B_k theta* + sum_{m<k} R(k,m) du_m,
 *   C(k,l) = A_k S00 A_l^T + A_k S0* B_l^T + B_k S0*^T A_l^T + B_k Sigma* B_l^T
 *            + gamma sum_{m<k, m'<l} R(k,m) Cl(m,m') R(l,m')^T,   M(k) = A_k S0* + B_k Sigma*,
 * with arbitrary (random) sample-side kernels. Both are exact algebra on the same inputs, so
 * they must agree to rounding (1e-11 for entries of order one). */
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "parameter_side.h"
#include "test_support.h"

enum { K = 12, MAX_W = 2 };

static void transpose_into(int w, const double *in, double *out) {
  for (int a = 0; a < w; a++)
    for (int b = 0; b < w; b++) out[a * w + b] = in[b * w + a];
}

/* Width w = 1 runs the scalar recursion, w = 2 the block one. */
static void check_recursion_matches_closed_form(int w) {
  const double gamma = 1.7, eta = 0.8, dt = 0.05, ridge = 0.3, theta0_var = 0.4, m0 = 0.3, tv = 1.2;
  const dmft__parameter_side_t side = {.gamma = gamma, .decay = 1 - eta * dt * ridge, .teacher_var = tv};
  dmft__kernels_t kernels;
  CU_ASSERT_EQUAL_FATAL(dmft__kernels_alloc(&kernels, w, w, K), DMFT_OK);
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 31, 0, 0, 0);
  for (long k = 0; k <= K; k++) {
    for (long m = 0; m <= k; m++)
      for (int e = 0; e < w * w; e++) {
        dmft__block(kernels.Rl, k, m, w)[e] = 0.05 * dmft_rng_normal(&rng);
        dmft__block(kernels.Cl, k, m, w)[e] = 0.05 * dmft_rng_normal(&rng);
      }
    for (int e = 0; e < w * w; e++) kernels.Gam[k * w * w + e] = 0.05 * dmft_rng_normal(&rng);
  }
  /* Cl(k,k) must be symmetric, as a second moment is. */
  for (long k = 0; k <= K && w == 2; k++) {
    double *diagonal = dmft__block(kernels.Cl, k, k, w);
    diagonal[1] = diagonal[2];
  }
  double scratch[2 * MAX_W * MAX_W + 2 * (K + 2)];
  dmft__parameter_side_init(&kernels, theta0_var, m0, tv);
  for (long k = 0; k < K; k++) dmft__parameter_side_advance(&side, &kernels, k, scratch);

  /* Closed form. */
  static double A[K + 1][MAX_W * MAX_W], B[K + 1][MAX_W * MAX_W], R[K + 1][K + 1][MAX_W * MAX_W];
  memset(A, 0, sizeof A);
  memset(B, 0, sizeof B);
  memset(R, 0, sizeof R);
  for (int a = 0; a < w; a++) A[0][a * w + a] = 1.0;
  for (long k = 0; k < K; k++) {
    for (int e = 0; e < w * w; e++) {
      A[k + 1][e] = side.decay * A[k][e];
      B[k + 1][e] = side.decay * B[k][e] - gamma * kernels.Gam[k * w * w + e];
    }
    for (long m = 0; m <= k; m++) {
      dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels.Rl, k, m, w), 0, A[m], 0, A[k + 1]);
      dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels.Rl, k, m, w), 0, B[m], 0, B[k + 1]);
    }
    for (int a = 0; a < w; a++) R[k + 1][k][a * w + a] = 1.0;
    for (long j = 0; j < k; j++) {
      for (int e = 0; e < w * w; e++) R[k + 1][j][e] = side.decay * R[k][j][e];
      for (long m = j + 1; m <= k; m++)
        dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels.Rl, k, m, w), 0, R[m][j], 0, R[k + 1][j]);
    }
  }
  double S00[MAX_W * MAX_W] = {0}, S0s[MAX_W * MAX_W] = {0}, Ss[MAX_W * MAX_W] = {0};
  for (int a = 0; a < w; a++) {
    S00[a * w + a] = theta0_var + m0 * m0 * tv;
    S0s[a * w + a] = m0 * tv;
    Ss[a * w + a] = tv;
  }
  for (long k = 0; k <= K; k++) {
    double M[MAX_W * MAX_W] = {0};
    dmft__block_gemm(w, w, w, 1.0, A[k], 0, S0s, 0, M);
    dmft__block_gemm(w, w, w, 1.0, B[k], 0, Ss, 0, M);
    for (int e = 0; e < w * w; e++) DMFT_ASSERT_CLOSE("M", kernels.M[k * w * w + e], M[e], 1e-11);
    for (long l = 0; l <= k; l++) {
      double C[MAX_W * MAX_W] = {0}, tmp[MAX_W * MAX_W], S0sT[MAX_W * MAX_W];
      transpose_into(w, S0s, S0sT);
      memset(tmp, 0, sizeof tmp);
      dmft__block_gemm(w, w, w, 1.0, A[k], 0, S00, 0, tmp);
      dmft__block_gemm(w, w, w, 1.0, tmp, 0, A[l], 1, C);
      memset(tmp, 0, sizeof tmp);
      dmft__block_gemm(w, w, w, 1.0, A[k], 0, S0s, 0, tmp);
      dmft__block_gemm(w, w, w, 1.0, tmp, 0, B[l], 1, C);
      memset(tmp, 0, sizeof tmp);
      dmft__block_gemm(w, w, w, 1.0, B[k], 0, S0sT, 0, tmp);
      dmft__block_gemm(w, w, w, 1.0, tmp, 0, A[l], 1, C);
      memset(tmp, 0, sizeof tmp);
      dmft__block_gemm(w, w, w, 1.0, B[k], 0, Ss, 0, tmp);
      dmft__block_gemm(w, w, w, 1.0, tmp, 0, B[l], 1, C);
      for (long m = 0; m < k; m++)
        for (long m2 = 0; m2 < l; m2++) {
          double Cl[MAX_W * MAX_W];
          if (m >= m2) memcpy(Cl, dmft__block(kernels.Cl, m, m2, w), sizeof Cl);
          else transpose_into(w, dmft__block(kernels.Cl, m2, m, w), Cl);
          memset(tmp, 0, sizeof tmp);
          dmft__block_gemm(w, w, w, 1.0, R[k][m], 0, Cl, 0, tmp);
          dmft__block_gemm(w, w, w, gamma, tmp, 0, R[l][m2], 1, C);
        }
      for (int e = 0; e < w * w; e++) DMFT_ASSERT_CLOSE("C", dmft__block(kernels.C, k, l, w)[e], C[e], 1e-11);
      if (l < k)
        for (int e = 0; e < w * w; e++) DMFT_ASSERT_CLOSE("R", dmft__block(kernels.R, k, l, w)[e], R[k][l][e], 1e-12);
    }
  }
  dmft__kernels_free(&kernels);
}

static void test_recursion_matches_closed_form_scalar(void) { check_recursion_matches_closed_form(1); }
static void test_recursion_matches_closed_form_blocks(void) { check_recursion_matches_closed_form(2); }

/* With no sample side at all, theta only decays: C(k,l) = a^(k+l) C(0,0), M(k) = a^k M(0). */
static void test_pure_ridge_decay(void) {
  dmft__kernels_t kernels;
  CU_ASSERT_EQUAL_FATAL(dmft__kernels_alloc(&kernels, 1, 1, 10), DMFT_OK);
  const dmft__parameter_side_t side = {.gamma = 2.0, .decay = 0.9, .teacher_var = 1.0};
  double scratch[2 + 2 * (10 + 2)];
  dmft__parameter_side_init(&kernels, 0.25, 0.5, 1.0);
  for (long k = 0; k < 10; k++) dmft__parameter_side_advance(&side, &kernels, k, scratch);
  for (long k = 0; k <= 10; k++) {
    DMFT_ASSERT_CLOSE("M", kernels.M[k], 0.5 * pow(0.9, k), 1e-14);
    for (long l = 0; l <= k; l++) DMFT_ASSERT_CLOSE("C", dmft__block(kernels.C, k, l, 1)[0], 0.5 * pow(0.9, k + l), 1e-14);
  }
  dmft__kernels_free(&kernels);
}

int main(void) {
  CU_TestInfo tests[] = {{"recursion matches closed form, k = 1", test_recursion_matches_closed_form_scalar},
                         {"recursion matches closed form, k = 2", test_recursion_matches_closed_form_blocks},
                         {"pure ridge decay", test_pure_ridge_decay},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("parameter_side", tests);
}

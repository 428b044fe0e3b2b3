#include "parameter_side.h"

#include <string.h>

#include "packed_products.h"

void dmft__parameter_side_init(dmft__kernels_t *kernels, double theta0_var, double init_overlap, double teacher_var) {
  const int k = kernels->k, kstar = kernels->kstar;
  double *C00 = dmft__block(kernels->C, 0, 0, k);
  memset(C00, 0, sizeof(double) * (size_t)(k * k));
  memset(kernels->M, 0, sizeof(double) * (size_t)(k * kstar));
  for (int a = 0; a < k; a++) {
    C00[a * k + a] = theta0_var + init_overlap * init_overlap * teacher_var;
    if (a < kstar) kernels->M[a * kstar + a] = init_overlap * teacher_var;
  }
}

/* block(m, l) of C, transposed when only C(l, m) is stored: out = C(m, l). */
static const double *c_block(const dmft__kernels_t *kernels, long m, long l, double *transposed) {
  const int k = kernels->k;
  if (m >= l) return dmft__block(kernels->C, m, l, k);
  const double *stored = dmft__block(kernels->C, l, m, k);
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++) transposed[a * k + b] = stored[b * k + a];
  return transposed;
}

/* The coefficients of theta_k and of the memory and teacher terms (parameter_side.h): the plain
 * a and gamma without momentum, exactly. */
static double momentum_decay(const dmft__parameter_side_t *side) {
  return side->beta == 0 ? side->decay : 1.0 + side->beta - (1.0 - side->beta) * (1.0 - side->decay);
}

static double momentum_gamma(const dmft__parameter_side_t *side) {
  return side->beta == 0 ? side->gamma : (1.0 - side->beta) * side->gamma;
}

/* C(m, l) of a scalar kernel, either side of the diagonal. */
static double scalar_c(const dmft__kernels_t *kernels, long m, long l) {
  return m >= l ? dmft__block(kernels->C, m, l, 1)[0] : dmft__block(kernels->C, l, m, 1)[0];
}

/* The same recursion for scalar kernels (k = 1) as plain loops over the packed arrays: the
 * general block version spends most of its time in calls for 1 x 1 products (profiled: half of
 * a 480-step SGD solve). Every sum runs along the contiguous rows of the packed triangles, each
 * triangle read once per step: the column walks this replaced were a fifth of a poisson solve at
 * 480 steps (perf), and at thousands of steps the triangles no longer fit in any cache. */
static void advance_scalar(const dmft__parameter_side_t *side, dmft__kernels_t *kernels, long k, double *work) {
  const int ws = kernels->kstar;
  const double beta = side->beta, noise_gain = side->gamma * (1.0 - beta);
  const double decay = momentum_decay(side), gamma = momentum_gamma(side);
  const long before = k > 0 ? k - 1 : 0; /* theta_{-1} = theta_0 */
  const double *Rl = dmft__block(kernels->Rl, k, 0, 1), *Cl = dmft__block(kernels->Cl, k, 0, 1);
  const double *Gam = kernels->Gam + (size_t)k * (size_t)ws;
  double *M_next = kernels->M + (size_t)(k + 1) * (size_t)ws;
  for (int b = 0; b < ws; b++) {
    double sum = decay * kernels->M[(size_t)k * (size_t)ws + b] - gamma * side->teacher_var * Gam[b];
    if (beta != 0) sum -= beta * kernels->M[(size_t)before * (size_t)ws + b];
    for (long m = 0; m <= k; m++) sum -= gamma * Rl[m] * kernels->M[(size_t)m * (size_t)ws + b];
    M_next[b] = sum;
  }
  /* R(k+1, j) = a R(k, j) - gamma sum_m Rl(k,m) R(m, j): R^T Rl over the packed rows 0..k (R's
   * unused diagonal is zero); the noise term of C(k+1, m) is (R Cl)(m); the memory term of
   * C(k+1, l) is (C Rl)(l), C restricted to 0..k being symmetric. One pass over the rows of both
   * triangles (packed_products.h). perf: with packed level-2 BLAS (two dtpmv, one dspmv), which
   * read R twice, the parameter side alone (16 paths, 100 epochs, 2 threads) was 95% in
   * OpenBLAS's ddot and daxpy kernels, 19.2-20.8 s; the single pass takes 13.8-14.2 s. */
  const int n = (int)(k + 1);
  double *R_next = dmft__block(kernels->R, k + 1, 0, 1);
  double *noise = work, *memory = work + k + 2;
  dmft__packed_products(n, kernels->R, kernels->C, Rl, Cl, R_next, noise, memory);
  const double *R_row_k = dmft__block(kernels->R, k, 0, 1);
  for (long j = 0; j < k; j++) R_next[j] = decay * R_row_k[j] - gamma * R_next[j];
  /* R(k-1, j) for j < k - 1 (its diagonal block, j = k - 1, is zero). */
  if (beta != 0 && k > 0)
    for (long j = 0; j + 1 < k; j++) R_next[j] -= beta * dmft__block(kernels->R, k - 1, 0, 1)[j];
  R_next[k] = 1.0 - beta;
  double *C_next = dmft__block(kernels->C, k + 1, 0, 1);
  const double *C_row_k = dmft__block(kernels->C, k, 0, 1);
  for (long l = 0; l <= k; l++) {
    double teacher = 0.0;
    for (int b = 0; b < ws; b++) teacher += Gam[b] * kernels->M[(size_t)l * (size_t)ws + b];
    C_next[l] = decay * C_row_k[l] - gamma * memory[l] - gamma * teacher + noise_gain * noise[l];
    if (beta != 0) C_next[l] -= beta * scalar_c(kernels, before, l); /* C(k-1, l) */
  }
  /* l = k + 1 needs the row just made: C(m, k+1) = C(k+1, m). */
  double memory_next = 0.0, noise_next = 0.0, teacher_next = 0.0;
  for (long m = 0; m <= k; m++) {
    memory_next += Rl[m] * C_next[m];
    noise_next += Cl[m] * R_next[m];
  }
  for (int b = 0; b < ws; b++) teacher_next += Gam[b] * M_next[b];
  C_next[k + 1] = decay * C_next[k] - gamma * memory_next - gamma * teacher_next + noise_gain * noise_next;
  if (beta != 0) C_next[k + 1] -= beta * C_next[before]; /* C(k-1, k+1) = C(k+1, k-1) */
}

void dmft__parameter_side_advance(const dmft__parameter_side_t *side, dmft__kernels_t *kernels, long k, double *scratch) {
  if (kernels->k == 1) {
    advance_scalar(side, kernels, k, scratch);
    return;
  }
  const int w = kernels->k, ws = kernels->kstar;
  const size_t kk = (size_t)(w * w), kks = (size_t)(w * ws);
  const double beta = side->beta, noise_gain = side->gamma * (1.0 - beta);
  const double decay = momentum_decay(side), gamma = momentum_gamma(side);
  const long before = k > 0 ? k - 1 : 0; /* theta_{-1} = theta_0 */
  const double *Gam_k = kernels->Gam + (size_t)k * kks;
  double *transposed = scratch;

  double *M_next = kernels->M + (size_t)(k + 1) * kks;
  for (size_t i = 0; i < kks; i++) M_next[i] = decay * kernels->M[(size_t)k * kks + i] - gamma * side->teacher_var * Gam_k[i];
  if (beta != 0)
    for (size_t i = 0; i < kks; i++) M_next[i] -= beta * kernels->M[(size_t)before * kks + i];
  for (long m = 0; m <= k; m++)
    dmft__block_gemm(w, w, ws, -gamma, dmft__block(kernels->Rl, k, m, w), 0, kernels->M + (size_t)m * kks, 0, M_next);

  for (long j = 0; j < k; j++) {
    double *R_next = dmft__block(kernels->R, k + 1, j, w);
    const double *R_now = dmft__block(kernels->R, k, j, w);
    for (size_t i = 0; i < kk; i++) R_next[i] = decay * R_now[i];
    if (beta != 0 && j + 1 < k)
      for (size_t i = 0; i < kk; i++) R_next[i] -= beta * dmft__block(kernels->R, k - 1, j, w)[i];
    for (long m = j + 1; m <= k; m++)
      dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels->Rl, k, m, w), 0, dmft__block(kernels->R, m, j, w), 0, R_next);
  }
  double *R_diagonal = dmft__block(kernels->R, k + 1, k, w);
  memset(R_diagonal, 0, sizeof(double) * kk);
  for (int a = 0; a < w; a++) R_diagonal[a * w + a] = 1.0 - beta;

  for (long l = 0; l <= k + 1; l++) {
    double *C_next = dmft__block(kernels->C, k + 1, l, w);
    double *sum = scratch + kk;
    const double *C_kl = c_block(kernels, k, l, transposed);
    for (size_t i = 0; i < kk; i++) sum[i] = decay * C_kl[i];
    if (beta != 0) {
      const double *C_before = c_block(kernels, before, l, transposed); /* C(k-1, l) */
      for (size_t i = 0; i < kk; i++) sum[i] -= beta * C_before[i];
    }
    for (long m = 0; m <= k; m++)
      dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels->Rl, k, m, w), 0, c_block(kernels, m, l, transposed), 0, sum);
    dmft__block_gemm(w, ws, w, -gamma, Gam_k, 0, kernels->M + (size_t)l * kks, 1, sum);
    for (long m = 0; m < l; m++)
      dmft__block_gemm(w, w, w, noise_gain, dmft__block(kernels->Cl, k, m, w), 0, dmft__block(kernels->R, l, m, w), 1, sum);
    memcpy(C_next, sum, sizeof(double) * kk);
  }
  /* C(k+1,k+1) is symmetric in exact arithmetic; keep it so to the last bit. */
  double *C_diagonal = dmft__block(kernels->C, k + 1, k + 1, w);
  for (int a = 0; a < w; a++)
    for (int b = 0; b < a; b++) {
      const double mean = 0.5 * (C_diagonal[a * w + b] + C_diagonal[b * w + a]);
      C_diagonal[a * w + b] = C_diagonal[b * w + a] = mean;
    }
}

void dmft__teacher_response(dmft__kernels_t *kernels, long k, double teacher_var) {
  const int w = kernels->k, ws = kernels->kstar;
  const size_t kks = (size_t)(w * ws);
  double *Gam_k = kernels->Gam + (size_t)k * kks;
  memcpy(Gam_k, kernels->wstar_moment + (size_t)k * kks, sizeof(double) * kks);
  for (long m = 0; m <= k; m++)
    dmft__block_gemm(w, w, ws, -1.0, dmft__block(kernels->Rl, k, m, w), 0, kernels->M + (size_t)m * kks, 0, Gam_k);
  for (size_t i = 0; i < kks; i++) Gam_k[i] /= teacher_var;
}

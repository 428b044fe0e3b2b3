#include "parameter_side.h"

#include <string.h>

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

/* The same recursion for scalar kernels (k = 1) as plain loops over the packed arrays: the
 * general block version spends most of its time in calls for 1 x 1 products (profiled: half of
 * a 480-step SGD solve). */
static void advance_scalar(const dmft__parameter_side_t *side, dmft__kernels_t *kernels, long k) {
  const int ws = kernels->kstar;
  const double gamma = side->gamma, decay = side->decay;
  const double *Rl = dmft__block(kernels->Rl, k, 0, 1), *Cl = dmft__block(kernels->Cl, k, 0, 1);
  const double *Gam = kernels->Gam + (size_t)k * (size_t)ws;
  double *M_next = kernels->M + (size_t)(k + 1) * (size_t)ws;
  for (int b = 0; b < ws; b++) {
    double sum = decay * kernels->M[(size_t)k * (size_t)ws + b] - gamma * side->teacher_var * Gam[b];
    for (long m = 0; m <= k; m++) sum -= gamma * Rl[m] * kernels->M[(size_t)m * (size_t)ws + b];
    M_next[b] = sum;
  }
  double *R_next = dmft__block(kernels->R, k + 1, 0, 1);
  for (long j = 0; j < k; j++) {
    double sum = decay * dmft__block(kernels->R, k, j, 1)[0];
    for (long m = j + 1; m <= k; m++) sum -= gamma * Rl[m] * dmft__block(kernels->R, m, j, 1)[0];
    R_next[j] = sum;
  }
  R_next[k] = 1.0;
  double *C_next = dmft__block(kernels->C, k + 1, 0, 1);
  for (long l = 0; l <= k + 1; l++) {
    /* C(m, l) for m <= k: row l of the packed triangle up to min(l, k), then column l below. */
    double memory = 0.0;
    const double *C_row_l = dmft__block(kernels->C, l, 0, 1);
    const long split = l <= k ? l : k + 1;
    for (long m = 0; m < split; m++) memory += Rl[m] * (l <= k ? C_row_l[m] : C_next[m]);
    for (long m = split; m <= k; m++) memory += Rl[m] * dmft__block(kernels->C, m, l, 1)[0];
    const double C_kl = l <= k ? dmft__block(kernels->C, k, l, 1)[0] : C_next[k];
    double teacher = 0.0;
    for (int b = 0; b < ws; b++) teacher += Gam[b] * kernels->M[(size_t)l * (size_t)ws + b];
    const double *R_row_l = dmft__block(kernels->R, l, 0, 1);
    double noise = 0.0;
    for (long m = 0; m < l; m++) noise += Cl[m] * R_row_l[m];
    C_next[l] = decay * C_kl - gamma * memory - gamma * teacher + gamma * noise;
  }
}

void dmft__parameter_side_advance(const dmft__parameter_side_t *side, dmft__kernels_t *kernels, long k, double *scratch) {
  if (kernels->k == 1) {
    advance_scalar(side, kernels, k);
    return;
  }
  const int w = kernels->k, ws = kernels->kstar;
  const size_t kk = (size_t)(w * w), kks = (size_t)(w * ws);
  const double gamma = side->gamma, decay = side->decay;
  const double *Gam_k = kernels->Gam + (size_t)k * kks;
  double *transposed = scratch;

  double *M_next = kernels->M + (size_t)(k + 1) * kks;
  for (size_t i = 0; i < kks; i++) M_next[i] = decay * kernels->M[(size_t)k * kks + i] - gamma * side->teacher_var * Gam_k[i];
  for (long m = 0; m <= k; m++)
    dmft__block_gemm(w, w, ws, -gamma, dmft__block(kernels->Rl, k, m, w), 0, kernels->M + (size_t)m * kks, 0, M_next);

  for (long j = 0; j < k; j++) {
    double *R_next = dmft__block(kernels->R, k + 1, j, w);
    const double *R_now = dmft__block(kernels->R, k, j, w);
    for (size_t i = 0; i < kk; i++) R_next[i] = decay * R_now[i];
    for (long m = j + 1; m <= k; m++)
      dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels->Rl, k, m, w), 0, dmft__block(kernels->R, m, j, w), 0, R_next);
  }
  double *R_diagonal = dmft__block(kernels->R, k + 1, k, w);
  memset(R_diagonal, 0, sizeof(double) * kk);
  for (int a = 0; a < w; a++) R_diagonal[a * w + a] = 1.0;

  for (long l = 0; l <= k + 1; l++) {
    double *C_next = dmft__block(kernels->C, k + 1, l, w);
    double *sum = scratch + kk;
    const double *C_kl = c_block(kernels, k, l, transposed);
    for (size_t i = 0; i < kk; i++) sum[i] = decay * C_kl[i];
    for (long m = 0; m <= k; m++)
      dmft__block_gemm(w, w, w, -gamma, dmft__block(kernels->Rl, k, m, w), 0, c_block(kernels, m, l, transposed), 0, sum);
    dmft__block_gemm(w, ws, w, -gamma, Gam_k, 0, kernels->M + (size_t)l * kks, 1, sum);
    for (long m = 0; m < l; m++)
      dmft__block_gemm(w, w, w, gamma, dmft__block(kernels->Cl, k, m, w), 0, dmft__block(kernels->R, l, m, w), 1, sum);
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

#include "kernels.h"

#include <stdlib.h>

#include "dmft/status.h"

double dmft__kernels_bytes(int k, int kstar, long steps) {
  return 8.0 * (4.0 * (double)dmft__kernels_triangle_doubles(k, steps) + (3.0 * k * kstar + 1.0) * (double)(steps + 1));
}

int dmft__kernels_alloc(dmft__kernels_t *kernels, int k, int kstar, long steps) {
  const size_t triangle = dmft__kernels_triangle_doubles(k, steps);
  const size_t vector = (size_t)(steps + 1) * (size_t)k * (size_t)kstar;
  kernels->k = k;
  kernels->kstar = kstar;
  kernels->steps = steps;
  kernels->classes = 0; /* dmft__kernels_alloc_classes adds them */
  kernels->class_M = kernels->class_Q = NULL;
  kernels->C = calloc(triangle, sizeof(double));
  kernels->R = calloc(triangle, sizeof(double));
  kernels->Cl = calloc(triangle, sizeof(double));
  kernels->Rl = calloc(triangle, sizeof(double));
  kernels->M = calloc(vector, sizeof(double));
  kernels->Gam = calloc(vector, sizeof(double));
  kernels->wstar_moment = calloc(vector, sizeof(double));
  kernels->train_loss = calloc((size_t)steps + 1, sizeof(double));
  if (!kernels->C || !kernels->R || !kernels->Cl || !kernels->Rl || !kernels->M || !kernels->Gam ||
      !kernels->wstar_moment || !kernels->train_loss) {
    dmft__kernels_free(kernels);
    return DMFT_ENOMEM;
  }
  return DMFT_OK;
}

int dmft__kernels_alloc_classes(dmft__kernels_t *kernels, int classes) {
  const size_t per_step = (size_t)classes * (size_t)kernels->k, steps = (size_t)kernels->steps + 1;
  kernels->classes = classes;
  kernels->class_M = calloc(steps * per_step * (size_t)kernels->kstar, sizeof(double));
  kernels->class_Q = calloc(steps * per_step * (size_t)kernels->k, sizeof(double));
  if (!kernels->class_M || !kernels->class_Q) {
    dmft__kernels_free(kernels);
    return DMFT_ENOMEM;
  }
  return DMFT_OK;
}

void dmft__kernels_regions(dmft__kernels_t *kernels, void (*visit)(void *user, void *data, size_t bytes), void *user) {
  const size_t triangle = dmft__kernels_triangle_doubles(kernels->k, kernels->steps) * sizeof(double);
  const size_t vector = (size_t)(kernels->steps + 1) * (size_t)kernels->k * (size_t)kernels->kstar * sizeof(double);
  double *triangles[4] = {kernels->C, kernels->R, kernels->Cl, kernels->Rl};
  for (int i = 0; i < 4; i++) visit(user, triangles[i], triangle);
  visit(user, kernels->M, vector);
  visit(user, kernels->Gam, vector);
  visit(user, kernels->wstar_moment, vector);
  visit(user, kernels->train_loss, (size_t)(kernels->steps + 1) * sizeof(double));
  if (kernels->classes > 0) { /* isotropic checkpoints keep the layout they always had */
    const size_t per_step = (size_t)kernels->classes * (size_t)kernels->k * sizeof(double);
    visit(user, kernels->class_M, (size_t)(kernels->steps + 1) * per_step * (size_t)kernels->kstar);
    visit(user, kernels->class_Q, (size_t)(kernels->steps + 1) * per_step * (size_t)kernels->k);
  }
}

void dmft__kernels_free(dmft__kernels_t *kernels) {
  free(kernels->C);
  free(kernels->R);
  free(kernels->Cl);
  free(kernels->Rl);
  free(kernels->M);
  free(kernels->Gam);
  free(kernels->wstar_moment);
  free(kernels->train_loss);
  free(kernels->class_M);
  free(kernels->class_Q);
  kernels->class_M = kernels->class_Q = NULL;
  kernels->classes = 0;
  kernels->C = kernels->R = kernels->Cl = kernels->Rl = NULL;
  kernels->M = kernels->Gam = kernels->wstar_moment = kernels->train_loss = NULL;
}

void dmft__block_gemm(int rows, int inner, int cols, double alpha, const double *A, int a_transposed,
                      const double *B, int b_transposed, double *out) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) {
      double sum = 0.0;
      for (int i = 0; i < inner; i++) {
        const double a = a_transposed ? A[i * rows + r] : A[r * inner + i];
        const double b = b_transposed ? B[c * inner + i] : B[i * cols + c];
        sum += a * b;
      }
      out[r * cols + c] += alpha * sum;
    }
}

long dmft__field_covariance(const dmft__kernels_t *kernels, long k, int c, const long *previous_steps,
                            long n_previous, double *covariance) {
  const int w = kernels->k, ws = kernels->kstar;
  long n = 0;
  const double *M_k = kernels->M + (size_t)k * (size_t)(w * ws);
  for (int b = 0; b < ws; b++) covariance[n++] = M_k[c * ws + b];
  for (long i = 0; i < n_previous; i++) {
    const long step = previous_steps ? previous_steps[i] : i;
    const double *block = dmft__block(kernels->C, k, step, w);
    for (int b = 0; b < w; b++) covariance[n++] = block[c * w + b];
  }
  const double *diagonal = dmft__block(kernels->C, k, k, w);
  for (int b = 0; b <= c; b++) covariance[n++] = diagonal[c * w + b];
  return n;
}

void dmft__block_row_axpy(int k, long count, const double *coefficient, const double *restrict source,
                          double *restrict destination) {
  if (k == 1) {
    const double c = coefficient[0];
    for (long m = 0; m < count; m++) destination[m] += c * source[m];
    return;
  }
  const size_t kk = (size_t)(k * k);
  for (long m = 0; m < count; m++) dmft__block_gemm(k, k, k, 1.0, coefficient, 0, source + m * kk, 0, destination + m * kk);
}

void dmft__block_row_apply(int k, long count, double sign, const double *blocks, const double *vectors, double *out) {
  if (k == 1) {
    double sum = 0.0;
    for (long m = 0; m < count; m++) sum += blocks[m] * vectors[m];
    out[0] += sign * sum;
    return;
  }
  const size_t kk = (size_t)(k * k);
  for (long m = 0; m < count; m++) dmft__block_gemm(k, k, 1, sign, blocks + m * kk, 0, vectors + m * k, 0, out);
}

void dmft__block_row_outer(int k, long count, const double *a, const double *vectors, double *destination) {
  if (k == 1) {
    const double a0 = a[0];
    for (long m = 0; m < count; m++) destination[m] += a0 * vectors[m];
    return;
  }
  const size_t kk = (size_t)(k * k);
  for (long m = 0; m < count; m++)
    for (int r = 0; r < k; r++)
      for (int c = 0; c < k; c++) destination[m * kk + r * k + c] += a[r] * vectors[m * k + c];
}

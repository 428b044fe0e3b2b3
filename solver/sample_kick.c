#include "sample_kick.h"

#include <string.h>

void dmft__sample_kick(const dmft_model_t *model, double h, double carry, const double *xi, double y, double dz,
                       int is_jump_count, double *dG, double *D, double *work) {
  const int k = model->k;
  const size_t kk = (size_t)(k * k);
  double *gradient = work, *field = work + k, *hessian = work + 2 * k;
  double *propagator = hessian + kk, *product = propagator + kk;

  if (!is_jump_count || dz <= 1.0) {
    /* One jump (or none, or a continuous increment): the kick is linear in dz. */
    dmft_model_gradient(model, xi, y, gradient);
    dmft_model_hessian(model, xi, y, D);
    for (int a = 0; a < k; a++) dG[a] = h * dz * gradient[a];
    for (size_t i = 0; i < kk; i++) D[i] *= h * dz;
    return;
  }
  const long jumps = (long)dz;
  memcpy(field, xi, sizeof(double) * (size_t)k);
  memset(dG, 0, sizeof(double) * (size_t)k);
  memset(propagator, 0, sizeof(double) * kk);
  for (int a = 0; a < k; a++) propagator[a * k + a] = 1.0;
  for (long jump = 0; jump < jumps; jump++) {
    dmft_model_gradient(model, field, y, gradient);
    dmft_model_hessian(model, field, y, hessian);
    /* propagator <- (I - h H) propagator: d field / d xi after this jump */
    memcpy(product, propagator, sizeof(double) * kk);
    for (int a = 0; a < k; a++)
      for (int b = 0; b < k; b++) {
        double sum = 0.0;
        for (int c = 0; c < k; c++) sum += hessian[a * k + c] * product[c * k + b];
        propagator[a * k + b] = product[a * k + b] - carry * h * sum;
      }
    for (int a = 0; a < k; a++) {
      dG[a] += h * gradient[a];
      field[a] -= carry * h * gradient[a];
    }
  }
  /* sum_j h H_j P_j = (I - P_J) / carry, P_j = d field_j / d xi. */
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++) D[a * k + b] = ((a == b ? 1.0 : 0.0) - propagator[a * k + b]) / carry;
}

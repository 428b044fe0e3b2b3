#include "psd_cholesky.h"

#include <math.h>

#include "dot.h"

int dmft__psd_cholesky_append(double *L, long n, const double *covariance) {
  double *row = L + dmft__packed_row(n);
  double residual = covariance[n];
  for (long j = 0; j < n; j++) {
    const double *row_j = L + dmft__packed_row(j);
    const double diagonal = row_j[j];
    double value = 0.0;
    if (diagonal > 0.0) {
      value = (covariance[j] - dmft__dot(row, row_j, j)) / diagonal;
    }
    row[j] = value;
    residual -= value * value;
  }
  if (!(covariance[n] > 0.0) || residual <= DMFT_PSD_RELATIVE_TOLERANCE * covariance[n]) {
    row[n] = 0.0;
    return 1;
  }
  row[n] = sqrt(residual);
  return 0;
}

void dmft__psd_cholesky_back_solve(const double *L, long n, const double *g, double *v) {
  for (long i = n - 1; i >= 0; i--) {
    const double diagonal = L[dmft__packed_row(i) + (size_t)i];
    if (!(diagonal > 0.0)) {
      v[i] = 0.0;
      continue;
    }
    double sum = g[i];
    for (long r = i + 1; r < n; r++) sum -= L[dmft__packed_row(r) + (size_t)i] * v[r];
    v[i] = sum / diagonal;
  }
}

void dmft__psd_cholesky_conditional_values(const double *L, long n, int count, const double *covariances, const double *g,
                                           const double *z, double *values, double *work) {
  double *residual = work + (size_t)n * (size_t)count;
  for (int r = 0; r < count; r++) {
    residual[r] = covariances[(size_t)n * (size_t)count + (size_t)r];
    values[r] = 0.0;
  }
  for (long j = 0; j < n; j++) {
    const double *row_j = L + dmft__packed_row(j);
    double *x = work + (size_t)j * (size_t)count;
    if (!(row_j[j] > 0.0)) {
      for (int r = 0; r < count; r++) x[r] = 0.0;
      continue;
    }
    for (int r = 0; r < count; r++) x[r] = covariances[(size_t)j * (size_t)count + (size_t)r];
    for (long i = 0; i < j; i++) {
      const double coefficient = row_j[i];
      const double *x_i = work + (size_t)i * (size_t)count;
      for (int r = 0; r < count; r++) x[r] -= coefficient * x_i[r];
    }
    const double inverse = 1.0 / row_j[j];
    for (int r = 0; r < count; r++) {
      x[r] *= inverse;
      residual[r] -= x[r] * x[r];
      values[r] += x[r] * g[j];
    }
  }
  for (int r = 0; r < count; r++) {
    const double variance = covariances[(size_t)n * (size_t)count + (size_t)r];
    if (variance > 0.0 && residual[r] > DMFT_PSD_RELATIVE_TOLERANCE * variance) values[r] += sqrt(residual[r]) * z[r];
  }
}

double dmft__psd_cholesky_row_dot(const double *L, long row, const double *g) {
  return dmft__dot(L + dmft__packed_row(row), g, row + 1);
}

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

double dmft__psd_cholesky_row_dot(const double *L, long row, const double *g) {
  return dmft__dot(L + dmft__packed_row(row), g, row + 1);
}

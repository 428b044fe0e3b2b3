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
  /* Variable r's solved row is work[r*n .. r*n+n-1], contiguous, so each entry is one dot product
   * with four partial sums (dot.h) and the rows of L are reused from cache across the variables.
   * Profiled at 100 epochs (a third of the solve): the earlier loop ran across the variables
   * inside the sum over i, and with one or two variables per batch (the usual count: a couple of
   * reported rows between two jumps) it was a chain of loads and stores through work, one
   * element per store-to-load latency. */
  const size_t stride = (size_t)n + 1;
  for (long j = 0; j < n; j++) {
    const double *row_j = L + dmft__packed_row(j);
    /* One reciprocal per row of L: a division per entry would sit on the chain of dependent
     * entries (perf showed a variant of this loop waiting on it). */
    const double inverse = row_j[j] > 0.0 ? 1.0 / row_j[j] : 0.0;
    for (int r = 0; r < count; r++) {
      double *x = work + (size_t)r * (size_t)n;
      x[j] = inverse > 0.0 ? (covariances[(size_t)r * stride + (size_t)j] - dmft__dot(row_j, x, j)) * inverse : 0.0;
    }
  }
  for (int r = 0; r < count; r++) {
    const double *x = work + (size_t)r * (size_t)n;
    const double variance = covariances[(size_t)r * stride + (size_t)n];
    const double residual = variance - dmft__dot(x, x, n);
    values[r] = dmft__dot(x, g, n);
    if (variance > 0.0 && residual > DMFT_PSD_RELATIVE_TOLERANCE * variance) values[r] += sqrt(residual) * z[r];
  }
}

double dmft__psd_cholesky_row_dot(const double *L, long row, const double *g) {
  return dmft__dot(L + dmft__packed_row(row), g, row + 1);
}

/* Incremental Cholesky factorization of a positive semi-definite covariance.
 *
 * The Gaussian fields of the sample side are drawn one variable at a time, each conditioned on
 * all the earlier ones: appending a row to a packed lower-triangular factor L. Covariances
 * here are often singular or nearly so (theta_0 = 0 makes the field exactly zero at t = 0;
 * gradient flow makes the path smooth, so a new value is almost determined by the past). A
 * residual variance at or below DMFT_PSD_RELATIVE_TOLERANCE times the variable's variance is
 * the rounding noise of the sums that produced it, so it is set to exactly zero: the variable
 * is then the deterministic function of the past that it is, and its column stays zero. No
 * jitter is ever added to the diagonal. */
#ifndef DMFT_PSD_CHOLESKY_H
#define DMFT_PSD_CHOLESKY_H

#include <stddef.h>

#define DMFT_PSD_RELATIVE_TOLERANCE 1e-10

static inline size_t dmft__packed_row(long i) { return (size_t)i * (size_t)(i + 1) / 2; }

/* L holds rows 0..n-1; covariance[0..n-1] is the new variable's covariance with them and
 * covariance[n] its variance. Writes row n (n+1 entries) at L + packed_row(n); returns 1 if the
 * variable is degenerate (zero residual variance), else 0. */
int dmft__psd_cholesky_append(double *L, long n, const double *covariance);

/* Solves L^T v = g for the non-degenerate variables 0..n-1; degenerate ones get v = 0 (a
 * pseudo-inverse on the support). This is Sigma^{-1} W for W = L g. */
void dmft__psd_cholesky_back_solve(const double *L, long n, const double *g, double *v);

/* value = L[row, 0..row] . g */
double dmft__psd_cholesky_row_dot(const double *L, long row, const double *g);

/* `count` new variables, each conditioned on rows 0..n-1 of L alone (not on each other): what
 * dmft__psd_cholesky_append at row n followed by dmft__psd_cholesky_row_dot gives for each of
 * them (up to the order of the sums), with each row of L read once for all of them.
 * covariances is [count][n+1]: entry (r, j) is variable r's covariance with variable j < n,
 * entry (r, n) its variance; g holds the n earlier innovations, z[r] the new variable's own.
 * values[r] = its value; work holds n*count doubles. */
void dmft__psd_cholesky_conditional_values(const double *L, long n, int count, const double *covariances, const double *g,
                                           const double *z, double *values, double *work);

#endif

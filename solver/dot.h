/* The dot product of the hot loops (incremental Cholesky rows, field sums).
 *
 * A single running sum is a chain of dependent additions: the loop runs at one element per
 * floating-point latency. Four partial sums, added in a fixed order at the end, keep the
 * arithmetic units busy. The order of the additions is fixed by the code, not by the compiler
 * or the thread, so a result is the same bits on every run. Vectors here are short (a path's
 * jumps), where a BLAS call's overhead would dominate. Measured on a 48-epoch poisson solve it
 * gained only 2% (10.7 s -> 10.5 s): those appends were bound by memory, not by the chain of
 * additions, until their draws were regrouped per path (docs/benchmarks.md). */
#ifndef DMFT_DOT_H
#define DMFT_DOT_H

static inline double dmft__dot(const double *a, const double *b, long n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

#endif

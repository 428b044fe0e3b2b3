/* Storage of one replica group's kernels on the time grid, allocated once per solve.
 *
 * Two-time kernels are stored as packed lower-triangular arrays of k x k blocks (row-major
 * inside a block): block (i, j), j <= i, starts at ((i(i+1)/2) + j) k^2. C is symmetric as a
 * whole, C(j, i) = C(i, j)^T; R(i, j) vanishes for j >= i (its diagonal blocks are unused);
 * Cl and Rl are causal, defined for j <= i. */
#ifndef DMFT_KERNELS_H
#define DMFT_KERNELS_H

#include <stddef.h>

typedef struct {
  int k, kstar;
  long steps; /* K: times 0..K */
  double *C, *R, *Cl, *Rl;
  double *M;             /* [K+1][k][kstar] */
  double *Gam;           /* [K+1][k][kstar] */
  double *wstar_moment;  /* [K+1][k][kstar]: E[dG_k w*^T], summed then averaged */
  double *train_loss;    /* [K+1], only output steps are filled */
  /* With a covariance spectrum (dmft/spectrum.h) C, R and M above are the Sigma-weighted kernels
   * C_Sigma, R_Sigma, M_Sigma that drive the sample side, and each class's plain one-time
   * overlaps are kept here (classes 0, both NULL, for isotropic data). */
  int classes;
  double *class_M; /* [K+1][classes][k][kstar]: M_j(k) */
  double *class_Q; /* [K+1][classes][k][k]: C_j(k, k) */
} dmft__kernels_t;

static inline size_t dmft__packed_block(long i, long j) { return (size_t)i * (size_t)(i + 1) / 2 + (size_t)j; }

static inline double *dmft__block(double *base, long i, long j, int k) {
  return base + dmft__packed_block(i, j) * (size_t)k * (size_t)k;
}

/* Doubles of one packed two-time kernel (C, R, Cl or Rl) of width k over steps 0..K. */
static inline size_t dmft__kernels_triangle_doubles(int k, long steps) {
  return dmft__packed_block(steps + 1, 0) * (size_t)k * (size_t)k;
}

int dmft__kernels_alloc(dmft__kernels_t *kernels, int k, int kstar, long steps);
/* The per-class overlaps of a spectrum with `classes` classes, after dmft__kernels_alloc. */
int dmft__kernels_alloc_classes(dmft__kernels_t *kernels, int classes);
void dmft__kernels_free(dmft__kernels_t *kernels);
/* Each array, whole, for checkpoints (visit(user, data, bytes)). */
void dmft__kernels_regions(dmft__kernels_t *kernels, void (*visit)(void *user, void *data, size_t bytes), void *user);
double dmft__kernels_bytes(int k, int kstar, long steps);

/* out (rows x cols) += alpha op(A) op(B), row-major; op(A) is rows x inner, op(B) inner x cols;
 * a transposed operand is stored as its transpose. The blocks are tiny (k x k), so plain loops
 * beat a BLAS call here. */
void dmft__block_gemm(int rows, int inner, int cols, double alpha, const double *A, int a_transposed,
                      const double *B, int b_transposed, double *out);

#endif

/* The covariance of component c of the field w_k with the variables drawn before it, in the
 * order the sample side draws them: w* (k* entries), then w at each of previous_steps (k entries
 * each; NULL means steps 0..n_previous-1), then components 0..c of w_k itself (the last entry
 * is the variance). Returns the number of entries written. */
long dmft__field_covariance(const dmft__kernels_t *kernels, long k, int c, const long *previous_steps,
                            long n_previous, double *covariance);

/* Operations along a row of k x k blocks, stored contiguously (a row of a packed kernel).
 * They are the inner loops of the dense engine; the k = 1 paths are plain vector loops. */
/* destination[m] += coefficient (k x k) * source[m], m < count */
void dmft__block_row_axpy(int k, long count, const double *coefficient, const double *restrict source,
                          double *restrict destination);
/* out (k) += sign * sum_{m < count} blocks[m] * vectors[m] (k each) */
void dmft__block_row_apply(int k, long count, double sign, const double *blocks, const double *vectors, double *out);
/* destination[m] += a b_m^T for vectors b_m (k each), m < count */
void dmft__block_row_outer(int k, long count, const double *a, const double *vectors, double *destination);

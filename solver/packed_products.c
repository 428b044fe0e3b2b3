#include "packed_products.h"

#include <string.h>

#include "psd_cholesky.h"

/* Four lanes as one value; GCC and Clang split it into two SSE2 halves or keep it in one AVX2
 * register, with the same arithmetic per lane either way (no fused multiply-add is enabled for
 * either target, so nothing is contracted). */
typedef double lanes_t __attribute__((vector_size(4 * sizeof(double))));

/* Loads and stores of four lanes from plain doubles (memcpy: no alignment is assumed). Macros,
 * not functions: a function returning a 32-byte vector has a different ABI with and without
 * AVX. */
#define LOAD_LANES(v, p) memcpy(&(v), (p), sizeof(lanes_t))
#define STORE_LANES(p, v) memcpy((p), &(v), sizeof(lanes_t))
#define LANES_SUM(v) (((v)[0] + (v)[1]) + ((v)[2] + (v)[3]))

/* Row m of R feeds r_t_rl (an axpy with rl[m]) and r_cl[m] (a dot with cl); row m of C feeds
 * c_rl (an axpy with rl[m], its entries below the diagonal standing for C(j, m)) and c_rl[m]
 * (a dot with rl). */
static inline __attribute__((always_inline)) void products_body(long n, const double *R, const double *C,
                                                                const double *rl, const double *cl, double *r_t_rl,
                                                                double *r_cl, double *c_rl) {
  memset(r_t_rl, 0, sizeof(double) * (size_t)n);
  memset(c_rl, 0, sizeof(double) * (size_t)n);
  for (long m = 0; m < n; m++) {
    const double *r_row = R + dmft__packed_row(m), *c_row = C + dmft__packed_row(m);
    const double weight = rl[m];
    const lanes_t weights = {weight, weight, weight, weight};
    lanes_t r_dot = {0.0, 0.0, 0.0, 0.0}, c_dot = {0.0, 0.0, 0.0, 0.0};
    long j = 0;
    for (; j + 4 <= m; j += 4) {
      lanes_t r, c, r_t, c_r, cl_j, rl_j;
      LOAD_LANES(r, r_row + j);
      LOAD_LANES(c, c_row + j);
      LOAD_LANES(r_t, r_t_rl + j);
      LOAD_LANES(c_r, c_rl + j);
      LOAD_LANES(cl_j, cl + j);
      LOAD_LANES(rl_j, rl + j);
      r_t += weights * r;
      c_r += weights * c;
      STORE_LANES(r_t_rl + j, r_t);
      STORE_LANES(c_rl + j, c_r);
      r_dot += r * cl_j;
      c_dot += c * rl_j;
    }
    double r_sum = LANES_SUM(r_dot), c_sum = LANES_SUM(c_dot);
    for (; j < m; j++) {
      r_t_rl[j] += weight * r_row[j];
      c_rl[j] += weight * c_row[j];
      r_sum += r_row[j] * cl[j];
      c_sum += c_row[j] * rl[j];
    }
    r_t_rl[m] += weight * r_row[m];
    r_cl[m] = r_sum + r_row[m] * cl[m];
    c_rl[m] += c_sum + c_row[m] * weight;
  }
}

void dmft__packed_products_portable(long n, const double *R, const double *C, const double *rl, const double *cl,
                                    double *r_t_rl, double *r_cl, double *c_rl) {
  products_body(n, R, C, rl, cl, r_t_rl, r_cl, c_rl);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx2"))) static void products_avx2(long n, const double *R, const double *C, const double *rl,
                                                          const double *cl, double *r_t_rl, double *r_cl,
                                                          double *c_rl) {
  products_body(n, R, C, rl, cl, r_t_rl, r_cl, c_rl);
}
#endif

void dmft__packed_products(long n, const double *R, const double *C, const double *rl, const double *cl,
                           double *r_t_rl, double *r_cl, double *c_rl) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (__builtin_cpu_supports("avx2")) {
    products_avx2(n, R, C, rl, cl, r_t_rl, r_cl, c_rl);
    return;
  }
#endif
  products_body(n, R, C, rl, cl, r_t_rl, r_cl, c_rl);
}

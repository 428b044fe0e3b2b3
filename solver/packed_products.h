/* The three matrix–vector products of a scalar (k = 1) exact parameter-side step, in one pass.
 *
 * A step of the recursion needs R^T Rl, R Cl and C Rl over the packed lower triangles of R and C
 * (C symmetric). At thousands of steps the triangles live in memory, not in cache, and three
 * library calls (two dtpmv, one dspmv) read R twice and C once. One pass that reads each row of
 * R and C once does the same sums with a third less traffic. The lanes of the partial sums are
 * fixed by the code (four of them, added in a fixed order), so the result is the same bits
 * whether the loop runs on SSE2 or AVX2, on any thread, on any rank. */
#ifndef DMFT_PACKED_PRODUCTS_H
#define DMFT_PACKED_PRODUCTS_H

/* For the first n rows of the packed lower triangles R and C (row m holds entries 0..m):
 * r_t_rl[j] = sum_{m >= j} R(m, j) rl[m], r_cl[m] = sum_{j <= m} R(m, j) cl[j] and
 * c_rl[l] = sum_m C(l, m) rl[m] with C(l, m) = C(m, l). The outputs may not overlap the inputs
 * (r_t_rl may be the row of R after the first n). */
void dmft__packed_products(long n, const double *R, const double *C, const double *rl, const double *cl,
                           double *r_t_rl, double *r_cl, double *c_rl);

/* The same with the portable (SSE2) loop forced: the tests compare the two. */
void dmft__packed_products_portable(long n, const double *R, const double *C, const double *rl, const double *cl,
                                    double *r_t_rl, double *r_cl, double *c_rl);

#endif

/* Comparison of a DMFT solution with a finite-n simulation on the same output grid.
 *
 * Observables compared at every row: each entry of M and Q, the train loss and the test loss.
 * A deviation is counted in combined standard errors (see dmft_compare).
 * The verdict's tolerance defaults to the Bonferroni bound that keeps the chance of a false
 * alarm over all comparisons at 1%: |z| <= Phi^-1(1 - 0.005 / comparisons). */
#ifndef DMFT_COMPARE_H
#define DMFT_COMPARE_H

#include "dmft/solver.h"

typedef struct {
  long comparisons;
  double largest_z;       /* largest |z| */
  double largest_time;
  char largest_observable[40];
  double rms_deviation;   /* sqrt(mean (sim - dmft)^2) over rows and observables */
  double rms_error;       /* sqrt(mean se_sim^2): the simulation's own noise level */
} dmft_comparison_t;

/* Observables per row for widths k, k*: k k* + k^2 + 2. */
int dmft_compare_observables(int k, int kstar);
/* Observable `index` of a result, in the order M entries, Q entries, train loss, test loss, then
 * the loss's test metric (index k k* + k^2 + 2, only for a result that has one): its name as the
 * CSV writes it, and its value and standard error at row `row`. */
void dmft_compare_observable_name(const dmft_result_t *r, int index, char *name, size_t size);
void dmft_compare_observable(const dmft_result_t *r, long row, int index, double *value, double *se);
/* Compares every simulated row up to the solver's last time, the solver interpolated linearly
 * in time to the simulated time (mini-batch SGD steps fall between grid times): solve with
 * --output-every 1 for the interpolation to be accurate. Deviations are normal-equivalent:
 * (sim - dmft) / sqrt(se_sim^2 + se_dmft^2) follows Student's t with Welch–Satterthwaite degrees
 * of freedom (seeds - 1 and groups - 1), converted to the normal deviate of equal tail. */
void dmft_compare(const dmft_result_t *solved, const dmft_result_t *simulated, dmft_comparison_t *comparison);
/* The signed deviation (simulation above the solver: positive) of observable `index` at the
 * simulation's row `row`, in the same normal-equivalent standard errors as dmft_compare; NaN
 * past the solver's last time. */
double dmft_compare_deviation(const dmft_result_t *solved, const dmft_result_t *simulated, long row, int index);
/* Least-squares slope of log(values) against log(sizes); NaN for fewer than two sizes. */
double dmft_finite_size_slope(const long *sizes, const double *values, int count);
/* The two-sided Bonferroni bound: |z| beyond it has probability family_error over `comparisons`
 * independent standard normals. */
double dmft_bonferroni_z(long comparisons, double family_error);

#endif

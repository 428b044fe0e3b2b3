/* Convergence in the time step: Richardson extrapolation of a ladder of solutions.
 *
 * The scheme is first order in dt (docs/solver.md): f(dt) = f0 + c dt + O(dt^2). For a ladder
 * dt_0 > dt_1 > ... with a constant integer ratio r = dt_{l-1} / dt_l, the two finest levels
 * give f0 ~ (r f_fine - f_coarse) / (r - 1). With three levels or more the observed order is
 * p = log(|f_{L-3} - f_{L-2}| / |f_{L-2} - f_{L-1}|) / log r, and the error of the extrapolated
 * value combines
 *   - a discretization part: the change of the extrapolation when the finest level is dropped
 *     (the O(dt^2) term it did not remove), or with two levels only the whole correction;
 *   - a Monte Carlo part. For independent levels, se^2 = ((r se_fine)^2 + se_coarse^2) / (r - 1)^2.
 *     The solver's levels share their random numbers (common random numbers: the same paths, the
 *     same arrival times and normals at every dt), so their errors largely cancel in the
 *     extrapolation; dmft_richardson_groups measures that from the replica groups, extrapolating
 *     group by group and taking the spread of the results.
 * The two are added in quadrature. */
#ifndef DMFT_CONVERGENCE_H
#define DMFT_CONVERGENCE_H

typedef struct {
  double value;                /* extrapolated to dt -> 0 */
  double error;                /* combined */
  double discretization_error;
  double monte_carlo_error;
  double observed_order;       /* NaN with fewer than three levels or a vanishing difference */
  double independent_monte_carlo_error; /* what the Monte Carlo part would be without common numbers */
  /* The order of the extrapolated values themselves: with four levels or more, the successive
   * extrapolations R_l from levels (l-1, l) give log(|R_{L-3} - R_{L-2}| / |R_{L-2} - R_{L-1}|) / log r,
   * about 2 for a first-order scheme: the extrapolation is the second-order method. NaN below. */
  double extrapolated_order;
} dmft_extrapolation_t;

/* values[l], se[l] at dt_l = dt_0 / ratio^l, l = 0..levels-1 (levels >= 2, ratio > 1). */
void dmft_richardson(const double *values, const double *se, int levels, double ratio, dmft_extrapolation_t *out);

/* The same from replica-group values, group_values[l * groups + g] (groups >= 2, the same groups
 * at every level): the Monte Carlo part is the spread of the group-by-group extrapolations. */
void dmft_richardson_groups(const double *group_values, int groups, int levels, double ratio, dmft_extrapolation_t *out);

#endif

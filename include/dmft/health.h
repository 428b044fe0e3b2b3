/* Numerical health of a result: the numbers that say whether it can be trusted, and warnings
 * where it should not be. dmft solve prints them in its summary and stores them as HDF5
 * attributes (health_*); docs/reliability.md explains each.
 *
 *  - C's smallest eigenvalue: the two-time kernel C(t_i, t_j) over the output rows (and units)
 *    is a covariance, so its spectrum must be >= 0 up to rounding and Monte Carlo error; it is
 *    computed on at most DMFT_HEALTH_MAX_ROWS rows spread over the run, relative to the largest.
 *  - the relative standard error of each one-time observable at the last row.
 *  - warnings: too few paths per replica group for the standard errors to be reliable; a step
 *    too coarse (eta dt large, or several draws of a sample per step); a norm Q that grew by
 *    orders of magnitude; a standard error that is not a finite number. */
#ifndef DMFT_HEALTH_H
#define DMFT_HEALTH_H

#include <stddef.h>

#include "dmft/problem.h"
#include "dmft/solver.h"

#define DMFT_HEALTH_MAX_ROWS 200
#define DMFT_HEALTH_MAX_WARNINGS 6

typedef struct {
  double smallest_eigenvalue_C; /* relative to the largest; NAN if not computed */
  double relative_se_M, relative_se_Q, relative_se_train_loss, relative_se_test_loss; /* at the last row, entry (0,0) */
  int warning_count;
  char warnings[DMFT_HEALTH_MAX_WARNINGS][160];
} dmft_health_t;

/* DMFT_OK, or DMFT_ENOMEM (the eigenvalue is then NAN and the rest filled). */
int dmft_result_health(const dmft_problem_t *problem, const dmft_result_t *result, dmft_health_t *health);

#endif

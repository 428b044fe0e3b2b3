/* Shared pieces of the CUnit test programs: a main that runs one suite and returns the
 * failure count (CUnit does not set the exit status by itself), and statistical assertions
 * that say what they compared. */
#ifndef DMFT_TEST_SUPPORT_H
#define DMFT_TEST_SUPPORT_H

#include <CUnit/Basic.h>
#include <math.h>

#include "dmft/dmft.h"

int dmft_test_run(const char *suite, CU_TestInfo *tests);

/* |a - b| <= z * sqrt(se_a^2 + se_b^2); prints the comparison when it fails. */
int dmft_test_within_z(const char *what, double a, double se_a, double b, double se_b, double z);
/* |a - b| <= tolerance; prints the comparison when it fails. */
int dmft_test_close(const char *what, double a, double b, double tolerance);

#define DMFT_ASSERT_WITHIN_Z(what, a, se_a, b, se_b, z) CU_ASSERT(dmft_test_within_z(what, a, se_a, b, se_b, z))
#define DMFT_ASSERT_CLOSE(what, a, b, tolerance) CU_ASSERT(dmft_test_close(what, a, b, tolerance))

/* Every entry of M and Q and the train loss, at every output row from `first_row` on, agree
 * within z combined standard errors (a and b on the same grid). */
void dmft_test_assert_results_agree(const char *what, const dmft_result_t *a, const dmft_result_t *b, long first_row, double z);

/* A small problem shared by many tests: squared loss, linear student and teacher, poisson. */
void dmft_test_linear_problem(dmft_problem_t *problem);
/* The largest deviation of M, Q and the train loss (entry 0,0 of each) between a solve and a
 * simulation, in dmft_compare's combined standard errors, over the simulated rows after the
 * first. */
double dmft_test_largest_deviation(const dmft_result_t *solved, const dmft_result_t *simulated);

#endif

#include "dmft/simulate.h"

/* Solves `problem`, simulates `algorithm` at n samples over `seeds` seeds, and asserts that
 * every entry of M and Q and the train loss agree within z combined standard errors at every
 * output row after the first. */
void dmft_test_compare_with_simulation(const char *what, const dmft_problem_t *problem, dmft_algorithm_t algorithm, long n,
                                       int seeds, double z);

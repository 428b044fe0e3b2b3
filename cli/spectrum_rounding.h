/* What a finite-n simulation does to a covariance spectrum: each class gets whole columns of X,
 * round(weight d) by largest remainders, so the weights it realizes differ from the given ones
 * by at most 1/(2d) (less than the simulation's other finite-size effects, O(1/d) too). */
#ifndef DMFT_CLI_SPECTRUM_ROUNDING_H
#define DMFT_CLI_SPECTRUM_ROUNDING_H

#include <stddef.h>

#include "dmft/problem.h"

/* One line for a user: the columns per class of a d-coordinate simulation and the largest change
 * of a weight; "" for isotropic data. */
void cli_spectrum_rounding(const dmft_problem_t *problem, long d, char *text, size_t size);

#endif

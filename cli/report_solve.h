/* dmft solve --report DIR: the summary of one solve as a page a person reads — the learning
 * curves with their error bands, heat maps of the two-time kernels C, R, Cl and Rl, the
 * numerical health, the final values, and the provenance — built in a staged directory and
 * published whole (report.h). */
#ifndef DMFT_CLI_REPORT_SOLVE_H
#define DMFT_CLI_REPORT_SOLVE_H

#include <stddef.h>

#include "dmft/dmft.h"

/* Writes the report into `directory` (staged), naming itself `published` and the solve's pair
 * `csv` and `h5` (NULL when the solve wrote no files). 0, or 2 with a message. */
int cli_solve_report_write(const char *directory, const char *published, const char *csv, const char *h5,
                           const dmft_problem_t *problem, const dmft_result_t *result, char *message, size_t size);

#endif

/* What a report says about where its numbers came from: the version, the command line, every
 * setting that changes a number (the components and each of their parameters, priors, the
 * parameter side, path subsets, quasi-random draws, the seed, the grid) and each plugin with the
 * SHA-256 of its file. The same facts as the HDF5 file's root attributes. */
#ifndef DMFT_CLI_REPORT_PROVENANCE_H
#define DMFT_CLI_REPORT_PROVENANCE_H

#include <stdio.h>

#include "dmft/problem.h"

/* As an HTML section (html = 1) or a Markdown one (0); with_grid 0 leaves out dt and the steps,
 * for a study over several (dmft converge, which lists its ladder). */
void cli_report_provenance(FILE *out, const dmft_problem_t *problem, int with_grid, int html);

#endif

/* Writers of a solve's result: PREFIX.csv (one row per output time) and PREFIX.h5 (every
 * kernel, every parameter). Both write to a temporary name and rename at the end, so a
 * failure never leaves a half-written file under the final name. */
#ifndef DMFT_CLI_WRITERS_H
#define DMFT_CLI_WRITERS_H

#include "dmft/dmft.h"

int cli_write_csv(const char *path, const dmft_problem_t *problem, const dmft_result_t *result);
int cli_write_hdf5(const char *path, const dmft_problem_t *problem, const dmft_result_t *result);

#endif

/* Writers of a solve's result: PREFIX.csv (one row per output time) and PREFIX.h5 (every
 * kernel, every parameter). Both write to a temporary name and rename at the end, so a
 * failure never leaves a half-written file under the final name. */
#ifndef DMFT_CLI_WRITERS_H
#define DMFT_CLI_WRITERS_H

#include <stddef.h>

#include "dmft/dmft.h"
#include "dmft/simulate.h"

int cli_write_csv(const char *path, const dmft_problem_t *problem, const dmft_result_t *result);
/* `simulation` (or NULL for a solve) adds the simulation's size, seeds, algorithm and its
 * Gaussian-formula test loss. */
int cli_write_hdf5(const char *path, const dmft_problem_t *problem, const dmft_result_t *result,
                   const dmft_simulation_t *simulation);
/* PREFIX.csv and PREFIX.h5 of a result; their paths go to csv_path and h5_path (size bytes
 * each). 1 when both were written, else 0 with neither left under its final name. */
int cli_write_outputs(const char *prefix, const dmft_problem_t *problem, const dmft_result_t *result,
                      const dmft_simulation_t *simulation, char *csv_path, char *h5_path, size_t size);
/* Whether the directory of `path` exists and is writable; else a message naming `option`. */
int cli_output_directory_is_writable(const char *option, const char *path, char *message, size_t size);

#endif

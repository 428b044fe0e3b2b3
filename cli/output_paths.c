/* Where outputs go: the directory is checked before any work, so that a wrong path costs
 * nothing; a result is written as a pair of files or not at all. */
#define _POSIX_C_SOURCE 200809L
#include <libgen.h>
#include <stdio.h>
#include <unistd.h>

#include "writers.h"

int cli_output_directory_is_writable(const char *option, const char *path, char *message, size_t size) {
  char copy[4200];
  snprintf(copy, sizeof copy, "%s", path);
  const char *directory = dirname(copy);
  if (access(directory, W_OK) != 0) {
    snprintf(message, size, "%s: cannot write in directory '%s' (it does not exist or is not writable)", option, directory);
    return 0;
  }
  return 1;
}

int cli_write_outputs(const char *prefix, const dmft_problem_t *problem, const dmft_result_t *result,
                      const dmft_simulation_t *simulation, char *csv_path, char *h5_path, size_t size) {
  snprintf(csv_path, size, "%s.csv", prefix);
  snprintf(h5_path, size, "%s.h5", prefix);
  if (cli_write_csv(csv_path, problem, result) != DMFT_OK) return 0;
  if (cli_write_hdf5(h5_path, problem, result, simulation) == DMFT_OK) return 1;
  remove(csv_path);
  return 0;
}

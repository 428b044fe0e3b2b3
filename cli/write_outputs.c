/* A result's PREFIX.csv and PREFIX.h5, written as one transaction (output_transaction.h). */
#include "output_transaction.h"
#include "writers.h"

int cli_write_outputs(cli_output_t *output, const dmft_problem_t *problem, const dmft_result_t *result,
                      const dmft_simulation_t *simulation) {
  for (int i = 0; i < output->count; i++) cli_output_remember(output->staged[i], 0);
  const int written = cli_write_csv(output->staged[0], problem, result) == DMFT_OK &&
                      cli_write_hdf5(output->staged[1], problem, result, simulation) == DMFT_OK;
  if (!written) {
    cli_output_abandon(output);
    return 0;
  }
  return cli_output_commit(output);
}

int cli_prepare_result_outputs(cli_output_t *output, const char *prefix, char *message, size_t size) {
  const char *const suffixes[] = {".csv", ".h5"};
  return cli_output_prepare(output, "--out", prefix, suffixes, 2, message, size);
}

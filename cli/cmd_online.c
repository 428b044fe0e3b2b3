/* dmft online: the one-pass (gamma -> infinity) limit of SGD, the online ODEs for the overlaps
 * integrated by CVODE, written in dmft solve's layout (time t = tau / (kappa gamma)). */
#include <stdio.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/ranks.h"
#include "dmft/online.h"
#include "options.h"
#include "progress.h"
#include "writers.h"

const char *const cli_online_summary =
    "Integrate the online-SGD equations for the overlaps M and Q (the one-pass limit of SGD, gamma -> infinity\n"
    "at fixed tau = kappa gamma t, the samples seen per dimension; per-sample step eta/kappa) with SUNDIALS\n"
    "CVODE, and write PREFIX.csv and PREFIX.h5 in dmft solve's layout (standard errors zero; train loss =\n"
    "test loss). --gamma only converts tau to t and scales the ridge (eta ridge / (kappa gamma) per unit tau);\n"
    "--seed only places the quadrature points of the expectations; the solver's --noise, --paths and --threads\n"
    "are not options of online.";

int cli_online(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_ONLINE);
  char message[1024] = "";
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_ONLINE, cli_online_summary);
    return 0;
  }
  cli_output_t output;
  if (parsed == 0 && dmft_ranks_size() > 1) {
    cli_fail("dmft online: the online equations are a few ODEs, solved on one process: run it without mpirun");
    return 2;
  }
  if (parsed == 0 && options.problem.spectrum.classes > 0) {
    cli_fail("dmft online: --spectrum does not apply: the online equations are those of isotropic data (use --spectrum "
             "isotropic, or dmft solve with a large --gamma)");
    return 2;
  }
  if (parsed != 0 || dmft_problem_check_inputs(&options.problem, message, sizeof message) != DMFT_OK ||
      !cli_prepare_result_outputs(&output, options.out_prefix, message, sizeof message)) {
    cli_fail("dmft online: %s", message);
    return 2;
  }
  cli_progress_t progress;
  cli_progress_start(&progress, "dmft online", options.quiet);
  const double started = progress.started;
  dmft_result_t *result = NULL;
  const int status = dmft_online_solve(&options.problem, cli_progress_update, &progress, &result, message, sizeof message);
  cli_progress_finish(&progress);
  if (status != DMFT_OK && status != DMFT_EDIVERGED) {
    cli_fail("dmft online: %s", message);
    return 2;
  }
  const char *csv_path = output.final[0], *h5_path = output.final[1];
  const int written = result->rows_done > 0 && cli_write_outputs(&output, &options.problem, result, NULL);
  int exit_status = 0;
  if (status == DMFT_EDIVERGED && result->rows_done == 0) {
    cli_fail("dmft online: %s; nothing written", message);
    exit_status = 3;
  } else if (!written) {
    cli_fail("dmft online: could not write %s and %s (disk full or directory no longer writable); any earlier pair is kept",
            csv_path, h5_path);
    exit_status = 2;
  } else if (status == DMFT_EDIVERGED) {
    cli_fail("dmft online: %s; the %ld rows before it are in %s and %s", message, result->rows_done, csv_path, h5_path);
    exit_status = 3;
  } else if (!options.quiet) {
    printf("dmft online: wrote %s and %s (%ld rows to tau = %g, %.1f s)\n", csv_path, h5_path, result->rows_done,
           options.problem.kappa * options.problem.gamma * result->t[result->rows_done - 1], cli_seconds_now() - started);
  }
  dmft_result_free(&result);
  return exit_status;
}

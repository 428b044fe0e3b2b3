/* dmft solve: read options, check them all before anything runs, solve, write PREFIX.h5 and
 * PREFIX.csv. Bad input writes nothing; a divergence writes the rows before it and exits 3. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "progress.h"
#include "writers.h"

static const char *const solve_summary =
    "Solve the DMFT equations of multi-pass SGD (poisson, bernoulli), SME (gauss) or gradient flow (flow)\n"
    "for a multi-index model, and write the learning curves, overlaps and two-time kernels with their\n"
    "standard errors to PREFIX.csv and PREFIX.h5.";

int cli_solve(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_SOLVE);
  char message[1024] = "";
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_SOLVE, solve_summary);
    return 0;
  }
  if (parsed != 0 || dmft_problem_check(&options.problem, message, sizeof message) != DMFT_OK ||
      !cli_output_directory_is_writable("--out", options.out_prefix, message, sizeof message)) {
    fprintf(stderr, "dmft solve: %s\n", message);
    return 2;
  }

  cli_progress_t progress;
  cli_progress_start(&progress, "dmft solve", options.quiet);
  dmft_result_t *result = NULL;
  const int status = dmft_solve(&options.problem, cli_progress_update, &progress, &result);
  cli_progress_finish(&progress);
  if (status != DMFT_OK && status != DMFT_EDIVERGED) {
    fprintf(stderr, "dmft solve: %s\n", dmft_strerror(status));
    return 2;
  }

  char csv_path[4200], h5_path[4200];
  const int written =
      cli_write_outputs(options.out_prefix, &options.problem, result, NULL, csv_path, h5_path, sizeof csv_path);
  const double seconds = cli_seconds_now() - progress.started;
  int exit_status = 0;
  if (!written) {
    fprintf(stderr, "dmft solve: could not write %s and %s\n", csv_path, h5_path);
    exit_status = 2;
  } else if (status == DMFT_EDIVERGED) {
    fprintf(stderr,
            "dmft solve: the dynamics diverged at t = %g (epoch %g): values stopped being finite or exploded; "
            "the %ld rows before it are in %s and %s\n",
            result->diverged_at, options.problem.kappa * result->diverged_at, result->rows_done, csv_path, h5_path);
    exit_status = 3;
  } else if (!options.quiet) {
    printf("dmft solve: wrote %s and %s (%ld rows to t = %g, %ld paths in %d replica groups, %.1f s)\n", csv_path,
           h5_path, result->rows_done, result->t[result->rows_done - 1], options.problem.paths, result->groups, seconds);
  }
  dmft_result_free(&result);
  return exit_status;
}

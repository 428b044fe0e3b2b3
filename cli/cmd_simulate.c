/* dmft simulate: the real algorithm at finite n, written in dmft solve's layout so that the two
 * can be read, plotted and compared by the same code. */
#include <stdio.h>
#include <string.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/ranks.h"
#include "options.h"
#include "progress.h"
#include "spectrum_rounding.h"
#include "writers.h"

const char *const cli_simulate_summary =
    "Run the algorithm that --noise describes (poisson: mini-batch SGD at --alpha; bernoulli: each sample in\n"
    "each batch with probability kappa dt; gauss: SME; flow: gradient descent), or the one --simulate names,\n"
    "at finite n and d = n/gamma over --seeds data sets, and write the mean and standard error of M, Q, C, R\n"
    "(kick experiment), train loss and test loss (fresh test set) to PREFIX.csv and PREFIX.h5.";

int cli_simulate(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_SIMULATE);
  char message[1024] = "";
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_SIMULATE, cli_simulate_summary);
    return 0;
  }
  const dmft_simulation_options_t simulation_options = cli_simulation_options(&options, options.sizes[0]);
  dmft_simulation_t *simulation = NULL;
  cli_output_t output = {0};
  cli_session_t *session = cli_session();
  const int refused = parsed != 0 || dmft_problem_check_inputs(&options.problem, message, sizeof message) != DMFT_OK ||
                      dmft_simulation_check(&options.problem, &simulation_options, message, sizeof message) != DMFT_OK ||
                      (session->write_files && !cli_prepare_result_outputs(&output, options.out_prefix, message, sizeof message));
  if (refused) cli_fail("dmft simulate: %s", message);
  if (cli_ranks_agree(refused ? 2 : 0) != 0) { /* under mpirun the seeds are spread: all run, or none */
    if (!refused) cli_output_abandon(&output);
    return 2;
  }
  /* Under mpirun rank 0 writes and prints. */
  const int quiet = options.quiet || dmft_ranks_rank() > 0;
  cli_progress_t progress;
  cli_progress_start(&progress, "dmft simulate", quiet);
  const int status = dmft_simulate(&options.problem, &simulation_options, cli_progress_update, &progress, &simulation,
                                   message, sizeof message);
  cli_progress_finish(&progress);
  if (status != DMFT_OK) {
    cli_fail("dmft simulate: %s", message);
    return 2;
  }
  if (dmft_result_cut_at_non_finite(simulation->result, 0)) {
    cli_fail("dmft simulate: at t = %g %s; nothing written", simulation->result->diverged_at,
             dmft_result_divergence_reason(simulation->result));
    dmft_simulation_free(&simulation);
    return 3;
  }
  const int written = !session->write_files || cli_write_outputs(&output, &options.problem, simulation->result, simulation);
  if (!written)
    cli_fail("dmft simulate: could not write %s and %s (disk full or directory no longer writable); any earlier pair is kept",
             output.final[0], output.final[1]);
  else if (!quiet)
    printf("dmft simulate: %s%s%s%s (%s, n = %ld, d = %ld, %d seeds, %.1f s)\n", session->write_files ? "wrote " : "done",
           session->write_files ? output.final[0] : "", session->write_files ? " and " : "",
           session->write_files ? output.final[1] : "", dmft_algorithm_name(simulation->algorithm), simulation->n, simulation->d,
           options.seeds, cli_seconds_now() - progress.started);
  char rounding[512];
  cli_spectrum_rounding(&options.problem, simulation->d, rounding, sizeof rounding);
  if (written && !quiet && rounding[0]) printf("dmft simulate: %s\n", rounding);
  cli_session_keep_result(&simulation->result, &options.problem);
  dmft_simulation_free(&simulation);
  return written ? 0 : 2;
}

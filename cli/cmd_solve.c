/* dmft solve: read options, check them all before anything runs, solve, write PREFIX.h5 and
 * PREFIX.csv. Bad input writes nothing; a divergence writes the rows before it and exits 3. */
#define _POSIX_C_SOURCE 200809L
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/health.h"
#include "dmft/ranks.h"
#include "options.h"
#include "output_transaction.h"
#include "progress.h"
#include "report.h"
#include "report_solve.h"
#include "writers.h"

const char *const cli_solve_summary =
    "Solve the DMFT equations of multi-pass SGD (poisson, bernoulli), SME (gauss) or gradient flow (flow)\n"
    "for a multi-index model, and write the learning curves, overlaps and two-time kernels with their\n"
    "standard errors to PREFIX.csv and PREFIX.h5. With --checkpoint FILE the state is saved every\n"
    "--checkpoint-every seconds and on SIGINT/SIGTERM; --resume FILE continues it to the same bits.\n"
    "Under mpirun -np P every replica group's paths are spread over the ranks, with the same output.";

/* The numbers that say whether the result can be trusted, and any warning (dmft/health.h). */
static void print_health(const dmft_problem_t *problem, const dmft_result_t *result) {
  dmft_health_t health;
  dmft_result_health(problem, result, &health);
  char eigenvalue[64] = "not computed (--no-kernels)";
  if (result->C) snprintf(eigenvalue, sizeof eigenvalue, "%.2g of the largest", health.smallest_eigenvalue_C);
  printf("  health: relative s.e. at t = %g: M %.2g, Q %.2g, train loss %.2g, test loss %.2g; smallest eigenvalue of C "
         "%s; %s\n",
         result->t[result->rows_done - 1], health.relative_se_M, health.relative_se_Q, health.relative_se_train_loss,
         health.relative_se_test_loss, eigenvalue, health.warning_count ? "WARNINGS:" : "no warnings");
  for (int i = 0; i < health.warning_count; i++) printf("  warning: %s\n", health.warnings[i]);
}

/* With --checkpoint, SIGINT and SIGTERM ask the solve to save its state and stop at the next
 * step boundary; a second signal ends the process as it would have. */
static volatile int stop_requested;
static volatile sig_atomic_t stopping_signal;

static void request_stop(int number) {
  stopping_signal = number;
  stop_requested = 1;
  signal(number, SIG_DFL);
}

/* --checkpoint FILE and --resume FILE, before any work. 1, or 0 with a message. */
static int check_checkpoint_options(const cli_options_t *options, char *message, size_t size) {
  if (!(options->checkpoint_every > 0)) {
    snprintf(message, size, "--checkpoint-every must be a number of seconds > 0 (got %g)", options->checkpoint_every);
    return 0;
  }
  if (options->resume_path && access(options->resume_path, R_OK) != 0) {
    snprintf(message, size, "--resume: cannot read '%s'", options->resume_path);
    return 0;
  }
  const char *path = options->checkpoint_path ? options->checkpoint_path : options->resume_path;
  if (!path) return 1;
  if (options->problem.engine_volterra) {
    snprintf(message, size, "--%s: --engine volterra keeps no state to save (it solves 10^6 steps in seconds)",
             options->checkpoint_path ? "checkpoint" : "resume");
    return 0;
  }
  struct stat status;
  if (stat(path, &status) == 0 && !S_ISREG(status.st_mode)) {
    snprintf(message, size, "--checkpoint: '%s' exists and is not a regular file", path);
    return 0;
  }
  /* An existing file is overwritten only if it is a checkpoint: a mistyped path must not cost a
   * result. (The file being resumed is checked, whole, by the loader.) */
  FILE *existing = options->resume_path && strcmp(path, options->resume_path) == 0 ? NULL : fopen(path, "rb");
  if (existing) {
    char magic[8] = "";
    const int is_checkpoint = fread(magic, 1, 8, existing) == 8 && memcmp(magic, "DMFTCKPT", 8) == 0;
    fclose(existing);
    if (!is_checkpoint) {
      snprintf(message, size, "--checkpoint: '%s' exists and is not a dmft checkpoint; it is not overwritten", path);
      return 0;
    }
  }
  char copy[4200];
  snprintf(copy, sizeof copy, "%s", path);
  return cli_output_directory_takes_files("--checkpoint", dirname(copy), message, size);
}

/* --report draws the two-time kernels. 1, or 0 with a message. */
static int check_report_options(const cli_options_t *options, char *message, size_t size) {
  if (options->report_dir && options->problem.no_kernels) {
    snprintf(message, size, "--report draws the two-time kernels, which --no-kernels leaves out: give one of them");
    return 0;
  }
  return 1;
}

/* What a finished solve tells its user: the files it wrote (or, embedded without files, that
 * the result is in memory) and the health of the result. */
static void print_summary(const cli_options_t *options, const cli_output_t *output, const dmft_result_t *result,
                          double seconds) {
  char how[96];
  if (options->problem.engine_volterra) snprintf(how, sizeof how, "the Volterra engine, no paths");
  else snprintf(how, sizeof how, "%ld paths in %d replica groups", options->problem.paths, result->groups);
  if (cli_session()->write_files)
    printf("dmft solve: wrote %s and %s (%ld rows to t = %g, %s, %.1f s)\n", output->final[0], output->final[1],
           result->rows_done, result->t[result->rows_done - 1], how, seconds);
  else
    printf("dmft solve: %ld rows to t = %g, %s, %.1f s\n", result->rows_done, result->t[result->rows_done - 1], how, seconds);
  print_health(&options->problem, result);
  if (options->report_dir) printf("  report: %s/index.html and %s/report.md\n", options->report_dir, options->report_dir);
}

/* --report DIR: built beside DIR and put in place whole (report.h). 0, or 2 with a message. */
static int write_report(const cli_options_t *options, const cli_output_t *output, const dmft_result_t *result,
                        char *message, size_t size) {
  char staged[CLI_OUTPUT_PATH];
  if (cli_report_stage(options->report_dir, staged, sizeof staged, message, size) != 0) return 2;
  if (cli_solve_report_write(staged, options->report_dir, output ? output->final[0] : NULL, output ? output->final[1] : NULL,
                             &options->problem, result, message, size) != 0) {
    cli_report_discard(staged);
    return 2;
  }
  return cli_report_publish(staged, options->report_dir, message, size);
}

int cli_solve(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_SOLVE);
  char message[1024] = "";
  cli_session_t *session = cli_session();
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_SOLVE, cli_solve_summary);
    return 0;
  }
  cli_output_t output = {0};
  /* Under mpirun rank 0 writes the files and the report; the others solve their share. */
  const int writes_report = options.report_dir && dmft_ranks_rank() == 0;
  const int refused = parsed != 0 || dmft_problem_check(&options.problem, message, sizeof message) != DMFT_OK ||
                      !check_checkpoint_options(&options, message, sizeof message) ||
                      !check_report_options(&options, message, sizeof message) ||
                      (session->write_files && !cli_prepare_result_outputs(&output, options.out_prefix, message, sizeof message)) ||
                      (writes_report && cli_report_prepare("--report", options.report_dir, message, sizeof message) != 0);
  if (refused) cli_fail("dmft solve: %s", message);
  if (cli_ranks_agree(refused ? 2 : 0) != 0) {
    if (!refused) cli_output_abandon(&output);
    return 2;
  }

  /* A resumed solve keeps checkpointing into the file it came from, unless told otherwise. An
   * embedded solve is stopped by its caller, never by a signal handler of ours. */
  const char *checkpoint = options.checkpoint_path ? options.checkpoint_path : options.resume_path;
  if (checkpoint && !session->embedded) {
    signal(SIGINT, request_stop);
    signal(SIGTERM, request_stop);
  }
  cli_progress_t progress;
  cli_progress_start(&progress, "dmft solve", options.quiet || dmft_ranks_rank() > 0);
  dmft_result_t *result = NULL;
  const dmft_checkpoint_options_t checkpointing = {.path = checkpoint,
                                                   .every_seconds = options.checkpoint_every,
                                                   .resume = options.resume_path,
                                                   .stop = session->embedded ? &session->stop : &stop_requested,
                                                   .message = message,
                                                   .message_size = sizeof message};
  const int status = dmft_solve_checkpointed(&options.problem, cli_progress_update, &progress,
                                             checkpoint || session->embedded ? &checkpointing : NULL, &result);
  cli_progress_finish(&progress);
  if (checkpoint && !session->embedded) cli_output_install_signal_cleanup(); /* back to removing staged files */
  if (status == DMFT_EINTERRUPTED && session->embedded) {
    if (checkpoint)
      cli_fail("dmft solve: interrupted; the state is in %s: run the same command with --resume %s to continue", checkpoint,
               checkpoint);
    else
      cli_fail("dmft solve: interrupted; nothing written");
    return 130;
  }
  if (status == DMFT_EINTERRUPTED) {
    cli_fail("dmft solve: stopped by %s; the state is in %s: run the same command with --resume %s to continue",
             stopping_signal == SIGTERM ? "SIGTERM" : "SIGINT", checkpoint, checkpoint);
    return 128 + (stopping_signal ? (int)stopping_signal : SIGINT);
  }
  if (status == DMFT_EINVAL && !message[0] && options.problem.engine_volterra) /* no checkpoint involved */
    snprintf(message, sizeof message, "--engine volterra could not integrate the spectral measure of this --spectrum "
             "(Silverstein's equation did not converge); the default engine solves it");
  if (status != DMFT_OK && status != DMFT_EDIVERGED) {
    cli_fail("dmft solve: %s", status == DMFT_EINVAL || status == DMFT_EIO ? message : dmft_strerror(status));
    return 2;
  }

  const int written = result->rows_done > 0 && (!session->write_files || cli_write_outputs(&output, &options.problem, result, NULL));
  const double seconds = cli_seconds_now() - progress.started;
  int exit_status = 0;
  if (status == DMFT_EDIVERGED && result->rows_done == 0) {
    cli_fail("dmft solve: at t = 0 %s; nothing written", dmft_result_divergence_reason(result));
    exit_status = 3;
  } else if (!written) {
    cli_fail("dmft solve: could not write %s and %s (disk full or directory no longer writable); any earlier pair is kept",
             output.final[0], output.final[1]);
    exit_status = 2;
  } else if (status == DMFT_EDIVERGED && session->write_files) {
    cli_fail("dmft solve: at t = %g (epoch %g) %s; the %ld rows before it are in %s and %s", result->diverged_at,
             dmft_problem_epochs_at(&options.problem, result->diverged_at), dmft_result_divergence_reason(result), result->rows_done,
             output.final[0], output.final[1]);
    exit_status = 3;
  } else if (status == DMFT_EDIVERGED) {
    cli_fail("dmft solve: at t = %g (epoch %g) %s; the result holds the %ld rows before it", result->diverged_at,
             dmft_problem_epochs_at(&options.problem, result->diverged_at), dmft_result_divergence_reason(result), result->rows_done);
    exit_status = 3;
  } else {
    if (writes_report && write_report(&options, session->write_files ? &output : NULL, result, message, sizeof message) != 0) {
      cli_fail("dmft solve: %s (the solve's own files are written)", message);
      exit_status = 2;
    } else if (!options.quiet && dmft_ranks_rank() == 0) {
      print_summary(&options, &output, result, seconds);
    }
  }
  /* The result is in its files: the checkpoint it came from has served (each rank removes its own,
   * and what killed saves left). */
  if (checkpoint && written) dmft_checkpoint_remove(checkpoint);
  cli_session_keep_result(&result, &options.problem);
  return exit_status;
}

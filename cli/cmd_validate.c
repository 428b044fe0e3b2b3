/* dmft validate: the solver against finite-n simulations of the algorithm it describes, over a
 * list of sizes; a verdict, a finite-size fit, and a report. `--suite paper` runs the paper's
 * three experiments (cli/suite_paper.c). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/ranks.h"
#include "options.h"
#include "progress.h"
#include "output_transaction.h"
#include "report.h"
#include "spectrum_rounding.h"
#include "validation.h"

const char *const cli_validate_summary =
    "Solve the DMFT equations and simulate the algorithm that --noise describes (or --simulate names) at each\n"
    "size of --n with --seeds data sets; compare M, Q, train and test loss at every output time in combined\n"
    "standard errors; fit the deviation against n; print PASS or FAIL. --report DIR writes DIR/index.html with\n"
    "plots and DIR/report.md. --suite paper runs the paper's three experiments (into --report, default\n"
    "paper-suite/, about 3 minutes on 2 cores); --suite paper-quick one pairing of each (under a minute).";

void cli_validation_free(cli_validation_t *v) {
  dmft_result_free(&v->solved);
  for (int i = 0; i < v->count; i++) dmft_simulation_free(&v->simulations[i]);
  v->count = 0;
}

int cli_validation_run(const cli_options_t *options, const dmft_problem_t *problem, const char *title,
                       const char *report_dir, cli_validation_t *v, char *message, size_t size) {
  memset(v, 0, sizeof *v);
  /* Every step of the solution, so that it can be read at the simulated times (see dmft_compare). */
  dmft_problem_t fine = *problem;
  fine.output_every = 1;
  cli_progress_t progress;
  cli_progress_start(&progress, "dmft validate: solve", options->quiet);
  int status = dmft_solve(&fine, cli_progress_update, &progress, &v->solved);
  cli_progress_finish(&progress);
  if (status == DMFT_EDIVERGED) {
    snprintf(message, size, "the DMFT solution diverged at t = %g; nothing to validate", v->solved->diverged_at);
    return 3;
  }
  if (status != DMFT_OK) {
    snprintf(message, size, "%s", dmft_strerror(status));
    return 2;
  }
  for (int i = 0; i < options->size_count; i++) {
    dmft_simulation_options_t simulation = cli_simulation_options(options, options->sizes[i]);
    simulation.skip_responses = 1; /* R is not compared: its kicked copies would triple the cost */
    char label[64];
    snprintf(label, sizeof label, "dmft validate: simulate n = %ld", options->sizes[i]);
    cli_progress_start(&progress, label, options->quiet);
    status = dmft_simulate(problem, &simulation, cli_progress_update, &progress, &v->simulations[i], message, size);
    cli_progress_finish(&progress);
    if (status != DMFT_OK) return 2;
    v->count++;
    dmft_compare(v->solved, v->simulations[i]->result, &v->comparisons[i]);
  }
  long comparisons = 0;
  double deviations[CLI_MAX_SIZES];
  v->largest_z = 0.0;
  for (int i = 0; i < v->count; i++) {
    comparisons += v->comparisons[i].comparisons;
    deviations[i] = v->comparisons[i].rms_deviation;
    v->largest_z = fmax(v->largest_z, v->comparisons[i].largest_z);
  }
  v->tolerance = options->tolerance > 0 ? options->tolerance : dmft_bonferroni_z(comparisons, 0.01);
  v->slope = dmft_finite_size_slope(options->sizes, deviations, v->count);
  v->pass = v->largest_z <= v->tolerance;
  v->report = (cli_report_t){.title = title,
                             .problem = problem,
                             .solved = v->solved,
                             .simulations = (const dmft_simulation_t *const *)v->simulations,
                             .comparisons = v->comparisons,
                             .count = v->count,
                             .slope = v->slope,
                             .tolerance = v->tolerance,
                             .largest_z = v->largest_z,
                             .pass = v->pass};
  if (report_dir && cli_report_write(report_dir, &v->report, message, size) != 0) return 2;
  return 0;
}

void cli_validation_title(const cli_options_t *options, const dmft_problem_t *problem, char *title, size_t size) {
  const dmft_simulation_options_t simulation = cli_simulation_options(options, options->sizes[0]);
  static const char *const described[] = {"", "extensive-batch SGD (each sample in a batch with probability kappa dt)",
                                           "SME (Euler-Maruyama)", "full-batch gradient descent"};
  if (simulation.algorithm == DMFT_SIMULATE_SGD)
    snprintf(title, size, "%s DMFT against mini-batch SGD (alpha %g%s%s)", problem->noise->name, options->alpha,
             simulation.sampling == DMFT_SAMPLING_IID ? "" : ", batches by epochs: ",
             simulation.sampling == DMFT_SAMPLING_IID ? "" : dmft_sampling_name(simulation.sampling));
  else
    snprintf(title, size, "%s DMFT against %s", problem->noise->name, described[simulation.algorithm]);
}

/* An embedded caller gets the verdict's numbers, the table (CSV, one row per size) and the
 * solve. */
static void keep_for_caller(cli_validation_t *validation, const dmft_problem_t *problem) {
  cli_session_t *session = cli_session();
  char *table = NULL;
  size_t length = 0;
  FILE *csv = open_memstream(&table, &length);
  if (csv) {
    fprintf(csv, "n,d,seeds,largest_deviation_se,where,rms_deviation,rms_se_simulation\n");
    for (int i = 0; i < validation->count; i++) {
      const dmft_comparison_t *c = &validation->comparisons[i];
      const dmft_simulation_t *simulation = validation->simulations[i];
      fprintf(csv, "%ld,%ld,%d,%.17g,%s at t = %g,%.17g,%.17g\n", simulation->n, simulation->d, simulation->result->groups,
              c->largest_z, c->largest_observable, c->largest_time, c->rms_deviation, c->rms_error);
    }
    fclose(csv);
    session->table_csv = table;
  }
  session->tolerance = validation->tolerance;
  session->finite_size_slope = validation->slope;
  cli_session_keep_result(&validation->solved, problem);
}

/* The checked validation: solve, simulate, compare, the report and the verdict. Under mpirun the
 * followers (ranks > 0) take part in the work and say nothing. The exit status. */
static int run_and_report(cli_options_t *options, const char *report_dir, const char *staged, int follower) {
  char message[1024] = "";
  char title[256];
  cli_validation_title(options, &options->problem, title, sizeof title);
  cli_validation_t validation;
  int status = cli_validation_run(options, &options->problem, title, report_dir ? staged : NULL, &validation, message,
                                  sizeof message);
  if (report_dir && status != 0) cli_report_discard(staged);
  if (report_dir && status == 0) status = cli_report_publish(staged, report_dir, message, sizeof message);
  if (status == 0 && cli_session()->embedded) keep_for_caller(&validation, &options->problem);
  if (status != 0) {
    cli_fail("dmft validate: %s", message);
  } else if (follower) {
    /* rank 0 says it */
  } else if (options->quiet) {
    printf("dmft validate: %s (largest deviation %.2f combined s.e., tolerance %.2f)\n", validation.pass ? "PASS" : "FAIL",
           validation.largest_z, validation.tolerance);
  } else {
    printf("dmft validate: %s\n\n", title);
    cli_report_table(stdout, &validation.report);
    for (int i = 0; i < validation.count; i++) {
      char rounding[512];
      cli_spectrum_rounding(&options->problem, validation.simulations[i]->d, rounding, sizeof rounding);
      if (rounding[0]) printf("%sn = %ld: %s\n", i == 0 ? "\n" : "", validation.simulations[i]->n, rounding);
    }
    if (report_dir) printf("\nReport: %s/index.html and %s/report.md\n", report_dir, report_dir);
  }
  const int pass = validation.pass;
  cli_validation_free(&validation);
  return status != 0 ? status : pass ? 0 : 1;
}

int cli_validate(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_VALIDATE);
  char message[1024] = "";
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_VALIDATE, cli_validate_summary);
    return 0;
  }
  /* Under mpirun the solve's paths and the simulations' seeds are spread over the ranks; rank 0
   * prints and writes the report. */
  const int follower = dmft_ranks_rank() > 0;
  if (follower) options.quiet = 1;
  const char *report_dir = follower ? NULL : options.report_dir;
  if (parsed == 0 && options.tolerance < 0) {
    snprintf(message, sizeof message, "--tolerance must be a number > 0 (got %g)", options.tolerance);
  } else if (parsed == 0 && options.suite && dmft_ranks_size() > 1) {
    snprintf(message, sizeof message, "--suite runs on one process (its validations are small): run it without mpirun");
  } else if (parsed == 0 && options.suite) {
    const char *directory = options.report_dir ? options.report_dir : "paper-suite";
    char staged[CLI_OUTPUT_PATH];
    if (cli_report_prepare("--report", directory, message, sizeof message) == 0 &&
        cli_report_stage(directory, staged, sizeof staged, message, sizeof message) == 0) {
      const int status = cli_suite_paper(&options, staged, directory, strcmp(options.suite, "paper-quick") == 0);
      if (cli_report_publish(staged, directory, message, sizeof message) == 0) return status;
    }
  } else if (parsed == 0 && dmft_problem_check(&options.problem, message, sizeof message) == DMFT_OK) {
    /* Check every size's simulation before creating anything or spending time on the solve. */
    int ready = 1;
    for (int i = 0; ready && i < options.size_count; i++) {
      const dmft_simulation_options_t simulation = cli_simulation_options(&options, options.sizes[i]);
      ready = dmft_simulation_check(&options.problem, &simulation, message, sizeof message) == DMFT_OK;
    }
    ready = ready && (!report_dir || cli_report_prepare("--report", report_dir, message, sizeof message) == 0);
    char staged[CLI_OUTPUT_PATH];
    ready = ready && (!report_dir || cli_report_stage(report_dir, staged, sizeof staged, message, sizeof message) == 0);
    if (!ready) cli_fail("dmft validate: %s", message);
    if (cli_ranks_agree(ready ? 0 : 2) != 0) {
      if (ready && report_dir) cli_report_discard(staged);
      return 2;
    }
    return run_and_report(&options, report_dir, staged, follower);
  }
  cli_fail("dmft validate: %s", message);
  return 2;
}

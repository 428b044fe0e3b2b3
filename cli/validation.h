/* One validation — a solve against simulations at several sizes — shared by dmft validate and
 * its ready-made suites. */
#ifndef DMFT_CLI_VALIDATION_H
#define DMFT_CLI_VALIDATION_H

#include "options.h"
#include "report.h"

typedef struct {
  dmft_result_t *solved;
  dmft_simulation_t *simulations[CLI_MAX_SIZES];
  dmft_comparison_t comparisons[CLI_MAX_SIZES];
  int count;
  double largest_z, tolerance, slope;
  int pass;
  cli_report_t report;
} cli_validation_t;

/* Solves `problem`, simulates it at options->sizes, compares, and writes a report into
 * report_dir (if not NULL). 0; 2 with a message for bad input; 3 if the solve diverged. */
int cli_validation_run(const cli_options_t *options, const dmft_problem_t *problem, const char *title,
                       const char *report_dir, cli_validation_t *validation, char *message, size_t size);
void cli_validation_free(cli_validation_t *validation);
void cli_validation_title(const cli_options_t *options, const dmft_problem_t *problem, char *title, size_t size);

/* dmft validate --suite paper: the paper's three experiments, reports built under `directory`
 * (a staged directory, to be put in place at `published`, the name printed);
 * `quick` keeps one decisive pairing of each at two sizes (the version ctest runs). */
int cli_suite_paper(const cli_options_t *options, const char *directory, const char *published, int quick);

#endif

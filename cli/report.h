/* Validation reports: DIR/index.html (self-contained, SVG plots rendered by gnuplot from data
 * files written next to it) and DIR/report.md with the same table. */
#ifndef DMFT_CLI_REPORT_H
#define DMFT_CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "dmft/compare.h"
#include "dmft/dmft.h"
#include "dmft/simulate.h"

typedef struct {
  const char *title;
  const dmft_problem_t *problem;
  const dmft_result_t *solved;
  const dmft_simulation_t *const *simulations; /* one per size */
  const dmft_comparison_t *comparisons;
  int count;
  double slope;     /* finite-size fit of the rms deviation */
  double tolerance; /* in combined standard errors */
  double largest_z; /* over all sizes */
  int pass;
} cli_report_t;

/* Before any work: DIR is a directory or absent, and its parent takes files (`option` names it
 * in the message). 0, or 2 with a message. */
int cli_report_prepare(const char *option, const char *directory, char *message, size_t size);
/* The report is built in a staged directory beside DIR (its name into `staged`) and published
 * whole in place of DIR, or discarded: a failed run keeps the earlier report. 0, or 2 with a
 * message. */
int cli_report_stage(const char *directory, char *staged, size_t staged_size, char *message, size_t size);
int cli_report_publish(const char *staged, const char *directory, char *message, size_t size);
void cli_report_discard(const char *staged);
/* A subdirectory of a report being built. 0, or 2 with a message. */
int cli_report_make_directory(const char *directory, char *message, size_t size);
/* Writes the data files, the plots and both documents. 0, or 2 with a message. */
int cli_report_write(const char *directory, const cli_report_t *report, char *message, size_t size);
/* Runs gnuplot on plots.gp in DIR (its complaints go to DIR/gnuplot.log). 0, or 2 with a message. */
int cli_report_run_gnuplot(const char *directory, char *message, size_t size);
/* Copies an SVG file's <svg> element into a page, so that the page stands alone. */
void cli_report_inline_svg(FILE *out, const char *path);
/* Entry (0,0) of each plotted observable in the CSV layout: its label, its column and its
 * standard error's (1-based, for gnuplot). Returns the number of panels: 4, or 5 with a test
 * metric. */
typedef struct {
  char label[96];
  int column, error;
} cli_plotted_t;
int cli_report_plotted_columns(const dmft_result_t *result, cli_plotted_t plotted[5]);
/* The one-paragraph verdict table as Markdown (also printed by dmft validate). */
void cli_report_table(FILE *stream, const cli_report_t *report);

#endif

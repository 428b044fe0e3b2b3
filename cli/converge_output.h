/* The ladder of a convergence study and what is written of it: the tables (CSV, HDF5) and the
 * report (gnuplot SVG in HTML, Markdown). */
#ifndef DMFT_CLI_CONVERGE_OUTPUT_H
#define DMFT_CLI_CONVERGE_OUTPUT_H

#include <stddef.h>

#include "dmft/convergence.h"
#include "dmft/dmft.h"
#include "options.h"
#include "output_transaction.h"

/* The solutions of one study: a ladder of steps and a ladder of path counts. */
typedef struct {
  double dt[CLI_MAX_SIZES];
  int levels;
  double ratio;
  dmft_result_t *solutions[CLI_MAX_SIZES];
  long paths[6];
  dmft_result_t *path_solutions[6];
  int path_levels;
  int observables;
  long rows;
  dmft_extrapolation_t *extrapolated; /* [rows][observables] */
} cli_ladder_t;

/* A replica group's own value of observable `index` (the order of dmft_compare_observable). */
double cli_converge_group_observable(const dmft_result_t *r, int group, long row, int index);

/* Whether the observed order of observable `index` at the final time is resolved: NULL when it
 * is (three levels or more, the order within 0.5 of the scheme's 1, and the last difference between
 * levels beyond twice its Monte Carlo error), else why not, in a phrase that says what to do. */
const char *cli_converge_unresolved_order(const cli_ladder_t *ladder, int index);

/* PREFIX.csv (every level), PREFIX-extrapolated.csv, PREFIX-paths.csv and PREFIX.h5: the
 * suffixes to prepare the output transaction with, and the writer that commits it. */
#define CLI_CONVERGE_TABLES 4
extern const char *const cli_converge_table_suffixes[CLI_CONVERGE_TABLES];
int cli_converge_write_tables(cli_output_t *output, const dmft_problem_t *problem, const cli_ladder_t *ladder);
/* DIR/index.html and DIR/report.md with the plots, built in `directory` (staged) to be put in
 * place at `published`; they name the tables at `tables_prefix`. 0, or 2 with a message. */
int cli_converge_write_report(const char *directory, const char *published, const char *tables_prefix,
                              const dmft_problem_t *problem, const cli_ladder_t *ladder, char *message, size_t size);

#endif

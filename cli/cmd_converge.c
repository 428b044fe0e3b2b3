/* dmft converge: the solution over a ladder of time steps and of path counts, a Richardson
 * extrapolation to dt -> 0 with an error bar that combines discretization and Monte Carlo, the
 * observed order, and the error against the number of paths. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command_session.h"
#include "commands.h"
#include "converge_output.h"
#include "dmft/compare.h"
#include "options.h"
#include "progress.h"
#include "dmft/ranks.h"
#include "report.h"
#include "writers.h"

const char *const cli_converge_summary =
    "Solve on a ladder of time steps (--dt 0.1,0.05,0.025,0.0125, or --dt0 X --levels L halving it), report for\n"
    "every observable and output time the successive differences, the observed order and a Richardson\n"
    "extrapolation to dt -> 0 with an error combining discretization and Monte Carlo; then solve at the\n"
    "coarsest step with --paths, /4, /16, ... (--path-levels) and fit the standard error against the paths.\n"
    "Writes PREFIX.csv (every level), PREFIX-extrapolated.csv, PREFIX-paths.csv and PREFIX.h5; --report DIR\n"
    "adds plots.";

/* The ladder from the options; 0, or 2 with a message naming the option. */
static int build_ladder(cli_options_t *options, cli_ladder_t *ladder, char *message, size_t size) {
  if (options->dt_count == 1) {
    snprintf(message, size, "--dt needs at least two steps for a ladder (got one); or use --dt0 and --levels");
    return 2;
  }
  if (options->dt_count > 1 && (options->dt0 != 0 || options->levels_given)) {
    snprintf(message, size, "--dt as a list and --dt0/--levels both set the ladder: give one of them");
    return 2;
  }
  if (options->dt_count > 1) {
    ladder->levels = options->dt_count;
    memcpy(ladder->dt, options->dt_ladder, sizeof(double) * (size_t)options->dt_count);
  } else {
    ladder->levels = options->levels;
    const double dt0 = options->dt0 > 0 ? options->dt0 : options->problem.dt;
    for (int l = 0; l < ladder->levels; l++) ladder->dt[l] = dt0 / pow(2.0, l);
  }
  if (options->dt0 < 0) {
    snprintf(message, size, "--dt0 must be a number > 0 (got %g)", options->dt0);
    return 2;
  }
  ladder->ratio = ladder->dt[0] / ladder->dt[1];
  for (int l = 1; l < ladder->levels; l++) {
    const double ratio = ladder->dt[l - 1] / ladder->dt[l];
    if (!(ratio > 1.5) || fabs(ratio - round(ratio)) > 1e-9 * ratio || fabs(ratio - ladder->ratio) > 1e-9 * ratio) {
      snprintf(message, size, "--dt must fall by the same integer ratio >= 2 at every level (got %g then %g)",
               ladder->dt[l - 1], ladder->dt[l]);
      return 2;
    }
  }
  ladder->ratio = round(ladder->ratio);
  const double coarse_steps = options->problem.tmax / ladder->dt[0];
  if (fabs(coarse_steps - round(coarse_steps)) > 1e-9 * coarse_steps) {
    snprintf(message, size, "--tmax must be a whole number of the coarsest step %g, so that every level has the same "
             "output times (got %g)", ladder->dt[0], options->problem.tmax);
    return 2;
  }
  return 0;
}

static dmft_problem_t level_problem(const cli_options_t *options, const cli_ladder_t *ladder, int level) {
  dmft_problem_t p = options->problem;
  p.dt = ladder->dt[0];
  const long coarse_every = dmft_problem_output_every(&p);
  p.dt = ladder->dt[level];
  p.output_every = coarse_every * lround(pow(ladder->ratio, level));
  p.keep_group_values = 1; /* for the Monte Carlo error of the extrapolation, group by group */
  /* By default every level keeps the seed: the same paths meet the same random numbers at every
   * dt, and their Monte Carlo errors largely cancel in the extrapolation. */
  if (options->independent_levels) p.seed += 7919u * (uint64_t)level;
  return p;
}

static int solve_level(const dmft_problem_t *problem, const char *label, int quiet, dmft_result_t **result,
                       char *message, size_t size) {
  cli_progress_t progress;
  cli_progress_start(&progress, label, quiet);
  const int status = dmft_solve(problem, cli_progress_update, &progress, result);
  cli_progress_finish(&progress);
  if (status == DMFT_EDIVERGED) {
    snprintf(message, size, "%s: the dynamics diverged at t = %g", label, (*result)->diverged_at);
    return 3;
  }
  if (status != DMFT_OK) {
    snprintf(message, size, "%s: %s", label, dmft_strerror(status));
    return 2;
  }
  return 0;
}

static void free_ladder(cli_ladder_t *ladder) {
  for (int l = 0; l < ladder->levels; l++) dmft_result_free(&ladder->solutions[l]);
  for (int l = 0; l < ladder->path_levels; l++) dmft_result_free(&ladder->path_solutions[l]);
  free(ladder->extrapolated);
}

/* One line per observable at the final time, and where the tables are. */
static void print_summary(const char *prefix, const char *report, const cli_ladder_t *ladder) {
  const dmft_result_t *first = ladder->solutions[0];
  const long last = ladder->rows - 1;
  printf("dmft converge: %d levels, dt = %g down to %g (ratio %g); at t = %g:\n", ladder->levels, ladder->dt[0],
         ladder->dt[ladder->levels - 1], ladder->ratio, first->t[last]);
  for (int o = 0; o < ladder->observables; o++) {
    char name[40];
    dmft_compare_observable_name(first, o, name, sizeof name);
    const dmft_extrapolation_t *e = &ladder->extrapolated[last * ladder->observables + o];
    double finest, finest_se;
    dmft_compare_observable(ladder->solutions[ladder->levels - 1], last, o, &finest, &finest_se);
    double path_se[6];
    double slope = NAN;
    if (ladder->path_levels >= 2) {
      for (int j = 0; j < ladder->path_levels; j++) {
        double value;
        dmft_compare_observable(ladder->path_solutions[j], ladder->path_solutions[j]->rows_done - 1, o, &value, &path_se[j]);
      }
      slope = dmft_finite_size_slope(ladder->paths, path_se, ladder->path_levels);
    }
    /* Orders and slopes that need more levels than were run are left out, not printed as nan. */
    char extrapolated_order[48] = "", path_slope[40] = "";
    if (isfinite(e->extrapolated_order))
      snprintf(extrapolated_order, sizeof extrapolated_order, " (of the extrapolation: %.2f)", e->extrapolated_order);
    if (isfinite(slope)) snprintf(path_slope, sizeof path_slope, "; error ~ paths^%.2f", slope);
    const char *unresolved = cli_converge_unresolved_order(ladder, o);
    printf("  %-12s dt -> 0: %.6g +- %.2g (discretization %.2g, Monte Carlo %.2g, %.2g without common random numbers); "
           "observed order %.2f%s (%s); finest %.6g +- %.2g%s\n",
           name, e->value, e->error, e->discretization_error, e->monte_carlo_error, e->independent_monte_carlo_error,
           e->observed_order, extrapolated_order, unresolved ? unresolved : "resolved", finest, finest_se, path_slope);
  }
  printf("Tables: %s.csv, %s-extrapolated.csv, %s-paths.csv, %s.h5\n", prefix, prefix, prefix, prefix);
  if (report) printf("Report: %s/index.html and %s/report.md\n", report, report);
}

/* The report, built beside DIR and put in place whole (report.h). */
static int write_report(const char *directory, const char *tables_prefix, const dmft_problem_t *problem,
                        const cli_ladder_t *ladder, char *message, size_t size) {
  char staged[CLI_OUTPUT_PATH];
  if (cli_report_stage(directory, staged, sizeof staged, message, size) != 0) return 2;
  if (cli_converge_write_report(staged, directory, tables_prefix, problem, ladder, message, size) != 0) {
    cli_report_discard(staged);
    return 2;
  }
  return cli_report_publish(staged, directory, message, size);
}

int cli_converge(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_CONVERGE);
  char message[1024] = "";
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_CONVERGE, cli_converge_summary);
    return 0;
  }
  cli_ladder_t ladder = {0};
  int status = parsed != 0 ? 2 : build_ladder(&options, &ladder, message, sizeof message);
  for (int l = 0; status == 0 && l < ladder.levels; l++) {
    const dmft_problem_t p = level_problem(&options, &ladder, l);
    if (dmft_problem_check(&p, message, sizeof message) != DMFT_OK) status = 2;
  }
  /* Under mpirun every level's paths are spread over the ranks; rank 0 writes and prints. */
  const int writes = dmft_ranks_rank() == 0;
  if (!writes) options.quiet = 1;
  cli_output_t output = {0};
  if (status == 0 && writes &&
      !cli_output_prepare(&output, "--out", options.out_prefix, cli_converge_table_suffixes, CLI_CONVERGE_TABLES, message,
                          sizeof message))
    status = 2;
  if (status == 0 && writes && options.report_dir && cli_report_prepare("--report", options.report_dir, message, sizeof message) != 0)
    status = 2;
  if (status != 0) cli_fail("dmft converge: %s", message);
  if (cli_ranks_agree(status) != 0) return 2;
  for (int l = 0; status == 0 && l < ladder.levels; l++) {
    const dmft_problem_t p = level_problem(&options, &ladder, l);
    char label[64];
    snprintf(label, sizeof label, "dmft converge: dt = %g", ladder.dt[l]);
    status = solve_level(&p, label, options.quiet, &ladder.solutions[l], message, sizeof message);
  }
  /* The path study at the coarsest step: the coarsest level is its largest count. */
  ladder.path_levels = options.path_levels;
  for (int j = 0; status == 0 && j < ladder.path_levels; j++) {
    dmft_problem_t p = level_problem(&options, &ladder, 0);
    p.paths = options.problem.paths / (long)pow(4.0, ladder.path_levels - 1 - j);
    if (p.paths < 32) p.paths = 32;
    ladder.paths[j] = p.paths;
    char label[64];
    snprintf(label, sizeof label, "dmft converge: %ld paths", p.paths);
    status = solve_level(&p, label, options.quiet, &ladder.path_solutions[j], message, sizeof message);
  }
  if (status != 0) {
    cli_fail("dmft converge: %s", message);
    free_ladder(&ladder);
    return status;
  }
  const dmft_result_t *first = ladder.solutions[0];
  ladder.rows = first->rows_done;
  ladder.observables = dmft_compare_observables(first->k, first->kstar);
  ladder.extrapolated = calloc((size_t)(ladder.rows * ladder.observables), sizeof(dmft_extrapolation_t));
  const int groups = first->groups;
  double *group_values = malloc(sizeof(double) * (size_t)(ladder.levels * groups));
  for (long i = 0; ladder.extrapolated && group_values && i < ladder.rows; i++)
    for (int o = 0; o < ladder.observables; o++) {
      dmft_extrapolation_t *e = &ladder.extrapolated[i * ladder.observables + o];
      if (groups >= 2) {
        for (int l = 0; l < ladder.levels; l++)
          for (int g = 0; g < groups; g++) group_values[l * groups + g] = cli_converge_group_observable(ladder.solutions[l], g, i, o);
        dmft_richardson_groups(group_values, groups, ladder.levels, ladder.ratio, e);
      } else {
        double values[CLI_MAX_SIZES], se[CLI_MAX_SIZES];
        for (int l = 0; l < ladder.levels; l++) dmft_compare_observable(ladder.solutions[l], i, o, &values[l], &se[l]);
        dmft_richardson(values, se, ladder.levels, ladder.ratio, e);
      }
    }
  free(group_values);
  if (!ladder.extrapolated || (writes && cli_converge_write_tables(&output, &options.problem, &ladder) != DMFT_OK)) {
    cli_fail("dmft converge: could not write %s.csv and the tables next to it; any earlier tables are kept",
            options.out_prefix);
    free_ladder(&ladder);
    return 2;
  }
  if (writes && options.report_dir && write_report(options.report_dir, options.out_prefix, &options.problem, &ladder, message, sizeof message) != 0) {
    cli_fail("dmft converge: %s (the tables are written)", message);
    free_ladder(&ladder);
    return 2;
  }

  if (!options.quiet) print_summary(options.out_prefix, options.report_dir, &ladder);
  free_ladder(&ladder);
  return 0;
}

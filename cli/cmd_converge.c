/* dmft converge: the solution over a ladder of time steps and of path counts, a Richardson
 * extrapolation to dt -> 0 with an error bar that combines discretization and Monte Carlo, the
 * observed order, and the error against the number of paths. */
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dmft/compare.h"
#include "dmft/convergence.h"
#include "options.h"
#include "progress.h"
#include "report.h"
#include "writers.h"

static const char *const converge_summary =
    "Solve on a ladder of time steps (--dt 0.1,0.05,0.025,0.0125, or --dt0 X --levels L halving it), report for\n"
    "every observable and output time the successive differences, the observed order and a Richardson\n"
    "extrapolation to dt -> 0 with an error combining discretization and Monte Carlo; then solve at the\n"
    "coarsest step with --paths, /4, /16, ... (--path-levels) and fit the standard error against the paths.\n"
    "Writes PREFIX.csv (every level), PREFIX-extrapolated.csv, PREFIX-paths.csv and PREFIX.h5; --report DIR\n"
    "adds plots.";

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
} ladder_t;

/* Observable `index` of row `row`: M entries, Q entries, train loss, test loss. */
static void observable(const dmft_result_t *r, long row, int index, double *value, double *se) {
  const int km = r->k * r->kstar, kq = r->k * r->k;
  if (index < km) *value = r->M[row * km + index], *se = r->M_se[row * km + index];
  else if (index < km + kq) *value = r->Q[row * kq + index - km], *se = r->Q_se[row * kq + index - km];
  else if (index == km + kq) *value = r->train_loss[row], *se = r->train_loss_se[row];
  else *value = r->test_loss[row], *se = r->test_loss_se[row];
}

/* The same observable of one replica group (results solved with keep_group_values). */
static double group_observable(const dmft_result_t *r, int group, long row, int index) {
  const int km = r->k * r->kstar, kq = r->k * r->k;
  const long rows = r->rows;
  if (index < km) return r->group_M[((size_t)group * rows + row) * km + index];
  if (index < km + kq) return r->group_Q[((size_t)group * rows + row) * kq + index - km];
  if (index == km + kq) return r->group_train_loss[(size_t)group * rows + row];
  return r->group_test_loss[(size_t)group * rows + row];
}

static void observable_name(int k, int kstar, int index, char *name, size_t size) {
  const int km = k * kstar, kq = k * k, scalar = k == 1 && kstar == 1;
  if (index < km) scalar ? snprintf(name, size, "M") : snprintf(name, size, "M_%d_%d", index / kstar, index % kstar);
  else if (index < km + kq)
    scalar ? snprintf(name, size, "Q") : snprintf(name, size, "Q_%d_%d", (index - km) / k, (index - km) % k);
  else snprintf(name, size, index == km + kq ? "train_loss" : "test_loss");
}

/* The ladder from the options; 0, or 2 with a message naming the option. */
static int build_ladder(cli_options_t *options, ladder_t *ladder, char *message, size_t size) {
  if (options->dt_count == 1) {
    snprintf(message, size, "--dt needs at least two steps for a ladder (got one); or use --dt0 and --levels");
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

static dmft_problem_t level_problem(const cli_options_t *options, const ladder_t *ladder, int level) {
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

static void free_ladder(ladder_t *ladder) {
  for (int l = 0; l < ladder->levels; l++) dmft_result_free(&ladder->solutions[l]);
  for (int l = 0; l < ladder->path_levels; l++) dmft_result_free(&ladder->path_solutions[l]);
  free(ladder->extrapolated);
}

static int write_tables(const char *prefix, const dmft_problem_t *problem, const ladder_t *ladder) {
  char path[4200];
  const dmft_result_t *first = ladder->solutions[0];
  char name[40];
  snprintf(path, sizeof path, "%s.csv", prefix);
  FILE *levels = fopen(path, "w");
  snprintf(path, sizeof path, "%s-extrapolated.csv", prefix);
  FILE *extrapolated = fopen(path, "w");
  snprintf(path, sizeof path, "%s-paths.csv", prefix);
  FILE *paths = fopen(path, "w");
  if (!levels || !extrapolated || !paths) {
    if (levels) fclose(levels);
    if (extrapolated) fclose(extrapolated);
    if (paths) fclose(paths);
    return DMFT_EIO;
  }
  fprintf(levels, "observable,t,epoch,dt,value,se\n");
  fprintf(extrapolated, "observable,t,epoch,extrapolated,error,discretization_error,monte_carlo_error,observed_order,"
                        "finest,finest_se,monte_carlo_error_if_independent\n");
  fprintf(paths, "observable,t,paths,value,se\n");
  for (int o = 0; o < ladder->observables; o++) {
    observable_name(first->k, first->kstar, o, name, sizeof name);
    for (long i = 0; i < ladder->rows; i++) {
      const double t = first->t[i];
      for (int l = 0; l < ladder->levels; l++) {
        double value, se;
        observable(ladder->solutions[l], i, o, &value, &se);
        fprintf(levels, "%s,%.10g,%.10g,%.10g,%.10g,%.10g\n", name, t, problem->kappa * t, ladder->dt[l], value, se);
      }
      const dmft_extrapolation_t *e = &ladder->extrapolated[i * ladder->observables + o];
      double finest, finest_se;
      observable(ladder->solutions[ladder->levels - 1], i, o, &finest, &finest_se);
      fprintf(extrapolated, "%s,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.6g,%.10g,%.10g,%.10g\n", name, t, problem->kappa * t,
              e->value, e->error, e->discretization_error, e->monte_carlo_error, e->observed_order, finest, finest_se,
              e->independent_monte_carlo_error);
    }
    for (int l = 0; l < ladder->path_levels; l++) {
      double value, se;
      const long last = ladder->path_solutions[l]->rows_done - 1;
      observable(ladder->path_solutions[l], last, o, &value, &se);
      fprintf(paths, "%s,%.10g,%ld,%.10g,%.10g\n", name, ladder->path_solutions[l]->t[last], ladder->paths[l], value, se);
    }
  }
  const int failed = fclose(levels) | fclose(extrapolated) | fclose(paths);
  /* HDF5: the same numbers as arrays. */
  snprintf(path, sizeof path, "%s.h5", prefix);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  const hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) return DMFT_EIO;
  const size_t count = (size_t)(ladder->levels * ladder->rows * ladder->observables);
  double *values = malloc(sizeof(double) * count), *errors = malloc(sizeof(double) * count);
  double *extra = malloc(sizeof(double) * (size_t)(ladder->rows * ladder->observables) * 3);
  herr_t status = values && errors && extra ? 0 : -1;
  if (status == 0) {
    for (int l = 0; l < ladder->levels; l++)
      for (long i = 0; i < ladder->rows; i++)
        for (int o = 0; o < ladder->observables; o++)
          observable(ladder->solutions[l], i, o, &values[((size_t)l * ladder->rows + i) * ladder->observables + o],
                     &errors[((size_t)l * ladder->rows + i) * ladder->observables + o]);
    const hsize_t dims3[3] = {(hsize_t)ladder->levels, (hsize_t)ladder->rows, (hsize_t)ladder->observables};
    const hsize_t dims2[2] = {(hsize_t)ladder->rows, (hsize_t)ladder->observables};
    const hsize_t levels_dim[1] = {(hsize_t)ladder->levels}, rows_dim[1] = {(hsize_t)ladder->rows};
    status |= H5LTmake_dataset_double(file, "dt", 1, levels_dim, ladder->dt);
    status |= H5LTmake_dataset_double(file, "t", 1, rows_dim, first->t);
    status |= H5LTmake_dataset_double(file, "values", 3, dims3, values);
    status |= H5LTmake_dataset_double(file, "values_se", 3, dims3, errors);
    const char *names[3] = {"extrapolated", "extrapolated_error", "observed_order"};
    for (int n = 0; n < 3; n++) {
      for (size_t j = 0; j < (size_t)(ladder->rows * ladder->observables); j++)
        extra[j] = n == 0 ? ladder->extrapolated[j].value : n == 1 ? ladder->extrapolated[j].error : ladder->extrapolated[j].observed_order;
      status |= H5LTmake_dataset_double(file, names[n], 2, dims2, extra);
    }
    char all_names[512] = "";
    for (int o = 0; o < ladder->observables; o++) {
      observable_name(first->k, first->kstar, o, name, sizeof name);
      strncat(all_names, o ? "," : "", sizeof all_names - strlen(all_names) - 1);
      strncat(all_names, name, sizeof all_names - strlen(all_names) - 1);
    }
    status |= H5LTset_attribute_string(file, "/", "observables", all_names);
    status |= H5LTset_attribute_string(file, "/", "version", dmft_version());
  }
  free(values);
  free(errors);
  free(extra);
  status |= H5Fclose(file);
  return failed || status < 0 ? DMFT_EIO : DMFT_OK;
}

/* DIR/index.html and DIR/report.md: successive differences against dt (the order), the
 * extrapolated curves of M and the train loss with every level, and the error against paths. */
static void write_report(const char *directory, const dmft_problem_t *problem, const ladder_t *ladder) {
  const long last = ladder->rows - 1;
  const dmft_result_t *first = ladder->solutions[0];
  const int train = first->k * first->kstar + first->k * first->k;
  const int plotted[2] = {0, train};
  char path[4200], name[40];
  snprintf(path, sizeof path, "%s/differences.dat", directory);
  FILE *differences = fopen(path, "w");
  snprintf(path, sizeof path, "%s/curves.dat", directory);
  FILE *curves = fopen(path, "w");
  snprintf(path, sizeof path, "%s/paths.dat", directory);
  FILE *paths = fopen(path, "w");
  snprintf(path, sizeof path, "%s/plots.gp", directory);
  FILE *gp = fopen(path, "w");
  if (!differences || !curves || !paths || !gp) {
    if (differences) fclose(differences);
    if (curves) fclose(curves);
    if (paths) fclose(paths);
    if (gp) fclose(gp);
    return;
  }
  for (int l = 0; l + 1 < ladder->levels; l++) {
    fprintf(differences, "%.10g", ladder->dt[l]);
    for (int o = 0; o < ladder->observables; o++) {
      double a, b, se;
      observable(ladder->solutions[l], last, o, &a, &se);
      observable(ladder->solutions[l + 1], last, o, &b, &se);
      fprintf(differences, " %.6e", fabs(a - b));
    }
    fprintf(differences, "\n");
  }
  for (long i = 0; i < ladder->rows; i++) {
    fprintf(curves, "%.10g", problem->kappa * first->t[i]);
    for (int q = 0; q < 2; q++) {
      const dmft_extrapolation_t *e = &ladder->extrapolated[i * ladder->observables + plotted[q]];
      fprintf(curves, " %.8g %.8g", e->value, e->error);
      for (int l = 0; l < ladder->levels; l++) {
        double value, se;
        observable(ladder->solutions[l], i, plotted[q], &value, &se);
        fprintf(curves, " %.8g", value);
      }
    }
    fprintf(curves, "\n");
  }
  double rms[6] = {0};
  for (int j = 0; j < ladder->path_levels; j++) {
    for (int o = 0; o < ladder->observables; o++) {
      double value, se;
      observable(ladder->path_solutions[j], ladder->path_solutions[j]->rows_done - 1, o, &value, &se);
      rms[j] += se * se / ladder->observables;
    }
    rms[j] = sqrt(rms[j]);
  }
  for (int j = 0; j < ladder->path_levels; j++)
    fprintf(paths, "%ld %.6e %.6e\n", ladder->paths[j], rms[j],
            rms[ladder->path_levels - 1] * sqrt((double)ladder->paths[ladder->path_levels - 1] / (double)ladder->paths[j]));
  fclose(differences);
  fclose(curves);
  fclose(paths);

  const int path_panel = ladder->path_levels >= 1;
  fprintf(gp, "set terminal svg size %d,400 dynamic font 'sans,11' noenhanced\nset output '%s/convergence.svg'\n",
          path_panel ? 1100 : 560, directory);
  fprintf(gp, "set multiplot layout 1,%d\nset logscale xy\nset grid\nset key bottom right font ',9'\n", path_panel ? 2 : 1);
  fprintf(gp, "set xlabel 'time step dt'\nset ylabel '|f(dt) - f(dt/%g)| at t = %g'\nset title 'successive differences "
              "(slope = order)'\nplot ",
          ladder->ratio, first->t[last]);
  for (int o = 0; o < ladder->observables; o++) {
    observable_name(first->k, first->kstar, o, name, sizeof name);
    fprintf(gp, "%s'%s/differences.dat' using 1:%d with linespoints pt 7 title '%s'", o ? ", " : "", directory, o + 2, name);
  }
  fprintf(gp, "\n");
  if (path_panel)
    fprintf(gp, "set xlabel 'paths'\nset ylabel 'rms standard error at t = %g'\nset title 'Monte Carlo error against "
                "paths'\nplot '%s/paths.dat' using 1:2 with linespoints pt 7 title 'measured', '%s/paths.dat' using 1:3 "
                "with lines dt 3 lc rgb '#777777' title 'slope -1/2'\n",
            first->t[last], directory, directory);
  fprintf(gp, "unset multiplot\n");
  fprintf(gp, "set terminal svg size 1100,400 dynamic font 'sans,11' noenhanced\nset output '%s/curves.svg'\nunset logscale\n"
              "set multiplot layout 1,2\nset xlabel 'epochs'\nset key bottom right font ',9'\nset title ''\n",
          directory);
  for (int q = 0; q < 2; q++) {
    const int base = 2 + q * (2 + ladder->levels);
    observable_name(first->k, first->kstar, plotted[q], name, sizeof name);
    fprintf(gp, "set ylabel '%s'\nset key %s\nplot '%s/curves.dat' using 1:($%d-2*$%d):($%d+2*$%d) with filledcurves "
                "fc rgb '#999999' fs transparent solid 0.4 noborder title 'dt -> 0, +- 2 errors'",
            name, q == 0 ? "bottom right" : "top right", directory, base, base + 1, base, base + 1);
    for (int l = 0; l < ladder->levels; l++)
      fprintf(gp, ", '%s/curves.dat' using 1:%d with lines lw 1.5 title 'dt = %g'", directory, base + 2 + l, ladder->dt[l]);
    fprintf(gp, "\n");
  }
  fprintf(gp, "unset multiplot\n");
  fclose(gp);
  char command[8500];
  snprintf(command, sizeof command, "gnuplot '%s/plots.gp' 2> '%s/gnuplot.log'", directory, directory);
  if (system(command) != 0) return;

  snprintf(path, sizeof path, "%s/report.md", directory);
  FILE *md = fopen(path, "w");
  snprintf(path, sizeof path, "%s/index.html", directory);
  FILE *html = fopen(path, "w");
  if (!md || !html) {
    if (md) fclose(md);
    if (html) fclose(html);
    return;
  }
  fprintf(md, "# Convergence in dt and in paths\n\nAt t = %g; dt from %g to %g (ratio %g).\n\n| observable | dt -> 0 | "
              "error | discretization | Monte Carlo | observed order |\n|---|---|---|---|---|---|\n",
          first->t[last], ladder->dt[0], ladder->dt[ladder->levels - 1], ladder->ratio);
  fprintf(html, "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>dmft converge</title><style>body{font-family:"
                "sans-serif;max-width:1150px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #bbb;"
                "padding:4px 8px;text-align:right}svg{max-width:100%%;height:auto}</style></head><body>\n<h1>Convergence "
                "in dt and in paths</h1>\n<p>Loss %s, activation %s, teacher %s, noise %s; at t = %g (epochs %g); dt from "
                "%g to %g (ratio %g); %ld paths. Richardson extrapolation of the first-order scheme; the error combines "
                "discretization and Monte Carlo.</p>\n<table><tr><th>observable</th><th>dt &rarr; 0</th><th>error</th>"
                "<th>discretization</th><th>Monte Carlo</th><th>observed order</th></tr>\n",
          problem->model.loss->name, problem->model.activation->name, problem->model.teacher->name, problem->noise->name,
          first->t[last], problem->kappa * first->t[last], ladder->dt[0], ladder->dt[ladder->levels - 1], ladder->ratio,
          problem->paths);
  for (int o = 0; o < ladder->observables; o++) {
    const dmft_extrapolation_t *e = &ladder->extrapolated[last * ladder->observables + o];
    observable_name(first->k, first->kstar, o, name, sizeof name);
    fprintf(md, "| %s | %.6g | %.2g | %.2g | %.2g | %.2f |\n", name, e->value, e->error, e->discretization_error,
            e->monte_carlo_error, e->observed_order);
    fprintf(html, "<tr><td>%s</td><td>%.6g</td><td>%.2g</td><td>%.2g</td><td>%.2g</td><td>%.2f</td></tr>\n", name, e->value,
            e->error, e->discretization_error, e->monte_carlo_error, e->observed_order);
  }
  fprintf(html, "</table>\n<h2>Order and Monte Carlo error</h2>\n");
  fclose(md);
  snprintf(path, sizeof path, "%s/convergence.svg", directory);
  cli_report_inline_svg(html, path);
  fprintf(html, "<h2>Curves at every step and extrapolated</h2>\n");
  snprintf(path, sizeof path, "%s/curves.svg", directory);
  cli_report_inline_svg(html, path);
  fprintf(html, "</body></html>\n");
  fclose(html);
}

int cli_converge(int argc, char **argv) {
  cli_options_t options;
  cli_options_defaults(&options, CLI_CONVERGE);
  char message[1024] = "";
  const int parsed = cli_options_parse(&options, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_CONVERGE, converge_summary);
    return 0;
  }
  ladder_t ladder = {0};
  int status = parsed != 0 ? 2 : build_ladder(&options, &ladder, message, sizeof message);
  for (int l = 0; status == 0 && l < ladder.levels; l++) {
    const dmft_problem_t p = level_problem(&options, &ladder, l);
    if (dmft_problem_check(&p, message, sizeof message) != DMFT_OK) status = 2;
  }
  if (status == 0 && !cli_output_directory_is_writable("--out", options.out_prefix, message, sizeof message)) status = 2;
  if (status == 0 && options.report_dir && cli_report_prepare(options.report_dir, message, sizeof message) != 0) status = 2;
  if (status != 0) {
    fprintf(stderr, "dmft converge: %s\n", message);
    return 2;
  }
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
    fprintf(stderr, "dmft converge: %s\n", message);
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
          for (int g = 0; g < groups; g++) group_values[l * groups + g] = group_observable(ladder.solutions[l], g, i, o);
        dmft_richardson_groups(group_values, groups, ladder.levels, ladder.ratio, e);
      } else {
        double values[CLI_MAX_SIZES], se[CLI_MAX_SIZES];
        for (int l = 0; l < ladder.levels; l++) observable(ladder.solutions[l], i, o, &values[l], &se[l]);
        dmft_richardson(values, se, ladder.levels, ladder.ratio, e);
      }
    }
  free(group_values);
  if (!ladder.extrapolated || write_tables(options.out_prefix, &options.problem, &ladder) != DMFT_OK) {
    fprintf(stderr, "dmft converge: could not write %s.csv and the tables next to it\n", options.out_prefix);
    free_ladder(&ladder);
    return 2;
  }
  if (options.report_dir) write_report(options.report_dir, &options.problem, &ladder);

  /* One line per observable at the final time. */
  const long last = ladder.rows - 1;
  printf("dmft converge: %d levels, dt = %g down to %g (ratio %g); at t = %g:\n", ladder.levels, ladder.dt[0],
         ladder.dt[ladder.levels - 1], ladder.ratio, first->t[last]);
  for (int o = 0; o < ladder.observables; o++) {
    char name[40];
    observable_name(first->k, first->kstar, o, name, sizeof name);
    const dmft_extrapolation_t *e = &ladder.extrapolated[last * ladder.observables + o];
    double finest, finest_se;
    observable(ladder.solutions[ladder.levels - 1], last, o, &finest, &finest_se);
    double path_se[6];
    double slope = NAN;
    if (ladder.path_levels >= 2) {
      for (int j = 0; j < ladder.path_levels; j++) {
        double value;
        observable(ladder.path_solutions[j], ladder.path_solutions[j]->rows_done - 1, o, &value, &path_se[j]);
      }
      slope = dmft_finite_size_slope(ladder.paths, path_se, ladder.path_levels);
    }
    printf("  %-12s dt -> 0: %.6g +- %.2g (discretization %.2g, Monte Carlo %.2g, %.2g without common random numbers); "
           "observed order %.2f; finest %.6g +- %.2g; error ~ paths^%.2f\n",
           name, e->value, e->error, e->discretization_error, e->monte_carlo_error, e->independent_monte_carlo_error,
           e->observed_order, finest, finest_se, slope);
  }
  printf("Tables: %s.csv, %s-extrapolated.csv, %s-paths.csv, %s.h5\n", options.out_prefix, options.out_prefix,
         options.out_prefix, options.out_prefix);
  free_ladder(&ladder);
  return 0;
}

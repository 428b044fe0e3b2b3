#include "converge_output.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/compare.h"
#include "report.h"
#include "report_provenance.h"
#include "writers.h"

/* The same observable of one replica group (results solved with keep_group_values). */
double cli_converge_group_observable(const dmft_result_t *r, int group, long row, int index) {
  const int km = r->k * r->kstar, kq = r->k * r->k;
  const long rows = r->rows;
  if (index < km) return r->group_M[((size_t)group * rows + row) * km + index];
  if (index < km + kq) return r->group_Q[((size_t)group * rows + row) * kq + index - km];
  if (index == km + kq) return r->group_train_loss[(size_t)group * rows + row];
  return r->group_test_loss[(size_t)group * rows + row];
}

/* Opens `base` followed by `suffix` for writing. */
static FILE *open_beside(const char *base, const char *suffix) {
  char path[4200];
  snprintf(path, sizeof path, "%s%s", base, suffix);
  return fopen(path, "w");
}

/* Closes whichever of the files opened; returns whether all of them had. */
static int all_open(FILE **files, int count) {
  int ok = 1;
  for (int i = 0; i < count; i++) ok = ok && files[i];
  if (!ok)
    for (int i = 0; i < count; i++)
      if (files[i]) fclose(files[i]);
  return ok;
}

const char *const cli_converge_table_suffixes[CLI_CONVERGE_TABLES] = {".csv", "-extrapolated.csv", "-paths.csv", ".h5"};

static int write_tables(const cli_output_t *output, const dmft_problem_t *problem, const cli_ladder_t *ladder) {
  const dmft_result_t *first = ladder->solutions[0];
  char name[40];
  FILE *files[3] = {fopen(output->staged[0], "w"), fopen(output->staged[1], "w"), fopen(output->staged[2], "w")};
  if (!all_open(files, 3)) return DMFT_EIO;
  FILE *levels = files[0], *extrapolated = files[1], *paths = files[2];
  fprintf(levels, "observable,t,epoch,dt,value,se\n");
  fprintf(extrapolated, "observable,t,epoch,extrapolated,error,discretization_error,monte_carlo_error,observed_order,"
                        "finest,finest_se,monte_carlo_error_if_independent,extrapolated_order\n");
  fprintf(paths, "observable,t,paths,value,se\n");
  for (int o = 0; o < ladder->observables; o++) {
    dmft_compare_observable_name(first, o, name, sizeof name);
    for (long i = 0; i < ladder->rows; i++) {
      const double t = first->t[i];
      for (int l = 0; l < ladder->levels; l++) {
        double value, se;
        dmft_compare_observable(ladder->solutions[l], i, o, &value, &se);
        fprintf(levels, "%s,%.10g,%.10g,%.10g,%.10g,%.10g\n", name, t, dmft_problem_epochs_at(problem, t), ladder->dt[l], value, se);
      }
      const dmft_extrapolation_t *e = &ladder->extrapolated[i * ladder->observables + o];
      double finest, finest_se;
      dmft_compare_observable(ladder->solutions[ladder->levels - 1], i, o, &finest, &finest_se);
      fprintf(extrapolated, "%s,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.6g,%.10g,%.10g,%.10g,%.6g\n", name, t,
              dmft_problem_epochs_at(problem, t), e->value, e->error, e->discretization_error, e->monte_carlo_error, e->observed_order,
              finest, finest_se, e->independent_monte_carlo_error, e->extrapolated_order);
    }
    for (int l = 0; l < ladder->path_levels; l++) {
      double value, se;
      const long last = ladder->path_solutions[l]->rows_done - 1;
      dmft_compare_observable(ladder->path_solutions[l], last, o, &value, &se);
      fprintf(paths, "%s,%.10g,%ld,%.10g,%.10g\n", name, ladder->path_solutions[l]->t[last], ladder->paths[l], value, se);
    }
  }
  const int failed = fclose(levels) | fclose(extrapolated) | fclose(paths);
  /* HDF5: the same numbers as arrays. */
  const hid_t file = cli_hdf5_create_in_memory();
  if (file < 0) return DMFT_EIO;
  const size_t count = (size_t)(ladder->levels * ladder->rows * ladder->observables);
  double *values = malloc(sizeof(double) * count), *errors = malloc(sizeof(double) * count);
  double *extra = malloc(sizeof(double) * (size_t)(ladder->rows * ladder->observables) * 3);
  herr_t status = values && errors && extra ? 0 : -1;
  if (status == 0) {
    for (int l = 0; l < ladder->levels; l++)
      for (long i = 0; i < ladder->rows; i++)
        for (int o = 0; o < ladder->observables; o++)
          dmft_compare_observable(ladder->solutions[l], i, o, &values[((size_t)l * ladder->rows + i) * ladder->observables + o],
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
      dmft_compare_observable_name(first, o, name, sizeof name);
      strncat(all_names, o ? "," : "", sizeof all_names - strlen(all_names) - 1);
      strncat(all_names, name, sizeof all_names - strlen(all_names) - 1);
    }
    status |= cli_hdf5_set_string(file, "observables", all_names);
    status |= cli_hdf5_set_string(file, "kind", "convergence study");
    /* The problem of the coarsest level; the steps of every level are the dt dataset. */
    status |= cli_hdf5_write_problem(file, problem, first);
    if (status >= 0 && cli_hdf5_describe(file) < 0) status = -1;
  }
  free(values);
  free(errors);
  free(extra);
  if (failed || status < 0) {
    H5Fclose(file);
    return DMFT_EIO;
  }
  return cli_hdf5_save(file, output->staged[3]);
}

int cli_converge_write_tables(cli_output_t *output, const dmft_problem_t *problem, const cli_ladder_t *ladder) {
  for (int i = 0; i < output->count; i++) cli_output_remember(output->staged[i], 0);
  if (write_tables(output, problem, ladder) != DMFT_OK) {
    cli_output_abandon(output);
    return DMFT_EIO;
  }
  return cli_output_commit(output) ? DMFT_OK : DMFT_EIO;
}

const char *cli_converge_unresolved_order(const cli_ladder_t *ladder, int index) {
  const long last = ladder->rows - 1;
  const dmft_extrapolation_t *e = &ladder->extrapolated[last * ladder->observables + index];
  if (ladder->levels < 3) return "not resolved: an order needs three levels or more (--levels 3)";
  /* The last difference between levels against its own Monte Carlo error, from the replica
   * groups: the levels share their random numbers, so the difference is far less noisy than
   * either level (an exact engine has no noise at all). */
  const dmft_result_t *fine = ladder->solutions[ladder->levels - 1], *coarse = ladder->solutions[ladder->levels - 2];
  double fine_value, coarse_value, se;
  dmft_compare_observable(fine, last, index, &fine_value, &se);
  dmft_compare_observable(coarse, last, index, &coarse_value, &se);
  const double difference = fine_value - coarse_value;
  double squares = 0.0;
  const int groups = fine->groups;
  for (int g = 0; fine->group_M && g < groups; g++) {
    const double group_difference = cli_converge_group_observable(fine, g, last, index) -
                                    cli_converge_group_observable(coarse, g, last, index);
    squares += (group_difference - difference) * (group_difference - difference);
  }
  const double difference_se = fine->group_M && groups > 1 ? sqrt(squares / (groups - 1) / groups) : 0.0;
  if (!(fabs(difference) > 2.0 * difference_se))
    return "not resolved: the last dt difference is within 2 of its Monte Carlo errors (more --paths, or coarser steps)";
  if (!(fabs(e->observed_order - 1) <= 0.5))
    return "not resolved: far from the scheme's order 1, not yet asymptotic (smaller --dt)";
  return NULL;
}

/* DIR/index.html and DIR/report.md: successive differences against dt (the order), the
 * extrapolated curves of M and the train loss with every level, and the error against paths. */
int cli_converge_write_report(const char *directory, const char *published, const char *tables_prefix,
                              const dmft_problem_t *problem, const cli_ladder_t *ladder, char *message, size_t size) {
  const long last = ladder->rows - 1;
  const dmft_result_t *first = ladder->solutions[0];
  const int train = first->k * first->kstar + first->k * first->k;
  const int plotted[2] = {0, train};
  char path[4200], name[40];
  FILE *files[4] = {open_beside(directory, "/differences.dat"), open_beside(directory, "/curves.dat"),
                    open_beside(directory, "/paths.dat"), open_beside(directory, "/plots.gp")};
  if (!all_open(files, 4)) {
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  FILE *differences = files[0], *curves = files[1], *paths = files[2], *gp = files[3];
  for (int l = 0; l + 1 < ladder->levels; l++) {
    fprintf(differences, "%.10g", ladder->dt[l]);
    for (int o = 0; o < ladder->observables; o++) {
      double a, b, se;
      dmft_compare_observable(ladder->solutions[l], last, o, &a, &se);
      dmft_compare_observable(ladder->solutions[l + 1], last, o, &b, &se);
      fprintf(differences, " %.6e", fabs(a - b));
    }
    fprintf(differences, "\n");
  }
  for (long i = 0; i < ladder->rows; i++) {
    fprintf(curves, "%.10g", dmft_problem_epochs_at(problem, first->t[i]));
    for (int q = 0; q < 2; q++) {
      const dmft_extrapolation_t *e = &ladder->extrapolated[i * ladder->observables + plotted[q]];
      fprintf(curves, " %.8g %.8g", e->value, e->error);
      for (int l = 0; l < ladder->levels; l++) {
        double value, se;
        dmft_compare_observable(ladder->solutions[l], i, plotted[q], &value, &se);
        fprintf(curves, " %.8g", value);
      }
    }
    fprintf(curves, "\n");
  }
  double rms[6] = {0};
  for (int j = 0; j < ladder->path_levels; j++) {
    for (int o = 0; o < ladder->observables; o++) {
      double value, se;
      dmft_compare_observable(ladder->path_solutions[j], ladder->path_solutions[j]->rows_done - 1, o, &value, &se);
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

  /* The script names its files relative to the directory gnuplot runs in. */
  const char *const here = ".";
  /* An exact engine has no Monte Carlo error to plot against the paths. */
  const int path_panel = ladder->path_levels >= 1 && rms[ladder->path_levels - 1] > 0;
  fprintf(gp, "set terminal svg size %d,400 dynamic font 'sans,11' noenhanced\nset output '%s/convergence.svg'\n",
          path_panel ? 1100 : 560, here);
  fprintf(gp, "set multiplot layout 1,%d\nset logscale xy\nset grid\nset key bottom right font ',9'\n", path_panel ? 2 : 1);
  fprintf(gp, "set xlabel 'time step dt'\nset ylabel '|f(dt) - f(dt/%g)| at t = %g'\nset title 'successive differences "
              "(slope = order)'\nplot ",
          ladder->ratio, first->t[last]);
  for (int o = 0; o < ladder->observables; o++) {
    dmft_compare_observable_name(first, o, name, sizeof name);
    fprintf(gp, "%s'%s/differences.dat' using 1:%d with linespoints pt 7 title '%s'", o ? ", " : "", here, o + 2, name);
  }
  fprintf(gp, "\n");
  if (path_panel)
    fprintf(gp, "set xlabel 'paths'\nset ylabel 'rms standard error at t = %g'\nset title 'Monte Carlo error against "
                "paths'\nplot '%s/paths.dat' using 1:2 with linespoints pt 7 title 'measured', '%s/paths.dat' using 1:3 "
                "with lines dt 3 lc rgb '#777777' title 'slope -1/2 (plain Monte Carlo; --quasi-random falls faster)'\n",
            first->t[last], here, here);
  fprintf(gp, "unset multiplot\n");
  fprintf(gp, "set terminal svg size 1100,400 dynamic font 'sans,11' noenhanced\nset output '%s/curves.svg'\nunset logscale\n"
              "set multiplot layout 1,2\nset xlabel 'epochs'\nset key bottom right font ',9'\nset title ''\n",
          here);
  for (int q = 0; q < 2; q++) {
    const int base = 2 + q * (2 + ladder->levels);
    dmft_compare_observable_name(first, plotted[q], name, sizeof name);
    fprintf(gp, "set ylabel '%s'\nset key %s\nplot '%s/curves.dat' using 1:($%d-2*$%d):($%d+2*$%d) with filledcurves "
                "fc rgb '#999999' fs transparent solid 0.4 noborder title 'dt -> 0, +- 2 errors'",
            name, q == 0 ? "bottom right" : "top right", here, base, base + 1, base, base + 1);
    for (int l = 0; l < ladder->levels; l++)
      fprintf(gp, ", '%s/curves.dat' using 1:%d with lines lw 1.5 title 'dt = %g'", here, base + 2 + l, ladder->dt[l]);
    fprintf(gp, "\n");
  }
  fprintf(gp, "unset multiplot\n");
  fclose(gp);
  if (cli_report_run_gnuplot(directory, message, size) != 0) return 2;

  snprintf(path, sizeof path, "%s/report.md", directory);
  FILE *md = fopen(path, "w");
  snprintf(path, sizeof path, "%s/index.html", directory);
  FILE *html = fopen(path, "w");
  if (!md || !html) {
    if (md) fclose(md);
    if (html) fclose(html);
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  fprintf(md, "# Convergence in dt and in paths\n\nAt t = %g; dt from %g to %g (ratio %g).\n\n| observable | dt -> 0 | "
              "error | discretization | Monte Carlo | observed order | order |\n|---|---|---|---|---|---|---|\n",
          first->t[last], ladder->dt[0], ladder->dt[ladder->levels - 1], ladder->ratio);
  fprintf(html, "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>dmft converge</title><style>body{font-family:"
                "sans-serif;max-width:1150px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #bbb;"
                "padding:4px 8px;text-align:right}svg{max-width:100%%;height:auto}.pass{color:#1a7f37}.fail{color:#c62828}"
                "</style></head><body>\n<h1>Convergence "
                "in dt and in paths</h1>\n<p>Loss %s, activation %s, teacher %s, noise %s; at t = %g (epochs %g); dt from "
                "%g to %g (ratio %g); %ld paths. Richardson extrapolation of the first-order scheme; the error combines "
                "discretization and Monte Carlo.</p>\n<table><tr><th>observable</th><th>dt &rarr; 0</th><th>error</th>"
                "<th>discretization</th><th>Monte Carlo</th><th>observed order</th><th>order</th></tr>\n",
          problem->model.loss->name, problem->model.activation->name, problem->model.teacher->name, problem->noise->name,
          first->t[last], dmft_problem_epochs_at(problem, first->t[last]), ladder->dt[0], ladder->dt[ladder->levels - 1], ladder->ratio,
          problem->paths);
  for (int o = 0; o < ladder->observables; o++) {
    const dmft_extrapolation_t *e = &ladder->extrapolated[last * ladder->observables + o];
    dmft_compare_observable_name(first, o, name, sizeof name);
    const char *unresolved = cli_converge_unresolved_order(ladder, o);
    fprintf(md, "| %s | %.6g | %.2g | %.2g | %.2g | %.2f | %s |\n", name, e->value, e->error, e->discretization_error,
            e->monte_carlo_error, e->observed_order, unresolved ? unresolved : "resolved");
    fprintf(html, "<tr><td>%s</td><td>%.6g</td><td>%.2g</td><td>%.2g</td><td>%.2g</td><td>%.2f</td><td class='%s'>%s</td>"
                  "</tr>\n",
            name, e->value, e->error, e->discretization_error, e->monte_carlo_error, e->observed_order,
            unresolved ? "fail" : "pass", unresolved ? unresolved : "resolved");
  }
  fprintf(html, "</table>\n<p>An order is resolved when three levels or more give it within 0.5 of the scheme's "
                "first order and the dt correction exceeds the Monte Carlo error; otherwise the extrapolated value still "
                "stands, with its error, but the order is not evidence that the steps are asymptotic.</p>\n");
  fprintf(html, "<p>Tables: %s.csv (every level), %s-extrapolated.csv, %s-paths.csv, %s.h5; this report: %s/index.html "
                "and %s/report.md; plots.gp redraws the figures from inside this folder.</p>\n",
          tables_prefix, tables_prefix, tables_prefix, tables_prefix, published, published);
  fprintf(md, "\nTables: %s.csv (every level), %s-extrapolated.csv, %s-paths.csv, %s.h5. This report: %s/index.html and "
              "%s/report.md.\n",
          tables_prefix, tables_prefix, tables_prefix, tables_prefix, published, published);
  cli_report_provenance(md, problem, 0, 0);
  fprintf(html, "<h2>Order and Monte Carlo error</h2>\n");
  fclose(md);
  snprintf(path, sizeof path, "%s/convergence.svg", directory);
  cli_report_inline_svg(html, path);
  fprintf(html, "<h2>Curves at every step and extrapolated</h2>\n");
  snprintf(path, sizeof path, "%s/curves.svg", directory);
  cli_report_inline_svg(html, path);
  cli_report_provenance(html, problem, 0, 1);
  fprintf(html, "</body></html>\n");
  fclose(html);
  return 0;
}


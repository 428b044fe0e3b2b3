#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_kernels.h"
#include "report_provenance.h"
#include "writers.h"

static const char *const palette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"};

void cli_report_table(FILE *stream, const cli_report_t *report) {
  fprintf(stream, "| n | d | seeds | largest deviation (combined s.e.) | where | rms deviation | rms s.e. of the simulation |\n");
  fprintf(stream, "|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < report->count; i++) {
    const dmft_simulation_t *s = report->simulations[i];
    const dmft_comparison_t *c = &report->comparisons[i];
    fprintf(stream, "| %ld | %ld | %d | %.2f | %s at t = %.3g | %.2e | %.2e |\n", s->n, s->d, s->result->groups,
            c->largest_z, c->largest_observable, c->largest_time, c->rms_deviation, c->rms_error);
  }
  fprintf(stream, "\nFinite-size fit: rms deviation ~ n^%.2f. Tolerance: %.2f combined standard errors. Verdict: **%s**\n",
          report->slope, report->tolerance, report->pass ? "PASS" : "FAIL");
}

int cli_report_plotted_columns(const dmft_result_t *r, cli_plotted_t plotted[5]) {
  const int k = r->k, kstar = r->kstar, km = k * kstar, kq = k * k;
  const int error_offset = km + kq + 2;
  const int columns[5] = {3, 3 + km, 3 + km + kq, 4 + km + kq, 3 + 2 * error_offset};
  snprintf(plotted[0].label, sizeof plotted[0].label, "%s", km > 1 ? "M_0_0 (overlap)" : "M (overlap)");
  snprintf(plotted[1].label, sizeof plotted[1].label, "%s", kq > 1 ? "Q_0_0 (norm)" : "Q (norm)");
  snprintf(plotted[2].label, sizeof plotted[2].label, "train loss");
  snprintf(plotted[3].label, sizeof plotted[3].label, "test loss");
  snprintf(plotted[4].label, sizeof plotted[4].label, "test %s", r->test_metric_name ? r->test_metric_name : "metric");
  for (int p = 0; p < 5; p++) {
    plotted[p].column = columns[p];
    /* The test metric's error is the column after it; the others' follow all the values. */
    plotted[p].error = p == 4 ? columns[p] + 1 : columns[p] + error_offset;
  }
  /* A loss's test metric (the last two CSV columns) gets a fifth panel. */
  return r->test_metric ? 5 : 4;
}

static void write_plot_script(FILE *gp, const char *directory, const cli_report_t *report) {
  const int k = report->problem->model.k, kstar = report->problem->model.kstar, km = k * kstar, kq = k * k;
  cli_plotted_t plotted[5];
  const int panels = cli_report_plotted_columns(report->solved, plotted);
  fprintf(gp, "set datafile separator ','\nset terminal svg size %d,760 dynamic font 'sans,11' noenhanced\n",
          panels == 5 ? 1600 : 1100);
  fprintf(gp, "set output '%s/observables.svg'\nset multiplot layout 2,%d title '%s'\n", directory, panels == 5 ? 3 : 2,
          report->title);
  fprintf(gp, "set grid\nset key top left font ',9'\nset xlabel 'epochs'\n");
  for (int p = 0; p < panels; p++) {
    const int column = plotted[p].column, error = plotted[p].error;
    fprintf(gp, "set ylabel '%s'\nset key %s\nplot ", plotted[p].label, p < 2 ? "bottom right" : "top right");
    /* The simulations first, the solver's band and curve on top of them. */
    for (int i = 0; i < report->count; i++)
      fprintf(gp, "'%s/simulation-n%ld.csv' using 2:%d:(2*$%d) skip 1 with yerrorbars pt 7 ps 0.4 lc rgb '%s' "
                  "title 'simulation, n = %ld', \\\n  ",
              directory, report->simulations[i]->n, column, error, palette[i % 6], report->simulations[i]->n);
    fprintf(gp, "'%s/solver.csv' using 2:($%d-2*$%d):($%d+2*$%d) skip 1 with filledcurves fc rgb '#999999' "
                "fs transparent solid 0.35 noborder title 'DMFT +- 2 s.e.', \\\n",
            directory, column, error, column, error);
    fprintf(gp, "  '%s/solver.csv' using 2:%d skip 1 with lines lc rgb '#000000' lw 1.5 title 'DMFT (n, d -> infinity)'\n",
            directory, column);
  }
  fprintf(gp, "unset multiplot\n");
  fprintf(gp, "set terminal svg size 600,420 dynamic font 'sans,11' noenhanced\nset output '%s/deviation.svg'\n", directory);
  fprintf(gp, "set datafile separator whitespace\nset logscale xy\nset grid\nset key top right\nset xlabel 'n (samples)'\n"
              "set ylabel 'rms deviation from DMFT'\nset title 'deviation against n (slope %.2f)'\n",
          report->slope);
  fprintf(gp, "set xrange [%g:%g]\nset xtics (", report->simulations[0]->n / 1.5,
          report->simulations[report->count - 1]->n * 1.5);
  for (int i = 0; i < report->count; i++) fprintf(gp, "%s'%ld' %ld", i ? ", " : "", report->simulations[i]->n, report->simulations[i]->n);
  fprintf(gp, ")\n");
  fprintf(gp, "plot '%s/deviation.dat' using 1:2 with linespoints pt 7 lw 2 title 'rms(simulation - DMFT)', \\\n"
              "  '%s/deviation.dat' using 1:3 with linespoints pt 6 dt 2 title 'rms s.e. of the simulation', \\\n"
              "  '%s/deviation.dat' using 1:4 with lines dt 3 lc rgb '#777777' title 'slope -1/2'\n",
          directory, directory, directory);
  /* The deviation of each observable against time, in the verdict's standard errors. */
  fprintf(gp, "set terminal svg size %d,620 dynamic font 'sans,11' noenhanced\nset output '%s/deviation-time.svg'\n",
          panels == 5 ? 1600 : 1100, directory);
  fprintf(gp, "unset logscale\nunset xtics\nset xtics\nunset xrange\nunset title\nset datafile separator ','\n"
              "set multiplot layout 2,%d title 'deviation (simulation - DMFT) in combined standard errors; dashed: the "
              "tolerance +- %.2f'\nset xlabel 'epochs'\nset key top right font ',9'\n",
          panels == 5 ? 3 : 2, report->tolerance);
  const int deviation_columns[5] = {3, 3 + km, 3 + km + kq, 4 + km + kq, 5 + km + kq};
  for (int p = 0; p < panels; p++) {
    fprintf(gp, "set ylabel '%s'\nset yrange [*:*]\nplot %g with lines dt 2 lc rgb '#c62828' notitle, %g with lines dt 2 "
                "lc rgb '#c62828' notitle, 0 with lines lc rgb '#000000' notitle",
            plotted[p].label, report->tolerance, -report->tolerance);
    for (int i = 0; i < report->count; i++)
      fprintf(gp, ", \\\n  '%s/deviation-n%ld.csv' using 2:%d skip 1 with linespoints pt 7 ps 0.35 lc rgb '%s' "
                  "title 'n = %ld'",
              directory, report->simulations[i]->n, deviation_columns[p], palette[i % 6], report->simulations[i]->n);
    fprintf(gp, "\n");
  }
  fprintf(gp, "unset multiplot\n");
  cli_report_plot_kernels(gp, report->solved, "kernels of the solver");
}

/* DIR/deviation-nN.csv: the signed deviation of every observable at every simulated row. */
static int write_deviations(const char *directory, const cli_report_t *report) {
  const dmft_result_t *solved = report->solved;
  const int count = dmft_compare_observables(solved->k, solved->kstar) + (solved->test_metric != NULL);
  for (int i = 0; i < report->count; i++) {
    const dmft_result_t *simulated = report->simulations[i]->result;
    char path[4200], name[40];
    snprintf(path, sizeof path, "%s/deviation-n%ld.csv", directory, report->simulations[i]->n);
    FILE *out = fopen(path, "w");
    if (!out) return -1;
    fprintf(out, "t,epoch");
    for (int o = 0; o < count; o++) {
      dmft_compare_observable_name(solved, o, name, sizeof name);
      fprintf(out, ",%s", name);
    }
    fprintf(out, "\n");
    for (long row = 0; row < simulated->rows_done; row++) {
      if (!isfinite(dmft_compare_deviation(solved, simulated, row, 0))) break;
      fprintf(out, "%.10g,%.10g", simulated->t[row], dmft_problem_epochs_at(report->problem, simulated->t[row]));
      for (int o = 0; o < count; o++) fprintf(out, ",%.6g", dmft_compare_deviation(solved, simulated, row, o));
      fprintf(out, "\n");
    }
    if (fclose(out) != 0) return -1;
  }
  return 0;
}

/* Copies a file's text into the page (the SVGs, so that the page stands alone). */
void cli_report_inline_svg(FILE *out, const char *path) {
  FILE *in = fopen(path, "r");
  if (!in) {
    fprintf(out, "<p>(missing: %s)</p>\n", path);
    return;
  }
  char buffer[8192];
  size_t n;
  /* Skip the XML prolog lines an SVG file starts with; keep the <svg> element. */
  int started = 0;
  while (fgets(buffer, sizeof buffer, in)) {
    if (!started && !strstr(buffer, "<svg")) continue;
    started = 1;
    n = strlen(buffer);
    fwrite(buffer, 1, n, out);
  }
  fclose(in);
}

static void write_html(const char *directory, const cli_report_t *report) {
  char path[4200];
  snprintf(path, sizeof path, "%s/index.html", directory);
  FILE *html = fopen(path, "w");
  if (!html) return;
  const dmft_problem_t *p = report->problem;
  fprintf(html, "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>%s</title>\n"
                "<style>body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222}"
                "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
                ".pass{color:#1a7f37}.fail{color:#c62828}svg{max-width:100%%;height:auto}.small svg{max-width:640px}"
                "</style></head><body>\n",
          report->title);
  fprintf(html, "<h1>%s</h1>\n<p class='%s'><b>%s</b>: the largest deviation is %.2f combined standard errors; "
                "the tolerance is %.2f.</p>\n",
          report->title, report->pass ? "pass" : "fail", report->pass ? "PASS" : "FAIL",
          report->largest_z, report->tolerance);
  fprintf(html, "<p>Model: loss %s, activation %s, teacher %s, label noise %g, k = %d, k* = %d; gamma %g, eta %g, "
                "kappa %g, ridge %g, theta0 variance %g, teacher variance %g; dt %g, tmax %g; %ld DMFT paths. Time is in "
                "epochs (kappa t). Error bars and bands are two standard errors.</p>\n",
          p->model.loss->name, p->model.activation->name, p->model.teacher->name, p->model.label_noise, p->model.k,
          p->model.kstar, p->gamma, p->eta, p->kappa, p->ridge, p->theta0_var, p->teacher_var, p->dt, p->tmax, p->paths);
  fprintf(html, "<table><tr><th>n</th><th>d</th><th>seeds</th><th>largest deviation (s.e.)</th><th>where</th>"
                "<th>rms deviation</th><th>rms s.e. of the simulation</th></tr>\n");
  for (int i = 0; i < report->count; i++) {
    const dmft_simulation_t *s = report->simulations[i];
    const dmft_comparison_t *c = &report->comparisons[i];
    fprintf(html, "<tr><td>%ld</td><td>%ld</td><td>%d</td><td>%.2f</td><td>%s at t = %.3g</td><td>%.2e</td><td>%.2e</td></tr>\n",
            s->n, s->d, s->result->groups, c->largest_z, c->largest_observable, c->largest_time,
            c->rms_deviation, c->rms_error);
  }
  fprintf(html, "</table>\n<p>Finite-size fit: the rms deviation scales as n<sup>%.2f</sup> (about -1/2 or steeper when "
                "the simulation converges to the DMFT; near 0 when they disagree).</p>\n",
          report->slope);
  fprintf(html, "<h2>Observables</h2>\n");
  snprintf(path, sizeof path, "%s/observables.svg", directory);
  cli_report_inline_svg(html, path);
  fprintf(html, "<h2>Deviation against n</h2>\n<div class='small'>\n");
  snprintf(path, sizeof path, "%s/deviation.svg", directory);
  cli_report_inline_svg(html, path);
  fprintf(html, "</div>\n<h2>Deviation against time</h2>\n<p>For each observable and size, (simulation - DMFT) in "
                "combined standard errors at every simulated time; the verdict asks all of them to stay within the "
                "dashed lines.</p>\n");
  snprintf(path, sizeof path, "%s/deviation-time.svg", directory);
  cli_report_inline_svg(html, path);
  cli_report_kernels_section(html, directory);
  cli_report_provenance(html, p, 1, 1);
  fprintf(html, "<p>Data: solver.csv, simulation-n*.csv (same columns as dmft solve), deviation.dat, deviation-n*.csv, "
                "kernels.dat; plots.gp redraws every figure (run gnuplot plots.gp in this folder).</p></body></html>\n");
  fclose(html);
}

int cli_report_write(const char *directory, const cli_report_t *report, char *message, size_t size) {
  char path[4200];
  snprintf(path, sizeof path, "%s/solver.csv", directory);
  int ok = cli_write_csv(path, report->problem, report->solved) == DMFT_OK;
  for (int i = 0; ok && i < report->count; i++) {
    snprintf(path, sizeof path, "%s/simulation-n%ld.csv", directory, report->simulations[i]->n);
    ok = cli_write_csv(path, report->problem, report->simulations[i]->result) == DMFT_OK;
  }
  snprintf(path, sizeof path, "%s/deviation.dat", directory);
  FILE *deviation = ok ? fopen(path, "w") : NULL;
  if (deviation) {
    fprintf(deviation, "# n rms_deviation rms_standard_error n^-1/2_through_the_first_point\n");
    const double first_n = (double)report->simulations[0]->n, first = report->comparisons[0].rms_deviation;
    for (int i = 0; i < report->count; i++)
      fprintf(deviation, "%ld %.6e %.6e %.6e\n", report->simulations[i]->n, report->comparisons[i].rms_deviation,
              report->comparisons[i].rms_error, first * sqrt(first_n / (double)report->simulations[i]->n));
    fclose(deviation);
  }
  if (deviation && (write_deviations(directory, report) != 0 ||
                    cli_report_write_kernels(directory, report->problem, report->solved) != 0)) {
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  snprintf(path, sizeof path, "%s/plots.gp", directory);
  FILE *gp = deviation ? fopen(path, "w") : NULL;
  if (!gp) {
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  write_plot_script(gp, ".", report); /* gnuplot runs in the directory */
  fclose(gp);
  if (cli_report_run_gnuplot(directory, message, size) != 0) return 2;
  write_html(directory, report);
  snprintf(path, sizeof path, "%s/report.md", directory);
  FILE *md = fopen(path, "w");
  if (!md) {
    snprintf(message, size, "--report: cannot write %s", path);
    return 2;
  }
  fprintf(md, "# %s\n\nTime in epochs (kappa t); deviations in combined standard errors of DMFT and simulation.\n\n",
          report->title);
  cli_report_table(md, report);
  fprintf(md, "\nPlots: index.html (observables.svg, deviation.svg, deviation-time.svg, kernels.svg; plots.gp redraws "
              "them from inside this folder).\n");
  cli_report_provenance(md, report->problem, 1, 0);
  fclose(md);
  return 0;
}

/* The report of one solve (cli/report_solve.h). */
#include "report_solve.h"

#include <stdio.h>

#include "dmft/health.h"
#include "report.h"
#include "report_kernels.h"
#include "report_provenance.h"
#include "writers.h"

static const char *const colour = "#d95f02";

/* summary.svg: each observable with its band of two standard errors; kernels.svg. */
static void write_plot_script(FILE *gp, const dmft_problem_t *problem, const dmft_result_t *r) {
  cli_plotted_t plotted[5];
  const int panels = cli_report_plotted_columns(r, plotted);
  fprintf(gp, "set datafile separator ','\nset terminal svg size %d,700 dynamic font 'sans,11' noenhanced\n"
              "set output './summary.svg'\nset multiplot layout 2,%d title '%s, %s student, %s teacher; noise %s; gamma %g, "
              "eta %g, kappa %g, ridge %g (bands: 2 standard errors)'\nset grid\nset xlabel 'epochs'\nset key off\n",
          panels == 5 ? 1500 : 1100, panels == 5 ? 3 : 2, problem->model.loss->name, problem->model.activation->name,
          problem->model.teacher->name, problem->noise->name, problem->gamma, problem->eta, problem->kappa, problem->ridge);
  for (int p = 0; p < panels; p++)
    fprintf(gp, "set ylabel '%s'\nplot './solve.csv' using 2:($%d-2*$%d):($%d+2*$%d) skip 1 with filledcurves fc rgb '%s' "
                "fs transparent solid 0.3 noborder, './solve.csv' using 2:%d skip 1 with lines lw 2 lc rgb '%s'\n",
            plotted[p].label, plotted[p].column, plotted[p].error, plotted[p].column, plotted[p].error, colour,
            plotted[p].column, colour);
  fprintf(gp, "unset multiplot\n");
  cli_report_plot_kernels(gp, r, "two-time kernels");
}

static void write_health(FILE *out, const dmft_problem_t *problem, const dmft_result_t *r, int html) {
  dmft_health_t health;
  dmft_result_health(problem, r, &health);
  fprintf(out, html ? "<h2>Health</h2>\n<p>" : "\n## Health\n\n");
  fprintf(out, "Relative standard errors at t = %g: M %.2g, Q %.2g, train loss %.2g, test loss %.2g. Smallest eigenvalue "
               "of C (a covariance: it must not be negative beyond its noise) %.2g of the largest. %s",
          r->t[r->rows_done - 1], health.relative_se_M, health.relative_se_Q, health.relative_se_train_loss,
          health.relative_se_test_loss, health.smallest_eigenvalue_C, health.warning_count ? "Warnings:" : "No warnings.");
  fprintf(out, html ? "</p>\n" : "\n");
  if (health.warning_count) fprintf(out, html ? "<ul>\n" : "\n");
  for (int i = 0; i < health.warning_count; i++) fprintf(out, html ? "<li>%s</li>\n" : "- %s\n", health.warnings[i]);
  if (health.warning_count && html) fprintf(out, "</ul>\n");
}

/* The final row of each one-time observable (entry 0,0), with its standard error. */
static void write_final_values(FILE *out, const dmft_problem_t *problem, const dmft_result_t *r, int html) {
  const long last = r->rows_done - 1;
  const size_t km = (size_t)(r->k * r->kstar), kq = (size_t)(r->k * r->k);
  const struct {
    const char *name;
    double value, se;
  } rows[] = {{"M", r->M[last * km], r->M_se[last * km]},
              {"Q", r->Q[last * kq], r->Q_se[last * kq]},
              {"train loss", r->train_loss[last], r->train_loss_se[last]},
              {"test loss", r->test_loss[last], r->test_loss_se[last]}};
  fprintf(out, html ? "<h2>At the end</h2>\n<p>At t = %g (%g epochs), entry 0,0:</p>\n<table><tr><th>observable</th>"
                      "<th>value</th><th>standard error</th></tr>\n"
                    : "\n## At the end\n\nAt t = %g (%g epochs), entry 0,0:\n\n| observable | value | standard error |\n"
                      "|---|---|---|\n",
          r->t[last], dmft_problem_epochs_at(problem, r->t[last]));
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    fprintf(out, html ? "<tr><td>%s</td><td>%.6g</td><td>%.2g</td></tr>\n" : "| %s | %.6g | %.2g |\n", rows[i].name,
            rows[i].value, rows[i].se);
  if (r->test_metric)
    fprintf(out, html ? "<tr><td>test %s</td><td>%.6g</td><td>%.2g</td></tr>\n" : "| test %s | %.6g | %.2g |\n",
            r->test_metric_name, r->test_metric[last], r->test_metric_se[last]);
  if (html) fprintf(out, "</table>\n");
}

int cli_solve_report_write(const char *directory, const char *published, const char *csv, const char *h5,
                           const dmft_problem_t *problem, const dmft_result_t *r, char *message, size_t size) {
  char path[4200];
  snprintf(path, sizeof path, "%s/solve.csv", directory);
  int ok = cli_write_csv(path, problem, r) == DMFT_OK && cli_report_write_kernels(directory, problem, r) == 0;
  snprintf(path, sizeof path, "%s/plots.gp", directory);
  FILE *gp = ok ? fopen(path, "w") : NULL;
  if (!gp) {
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  write_plot_script(gp, problem, r);
  if (fclose(gp) != 0 || cli_report_run_gnuplot(directory, message, size) != 0) {
    if (!message[0]) snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  snprintf(path, sizeof path, "%s/index.html", directory);
  FILE *html = fopen(path, "w");
  snprintf(path, sizeof path, "%s/report.md", directory);
  FILE *md = html ? fopen(path, "w") : NULL;
  if (!md) {
    if (html) fclose(html);
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  const char *title = "dmft solve";
  fprintf(html, "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>%s</title>\n<style>body{font-family:sans-serif;"
                "max-width:1550px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #bbb;"
                "padding:4px 8px;text-align:right}svg{max-width:100%%;height:auto}</style></head><body>\n<h1>%s: %s, %s "
                "student, %s teacher, %s</h1>\n",
          title, title, problem->model.loss->name, problem->model.activation->name, problem->model.teacher->name,
          problem->noise->name);
  fprintf(md, "# %s: %s, %s student, %s teacher, %s\n", title, problem->model.loss->name, problem->model.activation->name,
          problem->model.teacher->name, problem->noise->name);
  if (csv) {
    fprintf(html, "<p>The solve wrote %s and %s; this report is %s/index.html (and report.md). Bands are two standard "
                  "errors, over %d replica groups.</p>\n",
            csv, h5, published, r->groups);
    fprintf(md, "\nThe solve wrote %s and %s; this report is %s/index.html (and report.md).\n", csv, h5, published);
  }
  write_final_values(html, problem, r, 1);
  write_final_values(md, problem, r, 0);
  write_health(html, problem, r, 1);
  write_health(md, problem, r, 0);
  fprintf(html, "<h2>Learning curves</h2>\n");
  snprintf(path, sizeof path, "%s/summary.svg", directory);
  cli_report_inline_svg(html, path);
  cli_report_kernels_section(html, directory);
  cli_report_provenance(html, problem, 1, 1);
  cli_report_provenance(md, problem, 1, 0);
  fprintf(html, "<p>Data: solve.csv (the solve's CSV), kernels.dat; plots.gp redraws the figures from inside this "
                "folder.</p></body></html>\n");
  fprintf(md, "\nFigures: summary.svg, kernels.svg (plots.gp redraws them from inside this folder).\n");
  const int closed = fclose(html) | fclose(md);
  if (closed != 0) {
    snprintf(message, size, "--report: cannot write in '%s'", directory);
    return 2;
  }
  return 0;
}

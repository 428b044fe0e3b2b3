/* Heat maps of the kernels (cli/report_kernels.h). */
#include "report_kernels.h"

#include <math.h>

#include "report.h"

#define MAX_CELLS 120

int cli_report_write_kernels(const char *directory, const dmft_problem_t *problem, const dmft_result_t *r) {
  char path[4200];
  snprintf(path, sizeof path, "%s/kernels.dat", directory);
  FILE *out = fopen(path, "w");
  if (!out) return -1;
  const long rows = r->rows_done, planned = r->rows, every = (rows + MAX_CELLS - 1) / MAX_CELLS;
  const size_t kk = (size_t)(r->k * r->k);
  fprintf(out, "# epoch_t epoch_s C R Cl Rl (entry 0,0 of each; every %ld-th output row)\n", every);
  for (long i = 0; i < rows; i += every) {
    for (long j = 0; j < rows; j += every) {
      const size_t at = ((size_t)i * (size_t)planned + (size_t)j) * kk;
      fprintf(out, "%.6g %.6g %.6g %.6g %.6g %.6g\n", dmft_problem_epochs_at(problem, r->t[i]), dmft_problem_epochs_at(problem, r->t[j]), r->C[at], r->R[at],
              r->Cl ? r->Cl[at] : NAN, r->Rl ? r->Rl[at] : NAN);
    }
    fprintf(out, "\n");
  }
  return fclose(out) == 0 ? 0 : -1;
}

void cli_report_plot_kernels(FILE *gp, const dmft_result_t *r, const char *title) {
  const int sample_side = r->Cl != NULL;
  fprintf(gp, "set terminal svg size %d,460 dynamic font 'sans,11' noenhanced\nset output './kernels.svg'\n",
          sample_side ? 1500 : 800);
  fprintf(gp, "set datafile separator whitespace\nunset logscale\nunset key\nset grid\nset size ratio -1\n"
              "set xlabel 'epochs s'\nset ylabel 'epochs t'\nset palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n");
  fprintf(gp, "set multiplot layout 1,%d title '%s (entry 0,0; R and Rl are causal: zero where s > t)'\n",
          sample_side ? 4 : 2, title);
  /* The sample side's kernels are O(dt) on the diagonal and O(dt^2) off it for the noisy
   * modules: their colours are scaled to the off-diagonal values, the diagonal saturating. */
  const struct {
    int column, off_diagonal;
    const char *name;
  } panels[] = {{3, 0, "C(t, s): correlation of the parameters"},
                {4, 0, "R(t, s): response of theta(t) to a kick at s"},
                {5, 1, "Cl(t, s) per step (scaled off the diagonal)"},
                {6, 1, "Rl(t, s) per step (scaled off the diagonal)"}};
  fprintf(gp, "set autoscale xfix\nset autoscale yfix\n");
  for (int p = 0; p < (sample_side ? 4 : 2); p++) {
    /* A diverging palette centred on zero, symmetric in the kernel's own range. */
    if (panels[p].off_diagonal)
      fprintf(gp, "stats './kernels.dat' using ($1 != $2 ? $%d : NaN) nooutput\n", panels[p].column);
    else
      fprintf(gp, "stats './kernels.dat' using %d nooutput\n", panels[p].column);
    fprintf(gp, "limit = (abs(STATS_min) > abs(STATS_max) ? abs(STATS_min) : abs(STATS_max))\nif (limit == 0) limit = 1\n"
                "set cbrange [-limit:limit]\n");
    fprintf(gp, "set title '%s'\nplot './kernels.dat' using 2:1:%d with image\n", panels[p].name, panels[p].column);
  }
  fprintf(gp, "set autoscale\n");
  fprintf(gp, "unset multiplot\nset size noratio\nset key\n");
}

void cli_report_kernels_section(FILE *html, const char *directory) {
  fprintf(html, "<h2>Two-time kernels</h2>\n<p>C(t, s) and R(t, s) of the parameters, Cl(t, s) and Rl(t, s) of the "
                "samples (per time step; their colours are scaled to the values off the diagonal), entry 0,0, against "
                "t (vertical) and s (horizontal) in epochs.</p>\n");
  char path[4200];
  snprintf(path, sizeof path, "%s/kernels.svg", directory);
  cli_report_inline_svg(html, path);
}

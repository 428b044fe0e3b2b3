#define _POSIX_C_SOURCE 200809L
#include "sweep_index.h"

#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dmft/dmft.h"

void cli_sweep_row_from_result(cli_sweep_row_t *row, const dmft_result_t *r) {
  const long last = r->rows_done - 1;
  const int km = r->k * r->kstar, kq = r->k * r->k;
  row->M = r->M[last * km], row->M_se = r->M_se[last * km];
  row->Q = r->Q[last * kq], row->Q_se = r->Q_se[last * kq];
  row->train_loss = r->train_loss[last], row->train_loss_se = r->train_loss_se[last];
  row->test_loss = r->test_loss[last], row->test_loss_se = r->test_loss_se[last];
  row->diverged_at = r->diverged_at;
}

#define VALUE_COLUMNS "M,M_se,Q,Q_se,train_loss,train_loss_se,test_loss,test_loss_se,status,diverged_at,signature,csv,h5"

int cli_sweep_write_index(const char *path, const cli_sweep_grid_t *grid, const cli_sweep_row_t *rows) {
  FILE *file = fopen(path, "w");
  if (!file) return DMFT_EIO;
  for (int a = 0; a < grid->axes; a++) fprintf(file, "%s,", grid->axis[a].name);
  fprintf(file, VALUE_COLUMNS "\n");
  for (long i = 0; i < grid->configurations; i++) {
    const cli_sweep_row_t *row = &rows[i];
    for (int a = 0; a < grid->axes; a++) fprintf(file, "%s,", cli_sweep_grid_value(grid, i, a));
    if (row->done)
      fprintf(file, "%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,", row->M, row->M_se, row->Q, row->Q_se, row->train_loss,
              row->train_loss_se, row->test_loss, row->test_loss_se);
    else
      fprintf(file, ",,,,,,,,");
    fprintf(file, "%s,%.10g,%016" PRIx64 ",%s,%s\n", row->status, row->diverged_at, row->signature, row->csv, row->h5);
  }
  const int failed = ferror(file) | fclose(file);
  return failed ? DMFT_EIO : DMFT_OK;
}

/* Splits a line at commas in place; returns the field count. */
static int split(char *line, char **fields, int capacity) {
  int count = 0;
  for (char *cursor = line; count < capacity;) {
    fields[count++] = cursor;
    char *comma = strchr(cursor, ',');
    if (!comma) break;
    *comma = '\0';
    cursor = comma + 1;
  }
  return count;
}

long cli_sweep_read_index(const char *path, cli_sweep_row_t *found, long capacity) {
  FILE *file = fopen(path, "r");
  if (!file) return 0;
  char line[9000];
  char *fields[32];
  long count = 0;
  int leading = -1; /* the swept columns before the value columns */
  if (fgets(line, sizeof line, file)) {
    line[strcspn(line, "\n")] = '\0';
    const int columns = split(line, fields, 32);
    if (columns >= 13 && strcmp(fields[columns - 13], "M") == 0 && strcmp(fields[columns - 1], "h5") == 0)
      leading = columns - 13;
  }
  while (leading >= 0 && count < capacity && fgets(line, sizeof line, file)) {
    line[strcspn(line, "\n")] = '\0';
    if (split(line, fields, 32) != leading + 13) continue;
    char **v = fields + leading;
    if (strcmp(v[8], "done") != 0 && strcmp(v[8], "diverged") != 0) continue;
    cli_sweep_row_t *row = &found[count];
    memset(row, 0, sizeof *row);
    double *numbers[8] = {&row->M, &row->M_se, &row->Q, &row->Q_se, &row->train_loss, &row->train_loss_se, &row->test_loss,
                          &row->test_loss_se};
    for (int i = 0; i < 8; i++) *numbers[i] = strtod(v[i], NULL);
    snprintf(row->status, sizeof row->status, "%s", v[8]);
    row->diverged_at = strtod(v[9], NULL);
    row->signature = strtoull(v[10], NULL, 16);
    snprintf(row->csv, sizeof row->csv, "%s", v[11]);
    snprintf(row->h5, sizeof row->h5, "%s", v[12]);
    row->done = 1;
    count++;
  }
  fclose(file);
  return count;
}

/* Whether every value of an axis reads as a number (then it is the x coordinate; else the
 * values are categories, placed in order). */
static int numeric(const cli_sweep_axis_t *axis) {
  for (int i = 0; i < axis->count; i++) {
    char *end = NULL;
    strtod(axis->values[i], &end);
    if (end == axis->values[i] || *end != '\0') return 0;
  }
  return 1;
}

/* The position of configuration i on axis a: its value, or its category's place in the list. */
static double position(const cli_sweep_grid_t *grid, long i, int a, int is_numeric) {
  const char *value = cli_sweep_grid_value(grid, i, a);
  if (is_numeric) return strtod(value, NULL);
  for (int c = 0; c < grid->axis[a].count; c++)
    if (strcmp(grid->axis[a].values[c], value) == 0) return c;
  return 0;
}

int cli_sweep_write_figure(const cli_sweep_grid_t *grid, const cli_sweep_row_t *rows, const char *svg_path,
                           const char *png_path, char *message, size_t size) {
  char script_path[4300];
  snprintf(script_path, sizeof script_path, "%s.gp", svg_path);
  FILE *gp = fopen(script_path, "w");
  if (!gp) {
    snprintf(message, size, "--out: cannot write the summary figure's script %s", script_path);
    return 2;
  }
  /* The points inline (gnuplot datablocks), one block per axis: position, test loss, s.e. */
  for (int a = 0; a < grid->axes; a++) {
    const int is_numeric = numeric(&grid->axis[a]);
    fprintf(gp, "$axis%d << EOD\n", a);
    for (long i = 0; i < grid->configurations; i++)
      if (rows[i].done) fprintf(gp, "%.10g %.10g %.10g\n", position(grid, i, a, is_numeric), rows[i].test_loss, rows[i].test_loss_se);
    fprintf(gp, "EOD\n");
  }
  for (int format = 0; format < 2; format++) {
    fprintf(gp, "%s\nset output '%s'\n",
            format == 0 ? "set terminal svg size 560,380 dynamic font 'sans,11' noenhanced"
                        : "set terminal pngcairo size 560,380 font 'sans,10' noenhanced",
            format == 0 ? svg_path : png_path);
    fprintf(gp, "set grid\nset key off\nset ylabel 'final test loss (+- 2 s.e.)'\nset multiplot layout 1,%d title 'dmft sweep'\n",
            grid->axes);
    for (int a = 0; a < grid->axes; a++) {
      const cli_sweep_axis_t *axis = &grid->axis[a];
      fprintf(gp, "set xlabel '%s'\nset autoscale x\nset xtics autofreq\n", axis->name);
      if (!numeric(axis)) {
        fprintf(gp, "set xrange [-0.5:%g]\nset xtics (", axis->count - 0.5);
        for (int c = 0; c < axis->count; c++) fprintf(gp, "%s'%s' %d", c ? ", " : "", axis->values[c], c);
        fprintf(gp, ")\n");
      } else {
        fprintf(gp, "set offsets graph 0.05, graph 0.05, 0, 0\n");
      }
      fprintf(gp, "plot $axis%d using 1:2:(2*$3) with yerrorbars pt 7 ps 0.6\nset offsets 0, 0, 0, 0\n", a);
    }
    fprintf(gp, "unset multiplot\n");
  }
  fclose(gp);
  const pid_t child = fork();
  if (child == 0) {
    const int quiet = open("/dev/null", O_WRONLY);
    if (quiet >= 0) dup2(quiet, STDERR_FILENO); /* a failure is reported below, in one line */
    execlp("gnuplot", "gnuplot", script_path, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  const int ok = child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  unlink(script_path);
  if (!ok) snprintf(message, size, "the summary figure could not be drawn (gnuplot failed)");
  return ok ? 0 : 2;
}

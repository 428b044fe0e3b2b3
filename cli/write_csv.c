#include <stdio.h>
#include <string.h>
#include "failure_injection.h"
#include "writers.h"

/* Column names: for k = k* = 1 plain M and Q, else one column per matrix entry, M_a_b. */
static void write_matrix_names(FILE *file, const char *name, int rows, int cols, int scalar, const char *suffix) {
  if (scalar) {
    fprintf(file, ",%s%s", name, suffix);
    return;
  }
  for (int a = 0; a < rows; a++)
    for (int b = 0; b < cols; b++) fprintf(file, ",%s_%d_%d%s", name, a, b, suffix);
}

static void write_values(FILE *file, const double *values, int n) {
  for (int i = 0; i < n; i++) fprintf(file, ",%.10g", values[i]);
}

int cli_write_csv(const char *path, const dmft_problem_t *problem, const dmft_result_t *r) {
  FILE *file = fopen(path, "w");
  if (!file) return DMFT_EIO;
  const int k = r->k, kstar = r->kstar, scalar = k == 1 && kstar == 1;
  fprintf(file, "t,epoch");
  write_matrix_names(file, "M", k, kstar, scalar, "");
  write_matrix_names(file, "Q", k, k, scalar, "");
  fprintf(file, ",train_loss,test_loss");
  write_matrix_names(file, "M", k, kstar, scalar, "_se");
  write_matrix_names(file, "Q", k, k, scalar, "_se");
  fprintf(file, ",train_loss_se,test_loss_se");
  /* A loss with a test metric adds its two columns, and a covariance spectrum its Sigma-weighted
   * overlaps, at the end, after the contracted ones. */
  if (r->test_metric) fprintf(file, ",test_metric,test_metric_se");
  if (r->classes > 0) {
    write_matrix_names(file, "M_sigma", k, kstar, scalar, "");
    write_matrix_names(file, "Q_sigma", k, k, scalar, "");
    write_matrix_names(file, "M_sigma", k, kstar, scalar, "_se");
    write_matrix_names(file, "Q_sigma", k, k, scalar, "_se");
  }
  fputc('\n', file);
  int injected = 0;
  for (long i = 0; i < r->rows_done && !injected; i++) {
    injected = cli_failure_injected("csv-row");
    fprintf(file, "%.10g,%.10g", r->t[i], dmft_problem_epochs_at(problem, r->t[i]));
    write_values(file, r->M + i * k * kstar, k * kstar);
    write_values(file, r->Q + i * k * k, k * k);
    fprintf(file, ",%.10g,%.10g", r->train_loss[i], r->test_loss[i]);
    write_values(file, r->M_se + i * k * kstar, k * kstar);
    write_values(file, r->Q_se + i * k * k, k * k);
    fprintf(file, ",%.10g,%.10g", r->train_loss_se[i], r->test_loss_se[i]);
    if (r->test_metric) fprintf(file, ",%.10g,%.10g", r->test_metric[i], r->test_metric_se[i]);
    if (r->classes > 0) {
      write_values(file, r->M_sigma + i * k * kstar, k * kstar);
      write_values(file, r->Q_sigma + i * k * k, k * k);
      write_values(file, r->M_sigma_se + i * k * kstar, k * kstar);
      write_values(file, r->Q_sigma_se + i * k * k, k * k);
    }
    fputc('\n', file);
  }
  const int failed = injected | ferror(file) | fclose(file);
  if (failed) {
    remove(path);
    return DMFT_EIO;
  }
  return DMFT_OK;
}

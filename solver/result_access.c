/* A result's arrays and numbers by name, for callers that cannot read a C struct (the Python
 * package through ctypes): the layout stays the struct's business. */
#include <math.h>
#include <string.h>

#include "dmft/solver.h"

const double *dmft_result_array(const dmft_result_t *r, const char *name, long shape[4], int *rank) {
  const long rows = r->rows, k = r->k, kstar = r->kstar, classes = r->classes;
  const struct {
    const char *name;
    const double *values;
    int rank;
    long shape[4];
  } arrays[] = {
      {"t", r->t, 1, {rows}},
      {"M", r->M, 3, {rows, k, kstar}},
      {"M_se", r->M_se, 3, {rows, k, kstar}},
      {"Q", r->Q, 3, {rows, k, k}},
      {"Q_se", r->Q_se, 3, {rows, k, k}},
      {"train_loss", r->train_loss, 1, {rows}},
      {"train_loss_se", r->train_loss_se, 1, {rows}},
      {"test_loss", r->test_loss, 1, {rows}},
      {"test_loss_se", r->test_loss_se, 1, {rows}},
      {"test_metric", r->test_metric, 1, {rows}},
      {"test_metric_se", r->test_metric_se, 1, {rows}},
      {"C", r->C, 4, {rows, rows, k, k}},
      {"C_se", r->C_se, 4, {rows, rows, k, k}},
      {"R", r->R, 4, {rows, rows, k, k}},
      {"R_se", r->R_se, 4, {rows, rows, k, k}},
      {"Cl", r->Cl, 4, {rows, rows, k, k}},
      {"Cl_se", r->Cl_se, 4, {rows, rows, k, k}},
      {"Rl", r->Rl, 4, {rows, rows, k, k}},
      {"Rl_se", r->Rl_se, 4, {rows, rows, k, k}},
      {"Gamma", r->Gamma, 3, {rows, k, kstar}},
      {"Gamma_se", r->Gamma_se, 3, {rows, k, kstar}},
      {"M_sigma", r->M_sigma, 3, {rows, k, kstar}},
      {"M_sigma_se", r->M_sigma_se, 3, {rows, k, kstar}},
      {"Q_sigma", r->Q_sigma, 3, {rows, k, k}},
      {"Q_sigma_se", r->Q_sigma_se, 3, {rows, k, k}},
      {"M_class", r->class_M, 4, {rows, classes, k, kstar}},
      {"M_class_se", r->class_M_se, 4, {rows, classes, k, kstar}},
      {"Q_class", r->class_Q, 4, {rows, classes, k, k}},
      {"Q_class_se", r->class_Q_se, 4, {rows, classes, k, k}},
  };
  for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
    if (strcmp(name, arrays[i].name) != 0 || !arrays[i].values) continue;
    *rank = arrays[i].rank;
    memcpy(shape, arrays[i].shape, sizeof arrays[i].shape);
    return arrays[i].values;
  }
  *rank = 0;
  return NULL;
}

double dmft_result_number(const dmft_result_t *r, const char *name) {
  const struct {
    const char *name;
    double value;
  } numbers[] = {{"rows", (double)r->rows},   {"rows_done", (double)r->rows_done}, {"groups", r->groups},
                 {"k", r->k},                 {"kstar", r->kstar},                  {"steps", (double)r->steps},
                 {"diverged_at", r->diverged_at}, {"classes", r->classes}};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    if (strcmp(name, numbers[i].name) == 0) return numbers[i].value;
  return NAN;
}

const char *dmft_result_text(const dmft_result_t *r, const char *name) {
  if (strcmp(name, "test_metric_name") == 0) return r->test_metric ? r->test_metric_name : NULL;
  if (strcmp(name, "divergence") == 0) return r->rows_done < r->rows || r->diverged_at >= 0 ? dmft_result_divergence_reason(r) : NULL;
  return NULL;
}

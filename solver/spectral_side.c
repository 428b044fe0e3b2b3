#include "spectral_side.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"

struct dmft__spectral_side {
  int classes;
  double gain[DMFT_SPECTRUM_MAX_CLASSES];   /* lambda_j: g_j = gamma lambda_j */
  double weight[DMFT_SPECTRUM_MAX_CLASSES]; /* nu_j lambda_j: a class's share of the Sigma-weighted kernels */
  dmft__kernels_t *class_kernels;           /* [classes]: their own C, R and M; the sample side's rows are borrowed */
};

double dmft__spectral_side_bytes(const dmft_problem_t *problem) {
  const int classes = problem->spectrum.classes, k = problem->model.k, kstar = problem->model.kstar;
  if (classes == 0) return 0.0;
  const long steps = dmft_problem_steps(problem);
  const double overlaps = (double)(steps + 1) * classes * (k * kstar + k * k);
  if (dmft_problem_parameter_side_is_sampled(problem)) return 8.0 * overlaps;
  return 8.0 * (overlaps + classes * (2.0 * (double)dmft__kernels_triangle_doubles(k, steps) + (double)(steps + 1) * k * kstar));
}

void dmft__spectral_store_class_row(dmft__kernels_t *kernels, long k, int c, const double *M_c, const double *Q_c) {
  const size_t kks = (size_t)(kernels->k * kernels->kstar), kk = (size_t)(kernels->k * kernels->k);
  const size_t classes = (size_t)kernels->classes;
  memcpy(kernels->class_M + ((size_t)k * classes + (size_t)c) * kks, M_c, sizeof(double) * kks);
  memcpy(kernels->class_Q + ((size_t)k * classes + (size_t)c) * kk, Q_c, sizeof(double) * kk);
}

/* Row `row` of the group's Sigma-weighted C (blocks 0..row), R (blocks 0..row-1) and M, summed
 * over the classes in class order, and the classes' overlaps at that row. */
static void combine_row(const dmft__spectral_side_t *side, dmft__kernels_t *kernels, long row) {
  const int k = kernels->k;
  const size_t kk = (size_t)(k * k), kks = (size_t)(k * kernels->kstar);
  const int c_count = (int)((size_t)(row + 1) * kk), r_count = (int)((size_t)row * kk);
  double *C = dmft__block(kernels->C, row, 0, k), *R = dmft__block(kernels->R, row, 0, k);
  double *M = kernels->M + (size_t)row * kks;
  memset(C, 0, sizeof(double) * (size_t)c_count);
  memset(R, 0, sizeof(double) * (size_t)r_count);
  memset(M, 0, sizeof(double) * kks);
  for (int c = 0; c < side->classes; c++) {
    dmft__kernels_t *own = &side->class_kernels[c];
    const double weight = side->weight[c];
    cblas_daxpy(c_count, weight, dmft__block(own->C, row, 0, k), 1, C, 1);
    if (r_count > 0) cblas_daxpy(r_count, weight, dmft__block(own->R, row, 0, k), 1, R, 1);
    cblas_daxpy((int)kks, weight, own->M + (size_t)row * kks, 1, M, 1);
    dmft__spectral_store_class_row(kernels, row, c, own->M + (size_t)row * kks, dmft__block(own->C, row, row, k));
  }
}

void dmft__spectral_side_free(dmft__spectral_side_t **out) {
  dmft__spectral_side_t *side = *out;
  if (!side) return;
  for (int c = 0; side->class_kernels && c < side->classes; c++) {
    dmft__kernels_t *own = &side->class_kernels[c];
    free(own->C);
    free(own->R);
    free(own->M);
  }
  free(side->class_kernels);
  free(side);
  *out = NULL;
}

int dmft__spectral_side_create(const dmft_problem_t *problem, dmft__kernels_t *kernels, dmft__spectral_side_t **out) {
  dmft__spectral_side_t *side = calloc(1, sizeof *side);
  *out = side;
  if (!side) return DMFT_ENOMEM;
  const dmft_spectrum_t *spectrum = &problem->spectrum;
  side->classes = spectrum->classes;
  side->class_kernels = calloc((size_t)side->classes, sizeof *side->class_kernels);
  if (!side->class_kernels) return DMFT_ENOMEM;
  const int k = kernels->k, kstar = kernels->kstar;
  const size_t triangle = dmft__kernels_triangle_doubles(k, kernels->steps), vector = (size_t)(kernels->steps + 1) * (size_t)(k * kstar);
  for (int c = 0; c < side->classes; c++) {
    side->gain[c] = spectrum->eigenvalue[c];
    side->weight[c] = spectrum->weight[c] * spectrum->eigenvalue[c];
    dmft__kernels_t *own = &side->class_kernels[c];
    *own = (dmft__kernels_t){.k = k, .kstar = kstar, .steps = kernels->steps};
    own->C = calloc(triangle, sizeof(double));
    own->R = calloc(triangle, sizeof(double));
    own->M = calloc(vector, sizeof(double));
    if (!own->C || !own->R || !own->M) return DMFT_ENOMEM;
    /* Isotropic priors: every class starts from the same theta_0 and theta* moments. */
    dmft__parameter_side_init(own, problem->theta0_var, problem->init_overlap, problem->teacher_var);
  }
  combine_row(side, kernels, 0);
  return DMFT_OK;
}

void dmft__spectral_side_advance(dmft__spectral_side_t *side, const dmft__parameter_side_t *plain, dmft__kernels_t *kernels,
                                 long k, double *scratch) {
  for (int c = 0; c < side->classes; c++) {
    dmft__kernels_t view = side->class_kernels[c];
    view.Cl = kernels->Cl;
    view.Rl = kernels->Rl;
    view.Gam = kernels->Gam;
    dmft__parameter_side_t own = *plain;
    own.gamma = plain->gamma * side->gain[c];
    dmft__parameter_side_advance(&own, &view, k, scratch);
  }
  combine_row(side, kernels, k + 1);
}

void dmft__spectral_side_regions(dmft__spectral_side_t *side, void (*visit)(void *user, void *data, size_t bytes), void *user) {
  for (int c = 0; c < side->classes; c++) {
    dmft__kernels_t *own = &side->class_kernels[c];
    const size_t triangle = dmft__kernels_triangle_doubles(own->k, own->steps), vector = (size_t)(own->steps + 1) * (size_t)(own->k * own->kstar);
    visit(user, own->C, sizeof(double) * triangle);
    visit(user, own->R, sizeof(double) * triangle);
    visit(user, own->M, sizeof(double) * vector);
  }
}

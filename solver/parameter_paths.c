#include "parameter_paths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/prior.h"
#include "dmft/rng.h"
#include "dmft/status.h"
#include "psd_cholesky.h"
#include "spectral_side.h"

struct dmft__parameter_paths {
  long paths, steps;
  int k, kstar;
  double *theta;       /* [paths][K+1][k] */
  double *wstar;       /* [paths][kstar]: theta* of the coordinate */
  double *tangents;    /* [paths][packed rows 0..K][k*k]: T(m,j), j < m */
  double *innovations; /* [paths][K k]: the standard normals behind du */
  double *factor;      /* packed Cholesky factor of gamma Cl over (du_0, ..., du_{K-1}) */
  double *covariance;  /* one row of gamma Cl */
  double *coefficient; /* k*k scratch */
  dmft_rng_t *rngs;
  /* The eigenvalue classes (one, of eigenvalue and weight 1, for isotropic data): paths
   * first_path[c] .. first_path[c + 1] - 1 are class c. */
  int classes, reports_classes;
  long first_path[DMFT_SPECTRUM_MAX_CLASSES + 1];
  double eigenvalue[DMFT_SPECTRUM_MAX_CLASSES], noise_scale[DMFT_SPECTRUM_MAX_CLASSES];
  double sigma_weight[DMFT_SPECTRUM_MAX_CLASSES]; /* nu_j lambda_j / n_j: a path of class j in the kernels */
};

static size_t tangent_doubles(long steps, int k) { return dmft__packed_row(steps + 1) * (size_t)(k * k); }

long dmft__parameter_paths_of_group(const dmft_problem_t *problem, int group, int groups) {
  const long total = problem->parameter_paths > 0 ? problem->parameter_paths : problem->paths;
  return dmft_problem_group_share(total, groups, group);
}

double dmft__parameter_paths_bytes(const dmft_problem_t *problem, long paths) {
  const long steps = dmft_problem_steps(problem);
  const int k = problem->model.k, kstar = problem->model.kstar;
  const double per_path = (double)(steps + 1) * k + kstar + (double)tangent_doubles(steps, k) + (double)steps * k + 5.0;
  return 8.0 * ((double)paths * per_path + (double)dmft__packed_row(steps * k));
}

void dmft__parameter_paths_destroy(dmft__parameter_paths_t **paths) {
  dmft__parameter_paths_t *p = *paths;
  if (!p) return;
  free(p->theta);
  free(p->wstar);
  free(p->tangents);
  free(p->innovations);
  free(p->factor);
  free(p->covariance);
  free(p->coefficient);
  free(p->rngs);
  free(p);
  *paths = NULL;
}

void dmft__parameter_paths_regions(dmft__parameter_paths_t *p, void (*visit)(void *user, void *data, size_t bytes),
                                   void *user) {
  const size_t paths = (size_t)p->paths, w = (size_t)p->k, variables = (size_t)(p->steps * p->k);
  visit(user, p->theta, sizeof(double) * paths * (size_t)(p->steps + 1) * w);
  visit(user, p->tangents, sizeof(double) * paths * tangent_doubles(p->steps, p->k));
  visit(user, p->innovations, sizeof(double) * (paths * variables + 1));
  visit(user, p->factor, sizeof(double) * (dmft__packed_row((long)variables) + 1));
  visit(user, p->rngs, sizeof(dmft_rng_t) * paths);
}

int dmft__parameter_paths_adopt_loaded_state(dmft__parameter_paths_t *p) {
  for (long i = 0; i < p->paths; i++)
    if (!dmft_rng_adopt_prefix(&p->rngs[i], NULL, 0)) return 0;
  return 1;
}

/* C(k, l) for l <= k, M(k) from the paths' values at step k, each path counted with its class's
 * Sigma weight; and each class's own M(k), C(k, k). */
static void average_row(dmft__parameter_paths_t *p, dmft__kernels_t *kernels, long k) {
  const int w = p->k, ws = p->kstar;
  memset(dmft__block(kernels->C, k, 0, w), 0, sizeof(double) * (size_t)(k + 1) * (size_t)(w * w));
  double *M = kernels->M + (size_t)k * (size_t)(w * ws);
  memset(M, 0, sizeof(double) * (size_t)(w * ws));
  double class_M[DMFT_MAX_WIDTH * DMFT_MAX_WIDTH], class_Q[DMFT_MAX_WIDTH * DMFT_MAX_WIDTH];
  for (int c = 0; c < p->classes; c++) {
    const double weight = p->sigma_weight[c], own = 1.0 / (double)(p->first_path[c + 1] - p->first_path[c]);
    memset(class_M, 0, sizeof(double) * (size_t)(w * ws));
    memset(class_Q, 0, sizeof(double) * (size_t)(w * w));
    for (long q = p->first_path[c]; q < p->first_path[c + 1]; q++) {
      const double *history = p->theta + (size_t)q * (size_t)(p->steps + 1) * (size_t)w;
      const double *now = history + (size_t)k * (size_t)w, *wstar = p->wstar + (size_t)q * (size_t)ws;
      for (long l = 0; l <= k; l++) dmft__block_gemm(w, 1, w, weight, now, 0, history + (size_t)l * (size_t)w, 1, dmft__block(kernels->C, k, l, w));
      dmft__block_gemm(w, 1, ws, weight, now, 0, wstar, 1, M);
      if (p->reports_classes) {
        dmft__block_gemm(w, 1, ws, own, now, 0, wstar, 1, class_M);
        dmft__block_gemm(w, 1, w, own, now, 0, now, 1, class_Q);
      }
    }
    if (p->reports_classes) dmft__spectral_store_class_row(kernels, k, c, class_M, class_Q);
  }
  /* C(k,k) is symmetric in exact arithmetic; keep it so. */
  double *diagonal = dmft__block(kernels->C, k, k, w);
  for (int a = 0; a < w; a++)
    for (int b = 0; b < a; b++) diagonal[b * w + a] = diagonal[a * w + b] = 0.5 * (diagonal[a * w + b] + diagonal[b * w + a]);
}

/* The classes' runs of paths: one path each, the others by the weights (dmft_spectrum_columns). */
static void split_into_classes(dmft__parameter_paths_t *p, const dmft_spectrum_t *spectrum) {
  p->reports_classes = spectrum->classes > 0;
  if (!p->reports_classes) {
    p->classes = 1;
    p->first_path[0] = 0;
    p->first_path[1] = p->paths;
    p->eigenvalue[0] = p->noise_scale[0] = 1.0;
    p->sigma_weight[0] = 1.0 / (double)p->paths;
    return;
  }
  long extra[DMFT_SPECTRUM_MAX_CLASSES];
  p->classes = spectrum->classes;
  dmft_spectrum_columns(spectrum, p->paths - p->classes, extra);
  p->first_path[0] = 0;
  for (int c = 0; c < p->classes; c++) {
    const long n = 1 + extra[c];
    p->first_path[c + 1] = p->first_path[c] + n;
    p->eigenvalue[c] = spectrum->eigenvalue[c];
    p->noise_scale[c] = sqrt(spectrum->eigenvalue[c]);
    p->sigma_weight[c] = spectrum->weight[c] * spectrum->eigenvalue[c] / (double)n;
  }
}

int dmft__parameter_paths_create(dmft__replica_t *replica, dmft__parameter_paths_t **out) {
  const dmft_problem_t *problem = replica->problem;
  dmft__parameter_paths_t *p = calloc(1, sizeof *p);
  *out = p;
  if (!p) return DMFT_ENOMEM;
  p->paths = dmft__parameter_paths_of_group(problem, replica->group, dmft_problem_groups(problem));
  p->steps = replica->steps;
  p->k = problem->model.k;
  p->kstar = problem->model.kstar;
  const size_t paths = (size_t)p->paths, w = (size_t)p->k, variables = (size_t)(p->steps * p->k);
  p->theta = malloc(sizeof(double) * paths * (size_t)(p->steps + 1) * w);
  p->wstar = malloc(sizeof(double) * paths * (size_t)p->kstar);
  p->tangents = calloc(paths * tangent_doubles(p->steps, p->k), sizeof(double));
  p->innovations = malloc(sizeof(double) * (paths * variables + 1));
  p->factor = calloc(dmft__packed_row((long)variables) + 1, sizeof(double));
  p->covariance = malloc(sizeof(double) * (variables + 1));
  p->coefficient = malloc(sizeof(double) * w * w);
  p->rngs = malloc(sizeof(dmft_rng_t) * paths);
  if (!p->theta || !p->wstar || !p->tangents || !p->innovations || !p->factor || !p->covariance || !p->coefficient || !p->rngs)
    return DMFT_ENOMEM;
  split_into_classes(p, &problem->spectrum);
  const double init_sd = sqrt(problem->theta0_var);
  for (size_t q = 0; q < paths; q++) {
    dmft_rng_t *rng = &p->rngs[q];
    dmft_rng_seed(rng, problem->seed, (uint64_t)replica->group, (uint64_t)q, DMFT_STREAM_PARAMETER);
    double *wstar = p->wstar + q * (size_t)p->kstar, *theta0 = p->theta + q * (size_t)(p->steps + 1) * w;
    for (int b = 0; b < p->kstar; b++) wstar[b] = dmft_prior_draw(problem->teacher_prior, problem->teacher_var, problem->sparsity, rng);
    for (int a = 0; a < p->k; a++) {
      const double aligned = problem->init_overlap != 0 && a < p->kstar ? problem->init_overlap * wstar[a] : 0.0;
      theta0[a] = aligned + init_sd * dmft_prior_draw(problem->init_prior, 1.0, problem->sparsity, rng);
    }
  }
  average_row(p, &replica->kernels, 0);
  return DMFT_OK;
}

void dmft__parameter_paths_advance(dmft__parameter_paths_t *p, dmft__replica_t *replica, long k) {
  const dmft_problem_t *problem = replica->problem;
  dmft__kernels_t *kernels = &replica->kernels;
  const int w = p->k, ws = p->kstar;
  const size_t kk = (size_t)(w * w), variables = (size_t)(p->steps * w);
  const double gamma = problem->gamma, step = replica->coefficients->step_size[k];

  /* The factor of gamma Cl grows by the k rows of du_k. */
  for (int c = 0; c < w; c++) {
    long n = 0;
    for (long m = 0; m <= k; m++) {
      const double *block = dmft__block(kernels->Cl, k, m, w);
      const int last = m == k ? c : w - 1;
      for (int b = 0; b <= last; b++) p->covariance[n++] = gamma * block[c * w + b];
    }
    dmft__psd_cholesky_append(p->factor, k * w + c, p->covariance);
  }

  for (long q = 0, eigenclass = 0; q < p->paths; q++) {
    while (q >= p->first_path[eigenclass + 1]) eigenclass++;
    const double gain = gamma * p->eigenvalue[eigenclass]; /* g_j = gamma lambda_j: gamma itself for isotropic data */
    double *history = p->theta + (size_t)q * (size_t)(p->steps + 1) * (size_t)w;
    const double *now = history + (size_t)k * (size_t)w;
    double *next = history + (size_t)(k + 1) * (size_t)w;
    double *z = p->innovations + (size_t)q * variables;
    double curvature[16];
    for (int a = 0; a < w; a++) {
      const double theta = now[a];
      curvature[a] = problem->ridge + dmft_model_regularizer_curvature(&problem->model, theta);
      next[a] = theta - step * (problem->ridge * theta + dmft_model_regularizer_slope(&problem->model, theta));
    }
    for (long m = 0; m <= k; m++)
      dmft__block_gemm(w, w, 1, -gain, dmft__block(kernels->Rl, k, m, w), 0, history + (size_t)m * (size_t)w, 0, next);
    dmft__block_gemm(w, ws, 1, -gain, kernels->Gam + (size_t)k * (size_t)(w * ws), 0, p->wstar + (size_t)q * (size_t)ws, 0, next);
    for (int c = 0; c < w; c++) {
      z[k * w + c] = dmft_rng_normal(&p->rngs[q]);
      next[c] += p->noise_scale[eigenclass] * dmft__psd_cholesky_row_dot(p->factor, k * w + c, z);
    }

    /* Row k+1 of the tangents: D_k T(k, .) - gamma sum_{m} Rl(k,m) T(m, .), then T(k+1,k) = I. */
    double *tangents = p->tangents + (size_t)q * tangent_doubles(p->steps, w);
    double *row = tangents + dmft__packed_block(k + 1, 0) * kk;
    const double *previous = tangents + dmft__packed_block(k, 0) * kk;
    for (long j = 0; j < k; j++)
      for (int a = 0; a < w; a++)
        for (int b = 0; b < w; b++) row[(size_t)j * kk + (size_t)(a * w + b)] = (1.0 - step * curvature[a]) * previous[(size_t)j * kk + (size_t)(a * w + b)];
    for (long m = 1; m <= k; m++) {
      const double *Rl = dmft__block(kernels->Rl, k, m, w);
      for (size_t i = 0; i < kk; i++) p->coefficient[i] = -gain * Rl[i];
      dmft__block_row_axpy(w, m, p->coefficient, tangents + dmft__packed_block(m, 0) * kk, row);
    }
    memset(row + (size_t)k * kk, 0, sizeof(double) * kk);
    for (int a = 0; a < w; a++) row[(size_t)k * kk + (size_t)(a * w + a)] = 1.0;
  }

  average_row(p, kernels, k + 1);
  double *R = dmft__block(kernels->R, k + 1, 0, w);
  memset(R, 0, sizeof(double) * (size_t)(k + 1) * kk);
  for (int c = 0; c < p->classes; c++)
    for (long q = p->first_path[c]; q < p->first_path[c + 1]; q++) {
      const double *row = p->tangents + (size_t)q * tangent_doubles(p->steps, w) + dmft__packed_block(k + 1, 0) * kk;
      for (size_t i = 0; i < (size_t)(k + 1) * kk; i++) R[i] += p->sigma_weight[c] * row[i];
    }
}

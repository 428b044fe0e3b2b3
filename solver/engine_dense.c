/* The dense engine, for noise without jumps (gauss, flow), and for point processes on request.
 *
 * Every path draws its field at every step from one Cholesky factor of the whole path
 * covariance (w*, w_0, ..., w_K) that the group grows by k rows a step. The responses need, at
 * step k, the row T(k, .) of the pathwise tangents T(k,m) = d xi_k / d f_m, O(K^3) work per
 * path in all, which is why the paper calls the Poisson-driven DMFT the cheap one. T is the
 * inverse of I + L with L(q,m) = R(q,m) D_m (D the kick derivatives), so its row k follows
 * from T (I + L) = I by a sweep from m = k down to 0,
 *     T(k,k) = I,   T(k,m) = -(sum_{m<q<=k} T(k,q) R(q,m)) D_m,
 * which reads the group's R (in columns, cached) and the path's D only: a path keeps O(K)
 * numbers instead of its whole O(K^2) tangent triangle. Measured (SME, 2e4 paths, dt 0.025),
 * the forward recursion over the stored triangles was bound by memory (26 s, 600 MB); see
 * docs/benchmarks.md for the sweep. Only the first --response-paths paths of a group compute
 * tangents. Two savings that change no number: steps where a path did not move (dz = 0, a
 * point process run densely) are skipped in the sums, and when every path has the same kick
 * derivative (deterministic noise and a constant Hessian, e.g. gradient flow on least squares)
 * the tangents are computed once for the group, by the forward recursion, and kept.
 *
 * A model whose gradient jumps (ReLU student) is refused before the solve: pathwise tangents
 * miss the jump, and integration by parts over a smooth path's covariance blows up
 * (equations.md §3). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dot.h"
#include "psd_cholesky.h"
#include "quasi_random.h"
#include "replica.h"
#include "sample_kick.h"

typedef struct {
  long variables; /* k* + (K+1) k */
  double *factor; /* packed, [variables] rows */
  double *innovations, *kicks, *kick_derivatives, *wstar, *labels;
  double *tangents;      /* shared tangents only: the group's one triangle T */
  double *R_columns;     /* otherwise: R(q, m) for q > m, column by column (R_column below) */
  double *tangent_row;   /* [K+1] blocks: T(k, .) of the path at hand */
  unsigned char *moved;
  dmft_rng_t *rngs;
  double *quasi_random; /* the paths' Sobol prefixes, or NULL */
  int shared_tangents;
  long tangent_paths; /* paths 0..tangent_paths-1 carry tangents (the responses' sample) */
  double *covariance, *field, *kick_work, *block;
} dense_state_t;

static long dense_variables(const dmft_problem_t *problem) {
  return problem->model.kstar + (dmft_problem_steps(problem) + 1) * problem->model.k;
}

static int shares_tangents(const dmft_problem_t *problem) {
  return problem->noise->is_deterministic && dmft_model_hessian_is_constant(&problem->model);
}

static double tangent_doubles(const dmft_problem_t *problem) {
  const double steps = (double)dmft_problem_steps(problem) + 1.0;
  return steps * (steps + 1.0) / 2.0 * problem->model.k * problem->model.k;
}

static double dense_bytes(const dmft_problem_t *problem, long paths) {
  const double variables = (double)dense_variables(problem);
  const double steps = (double)dmft_problem_steps(problem) + 1.0;
  const int k = problem->model.k;
  const double per_path = variables + steps * (k + k * k + 0.125) + problem->model.kstar + 1.0 + 5.0 +
                          (problem->quasi_random ? DMFT_QUASI_RANDOM_DIMS : 0);
  /* one triangle: the shared tangents, or R by columns */
  return 8.0 * (variables * (variables + 1.0) / 2.0 + (double)paths * per_path + tangent_doubles(problem) + steps * k * k);
}

/* What steps change: the group's factor, each path's innovations, kicks, kick derivatives,
 * moves and stream, the tangents or R by columns. Labels and w* are drawn again by create. */
static void dense_regions(const dmft__replica_t *replica, void *opaque, dmft__region_fn visit, void *user) {
  dense_state_t *state = opaque;
  const int k = replica->problem->model.k;
  const size_t paths = (size_t)replica->paths, steps = (size_t)replica->steps + 1, kk = (size_t)(k * k);
  visit(user, state->factor, sizeof(double) * dmft__packed_row(state->variables));
  visit(user, state->innovations, sizeof(double) * paths * (size_t)state->variables);
  visit(user, state->kicks, sizeof(double) * paths * steps * (size_t)k);
  visit(user, state->kick_derivatives, sizeof(double) * paths * steps * kk);
  visit(user, state->shared_tangents ? state->tangents : state->R_columns, sizeof(double) * dmft__packed_row((long)steps) * kk);
  visit(user, state->moved, paths * steps);
  visit(user, state->rngs, sizeof(dmft_rng_t) * paths);
}

/* Block R(q, m), q > m, in the column layout: column m holds q = m+1..K. */
static double *R_column(const dense_state_t *state, long steps, long m, int k) {
  const size_t offset = (size_t)m * (size_t)steps - (size_t)(m * (m - 1) / 2);
  return state->R_columns + offset * (size_t)(k * k);
}

static void dense_destroy(void **opaque) {
  dense_state_t *state = *opaque;
  if (!state) return;
  free(state->factor);
  free(state->innovations);
  free(state->kicks);
  free(state->kick_derivatives);
  free(state->tangents);
  free(state->R_columns);
  free(state->tangent_row);
  free(state->wstar);
  free(state->labels);
  free(state->moved);
  free(state->rngs);
  free(state->quasi_random);
  free(state->covariance);
  free(state->field);
  free(state->kick_work);
  free(state->block);
  free(state);
  *opaque = NULL;
}

static int dense_create(const dmft__replica_t *replica, void **opaque) {
  const dmft_problem_t *problem = replica->problem;
  const int k = problem->model.k, kstar = problem->model.kstar;
  const size_t paths = (size_t)replica->paths, steps = (size_t)replica->steps + 1, kk = (size_t)(k * k);
  dense_state_t *state = calloc(1, sizeof *state);
  *opaque = state;
  if (!state) return DMFT_ENOMEM;
  state->variables = dense_variables(problem);
  state->shared_tangents = shares_tangents(problem);
  const size_t variables = (size_t)state->variables;
  state->tangent_paths = dmft_problem_response_paths_of_group(problem, replica->group);

  state->factor = calloc(dmft__packed_row(state->variables), sizeof(double));
  state->innovations = malloc(sizeof(double) * paths * variables);
  state->kicks = calloc(paths * steps * (size_t)k, sizeof(double));
  state->kick_derivatives = calloc(paths * steps * kk, sizeof(double));
  if (state->shared_tangents) state->tangents = malloc(sizeof(double) * dmft__packed_row((long)steps) * kk);
  else state->R_columns = malloc(sizeof(double) * dmft__packed_row((long)steps) * kk);
  state->tangent_row = malloc(sizeof(double) * steps * kk);
  state->wstar = malloc(sizeof(double) * paths * (size_t)kstar);
  state->labels = malloc(sizeof(double) * paths);
  state->moved = calloc(paths * steps, 1);
  state->rngs = malloc(sizeof(dmft_rng_t) * paths);
  state->covariance = malloc(sizeof(double) * (variables + 1));
  state->field = malloc(sizeof(double) * (size_t)k);
  state->kick_work = malloc(sizeof(double) * (size_t)dmft__sample_kick_work_size(k));
  state->block = malloc(sizeof(double) * kk);
  if (!state->factor || !state->innovations || !state->kicks || !state->kick_derivatives || !(state->tangents || state->R_columns) || !state->tangent_row ||
      !state->wstar || !state->labels || !state->moved || !state->rngs || !state->covariance || !state->field ||
      !state->kick_work || !state->block)
    return DMFT_ENOMEM;

  if (problem->quasi_random &&
      !(state->quasi_random = dmft__quasi_random_points(problem->seed, replica->group, replica->first_path, replica->paths)))
    return DMFT_ENOMEM;
  const double teacher_sd = sqrt(dmft_problem_field_teacher_var(problem));
  for (int b = 0; b < kstar; b++) state->factor[dmft__packed_row(b) + (size_t)b] = teacher_sd;
  for (size_t p = 0; p < paths; p++) {
    dmft_rng_t *rng = &state->rngs[p];
    dmft_rng_seed(rng, problem->seed, (uint64_t)replica->group, (uint64_t)replica->first_path + p, DMFT_STREAM_DYNAMICS);
    if (state->quasi_random)
      dmft_rng_set_prefix(rng, state->quasi_random + p * DMFT_QUASI_RANDOM_DIMS, DMFT_QUASI_RANDOM_DIMS);
    double *w = state->wstar + p * (size_t)kstar;
    double *g = state->innovations + p * variables;
    for (int b = 0; b < kstar; b++) {
      g[b] = dmft_rng_normal(rng);
      w[b] = teacher_sd * g[b];
    }
    const double eps = dmft_rng_normal(rng);
    const double flip_uniform = dmft_rng_uniform(rng);
    state->labels[p] = dmft_model_label(&problem->model, w, eps, flip_uniform);
  }
  return DMFT_OK;
}

/* Row k of one path's tangents: T(k,k) = I and, for m < k,
 * T(k,m) = -sum_{m<=q<k, moved} R(k,q) D_q T(q,m), summed q by q so that the inner loop runs
 * along the contiguous row T(q, 0..q). */
static void advance_tangents(const dmft__replica_t *replica, dense_state_t *state, double *tangents,
                             const double *kick_derivatives, const unsigned char *moved, long k) {
  const int w = replica->kernels.k;
  const size_t kk = (size_t)(w * w);
  double *row = tangents + dmft__packed_block(k, 0) * kk;
  memset(row, 0, sizeof(double) * kk * (size_t)(k + 1));
  for (int c = 0; c < w; c++) row[(size_t)k * kk + (size_t)(c * w + c)] = 1.0;
  for (long q = 0; q < k; q++) {
    if (!moved[q]) continue;
    double *coefficient = state->block;
    if (w == 1) {
      coefficient[0] = -dmft__block(replica->kernels.R, k, q, 1)[0] * kick_derivatives[q];
    } else {
      memset(coefficient, 0, sizeof(double) * kk);
      dmft__block_gemm(w, w, w, -1.0, dmft__block(replica->kernels.R, k, q, w), 0, kick_derivatives + (size_t)q * kk, 0,
                       coefficient);
    }
    dmft__block_row_axpy(w, q + 1, coefficient, tangents + dmft__packed_block(q, 0) * kk, row);
  }
}

/* Row k of one path's tangents into state->tangent_row by the sweep of the header, from the
 * columns of R (rows <= k filled) and the path's kick derivatives. */
static void tangent_row_by_sweep(const dmft__replica_t *replica, dense_state_t *state, const double *kick_derivatives,
                                 const unsigned char *moved, long k) {
  const int w = replica->kernels.k;
  const size_t kk = (size_t)(w * w);
  double *row = state->tangent_row;
  memset(row + (size_t)k * kk, 0, sizeof(double) * kk);
  for (int c = 0; c < w; c++) row[(size_t)k * kk + (size_t)(c * w + c)] = 1.0;
  for (long m = k - 1; m >= 0; m--) {
    double *block = row + (size_t)m * kk;
    if (!moved[m]) {
      memset(block, 0, sizeof(double) * kk);
      continue;
    }
    const double *column = R_column(state, replica->steps, m, w); /* R(m+1.., m) */
    if (w == 1) {
      block[0] = -dmft__dot(column, row + m + 1, k - m) * kick_derivatives[m];
      continue;
    }
    double *sum = state->block;
    memset(sum, 0, sizeof(double) * kk);
    for (long q = m + 1; q <= k; q++)
      dmft__block_gemm(w, w, w, 1.0, row + (size_t)q * kk, 0, column + (size_t)(q - m - 1) * kk, 0, sum);
    memset(block, 0, sizeof(double) * kk);
    dmft__block_gemm(w, w, w, -1.0, sum, 0, kick_derivatives + (size_t)m * kk, 0, block);
  }
}

/* Appends row k of R (blocks R(k, m), m < k) to the columns. */
static void store_R_row(const dmft__replica_t *replica, dense_state_t *state, long k) {
  const int w = replica->kernels.k;
  const size_t kk = (size_t)(w * w);
  for (long m = 0; m < k; m++)
    memcpy(R_column(state, replica->steps, m, w) + (size_t)(k - m - 1) * kk, dmft__block(replica->kernels.R, k, m, w),
           sizeof(double) * kk);
}

static int dense_step(dmft__replica_t *replica, void *opaque, long k) {
  dense_state_t *state = opaque;
  const dmft_problem_t *problem = replica->problem;
  dmft__kernels_t *kernels = &replica->kernels;
  const int w = kernels->k, ws = kernels->kstar;
  const size_t kk = (size_t)(w * w), steps = (size_t)replica->steps + 1, variables = (size_t)state->variables;
  const long first_row = ws + k * w;
  const int point_process = problem->noise->is_point_process;

  for (int c = 0; c < w; c++) {
    dmft__field_covariance(kernels, k, c, NULL, k, state->covariance);
    dmft__psd_cholesky_append(state->factor, first_row + c, state->covariance);
  }
  if (!state->shared_tangents) store_R_row(replica, state, k);

  for (long p = 0; p < replica->paths; p++) {
    const long index = replica->first_path + p; /* in the group */
    const dmft__step_sums_t sums = dmft__replica_step_sums(replica, index, k);
    dmft_rng_t *rng = &state->rngs[p];
    double *g = state->innovations + (size_t)p * variables;
    double *kicks = state->kicks + (size_t)p * steps * (size_t)w;
    double *kick_derivatives = state->kick_derivatives + (size_t)p * steps * kk;
    unsigned char *moved = state->moved + (size_t)p * steps;
    const int has_tangents = state->shared_tangents || index < state->tangent_paths;
    const double *wstar = state->wstar + (size_t)p * (size_t)ws;
    const double y = state->labels[p];

    for (int c = 0; c < w; c++) {
      g[first_row + c] = dmft_rng_normal(rng);
      state->field[c] = dmft__psd_cholesky_row_dot(state->factor, first_row + c, g);
    }
    dmft__block_row_apply(w, k, -1.0, dmft__block(kernels->R, k, 0, w), kicks, state->field);
    if (replica->report[k]) {
      sums.loss[0] += dmft_model_loss(&problem->model, state->field, y);
      sums.loss[1] += 1.0;
    }

    replica->path_updates++;
    const double dz = problem->noise->increment(rng, replica->coefficients->rate[k], problem->dt);
    double *kick = kicks + (size_t)k * (size_t)w;
    double *kick_derivative = kick_derivatives + (size_t)k * kk;
    moved[k] = dz != 0.0;
    if (!moved[k]) continue;
    dmft__sample_kick(&problem->model, replica->coefficients->kick[k], replica->coefficients->carry, state->field, y, dz, point_process, kick, kick_derivative,
                      state->kick_work);
    const double *tangent_row = NULL;
    if (state->shared_tangents) {
      /* Every path's D is the same here: the first path of this process stands for all. */
      if (p == 0) advance_tangents(replica, state, state->tangents, kick_derivatives, moved, k);
      tangent_row = state->tangents + dmft__packed_block(k, 0) * kk;
    } else if (has_tangents) {
      tangent_row_by_sweep(replica, state, kick_derivatives, moved, k);
      tangent_row = state->tangent_row;
    }

    /* Steps where the path did not move hold zero kicks: summing them costs less than testing. */
    dmft__block_row_outer(w, k + 1, kick, kicks, sums.Cl);
    if (tangent_row) dmft__block_row_axpy(w, k + 1, kick_derivative, tangent_row, sums.Rl);
    dmft__block_gemm(w, 1, ws, 1.0, kick, 0, wstar, 1, sums.wstar_moment);
  }
  return DMFT_OK;
}

/* Rl is a mean over the paths that carry tangents. */
static long dense_response_paths(const dmft__replica_t *replica) {
  const dmft_problem_t *problem = replica->problem;
  return shares_tangents(problem) ? replica->group_paths : dmft_problem_response_paths_of_group(problem, replica->group);
}

/* The paths' streams point into this process's quasi-random points again. */
static int dense_adopt_loaded_state(const dmft__replica_t *replica, void *opaque) {
  dense_state_t *state = opaque;
  for (long p = 0; p < replica->paths; p++) {
    const double *uniforms = state->quasi_random ? state->quasi_random + p * DMFT_QUASI_RANDOM_DIMS : NULL;
    if (!dmft_rng_adopt_prefix(&state->rngs[p], uniforms, uniforms ? DMFT_QUASI_RANDOM_DIMS : 0)) return 0;
  }
  return 1;
}

const dmft__engine_t dmft__engine_dense = {
    .name = "dense",
    .sums_over_paths = 1,
    .loss_with_step = 1,
    .response_paths = dense_response_paths,
    .bytes = dense_bytes,
    .regions = dense_regions,
    .adopt_loaded_state = dense_adopt_loaded_state,
    .create = dense_create,
    .step = dense_step,
    .destroy = dense_destroy,
};

/* The sparse jump-time engine for point-process noise (poisson, bernoulli).
 *
 * A path only touches the dynamics at its jump steps (about `epochs` of them, whatever dt is):
 * its field w is drawn only there, conditioned on its values at the earlier jumps and on w*;
 * d xi_k / d f_m vanishes unless m is a jump step; Cl(k,m) and Rl(k,m) only receive
 * contributions from paths that jump at both k and m (equations.md §3). So a path with J jumps
 * costs O(J^3) in all, instead of the O(K^2) (or O(K^3) with tangents) of the dense engine.
 *
 * The arrival times of every path are drawn before the time loop (solver/arrivals.h), which
 * fixes every path's memory, so nothing is allocated while marching. Every arrival owns its
 * normals in the path's stream, so a path meets the same random numbers at every dt of a
 * ladder.
 *
 * The march visits only the paths that jump at a step (a list per step, built at create), so a
 * step costs what its jumps cost. The train loss at a reporting step averages the loss over a
 * set of paths chosen without looking at their fields: every path that jumps there (its field
 * is drawn anyway; with independent increments, whether a path jumps now says nothing about its
 * field) and every `train_loss_stride`-th path by index, the offset turning with the step. A
 * path that does not jump gets its field from a separate per-path stream, conditioned on its
 * jump values and written into the spare rows after its factor (the next jump overwrites
 * them), so the dynamics do not depend on the output grid and nothing is copied.
 *
 * Responses: pathwise tangents for models with a continuous gradient; for a gradient that
 * jumps (ReLU student), Gaussian integration by parts over the path's field at its jump steps,
 * Rl(k,m) = E[dG_k (Sigma^{-1} W)_m], whose innovations between jumps are far from degenerate.
 * A variable with zero conditional variance (the field at t = 0 when theta0_var = 0) carries no
 * density to integrate by parts against; its response is taken pathwise. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arrivals.h"
#include "psd_cholesky.h"
#include "quasi_random.h"
#include "replica.h"
#include "sample_kick.h"

typedef struct {
  long first_jump; /* index into the jump arrays */
  long n_jumps;
  long cursor; /* jumps already processed */
  size_t arena_offset;
  double y;
  dmft_rng_t dynamics, report;
} sparse_path_t;

/* Where a path's arrays sit in its slice of the arena. */
typedef struct {
  double *factor;   /* packed Cholesky factor of (w*, w at its jumps) */
  double *innovations;
  double *wstar;
  double *kicks;    /* dG at each jump, k each */
  double *kick_derivatives; /* D at each jump, k*k each */
  double *tangents; /* T(a,b) = d xi_{jump a} / d f_{jump b}, packed lower blocks */
  double *field;    /* xi at the current jump, before its kick */
} path_layout_t;

typedef struct {
  sparse_path_t *paths;
  long *step_first;   /* [K+2]: the paths jumping at step k are step_paths[step_first[k] .. step_first[k+1]) */
  long *step_paths;   /* path indices, increasing within a step */
  long *jump_steps;
  unsigned *jump_counts;
  double *arena;
  double *quasi_random; /* the paths' Sobol prefixes, or NULL */
  long max_variables;
  size_t arena_size; /* doubles */
  long *created_first_jump; /* [paths + 1]: the jump lists create drew, path by path */
  int integrate_by_parts;
  /* scratch, sized for the largest path */
  double *covariance, *back_solved, *kick_work, *block;
  double *field, *response;
  /* [leaves][K+1]: the train-loss sums of each of this process's leaves (path_sums.h) and the
   * number of paths in them, summed over the leaves at the end. */
  double *loss_sum;
  long *loss_count;
  /* scratch of draw_losses_together, for DMFT_SPARSE_DRAW_BATCH steps of the largest path */
  double *batch_covariances, *batch_work, *batch_normals, *batch_values;
} sparse_state_t;

/* Train-loss draws of one path solved together (k = 1). */
#define DMFT_SPARSE_DRAW_BATCH 32

static long variables_of(int k, int kstar, long jumps) { return kstar + jumps * k; }

/* The factor and the innovations hold one field more than the jumps: the spare rows of a
 * train-loss draw. */
static size_t arena_doubles(int k, int kstar, long jumps) {
  const size_t variables = (size_t)variables_of(k, kstar, jumps + 1), kk = (size_t)(k * k);
  return dmft__packed_row((long)variables) + variables + (size_t)kstar + (size_t)jumps * (size_t)k +
         (size_t)jumps * kk + dmft__packed_row(jumps) * kk + (size_t)k;
}

static path_layout_t layout_of(const sparse_state_t *state, const sparse_path_t *path, int k, int kstar) {
  path_layout_t layout;
  const long variables = variables_of(k, kstar, path->n_jumps + 1);
  const size_t kk = (size_t)(k * k);
  double *cursor = state->arena + path->arena_offset;
  layout.factor = cursor;
  cursor += dmft__packed_row(variables);
  layout.innovations = cursor;
  cursor += variables;
  layout.wstar = cursor;
  cursor += kstar;
  layout.kicks = cursor;
  cursor += (size_t)path->n_jumps * (size_t)k;
  layout.kick_derivatives = cursor;
  cursor += (size_t)path->n_jumps * kk;
  layout.tangents = cursor;
  cursor += dmft__packed_row(path->n_jumps) * kk;
  layout.field = cursor;
  return layout;
}

static double sparse_bytes(const dmft_problem_t *problem, long paths) {
  /* The jump count of a path is Poisson-like with mean kappa * tmax; budget its mean plus
   * five standard deviations for every path (the square makes the average larger than the
   * square of the average). */
  const int k = problem->model.k, kstar = problem->model.kstar;
  const double mean = dmft_problem_epochs_at(problem, (double)dmft_problem_steps(problem) * problem->dt);
  const long typical = (long)ceil(mean + 5.0 * sqrt(mean) + 1.0);
  return 8.0 * (double)paths *
         ((double)arena_doubles(k, kstar, typical) + 13.0 + (double)typical + (problem->quasi_random ? DMFT_QUASI_RANDOM_DIMS : 0));
}

static void sparse_destroy(void **opaque) {
  sparse_state_t *state = *opaque;
  if (!state) return;
  free(state->paths);
  free(state->created_first_jump);
  free(state->step_first);
  free(state->step_paths);
  free(state->jump_steps);
  free(state->jump_counts);
  free(state->arena);
  free(state->quasi_random);
  free(state->covariance);
  free(state->back_solved);
  free(state->kick_work);
  free(state->block);
  free(state->field);
  free(state->response);
  free(state->loss_sum);
  free(state->loss_count);
  free(state->batch_covariances);
  free(state->batch_work);
  free(state->batch_normals);
  free(state->batch_values);
  free(state);
  *opaque = NULL;
}

/* What steps change: each path's cursor and streams, its arena (factor, kicks, tangents), the
 * deferred train-loss sums. The jump lists are drawn again by create from the seed. */
static void sparse_regions(const dmft__replica_t *replica, void *opaque, dmft__region_fn visit, void *user) {
  sparse_state_t *state = opaque;
  visit(user, state->paths, sizeof(sparse_path_t) * (size_t)replica->paths);
  visit(user, state->arena, sizeof(double) * state->arena_size);
  const size_t losses = (size_t)replica->sums.leaves * ((size_t)replica->steps + 1);
  visit(user, state->loss_sum, sizeof(double) * losses);
  visit(user, state->loss_count, sizeof(long) * losses);
}

/* The paths' streams point into this process's quasi-random points again; every path's place in
 * the jump lists and the arena is what create made, and its cursor is within its jumps. */
static int sparse_adopt_loaded_state(const dmft__replica_t *replica, void *opaque) {
  sparse_state_t *state = opaque;
  const int k = replica->kernels.k, kstar = replica->kernels.kstar;
  const int prefix = DMFT_QUASI_RANDOM_DIMS - DMFT_QUASI_RANDOM_ARRIVAL_DIMS;
  size_t offset = 0;
  for (long p = 0; p < replica->paths; p++) {
    sparse_path_t *path = &state->paths[p];
    const double *uniforms = state->quasi_random ? state->quasi_random + p * DMFT_QUASI_RANDOM_DIMS : NULL;
    if (!dmft_rng_adopt_prefix(&path->dynamics, uniforms, uniforms ? prefix : 0) ||
        !dmft_rng_adopt_prefix(&path->report, NULL, 0))
      return 0;
    const long first = state->created_first_jump[p], jumps = state->created_first_jump[p + 1] - first;
    if (path->first_jump != first || path->n_jumps != jumps || path->arena_offset != offset || path->cursor < 0 ||
        path->cursor > jumps)
      return 0;
    offset += arena_doubles(k, kstar, jumps);
  }
  for (size_t i = 0; i < (size_t)replica->sums.leaves * ((size_t)replica->steps + 1); i++)
    if (state->loss_count[i] < 0) return 0;
  return offset == state->arena_size;
}

/* The paths that jump at each step, in increasing path order (a counting sort of the jumps). */
static int index_by_step(sparse_state_t *state, long paths, long steps) {
  long total = 0;
  for (long p = 0; p < paths; p++) total += state->paths[p].n_jumps;
  state->step_first = calloc((size_t)steps + 2, sizeof(long));
  state->step_paths = malloc(sizeof(long) * (size_t)(total > 0 ? total : 1));
  if (!state->step_first || !state->step_paths) return DMFT_ENOMEM;
  for (long j = 0; j < total; j++) state->step_first[state->jump_steps[j] + 1]++;
  for (long k = 0; k <= steps; k++) state->step_first[k + 1] += state->step_first[k];
  long *filled = malloc(sizeof(long) * ((size_t)steps + 1));
  if (!filled) return DMFT_ENOMEM;
  memcpy(filled, state->step_first, sizeof(long) * ((size_t)steps + 1));
  for (long p = 0; p < paths; p++) {
    const sparse_path_t *path = &state->paths[p];
    for (long j = 0; j < path->n_jumps; j++) state->step_paths[filled[state->jump_steps[path->first_jump + j]]++] = p;
  }
  free(filled);
  return DMFT_OK;
}

static int sparse_create(const dmft__replica_t *replica, void **opaque) {
  const dmft_problem_t *problem = replica->problem;
  const int k = problem->model.k, kstar = problem->model.kstar;
  sparse_state_t *state = calloc(1, sizeof *state);
  *opaque = state;
  if (!state) return DMFT_ENOMEM;
  state->integrate_by_parts = !dmft_model_gradient_is_continuous(&problem->model);
  state->paths = calloc((size_t)replica->paths, sizeof(sparse_path_t));
  if (!state->paths) return DMFT_ENOMEM;

  if (problem->quasi_random &&
      !(state->quasi_random = dmft__quasi_random_points(problem->seed, replica->group, replica->first_path, replica->paths)))
    return DMFT_ENOMEM;
  /* Labels and teacher fields first, then arrival times, each path from its own streams. */
  double *wstar = malloc(sizeof(double) * (size_t)replica->paths * (size_t)kstar);
  if (!wstar) return DMFT_ENOMEM;
  const double teacher_sd = sqrt(dmft_problem_field_teacher_var(problem));
  for (long p = 0; p < replica->paths; p++) {
    sparse_path_t *path = &state->paths[p];
    const uint64_t index = (uint64_t)(replica->first_path + p); /* the path's streams: keyed by its index in the group */
    dmft_rng_seed(&path->dynamics, problem->seed, (uint64_t)replica->group, index, DMFT_STREAM_DYNAMICS);
    if (state->quasi_random)
      dmft_rng_set_prefix(&path->dynamics, state->quasi_random + p * DMFT_QUASI_RANDOM_DIMS,
                          DMFT_QUASI_RANDOM_DIMS - DMFT_QUASI_RANDOM_ARRIVAL_DIMS);
    dmft_rng_seed(&path->report, problem->seed, (uint64_t)replica->group, index, DMFT_STREAM_REPORT);
    double *w = wstar + (size_t)p * (size_t)kstar;
    for (int b = 0; b < kstar; b++) w[b] = teacher_sd * dmft_rng_normal(&path->dynamics);
    const double eps = dmft_rng_normal(&path->dynamics);
    const double flip_uniform = dmft_rng_uniform(&path->dynamics);
    path->y = dmft_model_label(&problem->model, w, eps, flip_uniform);
  }
  dmft__arrivals_t arrivals;
  int status = dmft__arrivals_draw(problem, replica->coefficients, replica->group, replica->first_path, replica->paths, replica->steps,
                                   state->quasi_random, &arrivals);
  if (status != DMFT_OK) {
    free(wstar);
    return status;
  }
  state->jump_steps = arrivals.steps;
  state->jump_counts = arrivals.counts;
  for (long p = 0; p < replica->paths; p++) {
    state->paths[p].first_jump = arrivals.first[p];
    state->paths[p].n_jumps = arrivals.first[p + 1] - arrivals.first[p];
  }
  state->created_first_jump = arrivals.first; /* kept: a loaded checkpoint is checked against it */
  if (index_by_step(state, replica->paths, replica->steps) != DMFT_OK) {
    free(wstar);
    return DMFT_ENOMEM;
  }

  size_t arena_size = 0;
  long max_jumps = 0;
  for (long p = 0; p < replica->paths; p++) {
    state->paths[p].arena_offset = arena_size;
    arena_size += arena_doubles(k, kstar, state->paths[p].n_jumps);
    if (state->paths[p].n_jumps > max_jumps) max_jumps = state->paths[p].n_jumps;
  }
  state->max_variables = variables_of(k, kstar, max_jumps + 1);
  state->arena_size = arena_size;
  state->arena = calloc(arena_size, sizeof(double));
  state->covariance = malloc(sizeof(double) * (size_t)(state->max_variables + 1));
  state->back_solved = malloc(sizeof(double) * (size_t)state->max_variables);
  state->kick_work = malloc(sizeof(double) * (size_t)dmft__sample_kick_work_size(k));
  state->block = malloc(sizeof(double) * (size_t)(2 * k * k));
  state->field = malloc(sizeof(double) * (size_t)k);
  state->response = malloc(sizeof(double) * (size_t)(k * k));
  const size_t losses = (size_t)replica->sums.leaves * ((size_t)replica->steps + 1);
  state->loss_sum = calloc(losses > 0 ? losses : 1, sizeof(double));
  state->loss_count = calloc(losses > 0 ? losses : 1, sizeof(long));
  const size_t batch = DMFT_SPARSE_DRAW_BATCH, batch_rows = (size_t)state->max_variables + 1;
  state->batch_covariances = malloc(sizeof(double) * batch_rows * batch);
  state->batch_work = malloc(sizeof(double) * batch_rows * batch);
  state->batch_normals = malloc(sizeof(double) * batch);
  state->batch_values = malloc(sizeof(double) * batch);
  if (!state->arena || !state->covariance || !state->back_solved || !state->kick_work || !state->block || !state->field || !state->response ||
      !state->loss_sum || !state->loss_count || !state->batch_covariances || !state->batch_work || !state->batch_normals ||
      !state->batch_values) {
    free(wstar);
    return DMFT_ENOMEM;
  }
  /* w* = sqrt(teacher_var) g*: the first k* rows of every factor are diagonal. */
  for (long p = 0; p < replica->paths; p++) {
    path_layout_t layout = layout_of(state, &state->paths[p], k, kstar);
    for (int b = 0; b < kstar; b++) {
      layout.factor[dmft__packed_row(b) + (size_t)b] = teacher_sd;
      layout.wstar[b] = wstar[(size_t)p * (size_t)kstar + b];
      layout.innovations[b] = layout.wstar[b] / teacher_sd;
    }
  }
  free(wstar);
  return DMFT_OK;
}

/* xi = w - sum_{b < n} R(k, jump_b) dG_b over the path's earlier jumps. */
static void subtract_memory(const dmft__replica_t *replica, const long *jump_steps, long n, const double *kicks,
                            long k, double *field) {
  const int w = replica->kernels.k;
  if (w == 1) {
    const double *R_row = dmft__block(replica->kernels.R, k, 0, 1);
    double sum = 0.0;
    for (long b = 0; b < n; b++) sum += R_row[jump_steps[b]] * kicks[b];
    field[0] -= sum;
    return;
  }
  for (long b = 0; b < n; b++)
    dmft__block_gemm(w, w, 1, -1.0, dmft__block(replica->kernels.R, k, jump_steps[b], w), 0,
                     kicks + (size_t)b * (size_t)w, 0, field);
}

/* The first of a leaf's train-loss sums over the steps, for local path p. */
static long loss_offset(const dmft__replica_t *replica, long p) {
  const long leaf = (replica->first_path + p) / DMFT_PATHS_PER_LEAF - replica->sums.first_leaf;
  return leaf * (replica->steps + 1);
}

/* The k = 1 case of the pair sums of process_jump: Cl(k, jump_b) += dG_a dG_b and
 * Rl(k, jump_b) += D_a T(a, b) (or the integration-by-parts response), the same bits as the
 * block version, which made three 1 x 1 dmft__block_gemm calls per earlier jump (perf: those
 * calls were 7% of a 100-epoch solve, the tangent row above them 10%). */
static void add_scalar_pair_sums(const sparse_state_t *state, path_layout_t layout, int kstar, const long *jump_steps,
                                 long a, dmft__step_sums_t sums) {
  const double kick = layout.kicks[a], kick_derivative = layout.kick_derivatives[a];
  const double *tangent_row = layout.tangents + dmft__packed_block(a, 0);
  for (long b = 0; b <= a; b++) {
    const long step_b = jump_steps[b];
    sums.Cl[step_b] += kick * layout.kicks[b];
    double response = kick_derivative * tangent_row[b];
    if (state->integrate_by_parts) {
      const long variable = variables_of(1, kstar, b);
      if (layout.factor[dmft__packed_row(variable) + (size_t)variable] > 0.0) response = kick * state->back_solved[variable];
    }
    sums.Rl[step_b] += response;
  }
}

/* The pair sums of process_jump for k > 1: Cl(k, jump_b) += dG_a dG_bᵀ and Rl(k, jump_b) +=
 * D_a T(a, b) (or the integration-by-parts response) over the path's jumps b <= a. */
static void add_block_pair_sums(const sparse_state_t *state, path_layout_t layout, int w, int ws, const long *jump_steps,
                                long a, dmft__step_sums_t sums) {
  const size_t kk = (size_t)(w * w);
  const double *kick = layout.kicks + (size_t)a * (size_t)w;
  for (long b = 0; b <= a; b++) {
    const long step_b = jump_steps[b];
    dmft__block_gemm(w, 1, w, 1.0, kick, 0, layout.kicks + (size_t)b * (size_t)w, 1, sums.Cl + (size_t)step_b * kk);
    double *response = state->response;
    memset(response, 0, sizeof(double) * kk);
    dmft__block_gemm(w, w, w, 1.0, layout.kick_derivatives + (size_t)a * kk, 0,
                     layout.tangents + dmft__packed_block(a, b) * kk, 0, response);
    if (state->integrate_by_parts) {
      for (int c2 = 0; c2 < w; c2++) {
        const long variable = variables_of(w, ws, b) + c2;
        if (!(layout.factor[dmft__packed_row(variable) + (size_t)variable] > 0.0)) continue;
        for (int c = 0; c < w; c++) response[c * w + c2] = kick[c] * state->back_solved[variable];
      }
    }
    double *Rl = sums.Rl + (size_t)step_b * kk;
    for (size_t i = 0; i < kk; i++) Rl[i] += response[i];
  }
}

static void process_jump(dmft__replica_t *replica, sparse_state_t *state, long p, long k) {
  sparse_path_t *path = &state->paths[p];
  const dmft__step_sums_t sums = dmft__replica_step_sums(replica, replica->first_path + p, k);
  const dmft_problem_t *problem = replica->problem;
  dmft__kernels_t *kernels = &replica->kernels;
  const int w = kernels->k, ws = kernels->kstar;
  const size_t kk = (size_t)(w * w);
  const path_layout_t layout = layout_of(state, path, w, ws);
  const long *jump_steps = state->jump_steps + path->first_jump;
  const long a = path->cursor;
  const long earlier = variables_of(w, ws, a);

  for (int c = 0; c < w; c++) {
    dmft__field_covariance(kernels, k, c, jump_steps, a, state->covariance);
    dmft__psd_cholesky_append(layout.factor, earlier + c, state->covariance);
    layout.innovations[earlier + c] = dmft_rng_normal(&path->dynamics);
    layout.field[c] = dmft__psd_cholesky_row_dot(layout.factor, earlier + c, layout.innovations);
  }
  /* Each arrival owns k normals of the stream, drawn or not: when a coarser step merges two
   * arrivals, the later ones still meet the same numbers (common random numbers across dt). */
  for (unsigned extra = 1; extra < state->jump_counts[path->first_jump + a]; extra++)
    for (int c = 0; c < w; c++) (void)dmft_rng_normal(&path->dynamics);
  subtract_memory(replica, jump_steps, a, layout.kicks, k, layout.field);

  double *kick = layout.kicks + (size_t)a * (size_t)w;
  double *kick_derivative = layout.kick_derivatives + (size_t)a * kk;
  dmft__sample_kick(&problem->model, replica->coefficients->kick[k], replica->coefficients->carry, layout.field, path->y, (double)state->jump_counts[path->first_jump + a],
                    1, kick, kick_derivative, state->kick_work);

  /* Tangents: T(a,a) = I; T(a, 0..q) += -R(k, jump_q) D_q T(q, 0..q) for q < a, along the
   * contiguous rows of the packed triangle. */
  double *tangent_row = layout.tangents + dmft__packed_block(a, 0) * kk;
  memset(tangent_row, 0, sizeof(double) * kk * (size_t)(a + 1));
  for (int c = 0; c < w; c++) tangent_row[(size_t)a * kk + (size_t)(c * w + c)] = 1.0;
  for (long q = 0; q < a; q++) {
    double *coefficient = state->block;
    if (w == 1) {
      /* What dmft__block_gemm adds to a zero 1 x 1 block, to the bit, without the call. */
      coefficient[0] = 0.0 - dmft__block(kernels->R, k, jump_steps[q], 1)[0] * layout.kick_derivatives[q];
    } else {
      memset(coefficient, 0, sizeof(double) * kk);
      dmft__block_gemm(w, w, w, -1.0, dmft__block(kernels->R, k, jump_steps[q], w), 0,
                       layout.kick_derivatives + (size_t)q * kk, 0, coefficient);
    }
    dmft__block_row_axpy(w, q + 1, coefficient, layout.tangents + dmft__packed_block(q, 0) * kk, tangent_row);
  }

  if (state->integrate_by_parts)
    dmft__psd_cholesky_back_solve(layout.factor, earlier + w, layout.innovations, state->back_solved);
  if (w == 1) add_scalar_pair_sums(state, layout, ws, jump_steps, a, sums);
  else add_block_pair_sums(state, layout, w, ws, jump_steps, a, sums);
  dmft__block_gemm(w, 1, ws, 1.0, kick, 0, layout.wstar, 1, sums.wstar_moment);
  path->cursor++;
}

/* The loss of a path at a reporting step where it does not jump. */
static double report_loss(dmft__replica_t *replica, sparse_state_t *state, sparse_path_t *path, long k) {
  const dmft__kernels_t *kernels = &replica->kernels;
  const int w = kernels->k, ws = kernels->kstar;
  const path_layout_t layout = layout_of(state, path, w, ws);
  const long *jump_steps = state->jump_steps + path->first_jump;
  const long earlier = variables_of(w, ws, path->cursor);
  for (int c = 0; c < w; c++) {
    dmft__field_covariance(kernels, k, c, jump_steps, path->cursor, state->covariance);
    dmft__psd_cholesky_append(layout.factor, earlier + c, state->covariance);
    layout.innovations[earlier + c] = dmft_rng_normal(&path->report);
    state->field[c] = dmft__psd_cholesky_row_dot(layout.factor, earlier + c, layout.innovations);
  }
  subtract_memory(replica, jump_steps, path->cursor, layout.kicks, k, state->field);
  return dmft_model_loss(&replica->problem->model, state->field, path->y);
}

/* The train-loss draws of path p at the reported steps after its last jump and before `until`
 * (exclusive) that its index selects, p = step (mod stride). They are made here, when the path
 * is next visited, rather than at every step: the rows they need are all in the past by then,
 * and the path's factor is read once for all of them instead of once per row (measured at 48
 * epochs: streaming every path's factor at every row was bound by memory bandwidth). */
/* The train-loss draws of a scalar path (k = 1) at `count` steps, all conditioned on the same
 * jumps: one triangular solve for all of them (dmft__psd_cholesky_conditional_values), in the
 * order of the steps, so the path's report stream gives the same normals as one draw at a time.
 * Measured at 48 epochs, drawing row by row was half the time, bound by the chain of one
 * division and one dot product per earlier jump. */
static void draw_losses_together(dmft__replica_t *replica, sparse_state_t *state, long p, const long *steps,
                                 int count) {
  sparse_path_t *path = &state->paths[p];
  double *loss_sum = state->loss_sum + loss_offset(replica, p);
  long *loss_count = state->loss_count + loss_offset(replica, p);
  const dmft__kernels_t *kernels = &replica->kernels;
  const int ws = kernels->kstar;
  const path_layout_t layout = layout_of(state, path, 1, ws);
  const long *jump_steps = state->jump_steps + path->first_jump;
  const long earlier = variables_of(1, ws, path->cursor);
  for (int r = 0; r < count; r++) {
    double *covariance = state->batch_covariances + (size_t)r * (size_t)(earlier + 1);
    dmft__field_covariance(kernels, steps[r], 0, jump_steps, path->cursor, covariance);
    state->batch_normals[r] = dmft_rng_normal(&path->report);
  }
  dmft__psd_cholesky_conditional_values(layout.factor, earlier, count, state->batch_covariances, layout.innovations,
                                        state->batch_normals, state->batch_values, state->batch_work);
  for (int r = 0; r < count; r++) {
    subtract_memory(replica, jump_steps, path->cursor, layout.kicks, steps[r], &state->batch_values[r]);
    loss_sum[steps[r]] += dmft_model_loss(&replica->problem->model, &state->batch_values[r], path->y);
    loss_count[steps[r]]++;
  }
  replica->path_updates += count;
}

static void draw_pending_losses(dmft__replica_t *replica, sparse_state_t *state, long p, long until) {
  sparse_path_t *path = &state->paths[p];
  double *loss_sum = state->loss_sum + loss_offset(replica, p);
  long *loss_count = state->loss_count + loss_offset(replica, p);
  const long stride = replica->train_loss_stride > 1 ? replica->train_loss_stride : 1;
  const long after = path->cursor > 0 ? state->jump_steps[path->first_jump + path->cursor - 1] : -1;
  const long index = replica->first_path + p; /* the choice of paths is by their index in the group */
  long step = after + 1;
  step += ((index - step) % stride + stride) % stride;
  long batch[DMFT_SPARSE_DRAW_BATCH];
  int batched = 0;
  for (; step < until; step += stride) {
    if (!replica->report[step]) continue;
    if (replica->kernels.k == 1) {
      batch[batched++] = step;
      if (batched == DMFT_SPARSE_DRAW_BATCH) {
        draw_losses_together(replica, state, p, batch, batched);
        batched = 0;
      }
      continue;
    }
    loss_sum[step] += report_loss(replica, state, path, step);
    loss_count[step]++;
    replica->path_updates++;
  }
  if (batched > 0) draw_losses_together(replica, state, p, batch, batched);
}

static int sparse_step(dmft__replica_t *replica, void *opaque, long k) {
  sparse_state_t *state = opaque;
  const int w = replica->kernels.k, ws = replica->kernels.kstar;
  const dmft_model_t *model = &replica->problem->model;
  const long *jumping = state->step_paths + state->step_first[k], n_jumping = state->step_first[k + 1] - state->step_first[k];
  for (long i = 0; i < n_jumping; i++) {
    const long p = jumping[i];
    sparse_path_t *path = &state->paths[p];
    draw_pending_losses(replica, state, p, k);
    process_jump(replica, state, p, k);
    replica->path_updates++;
    if (!replica->report[k]) continue;
    state->loss_sum[loss_offset(replica, p) + k] += dmft_model_loss(model, layout_of(state, path, w, ws).field, path->y);
    state->loss_count[loss_offset(replica, p) + k]++;
  }
  return DMFT_OK;
}

/* The draws still pending up to last_step, then the train loss of every reported row: each
 * leaf's sums and counts, summed over the leaves in their fixed order (path_sums.h). */
static void sparse_finish(dmft__replica_t *replica, void *opaque, long last_step) {
  sparse_state_t *state = opaque;
  for (long p = 0; p < replica->paths; p++) draw_pending_losses(replica, state, p, last_step + 1);
  replica->path_checks += replica->paths;
  const size_t steps = (size_t)last_step + 1;
  dmft__path_sums_t *sums = &replica->sums;
  for (long leaf = 0; leaf < sums->leaves; leaf++) {
    double *values = sums->values + (size_t)leaf * sums->capacity;
    const size_t at = (size_t)leaf * ((size_t)replica->steps + 1);
    for (size_t step = 0; step < steps; step++) {
      values[step] = state->loss_sum[at + step];
      values[steps + step] = (double)state->loss_count[at + step];
    }
  }
  const double *total = dmft__path_sums_reduce(sums, 2 * steps, NULL);
  for (size_t step = 0; step < steps; step++)
    if (replica->report[step]) replica->kernels.train_loss[step] = total[steps + step] > 0 ? total[step] / total[steps + step] : NAN;
}

const dmft__engine_t dmft__engine_sparse = {
    .name = "sparse",
    .sums_over_paths = 1,
    .bytes = sparse_bytes,
    .regions = sparse_regions,
    .adopt_loaded_state = sparse_adopt_loaded_state,
    .create = sparse_create,
    .step = sparse_step,
    .finish = sparse_finish,
    .destroy = sparse_destroy,
};

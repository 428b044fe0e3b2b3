/* The solve as a staged object (dmft_solver_t, dmft/solver.h): create plans it (the result's
 * grid, the coefficient table, every group's outputs), advance marches the replica groups in
 * rounds on threads, save and load write and read every group's state (checkpoint.h), result
 * reduces the groups in group order into means and standard errors, free releases it. A round
 * pauses at a step, a deadline or a stop request, always at a step boundary, and the next one
 * continues the same marches: how a solve is cut into rounds never changes a bit. */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"
#include "coefficients.h"
#include "dmft/ranks.h"
#include "group_link.h"
#include "dmft/dmft.h"
#include "dmft/test_loss.h"
#include "dmft/volterra.h"
#include "kernels.h"
#include "replica.h"

/* One group's values on the output grid, laid out as in dmft_result_t. */
typedef struct {
  double *M, *Q, *train_loss, *test_loss, *test_metric, *C, *R, *Cl, *Rl, *Gamma;
  double *M_sigma, *Q_sigma, *class_M, *class_Q; /* a covariance spectrum's (else NULL) */
  long rows_done;
  long long path_updates, path_checks;
  int status;
} group_output_t;

static void group_output_free(group_output_t *out) {
  free(out->M);
  free(out->Q);
  free(out->train_loss);
  free(out->test_loss);
  free(out->test_metric);
  free(out->C);
  free(out->R);
  free(out->Cl);
  free(out->Rl);
  free(out->Gamma);
  free(out->M_sigma);
  free(out->Q_sigma);
  free(out->class_M);
  free(out->class_Q);
}

static int group_output_alloc(group_output_t *out, const dmft_result_t *r) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k);
  out->M = calloc(rows * (size_t)(r->k * r->kstar), sizeof(double));
  out->Q = calloc(rows * kk, sizeof(double));
  out->train_loss = calloc(rows, sizeof(double));
  out->test_loss = calloc(rows, sizeof(double));
  out->C = calloc(rows * rows * kk, sizeof(double));
  out->R = calloc(rows * rows * kk, sizeof(double));
  out->Cl = calloc(rows * rows * kk, sizeof(double));
  out->Rl = calloc(rows * rows * kk, sizeof(double));
  out->Gamma = calloc(rows * (size_t)(r->k * r->kstar), sizeof(double));
  out->test_metric = r->test_metric ? calloc(rows, sizeof(double)) : NULL;
  if (r->test_metric && !out->test_metric) return DMFT_ENOMEM;
  if (r->classes > 0) {
    const size_t kks = (size_t)(r->k * r->kstar), classes = (size_t)r->classes;
    out->M_sigma = calloc(rows * kks, sizeof(double));
    out->Q_sigma = calloc(rows * kk, sizeof(double));
    out->class_M = calloc(rows * classes * kks, sizeof(double));
    out->class_Q = calloc(rows * classes * kk, sizeof(double));
    if (!out->M_sigma || !out->Q_sigma || !out->class_M || !out->class_Q) return DMFT_ENOMEM;
  }
  return out->M && out->Q && out->train_loss && out->test_loss && out->C && out->R && out->Cl && out->Rl && out->Gamma
             ? DMFT_OK
             : DMFT_ENOMEM;
}

/* Block (s, u) of a symmetric kernel stored as its lower triangle: the block itself for u <= s,
 * the transpose of block (u, s) above the diagonal. */
static void copy_symmetric_block(double *packed, long s, long u, int k, double *out) {
  if (u <= s) {
    memcpy(out, dmft__block(packed, s, u, k), sizeof(double) * (size_t)(k * k));
    return;
  }
  const double *stored = dmft__block(packed, u, s, k);
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++) out[a * k + b] = stored[b * k + a];
}

/* A spectrum's class overlaps at step s into output row i, and the plain M = E_j[M_j], Q = E_j[Q_j]. */
static void plain_overlaps(const dmft_problem_t *problem, const dmft__kernels_t *kernels, long s, long i, group_output_t *out) {
  const size_t kk = (size_t)(kernels->k * kernels->k), kks = (size_t)(kernels->k * kernels->kstar);
  const size_t classes = (size_t)kernels->classes;
  const double *class_M = kernels->class_M + (size_t)s * classes * kks, *class_Q = kernels->class_Q + (size_t)s * classes * kk;
  memcpy(out->class_M + (size_t)i * classes * kks, class_M, sizeof(double) * classes * kks);
  memcpy(out->class_Q + (size_t)i * classes * kk, class_Q, sizeof(double) * classes * kk);
  double *M = out->M + (size_t)i * kks, *Q = out->Q + (size_t)i * kk;
  memset(M, 0, sizeof(double) * kks);
  memset(Q, 0, sizeof(double) * kk);
  for (size_t c = 0; c < classes; c++) {
    const double weight = problem->spectrum.weight[c];
    for (size_t e = 0; e < kks; e++) M[e] += weight * class_M[c * kks + e];
    for (size_t e = 0; e < kk; e++) Q[e] += weight * class_Q[c * kk + e];
  }
}

/* Copies the group's kernels at the output steps before its first diverged step. */
static int read_group(const dmft_problem_t *problem, const dmft_result_t *r, dmft__kernels_t *kernels, int group,
                      long diverged_step, group_output_t *out) {
  const int k = r->k, kstar = r->kstar;
  const size_t kk = (size_t)(k * k), kks = (size_t)(k * kstar), rows = (size_t)r->rows;
  long done = 0;
  while (done < r->rows && (diverged_step < 0 || r->step[done] < diverged_step)) done++;
  out->rows_done = done;
  dmft_test_loss_t *rule = NULL;
  int status = dmft_test_loss_create(&problem->model, dmft_problem_field_teacher_var(problem), problem->seed, (uint64_t)group,
                                     &rule);
  for (long i = 0; status == DMFT_OK && i < done; i++) {
    const long s = r->step[i];
    /* The kernels' M and C(t, t): the plain overlaps, or a spectrum's Sigma-weighted ones. */
    double *field_M = r->classes ? out->M_sigma + (size_t)i * kks : out->M + (size_t)i * kks;
    double *field_Q = r->classes ? out->Q_sigma + (size_t)i * kk : out->Q + (size_t)i * kk;
    memcpy(field_M, kernels->M + (size_t)s * kks, sizeof(double) * kks);
    memcpy(out->Gamma + (size_t)i * kks, kernels->Gam + (size_t)s * kks, sizeof(double) * kks);
    memcpy(field_Q, dmft__block(kernels->C, s, s, k), sizeof(double) * kk);
    if (r->classes) plain_overlaps(problem, kernels, s, i, out);
    out->train_loss[i] = kernels->train_loss[s];
    out->test_loss[i] = dmft_test_loss_evaluate(rule, field_Q, field_M);
    if (out->test_metric) out->test_metric[i] = dmft_test_metric_evaluate(rule, field_Q, field_M);
    for (long j = 0; j < done; j++) {
      const long u = r->step[j];
      const size_t at = ((size_t)i * rows + (size_t)j) * kk;
      copy_symmetric_block(kernels->C, s, u, k, out->C + at);
      copy_symmetric_block(kernels->Cl, s, u, k, out->Cl + at);
      if (u < s) memcpy(out->R + at, dmft__block(kernels->R, s, u, k), sizeof(double) * kk);
      if (u <= s) memcpy(out->Rl + at, dmft__block(kernels->Rl, s, u, k), sizeof(double) * kk);
    }
  }
  dmft_test_loss_free(&rule);
  return status;
}

/* Mean and standard error (sd / sqrt(groups)) of n values over the groups, in group order;
 * an exact engine has no sampling error at all. */
static void reduce(const double *const *values, int n_groups, int exact, size_t n, double *mean, double *se) {
  for (size_t i = 0; i < n; i++) {
    double sum = 0.0;
    for (int g = 0; g < n_groups; g++) sum += values[g][i];
    const double average = sum / n_groups;
    double squares = 0.0;
    for (int g = 0; g < n_groups; g++) squares += (values[g][i] - average) * (values[g][i] - average);
    mean[i] = average;
    se[i] = exact ? 0.0 : n_groups > 1 ? sqrt(squares / (n_groups - 1) / n_groups) : NAN;
  }
}

#define REDUCE_FIELD(field, count)                                               \
  do {                                                                           \
    const double *per_group[DMFT_MAX_GROUPS] = {0};                                  \
    for (int g = 0; g < n_groups; g++) per_group[g] = outputs[g].field;          \
    reduce(per_group, n_groups, engine->is_exact, (count), r->field, r->field##_se);               \
  } while (0)

/* Copies every group's M, Q and losses into the result (for extrapolations group by group). */
static int keep_groups(dmft_result_t *r, const group_output_t *outputs, int n_groups) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  r->group_M = malloc(sizeof(double) * (size_t)n_groups * rows * kks);
  r->group_Q = malloc(sizeof(double) * (size_t)n_groups * rows * kk);
  r->group_train_loss = malloc(sizeof(double) * (size_t)n_groups * rows);
  r->group_test_loss = malloc(sizeof(double) * (size_t)n_groups * rows);
  if (!r->group_M || !r->group_Q || !r->group_train_loss || !r->group_test_loss) return DMFT_ENOMEM;
  for (int g = 0; g < n_groups; g++) {
    memcpy(r->group_M + (size_t)g * rows * kks, outputs[g].M, sizeof(double) * rows * kks);
    memcpy(r->group_Q + (size_t)g * rows * kk, outputs[g].Q, sizeof(double) * rows * kk);
    memcpy(r->group_train_loss + (size_t)g * rows, outputs[g].train_loss, sizeof(double) * rows);
    memcpy(r->group_test_loss + (size_t)g * rows, outputs[g].test_loss, sizeof(double) * rows);
  }
  return DMFT_OK;
}

/* A finished group's outputs, for checkpoints. */
static void group_output_regions(group_output_t *out, const dmft_result_t *r, long *diverged_step, dmft__region_fn visit,
                                 void *user) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  visit(user, &out->rows_done, sizeof out->rows_done);
  visit(user, &out->path_updates, sizeof out->path_updates);
  visit(user, &out->path_checks, sizeof out->path_checks);
  visit(user, &out->status, sizeof out->status);
  visit(user, diverged_step, sizeof *diverged_step);
  visit(user, out->M, sizeof(double) * rows * kks);
  visit(user, out->Q, sizeof(double) * rows * kk);
  visit(user, out->train_loss, sizeof(double) * rows);
  visit(user, out->test_loss, sizeof(double) * rows);
  if (out->test_metric) visit(user, out->test_metric, sizeof(double) * rows);
  visit(user, out->C, sizeof(double) * rows * rows * kk);
  visit(user, out->R, sizeof(double) * rows * rows * kk);
  visit(user, out->Cl, sizeof(double) * rows * rows * kk);
  visit(user, out->Rl, sizeof(double) * rows * rows * kk);
  visit(user, out->Gamma, sizeof(double) * rows * kks);
  if (r->classes > 0) { /* isotropic checkpoints keep the layout they always had */
    visit(user, out->M_sigma, sizeof(double) * rows * kks);
    visit(user, out->Q_sigma, sizeof(double) * rows * kk);
    visit(user, out->class_M, sizeof(double) * rows * (size_t)r->classes * kks);
    visit(user, out->class_Q, sizeof(double) * rows * (size_t)r->classes * kk);
  }
}

/* A dmft__region_fn that broadcasts each region from the rank *user (gather_groups). */
static void broadcast_region(void *user, void *data, size_t bytes) { dmft__ranks_broadcast_bytes(data, bytes, *(int *)user); }

/* Where each group is: not started, marching (its staged march kept between rounds), or
 * finished (its outputs read). */
typedef struct {
  int state;
  dmft__march_t *march;
  long diverged_step;
} group_run_t;

struct dmft_solver {
  const dmft_problem_t *problem;
  dmft_result_t *r;
  const dmft__engine_t *engine;
  char *report; /* [K+1]: 1 at the output steps */
  group_output_t *outputs;
  group_run_t *runs;
  dmft__group_place_t *places; /* which of each group's paths this rank marches (group_link.h) */
  int spread;                  /* the paths are spread over the MPI ranks */
  long saves;                  /* checkpoints written (and loaded): the ranks' files must agree */
  dmft__coefficients_t coefficients_storage;
  const dmft__coefficients_t *coefficients;
  dmft__progress_t progress;
  int stop_now; /* raised inside a round: by the deadline or the caller's stop */
  int n_groups, threads;
};
typedef struct dmft_solver solve_t;

/* Whether this rank marches (some of the paths of) group g. */
static int is_here(const solve_t *s, int g) { return s->places[g].leaves > 0; }

static dmft__replica_t replica_of(const solve_t *s, int g) {
  const dmft_problem_t *problem = s->problem;
  const dmft__group_place_t *place = &s->places[g];
  return (dmft__replica_t){
      .problem = problem,
      .group = g,
      .group_paths = dmft_problem_group_share(problem->paths, s->n_groups, g),
      .first_path = place->first_path,
      .paths = place->paths,
      .link = place->link,
      .steps = s->r->steps,
      .coefficients = s->coefficients,
      .report = s->report,
      .train_loss_stride = dmft_problem_train_loss_stride(problem),
  };
}

/* One round: every group not finished marches to step `until` (or its end), or until *stop is
 * raised; a group that ends is read and freed. */
static void run_round(solve_t *s, long until, dmft__progress_t *progress, volatile int *stop) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(s->threads)
  for (int g = 0; g < s->n_groups; g++) {
    group_run_t *run = &s->runs[g];
    group_output_t *out = &s->outputs[g];
    if (!is_here(s, g) || run->state == DMFT__GROUP_FINISHED) continue;
    /* A group shared with other ranks starts on all of them; its first rank decides the pause. */
    if (stop && *stop && run->state == DMFT__GROUP_NOT_STARTED && !s->places[g].link) continue;
    if (run->state == DMFT__GROUP_NOT_STARTED) {
      const dmft__replica_t replica = replica_of(s, g);
      out->status = dmft__march_create(&replica, s->engine, &run->march);
      run->state = DMFT__GROUP_MARCHING;
    }
    if (out->status == DMFT_OK) out->status = dmft__march_advance(run->march, until, progress, stop);
    if (out->status == DMFT_EINTERRUPTED || (out->status == DMFT_OK && dmft__march_next_step(run->march) <= s->r->steps)) {
      out->status = DMFT_OK; /* paused: it goes on in a later round */
      continue;
    }
    run->state = DMFT__GROUP_FINISHED; /* ended, diverged or failed */
    if (!run->march) continue;        /* not even created: out->status says why */
    dmft__replica_t *replica = dmft__march_replica(run->march);
    run->diverged_step = dmft__march_diverged_step(run->march);
    out->path_updates = replica->path_updates;
    out->path_checks = replica->path_checks;
    if (replica->kernels.C) {
      const int read_status = read_group(s->problem, s->r, &replica->kernels, g, run->diverged_step, out);
      if (out->status == DMFT_OK) out->status = read_status;
    }
    dmft__march_free(&run->march);
  }
}

/* Under MPI every rank writes its own groups' state (dmft_ranks_checkpoint_path). A solve of
 * this rank alone (a sweep's job) never checkpoints. */
static void rank_path(const solve_t *s, const char *path, char *out, size_t size) {
  if (dmft__ranks_spread_size(s->spread) > 1) dmft_ranks_checkpoint_path(path, out, size);
  else snprintf(out, size, "%s", path);
}

static int save_checkpoint(solve_t *s, const char *path) {
  const int ranks = dmft__ranks_spread_size(s->spread), rank = ranks > 1 ? dmft_ranks_rank() : 0;
  char own[4200];
  rank_path(s, path, own, sizeof own);
  dmft__checkpoint_file_t *file = NULL;
  int status = dmft__checkpoint_begin(own, dmft_problem_signature(s->problem), s->n_groups, rank, ranks, &file);
  long saves = s->saves + 1;
  if (status == DMFT_OK) dmft__checkpoint_write_region(file, &saves, sizeof saves);
  for (int g = 0; status == DMFT_OK && g < s->n_groups; g++) {
    group_run_t *run = &s->runs[g];
    if (!is_here(s, g)) {
      dmft__checkpoint_write_kind(file, DMFT__GROUP_NOT_STARTED); /* another rank's */
      continue;
    }
    dmft__checkpoint_write_kind(file, run->state);
    if (run->state == DMFT__GROUP_MARCHING) dmft__march_regions(run->march, dmft__checkpoint_write_region, file);
    if (run->state == DMFT__GROUP_FINISHED)
      group_output_regions(&s->outputs[g], s->r, &run->diverged_step, dmft__checkpoint_write_region, file);
  }
  if (status == DMFT_OK) status = dmft__checkpoint_finish(file);
  /* Every rank's file is complete before any replaces its previous one. */
  if (dmft__ranks_spread_size(s->spread) > 1) status = dmft_ranks_agree_status(status);
  const int committed = dmft__checkpoint_commit(&file, status == DMFT_OK);
  if (status == DMFT_OK) status = committed;
  if (status == DMFT_OK) s->saves = saves;
  return status;
}

/* The counters and indices a checkpoint carries, in range: a finished group's rows and status, a
 * marching group's counters and engine indices (dmft__march_adopt_loaded_state). */
static int adopt_loaded_state(const solve_t *s) {
  for (int g = 0; g < s->n_groups; g++) {
    const group_run_t *run = &s->runs[g];
    const group_output_t *out = &s->outputs[g];
    if (run->state == DMFT__GROUP_MARCHING && !dmft__march_adopt_loaded_state(run->march)) return 0;
    if (run->state == DMFT__GROUP_FINISHED &&
        (out->rows_done < 0 || out->rows_done > s->r->rows || out->status > DMFT_OK || out->status < DMFT_EINTERRUPTED ||
         run->diverged_step < -1 || run->diverged_step > s->r->steps))
      return 0;
  }
  return 1;
}

static int load_own_checkpoint(solve_t *s, const char *path, char *message, size_t size) {
  const int ranks = dmft__ranks_spread_size(s->spread), rank = ranks > 1 ? dmft_ranks_rank() : 0;
  char own[4200];
  rank_path(s, path, own, sizeof own);
  dmft__checkpoint_file_t *file = NULL;
  int status = dmft__checkpoint_open(own, dmft_problem_signature(s->problem), s->n_groups, rank, ranks, &file, message, size);
  if (status == DMFT_OK) dmft__checkpoint_read_region(file, &s->saves, sizeof s->saves);
  for (int g = 0; status == DMFT_OK && g < s->n_groups; g++) {
    group_run_t *run = &s->runs[g];
    const int kind = dmft__checkpoint_read_kind(file);
    if (!is_here(s, g)) continue;
    if (kind == DMFT__GROUP_MARCHING) {
      const dmft__replica_t replica = replica_of(s, g);
      status = dmft__march_create(&replica, s->engine, &run->march);
      if (status == DMFT_OK) dmft__march_regions(run->march, dmft__checkpoint_read_region, file);
    }
    if (kind == DMFT__GROUP_FINISHED)
      group_output_regions(&s->outputs[g], s->r, &run->diverged_step, dmft__checkpoint_read_region, file);
    if (kind >= 0) run->state = kind;
  }
  const int closed = dmft__checkpoint_close(&file, message, size);
  if (status == DMFT_OK && closed == DMFT_OK && !adopt_loaded_state(s)) {
    snprintf(message, size, "--resume %s: its state is not one this solve could have made (indices out of range); refused",
             own);
    return DMFT_EINVAL;
  }
  return status != DMFT_OK ? status : closed;
}

/* Every rank reads its own file; a refusal anywhere is everyone's, with the first refusing
 * rank's message, and the ranks' files must come from the same save (a run killed between two
 * ranks' renames leaves a mixed set). */
static int load_checkpoint(solve_t *s, const char *path, char *message, size_t size) {
  int status = load_own_checkpoint(s, path, message, size);
  const int ranks = dmft__ranks_spread_size(s->spread);
  if (ranks == 1) return status;
  const int refusing = dmft__ranks_all_min(status != DMFT_OK ? dmft_ranks_rank() : ranks);
  if (refusing < ranks) {
    dmft__ranks_broadcast_bytes(message, size, refusing);
    const int worst = dmft__ranks_all_min(status);
    return worst != DMFT_OK ? worst : DMFT_EINVAL;
  }
  const int saves = (int)s->saves;
  if (dmft__ranks_all_min(saves) != dmft__ranks_all_max(saves)) {
    snprintf(message, size,
             "--resume %s: the ranks' checkpoint files come from different saves (a run stopped while saving); refused", path);
    return DMFT_EINVAL;
  }
  return DMFT_OK;
}

/* The sample side's kernels: the solver's own part of the result (a simulation has none). */
static int sample_side_alloc(dmft_result_t *r) {
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  r->Cl = calloc(rows * rows * kk, sizeof(double));
  r->Cl_se = calloc(rows * rows * kk, sizeof(double));
  r->Rl = calloc(rows * rows * kk, sizeof(double));
  r->Rl_se = calloc(rows * rows * kk, sizeof(double));
  r->Gamma = calloc(rows * kks, sizeof(double));
  r->Gamma_se = calloc(rows * kks, sizeof(double));
  return r->Cl && r->Cl_se && r->Rl && r->Rl_se && r->Gamma && r->Gamma_se ? DMFT_OK : DMFT_ENOMEM;
}

int dmft_solver_create(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_solver_t **out) {
  solve_t *s = calloc(1, sizeof *s);
  *out = s;
  if (!s) return DMFT_ENOMEM;
  s->problem = problem;
  s->r = dmft_result_alloc(problem);
  if (!s->r || sample_side_alloc(s->r) != DMFT_OK) return DMFT_ENOMEM;
  s->engine = dmft__engine_for(problem, problem->force_dense_engine);
  s->n_groups = s->r->groups;
  /* An exact engine has no paths to spread: every rank solves it (it is cheap) and rank 0 writes. */
  s->spread = !problem->this_rank_alone && s->engine->sums_over_paths;
  s->threads = problem->threads > 0 ? problem->threads : omp_get_max_threads();
  s->report = calloc((size_t)s->r->steps + 1, 1);
  s->outputs = calloc((size_t)s->n_groups, sizeof(group_output_t));
  s->runs = calloc((size_t)s->n_groups, sizeof(group_run_t));
  s->coefficients = &s->coefficients_storage;
  int status = s->report && s->outputs && s->runs ? dmft__coefficients_create(problem, &s->coefficients_storage) : DMFT_ENOMEM;
  for (int g = 0; status == DMFT_OK && g < s->n_groups; g++) {
    status = group_output_alloc(&s->outputs[g], s->r);
    s->runs[g].diverged_step = -1;
  }
  if (status == DMFT_OK)
    for (long i = 0; i < s->r->rows; i++) s->report[s->r->step[i]] = 1;
  long group_paths[DMFT_MAX_GROUPS];
  for (int g = 0; g < s->n_groups; g++) group_paths[g] = dmft_problem_group_share(problem->paths, s->n_groups, g);
  /* Collective under MPI: every rank gets here, whatever happened before. */
  const int placed = dmft__group_places_create(group_paths, s->n_groups, s->spread, &s->places);
  if (status == DMFT_OK) status = placed;
  if (!s->places) return DMFT_ENOMEM;
  long here = 0;
  for (int g = 0; g < s->n_groups; g++) here += is_here(s, g);
  s->progress = (dmft__progress_t){.total = here * (s->r->steps + 1), .callback = progress, .user = user};
  return status;
}

long dmft_solver_steps(const dmft_solver_t *s) { return s->r->steps; }

int dmft_solver_load(dmft_solver_t *s, const char *path, char *message, size_t size) {
  for (int g = 0; g < s->n_groups; g++)
    if (s->runs[g].state != DMFT__GROUP_NOT_STARTED) {
      snprintf(message, size, "--resume %s: a checkpoint is loaded into a solver that has not advanced yet", path);
      return DMFT_EINVAL;
    }
  const int status = load_checkpoint(s, path, message, size);
  long done = 0;
  for (int g = 0; g < s->n_groups; g++)
    done += !is_here(s, g)                             ? 0
            : s->runs[g].state == DMFT__GROUP_FINISHED ? s->r->steps + 1
            : s->runs[g].state == DMFT__GROUP_MARCHING ? dmft__march_next_step(s->runs[g].march)
                                                       : 0;
  s->progress.done = done;
  return status;
}

int dmft_solver_save(dmft_solver_t *s, const char *path) { return save_checkpoint(s, path); }

static int all_finished(const solve_t *s) {
  for (int g = 0; g < s->n_groups; g++)
    if (is_here(s, g) && s->runs[g].state != DMFT__GROUP_FINISHED) return 0;
  return 1;
}

/* Under MPI: each group's outputs from the rank holding its first leaf to every rank, so that
 * every rank reduces the same numbers in the same order (and rank 0 writes them). The work
 * counters are summed over the ranks first: each counted its own paths. */
static void gather_groups(solve_t *s) {
  if (dmft__ranks_spread_size(s->spread) == 1) return;
  long long counters[2] = {0, 0};
  for (int g = 0; g < s->n_groups; g++)
    if (is_here(s, g)) {
      counters[0] += s->outputs[g].path_updates;
      counters[1] += s->outputs[g].path_checks;
    }
  dmft__ranks_all_sum_long(counters, 2);
  for (int g = 0; g < s->n_groups; g++) {
    int root = s->places[g].root;
    group_output_regions(&s->outputs[g], s->r, &s->runs[g].diverged_step, broadcast_region, &root);
    s->outputs[g].path_updates = g == 0 ? counters[0] : 0;
    s->outputs[g].path_checks = g == 0 ? counters[1] : 0;
  }
}

int dmft_solver_advance(dmft_solver_t *s, long until, volatile int *stop, double max_seconds) {
  /* The groups are the parallelism; BLAS calls inside them run on their own thread (OpenBLAS's
   * own threads on top of ours made a poisson solve three times slower, measured). */
  const int blas_threads = openblas_get_num_threads();
  openblas_set_num_threads(1);
  s->stop_now = 0;
  s->progress.stop = &s->stop_now;
  s->progress.user_stop = stop;
  s->progress.deadline = max_seconds > 0 ? dmft__seconds_now() + max_seconds : 0.0;
  run_round(s, until, &s->progress, &s->stop_now);
  openblas_set_num_threads(blas_threads);
  for (int g = 0; g < s->n_groups; g++) {
    const group_run_t *run = &s->runs[g];
    if (!is_here(s, g)) continue;
    const int reached = run->state == DMFT__GROUP_FINISHED ||
                        (run->state == DMFT__GROUP_MARCHING && dmft__march_next_step(run->march) > until);
    if (!reached) return DMFT_EINTERRUPTED;
  }
  return DMFT_OK;
}

int dmft_solver_result(dmft_solver_t *s, dmft_result_t **result) {
  *result = NULL;
  const int finished = all_finished(s);
  if (dmft__ranks_spread_size(s->spread) > 1 ? dmft__ranks_all_min(finished) == 0 : !finished) return DMFT_EINVAL;
  gather_groups(s);
  dmft_result_t *r = s->r;
  const group_output_t *outputs = s->outputs;
  const int n_groups = s->n_groups;
  const dmft__engine_t *engine = s->engine;
  int status = DMFT_OK;
  long first_diverged_step = -1;
  r->rows_done = r->rows;
  for (int g = 0; g < n_groups; g++) {
    if (outputs[g].status != DMFT_OK && outputs[g].status != DMFT_EDIVERGED && status == DMFT_OK) status = outputs[g].status;
    if (outputs[g].rows_done < r->rows_done) r->rows_done = outputs[g].rows_done;
    r->path_updates += outputs[g].path_updates;
    r->path_checks += outputs[g].path_checks;
    const long diverged_step = s->runs[g].diverged_step;
    if (diverged_step >= 0 && (first_diverged_step < 0 || diverged_step < first_diverged_step)) first_diverged_step = diverged_step;
  }
  if (status != DMFT_OK) return status;
  if (first_diverged_step >= 0) {
    r->diverged_at = (double)first_diverged_step * s->problem->dt;
    status = DMFT_EDIVERGED;
  }
  const size_t rows = (size_t)r->rows, kk = (size_t)(r->k * r->k), kks = (size_t)(r->k * r->kstar);
  REDUCE_FIELD(M, rows * kks);
  REDUCE_FIELD(Q, rows * kk);
  REDUCE_FIELD(train_loss, rows);
  REDUCE_FIELD(test_loss, rows);
  if (r->test_metric) REDUCE_FIELD(test_metric, rows);
  REDUCE_FIELD(C, rows * rows * kk);
  REDUCE_FIELD(R, rows * rows * kk);
  REDUCE_FIELD(Cl, rows * rows * kk);
  REDUCE_FIELD(Rl, rows * rows * kk);
  REDUCE_FIELD(Gamma, rows * kks);
  if (r->classes > 0) {
    REDUCE_FIELD(M_sigma, rows * kks);
    REDUCE_FIELD(Q_sigma, rows * kk);
    REDUCE_FIELD(class_M, rows * (size_t)r->classes * kks);
    REDUCE_FIELD(class_Q, rows * (size_t)r->classes * kk);
  }
  if (s->problem->keep_group_values && keep_groups(r, outputs, n_groups) != DMFT_OK) return DMFT_ENOMEM;
  if (dmft_result_cut_at_non_finite(r, 1)) status = DMFT_EDIVERGED;
  *result = r;
  s->r = NULL; /* the caller's now */
  return status;
}

void dmft_solver_free(dmft_solver_t **solver) {
  solve_t *s = *solver;
  if (!s) return;
  for (int g = 0; s->runs && g < s->n_groups; g++) dmft__march_free(&s->runs[g].march);
  for (int g = 0; s->outputs && g < s->n_groups; g++) group_output_free(&s->outputs[g]);
  free(s->runs);
  free(s->outputs);
  free(s->report);
  dmft__coefficients_free(&s->coefficients_storage);
  dmft__group_places_free(&s->places, s->n_groups);
  dmft_result_free(&s->r);
  free(s);
  *solver = NULL;
}

int dmft_solve_checkpointed(const dmft_problem_t *problem, dmft_progress_fn progress, void *user,
                            const dmft_checkpoint_options_t *options, dmft_result_t **result) {
  *result = NULL;
  /* The linear model's one-time equations: seconds even for 10^6 steps, nothing to checkpoint. */
  if (problem->engine_volterra) return dmft_volterra_solve(problem, progress, user, result);
  dmft_solver_t *solver = NULL;
  int status = dmft_solver_create(problem, progress, user, &solver);
  if (status == DMFT_OK && options && options->resume)
    status = dmft_solver_load(solver, options->resume, options->message, options->message_size);
  /* Rounds until every group has finished: a round ends early when a checkpoint is due (every
   * every_seconds) or the caller asks to stop; the state is saved, and the next round continues
   * the same marches, so the numbers are those of an uninterrupted run. */
  const int checkpointing = options && options->path;
  volatile int *stop = options ? options->stop : NULL;
  const long end = status == DMFT_OK ? dmft_solver_steps(solver) : 0;
  /* Under MPI the ranks decide together: a round is over for all when it is over for each, and
   * a stop on any rank stops all (so that every rank saves at the same round). */
  const int together = solver && dmft__ranks_spread_size(solver->spread) > 1;
  if (together) status = dmft_ranks_agree_status(status);
  while (status == DMFT_OK) {
    int reached = dmft_solver_advance(solver, end, stop, checkpointing ? options->every_seconds : 0.0);
    if (together) reached = dmft_ranks_agree_status(reached);
    if (reached == DMFT_OK) break;
    const int stopped = together ? dmft__ranks_all_max(stop && *stop) : stop && *stop;
    if (!checkpointing) {
      status = DMFT_EINTERRUPTED; /* only a stop ends an advance early without checkpoints */
    } else if (dmft_solver_save(solver, options->path) != DMFT_OK) {
      status = DMFT_EIO;
      if (options->message) snprintf(options->message, options->message_size, "could not write the checkpoint %s", options->path);
    } else if (stopped) {
      status = DMFT_EINTERRUPTED;
    }
  }
  if (status == DMFT_OK) status = dmft_solver_result(solver, result);
  dmft_solver_free(&solver);
  return status;
}

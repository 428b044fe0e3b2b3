/* The exact Gaussian engine: gradient flow on a quadratic loss of a linear student.
 *
 * With deterministic increments and grad l(xi, y) = H xi - b y (H, b constant), the sample
 * process is linear in the Gaussian field w and in the label y:
 *   xi_k = sum_{j<=k} P(k,j) w_j + p_k y,  P(k,k) = I,
 *   P(k,j) = -c sum_{j<=m<k} R(k,m) H P(m,j),  p_k = c sum_{m<k} R(k,m) (b - H p_m),
 * with c = etabar dt. Its moments then follow from C, M and the two label moments E[y^2] and
 * E[w* y], whatever the teacher (the label enters linearly; E[w_j y] = M(j) E[w* y] / teacher_var
 * because w_j given w* is Gaussian with mean M(j) w* / teacher_var). No Monte Carlo: every
 * kernel is exact up to rounding, in O(K^3) for the whole run instead of O(K^2) per path, and
 * the standard errors are zero. P is the dense engine's pathwise tangent T, here the same for
 * every path. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gauss_hermite.h"
#include "replica.h"

typedef struct {
  double *P, *V;   /* packed lower blocks over steps */
  double *p, *r;   /* [K+1][k]: label coefficient, sum_j P(k,j) E[w_j y] */
  double *H, *b;   /* grad l = H xi - b y */
  double *work, *covariance_kl, *label_cross;
  double label_second_moment;  /* E[y^2] */
  double *label_teacher_moment; /* E[w* y], [k*] */
} gaussian_state_t;

static int applies(const dmft_problem_t *problem) {
  /* A sampled parameter side brings Monte Carlo noise: then the groups of a sampling engine are
   * needed for the error bars. */
  return problem->noise->is_deterministic && dmft_model_hessian_is_constant(&problem->model) &&
         problem->model.kstar + (problem->model.label_noise > 0) <= 4 && !dmft_problem_parameter_side_is_sampled(problem);
}

static double gaussian_bytes(const dmft_problem_t *problem, long paths) {
  (void)paths;
  const double steps = (double)dmft_problem_steps(problem) + 1.0, k = problem->model.k;
  return 8.0 * (steps * (steps + 1.0) * k * k + 2.0 * steps * k);
}

/* What steps change: the packed P and V and the label coefficients; the rest is made by create. */
static void gaussian_regions(const dmft__replica_t *replica, void *opaque, dmft__region_fn visit, void *user) {
  gaussian_state_t *state = opaque;
  const int k = replica->problem->model.k;
  const size_t kk = (size_t)(k * k), steps = (size_t)replica->steps + 1;
  visit(user, state->P, sizeof(double) * dmft__packed_block((long)steps, 0) * kk);
  visit(user, state->V, sizeof(double) * dmft__packed_block((long)steps, 0) * kk);
  visit(user, state->p, sizeof(double) * steps * (size_t)k);
  visit(user, state->r, sizeof(double) * steps * (size_t)k);
}

static void gaussian_destroy(void **opaque) {
  gaussian_state_t *state = *opaque;
  if (!state) return;
  free(state->P);
  free(state->V);
  free(state->p);
  free(state->r);
  free(state->H);
  free(state->b);
  free(state->work);
  free(state->covariance_kl);
  free(state->label_cross);
  free(state->label_teacher_moment);
  free(state);
  *opaque = NULL;
}

/* E[y^2] and E[w* y] by a tensor Gauss–Hermite rule over w* ~ N(0, teacher_var I) and eps.
 * 40 nodes a dimension integrate the smooth teachers to rounding; for sign and relu teachers
 * (kinks) the error is far below the solver's other errors at this node count. */
static int label_moments(const dmft_problem_t *problem, gaussian_state_t *state) {
  const dmft_model_t *model = &problem->model;
  const int kstar = model->kstar, dims = kstar + (model->label_noise > 0);
  enum { NODES = 40 };
  double nodes[NODES], weights[NODES];
  int status = dmft__gauss_hermite(NODES, nodes, weights);
  if (status != 0) return status;
  long points = 1;
  for (int d = 0; d < dims; d++) points *= NODES;
  int index[5] = {0};
  double wstar[4];
  const double teacher_sd = sqrt(dmft_problem_field_teacher_var(problem));
  state->label_second_moment = 0.0;
  for (int b = 0; b < kstar; b++) state->label_teacher_moment[b] = 0.0;
  for (long point = 0; point < points; point++) {
    double weight = 1.0;
    for (int d = 0; d < dims; d++) weight *= weights[index[d]];
    for (int b = 0; b < kstar; b++) wstar[b] = teacher_sd * nodes[index[b]];
    const double eps = dims > kstar ? nodes[index[kstar]] : 0.0;
    /* The flip of a sign teacher's label: y^2 = 1 either way, and E[w* y] shrinks by 1 - 2p. */
    const double y = dmft_model_label(model, wstar, eps, 1.0);
    state->label_second_moment += weight * y * y;
    for (int b = 0; b < kstar; b++)
      state->label_teacher_moment[b] += weight * wstar[b] * y * (model->teacher->is_sign ? 1.0 - 2.0 * model->flip_prob : 1.0);
    for (int d = 0; d < dims && ++index[d] == NODES; d++) index[d] = 0;
  }
  return 0;
}

static int gaussian_create(const dmft__replica_t *replica, void **opaque) {
  const dmft_problem_t *problem = replica->problem;
  const int k = problem->model.k, kstar = problem->model.kstar;
  const size_t kk = (size_t)(k * k), steps = (size_t)replica->steps + 1;
  gaussian_state_t *state = calloc(1, sizeof *state);
  *opaque = state;
  if (!state) return DMFT_ENOMEM;
  state->P = calloc(dmft__packed_block((long)steps, 0) * kk, sizeof(double));
  state->V = calloc(dmft__packed_block((long)steps, 0) * kk, sizeof(double));
  state->p = calloc(steps * (size_t)k, sizeof(double));
  state->r = calloc(steps * (size_t)k, sizeof(double));
  state->H = malloc(sizeof(double) * kk);
  state->b = malloc(sizeof(double) * (size_t)k);
  state->work = malloc(sizeof(double) * (kk + (size_t)(k * kstar) + (size_t)k));
  state->covariance_kl = malloc(sizeof(double) * kk);
  state->label_cross = malloc(sizeof(double) * (size_t)k);
  state->label_teacher_moment = malloc(sizeof(double) * (size_t)kstar);
  if (!state->P || !state->V || !state->p || !state->r || !state->H || !state->b || !state->work ||
      !state->covariance_kl || !state->label_cross || !state->label_teacher_moment)
    return DMFT_ENOMEM;
  double *zero = state->work;
  memset(zero, 0, sizeof(double) * (size_t)k);
  dmft_model_hessian(&problem->model, zero, 0.0, state->H);
  dmft_model_gradient(&problem->model, zero, 1.0, state->b);
  for (int a = 0; a < k; a++) state->b[a] = -state->b[a];
  return label_moments(problem, state);
}

/* E[xi_k y] = r_k + p_k E[y^2]. */
static void label_cross_moment(const gaussian_state_t *state, int k, long step, double *out) {
  for (int a = 0; a < k; a++)
    out[a] = state->r[(size_t)step * (size_t)k + a] + state->p[(size_t)step * (size_t)k + a] * state->label_second_moment;
}

static int gaussian_step(dmft__replica_t *replica, void *opaque, long step) {
  gaussian_state_t *state = opaque;
  dmft__kernels_t *kernels = &replica->kernels;
  const int k = kernels->k, kstar = kernels->kstar;
  const size_t kk = (size_t)(k * k), kks = (size_t)(k * kstar);
  const double c = replica->coefficients->step_size[step], teacher_var = dmft_problem_field_teacher_var(replica->problem);
  double *HP = state->work;

  /* Row `step` of P and p. */
  double *own = dmft__block(state->P, step, step, k);
  memset(own, 0, sizeof(double) * kk);
  for (int a = 0; a < k; a++) own[a * k + a] = 1.0;
  for (long j = 0; j < step; j++) {
    double *P_kj = dmft__block(state->P, step, j, k);
    memset(P_kj, 0, sizeof(double) * kk);
    for (long m = j; m < step; m++) {
      memset(HP, 0, sizeof(double) * kk);
      dmft__block_gemm(k, k, k, 1.0, state->H, 0, dmft__block(state->P, m, j, k), 0, HP);
      dmft__block_gemm(k, k, k, -c, dmft__block(kernels->R, step, m, k), 0, HP, 0, P_kj);
    }
  }
  double *p_k = state->p + (size_t)step * (size_t)k;
  memset(p_k, 0, sizeof(double) * (size_t)k);
  for (long m = 0; m < step; m++) {
    double *source = HP;
    for (int a = 0; a < k; a++) source[a] = state->b[a];
    dmft__block_gemm(k, k, 1, -1.0, state->H, 0, state->p + (size_t)m * (size_t)k, 0, source);
    dmft__block_gemm(k, k, 1, c, dmft__block(kernels->R, step, m, k), 0, source, 0, p_k);
  }

  /* r_k = sum_j P(k,j) M(j) E[w* y] / teacher_var and V(k,j') = sum_j P(k,j) C(j,j'). */
  double *r_k = state->r + (size_t)step * (size_t)k;
  memset(r_k, 0, sizeof(double) * (size_t)k);
  double *teacher_cross = kernels->wstar_moment + (size_t)step * kks; /* E[xi_k w*^T] first */
  memset(teacher_cross, 0, sizeof(double) * kks);
  for (long j = 0; j <= step; j++) {
    const double *P_kj = dmft__block(state->P, step, j, k);
    dmft__block_gemm(k, k, kstar, 1.0, P_kj, 0, kernels->M + (size_t)j * kks, 0, teacher_cross);
  }
  dmft__block_gemm(k, kstar, 1, 1.0 / teacher_var, teacher_cross, 0, state->label_teacher_moment, 0, r_k);
  for (long j2 = 0; j2 <= step; j2++) {
    double *V_kj2 = dmft__block(state->V, step, j2, k);
    memset(V_kj2, 0, sizeof(double) * kk);
    for (long j = 0; j <= step; j++) {
      const double *C_block;
      double *transposed = HP;
      if (j >= j2) C_block = dmft__block(kernels->C, j, j2, k);
      else {
        const double *stored = dmft__block(kernels->C, j2, j, k);
        for (int a = 0; a < k; a++)
          for (int b2 = 0; b2 < k; b2++) transposed[a * k + b2] = stored[b2 * k + a];
        C_block = transposed;
      }
      dmft__block_gemm(k, k, k, 1.0, dmft__block(state->P, step, j, k), 0, C_block, 0, V_kj2);
    }
  }

  /* Cl(k,l) = c^2 E[(H xi_k - b y)(H xi_l - b y)^T] and Rl(k,l) = c H P(k,l), l <= k. */
  double *cross_k = state->label_cross;
  label_cross_moment(state, k, step, cross_k);
  for (long l = 0; l <= step; l++) {
    double *X = state->covariance_kl;
    memset(X, 0, sizeof(double) * kk);
    for (long j2 = 0; j2 <= l; j2++)
      dmft__block_gemm(k, k, k, 1.0, dmft__block(state->V, step, j2, k), 0, dmft__block(state->P, l, j2, k), 1, X);
    const double *r_l = state->r + (size_t)l * (size_t)k, *p_l = state->p + (size_t)l * (size_t)k;
    for (int a = 0; a < k; a++)
      for (int b2 = 0; b2 < k; b2++)
        X[a * k + b2] += r_k[a] * p_l[b2] + p_k[a] * r_l[b2] + state->label_second_moment * p_k[a] * p_l[b2];
    if (l == step && replica->report[step]) {
      double loss = 0.5 * state->label_second_moment;
      for (int a = 0; a < k; a++) {
        for (int b2 = 0; b2 < k; b2++) loss += 0.5 * state->H[a * k + b2] * X[b2 * k + a];
        loss -= state->b[a] * cross_k[a];
      }
      kernels->train_loss[step] = loss;
    }
    double cross_l[16];
    label_cross_moment(state, k, l, cross_l);
    double *Cl = dmft__block(kernels->Cl, step, l, k);
    memset(HP, 0, sizeof(double) * kk);
    dmft__block_gemm(k, k, k, 1.0, state->H, 0, X, 0, HP);
    dmft__block_gemm(k, k, k, c * c, HP, 0, state->H, 1, Cl);
    for (int a = 0; a < k; a++) {
      double H_cross_k = 0.0;
      for (int b2 = 0; b2 < k; b2++) H_cross_k += state->H[a * k + b2] * cross_k[b2];
      for (int b2 = 0; b2 < k; b2++) {
        double H_cross_l_b = 0.0;
        for (int e = 0; e < k; e++) H_cross_l_b += state->H[b2 * k + e] * cross_l[e];
        Cl[a * k + b2] += c * c * (-H_cross_k * state->b[b2] - state->b[a] * H_cross_l_b +
                                   state->label_second_moment * state->b[a] * state->b[b2]);
      }
    }
    dmft__block_gemm(k, k, k, c, state->H, 0, dmft__block(state->P, step, l, k), 0, dmft__block(kernels->Rl, step, l, k));
  }

  /* E[dG_k w*^T] = c (H E[xi_k w*^T] - b E[y w*]^T), E[xi_k w*^T] = sum_j P(k,j) M(j) + p_k E[y w*]^T. */
  for (int a = 0; a < k; a++)
    for (int b2 = 0; b2 < kstar; b2++) teacher_cross[a * kstar + b2] += p_k[a] * state->label_teacher_moment[b2];
  double *moment = HP;
  memset(moment, 0, sizeof(double) * kks);
  dmft__block_gemm(k, k, kstar, c, state->H, 0, teacher_cross, 0, moment);
  for (int a = 0; a < k; a++)
    for (int b2 = 0; b2 < kstar; b2++) moment[a * kstar + b2] -= c * state->b[a] * state->label_teacher_moment[b2];
  memcpy(teacher_cross, moment, sizeof(double) * kks);
  return DMFT_OK;
}

const dmft__engine_t dmft__engine_gaussian = {
    .name = "gaussian",
    .is_exact = 1,
    .applies = applies,
    .bytes = gaussian_bytes,
    .regions = gaussian_regions,
    .create = gaussian_create,
    .step = gaussian_step,
    .destroy = gaussian_destroy,
};

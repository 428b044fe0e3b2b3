/* The one-pass (online) limit of SGD: ordinary differential equations for the overlaps, solved
 * with SUNDIALS CVODE (see dmft/online.h for the equations). */
#include "dmft/online.h"

#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "dmft/test_loss.h"

typedef struct {
  const dmft_problem_t *problem;
  dmft_test_loss_t *rule;
  int k, kstar;
  double h;          /* per-sample step etabar / kappabar */
  double decay_rate; /* ridge per unit tau: etabar ridge / (kappabar gamma) */
  /* accumulators of one right-hand side */
  double *teacher_drift;  /* E[grad w*^T], k x k* */
  double *field_drift;    /* E[xi grad^T], k x k */
  double *noise;          /* E[grad grad^T], k x k */
  double *gradient, *Q, *M;
  double explosion; /* a diagonal entry of Q beyond this is a divergence */
} online_t;

/* Beyond this factor over the starting scale the norm has exploded (as in the DMFT solver). */
#define ONLINE_EXPLOSION_FACTOR 1e8
/* Systems larger than this (k = k* = 5 and up) are stepped by Adams with fixed-point iterations:
 * BDF's dense Jacobian costs one right-hand side per unknown, each a 65536-point expectation,
 * and k = k* = 16 (512 unknowns) took 58 s to tmax 0.2 (Adams: 3 s, the same M and Q to 1e-9). */
#define ONLINE_BDF_MAX_UNKNOWNS 40

/* Adds weight * (the three moments) at one quadrature point, averaging a sign teacher's flips. */
static void moments(const double *xi, const double *wstar, double eps, double weight, void *user) {
  online_t *o = user;
  const dmft_model_t *model = &o->problem->model;
  const double label = dmft_model_label(model, wstar, eps, 1.0); /* 1.0: never flipped */
  const int flips = model->teacher->is_sign && model->flip_prob > 0;
  for (int f = 0; f <= flips; f++) {
    const double w = weight * (flips ? (f ? model->flip_prob : 1.0 - model->flip_prob) : 1.0);
    dmft_model_gradient(model, xi, f ? -label : label, o->gradient);
    for (int a = 0; a < o->k; a++) {
      for (int b = 0; b < o->kstar; b++) o->teacher_drift[a * o->kstar + b] += w * o->gradient[a] * wstar[b];
      for (int b = 0; b < o->k; b++) {
        o->field_drift[a * o->k + b] += w * xi[a] * o->gradient[b];
        o->noise[a * o->k + b] += w * o->gradient[a] * o->gradient[b];
      }
    }
  }
}

/* y = (M, Q) row-major; dy/dtau from the moments at (Q, M). */
static int right_hand_side(sunrealtype tau, N_Vector y, N_Vector dy, void *user) {
  (void)tau;
  online_t *o = user;
  const int k = o->k, kstar = o->kstar, km = k * kstar, kq = k * k;
  const double *state = N_VGetArrayPointer(y);
  double *rate = N_VGetArrayPointer(dy);
  memcpy(o->M, state, sizeof(double) * (size_t)km);
  for (int a = 0; a < k; a++) /* symmetrize: the integrator need not keep Q exactly symmetric */
    for (int b = 0; b < k; b++) o->Q[a * k + b] = 0.5 * (state[km + a * k + b] + state[km + b * k + a]);
  memset(o->teacher_drift, 0, sizeof(double) * (size_t)km);
  memset(o->field_drift, 0, sizeof(double) * (size_t)kq);
  memset(o->noise, 0, sizeof(double) * (size_t)kq);
  dmft_test_loss_expect(o->rule, o->Q, o->M, moments, o);
  for (int i = 0; i < km; i++) rate[i] = -o->h * o->teacher_drift[i] - o->decay_rate * o->M[i];
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++)
      rate[km + a * k + b] = -o->h * (o->field_drift[a * k + b] + o->field_drift[b * k + a]) + o->h * o->h * o->noise[a * k + b] -
                             2.0 * o->decay_rate * o->Q[a * k + b];
  for (int i = 0; i < km + kq; i++)
    if (!isfinite(rate[i])) return 1; /* recoverable: CVODE retries with a smaller step */
  return 0;
}

/* CVODE's own messages would add lines to the one dmft prints for the same failure. */
static void quiet_errors(int code, const char *module, const char *function, char *text, void *user) {
  (void)code, (void)module, (void)function, (void)text, (void)user;
}

/* Zero where the largest diagonal entry of Q reaches the explosion level: CVODE stops there. */
static int explosion_root(sunrealtype tau, N_Vector y, sunrealtype *g, void *user) {
  (void)tau;
  const online_t *o = user;
  const double *state = N_VGetArrayPointer(y);
  double largest = 0.0;
  for (int a = 0; a < o->k; a++) largest = fmax(largest, fabs(state[o->k * o->kstar + a * o->k + a]));
  g[0] = isfinite(largest) ? o->explosion - largest : -1.0;
  return 0;
}

int dmft_online_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result,
                      char *message, size_t size) {
  *result = NULL;
  if (!problem->model.regularizer->is_zero) {
    /* With rho the drift of Q needs E[theta rho'(theta)], not a function of M and Q: the
     * equations do not close. */
    snprintf(message, size, "--regularizer %s: the online equations for M and Q close only with ridge alone (use none)",
             problem->model.regularizer->name);
    return DMFT_EINVAL;
  }
  const int k = problem->model.k, kstar = problem->model.kstar, km = k * kstar, kq = k * k;
  const double scale = problem->kappa * problem->gamma; /* tau = kappa gamma t */
  online_t o = {.problem = problem, .k = k, .kstar = kstar, .h = problem->eta / problem->kappa,
                .decay_rate = problem->eta * problem->ridge / scale};
  o.teacher_drift = malloc(sizeof(double) * (size_t)km);
  o.field_drift = malloc(sizeof(double) * (size_t)kq);
  o.noise = malloc(sizeof(double) * (size_t)kq);
  o.gradient = malloc(sizeof(double) * (size_t)k);
  o.Q = malloc(sizeof(double) * (size_t)kq);
  o.M = malloc(sizeof(double) * (size_t)km);
  dmft_result_t *r = dmft_result_alloc(problem);
  SUNContext context = NULL;
  N_Vector y = NULL;
  SUNMatrix matrix = NULL;
  SUNLinearSolver solver = NULL;
  SUNNonlinearSolver fixed_point = NULL;
  void *cvode = NULL;
  const int use_bdf = km + kq <= ONLINE_BDF_MAX_UNKNOWNS;
  int status = DMFT_ENOMEM;
  if (!o.teacher_drift || !o.field_drift || !o.noise || !o.gradient || !o.Q || !o.M || !r ||
      dmft_test_loss_create(&problem->model, problem->teacher_var, problem->seed, 0, &o.rule) != DMFT_OK)
    goto done;
  if (SUNContext_Create(NULL, &context) != 0) goto done;
  y = N_VNew_Serial(km + kq, context);
  if (use_bdf) {
    matrix = y ? SUNDenseMatrix(km + kq, km + kq, context) : NULL;
    solver = matrix ? SUNLinSol_Dense(y, matrix, context) : NULL;
  } else {
    fixed_point = y ? SUNNonlinSol_FixedPoint(y, 0, context) : NULL;
  }
  cvode = CVodeCreate(use_bdf ? CV_BDF : CV_ADAMS, context);
  if (!y || (use_bdf ? !solver : !fixed_point) || !cvode) goto done;
  /* Initial overlaps as the solver takes them: theta_0 = m0 theta* + sqrt(v0) g. */
  double *state = N_VGetArrayPointer(y);
  memset(state, 0, sizeof(double) * (size_t)(km + kq));
  for (int a = 0; a < k; a++) {
    if (a < kstar) state[a * kstar + a] = problem->init_overlap * problem->teacher_var;
    state[km + a * k + a] = problem->theta0_var + problem->init_overlap * problem->init_overlap * problem->teacher_var;
  }
  o.explosion = ONLINE_EXPLOSION_FACTOR * (1.0 + problem->theta0_var + problem->teacher_var * (1.0 + problem->init_overlap *
                                                                                                  problem->init_overlap));
  status = DMFT_EINVAL;
  if (CVodeInit(cvode, right_hand_side, 0.0, y) != CV_SUCCESS || CVodeSStolerances(cvode, 1e-9, 1e-11) != CV_SUCCESS ||
      CVodeSetUserData(cvode, &o) != CV_SUCCESS ||
      (use_bdf ? CVodeSetLinearSolver(cvode, solver, matrix) : CVodeSetNonlinearSolver(cvode, fixed_point)) != CV_SUCCESS ||
      CVodeRootInit(cvode, 1, explosion_root) != CV_SUCCESS || CVodeSetErrHandlerFn(cvode, quiet_errors, NULL) != CV_SUCCESS ||
      CVodeSetMaxNumSteps(cvode, 100000) != CV_SUCCESS) {
    snprintf(message, size, "CVODE could not be set up");
    goto done;
  }
  r->groups = 1;
  for (long row = 0; row < r->rows; row++) {
    const double tau = scale * r->t[row];
    sunrealtype reached = 0.0;
    const int step = row > 0 ? CVode(cvode, tau, y, &reached, CV_NORMAL) : CV_SUCCESS;
    if (step == CV_ROOT_RETURN) {
      snprintf(message, size, "the online equations diverged at t = %g (tau = %g): the norm Q grew %g times beyond its "
               "scale", reached / scale, reached, ONLINE_EXPLOSION_FACTOR);
      r->diverged_at = reached / scale;
      status = DMFT_EDIVERGED;
      break;
    }
    if (step < 0) {
      snprintf(message, size, "CVODE failed at t = %g (tau = %g): the online equations diverged or are too stiff", r->t[row],
               tau);
      r->diverged_at = r->t[row];
      status = DMFT_EDIVERGED;
      break;
    }
    memcpy(r->M + row * km, state, sizeof(double) * (size_t)km);
    memcpy(r->Q + row * kq, state + km, sizeof(double) * (size_t)kq);
    /* One pass: every sample is fresh, so the train loss is the test loss. */
    r->test_loss[row] = r->train_loss[row] = dmft_test_loss_evaluate(o.rule, r->Q + row * kq, r->M + row * km);
    r->rows_done = row + 1;
    if (progress) progress((double)(row + 1) / (double)r->rows, user);
  }
  if (status != DMFT_EDIVERGED) status = DMFT_OK;
done:
  if (status == DMFT_ENOMEM) snprintf(message, size, "out of memory");
  CVodeFree(&cvode);
  SUNLinSolFree(solver);
  SUNNonlinSolFree(fixed_point);
  SUNMatDestroy(matrix);
  N_VDestroy(y);
  SUNContext_Free(&context);
  dmft_test_loss_free(&o.rule);
  free(o.teacher_drift);
  free(o.field_drift);
  free(o.noise);
  free(o.gradient);
  free(o.Q);
  free(o.M);
  if (status == DMFT_OK || status == DMFT_EDIVERGED) *result = r;
  else dmft_result_free(&r);
  return status;
}

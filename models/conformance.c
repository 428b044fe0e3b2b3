/* The conformance checks every component must pass, built-in or plugin (dmft_plugin_check).
 *
 * Derivatives are checked against central differences with step 1e-5 on a grid of points, at
 * the default parameters: the difference quotient's error is O(1e-10) for O(1) third
 * derivatives plus rounding O(eps |f| / step), which is taken off, so a tolerance of
 * 1e-6 (1 + |derivative|) catches any wrong factor while passing every correct smooth function.
 * A point where the one-sided quotients differ by more than 1e-3 is a kink: there the derivative is not checked, and a
 * kink of the value (the slope jumps) is only allowed where slope_is_continuous is 0. Then
 * every component runs through a short solve next to built-in ones, which must finish with
 * finite numbers. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dmft/plugin.h"
#include "dmft/problem.h"
#include "dmft/solver.h"
#include "dmft/status.h"

#define STEP 1e-5
#define TOLERANCE 1e-6
#define KINK 1e-3

typedef double (*scalar_fn)(double x, double y, const double *params, const void *component);

typedef struct {
  dmft_check_report_t report;
  void *user;
  int failures;
  double step; /* of the finite differences */
} checker_t;

static void outcome(checker_t *checker, int passed, const char *description) {
  if (!passed) checker->failures++;
  if (checker->report) checker->report(checker->user, passed, description);
}

/* Worst mismatch of `derivative` against the central difference of `function` over the grid;
 * *kink_at is set to a point where `function` has a kink (NAN if none). */
static double derivative_error(scalar_fn function, scalar_fn derivative, const double *xs, int nx, const double *ys, int ny,
                               const double *params, const void *component, double step, double *kink_at, int *finite) {
  double worst = 0.0;
  *kink_at = NAN;
  *finite = 1;
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++) {
      const double x = xs[i], y = ys[j];
      const double here = function(x, y, params, component), plus = function(x + step, y, params, component);
      const double minus = function(x - step, y, params, component), analytic = derivative(x, y, params, component);
      if (!isfinite(here) || !isfinite(plus) || !isfinite(minus) || !isfinite(analytic)) {
        *finite = 0;
        continue;
      }
      const double forward = (plus - here) / step, backward = (here - minus) / step;
      if (fabs(forward - backward) > KINK * (1.0 + fabs(forward) + fabs(backward))) {
        *kink_at = x;
        continue;
      }
      /* The quotient carries the rounding of the values, about eps |f| / step: a function of
       * size 1e6 (a large --model-param weight) has quotients 1e-5 off however right its
       * derivative is. That part is taken off before the mismatch is weighed. */
      const double rounding = 8.0 * DBL_EPSILON * fmax(fabs(here), fmax(fabs(plus), fabs(minus))) / step;
      const double error = fmax(0.0, fabs(analytic - 0.5 * (forward + backward)) - rounding) / (1.0 + fabs(analytic));
      if (error > worst) worst = error;
    }
  return worst;
}

/* Adapters from each kind of component to scalar functions of (x, y). */
static double activation_value(double x, double y, const double *p, const void *c) { (void)y; return ((const dmft_activation_t *)c)->value(x, p); }
static double activation_slope(double x, double y, const double *p, const void *c) { (void)y; return ((const dmft_activation_t *)c)->slope(x, p); }
static double activation_curvature(double x, double y, const double *p, const void *c) { (void)y; return ((const dmft_activation_t *)c)->curvature(x, p); }
static double loss_value(double f, double y, const double *p, const void *c) { return ((const dmft_loss_t *)c)->value(f, y, p); }
static double loss_slope(double f, double y, const double *p, const void *c) { return ((const dmft_loss_t *)c)->slope(f, y, p); }
static double loss_curvature(double f, double y, const double *p, const void *c) { return ((const dmft_loss_t *)c)->curvature(f, y, p); }
static double regularizer_value(double t, double y, const double *p, const void *c) { (void)y; return ((const dmft_regularizer_t *)c)->value(t, p); }
static double regularizer_slope(double t, double y, const double *p, const void *c) { (void)y; return ((const dmft_regularizer_t *)c)->slope(t, p); }
static double regularizer_curvature(double t, double y, const double *p, const void *c) { (void)y; return ((const dmft_regularizer_t *)c)->curvature(t, p); }

static void defaults(const dmft_model_param_t *specs, int count, double *values) {
  memset(values, 0, sizeof(double) * DMFT_MAX_PARAMS);
  for (int i = 0; i < count; i++) values[i] = specs[i].default_value;
}

/* Value, slope and curvature of a scalar component: finite, consistent, kinks as declared. */
static void check_scalar(checker_t *checker, const char *what, scalar_fn value, scalar_fn slope, scalar_fn curvature,
                         const double *ys, int ny, const double *params, const void *component, int slope_is_continuous) {
  double xs[33];
  for (int i = 0; i < 33; i++) xs[i] = -4.0 + 0.25 * i + 0.0123; /* off the usual kinks at 0 and +-1 */
  char line[256];
  double kink;
  int finite;
  const double slope_error = derivative_error(value, slope, xs, 33, ys, ny, params, component, checker->step, &kink, &finite);
  snprintf(line, sizeof line, "%s: value and slope are finite on [-4, 4]", what);
  outcome(checker, finite, line);
  snprintf(line, sizeof line, "%s: slope matches finite differences of the value (worst relative error %.1e)", what, slope_error);
  outcome(checker, slope_error <= TOLERANCE, line);
  if (slope_is_continuous) {
    snprintf(line, sizeof line, "%s: declares a continuous slope%s", what, isnan(kink) ? "" : " but its value has a kink");
    if (!isnan(kink)) snprintf(line + strlen(line), sizeof line - strlen(line), " near %g", kink);
    outcome(checker, isnan(kink), line);
  }
  const double curvature_error = derivative_error(slope, curvature, xs, 33, ys, ny, params, component, checker->step, &kink, &finite);
  snprintf(line, sizeof line, "%s: curvature is finite and matches finite differences of the slope (worst relative error %.1e)",
           what, curvature_error);
  outcome(checker, finite && curvature_error <= TOLERANCE, line);
}

/* A short poisson solve with `model` (the default one with a component swapped in) must end with
 * finite numbers; the component's parameters are at their defaults. */
static void check_solve(checker_t *checker, const char *kind, const char *name, dmft_model_t model) {
  char what[128];
  snprintf(what, sizeof what, "%s %s", kind, name);
  dmft_model_reset_params(&model);
  dmft_problem_t problem;
  dmft_problem_set_defaults(&problem);
  problem.model = model;
  problem.tmax = 1.0;
  problem.dt = 0.1;
  problem.paths = 160;
  problem.threads = 1;
  char message[256] = "", line[512];
  if (dmft_problem_check(&problem, message, sizeof message) != DMFT_OK) {
    snprintf(line, sizeof line, "%s: a short SGD solve is refused: %s", what, message);
    outcome(checker, 0, line);
    return;
  }
  dmft_result_t *result = NULL;
  const int status = dmft_solve(&problem, NULL, NULL, &result);
  int finite = status == DMFT_OK && result;
  for (long i = 0; finite && i < result->rows_done; i++)
    finite = isfinite(result->M[i * model.k * model.kstar]) && isfinite(result->Q[i * model.k * model.k]) &&
             isfinite(result->train_loss[i]) && isfinite(result->test_loss[i]);
  snprintf(line, sizeof line, "%s: a short SGD solve (tmax 1, 160 paths) ends with finite M, Q and losses%s", what,
           status == DMFT_OK ? "" : status == DMFT_EDIVERGED ? " (it diverged)" : " (it failed)");
  outcome(checker, finite, line);
  dmft_result_free(&result);
}

static dmft_model_t default_model(void) {
  dmft_problem_t problem;
  dmft_problem_set_defaults(&problem);
  return problem.model;
}

typedef struct {
  char first_failure[256];
  int failures;
} first_failure_t;

static void keep_first(void *user, int passed, const char *description) {
  first_failure_t *state = user;
  if (passed || state->failures++ > 0) return;
  snprintf(state->first_failure, sizeof state->first_failure, "%s", description);
}

/* The three scalar checks of a model's components at its own parameters, with steps `step`. */
static int check_model_at(const dmft_model_t *model, double step, first_failure_t *first) {
  static const double labels[] = {-1.3, -0.2, 0.45, 1.1}, binary[] = {-1.0, 1.0}, none[] = {0.0};
  checker_t checker = {keep_first, first, 0, step};
  const dmft_activation_t *a = model->activation;
  const dmft_loss_t *l = model->loss;
  const dmft_regularizer_t *r = model->regularizer;
  char what[3][96];
  snprintf(what[0], sizeof what[0], "--activation %s", a->name);
  snprintf(what[1], sizeof what[1], "--loss %s", l->name);
  snprintf(what[2], sizeof what[2], "--regularizer %s", r->name);
  check_scalar(&checker, what[0], activation_value, activation_slope, activation_curvature, none, 1,
               model->activation_params, a, a->slope_is_continuous);
  check_scalar(&checker, what[1], loss_value, loss_slope, loss_curvature, l->needs_binary_labels ? binary : labels,
               l->needs_binary_labels ? 2 : 4, model->loss_params, l, l->slope_is_continuous);
  check_scalar(&checker, what[2], regularizer_value, regularizer_slope, regularizer_curvature, none, 1,
               model->regularizer_params, r, 1);
  return checker.failures;
}

int dmft_model_check_derivatives(const dmft_model_t *model, char *message, size_t size) {
  first_failure_t first = {"", 0};
  if (check_model_at(model, STEP, &first) == 0) return DMFT_OK;
  /* A parameter can make a correct function so sharp (a smoothing of 1e-6) that the difference
   * quotient's truncation error exceeds the tolerance. It shrinks as the step squared, a wrong
   * derivative does not: the check is repeated ten times finer, and only a failure that stays
   * is one. */
  first_failure_t finer = {"", 0};
  if (check_model_at(model, STEP / 10.0, &finer) == 0) return DMFT_OK;
  snprintf(message, size, "%s: this check fails at the chosen --model-param values", first.first_failure);
  return DMFT_EINVAL;
}

int dmft__plugin_check_first_failure(const dmft_plugin_t *plugin, char *first_failure, size_t size) {
  first_failure_t first = {"", 0};
  const int failures = dmft_plugin_check(plugin, keep_first, &first);
  snprintf(first_failure, size, "%s", first.first_failure);
  return failures;
}

int dmft_plugin_check(const dmft_plugin_t *plugin, dmft_check_report_t report, void *user) {
  checker_t checker = {report, user, 0, STEP};
  static const double labels[] = {-1.3, -0.2, 0.45, 1.1}, binary[] = {-1.0, 1.0}, none[] = {0.0};
  char what[128];
  for (int i = 0; i < plugin->activation_count; i++) {
    const dmft_activation_t *a = &plugin->activations[i];
    double params[DMFT_MAX_PARAMS];
    defaults(a->params, a->param_count, params);
    snprintf(what, sizeof what, "activation %s", a->name);
    check_scalar(&checker, what, activation_value, activation_slope, activation_curvature, none, 1, params, a,
                 a->slope_is_continuous);
    if (a->is_linear) {
      int identity = 1;
      for (double x = -3.0; x <= 3.0; x += 0.5) identity &= a->value(x, params) == x && a->slope(x, params) == 1.0 && a->curvature(x, params) == 0.0;
      snprintf(what, sizeof what, "activation %s: declared linear, and is the identity", a->name);
      outcome(&checker, identity, what);
    }
    dmft_model_t model = default_model();
    model.activation = a;
    check_solve(&checker, "activation", a->name, model);
  }
  for (int i = 0; i < plugin->loss_count; i++) {
    const dmft_loss_t *l = &plugin->losses[i];
    double params[DMFT_MAX_PARAMS];
    defaults(l->params, l->param_count, params);
    snprintf(what, sizeof what, "loss %s", l->name);
    check_scalar(&checker, what, loss_value, loss_slope, loss_curvature, l->needs_binary_labels ? binary : labels,
                 l->needs_binary_labels ? 2 : 4, params, l, l->slope_is_continuous);
    if (l->test_metric) {
      int finite = 1;
      for (double f = -4.0; f <= 4.0; f += 0.25)
        for (int j = 0; j < (l->needs_binary_labels ? 2 : 4); j++)
          finite &= isfinite(l->test_metric(f, (l->needs_binary_labels ? binary : labels)[j], params));
      snprintf(what, sizeof what, "loss %s: test metric '%s' is finite on [-4, 4]", l->name,
               l->test_metric_name ? l->test_metric_name : "(unnamed)");
      outcome(&checker, finite, what);
    }
    if (l->is_quadratic) {
      /* The exact engine takes a quadratic loss to be (f - y)^2 / 2 exactly. */
      int squared = 1;
      for (double f = -3.0; f <= 3.0; f += 0.5)
        squared &= fabs(l->slope(f, 0.3, params) - (f - 0.3)) < 1e-12 && fabs(l->curvature(f, 0.3, params) - 1.0) < 1e-12;
      snprintf(what, sizeof what, "loss %s: declared quadratic, and is (f - y)^2 / 2 in its derivatives", l->name);
      outcome(&checker, squared, what);
    }
    dmft_model_t model = default_model();
    model.loss = l;
    if (l->needs_binary_labels) model.teacher = dmft_teacher_find("sign");
    check_solve(&checker, "loss", l->name, model);
  }
  for (int i = 0; i < plugin->teacher_count; i++) {
    const dmft_teacher_t *t = &plugin->teachers[i];
    dmft_model_t model = default_model();
    model.teacher = t;
    model.kstar = t->min_kstar > 1 ? t->min_kstar : 1;
    model.label_noise = 0.3;
    dmft_model_reset_params(&model);
    int finite = 1;
    for (int kstar = model.kstar; kstar <= (t->max_kstar > 0 ? t->max_kstar : 3) && kstar <= 3; kstar++) {
      dmft_model_t wide = model;
      wide.kstar = kstar;
      for (int trial = 0; trial < 64; trial++) {
        double wstar[3];
        for (int b = 0; b < kstar; b++) wstar[b] = -3.0 + 0.37 * ((trial * (b + 3)) % 17);
        finite &= isfinite(dmft_model_label(&wide, wstar, -2.0 + 0.0625 * trial, 0.5));
      }
    }
    snprintf(what, sizeof what, "teacher %s: labels are finite for w* in [-3, 3]^k* and eps in [-2, 2]", t->name);
    outcome(&checker, finite, what);
    check_solve(&checker, "teacher", t->name, model);
  }
  for (int i = 0; i < plugin->regularizer_count; i++) {
    const dmft_regularizer_t *r = &plugin->regularizers[i];
    double params[DMFT_MAX_PARAMS];
    defaults(r->params, r->param_count, params);
    snprintf(what, sizeof what, "regularizer %s", r->name);
    check_scalar(&checker, what, regularizer_value, regularizer_slope, regularizer_curvature, none, 1, params, r, 1);
    if (r->is_zero) {
      int zero = 1;
      for (double t = -3.0; t <= 3.0; t += 0.5) zero &= r->value(t, params) == 0.0 && r->slope(t, params) == 0.0 && r->curvature(t, params) == 0.0;
      snprintf(what, sizeof what, "regularizer %s: declared zero, and is", r->name);
      outcome(&checker, zero, what);
    }
    dmft_model_t model = default_model();
    model.regularizer = r;
    check_solve(&checker, "regularizer", r->name, model);
  }
  return checker.failures;
}

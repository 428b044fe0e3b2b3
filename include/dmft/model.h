/* Models: a student activation, a loss on the student's prediction, a teacher and a
 * regularizer, each a component found by name among the built-in ones and loaded plugins.
 *
 * The student predicts f(xi) = (1/k) sum_a act(xi_a) from its k pre-activations (a committee
 * for k > 1); the loss l(f, y) is taken on that prediction. The teacher labels a sample from
 * its k* pre-activations w* and noise. The solver needs the loss, its gradient and Hessian in
 * xi, all analytic here, and two facts about them: whether the gradient is continuous in xi
 * (it decides the response estimator, equations.md §3) and whether the Hessian is constant
 * (then the pathwise tangents of a deterministic driver are the same on every path).
 * Models know nothing about time stepping. */
#ifndef DMFT_MODEL_H
#define DMFT_MODEL_H

#include <stddef.h>

/* A number a component takes from --model-param NAME=VALUE (or its own option, such as
 * --huber-delta), with its default and accepted range. */
typedef struct dmft_model_param {
  const char *name;
  const char *summary;
  double default_value;
  double min_value, max_value; /* inclusive */
} dmft_model_param_t;

#define DMFT_MAX_PARAMS 8
/* The largest student or teacher width k, k* a problem may have. */
#define DMFT_MAX_WIDTH 16

/* Every function of a component receives `params`: the values of the component's own
 * parameters, in the order it declares them. */
typedef struct dmft_activation {
  const char *name;
  const char *summary;
  double (*value)(double x, const double *params);
  double (*slope)(double x, const double *params);
  double (*curvature)(double x, const double *params);
  int slope_is_continuous; /* decides the response estimator (equations.md §3) */
  int is_linear;
  const dmft_model_param_t *params;
  int param_count;
} dmft_activation_t;

typedef struct dmft_loss {
  const char *name;
  const char *summary;
  /* l(f, y) and its first two derivatives in the prediction f. */
  double (*value)(double f, double y, const double *params);
  double (*slope)(double f, double y, const double *params);
  double (*curvature)(double f, double y, const double *params);
  int slope_is_continuous;
  int is_quadratic;
  int needs_binary_labels; /* labels must be +-1 */
  const dmft_model_param_t *params;
  int param_count;
  /* Optional: a test metric m(f, y) reported next to the test loss as its expectation over a
   * fresh sample (e.g. the classification error 1{y f <= 0}), and its name. NULL if none. */
  double (*test_metric)(double f, double y, const double *params);
  const char *test_metric_name;
} dmft_loss_t;

typedef struct dmft_teacher {
  const char *name;
  const char *summary;
  /* Either `unit`, applied to each w*_a, the label being mean_a unit(w*_a) + s eps, or `label`,
   * the whole label from the k* teacher fields, a standard normal eps and the noise level s. */
  double (*unit)(double w, const double *params);
  double (*label)(const double *wstar, int kstar, double eps, double label_noise, const double *params);
  int min_kstar, max_kstar; /* the teacher widths it is defined for (0: no limit) */
  int is_sign; /* built-in only: y = sign(sum_a w*_a + s eps), flipped with probability flip_prob */
  const dmft_model_param_t *params;
  int param_count;
} dmft_teacher_t;

/* A separable regularizer, added to the --ridge term: the parameter dynamics see
 * r(theta) = ridge |theta|^2 / 2 + sum_j rho(theta_j), rho given here per coordinate. */
typedef struct dmft_regularizer {
  const char *name;
  const char *summary;
  double (*value)(double theta, const double *params);
  double (*slope)(double theta, const double *params);
  double (*curvature)(double theta, const double *params);
  int is_zero; /* rho = 0: the parameter side stays linear (built-in "none") */
  const dmft_model_param_t *params;
  int param_count;
} dmft_regularizer_t;

typedef struct dmft_model {
  const dmft_activation_t *activation;
  const dmft_loss_t *loss;
  const dmft_teacher_t *teacher;
  const dmft_regularizer_t *regularizer;
  int k;      /* student width */
  int kstar;  /* teacher width */
  double label_noise; /* s in y += s eps */
  double flip_prob;   /* sign teacher only */
  double activation_params[DMFT_MAX_PARAMS], loss_params[DMFT_MAX_PARAMS];
  double teacher_params[DMFT_MAX_PARAMS], regularizer_params[DMFT_MAX_PARAMS];
} dmft_model_t;

/* Components by name, over the built-in ones and every loaded plugin (dmft/plugin.h). */
size_t dmft_activation_count(void);
const dmft_activation_t *dmft_activation_at(size_t index);
const dmft_activation_t *dmft_activation_find(const char *name);
size_t dmft_loss_count(void);
const dmft_loss_t *dmft_loss_at(size_t index);
const dmft_loss_t *dmft_loss_find(const char *name);
size_t dmft_teacher_count(void);
const dmft_teacher_t *dmft_teacher_at(size_t index);
const dmft_teacher_t *dmft_teacher_find(const char *name);
size_t dmft_regularizer_count(void);
const dmft_regularizer_t *dmft_regularizer_at(size_t index);
const dmft_regularizer_t *dmft_regularizer_find(const char *name);

/* Sets every component's parameters to their defaults (after choosing components). */
void dmft_model_reset_params(dmft_model_t *model);
/* Sets parameter `name` of whichever chosen component declares it. DMFT_OK, or DMFT_EINVAL with
 * a one-line message (unknown name: the names the chosen components take; out of range). */
int dmft_model_set_param(dmft_model_t *model, const char *name, double value, char *message, size_t size);
/* The value of parameter `name` of a chosen component; 0 with *found = 0 if none declares it. */
double dmft_model_param(const dmft_model_t *model, const char *name, int *found);
/* The parameters of the chosen components one by one (activation, loss, teacher, regularizer,
 * each in the order it declares them): 1 with the index-th's name and value, 0 past the last. */
int dmft_model_param_at(const dmft_model_t *model, int index, const char **name, double *value);

/* Whether every function of the chosen components is finite, at the model's own parameters,
 * over +-8 standard deviations of the fields (student fields of standard deviation field_sd,
 * teacher fields of teacher_sd) and labels with noise up to 4 standard deviations. DMFT_OK, or
 * DMFT_EINVAL with a one-line message naming the component and the point. */
int dmft_model_check_fields(const dmft_model_t *model, double field_sd, double teacher_sd, char *message, size_t size);
/* The load-time derivative checks of the chosen activation, loss and regularizer (finite
 * differences on [-4, 4], models/conformance.c) at the model's own parameters, which the load
 * checks only see at their defaults. DMFT_OK, or DMFT_EINVAL with the first failure. */
int dmft_model_check_derivatives(const dmft_model_t *model, char *message, size_t size);

/* The label of a sample with teacher pre-activations wstar (k*), standard normal eps and a
 * uniform flip_uniform in (0,1) (used by the sign teacher's label flips). */
double dmft_model_label(const dmft_model_t *model, const double *wstar, double eps, double flip_uniform);
double dmft_model_prediction(const dmft_model_t *model, const double *xi);
double dmft_model_loss(const dmft_model_t *model, const double *xi, double y);
void dmft_model_gradient(const dmft_model_t *model, const double *xi, double y, double *gradient);
/* k x k, row-major */
void dmft_model_hessian(const dmft_model_t *model, const double *xi, double y, double *hessian);
/* The loss averaged over the label noise that is not a Gaussian (the sign teacher's flips):
 * E_flip l(xi, label(wstar, eps, flip)). */
double dmft_model_flip_averaged_loss(const dmft_model_t *model, const double *xi, const double *wstar, double eps);
/* The loss's test metric at (xi, y), and averaged over the flips like the loss above; only for
 * a loss with a test_metric. */
double dmft_model_test_metric(const dmft_model_t *model, const double *xi, double y);
double dmft_model_flip_averaged_test_metric(const dmft_model_t *model, const double *xi, const double *wstar, double eps);
/* The same two averages from the prediction f (dmft_model_prediction) and the label before any
 * flip (dmft_model_label with flip_uniform = 1), for callers that reuse either across points. */
double dmft_model_flip_averaged_loss_of_prediction(const dmft_model_t *model, double prediction, double label);
double dmft_model_flip_averaged_test_metric_of_prediction(const dmft_model_t *model, double prediction, double label);
int dmft_model_gradient_is_continuous(const dmft_model_t *model);
int dmft_model_hessian_is_constant(const dmft_model_t *model);
/* The derivatives of the regularizer rho of one parameter coordinate (without the ridge part). */
double dmft_model_regularizer_slope(const dmft_model_t *model, double theta);
double dmft_model_regularizer_curvature(const dmft_model_t *model, double theta);

#endif

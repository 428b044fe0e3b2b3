/* Built-in models: a student activation, a loss on the student's prediction and a teacher.
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

typedef struct dmft_activation {
  const char *name;
  const char *summary;
  double (*value)(double x);
  double (*slope)(double x);
  double (*curvature)(double x);
  int slope_is_continuous;
  int is_linear;
} dmft_activation_t;

typedef struct dmft_loss {
  const char *name;
  const char *summary;
  /* l(f, y) and its first two derivatives in f; `parameter` is the Huber threshold. */
  double (*value)(double f, double y, double parameter);
  double (*slope)(double f, double y, double parameter);
  double (*curvature)(double f, double y, double parameter);
  int is_quadratic;
  int needs_binary_labels; /* labels must be +-1 */
} dmft_loss_t;

typedef struct dmft_teacher {
  const char *name;
  const char *summary;
  double (*unit)(double w); /* applied to each w*_a; NULL for the sign teacher */
  int is_sign; /* y = sign(sum_a w*_a + s eps), flipped with probability flip_prob */
} dmft_teacher_t;

typedef struct dmft_model {
  const dmft_activation_t *activation;
  const dmft_loss_t *loss;
  const dmft_teacher_t *teacher;
  int k;      /* student width */
  int kstar;  /* teacher width */
  double huber_delta;
  double label_noise; /* s in y += s eps */
  double flip_prob;   /* sign teacher only */
} dmft_model_t;

size_t dmft_activation_count(void);
const dmft_activation_t *dmft_activation_at(size_t index);
const dmft_activation_t *dmft_activation_find(const char *name);
size_t dmft_loss_count(void);
const dmft_loss_t *dmft_loss_at(size_t index);
const dmft_loss_t *dmft_loss_find(const char *name);
size_t dmft_teacher_count(void);
const dmft_teacher_t *dmft_teacher_at(size_t index);
const dmft_teacher_t *dmft_teacher_find(const char *name);

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
int dmft_model_gradient_is_continuous(const dmft_model_t *model);
int dmft_model_hessian_is_constant(const dmft_model_t *model);

#endif

/* The composed model: committee prediction, loss, and their derivatives in the student's
 * pre-activations xi; the regularizer; and the parameters of the chosen components. */
#include <stdio.h>
#include <string.h>

#include "dmft/model.h"
#include "dmft/status.h"

double dmft_model_prediction(const dmft_model_t *model, const double *xi) {
  double sum = 0.0;
  for (int a = 0; a < model->k; a++) sum += model->activation->value(xi[a], model->activation_params);
  return sum / model->k;
}

static double sign_label(const dmft_model_t *model, const double *wstar, double eps) {
  double field = model->label_noise * eps;
  for (int b = 0; b < model->kstar; b++) field += wstar[b];
  return field >= 0.0 ? 1.0 : -1.0;
}

double dmft_model_label(const dmft_model_t *model, const double *wstar, double eps, double flip_uniform) {
  if (model->teacher->is_sign) {
    const double label = sign_label(model, wstar, eps);
    return flip_uniform < model->flip_prob ? -label : label;
  }
  if (model->teacher->label)
    return model->teacher->label(wstar, model->kstar, eps, model->label_noise, model->teacher_params);
  double sum = 0.0;
  for (int b = 0; b < model->kstar; b++) sum += model->teacher->unit(wstar[b], model->teacher_params);
  return sum / model->kstar + model->label_noise * eps;
}

double dmft_model_loss(const dmft_model_t *model, const double *xi, double y) {
  return model->loss->value(dmft_model_prediction(model, xi), y, model->loss_params);
}

void dmft_model_gradient(const dmft_model_t *model, const double *xi, double y, double *gradient) {
  const double f = dmft_model_prediction(model, xi);
  const double outer = model->loss->slope(f, y, model->loss_params) / model->k;
  for (int a = 0; a < model->k; a++) gradient[a] = outer * model->activation->slope(xi[a], model->activation_params);
}

void dmft_model_hessian(const dmft_model_t *model, const double *xi, double y, double *hessian) {
  const int k = model->k;
  const double f = dmft_model_prediction(model, xi);
  const double slope = model->loss->slope(f, y, model->loss_params);
  const double curvature = model->loss->curvature(f, y, model->loss_params);
  const double inverse_k = 1.0 / k;
  for (int a = 0; a < k; a++) {
    const double unit_slope_a = model->activation->slope(xi[a], model->activation_params);
    for (int b = 0; b < k; b++)
      hessian[a * k + b] = curvature * unit_slope_a * model->activation->slope(xi[b], model->activation_params) * inverse_k * inverse_k;
    hessian[a * k + a] += slope * model->activation->curvature(xi[a], model->activation_params) * inverse_k;
  }
}

/* The flips of the sign teacher are averaged exactly; other teachers have none. */
static double flip_averaged(const dmft_model_t *model, double (*value)(double f, double y, const double *params),
                            double prediction, double label) {
  if (!model->teacher->is_sign) return value(prediction, label, model->loss_params);
  return (1.0 - model->flip_prob) * value(prediction, label, model->loss_params) +
         model->flip_prob * value(prediction, -label, model->loss_params);
}

double dmft_model_flip_averaged_loss_of_prediction(const dmft_model_t *model, double prediction, double label) {
  return flip_averaged(model, model->loss->value, prediction, label);
}

double dmft_model_flip_averaged_test_metric_of_prediction(const dmft_model_t *model, double prediction, double label) {
  return flip_averaged(model, model->loss->test_metric, prediction, label);
}

double dmft_model_flip_averaged_loss(const dmft_model_t *model, const double *xi, const double *wstar, double eps) {
  return dmft_model_flip_averaged_loss_of_prediction(model, dmft_model_prediction(model, xi), dmft_model_label(model, wstar, eps, 1.0));
}

double dmft_model_test_metric(const dmft_model_t *model, const double *xi, double y) {
  return model->loss->test_metric(dmft_model_prediction(model, xi), y, model->loss_params);
}

double dmft_model_flip_averaged_test_metric(const dmft_model_t *model, const double *xi, const double *wstar, double eps) {
  return dmft_model_flip_averaged_test_metric_of_prediction(model, dmft_model_prediction(model, xi),
                                                            dmft_model_label(model, wstar, eps, 1.0));
}

int dmft_model_gradient_is_continuous(const dmft_model_t *model) {
  return model->activation->slope_is_continuous && model->loss->slope_is_continuous;
}

int dmft_model_hessian_is_constant(const dmft_model_t *model) {
  return model->loss->is_quadratic && model->activation->is_linear;
}

double dmft_model_regularizer_slope(const dmft_model_t *model, double theta) {
  return model->regularizer->slope(theta, model->regularizer_params);
}

double dmft_model_regularizer_curvature(const dmft_model_t *model, double theta) {
  return model->regularizer->curvature(theta, model->regularizer_params);
}

/* The parameters of the chosen components: activation, loss, teacher, regularizer. */
enum { PARAM_GROUPS = 4 };
typedef struct {
  const char *kind;
  const char *name;
  const dmft_model_param_t *specs;
  int count;
} param_group_t;

/* Group g of the chosen components' parameters; empty for a component not chosen yet. */
static param_group_t param_group(const dmft_model_t *model, int g) {
  const param_group_t none = {"", "", NULL, 0};
  const dmft_activation_t *a = model->activation;
  const dmft_loss_t *l = model->loss;
  const dmft_teacher_t *t = model->teacher;
  const dmft_regularizer_t *r = model->regularizer;
  switch (g) {
    case 0: return a ? (param_group_t){"activation", a->name, a->params, a->param_count} : none;
    case 1: return l ? (param_group_t){"loss", l->name, l->params, l->param_count} : none;
    case 2: return t ? (param_group_t){"teacher", t->name, t->params, t->param_count} : none;
    default: return r ? (param_group_t){"regularizer", r->name, r->params, r->param_count} : none;
  }
}

static double *param_values(dmft_model_t *model, int g) {
  return g == 0 ? model->activation_params : g == 1 ? model->loss_params : g == 2 ? model->teacher_params : model->regularizer_params;
}

static const double *param_values_read(const dmft_model_t *model, int g) {
  return g == 0 ? model->activation_params : g == 1 ? model->loss_params : g == 2 ? model->teacher_params : model->regularizer_params;
}

void dmft_model_reset_params(dmft_model_t *model) {
  for (int g = 0; g < PARAM_GROUPS; g++) {
    const param_group_t group = param_group(model, g);
    double *values = param_values(model, g);
    memset(values, 0, sizeof(double) * DMFT_MAX_PARAMS);
    for (int i = 0; i < group.count; i++) values[i] = group.specs[i].default_value;
  }
}

int dmft_model_set_param(dmft_model_t *model, const char *name, double value, char *message, size_t size) {
  char known[512] = "";
  for (int g = 0; g < PARAM_GROUPS; g++) {
    const param_group_t group = param_group(model, g);
    for (int i = 0; i < group.count; i++) {
      const dmft_model_param_t *spec = &group.specs[i];
      if (strcmp(spec->name, name) == 0) {
        if (!(value >= spec->min_value && value <= spec->max_value)) {
          snprintf(message, size, "--model-param %s (%s %s: %s) must be in [%g, %g] (got %g)", name, group.kind, group.name,
                   spec->summary, spec->min_value, spec->max_value, value);
          return DMFT_EINVAL;
        }
        param_values(model, g)[i] = value;
        return DMFT_OK;
      }
      const size_t used = strlen(known);
      snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "", spec->name);
    }
  }
  snprintf(message, size, "--model-param: no chosen component takes '%s' (they take: %s)", name, known[0] ? known : "none");
  return DMFT_EINVAL;
}

double dmft_model_param(const dmft_model_t *model, const char *name, int *found) {
  for (int g = 0; g < PARAM_GROUPS; g++) {
    const param_group_t group = param_group(model, g);
    for (int i = 0; i < group.count; i++)
      if (strcmp(group.specs[i].name, name) == 0) {
        if (found) *found = 1;
        return param_values_read(model, g)[i];
      }
  }
  if (found) *found = 0;
  return 0.0;
}

int dmft_model_param_at(const dmft_model_t *model, int index, const char **name, double *value) {
  for (int g = 0; g < PARAM_GROUPS; g++) {
    const param_group_t group = param_group(model, g);
    if (index < group.count) {
      *name = group.specs[index].name;
      *value = param_values_read(model, g)[index];
      return 1;
    }
    index -= group.count;
  }
  return 0;
}

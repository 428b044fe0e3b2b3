/* The composed model: committee prediction, loss, and their derivatives in the student's
 * pre-activations xi. */
#include "dmft/model.h"

double dmft_model_prediction(const dmft_model_t *model, const double *xi) {
  double sum = 0.0;
  for (int a = 0; a < model->k; a++) sum += model->activation->value(xi[a]);
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
  double sum = 0.0;
  for (int b = 0; b < model->kstar; b++) sum += model->teacher->unit(wstar[b]);
  return sum / model->kstar + model->label_noise * eps;
}

double dmft_model_loss(const dmft_model_t *model, const double *xi, double y) {
  return model->loss->value(dmft_model_prediction(model, xi), y, model->huber_delta);
}

void dmft_model_gradient(const dmft_model_t *model, const double *xi, double y, double *gradient) {
  const double f = dmft_model_prediction(model, xi);
  const double outer = model->loss->slope(f, y, model->huber_delta) / model->k;
  for (int a = 0; a < model->k; a++) gradient[a] = outer * model->activation->slope(xi[a]);
}

void dmft_model_hessian(const dmft_model_t *model, const double *xi, double y, double *hessian) {
  const int k = model->k;
  const double f = dmft_model_prediction(model, xi);
  const double slope = model->loss->slope(f, y, model->huber_delta);
  const double curvature = model->loss->curvature(f, y, model->huber_delta);
  const double inverse_k = 1.0 / k;
  for (int a = 0; a < k; a++) {
    const double unit_slope_a = model->activation->slope(xi[a]);
    for (int b = 0; b < k; b++)
      hessian[a * k + b] = curvature * unit_slope_a * model->activation->slope(xi[b]) * inverse_k * inverse_k;
    hessian[a * k + a] += slope * model->activation->curvature(xi[a]) * inverse_k;
  }
}

double dmft_model_flip_averaged_loss(const dmft_model_t *model, const double *xi, const double *wstar, double eps) {
  if (!model->teacher->is_sign) return dmft_model_loss(model, xi, dmft_model_label(model, wstar, eps, 1.0));
  const double label = sign_label(model, wstar, eps);
  return (1.0 - model->flip_prob) * dmft_model_loss(model, xi, label) +
         model->flip_prob * dmft_model_loss(model, xi, -label);
}

int dmft_model_gradient_is_continuous(const dmft_model_t *model) {
  return model->activation->slope_is_continuous;
}

int dmft_model_hessian_is_constant(const dmft_model_t *model) {
  return model->loss->is_quadratic && model->activation->is_linear;
}

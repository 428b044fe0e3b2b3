/* Losses on the student's prediction f and the label y, with derivatives in f. */
#include <math.h>
#include <string.h>

#include "dmft/model.h"

static double squared_value(double f, double y, double c) {
  (void)c;
  return 0.5 * (f - y) * (f - y);
}
static double squared_slope(double f, double y, double c) {
  (void)c;
  return f - y;
}
static double squared_curvature(double f, double y, double c) {
  (void)f, (void)y, (void)c;
  return 1.0;
}

/* Huber: quadratic for |r| <= c, linear beyond; its slope is continuous, its curvature not,
 * which pathwise tangents tolerate (the set where it jumps has measure zero). */
static double huber_value(double f, double y, double c) {
  const double r = f - y;
  return fabs(r) <= c ? 0.5 * r * r : c * (fabs(r) - 0.5 * c);
}
static double huber_slope(double f, double y, double c) {
  const double r = f - y;
  return fabs(r) <= c ? r : (r > 0 ? c : -c);
}
static double huber_curvature(double f, double y, double c) { return fabs(f - y) <= c ? 1.0 : 0.0; }

/* log(1 + exp(-y f)) written so that neither branch overflows. */
static double logistic_value(double f, double y, double c) {
  (void)c;
  const double m = -y * f;
  return m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
}
static double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)); }
static double logistic_slope(double f, double y, double c) {
  (void)c;
  return -y * sigmoid(-y * f);
}
static double logistic_curvature(double f, double y, double c) {
  (void)c;
  const double s = sigmoid(y * f);
  return y * y * s * (1.0 - s);
}

static const dmft_loss_t losses[] = {
    {"squared", "(f - y)^2 / 2", squared_value, squared_slope, squared_curvature, 1, 0},
    {"huber", "r^2/2 for |r| <= c, c(|r| - c/2) beyond, r = f - y (--huber-delta c)", huber_value,
     huber_slope, huber_curvature, 0, 0},
    {"logistic", "log(1 + exp(-y f)) for labels +-1", logistic_value, logistic_slope,
     logistic_curvature, 0, 1},
};

size_t dmft_loss_count(void) { return sizeof losses / sizeof losses[0]; }

const dmft_loss_t *dmft_loss_at(size_t index) { return index < dmft_loss_count() ? &losses[index] : NULL; }

const dmft_loss_t *dmft_loss_find(const char *name) {
  for (size_t i = 0; i < dmft_loss_count(); i++)
    if (strcmp(losses[i].name, name) == 0) return &losses[i];
  return NULL;
}

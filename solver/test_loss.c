#include "dmft/test_loss.h"

#include <math.h>
#include <stdlib.h>

#include "dmft/rng.h"
#include "dmft/status.h"
#include "gauss_hermite.h"
#include "psd_cholesky.h"
#include "quasi_random.h"

#include <gsl/gsl_cdf.h>

struct dmft_test_loss {
  const dmft_model_t *model;
  double teacher_var;
  int gaussian_dims; /* k + k* */
  int dims;          /* + 1 with label noise */
  long points;
  double *points_z;  /* [points][dims] standard normal coordinates */
  double *weights;   /* [points] */
  double *factor, *covariance, *x;
};

void dmft_test_loss_free(dmft_test_loss_t **rule) {
  if (!*rule) return;
  free((*rule)->points_z);
  free((*rule)->weights);
  free((*rule)->factor);
  free((*rule)->covariance);
  free((*rule)->x);
  free(*rule);
  *rule = NULL;
}

static int nodes_per_dimension(int dims) {
  static const int table[] = {0, 200, 100, 24, 12, 7, 5};
  return table[dims];
}

static int fill_quadrature(dmft_test_loss_t *rule) {
  const int n = nodes_per_dimension(rule->dims);
  double nodes[200], weights[200];
  int status = dmft__gauss_hermite(n, nodes, weights);
  if (status != DMFT_OK) return status;
  int index[DMFT_TEST_LOSS_MAX_QUADRATURE_DIMENSION] = {0};
  for (long p = 0; p < rule->points; p++) {
    double weight = 1.0;
    for (int d = 0; d < rule->dims; d++) {
      rule->points_z[p * rule->dims + d] = nodes[index[d]];
      weight *= weights[index[d]];
    }
    rule->weights[p] = weight;
    for (int d = 0; d < rule->dims && ++index[d] == n; d++) index[d] = 0;
  }
  return DMFT_OK;
}

int dmft_test_loss_create(const dmft_model_t *model, double teacher_var, uint64_t seed, uint64_t stream,
                           dmft_test_loss_t **result) {
  dmft_test_loss_t *rule = calloc(1, sizeof *rule);
  *result = rule;
  if (!rule) return DMFT_ENOMEM;
  rule->model = model;
  rule->teacher_var = teacher_var;
  rule->gaussian_dims = model->k + model->kstar;
  rule->dims = rule->gaussian_dims + (model->label_noise > 0 ? 1 : 0);
  const int smooth = !model->teacher->is_sign && !model->loss->test_metric;
  const int quadrature = smooth && rule->dims <= DMFT_TEST_LOSS_MAX_QUADRATURE_DIMENSION;
  if (quadrature) {
    rule->points = 1;
    for (int d = 0; d < rule->dims; d++) rule->points *= nodes_per_dimension(rule->dims);
  } else {
    rule->points = DMFT_TEST_LOSS_QUASI_RANDOM_POINTS;
  }
  rule->points_z = malloc(sizeof(double) * (size_t)rule->points * (size_t)rule->dims);
  rule->weights = malloc(sizeof(double) * (size_t)rule->points);
  rule->factor = malloc(sizeof(double) * dmft__packed_row(rule->gaussian_dims));
  rule->covariance = malloc(sizeof(double) * (size_t)(rule->gaussian_dims + 1));
  rule->x = malloc(sizeof(double) * (size_t)rule->gaussian_dims);
  if (!rule->points_z || !rule->weights || !rule->factor || !rule->covariance || !rule->x) return DMFT_ENOMEM;
  if (quadrature) return fill_quadrature(rule);
  double *uniforms = dmft__sobol_points(seed, stream, DMFT_STREAM_TEST_LOSS, rule->dims, rule->points);
  if (!uniforms) return DMFT_ENOMEM;
  for (long p = 0; p < rule->points; p++) {
    rule->weights[p] = 1.0 / (double)rule->points;
    for (int d = 0; d < rule->dims; d++)
      rule->points_z[p * rule->dims + d] = gsl_cdf_ugaussian_Pinv(uniforms[p * rule->dims + d]);
  }
  free(uniforms);
  return DMFT_OK;
}

/* Factors the joint covariance of (w*, a), w* first so that its rows are diagonal. */
static void factor_joint_covariance(dmft_test_loss_t *rule, const double *Q, const double *M) {
  const int k = rule->model->k, kstar = rule->model->kstar, n = rule->gaussian_dims;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j <= i; j++) {
      double value;
      if (i < kstar) value = i == j ? rule->teacher_var : 0.0;
      else if (j < kstar) value = M[(i - kstar) * kstar + j];
      else value = Q[(i - kstar) * k + (j - kstar)];
      rule->covariance[j] = value;
    }
    dmft__psd_cholesky_append(rule->factor, i, rule->covariance);
  }
}

void dmft_test_loss_expect(dmft_test_loss_t *rule, const double *Q, const double *M, dmft_gaussian_integrand_fn integrand,
                           void *user) {
  const int n = rule->gaussian_dims, kstar = rule->model->kstar;
  factor_joint_covariance(rule, Q, M);
  for (long p = 0; p < rule->points; p++) {
    const double *z = rule->points_z + p * rule->dims;
    for (int i = 0; i < n; i++) rule->x[i] = dmft__psd_cholesky_row_dot(rule->factor, i, z);
    integrand(rule->x + kstar, rule->x, rule->dims > n ? z[n] : 0.0, rule->weights[p], user);
  }
}

typedef struct {
  const dmft_model_t *model;
  double total;
} loss_sum_t;

static void add_loss(const double *xi, const double *wstar, double eps, double weight, void *user) {
  loss_sum_t *sum = user;
  sum->total += weight * dmft_model_flip_averaged_loss(sum->model, xi, wstar, eps);
}

static void add_metric(const double *xi, const double *wstar, double eps, double weight, void *user) {
  loss_sum_t *sum = user;
  sum->total += weight * dmft_model_flip_averaged_test_metric(sum->model, xi, wstar, eps);
}

double dmft_test_metric_evaluate(dmft_test_loss_t *rule, const double *Q, const double *M) {
  loss_sum_t sum = {rule->model, 0.0};
  dmft_test_loss_expect(rule, Q, M, add_metric, &sum);
  return sum.total;
}

double dmft_test_loss_evaluate(dmft_test_loss_t *rule, const double *Q, const double *M) {
  loss_sum_t sum = {rule->model, 0.0};
  dmft_test_loss_expect(rule, Q, M, add_loss, &sum);
  return sum.total;
}

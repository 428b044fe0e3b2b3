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
  /* The teacher's fields do not depend on (Q, M) (they are drawn first, with a diagonal factor),
   * so every point's label is computed once, here; the student's prediction depends only on
   * the Gaussian coordinates, and point p shares them with point p % gaussian_points (the label
   * noise is the slowest coordinate of the tensor rule; quasi-random points share nothing).
   * Profiled: re-evaluating the teacher and the activation at every point of every row was
   * about half of a poisson solve. */
  double *labels;       /* [points], before any sign flip */
  long gaussian_points; /* distinct Gaussian coordinate tuples */
  double *predictions;  /* [gaussian_points], scratch */
  double *factor, *covariance, *x;
};

void dmft_test_loss_free(dmft_test_loss_t **rule) {
  if (!*rule) return;
  free((*rule)->points_z);
  free((*rule)->weights);
  free((*rule)->labels);
  free((*rule)->predictions);
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

static int fill_quasi_random(dmft_test_loss_t *rule, uint64_t seed, uint64_t stream) {
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

static void fill_labels(dmft_test_loss_t *rule) {
  const int kstar = rule->model->kstar, n = rule->gaussian_dims;
  const double teacher_sd = sqrt(rule->teacher_var);
  double wstar[DMFT_MAX_WIDTH];
  for (long p = 0; p < rule->points; p++) {
    const double *z = rule->points_z + p * rule->dims;
    for (int b = 0; b < kstar; b++) wstar[b] = teacher_sd * z[b];
    rule->labels[p] = dmft_model_label(rule->model, wstar, rule->dims > n ? z[n] : 0.0, 1.0);
  }
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
  rule->gaussian_points = quadrature && rule->dims > rule->gaussian_dims ? rule->points / nodes_per_dimension(rule->dims)
                                                                         : rule->points;
  rule->labels = malloc(sizeof(double) * (size_t)rule->points);
  rule->predictions = malloc(sizeof(double) * (size_t)rule->gaussian_points);
  if (!rule->labels || !rule->predictions) return DMFT_ENOMEM;
  int status = quadrature ? fill_quadrature(rule) : fill_quasi_random(rule, seed, stream);
  if (status == DMFT_OK) fill_labels(rule);
  return status;
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

/* The student's prediction at every distinct Gaussian tuple, for the factor of (Q, M). */
static void fill_predictions(dmft_test_loss_t *rule, const double *Q, const double *M) {
  const int n = rule->gaussian_dims, kstar = rule->model->kstar;
  factor_joint_covariance(rule, Q, M);
  for (long g = 0; g < rule->gaussian_points; g++) {
    const double *z = rule->points_z + g * rule->dims;
    for (int i = kstar; i < n; i++) rule->x[i] = dmft__psd_cholesky_row_dot(rule->factor, i, z);
    rule->predictions[g] = dmft_model_prediction(rule->model, rule->x + kstar);
  }
}

/* The expectation of value(prediction, label) by the rule, for the factor of (Q, M). */
static double expect_of_prediction(dmft_test_loss_t *rule, const double *Q, const double *M,
                                   double (*value)(const dmft_model_t *model, double prediction, double label)) {
  fill_predictions(rule, Q, M);
  double total = 0.0;
  /* Point p = first + g uses the predictions of tuple g (no division per point: perf showed it). */
  for (long first = 0; first < rule->points; first += rule->gaussian_points)
    for (long g = 0; g < rule->gaussian_points; g++)
      total += rule->weights[first + g] * value(rule->model, rule->predictions[g], rule->labels[first + g]);
  return total;
}

/* The same for a teacher without label flips, whose flip average is the loss's own value: the
 * loss is called directly, one indirect call per point instead of two (the same numbers; a
 * solve of 2000 paths spends about a third of its time in this loop). */
static double expect_of_unflipped_prediction(dmft_test_loss_t *rule, const double *Q, const double *M,
                                             double (*value)(double prediction, double label, const double *params)) {
  fill_predictions(rule, Q, M);
  const double *params = rule->model->loss_params;
  double total = 0.0;
  for (long first = 0; first < rule->points; first += rule->gaussian_points)
    for (long g = 0; g < rule->gaussian_points; g++)
      total += rule->weights[first + g] * value(rule->predictions[g], rule->labels[first + g], params);
  return total;
}

double dmft_test_metric_evaluate(dmft_test_loss_t *rule, const double *Q, const double *M) {
  if (!rule->model->teacher->is_sign) return expect_of_unflipped_prediction(rule, Q, M, rule->model->loss->test_metric);
  return expect_of_prediction(rule, Q, M, dmft_model_flip_averaged_test_metric_of_prediction);
}

double dmft_test_loss_evaluate(dmft_test_loss_t *rule, const double *Q, const double *M) {
  if (!rule->model->teacher->is_sign) return expect_of_unflipped_prediction(rule, Q, M, rule->model->loss->value);
  return expect_of_prediction(rule, Q, M, dmft_model_flip_averaged_loss_of_prediction);
}

#include "dmft/compare.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

int dmft_compare_observables(int k, int kstar) { return k * kstar + k * k + 2; }

void dmft_compare_observable_name(const dmft_result_t *r, int index, char *name, size_t size) {
  const int k = r->k, kstar = r->kstar, km = k * kstar, kq = k * k, scalar = k == 1 && kstar == 1;
  if (index < km) {
    if (scalar) snprintf(name, size, "M");
    else snprintf(name, size, "M_%d_%d", index / kstar, index % kstar);
  } else if (index < km + kq) {
    if (scalar) snprintf(name, size, "Q");
    else snprintf(name, size, "Q_%d_%d", (index - km) / k, (index - km) % k);
  } else {
    snprintf(name, size, index == km + kq ? "train_loss" : index == km + kq + 1 ? "test_loss" : "test_metric");
  }
}

void dmft_compare_observable(const dmft_result_t *r, long row, int index, double *value, double *se) {
  const int km = r->k * r->kstar, kq = r->k * r->k;
  if (index < km) *value = r->M[row * km + index], *se = r->M_se[row * km + index];
  else if (index < km + kq) *value = r->Q[row * kq + index - km], *se = r->Q_se[row * kq + index - km];
  else if (index == km + kq) *value = r->train_loss[row], *se = r->train_loss_se[row];
  else if (index == km + kq + 1) *value = r->test_loss[row], *se = r->test_loss_se[row];
  else *value = r->test_metric[row], *se = r->test_metric_se[row];
}

/* Observables past the plain ones (M, Q, the losses and the test metric: `plain` of them): a
 * covariance spectrum's M_sigma and Q_sigma entries, when both results have them. */
static void spectral_observable(const dmft_result_t *r, long row, int index, double *value, double *se, char *name, size_t size) {
  const int km = r->k * r->kstar, kq = r->k * r->k, scalar = r->k == 1 && r->kstar == 1;
  if (index < km) {
    *value = r->M_sigma[row * km + index], *se = r->M_sigma_se[row * km + index];
    if (scalar) snprintf(name, size, "M_sigma");
    else snprintf(name, size, "M_sigma_%d_%d", index / r->kstar, index % r->kstar);
  } else {
    index -= km;
    *value = r->Q_sigma[row * kq + index], *se = r->Q_sigma_se[row * kq + index];
    if (scalar) snprintf(name, size, "Q_sigma");
    else snprintf(name, size, "Q_sigma_%d_%d", index / r->k, index % r->k);
  }
}

static void observable(const dmft_result_t *r, long row, int index, int plain, double *value, double *se, char *name,
                       size_t size) {
  if (index >= plain) {
    spectral_observable(r, row, index - plain, value, se, name, size);
    return;
  }
  dmft_compare_observable(r, row, index, value, se);
  dmft_compare_observable_name(r, index, name, size);
}

/* The solver's value and error of one observable at time t, interpolated linearly between its
 * rows (the simulated times of mini-batch SGD fall between grid times). */
static void solver_at(const dmft_result_t *r, double t, int index, int plain, double *value, double *se, char *name,
                      size_t size) {
  long upper = 1;
  while (upper < r->rows_done - 1 && r->t[upper] < t) upper++;
  const long lower = upper - 1;
  double a, se_a, b, se_b;
  if (r->rows_done < 2) {
    observable(r, 0, index, plain, value, se, name, size);
    return;
  }
  observable(r, lower, index, plain, &a, &se_a, name, size);
  observable(r, upper, index, plain, &b, &se_b, name, size);
  const double span = r->t[upper] - r->t[lower], w = span > 0 ? fmin(fmax((t - r->t[lower]) / span, 0.0), 1.0) : 0.0;
  *value = (1 - w) * a + w * b;
  *se = (1 - w) * se_a + w * se_b;
}

/* A deviation in standard errors estimated from few replicas follows Student's t with the
 * Welch–Satterthwaite degrees of freedom, not a normal law: it is reported as the normal
 * deviation with the same tail probability, so that one tolerance fits any number of seeds. */
static double normal_equivalent(double difference, double se_a, int groups_a, double se_b, int groups_b) {
  const double va = se_a * se_a, vb = se_b * se_b, combined = sqrt(va + vb);
  if (!(combined > 0)) return difference == 0 ? 0.0 : INFINITY;
  const double t = fabs(difference) / combined;
  const double dof_a = groups_a > 1 ? groups_a - 1 : 1e9, dof_b = groups_b > 1 ? groups_b - 1 : 1e9;
  const double dof = (va + vb) * (va + vb) / (va * va / dof_a + vb * vb / dof_b);
  const double tail = gsl_cdf_tdist_Q(t, dof);
  return tail > 0 ? gsl_cdf_ugaussian_Qinv(tail) : INFINITY;
}

/* The observables two results share: the plain ones (the test metric when both have it), then
 * M_sigma and Q_sigma when both have a covariance spectrum. */
static int plain_count(const dmft_result_t *solved, const dmft_result_t *simulated) {
  return dmft_compare_observables(solved->k, solved->kstar) + (solved->test_metric && simulated->test_metric);
}

static int shared_count(const dmft_result_t *solved, const dmft_result_t *simulated) {
  const int spectral = solved->classes > 0 && simulated->classes > 0;
  return plain_count(solved, simulated) + spectral * (solved->k * solved->kstar + solved->k * solved->k);
}

double dmft_compare_deviation(const dmft_result_t *solved, const dmft_result_t *simulated, long row, int index) {
  const double last_time = solved->t[solved->rows_done > 0 ? solved->rows_done - 1 : 0];
  if (row >= simulated->rows_done || simulated->t[row] > last_time + 1e-9) return NAN;
  double a, se_a, b, se_b;
  char name[40];
  const int plain = plain_count(solved, simulated);
  solver_at(solved, simulated->t[row], index, plain, &a, &se_a, name, sizeof name);
  observable(simulated, row, index, plain, &b, &se_b, name, sizeof name);
  const double z = normal_equivalent(b - a, se_a, solved->groups, se_b, simulated->groups);
  return b < a ? -z : z;
}

void dmft_compare(const dmft_result_t *solved, const dmft_result_t *simulated, dmft_comparison_t *c) {
  /* The loss's test metric, when it has one, is compared too, and a spectrum's weighted overlaps. */
  const int count = shared_count(solved, simulated), plain = plain_count(solved, simulated);
  const double last_time = solved->t[solved->rows_done > 0 ? solved->rows_done - 1 : 0];
  double squares = 0.0, errors = 0.0;
  *c = (dmft_comparison_t){.largest_z = 0.0, .largest_time = 0.0};
  snprintf(c->largest_observable, sizeof c->largest_observable, "-");
  for (long row = 0; row < simulated->rows_done && simulated->t[row] <= last_time + 1e-9; row++)
    for (int index = 0; index < count; index++) {
      double a, se_a, b, se_b;
      char name[40];
      solver_at(solved, simulated->t[row], index, plain, &a, &se_a, name, sizeof name);
      observable(simulated, row, index, plain, &b, &se_b, name, sizeof name);
      const double z = normal_equivalent(b - a, se_a, solved->groups, se_b, simulated->groups);
      if (!(z <= c->largest_z)) { /* also takes a NaN, which must not pass unseen */
        c->largest_z = isnan(z) ? INFINITY : z;
        c->largest_time = simulated->t[row];
        snprintf(c->largest_observable, sizeof c->largest_observable, "%s", name);
      }
      squares += (b - a) * (b - a);
      errors += se_b * se_b;
      c->comparisons++;
    }
  c->rms_deviation = c->comparisons ? sqrt(squares / c->comparisons) : NAN;
  c->rms_error = c->comparisons ? sqrt(errors / c->comparisons) : NAN;
}

double dmft_finite_size_slope(const long *sizes, const double *values, int count) {
  if (count < 2) return NAN;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < count; i++) {
    const double x = log((double)sizes[i]), y = log(values[i]);
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  const double denominator = count * sxx - sx * sx;
  return denominator > 0 ? (count * sxy - sx * sy) / denominator : NAN;
}

double dmft_bonferroni_z(long comparisons, double family_error) {
  return gsl_cdf_ugaussian_Qinv(0.5 * family_error / (double)(comparisons > 0 ? comparisons : 1));
}

/* The Volterra engine (solver/volterra.c) against what it must reproduce:
 * - gradient flow against the exact DMFT engine, which runs the DMFT's own recursions for C, R
 *   and M with no spectrum at all: every observable and both kernels to 1e-12 (rounding), for a
 *   sample ratio with an atom at zero (gamma 0.5), at the edge (gamma 1) and above (gamma 3),
 *   with and without ridge, label noise, a random start and an initial overlap;
 * - SGD (poisson), extensive-batch SGD (bernoulli), SME (gauss) and a learning-rate schedule
 *   against their DMFT solves over sample paths, at every output row, within the Bonferroni
 *   tolerance of the DMFT's standard errors at a 1% false-alarm rate (the Volterra engine has no
 *   Monte Carlo error). The Volterra engine takes the noise's continuous-time limit while the
 *   DMFT discretizes it, an O(dt) difference (measured: about 0.7 dt in Q at t = 0.5 on this
 *   problem, 9.7e-3 at dt 0.01), so the steps here are small enough for it to stay under a
 *   standard error: 0.0025 (0.0050 for the dense engine, with fewer paths);
 * - gradient flow at a long time against the ridge estimator's overlaps and losses in closed form
 *   (the Marchenko-Pastur Stieltjes transform), to 1e-12;
 * - its two algorithms against each other: the O(K N) recursion and the O(K^2) convolution of a
 *   tabulated kernel, on K = 10^4 steps, to 1e-10;
 * - bad input refused with what it needs, and a divergence found at its time. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dmft/compare.h"
#include "dmft/dmft.h"
#include "test_support.h"

static double largest_difference(const double *a, const double *b, size_t n) {
  double largest = 0.0;
  for (size_t i = 0; i < n; i++) largest = fmax(largest, fabs(a[i] - b[i]));
  return largest;
}

static void expect_equal_results(const dmft_result_t *a, const dmft_result_t *b, double tolerance, const char *what) {
  const size_t rows = (size_t)a->rows, kernel = rows * rows;
  CU_ASSERT_EQUAL_FATAL(a->rows, b->rows);
  const double differences[6] = {largest_difference(a->M, b->M, rows),
                                 largest_difference(a->Q, b->Q, rows),
                                 largest_difference(a->train_loss, b->train_loss, rows),
                                 largest_difference(a->test_loss, b->test_loss, rows),
                                 largest_difference(a->C, b->C, kernel),
                                 largest_difference(a->R, b->R, kernel)};
  for (int i = 0; i < 6; i++) {
    if (!(differences[i] <= tolerance)) printf("\n  %s: observable %d differs by %.3g\n", what, i, differences[i]);
    CU_ASSERT(differences[i] <= tolerance);
  }
}

static void test_gradient_flow_is_the_exact_engine(void) {
  const struct {
    double gamma, ridge, label_noise, theta0_var, init_overlap;
  } cases[] = {{0.5, 0.1, 0.5, 0.25, 0.0}, {1.0, 0.0, 0.3, 0.25, 0.5}, {3.0, 0.05, 0.0, 1.0, 0.2}, {2.0, 0.1, 0.5, 0.0, 0.0}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    dmft_problem_t p;
    dmft_test_linear_problem(&p);
    p.noise = dmft_noise_find("flow");
    p.gamma = cases[c].gamma, p.ridge = cases[c].ridge, p.model.label_noise = cases[c].label_noise;
    p.theta0_var = cases[c].theta0_var, p.init_overlap = cases[c].init_overlap;
    p.tmax = 4.0, p.dt = 0.02, p.output_every = 2;
    dmft_result_t *exact = NULL, *volterra = NULL;
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &exact), DMFT_OK);
    p.engine_volterra = 1;
    char message[256];
    CU_ASSERT_EQUAL_FATAL(dmft_problem_check(&p, message, sizeof message), DMFT_OK);
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &volterra), DMFT_OK);
    CU_ASSERT_EQUAL(volterra->groups, 1);
    CU_ASSERT_EQUAL(volterra->M_se[volterra->rows - 1], 0.0);
    char what[64];
    snprintf(what, sizeof what, "gamma %g", cases[c].gamma);
    expect_equal_results(exact, volterra, 1e-12, what);
    dmft_result_free(&exact);
    dmft_result_free(&volterra);
  }
}

/* The Stieltjes transform m(z) = E[1 / (s - z)] of the spectrum of X^T X (Marchenko-Pastur,
 * ratio 1/gamma, with its atom) and its derivative at z = -ridge < 0, in closed form: with
 * x = s / gamma the law of a sample covariance of ratio c = 1/gamma, whose transform solves
 * c z m^2 + (z - 1 + c) m + 1 = 0 (the positive root for z < 0). */
static void stieltjes(double gamma, double ridge, double *m, double *derivative) {
  const double c = 1.0 / gamma, z = -ridge / gamma, b = z - 1.0 + c;
  const double root = sqrt(b * b - 4.0 * c * z);
  const double mc = (-b + root) / (2.0 * c * z) > 0 ? (-b + root) / (2.0 * c * z) : (-b - root) / (2.0 * c * z);
  const double dmc = -(c * mc * mc + mc) / (2.0 * c * z * mc + b);
  *m = mc / gamma;
  *derivative = dmc / (gamma * gamma);
}

/* Gradient flow with ridge ends at the ridge estimator, whose overlaps and losses are rational
 * functions of s: E[s/(s+l)] = 1 - l m, E[s/(s+l)^2] = m - l m', E[s^2/(s+l)^2] = 1 - 2 l m + l^2 m'
 * (m, m' at z = -l). At t = 200 the slowest direction (the ridge's own rate, at the atom) has
 * decayed by e^-80, so the Volterra engine's last row must be that closed form to rounding: 1e-12
 * (3e-15 measured). It checks the quadrature of the Marchenko-Pastur law without the DMFT. */
static void test_gradient_flow_ends_at_the_ridge_closed_form(void) {
  const double gammas[2] = {0.5, 2.0}, ridges[2] = {0.2, 0.5};
  for (int g = 0; g < 2; g++)
    for (int l = 0; l < 2; l++) {
      dmft_problem_t p;
      dmft_test_linear_problem(&p);
      p.engine_volterra = 1;
      p.noise = dmft_noise_find("flow");
      p.gamma = gammas[g], p.ridge = ridges[l], p.eta = 1.0, p.dt = 0.05, p.tmax = 200.0;
      const double rho = p.teacher_var, sigma2 = p.model.label_noise * p.model.label_noise, lambda = p.ridge;
      double m, dm;
      stieltjes(p.gamma, lambda, &m, &dm);
      const double e1 = 1.0 - lambda * m, e2 = m - lambda * dm, e3 = 1.0 - 2.0 * lambda * m + lambda * lambda * dm;
      const double M = rho * e1, Q = rho * e3 + sigma2 * e2;
      const double train = (rho * lambda * lambda * e2 + sigma2 * e3 - 2.0 * sigma2 * e1) / (2.0 * p.gamma) + 0.5 * sigma2;
      const double test = 0.5 * (Q - 2.0 * M + rho + sigma2);
      dmft_result_t *r = NULL;
      CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &r), DMFT_OK);
      const long last = r->rows - 1;
      const double differences[4] = {fabs(r->M[last] - M), fabs(r->Q[last] - Q), fabs(r->train_loss[last] - train),
                                     fabs(r->test_loss[last] - test)};
      for (int i = 0; i < 4; i++) {
        if (!(differences[i] < 1e-12)) printf("\n  gamma %g ridge %g: observable %d off by %.3g", p.gamma, lambda, i, differences[i]);
        CU_ASSERT(differences[i] < 1e-12);
      }
      dmft_result_free(&r);
    }
}

/* Every output row of M, Q and the losses within the Bonferroni tolerance of the DMFT's own
 * standard errors (the Volterra engine adds none). */
static void expect_within_standard_errors(dmft_problem_t *p, const char *what) {
  dmft_result_t *paths = NULL, *volterra = NULL;
  p->engine_volterra = 0;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(p, NULL, NULL, &paths), DMFT_OK);
  p->engine_volterra = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(p, NULL, NULL, &volterra), DMFT_OK);
  const double *values[4][3] = {{paths->M, paths->M_se, volterra->M},
                                {paths->Q, paths->Q_se, volterra->Q},
                                {paths->train_loss, paths->train_loss_se, volterra->train_loss},
                                {paths->test_loss, paths->test_loss_se, volterra->test_loss}};
  const long comparisons = 4 * (paths->rows - 1);
  const double tolerance = dmft_bonferroni_z(comparisons, 0.01);
  double largest = 0.0;
  for (int o = 0; o < 4; o++)
    for (long i = 1; i < paths->rows; i++) largest = fmax(largest, fabs(values[o][0][i] - values[o][2][i]) / values[o][1][i]);
  printf("\n  %s: largest deviation %.2f standard errors (tolerance %.2f)", what, largest, tolerance);
  CU_ASSERT(largest <= tolerance);
  dmft_result_free(&paths);
  dmft_result_free(&volterra);
}

static void test_the_noises_match_their_dmft_solves(void) {
  static const struct {
    const char *noise;
    double dt;
    long paths;
  } cases[] = {{"poisson", 0.0025, 200000}, {"bernoulli", 0.0025, 200000}, {"gauss", 0.005, 20000}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dmft_problem_t p;
    dmft_test_linear_problem(&p);
    p.noise = dmft_noise_find(cases[i].noise);
    p.eta = 1.0, p.tmax = 1.0, p.dt = cases[i].dt, p.output_every = lround(0.1 / cases[i].dt), p.paths = cases[i].paths;
    expect_within_standard_errors(&p, cases[i].noise);
  }
}

/* The schedule enters through the per-step coefficients, as in the DMFT. */
static void test_a_schedule_matches_its_dmft_solve(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.eta = 1.2, p.dt = 0.0025, p.tmax = 1.0, p.output_every = 40, p.paths = 200000;
  p.eta_schedule.kind = DMFT_SCHEDULE_COSINE;
  p.eta_schedule.final = 0.1;
  p.eta_schedule.warmup = 0.2;
  expect_within_standard_errors(&p, "cosine schedule");
}

/* The convolution form, O(K^2) with the kernel tabulated, against the recursion. */
static void test_the_convolution_is_the_recursion(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.engine_volterra = 1;
  p.eta = 1.0, p.dt = 0.01, p.tmax = 100.0; /* 10^4 steps */
  dmft_result_t *recursion = NULL, *direct = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &recursion), DMFT_OK);
  p.volterra_direct = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &direct), DMFT_OK);
  expect_equal_results(recursion, direct, 1e-10, "direct");
  dmft_result_free(&recursion);
  dmft_result_free(&direct);
}

static void test_what_it_does_not_solve_is_refused(void) {
  char message[256];
  dmft_problem_t p;
  dmft_problem_set_defaults(&p); /* Huber on tanh */
  p.engine_volterra = 1;
  CU_ASSERT_EQUAL(dmft_problem_check(&p, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT(strstr(message, "--engine volterra") && strstr(message, "--loss squared"));
  dmft_test_linear_problem(&p);
  p.engine_volterra = 1;
  p.noise = dmft_noise_find("reshuffle");
  CU_ASSERT_EQUAL(dmft_problem_check(&p, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT(strstr(message, "independent increments") != NULL);
  dmft_test_linear_problem(&p);
  p.engine_volterra = 1;
  p.momentum_time = 0.3;
  CU_ASSERT_EQUAL(dmft_problem_check(&p, message, sizeof message), DMFT_EINVAL);
  dmft_test_linear_problem(&p);
  p.volterra_direct = 1;
  CU_ASSERT_EQUAL(dmft_problem_check(&p, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT(strstr(message, "--volterra-direct") != NULL);
  dmft_result_t *r = NULL;
  dmft_problem_set_defaults(&p);
  p.engine_volterra = 1;
  CU_ASSERT_EQUAL(dmft_solve(&p, NULL, NULL, &r), DMFT_EINVAL);
  CU_ASSERT_PTR_NULL(r);
}

/* eta dt (1 + sqrt(gamma))^2 = 4.5 > 2: the top mode grows by 3.5 a step. */
static void test_a_divergence_is_found(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.engine_volterra = 1;
  p.noise = dmft_noise_find("flow");
  p.gamma = 4.0, p.eta = 5.0, p.dt = 0.1, p.tmax = 10.0, p.output_every = 1;
  dmft_result_t *r = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &r), DMFT_EDIVERGED);
  CU_ASSERT(r->diverged_at > 0.8 && r->diverged_at < 2.5);
  CU_ASSERT(r->rows_done > 8 && r->rows_done < 25);
  for (long i = 0; i < r->rows_done; i++) CU_ASSERT(isfinite(r->Q[i]));
  dmft_result_free(&r);
}

int main(void) {
  CU_TestInfo tests[] = {{"gradient flow is the exact engine", test_gradient_flow_is_the_exact_engine},
                         {"gradient flow ends at the ridge closed form", test_gradient_flow_ends_at_the_ridge_closed_form},
                         {"the noises match their DMFT solves", test_the_noises_match_their_dmft_solves},
                         {"a schedule matches its DMFT solve", test_a_schedule_matches_its_dmft_solve},
                         {"the convolution is the recursion", test_the_convolution_is_the_recursion},
                         {"what it does not solve is refused", test_what_it_does_not_solve_is_refused},
                         {"a divergence is found", test_a_divergence_is_found},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("volterra", tests);
}

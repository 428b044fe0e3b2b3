/* The Volterra engine with a covariance spectrum: the spectral measures from Silverstein's
 * equation (solver/volterra_spectrum.c) against what they must satisfy exactly, and the engine
 * against the DMFT, which never uses them:
 * - the measures' masses and first moments (1, E[lambda]; gamma E[lambda], gamma E[lambda^2]),
 *   their Stieltjes transforms at z = -0.7 (from the fixed point of delta, no quadrature), and
 *   sum_j nu_j mu_j = mu: to 1e-12, on spectra with an atom at 0 (gamma 0.6), a hard edge
 *   (gamma 1), gaps between bands and merged classes (32- and 64-class power laws);
 * - the spectrum {(1, 1)} against the Marchenko-Pastur closed form: 1e-12;
 * - gradient flow against the exact DMFT engine with the same spectrum (its per-class recursions):
 *   every observable, the Sigma-weighted and per-class overlaps and both kernels to 1e-12
 *   (1e-14 measured; 256 Gauss-Legendre nodes on a whole band were 2e-10 off on the 8-class power
 *   law, which is why bands are cut adaptively);
 * - SGD (poisson) on a power law against its DMFT solve over sample paths, within the Bonferroni
 *   tolerance of the DMFT's standard errors, dt small enough for the O(dt) difference of the
 *   two noise discretizations to stay below them (test_volterra.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dmft/compare.h"
#include "dmft/dmft.h"
#include "test_support.h"
#include "volterra_spectrum.h"

typedef struct {
  const char *name;
  dmft_spectrum_t spectrum;
  double gamma, eta;
} spectral_case_t;

static int cases(spectral_case_t *out) {
  int n = 0;
  out[n++] = (spectral_case_t){"two-level, mean 1.5", {.classes = 2, .eigenvalue = {0.5, 2.5}, .weight = {0.5, 0.5}}, 2.0, 1.5};
  out[n++] = (spectral_case_t){"two-level at gamma 1 (hard edge)", {.classes = 2, .eigenvalue = {0.5, 2.5}, .weight = {0.3, 0.7}}, 1.0, 0.5};
  out[n] = (spectral_case_t){"power law, 8 classes", {0}, 2.0, 1.0};
  dmft_spectrum_power_law(&out[n++].spectrum, 1.5, 8);
  out[n] = (spectral_case_t){"power law, 16 classes, gamma 0.6 (atom)", {0}, 0.6, 1.0};
  dmft_spectrum_power_law(&out[n++].spectrum, 1.5, 16);
  out[n] = (spectral_case_t){"power law, 32 classes, gamma 4", {0}, 4.0, 0.3};
  dmft_spectrum_power_law(&out[n++].spectrum, 1.5, 32);
  out[n] = (spectral_case_t){"power law 2.5, 64 classes", {0}, 2.0, 0.2};
  dmft_spectrum_power_law(&out[n++].spectrum, 2.5, 64);
  return n;
}

static double second_moment(const dmft_spectrum_t *s) {
  double sum = 0.0;
  for (int j = 0; j < s->classes; j++) sum += s->weight[j] * s->eigenvalue[j] * s->eigenvalue[j];
  return sum;
}

static void test_measures_satisfy_their_identities(void) {
  spectral_case_t list[8];
  const int n = cases(list);
  for (int c = 0; c < n; c++) {
    const dmft_spectrum_t *s = &list[c].spectrum;
    const double gamma = list[c].gamma, z = -0.7;
    dmft__volterra_spectrum_t v;
    CU_ASSERT_EQUAL_FATAL(dmft__volterra_spectrum_create(s, gamma, &v), DMFT_OK);
    double mass = 0, mass_sigma = 0, moment = 0, moment_sigma = 0, stieltjes = 0, stieltjes_sigma = 0, worst_class = 0;
    for (int i = 0; i < v.count; i++) {
      mass += v.weight[i];
      mass_sigma += v.weight_sigma[i];
      moment += v.weight[i] * v.s[i];
      moment_sigma += v.weight_sigma[i] * v.s[i];
      stieltjes += v.weight[i] / (v.s[i] - z);
      stieltjes_sigma += v.weight_sigma[i] / (v.s[i] - z);
      double classes = 0.0;
      for (int j = 0; j < s->classes; j++) classes += s->weight[j] * v.class_weight[(size_t)j * (size_t)v.count + (size_t)i];
      worst_class = fmax(worst_class, fabs(classes - v.weight[i]));
    }
    double trace;
    const double delta = dmft__volterra_delta_at(s, gamma, z, &trace);
    const double mean = dmft_spectrum_mean(s);
    printf("\n  %s: %d bands, %d nodes; mass %.1e, Stieltjes %.1e off", list[c].name, v.bands, v.count, fabs(mass - 1.0),
           fabs(stieltjes - trace));
    DMFT_ASSERT_CLOSE("mass of mu", mass, 1.0, 1e-12);
    DMFT_ASSERT_CLOSE("mass of mu_Sigma", mass_sigma, mean, 1e-12);
    DMFT_ASSERT_CLOSE("first moment of mu", moment, gamma * mean, 1e-12);
    DMFT_ASSERT_CLOSE("first moment of mu_Sigma", moment_sigma, gamma * second_moment(s), 1e-12);
    DMFT_ASSERT_CLOSE("Stieltjes transform of mu", stieltjes, trace, 1e-12);
    DMFT_ASSERT_CLOSE("Stieltjes transform of mu_Sigma", stieltjes_sigma, delta, 1e-12);
    DMFT_ASSERT_CLOSE("sum of the class measures", worst_class, 0.0, 1e-14);
    dmft__volterra_spectrum_free(&v);
  }
}

static void linear_flow(dmft_problem_t *p, double gamma, double eta) {
  dmft_test_linear_problem(p);
  p->noise = dmft_noise_find("flow");
  p->gamma = gamma, p->eta = eta, p->ridge = 0.05, p->model.label_noise = 0.3, p->init_overlap = 0.2;
  p->tmax = 3.0, p->dt = 0.02, p->output_every = 3;
}

static double difference(const double *a, const double *b, size_t n) {
  double largest = 0.0;
  for (size_t i = 0; i < n; i++) largest = fmax(largest, fabs(a[i] - b[i]));
  return largest;
}

static void test_a_unit_class_is_marchenko_pastur(void) {
  const double gammas[3] = {0.5, 1.0, 3.0};
  for (int g = 0; g < 3; g++) {
    dmft_problem_t p;
    linear_flow(&p, gammas[g], 1.0);
    p.engine_volterra = 1;
    dmft_result_t *closed = NULL, *silverstein = NULL;
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &closed), DMFT_OK);
    p.spectrum = (dmft_spectrum_t){.classes = 1, .eigenvalue = {1.0}, .weight = {1.0}};
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &silverstein), DMFT_OK);
    const size_t rows = (size_t)closed->rows;
    const double worst = fmax(fmax(difference(closed->M, silverstein->M, rows), difference(closed->Q, silverstein->Q, rows)),
                              fmax(difference(closed->train_loss, silverstein->train_loss, rows),
                                   difference(closed->R, silverstein->R, rows * rows)));
    DMFT_ASSERT_CLOSE("Silverstein's {(1, 1)} against Marchenko-Pastur", worst, 0.0, 1e-12);
    dmft_result_free(&closed);
    dmft_result_free(&silverstein);
  }
}

static void test_gradient_flow_is_the_exact_engine(void) {
  spectral_case_t list[8];
  const int n = cases(list);
  for (int c = 0; c < n; c++) {
    dmft_problem_t p;
    linear_flow(&p, list[c].gamma, list[c].eta);
    p.spectrum = list[c].spectrum;
    dmft_result_t *exact = NULL, *volterra = NULL;
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &exact), DMFT_OK);
    p.engine_volterra = 1;
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &volterra), DMFT_OK);
    const size_t rows = (size_t)exact->rows, classes = (size_t)p.spectrum.classes;
    const double differences[9] = {difference(exact->M, volterra->M, rows),
                                   difference(exact->Q, volterra->Q, rows),
                                   difference(exact->M_sigma, volterra->M_sigma, rows),
                                   difference(exact->Q_sigma, volterra->Q_sigma, rows),
                                   difference(exact->class_M, volterra->class_M, rows * classes),
                                   difference(exact->class_Q, volterra->class_Q, rows * classes),
                                   fmax(difference(exact->train_loss, volterra->train_loss, rows),
                                        difference(exact->test_loss, volterra->test_loss, rows)),
                                   difference(exact->C, volterra->C, rows * rows),
                                   difference(exact->R, volterra->R, rows * rows)};
    double worst = 0.0;
    for (int i = 0; i < 9; i++) worst = fmax(worst, differences[i]);
    printf("\n  %s: largest difference %.1e", list[c].name, worst);
    DMFT_ASSERT_CLOSE("Volterra against the exact DMFT engine", worst, 0.0, 1e-12);
    dmft_result_free(&exact);
    dmft_result_free(&volterra);
  }
}

static void test_sgd_on_a_power_law_matches_its_dmft_solve(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("poisson");
  dmft_spectrum_power_law(&p.spectrum, 1.5, 8);
  p.eta = 0.8, p.tmax = 1.0, p.dt = 0.0025, p.output_every = 40, p.paths = 200000, p.threads = 2;
  dmft_result_t *paths = NULL, *volterra = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &paths), DMFT_OK);
  p.engine_volterra = 1;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &volterra), DMFT_OK);
  const double *values[6][3] = {{paths->M, paths->M_se, volterra->M},
                                {paths->Q, paths->Q_se, volterra->Q},
                                {paths->M_sigma, paths->M_sigma_se, volterra->M_sigma},
                                {paths->Q_sigma, paths->Q_sigma_se, volterra->Q_sigma},
                                {paths->train_loss, paths->train_loss_se, volterra->train_loss},
                                {paths->test_loss, paths->test_loss_se, volterra->test_loss}};
  const double tolerance = dmft_bonferroni_z(6 * (paths->rows - 1), 0.01);
  double largest = 0.0;
  for (int o = 0; o < 6; o++)
    for (long i = 1; i < paths->rows; i++) largest = fmax(largest, fabs(values[o][0][i] - values[o][2][i]) / values[o][1][i]);
  /* Without the SGD noise (gradient flow's equations) the same DMFT solve is far off: the
   * comparison can fail. */
  p.noise = dmft_noise_find("flow");
  dmft_result_t *flow = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &flow), DMFT_OK);
  double flow_largest = 0.0;
  for (long i = 1; i < paths->rows; i++) flow_largest = fmax(flow_largest, fabs(paths->Q[i] - flow->Q[i]) / paths->Q_se[i]);
  printf("\n  SGD: largest deviation %.2f standard errors (tolerance %.2f); gradient flow's Q %.1f off", largest, tolerance,
         flow_largest);
  CU_ASSERT(largest <= tolerance);
  CU_ASSERT(flow_largest > 2 * tolerance);
  dmft_result_free(&paths);
  dmft_result_free(&volterra);
  dmft_result_free(&flow);
}

int main(void) {
  CU_TestInfo tests[] = {{"the measures satisfy their identities", test_measures_satisfy_their_identities},
                         {"a unit class is Marchenko-Pastur", test_a_unit_class_is_marchenko_pastur},
                         {"gradient flow is the exact engine", test_gradient_flow_is_the_exact_engine},
                         {"SGD on a power law matches its DMFT solve", test_sgd_on_a_power_law_matches_its_dmft_solve},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("volterra-spectrum", tests);
}

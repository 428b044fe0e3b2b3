/* Covariance spectra: the spectrum files and families, and the solver's Sigma-weighted DMFT
 * against what must hold exactly — one class of eigenvalue 1 is isotropic data to the bit, equal
 * classes are isotropic data to rounding, and data of one eigenvalue c is isotropic data with
 * rescaled parameters (below) — and against finite-n SGD on anisotropic data, which the isotropic
 * solve with the same mean eigenvalue fails. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dmft/compare.h"
#include "dmft/simulate.h"
#include "dmft/spectrum.h"
#include "test_support.h"

static char path[64];

static const char *write_file(const char *text) {
  snprintf(path, sizeof path, "/tmp/dmft-test-spectrum-%ld.txt", (long)getpid());
  FILE *file = fopen(path, "w");
  fputs(text, file);
  fclose(file);
  return path;
}

static void test_files(void) {
  dmft_spectrum_t s;
  char message[256] = "";
  CU_ASSERT_EQUAL(dmft_spectrum_read_file(&s, write_file("# eigenvalue weight\n2 1\n\n0.5 3\n"), message, sizeof message), DMFT_OK);
  CU_ASSERT_EQUAL(s.classes, 2);
  DMFT_ASSERT_CLOSE("weights divided by their sum", s.weight[0], 0.25, 1e-15);
  DMFT_ASSERT_CLOSE("mean eigenvalue", dmft_spectrum_mean(&s), 0.25 * 2 + 0.75 * 0.5, 1e-15);
  DMFT_ASSERT_CLOSE("largest eigenvalue", dmft_spectrum_largest(&s), 2.0, 0.0);
  const struct {
    const char *text, *expected;
  } bad[] = {{"1 1\n2\n", "line 2: expected 'eigenvalue weight'"},
             {"1 1\n0 1\n", "line 2: the eigenvalue and the weight must be > 0"},
             {"1 -1\n", "line 1: the eigenvalue and the weight must be > 0"},
             {"1 1 1\n", "line 1: expected"},
             {"1 nan\n", "line 1: expected"},
             {"# nothing\n", "no 'eigenvalue weight' line"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CU_ASSERT_EQUAL(dmft_spectrum_read_file(&s, write_file(bad[i].text), message, sizeof message), DMFT_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(message, bad[i].expected));
    CU_ASSERT_PTR_NOT_NULL(strstr(message, "--spectrum"));
    CU_ASSERT_EQUAL(s.classes, 0);
  }
  remove(path);
  CU_ASSERT_EQUAL(dmft_spectrum_read_file(&s, "/nonexistent/spectrum", message, sizeof message), DMFT_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(message, "cannot open"));
}

static void test_families_and_columns(void) {
  dmft_spectrum_t s;
  dmft_spectrum_power_law(&s, 1.5, 16);
  CU_ASSERT_EQUAL(s.classes, 16);
  DMFT_ASSERT_CLOSE("power law: mean 1", dmft_spectrum_mean(&s), 1.0, 1e-15);
  DMFT_ASSERT_CLOSE("power law: lambda_1 / lambda_4 = 4^1.5", s.eigenvalue[0] / s.eigenvalue[3], 8.0, 1e-13);
  char message[256];
  CU_ASSERT_EQUAL(dmft_spectrum_check(&s, message, sizeof message), DMFT_OK);
  dmft_spectrum_two_level(&s, 0.5, 2.5, 0.25);
  DMFT_ASSERT_CLOSE("two-level mean", dmft_spectrum_mean(&s), 0.25 * 0.5 + 0.75 * 2.5, 1e-15);
  s.weight[1] = 0.5;
  CU_ASSERT_EQUAL(dmft_spectrum_check(&s, message, sizeof message), DMFT_EINVAL); /* weights summing to 0.75 */
  /* Columns: round(nu d) by largest remainders, summing to d. */
  dmft_spectrum_t thirds = {.classes = 3, .eigenvalue = {1, 2, 3}, .weight = {1.0 / 3, 1.0 / 3, 1.0 / 3}};
  long columns[3];
  dmft_spectrum_columns(&thirds, 100, columns);
  CU_ASSERT(columns[0] == 34 && columns[1] == 33 && columns[2] == 33);
  dmft_spectrum_t realized;
  dmft_spectrum_realized(&thirds, 100, &realized);
  DMFT_ASSERT_CLOSE("realized weight", realized.weight[0], 0.34, 1e-15);
  const dmft_spectrum_t tiny = {.classes = 2, .eigenvalue = {1, 2}, .weight = {0.999, 0.001}};
  dmft_spectrum_realized(&tiny, 100, &realized);
  CU_ASSERT_EQUAL(realized.classes, 1); /* 0.1 of a column: none */
}

static dmft_result_t *solve(const dmft_problem_t *problem) {
  char message[256];
  if (dmft_problem_check(problem, message, sizeof message) != DMFT_OK) {
    printf("\n  refused: %s\n", message);
    return NULL;
  }
  dmft_result_t *r = NULL;
  const int status = dmft_solve(problem, NULL, NULL, &r);
  CU_ASSERT_EQUAL(status, DMFT_OK);
  return r;
}

/* The problems the exact checks run: the sparse engine (poisson, Huber loss on tanh), a committee,
 * momentum, the dense engine (gauss), the exact engine (flow on least squares) and the sampled
 * parameter side. */
enum { CASES = 6 };

static void case_problem(int c, dmft_problem_t *p) {
  dmft_problem_set_defaults(p);
  p->tmax = 1.5;
  p->paths = 3200;
  p->threads = 2;
  if (c == 1) p->model.k = p->model.kstar = 2;
  if (c == 2) p->momentum_time = 0.3, p->noise = dmft_noise_find("bernoulli");
  if (c == 3) p->noise = dmft_noise_find("gauss");
  if (c == 4) {
    dmft_test_linear_problem(p);
    p->noise = dmft_noise_find("flow");
    p->tmax = 1.5;
  }
  if (c == 5) p->sampled_parameter_side = 1;
}

static int same_doubles(const double *a, const double *b, size_t n) { return memcmp(a, b, sizeof(double) * n) == 0; }

/* The spectrum {(1, 1)} runs the per-class code on one class of gain 1 and weight 1, which
 * multiplies by 1 and adds to 0: the isotropic numbers to the bit, M_sigma = M, Q_sigma = Q. */
static void test_one_unit_class_is_isotropic_to_the_bit(void) {
  for (int c = 0; c < CASES; c++) {
    dmft_problem_t p;
    case_problem(c, &p);
    dmft_result_t *isotropic = solve(&p);
    p.spectrum = (dmft_spectrum_t){.classes = 1, .eigenvalue = {1.0}, .weight = {1.0}};
    dmft_result_t *one = solve(&p);
    CU_ASSERT_FATAL(isotropic && one);
    const size_t rows = (size_t)one->rows, kk = (size_t)(one->k * one->k), kks = (size_t)(one->k * one->kstar);
    CU_ASSERT(same_doubles(isotropic->M, one->M, rows * kks) && same_doubles(isotropic->Q, one->Q, rows * kk));
    CU_ASSERT(same_doubles(isotropic->M, one->M_sigma, rows * kks) && same_doubles(isotropic->Q, one->Q_sigma, rows * kk));
    CU_ASSERT(same_doubles(isotropic->train_loss, one->train_loss, rows) && same_doubles(isotropic->test_loss, one->test_loss, rows));
    CU_ASSERT(same_doubles(isotropic->C, one->C, rows * rows * kk) && same_doubles(isotropic->R, one->R, rows * rows * kk));
    CU_ASSERT(same_doubles(isotropic->M_se, one->M_se, rows * kks));
    CU_ASSERT(same_doubles(isotropic->M, one->class_M, rows * kks));
    dmft_result_free(&isotropic);
    dmft_result_free(&one);
  }
}

static double largest_relative_difference(const double *a, const double *b, size_t n) {
  double largest = 0.0;
  for (size_t i = 0; i < n; i++) largest = fmax(largest, fabs(a[i] - b[i]) / fmax(1e-3, fabs(a[i])));
  return largest;
}

/* Classes of equal eigenvalues are one class: to rounding (1e-12 relative; 1e-15 measured). */
static void test_equal_classes_are_isotropic(void) {
  for (int c = 0; c < CASES; c++) {
    dmft_problem_t p;
    case_problem(c, &p);
    dmft_result_t *isotropic = solve(&p);
    p.spectrum = (dmft_spectrum_t){.classes = 3, .eigenvalue = {1.0, 1.0, 1.0}, .weight = {0.2, 0.3, 0.5}};
    dmft_result_t *three = solve(&p);
    CU_ASSERT_FATAL(isotropic && three);
    const size_t rows = (size_t)three->rows, kk = (size_t)(three->k * three->k), kks = (size_t)(three->k * three->kstar);
    const double differences[4] = {largest_relative_difference(isotropic->M, three->M, rows * kks),
                                   largest_relative_difference(isotropic->Q, three->Q, rows * kk),
                                   largest_relative_difference(isotropic->train_loss, three->train_loss, rows),
                                   largest_relative_difference(isotropic->C, three->C, rows * rows * kk)};
    for (int i = 0; i < 4; i++) DMFT_ASSERT_CLOSE("equal classes against isotropic data", differences[i], 0.0, 1e-12);
    /* Every class sees the same dynamics (the sampled side's classes have paths of their own). */
    for (size_t row = 0; row < rows && !p.sampled_parameter_side; row++)
      for (int j = 0; j < 3; j++) DMFT_ASSERT_CLOSE("class M", three->class_M[(row * 3 + (size_t)j) * kks], three->M[row * kks], 1e-12);
    dmft_result_free(&isotropic);
    dmft_result_free(&three);
  }
}

/* Inputs of covariance c I are isotropic inputs times sqrt(c): with theta' = sqrt(c) theta the
 * fields, labels and losses are those of isotropic data with etabar c, ridge / c, theta0_var c and
 * teacher_var c, exactly, for any loss, activation and teacher. So the spectrum {(c, 1)} must give
 * M = M' / c, Q = Q' / c, M_sigma = M', Q_sigma = Q' and the same losses, to rounding. With c = 2.5
 * this sees each place the mean eigenvalue enters: the labels' variance E[lambda] rho, the
 * response R_Sigma(t + dt, t) = E[lambda] (also between jumps in one step), and the parameter
 * side's gain gamma lambda. Tolerance 1e-9 relative: rounding, through a Cholesky factor of C. */
static void test_one_eigenvalue_is_rescaled_isotropic_data(void) {
  const double scale = 2.5;
  for (int c = 0; c < CASES; c++) {
    dmft_problem_t p;
    case_problem(c, &p);
    if (c == 0) p.eta = 0.6, p.kappa = 0.4; /* kicks of eta/kappa = 1.5 and several jumps a step, at eta' dt = 0.075 */
    p.spectrum = (dmft_spectrum_t){.classes = 1, .eigenvalue = {scale}, .weight = {1.0}};
    dmft_result_t *spectral = solve(&p);
    dmft_problem_t rescaled = p;
    rescaled.spectrum.classes = 0;
    rescaled.eta *= scale;
    rescaled.ridge /= scale;
    rescaled.theta0_var *= scale;
    rescaled.teacher_var *= scale;
    dmft_result_t *isotropic = solve(&rescaled);
    CU_ASSERT_FATAL(spectral && isotropic);
    const size_t rows = (size_t)spectral->rows, kk = (size_t)(spectral->k * spectral->k), kks = (size_t)(spectral->k * spectral->kstar);
    double worst = 0.0;
    for (size_t i = 0; i < rows * kks; i++) {
      worst = fmax(worst, fabs(spectral->M[i] * scale - isotropic->M[i]) / fmax(1e-3, fabs(isotropic->M[i])));
      worst = fmax(worst, fabs(spectral->M_sigma[i] - isotropic->M[i]) / fmax(1e-3, fabs(isotropic->M[i])));
    }
    for (size_t i = 0; i < rows * kk; i++) {
      worst = fmax(worst, fabs(spectral->Q[i] * scale - isotropic->Q[i]) / fmax(1e-3, fabs(isotropic->Q[i])));
      worst = fmax(worst, fabs(spectral->Q_sigma[i] - isotropic->Q[i]) / fmax(1e-3, fabs(isotropic->Q[i])));
    }
    worst = fmax(worst, largest_relative_difference(spectral->train_loss, isotropic->train_loss, rows));
    worst = fmax(worst, largest_relative_difference(spectral->test_loss, isotropic->test_loss, rows));
    worst = fmax(worst, largest_relative_difference(spectral->C, isotropic->C, rows * rows * kk));
    printf("\n  case %d: largest relative difference %.2g ", c, worst);
    DMFT_ASSERT_CLOSE("spectrum {(2.5, 1)} against rescaled isotropic data", worst, 0.0, 1e-9);
    dmft_result_free(&spectral);
    dmft_result_free(&isotropic);
  }
}

/* The exact per-class parameter side against the sampled one (a Monte Carlo of each class's
 * linear dynamics, with its own paths): a two-level spectrum of mean 1.5, within the Bonferroni
 * bound for 1% over the compared entries. */
static void test_exact_classes_against_sampled_classes(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.noise = dmft_noise_find("bernoulli");
  p.tmax = 2.0;
  p.paths = 16000;
  p.threads = 2;
  p.spectrum = (dmft_spectrum_t){.classes = 2, .eigenvalue = {0.5, 2.5}, .weight = {0.5, 0.5}};
  dmft_result_t *exact = solve(&p);
  p.sampled_parameter_side = 1;
  p.seed = 99; /* independent sample side too */
  dmft_result_t *sampled = solve(&p);
  CU_ASSERT_FATAL(exact && sampled);
  const double z = dmft_bonferroni_z(3 * exact->rows, 0.01);
  dmft_test_assert_results_agree("exact and sampled class recursions", exact, sampled, 1, z);
  for (long row = 1; row < exact->rows; row++)
    for (int j = 0; j < 2; j++)
      DMFT_ASSERT_WITHIN_Z("class M", exact->class_M[row * 2 + j], exact->class_M_se[row * 2 + j], sampled->class_M[row * 2 + j],
                           sampled->class_M_se[row * 2 + j], z);
  dmft_result_free(&exact);
  dmft_result_free(&sampled);
}

int main(void) {
  CU_TestInfo tests[] = {{"spectrum files are read or refused by line", test_files},
                         {"families, columns, realized weights", test_families_and_columns},
                         {"one unit class is isotropic data to the bit", test_one_unit_class_is_isotropic_to_the_bit},
                         {"equal classes are isotropic data", test_equal_classes_are_isotropic},
                         {"one eigenvalue c is rescaled isotropic data", test_one_eigenvalue_is_rescaled_isotropic_data},
                         {"exact classes against sampled classes", test_exact_classes_against_sampled_classes},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("spectrum", tests);
}

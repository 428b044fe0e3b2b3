/* The exact Gaussian engine against random matrix theory. Gradient descent with step eta dt on
 * ridge regression, theta_{k+1} = theta_k - eta dt ((S + ridge) theta_k - S theta* - s X^T eps),
 * S = X^T X, has the closed form theta_k = a^k theta_0 + h_k(S) (S theta* + s X^T eps) with
 * a(s) = 1 - eta dt (s + ridge), h_k = (1 - a^k) / (s + ridge); as n, d -> infinity the spectrum
 * of S is Marchenko–Pastur with support (sqrt(gamma) -+ 1)^2 and an atom 1 - gamma at 0 when
 * gamma < 1. Then M(k) = tv E[a^k m0 + h_k s] and
 * Q(k) = E[tv (a^k m0 + h_k s)^2 + v0 a^2k + s_noise^2 h_k^2 s]. The DMFT at dt is that same
 * limit with no Monte Carlo, so the tolerance is the quadrature's and rounding's, 1e-8 — far
 * inside the "three digits" asked of it. */
#include "test_support.h"

typedef struct {
  double gamma, eta, dt, ridge, teacher_var, m0, v0, noise;
} ridge_gd_t;

static void marchenko_pastur(const ridge_gd_t *c, long k, double *M, double *Q) {
  const double lower = pow(sqrt(c->gamma) - 1, 2), upper = pow(sqrt(c->gamma) + 1, 2);
  const int nodes = 20000;
  *M = *Q = 0.0;
  for (int i = 0; i <= nodes; i++) {
    double s, weight;
    if (i == nodes) { /* the atom at 0 */
      if (c->gamma >= 1) break;
      s = 0.0;
      weight = 1 - c->gamma;
    } else { /* s = mid + half cos(theta): the density's square root becomes sin(theta)^2 */
      const double theta = (i + 0.5) * 3.14159265358979323846 / nodes;
      s = 0.5 * (lower + upper) + 0.5 * (upper - lower) * cos(theta);
      const double density = sqrt(fmax((upper - s) * (s - lower), 0)) / (2 * 3.14159265358979323846 * s);
      weight = density * 0.5 * (upper - lower) * sin(theta) * 3.14159265358979323846 / nodes;
    }
    const double a = 1 - c->eta * c->dt * (s + c->ridge), ak = pow(a, (double)k);
    const double h = fabs(s + c->ridge) > 1e-14 ? (1 - ak) / (s + c->ridge) : k * c->eta * c->dt;
    const double coefficient = ak * c->m0 + h * s;
    *M += weight * c->teacher_var * coefficient;
    *Q += weight * (c->teacher_var * coefficient * coefficient + c->v0 * ak * ak + c->noise * c->noise * h * h * s);
  }
}

static void compare(const ridge_gd_t *c, double tmax) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.gamma = c->gamma, p.eta = c->eta, p.dt = c->dt, p.ridge = c->ridge, p.teacher_var = c->teacher_var;
  p.init_overlap = c->m0, p.theta0_var = c->v0, p.model.label_noise = c->noise, p.tmax = tmax;
  char message[256];
  CU_ASSERT_EQUAL_FATAL(dmft_problem_check(&p, message, sizeof message), DMFT_OK);
  dmft_result_t *r = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &r), DMFT_OK);
  CU_ASSERT_EQUAL(r->groups, 1);
  for (long i = 0; i < r->rows_done; i++) {
    double M, Q;
    marchenko_pastur(c, r->step[i], &M, &Q);
    DMFT_ASSERT_CLOSE("M against Marchenko-Pastur", r->M[i], M, 1e-8);
    DMFT_ASSERT_CLOSE("Q against Marchenko-Pastur", r->Q[i], Q, 1e-8);
    CU_ASSERT_EQUAL(r->M_se[i], 0.0);
  }
  dmft_result_free(&r);
}

static void test_overparametrized_noiseless(void) {
  const ridge_gd_t c = {.gamma = 3, .eta = 1, .dt = 0.1, .ridge = 0.5, .teacher_var = 1, .m0 = 0.2, .v0 = 1, .noise = 0};
  compare(&c, 8.0);
}

static void test_fewer_samples_than_dimensions_with_label_noise(void) {
  const ridge_gd_t c = {.gamma = 0.5, .eta = 0.7, .dt = 0.05, .ridge = 0.05, .teacher_var = 1.5, .m0 = 0, .v0 = 0.25,
                        .noise = 0.5};
  compare(&c, 5.0);
}

static void test_no_ridge_from_zero(void) {
  const ridge_gd_t c = {.gamma = 2, .eta = 0.5, .dt = 0.1, .ridge = 0, .teacher_var = 1, .m0 = 0, .v0 = 0, .noise = 0.3};
  compare(&c, 6.0);
}

int main(void) {
  CU_TestInfo tests[] = {{"overparametrized noiseless", test_overparametrized_noiseless},
                         {"fewer samples than dimensions with label noise", test_fewer_samples_than_dimensions_with_label_noise},
                         {"no ridge from zero", test_no_ridge_from_zero},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("engine_gaussian", tests);
}

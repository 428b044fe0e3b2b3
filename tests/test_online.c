/* The online-SGD equations: CVODE against an explicit integration of their closed form for a
 * linear model, and the DMFT of multi-pass SGD approaching them as gamma grows at fixed tau. */
#include "dmft/online.h"
#include "test_support.h"

/* For a linear student and teacher under squared loss, with label noise s and c the ridge per
 * unit tau, the equations are linear:
 *   dM/dtau = -h (M - tv) - c M,  dQ/dtau = -2h (Q - M) + h^2 (Q - 2M + tv + s^2) - 2c Q.
 * Classical RK4 with 20000 steps is accurate to 1e-12 here; CVODE is asked for 1e-9. */
static void test_linear_model_matches_its_closed_form(void) {
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.eta = 0.7, p.kappa = 1.0, p.gamma = 4.0, p.ridge = 0.2, p.model.label_noise = 0.4, p.tmax = 1.0, p.dt = 0.05;
  dmft_result_t *r = NULL;
  char message[256];
  CU_ASSERT_EQUAL_FATAL(dmft_online_solve(&p, NULL, NULL, &r, message, sizeof message), DMFT_OK);
  const double h = 0.7, c = 0.7 * 0.2 / 4.0, tv = 1.0, s2 = 0.16;
  double M = 0.0, Q = 0.25, tau = 0.0;
  const double step = 4.0 / 20000;
  long row = 0;
  for (long i = 0; i <= 20000; i++) {
    if (fabs(tau - 4.0 * r->t[row]) < 1e-9) {
      DMFT_ASSERT_CLOSE("M", r->M[row], M, 1e-7);
      DMFT_ASSERT_CLOSE("Q", r->Q[row], Q, 1e-7);
      DMFT_ASSERT_CLOSE("test loss", r->test_loss[row], 0.5 * (Q - 2 * M + tv + s2), 1e-7);
      row++;
      if (row == r->rows) break;
    }
    double kM[4], kQ[4];
    for (int stage = 0; stage < 4; stage++) {
      const double f = stage == 0 ? 0.0 : stage == 3 ? 1.0 : 0.5;
      const double m = M + (stage ? f * step * kM[stage - 1] : 0), q = Q + (stage ? f * step * kQ[stage - 1] : 0);
      kM[stage] = -h * (m - tv) - c * m;
      kQ[stage] = -2 * h * (q - m) + h * h * (q - 2 * m + tv + s2) - 2 * c * q;
    }
    M += step / 6 * (kM[0] + 2 * kM[1] + 2 * kM[2] + kM[3]);
    Q += step / 6 * (kQ[0] + 2 * kQ[1] + 2 * kQ[2] + kQ[3]);
    tau = (i + 1) * step;
  }
  CU_ASSERT_EQUAL(row, r->rows);
  dmft_result_free(&r);
}

/* Multi-pass SGD (poisson DMFT, Huber loss on tanh, eta 0.5) at tau = 2 against the online
 * equations: the test-loss gap shrinks like 1/gamma (measured: 0.0108 at gamma 5, 0.0026 at 20,
 * errors 0.0005), because a sample is reused about tau/gamma times. Paths grow with gamma so
 * that as many paths jump. */
static double test_loss_gap(double gamma, double *se) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.eta = 0.5, p.gamma = gamma, p.tmax = 2.0 / gamma, p.dt = p.tmax / 40, p.paths = (long)(40000 * gamma);
  dmft_result_t *online = NULL, *dmft = NULL;
  char message[256];
  CU_ASSERT_EQUAL(dmft_online_solve(&p, NULL, NULL, &online, message, sizeof message), DMFT_OK);
  CU_ASSERT_EQUAL(dmft_solve(&p, NULL, NULL, &dmft), DMFT_OK);
  const long last = dmft->rows_done - 1;
  const double gap = dmft->test_loss[last] - online->test_loss[last];
  *se = dmft->test_loss_se[last];
  dmft_result_free(&online);
  dmft_result_free(&dmft);
  return gap;
}

static void test_multipass_sgd_approaches_the_online_limit(void) {
  double se_small, se_large;
  const double small = test_loss_gap(5.0, &se_small), large = test_loss_gap(20.0, &se_large);
  CU_ASSERT(small > 5 * se_small);                  /* at gamma 5 the reuse of samples shows */
  CU_ASSERT(fabs(large) < fabs(small) / 2.5);       /* and fades as 1/gamma: a ratio of 4 expected, */
  CU_ASSERT(fabs(small) < 8 * fabs(large) + 4 * se_large); /* not faster */
}

int main(void) {
  CU_TestInfo tests[] = {{"linear model matches its closed form", test_linear_model_matches_its_closed_form},
                         {"multi-pass SGD approaches the online limit", test_multipass_sgd_approaches_the_online_limit},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("online", tests);
}

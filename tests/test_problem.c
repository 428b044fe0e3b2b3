/* dmft_problem_check: every value out of range is refused with one line that names the option
 * and what it accepts. */
#include <string.h>

#include "test_support.h"

typedef void (*spoil_fn)(dmft_problem_t *p);

static void bad_gamma(dmft_problem_t *p) { p->gamma = 0; }
static void bad_eta(dmft_problem_t *p) { p->eta = -1; }
static void bad_kappa(dmft_problem_t *p) { p->kappa = 0; }
static void bad_dt(dmft_problem_t *p) { p->dt = 0; }
static void dt_over_tmax(dmft_problem_t *p) { p->dt = 7; }
static void bad_tmax(dmft_problem_t *p) { p->tmax = -2; }
static void bad_paths(dmft_problem_t *p) { p->paths = 0; }
static void bad_ridge(dmft_problem_t *p) { p->ridge = -0.1; }
static void bad_theta0(dmft_problem_t *p) { p->theta0_var = -1; }
static void bad_teacher_var(dmft_problem_t *p) { p->teacher_var = 0; }
static void bad_k(dmft_problem_t *p) { p->model.k = 0; }
static void bad_kstar(dmft_problem_t *p) { p->model.kstar = 17; }
static void bad_flip(dmft_problem_t *p) {
  p->model.teacher = dmft_teacher_find("sign");
  p->model.flip_prob = 0.6;
}
static void flip_without_sign(dmft_problem_t *p) { p->model.flip_prob = 0.1; }
static void logistic_without_sign(dmft_problem_t *p) { p->model.loss = dmft_loss_find("logistic"); }
static void overlap_needs_equal_widths(dmft_problem_t *p) {
  p->init_overlap = 0.3;
  p->model.k = 2;
}
static void bernoulli_rate(dmft_problem_t *p) {
  p->noise = dmft_noise_find("bernoulli");
  p->kappa = 30;
}
static void relu_with_flow(dmft_problem_t *p) {
  p->model.activation = dmft_activation_find("relu");
  p->noise = dmft_noise_find("flow");
}
static void bad_huber(dmft_problem_t *p) { p->model.loss_params[0] = 0; }
static void bad_label_noise(dmft_problem_t *p) { p->model.label_noise = -1; }
/* The dense engine keeps O(K) numbers a path (its tangents are swept, not stored): 10^7 paths
 * at K = 4000 need far more than any machine here. */
static void too_much_memory(dmft_problem_t *p) {
  p->noise = dmft_noise_find("gauss");
  p->tmax = 200;
  p->paths = 10000000;
}
/* 2e5 steps of two-time kernels (hundreds of GiB) at 16 paths: the steps, not the paths, are
 * the cause, and the message must say so. */
static void too_many_steps_for_memory(dmft_problem_t *p) {
  p->paths = 16;
  p->tmax = 100.0;
  p->dt = 0.0005;
}
static void bad_threads(dmft_problem_t *p) { p->threads = -3; }

static void test_each_bad_value_names_its_option(void) {
  const struct {
    spoil_fn spoil;
    const char *option;
  } cases[] = {
      {bad_gamma, "--gamma"}, {bad_eta, "--eta"}, {bad_kappa, "--kappa"}, {bad_dt, "--dt"}, {dt_over_tmax, "--dt"},
      {bad_tmax, "--tmax"}, {bad_paths, "--paths"}, {bad_ridge, "--ridge"}, {bad_theta0, "--theta0-var"},
      {bad_teacher_var, "--teacher-var"}, {bad_k, "--k "}, {bad_kstar, "--kstar"}, {bad_flip, "--flip-prob"},
      {flip_without_sign, "--flip-prob"}, {logistic_without_sign, "--loss"}, {overlap_needs_equal_widths, "--init-overlap"},
      {bernoulli_rate, "--noise"}, {relu_with_flow, "--activation"}, {bad_huber, "--huber-delta"},
      {bad_label_noise, "--label-noise"}, {too_much_memory, "--paths"}, {too_many_steps_for_memory, "--dt: "}, {bad_threads, "--threads"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dmft_problem_t p;
    dmft_problem_set_defaults(&p);
    cases[i].spoil(&p);
    char message[512] = "";
    CU_ASSERT_EQUAL(dmft_problem_check(&p, message, sizeof message), DMFT_EINVAL);
    if (!strstr(message, cases[i].option)) fprintf(stderr, "\n    expected %s in: %s\n", cases[i].option, message);
    CU_ASSERT_PTR_NOT_NULL(strstr(message, cases[i].option));
    CU_ASSERT_PTR_NULL(strchr(message, '\n'));
  }
}

static void test_defaults_are_valid(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  char message[256] = "";
  CU_ASSERT_EQUAL(dmft_problem_check(&p, message, sizeof message), DMFT_OK);
  CU_ASSERT_EQUAL(dmft_problem_steps(&p), 120);
  CU_ASSERT_EQUAL(dmft_problem_groups(&p), 16);
  p.paths = 5;
  CU_ASSERT_EQUAL(dmft_problem_groups(&p), 5);
}

int main(void) {
  CU_TestInfo tests[] = {{"each bad value names its option", test_each_bad_value_names_its_option},
                         {"defaults are valid", test_defaults_are_valid},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("problem", tests);
}

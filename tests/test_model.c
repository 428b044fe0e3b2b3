/* Conformance of every registered model, built-in and the example plugins (loaded first): each
 * plugin passes dmft_plugin_check (the checks `dmft check-plugin` runs), and the composed
 * model's analytic gradient and Hessian in xi match central finite differences, for every
 * activation x loss x teacher and widths 1 to 3. With step
 * 1e-5 the difference quotient's error is O(1e-10) (third derivatives are O(1)) plus rounding
 * O(1e-16 / 1e-5) = O(1e-11); the tolerance 1e-6 leaves room and still catches a wrong factor.
 * Points near a kink (ReLU at 0, Huber at |r| = c) are skipped: there the derivative jumps. */
#include <string.h>

#include "dmft/plugin.h"
#include "test_support.h"

static const double step = 1e-5, tolerance = 1e-6;

static int near_kink(const dmft_model_t *model, const double *xi, double y) {
  for (int a = 0; a < model->k; a++)
    if (!model->activation->slope_is_continuous && fabs(xi[a]) < 1e-2) return 1;
  const double r = dmft_model_prediction(model, xi) - y;
  int found = 0;
  const double huber_delta = dmft_model_param(model, "huber-delta", &found);
  return found && fabs(fabs(r) - huber_delta) < 1e-2;
}

static void check_model(const dmft_model_t *model, dmft_rng_t *rng) {
  const int k = model->k;
  double xi[3], wstar[3], gradient[3], hessian[9], plus[3], minus[3], xi_shift[3];
  for (int trial = 0; trial < 50; trial++) {
    for (int a = 0; a < k; a++) xi[a] = 1.5 * dmft_rng_normal(rng);
    for (int b = 0; b < model->kstar; b++) wstar[b] = dmft_rng_normal(rng);
    const double y = dmft_model_label(model, wstar, dmft_rng_normal(rng), dmft_rng_uniform(rng));
    if (near_kink(model, xi, y)) continue;
    dmft_model_gradient(model, xi, y, gradient);
    dmft_model_hessian(model, xi, y, hessian);
    for (int a = 0; a < k; a++) {
      memcpy(xi_shift, xi, sizeof xi);
      xi_shift[a] = xi[a] + step;
      const double loss_plus = dmft_model_loss(model, xi_shift, y);
      dmft_model_gradient(model, xi_shift, y, plus);
      xi_shift[a] = xi[a] - step;
      const double loss_minus = dmft_model_loss(model, xi_shift, y);
      dmft_model_gradient(model, xi_shift, y, minus);
      char what[160];
      snprintf(what, sizeof what, "%s/%s/%s k=%d d loss/d xi_%d", model->loss->name, model->activation->name,
               model->teacher->name, k, a);
      DMFT_ASSERT_CLOSE(what, gradient[a], (loss_plus - loss_minus) / (2 * step), tolerance);
      for (int b = 0; b < k; b++) {
        snprintf(what, sizeof what, "%s/%s/%s k=%d hessian %d %d", model->loss->name, model->activation->name,
                 model->teacher->name, k, a, b);
        DMFT_ASSERT_CLOSE(what, hessian[b * k + a], (plus[b] - minus[b]) / (2 * step), tolerance);
      }
    }
  }
}

static void test_derivatives_of_every_model(void) {
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 5, 0, 0, 0);
  for (size_t l = 0; l < dmft_loss_count(); l++)
    for (size_t a = 0; a < dmft_activation_count(); a++)
      for (size_t t = 0; t < dmft_teacher_count(); t++)
        for (int k = 1; k <= 3; k++) {
          dmft_model_t model = {.activation = dmft_activation_at(a), .loss = dmft_loss_at(l), .teacher = dmft_teacher_at(t),
                                .regularizer = dmft_regularizer_find("none"), .k = k, .kstar = k == 3 ? 2 : k,
                                .label_noise = 0.3, .flip_prob = 0.1};
          dmft_model_reset_params(&model);
          int found = 0;
          (void)dmft_model_param(&model, "huber-delta", &found);
          if (found) CU_ASSERT_EQUAL(dmft_model_set_param(&model, "huber-delta", 0.7, NULL, 0), DMFT_OK);
          if (model.loss->needs_binary_labels && !model.teacher->is_sign) continue;
          if (model.kstar < model.teacher->min_kstar) model.kstar = model.teacher->min_kstar;
          if (model.teacher->max_kstar > 0 && model.kstar > model.teacher->max_kstar) model.kstar = model.teacher->max_kstar;
          if (!model.teacher->is_sign) model.flip_prob = 0.0;
          check_model(&model, &rng);
        }
}

static void test_labels(void) {
  dmft_model_t model = {.activation = dmft_activation_find("tanh"), .loss = dmft_loss_find("logistic"),
                        .teacher = dmft_teacher_find("sign"), .regularizer = dmft_regularizer_find("none"), .k = 1,
                        .kstar = 2, .label_noise = 0, .flip_prob = 0.25};
  dmft_model_reset_params(&model);
  const double wstar[2] = {0.3, -0.1};
  CU_ASSERT_EQUAL(dmft_model_label(&model, wstar, 0.0, 0.9), 1.0);  /* no flip: sign(0.2) */
  CU_ASSERT_EQUAL(dmft_model_label(&model, wstar, 0.0, 0.1), -1.0); /* flipped */
  const double xi = 0.4;
  const double averaged = dmft_model_flip_averaged_loss(&model, &xi, wstar, 0.0);
  const double f = tanh(0.4);
  DMFT_ASSERT_CLOSE("flip average", averaged, 0.75 * log1p(exp(-f)) + 0.25 * log1p(exp(f)), 1e-14);
  model.teacher = dmft_teacher_find("tanh");
  model.label_noise = 0.5;
  DMFT_ASSERT_CLOSE("tanh committee label", dmft_model_label(&model, wstar, 2.0, 0.5), 0.5 * (tanh(0.3) + tanh(-0.1)) + 1.0,
                    1e-15);
}

static void test_declared_properties(void) {
  dmft_model_t model = {.activation = dmft_activation_find("relu"), .loss = dmft_loss_find("squared"),
                        .teacher = dmft_teacher_find("linear"), .regularizer = dmft_regularizer_find("none"), .k = 1,
                        .kstar = 1};
  dmft_model_reset_params(&model);
  CU_ASSERT(!dmft_model_gradient_is_continuous(&model));
  CU_ASSERT(!dmft_model_hessian_is_constant(&model));
  model.activation = dmft_activation_find("linear");
  CU_ASSERT(dmft_model_gradient_is_continuous(&model));
  CU_ASSERT(dmft_model_hessian_is_constant(&model));
  model.loss = dmft_loss_find("huber");
  CU_ASSERT(!dmft_model_hessian_is_constant(&model));
  CU_ASSERT_PTR_NULL(dmft_loss_find("hinge"));
  CU_ASSERT_PTR_NULL(dmft_activation_find("gelu"));
  CU_ASSERT_PTR_NULL(dmft_teacher_find("cubic"));
}

static void print_failure(void *user, int passed, const char *description) {
  (void)user;
  if (!passed) printf("\n  %s", description);
}

static void test_every_plugin_passes_its_conformance_checks(void) {
  for (size_t i = 0; i < dmft_plugin_count(); i++) {
    const int failures = dmft_plugin_check(dmft_plugin_at(i), print_failure, NULL);
    if (failures) printf("\n  plugin %s: %d failed checks", dmft_plugin_at(i)->name, failures);
    CU_ASSERT_EQUAL(failures, 0);
  }
}

/* Parameters: defaults from the declaration, set by name, range-checked, unknown names refused. */
static void test_model_params(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  int found = 0;
  DMFT_ASSERT_CLOSE("huber-delta default", dmft_model_param(&p.model, "huber-delta", &found), 1.0, 0.0);
  CU_ASSERT(found);
  char message[256];
  CU_ASSERT_EQUAL(dmft_model_set_param(&p.model, "huber-delta", 0.4, message, sizeof message), DMFT_OK);
  DMFT_ASSERT_CLOSE("huber-delta set", p.model.loss_params[0], 0.4, 0.0);
  CU_ASSERT_EQUAL(dmft_model_set_param(&p.model, "huber-delta", -1.0, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(message, "huber-delta"));
  CU_ASSERT_EQUAL(dmft_model_set_param(&p.model, "cauchy-scale", 1.0, message, sizeof message), DMFT_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(message, "they take: huber-delta"));
  p.model.regularizer = dmft_regularizer_find("l1");
  dmft_model_reset_params(&p.model);
  DMFT_ASSERT_CLOSE("l1 default", dmft_model_param(&p.model, "l1", NULL), 0.1, 0.0);
  DMFT_ASSERT_CLOSE("reset huber-delta", dmft_model_param(&p.model, "huber-delta", NULL), 1.0, 0.0);
}

int main(void) {
  /* The example plugins built next to the tests go through the same checks. */
  const char *examples[] = {"robust", "phase_retrieval", "multi_index", "penalties", "template"};
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
    char path[512], message[512];
    snprintf(path, sizeof path, "%s/%s.so", DMFT_PLUGIN_DIR, examples[i]);
    if (dmft_plugin_load(path, message, sizeof message) != DMFT_OK) {
      fprintf(stderr, "%s\n", message);
      return 1;
    }
  }
  CU_TestInfo tests[] = {{"derivatives of every model", test_derivatives_of_every_model},
                         {"labels", test_labels},
                         {"declared properties", test_declared_properties},
                         {"every plugin passes its conformance checks", test_every_plugin_passes_its_conformance_checks},
                         {"model parameters", test_model_params},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("model", tests);
}

/* The flow solution at dt = 0.1 against a published finite-n simulation of full-batch gradient
 * descent on ridge regression (tests/data/gd-ridge-published.csv, a copy of
 * ../shared/data/gd-ridge-published: gamma 3, step 0.1, ridge 0.5,
 * M(0) = 0.2, Q(0) = 1.04; its row `time` holds the overlap after time/0.1 - 1 steps).
 * The file gives the mean and the run-to-run spread mag_std of the overlap but not the number
 * of runs; the tolerance assumes at least 10, 3 mag_std / sqrt(10): 0.027 at the first step,
 * 0.004 from step 50 on, which still tells apart the +0.005 bias of the solver shipped with it. */
#include <stdio.h>

#include "test_support.h"

static void test_flow_matches_published_simulation(void) {
  const char *path = DMFT_TEST_DATA_DIR "/gd-ridge-published.csv";
  FILE *file = fopen(path, "r");
  if (!file) fprintf(stderr, "\n    cannot open %s\n", path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(file);
  dmft_problem_t p;
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.gamma = 3.0, p.eta = 1.0, p.kappa = 1.0, p.dt = 0.1, p.ridge = 0.5;
  p.init_overlap = 0.2, p.theta0_var = 1.0, p.teacher_var = 1.0, p.model.label_noise = 0.0;
  p.tmax = 19.9;
  p.output_every = 1;
  dmft_result_t *r = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &r), DMFT_OK);
  char header[256];
  CU_ASSERT_PTR_NOT_NULL(fgets(header, sizeof header, file));
  double time, mean, spread;
  long compared = 0;
  double worst = 0.0;
  while (fscanf(file, "%lf,%lf,%lf", &time, &mean, &spread) == 3) {
    const long step = lround(time / 0.1) - 1;
    if (step < 0 || step >= r->rows_done) continue;
    const double tolerance = 3.0 * spread / sqrt(10.0);
    char label[64];
    snprintf(label, sizeof label, "M after %ld steps", step);
    DMFT_ASSERT_CLOSE(label, r->M[step], mean, tolerance);
    if (fabs(r->M[step] - mean) / tolerance > worst) worst = fabs(r->M[step] - mean) / tolerance;
    compared++;
  }
  fclose(file);
  CU_ASSERT_EQUAL(compared, 200);
  printf("\n    largest deviation: %.2f of the tolerance\n", worst);
  dmft_result_free(&r);
}

int main(void) {
  CU_TestInfo tests[] = {{"flow matches published simulation", test_flow_matches_published_simulation}, CU_TEST_INFO_NULL};
  return dmft_test_run("published_gd", tests);
}

/* Arrival times: the laws of the drivers (Poisson counts, one Bernoulli batch per step), their
 * order, and the common random numbers across a dt ladder that dmft converge relies on. */
#include <math.h>
#include <unistd.h>

#include "arrivals.h"
#include "dmft/noise.h"
#include "test_support.h"

static void draw(const dmft_problem_t *p, long paths, dmft__arrivals_t *arrivals) {
  dmft__coefficients_t coefficients;
  CU_ASSERT_EQUAL_FATAL(dmft__coefficients_create(p, &coefficients), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(dmft__arrivals_draw(p, &coefficients, 3, 0, paths, dmft_problem_steps(p), NULL, arrivals), DMFT_OK);
  dmft__coefficients_free(&coefficients);
}

static long arrivals_of(const dmft__arrivals_t *a, long path) {
  long total = 0;
  for (long i = a->first[path]; i < a->first[path + 1]; i++) total += a->counts[i];
  return total;
}

/* Poisson: a path's count up to t = K dt is Poisson(kappa K dt); mean and variance over 20000
 * paths within 5 standard errors (the variance's error is sqrt(2 mu^2 + mu) / sqrt(n)). */
static void test_poisson_counts(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.kappa = 1.5;
  p.tmax = 4.0;
  p.dt = 0.1;
  const long paths = 20000;
  dmft__arrivals_t a;
  draw(&p, paths, &a);
  const double mu = p.kappa * (double)(dmft_problem_steps(&p) + 1) * p.dt;
  double sum = 0.0, squares = 0.0;
  int ordered = 1;
  for (long q = 0; q < paths; q++) {
    const double count = (double)arrivals_of(&a, q);
    sum += count;
    squares += count * count;
    for (long i = a.first[q] + 1; i < a.first[q + 1]; i++) ordered &= a.steps[i] > a.steps[i - 1];
  }
  const double mean = sum / paths, variance = squares / paths - mean * mean;
  DMFT_ASSERT_WITHIN_Z("poisson mean count", mean, sqrt(mu / paths), mu, 0.0, 5.0);
  DMFT_ASSERT_WITHIN_Z("poisson count variance", variance, sqrt((2 * mu * mu + mu) / paths), mu, 0.0, 5.0);
  CU_ASSERT(ordered);
  dmft__arrivals_free(&a);
}

/* Bernoulli: at most one arrival per step, each step with probability kappa dt. */
static void test_bernoulli_batches(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.noise = dmft_noise_find("bernoulli");
  p.kappa = 2.0;
  p.dt = 0.05;
  p.tmax = 3.0;
  const long paths = 20000;
  dmft__arrivals_t a;
  draw(&p, paths, &a);
  long total = 0;
  int single = 1;
  for (long i = 0; i < a.first[paths]; i++) {
    single &= a.counts[i] == 1;
    total += a.counts[i];
  }
  const double steps = (double)(dmft_problem_steps(&p) + 1), probability = p.kappa * p.dt;
  const double expected = paths * steps * probability;
  DMFT_ASSERT_WITHIN_Z("bernoulli arrivals", (double)total, sqrt(expected * (1 - probability)), expected, 0.0, 5.0);
  CU_ASSERT(single);
  dmft__arrivals_free(&a);
}

/* The same stream at dt and dt/2 gives the same arrivals: the counts in each coarse step are the
 * sums of the counts in its two fine steps, path by path. */
static void test_same_arrivals_across_a_ladder(void) {
  dmft_problem_t coarse, fine;
  dmft_problem_set_defaults(&coarse);
  coarse.tmax = 3.0;
  coarse.dt = 0.1;
  fine = coarse;
  fine.dt = 0.05;
  const long paths = 500;
  dmft__arrivals_t a, b;
  draw(&coarse, paths, &a);
  draw(&fine, paths, &b);
  int same = 1;
  for (long q = 0; q < paths; q++) {
    long per_coarse_step[64] = {0};
    for (long i = b.first[q]; i < b.first[q + 1]; i++)
      if (b.steps[i] / 2 < 30) per_coarse_step[b.steps[i] / 2] += b.counts[i];
    for (long i = a.first[q]; i < a.first[q + 1]; i++)
      if (a.steps[i] < 30) same &= per_coarse_step[a.steps[i]] == (long)a.counts[i];
  }
  CU_ASSERT(same);
  dmft__arrivals_free(&a);
  dmft__arrivals_free(&b);
}

/* Rates and steps so small that the first arrival lies beyond any integer step: the step must
 * saturate to "never" (it once overflowed to a negative step, and the loop never ended). The
 * alarm turns a hang into a failure within seconds. */
static void test_arrivals_far_beyond_the_grid_end_the_draw(void) {
  const struct {
    const char *noise;
    double kappa, tmax, dt;
  } cases[] = {{"poisson", 1e-17, 1.0, 0.05},   {"poisson", 1e-300, 1.0, 0.05}, {"bernoulli", 1e-17, 1.0, 0.05},
               {"bernoulli", 1e-300, 1.0, 0.05}, {"poisson", 1.0, 1e-300, 1e-301}, {"bernoulli", 1.0, 1e-300, 1e-301}};
  alarm(20);
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    dmft_problem_t p;
    dmft_problem_set_defaults(&p);
    p.noise = dmft_noise_find(cases[c].noise);
    p.kappa = cases[c].kappa;
    p.tmax = cases[c].tmax;
    p.dt = cases[c].dt;
    dmft__arrivals_t a;
    draw(&p, 200, &a);
    long total = 0;
    for (long q = 0; q < 200; q++) total += arrivals_of(&a, q);
    /* Expected count kappa * tmax * paths <= 2e-15, except the tiny-grid cases (rate 1, 10 steps
     * of 1e-301): there the count is Poisson(2e-298) per path, zero in any run. */
    CU_ASSERT_EQUAL(total, 0);
    dmft__arrivals_free(&a);
  }
  alarm(0);
  CU_ASSERT_EQUAL(dmft_noise_step_of_time(1e300, 1e-300), DMFT_NOISE_NEVER);
  CU_ASSERT_EQUAL(dmft_noise_step_of_time(INFINITY, 1.0), DMFT_NOISE_NEVER);
  CU_ASSERT_EQUAL(dmft_noise_step_of_time(2.5, 0.5), 5);
}

/* A batch rate that grows linearly from kappa to 3 kappa (--kappa-schedule linear): the arrivals
 * are thinned from the largest rate, and the counts in each quarter of the run are Poisson
 * (one Bernoulli draw a step for bernoulli) with mean sum over its steps of kappa_k dt, within
 * 5 standard errors over 20000 paths; a bernoulli path never jumps twice in one step. */
static void test_a_rate_schedule_thins_the_arrivals(void) {
  const char *noises[] = {"poisson", "bernoulli"};
  for (int n = 0; n < 2; n++) {
    dmft_problem_t p;
    dmft_problem_set_defaults(&p);
    p.noise = dmft_noise_find(noises[n]);
    p.kappa = 1.0;
    p.kappa_schedule.kind = DMFT_SCHEDULE_LINEAR;
    p.kappa_schedule.final = 3.0;
    p.tmax = 4.0;
    p.dt = 0.1;
    const long paths = 20000, steps = dmft_problem_steps(&p), quarter = (steps + 1) / 4;
    dmft__arrivals_t a;
    draw(&p, paths, &a);
    for (int q = 0; q < 4; q++) {
      double expected = 0.0, variance_per_path = 0.0;
      for (long k = q * quarter; k < (q + 1) * quarter; k++) {
        const double mean = dmft_problem_kappa_at(&p, (double)k * p.dt) * p.dt;
        expected += mean;
        variance_per_path += n == 0 ? mean : mean * (1.0 - mean);
      }
      long total = 0;
      int doubled = 0;
      for (long path = 0; path < paths; path++)
        for (long i = a.first[path]; i < a.first[path + 1]; i++)
          if (a.steps[i] >= q * quarter && a.steps[i] < (q + 1) * quarter) {
            total += a.counts[i];
            doubled |= a.counts[i] > 1;
          }
      const double se = sqrt(variance_per_path / (double)paths);
      DMFT_ASSERT_WITHIN_Z("arrivals per path in a quarter", (double)total / (double)paths, se, expected, 0.0, 5.0);
      if (n == 1) CU_ASSERT(!doubled);
    }
    dmft__arrivals_free(&a);
  }
}

int main(void) {
  CU_TestInfo tests[] = {{"poisson counts", test_poisson_counts},
                         {"bernoulli batches", test_bernoulli_batches},
                         {"same arrivals across a ladder", test_same_arrivals_across_a_ladder},
                         {"arrivals far beyond the grid end the draw", test_arrivals_far_beyond_the_grid_end_the_draw},
                         {"a rate schedule thins the arrivals", test_a_rate_schedule_thins_the_arrivals},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("arrivals", tests);
}

/* Conformance of every registered noise module: increments with the law equations.md §2 gives,
 * and, for point processes, arrival times (next_arrival) with the same law as step-by-step
 * increments when binned into steps. */
#include <string.h>

#include "test_support.h"

enum { DRAWS = 400000 };
static const double rate = 1.3, dt = 0.05;

static double expected_variance(const dmft_noise_type_t *noise) {
  const double mean = rate * dt;
  if (strcmp(noise->name, "poisson") == 0) return mean;
  if (strcmp(noise->name, "bernoulli") == 0) return mean * (1 - mean);
  if (strcmp(noise->name, "gauss") == 0) return mean;
  return 0.0;
}

static void test_registry_finds_every_module_by_name(void) {
  CU_ASSERT_EQUAL(dmft_noise_count(), 6);
  for (size_t i = 0; i < dmft_noise_count(); i++) CU_ASSERT_PTR_EQUAL(dmft_noise_find(dmft_noise_at(i)->name), dmft_noise_at(i));
  CU_ASSERT_PTR_NULL(dmft_noise_find("levy"));
  CU_ASSERT_PTR_NULL(dmft_noise_at(99));
  CU_ASSERT(dmft_noise_find("poisson")->is_point_process && dmft_noise_find("bernoulli")->is_point_process);
  CU_ASSERT(!dmft_noise_find("gauss")->is_point_process && !dmft_noise_find("flow")->is_point_process);
  CU_ASSERT(dmft_noise_find("flow")->is_deterministic && !dmft_noise_find("gauss")->is_deterministic);
}

/* Mean kappa dt and the module's variance; the standard error of the sample variance is
 * taken from the fourth moment bound sqrt(E[(x-m)^4]/N) <~ sqrt(3 var^2 + var)/sqrt(N). */
static void test_increments_have_the_stated_mean_and_variance(void) {
  for (size_t i = 0; i < dmft_noise_count(); i++) {
    const dmft_noise_type_t *noise = dmft_noise_at(i);
    /* A scheme by epochs has no step-by-step increment (tests/test_sampling_schemes.c). */
    if (noise->arrives_in_epochs) {
      CU_ASSERT(noise->increment == NULL && noise->is_point_process && noise->next_arrival);
      continue;
    }
    dmft_rng_t rng;
    dmft_rng_seed(&rng, 11, i, 0, 0);
    double sum = 0.0, squares = 0.0;
    for (int d = 0; d < DRAWS; d++) {
      const double dz = noise->increment(&rng, rate, dt);
      sum += dz;
      squares += dz * dz;
      if (noise->is_point_process) CU_ASSERT(dz >= 0 && dz == (double)(long)dz);
    }
    const double mean = sum / DRAWS, variance = squares / DRAWS - mean * mean, v = expected_variance(noise);
    /* A deterministic module has no sampling error; its sums carry rounding of ~1e-16 per draw. */
    const double rounding = 1e-16 * DRAWS;
    DMFT_ASSERT_WITHIN_Z(noise->name, mean, sqrt(v / DRAWS) + rounding, rate * dt, 0.0, 5.0);
    DMFT_ASSERT_WITHIN_Z(noise->name, variance, sqrt((3 * v * v + v) / DRAWS) + rounding, v, 0.0, 5.0);
  }
}

/* Jump counts from binned arrivals over K steps: total mean K kappa dt (and per-step count law
 * through the mean of the squared count). */
static void test_jump_times_match_increments(void) {
  for (size_t i = 0; i < dmft_noise_count(); i++) {
    const dmft_noise_type_t *noise = dmft_noise_at(i);
    if (!noise->is_point_process || noise->arrives_in_epochs) continue;
    CU_ASSERT_PTR_NOT_NULL(noise->next_arrival);
    const long steps = 40, paths = 50000;
    double total = 0.0, count_squares = 0.0, jump_steps = 0.0;
    dmft_rng_t rng;
    dmft_rng_seed(&rng, 12, i, 0, 0);
    for (long p = 0; p < paths; p++) {
      double time = -1.0;
      long step = 0, current = -1;
      unsigned count = 0;
      for (;;) {
        time = noise->next_arrival(&rng, rate, dt, time, &step);
        if (step != current && count > 0) { /* close the previous step */
          total += count;
          count_squares += (double)count * count;
          jump_steps += 1;
          count = 0;
        }
        if (step >= steps) break;
        current = step;
        count++;
      }
    }
    const double mean = rate * dt, n = (double)(steps * paths);
    const double second_moment = strcmp(noise->name, "poisson") == 0 ? mean + mean * mean : mean;
    const double jump_probability = strcmp(noise->name, "poisson") == 0 ? -expm1(-mean) : mean;
    DMFT_ASSERT_WITHIN_Z(noise->name, total / n, sqrt(mean / n), mean, 0.0, 5.0);
    DMFT_ASSERT_WITHIN_Z(noise->name, count_squares / n, sqrt(4 * second_moment / n), second_moment, 0.0, 5.0);
    DMFT_ASSERT_WITHIN_Z(noise->name, jump_steps / n, sqrt(jump_probability / n), jump_probability, 0.0, 5.0);
  }
}

/* The poisson driver's arrivals do not depend on dt: the same stream gives the same times at
 * dt and dt/4, binned into different steps (common random numbers across a dt ladder). */
static void test_poisson_arrivals_do_not_depend_on_the_step(void) {
  dmft_rng_t coarse, fine;
  dmft_rng_seed(&coarse, 13, 0, 0, 0);
  dmft_rng_seed(&fine, 13, 0, 0, 0);
  double t_coarse = -1.0, t_fine = -1.0;
  for (int i = 0; i < 100; i++) {
    long step_coarse, step_fine;
    t_coarse = dmft_noise_poisson.next_arrival(&coarse, rate, 0.1, t_coarse, &step_coarse);
    t_fine = dmft_noise_poisson.next_arrival(&fine, rate, 0.025, t_fine, &step_fine);
    CU_ASSERT_EQUAL(t_coarse, t_fine);
    CU_ASSERT(step_fine / 4 == step_coarse);
  }
}

static void test_checks_reject_impossible_rates(void) {
  CU_ASSERT_PTR_NOT_NULL(dmft_noise_find("bernoulli")->check(30.0, 0.05));
  CU_ASSERT_PTR_NULL(dmft_noise_find("bernoulli")->check(1.0, 0.05));
  CU_ASSERT_PTR_NOT_NULL(dmft_noise_find("poisson")->check(1000.0, 1.0));
}

int main(void) {
  CU_TestInfo tests[] = {{"registry finds every module by name", test_registry_finds_every_module_by_name},
                         {"increments have the stated mean and variance", test_increments_have_the_stated_mean_and_variance},
                         {"jump times match increments", test_jump_times_match_increments},
                         {"poisson arrivals do not depend on the step", test_poisson_arrivals_do_not_depend_on_the_step},
                         {"checks reject impossible rates", test_checks_reject_impossible_rates},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("noise", tests);
}

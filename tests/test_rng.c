#include "test_support.h"

/* Moments of N draws: the sample mean's standard error is sd/sqrt(N); the checks allow five of
 * them, which a correct generator fails with probability below 1e-6. */
enum { DRAWS = 1000000 };

static void test_same_key_same_stream_other_key_other_stream(void) {
  dmft_rng_t a, b, c;
  dmft_rng_seed(&a, 7, 1, 2, 0);
  dmft_rng_seed(&b, 7, 1, 2, 0);
  dmft_rng_seed(&c, 7, 1, 3, 0);
  int same = 1, differs = 0;
  for (int i = 0; i < 100; i++) {
    const uint64_t x = dmft_rng_next(&a), y = dmft_rng_next(&b), z = dmft_rng_next(&c);
    same &= x == y;
    differs |= x != z;
  }
  CU_ASSERT(same);
  CU_ASSERT(differs);
}

static void test_uniform_is_open_and_centered(void) {
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 1, 0, 0, 0);
  double sum = 0.0;
  int inside = 1;
  for (int i = 0; i < DRAWS; i++) {
    const double u = dmft_rng_uniform(&rng);
    inside &= u > 0.0 && u < 1.0;
    sum += u;
  }
  CU_ASSERT(inside);
  DMFT_ASSERT_WITHIN_Z("uniform mean", sum / DRAWS, sqrt(1.0 / 12.0 / DRAWS), 0.5, 0.0, 5.0);
}

static void test_normal_moments(void) {
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 2, 0, 0, 0);
  double sum = 0.0, squares = 0.0, fourth = 0.0;
  for (int i = 0; i < DRAWS; i++) {
    const double z = dmft_rng_normal(&rng);
    sum += z;
    squares += z * z;
    fourth += z * z * z * z;
  }
  DMFT_ASSERT_WITHIN_Z("normal mean", sum / DRAWS, 1.0 / sqrt(DRAWS), 0.0, 0.0, 5.0);
  DMFT_ASSERT_WITHIN_Z("normal variance", squares / DRAWS, sqrt(2.0 / DRAWS), 1.0, 0.0, 5.0);
  DMFT_ASSERT_WITHIN_Z("normal fourth moment", fourth / DRAWS, sqrt(96.0 / DRAWS), 3.0, 0.0, 5.0);
}

static void test_poisson_and_geometric_means(void) {
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 3, 0, 0, 0);
  const double mean = 0.7, p = 0.2;
  double poisson_sum = 0.0, geometric_sum = 0.0;
  for (int i = 0; i < DRAWS; i++) {
    poisson_sum += dmft_rng_poisson(&rng, mean);
    geometric_sum += (double)dmft_rng_geometric_failures(&rng, p);
  }
  DMFT_ASSERT_WITHIN_Z("poisson mean", poisson_sum / DRAWS, sqrt(mean / DRAWS), mean, 0.0, 5.0);
  const double failures = (1 - p) / p;
  DMFT_ASSERT_WITHIN_Z("geometric mean", geometric_sum / DRAWS, sqrt((1 - p) / (p * p) / DRAWS), failures, 0.0, 5.0);
  CU_ASSERT_EQUAL(dmft_rng_geometric_failures(&rng, 1.0), 0);
}

/* A prefix replaces the first draws one coordinate each (normals by inversion), then the
 * generator takes over exactly where an unprefixed stream would start. */
static void test_prefix_then_generator(void) {
  const double prefix[3] = {0.5, 0.975, 0.25};
  dmft_rng_t with, without;
  dmft_rng_seed(&with, 5, 1, 2, 0);
  dmft_rng_seed(&without, 5, 1, 2, 0);
  dmft_rng_set_prefix(&with, prefix, 3);
  DMFT_ASSERT_CLOSE("normal from u = 0.5", dmft_rng_normal(&with), 0.0, 1e-12);
  DMFT_ASSERT_CLOSE("normal from u = 0.975", dmft_rng_normal(&with), 1.959963984540054, 1e-9);
  DMFT_ASSERT_CLOSE("uniform from the prefix", dmft_rng_uniform(&with), 0.25, 0.0);
  CU_ASSERT_EQUAL(with.prefix_left, 0);
  for (int i = 0; i < 5; i++) CU_ASSERT_EQUAL(dmft_rng_normal(&with), dmft_rng_normal(&without));
}

int main(void) {
  CU_TestInfo tests[] = {{"same key same stream, other key other stream", test_same_key_same_stream_other_key_other_stream},
                         {"uniform is open and centered", test_uniform_is_open_and_centered},
                         {"normal moments", test_normal_moments},
                         {"poisson and geometric means", test_poisson_and_geometric_means},
                         {"a prefix, then the generator", test_prefix_then_generator},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("rng", tests);
}

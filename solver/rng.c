#include "dmft/rng.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void dmft_rng_seed(dmft_rng_t *rng, uint64_t seed, uint64_t group, uint64_t path, uint64_t purpose) {
  /* Hash the key words one after another so that nearby keys give unrelated states. */
  uint64_t x = seed;
  uint64_t mix = splitmix64(&x);
  x = mix ^ (group * 0xd1b54a32d192ed03ULL);
  mix = splitmix64(&x);
  x = mix ^ (path * 0x8cb92ba72f3d8dd7ULL);
  mix = splitmix64(&x);
  x = mix ^ (purpose * 0xabc98388fb8fac03ULL);
  for (int i = 0; i < 4; i++) rng->state[i] = splitmix64(&x);
  rng->has_spare_normal = 0;
  rng->spare_normal = 0.0;
  rng->prefix = NULL;
  rng->prefix_left = 0;
}

void dmft_rng_set_prefix(dmft_rng_t *rng, const double *uniforms, int count) {
  rng->prefix = uniforms;
  rng->prefix_left = count;
  rng->has_spare_normal = 0;
}

int dmft_rng_adopt_prefix(dmft_rng_t *rng, const double *uniforms, int count) {
  /* The all-zero state is the one xoshiro256 never reaches and never leaves: its uniforms would
   * all be the same, and the polar method would wait forever for a point inside the disc. */
  const int stuck = (rng->state[0] | rng->state[1] | rng->state[2] | rng->state[3]) == 0;
  if (stuck || rng->prefix_left < 0 || rng->prefix_left > count || (count > 0 && !uniforms)) {
    rng->prefix = NULL;
    rng->prefix_left = 0;
    return 0;
  }
  rng->prefix = rng->prefix_left > 0 ? uniforms + (count - rng->prefix_left) : NULL;
  return 1;
}

uint64_t dmft_rng_next(dmft_rng_t *rng) {
  uint64_t *s = rng->state;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double dmft_rng_uniform(dmft_rng_t *rng) {
  if (rng->prefix_left > 0) {
    rng->prefix_left--;
    return *rng->prefix++;
  }
  /* 53 random bits, shifted by half an ulp so that neither 0 nor 1 can occur. */
  return ((double)(dmft_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53;
}

double dmft_rng_normal(dmft_rng_t *rng) {
  /* Inversion keeps one coordinate per normal, which is what a low-discrepancy prefix needs;
   * the polar method below would use a variable number of them. */
  if (rng->prefix_left > 0) return gsl_cdf_ugaussian_Pinv(dmft_rng_uniform(rng));
  if (rng->has_spare_normal) {
    rng->has_spare_normal = 0;
    return rng->spare_normal;
  }
  double u, v, s;
  do { /* Marsaglia's polar method: exact, no trigonometry. */
    u = 2.0 * dmft_rng_uniform(rng) - 1.0;
    v = 2.0 * dmft_rng_uniform(rng) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = sqrt(-2.0 * log(s) / s);
  rng->spare_normal = v * factor;
  rng->has_spare_normal = 1;
  return u * factor;
}

double dmft_rng_exponential(dmft_rng_t *rng) { return -log(dmft_rng_uniform(rng)); }

unsigned dmft_rng_poisson(dmft_rng_t *rng, double mean) {
  const double u = dmft_rng_uniform(rng);
  double probability = exp(-mean), cumulative = probability;
  unsigned count = 0;
  while (u > cumulative && count < 1000) {
    count++;
    probability *= mean / count;
    cumulative += probability;
  }
  return count;
}

long dmft_rng_geometric_failures(dmft_rng_t *rng, double p) {
  if (p >= 1.0) return 0;
  /* A tiny p gives counts beyond any long: saturate (the caller reads them as "never"). */
  const double failures = floor(log(dmft_rng_uniform(rng)) / log1p(-p));
  return failures < 4.6e18 ? (long)failures : 4611686018427387904L;
}

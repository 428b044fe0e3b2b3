#include "quasi_random.h"

#include <gsl/gsl_qrng.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/rng.h"

/* GSL's Sobol points are multiples of 2^-30: their bits as an integer are exact. */
#define SOBOL_BITS 30

double *dmft__sobol_points(uint64_t seed, uint64_t key, uint64_t purpose, int dims, long count) {
  double *points = malloc(sizeof(double) * (size_t)count * (size_t)dims);
  gsl_qrng *sobol = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dims);
  if (!points || !sobol) {
    free(points);
    if (sobol) gsl_qrng_free(sobol);
    return NULL;
  }
  dmft_rng_t rng;
  dmft_rng_seed(&rng, seed, key, 0, purpose);
  uint32_t shift[DMFT_QUASI_RANDOM_DIMS];
  for (int j = 0; j < dims; j++) shift[j] = (uint32_t)(dmft_rng_next(&rng) >> (64 - SOBOL_BITS));
  const double scale = (double)(1u << SOBOL_BITS);
  /* GSL starts the sequence at its second point; the first, the origin, completes the nets of
   * 2^m points (one point in each dyadic interval of length 2^-m). */
  double point[DMFT_QUASI_RANDOM_DIMS] = {0};
  for (long p = 0; p < count; p++) {
    if (p > 0) gsl_qrng_get(sobol, point);
    for (int j = 0; j < dims; j++) {
      const uint32_t bits = (uint32_t)(point[j] * scale) ^ shift[j];
      points[p * dims + j] = ((double)bits + dmft_rng_uniform(&rng)) / scale;
    }
  }
  gsl_qrng_free(sobol);
  return points;
}

double *dmft__quasi_random_points(uint64_t seed, int group, long first_path, long paths) {
  /* GSL's generator runs through the sequence in order: the points before the range are made and
   * dropped (the price of a rank's share, paid once at create). */
  double *points = dmft__sobol_points(seed, (uint64_t)group, DMFT_STREAM_QUASI_RANDOM, DMFT_QUASI_RANDOM_DIMS, first_path + paths);
  if (points && first_path > 0)
    memmove(points, points + (size_t)first_path * DMFT_QUASI_RANDOM_DIMS, sizeof(double) * (size_t)paths * DMFT_QUASI_RANDOM_DIMS);
  return points;
}

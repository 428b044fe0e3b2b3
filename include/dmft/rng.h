/* Per-path random streams.
 *
 * Every sample path owns a stream keyed by (seed, replica group, path, purpose), so the numbers
 * a path sees do not depend on the thread that runs it or on how paths are split: same seed,
 * same output, any thread count. The generator is xoshiro256** seeded through splitmix64. */
#ifndef DMFT_RNG_H
#define DMFT_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t state[4];
  double spare_normal;
  int has_spare_normal;
  /* Quasi-random prefix: the first draws of the stream come from these uniforms (normals by
   * inversion), the rest from the generator. NULL when there is none. */
  const double *prefix;
  int prefix_left;
} dmft_rng_t;

/* Purposes of a stream, so that e.g. the draws made for reporting the train loss never shift
 * the draws that drive the dynamics. */
enum { DMFT_STREAM_DYNAMICS = 0, DMFT_STREAM_REPORT = 1, DMFT_STREAM_ARRIVALS = 2, DMFT_STREAM_QUASI_RANDOM = 3,
       DMFT_STREAM_PARAMETER = 4, DMFT_STREAM_TEST_LOSS = 5 };

void dmft_rng_seed(dmft_rng_t *rng, uint64_t seed, uint64_t group, uint64_t path, uint64_t purpose);
/* Makes the next `count` draws (uniform or normal, one coordinate each) come from `uniforms`,
 * which must stay alive while they are used; later draws come from the generator. */
void dmft_rng_set_prefix(dmft_rng_t *rng, const double *uniforms, int count);
/* A stream read back from a checkpoint holds the prefix pointer of the process that wrote it:
 * this points it again into `uniforms` (the same `count` the stream was given, 0 for none), where
 * its remaining draws are. 1, or 0 when the stream cannot be one this solve made: a count of
 * prefix draws left out of range, or the all-zero generator state (a file not made by dmft). */
int dmft_rng_adopt_prefix(dmft_rng_t *rng, const double *uniforms, int count);
uint64_t dmft_rng_next(dmft_rng_t *rng);
double dmft_rng_uniform(dmft_rng_t *rng);     /* in (0, 1), never 0 or 1 */
double dmft_rng_normal(dmft_rng_t *rng);      /* standard normal */
double dmft_rng_exponential(dmft_rng_t *rng); /* rate 1 */
/* Poisson(mean) by inversion; restricted to mean <= 30 (the CLI keeps kappa*dt far below). */
unsigned dmft_rng_poisson(dmft_rng_t *rng, double mean);
/* Number of failures before the first success of a Bernoulli(p) sequence, p in (0, 1],
 * saturated at 2^62 (a tiny p). */
long dmft_rng_geometric_failures(dmft_rng_t *rng, double p);

#endif

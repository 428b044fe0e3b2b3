#include <math.h>
#include <string.h>

#include "dmft/noise.h"

static const dmft_noise_type_t *const registry[] = {
    &dmft_noise_poisson, &dmft_noise_bernoulli, &dmft_noise_gauss, &dmft_noise_flow, &dmft_noise_reshuffle,
    &dmft_noise_shuffle_once};

size_t dmft_noise_count(void) { return sizeof registry / sizeof registry[0]; }

const dmft_noise_type_t *dmft_noise_at(size_t index) {
  return index < dmft_noise_count() ? registry[index] : NULL;
}

const dmft_noise_type_t *dmft_noise_find(const char *name) {
  for (size_t i = 0; i < dmft_noise_count(); i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}

long dmft_noise_step_of_time(double time, double dt) {
  const double step = floor(time / dt);
  /* The negated test also sends NaN (0/0 is impossible here, but inf/inf is not) to "never". */
  return !(step < (double)DMFT_NOISE_NEVER) ? DMFT_NOISE_NEVER : (long)step;
}

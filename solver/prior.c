#include "dmft/prior.h"

#include <math.h>
#include <string.h>

static const char *const names[DMFT_PRIOR_COUNT] = {"gauss", "rademacher", "bernoulli-gauss"};

const char *dmft_prior_name(dmft_prior_t prior) { return prior < DMFT_PRIOR_COUNT ? names[prior] : "?"; }

int dmft_prior_find(const char *name, dmft_prior_t *prior) {
  for (int i = 0; i < DMFT_PRIOR_COUNT; i++)
    if (strcmp(names[i], name) == 0) {
      *prior = (dmft_prior_t)i;
      return 0;
    }
  return -1;
}

double dmft_prior_draw(dmft_prior_t prior, double variance, double sparsity, dmft_rng_t *rng) {
  switch (prior) {
    case DMFT_PRIOR_RADEMACHER:
      return dmft_rng_uniform(rng) < 0.5 ? -sqrt(variance) : sqrt(variance);
    case DMFT_PRIOR_BERNOULLI_GAUSS: {
      /* Both draws always happen, so a stream's later numbers do not depend on the coin. */
      const double coin = dmft_rng_uniform(rng), value = dmft_rng_normal(rng);
      return coin < sparsity ? sqrt(variance / sparsity) * value : 0.0;
    }
    default:
      return sqrt(variance) * dmft_rng_normal(rng);
  }
}

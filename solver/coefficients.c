#include "coefficients.h"

#include <stdlib.h>

#include "dmft/status.h"

int dmft__coefficients_create(const dmft_problem_t *problem, dmft__coefficients_t *c) {
  c->steps = dmft_problem_steps(problem);
  const size_t n = (size_t)c->steps + 1;
  c->kick = malloc(sizeof(double) * n);
  c->rate = malloc(sizeof(double) * n);
  c->step_size = malloc(sizeof(double) * n);
  c->decay = malloc(sizeof(double) * n);
  if (!c->kick || !c->rate || !c->step_size || !c->decay) {
    dmft__coefficients_free(c);
    return DMFT_ENOMEM;
  }
  for (size_t k = 0; k < n; k++) {
    c->kick[k] = problem->eta / problem->kappa;
    c->rate[k] = problem->kappa;
    c->step_size[k] = problem->eta * problem->dt;
    c->decay[k] = 1.0 - problem->eta * problem->dt * problem->ridge;
  }
  return DMFT_OK;
}

void dmft__coefficients_free(dmft__coefficients_t *c) {
  free(c->kick);
  free(c->rate);
  free(c->step_size);
  free(c->decay);
  c->kick = c->rate = c->step_size = c->decay = NULL;
}

#include "coefficients.h"

#include <math.h>
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
    /* The schedules at t_k (the constants themselves when there is none, to the bit). */
    const double t = (double)k * problem->dt;
    const double eta = dmft_schedule_is_constant(&problem->eta_schedule) ? problem->eta : dmft_problem_eta_at(problem, t);
    const double kappa = dmft_schedule_is_constant(&problem->kappa_schedule) ? problem->kappa : dmft_problem_kappa_at(problem, t);
    c->kick[k] = eta / kappa;
    c->rate[k] = kappa;
    c->step_size[k] = eta * problem->dt;
    c->decay[k] = 1.0 - eta * problem->dt * problem->ridge;
  }
  c->constant_rate = dmft_schedule_is_constant(&problem->kappa_schedule);
  c->beta = problem->momentum_time > 0 ? exp(-problem->dt / problem->momentum_time) : 0.0;
  /* R_Sigma(k+1, k) = E[lambda] (1 - beta) with a covariance spectrum (1 for isotropic data). */
  c->carry = (1.0 - c->beta) * dmft_spectrum_mean(&problem->spectrum);
  return DMFT_OK;
}

void dmft__coefficients_free(dmft__coefficients_t *c) {
  free(c->kick);
  free(c->rate);
  free(c->step_size);
  free(c->decay);
  c->kick = c->rate = c->step_size = c->decay = NULL;
}

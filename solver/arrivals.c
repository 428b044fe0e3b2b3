#include "arrivals.h"

#include <stdlib.h>

#include "dmft/rng.h"
#include "dmft/status.h"
#include "quasi_random.h"

typedef struct {
  dmft__arrivals_t *arrivals;
  long used, capacity;
} arrival_list_t;

static int list_init(arrival_list_t *list, dmft__arrivals_t *arrivals, long paths) {
  list->arrivals = arrivals;
  list->used = 0;
  list->capacity = paths * 8 + 64;
  arrivals->steps = malloc(sizeof(long) * (size_t)list->capacity);
  arrivals->counts = malloc(sizeof(unsigned) * (size_t)list->capacity);
  arrivals->first = malloc(sizeof(long) * (size_t)(paths + 1));
  return arrivals->steps && arrivals->counts && arrivals->first ? DMFT_OK : DMFT_ENOMEM;
}

/* One more arrival of the current path (whose first entry is `first`) in `step`. */
static int list_add(arrival_list_t *list, long first, long step) {
  dmft__arrivals_t *arrivals = list->arrivals;
  if (list->used > first && arrivals->steps[list->used - 1] == step) {
    arrivals->counts[list->used - 1]++;
    return DMFT_OK;
  }
  if (list->used == list->capacity) {
    list->capacity *= 2;
    long *steps = realloc(arrivals->steps, sizeof(long) * (size_t)list->capacity);
    if (!steps) return DMFT_ENOMEM;
    arrivals->steps = steps;
    unsigned *counts = realloc(arrivals->counts, sizeof(unsigned) * (size_t)list->capacity);
    if (!counts) return DMFT_ENOMEM;
    arrivals->counts = counts;
  }
  arrivals->steps[list->used] = step;
  arrivals->counts[list->used] = 1;
  list->used++;
  return DMFT_OK;
}

/* A batch rate that changes with the step is drawn by thinning: arrivals at the largest rate,
 * each kept with probability rate_k / largest in the step k that holds it. Counting kept arrivals
 * step by step then has the law of the module's increment at rate_k (Poisson counts thin to
 * Poisson counts, a Bernoulli step to a Bernoulli step). A constant rate draws no thinning
 * uniform at all, so its arrivals are the ones it always had. */
/* The step that holds epoch time `epochs`, with epochs_before[k] the epochs at the start of step k
 * (k = 0..last_step + 1): the last k with epochs_before[k] <= epochs, or last_step + 1 beyond. */
static long step_of_epochs(const double *epochs_before, long last_step, double epochs) {
  if (!(epochs < epochs_before[last_step + 1])) return last_step + 1;
  long low = 0, high = last_step; /* epochs_before[low] <= epochs < epochs_before[high + 1] */
  while (low < high) {
    const long middle = low + (high - low + 1) / 2;
    if (epochs_before[middle] <= epochs) low = middle;
    else high = middle - 1;
  }
  return low;
}

static int draw(const dmft_problem_t *problem, const dmft__coefficients_t *coefficients, int group, long first_path,
                long paths, long last_step, const double *quasi_random, arrival_list_t *list) {
  /* A sampling scheme by epochs draws in epoch time: step k holds epochs [E_k, E_k + kappa_k dt). */
  double *epochs_before = NULL;
  if (problem->noise->arrives_in_epochs) {
    epochs_before = malloc(sizeof(double) * (size_t)(last_step + 2));
    if (!epochs_before) return DMFT_ENOMEM;
    epochs_before[0] = 0.0;
    for (long k = 0; k <= last_step; k++) epochs_before[k + 1] = epochs_before[k] + coefficients->rate[k] * problem->dt;
  }
  double rate = coefficients->rate[0];
  for (long k = 1; !coefficients->constant_rate && k <= last_step; k++) rate = rate > coefficients->rate[k] ? rate : coefficients->rate[k];
  const int field_dims = DMFT_QUASI_RANDOM_DIMS - DMFT_QUASI_RANDOM_ARRIVAL_DIMS;
  for (long p = 0; p < paths; p++) {
    dmft_rng_t rng;
    dmft_rng_seed(&rng, problem->seed, (uint64_t)group, (uint64_t)(first_path + p), DMFT_STREAM_ARRIVALS);
    if (quasi_random)
      dmft_rng_set_prefix(&rng, quasi_random + p * DMFT_QUASI_RANDOM_DIMS + field_dims, DMFT_QUASI_RANDOM_ARRIVAL_DIMS);
    const long first = list->used;
    list->arrivals->first[p] = first;
    double time = -1.0;
    for (;;) {
      long step = 0;
      time = problem->noise->next_arrival(&rng, rate, problem->dt, time, &step);
      if (epochs_before) {
        step = step_of_epochs(epochs_before, last_step, time);
        if (step > last_step) break;
        if (list_add(list, first, step) != DMFT_OK) {
          free(epochs_before);
          return DMFT_ENOMEM;
        }
        continue;
      }
      if (step > last_step) break;
      if (!coefficients->constant_rate && dmft_rng_uniform(&rng) * rate >= coefficients->rate[step]) continue;
      if (list_add(list, first, step) != DMFT_OK) return DMFT_ENOMEM;
    }
  }
  list->arrivals->first[paths] = list->used;
  free(epochs_before);
  return DMFT_OK;
}

int dmft__arrivals_draw(const dmft_problem_t *problem, const dmft__coefficients_t *coefficients, int group,
                        long first_path, long paths, long last_step, const double *quasi_random, dmft__arrivals_t *arrivals) {
  arrival_list_t list;
  int status = list_init(&list, arrivals, paths);
  if (status == DMFT_OK) status = draw(problem, coefficients, group, first_path, paths, last_step, quasi_random, &list);
  if (status != DMFT_OK) dmft__arrivals_free(arrivals);
  return status;
}

void dmft__arrivals_free(dmft__arrivals_t *arrivals) {
  free(arrivals->steps);
  free(arrivals->counts);
  free(arrivals->first);
  arrivals->steps = NULL;
  arrivals->counts = NULL;
  arrivals->first = NULL;
}

/* Sampling by epochs (reshuffle, shuffle-once): the law of their arrivals, with and without a
 * batch-rate schedule, and the solver against mini-batch SGD drawing its batches the same way
 * (the independent check), which the solver of i.i.d. batches fails. */
#include <math.h>
#include <stdio.h>

#include "arrivals.h"
#include "coefficients.h"
#include "dmft/compare.h"
#include "test_support.h"

static void draw(const dmft_problem_t *p, long paths, dmft__arrivals_t *arrivals) {
  dmft__coefficients_t coefficients;
  CU_ASSERT_EQUAL_FATAL(dmft__coefficients_create(p, &coefficients), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(dmft__arrivals_draw(p, &coefficients, 0, 0, paths, dmft_problem_steps(p), NULL, arrivals), DMFT_OK);
  dmft__coefficients_free(&coefficients);
}

/* Exactly one arrival in each epoch, whatever the batch rate does (a linear schedule from 1 to
 * 2.5: the epochs are the integral of kappabar); its position within the epoch (the fraction of
 * the epoch's steps before it) is uniform: mean 1/2 within 5 standard errors over 4000 paths;
 * shuffle-once keeps one position for the whole run, reshuffle draws a new one each epoch (their
 * correlation across epochs: about 1 and about 0, within 5 standard errors). */
static void test_one_arrival_an_epoch(void) {
  const char *schemes[] = {"reshuffle", "shuffle-once"};
  for (int scheme = 0; scheme < 2; scheme++)
    for (int scheduled = 0; scheduled < 2; scheduled++) {
      dmft_problem_t p;
      dmft_problem_set_defaults(&p);
      p.noise = dmft_noise_find(schemes[scheme]);
      p.kappa = 1.0;
      p.dt = 0.01;
      p.tmax = 4.0;
      if (scheduled) p.kappa_schedule = (dmft_schedule_t){.kind = DMFT_SCHEDULE_LINEAR, .final = 2.5};
      const long paths = 4000, steps = dmft_problem_steps(&p);
      dmft__arrivals_t a;
      draw(&p, paths, &a);
      /* The step holding the start of each epoch e: the first step whose end is past e epochs. */
      double epochs = 0.0;
      long epoch_start[16] = {0};
      int full_epochs = 0;
      for (long k = 0; k <= steps && full_epochs < 15; k++) {
        const double next = epochs + dmft_problem_kappa_at(&p, (double)k * p.dt) * p.dt;
        if (floor(next) > floor(epochs) || k == 0) epoch_start[full_epochs++] = k == 0 ? 0 : k + 1;
        epochs = next;
      }
      const int checked = full_epochs - 1 < 3 ? full_epochs - 1 : 3; /* whole epochs inside the run */
      double sum = 0.0, sum_squares = 0.0, product = 0.0;
      int miscounted = 0;
      for (long path = 0; path < paths; path++) {
        double position[3] = {0};
        for (int e = 0; e < checked; e++) {
          int in_epoch = 0;
          for (long i = a.first[path]; i < a.first[path + 1]; i++)
            if (a.steps[i] >= epoch_start[e] && a.steps[i] < epoch_start[e + 1]) {
              in_epoch += (int)a.counts[i];
              position[e] = (double)(a.steps[i] - epoch_start[e]) / (double)(epoch_start[e + 1] - epoch_start[e]);
            }
          /* A step that straddles an epoch's boundary may hold this epoch's draw or the next's. */
          miscounted += in_epoch < 0 || in_epoch > 2;
        }
        sum += position[0];
        sum_squares += position[0] * position[0];
        product += (position[0] - 0.5) * (position[1] - 0.5);
      }
      long total = 0;
      for (long path = 0; path < paths; path++)
        for (long i = a.first[path]; i < a.first[path + 1]; i++) total += a.counts[i];
      const double expected_total = floor(dmft_problem_epochs_at(&p, (double)(steps + 1) * p.dt)) + 1.0;
      char what[96];
      snprintf(what, sizeof what, "%s%s: arrivals per path", schemes[scheme], scheduled ? " (kappa schedule)" : "");
      /* Every whole epoch holds one draw; the last, cut by the end of the run, holds one or none. */
      CU_ASSERT((double)total / (double)paths <= expected_total && (double)total / (double)paths >= expected_total - 1.0);
      CU_ASSERT_EQUAL(miscounted, 0);
      const double mean = sum / (double)paths, variance = sum_squares / (double)paths - mean * mean;
      DMFT_ASSERT_WITHIN_Z(what, mean, sqrt(variance / (double)paths), 0.5, 0.0, 5.0);
      const double correlation = product / (double)paths / (1.0 / 12.0);
      /* With a rate that changes, an epoch spans fewer steps later, so the same position in epoch
       * time is a slightly different fraction of steps: the correlation stays near 1. */
      if (scheme == 1) {
        CU_ASSERT(correlation > 0.95);
      } else {
        DMFT_ASSERT_WITHIN_Z("reshuffle: positions across epochs", correlation, 1.0 / sqrt((double)paths), 0.0, 0.0, 5.0);
      }
      dmft__arrivals_free(&a);
    }
}

/* Mini-batch SGD at alpha = 0.5 with reshuffled batches, n = 4000, 6 seeds, on the Huber/tanh
 * model, against the reshuffle solve: within 4.5 combined standard errors (about the Bonferroni
 * bound over these comparisons); against the poisson solve (i.i.d. batches) it is far outside.
 * The same for shuffle-once. */
static void test_solver_against_sgd_by_epochs(void) {
  const char *schemes[] = {"reshuffle", "shuffle-once"};
  for (int scheme = 0; scheme < 2; scheme++) {
    dmft_problem_t p;
    dmft_problem_set_defaults(&p);
    p.noise = dmft_noise_find(schemes[scheme]);
    p.tmax = 4.0;
    p.paths = 40000;
    p.threads = 2;
    char message[256];
    CU_ASSERT_EQUAL_FATAL(dmft_problem_check(&p, message, sizeof message), DMFT_OK);
    dmft_result_t *solved = NULL, *iid = NULL;
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &solved), DMFT_OK);
    const dmft_simulation_options_t options = {.algorithm = DMFT_SIMULATE_SGD,
                                               .sampling = dmft_sampling_for_noise(p.noise),
                                               .n = 4000,
                                               .seeds = 6,
                                               .alpha = 0.5,
                                               .skip_responses = 1};
    dmft_simulation_t *simulation = NULL;
    CU_ASSERT_EQUAL_FATAL(dmft_simulate(&p, &options, NULL, NULL, &simulation, message, sizeof message), DMFT_OK);
    dmft_problem_t poisson = p;
    poisson.noise = dmft_noise_find("poisson");
    CU_ASSERT_EQUAL_FATAL(dmft_solve(&poisson, NULL, NULL, &iid), DMFT_OK);
    const double with = dmft_test_largest_deviation(solved, simulation->result);
    const double without = dmft_test_largest_deviation(iid, simulation->result);
    fprintf(stderr, "  %s: largest deviation %.2f s.e. from its own solve, %.2f from the poisson solve\n", schemes[scheme], with,
            without);
    CU_ASSERT(with < 4.5);
    CU_ASSERT(without > 6.0);
    dmft_result_free(&solved);
    dmft_result_free(&iid);
    dmft_simulation_free(&simulation);
  }
}

int main(void) {
  CU_TestInfo tests[] = {{"one arrival an epoch", test_one_arrival_an_epoch},
                         {"solver against SGD by epochs", test_solver_against_sgd_by_epochs},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("sampling schemes", tests);
}

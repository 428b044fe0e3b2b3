/* One replica group: a complete DMFT solve with its own paths and kernels.
 *
 * The march is the causal sweep of equations.md §2: at step k the sample-side engine turns
 * C, M, R up to row k into row k of Cl, Rl and E[dG w*]; the teacher response follows; then the
 * parameter side produces row k+1 of C, M, R. No fixed-point iteration. An engine is a const
 * table of functions, chosen by the noise: the sparse jump-time engine for point processes,
 * the dense engine otherwise (or on request, to check one against the other). */
#ifndef DMFT_REPLICA_H
#define DMFT_REPLICA_H

#include "dmft/problem.h"
#include "dmft/solver.h"
#include "coefficients.h"
#include "kernels.h"

typedef struct dmft__replica {
  const dmft_problem_t *problem;
  int group;
  long paths;           /* paths of this group */
  long steps;           /* K */
  const dmft__coefficients_t *coefficients; /* per-step kick, rate, step size, decay (coefficients.h) */
  const char *report;   /* [K+1]: 1 where the train loss is wanted */
  long train_loss_stride; /* point processes: every this many paths is drawn for the train loss */
  dmft__kernels_t kernels;
  long long path_updates, path_checks; /* work counters of the engine (dmft_result_t) */
} dmft__replica_t;

/* A region of state that changes as the march advances: a checkpoint writes each region's bytes
 * and a resume reads them back into a group created afresh (whatever create() derives from the
 * seed, like the arrival times, is made again, not stored). The same visitor does both. */
typedef void (*dmft__region_fn)(void *user, void *data, size_t bytes);

typedef struct dmft__engine {
  const char *name;
  int is_exact; /* no sampling: one group, zero standard errors */
  /* Whether the engine can solve this problem (NULL: any). */
  int (*applies)(const dmft_problem_t *problem);
  /* Bytes of the engine state for a group of `paths` paths (an estimate for the memory check). */
  double (*bytes)(const dmft_problem_t *problem, long paths);
  int (*create)(const dmft__replica_t *replica, void **state);
  /* Row k of Cl, Rl, wstar_moment (group averages), and train_loss[k] where reported (or in finish). */
  int (*step)(dmft__replica_t *replica, void *state, long k);
  /* Optional: completes train_loss at the reported steps up to last_step, for an engine that
   * defers those draws (called once, after the last step run, also after a divergence). */
  void (*finish)(dmft__replica_t *replica, void *state, long last_step);
  void (*destroy)(void **state);
  /* Every region of `state` a step changes, in a fixed order. */
  void (*regions)(const dmft__replica_t *replica, void *state, dmft__region_fn visit, void *user);
  /* Optional: after the regions were read from a checkpoint, points the random streams' prefixes
   * into this process's memory again and checks that the indices among the regions are the ones
   * create made (a checkpoint's checksum guards against accidents, not against a file made to
   * crash the reader). 1, or 0 for a state this solve could not have made. */
  int (*adopt_loaded_state)(const dmft__replica_t *replica, void *state);
} dmft__engine_t;

extern const dmft__engine_t dmft__engine_sparse;
extern const dmft__engine_t dmft__engine_dense;
extern const dmft__engine_t dmft__engine_gaussian;

/* The engine a problem uses: the exact Gaussian engine where it applies (gradient flow on a
 * quadratic loss of a linear student), the sparse one for point processes, else the dense
 * one; force_dense (tests) sends everything through the dense engine. */
const dmft__engine_t *dmft__engine_for(const dmft_problem_t *problem, int force_dense);

/* Progress shared by the groups; the callback is called from the thread numbered 0 only. */
typedef struct {
  long done;
  long total;
  dmft_progress_fn callback;
  void *user;
  /* Checkpoints: at a step boundary a march stops when *stop is raised; report_progress raises
   * it when the caller's *user_stop is, or when deadline (monotonic seconds, 0: none) passes. */
  volatile int *stop;
  volatile int *user_stop;
  double deadline;
} dmft__progress_t;

/* A group's march as a staged object: create (all memory, the initial state), advance (to the
 * end, a divergence, or until *stop becomes nonzero at a step boundary), regions (for save and
 * load), free. Advancing after a stop continues exactly where it stopped. */
typedef struct dmft__march dmft__march_t;
int dmft__march_create(const dmft__replica_t *replica, const dmft__engine_t *engine, dmft__march_t **march);
/* Runs steps up to `until` (or the last). DMFT_OK when it got there (the end, if
 * dmft__march_next_step() > K), DMFT_EDIVERGED (see diverged_step), DMFT_EINTERRUPTED when
 * stopped before, or an error. */
int dmft__march_advance(dmft__march_t *march, long until, dmft__progress_t *progress, volatile int *stop);
void dmft__march_regions(dmft__march_t *march, dmft__region_fn visit, void *user);
/* After its regions were read from a checkpoint: makes the engine's state this process's again
 * (the engines' adopt_loaded_state) and checks the march's counters; 1, or 0 when the file was
 * not made by this solve. */
int dmft__march_adopt_loaded_state(dmft__march_t *march);
long dmft__march_next_step(const dmft__march_t *march);
long dmft__march_diverged_step(const dmft__march_t *march);
/* The group (its kernels, work counters) the march fills. */
dmft__replica_t *dmft__march_replica(dmft__march_t *march);
void dmft__march_free(dmft__march_t **march);

/* Monotonic seconds, for the deadlines of checkpoint rounds. */
double dmft__seconds_now(void);

/* Marches the group to the end or to a divergence. *diverged_step is the first step whose
 * values were not finite or exploded (-1 if none); rows before it are valid. The kernels stay
 * allocated for the caller to read and free. */
int dmft__replica_run(dmft__replica_t *replica, const dmft__engine_t *engine, long *diverged_step,
                      dmft__progress_t *progress);

/* Divides row k of Cl and Rl, and E[dG_k w*], by the number of paths. */
void dmft__replica_normalize_row(dmft__replica_t *replica, long k);

#endif

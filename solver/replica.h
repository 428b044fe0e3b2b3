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
#include "group_link.h"
#include "kernels.h"
#include "path_sums.h"

typedef struct dmft__replica {
  const dmft_problem_t *problem;
  int group;
  long group_paths;     /* paths of this group */
  long first_path, paths; /* the paths this process marches: first_path .. first_path + paths - 1 of the group */
  const dmft__group_link_t *link; /* the ranks sharing the group (NULL: this process alone) */
  long steps;           /* K */
  const dmft__coefficients_t *coefficients; /* per-step kick, rate, step size, decay (coefficients.h) */
  const char *report;   /* [K+1]: 1 where the train loss is wanted */
  long train_loss_stride; /* point processes: every this many paths is drawn for the train loss */
  dmft__kernels_t kernels;
  /* Path engines add each path's terms of a step to its leaf (step_sums below); the march sums
   * the leaves in their fixed order into the kernels. */
  dmft__path_sums_t sums;
  long long path_updates, path_checks; /* work counters of the engine (dmft_result_t) */
} dmft__replica_t;

/* A region of state that changes as the march advances: a checkpoint writes each region's bytes
 * and a resume reads them back into a group created afresh (whatever create() derives from the
 * seed, like the arrival times, is made again, not stored). The same visitor does both. */
typedef void (*dmft__region_fn)(void *user, void *data, size_t bytes);

/* One path's terms of step k: where its leaf collects them (dmft__replica_step_sums). */
typedef struct {
  double *Cl, *Rl;      /* row k: (k+1) blocks of k x k */
  double *wstar_moment; /* k x k* */
  double *loss;         /* [0] the train-loss sum, [1] the number of paths in it */
} dmft__step_sums_t;

/* Doubles of one leaf at step k: Cl and Rl rows, the moment, the loss sum and count. */
size_t dmft__step_sums_doubles(int k, int kstar, long step);
/* The terms of path p (its index in the group) at step k. */
dmft__step_sums_t dmft__replica_step_sums(const dmft__replica_t *replica, long p, long k);

typedef struct dmft__engine {
  const char *name;
  int is_exact; /* no sampling: one group, zero standard errors */
  /* A path engine: step adds path by path into the leaves (step_sums); otherwise step writes
   * its rows straight into the kernels (the exact engine, which has no paths). */
  int sums_over_paths;
  /* Path engines: the train loss of a reported step comes with its step sums (else the engine
   * sets it in finish). */
  int loss_with_step;
  /* Optional: the paths whose Rl terms a step sums (NULL: all of the group's). */
  long (*response_paths)(const dmft__replica_t *replica);
  /* Whether the engine can solve this problem (NULL: any). */
  int (*applies)(const dmft_problem_t *problem);
  /* Bytes of the engine state for a group of `paths` paths (an estimate for the memory check). */
  double (*bytes)(const dmft_problem_t *problem, long paths);
  int (*create)(const dmft__replica_t *replica, void **state);
  /* Step k: a path engine's terms in the leaves (the march sums and normalizes them); the exact
   * engine's row k of Cl, Rl, wstar_moment and train_loss[k]. */
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

/* Sums the leaves of step k into row k of Cl, Rl and E[dG_k w*] (and train_loss[k] for an engine
 * that reports it with the step) and divides them by their numbers of paths. *decision: the
 * group's first rank's value, the same on every rank of the group after (NULL: none). */
void dmft__replica_reduce_step(dmft__replica_t *replica, const dmft__engine_t *engine, long k, int *decision);

#endif

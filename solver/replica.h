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
#include "kernels.h"

typedef struct dmft__replica {
  const dmft_problem_t *problem;
  int group;
  long paths;           /* paths of this group */
  long steps;           /* K */
  double h;             /* etabar / kappabar: the size of one sample's kick */
  const char *report;   /* [K+1]: 1 where the train loss is wanted */
  long train_loss_stride; /* point processes: every this many paths is drawn for the train loss */
  dmft__kernels_t kernels;
  long long path_updates, path_checks; /* work counters of the engine (dmft_result_t) */
} dmft__replica_t;

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
} dmft__progress_t;

/* Marches the group to the end or to a divergence. *diverged_step is the first step whose
 * values were not finite or exploded (-1 if none); rows before it are valid. The kernels stay
 * allocated for the caller to read and free. */
int dmft__replica_run(dmft__replica_t *replica, const dmft__engine_t *engine, long *diverged_step,
                      dmft__progress_t *progress);

/* Divides row k of Cl and Rl, and E[dG_k w*], by the number of paths. */
void dmft__replica_normalize_row(dmft__replica_t *replica, long k);

#endif

/* The DMFT solver: one causal sweep in time for the kernels of equations.md §2.
 *
 * The paths are split into replica groups (DMFT_MAX_GROUPS at most); each group is a complete,
 * independent solve with its own kernels, so the spread of the groups is an honest standard
 * error for every output, including the deterministic-looking M and Q, whose only randomness
 * is the sample side's Monte Carlo noise fed back through the kernels. Groups run on threads;
 * a group's numbers depend only on the seed and its index, so the output is the same for any
 * thread count. */
#ifndef DMFT_SOLVER_H
#define DMFT_SOLVER_H

#include <stddef.h>

#include "dmft/problem.h"
#include "dmft/status.h"

typedef struct dmft_result {
  int k, kstar;
  int groups;
  long steps;        /* K */
  long rows;         /* output rows planned */
  long rows_done;    /* rows computed (fewer than rows after a divergence) */
  double diverged_at; /* time of the divergence, or -1 */
  const char *divergence; /* what was seen there (a static phrase), or NULL */
  long *step;        /* [rows] time step of each output row */
  double *t;         /* [rows] */
  /* Means over the replica groups and their standard errors (sd / sqrt(groups)). */
  double *M, *M_se;                   /* [rows][k][kstar] */
  double *Q, *Q_se;                   /* [rows][k][k] */
  double *train_loss, *train_loss_se; /* [rows] */
  double *test_loss, *test_loss_se;   /* [rows] */
  /* The loss's test metric (NULL when it declares none), named test_metric_name. */
  double *test_metric, *test_metric_se; /* [rows] */
  const char *test_metric_name;
  double *C, *C_se;                   /* [rows][rows][k][k], C(t_i, t_j) */
  double *R, *R_se;                   /* [rows][rows][k][k], R(t_i, t_j), 0 for j >= i */
  /* The sample side's kernels (equations.md §2), per time step as the march uses them; filled by
   * the solver, NULL in a layout filled by other code (a simulation). */
  double *Cl, *Cl_se;                 /* [rows][rows][k][k], Cl(t_i, t_j) = E[dG_i dG_j^T], symmetric */
  double *Rl, *Rl_se;                 /* [rows][rows][k][k], Rl(t_i, t_j) = E[d dG_i / d f_j], 0 for j > i */
  double *Gamma, *Gamma_se;           /* [rows][k][kstar], Gamma(t_i) = E[d dG_i / d w*] */
  /* With a covariance spectrum (problem->spectrum; else 0 classes and NULL): the Sigma-weighted
   * overlaps M_sigma = theta^T Sigma theta* / d [rows][k][kstar] and Q_sigma = theta^T Sigma theta / d
   * [rows][k][k] (the test loss is their function), and each class's plain overlaps class_M
   * [rows][classes][k][kstar], class_Q [rows][classes][k][k] (M = E_j[M_j], Q = E_j[Q_j]). C and R
   * are then the Sigma-weighted two-time kernels that drive the sample side (C(t,t) = Q_sigma). */
  int classes;
  double *M_sigma, *M_sigma_se, *Q_sigma, *Q_sigma_se;
  double *class_M, *class_M_se, *class_Q, *class_Q_se;
  /* With problem->keep_group_values, each group's own values (else NULL):
   * group_M [groups][rows][k][kstar], group_Q [groups][rows][k][k], group losses [groups][rows]. */
  double *group_M, *group_Q, *group_train_loss, *group_test_loss;
  /* Work of the sample side, summed over the groups, for regression checks that count work
   * rather than time: the times a path's state was updated (a jump, or a train-loss draw) and
   * the paths looked at without being updated (a march that tests every path at every step). */
  long long path_updates, path_checks;
} dmft_result_t;

/* Called now and then from one thread with the fraction of the work done. */
typedef void (*dmft_progress_fn)(double fraction, void *user);

/* Solves a checked problem. On DMFT_EDIVERGED the result holds the rows computed before. */
int dmft_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result);

/* The solve as a staged object, in the manner of SUNDIALS and FFTW: create plans it (sizes,
 * memory, the per-step coefficients, every group's random streams), advance marches every
 * replica group to a step, save and load write and read the whole state, result reduces the
 * groups, free releases it. How the march is cut into advances, saves and loads never changes
 * a bit of the result, for any thread count. dmft_solve is create, advance to the end, result,
 * free. */
typedef struct dmft_solver dmft_solver_t;

/* DMFT_OK or DMFT_ENOMEM (free the half-built solver with dmft_solver_free). */
int dmft_solver_create(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_solver_t **solver);
/* K, the last step. */
long dmft_solver_steps(const dmft_solver_t *solver);
/* Advances every group to step `until` (K: to the end), pausing early, at a step boundary, when
 * *stop (or NULL) becomes nonzero or max_seconds (0: no limit) have passed. DMFT_OK when every
 * group got there, DMFT_EINTERRUPTED when paused before; advancing again continues. */
int dmft_solver_advance(dmft_solver_t *solver, long until, volatile int *stop, double max_seconds);
/* The whole state into `path` (written under a temporary name, flushed, renamed): DMFT_OK or
 * DMFT_EIO. Load right after create, with the same problem: DMFT_OK, or DMFT_EINVAL with a
 * one-line message (another problem or version, a bad checksum, truncated). */
int dmft_solver_save(dmft_solver_t *solver, const char *path);
int dmft_solver_load(dmft_solver_t *solver, const char *path, char *message, size_t message_size);
/* Once every group is at the end: the result (the caller frees it), DMFT_OK or DMFT_EDIVERGED. */
int dmft_solver_result(dmft_solver_t *solver, dmft_result_t **result);
void dmft_solver_free(dmft_solver_t **solver);

/* A solve that saves itself and can continue, over the staged solver: a checkpoint holds each
 * group's state (not started, marching at some step, or finished), so a resumed solve
 * continues each one where it was and gives the bits of an uninterrupted solve. */
typedef struct {
  const char *path;     /* where to write the checkpoint (NULL: never) */
  double every_seconds; /* between checkpoints; the solve also checkpoints when *stop is raised */
  const char *resume;   /* a checkpoint to continue from (NULL: from the start) */
  volatile int *stop;   /* raised (e.g. by a signal handler) to checkpoint and return */
  char *message;        /* why a resume was refused or a checkpoint not written */
  size_t message_size;
} dmft_checkpoint_options_t;

/* dmft_solve with checkpoints. DMFT_EINTERRUPTED when *stop was raised (the state is in path,
 * or nowhere when path is NULL: a solve that can only be stopped; no result); DMFT_EINVAL when the resume file is refused (another problem or version, a bad
 * checksum, truncated), with the message; DMFT_EIO when a checkpoint could not be written. A
 * completed solve leaves its last checkpoint in place (the caller removes it). */
int dmft_solve_checkpointed(const dmft_problem_t *problem, dmft_progress_fn progress, void *user,
                            const dmft_checkpoint_options_t *options, dmft_result_t **result);
/* Removes this rank's checkpoint file for PATH (dmft_ranks_checkpoint_path) and the temporary
 * files PATH.partial-PID that runs killed while saving left behind. */
void dmft_checkpoint_remove(const char *path);
/* A zeroed result on the problem's output grid (step, t filled; groups, rows as the solver
 * uses them), for code that fills the same layout, like the finite-n simulator. */
dmft_result_t *dmft_result_alloc(const dmft_problem_t *problem);
void dmft_result_free(dmft_result_t **result);
/* The first row (below rows_done) at which a value or a standard error of M, Q, the losses, the
 * test metric or, with `with_kernels`, C is not finite; rows_done if there is none. Results are
 * cut there: a row with an infinite error bar is not a result. */
long dmft_result_first_non_finite_row(const dmft_result_t *result, int with_kernels);
/* Cuts the result before that row, as a divergence there (diverged_at, divergence). 1 if it
 * cut, else 0. */
int dmft_result_cut_at_non_finite(dmft_result_t *result, int with_kernels);
/* A result by name, for callers that cannot read the struct (foreign-function interfaces):
 * the array ("t", "M", "M_se", "Q", "Q_se", "train_loss", "test_loss", "test_metric" and their
 * "_se", "C", "R", "Cl", "Rl", "Gamma", with a spectrum "M_sigma", "Q_sigma", "M_class", "Q_class", and their "_se"), its rank and shape on the planned rows (rows_done of them
 * hold values), row-major; NULL for a name it does not have. Numbers "rows", "rows_done",
 * "groups", "k", "kstar", "steps", "diverged_at", "classes" (NaN for another name); texts
 * "test_metric_name" and "divergence" (NULL when there is none). */
const double *dmft_result_array(const dmft_result_t *result, const char *name, long shape[4], int *rank);
double dmft_result_number(const dmft_result_t *result, const char *name);
const char *dmft_result_text(const dmft_result_t *result, const char *name);
/* What happened at diverged_at, a phrase for "at t = T <phrase>" (by default, that the
 * dynamics diverged). */
const char *dmft_result_divergence_reason(const dmft_result_t *result);

#endif

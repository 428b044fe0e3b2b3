/* The dmft commands in-process: what the executable runs, for programs and foreign-function
 * callers (the Python package calls nothing else).
 *
 * dmft_command_run() takes the executable's arguments after "dmft" ("solve", "--eta", "1", ...)
 * and returns its exit status: 0 done, 1 a validation failed, 2 bad input (nothing written),
 * 3 diverged, 4 a plugin crashed, 130 interrupted. It parses, checks and refuses exactly as the
 * executable does, with the same one-line messages, but prints no message (ask
 * dmft_command_message), installs no signal handler and never exits the process. Commands run
 * one at a time per process (a second caller waits). */
#ifndef DMFT_COMMAND_H
#define DMFT_COMMAND_H

#include "dmft/problem.h"
#include "dmft/solver.h"

typedef struct dmft_command dmft_command_t;

dmft_command_t *dmft_command_create(void);
/* 0: solve and simulate keep their result in memory and write no file (the default: 1, they
 * write --out PREFIX.csv and PREFIX.h5 as the executable does). */
void dmft_command_set_write_files(dmft_command_t *command, int write_files);
int dmft_command_run(dmft_command_t *command, int argc, const char *const *argv);
/* From any thread, while dmft_command_run() is running: a solve stops at the next step and
 * returns 130 (no result, nothing written). */
void dmft_command_interrupt(dmft_command_t *command);
/* The last run's one-line message of a refusal or a failure ("" after success). */
const char *dmft_command_message(const dmft_command_t *command);
/* The last run's result — solve's, simulate's, and validate's solve — or NULL; owned by the
 * command, valid until the next run or free. */
const dmft_result_t *dmft_command_result(const dmft_command_t *command);
/* The problem that result is of: NULL without a result. */
const dmft_problem_t *dmft_command_problem(const dmft_command_t *command);
/* Numbers and texts the last run left. Numbers: "tolerance" and "finite_size_slope"
 * (validate); a problem's numbers by option name ("gamma", "eta", "kappa", "ridge", "tmax", "dt",
 * "paths", "seed", "eta_final", "warmup", "kappa_final", "momentum_time", ...); the chosen
 * components' parameters ("param_huber_delta", named as in the HDF5 file); NaN for none.
 * Texts: "table" (validate: CSV, one row per size), "command_line" (what the run recorded as
 * its provenance), "loss", "activation", "teacher", "regularizer", "noise", "seed" (all 64
 * bits, in decimal), "teacher_prior", "init_prior", "eta_schedule", "kappa_schedule",
 * "parameter_side", "model_params" (the param_ names, commas between); NULL for none. */
double dmft_command_number(const dmft_command_t *command, const char *name);
const char *dmft_command_text(const dmft_command_t *command, const char *name);
void dmft_command_free(dmft_command_t **command);

#endif

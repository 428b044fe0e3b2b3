/* The one command running in this process, and what its caller asked of it.
 *
 * The executable runs one command and exits. A program embedding libdmft (dmft/command.h: the
 * Python package) runs many, one after another, in a process it owns: it must get each one's
 * message and result back, interrupt it without a signal, and find no handler of ours left on
 * its signals. The commands read that from here, and report through cli_fail(). */
#ifndef DMFT_CLI_COMMAND_SESSION_H
#define DMFT_CLI_COMMAND_SESSION_H

#include <stddef.h>

#include "dmft/problem.h"
#include "dmft/solver.h"

typedef struct {
  int embedded;        /* run through dmft_command_run(): no signal handlers, messages not printed */
  int write_files;     /* 0: solve and simulate keep their result here and write no file */
  volatile int stop;   /* raised by dmft_command_interrupt(): a solve stops at the next step */
  char message[1024];  /* the last one-line message of a refusal or a failure, "" if none */
  /* What the command leaves its caller (embedded only): solve and simulate their result,
   * validate its solve and its table; the problem they ran. */
  dmft_result_t *result;
  dmft_problem_t problem;
  int has_problem;
  char *table_csv;     /* validate: one row per size (malloc'd) */
  double tolerance, finite_size_slope;
} cli_session_t;

/* The session of the running command (the executable's: not embedded, writing files). */
cli_session_t *cli_session(void);
/* Runs the command in argv[0] with its arguments: the exit status. */
int cli_dispatch(int argc, char **argv);
/* A refusal or failure: the line ("dmft solve: ...", no newline) is kept as the message and,
 * unless embedded, printed to stderr. */
void cli_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Under mpirun: the largest of every rank's exit status, so that a refusal on one rank (every
 * rank checks the same input) is everyone's and no rank waits for one that left. Collective;
 * the status itself on one rank. */
int cli_ranks_agree(int exit_status);
/* dmft_command_run() (cli/command_api.c), around one command. */
void cli_session_enter(cli_session_t *session);
void cli_session_leave(void);
/* Hands a result over to an embedded caller (which then owns it), or frees it. */
void cli_session_keep_result(dmft_result_t **result, const dmft_problem_t *problem);

#endif

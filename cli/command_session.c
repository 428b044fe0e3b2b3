/* The session of the running command (cli/command_session.h). */
#include "command_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dmft/ranks.h"
#include "group_link.h"

static cli_session_t executable_session = {.write_files = 1};
static cli_session_t *current = &executable_session;

cli_session_t *cli_session(void) { return current; }

void cli_session_enter(cli_session_t *session) { current = session; }
void cli_session_leave(void) { current = &executable_session; }

void cli_fail(const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(current->message, sizeof current->message, format, arguments);
  va_end(arguments);
  /* Every rank refuses; rank 0 says why, once. */
  if (!current->embedded && dmft_ranks_rank() == 0) fprintf(stderr, "%s\n", current->message);
}

int cli_ranks_agree(int exit_status) { return dmft__ranks_all_max(exit_status); }

void cli_session_keep_result(dmft_result_t **result, const dmft_problem_t *problem) {
  if (!current->embedded || !*result) {
    dmft_result_free(result);
    return;
  }
  dmft_result_free(&current->result);
  current->result = *result;
  current->problem = *problem;
  current->has_problem = 1;
  *result = NULL;
}

int cli_dispatch(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } commands[] = {{"solve", cli_solve},       {"list", cli_list},         {"simulate", cli_simulate},
                  {"validate", cli_validate}, {"converge", cli_converge}, {"online", cli_online},
                  {"sweep", cli_sweep},       {"check-plugin", cli_check_plugin}};
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[0], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  cli_fail("dmft: unknown command '%s' (accepted: solve, simulate, validate, converge, online, sweep, list, check-plugin; "
           "see dmft --help)",
           argv[0]);
  return 2;
}

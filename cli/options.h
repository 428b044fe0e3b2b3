/* The options of `dmft solve`: one table drives the command-line parser, the INI config reader
 * and --help, so a name cannot mean one thing on the command line and another in a file. */
#ifndef DMFT_CLI_OPTIONS_H
#define DMFT_CLI_OPTIONS_H

#include <stddef.h>

#include "dmft/problem.h"

typedef struct {
  dmft_problem_t problem;
  const char *out_prefix;
  const char *config_path;
  int quiet;
  char out_storage[4096];
} cli_solve_options_t;

void cli_solve_options_defaults(cli_solve_options_t *options);

/* Sets option `name` (without the leading dashes) from its text. Returns 0, or 2 with a
 * one-line message naming the option and what it accepts. */
int cli_option_set(cli_solve_options_t *options, const char *name, const char *value, char *message, size_t size);

/* Whether option `name` takes no value (a flag such as --quiet). -1 if there is no such option. */
int cli_option_is_flag(const char *name);

/* Reads an INI file of `name = value` lines (any section named "" or "solve"). */
int cli_options_read_config(cli_solve_options_t *options, const char *path, char *message, size_t size);

/* Parses argv (after the subcommand); a --config file is read first and the command line
 * overrides it. Returns 0, 1 if --help was given (help already printed), or 2 on bad input. */
int cli_options_parse(cli_solve_options_t *options, int argc, char **argv, char *message, size_t size);

void cli_options_print_help(const char *command, const char *summary);

#endif

/* The options of `dmft solve`, `dmft simulate` and `dmft validate`: one table drives the
 * command-line parser, the INI config reader and --help, so a name cannot mean one thing on the
 * command line and another in a file. The simulation options exist only on the commands that
 * simulate. */
#ifndef DMFT_CLI_OPTIONS_H
#define DMFT_CLI_OPTIONS_H

#include <stddef.h>

#include "dmft/problem.h"

#include "dmft/simulate.h"

typedef enum { CLI_SOLVE = 1, CLI_SIMULATE = 2, CLI_VALIDATE = 4, CLI_CONVERGE = 8, CLI_ONLINE = 16, CLI_SWEEP = 32 } cli_command_t;

#define CLI_MAX_SIZES 12
#define CLI_MAX_MODEL_PARAMS 16
#define CLI_MAX_SWEEP_AXES 4

struct cli_model_param {
  char name[64];
  double value;
};

typedef struct {
  cli_command_t command;
  dmft_problem_t problem;
  const char *out_prefix;
  const char *config_path;
  int quiet;
  /* model parameters, applied once every option is read */
  double huber_delta;
  int huber_delta_given;
  /* schedules: which of their options were given (the shapes and values are in problem) */
  int eta_final_given, kappa_final_given, eta_file_given, kappa_file_given;
  /* --spectrum: a file, or a family built from the options after it (cli_options_apply_spectrum) */
  char spectrum_text[1024];
  double spectrum_exponent, spectrum_fraction;
  int spectrum_classes;
  char spectrum_values[128];
  int spectrum_exponent_given, spectrum_classes_given, spectrum_values_given, spectrum_fraction_given;
  struct cli_model_param model_params[CLI_MAX_MODEL_PARAMS];
  int model_param_count;
  /* simulate and validate */
  long sizes[CLI_MAX_SIZES]; /* --n */
  int size_count, sizes_given;
  int seeds, seeds_given;
  double alpha;
  double max_mem_gib;
  int algorithm_given;
  dmft_algorithm_t algorithm;
  /* validate */
  const char *report_dir;
  const char *suite;
  double tolerance; /* 0: Bonferroni bound for a 1% family-wise error */
  /* converge */
  double dt_ladder[CLI_MAX_SIZES]; /* --dt as a list, or --dt0 and --levels */
  int dt_count;
  double dt0;
  int levels, path_levels, levels_given;
  int independent_levels;
  /* sweep: the --sweep texts, NAME=VALUES, parsed by cli/sweep_grid.c */
  char sweeps[CLI_MAX_SWEEP_AXES][1024];
  int sweep_count;
  /* solve: checkpoints */
  const char *checkpoint_path, *resume_path;
  double checkpoint_every;
  char out_storage[4096], report_storage[4096], checkpoint_storage[4096], resume_storage[4096];
} cli_options_t;

void cli_options_defaults(cli_options_t *options, cli_command_t command);

/* Sets option `name` (without the leading dashes) from its text. Returns 0, or 2 with a
 * one-line message naming the option and what it accepts. */
int cli_option_set(cli_options_t *options, const char *name, const char *value, char *message, size_t size);

/* Whether option `name` takes no value (a flag such as --quiet). -1 if the command has no such
 * option. */
int cli_option_is_flag(cli_command_t command, const char *name);

/* Reads an INI file of `name = value` lines, in no section or in sections named after the
 * commands. One file may serve several commands: outside its own section a command leaves
 * alone the options it does not take (they belong to another command); in its own section, or
 * for a name no command knows, the line is refused. A file must be regular text of at most
 * 1 MiB with lines inih can hold whole. */
int cli_options_read_config(cli_options_t *options, const char *path, char *message, size_t size);

/* Parses argv (after the subcommand); a --config file is read first and the command line
 * overrides it. Returns 0, 1 if --help was given (help already printed), or 2 on bad input. */
int cli_options_parse(cli_options_t *options, int argc, char **argv, char *message, size_t size);

void cli_options_print_help(cli_command_t command, const char *summary);

/* The options a command takes, one by one (index 0, 1, ...: 1 while there is one), with the
 * default --help shows: for --help, the manual page and the shell completion (cli/manual.c). */
typedef struct {
  const char *name, *metavar, *help;
  char default_text[96]; /* "" when the option is simply absent by default */
  int is_flag;
} cli_option_info_t;
int cli_option_info(cli_command_t command, int index, cli_option_info_t *info);
const char *cli_command_name(cli_command_t command);
/* A command line a user can start from. */
const char *cli_command_example(cli_command_t command);

/* The options that only mean something together, once all are read (the schedules': a final
 * value needs a shape that ends there, a file needs the file shape and the other way round).
 * 0, or 2 with a message. */
int cli_options_check_combinations(const cli_options_t *options, char *message, size_t size);

/* --huber-delta and the --model-param values, applied again after a component was set (setting
 * one resets its parameters to their defaults): what a sweep does for each configuration. */
/* After every option: the covariance spectrum named by --spectrum and its family's options (exit
 * status 2 with a message for a bad file or a family option without its family). */
int cli_options_apply_spectrum(cli_options_t *options, char *message, size_t size);
int cli_options_apply_model_params(cli_options_t *options, char *message, size_t size);
/* --no-kernels asks for the one-time observables only: a problem the Volterra engine solves (the
 * linear model) then goes to it, with no paths (dmft/volterra.h). Call after the model is set. */
void cli_options_choose_engine(cli_options_t *options);

/* The simulation a parsed command line asks for, at size n: the algorithm --simulate names, or
 * the one --noise describes. */
dmft_simulation_options_t cli_simulation_options(const cli_options_t *options, long n);

#endif

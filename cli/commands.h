/* The subcommands of the dmft executable. Each returns the process exit status:
 * 0 done, 1 validation failed, 2 bad input (nothing written), 3 diverged, 4 a plugin crashed. */
#ifndef DMFT_CLI_COMMANDS_H
#define DMFT_CLI_COMMANDS_H

int cli_solve(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_simulate(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_converge(int argc, char **argv);
int cli_online(int argc, char **argv);
int cli_check_plugin(int argc, char **argv);
int cli_sweep(int argc, char **argv);

/* What each command does, for its --help and the manual page (cli/manual.c). */
extern const char *const cli_solve_summary, *const cli_simulate_summary, *const cli_validate_summary,
    *const cli_converge_summary, *const cli_online_summary, *const cli_sweep_summary, *const cli_list_summary,
    *const cli_check_plugin_summary;

#endif

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

#endif

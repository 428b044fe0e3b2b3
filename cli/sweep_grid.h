/* The grid of a parameter sweep: each --sweep NAME=VALUES is an axis (NAME=A:B:STEP, A to B
 * inclusive, or NAME=V1,V2,...), and the configurations are every combination, the last axis
 * changing fastest. Values stay text: each is given to the option parser exactly as a user
 * would type it, so a swept option means what it means on the command line. */
#ifndef DMFT_CLI_SWEEP_GRID_H
#define DMFT_CLI_SWEEP_GRID_H

#include <stddef.h>

#include "options.h"

#define CLI_SWEEP_MAX_VALUES 1000
#define CLI_SWEEP_MAX_CONFIGURATIONS 10000

typedef struct {
  char name[64];
  int count;
  char (*values)[48]; /* [count] */
} cli_sweep_axis_t;

typedef struct {
  int axes;
  cli_sweep_axis_t axis[CLI_MAX_SWEEP_AXES];
  long configurations;
} cli_sweep_grid_t;

/* The grid of options->sweeps. 0, or 2 with a one-line message naming the --sweep at fault. */
int cli_sweep_grid_parse(const cli_options_t *options, cli_sweep_grid_t *grid, char *message, size_t size);
void cli_sweep_grid_free(cli_sweep_grid_t *grid);
/* The value of `axis` in configuration `index`. */
const char *cli_sweep_grid_value(const cli_sweep_grid_t *grid, long index, int axis);
/* Options of configuration `index`: the base options with each swept value set. 0, or 2 with a
 * message naming the configuration. */
int cli_sweep_grid_options(const cli_sweep_grid_t *grid, long index, const cli_options_t *base, cli_options_t *options,
                           char *message, size_t size);
/* "eta0.5-noisegauss": the configuration in a file name (characters other than letters,
 * digits, '.', '+', '-' and '_' become '_'). */
void cli_sweep_grid_label(const cli_sweep_grid_t *grid, long index, char *label, size_t size);

#endif

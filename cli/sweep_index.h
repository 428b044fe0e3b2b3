/* What a sweep keeps of each configuration: PREFIX-index.csv (the swept values, the final M, Q
 * and losses with standard errors, the status and each output's path), the signature that lets
 * a rerun recognize a finished configuration, and the summary figure. */
#ifndef DMFT_CLI_SWEEP_INDEX_H
#define DMFT_CLI_SWEEP_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dmft/problem.h"
#include "dmft/solver.h"
#include "sweep_grid.h"

typedef struct {
  int done;         /* 1 when this configuration's outputs are written */
  char status[16];  /* done, diverged, failed, pending */
  double M, M_se, Q, Q_se, train_loss, train_loss_se, test_loss, test_loss_se; /* final row, entry (0,0) */
  double diverged_at; /* -1 when it did not */
  uint64_t signature;
  char csv[4200], h5[4200];
} cli_sweep_row_t;

/* The final values of a result into a row. */
void cli_sweep_row_from_result(cli_sweep_row_t *row, const dmft_result_t *result);
/* Writes the index of `rows` (one per configuration of `grid`) to `path`. 0, or EIO. */
int cli_sweep_write_index(const char *path, const cli_sweep_grid_t *grid, const cli_sweep_row_t *rows);
/* Reads the rows marked done of an earlier index (none if it does not exist or is not one);
 * fills `found` with their signatures and rows, at most `capacity`. Returns the count. */
long cli_sweep_read_index(const char *path, cli_sweep_row_t *found, long capacity);
/* The summary figure: final test loss (+- 2 s.e.) against each swept option (its values, or
 * its categories in order), rendered by gnuplot into `svg_path` and `png_path`. 0, or 2 with a
 * message. */
int cli_sweep_write_figure(const cli_sweep_grid_t *grid, const cli_sweep_row_t *rows, const char *svg_path,
                           const char *png_path, char *message, size_t size);

#endif

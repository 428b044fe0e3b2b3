/* Writers of a solve's result: PREFIX.csv (one row per output time) and PREFIX.h5 (every
 * kernel, every parameter). Each writes exactly the path it is given (a staged name of an
 * output transaction, or a file of a report being built); cli_write_outputs() writes the pair
 * and commits it, so the final names only ever hold a whole pair. */
#ifndef DMFT_CLI_WRITERS_H
#define DMFT_CLI_WRITERS_H

#include <stddef.h>
#include <stdint.h>

#include "dmft/dmft.h"
#include "dmft/simulate.h"
#include "output_transaction.h"

int cli_write_csv(const char *path, const dmft_problem_t *problem, const dmft_result_t *result);
/* `simulation` (or NULL for a solve) adds the simulation's size, seeds, algorithm and its
 * Gaussian-formula test loss. */
int cli_write_hdf5(const char *path, const dmft_problem_t *problem, const dmft_result_t *result,
                   const dmft_simulation_t *simulation);
/* The HDF5 file of a result is built in memory (HDF5's core driver) and saved with plain
 * writes: a full disk then fails one write(2), which is reported, instead of leaving HDF5 with a
 * file it cannot close (which crashed its shutdown at exit). */
int64_t cli_hdf5_create_in_memory(void); /* an hid_t */
int cli_hdf5_save(int64_t file, const char *path); /* closes `file`; DMFT_OK or DMFT_EIO */
/* A variable-length UTF-8 string attribute of a file or dataset (h5py reads it as str); a
 * negative value on failure. */
int cli_hdf5_set_string(int64_t object, const char *name, const char *value);
/* The problem as root attributes: every number and name that changes a result, the command
 * line and each plugin with its SHA-256 (r gives the grid: groups, steps, rows, divergence). */
int cli_hdf5_write_problem(int64_t file, const dmft_problem_t *problem, const dmft_result_t *r);
/* Descriptions, units and dimension names of every dataset, t as the time axes' scale, and the
 * R convention (cli/hdf5_describe.c). A negative value on failure. */
int cli_hdf5_describe(int64_t file);
/* Checks --out PREFIX for PREFIX.csv and PREFIX.h5 before any work (1, or 0 with a message). */
int cli_prepare_result_outputs(cli_output_t *output, const char *prefix, char *message, size_t size);
/* Writes the staged pair and commits it: 1 when both replaced the earlier pair, else 0 with the
 * earlier pair untouched. `simulation` as for cli_write_hdf5. */
int cli_write_outputs(cli_output_t *output, const dmft_problem_t *problem, const dmft_result_t *result,
                      const dmft_simulation_t *simulation);

#endif

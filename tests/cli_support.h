/* Running the dmft executable in a scratch directory, as a user would, for the test programs
 * of the command line: its exit status, what it printed, and the files it left. */
#ifndef DMFT_TEST_CLI_SUPPORT_H
#define DMFT_TEST_CLI_SUPPORT_H

#include <stddef.h>

extern char directory[256];               /* the scratch directory the commands run in */
extern char output[65536], errors[65536]; /* stdout and stderr of the last run */

/* Bad input and the word its one-line refusal must name. */
typedef struct {
  const char *arguments;
  const char *named;
} refusal_t;

int cli_test_make_directory(const char *name); /* 0, or 1 */
int cli_test_remove_directory(void);           /* 0, or 1 */
void read_file(const char *path, char *buffer, size_t size);
/* Runs `dmft ARGS` in the directory; returns its exit status, output and errors kept. */
int run(const char *arguments);
/* Runs `mpirun -np RANKS dmft ARGS` the same way (mpirun's own flags for a root user and for
 * more ranks than cores added); needs DMFT_MPIEXEC_PATH. */
int run_on_ranks(int ranks, const char *arguments);
int exists(const char *name);
void write_text(const char *name, const char *text);
int count_lines(const char *text);
/* The text of a file of the directory. */
void text_of(const char *name, char *buffer, size_t size);
/* Whether two files of the directory have the same bytes. */
int same_files(const char *a, const char *b);
/* Whether two HDF5 files of the directory hold the same datasets and attributes, read by h5py,
 * but for the command line that made each (the bytes may differ: HDF5 leaves padding
 * uninitialized). */
int same_hdf5(const char *a, const char *b);
/* `dmft ARGUMENTS` must exit 2 with one line that names `named`. */
void expect_refusal(const char *arguments, const char *named);

#endif

/* The checkpoint file: everything a solve needs to continue where it stopped, written
 * atomically and refused when it is not exactly what this solve made.
 *
 * Layout (all integers little-endian as this machine writes them; a checkpoint moves between
 * runs of one build, not between machines): the magic "DMFTCKPT", the format version, the dmft
 * version (32 bytes), the problem's signature (dmft_problem_signature), the group count, the
 * writing rank and the number of ranks (under MPI each rank writes its own file); then
 * per group one byte (0 not started, 1 marching, 2 finished) and its regions, each as its byte
 * count and its bytes; last, an FNV-1a 64 checksum of everything before it. The reader checks
 * the checksum over the whole file before it reads anything into a group, and every region's
 * size against the size this solve expects. */
#ifndef DMFT_CHECKPOINT_INTERNAL_H
#define DMFT_CHECKPOINT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

enum { DMFT__GROUP_NOT_STARTED = 0, DMFT__GROUP_MARCHING = 1, DMFT__GROUP_FINISHED = 2 };

typedef struct dmft__checkpoint_file dmft__checkpoint_file_t;

/* Writing: to PATH.partial-PID, renamed over PATH by commit(); begin() first removes the
 * PATH.partial-* files of killed runs (dmft__checkpoint_remove_stale_partials). */
void dmft__checkpoint_remove_stale_partials(const char *path);
int dmft__checkpoint_begin(const char *path, uint64_t signature, int groups, int rank, int ranks,
                           dmft__checkpoint_file_t **file);
void dmft__checkpoint_write_kind(dmft__checkpoint_file_t *file, int kind);
void dmft__checkpoint_write_region(void *file, void *data, size_t bytes); /* a dmft__region_fn */
/* The end of a save, in two halves for ranks that each write a file of one save: finish
 * completes the temporary file (checksum, fsync); commit renames it over PATH when keep, else
 * removes it, and frees the writer. Committing only once every rank has finished keeps the
 * previous save whole on every rank until the new one is. DMFT_OK or DMFT_EIO. */
int dmft__checkpoint_finish(dmft__checkpoint_file_t *file);
int dmft__checkpoint_commit(dmft__checkpoint_file_t **file, int keep);

/* Reading: DMFT_OK, or DMFT_EINVAL with a one-line message naming the file and the fault. */
int dmft__checkpoint_open(const char *path, uint64_t signature, int groups, int rank, int ranks,
                          dmft__checkpoint_file_t **file, char *message, size_t size);
int dmft__checkpoint_read_kind(dmft__checkpoint_file_t *file);
void dmft__checkpoint_read_region(void *file, void *data, size_t bytes); /* a dmft__region_fn */
/* DMFT_OK when every region had its size and the file ended where it should, else
 * DMFT_EINVAL with the message. Frees the reader. */
int dmft__checkpoint_close(dmft__checkpoint_file_t **file, char *message, size_t size);

#endif

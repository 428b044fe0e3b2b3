/* MPI ranks. A solve started by `mpirun -np P dmft solve ...` spreads every replica group's
 * paths over the P ranks (whole leaves of paths, solver/path_sums.h), simulate and validate
 * spread their seeds, sweep its configurations; the numbers are the same bits for any P.
 *
 * dmft_ranks_init starts MPI only when the process was launched by an MPI launcher (and the
 * library was built with MPI, DMFT_MPI at configure time); otherwise, and in a library loaded by
 * Python, there is one rank and nothing of MPI is touched. */
#ifndef DMFT_RANKS_H
#define DMFT_RANKS_H

/* Starts MPI (thread support: MPI_THREAD_MULTIPLE) when launched by mpirun; DMFT_OK, or
 * DMFT_EINVAL when the MPI library cannot serve threads. */
int dmft_ranks_init(int *argc, char ***argv);
int dmft_ranks_rank(void);
int dmft_ranks_size(void);
/* Every rank's exit status made one: the largest in magnitude, so a refusal on one rank is
 * everyone's. Collective. */
int dmft_ranks_agree_status(int status);
void dmft_ranks_finalize(void);
/* `bytes` bytes at data from rank `root` to every rank (a no-op on one rank). Collective. */
void dmft_ranks_broadcast(void *data, unsigned long bytes, int root);
/* The checkpoint file this rank reads and writes for --checkpoint PATH: PATH itself on one rank
 * and on rank 0, PATH.rank-R on rank R > 0 (each rank saves its own paths' state). */
void dmft_ranks_checkpoint_path(const char *path, char *out, unsigned long size);

#endif

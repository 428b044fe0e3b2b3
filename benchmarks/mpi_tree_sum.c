/* The per-step cost of summing a shared group's leaves over MPI ranks (solver/path_sums.c): one
 * group of `leaves` leaves spread over every rank of mpirun, reduced `repeats` times for rows of
 * n doubles (the length of a step's sums, 2 (k+1) k^2 + k k* + 2 at step k). Prints, on rank 0,
 * one line per n: microseconds per reduction and the bytes this rank sent.
 * usage: mpirun -np P bench_mpi_tree_sum [LEAVES] [REPEATS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dmft/ranks.h"
#include "group_link.h"
#include "path_sums.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (dmft_ranks_init(&argc, &argv) != 0) return 2;
  const long leaves = argc > 1 ? atol(argv[1]) : 62;
  const int repeats = argc > 2 ? atoi(argv[2]) : 2000;
  const long paths = leaves * DMFT_PATHS_PER_LEAF;
  dmft__group_place_t *places = NULL;
  if (dmft__group_places_create(&paths, 1, 1, &places) != 0) return 1;
  const size_t lengths[] = {122, 482, 2402, 9602, 48002};
  if (dmft_ranks_rank() == 0)
    printf("ranks %d, one group of %ld leaves (this rank %ld), %d reductions each\n", dmft_ranks_size(), leaves,
           places[0].leaves, repeats);
  for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
    dmft__path_sums_t sums;
    if (dmft__path_sums_create(&sums, paths, places[0].first_leaf, places[0].leaves, lengths[i], places[0].link) != 0) return 1;
    for (long l = 0; l < sums.leaves; l++)
      for (size_t j = 0; j < lengths[i]; j++) sums.values[(size_t)l * sums.capacity + j] = (double)(l + j);
    int decision = 0;
    dmft__path_sums_reduce(&sums, lengths[i], &decision); /* warm up the connections */
    const double started = now();
    for (int r = 0; r < repeats; r++) dmft__path_sums_reduce(&sums, lengths[i], &decision);
    const double seconds = now() - started;
    if (dmft_ranks_rank() == 0)
      printf("n %6zu doubles (%7.1f KiB): %8.2f us per reduction\n", lengths[i], 8.0 * (double)lengths[i] / 1024.0,
             1e6 * seconds / repeats);
    dmft__path_sums_free(&sums);
  }
  dmft__group_places_free(&places, 1);
  dmft_ranks_finalize();
  return 0;
}

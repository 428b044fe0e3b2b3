/* Sums over a group's paths in an order fixed by the problem alone.
 *
 * A group's paths are cut into leaves of DMFT_PATHS_PER_LEAF consecutive paths. Within a leaf
 * the contributions are added path by path (in the order the engine visits them, which is the
 * order of the paths' indices); the leaves are then combined by one fixed binary tree. A leaf
 * belongs to exactly one process, so the sums come out with the same bits whether one process
 * holds every leaf or the leaves are spread over MPI ranks (group_link.h), and whatever the
 * thread count: this is the seam through which a group's paths are split over ranks. */
#ifndef DMFT_PATH_SUMS_H
#define DMFT_PATH_SUMS_H

#include <stddef.h>

#include "group_link.h"

/* Paths per leaf: a rank holds whole leaves, so this is also the finest split of a group over
 * ranks (1e6 paths in 16 groups: 62 leaves a group, about 1000 ranks in all). */
#define DMFT_PATHS_PER_LEAF 1024

typedef struct {
  long group_leaves;       /* leaves of the whole group */
  long first_leaf, leaves; /* this process's leaves */
  size_t capacity;         /* doubles per leaf */
  double *values;          /* [leaves][capacity] */
  double *scratch;         /* tree levels, [depth][capacity] */
  double *total;           /* [capacity + 1]: the last reduction, and the decision it carried */
  int depth;
  const dmft__group_link_t *link; /* the ranks sharing the group; NULL: this process holds every leaf */
} dmft__path_sums_t;

long dmft__path_leaves_of(long paths);

/* Sums of up to `capacity` doubles over leaves [first_leaf, first_leaf + leaves) of a group of
 * group_paths paths. */
int dmft__path_sums_create(dmft__path_sums_t *sums, long group_paths, long first_leaf, long leaves, size_t capacity,
                           const dmft__group_link_t *link);
void dmft__path_sums_free(dmft__path_sums_t *sums);

/* Zeroes the first n doubles of every leaf of this process. */
void dmft__path_sums_clear(dmft__path_sums_t *sums, size_t n);

/* The leaf of path p (its index in the group) when this process holds it, else NULL. */
double *dmft__path_sums_leaf(const dmft__path_sums_t *sums, long p);

/* The tree sum of the first n doubles of every leaf of the group, on every process that shares
 * it (valid until the next call). With decision: the value *decision has on the group's first
 * rank is carried along, and *decision is that value on every rank after. */
const double *dmft__path_sums_reduce(dmft__path_sums_t *sums, size_t n, int *decision);

#endif

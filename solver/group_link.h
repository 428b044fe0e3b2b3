/* The ranks that share one replica group, and what the solver needs of MPI (solver/ranks.c).
 *
 * A group's leaves (path_sums.h) are spread over the world's ranks in order: rank r holds a
 * contiguous run of the flattened (group, leaf) list, so a group is shared by consecutive
 * ranks, each holding consecutive leaves. Built without MPI, or on one rank, nothing is shared
 * and every function here is trivial. */
#ifndef DMFT_GROUP_LINK_H
#define DMFT_GROUP_LINK_H

#include <stddef.h>

typedef struct dmft__group_link dmft__group_link_t;

/* Where one group lives on this rank. */
typedef struct {
  long first_leaf, leaves; /* this rank's leaves of the group (leaves 0: not here) */
  long first_path, paths;  /* the same as paths of the group */
  int root;                /* the world rank holding leaf 0: it has the group's outputs */
  dmft__group_link_t *link; /* NULL when this rank holds the whole group or none of it */
} dmft__group_place_t;

/* Places every group (group_paths[g] paths each) on the ranks; with spread 0 (a job of a sweep,
 * an exact engine) this rank holds every group alone. Collective when spread and size > 1. */
int dmft__group_places_create(const long *group_paths, int groups, int spread, dmft__group_place_t **places);
void dmft__group_places_free(dmft__group_place_t **places, int groups);

/* The rank (within the group's ranks, in order) that holds `leaf`, and this rank's. */
int dmft__group_link_owner(const dmft__group_link_t *link, long leaf);
int dmft__group_link_me(const dmft__group_link_t *link);
void dmft__group_link_send(const dmft__group_link_t *link, int to, const double *values, size_t n);
void dmft__group_link_receive(const dmft__group_link_t *link, int from, double *values, size_t n);
/* From the group's first rank (the holder of leaf 0) to all of its ranks. */
void dmft__group_link_broadcast(const dmft__group_link_t *link, double *values, size_t n);

/* World collectives of the solver (no-ops on one rank). spread 0: this rank alone. */
int dmft__ranks_spread_size(int spread);
void dmft__ranks_broadcast_bytes(void *data, size_t bytes, int root);
int dmft__ranks_all_min(int value);
int dmft__ranks_all_max(int value);
void dmft__ranks_all_sum_long(long long *values, int n);

#endif

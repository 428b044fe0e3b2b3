#include "path_sums.h"

#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"

long dmft__path_leaves_of(long paths) { return paths > 0 ? (paths + DMFT_PATHS_PER_LEAF - 1) / DMFT_PATHS_PER_LEAF : 0; }

int dmft__path_sums_create(dmft__path_sums_t *sums, long group_paths, long first_leaf, long leaves, size_t capacity,
                           const dmft__group_link_t *link) {
  *sums = (dmft__path_sums_t){
      .group_leaves = dmft__path_leaves_of(group_paths),
      .first_leaf = first_leaf,
      .leaves = leaves,
      .capacity = capacity > 0 ? capacity : 1,
      .link = link,
  };
  int depth = 1; /* a node at level l keeps its right half in scratch level l */
  for (long span = 1; span < sums->group_leaves; span *= 2) depth++;
  sums->depth = depth;
  sums->total = calloc(sums->capacity + 1, sizeof(double));
  sums->values = calloc((size_t)(leaves > 0 ? leaves : 1) * sums->capacity, sizeof(double));
  sums->scratch = calloc((size_t)depth * sums->capacity, sizeof(double));
  return sums->values && sums->scratch && sums->total ? DMFT_OK : DMFT_ENOMEM;
}

void dmft__path_sums_free(dmft__path_sums_t *sums) {
  free(sums->values);
  free(sums->scratch);
  free(sums->total);
  *sums = (dmft__path_sums_t){0};
}

void dmft__path_sums_clear(dmft__path_sums_t *sums, size_t n) {
  for (long leaf = 0; leaf < sums->leaves; leaf++) memset(sums->values + (size_t)leaf * sums->capacity, 0, sizeof(double) * n);
}

double *dmft__path_sums_leaf(const dmft__path_sums_t *sums, long p) {
  const long leaf = p / DMFT_PATHS_PER_LEAF - sums->first_leaf;
  return leaf >= 0 && leaf < sums->leaves ? sums->values + (size_t)leaf * sums->capacity : NULL;
}

static int owner_of(const dmft__path_sums_t *sums, long leaf) {
  return sums->link ? dmft__group_link_owner(sums->link, leaf) : 0;
}

/* The tree: [lo, hi) splits at lo + (hi - lo) / 2, down to single leaves. The value of a node
 * ends on the owner of its first leaf: a node whose leaves are all here is summed here; one
 * that straddles ranks has its right half sent to the owner of its left half. Every rank walks
 * the tree in the same order, so each message is sent before it is waited for. Returns 1 when
 * this process holds the node's value in out. */
static int tree_node(dmft__path_sums_t *sums, long lo, long hi, int level, size_t n, double *out) {
  const int me = sums->link ? dmft__group_link_me(sums->link) : 0;
  const int first_owner = owner_of(sums, lo), last_owner = owner_of(sums, hi - 1);
  if (first_owner > me || last_owner < me) return 0; /* ranks hold leaves in order: none here */
  if (hi - lo == 1) {
    memcpy(out, sums->values + (size_t)(lo - sums->first_leaf) * sums->capacity, sizeof(double) * n);
    return 1;
  }
  const long mid = lo + (hi - lo) / 2;
  double *right = sums->scratch + (size_t)level * sums->capacity;
  const int have_left = tree_node(sums, lo, mid, level + 1, n, out);
  const int have_right = tree_node(sums, mid, hi, level + 1, n, right);
  if (have_left) {
    if (!have_right) dmft__group_link_receive(sums->link, owner_of(sums, mid), right, n);
    for (size_t i = 0; i < n; i++) out[i] += right[i];
    return 1;
  }
  if (have_right) dmft__group_link_send(sums->link, first_owner, right, n);
  return 0;
}

const double *dmft__path_sums_reduce(dmft__path_sums_t *sums, size_t n, int *decision) {
  double *total = sums->total;
  if (sums->group_leaves == 0) memset(total, 0, sizeof(double) * n);
  else tree_node(sums, 0, sums->group_leaves, 0, n, total);
  if (!sums->link) return total;
  /* The group's first rank holds the tree's root; it sends it, with its decision, to the rest. */
  if (decision) total[n] = (double)*decision;
  dmft__group_link_broadcast(sums->link, total, decision ? n + 1 : n);
  if (decision) *decision = (int)total[n];
  return total;
}

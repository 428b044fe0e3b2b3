/* MPI for the solver (dmft/ranks.h, group_link.h), or one rank when built without it. */
#include "dmft/ranks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"
#include "group_link.h"
#include "path_sums.h"

#ifdef DMFT_HAVE_MPI
#include <mpi.h>

struct dmft__group_link {
  MPI_Comm comm;
  int me, size;
  long *leaf_first; /* [size + 1]: rank i of the group holds leaves leaf_first[i] .. leaf_first[i+1] */
};

static int world_rank, world_size = 1, started;

/* Open MPI, MPICH and Slurm's PMI each leave a variable in a launched process's environment. */
static int launched_by_mpi(void) {
  static const char *const names[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (getenv(names[i])) return 1;
  return 0;
}

int dmft_ranks_init(int *argc, char ***argv) {
  if (started || !launched_by_mpi()) return DMFT_OK;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided);
  started = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  /* Each thread reduces its own groups over their ranks at once. */
  return provided >= MPI_THREAD_MULTIPLE ? DMFT_OK : DMFT_EINVAL;
}

int dmft_ranks_rank(void) { return world_rank; }
int dmft_ranks_size(void) { return world_size; }

void dmft_ranks_finalize(void) {
  if (started) MPI_Finalize();
  started = 0;
  world_rank = 0;
  world_size = 1;
}

int dmft__ranks_spread_size(int spread) { return spread ? world_size : 1; }

int dmft__ranks_all_min(int value) {
  int result = value;
  if (world_size > 1) MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return result;
}

int dmft__ranks_all_max(int value) {
  int result = value;
  if (world_size > 1) MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return result;
}

void dmft__ranks_all_sum_long(long long *values, int n) {
  if (world_size > 1) MPI_Allreduce(MPI_IN_PLACE, values, n, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
}

int dmft_ranks_agree_status(int status) {
  /* Statuses are 0 or negative: the most negative is the worst. */
  return dmft__ranks_all_min(status);
}

/* MPI counts are ints: large buffers go in pieces. */
#define PIECE_BYTES ((size_t)1 << 30)

void dmft__ranks_broadcast_bytes(void *data, size_t bytes, int root) {
  if (world_size == 1) return;
  for (size_t at = 0; at < bytes; at += PIECE_BYTES) {
    const size_t piece = bytes - at < PIECE_BYTES ? bytes - at : PIECE_BYTES;
    MPI_Bcast((char *)data + at, (int)piece, MPI_BYTE, root, MPI_COMM_WORLD);
  }
}

int dmft__group_link_owner(const dmft__group_link_t *link, long leaf) {
  int lo = 0, hi = link->size - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (link->leaf_first[mid] <= leaf) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

int dmft__group_link_me(const dmft__group_link_t *link) { return link->me; }

/* A row of a step is at most a few times K k^2 doubles: one message, below INT_MAX. */
void dmft__group_link_send(const dmft__group_link_t *link, int to, const double *values, size_t n) {
  MPI_Send(values, (int)n, MPI_DOUBLE, to, 0, link->comm);
}

void dmft__group_link_receive(const dmft__group_link_t *link, int from, double *values, size_t n) {
  MPI_Recv(values, (int)n, MPI_DOUBLE, from, 0, link->comm, MPI_STATUS_IGNORE);
}

void dmft__group_link_broadcast(const dmft__group_link_t *link, double *values, size_t n) {
  MPI_Bcast(values, (int)n, MPI_DOUBLE, 0, link->comm);
}

static void link_free(dmft__group_link_t *link) {
  if (!link) return;
  MPI_Comm_free(&link->comm);
  free(link->leaf_first);
  free(link);
}

#else /* one rank */

struct dmft__group_link {
  int unused;
};

int dmft_ranks_init(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return DMFT_OK;
}
int dmft_ranks_rank(void) { return 0; }
int dmft_ranks_size(void) { return 1; }
void dmft_ranks_finalize(void) {}
int dmft_ranks_agree_status(int status) { return status; }
int dmft__ranks_spread_size(int spread) {
  (void)spread;
  return 1;
}
int dmft__ranks_all_min(int value) { return value; }
int dmft__ranks_all_max(int value) { return value; }
void dmft__ranks_all_sum_long(long long *values, int n) {
  (void)values;
  (void)n;
}
void dmft__ranks_broadcast_bytes(void *data, size_t bytes, int root) {
  (void)data;
  (void)bytes;
  (void)root;
}
int dmft__group_link_owner(const dmft__group_link_t *link, long leaf) {
  (void)link;
  (void)leaf;
  return 0;
}
int dmft__group_link_me(const dmft__group_link_t *link) {
  (void)link;
  return 0;
}
void dmft__group_link_send(const dmft__group_link_t *link, int to, const double *values, size_t n) {
  (void)link, (void)to, (void)values, (void)n;
}
void dmft__group_link_receive(const dmft__group_link_t *link, int from, double *values, size_t n) {
  (void)link, (void)from, (void)values, (void)n;
}
void dmft__group_link_broadcast(const dmft__group_link_t *link, double *values, size_t n) {
  (void)link, (void)values, (void)n;
}
static void link_free(dmft__group_link_t *link) { (void)link; }

#endif

void dmft_ranks_broadcast(void *data, unsigned long bytes, int root) { dmft__ranks_broadcast_bytes(data, bytes, root); }

void dmft_ranks_checkpoint_path(const char *path, char *out, unsigned long size) {
  if (dmft_ranks_size() > 1 && dmft_ranks_rank() > 0) snprintf(out, size, "%s.rank-%d", path, dmft_ranks_rank());
  else snprintf(out, size, "%s", path);
}

/* Rank r holds the flattened (group, leaf) units [r U / P, (r + 1) U / P). */
/* units (leaves, at most about 1e7) times a rank fits in 64 bits. */
static long units_before_rank(long units, int rank, int size) { return (long)((long long)units * rank / size); }

int dmft__group_places_create(const long *group_paths, int groups, int spread, dmft__group_place_t **out) {
  dmft__group_place_t *places = calloc((size_t)groups, sizeof *places);
  long *unit_first = malloc(sizeof(long) * ((size_t)groups + 1));
  *out = places;
  if (!places || !unit_first) {
    free(unit_first);
    return DMFT_ENOMEM;
  }
  unit_first[0] = 0;
  for (int g = 0; g < groups; g++) unit_first[g + 1] = unit_first[g] + dmft__path_leaves_of(group_paths[g]);
  const int size = dmft__ranks_spread_size(spread), me = size > 1 ? dmft_ranks_rank() : 0;
  const long units = unit_first[groups];
  int status = DMFT_OK;
  for (int g = 0; g < groups; g++) {
    dmft__group_place_t *place = &places[g];
    const long lo = unit_first[g], hi = unit_first[g + 1];
    /* The ranks whose units meet [lo, hi): consecutive, from the owner of lo. */
    int first_rank = -1, sharing = 0;
    for (int r = 0; r < size; r++) {
      const long a = units_before_rank(units, r, size), b = units_before_rank(units, r + 1, size);
      if (a < hi && b > lo && b > a) {
        if (first_rank < 0) first_rank = r;
        sharing++;
      }
      if (r == me && a < hi && b > lo) {
        place->first_leaf = (a > lo ? a : lo) - lo;
        place->leaves = (b < hi ? b : hi) - lo - place->first_leaf;
      }
    }
    place->root = first_rank;
    place->first_path = place->first_leaf * DMFT_PATHS_PER_LEAF;
    const long end = (place->first_leaf + place->leaves) * DMFT_PATHS_PER_LEAF;
    place->paths = place->leaves > 0 ? (end < group_paths[g] ? end : group_paths[g]) - place->first_path : 0;
#ifdef DMFT_HAVE_MPI
    if (sharing > 1) {
      /* Collective over the world: every rank knows which groups are shared. */
      MPI_Comm comm;
      MPI_Comm_split(MPI_COMM_WORLD, place->leaves > 0 ? g : MPI_UNDEFINED, me, &comm);
      if (place->leaves > 0) {
        dmft__group_link_t *link = calloc(1, sizeof *link);
        if (!link) status = DMFT_ENOMEM;
        else {
          link->comm = comm;
          MPI_Comm_rank(comm, &link->me);
          link->size = sharing;
          link->leaf_first = malloc(sizeof(long) * ((size_t)sharing + 1));
          if (!link->leaf_first) status = DMFT_ENOMEM;
          int i = 0;
          for (int r = first_rank; link->leaf_first && r < size && i < sharing; r++) {
            const long a = units_before_rank(units, r, size), b = units_before_rank(units, r + 1, size);
            if (b > a) link->leaf_first[i++] = (a > lo ? a : lo) - lo; /* ranks without units are not in comm */
          }
          if (link->leaf_first) link->leaf_first[sharing] = hi - lo;
          place->link = link;
        }
      }
    }
#else
    (void)sharing;
#endif
  }
  free(unit_first);
  return status;
}

void dmft__group_places_free(dmft__group_place_t **places, int groups) {
  if (!*places) return;
  for (int g = 0; g < groups; g++) link_free((*places)[g].link);
  free(*places);
  *places = NULL;
}

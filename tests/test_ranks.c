/* MPI ranks seen from one process (solver/ranks.c): one rank; every group held whole, with no
 * link to other ranks, spread or not; a checkpoint path of its own name. What P > 1 ranks do is
 * tested through mpirun in test_cli_mpi.c. */
#include <string.h>

#include "dmft/ranks.h"
#include "group_link.h"
#include "path_sums.h"
#include "test_support.h"

static void test_one_process_is_one_rank(void) {
  CU_ASSERT_EQUAL(dmft_ranks_init(NULL, NULL), DMFT_OK); /* not launched by mpirun: MPI not started */
  CU_ASSERT_EQUAL(dmft_ranks_rank(), 0);
  CU_ASSERT_EQUAL(dmft_ranks_size(), 1);
  CU_ASSERT_EQUAL(dmft_ranks_agree_status(DMFT_EINVAL), DMFT_EINVAL);
  char path[64];
  dmft_ranks_checkpoint_path("run.ckpt", path, sizeof path);
  CU_ASSERT_STRING_EQUAL(path, "run.ckpt");
  dmft_ranks_finalize();
}

static void test_one_process_holds_every_group(void) {
  const long paths[3] = {1, 1024, 62500};
  for (int spread = 0; spread <= 1; spread++) {
    dmft__group_place_t *places = NULL;
    CU_ASSERT_EQUAL_FATAL(dmft__group_places_create(paths, 3, spread, &places), DMFT_OK);
    for (int g = 0; g < 3; g++) {
      CU_ASSERT_EQUAL(places[g].first_leaf, 0);
      CU_ASSERT_EQUAL(places[g].leaves, dmft__path_leaves_of(paths[g]));
      CU_ASSERT_EQUAL(places[g].first_path, 0);
      CU_ASSERT_EQUAL(places[g].paths, paths[g]);
      CU_ASSERT_EQUAL(places[g].root, 0);
      CU_ASSERT_PTR_NULL(places[g].link);
    }
    dmft__group_places_free(&places, 3);
    CU_ASSERT_PTR_NULL(places);
  }
}

int main(void) {
  CU_TestInfo tests[] = {{"one process is one rank", test_one_process_is_one_rank},
                         {"one process holds every group", test_one_process_holds_every_group},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("ranks", tests);
}

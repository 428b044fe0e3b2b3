/* Sums over a group's paths in a fixed order (solver/path_sums.c): the leaves a path falls in,
 * the tree sum against an independent sum, and the tree's order being the problem's alone (the
 * split over ranks is tested through mpirun in test_cli_mpi.c). */
#include <math.h>
#include <stdlib.h>

#include "path_sums.h"
#include "test_support.h"

static void test_leaves_of_paths(void) {
  CU_ASSERT_EQUAL(dmft__path_leaves_of(0), 0);
  CU_ASSERT_EQUAL(dmft__path_leaves_of(1), 1);
  CU_ASSERT_EQUAL(dmft__path_leaves_of(DMFT_PATHS_PER_LEAF), 1);
  CU_ASSERT_EQUAL(dmft__path_leaves_of(DMFT_PATHS_PER_LEAF + 1), 2);
  CU_ASSERT_EQUAL(dmft__path_leaves_of(62500), 62); /* 1e6 paths in 16 groups */
}

/* A process holding leaves 2, 3, 4 of a group of 7000 paths finds only their paths. */
static void test_a_path_finds_its_leaf(void) {
  dmft__path_sums_t sums;
  CU_ASSERT_EQUAL_FATAL(dmft__path_sums_create(&sums, 7000, 2, 3, 5, NULL), DMFT_OK);
  CU_ASSERT_EQUAL(sums.group_leaves, 7);
  CU_ASSERT_PTR_NULL(dmft__path_sums_leaf(&sums, 2 * DMFT_PATHS_PER_LEAF - 1));
  CU_ASSERT_PTR_EQUAL(dmft__path_sums_leaf(&sums, 2 * DMFT_PATHS_PER_LEAF), sums.values);
  CU_ASSERT_PTR_EQUAL(dmft__path_sums_leaf(&sums, 5 * DMFT_PATHS_PER_LEAF - 1), sums.values + 2 * sums.capacity);
  CU_ASSERT_PTR_NULL(dmft__path_sums_leaf(&sums, 5 * DMFT_PATHS_PER_LEAF));
  dmft__path_sums_free(&sums);
}

/* 37 leaves (an odd count, a tree with uneven halves) of 3 numbers: the tree sum of values drawn
 * in [-1, 1) equals a long-double sum to 37 rounding errors of the largest partial sum (a
 * pairwise tree does far better; the bound is what any order guarantees); integers exactly. */
static void test_the_tree_sum_is_the_sum(void) {
  const long leaves = 37;
  dmft__path_sums_t sums;
  CU_ASSERT_EQUAL_FATAL(dmft__path_sums_create(&sums, leaves * DMFT_PATHS_PER_LEAF, 0, leaves, 3, NULL), DMFT_OK);
  long double exact[3] = {0, 0, 0};
  double scale[3] = {0, 0, 0};
  srand(7);
  for (long leaf = 0; leaf < leaves; leaf++) {
    double *values = dmft__path_sums_leaf(&sums, leaf * DMFT_PATHS_PER_LEAF);
    values[0] = 2.0 * rand() / ((double)RAND_MAX + 1.0) - 1.0;
    values[1] = 1e10 * values[0];
    values[2] = (double)leaf;
    for (int i = 0; i < 3; i++) {
      exact[i] += values[i];
      scale[i] += fabs(values[i]);
    }
  }
  const double *total = dmft__path_sums_reduce(&sums, 3, NULL);
  for (int i = 0; i < 2; i++) CU_ASSERT(fabs(total[i] - (double)exact[i]) <= (double)leaves * 0x1p-52 * scale[i]);
  CU_ASSERT_EQUAL(total[2], leaves * (leaves - 1) / 2.0);
  /* Cleared leaves sum to zero, and the decision passes through unchanged on one process. */
  dmft__path_sums_clear(&sums, 3);
  int decision = 1;
  total = dmft__path_sums_reduce(&sums, 3, &decision);
  CU_ASSERT(total[0] == 0.0 && total[1] == 0.0 && total[2] == 0.0 && decision == 1);
  dmft__path_sums_free(&sums);
}

/* The order is the tree's: three leaves 1, 2^53, -2^53 sum as 1 + (2^53 - 2^53) = 1, whereas the
 * left-to-right order would give (1 + 2^53) - 2^53 = 0. */
static void test_the_order_is_the_tree(void) {
  dmft__path_sums_t sums;
  CU_ASSERT_EQUAL_FATAL(dmft__path_sums_create(&sums, 3 * DMFT_PATHS_PER_LEAF, 0, 3, 1, NULL), DMFT_OK);
  sums.values[0] = 1.0;
  sums.values[sums.capacity] = 0x1p53;
  sums.values[2 * sums.capacity] = -0x1p53;
  CU_ASSERT_EQUAL(dmft__path_sums_reduce(&sums, 1, NULL)[0], 1.0);
  dmft__path_sums_free(&sums);
}

int main(void) {
  CU_TestInfo tests[] = {{"leaves of paths", test_leaves_of_paths},
                         {"a path finds its leaf", test_a_path_finds_its_leaf},
                         {"the tree sum is the sum", test_the_tree_sum_is_the_sum},
                         {"the order is the tree", test_the_order_is_the_tree},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("path sums", tests);
}

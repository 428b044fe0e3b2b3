/* dmft sweep as a user runs it: a grid gives one output pair per configuration, each the same
 * bytes as dmft solve with those options (the independent check: a sweep is nothing but
 * solves); the index lists them; a rerun skips what is done and a wider grid runs only what is
 * new; a changed base option reruns everything; bad grids are refused before any work. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_support.h"
#include "test_support.h"

#define BASE "sweep --quiet --paths 400 --tmax 0.5 --seed 5"



static void test_a_grid_is_its_solves(void) {
  CU_ASSERT_EQUAL_FATAL(run(BASE " --sweep eta=0.5:1:0.5 --sweep noise=poisson,gauss --out grid"), 0);
  const char *labels[] = {"eta0.5-noisepoisson", "eta0.5-noisegauss", "eta1-noisepoisson", "eta1-noisegauss"};
  const char *options[] = {"--eta 0.5 --noise poisson", "--eta 0.5 --noise gauss", "--eta 1 --noise poisson",
                           "--eta 1 --noise gauss"};
  for (int i = 0; i < 4; i++) {
    char arguments[512], name[128], direct[128];
    snprintf(arguments, sizeof arguments, "solve --quiet --paths 400 --tmax 0.5 --seed 5 %s --out direct%d", options[i], i);
    CU_ASSERT_EQUAL(run(arguments), 0);
    snprintf(name, sizeof name, "grid-%s.csv", labels[i]);
    snprintf(direct, sizeof direct, "direct%d.csv", i);
    CU_ASSERT(same_files(name, direct));
  }
  char index[8192];
  text_of("grid-index.csv", index, sizeof index);
  const char *header = "eta,noise,M,M_se,Q,Q_se,train_loss,train_loss_se,test_loss,test_loss_se,status,diverged_at,signature,csv,h5\n";
  CU_ASSERT_EQUAL(strncmp(index, header, strlen(header)), 0);
  CU_ASSERT_EQUAL(count_lines(index), 5);
  CU_ASSERT_PTR_NOT_NULL(strstr(index, "\n1,gauss,"));
  CU_ASSERT_PTR_NOT_NULL(strstr(index, ",done,-1,"));
  CU_ASSERT_PTR_NOT_NULL(strstr(index, "grid-eta1-noisegauss.h5\n"));
  CU_ASSERT(exists("grid-summary.svg") && exists("grid-summary.png"));
}

static void test_a_rerun_skips_what_is_done(void) {
  CU_ASSERT_EQUAL_FATAL(run(BASE " --sweep eta=0.5,1 --out again"), 0);
  char command[1024];
  snprintf(command, sizeof command, "cd %s && cp again-eta1.csv kept.csv && cp again-index.csv kept-index.csv", directory);
  CU_ASSERT_EQUAL_FATAL(system(command), 0);
  CU_ASSERT_EQUAL(run(BASE " --sweep eta=0.5,1 --out again --quiet=false"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "2 configurations (2 done before, skipped)"));
  CU_ASSERT(same_files("again-index.csv", "kept-index.csv"));
  /* A wider grid runs only the new value. */
  CU_ASSERT_EQUAL(run(BASE " --sweep eta=0.5,1,1.5 --out again --quiet=false"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "3 configurations (2 done before, skipped)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "[3/3] eta1.5"));
  CU_ASSERT(same_files("again-eta1.csv", "kept.csv"));
  /* Another base option: the signatures differ, every configuration runs again. */
  CU_ASSERT_EQUAL(run(BASE " --sweep eta=0.5,1 --out again --quiet=false --seed 6"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "2 configurations (0 done before, skipped)"));
  CU_ASSERT(!same_files("again-eta1.csv", "kept.csv"));
}

/* Killed outright in the third configuration's commit (each configuration commits its pair,
 * two renames, then the index, one): the rerun finishes what is left and every file is the
 * bytes of an uninterrupted sweep. */
static void test_a_killed_sweep_resumes_to_the_same_bytes(void) {
  CU_ASSERT_EQUAL_FATAL(run(BASE " --sweep gamma=1,2,4 --out whole"), 0);
  char command[1024];
  snprintf(command, sizeof command, "cd %s && DMFT_TEST_FAIL=rename:7:kill %s " BASE " --sweep gamma=1,2,4 --out cut > /dev/null 2>&1",
           directory, DMFT_CLI_PATH);
  CU_ASSERT_NOT_EQUAL(system(command), 0);
  CU_ASSERT(!exists("cut-gamma4.csv"));
  CU_ASSERT_EQUAL(run(BASE " --sweep gamma=1,2,4 --out cut --quiet=false"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "3 configurations (2 done before, skipped)"));
  const char *labels[] = {"gamma1", "gamma2", "gamma4"};
  for (int i = 0; i < 3; i++) {
    char a[64], b[64];
    snprintf(a, sizeof a, "whole-%s.csv", labels[i]);
    snprintf(b, sizeof b, "cut-%s.csv", labels[i]);
    CU_ASSERT(same_files(a, b));
  }
}

static void test_bad_grids_are_refused_before_any_work(void) {
  const refusal_t cases[] = {
      {BASE " --out bad", "--sweep"},                             {BASE " --sweep eta=1:0.5:0.25 --out bad", "--sweep eta"},
      {BASE " --sweep bogus=1,2 --out bad", "--sweep bogus"},    {BASE " --sweep eta=abc --out bad", "--eta"},
      {BASE " --sweep eta=1,2,0 --out bad", "eta0"},             {BASE " --sweep out=a,b --out bad", "--sweep out"},
      {BASE " --sweep eta=1,,2 --out bad", "--sweep eta"},       {BASE " --sweep eta=1 --sweep eta=2 --out bad", "twice"},
      {BASE " --sweep eta=0.5:1:0 --out bad", "--sweep eta"},    {BASE " --sweep k=1,17 --out bad", "--k"},
      {BASE " --sweep eta=1,2 --out bad,x", "--out"},
      {BASE " --sweep eta=1,2 --checkpoint bad.ckpt --out bad", "--checkpoint"}, /* a sweep resumes by its index */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_refusal(cases[i].arguments, cases[i].named);
  char command[512];
  snprintf(command, sizeof command, "ls %s | grep -q '^bad'", directory);
  CU_ASSERT_NOT_EQUAL(system(command), 0); /* nothing written by any of them */
}

int main(void) {
  if (cli_test_make_directory("sweep") != 0) return 1;
  CU_TestInfo tests[] = {{"a grid is its solves", test_a_grid_is_its_solves},
                         {"a rerun skips what is done", test_a_rerun_skips_what_is_done},
                         {"a killed sweep resumes to the same bytes", test_a_killed_sweep_resumes_to_the_same_bytes},
                         {"bad grids are refused before any work", test_bad_grids_are_refused_before_any_work},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("cli sweep", tests);
  return cli_test_remove_directory() != 0 ? 1 : failed;
}

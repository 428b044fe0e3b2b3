/* MPI as a user meets it (mpirun -np P dmft ...): the same files for 1, 2 and 3 ranks and any
 * thread count, with groups whose paths are split between ranks (40000 paths make 16 groups of 3
 * leaves of paths, and 3 ranks cut 3 of the groups); simulate's seeds and a sweep's
 * configurations spread; a run killed on 3 ranks resumes to the same bytes, and its checkpoint is
 * refused on another number of ranks; bad input refused once, every rank exiting 2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.h"
#include "test_support.h"

#define SOLVE "solve --quiet --paths 40000 --tmax 2"

static int count_of(const char *text, const char *word) {
  int count = 0;
  for (const char *at = strstr(text, word); at; at = strstr(at + 1, word)) count++;
  return count;
}

static void test_solve_is_the_same_on_any_number_of_ranks(void) {
  CU_ASSERT_EQUAL_FATAL(run(SOLVE " --threads 2 --out one"), 0);
  CU_ASSERT_EQUAL_FATAL(run_on_ranks(2, SOLVE " --threads 1 --out two"), 0);
  CU_ASSERT_EQUAL_FATAL(run_on_ranks(3, SOLVE " --threads 2 --out three"), 0);
  CU_ASSERT(same_files("one.csv", "two.csv") && same_files("one.csv", "three.csv"));
  CU_ASSERT(same_hdf5("one.h5", "two.h5") && same_hdf5("one.h5", "three.h5"));
  /* Only rank 0 writes: no other rank's staged files are left. */
  char command[512];
  snprintf(command, sizeof command, "cd %s && ! ls | grep -q partial", directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

/* The dense engine (SME), the quasi-random first draws, a committee and a sampled parameter side
 * (an l1 penalty): each of the engines' sums goes through the leaves. */
static void test_every_engine_is_the_same_on_three_ranks(void) {
  static const char *const variants[] = {
      "--noise gauss --response-paths 3000",
      "--quasi-random",
      "--k 2 --kstar 2 --tmax 1",
      "--regularizer l1 --model-param l1=0.05 --parameter-paths 4000",
  };
  for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
    char arguments[512];
    snprintf(arguments, sizeof arguments, SOLVE " %s --out single", variants[i]);
    CU_ASSERT_EQUAL_FATAL(run(arguments), 0);
    snprintf(arguments, sizeof arguments, SOLVE " %s --threads 1 --out spread", variants[i]);
    CU_ASSERT_EQUAL_FATAL(run_on_ranks(3, arguments), 0);
    CU_ASSERT(same_files("single.csv", "spread.csv"));
    CU_ASSERT(same_hdf5("single.h5", "spread.h5"));
  }
}

/* A divergence is found on every rank at the same step, and reported once. */
static void test_a_divergence_is_reported_once(void) {
  const char *diverging = SOLVE " --loss squared --activation linear --teacher linear --eta 10 --tmax 6 --out diverged";
  CU_ASSERT_EQUAL(run(diverging), 3);
  static char single[sizeof errors];
  memcpy(single, errors, sizeof errors);
  CU_ASSERT_EQUAL(run_on_ranks(3, diverging), 3);
  CU_ASSERT_EQUAL(count_of(errors, "dmft solve:"), 1);
  CU_ASSERT(strstr(errors, single) != NULL); /* the same time, the same words */
}

static void test_bad_input_is_refused_once(void) {
  CU_ASSERT_EQUAL(run_on_ranks(3, SOLVE " --eta -1 --out refused"), 2);
  CU_ASSERT_EQUAL(count_of(errors, "dmft solve:"), 1);
  CU_ASSERT(strstr(errors, "--eta") != NULL);
  CU_ASSERT(!exists("refused.csv"));
  CU_ASSERT_EQUAL(run_on_ranks(2, "online --out refused"), 2);
  CU_ASSERT(strstr(errors, "without mpirun") != NULL);
}

static void test_simulate_spreads_its_seeds(void) {
  CU_ASSERT_EQUAL_FATAL(run("simulate --quiet --n 600 --seeds 5 --tmax 2 --out seeds1"), 0);
  CU_ASSERT_EQUAL_FATAL(run_on_ranks(3, "simulate --quiet --n 600 --seeds 5 --tmax 2 --out seeds3"), 0);
  CU_ASSERT(same_files("seeds1.csv", "seeds3.csv"));
  CU_ASSERT(same_hdf5("seeds1.h5", "seeds3.h5"));
}

static void test_a_sweep_spreads_its_configurations(void) {
  const char *grid = "sweep --quiet --sweep eta=0.5,1 --sweep gamma=1,2,4 --paths 4000 --tmax 1";
  char arguments[512];
  snprintf(arguments, sizeof arguments, "%s --out alone", grid);
  CU_ASSERT_EQUAL_FATAL(run(arguments), 0);
  snprintf(arguments, sizeof arguments, "%s --out spread", grid);
  CU_ASSERT_EQUAL_FATAL(run_on_ranks(4, arguments), 0);
  static const char *const labels[] = {"eta0.5-gamma1", "eta0.5-gamma2", "eta0.5-gamma4", "eta1-gamma1", "eta1-gamma2", "eta1-gamma4"};
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    char a[128], b[128];
    snprintf(a, sizeof a, "alone-%s.csv", labels[i]);
    snprintf(b, sizeof b, "spread-%s.csv", labels[i]);
    CU_ASSERT(same_files(a, b));
  }
  char index[65536];
  text_of("spread-index.csv", index, sizeof index);
  CU_ASSERT_EQUAL(count_of(index, ",done,"), 6);
  CU_ASSERT(exists("spread-summary.svg") && exists("spread-summary.png"));
  /* Run again: every configuration is found done and skipped. */
  snprintf(arguments, sizeof arguments, "sweep --sweep eta=0.5,1 --sweep gamma=1,2,4 --paths 4000 --tmax 1 --out spread");
  CU_ASSERT_EQUAL(run_on_ranks(4, arguments), 0);
  CU_ASSERT(strstr(output, "6 done before, skipped") != NULL);
}

/* A few seconds of work, long enough for a checkpoint every 0.2 s before the kill. */
#define LONG_RUN "solve --quiet --paths 400000 --tmax 8"

static void test_a_killed_run_on_three_ranks_resumes_to_the_same_bytes(void) {
  CU_ASSERT_EQUAL_FATAL(run(LONG_RUN " --out whole"), 0);
  char command[2048];
  snprintf(command, sizeof command,
           "cd %s && (%s %s--oversubscribe -np 3 %s " LONG_RUN " --threads 1 --out cut --checkpoint cut.ckpt "
           "--checkpoint-every 0.2 > /dev/null 2>&1 & pid=$!; "
           "for i in $(seq 600); do [ -f cut.ckpt.rank-2 ] && break; sleep 0.05; done; sleep 0.3; kill -9 $pid; "
           "pkill -9 -f 'dmft.*--out cut --checkpoint'; wait $pid)",
           directory, DMFT_MPIEXEC_PATH, geteuid() == 0 ? "--allow-run-as-root " : "", DMFT_CLI_PATH);
  CU_ASSERT_NOT_EQUAL(system(command), 0);
  CU_ASSERT(!exists("cut.csv"));
  CU_ASSERT(exists("cut.ckpt") && exists("cut.ckpt.rank-1") && exists("cut.ckpt.rank-2"));
  /* On two ranks the three files are not the state of this run: refused, nothing lost. */
  CU_ASSERT_EQUAL(run_on_ranks(2, LONG_RUN " --out cut --resume cut.ckpt"), 2);
  CU_ASSERT(strstr(errors, "3 MPI ranks") != NULL);
  CU_ASSERT_EQUAL(count_of(errors, "dmft solve:"), 1);
  CU_ASSERT(exists("cut.ckpt"));
  CU_ASSERT_EQUAL(run_on_ranks(3, LONG_RUN " --threads 2 --out cut --resume cut.ckpt"), 0);
  CU_ASSERT(same_files("whole.csv", "cut.csv"));
  CU_ASSERT(same_hdf5("whole.h5", "cut.h5"));
  CU_ASSERT(!exists("cut.ckpt") && !exists("cut.ckpt.rank-1") && !exists("cut.ckpt.rank-2"));
  /* nor any save the kill cut short */
  snprintf(command, sizeof command, "cd %s && ! ls | grep -q 'cut.ckpt.*partial'", directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

int main(void) {
  /* Under the sanitizers the ranks run without LeakSanitizer: Open MPI leaves allocations of the
   * components it loads at exit, whose truncated stacks no suppression can match. AddressSanitizer
   * and UBSan stay on, and the same solver code is leak-checked by every single-process test. */
  const char *asan = getenv("ASAN_OPTIONS");
  if (asan) {
    char options[1024];
    snprintf(options, sizeof options, "%s:detect_leaks=0", asan);
    setenv("ASAN_OPTIONS", options, 1);
  }
  if (cli_test_make_directory("mpi") != 0) return 1;
  CU_TestInfo tests[] = {{"solve is the same on any number of ranks", test_solve_is_the_same_on_any_number_of_ranks},
                         {"every engine is the same on three ranks", test_every_engine_is_the_same_on_three_ranks},
                         {"a divergence is reported once", test_a_divergence_is_reported_once},
                         {"bad input is refused once", test_bad_input_is_refused_once},
                         {"simulate spreads its seeds", test_simulate_spreads_its_seeds},
                         {"a sweep spreads its configurations", test_a_sweep_spreads_its_configurations},
                         {"a killed run on three ranks resumes to the same bytes",
                          test_a_killed_run_on_three_ranks_resumes_to_the_same_bytes},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("cli mpi", tests);
  return cli_test_remove_directory() != 0 ? 1 : failed;
}

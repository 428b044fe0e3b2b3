/* Hostile use of the dmft executable: inputs that once hung it, a full disk, runs that fail or
 * are killed at every point of writing their outputs, config files that are not text files,
 * options a command does not take, values too large for doubles, and plugins that crash. Each
 * must end quickly with a clear line and the right exit status, and never lose an earlier
 * result. A command that once hung runs under `timeout` (a hang then fails the test, instead of
 * stalling the suite); the limits are hang guards, far above the time the commands take. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.h"
#include "test_support.h"

#define HANG_GUARD "timeout -s KILL 100 "
#define SMALL "--quiet --paths 400 --tmax 1"

/* `dmft ARGS` with the environment assignment `environment` (may be ""), under the hang guard. */
static int run_with(const char *environment, const char *arguments) {
  char command[4096];
  snprintf(command, sizeof command, "cd %s && %s " HANG_GUARD "%s %s > stdout.txt 2> stderr.txt < /dev/null", directory,
           environment, DMFT_CLI_PATH, arguments);
  const int status = system(command);
  char path[512];
  snprintf(path, sizeof path, "%s/stderr.txt", directory);
  read_file(path, errors, sizeof errors);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


/* Whether any staged or journal file is left in the directory. */
static int leftovers(void) {
  char command[512];
  snprintf(command, sizeof command, "ls -a %s | grep -q -e '\\.partial-' -e '\\.previous-' -e '\\.dmft-commit'", directory);
  return system(command) == 0;
}



static void copy_file(const char *from, const char *to) {
  char command[1024];
  snprintf(command, sizeof command, "cp %s/%s %s/%s", directory, from, directory, to);
  CU_ASSERT_EQUAL_FATAL(system(command), 0);
}

/* Inputs that once hung: the arrival step overflowed a long and the arrivals loop never ended;
 * the online equations crawled towards an explosion for minutes. */
static void test_inputs_that_hung_now_end(void) {
  const char *cases[] = {"solve " SMALL " --kappa 1e-17 --out h1", "solve " SMALL " --kappa 1e-300 --out h2",
                         "solve " SMALL " --kappa 1e-17 --noise bernoulli --out h3",
                         "solve " SMALL " --tmax 1e-300 --dt 1e-301 --out h4",
                         "solve " SMALL " --tmax 1e-300 --dt 1e-301 --noise bernoulli --out h5"};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const int status = run_with("", cases[i]);
    if (status != 0) fprintf(stderr, "\n    dmft %s: exit %d: %s", cases[i], status, errors);
    CU_ASSERT_EQUAL(status, 0);
  }
  CU_ASSERT_EQUAL(run_with("", "online --quiet --loss squared --activation linear --teacher linear --eta 100 --out h6"), 3);
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, "diverged at t ="));
}

/* A disk that fills up: a 64 KiB tmpfs where the user may mount one (root), else a file-size
 * limit, which fails writes the same way (EFBIG instead of ENOSPC). The run must say it could
 * not write, keep nothing half-written, and not crash (HDF5 once did, at exit). */
static void test_full_disk(void) {
  char full[600], command[1400];
  snprintf(full, sizeof full, "%s/full", directory);
  mkdir(full, 0755);
  snprintf(command, sizeof command, "mount -t tmpfs -o size=64k tmpfs %s 2> /dev/null", full);
  const int mounted = system(command) == 0;
  const int status = mounted ? run_with("", "solve --quiet --paths 2000 --out full/a")
                             : run_with("ulimit -f 48 &&", "solve --quiet --paths 2000 --out full/a");
  CU_ASSERT_EQUAL(status, 2);
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, "could not write"));
  snprintf(command, sizeof command, "test -z \"$(ls -A %s)\"", full);
  CU_ASSERT_EQUAL(system(command), 0); /* nothing left behind, not even a staged file */
  if (mounted) {
    snprintf(command, sizeof command, "umount %s", full);
    CU_ASSERT_EQUAL(system(command), 0);
  }
}

/* An earlier pair, then a run that fails at each point of writing and committing: the earlier
 * pair must be there, byte for byte, and nothing staged left. */
static void test_failed_writes_keep_the_earlier_pair(void) {
  CU_ASSERT_EQUAL_FATAL(run_with("", "solve " SMALL " --seed 1 --out pair"), 0);
  copy_file("pair.csv", "old.csv");
  copy_file("pair.h5", "old.h5");
  const char *points[] = {"csv-row:1", "csv-row:7", "h5-dataset:1", "h5-dataset:9", "fsync:1",
                          "fsync:2",   "journal:1", "rename:1",     "rename:2"};
  for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
    char environment[64];
    snprintf(environment, sizeof environment, "DMFT_TEST_FAIL=%s", points[i]);
    const int status = run_with(environment, "solve " SMALL " --seed 2 --out pair");
    const int kept = same_files("pair.csv", "old.csv") && same_files("pair.h5", "old.h5");
    if (status != 2 || !kept || leftovers()) fprintf(stderr, "\n    failing at %s: exit %d, earlier pair kept %d", points[i], status, kept);
    CU_ASSERT_EQUAL(status, 2);
    CU_ASSERT(kept);
    CU_ASSERT(!leftovers());
  }
  /* And a run that succeeds replaces both. */
  CU_ASSERT_EQUAL(run_with("", "solve " SMALL " --seed 2 --out pair"), 0);
  CU_ASSERT(!same_files("pair.csv", "old.csv") && !same_files("pair.h5", "old.h5"));
}

/* Killed outright between the two renames (as by a power cut): the next run on the same prefix
 * finishes the commit before anything else, so the pair on disk is the killed run's, whole. */
static void test_a_commit_cut_short_is_finished(void) {
  CU_ASSERT_EQUAL_FATAL(run_with("", "solve " SMALL " --seed 3 --out reference"), 0);
  CU_ASSERT_EQUAL_FATAL(run_with("", "solve " SMALL " --seed 1 --out cut"), 0);
  CU_ASSERT_EQUAL(run_with("DMFT_TEST_FAIL=rename:2:kill", "solve " SMALL " --seed 3 --out cut"), 137);
  CU_ASSERT(exists("cut.dmft-commit"));
  /* A later run that itself fails before writing still completes the earlier commit first. */
  CU_ASSERT_EQUAL(run_with("DMFT_TEST_FAIL=csv-row:1", "solve " SMALL " --seed 4 --out cut"), 2);
  CU_ASSERT(same_files("cut.csv", "reference.csv"));
  CU_ASSERT(same_hdf5("cut.h5", "reference.h5"));
  CU_ASSERT(!leftovers());
}

/* Interrupted by Ctrl-C (SIGINT) while solving: nothing written, the earlier pair kept. */
static void test_an_interrupted_run_keeps_the_earlier_pair(void) {
  CU_ASSERT_EQUAL_FATAL(run_with("", "solve " SMALL " --out stopped"), 0);
  copy_file("stopped.csv", "stopped-before.csv");
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && (%s solve --quiet --paths 200000 --tmax 20 --out stopped & pid=$!; sleep 2; kill -INT $pid; wait $pid)",
           directory, DMFT_CLI_PATH);
  const int status = system(command);
  CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGINT);
  CU_ASSERT(same_files("stopped.csv", "stopped-before.csv"));
  CU_ASSERT(!leftovers());
}

static void test_outputs_are_checked_before_any_work(void) {
  write_text("keep.csv", "precious\n");
  const refusal_t cases[] = {
      {"solve --out sub/", "--out"},       {"solve --out .", "--out"},          {"solve --out /proc/x", "--out"},
      {"solve --out keep --paths 0", "--paths"}, {"validate --report keep.csv", "--report"},
      {"converge --report keep.csv", "--report"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_refusal(cases[i].arguments, cases[i].named);
  CU_ASSERT(!exists(".csv") && !exists(".h5"));
  /* A directory where an output goes: refused, and the file beside it kept. */
  char path[600];
  snprintf(path, sizeof path, "%s/keep.h5", directory);
  mkdir(path, 0755);
  expect_refusal("solve --quiet --out keep", "keep.h5");
  char kept[64];
  text_of("keep.csv", kept, sizeof kept);
  CU_ASSERT_STRING_EQUAL(kept, "precious\n");
  rmdir(path);
}

static void test_config_files_that_are_not_text(void) {
  char line[400];
  memset(line, 'x', sizeof line);
  memcpy(line, "gamma = 3", 9);
  memcpy(line + 300, "\neta = 2\n", 10);
  write_text("long.ini", line);
  char path[600], command[1400];
  snprintf(path, sizeof path, "%s/pipe.ini", directory);
  mkfifo(path, 0644);
  snprintf(command, sizeof command, "printf 'gamma = 2\\000eta = 3\\n' > %s/nul.ini", directory);
  CU_ASSERT_EQUAL(system(command), 0);
  const refusal_t cases[] = {
      {"solve --config /tmp", "--config"},        {"solve --config /dev/zero", "--config"},
      {"solve --config pipe.ini", "--config"},    {"solve --config long.ini", "line 1"},
      {"solve --config nul.ini", "--config"},     {"solve --config /proc/self/mem", "--config"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const int status = run_with("", cases[i].arguments);
    if (status != 2 || !strstr(errors, cases[i].named)) fprintf(stderr, "\n    dmft %s: exit %d: %s", cases[i].arguments, status, errors);
    CU_ASSERT_EQUAL(status, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, cases[i].named));
  }
  /* One file for several commands: outside a command's section, another command's option is
   * left to that command, not refused. */
  write_text("shared.ini", "paths = 300\ntmax = 0.5\nseeds = 2\nn = 200\n");
  CU_ASSERT_EQUAL(run_with("", "simulate --quiet --config shared.ini --out shared"), 0);
  CU_ASSERT_EQUAL(run_with("", "solve --quiet --config shared.ini --out shared"), 0);
}

static void test_each_command_takes_only_its_options(void) {
  const refusal_t cases[] = {
      {"online --noise gauss", "--noise"},          {"online --paths 5", "--paths"},
      {"online --threads 2", "--threads"},          {"simulate --paths 5", "--paths"},
      {"converge --dt ''", "--dt"},                 {"converge --dt 0.1,0.05 --dt0 0.1", "--dt0"},
      {"converge --dt 0.1,0.05 --levels 3", "--levels"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_refusal(cases[i].arguments, cases[i].named);
}

/* Numbers a double cannot hold and sizes no machine has: refused or reported, with the option
 * that causes them, never printed as inf. */
static void test_values_beyond_doubles(void) {
  const char *diverging[] = {"solve " SMALL " --label-noise 1e300 --out big", "solve " SMALL " --theta0-var 1e300 --out big"};
  for (size_t i = 0; i < 2; i++) {
    CU_ASSERT_EQUAL(run_with("", diverging[i]), 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, "too large for a double"));
    CU_ASSERT(!exists("big.csv") && !exists("big.h5"));
  }
  const refusal_t cases[] = {
      {"simulate --quiet --gamma 1e-300", "--gamma"},
      {"simulate --quiet --noise gauss --simulate sgd --kappa 1e300", "--kappa"},
      {"simulate --quiet --n 100000000 --gamma 0.5", "--n"},
      {"online --quiet --k 16 --kstar 16 --tmax 1e9 --dt 1e-3", "--dt"},
      {"solve --quiet --paths 16 --tmax 100 --dt 0.0005", "--dt: "},
      {"converge --quiet --dt0 1e-300 --tmax 1", "--dt"}, /* the step count once overflowed a long */
      {"converge --quiet --dt 1,1e-300 --tmax 2", "--dt"},
      {"solve --quiet --init-overlap 1e300", "--init-overlap"}, /* its square overflows */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    expect_refusal(cases[i].arguments, cases[i].named);
    if (strstr(cases[i].arguments, "simulate")) CU_ASSERT_PTR_NULL(strstr(errors, "--paths"));
  }
  /* A horizon no integrator reaches: one line (CVODE's own messages are silenced), exit 3. */
  CU_ASSERT_EQUAL(run_with("", "online --quiet --tmax 1e300 --dt 1e299 --out far"), 3);
  CU_ASSERT_EQUAL(count_lines(errors), 1);
}

/* Plugins that crash are named, exit 4, and touch no output; one that is not finite where the
 * run goes is refused before it starts, naming the loss. */
static void test_crashing_plugins_are_named(void) {
  CU_ASSERT_EQUAL_FATAL(run_with("", "solve " SMALL " --out plugin"), 0);
  copy_file("plugin.csv", "plugin-before.csv");
  struct {
    const char *file, *function;
  } crashes[] = {{"crash_on_load.so", "function value"}, {"crash_in_solve.so", "function slope"}};
  for (int i = 0; i < 2; i++) {
    char arguments[1024];
    snprintf(arguments, sizeof arguments, "solve --quiet --paths 20000 --plugin %s/%s --loss broken-loss --out plugin",
             DMFT_BROKEN_PLUGIN_DIR, crashes[i].file);
    const int status = run_with("", arguments);
    if (status != 4) fprintf(stderr, "\n    %s: exit %d: %s", crashes[i].file, status, errors);
    CU_ASSERT_EQUAL(status, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, crashes[i].file));
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, crashes[i].function));
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, "SIGSEGV"));
    CU_ASSERT_EQUAL(count_lines(errors), 1);
    CU_ASSERT(same_files("plugin.csv", "plugin-before.csv"));
  }
  char arguments[1024];
  snprintf(arguments, sizeof arguments, "solve --quiet --plugin %s/nan_far_out.so --loss broken-loss --activation linear --theta0-var 4 --out plugin",
           DMFT_BROKEN_PLUGIN_DIR);
  expect_refusal(arguments, "--loss broken-loss is not finite");
  /* A slope right only at its parameter's default: checked again at the chosen value. */
  snprintf(arguments, sizeof arguments, "solve --quiet --plugin %s/slope_off_default.so --loss broken-loss "
           "--model-param scale=2 --out plugin", DMFT_BROKEN_PLUGIN_DIR);
  expect_refusal(arguments, "at the chosen --model-param values");
  /* Correct but extreme: a weight of 1e6 on a smoothing of 1e-6 makes the quotients' rounding
   * and truncation exceed the load-time tolerance; the check allows for both and lets it run. */
  CU_ASSERT_NOT_EQUAL(run_with("", "solve " SMALL " --regularizer l1 --model-param l1=1e6 --model-param l1-smoothing=1e-6 --out sharp"), 2);
  /* Through tanh the predictions stay in [-1, 1], where it is finite: accepted. */
  snprintf(arguments, sizeof arguments, "solve " SMALL " --plugin %s/nan_far_out.so --loss broken-loss --out plugin",
           DMFT_BROKEN_PLUGIN_DIR);
  CU_ASSERT_EQUAL(run_with("", arguments), 0);
}

int main(void) {
  if (cli_test_make_directory("reliability") != 0) return 1;
  CU_TestInfo tests[] = {{"inputs that hung now end", test_inputs_that_hung_now_end},
                         {"full disk", test_full_disk},
                         {"failed writes keep the earlier pair", test_failed_writes_keep_the_earlier_pair},
                         {"a commit cut short is finished", test_a_commit_cut_short_is_finished},
                         {"an interrupted run keeps the earlier pair", test_an_interrupted_run_keeps_the_earlier_pair},
                         {"outputs are checked before any work", test_outputs_are_checked_before_any_work},
                         {"config files that are not text", test_config_files_that_are_not_text},
                         {"each command takes only its options", test_each_command_takes_only_its_options},
                         {"values beyond doubles", test_values_beyond_doubles},
                         {"crashing plugins are named", test_crashing_plugins_are_named},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("cli reliability", tests);
  return cli_test_remove_directory() != 0 ? 1 : failed;
}

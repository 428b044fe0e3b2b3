/* Checkpoints as a user meets them: a solve killed outright (SIGKILL) or stopped by SIGINT
 * resumes to the same CSV bytes and HDF5 datasets as an uninterrupted run; a damaged or foreign
 * checkpoint, and bad checkpoint options, are refused with one line and exit 2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_support.h"
#include "test_support.h"

/* Long enough (a few seconds) for a checkpoint every 0.2 s to be written before the kill. */
#define RUN "solve --quiet --paths 1000000 --tmax 6 --dt 0.025"



/* Starts `dmft ARGS` in the background, waits until FILE exists, then sends SIGNAL. Returns the
 * exit status the shell saw (128 + signal for a killed process). */
static int interrupt_once_saved(const char *arguments, const char *file, const char *signal_name) {
  char command[2048];
  snprintf(command, sizeof command,
           "cd %s && (%s %s > /dev/null 2> stderr.txt & pid=$!; for i in $(seq 600); do [ -f %s ] && break; sleep 0.05; done; "
           "kill -%s $pid; wait $pid)",
           directory, DMFT_CLI_PATH, arguments, file, signal_name);
  const int status = system(command);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_a_killed_solve_resumes_to_the_same_bytes(void) {
  CU_ASSERT_EQUAL_FATAL(run(RUN " --out whole"), 0);
  CU_ASSERT_EQUAL(interrupt_once_saved(RUN " --out cut --checkpoint cut.ckpt --checkpoint-every 0.2", "cut.ckpt", "KILL"),
                  128 + 9);
  CU_ASSERT(!exists("cut.csv"));
  /* What a run killed in the middle of a save leaves: its temporary file. */
  write_text("cut.ckpt.partial-4194301", "a save cut short\n");
  CU_ASSERT_EQUAL(run(RUN " --out cut --resume cut.ckpt --threads 1"), 0);
  CU_ASSERT(same_files("whole.csv", "cut.csv"));
  CU_ASSERT(same_hdf5("whole.h5", "cut.h5"));
  CU_ASSERT(!exists("cut.ckpt")); /* served, and removed once the result is written */
  CU_ASSERT(!exists("cut.ckpt.partial-4194301"));
}

static void test_sigint_saves_and_says_how_to_continue(void) {
  /* Sent once the first checkpoint is there, so that the handler is surely in place. */
  CU_ASSERT_EQUAL(interrupt_once_saved(RUN " --out stopped --checkpoint stopped.ckpt --checkpoint-every 0.2", "stopped.ckpt", "INT"),
                  128 + 2);
  char path[512];
  snprintf(path, sizeof path, "%s/stderr.txt", directory);
  read_file(path, errors, sizeof errors);
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, "--resume stopped.ckpt"));
  CU_ASSERT(exists("stopped.ckpt") && !exists("stopped.csv"));
  CU_ASSERT_EQUAL(run(RUN " --out stopped --resume stopped.ckpt"), 0);
  CU_ASSERT(same_files("whole.csv", "stopped.csv"));
}

static void test_bad_checkpoints_are_refused(void) {
  CU_ASSERT_EQUAL_FATAL(interrupt_once_saved(RUN " --out bad --checkpoint bad.ckpt --checkpoint-every 0.2", "bad.ckpt", "KILL"),
                        128 + 9);
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && cp bad.ckpt flipped.ckpt && printf 'X' | dd of=flipped.ckpt bs=1 seek=5000 conv=notrunc 2> /dev/null && "
           "head -c 4000 bad.ckpt > short.ckpt && echo 'not a checkpoint' > text.ckpt",
           directory);
  CU_ASSERT_EQUAL_FATAL(system(command), 0);
  const refusal_t cases[] = {
      {RUN " --out bad --resume flipped.ckpt", "checksum"},
      {RUN " --out bad --resume short.ckpt", "checksum"},
      {RUN " --out bad --resume text.ckpt", "--resume text.ckpt"},
      {RUN " --out bad --resume bad.ckpt --eta 1.25", "other parameters"},
      {RUN " --out bad --resume missing.ckpt", "--resume"},
      {RUN " --out bad --checkpoint bad.ckpt --checkpoint-every 0", "--checkpoint-every"},
      {RUN " --out bad --checkpoint /tmp", "--checkpoint"},
      {RUN " --out bad --checkpoint text.ckpt", "not a dmft checkpoint"}, /* kept, not overwritten */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_refusal(cases[i].arguments, cases[i].named);
  CU_ASSERT(!exists("bad.csv"));
  char kept[64];
  snprintf(command, sizeof command, "%s/text.ckpt", directory);
  read_file(command, kept, sizeof kept);
  CU_ASSERT_STRING_EQUAL(kept, "not a checkpoint\n");
  /* The refusals did not spoil the checkpoint: it still resumes. */
  CU_ASSERT_EQUAL(run(RUN " --out bad --resume bad.ckpt"), 0);
  CU_ASSERT(same_files("whole.csv", "bad.csv"));
}

int main(void) {
  if (cli_test_make_directory("checkpoint") != 0) return 1;
  CU_TestInfo tests[] = {{"a killed solve resumes to the same bytes", test_a_killed_solve_resumes_to_the_same_bytes},
                         {"SIGINT saves and says how to continue", test_sigint_saves_and_says_how_to_continue},
                         {"bad checkpoints are refused", test_bad_checkpoints_are_refused},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("cli checkpoint", tests);
  return cli_test_remove_directory() != 0 ? 1 : failed;
}

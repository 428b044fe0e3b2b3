/* The dmft executable run as a user runs it, for the command-line test programs. */
#define _POSIX_C_SOURCE 200809L
#include "cli_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

char directory[256];
char output[65536], errors[65536];

void read_file(const char *path, char *buffer, size_t size) {
  buffer[0] = '\0';
  FILE *file = fopen(path, "r");
  if (!file) return;
  const size_t n = fread(buffer, 1, size - 1, file);
  buffer[n] = '\0';
  fclose(file);
}

/* Runs a command line in the test directory; returns its exit status, output and errors kept. */
static int run_line(const char *line) {
  char command[4600];
  snprintf(command, sizeof command, "cd %s && %s > stdout.txt 2> stderr.txt < /dev/null", directory, line);
  const int status = system(command);
  char path[512];
  snprintf(path, sizeof path, "%s/stdout.txt", directory);
  read_file(path, output, sizeof output);
  snprintf(path, sizeof path, "%s/stderr.txt", directory);
  read_file(path, errors, sizeof errors);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run(const char *arguments) {
  char line[4096];
  snprintf(line, sizeof line, "%s %s", DMFT_CLI_PATH, arguments);
  return run_line(line);
}

int run_on_ranks(int ranks, const char *arguments) {
#ifdef DMFT_MPIEXEC_PATH
  char line[4096];
  snprintf(line, sizeof line, "%s %s--oversubscribe -np %d %s %s", DMFT_MPIEXEC_PATH, geteuid() == 0 ? "--allow-run-as-root " : "",
           ranks, DMFT_CLI_PATH, arguments);
  return run_line(line);
#else
  (void)ranks;
  (void)arguments;
  return -1;
#endif
}

int exists(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", directory, name);
  return access(path, F_OK) == 0;
}

void write_text(const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", directory, name);
  FILE *file = fopen(path, "w");
  fputs(text, file);
  fclose(file);
}

int count_lines(const char *text) {
  int lines = 0;
  for (const char *c = text; *c; c++) lines += *c == '\n';
  return lines;
}

/* `dmft ARGUMENTS` must exit 2 with one line that names `named`. */
void expect_refusal(const char *arguments, const char *named) {
  const int status = run(arguments);
  if (status != 2 || !strstr(errors, named)) fprintf(stderr, "\n    dmft %s: exit %d, said: %s", arguments, status, errors);
  CU_ASSERT_EQUAL(status, 2);
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, named));
  CU_ASSERT_EQUAL(count_lines(errors), 1);
}

void text_of(const char *name, char *buffer, size_t size) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", directory, name);
  read_file(path, buffer, size);
}

int same_files(const char *a, const char *b) {
  char command[1024];
  snprintf(command, sizeof command, "cmp -s %s/%s %s/%s", directory, a, directory, b);
  return system(command) == 0;
}

int same_hdf5(const char *a, const char *b) {
  char command[1400];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import sys, h5py, numpy\n"
           "a, b = h5py.File('%s', 'r'), h5py.File('%s', 'r')\n"
           "same = set(a) == set(b) and all(numpy.array_equal(a[k][()], b[k][()], equal_nan=True) for k in a)\n"
           "attributes = lambda f: {k: str(v) for k, v in f.attrs.items() if k != 'command_line'}\n"
           "same = same and attributes(a) == attributes(b)\n"
           "sys.exit(0 if same else 1)\"",
           directory, a, b);
  return system(command) == 0;
}

int cli_test_make_directory(const char *name) {
  snprintf(directory, sizeof directory, "/tmp/dmft-test-%s-XXXXXX", name);
  return mkdtemp(directory) ? 0 : 1;
}

int cli_test_remove_directory(void) {
  char command[512];
  snprintf(command, sizeof command, "rm -rf %s", directory);
  return system(command) != 0;
}

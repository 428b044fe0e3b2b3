/* A report directory as a transaction: built under DIR.partial-PID beside DIR, then swapped in
 * whole (rename, or an atomic exchange with the earlier DIR, which is then removed). A failed or
 * interrupted run leaves the earlier report as it was. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "failure_injection.h"
#include "output_transaction.h"
#include "report.h"

int cli_report_prepare(const char *option, const char *directory, char *message, size_t size) {
  struct stat status;
  if (stat(directory, &status) == 0 && !S_ISDIR(status.st_mode)) {
    snprintf(message, size, "%s: '%s' exists and is not a directory", option, directory);
    return 2;
  }
  const size_t length = strlen(directory);
  if (length == 0 || length + 64 >= CLI_OUTPUT_PATH) {
    snprintf(message, size, "%s must name a directory of at most %d characters", option, CLI_OUTPUT_PATH - 64);
    return 2;
  }
  char copy[CLI_OUTPUT_PATH];
  snprintf(copy, sizeof copy, "%s", directory);
  /* "DIR/" names DIR: strip the slashes so that dirname() gives DIR's parent. */
  for (size_t end = strlen(copy); end > 1 && copy[end - 1] == '/'; end--) copy[end - 1] = '\0';
  return cli_output_directory_takes_files(option, dirname(copy), message, size) ? 0 : 2;
}

int cli_report_stage(const char *directory, char *staged, size_t staged_size, char *message, size_t size) {
  char copy[CLI_OUTPUT_PATH];
  snprintf(copy, sizeof copy, "%s", directory);
  for (size_t end = strlen(copy); end > 1 && copy[end - 1] == '/'; end--) copy[end - 1] = '\0';
  snprintf(staged, staged_size, "%s.partial-%ld", copy, (long)getpid());
  if (mkdir(staged, 0755) != 0) {
    snprintf(message, size, "--report: cannot create directory '%s' (%s)", staged, strerror(errno));
    return 2;
  }
  cli_output_remember(staged, 1);
  return 0;
}

static int remove_entry(const char *path, const struct stat *status, int type, struct FTW *where) {
  (void)status, (void)type, (void)where;
  return remove(path);
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

void cli_report_discard(const char *staged) {
  remove_tree(staged);
  cli_output_forget(staged);
}

int cli_report_publish(const char *staged, const char *directory, char *message, size_t size) {
  struct stat status;
  int ok = !cli_failure_injected("report");
  if (ok && stat(directory, &status) == 0) {
    /* Both names stay whole at every moment: the exchange is one step. */
    ok = renameat2(AT_FDCWD, staged, AT_FDCWD, directory, RENAME_EXCHANGE) == 0;
    if (ok) remove_tree(staged); /* now the earlier report */
  } else if (ok) {
    ok = rename(staged, directory) == 0;
  }
  if (!ok) {
    snprintf(message, size, "--report: could not put the report in place at '%s' (%s); the earlier one is kept", directory,
             strerror(errno));
    cli_report_discard(staged);
    return 2;
  }
  cli_output_forget(staged);
  return 0;
}

int cli_report_make_directory(const char *directory, char *message, size_t size) {
  if (mkdir(directory, 0755) == 0 || errno == EEXIST) return 0;
  snprintf(message, size, "--report: cannot create directory '%s' (%s)", directory, strerror(errno));
  return 2;
}

int cli_report_run_gnuplot(const char *directory, char *message, size_t size) {
  /* In the directory, so that the script names its files relative to it and still works once the
   * report is moved in place (or copied elsewhere). */
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(directory) != 0) _exit(126);
    const int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) dup2(log, STDERR_FILENO);
    execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
    _exit(127);
  }
  int status = 0;
  if (child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  /* The staged report, log included, is discarded on failure: the message carries gnuplot's own
   * last complaint. */
  char path[4200], line[512] = "", last[512] = "no message";
  snprintf(path, sizeof path, "%s/gnuplot.log", directory);
  FILE *log = fopen(path, "r");
  while (log && fgets(line, sizeof line, log))
    if (strspn(line, " \t\n^") != strlen(line)) snprintf(last, sizeof last, "%s", line);
  if (log) fclose(log);
  last[strcspn(last, "\n")] = '\0';
  snprintf(message, size, "--report: gnuplot failed (%s)",
           WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "gnuplot is not installed" : last);
  return 2;
}

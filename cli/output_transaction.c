#define _GNU_SOURCE
#include "output_transaction.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "failure_injection.h"

/* ---- staged paths removed on a fatal signal ---- */

#define REMEMBERED 8
static char remembered[REMEMBERED][CLI_OUTPUT_PATH];
static volatile sig_atomic_t remembered_kind[REMEMBERED]; /* 0 free, 1 file, 2 directory */

void cli_output_remember(const char *path, int is_directory) {
  for (int i = 0; i < REMEMBERED; i++)
    if (remembered_kind[i] == 0) {
      snprintf(remembered[i], sizeof remembered[i], "%s", path);
      remembered_kind[i] = is_directory ? 2 : 1;
      return;
    }
}

void cli_output_forget(const char *path) {
  for (int i = 0; i < REMEMBERED; i++)
    if (remembered_kind[i] != 0 && strcmp(remembered[i], path) == 0) remembered_kind[i] = 0;
}

/* Only async-signal-safe calls: unlink, and fork + execv + waitpid of rm for a directory
 * (walking it here could deadlock on a lock the interrupted code holds). */
void cli_output_remove_staged(void) {
  for (int i = 0; i < REMEMBERED; i++) {
    if (remembered_kind[i] == 1) unlink(remembered[i]);
    if (remembered_kind[i] == 2) {
      const pid_t child = fork();
      if (child == 0) {
        char *const arguments[] = {"rm", "-rf", "--", remembered[i], NULL};
        execv("/bin/rm", arguments);
        _exit(127);
      }
      if (child > 0) waitpid(child, NULL, 0);
    }
    remembered_kind[i] = 0;
  }
}

static void remove_remembered_and_die(int signal_number) {
  cli_output_remove_staged();
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void cli_output_install_signal_cleanup(void) {
  const int signals[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = remove_remembered_and_die;
    sigemptyset(&action.sa_mask);
    sigaction(signals[i], &action, NULL);
  }
}

/* ---- checks before any work ---- */

int cli_output_directory_takes_files(const char *option, const char *directory, char *message, size_t size) {
  struct stat status;
  if (stat(directory, &status) != 0 || !S_ISDIR(status.st_mode)) {
    snprintf(message, size, "%s: directory '%s' does not exist", option, directory);
    return 0;
  }
  char probe[CLI_OUTPUT_PATH];
  snprintf(probe, sizeof probe, "%s/.dmft-probe-%ld", directory, (long)getpid());
  const int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    snprintf(message, size, "%s: cannot create a file in directory '%s' (%s)", option, directory, strerror(errno));
    return 0;
  }
  const int wrote = write(fd, "x", 1) == 1;
  const int saved = errno;
  close(fd);
  unlink(probe);
  if (!wrote) {
    snprintf(message, size, "%s: cannot write a file in directory '%s' (%s)", option, directory, strerror(saved));
    return 0;
  }
  return 1;
}

/* The journal: a first line, then for each file its staged, final and backup names ("-" for
 * no backup), one a line. */
#define JOURNAL_HEADER "dmft-commit 1"

static void finish_interrupted_commit(const char *journal) {
  FILE *file = fopen(journal, "r");
  if (!file) return;
  char line[3][CLI_OUTPUT_PATH];
  int ok = fgets(line[0], sizeof line[0], file) && strncmp(line[0], JOURNAL_HEADER, strlen(JOURNAL_HEADER)) == 0;
  while (ok && fgets(line[0], sizeof line[0], file) && fgets(line[1], sizeof line[1], file) &&
         fgets(line[2], sizeof line[2], file)) {
    for (int i = 0; i < 3; i++) line[i][strcspn(line[i], "\n")] = '\0';
    if (access(line[0], F_OK) == 0) rename(line[0], line[1]);
    if (strcmp(line[2], "-") != 0) unlink(line[2]);
  }
  fclose(file);
  unlink(journal);
}

int cli_output_prepare(cli_output_t *output, const char *option, const char *prefix, const char *const *suffixes,
                       int count, char *message, size_t size) {
  memset(output, 0, sizeof *output);
  const size_t length = strlen(prefix);
  char copy[CLI_OUTPUT_PATH];
  snprintf(copy, sizeof copy, "%s", prefix);
  const char *name = basename(copy);
  if (length == 0 || prefix[length - 1] == '/' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    snprintf(message, size, "%s must name files, PREFIX as in DIR/run for DIR/run.csv (got '%s', a directory)", option, prefix);
    return 0;
  }
  if (length + 64 >= CLI_OUTPUT_PATH) {
    snprintf(message, size, "%s is too long (at most %d characters)", option, CLI_OUTPUT_PATH - 64);
    return 0;
  }
  snprintf(copy, sizeof copy, "%s", prefix);
  if (!cli_output_directory_takes_files(option, dirname(copy), message, size)) return 0;
  snprintf(output->journal, sizeof output->journal, "%s.dmft-commit", prefix);
  finish_interrupted_commit(output->journal);
  output->count = count;
  for (int i = 0; i < count; i++) {
    snprintf(output->final[i], sizeof output->final[i], "%s%s", prefix, suffixes[i]);
    snprintf(output->staged[i], sizeof output->staged[i], "%s.partial-%ld", output->final[i], (long)getpid());
    struct stat status;
    if (lstat(output->final[i], &status) == 0 && !S_ISREG(status.st_mode)) {
      snprintf(message, size, "%s: '%s' exists and is not a regular file; move it or choose another prefix", option,
               output->final[i]);
      return 0;
    }
  }
  return 1;
}

/* ---- the commit ---- */

static int flush_to_disk(const char *path) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  const int ok = cli_failure_injected("fsync") ? 0 : fsync(fd) == 0;
  close(fd);
  return ok;
}

static int write_journal(const cli_output_t *output, char backups[][CLI_OUTPUT_PATH]) {
  char temporary[CLI_OUTPUT_PATH + 32];
  snprintf(temporary, sizeof temporary, "%s.partial-%ld", output->journal, (long)getpid());
  FILE *file = fopen(temporary, "w");
  if (!file) return 0;
  fprintf(file, "%s\n", JOURNAL_HEADER);
  for (int i = 0; i < output->count; i++)
    fprintf(file, "%s\n%s\n%s\n", output->staged[i], output->final[i], backups[i][0] ? backups[i] : "-");
  int ok = !ferror(file) && !cli_failure_injected("journal");
  ok = (fflush(file) == 0) && ok && fsync(fileno(file)) == 0;
  ok = (fclose(file) == 0) && ok && rename(temporary, output->journal) == 0;
  if (!ok) unlink(temporary);
  return ok;
}

static void sync_directory_of(const char *path) {
  char copy[CLI_OUTPUT_PATH];
  snprintf(copy, sizeof copy, "%s", path);
  const int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

int cli_output_commit(cli_output_t *output) {
  for (int i = 0; i < output->count; i++)
    if (!flush_to_disk(output->staged[i])) {
      cli_output_abandon(output);
      return 0;
    }
  /* Hard links keep the earlier files until every rename is done, so that a rename failing
   * half-way can be undone. */
  char backups[CLI_OUTPUT_MAX_FILES][CLI_OUTPUT_PATH];
  for (int i = 0; i < output->count; i++) {
    backups[i][0] = '\0';
    if (access(output->final[i], F_OK) != 0) continue;
    snprintf(backups[i], sizeof backups[i], "%s.previous-%ld", output->final[i], (long)getpid());
    if (link(output->final[i], backups[i]) != 0) backups[i][0] = '\0';
  }
  sigset_t held, previous;
  sigemptyset(&held);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGTERM);
  sigaddset(&held, SIGHUP);
  sigprocmask(SIG_BLOCK, &held, &previous);
  int ok = write_journal(output, backups);
  int renamed = 0;
  while (ok && renamed < output->count) {
    if (cli_failure_injected("rename") || rename(output->staged[renamed], output->final[renamed]) != 0) ok = 0;
    else renamed++;
  }
  if (!ok) {
    /* Undo: the earlier files back under their names, the new ones removed. */
    for (int i = 0; i < renamed; i++) {
      if (backups[i][0]) rename(backups[i], output->final[i]);
      else unlink(output->final[i]);
    }
    unlink(output->journal);
  }
  for (int i = 0; i < output->count; i++)
    if (backups[i][0]) unlink(backups[i]);
  if (ok) {
    unlink(output->journal);
    for (int i = 0; i < output->count; i++) cli_output_forget(output->staged[i]);
  }
  sync_directory_of(output->final[0]);
  sigprocmask(SIG_SETMASK, &previous, NULL);
  if (!ok) cli_output_abandon(output);
  return ok;
}

void cli_output_abandon(cli_output_t *output) {
  for (int i = 0; i < output->count; i++) {
    unlink(output->staged[i]);
    cli_output_forget(output->staged[i]);
  }
}

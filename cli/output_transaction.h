/* Outputs as a transaction: a command's files (PREFIX.csv and PREFIX.h5, or converge's four
 * tables) replace the earlier ones all together or not at all.
 *
 * Before any work, cli_output_prepare() checks the prefix (it must name a file, in a directory
 * that exists and takes a new file: a probe file is created and removed) and that no final
 * name is held by a directory or another non-file. The writers then write staged files beside
 * the final ones (PREFIX.csv.partial-PID); nothing under a final name changes. The commit
 * flushes the staged files to disk, records the renames in a journal (PREFIX.dmft-commit,
 * itself written under a temporary name and renamed), performs them with SIGINT, SIGTERM and
 * SIGHUP held, and removes the journal. A process killed outright (SIGKILL, power loss) between
 * two renames leaves the journal; the next command that writes to the same prefix finishes the
 * renames first, so the pair that is read is always one run's. A failed or interrupted run
 * removes its staged files and leaves the earlier outputs as they were. */
#ifndef DMFT_CLI_OUTPUT_TRANSACTION_H
#define DMFT_CLI_OUTPUT_TRANSACTION_H

#include <stddef.h>

#define CLI_OUTPUT_MAX_FILES 4
#define CLI_OUTPUT_PATH 4200

typedef struct {
  int count;
  char final[CLI_OUTPUT_MAX_FILES][CLI_OUTPUT_PATH];  /* PREFIX + suffix */
  char staged[CLI_OUTPUT_MAX_FILES][CLI_OUTPUT_PATH]; /* where the writers write */
  char journal[CLI_OUTPUT_PATH];
} cli_output_t;

/* Checks `prefix` (named by `option` in messages) and the final names PREFIX + suffixes[i];
 * finishes an earlier commit that was cut short. 1 when the outputs can be written, else 0
 * with a one-line message. */
int cli_output_prepare(cli_output_t *output, const char *option, const char *prefix, const char *const *suffixes,
                       int count, char *message, size_t size);
/* Replaces the final files by the staged ones, all of them. 1 on success; else 0, the staged
 * files removed and the earlier outputs left whole. */
int cli_output_commit(cli_output_t *output);
/* Removes the staged files (a failed run). */
void cli_output_abandon(cli_output_t *output);

/* Whether `directory` exists, is a directory, and takes a new file (created and removed):
 * access(2) alone says yes to /proc and to read-only mounts. Else 0 with a message. */
int cli_output_directory_takes_files(const char *option, const char *directory, char *message, size_t size);

/* Staged files and directories of this process are removed if SIGINT, SIGTERM or SIGHUP
 * arrives while they exist; the signal then ends the process as it would have. */
void cli_output_install_signal_cleanup(void);
/* Registers (or, with cli_output_forget, unregisters) a staged path for that cleanup. */
void cli_output_remember(const char *path, int is_directory);
void cli_output_forget(const char *path);
/* Removes them now (async-signal-safe: for fatal-signal handlers). */
void cli_output_remove_staged(void);

#endif

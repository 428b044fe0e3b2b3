/* A progress bar with a time estimate on stderr, drawn only when stderr is a terminal, the
 * run is not --quiet, and it has lasted over a second. */
#ifndef DMFT_CLI_PROGRESS_H
#define DMFT_CLI_PROGRESS_H

typedef struct {
  int enabled;
  int drawn;
  double started;
  double last_drawn;
  const char *label;
} cli_progress_t;

void cli_progress_start(cli_progress_t *progress, const char *label, int quiet);
void cli_progress_update(double fraction, void *progress);
void cli_progress_finish(cli_progress_t *progress);
double cli_seconds_now(void);

#endif

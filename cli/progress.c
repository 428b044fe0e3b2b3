#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double cli_seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

void cli_progress_start(cli_progress_t *progress, const char *label, int quiet) {
  progress->enabled = !quiet && isatty(STDERR_FILENO);
  progress->drawn = 0;
  progress->started = cli_seconds_now();
  progress->last_drawn = 0.0;
  progress->label = label;
}

void cli_progress_update(double fraction, void *opaque) {
  cli_progress_t *progress = opaque;
  if (!progress->enabled) return;
  const double now = cli_seconds_now(), elapsed = now - progress->started;
  if (elapsed < 1.0 || now - progress->last_drawn < 0.2) return;
  progress->last_drawn = now;
  progress->drawn = 1;
  const int width = 40, filled = (int)(fraction * width + 0.5);
  char bar[41];
  for (int i = 0; i < width; i++) bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  const double remaining = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
  fprintf(stderr, "\r%s [%s] %3.0f%%  %.0fs elapsed, about %.0fs left ", progress->label, bar, 100.0 * fraction,
          elapsed, remaining);
  fflush(stderr);
}

void cli_progress_finish(cli_progress_t *progress) {
  if (progress->drawn) fprintf(stderr, "\n");
  progress->drawn = 0;
}

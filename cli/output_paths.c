/* Where outputs may go: checked before any work, so that a wrong path costs nothing. */
#define _POSIX_C_SOURCE 200809L
#include <libgen.h>
#include <stdio.h>
#include <unistd.h>

#include "writers.h"

int cli_output_directory_is_writable(const char *option, const char *path, char *message, size_t size) {
  char copy[4200];
  snprintf(copy, sizeof copy, "%s", path);
  const char *directory = dirname(copy);
  if (access(directory, W_OK) != 0) {
    snprintf(message, size, "%s: cannot write in directory '%s' (it does not exist or is not writable)", option, directory);
    return 0;
  }
  return 1;
}

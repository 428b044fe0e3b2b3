#include "number_pairs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"

int dmft__read_number_pairs(const char *path, const char *option, const char *what, dmft__pair_fn visit, void *user, int *pairs,
                            char *message, size_t size) {
  *pairs = 0;
  FILE *file = fopen(path, "r");
  if (!file) {
    snprintf(message, size, "%s: cannot open '%s' (%s)", option, path, strerror(errno));
    return DMFT_EINVAL;
  }
  char line[512];
  int number = 0, status = DMFT_OK;
  while (status == DMFT_OK && fgets(line, sizeof line, file)) {
    number++;
    const char *cursor = line + strspn(line, " \t");
    if (*cursor == '#' || *cursor == '\n' || *cursor == '\0' || *cursor == '\r') continue;
    char *end = NULL;
    const double first = strtod(cursor, &end);
    const char *after = end;
    const double second = strtod(after, &end);
    const int complete = end != after && after != cursor && strspn(end, " \t\r\n") == strlen(end);
    if (!complete || !isfinite(first) || !isfinite(second)) {
      snprintf(message, size, "%s %s line %d: expected '%s', two numbers", option, path, number, what);
      status = DMFT_EINVAL;
    } else if (visit(user, first, second, number, message, size) != 0) {
      status = DMFT_EINVAL;
    } else {
      (*pairs)++;
    }
  }
  fclose(file);
  if (status == DMFT_OK && *pairs == 0) {
    snprintf(message, size, "%s %s: no '%s' line", option, path, what);
    status = DMFT_EINVAL;
  }
  return status;
}

#include "sweep_grid.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options that cannot be swept: they name the sweep's own files or load code. */
static int sweepable(const char *name) {
  static const char *const refused[] = {"sweep", "out", "config", "plugin", "threads", "quiet"};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    if (strcmp(name, refused[i]) == 0) return 0;
  return 1;
}

static int parse_double(const char *text, const char *end, double *value) {
  char *stop = NULL;
  errno = 0;
  *value = strtod(text, &stop);
  return stop == end && stop != text && errno != ERANGE && isfinite(*value);
}

/* A:B:STEP into its values, A + i STEP for i = 0.. while within B (with a tolerance of 1e-9
 * steps, so that 0.5:2:0.25 ends at 2). */
static int parse_range(const char *text, cli_sweep_axis_t *axis) {
  const char *first = strchr(text, ':'), *second = first ? strchr(first + 1, ':') : NULL;
  double from, to, step;
  if (!second || strchr(second + 1, ':') || !parse_double(text, first, &from) || !parse_double(first + 1, second, &to) ||
      !parse_double(second + 1, second + 1 + strlen(second + 1), &step) || step == 0 || (to - from) / step < -1e-9)
    return 0;
  const double steps = floor((to - from) / step + 1e-9);
  if (steps + 1 > CLI_SWEEP_MAX_VALUES) return 0;
  axis->count = (int)steps + 1;
  axis->values = calloc((size_t)axis->count, sizeof *axis->values);
  if (!axis->values) return 0;
  for (int i = 0; i < axis->count; i++) snprintf(axis->values[i], sizeof axis->values[i], "%.10g", from + i * step);
  return 1;
}

static int parse_list(const char *text, cli_sweep_axis_t *axis) {
  int count = 1;
  for (const char *c = text; *c; c++) count += *c == ',';
  if (count > CLI_SWEEP_MAX_VALUES) return 0;
  axis->values = calloc((size_t)count, sizeof *axis->values);
  if (!axis->values) return 0;
  axis->count = 0;
  for (const char *cursor = text;;) {
    const size_t length = strcspn(cursor, ",");
    if (length == 0 || length >= sizeof axis->values[0]) return 0;
    memcpy(axis->values[axis->count], cursor, length);
    axis->values[axis->count++][length] = '\0';
    if (cursor[length] == '\0') return 1;
    cursor += length + 1;
  }
}

int cli_sweep_grid_parse(const cli_options_t *options, cli_sweep_grid_t *grid, char *message, size_t size) {
  memset(grid, 0, sizeof *grid);
  if (options->sweep_count == 0) {
    snprintf(message, size, "--sweep: give at least one, e.g. --sweep eta=0.5:2:0.25 --sweep gamma=1,2,4");
    return 2;
  }
  grid->configurations = 1;
  for (int a = 0; a < options->sweep_count; a++) {
    const char *text = options->sweeps[a], *equals = strchr(text, '=');
    cli_sweep_axis_t *axis = &grid->axis[grid->axes++];
    const size_t name_length = equals ? (size_t)(equals - text) : 0;
    if (!equals || name_length == 0 || name_length >= sizeof axis->name) {
      snprintf(message, size, "--sweep takes NAME=A:B:STEP or NAME=V1,V2,... (got '%s')", text);
      return 2;
    }
    memcpy(axis->name, text, name_length);
    axis->name[name_length] = '\0';
    if (cli_option_is_flag(CLI_SWEEP, axis->name) < 0 || !sweepable(axis->name)) {
      snprintf(message, size, "--sweep %s: not an option a sweep can vary (any option of dmft solve but --out, --config, "
               "--plugin, --threads, --quiet)", axis->name);
      return 2;
    }
    for (int b = 0; b + 1 < grid->axes; b++)
      if (strcmp(grid->axis[b].name, axis->name) == 0) {
        snprintf(message, size, "--sweep %s is given twice: give one list of its values", axis->name);
        return 2;
      }
    const char *values = equals + 1;
    const int ok = strchr(values, ':') && !strchr(values, ',') ? parse_range(values, axis) : parse_list(values, axis);
    if (!ok) {
      snprintf(message, size, "--sweep %s: '%s' is neither A:B:STEP (numbers, a step that reaches B, at most %d values) "
               "nor a list V1,V2,... of non-empty values", axis->name, values, CLI_SWEEP_MAX_VALUES);
      return 2;
    }
    grid->configurations *= axis->count;
    if (grid->configurations > CLI_SWEEP_MAX_CONFIGURATIONS) {
      snprintf(message, size, "--sweep: the grid has more than %d configurations", CLI_SWEEP_MAX_CONFIGURATIONS);
      return 2;
    }
  }
  return 0;
}

void cli_sweep_grid_free(cli_sweep_grid_t *grid) {
  for (int a = 0; a < grid->axes; a++) {
    free(grid->axis[a].values);
    grid->axis[a].values = NULL;
  }
}

const char *cli_sweep_grid_value(const cli_sweep_grid_t *grid, long index, int axis) {
  for (int a = grid->axes - 1; a > axis; a--) index /= grid->axis[a].count;
  return grid->axis[axis].values[index % grid->axis[axis].count];
}

int cli_sweep_grid_options(const cli_sweep_grid_t *grid, long index, const cli_options_t *base, cli_options_t *options,
                           char *message, size_t size) {
  *options = *base;
  char inner[512];
  for (int a = 0; a < grid->axes; a++)
    if (cli_option_set(options, grid->axis[a].name, cli_sweep_grid_value(grid, index, a), inner, sizeof inner) != 0) {
      snprintf(message, size, "--sweep %s=%s: %s", grid->axis[a].name, cli_sweep_grid_value(grid, index, a), inner);
      return 2;
    }
  if (cli_options_check_combinations(options, inner, sizeof inner) != 0 ||
      cli_options_apply_model_params(options, inner, sizeof inner) != 0 || cli_options_apply_spectrum(options, inner, sizeof inner) != 0) {
    snprintf(message, size, "--sweep configuration %ld: %s", index + 1, inner);
    return 2;
  }
  cli_options_choose_engine(options);
  return 0;
}

void cli_sweep_grid_label(const cli_sweep_grid_t *grid, long index, char *label, size_t size) {
  size_t used = 0;
  label[0] = '\0';
  for (int a = 0; a < grid->axes && used + 1 < size; a++)
    used += (size_t)snprintf(label + used, size - used, "%s%s%s", a ? "-" : "", grid->axis[a].name,
                             cli_sweep_grid_value(grid, index, a));
  for (char *c = label; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '.' && *c != '+' && *c != '-' && *c != '_') *c = '_';
}

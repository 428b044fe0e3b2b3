/* libFuzzer target: the option parser and the config-file reader, then the problem checks, on
 * arbitrary bytes. The input is split at NUL bytes: the first piece chooses the command, the
 * pieces up to a piece "@" are the command line, and what follows "@" is a config file; for
 * dmft sweep, the --sweep grid is parsed and its first configurations set.
 * Nothing a user can type must crash, hang, or read out of bounds. --plugin is left out (on the
 * command line and in the config): loading arbitrary files is what the option is for, and no
 * parser can make that safe; --config too, as the config is given here directly. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/problem.h"
#include "options.h"
#include "sweep_grid.h"

#define MAX_ARGUMENTS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  static const cli_command_t commands[] = {CLI_SOLVE, CLI_SIMULATE, CLI_VALIDATE, CLI_CONVERGE, CLI_ONLINE, CLI_SWEEP};
  const cli_command_t command = commands[size > 0 ? data[0] % 6 : 0];
  char *arguments[MAX_ARGUMENTS];
  int count = 0;
  const char *config = NULL;
  size_t config_size = 0;
  for (size_t start = size > 0 ? 1 : 0; start < size;) {
    const size_t length = strnlen(text + start, size - start);
    if (strcmp(text + start, "@") == 0) {
      config = text + start + length + 1 < text + size ? text + start + length + 1 : NULL;
      config_size = config ? size - (size_t)(config - text) : 0;
      break;
    }
    if (count < MAX_ARGUMENTS && !strstr(text + start, "plugin") && !strstr(text + start, "config")) arguments[count++] = text + start;
    start += length + 1;
  }
  /* The config as a file of its own, read through the same code path as --config. */
  char path[64] = "";
  if (config && memmem(config, config_size, "plugin", 6)) config = NULL;
  if (config) {
    snprintf(path, sizeof path, "/tmp/dmft-fuzz-config-%ld.ini", (long)getpid());
    FILE *file = fopen(path, "wb");
    if (file) {
      fwrite(config, 1, config_size, file);
      fclose(file);
    }
  }
  cli_options_t options;
  cli_options_defaults(&options, command);
  char message[1024];
  /* stdout is where --help goes; the fuzzer's own output stays readable without it. */
  int parsed = config ? cli_options_read_config(&options, path, message, sizeof message) : 0;
  if (parsed == 0) parsed = cli_options_parse(&options, count, arguments, message, sizeof message);
  if (parsed == 0) {
    dmft_problem_check_inputs(&options.problem, message, sizeof message);
    if (strlen(message) >= sizeof message) abort();
  }
  /* A sweep's grid: parsed, and its first configurations named and set as a sweep would. */
  if (parsed == 0 && command == CLI_SWEEP) {
    cli_sweep_grid_t grid;
    if (cli_sweep_grid_parse(&options, &grid, message, sizeof message) == 0) {
      cli_options_t *configuration = malloc(sizeof *configuration);
      char label[512];
      for (long i = 0; configuration && i < grid.configurations && i < 4; i++) {
        cli_sweep_grid_label(&grid, i, label, sizeof label);
        cli_sweep_grid_options(&grid, i, &options, configuration, message, sizeof message);
      }
      free(configuration);
    }
    cli_sweep_grid_free(&grid);
  }
  if (config) unlink(path);
  free(text);
  return 0;
}

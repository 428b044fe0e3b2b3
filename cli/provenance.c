#include "provenance.h"

#include <stdio.h>
#include <string.h>

#include "dmft/plugin.h"
#include "sha256.h"

static char command_line[8192];

void cli_provenance_record(int argc, char **argv) {
  size_t used = 0;
  command_line[0] = '\0';
  for (int i = 0; i < argc && used + 1 < sizeof command_line; i++) {
    const char *argument = i == 0 ? "dmft" : argv[i];
    const int plain = argument[0] != '\0' && strpbrk(argument, " \t\n'\"\\$`*?;&|<>()") == NULL;
    if (plain) used += (size_t)snprintf(command_line + used, sizeof command_line - used, "%s%s", i ? " " : "", argument);
    else {
      used += (size_t)snprintf(command_line + used, sizeof command_line - used, "%s'", i ? " " : "");
      for (const char *c = argument; *c && used + 5 < sizeof command_line; c++)
        used += (size_t)snprintf(command_line + used, sizeof command_line - used, *c == '\'' ? "'\\''" : "%c", *c);
      used += (size_t)snprintf(command_line + used, sizeof command_line - used, "'");
    }
  }
}

const char *cli_provenance_command_line(void) { return command_line; }

void cli_provenance_plugins(char *text, size_t size) {
  size_t used = 0;
  text[0] = '\0';
  for (size_t p = 1; p < dmft_plugin_count() && used + 1 < size; p++) {
    char hex[65] = "unreadable";
    cli_sha256_file(dmft_plugin_path(p), hex);
    used += (size_t)snprintf(text + used, size - used, "%s%s sha256:%s", p > 1 ? "; " : "", dmft_plugin_path(p), hex);
  }
}

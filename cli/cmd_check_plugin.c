/* dmft check-plugin FILE.so: loads a plugin and prints every conformance check it goes through
 * (the ones loading it with --plugin runs silently), then PASS or FAIL. */
#include <stdio.h>
#include <string.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/plugin.h"
#include "dmft/status.h"

static void print_check(void *user, int passed, const char *description) {
  (void)user;
  printf("  %s  %s\n", passed ? "ok  " : "FAIL", description);
}

const char *const cli_check_plugin_summary =
    "Load a model plugin and run the conformance checks on each of its components: complete descriptor, finite\n"
    "values, slopes and curvatures against finite differences, declared properties, and a short SGD solve with each\n"
    "component. Exit 0 if all pass, 1 if any fails, 2 if the file is not a loadable dmft plugin.";

int cli_check_plugin(int argc, char **argv) {
  if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
    printf("usage: dmft check-plugin FILE.so\n\n%s\n", cli_check_plugin_summary);
    return 0;
  }
  if (argc != 1) {
    cli_fail("dmft check-plugin: give exactly one plugin file (got %d arguments; see --help)", argc);
    return 2;
  }
  const dmft_plugin_t *plugin = NULL;
  char message[1024];
  if (dmft_plugin_open(argv[0], &plugin, message, sizeof message) != DMFT_OK) {
    cli_fail("dmft check-plugin: %s", message);
    return 2;
  }
  printf("plugin %s (%s): %s\n", plugin->name, argv[0], plugin->summary ? plugin->summary : "");
  const int failures = dmft_plugin_check(plugin, print_check, NULL);
  printf("%s: %d check%s failed\n", failures ? "FAIL" : "PASS", failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}

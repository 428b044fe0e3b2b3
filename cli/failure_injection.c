#define _POSIX_C_SOURCE 200809L
#include "failure_injection.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
  int read;
  char point[32];
  long at, passes;
  int kill;
} plan;

int cli_failure_injected(const char *point) {
  if (!plan.read) {
    plan.read = 1;
    const char *text = getenv("DMFT_TEST_FAIL");
    char mode[8] = "";
    if (!text || sscanf(text, "%31[^:]:%ld:%7s", plan.point, &plan.at, mode) < 2) plan.point[0] = '\0';
    plan.kill = strcmp(mode, "kill") == 0;
  }
  if (plan.point[0] == '\0' || strcmp(plan.point, point) != 0 || ++plan.passes != plan.at) return 0;
  if (plan.kill) raise(SIGKILL);
  return 1;
}

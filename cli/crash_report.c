#define _GNU_SOURCE
#include "crash_report.h"

#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "dmft/plugin.h"
#include "output_transaction.h"

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define FATAL_SIGNALS (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction previous[FATAL_SIGNALS];
/* A stack of its own, so that a plugin that overflows the stack is still reported. */
static char alternate_stack[64 * 1024];

static const char *signal_name(int number) {
  switch (number) {
    case SIGSEGV: return "SIGSEGV (invalid memory access)";
    case SIGBUS: return "SIGBUS (bad memory access)";
    case SIGFPE: return "SIGFPE (arithmetic fault)";
    case SIGILL: return "SIGILL (illegal instruction)";
    default: return "SIGABRT (abort)";
  }
}

static const void *interrupted_instruction(const void *context) {
#if defined(__x86_64__)
  return (const void *)((const ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (const void *)((const ucontext_t *)context)->uc_mcontext.pc;
#else
  (void)context;
  return NULL;
#endif
}

/* dladdr and snprintf are not async-signal-safe; the process is ending either way, and what
 * they read was written before any plugin code ran. */
static void on_fatal_signal(int number, siginfo_t *info, void *context) {
  (void)info;
  /* Threads can fault together (every thread calls the same plugin function): one reports,
   * the others wait for its _exit. */
  static int reporting;
  if (__atomic_exchange_n(&reporting, 1, __ATOMIC_SEQ_CST))
    for (;;) pause();
  void *frames[64];
  const int count = backtrace(frames, 64);
  char where[1024];
  int found = dmft_plugin_describe_address(interrupted_instruction(context), where, sizeof where);
  /* Return addresses point after the call: one byte back lies in the calling function. */
  for (int i = 0; !found && i < count; i++) found = dmft_plugin_describe_address((char *)frames[i] - 1, where, sizeof where);
  if (found) {
    char line[1400];
    const int length = snprintf(line, sizeof line, "dmft: %s crashed with %s; no output was written or changed\n", where,
                                signal_name(number));
    if (write(STDERR_FILENO, line, (size_t)(length < (int)sizeof line ? length : (int)sizeof line - 1)) < 0) {
      /* nothing more can be done about a failed report */
    }
    cli_output_remove_staged();
    _exit(CLI_EXIT_PLUGIN_CRASHED);
  }
  for (size_t i = 0; i < FATAL_SIGNALS; i++)
    if (fatal_signals[i] == number) sigaction(number, &previous[i], NULL);
  /* A fault re-executes the instruction under the handler restored; an abort must be raised. */
  if (number == SIGABRT) raise(SIGABRT);
}

void cli_crash_report_install(void) {
  void *prime[1];
  backtrace(prime, 1); /* loads libgcc now, not inside the handler */
  const stack_t stack = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0};
  sigaltstack(&stack, NULL);
  for (size_t i = 0; i < FATAL_SIGNALS; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(fatal_signals[i], &action, &previous[i]);
  }
}

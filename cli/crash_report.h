/* A fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) raised in plugin code is reported as
 * one line naming the plugin file and the function being called, the staged outputs are
 * removed (no output is touched), and the process exits with status 4. A fault anywhere else
 * is left to the handler that was there before (the default, or a sanitizer's). */
#ifndef DMFT_CLI_CRASH_REPORT_H
#define DMFT_CLI_CRASH_REPORT_H

#define CLI_EXIT_PLUGIN_CRASHED 4

void cli_crash_report_install(void);

#endif

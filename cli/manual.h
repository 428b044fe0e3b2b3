/* The manual page dmft.1 and the bash completion script, generated from the option table and the
 * commands' summaries at build time (dmft --man, dmft --bash-completion), so that neither can
 * drift from --help. */
#ifndef DMFT_CLI_MANUAL_H
#define DMFT_CLI_MANUAL_H

#include <stdio.h>

void cli_print_manual(FILE *out);
void cli_print_bash_completion(FILE *out);

#endif

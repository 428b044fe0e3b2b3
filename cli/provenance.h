/* What a result needs to be reproduced a year later, beyond its parameters: the command line
 * that made it, and each loaded plugin's file with its SHA-256. Written into every HDF5 file. */
#ifndef DMFT_CLI_PROVENANCE_H
#define DMFT_CLI_PROVENANCE_H

#include <stddef.h>

/* Called once by main: "dmft solve --eta 1 ...", arguments with spaces or quotes single-quoted. */
void cli_provenance_record(int argc, char **argv);
const char *cli_provenance_command_line(void);
/* "PATH sha256:HEX" for each loaded plugin, "; " between them ("" when none). */
void cli_provenance_plugins(char *text, size_t size);

#endif

/* SHA-256 (FIPS 180-4) of a file, for recording which plugin produced a result. */
#ifndef DMFT_CLI_SHA256_H
#define DMFT_CLI_SHA256_H

#include <stddef.h>

/* The 64 hex digits of the file's SHA-256 into hex (at least 65 bytes). 0, or -1 if it cannot be
 * read. */
int cli_sha256_file(const char *path, char *hex);
/* The digest of a buffer, 32 bytes. */
void cli_sha256(const unsigned char *data, size_t size, unsigned char digest[32]);

#endif

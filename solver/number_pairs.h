/* Text files of two numbers a line ("time value", "eigenvalue weight"): blank lines and lines
 * starting with # are skipped, anything else must be exactly two finite numbers. Shared by the
 * schedule and spectrum files so that both refuse a bad line the same way, naming it. */
#ifndef DMFT_NUMBER_PAIRS_H
#define DMFT_NUMBER_PAIRS_H

#include <stddef.h>

/* Called for each pair with its line number; returns 0 to go on, or nonzero after writing a
 * one-line message (which the reader returns as DMFT_EINVAL). */
typedef int (*dmft__pair_fn)(void *user, double first, double second, int line, char *message, size_t size);

/* Reads `path` for `option` (e.g. "--spectrum"), `what` naming a line's two numbers in the
 * messages ("eigenvalue weight"). DMFT_OK with *pairs the number read (at least one), or
 * DMFT_EINVAL with a message naming the option, the file and the line. */
int dmft__read_number_pairs(const char *path, const char *option, const char *what, dmft__pair_fn visit, void *user, int *pairs,
                            char *message, size_t size);

#endif

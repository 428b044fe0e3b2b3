/* libFuzzer target: the checkpoint reader on files made to pass its checksum. A poisson solve
 * half done is saved once; each input overwrites bytes of that file's state (after the header,
 * which is compared whole) at the offsets it names, the FNV-1a checksum is recomputed, and a new
 * solver loads the file: it must refuse it, or resume it for a few steps, and never read or write
 * out of bounds (AddressSanitizer, UndefinedBehaviorSanitizer). tests/test_checkpoint.c runs
 * forged files to the end, deterministically. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/dmft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dmft_problem_t problem;
static unsigned char *original;
static long original_size;
static char path[128];

#define HEADER 56 /* magic, format, version, signature, groups */

static void remove_file(void) { unlink(path); }

static void prepare(void) {
  dmft_problem_set_defaults(&problem);
  problem.paths = 32; /* two paths a replica group: a small state, thousands of runs a minute */
  problem.tmax = 1.0; /* 20 steps: the runs below stop before any group ends */
  problem.threads = 1;
  problem.quasi_random = 1; /* the streams' prefixes are part of the state */
  snprintf(path, sizeof path, "/tmp/dmft-fuzz-checkpoint-%ld.ckpt", (long)getpid());
  dmft_solver_t *solver = NULL;
  if (dmft_solver_create(&problem, NULL, NULL, &solver) != DMFT_OK ||
      dmft_solver_advance(solver, dmft_solver_steps(solver) / 2, NULL, 0) != DMFT_OK || dmft_solver_save(solver, path) != DMFT_OK)
    abort();
  dmft_solver_free(&solver);
  atexit(remove_file);
  FILE *in = fopen(path, "rb");
  if (!in) abort();
  fseek(in, 0, SEEK_END);
  original_size = ftell(in);
  rewind(in);
  original = malloc((size_t)original_size);
  if (!original || fread(original, 1, (size_t)original_size, in) != (size_t)original_size) abort();
  fclose(in);
}

static uint64_t fnv1a(const unsigned char *bytes, size_t n) {
  uint64_t h = 14695981039346656037ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ bytes[i]) * 1099511628211ULL;
  return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!original) prepare();
  unsigned char *forged = malloc((size_t)original_size);
  if (!forged) return 0;
  memcpy(forged, original, (size_t)original_size);
  /* Records of (3-byte offset into the state, 1 byte): the state is what lies between the
   * header and the checksum. */
  const long state = original_size - HEADER - 8;
  for (size_t i = 0; i + 4 <= size; i += 4) {
    const long offset = (long)(((unsigned)data[i] << 16 | (unsigned)data[i + 1] << 8 | data[i + 2]) % (unsigned long)state);
    forged[HEADER + offset] = data[i + 3];
  }
  const uint64_t checksum = fnv1a(forged, (size_t)original_size - 8);
  memcpy(forged + original_size - 8, &checksum, 8);
  FILE *out = fopen(path, "wb");
  if (out) {
    fwrite(forged, 1, (size_t)original_size, out);
    fclose(out);
    dmft_solver_t *solver = NULL;
    char message[512];
    /* A few steps past the saved one use every loaded index (the result's test-loss quadrature,
     * the same whatever the state, is left out: it would be most of the time of a run). */
    if (dmft_solver_create(&problem, NULL, NULL, &solver) == DMFT_OK &&
        dmft_solver_load(solver, path, message, sizeof message) == DMFT_OK)
      dmft_solver_advance(solver, dmft_solver_steps(solver) / 2 + 3, NULL, 0);
    dmft_solver_free(&solver);
  }
  free(forged);
  return 0;
}

#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/dmft.h"
#include "dmft/ranks.h"

#define MAGIC "DMFTCKPT"
#define FORMAT_VERSION 3u /* 2: a finished group keeps Cl, Rl and Gamma too; 3: ranks, train-loss sums per leaf */
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

struct dmft__checkpoint_file {
  FILE *stream;
  char path[4200], temporary[4300];
  uint64_t checksum;
  long long payload_end; /* reading: where the checksum starts */
  int failed;
  char fault[160];
};

static void hash(uint64_t *h, const void *data, size_t bytes) {
  const unsigned char *c = data;
  for (size_t i = 0; i < bytes; i++) *h = (*h ^ c[i]) * FNV_PRIME;
}

static void put(dmft__checkpoint_file_t *f, const void *data, size_t bytes) {
  if (f->failed) return;
  hash(&f->checksum, data, bytes);
  if (fwrite(data, 1, bytes, f->stream) != bytes) f->failed = 1;
}

static void header(char version[32], uint64_t signature, int groups, int rank, int ranks, unsigned char *out,
                   size_t *length) {
  size_t at = 0;
  const uint32_t format = FORMAT_VERSION;
  const int32_t count = groups, writer = rank, writers = ranks;
  memcpy(out + at, MAGIC, 8), at += 8;
  memcpy(out + at, &format, 4), at += 4;
  memcpy(out + at, version, 32), at += 32;
  memcpy(out + at, &signature, 8), at += 8;
  memcpy(out + at, &count, 4), at += 4;
  memcpy(out + at, &writer, 4), at += 4;
  memcpy(out + at, &writers, 4), at += 4;
  *length = at;
}

static void version_field(char version[32]) {
  memset(version, 0, 32);
  snprintf(version, 32, "%s", dmft_version());
}

/* PATH.partial-PID files of other processes: what a run killed while saving left (a save is
 * written under such a name and renamed). One checkpoint path serves one run at a time, so any
 * but this process's own is stale; each is as large as a checkpoint, and a job preempted again
 * and again would fill its disk with them. */
void dmft__checkpoint_remove_stale_partials(const char *path) {
  char pattern[4300], own[4300];
  snprintf(pattern, sizeof pattern, "%s.partial-*", path);
  snprintf(own, sizeof own, "%s.partial-%ld", path, (long)getpid());
  glob_t found;
  if (glob(pattern, GLOB_NOSORT, NULL, &found) != 0) return;
  for (size_t i = 0; i < found.gl_pathc; i++) {
    const char *name = found.gl_pathv[i], *pid = name + strlen(path) + strlen(".partial-");
    const int digits = pid[0] != '\0' && strspn(pid, "0123456789") == strlen(pid);
    if (digits && strcmp(name, own) != 0) unlink(name);
  }
  globfree(&found);
}

void dmft_checkpoint_remove(const char *path) {
  char own[4300];
  dmft_ranks_checkpoint_path(path, own, sizeof own);
  unlink(own);
  dmft__checkpoint_remove_stale_partials(own);
}

int dmft__checkpoint_begin(const char *path, uint64_t signature, int groups, int rank, int ranks,
                           dmft__checkpoint_file_t **out) {
  dmft__checkpoint_file_t *f = calloc(1, sizeof *f);
  *out = f;
  if (!f) return DMFT_ENOMEM;
  snprintf(f->path, sizeof f->path, "%s", path);
  snprintf(f->temporary, sizeof f->temporary, "%s.partial-%ld", path, (long)getpid());
  dmft__checkpoint_remove_stale_partials(path);
  f->checksum = FNV_OFFSET;
  f->stream = fopen(f->temporary, "wb");
  if (!f->stream) return DMFT_EIO;
  char version[32];
  version_field(version);
  unsigned char start[64];
  size_t length;
  header(version, signature, groups, rank, ranks, start, &length);
  put(f, start, length);
  return DMFT_OK;
}

void dmft__checkpoint_write_kind(dmft__checkpoint_file_t *f, int kind) {
  const unsigned char byte = (unsigned char)kind;
  put(f, &byte, 1);
}

void dmft__checkpoint_write_region(void *file, void *data, size_t bytes) {
  dmft__checkpoint_file_t *f = file;
  const uint64_t size = bytes;
  put(f, &size, sizeof size);
  put(f, data, bytes);
}

int dmft__checkpoint_finish(dmft__checkpoint_file_t *f) {
  if (!f) return DMFT_ENOMEM;
  int ok = f->stream != NULL;
  if (ok) {
    const uint64_t checksum = f->checksum;
    ok = !f->failed && fwrite(&checksum, 1, sizeof checksum, f->stream) == sizeof checksum;
    ok = (fflush(f->stream) == 0) && ok && fsync(fileno(f->stream)) == 0;
    ok = (fclose(f->stream) == 0) && ok;
  }
  f->stream = NULL;
  f->failed = !ok;
  return ok ? DMFT_OK : DMFT_EIO;
}

int dmft__checkpoint_commit(dmft__checkpoint_file_t **file, int keep) {
  dmft__checkpoint_file_t *f = *file;
  *file = NULL;
  if (!f) return DMFT_ENOMEM;
  if (f->stream) fclose(f->stream);
  const int ok = keep && !f->failed && rename(f->temporary, f->path) == 0;
  if (!ok) unlink(f->temporary);
  free(f);
  return ok ? DMFT_OK : DMFT_EIO;
}

static int refuse(dmft__checkpoint_file_t *f, char *message, size_t size, const char *why) {
  snprintf(message, size, "--resume %s: %s; it is not used", f->path, why);
  if (f->stream) fclose(f->stream);
  f->stream = NULL;
  return DMFT_EINVAL;
}

int dmft__checkpoint_open(const char *path, uint64_t signature, int groups, int rank, int ranks,
                          dmft__checkpoint_file_t **out, char *message, size_t size) {
  dmft__checkpoint_file_t *f = calloc(1, sizeof *f);
  *out = f;
  if (!f) return DMFT_ENOMEM;
  snprintf(f->path, sizeof f->path, "%s", path);
  f->stream = fopen(path, "rb");
  if (!f->stream) {
    snprintf(message, size, "--resume %s: cannot open it (%s)", path, strerror(errno));
    return DMFT_EINVAL;
  }
  /* First the checksum over the whole file, so that nothing of a damaged file is used. */
  if (fseek(f->stream, 0, SEEK_END) != 0) return refuse(f, message, size, "cannot read it");
  const long long total = ftell(f->stream);
  char version[32];
  version_field(version);
  unsigned char expected[64], found[64];
  size_t length;
  header(version, signature, groups, rank, ranks, expected, &length);
  if (total < (long long)(length + 8)) return refuse(f, message, size, "too short to be a dmft checkpoint (truncated?)");
  rewind(f->stream);
  uint64_t checksum = FNV_OFFSET;
  unsigned char buffer[65536];
  for (long long left = total - 8; left > 0;) {
    const size_t want = left < (long long)sizeof buffer ? (size_t)left : sizeof buffer;
    if (fread(buffer, 1, want, f->stream) != want) return refuse(f, message, size, "cannot read it");
    hash(&checksum, buffer, want);
    left -= (long long)want;
  }
  uint64_t stored;
  if (fread(&stored, 1, sizeof stored, f->stream) != sizeof stored || stored != checksum)
    return refuse(f, message, size, "its checksum does not match (truncated or corrupted)");
  rewind(f->stream);
  if (fread(found, 1, length, f->stream) != length || memcmp(found, MAGIC, 8) != 0)
    return refuse(f, message, size, "not a dmft checkpoint");
  if (memcmp(found + 8, expected + 8, 4) != 0) return refuse(f, message, size, "written in another checkpoint format");
  if (memcmp(found + 12, expected + 12, 32) != 0) return refuse(f, message, size, "written by another version of dmft");
  if (memcmp(found + 44, expected + 44, 12) != 0)
    return refuse(f, message, size, "made for other parameters (every option that changes the numbers must be the same)");
  if (memcmp(found + 56, expected + 56, 8) != 0) {
    int32_t writer, writers;
    memcpy(&writer, found + 56, 4);
    memcpy(&writers, found + 60, 4);
    char why[160];
    snprintf(why, sizeof why, "written by rank %d of a run on %d MPI ranks (resume it on as many ranks)", (int)writer, (int)writers);
    return refuse(f, message, size, why);
  }
  f->payload_end = total - 8;
  return DMFT_OK;
}

int dmft__checkpoint_read_kind(dmft__checkpoint_file_t *f) {
  unsigned char byte = 0;
  if (f->failed || fread(&byte, 1, 1, f->stream) != 1 || byte > DMFT__GROUP_FINISHED) {
    f->failed = 1;
    snprintf(f->fault, sizeof f->fault, "a group's record is damaged");
    return -1;
  }
  return byte;
}

void dmft__checkpoint_read_region(void *file, void *data, size_t bytes) {
  dmft__checkpoint_file_t *f = file;
  uint64_t size = 0;
  if (f->failed) return;
  if (fread(&size, 1, sizeof size, f->stream) != sizeof size || size != bytes || fread(data, 1, bytes, f->stream) != bytes) {
    f->failed = 1;
    snprintf(f->fault, sizeof f->fault, "a region has %llu bytes where this solve has %zu", (unsigned long long)size, bytes);
  }
}

int dmft__checkpoint_close(dmft__checkpoint_file_t **file, char *message, size_t size) {
  dmft__checkpoint_file_t *f = *file;
  *file = NULL;
  if (!f) return DMFT_ENOMEM;
  int status = DMFT_OK;
  if (f->stream && !f->failed && ftell(f->stream) != f->payload_end) {
    f->failed = 1;
    snprintf(f->fault, sizeof f->fault, "it holds more than this solve reads");
  }
  if (f->failed) {
    snprintf(message, size, "--resume %s: %s; it is not used", f->path, f->fault);
    status = DMFT_EINVAL;
  }
  if (f->stream) fclose(f->stream);
  free(f);
  return status;
}

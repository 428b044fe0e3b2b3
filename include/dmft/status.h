/* Status codes shared by every function of the library.
 *
 * One X-macro list generates the enum and dmft_strerror(), so a new code cannot be added
 * without its message. The sign means something, as in SUNDIALS: 0 is success, negative
 * codes are failures. The library never exits; the CLI maps statuses to exit codes. */
#ifndef DMFT_STATUS_H
#define DMFT_STATUS_H

#define DMFT_STATUS_LIST(X)                                                        \
  X(DMFT_OK, 0, "success")                                                         \
  X(DMFT_EINVAL, -1, "invalid input")                                              \
  X(DMFT_ENOMEM, -2, "out of memory")                                              \
  X(DMFT_EDIVERGED, -3, "the dynamics diverged")                                   \
  X(DMFT_EIO, -4, "input/output error")                                          \
  X(DMFT_EINTERRUPTED, -5, "interrupted (the state is in the checkpoint)")

typedef enum {
#define DMFT_STATUS_ENUM(name, value, message) name = value,
  DMFT_STATUS_LIST(DMFT_STATUS_ENUM)
#undef DMFT_STATUS_ENUM
} dmft_status_t;

const char *dmft_strerror(int status);

#endif

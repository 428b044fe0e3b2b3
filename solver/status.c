#include "dmft/status.h"

const char *dmft_strerror(int status) {
  switch (status) {
#define DMFT_STATUS_CASE(name, value, message) \
  case value:                                  \
    return message;
    DMFT_STATUS_LIST(DMFT_STATUS_CASE)
#undef DMFT_STATUS_CASE
  }
  return "unknown status";
}

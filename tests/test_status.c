#include <string.h>

#include "test_support.h"

static void test_every_status_has_its_own_message(void) {
  const int statuses[] = {DMFT_OK, DMFT_EINVAL, DMFT_ENOMEM, DMFT_EDIVERGED, DMFT_EIO};
  const size_t n = sizeof statuses / sizeof statuses[0];
  for (size_t i = 0; i < n; i++) {
    CU_ASSERT_STRING_NOT_EQUAL(dmft_strerror(statuses[i]), "unknown status");
    for (size_t j = 0; j < i; j++) CU_ASSERT_STRING_NOT_EQUAL(dmft_strerror(statuses[i]), dmft_strerror(statuses[j]));
  }
  CU_ASSERT_STRING_EQUAL(dmft_strerror(DMFT_OK), "success");
}

static void test_unknown_status_is_named_so(void) { CU_ASSERT_STRING_EQUAL(dmft_strerror(12345), "unknown status"); }

int main(void) {
  CU_TestInfo tests[] = {{"every status has its own message", test_every_status_has_its_own_message},
                         {"unknown status is named so", test_unknown_status_is_named_so},
                         CU_TEST_INFO_NULL};
  return dmft_test_run("status", tests);
}

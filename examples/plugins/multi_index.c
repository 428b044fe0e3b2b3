/* A two-index teacher, y = w*_1 w*_2 + s eps: no single direction carries the label (it has no
 * linear part), the textbook case where a single-index student learns only through the
 * second-order part of its activation.
 * Build: see docs/plugins.md (CMake builds this file as examples/plugins/multi_index.so). */
#include <dmft/plugin.h>

static double product_label(const double *wstar, int kstar, double eps, double label_noise, const double *params) {
  (void)kstar, (void)params;
  return wstar[0] * wstar[1] + label_noise * eps;
}

static const dmft_teacher_t teachers[] = {
    {.name = "product",
     .summary = "y = w*_1 w*_2 + s eps (needs --kstar 2)",
     .label = product_label,
     .min_kstar = 2,
     .max_kstar = 2},
};

static const dmft_plugin_t plugin = {
    .abi_version = DMFT_PLUGIN_ABI_VERSION,
    .name = "multi-index",
    .summary = "a two-index teacher y = w*_1 w*_2",
    .teachers = teachers,
    .teacher_count = 1,
};

const dmft_plugin_t *dmft_plugin_entry(void) { return &plugin; }

/* Broken plugins, one per way a plugin can be wrong; BROKEN_KIND selects which this build is
 * (tests/CMakeLists.txt builds the file once per kind). dmft must refuse each with a message
 * naming the plugin and the problem, and exit 2 (or 1 from check-plugin for a failed check). */
#include <math.h>

#include <dmft/plugin.h>

static double square_value(double f, double y, const double *params) {
  (void)params;
  return 0.5 * (f - y) * (f - y);
}
static double square_slope(double f, double y, const double *params) {
  (void)params;
#if BROKEN_KIND == 4 /* a slope that does not match the value: a factor 2 off */
  return 2.0 * (f - y);
#else
  return f - y;
#endif
}
#if BROKEN_KIND != 2
static double square_curvature(double f, double y, const double *params) {
  (void)f, (void)params;
#if BROKEN_KIND == 3 /* non-finite values */
  return y > 0 ? NAN : 1.0;
#else
  (void)y;
  return 1.0;
#endif
}
#endif

static const dmft_loss_t losses[] = {
    {.name = "broken-loss",
     .summary = "a loss with something wrong",
     .value = square_value,
     .slope = square_slope,
#if BROKEN_KIND != 2 /* a missing derivative */
     .curvature = square_curvature,
#endif
     .slope_is_continuous = 1},
};

static const dmft_plugin_t plugin = {
#if BROKEN_KIND == 1 /* built against another ABI */
    .abi_version = DMFT_PLUGIN_ABI_VERSION + 1,
#else
    .abi_version = DMFT_PLUGIN_ABI_VERSION,
#endif
    .name = "broken",
    .summary = "broken on purpose",
    .losses = losses,
    .loss_count = 1,
};

#if BROKEN_KIND == 5 /* the entry point under another name */
const dmft_plugin_t *dmft_plugin_entry_point(void) { return &plugin; }
#else
const dmft_plugin_t *dmft_plugin_entry(void) { return &plugin; }
#endif

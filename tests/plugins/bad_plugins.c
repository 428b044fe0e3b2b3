/* Broken plugins, one per way a plugin can be wrong; BROKEN_KIND selects which this build is
 * (tests/CMakeLists.txt builds the file once per kind). dmft must refuse each with a message
 * naming the plugin and the problem, and exit 2 (or 1 from check-plugin for a failed check);
 * kinds 6 and 7 crash, which dmft must report naming the plugin, with exit 4; kind 8 is NaN
 * beyond the load-time range and kind 9 wrong away from its parameter's default, which dmft
 * must refuse before a run that would go there. */
#include <math.h>

#include <dmft/plugin.h>

#if BROKEN_KIND == 6 || BROKEN_KIND == 7
/* Read through a pointer the compiler cannot see is NULL, so the fault really happens. */
static volatile double *volatile nowhere;
#endif

static double square_value(double f, double y, const double *params) {
#if BROKEN_KIND == 9
  return 0.5 * (f - y) * (f - y) * params[0];
#endif
  (void)params;
#if BROKEN_KIND == 6 /* crashes the first time it is called: while dmft checks it at load */
  return *nowhere + f;
#elif BROKEN_KIND == 8 /* NaN beyond the range the load-time checks look at */
  if (fabs(f) > 10.0) return NAN;
#endif
  return 0.5 * (f - y) * (f - y);
}
static double square_slope(double f, double y, const double *params) {
  (void)params;
#if BROKEN_KIND == 4 /* a slope that does not match the value: a factor 2 off */
  return 2.0 * (f - y);
#elif BROKEN_KIND == 9 /* right only at the default of its parameter: (f - y) * scale^2 should be * scale */
  return (f - y) * params[0] * params[0];
#elif BROKEN_KIND == 7 /* crashes after many calls: during a solve, not during the checks */
  static long calls;
  if (__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) > 50000) return *nowhere;
  return f - y;
#else
  return f - y;
#endif
}
#if BROKEN_KIND != 2
static double square_curvature(double f, double y, const double *params) {
  (void)f, (void)params;
#if BROKEN_KIND == 9
  return params[0];
#endif
#if BROKEN_KIND == 3 /* non-finite values */
  return y > 0 ? NAN : 1.0;
#else
  (void)y;
  return 1.0;
#endif
}
#endif

#if BROKEN_KIND == 9
static const dmft_model_param_t scale[] = {{"scale", "multiplies the loss", 1.0, 0.01, 100.0}};
#endif

static const dmft_loss_t losses[] = {
    {.name = "broken-loss",
     .summary = "a loss with something wrong",
     .value = square_value,
     .slope = square_slope,
#if BROKEN_KIND != 2 /* a missing derivative */
     .curvature = square_curvature,
#endif
     .slope_is_continuous = 1,
#if BROKEN_KIND == 9
     .params = scale,
     .param_count = 1,
#endif
    },
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

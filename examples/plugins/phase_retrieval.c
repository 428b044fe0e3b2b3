/* Phase retrieval: labels y = |w*| + s eps, learned by a student f = |xi|.
 *
 * The sign of theta* cannot be recovered from the labels, so the dynamics from a random start
 * sit on the symmetric point M = 0; start with an overlap (--init-overlap) to watch the
 * student align. The student's slope sign(xi) jumps at 0: it is declared so, and dmft then
 * uses the integration-by-parts responses (poisson or bernoulli noise only).
 * Build: see docs/plugins.md (CMake builds this file as examples/plugins/phase_retrieval.so). */
#include <math.h>

#include <dmft/plugin.h>

static double absolute(double w, const double *params) {
  (void)params;
  return fabs(w);
}
static double sign_of(double x, const double *params) {
  (void)params;
  return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
}
static double no_curvature(double x, const double *params) {
  (void)x, (void)params;
  return 0.0;
}

static const dmft_activation_t activations[] = {
    {.name = "abs",
     .summary = "f(x) = |x| (slope jumps at 0)",
     .value = absolute,
     .slope = sign_of,
     .curvature = no_curvature,
     .slope_is_continuous = 0},
};

static const dmft_teacher_t teachers[] = {
    {.name = "abs", .summary = "y = mean_a |w*_a| + s eps (phase retrieval)", .unit = absolute},
};

static const dmft_plugin_t plugin = {
    .abi_version = DMFT_PLUGIN_ABI_VERSION,
    .name = "phase-retrieval",
    .summary = "phase retrieval: teacher |w*| and student |xi|",
    .activations = activations,
    .activation_count = 1,
    .teachers = teachers,
    .teacher_count = 1,
};

const dmft_plugin_t *dmft_plugin_entry(void) { return &plugin; }

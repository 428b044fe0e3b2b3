/* Template of a dmft plugin: copy this file, rename the components, fill in the functions.
 *
 *   cc -O2 -fPIC -shared -I<dmft>/include my_model.c -o my_model.so -lm
 *   dmft check-plugin my_model.so
 *   dmft solve --plugin ./my_model.so --loss my-loss --out run
 *
 * A component that is not needed is left out of the descriptor (count 0). Every function gets
 * `params`, the values of the component's own parameters in the order they are declared;
 * users set them with --model-param NAME=VALUE. docs/plugins.md walks through the whole
 * workflow, up to a validation report against simulations. */
#include <math.h>

#include <dmft/plugin.h>

/* A loss on the student's prediction f and the label y: here l = w (f - y)^2 / 2. */
static double my_loss_value(double f, double y, const double *params) {
  const double weight = params[0];
  return 0.5 * weight * (f - y) * (f - y);
}
static double my_loss_slope(double f, double y, const double *params) { return params[0] * (f - y); }
static double my_loss_curvature(double f, double y, const double *params) {
  (void)f, (void)y;
  return params[0];
}

static const dmft_model_param_t my_loss_params[] = {
    /* name, summary, default, smallest, largest accepted value */
    {"my-weight", "weight w of the loss", 1.0, 1e-6, 1e6},
};

static const dmft_loss_t losses[] = {
    {.name = "my-loss",
     .summary = "w (f - y)^2 / 2 (--model-param my-weight=w)",
     .value = my_loss_value,
     .slope = my_loss_slope,
     .curvature = my_loss_curvature,
     .slope_is_continuous = 1, /* 0 if the slope jumps somewhere (like a hinge) */
     .is_quadratic = 0,        /* 1 only for exactly (f - y)^2 / 2 */
     .needs_binary_labels = 0, /* 1 if it only makes sense for labels +-1 (use --teacher sign) */
     .params = my_loss_params,
     .param_count = 1},
};

/* A teacher: `unit` maps each w*_a (the label is mean_a unit(w*_a) + s eps), or `label` maps
 * the whole (w*, eps). Here y = mean_a sin(w*_a) + s eps. */
static double my_teacher_unit(double w, const double *params) {
  (void)params;
  return sin(w);
}

static const dmft_teacher_t teachers[] = {
    {.name = "my-teacher", .summary = "y = mean_a sin(w*_a) + s eps", .unit = my_teacher_unit},
};

static const dmft_plugin_t plugin = {
    .abi_version = DMFT_PLUGIN_ABI_VERSION, /* do not change: it is how dmft knows the layout */
    .name = "my-model",
    .summary = "a template: a weighted squared loss and a sine teacher",
    .losses = losses,
    .loss_count = 1,
    .teachers = teachers,
    .teacher_count = 1,
};

/* The one symbol dmft looks for. */
const dmft_plugin_t *dmft_plugin_entry(void) { return &plugin; }

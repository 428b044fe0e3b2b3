/* libFuzzer target: the checks of a plugin's descriptor (names, functions, parameter tables,
 * clashes with registered names), on descriptors built from arbitrary bytes, the way a plugin
 * written in a hurry could fill them. The tables are as long as their counts say (a plugin
 * that lies about a count is beyond any check), so a read past what the checks may read is
 * caught by AddressSanitizer. A descriptor that passes is then checked at the fields a run
 * visits (dmft_model_check_fields), with its components swapped into the default model. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "dmft/plugin.h"
#include "dmft/problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
  const uint8_t *data;
  size_t size, at;
  void *owned[256];
  int owned_count;
} bytes_t;

static unsigned next(bytes_t *b) { return b->at < b->size ? b->data[b->at++] : 0; }

static void *keep(bytes_t *b, void *memory) {
  if (memory && b->owned_count < 256) b->owned[b->owned_count++] = memory;
  else if (memory) {
    free(memory);
    memory = NULL;
  }
  return memory;
}

/* A name of 0..47 bytes from the input (any bytes, NULL when the length byte says so). */
static const char *name(bytes_t *b) {
  const unsigned length = next(b) % 49;
  if (length == 48) return NULL;
  char *text = keep(b, malloc(length + 1));
  if (!text) return NULL;
  for (unsigned i = 0; i < length; i++) text[i] = (char)next(b);
  text[length] = '\0';
  return text;
}

static double number(bytes_t *b) {
  static const double values[] = {-1e300, -2.0, -0.5, 0.0, 0.5, 1.0, 3.0, 1e300};
  return values[next(b) % 8];
}

static int count(bytes_t *b) { return (int)(next(b) % 13) - 2; } /* -2..10 */

static const dmft_model_param_t *params(bytes_t *b, int *param_count) {
  *param_count = count(b);
  if (*param_count <= 0) return NULL;
  dmft_model_param_t *table = keep(b, calloc((size_t)*param_count, sizeof *table));
  for (int i = 0; table && i < *param_count; i++) {
    table[i].name = name(b);
    table[i].min_value = number(b);
    table[i].default_value = number(b);
    table[i].max_value = number(b);
  }
  return table;
}

static double one(double x, const double *p) { (void)p; return x; }
static double zero(double x, const double *p) { (void)x, (void)p; return 0.0; }
static double loss(double f, double y, const double *p) { (void)p; return 0.5 * (f - y) * (f - y); }
static double loss_slope(double f, double y, const double *p) { (void)p; return f - y; }
static double loss_curvature(double f, double y, const double *p) { (void)f, (void)y, (void)p; return 1.0; }
static double unit(double w, const double *p) { (void)p; return w; }

#define MAYBE(b, f) ((next(b) & 1) ? (f) : NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bytes_t b = {data, size, 0, {0}, 0};
  dmft_plugin_t plugin = {.abi_version = DMFT_PLUGIN_ABI_VERSION, .name = name(&b), .summary = "fuzzed"};
  const int counts[4] = {count(&b) % 4, count(&b) % 4, count(&b) % 4, count(&b) % 4};
  plugin.activation_count = counts[0], plugin.loss_count = counts[1];
  plugin.teacher_count = counts[2], plugin.regularizer_count = counts[3];
  dmft_activation_t *activations = counts[0] > 0 ? keep(&b, calloc((size_t)counts[0], sizeof *activations)) : NULL;
  for (int i = 0; activations && i < counts[0]; i++)
    activations[i] = (dmft_activation_t){.name = name(&b), .value = MAYBE(&b, one), .slope = MAYBE(&b, one),
                                         .curvature = MAYBE(&b, zero), .slope_is_continuous = 1};
  for (int i = 0; activations && i < counts[0]; i++) activations[i].params = params(&b, &activations[i].param_count);
  dmft_loss_t *losses = counts[1] > 0 ? keep(&b, calloc((size_t)counts[1], sizeof *losses)) : NULL;
  for (int i = 0; losses && i < counts[1]; i++) {
    losses[i] = (dmft_loss_t){.name = name(&b), .value = MAYBE(&b, loss), .slope = MAYBE(&b, loss_slope),
                              .curvature = MAYBE(&b, loss_curvature), .slope_is_continuous = 1};
    losses[i].params = params(&b, &losses[i].param_count);
  }
  dmft_teacher_t *teachers = counts[2] > 0 ? keep(&b, calloc((size_t)counts[2], sizeof *teachers)) : NULL;
  for (int i = 0; teachers && i < counts[2]; i++) {
    teachers[i] = (dmft_teacher_t){.name = name(&b), .unit = MAYBE(&b, unit), .min_kstar = count(&b), .max_kstar = count(&b)};
    teachers[i].params = params(&b, &teachers[i].param_count);
  }
  dmft_regularizer_t *regularizers = counts[3] > 0 ? keep(&b, calloc((size_t)counts[3], sizeof *regularizers)) : NULL;
  for (int i = 0; regularizers && i < counts[3]; i++) {
    regularizers[i] = (dmft_regularizer_t){.name = name(&b), .value = MAYBE(&b, zero), .slope = MAYBE(&b, zero),
                                           .curvature = MAYBE(&b, zero)};
    regularizers[i].params = params(&b, &regularizers[i].param_count);
  }
  /* A table may be missing while its count is positive: that too must be refused, not read. */
  plugin.activations = (next(&b) % 8) ? activations : NULL;
  plugin.losses = losses, plugin.teachers = teachers, plugin.regularizers = regularizers;
  char problem[256];
  if (!dmft__plugin_descriptor_problem(&plugin, problem, sizeof problem)) {
    dmft_problem_t defaults;
    dmft_problem_set_defaults(&defaults);
    dmft_model_t model = defaults.model;
    if (plugin.activation_count > 0) model.activation = &plugin.activations[0];
    if (plugin.loss_count > 0) model.loss = &plugin.losses[0];
    if (plugin.regularizer_count > 0) model.regularizer = &plugin.regularizers[0];
    dmft_model_reset_params(&model);
    char message[512];
    dmft_model_check_fields(&model, number(&b) > 0 ? 3.0 : 1.0, 1.0, message, sizeof message);
  }
  for (int i = 0; i < b.owned_count; i++) free(b.owned[i]);
  return 0;
}

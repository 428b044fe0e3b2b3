/* Which plugin function a code address belongs to, for the report of a plugin that crashes:
 * the object comes from dladdr, the function from the component entry nearest below the address
 * (a plugin's own helpers are then named by the entry they sit after, which is where a reader
 * would look). Called from a fatal-signal handler: it reads only what loading wrote. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "dmft/plugin.h"

typedef struct {
  uintptr_t best;
  const char *kind, *component, *function;
} nearest_t;

static void consider(nearest_t *nearest, uintptr_t address, const void *entry, const char *kind, const char *component,
                     const char *function) {
  const uintptr_t at = (uintptr_t)entry;
  if (!entry || at > address || at < nearest->best) return;
  *nearest = (nearest_t){at, kind, component, function};
}

#define CONSIDER(field, kind, item) consider(&nearest, address, *(const void **)&(item).field, kind, (item).name, #field)

static void nearest_entry(const dmft_plugin_t *plugin, uintptr_t address, nearest_t *out) {
  nearest_t nearest = {0, NULL, NULL, NULL};
  for (int i = 0; i < plugin->activation_count; i++) {
    CONSIDER(value, "activation", plugin->activations[i]);
    CONSIDER(slope, "activation", plugin->activations[i]);
    CONSIDER(curvature, "activation", plugin->activations[i]);
  }
  for (int i = 0; i < plugin->loss_count; i++) {
    CONSIDER(value, "loss", plugin->losses[i]);
    CONSIDER(slope, "loss", plugin->losses[i]);
    CONSIDER(curvature, "loss", plugin->losses[i]);
    CONSIDER(test_metric, "loss", plugin->losses[i]);
  }
  for (int i = 0; i < plugin->teacher_count; i++) {
    CONSIDER(unit, "teacher", plugin->teachers[i]);
    CONSIDER(label, "teacher", plugin->teachers[i]);
  }
  for (int i = 0; i < plugin->regularizer_count; i++) {
    CONSIDER(value, "regularizer", plugin->regularizers[i]);
    CONSIDER(slope, "regularizer", plugin->regularizers[i]);
    CONSIDER(curvature, "regularizer", plugin->regularizers[i]);
  }
  *out = nearest;
}

int dmft_plugin_describe_address(const void *address, char *text, size_t size) {
  Dl_info info;
  if (!address || !dladdr(address, &info) || !info.dli_fname) return 0;
  const char *checked_path = NULL;
  const dmft_plugin_t *checked = dmft__plugin_being_checked(&checked_path);
  for (size_t p = 1; p <= dmft_plugin_count(); p++) {
    const dmft_plugin_t *plugin = p < dmft_plugin_count() ? dmft_plugin_at(p) : checked;
    const char *path = p < dmft_plugin_count() ? dmft_plugin_path(p) : checked_path;
    if (!plugin || strcmp(path, info.dli_fname) != 0) continue;
    nearest_t nearest;
    nearest_entry(plugin, (uintptr_t)address, &nearest);
    if (nearest.kind)
      snprintf(text, size, "plugin %s, in %s '%s' function %s%s%s", info.dli_fname, nearest.kind, nearest.component,
               nearest.function, info.dli_sname ? " near symbol " : "", info.dli_sname ? info.dli_sname : "");
    else
      snprintf(text, size, "plugin %s%s%s", info.dli_fname, info.dli_sname ? ", near symbol " : "",
               info.dli_sname ? info.dli_sname : "");
    return 1;
  }
  return 0;
}

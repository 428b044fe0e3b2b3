/* realpath */
#define _XOPEN_SOURCE 700
/* The registry of model components: the built-in plugin (index 0) and the plugins loaded with
 * dmft_plugin_load. Every lookup by name goes through here, so a loaded component is found
 * exactly like a built-in one.
 *
 * Loading happens before any solve, on the calling thread (the CLI loads plugins while parsing
 * its options); lookups afterwards only read. Plugins stay loaded until the process ends: the
 * components they provide are referenced by every problem that names them. */
#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "dmft/plugin.h"
#include "dmft/status.h"

#define MAX_PLUGINS 16

typedef struct {
  const dmft_plugin_t *plugin;
  char path[PATH_MAX];
} registered_t;

static dmft_plugin_t builtin_plugin;
static registered_t registered[MAX_PLUGINS];
static size_t registered_count;
/* The plugin whose conformance checks are running (its code runs before it is registered), so
 * that a crash there can be put down to it. */
static registered_t being_checked;

const dmft_plugin_t *dmft__plugin_being_checked(const char **path) {
  *path = being_checked.path;
  return being_checked.plugin;
}

static void ensure_builtin(void) {
  if (registered_count > 0) return;
  builtin_plugin = (dmft_plugin_t){
      .abi_version = DMFT_PLUGIN_ABI_VERSION,
      .name = "built-in",
      .summary = "the models dmft ships with",
      .activations = dmft__builtin_activations,
      .activation_count = dmft__builtin_activation_count,
      .losses = dmft__builtin_losses,
      .loss_count = dmft__builtin_loss_count,
      .teachers = dmft__builtin_teachers,
      .teacher_count = dmft__builtin_teacher_count,
      .regularizers = dmft__builtin_regularizers,
      .regularizer_count = dmft__builtin_regularizer_count,
  };
  registered[0].plugin = &builtin_plugin;
  snprintf(registered[0].path, sizeof registered[0].path, "built-in");
  registered_count = 1;
}

size_t dmft_plugin_count(void) {
  ensure_builtin();
  return registered_count;
}

const dmft_plugin_t *dmft_plugin_at(size_t index) {
  ensure_builtin();
  return index < registered_count ? registered[index].plugin : NULL;
}

const char *dmft_plugin_path(size_t index) {
  ensure_builtin();
  return index < registered_count ? registered[index].path : NULL;
}

/* One accessor per kind of component over all plugins, in registration order. */
#define DMFT_COMPONENT_LOOKUP(type, kind, array, count_field)                                       \
  size_t dmft_##kind##_count(void) {                                                                \
    ensure_builtin();                                                                               \
    size_t total = 0;                                                                               \
    for (size_t i = 0; i < registered_count; i++) total += (size_t)registered[i].plugin->count_field; \
    return total;                                                                                   \
  }                                                                                                 \
  const type *dmft_##kind##_at(size_t index) {                                                      \
    ensure_builtin();                                                                               \
    for (size_t i = 0; i < registered_count; i++) {                                                 \
      const size_t count = (size_t)registered[i].plugin->count_field;                               \
      if (index < count) return &registered[i].plugin->array[index];                                \
      index -= count;                                                                               \
    }                                                                                               \
    return NULL;                                                                                    \
  }                                                                                                 \
  const type *dmft_##kind##_find(const char *name) {                                                \
    for (size_t i = 0; i < dmft_##kind##_count(); i++)                                              \
      if (strcmp(dmft_##kind##_at(i)->name, name) == 0) return dmft_##kind##_at(i);                 \
    return NULL;                                                                                    \
  }

DMFT_COMPONENT_LOOKUP(dmft_activation_t, activation, activations, activation_count)
DMFT_COMPONENT_LOOKUP(dmft_loss_t, loss, losses, loss_count)
DMFT_COMPONENT_LOOKUP(dmft_teacher_t, teacher, teachers, teacher_count)
DMFT_COMPONENT_LOOKUP(dmft_regularizer_t, regularizer, regularizers, regularizer_count)

static int valid_name(const char *name) {
  if (!name || !name[0] || strlen(name) > 40) return 0;
  for (const char *c = name; *c; c++)
    if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_' || *c == '.')) return 0;
  return 1;
}

/* Checks the parameters a component declares; returns a phrase, or NULL if they are fine. */
static const char *params_problem(const dmft_model_param_t *params, int count) {
  if (count < 0 || count > DMFT_MAX_PARAMS) return "declares a parameter count outside 0..8";
  if (count > 0 && !params) return "declares parameters but gives no table";
  for (int i = 0; i < count; i++) {
    if (!valid_name(params[i].name)) return "has a parameter without a valid name (letters, digits, - _ .)";
    if (!(params[i].min_value <= params[i].default_value && params[i].default_value <= params[i].max_value))
      return "has a parameter whose default is outside its range";
    for (int j = 0; j < i; j++)
      if (strcmp(params[i].name, params[j].name) == 0) return "declares the same parameter twice";
  }
  return NULL;
}

static int activation_known(const char *name) { return dmft_activation_find(name) != NULL; }
static int loss_known(const char *name) { return dmft_loss_find(name) != NULL; }
static int teacher_known(const char *name) { return dmft_teacher_find(name) != NULL; }
static int regularizer_known(const char *name) { return dmft_regularizer_find(name) != NULL; }

/* The first name in a table of components (each struct starts with its name) that is already
 * registered or appears twice in the table; NULL if none. */
static const char *clashing_name(const void *table, size_t stride, int count, int (*known)(const char *)) {
  for (int i = 0; i < count; i++) {
    const char *name = *(const char *const *)((const char *)table + (size_t)i * stride);
    if (known(name)) return name;
    for (int j = 0; j < i; j++)
      if (strcmp(name, *(const char *const *)((const char *)table + (size_t)j * stride)) == 0) return name;
  }
  return NULL;
}

/* Structure of a descriptor: names, functions, tables. Writes a phrase naming the component. */
int dmft__plugin_descriptor_problem(const dmft_plugin_t *plugin, char *problem, size_t size) {
#define REFUSE(...)                         \
  do {                                      \
    snprintf(problem, size, __VA_ARGS__);   \
    return 1;                               \
  } while (0)
  if (!valid_name(plugin->name)) REFUSE("its name is missing or not made of letters, digits, - _ .");
  if (plugin->activation_count < 0 || plugin->loss_count < 0 || plugin->teacher_count < 0 || plugin->regularizer_count < 0)
    REFUSE("a component count is negative");
  if ((plugin->activation_count > 0 && !plugin->activations) || (plugin->loss_count > 0 && !plugin->losses) ||
      (plugin->teacher_count > 0 && !plugin->teachers) || (plugin->regularizer_count > 0 && !plugin->regularizers))
    REFUSE("a component count is positive but its table is missing");
  if (plugin->activation_count + plugin->loss_count + plugin->teacher_count + plugin->regularizer_count == 0)
    REFUSE("it provides no component");
  const char *params;
  for (int i = 0; i < plugin->activation_count; i++) {
    const dmft_activation_t *a = &plugin->activations[i];
    if (!valid_name(a->name)) REFUSE("activation %d has no valid name", i);
    if (!a->value || !a->slope || !a->curvature) REFUSE("activation '%s' lacks its value, slope or curvature", a->name);
    if ((params = params_problem(a->params, a->param_count))) REFUSE("activation '%s' %s", a->name, params);
  }
  for (int i = 0; i < plugin->loss_count; i++) {
    const dmft_loss_t *l = &plugin->losses[i];
    if (!valid_name(l->name)) REFUSE("loss %d has no valid name", i);
    if (!l->value || !l->slope || !l->curvature) REFUSE("loss '%s' lacks its value, slope or curvature", l->name);
    if ((params = params_problem(l->params, l->param_count))) REFUSE("loss '%s' %s", l->name, params);
  }
  for (int i = 0; i < plugin->teacher_count; i++) {
    const dmft_teacher_t *t = &plugin->teachers[i];
    if (!valid_name(t->name)) REFUSE("teacher %d has no valid name", i);
    if (t->is_sign) REFUSE("teacher '%s' sets is_sign, which only the built-in sign teacher may", t->name);
    if (!t->unit == !t->label) REFUSE("teacher '%s' must give exactly one of unit and label", t->name);
    if (t->min_kstar < 0 || t->max_kstar < 0 || (t->max_kstar > 0 && t->max_kstar < t->min_kstar))
      REFUSE("teacher '%s' declares widths min_kstar %d, max_kstar %d that admit none", t->name, t->min_kstar, t->max_kstar);
    if ((params = params_problem(t->params, t->param_count))) REFUSE("teacher '%s' %s", t->name, params);
  }
  for (int i = 0; i < plugin->regularizer_count; i++) {
    const dmft_regularizer_t *r = &plugin->regularizers[i];
    if (!valid_name(r->name)) REFUSE("regularizer %d has no valid name", i);
    if (!r->value || !r->slope || !r->curvature) REFUSE("regularizer '%s' lacks its value, slope or curvature", r->name);
    if ((params = params_problem(r->params, r->param_count))) REFUSE("regularizer '%s' %s", r->name, params);
  }
  /* Names must not collide with a registered component of the same kind, nor inside the plugin. */
  const char *clash;
  if ((clash = clashing_name(plugin->activations, sizeof(dmft_activation_t), plugin->activation_count, activation_known)))
    REFUSE("activation '%s' is already registered or appears twice", clash);
  if ((clash = clashing_name(plugin->losses, sizeof(dmft_loss_t), plugin->loss_count, loss_known)))
    REFUSE("loss '%s' is already registered or appears twice", clash);
  if ((clash = clashing_name(plugin->teachers, sizeof(dmft_teacher_t), plugin->teacher_count, teacher_known)))
    REFUSE("teacher '%s' is already registered or appears twice", clash);
  if ((clash = clashing_name(plugin->regularizers, sizeof(dmft_regularizer_t), plugin->regularizer_count, regularizer_known)))
    REFUSE("regularizer '%s' is already registered or appears twice", clash);
  return 0;
#undef REFUSE
}

int dmft_plugin_open(const char *path, const dmft_plugin_t **descriptor, char *message, size_t size) {
  ensure_builtin();
  char resolved[PATH_MAX];
  if (!realpath(path, resolved)) {
    snprintf(message, size, "--plugin %s: no such file", path);
    return DMFT_EINVAL;
  }
  /* dlopen searches the library path for a bare name: give it the resolved file. */
  void *handle = dlopen(resolved, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    snprintf(message, size, "--plugin %s: cannot load it: %s", path, why ? why : "unknown reason");
    return DMFT_EINVAL;
  }
  dmft_plugin_entry_t entry;
  *(void **)&entry = dlsym(handle, DMFT_PLUGIN_ENTRY_SYMBOL);
  if (!entry) {
    snprintf(message, size, "--plugin %s: it exports no function %s (see docs/plugins.md)", path, DMFT_PLUGIN_ENTRY_SYMBOL);
    dlclose(handle);
    return DMFT_EINVAL;
  }
  const dmft_plugin_t *plugin = entry();
  if (!plugin) {
    snprintf(message, size, "--plugin %s: %s returned no descriptor", path, DMFT_PLUGIN_ENTRY_SYMBOL);
    dlclose(handle);
    return DMFT_EINVAL;
  }
  if (plugin->abi_version != DMFT_PLUGIN_ABI_VERSION) {
    snprintf(message, size,
             "--plugin %s: built for plugin ABI version %d, this dmft has version %d: rebuild it against this dmft's "
             "include/dmft/plugin.h",
             path, plugin->abi_version, DMFT_PLUGIN_ABI_VERSION);
    dlclose(handle);
    return DMFT_EINVAL;
  }
  char problem[256];
  if (dmft__plugin_descriptor_problem(plugin, problem, sizeof problem)) {
    snprintf(message, size, "--plugin %s: plugin '%s': %s", path, plugin->name ? plugin->name : "(unnamed)", problem);
    dlclose(handle);
    return DMFT_EINVAL;
  }
  *descriptor = plugin; /* the handle stays open for the life of the process */
  return DMFT_OK;
}

int dmft_plugin_load(const char *path, char *message, size_t size) {
  ensure_builtin();
  char resolved[PATH_MAX];
  if (realpath(path, resolved))
    for (size_t i = 1; i < registered_count; i++)
      if (strcmp(registered[i].path, resolved) == 0) return DMFT_OK;
  if (registered_count == MAX_PLUGINS) {
    snprintf(message, size, "--plugin %s: at most %d plugins can be loaded", path, MAX_PLUGINS - 1);
    return DMFT_EINVAL;
  }
  const dmft_plugin_t *plugin = NULL;
  const int status = dmft_plugin_open(path, &plugin, message, size);
  if (status != DMFT_OK) return status;
  char first_failure[256];
  being_checked.plugin = plugin;
  snprintf(being_checked.path, sizeof being_checked.path, "%s", resolved);
  const int failures = dmft__plugin_check_first_failure(plugin, first_failure, sizeof first_failure);
  being_checked.plugin = NULL;
  if (failures > 0) {
    snprintf(message, size, "--plugin %s: plugin '%s' fails %d conformance check%s, first: %s (run dmft check-plugin %s)",
             path, plugin->name, failures, failures > 1 ? "s" : "", first_failure, path);
    return DMFT_EINVAL;
  }
  registered[registered_count].plugin = plugin;
  snprintf(registered[registered_count].path, sizeof registered[registered_count].path, "%s", resolved);
  registered_count++;
  return DMFT_OK;
}

/* The plugin ABI: new activations, losses, teachers and regularizers in a shared object,
 * loaded with --plugin path/to/model.so, without recompiling dmft.
 *
 * A plugin exports one function, `dmft_plugin_entry`, returning a static descriptor that
 * lists its components. The components are the same structures the built-in models use
 * (dmft/model.h): the built-ins are registered through a descriptor of this very type, so
 * a plugin's loss goes through exactly the code a built-in loss goes through.
 *
 * Rules a plugin must follow (dmft checks what it can when loading, and refuses the plugin
 * with a message naming it and the problem, never by crashing):
 *   - abi_version is DMFT_PLUGIN_ABI_VERSION of the header it was compiled against;
 *   - names are unique, across the built-ins and every loaded plugin;
 *   - every function of a component is given, except that a teacher gives `unit` or `label`;
 *   - functions are pure (no state, no I/O), thread-safe, and finite on finite arguments;
 *     derivatives match their values (checked by finite differences: `dmft check-plugin`);
 *   - a slope that jumps (like ReLU's) is declared with slope_is_continuous = 0.
 * See docs/plugins.md for a worked example and examples/plugins/template.c to start from. */
#ifndef DMFT_PLUGIN_H
#define DMFT_PLUGIN_H

#include "dmft/model.h"

/* Raised whenever a structure a plugin fills changes layout or meaning. */
#define DMFT_PLUGIN_ABI_VERSION 1

typedef struct dmft_plugin {
  int abi_version; /* DMFT_PLUGIN_ABI_VERSION */
  const char *name;
  const char *summary;
  const dmft_activation_t *activations;
  int activation_count;
  const dmft_loss_t *losses;
  int loss_count;
  const dmft_teacher_t *teachers;
  int teacher_count;
  const dmft_regularizer_t *regularizers;
  int regularizer_count;
} dmft_plugin_t;

/* The symbol dmft looks up in a plugin. */
#define DMFT_PLUGIN_ENTRY_SYMBOL "dmft_plugin_entry"
typedef const dmft_plugin_t *(*dmft_plugin_entry_t)(void);

/* Loads a plugin, checks it (ABI version, complete and unique components, and the
 * conformance checks of dmft_plugin_check), and registers its components. DMFT_OK, or
 * DMFT_EINVAL with a one-line message naming the file and what is wrong; nothing is registered
 * then. Loading the same file twice is a no-op. */
int dmft_plugin_load(const char *path, char *message, size_t size);

/* Opens a plugin and checks its ABI version and the structure of its descriptor (names,
 * functions, parameter tables, no name already registered), without the conformance checks and
 * without registering it: what `dmft check-plugin` inspects. DMFT_OK, or DMFT_EINVAL with a
 * one-line message naming the file. */
int dmft_plugin_open(const char *path, const dmft_plugin_t **descriptor, char *message, size_t size);

/* The registered plugins: index 0 is the built-in one. */
size_t dmft_plugin_count(void);
const dmft_plugin_t *dmft_plugin_at(size_t index);
const char *dmft_plugin_path(size_t index); /* "built-in" for index 0 */

/* Whether a code address lies in a loaded plugin; if so, 1 and a phrase naming the file and the
 * component function nearest below it ("plugin /x/y.so, in loss 'cauchy' function slope"), for
 * reporting a crash in plugin code. 0 otherwise. */
int dmft_plugin_describe_address(const void *address, char *text, size_t size);

/* The conformance checks, on one descriptor: complete components, finite values on a grid,
 * first and second derivatives against finite differences, declared properties (linear,
 * quadratic, zero) that hold. Calls `report` once per check with its outcome and a one-line
 * description (the failed ones say where); returns the number of failures. */
typedef void (*dmft_check_report_t)(void *user, int passed, const char *description);
int dmft_plugin_check(const dmft_plugin_t *plugin, dmft_check_report_t report, void *user);

#endif

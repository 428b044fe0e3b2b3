/* The built-in components, gathered into the built-in plugin descriptor by models/registry.c,
 * and what the registry shares with the rest of models/. */
#ifndef DMFT_MODELS_BUILTIN_H
#define DMFT_MODELS_BUILTIN_H

#include <stddef.h>

#include "dmft/model.h"
#include "dmft/plugin.h"

extern const dmft_activation_t dmft__builtin_activations[];
extern const int dmft__builtin_activation_count;
extern const dmft_loss_t dmft__builtin_losses[];
extern const int dmft__builtin_loss_count;
extern const dmft_teacher_t dmft__builtin_teachers[];
extern const int dmft__builtin_teacher_count;
extern const dmft_regularizer_t dmft__builtin_regularizers[];
extern const int dmft__builtin_regularizer_count;

/* The plugin whose load-time checks are running, or NULL (models/registry.c): its code runs
 * before it is registered, and a crash there must still be put down to it. */
const dmft_plugin_t *dmft__plugin_being_checked(const char **path);

/* Whether a descriptor is well formed (names, functions, parameter tables, no clash with a
 * registered name): 1 with a phrase naming the component, else 0. What dmft_plugin_open checks
 * after loading, and what tests/fuzz/fuzz_plugin_descriptor.c exercises. */
int dmft__plugin_descriptor_problem(const dmft_plugin_t *plugin, char *problem, size_t size);

/* dmft_plugin_check, counting the failures and keeping the first one's description
 * (models/conformance.c). */
int dmft__plugin_check_first_failure(const dmft_plugin_t *plugin, char *first_failure, size_t size);

#endif

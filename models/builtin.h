/* The built-in components, gathered into the built-in plugin descriptor by models/registry.c. */
#ifndef DMFT_MODELS_BUILTIN_H
#define DMFT_MODELS_BUILTIN_H

#include <stddef.h>

#include "dmft/model.h"

extern const dmft_activation_t dmft__builtin_activations[];
extern const int dmft__builtin_activation_count;
extern const dmft_loss_t dmft__builtin_losses[];
extern const int dmft__builtin_loss_count;
extern const dmft_teacher_t dmft__builtin_teachers[];
extern const int dmft__builtin_teacher_count;
extern const dmft_regularizer_t dmft__builtin_regularizers[];
extern const int dmft__builtin_regularizer_count;

#endif

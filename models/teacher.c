/* Teachers: the map from the teacher's pre-activations w* to a label. */
#include <math.h>
#include <string.h>

#include "dmft/model.h"

static double identity(double w) { return w; }
static double hyperbolic_tangent(double w) { return tanh(w); }
static double rectifier(double w) { return w > 0 ? w : 0.0; }

static const dmft_teacher_t teachers[] = {
    {"linear", "y = mean_a w*_a + s eps", identity, 0},
    {"tanh", "y = mean_a tanh(w*_a) + s eps", hyperbolic_tangent, 0},
    {"relu", "y = mean_a max(w*_a, 0) + s eps", rectifier, 0},
    {"sign", "y = sign(sum_a w*_a + s eps), flipped with probability --flip-prob", NULL, 1},
};

size_t dmft_teacher_count(void) { return sizeof teachers / sizeof teachers[0]; }

const dmft_teacher_t *dmft_teacher_at(size_t index) {
  return index < dmft_teacher_count() ? &teachers[index] : NULL;
}

const dmft_teacher_t *dmft_teacher_find(const char *name) {
  for (size_t i = 0; i < dmft_teacher_count(); i++)
    if (strcmp(teachers[i].name, name) == 0) return &teachers[i];
  return NULL;
}

/* Built-in teachers: the map from the teacher's pre-activations w* to a label. */
#include <math.h>

#include "builtin.h"

static double identity(double w, const double *params) { (void)params; return w; }
static double hyperbolic_tangent(double w, const double *params) { (void)params; return tanh(w); }
static double rectifier(double w, const double *params) { (void)params; return w > 0 ? w : 0.0; }

const dmft_teacher_t dmft__builtin_teachers[] = {
    {"linear", "y = mean_a w*_a + s eps", identity, NULL, 0, 0, 0, NULL, 0},
    {"tanh", "y = mean_a tanh(w*_a) + s eps", hyperbolic_tangent, NULL, 0, 0, 0, NULL, 0},
    {"relu", "y = mean_a max(w*_a, 0) + s eps", rectifier, NULL, 0, 0, 0, NULL, 0},
    {"sign", "y = sign(sum_a w*_a + s eps), flipped with probability --flip-prob", NULL, NULL, 0, 0, 1, NULL, 0},
};
const int dmft__builtin_teacher_count = sizeof dmft__builtin_teachers / sizeof dmft__builtin_teachers[0];

/* What one step's increment dz does to a sample: the kick dG = h grad l dz and its derivative
 * D = d dG / d xi.
 *
 * For a point process, the dz jumps of one step are applied one after another, each seeing
 * the field the previous one left (R = I between them, as in continuous time where jumps never
 * coincide). Taking dz copies of one gradient instead makes the step error several times
 * larger (equations.md §3). Then dG = xi - xi_after and D = I - prod_j (I - h H_j). With
 * momentum a jump reaches the field at the next draw by carry = 1 - beta of its kick (the
 * R(k+1, k) of the parameter side): field_{j+1} = field_j - carry h grad_j, and
 * D = (I - prod_j (I - carry h H_j)) / carry. Without momentum carry is 1, to the bit. */
#ifndef DMFT_SAMPLE_KICK_H
#define DMFT_SAMPLE_KICK_H

#include "dmft/model.h"

/* Doubles of workspace dmft__sample_kick needs for student width k. */
static inline int dmft__sample_kick_work_size(int k) { return 2 * k + 3 * k * k; }

void dmft__sample_kick(const dmft_model_t *model, double h, double carry, const double *xi, double y, double dz,
                       int is_jump_count, double *dG, double *D, double *work);

#endif

/* The chosen model at the user's parameters, over the fields a run will visit: every value,
 * slope and curvature must be finite there. The load-time conformance checks (conformance.c)
 * run at the default parameters on [-4, 4]; a --model-param value or a wide prior can take a
 * component where it was never evaluated, and a loss that returns NaN there would otherwise
 * surface as "the dynamics diverged". Here it is named, with the point, before any work. */
#include <math.h>
#include <stdio.h>

#include "dmft/model.h"
#include "dmft/status.h"

/* Points per axis; the grid runs over +-SPAN standard deviations of the initial fields. */
#define GRID 41
#define SPAN 8.0

static int bad(double value) { return !isfinite(value); }

int dmft_model_check_fields(const dmft_model_t *model, double field_sd, double teacher_sd, char *message, size_t size) {
  const double reach = SPAN * (field_sd > 1.0 ? field_sd : 1.0), teacher_reach = SPAN * (teacher_sd > 1.0 ? teacher_sd : 1.0);
  const dmft_activation_t *a = model->activation;
  const dmft_regularizer_t *r = model->regularizer;
  const dmft_loss_t *l = model->loss;
  for (int i = 0; i < GRID; i++) {
    const double x = -reach + 2.0 * reach * i / (GRID - 1) + 1e-3; /* off the kinks at 0 */
    const double *p = model->activation_params;
    if (bad(a->value(x, p)) || bad(a->slope(x, p)) || bad(a->curvature(x, p))) {
      snprintf(message, size, "--activation %s is not finite at %g (value, slope or curvature) with its --model-param values; "
               "the run's fields reach +-%g", a->name, x, reach);
      return DMFT_EINVAL;
    }
    p = model->regularizer_params;
    if (bad(r->value(x, p)) || bad(r->slope(x, p)) || bad(r->curvature(x, p))) {
      snprintf(message, size, "--regularizer %s is not finite at %g with its --model-param values", r->name, x);
      return DMFT_EINVAL;
    }
  }
  /* Labels from teacher fields across their range (the same field on every unit) and the noise
   * at +-4; predictions over the student's range. */
  double wstar[DMFT_MAX_WIDTH], xi[DMFT_MAX_WIDTH];
  for (int j = 0; j < GRID; j++) {
    for (int b = 0; b < model->kstar; b++) wstar[b] = -teacher_reach + 2.0 * teacher_reach * j / (GRID - 1) + 1e-3;
    for (int noise = -1; noise <= 1; noise++) {
      const double y = dmft_model_label(model, wstar, 4.0 * noise, 0.5);
      if (bad(y)) {
        snprintf(message, size, "--teacher %s gives a label that is not finite at w* = %g with its --model-param values",
                 model->teacher->name, wstar[0]);
        return DMFT_EINVAL;
      }
      for (int i = 0; i < GRID; i++) {
        for (int b = 0; b < model->k; b++) xi[b] = -reach + 2.0 * reach * i / (GRID - 1) + 1e-3;
        const double f = dmft_model_prediction(model, xi), *p = model->loss_params;
        if (bad(f)) {
          snprintf(message, size, "--activation %s gives a prediction that is not finite at field %g", a->name, xi[0]);
          return DMFT_EINVAL;
        }
        if (bad(l->value(f, y, p)) || bad(l->slope(f, y, p)) || bad(l->curvature(f, y, p))) {
          snprintf(message, size, "--loss %s is not finite (value, slope or curvature) at prediction %g, label %g with its "
                   "--model-param values: a loss must be finite wherever the run's fields go", l->name, f, y);
          return DMFT_EINVAL;
        }
      }
    }
  }
  return DMFT_OK;
}

/* Schedules: a learning rate etabar(t) or a batch rate kappabar(t) that changes with time.
 *
 * A schedule is a shape applied to the option's own value (--eta, --kappa), the base:
 *   constant  the base throughout;
 *   cosine    from the base at the end of the warmup to `final` at tmax, as
 *             final + (base - final) (1 + cos(pi x)) / 2;
 *   linear    the same, as base + (final - base) x;
 *   file      piecewise linear through the (time, value) points of a file, which must cover
 *             [0, tmax]; the base is ignored;
 * with x = (t - warmup) / (tmax - warmup), clamped to [0, 1]. A warmup (the learning rate's
 * only) rises linearly from 0 at t = 0 to the base at t = warmup, before any of them. In the
 * discrete system the step-k coefficients are the schedules at t_k = k dt (equations.md §5). */
#ifndef DMFT_SCHEDULE_H
#define DMFT_SCHEDULE_H

#include <stddef.h>

typedef enum { DMFT_SCHEDULE_CONSTANT = 0, DMFT_SCHEDULE_COSINE, DMFT_SCHEDULE_LINEAR, DMFT_SCHEDULE_FILE } dmft_schedule_kind_t;

/* The points a schedule file may hold. */
#define DMFT_SCHEDULE_MAX_POINTS 1024

typedef struct {
  dmft_schedule_kind_t kind;
  double final;  /* cosine, linear: the value at tmax */
  double warmup; /* the linear rise from 0 over [0, warmup] (0: none) */
  int points;    /* file: how many (time, value) points, times increasing */
  double times[DMFT_SCHEDULE_MAX_POINTS], values[DMFT_SCHEDULE_MAX_POINTS];
} dmft_schedule_t;

/* NULL for an unknown name. */
const char *dmft_schedule_name(dmft_schedule_kind_t kind);
int dmft_schedule_find(const char *name, dmft_schedule_kind_t *kind); /* 0, or -1 */
/* Whether the schedule is the base at every time (constant without a warmup). */
int dmft_schedule_is_constant(const dmft_schedule_t *schedule);
/* The value at time t of a run to tmax, for the base value `base`. */
double dmft_schedule_at(const dmft_schedule_t *schedule, double base, double t, double tmax);
/* Its integral from 0 to t (the epochs, for the batch rate). */
double dmft_schedule_integral(const dmft_schedule_t *schedule, double base, double t, double tmax);
/* Reads a file of "time value" lines (blank lines and lines starting with # ignored) into
 * schedule->times, values. DMFT_OK, or DMFT_EINVAL with a one-line message naming `option`, the
 * file and the line. The covering of [0, tmax] and the values' range are checked with the
 * problem. */
int dmft_schedule_read_file(dmft_schedule_t *schedule, const char *path, const char *option, char *message, size_t size);

#endif

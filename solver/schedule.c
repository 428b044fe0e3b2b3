/* Schedules (dmft/schedule.h). */
#define _POSIX_C_SOURCE 200809L
#include "dmft/schedule.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"
#include "number_pairs.h"

#define PI 3.14159265358979323846

static const char *const names[] = {"constant", "cosine", "linear", "file"};

const char *dmft_schedule_name(dmft_schedule_kind_t kind) {
  return kind >= DMFT_SCHEDULE_CONSTANT && kind <= DMFT_SCHEDULE_FILE ? names[kind] : NULL;
}

int dmft_schedule_find(const char *name, dmft_schedule_kind_t *kind) {
  for (int i = 0; i <= DMFT_SCHEDULE_FILE; i++)
    if (strcmp(name, names[i]) == 0) {
      *kind = (dmft_schedule_kind_t)i;
      return 0;
    }
  return -1;
}

int dmft_schedule_is_constant(const dmft_schedule_t *s) { return s->kind == DMFT_SCHEDULE_CONSTANT && s->warmup == 0; }

/* The file's piecewise-linear interpolant at t (constant beyond its ends). The simulator asks at
 * every one of its steps: the interval is found by bisection. */
static double interpolate(const dmft_schedule_t *s, double t) {
  if (s->points < 1) return NAN;
  if (t <= s->times[0]) return s->values[0];
  if (t >= s->times[s->points - 1]) return s->values[s->points - 1];
  int low = 0, high = s->points - 1; /* times[low] < t <= times[high] */
  while (high - low > 1) {
    const int middle = low + (high - low) / 2;
    if (s->times[middle] < t) low = middle;
    else high = middle;
  }
  const double w = (t - s->times[low]) / (s->times[high] - s->times[low]);
  return s->values[low] + w * (s->values[high] - s->values[low]);
}

double dmft_schedule_at(const dmft_schedule_t *s, double base, double t, double tmax) {
  if (s->kind == DMFT_SCHEDULE_FILE) return interpolate(s, t);
  if (s->warmup > 0 && t < s->warmup) return base * t / s->warmup;
  const double span = tmax - s->warmup;
  const double x = span > 0 ? fmin(fmax((t - s->warmup) / span, 0.0), 1.0) : 1.0;
  switch (s->kind) {
    case DMFT_SCHEDULE_COSINE: return s->final + (base - s->final) * (1.0 + cos(PI * x)) / 2.0;
    case DMFT_SCHEDULE_LINEAR: return base + (s->final - base) * x;
    default: return base;
  }
}

/* The integral of a linear function between a and b from its values there. */
static double trapezoid(double a, double b, double at_a, double at_b) { return (b - a) * (at_a + at_b) / 2.0; }

double dmft_schedule_integral(const dmft_schedule_t *s, double base, double t, double tmax) {
  if (t <= 0) return 0.0;
  if (s->kind == DMFT_SCHEDULE_CONSTANT && s->warmup == 0) return base * t;
  if (s->kind == DMFT_SCHEDULE_FILE) {
    /* Exact for the interpolant: trapezoids between the points, and the ends held constant. */
    double total = 0.0, from = 0.0;
    for (int i = 0; i < s->points && from < t; i++) {
      if (s->times[i] <= from) continue;
      const double to = fmin(s->times[i], t);
      total += trapezoid(from, to, interpolate(s, from), interpolate(s, to));
      from = to;
    }
    if (from < t) total += (t - from) * interpolate(s, from);
    return total;
  }
  /* The warmup and the linear shape are linear pieces; the cosine has a closed form. */
  double total = 0.0;
  const double rise = fmin(t, s->warmup);
  if (s->warmup > 0) total += trapezoid(0.0, rise, 0.0, dmft_schedule_at(s, base, rise, tmax));
  if (t <= s->warmup) return total;
  const double span = tmax - s->warmup, end = fmin(t, tmax);
  if (s->kind == DMFT_SCHEDULE_LINEAR || s->kind == DMFT_SCHEDULE_CONSTANT) {
    total += trapezoid(s->warmup, end, dmft_schedule_at(s, base, s->warmup, tmax), dmft_schedule_at(s, base, end, tmax));
  } else { /* cosine: final + (base - final)(1 + cos(pi x))/2 integrated over x, times span */
    const double x = span > 0 ? (end - s->warmup) / span : 1.0;
    total += span * (s->final * x + (base - s->final) * (x + sin(PI * x) / PI) / 2.0);
  }
  if (t > tmax) total += (t - tmax) * dmft_schedule_at(s, base, tmax, tmax);
  return total;
}

typedef struct {
  dmft_schedule_t *schedule;
  const char *option, *path;
} schedule_file_t;

static int add_point(void *user, double t, double v, int line, char *message, size_t size) {
  schedule_file_t *f = user;
  dmft_schedule_t *s = f->schedule;
  if (s->points == DMFT_SCHEDULE_MAX_POINTS) {
    snprintf(message, size, "%s %s: more than %d points", f->option, f->path, DMFT_SCHEDULE_MAX_POINTS);
    return 1;
  }
  if (s->points > 0 && !(t > s->times[s->points - 1])) {
    snprintf(message, size, "%s %s line %d: times must increase (%g after %g)", f->option, f->path, line, t, s->times[s->points - 1]);
    return 1;
  }
  s->times[s->points] = t;
  s->values[s->points] = v;
  s->points++;
  return 0;
}

int dmft_schedule_read_file(dmft_schedule_t *s, const char *path, const char *option, char *message, size_t size) {
  s->points = 0;
  schedule_file_t file = {s, option, path};
  int pairs;
  return dmft__read_number_pairs(path, option, "time value", add_point, &file, &pairs, message, size);
}

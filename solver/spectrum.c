#include "dmft/spectrum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"
#include "number_pairs.h"

static void normalize_weights(dmft_spectrum_t *s) {
  double total = 0.0;
  for (int j = 0; j < s->classes; j++) total += s->weight[j];
  for (int j = 0; j < s->classes; j++) s->weight[j] /= total;
}

typedef struct {
  dmft_spectrum_t *spectrum;
  const char *path;
} spectrum_file_t;

static int add_class(void *user, double eigenvalue, double weight, int line, char *message, size_t size) {
  spectrum_file_t *f = user;
  dmft_spectrum_t *s = f->spectrum;
  if (!(eigenvalue > 0) || !(weight > 0)) {
    snprintf(message, size, "--spectrum %s line %d: the eigenvalue and the weight must be > 0 (got %g %g)", f->path, line,
             eigenvalue, weight);
    return 1;
  }
  if (s->classes == DMFT_SPECTRUM_MAX_CLASSES) {
    snprintf(message, size, "--spectrum %s: more than %d classes", f->path, DMFT_SPECTRUM_MAX_CLASSES);
    return 1;
  }
  s->eigenvalue[s->classes] = eigenvalue;
  s->weight[s->classes] = weight;
  s->classes++;
  return 0;
}

int dmft_spectrum_read_file(dmft_spectrum_t *s, const char *path, char *message, size_t size) {
  s->classes = 0;
  spectrum_file_t file = {s, path};
  int pairs;
  if (dmft__read_number_pairs(path, "--spectrum", "eigenvalue weight", add_class, &file, &pairs, message, size) != DMFT_OK) {
    s->classes = 0;
    return DMFT_EINVAL;
  }
  normalize_weights(s);
  return dmft_spectrum_check(s, message, size);
}

void dmft_spectrum_power_law(dmft_spectrum_t *s, double exponent, int classes) {
  s->classes = classes;
  double total = 0.0;
  for (int j = 0; j < classes; j++) {
    s->eigenvalue[j] = pow((double)(j + 1), -exponent);
    s->weight[j] = 1.0 / classes;
    total += s->eigenvalue[j];
  }
  const double mean = total / classes;
  for (int j = 0; j < classes; j++) s->eigenvalue[j] /= mean;
}

void dmft_spectrum_two_level(dmft_spectrum_t *s, double low, double high, double fraction) {
  s->classes = 2;
  s->eigenvalue[0] = low;
  s->eigenvalue[1] = high;
  s->weight[0] = fraction;
  s->weight[1] = 1.0 - fraction;
}

double dmft_spectrum_mean(const dmft_spectrum_t *s) {
  if (s->classes == 0) return 1.0;
  double mean = 0.0;
  for (int j = 0; j < s->classes; j++) mean += s->weight[j] * s->eigenvalue[j];
  return mean;
}

double dmft_spectrum_largest(const dmft_spectrum_t *s) {
  if (s->classes == 0) return 1.0;
  double largest = 0.0;
  for (int j = 0; j < s->classes; j++) largest = fmax(largest, s->eigenvalue[j]);
  return largest;
}

int dmft_spectrum_check(const dmft_spectrum_t *s, char *message, size_t size) {
  if (s->classes < 0 || s->classes > DMFT_SPECTRUM_MAX_CLASSES) {
    snprintf(message, size, "--spectrum: between 1 and %d classes (got %d)", DMFT_SPECTRUM_MAX_CLASSES, s->classes);
    return DMFT_EINVAL;
  }
  double total = 0.0;
  for (int j = 0; j < s->classes; j++) {
    if (!(s->eigenvalue[j] > 0) || !isfinite(s->eigenvalue[j])) {
      snprintf(message, size, "--spectrum: eigenvalues must be finite and > 0 (class %d has %g)", j + 1, s->eigenvalue[j]);
      return DMFT_EINVAL;
    }
    if (!(s->weight[j] > 0) || !isfinite(s->weight[j])) {
      snprintf(message, size, "--spectrum: weights must be finite and > 0 (class %d has %g)", j + 1, s->weight[j]);
      return DMFT_EINVAL;
    }
    total += s->weight[j];
  }
  if (s->classes > 0 && !(fabs(total - 1.0) <= 1e-12)) {
    snprintf(message, size, "--spectrum: the weights must sum to 1 (got %.17g)", total);
    return DMFT_EINVAL;
  }
  return DMFT_OK;
}

void dmft_spectrum_columns(const dmft_spectrum_t *s, long d, long *columns) {
  long given = 0;
  for (int j = 0; j < s->classes; j++) {
    columns[j] = (long)floor(s->weight[j] * (double)d);
    given += columns[j];
  }
  /* The columns left go to the largest remainders, the first class winning a tie. */
  while (given < d) {
    int best = 0;
    double best_remainder = -1.0;
    for (int j = 0; j < s->classes; j++) {
      const double remainder = s->weight[j] * (double)d - (double)columns[j];
      if (remainder > best_remainder) best = j, best_remainder = remainder;
    }
    columns[best]++;
    given++;
  }
}

void dmft_spectrum_realized(const dmft_spectrum_t *s, long d, dmft_spectrum_t *realized) {
  long columns[DMFT_SPECTRUM_MAX_CLASSES];
  realized->classes = 0;
  dmft_spectrum_columns(s, d, columns);
  for (int j = 0; j < s->classes; j++)
    if (columns[j] > 0) {
      realized->eigenvalue[realized->classes] = s->eigenvalue[j];
      realized->weight[realized->classes] = (double)columns[j] / (double)d;
      realized->classes++;
    }
}

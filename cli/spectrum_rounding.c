#include "spectrum_rounding.h"

#include <math.h>
#include <stdio.h>

void cli_spectrum_rounding(const dmft_problem_t *problem, long d, char *text, size_t size) {
  const dmft_spectrum_t *spectrum = &problem->spectrum;
  text[0] = '\0';
  if (spectrum->classes == 0) return;
  long columns[DMFT_SPECTRUM_MAX_CLASSES];
  dmft_spectrum_columns(spectrum, d, columns);
  double largest = 0.0;
  for (int c = 0; c < spectrum->classes; c++) largest = fmax(largest, fabs((double)columns[c] / (double)d - spectrum->weight[c]));
  size_t used = (size_t)snprintf(text, size, "spectrum on d = %ld coordinates: columns", d);
  for (int c = 0; c < spectrum->classes && used < size; c++) {
    if (c == 8 && spectrum->classes > 9) {
      used += (size_t)snprintf(text + used, size - used, " ... %ld", columns[spectrum->classes - 1]);
      break;
    }
    used += (size_t)snprintf(text + used, size - used, "%s %ld", c ? "," : "", columns[c]);
  }
  if (used < size)
    snprintf(text + used, size - used, largest > 1e-12 ? " (weights rounded to whole columns, by %.2g at most)" : " (weights exact)",
             largest);
}

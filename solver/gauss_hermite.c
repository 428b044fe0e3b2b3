#include "gauss_hermite.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>

#include "dmft/status.h"

int dmft__gauss_hermite(int n, double *nodes, double *weights) {
  double *off_diagonal = malloc(sizeof(double) * (size_t)(n > 1 ? n - 1 : 1));
  double *vectors = malloc(sizeof(double) * (size_t)n * (size_t)n);
  if (!off_diagonal || !vectors) {
    free(off_diagonal);
    free(vectors);
    return DMFT_ENOMEM;
  }
  for (int i = 0; i < n; i++) nodes[i] = 0.0;
  for (int i = 1; i < n; i++) off_diagonal[i - 1] = sqrt((double)i);
  const lapack_int info = LAPACKE_dstev(LAPACK_COL_MAJOR, 'V', n, nodes, off_diagonal, vectors, n);
  if (info == 0)
    for (int i = 0; i < n; i++) weights[i] = vectors[(size_t)i * (size_t)n] * vectors[(size_t)i * (size_t)n];
  free(off_diagonal);
  free(vectors);
  return info == 0 ? DMFT_OK : DMFT_EINVAL;
}

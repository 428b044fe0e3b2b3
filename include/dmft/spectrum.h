/* Covariance spectra: inputs x ~ N(0, Sigma / d) whose covariance has eigenvalue lambda_j on a
 * fraction nu_j of the d coordinates (a "class"), E_j[f_j] = sum_j nu_j f_j (equations in
 * docs/spectra.md). No classes (classes == 0) is isotropic data, Sigma = I: the solver then runs
 * exactly the code it always ran.
 *
 * The eigenvalues are taken as given, not rescaled, with one exception: the named power law is
 * normalized to mean 1, so that its inputs have the isotropic |x|^2 ≈ 1 and its learning curves
 * can be set beside the isotropic ones at equal signal strength. A spectrum of mean m differs from
 * the isotropic one by more than a scale, but it does set the teacher field's variance to
 * m teacher_var. */
#ifndef DMFT_SPECTRUM_H
#define DMFT_SPECTRUM_H

#include <stddef.h>

/* The classes a spectrum may have (a file's lines). */
#define DMFT_SPECTRUM_MAX_CLASSES 1024

typedef struct {
  int classes; /* 0: isotropic */
  double eigenvalue[DMFT_SPECTRUM_MAX_CLASSES];
  double weight[DMFT_SPECTRUM_MAX_CLASSES]; /* nu_j: fractions of the coordinates, summing to 1 */
} dmft_spectrum_t;

/* A file of "eigenvalue weight" lines (blank lines and lines starting with # ignored); the
 * weights are divided by their sum. DMFT_OK, or DMFT_EINVAL with a one-line message naming
 * --spectrum, the file and the line. */
int dmft_spectrum_read_file(dmft_spectrum_t *spectrum, const char *path, char *message, size_t size);
/* lambda_j proportional to j^-exponent, j = 1..classes, equal weights, normalized to mean 1. */
void dmft_spectrum_power_law(dmft_spectrum_t *spectrum, double exponent, int classes);
/* low on a fraction `fraction` of the coordinates, high on the rest. */
void dmft_spectrum_two_level(dmft_spectrum_t *spectrum, double low, double high, double fraction);
/* E_j[lambda_j] (1 for isotropic data). */
double dmft_spectrum_mean(const dmft_spectrum_t *spectrum);
/* The largest eigenvalue (1 for isotropic data). */
double dmft_spectrum_largest(const dmft_spectrum_t *spectrum);
/* Eigenvalues finite and > 0, weights finite, > 0 and summing to 1: DMFT_OK or DMFT_EINVAL. */
int dmft_spectrum_check(const dmft_spectrum_t *spectrum, char *message, size_t size);
/* The columns of a d-coordinate simulation per class: round(nu_j d) by largest remainders, so
 * they sum to d; a class may get none when d nu_j < 1/2. */
void dmft_spectrum_columns(const dmft_spectrum_t *spectrum, long d, long *columns);
/* The spectrum a d-coordinate simulation realizes: the weights columns_j / d, without the
 * classes that got no column. */
void dmft_spectrum_realized(const dmft_spectrum_t *spectrum, long d, dmft_spectrum_t *realized);

#endif

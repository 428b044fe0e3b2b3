/* The spectral measures the Volterra engine integrates over: quadrature nodes s (eigenvalues of the
 * empirical covariance X^T X, X n x d, n = gamma d, rows x ~ N(0, Sigma / d)) with, for each node,
 * the weights of
 *   mu       the empirical spectral distribution, (1/d) sum_i delta(s - s_i)             (mass 1);
 *   mu_Sigma (1/d) sum_i <v_i, Sigma v_i> delta(s - s_i), v_i the eigenvectors        (mass E[lambda]);
 *   mu_j     the same restricted to class j's coordinates, per coordinate of the class (mass 1 each),
 * so that for an isotropic teacher and initialization the plain overlaps integrate over mu, the
 * Sigma-weighted ones (the fields', the test loss's) over mu_Sigma and class j's over mu_j.
 *
 * Isotropic data: Marchenko-Pastur in closed form, mu_Sigma = mu. A covariance spectrum: the
 * deterministic equivalent of the resolvent, (X^T X - z)^{-1} ~ (gamma Sigma / (1 + delta) - z)^{-1}
 * with delta(z) = E_j[lambda_j / (gamma lambda_j / (1 + delta) - z)]: in terms of the companion
 * transform m (of X X^T), z = -1/m + E_j[lambda_j / (1 + gamma lambda_j m)] (Silverstein's
 * equation, explicit in z). The support's band edges are the values of z at the real critical
 * points of that map (between its poles -1/(gamma lambda_j) and 0); on each band the densities are
 * Im of the solution m of the equation with Im m > 0 (complex Newton, continued from node to node),
 *   mu(x) = gamma Im m / pi,  mu_Sigma(x) = Im m / (pi x |m|^2),  mu_j(x) = Im[-1 / (x (1 + gamma lambda_j m))] / pi,
 * integrated by Gauss-Legendre in the angle of sqrt(x) as for Marchenko-Pastur, plus the atom at 0
 * when gamma < 1. */
#ifndef DMFT_VOLTERRA_SPECTRUM_H
#define DMFT_VOLTERRA_SPECTRUM_H

#include "dmft/spectrum.h"
#include "dmft/volterra.h"

typedef struct {
  int count;   /* nodes, the atom at 0 included */
  int classes; /* 0: isotropic (weight_sigma = weight, no class weights) */
  int bands;   /* intervals of the support */
  double *s, *root, *weight, *weight_sigma;
  double *class_weight; /* [classes][count] */
} dmft__volterra_spectrum_t;

/* Nodes per band of the support. */
#define DMFT_VOLTERRA_NODES_PER_BAND DMFT_VOLTERRA_NODES

/* Marchenko-Pastur (spectrum NULL or isotropic) or the measures of a covariance spectrum, for
 * sample ratio gamma. DMFT_OK, DMFT_ENOMEM, or DMFT_EINVAL when the equation could not be solved
 * (a band the Newton iteration did not converge on; not seen on the spectra of the tests). */
int dmft__volterra_spectrum_create(const dmft_spectrum_t *spectrum, double gamma, dmft__volterra_spectrum_t *out);
void dmft__volterra_spectrum_free(dmft__volterra_spectrum_t *spectrum);

/* delta(z) = (1/d) tr Sigma (X^T X - z)^{-1} at a real z < 0, from its fixed point by bisection,
 * and *trace = (1/d) tr (X^T X - z)^{-1}: the Stieltjes transforms of mu_Sigma and mu, exact,
 * to check the quadrature against (E[1 / (s - z)] over each measure). */
double dmft__volterra_delta_at(const dmft_spectrum_t *spectrum, double gamma, double z, double *trace);

#endif

/* The linear model's learning curves without paths: the Volterra engine (--engine volterra).
 *
 * For squared loss on a linear student and teacher (k = k* = 1) with ridge, the DMFT's
 * responses are deterministic and the same for every noise module; the noise enters only
 * through the variance of a step's increment dz, as a kick of variance h_k^2 Var(dz_k) 2 L(t_k) s
 * on each eigendirection s of the empirical data covariance, L the train loss. On the
 * eigenbasis every observable is then a closed recursion, and the train loss obeys a linear
 * Volterra equation of convolution type (docs/volterra.md derives both from the DMFT).
 *
 * The spectrum of isotropic data is Marchenko-Pastur (ratio 1/gamma), integrated by
 * Gauss-Legendre quadrature on DMFT_VOLTERRA_NODES nodes in the angle of sqrt(s) (and the atom at
 * 0 when gamma < 1). With a covariance spectrum (problem->spectrum) the empirical spectral
 * measures come from Silverstein's equation, the same rule on each band of their support
 * (solver/volterra_spectrum.h), and the result adds the Sigma-weighted and per-class overlaps.
 * The equations are the discrete system of the DMFT with step dt, so gradient flow matches the
 * exact DMFT engine to rounding. The noise enters as in the time-continuous limit, so the
 * noises match their DMFT solves within the latter's standard errors once dt is small (the two
 * discretizations of the noise differ by O(dt); tests/test_volterra.c). Standard errors are 0:
 * nothing is sampled. */
#ifndef DMFT_VOLTERRA_H
#define DMFT_VOLTERRA_H

#include "dmft/problem.h"
#include "dmft/solver.h"

/* Quadrature nodes of the spectrum (of each band of it): with 256, gradient flow matches the exact DMFT engine to
 * 1e-12 at gamma 0.5, 1 and 3 (tests/test_volterra.c). */
#define DMFT_VOLTERRA_NODES 256

/* NULL when the Volterra engine solves this problem, else a phrase saying what it needs. */
const char *dmft_volterra_unsupported(const dmft_problem_t *problem);

/* Solves the problem (problem->volterra_direct: by the O(K^2) convolution, a check of the
 * O(K N) recursion). DMFT_OK, DMFT_EDIVERGED (the rows before it are valid), DMFT_EINVAL (see
 * dmft_volterra_unsupported) or DMFT_ENOMEM. The result holds t, M, Q, the losses and C, R on
 * the output grid; no Cl, Rl, Gamma, and standard errors 0. */
int dmft_volterra_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result);

#endif

/* Every dataset of a result file says what it is: a `description`, `units` where there are
 * any, and the name of each dimension (t and s for time, a and b for units), with t and epoch
 * attached as HDF5 dimension scales of the time axes, so that h5py (dims[0][0]) and xarray find
 * the times by themselves. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <string.h>

#include "writers.h"

typedef struct {
  const char *name, *description, *units;
  const char *dimensions; /* one letter a dimension */
} described_t;

/* The convention of R, written into the file and docs/observables.md. */
#define R_CONVENTION                                                                                                    \
  "R_ab(t, s): the change of theta_a(t) per unit kick to theta_b at time s, per dimension; strictly causal, 0 for s >= " \
  "t, and on the step grid R(t_{k+1}, t_k) = identity (a kick at step k moves theta at step k+1)"

static const described_t described[] = {
    {"t", "time t of each output row (the DMFT time; epochs = kappa t)", "time", "t"},
    {"epoch", "epochs kappa t of each output row: passes over the training set", "epochs", "t"},
    {"M", "overlap M_ab(t) = theta_a(t) . theta*_b / d (a student unit, b teacher unit)", "", "t a b"},
    {"M_se", "standard error of M", "", "t a b"},
    {"Q", "norm Q_ab(t) = theta_a(t) . theta_b(t) / d", "", "t a b"},
    {"Q_se", "standard error of Q", "", "t a b"},
    {"train_loss", "train loss at t: the mean loss over the n training samples", "loss", "t"},
    {"train_loss_se", "standard error of the train loss", "loss", "t"},
    {"test_loss", "test loss at t: the expected loss on a fresh sample", "loss", "t"},
    {"test_loss_se", "standard error of the test loss", "loss", "t"},
    {"test_metric", "the loss's test metric at t (test_metric_name) on a fresh sample", "", "t"},
    {"test_metric_se", "standard error of the test metric", "", "t"},
    {"test_loss_gaussian", "simulation: the test loss from the Gaussian formula at the simulated M and Q", "loss", "t"},
    {"test_loss_gaussian_se", "standard error of test_loss_gaussian", "loss", "t"},
    {"C", "two-time correlation C_ab(t, s) = theta_a(t) . theta_b(s) / d", "", "t s a b"},
    {"C_se", "standard error of C", "", "t s a b"},
    {"R", R_CONVENTION, "", "t s a b"},
    {"R_se", "standard error of R", "", "t s a b"},
    {"Cl", "sample-side correlation Cl_ab(t, s) = E[dG_a(t) dG_b(s)] of the per-step loss-gradient increments dG = h "
           "grad l dz of one sample (it drives the parameter noise: E[du du] = gamma Cl); per time step: O(dt) on the "
           "diagonal for the noisy modules (poisson, bernoulli, gauss), O(dt^2) off it and for flow",
     "", "t s a b"},
    {"Cl_se", "standard error of Cl", "", "t s a b"},
    {"Rl", "sample-side response Rl_ab(t, s) = E[d dG_a(t) / d f_b(s)] to a field perturbation f at time s; causal, 0 for "
           "s > t; per time step (Rl(t, t) = etabar dt E[Hess l])",
     "", "t s a b"},
    {"Rl_se", "standard error of Rl", "", "t s a b"},
    {"Gamma", "sample-side teacher response Gamma_ab(t) = E[d dG_a(t) / d w*_b] (a student unit, b teacher unit); per time "
              "step",
     "", "t a b"},
    {"Gamma_se", "standard error of Gamma", "", "t a b"},
    /* a covariance spectrum (docs/spectra.md) */
    {"M_sigma", "Sigma-weighted overlap M_sigma_ab(t) = theta_a(t)^T Sigma theta*_b / d, the field covariance E[xi w*]", "",
     "t a b"},
    {"M_sigma_se", "standard error of M_sigma", "", "t a b"},
    {"Q_sigma", "Sigma-weighted norm Q_sigma_ab(t) = theta_a(t)^T Sigma theta_b(t) / d, the field variance E[xi xi]", "",
     "t a b"},
    {"Q_sigma_se", "standard error of Q_sigma", "", "t a b"},
    {"M_class", "overlap M_j(t) of eigenvalue class j alone: theta . theta* / d_j over its d_j coordinates (M = sum_j "
                "weight_j M_j)", "", "t j a b"},
    {"M_class_se", "standard error of M_class", "", "t j a b"},
    {"Q_class", "norm Q_j(t) of eigenvalue class j alone: theta . theta / d_j over its d_j coordinates (Q = sum_j weight_j "
                "Q_j)", "", "t j a b"},
    {"Q_class_se", "standard error of Q_class", "", "t j a b"},
    {"spectrum_eigenvalue", "eigenvalue lambda_j of the input covariance on class j", "", "j"},
    {"spectrum_weight", "fraction nu_j of the coordinates in class j (summing to 1)", "", "j"},
    {"spectrum_columns", "simulation: the columns of X in class j, round(nu_j d) by largest remainders (M and Q use these "
                         "fractions)", "", "j"},
    /* dmft converge */
    {"dt", "the time steps of the ladder, coarsest first", "time", "level"},
    {"values", "each observable at each level and output time (observables: the root attribute)", "", "level t observable"},
    {"values_se", "standard error of values", "", "level t observable"},
    {"extrapolated", "the dt -> 0 Richardson extrapolation of each observable at each output time", "", "t observable"},
    {"extrapolated_error", "error of the extrapolation: discretization and Monte Carlo combined", "", "t observable"},
    {"observed_order", "the order p of the error ~ dt^p seen over the last three levels (NaN with fewer)", "",
     "t observable"},
};

int cli_hdf5_describe(int64_t file) {
  herr_t status = cli_hdf5_set_string(file, "R_convention", R_CONVENTION);
  const hid_t time = H5Dopen2(file, "t", H5P_DEFAULT);
  if (time < 0) return -1;
  status |= H5DSset_scale(time, "t");
  for (size_t i = 0; i < sizeof described / sizeof described[0]; i++) {
    const described_t *d = &described[i];
    if (H5Lexists(file, d->name, H5P_DEFAULT) <= 0) continue;
    const hid_t dataset = H5Dopen2(file, d->name, H5P_DEFAULT);
    if (dataset < 0) {
      status = -1;
      continue;
    }
    status |= cli_hdf5_set_string(dataset, "description", d->description);
    if (d->units[0]) status |= cli_hdf5_set_string(dataset, "units", d->units);
    char labels[64];
    snprintf(labels, sizeof labels, "%s", d->dimensions);
    unsigned dim = 0;
    for (char *cursor = labels, *label; (label = strtok_r(cursor, " ", &cursor)) != NULL; dim++) {
      status |= H5DSset_label(dataset, dim, label);
      /* Both time axes of the kernels run over the same rows: t is the scale of each. */
      if ((strcmp(label, "t") == 0 || strcmp(label, "s") == 0) && strcmp(d->name, "t") != 0)
        status |= H5DSattach_scale(dataset, time, dim);
    }
    H5Dclose(dataset);
  }
  H5Dclose(time);
  return status;
}

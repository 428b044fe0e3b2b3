"""Results as numpy arrays: from a command's result in memory, or from a file written by dmft."""

import ctypes

import numpy as np

from ._library import library

# The numbers of a problem a result carries in `parameters` (dmft_command_number), then its
# components by name (dmft_command_text).
_PARAMETER_NUMBERS = ("gamma", "eta", "kappa", "ridge", "theta0_var", "init_overlap", "teacher_var", "sparsity",
                      "label_noise", "flip_prob", "k", "kstar", "tmax", "dt", "paths", "seed", "quasi_random",
                      "parameter_paths", "train_loss_paths", "response_paths", "eta_final", "warmup", "kappa_final",
                      "momentum_time")
_PARAMETER_TEXTS = ("loss", "activation", "teacher", "regularizer", "noise", "teacher_prior", "init_prior", "eta_schedule",
                    "kappa_schedule")
_INTEGER_PARAMETERS = ("k", "kstar", "paths", "seed", "quasi_random", "parameter_paths", "train_loss_paths",
                       "response_paths")
ARRAYS = ("t", "M", "M_se", "Q", "Q_se", "train_loss", "train_loss_se", "test_loss", "test_loss_se", "test_metric",
          "test_metric_se", "C", "C_se", "R", "R_se", "Cl", "Cl_se", "Rl", "Rl_se", "Gamma", "Gamma_se", "M_sigma",
          "M_sigma_se", "Q_sigma", "Q_sigma_se", "M_class", "M_class_se", "Q_class", "Q_class_se")
_TWO_TIME = ("C", "C_se", "R", "R_se", "Cl", "Cl_se", "Rl", "Rl_se")


class Result:
    """One learning curve: a solve, a simulation, or either read back from its HDF5 file.

    Arrays over the output rows (`rows` of them): `t`, `epoch` (kappa t), `M` [rows, k, k*],
    `Q` [rows, k, k], `train_loss`, `test_loss` (and `test_metric` when the loss has one), each
    with its standard error `*_se`; the two-time kernels `C`, `R` [rows, rows, k, k] with
    `R[i, j]` the response of time t_i to a kick at t_j (strictly causal: 0 for j >= i); a solve
    also has the sample side's `Cl`, `Rl` [rows, rows, k, k] and `Gamma` [rows, k, k*], per step.
    With a covariance spectrum (`spectrum=...`): the Sigma-weighted overlaps `M_sigma`, `Q_sigma`
    and each eigenvalue class's `M_class` [rows, classes, k, k*], `Q_class` [rows, classes, k, k];
    `C` and `R` are then the Sigma-weighted kernels.
    `parameters` holds the problem's numbers and components, `command_line` the equivalent
    dmft command line (its provenance), `diverged_at` the time of a divergence or None."""

    def __init__(self, arrays, parameters, command_line=None, diverged_at=None, divergence=None, groups=None,
                 source=None, test_metric_name=None):
        for name, value in arrays.items():
            setattr(self, name, value)
        self.arrays = tuple(arrays)
        self.parameters = parameters
        self.command_line = command_line
        self.diverged_at = diverged_at
        self.divergence = divergence
        self.groups = groups
        self.source = source
        self.test_metric_name = test_metric_name

    @property
    def rows(self):
        return len(self.t)

    def __repr__(self):
        where = f" from {self.source}" if self.source else ""
        return (f"<dmft.Result{where}: {self.rows} rows to t = {self.t[-1]:g}, M(t) = {self.M[-1].ravel()[0]:.6g}, "
                f"test loss {self.test_loss[-1]:.6g}>")


def _array(handle, name, rows_done):
    shape = (ctypes.c_long * 4)()
    rank = ctypes.c_int()
    pointer = library.dmft_result_array(handle, name.encode(), shape, ctypes.byref(rank))
    if not pointer:
        return None
    dims = tuple(shape[i] for i in range(rank.value))
    values = np.ctypeslib.as_array(pointer, shape=dims).copy()
    # Rows past rows_done were planned but not reached (a divergence): they hold no values.
    if name in _TWO_TIME:
        return values[:rows_done, :rows_done]
    return values[:rows_done]


def from_command(command):
    """The result a command left in memory (solve, simulate, validate's solve), or None."""
    handle = command.result_handle
    if not handle:
        return None
    rows_done = int(library.dmft_result_number(handle, b"rows_done"))
    arrays = {}
    for name in ARRAYS:
        values = _array(handle, name, rows_done)
        if values is not None:
            arrays[name] = values
    parameters = {}
    for name in _PARAMETER_NUMBERS:
        value = command.number(name)
        parameters[name] = int(value) if name in _INTEGER_PARAMETERS else value
    for name in _PARAMETER_TEXTS + ("parameter_side",):
        parameters[name] = command.text(name)
    parameters["seed"] = int(command.text("seed"))  # exact: a double would round a seed above 2^53
    for name in filter(None, (command.text("model_params") or "").split(",")):
        parameters[name] = command.number(name)
    # Epochs are the integral of the batch rate (kappa t without a schedule), as the writers have it.
    problem = library.dmft_command_problem(command.handle)
    arrays["epoch"] = np.array([library.dmft_problem_epochs_at(problem, t) for t in arrays["t"]])
    diverged_at = library.dmft_result_number(handle, b"diverged_at")
    divergence = library.dmft_result_text(handle, b"divergence")
    metric = library.dmft_result_text(handle, b"test_metric_name")
    return Result(arrays, parameters, command_line=command.text("command_line"),
                  diverged_at=diverged_at if diverged_at >= 0 else None,
                  divergence=divergence.decode() if divergence and diverged_at >= 0 else None,
                  groups=int(library.dmft_result_number(handle, b"groups")),
                  test_metric_name=metric.decode() if metric else None)

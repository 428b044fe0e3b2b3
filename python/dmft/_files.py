"""Reading what dmft writes: a solve's or a simulation's PREFIX.h5, a convergence study's
PREFIX.h5, a sweep's PREFIX-index.csv. HDF5 files need h5py (Debian: python3-h5py)."""

import csv
import os

import numpy as np

from ._result import ARRAYS, Result


class Convergence:
    """A convergence study (dmft converge): `dt` [levels], `t` [rows], `observables` (names),
    `values`, `values_se` [levels, rows, observables], and per row and observable the dt -> 0
    `extrapolated` value, its `extrapolated_error` and the `observed_order` of the error in dt."""

    def __init__(self, path):
        import h5py
        with h5py.File(path, "r") as file:
            for name in file:
                setattr(self, name, file[name][()])
            self.attributes = {name: _attribute(value) for name, value in file.attrs.items()}
        self.observables = str(self.attributes.get("observables", "")).split(",")
        self.source = path

    def __getitem__(self, observable):
        """The values of one observable: [levels, rows]."""
        return self.values[:, :, self.observables.index(observable)]

    def __repr__(self):
        return f"<dmft.Convergence from {self.source}: dt = {list(self.dt)}, observables {self.observables}>"


class Sweep:
    """A sweep (dmft sweep): `index` is its PREFIX-index.csv as a list of dicts (the swept values,
    M, Q and the losses at tmax with their standard errors, status, files); `load(i)` reads the
    i-th configuration's HDF5 file as a Result."""

    def __init__(self, path):
        with open(path, newline="") as file:
            self.index = list(csv.DictReader(file))
        self.source = path
        self.directory = os.path.dirname(os.path.abspath(path))

    def __len__(self):
        return len(self.index)

    def load(self, i):
        return load(os.path.join(self.directory, self.index[i]["h5"]))

    def column(self, name):
        """One column of the index as numbers where it is numeric."""
        values = [row[name] for row in self.index]
        try:
            return np.array([float(v) for v in values])
        except ValueError:
            return values

    def __repr__(self):
        return f"<dmft.Sweep from {self.source}: {len(self.index)} configurations>"


def _attribute(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    return value


def load(path):
    """Any output of dmft: a solve's or a simulation's PREFIX.h5 -> Result, a convergence
    study's PREFIX.h5 -> Convergence, a sweep's PREFIX-index.csv -> Sweep."""
    path = os.fspath(path)
    if path.endswith(".csv"):
        with open(path) as file:
            header = file.readline()
        if header.rstrip().endswith("signature,csv,h5"):
            return Sweep(path)
        raise ValueError(f"dmft.load: {path} is not a sweep index (read a solve's or a simulation's .h5 file instead)")
    import h5py
    with h5py.File(path, "r") as file:
        if "values" in file and "dt" in file:
            return Convergence(path)
        if "M" not in file or "t" not in file:
            raise ValueError(f"dmft.load: {path} is not a file written by dmft (no M and t datasets)")
        arrays = {name: file[name][()] for name in ARRAYS + ("epoch", "test_loss_gaussian", "test_loss_gaussian_se",
                                                              "spectrum_eigenvalue", "spectrum_weight", "spectrum_columns")
                  if name in file}
        attributes = {name: _attribute(value) for name, value in file.attrs.items()}
    diverged_at = attributes.get("diverged_at", -1)
    return Result(arrays, attributes, command_line=attributes.get("command_line"),
                  diverged_at=diverged_at if diverged_at >= 0 else None, groups=attributes.get("groups"), source=path,
                  test_metric_name=attributes.get("test_metric_name"))

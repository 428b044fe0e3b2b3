"""dmft: exact n, d -> infinity learning curves of multi-pass SGD, SME and gradient flow in
multi-index models, from the dynamical mean-field equations, in Python.

Every function takes the options of the dmft command of the same name as keyword arguments,
with underscores for dashes (`dmft solve --label-noise 0.1 --paths 20000` is
`dmft.solve(label_noise=0.1, paths=20000)`), and runs it in this process through libdmft: the
same checks, the same one-line messages (raised as dmft.InvalidInput), the same numbers to the
last bit. Ctrl-C stops a solve. The library is found through DMFT_LIBRARY, else where it was
installed (cmake --install).

    import dmft
    r = dmft.solve(paths=20000)          # the default example, SGD
    r.t, r.M[:, 0, 0], r.test_loss, r.test_loss_se, r.C, r.R
"""

import os
import tempfile

from ._command import Command, DmftError, Diverged, InvalidInput, arguments
from ._files import Convergence, Sweep, load
from ._library import library_path, library_version
from ._result import Result, from_command

__version__ = library_version
__all__ = ["solve", "simulate", "validate", "converge", "sweep", "load", "Result", "Validation", "Convergence",
           "Sweep", "DmftError", "InvalidInput", "Diverged", "command_line", "__version__", "library_path"]


def command_line(command, **options):
    """The dmft command line a call runs: `dmft.command_line("solve", eta=1)` is
    ['solve', '--eta', '1.0']."""
    return arguments(command, options)


def _run_for_result(name, options):
    command = Command(write_files=options.get("out") is not None)
    status = command.run(arguments(name, options))
    result = from_command(command)
    if status != 0:
        raise command.fail(status, result)
    return result


def solve(**options):
    """Solves the DMFT equations (dmft solve) and returns the Result. With out="PREFIX" it also
    writes PREFIX.csv and PREFIX.h5, as the executable does; otherwise it writes nothing."""
    return _run_for_result("solve", options)


def simulate(**options):
    """Runs the real algorithm at finite n (dmft simulate: n=, seeds=, alpha=, simulate=, ...) and
    returns its Result (the seeds in place of the replica groups). With out="PREFIX" it also
    writes PREFIX.csv and PREFIX.h5."""
    return _run_for_result("simulate", options)


class Validation:
    """A validation (dmft validate): `passed`, the `table` (one dict per size: n, d, seeds, the
    largest deviation in combined standard errors and where, the rms deviation and the
    simulation's rms standard error), the `tolerance` in standard errors, the finite-size slope
    of the rms deviation against n, the `solver`'s Result and the `report` directory (if any)."""

    def __init__(self, passed, table, tolerance, finite_size_slope, solver, report):
        self.passed = passed
        self.table = table
        self.tolerance = tolerance
        self.finite_size_slope = finite_size_slope
        self.solver = solver
        self.report = report

    def __bool__(self):
        return self.passed

    def __repr__(self):
        largest = max(row["largest_deviation_se"] for row in self.table) if self.table else float("nan")
        return (f"<dmft.Validation: {'PASS' if self.passed else 'FAIL'}, largest deviation {largest:.2f} s.e. "
                f"(tolerance {self.tolerance:.2f}) over n = {[row['n'] for row in self.table]}>")


def _table(text):
    import csv
    import io
    rows = []
    for row in csv.DictReader(io.StringIO(text or "")):
        rows.append({key: (value if key == "where" else float(value) if "." in value or "e" in value else int(value))
                     for key, value in row.items()})
    return rows


def validate(**options):
    """Compares the solver with finite-n simulations over sizes n=[...] (dmft validate) and
    returns a Validation (a failed validation is a result, not an exception). report="DIR"
    writes the report with its plots."""
    if options.get("suite"):
        raise InvalidInput("dmft.validate: run a suite from the command line (dmft validate --suite ...)", 2)
    command = Command(write_files=True)
    status = command.run(arguments("validate", options))
    if status not in (0, 1):
        raise command.fail(status, from_command(command))
    return Validation(status == 0, _table(command.text("table")), command.number("tolerance"),
                      command.number("finite_size_slope"), from_command(command), options.get("report"))


def converge(**options):
    """A convergence study over a ladder of time steps (dmft converge: dt=[...] or dt0=, levels=)
    and returns the Convergence read from its tables (needs h5py). With out="PREFIX" the tables
    stay in PREFIX.csv, PREFIX.h5, ...; otherwise they are read from a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="dmft-converge-") as scratch:
        if options.get("out") is None:
            options = dict(options, out=os.path.join(scratch, "converge"))
        command = Command(write_files=True)
        status = command.run(arguments("converge", options))
        if status != 0:
            raise command.fail(status)
        study = Convergence(os.fspath(options["out"]) + ".h5")
        if study.source.startswith(scratch):
            study.source = None
        return study


def sweep(sweep, **options):
    """Solves a grid of configurations (dmft sweep): sweep={"eta": "0.5:2:0.5", "noise":
    ["poisson", "gauss"]}, the other options shared. Writes a pair of files per configuration, an
    index and a figure under out="PREFIX" (the executable's default when not given), and returns
    the Sweep read from the index."""
    command = Command(write_files=True)
    status = command.run(arguments("sweep", dict(options, sweep=sweep)))
    if status != 0:
        raise command.fail(status)
    return Sweep(os.fspath(options.get("out") or "dmft-sweep") + "-index.csv")

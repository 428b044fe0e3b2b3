"""simulate, validate, converge and sweep from Python give the executable's numbers and verdicts."""

import h5py
import numpy as np

import dmft


def test_simulate_is_the_executables(run, tmp_path):
    assert run("simulate", "--quiet", "--n", 400, "--seeds", 3, "--tmax", 1, "--out", "cli")[0] == 0
    simulation = dmft.simulate(quiet=True, n=400, seeds=3, tmax=1)
    with h5py.File(tmp_path / "cli.h5") as file:
        for name in ("t", "M", "M_se", "Q", "train_loss", "test_loss", "test_loss_se", "C"):
            assert np.array_equal(getattr(simulation, name), file[name][()]), name
        # Unmeasured response columns are NaN in both.
        assert np.array_equal(simulation.R, file["R"][()], equal_nan=True)
    assert simulation.groups == 3


def test_validate_verdicts_and_table(run, tmp_path):
    common = dict(quiet=True, eta=2.5, tmax=2, output_every=4, paths=20000, n=[1000, 2000], seeds=6)
    right = dmft.validate(noise="bernoulli", report=str(tmp_path / "right"), **common)
    assert right.passed and bool(right)
    assert [row["n"] for row in right.table] == [1000, 2000] and [row["d"] for row in right.table] == [500, 1000]
    assert all(row["largest_deviation_se"] <= right.tolerance for row in right.table)
    assert (tmp_path / "right" / "index.html").exists()
    assert right.solver.parameters["noise"] == "bernoulli" and right.solver.rows > 1
    # SME against SGD of a non-linear model at a large step: the executable says FAIL (exit 1), and so does Python.
    status, stdout, _ = run(*dmft.command_line("validate", noise="gauss", simulate="extensive", **common))
    wrong = dmft.validate(noise="gauss", simulate="extensive", **common)
    assert status == 1 and "FAIL" in stdout and not wrong.passed
    assert max(row["largest_deviation_se"] for row in wrong.table) > wrong.tolerance
    assert f"tolerance {wrong.tolerance:.2f}" in stdout


def test_converge_reads_the_executables_tables(run, tmp_path):
    options = dict(quiet=True, dt=[0.1, 0.05, 0.025], tmax=1, paths=2000, path_levels=0)
    assert run(*dmft.command_line("converge", out="cli", **options))[0] == 0
    study = dmft.converge(**options)
    with h5py.File(tmp_path / "cli.h5") as file:
        assert np.array_equal(study.values, file["values"][()])
        assert np.array_equal(study.extrapolated, file["extrapolated"][()], equal_nan=True)
    assert study.observables == ["M", "Q", "train_loss", "test_loss"] and list(study.dt) == [0.1, 0.05, 0.025]
    assert study["M"].shape == (3, 11)


def test_sweep_and_its_configurations(tmp_path):
    swept = dmft.sweep({"eta": [0.5, 1.0], "noise": "poisson,flow"}, quiet=True, paths=640, tmax=0.5,
                       out=str(tmp_path / "grid"))
    assert len(swept) == 4 and [row["status"] for row in swept.index] == ["done"] * 4
    first = swept.load(0)
    alone = dmft.solve(quiet=True, paths=640, tmax=0.5, eta=float(swept.index[0]["eta"]), noise=swept.index[0]["noise"])
    assert np.array_equal(first.M, alone.M) and np.array_equal(first.C, alone.C)
    assert swept.column("M")[0] == float(swept.index[0]["M"])

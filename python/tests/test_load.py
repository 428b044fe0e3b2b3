"""dmft.load reads every file dmft writes, with its provenance."""

import numpy as np
import pytest

import dmft


def test_load_a_solve(run, tmp_path):
    assert run("solve", "--quiet", "--paths", 640, "--tmax", 0.5, "--quasi-random", "--out", "run")[0] == 0
    loaded = dmft.load(tmp_path / "run.h5")
    again = dmft.solve(quiet=True, paths=640, tmax=0.5, quasi_random=True)
    for name in ("t", "epoch", "M", "Q", "test_loss", "C", "R"):
        assert np.array_equal(getattr(loaded, name), getattr(again, name)), name
    assert loaded.parameters["quasi_random"] == 1 and loaded.parameters["kind"] == "dmft solution"
    assert loaded.command_line.startswith("dmft solve --quiet --paths 640")
    assert "dmft.Result from" in repr(loaded)


def test_load_a_simulation_and_refuse_other_files(run, tmp_path):
    assert run("simulate", "--quiet", "--n", 300, "--seeds", 2, "--tmax", 0.5, "--out", "sim")[0] == 0
    simulation = dmft.load(tmp_path / "sim.h5")
    assert simulation.parameters["kind"] == "finite-n simulation" and simulation.test_loss_gaussian.shape == (11,)
    with pytest.raises(ValueError, match="not a sweep index"):
        dmft.load(tmp_path / "sim.csv")

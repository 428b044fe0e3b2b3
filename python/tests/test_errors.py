"""Refusals are exceptions carrying the executable's own one-line message, and write nothing."""

import os
import subprocess
import sys

import pytest

import dmft

REFUSED = [
    dict(eta=-1),
    dict(noise="levy"),
    dict(paths=0),
    dict(tmax=1, dt=2),
    dict(no_such_option=3),
    dict(model_param={"cauchy-scale": 2}),
    dict(plugin="/nonexistent/plugin.so"),
    dict(config="/nonexistent.ini"),
]


@pytest.mark.parametrize("options", REFUSED, ids=lambda o: ",".join(o))
def test_same_message_as_the_executable(options, run, tmp_path):
    argv = dmft.command_line("solve", **options)
    status, _, stderr = run(*argv, "--out", "cli")
    assert status == 2
    with pytest.raises(dmft.InvalidInput) as refusal:
        dmft.solve(out=str(tmp_path / "py"), **options)
    assert refusal.value.status == 2
    assert str(refusal.value) == stderr.strip()
    assert "\n" not in str(refusal.value)
    assert not list(tmp_path.glob("py*")) and not list(tmp_path.glob("cli*"))


def test_invalid_input_is_a_value_error():
    with pytest.raises(ValueError, match="--gamma"):
        dmft.simulate(gamma=-2)


def test_divergence_raises_with_the_rows_before_it():
    with pytest.raises(dmft.Diverged) as divergence:
        dmft.solve(quiet=True, loss="squared", activation="linear", teacher="linear", noise="flow", eta=60, tmax=4,
                   dt=0.05, paths=320)
    partial = divergence.value.result
    assert divergence.value.status == 3 and "at t = " in str(divergence.value)
    assert partial is not None and 0 < partial.rows < 81 and partial.diverged_at is not None
    assert partial.t[-1] < partial.diverged_at


def test_a_missing_library_is_named():
    environment = dict(os.environ, DMFT_LIBRARY="/nonexistent/libdmft.so")
    finished = subprocess.run([sys.executable, "-c", "import dmft"], env=environment, capture_output=True, text=True)
    assert finished.returncode != 0
    assert "ImportError: dmft: cannot load libdmft.so (tried: /nonexistent/libdmft.so" in finished.stderr
    assert "DMFT_LIBRARY" in finished.stderr

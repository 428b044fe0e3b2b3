"""examples/python/default_figure.py reproduces the default example: the same three solves as
examples/sgd-sme-gd/run.sh (byte-identical CSV files) and the figure."""

import os
import subprocess
import sys

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python", "default_figure.py")


def test_the_example_reproduces_the_default_runs(run, tmp_path):
    finished = subprocess.run([sys.executable, EXAMPLE, str(tmp_path / "py"), "2000"], capture_output=True, text=True,
                              timeout=120)
    assert finished.returncode == 0, finished.stderr
    for noise in ("poisson", "gauss", "flow"):
        assert run("solve", "--noise", noise, "--paths", 2000, "--out", noise)[0] == 0
        assert (tmp_path / "py" / f"{noise}.csv").read_bytes() == (tmp_path / f"{noise}.csv").read_bytes(), noise
    figure = (tmp_path / "py" / "figure.png").read_bytes()
    assert figure.startswith(b"\x89PNG") and len(figure) > 20000
    assert "poisson  at 6 epochs: M = " in finished.stdout

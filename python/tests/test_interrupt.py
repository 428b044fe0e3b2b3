"""Ctrl-C stops a solve: the solve returns at its next step, KeyboardInterrupt is raised, nothing
is written, and the library serves the next call."""

import os
import signal
import threading
import time

import pytest

import dmft


def test_ctrl_c_stops_a_solve(tmp_path):
    # About a minute of work on 2 cores: only an interruption ends it within the bound below.
    long_solve = dict(paths=1000000, tmax=6, dt=0.025, quiet=True, out=str(tmp_path / "never"))
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt, match="interrupted; nothing written"):
        dmft.solve(**long_solve)
    elapsed = time.monotonic() - started
    timer.cancel()
    assert elapsed < 20, f"the solve took {elapsed:.1f} s to stop"
    assert not list(tmp_path.iterdir())
    assert dmft.solve(paths=320, tmax=0.2, quiet=True).rows == 5

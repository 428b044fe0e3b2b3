"""What the Python tests compare against: the dmft executable of the same build (DMFT_EXECUTABLE)
and its example plugins (DMFT_PLUGIN_DIR); ctest sets both, with DMFT_LIBRARY and PYTHONPATH."""

import os
import subprocess

import pytest


@pytest.fixture
def executable():
    path = os.environ.get("DMFT_EXECUTABLE")
    if not path:
        pytest.fail("set DMFT_EXECUTABLE to the dmft executable of the build whose libdmft.so is tested")
    return os.path.abspath(path)


@pytest.fixture
def plugin_dir():
    return os.path.abspath(os.environ.get("DMFT_PLUGIN_DIR", ""))


@pytest.fixture
def run(executable, tmp_path):
    """Runs the executable in tmp_path: (exit status, stdout, stderr)."""

    def run_executable(*arguments):
        finished = subprocess.run([executable, *map(str, arguments)], cwd=tmp_path, capture_output=True, text=True,
                                  timeout=120)
        return finished.returncode, finished.stdout, finished.stderr

    return run_executable

"""The package's version is the project's, kept in one place: the project() line of the
CMakeLists.txt next to this directory."""
import os
import re

from setuptools import setup


def project_version():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "CMakeLists.txt")) as cmake:
        match = re.search(r"project\(dmft VERSION ([0-9.]+)", cmake.read())
    if not match:
        raise RuntimeError("setup.py: no 'project(dmft VERSION x.y.z' line in ../CMakeLists.txt")
    return match.group(1)


setup(version=project_version())

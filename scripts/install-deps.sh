#!/usr/bin/env bash
# Installs every dependency from Debian 12's archive (as root, or through sudo).
set -euo pipefail
packages=(
  cmake make gcc pkg-config
  libsundials-dev libgsl-dev libfftw3-dev libopenblas-dev liblapacke-dev
  libcunit1-dev libhdf5-dev libinih-dev gnuplot-nox
  python3-h5py  # the tests check that h5py reads our HDF5 files; dmft.load reads them
  python3-pip python3-setuptools python3-wheel python3-pytest  # the Python package: installed with pip offline, tested with pytest
  python3-matplotlib  # examples/python: the default figure from Python
  hdf5-tools  # h5ls -v, to look inside the HDF5 files from the shell
  libopenmpi-dev openmpi-bin  # mpirun -np P dmft ...: paths, seeds and sweeps over MPI ranks (optional at configure time)
  python3-numpy time  # benchmarks/run.sh: the dense numpy peer, wall time and peak memory
  clang libclang-rt-14-dev libomp-dev  # scripts/fuzz.sh: libFuzzer, clang's sanitizer runtimes, OpenMP for clang
)
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null
echo "dependencies installed"

#!/usr/bin/env bash
# Installs dmft for use: every dependency, a build, then the executable, libdmft (static and
# shared), the headers, dmft.pc and the CMake package under PREFIX (default /usr/local), and the
# Python package for Debian's python3, so that `python3 -c "import dmft"` works from anywhere.
# Usage: bash scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-/usr/local}
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
bash scripts/install-deps.sh
bash scripts/build.sh build
"${as_root[@]}" cmake --install build --prefix "$prefix" > /dev/null
"${as_root[@]}" ldconfig  # the package finds libdmft.so through the linker's cache
# Pure Python over libdmft.so, built with Debian's setuptools (no download: --no-build-isolation)
# and using Debian's numpy and h5py (--no-deps). pip installs into /usr/local, beside the
# packages Debian manages, which is what --break-system-packages allows here. Under another
# prefix the package goes to PREFIX/lib/python3/dist-packages (add it to PYTHONPATH), beside
# PREFIX/lib/libdmft.so, where it looks for the library first.
python_target=()
[ "$prefix" = /usr/local ] || python_target=(--target "$prefix/lib/python3/dist-packages")
"${as_root[@]}" env PIP_ROOT_USER_ACTION=ignore /usr/bin/python3 -m pip install --quiet --no-build-isolation --no-deps \
  --break-system-packages "${python_target[@]}" ./python
echo "installed dmft $(sed -n 's/^project(dmft VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt) under $prefix"

#!/usr/bin/env bash
# Installs a build into a temporary prefix and builds against the installed copy only: a C
# program through pkg-config (shared, then static), the same program through find_package(dmft),
# a plugin from the installed plugin header, checked by the installed executable, and the Python
# package installed into the same prefix, driving the installed library.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$1 source=$2 version=$3
prefix=$(mktemp -d) work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
cmake --install "$build" --prefix "$prefix" > /dev/null
cp "$source/tests/install/consumer.c" "$source/examples/plugins/template.c" "$work/"
cd "$work"
PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name dmft.pc)")
export PKG_CONFIG_PATH
libdir=$(pkg-config --variable=libdir dmft)

echo "== pkg-config, shared"
cc -std=c11 -Wall -Wextra -Werror consumer.c $(pkg-config --cflags --libs dmft) -o consumer-shared
LD_LIBRARY_PATH=$libdir ./consumer-shared "$version"
if ldd ./consumer-shared | grep -q "$source"; then echo "linked against the source tree" >&2; exit 1; fi

echo "== pkg-config, static"
static_libs=$(pkg-config --static --libs dmft | sed 's/-ldmft//')
cc -std=c11 -Wall -Wextra -Werror consumer.c $(pkg-config --cflags dmft) "$libdir/libdmft.a" $static_libs -o consumer-static
./consumer-static "$version"

echo "== find_package(dmft)"
mkdir cmake-consumer
cat > cmake-consumer/CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(dmft $version REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE dmft::dmft m)
CMAKE
cmake -S cmake-consumer -B cmake-build -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build cmake-build > /dev/null
./cmake-build/consumer "$version"

echo "== a plugin from the installed header, checked by the installed dmft"
cc -std=c11 -O2 -fPIC -shared -I"$prefix/include" template.c -o template.so -lm
"$prefix/bin/dmft" check-plugin ./template.so | tail -n 1
echo "== the Python package, installed beside the library, found without DMFT_LIBRARY"
# The package and setup.py's version source, copied: pip builds in the directory it is given.
mkdir -p python-source && cp -r "$source/python" "$source/CMakeLists.txt" python-source/
PIP_ROOT_USER_ACTION=ignore /usr/bin/python3 -m pip install --quiet --no-build-isolation --no-deps --break-system-packages \
  --target "$prefix/lib/python3/dist-packages" ./python-source/python
(cd / && env -u DMFT_LIBRARY PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 -c "
import os, dmft
assert os.path.realpath(dmft.library_path) == os.path.realpath('$libdir/libdmft.so'), dmft.library_path
r = dmft.solve(paths=20000, quiet=True)
print('M(tmax) =', r.M[-1].ravel())")
echo "installed copy works"

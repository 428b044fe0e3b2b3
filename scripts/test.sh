#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs the whole suite twice, once as
# built for users and once under AddressSanitizer and UndefinedBehaviorSanitizer (the Python
# package's pytest tests among them, ctest's python_package); then fuzzes
# the option parser, the plugin descriptor checks and the checkpoint reader for a bounded time
# (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
echo "== test suite (release build)"
(cd build && ctest --output-on-failure -j 2)
bash scripts/build.sh build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMFT_SANITIZE=ON
echo "== test suite (AddressSanitizer + UndefinedBehaviorSanitizer)"
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j 2)
echo "== bounded fuzzing (libFuzzer)"
bash scripts/fuzz.sh 45

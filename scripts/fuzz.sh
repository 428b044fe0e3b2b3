#!/usr/bin/env bash
# Bounded fuzzing: builds the libFuzzer targets of tests/fuzz/ with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) into build-fuzz/ and runs each for SECONDS (default 60) from the
# seed corpus in tests/fuzz/corpus/TARGET/. Inputs the run finds go to build-fuzz/corpus/TARGET,
# never into the repository; a crash stops the script with libFuzzer's report and the input.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMFT_FUZZ=ON \
  -DDMFT_BUILD_TESTS=OFF > /dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_options fuzz_plugin_descriptor fuzz_checkpoint > /dev/null
for target in options plugin_descriptor checkpoint; do
  mkdir -p "build-fuzz/corpus/$target"
  echo "== fuzzing $target for ${seconds} s"
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/" "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" \
    > "build-fuzz/fuzz_$target.log" 2>&1 || status=$?
  grep -E "^stat::(number_of_executed_units|new_units_added)|ERROR|SUMMARY|Test unit written" "build-fuzz/fuzz_$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "build-fuzz/fuzz_$target.log"
    exit "$status"
  fi
done

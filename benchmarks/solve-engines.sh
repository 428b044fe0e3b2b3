#!/usr/bin/env bash
# Wall time and peak memory of dmft solve per engine, on the default model (Huber loss, tanh),
# printed as a Markdown table for docs/benchmarks.md.
# usage: benchmarks/solve-engines.sh [DMFT_BINARY]
set -euo pipefail
dmft=${1:-build/dmft}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "| noise (engine) | paths | dt | steps | threads | wall s | peak MiB |"
echo "|---|---|---|---|---|---|---|"
run() {
  local label=$1 paths=$2 dt=$3 threads=$4; shift 4
  local stats
  stats=$( { /usr/bin/time -f "%e %M" "$dmft" solve --quiet --paths "$paths" --dt "$dt" --threads "$threads" \
             --out "$scratch/run" "$@" > /dev/null; } 2>&1 | tail -n 1)
  local steps
  steps=$(awk -v dt="$dt" 'BEGIN { printf "%d", 6 / dt + 0.5 }')
  echo "| $label | $paths | $dt | $steps | $threads | ${stats% *} | $(( ${stats#* } / 1024 )) |"
}
for threads in 1 2; do
  run "poisson (sparse)" 100000 0.05 "$threads" --noise poisson
done
run "poisson (sparse)" 100000 0.0125 2 --noise poisson
run "bernoulli (sparse)" 100000 0.05 2 --noise bernoulli
for threads in 1 2; do
  run "gauss (dense)" 20000 0.05 "$threads" --noise gauss
done
run "gauss (dense)" 100000 0.05 2 --noise gauss
run "flow (dense)" 20000 0.05 2 --noise flow
run "flow, least squares (exact)" 1 0.01 1 --noise flow --loss squared --activation linear --teacher linear
run "poisson (sparse) + sampled parameter side (l1)" 32000 0.05 2 --noise poisson --regularizer l1
run "poisson (sparse), exact parameter side" 32000 0.05 2 --noise poisson

#!/usr/bin/env bash
# The cost of --engine volterra against the number of steps K (docs/benchmarks.md, "Volterra
# engine"): least squares, defaults otherwise, dt 0.01, tmax from 10 to 10^5 (K = 10^3 to 10^7),
# and the O(K^2) convolution form (--volterra-direct) up to K = 10^4; then with a power-law
# covariance spectrum (16 and 200 classes, --no-kernels, dt 0.001), whose spectral measure has
# thousands of quadrature nodes. Prints Markdown; about 3 minutes on 2 cores.
# usage: benchmarks/volterra.sh [DMFT_BINARY] > table.md
set -euo pipefail
dmft=${1:-build/dmft}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
linear=(--engine volterra --loss squared --activation linear --teacher linear --dt 0.01 --quiet --out "$scratch/run")
measure() { /usr/bin/time -f "%e %M" "$dmft" solve "${linear[@]}" "$@" 2>&1 > /dev/null | tail -n 1; }
echo "| steps K | recursion: wall s | peak MiB | --volterra-direct: wall s |"
echo "|---|---|---|---|"
for tmax in 10 100 1000 10000 100000; do
  read -r wall kib < <(measure --tmax "$tmax")
  direct="—"
  if [ "$tmax" -le 100 ]; then read -r direct _ < <(measure --tmax "$tmax" --volterra-direct); fi
  echo "| $(awk -v t="$tmax" 'BEGIN { printf "%.0e", t / 0.01 }') | $wall | $((kib / 1024)) | $direct |"
done

echo
echo "| spectrum (power law, a = 2.5) | steps K | wall s | peak MiB |"
echo "|---|---|---|---|"
spectral=(--engine volterra --no-kernels --loss squared --activation linear --teacher linear --label-noise 0 --ridge 0
          --theta0-var 0 --dt 0.001 --spectrum power-law --spectrum-exponent 2.5 --quiet --out "$scratch/spectral")
for classes in 16 200; do
  for tmax in 10 100 1000; do
    read -r wall kib < <(/usr/bin/time -f "%e %M" "$dmft" solve "${spectral[@]}" --spectrum-classes "$classes" --tmax "$tmax" 2>&1 > /dev/null | tail -n 1)
    echo "| $classes classes | $(awk -v t="$tmax" 'BEGIN { printf "%.0e", t / 0.001 }') | $wall | $((kib / 1024)) |"
  done
done

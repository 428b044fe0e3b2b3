#!/usr/bin/env bash
# Standard errors at equal wall time with and without --quasi-random, on the default model
# (Huber loss, tanh student and teacher, tmax 6, dt 0.05), for every noise module, printed as a
# Markdown table for docs/benchmarks.md. Each configuration runs with SEEDS seeds; the table
# gives the mean standard error of M(6), Q(6) and the train loss at t = 6, the mean wall time,
# and the gain in variance per second: (se_plain^2 * time_plain) / (se_qmc^2 * time_qmc) for M.
# usage: benchmarks/variance-reduction.sh [DMFT_BINARY] [SEEDS]
set -euo pipefail
dmft=${1:-build/dmft}
seeds=${2:-4}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# mean wall time and mean standard errors (M, Q, train loss) at the last row over the seeds
measure() {
  local noise=$1 paths=$2; shift 2
  local total_time=0
  for seed in $(seq 1 "$seeds"); do
    local wall
    wall=$( { /usr/bin/time -f "%e" "$dmft" solve --quiet --noise "$noise" --paths "$paths" --seed "$seed" \
              --tmax 6 --dt 0.05 --out "$scratch/run$seed" "$@" > /dev/null; } 2>&1 | tail -n 1)
    total_time=$(awk -v a="$total_time" -v b="$wall" 'BEGIN { print a + b }')
  done
  python3 - "$scratch" "$seeds" "$total_time" <<'PY'
import csv, sys
scratch, seeds, total = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
sums = [0.0, 0.0, 0.0]
for seed in range(1, seeds + 1):
    last = list(csv.DictReader(open(f"{scratch}/run{seed}.csv")))[-1]
    for i, key in enumerate(("M_se", "Q_se", "train_loss_se")):
        sums[i] += float(last[key]) / seeds
print(f"{total / seeds:.2f}", *(f"{x:.2g}" for x in sums))
PY
}

echo "| noise (engine) | paths | sampling | wall s | se M(6) | se Q(6) | se train loss(6) | variance of M per second, gain |"
echo "|---|---|---|---|---|---|---|---|"
for spec in "poisson 32000" "bernoulli 32000" "gauss 8000" "flow 8000"; do
  set -- $spec
  noise=$1 paths=$2
  read -r time_plain se_m se_q se_l < <(measure "$noise" "$paths")
  echo "| $noise | $paths | plain | $time_plain | $se_m | $se_q | $se_l | 1 |"
  read -r time_qmc qse_m qse_q qse_l < <(measure "$noise" "$paths" --quasi-random)
  gain=$(awk -v a="$se_m" -v ta="$time_plain" -v b="$qse_m" -v tb="$time_qmc" 'BEGIN { printf "%.1f", a * a * ta / (b * b * tb) }')
  echo "| $noise | $paths | quasi-random | $time_qmc | $qse_m | $qse_q | $qse_l | $gain |"
done

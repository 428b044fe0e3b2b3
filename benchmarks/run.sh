#!/usr/bin/env bash
# The benchmark table of docs/benchmarks.md: wall time, paths per second, peak memory, standard
# error of M(tmax) and threads for the canonical problems, with the dense numpy peer
# (benchmarks/dense_numpy_peer.py) measured in the same run. Default model (Huber loss, tanh
# student and teacher, gamma 2, eta 1.5, kappa 1, ridge 0.05), tmax 6 unless stated.
# Prints Markdown; about 20 minutes on 2 cores.
# usage: benchmarks/run.sh [DMFT_BINARY] > table.md
set -euo pipefail
dmft=${1:-build/dmft}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
command -v /usr/bin/time > /dev/null || { echo "benchmarks/run.sh needs /usr/bin/time (Debian package time)" >&2; exit 2; }

# One dmft solve: prints "wall_s peak_MiB se_M(tmax)". A run under 10 s is repeated three times
# and its fastest time kept: on this machine type short runs vary by 20% from one to the next.
measure() {
  local stats best=""
  for attempt in 1 2 3; do
    stats=$( { /usr/bin/time -f "%e %M" "$dmft" solve --quiet --out "$scratch/run" "$@" > /dev/null; } 2>&1 | tail -n 1)
    if [ -z "$best" ] || awk -v a="${stats% *}" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then best=$stats; fi
    awk -v t="${stats% *}" 'BEGIN { exit !(t >= 10) }' && break
  done
  stats=$best
  local se
  se=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "M_se" || $i == "M_0_0_se") c = i }
                END { print $c }' "$scratch/run.csv")
  echo "${stats% *} $(( ${stats#* } / 1024 )) $se"
}

row() { # label paths threads -- solve options
  local label=$1 paths=$2 threads=$3; shift 3
  read -r wall mib se < <(measure --paths "$paths" --threads "$threads" "$@")
  local rate
  rate=$(awk -v n="$paths" -v t="$wall" 'BEGIN { printf "%.3g", n / (t > 0 ? t : 1e-3) }')
  echo "| $label | $paths | $threads | $wall | $rate | $mib | $se |"
  last_wall=$wall
}

peer() { # paths dt -> wall seconds of the numpy peer (whole line to stderr)
  local line
  line=$(/usr/bin/python3 "$here/dense_numpy_peer.py" --paths "$1" --dt "$2")
  echo "$line" >&2
  awk '{ print $2 }' <<< "$line"
}

echo "| run | paths | threads | wall s | paths/s | peak MiB | se M(tmax) |"
echo "|---|---|---|---|---|---|---|"
declare -A wall_of
for dt in 0.05 0.025 0.0125 0.00625; do
  row "poisson, dt $dt" 100000 2 --dt "$dt"; wall_of[poisson_$dt]=$last_wall
done
every=1
for dt in 0.025 0.0125 0.00625; do
  row "poisson, dt $dt, 241 rows (--output-every $every)" 100000 2 --dt "$dt" --output-every "$every"
  wall_of[rows241_$dt]=$last_wall
  every=$((every * 2))
done
row "poisson, dt 0.025, 1 thread" 100000 1 --dt 0.025; wall_of[one_thread]=$last_wall
row "poisson, dt 0.025, every path in the train loss" 100000 2 --dt 0.025 --train-loss-paths 0
row "poisson, dt 0.0125" 1000000 2 --dt 0.0125
row "bernoulli, dt 0.025" 100000 2 --noise bernoulli --dt 0.025
row "bernoulli, dt 0.00625" 100000 2 --noise bernoulli --dt 0.00625
for noise in gauss flow; do
  for paths in 20000 100000; do
    for dt in 0.05 0.025; do row "$noise, dt $dt" "$paths" 2 --noise "$noise" --dt "$dt"; done
  done
done
row "committee k = k* = 2, poisson, dt 0.05" 100000 2 --k 2 --kstar 2 --dt 0.05
for tmax in 6 48; do
  row "poisson, tmax $tmax, dt 0.05" 20000 2 --tmax "$tmax"; wall_of[tmax_$tmax]=$last_wall
done
row "poisson, tmax 100 (100 epochs), dt 0.05" 100000 2 --tmax 100
echo
echo "Dense numpy peer (benchmarks/dense_numpy_peer.py), same machine, same run:"
echo
echo "| run | peer wall s | dmft wall s | ratio |"
echo "|---|---|---|---|"
for dt in 0.025 0.0125; do
  peer_wall=$(peer 100000 "$dt")
  echo "| poisson, 100000 paths, dt $dt | $peer_wall | ${wall_of[poisson_$dt]} | $(awk -v a="$peer_wall" -v b="${wall_of[poisson_$dt]}" 'BEGIN { printf "%.1f", a / b }') |"
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "- halving dt (poisson, 1e5 paths): 0.025 -> 0.0125: $(ratio "${wall_of[poisson_0.0125]}" "${wall_of[poisson_0.025]}")x, 0.0125 -> 0.00625: $(ratio "${wall_of[poisson_0.00625]}" "${wall_of[poisson_0.0125]}")x"
echo "- halving dt at the same 241 output rows: 0.025 -> 0.0125: $(ratio "${wall_of[rows241_0.0125]}" "${wall_of[rows241_0.025]}")x, 0.0125 -> 0.00625: $(ratio "${wall_of[rows241_0.00625]}" "${wall_of[rows241_0.0125]}")x"
echo "- tmax 48 / tmax 6 (2e4 paths, dt 0.05): $(ratio "${wall_of[tmax_48]}" "${wall_of[tmax_6]}")x"
echo "- 2 threads / 1 thread (poisson, 1e5 paths, dt 0.025): $(ratio "${wall_of[one_thread]}" "${wall_of[poisson_0.025]}")x faster"

#!/usr/bin/env bash
# Ranks against threads on this machine (docs/benchmarks.md, "MPI"): the canonical problems on
# 1 rank x 1 thread, 1 rank x 2 threads and 2 ranks x 1 thread, with each rank's peak memory and
# a check that the CSVs are the same bytes; then the per-step reduction of a group shared by two
# ranks on its own (bench_mpi_tree_sum). Prints Markdown; about 3 minutes on 2 cores.
# usage: benchmarks/mpi.sh [BUILD_DIR] > table.md
set -euo pipefail
build=${1:-build}
dmft=$build/dmft
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
command -v mpirun > /dev/null || { echo "benchmarks/mpi.sh needs mpirun (Debian package openmpi-bin)" >&2; exit 2; }
root=()
[ "$(id -u)" -ne 0 ] || root=(--allow-run-as-root)

# ranks threads out -- options: prints "wall_s largest_rank_peak_MiB"
measure() {
  local ranks=$1 threads=$2 out=$3; shift 3
  local started ended
  started=$(date +%s.%N)
  if [ "$ranks" -eq 1 ]; then
    /usr/bin/time -f "%M" -o "$scratch/peak.0" "$dmft" solve --quiet --threads "$threads" --out "$out" "$@"
  else
    mpirun "${root[@]}" -np "$ranks" sh -c '/usr/bin/time -f "%M" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' "$scratch/peak" \
      "$dmft" solve --quiet --threads "$threads" --out "$out" "$@"
  fi
  ended=$(date +%s.%N)
  local peak
  peak=$(cat "$scratch"/peak.* | sort -n | tail -n 1)
  rm -f "$scratch"/peak.*
  awk -v a="$started" -v b="$ended" -v p="$peak" 'BEGIN { printf "%.2f %d\n", b - a, p / 1024 }'
}

echo "| run | ranks x threads | wall s | speed-up over 1 x 1 | largest rank's peak MiB | same CSV bytes as 1 x 1 |"
echo "|---|---|---|---|---|---|"
problem() { # label -- options
  local label=$1; shift
  local one
  read -r one one_mib < <(measure 1 1 "$scratch/a" "$@")
  echo "| $label | 1 x 1 | $one | 1 | $one_mib | |"
  for layout in "1 2" "2 1"; do
    read -r ranks threads <<< "$layout"
    read -r wall mib < <(measure "$ranks" "$threads" "$scratch/b" "$@")
    local same=no
    cmp -s "$scratch/a.csv" "$scratch/b.csv" && same=yes
    echo "| $label | $ranks x $threads | $wall | $(awk -v a="$one" -v b="$wall" 'BEGIN { printf "%.2f", a / b }') | $mib | $same |"
  done
}
problem "poisson, 1e6 paths, dt 0.0125, tmax 6" --paths 1000000 --dt 0.0125
problem "poisson, 1e5 paths, dt 0.05, tmax 48" --paths 100000 --tmax 48
problem "gauss, 1e5 paths, dt 0.025, tmax 6" --noise gauss --paths 100000 --dt 0.025

echo
echo "Reduction of one group shared by two ranks (62 leaves, as a group of 1e6 paths in 16 groups):"
echo
echo '```'
mpirun "${root[@]}" -np 2 "$build/bench_mpi_tree_sum" 62 2000
echo "and on one rank (the same tree, no messages):"
mpirun "${root[@]}" -np 1 "$build/bench_mpi_tree_sum" 62 2000
echo '```'

#!/usr/bin/env bash
# Every plugin model and every regularizer and prior beyond ridge, validated against finite-n
# simulations with `dmft validate`, one report per case and an index:
#   OUTPUT_DIRECTORY/index.html (verdicts and links), OUTPUT_DIRECTORY/CASE/index.html.
# The DMFT uses the bernoulli noise, which is exactly the large-n limit of the extensive-batch
# SGD that is simulated, so a PASS says that the solver (and the plugin) are right, not that an
# approximation is good. Exit status 0 if every case passes, 1 otherwise.
# usage: run.sh DMFT_BINARY PLUGIN_DIRECTORY OUTPUT_DIRECTORY     (about 3 minutes on 2 cores)
set -uo pipefail
dmft=${1:?usage: run.sh DMFT_BINARY PLUGIN_DIRECTORY OUTPUT_DIRECTORY}
plugins=${2:?usage: run.sh DMFT_BINARY PLUGIN_DIRECTORY OUTPUT_DIRECTORY}
out=${3:?usage: run.sh DMFT_BINARY PLUGIN_DIRECTORY OUTPUT_DIRECTORY}
mkdir -p "$out"
common="--quiet --noise bernoulli --tmax 3 --paths 32000 --n 2000,4000 --seeds 8"

cases=(
  "cauchy|robust loss (plugin robust.so), tanh student and teacher, label noise 0.5|--plugin $plugins/robust.so --loss cauchy --model-param cauchy-scale=0.5 --label-noise 0.5"
  "geman-mcclure|non-convex robust loss (plugin robust.so)|--plugin $plugins/robust.so --loss geman-mcclure --model-param gm-scale=1 --label-noise 0.5"
  "phase-retrieval|y = abs(w*), student abs(xi) (plugin phase_retrieval.so; slope jumps: integration by parts)|--plugin $plugins/phase_retrieval.so --loss squared --activation abs --teacher abs --init-overlap 0.5 --eta 1"
  "committee-2|committee k = 2 on a k* = 2 tanh committee, squared loss|--k 2 --kstar 2 --loss squared --activation tanh --teacher tanh --eta 1"
  "committee-3|committee k = 3 on a k* = 3 tanh committee, squared loss|--k 3 --kstar 3 --loss squared --activation tanh --teacher tanh --eta 1 --paths 16000"
  "single-vs-two-index|single-index ReLU student, teacher y = w*_1 w*_2 (plugin multi_index.so)|--plugin $plugins/multi_index.so --teacher product --kstar 2 --k 1 --loss squared --activation relu --eta 1"
  "elastic-net-sparse|smoothed L1 + ridge on a sparse Bernoulli-Gauss teacher (rho 0.2), least squares|--regularizer l1 --model-param l1=0.2 --ridge 0.01 --teacher-prior bernoulli-gauss --sparsity 0.2 --loss squared --activation linear --teacher linear --label-noise 0.3 --eta 1"
  "l1-rademacher|smoothed L1 on a Rademacher teacher, Bernoulli-Gauss initialization, Huber/tanh|--regularizer l1 --model-param l1=0.3 --teacher-prior rademacher --init-prior bernoulli-gauss --sparsity 0.2"
  "log-penalty|user regularizer lambda log(1 + theta^2/s^2) (plugin penalties.so), Rademacher teacher|--plugin $plugins/penalties.so --regularizer log-penalty --model-param log-weight=0.1 --teacher-prior rademacher"
  "ridge-rademacher|ridge with Rademacher teacher and initialization (exact parameter side: second moments suffice)|--teacher-prior rademacher --init-prior rademacher"
)

failed=0
rows=""
for entry in "${cases[@]}"; do
  IFS='|' read -r name description options <<< "$entry"
  # shellcheck disable=SC2086
  "$dmft" validate $common $options --report "$out/$name" > "$out/$name.log" 2>&1
  status=$?
  verdict=$(case $status in 0) echo PASS ;; 1) echo FAIL ;; *) echo "ERROR (exit $status)" ;; esac)
  [ "$status" -eq 0 ] || failed=1
  largest=$(grep -E '^\| [0-9]+ \|' "$out/$name.log" | awk -F'|' '{print $5}' | sort -g | tail -n 1 | tr -d ' ')
  echo "$name: $verdict (largest deviation ${largest:-?} s.e.)"
  rows="$rows<tr><td><a href=\"$name/index.html\">$name</a></td><td>$description</td><td><code>$options</code></td><td>${largest:-?}</td><td><b>$verdict</b></td></tr>"
done

cat > "$out/index.html" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>dmft: plugin models, regularizers and priors against simulations</title>
<style>body{font-family:sans-serif;margin:2em;max-width:80em}td,th{border:1px solid #ccc;padding:.3em .6em}table{border-collapse:collapse}code{font-size:85%}</style></head><body>
<h1>Plugin models, regularizers and priors against finite-n simulations</h1>
<p>Each row: <code>dmft validate $common OPTIONS</code>. The bernoulli DMFT is the exact large-n limit of the
extensive-batch SGD simulated at n = 2000 and 4000 (8 seeds each); deviations are in combined standard errors,
the tolerance is the Bonferroni bound at a 1% family-wise false alarm rate. Click a case for its plots.</p>
<table><tr><th>case</th><th>model</th><th>options</th><th>largest deviation (s.e.)</th><th>verdict</th></tr>
$rows
</table></body></html>
HTML
echo "Report: $out/index.html"
exit $failed

#!/usr/bin/env bash
# Training recipes in high dimensions, from the DMFT: what reshuffling, shuffle-once, a cosine
# learning rate with warmup, a growing batch and momentum do to the learning curve, each
# validated against its own finite-n algorithm. Writes
#   OUTPUT_DIRECTORY/index.html   the questions, one figure each, a short text, and the table of
#                                 validations (links to every dmft validate report);
#   OUTPUT_DIRECTORY/validate/CASE/index.html, OUTPUT_DIRECTORY/curves/*.csv|h5.
# Exit status 0 if every validation passes, 1 otherwise.
# usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]      (about 10 minutes on 2 cores)
set -uo pipefail
dmft=${1:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]}
out=${2:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]}
paths=${3:-40000}
mkdir -p "$out/validate" "$out/curves"

# The model of every figure: dmft's default (Huber loss, tanh student and teacher, gamma 2,
# ridge 0.05) at eta 1.5, kappa 1, for 6 epochs.
printf '0 0.5\n1 1.5\n3 1.5\n6 0.3\n' > "$out/eta-schedule.txt"   # a file schedule: warmup, plateau, decay
printf '0 1\n2 1\n6 2\n' > "$out/kappa-schedule.txt"              # a batch that starts growing at t = 2

# ---- 1. Validations: each recipe against its own finite-n algorithm, on two models, with
# mini-batch SGD (alpha 0.5) and, where it exists, extensive-batch SGD (the bernoulli DMFT is
# its exact limit). Deviations in combined standard errors; the tolerance is the Bonferroni bound.
huber=""
squares="--loss squared --activation linear --teacher linear --eta 0.8"
declare -a cases=(
  "reshuffle|random reshuffling|--noise reshuffle"
  "shuffle-once|shuffle once|--noise shuffle-once"
  "reshuffle-growing-batch|reshuffling with a batch growing x2.5|--noise reshuffle --kappa-schedule linear --kappa-final 2.5"
  "eta-cosine|cosine learning rate after a warmup|--eta-schedule cosine --warmup 0.5 --eta-final 0.1"
  "eta-linear|linear learning-rate decay|--eta-schedule linear --eta-final 0.2"
  "eta-file|learning rate from a file|--eta-schedule file --eta-file $out/eta-schedule.txt"
  "kappa-linear|batch growing linearly, x3|--kappa-schedule linear --kappa-final 3"
  "kappa-file|batch growing from t = 2 (file)|--kappa-schedule file --kappa-file $out/kappa-schedule.txt"
  "momentum|momentum, time 0.3|--momentum-time 0.3"
)
failed=0
rows=""
for entry in "${cases[@]}"; do
  IFS='|' read -r name description options <<< "$entry"
  for model in huber squares; do
    model_options=${!model}
    for algorithm in sgd extensive; do
      noise_options=""
      if [ "$algorithm" = extensive ]; then
        case $name in reshuffle*|shuffle-once*) continue ;; esac  # batches by epochs are mini-batch SGD's
        noise_options="--noise bernoulli"
      fi
      case_name="$name-$model-$algorithm"
      # shellcheck disable=SC2086
      "$dmft" validate --quiet --tmax 4 --dt 0.025 --paths 20000 --n 2000,4000 --seeds 6 $model_options $options \
        $noise_options --report "$out/validate/$case_name" > "$out/validate/$case_name.log" 2>&1
      status=$?
      verdict=$(case $status in 0) echo PASS ;; 1) echo FAIL ;; *) echo "ERROR (exit $status)" ;; esac)
      [ "$status" -eq 0 ] || failed=1
      line=$(head -n 1 "$out/validate/$case_name.log")
      echo "$case_name: $line"
      rows="$rows<tr><td><a href=\"validate/$case_name/index.html\">$case_name</a></td><td>$description</td><td>$model</td><td>$algorithm</td><td><code>$options</code></td><td>${line#dmft validate: }</td></tr>"
    done
  done
done

# ---- 2. The questions, as DMFT solves (no finite-size effects, error bars of the solver).
solve() { # NAME OPTIONS...
  local name=$1
  shift
  "$dmft" solve --quiet --paths "$paths" --tmax 6 --dt 0.025 "$@" --out "$out/curves/$name" || failed=1
}
solve iid
solve reshuffle --noise reshuffle
solve shuffle-once --noise shuffle-once
solve cosine --eta-schedule cosine --warmup 0.5 --eta-final 0
solve linear-decay --eta-schedule linear --eta-final 0
solve momentum --momentum-time 0.3
solve reshuffle-cosine --noise reshuffle --eta-schedule cosine --warmup 0.5 --eta-final 0
for noise in gauss flow; do
  solve "$noise" --noise "$noise"
  solve "$noise-cosine" --noise "$noise" --eta-schedule cosine --warmup 0.5 --eta-final 0
  solve "$noise-momentum" --noise "$noise" --momentum-time 0.3
done

# Test loss (column 6, its standard error column 10) against epochs (column 2), with bands.
figure() { # FILE TITLE NAME:LABEL...
  local file=$1 title=$2
  shift 2
  local colours=("#d95f02" "#1b9e77" "#7570b3" "#e7298a" "#66a61e" "#e6ab02" "#a6761d")
  local plots="" i=0
  for entry in "$@"; do
    local name=${entry%%:*} label=${entry#*:} colour=${colours[$((i % 7))]}
    plots="$plots'$out/curves/$name.csv' using 2:(\$6-2*\$10):(\$6+2*\$10) skip 1 with filledcurves fc rgb '$colour' fs transparent solid 0.25 noborder notitle, "
    plots="$plots'$out/curves/$name.csv' using 2:6 skip 1 with lines lw 2 lc rgb '$colour' title '$label', "
    i=$((i + 1))
  done
  gnuplot <<GNUPLOT
set datafile separator ','
set terminal svg size 760,460 dynamic font 'sans,11' noenhanced
set output '$out/$file.svg'
set title '$title'
set xlabel 'epochs'
set ylabel 'test loss (bands: 2 standard errors)'
set grid
set key top right
plot ${plots%, }
set terminal pngcairo size 760,460 font 'sans,10' noenhanced
set output '$out/$file.png'
replot
GNUPLOT
}
figure sampling "i.i.d. batches, random reshuffling, shuffle-once (SGD)" iid:"i.i.d. batches" reshuffle:"reshuffle every epoch" shuffle-once:"shuffle once"
figure schedule "constant learning rate against decays (SGD)" iid:"constant 1.5" cosine:"cosine to 0 after a warmup of 0.5" linear-decay:"linear decay to 0" reshuffle-cosine:"cosine, reshuffled"
figure momentum "momentum (time 0.3) for SGD, SME and gradient flow" iid:"SGD" momentum:"SGD + momentum" gauss:"SME" gauss-momentum:"SME + momentum" flow:"gradient flow" flow-momentum:"gradient flow + momentum"
figure noise "the cosine schedule for SGD, SME and gradient flow" cosine:"SGD, cosine" gauss-cosine:"SME, cosine" flow-cosine:"gradient flow, cosine" iid:"SGD, constant"

final() { tail -n 1 "$out/curves/$1.csv" | awk -F, '{printf "%.4f &plusmn; %.4f", $6, $10}'; }
cat > "$out/index.html" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>dmft: training recipes in high dimensions</title>
<style>body{font-family:sans-serif;margin:2em auto;max-width:70em;color:#222}td,th{border:1px solid #ccc;padding:.3em .6em}
table{border-collapse:collapse}code{font-size:85%}img{max-width:100%}</style></head><body>
<h1>Training recipes in high dimensions</h1>
<p>Huber loss on a tanh student learning a noisy tanh teacher (dmft's default model: gamma 2, eta 1.5, kappa 1,
ridge 0.05), 6 epochs, n, d &rarr; infinity, from the DMFT ($paths paths, dt 0.025; bands are two standard
errors). Every recipe is validated against its own finite-n algorithm below.</p>

<h2>Does the order of the samples matter?</h2>
<img src="sampling.png" alt="test loss: iid, reshuffle, shuffle-once">
<p>Test loss at 6 epochs: i.i.d. batches $(final iid), reshuffling $(final reshuffle), shuffle-once
$(final shuffle-once). Drawing every sample exactly once an epoch removes the fluctuation of how often each
sample has been seen, which is noise the i.i.d. sampler adds: the overlap grows faster and the test loss is
lower. Shuffling once or every epoch differ far less than either differs from i.i.d. batches.</p>

<h2>What does a decaying learning rate buy?</h2>
<img src="schedule.png" alt="test loss: constant, cosine, linear">
<p>Test loss at 6 epochs: constant $(final iid), cosine after a warmup $(final cosine), linear decay
$(final linear-decay), cosine with reshuffling $(final reshuffle-cosine). Decaying the learning rate trades the
speed of the early epochs (the warmup and the slow start of the cosine cost the first two) for less SGD noise at
the end, where a constant rate's noise sets the loss; reshuffling and the schedule add up.</p>

<h2>Momentum</h2>
<img src="momentum.png" alt="test loss with and without momentum">
<p>Test loss at 6 epochs with momentum (time 0.3): SGD $(final momentum) against $(final iid), SME
$(final gauss-momentum) against $(final gauss), gradient flow $(final flow-momentum) against $(final flow).
In this moving-average form momentum keeps the learning rate and spreads each kick over a time 0.3: it lags
early, and at this horizon it has not gained anything (SGD and SME end within their errors of the runs without
it). For gradient flow on this non-linear model the solve with momentum grows noisy after about 4 epochs (its
standard error rises several-fold: more paths are needed there). A momentum fixed per step (a constant beta) has a
time that shrinks like the step, n^(alpha-1): at large n it becomes plain SGD (docs/equations.md, section 5).</p>

<h2>SGD, SME and gradient flow under the same schedule</h2>
<img src="noise.png" alt="cosine schedule for SGD, SME and gradient flow">
<p>Test loss at 6 epochs with the cosine schedule: SGD $(final cosine), SME $(final gauss-cosine), gradient flow
$(final flow-cosine), against SGD at a constant rate $(final iid). The schedule takes SGD part of the way
towards gradient flow (less noise late); SGD and SME, which differ clearly at a constant rate in the first
epochs (the jumps of a drawn sample are of order one), end close under the schedule.</p>

<h2>Validation against the finite-n algorithms</h2>
<p>Each row: <code>dmft validate --tmax 4 --dt 0.025 --paths 20000 --n 2000,4000 --seeds 6 OPTIONS</code>, on the
Huber/tanh model or least squares (<code>$squares</code>), with mini-batch SGD at alpha 0.5 (sgd) or
extensive-batch SGD against the bernoulli DMFT, its exact limit (extensive). Reshuffling and shuffle-once are
ways of drawing mini-batches, so they have no extensive version here.</p>
<table><tr><th>case</th><th>recipe</th><th>model</th><th>algorithm</th><th>options</th><th>verdict</th></tr>
$rows
</table></body></html>
HTML
echo "Report: $out/index.html"
exit $failed

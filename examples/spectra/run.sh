#!/usr/bin/env bash
# Structured data: learning on inputs with a covariance spectrum, from the DMFT, validated against
# finite-n SGD on anisotropic data. Writes
#   OUTPUT_DIRECTORY/index.html   the learning curve of a power-law spectrum against isotropic data
#                                 of the same mean eigenvalue, the per-class overlaps (which
#                                 directions are learned first), and the table of validations
#                                 (links to every dmft validate report);
#   OUTPUT_DIRECTORY/validate/CASE/index.html, OUTPUT_DIRECTORY/curves/*.csv|h5.
# Exit status 0 if every validation passes, 1 otherwise.
# usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]      (about an hour on 2 cores: 55 minutes measured)
set -uo pipefail
dmft=${1:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]}
out=${2:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]}
paths=${3:-100000}
mkdir -p "$out/validate" "$out/curves"

# ---- 1. Validations: three models x two spectra x two step sizes, against mini-batch SGD
# (alpha 0.5, the poisson DMFT, at dt 0.025 and 0.0125: mini-batch SGD's steps are finer than dt
# and the DMFT's O(dt) error must be small against them; at dt 0.05 the two-level case misses it
# by 5 standard errors at t = 0.2) and extensive-batch SGD (the bernoulli DMFT, its exact limit at
# the same step, dt 0.05 and 0.025).
# The two-level spectrum has mean 1.5 (not 1: a mean-1 spectrum would hide a label variance or a
# field response that ignores the mean eigenvalue); the power law has 8 classes of 500 coordinates
# at n = 8000. Deviations in combined standard errors; the tolerance is the Bonferroni bound.
huber=""
squares="--loss squared --activation linear --teacher linear --eta 0.8"
logistic="--loss logistic --activation erf --teacher sign --flip-prob 0.1 --gamma 1.5 --ridge 0.02 --eta 1"
two_level="--spectrum two-level --spectrum-values 0.5,2.5 --spectrum-fraction 0.5"
power_law="--spectrum power-law --spectrum-exponent 1.5 --spectrum-classes 8"
failed=0
rows=""
for model in huber squares logistic; do
  for spectrum in two_level power_law; do
    for algorithm in sgd extensive; do
      for step in coarse fine; do
        noise_options="--noise poisson --alpha 0.5"
        dt=$([ "$step" = coarse ] && echo 0.025 || echo 0.0125)
        if [ "$algorithm" = extensive ]; then
          noise_options="--noise bernoulli"
          dt=$([ "$step" = coarse ] && echo 0.05 || echo 0.025)
        fi
        case_name="$model-${spectrum/_/-}-dt$dt-$algorithm"
        # shellcheck disable=SC2086
        "$dmft" validate --quiet --tmax 3 --dt "$dt" --paths 160000 --n 4000,8000 --seeds 8 ${!model} ${!spectrum} \
          $noise_options --report "$out/validate/$case_name" > "$out/validate/$case_name.log" 2>&1
        status=$?
        verdict=$(case $status in 0) echo PASS ;; 1) echo FAIL ;; *) echo "ERROR (exit $status)" ;; esac)
        [ "$status" -eq 0 ] || failed=1
        line=$(head -n 1 "$out/validate/$case_name.log")
        echo "$case_name: $line"
        rows="$rows<tr><td><a href=\"validate/$case_name/index.html\">$case_name</a></td><td>$model</td><td>${spectrum/_/-}</td><td>$dt</td><td>$algorithm</td><td>${line#dmft validate: }</td></tr>"
      done
    done
  done
done

# ---- 2. The curves, as DMFT solves (no finite-size effects): a power law of 16 classes (mean 1)
# against isotropic data, which is the same mean eigenvalue, on the default Huber/tanh model.
solve() { # NAME OPTIONS...
  local name=$1
  shift
  "$dmft" solve --quiet --paths "$paths" --tmax 8 --dt 0.025 "$@" --out "$out/curves/$name" || failed=1
}
solve isotropic
solve power-law --spectrum power-law --spectrum-exponent 1.5 --spectrum-classes 16
solve power-law-steep --spectrum power-law --spectrum-exponent 3 --spectrum-classes 16
solve squares-isotropic $squares
solve squares-power-law $squares --spectrum power-law --spectrum-exponent 1.5 --spectrum-classes 16

# Per-class overlaps M_j(t) from the HDF5 file, one column per class, for gnuplot.
/usr/bin/python3 - "$out/curves/power-law.h5" "$out/curves/power-law-classes.csv" <<'PYTHON' || failed=1
import sys, h5py
f = h5py.File(sys.argv[1], "r")
t, M, se, lam = f["t"][()], f["M_class"][()][:, :, 0, 0], f["M_class_se"][()][:, :, 0, 0], f["spectrum_eigenvalue"][()]
with open(sys.argv[2], "w") as out:
    out.write("t," + ",".join(f"M_{j + 1}" for j in range(len(lam))) + "," + ",".join(f"se_{j + 1}" for j in range(len(lam))) + "\n")
    for i in range(len(t)):
        out.write(f"{t[i]:.6g}," + ",".join(f"{v:.6g}" for v in M[i]) + "," + ",".join(f"{v:.6g}" for v in se[i]) + "\n")
print(" ".join(f"{x:.4g}" for x in lam))
PYTHON

# A solve's row at time T (the last row for "end"), and what the text quotes from it.
row_at() { # NAME T
  if [ "$2" = end ]; then tail -n 1 "$out/curves/$1.csv"; else awk -F, -v t="$2" 'NR > 1 && $1 + 0 == t + 0' "$out/curves/$1.csv"; fi
}
# Standard errors between two solves' columns: |a - b| / sqrt(se_a^2 + se_b^2).
apart() { # NAME_A NAME_B T VALUE_COLUMN SE_COLUMN
  local a b
  a=$(row_at "$1" "$3" | cut -d, -f"$4,$5")
  b=$(row_at "$2" "$3" | cut -d, -f"$4,$5")
  echo "$a,$b" | awk -F, '{d = $1 - $3; printf "%.1f", (d < 0 ? -d : d) / sqrt($2 * $2 + $4 * $4)}'
}
final() { row_at "$1" "$2" | awk -F, -v v="$3" -v s="$4" '{printf "%.4f &plusmn; %.4f", $v, $s}'; }

curves() { # FILE TITLE YCOLUMN SECOLUMN YLABEL NAME:LABEL...
  local file=$1 title=$2 y=$3 e=$4 ylabel=$5
  shift 5
  local colours=("#d95f02" "#1b9e77" "#7570b3" "#e7298a" "#66a61e")
  local plots="" i=0
  for entry in "$@"; do
    local name=${entry%%:*} label=${entry#*:} colour=${colours[$((i % 5))]}
    plots="$plots'$out/curves/$name.csv' using 2:(\$$y-2*\$$e):(\$$y+2*\$$e) skip 1 with filledcurves fc rgb '$colour' fs transparent solid 0.25 noborder notitle, "
    plots="$plots'$out/curves/$name.csv' using 2:$y skip 1 with lines lw 2 lc rgb '$colour' title '$label', "
    i=$((i + 1))
  done
  gnuplot <<GNUPLOT
set datafile separator ','
set terminal svg size 760,460 dynamic font 'sans,11' noenhanced
set output '$out/$file.svg'
set title '$title'
set xlabel 'epochs'
set ylabel '$ylabel'
set grid
set key top right
plot ${plots%, }
set terminal pngcairo size 760,460 font 'sans,10' noenhanced
set output '$out/$file.png'
replot
GNUPLOT
}
curves test-loss "test loss: power-law spectra against isotropic data (mean eigenvalue 1)" 6 10 "test loss (bands: 2 standard errors)" \
  isotropic:"isotropic" power-law:"power law, exponent 1.5, 16 classes" power-law-steep:"power law, exponent 3, 16 classes"
curves overlap "overlap M = theta.theta*/d" 3 7 "M (bands: 2 standard errors)" \
  isotropic:"isotropic" power-law:"power law, exponent 1.5" power-law-steep:"power law, exponent 3"
curves squares "least squares: test loss, power law against isotropic" 6 10 "test loss (bands: 2 standard errors)" \
  squares-isotropic:"isotropic" squares-power-law:"power law, exponent 1.5, 16 classes"

gnuplot <<GNUPLOT
set datafile separator ','
set terminal svg size 760,460 dynamic font 'sans,11' noenhanced
set output '$out/classes.svg'
set title 'overlap of each eigenvalue class, power law exponent 1.5 (class 1: the largest eigenvalue)'
set xlabel 't (epochs)'
set ylabel 'M_j = theta.theta*/d over class j'
set grid
set key outside right
set palette defined (0 '#b2182b', 1 '#fddbc7', 2 '#2166ac')
unset colorbox
plot for [j=1:16] '$out/curves/power-law-classes.csv' using 1:(column(1+j)) skip 1 with lines lw 2 lc palette frac (j-1)/15.0 title sprintf('class %d', j)
set terminal pngcairo size 760,460 font 'sans,10' noenhanced
set output '$out/classes.png'
replot
GNUPLOT

half_class() { # the time at which class J's M_j first reaches half the teacher's norm (1)
  awk -F, -v j="$1" 'NR > 1 && $(1 + j) >= 0.5 {print $1; found = 1; exit} END {if (!found) print "beyond t = 8"}' "$out/curves/power-law-classes.csv"
}

cat > "$out/index.html" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>dmft: learning on structured data</title>
<style>body{font-family:sans-serif;margin:2em auto;max-width:70em;color:#222}td,th{border:1px solid #ccc;padding:.3em .6em}
table{border-collapse:collapse}code{font-size:85%}img{max-width:100%}</style></head><body>
<h1>Learning on structured data: covariance spectra</h1>
<p>Inputs x ~ N(0, Sigma/d) whose covariance has a power-law spectrum, lambda_j proportional to j^-a over 16 classes of
equal size, normalized to mean eigenvalue 1, against isotropic inputs (Sigma = I, the same mean). dmft's default model:
Huber loss on a tanh student learning a noisy tanh teacher, gamma 2, eta 1.5, kappa 1, ridge 0.05, SGD (poisson), n, d
&rarr; infinity, from the DMFT ($paths paths, dt 0.025; bands are two standard errors). Every pairing is validated
against finite-n SGD on anisotropic data below.</p>

<h2>How does the spectrum change the learning curve?</h2>
<img src="test-loss.png" alt="test loss: power law against isotropic">
<p>Test loss at t = 1: isotropic $(final isotropic 1 6 10), power law a = 1.5 $(final power-law 1 6 10), a = 3
$(final power-law-steep 1 6 10) ($(apart isotropic power-law 1 6 10) and $(apart isotropic power-law-steep 1 6 10)
standard errors from the isotropic curve). At t = 8: isotropic $(final isotropic end 6 10), power law a = 1.5 $(final power-law end 6 10), a = 3
$(final power-law-steep end 6 10): the power law is $(apart isotropic power-law end 6 10) standard errors from the isotropic
curve at the same mean eigenvalue, the steeper one $(apart isotropic power-law-steep end 6 10). The test loss is a function
of the Sigma-weighted overlaps M_sigma, Q_sigma, which the large eigenvalues dominate: those directions are fitted
fast, so the loss falls faster at first, while the small-eigenvalue directions, which carry less of the signal, are
learned slowly.</p>
<img src="overlap.png" alt="plain overlap M: power law against isotropic">
<p>The plain overlap theta.theta*/d weighs every coordinate alike: at t = 8 it is $(final isotropic end 3 7) for isotropic
data, $(final power-law end 3 7) and $(final power-law-steep end 3 7) for the power laws ($(apart isotropic power-law end 3 7) and
$(apart isotropic power-law-steep end 3 7) standard errors apart) &mdash; most coordinates sit in the small-eigenvalue classes.</p>

<h2>Which directions are learned first?</h2>
<img src="classes.png" alt="per-class overlaps">
<p>Each class's own overlap M_j (the teacher's norm is 1 in every class). The class of the largest eigenvalue reaches
M_j = 1/2 at t = $(half_class 1), the 4th at $(half_class 4), the 8th at $(half_class 8), the 16th (the smallest
eigenvalue) $(half_class 16): the directions are learned in the order of their eigenvalues, on times that grow
roughly like 1/lambda_j, until the SGD noise and the ridge set each class's plateau (the largest class overshoots the
teacher's norm first).</p>

<h2>Least squares</h2>
<img src="squares.png" alt="least squares: power law against isotropic">
<p>Least squares ($squares): test loss at t = 1, isotropic $(final squares-isotropic 1 6 10), power law
$(final squares-power-law 1 6 10), $(apart squares-isotropic squares-power-law 1 6 10) standard errors apart; at t = 8
$(final squares-isotropic end 6 10) and $(final squares-power-law end 6 10) ($(apart squares-isotropic squares-power-law end 6 10)
apart): the large eigenvalues give a fast start, and by t = 8 the isotropic run has caught up, its directions being
all of the same speed while the power law's slow classes are still learning.</p>

<h2>Validation against finite-n SGD on anisotropic data</h2>
<p>Each row: <code>dmft validate --tmax 3 --dt DT --paths 160000 --n 4000,8000 --seeds 8 MODEL SPECTRUM NOISE</code>, which
simulates X = Z diag(sqrt(lambda))/sqrt(d) (round(nu_j d) columns per class) and compares M, Q, the train and test
losses, M_sigma and Q_sigma at every simulated time. Models: huber (the default), squares (<code>$squares</code>),
logistic (<code>$logistic</code>). Spectra: two-level (<code>$two_level</code>, mean 1.5) and power-law
(<code>$power_law</code>). sgd: the poisson DMFT against mini-batch SGD at alpha 0.5; extensive: the bernoulli DMFT
against extensive-batch SGD, its exact limit at the same step. The poisson DMFT is run at dt 0.025 and 0.0125
(mini-batch SGD's steps are finer: the DMFT's O(dt) error must be small), the bernoulli one at 0.05 and 0.025. 160000
paths: with 2500 paths a replica group the two-level case's Q is biased by about one standard error (the groups'
non-linear feedback, docs/spectra.md).</p>
<table><tr><th>case</th><th>model</th><th>spectrum</th><th>dt</th><th>algorithm</th><th>verdict</th></tr>
$rows
</table></body></html>
HTML
echo "Report: $out/index.html"
exit $failed

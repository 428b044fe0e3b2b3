#!/usr/bin/env bash
# The known limits of the DMFT, as one report (issue: convergence studies and known limits):
#   1. small step: eta/kappa -> 0 at fixed eta, SGD (poisson) approaches gradient flow;
#   2. one pass: gamma -> infinity at fixed tau = kappa gamma t, SGD approaches the online-SGD
#      equations (dmft online, CVODE);
#   3. linear regression: SGD (poisson) and SME (gauss) give the same M and Q.
# usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY      (about a minute on 2 cores)
set -euo pipefail
dmft=${1:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY}
out=${2:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY}
mkdir -p "$out"
q=--quiet

# 1. Small step: eta = 1, kappa = 1, 4, 16 (kick eta/kappa = 1, 0.25, 0.0625), time t = epochs / kappa.
"$dmft" solve $q --noise flow --eta 1 --kappa 1 --tmax 3 --paths 40000 --out "$out/small-flow"
for kappa in 1 4 16; do
  "$dmft" solve $q --noise poisson --eta 1 --kappa "$kappa" --tmax 3 --paths 100000 --out "$out/small-kappa$kappa"
done
: > "$out/small-distance.dat"
for kappa in 1 4 16; do
  paste -d, "$out/small-kappa$kappa.csv" "$out/small-flow.csv" | tail -n 1 |
    awk -F, -v k="$kappa" '{printf "%g %.6e %.6e\n", 1/k, ($3 > $13 ? $3 - $13 : $13 - $3), sqrt($7*$7 + $17*$17)}' >> "$out/small-distance.dat"
done

# 2. One pass: tau = 2, gamma = 5 ... 40, paths growing with gamma so that as many paths jump.
: > "$out/online-gap.dat"
for gamma in 5 10 20 40; do
  tmax=$(awk -v g="$gamma" 'BEGIN { printf "%.10g", 2 / g }')
  dt=$(awk -v g="$gamma" 'BEGIN { printf "%.10g", 2 / g / 40 }')
  "$dmft" online $q --eta 0.5 --gamma "$gamma" --tmax "$tmax" --dt "$dt" --out "$out/online-gamma$gamma"
  "$dmft" solve $q --eta 0.5 --gamma "$gamma" --tmax "$tmax" --dt "$dt" --paths $((40000 * gamma)) --out "$out/sgd-gamma$gamma"
  paste -d, "$out/sgd-gamma$gamma.csv" "$out/online-gamma$gamma.csv" | tail -n 1 |
    awk -F, -v g="$gamma" '{printf "%g %.6e %.6e\n", g, ($6 > $16 ? $6 - $16 : $16 - $6), $10}' >> "$out/online-gap.dat"
done

# 3. Linear regression: SGD and SME.
# A small step, so that the O(dt) difference between Poisson and Gaussian increments stays
# below the Monte Carlo error: the statement is about the dt -> 0 limit.
linear="--loss squared --activation linear --teacher linear --label-noise 0.5 --ridge 0.1 --eta 0.5 --tmax 2 --dt 0.0125 --output-every 4 --paths 40000"
"$dmft" solve $q $linear --noise poisson --out "$out/linear-sgd"
"$dmft" solve $q $linear --noise gauss --out "$out/linear-sme"

cat > "$out/limits.gp" <<GNUPLOT
set terminal svg size 1150,380 dynamic font 'sans,11' noenhanced
set output '$out/limits.svg'
set multiplot layout 1,3
set grid
set logscale x
set yrange [-0.01:*]
set key top left font ',9'
set xlabel 'kick per sample eta/kappa'
set ylabel '|M_SGD - M_flow| at t = 3'
set title '1. small step: SGD -> gradient flow'
plot '$out/small-distance.dat' using 1:2:3 with yerrorbars pt 7 title 'distance +- 1 s.e.', \
     '$out/small-distance.dat' using 1:2 with lines notitle
set logscale xy
set yrange [*:*]
set xlabel 'gamma = n/d'
set ylabel '|test loss SGD - online| at tau = 2'
set title '2. one pass: SGD -> online ODE'
plot '$out/online-gap.dat' using 1:2:3 with yerrorbars pt 7 title 'gap +- 1 s.e.', \
     '$out/online-gap.dat' using 1:2 with lines notitle, \
     '$out/online-gap.dat' using 1:(0.0108*5/\$1) with lines dt 3 lc rgb '#777777' title '1/gamma'
unset logscale
set datafile separator ','
set xlabel 'epochs'
set ylabel 'M and Q'
set title '3. linear regression: SGD = SME'
set key bottom right
plot '$out/linear-sgd.csv' using 2:3 skip 1 with lines lw 2 title 'M, SGD (poisson)', \
     '$out/linear-sme.csv' using 2:3 skip 1 with lines dt 2 lw 2 title 'M, SME (gauss)', \
     '$out/linear-sgd.csv' using 2:4 skip 1 with lines lw 2 title 'Q, SGD', \
     '$out/linear-sme.csv' using 2:4 skip 1 with lines dt 2 lw 2 title 'Q, SME'
unset multiplot
GNUPLOT
gnuplot "$out/limits.gp"

largest_z=$(paste -d, "$out/linear-sgd.csv" "$out/linear-sme.csv" | tail -n +2 |
  awk -F, '{z1 = ($3 - $13) / sqrt($7*$7 + $17*$17 + 1e-300); z2 = ($4 - $14) / sqrt($8*$8 + $18*$18 + 1e-300);
            if (z1 < 0) z1 = -z1; if (z2 < 0) z2 = -z2; if (z1 > m) m = z1; if (z2 > m) m = z2 } END { printf "%.2f", m }')
{
  echo "<!DOCTYPE html><html><head><meta charset='utf-8'><title>dmft: known limits</title>"
  echo "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto}svg{max-width:100%;height:auto}td,th{border:1px solid #bbb;padding:3px 8px}table{border-collapse:collapse}</style></head><body>"
  echo "<h1>Known limits of the DMFT</h1>"
  echo "<p>Default model (Huber loss, tanh student and teacher) for 1 and 2; squared loss on a linear model for 3.</p>"
  echo "<h2>1. Small step (eta = 1; the distance should shrink with the kick)</h2><table><tr><th>eta/kappa</th><th>|M_SGD - M_flow|</th><th>s.e.</th></tr>"
  awk '{printf "<tr><td>%s</td><td>%.4g</td><td>%.2g</td></tr>\n", $1, $2, $3}' "$out/small-distance.dat"
  echo "</table><h2>2. One pass (tau = 2; the gap should fall like 1/gamma)</h2><table><tr><th>gamma</th><th>test-loss gap</th><th>s.e.</th></tr>"
  awk '{printf "<tr><td>%s</td><td>%.4g</td><td>%.2g</td></tr>\n", $1, $2, $3}' "$out/online-gap.dat"
  echo "</table><h2>3. Linear regression</h2><p>Largest |M or Q difference| between SGD and SME over all times: $largest_z combined standard errors.</p>"
  sed -n '/<svg/,$p' "$out/limits.svg"
  echo "</body></html>"
} > "$out/index.html"
echo "Report: $out/index.html"
cat "$out/small-distance.dat" | awk '{printf "  small step: eta/kappa = %s  |M_SGD - M_flow| = %.4f +- %.4f\n", $1, $2, $3}'
cat "$out/online-gap.dat" | awk '{printf "  one pass:   gamma = %-3s |test loss gap| = %.4f +- %.4f\n", $1, $2, $3}'
echo "  linear regression: largest SGD-SME difference $largest_z combined standard errors"

#!/usr/bin/env bash
# The default example: SGD (poisson), its Gaussian diffusion approximation SME (gauss) and
# gradient flow (flow) for the Huber loss on a tanh student learning a noisy tanh teacher
# (dmft solve's defaults), and a figure of the overlap M and the test loss against epochs.
# usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]
set -euo pipefail
dmft=${1:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]}
out=${2:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY [PATHS]}
paths=${3:-40000}
mkdir -p "$out"
for noise in poisson gauss flow; do
  "$dmft" solve --noise "$noise" --paths "$paths" --out "$out/$noise"
done

cat > "$out/figure.gp" <<GNUPLOT
set datafile separator ","
set key autotitle columnhead
set terminal pngcairo size 1200,480 font "sans,11"
set output "$out/figure.png"
set multiplot layout 1,2 title "Huber loss, tanh student and teacher: gamma 2, eta 1.5, kappa 1, ridge 0.05 (bands: 2 standard errors)"
set xlabel "epochs"
set grid
set ylabel "overlap M = theta . theta* / d"
set key bottom right
plot "$out/poisson.csv" using 2:(\$3-2*\$7):(\$3+2*\$7) with filledcurves fc rgb "#d95f02" fs transparent solid 0.3 noborder notitle, \
     "$out/gauss.csv" using 2:(\$3-2*\$7):(\$3+2*\$7) with filledcurves fc rgb "#1b9e77" fs transparent solid 0.3 noborder notitle, \
     "$out/flow.csv" using 2:(\$3-2*\$7):(\$3+2*\$7) with filledcurves fc rgb "#7570b3" fs transparent solid 0.3 noborder notitle, \
     "$out/poisson.csv" using 2:3 with lines lw 2 lc rgb "#d95f02" title "SGD (poisson)", \
     "$out/gauss.csv" using 2:3 with lines lw 2 lc rgb "#1b9e77" title "SME (gauss)", \
     "$out/flow.csv" using 2:3 with lines lw 2 lc rgb "#7570b3" title "gradient flow (flow)"
set ylabel "test loss"
set key top right
plot "$out/poisson.csv" using 2:(\$6-2*\$10):(\$6+2*\$10) with filledcurves fc rgb "#d95f02" fs transparent solid 0.3 noborder notitle, \
     "$out/gauss.csv" using 2:(\$6-2*\$10):(\$6+2*\$10) with filledcurves fc rgb "#1b9e77" fs transparent solid 0.3 noborder notitle, \
     "$out/flow.csv" using 2:(\$6-2*\$10):(\$6+2*\$10) with filledcurves fc rgb "#7570b3" fs transparent solid 0.3 noborder notitle, \
     "$out/poisson.csv" using 2:6 with lines lw 2 lc rgb "#d95f02" title "SGD (poisson)", \
     "$out/gauss.csv" using 2:6 with lines lw 2 lc rgb "#1b9e77" title "SME (gauss)", \
     "$out/flow.csv" using 2:6 with lines lw 2 lc rgb "#7570b3" title "gradient flow (flow)"
unset multiplot
set terminal svg size 1200,480 dynamic font "sans,11"
set output "$out/figure.svg"
replot
GNUPLOT
gnuplot "$out/figure.gp"
echo
echo "Results in $out/: poisson|gauss|flow.csv and .h5 (one per noise), figure.png and figure.svg"
for noise in poisson gauss flow; do
  tail -n 1 "$out/$noise.csv" | awk -F, -v n="$noise" '{printf "  %-8s at %s epochs: M = %.4f +- %.4f, test loss = %.4f +- %.4f\n", n, $2, $3, $7, $6, $10}'
done

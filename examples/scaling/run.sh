#!/usr/bin/env bash
# Scaling laws of least-squares SGD on power-law data, to 10^6 steps, from the Volterra engine
# (no paths, no Monte Carlo): train and test loss against steps on log-log axes for two spectral
# exponents, the late-time exponent fitted on each, and the prediction it is set against. Writes
#   OUTPUT_DIRECTORY/index.html, scaling.svg|png, fits.csv, curves/*.csv|h5.
# Exit status 0 when every solve ran and every fitted exponent is within 0.05 of the prediction.
# usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY      (about 4 minutes on 2 cores; 7 measured beside other jobs)
set -uo pipefail
dmft=${1:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY}
out=${2:?usage: run.sh DMFT_BINARY OUTPUT_DIRECTORY}
mkdir -p "$out/curves"
failed=0

# The model: least squares on a linear teacher without label noise or ridge, theta_0 = 0, gamma 2,
# SGD (poisson, kappa 1, eta 1), inputs with lambda_j proportional to j^-a on 200 classes of equal
# size, normalized to mean 1. dt = 0.001 keeps gradient descent stable on the largest eigenvalue
# (eta dt s_max < 2); 10^6 steps reach t = 1000. The output grid is linear in t, so each decade
# of t is its own solve of 1000 rows, and the curves are the union of their last decades.
model="--engine volterra --no-kernels --loss squared --activation linear --teacher linear --label-noise 0 --ridge 0
       --theta0-var 0 --noise poisson --eta 1 --kappa 1 --gamma 2 --dt 0.001 --spectrum power-law --spectrum-classes 200"
exponents="2.5 3"
for a in $exponents; do
  for tmax in 1 10 100 1000; do
    # shellcheck disable=SC2086
    "$dmft" solve --quiet $model --spectrum-exponent "$a" --tmax "$tmax" --out "$out/curves/a$a-t$tmax" || failed=1
  done
  # t, steps, train loss, test loss over (tmax/10, tmax] of each solve (all of the first).
  {
    echo "t,steps,train_loss,test_loss"
    for tmax in 1 10 100 1000; do
      awk -F, -v tmax="$tmax" 'NR > 1 && $1 > 0 && ($1 > tmax / 10 || tmax == 1) {printf "%s,%.0f,%s,%s\n", $1, $1 / 0.001, $5, $6}' \
        "$out/curves/a$a-t$tmax.csv"
    done
  } > "$out/curves/a$a.csv"
done

# The fits: on log-log axes, the slope of each loss over the 1.5 decades of t (a sliding window
# inside [0.01, 1000]) where the local slope varies least, i.e. where the curve is most nearly a
# power law. The prediction: with an isotropic teacher, class j contributes about
# nu lambda_j rho exp(-2 gamma lambda_j t) to the excess loss, and the classes with an eigenvalue
# above lambda number ~ lambda^(-1/a): the sum goes as t^-(1 - 1/a) between the times at which the
# largest and the smallest eigenvalues are fitted. Without label noise the SGD noise is
# proportional to the loss and does not change the exponent.
/usr/bin/python3 - "$out" $exponents <<'PYTHON' || failed=1
import sys
import numpy as np
out, exponents = sys.argv[1], sys.argv[2:]
with open(f"{out}/fits.csv", "w") as fits:
    fits.write("exponent,observable,fitted_slope,predicted_slope,window_from,window_to\n")
    for a in exponents:
        data = np.loadtxt(f"{out}/curves/a{a}.csv", delimiter=",", skiprows=1)
        t = data[:, 0]
        for column, name in ((2, "train_loss"), (3, "test_loss")):
            keep = (t > 0) & (data[:, column] > 0)
            x, y = np.log10(t[keep]), np.log10(data[keep, column])
            best = None
            for start in np.arange(-2.0, 3.0 - 1.5 + 1e-9, 0.05):
                inside = (x >= start) & (x <= start + 1.5)
                if inside.sum() < 20:
                    continue
                local = np.diff(y[inside]) / np.diff(x[inside])
                spread = np.std(local)
                if best is None or spread < best[0]:
                    best = (spread, np.polyfit(x[inside], y[inside], 1)[0], start)
            _, slope, start = best
            fits.write(f"{a},{name},{slope:.4f},{-(1 - 1 / float(a)):.4f},{10 ** start:.3g},{10 ** (start + 1.5):.3g}\n")
PYTHON
awk -F, 'NR > 1 { d = $3 - $4; if (d < 0) d = -d; if (d > 0.05) bad = 1 } END { exit bad }' "$out/fits.csv" || failed=1

gnuplot <<GNUPLOT || failed=1
set datafile separator ','
set terminal svg size 820,520 dynamic font 'sans,11' noenhanced
set output '$out/scaling.svg'
set title 'least-squares SGD on power-law data (Volterra engine, 10^6 steps)'
set logscale xy
set format x '1e%T'
set format y '1e%T'
set xlabel 'steps k (t = k dt, dt = 0.001; epochs = t)'
set ylabel 'loss'
set grid
set key bottom left
plot '$out/curves/a2.5.csv' using 2:4 skip 1 with lines lw 2 lc rgb '#d95f02' title 'test loss, a = 2.5', \
     '$out/curves/a2.5.csv' using 2:3 skip 1 with lines lw 1 dt 2 lc rgb '#d95f02' title 'train loss, a = 2.5', \
     '$out/curves/a3.csv' using 2:4 skip 1 with lines lw 2 lc rgb '#1b9e77' title 'test loss, a = 3', \
     '$out/curves/a3.csv' using 2:3 skip 1 with lines lw 1 dt 2 lc rgb '#1b9e77' title 'train loss, a = 3', \
     [100:100000] 0.08 * (x / 100) ** (-0.6) with lines lw 1 lc rgb '#888888' title 'slope -0.6 (a = 2.5)', \
     [100:100000] 0.015 * (x / 100) ** (-2.0 / 3) with lines lw 1 dt 3 lc rgb '#888888' title 'slope -2/3 (a = 3)'
set terminal pngcairo size 820,520 font 'sans,10' noenhanced
set output '$out/scaling.png'
replot
GNUPLOT

field() { awk -F, -v a="$1" -v o="$2" -v c="$3" '$1 == a && $2 == o {print $c}' "$out/fits.csv"; }
row() { # EXPONENT
  echo "<tr><td>$1</td><td>$(awk -v a="$1" 'BEGIN {printf "%.3f", -(1 - 1 / a)}')</td><td>$(field "$1" test_loss 3) (t in [$(field "$1" test_loss 5), $(field "$1" test_loss 6)])</td><td>$(field "$1" train_loss 3) (t in [$(field "$1" train_loss 5), $(field "$1" train_loss 6)])</td></tr>"
}
cat > "$out/index.html" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>dmft: scaling laws of SGD on power-law data</title>
<style>body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222}td,th{border:1px solid #ccc;padding:.3em .6em}
table{border-collapse:collapse}code{font-size:85%}img{max-width:100%}</style></head><body>
<h1>Scaling laws of least-squares SGD on power-law data</h1>
<p>Least squares on a linear teacher without label noise or ridge, theta_0 = 0, n/d = 2, SGD (eta 1, kappa 1) on
inputs whose covariance has eigenvalues proportional to j^-a over 200 classes of equal size (mean eigenvalue 1),
n, d &rarr; infinity, from the Volterra engine (<code>dmft solve --engine volterra --no-kernels</code>: the train loss's
Volterra equation, the spectral measures from Silverstein's equation; no Monte Carlo), 10^6 steps of dt = 0.001.</p>
<img src="scaling.png" alt="train and test loss against steps, log-log">
<h2>Late-time exponents</h2>
<p>Fitted slope of log(loss) against log(t) over the 1.5 decades where the local slope varies least, against the
prediction -(1 - 1/a): with an isotropic teacher each eigenvalue class j contributes about lambda_j rho
exp(-2 gamma lambda_j t) to the excess loss, and the number of classes with an eigenvalue above lambda grows like
lambda^(-1/a), so the sum decays like t^-(1 - 1/a) between the times at which the largest and the smallest eigenvalues
are fitted. The SGD noise, proportional to the train loss here, keeps the exponent.</p>
<table><tr><th>a</th><th>predicted</th><th>test loss</th><th>train loss</th></tr>
$(for a in $exponents; do row "$a"; done)
</table>
<p>The curves leave the power law at both ends: before t ~ 1/s_max (a few hundred steps) the largest eigenvalues are
still being fitted, and once the smallest eigenvalues of X^T X are (s_min ~ gamma lambda_min (1 - 1/sqrt(gamma))^2) the
loss falls exponentially: with n > d and no label noise SGD converges to the teacher. At finite gamma the empirical
spectrum smears each population eigenvalue over a factor (1 + 1/sqrt(gamma))^2 / (1 - 1/sqrt(gamma))^2, 34 at gamma 2,
which eats about 1.5 decades at each end of the window: shallow spectra, whose window is short with 200 classes
(a = 1.5: eigenvalues over 3.5 decades), then show no clean power law at all (measured: the local slope of the test
loss runs from -0.25 at t = 0.01 to -1.2 at t = 10, passing -1/3 near t = 0.03); they need more classes or a larger
gamma.</p>
<p>Cost: each 10^6-step solve takes about half a minute on one core (several thousand quadrature nodes for a 200-class
spectrum, each updated at every step).</p>
</body></html>
HTML
echo "Report: $out/index.html"
cat "$out/fits.csv"
exit $failed

# %% [markdown]
# # The default example from Python
#
# SGD (`poisson`), its Gaussian diffusion approximation SME (`gauss`) and gradient flow (`flow`)
# for the Huber loss on a tanh student learning a noisy tanh teacher — `dmft solve`'s defaults —
# and the figure of `examples/sgd-sme-gd/run.sh`: the overlap M and the test loss against epochs,
# with bands of two standard errors. Run it as a script (`python3 default_figure.py OUT_DIR
# [PATHS]`) or cell by cell in Jupyter; `import dmft` needs the installed package
# (scripts/install.sh) or `PYTHONPATH=python DMFT_LIBRARY=build/lib/libdmft.so` in the source tree.

# %%
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files, no display needed
import matplotlib.pyplot as plt

import dmft

out = sys.argv[1] if len(sys.argv) > 1 else "runs/python-default"
paths = int(sys.argv[2]) if len(sys.argv) > 2 else 40000
os.makedirs(out, exist_ok=True)

# %% [markdown]
# One solve per noise module; every other option is the default. `out=` also writes the CSV and
# HDF5 pair the command line would, so the figure can be remade later with `dmft.load`.

# %%
noises = {"poisson": ("SGD (poisson)", "#d95f02"), "gauss": ("SME (gauss)", "#1b9e77"),
          "flow": ("gradient flow (flow)", "#7570b3")}
results = {noise: dmft.solve(noise=noise, paths=paths, quiet=True, out=os.path.join(out, noise)) for noise in noises}

# %%
figure, (overlap, test_loss) = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
for noise, (label, colour) in noises.items():
    r = results[noise]
    for axis, value, se in ((overlap, r.M[:, 0, 0], r.M_se[:, 0, 0]), (test_loss, r.test_loss, r.test_loss_se)):
        axis.fill_between(r.epoch, value - 2 * se, value + 2 * se, color=colour, alpha=0.3, linewidth=0)
        axis.plot(r.epoch, value, color=colour, linewidth=2, label=label)
overlap.set(xlabel="epochs", ylabel="overlap M = theta . theta* / d")
test_loss.set(xlabel="epochs", ylabel="test loss")
overlap.legend(loc="lower right")
test_loss.legend(loc="upper right")
for axis in (overlap, test_loss):
    axis.grid(True, alpha=0.4)
figure.suptitle("Huber loss, tanh student and teacher: gamma 2, eta 1.5, kappa 1, ridge 0.05 (bands: 2 standard errors)")
figure.savefig(os.path.join(out, "figure.png"), dpi=100)
figure.savefig(os.path.join(out, "figure.svg"))

# %%
for noise, r in results.items():
    print(f"  {noise:8s} at {r.epoch[-1]:g} epochs: M = {r.M[-1, 0, 0]:.4f} +- {r.M_se[-1, 0, 0]:.4f}, "
          f"test loss = {r.test_loss[-1]:.4f} +- {r.test_loss_se[-1]:.4f}")
print(f"figure: {out}/figure.png and figure.svg")

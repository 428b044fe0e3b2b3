#!/usr/bin/python3
"""A plain dense numpy solver of the same discrete DMFT system, as a yardstick for benchmarks.

Default model only (Huber loss, tanh student and teacher, label noise, ridge), k = k* = 1,
poisson / bernoulli / gauss / flow noise. Every path keeps its field and kick at every step
(N x K arrays); responses come from Gaussian integration by parts over the whole path,
Rl(k, .) = Sigma^{-1} E[X dG_k] with X = (w*, w_0..w_k); the parameter side is the exact
linear recursion; the paths are split into 16 replica groups whose spread gives the standard
errors. It is not part of the product: it shows what the C solver's cost is measured against.
Prints one line: wall seconds and M, Q, train and test loss at tmax with standard errors.
"""
import argparse
import time

import numpy as np

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
for name, default in [("paths", 100000), ("dt", 0.025), ("tmax", 6.0), ("gamma", 2.0), ("eta", 1.5), ("kappa", 1.0),
                      ("ridge", 0.05), ("theta0-var", 0.25), ("label-noise", 0.3), ("huber-delta", 1.0), ("seed", 1)]:
    p.add_argument("--" + name, type=type(default), default=default)
p.add_argument("--noise", default="poisson", choices=["poisson", "bernoulli", "gauss", "flow"])
a = p.parse_args()
K = int(np.ceil(a.tmax / a.dt - 1e-9))
h, groups = a.eta / a.kappa, 16
nodes, weights = np.polynomial.hermite_e.hermegauss(24)
weights = weights / weights.sum()
Z = np.stack(np.meshgrid(nodes, nodes, nodes, indexing="ij"), -1).reshape(-1, 3)  # (w*, a, eps) coordinates
W = np.einsum("i,j,k->ijk", weights, weights, weights).ravel()
Y_TEST = np.tanh(Z[:, 0]) + a.label_noise * Z[:, 2]


def huber(r):
    return np.where(np.abs(r) <= a.huber_delta, 0.5 * r * r, a.huber_delta * (np.abs(r) - 0.5 * a.huber_delta))


def increments(rng, n):
    mean = a.kappa * a.dt
    if a.noise == "poisson": return rng.poisson(mean, n).astype(float)
    if a.noise == "bernoulli": return (rng.random(n) < mean).astype(float)
    if a.noise == "gauss": return mean + np.sqrt(mean) * rng.standard_normal(n)
    return np.full(n, mean)


def kick(xi, y, dz):
    """dG for increment dz; point-process jumps applied one after another."""
    if a.noise in ("gauss", "flow"):
        return h * dz * np.clip(np.tanh(xi) - y, -a.huber_delta, a.huber_delta) * (1 - np.tanh(xi) ** 2)
    field = xi.copy()
    for j in range(int(dz.max(initial=0))):
        on = dz > j
        f = np.tanh(field[on])
        field[on] -= h * np.clip(f - y[on], -a.huber_delta, a.huber_delta) * (1 - f * f)
    return xi - field


def solve_group(n, rng):
    C, R, Cl, Rl = (np.zeros((K + 1, K + 1)) for _ in range(4))
    M, Gam, train, test = (np.zeros(K + 1) for _ in range(4))
    C[0, 0] = a.theta0_var
    X = np.zeros((n, K + 2))  # w*, w_0, ..., w_K
    G = np.zeros((n, K + 2))  # their innovations
    dG = np.zeros((n, K + 1))
    G[:, 0] = rng.standard_normal(n)
    X[:, 0] = G[:, 0]
    y = np.tanh(X[:, 0]) + a.label_noise * rng.standard_normal(n)
    Linv = np.zeros((K + 2, K + 2))  # inverse Cholesky factor of Cov(X), grown a row a step
    Linv[0, 0] = 1.0
    decay = 1 - a.eta * a.dt * a.ridge
    for k in range(K + 1):
        v = k + 1  # variables before w_k
        c = np.concatenate(([M[k]], C[k, :k + 1]))
        x = Linv[:v, :v] @ c[:v]
        d = np.sqrt(max(c[v] - x @ x, 0.0))
        Linv[v, :v] = -(x @ Linv[:v, :v]) / d if d > 0 else 0.0
        Linv[v, v] = 1 / d if d > 0 else 0.0
        G[:, v] = rng.standard_normal(n)
        X[:, v] = G[:, :v] @ x + d * G[:, v]
        xi = X[:, v] - dG[:, :k] @ R[k, :k]
        train[k] = np.mean(huber(np.tanh(xi) - y))
        dG[:, k] = kick(xi, y, increments(rng, n))
        Cl[k, :k + 1] = dG[:, :k + 1].T @ dG[:, k] / n
        moment = X[:, :v + 1].T @ dG[:, k] / n
        Rl[k, :k + 1] = (Linv[:v + 1, :v + 1].T @ (Linv[:v + 1, :v + 1] @ moment))[1:]
        Gam[k] = moment[0] - Rl[k, :k + 1] @ M[:k + 1]
        q = np.sqrt(max(C[k, k] - M[k] ** 2, 0.0))
        test[k] = W @ huber(np.tanh(M[k] * Z[:, 0] + q * Z[:, 1]) - Y_TEST)
        if k == K: break
        g = a.gamma
        M[k + 1] = decay * M[k] - g * Rl[k, :k + 1] @ M[:k + 1] - g * Gam[k]
        R[k + 1, :k] = decay * R[k, :k] - g * Rl[k, :k + 1] @ R[:k + 1, :k]
        R[k + 1, k] = 1.0
        C[k + 1, :k + 1] = (decay * C[k, :k + 1] - g * Rl[k, :k + 1] @ C[:k + 1, :k + 1] - g * Gam[k] * M[:k + 1]
                            + g * R[:k + 1, :k + 1] @ Cl[k, :k + 1])
        C[k + 1, k + 1] = (decay * C[k + 1, k] - g * Rl[k, :k + 1] @ C[k + 1, :k + 1] - g * Gam[k] * M[k + 1]
                           + g * R[k + 1, :k + 1] @ Cl[k, :k + 1])
        C[:k + 1, k + 1] = C[k + 1, :k + 1]
    return np.array([M[K], C[K, K], train[K], test[K]])


start = time.time()
rng = np.random.default_rng(a.seed)
values = np.array([solve_group(a.paths // groups + (g < a.paths % groups), rng) for g in range(groups)])
mean, se = values.mean(0), values.std(0, ddof=1) / np.sqrt(groups)
print(f"wall {time.time() - start:.2f} s  " + "  ".join(f"{n} {m:.5f} +- {s:.5f}"
      for n, m, s in zip(["M", "Q", "train_loss", "test_loss"], mean, se)))

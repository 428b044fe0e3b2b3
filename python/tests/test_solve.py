"""dmft.solve is the executable's solve: the same numbers to the last bit, in memory or in files."""

import h5py
import numpy as np

import dmft

SMALL = dict(paths=3000, tmax=1.5, seed=7)


def test_in_memory_result_is_the_executables_file(run, tmp_path):
    status, _, _ = run("solve", "--quiet", "--paths", 3000, "--tmax", 1.5, "--seed", 7, "--out", "cli")
    assert status == 0
    result = dmft.solve(quiet=True, **SMALL)
    with h5py.File(tmp_path / "cli.h5") as file:
        for name in ("t", "epoch", "M", "M_se", "Q", "Q_se", "train_loss", "train_loss_se", "test_loss", "test_loss_se",
                     "C", "C_se", "R", "R_se", "Cl", "Cl_se", "Rl", "Rl_se", "Gamma", "Gamma_se"):
            assert np.array_equal(getattr(result, name), file[name][()]), name
        for name in ("gamma", "eta", "kappa", "ridge", "tmax", "dt", "paths", "seed", "loss", "noise", "param_huber_delta",
                     "parameter_side", "teacher_prior"):
            stored = file.attrs[name]
            stored = stored.decode() if isinstance(stored, bytes) else stored
            assert result.parameters[name] == stored, name
    assert result.rows == 31 and result.M.shape == (31, 1, 1) and result.C.shape == (31, 31, 1, 1)
    assert result.command_line == "dmft solve --quiet --paths 3000 --tmax 1.5 --seed 7"
    assert result.diverged_at is None and result.groups == 16
    # The response is strictly causal with R(t_{i+1}, t_i) = 1 on the step grid (every row is a step here).
    assert np.all(np.triu(result.R[:, :, 0, 0]) == 0) and np.all(np.diag(result.R[:, :, 0, 0], -1) == 1)


def test_out_writes_the_executables_pair(run, tmp_path):
    assert run("solve", "--quiet", "--paths", 2000, "--tmax", 1, "--noise", "gauss", "--out", "cli")[0] == 0
    dmft.solve(quiet=True, paths=2000, tmax=1, noise="gauss", out=str(tmp_path / "py"))
    assert (tmp_path / "py.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    with h5py.File(tmp_path / "py.h5") as py, h5py.File(tmp_path / "cli.h5") as cli:
        assert sorted(py) == sorted(cli)
        for name in cli:
            assert np.array_equal(py[name][()], cli[name][()]), name


def test_wider_models_plugins_and_model_parameters(run, tmp_path, plugin_dir):
    plugin = f"{plugin_dir}/robust.so"
    status, _, _ = run("solve", "--quiet", "--plugin", plugin, "--loss", "cauchy", "--model-param", "cauchy-scale=0.5",
                       "--k", 2, "--kstar", 2, "--paths", 640, "--tmax", 0.5, "--out", "cli")
    assert status == 0
    result = dmft.solve(quiet=True, plugin=plugin, loss="cauchy", model_param={"cauchy-scale": 0.5}, k=2, kstar=2,
                        paths=640, tmax=0.5)
    assert result.M.shape == (11, 2, 2) and result.C.shape == (11, 11, 2, 2)
    assert result.parameters["param_cauchy_scale"] == 0.5
    with h5py.File(tmp_path / "cli.h5") as file:
        assert np.array_equal(result.M, file["M"][()]) and np.array_equal(result.R, file["R"][()])


def test_floats_reach_the_solver_exactly():
    # 0.1 + 0.2 is not 0.3: the command line must carry the double itself, not a rounded text.
    eta = 0.1 + 0.2
    assert dmft.command_line("solve", eta=eta, quasi_random=True, label_noise=None)[1:] == ["--eta", repr(eta),
                                                                                             "--quasi-random"]
    result = dmft.solve(quiet=True, eta=eta, paths=320, tmax=0.2)
    assert result.parameters["eta"] == eta


def test_a_large_seed_is_kept_exactly():
    seed = 2**63 - 25
    assert dmft.solve(quiet=True, paths=320, tmax=0.2, seed=seed).parameters["seed"] == seed


def test_commands_can_follow_one_another():
    first = dmft.solve(quiet=True, paths=320, tmax=0.3)
    second = dmft.solve(quiet=True, paths=320, tmax=0.3, noise="flow")
    again = dmft.solve(quiet=True, paths=320, tmax=0.3)
    assert np.array_equal(first.M, again.M) and not np.array_equal(first.M, second.M)


def test_the_volterra_engine_and_no_kernels():
    """engine="volterra" on least squares: no paths, zero standard errors, C and R on the grid;
    no_kernels=True gives the same curves without them."""
    linear = dict(loss="squared", activation="linear", teacher="linear", tmax=50, dt=0.01, quiet=True)
    full = dmft.solve(engine="volterra", **linear)
    assert full.groups == 1 and full.C.shape == (1001, 1001, 1, 1)
    assert np.all(full.M_se == 0) and np.all(full.test_loss_se == 0)
    # gradient flow's M is SGD's (the noise has mean 0): the same under noise="flow"
    flow = dmft.solve(engine="volterra", noise="flow", **linear)
    assert np.array_equal(full.M, flow.M) and np.all(full.Q[1:] > flow.Q[1:])
    one_time = dmft.solve(no_kernels=True, **linear)
    assert not hasattr(one_time, "C") or one_time.C is None
    assert np.array_equal(one_time.test_loss, full.test_loss)


def test_a_spectrum_adds_its_arrays(run, tmp_path):
    options = ("--paths", 2000, "--tmax", 1, "--spectrum", "power-law", "--spectrum-classes", 4)
    assert run("solve", "--quiet", *options, "--out", "cli")[0] == 0
    result = dmft.solve(quiet=True, paths=2000, tmax=1, spectrum="power-law", spectrum_classes=4)
    with h5py.File(tmp_path / "cli.h5") as file:
        for name in ("M", "Q", "M_sigma", "M_sigma_se", "Q_sigma", "Q_sigma_se", "M_class", "M_class_se", "Q_class",
                     "Q_class_se", "C"):
            assert np.array_equal(getattr(result, name), file[name][()]), name
    assert result.M_class.shape == (result.rows, 4, 1, 1)
    loaded = dmft.load(str(tmp_path / "cli.h5"))
    assert np.array_equal(loaded.spectrum_weight, np.full(4, 0.25)) and np.array_equal(loaded.M_class, result.M_class)

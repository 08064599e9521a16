"""Shared fixtures: the MNIST data (skips with a reason when absent) and models trained once per run.

In CI (CI=true) a skip is a failure: every test must run there.
"""

import os
from pathlib import Path

import pytest

from train.data import ENV_VAR, load_mnist

KERAS_CACHE = Path(os.environ.get("KERAS_HOME", "~/.keras")).expanduser() / "datasets" / "mnist.npz"


def mnist_path():
    """The local MNIST the tests may use: $MNIST_NPZ, else the Keras cache; None when neither exists."""
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    return str(KERAS_CACHE) if KERAS_CACHE.exists() else None


@pytest.fixture(scope="session")
def mnist_file():
    path = mnist_path()
    if path is None:
        pytest.skip(f"full MNIST not available: set {ENV_VAR}=path/to/mnist.npz (CI uses ../shared/data/mnist.npz)")
    return path


@pytest.fixture(scope="session")
def mnist(mnist_file):
    return load_mnist(mnist_file)


@pytest.fixture(scope="session")
def notebook_run(mnist, tmp_path_factory):
    """The notebook recipe trained once on the full MNIST and saved: (folder, report)."""
    from train.fit import fit, save
    from train.recipes import RECIPES

    out = tmp_path_factory.mktemp("notebook")
    model, history, report = fit(RECIPES["notebook"], mnist)
    save(model, history, report, out)
    return out, report


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where every test must run: {reason}"

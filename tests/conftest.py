"""Tasks and fixtures the estimator tests share.

The tasks are small and fast to train on: ragged numeric sequences labelled by
the sign of a sum, and ragged token-id sequences labelled by how many low ids
they hold. Each fixture builds its data anew, so a test may change what it gets.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Property-based and fuzz tests: a short profile in the test command, the same
# examples at every run (a CI run fails only on a change of the code); a long
# one, random, for benchmarks/tools/fuzz.py (HYPOTHESIS_PROFILE=long,
# HYPOTHESIS_MAX_EXAMPLES examples a test). Fits are slow examples.
settings.register_profile(
    "short",
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", 500)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "short"))

FAST = {"hidden_size": 8, "max_epochs": 5, "random_state": 0}
FAST_EMBEDDING = {
    "embedding_dim": 6,
    "hidden_size": 8,
    "max_epochs": 3,
    "random_state": 0,
}


def _ragged_task(n=60, n_channels=2, seed=0, max_length=20):
    """Ragged sequences of 3 to ``max_length - 1`` steps whose class is the
    sign of the first channel's sum."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(3, max_length, n)
    X = [rng.normal(size=(length, n_channels)) for length in lengths]
    y = np.array(["pos" if x[:, 0].sum() > 0 else "neg" for x in X])
    return X, y


def _token_task(n=60, seed=0):
    """Ragged token-id sequences; the class is whether low ids dominate."""
    rng = np.random.default_rng(seed)
    X = [rng.integers(2, 40, size=length) for length in rng.integers(2, 25, n)]
    return X, np.array([int((x < 12).mean() > 0.3) for x in X])


@pytest.fixture
def fixed_length_task():
    """20 univariate sequences of 8 steps as a 3-D array, labels 0 and 1
    alternating (nothing to learn: for what does not need learning)."""
    rng = np.random.default_rng(0)
    return rng.normal(size=(20, 8, 1)), np.arange(20) % 2


@pytest.fixture
def fast():
    """Small, fast, seeded parameters: 8 hidden units, 5 epochs."""
    return dict(FAST)


@pytest.fixture
def fast_embedding():
    """Small, fast, seeded parameters for token ids: 6-d embeddings, 3 epochs."""
    return dict(FAST_EMBEDDING)


@pytest.fixture(scope="session")
def ragged_task():
    """The ragged classification task, of any size and length:
    ``ragged_task(n, seed=0, max_length=20)``; module fixtures may use it."""
    return _ragged_task


@pytest.fixture
def ragged():
    """40 ragged sequences of 2 channels, labelled "neg" and "pos"."""
    return _ragged_task(40)


@pytest.fixture
def few_ragged():
    """20 ragged sequences of 2 channels, labelled "neg" and "pos"."""
    return _ragged_task(20)


@pytest.fixture
def regression_data():
    """The 40 sequences of ``ragged`` with the targets 0.0, 1.0, ..., 39.0."""
    X, _ = _ragged_task(40)
    return X, np.arange(40.0)


@pytest.fixture(scope="session")
def token_task():
    """The ragged token-id task, of any size: ``token_task(n)``."""
    return _token_task


@pytest.fixture
def tokens():
    """60 ragged token-id sequences (ids 2 to 39), labelled 0 and 1."""
    return _token_task()


@pytest.fixture
def many_tokens():
    """1000 ragged token-id sequences: enough for "auto" to hold out data."""
    return _token_task(1000)


def pytest_collection_modifyitems(config, items):
    """The notebooks (run by nbmake) are slow: 40 s to 3.5 minutes each."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)

"""Models saved by sklearn_rnn 0.1.0 load, predict the same and train on.

The pickles in tests/data/pickles_0_1_0 were made by that version, which kept
the estimators in ``sklearn_rnn._estimators`` and every layer directly on the
network (its state-dict keys and pickled layout differ from today's).
"""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_rnn import RecurrentNetwork

PICKLES = Path(__file__).parent / "data" / "pickles_0_1_0"
EXPECTED = np.load(PICKLES / "expected.npz")
INPUTS = np.load(PICKLES / "inputs.npz")
# The expected outputs were computed on another CPU, whose kernels round
# float32 differently (seen: 4e-8 absolute, 1.2e-7 relative, on an AVX-512
# machine): a few float32 epsilons (1.2e-7) of a probability near 1, far below
# any change of the weights or the network (1e-3 and more).
FLOAT32_ROUNDING = {"rtol": 1e-5, "atol": 1e-6}


def _load(name):
    return pickle.loads((PICKLES / f"{name}.pkl").read_bytes())


def _targets(model, X):
    """Targets for these inputs, as the pickled models were fitted on."""
    if model.per_step:
        return [ids[ids > 0] % 2 for ids in X]
    return (np.nansum(X[:, :, 0], axis=1) > 0).astype(int)


def _predicted(model, X):
    if model.per_step:
        return np.concatenate(model.predict_proba(X))
    return getattr(model, "predict_proba", model.predict)(X)


@pytest.mark.parametrize("name", EXPECTED.files)
def test_a_model_pickled_by_0_1_0_predicts_the_same(name):
    model = _load(name)
    X = INPUTS["tokens"] if name == "tokens_per_step" else INPUTS["X"]
    np.testing.assert_allclose(_predicted(model, X), EXPECTED[name], **FLOAT32_ROUNDING)
    assert isinstance(model.net_.module_, RecurrentNetwork)
    assert model.input_scaling_ == (
        None if name == "tokens_per_step" else model.input_scaling
    )
    # It trains on (a warm start) and pickles again in today's layout.
    model.set_params(warm_start=True, max_epochs=1)
    y = _targets(model, X)
    if model.per_step:
        X = [ids[ids > 0] for ids in X]
    model.fit(X, y)
    assert model.n_iter_ == 3
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(_predicted(restored, X), _predicted(model, X))


@pytest.mark.parametrize("name", EXPECTED.files)
def test_weights_saved_by_0_1_0_load_into_a_network_built_today(name):
    """``save_params`` files of 0.1.0 hold its state-dict keys
    (``forward_layers.*``, ``attention.*``, ``input_scaling_.*``, ...)."""
    X = INPUTS["tokens"] if name == "tokens_per_step" else INPUTS["X"]
    model = clone(_load(name)).set_params(max_epochs=1, random_state=1)
    model.fit([ids[ids > 0] for ids in X] if model.per_step else X, _targets(model, X))
    assert not np.allclose(_predicted(model, X), EXPECTED[name], **FLOAT32_ROUNDING)
    model.net_.load_params(f_params=PICKLES / f"{name}.params.pt")
    np.testing.assert_allclose(_predicted(model, X), EXPECTED[name], **FLOAT32_ROUNDING)


@pytest.mark.slow
def test_the_saved_models_predict_alike_on_another_cpus_kernels(tmp_path):
    """Another CPU picks other kernels (AVX-512, AVX2 or none), which round
    float32 differently; ATEN_CPU_CAPABILITY=default makes this one pick the
    plainest, as a CPU without AVX would. The stored outputs hold within
    float32 rounding, not bit for bit."""
    out = tmp_path / "predicted.npz"
    code = (
        "import pickle, sys, numpy as np\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_compatibility import EXPECTED, INPUTS, _load, _predicted\n"
        "predicted = {}\n"
        "for name in EXPECTED.files:\n"
        "    X = INPUTS['tokens' if name == 'tokens_per_step' else 'X']\n"
        "    predicted[name] = _predicted(_load(name), X)\n"
        f"np.savez({str(out)!r}, **predicted)\n"
    )
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "default"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    predicted = np.load(out)
    for name in EXPECTED.files:
        np.testing.assert_allclose(
            predicted[name], EXPECTED[name], **FLOAT32_ROUNDING, err_msg=name
        )


FLAT = Path(__file__).parent / "data" / "pickles_flat_layout"


@pytest.mark.parametrize("name", ["classifier", "regressor", "pipeline", "forecaster"])
def test_a_model_pickled_by_the_flat_layout_predicts_the_same(name):
    """Before the modules moved into folders, the estimators, losses,
    batching and transformers lived in flat modules (``_classifier``,
    ``_losses``, ``_batching``, ``_padding``, ...), which pickles name."""
    model = pickle.loads((FLAT / f"{name}.pkl").read_bytes())
    expected = np.load(FLAT / "expected.npz")[name]
    X = np.load(FLAT / "inputs.npz")["X"]
    if name == "forecaster":
        predicted = model.forecast(3)
    else:
        predicted = getattr(model, "predict_proba", model.predict)(X)
    np.testing.assert_allclose(predicted, expected, **FLOAT32_ROUNDING)
    if name == "classifier":  # it trains on
        model.set_params(warm_start=True, max_epochs=1).fit(
            X, np.load(FLAT / "inputs.npz")["y"]
        )
        assert model.n_iter_ == len(model.history_) > 1

"""Models on CUDA: the defaults fit and predict there, and a CUDA-fitted model
survives pickle, ONNX export and a move to a machine without a GPU."""

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch

from sklearn_rnn import RNNClassifier, RNNRegressor, check_sequences, export_onnx

pytestmark = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA device"
)

# The defaults but for the epochs: a few suffice to check where models run.
FEW_EPOCHS = {"device": "cuda", "max_epochs": 3, "random_state": 0}
# cuDNN runs convolutions in TF32 by default (docs/deployment.md), so the GPU's
# probabilities differ from the CPU's by up to ~4e-4.
TF32_TOLERANCE = 1e-3
# Run with CUDA hidden, as on a machine without a GPU: load a pickled model,
# save its probabilities, print the device it predicts on.
LOAD_ON_CPU = """
import pickle, sys
import numpy as np
with open(sys.argv[1], "rb") as file:
    model, X = pickle.load(file)
np.save(sys.argv[2], model.predict_proba(X))
print(model.net_.device)
"""


@pytest.fixture(scope="module")
def fitted(ragged_task):
    """A classifier fitted on CUDA with the defaults, and its data."""
    X, y = ragged_task()
    return RNNClassifier(**FEW_EPOCHS).fit(X, y), X


def test_defaults_fit_and_predict_on_cuda(fitted):
    model, X = fitted
    assert all(p.is_cuda for p in model.net_.module_.parameters())
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert set(model.predict(X)) <= set(model.classes_)


def test_regressor_defaults_fit_and_predict_on_cuda(ragged_task):
    X, _ = ragged_task()
    target = np.array([x[:, 0].sum() for x in X])
    model = RNNRegressor(**FEW_EPOCHS).fit(X, target)
    assert all(p.is_cuda for p in model.net_.module_.parameters())
    predicted = model.predict(X)
    assert predicted.shape == (len(X),)
    assert np.isfinite(predicted).all()


def test_pickle_round_trip_on_cuda_predicts_the_same(fitted):
    model, X = fitted
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_onnx_export_of_a_cuda_model_matches_predict_proba(fitted, tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime")
    model, X = fitted
    path = export_onnx(model, tmp_path / "model.onnx")
    padded, lengths, _ = check_sequences(X)
    session = onnxruntime.InferenceSession(path)
    onnx_proba = session.run(None, {"X": padded, "lengths": lengths})[0]
    np.testing.assert_allclose(onnx_proba, model.predict_proba(X), atol=TF32_TOLERANCE)


def test_cuda_model_loads_and_predicts_on_the_cpu(fitted, tmp_path):
    model, X = fitted
    with open(tmp_path / "model.pkl", "wb") as file:
        pickle.dump((model, X), file)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            LOAD_ON_CPU,
            str(tmp_path / "model.pkl"),
            str(tmp_path / "proba.npy"),
        ],
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "cpu"
    np.testing.assert_allclose(
        np.load(tmp_path / "proba.npy"), model.predict_proba(X), atol=TF32_TOLERANCE
    )

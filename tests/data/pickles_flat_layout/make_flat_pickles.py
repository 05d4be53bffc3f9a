"""Make the pickles of the flat layout (before the modules moved into folders).

Run from a checkout of that layout (commit c9b55fe or earlier):
``python tests/data/pickles_flat_layout/make_flat_pickles.py OUT_DIR``. The models
are small and seeded; ``expected.npz`` holds what they predict on
``inputs.npz``, on the machine that made them.
"""

import pickle
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNClassifier,
    RNNForecaster,
    RNNRegressor,
    SequenceImputer,
    SequencePadder,
    SequenceScaler,
)

SMALL = {"hidden_size": 4, "max_epochs": 2, "random_state": 0}


def main(out):
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in rng.integers(3, 20, 40)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    padded = SequencePadder().fit_transform(X)
    series = np.sin(np.arange(80.0))
    models = {
        "classifier": RNNClassifier(**SMALL, early_stopping=True).fit(X, y),
        "regressor": RNNRegressor(**SMALL).fit(X, [x.sum() for x in X]),
        "pipeline": make_pipeline(
            SequenceImputer(),
            SequenceScaler(),
            SequencePadder(),
            RNNClassifier(**SMALL),
        ).fit(X, y),
        "forecaster": RNNForecaster(
            RNNRegressor(hidden_size=4, max_epochs=2),
            window_length=6,
            random_state=0,
        ).fit(series),
    }
    expected = {
        "classifier": models["classifier"].predict_proba(padded),
        "regressor": models["regressor"].predict(padded),
        "pipeline": models["pipeline"].predict_proba(padded),
        "forecaster": models["forecaster"].forecast(3),
    }
    out = Path(out)
    for name, model in models.items():
        (out / f"{name}.pkl").write_bytes(pickle.dumps(model))
    np.savez(out / "expected.npz", **expected)
    np.savez(out / "inputs.npz", X=padded, y=y)


if __name__ == "__main__":
    main(sys.argv[1])

"""Cross-validation of default candidates on the training splits of the suite.

The defaults of RNNClassifier and RNNRegressor were chosen with this script:
each candidate is scored by 3-fold cross-validation (stratified for
classification, shuffled with seed 0) on the archives' training splits only,
with ``random_state`` 0 and 1, two fits at a time with one torch thread each.
Test splits are never read here; ``suite.py`` reports on them. It prints one
line per candidate and dataset: mean accuracy (RMSE for Covid3Month) and the
range over folds and seeds.

Candidates differ from ``BASE`` by the settings named; ``BASE`` is written out
in full, so the comparison does not move when the defaults do.

Run: python benchmarks/choose_defaults.py [--candidates NAME ...]
     [--datasets NAME ...]  (datasets extra; ~10 minutes a candidate)
"""

import argparse
import time

import numpy as np
from _common import DATASETS, mean_and_range
from joblib import Parallel, delayed
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import KFold, StratifiedKFold

from sklearn_rnn import RNNClassifier, RNNRegressor

# The old defaults' network (LSTM 64, last step) ...
OLD = {
    "cell": "lstm",
    "bidirectional": False,
    "pooling": "last",
    "input_scaling": None,
    "conv_channels": None,
    "lr": 1e-3,
    "lr_schedule": "constant",
    "batch_size": 32,
    "max_epochs": 100,
    "n_iter_no_change": None,
    "early_stopping": False,
}
# ... and the family the new ones came from.
BASE = {
    "cell": "gru",
    "hidden_size": 64,
    "bidirectional": True,
    "pooling": "max",
    "input_scaling": "both",
    "conv_channels": (32, 32, 32),
    "conv_kernel_size": 5,
    "conv_stride": "auto",
    "conv_batch_norm": False,
    "dropout": 0.0,
    "lr": 1e-3,
    "lr_schedule": "constant",
    "batch_size": "auto",
    "max_epochs": 150,
    "n_iter_no_change": 20,
    "early_stopping": False,
}
CANDIDATES = {
    "old defaults": OLD,
    "base": BASE,
    "LSTM": {**BASE, "cell": "lstm"},
    "lr 3e-3": {**BASE, "lr": 3e-3},
    "lr 3e-3, plateau schedule": {**BASE, "lr": 3e-3, "lr_schedule": "plateau"},
    "plateau schedule": {**BASE, "lr_schedule": "plateau"},
    "dropout 0.3": {**BASE, "dropout": 0.3},
    "input scaling: channel": {**BASE, "input_scaling": "channel"},
    "input scaling: sequence": {**BASE, "input_scaling": "sequence"},
    "front-end batch norm": {**BASE, "conv_batch_norm": True},
    "batch size 8": {**BASE, "batch_size": 8},
    "early stopping": {**BASE, "early_stopping": True},
    "LSTM-FCN branch": {**BASE, "branch_channels": (128, 256, 128)},
}


def score(model, X, y, train, test):
    start = time.perf_counter()
    model.fit([X[i] for i in train], y[train])
    fit_time = time.perf_counter() - start
    X_test = [X[i] for i in test]
    if isinstance(model, RNNRegressor):
        return root_mean_squared_error(y[test], model.predict(X_test)), fit_time
    return model.score(X_test, y[test]), fit_time


def cross_validate(name, params, seeds=(0, 1)):
    X, y = DATASETS[name].load("train")
    regression = DATASETS[name].task == "regression"
    splitter = (KFold if regression else StratifiedKFold)(
        3, shuffle=True, random_state=0
    )
    estimator = RNNRegressor if regression else RNNClassifier
    results = Parallel(n_jobs=2)(
        delayed(score)(
            estimator(**params, n_threads=1, random_state=seed), X, y, train, test
        )
        for seed in seeds
        for train, test in splitter.split(np.zeros(len(y)), y)
    )
    scores = [result[0] for result in results]
    metric = "RMSE" if regression else "accuracy"
    return (
        f"{metric} {mean_and_range(scores, 4, range_digits=3)}, "
        f"{np.mean([result[1] for result in results]):.1f} s/fit"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", nargs="*", default=list(CANDIDATES))
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    args = parser.parse_args()
    for candidate in args.candidates:
        for name in args.datasets:
            result = cross_validate(name, CANDIDATES[candidate])
            print(f"{candidate:28s} {name:17s} {result}", flush=True)


if __name__ == "__main__":
    main()

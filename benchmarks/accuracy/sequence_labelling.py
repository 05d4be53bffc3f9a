"""Per-step labelling of a real recording stream: a bidirectional RNN beside
gradient boosting on lagged values, trained and tested on the same split.

Data. sktime ships one per-step-labelled ECG, ``mitdb`` (7,500 steps, 352
labelled anomalous), but its labels are a single event: one run of abnormal
steps, 6,936 to 7,287, near the end. A split by time leaves the training part
without an anomalous step, and any split with anomalies on both sides cuts
that one event in two. sktime's segmentation files (GunPoint, ElectricDevices)
have one and four change points between classes grouped in blocks, so a time
split puts different classes in training and test. This benchmark therefore
builds a stream the way sktime built those segmentation files, from the UCR
GunPoint recordings sktime ships (150 steps each of an actor's hand position
while drawing a gun or pointing a finger), but with the classes interleaved:
all 100 "Point" recordings and 50 of the 100 "Gun" ones, in random order
(seed 0), each used once. Every step is labelled 1 if its recording is a Gun
one: a third of the steps. Telling them apart takes the shape of the whole
recording around a step; the steps at rest at its start and end look alike in
both classes.

Split by time: the first 90 recordings (13,500 steps) train, the last 60
(9,000 steps) test; no recording is in both.

* Baseline: ``HistGradientBoostingClassifier`` on the values from ``lags``
  steps before to ``lags`` steps after each step (each part padded with its
  own edge values).
* ``RNNClassifier(per_step=True, bidirectional=True)`` trained on windows of
  the training stream (``window`` steps, stride ``window // 8``). It labels
  the test stream either read as one sequence (``read="stream"``) or, as
  chosen, in windows of the training length every ``window // 8`` steps, each
  step taking the mean of its windows' probabilities (``read="windows"``,
  ``predict_in_windows``).

Both models' settings were chosen by 3-fold cross-validation on the training
part only, by the mean F1 of the Gun class (``--search``, about 25 minutes:
contiguous blocks of 30 recordings, each fold trained on the other two; the
baseline on a grid of ``lags`` and class weights, the RNN changing one
setting at a time from ``START``, then the way the chosen one reads the
test stream). The default run fits the chosen settings
(``BASELINE``, ``RNN``) and evaluates the test part once. Printed: per-step
F1, precision and recall of the Gun class, and accuracy, on the test part;
for the RNN the mean and range over seeds 0-2; seconds per fit, one thread
for both models.

Run: python -m benchmarks.accuracy.sequence_labelling [--search]  (datasets extra)
"""

import argparse
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from threadpoolctl import threadpool_limits

from benchmarks.common import mean_and_range
from sklearn_rnn import RNNClassifier, predict_in_windows
from sklearn_rnn.datasets import load_gunpoint

LENGTH = 150  # steps per GunPoint recording
N_TRAIN = 90  # recordings in the training part; the other 60 test
N_FOLDS = 3
SEEDS = (0, 1, 2)

# Chosen by --search (docs/sequence_labelling.md has its output).
BASELINE = {"lags": 75, "class_weight": "balanced"}
# Where --search starts, then changes one setting at a time.
START = {
    "window": 100,
    "hidden_size": 64,
    "class_weight": "balanced",
    "lr": 3e-3,
    "max_epochs": 150,
}
RNN = {**START, "lr": 1e-3, "read": "windows"}


def load_stream():
    """Values and per-step labels (1: Gun) of the interleaved recordings."""
    X_train, y_train = load_gunpoint("train")
    X_test, y_test = load_gunpoint("test")
    X, y = X_train + X_test, np.r_[y_train, y_test]
    rng = np.random.default_rng(0)
    gun, point = np.flatnonzero(y == "1"), np.flatnonzero(y == "2")
    order = rng.permutation(np.r_[point, rng.choice(gun, 50, replace=False)])
    values = np.concatenate([X[i][:, 0] for i in order])
    labels = np.repeat((y[order] == "1").astype(int), LENGTH)
    return values, labels


def lagged(values, lags):
    """One row per step: the values from ``lags`` before to ``lags`` after."""
    return sliding_window_view(np.pad(values, lags, mode="edge"), 2 * lags + 1)


def gradient_boosting(train, values, lags, class_weight, random_state=0):
    """The baseline's labels for ``values`` and its fit seconds."""
    model = HistGradientBoostingClassifier(
        class_weight=class_weight, random_state=random_state
    )
    start = time.perf_counter()
    # One thread, as the RNN: OpenMP threads beside other busy processes can
    # make a fit many times slower, and the timings incomparable.
    with threadpool_limits(1):
        model.fit(lagged(train[0], lags), train[1])
        seconds = time.perf_counter() - start
        return model.predict(lagged(values, lags)), seconds


def rnn(train, values, window, read="stream", random_state=0, **params):
    """The RNN's labels for ``values`` and its fit seconds."""
    stride = window // 8
    X = sliding_window_view(train[0], window)[::stride, :, None]
    y = sliding_window_view(train[1], window)[::stride]
    model = RNNClassifier(
        per_step=True,
        bidirectional=True,
        # Trained on windows, applied to a whole stream: a sequence's own
        # statistics ("sequence", "both") would differ between the two.
        input_scaling="channel",
        random_state=random_state,
        **params,
    )
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    if read == "windows":
        return predict_in_windows(model, [values], window, step=stride)[0], seconds
    return model.predict([values[:, None]])[0], seconds


def scores(labels, predicted):
    """F1, precision and recall of the Gun class, and accuracy."""
    precision, recall, f1, _ = precision_recall_fscore_support(
        labels, predicted, average="binary", zero_division=0
    )
    return np.array([f1, precision, recall, accuracy_score(labels, predicted)])


def cross_validate(values, labels, method, params):
    """Mean scores and fit seconds over contiguous blocks of whole recordings,
    each block validated by a model fitted on the others joined."""
    blocks = np.arange(len(values)) // (N_TRAIN // N_FOLDS * LENGTH)
    results, times = [], []
    for k in range(N_FOLDS):
        inside = blocks == k
        train = values[~inside], labels[~inside]
        predicted, seconds = method(train, values[inside], **params)
        results.append(scores(labels[inside], predicted))
        times.append(seconds)
    return np.mean(results, axis=0), np.mean(times)


def search(train):
    """The baseline on a grid; the RNN one setting at a time from ``START``."""
    print("Cross-validation on the training part: F1, precision, recall, accuracy")
    for lags in (25, 50, 75, 100):
        for class_weight in (None, "balanced"):
            params = {"lags": lags, "class_weight": class_weight}
            result, seconds = cross_validate(*train, gradient_boosting, params)
            print(
                f"  gradient boosting {params}: {format_scores(result)}, "
                f"{seconds:.1f} s/fit",
                flush=True,
            )
    print(f"  RNN from {START}:")
    changes = [{}, {"window": 200}, {"lr": 1e-3}, {"max_epochs": 60}]
    # Then how the chosen setting reads the test part.
    changes.append({"lr": 1e-3, "read": "windows"})
    for change in changes:
        result, seconds = cross_validate(*train, rnn, {**START, **change})
        print(
            f"    {change or 'unchanged'}: {format_scores(result)}, "
            f"{seconds:.0f} s/fit",
            flush=True,
        )


def format_scores(results):
    """F1, precision, recall and accuracy as text: those of one result, or
    their means and ranges over seeds, given a row per seed."""
    return ", ".join(mean_and_range(column) for column in np.atleast_2d(results).T)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--search",
        action="store_true",
        help="cross-validate settings on the training part instead",
    )
    args = parser.parse_args()
    values, labels = load_stream()
    cut = N_TRAIN * LENGTH
    train, test = (values[:cut], labels[:cut]), (values[cut:], labels[cut:])
    print(
        f"GunPoint stream: {cut} training steps ({train[1].mean():.1%} Gun), "
        f"{len(test[0])} test steps ({test[1].mean():.1%} Gun)"
    )
    start = time.perf_counter()
    if args.search:
        search(train)
    else:
        print("Test part: F1, precision, recall (Gun steps), accuracy")
        predicted, seconds = gradient_boosting(train, test[0], **BASELINE)
        print(
            f"  gradient boosting {BASELINE}: "
            f"{format_scores(scores(test[1], predicted))}, {seconds:.1f} s/fit",
            flush=True,
        )
        results, times = [], []
        for seed in SEEDS:
            predicted, seconds = rnn(train, test[0], random_state=seed, **RNN)
            results.append(scores(test[1], predicted))
            times.append(seconds)
        print(
            f"  RNNClassifier {RNN}, seeds {SEEDS}: {format_scores(results)}, "
            f"{np.mean(times):.1f} s/fit"
        )
    print(f"Total: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

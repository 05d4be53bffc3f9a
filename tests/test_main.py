"""The main job's baseline is computed, not quoted."""

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from sklearn_rnn.__main__ import one_nn_accuracy
from sklearn_rnn._preprocessing.resampling import resample


def test_resampling_interpolates_each_channel_to_one_length():
    x = np.array([[0.0, 10.0], [2.0, 30.0]])  # 2 steps, 2 channels
    np.testing.assert_allclose(resample([x], 3), [[0.0, 10.0, 1.0, 20.0, 2.0, 30.0]])


def test_the_1nn_baseline_is_computed_on_the_data_given():
    rng = np.random.default_rng(0)
    X = [
        rng.normal(size=(n, 2)) + label
        for n, label in zip(rng.integers(4, 9, 40), np.repeat([0, 3], 20), strict=True)
    ]
    y = np.repeat(["low", "high"], 20)
    flipped = np.where(y == "low", "high", "low")
    # Separable classes: 1.0; the labels of the test half swapped: 0.0.
    assert one_nn_accuracy(X[::2], y[::2], X[1::2], y[1::2]) == 1.0
    assert one_nn_accuracy(X[::2], y[::2], X[1::2], flipped[1::2]) == 0.0
    knn = KNeighborsClassifier(1).fit(resample(X[::2], 8), y[::2])
    assert knn.score(resample(X[1::2], 8), y[1::2]) == 1.0

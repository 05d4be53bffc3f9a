import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNClassifier,
    RNNRegressor,
    SequenceImputer,
    make_windows,
    predict_in_windows,
)


def test_windows_and_targets_follow_each_other():
    y = np.arange(10.0)
    windows, targets = make_windows(y, window_length=4, horizon=3)
    assert windows.shape == (4, 4, 1)
    assert targets.shape == (4, 3)
    for window, target in zip(windows[:, :, 0], targets, strict=True):
        np.testing.assert_array_equal(target, window[-1] + np.arange(1, 4))


def test_step_counts_back_from_the_newest_window():
    y = np.arange(10.0)
    windows, targets = make_windows(y, window_length=3, horizon=1, step=3)
    # The newest window always ends right before the last value.
    np.testing.assert_array_equal(targets[:, 0], [3.0, 6.0, 9.0])
    np.testing.assert_array_equal(windows[-1, :, 0], [6.0, 7.0, 8.0])


def test_exogenous_variables_become_channels_of_the_same_steps():
    y = np.arange(8.0)
    X = np.column_stack([10 * y, -y])
    windows, targets = make_windows(y, window_length=3, horizon=2, X=X)
    assert windows.shape == (4, 3, 3)
    np.testing.assert_array_equal(windows[:, :, 1], 10 * windows[:, :, 0])
    np.testing.assert_array_equal(windows[:, :, 2], -windows[:, :, 0])
    np.testing.assert_array_equal(targets[:, 0], windows[:, -1, 0] + 1)


def test_many_series_of_different_lengths_in_order():
    windows, targets = make_windows(
        [np.arange(5.0), 100 + np.arange(7.0)], window_length=3, horizon=1
    )
    assert len(windows) == 2 + 4
    np.testing.assert_array_equal(targets[:, 0], [3, 4, 103, 104, 105, 106])


def test_a_series_too_short_for_any_window_is_skipped_unless_all_are():
    windows, _ = make_windows([np.arange(3.0), np.arange(6.0)], 3, horizon=2)
    assert len(windows) == 2
    with pytest.raises(ValueError, match="needs window_length \\+ horizon = 5"):
        make_windows(np.arange(4.0), window_length=3, horizon=2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"window_length": 0}, "window_length must be a positive integer"),
        ({"window_length": 2, "horizon": 1.5}, "horizon must be a positive"),
        ({"window_length": 2, "step": 0}, "step must be a positive integer"),
        ({"window_length": 2, "X": np.ones((5, 1))}, "expected \\(6, n_exog\\)"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_windows(np.arange(6.0), **kwargs)


def test_values_that_are_not_numbers_or_not_finite_are_named():
    # numpy's "could not convert string to float" named neither y nor X, and
    # missing or infinite exogenous values went into the windows.
    with pytest.raises(ValueError, match="y must hold numbers"):
        make_windows(np.array(["a", "b", "c"]), window_length=1)
    with pytest.raises(ValueError, match="series 0 is not an array of numbers"):
        make_windows([[1.0, 2.0, [3.0]]], window_length=1)
    with pytest.raises(ValueError, match="exogenous variables of y must hold numbers"):
        make_windows(np.arange(6.0), 2, X=np.array(["a"] * 6))
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="of y hold missing or infinite"):
            make_windows(np.arange(6.0), 2, X=np.r_[np.ones(5), bad])


def test_two_dimensional_series_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="pass many series as a list"):
        make_windows(np.ones((10, 2)), window_length=3)


def test_time_series_split_with_a_gap_keeps_training_targets_out_of_the_test():
    y = np.arange(40.0)
    horizon = 4
    windows, targets = make_windows(y, window_length=5, horizon=horizon)
    cv = TimeSeriesSplit(n_splits=3, gap=horizon - 1)
    for train, test in cv.split(windows):
        assert targets[train].max() < targets[test].min()


def test_short_series_missing_values_and_mixed_exogenous_are_explained():
    with pytest.raises(ValueError, match=r"No window fits.*longest series has 3"):
        make_windows(np.arange(3.0), window_length=5)
    with pytest.raises(ValueError, match="empty list"):
        make_windows([], window_length=5)
    with pytest.raises(ValueError, match="series 1 holds missing"):
        make_windows([np.arange(9.0), np.r_[1.0, np.nan, 2.0]], window_length=2)
    with pytest.raises(ValueError, match="same number of exogenous variables"):
        make_windows(
            [np.arange(9.0), np.arange(9.0)],
            window_length=2,
            X=[np.ones((9, 2)), np.ones((9, 1))],
        )


def per_step_task(n=40, length=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, length, 1))
    return X, X[:, :, 0] > 0


PER_STEP = {"per_step": True, "hidden_size": 8, "max_epochs": 3, "random_state": 0}


def test_windowed_outputs_average_the_windows_that_hold_each_step():
    X, y = per_step_task()
    regressor = RNNRegressor(**PER_STEP).fit(X, y.astype(float))
    sequence = np.random.default_rng(1).normal(size=(10, 1))
    # Windows of 4 steps every 3 steps start at 0, 3 and 6 (ending the sequence).
    windowed = predict_in_windows(regressor, [sequence], window_length=4, step=3)[0]
    outputs = regressor.predict([sequence[s : s + 4] for s in (0, 3, 6)])
    expected = np.zeros(10)
    expected[:4] += outputs[0]
    expected[3:7] += outputs[1]
    expected[6:] += outputs[2]
    expected /= [1, 1, 1, 2, 1, 1, 2, 1, 1, 1]
    np.testing.assert_allclose(windowed, expected, rtol=1e-6)


def test_windowed_labels_follow_the_averaged_probabilities():
    X, y = per_step_task()
    labels = np.where(y, "up", "down")
    tagger = RNNClassifier(**PER_STEP).fit(X, labels)
    rng = np.random.default_rng(2)
    sequences = [rng.normal(size=(n, 1)) for n in (5, 31, 50)]
    proba = predict_in_windows(tagger, sequences, 12, method="predict_proba")
    predicted = predict_in_windows(tagger, sequences, 12)
    for sequence, p, labels_ in zip(sequences, proba, predicted, strict=True):
        assert p.shape == (len(sequence), 2) and labels_.shape == (len(sequence),)
        np.testing.assert_allclose(p.sum(axis=1), 1.0)
        np.testing.assert_array_equal(labels_, tagger.classes_[p.argmax(axis=1)])
    padded = np.full((3, 50, 1), np.nan)  # the same sequences, NaN-padded
    for i, sequence in enumerate(sequences):
        padded[i, : len(sequence)] = sequence
    for a, b in zip(predicted, predict_in_windows(tagger, padded, 12), strict=True):
        np.testing.assert_array_equal(a, b)
    # A sequence no longer than a window is read whole, as predict reads it.
    np.testing.assert_array_equal(predicted[0], tagger.predict(sequences[:1])[0])
    # A Pipeline's transformers run on whole sequences: the imputer fills the
    # missing value before any window is cut.
    pipe = make_pipeline(SequenceImputer(), RNNClassifier(**PER_STEP)).fit(X, labels)
    gappy = sequences[1].copy()
    gappy[10] = np.nan
    np.testing.assert_array_equal(
        predict_in_windows(pipe, [gappy], 12)[0],
        predict_in_windows(pipe[-1], pipe[0].transform([gappy]), 12)[0],
    )


def test_windowed_prediction_refuses_what_it_cannot_do():
    X, y = per_step_task()
    with pytest.raises(NotFittedError):
        predict_in_windows(RNNClassifier(per_step=True), X, 4)
    whole = RNNClassifier(hidden_size=8, max_epochs=1).fit(X, y[:, 0])
    with pytest.raises(ValueError, match="got RNNClassifier with per_step=False"):
        predict_in_windows(whole, X, 4)
    tagger = RNNClassifier(**PER_STEP).fit(X, y)
    search = GridSearchCV(tagger, {"hidden_size": [8]}, cv=2).fit(X, y)
    with pytest.raises(ValueError, match="pass its best_estimator_"):
        predict_in_windows(search, X, 4)
    with pytest.raises(ValueError, match="step=5 must be at most window_length=4"):
        predict_in_windows(tagger, X, 4, step=5)
    with pytest.warns(UserWarning, match="No sequence is longer than window_length"):
        predict_in_windows(tagger, X[0], 4)  # 12 one-step sequences, not one
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="window_length must be a positive"):
            predict_in_windows(tagger, X, bad)
    with pytest.raises(ValueError, match="step must be a positive"):
        predict_in_windows(tagger, X, 4, step=0)
    with pytest.raises(ValueError, match="method must be"):
        predict_in_windows(tagger, X, 4, method="decision_function")
    regressor = RNNRegressor(**PER_STEP).fit(X, y.astype(float))
    with pytest.raises(ValueError, match="needs a classifier"):
        predict_in_windows(regressor, X, 4, method="predict_proba")


def test_windowed_prediction_keeps_channel_names_and_reads_token_ids():
    rng = np.random.default_rng(0)
    frames = [
        pd.DataFrame(rng.normal(size=(12, 2)), columns=["a", "b"]) for _ in range(30)
    ]
    tagger = RNNClassifier(**PER_STEP).fit(frames, [f["a"] > 0 for f in frames])
    stream = pd.DataFrame(rng.normal(size=(50, 2)), columns=["a", "b"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "fitted with feature names" warning
        assert predict_in_windows(tagger, [stream], 12)[0].shape == (50,)
    ids = [rng.integers(2, 20, size=15) for _ in range(40)]
    tokens = RNNClassifier(**PER_STEP, embedding_dim=4).fit(ids, [i > 10 for i in ids])
    padded = np.array([[3, 4, 5, 6, 0, 0]])  # 0-padded: four ids
    labels = predict_in_windows(tokens, padded, window_length=3, step=1)[0]
    assert labels.shape == (4,)

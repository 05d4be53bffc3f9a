"""predict_in_windows: long sequences read by a per-step model in windows."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNClassifier,
    RNNRegressor,
    SequenceImputer,
    predict_in_windows,
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

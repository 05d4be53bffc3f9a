"""SequencePadder: formats, truncation, round trip, properties."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNClassifier,
    SequenceImputer,
    SequencePadder,
    SequenceScaler,
    sequence_lengths,
)


def test_every_format_gives_the_same_padded_array():
    a, b = np.arange(6.0).reshape(3, 2), np.arange(2.0).reshape(1, 2) + 10
    expected = np.array([a, np.vstack([b, np.full((2, 2), np.nan)])])
    formats = [
        [a, b],
        (a, b),
        np.array([a, b], dtype=object),
        [pd.DataFrame(a, columns=["x", "y"]), pd.DataFrame(b, columns=["x", "y"])],
        expected,
    ]
    for X in formats:
        np.testing.assert_array_equal(SequencePadder().fit_transform(X), expected)


def test_univariate_formats():
    X2d = np.array([[1.0, 2.0, np.nan], [3.0, 4.0, 5.0]])
    ragged = [np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])]
    frame = pd.DataFrame(X2d)
    for X in (X2d, ragged, frame, [[1.0, 2.0], [3.0, 4.0, 5.0]]):
        out = SequencePadder().fit_transform(X)
        assert out.shape == (2, 3, 1)
        np.testing.assert_array_equal(sequence_lengths(out), [2, 3])


def test_truncating_pre_and_post_and_max_length_padding():
    X = [np.arange(1.0, 6.0), np.arange(1.0, 3.0)]
    post = SequencePadder(max_length=3).fit_transform(X)[:, :, 0]
    pre = SequencePadder(max_length=3, truncating="pre").fit_transform(X)[:, :, 0]
    longer = SequencePadder(max_length=7).fit_transform(X)[:, :, 0]
    np.testing.assert_array_equal(post, [[1, 2, 3], [1, 2, np.nan]])
    np.testing.assert_array_equal(pre, [[3, 4, 5], [1, 2, np.nan]])
    assert longer.shape == (2, 7)
    np.testing.assert_array_equal(sequence_lengths(longer[:, :, None]), [5, 2])


def test_channel_names_and_count_are_checked():
    frames = [pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})]
    padder = SequencePadder().fit(frames)
    assert list(padder.feature_names_in_) == ["a", "b"]
    assert padder.n_features_in_ == 2
    with pytest.raises(ValueError, match="X has 1 features"):
        padder.transform([np.ones(3)])


def test_min_length_names_the_short_sequence():
    with pytest.raises(ValueError, match="Sequence 1 has length 2, shorter than"):
        SequencePadder(min_length=3).fit([np.ones(4), np.ones(2)])


def test_inverse_transform_needs_3d():
    padder = SequencePadder().fit([np.ones(3)])
    with pytest.raises(ValueError, match="3-D output of transform"):
        padder.inverse_transform(np.ones((2, 3)))


def test_inverse_transform_refuses_what_transform_cannot_have_given():
    # Ragged or non-numeric input gave numpy's errors; other channels passed.
    padder = SequencePadder().fit([np.ones(3)])
    with pytest.raises(ValueError, match="X is not an array of numbers"):
        padder.inverse_transform([np.ones(2), np.ones(3)])
    with pytest.raises(ValueError, match="X must hold numbers"):
        padder.inverse_transform(np.array([[["a"]]]))
    with pytest.raises(ValueError, match="X has 2 channels, but SequencePadder"):
        padder.inverse_transform(np.ones((1, 3, 2)))


@pytest.mark.parametrize("X", [None, pd.DataFrame(np.ones((2, 3))), 5.0])
def test_channels_first_refuses_what_is_not_an_array_or_a_list(X):
    # None failed in iteration; a DataFrame was iterated by its column names.
    with pytest.raises(TypeError, match="channels_first=True expects a 3-D array"):
        SequencePadder(channels_first=True).fit(X)


ragged_sequences = st.integers(1, 3).flatmap(
    lambda n_channels: st.lists(
        st.integers(1, 12).flatmap(
            lambda length: arrays(
                np.float64,
                (length, n_channels),
                elements=st.floats(-1e6, 1e6, allow_nan=False),
            )
        ),
        min_size=1,
        max_size=8,
    )
)


@settings(max_examples=60, deadline=None)
@given(ragged_sequences)
def test_pad_then_inverse_gives_the_sequences_back(X):
    padder = SequencePadder().fit(X)
    padded = padder.transform(X)
    assert padded.shape == (len(X), max(len(x) for x in X), X[0].shape[1])
    np.testing.assert_array_equal(sequence_lengths(padded), [len(x) for x in X])
    for original, restored in zip(X, padder.inverse_transform(padded), strict=True):
        np.testing.assert_array_equal(restored, original)


@settings(max_examples=60, deadline=None)
@given(ragged_sequences, st.integers(1, 15), st.sampled_from(["pre", "post"]))
def test_truncation_keeps_the_right_steps(X, max_length, truncating):
    padded = SequencePadder(max_length=max_length, truncating=truncating).fit_transform(
        X
    )
    assert padded.shape[1] == max_length
    for x, row in zip(X, padded, strict=True):
        kept = x[-max_length:] if truncating == "pre" else x[:max_length]
        np.testing.assert_array_equal(row[: len(kept)], kept)
        assert np.isnan(row[len(kept) :]).all()


@pytest.mark.slow
def test_grid_search_over_max_length_and_pooling_on_ragged_input():
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in rng.integers(3, 30, 60)]
    y = np.array([int(x[:, 1].mean() > 0) for x in X])
    pipe = make_pipeline(
        SequencePadder(truncating="pre"),
        RNNClassifier(hidden_size=8, max_epochs=3, random_state=0),
    )
    grid = {
        "sequencepadder__max_length": [None, 10],
        "rnnclassifier__pooling": ["last", "mean", "max", "attention"],
    }
    search = GridSearchCV(pipe, grid, cv=2, error_score="raise").fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_channel_first_arrays_are_read_with_channels_first():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 3, 10))  # (n_sequences, n_channels, n_timesteps)
    padded = SequencePadder(channels_first=True).fit_transform(X)
    assert padded.shape == (4, 10, 3)
    np.testing.assert_array_equal(padded, X.transpose(0, 2, 1))
    ragged = [rng.normal(size=(2, n)) for n in (4, 7)]
    padded = SequencePadder(channels_first=True).fit_transform(ragged)
    np.testing.assert_array_equal(padded[0, :4], ragged[0].T)
    with pytest.raises(ValueError, match="expects a 3-D array"):
        SequencePadder(channels_first=True).fit(np.ones((3, 4)))


@pytest.mark.parametrize("how", ["set_output", "global"])
def test_pipelines_work_with_pandas_output(how):
    X = [np.random.default_rng(n).normal(size=(n, 2)) for n in range(3, 23)]
    y = np.arange(20) % 2
    pipe = make_pipeline(
        SequencePadder(),
        SequenceImputer(),
        SequenceScaler(),
        RNNClassifier(hidden_size=4, max_epochs=2, random_state=0),
    )
    if how == "set_output":
        pipe.set_output(transform="pandas")
        pipe.fit(X, y)
    else:
        with sklearn.config_context(transform_output="pandas"):
            pipe.fit(X, y)
    assert pipe.predict(X).shape == (20,)
    assert isinstance(pipe[:-1].transform(X), np.ndarray)


def test_feature_names_out_are_the_channels():
    frames = [pd.DataFrame({"speed": [1.0, 2.0], "angle": [0.0, 1.0]})] * 3
    for transformer in (SequencePadder(), SequenceScaler(), SequenceImputer()):
        names = transformer.fit(frames).get_feature_names_out()
        assert list(names) == ["speed", "angle"]
    assert list(SequencePadder().fit([np.ones((2, 3))]).get_feature_names_out()) == [
        "x0",
        "x1",
        "x2",
    ]


def test_inverse_transform_refuses_a_sequence_without_steps():
    padder = SequencePadder().fit([np.ones((2, 2))])
    with pytest.raises(ValueError, match="Sequence 0 of X has no step"):
        padder.inverse_transform([np.empty((0, 2))])
    with pytest.raises(ValueError, match="Sequence 1 of X has no step"):
        padder.inverse_transform(np.array([[[1.0, 2.0]], [[np.nan, np.nan]]]))


def test_zero_padding_is_read_as_padding_when_asked():
    # Keras's and tsai's habit: sequences padded with zeros after their end.
    X = np.array(
        [
            [[1.0, 2.0], [0.0, 3.0], [0.0, 0.0]],
            [[0.0, 0.0], [4.0, 0.0], [0.0, 0.0]],
            [[5.0, 6.0], [7.0, 8.0], [9.0, 1.0]],
        ]
    )
    padded = SequencePadder(padding_value=0.0).fit_transform(X)
    np.testing.assert_array_equal(sequence_lengths(padded), [2, 2, 3])
    # A zero step inside a sequence (sequence 1's first) stays a value.
    np.testing.assert_array_equal(padded[1, 0], [0.0, 0.0])
    assert np.isnan(padded[0, 2]).all()
    # Without padding_value, zeros are values.
    np.testing.assert_array_equal(
        sequence_lengths(SequencePadder().fit_transform(X)), [3, 3, 3]
    )
    # 2-D arrays, lists and channel-first arrays alike.
    np.testing.assert_array_equal(
        sequence_lengths(
            SequencePadder(padding_value=-1).fit_transform(np.array([[1, -1, -1]]))
        ),
        [1],
    )
    ragged = SequencePadder(padding_value=0).fit_transform([np.array([3.0, 0, 0])])
    np.testing.assert_array_equal(sequence_lengths(ragged), [1])
    first = SequencePadder(channels_first=True, padding_value=0).fit_transform(
        X.transpose(0, 2, 1)
    )
    np.testing.assert_array_equal(first, padded)


def test_a_sequence_that_is_all_padding_value_is_named():
    with pytest.raises(ValueError, match="Sequence 1 holds padding_value=0 in every"):
        SequencePadder(padding_value=0).fit(np.array([[1.0, 0.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="Sequence 2 holds padding_value=0"):
        SequencePadder(padding_value=0).fit([np.ones(2), np.ones(1), np.zeros(3)])

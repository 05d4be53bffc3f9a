"""check_sequences: the padding convention and clear input errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from sklearn_rnn import (
    RNNClassifier,
    SequencePadder,
    check_sequences,
    check_token_ids,
    sequence_lengths,
)
from sklearn_rnn._validation import validate_sequences
from sklearn_rnn.exceptions import ChannelLayoutWarning


def test_trailing_all_nan_steps_are_padding():
    X = np.ones((2, 4, 2))
    X[0, 2:] = np.nan
    X[1, 3, 0] = np.nan  # one channel only: NaN inside the sequence
    with pytest.raises(ValueError, match="NaN inside sequence 1 at time step 3"):
        check_sequences(X)
    X[1, 3, 1] = np.nan  # now the whole step is NaN: padding
    padded, lengths, names = check_sequences(X)
    np.testing.assert_array_equal(lengths, [2, 3])
    assert padded.dtype == np.float32
    assert np.all(padded[0, 2:] == 0)
    assert names is None


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_complete_data_has_full_lengths_and_is_copied(dtype):
    X = np.arange(24).reshape(2, 4, 3).astype(dtype)
    padded, lengths, _ = check_sequences(X)
    np.testing.assert_array_equal(lengths, [4, 4])
    np.testing.assert_array_equal(padded, X)
    assert padded.dtype == np.float32
    assert not np.shares_memory(padded, X)


def test_output_is_cut_to_the_longest_sequence():
    X = np.full((2, 10, 1), np.nan)
    X[:, :3] = 1.0
    padded, _, _ = check_sequences(X)
    assert padded.shape == (2, 3, 1)


def test_sequence_lengths_of_empty_rows_is_zero():
    X = np.full((1, 3, 1), np.nan)
    np.testing.assert_array_equal(sequence_lengths(X), [0])


def test_sequence_lengths_reads_2d_arrays_as_univariate_sequences():
    X = np.array([[1.0, 2.0, np.nan], [1.0, np.nan, np.nan], [1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(sequence_lengths(X), [2, 1, 3])
    np.testing.assert_array_equal(sequence_lengths(X), sequence_lengths(X[:, :, None]))
    with pytest.raises(ValueError, match="got shape \\(3,\\)"):
        sequence_lengths(np.ones(3))
    # pandas' nullable floats, NA as padding.
    frame = pd.DataFrame(X, dtype="Float64")
    np.testing.assert_array_equal(sequence_lengths(frame), [2, 1, 3])


@pytest.mark.parametrize(
    "X, error, match",
    [
        ([np.ones(3), np.array([])], ValueError, "sequence 1 is empty"),
        ([np.ones((3, 2)), np.ones((3, 3))], ValueError, "Sequence 1 has 3 channels"),
        ([np.ones((2, 2, 2))], ValueError, "Sequence 0 has 3 dimensions"),
        (np.ones(4), ValueError, "Reshape your data"),
        (np.ones((2, 2, 2, 2)), ValueError, "got 4D array"),
        (np.array([[1.0, np.inf]]), ValueError, "infinity: sequence 0, time step 1"),
        (np.array([[1e39]]), ValueError, "too large for float32"),
        (np.array([[1 + 2j]]), ValueError, "Complex data not supported"),
        (np.array([["a", "b"]], dtype=object), ValueError, "must hold numbers"),
        (sp.csr_matrix(np.ones((2, 2))), TypeError, "Sparse input"),
        ([sp.csr_matrix(np.ones((2, 2)))], TypeError, "Sequence 0 is a sparse"),
        ("abc", ValueError, "Expected sequences"),
        (np.empty((0, 3)), ValueError, r"X holds no sequences \(shape \(0, 3\)\)"),
        ((), ValueError, r"X holds no sequences \(an empty tuple\)"),
        (np.array([], dtype=object), ValueError, r"no sequences \(shape \(0,\)\)"),
        (
            np.empty((2, 0, 1)),
            ValueError,
            r"X has no time steps: .*\(shape=\(2, 0, 1\)\)",
        ),
        (np.empty((2, 3, 0)), ValueError, r"X has no channels"),
        (pd.Series([], dtype=object), ValueError, r"X holds no sequences \(an empty"),
        (
            [pd.DataFrame({"a": [1.0]}), pd.DataFrame({"b": [1.0]})],
            ValueError,
            "same columns",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(X, error, match):
    with pytest.raises(error, match=match):
        check_sequences(X)


def test_odd_containers_are_refused_by_the_library_not_by_numpy():
    # An empty object array reached numpy's max of nothing; nested lists of
    # different lengths and ids beyond int64 gave numpy's message or a wrong
    # one ("a negative token id").
    with pytest.raises(ValueError, match="no sequences \\(shape \\(0,\\)\\)"):
        check_sequences(np.array([], dtype=object))
    with pytest.raises(ValueError, match="sequence 0 is not an array of numbers"):
        check_sequences([[1.0, [2.0]], [3.0]])
    with pytest.raises(ValueError, match="Sequence 0 is not an array of token ids"):
        check_token_ids([[[1, 2], [3]]])
    for ids in ([[1e20]], np.array([[2**64 - 1]], dtype=np.uint64)):
        with pytest.raises(ValueError, match="beyond the int64 ids can be"):
            check_token_ids(ids)


def test_negative_ids_beyond_int64_are_negative_ids():
    # The cast to int64 came first: numpy warned of an invalid cast.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="negative token id"):
            check_token_ids([np.array([-1e19])])


def test_sequence_lengths_of_any_numeric_input():
    # Object arrays and arrays without time steps made numpy raise.
    np.testing.assert_array_equal(
        sequence_lengths(np.array([[1, None]], dtype=object)), [1]
    )
    np.testing.assert_array_equal(sequence_lengths(np.ones((2, 0, 1))), [0, 0])
    with pytest.raises(ValueError, match="X must hold numbers"):
        sequence_lengths(np.array([["a"]]))
    with pytest.raises(ValueError, match="X is not an array of numbers"):
        sequence_lengths([np.ones(2), np.ones(3)])


def test_input_is_never_modified():
    X = np.ones((2, 3))
    X[0, 2] = np.nan
    X.setflags(write=False)
    check_sequences(X)
    assert np.isnan(X[0, 2])


def test_sktime_layouts_are_read_or_refused_with_the_fix():
    rng = np.random.default_rng(0)
    series = [rng.normal(size=n) for n in (4, 6)]
    # nested_univ: a row per sequence, a Series per channel cell.
    nested = pd.DataFrame(
        {
            "speed": [pd.Series(s) for s in series],
            "angle": [pd.Series(2 * s) for s in series],
        }
    )
    padded, lengths, names = check_sequences(nested)
    np.testing.assert_array_equal(lengths, [4, 6])
    np.testing.assert_allclose(padded[1, :, 1], 2 * series[1])
    assert list(names) == ["speed", "angle"]
    # pd-multiindex: one row per time step; rows are not sequences.
    long = pd.DataFrame(
        {"value": np.arange(10.0)},
        index=pd.MultiIndex.from_product([range(2), range(5)], names=["id", "t"]),
    )
    with pytest.raises(ValueError, match=r"long format.*from_long_format"):
        check_sequences(long)
    ragged_channels = pd.DataFrame(
        {"a": [pd.Series([1.0, 2.0])], "b": [pd.Series([1.0])]}
    )
    with pytest.raises(ValueError, match="channels of different lengths"):
        check_sequences(ragged_channels)


def test_missing_values_are_named_by_column():
    frames = [
        pd.DataFrame({"load": [1.0, 2.0], "union": [3.0, 4.0]}),
        pd.DataFrame({"load": [1.0, np.nan, 2.0], "union": 1.0}),
    ]
    with pytest.raises(
        ValueError, match=r"sequence 1 at time step 1, channel 0 \('load'\)"
    ):
        check_sequences(frames)


@pytest.mark.parametrize(
    "X, match",
    [
        ([], r"X holds no sequences \(an empty list\); at least one is required"),
        ((), r"X holds no sequences \(an empty tuple\)"),
        (np.zeros((0, 3), dtype=np.int64), r"X holds no sequences \(shape \(0, 3\)\)"),
        (np.array([], dtype=object), r"X holds no sequences \(shape \(0,\)\)"),
        ([[]], "Sequence 0 holds no token id"),
        ([np.array([], dtype=np.int64), [3]], "Sequence 0 holds no token id"),
        (np.zeros((2, 0), dtype=np.int64), "Sequence 0 holds no token id"),
    ],
)
def test_empty_token_ids_get_a_clear_error(X, match):
    # As check_sequences: no sequence, or an empty one, is named, not a
    # NumPy error.
    with pytest.raises(ValueError, match=match):
        check_token_ids(X)


# (Negative ones of any size are negative ids: see above.)
@pytest.mark.parametrize("X", [[[1e300]], np.array([[2.0**70, 3.0]])])
def test_float_token_ids_beyond_int64_are_refused(X):
    # A cast would wrap them to other ids, with a NumPy warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="beyond the int64 ids can be"):
            check_token_ids(X)


@pytest.mark.parametrize(
    "X, match",
    [
        # Numbers written as text were parsed as numbers.
        (
            np.array([["1.5", "2"]]),
            r"X must hold numbers, but holds text \(dtype <U3\)",
        ),
        (np.array([["1.5", 2.0]], dtype=object), "holds text"),
        ([np.array(["1", "2"])], "sequence 0 must hold numbers, but holds text"),
        # Dates became nanoseconds since 1970, values near 1.7e18.
        (
            [
                pd.DataFrame(
                    {
                        "when": pd.date_range("2026-01-01", periods=3),
                        "value": [1.0, 2.0, 3.0],
                    }
                )
            ],
            r"sequence 0 must hold numbers, but its column 'when' holds dates",
        ),
        (
            pd.DataFrame({"a": ["1", "2"], "b": [1.0, 2.0]}),
            r"its column 'a' holds text",
        ),
        (np.arange(4).astype("datetime64[D]").reshape(2, 2), "holds dates"),
        ([pd.Series(pd.to_timedelta([1, 2], unit="D"))], "holds durations"),
    ],
)
def test_text_and_dates_are_refused_not_converted(X, match):
    with pytest.raises(ValueError, match=match):
        check_sequences(X)


def test_numbers_of_any_pandas_or_object_dtype_are_still_read():
    frame = pd.DataFrame(
        {"i": pd.array([1, 0], dtype="Int64"), "b": [True, False], "f": [0.5, 1.5]}
    )
    padded, lengths, _ = check_sequences([frame])
    np.testing.assert_array_equal(padded[0], [[1, 1, 0.5], [0, 0, 1.5]])
    np.testing.assert_array_equal(lengths, [2])
    padded, _, _ = check_sequences(np.array([[1, 2.5]], dtype=object))
    np.testing.assert_array_equal(padded[:, :, 0], [[1, 2.5]])


@pytest.mark.parametrize(
    "X, match",
    [
        ((np.ones(3) for _ in range(2)), r"X is an iterator \(generator\).*list\(X\)"),
        (iter([np.ones(3)]), r"an iterator \(list_iterator\)"),
        ({1.0, 2.0}, "X is a set"),
    ],
)
def test_iterators_and_sets_are_refused_with_the_fix(X, match):
    # A generator gave "float() argument must be ... not 'generator'".
    with pytest.raises(TypeError, match=match):
        check_sequences(X)


def test_a_channel_first_array_gets_a_warning_that_names_the_fix():
    # (n, channels, time), as aeon's, sktime's and tsai's numpy3D: read
    # silently as 6 steps of 300 channels.
    X = np.zeros((4, 6, 300))
    with pytest.warns(ChannelLayoutWarning, match=r"shape \(4, 6, 300\).*6 time steps"):
        validate_sequences(RNNClassifier(), X, reset=True)
    with pytest.warns(ChannelLayoutWarning, match="channels_first=True"):
        SequencePadder().fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequencePadder(channels_first=True).fit(X)
        validate_sequences(RNNClassifier(), X.transpose(0, 2, 1), reset=True)
        # Lists are read per sequence, and 2-D arrays are one channel.
        validate_sequences(RNNClassifier(), list(X.transpose(0, 2, 1)), reset=True)


def test_a_2d_array_for_a_multichannel_model_says_how_to_pass_one_sequence():
    model = RNNClassifier(hidden_size=4, max_epochs=1, random_state=0)
    X = [np.random.default_rng(i).normal(size=(5, 3)) for i in range(6)]
    model.fit(X, [0, 1] * 3)
    with pytest.raises(
        ValueError, match=r"X has 1 features.*read as univariate.*\[x\]"
    ):
        model.predict(X[0])
    with pytest.raises(ValueError, match=r"expecting 3 features as input\.$"):
        model.predict([x[:, :2] for x in X])

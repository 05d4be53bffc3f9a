"""SequenceScaler: statistics from valid steps only, padding kept."""

import numpy as np
import pandas as pd
import pytest

from sklearn_rnn import SequencePadder, SequenceScaler, sequence_lengths


def test_dataset_scaling_ignores_padding():
    X = [np.array([[1.0, 10.0], [3.0, 30.0]]), np.array([[5.0, 50.0]])]
    padded = SequencePadder(max_length=6).fit_transform(X)
    for data in (X, padded):
        scaler = SequenceScaler().fit(data)
        np.testing.assert_allclose(scaler.mean_, [3.0, 30.0])
        np.testing.assert_allclose(
            scaler.scale_, np.std([1.0, 3.0, 5.0]) * np.array([1, 10])
        )
    out = SequenceScaler().fit(X).transform(padded)
    np.testing.assert_array_equal(sequence_lengths(out), [2, 1])
    assert np.isnan(out[1, 1:]).all()
    np.testing.assert_allclose(np.nanmean(out, axis=(0, 1)), 0, atol=1e-12)


def test_per_sequence_scaling_z_normalizes_each_series():
    rng = np.random.default_rng(0)
    X = [100 + 7 * rng.normal(size=(n, 2)) for n in (5, 9, 30)]
    out = SequenceScaler(per_sequence=True).fit_transform(X)
    for row, x in zip(out, X, strict=True):
        valid = row[: len(x)]
        np.testing.assert_allclose(valid.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(valid.std(axis=0), 1)
        assert np.isnan(row[len(x) :]).all()


def test_constant_channels_are_centred_not_divided_by_zero():
    X = [np.full((4, 1), 3.0), np.full((2, 1), 3.0)]
    for per_sequence in (False, True):
        out = SequenceScaler(per_sequence=per_sequence).fit_transform(X)
        np.testing.assert_array_equal(out[0, :, 0], 0.0)


def test_dataframes_keep_channel_names_and_output_names():
    frames = [pd.DataFrame({"a": [1.0, 2.0], "b": [0.0, 1.0]})]
    scaler = SequenceScaler(with_std=False).fit(frames)
    assert list(scaler.get_feature_names_out()) == ["a", "b"]
    np.testing.assert_allclose(scaler.transform(frames)[0], [[-0.5, -0.5], [0.5, 0.5]])


def test_inner_nan_is_an_error_naming_the_sequence():
    with pytest.raises(ValueError, match="NaN inside sequence 1 at time step 0"):
        SequenceScaler().fit([np.ones(3), np.array([np.nan, 1.0])])


@pytest.mark.parametrize("per_sequence", [False, True])
@pytest.mark.parametrize("magnitude", [1e300, 1.7e308])
def test_huge_values_are_standardized_exactly(per_sequence, magnitude):
    # The statistics overflowed: NaN output near 1e308, all zeros at 1e300.
    X = [magnitude * np.array([1.0, 0.5, -1.0])]
    out = SequenceScaler(per_sequence=per_sequence).fit_transform(X)[0, :, 0]
    expected = (np.array([1.0, 0.5, -1.0]) - 1 / 6) / np.std([1.0, 0.5, -1.0])
    np.testing.assert_allclose(out, expected)


def test_a_standardized_value_beyond_float64_is_refused():
    scaler = SequenceScaler().fit([np.array([0.0, 1e-10])])
    with pytest.raises(ValueError, match="sequence 0, time step 1, channel 0"):
        scaler.transform([np.array([1.0, 1e308])])

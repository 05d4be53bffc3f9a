"""SequenceImputer: missing values filled within sequences, padding kept."""

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, SequenceImputer, sequence_lengths

NAN = np.nan


def sequences():
    return [
        np.array([[NAN, 1.0], [2.0, NAN], [NAN, NAN], [4.0, 3.0]]),
        np.array([[NAN, 5.0], [NAN, 7.0]]),  # channel 0 never observed
    ]


@pytest.mark.parametrize(
    "fill, expected_first",
    [
        ("forward", [[2.0, 1.0], [2.0, 1.0], [2.0, 1.0], [4.0, 3.0]]),
        ("backward", [[2.0, 1.0], [2.0, 3.0], [4.0, 3.0], [4.0, 3.0]]),
        # The observed mean of channel 0 is 3, of channel 1 is 4.
        (None, [[3.0, 1.0], [2.0, 4.0], [3.0, 4.0], [4.0, 3.0]]),
    ],
)
def test_fills_within_each_sequence_then_with_the_statistic(fill, expected_first):
    out = SequenceImputer(fill=fill).fit_transform(sequences())
    np.testing.assert_array_equal(out[0], expected_first)
    # A channel never observed in a sequence gets the training mean, 3.
    np.testing.assert_array_equal(out[1, :2, 0], [3.0, 3.0])
    # Padding stays padding: lengths are kept.
    assert np.isnan(out[1, 2:]).all()
    np.testing.assert_array_equal(sequence_lengths(out), [4, 2])


@pytest.mark.parametrize(
    "strategy, fill_value, expected", [("median", 0, 3.0), ("constant", -1, -1.0)]
)
def test_other_statistics(strategy, fill_value, expected):
    imputer = SequenceImputer(fill=None, strategy=strategy, fill_value=fill_value)
    out = imputer.fit(sequences()).transform([np.array([[NAN, 0.0]])])
    assert out[0, 0, 0] == expected


def test_a_channel_never_observed_in_training_is_named():
    frames = [pd.DataFrame({"load": [1.0, 2.0], "union": [NAN, NAN]})] * 2
    with pytest.raises(ValueError, match="channel 1 \\('union'\\) has no observed"):
        SequenceImputer().fit(frames)
    imputer = SequenceImputer(strategy="constant").fit(frames)
    assert list(imputer.get_feature_names_out()) == ["load", "union"]


def test_the_estimators_point_to_it_and_it_makes_them_work():
    rng = np.random.default_rng(0)
    frames = [
        pd.DataFrame(rng.normal(size=(n, 2)), columns=["load", "union"])
        for n in rng.integers(4, 12, 30)
    ]
    frames[5].iloc[1, 1] = NAN
    y = np.arange(30) % 2
    with pytest.raises(
        ValueError, match=r"sequence 5 .* channel 1 \('union'\).*SequenceImputer"
    ):
        RNNClassifier(max_epochs=2).fit(frames, y)
    model = make_pipeline(
        SequenceImputer(), RNNClassifier(max_epochs=2, random_state=0)
    )
    assert model.fit(frames, y).predict(frames).shape == (30,)


def test_huge_statistics_do_not_overflow():
    # The mean of two values near 1e308 was infinity, written into the data.
    X = [np.array([1.5e308, np.nan, 1.7e308])]
    out = SequenceImputer(fill=None).fit_transform(X)
    np.testing.assert_allclose(out[0, :, 0], [1.5e308, 1.6e308, 1.7e308])


@pytest.mark.parametrize("fill_value", [np.nan, np.inf, "0"])
def test_fill_value_must_be_a_finite_number(fill_value):
    # A NaN fill_value left the missing values missing, silently.
    imputer = SequenceImputer(strategy="constant", fill_value=fill_value)
    with pytest.raises(ValueError, match="'fill_value' parameter"):
        imputer.fit([np.array([1.0, np.nan, 2.0])])

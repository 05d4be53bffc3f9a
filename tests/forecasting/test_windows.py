"""make_windows: series cut into supervised windows."""

import numpy as np
import pytest
from sklearn.model_selection import TimeSeriesSplit

from sklearn_rnn import make_windows


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

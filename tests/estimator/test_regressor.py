"""RNNRegressor: standardized targets, several outputs, rescaled partial_fit."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import root_mean_squared_error

from sklearn_rnn import RNNRegressor


@pytest.mark.slow
def test_regressor_standardizes_unscaled_targets_and_handles_multioutput():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 8, 1))
    y = np.column_stack([5000 + 800 * X[:, :, 0].mean(1), -3 * X[:, -1, 0]])
    reg = RNNRegressor(
        hidden_size=16, max_epochs=60, lr=1e-2, pooling="mean", random_state=0
    ).fit(X, y)
    assert reg.n_outputs_ == 2
    assert reg.predict(X).shape == (150, 2)
    assert reg.score(X, y) > 0.8
    # 1-D y gives 1-D predictions in the target's units.
    reg1 = clone(reg).fit(X, y[:, 0])
    prediction = reg1.predict(X)
    assert prediction.shape == (150,)
    assert abs(prediction.mean() - 5000) < 100


def test_partial_fit_follows_a_target_on_another_scale(ragged, fast):
    X, _ = ragged
    rng = np.random.default_rng(0)
    y = rng.normal(size=40)
    reg = RNNRegressor(**{**fast, "lr": 1e-30}).partial_fit(X, y)
    before = reg.predict(X)
    # A learning rate of ~0 trains nothing: rescaling the output layer to the
    # new target statistics must leave the predictions as they were.
    reg.partial_fit(X, y * 1e3 + 500)
    np.testing.assert_allclose(reg.predict(X), before, atol=1e-3)
    assert reg.target_scaler_.mean_[0] == pytest.approx(
        (y.mean() + y.mean() * 1e3 + 500) / 2
    )
    # ... and training on that scale keeps a loss of the order of one.
    reg.set_params(lr=1e-2).partial_fit(X, y * 1e3 + 500)
    assert reg.history_[-1, "train_loss"] < 10


@pytest.mark.parametrize(
    "y",
    [
        pd.Series(["a", "b", "a", "b"]),
        np.array(["a", "b", "a", "b"]),
        np.array([1.0, np.nan, 2.0, 3.0]),
        [[None, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]],
        np.array([1.0, None, 2.0, 3.0], dtype=object),
    ],
)
def test_targets_that_are_not_finite_numbers_are_named(y):
    X = [np.ones((3, 2))] * 4
    with pytest.raises(ValueError, match=r"y must hold (finite )?numbers"):
        RNNRegressor(hidden_size=2, max_epochs=1).fit(X, y)


@pytest.mark.parametrize(
    "y, held",
    [
        (np.array(["1.5", "2", "3", "4"]), "text"),
        (pd.Series(["1.5", "2", "3", "4"]), "text"),
        (["1.5", "2", "3", "4"], "text"),
        (pd.Series(pd.date_range("2026-01-01", periods=4)), "dates"),
    ],
)
def test_targets_given_as_text_or_dates_are_refused_not_parsed(y, held):
    # Numbers written as text were parsed, dates read as nanoseconds.
    X = [np.ones((3, 2))] * 4
    with pytest.raises(ValueError, match=f"y must hold numbers, but holds {held}"):
        RNNRegressor(hidden_size=2, max_epochs=1).fit(X, y)


def test_score_checks_the_targets_as_fit_does():
    X = [np.ones((3, 2)), np.zeros((2, 2))] * 2
    reg = RNNRegressor(hidden_size=2, max_epochs=1).fit(X, np.ones((4, 2)))
    with pytest.raises(ValueError, match="y has 1 targets, but RNNRegressor was"):
        reg.score(X, np.ones(4))
    with pytest.raises(ValueError, match="y must hold numbers, but holds text"):
        reg.score(X, np.array([["a", "b"]] * 4))


def test_targets_too_large_for_float32_are_named():
    X = [np.ones((3, 2)), np.zeros((2, 2))] * 2
    y = np.array([0.0, 1e300, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"y\[1\] = 1e\+300 is too large for float32"):
        RNNRegressor(hidden_size=2, max_epochs=1).fit(X, y)
    reg = RNNRegressor(hidden_size=2, max_epochs=1).fit(X, np.arange(4.0))
    with pytest.raises(ValueError, match="too large for float32"):
        reg.score(X, y)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_the_default_regressor_does_no_harm_on_targets_independent_of_x(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(240, 10, 2))
    y = 10 + 3 * rng.normal(size=240)  # unrelated to X
    reg = RNNRegressor(random_state=seed).fit(X[:160], y[:160])
    mean_predictor = root_mean_squared_error(y[160:], np.full(80, y[:160].mean()))
    assert root_mean_squared_error(y[160:], reg.predict(X[160:])) <= (
        1.02 * mean_predictor
    )
    assert (reg.output_shrinkage_ < 0.5).all()


@pytest.mark.slow
def test_a_regressor_that_learned_its_targets_keeps_its_predictions(ragged_task):
    X, _ = ragged_task(100)
    y = np.array([x[:, 0].sum() for x in X])
    # The network's own shrinkage: without the linear path beside it.
    params = {
        "hidden_size": 16,
        "max_epochs": 40,
        "linear_path": False,
        "random_state": 0,
    }
    reg = RNNRegressor(**params).fit(X, y)
    assert reg.output_shrinkage_ > 0.9
    assert reg.score(X, y) > 0.9
    again = RNNRegressor(**params).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))

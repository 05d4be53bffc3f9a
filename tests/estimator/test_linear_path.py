"""RNNRegressor's linear path: a ridge on the resampled series beside the
network, weighed with it on the held-out data."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_rnn import RNNRegressor
from sklearn_rnn._estimator.linear_path import held_out_weights, linear_path


def _linear_task(n=120, seed=0):
    """Ragged univariate series whose target is a fixed weighting of their
    values resampled to 30 steps: what a ridge learns and a short fit does
    not."""
    rng = np.random.default_rng(seed)
    X = [rng.normal(size=(length, 1)) for length in rng.integers(20, 40, n)]
    weighting = rng.normal(size=30)
    y = np.array([linear_path(30)[0].transform([x])[0] @ weighting for x in X])
    return X, y


FAST = {"hidden_size": 8, "max_epochs": 5, "random_state": 0}


def test_held_out_weights_find_the_predictor_that_learned_the_targets():
    rng = np.random.default_rng(0)
    targets = rng.normal(size=(200, 1))
    noise = rng.normal(size=(200, 1))
    weights = held_out_weights([noise, targets], targets, np.ones(200))
    assert weights[0, 0] == 0
    assert weights[1, 0] == pytest.approx(1)
    # Predictions unrelated to the targets get no weight: the mean's.
    unrelated = [rng.normal(size=(200, 1)) for _ in range(2)]
    np.testing.assert_array_equal(held_out_weights(unrelated, targets, np.ones(200)), 0)


def test_one_prediction_is_shrunk_by_its_evidence():
    rng = np.random.default_rng(1)
    targets = rng.normal(size=(100, 2))
    outputs = 0.5 * targets + rng.normal(size=(100, 2))
    weights = held_out_weights([outputs], targets, np.ones(100))[0]
    # The least-squares factor, times one minus the chance gain over the
    # gain in residual variances.
    fit = (outputs * targets).sum(0)
    alpha = fit / (outputs**2).sum(0)
    residual = ((targets - alpha * outputs) ** 2).mean(0)
    np.testing.assert_allclose(weights, alpha * (1 - residual / (alpha * fit)))


def test_sample_weights_weigh_the_held_out_sequences():
    rng = np.random.default_rng(2)
    targets = rng.normal(size=(100, 1))
    good = targets.copy()
    good[50:] = rng.normal(size=(50, 1))  # right on the first half only
    first_half = np.r_[np.ones(50), np.zeros(50)]
    assert held_out_weights([good], targets, first_half)[0, 0] == pytest.approx(1)
    assert held_out_weights([good], targets, np.ones(100))[0, 0] < 0.9


def test_the_regressor_takes_the_ridge_where_the_targets_are_linear():
    X, y = _linear_task()
    with_path = RNNRegressor(**FAST).fit(X[:90], y[:90])
    without = RNNRegressor(linear_path=False, **FAST).fit(X[:90], y[:90])
    assert with_path.fit_settings_.linear_path
    assert with_path.linear_weight_[0] > 0.8
    assert with_path.score(X[90:], y[90:]) > 0.8
    assert with_path.score(X[90:], y[90:]) > without.score(X[90:], y[90:]) + 0.5
    assert without.linear_ is None
    np.testing.assert_array_equal(without.linear_weight_, [0.0])
    # Seeded fits repeat exactly, the ridge included.
    again = clone(with_path).fit(X[:90], y[:90])
    np.testing.assert_array_equal(again.predict(X), with_path.predict(X))


def test_no_hold_out_no_linear_path_and_partial_fit_keeps_it():
    X, y = _linear_task(60)
    few = RNNRegressor(**FAST).fit(X[:19], y[:19])  # too few to hold out
    assert not few.fit_settings_.linear_path and few.linear_ is None
    reg = RNNRegressor(**FAST).fit(X, y)
    ridge, weight = reg.linear_, reg.linear_weight_.copy()
    reg.partial_fit(X, y)
    assert reg.linear_ is ridge
    np.testing.assert_array_equal(reg.linear_weight_, weight)
    # A refit without warm start weighs a new one; a refit on too few drops it.
    reg.fit(X[:19], y[:19])
    assert reg.linear_ is None


def test_several_targets_validation_data_and_sample_weights():
    X, y = _linear_task(80)
    Y = np.column_stack([y, -2 * y + 1])
    reg = RNNRegressor(**FAST).fit(
        X[:50],
        Y[:50],
        sample_weight=np.linspace(1, 2, 50),
        X_val=X[50:70],
        y_val=Y[50:70],
    )
    assert reg.linear_weight_.shape == (2,)
    assert reg.predict(X[70:]).shape == (10, 2)
    assert reg.score(X[70:], Y[70:]) > 0.8


def test_the_linear_path_pickles_and_is_refused_by_onnx(tmp_path):
    pytest.importorskip("onnx")
    from sklearn_rnn import export_onnx

    X, y = _linear_task(60)
    reg = RNNRegressor(**FAST).fit(X, y)
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))
    with pytest.raises(ValueError, match="Refit with linear_path=False to export"):
        export_onnx(reg, tmp_path / "model.onnx")


def test_a_regressor_pickled_before_the_linear_path_predicts_without_one():
    X, y = _linear_task(30)
    reg = RNNRegressor(linear_path=False, **FAST).fit(X, y)
    state = reg.__getstate__()
    for name in ("linear_path", "linear_", "linear_weight_"):
        del state[name]
    old = RNNRegressor.__new__(RNNRegressor)
    old.__setstate__(state)
    assert old.linear_path is False and old.linear_ is None
    np.testing.assert_array_equal(old.predict(X), reg.predict(X))


@pytest.mark.parametrize(
    ("max_length", "n_channels", "n_steps"),
    [(140, 1, 140), (5000, 1, 1000), (5000, 12, 83), (10, 3000, 1)],
)
def test_a_sequence_gives_the_ridge_at_most_1000_values(
    max_length, n_channels, n_steps
):
    resampling = linear_path(max_length, n_channels)[0]
    assert resampling.kw_args == {"n_steps": n_steps}

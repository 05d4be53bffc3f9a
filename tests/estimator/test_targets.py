"""What y holds: one target per sequence, or one per time step (per_step)."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import GridSearchCV, cross_val_score

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator.targets import LAYOUTS


def step_task(n=50, seed=0):
    """Ragged sequences labelled per step: is the next value positive?"""
    rng = np.random.default_rng(seed)
    X = [rng.normal(size=(length, 1)) for length in rng.integers(3, 20, n)]
    y = [np.r_[x[1:, 0] > 0, False].astype(int) for x in X]
    return X, y


PER_STEP = {"per_step": True, "hidden_size": 8, "max_epochs": 5, "random_state": 0}


def test_per_step_predictions_keep_each_sequence_length():
    X, y = step_task()
    clf = RNNClassifier(**PER_STEP).fit(X, y)
    predictions, proba = clf.predict(X), clf.predict_proba(X)
    assert [len(p) for p in predictions] == [len(x) for x in X]
    assert all(p.shape == (len(x), 2) for p, x in zip(proba, X, strict=True))
    np.testing.assert_allclose(np.concatenate(proba).sum(axis=1), 1.0)
    reg = RNNRegressor(**PER_STEP).fit(X, [np.c_[x, 2 * x] for x in X])
    assert [p.shape for p in reg.predict(X)[:2]] == [(len(X[0]), 2), (len(X[1]), 2)]


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_per_step_targets_past_the_end_change_nothing(Estimator):
    X, y = step_task()
    padded = np.full((len(X), 25), 9)  # 9: a label that never occurs
    junk = np.random.default_rng(1).integers(0, 2, size=padded.shape)
    for i, targets in enumerate(y):
        padded[i, : len(targets)] = targets
        junk[i, : len(targets)] = targets
    first = Estimator(**PER_STEP).fit(X, padded)
    second = Estimator(**PER_STEP).fit(X, pd.DataFrame(junk))
    for a, b in zip(first.predict(X), second.predict(X), strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.score(X, padded) == second.score(X, junk) == first.score(X, y)
    assert first.score(X, pd.DataFrame(padded)) == first.score(X, y)
    # pandas' nullable integers are read as integers.
    nullable = Estimator(**PER_STEP).fit(X, pd.DataFrame(padded, dtype="Int64"))
    for a, b in zip(nullable.predict(X), first.predict(X), strict=True):
        np.testing.assert_array_equal(a, b)


def test_per_step_score_averages_over_real_steps():
    X, y = step_task()
    clf = RNNClassifier(**PER_STEP).fit(X, y)
    flat_true, flat_pred = np.concatenate(y), np.concatenate(clf.predict(X))
    assert clf.score(X, y) == pytest.approx(np.mean(flat_true == flat_pred))
    weights = np.arange(1.0, len(X) + 1)
    step_weights = np.repeat(weights, [len(x) for x in X])
    expected = np.average(flat_true == flat_pred, weights=step_weights)
    assert clf.score(X, y, sample_weight=weights) == pytest.approx(expected)


def test_per_step_grid_search_pickle_and_clone():
    X, y = step_task()
    search = GridSearchCV(RNNClassifier(**PER_STEP), {"hidden_size": [4, 8]}, cv=2)
    search.fit(X, y)
    assert 0 <= search.best_score_ <= 1
    restored = pickle.loads(pickle.dumps(search.best_estimator_))
    for a, b in zip(
        restored.predict_proba(X), search.best_estimator_.predict_proba(X), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    assert clone(search.best_estimator_).per_step


def test_per_step_metrics_score_the_concatenated_steps():
    """The recipe of docs/sequence_labelling.md for metrics other than score."""
    X, y = step_task()

    def per_step_f1(y_true, y_pred):
        return f1_score(np.concatenate(y_true), np.concatenate(y_pred))

    model = RNNClassifier(**PER_STEP)
    scores = cross_val_score(model, X, y, cv=2, scoring=make_scorer(per_step_f1))
    # The first fold: trained on the second half, scored on the first.
    model.fit(X[25:], y[25:])
    assert scores[0] == pytest.approx(per_step_f1(y[:25], model.predict(X[:25])))


@pytest.mark.parametrize(
    "params, y_change, message",
    [
        ({}, lambda y: y[:-1], "has 50 sequences but y has 49"),
        ({}, lambda y: [t[:-1] for t in y], r"holds \d+ targets"),
        ({}, lambda y: [1] * len(y), "holds a scalar"),
        ({"conv_channels": (4,), "conv_stride": 2}, None, "strides 1"),
        ({"branch_channels": (4,), "branch_kernel_sizes": 3}, None, "no branch"),
    ],
)
def test_per_step_errors_say_what(params, y_change, message):
    X, y = step_task()
    y = y if y_change is None else y_change(y)
    with pytest.raises(ValueError, match=message):
        RNNClassifier(**{**PER_STEP, **params}).fit(X, y)


@pytest.mark.parametrize("y", [0, 2.5, "abc", np.array(1)])
@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
@pytest.mark.parametrize(
    "per_step, message",
    [(True, "per_step=True, y holds one array"), (False, "y holds one target per")],
)
def test_targets_that_are_one_value_get_a_clear_error(Estimator, per_step, message, y):
    X, steps = step_task(5)
    with pytest.raises(TypeError, match=message):
        Estimator(**{**PER_STEP, "per_step": per_step}).fit(X, y)
    model = Estimator(**{**PER_STEP, "per_step": per_step, "max_epochs": 1})
    model.fit(X, steps if per_step else np.arange(5) % 2)
    with pytest.raises(TypeError, match=message):
        model.score(X, y)


@pytest.mark.parametrize(
    "y_change, weight_change, message",
    [
        (lambda y: y[:-1], None, "X has 5 sequences but y has 4 targets"),
        (None, lambda w: w[:-1], r"sample_weight.shape == \(4,\), expected \(5,\)"),
        (None, lambda w: np.r_[1.0, -1.0, 0.0, 0.0, 0.0], "sample_weight sums to zero"),
    ],
)
@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_score_names_y_or_sample_weight_that_do_not_fit(
    Estimator, y_change, weight_change, message
):
    X, steps = step_task(5)
    y, sample_weight = np.arange(5) % 2, np.ones(5)
    model = Estimator(**{**PER_STEP, "per_step": False, "max_epochs": 1}).fit(X, y)
    tagger = Estimator(**{**PER_STEP, "max_epochs": 1}).fit(X, steps)
    y = y if y_change is None else y_change(y)
    sample_weight = (
        sample_weight if weight_change is None else weight_change(sample_weight)
    )
    with pytest.raises(ValueError, match=message):
        model.score(X, y, sample_weight=sample_weight)
    if weight_change is not None:
        with pytest.raises(ValueError, match=message):
            tagger.score(X, steps, sample_weight=sample_weight)


# --- Causality -----------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru", "transformer"])
@pytest.mark.parametrize("input_scaling", ["channel", "sequence", "both", None])
@pytest.mark.parametrize("conv_channels", [None, (4,)])
def test_a_causal_tagger_reads_no_later_step(cell, input_scaling, conv_channels):
    """A unidirectional per-step model gives, for a prefix, exactly the outputs
    of the same steps of the whole sequence: for every cell, scaling and
    front-end."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) * [1, 50] + [0, 7] for n in (12, 20, 9, 16)]
    y = [(x[:, 0] > 0).astype(int) for x in X]
    model = RNNClassifier(
        per_step=True,
        bidirectional=False,
        cell=cell,
        input_scaling=input_scaling,
        conv_channels=conv_channels,
        hidden_size=8,
        max_epochs=2,
        random_state=0,
    ).fit(X, y)
    # A level shift after step 10 is the kind of future a leak would read.
    whole = np.vstack([X[1][:10], X[1][10:] * 100 + 1e4])
    prefixes = [whole[:n] for n in (1, 2, 5, 10)]
    outputs = model.predict_proba([whole, *prefixes])
    for prefix, output in zip(prefixes, outputs[1:], strict=True):
        np.testing.assert_allclose(
            output, outputs[0][: len(prefix)], rtol=1e-5, atol=1e-6
        )


def test_a_causal_tagger_of_token_ids_reads_no_later_step(fast_embedding):
    rng = np.random.default_rng(0)
    X = [rng.integers(2, 30, size=n) for n in (12, 20, 9, 16)]
    y = [ids % 2 for ids in X]
    model = RNNClassifier(
        **{**fast_embedding, "per_step": True, "bidirectional": False}
    ).fit(X, y)
    whole = rng.integers(2, 30, size=25)
    outputs = model.predict_proba([whole, whole[:3], whole[:11]])
    for output in outputs[1:]:
        np.testing.assert_allclose(
            output, outputs[0][: len(output)], rtol=1e-5, atol=1e-6
        )


# --- The layouts on their own, without a fit ------------------------------------


def test_layouts_put_outputs_back_in_the_callers_order():
    sequence, step = LAYOUTS[False], LAYOUTS[True]
    order = np.array([2, 0, 1])  # the sequences taken shortest first
    outputs = np.array([[20.0], [0.0], [10.0]])
    assert sequence.in_caller_order(outputs, order).tolist() == [[0], [10], [20]]
    per_step = [np.zeros(1), np.zeros(2), np.zeros(3)]  # sorted by length
    restored = step.in_caller_order(per_step, order)
    assert [len(output) for output in restored] == [2, 3, 1]


def test_step_layout_counts_and_flattens_valid_steps_only():
    step = LAYOUTS[True]
    lengths = np.array([2, 1])
    targets = step.targets([np.array([1, 0]), np.array([1])], lengths)
    assert targets.tolist() == [1, 0, 1]
    padded = np.array([[1.0, 2.0, 99.0], [3.0, 99.0, 99.0]])
    outputs, flat, weights = step.valid_values(
        [np.array([0.1, 0.2]), np.array([0.3])], padded, np.array([1.0, 5.0]), lengths
    )
    assert outputs.tolist() == [0.1, 0.2, 0.3]
    assert flat.tolist() == [1.0, 2.0, 3.0]
    assert weights.tolist() == [1.0, 1.0, 5.0]  # a sequence's weight, each step


def test_sequence_layout_checks_the_count():
    with pytest.raises(ValueError, match="X has 3 sequences but y has 2 targets"):
        LAYOUTS[False].check_count(np.ones(3), [0, 1])
    assert LAYOUTS[False].unit == "sequence" and LAYOUTS[True].unit == "step"

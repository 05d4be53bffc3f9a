"""Property-based tests: invariances of predictions, and no crash on odd input."""

import traceback

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklearn_rnn import RNNClassifier, RNNRegressor

# The profile's examples (tests/conftest.py): more in a long fuzz run.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in rng.integers(1, 30, 50)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    clf = RNNClassifier(
        hidden_size=8,
        bidirectional=True,
        conv_channels=(4,),
        conv_stride=2,
        input_scaling="both",
        max_epochs=3,
        random_state=0,
    ).fit(X, y)
    return clf, X


@SETTINGS
@given(data=st.data())
def test_predictions_do_not_depend_on_order_or_batch_size(fitted, data):
    clf, X = fitted
    expected = clf.predict_proba(X)
    order = np.array(data.draw(st.permutations(range(len(X)))))
    batch_size = data.draw(st.integers(1, 60))
    clf.net_.batch_size = batch_size
    try:
        shuffled = clf.predict_proba([X[i] for i in order])
    finally:
        clf.net_.batch_size = 32
    np.testing.assert_allclose(shuffled, expected[order], atol=1e-5)


values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, 1e300, -1e300, np.nan]),
)
sequences = st.lists(
    arrays(
        np.float64,
        st.tuples(st.integers(0, 6), st.sampled_from([1, 2, 3])),
        elements=values,
    ),
    min_size=0,
    max_size=6,
)


def raised_by_the_library(exc):
    """Whether ``exc`` is a clear error of this library (or scikit-learn)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return isinstance(exc, (ValueError, TypeError)) and any(
        "sklearn_rnn" in frame.filename for frame in frames[-3:]
    )


@SETTINGS
@given(X=sequences)
def test_odd_input_to_predict_predicts_or_raises_a_clear_error(fitted, X):
    clf, _ = fitted
    try:
        proba = clf.predict_proba(X)
    except Exception as exc:  # the property is about which errors arise
        assert raised_by_the_library(exc), repr(exc)
    else:
        assert proba.shape == (len(X), 2)
        assert np.isfinite(proba).all()


@settings(max_examples=15, deadline=None)
@given(X=sequences, regression=st.booleans())
def test_odd_input_to_fit_trains_or_raises_a_clear_error(X, regression):
    model = (RNNRegressor if regression else RNNClassifier)(
        hidden_size=2, max_epochs=1, random_state=0
    )
    y = np.arange(len(X)) % 2
    try:
        model.fit(X, y)
    except Exception as exc:  # the property is about which errors arise
        assert raised_by_the_library(exc), repr(exc)
    else:
        assert model.predict(X).shape == (len(X),)

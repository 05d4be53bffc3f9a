"""The aeon adapters pass aeon's estimator checks and work in its idiom."""

import subprocess
import sys

import numpy as np
import pytest
from aeon.datasets import load_basic_motions, load_covid_3month, load_japanese_vowels
from aeon.pipeline import make_pipeline
from aeon.testing.estimator_checking import check_estimator
from aeon.transformations.collection import Normalizer

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn.aeon import AeonRNNClassifier, AeonRNNRegressor

# Slow: aeon's estimator checks and subprocesses; -m "not slow" leaves it out.
pytestmark = pytest.mark.slow

SMALL = {"hidden_size": 8, "max_epochs": 2, "n_threads": 1, "random_state": 0}


@pytest.mark.parametrize("estimator", [AeonRNNClassifier, AeonRNNRegressor])
def test_aeon_check_estimator_passes(estimator):
    results = check_estimator(estimator, raise_exceptions=False)
    failed = {name: result for name, result in results.items() if result != "PASSED"}
    assert results
    assert not failed, "\n".join(f"{name}: {error!r}" for name, error in failed.items())


def test_import_sklearn_rnn_does_not_import_aeon():
    code = "import sklearn_rnn, sys; assert 'aeon' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unequal_lengths_reach_the_network_as_they_are():
    # JapaneseVowels: a list of (12, n_timepoints_i) arrays of 7 to 26 steps;
    # the adapter must predict as the core estimator does on the same series
    # as (length, n_channels) arrays.
    X, y = load_japanese_vowels(split="train")
    sequences = [series.T for series in X]
    assert len({len(sequence) for sequence in sequences}) > 1

    adapter = AeonRNNClassifier(**SMALL).fit(X, y)
    core = RNNClassifier(**SMALL).fit(sequences, y)

    np.testing.assert_array_equal(adapter.classes_, core.classes_)
    np.testing.assert_allclose(
        adapter.predict_proba(X), core.predict_proba(sequences), rtol=1e-6
    )
    assert adapter.estimator_.n_features_in_ == 12


def test_regressor_on_numpy3d_predicts_as_the_core_estimator():
    X, y = load_covid_3month(split="train")  # (n_cases, n_channels, n_timepoints)
    sequences = list(X.transpose(0, 2, 1))

    adapter = AeonRNNRegressor(**SMALL).fit(X, y)
    core = RNNRegressor(**SMALL).fit(sequences, y)

    np.testing.assert_allclose(adapter.predict(X), core.predict(sequences), rtol=1e-6)


def test_pipeline_with_a_collection_transformer_in_front():
    X_train, y_train = load_basic_motions(split="train")
    X_test, _ = load_basic_motions(split="test")

    pipeline = make_pipeline(Normalizer(), AeonRNNClassifier(**SMALL))
    y_pred = pipeline.fit(X_train, y_train).predict(X_test)

    assert y_pred.shape == (len(X_test),)
    assert set(y_pred) <= set(y_train)
    assert pipeline.predict_proba(X_test).shape == (len(X_test), 4)

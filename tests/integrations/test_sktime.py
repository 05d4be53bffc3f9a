"""The sktime adapters pass sktime's estimator checks and work in its idiom."""

import inspect
import subprocess
import sys

import numpy as np
import pytest
from sktime.classification.compose import ClassifierPipeline
from sktime.datasets import (
    load_basic_motions,
    load_covid_3month,
    load_japanese_vowels,
)
from sktime.transformations.compose import FitInTransform
from sktime.transformations.series.difference import Differencer
from sktime.utils.estimator_checks import check_estimator

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn.sktime import SktimeRNNClassifier, SktimeRNNRegressor

# Slow: sktime's estimator checks and subprocesses; -m "not slow" leaves it out.
pytestmark = pytest.mark.slow

SMALL = {"hidden_size": 8, "max_epochs": 2, "n_threads": 1, "random_state": 0}


@pytest.mark.parametrize("estimator", [SktimeRNNClassifier, SktimeRNNRegressor])
def test_sktime_check_estimator_passes(estimator):
    results = check_estimator(estimator, raise_exceptions=False, verbose=False)
    failed = {name: result for name, result in results.items() if result != "PASSED"}
    assert results
    assert not failed, "\n".join(f"{name}: {error!r}" for name, error in failed.items())


@pytest.mark.parametrize(
    ("adapter", "core"),
    [(SktimeRNNClassifier, RNNClassifier), (SktimeRNNRegressor, RNNRegressor)],
)
def test_parameters_are_the_core_estimators_but_those_of_tokens_and_steps(
    adapter, core
):
    left_out = {
        "embedding_dim",
        "embedding_dropout",
        "embedding_weights",
        "freeze_embedding",
        "per_step",
        "warm_start",
    }
    core_parameters = {
        name: parameter.default
        for name, parameter in inspect.signature(core).parameters.items()
        if name not in left_out
    }
    adapter_parameters = {
        name: parameter.default
        for name, parameter in inspect.signature(adapter).parameters.items()
    }
    assert adapter_parameters == core_parameters


def test_import_sklearn_rnn_does_not_import_sktime():
    code = "import sklearn_rnn, sys; assert 'sktime' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unequal_lengths_reach_the_network_as_they_are():
    # JapaneseVowels: series of 7 to 29 steps, 12 channels, in sktime's nested
    # DataFrame; the adapter must predict as the core estimator does on the
    # same series as (length, n_channels) arrays.
    X, y = load_japanese_vowels(split="train", return_type="nested_univ")
    sequences = [
        np.column_stack([X.iloc[i, j].to_numpy() for j in range(X.shape[1])])
        for i in range(len(X))
    ]
    assert len({len(sequence) for sequence in sequences}) > 1

    adapter = SktimeRNNClassifier(**SMALL).fit(X, y)
    core = RNNClassifier(**SMALL).fit(sequences, y)

    np.testing.assert_array_equal(adapter.classes_, core.classes_)
    np.testing.assert_allclose(
        adapter.predict_proba(X), core.predict_proba(sequences), rtol=1e-6
    )
    assert adapter.estimator_.n_features_in_ == 12


def test_regressor_on_numpy3d_predicts_as_the_core_estimator():
    X, y = load_covid_3month(split="train")
    X3d = np.stack([np.stack([cell.to_numpy() for cell in row]) for row in X.values])

    adapter = SktimeRNNRegressor(**SMALL).fit(X3d, y)
    core = RNNRegressor(**SMALL).fit(list(X3d.transpose(0, 2, 1)), y)

    np.testing.assert_allclose(
        adapter.predict(X3d), core.predict(list(X3d.transpose(0, 2, 1))), rtol=1e-6
    )


def test_classifier_pipeline_with_a_transformer_in_front():
    X_train, y_train = load_basic_motions(split="train", return_type="numpy3D")
    X_test, _ = load_basic_motions(split="test", return_type="numpy3D")
    X_test = X_test[:10]

    # Differencer fits per series: FitInTransform lets it transform series
    # other than those of fit.
    pipeline = ClassifierPipeline(
        SktimeRNNClassifier(**SMALL), [FitInTransform(Differencer())]
    )
    y_pred = pipeline.fit(X_train, y_train).predict(X_test)

    assert y_pred.shape == (len(X_test),)
    assert set(y_pred) <= set(y_train)
    assert pipeline.predict_proba(X_test).shape == (len(X_test), 4)

"""MLflow: the estimators and their Pipelines round-trip through mlflow.sklearn,
and skorch's MlflowLogger records the epochs through ``callbacks``."""

import mlflow
import mlflow.sklearn
import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from skorch.callbacks import MlflowLogger

from sklearn_rnn import RNNClassifier, RNNRegressor, SequencePadder

# Slow: MLflow round trips; -m "not slow" leaves it out.
pytestmark = pytest.mark.slow


@pytest.fixture
def tracking(tmp_path):
    """A local SQLite tracking store, no server, with its artifacts in
    ``tmp_path``; the previous URI restored."""
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    experiment = mlflow.create_experiment(
        "sklearn_rnn", artifact_location=(tmp_path / "artifacts").as_uri()
    )
    mlflow.set_experiment(experiment_id=experiment)
    yield mlflow.MlflowClient()
    mlflow.set_tracking_uri(previous)


def _logged_and_loaded(model):
    info = mlflow.sklearn.log_model(
        model, name="model", serialization_format="cloudpickle"
    )
    return mlflow.sklearn.load_model(info.model_uri)


def test_a_fitted_classifier_and_a_padder_pipeline_round_trip(ragged, tracking):
    X, y = ragged
    params = {"hidden_size": 8, "max_epochs": 3, "random_state": 0}
    with mlflow.start_run() as run:
        clf = RNNClassifier(callbacks=[MlflowLogger(run=run)], **params).fit(X, y)
        loaded = _logged_and_loaded(clf)
        pipe = make_pipeline(SequencePadder(), RNNRegressor(**params))
        pipe.fit(X, [x[:, 0].sum() for x in X])
        loaded_pipe = _logged_and_loaded(pipe)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    np.testing.assert_array_equal(loaded_pipe.predict(X), pipe.predict(X))
    # One train_loss a epoch, as history_ holds them.
    losses = tracking.get_metric_history(run.info.run_id, "train_loss")
    assert [metric.step for metric in losses] == [1, 2, 3]
    np.testing.assert_allclose(
        [metric.value for metric in losses], clf.history_[:, "train_loss"]
    )

"""Grid searches in worker processes and on a Dask cluster equal sequential ones."""

import joblib
import numpy as np
import pytest
import torch
from distributed import Client, LocalCluster
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback

from sklearn_rnn import RNNClassifier

# Slow: worker processes and a Dask cluster; -m "not slow" leaves it out.
pytestmark = pytest.mark.slow

GRID = {"hidden_size": [4, 8], "num_layers": [1, 2]}


class RecordThreads(Callback):
    """Keeps the number of torch threads each epoch ran with."""

    def initialize(self):
        self.threads = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.threads.append(torch.get_num_threads())


def most_threads(estimator, X, y):
    """A scorer: the most torch threads an epoch of the fit ran with."""
    return max(dict(estimator.net_.callbacks_)["RecordThreads"].threads)


def search(n_jobs=None):
    model = RNNClassifier(max_epochs=3, random_state=0, callbacks=[RecordThreads()])
    return GridSearchCV(
        model,
        GRID,
        cv=2,
        n_jobs=n_jobs,
        scoring={"accuracy": "accuracy", "threads": most_threads},
        refit="accuracy",
        error_score="raise",
    )


def test_n_jobs_gives_the_sequential_results_without_oversubscribing(ragged_task):
    X, y = ragged_task(48, max_length=15)
    sequential = search().fit(X, y)
    parallel = search(n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(
        parallel.cv_results_["mean_test_accuracy"],
        sequential.cv_results_["mean_test_accuracy"],
    )
    # Each fit in a worker ran on its share of the cores: two workers do not
    # each start a thread for every core.
    share = max(1, joblib.cpu_count() // 2)
    assert parallel.cv_results_["mean_test_threads"].max() <= share


@pytest.fixture(scope="module")
def dask_client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_the_same_grid_search_runs_on_a_dask_cluster(dask_client, ragged_task):
    X, y = ragged_task(48, max_length=15)
    sequential = search().fit(X, y)
    with joblib.parallel_backend("dask"):
        distributed = search(n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(
        distributed.cv_results_["mean_test_accuracy"],
        sequential.cv_results_["mean_test_accuracy"],
    )
    np.testing.assert_array_equal(
        distributed.predict_proba(X), sequential.predict_proba(X)
    )

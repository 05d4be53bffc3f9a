"""What RNNClassifier and RNNRegressor share: fitting, predicting, saving, errors."""

import itertools
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback

from sklearn_rnn import RNNClassifier, RNNRegressor, SequencePadder

# --- Every cell, padding and reproducibility ---------------------------------


@pytest.mark.parametrize(
    "cell, nonlinearity, bidirectional",
    [
        (c, n, b)
        for (c, n), b in itertools.product(
            [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")],
            [False, True],
        )
    ],
)
def test_every_cell_trains_and_predicts(
    cell, nonlinearity, bidirectional, ragged, fast
):
    X, y = ragged
    clf = RNNClassifier(
        cell=cell,
        nonlinearity=nonlinearity,
        bidirectional=bidirectional,
        num_layers=2,
        dropout=0.2,
        **fast,
    ).fit(X, y)
    assert len(clf.history_) == 5
    losses = clf.history_[:, "train_loss"]
    assert np.all(np.isfinite(losses))
    assert clf.predict(X).shape == (40,)


@pytest.mark.parametrize("pooling", ["last", "mean", "max", "attention"])
def test_prediction_does_not_depend_on_batch_mates(pooling, ragged, fast):
    X, y = ragged
    clf = RNNClassifier(pooling=pooling, bidirectional=True, batch_size=4, **fast).fit(
        X, y
    )
    short = [x for x in X if len(x) < 6][:3]
    longer = [np.random.default_rng(1).normal(size=(50, 2)) for _ in range(9)]
    alone = clf.predict_proba(short)
    mixed = clf.predict_proba(longer[:4] + short + longer[4:])[4:7]
    np.testing.assert_allclose(mixed, alone, atol=1e-5)
    # A NaN-padded 3-D array with extra padding gives the same too.
    padded = SequencePadder(max_length=80).fit_transform(short)
    np.testing.assert_allclose(clf.predict_proba(padded), alone, atol=1e-5)


def test_random_state_makes_fits_reproducible(ragged):
    X, y = ragged
    params = {"hidden_size": 8, "max_epochs": 3, "dropout": 0.3, "num_layers": 2}
    first = RNNClassifier(random_state=1, **params).fit(X, y)
    again = RNNClassifier(random_state=1, **params).fit(X, y)
    other = RNNClassifier(random_state=2, **params).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), again.predict_proba(X))
    first_weights = first.net_.module_.state_dict()
    for name, weight in again.net_.module_.state_dict().items():
        assert torch.equal(weight, first_weights[name])
    other_weights = other.net_.module_.state_dict()
    assert any(not torch.equal(w, first_weights[k]) for k, w in other_weights.items())


# --- torch's process-wide state ------------------------------------------------


def test_fit_leaves_the_global_torch_random_state_alone(few_ragged, fast):
    X, y = few_ragged
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    RNNClassifier(**fast).fit(X, y)
    torch.testing.assert_close(torch.rand(3), expected)


@pytest.mark.parametrize("flushing_before", [False, True])
def test_fit_restores_the_denormal_setting(flushing_before, few_ragged, fast):
    X, y = few_ragged
    denormal = torch.tensor(1e-40)
    torch.set_flush_denormal(flushing_before)
    try:
        RNNClassifier(**fast).fit(X, y).predict(X)
        assert (denormal * 1.0 == 0).item() == flushing_before
    finally:
        torch.set_flush_denormal(False)


def test_n_threads_applies_inside_fit_and_predict_only(few_ragged, fast):
    X, y = few_ragged
    before = torch.get_num_threads()
    seen = []

    class RecordThreads(Callback):
        def on_epoch_end(self, net, **kwargs):
            seen.append(torch.get_num_threads())

    clf = RNNClassifier(n_threads=1, callbacks=[RecordThreads()], **fast).fit(X, y)
    assert seen == [1] * 5
    assert torch.get_num_threads() == before
    clf.predict(X)
    assert torch.get_num_threads() == before


@pytest.mark.slow
def test_fits_in_threads_are_reproducible(ragged):
    X, y = ragged
    params = {"hidden_size": 8, "max_epochs": 5, "dropout": 0.3}
    expected = [
        RNNClassifier(random_state=seed, **params).fit(X, y).predict_proba(X)
        for seed in range(4)
    ]
    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(
                lambda seed: (
                    RNNClassifier(random_state=seed, **params)
                    .fit(X, y)
                    .predict_proba(X)
                ),
                range(4),
            )
        )
    for result, reference in zip(results, expected, strict=True):
        np.testing.assert_array_equal(result, reference)


def test_each_thread_keeps_its_own_thread_count(ragged):
    """torch's thread count is each thread's own: a fit in a thread sets and
    restores its thread's, and leaves the others' alone."""
    X, y = ragged
    inside = []

    class RecordThreads(Callback):
        def on_epoch_begin(self, net, **kwargs):
            inside.append(torch.get_num_threads())

    def fit_in_a_thread(n_threads):
        torch.set_num_threads(3)
        RNNClassifier(
            hidden_size=4,
            max_epochs=2,
            n_threads=n_threads,
            callbacks=[RecordThreads()],
        ).fit(X, y)
        return torch.get_num_threads()

    before = torch.get_num_threads()
    with ThreadPoolExecutor(2) as pool:
        after = list(pool.map(fit_in_a_thread, [1, 2]))
    assert after == [3, 3] and sorted(set(inside)) == [1, 2]
    assert torch.get_num_threads() == before


@pytest.mark.slow
def test_predict_does_not_wait_for_a_fit_in_another_thread(ragged):
    X, y = ragged
    served = RNNClassifier(hidden_size=8, max_epochs=2, random_state=0).fit(X, y)
    expected = served.predict_proba(X)
    # A fit of several seconds in the background, as a service that retrains.
    long_X = [np.tile(x, (20, 1)) for x in X]
    params = {"hidden_size": 32, "max_epochs": 40, "random_state": 1}
    started = threading.Event()

    class Started(Callback):
        def on_epoch_begin(self, net, **kwargs):
            started.set()

    def background_fit():
        return RNNClassifier(**params, callbacks=[Started()]).fit(long_X, y)

    threads_before = torch.get_num_threads()
    with ThreadPoolExecutor(1) as pool:
        fitting = pool.submit(background_fit)
        assert started.wait(timeout=60)
        seconds = []
        for _ in range(5):
            start = time.perf_counter()
            proba = served.predict_proba(X)
            seconds.append(time.perf_counter() - start)
            np.testing.assert_array_equal(proba, expected)
        assert not fitting.done(), "the background fit ended too soon to test"
        background = fitting.result()
    # Alone it takes milliseconds; before, it waited for the whole fit.
    assert np.median(seconds) < 1.0, seconds
    assert torch.get_num_threads() == threads_before
    alone = RNNClassifier(**params, callbacks=[Started()]).fit(long_X, y)
    np.testing.assert_array_equal(background.predict_proba(X), alone.predict_proba(X))


# --- Saving and loading ----------------------------------------------------------


def test_pickle_round_trips_fitted_and_unfitted(
    tmp_path, ragged, regression_data, fast
):
    X, y = ragged
    unfitted = RNNRegressor(hidden_size=5)
    restored = pickle.loads(pickle.dumps(unfitted))
    assert restored.get_params() == unfitted.get_params()
    clf = RNNClassifier(**fast).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    reg = RNNRegressor(early_stopping=True, **fast).fit(*regression_data)
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))
    # joblib's files too.
    clf = RNNClassifier(input_scaling="both", **fast).fit(X, y)
    joblib.dump(clf, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_model_fitted_on_cuda_loads_on_a_machine_without_one(
    monkeypatch, ragged, fast
):
    X, y = ragged
    clf = RNNClassifier(**fast).fit(X, y)
    expected = clf.predict_proba(X)
    # As if fitted on a GPU (the tensors themselves pickle as CPU tensors here).
    clf.net_.device = "cuda"
    data = pickle.dumps(clf)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(Warning, match="no CUDA devices are available"):
        loaded = pickle.loads(data)
    assert str(loaded.net_.device) == "cpu"
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)


def test_weights_alone_save_and_load(tmp_path, ragged, fast):
    X, y = ragged
    clf = RNNClassifier(**fast).fit(X, y)
    clf.net_.save_params(f_params=tmp_path / "weights.pt")
    # A network of the same parameters, built by a short fit, takes them.
    other = clone(clf).set_params(max_epochs=1).fit(X, y)
    other.net_.load_params(f_params=tmp_path / "weights.pt")
    np.testing.assert_array_equal(other.predict_proba(X), clf.predict_proba(X))


# --- scikit-learn's tools and data types ------------------------------------------


@pytest.mark.slow
def test_grid_search_over_hidden_size_and_layers(ragged_task, ragged, fast):
    # In a pipeline, on ragged input ...
    X, y = ragged_task(60)
    pipe = make_pipeline(SequencePadder(), RNNClassifier(**fast))
    search = GridSearchCV(
        pipe,
        {"rnnclassifier__hidden_size": [4, 8], "rnnclassifier__num_layers": [1, 2]},
        cv=2,
        error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.predict(X).shape == (60,)
    # ... and with a flat grid on the estimator itself.
    X, y = ragged
    search = GridSearchCV(
        RNNClassifier(**fast),
        {"hidden_size": [4, 8], "num_layers": [1, 2]},
        cv=2,
        error_score="raise",
    ).fit(X, y)
    assert search.best_params_["hidden_size"] in (4, 8)


@pytest.mark.slow
@pytest.mark.parametrize("Search", ["HalvingGridSearchCV", "HalvingRandomSearchCV"])
def test_successive_halving_with_epochs_as_the_resource(Search, ragged):
    """Each round fits the surviving candidates with more epochs."""
    from sklearn import model_selection
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401

    X, y = ragged
    search = getattr(model_selection, Search)(
        RNNClassifier(hidden_size=4, n_iter_no_change=None, random_state=0),
        {"hidden_size": [2, 4, 8], "lr": [1e-3, 1e-2]},
        resource="max_epochs",
        min_resources=1,
        max_resources=4,
        factor=2,
        cv=2,
        error_score="raise",
        random_state=0,
    ).fit(X, y)
    assert search.n_resources_ == [1, 2, 4][: len(search.n_resources_)]
    assert len(search.n_resources_) >= 2
    assert search.best_estimator_.n_iter_ == search.best_params_["max_epochs"]


def test_dataframe_sequences_set_feature_names(ragged_task, fast):
    X, y = ragged_task(30)
    frames = [pd.DataFrame(x, columns=["speed", "angle"]) for x in X]
    clf = RNNClassifier(**fast).fit(frames, y)
    assert list(clf.feature_names_in_) == ["speed", "angle"]
    renamed = [f.rename(columns={"angle": "heading"}) for f in frames]
    with pytest.raises(ValueError, match="channel names should match"):
        clf.predict(renamed)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        clf.predict(X)


@pytest.mark.parametrize("branch", [None, (4,)])
def test_embed_returns_the_representation_the_head_reads(branch, ragged, fast):
    X, y = ragged
    clf = RNNClassifier(
        bidirectional=True, branch_channels=branch, branch_kernel_sizes=(3,), **fast
    ).fit(X, y)
    features = clf.embed(X)
    assert features.shape == (40, 2 * 8 + (4 if branch else 0))
    head = clf.net_.module_.head
    with torch.no_grad():
        logits = head(torch.as_tensor(features)).numpy()
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, clf.predict_proba(X), atol=1e-5)


# --- Errors -------------------------------------------------------------------------


def test_wrong_number_of_channels_is_a_clear_error(ragged_task, fast):
    X, y = ragged_task(30)
    clf = RNNClassifier(**fast).fit(X, y)
    with pytest.raises(ValueError, match=r"X has 3 features .* expecting 2"):
        clf.predict([np.ones((4, 3))])
    with pytest.raises(ValueError, match="30 sequences but y has 29"):
        clf.fit(X, y[:-1])


def test_invalid_parameters_and_devices_are_clear_errors(few_ragged, fast):
    X, y = few_ragged
    with pytest.raises(ValueError, match="'cell' parameter"):
        RNNClassifier(cell="attention").fit(X, y)
    with pytest.raises(ValueError, match="'pooling' parameter"):
        RNNRegressor(pooling="median").fit(X, np.ones(20))
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            RNNClassifier(device="cuda", **fast).fit(X, y)
        clf = RNNClassifier(device="auto", **fast).fit(X, y)
        assert str(clf.net_.device) == "cpu"
    if not torch.backends.mps.is_available():
        with pytest.raises(ValueError, match="device='mps' cannot be used here"):
            RNNClassifier(device="mps", **fast).fit(X, y)
    with pytest.raises(ValueError, match="device='meta' holds no data"):
        RNNClassifier(device="meta", **fast).fit(X, y)


@pytest.mark.parametrize(
    "fit_args, params, error, match",
    [
        (([], []), {}, ValueError, "holds no sequences"),
        (({"a": np.ones(3)}, [0]), {}, TypeError, "got a dict"),
        (None, {"head_hidden_sizes": (8, 0)}, ValueError, "head_hidden_sizes must be"),
        (None, {"conv_channels": ("a",)}, ValueError, "conv_channels must be"),
        (None, {"branch_kernel_sizes": (3, 2.5)}, ValueError, "branch_kernel_sizes"),
        (None, {"optimizer": dict}, TypeError, "subclass of torch.optim.Optimizer"),
        (None, {"optimizer_kwargs": {"momentum": 0.9}}, TypeError, "do not fit Adam"),
        (None, {"device": "gpu"}, ValueError, "'gpu' is not a device torch knows"),
        (None, {"optimizer": "lbfgs", "weight_decay": 0.1}, ValueError, "LBFGS"),
    ],
)
def test_bad_input_and_parameters_get_clear_errors(
    fit_args, params, error, match, few_ragged, fast
):
    X, y = few_ragged
    with pytest.raises(error, match=match):
        RNNClassifier(**{**fast, **params}).fit(*(fit_args or (X, y)))


def test_bad_prediction_input_gets_clear_errors(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(**fast).fit(X, y)
    with pytest.raises(ValueError, match="holds no sequences"):
        clf.predict([])
    last_step_half_missing = np.array([[1.0, 2.0], [3.0, np.nan]])
    with pytest.raises(ValueError, match="NaN inside sequence 1 at time step 1"):
        clf.predict([X[0], last_step_half_missing])
    nullable = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": 1.0})
    with pytest.raises(ValueError, match="NaN inside sequence 0 at time step 1"):
        clf.predict([nullable])

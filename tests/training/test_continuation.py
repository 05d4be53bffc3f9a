"""Continuing training: warm_start and partial_fit, and fits that fail."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

from sklearn_rnn import RNNClassifier, RNNRegressor


def test_warm_start_and_partial_fit_continue_training(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(warm_start=True, **fast).fit(X, y)
    fitted = clf.net_
    weights = {k: v.clone() for k, v in fitted.module_.state_dict().items()}
    clf.fit(X, y)
    assert clf.n_iter_ == len(clf.history_) == 10
    # A new net continued from the fitted weights, which stay as they were.
    assert clf.net_ is not fitted and len(fitted.history) == 5
    for name, weight in fitted.module_.state_dict().items():
        torch.testing.assert_close(weight, weights[name], rtol=0, atol=0)
    # The new net describes its network as a first fit's does (a network
    # given as an instance would be pickled twice).
    assert clf.net_.module is type(clf.net_.module_)
    continued_size = len(pickle.dumps(clf))
    first_size = len(pickle.dumps(RNNClassifier(warm_start=True, **fast).fit(X, y)))
    assert continued_size < 1.05 * first_size

    incremental = RNNClassifier(**fast)
    with pytest.raises(ValueError, match="classes must be passed"):
        incremental.partial_fit(X, y)
    incremental.partial_fit(X[:20], y[:20], classes=["neg", "pos"])
    incremental.partial_fit(X[20:], y[20:])
    assert incremental.n_iter_ == 2
    with pytest.raises(ValueError, match="not among the classes"):
        incremental.partial_fit(X[:2], ["neg", "other"])


def test_partial_fit_neither_holds_out_data_nor_stops_early(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(early_stopping=True, **fast)
    for _ in range(3):
        clf.partial_fit(X, y, classes=["neg", "pos"])
    assert clf.n_iter_ == 3
    assert "valid_loss" not in clf.history_[-1]
    assert "early_stopping" not in dict(clf.net_.callbacks_)


# --- Fits that fail -------------------------------------------------------------------


def test_a_failed_refit_leaves_the_fitted_model_as_it_was(
    ragged, regression_data, fast
):
    X, y = ragged
    clf = RNNClassifier(**fast).fit(X, y)
    before = clf.predict_proba(X)
    bad_X = [x.copy() for x in X]
    bad_X[3][1, 0] = np.nan  # a missing value inside a sequence
    with pytest.raises(ValueError, match="NaN inside sequence 3"):
        clf.fit(bad_X, np.where(y == "pos", "yes", "no"))
    assert list(clf.classes_) == ["neg", "pos"]
    np.testing.assert_array_equal(clf.predict_proba(X), before)

    _, target = regression_data
    reg = RNNRegressor(**fast).fit(X, target)
    scaler, prediction = reg.target_scaler_, reg.predict(X)
    with pytest.raises(ValueError, match="NaN inside sequence 3"):
        reg.fit(bad_X, target * 1000)
    assert reg.target_scaler_ is scaler
    np.testing.assert_array_equal(reg.predict(X), prediction)


def test_a_failed_first_fit_leaves_the_estimator_unfitted(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(**fast)
    with pytest.raises(ValueError, match="20 sequences but y has 19"):
        clf.fit(X, y[:-1])
    with pytest.raises(NotFittedError):
        clf.predict(X)


class _FailAtEpochEnd(Callback):
    """Freezes the output layer and records into the last epoch, then fails."""

    def on_train_begin(self, net, **kwargs):
        net.module_.head.requires_grad_(False)
        net.history.record("note", "changed")

    def on_epoch_end(self, net, **kwargs):
        raise RuntimeError("a callback failed")


def _fitted_state(model, X):
    optimizer = model.net_.optimizer_.state_dict()["state"]
    return (
        model.predict(X),
        model.n_iter_,
        len(model.net_.history),
        model.net_.module_.dropout.p,
        model.net_.optimizer_.param_groups[0]["lr"],
        [p.requires_grad for p in model.net_.module_.parameters()],
        sorted(model.net_.history[-1]),
        model.net_.iterator_train__generator.get_state(),
        {
            (index, name): value.clone()
            for index, values in optimizer.items()
            for name, value in values.items()
        },
    )


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_a_continuation_that_fails_leaves_the_fitted_model_as_it_was(
    Estimator, ragged, regression_data, fast
):
    X, y = ragged
    target = regression_data[1] if Estimator is RNNRegressor else y
    model = Estimator(warm_start=True, early_stopping=False, **fast).fit(X, target)
    # A hook that cannot be pickled does not get in the way of continuing.
    model.net_.module_.head.register_forward_hook(lambda *args: None)
    net, before = model.net_, _fitted_state(model, X)
    model.set_params(
        optimizer="sgd", lr=0.5, dropout=0.5, callbacks=[_FailAtEpochEnd()]
    )
    for fit in (model.fit, model.partial_fit):
        with pytest.raises(RuntimeError, match="a callback failed"):
            fit(X, target)
    if Estimator is RNNRegressor:
        model.set_params(lr=1e30, callbacks=None)
        with pytest.raises(FloatingPointError, match="Training diverged"):
            model.fit([x * 1e5 for x in X], target)
    model.set_params(optimizer="adam", lr=1e-3, dropout=0.0, callbacks=None)
    assert model.net_ is net
    after = _fitted_state(model, X)
    np.testing.assert_array_equal(after[0], before[0])
    assert after[1:7] == before[1:7]
    torch.testing.assert_close(after[7], before[7], rtol=0, atol=0)
    # The optimizer's moments and step counts too (the new optimizer trains
    # copies of them).
    torch.testing.assert_close(after[8], before[8], rtol=0, atol=0)
    # It still continues from where it was.
    model.fit(X, target)
    assert model.n_iter_ == before[1] + fast["max_epochs"]


# --- Changed parameters ---------------------------------------------------------------


def test_warm_start_applies_changed_training_parameters(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(warm_start=True, lr_schedule="constant", **fast).fit(X, y)
    clf.set_params(lr=0.5, max_epochs=3, batch_size=7, clip_grad_norm=1.0, dropout=0.4)
    clf.fit(X, y)
    assert clf.n_iter_ == 8
    assert clf.net_.optimizer_.param_groups[0]["lr"] == 0.5
    assert clf.net_.batch_size == 7
    assert "gradient_clipping" in dict(clf.net_.callbacks_)
    assert clf.net_.module_.dropout.p == 0.4
    clf.set_params(optimizer="sgd")
    clf.fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.SGD)


def test_warm_start_applies_optimizer_kwargs_as_they_are_now(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(warm_start=True, **fast)
    clf.set_params(optimizer_kwargs={"betas": (0.8, 0.9), "amsgrad": True}).fit(X, y)
    # Dropped keywords go back to their defaults on the same optimizer ...
    clf.set_params(optimizer_kwargs={"betas": (0.8, 0.9)}).fit(X, y)
    group = clf.net_.optimizer_.param_groups[0]
    assert group["amsgrad"] is False and group["betas"] == (0.8, 0.9)
    # ... and do not reach another one.
    clf.set_params(optimizer="sgd", optimizer_kwargs={"momentum": 0.9}).fit(X, y)
    assert clf.net_.optimizer_.param_groups[0]["momentum"] == 0.9
    clf.set_params(optimizer="adam", optimizer_kwargs=None).fit(X, y)
    assert clf.net_.optimizer_.param_groups[0]["betas"] == (0.9, 0.999)
    assert clf.n_iter_ == 20


def test_a_warm_start_sets_every_dropout_of_the_transformer(few_ragged, fast):
    X, y = few_ragged
    params = {**fast, "cell": "transformer", "warm_start": True}
    clf = RNNClassifier(**params).fit(X, y)
    clf.set_params(dropout=0.5).fit(X, y)
    fresh = RNNClassifier(**{**params, "dropout": 0.5}).fit(X, y)

    def rates(model):
        return [
            getattr(m, "p", getattr(m, "dropout", None))
            for m in model.net_.module_.sequence_model.modules()
            if isinstance(m, (torch.nn.Dropout, torch.nn.MultiheadAttention))
        ]

    assert rates(clf) == rates(fresh) and set(rates(fresh)) == {0.5}
    # Also from a nonzero rate, with warm_start set only after the first fit.
    model = RNNClassifier(**fast, cell="transformer", dropout=0.1).fit(X, y)
    model.set_params(warm_start=True, dropout=0.3).fit(X, y)
    encoder_dropouts = {
        m.p
        for m in model.net_.module_.sequence_model.modules()
        if isinstance(m, torch.nn.Dropout)
    }
    assert encoder_dropouts == {0.3}
    assert set(rates(model)) == {0.3}


@pytest.mark.parametrize(
    "name, value", [("hidden_size", 16), ("cell", "lstm"), ("bidirectional", False)]
)
def test_continuing_with_another_architecture_is_a_clear_error(
    name, value, few_ragged, fast
):
    X, y = few_ragged
    clf = RNNClassifier(warm_start=True, **fast).fit(X, y)
    clf.set_params(**{name: value})
    with pytest.raises(ValueError, match=f"{name} from .* changed since the network"):
        clf.fit(X, y)
    with pytest.raises(ValueError, match=f"{name} from .* changed since the network"):
        clf.partial_fit(X, y)
    # Without warm start, fit builds a new network with the new value.
    clf.set_params(warm_start=False).fit(X, y)


def test_the_same_architecture_written_another_way_continues_training(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(
        warm_start=True,
        conv_channels=np.array([4, 4]),
        conv_stride=np.array([1, 2]),
        head_hidden_sizes=8,
        device=torch.device("cpu"),
        **fast,
    ).fit(X, y)
    clf.set_params(
        conv_channels=(4, 4), conv_stride=[1, 2], head_hidden_sizes=[8], device="auto"
    )
    clf.fit(X, y)  # "auto" is the CPU here: no change
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 11
    # A value that is no layer size is named, not read as another one.
    clf.set_params(head_hidden_sizes=[8.7])
    with pytest.raises(ValueError, match="head_hidden_sizes must be a positive"):
        clf.fit(X, y)


def test_embedding_models_pickle_clone_and_warm_start(tokens, fast_embedding):
    X, y = tokens
    clf = RNNClassifier(**fast_embedding, embedding_dropout=0.2, warm_start=True).fit(
        X, y
    )
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert clone(clf).get_params()["embedding_dim"] == 6
    clf.set_params(embedding_dropout=0.0).fit(X, y)  # training parameter: applied
    assert clf.net_.module_.encoder.dropout.p == 0.0
    with pytest.raises(ValueError, match="embedding_dim from 6 to 8"):
        clf.set_params(embedding_dim=8).fit(X, y)


def test_a_failed_continuation_with_the_same_optimizer_leaves_its_state(ragged, fast):
    """The new optimizer trains copies of the fitted one's moments and steps."""
    X, y = ragged
    model = RNNClassifier(warm_start=True, **fast).fit(X, y)
    state = model.net_.optimizer_.state_dict()["state"]
    before = {
        (i, k): v.clone() for i, values in state.items() for k, v in values.items()
    }
    model.set_params(callbacks=[_FailAtEpochEnd()])
    with pytest.raises(RuntimeError, match="a callback failed"):
        model.fit(X, y)
    after = {(i, k): v for i, values in state.items() for k, v in values.items()}
    torch.testing.assert_close(after, before, rtol=0, atol=0)


def test_hooks_on_the_network_carry_over_to_the_continued_one(ragged, fast):
    X, y = ragged
    model = RNNClassifier(warm_start=True, **fast).fit(X, y)
    calls = []
    model.net_.module_.register_forward_hook(lambda *args: calls.append(1))
    model.partial_fit(X, y)
    calls.clear()
    model.predict(X)
    assert calls

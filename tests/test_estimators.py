"""RNNClassifier and RNNRegressor: training, prediction, parameters, errors."""

import itertools
import math
import pickle
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback, LRScheduler
from torch.optim.lr_scheduler import CosineAnnealingLR

from sklearn_rnn import RNNClassifier, RNNRegressor, SequencePadder, check_sequences

FAST = {"hidden_size": 8, "max_epochs": 5, "random_state": 0}


def ragged_task(n=60, n_channels=2, seed=0):
    """Ragged sequences whose class is the sign of the first channel's sum."""
    rng = np.random.default_rng(seed)
    X = [rng.normal(size=(length, n_channels)) for length in rng.integers(3, 20, n)]
    y = np.array(["pos" if x[:, 0].sum() > 0 else "neg" for x in X])
    return X, y


def test_classifier_learns_a_ragged_task_with_string_labels():
    X, y = ragged_task(200)
    # The class is the sign of a sum: mean pooling over the unshortened series,
    # in the units of the data (z-normalizing each sequence would hide it).
    clf = RNNClassifier(
        hidden_size=16,
        pooling="mean",
        conv_channels=None,
        input_scaling="channel",
        max_epochs=40,
        lr=1e-2,
        random_state=0,
    )
    clf.fit(X[:150], y[:150])
    assert list(clf.classes_) == ["neg", "pos"]
    assert clf.n_features_in_ == 2
    assert clf.score(X[150:], y[150:]) >= 0.85
    proba = clf.predict_proba(X[150:])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X[150:])) <= {"neg", "pos"}


def test_classifier_learns_a_tabular_2d_task():
    """What check_classifiers_train checks, on univariate 2-D input."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 6))
    y = (X[:, 2] > 0).astype(int)
    clf = RNNClassifier(hidden_size=16, max_epochs=40, lr=1e-2, random_state=0)
    assert clf.fit(X, y).score(X, y) > 0.83
    assert clf.n_features_in_ == 1


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
def test_every_cell_trains_and_predicts(cell, nonlinearity, bidirectional):
    X, y = ragged_task(40)
    clf = RNNClassifier(
        cell=cell,
        nonlinearity=nonlinearity,
        bidirectional=bidirectional,
        num_layers=2,
        dropout=0.2,
        **FAST,
    ).fit(X, y)
    assert len(clf.history_) == 5
    losses = clf.history_[:, "train_loss"]
    assert np.all(np.isfinite(losses))
    assert clf.predict(X).shape == (40,)


@pytest.mark.parametrize("pooling", ["last", "mean", "max", "attention"])
def test_prediction_does_not_depend_on_batch_mates(pooling):
    X, y = ragged_task(40)
    clf = RNNClassifier(pooling=pooling, bidirectional=True, batch_size=4, **FAST).fit(
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


def test_random_state_makes_fits_reproducible():
    X, y = ragged_task(40)
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


def test_fit_leaves_the_global_torch_random_state_alone():
    X, y = ragged_task(20)
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    RNNClassifier(**FAST).fit(X, y)
    torch.testing.assert_close(torch.rand(3), expected)


@pytest.mark.parametrize("flushing_before", [False, True])
def test_fit_restores_the_denormal_setting(flushing_before):
    X, y = ragged_task(20)
    denormal = torch.tensor(1e-40)
    torch.set_flush_denormal(flushing_before)
    try:
        RNNClassifier(**FAST).fit(X, y).predict(X)
        assert (denormal * 1.0 == 0).item() == flushing_before
    finally:
        torch.set_flush_denormal(False)


def test_pickle_round_trip_gives_identical_predictions():
    X, y = ragged_task(40)
    clf = RNNClassifier(**FAST).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    reg = RNNRegressor(early_stopping=True, **FAST).fit(X, np.arange(40.0))
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))


def test_early_stopping_stops_early_and_restores_the_best_epoch():
    X, y = ragged_task(120)
    clf = RNNClassifier(
        hidden_size=32,
        lr=3e-2,
        max_epochs=200,
        early_stopping=True,
        n_iter_no_change=3,
        validation_fraction=0.25,
        random_state=0,
    )
    clf.fit(X, y)
    valid_losses = clf.history_[:, "valid_loss"]
    assert clf.n_iter_ < 200
    best = int(np.argmin(valid_losses))
    assert best < len(valid_losses) - 1  # it trained past the best epoch...
    # ... and then restored it: the loss on the validation split is the best one.
    _, valid = clf.net_.train_split(None)
    logits = clf.net_.forward(valid)
    loss = torch.nn.functional.cross_entropy(logits, valid.y).item()
    assert loss == pytest.approx(valid_losses[best], rel=1e-4)


def test_grid_search_over_hidden_size_and_layers_on_ragged_input():
    X, y = ragged_task(60)
    pipe = make_pipeline(SequencePadder(), RNNClassifier(**FAST))
    search = GridSearchCV(
        pipe,
        {"rnnclassifier__hidden_size": [4, 8], "rnnclassifier__num_layers": [1, 2]},
        cv=2,
        error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.predict(X).shape == (60,)


def test_flat_parameter_grid_on_the_estimator_itself():
    X, y = ragged_task(40)
    search = GridSearchCV(
        RNNClassifier(**FAST),
        {"hidden_size": [4, 8], "num_layers": [1, 2]},
        cv=2,
        error_score="raise",
    ).fit(X, y)
    assert search.best_params_["hidden_size"] in (4, 8)


def test_warm_start_and_partial_fit_continue_training():
    X, y = ragged_task(40)
    clf = RNNClassifier(warm_start=True, **FAST).fit(X, y)
    module = clf.net_.module_
    clf.fit(X, y)
    assert clf.net_.module_ is module
    assert clf.n_iter_ == len(clf.history_) == 10

    incremental = RNNClassifier(**FAST)
    with pytest.raises(ValueError, match="classes must be passed"):
        incremental.partial_fit(X, y)
    incremental.partial_fit(X[:20], y[:20], classes=["neg", "pos"])
    incremental.partial_fit(X[20:], y[20:])
    assert incremental.n_iter_ == 2
    with pytest.raises(ValueError, match="not among the classes"):
        incremental.partial_fit(X[:2], ["neg", "other"])


def test_class_weight_reaches_the_loss():
    X, y = ragged_task(40)
    clf = RNNClassifier(class_weight={"pos": 5.0}, **FAST).fit(X, y)
    weight = clf.net_.criterion_.class_weight
    torch.testing.assert_close(weight, torch.tensor([1.0, 5.0]))
    balanced = RNNClassifier(class_weight="balanced", **FAST).fit(X, y)
    counts = np.array([np.sum(y == "neg"), np.sum(y == "pos")])
    expected = len(y) / (2 * counts)
    np.testing.assert_allclose(
        balanced.net_.criterion_.class_weight.numpy(), expected, rtol=1e-6
    )


def test_training_options_reach_skorch():
    X, y = ragged_task(40)

    class CountEpochs(Callback):
        def initialize(self):
            self.epochs = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    counter = CountEpochs()
    clf = RNNClassifier(
        optimizer="sgd",
        lr=0.05,
        weight_decay=1e-3,
        clip_grad_norm=0.5,
        callbacks=[("count", counter)],
        head_hidden_sizes=(8,),
        init="orthogonal",
        conv_channels=(4,),
        conv_kernel_size=3,
        **FAST,
    ).fit(X, y)
    optimizer = clf.net_.optimizer_
    assert isinstance(optimizer, torch.optim.SGD)
    assert optimizer.param_groups[0]["weight_decay"] == 1e-3
    assert dict(clf.net_.callbacks_)["count"].epochs == 5
    assert not hasattr(counter, "epochs")  # the user's object is not changed
    assert any(name == "gradient_clipping" for name, _ in clf.net_.callbacks_)
    clf = RNNClassifier(optimizer=torch.optim.RMSprop, **FAST).fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.RMSprop)


def test_a_learning_rate_schedule_through_callbacks_survives_clone_and_pickle():
    X, y = ragged_task(40)
    schedule = LRScheduler(policy=CosineAnnealingLR, T_max=5)
    clf = clone(RNNClassifier(lr=0.01, callbacks=[schedule], **FAST)).fit(X, y)
    lrs = clf.history_[:, "event_lr"]
    assert lrs[0] == pytest.approx(0.01)
    assert all(later < earlier for earlier, later in itertools.pairwise(lrs))
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_verbose_prints_the_epoch_table(capsys):
    X, y = ragged_task(20)
    RNNClassifier(**{**FAST, "max_epochs": 2}).fit(X, y)
    assert capsys.readouterr().out == ""
    RNNClassifier(verbose=1, **{**FAST, "max_epochs": 2}).fit(X, y)
    assert "train_loss" in capsys.readouterr().out


def test_dataframe_sequences_set_feature_names():
    X, y = ragged_task(30)
    frames = [pd.DataFrame(x, columns=["speed", "angle"]) for x in X]
    clf = RNNClassifier(**FAST).fit(frames, y)
    assert list(clf.feature_names_in_) == ["speed", "angle"]
    renamed = [f.rename(columns={"angle": "heading"}) for f in frames]
    with pytest.raises(ValueError, match="channel names should match"):
        clf.predict(renamed)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        clf.predict(X)


def test_wrong_number_of_channels_is_a_clear_error():
    X, y = ragged_task(30)
    clf = RNNClassifier(**FAST).fit(X, y)
    with pytest.raises(ValueError, match=r"X has 3 features .* expecting 2"):
        clf.predict([np.ones((4, 3))])
    with pytest.raises(ValueError, match="30 sequences but y has 29"):
        clf.fit(X, y[:-1])


def test_divergence_is_a_clear_error_not_a_silent_nan():
    X, y = ragged_task(30)
    X = [x * 1e5 for x in X]
    clf = RNNClassifier(
        cell="rnn", nonlinearity="relu", optimizer="sgd", lr=100, **FAST
    )
    with pytest.raises(FloatingPointError, match="Training diverged"):
        clf.fit(X, y)


def test_invalid_parameters_and_devices_are_clear_errors():
    X, y = ragged_task(20)
    with pytest.raises(ValueError, match="'cell' parameter"):
        RNNClassifier(cell="attention").fit(X, y)
    with pytest.raises(ValueError, match="'pooling' parameter"):
        RNNRegressor(pooling="median").fit(X, np.ones(20))
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            RNNClassifier(device="cuda", **FAST).fit(X, y)
        clf = RNNClassifier(device="auto", **FAST).fit(X, y)
        assert str(clf.net_.device) == "cpu"
    if not torch.backends.mps.is_available():
        with pytest.raises(ValueError, match="device='mps' cannot be used here"):
            RNNClassifier(device="mps", **FAST).fit(X, y)
    with pytest.raises(ValueError, match="device='meta' holds no data"):
        RNNClassifier(device="meta", **FAST).fit(X, y)


def test_single_class_is_a_clear_error():
    X, _ = ragged_task(10)
    with pytest.raises(ValueError, match="at least 2 classes"):
        RNNClassifier(**FAST).fit(X, ["a"] * 10)


@pytest.mark.parametrize(
    "length, n_layers, expected",
    [
        (150, 3, (1, 1, 1)),
        (1460, 3, (2, 2, 2)),
        (2000, 3, (3, 2, 2)),
        (1460, 1, (8,)),
        (20_000, 2, (10, 10)),
    ],
)
def test_auto_conv_stride_follows_the_longest_training_sequence(
    length, n_layers, expected
):
    X = [np.zeros(length), np.zeros(max(length // 3, 1))]
    clf = RNNClassifier(conv_channels=(2,) * n_layers, **FAST).fit(X, [0, 1])
    assert clf.conv_stride_ == expected
    strides = tuple(conv.stride[0] for conv in clf.net_.module_.front_end.convs)
    assert strides == expected
    # The recurrent layers see at most 200 steps, and not needlessly fewer.
    assert length / math.prod(expected) <= 200
    if math.prod(expected) > 1:
        smaller = [*expected]
        smaller[smaller.index(max(smaller))] -= 1
        assert length / math.prod(smaller) > 200


def test_array_valued_layer_parameters():
    X, y = ragged_task(20)
    clf = RNNClassifier(
        conv_channels=np.array([2, 2]),
        conv_stride=np.array([2, 1]),
        head_hidden_sizes=np.array([3, 3]),
        branch_channels=np.array([2, 2]),
        branch_kernel_sizes=np.array([3, 5]),
        **FAST,
    ).fit(X, y)
    assert clf.conv_channels_ == (2, 2) and clf.conv_stride_ == (2, 1)


def test_explicit_strides_per_layer():
    X, y = ragged_task(20)
    clf = RNNClassifier(conv_channels=(2, 2), conv_stride=(3, 1), **FAST).fit(X, y)
    assert clf.conv_stride_ == (3, 1)
    assert RNNClassifier(conv_channels=(2, 2), conv_stride=2, **FAST).fit(
        X, y
    ).conv_stride_ == (2, 2)
    with pytest.raises(ValueError, match="one stride for each of the 2 layers"):
        RNNClassifier(conv_channels=(2, 2), conv_stride=(2,), **FAST).fit(X, y)


def test_training_stops_once_the_training_loss_stops_improving():
    X, y = ragged_task(40)
    params = {**FAST, "max_epochs": 300, "lr": 1e-2}
    # A tolerance no epoch can beat: stop after n_iter_no_change epochs.
    stopped = RNNClassifier(n_iter_no_change=3, tol=1e3, **params).fit(X, y)
    assert stopped.n_iter_ == 4
    # n_iter_no_change=None trains every epoch, as before.
    full = RNNClassifier(n_iter_no_change=None, **{**params, "max_epochs": 12})
    assert full.fit(X, y).n_iter_ == 12


def test_plateau_schedule_lowers_the_learning_rate():
    X, y = ragged_task(40)
    # A rate too small to move the loss: it is on a plateau from the start.
    clf = RNNClassifier(
        lr=1e-7,
        lr_schedule="plateau",
        n_iter_no_change=None,
        **{**FAST, "max_epochs": 20},
    ).fit(X, y)
    lrs = clf.history_[:, "event_lr"]
    assert lrs[0] == pytest.approx(1e-7)
    # Halved after 5 epochs without a lower loss, then again.
    assert lrs[-1] <= 0.25e-7
    assert all(later <= earlier for earlier, later in itertools.pairwise(lrs))
    cosine = RNNClassifier(lr=0.01, lr_schedule="cosine", **FAST).fit(X, y)
    first = cosine.history_[:, "event_lr"]
    assert first[0] == pytest.approx(0.01)
    assert all(later < earlier for earlier, later in itertools.pairwise(first))
    # A warm start runs the schedule again from lr, also a changed one.
    cosine.set_params(warm_start=True).fit(X, y)
    np.testing.assert_allclose(cosine.history_[5:, "event_lr"], first)
    cosine.set_params(lr=0.1).fit(X, y)
    np.testing.assert_allclose(cosine.history_[10:, "event_lr"], np.multiply(first, 10))
    plateau = clf.set_params(warm_start=True, lr=1e-6, max_epochs=3).fit(X, y)
    assert plateau.history_[-3:, "event_lr"] == pytest.approx([1e-6] * 3)


@pytest.mark.parametrize("input_scaling", ["channel", "both"])
def test_channel_scaling_makes_units_irrelevant(input_scaling):
    X, y = ragged_task(40)
    params = {**FAST, "input_scaling": input_scaling, "conv_channels": None}
    clf = RNNClassifier(**params).fit(X, y)
    # The same data in other units (per channel) train the same network.
    rescaled = [x * [1e4, 1e-3] + [50.0, -7.0] for x in X]
    other = RNNClassifier(**params).fit(rescaled, y)
    np.testing.assert_allclose(
        other.predict_proba(rescaled), clf.predict_proba(X), atol=1e-4
    )
    scaling = clf.net_.module_.input_scaling_
    steps = np.concatenate(X)
    np.testing.assert_allclose(scaling.mean.numpy(), steps.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(scaling.scale.numpy(), steps.std(axis=0), rtol=1e-5)


def test_sequence_scaling_ignores_each_sequences_offset_and_gain():
    X, y = ragged_task(40)
    clf = RNNClassifier(input_scaling="sequence", **FAST).fit(X, y)
    rng = np.random.default_rng(3)
    moved = [x * rng.uniform(0.1, 10) + rng.normal(size=2) * 100 for x in X]
    np.testing.assert_allclose(
        clf.predict_proba(moved), clf.predict_proba(X), atol=1e-4
    )


def test_input_scaling_survives_clone_pickle_and_partial_fit():
    X, y = ragged_task(40)
    clf = RNNClassifier(input_scaling="channel", **FAST)
    assert clone(clf).input_scaling == "channel"
    clf.partial_fit(X[:20], y[:20], classes=["neg", "pos"])
    first = clf.net_.module_.input_scaling_.mean.clone()
    clf.partial_fit([x * 100 for x in X[20:]], y[20:])
    # Later calls train the same network on the first call's statistics.
    torch.testing.assert_close(clf.net_.module_.input_scaling_.mean, first)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_conv_branch_of_lstm_fcn_trains_and_is_reproducible():
    X, y = ragged_task(40)
    params = {**FAST, "branch_channels": (4, 8, 4), "bidirectional": True}
    clf = RNNClassifier(**params).fit(X, y)
    again = RNNClassifier(**params).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))
    assert clf.net_.module_.branch.n_outputs == 4
    with pytest.raises(ValueError, match="one kernel size per layer"):
        RNNClassifier(branch_channels=(4, 4), branch_kernel_sizes=(3,)).fit(X, y)


def test_n_threads_applies_inside_fit_and_predict_only():
    X, y = ragged_task(20)
    before = torch.get_num_threads()
    seen = []

    class RecordThreads(Callback):
        def on_epoch_end(self, net, **kwargs):
            seen.append(torch.get_num_threads())

    clf = RNNClassifier(n_threads=1, callbacks=[RecordThreads()], **FAST).fit(X, y)
    assert seen == [1] * 5
    assert torch.get_num_threads() == before
    clf.predict(X)
    assert torch.get_num_threads() == before


def test_a_failed_refit_leaves_the_fitted_model_as_it_was():
    X, y = ragged_task(40)
    clf = RNNClassifier(**FAST).fit(X, y)
    before = clf.predict_proba(X)
    bad_X = [x.copy() for x in X]
    bad_X[3][1, 0] = np.nan  # a missing value inside a sequence
    with pytest.raises(ValueError, match="NaN inside sequence 3"):
        clf.fit(bad_X, np.where(y == "pos", "yes", "no"))
    assert list(clf.classes_) == ["neg", "pos"]
    np.testing.assert_array_equal(clf.predict_proba(X), before)

    reg = RNNRegressor(**FAST).fit(X, np.arange(40.0))
    scaler, prediction = reg.target_scaler_, reg.predict(X)
    with pytest.raises(ValueError, match="NaN inside sequence 3"):
        reg.fit(bad_X, np.arange(40.0) * 1000)
    assert reg.target_scaler_ is scaler
    np.testing.assert_array_equal(reg.predict(X), prediction)


def test_a_failed_first_fit_leaves_the_estimator_unfitted():
    X, y = ragged_task(20)
    clf = RNNClassifier(**FAST)
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


def _fitted_state(model):
    return (
        model.predict(ragged_task(40)[0]),
        model.n_iter_,
        len(model.net_.history),
        model.net_.module_.between_layers.p,
        model.net_.optimizer_.param_groups[0]["lr"],
        [p.requires_grad for p in model.net_.module_.parameters()],
        sorted(model.net_.history[-1]),
        model.net_.iterator_train__generator.get_state(),
    )


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_a_continuation_that_fails_leaves_the_fitted_model_as_it_was(Estimator):
    X, y = ragged_task(40)
    target = np.arange(40.0) if Estimator is RNNRegressor else y
    model = Estimator(warm_start=True, early_stopping=False, **FAST).fit(X, target)
    # A hook that cannot be pickled does not get in the way of continuing.
    model.net_.module_.head.register_forward_hook(lambda *args: None)
    net, before = model.net_, _fitted_state(model)
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
    after = _fitted_state(model)
    np.testing.assert_array_equal(after[0], before[0])
    assert after[1:7] == before[1:7]
    torch.testing.assert_close(after[7], before[7], rtol=0, atol=0)
    # It still continues from where it was.
    model.fit(X, target)
    assert model.n_iter_ == before[1] + FAST["max_epochs"]


def test_warm_start_applies_changed_training_parameters():
    X, y = ragged_task(40)
    clf = RNNClassifier(warm_start=True, **FAST).fit(X, y)
    clf.set_params(lr=0.5, max_epochs=3, batch_size=7, clip_grad_norm=1.0, dropout=0.4)
    clf.fit(X, y)
    assert clf.n_iter_ == 8
    assert clf.net_.optimizer_.param_groups[0]["lr"] == 0.5
    assert clf.net_.batch_size == 7
    assert "gradient_clipping" in dict(clf.net_.callbacks_)
    assert clf.net_.module_.between_layers.p == 0.4
    clf.set_params(optimizer="sgd")
    clf.fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.SGD)


def test_warm_start_applies_optimizer_kwargs_as_they_are_now():
    X, y = ragged_task(40)
    clf = RNNClassifier(warm_start=True, **FAST)
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


def test_warm_start_sets_every_dropout_of_the_transformer():
    X, y = ragged_task(20)
    params = {**FAST, "cell": "transformer", "warm_start": True}
    clf = RNNClassifier(**params).fit(X, y)
    clf.set_params(dropout=0.5).fit(X, y)
    fresh = RNNClassifier(**{**params, "dropout": 0.5}).fit(X, y)

    def rates(model):
        return [
            getattr(m, "p", getattr(m, "dropout", None))
            for m in model.net_.module_.transformer.modules()
            if isinstance(m, (torch.nn.Dropout, torch.nn.MultiheadAttention))
        ]

    assert rates(clf) == rates(fresh) and set(rates(fresh)) == {0.5}


@pytest.mark.parametrize(
    "name, value", [("hidden_size", 16), ("cell", "lstm"), ("bidirectional", False)]
)
def test_continuing_with_another_architecture_is_a_clear_error(name, value):
    X, y = ragged_task(20)
    clf = RNNClassifier(warm_start=True, **FAST).fit(X, y)
    clf.set_params(**{name: value})
    with pytest.raises(ValueError, match=f"{name} from .* changed since the network"):
        clf.fit(X, y)
    with pytest.raises(ValueError, match=f"{name} from .* changed since the network"):
        clf.partial_fit(X, y)
    # Without warm start, fit builds a new network with the new value.
    clf.set_params(warm_start=False).fit(X, y)


def test_the_same_architecture_written_another_way_continues_training():
    X, y = ragged_task(20)
    clf = RNNClassifier(
        warm_start=True,
        conv_channels=np.array([4, 4]),
        conv_stride=np.array([1, 2]),
        head_hidden_sizes=8,
        device=torch.device("cpu"),
        **FAST,
    ).fit(X, y)
    clf.set_params(
        conv_channels=(4, 4), conv_stride=[1, 2], head_hidden_sizes=[8], device="cpu"
    )
    clf.fit(X, y)
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 11
    # A value that is no layer size is named, not read as another one.
    clf.set_params(head_hidden_sizes=[8.7])
    with pytest.raises(ValueError, match="head_hidden_sizes must be a positive"):
        clf.fit(X, y)


def test_partial_fit_refuses_balanced_weights_and_other_classes():
    X, y = ragged_task(20)
    with pytest.raises(ValueError, match="'balanced' is not supported for partial_fit"):
        RNNClassifier(class_weight="balanced", **FAST).partial_fit(
            X, y, classes=["neg", "pos"]
        )
    clf = RNNClassifier(**FAST).partial_fit(X, y, classes=["neg", "pos"])
    with pytest.raises(ValueError, match="is not the same as on the first call"):
        clf.partial_fit(X, y, classes=["neg", "pos", "zero"])
    clf.partial_fit(X, y, classes=["pos", "neg"])  # the same classes, any order


def test_partial_fit_neither_holds_out_data_nor_stops_early():
    X, y = ragged_task(20)
    clf = RNNClassifier(early_stopping=True, **FAST)
    for _ in range(3):
        clf.partial_fit(X, y, classes=["neg", "pos"])
    assert clf.n_iter_ == 3
    assert "valid_loss" not in clf.history_[-1]
    assert "early_stopping" not in dict(clf.net_.callbacks_)


def test_partial_fit_follows_a_target_on_another_scale():
    X, _ = ragged_task(40)
    rng = np.random.default_rng(0)
    y = rng.normal(size=40)
    reg = RNNRegressor(**{**FAST, "lr": 1e-30}).partial_fit(X, y)
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


def test_sample_weight_weighs_the_loss():
    X, y = ragged_task(60)
    clf = RNNClassifier(**FAST).fit(X, y)
    # Equal weights are no weights.
    uniform = RNNClassifier(**FAST).fit(X, y, sample_weight=np.full(60, 3.0))
    np.testing.assert_allclose(
        uniform.predict_proba(X), clf.predict_proba(X), atol=1e-5
    )
    # Weighting one class up moves the predictions towards it.
    weights = np.where(y == "pos", 20.0, 1.0)
    weighted = RNNClassifier(**FAST).fit(X, y, sample_weight=weights)
    assert weighted.predict_proba(X)[:, 1].mean() > clf.predict_proba(X)[:, 1].mean()
    reg = RNNRegressor(**FAST).fit(X, np.arange(60.0), sample_weight=np.ones(60))
    assert reg.predict(X).shape == (60,)
    with pytest.raises(ValueError, match="Negative values in data passed to"):
        RNNClassifier(**FAST).fit(X, y, sample_weight=-np.ones(60))


def test_sample_weight_is_routed_through_cross_validation():
    X, y = ragged_task(40)
    weights = np.linspace(0.5, 2.0, 40)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = RNNClassifier(**FAST).set_fit_request(sample_weight=True)
        clf.set_score_request(sample_weight=True)
        results = cross_validate(clf, X, y, cv=2, params={"sample_weight": weights})
    assert np.all(np.isfinite(results["test_score"]))


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
def test_bad_input_and_parameters_get_clear_errors(fit_args, params, error, match):
    X, y = ragged_task(20)
    with pytest.raises(error, match=match):
        RNNClassifier(**{**FAST, **params}).fit(*(fit_args or (X, y)))


def test_bad_prediction_input_gets_clear_errors():
    X, y = ragged_task(20)
    clf = RNNClassifier(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="holds no sequences"):
        clf.predict([])
    last_step_half_missing = np.array([[1.0, 2.0], [3.0, np.nan]])
    with pytest.raises(ValueError, match="NaN inside sequence 1 at time step 1"):
        clf.predict([X[0], last_step_half_missing])
    nullable = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": 1.0})
    with pytest.raises(ValueError, match="NaN inside sequence 0 at time step 1"):
        clf.predict([nullable])


def test_unorderable_labels_are_a_clear_error():
    X, _ = ragged_task(20)
    with pytest.raises(TypeError, match="labels in y cannot be sorted"):
        RNNClassifier(**FAST).fit(X, np.array(["a", 1] * 10, dtype=object))
    with pytest.raises(TypeError, match="classes cannot be sorted"):
        RNNClassifier(**FAST).partial_fit(
            X, ["a"] * 20, classes=np.array(["a", 1], dtype=object)
        )


def test_optimizer_keyword_arguments_and_lbfgs():
    X, y = ragged_task(60)
    sgd = RNNClassifier(
        optimizer="sgd", optimizer_kwargs={"momentum": 0.9, "nesterov": True}, **FAST
    ).fit(X, y)
    assert sgd.net_.optimizer_.param_groups[0]["momentum"] == 0.9
    # L-BFGS is a full-batch method: one batch, a line search.
    lbfgs = RNNClassifier(
        optimizer="lbfgs",
        lr=1.0,
        optimizer_kwargs={"line_search_fn": "strong_wolfe"},
        batch_size=60,
        n_iter_no_change=None,
        **FAST,
    ).fit(X, y)
    losses = lbfgs.history_[:, "train_loss"]
    assert isinstance(lbfgs.net_.optimizer_, torch.optim.LBFGS)
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.parametrize("branch", [None, (4,)])
def test_embed_returns_the_representation_the_head_reads(branch):
    X, y = ragged_task(40)
    clf = RNNClassifier(
        bidirectional=True, branch_channels=branch, branch_kernel_sizes=(3,), **FAST
    ).fit(X, y)
    features = clf.embed(X)
    assert features.shape == (40, 2 * 8 + (4 if branch else 0))
    head = clf.net_.module_.head
    with torch.no_grad():
        logits = head(torch.as_tensor(features)).numpy()
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, clf.predict_proba(X), atol=1e-5)


def test_fits_in_threads_are_reproducible():
    X, y = ragged_task(40)
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


def test_pickle_round_trips_fitted_and_unfitted(tmp_path):
    X, y = ragged_task(40)
    unfitted = RNNRegressor(hidden_size=5)
    restored = pickle.loads(pickle.dumps(unfitted))
    assert restored.get_params() == unfitted.get_params()
    clf = RNNClassifier(input_scaling="both", **FAST).fit(X, y)
    joblib.dump(clf, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_model_fitted_on_cuda_loads_on_a_machine_without_one(monkeypatch):
    X, y = ragged_task(40)
    clf = RNNClassifier(**FAST).fit(X, y)
    expected = clf.predict_proba(X)
    # As if fitted on a GPU (the tensors themselves pickle as CPU tensors here).
    clf.net_.device = "cuda"
    data = pickle.dumps(clf)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(Warning, match="no CUDA devices are available"):
        loaded = pickle.loads(data)
    assert str(loaded.net_.device) == "cpu"
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)


def test_weights_alone_save_and_load(tmp_path):
    X, y = ragged_task(40)
    clf = RNNClassifier(**FAST).fit(X, y)
    clf.net_.save_params(f_params=tmp_path / "weights.pt")
    # A network of the same parameters, built by a short fit, takes them.
    other = clone(clf).set_params(max_epochs=1).fit(X, y)
    other.net_.load_params(f_params=tmp_path / "weights.pt")
    np.testing.assert_array_equal(other.predict_proba(X), clf.predict_proba(X))


def test_defaults_resolve_as_documented():
    rng = np.random.default_rng(0)
    short = [rng.normal(size=(24, 1)) for _ in range(50)]
    long = [rng.normal(size=(1460, 1)) for _ in range(20)]
    clf = RNNClassifier(max_epochs=1, random_state=0).fit(short, np.arange(50) % 2)
    # Short sequences are not shortened; small data get batches of 16.
    assert clf.conv_stride_ == (1, 1, 1)
    assert clf.net_.batch_size == 16
    assert "valid_loss" not in clf.history_[-1]
    assert clf.net_.module_.input_scaling_.mode == "both"
    clf = RNNClassifier(max_epochs=1, random_state=0).fit(long, np.arange(20) % 2)
    # 1460 steps: three strides of 2 leave 183 (2, 2, 1 would leave 365).
    assert clf.conv_stride_ == (2, 2, 2)
    many = [rng.normal(size=(5, 1)) for _ in range(600)]
    clf = RNNClassifier(max_epochs=1, random_state=0).fit(many, np.arange(600) % 2)
    assert clf.net_.batch_size == 64
    # The regressor holds out a tenth for early stopping from 20 sequences on.
    reg = RNNRegressor(max_epochs=2, random_state=0).fit(short, np.arange(50.0))
    assert "valid_loss" in reg.history_[-1]
    assert (
        "valid_loss"
        not in RNNRegressor(max_epochs=2).fit(short[:10], np.arange(10.0)).history_[-1]
    )


@pytest.mark.parametrize("kernel_size", [2, 4, 6])
def test_even_kernels_train_on_batches_of_short_sequences(kernel_size):
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in [1, 2, 1, 2, 3, 1] * 4 + [30] * 8]
    y = np.arange(32) % 2
    clf = RNNClassifier(
        conv_channels=(4, 4), conv_kernel_size=kernel_size, conv_stride=2, **FAST
    )
    assert clf.fit(X, y).predict(X).shape == (32,)


def test_dropout_acts_with_a_single_layer():
    X, y = ragged_task(20)
    clf = RNNClassifier(num_layers=1, dropout=0.5, **FAST).fit(X, y)
    module = clf.net_.module_
    padded, lengths, _ = check_sequences(X)
    inputs = torch.as_tensor(padded), torch.as_tensor(lengths)
    with torch.no_grad():
        module.train()
        first, second = module(*inputs), module(*inputs)
        module.eval()
        third, fourth = module(*inputs), module(*inputs)
    assert not torch.equal(first, second)  # dropout before pooling, in training
    assert torch.equal(third, fourth)


def test_verbose_2_shows_a_progress_bar_of_batches(capsys):
    X, y = ragged_task(20)
    RNNClassifier(verbose=2, **FAST).fit(X, y)
    out, err = capsys.readouterr()
    assert "train_loss" in out  # the table of epochs, as with verbose=1
    assert "it/s]" in err  # tqdm's bar
    RNNClassifier(verbose=0, **FAST).fit(X, y)
    assert capsys.readouterr() == ("", "")


def token_task(n=60, seed=0):
    """Ragged token-id sequences; the class is whether low ids dominate."""
    rng = np.random.default_rng(seed)
    X = [rng.integers(2, 40, size=length) for length in rng.integers(2, 25, n)]
    return X, np.array([int((x < 12).mean() > 0.3) for x in X])


EMBEDDING = {"embedding_dim": 6, "hidden_size": 8, "max_epochs": 3, "random_state": 0}


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_token_ids_ragged_and_zero_padded_predict_the_same(Estimator):
    X, y = token_task()
    model = Estimator(**EMBEDDING).fit(X, y)
    padded = np.zeros((len(X), 40), dtype=np.int32)
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    np.testing.assert_allclose(model.predict(padded), model.predict(X), atol=1e-6)
    # A DataFrame holds the padded rows too.
    np.testing.assert_allclose(
        model.predict(pd.DataFrame(padded)), model.predict(X), atol=1e-6
    )
    # Fitting on the padded form gives the same model.
    refit = Estimator(**EMBEDDING).fit(padded[:, :30], y)
    np.testing.assert_allclose(refit.predict(X), model.predict(X), atol=1e-6)
    assert model.n_tokens_ == max(int(x.max()) for x in X) + 1


def test_token_ids_unseen_at_predict_are_read_as_unknown():
    X, y = token_task()
    clf = RNNClassifier(**EMBEDDING).fit(X, y)
    with pytest.warns(UserWarning, match=r"1 token id\(s\) the model never saw"):
        unseen = clf.predict_proba([np.array([5, 500, 7])])
    np.testing.assert_array_equal(unseen, clf.predict_proba([np.array([5, 1, 7])]))


def test_pretrained_embedding_frozen_or_fine_tuned():
    X, y = token_task()
    weights = np.random.default_rng(0).normal(size=(50, 6))
    frozen = RNNClassifier(
        **EMBEDDING, embedding_weights=weights, freeze_embedding=True
    ).fit(X, y)
    learned = frozen.net_.module_.embedding.weight.detach().numpy()
    np.testing.assert_allclose(learned, weights.astype(np.float32))
    assert frozen.n_tokens_ == 50
    tuned = RNNClassifier(**EMBEDDING, embedding_weights=weights).fit(X, y)
    changed = tuned.net_.module_.embedding.weight.detach().numpy()
    assert not np.allclose(changed[2:40], weights[2:40].astype(np.float32))


def test_auto_front_end_and_early_stopping_follow_the_kind_of_input():
    X, y = token_task(1000)
    params = {**EMBEDDING, "max_epochs": 1}
    tokens = RNNClassifier(**params).fit(X, y)
    assert tokens.conv_channels_ == () and tokens.net_.module_.front_end is None
    assert "valid_loss" in tokens.history_[-1]  # token ids, 1000 sequences
    fewer = RNNClassifier(**params).fit(X[:999], y[:999])
    assert "valid_loss" not in fewer.history_[-1]
    # An explicit front-end is kept for token ids.
    explicit = RNNClassifier(**params, conv_channels=4).fit(X[:50], y[:50])
    assert explicit.conv_channels_ == (4,)
    numeric = RNNClassifier(**FAST).fit(*ragged_task(20))
    assert numeric.conv_channels_ == (32, 32, 32)
    assert "valid_loss" not in numeric.history_[-1]


def test_auto_learning_rate_and_dropout_follow_the_kind_of_input():
    def resolved(model):
        module = model.net_.module_
        embedding_p = None if module.embedding is None else module.embedding_dropout.p
        return model.net_.lr, module.between_layers.p, embedding_p

    X, y = token_task(40)
    tokens = RNNClassifier(**{**EMBEDDING, "max_epochs": 1}).fit(X, y)
    assert resolved(tokens) == (3e-3, 0.5, 0.5)
    numeric = RNNClassifier(**FAST).fit(*ragged_task(20))
    assert resolved(numeric) == (1e-3, 0.0, None)
    explicit = RNNClassifier(
        **{**EMBEDDING, "max_epochs": 1}, lr=0.01, dropout=0.1, embedding_dropout=0.2
    ).fit(X, y)
    assert resolved(explicit) == (0.01, 0.1, 0.2)
    # A warm start resolves "auto" again: back to the token-id values.
    explicit.set_params(warm_start=True, lr="auto", dropout="auto").fit(X, y)
    assert resolved(explicit) == (3e-3, 0.5, 0.2)
    assert clone(tokens).get_params()["lr"] == "auto"


def test_a_warm_start_sets_the_dropout_inside_the_transformer_too():
    X, y = ragged_task(20)
    model = RNNClassifier(**FAST, cell="transformer", dropout=0.1).fit(X, y)
    model.set_params(warm_start=True, dropout=0.3).fit(X, y)
    encoder_dropouts = {
        m.p
        for m in model.net_.module_.transformer.modules()
        if isinstance(m, torch.nn.Dropout)
    }
    assert encoder_dropouts == {0.3}


def test_a_validation_split_that_cannot_be_drawn():
    X, _ = token_task(1000)
    params = {**EMBEDDING, "max_epochs": 1}
    one_of_a_class = np.r_[np.zeros(500), np.ones(499), 2].astype(int)
    many_classes = np.arange(1000) % 150
    for y in (one_of_a_class, many_classes):
        # "auto" then trains on all data ...
        clf = RNNClassifier(**params).fit(X, y)
        assert "valid_loss" not in clf.history_[-1]
    # ... and early_stopping=True says what is wrong and what to do.
    with pytest.raises(ValueError, match=r"a class has one\. Set early_stopping"):
        RNNClassifier(**params, early_stopping=True).fit(X, one_of_a_class)
    with pytest.raises(ValueError, match="100 held-out sequences cannot hold each"):
        RNNClassifier(**params, early_stopping=True).fit(X, many_classes)
    with pytest.raises(ValueError, match="one sequence cannot be split"):
        RNNRegressor(**FAST, early_stopping=True).fit([np.ones(3)], [1.0])
    with pytest.raises(ValueError, match="2 sequences left to train on cannot"):
        RNNClassifier(**FAST, early_stopping=True, validation_fraction=0.8).fit(
            np.zeros((10, 6, 1)), np.arange(10) % 3
        )


@pytest.mark.parametrize(
    "X, params, message",
    [
        ([[3, 0, 4]], {}, "padding id 0 before its last token"),
        ([[0, 0]], {}, "holds no token id"),
        ([np.array([1.5, 2.0])], {}, "must hold integer token ids"),
        (
            pd.DataFrame({"a": [2], "b": [None]}, dtype="Int64"),
            {},
            r"missing values \(NaN\); token ids are padded with 0",
        ),
        ([[3, 4]], {"embedding_weights": np.ones((4, 5))}, "embedding_dim=6"),
        ([[3, 9]], {"embedding_weights": np.ones((5, 6))}, "token id 9"),
    ],
)
def test_token_id_errors_say_what_and_where(X, params, message):
    with pytest.raises(ValueError, match=message):
        RNNClassifier(**{**EMBEDDING, **params}).fit(X, [0])


def test_embedding_models_pickle_clone_and_warm_start():
    X, y = token_task()
    clf = RNNClassifier(**EMBEDDING, embedding_dropout=0.2, warm_start=True).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert clone(clf).get_params()["embedding_dim"] == 6
    clf.set_params(embedding_dropout=0.0).fit(X, y)  # training parameter: applied
    assert clf.net_.module_.embedding_dropout.p == 0.0
    with pytest.raises(ValueError, match="embedding_dim from 6 to 8"):
        clf.set_params(embedding_dim=8).fit(X, y)


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

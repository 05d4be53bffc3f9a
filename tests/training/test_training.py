"""Training through skorch: stopping, options, schedules, output, sample weights."""

import itertools
import pickle
import threading
import warnings

import numpy as np
import pytest
import sklearn
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_validate
from skorch.callbacks import Callback, EpochScoring, LRScheduler
from torch.optim.lr_scheduler import CosineAnnealingLR

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator.fit_settings import StepBudget

# --- When training stops ------------------------------------------------------------


@pytest.mark.slow
def test_early_stopping_stops_early_and_restores_the_best_epoch(ragged_task):
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


def test_training_stops_once_the_training_loss_stops_improving(ragged, fast):
    X, y = ragged
    params = {**fast, "max_epochs": 300, "lr": 1e-2}
    # A tolerance no epoch can beat: stop after n_iter_no_change epochs.
    stopped = RNNClassifier(n_iter_no_change=3, tol=1e3, **params).fit(X, y)
    assert stopped.n_iter_ == 4
    # n_iter_no_change=None trains every epoch, as before.
    full = RNNClassifier(n_iter_no_change=None, **{**params, "max_epochs": 12})
    assert full.fit(X, y).n_iter_ == 12


def test_a_validation_split_that_cannot_be_drawn(many_tokens, fast, fast_embedding):
    X, _ = many_tokens
    params = {**fast_embedding, "max_epochs": 1}
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
        RNNRegressor(**fast, early_stopping=True).fit([np.ones(3)], [1.0])
    with pytest.raises(ValueError, match="2 sequences left to train on cannot"):
        RNNClassifier(**fast, early_stopping=True, validation_fraction=0.8).fit(
            np.zeros((10, 6, 1)), np.arange(10) % 3
        )


def test_divergence_is_a_clear_error_not_a_silent_nan(ragged_task, fast):
    X, y = ragged_task(30)
    X = [x * 1e5 for x in X]
    clf = RNNClassifier(
        cell="rnn", nonlinearity="relu", optimizer="sgd", lr=100, **fast
    )
    with pytest.raises(FloatingPointError, match="Training diverged"):
        clf.fit(X, y)


def test_weights_made_non_finite_by_the_last_step_are_a_clear_error(few_ragged):
    # One batch: its loss is finite, and its step makes the weights infinite.
    X, y = few_ragged
    clf = RNNClassifier(
        hidden_size=2,
        conv_channels=(32, 32, 32),
        max_epochs=1,
        optimizer="sgd",
        lr=1e38,
    )
    with pytest.raises(FloatingPointError, match="weights became NaN or infinite"):
        clf.fit(X, y)


@pytest.mark.parametrize("parameter", ["lr", "weight_decay"])
def test_learning_rates_beyond_float32_are_refused(few_ragged, parameter):
    X, y = few_ragged
    with pytest.raises(ValueError, match=f"The '{parameter}' parameter"):
        RNNClassifier(**{parameter: 1e300}, max_epochs=1).fit(X, y)


# --- Options that reach skorch and torch --------------------------------------------


def test_training_options_reach_skorch(ragged, fast):
    X, y = ragged

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
        **fast,
    ).fit(X, y)
    optimizer = clf.net_.optimizer_
    assert isinstance(optimizer, torch.optim.SGD)
    assert optimizer.param_groups[0]["weight_decay"] == 1e-3
    assert dict(clf.net_.callbacks_)["count"].epochs == 5
    assert not hasattr(counter, "epochs")  # the user's object is not changed
    assert any(name == "gradient_clipping" for name, _ in clf.net_.callbacks_)
    clf = RNNClassifier(optimizer=torch.optim.RMSprop, **fast).fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.RMSprop)


def test_optimizer_keyword_arguments_and_lbfgs(ragged_task, fast):
    X, y = ragged_task(60)
    sgd = RNNClassifier(
        optimizer="sgd", optimizer_kwargs={"momentum": 0.9, "nesterov": True}, **fast
    ).fit(X, y)
    assert sgd.net_.optimizer_.param_groups[0]["momentum"] == 0.9
    # Values the optimizer itself refuses are named as optimizer_kwargs.
    with pytest.raises(ValueError, match=r"optimizer_kwargs=.*nesterov.*SGD"):
        RNNClassifier(optimizer="sgd", optimizer_kwargs={"nesterov": True}).fit(X, y)
    # L-BFGS is a full-batch method: one batch, a line search.
    lbfgs = RNNClassifier(
        optimizer="lbfgs",
        lr=1.0,
        optimizer_kwargs={"line_search_fn": "strong_wolfe"},
        batch_size=60,
        n_iter_no_change=None,
        **fast,
    ).fit(X, y)
    losses = lbfgs.history_[:, "train_loss"]
    assert isinstance(lbfgs.net_.optimizer_, torch.optim.LBFGS)
    assert losses[-1] < 0.5 * losses[0]


# --- Learning-rate schedules -------------------------------------------------------


def test_a_learning_rate_schedule_through_callbacks_survives_clone_and_pickle(
    ragged, fast
):
    X, y = ragged
    schedule = LRScheduler(policy=CosineAnnealingLR, T_max=5)
    clf = clone(RNNClassifier(lr=0.01, callbacks=[schedule], **fast)).fit(X, y)
    lrs = clf.history_[:, "event_lr"]
    assert lrs[0] == pytest.approx(0.01)
    assert all(later < earlier for earlier, later in itertools.pairwise(lrs))
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_plateau_schedule_lowers_the_learning_rate(ragged, fast):
    X, y = ragged
    # A rate too small to move the loss: it is on a plateau from the start.
    clf = RNNClassifier(
        lr=1e-7,
        lr_schedule="plateau",
        n_iter_no_change=None,
        **{**fast, "max_epochs": 20},
    ).fit(X, y)
    lrs = clf.history_[:, "event_lr"]
    assert lrs[0] == pytest.approx(1e-7)
    # Halved after 5 epochs without a lower loss, then again.
    assert lrs[-1] <= 0.25e-7
    assert all(later <= earlier for earlier, later in itertools.pairwise(lrs))
    cosine = RNNClassifier(lr=0.01, lr_schedule="cosine", **fast).fit(X, y)
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


def test_one_cycle_rises_to_lr_then_anneals_and_keeps_the_momentum(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(
        lr=0.01,
        lr_schedule="one_cycle",
        optimizer="sgd",
        optimizer_kwargs={"momentum": 0.9},
        **{**fast, "max_epochs": 10},
    ).fit(X, y)
    lrs = clf.history_[:, "event_lr"]
    peak = int(np.argmax(lrs))
    assert 0 < peak < 9
    assert max(lrs) == pytest.approx(0.01, rel=0.05)
    assert all(
        later > earlier for earlier, later in itertools.pairwise(lrs[: peak + 1])
    )
    assert all(later < earlier for earlier, later in itertools.pairwise(lrs[peak:]))
    assert 0 < lrs[-1] < 0.001  # the last epoch still trains
    assert clf.net_.optimizer_.param_groups[0]["momentum"] == 0.9


# --- The "auto" training recipe ----------------------------------------------------


def _callback(clf, name):
    return dict(clf.net_.callbacks_).get(name)


def test_auto_recipe_of_numeric_input_is_a_one_cycle_over_a_step_budget(
    ragged_task,
):
    X, y = ragged_task(60)  # batches of 16, 4 an epoch
    clf = RNNClassifier(hidden_size=4, random_state=0)
    # partial_fit resolves the budget too, and trains one epoch at lr.
    clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.max_epochs_ == StepBudget(600, 20, 150).epochs(4) == 150
    assert clf.net_.batch_size == 16
    assert _callback(clf, "lr_schedule") is None
    assert clf.net_.optimizer_.param_groups[0]["lr"] == 3e-3
    fitted = RNNClassifier(hidden_size=4, max_epochs=4, random_state=0).fit(X, y)
    schedule = _callback(fitted, "lr_schedule")
    assert schedule.policy is torch.optim.lr_scheduler.OneCycleLR
    assert schedule.kwargs["max_lr"] == 3e-3
    # The cycle is the budget: the training loss does not stop it ...
    assert _callback(fitted, "early_stopping") is None
    # ... which it does under other schedules, after 20 epochs.
    constant = RNNClassifier(hidden_size=4, max_epochs=2, lr_schedule="constant")
    assert _callback(constant.fit(X, y), "early_stopping").patience == 20


@pytest.mark.parametrize(
    ("n_batches", "epochs"), [(1, 150), (6, 100), (7, 86), (10, 60), (40, 20)]
)
def test_the_step_budget_in_epochs(n_batches, epochs):
    assert StepBudget(600, 20, 150).epochs(n_batches) == epochs


def test_auto_recipe_of_token_ids_is_unchanged(tokens, fast_embedding):
    X, y = tokens
    params = {**fast_embedding, "max_epochs": "auto"}
    clf = RNNClassifier(**params).partial_fit(X, y, classes=np.unique(y))
    assert clf.max_epochs_ == 150
    fitted = RNNClassifier(**fast_embedding).fit(X, y)
    assert _callback(fitted, "lr_schedule") is None  # constant
    assert fitted.net_.optimizer_.param_groups[0]["lr"] == 3e-3


def test_a_scheduler_among_the_callbacks_replaces_the_auto_schedule(ragged, fast):
    X, y = ragged
    schedule = LRScheduler(policy=CosineAnnealingLR, T_max=5)
    clf = RNNClassifier(callbacks=[("mine", schedule)], **fast).fit(X, y)
    assert _callback(clf, "lr_schedule") is None
    assert _callback(clf, "mine") is not None
    with pytest.raises(ValueError, match="lr_schedule"):
        RNNClassifier(lr_schedule="linear", **fast).fit(X, y)


def test_auto_validation_fraction_holds_out_a_fifth_for_regressors(ragged_task):
    X, _ = ragged_task(60)
    y = np.array([x[:, 0].sum() for x in X])
    reg = RNNRegressor(hidden_size=4, max_epochs=2, random_state=0).fit(X, y)
    _, valid = reg.net_.train_split(None)
    assert len(valid) == 12  # a fifth of 60
    narrow = RNNRegressor(hidden_size=4, max_epochs=2, validation_fraction=0.1)
    _, valid = narrow.fit(X, y).net_.train_split(None)
    assert len(valid) == 6


# --- What training prints ------------------------------------------------------------


def test_verbose_prints_the_epoch_table_and_at_2_a_progress_bar(
    capsys, few_ragged, fast
):
    X, y = few_ragged
    RNNClassifier(**{**fast, "max_epochs": 2}).fit(X, y)
    assert capsys.readouterr().out == ""
    RNNClassifier(verbose=1, **{**fast, "max_epochs": 2}).fit(X, y)
    assert "train_loss" in capsys.readouterr().out
    RNNClassifier(verbose=2, **fast).fit(X, y)
    out, err = capsys.readouterr()
    assert "train_loss" in out  # the table of epochs, as with verbose=1
    assert "it/s]" in err  # tqdm's bar
    RNNClassifier(verbose=0, **fast).fit(X, y)
    assert capsys.readouterr() == ("", "")


# --- Sample weights -------------------------------------------------------------------


def test_sample_weight_weighs_the_loss(ragged_task, fast):
    X, y = ragged_task(60)
    clf = RNNClassifier(**fast).fit(X, y)
    # Equal weights are no weights.
    uniform = RNNClassifier(**fast).fit(X, y, sample_weight=np.full(60, 3.0))
    np.testing.assert_allclose(
        uniform.predict_proba(X), clf.predict_proba(X), atol=1e-5
    )
    # Weighting one class up moves the predictions towards it.
    weights = np.where(y == "pos", 20.0, 1.0)
    weighted = RNNClassifier(**fast).fit(X, y, sample_weight=weights)
    assert weighted.predict_proba(X)[:, 1].mean() > clf.predict_proba(X)[:, 1].mean()
    reg = RNNRegressor(**fast).fit(X, np.arange(60.0), sample_weight=np.ones(60))
    assert reg.predict(X).shape == (60,)
    with pytest.raises(ValueError, match="Negative values in data passed to"):
        RNNClassifier(**fast).fit(X, y, sample_weight=-np.ones(60))


def test_sample_weight_is_routed_through_cross_validation(ragged, fast):
    X, y = ragged
    weights = np.linspace(0.5, 2.0, 40)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = RNNClassifier(**fast).set_fit_request(sample_weight=True)
        clf.set_score_request(sample_weight=True)
        results = cross_validate(clf, X, y, cv=2, params={"sample_weight": weights})
    assert np.all(np.isfinite(results["test_score"]))


def test_callbacks_that_are_not_callbacks_or_cannot_be_copied_are_named(ragged, fast):
    X, y = ragged
    for bad in ([1], [("name", 1)], [(1, EpochScoring("accuracy"))]):
        with pytest.raises(TypeError, match=r"callbacks\[0\] is"):
            RNNClassifier(callbacks=bad, **fast).fit(X, y)

    class HoldsALock(Callback):
        def __init__(self):
            self.lock = threading.Lock()

    with pytest.raises(TypeError, match="callbacks cannot be copied"):
        RNNClassifier(callbacks=[HoldsALock()], **fast).fit(X, y)


def test_sample_weights_too_large_for_float32_are_named(few_ragged):
    X, y = few_ragged
    weights = np.ones(len(X))
    weights[3] = 1e300
    with pytest.raises(ValueError, match=r"sample_weight\[3\] = 1e\+300 is too large"):
        RNNClassifier(hidden_size=2, max_epochs=1).fit(X, y, sample_weight=weights)


@pytest.mark.parametrize(
    "parameter", ["weight_decay", "hidden_size", "lr", "clip_grad_norm"]
)
def test_booleans_for_numeric_parameters_are_refused(few_ragged, parameter):
    X, y = few_ragged
    with pytest.raises(TypeError, match=f"The '{parameter}' parameter .* no booleans"):
        RNNClassifier(**{parameter: True}, max_epochs=1).fit(X, y)


class RecordDatasetSizes(Callback):
    """Keeps the number of training and validation sequences of each epoch."""

    def initialize(self):
        self.sizes = []
        return self

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        self.sizes.append(
            (len(dataset_train), None if dataset_valid is None else len(dataset_valid))
        )


def test_a_fit_that_learns_nothing_warns_and_says_so():
    # Adiac with pooling="mean" kept its loss at the class frequencies' for
    # all 67 epochs, predicted one class and said nothing.
    X = np.zeros((40, 6, 2))  # no signal at all
    y = np.repeat(["a", "b", "c"], [20, 12, 8])
    with pytest.warns(ConvergenceWarning, match="not clearly below"):
        model = RNNClassifier(hidden_size=4, max_epochs=3, random_state=0).fit(X, y)
    frequencies = np.array([20, 12, 8]) / 40
    np.testing.assert_allclose(
        model.baseline_loss_, -(frequencies * np.log(frequencies)).sum()
    )
    assert model.loss_ >= 0.99 * model.baseline_loss_
    with pytest.warns(
        ConvergenceWarning, match="predicting the training targets' mean"
    ):
        RNNRegressor(hidden_size=4, max_epochs=3, random_state=0).fit(
            X, np.random.default_rng(0).normal(size=40)
        )


def test_a_fit_that_learns_gives_no_convergence_warning(ragged_task):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = RNNClassifier(hidden_size=8, max_epochs=40, random_state=0)
        model.fit(*ragged_task(60))
    assert model.loss_ < 0.5 * model.baseline_loss_


def test_the_baseline_loss_is_that_of_the_loss_being_trained():
    X = np.zeros((40, 4, 1))
    y = np.repeat([0, 1], [30, 10])
    # With balanced class weights the best constant prediction is 1/2 each.
    model = RNNClassifier(
        hidden_size=2, max_epochs=1, class_weight="balanced", random_state=0
    )
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    np.testing.assert_allclose(model.baseline_loss_, np.log(2))
    # Sample weights weigh the frequencies: here 30 * 1 against 10 * 3.
    with pytest.warns(ConvergenceWarning):
        model = RNNClassifier(hidden_size=2, max_epochs=1, random_state=0).fit(
            X, y, sample_weight=np.repeat([1.0, 3.0], [30, 10])
        )
    np.testing.assert_allclose(model.baseline_loss_, np.log(2))
    # Per step: the variance of the standardized targets of the valid steps.
    steps = [np.arange(n, dtype=float) for n in (2, 3, 4)]
    with pytest.warns(ConvergenceWarning):
        model = RNNRegressor(
            hidden_size=2, max_epochs=1, per_step=True, random_state=0
        ).fit([np.zeros(len(s)) for s in steps], steps)
    np.testing.assert_allclose(model.baseline_loss_, 1.0, rtol=1e-6)


def test_early_stopping_reads_given_validation_data(ragged_task):
    X, y = ragged_task(80)
    X_val, y_val = ragged_task(30, seed=1)
    record = RecordDatasetSizes()
    params = {"hidden_size": 8, "max_epochs": 6, "random_state": 0}
    model = RNNClassifier(**params, callbacks=[record]).fit(
        X, y, X_val=X_val, y_val=y_val
    )
    sizes = dict(model.net_.callbacks_)["RecordDatasetSizes"].sizes
    # All of X trains (nothing drawn from it), X_val validates.
    assert set(sizes) == {(80, 30)}
    assert "valid_loss" in model.history_[-1]
    again = RNNClassifier(**params).fit(X, y, X_val=X_val, y_val=y_val)
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    # Without it, the automatic rule decides (under 100 sequences: nothing).
    assert "valid_loss" not in RNNClassifier(**params).fit(X, y).history_[-1]
    # A regressor, 3-D arrays of other lengths, weights.
    values = np.array([x[:, 0].sum() for x in X])
    padded = np.full((30, 25, 2), np.nan)
    for i, x in enumerate(X_val):
        padded[i, : len(x)] = x
    regressor = RNNRegressor(**params).fit(
        X,
        values,
        X_val=padded,
        y_val=[x[:, 0].sum() for x in X_val],
        sample_weight_val=np.ones(30),
    )
    assert regressor.output_shrinkage_.shape == (1,)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"X_val": "X"}, "X_val is given but y_val is not"),
        ({"y_val": "y"}, "y_val is given but X_val is not"),
        ({"early_stopping": False}, "early_stopping=False"),
        ({"X_val": [np.ones((3, 3))], "y_val": ["pos"]}, "In X_val: X has 3 features"),
        ({"y_val": ["pos"]}, "In X_val and y_val: X has 5 sequences but y has 1"),
        ({"y_val": ["new"] * 5}, "y_val holds 1 class"),
    ],
)
def test_bad_validation_data_gets_a_clear_error(ragged_task, kwargs, match):
    X, y = ragged_task(40)
    X_val, y_val = X[:5], y[:5]
    kwargs = dict(kwargs)
    early_stopping = kwargs.pop("early_stopping", "auto")
    validation = {"X_val": X_val, "y_val": y_val}
    for name in ("X_val", "y_val"):
        if kwargs.get(name) in ("X", "y"):
            validation = {name: validation[name]}
            break
    else:
        validation |= kwargs
    model = RNNClassifier(hidden_size=2, max_epochs=1, early_stopping=early_stopping)
    with pytest.raises(ValueError, match=match):
        model.fit(X, y, **validation)

"""TrainingHistoryDisplay: what it draws from a fitted estimator's history."""

import sys

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from skorch.callbacks import EpochScoring

from sklearn_rnn import (
    RNNClassifier,
    RNNRegressor,
    SequencePadder,
    TrainingHistoryDisplay,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

FAST = {"hidden_size": 4, "conv_channels": None, "max_epochs": 4, "random_state": 0}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def data(fixed_length_task):
    return fixed_length_task


def valid_accuracy(net, X, y):
    return float(np.mean(net.predict(X).argmax(axis=1) == y))


def test_lines_are_the_history_without_validation(data):
    clf = RNNClassifier(early_stopping=False, n_iter_no_change=None, **FAST)
    disp = TrainingHistoryDisplay.from_estimator(clf.fit(*data))
    assert list(disp.lines_) == ["train_loss"]
    line = disp.lines_["train_loss"]
    assert_array_equal(line.get_xdata(), clf.history_[:, "epoch"])
    assert_array_equal(line.get_ydata(), clf.history_[:, "train_loss"])
    assert disp.valid_loss is None
    assert disp.best_epoch_line_ is None and disp.stopped_epoch_line_ is None
    assert disp.score_ax_ is None
    assert disp.ax_.get_xlabel() == "epoch" and disp.ax_.get_ylabel() == "loss"
    assert disp.figure_ is disp.ax_.figure


def test_validation_loss_and_early_stopping_markers(data):
    # tol=10: only the first epoch counts as an improvement, so the second one
    # stops training (n_iter_no_change=1) and the first one's weights are kept.
    clf = RNNClassifier(
        early_stopping=True,
        validation_fraction=0.5,
        n_iter_no_change=1,
        tol=10,
        **FAST,
    ).fit(*data)
    disp = TrainingHistoryDisplay.from_estimator(clf)
    assert list(disp.lines_) == ["train_loss", "valid_loss"]
    assert_array_equal(
        disp.lines_["valid_loss"].get_ydata(), clf.history_[:, "valid_loss"]
    )
    assert (disp.best_epoch, disp.stopped_epoch) == (1, 2)
    assert_array_equal(disp.best_epoch_line_.get_xdata(), [1, 1])
    assert_array_equal(disp.stopped_epoch_line_.get_xdata(), [2, 2])
    texts = [text.get_text() for text in disp.ax_.get_legend().get_texts()]
    assert {"best epoch (1), weights kept", "stopped early (2)"} <= set(texts)


def test_best_epoch_is_that_of_the_lowest_validation_loss(data):
    # tol=0 counts any decrease, as valid_loss_best does; no n_iter_no_change:
    # training runs all epochs.
    clf = RNNClassifier(
        early_stopping=True,
        validation_fraction=0.5,
        n_iter_no_change=None,
        tol=0,
        **FAST,
    ).fit(*data)
    disp = TrainingHistoryDisplay.from_estimator(clf)
    best = np.flatnonzero(clf.history_[:, "valid_loss_best"])[-1] + 1
    assert (disp.best_epoch, disp.stopped_epoch) == (best, None)
    assert disp.stopped_epoch_line_ is None


def test_stopping_on_the_training_loss_keeps_the_last_weights(data):
    clf = RNNClassifier(early_stopping=False, n_iter_no_change=1, tol=10, **FAST)
    disp = TrainingHistoryDisplay.from_estimator(clf.fit(*data))
    assert (disp.best_epoch, disp.stopped_epoch) == (None, 2)
    assert disp.best_epoch_line_ is None
    assert_array_equal(disp.stopped_epoch_line_.get_xdata(), [2, 2])


def test_scores_of_scoring_callbacks_on_a_second_axis(data):
    scoring = EpochScoring(valid_accuracy, name="valid_acc", lower_is_better=False)
    clf = RNNClassifier(
        early_stopping=True, validation_fraction=0.5, callbacks=[scoring], **FAST
    ).fit(*data)
    disp = TrainingHistoryDisplay.from_estimator(clf)
    line = disp.lines_["valid_acc"]
    assert_array_equal(line.get_ydata(), clf.history_[:, "valid_acc"])
    assert line.axes is disp.score_ax_
    assert disp.lines_["train_loss"].axes is disp.ax_
    assert disp.score_ax_.get_ylabel() == "valid_acc"
    # One legend for the curves of both axes.
    texts = [text.get_text() for text in disp.score_ax_.get_legend().get_texts()]
    assert {"train_loss", "valid_loss", "valid_acc"} <= set(texts)


def test_scores_named_by_history_key(data):
    clf = RNNClassifier(lr_schedule="cosine", **FAST).fit(*data)
    disp = TrainingHistoryDisplay.from_estimator(clf, scores="event_lr")
    assert_array_equal(disp.lines_["event_lr"].get_ydata(), clf.history_[:, "event_lr"])
    with pytest.raises(ValueError, match="'accuracy' is not recorded"):
        TrainingHistoryDisplay.from_estimator(clf, scores=["accuracy"])


def test_epochs_without_validation_leave_a_gap(data):
    reg = RNNRegressor(early_stopping=True, **FAST).fit(*data)
    reg.partial_fit(*data)  # holds out nothing
    disp = TrainingHistoryDisplay.from_estimator(reg)
    valid = disp.lines_["valid_loss"].get_ydata()
    assert_array_equal(valid[:-1], reg.history_[:-1, "valid_loss"])
    assert np.isnan(valid[-1])
    # The partial fit had no early stopping: its weights are the last ones.
    assert disp.best_epoch_line_ is None


def test_pipeline_is_read_from_its_final_step(data):
    pipe = make_pipeline(SequencePadder(), RNNRegressor(**FAST)).fit(*data)
    disp = TrainingHistoryDisplay.from_estimator(pipe)
    assert_array_equal(
        disp.lines_["train_loss"].get_ydata(), pipe[-1].history_[:, "train_loss"]
    )


def test_given_axes_are_used(data):
    fig, ax = plt.subplots()
    reg = RNNRegressor(**FAST).fit(*data)
    disp = TrainingHistoryDisplay.from_estimator(reg, ax=ax)
    assert disp.ax_ is ax and disp.figure_ is fig
    assert disp.lines_["train_loss"] in ax.lines


@pytest.mark.parametrize(
    "estimator",
    [RNNClassifier(), make_pipeline(SequencePadder(), RNNRegressor())],
)
def test_unfitted_estimator_raises(estimator):
    with pytest.raises(NotFittedError):
        TrainingHistoryDisplay.from_estimator(estimator)


def test_estimator_without_a_net_raises():
    X, y = np.arange(8.0).reshape(4, 2), [0, 1, 0, 1]
    with pytest.raises(TypeError, match="trains a skorch net"):
        TrainingHistoryDisplay.from_estimator(LogisticRegression().fit(X, y))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"valid_loss": [1.0]}, r"valid_loss must hold one value per epoch, 3"),
        ({"scores": {"acc": [[1.0, 2.0, 3.0]]}}, r"acc must hold one value"),
        ({"best_epoch": 0}, r"best_epoch=0 is not an epoch"),
        ({"stopped_epoch": 4}, r"stopped_epoch=4 is not an epoch"),
    ],
)
def test_constructor_arrays_are_checked(params, match):
    disp = TrainingHistoryDisplay(train_loss=[3.0, 2.0, 1.0], **params)
    with pytest.raises(ValueError, match=match):
        disp.plot()


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    with pytest.raises(ImportError, match=r"sklearn-rnn\[plot\]"):
        TrainingHistoryDisplay(train_loss=[1.0]).plot()


def test_estimators_that_hold_the_network_are_unwrapped():
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.model_selection import GridSearchCV

    from sklearn_rnn import RNNForecaster

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6, 1))
    y = X.sum(axis=(1, 2))
    small = RNNRegressor(
        hidden_size=4, conv_channels=None, max_epochs=3, random_state=0
    )
    wrapped = [
        TransformedTargetRegressor(small, func=np.tanh, inverse_func=np.arctanh),
        GridSearchCV(small, {"hidden_size": [4]}, cv=2),
        RNNForecaster(small, window_length=4),
    ]
    data = [(X, np.tanh(y / 10)), (X, y), (10 + np.sin(np.arange(30.0)), None)]
    for estimator, (inputs, targets) in zip(wrapped, data, strict=True):
        fitted = (
            estimator.fit(inputs) if targets is None else estimator.fit(inputs, targets)
        )
        display = TrainingHistoryDisplay.from_estimator(fitted)
        assert len(display.lines_["train_loss"].get_xdata()) == 3

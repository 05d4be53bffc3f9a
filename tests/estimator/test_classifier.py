"""RNNClassifier: labels, class weights, probabilities, classes of partial_fit."""

import numpy as np
import pytest
import torch

from sklearn_rnn import RNNClassifier


@pytest.mark.slow
def test_classifier_learns_a_ragged_task_with_string_labels(ragged_task):
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
        early_stopping=False,
        random_state=0,
    )
    clf.fit(X[:150], y[:150])
    assert list(clf.classes_) == ["neg", "pos"]
    assert clf.n_features_in_ == 2
    assert clf.score(X[150:], y[150:]) >= 0.85
    proba = clf.predict_proba(X[150:])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X[150:])) <= {"neg", "pos"}


@pytest.mark.slow
def test_classifier_learns_a_tabular_2d_task():
    """What check_classifiers_train checks, on univariate 2-D input."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 6))
    y = (X[:, 2] > 0).astype(int)
    clf = RNNClassifier(hidden_size=16, max_epochs=40, lr=1e-2, random_state=0)
    assert clf.fit(X, y).score(X, y) > 0.83
    assert clf.n_features_in_ == 1


def test_class_weight_reaches_the_loss(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(class_weight={"pos": 5.0}, **fast).fit(X, y)
    weight = clf.net_.criterion_.class_weight
    torch.testing.assert_close(weight, torch.tensor([1.0, 5.0]))
    balanced = RNNClassifier(class_weight="balanced", **fast).fit(X, y)
    counts = np.array([np.sum(y == "neg"), np.sum(y == "pos")])
    expected = len(y) / (2 * counts)
    np.testing.assert_allclose(
        balanced.net_.criterion_.class_weight.numpy(), expected, rtol=1e-6
    )


@pytest.mark.parametrize(
    "class_weight, error, message",
    [
        ({"pos": -1.0}, ValueError, r"finite weight of 0 or more.*'pos': -1\.0"),
        ({"pos": np.nan}, ValueError, r"finite weight of 0 or more.*'pos': nan"),
        ({"neg": np.inf}, ValueError, r"finite weight of 0 or more.*'neg': inf"),
        ({"neg": 0, "pos": 0.0}, ValueError, "gives every class the weight 0"),
        ({"pos": "5"}, TypeError, r"class_weight must map.*to numbers.*'pos': '5'"),
        ({"zero": 2.0}, ValueError, r"class_weight names \['zero'\].*'neg', 'pos'"),
    ],
)
def test_bad_class_weights_are_named_before_training(
    class_weight, error, message, few_ragged, fast
):
    X, y = few_ragged
    with pytest.raises(error, match=message):
        RNNClassifier(class_weight=class_weight, **fast).fit(X, y)
    with pytest.raises(error, match=message):
        RNNClassifier(class_weight=class_weight, **fast).partial_fit(
            X, y, classes=["neg", "pos"]
        )


def test_class_weight_may_name_more_labels_when_every_class_has_one(few_ragged, fast):
    # As in scikit-learn: a dict for every label serves data that lack some.
    X, y = few_ragged
    weights = {"neg": 1.0, "pos": 0.0, "zero": 3.0}
    clf = RNNClassifier(class_weight=weights, **fast).fit(X, y)
    torch.testing.assert_close(
        clf.net_.criterion_.class_weight, torch.tensor([1.0, 0.0])
    )


def test_single_class_is_a_clear_error(ragged_task, fast):
    X, _ = ragged_task(10)
    with pytest.raises(ValueError, match="at least 2 classes"):
        RNNClassifier(**fast).fit(X, ["a"] * 10)


def test_unorderable_labels_are_a_clear_error(few_ragged, fast):
    X, _ = few_ragged
    with pytest.raises(TypeError, match="labels in y cannot be sorted"):
        RNNClassifier(**fast).fit(X, np.array(["a", 1] * 10, dtype=object))
    with pytest.raises(TypeError, match="classes cannot be sorted"):
        RNNClassifier(**fast).partial_fit(
            X, ["a"] * 20, classes=np.array(["a", 1], dtype=object)
        )


def test_partial_fit_refuses_balanced_weights_and_other_classes(few_ragged, fast):
    X, y = few_ragged
    with pytest.raises(ValueError, match="'balanced' is not supported for partial_fit"):
        RNNClassifier(class_weight="balanced", **fast).partial_fit(
            X, y, classes=["neg", "pos"]
        )
    clf = RNNClassifier(**fast).partial_fit(X, y, classes=["neg", "pos"])
    with pytest.raises(ValueError, match="is not the same as on the first call"):
        clf.partial_fit(X, y, classes=["neg", "pos", "zero"])
    clf.partial_fit(X, y, classes=["pos", "neg"])  # the same classes, any order


def test_a_batch_of_classes_that_weigh_zero_adds_nothing_to_the_loss():
    """A class of weight zero (allowed, as in scikit-learn) can fill a batch:
    its loss is zero, not NaN."""
    X = [np.full((2 + i % 2 * 8, 1), float(i % 2)) for i in range(32)]
    y = np.arange(32) % 2
    clf = RNNClassifier(
        class_weight={0: 0.0, 1: 1.0}, hidden_size=4, max_epochs=3, random_state=0
    ).fit(X, y)
    assert np.isfinite(clf.history_[:, "train_loss"]).all()
    clf.partial_fit([x for x in X if x[0, 0] == 0], np.zeros(16, dtype=int))
    assert np.isfinite(clf.history_[-1, "train_loss"])


@pytest.mark.parametrize(
    "y, error, message",
    [
        (
            np.array([None] * 20, dtype=object),
            TypeError,
            "labels in y cannot be sorted",
        ),
        (np.array(["a", 1] * 10, dtype=object), TypeError, "labels in y cannot be"),
        (np.linspace(0, 1, 20), ValueError, "Unknown label type: continuous"),
    ],
)
def test_score_checks_the_labels_as_fit_does(few_ragged, y, error, message):
    X, labels = few_ragged
    clf = RNNClassifier(hidden_size=2, max_epochs=1, random_state=0).fit(X, labels)
    with pytest.raises(error, match=message):
        clf.score(X, y)

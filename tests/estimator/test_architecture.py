"""Flat hyperparameters to the network: strides, layer sizes, defaults, branch."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from sklearn_rnn import RNNClassifier, RNNRegressor, check_sequences
from sklearn_rnn._estimator.architecture import (
    architecture_changes,
    architecture_params,
    conv_strides,
    network_arguments,
)
from sklearn_rnn._estimator.targets import LAYOUTS


@pytest.mark.parametrize(
    "length, n_layers, expected",
    [
        (100, 3, (1, 1, 1)),
        (150, 3, (2, 1, 1)),
        (1460, 3, (3, 3, 2)),
        (2000, 3, (3, 3, 3)),
        (1460, 1, (15,)),
        (20_000, 2, (15, 14)),
    ],
)
def test_auto_conv_stride_follows_the_longest_training_sequence(
    length, n_layers, expected, fast
):
    X = [np.zeros(length), np.zeros(max(length // 3, 1))]
    clf = RNNClassifier(conv_channels=(2,) * n_layers, **fast).fit(X, [0, 1])
    assert clf.conv_stride_ == expected
    strides = tuple(conv.stride[0] for conv in clf.net_.module_.front_end.convs)
    assert strides == expected
    # The recurrent layers see at most 100 steps, and not needlessly fewer.
    assert length / math.prod(expected) <= 100
    if math.prod(expected) > 1:
        smaller = [*expected]
        smaller[smaller.index(max(smaller))] -= 1
        assert length / math.prod(smaller) > 100


def test_array_valued_layer_parameters(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(
        conv_channels=np.array([2, 2]),
        conv_stride=np.array([2, 1]),
        head_hidden_sizes=np.array([3, 3]),
        branch_channels=np.array([2, 2]),
        branch_kernel_sizes=np.array([3, 5]),
        **fast,
    ).fit(X, y)
    assert clf.conv_channels_ == (2, 2) and clf.conv_stride_ == (2, 1)


def test_explicit_strides_per_layer(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(conv_channels=(2, 2), conv_stride=(3, 1), **fast).fit(X, y)
    assert clf.conv_stride_ == (3, 1)
    assert RNNClassifier(conv_channels=(2, 2), conv_stride=2, **fast).fit(
        X, y
    ).conv_stride_ == (2, 2)
    with pytest.raises(ValueError, match="one stride for each of the 2 layers"):
        RNNClassifier(conv_channels=(2, 2), conv_stride=(2,), **fast).fit(X, y)


def test_defaults_resolve_as_documented():
    rng = np.random.default_rng(0)
    short = [rng.normal(size=(24, 1)) for _ in range(50)]
    long = [rng.normal(size=(1460, 1)) for _ in range(20)]
    clf = RNNClassifier(max_epochs=1, random_state=0).fit(short, np.arange(50) % 2)
    # Short sequences are not shortened; small data get batches of 16.
    assert clf.conv_stride_ == (1, 1, 1)
    assert clf.net_.batch_size == 16
    assert "valid_loss" not in clf.history_[-1]
    assert clf.net_.module_.encoder.mode == clf.input_scaling_ == "both"
    # A causal tagger reads the channels' statistics; a bidirectional one both.
    steps = np.arange(50)[:, None] % 2 * np.ones(24, dtype=int)
    for bidirectional, expected in [(False, "channel"), (True, "both")]:
        tagger = RNNClassifier(
            per_step=True, bidirectional=bidirectional, max_epochs=1, random_state=0
        ).fit(short, list(steps))
        assert tagger.input_scaling_ == tagger.net_.module_.encoder.mode == expected
    tokens = RNNClassifier(embedding_dim=4, max_epochs=1, random_state=0)
    assert tokens.fit([[2, 3], [4, 5]], [0, 1]).input_scaling_ is None
    clf = RNNClassifier(max_epochs=1, random_state=0).fit(long, np.arange(20) % 2)
    # 1460 steps: strides of 3, 3 and 2 leave 81 (3, 2, 2 would leave 122).
    assert clf.conv_stride_ == (3, 3, 2)
    many = [rng.normal(size=(5, 1)) for _ in range(600)]
    clf = RNNClassifier(max_epochs=1, random_state=0).fit(many, np.arange(600) % 2)
    assert clf.net_.batch_size == 64
    # The regressor holds out a fifth for early stopping from 20 sequences on.
    reg = RNNRegressor(max_epochs=2, random_state=0).fit(short, np.arange(50.0))
    assert "valid_loss" in reg.history_[-1]
    assert (
        "valid_loss"
        not in RNNRegressor(max_epochs=2).fit(short[:10], np.arange(10.0)).history_[-1]
    )


@pytest.mark.parametrize("kernel_size", [2, 4, 6])
def test_even_kernels_train_on_batches_of_short_sequences(kernel_size, fast):
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in [1, 2, 1, 2, 3, 1] * 4 + [30] * 8]
    y = np.arange(32) % 2
    clf = RNNClassifier(
        conv_channels=(4, 4), conv_kernel_size=kernel_size, conv_stride=2, **fast
    )
    assert clf.fit(X, y).predict(X).shape == (32,)


def test_conv_branch_of_lstm_fcn_trains_and_is_reproducible(ragged, fast):
    X, y = ragged
    params = {**fast, "branch_channels": (4, 8, 4), "bidirectional": True}
    clf = RNNClassifier(**params).fit(X, y)
    again = RNNClassifier(**params).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))
    assert clf.net_.module_.branch.n_outputs == 4
    with pytest.raises(ValueError, match="one kernel size per layer"):
        RNNClassifier(branch_channels=(4, 4), branch_kernel_sizes=(3,)).fit(X, y)


def test_dropout_acts_with_a_single_layer(few_ragged, fast):
    X, y = few_ragged
    clf = RNNClassifier(num_layers=1, dropout=0.5, **fast).fit(X, y)
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


# --- Without a fit -----------------------------------------------------------------


def test_given_strides_per_layer_or_one_for_all():
    assert conv_strides(2, (8, 8, 8)) == (2, 2, 2)
    assert conv_strides([1, 3], (8, 8)) == (1, 3)
    assert conv_strides(2, ()) == ()  # no front-end, no strides
    with pytest.raises(ValueError, match="one stride for each of the 2 layers"):
        conv_strides([1, 2, 3], (8, 8))


def test_network_arguments_take_the_resolved_settings():
    estimator = RNNClassifier(hidden_size=7, branch_channels=4, branch_kernel_sizes=3)
    settings = SimpleNamespace(
        cell="lstm",
        dropout=0.25,
        input_scaling="channel",
        conv_channels=(8,),
        conv_stride=(2,),
        conv_batch_norm=True,
    )
    arguments = network_arguments(estimator, settings, LAYOUTS[False])
    assert arguments["hidden_size"] == 7
    assert arguments["cell"] == "lstm"
    assert arguments["dropout"] == 0.25
    assert arguments["input_scaling"] == "channel"
    assert (arguments["conv_channels"], arguments["conv_stride"]) == ((8,), (2,))
    assert arguments["conv_batch_norm"] is True
    assert arguments["branch_channels"] == (4,)
    assert arguments["per_step"] is False
    with pytest.raises(ValueError, match="per_step=True needs one output per"):
        network_arguments(estimator, settings, LAYOUTS[True])


def test_architecture_changes_name_what_changed():
    fitted = architecture_params(RNNClassifier(conv_channels=[8, 8]).get_params())
    same = architecture_params(RNNClassifier(conv_channels=(8, 8)).get_params())
    assert architecture_changes(fitted, same) is None
    changed = architecture_params(RNNClassifier(hidden_size=3).get_params())
    assert "hidden_size from 64 to 3" in architecture_changes(fitted, changed)

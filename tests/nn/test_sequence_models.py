"""Sequence models: every row of SEQUENCE_MODELS, in both directions."""

import pytest
import torch
from torch import nn

from sklearn_rnn import RecurrentNetwork
from sklearn_rnn._nn import SEQUENCE_MODELS, length_mask

RECURRENT = ["rnn", "lstm", "gru"]
EVERY_MODEL = pytest.mark.parametrize("cell", list(SEQUENCE_MODELS))
BOTH_DIRECTIONS = pytest.mark.parametrize("bidirectional", [False, True])


def make_model(cell, bidirectional, num_layers=2, dropout=0.0):
    torch.manual_seed(0)
    return SEQUENCE_MODELS[cell](
        3,
        hidden_size=8,
        num_layers=num_layers,
        bidirectional=bidirectional,
        dropout=dropout,
    ).eval()


@pytest.mark.parametrize("init", ["xavier", "orthogonal", "kaiming"])
def test_init_schemes_zero_recurrent_biases(init):
    torch.manual_seed(0)
    network = RecurrentNetwork(3, 2, init=init, num_layers=2)
    default = RecurrentNetwork(3, 2, num_layers=2)
    for (name, weight), (_, default_weight) in zip(
        network.named_parameters(), default.named_parameters(), strict=True
    ):
        if name.startswith("sequence_model.") and "bias" in name:
            assert torch.all(weight == 0)
        elif name.startswith("sequence_model."):
            assert not torch.equal(weight, default_weight)


@EVERY_MODEL
@BOTH_DIRECTIONS
def test_sequence_model_outputs_and_widths(cell, bidirectional):
    model = make_model(cell, bidirectional)
    lengths = torch.tensor([3, 7])
    with torch.no_grad():
        out = model(torch.randn(2, 7, 3), lengths, length_mask(lengths, 7))
    two_directions = bidirectional and cell in RECURRENT
    assert model.n_outputs == (16 if two_directions else 8)
    assert out.shape == (2, 7, model.n_outputs)
    assert model.n_forward_outputs == (8 if two_directions else None)


@EVERY_MODEL
@BOTH_DIRECTIONS
def test_sequence_model_valid_outputs_ignore_the_padding(cell, bidirectional):
    model = make_model(cell, bidirectional)
    generator = torch.Generator().manual_seed(1)
    sequence = torch.randn(5, 3, generator=generator)
    batch = torch.randn(2, 9, 3, generator=generator)
    batch[0, :5] = sequence
    batch[0, 5:] = 0.0
    lengths = torch.tensor([5, 9])
    with torch.no_grad():
        alone = model(sequence[None], torch.tensor([5]), None)
        together = model(batch, lengths, length_mask(lengths, 9))
    torch.testing.assert_close(together[:1, :5], alone, atol=1e-5, rtol=0)


@EVERY_MODEL
@BOTH_DIRECTIONS
def test_one_direction_is_causal_and_two_are_not(cell, bidirectional):
    model = make_model(cell, bidirectional)
    X = torch.randn(1, 10, 3)
    with torch.no_grad():
        whole = model(X, torch.tensor([10]), None)
        prefix = model(X[:, :6], torch.tensor([6]), None)
    same = torch.allclose(prefix, whole[:, :6], atol=1e-5, rtol=0)
    # With both directions, the prefix's steps read the steps after it.
    assert same is not bidirectional


@pytest.mark.parametrize("cell", RECURRENT)
@BOTH_DIRECTIONS
def test_recurrent_set_dropout_sets_every_dropout(cell, bidirectional):
    model = make_model(cell, bidirectional, dropout=0.1)
    model.set_dropout(0.4)
    assert model.between_layers.p == 0.4
    if not bidirectional:
        # Between torch's own stacked layers.
        (layer,) = model.forward_layers
        assert layer.num_layers == 2 and layer.dropout == 0.4
    else:
        # One layer per module: dropout acts between them, in between_layers.
        assert all(layer.num_layers == 1 for layer in model.forward_layers)


def test_recurrent_set_dropout_leaves_a_single_layer_without_dropout():
    # torch warns about dropout in a one-layer module, where it does nothing.
    model = make_model("lstm", False, num_layers=1, dropout=0.1)
    assert model.forward_layers[0].dropout == 0.0
    model.set_dropout(0.4)
    assert model.forward_layers[0].dropout == 0.0
    assert model.between_layers.p == 0.4


@BOTH_DIRECTIONS
def test_transformer_set_dropout_sets_every_dropout(bidirectional):
    model = make_model("transformer", bidirectional, dropout=0.1)
    model.set_dropout(0.4)
    dropouts = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    attentions = [m for m in model.modules() if isinstance(m, nn.MultiheadAttention)]
    # Three dropouts and one attention per encoder layer.
    assert len(dropouts) == 6 and len(attentions) == 2
    assert all(dropout.p == 0.4 for dropout in dropouts)
    assert all(attention.dropout == 0.4 for attention in attentions)


@EVERY_MODEL
def test_only_recurrent_models_are_onnx_exportable(cell):
    model = make_model(cell, False)
    assert model.onnx_exportable is (cell in RECURRENT)

"""Poolings: every row of POOLINGS reads valid steps only."""

import pytest
import torch

from sklearn_rnn._nn import POOLINGS, SEQUENCE_MODELS, length_mask
from sklearn_rnn._nn.poolings import (
    AttentionPooling,
    LastPooling,
    MaxPooling,
    MeanPooling,
)

EVERY_POOLING = pytest.mark.parametrize("name", list(POOLINGS))


def make_pooling(name, n_features=6, n_forward_features=None):
    torch.manual_seed(0)
    return POOLINGS[name](n_features, n_forward_features)


def test_bidirectional_last_pooling_reads_backward_state_at_first_step():
    """The backward direction must start from each sequence's own last step."""
    torch.manual_seed(0)
    stack = SEQUENCE_MODELS["gru"](
        3, hidden_size=8, num_layers=1, bidirectional=True, dropout=0.0
    ).eval()
    pooling = POOLINGS["last"](stack.n_outputs, stack.n_forward_outputs)
    sequence = torch.randn(6, 3)
    with torch.no_grad():
        forward, backward = stack.forward_layers[0], stack.backward_layers[0]
        expected_backward = backward(sequence.flip(0)[None])[0][0, -1]
        expected_forward = forward(sequence[None])[0][0, -1]
        padded = torch.cat([sequence, torch.zeros(4, 3)])[None]
        mask = torch.arange(10)[None, :] < 6
        out = stack(padded, torch.tensor([6]), mask)
        pooled = pooling(out, torch.tensor([6]), mask)[0]
    torch.testing.assert_close(pooled[:8], expected_forward)
    torch.testing.assert_close(pooled[8:], expected_backward)


@EVERY_POOLING
def test_pooling_gives_one_vector_per_sequence(name):
    pooling = make_pooling(name)
    lengths = torch.tensor([3, 8, 5])
    with torch.no_grad():
        pooled = pooling(torch.randn(3, 8, 6), lengths, length_mask(lengths, 8))
    assert pooled.shape == (3, 6)


@EVERY_POOLING
@pytest.mark.parametrize("padding", ["nan", "junk"])
def test_pooling_ignores_whatever_follows_a_sequence(name, padding):
    pooling = make_pooling(name)
    generator = torch.Generator().manual_seed(1)
    sequence = torch.randn(5, 6, generator=generator)
    follow = (
        torch.full((4, 6), float("nan"))
        if padding == "nan"
        else 1e3 * torch.randn(4, 6, generator=generator)
    )
    # In a batch with a longer sequence, followed by NaN or large values.
    longer = torch.randn(9, 6, generator=generator)
    batch = torch.stack([torch.cat([sequence, follow]), longer])
    lengths = torch.tensor([5, 9])
    with torch.no_grad():
        alone = pooling(sequence[None], torch.tensor([5]), None)
        together = pooling(batch, lengths, length_mask(lengths, 9))
    assert torch.isfinite(together).all()
    torch.testing.assert_close(together[:1], alone)


@EVERY_POOLING
def test_pooling_without_a_mask_equals_the_masked_computation(name):
    pooling = make_pooling(name)
    out = torch.randn(3, 7, 6)
    lengths = torch.tensor([7, 7, 7])
    with torch.no_grad():
        unmasked = pooling(out, lengths, None)
        masked = pooling(out, lengths, length_mask(lengths, 7))
    torch.testing.assert_close(unmasked, masked)


@pytest.mark.parametrize(
    "pooling, reduce",
    [
        (MeanPooling(6, None), lambda steps: steps.mean(dim=0)),
        (MaxPooling(6, None), lambda steps: steps.amax(dim=0)),
    ],
    ids=["mean", "max"],
)
def test_mean_and_max_pooling_reduce_the_valid_steps(pooling, reduce):
    out = torch.randn(3, 8, 6) - 5.0  # a max taken over padding's zeros would show
    lengths = torch.tensor([1, 8, 4])
    pooled = pooling(out, lengths, length_mask(lengths, 8))
    expected = torch.stack(
        [reduce(out[i, :length]) for i, length in enumerate(lengths.tolist())]
    )
    torch.testing.assert_close(pooled, expected)


@pytest.mark.parametrize("padded", [False, True])
def test_last_pooling_reads_forward_at_last_valid_step_and_backward_at_first(
    padded,
):
    pooling = LastPooling(5, 2)
    out = torch.randn(3, 6, 5)
    lengths = torch.tensor([2, 6, 4]) if padded else torch.tensor([6, 6, 6])
    mask = length_mask(lengths, 6) if padded else None
    pooled = pooling(out, lengths, mask)
    for i, length in enumerate(lengths.tolist()):
        assert torch.equal(pooled[i, :2], out[i, length - 1, :2])
        assert torch.equal(pooled[i, 2:], out[i, 0, 2:])


def test_last_pooling_of_one_direction_reads_the_last_valid_step():
    out = torch.randn(2, 6, 5)
    lengths = torch.tensor([3, 6])
    pooled = LastPooling(5, None)(out, lengths, length_mask(lengths, 6))
    assert torch.equal(pooled, torch.stack([out[0, 2], out[1, 5]]))


def test_attention_pooling_of_constant_steps_is_that_constant():
    pooling = make_pooling("attention")
    constant = torch.tensor([1.0, -2.0, 3.0, 0.5, 4.0, -1.0])
    out = 100.0 * torch.randn(2, 7, 6)
    out[0, :4] = constant
    out[1, :] = -constant
    lengths = torch.tensor([4, 7])
    with torch.no_grad():
        pooled = pooling(out, lengths, length_mask(lengths, 7))
    torch.testing.assert_close(pooled, torch.stack([constant, -constant]))


def test_attention_pooling_is_the_softmax_weighted_mean_of_valid_steps():
    pooling = AttentionPooling(6, None)
    out = torch.randn(2, 7, 6)
    lengths = torch.tensor([3, 7])
    with torch.no_grad():
        pooled = pooling(out, lengths, length_mask(lengths, 7))
        for i, length in enumerate(lengths.tolist()):
            steps = out[i, :length]
            weights = torch.softmax(pooling.score(steps), dim=0)
            torch.testing.assert_close(pooled[i], (weights * steps).sum(dim=0))

"""Encoders: InputScaling (every row of INPUT_SCALINGS) and TokenEmbedding."""

import pytest
import torch

from sklearn_rnn._nn import INPUT_SCALINGS, InputScaling, TokenEmbedding, length_mask


@pytest.mark.parametrize("mode", ["channel", "sequence", "both"])
def test_input_scaling_standardizes_valid_steps_only(mode):
    scaling = InputScaling(2, mode)
    scaling.set_statistics([10.0, -5.0], [2.0, 0.0])  # a constant second channel
    X = torch.tensor([[[12.0, -5.0], [14.0, -5.0], [0.0, 0.0]]])
    lengths = torch.tensor([2])
    out = scaling(X, lengths, torch.tensor([[True, True, False]]))
    by_channel = torch.tensor([[[1.0, 0.0], [2.0, 0.0], [0.0, 0.0]]])
    # Each sequence alone: (12, 14) has mean 13 and std 1; the constant
    # channel is centred, not divided by zero.
    by_sequence = torch.tensor([[[-1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]])
    expected = {
        "channel": by_channel,
        "sequence": by_sequence,
        "both": torch.cat([by_channel, by_sequence], dim=2),
    }[mode]
    torch.testing.assert_close(out, expected)
    assert scaling.n_outputs == expected.shape[2]


@pytest.mark.parametrize("size", [1e20, 1e-10])
def test_sequence_scaling_standardizes_values_of_any_size(size):
    scaling = InputScaling(1, "sequence")
    mask = torch.tensor([[True, True, True, False]])
    # Squared in float32, deviations of 1e20 overflow; those of 1e-10 are far
    # below an absolute threshold of constancy.
    X = torch.tensor([[[-1.0], [0.0], [1.0], [0.0]]]) * size
    out = scaling(X, torch.tensor([3]), mask)
    torch.testing.assert_close(
        out.flatten(), torch.tensor([-(1.5**0.5), 0.0, 1.5**0.5, 0.0])
    )
    # A constant sequence, however large, is centred to zeros.
    constant = scaling(torch.full((1, 3, 1), 3e37), torch.tensor([3]), None)
    torch.testing.assert_close(constant, torch.zeros(1, 3, 1))


def test_channel_scaling_of_values_near_the_float32_limit_stays_finite():
    # (3e38 - 0) / 0.5 overflowed to infinity, and the recurrent layers gave NaN.
    scaling = InputScaling(1, "channel")
    scaling.set_statistics([0.0], [0.5])
    X = torch.tensor([[[3e38], [-3e38], [1.0]]])
    out = scaling(X, torch.tensor([3]), None)
    torch.testing.assert_close(out.flatten(), torch.tensor([1e6, -1e6, 2.0]))


@pytest.mark.parametrize("mode", list(INPUT_SCALINGS))
def test_every_input_scaling_gives_its_parts_side_by_side_zero_at_padding(mode):
    scaling = InputScaling(3, mode, mean=[1.0, -2.0, 0.5], scale=[2.0, 0.5, 3.0])
    assert scaling.n_outputs == 3 * len(INPUT_SCALINGS[mode])
    generator = torch.Generator().manual_seed(0)
    lengths = torch.tensor([2, 5, 4])
    mask = length_mask(lengths, 5)
    X = torch.randn(3, 5, 3, generator=generator)
    junk = X.clone()
    junk[~mask] = 1e3 * torch.randn(int((~mask).sum()), 3, generator=generator)
    out = scaling(junk, lengths, mask)
    assert out.shape == (3, 5, scaling.n_outputs)
    assert torch.all(out[~mask] == 0)
    assert torch.all(out[mask] != 0)
    # What the padding held changes nothing at the valid steps.
    torch.testing.assert_close(out, scaling(X, lengths, mask))


def test_input_scaling_statistics_given_to_the_constructor_equal_set_statistics():
    mean, scale = [1.0, -2.0], [4.0, 0.5]
    given = InputScaling(2, "channel", mean=mean, scale=scale)
    set_later = InputScaling(2, "channel")
    set_later.set_statistics(mean, scale)
    assert torch.equal(given.mean, torch.tensor(mean))
    assert torch.equal(given.scale, torch.tensor(scale))
    assert torch.equal(given.mean, set_later.mean)
    assert torch.equal(given.scale, set_later.scale)
    X = torch.randn(2, 3, 2)
    expected = (X - torch.tensor(mean)) / torch.tensor(scale)
    torch.testing.assert_close(given(X, torch.tensor([3, 3]), None), expected)


@pytest.mark.parametrize("std", [0.0, 1e-9])
def test_input_scaling_centres_a_constant_channel_without_dividing_it(std):
    scaling = InputScaling(2, "channel", mean=[3.0, 1.0], scale=[std, 2.0])
    assert torch.equal(scaling.scale, torch.tensor([1.0, 2.0]))
    X = torch.tensor([[[3.0, 1.0], [5.0, 5.0]]])
    out = scaling(X, torch.tensor([2]), None)
    torch.testing.assert_close(out, torch.tensor([[[0.0, 0.0], [2.0, 2.0]]]))


def test_token_embedding_gives_zeros_at_the_padding_id():
    torch.manual_seed(0)
    embedding = TokenEmbedding(10, 4)
    X = torch.tensor([[3, 7, 0, 0], [5, 1, 2, 9]])
    # Id 0 maps to zeros even where no mask says it is padding.
    out = embedding(X, torch.tensor([4, 4]), None)
    assert torch.all(out[0, 2:] == 0)
    assert torch.all(out[0, :2] != 0) and torch.all(out[1] != 0)
    # Padding that holds other ids is zeroed by the mask.
    lengths = torch.tensor([2, 4])
    junk = X.clone()
    junk[0, 2:] = torch.tensor([8, 4])
    torch.testing.assert_close(
        embedding(junk, lengths, length_mask(lengths, 4)), out, atol=0, rtol=0
    )


@pytest.mark.parametrize("freeze", [False, True])
def test_token_embedding_freeze_turns_off_gradients(freeze):
    embedding = TokenEmbedding(10, 4, freeze=freeze)
    assert embedding.embedding.weight.requires_grad is not freeze


def test_token_embedding_copies_the_given_weights():
    weights = torch.randn(10, 4)
    embedding = TokenEmbedding(10, 4, weights=weights)
    assert torch.equal(embedding.embedding.weight, weights)
    # A copy: the caller's tensor is not trained in place.
    assert embedding.embedding.weight.data_ptr() != weights.data_ptr()
    X = torch.tensor([[3, 7, 1]])
    torch.testing.assert_close(embedding(X, torch.tensor([3]), None), weights[X])


def test_token_embedding_dropout_acts_in_training_only():
    torch.manual_seed(0)
    embedding = TokenEmbedding(10, 8, dropout=0.5)
    X = torch.randint(1, 10, (4, 16))
    lengths = torch.tensor([16] * 4)
    vectors = embedding.embedding.weight[X].detach()
    evaluated = embedding.eval()(X, lengths, None)
    torch.testing.assert_close(evaluated, vectors)
    trained = embedding.train()(X, lengths, None).detach()
    dropped = trained == 0
    assert 0 < dropped.float().mean() < 1
    # Inverted dropout: the kept values are scaled by 1 / (1 - p).
    torch.testing.assert_close(trained[~dropped], 2 * vectors[~dropped])


def test_input_scaling_takes_mean_and_scale_each_on_its_own():
    X = torch.tensor([[[2.0, 4.0]]])
    lengths = torch.tensor([1])
    scale_only = InputScaling(2, "channel", scale=[2.0, 4.0])
    mean_only = InputScaling(2, "channel", mean=[1.0, 1.0])
    torch.testing.assert_close(
        scale_only(X, lengths, None), torch.tensor([[[1.0, 1.0]]])
    )
    torch.testing.assert_close(
        mean_only(X, lengths, None), torch.tensor([[[1.0, 3.0]]])
    )


@pytest.mark.parametrize("mode", ["sequence", "both"])
def test_causal_input_scaling_reads_each_sequence_so_far(mode):
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(1, 12, 2, generator=generator) * 1e20 + 3e20
    lengths = torch.tensor([12])
    scaling = InputScaling(2, mode, causal=True)
    out = scaling(X, lengths, None)
    # Each step's output is that of the prefix that ends there.
    for end in (1, 4, 9):
        prefix = scaling(X[:, :end], torch.tensor([end]), None)
        torch.testing.assert_close(prefix, out[:, :end])
    # An expanding window's mean and standard deviation, by hand.
    values = X[0].double()
    step = 6
    window = values[: step + 1]
    expected = (values[step] - window.mean(0)) / window.std(0, unbiased=False)
    torch.testing.assert_close(
        out[0, step, -2:].double(), expected, rtol=1e-4, atol=1e-5
    )
    # The first step, a channel constant so far, is centred: zero.
    assert torch.all(out[0, 0, -2:] == 0)
    assert torch.isfinite(out).all()

"""Masks of valid steps: length_mask, masked and reverse_within_length."""

import torch

from sklearn_rnn._nn import length_mask, masked, reverse_within_length


def test_length_mask_is_true_exactly_before_each_length():
    mask = length_mask(torch.tensor([1, 3, 4]), 4)
    expected = torch.tensor(
        [
            [True, False, False, False],
            [True, True, True, False],
            [True, True, True, True],
        ]
    )
    assert mask.dtype == torch.bool
    assert torch.equal(mask, expected)


def test_masked_zeroes_exactly_the_padded_steps():
    X = torch.rand(2, 4, 3) + 1.0  # no zero anywhere
    mask = length_mask(torch.tensor([2, 4]), 4)
    out = masked(X, mask)
    assert torch.equal(out[mask], X[mask])
    assert torch.all(out[~mask] == 0)
    # A new tensor: the input keeps its values.
    assert torch.all(X[~mask] != 0)


def test_masked_returns_the_batch_itself_without_a_mask():
    X = torch.randn(2, 4, 3)
    assert masked(X, None) is X


def test_reverse_within_length_reverses_valid_steps_and_keeps_padding_in_place():
    X = torch.arange(2 * 5 * 2, dtype=torch.float32).reshape(2, 5, 2)
    lengths = torch.tensor([3, 5])
    out = reverse_within_length(X, lengths)
    for i, length in enumerate(lengths.tolist()):
        assert torch.equal(out[i, :length], X[i, :length].flip(0))
        assert torch.equal(out[i, length:], X[i, length:])


def test_reverse_within_length_is_its_own_inverse():
    X = torch.randn(3, 6, 2)
    lengths = torch.tensor([1, 4, 6])
    once = reverse_within_length(X, lengths)
    assert not torch.equal(once, X)
    assert torch.equal(reverse_within_length(once, lengths), X)

"""Masks of valid steps, and the two operations that keep padding out of reach."""

import torch

__all__ = ["length_mask", "masked", "reverse_within_length"]


def length_mask(lengths, n_timesteps):
    """Boolean ``(batch, time)`` mask, True at valid steps."""
    steps = torch.arange(n_timesteps, device=lengths.device)
    return steps[None, :] < lengths[:, None]


def masked(X, mask):
    """``X`` (batch, time, channels) with the steps outside ``mask`` set to zero.

    ``mask`` is None for a batch without padding, which is returned as it is.
    """
    return X if mask is None else X.masked_fill(~mask[:, :, None], 0.0)


def reverse_within_length(X, lengths):
    """Reverse each sequence's valid steps in place of time; padding stays last.

    The permutation is its own inverse, so applying it to the outputs of a
    recurrent layer run on the reversed input puts them back in time order.
    """
    n_timesteps = X.shape[1]
    steps = torch.arange(n_timesteps, device=X.device)[None, :]
    last = (lengths - 1)[:, None]
    index = torch.where(steps <= last, last - steps, steps)
    return X.gather(1, index[:, :, None].expand_as(X))

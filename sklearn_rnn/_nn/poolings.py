"""Poolings: a sequence's per-step outputs to one vector, from valid steps only.

Each is built with ``(n_features, n_forward_features)`` (the width of the
outputs, and of the forward direction's part when they hold two directions,
else None) and maps ``(out, lengths, mask)`` to ``(batch, n_features)``.
``POOLINGS`` lists them by name.
"""

import torch
from torch import nn

from .masking import masked

__all__ = [
    "POOLINGS",
    "AttentionPooling",
    "LastPooling",
    "MaxPooling",
    "MeanPooling",
]


class LastPooling(nn.Module):
    """The output at the last valid step; the backward direction's at the first."""

    def __init__(self, n_features, n_forward_features):
        super().__init__()
        self.n_forward_features = n_forward_features

    def forward(self, out, lengths, mask):
        if mask is None:
            last = out[:, -1]
        else:
            batch = torch.arange(out.shape[0], device=out.device)
            last = out[batch, lengths - 1]
        n_forward = self.n_forward_features
        if n_forward is None:
            return last
        # The backward direction ends at the first step.
        return torch.cat([last[:, :n_forward], out[:, 0, n_forward:]], dim=1)


class MeanPooling(nn.Module):
    """The mean over valid steps."""

    def __init__(self, n_features, n_forward_features):
        super().__init__()

    def forward(self, out, lengths, mask):
        return masked(out, mask).sum(dim=1) / lengths[:, None].to(out.dtype)


class MaxPooling(nn.Module):
    """The maximum over valid steps."""

    def __init__(self, n_features, n_forward_features):
        super().__init__()

    def forward(self, out, lengths, mask):
        if mask is None:
            return out.amax(dim=1)
        return out.masked_fill(~mask[:, :, None], float("-inf")).amax(dim=1)


class AttentionPooling(nn.Module):
    """A weighted mean over valid steps, with weights a learned score's softmax."""

    def __init__(self, n_features, n_forward_features):
        super().__init__()
        self.score = nn.Linear(n_features, 1)

    def forward(self, out, lengths, mask):
        scores = self.score(out)
        if mask is not None:
            scores = scores.masked_fill(~mask[:, :, None], float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return (masked(out, mask) * weights).sum(dim=1)


POOLINGS = {
    "last": LastPooling,
    "mean": MeanPooling,
    "max": MaxPooling,
    "attention": AttentionPooling,
}

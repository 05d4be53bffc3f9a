"""What the first layer reads: numeric channels standardized, or token vectors.

An encoder takes the zero-padded batch, its lengths and the mask of valid
steps (None without padding) and returns ``(batch, time, n_outputs)``, zero at
padding. ``INPUT_SCALINGS`` lists the standardizations by name.
"""

import torch
from torch import nn

from .masking import masked

__all__ = ["INPUT_SCALINGS", "InputScaling", "TokenEmbedding"]

# Standardized values are clipped to this many standard deviations: further
# out they say nothing more, and near float32's largest value they overflowed
# to infinity, and the recurrent layers' sums to NaN.
_MAX_STANDARDIZED = 1e6
# Standard deviations below this are treated as a constant channel: centred,
# not divided (as StandardScaler does).
_CONSTANT_STD = 1e-6


def _channel_standardized(scaling, X, lengths, mask):
    """With each channel's mean and standard deviation over the training data,
    clipped to ``_MAX_STANDARDIZED``."""
    return ((X - scaling.mean) / scaling.scale).clamp(
        -_MAX_STANDARDIZED, _MAX_STANDARDIZED
    )


def _sequence_standardized(scaling, X, lengths, mask):
    """With each sequence's own statistics over its valid steps."""
    # Each sequence's channels divided by their largest magnitude first: sums
    # and squares of float32 values above ~1e19 overflow. So a channel is
    # constant when its spread is below 1e-6 of its magnitude, which float32
    # cannot resolve anyway.
    # Below the smallest normal number the magnitude counts as zero: predict
    # flushes subnormal numbers to zero, an ONNX runtime need not, and such a
    # value divided by itself would be 1.
    magnitude = X.abs().amax(dim=1, keepdim=True)
    X = X / torch.where(magnitude >= torch.finfo(X.dtype).tiny, magnitude, 1.0)
    counts = lengths.to(X.dtype)[:, None, None]
    # X is zero at padding, so plain sums are sums over valid steps.
    mean = X.sum(dim=1, keepdim=True) / counts
    centred = masked(X - mean, mask)
    std = (centred.square().sum(dim=1, keepdim=True) / counts).sqrt()
    return centred / torch.where(std < _CONSTANT_STD, 1.0, std)


def _running_standardized(scaling, X, lengths, mask):
    """With each sequence's statistics over its steps so far (an expanding
    window): each step's output reads no later step, as a causal model needs.
    """
    # In float64, taken relative to the sequence's first step: squares of
    # float32 values above ~1e19 overflow float32, and a running variance of
    # values on a large level would cancel to noise.
    dtype = X.dtype if X.device.type == "mps" else torch.float64  # no float64 on MPS
    shifted = X.to(dtype) - X[:, :1].to(dtype)
    counts = torch.arange(1, X.shape[1] + 1, device=X.device, dtype=dtype)
    counts = counts[None, :, None]
    mean = shifted.cumsum(dim=1) / counts
    spread = shifted.abs().cumsum(dim=1) / counts
    std = (shifted.square().cumsum(dim=1) / counts - mean.square()).clamp(min=0).sqrt()
    # A channel constant so far is centred and divided by its mean distance
    # from the first step (1 when that is zero): at most 2 in size.
    # A spread of subnormal inputs counts as zero, as in _sequence_standardized.
    negligible = spread < torch.finfo(X.dtype).tiny
    constant = (std <= _CONSTANT_STD * spread) | negligible
    scale = torch.where(constant, torch.where(negligible, 1.0, spread), std)
    return masked(((shifted - mean) / scale).to(X.dtype), mask)


# Each name's parts, concatenated along the channels in this order; a causal
# network reads the sequence's statistics so far instead of its whole own.
INPUT_SCALINGS = {
    "channel": (_channel_standardized,),
    "sequence": (_sequence_standardized,),
    "both": (_channel_standardized, _sequence_standardized),
}
_CAUSAL_PARTS = {_sequence_standardized: _running_standardized}


class InputScaling(nn.Module):
    """Standardize the input channels from valid steps only.

    Parameters
    ----------
    n_inputs : int
        Number of input channels.
    mode : {"channel", "sequence", "both"}
        "channel" uses a mean and standard deviation per channel of the
        training data; "sequence" z-normalizes each sequence with its own
        statistics; "both" gives both side by side, as ``2 * n_inputs``
        channels: the shape of each series and its level.
    mean, scale : array-like of shape (n_inputs,) or None, default=None
        The channel statistics of "channel" (None: 0 and 1).
    causal : bool, default=False
        Whether each step is standardized with its sequence's statistics up
        to that step (an expanding window) rather than over the whole
        sequence, so that no output reads a later step.
    """

    # Networks pickled before causal scaling existed read whole sequences.
    causal = False

    def __init__(self, n_inputs, mode, mean=None, scale=None, causal=False):
        super().__init__()
        self.mode = mode
        self.causal = causal
        self.register_buffer("mean", torch.zeros(n_inputs))
        self.register_buffer("scale", torch.ones(n_inputs))
        self.n_outputs = n_inputs * len(INPUT_SCALINGS[mode])
        self.set_statistics(
            torch.zeros(n_inputs) if mean is None else mean,
            torch.ones(n_inputs) if scale is None else scale,
        )

    @torch.no_grad()
    def set_statistics(self, mean, scale):
        """Set the per-channel mean and standard deviation of ``"channel"``."""
        scale = torch.as_tensor(scale, dtype=self.scale.dtype)
        self.mean.copy_(torch.as_tensor(mean, dtype=self.mean.dtype))
        self.scale.copy_(torch.where(scale < _CONSTANT_STD, 1.0, scale))

    def forward(self, X, lengths, mask):
        # Zeroing the padding also stops any gradient from reaching it.
        X = masked(X, mask)
        parts = INPUT_SCALINGS[self.mode]
        if self.causal:
            parts = [_CAUSAL_PARTS.get(part, part) for part in parts]
        parts = [part(self, X, lengths, mask) for part in parts]
        out = parts[0] if len(parts) == 1 else torch.cat(parts, dim=2)
        return masked(out, mask)


class TokenEmbedding(nn.Module):
    """Token ids to learned vectors, with dropout; id 0 is padding.

    Parameters
    ----------
    n_embeddings : int
        Number of token ids.
    embedding_dim : int
        Size of the vectors.
    dropout : float, default=0.0
        Dropout on the vectors in training.
    weights : tensor of shape (n_embeddings, embedding_dim) or None, default=None
        Initial vectors (pretrained); None draws them at random.
    freeze : bool, default=False
        Whether the vectors stay as initialized.
    """

    def __init__(
        self, n_embeddings, embedding_dim, dropout=0.0, weights=None, freeze=False
    ):
        super().__init__()
        self.embedding = nn.Embedding(n_embeddings, embedding_dim, padding_idx=0)
        if weights is not None:
            with torch.no_grad():
                self.embedding.weight.copy_(weights)
        self.embedding.weight.requires_grad_(not freeze)
        self.dropout = nn.Dropout(dropout)
        self.n_outputs = embedding_dim

    def forward(self, X, lengths, mask):
        X = self.embedding(X)
        if self.dropout.p:
            X = self.dropout(X)
        # Zeroing the padding also stops any gradient from reaching it.
        return masked(X, mask)

"""Convolutions over padded batches, with lengths and masks kept exact.

``ConvFrontEnd`` shortens sequences before the sequence model; ``ConvBranch``
is the fully convolutional branch of LSTM-FCN beside it. Both read zeros past
a sequence's end, as the sequence alone would, and normalize over valid steps.
"""

import itertools

import torch
from torch import nn

from .masking import length_mask

__all__ = ["ConvBranch", "ConvFrontEnd", "MaskedBatchNorm1d"]


class MaskedBatchNorm1d(nn.BatchNorm1d):
    """Batch normalization of ``(batch, channels, time)`` over valid steps only.

    In training, the batch statistics come from the valid steps alone, so the
    amount of padding in a batch does not shift them; in evaluation the
    running statistics make it an affine map per step. A training batch with a
    single valid step has no variance to normalize by; it is normalized with
    the running statistics, as in evaluation.
    """

    def forward(self, X, mask):
        if not self.training:
            return super().forward(X)
        if mask is None:
            return self._normalized(X, X.shape[0] * X.shape[2])
        valid = X.transpose(1, 2)[mask]  # (n_valid_steps, channels)
        out = X.new_zeros(X.shape[0], X.shape[2], X.shape[1])
        out[mask] = self._normalized(valid, valid.shape[0])
        return out.transpose(1, 2)

    def _normalized(self, X, n_steps):
        if n_steps > 1 or self.running_mean is None:
            return super().forward(X)
        return nn.functional.batch_norm(
            X,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            training=False,
            eps=self.eps,
        )


def _pad_to_kernel(X, kernel_size, padding):
    """Zero-pad the time axis of ``(batch, channels, time)`` to fit a kernel.

    A batch of short sequences may be narrower than a kernel; the zeros are what
    the sequences read past their end anyway.
    """
    missing = kernel_size - (X.shape[2] + 2 * padding)
    return nn.functional.pad(X, (0, missing)) if missing > 0 else X


class ConvFrontEnd(nn.Module):
    """1-D convolutions that shorten sequences, with lengths updated exactly.

    Each layer zero-pads ``(kernel_size - 1) // 2`` steps on both sides, as a
    sequence processed alone would be, and zeroes the outputs past the new
    length, so the next layer reads zeros there too. ``strides`` gives each
    layer's stride. With ``batch_norm``, each convolution is followed by batch
    normalization over valid steps. ``causal`` layers (stride 1) pad
    ``kernel_size - 1`` steps before the start instead, so that each output
    reads only its own and earlier steps.
    """

    def __init__(
        self, n_inputs, channels, kernel_size, strides, batch_norm=False, causal=False
    ):
        super().__init__()
        if causal and any(stride != 1 for stride in strides):
            raise ValueError(
                f"A causal front-end keeps every step: strides must be 1, got "
                f"{tuple(strides)}."
            )
        self.causal = causal
        self.padding = 0 if causal else (kernel_size - 1) // 2
        self.kernel_size = kernel_size
        sizes = [n_inputs, *channels]
        self.convs = nn.ModuleList(
            nn.Conv1d(n_in, n_out, kernel_size, stride=stride, padding=self.padding)
            for (n_in, n_out), stride in zip(
                itertools.pairwise(sizes), strides, strict=True
            )
        )
        self.norms = (
            nn.ModuleList(MaskedBatchNorm1d(n) for n in channels)
            if batch_norm
            else None
        )
        self.n_outputs = sizes[-1]

    def output_lengths(self, lengths, stride):
        """Lengths after a layer of ``stride``."""
        if self.causal:
            return lengths
        shortened = (lengths + 2 * self.padding - self.kernel_size) // stride + 1
        return shortened.clamp(min=1)

    def forward(self, X, lengths, mask):
        out = X.transpose(1, 2)
        for depth, conv in enumerate(self.convs):
            if self.causal:
                out = conv(nn.functional.pad(out, (self.kernel_size - 1, 0)))
            else:
                out = conv(_pad_to_kernel(out, self.kernel_size, self.padding))
            # Without padding in the batch, every length shortens alike and
            # stays equal to the width.
            if mask is not None:
                lengths = self.output_lengths(lengths, conv.stride[0])
                mask = length_mask(lengths, out.shape[2])
            else:
                lengths = torch.full_like(lengths, out.shape[2])
            if self.norms is not None:
                out = self.norms[depth](out, mask)
            out = torch.relu(out)
            if mask is not None:
                out = out.masked_fill(~mask[:, None, :], 0.0)
        return out.transpose(1, 2), lengths, mask


class ConvBranch(nn.Module):
    """The fully convolutional branch of LSTM-FCN, masked.

    Convolutions of stride 1 with "same" padding, each followed by batch
    normalization and ReLU, then the mean over each sequence's valid steps.
    """

    def __init__(self, n_inputs, channels, kernel_sizes):
        super().__init__()
        sizes = [n_inputs, *channels]
        self.convs = nn.ModuleList(
            nn.Conv1d(n_in, n_out, kernel_size)
            for (n_in, n_out), kernel_size in zip(
                itertools.pairwise(sizes), kernel_sizes, strict=True
            )
        )
        # "same" padding, done by hand: torch's copies and warns for even kernels.
        self.paddings = [
            ((kernel_size - 1) // 2, kernel_size // 2) for kernel_size in kernel_sizes
        ]
        self.norms = nn.ModuleList(MaskedBatchNorm1d(n) for n in channels)
        self.n_outputs = sizes[-1]

    def forward(self, X, lengths, mask):
        out = X.transpose(1, 2)
        for conv, norm, padding in zip(
            self.convs, self.norms, self.paddings, strict=True
        ):
            out = torch.relu(norm(conv(nn.functional.pad(out, padding)), mask))
            if mask is not None:
                out = out.masked_fill(~mask[:, None, :], 0.0)
        return out.sum(dim=2) / lengths[:, None].to(out.dtype)

"""The torch module: [conv front-end] -> recurrent stack -> masked pooling -> head.

It takes a zero- or NaN-padded batch ``X`` of shape ``(batch, time, channels)`` and
the true ``lengths``, and is exact: no output and no gradient depends on what
follows a sequence's last valid step. Padding is handled by masking rather than
``PackedSequence``, which measured 5-8x slower on CPU (see DESIGN.md):

* the forward direction is causal, so its outputs before a sequence's end never
  see the padding;
* the backward direction runs on each sequence reversed within its own length,
  which leaves the padding at the end, where it again cannot reach valid steps;
* pooling only reads valid steps.

It knows nothing of scikit-learn.
"""

import itertools

import torch
from torch import nn

__all__ = ["RecurrentNetwork"]

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
POOLINGS = ("last", "mean", "max", "attention")
INITS = ("default", "xavier", "orthogonal", "kaiming")


def length_mask(lengths, n_timesteps):
    """Boolean ``(batch, time)`` mask, True at valid steps."""
    steps = torch.arange(n_timesteps, device=lengths.device)
    return steps[None, :] < lengths[:, None]


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


class ConvFrontEnd(nn.Module):
    """1-D convolutions that shorten sequences, with lengths updated exactly.

    Each layer zero-pads ``(kernel_size - 1) // 2`` steps on both sides, as a
    sequence processed alone would be, and zeroes the outputs past the new
    length, so the next layer reads zeros there too.
    """

    def __init__(self, n_inputs, channels, kernel_size, stride):
        super().__init__()
        self.padding = (kernel_size - 1) // 2
        self.kernel_size = kernel_size
        self.stride = stride
        sizes = [n_inputs, *channels]
        self.convs = nn.ModuleList(
            nn.Conv1d(n_in, n_out, kernel_size, stride=stride, padding=self.padding)
            for n_in, n_out in itertools.pairwise(sizes)
        )
        self.n_outputs = sizes[-1]

    def forward(self, X, lengths):
        out = X.transpose(1, 2)
        for conv in self.convs:
            out = torch.relu(conv(out))
            lengths = (
                torch.div(
                    lengths + 2 * self.padding - self.kernel_size,
                    self.stride,
                    rounding_mode="floor",
                )
                + 1
            ).clamp(min=1)
            mask = length_mask(lengths, out.shape[2])
            out = out.masked_fill(~mask[:, None, :], 0.0)
        return out.transpose(1, 2), lengths


class RecurrentNetwork(nn.Module):
    """Recurrent network over padded batches of variable-length sequences.

    Parameters
    ----------
    n_inputs : int
        Number of input channels.
    n_outputs : int
        Number of outputs (classes or regression targets).
    cell : {"rnn", "lstm", "gru"}
        Recurrent cell.
    hidden_size : int
        Hidden units per direction and layer.
    num_layers : int
        Number of stacked recurrent layers.
    bidirectional : bool
        Whether each layer also reads the sequences backwards.
    nonlinearity : {"tanh", "relu"}
        Nonlinearity of the vanilla RNN cell; ignored by LSTM and GRU.
    dropout : float
        Dropout between stacked recurrent layers.
    pooling : {"last", "mean", "max", "attention"}
        How the per-step outputs become one vector per sequence.
    head_hidden_sizes : tuple of int
        Hidden layers of the ReLU MLP after pooling.
    init : {"default", "xavier", "orthogonal", "kaiming"}
        Weight initialization of the recurrent layers.
    conv_channels : tuple of int
        Output channels of the convolutional front-end layers; empty for none.
    conv_kernel_size, conv_stride : int
        Kernel size and stride of every front-end layer.
    """

    def __init__(
        self,
        n_inputs,
        n_outputs,
        *,
        cell="lstm",
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        nonlinearity="tanh",
        dropout=0.0,
        pooling="last",
        head_hidden_sizes=(),
        init="default",
        conv_channels=(),
        conv_kernel_size=5,
        conv_stride=2,
    ):
        super().__init__()
        self.pooling = pooling
        self.bidirectional = bidirectional
        self.front_end = (
            ConvFrontEnd(n_inputs, conv_channels, conv_kernel_size, conv_stride)
            if conv_channels
            else None
        )
        n_recurrent_inputs = self.front_end.n_outputs if self.front_end else n_inputs
        cell_kwargs = {"nonlinearity": nonlinearity} if cell == "rnn" else {}

        def make(n_in, layers, layer_dropout):
            return CELLS[cell](
                n_in,
                hidden_size,
                num_layers=layers,
                batch_first=True,
                dropout=layer_dropout,
                **cell_kwargs,
            )

        if bidirectional:
            # One module per layer and direction: the backward direction needs
            # its input reversed within each sequence's length, layer by layer.
            sizes = [n_recurrent_inputs] + [2 * hidden_size] * (num_layers - 1)
            self.forward_layers = nn.ModuleList(make(n, 1, 0.0) for n in sizes)
            self.backward_layers = nn.ModuleList(make(n, 1, 0.0) for n in sizes)
            self.between_layers = nn.Dropout(dropout)
        else:
            # torch warns about dropout with a single layer, where it does nothing.
            self.forward_layers = nn.ModuleList(
                [
                    make(
                        n_recurrent_inputs,
                        num_layers,
                        dropout if num_layers > 1 else 0.0,
                    )
                ]
            )
        n_features = hidden_size * (2 if bidirectional else 1)
        if pooling == "attention":
            self.attention = nn.Linear(n_features, 1)
        head = []
        for size in head_hidden_sizes:
            head += [nn.Linear(n_features, size), nn.ReLU()]
            n_features = size
        head.append(nn.Linear(n_features, n_outputs))
        self.head = nn.Sequential(*head)
        self._initialize(init)

    def _initialize(self, init):
        if init == "default":
            return
        for name, weight in self.named_parameters():
            if not name.startswith(("forward_layers", "backward_layers")):
                continue
            if "bias" in name:
                nn.init.zeros_(weight)
            elif init == "xavier":
                nn.init.xavier_uniform_(weight)
            elif init == "kaiming":
                nn.init.kaiming_uniform_(weight, nonlinearity="relu")
            elif "weight_hh" in name:  # orthogonal
                nn.init.orthogonal_(weight)
            else:
                nn.init.xavier_uniform_(weight)

    def _recurrent(self, X, lengths):
        if not self.bidirectional:
            return self.forward_layers[0](X)[0], None
        out = X
        for depth, (forward, backward) in enumerate(
            zip(self.forward_layers, self.backward_layers, strict=True)
        ):
            if depth:
                out = self.between_layers(out)
            forward_out = forward(out)[0]
            backward_out = reverse_within_length(
                backward(reverse_within_length(out, lengths))[0], lengths
            )
            out = torch.cat([forward_out, backward_out], dim=2)
        return out, forward_out.shape[2]

    def _pool(self, out, lengths, n_forward):
        batch = torch.arange(out.shape[0], device=out.device)
        if self.pooling == "last":
            last = out[batch, lengths - 1]
            if n_forward is None:
                return last
            # The backward direction ends at the first step.
            return torch.cat([last[:, :n_forward], out[:, 0, n_forward:]], dim=1)
        mask = length_mask(lengths, out.shape[1])[:, :, None]
        if self.pooling == "mean":
            total = torch.where(mask, out, 0.0).sum(dim=1)
            return total / lengths[:, None].to(out.dtype)
        if self.pooling == "max":
            return out.masked_fill(~mask, float("-inf")).amax(dim=1)
        scores = self.attention(out).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return (torch.where(mask, out, 0.0) * weights).sum(dim=1)

    def __setstate__(self, state):
        super().__setstate__(state)
        # Unpickled straight onto a GPU (as skorch does), each recurrent
        # layer's weights lie apart, and cuDNN would copy them at every call.
        for module in self.modules():
            if isinstance(module, nn.RNNBase):
                module.flatten_parameters()

    def train(self, mode=True):
        """Set training mode; a no-op when the network is in that mode already.

        skorch sets the mode before every batch, and walking the submodules to
        set it costs ~80 us per batch. Submodules follow the network's mode
        unless set apart by hand.
        """
        if self.training == mode:
            return self
        return super().train(mode)

    def forward(self, X, lengths):
        """Outputs of shape ``(batch, n_outputs)`` for padded ``X``."""
        lengths = lengths.to(X.device)
        # Zeroing the padding also stops any gradient from reaching it.
        mask = length_mask(lengths, X.shape[1])
        X = X.masked_fill(~mask[:, :, None], 0.0)
        if self.front_end is not None:
            X, lengths = self.front_end(X, lengths)
        out, n_forward = self._recurrent(X, lengths)
        return self.head(self._pool(out, lengths, n_forward))

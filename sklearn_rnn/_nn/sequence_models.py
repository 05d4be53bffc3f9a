"""Sequence models: what reads the steps in order and gives an output per step.

Each takes ``(n_inputs, *, hidden_size, num_layers, bidirectional, dropout,
nonlinearity)``, reads ``(X, lengths, mask)`` and returns
``(batch, time, n_outputs)``; ``n_forward_outputs`` is the width of the
forward direction's part when the outputs hold two directions (None
otherwise), ``initialize_weights`` applies a key of ``INITS``,
``set_dropout`` changes its dropout rates and ``onnx_exportable`` says
whether torch's exporter can trace it.
``SEQUENCE_MODELS`` lists them by cell name.
"""

import functools
import math

import torch
from torch import nn

from .masking import reverse_within_length

__all__ = ["INITS", "SEQUENCE_MODELS", "MaskedTransformer", "RecurrentStack"]

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def _xavier(name, weight):
    nn.init.xavier_uniform_(weight)


def _orthogonal(name, weight):
    # Orthogonal recurrent weights keep gradients' norm through time.
    if "weight_hh" in name:
        nn.init.orthogonal_(weight)
    else:
        nn.init.xavier_uniform_(weight)


def _kaiming(name, weight):
    nn.init.kaiming_uniform_(weight, nonlinearity="relu")


# Initializations of recurrent weights (biases are zeroed); None keeps torch's.
INITS = {
    "default": None,
    "xavier": _xavier,
    "orthogonal": _orthogonal,
    "kaiming": _kaiming,
}


class RecurrentStack(nn.Module):
    """Stacked recurrent layers reading one or both directions, exact under padding.

    The forward direction is causal, so its outputs before a sequence's end
    never see the padding; the backward direction runs on each sequence
    reversed within its own length, which leaves the padding at the end,
    where it again cannot reach valid steps. Padding is masked this way
    rather than with ``PackedSequence``, which measured 5-8x slower on CPU.

    Parameters
    ----------
    n_inputs : int
        Input channels.
    hidden_size : int
        Hidden units per layer and direction.
    num_layers : int
        Stacked layers.
    bidirectional : bool
        Whether each layer also reads the sequences backwards.
    dropout : float
        Dropout between stacked layers.
    nonlinearity : {"tanh", "relu"}, default="tanh"
        Nonlinearity of ``cell="rnn"``.
    cell : {"rnn", "lstm", "gru"}, default="lstm"
        The torch layer: ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU``.
    """

    onnx_exportable = True

    def __init__(
        self,
        n_inputs,
        *,
        hidden_size,
        num_layers,
        bidirectional,
        dropout,
        nonlinearity="tanh",
        cell="lstm",
    ):
        super().__init__()
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
            sizes = [n_inputs] + [2 * hidden_size] * (num_layers - 1)
            self.forward_layers = nn.ModuleList(make(n, 1, 0.0) for n in sizes)
            self.backward_layers = nn.ModuleList(make(n, 1, 0.0) for n in sizes)
        else:
            # torch warns about dropout with a single layer, where it does nothing.
            layer_dropout = dropout if num_layers > 1 else 0.0
            self.forward_layers = nn.ModuleList(
                [make(n_inputs, num_layers, layer_dropout)]
            )
            self.backward_layers = None
        self.between_layers = nn.Dropout(dropout)
        self.n_outputs = hidden_size * (2 if bidirectional else 1)
        self.n_forward_outputs = hidden_size if bidirectional else None

    def initialize_weights(self, init):
        """Initialize the recurrent weights as ``INITS[init]``, biases to zero."""
        init = INITS[init]
        if init is None:
            return
        for name, weight in self.named_parameters():
            if "bias" in name:
                nn.init.zeros_(weight)
            else:
                init(name, weight)

    def set_dropout(self, p):
        """Set the dropout between layers."""
        self.between_layers.p = p
        for layer in self.forward_layers:
            if layer.num_layers > 1:
                layer.dropout = p

    def forward(self, X, lengths, mask):
        if self.backward_layers is None:
            return self.forward_layers[0](X)[0]
        out = X
        for depth, (forward, backward) in enumerate(
            zip(self.forward_layers, self.backward_layers, strict=True)
        ):
            # Skipped when off: even a dropout of zero costs ~5% of a training
            # step on small batches (in the backward pass).
            if depth and self.between_layers.p:
                out = self.between_layers(out)
            forward_out = forward(out)[0]
            backward_out = reverse_within_length(
                backward(reverse_within_length(out, lengths))[0], lengths
            )
            out = torch.cat([forward_out, backward_out], dim=2)
        return out


def _positions(n_timesteps, size, device):
    """Sinusoidal position encodings of shape (n_timesteps, size)."""
    position = torch.arange(n_timesteps, device=device, dtype=torch.float32)[:, None]
    frequency = torch.exp(
        torch.arange(0, size, 2, device=device, dtype=torch.float32)
        * (-math.log(10000.0) / size)
    )
    encoding = torch.zeros(n_timesteps, size, device=device)
    encoding[:, 0::2] = torch.sin(position * frequency)
    encoding[:, 1::2] = torch.cos(position * frequency[: size // 2])
    return encoding


class MaskedTransformer(nn.Module):
    """A self-attention encoder that the padding cannot reach.

    The inputs are projected to ``hidden_size`` channels and given sinusoidal
    position encodings (positions count from each sequence's start, so
    padding after the end moves nothing); padded steps are masked as keys.
    Without ``bidirectional`` each step attends to itself and earlier steps
    only, as a one-directional recurrent layer reads. Attention sees both
    sides itself, so the output has ``hidden_size`` channels either way.

    Parameters
    ----------
    n_inputs : int
        Input channels.
    hidden_size : int
        Width of the encoder; 4 heads when divisible by 4, else 1.
    num_layers : int
        Encoder layers.
    bidirectional : bool
        Whether a step attends to later steps too.
    dropout : float
        Dropout inside the encoder layers.
    nonlinearity : str
        The option of the recurrent cells, not used here.
    """

    onnx_exportable = False  # the exporter fixes its attention's sizes
    n_forward_outputs = None

    def __init__(
        self,
        n_inputs,
        *,
        hidden_size,
        num_layers,
        bidirectional,
        dropout,
        nonlinearity="tanh",
    ):
        super().__init__()
        self.size = hidden_size
        self.causal = not bidirectional
        self.projection = nn.Linear(n_inputs, hidden_size)
        layer = nn.TransformerEncoderLayer(
            hidden_size,
            nhead=4 if hidden_size % 4 == 0 else 1,
            dim_feedforward=2 * hidden_size,
            dropout=dropout,
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False
        )

    @property
    def n_outputs(self):
        return self.size

    def initialize_weights(self, init):
        """Keep torch's initialization: ``init`` is for recurrent weights."""

    def set_dropout(self, p):
        """Set every dropout of the encoder layers, attention's included."""
        for module in self.encoder.modules():
            if isinstance(module, nn.Dropout):
                module.p = p
            elif isinstance(module, nn.MultiheadAttention):
                module.dropout = p

    def forward(self, X, lengths, mask):
        n_timesteps = X.shape[1]
        out = self.projection(X) + _positions(n_timesteps, self.size, X.device)
        causal = None
        if self.causal:  # True where a step would read a later one
            causal = torch.ones(
                n_timesteps, n_timesteps, dtype=torch.bool, device=X.device
            ).triu(diagonal=1)
        return self.encoder(
            out,
            mask=causal,
            src_key_padding_mask=None if mask is None else ~mask,
            is_causal=self.causal,
        )


SEQUENCE_MODELS = {
    **{
        cell: functools.partial(RecurrentStack, cell=cell)
        for cell in ("rnn", "lstm", "gru")
    },
    "transformer": MaskedTransformer,
}

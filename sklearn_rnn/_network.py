"""The torch module: [embedding | input scaling] -> [conv front-end] ->
recurrent stack -> masked pooling [+ convolutional branch] -> MLP head.

It takes a zero-padded batch ``X`` of shape ``(batch, time, channels)`` (or of
token ids, ``(batch, time)``, with an embedding) and the true ``lengths``, and
is exact: no output and no gradient depends on what
follows a sequence's last valid step. Padding is handled by masking rather than
``PackedSequence``, which measured 5-8x slower on CPU:

* the forward direction is causal, so its outputs before a sequence's end never
  see the padding;
* the backward direction runs on each sequence reversed within its own length,
  which leaves the padding at the end, where it again cannot reach valid steps;
* convolutions read zeros past a sequence's end, as the sequence alone would;
* scaling statistics, batch normalization and pooling only read valid steps.

It knows nothing of scikit-learn.
"""

import itertools
import math

import torch
from torch import nn

__all__ = ["RecurrentNetwork"]

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU, "transformer": None}
POOLINGS = ("last", "mean", "max", "attention")
INITS = ("default", "xavier", "orthogonal", "kaiming")
INPUT_SCALINGS = ("channel", "sequence", "both")

# Standard deviations below this are treated as a constant channel: centred,
# not divided (as StandardScaler does).
_CONSTANT_STD = 1e-6


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


def _masked(X, mask):
    """``X`` with the steps outside ``mask`` (batch, time) set to zero."""
    return X if mask is None else X.masked_fill(~mask[:, :, None], 0.0)


class InputScaling(nn.Module):
    """Standardize the input channels from valid steps only.

    ``"channel"`` uses a mean and standard deviation per channel learned from the
    training data (set with :meth:`set_statistics`); ``"sequence"`` z-normalizes
    each sequence with its own statistics; ``"both"`` gives both, side by side,
    as ``2 * n_channels`` channels: the shape of each series and its level.
    """

    def __init__(self, n_inputs, mode):
        super().__init__()
        self.mode = mode
        self.register_buffer("mean", torch.zeros(n_inputs))
        self.register_buffer("scale", torch.ones(n_inputs))
        self.n_outputs = n_inputs * (2 if mode == "both" else 1)

    @torch.no_grad()
    def set_statistics(self, mean, scale):
        """Set the per-channel mean and standard deviation of ``"channel"``."""
        scale = torch.as_tensor(scale, dtype=self.scale.dtype)
        self.mean.copy_(torch.as_tensor(mean, dtype=self.mean.dtype))
        self.scale.copy_(torch.where(scale < _CONSTANT_STD, 1.0, scale))

    def forward(self, X, lengths, mask):
        parts = []
        if self.mode in ("channel", "both"):
            parts.append((X - self.mean) / self.scale)
        if self.mode in ("sequence", "both"):
            # Each sequence's channels divided by their largest magnitude
            # first: sums and squares of float32 values above ~1e19 overflow.
            # So a channel is constant when its spread is below 1e-6 of its
            # magnitude, which float32 cannot resolve anyway.
            magnitude = X.abs().amax(dim=1, keepdim=True)
            X = X / torch.where(magnitude > 0, magnitude, 1.0)
            counts = lengths.to(X.dtype)[:, None, None]
            # X is zero at padding, so plain sums are sums over valid steps.
            mean = X.sum(dim=1, keepdim=True) / counts
            centred = _masked(X - mean, mask)
            std = (centred.square().sum(dim=1, keepdim=True) / counts).sqrt()
            parts.append(centred / torch.where(std < _CONSTANT_STD, 1.0, std))
        out = parts[0] if len(parts) == 1 else torch.cat(parts, dim=2)
        return _masked(out, mask)


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

    The inputs are projected to ``size`` channels and given sinusoidal
    position encodings (positions count from each sequence's start, so
    padding after the end moves nothing); padded steps are masked as keys.
    ``causal`` lets each step attend to itself and earlier steps only, as a
    one-directional recurrent layer reads.
    """

    def __init__(self, n_inputs, size, num_layers, dropout, causal):
        super().__init__()
        self.size = size
        self.causal = causal
        self.projection = nn.Linear(n_inputs, size)
        layer = nn.TransformerEncoderLayer(
            size,
            nhead=4 if size % 4 == 0 else 1,
            dim_feedforward=2 * size,
            dropout=dropout,
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False
        )

    def forward(self, X, mask):
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


class RecurrentNetwork(nn.Module):
    """Recurrent network over padded batches of variable-length sequences.

    Parameters
    ----------
    n_inputs : int
        Number of input channels.
    n_outputs : int
        Number of outputs (classes or regression targets).
    cell : {"rnn", "lstm", "gru", "transformer"}
        Recurrent cell, or a self-attention encoder (:class:`MaskedTransformer`
        of ``hidden_size`` channels and ``num_layers`` layers, causal unless
        ``bidirectional``).
    hidden_size : int
        Hidden units per direction and layer.
    num_layers : int
        Number of stacked recurrent layers.
    bidirectional : bool
        Whether each layer also reads the sequences backwards.
    nonlinearity : {"tanh", "relu"}
        Nonlinearity of the vanilla RNN cell; ignored by LSTM and GRU.
    dropout : float
        Dropout on the outputs of every recurrent layer (between stacked layers
        and before pooling).
    pooling : {"last", "mean", "max", "attention"}
        How the per-step outputs become one vector per sequence.
    head_hidden_sizes : tuple of int
        Hidden layers of the ReLU MLP after pooling.
    init : {"default", "xavier", "orthogonal", "kaiming"}
        Weight initialization of the recurrent layers.
    input_scaling : {"channel", "sequence", "both"} or None
        Standardization of the inputs (see :class:`InputScaling`); the channel
        statistics are set with ``input_scaling_.set_statistics``.
    conv_channels : tuple of int
        Output channels of the convolutional front-end layers; empty for none.
    conv_kernel_size : int
        Kernel size of every front-end layer.
    conv_stride : int or tuple of int
        Stride of every front-end layer, or of each.
    conv_batch_norm : bool
        Whether each front-end convolution is followed by batch normalization
        (over valid steps).
    branch_channels : tuple of int
        Output channels of a fully convolutional branch beside the recurrent
        one (LSTM-FCN); empty for none.
    branch_kernel_sizes : tuple of int
        Kernel size of each branch layer.
    n_embeddings : int or None
        With an embedding, the number of token ids (the input is ids, and
        ``n_inputs`` is ignored); None for numeric input.
    embedding_dim : int or None
        Size of the token vectors.
    embedding_dropout : float
        Dropout on the token vectors.
    embedding_weights : tensor of shape (n_embeddings, embedding_dim) or None
        Initial token vectors (pretrained); None draws them at random.
    freeze_embedding : bool
        Whether the token vectors stay as initialized.
    per_step : bool
        Whether the head reads every step's recurrent output, giving outputs
        of shape ``(batch, time, n_outputs)`` (zero past each sequence's end),
        instead of the pooled vector. The front-end must keep the length
        (strides of 1, odd kernels) and there is no branch; without
        ``bidirectional`` its convolutions are causal, so that no step's
        output reads a later step (as next-token models need).
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
        input_scaling=None,
        conv_channels=(),
        conv_kernel_size=5,
        conv_stride=2,
        conv_batch_norm=False,
        branch_channels=(),
        branch_kernel_sizes=(),
        n_embeddings=None,
        embedding_dim=None,
        embedding_dropout=0.0,
        embedding_weights=None,
        freeze_embedding=False,
        per_step=False,
    ):
        super().__init__()
        self.pooling = pooling
        self.per_step = per_step
        self.bidirectional = bidirectional
        self.embedding = None
        if n_embeddings is not None:
            # Token ids are not scaled: the vectors they map to are learned.
            n_inputs, input_scaling = embedding_dim, None
            self.embedding = nn.Embedding(n_embeddings, embedding_dim, padding_idx=0)
            if embedding_weights is not None:
                with torch.no_grad():
                    self.embedding.weight.copy_(embedding_weights)
            self.embedding.weight.requires_grad_(not freeze_embedding)
            self.embedding_dropout = nn.Dropout(embedding_dropout)
        self.input_scaling_ = (
            InputScaling(n_inputs, input_scaling) if input_scaling else None
        )
        n_scaled = self.input_scaling_.n_outputs if input_scaling else n_inputs
        strides = (
            (conv_stride,) * len(conv_channels)
            if isinstance(conv_stride, int)
            else conv_stride
        )
        self.front_end = (
            ConvFrontEnd(
                n_scaled,
                conv_channels,
                conv_kernel_size,
                strides,
                conv_batch_norm,
                # Per-step outputs of one direction must not read later steps.
                causal=per_step and not bidirectional,
            )
            if conv_channels
            else None
        )
        self.branch = (
            ConvBranch(n_scaled, branch_channels, branch_kernel_sizes)
            if branch_channels
            else None
        )
        n_recurrent_inputs = self.front_end.n_outputs if self.front_end else n_scaled
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

        self.transformer = None
        if cell == "transformer":
            self.transformer = MaskedTransformer(
                n_recurrent_inputs, hidden_size, num_layers, dropout, not bidirectional
            )
            self.forward_layers = nn.ModuleList()
            # Attention sees both sides itself: one output of hidden_size.
            bidirectional = self.bidirectional = False
        elif bidirectional:
            # One module per layer and direction: the backward direction needs
            # its input reversed within each sequence's length, layer by layer.
            sizes = [n_recurrent_inputs] + [2 * hidden_size] * (num_layers - 1)
            self.forward_layers = nn.ModuleList(make(n, 1, 0.0) for n in sizes)
            self.backward_layers = nn.ModuleList(make(n, 1, 0.0) for n in sizes)
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
        # Dropout on the last layer's outputs too, so that it acts with one layer.
        self.between_layers = nn.Dropout(dropout)
        n_features = hidden_size * (2 if bidirectional else 1)
        if pooling == "attention":
            self.attention = nn.Linear(n_features, 1)
        if self.branch is not None:
            n_features += self.branch.n_outputs
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

    def _dropout(self, out):
        # Skipped when off: even a dropout of zero costs ~5% of an LSTM's
        # training step on small batches (in the backward pass).
        return self.between_layers(out) if self.between_layers.p else out

    def _recurrent(self, X, lengths, mask):
        if self.transformer is not None:
            return self._dropout(self.transformer(X, mask)), None
        if not self.bidirectional:
            return self._dropout(self.forward_layers[0](X)[0]), None
        out = X
        for depth, (forward, backward) in enumerate(
            zip(self.forward_layers, self.backward_layers, strict=True)
        ):
            if depth:
                out = self._dropout(out)
            forward_out = forward(out)[0]
            backward_out = reverse_within_length(
                backward(reverse_within_length(out, lengths))[0], lengths
            )
            out = torch.cat([forward_out, backward_out], dim=2)
        return self._dropout(out), forward_out.shape[2]

    def _pool(self, out, lengths, n_forward, mask):
        if self.pooling == "last":
            if mask is None:
                last = out[:, -1]
            else:
                batch = torch.arange(out.shape[0], device=out.device)
                last = out[batch, lengths - 1]
            if n_forward is None:
                return last
            # The backward direction ends at the first step.
            return torch.cat([last[:, :n_forward], out[:, 0, n_forward:]], dim=1)
        if self.pooling == "mean":
            return _masked(out, mask).sum(dim=1) / lengths[:, None].to(out.dtype)
        if self.pooling == "max":
            if mask is None:
                return out.amax(dim=1)
            return out.masked_fill(~mask[:, :, None], float("-inf")).amax(dim=1)
        scores = self.attention(out)
        if mask is not None:
            scores = scores.masked_fill(~mask[:, :, None], float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return (_masked(out, mask) * weights).sum(dim=1)

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

    def forward(self, X, lengths, *, always_mask=False):
        """Outputs of shape ``(batch, n_outputs)`` for padded ``X``, or
        ``(batch, time, n_outputs)`` per step, zero after each sequence's end.

        ``always_mask`` as in :meth:`embed`.
        """
        if not self.per_step:
            return self.head(self.embed(X, lengths, always_mask=always_mask))
        out, mask = self._step_features(X, lengths, always_mask)
        return _masked(self.head(out), mask)

    def _inputs(self, X, lengths, always_mask):
        """The batch as the first layer reads it: embedded or scaled, zero at
        padding; with the lengths on its device and the mask of valid steps
        (None when the batch holds no padding)."""
        has_padding = always_mask or int(lengths.min()) < X.shape[1]
        lengths = lengths.to(X.device)
        mask = length_mask(lengths, X.shape[1]) if has_padding else None
        if self.embedding is not None:
            X = self.embedding(X)
            if self.embedding_dropout.p:
                X = self.embedding_dropout(X)
        # Zeroing the padding also stops any gradient from reaching it.
        X = _masked(X, mask)
        if self.input_scaling_ is not None:
            X = self.input_scaling_(X, lengths, mask)
        return X, lengths, mask

    def _step_features(self, X, lengths, always_mask=False):
        """Recurrent outputs of every step, with the mask of valid steps."""
        X, lengths, mask = self._inputs(X, lengths, always_mask)
        if self.front_end is not None:
            X, lengths, mask = self.front_end(X, lengths, mask)
        return self._recurrent(X, lengths, mask)[0], mask

    def embed(self, X, lengths, *, always_mask=False):
        """Each sequence's pooled representation, the input of the head.

        ``lengths`` may stay on the CPU: a batch without padding (every length
        equal to its width, the common case of fixed-length data) is then told
        apart without waiting for the device, and skips all masking.
        ``always_mask`` masks whatever the batch holds, as a traced graph
        (ONNX) must, since it cannot branch on the data.
        """
        X, lengths, mask = self._inputs(X, lengths, always_mask)
        features = []
        if self.branch is not None:
            features.append(self.branch(X, lengths, mask))
        if self.front_end is not None:
            X, lengths, mask = self.front_end(X, lengths, mask)
        out, n_forward = self._recurrent(X, lengths, mask)
        features.insert(0, self._pool(out, lengths, n_forward, mask))
        return features[0] if len(features) == 1 else torch.cat(features, dim=1)

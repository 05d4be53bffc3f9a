"""RecurrentNetwork: the stages assembled, in the order a batch flows through them.

encoder (token embedding | input scaling) -> [convolutional front-end] ->
sequence model -> pooling [+ convolutional branch] -> MLP head.
"""

import torch
from torch import nn

from .convolutions import ConvBranch, ConvFrontEnd
from .encoders import InputScaling, TokenEmbedding
from .masking import length_mask, masked
from .poolings import POOLINGS
from .sequence_models import SEQUENCE_MODELS, RecurrentStack

__all__ = ["RecurrentNetwork"]

# State-dict prefixes of version 0.1.0, which kept every stage on the network.
_LEGACY_PREFIXES = {
    "embedding.": "encoder.embedding.",
    "input_scaling_.": "encoder.",
    "forward_layers.": "sequence_model.forward_layers.",
    "backward_layers.": "sequence_model.backward_layers.",
    "transformer.": "sequence_model.",
    "attention.": "pooling.score.",
}


class RecurrentNetwork(nn.Module):
    """Recurrent network over padded batches of variable-length sequences.

    It takes a zero-padded batch ``X`` of shape ``(batch, time, channels)``
    (or of token ids, ``(batch, time)``, with an embedding) and the true
    ``lengths``, and is exact: no output and no gradient depends on what
    follows a sequence's last valid step. Each stage keeps it so: the
    sequence models' directions never read past an end, convolutions read
    zeros there as the sequence alone would, and scaling statistics, batch
    normalization and pooling read valid steps only.

    Parameters
    ----------
    n_inputs : int
        Number of input channels.
    n_outputs : int
        Number of outputs (classes or regression targets).
    cell : {"rnn", "lstm", "gru", "transformer"}
        A key of ``SEQUENCE_MODELS``: a recurrent stack of that cell, or a
        self-attention encoder (:class:`MaskedTransformer` of ``hidden_size``
        channels and ``num_layers`` layers, causal unless ``bidirectional``).
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
        A key of ``POOLINGS``: how the per-step outputs become one vector per
        sequence.
    head_hidden_sizes : tuple of int
        Hidden layers of the ReLU MLP after pooling.
    init : {"default", "xavier", "orthogonal", "kaiming"}
        Weight initialization of the recurrent layers.
    input_scaling : {"channel", "sequence", "both"} or None
        Standardization of the inputs (see :class:`InputScaling`).
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
    input_mean, input_scale : array-like of shape (n_inputs,) or None
        The channels' mean and standard deviation over the training data,
        for ``input_scaling`` "channel" and "both" (None: 0 and 1).
    """

    # Version 2 groups the layers into stages; state dicts of version 1
    # (sklearn_rnn 0.1.0) are read with their keys renamed.
    _version = 2

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
        input_mean=None,
        input_scale=None,
    ):
        super().__init__()
        self.per_step = per_step
        # Per-step outputs of one direction must not read later steps.
        causal = per_step and not bidirectional
        if n_embeddings is not None:
            # Token ids are not scaled: the vectors they map to are learned.
            self.encoder = TokenEmbedding(
                n_embeddings,
                embedding_dim,
                embedding_dropout,
                embedding_weights,
                freeze_embedding,
            )
        elif input_scaling:
            self.encoder = InputScaling(
                n_inputs, input_scaling, input_mean, input_scale, causal=causal
            )
        else:
            self.encoder = None
        n_features = n_inputs if self.encoder is None else self.encoder.n_outputs
        if isinstance(conv_stride, int):
            conv_stride = (conv_stride,) * len(conv_channels)
        self.front_end = None
        if conv_channels:
            self.front_end = ConvFrontEnd(
                n_features,
                conv_channels,
                conv_kernel_size,
                conv_stride,
                conv_batch_norm,
                causal=causal,
            )
        self.branch = None
        if branch_channels:
            self.branch = ConvBranch(n_features, branch_channels, branch_kernel_sizes)
        self.sequence_model = SEQUENCE_MODELS[cell](
            self.front_end.n_outputs if self.front_end else n_features,
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout,
            nonlinearity=nonlinearity,
        )
        # Dropout on the last layer's outputs too, so that it acts with one layer.
        self.dropout = nn.Dropout(dropout)
        n_features = self.sequence_model.n_outputs
        self.pooling = POOLINGS[pooling](
            n_features, self.sequence_model.n_forward_outputs
        )
        if self.branch is not None:
            n_features += self.branch.n_outputs
        self.head = _mlp(n_features, head_hidden_sizes, n_outputs)
        # Last: the random draws that build the other stages stay the same
        # whatever the initialization.
        self.sequence_model.initialize_weights(init)

    @property
    def reads_token_ids(self):
        """Whether the input is token ids rather than numeric channels."""
        return isinstance(self.encoder, TokenEmbedding)

    @property
    def onnx_exportable(self):
        """Whether torch's ONNX exporter can trace the sequence model."""
        return self.sequence_model.onnx_exportable

    def set_dropout(self, p, embedding_p=None):
        """Set the dropout rates: ``p`` of the sequence model and its outputs,
        ``embedding_p`` of the token vectors (None leaves it)."""
        self.dropout.p = p
        self.sequence_model.set_dropout(p)
        if embedding_p is not None and self.reads_token_ids:
            self.encoder.dropout.p = embedding_p

    @property
    def n_outputs(self):
        """The number of outputs (per sequence, or per step)."""
        return self.head[-1].out_features

    @torch.no_grad()
    def rescale_outputs(self, scale, shift):
        """Change the output layer so that it gives ``scale * output + shift``.

        ``scale`` and ``shift`` have one value per output.
        """
        output = self.head[-1]
        scale = torch.as_tensor(scale, dtype=output.weight.dtype)
        shift = torch.as_tensor(shift, dtype=output.bias.dtype)
        output.weight.mul_(scale.to(output.weight.device)[:, None])
        output.bias.mul_(scale.to(output.bias.device)).add_(
            shift.to(output.bias.device)
        )

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
        X, lengths, mask = self._inputs(X, lengths, always_mask)
        if self.front_end is not None:
            X, lengths, mask = self.front_end(X, lengths, mask)
        return masked(self.head(self._sequence_outputs(X, lengths, mask)), mask)

    @staticmethod
    def combine(outputs, nonlinearity=None):
        """The network's prediction from its ``outputs``: after
        ``nonlinearity`` (the same interface as an ensemble's)."""
        return outputs if nonlinearity is None else nonlinearity(outputs)

    def embed(self, X, lengths, *, always_mask=False):
        """Each sequence's pooled representation, the input of the head.

        ``lengths`` may stay on the CPU: a batch without padding (every length
        equal to its width, the common case of fixed-length data) is then told
        apart without waiting for the device, and skips all masking.
        ``always_mask`` masks whatever the batch holds, as a traced graph
        (ONNX) must, since it cannot branch on the data.
        """
        X, lengths, mask = self._inputs(X, lengths, always_mask)
        branch = None if self.branch is None else self.branch(X, lengths, mask)
        if self.front_end is not None:
            X, lengths, mask = self.front_end(X, lengths, mask)
        pooled = self.pooling(self._sequence_outputs(X, lengths, mask), lengths, mask)
        return pooled if branch is None else torch.cat([pooled, branch], dim=1)

    def _inputs(self, X, lengths, always_mask):
        """The batch as the first layer reads it: encoded, zero at padding;
        with the lengths on its device and the mask of valid steps (None when
        the batch holds no padding)."""
        has_padding = always_mask or int(lengths.min()) < X.shape[1]
        lengths = lengths.to(X.device)
        mask = length_mask(lengths, X.shape[1]) if has_padding else None
        # Encoders zero the padding, which also stops any gradient from
        # reaching it.
        if self.encoder is None:
            return masked(X, mask), lengths, mask
        return self.encoder(X, lengths, mask), lengths, mask

    def _sequence_outputs(self, X, lengths, mask):
        out = self.sequence_model(X, lengths, mask)
        # Skipped when off: even a dropout of zero costs ~5% of an LSTM's
        # training step on small batches (in the backward pass).
        return self.dropout(out) if self.dropout.p else out

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, *args):
        # As torch's own modules do, a state dict without a version is read as
        # the first one.
        if local_metadata.get("version", 1) < 2:
            for key in [key for key in state_dict if key.startswith(prefix)]:
                name = key[len(prefix) :]
                for old, new in _LEGACY_PREFIXES.items():
                    if name.startswith(old):
                        renamed = prefix + new + name[len(old) :]
                        state_dict[renamed] = state_dict.pop(key)
                        break
        super()._load_from_state_dict(state_dict, prefix, local_metadata, *args)

    def __setstate__(self, state):
        if "forward_layers" in state["_modules"]:
            state = _from_legacy_layout(state)
        super().__setstate__(state)
        # Unpickled straight onto a GPU (as skorch does), each recurrent
        # layer's weights lie apart, and cuDNN would copy them at every call.
        for module in self.modules():
            if isinstance(module, nn.RNNBase):
                module.flatten_parameters()


def _mlp(n_inputs, hidden_sizes, n_outputs):
    """Linear layers with ReLU between them."""
    layers = []
    for size in hidden_sizes:
        layers += [nn.Linear(n_inputs, size), nn.ReLU()]
        n_inputs = size
    return nn.Sequential(*layers, nn.Linear(n_inputs, n_outputs))


def _assembled(cls, modules, training, **attributes):
    """An instance of the module class ``cls`` made of existing parts, without
    running ``__init__`` (which would draw new weights)."""
    instance = cls.__new__(cls)
    nn.Module.__init__(instance)
    instance.training = training
    for name, value in {**modules, **attributes}.items():
        setattr(instance, name, value)
    return instance


def _from_legacy_layout(state):
    """The pickled state of a version 0.1.0 network, in today's layout.

    That version held every stage on the network itself; its parts are
    regrouped into the stages, the weights untouched.
    """
    # A stage that was None was a plain attribute, not a registered module.
    old = {**state, **state["_modules"]}
    training = state["training"]
    if old.get("embedding") is not None:
        encoder = _assembled(
            TokenEmbedding,
            {"embedding": old["embedding"], "dropout": old["embedding_dropout"]},
            training,
            n_outputs=old["embedding"].embedding_dim,
        )
    else:
        encoder = old["input_scaling_"]
    if old.get("transformer") is not None:
        sequence_model = old["transformer"]
        n_forward = None
    else:
        forward_layers = old["forward_layers"]
        backward_layers = old.get("backward_layers")
        hidden_size = forward_layers[0].hidden_size
        n_forward = hidden_size if backward_layers is not None else None
        sequence_model = _assembled(
            RecurrentStack,
            {
                "forward_layers": forward_layers,
                "backward_layers": backward_layers,
                "between_layers": nn.Dropout(old["between_layers"].p).train(training),
            },
            training,
            n_outputs=hidden_size * (1 if n_forward is None else 2),
            n_forward_outputs=n_forward,
        )
    pooling_class = POOLINGS[state["pooling"]]
    pooling_parts = {"score": old["attention"]} if "attention" in old else {}
    pooling = _assembled(pooling_class, pooling_parts, training)
    if state["pooling"] == "last":
        pooling.n_forward_features = n_forward
    modules = {
        "encoder": encoder,
        "front_end": old["front_end"],
        "branch": old["branch"],
        "sequence_model": sequence_model,
        "dropout": old["between_layers"],
        "pooling": pooling,
        "head": old["head"],
    }
    legacy = {"pooling", "bidirectional", "embedding", "transformer", "input_scaling_"}
    state = {
        key: value for key, value in state.items() if key not in legacy | set(modules)
    }
    state["_modules"] = modules
    return state

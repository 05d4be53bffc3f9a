"""Flat hyperparameters -> the network's keyword arguments.

The parameters in ``ARCHITECTURE`` define the network: a warm start or
``partial_fit`` cannot change them. The others are applied at every call.
"""

import math
from numbers import Integral

import numpy as np

__all__ = [
    "ARCHITECTURE",
    "architecture_changes",
    "architecture_params",
    "auto_conv_strides",
    "network_arguments",
    "to_tuple",
]

ARCHITECTURE = (
    "cell",
    "hidden_size",
    "num_layers",
    "bidirectional",
    "nonlinearity",
    "pooling",
    "head_hidden_sizes",
    "init",
    "input_scaling",
    "conv_channels",
    "conv_kernel_size",
    "conv_stride",
    "conv_batch_norm",
    "branch_channels",
    "branch_kernel_sizes",
    "embedding_dim",
    "freeze_embedding",
    "per_step",
    "device",
)
# conv_stride="auto" shortens sequences to at most this many recurrent steps:
# chosen by cross-validation with the one-cycle budget (with a constant rate
# and 150 epochs, 200 had been best).
_AUTO_STEPS = 100


def to_tuple(sizes, name=None):
    """``sizes`` (None, an int or a sequence of them) as a tuple of positive ints.

    With ``name``, anything else is a ValueError that names the parameter.
    """
    if sizes is None:
        return ()
    if isinstance(sizes, Integral):
        sizes = (sizes,)
    sizes = tuple(sizes)
    if name is not None and not all(
        isinstance(size, Integral) and not isinstance(size, bool) and size >= 1
        for size in sizes
    ):
        raise ValueError(
            f"{name} must be a positive integer or a sequence of them, got {sizes!r}."
        )
    return tuple(int(size) for size in sizes)


def auto_conv_strides(max_length, n_layers, max_steps=_AUTO_STEPS):
    """Strides of ``n_layers`` layers that leave at most ``max_steps`` steps.

    The smallest product of strides that does, spread as evenly as it goes
    (the first layers take the larger ones): with 100 steps at most, 100
    steps give (1, 1, 1), 150 give (2, 1, 1), 1460 give (3, 3, 2).
    Recurrent layers cost time per step, so shorter is faster, but too short
    loses what the convolutions cannot summarize.
    """
    strides = [1] * n_layers
    while max_length / math.prod(strides) > max_steps:
        strides[strides.index(min(strides))] += 1
    return tuple(strides)


def architecture_params(params):
    """The parameters in ``params`` that define the network, each in one form:
    layer sizes and strides as tuples (a list, an array or, for sizes, an int
    of the same is no change), the device as its name."""

    def normalized(name, value):
        if name == "device":
            return str(value)
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, (list, tuple)) or (
            isinstance(value, Integral) and name.endswith(("_channels", "_sizes"))
        ):
            return to_tuple(value, name)
        return value

    return {
        name: normalized(name, value)
        for name, value in params.items()
        if name in ARCHITECTURE
    }


def architecture_changes(fitted, now):
    """A sentence naming what changed from ``fitted`` to ``now``, or None."""
    changed = [
        f"{name} from {old!r} to {now[name]!r}"
        for name, old in fitted.items()
        if now[name] != old
    ]
    return ", ".join(changed) or None


def _conv_strides(conv_stride, conv_channels, lengths, layout):
    if not conv_channels:
        return ()
    if isinstance(conv_stride, str):  # "auto"
        return layout.auto_conv_strides(int(lengths.max()), len(conv_channels))
    if isinstance(conv_stride, Integral):
        return (int(conv_stride),) * len(conv_channels)
    strides = to_tuple(conv_stride, "conv_stride")
    if len(strides) != len(conv_channels):
        raise ValueError(
            f"conv_stride={conv_stride!r} must give one stride for each of the "
            f"{len(conv_channels)} layers of conv_channels={conv_channels!r}."
        )
    return strides


def network_arguments(estimator, lengths, inputs, layout, panel):
    """The network's keyword arguments from the estimator's parameters, with
    ``"auto"`` resolved for the kind of input and of target, and for a panel
    (see ``InputKind.is_panel``)."""
    conv_channels = inputs.resolve("conv_channels", estimator.conv_channels, panel)
    conv_channels = to_tuple(conv_channels, "conv_channels")
    conv_stride = _conv_strides(estimator.conv_stride, conv_channels, lengths, layout)
    branch_channels = to_tuple(estimator.branch_channels, "branch_channels")
    branch_kernel_sizes = to_tuple(estimator.branch_kernel_sizes, "branch_kernel_sizes")
    if branch_channels and len(branch_kernel_sizes) != len(branch_channels):
        raise ValueError(
            f"branch_kernel_sizes={estimator.branch_kernel_sizes!r} must give one "
            f"kernel size per layer of branch_channels={estimator.branch_channels!r}."
        )
    layout.check_network(
        conv_channels, conv_stride, estimator.conv_kernel_size, branch_channels
    )
    return {
        "cell": estimator.cell,
        "hidden_size": estimator.hidden_size,
        "num_layers": estimator.num_layers,
        "bidirectional": estimator.bidirectional,
        "nonlinearity": estimator.nonlinearity,
        "dropout": inputs.resolve("dropout", estimator.dropout),
        "pooling": estimator.pooling,
        "head_hidden_sizes": to_tuple(estimator.head_hidden_sizes, "head_hidden_sizes"),
        "init": estimator.init,
        "input_scaling": (
            layout.auto_input_scaling(estimator.bidirectional)
            if estimator.input_scaling == "auto"
            else estimator.input_scaling
        ),
        "conv_channels": conv_channels,
        "conv_kernel_size": estimator.conv_kernel_size,
        "conv_stride": conv_stride,
        "conv_batch_norm": estimator.conv_batch_norm,
        "branch_channels": branch_channels,
        "branch_kernel_sizes": branch_kernel_sizes,
        "per_step": layout.per_step,
    }

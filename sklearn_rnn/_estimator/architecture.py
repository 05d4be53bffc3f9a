"""Flat hyperparameters -> the network's keyword arguments.

The parameters in ``ARCHITECTURE`` define the network: a warm start or
``partial_fit`` cannot change them. The others are applied at every call.
"""

from numbers import Integral

import numpy as np

__all__ = [
    "ARCHITECTURE",
    "architecture_changes",
    "architecture_params",
    "conv_strides",
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
    "n_estimators",
    "embedding_dim",
    "freeze_embedding",
    "per_step",
    "device",
)


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


def conv_strides(conv_stride, conv_channels):
    """The strides of a given ``conv_stride`` (an int or one per layer) for
    the layers of ``conv_channels``; none without a front-end."""
    if not conv_channels:
        return ()
    if isinstance(conv_stride, Integral):
        return (int(conv_stride),) * len(conv_channels)
    strides = to_tuple(conv_stride, "conv_stride")
    if len(strides) != len(conv_channels):
        raise ValueError(
            f"conv_stride={conv_stride!r} must give one stride for each of the "
            f"{len(conv_channels)} layers of conv_channels={conv_channels!r}."
        )
    return strides


def network_arguments(estimator, settings, layout):
    """The network's keyword arguments from the estimator's parameters and
    the fit's resolved ``settings``, checked against the target ``layout``."""
    branch_channels = to_tuple(estimator.branch_channels, "branch_channels")
    branch_kernel_sizes = to_tuple(estimator.branch_kernel_sizes, "branch_kernel_sizes")
    if branch_channels and len(branch_kernel_sizes) != len(branch_channels):
        raise ValueError(
            f"branch_kernel_sizes={estimator.branch_kernel_sizes!r} must give one "
            f"kernel size per layer of branch_channels={estimator.branch_channels!r}."
        )
    layout.check_network(
        settings.conv_channels,
        settings.conv_stride,
        estimator.conv_kernel_size,
        branch_channels,
    )
    return {
        "cell": settings.cell,
        "hidden_size": estimator.hidden_size,
        "num_layers": estimator.num_layers,
        "bidirectional": estimator.bidirectional,
        "nonlinearity": estimator.nonlinearity,
        "dropout": settings.dropout,
        "pooling": estimator.pooling,
        "head_hidden_sizes": to_tuple(estimator.head_hidden_sizes, "head_hidden_sizes"),
        "init": estimator.init,
        "input_scaling": settings.input_scaling,
        "conv_channels": settings.conv_channels,
        "conv_kernel_size": estimator.conv_kernel_size,
        "conv_stride": settings.conv_stride,
        "conv_batch_norm": settings.conv_batch_norm,
        "branch_channels": branch_channels,
        "branch_kernel_sizes": branch_kernel_sizes,
        "per_step": layout.per_step,
    }

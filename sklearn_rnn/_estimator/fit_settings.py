"""Every "auto" value of the estimators, resolved once per fit.

A rule is a short function per parameter that reads the fit's
:class:`FitContext` (the estimator's type, the input kind, the target layout,
a summary of the data and the callbacks) and the values resolved before it;
its docstring's first line is the rule and its reason, which the docs list.
:func:`resolve_fit_settings` applies them in the order of ``AUTO_RULES`` and
returns a frozen :class:`FitSettings`, which ``fit`` sets as
``fit_settings_``. Changing a default changes this module only.
"""

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch

from .._training import resolve_device, split_problem
from .architecture import conv_strides, to_tuple

__all__ = [
    "ARCHITECTURE_SETTINGS",
    "AUTO_RULES",
    "FitContext",
    "FitSettings",
    "StepBudget",
    "auto_batch_size",
    "auto_conv_strides",
    "auto_rule_table",
    "auto_validation_fraction",
    "early_stopping_from",
    "is_short_panel",
    "resolve_fit_settings",
]


@dataclass(frozen=True)
class FitContext:
    """What the "auto" rules read of one fit.

    Attributes
    ----------
    estimator_type : {"classifier", "regressor"}
    input_kind : {"numeric", "tokens"}
    per_step : bool
        One target per step.
    bidirectional : bool
    n_sequences : int
        The sequences of ``X`` (given validation data not counted).
    max_length : int
        The longest of them.
    panel : bool
        Short multichannel sequences with one target each (``is_short_panel``).
    schedules_the_rate : bool
        The user's callbacks hold a learning-rate scheduler.
    incremental : bool
        ``partial_fit``: one epoch, no hold-out.
    validation_given : bool
        ``X_val`` and ``y_val`` are given.
    stratification : ndarray or None
        The labels that stratify the hold-out (None: a random split).
    """

    estimator_type: str
    input_kind: str
    per_step: bool
    bidirectional: bool
    n_sequences: int
    max_length: int
    panel: bool
    schedules_the_rate: bool
    incremental: bool
    validation_given: bool
    stratification: Any = None


@dataclass(frozen=True)
class FitSettings:
    """The values one fit used for the parameters that take "auto".

    Set as ``fit_settings_`` by ``fit`` and ``partial_fit``: every value as the
    fit resolved it, whether given or "auto". ``early_stopping`` is whether the
    fit held out data; ``max_epochs`` the epochs it allowed; ``conv_channels``,
    ``conv_stride`` and ``input_scaling`` those of the network (which later
    calls continue).
    """

    device: str
    cell: str
    lr: float
    lr_schedule: str
    dropout: float
    embedding_dropout: float
    conv_channels: tuple
    conv_stride: tuple
    conv_batch_norm: bool
    input_scaling: Any
    validation_fraction: float
    early_stopping: bool
    linear_path: bool
    n_iter_no_change: Any
    batch_size: int
    max_epochs: int

    def as_dict(self):
        """The settings as a dict, in the order they are resolved."""
        return asdict(self)


class StepBudget:
    """A training budget in optimizer steps, as a number of epochs.

    Epochs cost what their batches cost, and what a network learns goes with
    its optimizer steps: a fixed number of epochs gives tiny data too few
    steps and large data more than they need. ``max_epochs="auto"`` trains
    about ``steps`` optimizer steps, in whole epochs, at least ``min_epochs``
    and at most ``max_epochs`` of them.

    Parameters
    ----------
    steps : int
        Optimizer steps to aim for.
    min_epochs, max_epochs : int
        Bounds on the number of epochs.
    """

    def __init__(self, steps, min_epochs, max_epochs):
        self.steps = steps
        self.min_epochs = min_epochs
        self.max_epochs = max_epochs

    def epochs(self, batches_per_epoch):
        """The epochs of about ``steps`` steps, within the bounds."""
        epochs = math.ceil(self.steps / batches_per_epoch)
        return int(np.clip(epochs, self.min_epochs, self.max_epochs))

    def __repr__(self):
        return (
            f"StepBudget(steps={self.steps}, min_epochs={self.min_epochs}, "
            f"max_epochs={self.max_epochs})"
        )


# -- the rules ----------------------------------------------------------------
# Each reads the context and the values resolved before it, in AUTO_RULES'
# order. Numbers are chosen on public data; docs/defaults.md has the studies.

# A panel's sequences are shorter than the window of the default front-end
# (three layers of kernel 5 read 13 steps).
PANEL_LENGTH = 13


def is_short_panel(X, lengths, per_step):
    """Whether the training input ``X`` is a short panel: several channels
    over a median of fewer than 13 steps, one target each (a few periods of
    several variables per entity)."""
    return (
        not per_step
        and X.ndim == 3
        and X.shape[2] > 1
        and np.median(lengths) < PANEL_LENGTH
    )


def _device(context, resolved):
    """CUDA when torch sees a GPU, else the CPU."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def _cell(context, resolved):
    """The LSTM for numeric sequences with one target each (on the UCR suite's
    training splits as accurate as the GRU or more, and 2.4 times faster on
    torch's oneDNN path); the GRU for token ids, one target per step and
    short panels (their recipes were chosen with it)."""
    if context.input_kind == "tokens" or context.per_step or context.panel:
        return "gru"
    return "lstm"


def _lr(context, resolved):
    """3e-3, the one-cycle peak (numeric sequences) and the best constant rate
    of the reviews (token ids)."""
    return 3e-3


def _lr_schedule(context, resolved):
    """One cycle for numeric sequences (the suite's best recipe), constant for
    token ids (the best epoch comes within a few), and constant beside a
    scheduler among the callbacks (two schedules would fight)."""
    if context.schedules_the_rate or context.input_kind == "tokens":
        return "constant"
    return "one_cycle"


def _dropout(context, resolved):
    """0.5 for token ids (an embedding table overfits 4000 texts within a few
    epochs; dropout slows that), else none."""
    return 0.5 if context.input_kind == "tokens" else 0.0


def _embedding_dropout(context, resolved):
    """0.5 for token ids, as ``dropout``."""
    return 0.5 if context.input_kind == "tokens" else 0.0


def _conv_channels(context, resolved):
    """Three layers of 32 channels for numeric sequences; none for short
    panels (the front-end read mostly padding: 0.02-0.04 CV AUC lost on three
    of four public panels) and token ids (0.03-0.04 accuracy lost)."""
    if context.input_kind == "tokens" or context.panel:
        return ()
    return (32, 32, 32)


# conv_stride="auto" shortens sequences to at most this many recurrent steps:
# chosen by cross-validation with the one-cycle budget.
AUTO_RECURRENT_STEPS = 100


def auto_conv_strides(max_length, n_layers, max_steps=AUTO_RECURRENT_STEPS):
    """Strides of ``n_layers`` layers that leave at most ``max_steps`` steps.

    The smallest product of strides that does, spread as evenly as it goes
    (the first layers take the larger ones): with 100 steps at most, 100
    steps give (1, 1, 1), 150 give (2, 1, 1), 1460 give (3, 3, 2).
    """
    strides = [1] * n_layers
    while max_length / math.prod(strides) > max_steps:
        strides[strides.index(min(strides))] += 1
    return tuple(strides)


def _conv_stride(context, resolved):
    """Strides that leave at most 100 recurrent steps (recurrent layers cost
    time per step); 1 with one target per step, which needs every step."""
    n_layers = len(resolved["conv_channels"])
    if context.per_step or not n_layers:
        return (1,) * n_layers
    return auto_conv_strides(context.max_length, n_layers)


def _conv_batch_norm(context, resolved):
    """Batch normalization after each front-end convolution for numeric
    sequences with one target each (as the FCN's; on the UCR suite's
    training splits it helped most where many classes have few series); none
    with one target per step (its recipe was chosen without)."""
    return bool(resolved["conv_channels"]) and not context.per_step


def _input_scaling(context, resolved):
    """Each channel's and each sequence's statistics ("both"); a causal tagger
    the channels' only (the sequence's are future steps; 3-fold CV found them
    no help beside the channels')."""
    return "channel" if context.per_step and not context.bidirectional else "both"


def _validation_fraction(context, resolved):
    """A tenth held out; a fifth for regressors (a tenth of small data chose
    the stopping epoch and the shrinkage by chance)."""
    return auto_validation_fraction(context.estimator_type)


def auto_validation_fraction(estimator_type):
    """``validation_fraction="auto"`` of an estimator of ``estimator_type``."""
    return 0.2 if estimator_type == "regressor" else 0.1


def early_stopping_from(estimator_type, input_kind="numeric", panel=False):
    """From how many sequences ``early_stopping="auto"`` holds out data, or
    None for never."""
    if input_kind == "tokens":
        return 1000
    if estimator_type == "regressor":
        return 20
    return 100 if panel else None


def _early_stopping(context, resolved):
    """Hold out data from 1000 token sequences (an embedding table trains past
    its best epoch), 20 sequences for regressors (noisy targets get fitted)
    and 100 for short panels; never for other classifiers (tiny data cannot
    spare a stratified split), nor where the split is impossible."""
    minimum = early_stopping_from(
        context.estimator_type, context.input_kind, context.panel
    )
    if minimum is None or context.n_sequences < minimum:
        return False
    return _split_problem(context, resolved) is None


def _linear_path(context, resolved):
    """A ridge regression on the resampled series beside a regressor's network
    of numeric sequences with one target each, where data are held out to
    weigh the two (a linear model of the values beat the network on spectra;
    the hold-out gives it no weight where it does not help)."""
    return _linear_path_problem(context, resolved) is None


def _linear_path_problem(context, resolved):
    """Why a fit cannot have a linear path, or None."""
    if context.estimator_type != "regressor":
        return "only a regressor has one"
    if context.input_kind == "tokens" or context.per_step:
        return (
            "it reads numeric sequences with one target each, not token ids or "
            "one target per step"
        )
    if not resolved["early_stopping"]:
        return (
            "it is weighed on held-out data: set early_stopping=True or pass X_val "
            "and y_val"
        )
    return None


def _n_iter_no_change(context, resolved):
    """20 epochs without improvement; no stopping on the training loss under a
    one-cycle budget (its first epochs, at a low rate, can stay flat longer
    than any patience)."""
    if resolved["lr_schedule"] == "one_cycle" and not resolved["early_stopping"]:
        return None
    return 20


def _batch_size(context, resolved):
    """About eight batches an epoch, of 16 to 64 sequences (small data need
    several optimizer steps an epoch)."""
    return auto_batch_size(context.n_sequences)


def auto_batch_size(n_sequences):
    """``batch_size="auto"`` for ``n_sequences``."""
    return int(np.clip(n_sequences // 8, 16, 64))


def _max_epochs(context, resolved):
    """About 600 optimizer steps, in 20 to 150 epochs, for numeric sequences
    (what a network learns goes with its steps); 150 epochs for token ids."""
    if context.input_kind == "tokens":
        return 150
    return StepBudget(steps=600, min_epochs=20, max_epochs=150)


# The order of resolution: a rule reads the values resolved before it.
AUTO_RULES = {
    "device": _device,
    "cell": _cell,
    "lr": _lr,
    "lr_schedule": _lr_schedule,
    "dropout": _dropout,
    "embedding_dropout": _embedding_dropout,
    "conv_channels": _conv_channels,
    "conv_stride": _conv_stride,
    "conv_batch_norm": _conv_batch_norm,
    "input_scaling": _input_scaling,
    "validation_fraction": _validation_fraction,
    "early_stopping": _early_stopping,
    "linear_path": _linear_path,
    "n_iter_no_change": _n_iter_no_change,
    "batch_size": _batch_size,
    "max_epochs": _max_epochs,
}

# The values a continued network keeps from the fit that built it.
ARCHITECTURE_SETTINGS = (
    "cell",
    "conv_channels",
    "conv_stride",
    "conv_batch_norm",
    "input_scaling",
)


def auto_rule_table():
    """(parameter, rule) pairs: each rule's first docstring paragraph."""
    return [
        (name, " ".join(rule.__doc__.split("\n\n")[0].split()))
        for name, rule in AUTO_RULES.items()
    ]


# -- resolution -----------------------------------------------------------------


def _split_problem(context, resolved):
    return split_problem(
        context.n_sequences, resolved["validation_fraction"], context.stratification
    )


def _holds_out(context, resolved, value):
    """Whether ``early_stopping=value`` holds out data: always for given
    validation data, never in ``partial_fit``."""
    if context.validation_given:
        return True
    if context.incremental or value is False:
        return False
    if value == "auto":
        return _early_stopping(context, resolved)
    problem = _split_problem(context, resolved)
    if problem is not None:
        raise ValueError(
            f"early_stopping=True holds out validation_fraction="
            f"{resolved['validation_fraction']} of the training data, but {problem}"
        )
    return True


def _epochs(context, resolved, max_epochs):
    """``max_epochs`` as a number: a step budget over the batches of the
    sequences left to train on."""
    if not isinstance(max_epochs, StepBudget):
        return max_epochs
    n_training = context.n_sequences
    if resolved["early_stopping"] and not context.validation_given:
        n_training -= math.ceil(resolved["validation_fraction"] * n_training)
    return max_epochs.epochs(math.ceil(n_training / resolved["batch_size"]))


def resolve_fit_settings(params, context, fitted=None):
    """The :class:`FitSettings` of a fit with parameters ``params``.

    Parameters
    ----------
    params : dict
        The estimator's parameters.
    context : FitContext
        What the rules read.
    fitted : FitSettings or dict, default=None
        The settings of the network being continued: its architecture stays.
    """
    resolved = {}
    for name, rule in AUTO_RULES.items():
        # A parameter the estimator does not have (a classifier's linear
        # path) resolves as "auto": to what it does without it.
        value = params.get(name, "auto")
        is_auto = isinstance(value, str) and value == "auto"
        if fitted is not None and name in ARCHITECTURE_SETTINGS:
            resolved[name] = fitted[name]
        elif name == "early_stopping":
            resolved[name] = _holds_out(context, resolved, value)
        elif is_auto:
            resolved[name] = rule(context, resolved)
        else:
            resolved[name] = _given(name, value, context, resolved)
    resolved["device"] = resolve_device(resolved["device"])
    resolved["max_epochs"] = _epochs(context, resolved, resolved["max_epochs"])
    if context.input_kind == "tokens":
        resolved["input_scaling"] = None  # token vectors are learned, not scaled
    return FitSettings(**resolved)


def _given(name, value, context, resolved):
    """A given value in the form the settings hold."""
    if name == "conv_channels":
        return to_tuple(value, "conv_channels")
    if name == "conv_stride":
        return conv_strides(value, resolved["conv_channels"])
    if name == "linear_path" and value:
        # partial_fit holds nothing out: it keeps the weights fit chose.
        problem = _linear_path_problem(context, resolved)
        if problem is not None and not context.incremental:
            raise ValueError(f"linear_path=True, but {problem}.")
        return problem is None
    return value

"""skorch and torch glue, knowing no estimator: the net and its optimizer,
callbacks, the hold-out split, continuation, and torch's process state."""

from .callbacks import RaiseOnNonFiniteLoss, schedules_the_rate, training_callbacks
from .continuation import continued_net
from .distributed import process_group
from .learning_check import learning_check
from .net import (
    OPTIMIZERS,
    SequenceNet,
    batch_outputs,
    build_net,
    draw_seed,
    softmax,
    training_parameters,
)
from .split import split_problem, training_datasets
from .torch_state import resolve_device, seed_torch, torch_state

__all__ = [
    "OPTIMIZERS",
    "RaiseOnNonFiniteLoss",
    "SequenceNet",
    "batch_outputs",
    "build_net",
    "continued_net",
    "draw_seed",
    "learning_check",
    "process_group",
    "resolve_device",
    "schedules_the_rate",
    "seed_torch",
    "softmax",
    "split_problem",
    "torch_state",
    "training_callbacks",
    "training_datasets",
    "training_parameters",
]

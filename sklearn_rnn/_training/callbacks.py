"""The skorch callbacks that the training parameters make."""

import copy
import math

import torch
from skorch.callbacks import (
    Callback,
    EarlyStopping,
    GradientNormClipping,
    LRScheduler,
    ProgressBar,
)

from .distributed import AverageLossOverProcesses

__all__ = ["RaiseOnNonFiniteLoss", "schedules_the_rate", "training_callbacks"]

# lr_schedule="plateau": halve the learning rate after this many epochs without
# a lower training loss.
_PLATEAU_FACTOR = 0.5
_PLATEAU_PATIENCE = 5


class RaiseOnNonFiniteLoss(Callback):
    """Stop training with a clear error once an epoch's loss is NaN or infinite.

    Checked once per epoch: the epoch's mean loss is not finite when any of its
    batches' was, and a check per batch cost ~30 us each.
    """

    def on_epoch_end(self, net, **kwargs):
        loss = net.history[-1, "train_loss"]
        # The loss is measured before each step: the last step of an epoch
        # can make the weights non-finite while the loss was finite.
        weights_finite = all(
            torch.isfinite(parameter).all() for parameter in net.module_.parameters()
        )
        if not (math.isfinite(loss) and weights_finite):
            became = (
                f"the loss became {loss}"
                if weights_finite
                else ("the network's weights became NaN or infinite")
            )
            raise FloatingPointError(
                f"Training diverged: {became} in epoch {len(net.history)}. "
                "Lower `lr`, set `clip_grad_norm`, or scale the inputs (for "
                "example with SequenceScaler)."
            )


def schedules_the_rate(callbacks):
    """Whether the user's ``callbacks`` hold a learning-rate scheduler."""
    return any(
        isinstance(item[1] if isinstance(item, tuple) else item, LRScheduler)
        for item in callbacks or []
    )


def _lr_schedule(name, max_epochs, lr):
    """The callback of ``lr_schedule=name``, or None for "constant".

    Each schedule spans the epochs of one call and starts from its beginning
    on a warm start (skorch would resume it at the epoch count of the
    history).
    """
    if name == "plateau":
        return LRScheduler(
            policy=torch.optim.lr_scheduler.ReduceLROnPlateau,
            monitor="train_loss",
            factor=_PLATEAU_FACTOR,
            patience=_PLATEAU_PATIENCE,
        )
    if name == "cosine":
        return LRScheduler(
            policy=torch.optim.lr_scheduler.CosineAnnealingLR,
            T_max=max_epochs,
            last_epoch=-1,
        )
    if name == "one_cycle":
        # Stepped per epoch: the number of length-bucketed batches of an epoch
        # varies, and OneCycleLR fails past its last step. One step more than
        # the epochs keeps the last epoch's rate above zero. The momentum is
        # the optimizer's, as set (not cycled).
        return LRScheduler(
            policy=torch.optim.lr_scheduler.OneCycleLR,
            max_lr=lr,
            total_steps=max_epochs + 1,
            cycle_momentum=False,
            last_epoch=-1,
        )
    return None


def training_callbacks(
    *,
    incremental,
    holds_out,
    process_group,
    clip_grad_norm,
    lr_schedule,
    lr,
    max_epochs,
    n_iter_no_change,
    tol,
    verbose,
    callbacks,
):
    """skorch callbacks for the training parameters, then the user's.

    ``partial_fit`` (``incremental``) trains one epoch a call at ``lr``, so it
    neither schedules the rate nor stops early nor holds out data (as
    scikit-learn's MLP). The user's callbacks are deep copies: fitting must not
    change them.
    """
    made = []
    if process_group is not None:  # before anything reads the loss
        made.append(("average_loss_over_processes", AverageLossOverProcesses()))
    made.append(("raise_on_non_finite_loss", RaiseOnNonFiniteLoss()))
    if clip_grad_norm is not None:
        made.append(("gradient_clipping", GradientNormClipping(clip_grad_norm)))
    schedule = None if incremental else _lr_schedule(lr_schedule, max_epochs, lr)
    if schedule is not None:
        made.append(("lr_schedule", schedule))
    if not incremental and (holds_out or n_iter_no_change):
        made.append(
            (
                "early_stopping",
                EarlyStopping(
                    monitor="valid_loss" if holds_out else "train_loss",
                    # None: train every epoch, then restore the best.
                    patience=n_iter_no_change or max_epochs,
                    threshold=tol,
                    threshold_mode="abs",
                    load_best=holds_out,
                    # skorch prints to print only when verbose; a function
                    # here would make the net unpicklable.
                    sink=print,
                ),
            )
        )
    if verbose >= 2:
        made.append(("progress_bar", ProgressBar()))
    return made + _copied(callbacks or [])


def _copied(callbacks):
    """Deep copies of the user's callbacks, checked: fitting must not change
    the objects the user holds."""
    for position, item in enumerate(callbacks):
        callback = item[1] if isinstance(item, tuple) and len(item) == 2 else item
        if not isinstance(callback, Callback) or (
            isinstance(item, tuple) and not isinstance(item[0], str)
        ):
            raise TypeError(
                f"callbacks[{position}] is {item!r}; callbacks takes skorch "
                "callbacks, or (name, callback) pairs."
            )
    try:
        return copy.deepcopy(callbacks)
    except Exception as exc:
        raise TypeError(
            f"callbacks cannot be copied ({type(exc).__name__}: {exc}); fitting "
            "uses copies, so that it does not change the callbacks you hold. "
            "Make the callback copyable, for example by opening files or locks "
            "in its initialize() or on_train_begin() rather than in __init__."
        ) from exc

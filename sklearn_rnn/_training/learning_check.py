"""Whether a fit learned anything: its training loss against that of the
best constant prediction."""

import warnings

import torch
from sklearn.exceptions import ConvergenceWarning

__all__ = ["LEARNED_LOSS_RATIO", "learning_check"]

# A fit whose training loss is not at least this much below the loss of the
# best constant prediction learned nothing it can show.
LEARNED_LOSS_RATIO = 0.99


def learning_check(net, criterion, train, warn=True):
    """The training loss of the kept epoch and that of the best constant
    prediction, as fitted attributes; with ``warn``, a ConvergenceWarning when
    the first is not clearly below the second."""
    history = net.history
    kept = len(history) - 1
    if "valid_loss_best" in history[-1]:  # the best held-out epoch is restored
        best = [i for i, row in enumerate(history) if row.get("valid_loss_best")]
        kept = best[-1] if best else kept
    loss = float(history[kept, "train_loss"])
    baseline = criterion.constant_loss(train.y, train.sample_weight)
    # Constant targets (a baseline of 0) leave nothing to learn.
    if warn and baseline > 0 and not loss < LEARNED_LOSS_RATIO * baseline:
        warnings.warn(
            f"The training loss of the kept epoch ({kept + 1} of {len(history)}), "
            f"{loss:.4g}, is not clearly below {baseline:.4g}, the loss of "
            "predicting the training targets' "
            f"{'class frequencies' if train.y.dtype == torch.int64 else 'mean'} "
            "for every sequence: the network learned nothing it can show. "
            "Check that the inputs carry the signal, or try another pooling, a "
            "higher lr or more max_epochs (loss_ and baseline_loss_ keep both "
            "figures).",
            ConvergenceWarning,
            stacklevel=5,
        )
    return {"loss_": loss, "baseline_loss_": baseline}
